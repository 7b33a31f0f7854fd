//! The CSRF check of every POST form: the hidden field `csrf` must equal the session's token.
//! A page on another site can make a browser post to us, but cannot read a page of ours to
//! learn the token.

use super::AppState;
use super::auth::CurrentUser;
use super::error::WebError;
use axum::extract::{FromRequest, FromRequestParts, Request};
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

/// The largest form body accepted (reasons and names are short).
const LIMIT: usize = 64 * 1024;

/// A POST form whose `csrf` field matched the logged-in user's session; the other fields
/// parsed as `T` (`csrf` itself is ignored by `T`). Anonymous → 401, wrong or missing → 403,
/// fields that do not parse → 400.
pub struct CsrfForm<T>(pub T);

/// For forms that carry nothing but the token (logout, disable).
#[derive(Debug, serde::Deserialize)]
pub struct NoFields {}

impl<T> FromRequest<AppState> for CsrfForm<T>
where
    T: DeserializeOwned + Send,
{
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, WebError> {
        let (mut parts, body) = req.into_parts();
        let user = CurrentUser::from_request_parts(&mut parts, state).await?;
        let bytes = axum::body::to_bytes(body, LIMIT)
            .await
            .map_err(|e| WebError::BadRequest(format!("the form could not be read: {e}")))?;
        let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| WebError::BadRequest(format!("not a form: {e}")))?;
        let sent = fields
            .iter()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        if !same_token(sent, &user.csrf) {
            return Err(WebError::Csrf);
        }
        serde_urlencoded::from_bytes(&bytes)
            .map(CsrfForm)
            .map_err(|e| WebError::BadRequest(e.to_string()))
    }
}

/// Compares tokens in time that does not depend on where they differ. Empty never matches.
pub fn same_token(sent: &str, expected: &str) -> bool {
    !expected.is_empty() && bool::from(sent.as_bytes().ct_eq(expected.as_bytes()))
}
