//! The review web app (`callgrade serve`): server-rendered pages over the same SQLite file that
//! `run` writes. Every request opens the store on a blocking thread, so the async runtime only
//! moves bytes. Access control is here and in [`auth`]/[`csrf`]; pages live in [`pages`]
//! (campaigns, calls) and [`calibration`].

pub mod assets;
mod audit_log;
pub mod auth;
pub mod calibration;
pub mod csrf;
pub mod error;
mod headers;
pub mod i18n;
pub mod layout;
mod login;
pub mod pages;
pub mod password;
mod settings;
mod users;

pub use auth::{CurrentUser, Role};
pub use csrf::{CsrfForm, NoFields};
pub use error::WebError;
pub use i18n::Lang;

use crate::store::Store;
use axum::Router;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How the server treats sessions.
#[derive(Debug, Clone)]
pub struct Settings {
    /// A session not used for this long is over.
    pub idle: Duration,
    /// Mark cookies `Secure` (only sent over HTTPS): for a TLS reverse proxy in front.
    pub secure_cookies: bool,
    /// Requests come through a reverse proxy on this machine that sets `X-Real-IP`: login
    /// throttling counts that address instead of the proxy's.
    pub behind_proxy: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            idle: Duration::from_secs(30 * 60),
            secure_cookies: false,
            behind_proxy: false,
        }
    }
}

/// What every handler gets: where the database is and the server's settings. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    db: PathBuf,
    settings: Settings,
    /// Where internal errors are reported (the CLI's standard error): the browser only gets
    /// a generic page.
    log: Box<dyn Fn(&str) + Send + Sync>,
    /// Connections no request is using, kept open so a request (its session lookup and its
    /// page) does not open the file and check its schema again.
    idle: Mutex<Vec<Store>>,
}

/// At most this many idle connections are kept (one per blocking request at a time is all
/// a small team's server needs; more are opened when busy and closed after).
const IDLE_STORES: usize = 8;

impl AppState {
    pub fn new(
        db: PathBuf,
        settings: Settings,
        log: impl Fn(&str) + Send + Sync + 'static,
    ) -> Self {
        AppState {
            inner: Arc::new(Inner {
                db,
                settings,
                log: Box::new(log),
                idle: Mutex::new(Vec::new()),
            }),
        }
    }

    pub fn db(&self) -> &Path {
        &self.inner.db
    }

    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// Runs `f` on an open store on a blocking thread (SQLite and argon2 would stall the
    /// runtime otherwise). The store is an idle connection when there is one, else the file
    /// is opened as `serve` left it (its schema was brought up to date once, at the start).
    pub async fn store<T, F>(&self, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, WebError> + Send + 'static,
    {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let idle = inner.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
            let mut store = match idle {
                Some(store) => store,
                None => Store::open_current(&inner.db)?,
            };
            let out = f(&mut store);
            let mut idle = inner.idle.lock().unwrap_or_else(|e| e.into_inner());
            if idle.len() < IDLE_STORES {
                idle.push(store);
            }
            out
        })
        .await
        .map_err(|e| WebError::Internal(format!("a request's worker stopped: {e}")))?
    }

    fn log(&self, message: &str) {
        (self.inner.log)(message)
    }
}

/// Every route of the app, with the security headers on every response.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(login::routes())
        .merge(settings::routes())
        .merge(users::routes())
        .merge(audit_log::routes())
        .merge(assets::routes())
        .merge(pages::routes())
        .merge(calibration::routes())
        .fallback(|| async { WebError::NotFound })
        .layer(axum::middleware::map_response_with_state(
            state.clone(),
            headers::finish,
        ))
        .with_state(state)
}

/// Serves the app on `listener` until Ctrl-C.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    // Make the stand-in hash for unknown names now, so the first such login is not slower
    // than a wrong password (which would tell that the name does not exist).
    let _ = tokio::task::spawn_blocking(|| password::verify("", None)).await;
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}
