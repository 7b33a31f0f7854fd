//! Files the pages load, embedded in the binary and served from a fixed list by name: no
//! request ever reaches the disk. Each helper's folder keeps its own files.

use super::AppState;
use super::error::WebError;
use axum::Router;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// Stylesheets every page links, in order.
pub const STYLESHEETS: [&str; 3] = ["app.css", "pages.css", "calibration.css"];

const FILES: &[(&str, &str, &str)] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        include_str!("assets/app.css"),
    ),
    (
        "pages.css",
        "text/css; charset=utf-8",
        include_str!("pages/assets/pages.css"),
    ),
    (
        "calibration.css",
        "text/css; charset=utf-8",
        include_str!("calibration/assets/calibration.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_str!("pages/assets/app.js"),
    ),
];

pub fn routes() -> Router<AppState> {
    Router::new().route("/assets/{file}", get(asset))
}

async fn asset(Path(file): Path<String>) -> Result<Response, WebError> {
    let (_, mime, body) = FILES
        .iter()
        .find(|(name, _, _)| *name == file)
        .ok_or(WebError::NotFound)?;
    // Assets change only with the binary; a short cache keeps pages quick without serving an
    // old script for long after an upgrade.
    Ok((
        [
            (header::CONTENT_TYPE, *mime),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        *body,
    )
        .into_response())
}
