//! Schema migrations, applied in order; `PRAGMA user_version` records how far a file has come.

use super::{Store, StoreError};

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
];

pub(super) fn migrate(store: &mut Store) -> Result<(), StoreError> {
    let known = MIGRATIONS.len() as i64;
    let found: i64 = store
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| store.sql_err(e))?;
    if found > known {
        return Err(StoreError::TooNew {
            path: store.path.clone(),
            found,
            known,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let version = i as i64 + 1;
        let path = store.path.clone();
        let tx = store.conn.transaction().map_err(|source| StoreError::Sql {
            path: path.clone(),
            source,
        })?;
        tx.execute_batch(sql)
            .and_then(|_| tx.pragma_update(None, "user_version", version))
            .and_then(|_| tx.commit())
            .map_err(|source| StoreError::Sql { path, source })?;
    }
    Ok(())
}
