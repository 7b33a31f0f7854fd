//! Admin page: the audit log, newest first, a page at a time.

use super::AppState;
use super::auth::{CurrentUser, Role};
use super::error::WebError;
use super::layout::{page, utc_time};
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use maud::{Markup, html};
use serde::Deserialize;

/// Rows per page.
const PAGE: usize = 50;

struct Labels {
    title: &'static str,
    at: &'static str,
    who: &'static str,
    action: &'static str,
    detail: &'static str,
    newer: &'static str,
    older: &'static str,
    empty: &'static str,
    page: &'static str,
    utc: &'static str,
    /// Action words as stored (by every module that audits) and as people read them;
    /// words not listed are shown as stored.
    actions: &'static [(&'static str, &'static str)],
}

const ZH: Labels = Labels {
    title: "稽核紀錄",
    at: "時間（UTC）",
    who: "使用者",
    action: "動作",
    detail: "說明",
    newer: "← 較新",
    older: "較舊 →",
    empty: "尚無紀錄。",
    page: "頁",
    utc: "時間為世界標準時間（UTC）；登入失敗時，「使用者」是輸入的名稱。",
    actions: &[
        ("login", "登入"),
        ("login-failed", "登入失敗"),
        ("login-throttled", "登入遭暫停（失敗過多）"),
        ("logout", "登出"),
        ("user-add", "新增使用者"),
        ("user-disable", "停用使用者"),
        ("user-password", "設定新密碼"),
        ("override", "更改判定"),
        ("override-withdrawn", "撤回更改"),
        ("reviewed", "標記已複核"),
        ("blind review", "盲評"),
    ],
};

const EN: Labels = Labels {
    title: "Audit log",
    at: "Time (UTC)",
    who: "User",
    action: "Action",
    detail: "Detail",
    newer: "← Newer",
    older: "Older →",
    empty: "Nothing recorded yet.",
    page: "page",
    utc: "Times are UTC; for a failed login, the user is the name that was typed.",
    actions: &[
        ("login", "logged in"),
        ("login-failed", "login failed"),
        ("login-throttled", "login paused (too many failures)"),
        ("logout", "logged out"),
        ("user-add", "added a user"),
        ("user-disable", "disabled a user"),
        ("user-password", "set a new password"),
        ("override", "overrode a verdict"),
        ("override-withdrawn", "withdrew an override"),
        ("reviewed", "marked a call reviewed"),
        ("blind review", "blind review"),
    ],
};

pub fn routes() -> Router<AppState> {
    Router::new().route("/audit", get(audit))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PageQuery {
    page: usize,
}

async fn audit(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<PageQuery>,
) -> Result<Markup, WebError> {
    user.require(Role::Admin)?;
    let l = user.lang.pick(&ZH, &EN);
    let number = q.page.max(1);
    let (rows, total) = state
        .store(move |s| Ok((s.audit_entries((number - 1) * PAGE, PAGE)?, s.audit_len()?)))
        .await?;
    let pages = total.div_ceil(PAGE).max(1);
    Ok(page(
        &user,
        l.title,
        html! {
            p.muted { (l.utc) }
            @if rows.is_empty() {
                p { (l.empty) }
            } @else {
                table {
                    thead { tr { th { (l.at) } th { (l.who) } th { (l.action) } th { (l.detail) } } }
                    tbody { @for r in &rows { tr {
                        td { (utc_time(&r.at)) }
                        td { (r.actor) }
                        td { (l.actions.iter().find(|(k, _)| *k == r.action).map_or(r.action.as_str(), |(_, v)| v)) }
                        td { (r.detail) }
                    } } }
                }
            }
            nav.pager {
                @if number > 1 { a href=(format!("/audit?page={}", number - 1)) { (l.newer) } }
                span { (number) " / " (pages) " " (l.page) }
                @if number < pages { a href=(format!("/audit?page={}", number + 1)) { (l.older) } }
            }
        },
    ))
}
