//! Schema migrations, applied in order; `PRAGMA user_version` records how far a file has come.

use super::{Store, StoreError};
use rusqlite::{Connection, ErrorCode, TransactionBehavior};
use std::path::Path;

/// `PRAGMA application_id` of a callgrade database ("CGRD"), so that a file is recognised as
/// ours even when it holds no calls yet. Set by migration 3.
pub(super) const APPLICATION_ID: i64 = 0x4347_5244;

/// Each entry upgrades the schema by one version. Never edit a shipped entry: append a new one.
const MIGRATIONS: &[&str] = &[
    // 1: the pipeline's tables.
    r#"
    CREATE TABLE campaigns (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE,
        created_at  INTEGER NOT NULL
    );
    CREATE TABLE units (
        id    INTEGER PRIMARY KEY,
        name  TEXT NOT NULL UNIQUE
    );
    CREATE TABLE staff (
        id    INTEGER PRIMARY KEY,
        name  TEXT NOT NULL UNIQUE
    );
    CREATE TABLE scenarios (
        id     INTEGER PRIMARY KEY,
        key    TEXT NOT NULL UNIQUE,
        title  TEXT
    );
    CREATE TABLE calls (
        id             INTEGER PRIMARY KEY,
        campaign_id    INTEGER NOT NULL REFERENCES campaigns(id),
        file           TEXT NOT NULL,
        path           TEXT NOT NULL,
        sha256         TEXT,
        staff_id       INTEGER REFERENCES staff(id),
        unit_id        INTEGER REFERENCES units(id),
        scenario_id    INTEGER REFERENCES scenarios(id),
        called_at      TEXT,
        staff_channel  TEXT NOT NULL,
        status         TEXT NOT NULL CHECK (status IN ('pending', 'scored', 'failed')),
        error          TEXT,
        audio_facts    TEXT,
        transcript_id  INTEGER REFERENCES transcripts(id),
        updated_at     INTEGER NOT NULL,
        UNIQUE (campaign_id, file)
    );
    CREATE TABLE transcripts (
        id             INTEGER PRIMARY KEY,
        audio_sha256   TEXT NOT NULL,
        model_sha256   TEXT NOT NULL,
        settings       TEXT NOT NULL,
        model_name     TEXT NOT NULL,
        language       TEXT NOT NULL,
        staff_channel  TEXT NOT NULL,
        audio_facts    TEXT NOT NULL,
        quality        TEXT,
        created_at     INTEGER NOT NULL,
        UNIQUE (audio_sha256, model_sha256, settings, language, staff_channel)
    );
    CREATE TABLE segments (
        id             INTEGER PRIMARY KEY,
        transcript_id  INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        idx            INTEGER NOT NULL,
        speaker        TEXT NOT NULL,
        start          REAL NOT NULL,
        end            REAL NOT NULL,
        text           TEXT NOT NULL,
        invented       INTEGER NOT NULL DEFAULT 0,
        UNIQUE (transcript_id, idx)
    );
    CREATE TABLE score_runs (
        id             INTEGER PRIMARY KEY,
        rubric_id      TEXT NOT NULL,
        rubric_sha256  TEXT NOT NULL,
        rubric_title   TEXT NOT NULL,
        rubric_toml    TEXT NOT NULL,
        created_at     INTEGER NOT NULL,
        UNIQUE (rubric_id, rubric_sha256)
    );
    CREATE TABLE call_scores (
        id             INTEGER PRIMARY KEY,
        call_id        INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
        score_run_id   INTEGER NOT NULL REFERENCES score_runs(id),
        transcript_id  INTEGER REFERENCES transcripts(id),
        score          REAL NOT NULL,
        max            REAL NOT NULL,
        grade          TEXT NOT NULL,
        created_at     INTEGER NOT NULL,
        UNIQUE (call_id, score_run_id)
    );
    CREATE TABLE criterion_results (
        id             INTEGER PRIMARY KEY,
        call_score_id  INTEGER NOT NULL REFERENCES call_scores(id) ON DELETE CASCADE,
        idx            INTEGER NOT NULL,
        criterion_id   TEXT NOT NULL,
        title          TEXT NOT NULL,
        category       TEXT NOT NULL,
        passed         INTEGER NOT NULL,
        applicable     INTEGER NOT NULL,
        points         REAL NOT NULL,
        max            REAL NOT NULL,
        reason         TEXT NOT NULL,
        evidence       TEXT NOT NULL,
        UNIQUE (call_score_id, criterion_id)
    );
    CREATE INDEX calls_by_campaign ON calls(campaign_id);
    CREATE INDEX scores_by_call ON call_scores(call_id);
    "#,
    // 2: supervisors' overrides of single verdicts. Keyed by call + rubric id + criterion id
    // (not by a call_scores row) so they survive re-scoring with a new version of the rubric.
    // Rows are never deleted: undo sets `withdrawn_at`, keeping the audit trail. `points` NULL
    // means "the default": the criterion's full points when passed, 0 when failed, taken from
    // whichever rubric version is being read.
    r#"
    CREATE TABLE overrides (
        id            INTEGER PRIMARY KEY,
        call_id       INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
        rubric_id     TEXT NOT NULL,
        criterion_id  TEXT NOT NULL,
        passed        INTEGER NOT NULL,
        points        REAL,
        reason        TEXT NOT NULL CHECK (length(trim(reason)) > 0),
        reviewer      TEXT NOT NULL,
        created_at    INTEGER NOT NULL,
        withdrawn_at  INTEGER,
        withdrawn_by  TEXT
    );
    CREATE INDEX overrides_by_call ON overrides(call_id, rubric_id, criterion_id);
    "#,
    // 3: marks the file as callgrade's (APPLICATION_ID), so `run` never takes another
    // program's SQLite file for an old callgrade database.
    "PRAGMA application_id = 1128747588;",
    // 4: how sure a verdict is. Segments keep Whisper's token probabilities (JSON, NULL for
    // transcripts made before), criterion results their confidence (NULL when scored before
    // confidence was measured) and whether a supervisor should check them.
    r#"
    ALTER TABLE segments ADD COLUMN tokens TEXT;
    ALTER TABLE criterion_results ADD COLUMN confidence REAL;
    ALTER TABLE criterion_results ADD COLUMN needs_review INTEGER NOT NULL DEFAULT 0;
    "#,
    // 5: the review web app's accounts. Passwords are argon2id PHC strings; a session is kept
    // as the SHA-256 of its cookie token, so a copy of the database does not log anyone in.
    // Disabling keeps the row (the audit log names it). Failed logins are kept only as long
    // as throttling looks at them.
    r#"
    CREATE TABLE users (
        id           INTEGER PRIMARY KEY,
        name         TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role         TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'trainer')),
        password     TEXT NOT NULL,
        lang         TEXT NOT NULL DEFAULT 'zh-TW' CHECK (lang IN ('zh-TW', 'en')),
        created_at   INTEGER NOT NULL,
        disabled_at  INTEGER
    );
    CREATE TABLE sessions (
        token_sha256  TEXT PRIMARY KEY,
        user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        csrf          TEXT NOT NULL,
        created_at    INTEGER NOT NULL,
        last_seen_ms  INTEGER NOT NULL
    );
    CREATE INDEX sessions_by_user ON sessions(user_id);
    CREATE TABLE audit (
        id      INTEGER PRIMARY KEY,
        at      INTEGER NOT NULL,
        actor   TEXT NOT NULL,
        action  TEXT NOT NULL,
        detail  TEXT NOT NULL
    );
    CREATE TABLE login_failures (
        id       INTEGER PRIMARY KEY,
        name     TEXT NOT NULL COLLATE NOCASE,
        address  TEXT NOT NULL,
        at       INTEGER NOT NULL
    );
    CREATE INDEX login_failures_by_name ON login_failures(name, at);
    CREATE INDEX login_failures_by_address ON login_failures(address, at);
    "#,
    // 6: supervisors' reviews. A row in `reviews` says a reviewer went through a call under a
    // rubric id (keyed like overrides, so it survives re-scoring); `blind` reviews were made
    // before the reviewer saw the automatic verdicts, and their own verdicts are kept in
    // `blind_verdicts`, never applied to scores: they only measure how far the machine agrees.
    r#"
    CREATE TABLE reviews (
        id          INTEGER PRIMARY KEY,
        call_id     INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
        rubric_id   TEXT NOT NULL,
        reviewer    TEXT NOT NULL CHECK (length(trim(reviewer)) > 0),
        blind       INTEGER NOT NULL,
        created_at  INTEGER NOT NULL
    );
    CREATE INDEX reviews_by_call ON reviews(call_id, rubric_id);
    CREATE TABLE blind_verdicts (
        id            INTEGER PRIMARY KEY,
        review_id     INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
        criterion_id  TEXT NOT NULL,
        verdict       TEXT NOT NULL CHECK (verdict IN ('passed', 'failed', 'not_applicable')),
        UNIQUE (review_id, criterion_id)
    );
    "#,
    // 7: a reviewer may judge that a criterion did not apply (full points, as scoring gives),
    // not only pass or fail it. Earlier overrides were all judgements on criteria that applied.
    "ALTER TABLE overrides ADD COLUMN applicable INTEGER NOT NULL DEFAULT 1;",
    // 8: who said each line of a mono transcript, as scoring decided it (JSON, one entry per
    // segment: speaker and confidence, null where the side says it). Scoring needs the
    // scenario's caller script for that, which reports do not have. NULL for scores from before.
    "ALTER TABLE call_scores ADD COLUMN speakers TEXT;",
];

