//! The one `Range` form an `<audio>` element sends: a single byte range. Several ranges are
//! answered with the whole file (HTTP allows ignoring Range), a range past the end is 416.
//! An open range (`bytes=a-`, what a player asks first) gets at most [`OPEN_RANGE_MAX`]
//! bytes: the player asks on from where that part ends, and no request holds a long
//! recording in memory at once.

/// The most bytes an open range (`bytes=a-`) is answered with.
pub const OPEN_RANGE_MAX: u64 = 4 * 1024 * 1024;

/// What to send for a request's `Range` header on a file of `len` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeAnswer {
    /// 200 with the whole file (no Range, or one we do not serve piecewise).
    Whole,
    /// 206 with bytes `start..=end`.
    Part { start: u64, end: u64 },
    /// 416: nothing of the file lies in the range.
    Unsatisfiable,
}

/// Parses `bytes=a-b`, `bytes=a-` and `bytes=-n` (the last n bytes).
pub fn answer(header: Option<&str>, len: u64) -> RangeAnswer {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return RangeAnswer::Whole;
    };
    if spec.contains(',') {
        return RangeAnswer::Whole;
    }
    let Some((a, b)) = spec.trim().split_once('-') else {
        return RangeAnswer::Whole;
    };
    let (a, b) = (a.trim(), b.trim());
    let number = |s: &str| -> Option<u64> {
        (!s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match (a.is_empty(), number(a), number(b)) {
        // bytes=-n: the last n bytes.
        (true, _, Some(n)) => {
            if n == 0 || len == 0 {
                RangeAnswer::Unsatisfiable
            } else {
                RangeAnswer::Part {
                    start: len.saturating_sub(n),
                    end: len - 1,
                }
            }
        }
        (false, Some(start), end) if b.is_empty() || end.is_some() => {
            if start >= len {
                return RangeAnswer::Unsatisfiable;
            }
            match end {
                Some(e) if e < start => RangeAnswer::Whole,
                Some(e) => RangeAnswer::Part {
                    start,
                    end: e.min(len - 1),
                },
                None => RangeAnswer::Part {
                    start,
                    end: (len - 1).min(start + OPEN_RANGE_MAX - 1),
                },
            }
        }
        // Malformed: ignored, as RFC 9110 allows.
        _ => RangeAnswer::Whole,
    }
}

#[cfg(test)]
mod tests {
    use super::RangeAnswer::*;
    use super::answer;

    #[test]
    fn single_ranges_are_served_and_the_rest_is_the_whole_file_or_416() {
        let len = 1000;
        assert_eq!(answer(None, len), Whole);
        assert_eq!(answer(Some("bytes=0-99"), len), Part { start: 0, end: 99 });
        assert_eq!(
            answer(Some("bytes=900-"), len),
            Part {
                start: 900,
                end: 999
            }
        );
        assert_eq!(
            answer(Some("bytes=-10"), len),
            Part {
                start: 990,
                end: 999
            }
        );
        assert_eq!(
            answer(Some("bytes=990-5000"), len),
            Part {
                start: 990,
                end: 999
            }
        );
        assert_eq!(answer(Some("bytes=1000-"), len), Unsatisfiable);
        let big = 3 * super::OPEN_RANGE_MAX;
        assert_eq!(
            answer(Some("bytes=10-"), big),
            Part {
                start: 10,
                end: 9 + super::OPEN_RANGE_MAX
            }
        );
        assert_eq!(answer(Some("bytes=-0"), len), Unsatisfiable);
        assert_eq!(answer(Some("bytes=0-1,5-6"), len), Whole);
        assert_eq!(answer(Some("bytes=abc"), len), Whole);
        assert_eq!(answer(Some("bytes=5-2"), len), Whole);
        assert_eq!(answer(Some("items=0-1"), len), Whole);
        assert_eq!(answer(Some("bytes=+1-2"), len), Whole);
    }
}
