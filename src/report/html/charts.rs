//! Inline SVG charts for the HTML report and the review app: a line chart (scores across
//! campaigns) and bar charts (grade counts, failure rates). Plain SVG with no scripts or external
//! references, so the report stays one self-contained, printable file; maud escapes every label.

use maud::{Markup, html};
use unicode_width::UnicodeWidthStr;

/// Colours that stay distinct for colour-blind readers and in greyscale print (Okabe–Ito).
pub const PALETTE: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
];

const WIDTH: f64 = 680.0;
const FONT: f64 = 12.0;

/// A coordinate as drawn: one decimal.
fn at(v: f64) -> String {
    format!("{v:.1}")
}

/// One line of a line chart: a value (or a gap) for each x label.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

/// A line chart of several series over shared x labels, with a y range and axis caption.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    /// Accessible name of the chart (read by screen readers; not drawn).
    pub title: String,
    pub x_labels: Vec<String>,
    pub series: Vec<Series>,
    pub y_min: f64,
    pub y_max: f64,
    pub y_caption: String,
}

/// One bar: its label, its length, and the text printed at its end.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub text: String,
}

/// Approximate drawn width of `text` in pixels: CJK characters are twice as wide as Latin.
fn text_width(text: &str, font: f64) -> f64 {
    UnicodeWidthStr::width(text) as f64 * font * 0.55
}

/// `text` shortened with an ellipsis to fit `max_px`.
fn fit(text: &str, font: f64, max_px: f64) -> String {
    if text_width(text, font) <= max_px {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if text_width(&format!("{out}{c}…"), font) > max_px {
            break;
        }
        out.push(c);
    }
    out + "…"
}

/// Round tick values from `min` to `max`, about five of them.
fn ticks(min: f64, max: f64) -> Vec<f64> {
    let span = (max - min).max(1e-9);
    let raw = span / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| span / s <= 6.0)
        .unwrap_or(mag * 10.0);
    let first = (min / step - 1e-9).ceil() as i64;
    // Multiples of the step, cleaned of float noise (0.6000000000000001 → 0.6).
    (first..)
        .map(|k| (k as f64 * step * 1e9).round() / 1e9)
        .take_while(|v| *v <= max + step * 1e-6)
        .collect()
}

fn number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

/// An `<svg>` chart `height` pixels tall around `body`, named `title` for screen readers.
fn svg(height: f64, title: &str, body: Markup) -> Markup {
    html! {
        svg class="chart" viewBox=(format!("0 0 {WIDTH} {height}")) width="100%" role="img"
            aria-label=(title) font-size=(FONT) {
            title { (title) }
            (body)
        }
    }
}

/// A light horizontal gridline across the plot at height `y`, labelled `value` on the axis.
fn gridline(left: f64, right: f64, y: f64, value: f64) -> Markup {
    html! {
        line x1=(left) x2=(right) y1=(at(y)) y2=(at(y)) stroke="#ddd" {}
        text x=(left - 6.0) y=(at(y + 4.0)) text-anchor="end" fill="#444" { (number(value)) }
    }
}

/// The caption of a vertical axis, written upwards beside it.
fn y_caption(top: f64, plot_h: f64, caption: &str) -> Markup {
    html! {
        text transform=(format!("translate(12 {:.1}) rotate(-90)", top + plot_h / 2.0))
            text-anchor="middle" fill="#444" { (caption) }
    }
}

