//! The HTML report as a browser draws it: headless Chromium (Debian package `chromium`) renders
//! a report built by the real pipeline, and the screenshot must show text and the charts'
//! colours, not a blank or broken page. With CALLGRADE_UPDATE_SCREENSHOT=1 the screenshot is
//! also saved as docs/report-screenshot.png.

mod common;

use common::{callgrade, repo, run_args, workspace};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> PathBuf {
    let path = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        path.is_file(),
        "{} is missing: install it with `apt-get install -y chromium fonts-wqy-microhei` (or set CHROMIUM to a Chromium binary)",
        path.display()
    );
    path
}

/// Renders `html` at A4 proportions (1240×1754 px) into `png`.
fn screenshot(html: &Path, png: &Path) {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--window-size=1240,1754",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success() && png.is_file(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Width, height and RGB pixels of a PNG.
fn pixels(png: &Path) -> (u32, u32, Vec<[u8; 3]>) {
    let file = std::io::BufReader::new(std::fs::File::open(png).unwrap());
    let mut decoder = png::Decoder::new(file);
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = match info.color_type {
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        other => panic!("unexpected colour type {other:?}"),
    };
    let rgb = buf[..info.line_size * info.height as usize]
        .chunks_exact(channels)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    (info.width, info.height, rgb)
}

#[test]
fn chromium_renders_the_report_with_text_and_charts() {
    let (dir, manifest) = workspace(2, &[]);
    let db = dir.path().join("t.db");
    let out = callgrade().args(run_args(&manifest, &db)).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    // A second campaign from the same audio (cached transcripts) gives the trend chart a line.
    let earlier = std::fs::read_to_string(&manifest)
        .unwrap()
        .replace("2026-10-", "2026-07-");
    let q3 = dir.path().join("q3.csv");
    std::fs::write(&q3, earlier).unwrap();
    let mut args = run_args(&q3, &db);
    let at = args.iter().position(|a| a == "2026Q4").unwrap();
    args[at] = "2026Q3".into();
    assert!(callgrade().args(&args).status().unwrap().success());

    let html = dir.path().join("report.html");
    let out = callgrade()
        .args(["export", "--campaign", "2026Q4", "--format", "html", "--db"])
        .arg(&db)
        .arg("--out")
        .arg(&html)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");

    let png = dir.path().join("report.png");
    screenshot(&html, &png);
    let (w, h, px) = pixels(&png);
    assert_eq!((w, h), (1240, 1754));
    let ink = px.iter().filter(|p| p.iter().any(|c| *c < 200)).count();
    let colours: HashSet<[u8; 3]> = px.iter().copied().collect();
    let share = ink as f64 / px.len() as f64;
    eprintln!(
        "screenshot: {:.1}% ink, {} distinct colours",
        share * 100.0,
        colours.len()
    );
    assert!(
        share > 0.03,
        "the page is nearly blank: {:.2}% ink",
        share * 100.0
    );
    assert!(
        colours.len() > 100,
        "only {} colours: no text or charts",
        colours.len()
    );
    // The charts' fills (blue bars, orange failure bars) are drawn, not left out.
    let near = |p: &[u8; 3], q: [u8; 3]| p.iter().zip(q).all(|(a, b)| a.abs_diff(b) < 12);
    for (name, rgb) in [("blue", [0x00, 0x72, 0xB2]), ("orange", [0xD5, 0x5E, 0x00])] {
        let n = px.iter().filter(|p| near(p, rgb)).count();
        eprintln!("{name} chart fill: {n} pixels");
        assert!(n > 500, "{name} chart fill: {n} pixels");
    }

    if std::env::var_os("CALLGRADE_UPDATE_SCREENSHOT").is_some() {
        let docs = repo().join("docs/report-screenshot.png");
        std::fs::copy(&png, &docs).unwrap();
        assert!(std::fs::metadata(&docs).unwrap().len() < 500_000);
    }
}
