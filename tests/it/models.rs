//! The model history from the outside: `--model`, `connlint models`, the per-release schemas,
//! the history in the help of every diagnostic path, `schema::` levels, and payloads of
//! today's API that nobody here wrote.

use std::collections::{BTreeMap, BTreeSet};

use assert_cmd::Command;
use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn connlint() -> Command {
    let mut cmd = Command::cargo_bin("connlint").expect("binary");
    cmd.current_dir(ROOT)
        .env_remove("NO_COLOR")
        .env("COLUMNS", "100");
    cmd
}

/// Runs `connlint check --format json ARGS…`: the report and the exit code.
fn check_json(args: &[&str]) -> (Value, i32) {
    let output = connlint()
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .expect("run");
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (report, output.status.code().unwrap_or(-1))
}

fn diagnostics(report: &Value) -> Vec<&Value> {
    report["diagnostics"]
        .as_array()
        .map(|d| d.iter().collect())
        .unwrap_or_default()
}

/// The vendored history (the repository's own copy).
fn history() -> Value {
    let text = std::fs::read_to_string(format!("{ROOT}/src/model/history.json")).expect("history");
    serde_json::from_str(&text).expect("history is JSON")
}

/// The value at `pointer` of the file `path`.
fn value_at(path: &str, pointer: &str) -> String {
    let text = std::fs::read_to_string(format!("{ROOT}/{path}")).expect("fixture");
    let doc: Value = serde_json::from_str(&text).expect("JSON");
    doc.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn upstream() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(format!("{ROOT}/fixtures/upstream"))
        .expect("fixtures/upstream")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .map(|name| format!("fixtures/upstream/{name}"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "{files:?}");
    files
}

#[test]
fn upstream_payloads_pass_today_and_fail_in_2023_with_the_dates_values_came() {
    let history = history();
    for file in upstream() {
        let (report, code) = check_json(&[&file]);
        assert_eq!(code, 0, "{file}: {report}");
        assert_eq!(report["summary"]["errors"], 0, "{file}: {report}");

        let (report, code) = check_json(&["--model", "2023-11-07", &file]);
        assert_eq!(code, 1, "{file}: {report}");
        let errors: Vec<&Value> = diagnostics(&report)
            .into_iter()
            .filter(|d| d["severity"] == "error")
            .collect();
        assert!(!errors.is_empty(), "{file}");
        for error in errors {
            assert_eq!(error["code"], "schema::enum", "{file}: {error}");
            let pointer = error["pointer"].as_str().expect("pointer");
            let value = value_at(&file, pointer);
            let first_seen = if pointer.starts_with("/categories/") {
                &history["category_first_seen"][&value]
            } else {
                &history["permission_first_seen"][&value]
            };
            let date = first_seen.as_str().expect("in the history");
            let help = error["help"].as_str().expect("help");
            assert!(
                help.starts_with(&format!("`{value}` was added on {date}; this run checks against the model of 2023-11-07")),
                "{file}: {help}"
            );
        }
    }
}

#[test]
fn newer_fields_name_their_date_under_an_older_model() {
    let (report, code) = check_json(&["--model", "2023-11-07", "fixtures/valid/full.json"]);
    assert_eq!(code, 1, "{report}");
    let unknown: BTreeMap<&str, &str> = diagnostics(&report)
        .into_iter()
        .filter(|d| d["code"] == "lint::unknown-key")
        .map(|d| {
            (
                d["pointer"].as_str().unwrap_or_default(),
                d["help"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    let dated = |pointer: &str, date: &str| {
        let help = unknown.get(pointer).copied().unwrap_or_default();
        assert!(
            help.contains(&format!(
                "was added on {date}; this run checks against the model of 2023-11-07"
            )),
            "{pointer}: {help}"
        );
    };
    dated("/integration_name", "2025-02-05");
    dated("/last_healthy_at", "2023-12-07");
    dated("/last_unhealthy_code", "2026-08-06");
    dated("/secretsmanager_id", "2026-06-04");
    dated("/auth/dev_api_key", "2024-02-23");
    dated("/auth/audience", "2026-03-04");
    dated("/auth/user_id", "2025-03-03");
    dated("/auth/refresh_url", "2025-08-23");
    // `integration_name` next to `integration_type` is never "did you mean `integration_type`?".
    assert!(
        !unknown.values().any(|h| h.contains("did you mean")),
        "{unknown:?}"
    );
}

#[test]
fn pinned_model_fixtures_pass_under_their_model_only() {
    for (date, dir) in [
        ("2023-11-07", "fixtures/models/2023-11-07"),
        ("2024-01-04", "fixtures/models/2024-01-04"),
    ] {
        let (report, code) = check_json(&[
            "--model",
            date,
            "--rule",
            "lint::permission-category=off",
            dir,
        ]);
        assert_eq!(code, 0, "{dir}: {report}");
        assert_eq!(diagnostics(&report), Vec::<&Value>::new(), "{dir}");
    }
    // The seed model's payload: `auth_login` was dropped on 2025-08-15, `auth_aws_arn` on
    // 2026-06-25.
    let (report, code) = check_json(&["fixtures/models/2023-11-07"]);
    assert_eq!(code, 1, "{report}");
    let found: Vec<(&str, &str)> = diagnostics(&report)
        .into_iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default(),
                d["pointer"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("lint::removed-field", "/auth_aws_arn"),
            ("lint::removed-permission", "/permissions/0")
        ]
    );
    // The 2024 payload with `cursors_cache`: warnings only under the latest model.
    let (report, code) = check_json(&["fixtures/models/2024-01-04"]);
    assert_eq!(code, 0, "{report}");
    let removed: BTreeSet<&str> = diagnostics(&report)
        .into_iter()
        .filter(|d| d["code"] == "lint::removed-field")
        .filter_map(|d| d["pointer"].as_str())
        .collect();
    assert_eq!(removed, BTreeSet::from(["/auth_aws_arn", "/cursors_cache"]));
}

/// `connlint models` against a replay of `releases` from an empty model, release by release.
#[test]
fn models_agrees_with_a_replay_of_the_history() {
    let output = connlint().arg("models").output().expect("run");
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    let lines: Vec<&str> = text.lines().skip(1).take_while(|l| !l.is_empty()).collect();
    let history = history();
    let releases = history["releases"].as_array().expect("releases");
    assert_eq!(lines.len(), releases.len());
    let mut sets: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (release, line) in releases.iter().zip(&lines) {
        for (key, names) in release["changes"].as_object().expect("changes") {
            if key == "required" {
                continue;
            }
            let (sign, list) = key.split_at(1);
            let set = sets.entry(list).or_default();
            for name in names.as_array().expect("names") {
                let name = name.as_str().expect("name").to_string();
                if sign == "+" {
                    set.insert(name);
                } else {
                    set.remove(&name);
                }
            }
        }
        let count = |list: &str| sets.get(list).map_or(0, BTreeSet::len).to_string();
        let columns: Vec<&str> = line.split_whitespace().take(6).collect();
        assert_eq!(
            columns,
            vec![
                release["date"].as_str().expect("date"),
                release["php_version"].as_str().expect("version"),
                count("fields").as_str(),
                count("auth").as_str(),
                count("cats").as_str(),
                count("perms").as_str(),
            ],
            "{line}"
        );
    }
    assert_eq!(sets["cats"].len(), 34);
    assert_eq!(sets["perms"].len(), 310);
}

fn schema_counts(schema: &Value) -> [usize; 4] {
    let len = |pointer: &str| match schema.pointer(pointer) {
        Some(Value::Object(map)) => map.len(),
        Some(Value::Array(items)) => items.len(),
        _ => 0,
    };
    [
        len("/properties"),
        len("/definitions/ConnectionAuth/properties"),
        len("/definitions/Category/enum"),
        len("/definitions/Permission/enum"),
    ]
}

#[test]
fn schema_per_model_and_the_check_covers_both_committed_files() {
    let run = |args: &[&str]| {
        let output = connlint().arg("schema").args(args).output().expect("run");
        assert_eq!(output.status.code(), Some(0));
        String::from_utf8(output.stdout).expect("UTF-8")
    };
    let seed = run(&["--model", "2023-11-07"]);
    let committed =
        std::fs::read_to_string(format!("{ROOT}/schemas/connection-2023-11-07.schema.json"))
            .expect("committed seed schema");
    assert_eq!(seed, committed);
    let seed: Value = serde_json::from_str(&seed).expect("JSON");
    assert_eq!(schema_counts(&seed), [12, 22, 10, 49]);
    assert_eq!(
        seed["required"],
        serde_json::json!(["categories", "integration_type", "permissions"])
    );
    let latest: Value = serde_json::from_str(&run(&[])).expect("JSON");
    assert_eq!(schema_counts(&latest), [17, 26, 34, 310]);

    let output = connlint()
        .args(["schema", "--check"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("schemas/connection.schema.json is up to date."),
        "{text}"
    );
    assert!(
        text.contains("schemas/connection-2023-11-07.schema.json is up to date."),
        "{text}"
    );

    // A stale file is caught, and the message says how to regenerate it.
    let dir = tempfile::tempdir().expect("tempdir");
    let stale = dir.path().join("seed.json");
    std::fs::write(&stale, committed.replace("\"webhook\"", "\"webhooks\"")).expect("write");
    let output = connlint()
        .args(["schema", "--check", "--model", "2023-11-07", "--path"])
        .arg(&stale)
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout)
        .contains("regenerate it with `connlint schema --model 2023-11-07 >"));
}

#[test]
fn a_model_that_is_not_one_is_a_usage_error() {
    for (model, says) in [
        (
            "2023-09-12",
            "before the first release connlint knows (2023-09-13)",
        ),
        (
            "2023-02-30",
            "is not a model: use `latest` or a date YYYY-MM-DD",
        ),
        (
            "last-week",
            "is not a model: use `latest` or a date YYYY-MM-DD",
        ),
    ] {
        let output = connlint()
            .args(["check", "--model", model, "fixtures/valid/minimal.json"])
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(2), "{model}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(says), "{model}: {stderr}");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("connlint.toml"), "model = \"1999-01-01\"\n").expect("write");
    std::fs::write(
        dir.path().join("a.json"),
        r#"{"integration_type": "x", "categories": ["crm"], "permissions": ["crm_contact_read"]}"#,
    )
    .expect("write");
    let output = Command::cargo_bin("connlint")
        .expect("binary")
        .current_dir(dir.path())
        .args(["check", "a.json"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("`1999-01-01` is not a model"));
}

#[test]
fn the_configuration_pins_the_model_and_the_flag_wins() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("connlint.toml"), "model = \"2023-11-07\"\n").expect("write");
    std::fs::write(
        dir.path().join("a.json"),
        r#"{"integration_type": "x", "categories": ["lms"], "permissions": ["lms_course_read"]}"#,
    )
    .expect("write");
    let run = |extra: &[&str]| {
        let output = Command::cargo_bin("connlint")
            .expect("binary")
            .current_dir(dir.path())
            .args(["check", "--format", "json"])
            .args(extra)
            .arg("a.json")
            .output()
            .expect("run");
        let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
        (report, output.status.code())
    };
    let (report, code) = run(&[]);
    assert_eq!(code, Some(1));
    assert_eq!(report["model"]["date"], "2023-11-07");
    let (report, code) = run(&["--model", "latest"]);
    assert_eq!(code, Some(0), "{report}");
}

#[test]
fn schema_enum_as_a_warning_lets_unknown_values_pass() {
    let file = "fixtures/invalid/unknown-enum-value.json";
    let (report, code) = check_json(&[file]);
    assert_eq!(code, 1);
    assert!(diagnostics(&report)
        .iter()
        .any(|d| d["code"] == "schema::enum" && d["severity"] == "error"));
    let (report, code) = check_json(&["--rule", "schema::enum=warning", file]);
    assert_eq!(code, 0, "{report}");
    let enums: Vec<&Value> = diagnostics(&report)
        .into_iter()
        .filter(|d| d["code"] == "schema::enum")
        .collect();
    assert_eq!(enums.len(), 2);
    assert!(enums.iter().all(|d| d["severity"] == "warning"));

    let output = connlint()
        .args(["check", "--rule", "json::syntax=off", file])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("`json::syntax` cannot be configured"));
}

#[test]
fn machine_reports_name_the_model() {
    let file = "fixtures/valid/minimal.json";
    let (report, _) = check_json(&["--model", "2023-11-07", file]);
    assert_eq!(
        report["model"],
        serde_json::json!({"date": "2023-11-07", "release": "2023-10-31", "sdk_version": "0.6.5"})
    );
    let sarif = connlint()
        .args(["check", "--format", "sarif", "--model", "2023-11-07", file])
        .output()
        .expect("run");
    let sarif: Value = serde_json::from_slice(&sarif.stdout).expect("SARIF");
    assert_eq!(
        sarif["runs"][0]["properties"]["model"]["date"],
        "2023-11-07"
    );
    assert_eq!(
        sarif["runs"][0]["properties"]["model"]["release"],
        "2023-10-31"
    );
    let junit = connlint()
        .args(["check", "--format", "junit", "--model", "2024-05-03", file])
        .output()
        .expect("run");
    let junit = String::from_utf8(junit.stdout).expect("UTF-8");
    assert!(
        junit.contains(r#"<property name="model" value="2024-05-03"/>"#),
        "{junit}"
    );
    assert!(
        junit.contains(r#"<property name="model.sdk_version" value="0.14.15"/>"#),
        "{junit}"
    );
    // Under a user's schema there is no model to name.
    let (report, _) = check_json(&["--schema", "schemas/connection.schema.json", file]);
    assert_eq!(report["model"], Value::Null);
}

#[test]
fn new_credential_fields_are_redacted() {
    // Under the seed model `dev_api_key` is an unknown key, so its line is shown.
    let payload = r#"{"integration_type": "x", "categories": ["crm"], "permissions": ["crm_contact_read"],
 "auth": {"dev_api_key": "live-7d1c0e9a55b24b3f9e0a"}}"#;
    let output = connlint()
        .args(["check", "--color", "never", "--model", "2023-11-07", "-"])
        .write_stdin(payload)
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("dev_api_key"), "{text}");
    assert!(!text.contains("7d1c0e9a55b24b3f9e0a"), "{text}");
}

#[test]
fn models_and_help_say_how_to_pick_a_model() {
    let output = connlint().args(["check", "--help"]).output().expect("run");
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("--model <RELEASE>"), "{help}");
    let output = connlint().arg("models").output().expect("run");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("2025-08-15  1.3.28"), "{text}");
    assert!(text.contains("-1 permission: auth_login"), "{text}");
}
