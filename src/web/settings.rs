//! A user's own settings: the interface language, shown on a page every role can open.

use super::auth::CurrentUser;
use super::csrf::CsrfForm;
use super::error::{WebError, local_path};
use super::layout::{csrf_field, page, role_name};
use super::{AppState, Lang};
use axum::Router;
use axum::extract::State;
use axum::response::Redirect;
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;

struct Labels {
    title: &'static str,
    name: &'static str,
    role: &'static str,
    language: &'static str,
    save: &'static str,
}

const ZH: Labels = Labels {
    title: "個人設定",
    name: "使用者名稱",
    role: "角色",
    language: "介面語言",
    save: "儲存",
};

const EN: Labels = Labels {
    title: "Settings",
    name: "User name",
    role: "Role",
    language: "Interface language",
    save: "Save",
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/settings", get(settings))
        .route("/settings/language", post(language))
}

async fn settings(user: CurrentUser) -> Markup {
    let l = user.lang.pick(&ZH, &EN);
    page(
        &user,
        l.title,
        html! {
            table {
                tr { th { (l.name) } td { (user.name) } }
                tr { th { (l.role) } td { (role_name(user.lang, user.role)) } }
            }
            form method="post" action="/settings/language" {
                (csrf_field(&user))
                input type="hidden" name="back" value="/settings";
                label for="lang" { (l.language) }
                select #lang name="lang" {
                    @for lang in Lang::ALL {
                        option value=(lang.code()) selected[lang == user.lang] { (lang.name()) }
                    }
                }
                p { button type="submit" { (l.save) } }
            }
        },
    )
}

#[derive(Debug, Deserialize)]
struct LanguageFields {
    lang: String,
    #[serde(default)]
    back: String,
}

async fn language(
    State(state): State<AppState>,
    user: CurrentUser,
    CsrfForm(f): CsrfForm<LanguageFields>,
) -> Result<Redirect, WebError> {
    let lang = Lang::from_code(&f.lang);
    state
        .store(move |s| Ok(s.set_language(user.id, lang.code())?))
        .await?;
    Ok(Redirect::to(&local_path(&f.back)))
}
