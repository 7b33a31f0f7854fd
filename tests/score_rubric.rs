//! Rubric and scenario files: the shipped defaults load, and broken files are rejected with
//! `file:line:column: message` errors a rubric author can act on.

use callgrade::score::{Check, Language, Rubric, Scenario, Scenarios, ScoreFileError};
use std::path::Path;

const HEADER: &str = r#"[rubric]
id = "t"
title = "T"
language = "zh"
scale_to = 100

[[grade]]
name = "A"
min = 80

[[grade]]
name = "B"
min = 0
"#;

fn parse(body: &str) -> Result<Rubric, ScoreFileError> {
    Rubric::parse(&format!("{HEADER}{body}"), "t.toml")
}

/// (line, column, message) of an error, or a panic naming what was wrong.
fn located(r: Result<Rubric, ScoreFileError>) -> (usize, usize, String) {
    match r {
        Err(ScoreFileError::Invalid {
            path,
            line,
            column,
            message,
        }) => {
            assert_eq!(path, "t.toml");
            (line, column, message)
        }
        other => panic!("expected a located error, got {other:?}"),
    }
}

#[test]
fn shipped_rubrics_and_scenarios_load() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let zh = Rubric::load(&root.join("rubrics/courtesy-zh-TW.toml")).unwrap();
    assert_eq!(zh.language, Language::Zh);
    assert_eq!(zh.raw_max(), 55.0);
    assert_eq!(zh.scale_to, Some(100.0));
    assert_eq!(zh.sha256.len(), 64);
    let en = Rubric::load(&root.join("rubrics/courtesy-en.toml")).unwrap();
    assert_eq!(en.language, Language::En);
    assert_eq!(en.raw_max(), 55.0);
    let ids: Vec<&str> = zh.criteria.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        en.criteria
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>()
    );
    let sc = Scenarios::load_dir(&root.join("rubrics/scenarios")).unwrap();
    for id in [
        "service-hours",
        "subsidy-documents",
        "developmental-assessment",
        "parenting-classes",
    ] {
        let s = sc
            .get(id)
            .unwrap_or_else(|| panic!("scenario {id} missing"));
        assert!(s.points.iter().any(|p| p.required));
        assert_eq!(s.caller_script.len(), 2);
    }
    assert!(sc.key_terms("service-hours").contains(&"8:30".to_string()));
}

#[test]
fn sha256_follows_the_bytes() {
    let a = parse("[[criterion]]\nid = \"a\"\ntitle = \"A\"\ncategory = \"c\"\npoints = 1\ncheck = \"accuracy\"\n").unwrap();
    let b = parse("[[criterion]]\nid = \"a\"\ntitle = \"A \"\ncategory = \"c\"\npoints = 1\ncheck = \"accuracy\"\n").unwrap();
    assert_ne!(a.sha256, b.sha256);
    assert!(matches!(a.criteria[0].check, Check::Accuracy));
}

#[test]
fn unknown_check_points_at_the_value() {
    let (line, col, msg) = located(parse(
        "\n[[criterion]]\nid = \"a\"\ntitle = \"A\"\ncategory = \"c\"\npoints = 1\ncheck = \"greet\"\n",
    ));
    assert_eq!((line, col), (20, 9), "{msg}");
    assert!(msg.contains("unknown check \"greet\""), "{msg}");
    assert!(
        msg.contains("phrase"),
        "message lists the valid checks: {msg}"
    );
}

#[test]
fn missing_key_names_the_key_and_criterion() {
    let (line, _, msg) = located(parse(
        "\n[[criterion]]\nid = \"greeting\"\ntitle = \"A\"\ncategory = \"c\"\npoints = 1\ncheck = \"phrase\"\nwithin_seconds = 5\n",
    ));
    assert!(
        msg.contains("needs `any`") && msg.contains("greeting"),
        "{msg}"
    );
    assert!((14..=19).contains(&line), "line {line}");
    let (_, _, msg) = located(parse(
        "[[criterion]]\nid = \"h\"\ntitle = \"A\"\ncategory = \"c\"\npoints = 1\ncheck = \"hold\"\nannounce = [\"請稍候\"]\n",
    ));
    assert!(msg.contains("max_silence_seconds"), "{msg}");
    let (_, _, msg) = located(parse(
        "[[criterion]]\nid = \"p\"\ntitle = \"A\"\ncategory = \"c\"\npoints = 1\ncheck = \"pickup\"\n",
    ));
    assert!(msg.contains("max_rings"), "{msg}");
}

