//! Store stage: everything callgrade knows lives in one SQLite file. Only this module speaks SQL.
//!
//! Writes happen one call per transaction, so a killed run leaves whole calls or nothing, and a
//! rerun picks up where it stopped. WAL mode lets reports read while a run writes.

mod calls;
mod history;
mod overrides;
mod read;
mod runs;
mod schema;
mod transcripts;

pub use calls::{CallKey, CallRecord, CallStatus, TranscriptRef};
pub use history::{CallLocation, CampaignRun, ScoredCall};
pub use overrides::{NewOverride, Override, OverrideError, utc};
pub use read::CallView;
pub use runs::ScoreRunView;
pub use transcripts::{CachedTranscript, TranscriptKey};

use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Why the database could not be used; every message names the file and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{path}: cannot open the database: {source}. Check that the folder exists and is writable."
    )]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "{path}: the database was written by a newer callgrade (schema {found}, this one knows {known}). Upgrade callgrade or use another --db."
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
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
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let open_err = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        let conn = Connection::open(path).map_err(open_err)?;
        conn.busy_timeout(Duration::from_secs(30))
            .map_err(open_err)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
        )
        .map_err(open_err)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        schema::migrate(&mut store)?;
        Ok(store)
    }

    /// Where this database lives.
    pub fn path(&self) -> &Path {
        &self.path
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
