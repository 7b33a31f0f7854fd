//! Calibration and blind review over real HTTP: the built `callgrade serve` on a database the
//! real pipeline scored (two bundled demo calls, tiny.en, English rubric), made once per test
//! binary; each test serves its own copy. Expected figures are worked out here from the
//! machine's stored verdicts, so they hold whatever Whisper hears.

mod common;
mod web_support;

use common::{callgrade, run_args, workspace};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use web_support::{Client, PASSWORD, Server, add_user};

const RUBRIC: &str = "courtesy-en";

/// The database built once by the real pipeline; tests copy it.
fn base_db() -> &'static PathBuf {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("web_calibration");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let (ws, manifest) = workspace(2, &[]);
        let db = dir.join("base.db");
        let out = callgrade().args(run_args(&manifest, &db)).output().unwrap();
        assert!(
            out.status.success(),
            "run failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        drop(ws);
        add_user(&db, "ada", "admin", PASSWORD);
        add_user(&db, "sam", "supervisor", PASSWORD);
        add_user(&db, "sue", "supervisor", PASSWORD);
        add_user(&db, "tim", "trainer", PASSWORD);
        db
    })
}

/// A private copy of the base database, served.
fn serve(name: &str) -> Server {
    let path = base_db().with_file_name(format!("{name}.db"));
    let _ = std::fs::remove_file(&path);
    let conn = rusqlite::Connection::open(base_db()).unwrap();
    conn.execute("VACUUM INTO ?1", [path.display().to_string()])
        .unwrap();
    Server::start(&path, &[])
}

