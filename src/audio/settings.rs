//! Every knob of the audio stage in one place, with its default visible. The whole struct is
//! recorded with each run so a score can be reproduced.

use serde::{Deserialize, Serialize};

/// Settings for decoding, ringback detection and speech detection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AudioSettings {
    /// Largest recording accepted, in bytes (default 200 MB).
    pub max_bytes: u64,
    /// Longest recording accepted, in seconds (default 30 minutes).
    pub max_seconds: f64,
    /// What the ringback tone sounds like.
    pub ringback: RingbackSettings,
    /// How the speech detector's probabilities become speech regions.
    pub speech: SpeechSettings,
    /// Speech-band energy, used to check that the speech detector missed nothing.
    pub energy: EnergySettings,
}

impl Default for AudioSettings {
    fn default() -> Self {
        Self {
            max_bytes: 200 * 1024 * 1024,
            max_seconds: 30.0 * 60.0,
            ringback: RingbackSettings::default(),
            speech: SpeechSettings::default(),
            energy: EnergySettings::default(),
        }
    }
}

/// The ringback cadence the caller hears before pickup (North American / Taiwanese default:
/// 440 + 480 Hz, 1 s on, 2 s off).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RingbackSettings {
    /// Frequencies of the tone in Hz (one or two; all must be present together).
    pub freqs_hz: Vec<f64>,
    /// Length of one tone burst in seconds.
    pub on_seconds: f64,
    /// Silence between bursts in seconds.
    pub off_seconds: f64,
    /// Share of a frame's energy that must sit at the tone frequencies for the frame to count
    /// as ringback (0–1). Speech and noise spread their energy; a pure tone concentrates it.
    pub min_tone_ratio: f64,
    /// A burst shorter than this fraction of `on_seconds` is not a ring (a tone cut short by
    /// pickup still counts if it reaches this).
    pub min_burst_fraction: f64,
    /// A burst longer than this multiple of `on_seconds` is not ringback (e.g. a dial tone).
    pub max_burst_factor: f64,
    /// Frames quieter than this (dBFS, after peak normalisation) are never ringback.
    pub min_level_dbfs: f64,
}

impl Default for RingbackSettings {
    fn default() -> Self {
        Self {
            freqs_hz: vec![440.0, 480.0],
            on_seconds: 1.0,
            off_seconds: 2.0,
            min_tone_ratio: 0.6,
            min_burst_fraction: 0.4,
            max_burst_factor: 1.8,
            min_level_dbfs: -50.0,
        }
    }
}

/// Speech regions from the speech detector's (Silero VAD) probability per 32 ms frame, and
/// when to distrust them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SpeechSettings {
    /// A frame at or above this speech probability starts speech (0–1; above 1: never, which
    /// leaves every side to the coverage check).
    pub start_probability: f32,
    /// Speech continues while frames stay at or above this probability.
    pub continue_probability: f32,
    /// Speech ends after this long below `continue_probability` (seconds); shorter dips
    /// (between words, a breath) stay inside the region.
    pub min_silence_s: f64,
    /// Regions shorter than this are dropped as clicks and blips (seconds).
    pub min_speech_s: f64,
    /// Added before and after each region, so onsets and word endings the detector hears
    /// late are kept (seconds).
    pub pad_s: f64,
    /// The coverage check: a side whose speech-band energy the regions leave uncovered by
    /// more than `max_uncovered_s` and by more than this share is transcribed whole.
    pub min_energy_coverage: f64,
    /// Seconds of uncovered speech-band energy tolerated before the side is transcribed whole.
    pub max_uncovered_s: f64,
    /// The coverage check counts energy only in frames the detector scored at least this
    /// high: music and tones score near 0 (hold music in docs/real-speech.md's calls: under
    /// 0.1 in all but a few frames, 0.18 at most; real speech there, telephone band and line
    /// noise included: at least 0.1 in 86–100% of frames), so they are not taken for speech the
    /// detector missed. A stray frame of music above it adds 32 ms, far under `max_uncovered_s`.
    pub heard_probability: f32,
}

impl Default for SpeechSettings {
    fn default() -> Self {
        Self {
            start_probability: 0.5,
            continue_probability: 0.35,
            min_silence_s: 0.3,
            min_speech_s: 0.1,
            pad_s: 0.05,
            min_energy_coverage: 0.7,
            max_uncovered_s: 1.0,
            heard_probability: 0.1,
        }
    }
}

/// Speech-band (300–3400 Hz) energy against an adaptive noise floor: the check that the
/// speech detector lost nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EnergySettings {
    /// Analysis frame length in milliseconds.
    pub frame_ms: f64,
    /// A frame starts speech when its energy is this many dB above the noise floor.
    pub start_db: f64,
    /// Speech continues while frames stay this many dB above the noise floor.
    pub continue_db: f64,
    /// Frames quieter than this (dBFS, after peak normalisation) are never speech.
    pub min_level_dbfs: f64,
    /// The noise floor at a moment is a low percentile of frame energies within this many
    /// seconds either side, so it follows line noise that changes during the call.
    pub floor_window_s: f64,
    /// Which percentile of frame energies is taken as the noise floor (0–100).
    pub floor_percentile: f64,
    /// Speech is held this long after energy drops, so word endings are kept (seconds).
    pub hangover_s: f64,
    /// Regions separated by less than this are merged (seconds).
    pub merge_gap_s: f64,
    /// Regions shorter than this are dropped as clicks and blips (seconds).
    pub min_region_s: f64,
}

impl Default for EnergySettings {
    fn default() -> Self {
        Self {
            frame_ms: 20.0,
            start_db: 12.0,
            continue_db: 6.0,
            min_level_dbfs: -50.0,
            floor_window_s: 4.0,
            floor_percentile: 10.0,
            hangover_s: 0.15,
            merge_gap_s: 0.3,
            min_region_s: 0.15,
        }
    }
}
