//! The real binary: exit codes, stdin, paths, the schema commands and the JSON contract.

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{check_json, connlint, parse_json, repo};

#[test]
fn valid_fixtures_pass_with_exit_0() {
    connlint()
        .args(["check", "fixtures/valid"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no problems"));
}

#[test]
fn invalid_fixtures_fail_with_exit_1() {
    connlint()
        .args(["check", "fixtures/invalid"])
        .assert()
        .code(1);
}

#[test]
fn every_invalid_fixture_fails_on_its_own() {
    for entry in std::fs::read_dir(repo().join("fixtures/invalid")).expect("dir") {
        let path = entry.expect("entry").path();
        // lint::plaintext-secret is off by default; its fixture needs it on to report anything.
        let path = path.to_str().expect("UTF-8 path");
        let run = check_json(["--rule", "lint::plaintext-secret=warning", path]);
        let (errors, warnings) = (run.summary("errors"), run.summary("warnings"));
        assert!(errors + warnings > 0, "{path} reports nothing");
        assert_eq!(run.code, i32::from(errors > 0), "{path}");
    }
}

#[test]
fn json_output_has_the_documented_shape() {
    let run = check_json([
        "fixtures/invalid/wrong-type.json",
        "fixtures/valid/minimal.json",
    ]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.report["summary"],
        serde_json::json!({"files": 2, "files_with_errors": 1, "errors": 2, "warnings": 0})
    );
    let first = &run.diagnostics()[0];
    let keys: Vec<&str> = first
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "path",
        "code",
        "severity",
        "message",
        "help",
        "pointer",
        "line",
        "column",
        "end_line",
        "end_column",
    ] {
        assert!(keys.contains(&key), "missing {key} in {first}");
    }
    let expires = run
        .diagnostics()
        .iter()
        .find(|d| d["pointer"] == "/auth/expires_in")
        .expect("expires_in diagnostic");
    assert_eq!(expires["path"], "fixtures/invalid/wrong-type.json");
    assert_eq!(expires["code"], "schema::type");
    assert_eq!(expires["severity"], "error");
    assert_eq!(
        expires["message"],
        "expected a number or null, found the string \"3600\""
    );
    assert_eq!(
        (expires["line"].as_u64(), expires["column"].as_u64()),
        (Some(8), Some(19))
    );
    assert_eq!(
        (expires["end_line"].as_u64(), expires["end_column"].as_u64()),
        (Some(8), Some(25))
    );
}

#[test]
fn list_files_point_into_the_array() {
    let run = check_json(["fixtures/invalid/list-with-errors.json"]);
    let pointers: Vec<&str> = run
        .diagnostics()
        .iter()
        .filter_map(|d| d["pointer"].as_str())
        .collect();
    assert!(pointers.contains(&"/1/auth/expires_in"), "{pointers:?}");
    let required = run.first("schema::required");
    assert_eq!(required["pointer"], "/2");
    assert_eq!(
        (required["line"].as_u64(), required["column"].as_u64()),
        (Some(5), Some(3))
    );
}

#[test]
fn json_lines_report_real_file_lines() {
    let run = check_json(["fixtures/invalid/lines-with-errors.jsonl"]);
    assert_eq!(run.code, 1);
    let at: Vec<(u64, &str)> = run
        .diagnostics()
        .iter()
        .filter(|d| {
            d["code"]
                .as_str()
                .is_some_and(|c| c.starts_with("schema::") || c.starts_with("json::"))
        })
        .map(|d| {
            (
                d["line"].as_u64().expect("line"),
                d["code"].as_str().expect("code"),
            )
        })
        .collect();
    assert_eq!(
        at,
        vec![
            (2, "schema::enum"),
            (4, "schema::type"),
            (5, "json::syntax")
        ]
    );
}

#[test]
fn stdin_is_read_with_dash() {
    let payload = r#"{"integration_type": "x", "categories": ["crm"], "permissions": ["crm_contact_read"], "is_paused": "no"}"#;
    let output = connlint()
        .args(["check", "--format", "json", "-"])
        .write_stdin(payload)
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let report = parse_json(&output.stdout);
    assert_eq!(report["diagnostics"][0]["path"], "-");
    assert_eq!(report["diagnostics"][0]["pointer"], "/is_paused");
    connlint()
        .args(["check", "-"])
        .write_stdin(r#"{"integration_type": "x", "categories": [], "permissions": []}"#)
        .assert()
        .code(0);
}

#[test]
fn the_largest_size_limit_still_reads_stdin() {
    // `--max-file-size` at the top of its range once wrapped the read limit to nothing.
    connlint()
        .args(["check", "--max-file-size", &u64::MAX.to_string(), "-"])
        .write_stdin(r#"{"integration_type": "x", "categories": [], "permissions": []}"#)
        .assert()
        .code(0);
}

#[test]
fn a_missing_path_is_exit_2_and_named() {
    let run = check_json(["fixtures/valid/minimal.json", "no/such/file.json"]);
    assert_eq!(run.code, 2);
    let diagnostic = &run.diagnostics()[0];
    assert_eq!(diagnostic["code"], "io::not-found");
    assert_eq!(diagnostic["path"], "no/such/file.json");
    assert_eq!(run.summary("files"), 2);
}

#[test]
fn syntax_errors_have_a_line_and_column() {
    let run = check_json(["fixtures/invalid/syntax-error.json"]);
    assert_eq!(run.code, 1);
    let d = &run.diagnostics()[0];
    assert_eq!(d["code"], "json::syntax");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(5), Some(1))
    );
    assert_eq!(d["pointer"], Value::Null);
}

#[test]
fn human_output_shows_the_snippet_and_summary() {
    connlint()
        .args([
            "check",
            "--color",
            "never",
            "fixtures/invalid/wrong-type.json",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "fixtures/invalid/wrong-type.json:8:19",
        ))
        .stdout(predicate::str::contains("help: remove the quotes"))
        .stdout(predicate::str::contains(
            "Checked 1 file: 2 errors in 1 file, 0 warnings.",
        ))
        .stdout(predicate::str::contains("\u{1b}[").not());
}

#[test]
fn color_always_colours_and_no_color_is_honoured_by_auto() {
    connlint()
        .args([
            "check",
            "--color",
            "always",
            "fixtures/invalid/wrong-type.json",
        ])
        .assert()
        .stdout(predicate::str::contains("\u{1b}["));
    connlint()
        .env("NO_COLOR", "1")
        .args(["check", "fixtures/invalid/wrong-type.json"])
        .assert()
        .stdout(predicate::str::contains("\u{1b}[").not());
}

#[test]
fn schema_command_prints_the_committed_schema() {
    let committed =
        std::fs::read_to_string(repo().join("schemas/connection.schema.json")).expect("schema");
    connlint()
        .arg("schema")
        .assert()
        .code(0)
        .stdout(committed.clone());
    let schema: Value = serde_json::from_str(&committed).expect("json");
    assert_eq!(
        schema["required"],
        serde_json::json!(["categories", "integration_type", "permissions"])
    );
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert!(schema["$id"].is_string() && schema["title"] == "Connection");
}

#[test]
fn schema_check_passes_and_detects_drift() {
    connlint().args(["schema", "--check"]).assert().code(0);
    let dir = tempfile::tempdir().expect("tempdir");
    let drifted = dir.path().join("schema.json");
    let committed =
        std::fs::read_to_string(repo().join("schemas/connection.schema.json")).expect("schema");
    std::fs::write(&drifted, committed.replace("\"integration_type\",", "")).expect("write");
    connlint()
        .args(["schema", "--check", "--path"])
        .arg(&drifted)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("differs"));
}