#[test]
fn key_of_another_check_is_rejected() {
    let (_, _, msg) = located(parse(
        "[[criterion]]\nid = \"p\"\ntitle = \"A\"\ncategory = \"c\"\npoints = 1\ncheck = \"pickup\"\nmax_rings = 3\nany = [\"x\"]\n",
    ));
    assert!(msg.contains("`any` does not apply"), "{msg}");
}

#[test]
fn duplicate_criterion_id_points_at_the_second() {
    let c = |id: &str| {
        format!(
            "[[criterion]]\nid = \"{id}\"\ntitle = \"A\"\ncategory = \"c\"\npoints = 1\ncheck = \"accuracy\"\n"
        )
    };
    let (line, col, msg) = located(parse(&format!("{}{}", c("x"), c("x"))));
    assert_eq!((line, col), (21, 6), "{msg}");
    assert!(msg.contains("duplicate criterion id \"x\""), "{msg}");
}

#[test]
fn bad_toml_is_located() {
    let (line, _, msg) = located(parse("[[criterion]]\nid = = \"a\"\n"));
    assert_eq!(line, 15, "{msg}");
    let (line, _, msg) = located(parse(
        "[[criterion]]\nid = \"a\"\ntitle = \"A\"\ncategory = \"c\"\npoints = \"many\"\ncheck = \"accuracy\"\n",
    ));
    assert_eq!(line, 18, "{msg}");
}

#[test]
fn unknown_field_is_rejected() {
    let (_, _, msg) = located(parse(
        "[[criterion]]\nid = \"a\"\ntitle = \"A\"\ncategory = \"c\"\npoints = 1\ncheck = \"phrase\"\nany = [\"您好\"]\nwithin_second = 5\n",
    ));
    assert!(msg.contains("within_second"), "{msg}");
}

#[test]
fn grades_must_descend_and_language_must_be_known() {
    let text = HEADER.replace("min = 0", "min = 85")
        + "[[criterion]]\nid = \"a\"\ntitle = \"A\"\ncategory = \"c\"\npoints = 1\ncheck = \"accuracy\"\n";
    let (line, col, msg) = located(Rubric::parse(&text, "t.toml"));
    assert_eq!((line, col), (13, 7), "{msg}");
    assert!(msg.contains("highest first"), "{msg}");
    let text = HEADER.replace("\"zh\"", "\"fr\"")
        + "[[criterion]]\nid = \"a\"\ntitle = \"A\"\ncategory = \"c\"\npoints = 1\ncheck = \"accuracy\"\n";
    let (line, col, msg) = located(Rubric::parse(&text, "t.toml"));
    assert_eq!((line, col), (4, 12), "{msg}");
    assert!(msg.contains("unknown language"), "{msg}");
}

#[test]
fn thresholds_are_checked() {
    let text = HEADER.replace("scale_to = 100", "scale_to = 100\nmatch_threshold = 1.5")
        + "[[criterion]]\nid = \"a\"\ntitle = \"A\"\ncategory = \"c\"\npoints = 1\ncheck = \"accuracy\"\n";
    let (_, _, msg) = located(Rubric::parse(&text, "t.toml"));
    assert!(msg.contains("match_threshold"), "{msg}");
    let text = HEADER.replace("scale_to = 100", "scale_to = 100\nmatch_threshold = 0.9")
        + "[[criterion]]\nid = \"a\"\ntitle = \"A\"\ncategory = \"c\"\npoints = 1\ncheck = \"accuracy\"\n";
    assert_eq!(
        Rubric::parse(&text, "t.toml").unwrap().matching.threshold,
        0.9
    );
}

#[test]
fn scenario_errors_are_located() {
    let err = Scenario::parse(
        "id = \"s\"\ntitle = \"S\"\n[[point]]\nid = \"a\"\nsay = [\"x\"]\n[[point]]\nid = \"a\"\nsay = [\"y\"]\n",
        "s.toml",
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("s.toml:7:6: duplicate point id"), "{text}");
    let err = Scenario::parse(
        "id = \"s\"\ntitle = \"S\"\n[[point]]\nid = \"a\"\n",
        "s.toml",
    )
    .unwrap_err();
    assert!(err.to_string().contains("no `say` phrases"), "{err}");
    let ok = Scenario::parse(
        "id = \"s\"\ntitle = \"S\"\ncaller_script = \"您好\"\n[[point]]\nid = \"a\"\nsay = [\"x\"]\n",
        "s.toml",
    )
    .unwrap();
    assert_eq!(ok.caller_script.len(), 1);
    assert!(
        ok.points[0].required,
        "points are required unless marked otherwise"
    );
}

