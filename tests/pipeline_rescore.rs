//! `callgrade score` re-scores stored transcripts, and only those it may: a call whose recording
//! later broke stays failed, and a scenario the folder lacks fails the call in `score` exactly
//! as it does in `run` (it never hands out the content points for free).

mod common;

use common::{callgrade, repo, run_args, workspace};
use serde_json::Value;
use std::path::Path;
use std::process::Output;

fn export(db: &Path) -> Value {
    let out = callgrade()
        .args(["export", "--campaign", "2026Q4", "--format", "json", "--db"])
        .arg(db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn call<'a>(json: &'a Value, file: &str) -> &'a Value {
    json["calls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["file"] == file)
        .unwrap_or_else(|| panic!("{file} not exported"))
}

fn score(db: &Path, scenarios: &Path) -> Output {
    callgrade()
        .args(["score", "--campaign", "2026Q4", "--rubric"])
        .arg(repo().join("rubrics/courtesy-en.toml"))
        .arg("--scenarios")
        .arg(scenarios)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const FIRST: &str = "call01-amy-service-hours.wav";
const SECOND: &str = "call02-david-parenting-classes.wav";

#[test]
fn score_keeps_failed_calls_failed_and_fails_unknown_scenarios_like_run() {
    let (dir, manifest) = workspace(2, &[]);
    let db = dir.path().join("t.db");
    let out = callgrade().args(run_args(&manifest, &db)).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(call(&export(&db), SECOND)["status"], "scored");

    // The second recording is replaced by something that is not audio: the rerun fails it.
    std::fs::write(dir.path().join(SECOND), b"this is not a recording").unwrap();
    let out = callgrade().args(run_args(&manifest, &db)).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(call(&export(&db), SECOND)["status"], "failed");

    // Re-scoring must not bring it back with the score of the old recording.
    let shipped = repo().join("rubrics/scenarios");
    let out = score(&db, &shipped);
    assert!(out.status.success(), "{}", stderr(&out));
    let json = export(&db);
    let broken = call(&json, SECOND);
    assert_eq!(broken["status"], "failed", "{broken}");
    assert!(broken["score"].is_null(), "{broken}");
    assert!(broken["error"].as_str().unwrap().contains(SECOND));
    assert_eq!(call(&json, FIRST)["status"], "scored");

    // A scenarios folder without the first call's scenario: `score` fails the call, naming the
    // scenario and what to do, like `run` does with the same folder.
    let partial = dir.path().join("partial");
    std::fs::create_dir(&partial).unwrap();
    std::fs::copy(
        shipped.join("parenting-classes.toml"),
        partial.join("parenting-classes.toml"),
    )
    .unwrap();
    let out = score(&db, &partial);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json = export(&db);
    let first = call(&json, FIRST);
    assert_eq!(first["status"], "failed", "{first}");
    let scored_msg = first["error"].as_str().unwrap().to_string();
    assert!(
        scored_msg.contains("scenario `service-hours` is not among the scenario files"),
        "{scored_msg}"
    );
    assert!(stderr(&out).contains(&scored_msg), "{}", stderr(&out));

    let mut args = run_args(&manifest, &db);
    args.extend(["--scenarios".into(), partial.display().to_string()]);
    let out = callgrade().args(&args).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let run_msg = call(&export(&db), FIRST)["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        run_msg.starts_with(&scored_msg),
        "run: {run_msg}\nscore: {scored_msg}"
    );

    // A file named for the scenario whose id says otherwise: the message says which id it has.
    let text = std::fs::read_to_string(shipped.join("service-hours.toml")).unwrap();
    let renamed = text.replacen("id = \"service-hours\"", "id = \"hours\"", 1);
    assert_ne!(renamed, text);
    std::fs::write(partial.join("service-hours.toml"), renamed).unwrap();
    let out = score(&db, &partial);
    assert!(
        out.status.success(),
        "failed calls are left alone: {}",
        stderr(&out)
    );
    let out = callgrade().args(&args).output().unwrap();
    let msg = call(&export(&db), FIRST)["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(out.status.code(), Some(1), "{msg}");
    assert!(msg.contains("its `id` is `hours`"), "{msg}");

    // An empty folder is a set-up error: nothing is scored with it.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let out = score(&db, &empty);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("holds no scenario files"),
        "{}",
        stderr(&out)
    );
}
