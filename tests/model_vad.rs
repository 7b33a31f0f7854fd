//! The speech detector's converter: the `silero-vad` wheel `model install` cached becomes the
//! installed `ggml-silero-vad.bin` byte for byte, with every tensor whisper.cpp's VAD loader
//! asks for; a damaged file is refused before whisper.cpp sees it.

mod common;

use callgrade::audio::SpeechFinder;
use callgrade::model::{self, TensorType};
use std::fs;

fn silero_wheel() -> std::path::PathBuf {
    common::cached_wheel("silero_vad-6.2.3-")
}

#[test]
fn the_wheel_converts_to_the_installed_detector_with_every_tensor() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join(model::VAD_FILE);
    assert_eq!(
        model::convert_silero_vad(&silero_wheel(), &out).unwrap(),
        15
    );
    let installed = common::model(model::VAD_FILE);
    assert_eq!(
        model::sha256_file(&out).unwrap(),
        model::sha256_file(&installed).unwrap()
    );
    let info = model::inspect_vad(&out).unwrap();
    let find = |name: &str| info.tensors.iter().find(|t| t.name == name).unwrap();
    let f16 = TensorType::from_code(1).unwrap();
    let f32 = TensorType::from_code(0).unwrap();
    let stft = find("_model.stft.forward_basis_buffer");
    assert_eq!(
        (stft.dims.as_slice(), stft.ttype),
        (&[258, 1, 256][..], f16)
    );
    for (i, (inp, out)) in [(129, 128), (128, 64), (64, 64), (64, 128)]
        .into_iter()
        .enumerate()
    {
        let w = find(&format!("_model.encoder.{i}.reparam_conv.weight"));
        assert_eq!((w.dims.as_slice(), w.ttype), (&[out, inp, 3][..], f16));
        let b = find(&format!("_model.encoder.{i}.reparam_conv.bias"));
        assert_eq!((b.dims.as_slice(), b.ttype), (&[out][..], f32));
    }
    for name in ["weight_ih", "weight_hh"] {
        let t = find(&format!("_model.decoder.rnn.{name}"));
        assert_eq!((t.dims.as_slice(), t.ttype), (&[512, 128][..], f32));
    }
    assert_eq!(find("_model.decoder.decoder.2.weight").dims, [128]);
    assert_eq!(find("_model.decoder.decoder.2.bias").dims, [1]);
    // And whisper.cpp loads it.
    SpeechFinder::open(&out).unwrap();
}

#[test]
fn a_cut_detector_is_refused_before_whisper_cpp_loads_it() {
    let dir = tempfile::tempdir().unwrap();
    let cut = dir.path().join(model::VAD_FILE);
    let bytes = fs::read(common::model(model::VAD_FILE)).unwrap();
    for len in [3, 60, bytes.len() / 2, bytes.len() - 1] {
        fs::write(&cut, &bytes[..len]).unwrap();
        let msg = SpeechFinder::open(&cut).unwrap_err().to_string();
        assert!(
            msg.contains(&cut.display().to_string()) && msg.contains("model install"),
            "cut at {len}: {msg}"
        );
    }
}
