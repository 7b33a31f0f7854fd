//! Which of two voices speaks when in a mono call's speech regions.
//!
//! A mono test call mixes the staff member and the test caller on one channel, and the
//! transcript alone cannot always tell whose words are whose. Their voices differ, though,
//! and a trained speaker encoder ([`super::dvector`]) says how: the d-vectors of two
//! stretches of one voice lie close together, whatever the words. The speech finder's
//! regions do not follow turns (one region often holds a question and its answer), so:
//!
//! 1. the regions are covered with short overlapping windows ([`WINDOW_S`] every
//!    [`HOP_S`]), each with its d-vector;
//! 2. the windows are split into two voices by weighted 2-means (cosine, as the encoder
//!    was trained): every window gets a score, +1 where it sounds like voice 1's centre,
//!    -1 like voice 0's;
//! 3. every 20 ms step of a region takes the mean score of the windows over it, and inside
//!    each region the most likely sequence of voices is found by Viterbi, a change of voice
//!    costing [`SWITCH`]: the cuts fall where the voice really changes, not at window
//!    edges. The centres are re-fitted to the windows that lie inside one stretch and this
//!    is repeated;
//! 4. each stretch of one voice gets a confidence: its mean score towards its voice, shrunk
//!    when it is short or the two voices are hardly apart (a call where one voice does all
//!    the talking).
//!
//! Pure signal processing on the 16 kHz samples and the regions given: nothing here knows
//! how the regions were found, or which voice is the staff's (scoring decides that from the
//! first voice after pickup and the transcript).

use serde::{Deserialize, Serialize};

use super::dvector::{STEP, VoiceEncoder};
use super::{SAMPLE_RATE, SpeechRegion};

/// Which of the call's two voices speaks in a stretch of a speech region.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct VoiceTag {
    pub start: f64,
    pub end: f64,
    /// 0 or 1. The numbers only group stretches; voice 0 is the voice of the first stretch
    /// that could be measured, not a party.
    pub voice: u8,
    /// 0..=1: how clearly the stretch belongs to its voice (0: cannot tell).
    pub confidence: f64,
}

/// Windows last this long: the length of the stretches the encoder was trained on (shorter
/// ones were less sure on the pyannote sample: 0.8 s grouped 0.88 of it right, 1.6 s 0.89 and,
/// on its telephone-band copy, 0.67 against 0.90).
const WINDOW_S: f64 = 1.6;
/// A window starts about this long after the one before: every moment lies in two windows.
/// Half the hop grouped the same share right and cost twice as much.
const HOP_S: f64 = 0.8;
/// Shortest window: a region shorter than this is embedded with the audio around it (the
/// encoder says little about less).
const MIN_WINDOW_S: f64 = 0.5;
/// Steps of the Viterbi pass.
const FRAME_S: f64 = 0.02;
/// Cost of a change of voice inside a region, in nats, a step scoring at most 1 either way:
/// a change needs about 0.2 s that sound like the other voice. The window scores are
/// already smooth (each step averages two 1.6 s windows), so this only keeps a step or two
/// of doubt from cutting a turn; 3 to 25 grouped the same.
const SWITCH: f64 = 6.0;
/// Rounds of re-fitting the centres to the windows inside one stretch.
const ROUNDS: usize = 3;
/// A stretch this long (in seconds) is trusted fully; a shorter one in proportion.
const FULL_S: f64 = 1.0;
/// Cosine between the two voices' centres at which they count as clearly apart
/// ([`APART`]) or not at all ([`NOT_APART`]). Two halves of one voice sat at 0.79 to 0.91
/// on the bundled calls' single channels (short calls: few windows), the pyannote sample's
/// two men at 0.86, the bundled calls' two voices at 0.60 (English) and 0.79 (Mandarin):
/// a call whose centres are close is not trusted fully.
const APART: f64 = 0.75;
const NOT_APART: f64 = 0.92;
/// A first guess whose smaller group holds less than this share of the speech time is a
/// few odd windows, not a voice, when a more even split exists.
const MIN_SHARE: f64 = 0.1;

