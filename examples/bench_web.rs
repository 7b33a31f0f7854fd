//! How fast the review app answers, printed as figures (never asserted): the campaign's calls
//! page with 1,000 calls, its review queue, and one call's page, each requested REQUESTS
//! times by a logged-in supervisor from `callgrade serve` (the built binary) over loopback.
//! The time is from sending the request to the last byte of the page, so it bounds the server's
//! time from above.
//!
//! The 1,000-call campaign is made by the real pipeline (tiny.en, English rubric): the bundled
//! demo calls are first scored once as campaign `seed`, which stores their transcripts; then a
//! manifest lists 1,000 hard links to them (copies where links fail) under distinct names,
//! because a manifest refuses a file listed twice. Transcripts are cached by the audio's hash,
//! so the second run transcribes nothing and only measures, scores and stores each call.
//!
//!   cargo run --release --example bench_web [-- --calls N --requests N]   (`make bench`)

use callgrade::pipeline::{self, FileScope, Manifest, RunOptions};
use callgrade::score::{Rubric, Scenarios};
use callgrade::store::{Role, Store};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "bench password 1";

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() -> anyhow::Result<()> {
    let calls = arg("--calls", 1000);
    let requests = arg("--requests", 50);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bin = root.join("target/release/callgrade");
    anyhow::ensure!(
        bin.is_file(),
        "{} is missing: build it first (cargo build --release)",
        bin.display()
    );
    let model = callgrade::model::models_dir().join("ggml-tiny.en.bin");
    anyhow::ensure!(
        model.is_file(),
        "{} is missing: run `make models` first",
        model.display()
    );
    println!("machine: {}", machine());
    println!("load average before: {}", load());

    let dir = tempfile::tempdir()?;
    let db = dir.path().join("bench.db");
    let demo = root.join("recordings/demo");
    let seed = Manifest::load(&demo.join("manifest.csv"), FileScope::ManifestFolder)?;
    let rubric = Rubric::load(&root.join("rubrics/courtesy-en.toml"))?;
    let scenarios = Scenarios::load_dir(&root.join("rubrics/scenarios"))?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let opts = |campaign: &str| RunOptions {
        campaign: campaign.into(),
        rubric: rubric.clone(),
        scenarios: scenarios.clone(),
        model_path: model.clone(),
        model_name: "tiny.en".into(),
        jobs: 1,
        threads_per_job: cores,
        force: false,
        audio: Default::default(),
        transcribe: Default::default(),
    };
    let mut store = Store::open(&db)?;
    let s = pipeline::run(&mut store, &seed, &opts("seed"), &|_| {})?;
    println!(
        "seed: {} demo calls, {} transcribed, in {:.1} s",
        seed.rows.len(),
        s.transcribed,
        s.wall_seconds
    );

    let big = many_calls(&demo, &dir.path().join("calls"), calls)?;
    let manifest = Manifest::load(&big, FileScope::ManifestFolder)?;
    let s = pipeline::run(&mut store, &manifest, &opts("bench"), &|_| {})?;
    println!(
        "campaign `bench`: {} calls scored ({} transcribed, the rest from the cache) in {:.1} s",
        s.scored, s.transcribed, s.wall_seconds
    );
    let hash = callgrade::web::password::hash(PASSWORD)?;
    store.add_user("bench", Role::Supervisor, &hash)?;
    let call = store
        .campaign_calls("bench", None)?
        .first()
        .map(|c| c.id)
        .ok_or_else(|| anyhow::anyhow!("campaign `bench` has no calls"))?;
    drop(store);

    let mut server = Command::new(&bin)
        .args(["serve", "--port", "0", "--db"])
        .arg(&db)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()?;
    let mut line = String::new();
    std::io::BufReader::new(server.stdout.take().unwrap()).read_line(&mut line)?;
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .map(|u| u.trim_end_matches('/').to_string());
    let result = base
        .ok_or_else(|| anyhow::anyhow!("callgrade serve printed no URL: {line:?}"))
        .and_then(|base| measure(&base, calls, call, requests));
    let _ = server.kill();
    let _ = server.wait();
    result?;
    println!("load average after: {}", load());
    Ok(())
}

