//! Reading a recording into floating-point samples at its own rate.
//!
//! WAV files are checked by [`wav_header`](super::wav_header) first: PCM and float go to
//! `hound`, G.711 μ-law/A-law to `symphonia`. Everything else (FLAC, MP3, …) is probed by
//! `symphonia`. A WAV whose data chunk is shorter than its header says is refused as
//! truncated rather than decoded in part: a grader must not score half a call as the whole.
//! Likewise a FLAC or MP3 that decodes to less than its header declares (STREAMINFO, or a
//! Xing/Info/VBRI frame) lost audio to damage and is refused.

use std::io::Cursor;
use std::path::Path;

use symphonia::core::codecs::audio::AudioDecoderOptions;
use symphonia::core::errors::Error as SymError;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, TrackType};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;

use super::error::AudioError;
use super::open::read_recording;
use super::settings::AudioSettings;
use super::wav_header::{self, TAG_ALAW, TAG_FLOAT, TAG_MULAW, TAG_PCM, WavHeader};

/// A decoded recording: one sample vector per channel, at the file's own sample rate,
/// scaled to -1.0..=1.0.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub channels: Vec<Vec<f32>>,
    pub sample_rate: u32,
    /// Container and encoding, e.g. "WAV G.711 μ-law" or "FLAC".
    pub format: String,
}

impl Decoded {
    /// Number of sample frames (samples per channel).
    pub fn frames(&self) -> usize {
        self.channels.first().map_or(0, Vec::len)
    }

    /// Length in seconds.
    pub fn duration(&self) -> f64 {
        self.frames() as f64 / f64::from(self.sample_rate.max(1))
    }
}

/// Decode a WAV (PCM 8/16/24/32-bit, 32-bit float, G.711 μ-law/A-law), FLAC or MP3 file.
pub fn decode(path: &Path, settings: &AudioSettings) -> Result<Decoded, AudioError> {
    let file = path.to_path_buf();
    let bytes = read_recording(path, settings)?;

    let decoded = if wav_header::looks_like_wav(&bytes) {
        let header = wav_header::parse(path, &bytes)?;
        check_rate(path, header.sample_rate)?;
        check_length(path, header.seconds_in(header.data_declared), settings)?;
        match header.tag {
            TAG_PCM | TAG_FLOAT => decode_pcm_wav(path, bytes, &header)?,
            TAG_ALAW | TAG_MULAW => {
                let mut d = decode_with_symphonia(path, bytes, settings)?;
                d.format = format!("WAV {}", header.encoding_name());
                d
            }
            _ => {
                return Err(AudioError::Unsupported {
                    file,
                    detail: format!("WAV {}", header.encoding_name()),
                });
            }
        }
    } else if looks_like_text(&bytes) {
        return Err(AudioError::NotAudio {
            file,
            detail: "it contains text".to_string(),
        });
    } else if has_extension(path, "wav") {
        return Err(AudioError::NotAudio {
            file,
            detail: "it is named .wav but has no WAV header".to_string(),
        });
    } else {
        decode_with_symphonia(path, bytes, settings)?
    };

    if decoded.channels.is_empty() {
        return Err(AudioError::NoChannels { file });
    }
    if decoded.frames() == 0 {
        return Err(AudioError::NoSamples { file });
    }
    check_rate(path, decoded.sample_rate)?;
    check_length(path, decoded.duration(), settings)?;
    Ok(decoded)
}

/// Phone systems record at 8 kHz, recorders at up to 192 kHz. A rate outside that range is a
/// damaged header or not a recording, and its few samples would be graded as a call.
const RATES_HZ: std::ops::RangeInclusive<u32> = 4_000..=192_000;

fn check_rate(path: &Path, rate: u32) -> Result<(), AudioError> {
    if RATES_HZ.contains(&rate) {
        return Ok(());
    }
    Err(AudioError::SampleRate {
        file: path.to_path_buf(),
        rate,
    })
}

/// Decoded audio may fall this far short of the length the header declares (rounding of the
/// encoder's delay and padding); more is audio lost to damage.
const LENGTH_TOLERANCE_S: f64 = 0.1;