/// One window: its region, first sample and length in samples.
#[derive(Debug, Clone, Copy)]
struct Window {
    region: usize,
    start: usize,
    len: usize,
}

/// Voice groups of a mono call's speech regions: tags in time order covering the regions,
/// one per stretch of one voice inside a region. Without two measurable stretches, or
/// without the speaker encoder (`run` refuses mono calls then, saying how to install it),
/// every region is voice 0 with confidence 0: scoring then goes by the transcript alone.
pub fn voice_tags(samples16k: &[f32], regions: &[SpeechRegion]) -> Vec<VoiceTag> {
    match VoiceEncoder::installed() {
        Ok(encoder) => tags_with(encoder, samples16k, regions),
        Err(_) => unknown(regions),
    }
}

fn unknown(regions: &[SpeechRegion]) -> Vec<VoiceTag> {
    regions
        .iter()
        .map(|r| VoiceTag {
            start: r.start,
            end: r.end,
            voice: 0,
            confidence: 0.0,
        })
        .collect()
}

fn samples(s: f64) -> usize {
    (s.max(0.0) * f64::from(SAMPLE_RATE)).round() as usize
}

/// Windows over every region: as many [`WINDOW_S`] windows as cover it at about [`HOP_S`]
/// apart, the last ending at its end; a shorter region is one window of its own length,
/// widened to [`MIN_WINDOW_S`] around its middle. Lengths are whole spectrogram steps.
fn windows(regions: &[SpeechRegion], total: usize) -> Vec<Window> {
    let win = samples(WINDOW_S) / STEP * STEP;
    let min = samples(MIN_WINDOW_S) / STEP * STEP;
    let hop = samples(HOP_S);
    let mut out = Vec::new();
    for (k, r) in regions.iter().enumerate() {
        let (a, b) = (samples(r.start).min(total), samples(r.end).min(total));
        let n = b.saturating_sub(a);
        if n >= win {
            let count = (n - win).div_ceil(hop) + 1;
            for i in 0..count {
                let start = if count == 1 {
                    a
                } else {
                    a + (n - win) * i / (count - 1)
                };
                out.push(Window {
                    region: k,
                    start,
                    len: win,
                });
            }
        } else {
            let len = (n / STEP * STEP).max(min);
            let start = (a + n / 2)
                .saturating_sub(len / 2)
                .min(total.saturating_sub(len));
            out.push(Window {
                region: k,
                start,
                len,
            });
        }
    }
    out
}

/// D-vectors of the windows, in their order.
fn embed(encoder: &VoiceEncoder, x: &[f32], windows: &[Window]) -> Vec<Vec<f64>> {
    let stretches: Vec<(usize, usize)> = windows.iter().map(|w| (w.start, w.len)).collect();
    encoder
        .embed(x, &stretches)
        .iter()
        .map(|e| e.iter().map(|&v| f64::from(v)).collect())
        .collect()
}

/// The steps: d-vectors, 2-means, then rounds of Viterbi and re-fitted centres.
fn tags_with(encoder: &VoiceEncoder, x: &[f32], regions: &[SpeechRegion]) -> Vec<VoiceTag> {
    let wins = windows(regions, x.len());
    if wins.len() < 2 {
        return unknown(regions);
    }
    let e = embed(encoder, x, &wins);
    let weights: Vec<f64> = wins.iter().map(|w| w.len as f64).collect();
    let Some(first) = two_means(&e, &weights) else {
        return unknown(regions);
    };
    let grid = Grid::new(regions);
    let mut fit = Fit::of(&e, &weights, &first);
    let mut score = grid.scores(&wins, &fit.score);
    let mut steps = grid.viterbi(&score);
    for _ in 1..ROUNDS {
        // Windows inside one stretch re-fit the centres; those over a change are left out.
        let (labels, pure): (Vec<u8>, Vec<f64>) = wins
            .iter()
            .zip(&weights)
            .map(|(w, &wt)| grid.voice_of(w, &steps).map_or((0, 0.0), |v| (v, wt)))
            .unzip();
        let both = (0..2u8).all(|v| (0..wins.len()).any(|i| labels[i] == v && pure[i] > 0.0));
        if !both {
            break;
        }
        fit = Fit::of(&e, &pure, &labels);
        score = grid.scores(&wins, &fit.score);
        steps = grid.viterbi(&score);
    }
    grid.tags(&steps, &score, fit.separation, regions)
}

