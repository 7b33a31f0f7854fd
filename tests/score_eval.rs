//! Scoring agreement on clean transcripts: each bundled demo call's transcript is rebuilt from
//! its script (`lines.tsv`: exactly what was said, by whom, when), its audio facts are measured
//! from the recording, and the scorer must fail exactly the criteria the call was built to fail
//! (`fails` in `expected.toml`). This checks the scoring logic and the audio facts, not
//! Whisper: `demo_golden` checks what the whole pipeline makes of the same calls.

mod common;

use callgrade::audio::{self, AudioSettings, Speaker};
use callgrade::score::{Rubric, Scenarios, score_call};
use callgrade::transcribe::Segment;
use common::demo;
use std::collections::BTreeSet;

#[test]
fn verdicts_on_the_demo_scripts_are_the_faults_built_in() {
    let scenarios = Scenarios::load_dir(&common::repo().join("rubrics/scenarios")).unwrap();
    let (mut agree, mut total, mut misses) = (0, 0, Vec::new());
    for set in demo::SETS {
        let expected = demo::expected(set);
        let rubric = Rubric::load(&common::repo().join(&expected.rubric)).unwrap();
        let manifest = demo::manifest(set);
        for call in &expected.call {
            let row = demo::row(&manifest, &call.file);
            // A mono recording's transcript does not know who spoke; a stereo one does.
            let speaker = |who: &str| match (demo::is_stereo(row), who) {
                (false, _) => Speaker::Unknown,
                (true, "staff") => Speaker::Staff,
                (true, _) => Speaker::Caller,
            };
            let segments: Vec<Segment> = demo::lines_of(set, &call.file)
                .into_iter()
                .map(|l| Segment {
                    speaker: speaker(&l.speaker),
                    start: l.start,
                    end: l.end,
                    text: l.text,
                    invented: false,
                    tokens: Vec::new(),
                })
                .collect();
            let facts = audio::load(
                &row.path,
                row.staff_channel,
                &AudioSettings::default(),
                common::speech_finder(),
            )
            .unwrap_or_else(|e| panic!("{e}"))
            .facts;
            let score = score_call(
                &rubric,
                scenarios.get(&row.scenario),
                &segments,
                &facts,
                Some(&row.staff),
            );
            let want: BTreeSet<&str> = call.fails.iter().map(String::as_str).collect();
            for c in &score.criteria {
                let failed = c.verdict.failed();
                total += 1;
                if failed == want.contains(c.id.as_str()) {
                    agree += 1;
                } else {
                    misses.push(format!(
                        "{set}/{} {}: built to {}, scored {} — {}",
                        call.file,
                        c.id,
                        if failed { "pass" } else { "fail" },
                        if failed { "failed" } else { "passed" },
                        c.reason
                    ));
                }
            }
            let unknown: Vec<&&str> = want
                .iter()
                .filter(|id| !score.criteria.iter().any(|c| c.id == **id))
                .collect();
            assert!(
                unknown.is_empty(),
                "{set}/{}: no criterion {unknown:?}",
                call.file
            );
        }
    }
    eprintln!("{agree}/{total} verdicts agree");
    assert!(total >= 16 * 10, "only {total} verdicts");
    assert!(misses.is_empty(), "{misses:#?}");
}
