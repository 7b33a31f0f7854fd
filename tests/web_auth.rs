//! Accounts, sessions and access control of the review web app, over real HTTP against the
//! built `callgrade serve` on a real SQLite file: login and its throttling, logout, idle
//! expiry, disabled users, roles, CSRF, cookies, headers, the audit log, escaping, assets and
//! the `user` command's errors.

mod web_support;

use std::path::Path;
use std::time::Duration;
use web_support::{Client, PASSWORD, Server, add_user, cookie_value, scratch_db, user_cmd};

/// A database with an admin `amy`, a supervisor `sam` and a trainer `tia`, and a server on it.
fn team(extra: &[&str]) -> (tempfile::TempDir, Server) {
    let (dir, db) = scratch_db();
    add_user(&db, "amy", "admin", PASSWORD);
    add_user(&db, "sam", "supervisor", PASSWORD);
    add_user(&db, "tia", "trainer", PASSWORD);
    (dir, Server::start(&db, extra))
}

/// (actor, action, detail) of every audit row, oldest first, read straight from the file.
fn audit_rows(db: &Path) -> Vec<(String, String, String)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT actor, action, detail FROM audit ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn is_login_redirect(reply: &web_support::Reply) -> bool {
    reply.status == 303 && reply.location().is_some_and(|l| l.starts_with("/login"))
}

