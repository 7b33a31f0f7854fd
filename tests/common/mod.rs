//! Helpers the integration tests have in common: where the repo, the models and the binary are, a
//! scratch folder with some of the bundled demo calls, and (`demo`) what each demo call should
//! get. Tests use only what is in the repository: the labelled sets beside it are for
//! `make eval`.
#![allow(dead_code)]

pub mod demo;

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The models folder `make models` fills (or $CALLGRADE_MODELS).
pub fn models() -> PathBuf {
    std::env::var_os("CALLGRADE_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("models"))
}

/// The wheel `model install` cached whose file name starts with `prefix` (compared without
/// case: some wheels keep their project's capitals).
pub fn cached_wheel(prefix: &str) -> PathBuf {
    let cache = models().join(".cache");
    std::fs::read_dir(&cache)
        .ok()
        .and_then(|entries| {
            entries.filter_map(|e| e.ok()).map(|e| e.path()).find(|p| {
                let n = p.file_name().unwrap().to_string_lossy().to_lowercase();
                n.starts_with(prefix) && n.ends_with(".whl")
            })
        })
        .unwrap_or_else(|| {
            panic!(
                "{} holds no {prefix}… wheel: run `make models` first",
                cache.display()
            )
        })
}

/// A converted model by file name, with a message that says how to get it.
pub fn model(file: &str) -> PathBuf {
    let path = models().join(file);
    assert!(
        path.is_file(),
        "{} is missing: run `make models` (or `callgrade model install …`) first",
        path.display()
    );
    path
}

/// The installed speech detector, loaded once per test binary.
pub fn speech_finder() -> &'static callgrade::audio::SpeechFinder {
    static FINDER: std::sync::OnceLock<callgrade::audio::SpeechFinder> = std::sync::OnceLock::new();
    FINDER.get_or_init(|| {
        callgrade::audio::SpeechFinder::installed()
            .unwrap_or_else(|e| panic!("{e} (run `make models` first)"))
    })
}

/// The callgrade binary, with the test's models folder.
pub fn callgrade() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_callgrade"));
    cmd.env("CALLGRADE_MODELS", models());
    cmd
}

/// A scratch folder holding the first `n` demo calls with their manifest lines, plus
/// `extra` manifest lines (file name and contents) for bad inputs.
pub fn workspace(n: usize, extra: &[(&str, &[u8])]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let demo = repo().join("recordings/demo");
    let manifest = std::fs::read_to_string(demo.join("manifest.csv")).unwrap();
    let mut lines = manifest.lines();
    let header = lines.next().unwrap();
    let mut out = vec![header.to_string()];
    for line in lines.filter(|l| !l.trim().is_empty()).take(n) {
        let file = line.split(',').next().unwrap();
        std::fs::copy(demo.join(file), dir.path().join(file)).unwrap();
        out.push(line.to_string());
    }
    let template = out[1].clone();
    for (name, bytes) in extra {
        std::fs::write(dir.path().join(name), bytes).unwrap();
        let rest = template.split_once(',').unwrap().1;
        out.push(format!("{name},{rest}"));
    }
    let path = dir.path().join("manifest.csv");
    std::fs::write(&path, out.join("\n") + "\n").unwrap();
    (dir, path)
}

/// `callgrade run` arguments for the English demo rubric with the tiny.en model.
pub fn run_args(manifest: &Path, db: &Path) -> Vec<String> {
    let rubric = repo().join("rubrics/courtesy-en.toml");
    vec![
        "run".into(),
        manifest.display().to_string(),
        "--campaign".into(),
        "2026Q4".into(),
        "--rubric".into(),
        rubric.display().to_string(),
        "--db".into(),
        db.display().to_string(),
        "--model".into(),
        model("ggml-tiny.en.bin").display().to_string(),
        "--quiet".into(),
    ]
}

/// Rows in a table of the test database.
pub fn count(db: &Path, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

/// `callgrade export --format json` of `campaign`.
pub fn export_json(db: &Path, campaign: &str) -> serde_json::Value {
    let out = callgrade()
        .args(["export", "--campaign", campaign, "--format", "json", "--db"])
        .arg(db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A call of a JSON export, by file name.
pub fn exported_call<'a>(export: &'a serde_json::Value, file: &str) -> &'a serde_json::Value {
    export["calls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["file"] == file)
        .unwrap_or_else(|| panic!("{file} is not in the export"))
}

/// A criterion of a call in the JSON export, by id.
pub fn criterion<'a>(call: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    call["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == id)
        .unwrap_or_else(|| panic!("no criterion {id} in {call}"))
}

/// An exported call's total as courtesy-en defines it, recomputed from its criteria: raw
/// points over raw maximum, scaled to 100 and rounded to one decimal; and its band
/// (90/80/70/60).
pub fn expected_total(call: &serde_json::Value) -> (f64, &'static str) {
    let crit = call["criteria"].as_array().unwrap();
    let raw: f64 = crit.iter().map(|k| k["points"].as_f64().unwrap()).sum();
    let max: f64 = crit.iter().map(|k| k["max"].as_f64().unwrap()).sum();
    let score = (raw / max * 100.0 * 10.0).round() / 10.0;
    let grade = match score {
        s if s >= 90.0 => "Outstanding",
        s if s >= 80.0 => "Good",
        s if s >= 70.0 => "Satisfactory",
        s if s >= 60.0 => "Fair",
        _ => "Needs improvement",
    };
    (score, grade)
}

/// The first two demo calls run once through the real pipeline (tiny.en, English rubric) into
/// `NAME/base.db` under the test target folder; the recordings stay in `NAME/recordings` for
/// tests that read them again.
pub fn demo_db(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    let recordings = dir.join("recordings");
    std::fs::create_dir_all(&recordings).unwrap();
    let (ws, _) = workspace(2, &[]);
    for entry in std::fs::read_dir(ws.path()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), recordings.join(entry.file_name())).unwrap();
    }
    let db = dir.join("base.db");
    let out = callgrade()
        .args(run_args(&recordings.join("manifest.csv"), &db))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "run failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    db
}

/// A private copy of database `base`, `NAME.db` beside it (VACUUM INTO: whole and consistent
/// even while the base has a -wal file).
pub fn copy_db(base: &Path, name: &str) -> PathBuf {
    let path = base.with_file_name(format!("{name}.db"));
    let _ = std::fs::remove_file(&path);
    let conn = rusqlite::Connection::open(base).unwrap();
    conn.execute("VACUUM INTO ?1", [path.display().to_string()])
        .unwrap();
    path
}
