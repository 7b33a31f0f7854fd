//! Putting both parties' segments on one time line.

use super::Segment;

/// Merges per-party segment lists into one list sorted by start (then end), stable so that
/// equal times keep the order they were given in (staff before caller).
pub fn merge(sides: Vec<Vec<Segment>>) -> Vec<Segment> {
    let mut all: Vec<Segment> = sides.into_iter().flatten().collect();
    all.sort_by(|a, b| a.start.total_cmp(&b.start).then(a.end.total_cmp(&b.end)));
    all
}

/// Marks the third and later copies of a segment text repeated back to back by one party
/// (Whisper's loop across segments). Returns how many were marked.
pub fn mark_repeated_runs(segments: &mut [Segment]) -> usize {
    let mut marked = 0;
    let mut run = 0;
    for i in 0..segments.len() {
        let same = i > 0 && norm(&segments[i].text) == norm(&segments[i - 1].text);
        run = if same { run + 1 } else { 0 };
        if run >= 2 && !segments[i].invented {
            segments[i].invented = true;
            marked += 1;
        }
    }
    marked
}

fn norm(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::Speaker;

    fn seg(speaker: Speaker, start: f64, text: &str) -> Segment {
        Segment {
            speaker,
            start,
            end: start + 1.0,
            text: text.to_string(),
            invented: false,
            tokens: Vec::new(),
        }
    }

    #[test]
    fn sides_interleave_by_start() {
        let staff = vec![seg(Speaker::Staff, 1.0, "a"), seg(Speaker::Staff, 5.0, "c")];
        let caller = vec![
            seg(Speaker::Caller, 3.0, "b"),
            seg(Speaker::Caller, 5.0, "d"),
        ];
        let got: Vec<String> = merge(vec![staff, caller])
            .into_iter()
            .map(|s| s.text)
            .collect();
        assert_eq!(got, ["a", "b", "c", "d"]);
    }

    #[test]
    fn third_copy_of_a_line_is_marked() {
        let mut s: Vec<Segment> = ["好。", "好", "好!", "謝謝"]
            .iter()
            .enumerate()
            .map(|(i, t)| seg(Speaker::Unknown, i as f64, t))
            .collect();
        assert_eq!(mark_repeated_runs(&mut s), 1);
        assert!(!s[1].invented && s[2].invented && !s[3].invented);
    }
}