/// (id, file) of every call, in id order.
fn calls(db: &Path) -> Vec<(i64, String)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT id, file FROM calls ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// The machine's stored verdicts on a call: (criterion id, `passed`/`failed`/`not_applicable`,
/// reason).
fn machine(db: &Path, call: i64) -> Vec<(String, String, String)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT r.criterion_id, r.passed, r.applicable, r.reason
             FROM criterion_results r JOIN call_scores s ON s.id = r.call_score_id
             WHERE s.call_id = ?1 ORDER BY r.idx",
        )
        .unwrap();
    stmt.query_map([call], |r| {
        let word = match (r.get::<_, bool>(1)?, r.get::<_, bool>(2)?) {
            (_, false) => "not_applicable",
            (true, true) => "passed",
            (false, true) => "failed",
        };
        Ok((r.get(0)?, word.to_string(), r.get(3)?))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

fn count(db: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// The blind form's fields for `verdicts` (criterion id, verdict word).
fn blind_fields(verdicts: &[(String, String)]) -> Vec<(String, String)> {
    let mut fields = vec![("rubric".to_string(), RUBRIC.to_string())];
    fields.extend(verdicts.iter().map(|(k, v)| (format!("v.{k}"), v.clone())));
    fields
}

fn post(client: &Client, path: &str, fields: &[(String, String)]) -> web_support::Reply {
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    client.post(path, &refs)
}

fn opposite(word: &str) -> &'static str {
    if word == "passed" { "failed" } else { "passed" }
}

/// The text of each cell of the table row with this id, tags removed.
fn row(page: &str, id: &str) -> Vec<String> {
    let at = page
        .find(&format!("<tr id=\"{id}\""))
        .unwrap_or_else(|| panic!("no row {id} in {page}"));
    let body = &page[at..at + page[at..].find("</tr>").unwrap()];
    body.split("<td")
        .skip(1)
        .map(|cell| {
            let inner = &cell[cell.find('>').unwrap() + 1..];
            let mut text = String::new();
            let mut in_tag = false;
            for c in inner.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text.trim().to_string()
        })
        .collect()
}

#[test]
fn every_route_checks_login_role_and_csrf() {
    let server = serve("roles");
    let (call, _) = calls(&server.db)[0].clone();
    let calibration = "/campaigns/2026Q4/calibration";
    let blind = format!("/calls/{call}/blind");

    let anonymous = server.anonymous();
    for path in [calibration, blind.as_str()] {
        let reply = anonymous.get(path);
        assert_eq!(reply.status, 303, "{path}");
        assert!(reply.location().unwrap().starts_with("/login"), "{path}");
    }
    assert_eq!(
        anonymous.post_raw(&blind, &[("rubric", RUBRIC)]).status,
        401
    );

    let tim = server.login("tim", PASSWORD);
    let sam = server.login("sam", PASSWORD);
    let ada = server.login("ada", PASSWORD);
    for client in [&tim, &sam, &ada] {
        assert_eq!(client.get(calibration).status, 200);
    }
    assert_eq!(tim.get(&blind).status, 403);
    assert_eq!(sam.get(&blind).status, 200);
    assert_eq!(ada.get(&blind).status, 200);
    assert_eq!(tim.get("/campaigns/2099Q1/calibration").status, 404);
    assert_eq!(sam.get("/calls/999999/blind").status, 404);

    let verdicts: Vec<(String, String)> = machine(&server.db, call)
        .into_iter()
        .map(|(k, v, _)| (k, v))
        .collect();
    let fields = blind_fields(&verdicts);
    // A trainer with a valid token, a supervisor without one or with another session's.
    assert_eq!(post(&tim, &blind, &fields).status, 403);
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(sam.post_raw(&blind, &refs).status, 403);
    let mut forged = vec![("csrf", ada.csrf())];
    forged.extend(fields.iter().map(|(k, v)| (k.as_str(), v.clone())));
    let forged: Vec<(&str, &str)> = forged.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(sam.post_raw(&blind, &forged).status, 403);
    assert_eq!(count(&server.db, "SELECT COUNT(*) FROM reviews"), 0);
    // Supervisors find the calls they have not seen on the calibration page; trainers, who
    // cannot review, get no such list.
    let link = format!("href=\"{blind}\"");
    assert!(sam.get(calibration).body.contains(&link));
    assert!(!tim.get(calibration).body.contains("blind-queue"));
    // The same form with the supervisor's own token goes through, and the call leaves the list.
    let ok = post(&sam, &blind, &fields);
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(count(&server.db, "SELECT COUNT(*) FROM reviews"), 1);
    assert!(!sam.get(calibration).body.contains(&link));
    assert!(ada.get(calibration).body.contains(&link));
}

#[test]
fn the_blind_page_shows_the_call_but_no_automatic_verdict() {
    let server = serve("blind_page");
    let (call, file) = calls(&server.db)[0].clone();
    let sam = server.login("sam", PASSWORD);
    let page = sam.get(&format!("/calls/{call}/blind")).body;
    assert!(page.contains(&file));
    assert!(page.contains(&format!("src=\"/calls/{call}/audio\"")));
    let conn = rusqlite::Connection::open(&server.db).unwrap();
    let words: String = conn
        .query_row(
            "SELECT s.text FROM segments s JOIN calls c ON c.transcript_id = s.transcript_id
             WHERE c.id = ?1 ORDER BY s.idx LIMIT 1",
            [call],
            |r| r.get(0),
        )
        .unwrap();
    assert!(page.contains(words.trim()), "transcript line {words:?}");
    let verdicts = machine(&server.db, call);
    // One choice of three per criterion, none chosen in advance.
    assert_eq!(page.matches("type=\"radio\"").count(), 3 * verdicts.len());
    assert!(!page.contains("checked"));
    // Nothing of the machine's: no reason, no verdict mark, no confidence or review flag.
    for (id, _, reason) in &verdicts {
        assert!(
            !page.contains(reason.as_str()),
            "{id}: reason {reason:?} shown"
        );
    }
    for leak in [
        "class=\"passed\"",
        "class=\"failed\"",
        "class=\"na\"",
        "class=\"review\"",
        "class=\"quote\"",
        "data-criterion",
        "confidence",
        "信心",
        "待複核",
    ] {
        assert!(!page.contains(leak), "{leak} on the blind page");
    }
}

#[test]
fn blind_and_seen_reviews_are_counted_on_the_calibration_page() {
    let server = serve("counted");
    let all = calls(&server.db);
    let ((a, _), (b, b_file)) = (all[0].clone(), all[1].clone());
    let (ma, mb) = (machine(&server.db, a), machine(&server.db, b));
    let sam = server.login("sam", PASSWORD);
    let sue = server.login("sue", PASSWORD);

    // Blind on call A by sam: every verdict the machine's, except pickup turned round.
    let on_a: Vec<(String, String)> = ma
        .iter()
        .map(|(k, v, _)| {
            let v = if k == "pickup" { opposite(v) } else { v };
            (k.clone(), v.to_string())
        })
        .collect();
    let reply = post(&sam, &format!("/calls/{a}/blind"), &blind_fields(&on_a));
    assert_eq!(reply.status, 303, "{}", reply.body);
    assert_eq!(reply.location(), Some(format!("/calls/{a}").as_str()));
    // Blind on call B by sue: all the machine's. Then sam reviews B after seeing it and
    // overrides pickup.
    let on_b: Vec<(String, String)> = mb.iter().map(|(k, v, _)| (k.clone(), v.clone())).collect();
    assert_eq!(
        post(&sue, &format!("/calls/{b}/blind"), &blind_fields(&on_b)).status,
        303
    );
    assert_eq!(
        count(&server.db, "SELECT COUNT(*) FROM blind_verdicts"),
        (ma.len() + mb.len()) as i64
    );
    // Once seen, a blind review of the same call is refused, and nothing more is stored.
    let again = post(&sam, &format!("/calls/{a}/blind"), &blind_fields(&on_a));
    assert_eq!(again.status, 409);
    assert!(again.body.contains("不能算作盲評"), "{}", again.body);
    assert_eq!(count(&server.db, "SELECT COUNT(*) FROM reviews"), 2);
    assert_eq!(
        count(
            &server.db,
            "SELECT COUNT(*) FROM audit WHERE action = 'blind review'"
        ),
        2
    );

    let b_pickup = &mb.iter().find(|(k, ..)| k == "pickup").unwrap().1;
    let out = callgrade()
        .args(["review", &b_file, "--criterion", "pickup"])
        .arg(if b_pickup == "passed" {
            "--fail"
        } else {
            "--pass"
        })
        .args(["--reason", "the log shows six rings", "--by", "sam", "--db"])
        .arg(&server.db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    callgrade::store::Store::open_existing(&server.db)
        .unwrap()
        .mark_reviewed(b, RUBRIC, "sam")
        .unwrap();

    let tim = server.login("tim", PASSWORD);
    let zh = tim.get("/campaigns/2026Q4/calibration");
    assert_eq!(zh.status, 200);
    assert!(zh.body.contains("<html lang=\"zh-TW\">"));
    assert!(zh.body.contains("盲評"));
    // Blind pickup: A turned round, B agreed. Whatever the machine said on each, agreement is
    // 1 of 2 and kappa 0: with the machine one-sided, chance agreement is the reviewer's share
    // of that verdict, 1/2; with the machine two-sided and the reviewer one-sided, chance is
    // 1/2 × 1 = 1/2. (0.5 − 0.5) / (1 − 0.5) = 0.
    let figures = |page: &str, id: &str| row(page, id)[1..5].to_vec();
    assert_eq!(figures(&zh.body, "blind-pickup"), ["2", "1", "50%", "0.00"]);
    // Seen: B only; the override turned pickup round, so no agreement on one call, kappa 0
    // (chance agreement is 0 too).
    assert_eq!(figures(&zh.body, "seen-pickup"), ["1", "0", "0%", "0.00"]);
    // Every blind pickup verdict sits in one confidence band row.
    let banded: usize = zh
        .body
        .match_indices("<tr id=\"blind-pickup-")
        .map(|(at, _)| {
            let id = zh.body[at + 8..].split('"').next().unwrap();
            row(&zh.body, id)[2].parse::<usize>().unwrap()
        })
        .sum();
    assert_eq!(banded, 2);

    // In English: where both blind reviewers agreed with the machine, kappa is 1 if the
    // machine gave both verdicts, undefined if it gave one verdict to both calls.
    let back = tim.post(
        "/settings/language",
        &[("lang", "en"), ("back", "/settings")],
    );
    assert_eq!(back.status, 303, "{}", back.body);
    let en = tim.get("/campaigns/2026Q4/calibration").body;
    assert!(en.contains("<html lang=\"en\">"));
    for ((k, va, _), (_, vb, _)) in ma.iter().zip(&mb).filter(|((k, ..), _)| k != "pickup") {
        let kappa = if va == vb {
            "undefined (one category only)"
        } else {
            "1.00"
        };
        assert_eq!(
            figures(&en, &format!("blind-{k}")),
            ["2", "2", "100%", kappa]
        );
        // After seeing, one call that the reviewer let stand: complete agreement in one
        // category.
        assert_eq!(
            figures(&en, &format!("seen-{k}")),
            ["1", "1", "100%", "undefined (one category only)"]
        );
    }
}
