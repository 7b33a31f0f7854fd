//! Packing speech regions into Whisper windows, and mapping times back.
//!
//! whisper.cpp pads every input to a 30 s window, so decoding each speech region alone costs
//! a full window per region. Instead the regions of one channel are laid end to end (with a
//! short silence between them) into windows of at most ~28 s; each packed window is decoded
//! once and every segment time is mapped back onto the call's time line. Ringback and holds
//! are simply never copied in. Everything here is pure arithmetic on times and samples.

use super::Token;
use crate::audio::{Region, SAMPLE_RATE};

/// One stretch of call audio copied into a packed window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Piece {
    /// Where the stretch is on the call's time line, seconds.
    pub call_start: f64,
    pub call_end: f64,
    /// Where it starts inside the packed window, seconds.
    pub packed_start: f64,
}

impl Piece {
    fn len(&self) -> f64 {
        self.call_end - self.call_start
    }

    fn packed_end(&self) -> f64 {
        self.packed_start + self.len()
    }

    /// Packed time → call time, clamped to this piece.
    pub fn to_call(&self, packed: f64) -> f64 {
        (self.call_start + (packed - self.packed_start)).clamp(self.call_start, self.call_end)
    }
}

/// Audio decoded by one Whisper call: pieces in time order separated by silence.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    pub pieces: Vec<Piece>,
}

impl Window {
    /// Length of the packed audio, seconds.
    pub fn packed_len(&self) -> f64 {
        self.pieces.last().map_or(0.0, Piece::packed_end)
    }

    /// Seconds of call audio inside (gaps excluded).
    pub fn speech_len(&self) -> f64 {
        self.pieces.iter().map(Piece::len).sum()
    }

    /// The packed samples: each piece copied from `track`, zeros between pieces.
    pub fn samples(&self, track: &[f32]) -> Vec<f32> {
        let rate = SAMPLE_RATE as f64;
        let mut out = vec![0.0f32; (self.packed_len() * rate).round() as usize];
        for p in &self.pieces {
            let from = ((p.call_start * rate).round() as usize).min(track.len());
            let to = ((p.call_end * rate).round() as usize).min(track.len());
            let at = (p.packed_start * rate).round() as usize;
            let n = (to - from).min(out.len().saturating_sub(at));
            out[at..at + n].copy_from_slice(&track[from..from + n]);
        }
        out
    }

    /// Index of the piece holding packed time `t`; in a gap, the nearer neighbour.
    pub fn piece_at(&self, t: f64) -> usize {
        let mut best = 0;
        let mut best_dist = f64::INFINITY;
        for (i, p) in self.pieces.iter().enumerate() {
            let dist = if t < p.packed_start {
                p.packed_start - t
            } else if t > p.packed_end() {
                t - p.packed_end()
            } else {
                return i;
            };
            if dist < best_dist {
                best = i;
                best_dist = dist;
            }
        }
        best
    }

    /// Packed time → call time (a time in a gap snaps to the nearer piece's edge).
    pub fn to_call(&self, t: f64) -> f64 {
        self.pieces[self.piece_at(t)].to_call(t)
    }
}

