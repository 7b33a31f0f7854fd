//! What the command line shows a person: manifest text cannot drive the terminal, every cause
//! of an error is said once, and a closed pipe is a normal end.

mod common;

use common::{callgrade, repo, run_args, workspace};
use std::io::Read;
use std::process::Stdio;

#[test]
fn escape_and_bidi_characters_from_a_manifest_are_shown_escaped() {
    let (dir, manifest) = workspace(1, &[]);
    let text = std::fs::read_to_string(&manifest).unwrap();
    let hostile = text.replacen("Amy Chen", "Amy\u{1b}[2J\u{1b}]0;pwned\u{7}Chen\u{202e}", 1);
    assert_ne!(hostile, text);
    // A row whose file is missing fails while the run is planned: the first progress line
    // counted it as "already scored".
    let missing = text
        .lines()
        .nth(1)
        .unwrap()
        .replacen("call01", "missing01", 1);
    std::fs::write(&manifest, format!("{hostile}{missing}\n")).unwrap();
    let db = dir.path().join("t.db");
    let mut args = run_args(&manifest, &db);
    args.retain(|a| a != "--quiet");
    let out = callgrade().args(&args).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("2 calls, 0 already scored, 1 failed, 1 to transcribe"),
        "{stderr}"
    );
    let shown = String::from_utf8(out.stdout).unwrap() + &stderr;
    assert!(shown.contains("Amy\\u{1b}[2J"), "{shown}");
    assert!(shown.contains("\\u{202e}"), "{shown}");
    for raw in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(
            !shown.contains(raw),
            "raw {:?} reached the terminal",
            raw as u32
        );
    }

    // A reviewer's name and reason reach the terminal through review and the report tables.
    let call = "call01-amy-service-hours.wav";
    let by_db = |args: &[&str]| {
        let out = callgrade()
            .args(args)
            .arg("--db")
            .arg(&db)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap()
    };
    let mut shown = by_db(&[
        "review",
        call,
        "--criterion",
        "greeting",
        "--fail",
        "--reason",
        "heard\u{1b}[8m nothing",
        "--by",
        "Wang\u{1b}]0;x\u{7}",
    ]);
    shown += &by_db(&["review", call, "--list"]);
    shown += &by_db(&["report", "call", call]);
    shown += &by_db(&["report", "trends", "--by", "staff"]);
    shown += &by_db(&["report", "training"]);
    assert!(shown.contains("Wang\\u{1b}]0;x"), "{shown}");
    for raw in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(
            !shown.contains(raw),
            "raw {:?} reached the terminal: {shown}",
            raw as u32
        );
    }
}

#[test]
fn a_cause_is_said_once() {
    let out = callgrade()
        .args([
            "score",
            "--campaign",
            "2026Q4",
            "--rubric",
            "/nonexistent/rubric.toml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("/nonexistent/rubric.toml"), "{err}");
    assert_eq!(err.matches("No such file").count(), 1, "{err}");
}

#[test]
fn a_reader_that_goes_away_is_a_normal_end() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    // A database with one scored call, so the report has lines to write.
    let (_ws, manifest) = workspace(1, &[]);
    assert!(
        callgrade()
            .args(run_args(&manifest, &db))
            .status()
            .unwrap()
            .success()
    );
    let rubric = repo().join("rubrics/courtesy-en.toml");
    for args in [
        vec!["report", "trends", "--by", "staff"],
        vec!["export", "--campaign", "2026Q4", "--format", "json"],
        vec![
            "score",
            "--campaign",
            "2026Q4",
            "--rubric",
            rubric.to_str().unwrap(),
        ],
    ] {
        let mut child = callgrade()
            .args(&args)
            .arg("--db")
            .arg(&db)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // like `| head -c0`
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(status.code(), Some(0), "{args:?}: {err}");
    }
    // `callgrade model list | head -c0` used to panic in print! (exit 101).
    let mut child = callgrade()
        .args(["model", "list"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}