/// The schema version this binary writes and reads.
pub(super) const KNOWN: i64 = MIGRATIONS.len() as i64;

/// The oldest schema that reads (reports, exports) use as it is, since a read-only open cannot
/// upgrade. Raise this when a migration adds or changes anything a read uses: migration 4's
/// confidence columns are read by every report (migration 7's `applicable` on overrides is
/// read as 1 where it is missing, migration 8's line speakers as none).
pub(super) const READABLE_FROM: i64 = 4;

/// Whether `table` has `column`: reads of archived databases opened without upgrading leave
/// out what later migrations added.
pub(super) fn has_column(conn: &Connection, table: &str, column: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2)",
        [table, column],
        |r| r.get(0),
    )
}

/// What a file holds, as read before anything is written to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Found {
    /// A new or zero-length file: no tables, no version.
    Empty,
    /// A callgrade database at this schema version (never newer than [`KNOWN`]).
    Version(i64),
}

/// Reads what `path` holds without changing it, and refuses files callgrade must not use:
/// not SQLite, another program's database, or a newer callgrade's.
pub(super) fn inspect(conn: &Connection, path: &Path) -> Result<Found, StoreError> {
    let (version, application_id, objects, campaigns): (i64, i64, i64, bool) = conn
        .query_row(
            "SELECT (SELECT user_version FROM pragma_user_version),
                    (SELECT application_id FROM pragma_application_id),
                    (SELECT count(*) FROM sqlite_master),
                    EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'campaigns')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .map_err(|source| match source.sqlite_error_code() {
            Some(ErrorCode::NotADatabase) => StoreError::NotSqlite { path: path.into() },
            _ => StoreError::Sql {
                path: path.into(),
                source,
            },
        })?;
    let foreign = StoreError::Foreign { path: path.into() };
    if application_id != 0 && application_id != APPLICATION_ID {
        return Err(foreign);
    }
    if version == 0 {
        return if objects == 0 {
            Ok(Found::Empty)
        } else {
            Err(foreign)
        };
    }
    // Before schema 3 callgrade set no application_id, but its files always had `campaigns`.
    if application_id == 0 && !campaigns {
        return Err(foreign);
    }
    if version > KNOWN {
        return Err(StoreError::TooNew {
            path: path.into(),
            found: version,
            known: KNOWN,
        });
    }
    Ok(Found::Version(version))
}

