//! Which of two voices speaks in each speech region of a mono call.
//!
//! A mono test call mixes the staff member and the test caller on one channel, and the
//! transcript alone cannot always tell whose words are whose. Their voices differ, though:
//! each region gets a few cheap features (pitch median and spread by autocorrelation, and
//! LPC cepstral means for the shape of the spectrum), and the call's regions are split into
//! two groups by weighted 2-means. Each region gets a group number and a confidence, the
//! margin between its distances to the two groups, shrunk when the region is short or the
//! two groups are hardly apart (a call where one voice does all the talking).
//!
//! Pure signal processing on the 16 kHz samples and the regions given: nothing here knows
//! how the regions were found, or which voice is the staff's (scoring decides that from the
//! first voice after pickup and the transcript).

use serde::{Deserialize, Serialize};

use super::{SAMPLE_RATE, SpeechRegion};

/// Which of the call's two voices speaks in a stretch of a speech region.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct VoiceTag {
    pub start: f64,
    pub end: f64,
    /// 0 or 1. The numbers only group regions; voice 0 is the voice of the first region that
    /// could be measured, not a party.
    pub voice: u8,
    /// 0..=1: how clearly the region belongs to its voice (0: cannot tell).
    pub confidence: f64,
}

/// Features are measured at 8 kHz: telephone speech has nothing above 4 kHz, and half the
/// rate halves the autocorrelation work.
const RATE: usize = SAMPLE_RATE as usize / 2;
/// 40 ms analysis frames (two periods of a 50 Hz voice), every 20 ms.
const FRAME: usize = RATE / 25;
const HOP: usize = RATE / 50;
/// Pitch search range: 60-400 Hz covers adult voices.
const MIN_LAG: usize = RATE / 400;
const MAX_LAG: usize = RATE / 60;
/// A frame is voiced when its normalised autocorrelation peak is at least this.
const VOICED: f64 = 0.7;
/// Frames more than this far below the region's loudest frame are pauses inside it.
const GATE_DB: f64 = 30.0;
const LPC_ORDER: usize = 10;
/// Cepstral coefficients kept (c1..=CEPS).
const CEPS: usize = 8;
/// Voiced frames a region needs before its pitch is trusted fully (1 s of voicing).
const FULL_VOICED: f64 = 50.0;
/// The pitch median weighs this much more than any other feature: it is what separates
/// two voices best on a narrow telephone band.
const PITCH_WEIGHT: f64 = 2.0;

/// Per-region measurements; `pitch` is `None` without enough voiced frames.
#[derive(Debug, Clone)]
struct Features {
    pitch: Option<(f64, f64)>,
    ceps: Option<[f64; CEPS]>,
    voiced: usize,
}

/// Regions longer than this may hold both voices (the speech finder bridges a short gap
/// between turns): they are cut into pieces of about [`PIECE_S`] at their quietest frames,
/// each piece grouped on its own, and neighbouring pieces of one voice joined again.
const SPLIT_ABOVE_S: f64 = 8.0;
const PIECE_S: f64 = 2.0;

/// Voice groups of a mono call's speech regions: tags in time order covering the regions,
/// one per region or, for a long region, one per stretch of one voice. Fewer than two
/// measurable stretches give voice 0 with confidence 0.
pub fn voice_tags(samples16k: &[f32], regions: &[SpeechRegion]) -> Vec<VoiceTag> {
    let x = decimate(samples16k);
    let mut pieces: Vec<(usize, SpeechRegion)> = Vec::new();
    for (k, r) in regions.iter().enumerate() {
        for p in split(&x, r) {
            pieces.push((k, p));
        }
    }
    let spans: Vec<SpeechRegion> = pieces.iter().map(|p| p.1).collect();
    let feats: Vec<Features> = spans.iter().map(|r| measure(&x, r)).collect();
    let vectors = standardised(&feats, &spans);
    let weights: Vec<f64> = spans
        .iter()
        .zip(&feats)
        .map(|(r, f)| {
            if f.ceps.is_some() {
                (r.end - r.start).clamp(0.0, 5.0)
            } else {
                0.0
            }
        })
        .collect();
    let labels = two_means(&vectors, &weights);
    let mut out: Vec<(usize, VoiceTag)> = Vec::new();
    for (i, (k, r)) in pieces.iter().enumerate() {
        let (voice, confidence) = labels.as_ref().map_or((0, 0.0), |l| {
            let reliability = (feats[i].voiced as f64 / FULL_VOICED).min(1.0);
            (l.voice[i], l.margin[i] * l.separation * reliability)
        });
        let tag = VoiceTag {
            start: r.start,
            end: r.end,
            voice,
            confidence,
        };
        match out.last_mut() {
            // Pieces of one region and one voice are one stretch; its confidence is the
            // pieces' mean weighted by length.
            Some((pk, last)) if pk == k && last.voice == voice => {
                let (a, b) = (last.end - last.start, tag.end - tag.start);
                last.confidence = (last.confidence * a + tag.confidence * b) / (a + b).max(1e-9);
                last.end = tag.end;
            }
            _ => out.push((*k, tag)),
        }
    }
    out.into_iter()
        .map(|(_, mut t)| {
            t.confidence = (t.confidence * 1000.0).round() / 1000.0;
            t
        })
        .collect()
}

