//! Headers every response carries: what the browser may load and run, and no caching of pages
//! that show people's names and recordings.

use super::AppState;
use super::error::InternalError;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::Response;

/// Scripts and styles only from /assets (no inline script or style), media and images from
/// this site, forms only to this site, never inside a frame.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    media-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Adds the security headers, keeps pages out of caches unless a handler allowed it, and logs
/// internal errors.
pub async fn finish(State(state): State<AppState>, mut response: Response) -> Response {
    if let Some(InternalError(message)) = response.extensions().get::<InternalError>() {
        state.log(&format!("error: {message}"));
    }
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