/// Whether an MP3 carries a Xing/Info/VBRI frame, which records its length. Without one,
/// symphonia estimates the length from the bitrate of the first frames, which is far off for
/// VBR, so only a tagged MP3 is held to its length (FLAC's STREAMINFO and WAV's data chunk are
/// exact).
fn mp3_has_length_tag(bytes: &[u8]) -> bool {
    // The tag sits in the first MPEG frame, right after any ID3v2 tag.
    let mut start = 0usize;
    if bytes.len() >= 10 && &bytes[..3] == b"ID3" {
        let size = bytes[6..10]
            .iter()
            .fold(0usize, |acc, &b| (acc << 7) | usize::from(b & 0x7f));
        start = 10 + size;
    }
    let head = bytes.get(start..).unwrap_or_default();
    let head = &head[..head.len().min(4096)];
    [b"Xing", b"Info", b"VBRI"]
        .iter()
        .any(|tag| head.windows(4).any(|w| w == *tag))
}

fn check_length(path: &Path, seconds: f64, settings: &AudioSettings) -> Result<(), AudioError> {
    if seconds > settings.max_seconds {
        return Err(AudioError::TooLong {
            file: path.to_path_buf(),
            seconds,
            limit: settings.max_seconds,
        });
    }
    Ok(())
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// A file whose first kilobyte is printable UTF-8 is a text file (a CSV, a note, an HTML
/// error page saved under an audio name), never a recording.
fn looks_like_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        // The cut may split a multi-byte character; judge what decodes.
        Err(e) if e.valid_up_to() + 4 >= head.len() && e.valid_up_to() > 0 => {
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or("")
        }
        Err(_) => return false,
    };
    !text.is_empty()
        && text
            .chars()
            .all(|c| !c.is_control() || c == '\n' || c == '\r' || c == '\t')
}

fn decode_pcm_wav(path: &Path, bytes: Vec<u8>, header: &WavHeader) -> Result<Decoded, AudioError> {
    let corrupt = |e: hound::Error| match e {
        hound::Error::Unsupported => AudioError::Unsupported {
            file: path.to_path_buf(),
            detail: format!("WAV {}", header.encoding_name()),
        },
        other => AudioError::Corrupt {
            file: path.to_path_buf(),
            detail: other.to_string(),
        },
    };
    let mut reader = hound::WavReader::new(Cursor::new(bytes)).map_err(corrupt)?;
    let spec = reader.spec();
    let n_channels = usize::from(spec.channels);
    let interleaved: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader
            .samples::<f32>()
            .collect::<Result<_, _>>()
            .map_err(corrupt)?,
        hound::SampleFormat::Int => {
            let scale = 1.0 / (1u64 << (spec.bits_per_sample.clamp(1, 32) - 1)) as f32;
            reader
                .samples::<i32>()
                .map(|s| s.map(|v| v as f32 * scale))
                .collect::<Result<_, _>>()
                .map_err(corrupt)?
        }
    };
    let mut channels = vec![Vec::with_capacity(interleaved.len() / n_channels); n_channels];
    for frame in interleaved.chunks_exact(n_channels) {
        for (ch, &s) in channels.iter_mut().zip(frame) {
            ch.push(s);
        }
    }
    Ok(Decoded {
        channels,
        sample_rate: spec.sample_rate,
        format: format!("WAV {}", header.encoding_name()),
    })
}

