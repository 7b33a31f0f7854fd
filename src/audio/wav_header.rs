//! Just enough RIFF/WAVE parsing to check a WAV file before decoding it: which encoding it uses
//! (so PCM goes to `hound` and G.711 to `symphonia`), and whether its data chunk is really as
//! long as the header claims. Decoders tend to stop quietly at a short data chunk; a grader
//! must not score half a call as if it were the whole call.

use std::path::Path;

use super::error::AudioError;

/// WAV format tags (the `wFormatTag` field of the `fmt ` chunk).
pub(crate) const TAG_PCM: u16 = 0x0001;
pub(crate) const TAG_FLOAT: u16 = 0x0003;
pub(crate) const TAG_ALAW: u16 = 0x0006;
pub(crate) const TAG_MULAW: u16 = 0x0007;
pub(crate) const TAG_EXTENSIBLE: u16 = 0xFFFE;

/// What the header of a WAV file says, checked against the file's length.
#[derive(Debug, Clone)]
pub(crate) struct WavHeader {
    /// The effective format tag (for WAVE_FORMAT_EXTENSIBLE, the sub-format's tag).
    pub tag: u16,
    pub channels: u16,
    pub sample_rate: u32,
    pub bits_per_sample: u16,
    pub block_align: u16,
    /// Bytes of sample data the header promises.
    pub data_declared: u64,
}

impl WavHeader {
    /// Seconds of audio in `bytes` bytes of sample data.
    pub fn seconds_in(&self, bytes: u64) -> f64 {
        let frame_bytes = u64::from(self.block_align.max(1));
        (bytes / frame_bytes) as f64 / f64::from(self.sample_rate.max(1))
    }

    /// Human name of the encoding, for messages and the decoded format string.
    pub fn encoding_name(&self) -> String {
        match self.tag {
            TAG_PCM => format!("{}-bit PCM", self.bits_per_sample),
            TAG_FLOAT => format!("{}-bit float", self.bits_per_sample),
            TAG_ALAW => "G.711 A-law".to_string(),
            TAG_MULAW => "G.711 μ-law".to_string(),
            other => format!("format tag 0x{other:04X}"),
        }
    }
}

/// True when the bytes start like a RIFF/WAVE file.
pub(crate) fn looks_like_wav(head: &[u8]) -> bool {
    head.len() >= 12 && &head[0..4] == b"RIFF" && &head[8..12] == b"WAVE"
}

/// Parse and check the header of a WAV file held in `bytes` (the whole file).
pub(crate) fn parse(file: &Path, bytes: &[u8]) -> Result<WavHeader, AudioError> {
    let corrupt = |detail: &str| AudioError::Corrupt {
        file: file.to_path_buf(),
        detail: detail.to_string(),
    };
    if !looks_like_wav(bytes) {
        return Err(corrupt("missing RIFF/WAVE header"));
    }
    let mut pos = 12usize;
    let mut fmt: Option<WavHeader> = None;
    while pos + 8 <= bytes.len() {
        let id = &bytes[pos..pos + 4];
        let size = u64::from(u32::from_le_bytes([
            bytes[pos + 4],
            bytes[pos + 5],
            bytes[pos + 6],
            bytes[pos + 7],
        ]));
        let body = pos + 8;
        let available = (bytes.len() - body) as u64;
        if id == b"fmt " {
            if size < 16 || available < 16 {
                return Err(corrupt("the format chunk is too short"));
            }
            let b = &bytes[body..];
            let u16_at = |i: usize| u16::from_le_bytes([b[i], b[i + 1]]);
            let mut tag = u16_at(0);
            if tag == TAG_EXTENSIBLE && size >= 40 && available >= 40 {
                // The sub-format GUID starts with the plain format tag.
                tag = u16_at(24);
            }
            let channels = u16_at(2);
            if channels == 0 {
                return Err(AudioError::NoChannels {
                    file: file.to_path_buf(),
                });
            }
            let sample_rate = u32::from_le_bytes([b[4], b[5], b[6], b[7]]);
            if sample_rate == 0 {
                return Err(corrupt("the header gives a sample rate of 0 Hz"));
            }
            fmt = Some(WavHeader {
                tag,
                channels,
                sample_rate,
                block_align: u16_at(12),
                bits_per_sample: u16_at(14),
                data_declared: 0,
            });
        } else if id == b"data" {
            let Some(mut header) = fmt else {
                return Err(corrupt("the sample data comes before the format chunk"));
            };
            if header.block_align == 0 {
                header.block_align = header.channels * header.bits_per_sample.div_ceil(8);
            }
            header.data_declared = size;
            if size == u64::from(u32::MAX) {
                // What streaming recorders leave when they never finish the file.
                return Err(corrupt(
                    "the header does not record how long the audio is; the recorder did not finish writing the file",
                ));
            }
            if available < size {
                return Err(AudioError::Truncated {
                    file: file.to_path_buf(),
                    header_seconds: header.seconds_in(size),
                    data_seconds: header.seconds_in(available),
                });
            }
            return Ok(header);
        }
        // Chunks are padded to an even length.
        pos = body.saturating_add((size + (size & 1)) as usize);
    }
    Err(match fmt {
        None => corrupt("no format chunk was found"),
        Some(_) => corrupt("no sample data chunk was found"),
    })
}
