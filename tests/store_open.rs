//! Opening the database: runs creating one file at once, reading an archived database in a
//! read-only folder, files that are not callgrade's, databases newer than the binary, and
//! commands that must never create a database from a mistyped --db.

mod common;

use callgrade::store::{Store, StoreError};
use common::{callgrade, repo, run_args, workspace};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Barrier};
use std::time::SystemTime;

fn user_version(db: &Path) -> i64 {
    let conn = Connection::open(db).unwrap();
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap()
}

fn tables(db: &Path) -> Vec<String> {
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// The file's bytes and modification time, to show that nothing wrote to it.
fn fingerprint(path: &Path) -> (Vec<u8>, SystemTime) {
    (
        std::fs::read(path).unwrap(),
        std::fs::metadata(path).unwrap().modified().unwrap(),
    )
}

fn side_files(db: &Path) -> Vec<PathBuf> {
    ["-wal", "-shm", "-journal"]
        .iter()
        .map(|s| PathBuf::from(format!("{}{s}", db.display())))
        .filter(|p| p.exists())
        .collect()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn eight_runs_creating_one_database_at_once_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("reference.db");
    drop(Store::open(&reference).unwrap());
    // Several rounds: the race this guards against lost most, but not all, rounds.
    for round in 0..5 {
        let db = dir.path().join(format!("new{round}.db"));
        let start = Arc::new(Barrier::new(8));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (start, db) = (start.clone(), db.clone());
                std::thread::spawn(move || {
                    start.wait();
                    Store::open(&db).map(drop).map_err(|e| e.to_string())
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap().unwrap();
        }
        assert_eq!(user_version(&db), user_version(&reference));
        assert_eq!(tables(&db), tables(&reference));
    }
}

/// A manifest whose only row is a text file named .wav, run through the binary without
/// --quiet: a new campaign where every call fails.
fn all_failed_run() -> (tempfile::TempDir, PathBuf, Output) {
    let (dir, manifest) = workspace(1, &[("notes.wav", b"meeting notes, not a recording\n")]);
    let text = std::fs::read_to_string(&manifest).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .enumerate()
        .filter(|(i, l)| *i == 0 || l.starts_with("notes.wav,"))
        .map(|(_, l)| l)
        .collect();
    std::fs::write(&manifest, kept.join("\n") + "\n").unwrap();
    let db = dir.path().join("t.db");
    let mut args = run_args(&manifest, &db);
    args.retain(|a| a != "--quiet");
    let out = callgrade().args(args).output().unwrap();
    (dir, db, out)
}

#[test]
fn a_campaign_whose_every_call_fails_prints_its_table_and_exits_1() {
    let (_dir, _db, out) = all_failed_run();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let row = stdout
        .lines()
        .find(|l| l.starts_with("notes.wav"))
        .unwrap_or_else(|| panic!("a row for notes.wav: {out:?}"));
    assert!(row.contains("failed"), "{row}");
    assert!(!stderr(&out).contains("never scored"), "{out:?}");
    assert!(stderr(&out).contains("0 scored"), "{out:?}");
}

/// Runs `cmd` as `nobody` when the tests run as root, for whom file modes are not enforced.
fn unprivileged(cmd: &mut Command) -> &mut Command {
    use std::os::unix::process::CommandExt;
    if unsafe { libc::geteuid() } == 0 {
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setgroups(0, std::ptr::null()) != 0
                    || libc::setgid(65534) != 0
                    || libc::setuid(65534) != 0
                {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    cmd
}

fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn reports_and_exports_read_a_database_in_a_read_only_folder() {
    let (dir, db, out) = all_failed_run();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(side_files(&db).is_empty(), "{:?}", side_files(&db));
    chmod(&db, 0o444);
    chmod(dir.path(), 0o555);
    let before = fingerprint(&db);
    let reads: [&[&str]; 3] = [
        &["export", "--campaign", "2026Q4", "--format", "csv"],
        &["report", "call", "notes.wav"],
        &["review", "notes.wav", "--list"],
    ];
    // The premise: this user really cannot create the -shm file SQLite would want.
    let touch = unprivileged(Command::new("touch").arg(dir.path().join("probe")))
        .output()
        .unwrap();
    assert!(!touch.status.success(), "the folder should be read-only");
    for args in reads {
        let out = unprivileged(callgrade().args(args).arg("--db").arg(&db))
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("notes.wav"),
            "{args:?}: {out:?}"
        );
    }
    assert!(fingerprint(&db) == before, "the database changed");
    assert!(side_files(&db).is_empty(), "{:?}", side_files(&db));

    // Whoever may write the folder (root here) reads through SQLite's usual -wal and -shm
    // files, which a read-only connection leaves behind; the database itself stays as it was.
    for args in reads {
        let out = callgrade()
            .args(args)
            .arg("--db")
            .arg(&db)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
    }
    assert!(fingerprint(&db) == before, "the database changed");
    chmod(dir.path(), 0o755);
}

#[test]
fn commands_that_use_a_database_never_create_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("typo.db");
    let rubric = repo().join("rubrics/courtesy-en.toml");
    let rubric = rubric.to_str().unwrap();
    let commands: [&[&str]; 7] = [
        &["export", "--campaign", "2026Q4"],
        &["score", "--campaign", "2026Q4", "--rubric", rubric],
        &["report", "trends"],
        &["report", "training"],
        &["report", "call", "call01.wav"],
        &["review", "call01.wav", "--list"],
        &[
            "review",
            "call01.wav",
            "--criterion",
            "greeting",
            "--pass",
            "--reason",
            "heard it",
        ],
    ];
    for args in commands {
        let out = callgrade()
            .args(args)
            .arg("--db")
            .arg(&db)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        assert!(
            stderr(&out).contains(&format!(
                "{}: no such database. Check --db (callgrade run creates it).",
                db.display()
            )),
            "{args:?}: {out:?}"
        );
        assert!(!db.exists(), "{args:?} created {}", db.display());
    }
}

#[test]
fn run_leaves_another_programs_sqlite_file_alone() {
    let (dir, manifest) = workspace(1, &[]);
    let db = dir.path().join("contacts.db");
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch("CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('林');")
        .unwrap();
    drop(conn);
    let before = fingerprint(&db);
    let out = callgrade().args(run_args(&manifest, &db)).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        stderr(&out).contains(&format!(
            "{} is an SQLite database that callgrade did not create; use another --db",
            db.display()
        )),
        "{out:?}"
    );
    assert!(matches!(
        Store::open_read_only(&db),
        Err(StoreError::Foreign { .. })
    ));
    assert!(fingerprint(&db) == before, "the file changed");
    assert_eq!(tables(&db), ["people"]);

    // Another program that marks its files with its own application_id, even with no tables.
    let marked = dir.path().join("marked.db");
    let conn = Connection::open(&marked).unwrap();
    conn.pragma_update(None, "application_id", 7).unwrap();
    drop(conn);
    assert!(matches!(
        Store::open(&marked),
        Err(StoreError::Foreign { .. })
    ));
}

#[test]
fn a_file_that_is_not_sqlite_is_called_that() {
    let (dir, manifest) = workspace(1, &[]);
    let db = dir.path().join("random.db");
    // Deterministic noise (no SQLite header), larger than one page.
    let mut x: u32 = 12345;
    let noise: Vec<u8> = (0..8192)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (x >> 16) as u8
        })
        .collect();
    std::fs::write(&db, &noise).unwrap();
    let before = fingerprint(&db);
    let run = run_args(&manifest, &db);
    let export: Vec<String> = ["export", "--campaign", "2026Q4", "--db"]
        .map(String::from)
        .into_iter()
        .chain([db.display().to_string()])
        .collect();
    for args in [run, export] {
        let out = callgrade().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        assert!(
            stderr(&out).contains(&format!(
                "{} is not a callgrade database (not SQLite); check --db",
                db.display()
            )),
            "{args:?}: {out:?}"
        );
        assert!(!stderr(&out).contains("writable"), "{out:?}");
    }
    assert!(fingerprint(&db) == before, "the file changed");
}

