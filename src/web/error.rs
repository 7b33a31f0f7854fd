//! What a request can end in besides its page: each variant is one status code with a short
//! page in both languages (the error may come before we know who is asking).

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;

/// A request that did not get its page.
#[derive(Debug)]
pub enum WebError {
    /// No live session. Pages answer with a redirect to the login form, which comes back to
    /// `next`; other requests (POST, audio, scripts) get 401.
    LoginNeeded {
        redirect: bool,
        next: String,
    },
    /// Logged in, but the role may not do this.
    Forbidden,
    /// The form's `csrf` field is missing or is not this session's.
    Csrf,
    NotFound,
    /// The request makes no sense (a form without its fields); the text says which.
    BadRequest(String),
    /// Something failed on our side; the text goes to the server's log, not to the browser.
    Internal(String),
}

/// Put in a response's extensions by [`WebError::Internal`] so the server can log it.
#[derive(Debug, Clone)]
pub struct InternalError(pub String);

impl From<crate::store::StoreError> for WebError {
    fn from(e: crate::store::StoreError) -> Self {
        WebError::Internal(e.to_string())
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, zh, en) = match &self {
            WebError::LoginNeeded {
                redirect: true,
                next,
            } => {
                return Redirect::to(&format!("/login?next={}", query_escape(next)))
                    .into_response();
            }
            WebError::LoginNeeded { .. } => (
                StatusCode::UNAUTHORIZED,
                "請先登入（或登入已逾時）。",
                "Please log in (or your session has expired).",
            ),
            WebError::Forbidden => (
                StatusCode::FORBIDDEN,
                "您的帳號沒有這項權限。需要時請洽系統管理員。",
                "Your account may not do this. Ask an administrator if you need it.",
            ),
            WebError::Csrf => (
                StatusCode::FORBIDDEN,
                "表單已過期或不完整。請回上一頁重新整理後再送出。",
                "The form has expired or is incomplete. Go back, reload the page and send it again.",
            ),
            WebError::NotFound => (
                StatusCode::NOT_FOUND,
                "找不到這個頁面。",
                "There is no such page.",
            ),
            WebError::BadRequest(_) => (
                StatusCode::BAD_REQUEST,
                "送出的資料不完整或有誤。",
                "What was sent is incomplete or wrong.",
            ),
            WebError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "伺服器發生錯誤，請稍後再試；若一再發生，請將時間告知系統管理員。",
                "Something went wrong on the server. Try again later; if it keeps happening, tell an administrator the time.",
            ),
        };
        let detail = match &self {
            WebError::BadRequest(d) => Some(d.as_str()),
            _ => None,
        };
        let body = super::layout::bare(
            super::i18n::Lang::ZhTw,
            status.canonical_reason().unwrap_or("error"),
            html! {
                p { (zh) }
                p lang="en" { (en) }
                @if let Some(d) = detail { p lang="en" { code { (d) } } }
                p { a href="/" { "首頁 Home" } " · " a href="/login" { "登入 Log in" } }
            },
        );
        let mut response = (status, body).into_response();
        if matches!(self, WebError::LoginNeeded { .. }) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, "Cookie".parse().unwrap());
        }
        if let WebError::Internal(message) = self {
            response.extensions_mut().insert(InternalError(message));
        }
        response
    }
}

/// Percent-encodes a path for a query value (`next=`): everything but unreserved bytes and `/`.
pub fn query_escape(text: &str) -> String {
    let mut out = String::new();
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out += &format!("%{b:02X}");
        }
    }
    out
}

/// `path` when it is a path on this site (so a link cannot send the user elsewhere after
/// logging in), else `/`; bytes a `Location` header cannot carry (a decoded 行政課 in a
/// query) are percent-encoded.
pub fn local_path(path: &str) -> String {
    let ok = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control);
    if !ok {
        return "/".into();
    }
    let mut out = String::new();
    for &b in path.as_bytes() {
        if b.is_ascii_graphic() {
            out.push(b as char);
        } else {
            out += &format!("%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_site_are_followed() {
        assert_eq!(local_path("/calls/3?x=1"), "/calls/3?x=1");
        for bad in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil",
            "calls",
            "",
        ] {
            assert_eq!(local_path(bad), "/", "{bad}");
        }
        assert_eq!(query_escape("/calls/3?a=b&c"), "/calls/3%3Fa%3Db%26c");
        assert_eq!(local_path("/calls?unit=行 x"), "/calls?unit=%E8%A1%8C%20x");
    }
}
