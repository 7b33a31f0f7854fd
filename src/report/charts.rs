//! Inline SVG charts for the HTML report: a line chart (scores across campaigns) and bar
//! charts (grade counts, failure rates). Plain SVG text with no scripts or external references,
//! so the report stays one self-contained, printable file.

use std::fmt::Write;
use unicode_width::UnicodeWidthStr;

/// Colours that stay distinct for colour-blind readers and in greyscale print (Okabe–Ito).
pub const PALETTE: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
];

const WIDTH: f64 = 680.0;
const FONT: f64 = 12.0;

/// `text` safe inside XML/HTML text and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML; Whisper output should not have them.
            c if c.is_control() && !matches!(c, '\n' | '\t') => {}
            c => out.push(c),
        }
    }
    out
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

fn open_svg(out: &mut String, height: f64, title: &str) {
    let _ = write!(
        out,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-label="{t}" font-size="{FONT}"><title>{t}</title>"#,
        t = escape(title)
    );
}

/// A light horizontal gridline across the plot at height `y`, labelled `value` on the axis.
fn gridline(out: &mut String, left: f64, right: f64, y: f64, value: f64) {
    let _ = write!(
        out,
        r##"<line x1="{left}" x2="{right}" y1="{y:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" text-anchor="end" fill="#444">{}</text>"##,
        left - 6.0,
        y + 4.0,
        number(value),
    );
}

/// The line chart as an `<svg>` element, with y gridlines, x labels, point markers, value
/// labels on the last point of each line, and a legend below.
pub fn line_chart(chart: &LineChart) -> String {
    let legend_rows = chart.series.len().div_ceil(3) as f64;
    let (left, right, top) = (48.0, 36.0, 22.0);
    let plot_h = 220.0;
    let bottom = 40.0 + legend_rows * 18.0;
    let height = top + plot_h + bottom;
    let plot_w = WIDTH - left - right;
    let (lo, hi) = (chart.y_min, chart.y_max.max(chart.y_min + 1e-9));
    let y = |v: f64| top + plot_h - (v - lo) / (hi - lo) * plot_h;
    let n = chart.x_labels.len().max(1);
    let x = |i: usize| {
        if n == 1 {
            left + plot_w / 2.0
        } else {
            left + 16.0 + (plot_w - 32.0) * i as f64 / (n - 1) as f64
        }
    };

    let mut s = String::new();
    open_svg(&mut s, height, &chart.title);
    for t in ticks(lo, hi) {
        gridline(&mut s, left, left + plot_w, y(t), t);
    }
    let _ = write!(
        s,
        r##"<line x1="{left}" x2="{left}" y1="{top}" y2="{b}" stroke="#333"/><line x1="{left}" x2="{r}" y1="{b}" y2="{b}" stroke="#333"/>"##,
        b = top + plot_h,
        r = left + plot_w,
    );
    let _ = write!(
        s,
        r##"<text transform="translate(12 {:.1}) rotate(-90)" text-anchor="middle" fill="#444">{}</text>"##,
        top + plot_h / 2.0,
        escape(&chart.y_caption)
    );
    let slot = plot_w / n as f64;
    for (i, label) in chart.x_labels.iter().enumerate() {
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#222">{}</text>"##,
            x(i),
            top + plot_h + 16.0,
            escape(&fit(label, FONT, slot - 4.0))
        );
    }
    let mut end_labels: Vec<(f64, f64, f64, &str)> = Vec::new();
    for (k, series) in chart.series.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        let points: Vec<(f64, f64, f64)> = series
            .values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (x(i), y(v.clamp(lo, hi)), v)))
            .collect();
        // Gaps (a unit not tested in a campaign) break the line instead of bridging it.
        let mut path = String::new();
        let mut pen_down = false;
        for (i, v) in series.values.iter().enumerate() {
            match v {
                Some(v) => {
                    let cmd = if pen_down { 'L' } else { 'M' };
                    let _ = write!(path, "{cmd}{:.1} {:.1} ", x(i), y(v.clamp(lo, hi)));
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        let _ = write!(
            s,
            r#"<path d="{}" fill="none" stroke="{colour}" stroke-width="2.5"/>"#,
            path.trim_end()
        );
        for (px, py, _) in &points {
            let _ = write!(
                s,
                r#"<circle cx="{px:.1}" cy="{py:.1}" r="3.5" fill="{colour}"/>"#
            );
        }
        if let Some(&(px, py, v)) = points.last() {
            end_labels.push((px, py, v, colour));
        }
        let (row, col) = (k / 3, k % 3);
        let lx = left + col as f64 * (plot_w / 3.0);
        let ly = top + plot_h + 36.0 + row as f64 * 18.0;
        let _ = write!(
            s,
            r##"<rect x="{lx:.1}" y="{:.1}" width="14" height="4" fill="{colour}"/><text x="{:.1}" y="{ly:.1}" fill="#222">{}</text>"##,
            ly - 6.0,
            lx + 20.0,
            escape(&fit(&series.name, FONT, plot_w / 3.0 - 28.0))
        );
    }
    // Each line's last value, unless it would overprint another (the table has them all).
    end_labels.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut drawn: Vec<(f64, f64)> = Vec::new();
    for (px, py, v, colour) in end_labels {
        if drawn
            .iter()
            .any(|(x, y)| (x - px).abs() < 40.0 && (y - py).abs() < FONT + 1.0)
        {
            continue;
        }
        drawn.push((px, py));
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" fill="{colour}" font-weight="bold">{}</text>"#,
            px + 6.0,
            py - 6.0,
            number(v)
        );
    }
    s.push_str("</svg>");
    s
}

