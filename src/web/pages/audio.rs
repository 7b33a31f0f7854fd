//! GET /calls/{id}/audio: a call's recording, found by the call's id only. The path comes
//! from the store, never from the request, and is opened the one way recordings are opened
//! (`audio::open_recording`: a regular file after following links, within the size limit)
//! and must start like a WAV, FLAC or MP3 file; a single byte range is answered with 206, a range past the end with 416.

use super::range::{RangeAnswer, answer};
use crate::audio::{AudioSettings, open_recording};
use crate::store::RecordingPlace;
use crate::web::{AppState, CurrentUser, WebError};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::io::{Read, Seek, SeekFrom};

/// The media type of a recording by its first bytes: WAV, FLAC or MP3, the formats `run`
/// reads. Anything else is not served, so even a database whose paths were edited to point
/// at other files cannot make the app hand them out.
fn sniff(head: &[u8]) -> Option<&'static str> {
    match head {
        [b'R', b'I', b'F', b'F', ..] | [b'R', b'F', b'6', b'4', ..] => Some("audio/wav"),
        [b'f', b'L', b'a', b'C', ..] => Some("audio/flac"),
        [b'I', b'D', b'3', ..] => Some("audio/mpeg"),
        // An MPEG audio frame starts with 11 set sync bits.
        [0xFF, b, ..] if b & 0xE0 == 0xE0 => Some("audio/mpeg"),
        _ => None,
    }
}

/// What the handler sends: status, headers and the bytes.
struct Served {
    status: StatusCode,
    mime: &'static str,
    len: u64,
    range: Option<(u64, u64)>,
    bytes: Vec<u8>,
}

pub async fn serve(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let served = state
        .store(move |s| {
            let (_, stored) = s.call_recording(id)?.ok_or(WebError::NotFound)?;
            let RecordingPlace::Found(path) = s.locate_recording(&stored) else {
                return Err(WebError::NotFound);
            };
            // A recording moved or replaced by something that is not a file is simply gone.
            let (mut file, len) =
                open_recording(&path, &AudioSettings::default()).map_err(|_| WebError::NotFound)?;
            let read = |file: &mut std::fs::File, start: u64, n: u64| {
                let mut bytes = vec![0; n as usize];
                file.seek(SeekFrom::Start(start))
                    .and_then(|_| file.read_exact(&mut bytes))
                    .map(|_| bytes)
                    .map_err(|e| WebError::Internal(format!("{}: {e}", path.display())))
            };
            let mime = sniff(&read(&mut file, 0, len.min(4))?).ok_or(WebError::NotFound)?;
            Ok(match answer(range.as_deref(), len) {
                RangeAnswer::Whole => Served {
                    status: StatusCode::OK,
                    mime,
                    len,
                    range: None,
                    bytes: read(&mut file, 0, len)?,
                },
                RangeAnswer::Part { start, end } => Served {
                    status: StatusCode::PARTIAL_CONTENT,
                    mime,
                    len,
                    range: Some((start, end)),
                    bytes: read(&mut file, start, end - start + 1)?,
                },
                RangeAnswer::Unsatisfiable => Served {
                    status: StatusCode::RANGE_NOT_SATISFIABLE,
                    mime,
                    len,
                    range: None,
                    bytes: Vec::new(),
                },
            })
        })
        .await?;
    let content_range = match (served.status, served.range) {
        (_, Some((start, end))) => Some(format!("bytes {start}-{end}/{}", served.len)),
        (StatusCode::RANGE_NOT_SATISFIABLE, _) => Some(format!("bytes */{}", served.len)),
        _ => None,
    };
    let mut response = (
        served.status,
        [
            (header::CONTENT_TYPE, served.mime),
            (header::ACCEPT_RANGES, "bytes"),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        served.bytes,
    )
        .into_response();
    if let Some(v) = content_range.and_then(|v| v.parse().ok()) {
        response.headers_mut().insert(header::CONTENT_RANGE, v);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_the_audio_formats_run_reads_are_served() {
        assert_eq!(super::sniff(b"RIFF\0\0"), Some("audio/wav"));
        assert_eq!(super::sniff(b"fLaC"), Some("audio/flac"));
        assert_eq!(super::sniff(b"ID3\x04"), Some("audio/mpeg"));
        assert_eq!(super::sniff(&[0xFF, 0xFB, 0x90]), Some("audio/mpeg"));
        assert_eq!(super::sniff(b"root:x:0:0"), None);
        assert_eq!(super::sniff(b""), None);
    }
}