#[test]
fn custom_schema_validates_any_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let schema = dir.path().join("s.json");
    std::fs::write(
        &schema,
        r#"{"type": "array", "items": {"type": "integer"}, "minItems": 2}"#,
    )
    .expect("write");
    let data = dir.path().join("d.json");
    std::fs::write(&data, "[1, \"two\"]").expect("write");
    let utf8 = |path: &std::path::Path| path.to_str().expect("UTF-8 path").to_string();
    let run = check_json(["--schema".to_string(), utf8(&schema), utf8(&data)]);
    assert_eq!(run.code, 1);
    let d = &run.diagnostics()[0];
    assert_eq!(
        (
            d["code"].as_str(),
            d["pointer"].as_str(),
            d["column"].as_u64()
        ),
        (Some("schema::type"), Some("/1"), Some(5))
    );
}

#[test]
fn a_bad_custom_schema_is_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let schema = dir.path().join("s.json");
    std::fs::write(&schema, r#"{"type": 12}"#).expect("write");
    connlint()
        .args(["check", "--schema"])
        .arg(&schema)
        .arg("fixtures/valid/minimal.json")
        .assert()
        .code(2);
    connlint()
        .args([
            "check",
            "--schema",
            "no-such-schema.json",
            "fixtures/valid/minimal.json",
        ])
        .assert()
        .code(2);
}

