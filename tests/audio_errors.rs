//! Bad inputs: each is refused with a message that names the file, says what is wrong and
//! what to do.

mod audio_support;

use audio_support::{fixture, speech_finder};
use callgrade::audio::{self, AudioError, AudioSettings, StaffChannel};

fn decode_err(name: &str, settings: &AudioSettings) -> AudioError {
    match audio::decode(&fixture(name), settings) {
        Ok(d) => panic!("{name} decoded ({} s) but should fail", d.duration()),
        Err(e) => {
            let msg = e.to_string();
            assert!(msg.contains(name), "message does not name the file: {msg}");
            e
        }
    }
}

#[test]
fn empty_file() {
    let e = decode_err("empty.wav", &AudioSettings::default());
    assert!(matches!(e, AudioError::Empty { .. }), "{e:?}");
    assert!(e.to_string().contains("re-export"), "{e}");
}

#[test]
fn truncated_wav_says_how_much_is_missing() {
    let e = decode_err("truncated.wav", &AudioSettings::default());
    match &e {
        AudioError::Truncated {
            header_seconds,
            data_seconds,
            ..
        } => {
            assert!((header_seconds - 1.0).abs() < 1e-9);
            assert!((data_seconds - 0.25).abs() < 1e-9);
        }
        other => panic!("{other:?}"),
    }
    let msg = e.to_string();
    assert!(msg.contains("truncated") && msg.contains("1.0 s"), "{msg}");
}

#[test]
fn random_bytes() {
    let e = decode_err("random.wav", &AudioSettings::default());
    assert!(matches!(e, AudioError::NotAudio { .. }), "{e:?}");
    // Without the .wav name to go on, the content itself is probed and refused.
    let e = decode_err("random.mp3", &AudioSettings::default());
    assert!(
        matches!(e, AudioError::NotAudio { .. } | AudioError::Corrupt { .. }),
        "{e:?}"
    );
}

#[test]
fn text_file_named_wav() {
    let e = decode_err("text.wav", &AudioSettings::default());
    assert!(matches!(e, AudioError::NotAudio { .. }), "{e:?}");
    assert!(e.to_string().contains("text"), "{e}");
}

#[test]
fn zero_channels() {
    let e = decode_err("zero_channels.wav", &AudioSettings::default());
    assert!(matches!(e, AudioError::NoChannels { .. }), "{e:?}");
}

#[test]
fn missing_file() {
    let e = audio::decode(&fixture("no_such_call.wav"), &AudioSettings::default()).unwrap_err();
    assert!(matches!(e, AudioError::Open { .. }), "{e:?}");
    assert!(e.to_string().contains("no_such_call.wav"));
}

#[test]
fn size_limit() {
    let settings = AudioSettings {
        max_bytes: 1000,
        ..AudioSettings::default()
    };
    let e = decode_err("sine_pcm16_8k.wav", &settings);
    assert!(matches!(e, AudioError::TooLarge { .. }), "{e:?}");
    // Advice a user can follow: no setting of the program is exposed to them.
    let msg = e.to_string();
    assert!(
        !msg.contains("max_bytes") && !msg.contains("settings"),
        "{msg}"
    );
    assert!(msg.contains("8 kHz mono") && msg.contains("split"), "{msg}");
}

#[test]
fn duration_limit_for_wav_and_compressed() {
    let settings = AudioSettings {
        max_seconds: 0.1,
        ..AudioSettings::default()
    };
    for name in [
        "sine_pcm16_8k.wav",
        "sine_ulaw_8k.wav",
        "sine_16k.flac",
        "sine_16k.mp3",
    ] {
        let e = decode_err(name, &settings);
        assert!(matches!(e, AudioError::TooLong { .. }), "{name}: {e:?}");
        let msg = e.to_string();
        assert!(
            !msg.contains("max_seconds") && !msg.contains("settings"),
            "{msg}"
        );
        assert!(msg.contains("trim") || msg.contains("split"), "{msg}");
    }
}

