//! Accounts, sessions and access control of the review web app, over real HTTP against the
//! built `callgrade serve` on a real SQLite file.

mod web_support;

use web_support::{PASSWORD, Server, add_user, scratch_db};

#[test]
fn a_user_logs_in_with_the_right_password_and_reaches_pages() {
    let (_dir, db) = scratch_db();
    add_user(&db, "amy", "admin", PASSWORD);
    let server = Server::start(&db, &[]);
    let client = server.login("amy", PASSWORD);
    let settings = client.get("/settings");
    assert_eq!(settings.status, 200, "{}", settings.body);
    assert!(settings.body.contains("amy"));
    assert!(settings.body.contains(r#"<html lang="zh-TW">"#));
}
