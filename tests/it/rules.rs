//! The lint layer through the real binary: every rule on its fixture and its near miss, the
//! configuration file and its errors, `--rule`, `--deny-warnings`, `connlint rules`, the
//! registry, and the README's rules table.

use std::path::PathBuf;

use predicates::prelude::*;

use crate::support::{
    check_json, check_json_in, connlint, connlint_in, fixture, parse_json, repo, JsonRun,
};

/// miette wraps messages to the terminal width behind `│` gutters: join them back into one
/// line of words so a test can look for a phrase wherever the wrap fell.
fn flat(text: &str) -> String {
    text.split_whitespace()
        .filter(|word| *word != "│")
        .collect::<Vec<_>>()
        .join(" ")
}

/// A predicate on stderr: contains `phrase`, however miette wrapped it.
fn says(phrase: &'static str) -> impl Predicate<[u8]> {
    predicate::function(move |stderr: &[u8]| {
        flat(&String::from_utf8_lossy(stderr)).contains(phrase)
    })
}

/// (code, line, column) of every diagnostic, in report order.
fn positions(run: &JsonRun) -> Vec<(String, u64, u64)> {
    run.diagnostics()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().expect("code").to_string(),
                d["line"].as_u64().expect("line"),
                d["column"].as_u64().expect("column"),
            )
        })
        .collect()
}

/// A rule's short name: `lint::unknown-key` → `unknown-key`.
fn short(code: &str) -> &str {
    code.strip_prefix("lint::").expect("lint:: prefix")
}