/// A region cut into pieces of about [`PIECE_S`], each cut at the quietest 20 ms frame
/// within a third of a piece of the even cut; short regions stay whole.
fn split(x: &[f64], r: &SpeechRegion) -> Vec<SpeechRegion> {
    let len = r.end - r.start;
    if len <= SPLIT_ABOVE_S {
        return vec![*r];
    }
    let n = (len / PIECE_S).round().max(2.0) as usize;
    let step = len / n as f64;
    let level = |t: f64| {
        let a = ((t * RATE as f64) as usize).min(x.len());
        let b = (a + HOP).min(x.len());
        x[a..b].iter().map(|v| v * v).sum::<f64>()
    };
    let mut cuts = vec![r.start];
    for i in 1..n {
        let even = r.start + step * i as f64;
        let window = step / 3.0;
        let frames = (2.0 * window * 50.0) as usize;
        let best = (0..=frames)
            .map(|j| even - window + j as f64 / 50.0)
            .min_by(|&a, &b| level(a).total_cmp(&level(b)))
            .unwrap_or(even);
        cuts.push(best);
    }
    cuts.push(r.end);
    cuts.windows(2)
        .map(|w| SpeechRegion {
            start: w[0],
            end: w[1],
            ..*r
        })
        .collect()
}

/// 16 kHz → 8 kHz with a short [1 3 3 1]/8 low-pass.
fn decimate(x: &[f32]) -> Vec<f64> {
    let at = |i: usize| f64::from(x.get(i).copied().unwrap_or(0.0));
    (0..x.len() / 2)
        .map(|k| {
            let i = 2 * k;
            let before = if i > 0 { at(i - 1) } else { 0.0 };
            (before + 3.0 * at(i) + 3.0 * at(i + 1) + at(i + 2)) / 8.0
        })
        .collect()
}

fn measure(x: &[f64], r: &SpeechRegion) -> Features {
    let a = ((r.start.max(0.0) * RATE as f64) as usize).min(x.len());
    let b = ((r.end.max(0.0) * RATE as f64) as usize).min(x.len());
    let seg = &x[a..b.max(a)];
    let frames: Vec<&[f64]> = (0..)
        .map(|k| k * HOP)
        .take_while(|&s| s + FRAME <= seg.len())
        .map(|s| &seg[s..s + FRAME])
        .collect();
    let energy: Vec<f64> = frames
        .iter()
        .map(|f| 10.0 * (f.iter().map(|v| v * v).sum::<f64>() / FRAME as f64 + 1e-12).log10())
        .collect();
    let loudest = energy.iter().copied().fold(f64::MIN, f64::max);
    let mut pitches = Vec::new();
    let mut ceps_sum = [0.0; CEPS];
    let mut n_ceps = 0usize;
    for (f, &e) in frames.iter().zip(&energy) {
        if e < loudest - GATE_DB {
            continue;
        }
        if let Some(p) = pitch_hz(f) {
            pitches.push(12.0 * (p / 100.0).log2());
        }
        if let Some(c) = lpc_cepstrum(f) {
            for (s, v) in ceps_sum.iter_mut().zip(c) {
                *s += v;
            }
            n_ceps += 1;
        }
    }
    let voiced = pitches.len();
    let pitch = (voiced >= 5).then(|| {
        pitches.sort_by(f64::total_cmp);
        let q = |p: f64| pitches[((voiced - 1) as f64 * p).round() as usize];
        (q(0.5), q(0.75) - q(0.25))
    });
    let ceps = (n_ceps >= 5).then(|| ceps_sum.map(|s| s / n_ceps as f64));
    Features {
        pitch,
        ceps,
        voiced,
    }
}