/// How the windows sit against two voice centres.
struct Fit {
    /// Per window: +1 at voice 1's centre, -1 at voice 0's.
    score: Vec<f64>,
    /// 0..=1: how far apart the two voices are against their own spread.
    separation: f64,
}

impl Fit {
    /// Scores against the weighted centres of the windows `labels` puts in each voice.
    fn of(e: &[Vec<f64>], w: &[f64], labels: &[u8]) -> Fit {
        let unit = |v: &Vec<f64>| {
            let n = dot(v, v).sqrt().max(1e-12);
            v.iter().map(|x| x / n).collect::<Vec<f64>>()
        };
        let [c0, c1] = centres(e, w, labels);
        let (u0, u1) = (unit(&c0), unit(&c1));
        let cos = dot(&u0, &u1);
        let gap = (1.0 - cos).max(1e-6);
        let score = e
            .iter()
            .map(|v| (dot(v, &u1) - dot(v, &u0)) / gap)
            .collect();
        let separation = ((NOT_APART - cos) / (NOT_APART - APART)).clamp(0.0, 1.0);
        Fit { score, separation }
    }
}

/// The 20 ms steps of every region.
struct Grid {
    /// (region, start time) per step, in time order.
    steps: Vec<(usize, f64)>,
    /// Step index range per region.
    ranges: Vec<std::ops::Range<usize>>,
}

impl Grid {
    fn new(regions: &[SpeechRegion]) -> Grid {
        let mut steps = Vec::new();
        let mut ranges = Vec::new();
        for (k, r) in regions.iter().enumerate() {
            let a = steps.len();
            let n = ((r.end - r.start) / FRAME_S).ceil().max(1.0) as usize;
            steps.extend((0..n).map(|i| (k, r.start + i as f64 * FRAME_S)));
            ranges.push(a..steps.len());
        }
        Grid { steps, ranges }
    }

    fn len(&self) -> usize {
        self.steps.len()
    }

    /// Step indices a window covers (inside its region).
    fn covered(&self, w: &Window) -> std::ops::Range<usize> {
        let range = self.ranges[w.region].clone();
        let t0 = w.start as f64 / f64::from(SAMPLE_RATE);
        let t1 = (w.start + w.len) as f64 / f64::from(SAMPLE_RATE);
        let first = range.start
            + self.steps[range.clone()]
                .iter()
                .take_while(|s| s.1 + FRAME_S <= t0)
                .count();
        let last = range.start
            + self.steps[range.clone()]
                .iter()
                .take_while(|s| s.1 < t1)
                .count();
        first..last.max(first)
    }

    /// Mean window score over each step (0 where no window lies).
    fn scores(&self, wins: &[Window], score: &[f64]) -> Vec<f64> {
        let mut sum = vec![0.0; self.len()];
        let mut n = vec![0.0; self.len()];
        for (w, s) in wins.iter().zip(score) {
            for t in self.covered(w) {
                sum[t] += s;
                n[t] += 1.0;
            }
        }
        sum.iter()
            .zip(&n)
            .map(|(s, n)| if *n > 0.0 { s / n } else { 0.0 })
            .collect()
    }

