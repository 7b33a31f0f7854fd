//! Which of two voices speaks when in a mono call's speech regions.
//!
//! A mono test call mixes the staff member and the test caller on one channel, and the
//! transcript alone cannot always tell whose words are whose. Their voices differ, though.
//! The speech finder's regions do not follow turns (one region often holds a question and
//! its answer), so voices are found frame by frame, not region by region:
//!
//! 1. every 20 ms step gets a pitch and a mel cepstrum ([`super::voice_frames`]),
//!    normalised over the call so the line's colour and level cancel out;
//! 2. the regions are cut into blocks of about a second, and the blocks split into two
//!    groups by weighted 2-means (a block's pitch median and mean cepstrum): a first guess;
//! 3. each group becomes a Gaussian (one shared spread), and inside each region the most
//!    likely sequence of voices is found by Viterbi, a change of voice costing
//!    [`SWITCH`]: the boundaries move to where the voice really changes. The groups are
//!    re-fitted to the new frames and this is repeated a few times;
//! 4. each stretch of one voice gets a confidence: the margin between its distances to the
//!    two voices, shrunk when it is short or the two voices are hardly apart (a call where
//!    one voice does all the talking).
//!
//! Pure signal processing on the 16 kHz samples and the regions given: nothing here knows
//! how the regions were found, or which voice is the staff's (scoring decides that from the
//! first voice after pickup and the transcript).

use serde::{Deserialize, Serialize};

use std::ops::Range;

use super::SpeechRegion;
use super::voice_frames::{CEPS, Frame, HOP_S, decimate, frames};

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

/// Feature dimensions: pitch, then the cepstrum.
const DIMS: usize = 1 + CEPS;
/// The pitch weighs this much more than any cepstral coefficient: it is what separates two
/// voices best on a narrow telephone band, while a short call's cepstrum says as much about
/// the words as about the voice (at 2, two similar Mandarin voices were grouped by what
/// they said; 3 to 5 did best on the bundled demo calls).
const PITCH_WEIGHT: f64 = 3.0;
/// Normalised features are clipped to this many standard deviations: one odd frame (a
/// pitch halved, a click) must not pull a voice's mean.
const CLIP: f64 = 3.0;
/// First-guess blocks are about this long: long enough for a voice's average over a few
/// words, short enough that most hold one voice (the Viterbi rounds then move the cuts).
const BLOCK_S: f64 = 1.0;
/// Cost of a change of voice inside a region, in nats. With [`FRAME_CAP`] a change needs at
/// least 0.6 s of frames that all sound like the other voice, and a stretch of the other
/// voice inside a turn twice that: a voice's own pitch moves a lot within a sentence (a
/// question's rise, a Mandarin tone), and cheaper changes cut turns at every rise.
const SWITCH: f64 = 60.0;
/// Most evidence one frame can give, in nats: one odd frame is not a change of voice.
const FRAME_CAP: f64 = 2.0;
/// Rounds of re-fitting the voices to the frames Viterbi gave them.
const ROUNDS: usize = 3;
/// Voiced frames a stretch needs before its confidence is trusted fully (1 s of voicing).
const FULL_VOICED: f64 = 50.0;
/// Gap between the two voices' centres against their spread at which they count as
/// clearly apart ([`APART`]) or not at all ([`NOT_APART`]; one voice cut in two leaves
/// them about one spread apart). Measured on the bundled and labelled calls: a man and a
/// woman sit 3 to 23 spreads apart, two similar voices 1.2 to 2.5, and there grouping was
/// right on only 0.67 to 0.97 of the speech time, so it must not be fully trusted.
const APART: f64 = 2.4;
const NOT_APART: f64 = 1.0;
/// A first guess whose smaller group holds less than this share of the speech time is a
/// few odd blocks, not a voice, when a more even split exists.
const MIN_SHARE: f64 = 0.1;

/// Voice groups of a mono call's speech regions: tags in time order covering the regions,
/// one per stretch of one voice inside a region. Without two measurable stretches every
/// region is voice 0 with confidence 0.
pub fn voice_tags(samples16k: &[f32], regions: &[SpeechRegion]) -> Vec<VoiceTag> {
    let x = decimate(samples16k);
    let mut fr = frames(&x, regions);
    normalise(&mut fr);
    let ranges = region_ranges(&fr, regions);
    let labels = first_guess(&fr, &ranges).map(|mut labels| {
        for _ in 0..ROUNDS {
            let Some(model) = Model::fit(&fr, &labels) else {
                break;
            };
            labels = model.viterbi(&fr, &ranges);
        }
        labels
    });
    let Some(labels) = labels else {
        return regions
            .iter()
            .map(|r| VoiceTag {
                start: r.start,
                end: r.end,
                voice: 0,
                confidence: 0.0,
            })
            .collect();
    };
    tag_stretches(&fr, &labels, &ranges, regions)
}

