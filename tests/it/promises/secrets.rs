//! Promise: **no secret is printed.** The secret values of every fixture, found by a scan of
//! this test's own, appear in no format (with `--statistics` too) and in no `--diff`.
//!
//! Most of the redaction's regression tests (issue 16, points 1–6: a pretty-printed
//! Connection saved as `.jsonl`, a line left open, escaped and widened secret names, keys
//! inside a secret value) are unit tests of the scanner in `src/redact/scan.rs` and of the
//! JSON Lines reader in `src/check/jsonl.rs`; the fuzz targets `check_bytes` and
//! `jsonl_reader` assert the same of arbitrary bytes, and `tests/it/regressions.rs` replays
//! every input that ever leaked.

use std::collections::BTreeSet;

use predicates::prelude::*;

use super::*;
use crate::support::{fixture, parse_json, repo};

/// Keys whose values are credentials, compared after dropping `_`/`-` and lowercasing.
const SECRET_KEYS: &[&str] = &[
    "accesstoken",
    "refreshtoken",
    "clientsecret",
    "consumersecret",
    "token",
    "key",
    "pem",
    "otherauthinfo",
];

/// Secret values in a fixture's raw text, found by a scan of its own (independent of
/// `redact.rs`, and forgiving: the invalid fixtures are not all JSON): the string, number
/// or every string and number inside the array/object after a secret key, and a string
/// where `auth` belongs.
fn secrets_in(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '"' {
            i += 1;
            continue;
        }
        let (key, after) = string_at(&chars, i);
        i = after;
        let mut j = after;
        while j < chars.len() && chars[j].is_whitespace() {
            j += 1;
        }
        if chars.get(j) != Some(&':') {
            continue;
        }
        j += 1;
        while j < chars.len() && chars[j].is_whitespace() {
            j += 1;
        }
        let normalized: String = key
            .chars()
            .filter(|c| !matches!(c, '_' | '-'))
            .flat_map(char::to_lowercase)
            .collect();
        let secret = SECRET_KEYS.contains(&normalized.as_str());
        match chars.get(j) {
            Some('"') if secret || normalized == "auth" => {
                let (value, end) = string_at(&chars, j);
                found.push(value);
                i = end;
            }
            Some('[' | '{') if secret => {
                // Every scalar up to the matching bracket.
                let mut depth = 0;
                let mut k = j;
                while k < chars.len() {
                    match chars[k] {
                        '[' | '{' => depth += 1,
                        ']' | '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        '"' => {
                            let (value, end) = string_at(&chars, k);
                            let mut next = end;
                            while next < chars.len() && chars[next].is_whitespace() {
                                next += 1;
                            }
                            // A key inside a secret object names the secret; its value is it.
                            if chars.get(next) != Some(&':') {
                                found.push(value);
                            }
                            k = end;
                            continue;
                        }
                        c if c.is_ascii_digit() => {
                            let start = k;
                            while k < chars.len() && chars[k].is_ascii_alphanumeric() {
                                k += 1;
                            }
                            found.push(chars[start..k].iter().collect());
                            continue;
                        }
                        _ => {}
                    }
                    k += 1;
                }
                i = k;
            }
            Some(c) if secret && (c.is_ascii_digit() || *c == '-') => {
                let start = j;
                let mut k = j;
                while k < chars.len() && !matches!(chars[k], ',' | '}' | ']' | '\n') {
                    k += 1;
                }
                found.push(
                    chars[start..k]
                        .iter()
                        .collect::<String>()
                        .trim()
                        .to_string(),
                );
                i = k;
            }
            _ => {}
        }
    }
    found
}

/// The raw content of the string literal opening at `start`, and the index after it.
fn string_at(chars: &[char], start: usize) -> (String, usize) {
    let mut value = String::new();
    let mut k = start + 1;
    while k < chars.len() && chars[k] != '"' && chars[k] != '\n' {
        if chars[k] == '\\' && k + 1 < chars.len() {
            value.push(chars[k]);
            k += 1;
        }
        value.push(chars[k]);
        k += 1;
    }
    (value, k + 1)
}

