//! Every export format from a database the real pipeline wrote: three demo calls transcribed
//! with tiny.en, a second campaign from the same audio (transcripts come from the cache), and
//! a re-score with the Chinese rubric. One transcript segment is given personal data so that
//! redaction and de-identification have something to remove.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{callgrade, repo, run_args, workspace};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const PERSONAL: &str = "My ID is A123456789, mobile 0912-345-678, office (07)123-4567, mail amy.chen@example.com, ask for Amy <b>now</b>.";

struct Db {
    _dir: tempfile::TempDir,
    db: PathBuf,
    out: PathBuf,
}

fn db() -> &'static Db {
    static DB: OnceLock<Db> = OnceLock::new();
    DB.get_or_init(|| {
        let (dir, manifest) = workspace(3, &[]);
        let db = dir.path().join("t.db");
        let out = callgrade().args(run_args(&manifest, &db)).output().unwrap();
        assert!(out.status.success(), "{out:?}");

        // An earlier campaign: the same recordings with earlier dates, so nothing is transcribed.
        let text = std::fs::read_to_string(&manifest).unwrap();
        let q3 = text.replace("2026-10-", "2026-07-");
        let q3_manifest = dir.path().join("manifest-q3.csv");
        std::fs::write(&q3_manifest, q3).unwrap();
        let mut args = run_args(&q3_manifest, &db);
        let at = args.iter().position(|a| a == "2026Q4").unwrap();
        args[at] = "2026Q3".into();
        let out = callgrade().args(&args).output().unwrap();
        assert!(out.status.success(), "{out:?}");

        // The Chinese form over the same transcripts: CJK titles and zh-TW labels.
        let out = callgrade()
            .args(["score", "--campaign", "2026Q4", "--quiet", "--rubric"])
            .arg(repo().join("rubrics/courtesy-zh-TW.toml"))
            .arg("--db")
            .arg(&db)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");

        let conn = rusqlite::Connection::open(&db).unwrap();
        let changed = conn
            .execute(
                "UPDATE segments SET text = ?1 WHERE id = (SELECT MIN(id) FROM segments)",
                [PERSONAL],
            )
            .unwrap();
        assert_eq!(changed, 1);
        // One doubtful verdict for sure, whatever tiny.en heard.
        let changed = conn
            .execute(
                "UPDATE criterion_results SET confidence = 0.2, needs_review = 1
                 WHERE id = (SELECT MIN(id) FROM criterion_results)",
                [],
            )
            .unwrap();
        assert_eq!(changed, 1);
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        Db { _dir: dir, db, out }
    })
}

/// Runs `callgrade export` for 2026Q4 with `extra` arguments into `name`; returns the path.
fn export(name: &str, extra: &[&str]) -> PathBuf {
    let d = db();
    let path = d.out.join(name);
    let out = callgrade()
        .args(["export", "--campaign", "2026Q4", "--db"])
        .arg(&d.db)
        .arg("--out")
        .arg(&path)
        .args(extra)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    path
}

fn json(extra: &[&str]) -> Value {
    let name = format!("j{}.json", extra.join("").replace('-', ""));
    let mut args = vec!["--format", "json", "--rubric", "courtesy-en"];
    args.extend(extra);
    serde_json::from_slice(&std::fs::read(export(&name, &args)).unwrap()).unwrap()
}

fn csv_rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text
        .strip_prefix('\u{feff}')
        .expect("CSV starts with a BOM for Excel");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

#[test]
fn csv_has_a_row_per_call_and_a_column_per_criterion() {
    let truth = json(&[]);
    let calls = truth["calls"].as_array().unwrap();
    let path = export("calls.csv", &["--format", "csv", "--rubric", "courtesy-en"]);
    let (header, rows) = csv_rows(&path);
    assert_eq!(
        &header[..9],
        [
            "file",
            "staff",
            "unit",
            "scenario",
            "called_at",
            "status",
            "score",
            "max",
            "grade"
        ]
    );
    assert_eq!(header[header.len() - 2..], ["error", "flags"]);
    assert_eq!(rows.len(), 3);
    for (row, call) in rows.iter().zip(calls) {
        assert_eq!(row[0], call["file"].as_str().unwrap());
        assert_eq!(row[2], call["unit"].as_str().unwrap());
        let score: f64 = row[6].parse().unwrap();
        assert!((score - call["score"].as_f64().unwrap()).abs() < 0.05);
        for k in call["criteria"].as_array().unwrap() {
            let col = header
                .iter()
                .position(|h| h == k["id"].as_str().unwrap())
                .unwrap();
            let want = match (k["applicable"].as_bool(), k["passed"].as_bool()) {
                (Some(false), _) => "n/a",
                (_, Some(true)) => "passed",
                _ => "failed",
            };
            assert_eq!(row[col], want, "{} {}", row[0], k["id"]);
        }
    }
    assert!(rows.iter().any(|r| r[2] == "行政課"));

    let (header, rows) = csv_rows(&export(
        "criteria.csv",
        &[
            "--format",
            "csv",
            "--what",
            "criteria",
            "--rubric",
            "courtesy-en",
        ],
    ));
    assert_eq!(header[5], "criterion");
    let verdicts: usize = calls
        .iter()
        .map(|c| c["criteria"].as_array().unwrap().len())
        .sum();
    assert_eq!(rows.len(), verdicts);
    assert!(
        rows.iter().any(|r| r[12].starts_with("[0:")),
        "quotes carry m:ss"
    );
}

