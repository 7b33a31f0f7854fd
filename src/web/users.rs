//! Admin page for accounts: list, add, disable, set a new password. Each change is audited;
//! disabling or a new password ends the account's sessions at once (see the store).

use super::auth::{CurrentUser, Role};
use super::csrf::{CsrfForm, NoFields};
use super::error::{WebError, query_escape};
use super::layout::{csrf_field, page, role_name, utc_time};
use super::{AppState, Lang, password};
use crate::store::{Account, AccountError, Store, StoreError};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;

struct Labels {
    title: &'static str,
    name: &'static str,
    role: &'static str,
    language: &'static str,
    created: &'static str,
    status: &'static str,
    may_log_in: &'static str,
    disabled: &'static str,
    disable: &'static str,
    new_password: &'static str,
    set_password: &'static str,
    add_title: &'static str,
    password: &'static str,
    add: &'static str,
    added: &'static str,
    was_disabled: &'static str,
    password_set: &'static str,
    exists: &'static str,
    bad_name: &'static str,
    unknown: &'static str,
    short_password: &'static str,
    not_yourself: &'static str,
    utc: &'static str,
}

const ZH: Labels = Labels {
    title: "使用者管理",
    name: "名稱",
    role: "角色",
    language: "語言",
    created: "建立時間",
    status: "狀態",
    may_log_in: "可登入",
    disabled: "已停用",
    disable: "停用",
    new_password: "新密碼",
    set_password: "設定新密碼",
    add_title: "新增使用者",
    password: "密碼（至少 8 個字元）",
    add: "新增",
    added: "已新增使用者：",
    was_disabled: "已停用，其登入已立即失效：",
    password_set: "已設定新密碼，其原有登入已失效：",
    exists: "已有同名的使用者（名稱不分大小寫）：",
    bad_name: "名稱需為 1 到 64 個字元，不可含「/」、控制字元或前後空白。",
    unknown: "找不到這位使用者：",
    short_password: "密碼至少需要 8 個字元。",
    not_yourself: "不能停用自己的帳號（請由另一位系統管理員操作）。",
    utc: "時間為世界標準時間（UTC）。",
};

const EN: Labels = Labels {
    title: "Users",
    name: "Name",
    role: "Role",
    language: "Language",
    created: "Created",
    status: "Status",
    may_log_in: "may log in",
    disabled: "disabled",
    disable: "Disable",
    new_password: "New password",
    set_password: "Set new password",
    add_title: "Add a user",
    password: "Password (at least 8 characters)",
    add: "Add",
    added: "Added user: ",
    was_disabled: "Disabled; their sessions ended at once: ",
    password_set: "New password set; their sessions ended: ",
    exists: "A user with this name already exists (names are not case-sensitive): ",
    bad_name: "A name has 1 to 64 characters, without “/”, control characters or spaces at either end.",
    unknown: "There is no such user: ",
    short_password: "A password needs at least 8 characters.",
    not_yourself: "You cannot disable your own account (ask another administrator).",
    utc: "Times are UTC.",
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users", get(list).post(add))
        .route("/users/{name}/disable", post(disable))
        .route("/users/{name}/password", post(set_password))
}

/// What the last change did, shown above the list.
enum Notice {
    None,
    Done(&'static str, String),
    Failed(String),
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DoneQuery {
    done: String,
    name: String,
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<DoneQuery>,
) -> Result<Markup, WebError> {
    user.require(Role::Admin)?;
    let l = user.lang.pick(&ZH, &EN);
    let notice = match q.done.as_str() {
        "user-add" => Notice::Done(l.added, q.name),
        "user-disable" => Notice::Done(l.was_disabled, q.name),
        "user-password" => Notice::Done(l.password_set, q.name),
        _ => Notice::None,
    };
    let users = state.store(|s| Ok(s.users()?)).await?;
    Ok(users_page(&user, &users, notice))
}

#[derive(Debug, Deserialize)]
struct AddFields {
    name: String,
    role: String,
    password: String,
}

async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    CsrfForm(f): CsrfForm<AddFields>,
) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    let role = Role::parse(&f.role)
        .ok_or_else(|| WebError::BadRequest(format!("unknown role {}", f.role)))?;
    let name = f.name.clone();
    change(&state, &user, "user-add", &name, move |s| {
        let hash = password::hash(&f.password).map_err(|_| Refusal::ShortPassword)?;
        let a = s.add_user(&f.name, role, &hash)?;
        let detail = format!("{} as {}", a.name, role.as_str());
        Ok((a, detail))
    })
    .await
}

async fn disable(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(name): Path<String>,
    CsrfForm(NoFields {}): CsrfForm<NoFields>,
) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    let (actor, target) = (user.name.clone(), name.clone());
    change(&state, &user, "user-disable", &name, move |s| {
        if s.user(&target)?.is_some_and(|a| a.name == actor) {
            return Err(Refusal::Yourself);
        }
        let a = s.disable_user(&target)?;
        Ok((a.clone(), a.name))
    })
    .await
}

#[derive(Debug, Deserialize)]
struct PasswordFields {
    password: String,
}

