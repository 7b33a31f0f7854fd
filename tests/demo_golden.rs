//! What the demo promises. `make demo` scores every bundled quarter with the default model
//! (base); each call must get exactly the failed criteria and score in its set's
//! `expected.toml`, and the table "What callgrade gives" in the set's README must say the same.

mod common;

use common::demo::{self, Expected};
use common::{callgrade, model};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Runs one set as `make demo` does and returns each call's (score, failed criteria).
fn run_set(set: &str, expected: &Expected, db: &Path) -> BTreeMap<String, (f64, BTreeSet<String>)> {
    let manifest = demo::dir(set).join("manifest.csv");
    let rubric = common::repo().join(&expected.rubric);
    let status = callgrade()
        .arg("run")
        .arg(&manifest)
        .args(["--campaign", &expected.campaign])
        .arg("--rubric")
        .arg(&rubric)
        .arg("--db")
        .arg(db)
        .arg("--model")
        .arg(model("ggml-base.bin"))
        .arg("--quiet")
        .status()
        .unwrap();
    assert!(status.success(), "{set}: run failed");
    let json = db.with_extension("json");
    let status = callgrade()
        .args([
            "export",
            "--campaign",
            &expected.campaign,
            "--format",
            "json",
        ])
        .arg("--db")
        .arg(db)
        .arg("--out")
        .arg(&json)
        .status()
        .unwrap();
    assert!(status.success(), "{set}: export failed");
    let export: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    export["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|call| {
            let failed = call["criteria"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| c["applicable"] == true && c["passed"] == false)
                .map(|c| c["id"].as_str().unwrap().to_string())
                .collect();
            (
                call["file"].as_str().unwrap().to_string(),
                (call["score"].as_f64().unwrap_or(f64::NAN), failed),
            )
        })
        .collect()
}

#[test]
fn demo_calls_get_the_verdicts_their_readmes_promise() {
    let dir = tempfile::tempdir().unwrap();
    let mut differences = Vec::new();
    for set in demo::SETS {
        let expected = demo::expected(set);
        // One database per set: the English and Mandarin 2026Q4 share a campaign name, and
        // `make demo` keeps them apart the same way.
        let got = run_set(set, &expected, &dir.path().join(format!("{set}.db")));
        assert_eq!(got.len(), expected.call.len(), "{set}: calls in the export");
        for call in &expected.call {
            let (score, failed) = &got[&call.file];
            let want = call.failed_in_demo();
            eprintln!("{set}/{:<42} {score:5.1}  {failed:?}", call.file);
            if *failed != want {
                differences.push(format!(
                    "{set}/{}: fails {failed:?}, expected {want:?}",
                    call.file
                ));
            }
            if (score - call.score).abs() > 0.05 {
                differences.push(format!(
                    "{set}/{}: score {score}, expected {}",
                    call.file, call.score
                ));
            }
        }
    }
    assert!(differences.is_empty(), "{differences:#?}");
}

/// The rows of a README's table under "### What callgrade gives": (call number, score, failed
/// criteria), e.g. `| 02 David | 78.2 | agency, self_name, ask_name |`.
fn readme_table(readme: &str) -> Vec<(u32, f64, BTreeSet<String>)> {
    readme
        .lines()
        .skip_while(|l| !l.starts_with("### What callgrade gives"))
        .skip(1)
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            let number = first_number(cells.first()?)?;
            let score = cells.get(1)?.parse().ok()?;
            let failed = cells
                .get(2)?
                .split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty() && *c != "none")
                .map(String::from)
                .collect();
            Some((number, score, failed))
        })
        .collect()
}

fn first_number(text: &str) -> Option<u32> {
    let digits: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

#[test]
fn each_readme_states_the_expected_verdicts() {
    for set in demo::SETS {
        let expected = demo::expected(set);
        let path = demo::dir(set).join("README.md");
        let rows = readme_table(&std::fs::read_to_string(&path).unwrap());
        let mut want: Vec<(u32, f64, BTreeSet<String>)> = expected
            .call
            .iter()
            .map(|c| (first_number(&c.file).unwrap(), c.score, c.failed_in_demo()))
            .collect();
        want.sort_by_key(|r| r.0);
        assert_eq!(
            rows,
            want,
            "{}: the table under \"### What callgrade gives\" differs from expected.toml",
            path.display()
        );
    }
}