/// A frame's features as one vector; `None` where not measured.
fn vector(f: &Frame) -> [Option<f64>; DIMS] {
    let mut v = [None; DIMS];
    v[0] = f.pitch;
    if let Some(c) = f.ceps {
        for (o, x) in v[1..].iter_mut().zip(c) {
            *o = Some(x);
        }
    }
    v
}

/// Every feature standardised over the call's frames (so the line's colour, which shifts
/// both voices alike, cancels out) and clipped to [`CLIP`].
fn normalise(fr: &mut [Frame]) {
    for d in 0..DIMS {
        let vals: Vec<f64> = fr.iter().filter_map(|f| vector(f)[d]).collect();
        if vals.len() < 2 {
            continue;
        }
        let n = vals.len() as f64;
        let mean = vals.iter().sum::<f64>() / n;
        let sd = (vals.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n)
            .sqrt()
            .max(1e-9);
        let z = |v: f64| ((v - mean) / sd).clamp(-CLIP, CLIP);
        for f in fr.iter_mut() {
            if d == 0 {
                f.pitch = f.pitch.map(z);
            } else if let Some(c) = f.ceps.as_mut() {
                c[d - 1] = z(c[d - 1]);
            }
        }
    }
}

/// Summary of a run of frames: pitch median and mean cepstrum, the pitch weighted by
/// [`PITCH_WEIGHT`]; `None` when the run has too few measured frames. Also its voiced
/// frames.
fn summary(fr: &[Frame]) -> (Option<Vec<f64>>, usize) {
    let mut pitches: Vec<f64> = fr.iter().filter_map(|f| f.pitch).collect();
    let ceps: Vec<&[f64; CEPS]> = fr.iter().filter_map(|f| f.ceps.as_ref()).collect();
    let voiced = pitches.len();
    if ceps.len() < 5 {
        return (None, voiced);
    }
    pitches.sort_by(f64::total_cmp);
    let mut v = vec![if voiced >= 5 {
        PITCH_WEIGHT * pitches[voiced / 2]
    } else {
        0.0
    }];
    for d in 0..CEPS {
        v.push(ceps.iter().map(|c| c[d]).sum::<f64>() / ceps.len() as f64);
    }
    (Some(v), voiced)
}

/// Frame index ranges of each region, in order (a region too short for a frame has none).
fn region_ranges(fr: &[Frame], regions: &[SpeechRegion]) -> Vec<Range<usize>> {
    let mut out = vec![0..0; regions.len()];
    let mut i = 0;
    while i < fr.len() {
        let k = fr[i].region;
        let j = i + fr[i..].iter().take_while(|f| f.region == k).count();
        out[k] = i..j;
        i = j;
    }
    out
}

/// First voice of every frame: the regions cut into blocks of about [`BLOCK_S`], the blocks
/// split by 2-means. `None` without two measurable blocks that differ.
fn first_guess(fr: &[Frame], ranges: &[Range<usize>]) -> Option<Vec<u8>> {
    let mut blocks = Vec::new();
    for range in ranges.iter().cloned() {
        let n = range.len();
        let pieces = ((n as f64 * HOP_S / BLOCK_S).round() as usize).max(1);
        for p in 0..pieces {
            blocks.push(range.start + n * p / pieces..range.start + n * (p + 1) / pieces);
        }
    }
    let summaries: Vec<Option<Vec<f64>>> =
        blocks.iter().map(|b| summary(&fr[b.clone()]).0).collect();
    let vectors: Vec<Vec<f64>> = summaries
        .iter()
        .map(|s| s.clone().unwrap_or_else(|| vec![0.0; DIMS]))
        .collect();
    let weights: Vec<f64> = blocks
        .iter()
        .zip(&summaries)
        .map(|(b, s)| if s.is_some() { b.len() as f64 } else { 0.0 })
        .collect();
    let labels = two_means(&standardised(vectors, &weights), &weights)?;
    let mut out = vec![0u8; fr.len()];
    for (b, &v) in blocks.iter().zip(&labels) {
        out[b.clone()].fill(v);
    }
    Some(out)
}

/// Every dimension of the summaries standardised over the call (weighted) and weighted
/// again ([`PITCH_WEIGHT`] for the pitch, 1 for the rest): the cepstrum's block means vary
/// less than single frames, and their spread must not decide how much they count.
fn standardised(mut v: Vec<Vec<f64>>, w: &[f64]) -> Vec<Vec<f64>> {
    let wsum: f64 = w.iter().sum();
    if wsum <= 0.0 {
        return v;
    }
    for d in 0..v.first().map_or(0, Vec::len) {
        let mean = v.iter().zip(w).map(|(x, w)| x[d] * w).sum::<f64>() / wsum;
        let var = v
            .iter()
            .zip(w)
            .map(|(x, w)| (x[d] - mean).powi(2) * w)
            .sum::<f64>()
            / wsum;
        let sd = var.sqrt().max(1e-6);
        let scale = if d == 0 { PITCH_WEIGHT } else { 1.0 };
        for x in &mut v {
            x[d] = (scale * (x[d] - mean) / sd).clamp(-CLIP * scale, CLIP * scale);
        }
    }
    v
}