/// A diagnostic's code and 1-based start line and column.
type At = (&'static str, u64, u64);

/// Everything each rule's fixture must produce, exactly.
const EXPECTED: &[(&str, &[At])] = &[
    ("lint::duplicate-item", &[("lint::duplicate-item", 4, 56)]),
    ("lint::duplicate-key", &[("lint::duplicate-key", 8, 5)]),
    ("lint::empty-list", &[("lint::empty-list", 4, 18)]),
    (
        "lint::permission-category",
        &[("lint::permission-category", 4, 39)],
    ),
    (
        "lint::plaintext-secret",
        &[("lint::plaintext-secret", 7, 22)],
    ),
    // Only the rule's finding: it replaces `schema::enum` at the same place.
    (
        "lint::removed-permission",
        &[("lint::removed-permission", 4, 39)],
    ),
    // The camelCase key is also why the required wire name is missing.
    (
        "lint::sdk-casing",
        &[
            ("schema::required", 1, 1),
            ("lint::sdk-casing", 2, 3),
            ("lint::sdk-casing", 7, 5),
        ],
    ),
    ("lint::timestamp-order", &[("lint::timestamp-order", 6, 17)]),
    (
        "lint::unknown-key",
        &[("lint::unknown-key", 5, 3), ("lint::unknown-key", 7, 5)],
    ),
];

/// Turns on the one rule that is off by default, so every rule can be seen.
const ALL_ON: &[&str] = &["--rule", "lint::plaintext-secret=warning"];

#[test]
fn each_rule_fires_on_its_fixture_at_the_right_place() {
    for (code, expected) in EXPECTED {
        let fixture = format!("fixtures/invalid/lint-{}.json", short(code));
        let mut args = ALL_ON.to_vec();
        args.push(&fixture);
        let run = check_json(&args);
        let found = positions(&run);
        let expected: Vec<(String, u64, u64)> = expected
            .iter()
            .map(|(c, l, col)| (c.to_string(), *l, *col))
            .collect();
        assert_eq!(found, expected, "{fixture}");
        let rule_help = run
            .diagnostics()
            .iter()
            .filter(|d| d["code"] == *code)
            .all(|d| d["help"].as_str().is_some_and(|h| !h.is_empty()));
        assert!(rule_help, "{fixture}: every {code} diagnostic has help");
    }
}

#[test]
fn exit_codes_follow_the_default_levels() {
    for (code, _) in EXPECTED {
        let rule = connlint::rules::find(code).expect("registered");
        let fixture = format!("fixtures/invalid/lint-{}.json", short(code));
        let run = check_json([&fixture]);
        assert_eq!(run.code, i32::from(run.summary("errors") > 0), "{fixture}");
        match rule.default_level {
            connlint::rules::Level::Off => assert!(
                !run.codes().contains(&code.to_string()),
                "{code} is off by default"
            ),
            _ => assert!(run.codes().contains(&code.to_string()), "{fixture}"),
        }
    }
}

#[test]
fn nothing_fires_on_valid_fixtures_even_with_every_rule_on() {
    for extra in [&[][..], ALL_ON] {
        let mut args = extra.to_vec();
        args.push("fixtures/valid");
        let run = check_json(&args);
        assert_eq!(run.code, 0, "{}", run.report);
        assert_eq!(run.summary("errors"), 0, "{}", run.report);
        assert_eq!(run.summary("warnings"), 0, "{}", run.report);
        assert_eq!(run.codes(), Vec::<String>::new());
    }
}

/// The registry itself (unique, sorted, documented codes) is tested next to it, in
/// `src/rules/mod.rs`; this checks what a rule needs outside `src/`.
#[test]
fn every_rule_has_expected_positions_and_both_fixtures() {
    let codes: Vec<&str> = connlint::rules::ALL.iter().map(|r| r.code).collect();
    let expected: Vec<&str> = EXPECTED.iter().map(|(code, _)| *code).collect();
    assert_eq!(
        codes, expected,
        "every rule needs its expected positions in EXPECTED"
    );
    for code in codes {
        let name = short(code);
        for path in [
            format!("invalid/lint-{name}.json"),
            format!("valid/near-miss-{name}.json"),
        ] {
            assert!(fixture(&path).is_file(), "{code} needs fixtures/{path}");
        }
    }
}

#[test]
fn readme_rules_table_is_generated_from_the_rules() {
    const START: &str = "<!-- rules:start -->\n";
    const END: &str = "<!-- rules:end -->";
    let path = repo().join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md");
    let start = readme.find(START).expect("rules:start marker") + START.len();
    let end = start + readme[start..].find(END).expect("rules:end marker");
    let table = connlint::rules::markdown_table();
    if readme[start..end] != table && std::env::var_os("CONNLINT_UPDATE_README").is_some() {
        let updated = format!("{}{table}{}", &readme[..start], &readme[end..]);
        std::fs::write(&path, updated).expect("write README.md");
        return;
    }
    assert_eq!(
        readme[start..end],
        table,
        "the README's rules table is stale: regenerate it with \
         `CONNLINT_UPDATE_README=1 cargo test --test it readme_rules_table`"
    );
    for rule in connlint::rules::ALL {
        assert!(readme[start..end].contains(&format!("`{}`", rule.code)));
    }
}

#[test]
fn typos_get_did_you_mean_in_json_help() {
    let payload = r#"{"integraton_type": "hubspot", "categories": ["crm"], "permissions": ["crm_contact_reed"]}"#;
    let output = connlint()
        .args(["check", "--format", "json", "-"])
        .write_stdin(payload)
        .output()
        .expect("run");
    let report = parse_json(&output.stdout);
    let helps: Vec<&str> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["help"].as_str())
        .collect();
    assert!(
        helps.contains(&"did you mean `integration_type`?"),
        "{helps:?}"
    );
    assert!(
        helps.contains(&"did you mean `crm_contact_read`?"),
        "{helps:?}"
    );
    let unknown = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["code"] == "lint::unknown-key")
        .expect("unknown-key");
    assert_eq!(unknown["pointer"], "/integraton_type");
    assert_eq!(
        (&unknown["line"], &unknown["column"]),
        (&1.into(), &2.into())
    );
}

#[test]
fn enum_help_fixes_case() {
    let run = check_json(["fixtures/invalid/unknown-enum-value.json"]);
    let helps: Vec<&str> = run
        .diagnostics()
        .iter()
        .filter_map(|d| d["help"].as_str())
        .collect();
    assert!(helps.contains(&"did you mean `crm`?"), "{helps:?}");
    assert!(
        helps.contains(&"did you mean `crm_contact_read`?"),
        "{helps:?}"
    );
}

/// A scratch directory holding a copy of the unknown-key fixture as `payload.json`.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(
        fixture("invalid/lint-unknown-key.json"),
        dir.path().join("payload.json"),
    )
    .expect("copy fixture");
    dir
}

fn write(path: PathBuf, text: &str) -> PathBuf {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&path, text).expect("write");
    path
}