/// SVG path data through `points` (x, value or gap): a gap (a unit not tested in a campaign)
/// lifts the pen instead of bridging it.
fn path_data(points: impl Iterator<Item = (f64, Option<f64>)>) -> String {
    let mut path = Vec::new();
    let mut pen_down = false;
    for (x, y) in points {
        match y {
            Some(y) => {
                let cmd = if pen_down { 'L' } else { 'M' };
                path.push(format!("{cmd}{x:.1} {y:.1}"));
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    path.join(" ")
}

/// The line chart as an `<svg>` element, with y gridlines, x labels, point markers, value
/// labels on the last point of each line, and a legend below.
pub fn line_chart(chart: &LineChart) -> Markup {
    let legend_rows = chart.series.len().div_ceil(3) as f64;
    let (left, right, top) = (48.0, 36.0, 22.0);
    let plot_h = 220.0;
    let bottom = 40.0 + legend_rows * 18.0;
    let height = top + plot_h + bottom;
    let plot_w = WIDTH - left - right;
    let (lo, hi) = (chart.y_min, chart.y_max.max(chart.y_min + 1e-9));
    let y = |v: f64| top + plot_h - (v.clamp(lo, hi) - lo) / (hi - lo) * plot_h;
    let n = chart.x_labels.len().max(1);
    let x = |i: usize| {
        if n == 1 {
            left + plot_w / 2.0
        } else {
            left + 16.0 + (plot_w - 32.0) * i as f64 / (n - 1) as f64
        }
    };
    let slot = plot_w / n as f64;
    // Each line's last value, unless it would overprint another (the table has them all).
    let mut end_labels: Vec<(f64, f64, f64, &str)> = chart
        .series
        .iter()
        .enumerate()
        .filter_map(|(k, series)| {
            let (i, v) = series
                .values
                .iter()
                .enumerate()
                .rev()
                .find_map(|(i, v)| v.map(|v| (i, v)))?;
            Some((x(i), y(v), v, PALETTE[k % PALETTE.len()]))
        })
        .collect();
    end_labels.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut drawn: Vec<(f64, f64)> = Vec::new();
    end_labels.retain(|(px, py, ..)| {
        let free = !drawn
            .iter()
            .any(|(x, y)| (x - px).abs() < 40.0 && (y - py).abs() < FONT + 1.0);
        if free {
            drawn.push((*px, *py));
        }
        free
    });
    svg(
        height,
        &chart.title,
        html! {
            @for t in ticks(lo, hi) {
                (gridline(left, left + plot_w, y(t), t))
            }
            line x1=(left) x2=(left) y1=(top) y2=(top + plot_h) stroke="#333" {}
            line x1=(left) x2=(left + plot_w) y1=(top + plot_h) y2=(top + plot_h) stroke="#333" {}
            (y_caption(top, plot_h, &chart.y_caption))
            @for (i, label) in chart.x_labels.iter().enumerate() {
                text x=(at(x(i))) y=(at(top + plot_h + 16.0)) text-anchor="middle" fill="#222" {
                    (fit(label, FONT, slot - 4.0))
                }
            }
            @for (k, series) in chart.series.iter().enumerate() {
                @let colour = PALETTE[k % PALETTE.len()];
                @let d = path_data(series.values.iter().enumerate().map(|(i, v)| (x(i), v.map(y))));
                path d=(d) fill="none" stroke=(colour) stroke-width="2.5" {}
                @for (i, v) in series.values.iter().enumerate() {
                    @if let Some(v) = v {
                        circle cx=(at(x(i))) cy=(at(y(*v))) r="3.5" fill=(colour) {}
                    }
                }
                @let lx = left + (k % 3) as f64 * (plot_w / 3.0);
                @let ly = top + plot_h + 36.0 + (k / 3) as f64 * 18.0;
                rect x=(at(lx)) y=(at(ly - 6.0)) width="14" height="4" fill=(colour) {}
                text x=(at(lx + 20.0)) y=(at(ly)) fill="#222" {
                    (fit(&series.name, FONT, plot_w / 3.0 - 28.0))
                }
            }
            @for (px, py, v, colour) in end_labels {
                text x=(at(px + 6.0)) y=(at(py - 6.0)) fill=(colour) font-weight="bold" {
                    (number(v))
                }
            }
        },
    )
}

/// Vertical bars (few, short labels: grade bands) as an `<svg>` element.
pub fn column_chart(title: &str, bars: &[Bar], caption: &str) -> Markup {
    let (left, right, top, bottom) = (48.0, 16.0, 20.0, 28.0);
    let plot_h = 170.0;
    let height = top + plot_h + bottom;
    let plot_w = WIDTH - left - right;
    let hi = bars.iter().map(|b| b.value).fold(0.0, f64::max).max(1.0);
    let hi = *ticks(0.0, hi).last().filter(|t| **t >= hi).unwrap_or(&hi);
    // Counts have no fractional ticks.
    let whole = bars.iter().all(|b| b.value.fract() == 0.0);
    let axis = ticks(0.0, hi)
        .into_iter()
        .filter(|t| !whole || t.fract() == 0.0);
    let y = |v: f64| top + plot_h - v / hi * plot_h;
    let slot = plot_w / bars.len().max(1) as f64;
    let bar_w = (slot * 0.6).min(90.0);
    svg(
        height,
        title,
        html! {
            @for t in axis {
                (gridline(left, left + plot_w, y(t), t))
            }
            (y_caption(top, plot_h, caption))
            @for (i, bar) in bars.iter().enumerate() {
                @let cx = left + slot * (i as f64 + 0.5);
                rect x=(at(cx - bar_w / 2.0)) y=(at(y(bar.value))) width=(at(bar_w))
                    height=(at(plot_h + top - y(bar.value))) fill=(PALETTE[i % PALETTE.len()]) {}
                text x=(at(cx)) y=(at(y(bar.value) - 4.0)) text-anchor="middle" fill="#222"
                    font-weight="bold" { (bar.text) }
                text x=(at(cx)) y=(at(top + plot_h + 18.0)) text-anchor="middle" fill="#222" {
                    (fit(&bar.label, FONT, slot - 4.0))
                }
            }
            line x1=(left) x2=(left + plot_w) y1=(top + plot_h) y2=(top + plot_h) stroke="#333" {}
        },
    )
}

/// Horizontal bars (many, long labels: criteria) scaled to `max`, as an `<svg>` element.
pub fn bar_chart(title: &str, bars: &[Bar], max: f64) -> Markup {
    let label_w = bars
        .iter()
        .map(|b| text_width(&b.label, FONT))
        .fold(0.0, f64::max)
        .clamp(60.0, 260.0);
    let (left, right, top, row) = (label_w + 12.0, 88.0, 8.0, 22.0);
    let height = top + row * bars.len() as f64 + 24.0;
    let plot_w = WIDTH - left - right;
    let max = max.max(1e-9);
    let axis_y = top + row * bars.len() as f64;
    svg(
        height,
        title,
        html! {
            @for t in ticks(0.0, max) {
                @let tx = at(left + t / max * plot_w);
                line x1=(tx) x2=(tx) y1=(top) y2=(at(axis_y)) stroke="#ddd" {}
                text x=(tx) y=(at(axis_y + 14.0)) text-anchor="middle" fill="#444" { (number(t)) }
            }
            @for (i, bar) in bars.iter().enumerate() {
                @let by = top + row * i as f64;
                @let w = (bar.value / max).clamp(0.0, 1.0) * plot_w;
                text x=(at(left - 6.0)) y=(at(by + row / 2.0 + 4.0)) text-anchor="end" fill="#222" {
                    (fit(&bar.label, FONT, label_w))
                }
                rect x=(at(left)) y=(at(by + 3.0)) width=(at(w)) height=(at(row - 6.0))
                    fill=(PALETTE[1]) {}
                text x=(at(left + w + 4.0)) y=(at(by + row / 2.0 + 4.0)) fill="#222" { (bar.text) }
            }
            line x1=(at(left)) x2=(at(left)) y1=(top) y2=(at(axis_y)) stroke="#333" {}
        },
    )
}

/// The trend chart the report and the review app draw: one line per group (unit or staff),
/// then `all` for every group together, over the campaigns of `t`.
pub fn trends_chart(
    t: &crate::report::trends::Trends,
    all: &str,
    title: &str,
    caption: &str,
) -> Markup {
    let mut groups: Vec<&str> = t.rows.iter().map(|r| r.group.as_str()).collect();
    groups.dedup();
    let line = |name: &str, rows: Vec<&crate::report::trends::TrendRow>| Series {
        name: name.to_string(),
        values: t
            .campaigns
            .iter()
            .map(|c| {
                rows.iter()
                    .find(|r| &r.campaign == c)
                    .and_then(|r| r.mean_score)
            })
            .collect(),
    };
    let mut series: Vec<Series> = groups
        .iter()
        .map(|g| line(g, t.rows.iter().filter(|r| r.group == *g).collect()))
        .collect();
    series.push(line(all, t.totals.iter().collect()));
    let y_max = t
        .rows
        .iter()
        .chain(&t.totals)
        .map(|r| r.max)
        .fold(0.0, f64::max);
    line_chart(&LineChart {
        title: title.to_string(),
        x_labels: t.campaigns.clone(),
        series,
        y_min: 0.0,
        y_max: if y_max > 0.0 { y_max } else { 100.0 },
        y_caption: caption.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_everywhere() {
        let evil = "<script>alert('x')</script> & \"q\"";
        let svg = bar_chart(
            evil,
            &[Bar {
                label: evil.into(),
                value: 1.0,
                text: evil.into(),
            }],
            2.0,
        )
        .into_string();
        assert!(!svg.contains("<script"), "{svg}");
        assert!(svg.contains("&lt;script&gt;"));
        let line = line_chart(&LineChart {
            title: evil.into(),
            x_labels: vec![evil.into()],
            series: vec![Series {
                name: evil.into(),
                values: vec![Some(50.0)],
            }],
            y_min: 0.0,
            y_max: 100.0,
            y_caption: evil.into(),
        })
        .into_string();
        assert!(!line.contains("<script"));
    }

    #[test]
    fn line_chart_draws_gaps_markers_and_axis_ticks() {
        let svg = line_chart(&LineChart {
            title: "t".into(),
            x_labels: vec!["2026Q2".into(), "2026Q3".into(), "2026Q4".into()],
            series: vec![Series {
                name: "行政課".into(),
                values: vec![Some(80.0), None, Some(90.0)],
            }],
            y_min: 0.0,
            y_max: 100.0,
            y_caption: "分數".into(),
        })
        .into_string();
        assert_eq!(svg.matches("<circle").count(), 2);
        // A gap starts a new sub-path: two moves, no line across the missing campaign.
        let d = svg.split("d=\"").nth(1).unwrap().split('"').next().unwrap();
        assert_eq!(d.matches('M').count(), 2, "{d}");
        assert!(!d.contains('L'), "{d}");
        for tick in [">0<", ">20<", ">100<", ">行政課<", ">2026Q3<"] {
            assert!(svg.contains(tick), "{tick} in {svg}");
        }
    }

    #[test]
    fn bars_scale_to_their_maximum() {
        let bars = [
            Bar {
                label: "a".into(),
                value: 0.5,
                text: "50%".into(),
            },
            Bar {
                label: "b".into(),
                value: 1.0,
                text: "100%".into(),
            },
        ];
        let svg = bar_chart("t", &bars, 1.0).into_string();
        let widths: Vec<f64> = svg
            .split("<rect")
            .skip(1)
            .map(|r| {
                let w = r.split("width=\"").nth(1).unwrap();
                w[..w.find('"').unwrap()].parse().unwrap()
            })
            .collect();
        assert_eq!(widths.len(), 2);
        assert!((widths[1] - 2.0 * widths[0]).abs() < 0.2, "{widths:?}");
        assert!(
            column_chart("g", &bars, "calls")
                .into_string()
                .contains(">100%<")
        );
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(ticks(0.0, 100.0), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(ticks(0.0, 1.0), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(ticks(0.0, 3.0), vec![0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0]);
    }
}
