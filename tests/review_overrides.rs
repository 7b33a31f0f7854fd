//! Supervisors' overrides on a real database: two demo calls run once through the real pipeline
//! (tiny.en, English rubric), then each test works on its own copy of that database with the
//! built binary. Expected totals are recomputed here from the exported criteria and the
//! rubric's bands, so the checks hold whatever Whisper hears; the overridden criterion is
//! `pickup` (measured from ringback, not from the transcript).

mod common;

use common::{
    callgrade, copy_db, count, criterion, demo_db, expected_total as expected, repo, run_args,
    workspace,
};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

const CALL: &str = "call01-amy-service-hours.wav";
const UNIT: &str = "行政課";

/// The database built once by the real pipeline; tests copy it.
fn base_db() -> &'static PathBuf {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| demo_db("review_overrides"))
}

/// A private copy of the base database for one test.
fn fresh_db(name: &str) -> PathBuf {
    copy_db(base_db(), name)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn cg(db: &Path, args: &[&str]) -> Output {
    callgrade().args(args).arg("--db").arg(db).output().unwrap()
}

fn ok(db: &Path, args: &[&str]) -> String {
    let out = cg(db, args);
    assert!(
        out.status.success(),
        "callgrade {args:?} failed: {}",
        text(&out.stderr)
    );
    text(&out.stdout)
}

fn export(db: &Path) -> Value {
    serde_json::from_str(&ok(
        db,
        &["export", "--campaign", "2026Q4", "--format", "json"],
    ))
    .unwrap()
}

fn call_of(export: &Value) -> &Value {
    export["calls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["file"] == CALL)
        .unwrap()
}

fn trend_mean(db: &Path) -> f64 {
    let t: Value =
        serde_json::from_str(&ok(db, &["report", "trends", "--format", "json"])).unwrap();
    t["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["group"] == UNIT && r["campaign"] == "2026Q4")
        .unwrap()["mean_score"]
        .as_f64()
        .unwrap()
}

fn fail_pickup(db: &Path, reason: &str) -> String {
    ok(
        db,
        &[
            "review",
            CALL,
            "--criterion",
            "pickup",
            "--fail",
            "--reason",
            reason,
            "--by",
            "Supervisor Wang",
        ],
    )
}

#[test]
fn override_flips_the_verdict_in_exports_trends_and_the_call_report() {
    let db = fresh_db("flip");
    let before = export(&db);
    let call = call_of(&before);
    let pickup = criterion(call, "pickup");
    assert_eq!(pickup["passed"], true, "demo call01 is answered in time");
    assert!(pickup["override"].is_null());
    let original_points = pickup["points"].as_f64().unwrap();
    assert_eq!(trend_mean(&db), call["score"].as_f64().unwrap());

    let printed = fail_pickup(
        &db,
        "rings were cut from the recording; the log shows 6 rings",
    );
    assert!(printed.contains("pickup: passed"), "{printed}");

    let after = export(&db);
    let call = call_of(&after);
    let pickup = criterion(call, "pickup");
    assert_eq!(pickup["passed"], false);
    assert_eq!(pickup["points"], 0.0);
    let o = &pickup["override"];
    assert_eq!(o["by"], "Supervisor Wang");
    assert_eq!(o["original_passed"], true);
    assert_eq!(o["original_points"].as_f64().unwrap(), original_points);
    assert!(o["reason"].as_str().unwrap().contains("6 rings"));
    assert!(o["at"].as_str().unwrap().ends_with('Z'));

    let (score, grade) = expected(call);
    assert_eq!(call["score"].as_f64().unwrap(), score);
    assert_eq!(call["grade"], grade);
    let old_score = call_of(&before)["score"].as_f64().unwrap();
    assert!(score < old_score, "{score} vs {old_score}");
    assert_eq!(trend_mean(&db), score);

    // The other call is untouched.
    let other = |e: &Value| {
        e["calls"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["file"] != CALL)
            .unwrap()
            .clone()
    };
    assert_eq!(other(&before), other(&after));

    let report = ok(&db, &["report", "call", CALL]);
    assert!(
        report.contains("overridden by Supervisor Wang"),
        "call report should say who overrode: {report}"
    );
    let json: Value =
        serde_json::from_str(&ok(&db, &["report", "call", CALL, "--format", "json"])).unwrap();
    assert_eq!(json["score"].as_f64().unwrap(), score);
    assert_eq!(json["grade"], grade);
}

#[test]
fn override_survives_rescoring_with_an_edited_rubric_and_run_force() {
    let db = fresh_db("rescore");
    fail_pickup(&db, "ringback drowned out; caller counted 5 rings");

    // The same rubric id, edited: pickup now weighs 20 instead of 15.
    let dir = db.with_file_name("edited-rubric");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let original = std::fs::read_to_string(repo().join("rubrics/courtesy-en.toml")).unwrap();
    let edited = original.replacen("points = 15", "points = 20", 1);
    assert_ne!(edited, original);
    let rubric = dir.join("courtesy-en.toml");
    std::fs::write(&rubric, edited).unwrap();
    let scenarios = repo().join("rubrics/scenarios");
    ok(
        &db,
        &[
            "score",
            "--campaign",
            "2026Q4",
            "--rubric",
            rubric.to_str().unwrap(),
            "--scenarios",
            scenarios.to_str().unwrap(),
            "--quiet",
        ],
    );
    let after = export(&db);
    let call = call_of(&after);
    let pickup = criterion(call, "pickup");
    assert_eq!(pickup["max"], 20.0, "export should use the edited version");
    assert_eq!(pickup["passed"], false);
    assert_eq!(pickup["points"], 0.0);
    assert_eq!(pickup["override"]["original_points"], 20.0);
    let (score, grade) = expected(call);
    assert_eq!(call["score"].as_f64().unwrap(), score);
    assert_eq!(call["grade"], grade);

    // Transcribing and scoring again from scratch keeps the reviewer's verdict too.
    let (_ws, manifest) = workspace(2, &[]);
    let mut args = run_args(&manifest, &db);
    args.push("--force".into());
    let out = callgrade().args(&args).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let forced = export(&db);
    let call = call_of(&forced);
    assert_eq!(criterion(call, "pickup")["passed"], false);
    assert_eq!(call["score"].as_f64().unwrap(), expected(call).0);
    assert_eq!(count(&db, "overrides"), 1);
}

#[test]
fn undo_restores_the_previous_verdict_and_the_list_keeps_history() {
    let db = fresh_db("undo");
    let original = export(&db);
    fail_pickup(&db, "first listen: 5 rings");
    ok(
        &db,
        &[
            "review",
            CALL,
            "--criterion",
            "pickup",
            "--pass",
            "--points",
            "99",
            "--reason",
            "second listen: 3 rings",
            "--by",
            "Supervisor Lee",
        ],
    );
    let p = criterion(call_of(&export(&db)), "pickup").clone();
    assert_eq!(p["passed"], true);
    assert_eq!(
        p["points"], 15.0,
        "points are clamped to the criterion's maximum"
    );
    assert_eq!(p["override"]["by"], "Supervisor Lee");

    ok(
        &db,
        &[
            "review",
            CALL,
            "--criterion",
            "pickup",
            "--undo",
            "--by",
            "Lee",
        ],
    );
    let p = criterion(call_of(&export(&db)), "pickup").clone();
    assert_eq!(p["passed"], false, "undo brings back the earlier override");
    assert_eq!(p["override"]["by"], "Supervisor Wang");

    ok(
        &db,
        &[
            "review",
            CALL,
            "--criterion",
            "pickup",
            "--undo",
            "--by",
            "Lee",
        ],
    );
    assert_eq!(
        export(&db),
        original,
        "undoing every override restores the scores"
    );

    let out = cg(
        &db,
        &[
            "review",
            CALL,
            "--criterion",
            "pickup",
            "--undo",
            "--by",
            "Lee",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no override of `pickup`"));

    let list = ok(&db, &["review", CALL, "--list"]);
    assert!(list.contains("2 override(s)"), "{list}");
    assert!(list.contains("first listen: 5 rings"), "{list}");
    assert!(list.contains("second listen: 3 rings"), "{list}");
    assert_eq!(list.matches("withdrawn").count(), 2, "{list}");
    assert_eq!(count(&db, "overrides"), 2, "undo keeps the rows");
}

#[test]
fn missing_reason_unknown_criterion_and_unknown_call_are_explained() {
    let db = fresh_db("errors");
    let out = cg(
        &db,
        &[
            "review",
            CALL,
            "--criterion",
            "pickup",
            "--fail",
            "--by",
            "W",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("a reason is required"),
        "{}",
        text(&out.stderr)
    );

    let out = cg(
        &db,
        &[
            "review",
            CALL,
            "--criterion",
            "pick_up",
            "--fail",
            "--reason",
            "x",
            "--by",
            "W",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("no criterion `pick_up`"), "{err}");
    assert!(
        err.contains("pickup (Answered within three rings)") && err.contains("closing"),
        "the message should list the rubric's criteria: {err}"
    );

    let out = cg(
        &db,
        &[
            "review",
            "call99.wav",
            "--criterion",
            "pickup",
            "--fail",
            "--reason",
            "x",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains(&db.display().to_string()), "{err}");
    assert!(err.contains("callgrade report call"), "{err}");

    assert_eq!(count(&db, "overrides"), 0);
    let list = ok(&db, &["review", CALL, "--list"]);
    assert!(list.contains("no overrides"), "{list}");
}

#[test]
fn a_doubtful_verdict_is_shown_for_review_until_a_supervisor_decides_it() {
    let db = fresh_db("doubt");
    // Whatever tiny.en heard, make the call's pickup verdict a doubtful one.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let changed = conn
        .execute(
            "UPDATE criterion_results SET confidence = 0.3, needs_review = 1
             WHERE criterion_id = 'pickup' AND call_score_id IN (
                 SELECT s.id FROM call_scores s JOIN calls c ON c.id = s.call_id
                 WHERE c.file = ?1)",
            [CALL],
        )
        .unwrap();
    assert_eq!(changed, 1);
    drop(conn);
    let pickup = criterion(call_of(&export(&db)), "pickup").clone();
    assert_eq!(
        (
            pickup["confidence"].as_f64(),
            pickup["needs_review"].as_bool()
        ),
        (Some(0.3), Some(true))
    );
    let report = ok(&db, &["report", "call", CALL]);
    assert!(
        report.contains("needs review (confidence 0.30)"),
        "{report}"
    );
    let list = ok(&db, &["review", CALL, "--list"]);
    assert!(
        list.contains("Verdicts that need review: pickup (confidence 0.30)"),
        "{list}"
    );

    fail_pickup(&db, "checked the phone log: 6 rings");
    let pickup = criterion(call_of(&export(&db)), "pickup").clone();
    assert_eq!(
        (
            pickup["confidence"].as_f64(),
            pickup["needs_review"].as_bool()
        ),
        (Some(1.0), Some(false))
    );
    // Other verdicts of the call may still be doubtful; pickup is decided.
    let list = ok(&db, &["review", CALL, "--list"]);
    assert!(!list.contains("pickup (confidence"), "{list}");
    let report = ok(&db, &["report", "call", CALL]);
    let line = report.lines().find(|l| l.contains(" pickup ")).unwrap();
    assert!(!line.contains("needs review"), "{report}");
}
