//! Why a recording could not be used, worded for the person who exported it.

use std::path::PathBuf;

use thiserror::Error;

/// A recording that cannot be decoded or measured. Each message names the file, says what is
/// wrong and what to do about it.
#[derive(Debug, Error)]
pub enum AudioError {
    #[error("{}: cannot read the file ({source}); check that the path is right and readable", file.display())]
    Open {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: is not a regular file (a pipe, device or folder); list the recording file itself", file.display())]
    NotRegularFile { file: PathBuf },
    #[error("{}: the file is empty (0 bytes); re-export the recording from the phone system", file.display())]
    Empty { file: PathBuf },
    #[error(
        "{}: the file is {:.1} MB, over the {:.1} MB limit for one call; re-export it as 8 kHz mono (30 minutes is then under 30 MB) or split it into one file per call",
        file.display(), *bytes as f64 / 1e6, *limit as f64 / 1e6
    )]
    TooLarge {
        file: PathBuf,
        bytes: u64,
        limit: u64,
    },
    #[error(
        "{}: the recording is {:.1} min long, over the {:.1} min limit for one call; trim it to the call or split it into one file per call",
        file.display(), seconds / 60.0, limit / 60.0
    )]
    TooLong {
        file: PathBuf,
        seconds: f64,
        limit: f64,
    },
    #[error("{}: this is not an audio recording ({detail}); check that the right file was exported (WAV, FLAC or MP3)", file.display())]
    NotAudio { file: PathBuf, detail: String },
    #[error("{}: the audio encoding is not supported ({detail}); convert it to 16-bit PCM WAV, e.g. `sox in.wav -b 16 -e signed-integer out.wav`", file.display())]
    Unsupported { file: PathBuf, detail: String },
    #[error("{}: the file is damaged ({detail}); re-export the recording from the phone system", file.display())]
    Corrupt { file: PathBuf, detail: String },
    #[error(
        "{}: the file is truncated (header says {header_seconds:.1} s, data holds {data_seconds:.1} s); re-export the recording from the phone system",
        file.display()
    )]
    Truncated {
        file: PathBuf,
        header_seconds: f64,
        data_seconds: f64,
    },
    #[error(
        "{}: the sample rate is {rate} Hz, outside the 4–192 kHz that phone systems and recorders use, so this is not a usable recording or its header is damaged; re-export the recording from the phone system",
        file.display()
    )]
    SampleRate { file: PathBuf, rate: u32 },
    #[error(
        "{}: the recording is damaged: the header promises {header_seconds:.1} s but only {decoded_seconds:.1} s could be decoded; re-export it from the phone system",
        file.display()
    )]
    Damaged {
        file: PathBuf,
        header_seconds: f64,
        decoded_seconds: f64,
    },
    #[error("{}: no speech found on the staff side: is this the right file or channel? {}", file.display(), no_speech_advice(*channels))]
    NoSpeech { file: PathBuf, channels: usize },
    #[error("{}: the header says the recording has 0 channels, so it holds no audio; re-export the recording from the phone system", file.display())]
    NoChannels { file: PathBuf },
    #[error("{}: the file holds no audio samples; re-export the recording from the phone system", file.display())]
    NoSamples { file: PathBuf },
    #[error(
        "{}: the manifest puts the staff on the {staff} channel, but the recording has {channels} channel(s); set staff_channel to mono in the manifest",
        file.display()
    )]
    ChannelMismatch {
        file: PathBuf,
        staff: &'static str,
        channels: usize,
    },
    #[error(
        "cannot resample audio from {from_rate} Hz to 16 kHz ({detail}); convert the recording to 8 or 16 kHz with sox"
    )]
    Resample { from_rate: u32, detail: String },
}

fn no_speech_advice(channels: usize) -> &'static str {
    if channels >= 2 {
        "The recording is stereo: check that staff_channel in the manifest names the staff's side (left or right), and that the manifest lists the right recording"
    } else {
        "The recording is silent or holds only tones; check that the manifest lists the right recording"
    }
}

impl AudioError {
    /// Attach the file to a resampling failure, which is detected away from the file: a
    /// sample rate the resampler cannot handle is an unsupported recording.
    pub(crate) fn in_file(self, file: &std::path::Path) -> Self {
        match self {
            AudioError::Resample { from_rate, detail } => AudioError::Unsupported {
                file: file.to_path_buf(),
                detail: format!("sample rate {from_rate} Hz cannot be resampled: {detail}"),
            },
            other => other,
        }
    }
}