#[test]
fn missing_files_name_the_path() {
    let err = Rubric::load(Path::new("/nonexistent/rubric.toml")).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("/nonexistent/rubric.toml: cannot read"),
        "{err}"
    );
    let err = Scenarios::load_dir(Path::new("/nonexistent/scenarios")).unwrap_err();
    assert!(err.to_string().contains("/nonexistent/scenarios"), "{err}");
}

#[test]
fn non_finite_and_negative_numbers_are_refused_where_written() {
    let pickup = |points: &str, extra: &str| {
        parse(&format!(
            "\n[[criterion]]\nid = \"p\"\ntitle = \"P\"\ncategory = \"c\"\npoints = {points}\ncheck = \"pickup\"\nmax_rings = 3\n{extra}"
        ))
    };
    for (points, extra, key) in [
        ("nan", "", "points"),
        ("-1", "", "points"),
        ("3", "max_seconds = -5\n", "max_seconds"),
        ("3", "max_seconds = inf\n", "max_seconds"),
    ] {
        let (line, _, message) = located(pickup(points, extra));
        assert!(message.contains(&format!("`{key}`")), "{key}: {message}");
        assert!(message.contains("finite"), "{key}: {message}");
        let text = format!(
            "{HEADER}\n[[criterion]]\nid = \"p\"\ntitle = \"P\"\ncategory = \"c\"\npoints = {points}\ncheck = \"pickup\"\nmax_rings = 3\n{extra}"
        );
        let at = text.lines().nth(line - 1).unwrap();
        assert!(at.starts_with(key), "{key}: line {line} is {at:?}");
    }
    let hold = |v: &str| {
        parse(&format!(
            "\n[[criterion]]\nid = \"h\"\ntitle = \"H\"\ncategory = \"c\"\npoints = 3\ncheck = \"hold\"\nmax_silence_seconds = {v}\nannounce = [\"please hold\"]\n"
        ))
    };
    assert!(located(hold("-1")).2.contains("max_silence_seconds"));
    assert!(located(hold("nan")).2.contains("max_silence_seconds"));
    let phrase = |k: &str, v: &str| {
        parse(&format!(
            "\n[[criterion]]\nid = \"g\"\ntitle = \"G\"\ncategory = \"c\"\npoints = 3\ncheck = \"phrase\"\nany = [\"hello\"]\n{k} = {v}\n"
        ))
    };
    assert!(
        located(phrase("within_seconds", "-15"))
            .2
            .contains("within_seconds")
    );
    assert!(
        located(phrase("last_seconds", "-inf"))
            .2
            .contains("last_seconds")
    );
    assert!(phrase("within_seconds", "15").is_ok());
}

#[test]
fn header_and_grade_numbers_must_be_finite() {
    let body = "\n[[criterion]]\nid = \"p\"\ntitle = \"P\"\ncategory = \"c\"\npoints = 3\ncheck = \"pickup\"\nmax_rings = 3\n";
    for (from, to, key) in [
        ("scale_to = 100", "scale_to = inf", "scale_to"),
        ("scale_to = 100", "scale_to = nan", "scale_to"),
        (
            "scale_to = 100",
            "scale_to = 100\npass_mark = nan",
            "pass_mark",
        ),
        (
            "scale_to = 100",
            "scale_to = 100\nannounce_lookback_seconds = nan",
            "announce_lookback_seconds",
        ),
        ("min = 80", "min = nan", "`min`"),
        ("min = 0", "min = -inf", "`min`"),
    ] {
        let text = format!("{HEADER}{body}").replacen(from, to, 1);
        let (line, _, message) = located(Rubric::parse(&text, "t.toml"));
        assert!(message.contains(key), "{to}: {message}");
        let at = text.lines().nth(line - 1).unwrap();
        assert!(
            at.contains(key.trim_matches('`')),
            "{to}: line {line} is {at:?}"
        );
    }
}