fn sheet(path: &Path, name: &str) -> calamine::Range<Data> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    wb.worksheet_range(name).unwrap()
}

fn text(range: &calamine::Range<Data>, row: usize, col: usize) -> String {
    match range.get((row, col)) {
        Some(Data::String(s)) => s.clone(),
        other => panic!("({row},{col}) is {other:?}"),
    }
}

#[test]
fn xlsx_has_four_sheets_with_chinese_text_and_numeric_scores() {
    let truth = json(&[]);
    let path = export("en.xlsx", &["--format", "xlsx", "--rubric", "courtesy-en"]);
    let wb: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(
        wb.sheet_names(),
        ["Calls", "Criteria", "Trends", "Training"]
    );

    let calls = sheet(&path, "Calls");
    assert_eq!(calls.height(), 4, "header + 3 calls");
    assert_eq!(text(&calls, 0, 0), "Recording");
    assert_eq!(
        text(&calls, 1, 2),
        truth["calls"][0]["unit"].as_str().unwrap()
    );
    assert_eq!(text(&calls, 1, 2), "行政課");
    match calls.get((1, 6)) {
        Some(Data::Float(s)) => {
            assert!((s - truth["calls"][0]["score"].as_f64().unwrap()).abs() < 1e-9)
        }
        other => panic!("score is a number, got {other:?}"),
    }

    let trends = sheet(&path, "Trends");
    let campaigns: Vec<String> = (1..trends.height()).map(|r| text(&trends, r, 1)).collect();
    assert!(campaigns.contains(&"2026Q3".to_string()), "{campaigns:?}");
    assert!(campaigns.contains(&"2026Q4".to_string()));
    assert!((1..trends.height()).any(|r| text(&trends, r, 0) == "輔導課"));

    let criteria = sheet(&path, "Criteria");
    let verdicts: usize = truth["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["criteria"].as_array().unwrap().len())
        .sum();
    assert_eq!(criteria.height(), verdicts + 1);
    assert!(sheet(&path, "Training").height() >= 1);

    // The Chinese form: Chinese headers and criterion titles.
    let zh = export(
        "zh.xlsx",
        &["--format", "xlsx", "--rubric", "courtesy-zh-TW"],
    );
    let calls = sheet(&zh, "Calls");
    assert_eq!(text(&calls, 0, 0), "錄音檔");
    let titles: Vec<String> = (0..calls.width()).map(|c| text(&calls, 0, c)).collect();
    assert!(
        titles.iter().any(|t| t == "電話鈴響三聲內接聽"),
        "{titles:?}"
    );
}

#[test]
fn confidence_and_needs_review_are_in_json_csv_and_xlsx() {
    let truth = json(&[]);
    let mut want: Vec<(f64, bool)> = Vec::new();
    for call in truth["calls"].as_array().unwrap() {
        for k in call["criteria"].as_array().unwrap() {
            let confidence = k["confidence"].as_f64().expect("confidence is a number");
            let review = k["needs_review"].as_bool().expect("needs_review is a bool");
            assert!((0.0..=1.0).contains(&confidence), "{k}");
            // Scoring marks exactly the verdicts below the threshold (the fixture's 0.2 too).
            assert_eq!(review, confidence < callgrade::score::REVIEW_BELOW, "{k}");
            want.push((confidence, review));
        }
    }
    assert!(want.iter().any(|w| w.1), "the doubtful verdict is exported");

    let (header, rows) = csv_rows(&export(
        "confidence.csv",
        &[
            "--format",
            "csv",
            "--what",
            "criteria",
            "--rubric",
            "courtesy-en",
        ],
    ));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (c, r) = (col("confidence"), col("needs_review"));
    let got: Vec<(f64, bool)> = rows
        .iter()
        .map(|row| (row[c].parse().unwrap(), row[r] == "yes"))
        .collect();
    assert_eq!(got, want);

    let path = export(
        "confidence.xlsx",
        &["--format", "xlsx", "--rubric", "courtesy-en"],
    );
    let criteria = sheet(&path, "Criteria");
    let width = criteria.width();
    assert_eq!(text(&criteria, 0, width - 2), "Confidence");
    assert_eq!(text(&criteria, 0, width - 1), "needs review");
    for (i, (confidence, review)) in want.iter().enumerate() {
        match criteria.get((i + 1, width - 2)) {
            Some(Data::Float(x)) => assert!((x - confidence).abs() < 1e-9),
            other => panic!("confidence is a number, got {other:?}"),
        }
        let mark = criteria.get((i + 1, width - 1));
        assert_eq!(
            matches!(mark, Some(Data::String(s)) if s == "needs review"),
            *review,
            "row {i}: {mark:?}"
        );
    }

    // The printable report marks the doubtful verdicts, and only those.
    let path = export(
        "confidence.html",
        &["--format", "html", "--rubric", "courtesy-en"],
    );
    let html = std::fs::read_to_string(path).unwrap();
    let marks = html
        .matches("<span class=\"review\">needs review</span>")
        .count();
    assert_eq!(marks, want.iter().filter(|w| w.1).count());
}

fn assert_self_contained(html: &str) {
    for bad in [
        "http:", "https:", "\"//", "'//", "(//", "<script", "<link", "<img", "url(",
    ] {
        assert!(!html.contains(bad), "HTML contains {bad}");
    }
}

#[test]
fn html_is_one_printable_file_with_charts_and_every_call() {
    let path = export("en.html", &["--format", "html", "--rubric", "courtesy-en"]);
    let html = std::fs::read_to_string(path).unwrap();
    assert_self_contained(&html);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("@page { size: A4"));
    assert!(html.contains("break-before: page"));
    assert!(html.contains("<html lang=\"en\">"));
    // Grade distribution, failure rates, unit trends.
    assert_eq!(html.matches("<svg").count(), 3, "three charts");
    assert!(html.contains(">2026Q3<") && html.contains(">輔導課<"));
    assert_eq!(html.matches("<section class=\"call\"").count(), 3);
    assert!(html.contains("Transcript") && html.contains("Evidence"));
    let stamps = html.matches("<span class=\"t\">[0:").count();
    assert!(
        stamps > 10,
        "m:ss timestamps on quotes and transcript: {stamps}"
    );
    // Stored text is escaped, never markup.
    assert!(html.contains("Amy Chen"));
    assert!(html.contains("ask for Amy &lt;b&gt;now&lt;/b&gt;."));
    assert!(!html.contains("<b>now"));

    let zh = std::fs::read_to_string(export(
        "zh.html",
        &["--format", "html", "--rubric", "courtesy-zh-TW"],
    ))
    .unwrap();
    assert_self_contained(&zh);
    assert!(zh.contains("<html lang=\"zh-TW\">"));
    for label in [
        "逐字稿",
        "等第分布",
        "各項目未通過比率",
        "電話鈴響三聲內接聽",
    ] {
        assert!(zh.contains(label), "{label}");
    }
}

