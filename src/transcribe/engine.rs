//! The Whisper engine: one shared model, one decoding state per call.

use super::Segment;
use super::guard::{self, LoopVerdict};
use super::merge;
use super::pack::{self, TimedToken, Window};
use super::settings::{Sampling, TranscribeSettings};
use super::traditional::to_traditional;
use crate::audio::{AudioFacts, CallAudio, Region, SAMPLE_RATE, Speaker};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::Instant;
use thiserror::Error;
use whisper_rs::{
    FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters, WhisperError,
    WhisperState,
};

/// What went wrong while loading the model or transcribing, worded for whoever runs the tool.
#[derive(Debug, Error)]
pub enum TranscribeError {
    #[error(
        "Whisper model {path} not found: put the ggml model file there (or point CALLGRADE_MODELS at the folder holding it)"
    )]
    ModelMissing { path: PathBuf },
    #[error(
        "Whisper could not load {path} ({source}): the file is not a valid ggml Whisper model; convert it again"
    )]
    ModelLoad { path: PathBuf, source: WhisperError },
    /// Caught before whisper.cpp sees the file: it aborts the process on a damaged model.
    #[error("the Whisper model cannot be used: {problem}. To fix it, {advice}")]
    ModelDamaged {
        problem: crate::model::ModelError,
        advice: String,
    },
    #[error("transcription settings are invalid: {}", .0.join("; "))]
    Settings(Vec<String>),
    #[error("language '{0}' is not supported: use \"zh\" (Mandarin) or \"en\" (English)")]
    Language(String),
    #[error(
        "model {path} only knows English but the call is in '{language}': use a multilingual model such as ggml-base.bin"
    )]
    EnglishOnlyModel { path: PathBuf, language: String },
    #[error("the initial prompt contains a NUL character; remove it")]
    Prompt,
    #[error("Whisper failed while {what}: {source}")]
    Whisper {
        what: &'static str,
        source: WhisperError,
    },
    #[error("{0}")]
    Conversion(String),
}

/// What to transcribe a call as.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// "zh" (Mandarin; output in Traditional characters) or "en".
    pub language: String,
    /// Extra prompt text, appended after the language's base prompt (e.g. a scenario's key
    /// terms when retrying a call whose first transcript was poor). It applies to every
    /// window. Words put here are more likely to be "heard"; keep it to terms, not sentences
    /// a rubric looks for.
    pub initial_prompt: Option<String>,
    /// Threads this call may use. The caller keeps workers × threads within the core count.
    /// On a busy 2-core machine one thread per call was 1.7–4× faster than two (whisper.cpp's
    /// threads spin-wait for each other), so prefer more workers with one thread each.
    pub threads: usize,
}

impl Request {
    /// A request with no extra prompt.
    pub fn new(language: &str, threads: usize) -> Request {
        Request {
            language: language.to_string(),
            initial_prompt: None,
            threads,
        }
    }

    /// A hex digest of what in the request changes the transcript (not `threads`).
    pub fn fingerprint(&self) -> String {
        let mut hash = Sha256::new();
        hash.update(self.language.as_bytes());
        hash.update([0]);
        hash.update(self.initial_prompt.as_deref().unwrap_or("").as_bytes());
        hex::encode(hash.finalize())
    }
}

/// How trustworthy a transcript looks, so the caller can retry a bad call (other settings,
/// temperature, or scenario terms in `Request::initial_prompt`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    /// A repetition loop was found (and dropped or trimmed).
    pub looped: bool,
    /// Share of decoded letters that were invented or dropped as loops (0..=1).
    pub garbage_ratio: f64,
    /// Segments marked invented (kept in the transcript).
    pub invented: usize,
    /// Segments dropped because they were mostly a loop.
    pub dropped_loops: usize,
    /// Mean probability of the decoded tokens kept (0..=1; 0 when nothing was decoded).
    pub mean_token_probability: f64,
    /// Whisper runs (packed windows) made.
    pub windows: usize,
    /// Seconds of call audio decoded (both channels, gaps excluded).
    pub speech_seconds: f64,
    /// Wall-clock seconds spent in Whisper.
    pub elapsed_seconds: f64,
    /// Stretches of speech Whisper skipped in its first pass and heard again on their own.
    #[serde(default)]
    pub reheard: usize,
}

impl Quality {
    /// True when the transcript is bad enough that a retry with other settings is worth it.
    pub fn is_bad(&self) -> bool {
        self.looped || self.garbage_ratio > 0.3
    }
}

/// A call's transcript: segments of both parties on one time line, sorted by start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    pub segments: Vec<Segment>,
    pub quality: Quality,
}