const RAISE_UNKNOWN_KEY: &str = "[rules]\n\"lint::unknown-key\" = \"error\"\n";

#[test]
fn config_raising_unknown_key_turns_exit_0_into_1() {
    let dir = scratch();
    let run = check_json_in(dir.path(), ["payload.json"]);
    assert_eq!((run.code, run.summary("warnings")), (0, 2));

    write(dir.path().join("connlint.toml"), RAISE_UNKNOWN_KEY);
    let run = check_json_in(dir.path(), ["payload.json"]);
    assert_eq!(run.code, 1, "{}", run.report);
    assert_eq!(run.summary("errors"), 2);
    assert_eq!(run.diagnostics()[0]["severity"], "error");
}

#[test]
fn hidden_config_in_a_parent_directory_is_found() {
    let dir = scratch();
    write(dir.path().join(".connlint.toml"), RAISE_UNKNOWN_KEY);
    let nested = dir.path().join("a/b");
    std::fs::create_dir_all(&nested).expect("mkdir");
    assert_eq!(check_json_in(&nested, ["../../payload.json"]).code, 1);
}

#[test]
fn explicit_config_path_is_used() {
    let dir = scratch();
    let config = write(dir.path().join("conf/strict.toml"), RAISE_UNKNOWN_KEY);
    let config = config.to_str().expect("utf-8 path");
    assert_eq!(check_json_in(dir.path(), ["payload.json"]).code, 0);
    let run = check_json_in(dir.path(), ["--config", config, "payload.json"]);
    assert_eq!(run.code, 1);
    connlint_in(dir.path())
        .args(["check", "--config", "missing.toml", "payload.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.toml"));
}

#[test]
fn rule_flag_overrides_the_file() {
    let dir = scratch();
    write(dir.path().join("connlint.toml"), RAISE_UNKNOWN_KEY);
    let run = check_json_in(
        dir.path(),
        ["--rule", "lint::unknown-key=warning", "payload.json"],
    );
    assert_eq!((run.code, run.summary("warnings")), (0, 2));
    let run = check_json_in(
        dir.path(),
        ["--rule", "lint::unknown-key=off", "payload.json"],
    );
    assert_eq!((run.code, run.codes()), (0, Vec::<String>::new()));
    // The last --rule wins.
    let run = check_json_in(
        dir.path(),
        [
            "--rule",
            "lint::unknown-key=off",
            "--rule",
            "lint::unknown-key=error",
            "payload.json",
        ],
    );
    assert_eq!(run.code, 1);
}

#[test]
fn bad_rule_flags_are_usage_errors() {
    connlint()
        .args([
            "check",
            "--rule",
            "lint::unknown-keys=error",
            "fixtures/valid",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr(says("did you mean `lint::unknown-key`?"));
    connlint()
        .args([
            "check",
            "--rule",
            "lint::unknown-key=loud",
            "fixtures/valid",
        ])
        .assert()
        .code(2)
        .stderr(says("\"error\", \"warning\" or \"off\""));
    connlint()
        .args(["check", "--rule", "lint::unknown-key", "fixtures/valid"])
        .assert()
        .code(2)
        .stderr(says("CODE=LEVEL"));
}

#[test]
fn deny_warnings_fails_on_warnings_only() {
    let fixture = "fixtures/invalid/lint-unknown-key.json";
    assert_eq!(check_json([fixture]).code, 0);
    assert_eq!(check_json(["--deny-warnings", fixture]).code, 1);
    assert_eq!(check_json(["--deny-warnings", "fixtures/valid"]).code, 0);
}

/// Runs a check in a directory whose `connlint.toml` is `config`; returns stderr.
fn bad_config(config: &str) -> String {
    let dir = scratch();
    write(dir.path().join("connlint.toml"), config);
    let output = connlint_in(dir.path())
        .args(["check", "payload.json"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2), "{config}");
    assert!(output.stdout.is_empty(), "no report for a bad config");
    flat(&String::from_utf8(output.stderr).expect("utf-8"))
}

#[test]
fn bad_configs_exit_2_pointing_into_the_file() {
    // (config, line:column of the span, text that must be in the diagnostic)
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "[rules]\n\"lint::unknown-keys\" = \"error\"\n",
            "connlint.toml:2:1",
            &[
                "no rule `lint::unknown-keys`",
                "did you mean `lint::unknown-key`?",
            ],
        ),
        (
            "[rules]\n\"lint::unknown-key\" = \"fatal\"\n",
            "connlint.toml:2:23",
            &["`fatal` is not a level", "not a level"],
        ),
        (
            "exclude = [\"a\"\n[rules]\n",
            "connlint.toml:2:1",
            &["invalid configuration"],
        ),
        (
            "\n\nexcludes = [\"legacy/**\"]\n",
            "connlint.toml:3:1",
            &["unknown field `excludes`", "did you mean `exclude`?"],
        ),
        (
            "exclude = [\"ok/**\", \"bad[\"]\n",
            "connlint.toml:1:21",
            &["not a valid glob"],
        ),
    ];
    for (config, place, texts) in cases {
        let stderr = bad_config(config);
        assert!(stderr.contains("config::invalid"), "{stderr}");
        assert!(stderr.contains(place), "{place} in:\n{stderr}");
        for text in *texts {
            assert!(stderr.contains(text), "{text} in:\n{stderr}");
        }
    }
}