/// Widens each region by `pad` seconds on both sides (within `0..duration`), sorts them and
/// merges regions that then overlap or lie closer than `join_gap` (the real pause is kept).
pub fn spans(regions: &[Region], pad: f64, join_gap: f64, duration: f64) -> Vec<Region> {
    let mut padded: Vec<Region> = regions
        .iter()
        .filter(|r| r.end > r.start)
        .map(|r| Region {
            start: (r.start - pad).max(0.0),
            end: (r.end + pad).min(duration),
        })
        .filter(|r| r.end > r.start)
        .collect();
    padded.sort_by(|a, b| a.start.total_cmp(&b.start));
    let mut out: Vec<Region> = Vec::with_capacity(padded.len());
    for r in padded {
        match out.last_mut() {
            Some(last) if r.start - last.end <= join_gap => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// Cuts spans longer than `max` seconds into pieces of at most `max`, each cut placed at the
/// quietest 20 ms of the last quarter of the allowed length so words are rarely split.
pub fn split_long(spans: &[Region], max: f64, track: &[f32]) -> Vec<Region> {
    let mut out = Vec::new();
    for s in spans {
        let mut start = s.start;
        while s.end - start > max {
            let cut = quietest(track, start + max * 0.75, start + max).unwrap_or(start + max);
            out.push(Region { start, end: cut });
            start = cut;
        }
        out.push(Region { start, end: s.end });
    }
    out
}

/// Centre of the 20 ms frame with least energy between `from` and `to` seconds.
fn quietest(track: &[f32], from: f64, to: f64) -> Option<f64> {
    let rate = SAMPLE_RATE as f64;
    let frame = (0.02 * rate) as usize;
    let a = (from * rate) as usize;
    let b = ((to * rate) as usize).min(track.len());
    (a..b.saturating_sub(frame))
        .step_by(frame)
        .map(|i| (i, track[i..i + frame].iter().map(|x| x * x).sum::<f32>()))
        .min_by(|x, y| x.1.total_cmp(&y.1))
        .map(|(i, _)| (i + frame / 2) as f64 / rate)
}

/// Lays spans (sorted, each at most `max` long) into windows of at most `max` seconds, with
/// `gap` seconds of silence between neighbours. With `pack = false` every span gets its own
/// window (for comparison runs).
pub fn plan(spans: &[Region], max: f64, gap: f64, pack: bool) -> Vec<Window> {
    let mut windows: Vec<Window> = Vec::new();
    for s in spans {
        let len = s.end - s.start;
        let fits = |w: &Window| w.packed_len() + gap + len <= max + 1e-9;
        match windows.last_mut() {
            Some(w) if pack && fits(w) => {
                let packed_start = w.packed_len() + gap;
                w.pieces.push(Piece {
                    call_start: s.start,
                    call_end: s.end,
                    packed_start,
                });
            }
            _ => windows.push(Window {
                pieces: vec![Piece {
                    call_start: s.start,
                    call_end: s.end,
                    packed_start: 0.0,
                }],
            }),
        }
    }
    windows
}

/// A decoded token with its packed-window times, seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct TimedToken {
    pub bytes: Vec<u8>,
    pub start: f64,
    pub end: f64,
    /// Whisper's probability for the token (0..=1).
    pub p: f32,
}

/// A piece of a segment placed on the call's time line.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub start: f64,
    pub end: f64,
    pub text: String,
    /// The tokens behind `text`, in order, as whole characters with their probabilities.
    pub tokens: Vec<Token>,
}

/// Places one decoded segment (packed times `seg_start..seg_end`, its text tokens) on the call
/// time line, one part per sentence. A segment that spans several pieces is split between
/// clauses (at punctuation), each clause going to the piece its tokens overlap most, so speech
/// from two regions is not reported as one stretch of time and no clause is cut in the middle
/// (token times are only roughly right). Sentences are split too: in a mono call one Whisper
/// segment often holds both parties' turns, and scoring quotes evidence per segment.
/// Multi-byte characters cut across tokens are kept whole.
pub fn place(window: &Window, seg_start: f64, seg_end: f64, tokens: &[TimedToken]) -> Vec<Placed> {
    let seg_end = seg_end.max(seg_start);
    // (piece, clause) per clause, then per run of clauses.
    let mut groups: Vec<(usize, Clause)> = Vec::new();
    let mut floor = 0;
    let mut sentence_open = false;
    for (start, end, bytes, probs) in clauses(tokens, seg_start, seg_end) {
        // Clauses never move back in time to an earlier piece.
        let piece = window.best_piece(start, end).max(floor);
        floor = piece;
        let continues = sentence_open;
        sentence_open = !ends_sentence(&bytes);
        match groups.last_mut() {
            Some((p, g)) if *p == piece && continues => {
                g.1 = end;
                g.2.extend_from_slice(&bytes);
                g.3.extend(probs);
            }
            _ => groups.push((piece, (start, end, bytes, probs))),
        }
    }
    let Some(last) = groups.len().checked_sub(1) else {
        return Vec::new();
    };
    // The segment's own bounds are better than the first/last token's.
    groups[0].1.0 = seg_start;
    groups[last].1.1 = seg_end;
    groups
        .into_iter()
        .filter_map(|(piece, (start, end, bytes, probs))| {
            // Whisper sometimes starts a segment with the previous sentence's "？".
            let text = String::from_utf8_lossy(&bytes)
                .trim()
                .trim_start_matches(|c: char| {
                    c.is_ascii_punctuation() || "。，、？！；：".contains(c)
                })
                .trim_start()
                .to_string();
            let p = &window.pieces[piece];
            (!text.is_empty()).then(|| Placed {
                start: p.to_call(start),
                end: p.to_call(end).max(p.to_call(start)),
                text,
                tokens: whole_characters(&bytes, &probs),
            })
        })
        .collect()
}

/// Joins tokens (`probs`: each token's byte length and probability, covering `bytes`) into
/// pieces of whole characters: a character split across tokens gets the lower probability.
fn whole_characters(bytes: &[u8], probs: &[(usize, f32)]) -> Vec<Token> {
    let mut out = Vec::new();
    let (mut at, mut from, mut p) = (0, 0, 1.0f32);
    for &(len, tp) in probs {
        at = (at + len).min(bytes.len());
        p = p.min(tp);
        if let Ok(text) = std::str::from_utf8(&bytes[from..at]) {
            if !text.is_empty() {
                out.push(Token {
                    text: text.to_string(),
                    p,
                });
            }
            from = at;
            p = 1.0;
        }
    }
    out
}

/// A clause: packed start, packed end, bytes, and each token's byte length and probability.
type Clause = (f64, f64, Vec<u8>, Vec<(usize, f32)>);

/// Splits a segment's tokens into clauses ending at punctuation. A clause only ends where its
/// bytes are complete UTF-8.
fn clauses(tokens: &[TimedToken], seg_start: f64, seg_end: f64) -> Vec<Clause> {
    const ENDS: &[char] = &[
        '。', '，', '、', '？', '！', '；', '：', ',', '.', '?', '!', ';', ':',
    ];
    let mut out: Vec<Clause> = Vec::new();
    let mut open: Option<Clause> = None;
    for (i, t) in tokens.iter().enumerate() {
        let start = t.start.clamp(seg_start, seg_end);
        let end = t.end.clamp(start, seg_end);
        let c = open.get_or_insert_with(|| (start, end, Vec::new(), Vec::new()));
        c.1 = end;
        c.2.extend_from_slice(&t.bytes);
        c.3.push((t.bytes.len(), t.p));
        let next_is_digit = tokens
            .get(i + 1)
            .is_some_and(|n| n.bytes.first().is_some_and(u8::is_ascii_digit));
        if std::str::from_utf8(&c.2).is_ok_and(|s| {
            let s = s.trim_end();
            s.ends_with(ENDS) && !(next_is_digit && inside_number(s))
        }) {
            out.extend(open.take());
        }
    }
    out.extend(open);
    out
}

/// True when `text` ends with a separator between digits ("8." of "8.30", "1," of "1,000"):
/// with a digit following, it is part of a number or clock time, not the end of a clause.
fn inside_number(text: &str) -> bool {
    let mut rev = text.chars().rev();
    matches!(rev.next(), Some('.' | ',' | ':' | '：'))
        && rev.next().is_some_and(|c| c.is_ascii_digit())
}

/// True when a clause ends a sentence (。？！ or . ? ! not after a title like "Mr.").
fn ends_sentence(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_end();
    if text.ends_with(['。', '？', '！', '?', '!']) {
        return true;
    }
    let Some(body) = text.strip_suffix('.') else {
        return false;
    };
    let last_word = body
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    !["mr", "mrs", "ms", "dr", "st", "no"].contains(&last_word.to_lowercase().as_str())
}

impl Window {
    /// The piece that packed span `start..end` overlaps most (the nearer one if none).
    fn best_piece(&self, start: f64, end: f64) -> usize {
        let overlap = |p: &Piece| (end.min(p.packed_end()) - start.max(p.packed_start)).max(0.0);
        let best = (0..self.pieces.len()).max_by(|&a, &b| {
            overlap(&self.pieces[a])
                .total_cmp(&overlap(&self.pieces[b]))
                .then(b.cmp(&a))
        });
        match best {
            Some(i) if overlap(&self.pieces[i]) > 0.0 => i,
            _ => self.piece_at((start + end) / 2.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(start: f64, end: f64) -> Region {
        Region { start, end }
    }

    fn one(mut windows: Vec<Window>) -> Window {
        assert_eq!(windows.len(), 1);
        windows.remove(0)
    }

    fn tok(s: &str, start: f64, end: f64) -> TimedToken {
        TimedToken {
            bytes: s.as_bytes().to_vec(),
            start,
            end,
            p: 0.9,
        }
    }

    #[test]
    fn spans_pad_clamp_and_join_close_regions() {
        let got = spans(
            &[r(5.0, 6.0), r(0.05, 1.0), r(6.3, 7.0), r(9.9, 10.0)],
            0.1,
            0.4,
            10.0,
        );
        assert_eq!(got, vec![r(0.0, 1.1), r(4.9, 7.1), r(9.8, 10.0)]);
    }

    #[test]
    fn plan_packs_until_the_window_is_full() {
        let s = [r(10.0, 20.0), r(30.0, 40.0), r(50.0, 59.0), r(70.0, 71.0)];
        let w = plan(&s, 28.0, 0.4, true);
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].pieces.len(), 2);
        assert!((w[0].pieces[1].packed_start - 10.4).abs() < 1e-9);
        assert!((w[0].packed_len() - 20.4).abs() < 1e-9);
        // 9 s did not fit after 20.4 s; the 1 s region joins it.
        assert_eq!(w[1].pieces.len(), 2);
        assert!((w[1].pieces[1].packed_start - 9.4).abs() < 1e-9);
        assert_eq!(plan(&s, 28.0, 0.4, false).len(), 4);
    }

    #[test]
    fn times_map_back_to_the_call_and_gaps_snap_to_the_nearer_edge() {
        let w = one(plan(&[r(10.0, 12.0), r(20.0, 23.0)], 28.0, 0.4, true));
        assert!((w.to_call(1.0) - 11.0).abs() < 1e-9);
        assert!((w.to_call(2.5) - 20.1).abs() < 1e-9); // packed 2.4 is call 20.0
        assert!((w.to_call(2.05) - 12.0).abs() < 1e-9); // in the gap, nearer the first piece
        assert!((w.to_call(2.35) - 20.0).abs() < 1e-9); // in the gap, nearer the second
        assert!((w.to_call(99.0) - 23.0).abs() < 1e-9);
    }

    #[test]
    fn samples_copy_pieces_and_leave_gaps_silent() {
        let rate = SAMPLE_RATE as usize;
        let track: Vec<f32> = (0..rate * 4).map(|i| (i / rate + 1) as f32).collect();
        let w = one(plan(&[r(0.0, 1.0), r(3.0, 4.0)], 28.0, 0.5, true));
        let s = w.samples(&track);
        assert_eq!(s.len(), rate * 5 / 2);
        assert_eq!(s[10], 1.0);
        assert_eq!(s[rate + 10], 0.0);
        assert_eq!(s[rate * 3 / 2 + 10], 4.0);
    }

    #[test]
    fn a_segment_across_two_pieces_is_split_at_the_token_crossing() {
        let w = one(plan(&[r(10.0, 12.0), r(20.0, 23.0)], 28.0, 0.4, true));
        let toks = [
            tok(" 您好", 0.2, 0.8),
            tok("，", 0.8, 1.0),
            tok("請問", 2.5, 3.0),
            tok("貴姓", 3.0, 3.6),
        ];
        let got = place(&w, 0.1, 3.9, &toks);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].text, "您好，");
        assert!((got[0].start - 10.1).abs() < 1e-9);
        assert!((got[0].end - 11.0).abs() < 1e-9);
        assert_eq!(got[1].text, "請問貴姓");
        assert!((got[1].start - 20.1).abs() < 1e-9);
        assert!((got[1].end - 21.5).abs() < 1e-9);
    }

    #[test]
    fn a_clause_is_never_cut_even_when_a_token_time_drifts_into_the_next_piece() {
        let w = one(plan(&[r(10.0, 12.0), r(20.0, 23.0)], 28.0, 0.4, true));
        let toks = [
            tok("請問", 0.2, 0.9),
            tok("貴姓", 0.9, 1.7),
            tok("大名", 1.7, 2.6), // drifted past the gap
            tok("？", 2.6, 2.7),
            tok("好", 2.9, 3.3),
        ];
        let got = place(&w, 0.2, 3.3, &toks);
        let texts: Vec<&str> = got.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["請問貴姓大名？", "好"]);
        assert!((got[0].start - 10.2).abs() < 1e-9);
        assert!((got[0].end - 12.0).abs() < 1e-9);
        assert!((got[1].start - 20.5).abs() < 1e-9);
    }

    #[test]
    fn sentences_become_separate_parts_with_their_own_times() {
        let w = one(plan(&[r(10.0, 20.0)], 28.0, 0.4, true));
        let toks = [
            tok(" Okay,", 0.5, 1.0),
            tok(" thanks.", 1.0, 1.6),
            tok(" Mr.", 2.0, 2.3),
            tok(" Chen", 2.3, 2.6),
            tok(" speaking!", 2.6, 3.2),
            tok("再見。", 3.5, 4.0),
        ];
        let got = place(&w, 0.4, 4.1, &toks);
        let texts: Vec<&str> = got.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["Okay, thanks.", "Mr. Chen speaking!", "再見。"]);
        let times: Vec<(f64, f64)> = got.iter().map(|p| (p.start, p.end)).collect();
        assert_eq!(times, [(10.4, 11.6), (12.0, 13.2), (13.5, 14.1)]);
    }

    #[test]
    fn a_clock_time_split_into_tokens_is_not_cut_at_its_dot() {
        let w = one(plan(&[r(10.0, 20.0)], 28.0, 0.4, true));
        let toks = [
            tok(" from", 0.5, 0.8),
            tok(" 8", 0.8, 1.0),
            tok(".", 1.0, 1.1),
            tok("30", 1.1, 1.4),
            tok(" to", 1.4, 1.6),
            tok(" 5:", 1.6, 1.8),
            tok("30.", 1.8, 2.2),
            tok(" Bye.", 2.5, 2.8),
        ];
        let got = place(&w, 0.4, 2.9, &toks);
        let texts: Vec<&str> = got.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["from 8.30 to 5:30.", "Bye."]);
    }

    #[test]
    fn a_character_split_across_tokens_stays_whole() {
        let w = one(plan(&[r(0.0, 1.0), r(5.0, 6.0)], 28.0, 0.4, true));
        let bytes = "好".as_bytes();
        let toks = [
            TimedToken {
                bytes: bytes[..2].to_vec(),
                start: 0.5,
                end: 0.9,
                p: 0.8,
            },
            TimedToken {
                bytes: bytes[2..].to_vec(),
                start: 1.5,
                end: 1.6,
                p: 0.4,
            },
            tok("的", 1.6, 1.9),
        ];
        let got = place(&w, 0.5, 1.9, &toks);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].text, "好的");
        // The split character is one piece, as sure as its least sure part.
        let pieces: Vec<(&str, f32)> = got[0]
            .tokens
            .iter()
            .map(|t| (t.text.as_str(), t.p))
            .collect();
        assert_eq!(pieces, [("好", 0.4), ("的", 0.9)]);
        // 0.5..1.9 overlaps the second piece more (0.5 s vs 0.5 s: ties go to the earlier).
        assert!((got[0].start - 0.5).abs() < 1e-9, "{got:?}");
    }

    #[test]
    fn long_spans_are_cut_at_the_quietest_point() {
        let rate = SAMPLE_RATE as usize;
        let mut track = vec![0.5f32; rate * 40];
        for x in &mut track[rate * 25..rate * 25 + rate / 10] {
            *x = 0.0;
        }
        let got = split_long(&[r(0.0, 40.0)], 28.0, &track);
        assert_eq!(got.len(), 2);
        assert!((25.0..=25.1).contains(&got[0].end), "cut at {}", got[0].end);
        assert_eq!(got[1].end, 40.0);
    }
}