/// Two voices as Gaussians with one shared spread per dimension.
struct Model {
    mean: [[f64; DIMS]; 2],
    /// 1 / (2 variance), times the dimension's weight.
    scale: [f64; DIMS],
}

impl Model {
    /// The voices of the frames as labelled; `None` when one voice has no measured frames.
    fn fit(fr: &[Frame], labels: &[u8]) -> Option<Model> {
        let mut mean = [[0.0; DIMS]; 2];
        let mut scale = [0.0; DIMS];
        for d in 0..DIMS {
            let mut sum = [0.0f64; 2];
            let mut n = [0.0f64; 2];
            for (f, &k) in fr.iter().zip(labels) {
                if let Some(x) = vector(f)[d] {
                    sum[usize::from(k)] += x;
                    n[usize::from(k)] += 1.0;
                }
            }
            if d > 0 && (n[0] < 5.0 || n[1] < 5.0) {
                return None;
            }
            for k in 0..2 {
                mean[k][d] = sum[k] / n[k].max(1.0);
            }
            let var = fr
                .iter()
                .zip(labels)
                .filter_map(|(f, &k)| vector(f)[d].map(|x| (x - mean[usize::from(k)][d]).powi(2)))
                .sum::<f64>()
                / (n[0] + n[1]).max(1.0);
            let weight = if d == 0 {
                PITCH_WEIGHT * PITCH_WEIGHT
            } else {
                1.0
            };
            scale[d] = weight / (2.0 * var.max(1e-3));
        }
        Some(Model { mean, scale })
    }

    /// How much more the frame sounds like voice 1 than voice 0, in nats (0 for a pause),
    /// at most [`FRAME_CAP`] either way.
    fn llr(&self, f: &Frame) -> f64 {
        let sum: f64 = vector(f)
            .iter()
            .enumerate()
            .filter_map(|(d, x)| {
                x.map(|x| {
                    self.scale[d] * ((x - self.mean[0][d]).powi(2) - (x - self.mean[1][d]).powi(2))
                })
            })
            .sum();
        sum.clamp(-FRAME_CAP, FRAME_CAP)
    }

    /// The likeliest voice of every frame, each region on its own (a pause between regions
    /// is where turns change anyway), a change of voice inside a region costing [`SWITCH`].
    fn viterbi(&self, fr: &[Frame], regions: &[Range<usize>]) -> Vec<u8> {
        let mut out = vec![0u8; fr.len()];
        for range in regions.iter().filter(|r| !r.is_empty()) {
            let (i, j) = (range.start, range.end);
            // score[s]: best log-likelihood of the frames so far ending in voice s.
            let mut score = [0.0f64; 2];
            let mut back: Vec<[u8; 2]> = Vec::with_capacity(j - i);
            for f in &fr[i..j] {
                let gain = [0.0, self.llr(f)];
                let mut next = [0.0; 2];
                let mut from = [0u8; 2];
                for s in 0..2 {
                    let stay = score[s];
                    let switch = score[1 - s] - SWITCH;
                    (next[s], from[s]) = if stay >= switch {
                        (stay, s as u8)
                    } else {
                        (switch, (1 - s) as u8)
                    };
                    next[s] += gain[s];
                }
                score = next;
                back.push(from);
            }
            let mut s = u8::from(score[1] > score[0]);
            for t in (i..j).rev() {
                out[t] = s;
                s = back[t - i][usize::from(s)];
            }
        }
        out
    }
}

