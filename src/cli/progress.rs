//! How far a `callgrade run` has got: the progress bar (or, for scripts, progress lines) and
//! what Ctrl-C does.

use indicatif::{ProgressBar, ProgressState, ProgressStyle};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// With `CALLGRADE_PROGRESS=lines`, `run` prints one plain line per finished call instead of a
/// bar, so a benchmark script can read the ETA the user would have seen.
const LINES_ENV: &str = "CALLGRADE_PROGRESS";

/// Seconds left, from the average pace so far. A call-count ETA from the latest few calls
/// swings with each call's length; over a whole run the mix of lengths evens out, so the
/// average of everything done so far is the steadier guess.
pub fn eta_seconds(elapsed: Duration, done: u64, total: u64) -> Option<f64> {
    (done > 0).then(|| elapsed.as_secs_f64() / done as f64 * total.saturating_sub(done) as f64)
}

fn clock(seconds: f64) -> String {
    let s = seconds.round() as u64;
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
    }
}

/// The display of one run's progress over the calls that need work.
pub enum Display {
    Bar(ProgressBar),
    Lines {
        started: Instant,
        done: u64,
        total: u64,
    },
}

impl Display {
    /// A bar on a terminal, progress lines when asked for, or nothing.
    pub fn new(total: usize, terminal: bool) -> Option<Display> {
        if total == 0 {
            return None;
        }
        if std::env::var(LINES_ENV).is_ok_and(|v| v == "lines") {
            return Some(Display::Lines {
                started: Instant::now(),
                done: 0,
                total: total as u64,
            });
        }
        if !terminal {
            return None;
        }
        let eta = |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = match eta_seconds(s.elapsed(), s.pos(), s.len().unwrap_or(0)) {
                Some(e) => w.write_str(&clock(e)),
                None => w.write_str("-"),
            };
        };
        let style = ProgressStyle::with_template(
            "{bar:30} {pos}/{len} calls  {elapsed} elapsed, ETA {eta}  {msg}",
        )
        .expect("valid template")
        .with_key("eta", eta);
        Some(Display::Bar(
            ProgressBar::new(total as u64).with_style(style),
        ))
    }

    /// One more call done; `file` is its name.
    pub fn advance(&mut self, file: &str) {
        match self {
            Display::Bar(b) => {
                b.set_message(super::terminal::clean(file).into_owned());
                b.inc(1);
            }
            Display::Lines {
                started,
                done,
                total,
            } => {
                *done += 1;
                let elapsed = started.elapsed();
                let mut line = format!(
                    "progress {done}/{total} elapsed {:.1}",
                    elapsed.as_secs_f64()
                );
                if let Some(e) = eta_seconds(elapsed, *done, *total) {
                    let _ = write!(line, " eta {e:.1}");
                }
                super::terminal::say(&line);
            }
        }
    }

    /// A note above the bar (or on its own line).
    pub fn note(&self, note: &str) {
        match self {
            Display::Bar(b) => b.println(super::terminal::clean(note)),
            Display::Lines { .. } => super::terminal::say(note),
        }
    }

    pub fn finish(self) {
        if let Display::Bar(b) = self {
            b.finish_and_clear();
        }
    }
}

/// The first Ctrl-C lets the calls being transcribed finish and be stored, and starts no
/// more; the run then ends saying how to carry on. A second Ctrl-C ends the process at once:
/// each call is stored in its own transaction, so only the calls in flight are lost.
pub fn stop_on_ctrl_c() {
    std::thread::spawn(|| {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        rt.block_on(async {
            if tokio::signal::ctrl_c().await.is_err() {
                return;
            }
            crate::pipeline::request_stop();
            super::terminal::say(
                "Ctrl-C: finishing the calls in progress, then stopping. Press Ctrl-C again to stop at once (those calls are then done again next time).",
            );
            let _ = tokio::signal::ctrl_c().await;
            super::terminal::say(
                "Stopped. Run the same command again to carry on: calls already scored are skipped.",
            );
            std::process::exit(130);
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eta_is_the_average_pace_times_what_is_left() {
        let e = eta_seconds(Duration::from_secs(100), 10, 100).unwrap();
        assert!((e - 900.0).abs() < 1e-9);
        assert_eq!(eta_seconds(Duration::from_secs(5), 0, 100), None);
        assert_eq!(clock(59.4), "59s");
        assert_eq!(clock(125.0), "2m05s");
        assert_eq!(clock(7300.0), "2h01m");
    }
}
