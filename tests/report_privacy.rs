//! What leaves the office: CSV cells that Excel would run as formulas, and staff names and
//! call times in open-data exports. The database is written through the library (transcripts
//! given as text, scored with the shipped rubrics, stored in a real SQLite file), so no
//! Whisper run is needed; the exports and reports come from the built binary.

mod common;

use calamine::{Reader, Xlsx, open_workbook};
use callgrade::audio::{AudioFacts, Speaker, SpeechRegion};
use callgrade::score::{Rubric, Scenario, score_call};
use callgrade::store::{CallKey, CallRecord, Store, TranscriptKey, TranscriptRef};
use callgrade::transcribe::Segment;
use common::{callgrade, repo};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A manifest staff name and unit written to run as formulas in Excel.
const EVIL_STAFF: &str = "=HYPERLINK(\"http://x\")";
const EVIL_UNIT: &str = "@SUM(1)";

/// One call to store: campaign, file, staff, unit, called_at, rubric file, what was said.
struct Call {
    campaign: &'static str,
    file: &'static str,
    staff: &'static str,
    unit: &'static str,
    called_at: &'static str,
    rubric: &'static str,
    lines: &'static [&'static str],
}

const ZH: &str = "rubrics/courtesy-zh-TW.toml";
const ZH_ID: &str = "courtesy-zh-TW";
const EN: &str = "rubrics/courtesy-en.toml";

fn calls() -> Vec<Call> {
    vec![
        // The formula-named person scores well in Q3 and worse in Q4: a negative change.
        Call {
            campaign: "2026Q3",
            file: "evil.wav",
            staff: EVIL_STAFF,
            unit: EVIL_UNIT,
            called_at: "2026-07-05T09:12:00",
            rubric: ZH,
            lines: &[
                "您好，社會局，敝姓王，很高興為您服務。",
                "請問您貴姓？好的，我們的服務時間是週一到週五上午八點到下午五點。",
                "謝謝您的來電，再見。",
            ],
        },
        Call {
            campaign: "2026Q4",
            file: "evil.wav",
            staff: EVIL_STAFF,
            unit: EVIL_UNIT,
            called_at: "-1+1",
            rubric: ZH,
            lines: &["喂。", "不知道。"],
        },
        Call {
            campaign: "2026Q4",
            file: "lin.wav",
            staff: "林美華",
            unit: "社會課",
            called_at: "2026-10-06T14:20:00",
            rubric: ZH,
            lines: &[
                "您好，敝姓林，林美花為您服務。",
                "這件事要請林主任回覆，我是林小姐，請稍候。",
                "謝謝您的來電，再見。",
            ],
        },
        Call {
            campaign: "2026Q4",
            file: "david.wav",
            staff: "David Lin",
            unit: "Activities",
            called_at: "2026-10-07T10:05:00",
            rubric: EN,
            lines: &[
                "Good morning, this is Lynn speaking, how can I help you?",
                "Ms Lin will call you back. Thank you for calling, goodbye.",
            ],
        },
    ]
}

struct Fixture {
    _dir: tempfile::TempDir,
    db: PathBuf,
    out: PathBuf,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(build)
}

fn build() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("privacy.db");
    let mut store = Store::open(&db).unwrap();
    let scenario = Scenario::load(&repo().join("rubrics/scenarios/service-hours.toml")).unwrap();
    for (n, call) in calls().iter().enumerate() {
        let rubric = Rubric::load(&repo().join(call.rubric)).unwrap();
        let run = store
            .score_run(&rubric.id, &rubric.sha256, &rubric.title, &rubric.source)
            .unwrap();
        let segments: Vec<Segment> = call
            .lines
            .iter()
            .enumerate()
            .map(|(i, text)| Segment {
                speaker: Speaker::Unknown,
                start: 1.0 + 4.0 * i as f64,
                end: 4.5 + 4.0 * i as f64,
                text: text.to_string(),
                invented: false,
                tokens: Vec::new(),
            })
            .collect();
        let facts = AudioFacts {
            duration: 4.0 * segments.len() as f64 + 2.0,
            channels: 1,
            source_rate: 8000,
            rings: 1,
            ringback: Vec::new(),
            speech: segments
                .iter()
                .map(|s| SpeechRegion {
                    start: s.start,
                    end: s.end,
                    speaker: Speaker::Unknown,
                })
                .collect(),
            first_staff_speech: Some(1.0),
            voices: Vec::new(),
            whole_side: Vec::new(),
        };
        let score = score_call(
            &rubric,
            Some(&scenario),
            &segments,
            &facts,
            Some(call.staff),
        );
        let record = CallRecord {
            key: CallKey {
                campaign: call.campaign.into(),
                file: call.file.into(),
            },
            path: dir.path().join(call.file).display().to_string(),
            sha256: Some(format!("{n:064}")),
            staff: call.staff.into(),
            unit: call.unit.into(),
            scenario: "service-hours".into(),
            called_at: call.called_at.into(),
            staff_channel: "mono".into(),
        };
        let key = TranscriptKey {
            audio_sha256: format!("{n:064}"),
            model_sha256: "test".into(),
            settings: "test".into(),
            language: rubric.language.code().into(),
            staff_channel: "mono".into(),
        };
        let transcript = TranscriptRef::New {
            key: &key,
            model_name: "test",
            facts: &facts,
            segments: &segments,
            quality: &serde_json::Value::Null,
        };
        store
            .save_scored(&record, &facts, transcript, run, &score)
            .unwrap();
    }
    drop(store);
    // A supervisor's override whose reason quotes the self-introduction.
    let out = callgrade()
        .args(["review", "lin.wav", "--campaign", "2026Q4", "--db"])
        .arg(&db)
        .args([
            "--criterion",
            "greeting",
            "--pass",
            "--by",
            "王督導",
            "--reason",
        ])
        .arg("說了敝姓林，林主任確認")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    Fixture { _dir: dir, db, out }
}

