//! History reports on a real database: three demo calls transcribed once with the real tiny.en
//! model, then stored as three campaigns (the same recordings under other staff and dates, so
//! Whisper runs only for the first) scored with three versions of the English rubric. Every
//! expected figure is recomputed here from the JSON export of the same database, so the checks
//! hold whatever Whisper hears.

mod common;

use callgrade::report::call::call_report;
use callgrade::report::training::training;
use callgrade::report::trends::{CampaignRange, GroupBy, TrendRow, trends};
use callgrade::store::Store;
use common::{callgrade, model, repo};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

const CALLS: [&str; 3] = [
    "call01-amy-service-hours.wav",
    "call02-david-parenting-classes.wav",
    "call03-grace-developmental-assessment.wav",
];

/// Who answered a call, in which unit, when: (staff, unit, called_at).
type Answered = (&'static str, &'static str, &'static str);

/// (campaign, per call) — Q3 swaps Amy's and David's calls.
fn assignments() -> Vec<(&'static str, [Answered; 3])> {
    vec![
        (
            "2026Q2",
            [
                ("Amy Chen", "行政課", "2026-04-07T09:00:00"),
                ("David Lin", "活動課", "2026-04-08T10:00:00"),
                ("Grace Wu", "輔導課", "2026-04-09T11:00:00"),
            ],
        ),
        (
            "2026Q3",
            [
                ("David Lin", "活動課", "2026-07-07T09:00:00"),
                ("Amy Chen", "行政課", "2026-07-08T10:00:00"),
                ("Grace Wu", "輔導課", "2026-07-09T11:00:00"),
            ],
        ),
        (
            "2026Q4",
            [
                ("Amy Chen", "行政課", "2026-10-07T09:00:00"),
                ("David Lin", "活動課", "2026-10-08T10:00:00"),
                ("Grace Wu", "輔導課", "2026-10-09T11:00:00"),
            ],
        ),
    ]
}

struct Fixture {
    db: PathBuf,
    /// Per campaign: the JSON export under the newest version of courtesy-en.
    exports: BTreeMap<String, Value>,
}

/// Builds the database once for every test in this file.
fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(build)
}

