//! Promise: **bounded memory.** Size is bounded by `--max-file-size` (per line in JSON
//! Lines), diagnostics by the per-document cap (`connlint::too-many`), and huge strings,
//! objects and files stay within what their size calls for.
//!
//! The inputs are generated into a temporary directory, never committed. See also
//! `bench/memory.sh` (peak memory on a 200 MB JSON Lines file) and the cap's unit tests in
//! `src/check/mod.rs`.

use super::*;

#[test]
fn string_value_of_40_mb() {
    let dir = TempDir::new().expect("tempdir");
    let big = "x".repeat(40 * 1024 * 1024);
    let mut payload = valid();
    payload["auth"]["meta"] = json!({ "blob": big });
    let fine = write(dir.path(), "big-string.json", payload.to_string());
    assert_eq!(check_path(&fine).code, 0);

    // The same on one line with an error after it: located, and the human report does not
    // repeat the 40 MB line as a snippet.
    payload["is_paused"] = json!("no");
    let text = payload.to_string();
    let broken = write(dir.path(), "big-string-wrong.json", &text);
    let run = check_path(&broken);
    let d = run.expect(1, &broken, "schema::type");
    let column = text.find("\"no\"").expect("value") + 1;
    assert_eq!(d["column"].as_u64(), Some(column as u64));
    for (_, format) in formats() {
        let output = connlint()
            .args(["check", "--color", "never", "--format", &format])
            .arg(&broken)
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(1), "{format}");
        assert!(
            output.stdout.len() < 1024 * 1024,
            "{format} printed {} bytes",
            output.stdout.len()
        );
    }
}

#[test]
fn object_with_200_000_keys() {
    let dir = TempDir::new().expect("tempdir");
    let mut payload = valid();
    let keys: serde_json::Map<String, Value> =
        (0..200_000).map(|i| (format!("k{i}"), json!(i))).collect();
    payload["auth"]["meta"] = Value::Object(keys.clone());
    // Free-form `auth.meta`: valid however many keys it has.
    let in_meta = write(dir.path(), "meta-200k.json", payload.to_string());
    let run = check_path(&in_meta);
    assert_eq!(run.code, 0, "{}", run.report["summary"]);

    // At the top level every key is unknown: one warning each, located on the one line, up
    // to the per-document cap; one summary counts the rest. Warnings alone pass.
    let mut top = valid();
    top.as_object_mut().expect("object").extend(keys);
    let text = top.to_string();
    let at_top = write(dir.path(), "top-200k.json", &text);
    let run = check_path(&at_top);
    assert_eq!(run.code, 0, "{}", run.report["summary"]);
    let cap = connlint::check::MAX_DIAGNOSTICS_PER_DOCUMENT;
    let about = run.about(&at_top);
    let unknown: Vec<&Value> = about
        .iter()
        .copied()
        .filter(|d| d["code"] == "lint::unknown-key")
        .collect();
    assert_eq!(unknown.len(), cap);
    let summary: Vec<&Value> = about
        .iter()
        .copied()
        .filter(|d| d["code"] == "connlint::too-many")
        .collect();
    assert_eq!(summary.len(), 1);
    assert_eq!(summary[0]["severity"], "warning");
    let hidden = 200_000 - cap;
    assert!(
        summary[0]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with(&format!("{hidden} more diagnostics"))),
        "{}",
        summary[0]["message"]
    );
    // The first keys in document order are the ones shown, each at its own column.
    let last = unknown.last().expect("unknown keys");
    let last_key = last["pointer"]
        .as_str()
        .expect("pointer")
        .trim_start_matches('/');
    let column = text.find(&format!("\"{last_key}\"")).expect("key") + 1;
    let shown_before = text[..=column].matches("\"k").count();
    assert_eq!(shown_before, cap, "{last_key} is the {cap}th key");
    assert_eq!(last["column"].as_u64(), Some(column as u64));
}

#[test]
fn jsonl_of_50_000_lines_with_one_bad_line() {
    const LINES: usize = 50_000;
    const BAD: usize = 31_337;
    let line = valid().to_string();
    let mut text = String::with_capacity((line.len() + 1) * LINES);
    for n in 1..=LINES {
        if n == BAD {
            text.push_str(&line.replace("\"crm\"", "\"crn\""));
        } else {
            text.push_str(&line);
        }
        text.push('\n');
    }
    let (_dir, path, run) = check_content("many.jsonl", text);
    let d = run.expect(1, &path, "schema::enum");
    assert_eq!(d["line"].as_u64(), Some(BAD as u64));
    assert_eq!(d["pointer"], "/categories/0");
    assert_eq!(run.about(&path).len(), 1, "{:#}", run.report);
}

#[test]
fn file_over_the_size_limit() {
    let (_dir, path, _) = check_content("big.json", valid().to_string());
    let run = check(&["--max-file-size".as_ref(), "16".as_ref(), path.as_os_str()]);
    let d = run.expect(2, &path, "io::too-large");
    assert!(d["message"].as_str().is_some_and(|m| m.contains("16-byte")));
}