/// A manifest of `n` hard links (or copies) to the demo recordings, named `NNNN-FILE`.
fn many_calls(demo: &Path, dir: &Path, n: usize) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let text = std::fs::read_to_string(demo.join("manifest.csv"))?;
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header = lines.next().unwrap_or_default();
    let rows: Vec<&str> = lines.collect();
    let mut out = vec![header.to_string()];
    for i in 0..n {
        let row = rows[i % rows.len()];
        let (file, rest) = row.split_once(',').unwrap_or((row, ""));
        let name = format!("{i:04}-{file}");
        let target = dir.join(&name);
        if std::fs::hard_link(demo.join(file), &target).is_err() {
            std::fs::copy(demo.join(file), &target)?;
        }
        out.push(format!("{name},{rest}"));
    }
    let path = dir.join("manifest.csv");
    std::fs::write(&path, out.join("\n") + "\n")?;
    Ok(path)
}

fn measure(base: &str, calls: usize, call: i64, requests: usize) -> anyhow::Result<()> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();
    let session = log_in(&agent, base)?;
    println!(
        "\nserver time per page, {requests} requests each after 3 unmeasured, ms (median / p95 / max):"
    );
    for (what, path) in [
        (
            format!("campaign calls page, {calls} calls"),
            "/campaigns/bench/calls".to_string(),
        ),
        (
            format!("review queue, {calls} calls"),
            "/campaigns/bench/queue".to_string(),
        ),
        ("one call's page".to_string(), format!("/calls/{call}")),
    ] {
        let get = || -> anyhow::Result<(Duration, usize)> {
            let start = Instant::now();
            let mut r = agent
                .get(format!("{base}{path}"))
                .header("cookie", format!("callgrade_session={session}"))
                .call()?;
            let body = r.body_mut().with_config().limit(64 << 20).read_to_vec()?;
            anyhow::ensure!(r.status() == 200, "GET {path}: {}", r.status());
            Ok((start.elapsed(), body.len()))
        };
        for _ in 0..3 {
            get()?;
        }
        let mut times = Vec::with_capacity(requests);
        let mut size = 0;
        for _ in 0..requests {
            let (t, n) = get()?;
            times.push(t.as_secs_f64() * 1000.0);
            size = n;
        }
        times.sort_by(|a, b| a.total_cmp(b));
        let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
        println!(
            "  {what:<34} {:>7.1} / {:>7.1} / {:>7.1}   ({} KiB)",
            at(0.5),
            at(0.95),
            times[times.len() - 1],
            size / 1024
        );
    }
    Ok(())
}

/// Logs in through the form (its token and cookie first) and returns the session token.
fn log_in(agent: &ureq::Agent, base: &str) -> anyhow::Result<String> {
    let mut form = agent.get(format!("{base}/login")).call()?;
    let login_cookie = cookie(form.headers(), "callgrade_login")
        .ok_or_else(|| anyhow::anyhow!("GET /login set no cookie"))?;
    let page = form.body_mut().read_to_string()?;
    let marker = r#"name="csrf" value=""#;
    let token = page
        .find(marker)
        .and_then(|at| page[at + marker.len()..].split('"').next())
        .ok_or_else(|| anyhow::anyhow!("the login form has no csrf field"))?;
    let reply = agent
        .post(format!("{base}/login"))
        .header("cookie", format!("callgrade_login={login_cookie}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .send(format!(
            "csrf={token}&username=bench&password={}",
            PASSWORD.replace(' ', "+")
        ))?;
    cookie(reply.headers(), "callgrade_session")
        .ok_or_else(|| anyhow::anyhow!("login refused ({})", reply.status()))
}

fn cookie(headers: &ureq::http::HeaderMap, name: &str) -> Option<String> {
    headers.get_all("set-cookie").iter().find_map(|v| {
        let (k, rest) = v.to_str().ok()?.split_once('=')?;
        (k == name && !rest.starts_with(';')).then(|| rest.split(';').next().unwrap_or("").into())
    })
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_default();
    format!("{cores} cores, {model}")
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}