#[test]
fn a_user_logs_in_with_the_right_password_and_reaches_pages() {
    let (_dir, server) = team(&[]);
    let client = server.login("amy", PASSWORD);
    let settings = client.get("/settings");
    assert_eq!(settings.status, 200, "{}", settings.body);
    assert!(settings.body.contains("amy"));
    assert!(settings.body.contains(r#"<html lang="zh-TW">"#));
    // Names are not case-sensitive.
    server.login("AMY", PASSWORD);
    // After login the user lands where they were going, never on another site.
    let c = server.anonymous();
    let form = c.get("/login?next=/audit");
    assert!(form.body.contains(r#"name="next" value="/audit""#));
    let mut c2 = server.anonymous();
    assert_eq!(c2.login("amy", PASSWORD).location(), Some("/campaigns"));
    let _ = c.get("/");
}

#[test]
fn a_wrong_password_and_an_unknown_name_get_the_same_answer_and_no_session() {
    let (_dir, server) = team(&[]);
    let mut wrong = server.anonymous();
    let a = wrong.login("amy", "not the password");
    let mut unknown = server.anonymous();
    let b = unknown.login("nobody", "not the password");
    for (reply, client) in [(&a, &wrong), (&b, &unknown)] {
        assert_eq!(reply.status, 401, "{}", reply.body);
        assert!(
            reply.body.contains("使用者名稱或密碼不正確"),
            "{}",
            reply.body
        );
        assert!(client.session.is_none());
    }
    let strip = |s: &str| s.split("name=\"csrf\"").next().unwrap().to_string();
    assert_eq!(strip(&a.body), strip(&b.body));
    assert_eq!(wrong.get("/settings").status, 303);
}

#[test]
fn repeated_failures_for_a_name_are_refused_for_a_while_even_with_the_right_password() {
    let (_dir, server) = team(&[]);
    for _ in 0..5 {
        assert_eq!(server.anonymous().login("sam", "guess guess").status, 401);
    }
    let mut c = server.anonymous();
    let refused = c.login("sam", PASSWORD);
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert!(
        refused.body.contains("登入失敗次數太多"),
        "{}",
        refused.body
    );
    let retry: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!(retry > 60 && retry <= 15 * 60, "retry-after {retry}");
    assert!(c.session.is_none());
    // Another name from the same address still logs in.
    server.login("tia", PASSWORD);
    let rows = audit_rows(&server.db);
    assert_eq!(
        rows.iter()
            .filter(|r| r.0 == "sam" && r.1 == "login-failed")
            .count(),
        5
    );
    assert!(
        rows.iter()
            .any(|r| r.0 == "sam" && r.1 == "login-throttled")
    );
}

/// Posts the login form as a browser would (its token and cookie from GET /login) with these
/// fields and extra headers.
fn post_login(c: &Client, headers: &[(&str, &str)], fields: &[(&str, &str)]) -> web_support::Reply {
    let form = c.get("/login");
    let token = web_support::form_token(&form.body).unwrap();
    let cookie = format!(
        "callgrade_login={}",
        cookie_value(&form, "callgrade_login").unwrap()
    );
    let mut all_headers = vec![("cookie", cookie.as_str())];
    all_headers.extend_from_slice(headers);
    let mut all_fields = vec![("csrf", token.as_str())];
    all_fields.extend_from_slice(fields);
    c.post_with("/login", &all_headers, &all_fields)
}

/// A failed login sent as a browser at `ip` behind the proxy would send it.
fn fail_from(server: &Server, ip: &str, name: &str) -> u16 {
    post_login(
        &server.anonymous(),
        &[("x-real-ip", ip)],
        &[("username", name), ("password", "guess guess")],
    )
    .status
}

#[test]
fn after_login_the_user_lands_on_the_page_asked_for_even_with_chinese_in_it() {
    let (_dir, server) = team(&[]);
    let c = server.anonymous();
    let form =
        c.get("/login?next=%2Fcampaigns%2F2026Q4%2Fcalls%3Funit%3D%E8%A1%8C%E6%94%BF%E8%AA%B2");
    assert!(
        form.body
            .contains(r#"name="next" value="/campaigns/2026Q4/calls?unit=行政課""#)
    );
    let next = "/campaigns/2026Q4/calls?unit=行政課";
    let r = post_login(
        &c,
        &[],
        &[("username", "sam"), ("password", PASSWORD), ("next", next)],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.location(),
        Some("/campaigns/2026Q4/calls?unit=%E8%A1%8C%E6%94%BF%E8%AA%B2")
    );
    for elsewhere in [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
    ] {
        let r = post_login(
            &c,
            &[],
            &[
                ("username", "sam"),
                ("password", PASSWORD),
                ("next", elsewhere),
            ],
        );
        assert_eq!(r.location(), Some("/campaigns"), "{elsewhere}");
    }
}

#[test]
fn many_failures_from_one_address_are_refused_whatever_the_names() {
    let (_dir, server) = team(&["--behind-proxy"]);
    for i in 0..20 {
        assert_eq!(fail_from(&server, "10.0.0.1", &format!("name{i}")), 401);
    }
    assert_eq!(fail_from(&server, "10.0.0.1", "tia"), 429);
    // Another browser behind the same proxy is not held back.
    assert_eq!(fail_from(&server, "10.0.0.2", "tia"), 401);
    assert!(
        audit_rows(&server.db)
            .iter()
            .any(|r| r.1 == "login-failed" && r.2.contains("from 10.0.0.2"))
    );
    drop(server);
    // Without --behind-proxy the header is nobody's word: every failure is 127.0.0.1's.
    let (_dir, server) = team(&[]);
    for i in 0..20 {
        fail_from(&server, &format!("10.0.1.{i}"), &format!("name{i}"));
    }
    assert_eq!(fail_from(&server, "10.0.2.1", "tia"), 429);
}

#[test]
fn logins_and_failures_are_in_the_audit_log_and_the_admin_page_shows_them_newest_first() {
    let (_dir, server) = team(&[]);
    server.anonymous().login("tia", "wrong password");
    server.anonymous().login("ghost", "wrong password");
    let amy = server.login("amy", PASSWORD);
    let rows = audit_rows(&server.db);
    let logins: Vec<_> = rows.iter().filter(|r| r.1.starts_with("login")).collect();
    assert_eq!(logins.len(), 3, "{rows:?}");
    assert_eq!(
        (logins[0].0.as_str(), logins[0].1.as_str()),
        ("tia", "login-failed")
    );
    assert!(logins[0].2.contains("wrong password") && logins[0].2.contains("127.0.0.1"));
    assert_eq!(
        (logins[1].0.as_str(), logins[1].1.as_str()),
        ("ghost", "login-failed")
    );
    assert!(logins[1].2.contains("unknown user"));
    assert_eq!(
        (logins[2].0.as_str(), logins[2].1.as_str()),
        ("amy", "login")
    );
    let page = amy.get("/audit");
    assert_eq!(page.status, 200);
    let at = |name: &str| page.body.find(&format!("<td>{name}</td>")).unwrap();
    let (ghost, tia) = (at("ghost"), at("tia"));
    assert!(ghost < tia, "newest first: {}", page.body);
    assert!(page.body.contains("登入失敗"));
}

#[test]
fn the_audit_log_is_paged() {
    let (_dir, server) = team(&[]);
    {
        let conn = rusqlite::Connection::open(&server.db).unwrap();
        for i in 0..120 {
            conn.execute(
                "INSERT INTO audit (at, actor, action, detail) VALUES (0, ?1, 'note', '')",
                [format!("actor{i:03}")],
            )
            .unwrap();
        }
    }
    let amy = server.login("amy", PASSWORD);
    let first = amy.get("/audit");
    assert!(!first.body.contains("actor000") && first.body.contains("actor119"));
    assert!(first.body.contains("/audit?page=2"));
    let last = amy.get("/audit?page=3");
    assert!(last.body.contains("actor000") && !last.body.contains("actor119"));
}

#[test]
fn logout_ends_the_session_on_the_server() {
    let (_dir, server) = team(&[]);
    let sam = server.login("sam", PASSWORD);
    let out = sam.post("/logout", &[]);
    assert_eq!(out.status, 303);
    assert_eq!(out.location(), Some("/login"));
    assert!(cookie_value(&out, "callgrade_session").is_some_and(|v| v.is_empty()));
    // The old cookie, replayed, no longer works.
    assert!(is_login_redirect(&sam.get("/settings")));
    assert!(
        audit_rows(&server.db)
            .iter()
            .any(|r| r.0 == "sam" && r.1 == "logout")
    );
}

#[test]
fn an_idle_session_expires_and_use_keeps_it_alive() {
    let (_dir, server) = team(&["--idle-seconds", "2"]);
    let sam = server.login("sam", PASSWORD);
    for _ in 0..6 {
        std::thread::sleep(Duration::from_millis(500));
        assert_eq!(sam.get("/settings").status, 200, "kept alive by use");
    }
    std::thread::sleep(Duration::from_millis(3000));
    assert!(is_login_redirect(&sam.get("/settings")));
}

#[test]
fn disabling_a_user_ends_their_sessions_at_once_and_stops_logins() {
    let (_dir, server) = team(&[]);
    let tia = server.login("tia", PASSWORD);
    let out = user_cmd(&server.db, &["disable", "tia"], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(is_login_redirect(&tia.get("/settings")));
    let again = server.anonymous().login("tia", PASSWORD);
    assert_eq!(again.status, 401);
    assert!(again.body.contains("使用者名稱或密碼不正確"));
    assert!(
        audit_rows(&server.db)
            .iter()
            .any(|r| r.0 == "tia" && r.2.contains("disabled"))
    );
}

const MY_POSTS: [&str; 5] = [
    "/logout",
    "/settings/language",
    "/users",
    "/users/tia/disable",
    "/users/tia/password",
];

#[test]
fn anonymous_requests_are_sent_to_login_or_refused() {
    let (_dir, server) = team(&[]);
    let anon = server.anonymous();
    for path in ["/", "/settings", "/users", "/audit", "/audit?page=2"] {
        let r = anon.get(path);
        assert!(
            is_login_redirect(&r),
            "GET {path}: {} {:?}",
            r.status,
            r.location()
        );
        assert!(r.location().unwrap().contains("next="), "{path}");
    }
    // A program that does not want a page gets 401 instead of a redirect.
    let r = anon.get_with("/users", &[("accept", "application/json")]);
    assert_eq!(r.status, 401);
    for path in MY_POSTS {
        let r = anon.post_raw(
            path,
            &[("csrf", "x"), ("lang", "en"), ("password", PASSWORD)],
        );
        assert_eq!(r.status, 401, "POST {path}");
    }
    // A made-up session cookie is no session.
    let mut forged = server.anonymous();
    forged.session = Some("0".repeat(64));
    assert!(is_login_redirect(&forged.get("/settings")));
}

#[test]
fn only_admins_reach_the_admin_pages() {
    let (_dir, server) = team(&[]);
    for name in ["sam", "tia"] {
        let c = server.login(name, PASSWORD);
        assert_eq!(c.get("/settings").status, 200);
        assert!(!c.get("/settings").body.contains(r#"href="/users""#));
        for path in ["/users", "/audit"] {
            assert_eq!(c.get(path).status, 403, "{name} GET {path}");
        }
        let fields = [("name", "eve"), ("role", "admin"), ("password", PASSWORD)];
        for path in ["/users", "/users/amy/disable", "/users/amy/password"] {
            assert_eq!(c.post(path, &fields).status, 403, "{name} POST {path}");
        }
    }
    // Nothing changed: amy still logs in with her password, and there is no eve.
    let amy = server.login("amy", PASSWORD);
    assert!(!amy.get("/users").body.contains("eve"));
    assert!(amy.get("/settings").body.contains(r#"href="/users""#));
}

#[test]
fn every_post_without_the_sessions_csrf_token_is_refused() {
    let (_dir, server) = team(&[]);
    let amy = server.login("amy", PASSWORD);
    let other = server.login("sam", PASSWORD).csrf();
    let fields = [
        ("lang", "en"),
        ("name", "eve"),
        ("role", "admin"),
        ("password", PASSWORD),
    ];
    for path in MY_POSTS {
        let missing = amy.post_raw(path, &fields);
        assert_eq!(missing.status, 403, "POST {path} without csrf");
        for token in ["", "wrong", other.as_str()] {
            let mut with = vec![("csrf", token)];
            with.extend_from_slice(&fields);
            assert_eq!(
                amy.post_raw(path, &with).status,
                403,
                "POST {path} csrf {token:?}"
            );
        }
    }
    // None of them did anything: still logged in, still zh-TW, tia still enabled, no eve.
    let settings = amy.get("/settings");
    assert!(settings.body.contains(r#"<html lang="zh-TW">"#));
    let users = amy.get("/users");
    assert!(!users.body.contains("eve") && !users.body.contains("已停用"));
    server.login("tia", PASSWORD);
    // The login form has its own token, tied to a cookie.
    let mut c = server.anonymous();
    let form = c.get("/login");
    let token = web_support::form_token(&form.body).unwrap();
    let r = c.post_raw(
        "/login",
        &[
            ("csrf", &token),
            ("username", "amy"),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(r.status, 403, "login without its cookie");
    assert!(c.login("amy", PASSWORD).status == 303);
}

#[test]
fn the_session_cookie_is_http_only_strict_and_holds_a_token_stored_only_hashed() {
    let (_dir, server) = team(&[]);
    let mut c = server.anonymous();
    let reply = c.login("amy", PASSWORD);
    let set = reply
        .all("set-cookie")
        .into_iter()
        .find(|v| v.starts_with("callgrade_session="))
        .unwrap()
        .to_string();
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set.split("; ").any(|a| a == attr), "{set} lacks {attr}");
    }
    assert!(!set.contains("Secure"), "plain HTTP on 127.0.0.1: {set}");
    let token = c.session.clone().unwrap();
    assert_eq!(token.len(), 64, "256 bits, hex");
    let conn = rusqlite::Connection::open(&server.db).unwrap();
    let stored: Vec<String> = conn
        .prepare("SELECT token_sha256 FROM sessions")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], token);
    let hash: String = conn
        .query_row("SELECT password FROM users WHERE name = 'amy'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    drop(server);
    // Behind a TLS proxy the cookie is marked Secure.
    let secure = Server::start(&_dir.path().join("web.db"), &["--secure-cookies"]);
    let mut c = secure.anonymous();
    let reply = c.login("amy", PASSWORD);
    assert!(
        reply
            .all("set-cookie")
            .iter()
            .any(|v| v.starts_with("callgrade_session=") && v.ends_with("; Secure"))
    );
}

#[test]
fn every_response_carries_the_security_headers_and_pages_are_not_cached() {
    let (_dir, server) = team(&[]);
    let amy = server.login("amy", PASSWORD);
    let anon = server.anonymous();
    for reply in [
        amy.get("/users"),
        amy.get("/nowhere"),
        anon.get("/login"),
        anon.get("/users"),
        anon.get("/assets/app.css"),
    ] {
        let csp = reply.header("content-security-policy").unwrap_or_default();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(reply.header("referrer-policy"), Some("no-referrer"));
        assert_eq!(reply.header("x-frame-options"), Some("DENY"));
    }
    assert_eq!(amy.get("/users").header("cache-control"), Some("no-store"));
    assert_eq!(
        amy.get("/settings").header("cache-control"),
        Some("no-store")
    );
}

#[test]
fn assets_come_from_a_fixed_list_and_nothing_else_is_served() {
    let (_dir, server) = team(&[]);
    let anon = server.anonymous();
    let css = anon.get("/assets/app.css");
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
    assert!(
        anon.get("/assets/app.js")
            .header("content-type")
            .unwrap()
            .starts_with("text/javascript")
    );
    for path in [
        "/assets/nothing.css",
        "/assets/../Cargo.toml",
        "/assets/..%2f..%2fCargo.toml",
        "/assets/%2e%2e/Cargo.toml",
        "/assets/app.css/",
        "/assets/",
        "/Cargo.toml",
    ] {
        let r = anon.get(path);
        assert_eq!(r.status, 404, "{path}: {}", r.status);
        assert!(!r.body.contains("[package]"), "{path}");
    }
}

#[test]
fn names_are_shown_escaped() {
    let (_dir, server) = team(&[]);
    add_user(&server.db, "<script>alert(1)", "trainer", PASSWORD);
    let amy = server.login("amy", PASSWORD);
    let users = amy.get("/users");
    assert!(
        users.body.contains("<td>&lt;script&gt;alert(1)</td>"),
        "{}",
        users.body
    );
    assert!(!users.body.contains("<script>alert"));
    let odd = server.login("<script>alert(1)", PASSWORD);
    let page = odd.get("/settings");
    assert!(!page.body.contains("<script>alert"));
    // The typed name of a failed login lands in the audit page escaped too.
    server
        .anonymous()
        .login("<img src=x onerror=alert(2)>", "wrong password");
    let audit = amy.get("/audit");
    assert!(audit.body.contains("&lt;img src=x onerror=alert(2)&gt;"));
    assert!(!audit.body.contains("<img src=x"));
}

#[test]
fn an_admin_adds_disables_and_resets_users_in_the_browser() {
    let (_dir, server) = team(&[]);
    let amy = server.login("amy", PASSWORD);
    let added = amy.post(
        "/users",
        &[
            ("name", "陳小明"),
            ("role", "supervisor"),
            ("password", "another long one"),
        ],
    );
    assert_eq!(added.status, 303, "{}", added.body);
    let list = amy.get(added.location().unwrap());
    assert!(list.body.contains("已新增使用者：陳小明"), "{}", list.body);
    let chen = server.login("陳小明", "another long one");
    assert_eq!(chen.get("/settings").status, 200);
    // Refusals name the problem and change nothing.
    let dup = amy.post(
        "/users",
        &[("name", "SAM"), ("role", "trainer"), ("password", PASSWORD)],
    );
    assert_eq!(dup.status, 409);
    assert!(dup.body.contains("已有同名的使用者"));
    let short = amy.post(
        "/users",
        &[("name", "eve"), ("role", "trainer"), ("password", "short")],
    );
    assert_eq!(short.status, 400);
    assert!(short.body.contains("至少需要 8 個字元"));
    let myself = amy.post("/users/amy/disable", &[]);
    assert_eq!(myself.status, 400);
    assert!(myself.body.contains("不能停用自己的帳號"));
    assert_eq!(amy.post("/users/nobody/disable", &[]).status, 404);
    // A new password logs the user out and the old one stops working.
    let reset = amy.post(
        &format!("/users/{}/password", web_support::encode("陳小明")),
        &[("password", "the new password")],
    );
    assert_eq!(reset.status, 303, "{}", reset.body);
    assert!(is_login_redirect(&chen.get("/settings")));
    assert_eq!(
        server
            .anonymous()
            .login("陳小明", "another long one")
            .status,
        401
    );
    let chen = server.login("陳小明", "the new password");
    // Disabling ends the session at once.
    assert_eq!(
        amy.post(
            &format!("/users/{}/disable", web_support::encode("陳小明")),
            &[]
        )
        .status,
        303
    );
    assert!(is_login_redirect(&chen.get("/settings")));
    let actions: Vec<String> = audit_rows(&server.db)
        .into_iter()
        .filter(|r| r.0 == "amy" && r.1.starts_with("user-"))
        .map(|r| r.1)
        .collect();
    assert_eq!(actions, ["user-add", "user-password", "user-disable"]);
}

#[test]
fn each_user_picks_the_interface_language() {
    let (_dir, server) = team(&[]);
    let sam = server.login("sam", PASSWORD);
    let tia = server.login("tia", PASSWORD);
    let r = sam.post(
        "/settings/language",
        &[("lang", "en"), ("back", "/settings")],
    );
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), Some("/settings"));
    let page = sam.get("/settings");
    assert!(page.body.contains(r#"<html lang="en">"#));
    assert!(page.body.contains("Log out"));
    assert!(tia.get("/settings").body.contains(r#"<html lang="zh-TW">"#));
    // The way back is a page of this site only.
    let r = sam.post(
        "/settings/language",
        &[("lang", "zh-TW"), ("back", "//evil.example/")],
    );
    assert_eq!(r.location(), Some("/"));
    // The login form has an English switch for people not yet logged in.
    let login = server.anonymous().get("/login?lang=en");
    assert!(login.body.contains("User name") && login.body.contains(r#"lang="en""#));
}

#[test]
fn serve_listens_on_localhost_unless_asked_and_then_warns() {
    let (dir, server) = team(&[]);
    assert!(
        server.base.starts_with("http://127.0.0.1:"),
        "{}",
        server.base
    );
    assert!(!server.stderr().contains("warning"));
    drop(server);
    let open = Server::start(&dir.path().join("web.db"), &["--host", "0.0.0.0"]);
    assert!(open.base.starts_with("http://0.0.0.0:"));
    assert!(
        open.stderr().contains("warning: listening on 0.0.0.0"),
        "{}",
        open.stderr()
    );
    let port = open.base.rsplit(':').next().unwrap();
    let c = Client::new(&format!("http://127.0.0.1:{port}"));
    assert_eq!(c.get("/login").status, 200);
}

fn cli(db: &Path, args: &[&str], stdin: &str) -> (bool, String, String) {
    let out = user_cmd(db, args, stdin);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_user_command_explains_what_went_wrong() {
    let (dir, db) = scratch_db();
    // A missing database is created by `user add` (accounts before the first run) …
    let (ok, out, err) = cli(
        &db,
        &["add", "amy", "--role", "admin", "--password-stdin"],
        "a long password\n",
    );
    assert!(ok, "{err}");
    assert!(out.contains("Added amy (admin)"));
    let (ok, out, _) = cli(&db, &["list"], "");
    assert!(ok && out.contains("amy") && out.contains("admin") && out.contains("may log in"));
    // … but not by the others.
    let missing = dir.path().join("missing.db");
    for args in [
        &["list"][..],
        &["disable", "amy"],
        &["passwd", "amy", "--password-stdin"],
    ] {
        let (ok, _, err) = cli(&missing, args, "a long password\n");
        assert!(
            !ok && err.contains("missing.db") && err.contains("no such database"),
            "{args:?}: {err}"
        );
    }
    assert!(!missing.exists());
    let cases: [(&[&str], &str, &str); 7] = [
        (
            &["add", "amy", "--role", "trainer", "--password-stdin"],
            "another password\n",
            "already exists",
        ),
        (
            &["add", "bob", "--role", "trainer", "--password-stdin"],
            "\n",
            "the password is empty",
        ),
        (
            &["add", "bob", "--role", "trainer", "--password-stdin"],
            "",
            "the password is empty",
        ),
        (
            &["add", "bob", "--role", "trainer", "--password-stdin"],
            "short\n",
            "at least 8 characters",
        ),
        (
            &["add", " bob", "--role", "trainer", "--password-stdin"],
            "a long password\n",
            "cannot be a user name",
        ),
        (&["disable", "bob"], "", "there is no user `bob`"),
        (
            &["passwd", "bob", "--password-stdin"],
            "a long password\n",
            "there is no user `bob`",
        ),
    ];
    for (args, stdin, says) in cases {
        let (ok, _, err) = cli(&db, args, stdin);
        assert!(!ok, "{args:?} should fail");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let (ok, _, err) = cli(
        &db,
        &["add", "bob", "--role", "boss", "--password-stdin"],
        "a long password\n",
    );
    assert!(
        !ok && err.contains("admin") && err.contains("supervisor") && err.contains("trainer"),
        "{err}"
    );
    let (ok, _, err) = cli(
        &db,
        &["add", "bob", "--role", "trainer"],
        "a long password\n",
    );
    assert!(!ok && err.contains("--password-stdin"), "{err}");
    // Files that are not callgrade databases are named and left alone.
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "just some notes, not a database at all").unwrap();
    let foreign = dir.path().join("other.sqlite");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    for (file, says) in [
        (&text, "not a callgrade database"),
        (&foreign, "did not create"),
    ] {
        let before = std::fs::read(file).unwrap();
        let (ok, _, err) = cli(
            file,
            &["add", "bob", "--role", "trainer", "--password-stdin"],
            "a long password\n",
        );
        assert!(
            !ok && err.contains(says) && err.contains(&file.display().to_string()),
            "{err}"
        );
        assert_eq!(std::fs::read(file).unwrap(), before);
    }
    // A database from before accounts existed has no users, and listing does not change it.
    let old = dir.path().join("old.db");
    rusqlite::Connection::open(&old)
        .unwrap()
        .execute_batch(
            "PRAGMA application_id = 1128747588; PRAGMA user_version = 4;
             CREATE TABLE campaigns (id INTEGER PRIMARY KEY, name TEXT, created_at INTEGER);",
        )
        .unwrap();
    let before = std::fs::read(&old).unwrap();
    let (ok, out, err) = cli(&old, &["list"], "");
    assert!(ok && out.contains("has no users"), "{out}{err}");
    assert_eq!(std::fs::read(&old).unwrap(), before);
    // passwd and disable work and say so.
    let (ok, out, err) = cli(
        &db,
        &["passwd", "AMY", "--password-stdin"],
        "the new password\r\n",
    );
    assert!(ok && out.contains("New password set for amy"), "{err}");
    let (ok, out, _) = cli(&db, &["disable", "amy"], "");
    assert!(ok && out.contains("Disabled amy"));
    let (_, out, _) = cli(&db, &["list"], "");
    assert!(out.contains("disabled 20"), "{out}");
}

#[test]
fn serve_refuses_a_missing_database_and_says_how_to_make_one() {
    let (dir, _db) = scratch_db();
    let missing = dir.path().join("none.db");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_callgrade"))
        .args(["serve", "--port", "0", "--db"])
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("none.db") && err.contains("callgrade user add"),
        "{err}"
    );
}