    /// The voice of every step of a window when they are all one, else `None`.
    fn voice_of(&self, w: &Window, frames: &[u8]) -> Option<u8> {
        let r = self.covered(w);
        let first = *frames.get(r.start)?;
        frames[r].iter().all(|&v| v == first).then_some(first)
    }

    /// The likeliest voice of every step, each region on its own.
    fn viterbi(&self, score: &[f64]) -> Vec<u8> {
        let mut out = vec![0u8; self.len()];
        for range in self.ranges.iter().filter(|r| !r.is_empty()) {
            let (i, j) = (range.start, range.end);
            let mut best = [0.0f64; 2];
            let mut back: Vec<[u8; 2]> = Vec::with_capacity(j - i);
            for &s in &score[i..j] {
                let gain = [-s, s];
                let mut next = [0.0; 2];
                let mut from = [0u8; 2];
                for v in 0..2 {
                    let stay = best[v];
                    let change = best[1 - v] - SWITCH;
                    (next[v], from[v]) = if stay >= change {
                        (stay, v as u8)
                    } else {
                        (change, (1 - v) as u8)
                    };
                    next[v] += gain[v];
                }
                best = next;
                back.push(from);
            }
            let mut v = u8::from(best[1] > best[0]);
            for t in (i..j).rev() {
                out[t] = v;
                v = back[t - i][usize::from(v)];
            }
        }
        out
    }

    /// Tags for the runs of one voice in each region, voice 0 being the first run's.
    fn tags(
        &self,
        frames: &[u8],
        score: &[f64],
        separation: f64,
        regions: &[SpeechRegion],
    ) -> Vec<VoiceTag> {
        let mut out = Vec::new();
        for (k, range) in self.ranges.iter().enumerate() {
            let r = &regions[k];
            let mut a = range.start;
            for t in range.start + 1..=range.end {
                if t == range.end || frames[t] != frames[a] {
                    let v = frames[a];
                    let sign = if v == 1 { 1.0 } else { -1.0 };
                    let n = (t - a) as f64;
                    let margin =
                        (score[a..t].iter().map(|s| sign * s).sum::<f64>() / n).clamp(0.0, 1.0);
                    let reliability = (n * FRAME_S / FULL_S).min(1.0);
                    let start = if a == range.start {
                        r.start
                    } else {
                        self.steps[a].1
                    };
                    let end = if t == range.end {
                        r.end
                    } else {
                        self.steps[t].1
                    };
                    out.push(VoiceTag {
                        start,
                        end,
                        voice: v,
                        confidence: ((margin * separation * reliability) * 1000.0).round() / 1000.0,
                    });
                    a = t;
                }
            }
        }
        if out.first().is_some_and(|t| t.voice == 1) {
            for t in &mut out {
                t.voice = 1 - t.voice;
            }
        }
        out
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
fn dist(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).powi(2))
        .sum::<f64>()
        .sqrt()
}

/// Weighted centres of the two groups (items labelled otherwise are left out).
fn centres(v: &[Vec<f64>], w: &[f64], voice: &[u8]) -> [Vec<f64>; 2] {
    let dims = v.first().map_or(0, Vec::len);
    let mut c = [vec![0.0; dims], vec![0.0; dims]];
    for (k, centre) in c.iter_mut().enumerate() {
        let members: Vec<usize> = (0..v.len())
            .filter(|&i| usize::from(voice[i]) == k && w[i] > 0.0)
            .collect();
        let wsum: f64 = members.iter().map(|&i| w[i]).sum();
        if wsum > 0.0 {
            for (d, x) in centre.iter_mut().enumerate() {
                *x = members.iter().map(|&i| v[i][d] * w[i]).sum::<f64>() / wsum;
            }
        }
    }
    c
}

/// Items tried as seeds, the heaviest first: enough for any call's turns, and it bounds
/// the pairs tried.
const MAX_SEEDS: usize = 24;