#[test]
fn redact_flag_tags_personal_data_only_when_asked() {
    let plain = json(&[]);
    let plain = plain.to_string();
    assert!(
        plain.contains("A123456789"),
        "normal exports keep the transcript as stored"
    );

    let redacted = json(&["--redact"]);
    let segment = redacted["calls"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["transcript"].as_array().unwrap())
        .map(|s| s["text"].as_str().unwrap())
        .find(|t| t.starts_with("My ID"))
        .expect("the planted segment");
    assert_eq!(
        segment,
        "My ID is [ID], mobile [PHONE], office [PHONE], mail [EMAIL], ask for [NAME] <b>now</b>."
    );
    let html = std::fs::read_to_string(export(
        "redacted.html",
        &["--format", "html", "--redact", "--rubric", "courtesy-en"],
    ))
    .unwrap();
    for raw in [
        "A123456789",
        "0912-345-678",
        "(07)123-4567",
        "amy.chen@example.com",
    ] {
        assert!(!html.contains(raw), "{raw} in redacted HTML");
    }
}

#[test]
fn deidentified_exports_use_stable_pseudonyms_and_drop_free_text() {
    let d = db();
    let a = json(&["--deidentify"]);
    let again = json(&["--deidentify"]);
    let staff = |v: &Value| -> Vec<String> {
        v["calls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["staff"].as_str().unwrap().to_string())
            .collect()
    };
    let names = staff(&a);
    assert_eq!(names, staff(&again), "stable across exports");
    for n in &names {
        assert!(n.starts_with("Staff-") && n.len() == 12, "{n}");
    }
    let mut distinct = names.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        3,
        "three people, three pseudonyms: {names:?}"
    );
    for c in a["calls"].as_array().unwrap() {
        assert!(c["transcript"].as_array().unwrap().is_empty());
        assert!(c["file"].as_str().unwrap().starts_with("Call-"));
    }

    let secret = d.db.parent().unwrap().join("callgrade.secret");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&secret).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let key = hex::encode(std::fs::read(&secret).unwrap());

    for (name, format) in [
        ("d.json", "json"),
        ("d.csv", "csv"),
        ("d.xlsx", "xlsx"),
        ("d.html", "html"),
    ] {
        let path = export(
            name,
            &[
                "--format",
                format,
                "--deidentify",
                "--rubric",
                "courtesy-en",
            ],
        );
        let bytes = std::fs::read(&path).unwrap();
        let text = if format == "xlsx" {
            let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
            wb.worksheets()
                .iter()
                .flat_map(|(_, r)| r.cells().map(|(_, _, v)| v.to_string()).collect::<Vec<_>>())
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            String::from_utf8(bytes).unwrap()
        };
        let lower = text.to_lowercase();
        for person in ["amy", "david", "grace", "chen", "a123456789", "0912"] {
            assert!(
                !lower.contains(person),
                "{person} in de-identified {format}"
            );
        }
        assert!(
            !lower.contains(&key[..16]),
            "the secret never goes into an export"
        );
        assert!(
            text.contains(&names[0]),
            "{format} names people by pseudonym"
        );
    }
}

