//! The audit log: who did what and when in the web app (logins, overrides, account changes).
//! Rows are only ever added.

use super::{Store, StoreError, now, utc};
use rusqlite::params;

/// One audit row.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub id: i64,
    /// When, UTC.
    pub at: String,
    /// Who: a user name, or the name typed at a failed login.
    pub actor: String,
    /// A short fixed word such as `login`, `login-failed`, `override`.
    pub action: String,
    /// Free text for people: what, from where.
    pub detail: String,
}

impl Store {
    /// Adds a row to the audit log.
    pub fn audit(&self, actor: &str, action: &str, detail: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO audit (at, actor, action, detail) VALUES (?1, ?2, ?3, ?4)",
                params![now(), actor, action, detail],
            )
            .map(|_| ())
            .map_err(|e| self.sql_err(e))
    }

    /// A page of the audit log, newest first.
    pub fn audit_entries(
        &self,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, at, actor, action, detail FROM audit
                 ORDER BY id DESC LIMIT ?1 OFFSET ?2",
            )
            .map_err(|e| self.sql_err(e))?;
        stmt.query_map(params![limit as i64, offset as i64], |r| {
            Ok(AuditEntry {
                id: r.get(0)?,
                at: utc(r.get(1)?),
                actor: r.get(2)?,
                action: r.get(3)?,
                detail: r.get(4)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(|e| self.sql_err(e))
    }

    /// How many rows the audit log holds.
    pub fn audit_len(&self) -> Result<usize, StoreError> {
        self.conn
            .query_row("SELECT count(*) FROM audit", [], |r| r.get::<_, i64>(0))
            .map(|n| n as usize)
            .map_err(|e| self.sql_err(e))
    }
}