/// Vertical bars (few, short labels: grade bands) as an `<svg>` element.
pub fn column_chart(title: &str, bars: &[Bar], y_caption: &str) -> String {
    let (left, right, top, bottom) = (48.0, 16.0, 20.0, 28.0);
    let plot_h = 170.0;
    let height = top + plot_h + bottom;
    let plot_w = WIDTH - left - right;
    let hi = bars.iter().map(|b| b.value).fold(0.0, f64::max).max(1.0);
    let hi = *ticks(0.0, hi).last().filter(|t| **t >= hi).unwrap_or(&hi);
    // Counts have no fractional ticks.
    let whole = bars.iter().all(|b| b.value.fract() == 0.0);
    let axis: Vec<f64> = ticks(0.0, hi)
        .into_iter()
        .filter(|t| !whole || t.fract() == 0.0)
        .collect();
    let y = |v: f64| top + plot_h - v / hi * plot_h;
    let mut s = String::new();
    open_svg(&mut s, height, title);
    for t in axis {
        gridline(&mut s, left, left + plot_w, y(t), t);
    }
    let _ = write!(
        s,
        r##"<text transform="translate(12 {:.1}) rotate(-90)" text-anchor="middle" fill="#444">{}</text>"##,
        top + plot_h / 2.0,
        escape(y_caption)
    );
    let slot = plot_w / bars.len().max(1) as f64;
    let bar_w = (slot * 0.6).min(90.0);
    for (i, bar) in bars.iter().enumerate() {
        let cx = left + slot * (i as f64 + 0.5);
        let colour = PALETTE[i % PALETTE.len()];
        let _ = write!(
            s,
            r##"<rect x="{:.1}" y="{:.1}" width="{bar_w:.1}" height="{:.1}" fill="{colour}"/><text x="{cx:.1}" y="{:.1}" text-anchor="middle" fill="#222" font-weight="bold">{}</text><text x="{cx:.1}" y="{:.1}" text-anchor="middle" fill="#222">{}</text>"##,
            cx - bar_w / 2.0,
            y(bar.value),
            plot_h + top - y(bar.value),
            y(bar.value) - 4.0,
            escape(&bar.text),
            top + plot_h + 18.0,
            escape(&fit(&bar.label, FONT, slot - 4.0)),
        );
    }
    let _ = write!(
        s,
        r##"<line x1="{left}" x2="{}" y1="{b}" y2="{b}" stroke="#333"/>"##,
        left + plot_w,
        b = top + plot_h
    );
    s.push_str("</svg>");
    s
}

/// Horizontal bars (many, long labels: criteria) scaled to `max`, as an `<svg>` element.
pub fn bar_chart(title: &str, bars: &[Bar], max: f64) -> String {
    let label_w = bars
        .iter()
        .map(|b| text_width(&b.label, FONT))
        .fold(0.0, f64::max)
        .clamp(60.0, 260.0);
    let (left, right, top, row) = (label_w + 12.0, 88.0, 8.0, 22.0);
    let height = top + row * bars.len() as f64 + 24.0;
    let plot_w = WIDTH - left - right;
    let max = max.max(1e-9);
    let mut s = String::new();
    open_svg(&mut s, height, title);
    let axis_y = top + row * bars.len() as f64;
    for t in ticks(0.0, max) {
        let tx = left + t / max * plot_w;
        let _ = write!(
            s,
            r##"<line x1="{tx:.1}" x2="{tx:.1}" y1="{top}" y2="{axis_y:.1}" stroke="#ddd"/><text x="{tx:.1}" y="{:.1}" text-anchor="middle" fill="#444">{}</text>"##,
            axis_y + 14.0,
            number(t)
        );
    }
    for (i, bar) in bars.iter().enumerate() {
        let by = top + row * i as f64;
        let w = (bar.value / max).clamp(0.0, 1.0) * plot_w;
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="#222">{}</text><rect x="{left:.1}" y="{:.1}" width="{w:.1}" height="{:.1}" fill="{}"/><text x="{:.1}" y="{:.1}" fill="#222">{}</text>"##,
            left - 6.0,
            by + row / 2.0 + 4.0,
            escape(&fit(&bar.label, FONT, label_w)),
            by + 3.0,
            row - 6.0,
            PALETTE[1],
            left + w + 4.0,
            by + row / 2.0 + 4.0,
            escape(&bar.text)
        );
    }
    let _ = write!(
        s,
        r##"<line x1="{left:.1}" x2="{left:.1}" y1="{top}" y2="{axis_y:.1}" stroke="#333"/>"##
    );
    s.push_str("</svg>");
    s
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
        );
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
        });
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
        });
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
        let svg = bar_chart("t", &bars, 1.0);
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
        assert!(column_chart("g", &bars, "calls").contains(">100%<"));
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(ticks(0.0, 100.0), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(ticks(0.0, 1.0), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(ticks(0.0, 3.0), vec![0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0]);
    }
}
