//! The whole pipeline through the binary: real recordings, a real Whisper model, a real SQLite
//! file. Checks what a user relies on: bad files don't stop a batch, reruns add nothing, a killed
//! run resumes without duplicates, Ctrl-C stops cleanly, and the JSON export keeps its contract.

mod common;

use common::{callgrade, count, run_args, workspace};
use std::time::Duration;

const TABLES: [&str; 5] = [
    "calls",
    "transcripts",
    "segments",
    "call_scores",
    "criterion_results",
];

#[test]
fn bad_files_fail_alone_and_a_rerun_adds_nothing() {
    let random: Vec<u8> = (0..4000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let (dir, manifest) = workspace(
        2,
        &[
            ("empty.wav", b""),
            ("notes.wav", b"call list for Tuesday\nroom 3\n"),
            ("noise.mp3", &random),
        ],
    );
    let db = dir.path().join("t.db");
    let out = callgrade().args(run_args(&manifest, &db)).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "some calls failed → exit 1: {out:?}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    for bad in ["empty.wav", "notes.wav", "noise.mp3"] {
        assert!(stderr.contains(bad), "error names {bad}: {stderr}");
    }

    let export = |db: &std::path::Path| {
        let out = callgrade()
            .args(["export", "--campaign", "2026Q4", "--format", "json", "--db"])
            .arg(db)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let json = export(&db);
    let calls = json["calls"].as_array().unwrap();
    assert_eq!(calls.len(), 5);
    let scored: Vec<_> = calls.iter().filter(|c| c["status"] == "scored").collect();
    let failed: Vec<_> = calls.iter().filter(|c| c["status"] == "failed").collect();
    assert_eq!((scored.len(), failed.len()), (2, 3));
    for f in &failed {
        let err = f["error"].as_str().unwrap();
        assert!(err.contains(f["file"].as_str().unwrap()), "{err}");
        assert!(f["score"].is_null());
    }
    before_after_rerun(&db, || {
        let out = callgrade().args(run_args(&manifest, &db)).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
    });
    assert_eq!(
        export(&db)["calls"],
        json["calls"],
        "a rerun changes nothing"
    );
}

#[test]
fn json_export_keeps_its_contract() {
    let (dir, manifest) = workspace(1, &[]);
    let db = dir.path().join("t.db");
    let status = callgrade().args(run_args(&manifest, &db)).status().unwrap();
    assert!(status.success());
    let out_file = dir.path().join("out.json");
    let status = callgrade()
        .args(["export", "--campaign", "2026Q4", "--format", "json", "--db"])
        .arg(&db)
        .arg("--out")
        .arg(&out_file)
        .status()
        .unwrap();
    assert!(status.success());
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out_file).unwrap()).unwrap();
    assert_eq!(json["campaign"], "2026Q4");
    assert!(json["rubric"]["id"].is_string());
    assert_eq!(json["rubric"]["sha256"].as_str().unwrap().len(), 64);
    let call = &json["calls"][0];
    for key in [
        "file",
        "staff",
        "unit",
        "scenario",
        "called_at",
        "status",
        "error",
        "score",
        "max",
        "grade",
        "criteria",
        "transcript",
    ] {
        assert!(call.get(key).is_some(), "call has `{key}`: {call}");
    }
    assert_eq!(call["status"], "scored");
    assert_eq!(
        call["transcript_flagged"], false,
        "a clean synthetic call is not flagged as an unreliable transcript"
    );
    assert!(call["transcript_quality"]["windows"].as_u64().unwrap() >= 1);
    assert!(call["score"].as_f64().unwrap() <= call["max"].as_f64().unwrap());
    let criterion = &call["criteria"][0];
    for key in ["id", "passed", "applicable", "points", "max", "evidence"] {
        assert!(criterion.get(key).is_some(), "criterion has `{key}`");
    }
    let with_evidence = call["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["evidence"].as_array().unwrap())
        .next()
        .expect("some criterion quotes evidence");
    assert!(with_evidence["text"].is_string() && with_evidence["start"].is_f64());
    let segment = &call["transcript"][0];
    for key in ["speaker", "start", "end", "text"] {
        assert!(segment.get(key).is_some(), "segment has `{key}`");
    }
}

