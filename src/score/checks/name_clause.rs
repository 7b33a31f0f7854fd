//! A self-introduction with no frame around the name: the staff's name alone in a clause,
//! as people answer the phone ("Children's Welfare Service Center, Alvarez.", "Whitfield
//! here", "兒童福利服務中心，賴，您好", "我是志豪"), or a frame Whisper cut off into another
//! segment ("You're speaking with" | "Hector."). Only the manifest's name can be read this
//! way, so without one nothing is found.
//!
//! A clause counts when it holds the staff's name, heard closely ([`StaffName`]), and
//! nothing but words that go with a name on the phone (titles, greetings, "here",
//! "speaking"; 小姐, 您好, 我是). Anything else in the clause makes it something other than
//! an introduction: a question carries words of its own (林小姐在嗎, "is this Priya"), and
//! so does another sentence that mentions the name.

use super::{Ctx, Found};
use crate::score::rubric::Phrase;
use crate::score::staff_name::StaffName;

/// Most units beside the name in one clause.
const MOST_BESIDE: usize = 4;

/// The clauses of the staff's speech that are the staff's name (`name`) alone, as matches
/// of `phrase`.
pub(super) fn name_clauses<'p>(cx: &Ctx, name: &StaffName, phrase: &'p Phrase) -> Vec<Found<'p>> {
    let mut out = Vec::new();
    for (i, u) in cx.staff.utts.iter().enumerate() {
        for (at, end) in u.clauses() {
            let clause = &u.toks[at..end];
            let Some((a, b)) = name.find(clause) else {
                continue;
            };
            let mut rest = clause[..a].iter().chain(&clause[b..]);
            if clause.len() - (b - a) <= MOST_BESIDE && rest.all(|t| name.beside(t)) {
                out.push(Found::new(phrase, i, u, (at + a, at + b), 1.0));
            }
        }
    }
    out
}
