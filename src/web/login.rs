//! Logging in and out, and the start page. Failed logins are throttled
//! per name and per address, and every attempt goes to the audit log. The login form has
//! its own CSRF token (there is no session yet): a cookie that the form must repeat.

use super::auth::{CurrentUser, SESSION_COOKIE, cookie, random_token, set_cookie, token_digest};
use super::csrf::{CsrfForm, NoFields, same_token};
use super::error::{WebError, local_path};
use super::{AppState, Lang, layout, password};
use crate::store::RecentFailures;
use axum::Router;
use axum::extract::{ConnectInfo, Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::html;
use serde::Deserialize;
use std::net::SocketAddr;

/// Cookie holding the login form's token.
const LOGIN_COOKIE: &str = "callgrade_login";
/// Failures counted over this many seconds.
const WINDOW: i64 = 15 * 60;
/// Failures of one name within the window before its logins are refused.
const NAME_LIMIT: usize = 5;
/// Failures from one address within the window before its logins are refused (higher: an
/// office shares an address).
const ADDRESS_LIMIT: usize = 20;

struct Labels {
    app: &'static str,
    title: &'static str,
    username: &'static str,
    password: &'static str,
    submit: &'static str,
    failed: &'static str,
    throttled: &'static str,
    minutes: &'static str,
    switch: &'static str,
}

const ZH: Labels = Labels {
    app: "通話禮貌評分（callgrade）",
    title: "登入",
    username: "使用者名稱",
    password: "密碼",
    submit: "登入",
    failed: "使用者名稱或密碼不正確。",
    throttled: "登入失敗次數太多，暫時不能登入。請於以下時間之後再試：",
    minutes: "分鐘後",
    switch: "English",
};

const EN: Labels = Labels {
    app: "Call courtesy grading (callgrade)",
    title: "Log in",
    username: "User name",
    password: "Password",
    submit: "Log in",
    failed: "The user name or password is not correct.",
    throttled: "Too many failed logins: logging in is paused. Try again after ",
    minutes: "minutes from now",
    switch: "中文",
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(start))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
}

async fn start(_user: CurrentUser) -> Redirect {
    Redirect::to("/campaigns")
}

#[derive(Debug, Default, Deserialize)]
struct LoginQuery {
    #[serde(default)]
    next: String,
    #[serde(default)]
    lang: String,
}

async fn login_form(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    Query(q): Query<LoginQuery>,
) -> Response {
    if user.is_some() {
        return Redirect::to(&after_login(&q.next)).into_response();
    }
    form_page(&state, Lang::from_code(&q.lang), &q.next, Notice::None)
}

enum Notice {
    None,
    Failed,
    /// Refused until this many seconds from now.
    Throttled(i64),
}