#[test]
fn a_recording_replaced_by_a_broken_file_loses_its_old_score() {
    let (dir, manifest) = workspace(1, &[]);
    let db = dir.path().join("t.db");
    assert!(
        callgrade()
            .args(run_args(&manifest, &db))
            .status()
            .unwrap()
            .success()
    );
    let first = std::fs::read_to_string(&manifest).unwrap();
    let file = first.lines().nth(1).unwrap().split(',').next().unwrap();
    std::fs::write(dir.path().join(file), b"RIFF\x10\0\0\0WAVEfmt garbage").unwrap();
    let out = callgrade().args(run_args(&manifest, &db)).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let out = callgrade()
        .args(["export", "--campaign", "2026Q4", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let call = &json["calls"][0];
    assert_eq!(call["status"], "failed");
    assert!(call["score"].is_null() && call["criteria"].as_array().unwrap().is_empty());
    assert!(call["error"].as_str().unwrap().contains(file));
}

#[test]
fn a_killed_run_resumes_without_duplicates() {
    let (_dir, db, args) = four_calls_one_at_a_time();
    // The writer stops for good after two stored calls (a test hook), so the SIGKILL lands
    // mid-batch at a known point however fast or loaded the machine is.
    let mut child = callgrade()
        .args(&args)
        .env("CALLGRADE_TEST_PAUSE_AFTER_CALLS", "2")
        .spawn()
        .unwrap();
    while scored_calls(&db) < 2 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it stored two calls"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(count(&db, "call_scores"), 2, "whole calls only");
    let kept = transcript_ids(&db);
    assert_eq!(kept.len(), 2);

    resume_keeps(&db, &args, &kept);
    before_after_rerun(&db, || {
        assert!(callgrade().args(&args).status().unwrap().success());
    });
}

#[test]
fn ctrl_c_finishes_the_calls_in_flight_and_a_rerun_carries_on() {
    let (_dir, db, args) = four_calls_one_at_a_time();
    let child = callgrade()
        .args(&args)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    while scored_calls(&db) < 1 {
        std::thread::sleep(Duration::from_millis(50));
    }
    // SAFETY: kill(2) on our own child's pid; no memory is shared.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("Run the same command again"), "{stderr}");
    let stored = count(&db, "call_scores");
    assert!((1..4).contains(&stored), "{stored} calls stored of 4");
    // Whole calls only: every call row is scored, none half-written or failed.
    assert_eq!(count(&db, "calls"), stored);
    assert_eq!(scored_calls(&db), stored);
    resume_keeps(&db, &args, &transcript_ids(&db));
}

/// Four demo calls, their database and the `run` arguments that take them one at a time.
fn four_calls_one_at_a_time() -> (tempfile::TempDir, std::path::PathBuf, Vec<String>) {
    let (dir, manifest) = workspace(4, &[]);
    let db = dir.path().join("t.db");
    let mut args = run_args(&manifest, &db);
    args.extend(["--jobs".into(), "1".into()]);
    (dir, db, args)
}

/// Runs `args` again and checks that all four calls end up stored once, and that the calls
/// stored before (`kept`: file → transcript id) were not transcribed again.
fn resume_keeps(
    db: &std::path::Path,
    args: &[String],
    kept: &std::collections::BTreeMap<String, i64>,
) {
    let out = callgrade().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(count(db, "calls"), 4);
    assert_eq!(count(db, "call_scores"), 4);
    assert_eq!(count(db, "transcripts"), 4);
    let after = transcript_ids(db);
    for (file, id) in kept {
        assert_eq!(after.get(file), Some(id), "{file} was transcribed again");
    }
}

/// Scored calls in the database, 0 while it does not exist yet or is being created.
fn scored_calls(db: &std::path::Path) -> i64 {
    if !db.exists() {
        return 0;
    }
    rusqlite::Connection::open(db)
        .and_then(|c| {
            c.query_row(
                "SELECT COUNT(*) FROM calls WHERE status = 'scored'",
                [],
                |r| r.get(0),
            )
        })
        .unwrap_or(0)
}

/// The transcript each scored call's score was made from, by file.
fn transcript_ids(db: &std::path::Path) -> std::collections::BTreeMap<String, i64> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT c.file, s.transcript_id FROM call_scores s JOIN calls c ON c.id = s.call_id",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Runs `rerun` and checks that no table gained or lost rows.
fn before_after_rerun(db: &std::path::Path, rerun: impl FnOnce()) {
    let before: Vec<i64> = TABLES.iter().map(|t| count(db, t)).collect();
    rerun();
    let after: Vec<i64> = TABLES.iter().map(|t| count(db, t)).collect();
    assert_eq!(before, after, "rows per table {TABLES:?}");
}
