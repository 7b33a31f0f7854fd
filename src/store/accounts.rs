//! Accounts of the review web app: who may log in, with which role and interface language.
//! Passwords arrive here already hashed (argon2id PHC strings); this file never sees one in
//! clear.

use super::{Store, StoreError, now, utc};
use rusqlite::{OptionalExtension, params};

/// What a user may do. Ordered: each role may do everything the ones before it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Reads and exports.
    Trainer,
    /// Also overrides verdicts and marks calls reviewed.
    Supervisor,
    /// Also manages users and reads the audit log.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Supervisor, Role::Trainer];

    /// The word stored and typed on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Trainer => "trainer",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(word: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == word)
    }
}

/// One account as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub id: i64,
    pub name: String,
    pub role: Role,
    /// Interface language code: `zh-TW` or `en`.
    pub lang: String,
    /// When it was created, UTC.
    pub created_at: String,
    /// When it was disabled, UTC; `None` while it may log in.
    pub disabled_at: Option<String>,
}

/// Why an account could not be changed; each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "{db}: there is no user `{name}`. `callgrade user list --db {db}` shows the users (names are not case-sensitive)."
    )]
    Unknown { db: String, name: String },
    #[error(
        "{db}: a user `{name}` already exists. Pick another name, or set a new password with `callgrade user passwd {name} --password-stdin --db {db}`."
    )]
    Exists { db: String, name: String },
    #[error(
        "`{0}` cannot be a user name: use 1 to 64 characters, no `/`, no control characters and no spaces at either end."
    )]
    BadName(String),
}

/// Whether `name` may be a user name. It appears in URLs (`/users/NAME/disable`), hence no `/`.
pub fn valid_name(name: &str) -> bool {
    let chars = name.chars().count();
    (1..=64).contains(&chars)
        && name.trim() == name
        && !name.chars().any(|c| c.is_control() || c == '/')
}

impl Store {
    /// Creates an account; `password` is an argon2id PHC string.
    pub fn add_user(
        &mut self,
        name: &str,
        role: Role,
        password: &str,
    ) -> Result<Account, AccountError> {
        if !valid_name(name) {
            return Err(AccountError::BadName(name.to_string()));
        }
        if self.user(name)?.is_some() {
            return Err(AccountError::Exists {
                db: self.path.display().to_string(),
                name: name.to_string(),
            });
        }
        self.conn
            .execute(
                "INSERT INTO users (name, role, password, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![name, role.as_str(), password, now()],
            )
            .map_err(|e| self.sql_err(e))?;
        self.existing_user(name)
    }

    /// Every account, enabled ones first, then by name. A database from before accounts
    /// existed (read without upgrading) has none.
    pub fn users(&self) -> Result<Vec<Account>, StoreError> {
        let has_table: bool = self
            .conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'users')",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.sql_err(e))?;
        if !has_table {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare(&format!(
                "{SELECT_ACCOUNT} ORDER BY disabled_at IS NOT NULL, name"
            ))
            .map_err(|e| self.sql_err(e))?;
        let rows = stmt
            .query_map([], account_row)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.sql_err(e))?;
        rows.into_iter().map(|r| self.account(r)).collect()
    }

    /// The account called `name` (not case-sensitive), if any.
    pub fn user(&self, name: &str) -> Result<Option<Account>, StoreError> {
        Ok(self.user_with_password(name)?.map(|(a, _)| a))
    }

    /// The account and its password hash, for checking a login.
    pub fn user_with_password(&self, name: &str) -> Result<Option<(Account, String)>, StoreError> {
        let row = self
            .conn
            .query_row(&format!("{SELECT_ACCOUNT} WHERE name = ?1"), [name], |r| {
                Ok((account_row(r)?, r.get::<_, String>(6)?))
            })
            .optional()
            .map_err(|e| self.sql_err(e))?;
        row.map(|(a, hash)| Ok((self.account(a)?, hash)))
            .transpose()
    }

    /// Disables an account and ends its sessions at once. Its rows stay for the audit log.
    pub fn disable_user(&mut self, name: &str) -> Result<Account, AccountError> {
        let account = self.existing_user(name)?;
        self.conn
            .execute(
                "UPDATE users SET disabled_at = coalesce(disabled_at, ?2) WHERE id = ?1",
                params![account.id, now()],
            )
            .map_err(|e| self.sql_err(e))?;
        self.end_sessions_of(account.id)?;
        self.existing_user(name)
    }

    /// Sets a new password (a PHC string) and ends the account's sessions, so whoever knew the
    /// old one is logged out.
    pub fn set_password(&mut self, name: &str, password: &str) -> Result<Account, AccountError> {
        let account = self.existing_user(name)?;
        self.conn
            .execute(
                "UPDATE users SET password = ?2 WHERE id = ?1",
                params![account.id, password],
            )
            .map_err(|e| self.sql_err(e))?;
        self.end_sessions_of(account.id)?;
        Ok(account)
    }

    /// Sets the interface language (`zh-TW` or `en`) of an account.
    pub fn set_language(&mut self, user_id: i64, lang: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE users SET lang = ?2 WHERE id = ?1",
                params![user_id, lang],
            )
            .map(|_| ())
            .map_err(|e| self.sql_err(e))
    }

    fn existing_user(&self, name: &str) -> Result<Account, AccountError> {
        self.user(name)?.ok_or_else(|| AccountError::Unknown {
            db: self.path.display().to_string(),
            name: name.to_string(),
        })
    }

    /// A row's role word checked against the roles this binary knows.
    fn account(&self, row: AccountRow) -> Result<Account, StoreError> {
        let role = Role::parse(&row.role).ok_or_else(|| StoreError::Corrupt {
            path: self.path.clone(),
            what: format!("user {} has unknown role {}", row.name, row.role),
        })?;
        Ok(Account {
            id: row.id,
            name: row.name,
            role,
            lang: row.lang,
            created_at: utc(row.created_at),
            disabled_at: row.disabled_at.map(utc),
        })
    }
}

const SELECT_ACCOUNT: &str =
    "SELECT id, name, role, lang, created_at, disabled_at, password FROM users";

struct AccountRow {
    id: i64,
    name: String,
    role: String,
    lang: String,
    created_at: i64,
    disabled_at: Option<i64>,
}

fn account_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AccountRow> {
    Ok(AccountRow {
        id: r.get(0)?,
        name: r.get(1)?,
        role: r.get(2)?,
        lang: r.get(3)?,
        created_at: r.get(4)?,
        disabled_at: r.get(5)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_by_what_they_may_do() {
        assert!(Role::Trainer < Role::Supervisor && Role::Supervisor < Role::Admin);
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
    }

    #[test]
    fn names_that_would_break_urls_or_terminals_are_refused() {
        assert!(valid_name("林小姐"));
        assert!(valid_name("<b>x"));
        for bad in ["", " amy", "a/b", "a\x1bb", &"x".repeat(65)] {
            assert!(!valid_name(bad), "{bad:?}");
        }
    }
}
