//! The review pages over real HTTP: the built `callgrade serve` on a database made at test time
//! by the real pipeline (tiny.en, English rubric) from two bundled demo calls, with accounts
//! of every role. Each test works on its own copy. Expected totals are recomputed from the
//! exported criteria and the rubric's bands, so the checks hold whatever Whisper hears; the
//! overridden criterion is `pickup` (measured from ringback, not from the transcript).

mod common;
mod web_support;

use common::{
    callgrade, copy_db, criterion, demo_db, expected_total as expected, export_json, exported_call,
};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use web_support::{Client, PASSWORD, Reply, Server, add_user};

const CAMPAIGN: &str = "2026Q4";
const CALL: &str = "call01-amy-service-hours.wav";

/// The base database (its recordings kept for the audio route), with an account per role.
fn base_db() -> &'static PathBuf {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        let db = demo_db("web_pages");
        for (name, role) in [
            ("admin", "admin"),
            ("wang", "supervisor"),
            ("lee", "supervisor"),
            ("chen", "trainer"),
        ] {
            add_user(&db, name, role, PASSWORD);
        }
        db
    })
}

/// A private copy of the base database.
fn fresh_db(name: &str) -> PathBuf {
    copy_db(base_db(), name)
}

fn sql<T: rusqlite::types::FromSql>(db: &Path, query: &str) -> T {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(query, [], |r| r.get(0))
        .unwrap()
}

fn call_id(db: &Path, file: &str) -> i64 {
    sql(db, &format!("SELECT id FROM calls WHERE file = '{file}'"))
}

fn ok(reply: Reply, what: &str) -> Reply {
    assert_eq!(reply.status, 200, "{what}: {}", reply.body);
    reply
}