async fn set_password(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(name): Path<String>,
    CsrfForm(f): CsrfForm<PasswordFields>,
) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    let target = name.clone();
    change(&state, &user, "user-password", &name, move |s| {
        let hash = password::hash(&f.password).map_err(|_| Refusal::ShortPassword)?;
        let a = s.set_password(&target, &hash)?;
        Ok((a.clone(), a.name))
    })
    .await
}

/// Why a change was not made: words for the page, or a failure of the server.
enum Refusal {
    Exists,
    BadName,
    Unknown,
    ShortPassword,
    Yourself,
    Failed(WebError),
}

impl From<AccountError> for Refusal {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::Exists { .. } => Refusal::Exists,
            AccountError::BadName(_) => Refusal::BadName,
            AccountError::Unknown { .. } => Refusal::Unknown,
            AccountError::Store(e) => Refusal::Failed(e.into()),
        }
    }
}

impl From<StoreError> for Refusal {
    fn from(e: StoreError) -> Self {
        Refusal::Failed(e.into())
    }
}

/// Makes one change to the accounts as `user` and audits it as `action` with the detail `f`
/// returns. Then back to the list saying what was done (so a reload does not repeat it), or
/// the list again with why it was refused.
async fn change<F>(
    state: &AppState,
    user: &CurrentUser,
    action: &'static str,
    name: &str,
    f: F,
) -> Result<Response, WebError>
where
    F: FnOnce(&mut Store) -> Result<(Account, String), Refusal> + Send + 'static,
{
    let actor = user.name.clone();
    let result = state
        .store(move |s| {
            // The change and its audit row are stored together or not at all.
            s.write_tx(|s| match f(s) {
                Ok((a, detail)) => {
                    s.audit(&actor, action, &detail)?;
                    Ok(Ok(a))
                }
                Err(Refusal::Failed(e)) => Err(e),
                Err(refusal) => Ok(Err(refusal)),
            })
        })
        .await?;
    let l = user.lang.pick(&ZH, &EN);
    let (status, message) = match result {
        Ok(a) => {
            return Ok(Redirect::to(&format!(
                "/users?done={action}&name={}",
                query_escape(&a.name)
            ))
            .into_response());
        }
        Err(Refusal::Exists) => (StatusCode::CONFLICT, format!("{}{name}", l.exists)),
        Err(Refusal::BadName) => (StatusCode::BAD_REQUEST, l.bad_name.to_string()),
        Err(Refusal::Unknown) => (StatusCode::NOT_FOUND, format!("{}{name}", l.unknown)),
        Err(Refusal::ShortPassword) => (StatusCode::BAD_REQUEST, l.short_password.to_string()),
        Err(Refusal::Yourself) => (StatusCode::BAD_REQUEST, l.not_yourself.to_string()),
        Err(Refusal::Failed(e)) => return Err(e),
    };
    let users = state.store(|s| Ok(s.users()?)).await?;
    Ok((status, users_page(user, &users, Notice::Failed(message))).into_response())
}

fn users_page(user: &CurrentUser, users: &[Account], notice: Notice) -> Markup {
    let l = user.lang.pick(&ZH, &EN);
    page(
        user,
        l.title,
        html! {
            @match notice {
                Notice::None => {},
                Notice::Done(what, name) => p.message.ok role="status" { (what) (name) },
                Notice::Failed(why) => p.message.error role="alert" { (why) },
            }
            table {
                thead { tr {
                    th { (l.name) } th { (l.role) } th { (l.language) } th { (l.created) }
                    th { (l.status) } th {}
                } }
                tbody { @for a in users { tr {
                    td { (a.name) }
                    td { (role_name(user.lang, a.role)) }
                    td { (Lang::from_code(&a.lang).name()) }
                    td { (utc_time(&a.created_at)) }
                    td { @match &a.disabled_at {
                        Some(at) => { (l.disabled) " " (utc_time(at)) },
                        None => { (l.may_log_in) },
                    } }
                    td {
                        @let base = format!("/users/{}", query_escape(&a.name));
                        @if a.disabled_at.is_none() && a.name != user.name {
                            form.inline method="post" action=(format!("{base}/disable")) {
                                (csrf_field(user))
                                button.secondary type="submit" { (l.disable) }
                            }
                            " "
                        }
                        form.inline method="post" action=(format!("{base}/password")) {
                            (csrf_field(user))
                            input type="password" name="password" autocomplete="new-password"
                                aria-label=(l.new_password) placeholder=(l.new_password) required;
                            " "
                            button.secondary type="submit" { (l.set_password) }
                        }
                    }
                } } }
            }
            p.muted { (l.utc) }
            section {
                h2 { (l.add_title) }
                form method="post" action="/users" {
                    (csrf_field(user))
                    label for="name" { (l.name) }
                    input #name type="text" name="name" required maxlength="64";
                    label for="role" { (l.role) }
                    select #role name="role" {
                        @for r in Role::ALL {
                            option value=(r.as_str()) selected[r == Role::Supervisor] {
                                (role_name(user.lang, r))
                            }
                        }
                    }
                    label for="password" { (l.password) }
                    input #password type="password" name="password" autocomplete="new-password" required;
                    p { button type="submit" { (l.add) } }
                }
            }
        },
    )
}