fn decode_with_symphonia(
    path: &Path,
    bytes: Vec<u8>,
    settings: &AudioSettings,
) -> Result<Decoded, AudioError> {
    let file = || path.to_path_buf();
    let mut hint = Hint::new();
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        hint.with_extension(ext);
    }
    let mp3_tagged = mp3_has_length_tag(&bytes);
    let mss = MediaSourceStream::new(Box::new(Cursor::new(bytes)), Default::default());
    let mut format = symphonia::default::get_probe()
        .probe(
            &hint,
            mss,
            FormatOptions::default(),
            MetadataOptions::default(),
        )
        .map_err(|e| match e {
            // Recognised, but the file stops inside its own header.
            SymError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                AudioError::Corrupt {
                    file: file(),
                    detail: "it ends inside its header, so it is truncated".to_string(),
                }
            }
            SymError::Unsupported(_) => AudioError::NotAudio {
                file: file(),
                detail: "its content matches no known audio format".to_string(),
            },
            other => AudioError::NotAudio {
                file: file(),
                detail: format!("its content matches no known audio format: {other}"),
            },
        })?;
    let track = format
        .default_track(TrackType::Audio)
        .ok_or_else(|| AudioError::NotAudio {
            file: file(),
            detail: "it holds no audio track".to_string(),
        })?;
    let track_id = track.id;
    let declared_frames = track
        .num_frames
        .filter(|_| format.format_info().short_name != "mp3" || mp3_tagged);
    let params = track
        .codec_params
        .as_ref()
        .and_then(|p| p.audio())
        .ok_or_else(|| AudioError::NotAudio {
            file: file(),
            detail: "it holds no audio track".to_string(),
        })?
        .clone();
    if params.channels.as_ref().is_some_and(|c| c.count() == 0) {
        return Err(AudioError::NoChannels { file: file() });
    }
    if let Some(rate) = params.sample_rate {
        check_rate(path, rate)?;
    }
    let mut decoder = symphonia::default::get_codecs()
        .make_audio_decoder(&params, &AudioDecoderOptions::default())
        .map_err(|e| AudioError::Unsupported {
            file: file(),
            detail: e.to_string(),
        })?;
    let format_name = format.format_info().long_name.to_string();

    let mut channels: Vec<Vec<f32>> = Vec::new();
    let mut sample_rate = params.sample_rate.unwrap_or(0);
    let mut scratch: Vec<Vec<f32>> = Vec::new();
    let (mut packets, mut bad_packets) = (0usize, 0usize);
    loop {
        let packet = match format.next_packet() {
            Ok(Some(p)) => p,
            Ok(None) => break,
            Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                let rate = f64::from(sample_rate.max(1));
                let data_seconds = channels.first().map_or(0, Vec::len) as f64 / rate;
                return Err(match declared_frames {
                    Some(n) => AudioError::Truncated {
                        file: file(),
                        header_seconds: n as f64 / rate,
                        data_seconds,
                    },
                    None => AudioError::Corrupt {
                        file: file(),
                        detail: format!(
                            "it ends in the middle of the audio, after {data_seconds:.1} s"
                        ),
                    },
                });
            }
            Err(e) => {
                return Err(AudioError::Corrupt {
                    file: file(),
                    detail: e.to_string(),
                });
            }
        };
        if packet.track_id != track_id {
            continue;
        }
        packets += 1;
        let buf = match decoder.decode(&packet) {
            Ok(buf) => buf,
            Err(SymError::DecodeError(_)) | Err(SymError::IoError(_)) => {
                bad_packets += 1;
                continue;
            }
            Err(e) => {
                return Err(AudioError::Corrupt {
                    file: file(),
                    detail: e.to_string(),
                });
            }
        };
        sample_rate = buf.spec().rate();
        buf.copy_to_vecs_planar::<f32>(&mut scratch);
        if channels.is_empty() {
            channels = vec![Vec::new(); scratch.len()];
        }
        if scratch.len() != channels.len() {
            return Err(AudioError::Corrupt {
                file: file(),
                detail: "the number of channels changes part-way through".to_string(),
            });
        }
        // Encoder delay and padding (MP3, AAC) are marked on the packet; dropping them keeps
        // times aligned with the original recording.
        let frames = scratch.first().map_or(0, Vec::len);
        let skip = (packet.trim_start.get() as usize).min(frames);
        let keep_to = frames
            .saturating_sub(packet.trim_end.get() as usize)
            .max(skip);
        for (ch, part) in channels.iter_mut().zip(&scratch) {
            ch.extend_from_slice(&part[skip..keep_to]);
        }
        let seconds = channels[0].len() as f64 / f64::from(sample_rate.max(1));
        check_length(path, seconds, settings)?;
    }
    let rate = f64::from(sample_rate.max(1));
    let decoded_seconds = channels.first().map_or(0, Vec::len) as f64 / rate;
    if channels.is_empty() {
        // Not one frame decoded: a header with nothing, or nothing usable, after it.
        return Err(match declared_frames {
            Some(n) => AudioError::Truncated {
                file: file(),
                header_seconds: n as f64 / rate,
                data_seconds: 0.0,
            },
            None => AudioError::Corrupt {
                file: file(),
                detail: "not one piece of audio could be decoded; the file is truncated"
                    .to_string(),
            },
        });
    }
    if sample_rate == 0 {
        return Err(AudioError::Corrupt {
            file: file(),
            detail: "the sample rate is missing".to_string(),
        });
    }
    if let Some(n) = declared_frames
        && decoded_seconds + LENGTH_TOLERANCE_S < n as f64 / rate
    {
        return Err(AudioError::Damaged {
            file: file(),
            header_seconds: n as f64 / rate,
            decoded_seconds,
        });
    }
    // Without a declared length, only the decoder's complaints show damage. A few damaged
    // frames in a long MP3 are survivable; mostly-damaged data is not audio.
    if bad_packets > 0 && bad_packets * 4 >= packets {
        return Err(AudioError::Corrupt {
            file: file(),
            detail: format!("{bad_packets} of {packets} audio frames could not be decoded"),
        });
    }
    Ok(Decoded {
        channels,
        sample_rate,
        format: format_name,
    })
}