/// Runs callgrade with `args` and `--db`; returns stdout.
fn run(args: &[&str]) -> Vec<u8> {
    let out = callgrade()
        .args(args)
        .arg("--db")
        .arg(&fixture().db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    out.stdout
}

/// `callgrade export` of 2026Q4 into the file `name`; returns its path.
fn export(name: &str, extra: &[&str]) -> PathBuf {
    let path = fixture().out.join(name);
    let mut args = vec!["export", "--campaign", "2026Q4", "--out"];
    let p = path.display().to_string();
    args.push(&p);
    args.extend(extra);
    run(&args);
    path
}

fn cells(csv_bytes: &[u8]) -> Vec<Vec<String>> {
    let text = String::from_utf8(csv_bytes.to_vec()).unwrap();
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    r.records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect()
}

/// Every cell that Excel would read as a formula.
fn formulas(rows: &[Vec<String>]) -> Vec<String> {
    rows.iter()
        .flatten()
        .filter(|c| {
            c.starts_with(['=', '+', '-', '@', '\t', '\r']) && c.trim().parse::<f64>().is_err()
        })
        .cloned()
        .collect()
}

fn assert_neutralised(what: &str, rows: &[Vec<String>], wanted: &[&str]) {
    let bad = formulas(rows);
    assert!(bad.is_empty(), "{what}: formula cells {bad:?}");
    for w in wanted {
        let quoted = format!("'{w}");
        assert!(
            rows.iter().flatten().any(|c| c == &quoted),
            "{what}: no cell {quoted} in {rows:?}"
        );
    }
}

#[test]
fn export_csv_cells_never_start_a_formula() {
    for (name, what) in [("calls.csv", "calls"), ("criteria.csv", "criteria")] {
        let path = export(
            name,
            &[
                "--format",
                "csv",
                "--rubric",
                "courtesy-zh-TW",
                "--what",
                what,
            ],
        );
        let rows = cells(&std::fs::read(path).unwrap());
        assert_neutralised(name, &rows, &[EVIL_STAFF, EVIL_UNIT, "-1+1"]);
    }
}

#[test]
fn report_csv_cells_never_start_a_formula() {
    let by_staff = cells(&run(&[
        "report", "trends", "--by", "staff", "--rubric", ZH_ID, "--format", "csv",
    ]));
    assert_neutralised("trends by staff", &by_staff, &[EVIL_STAFF]);
    let by_unit = cells(&run(&[
        "report", "trends", "--by", "unit", "--rubric", ZH_ID, "--format", "csv",
    ]));
    assert_neutralised("trends by unit", &by_unit, &[EVIL_UNIT]);
    let training = cells(&run(&[
        "report",
        "training",
        "--min-rate",
        "0",
        "--rubric",
        ZH_ID,
        "--format",
        "csv",
    ]));
    assert_neutralised("training", &training, &[EVIL_STAFF, EVIL_UNIT]);
    let call = cells(&run(&[
        "report",
        "call",
        "evil.wav",
        "--campaign",
        "2026Q4",
        "--format",
        "csv",
    ]));
    assert_neutralised("call", &call, &[EVIL_STAFF]);
}

#[test]
fn negative_changes_stay_numbers() {
    let rows = cells(&run(&[
        "report", "trends", "--by", "unit", "--rubric", ZH_ID, "--format", "csv",
    ]));
    let delta = rows[0].iter().position(|h| h == "delta").unwrap();
    let evil = rows
        .iter()
        .find(|r| r[0] == format!("'{EVIL_UNIT}") && r[1] == "2026Q4")
        .unwrap();
    let d: f64 = evil[delta].parse().unwrap_or_else(|_| panic!("{evil:?}"));
    assert!(d < 0.0, "{evil:?}");
}

/// Forms of the staff's names that must not be in open data.
const NAMES: [&str; 10] = [
    "林美華",
    "林美花",
    "美華",
    "林主任",
    "林小姐",
    "敝姓林",
    "David",
    "Lynn",
    "Lin",
    "王督導",
];

/// Everything in `text` that names someone or tells the time of a call.
fn leaks(text: &str) -> Vec<String> {
    let mut found: Vec<String> = NAMES
        .iter()
        .filter(|n| {
            if n.is_ascii() {
                // As a word: "Lin" inside "Linux" or "online" is not a name.
                text.split(|c: char| !c.is_ascii_alphanumeric())
                    .any(|w| w.eq_ignore_ascii_case(n))
            } else {
                text.contains(*n)
            }
        })
        .map(|n| n.to_string())
        .collect();
    // The manifest's times, as exports write them (HTML shows `2026-10-06 14:20`).
    for (date, time) in [("2026-10-06", "14:20"), ("2026-10-07", "10:05")] {
        for sep in ["T", " "] {
            let t = format!("{date}{sep}{time}");
            if text.contains(&t) {
                found.push(t);
            }
        }
    }
    found
}

#[test]
fn deidentified_exports_name_nobody_and_keep_only_dates() {
    for (rubric, date) in [
        ("courtesy-zh-TW", "2026-10-06"),
        ("courtesy-en", "2026-10-07"),
    ] {
        for (format, ext) in [("json", "json"), ("csv", "csv"), ("html", "html")] {
            let mut extra = vec!["--format", format, "--rubric", rubric, "--deidentify"];
            if format == "csv" {
                extra.extend(["--what", "criteria"]);
            }
            let path = export(&format!("open-{rubric}.{ext}"), &extra);
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.contains(date), "{}: dates stay", path.display());
            let found = leaks(&text);
            assert!(found.is_empty(), "{}: {found:?}", path.display());
        }
        let path = export(
            &format!("open-{rubric}.xlsx"),
            &["--format", "xlsx", "--rubric", rubric, "--deidentify"],
        );
        let text = workbook_text(&path);
        let found = leaks(&text);
        assert!(found.is_empty(), "{}: {found:?}", path.display());
    }
}