/// Weighted 2-means from one pair of seeds: (labels, weighted squared error, share of the
/// weight in the smaller group).
fn lloyd(v: &[Vec<f64>], w: &[f64], seeds: (usize, usize)) -> (Vec<u8>, f64, f64) {
    let mut c = [v[seeds.0].clone(), v[seeds.1].clone()];
    let mut voice = vec![0u8; v.len()];
    for round in 0..20 {
        let next: Vec<u8> = v
            .iter()
            .map(|x| u8::from(dist(x, &c[1]) < dist(x, &c[0])))
            .collect();
        if round > 0 && next == voice {
            break;
        }
        voice = next;
        c = centres(v, w, &voice);
    }
    let sse = (0..v.len())
        .map(|i| w[i] * dist(&v[i], &c[usize::from(voice[i])]).powi(2))
        .sum();
    let total: f64 = w.iter().sum::<f64>().max(1e-9);
    let ones: f64 = (0..v.len()).filter(|&i| voice[i] == 1).map(|i| w[i]).sum();
    (voice, sse, ones.min(total - ones) / total)
}

/// Weighted 2-means, the best of every pair of the heaviest items as seeds. A split whose
/// smaller group is under [`MIN_SHARE`] of the weight loses to any more even one: a few odd
/// blocks (a cough, a laugh) are far from everything else and would otherwise be the
/// cheapest split.
fn two_means(v: &[Vec<f64>], w: &[f64]) -> Option<Vec<u8>> {
    let mut usable: Vec<usize> = (0..v.len()).filter(|&i| w[i] > 0.0).collect();
    usable.sort_by(|&a, &b| w[b].total_cmp(&w[a]));
    usable.truncate(MAX_SEEDS);
    let mut best: Option<(Vec<u8>, f64, f64)> = None;
    for (k, &a) in usable.iter().enumerate() {
        for &b in &usable[k + 1..] {
            if dist(&v[a], &v[b]) <= 1e-9 {
                continue;
            }
            let run = lloyd(v, w, (a, b));
            let even = |x: &(Vec<u8>, f64, f64)| x.2 >= MIN_SHARE;
            let better = best
                .as_ref()
                .is_none_or(|x| (even(&run), -run.1) > (even(x), -x.1));
            if better {
                best = Some(run);
            }
        }
    }
    best.map(|b| b.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moment_of_the_other_voice_stays_in_the_turn_but_a_new_turn_is_followed() {
        let regions: Vec<SpeechRegion> = [(0.0, 4.2), (5.0, 9.0)]
            .iter()
            .map(|&(start, end)| SpeechRegion {
                start,
                end,
                speaker: super::super::Speaker::Unknown,
            })
            .collect();
        let grid = Grid::new(&regions);
        // Region 0: voice 0, a 0.1 s blip of voice 1 in the middle. Region 1: voice 0 for
        // 2 s, then voice 1, the scores only half sure.
        let score: Vec<f64> = (0..grid.len())
            .map(|t| match grid.steps[t] {
                (0, time) if (2.0..2.1).contains(&time) => 1.0,
                (0, _) => -1.0,
                (_, time) if time < 7.0 => -0.5,
                _ => 0.5,
            })
            .collect();
        let steps = grid.viterbi(&score);
        let tags = grid.tags(&steps, &score, 1.0, &regions);
        let spans: Vec<(f64, f64, u8)> = tags.iter().map(|t| (t.start, t.end, t.voice)).collect();
        assert_eq!(spans.len(), 3, "{spans:?}");
        assert_eq!(spans[0], (0.0, 4.2, 0));
        assert_eq!(spans[1].2, 0);
        assert!((spans[1].1 - 7.0).abs() < 0.03, "{spans:?}");
        assert_eq!((spans[2].1, spans[2].2), (9.0, 1));
        // Sure of the clean stretches, less of the half-sure ones.
        assert!(
            tags[0].confidence > 0.8 && tags[1].confidence < 0.6,
            "{tags:?}"
        );
    }
}