/// Tags for the runs of one voice in each region, voice 0 being the first measured run's;
/// a region without frames takes the voice of the tag before it, with no confidence.
fn tag_stretches(
    fr: &[Frame],
    labels: &[u8],
    ranges: &[Range<usize>],
    regions: &[SpeechRegion],
) -> Vec<VoiceTag> {
    // (region, frame range, voice)
    let mut runs: Vec<(usize, Range<usize>, u8)> = Vec::new();
    for (k, range) in ranges.iter().cloned().enumerate() {
        if range.is_empty() {
            runs.push((k, range, u8::MAX));
            continue;
        }
        let mut a = range.start;
        for t in range.start + 1..=range.end {
            if t == range.end || labels[t] != labels[a] {
                runs.push((k, a..t, labels[a]));
                a = t;
            }
        }
    }
    let summaries: Vec<(Option<Vec<f64>>, usize)> = runs
        .iter()
        .map(|(_, r, _)| summary(&fr[r.clone()]))
        .collect();
    let voices: Vec<u8> = runs.iter().map(|r| r.2).collect();
    let vectors: Vec<Vec<f64>> = summaries
        .iter()
        .map(|s| s.0.clone().unwrap_or_else(|| vec![0.0; DIMS]))
        .collect();
    let weights: Vec<f64> = runs
        .iter()
        .zip(&summaries)
        .map(|((_, r, _), s)| if s.0.is_some() { r.len() as f64 } else { 0.0 })
        .collect();
    let fit = Labels::of(&vectors, &weights, &voices);
    let flip = runs
        .iter()
        .zip(&weights)
        .find(|(r, w)| r.2 != u8::MAX && **w > 0.0)
        .is_some_and(|(r, _)| r.2 == 1);
    let mut out: Vec<VoiceTag> = Vec::new();
    for (i, (k, range, voice)) in runs.iter().enumerate() {
        let r = &regions[*k];
        let start = if range.start == 0 || fr[range.start - 1].region != *k {
            r.start
        } else {
            fr[range.start].time
        };
        let end = if range.end >= fr.len() || fr[range.end].region != *k {
            r.end
        } else {
            fr[range.end].time
        };
        let (voice, confidence) = if *voice == u8::MAX {
            (out.last().map_or(0, |t| t.voice), 0.0)
        } else {
            let reliability = (summaries[i].1 as f64 / FULL_VOICED).min(1.0);
            let sure = if weights[i] > 0.0 {
                fit.margin[i] * fit.separation * reliability
            } else {
                0.0
            };
            (if flip { 1 - voice } else { *voice }, sure)
        };
        out.push(VoiceTag {
            start,
            end,
            voice,
            confidence: (confidence * 1000.0).round() / 1000.0,
        });
    }
    out
}

/// Two groups of summaries and how clearly each belongs to its own.
struct Labels {
    margin: Vec<f64>,
    /// 0..=1: how far apart the two groups are against their own spread.
    separation: f64,
}

impl Labels {
    /// Centres, margins and separation of the groups `voice` gives (weighted; a group with
    /// no weight has its centre at the origin).
    fn of(v: &[Vec<f64>], w: &[f64], voice: &[u8]) -> Labels {
        let c = centres(v, w, voice);
        let own = |i: usize| usize::from(voice[i]).min(1);
        let margin: Vec<f64> = (0..v.len())
            .map(|i| {
                let near = dist(&v[i], &c[own(i)]);
                let other = dist(&v[i], &c[1 - own(i)]);
                ((other - near) / (other + near).max(1e-9)).clamp(0.0, 1.0)
            })
            .collect();
        let wsum: f64 = w.iter().sum::<f64>().max(1e-9);
        let spread = ((0..v.len())
            .map(|i| w[i] * dist(&v[i], &c[own(i)]).powi(2))
            .sum::<f64>()
            / wsum)
            .sqrt();
        let gap = dist(&c[0], &c[1]);
        let separation =
            ((gap / spread.max(1e-9) - NOT_APART) / (APART - NOT_APART)).clamp(0.0, 1.0);
        Labels { margin, separation }
    }
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

    /// `n` frames of region `region` that sound like voice `v` (features at ±1).
    fn frames_of(region: usize, v: u8, n: usize) -> Vec<Frame> {
        let x = if v == 0 { -1.0 } else { 1.0 };
        (0..n)
            .map(|_| Frame {
                region,
                time: 0.0,
                pitch: Some(x),
                ceps: Some([x; CEPS]),
            })
            .collect()
    }

    #[test]
    fn a_moment_of_the_other_voice_stays_in_the_turn_but_a_new_turn_is_followed() {
        let mut fr = frames_of(0, 0, 100);
        fr.extend(frames_of(0, 1, 10));
        fr.extend(frames_of(0, 0, 100));
        fr.extend(frames_of(1, 0, 100));
        fr.extend(frames_of(1, 1, 100));
        let truth: Vec<u8> = [(0u8, 210usize), (0, 100), (1, 100)]
            .iter()
            .flat_map(|&(v, n)| std::iter::repeat_n(v, n))
            .collect();
        let regions: Vec<SpeechRegion> = (0..2)
            .map(|k| SpeechRegion {
                start: k as f64,
                end: k as f64 + 1.0,
                speaker: super::super::Speaker::Unknown,
            })
            .collect();
        let ranges = region_ranges(&fr, &regions);
        // Fitted on the frames' own voices, so the 10 odd frames pull towards voice 1.
        let mut own = truth.clone();
        own[100..110].fill(1);
        let model = Model::fit(&fr, &own).unwrap();
        assert_eq!(model.viterbi(&fr, &ranges), truth);
    }
}
