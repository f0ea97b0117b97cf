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