#[test]
fn the_secret_scan_finds_what_it_should() {
    let text = r#"{"auth": {"accessToken": "abc", "other_auth_info": ["x1", 12345678, {"y": "z"}],
        "expires_in": 5, "PEM": "-----BEGIN\nKEY"}, "name": "n"} {"auth": "Bearer q"}"#;
    assert_eq!(
        secrets_in(text),
        ["abc", "x1", "12345678", "z", "-----BEGIN\\nKEY", "Bearer q"]
    );
}

#[test]
fn no_format_prints_a_secret_from_any_fixture() {
    let mut secrets = BTreeSet::new();
    let mut paths = Vec::new();
    for dir in ["fixtures/valid", "fixtures/invalid"] {
        for entry in std::fs::read_dir(repo().join(dir)).expect("dir") {
            let entry = entry.expect("entry");
            let bytes = std::fs::read(entry.path()).expect("read");
            secrets.extend(secrets_in(&String::from_utf8_lossy(&bytes)));
            paths.push(format!("{dir}/{}", entry.file_name().to_string_lossy()));
        }
    }
    let secrets: Vec<String> = secrets
        .into_iter()
        .filter(|s| s.chars().count() >= 8)
        .collect();
    assert!(
        secrets.iter().any(|s| s.contains("sk_live_FAKE")),
        "the scan must find the fixtures' secrets: {secrets:?}"
    );
    // Text a fixture shows outside its secrets may be printed (a snippet shows the
    // `ringcentral` integration type that the fake token `at_FAKEringcentral…` repeats),
    // and so may file names: a window found there proves nothing and is not checked.
    let mut public = paths.join("\n");
    for dir in ["fixtures/valid", "fixtures/invalid"] {
        for entry in std::fs::read_dir(repo().join(dir)).expect("dir") {
            let bytes = std::fs::read(entry.expect("entry").path()).expect("read");
            let mut text = String::from_utf8_lossy(&bytes).into_owned();
            for secret in &secrets {
                text = text.replace(secret.as_str(), "\u{0}");
            }
            public.push('\n');
            public.push_str(&text);
        }
    }
    let mut checked = 0;
    for (_, format) in formats() {
        let format = format.as_str();
        for extra in [&[][..], &["--statistics"][..]] {
            let mut args = vec!["fixtures/valid", "fixtures/invalid"];
            args.extend_from_slice(extra);
            let (text, _) = crate::formats::check(format, &args);
            let text = without_static_rule_docs(format, &text);
            for secret in &secrets {
                let chars: Vec<char> = secret.chars().collect();
                for window in chars.windows(8) {
                    let window: String = window.iter().collect();
                    if public.contains(&window) {
                        continue;
                    }
                    checked += 1;
                    assert!(
                        !text.contains(&window),
                        "--format {format} prints `{window}`, part of a fixture secret"
                    );
                }
            }
        }
    }
    assert!(checked > 1000, "only {checked} windows were checked");
}

/// SARIF embeds the lint rules' documentation, whose examples show placeholders such as
/// `<hubspot-access-token>` that some fixtures also use. That text is fixed at compile
/// time and cannot leak a fixture's secret, so it is left out of the scan.
fn without_static_rule_docs(format: &str, text: &str) -> String {
    if format != "sarif" {
        return text.to_string();
    }
    let mut log = parse_json(text);
    if let Some(rules) = log["runs"][0]["tool"]["driver"]["rules"].as_array_mut() {
        for rule in rules {
            if let Some(rule) = rule.as_object_mut() {
                let static_text = rule
                    .get("id")
                    .and_then(Value::as_str)
                    .is_some_and(|id| connlint::rules::ALL.iter().any(|r| r.code == id));
                if static_text {
                    rule.remove("help");
                    rule.remove("fullDescription");
                    rule.remove("shortDescription");
                }
            }
        }
    }
    log.to_string()
}

#[test]
fn diff_never_shows_a_secret() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("s.json");
    std::fs::copy(fixture("fix/unsafe-string-scalars.before.json"), &target).expect("copy");
    connlint()
        .args(["check", "--diff", "--unsafe-fixes"])
        .arg(&target)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("+    \"expires_in\": 3600,"))
        .stdout(predicate::str::contains("FAKE1234567890").not());
}
