//! A real headless Chromium driven over WebDriver (Debian's `chromium` and `chromium-driver`):
//! plain HTTP and JSON to a `chromedriver` this module starts on a free port of 127.0.0.1.
//! Every wait polls with a deadline; when one runs out, or a step fails, the page's source and
//! a screenshot are saved under the test target folder and the panic names both files.
#![allow(dead_code)]

use serde_json::{Value, json};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The W3C name of an element reference in WebDriver answers.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn installed(var: &str, default: &str, package: &str) -> PathBuf {
    let path = std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default));
    assert!(
        path.is_file(),
        "{} is missing: install it with `apt-get install -y {package}` (`make test-deps` does) \
         or set {var} to its path",
        path.display()
    );
    path
}

/// A Chromium session, closed (with its chromedriver) when dropped.
pub struct Browser {
    driver: Child,
    /// `http://127.0.0.1:PORT/session/ID`.
    session: String,
    agent: ureq::Agent,
    _profile: tempfile::TempDir,
    /// Where failure dumps go.
    dumps: PathBuf,
}

/// An element found on the current page.
#[derive(Debug, Clone)]
pub struct Element(String);

impl Browser {
    /// Starts chromedriver and a headless Chromium with a new empty profile, in a window of
    /// `width`×`height` CSS pixels. `dumps` is the folder failure dumps are written to.
    pub fn start(width: u32, height: u32, dumps: &Path) -> Browser {
        let chromium = installed("CHROMIUM", "/usr/bin/chromium", "chromium");
        let chromedriver = installed("CHROMEDRIVER", "/usr/bin/chromedriver", "chromium-driver");
        std::fs::create_dir_all(dumps).unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = dumps.join("chromedriver.log");
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cannot start chromedriver");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        while agent.get(format!("{base}/status")).call().is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not answer on port {port} within 30 s; see {}",
                log.display()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        // Without these switches Chromium keeps trying to reach Google's services, which on a
        // closed network floods the log with refused connections and slows every page.
        let args = [
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--hide-scrollbars".into(),
            "--mute-audio".into(),
            format!("--window-size={width},{height}"),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args},
        }}});
        let mut browser = Browser {
            driver,
            session: String::new(),
            agent,
            _profile: profile,
            dumps: dumps.to_path_buf(),
        };
        let answer = browser.call("POST", &format!("{base}/session"), Some(caps));
        let id = answer["sessionId"]
            .as_str()
            .unwrap_or_else(|| {
                panic!(
                    "chromedriver started no session: {answer}; see {}",
                    log.display()
                )
            })
            .to_string();
        browser.session = format!("{base}/session/{id}");
        browser
    }

    /// One WebDriver command; its `value`, or a panic naming the command and the error.
    fn call(&self, method: &str, url: &str, body: Option<Value>) -> Value {
        let request = ureq::http::Request::builder()
            .method(method)
            .uri(url)
            .header("content-type", "application/json");
        let request = request
            .body(body.map(|b| b.to_string()).unwrap_or_default())
            .unwrap();
        let mut response = self
            .agent
            .run(request)
            .unwrap_or_else(|e| panic!("WebDriver {method} {url}: {e}"));
        let text = response.body_mut().read_to_string().unwrap_or_default();
        let mut answer: Value = serde_json::from_str(&text)
            .unwrap_or_else(|_| panic!("WebDriver {method} {url} answered {text:?}"));
        let value = answer["value"].take();
        if response.status().as_u16() != 200 {
            panic!(
                "WebDriver {method} {url} failed ({}): {} — {}",
                response.status(),
                value["error"],
                value["message"]
            );
        }
        value
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.call(method, &format!("{}{path}", self.session), body)
    }

    pub fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    pub fn url(&self) -> String {
        self.cmd("GET", "/url", None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    pub fn source(&self) -> String {
        self.cmd("GET", "/source", None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// Runs `script` (a function body; `arguments[i]` are `args`) and returns what it returns.
    pub fn script(&self, script: &str, args: Vec<Value>) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// The first element matching `css`, waiting up to 10 s for it to appear.
    pub fn find(&self, css: &str) -> Element {
        self.wait(&format!("an element matching `{css}`"), 10, || {
            self.try_find(css)
        })
    }

    /// The first element matching `css` now, if any.
    pub fn try_find(&self, css: &str) -> Option<Element> {
        let found = self.script(
            "return document.querySelector(arguments[0]);",
            vec![json!(css)],
        );
        found[ELEMENT].as_str().map(|id| Element(id.to_string()))
    }

    /// An element as a script argument.
    pub fn arg(e: &Element) -> Value {
        json!({ ELEMENT: e.0 })
    }

    pub fn click(&self, e: &Element) {
        self.cmd("POST", &format!("/element/{}/click", e.0), Some(json!({})));
    }

    pub fn type_text(&self, e: &Element, text: &str) {
        self.cmd(
            "POST",
            &format!("/element/{}/value", e.0),
            Some(json!({ "text": text })),
        );
    }

    /// Presses and releases `key` as a person would (WebDriver actions), on whatever has focus.
    pub fn press(&self, key: &str) {
        let actions = json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": [
            { "type": "keyDown", "value": key }, { "type": "keyUp", "value": key }
        ]}]});
        self.cmd("POST", "/actions", Some(actions));
    }

    pub fn text(&self, e: &Element) -> String {
        self.cmd("GET", &format!("/element/{}/text", e.0), None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    pub fn attribute(&self, e: &Element, name: &str) -> Option<String> {
        self.cmd("GET", &format!("/element/{}/attribute/{name}", e.0), None)
            .as_str()
            .map(str::to_string)
    }

    /// Polls `probe` every 100 ms until it gives a value; after `seconds` fails with `what`.
    pub fn wait<T>(&self, what: &str, seconds: u64, mut probe: impl FnMut() -> Option<T>) -> T {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        loop {
            if let Some(v) = probe() {
                return v;
            }
            if Instant::now() > deadline {
                self.fail(&format!("waited {seconds} s for {what}"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Saves the viewport as a PNG.
    pub fn screenshot(&self, png: &Path) {
        let data = self.cmd("GET", "/screenshot", None);
        let bytes = base64_decode(data.as_str().expect("screenshot answer is not text"));
        std::fs::write(png, bytes).unwrap();
    }

    /// Saves the whole page (not only the viewport) as a PNG `width` CSS pixels wide: the
    /// window is made as tall as the page first.
    pub fn full_screenshot(&self, width: u32, png: &Path) {
        let height = self
            .script(
                "return Math.ceil(document.documentElement.scrollHeight);",
                vec![],
            )
            .as_u64()
            .unwrap_or(900) as u32;
        self.cmd(
            "POST",
            "/window/rect",
            Some(json!({ "width": width, "height": height.max(600) })),
        );
        self.screenshot(png);
    }

    /// Saves the page source and a screenshot, then panics with `message` and both paths.
    pub fn fail(&self, message: &str) -> ! {
        let n = std::process::id();
        let html = self.dumps.join(format!("failure-{n}.html"));
        let png = self.dumps.join(format!("failure-{n}.png"));
        let _ = std::fs::write(&html, self.source());
        self.screenshot(&png);
        panic!(
            "{message}\n  page: {}\n  source: {}\n  screenshot: {}",
            self.url(),
            html.display(),
            png.display()
        );
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.agent.delete(&self.session).call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .expect("screenshot is not base64")
}