/// A loaded Whisper model plus the settings it runs with. Share it between threads (it is
/// `Send + Sync`); each `transcribe` call makes its own decoding state.
pub struct Transcriber {
    ctx: WhisperContext,
    settings: TranscribeSettings,
    model_path: PathBuf,
}

/// One side of a call being transcribed, and how.
struct Heard<'a> {
    speaker: Speaker,
    track: &'a [f32],
    /// All the side's speech (what a segment must overlap not to be invented).
    regions: &'a [Region],
    language: &'a str,
    prompt_tokens: &'a [i32],
    request: &'a Request,
    fit_encoder: bool,
}

/// Letters kept and set aside, and token probabilities, over a whole call.
#[derive(Default)]
struct Tally {
    kept_weight: usize,
    bad_weight: usize,
    p_sum: f64,
    p_count: usize,
}

/// One decoded segment before guards and conversion.
struct Raw {
    start: f64,
    end: f64,
    text: String,
    no_speech: f32,
    /// Mean probability of the Whisper segment's tokens (shared by all its placed parts).
    mean_p: f64,
    /// The segment's token count and probability sum, carried by its first part only so a
    /// split segment is not counted twice in [`Quality::mean_token_probability`].
    tokens: usize,
    token_p_sum: f64,
    /// This part's tokens with their probabilities.
    pieces: Vec<super::Token>,
}

impl Transcriber {
    /// Loads the ggml model at `model_path`.
    pub fn new(
        model_path: &Path,
        settings: TranscribeSettings,
    ) -> Result<Transcriber, TranscribeError> {
        let problems = settings.problems();
        if !problems.is_empty() {
            return Err(TranscribeError::Settings(problems));
        }
        if !model_path.is_file() {
            return Err(TranscribeError::ModelMissing {
                path: model_path.to_path_buf(),
            });
        }
        crate::model::inspect_ggml(model_path).map_err(|problem| {
            TranscribeError::ModelDamaged {
                problem,
                advice: crate::model::repair_advice(model_path),
            }
        })?;
        // Route whisper.cpp's console chatter away from the user's terminal.
        whisper_rs::install_logging_hooks();
        super::heap::return_large_blocks();
        let mut params = WhisperContextParameters::default();
        params.flash_attn(settings.flash_attention);
        let ctx = WhisperContext::new_with_params(model_path, params).map_err(|source| {
            TranscribeError::ModelLoad {
                path: model_path.to_path_buf(),
                source,
            }
        })?;
        Ok(Transcriber {
            ctx,
            settings,
            model_path: model_path.to_path_buf(),
        })
    }

    /// The settings this transcriber runs with.
    pub fn settings(&self) -> &TranscribeSettings {
        &self.settings
    }

    /// True when the model can transcribe languages other than English.
    pub fn is_multilingual(&self) -> bool {
        self.ctx.is_multilingual()
    }

    /// Transcribes a call: each party's speech regions (from `audio.facts.speech`) packed into
    /// windows, decoded, mapped back to the call's time line, guarded, and merged. A party with
    /// no speech regions yields no segments.
    pub fn transcribe(
        &self,
        audio: &CallAudio,
        request: &Request,
    ) -> Result<Transcript, TranscribeError> {
        self.transcribe_regions(audio, &audio.facts, request, self.settings.fit_encoder)
    }

    /// Transcribes only the staff's speech (in mono, the call's) measured between `start` and
    /// `end` seconds: a stretch to hear again with its own prompt, e.g. where a phrase was
    /// expected and not found. Segments are on the call's time line.
    ///
    /// The encoder runs only over the stretch's audio (see [`TranscribeSettings::fit_encoder`]),
    /// whatever the settings say: a stretch is a few seconds, and a full 30 s encoder pass for
    /// it cost as much as a whole window of the first pass, about a quarter of a labelled
    /// set's time. A stretch's text is kept only when it settles its verdict and moves no
    /// other, and on the labelled sets every verdict and confidence came out the same.
    pub fn transcribe_stretch(
        &self,
        audio: &CallAudio,
        start: f64,
        end: f64,
        request: &Request,
    ) -> Result<Transcript, TranscribeError> {
        let facts = AudioFacts {
            speech: audio.facts.staff_speech_in(start, end),
            whole_side: Vec::new(),
            ..audio.facts.clone()
        };
        self.transcribe_regions(audio, &facts, request, true)
    }