/// Pitch of one frame by normalised autocorrelation, or `None` when it is not voiced. The
/// best peak wins, or its half when that is nearly as strong, so a period is not taken for
/// its double.
fn pitch_hz(f: &[f64]) -> Option<f64> {
    let mean = f.iter().sum::<f64>() / f.len() as f64;
    let f: Vec<f64> = f.iter().map(|v| v - mean).collect();
    let n = f.len();
    let corr = |lag: usize| -> f64 {
        let (mut xy, mut xx, mut yy) = (0.0, 0.0, 0.0);
        for i in 0..n - lag {
            xy += f[i] * f[i + lag];
            xx += f[i] * f[i];
            yy += f[i + lag] * f[i + lag];
        }
        if xx <= 0.0 || yy <= 0.0 {
            0.0
        } else {
            xy / (xx * yy).sqrt()
        }
    };
    let r: Vec<f64> = (MIN_LAG - 1..=MAX_LAG + 1).map(corr).collect();
    let peaks: Vec<(usize, f64)> = (1..r.len() - 1)
        .filter(|&i| r[i] >= r[i - 1] && r[i] >= r[i + 1])
        .map(|i| (i + MIN_LAG - 1, r[i]))
        .collect();
    let &(mut lag, best) = peaks.iter().max_by(|a, b| a.1.total_cmp(&b.1))?;
    if best < VOICED {
        return None;
    }
    // A peak at half the lag nearly as strong is the true period (the best was its double).
    while let Some(&(half, _)) = peaks
        .iter()
        .find(|p| p.1 >= 0.9 * best && p.0.abs_diff(lag / 2) <= 1 + lag / 40)
    {
        lag = half;
    }
    Some(RATE as f64 / lag as f64)
}

/// c1..=CEPS of the LPC cepstrum of one pre-emphasised, Hamming-windowed frame.
fn lpc_cepstrum(f: &[f64]) -> Option<[f64; CEPS]> {
    let n = f.len();
    let w: Vec<f64> = (0..n)
        .map(|i| {
            let prev = if i > 0 { f[i - 1] } else { 0.0 };
            let ham = 0.54 - 0.46 * (2.0 * std::f64::consts::PI * i as f64 / (n - 1) as f64).cos();
            (f[i] - 0.97 * prev) * ham
        })
        .collect();
    let r: Vec<f64> = (0..=LPC_ORDER)
        .map(|lag| (0..n - lag).map(|i| w[i] * w[i + lag]).sum())
        .collect();
    if r[0] <= 1e-10 {
        return None;
    }
    // Levinson-Durbin: a[0] = 1, A(z) = 1 + sum a_k z^-k.
    let mut a = [0.0; LPC_ORDER + 1];
    a[0] = 1.0;
    let mut err = r[0] * (1.0 + 1e-9);
    for i in 1..=LPC_ORDER {
        let acc: f64 = (1..i).map(|j| a[j] * r[i - j]).sum::<f64>() + r[i];
        let k = -acc / err;
        let prev = a;
        for j in 1..i {
            a[j] = prev[j] + k * prev[i - j];
        }
        a[i] = k;
        err *= 1.0 - k * k;
        if err <= 0.0 {
            return None;
        }
    }
    let mut c = [0.0; CEPS + 1];
    for m in 1..=CEPS {
        let am = if m <= LPC_ORDER { a[m] } else { 0.0 };
        let sum: f64 = (1..m)
            .map(|k| (k as f64 / m as f64) * c[k] * if m - k <= LPC_ORDER { a[m - k] } else { 0.0 })
            .sum();
        c[m] = -am - sum;
    }
    let mut out = [0.0; CEPS];
    out.copy_from_slice(&c[1..]);
    Some(out)
}