#[test]
fn stereo_staff_side_on_a_mono_file() {
    let path = fixture("sine_pcm16_8k.wav");
    let e = audio::load(
        &path,
        StaffChannel::Right,
        &AudioSettings::default(),
        speech_finder(),
    )
    .unwrap_err();
    assert!(matches!(e, AudioError::ChannelMismatch { .. }), "{e:?}");
    let msg = e.to_string();
    assert!(
        msg.contains("sine_pcm16_8k.wav") && msg.contains("staff_channel"),
        "{msg}"
    );
}

#[test]
fn truncated_flac_is_refused_like_truncated_wav() {
    let bytes = std::fs::read(fixture("sine_16k.flac")).unwrap();
    let path = audio_support::temp_path("cut.flac");
    std::fs::write(&path, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let e = audio::decode(&path, &AudioSettings::default()).unwrap_err();
    assert!(
        matches!(e, AudioError::Truncated { .. } | AudioError::Corrupt { .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("cut.flac"));
}

/// `bytes` written to a fresh temp file named `name`.
fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = audio_support::temp_path(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn load_err(path: &std::path::Path, staff: StaffChannel) -> AudioError {
    match audio::load(path, staff, &AudioSettings::default(), speech_finder()) {
        Ok(c) => panic!(
            "{} loaded ({} s) but should fail",
            path.display(),
            c.facts.duration
        ),
        Err(e) => {
            let name = path.file_name().unwrap().to_str().unwrap();
            assert!(
                e.to_string().contains(name),
                "message does not name the file: {e}"
            );
            e
        }
    }
}

#[test]
fn recordings_without_usable_audio_are_refused() {
    for (name, bytes) in audio_support::no_usable_audio() {
        let e = load_err(&temp_file(name, &bytes), StaffChannel::Mono);
        let msg = e.to_string();
        match name {
            "blip_8k.mp3" | "silent_1s.wav" => {
                assert!(matches!(e, AudioError::NoSpeech { .. }), "{name}: {e:?}");
                assert!(
                    msg.contains(
                        "no speech found on the staff side: is this the right file or channel?"
                    ),
                    "{msg}"
                );
            }
            _ => {
                assert!(matches!(e, AudioError::SampleRate { .. }), "{name}: {e:?}");
                assert!(
                    msg.contains("4–192 kHz") && msg.contains("re-export"),
                    "{msg}"
                );
            }
        }
    }
}

#[test]
fn silent_staff_side_of_a_stereo_call_points_at_staff_channel() {
    let (a, _) = audio_support::fixture_phrases();
    let quiet = audio_support::silence(a.len() as f32 / 8000.0, 8000);
    let path = audio_support::temp_path("staff_silent_stereo.wav");
    // The caller speaks on the left; the manifest says the staff are on the right, where
    // nothing is heard.
    audio_support::write_wav(&path, &[&a, &quiet], 8000);
    let e = load_err(&path, StaffChannel::Right);
    assert!(matches!(e, AudioError::NoSpeech { .. }), "{e:?}");
    assert!(e.to_string().contains("staff_channel"), "{e}");
    // The same file with the staff on the speaking side is a call.
    audio::load(
        &path,
        StaffChannel::Left,
        &AudioSettings::default(),
        speech_finder(),
    )
    .unwrap();
}

#[test]
fn undamaged_compressed_fixtures_decode_to_their_declared_length() {
    for name in ["tone_8k_5s.flac", "tone_8k_5s.mp3"] {
        let d = audio::decode(&fixture(name), &AudioSettings::default()).unwrap();
        assert!(
            (d.duration() - 5.0).abs() < 0.05,
            "{name}: {} s",
            d.duration()
        );
    }
}

/// `name` with bytes from 30% to 70% of its length overwritten by `fill`.
fn overwrite_middle(name: &str, fill: impl Fn(usize) -> u8) -> Vec<u8> {
    let mut bytes = std::fs::read(fixture(name)).unwrap();
    let (from, to) = (bytes.len() * 3 / 10, bytes.len() * 7 / 10);
    for (i, b) in bytes[from..to].iter_mut().enumerate() {
        *b = fill(i);
    }
    bytes
}

#[test]
fn flac_and_mp3_with_a_damaged_middle_are_refused() {
    let noise = |i: usize| (i.wrapping_mul(2_654_435_761) >> 13) as u8;
    for name in ["tone_8k_5s.flac", "tone_8k_5s.mp3"] {
        for (kind, bytes) in [
            ("zeros", overwrite_middle(name, |_| 0)),
            ("noise", overwrite_middle(name, noise)),
        ] {
            let path = temp_file(&format!("{kind}_{name}"), &bytes);
            let e = audio::decode(&path, &AudioSettings::default()).unwrap_err();
            let msg = e.to_string();
            assert!(
                matches!(e, AudioError::Damaged { .. }),
                "{kind} {name}: {e:?}"
            );
            assert!(
                msg.contains(&format!(
                    "{kind}_{name}: the recording is damaged: the header promises 5.0 s but only"
                )) && msg.contains("re-export it from the phone system"),
                "{msg}"
            );
        }
    }
}

#[test]
fn half_an_mp3_is_refused() {
    let bytes = std::fs::read(fixture("tone_8k_5s.mp3")).unwrap();
    let path = temp_file("half.mp3", &bytes[..bytes.len() / 2]);
    let e = audio::decode(&path, &AudioSettings::default()).unwrap_err();
    assert!(
        matches!(e, AudioError::Damaged { .. } | AudioError::Truncated { .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("5.0 s"), "{e}");
}

#[test]
fn a_flac_cut_after_its_header_is_truncated_not_channelless() {
    // sox writes the first frame right after STREAMINFO; flac adds 8 KB of padding first.
    for name in ["sine_16k.flac", "tone_8k_5s.flac"] {
        let bytes = std::fs::read(fixture(name)).unwrap();
        let cut = format!("first200_{name}");
        let path = temp_file(&cut, &bytes[..200]);
        let e = audio::decode(&path, &AudioSettings::default()).unwrap_err();
        let msg = e.to_string();
        assert!(!matches!(e, AudioError::NoChannels { .. }), "{e:?}");
        assert!(!msg.contains("0 channels"), "{msg}");
        assert!(msg.contains(&cut) && msg.contains("truncated"), "{msg}");
    }
}

#[test]
fn the_size_limit_is_checked_before_hashing() {
    let settings = AudioSettings {
        max_bytes: 1000,
        ..AudioSettings::default()
    };
    let e = audio::sha256_recording(&fixture("sine_pcm16_8k.wav"), &settings).unwrap_err();
    assert!(matches!(e, AudioError::TooLarge { .. }), "{e:?}");
    // Within the limit the hash is the plain sha256 of the file, as stored by earlier runs, so
    // reruns still recognise unchanged recordings.
    let path = fixture("sine_pcm16_8k.wav");
    let ok = audio::sha256_recording(&path, &AudioSettings::default()).unwrap();
    assert_eq!(ok, callgrade::model::sha256_file(&path).unwrap());
}

#[cfg(unix)]
mod not_regular_files {
    use super::*;
    use std::path::PathBuf;

    fn special_files() -> Vec<PathBuf> {
        let fifo = audio_support::temp_path("call.fifo.wav");
        let _ = std::fs::remove_file(&fifo);
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
        let mut out = vec![fifo];
        for dev in ["zero", "urandom"] {
            let link = audio_support::temp_path(&format!("{dev}.wav"));
            let _ = std::fs::remove_file(&link);
            std::os::unix::fs::symlink(format!("/dev/{dev}"), &link).unwrap();
            out.push(link);
        }
        out.push(std::env::temp_dir());
        out
    }

    #[test]
    fn pipes_devices_and_folders_are_refused_before_reading() {
        let settings = AudioSettings::default();
        for path in special_files() {
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            for e in [
                audio::decode(&path, &settings).unwrap_err(),
                audio::sha256_recording(&path, &settings).unwrap_err(),
            ] {
                assert!(matches!(e, AudioError::NotRegularFile { .. }), "{e:?}");
                let msg = e.to_string();
                assert!(
                    msg.contains(&name)
                        && msg.contains("is not a regular file (a pipe, device or folder); list the recording file itself"),
                    "{msg}"
                );
                assert!(!msg.contains("empty"), "{msg}");
            }
        }
    }
}
