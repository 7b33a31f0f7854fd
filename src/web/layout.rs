//! The frame of every page: head, navigation (campaigns; users and audit log for admins;
//! language switch; logout) and the stylesheets. Pages give a title and their body.

use super::auth::{CurrentUser, Role};
use super::i18n::Lang;
use maud::{DOCTYPE, Markup, html};

struct Labels {
    app: &'static str,
    campaigns: &'static str,
    users: &'static str,
    audit: &'static str,
    logout: &'static str,
    language: &'static str,
    signed_in_as: &'static str,
    roles: [&'static str; 3],
}

const ZH: Labels = Labels {
    app: "通話禮貌評分",
    campaigns: "測試梯次",
    users: "使用者管理",
    audit: "稽核紀錄",
    logout: "登出",
    language: "語言",
    signed_in_as: "登入身分：",
    roles: ["訓練人員", "督導", "系統管理員"],
};

const EN: Labels = Labels {
    app: "Call courtesy grading",
    campaigns: "Campaigns",
    users: "Users",
    audit: "Audit log",
    logout: "Log out",
    language: "Language",
    signed_in_as: "Signed in as ",
    roles: ["trainer", "supervisor", "administrator"],
};

/// The name of a role in `lang`, as people read it.
pub fn role_name(lang: Lang, role: Role) -> &'static str {
    let l = lang.pick(&ZH, &EN);
    match role {
        Role::Trainer => l.roles[0],
        Role::Supervisor => l.roles[1],
        Role::Admin => l.roles[2],
    }
}

/// A whole page for a logged-in user.
pub fn page(user: &CurrentUser, title: &str, body: Markup) -> Markup {
    let l = user.lang.pick(&ZH, &EN);
    document(
        user.lang,
        title,
        html! {
            header.top {
                nav {
                    a.app href="/campaigns" { (l.app) }
                    a href="/campaigns" { (l.campaigns) }
                    @if user.role >= Role::Admin {
                        a href="/users" { (l.users) }
                        a href="/audit" { (l.audit) }
                    }
                }
                div.account {
                    span { (l.signed_in_as) a href="/settings" { (user.name) } "（" (role_name(user.lang, user.role)) "）" }
                    form.inline method="post" action="/settings/language" {
                        (csrf_field(user))
                        input type="hidden" name="back" value=(user.path);
                        label { (l.language) " "
                            @for lang in Lang::ALL {
                                @if lang == user.lang {
                                    button type="submit" name="lang" value=(lang.code()) disabled { (lang.name()) }
                                } @else {
                                    button type="submit" name="lang" value=(lang.code()) { (lang.name()) }
                                }
                            }
                        }
                    }
                    form.inline method="post" action="/logout" {
                        (csrf_field(user))
                        button type="submit" { (l.logout) }
                    }
                }
            }
            main { h1 { (title) } (body) }
        },
    )
}

/// A page without navigation: the login form and error pages.
pub fn bare(lang: Lang, title: &str, body: Markup) -> Markup {
    document(lang, title, html! { main.narrow { h1 { (title) } (body) } })
}

fn document(lang: Lang, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · callgrade" }
                @for css in super::assets::STYLESHEETS {
                    link rel="stylesheet" href=(format!("/assets/{css}"));
                }
                script src="/assets/app.js" defer {}
            }
            body { (body) }
        }
    }
}

/// The hidden field that every POST form must carry (see [`super::csrf::CsrfForm`]).
pub fn csrf_field(user: &CurrentUser) -> Markup {
    html! { input type="hidden" name="csrf" value=(user.csrf); }
}

/// A stored UTC timestamp (`2026-11-26T08:40:00Z`) as people read it: `2026-11-26 08:40:00`.
/// Pages that show times say once that they are UTC.
pub fn utc_time(stamp: &str) -> String {
    stamp
        .replacen('T', " ", 1)
        .trim_end_matches('Z')
        .to_string()
}