#[test]
fn a_database_from_a_newer_callgrade_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("newer.db");
    drop(Store::open(&db).unwrap());
    let newer = user_version(&db) + 1;
    let conn = Connection::open(&db).unwrap();
    conn.pragma_update(None, "user_version", newer).unwrap();
    drop(conn);
    assert!(side_files(&db).is_empty(), "{:?}", side_files(&db));
    let before = fingerprint(&db);
    // Read-write opens look before they write (not even the switch to WAL happens) and leave
    // no -wal behind; a read-only open may leave SQLite's empty reader files.
    let too_new = |opened: Result<Store, StoreError>| {
        let err = opened.err().unwrap();
        assert!(
            matches!(err, StoreError::TooNew { found, .. } if found == newer),
            "{err}"
        );
    };
    too_new(Store::open(&db));
    too_new(Store::open_existing(&db));
    assert!(side_files(&db).is_empty(), "{:?}", side_files(&db));
    too_new(Store::open_read_only(&db));
    let out = callgrade()
        .args(["export", "--campaign", "2026Q4", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(stderr(&out).contains("newer callgrade"), "{out:?}");
    assert!(fingerprint(&db) == before, "the database changed");
}

#[test]
fn a_read_only_copy_with_unfinished_changes_in_its_wal_is_explained() {
    let (dir, db, out) = all_failed_run();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    // Copied while a writer still held a change in the -wal (never checkpointed).
    let writer = Connection::open(&db).unwrap();
    writer
        .execute_batch("PRAGMA wal_autocheckpoint = 0; UPDATE calls SET error = 'changed';")
        .unwrap();
    let archive = dir.path().join("archive");
    std::fs::create_dir(&archive).unwrap();
    for suffix in ["", "-wal"] {
        let name = format!("t.db{suffix}");
        std::fs::copy(dir.path().join(&name), archive.join(&name)).unwrap();
        chmod(&archive.join(&name), 0o444);
    }
    drop(writer);
    chmod(&archive, 0o555);
    let copy = archive.join("t.db");
    let out = unprivileged(
        callgrade()
            .args(["report", "call", "notes.wav", "--db"])
            .arg(&copy),
    )
    .output()
    .unwrap();
    chmod(&archive, 0o755);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        stderr(&out).contains(&format!(
            "{}: the folder is read-only and {}-wal still holds changes",
            copy.display(),
            copy.display()
        )),
        "{out:?}"
    );
}