#[test]
fn usage_errors_are_exit_2() {
    connlint()
        .args(["check", "--format", "nope"])
        .assert()
        .code(2);
    connlint().arg("frobnicate").assert().code(2);
}

#[test]
fn help_and_version() {
    connlint()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("check"));
    connlint()
        .arg("--version")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(env!("CARGO_PKG_VERSION")));
}

/// Roff as a reader sees it, near enough to compare words: font escapes dropped, `\-` as
/// `-`, request lines (`.TP`, `.IP \(bu 2`, …) gone, whitespace collapsed.
fn man_text(roff: &str) -> String {
    let text: Vec<&str> = roff.lines().filter(|l| !l.starts_with('.')).collect();
    let text = text
        .join(" ")
        .replace("\\fB", "")
        .replace("\\fI", "")
        .replace("\\fR", "")
        .replace("\\-", "-")
        .replace("\\(aq", "'")
        .replace("\\*(Aq", "'")
        .replace("\\\\", "\\");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_manpage_says_what_help_says_for_every_command() {
    use clap::CommandFactory;
    let output = connlint().arg("manpage").output().expect("run");
    assert_eq!(output.status.code(), Some(0));
    let roff = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(roff.contains(".TH connlint 1"), "not a connlint(1) page");
    let mut cli = connlint::cli::Cli::command();
    cli.build();
    let subcommands: Vec<&clap::Command> = cli
        .get_subcommands()
        .filter(|s| s.get_name() != "help")
        .collect();
    assert!(
        subcommands.len() >= 5,
        "check, schema, rules, completions, manpage"
    );
    for sub in subcommands {
        let name = sub.get_name();
        // The subcommand's own section: from its heading to the next section heading.
        let heading = format!(".SH \"CONNLINT {}\"\n", name.to_uppercase());
        let start = roff
            .find(&heading)
            .unwrap_or_else(|| panic!("no section for `connlint {name}`"));
        let rest = &roff[start + heading.len()..];
        let section = man_text(&rest[..rest.find("\n.SH ").unwrap_or(rest.len())]);
        let help = connlint().args([name, "--help"]).output().expect("run");
        assert_eq!(help.status.code(), Some(0), "connlint {name} --help");
        let help = words(&String::from_utf8(help.stdout).expect("UTF-8"));
        // Every flag --help lists is in the page, and so is every argument's help text.
        let flags: Vec<&str> = help
            .split(|c: char| c.is_whitespace() || c == ',' || c == '[' || c == ']')
            .filter(|w| w.starts_with("--") && w.len() > 2)
            .map(|w| w.split(['=', '<']).next().unwrap_or(w))
            .collect();
        assert!(flags.contains(&"--help"), "{name}: {flags:?}");
        for flag in flags {
            assert!(
                section.contains(flag),
                "`connlint {name}` {flag} is not in the page"
            );
        }
        if let Some(about) = sub.get_about() {
            let about = words(&about.to_string());
            assert!(help.contains(&about), "{name} --help lacks {about}");
            assert!(section.contains(&about), "the page lacks `{name}`: {about}");
        }
        for arg in sub.get_arguments().filter(|a| !a.is_hide_set()) {
            let Some(text) = arg.get_long_help().or_else(|| arg.get_help()) else {
                continue;
            };
            // --help shows the short help; the page, the long one. Their first sentence agrees.
            let text = words(&text.to_string());
            let first = text
                .split(". ")
                .next()
                .unwrap_or(&text)
                .trim_end_matches('.');
            assert!(
                help.contains(first),
                "`connlint {name} --help` lacks: {first}"
            );
            assert!(
                section.contains(first),
                "the page's `connlint {name}` lacks: {first}"
            );
        }
    }
    for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "\"EXIT STATUS\""] {
        assert!(roff.contains(&format!(".SH {section}\n")), "no {section}");
    }
}