/// Feature vectors with every dimension standardised over the call (duration-weighted);
/// a missing pitch becomes the call's mean pitch, which pulls towards neither voice.
fn standardised(feats: &[Features], regions: &[SpeechRegion]) -> Vec<Vec<f64>> {
    let raw: Vec<Vec<Option<f64>>> = feats
        .iter()
        .map(|f| {
            let mut v = vec![f.pitch.map(|p| p.0), f.pitch.map(|p| p.1)];
            v.extend((0..CEPS).map(|i| f.ceps.map(|c| c[i])));
            v
        })
        .collect();
    let dims = 2 + CEPS;
    let mut out = vec![vec![0.0; dims]; raw.len()];
    for d in 0..dims {
        let vals: Vec<(f64, f64)> = raw
            .iter()
            .zip(regions)
            .filter_map(|(v, r)| v[d].map(|x| (x, (r.end - r.start).clamp(0.1, 5.0))))
            .collect();
        let wsum: f64 = vals.iter().map(|v| v.1).sum();
        if wsum <= 0.0 {
            continue;
        }
        let mean = vals.iter().map(|v| v.0 * v.1).sum::<f64>() / wsum;
        let var = vals.iter().map(|v| (v.0 - mean).powi(2) * v.1).sum::<f64>() / wsum;
        let sd = var.sqrt().max(1e-6);
        let scale = if d == 0 { PITCH_WEIGHT } else { 1.0 };
        for (o, v) in out.iter_mut().zip(&raw) {
            o[d] = v[d].map_or(0.0, |x| scale * (x - mean) / sd);
        }
    }
    out
}

struct Labels {
    voice: Vec<u8>,
    margin: Vec<f64>,
    /// 0..=1: how far apart the two groups are against their own spread.
    separation: f64,
}

fn dist(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).powi(2))
        .sum::<f64>()
        .sqrt()
}

/// Regions tried as seeds, the longest first: enough for any call's turns, and it bounds
/// the pairs tried.
const MAX_SEEDS: usize = 24;

/// Weighted 2-means from one pair of seeds: (labels, centres, weighted squared error).
fn lloyd(v: &[Vec<f64>], w: &[f64], seeds: (usize, usize)) -> (Vec<u8>, [Vec<f64>; 2], f64) {
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
        for (k, centre) in c.iter_mut().enumerate() {
            let wsum: f64 = (0..v.len())
                .filter(|&i| usize::from(voice[i]) == k)
                .map(|i| w[i])
                .sum();
            if wsum > 0.0 {
                for (d, x) in centre.iter_mut().enumerate() {
                    *x = (0..v.len())
                        .filter(|&i| usize::from(voice[i]) == k)
                        .map(|i| v[i][d] * w[i])
                        .sum::<f64>()
                        / wsum;
                }
            }
        }
    }
    let sse = (0..v.len())
        .map(|i| w[i] * dist(&v[i], &c[usize::from(voice[i])]).powi(2))
        .sum();
    (voice, c, sse)
}

/// Weighted 2-means, the best of every pair of the longest regions as seeds (one pair can
/// seed a short odd region as a voice of its own).
fn two_means(v: &[Vec<f64>], w: &[f64]) -> Option<Labels> {
    let mut usable: Vec<usize> = (0..v.len()).filter(|&i| w[i] > 0.0).collect();
    let &first = usable.first()?;
    usable.sort_by(|&a, &b| w[b].total_cmp(&w[a]));
    usable.truncate(MAX_SEEDS);
    let mut best: Option<(Vec<u8>, [Vec<f64>; 2], f64)> = None;
    for (k, &a) in usable.iter().enumerate() {
        for &b in &usable[k + 1..] {
            if dist(&v[a], &v[b]) <= 1e-9 {
                continue;
            }
            let run = lloyd(v, w, (a, b));
            if best.as_ref().is_none_or(|x| run.2 < x.2) {
                best = Some(run);
            }
        }
    }
    let (mut voice, mut c, _) = best?;
    // Voice 0 is the first measurable region's.
    if voice[first] == 1 {
        voice.iter_mut().for_each(|x| *x = 1 - *x);
        c.swap(0, 1);
    }
    let margin: Vec<f64> = v
        .iter()
        .zip(&voice)
        .map(|(x, &k)| {
            let own = dist(x, &c[usize::from(k)]);
            let other = dist(x, &c[1 - usize::from(k)]);
            ((other - own) / (other + own).max(1e-9)).clamp(0.0, 1.0)
        })
        .collect();
    let wsum: f64 = w.iter().sum::<f64>().max(1e-9);
    let spread = ((0..v.len())
        .map(|i| w[i] * dist(&v[i], &c[usize::from(voice[i])]).powi(2))
        .sum::<f64>()
        / wsum)
        .sqrt();
    let gap = dist(&c[0], &c[1]);
    // Two voices sit clearly apart when their centres are twice the spread apart; one
    // voice cut in two leaves them about one spread apart.
    let separation = ((gap / spread.max(1e-9) - 0.8) / 1.2).clamp(0.0, 1.0);
    Some(Labels {
        voice,
        margin,
        separation,
    })
}
