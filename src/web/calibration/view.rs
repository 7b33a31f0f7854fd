//! The calibration page's body: per kind of review, a table per criterion and one per
//! confidence band.

use super::labels::Labels;
use crate::report::calibration::{Band, Calibration, Figures, Kappa, Section, VERDICTS};
use crate::report::html::Labels as ReportWords;
use crate::report::html::components::verdict_word;
use maud::{Markup, html};

pub(super) fn calibration(c: &Calibration, l: &Labels, words: &ReportWords) -> Markup {
    html! {
        div.calibration {
            p { (l.intro) }
            @match &c.rubric_id {
                None => p { (l.no_scores) },
                Some(id) => {
                    p.meta { (l.rubric) (l.colon) (id) }
                    (section("blind", l.blind, l.blind_note, &c.blind, l, words))
                    (section("seen", l.seen, l.seen_note, &c.seen, l, words))
                    p.help { (l.kappa_help) }
                }
            }
        }
    }
}

fn section(
    key: &str,
    title: &str,
    note: &str,
    s: &Section,
    l: &Labels,
    words: &ReportWords,
) -> Markup {
    html! {
        section id=(key) {
            h2 { (title) }
            p.help { (note) " " (l.reviews) (l.colon) span.reviews { (s.reviews) } }
            @if s.reviews == 0 {
                p { (l.none_yet) }
            } @else {
                table {
                    thead { tr {
                        th { (l.criterion) } th.num { (l.reviewed) } th.num { (l.agreed) }
                        th.num { (l.agreement) } th.num { (l.kappa) } th { (l.confusion) }
                    } }
                    tbody {
                        @for k in &s.criteria {
                            tr id=(format!("{key}-{}", k.id)) {
                                td { (k.title) }
                                (figures(&k.all, l))
                                td { (counts(&k.all, l, words)) }
                            }
                        }
                    }
                }
                h3 { (l.by_band) }
                table {
                    thead { tr {
                        th { (l.criterion) } th { (l.band) } th.num { (l.reviewed) }
                        th.num { (l.agreed) } th.num { (l.agreement) } th.num { (l.kappa) }
                    } }
                    tbody {
                        @for k in &s.criteria {
                            @for (band, f) in &k.bands {
                                tr id=(format!("{key}-{}-{}", k.id, band_key(*band))) {
                                    td { (k.title) }
                                    td { (band_name(*band, l)) }
                                    (figures(f, l))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Links to the blind review of each call the supervisor has not seen yet.
pub(super) fn blind_queue(unseen: &[(i64, String)], l: &Labels) -> Markup {
    html! {
        section #blind-queue {
            h2 { (l.blind_queue) }
            @if unseen.is_empty() {
                p { (l.blind_queue_empty) }
            } @else {
                ul {
                    @for (id, file) in unseen {
                        li { a href=(format!("/calls/{id}/blind")) { (file) } }
                    }
                }
            }
        }
    }
}

/// Cells: calls, agreed, agreement, kappa.
fn figures(f: &Figures, l: &Labels) -> Markup {
    html! {
        td.num.n { (f.n()) }
        td.num.agreed { (f.agreed()) }
        td.num.agreement {
            @match f.agreement() {
                Some(a) => (format!("{:.0}%", a * 100.0)),
                None => "—",
            }
        }
        td.num.kappa { (kappa(f.kappa(), l)) }
    }
}

/// Kappa to two decimals, or why it has none.
pub(super) fn kappa(k: Kappa, l: &Labels) -> String {
    match k {
        Kappa::Value(v) => format!("{v:.2}"),
        Kappa::NoCalls => l.kappa_none.to_string(),
        Kappa::OneCategory => l.kappa_one.to_string(),
    }
}

/// The 3×3 counts, machine down, reviewer across.
fn counts(f: &Figures, l: &Labels, words: &ReportWords) -> Markup {
    html! {
        table.counts {
            tr {
                th { (l.machine) " \\ " (l.reviewer) }
                @for v in VERDICTS { th.num { (verdict_word(v, words).1) } }
            }
            @for (v, row) in VERDICTS.iter().zip(&f.counts) {
                tr {
                    th { (verdict_word(*v, words).1) }
                    @for n in row { td.num { (n) } }
                }
            }
        }
    }
}

fn band_name(b: Band, l: &Labels) -> &'static str {
    let i = Band::ALL.iter().position(|x| *x == b).unwrap_or(0);
    l.bands[i]
}

/// A band as it appears in row ids (`blind-pickup-sure`).
fn band_key(b: Band) -> &'static str {
    match b {
        Band::Doubtful => "doubtful",
        Band::Middle => "middle",
        Band::Sure => "sure",
        Band::Unmeasured => "unmeasured",
    }
}