/// `callgrade export --format csv` of 2026Q4 into `path`, with writes beyond `limit` bytes
/// failing (RLIMIT_FSIZE, as on a full disk or quota) when given.
fn export_csv_to(path: &Path, limit: Option<u64>) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    let mut cmd = callgrade();
    cmd.args(["export", "--campaign", "2026Q4", "--format", "csv", "--db"])
        .arg(&db().db)
        .arg("--out")
        .arg(path);
    if let Some(limit) = limit {
        // SAFETY: only async-signal-safe calls between fork and exec. SIGXFSZ is ignored so the
        // write fails with EFBIG instead of killing the process.
        unsafe {
            cmd.pre_exec(move || {
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                let r = libc::rlimit {
                    rlim_cur: limit,
                    rlim_max: limit,
                };
                if libc::setrlimit(libc::RLIMIT_FSIZE, &r) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    cmd.output().unwrap()
}

fn folder_entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn export_out_replaces_the_file_whole_and_a_failed_write_keeps_the_last_good_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("2026Q4.csv");
    let expected = callgrade()
        .args(["export", "--campaign", "2026Q4", "--format", "csv", "--db"])
        .arg(&db().db)
        .output()
        .unwrap()
        .stdout;
    // An older, longer file is replaced entirely, not overwritten from the start.
    std::fs::write(&path, vec![b'x'; expected.len() * 3]).unwrap();
    let out = export_csv_to(&path, None);
    assert!(out.status.success(), "{out:?}");
    assert!(std::fs::read(&path).unwrap() == expected);
    assert_eq!(folder_entries(dir.path()), ["2026Q4.csv"]);

    // The next export cannot be written whole: the last good one must survive. A connection
    // held open here keeps SQLite's -shm file in place, so the limit hits the export, not the
    // 32 KiB shared-memory file a reader would otherwise create.
    let reader = rusqlite::Connection::open(&db().db).unwrap();
    reader
        .query_row("SELECT count(*) FROM calls", [], |r| r.get::<_, i64>(0))
        .unwrap();
    let limit = expected.len() as u64 / 2;
    let out = export_csv_to(&path, Some(limit));
    drop(reader);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        stderr.contains(&format!("{}: cannot write the export", path.display())),
        "{stderr}"
    );
    assert!(
        std::fs::read(&path).unwrap() == expected,
        "the last good export was damaged"
    );
    assert_eq!(
        folder_entries(dir.path()),
        ["2026Q4.csv"],
        "no temp file left"
    );
}