    /// [`Transcriber::transcribe`] of the regions `facts` gives (`audio.facts` or a part),
    /// the encoder shortened to each window when `fit_encoder`.
    fn transcribe_regions(
        &self,
        audio: &CallAudio,
        facts: &AudioFacts,
        request: &Request,
        fit_encoder: bool,
    ) -> Result<Transcript, TranscribeError> {
        let language = match request.language.as_str() {
            "zh" | "en" => request.language.as_str(),
            other => return Err(TranscribeError::Language(other.to_string())),
        };
        if language != "en" && !self.ctx.is_multilingual() {
            return Err(TranscribeError::EnglishOnlyModel {
                path: self.model_path.clone(),
                language: language.to_string(),
            });
        }
        let base = if language == "zh" {
            &self.settings.zh_prompt
        } else {
            &self.settings.en_prompt
        };
        let prompt = [Some(base.as_str()), request.initial_prompt.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let prompt_tokens = if prompt.is_empty() {
            Vec::new()
        } else {
            // Room for one token per byte: whisper-rs mishandles a too-small buffer.
            self.ctx
                .tokenize(&prompt, prompt.len() + 1)
                .map_err(|e| match e {
                    WhisperError::NullByteInString { .. } => TranscribeError::Prompt,
                    source => TranscribeError::Whisper {
                        what: "reading the initial prompt",
                        source,
                    },
                })?
        };

        let started = Instant::now();
        let mut state = self
            .ctx
            .create_state()
            .map_err(|source| TranscribeError::Whisper {
                what: "preparing a decoding state (out of memory?)",
                source,
            })?;

        let sides: Vec<(Speaker, &[f32])> = match &audio.caller {
            Some(caller) => vec![(Speaker::Staff, &audio.staff), (Speaker::Caller, caller)],
            None => vec![(Speaker::Unknown, &audio.staff)],
        };
        let mono = audio.caller.is_none();
        let mut quality = Quality::default();
        let mut tally = Tally::default();
        let mut per_side = Vec::new();
        for (speaker, track) in sides {
            let regions: Vec<Region> = facts.spans_to_transcribe(speaker, mono);
            let duration = track.len() as f64 / SAMPLE_RATE as f64;
            let heard = Heard {
                speaker,
                track,
                regions: &regions,
                language,
                prompt_tokens: &prompt_tokens,
                request,
                fit_encoder,
            };
            let mut segments = self.hear(
                &mut state,
                &heard,
                &regions,
                duration,
                &mut quality,
                &mut tally,
            )?;
            // Whisper now and then ends a window early (an end of text after a pause, or
            // after a line it misheard) and never decodes the speech after it: the rest of
            // an answer, lost without a trace. Speech left untouched is heard again on its
            // own, once.
            let kept: Vec<Region> = segments
                .iter()
                .filter(|seg| !seg.invented)
                .map(Segment::span)
                .collect();
            let lost = guard::untouched(&facts.speech_of(speaker, mono), &kept);
            if !lost.is_empty() {
                quality.reheard += lost.len();
                segments.extend(self.hear(
                    &mut state,
                    &heard,
                    &lost,
                    duration,
                    &mut quality,
                    &mut tally,
                )?);
                segments.sort_by(|a, b| a.start.total_cmp(&b.start));
            }
            if merge::mark_repeated_runs(&mut segments) > 0 {
                quality.looped = true;
            }
            for seg in &segments {
                let w = guard::weight(&seg.text);
                if seg.invented {
                    quality.invented += 1;
                    tally.bad_weight += w;
                } else {
                    tally.kept_weight += w;
                }
            }
            per_side.push(segments);
        }
        let total = tally.kept_weight + tally.bad_weight;
        quality.garbage_ratio = if total > 0 {
            tally.bad_weight as f64 / total as f64
        } else {
            0.0
        };
        quality.mean_token_probability = if tally.p_count > 0 {
            tally.p_sum / tally.p_count as f64
        } else {
            0.0
        };
        quality.elapsed_seconds = started.elapsed().as_secs_f64();
        Ok(Transcript {
            segments: merge::merge(per_side),
            quality,
        })
    }

    /// Transcribes `spans` of one side (regions of speech, padded, joined and packed into
    /// windows), guarding each segment: loops trimmed or dropped, text where `heard.regions`
    /// hold no speech or that Whisper itself doubted marked invented.
    fn hear(
        &self,
        state: &mut WhisperState,
        heard: &Heard,
        spans: &[Region],
        duration: f64,
        quality: &mut Quality,
        tally: &mut Tally,
    ) -> Result<Vec<Segment>, TranscribeError> {
        let s = &self.settings;
        let spans = pack::spans(spans, s.region_pad_seconds, s.pack_gap_seconds, duration);
        let spans = pack::split_long(&spans, s.pack_max_seconds, heard.track);
        let windows = pack::plan(&spans, s.pack_max_seconds, s.pack_gap_seconds, s.pack);
        let mut segments = Vec::new();
        for window in &windows {
            quality.windows += 1;
            quality.speech_seconds += window.speech_len();
            let raws = self.decode_window(
                state,
                window,
                heard.track,
                heard.prompt_tokens,
                heard.request,
                heard.fit_encoder,
            )?;
            for raw in raws {
                let text = if heard.language == "zh" && s.zh_traditional {
                    to_traditional(&raw.text).map_err(TranscribeError::Conversion)?
                } else {
                    raw.text
                };
                let w = guard::weight(&text);
                let text = match guard::check_loop(&text) {
                    LoopVerdict::Clean => text,
                    LoopVerdict::Trimmed(t) => {
                        quality.looped = true;
                        tally.bad_weight += w - guard::weight(&t);
                        t
                    }
                    LoopVerdict::Drop => {
                        quality.looped = true;
                        quality.dropped_loops += 1;
                        tally.bad_weight += w;
                        continue;
                    }
                };
                let unheard = !heard.regions.is_empty()
                    && guard::speech_overlap(raw.start, raw.end, heard.regions)
                        < s.min_speech_overlap;
                let unsure = raw.no_speech > s.no_speech_threshold
                    && raw.mean_p < s.min_token_probability as f64;
                let invented = guard::is_known_hallucination(&text) || unheard || unsure;
                if !invented {
                    tally.p_sum += raw.token_p_sum;
                    tally.p_count += raw.tokens;
                }
                segments.push(Segment {
                    speaker: heard.speaker,
                    start: raw.start,
                    end: raw.end,
                    text,
                    invented,
                    tokens: raw.pieces,
                });
            }
        }
        Ok(segments)
    }

    /// Runs Whisper on one packed window (the encoder shortened to it when `fit_encoder`) and
    /// places its segments on the call time line.
    fn decode_window(
        &self,
        state: &mut WhisperState,
        window: &Window,
        track: &[f32],
        prompt_tokens: &[i32],
        request: &Request,
        fit_encoder: bool,
    ) -> Result<Vec<Raw>, TranscribeError> {
        let samples = window.samples(track);
        if samples.is_empty() {
            return Ok(Vec::new());
        }
        let s = &self.settings;
        let strategy = match s.sampling {
            Sampling::Greedy { best_of } => SamplingStrategy::Greedy {
                best_of: best_of as i32,
            },
            Sampling::Beam { beam_size } => SamplingStrategy::BeamSearch {
                beam_size: beam_size as i32,
                patience: -1.0,
            },
        };
        let mut params = FullParams::new(strategy);
        params.set_n_threads(request.threads.max(1) as i32);
        // Checked by `transcribe_regions`.
        params.set_language(Some(request.language.as_str()));
        params.set_translate(false);
        params.set_no_context(s.no_context);
        // Timestamps stay on: without them whisper.cpp's output degrades badly.
        params.set_no_timestamps(false);
        params.set_token_timestamps(true);
        params.set_print_special(false);
        params.set_print_progress(false);
        params.set_print_realtime(false);
        params.set_print_timestamps(false);
        params.set_suppress_nst(s.suppress_non_speech);
        params.set_suppress_blank(s.suppress_blank);
        params.set_temperature(s.temperature);
        params.set_temperature_inc(s.temperature_increment);
        params.set_entropy_thold(s.entropy_threshold);
        params.set_logprob_thold(s.logprob_threshold);
        params.set_no_speech_thold(s.no_speech_threshold);
        if !prompt_tokens.is_empty() {
            params.set_tokens(prompt_tokens);
        }
        if fit_encoder {
            params.set_audio_ctx(encoder_positions(samples.len()));
        }
        state
            .full(params, &samples)
            .map_err(|source| TranscribeError::Whisper {
                what: "decoding audio",
                source,
            })?;

        let eot = self.ctx.token_eot();
        let mut out = Vec::new();
        for seg in state.as_iter() {
            let mut tokens = Vec::new();
            let mut p_sum = 0.0;
            for i in 0..seg.n_tokens() {
                let Some(tok) = seg.get_token(i) else {
                    continue;
                };
                if tok.token_id() >= eot {
                    continue; // timestamps and other special tokens
                }
                let data = tok.token_data();
                p_sum += data.p as f64;
                tokens.push(TimedToken {
                    bytes: tok.to_bytes().map(<[u8]>::to_vec).unwrap_or_default(),
                    start: data.t0 as f64 / 100.0,
                    end: data.t1 as f64 / 100.0,
                    p: data.p,
                });
            }
            let n = tokens.len();
            let seg_start = seg.start_timestamp() as f64 / 100.0;
            let seg_end = seg.end_timestamp() as f64 / 100.0;
            let placed = pack::place(window, seg_start, seg_end, &tokens);
            let mean_p = if n > 0 { p_sum / n as f64 } else { 0.0 };
            for (i, p) in placed.into_iter().enumerate() {
                out.push(Raw {
                    start: p.start,
                    end: p.end,
                    text: p.text,
                    no_speech: seg.no_speech_probability(),
                    mean_p,
                    pieces: p.tokens,
                    tokens: if i == 0 { n } else { 0 },
                    token_p_sum: if i == 0 { p_sum } else { 0.0 },
                });
            }
        }
        for i in 0..out.len() {
            let prev = i.checked_sub(1).map(|j| (out[j].start, out[j].end));
            let next_start = out.get(i + 1).map(|r| r.start);
            let letters = guard::weight(&out[i].text);
            (out[i].start, out[i].end) =
                window.uncollapse(out[i].start, out[i].end, letters, prev, next_start);
        }
        Ok(out)
    }
}

/// Encoder positions per second of audio: whisper.cpp's 1500 positions span 30 s.
const POSITIONS_PER_SECOND: usize = 50;
/// Whisper's full encoder input, positions.
const FULL_POSITIONS: usize = 1500;
/// Positions of padding silence kept after a window's audio (1.28 s). With none the model,
/// trained on inputs that end in padding, tends to cut off or invent the last words;
/// whisper.cpp issue 1951 found at least 32 extra positions needed with stock models.
const TAIL_POSITIONS: usize = 64;

/// The whisper.cpp `audio_ctx` (encoder positions) that holds `samples` of 16 kHz audio and a
/// silent tail, rounded up to a multiple of 64 (so window lengths that differ slightly share
/// a graph size); 0 (whisper.cpp's full 1500) when that would not be shorter.
pub fn encoder_positions(samples: usize) -> i32 {
    let needed = samples.div_ceil(SAMPLE_RATE as usize / POSITIONS_PER_SECOND);
    let positions = (needed + TAIL_POSITIONS).next_multiple_of(64);
    if positions >= FULL_POSITIONS {
        0
    } else {
        positions as i32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_encoder_fits_the_window_with_a_silent_tail() {
        let second = SAMPLE_RATE as usize;
        // 10 s = 500 positions, + 64 tail = 564, up to 576.
        assert_eq!(encoder_positions(10 * second), 576);
        // One sample more needs one position more, still within 576.
        assert_eq!(encoder_positions(10 * second + 1), 576);
        // 10.24 s = 512 positions exactly: 576; one sample more: 640.
        assert_eq!(encoder_positions(10 * second + 3840), 576);
        assert_eq!(encoder_positions(10 * second + 3841), 640);
        // A very short window still gets the tail.
        assert_eq!(encoder_positions(1), 128);
        // The longest shortened encoder: 28.16 s = 1408 positions + tail = 1472.
        assert_eq!(encoder_positions(28 * second + 2560), 1472);
        // Beyond that nothing is saved: the full encoder.
        assert_eq!(encoder_positions(28 * second + 2561), 0);
        assert_eq!(encoder_positions(30 * second), 0);
    }

    #[test]
    fn one_transcriber_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Transcriber>();
    }

    #[test]
    fn a_missing_model_says_where_to_put_it() {
        let err = Transcriber::new(Path::new("/nonexistent/ggml-base.bin"), Default::default())
            .err()
            .unwrap();
        let msg = err.to_string();
        assert!(msg.contains("/nonexistent/ggml-base.bin") && msg.contains("CALLGRADE_MODELS"));
    }

    #[test]
    fn loops_or_much_garbage_ask_for_a_retry() {
        assert!(!Quality::default().is_bad());
        let looped = Quality {
            looped: true,
            ..Default::default()
        };
        assert!(looped.is_bad());
        let garbage = Quality {
            garbage_ratio: 0.5,
            ..Default::default()
        };
        assert!(garbage.is_bad());
    }

    #[test]
    fn request_fingerprint_ignores_threads_only() {
        let a = Request::new("zh", 1);
        assert_eq!(a.fingerprint(), Request::new("zh", 4).fingerprint());
        assert_ne!(a.fingerprint(), Request::new("en", 1).fingerprint());
        let prompted = Request {
            initial_prompt: Some("停車場".into()),
            ..a.clone()
        };
        assert_ne!(a.fingerprint(), prompted.fingerprint());
    }
}