#[test]
fn deidentified_reasons_keep_the_verdict_without_the_quote() {
    let path = export(
        "open-reasons.json",
        &[
            "--format",
            "json",
            "--rubric",
            "courtesy-zh-TW",
            "--deidentify",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let call = v["calls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["unit"] == "社會課")
        .unwrap();
    assert_eq!(call["called_at"], "2026-10-06");
    let crit = |id: &str| {
        call["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()
            .clone()
    };
    let self_name = crit("self_name");
    assert_eq!(self_name["passed"], true, "{self_name}");
    let reason = self_name["reason"].as_str().unwrap();
    assert!(reason.starts_with("自報姓名：「[redacted]」（"), "{reason}");
    let greeting = crit("greeting");
    let reason = greeting["override"]["reason"].as_str().unwrap();
    assert_eq!(reason, "說了敝姓[NAME]，[NAME]確認");
}

/// Every cell of every sheet as one text.
fn workbook_text(path: &Path) -> String {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let mut out = String::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        for row in range.rows() {
            for c in row {
                out += &c.to_string();
                out.push('\t');
            }
            out.push('\n');
        }
    }
    out
}

#[test]
fn redacted_exports_mask_sound_alikes_titles_and_intro_surnames() {
    let path = export(
        "redacted.json",
        &["--format", "json", "--rubric", "courtesy-zh-TW", "--redact"],
    );
    let text = std::fs::read_to_string(path).unwrap();
    for name in ["林美花", "林主任", "林小姐", "敝姓林"] {
        assert!(!text.contains(name), "{name} in {text}");
    }
    assert!(text.contains("敝姓[NAME]"), "{text}");
    let path = export(
        "redacted-en.json",
        &["--format", "json", "--rubric", "courtesy-en", "--redact"],
    );
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains("this is [NAME] speaking"), "{text}");
    assert!(text.contains("Ms [NAME] will call"), "{text}");
}
