//! Bad inputs: each is refused with a message that names the file, says what is wrong and
//! what to do.

mod audio_support;

use audio_support::fixture;
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
    assert!(e.to_string().contains("max_bytes"), "{e}");
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
        assert!(e.to_string().contains("max_seconds"), "{e}");
    }
}

#[test]
fn stereo_staff_side_on_a_mono_file() {
    let path = fixture("sine_pcm16_8k.wav");
    let e = audio::load(&path, StaffChannel::Right, &AudioSettings::default()).unwrap_err();
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
