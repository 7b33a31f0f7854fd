//! `callgrade serve`: the review web app over a database. Listens on 127.0.0.1 unless another
//! address is asked for, and says loudly when it is.

use super::terminal::{out, say};
use crate::store::Store;
use crate::web::{AppState, Settings};
use anyhow::Context;
use clap::Args;
use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The database `run` writes; it holds the accounts too (`callgrade user add`).
    #[arg(long, default_value = "callgrade.db")]
    pub db: PathBuf,
    /// Address to listen on. The default, 127.0.0.1, is reachable only from this machine
    /// (put a TLS reverse proxy in front to reach it from others; see the README). Any other
    /// address (e.g. 0.0.0.0) exposes the login page to the network; a warning is printed.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Port to listen on; 0 picks a free one (the URL printed says which).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Mark the session cookie `Secure` (sent only over HTTPS). Use it behind a TLS reverse
    /// proxy; without one the browser would never send the cookie back.
    #[arg(long)]
    pub secure_cookies: bool,
    /// A reverse proxy on this machine forwards the requests and sets `X-Real-IP` to the
    /// browser's address (nginx: `proxy_set_header X-Real-IP $remote_addr;`). Failed logins
    /// are then counted per browser address instead of all together as the proxy's.
    #[arg(long)]
    pub behind_proxy: bool,
    /// Minutes a session may stay unused before its user must log in again.
    #[arg(long, default_value_t = 30)]
    pub idle_minutes: u64,
    /// Idle limit in seconds, overriding --idle-minutes (for tests).
    #[arg(long, hide = true)]
    pub idle_seconds: Option<u64>,
}

pub fn main(args: ServeArgs) -> anyhow::Result<i32> {
    // Upgrade the schema and check the file once, before listening: every request opens it.
    let store = Store::open_existing(&args.db).map_err(|e| {
        anyhow::anyhow!(
            "{e} To start with accounts only, `callgrade user add NAME --role admin --password-stdin --db {}` creates it.",
            args.db.display()
        )
    })?;
    if store.users()?.is_empty() {
        say(&format!(
            "note: {} has no users yet, so nobody can log in. Add one: callgrade user add NAME --role admin --password-stdin --db {}",
            args.db.display(),
            args.db.display()
        ));
    }
    drop(store);
    let settings = Settings {
        idle: match args.idle_seconds {
            Some(s) => Duration::from_secs(s),
            None => Duration::from_secs(args.idle_minutes.max(1) * 60),
        },
        secure_cookies: args.secure_cookies,
        behind_proxy: args.behind_proxy,
    };
    let state = AppState::new(args.db.clone(), settings, say);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the web server's threads")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind((args.host.as_str(), args.port))
            .await
            .with_context(|| {
                format!(
                    "cannot listen on {}:{}: another program may be using the port (try --port with another number) or the address is not this machine's",
                    args.host, args.port
                )
            })?;
        let addr = listener.local_addr()?;
        if !addr.ip().is_loopback() {
            say(&format!(
                "warning: listening on {} — anyone who can reach this machine can open the login page, and the connection is not encrypted. Prefer the default 127.0.0.1 behind a TLS reverse proxy (README: Review in the browser).",
                addr.ip()
            ));
        }
        let host = match addr.ip() {
            IpAddr::V6(ip) => format!("[{ip}]"),
            IpAddr::V4(ip) => ip.to_string(),
        };
        out(&format!(
            "callgrade is serving {} at http://{host}:{}/ (Ctrl-C stops it)\n",
            args.db.display(),
            addr.port()
        ))?;
        std::io::stdout().flush()?;
        crate::web::serve(listener, state)
            .await
            .context("the web server stopped")?;
        Ok(0)
    })
}
