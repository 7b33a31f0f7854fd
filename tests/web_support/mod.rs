//! The review web app over real HTTP, for the web tests: the built `callgrade serve` on a free
//! port of 127.0.0.1 over a real SQLite file, accounts made with `callgrade user add`, and a
//! client that logs in through the form, keeps the session cookie and reads the CSRF token
//! from a page, as a browser would.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Output, Stdio};
use std::time::Duration;

/// A password long enough for `user add`; tests that do not care about passwords use it.
pub const PASSWORD: &str = "correct horse battery";

/// A running `callgrade serve`, stopped when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub base: String,
    pub db: PathBuf,
    stderr: PathBuf,
    _stdout: BufReader<ChildStdout>,
}

impl Server {
    /// Starts `callgrade serve --db DB --port 0 EXTRA…` and waits for the URL it prints.
    pub fn start(db: &Path, extra: &[&str]) -> Server {
        let stderr = db.with_extension(format!("serve-{}.log", std::process::id()));
        let mut child = Command::new(env!("CARGO_BIN_EXE_callgrade"))
            .args(["serve", "--port", "0", "--db"])
            .arg(db)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .expect("cannot start callgrade serve");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://")) else {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "callgrade serve printed no URL: {line:?}; stderr: {}",
                std::fs::read_to_string(&stderr).unwrap_or_default()
            );
        };
        Server {
            base: url.trim_end_matches('/').to_string(),
            child,
            db: db.to_path_buf(),
            stderr,
            _stdout: stdout,
        }
    }

    /// What the server wrote to standard error so far (warnings, logged errors).
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// A client without a session.
    pub fn anonymous(&self) -> Client {
        Client::new(&self.base)
    }

    /// A client logged in as `name`, panicking if the login is refused.
    pub fn login(&self, name: &str, password: &str) -> Client {
        let mut client = self.anonymous();
        let reply = client.login(name, password);
        assert_eq!(reply.status, 303, "login as {name} refused: {}", reply.body);
        assert!(
            client.session.is_some(),
            "login as {name} set no session cookie"
        );
        client
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.stderr);
    }
}

/// `callgrade user ARGS --db DB` with `stdin` as standard input.
pub fn user_cmd(db: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_callgrade"))
        .arg("user")
        .args(args)
        .arg("--db")
        .arg(db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command that fails before reading its input closes the pipe; that is not our error.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

/// Adds an account (`admin`, `supervisor` or `trainer`), panicking on failure.
pub fn add_user(db: &Path, name: &str, role: &str, password: &str) {
    let out = user_cmd(
        db,
        &["add", name, "--role", role, "--password-stdin"],
        &format!("{password}\n"),
    );
    assert!(
        out.status.success(),
        "user add {name} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// One HTTP answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    /// Lower-case names, in order.
    pub headers: Vec<(String, String)>,
    pub bytes: Vec<u8>,
    /// `bytes` as text (lossy).
    pub body: String,
}

impl Reply {
    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.all(name).into_iter().next()
    }

    /// Every header called `name` (e.g. several `set-cookie`).
    pub fn all(&self, name: &str) -> Vec<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .filter(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn location(&self) -> Option<&str> {
        self.header("location")
    }
}

/// A browser-like client: sends the session cookie it got at login, follows no redirects.
pub struct Client {
    base: String,
    agent: ureq::Agent,
    /// The session token (value of the `callgrade_session` cookie), once logged in.
    pub session: Option<String>,
}

impl Client {
    pub fn new(base: &str) -> Client {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        Client {
            base: base.to_string(),
            agent,
            session: None,
        }
    }

    /// Logs in through the form as a browser does (GET /login for its token and cookie, then
    /// POST), keeping the session cookie when one is set. Returns the POST's answer.
    pub fn login(&mut self, name: &str, password: &str) -> Reply {
        let form = self.get("/login");
        let token = form_token(&form.body).expect("the login form has no csrf field");
        let cookie = cookie_value(&form, "callgrade_login").expect("GET /login set no cookie");
        let reply = self.send(
            "POST",
            "/login",
            &[("cookie", &format!("callgrade_login={cookie}"))],
            Some(&[("csrf", &token), ("username", name), ("password", password)]),
        );
        if let Some(session) = cookie_value(&reply, "callgrade_session").filter(|v| !v.is_empty()) {
            self.session = Some(session);
        }
        reply
    }

    pub fn get(&self, path: &str) -> Reply {
        self.send("GET", path, &[], None)
    }

    /// GET with extra headers (e.g. `range`, `accept`).
    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        self.send("GET", path, headers, None)
    }

    /// POSTs exactly these fields (no CSRF token added: for testing its absence).
    pub fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        self.send("POST", path, &[], Some(fields))
    }

    /// POSTs exactly these fields with extra headers (a `cookie` one is added to the session's).
    pub fn post_with(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        fields: &[(&str, &str)],
    ) -> Reply {
        self.send("POST", path, headers, Some(fields))
    }

    /// POSTs a form with this session's CSRF token added, as the app's own forms do.
    pub fn post(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let token = self.csrf();
        let mut all = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.send("POST", path, &[], Some(&all))
    }

    /// This session's CSRF token, read from the settings page every role can open.
    pub fn csrf(&self) -> String {
        let page = self.get("/settings");
        assert_eq!(page.status, 200, "GET /settings: {}", page.body);
        form_token(&page.body).expect("the settings page has no csrf field")
    }

    fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        form: Option<&[(&str, &str)]>,
    ) -> Reply {
        let url = format!("{}{path}", self.base);
        let mut builder = ureq::http::Request::builder().method(method).uri(&url);
        if !headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("accept"))
        {
            builder = builder.header("accept", "text/html");
        }
        let mut cookies: Vec<String> = headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("cookie"))
            .map(|(_, v)| v.to_string())
            .collect();
        if let Some(s) = &self.session {
            cookies.push(format!("callgrade_session={s}"));
        }
        if !cookies.is_empty() {
            builder = builder.header("cookie", cookies.join("; "));
        }
        for (k, v) in headers
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("cookie"))
        {
            builder = builder.header(*k, *v);
        }
        let result = match form {
            None => self.agent.run(builder.body(()).unwrap()),
            Some(fields) => {
                let body = fields
                    .iter()
                    .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
                    .collect::<Vec<_>>()
                    .join("&");
                let request = builder
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(body)
                    .unwrap();
                self.agent.run(request)
            }
        };
        let mut response = result.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        let bytes = response
            .body_mut()
            .with_config()
            .limit(512 * 1024 * 1024)
            .read_to_vec()
            .unwrap();
        Reply {
            status: response.status().as_u16(),
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
        }
    }
}

/// The value of the first hidden `csrf` field in a page.
pub fn form_token(html: &str) -> Option<String> {
    let at = html.find(r#"name="csrf" value=""#)? + r#"name="csrf" value=""#.len();
    Some(html[at..].split('"').next()?.to_string())
}

/// The value a reply's `set-cookie` gives cookie `name`.
pub fn cookie_value(reply: &Reply, name: &str) -> Option<String> {
    reply.all("set-cookie").into_iter().find_map(|c| {
        let (k, rest) = c.split_once('=')?;
        (k == name).then(|| rest.split(';').next().unwrap_or("").to_string())
    })
}

/// Percent-encoding for form fields (everything but unreserved bytes).
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A scratch folder with a path for a database in it (not created).
pub fn scratch_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("web.db");
    (dir, db)
}
