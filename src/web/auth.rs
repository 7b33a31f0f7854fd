//! Who is asking: the session cookie, looked up in the store on every request, becomes a
//! [`CurrentUser`]; a handler that takes one is closed to anonymous requests, and
//! [`CurrentUser::require`] closes it to lower roles.

use super::error::WebError;
use super::{AppState, Lang};
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::{HeaderMap, Method, header, request::Parts};
use sha2::{Digest, Sha256};

pub use crate::store::Role;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "callgrade_session";

/// The logged-in user of this request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub lang: Lang,
    /// The session's CSRF token: every POST form carries it (see [`super::layout::csrf_field`]).
    pub csrf: String,
    /// The path (and query) of this request, so the language switch can come back to it.
    pub path: String,
}

impl CurrentUser {
    /// `Ok` when the user's role is `role` or above, else 403.
    pub fn require(&self, role: Role) -> Result<(), WebError> {
        if self.role >= role {
            Ok(())
        } else {
            Err(WebError::Forbidden)
        }
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        match <CurrentUser as OptionalFromRequestParts<AppState>>::from_request_parts(parts, state)
            .await?
        {
            Some(user) => Ok(user),
            None => Err(WebError::LoginNeeded {
                redirect: wants_page(parts),
                next: path_and_query(parts),
            }),
        }
    }
}

impl OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, WebError> {
        // One lookup per request, however many extractors ask.
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(Some(user.clone()));
        }
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Ok(None);
        };
        let digest = token_digest(&token);
        let idle_ms = state.settings().idle.as_millis() as i64;
        let Some(found) = state
            .store(move |s| Ok(s.touch_session(&digest, idle_ms)?))
            .await?
        else {
            return Ok(None);
        };
        let user = CurrentUser {
            id: found.user_id,
            name: found.name,
            role: found.role,
            lang: Lang::from_code(&found.lang),
            csrf: found.csrf,
            path: path_and_query(parts),
        };
        parts.extensions.insert(user.clone());
        Ok(Some(user))
    }
}

/// Whether an anonymous request should be sent to the login form (a page a person opened)
/// rather than get 401 (a form post, the audio, a script or a download by a program).
fn wants_page(parts: &Parts) -> bool {
    let path = parts.uri.path();
    let accept = parts
        .headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("*/*");
    matches!(parts.method, Method::GET | Method::HEAD)
        && !path.starts_with("/assets/")
        && !path.ends_with("/audio")
        && (accept.contains("text/html") || accept.contains("*/*"))
}

fn path_and_query(parts: &Parts) -> String {
    parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into())
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A new random 256-bit token, hex-encoded (sessions, CSRF, the login form).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random number generator failed");
    hex::encode(bytes)
}

/// What the store keeps of a session token: its SHA-256, so a copy of the database does not
/// log anyone in.
pub fn token_digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The `Set-Cookie` value for `name`; an empty `value` with `Max-Age=0` deletes the cookie.
pub fn set_cookie(name: &str, value: &str, path: &str, secure: bool) -> String {
    let mut c = format!("{name}={value}; HttpOnly; SameSite=Strict; Path={path}");
    if value.is_empty() {
        c += "; Max-Age=0";
    }
    if secure {
        c += "; Secure";
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_among_others() {
        let mut h = HeaderMap::new();
        h.append(
            header::COOKIE,
            "a=1; callgrade_session=abc".parse().unwrap(),
        );
        h.append(header::COOKIE, "b=2".parse().unwrap());
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "b").as_deref(), Some("2"));
        assert_eq!(cookie(&h, "c"), None);
    }

    #[test]
    fn tokens_are_256_bits_and_differ() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_ne!(token_digest(&a), a);
    }
}
