//! Scoring must stay cheap enough to re-score a whole archive: 10,000 calls well under 10 s
//! in a release build.

use callgrade::audio::{AudioFacts, Speaker, SpeechRegion};
use callgrade::score::{Rubric, Scenarios, score_call};
use callgrade::transcribe::Segment;
use std::path::Path;
use std::time::Instant;

fn call(lines: &[&str]) -> (Vec<Segment>, AudioFacts) {
    let mut t = 6.0;
    let mut segs = Vec::new();
    let mut speech = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let d = 2.0 + l.chars().count() as f64 * 0.05;
        if i == 3 {
            t += 12.0;
        }
        segs.push(Segment {
            speaker: Speaker::Unknown,
            start: t,
            end: t + d,
            text: l.to_string(),
            invented: false,
        });
        speech.push(SpeechRegion {
            start: t,
            end: t + d,
            speaker: Speaker::Unknown,
        });
        t += d + 1.0;
    }
    let audio = AudioFacts {
        duration: t,
        channels: 1,
        source_rate: 8000,
        rings: 2,
        ringback: vec![],
        speech,
        first_staff_speech: Some(6.0),
    };
    (segs, audio)
}

#[test]
fn ten_thousand_calls_score_quickly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let zh = Rubric::load(&root.join("rubrics/courtesy-zh-TW.toml")).unwrap();
    let en = Rubric::load(&root.join("rubrics/courtesy-en.toml")).unwrap();
    let sc = Scenarios::load_dir(&root.join("rubrics/scenarios")).unwrap();
    let zh_call = call(&[
        "高雄市兒童福利服務中心您好，敝姓林，很高興為您服務。",
        "您好，我想申請托育補助，請問要準備哪些文件？",
        "好的，請問您貴姓？請您稍候，我幫您查一下。",
        "讓您久等了，要帶申請表、身分證影本跟存摺影本。",
        "如果還有問題歡迎再來電，謝謝您的來電，再見。",
        "好的謝謝。",
    ]);
    let en_call = call(&[
        "Good morning, Children's Welfare Service Center, this is Chen speaking.",
        "Hi, I'd like to apply for the childcare subsidy. What documents do I need?",
        "Sure, may I have your name please? One moment, let me check.",
        "Thank you for waiting. Please bring the application form, your ID card and a copy of your bank book.",
        "Thank you for calling, goodbye.",
        "Bye.",
    ]);
    let s = sc.get("subsidy-documents");
    // Warm up once-per-process tables (Simplified→Traditional dictionaries).
    let _ = score_call(&zh, s, &zh_call.0, &zh_call.1, Some("林"));
    let n = if cfg!(debug_assertions) { 500 } else { 10_000 };
    let t0 = Instant::now();
    let mut total = 0.0;
    for i in 0..n {
        let sc = if i % 2 == 0 {
            score_call(&zh, s, &zh_call.0, &zh_call.1, Some("林"))
        } else {
            score_call(&en, s, &en_call.0, &en_call.1, Some("Chen"))
        };
        total += sc.score;
    }
    let secs = t0.elapsed().as_secs_f64();
    eprintln!(
        "{n} calls scored in {secs:.2} s (mean score {:.1})",
        total / n as f64
    );
    assert!(
        total / n as f64 > 90.0,
        "both sample calls are near-perfect"
    );
    if !cfg!(debug_assertions) {
        assert!(secs < 10.0, "10,000 calls took {secs:.2} s");
    }
}