fn build() -> Fixture {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report_history");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let demo = repo().join("recordings/demo");
    let channels: BTreeMap<&str, &str> = std::fs::read_to_string(demo.join("manifest.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split(',').collect();
            let file = CALLS.iter().find(|c| **c == cols[0])?;
            Some((*file, cols[5]))
        })
        .map(|(f, c)| (f, if c == "right" { "right" } else { "mono" }))
        .collect();
    for file in CALLS {
        std::fs::copy(demo.join(file), dir.join(file)).unwrap();
    }
    let scenarios = repo().join("rubrics/scenarios");
    let v1 = std::fs::read_to_string(repo().join("rubrics/courtesy-en.toml")).unwrap();
    // v1b: the same criteria with new wording: a compatible version.
    let v1b = v1.replace(
        "title = \"Greets the caller\"",
        "title = \"Greets the caller politely\"",
    );
    assert_ne!(v1, v1b);
    // v2: ask_name is worth 5 instead of 3 (incompatible), it names no training topic (so the
    // topic falls back to the title), and the pass mark is set explicitly.
    let ask = "id = \"ask_name\"\ntitle = \"Asks for the caller's name\"\ncategory = \"Courtesy\"\npoints = 3";
    assert!(v1.contains(ask));
    let ask_block_start = v1.find(ask).unwrap();
    let training_line = "training = \"Handling the caller\"\n";
    let training_at = ask_block_start + v1[ask_block_start..].find(training_line).unwrap();
    let mut v2 = v1.clone();
    v2.replace_range(training_at..training_at + training_line.len(), "");
    let v2 = v2
        .replace(ask, &ask.replace("points = 3", "points = 5"))
        .replace("scale_to = 100\n", "scale_to = 100\npass_mark = 75\n");
    let rubric = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let (r1, r1b, r2) = (
        rubric("v1.toml", &v1),
        rubric("v1b.toml", &v1b),
        rubric("v2.toml", &v2),
    );

    let db = dir.join("history.db");
    for (campaign, rows) in assignments() {
        let mut manifest = String::from("file,staff,unit,scenario,called_at,staff_channel\n");
        for (file, (staff, unit, at)) in CALLS.iter().zip(rows) {
            let scenario = file.split('-').skip(2).collect::<Vec<_>>().join("-");
            let scenario = scenario.trim_end_matches(".wav");
            manifest += &format!("{file},{staff},{unit},{scenario},{at},{}\n", channels[file]);
        }
        let path = dir.join(format!("{campaign}.csv"));
        std::fs::write(&path, manifest).unwrap();
        let rubric = if campaign == "2026Q4" { &r2 } else { &r1 };
        let out = cg(&[
            "run",
            s(&path),
            "--campaign",
            campaign,
            "--rubric",
            s(rubric),
            "--scenarios",
            s(&scenarios),
            "--db",
            s(&db),
            "--model",
            s(&model("ggml-tiny.en.bin")),
            "--quiet",
        ]);
        assert!(out.status.success(), "run {campaign}: {out:?}");
    }
    // Q3 again with the compatible wording change: its newest run is now v1b.
    let out = cg(&[
        "score",
        "--campaign",
        "2026Q3",
        "--rubric",
        s(&r1b),
        "--scenarios",
        s(&scenarios),
        "--db",
        s(&db),
        "--quiet",
    ]);
    assert!(out.status.success(), "{out:?}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let transcripts: i64 = conn
        .query_row("SELECT COUNT(*) FROM transcripts", [], |r| r.get(0))
        .unwrap();
    // The staff name is part of each call's Whisper prompt, so Q3's two swapped calls are
    // transcribed once more under their new staff; everything else is reused.
    assert_eq!(
        transcripts, 5,
        "later campaigns reuse the cached transcripts unless the call's prompt changed"
    );

    let exports = assignments()
        .iter()
        .map(|(campaign, _)| {
            let out = cg(&[
                "export",
                "--campaign",
                campaign,
                "--rubric",
                "courtesy-en",
                "--db",
                s(&db),
            ]);
            assert!(out.status.success(), "{out:?}");
            (
                campaign.to_string(),
                serde_json::from_slice(&out.stdout).unwrap(),
            )
        })
        .collect();
    Fixture { db, exports }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn cg(args: &[&str]) -> Output {
    callgrade().args(args).output().unwrap()
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn calls(export: &Value) -> &Vec<Value> {
    export["calls"].as_array().unwrap()
}

fn find<'a>(rows: &'a [TrendRow], group: &str, campaign: &str) -> &'a TrendRow {
    rows.iter()
        .find(|r| r.group == group && r.campaign == campaign)
        .unwrap_or_else(|| panic!("no row {group} {campaign}"))
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

#[test]
fn trends_match_the_stored_scores() {
    let f = fixture();
    let store = Store::open(&f.db).unwrap();
    let t = trends(&store, GroupBy::Unit, CampaignRange::all(), None).unwrap();
    assert_eq!(t.rubric_id, "courtesy-en");
    assert_eq!(t.campaigns, ["2026Q2", "2026Q3", "2026Q4"]);
    assert_eq!(t.pass_mark, 75.0, "the newest version's explicit pass_mark");
    assert_eq!(
        t.categories,
        ["Answer speed", "Courtesy", "Answer content"],
        "rubric order"
    );
    assert_eq!(t.grades[0], "Outstanding");

    for (campaign, export) in &f.exports {
        let pass = if campaign == "2026Q4" { 75.0 } else { 60.0 };
        let mut by_unit: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
        for c in calls(export) {
            by_unit
                .entry(c["unit"].as_str().unwrap())
                .or_default()
                .push(c);
        }
        for (unit, cs) in &by_unit {
            let row = find(&t.rows, unit, campaign);
            let scores: Vec<f64> = cs.iter().map(|c| c["score"].as_f64().unwrap()).collect();
            assert_eq!(row.calls, cs.len());
            assert!((row.mean_score.unwrap() - mean(&scores)).abs() < 0.006);
            assert_eq!(
                row.below_pass,
                scores.iter().filter(|s| **s < pass).count(),
                "{unit} {campaign}: below {pass}"
            );
            for (grade, n) in &row.grades {
                assert_eq!(*n, cs.iter().filter(|c| c["grade"] == **grade).count());
            }
            // Category % from the verdicts: points earned / points possible.
            for (category, pct) in &row.categories {
                let (earned, possible) = cs
                    .iter()
                    .flat_map(|c| c["criteria"].as_array().unwrap())
                    .filter(|k| k["category"] == **category)
                    .fold((0.0, 0.0), |(e, p), k| {
                        (
                            e + k["points"].as_f64().unwrap(),
                            p + k["max"].as_f64().unwrap(),
                        )
                    });
                assert!((pct - earned / possible * 100.0).abs() < 0.06, "{category}");
            }
        }
        let total = t.totals.iter().find(|r| &r.campaign == campaign).unwrap();
        assert_eq!(total.calls, 3);
    }
    // Deltas: each group against its previous campaign.
    for unit in ["行政課", "活動課", "輔導課"] {
        let q2 = find(&t.rows, unit, "2026Q2");
        let q3 = find(&t.rows, unit, "2026Q3");
        assert_eq!(q2.delta, None);
        let d = q3.delta.unwrap();
        assert!((d - (q3.mean_score.unwrap() - q2.mean_score.unwrap())).abs() < 0.011);
        assert_eq!(q3.delta_from.as_deref(), Some("2026Q2"));
    }

    // By staff: Q3 gave Amy David's call, so her Q3 mean is call02's score under v1b.
    let t = trends(&store, GroupBy::Staff, CampaignRange::all(), None).unwrap();
    let q3 = &f.exports["2026Q3"];
    let amy_q3 = calls(q3).iter().find(|c| c["staff"] == "Amy Chen").unwrap();
    assert_eq!(amy_q3["file"], CALLS[1]);
    assert_eq!(
        find(&t.rows, "Amy Chen", "2026Q3").mean_score,
        amy_q3["score"].as_f64()
    );
}

#[test]
fn incompatible_rubric_versions_are_flagged_and_compatible_ones_are_not() {
    let f = fixture();
    let store = Store::open(&f.db).unwrap();
    let t = trends(&store, GroupBy::Unit, CampaignRange::all(), None).unwrap();
    let changed: Vec<&String> = t
        .warnings
        .iter()
        .filter(|w| w.contains("criteria differ"))
        .collect();
    assert_eq!(changed.len(), 1, "{:?}", t.warnings);
    // Q2 (v1) and Q3 (v1b) are compatible, so they form one span against Q4 (v2).
    assert!(changed[0].contains("2026Q2–2026Q3"), "{}", changed[0]);
    assert!(
        changed[0].contains("ask_name 3 → 5 points"),
        "{}",
        changed[0]
    );
    assert!(t.warnings.iter().any(|w| w.contains("pass mark changed")));

    // Up to Q3 only v1 and v1b are involved: same criteria, no warning.
    let range = CampaignRange {
        from: None,
        to: Some("2026Q3".into()),
    };
    let t = trends(&store, GroupBy::Unit, range, None).unwrap();
    assert_eq!(t.campaigns, ["2026Q2", "2026Q3"]);
    assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    assert_eq!(t.pass_mark, 60.0, "lowest band above 0 without pass_mark");

    // The table shows the warning with it, and the JSON carries it.
    let table = stdout(&cg(&["report", "trends", "--db", s(&f.db)]));
    assert!(
        table.contains("warning: rubric courtesy-en changed"),
        "{table}"
    );
    assert!(table.contains('▲') || table.contains('▼') || table.contains("= 0.0"));
    let json: Value = serde_json::from_str(&stdout(&cg(&[
        "report",
        "trends",
        "--db",
        s(&f.db),
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(json["warnings"].as_array().unwrap().len(), 2);
    assert_eq!(json["by"], "unit");
    assert_eq!(
        json["rows"].as_array().unwrap().len(),
        9,
        "3 units × 3 campaigns"
    );
}

#[test]
fn csv_outputs_parse_with_one_row_per_record() {
    let f = fixture();
    let trends_csv = stdout(&cg(&[
        "report",
        "trends",
        "--db",
        s(&f.db),
        "--by",
        "staff",
        "--format",
        "csv",
    ]));
    let mut r = csv::Reader::from_reader(bom_stripped(&trends_csv).as_bytes());
    let header = r.headers().unwrap().clone();
    assert_eq!(&header[0], "staff");
    assert!(header.iter().any(|h| h == "Courtesy %"));
    assert!(header.iter().any(|h| h == "grade: Outstanding"));
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(
        rows.len(),
        3 * 3 + 3,
        "staff × campaigns, plus a total per campaign"
    );
    for row in &rows {
        let mean: f64 = row[3].parse().unwrap();
        assert!((0.0..=100.0).contains(&mean));
    }

    let training_csv = stdout(&cg(&[
        "report",
        "training",
        "--db",
        s(&f.db),
        "--min-rate",
        "0",
        "--format",
        "csv",
    ]));
    let mut r = csv::Reader::from_reader(bom_stripped(&training_csv).as_bytes());
    assert_eq!(&r.headers().unwrap()[0], "staff");
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert!(!rows.is_empty());
    for row in &rows {
        let (failed, of): (usize, usize) = (row[6].parse().unwrap(), row[7].parse().unwrap());
        assert!(failed >= 1 && failed <= of);
    }

    let call_csv = stdout(&cg(&[
        "report",
        "call",
        CALLS[0],
        "--db",
        s(&f.db),
        "--format",
        "csv",
    ]));
    let mut r = csv::Reader::from_reader(bom_stripped(&call_csv).as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 10, "one row per criterion");
}

/// Report CSV starts with the byte-order mark that makes Excel read it as UTF-8 (行政課, not
/// mojibake), like the export's.
fn bom_stripped(csv: &str) -> &str {
    csv.strip_prefix('\u{feff}')
        .expect("report CSV starts with a BOM for Excel")
}

/// For each (staff, criterion): (failed, of, latest failed file) from the exports.
fn tally(f: &Fixture, campaigns: &[&str]) -> BTreeMap<(String, String), (usize, usize, String)> {
    let mut out: BTreeMap<(String, String), (usize, usize, String)> = BTreeMap::new();
    for campaign in campaigns {
        let mut cs: Vec<&Value> = calls(&f.exports[*campaign]).iter().collect();
        cs.sort_by_key(|c| c["called_at"].as_str().unwrap().to_string());
        for c in cs {
            for k in c["criteria"].as_array().unwrap() {
                if k["applicable"] != true {
                    continue;
                }
                let key = (
                    c["staff"].as_str().unwrap().to_string(),
                    k["id"].as_str().unwrap().to_string(),
                );
                let t = out.entry(key).or_default();
                t.1 += 1;
                if k["passed"] == false {
                    t.0 += 1;
                    t.2 = c["file"].as_str().unwrap().to_string();
                }
            }
        }
    }
    out
}

#[test]
fn training_list_counts_failures_over_the_last_campaigns() {
    let f = fixture();
    let store = Store::open(&f.db).unwrap();
    let list = training(&store, 2, 0.5, None).unwrap();
    assert_eq!(list.campaigns, ["2026Q3", "2026Q4"]);
    let expected = tally(f, &["2026Q3", "2026Q4"]);
    let needed: Vec<_> = expected
        .iter()
        .filter(|(_, (failed, of, _))| *failed > 0 && *failed as f64 / *of as f64 >= 0.5)
        .collect();
    let listed: Vec<_> = list.by_person.iter().flat_map(|p| &p.needs).collect();
    assert_eq!(
        listed.len(),
        needed.len(),
        "every need at ≥ 50%, and only those"
    );
    assert!(!listed.is_empty(), "the demo calls fail some criteria");
    for ((staff, id), (failed, of, file)) in needed {
        let n = listed
            .iter()
            .find(|n| &n.staff == staff && &n.criterion_id == id)
            .unwrap_or_else(|| panic!("{staff} needs {id}"));
        assert_eq!((n.failed, n.of), (*failed, *of), "{staff} {id}");
        assert!((n.rate - *failed as f64 / *of as f64).abs() < 1e-9);
        let latest = n.latest.as_ref().unwrap();
        assert_eq!(&latest.file, file, "latest failed call of {staff} on {id}");
        assert!(!latest.reason.is_empty());
        // Topics: the v2 rubric dropped ask_name's topic, so its title stands in.
        let topic = match id.as_str() {
            "ask_name" => "Asks for the caller's name",
            "pickup" => "Answering promptly",
            "agency" | "greeting" | "self_name" => "Standard greeting",
            "courtesy" | "closing" => "Handling the caller",
            "hold" => "Holds and transfers",
            _ => "Knowing the services",
        };
        assert_eq!(n.topic, topic);
    }
    // Sorted by need: rate, then count.
    for p in &list.by_person {
        for w in p.needs.windows(2) {
            assert!(
                w[0].rate > w[1].rate || (w[0].rate == w[1].rate && w[0].failed >= w[1].failed)
            );
        }
    }
    // Inverted: every listed need appears under its criterion.
    for n in &listed {
        let c = list
            .by_criterion
            .iter()
            .find(|c| c.criterion_id == n.criterion_id)
            .unwrap();
        assert!(c.people.iter().any(|p| p.staff == n.staff));
    }
    for w in list.by_criterion.windows(2) {
        assert!(w[0].rate >= w[1].rate);
    }
    // Q3–Q4 mixes v1b and v2: the list says so.
    assert!(list.warnings.iter().any(|w| w.contains("ask_name 3 → 5")));

    // A higher bar lists fewer needs; all campaigns count more calls.
    let strict = training(&store, 2, 1.0, None).unwrap();
    assert!(
        strict
            .by_person
            .iter()
            .flat_map(|p| &p.needs)
            .all(|n| n.failed == n.of)
    );
    let all = training(&store, 10, 0.0, None).unwrap();
    assert_eq!(all.campaigns.len(), 3);

    let table = stdout(&cg(&[
        "report",
        "training",
        "--db",
        s(&f.db),
        "--campaigns",
        "2",
    ]));
    assert!(
        table.contains("By person") && table.contains("By criterion"),
        "{table}"
    );
    let json: Value = serde_json::from_str(&stdout(&cg(&[
        "report",
        "training",
        "--db",
        s(&f.db),
        "--campaigns",
        "2",
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(
        json["by_person"].as_array().unwrap().len(),
        list.by_person.len()
    );
}

#[test]
fn one_call_report_shows_verdicts_evidence_and_transcript() {
    let f = fixture();
    let store = Store::open(&f.db).unwrap();
    let report = call_report(&store, CALLS[2], None, None).unwrap();
    assert_eq!(
        report.campaign, "2026Q4",
        "the newest campaign with this file"
    );
    assert_eq!(report.other_campaigns, ["2026Q2", "2026Q3"]);
    assert_eq!(report.criteria.len(), 10);
    let export = calls(&f.exports["2026Q4"])
        .iter()
        .find(|c| c["file"] == CALLS[2])
        .unwrap();
    assert_eq!(report.score, export["score"].as_f64());
    assert_eq!(report.passed, Some(report.score.unwrap() >= 75.0));
    let in_q2 = call_report(&store, CALLS[2], Some("2026Q2"), None).unwrap();
    assert_eq!(in_q2.campaign, "2026Q2");
    assert_eq!(in_q2.pass_mark, Some(60.0));

    // Mark one segment as invented, as the transcription guard does, and see it dropped.
    let conn = rusqlite::Connection::open(&f.db).unwrap();
    let (tid, idx): (i64, i64) = conn
        .query_row(
            "SELECT s.transcript_id, MAX(s.idx) FROM segments s JOIN calls c
             ON c.transcript_id = s.transcript_id WHERE c.file = ?1",
            [CALLS[2]],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    conn.execute(
        "UPDATE segments SET invented = 1 WHERE transcript_id = ?1 AND idx = ?2",
        [tid, idx],
    )
    .unwrap();
    drop(conn);

    let text = stdout(&cg(&["report", "call", CALLS[2], "--db", s(&f.db)]));
    for k in &report.criteria {
        assert!(text.contains(&k.id), "{} in {text}", k.id);
        assert!(text.contains(&k.reason));
    }
    let quoted = report
        .criteria
        .iter()
        .flat_map(|k| &k.evidence)
        .next()
        .expect("some criterion quotes the call");
    let at = callgrade::audio::mmss_span(quoted.start, quoted.end);
    assert!(
        text.contains(&format!("{at} {}:", quoted.speaker.as_str())),
        "evidence time {at}: {text}"
    );
    assert!(text.contains("Transcript") && text.contains("staff"));
    assert!(text.contains("[dropped"), "{text}");
    assert!(text.contains("Also in campaign(s) 2026Q2, 2026Q3"));

    let json: Value = serde_json::from_str(&stdout(&cg(&[
        "report",
        "call",
        CALLS[2],
        "--db",
        s(&f.db),
        "--format",
        "json",
    ])))
    .unwrap();
    let transcript = json["transcript"].as_array().unwrap();
    assert_eq!(transcript.last().unwrap()["invented"], true);
    assert_eq!(json["criteria"].as_array().unwrap().len(), 10);

    // By id, and the errors a user meets.
    let by_id = call_report(&store, &report.call_id.to_string(), None, None).unwrap();
    assert_eq!(by_id.file, CALLS[2]);
    let missing = cg(&["report", "call", "nope.wav", "--db", s(&f.db)]);
    assert_eq!(missing.status.code(), Some(2));
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(
        err.contains("nope.wav") && err.contains("manifest"),
        "{err}"
    );
    let no_db = cg(&["report", "trends", "--db", "no-such.db"]);
    assert_eq!(no_db.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_db.stderr).contains("no-such.db"));
}