#[test]
fn exclude_globs_skip_paths_relative_to_the_config() {
    let dir = scratch();
    let bad = std::fs::read(dir.path().join("payload.json")).expect("read");
    write(dir.path().join("legacy/old.json"), "{not json");
    std::fs::write(dir.path().join("legacy/copy.json"), &bad).expect("write");
    let run = check_json_in(dir.path(), ["."]);
    assert_eq!(run.summary("files"), 3);

    write(
        dir.path().join("connlint.toml"),
        "exclude = [\"legacy/**\"]\n",
    );
    let run = check_json_in(dir.path(), ["."]);
    assert_eq!(run.summary("files"), 1, "{}", run.report);
    assert_eq!(run.code, 0);

    // Run from below the configuration: `legacy/**` still means `<config dir>/legacy`.
    let run = check_json_in(&dir.path().join("legacy"), ["."]);
    assert_eq!(run.summary("files"), 0, "{}", run.report);
    let run = check_json_in(&dir.path().join("legacy"), [".."]);
    assert_eq!(run.summary("files"), 1, "{}", run.report);
}

#[test]
fn model_rules_are_off_under_a_user_schema() {
    let dir = tempfile::tempdir().expect("tempdir");
    let schema = write(dir.path().join("any.schema.json"), "{}");
    let schema = schema.to_str().expect("utf-8 path");
    let mut all = ALL_ON.to_vec();
    all.extend(["--schema", schema]);
    for (code, _) in EXPECTED {
        let fixture = format!("fixtures/invalid/lint-{}.json", short(code));
        let mut args = all.clone();
        args.push(&fixture);
        let expected: Vec<String> = if *code == "lint::duplicate-key" {
            vec![code.to_string()]
        } else {
            Vec::new()
        };
        assert_eq!(check_json(&args).codes(), expected, "{fixture}");
    }
}

#[test]
fn rules_lists_every_rule_aligned() {
    let output = connlint().arg("rules").output().expect("run");
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    let summary_column = lines[0].find("SUMMARY").expect("header");
    for (line, rule) in lines[1..].iter().zip(connlint::rules::ALL) {
        assert!(line.starts_with(rule.code), "{line}");
        assert!(line.contains(rule.default_level.as_str()), "{line}");
        assert_eq!(line.find(rule.summary), Some(summary_column), "{line}");
    }
    assert!(lines.len() > connlint::rules::ALL.len());
}

#[test]
fn rules_code_explains_with_an_example() {
    connlint()
        .args(["rules", "lint::unknown-key"])
        .assert()
        .code(0)
        .stdout(
            predicate::str::starts_with("lint::unknown-key\n")
                .and(predicate::str::contains("default level: warning"))
                .and(predicate::str::contains("\nExample\n"))
                .and(predicate::str::contains("\"integraton_type\": \"hubspot\""))
                .and(predicate::str::contains("\nUse instead\n"))
                .and(predicate::str::contains("```").not()),
        );
}

#[test]
fn rules_with_an_unknown_code_exits_2_with_did_you_mean() {
    connlint()
        .args(["rules", "lint::sdk-cassing"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(says("did you mean `lint::sdk-casing`?"));
}