/// Brings the schema from `found` (as [`inspect`] saw it) up to [`KNOWN`], in one transaction.
pub(super) fn migrate(store: &mut Store, found: Found) -> Result<(), StoreError> {
    if found == Found::Version(KNOWN) {
        return Ok(());
    }
    let path = store.path.clone();
    let sql_err = |source| StoreError::Sql {
        path: path.clone(),
        source,
    };
    // Take the write lock first and read the version under it: two runs creating the same
    // file at once must not both apply migration 1 (the second would find its tables there).
    let tx = store
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sql_err)?;
    let from = match inspect(&tx, &path)? {
        Found::Empty => 0,
        Found::Version(v) => v,
    };
    for sql in &MIGRATIONS[from as usize..] {
        tx.execute_batch(sql).map_err(sql_err)?;
    }
    tx.pragma_update(None, "user_version", KNOWN)
        .map_err(sql_err)?;
    tx.commit().map_err(sql_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migration_3_sets_the_application_id_the_checks_expect() {
        assert_eq!(
            MIGRATIONS[2],
            format!("PRAGMA application_id = {APPLICATION_ID};")
        );
    }

    /// A database as the callgrade of schema `version` left it: its tables, a campaign and a
    /// failed call with Chinese text, closed cleanly (no -wal left).
    fn old_database(path: &Path, version: usize) {
        let conn = Connection::open(path).unwrap();
        conn.execute_batch("PRAGMA journal_mode = WAL;").unwrap();
        for sql in &MIGRATIONS[..version] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", version as i64)
            .unwrap();
        conn.execute_batch(
            "INSERT INTO campaigns (id, name, created_at) VALUES (1, '2026Q1', 0);
             INSERT INTO units (id, name) VALUES (1, '行政課');
             INSERT INTO calls (campaign_id, file, path, unit_id, staff_channel, status, error,
                                updated_at)
             VALUES (1, 'a.wav', '/r/a.wav', 1, 'left', 'failed', 'not audio', 0);",
        )
        .unwrap();
    }

    fn version_and_id(path: &Path) -> (i64, i64) {
        let conn = Connection::open(path).unwrap();
        let get = |pragma: &str| conn.pragma_query_value(None, pragma, |r| r.get(0)).unwrap();
        (get("user_version"), get("application_id"))
    }

    #[test]
    fn every_earlier_schema_is_upgraded_and_keeps_its_rows() {
        for version in 1..MIGRATIONS.len() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("old.db");
            old_database(&path, version);
            let store = Store::open_existing(&path).unwrap();
            assert_eq!(store.campaigns().unwrap(), ["2026Q1"], "from {version}");
            let calls = store.campaign_calls("2026Q1", None).unwrap();
            assert_eq!(calls.len(), 1);
            assert_eq!(calls[0].unit, "行政課");
            assert_eq!(calls[0].error.as_deref(), Some("not audio"));
            assert!(store.call_overrides(calls[0].id).unwrap().is_empty());
            drop(store);
            assert_eq!(version_and_id(&path), (KNOWN, APPLICATION_ID));
            Store::open_read_only(&path).unwrap();
        }
    }

    #[test]
    fn verdicts_and_transcripts_stored_before_confidence_read_back_without_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        old_database(&path, 3);
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "INSERT INTO transcripts (id, audio_sha256, model_sha256, settings, model_name,
                                      language, staff_channel, audio_facts, created_at)
             VALUES (1, 'a', 'm', 's', 'base', 'zh', 'left', '{\"duration\": 9.0, \"channels\": 2,
                     \"source_rate\": 8000, \"rings\": 1, \"ringback\": [], \"speech\": [],
                     \"first_staff_speech\": 1.0}', 0);
             INSERT INTO segments (transcript_id, idx, speaker, start, end, text)
             VALUES (1, 0, 'staff', 1.0, 2.0, '您好');
             UPDATE calls SET status = 'scored', error = NULL, sha256 = 'a', transcript_id = 1;
             INSERT INTO score_runs (id, rubric_id, rubric_sha256, rubric_title, rubric_toml,
                                     created_at)
             VALUES (1, 'r', 'h', 'R', '', 0);
             INSERT INTO call_scores (id, call_id, score_run_id, transcript_id, score, max, grade,
                                      created_at)
             VALUES (1, 1, 1, 1, 4, 4, 'A', 0);
             INSERT INTO criterion_results (call_score_id, idx, criterion_id, title, category,
                                            passed, applicable, points, max, reason, evidence)
             VALUES (1, 0, 'greeting', '問候', 'courtesy', 1, 1, 4, 4, 'said 您好', '[]');",
        )
        .unwrap();
        drop(conn);
        let store = Store::open_existing(&path).unwrap();
        let call = store.call_detail(1, Some(1)).unwrap().unwrap();
        assert_eq!(call.transcript.len(), 1);
        assert!(call.transcript[0].tokens.is_empty());
        assert_eq!(call.criteria.len(), 1);
        // Not measured is not "certain" nor "doubtful": unknown until the call is re-scored.
        assert_eq!(call.criteria[0].confidence, None);
        assert!(!call.criteria[0].needs_review);
        drop(store);
        assert_eq!(version_and_id(&path), (KNOWN, APPLICATION_ID));
    }

    #[test]
    fn a_schema_reads_can_use_is_read_as_it_is() {
        for version in READABLE_FROM as usize..MIGRATIONS.len() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("old.db");
            old_database(&path, version);
            let store = Store::open_read_only(&path).unwrap();
            assert_eq!(store.campaigns().unwrap(), ["2026Q1"], "from {version}");
            let calls = store.campaign_calls("2026Q1", None).unwrap();
            assert!(store.call_overrides(calls[0].id).unwrap().is_empty());
            drop(store);
            // Unchanged: the version it had, and the application id migration 3 set (if run).
            let id = if version >= 3 { APPLICATION_ID } else { 0 };
            assert_eq!(version_and_id(&path), (version as i64, id));
        }
    }

    #[test]
    fn overrides_stored_before_not_applicable_read_as_judgements_on_criteria_that_applied() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        old_database(&path, 6);
        Connection::open(&path)
            .unwrap()
            .execute_batch(
                "INSERT INTO overrides (call_id, rubric_id, criterion_id, passed, reason,
                                        reviewer, created_at)
                 VALUES (1, 'r', 'greeting', 0, 'not said', 'wang', 0);",
            )
            .unwrap();
        let read = Store::open_read_only(&path).unwrap();
        let old = read.call_overrides(1).unwrap();
        assert_eq!(
            (old.len(), old[0].applicable, old[0].passed),
            (1, true, false)
        );
        drop(read);
        assert_eq!(version_and_id(&path).0, 6, "reading changed nothing");
        let upgraded = Store::open_existing(&path).unwrap();
        assert_eq!(upgraded.call_overrides(1).unwrap(), old);
    }

    #[test]
    fn reading_an_earlier_schema_asks_for_an_upgrade_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        old_database(&path, 1);
        let bytes = std::fs::read(&path).unwrap();
        let err = Store::open_read_only(&path).err().unwrap();
        assert!(matches!(err, StoreError::TooOld { found: 1, .. }), "{err}");
        assert!(err.to_string().contains("callgrade score"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
        assert_eq!(version_and_id(&path), (1, 0));
    }
}
