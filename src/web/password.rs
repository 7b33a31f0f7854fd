//! Passwords: argon2id with a random salt, stored as a PHC string (`$argon2id$v=19$…`) that
//! carries its own parameters, so stronger settings later still verify old hashes.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use std::sync::OnceLock;

/// Shortest password accepted.
pub const MIN_CHARS: usize = 8;

/// Why a password is not accepted; the message says what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PasswordError {
    #[error("the password is empty: type one (at least {MIN_CHARS} characters).")]
    Empty,
    #[error("the password is too short: use at least {MIN_CHARS} characters.")]
    TooShort,
    #[error("could not hash the password: {0}")]
    Hash(String),
}

/// The argon2id PHC string of `password`, after checking it is long enough.
pub fn hash(password: &str) -> Result<String, PasswordError> {
    if password.is_empty() {
        return Err(PasswordError::Empty);
    }
    if password.chars().count() < MIN_CHARS {
        return Err(PasswordError::TooShort);
    }
    hash_unchecked(password)
}

fn hash_unchecked(password: &str) -> Result<String, PasswordError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

/// Whether `password` matches the stored PHC string `phc`. With `None` (no such user) a hash
/// made at start-up is checked instead, so an unknown name takes as long as a wrong password
/// and the timing does not tell which names exist.
pub fn verify(password: &str, phc: Option<&str>) -> bool {
    static DECOY: OnceLock<String> = OnceLock::new();
    let decoy =
        DECOY.get_or_init(|| hash_unchecked(&super::auth::random_token()).unwrap_or_default());
    let (phc, real) = match phc {
        Some(p) => (p, true),
        None => (decoy.as_str(), false),
    };
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
        && real
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify("correct horse", Some(&h)));
        assert!(!verify("wrong horse!", Some(&h)));
        assert!(!verify("correct horse", None));
        assert_eq!(hash(""), Err(PasswordError::Empty));
        assert_eq!(hash("short"), Err(PasswordError::TooShort));
    }
}