/// The login form with a fresh token, and the cookie that must match it.
fn form_page(state: &AppState, lang: Lang, next: &str, notice: Notice) -> Response {
    let l = lang.pick(&ZH, &EN);
    let token = random_token();
    let other = if lang == Lang::En {
        Lang::ZhTw
    } else {
        Lang::En
    };
    let body = html! {
        p.muted { (l.app) }
        @match notice {
            Notice::None => {},
            Notice::Failed => p.message.error role="alert" { (l.failed) },
            Notice::Throttled(secs) => p.message.error role="alert" {
                (l.throttled) ((secs.max(0) as u64).div_ceil(60)) " " (l.minutes)
            },
        }
        form method="post" action="/login" {
            input type="hidden" name="csrf" value=(token);
            input type="hidden" name="next" value=(next);
            input type="hidden" name="lang" value=(lang.code());
            label for="username" { (l.username) }
            input #username type="text" name="username" autocomplete="username" required autofocus;
            label for="password" { (l.password) }
            input #password type="password" name="password" autocomplete="current-password" required;
            p { button type="submit" { (l.submit) } }
        }
        p { a href=(format!("/login?lang={}&next={}", other.code(), super::error::query_escape(next))) { (l.switch) } }
    };
    let status = match notice {
        Notice::None => StatusCode::OK,
        Notice::Failed => StatusCode::UNAUTHORIZED,
        Notice::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
    };
    let mut response = (
        status,
        [(
            header::SET_COOKIE,
            set_cookie(
                LOGIN_COOKIE,
                &token,
                "/login",
                state.settings().secure_cookies,
            ),
        )],
        layout::bare(lang, l.title, body),
    )
        .into_response();
    if let Notice::Throttled(secs) = notice {
        response.headers_mut().insert(
            header::RETRY_AFTER,
            secs.max(1).to_string().parse().unwrap(),
        );
    }
    response
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LoginFields {
    username: String,
    password: String,
    csrf: String,
    next: String,
    lang: String,
}

enum Outcome {
    LoggedIn { token: String },
    Failed,
    Throttled(i64),
}

async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<LoginFields>,
) -> Result<Response, WebError> {
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if !same_token(&f.csrf, &expected) {
        return Err(WebError::Csrf);
    }
    let lang = Lang::from_code(&f.lang);
    // What was typed is kept for throttling and the audit log; a very long one is cut.
    let name: String = f.username.trim().chars().take(64).collect();
    let address = client_address(&state, peer, &headers);
    let idle_ms = state.settings().idle.as_millis() as i64;
    let password = f.password;
    let outcome = state
        .store(move |s| {
            let recent =
                s.recent_login_failures(&name, &address, WINDOW, NAME_LIMIT.max(ADDRESS_LIMIT))?;
            if let Some(at) = retry_at(&recent) {
                s.audit(&name, "login-throttled", &format!("from {address}"))?;
                return Ok(Outcome::Throttled(at - unix_now()));
            }
            let found = s.user_with_password(&name)?;
            let (ok, why) = match &found {
                Some((a, phc)) if a.disabled_at.is_none() => {
                    (password::verify(&password, Some(phc)), "wrong password")
                }
                Some((_, phc)) => {
                    password::verify(&password, Some(phc));
                    (false, "account disabled")
                }
                None => (password::verify(&password, None), "unknown user"),
            };
            let account = match found {
                Some((account, _)) if ok => account,
                _ => {
                    s.record_login_failure(&name, &address)?;
                    s.audit(&name, "login-failed", &format!("{why}, from {address}"))?;
                    return Ok(Outcome::Failed);
                }
            };
            s.clear_login_failures(&name)?;
            let token = random_token();
            s.create_session(account.id, &token_digest(&token), &random_token(), idle_ms)?;
            s.audit(&account.name, "login", &format!("from {address}"))?;
            Ok(Outcome::LoggedIn { token })
        })
        .await?;
    Ok(match outcome {
        Outcome::Failed => form_page(&state, lang, &f.next, Notice::Failed),
        Outcome::Throttled(secs) => form_page(&state, lang, &f.next, Notice::Throttled(secs)),
        Outcome::LoggedIn { token } => {
            let secure = state.settings().secure_cookies;
            let mut response = Redirect::to(&after_login(&f.next)).into_response();
            let h = response.headers_mut();
            h.append(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, &token, "/", secure)
                    .parse()
                    .unwrap(),
            );
            h.append(
                header::SET_COOKIE,
                set_cookie(LOGIN_COOKIE, "", "/login", secure)
                    .parse()
                    .unwrap(),
            );
            response
        }
    })
}

/// Who is logging in, as an address for throttling and the audit log: the connection's,
/// or behind a reverse proxy on this machine (`--behind-proxy`) the `X-Real-IP` the proxy
/// sets. The header is believed only from a loopback connection: anyone else could write it.
fn client_address(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> String {
    let forwarded = headers
        .get("x-real-ip")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<std::net::IpAddr>().ok());
    match forwarded {
        Some(ip) if state.settings().behind_proxy && peer.ip().is_loopback() => ip.to_string(),
        _ => peer.ip().to_string(),
    }
}

/// When logins may be tried again, if the name or the address has used up its failures: the
/// moment the oldest failure that counts leaves the window.
fn retry_at(recent: &RecentFailures) -> Option<i64> {
    let until = |times: &[i64], limit: usize| times.get(limit - 1).map(|t| t + WINDOW);
    until(&recent.by_name, NAME_LIMIT).max(until(&recent.by_address, ADDRESS_LIMIT))
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Where to go after logging in: `next` when it is a page of this site, else the campaigns.
fn after_login(next: &str) -> String {
    match local_path(next).as_str() {
        "/" => "/campaigns".into(),
        path => path.into(),
    }
}

async fn logout(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    CsrfForm(NoFields {}): CsrfForm<NoFields>,
) -> Result<Response, WebError> {
    let digest = token_digest(&cookie(&headers, SESSION_COOKIE).unwrap_or_default());
    state
        .store(move |s| {
            s.end_session(&digest)?;
            Ok(s.audit(&user.name, "logout", "")?)
        })
        .await?;
    let cleared = set_cookie(SESSION_COOKIE, "", "/", state.settings().secure_cookies);
    Ok(([(header::SET_COOKIE, cleared)], Redirect::to("/login")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttling_lifts_when_the_oldest_counted_failure_leaves_the_window() {
        let name = |times: Vec<i64>| RecentFailures {
            by_name: times,
            by_address: vec![],
        };
        assert_eq!(retry_at(&name(vec![50, 40, 30, 20])), None);
        assert_eq!(retry_at(&name(vec![50, 40, 30, 20, 10])), Some(10 + WINDOW));
        let address = RecentFailures {
            by_name: vec![],
            by_address: (0..20).rev().collect(),
        };
        assert_eq!(retry_at(&address), Some(WINDOW));
    }
}