/// The `seen` value of the override form of `criterion` on a call page.
fn seen(page: &str, criterion: &str) -> String {
    let at = page
        .find(&format!(r#"name="criterion" value="{criterion}""#))
        .unwrap_or_else(|| panic!("no override form for {criterion}"));
    let rest = &page[at..];
    let v = rest.find(r#"name="seen" value=""#).unwrap() + r#"name="seen" value=""#.len();
    rest[v..].split('"').next().unwrap().to_string()
}

/// `<span id="score">S / M</span>` and the grade next to it, as the call page shows them.
fn page_total(page: &str) -> (f64, String) {
    let between = |open: &str| {
        let at = page.find(open).unwrap_or_else(|| panic!("no {open}")) + open.len();
        page[at..].split('<').next().unwrap().to_string()
    };
    let score = between(r#"id="score">"#);
    let score: f64 = score.split('/').next().unwrap().trim().parse().unwrap();
    (score, between(r#"id="grade">"#))
}

fn override_fields<'a>(
    verdict: &'a str,
    reason: &'a str,
    seen: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("rubric", "courtesy-en"),
        ("criterion", "pickup"),
        ("verdict", verdict),
        ("reason", reason),
        ("seen", seen),
    ]
}

#[test]
fn every_route_answers_readers_and_refuses_anonymous_users() {
    let db = fresh_db("routes");
    let id = call_id(&db, CALL);
    let server = Server::start(&db, &[]);
    let trainer = server.login("chen", PASSWORD);
    let anonymous = server.anonymous();
    let c = format!("/campaigns/{CAMPAIGN}");
    let pages = [
        "/campaigns".to_string(),
        format!("{c}/calls"),
        format!("{c}/calls?staff=Amy%20Chen&sort=-score"),
        format!("{c}/queue"),
        format!("{c}/trends"),
        format!("{c}/trends?by=staff"),
        format!("{c}/training"),
        format!("{c}/export/csv"),
        format!("{c}/export/xlsx"),
        format!("{c}/export/html"),
        format!("/calls/{id}"),
        format!("/calls/{id}/audio"),
    ];
    for path in &pages {
        ok(trainer.get(path), path);
        let refused = anonymous.get(path);
        match refused.status {
            303 => assert!(
                refused.location().unwrap().starts_with("/login"),
                "{path}: {:?}",
                refused.location()
            ),
            401 => {}
            s => panic!("{path}: anonymous got {s}"),
        }
        assert!(
            !refused.body.contains("Amy Chen"),
            "{path} leaked to anonymous"
        );
    }
    assert_eq!(anonymous.get(&format!("/calls/{id}/audio")).status, 401);

    let next = trainer.get(&format!("{c}/next"));
    assert_eq!(next.status, 303);
    assert!(next.location().unwrap().starts_with("/calls/"));
    assert_eq!(anonymous.get(&format!("{c}/next")).status, 303);

    // Campaigns page: calls, mean, failed, reviewed.
    let campaigns = trainer.get("/campaigns").body;
    assert!(campaigns.contains(CAMPAIGN), "{campaigns}");
    // The staff filter keeps only that person's calls.
    let amy = trainer.get(&format!("{c}/calls?staff=Amy%20Chen")).body;
    assert!(amy.contains(CALL), "{amy}");
    let other: String = sql(
        &db,
        "SELECT file FROM calls WHERE file != 'call01-amy-service-hours.wav'",
    );
    assert!(!amy.contains(&other), "{amy}");
    assert!(trainer.get(&format!("{c}/calls")).body.contains(&other));

    // Downloads are attachments with the export's media types.
    let csv = trainer.get(&format!("{c}/export/csv"));
    assert!(
        csv.header("content-disposition")
            .unwrap()
            .starts_with("attachment")
    );
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(csv.body.contains(CALL));
    let xlsx = trainer.get(&format!("{c}/export/xlsx"));
    assert_eq!(&xlsx.bytes[..2], b"PK", "a workbook is a zip");
    let html = trainer.get(&format!("{c}/export/html"));
    assert!(
        html.header("content-disposition")
            .unwrap()
            .starts_with("attachment")
    );
    assert!(html.body.contains("<!DOCTYPE html>"));

    // Trainers read; the forms are for supervisors.
    let call = trainer.get(&format!("/calls/{id}")).body;
    assert!(call.contains(r#"<audio id="player""#), "{call}");
    assert!(!call.contains(r#"name="verdict""#), "{call}");
    assert!(!call.contains("/reviewed\""), "{call}");

    // The page in Chinese by default, in English after the switch; the timeline, quotes and
    // lines are `#t=` links and the recording is served by id.
    assert!(call.contains("逐字稿"), "{call}");
    assert!(call.contains(r#"<svg class="timeline""#), "{call}");
    assert!(call.contains(r##"class="quote" href="#t="##), "{call}");
    assert!(call.contains(r##"class="t" href="#t="##), "{call}");
    assert!(
        call.contains(&format!(r#"src="/calls/{id}/audio""#)),
        "{call}"
    );
    let english = trainer.post(
        "/settings/language",
        &[("lang", "en"), ("back", "/campaigns")],
    );
    assert_eq!(english.status, 303, "{}", english.body);
    let call = trainer.get(&format!("/calls/{id}")).body;
    assert!(
        call.contains("Transcript") && call.contains("Call timeline"),
        "{call}"
    );
    assert!(
        trainer
            .get(&format!("{c}/queue"))
            .body
            .contains("Next call to review")
    );

    assert_eq!(trainer.get("/campaigns/NOPE/calls").status, 404);
    assert_eq!(trainer.get("/calls/999999").status, 404);
}

#[test]
fn posts_need_a_supervisor_and_the_session_s_csrf_token() {
    let db = fresh_db("posts");
    let id = call_id(&db, CALL);
    let server = Server::start(&db, &[]);
    let supervisor = server.login("wang", PASSWORD);
    let trainer = server.login("chen", PASSWORD);
    let anonymous = server.anonymous();
    let add = format!("/calls/{id}/overrides");
    let fields = override_fields("failed", "caller heard six rings", "0");

    assert_eq!(anonymous.post_raw(&add, &fields).status, 401);
    assert_eq!(trainer.post(&add, &fields).status, 403);
    assert_eq!(supervisor.post_raw(&add, &fields).status, 403, "no csrf");
    let mut wrong = fields.clone();
    wrong.push(("csrf", "0000"));
    assert_eq!(supervisor.post_raw(&add, &wrong).status, 403, "wrong csrf");
    assert_eq!(sql::<i64>(&db, "SELECT COUNT(*) FROM overrides"), 0);

    let made = supervisor.post(&add, &fields);
    assert_eq!(made.status, 303, "{}", made.body);
    let oid: i64 = sql(&db, "SELECT id FROM overrides");

    let withdraw = format!("/calls/{id}/overrides/{oid}/withdraw");
    assert_eq!(anonymous.post_raw(&withdraw, &[("seen", "1")]).status, 401);
    assert_eq!(trainer.post(&withdraw, &[("seen", "1")]).status, 403);
    assert_eq!(supervisor.post_raw(&withdraw, &[("seen", "1")]).status, 403);
    let undone = supervisor.post(&withdraw, &[("seen", "1")]);
    assert_eq!(undone.status, 303, "{}", undone.body);
    assert!(sql::<Option<String>>(&db, "SELECT withdrawn_by FROM overrides").is_some());

    let reviewed = format!("/calls/{id}/reviewed");
    assert_eq!(anonymous.post_raw(&reviewed, &[]).status, 401);
    assert_eq!(trainer.post(&reviewed, &[]).status, 403);
    assert_eq!(supervisor.post_raw(&reviewed, &[]).status, 403);
    assert_eq!(sql::<i64>(&db, "SELECT COUNT(*) FROM reviews"), 0);
    assert_eq!(supervisor.post(&reviewed, &[]).status, 303);
    assert_eq!(sql::<String>(&db, "SELECT reviewer FROM reviews"), "wang");

    // Admins may do everything a supervisor may.
    let admin = server.login("admin", PASSWORD);
    assert_eq!(
        admin
            .post(&add, &override_fields("passed", "checked", "2"))
            .status,
        303
    );

    // Unknown calls and overrides are missing pages; ids are numbers.
    assert_eq!(
        supervisor.post("/calls/999999/overrides", &fields).status,
        404
    );
    assert_eq!(
        supervisor
            .post(
                &format!("/calls/{id}/overrides/999999/withdraw"),
                &[("seen", "0")]
            )
            .status,
        404
    );
    assert_eq!(supervisor.post("/calls/x/reviewed", &[]).status, 400);
}

#[test]
fn an_override_changes_the_call_page_every_report_and_export_and_is_audited() {
    let db = fresh_db("override");
    let id = call_id(&db, CALL);
    let before = export_json(&db, CAMPAIGN);
    let auto = exported_call(&before, CALL);
    assert_eq!(criterion(auto, "pickup")["passed"], true);
    let server = Server::start(&db, &[]);
    let wang = server.login("wang", PASSWORD);

    let page = ok(wang.get(&format!("/calls/{id}")), "call page").body;
    let (score, grade) = page_total(&page);
    assert_eq!(score, auto["score"].as_f64().unwrap());
    assert_eq!(grade, auto["grade"].as_str().unwrap());

    let reason = "ringback was cut from the recording; the log shows 6 rings";
    let made = wang.post(
        &format!("/calls/{id}/overrides"),
        &override_fields("failed", reason, &seen(&page, "pickup")),
    );
    assert_eq!(made.status, 303, "{}", made.body);
    assert_eq!(made.location().unwrap(), format!("/calls/{id}#c-pickup"));

    // The exports and reports apply it exactly as a CLI override.
    let after = export_json(&db, CAMPAIGN);
    let overridden = exported_call(&after, CALL);
    let pickup = criterion(overridden, "pickup");
    assert_eq!(pickup["passed"], false);
    assert_eq!(pickup["override"]["by"], "wang");
    let (want_score, want_grade) = expected(overridden);
    assert_eq!(overridden["score"].as_f64().unwrap(), want_score);
    assert_eq!(overridden["grade"], want_grade);
    assert!(want_score < auto["score"].as_f64().unwrap());

    let page = ok(wang.get(&format!("/calls/{id}")), "call page").body;
    assert_eq!(page_total(&page), (want_score, want_grade.to_string()));
    assert!(page.contains(reason), "the history shows the reason");

    let report = callgrade()
        .args([
            "report",
            "call",
            &id.to_string(),
            "--format",
            "json",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&report.stdout).unwrap();
    assert_eq!(report["score"].as_f64().unwrap(), want_score);
    let csv = wang.get(&format!("/campaigns/{CAMPAIGN}/export/csv")).body;
    assert!(csv.contains(&format!("{want_score}")), "{csv}");

    // The audit row: who, what, which call and criterion.
    let (actor, action, detail): (String, String, String) = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT actor, action, detail FROM audit WHERE action = 'override'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((actor.as_str(), action.as_str()), ("wang", "override"));
    assert!(
        detail.contains(&format!("call {id}")) && detail.contains("pickup"),
        "{detail}"
    );
    assert!(detail.contains(reason), "{detail}");

    // Not applicable earns full points, as scoring gives them.
    let na = wang.post(
        &format!("/calls/{id}/overrides"),
        &override_fields(
            "not_applicable",
            "the test script skipped pickup",
            &seen(&page, "pickup"),
        ),
    );
    assert_eq!(na.status, 303, "{}", na.body);
    let after_na = export_json(&db, CAMPAIGN);
    let k = criterion(exported_call(&after_na, CALL), "pickup");
    assert_eq!(k["applicable"], false, "{k}");
    assert_eq!(k["points"], k["max"], "{k}");

    // Undo twice: back to the automatic verdict, and both withdrawals are audited.
    for _ in 0..2 {
        let page = wang.get(&format!("/calls/{id}")).body;
        let oid: i64 = sql(
            &db,
            "SELECT MAX(id) FROM overrides WHERE withdrawn_at IS NULL",
        );
        let undo = wang.post(
            &format!("/calls/{id}/overrides/{oid}/withdraw"),
            &[("seen", &seen(&page, "pickup"))],
        );
        assert_eq!(undo.status, 303, "{}", undo.body);
    }
    assert_eq!(exported_call(&export_json(&db, CAMPAIGN), CALL), auto);
    let page = wang.get(&format!("/calls/{id}")).body;
    assert_eq!(page_total(&page).0, auto["score"].as_f64().unwrap());
    assert_eq!(
        sql::<i64>(
            &db,
            "SELECT COUNT(*) FROM audit WHERE action = 'override-withdrawn'"
        ),
        2
    );
}

#[test]
fn an_override_from_a_stale_page_is_refused_naming_who_changed_it() {
    let db = fresh_db("stale");
    let id = call_id(&db, CALL);
    let server = Server::start(&db, &[]);
    let wang = server.login("wang", PASSWORD);
    let lee = server.login("lee", PASSWORD);
    // Both open the call.
    let wang_page = wang.get(&format!("/calls/{id}")).body;
    let lee_page = lee.get(&format!("/calls/{id}")).body;
    let first = wang.post(
        &format!("/calls/{id}/overrides"),
        &override_fields(
            "failed",
            "six rings in the log",
            &seen(&wang_page, "pickup"),
        ),
    );
    assert_eq!(first.status, 303);
    let second = lee.post(
        &format!("/calls/{id}/overrides"),
        &override_fields("passed", "sounds fine to me", &seen(&lee_page, "pickup")),
    );
    assert_eq!(second.status, 409, "{}", second.body);
    assert!(
        second.body.contains("wang"),
        "names who changed it: {}",
        second.body
    );
    assert_eq!(sql::<i64>(&db, "SELECT COUNT(*) FROM overrides"), 1);
    assert!(
        !sql::<bool>(&db, "SELECT passed FROM overrides"),
        "wang's verdict stands"
    );

    // An undo from the stale page is refused the same way.
    let oid: i64 = sql(&db, "SELECT id FROM overrides");
    let undo = lee.post(
        &format!("/calls/{id}/overrides/{oid}/withdraw"),
        &[("seen", &seen(&lee_page, "pickup"))],
    );
    assert_eq!(undo.status, 409, "{}", undo.body);
    assert!(sql::<Option<String>>(&db, "SELECT withdrawn_at FROM overrides").is_none());

    // After reloading, lee's decision goes through.
    let fresh = lee.get(&format!("/calls/{id}")).body;
    let again = lee.post(
        &format!("/calls/{id}/overrides"),
        &override_fields(
            "passed",
            "listened again: three rings",
            &seen(&fresh, "pickup"),
        ),
    );
    assert_eq!(again.status, 303, "{}", again.body);

    // A reason is required.
    let fresh = lee.get(&format!("/calls/{id}")).body;
    let empty = lee.post(
        &format!("/calls/{id}/overrides"),
        &override_fields("failed", "  ", &seen(&fresh, "pickup")),
    );
    assert_eq!(empty.status, 400, "{}", empty.body);
    assert_eq!(sql::<i64>(&db, "SELECT COUNT(*) FROM overrides"), 2);
}

#[test]
fn the_audio_is_served_by_call_id_with_ranges_and_never_by_path() {
    let db = fresh_db("audio");
    let id = call_id(&db, CALL);
    let path: String = sql(&db, &format!("SELECT path FROM calls WHERE id = {id}"));
    // Stored relative to the database's folder.
    let file = std::fs::read(db.parent().unwrap().join(&path)).unwrap();
    let len = file.len();
    let server = Server::start(&db, &[]);
    let client: Client = server.login("chen", PASSWORD);
    let audio = format!("/calls/{id}/audio");

    let whole = client.get(&audio);
    assert_eq!(whole.status, 200);
    assert_eq!(whole.bytes, file);
    assert_eq!(whole.header("content-type"), Some("audio/wav"));
    assert_eq!(whole.header("accept-ranges"), Some("bytes"));

    let part = client.get_with(&audio, &[("range", "bytes=100-199")]);
    assert_eq!(part.status, 206);
    assert_eq!(part.bytes, file[100..200]);
    assert_eq!(
        part.header("content-range"),
        Some(format!("bytes 100-199/{len}").as_str())
    );
    let tail = client.get_with(&audio, &[("range", "bytes=-16")]);
    assert_eq!(tail.status, 206);
    assert_eq!(tail.bytes, file[len - 16..]);
    let open = client.get_with(&audio, &[("range", &format!("bytes={}-", len - 5))]);
    assert_eq!(
        (open.status, open.bytes.as_slice()),
        (206, &file[len - 5..])
    );

    let past = client.get_with(&audio, &[("range", &format!("bytes={len}-"))]);
    assert_eq!(past.status, 416);
    assert_eq!(
        past.header("content-range"),
        Some(format!("bytes */{len}").as_str())
    );
    assert!(past.bytes.is_empty());

    // Paths and encoded paths never reach a file.
    for attempt in [
        "/calls/../../../etc/passwd/audio",
        "/calls/1/../../../../etc/passwd",
        "/calls/..%2F..%2F..%2Fetc%2Fpasswd/audio",
        "/calls/%2e%2e%2f%2e%2e%2fetc%2fpasswd/audio",
        "/calls/%252e%252e%252fetc%252fpasswd/audio",
        "/calls/..%5C..%5Cwindows/audio",
        "/calls/1%2F..%2F2/audio",
        "/calls/abc/audio",
        "/calls/1.5/audio",
        "/calls/%00/audio",
        "/calls/99999/audio",
        "/calls/-1/audio",
    ] {
        let r = client.get(attempt);
        assert!(
            matches!(r.status, 400 | 404),
            "{attempt}: {} {}",
            r.status,
            r.body
        );
        assert!(!r.body.contains("root:"), "{attempt} served a file");
        assert!(!r.bytes.starts_with(b"RIFF"), "{attempt} served audio");
    }

    // A stored path that no longer holds a recording is not served, whatever it holds now.
    let conn = rusqlite::Connection::open(&db).unwrap();
    for target in ["/etc/passwd", "/etc", "/dev/zero"] {
        conn.execute(
            "UPDATE calls SET path = ?1 WHERE id = ?2",
            rusqlite::params![target, id],
        )
        .unwrap();
        let r = client.get(&audio);
        assert_eq!(r.status, 404, "{target}: {}", r.body);
        assert!(!r.body.contains("root:"));
    }
}

#[test]
fn transcript_text_is_escaped_and_reviewed_calls_leave_the_front_of_the_queue() {
    let db = fresh_db("escape");
    let id = call_id(&db, CALL);
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE segments SET text = '<script>alert(\"x\")</script><img src=x onerror=alert(1)>'
             WHERE idx = 0 AND transcript_id = (SELECT transcript_id FROM calls WHERE id = ?1)",
            [id],
        )
        .unwrap();
    let server = Server::start(&db, &[]);
    let wang = server.login("wang", PASSWORD);
    let page = ok(wang.get(&format!("/calls/{id}")), "call page").body;
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(!page.contains("<img src=x"), "{page}");
    assert!(page.contains("&lt;script&gt;alert"), "{page}");

    // Mark every call reviewed: "next" has nothing left and goes back to the queue.
    let queue = format!("/campaigns/{CAMPAIGN}/queue");
    let ids: Vec<i64> = {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let mut stmt = conn.prepare("SELECT id FROM calls").unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let first = wang.get(&format!("/campaigns/{CAMPAIGN}/next"));
    let first_id: i64 = first
        .location()
        .unwrap()
        .trim_start_matches("/calls/")
        .parse()
        .unwrap();
    assert_eq!(
        wang.post(&format!("/calls/{first_id}/reviewed"), &[])
            .status,
        303
    );
    let second = wang.get(&format!("/campaigns/{CAMPAIGN}/next"));
    assert_ne!(
        second.location(),
        first.location(),
        "the reviewed call is not next again"
    );
    for id in &ids {
        wang.post(&format!("/calls/{id}/reviewed"), &[]);
    }
    let done = wang.get(&format!("/campaigns/{CAMPAIGN}/next"));
    assert_eq!(done.location(), Some(queue.as_str()));
    assert_eq!(
        sql::<i64>(&db, "SELECT COUNT(*) FROM audit WHERE action = 'reviewed'"),
        ids.len() as i64 + 1
    );
}

/// Where the test server runs: the package folder, never the database's folder.
fn relative_to_cwd(path: &Path) -> PathBuf {
    let cwd = std::env::current_dir().unwrap();
    path.strip_prefix(&cwd).unwrap().to_path_buf()
}

#[test]
fn a_database_copied_with_its_recordings_plays_from_anywhere_and_a_missing_file_is_named() {
    // `run` stored the recording relative to the database's folder.
    let stored: String = sql(
        base_db(),
        &format!("SELECT path FROM calls WHERE file = '{CALL}'"),
    );
    assert_eq!(Path::new(&stored), Path::new("recordings").join(CALL));

    // The database and its recordings folder copied elsewhere, served from another folder.
    let moved = base_db().parent().unwrap().join("moved");
    let _ = std::fs::remove_dir_all(&moved);
    std::fs::create_dir_all(moved.join("recordings")).unwrap();
    for entry in std::fs::read_dir(base_db().parent().unwrap().join("recordings")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(
            entry.path(),
            moved.join("recordings").join(entry.file_name()),
        )
        .unwrap();
    }
    let db = moved.join("copy.db");
    rusqlite::Connection::open(base_db())
        .unwrap()
        .execute("VACUUM INTO ?1", [db.display().to_string()])
        .unwrap();
    assert_ne!(std::env::current_dir().unwrap(), moved);
    let id = call_id(&db, CALL);
    let server = Server::start(&db, &[]);
    let wang = server.login("wang", PASSWORD);
    let audio = wang.get(&format!("/calls/{id}/audio"));
    assert_eq!(audio.status, 200, "{}", audio.body);
    assert_eq!(
        audio.bytes,
        std::fs::read(moved.join("recordings").join(CALL)).unwrap()
    );
    let page = ok(wang.get(&format!("/calls/{id}")), "call page").body;
    assert!(page.contains(r#"<audio id="player""#), "{page}");
    assert!(!page.contains("recording-missing"), "{page}");

    // A database from before: a path relative to the folder `run` started in still plays.
    let elsewhere = moved.join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::rename(moved.join("recordings").join(CALL), elsewhere.join(CALL)).unwrap();
    let old_style = relative_to_cwd(&elsewhere.join(CALL));
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE calls SET path = ?1 WHERE id = ?2",
        rusqlite::params![old_style.display().to_string(), id],
    )
    .unwrap();
    assert_eq!(wang.get(&format!("/calls/{id}/audio")).status, 200);

    // Gone: the page names the file and says what to do, in place of a silent player.
    std::fs::remove_file(elsewhere.join(CALL)).unwrap();
    conn.execute(
        "UPDATE calls SET path = ?1 WHERE id = ?2",
        rusqlite::params![format!("recordings/{CALL}"), id],
    )
    .unwrap();
    let expected = moved.join("recordings").join(CALL).display().to_string();
    let page = ok(wang.get(&format!("/calls/{id}")), "call page").body;
    assert!(!page.contains(r#"<audio id="player""#), "{page}");
    assert!(page.contains("找不到這通電話的錄音檔"), "{page}");
    assert!(page.contains(&expected), "{expected} in {page}");
    wang.post(
        "/settings/language",
        &[("lang", "en"), ("back", "/campaigns")],
    );
    let page = ok(wang.get(&format!("/calls/{id}")), "call page").body;
    assert!(
        page.contains("The recording of this call cannot be found") && page.contains(&expected),
        "{page}"
    );
    assert_eq!(wang.get(&format!("/calls/{id}/audio")).status, 404);
    let report = callgrade()
        .args(["report", "call", CALL, "--db"])
        .arg(&db)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&report.stdout);
    assert!(
        text.contains("Recording file missing") && text.contains(&expected),
        "{text}"
    );
}

#[test]
fn mono_lines_are_labelled_with_the_speaker_scoring_found_and_guesses_are_marked() {
    let db = fresh_db("speakers");
    let id = call_id(&db, CALL);
    let stored: String = sql(
        &db,
        &format!("SELECT speakers FROM call_scores WHERE call_id = {id}"),
    );
    let speakers: Vec<Option<Value>> = serde_json::from_str(&stored).unwrap();
    assert!(speakers.iter().flatten().count() > 0, "{stored}");
    let server = Server::start(&db, &[]);
    let chen = server.login("chen", PASSWORD);
    let page = ok(chen.get(&format!("/calls/{id}")), "call page").body;
    // The call is mono: without the stored attribution every line would be 通話.
    assert!(
        page.contains(r#"<span class="who">受測人員</span>"#),
        "{page}"
    );
    assert!(!page.contains(r#"<span class="who">通話</span>"#), "{page}");

    // A line scoring was unsure of is marked as a guess, here and in the HTML export.
    let first = speakers.iter().position(Option::is_some).unwrap();
    let mut edited = speakers.clone();
    edited[first] = Some(serde_json::json!({"speaker": "caller", "confidence": 0.35}));
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE call_scores SET speakers = ?1 WHERE call_id = ?2",
        rusqlite::params![serde_json::to_string(&edited).unwrap(), id],
    )
    .unwrap();
    let page = ok(chen.get(&format!("/calls/{id}")), "call page").body;
    assert!(
        page.contains(r#"<span class="who">測試者</span><small class="unsure""#),
        "{page}"
    );
    let export = ok(
        chen.get(&format!("/campaigns/{CAMPAIGN}/export/html")),
        "export",
    )
    .body;
    assert!(export.contains(r#"class="unsure""#), "{export}");

    // A score from before attribution was kept: the page still opens, lines say 通話.
    conn.execute(
        "UPDATE call_scores SET speakers = NULL WHERE call_id = ?1",
        [id],
    )
    .unwrap();
    let page = ok(chen.get(&format!("/calls/{id}")), "call page").body;
    assert!(page.contains(r#"<span class="who">通話</span>"#), "{page}");
}

#[test]
fn timeline_marks_are_named_links_that_seek() {
    let db = fresh_db("marks");
    let id = call_id(&db, CALL);
    let server = Server::start(&db, &[]);
    let chen = server.login("chen", PASSWORD);
    let page = ok(chen.get(&format!("/calls/{id}")), "call page").body;
    let marks: Vec<&str> = page.split(r#"<a class="mark-link""#).skip(1).collect();
    assert!(!marks.is_empty(), "{page}");
    for m in marks {
        let tag = &m[..m.find('>').unwrap()];
        assert!(tag.contains(r##"href="#t="##), "{tag}");
        let label = tag.split(r#"aria-label=""#).nth(1).unwrap();
        let label = &label[..label.find('"').unwrap()];
        let criterion = tag.split(r#"data-criterion=""#).nth(1).unwrap();
        let criterion = &criterion[..criterion.find('"').unwrap()];
        let title = page
            .split(&format!(r#"id="c-{criterion}""#))
            .nth(1)
            .and_then(|c| c.split("<h3>").nth(1))
            .unwrap();
        let title = title[..title.find("<span").unwrap()].trim();
        assert!(label.starts_with(title), "{label} names {title}");
    }
}

#[test]
fn j_and_k_find_the_neighbours_in_the_queue_when_followed() {
    let db = fresh_db("step");
    let server = Server::start(&db, &[]);
    let chen = server.login("chen", PASSWORD);
    let queue_page = format!("/campaigns/{CAMPAIGN}/queue");
    // The queue's order, as the queue page lists it.
    let queue = ok(chen.get(&queue_page), "queue").body;
    let order: Vec<i64> = queue
        .split(r#"href="/calls/"#)
        .skip(1)
        .filter_map(|s| s[..s.find('"').unwrap()].parse().ok())
        .fold(Vec::new(), |mut v, id| {
            if !v.contains(&id) {
                v.push(id);
            }
            v
        });
    assert_eq!(order.len(), 2, "{queue}");
    let (first, second) = (order[0], order[1]);
    let page = ok(chen.get(&format!("/calls/{first}")), "call page").body;
    assert!(
        page.contains(&format!(
            r#"id="next-call" rel="next" href="/calls/{first}/next?dir=next""#
        )),
        "{page}"
    );
    let to = |id: i64, dir: &str| {
        let r = chen.get(&format!("/calls/{id}/next?dir={dir}"));
        assert_eq!(r.status, 303, "{id} {dir}: {}", r.body);
        r.location().unwrap().to_string()
    };
    assert_eq!(to(first, "next"), format!("/calls/{second}"));
    assert_eq!(to(second, "prev"), format!("/calls/{first}"));
    // At either end: back to the queue.
    assert_eq!(to(first, "prev"), queue_page);
    assert_eq!(to(second, "next"), queue_page);
    assert_eq!(chen.get(&format!("/calls/{first}/next?dir=up")).status, 400);
    assert_eq!(chen.get("/calls/99999/next?dir=next").status, 404);
    let anonymous = server
        .anonymous()
        .get(&format!("/calls/{first}/next?dir=next"));
    assert_eq!(anonymous.status, 303);
    assert!(
        anonymous.location().unwrap().starts_with("/login"),
        "{:?}",
        anonymous.location()
    );
}

#[test]
fn a_change_whose_audit_row_cannot_be_written_is_not_stored() {
    let db = fresh_db("audit_tx");
    let id = call_id(&db, CALL);
    let server = Server::start(&db, &[]);
    let wang = server.login("wang", PASSWORD);
    let admin = server.login("admin", PASSWORD);
    // From now on the audit log refuses every row.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER no_audit BEFORE INSERT ON audit
             BEGIN SELECT RAISE(ABORT, 'audit refused'); END;",
        )
        .unwrap();
    let reviewed = wang.post(&format!("/calls/{id}/reviewed"), &[]);
    assert_eq!(reviewed.status, 500, "{}", reviewed.body);
    assert_eq!(sql::<i64>(&db, "SELECT COUNT(*) FROM reviews"), 0);
    let added = admin.post(
        "/users",
        &[("name", "tia"), ("role", "trainer"), ("password", PASSWORD)],
    );
    assert_eq!(added.status, 500, "{}", added.body);
    assert_eq!(
        sql::<i64>(&db, "SELECT COUNT(*) FROM users WHERE name = 'tia'"),
        0
    );
}
