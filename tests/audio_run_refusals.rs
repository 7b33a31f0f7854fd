//! Recordings a manifest can name that hold no call: a pipe, symlinks to endless devices,
//! files with impossible sample rates or no speech. `callgrade run` must finish, store each as
//! a failed call that says why, and score the real call beside them.

mod audio_support;
mod common;

use common::{callgrade, run_args, workspace};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// Far above what one tiny.en call takes; only reached if a read never ends.
const WATCHDOG: Duration = Duration::from_secs(900);

/// Add a manifest line for `name`, copying the other columns of the first call's line.
fn add_row(manifest: &Path, name: &str) {
    let text = std::fs::read_to_string(manifest).unwrap();
    let rest = text.lines().nth(1).unwrap().split_once(',').unwrap().1;
    std::fs::write(manifest, format!("{text}{name},{rest}\n")).unwrap();
}

#[cfg(unix)]
#[test]
fn pipes_devices_and_unusable_audio_fail_alone_and_the_run_finishes() {
    let extra = audio_support::no_usable_audio();
    let extra: Vec<(&str, &[u8])> = extra.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    let (dir, manifest) = workspace(1, &extra);

    let fifo = dir.path().join("line3.wav");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
    add_row(&manifest, "line3.wav");
    for dev in ["zero", "urandom"] {
        let name = format!("{dev}.wav");
        std::os::unix::fs::symlink(format!("/dev/{dev}"), dir.path().join(&name)).unwrap();
        add_row(&manifest, &name);
    }

    let db = dir.path().join("t.db");
    let mut child = callgrade()
        .args(run_args(&manifest, &db))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > WATCHDOG {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`callgrade run` still running after {WATCHDOG:?}: a read never ended");
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(status.code(), Some(1), "some calls failed → exit 1");

    let out = callgrade()
        .args(["export", "--campaign", "2026Q4", "--format", "json", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let calls = json["calls"].as_array().unwrap();
    assert_eq!(calls.len(), 1 + extra.len() + 3);
    for call in calls {
        let file = call["file"].as_str().unwrap();
        let error = call["error"].as_str().unwrap_or_default();
        let want = match file {
            "line3.wav" | "zero.wav" | "urandom.wav" => {
                "is not a regular file (a pipe, device or folder); list the recording file itself"
            }
            "blip_8k.mp3" | "silent_1s.wav" => {
                "no speech found on the staff side: is this the right file or channel?"
            }
            f if f.starts_with("rate_") => "outside the 4–192 kHz",
            _ => {
                assert_eq!(call["status"], "scored", "{file}: {error}");
                continue;
            }
        };
        assert_eq!(call["status"], "failed", "{file} was graded");
        assert!(
            error.contains(file) && error.contains(want),
            "{file}: {error}"
        );
    }
}

/// Several files in one `transcribe`: a refused one is reported by name and the others are
/// still transcribed, each under its own header, with the model loaded once.
#[test]
fn transcribe_goes_on_past_a_refused_file_in_a_batch() {
    let (dir, _) = workspace(2, &[]);
    let (bad, bytes) = &audio_support::no_usable_audio()[0];
    std::fs::write(dir.path().join(bad), bytes).unwrap();
    let files = [
        "call01-amy-service-hours.wav",
        bad,
        "call02-david-parenting-classes.wav",
    ];
    let out = callgrade()
        .args([
            "transcribe",
            "--language",
            "en",
            "--threads",
            "1",
            "--model",
        ])
        .arg(common::model("ggml-tiny.en.bin"))
        .args(files.iter().map(|f| dir.path().join(f)))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stderr.contains(bad), "{stderr}");
    let headers: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("ring(s) before pickup, transcribed in"))
        .collect();
    assert_eq!(headers.len(), 2, "{stdout}");
    for (header, (file, rings)) in headers.iter().zip([(files[0], 2), (files[2], 3)]) {
        assert!(
            header.contains(file) && header.contains(&format!(", {rings} ring(s)")),
            "{header}"
        );
    }
    // Each call's own words come under its own header.
    let second = stdout.find(files[2]).unwrap();
    assert!(
        stdout[..second].to_lowercase().contains("hours"),
        "{stdout}"
    );
    assert!(
        stdout[second..].to_lowercase().contains("parenting"),
        "{stdout}"
    );
}

#[test]
fn transcribe_refuses_what_run_refuses() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in audio_support::no_usable_audio() {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let out = callgrade()
            .args(["transcribe", "--language", "en", "--model"])
            .arg(common::model("ggml-tiny.en.bin"))
            .arg(&path)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{name} was transcribed: {out:?}");
        assert!(
            stderr.contains(name)
                && (stderr.contains("no speech found on the staff side")
                    || stderr.contains("outside the 4–192 kHz")),
            "{name}: {stderr}"
        );
    }
}
