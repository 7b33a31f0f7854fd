//! Opening a database file in one of three ways: `run` may create it, `score` and `review`
//! change an existing one, reports and exports only read it. Nothing is written to a file
//! before it is known to be a callgrade database this binary can use.

use super::schema::{self, Found};
use super::{Store, StoreError};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::path::Path;
use std::time::Duration;

/// How long to wait for another process holding the write lock: a run storing a call, or a
/// second run creating the same file.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

impl Store {
    /// Opens the database at `path`, creating it when missing, and brings its schema up to
    /// date. Only `run` creates databases.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Store::open_writable(path, Mode::Create)
    }

    /// Opens an existing database to change it (re-scoring, overrides), upgrading its schema;
    /// a mistyped path is an error, not a new empty database.
    pub fn open_existing(path: &Path) -> Result<Store, StoreError> {
        Store::open_writable(path, Mode::Upgrade)
    }

    /// Opens an existing database that is already at this binary's schema, to change it,
    /// without taking the write lock to migrate: the review server upgrades the file once when
    /// it starts (with [`Store::open_existing`]) and then opens it this way for its requests.
    /// A file at another schema (replaced since) is refused as [`Store::open_read_only`] would.
    pub fn open_current(path: &Path) -> Result<Store, StoreError> {
        Store::open_writable(path, Mode::Current)
    }

    /// Opens an existing database only to read it. Nothing is written, not even the WAL's
    /// shared-memory file when the folder forbids it, so an archived database in a read-only
    /// folder can still be reported on. A schema too old for this binary's reads is refused
    /// rather than upgraded (see `READABLE_FROM`); a read-write command upgrades it.
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        if !path.is_file() {
            return Err(StoreError::Missing { path: path.into() });
        }
        let read_err = |source| StoreError::Read {
            path: path.into(),
            source,
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).map_err(read_err)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(read_err)?;
        // Other errors (not SQLite, damaged, …) are left for `inspect` to name.
        let probe = conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()));
        if probe.is_err_and(|e| {
            matches!(
                e.sqlite_error_code(),
                Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly)
            )
        }) {
            conn = open_immutable(path)?;
        }
        let store = Store {
            conn,
            path: path.into(),
        };
        match schema::inspect(&store.conn, path)? {
            Found::Empty => Err(StoreError::Empty { path: path.into() }),
            Found::Version(found) if found < schema::READABLE_FROM => Err(StoreError::TooOld {
                path: path.into(),
                found,
                readable: schema::READABLE_FROM,
            }),
            Found::Version(_) => Ok(store),
        }
    }

    fn open_writable(path: &Path, mode: Mode) -> Result<Store, StoreError> {
        let create = mode == Mode::Create;
        if !create && !path.is_file() {
            return Err(StoreError::Missing { path: path.into() });
        }
        let open_err = |source| StoreError::Open {
            path: path.into(),
            source,
        };
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_err)?;
        // Look before writing anything (even the switch to WAL): a file that is not ours, or
        // is newer than this binary, must be left exactly as it was.
        let found = schema::inspect(&conn, path)?;
        if !create && found == Found::Empty {
            return Err(StoreError::Empty { path: path.into() });
        }
        switch_to_wal(&conn).map_err(open_err)?;
        let mut store = Store {
            conn,
            path: path.into(),
        };
        match (mode, found) {
            (Mode::Current, Found::Version(schema::KNOWN)) => {}
            (Mode::Current, Found::Version(found)) => {
                return Err(StoreError::TooOld {
                    path: path.into(),
                    found,
                    readable: schema::KNOWN,
                });
            }
            _ => schema::migrate(&mut store, found)?,
        }
        Ok(store)
    }
}

/// Switches the connection to WAL and its other settings. Changing the journal mode needs the
/// file to itself, and SQLite answers "database is locked" at once, without waiting out the
/// busy timeout, when another connection is switching it at the same moment (several runs
/// creating one new database together); so a busy answer is retried until [`BUSY_TIMEOUT`].
fn switch_to_wal(conn: &Connection) -> rusqlite::Result<()> {
    let started = std::time::Instant::now();
    loop {
        match conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
        ) {
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
                ) && started.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            done => return done,
        }
    }
}

/// How a read-write open treats the file: create it, upgrade it, or take it as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Create,
    Upgrade,
    Current,
}

/// Reads a database whose folder is read-only. SQLite reads a WAL database through a
/// shared-memory file beside it (`-shm`) and cannot create one there. With no changes in a
/// `-wal` file nobody is writing (a writer would have had to write it in this folder), so the
/// file can be read as immutable. A `-wal` with content holds committed changes that an
/// immutable read would miss, so that case is refused.
fn open_immutable(path: &Path) -> Result<Connection, StoreError> {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    if Path::new(&wal).metadata().is_ok_and(|m| m.len() > 0) {
        return Err(StoreError::UnsavedWal { path: path.into() });
    }
    let read_err = |source| StoreError::Read {
        path: path.into(),
        source,
    };
    let absolute = std::path::absolute(path).map_err(|e| StoreError::Read {
        path: path.into(),
        source: rusqlite::Error::InvalidPath(e.to_string().into()),
    })?;
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(file_uri(&absolute), flags).map_err(read_err)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(read_err)?;
    Ok(conn)
}

/// `file:` URI for an immutable read-only open; bytes other than unreserved ones and `/` are
/// percent-encoded so `?`, `#` or `%` in a folder name keep their meaning as path.
fn file_uri(absolute: &Path) -> String {
    let mut uri = String::from("file:");
    for &b in absolute.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            uri.push(b as char);
        } else {
            uri += &format!("%{b:02X}");
        }
    }
    uri + "?mode=ro&immutable=1"
}

#[cfg(test)]
mod tests {
    #[test]
    fn uri_escapes_what_sqlite_would_read_as_query() {
        assert_eq!(
            super::file_uri(std::path::Path::new("/data/q?4#行.db")),
            "file:/data/q%3F4%23%E8%A1%8C.db?mode=ro&immutable=1"
        );
    }
}
