//! Admin pages: the users (list, add, disable, new password) and the audit log.

use super::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}
