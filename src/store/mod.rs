//! Store stage: everything callgrade knows lives in one SQLite file. Only this module speaks SQL.
//!
//! Writes happen one call per transaction, so a killed run leaves whole calls or nothing, and a
//! rerun picks up where it stopped. WAL mode lets reports read while a run writes.

mod accounts;
mod audit;
mod call_list;
mod calls;
mod history;
mod open;
mod override_guard;
mod overrides;
mod read;
mod recordings;
mod reviews;
mod runs;
mod schema;
mod sessions;
mod transcripts;

pub use accounts::{Account, AccountError, Role, valid_name};
pub use audit::AuditEntry;
pub use call_list::CallListRow;
pub use calls::{CallKey, CallRecord, CallStatus, TranscriptRef};
pub use history::{CallLocation, CampaignRun, ScoredCall};
pub use override_guard::{CriterionChanges, GuardError, LastChange};
pub use overrides::{NewOverride, Override, OverrideError, utc};
pub use read::CallView;
pub use recordings::RecordingPlace;
pub use reviews::{BlindVerdict, MachineVerdict, Review, ReviewError};
pub use runs::ScoreRunView;
pub use sessions::{RecentFailures, SessionUser};
pub use transcripts::{CachedTranscript, TranscriptKey};

use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// Why the database could not be used; every message names the file and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: no such database. Check --db (callgrade run creates it).")]
    Missing { path: PathBuf },
    #[error("{path}: the database is empty. Check --db (callgrade run fills it).")]
    Empty { path: PathBuf },
    #[error("{path} is not a callgrade database (not SQLite); check --db.")]
    NotSqlite { path: PathBuf },
    #[error("{path} is an SQLite database that callgrade did not create; use another --db.")]
    Foreign { path: PathBuf },
    #[error(
        "{path}: cannot open the database: {source}. Check that the folder exists and that it and the file are writable."
    )]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("{path}: cannot read the database: {source}. Check that the file is readable.")]
    Read {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "{path}: the folder is read-only and {path}-wal still holds changes a run did not finish writing. Copy the database with its -wal file to a writable folder, or open it once where it is writable."
    )]
    UnsavedWal { path: PathBuf },
    #[error(
        "{path}: the database was written by a newer callgrade (schema {found}, this one knows {known}). Upgrade callgrade or use another --db."
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "{path}: the database was written by an older callgrade (schema {found}; this one reads schema {readable} or later) and reading never changes it. Run `callgrade run` or `callgrade score` on it once to upgrade it, then try again."
    )]
    TooOld {
        path: PathBuf,
        found: i64,
        readable: i64,
    },
    #[error("{path}: database error: {source}")]
    Sql {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("{path}: stored data is damaged ({what}). Re-run the campaign with --force.")]
    Corrupt { path: PathBuf, what: String },
}

/// An open callgrade database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Where this database lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in one write transaction, taken before anything is read (so a check and the
    /// write it allows cannot interleave with another writer's): committed when `f` succeeds,
    /// rolled back when it fails. A change and its audit row go through here together.
    pub fn write_tx<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&mut Store) -> Result<T, E>,
    ) -> Result<T, E> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.sql_err(e))?;
        let out = f(self);
        let end = if out.is_ok() { "COMMIT" } else { "ROLLBACK" };
        let ended = self.conn.execute_batch(end).map_err(|e| self.sql_err(e));
        match (out, ended) {
            (Ok(v), Ok(())) => Ok(v),
            (Err(e), _) => Err(e),
            (Ok(_), Err(e)) => Err(e.into()),
        }
    }

    fn sql_err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sql {
            path: self.path.clone(),
            source,
        }
    }
}

/// Seconds since the Unix epoch, as stored in `*_at` columns that record when we wrote a row.
fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
