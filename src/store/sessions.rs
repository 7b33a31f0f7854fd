//! Login sessions and the failed logins that throttling counts. A session is found by the
//! SHA-256 of its cookie token (the token itself is never stored) and lives while it is used:
//! each request moves its idle deadline.

use super::accounts::Role;
use super::{Store, StoreError, now};
use rusqlite::{OptionalExtension, params};

/// The user behind a live session.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionUser {
    pub user_id: i64,
    pub name: String,
    pub role: Role,
    /// `zh-TW` or `en`.
    pub lang: String,
    /// The session's CSRF token, carried by every form.
    pub csrf: String,
}

/// Failed logins inside the throttling window, newest first (seconds since the epoch).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecentFailures {
    pub by_name: Vec<i64>,
    pub by_address: Vec<i64>,
}

impl Store {
    /// Stores a new session for `user_id`, and drops sessions idle longer than `idle_ms`.
    pub fn create_session(
        &mut self,
        user_id: i64,
        token_sha256: &str,
        csrf: &str,
        idle_ms: i64,
    ) -> Result<(), StoreError> {
        let now_ms = now_ms();
        self.conn
            .execute(
                "DELETE FROM sessions WHERE last_seen_ms < ?1",
                [now_ms - idle_ms],
            )
            .and_then(|_| {
                self.conn.execute(
                    "INSERT INTO sessions (token_sha256, user_id, csrf, created_at, last_seen_ms)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![token_sha256, user_id, csrf, now(), now_ms],
                )
            })
            .map(|_| ())
            .map_err(|e| self.sql_err(e))
    }

    /// The user of a session used within the last `idle_ms`, whose account is still enabled;
    /// the session's idle deadline moves. An expired session is deleted.
    pub fn touch_session(
        &mut self,
        token_sha256: &str,
        idle_ms: i64,
    ) -> Result<Option<SessionUser>, StoreError> {
        let now_ms = now_ms();
        let found = self
            .conn
            .query_row(
                "SELECT u.id, u.name, u.role, u.lang, s.csrf, s.last_seen_ms
                 FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.token_sha256 = ?1 AND u.disabled_at IS NULL",
                [token_sha256],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, i64>(5)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| self.sql_err(e))?;
        let Some((user_id, name, role, lang, csrf, last_seen)) = found else {
            return Ok(None);
        };
        if now_ms - last_seen > idle_ms {
            self.end_session(token_sha256)?;
            return Ok(None);
        }
        // Writing on every request would make each audio range request wait for the write
        // lock while a run stores calls; a deadline a hundredth of the limit late is as good.
        if now_ms - last_seen > idle_ms / 100 {
            self.conn
                .execute(
                    "UPDATE sessions SET last_seen_ms = ?2 WHERE token_sha256 = ?1",
                    params![token_sha256, now_ms],
                )
                .map_err(|e| self.sql_err(e))?;
        }
        let role = Role::parse(&role).ok_or_else(|| StoreError::Corrupt {
            path: self.path.clone(),
            what: format!("user {name} has unknown role {role}"),
        })?;
        Ok(Some(SessionUser {
            user_id,
            name,
            role,
            lang,
            csrf,
        }))
    }

    /// Ends one session (logout).
    pub fn end_session(&mut self, token_sha256: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "DELETE FROM sessions WHERE token_sha256 = ?1",
                [token_sha256],
            )
            .map(|_| ())
            .map_err(|e| self.sql_err(e))
    }

    /// Ends every session of a user (disabled, or given a new password).
    pub(super) fn end_sessions_of(&mut self, user_id: i64) -> Result<(), StoreError> {
        self.conn
            .execute("DELETE FROM sessions WHERE user_id = ?1", [user_id])
            .map(|_| ())
            .map_err(|e| self.sql_err(e))
    }

    /// Records a failed login for the name typed (known or not) from `address`, and forgets
    /// failures older than a day: nothing throttles on them any more.
    pub fn record_login_failure(&mut self, name: &str, address: &str) -> Result<(), StoreError> {
        let at = now();
        self.conn
            .execute("DELETE FROM login_failures WHERE at < ?1", [at - 86_400])
            .and_then(|_| {
                self.conn.execute(
                    "INSERT INTO login_failures (name, address, at) VALUES (?1, ?2, ?3)",
                    params![name, address, at],
                )
            })
            .map(|_| ())
            .map_err(|e| self.sql_err(e))
    }

    /// Forgets the failed logins of a name after it logged in successfully.
    pub fn clear_login_failures(&mut self, name: &str) -> Result<(), StoreError> {
        self.conn
            .execute("DELETE FROM login_failures WHERE name = ?1", [name])
            .map(|_| ())
            .map_err(|e| self.sql_err(e))
    }

    /// The newest `limit` failures of the last `window` seconds for the name and for the
    /// address.
    pub fn recent_login_failures(
        &self,
        name: &str,
        address: &str,
        window: i64,
        limit: usize,
    ) -> Result<RecentFailures, StoreError> {
        let since = now() - window;
        let times = |column: &str, key: &str| -> Result<Vec<i64>, StoreError> {
            let mut stmt = self
                .conn
                .prepare_cached(&format!(
                    "SELECT at FROM login_failures WHERE {column} = ?1 AND at >= ?2
                     ORDER BY at DESC LIMIT ?3"
                ))
                .map_err(|e| self.sql_err(e))?;
            stmt.query_map(params![key, since, limit as i64], |r| r.get(0))
                .and_then(|rows| rows.collect())
                .map_err(|e| self.sql_err(e))
        };
        Ok(RecentFailures {
            by_name: times("name", name)?,
            by_address: times("address", address)?,
        })
    }
}

/// Milliseconds since the Unix epoch: idle limits as short as a second must be measurable.
fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
