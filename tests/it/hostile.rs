//! Hostile and broken input (issue 6), through the real binary: whatever a repository holds,
//! connlint answers with a clear diagnostic and the right exit code — 1 for bad content, 2 for
//! a path that cannot be checked — and never panics, hangs, fills memory or drops a file.
//!
//! Large inputs are generated here into a temporary directory, never committed. Every run has
//! a timeout: it is a guard against a hang (the test fails instead of blocking CI), not a
//! speed requirement, so it is generous.

use std::path::{Path, PathBuf};
#[cfg(unix)]
use std::process::{Child, Stdio};
#[cfg(unix)]
use std::time::{Duration, Instant};

use connlint::rules::RuleSet;
use serde_json::{json, Value};
use tempfile::TempDir;

#[cfg(unix)]
use crate::support::HANG_GUARD;
use crate::support::{check_json, checker, connlint, formats, JsonRun};

/// A valid Connection payload.
fn valid() -> Value {
    json!({
        "integration_type": "hubspot",
        "categories": ["crm"],
        "permissions": ["crm_contact_read"],
        "auth": {"access_token": "at_FAKE0123456789abcdef", "expires_in": 3600}
    })
}

/// A file in `dir` holding `bytes`.
fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write test input");
    path
}

fn check(args: &[&std::ffi::OsStr]) -> JsonRun {
    check_json(args)
}

fn check_path(path: &Path) -> JsonRun {
    check(&[path.as_os_str()])
}

/// Writes `bytes` as `name` in a fresh directory and checks it.
fn check_content(name: &str, bytes: impl AsRef<[u8]>) -> (TempDir, PathBuf, JsonRun) {
    let dir = TempDir::new().expect("tempdir");
    let path = write(dir.path(), name, bytes);
    let run = check_path(&path);
    (dir, path, run)
}

#[track_caller]
fn syntax_error(name: &str, bytes: impl AsRef<[u8]>, code: &str) -> Value {
    let (_dir, path, run) = check_content(name, bytes);
    run.expect(1, &path, code).clone()
}

// ---------------------------------------------------------------------------------------------
// Content that is not a Connection payload: exit 1, a `json::` diagnostic at a position.

#[test]
fn empty_file() {
    let d = syntax_error("empty.json", "", "json::syntax");
    assert_eq!(d["message"], "the file is empty");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn whitespace_only() {
    let d = syntax_error("blank.json", " \n\t\r\n  ", "json::syntax");
    assert_eq!(d["message"], "the file holds only whitespace");
}

/// Policy: a UTF-8 byte-order mark is accepted and skipped, and the rest is checked as usual
/// (editors on Windows add one). Lines and columns are those an editor shows.
#[test]
fn byte_order_mark_is_accepted_and_the_rest_checked() {
    let dir = TempDir::new().expect("tempdir");
    let pretty = serde_json::to_string_pretty(&valid()).expect("json");
    let clean = write(dir.path(), "bom.json", format!("\u{feff}{pretty}"));
    assert_eq!(check_path(&clean).code, 0);

    let mut payload = valid();
    payload["is_paused"] = json!("yes");
    let pretty = serde_json::to_string_pretty(&payload).expect("json");
    let line = pretty
        .lines()
        .position(|l| l.contains("is_paused"))
        .expect("line")
        + 1;
    let broken = write(
        dir.path(),
        "bom-wrong-type.json",
        format!("\u{feff}{pretty}"),
    );
    let run = check_path(&broken);
    let d = run.expect(1, &broken, "schema::type");
    assert_eq!(d["pointer"], "/is_paused");
    assert_eq!(d["line"].as_u64(), Some(line as u64));

    // Columns are those an editor shows, which hides the mark: the same as without it.
    let compact = payload.to_string();
    let with_mark = write(
        dir.path(),
        "bom-one-line.json",
        format!("\u{feff}{compact}"),
    );
    let without = write(dir.path(), "no-bom-one-line.json", &compact);
    let position = |path: &Path| {
        let run = check_path(path);
        let d = run.expect(1, path, "schema::type");
        (d["line"].clone(), d["column"].clone())
    };
    assert_eq!(position(&with_mark), position(&without));

    // Only a leading mark is skipped: one anywhere else is not JSON.
    let twice = write(dir.path(), "bom-twice.json", "\u{feff}\u{feff}{}");
    check_path(&twice).expect(1, &twice, "json::syntax");
}

#[test]
fn invalid_utf8() {
    let d = syntax_error(
        "latin1.json",
        b"{\n  \"integration_type\": \"caf\xe9\"\n}",
        "json::encoding",
    );
    assert_eq!(d["line"].as_u64(), Some(2));
    assert_eq!(d["pointer"], Value::Null);
}

#[test]
fn random_binary() {
    // A fixed xorshift sequence: reproducible "random" bytes, some runs of which are UTF-8.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let dir = TempDir::new().expect("tempdir");
    let mut paths = Vec::new();
    for i in 0..16 {
        let len = 1 + (next() % 4096) as usize;
        let mut bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        if i % 2 == 0 {
            // ASCII noise (valid UTF-8), so the parser, not the decoder, rejects it.
            bytes.iter_mut().for_each(|b| *b = 0x20 + *b % 0x5f);
        }
        paths.push(write(dir.path(), &format!("noise-{i:02}.json"), bytes));
    }
    let run = check(&[dir.path().as_os_str()]);
    assert_eq!(run.code, 1, "{:#}", run.report);
    for path in &paths {
        let codes: Vec<&Value> = run.about(path).iter().map(|d| &d["code"]).collect();
        assert!(
            codes
                .iter()
                .any(|c| c.as_str().is_some_and(|c| c.starts_with("json::"))),
            "{}: {codes:?}",
            path.display()
        );
    }
}

#[test]
fn nul_byte() {
    let after = syntax_error("nul-after.json", b"{}\0", "json::syntax");
    assert_eq!(after["message"], "a NUL byte is not allowed in JSON");
    assert_eq!(after["column"].as_u64(), Some(3));
    let inside = syntax_error(
        "nul-inside.json",
        b"{\"integration_type\": \"hub\0spot\"}",
        "json::syntax",
    );
    assert_eq!(inside["message"], "a NUL byte is not allowed in JSON");
    assert_eq!(inside["column"].as_u64(), Some(26));
}

#[test]
fn truncated_document() {
    let text = serde_json::to_string_pretty(&valid()).expect("json");
    for cut in [1, text.len() / 3, text.len() / 2, text.len() - 1] {
        let d = syntax_error("truncated.json", &text[..cut], "json::syntax");
        assert!(
            d["message"].as_str().is_some_and(|m| m.contains("EOF")),
            "cut at {cut}: {d}"
        );
    }
}

#[test]
fn trailing_data_after_the_document() {
    let text = format!("{} {{}}", valid());
    let d = syntax_error("trailing.json", text, "json::syntax");
    assert_eq!(d["message"], "trailing characters");
}

#[test]
fn nan_and_infinity() {
    for literal in ["NaN", "Infinity", "-Infinity"] {
        let text = format!(r#"{{"auth": {{"expires_in": {literal}}}}}"#);
        let d = syntax_error("nan.json", &text, "json::syntax");
        assert!(
            d["message"].as_str().is_some_and(|m| m.contains("NaN")),
            "{literal}: {d}"
        );
    }
}

#[test]
fn comments() {
    for text in [
        "// a payload\n{}",
        "{\n  /* inline */ \"categories\": []\n}",
        "{} // trailing",
    ] {
        let d = syntax_error("comment.json", text, "json::syntax");
        let message = d["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("comment") || message == "trailing characters",
            "{text:?}: {d}"
        );
    }
    let d = syntax_error("comment.json", "// a payload\n{}", "json::syntax");
    assert_eq!(d["message"], "comments are not allowed in JSON");
}

/// Decision: connlint parses numbers as 64-bit floats (serde_json without
/// `arbitrary_precision`). A number beyond ±1.8e308 is a `json::syntax` error at the number;
/// a long integer within range is accepted (rounded, as every JSON consumer would).
#[test]
fn numbers_beyond_f64_and_integers_of_thousands_of_digits() {
    for number in ["1e400".to_string(), "-1e400".into(), "9".repeat(5000)] {
        let text = format!("{{\n  \"auth\": {{\"expires_in\": {number}}}\n}}");
        let d = syntax_error("huge.json", &text, "json::syntax");
        assert!(
            d["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("number out of range")),
            "{d}"
        );
        // At the number's first character, not wherever the parser gave up.
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(2), Some(26))
        );
        // Help about the number, not the generic advice about comments and NaN.
        assert!(
            d["help"]
                .as_str()
                .is_some_and(|h| h.contains("smaller number")),
            "{d}"
        );
    }
    let long = format!("1{}", "0".repeat(300));
    let text = valid().to_string().replace("3600", &long);
    let (_dir, path, run) = check_content("long-integer.json", text);
    assert_eq!(run.code, 0, "{}: {:#}", path.display(), run.report);
}

// ---------------------------------------------------------------------------------------------
// Nesting: a diagnostic, never a stack overflow, in the parser and in everything after it.

#[test]
fn nesting_100_000_deep() {
    const DEEP: usize = 100_000;
    let dir = TempDir::new().expect("tempdir");
    let arrays = write(
        dir.path(),
        "arrays.json",
        "[".repeat(DEEP) + &"]".repeat(DEEP),
    );
    let objects = write(
        dir.path(),
        "objects.json",
        "{\"a\":".repeat(DEEP) + "1" + &"}".repeat(DEEP),
    );
    let unclosed = write(dir.path(), "unclosed.json", "[{\"a\":".repeat(DEEP));
    let mut meta = "[".repeat(DEEP) + &"]".repeat(DEEP);
    let text = serde_json::to_string(&valid()).expect("json");
    let in_meta = write(
        dir.path(),
        "in-auth-meta.json",
        text.replacen(
            "\"auth\":{",
            &format!("\"auth\":{{\"meta\":{{\"x\":{meta}}},"),
            1,
        ),
    );
    meta = "{\"k\":".repeat(DEEP) + "null" + &"}".repeat(DEEP);
    let line = text.replacen("\"auth\":{", &format!("\"auth\":{{\"meta\":{meta},"), 1);
    let jsonl = write(
        dir.path(),
        "deep.jsonl",
        format!("{text}\n{line}\n{text}\n"),
    );
    let run = check(&[dir.path().as_os_str()]);
    assert_eq!(run.code, 1, "{:#}", run.report);
    for path in [&arrays, &objects, &unclosed, &in_meta] {
        run.expect(1, path, "json::depth");
    }
    let d = run.expect(1, &jsonl, "json::depth");
    assert_eq!(d["line"].as_u64(), Some(2), "the deep line, not the file");
    assert_eq!(run.about(&jsonl).len(), 1, "lines 1 and 3 are valid");
}

/// Nesting at the limit parses, so the validator, every lint rule and the span locator walk
/// it — on the worker threads too, which have smaller stacks than the main thread; an error
/// elsewhere makes them locate it.
#[test]
fn nesting_at_the_limit_inside_auth_meta_reaches_every_stage() {
    // The root, `auth` and the innermost object are three of the levels; `meta` is the
    // outermost wrapper.
    let wrappers = connlint::tree::MAX_DEPTH - 3;
    let mut payload = valid();
    let mut nested = json!({"token": "s3cr3t-nested-value", "Bad Key": 1});
    for i in 0..wrappers {
        // Ends with an object: `meta` must be one.
        nested = if (wrappers - 1 - i) % 2 == 1 {
            json!([nested, nested.clone()])
        } else {
            json!({"k": nested, "integrationType": "x"})
        };
        if i > 8 {
            // Keep the document small: only the first levels are doubled.
            nested = match nested {
                Value::Array(mut items) => {
                    items.truncate(1);
                    Value::Array(items)
                }
                other => other,
            };
        }
    }
    payload["auth"]["meta"] = nested;
    let (dir, fine, run) = check_content("deep-meta.json", payload.to_string());
    assert_eq!(run.code, 0, "{:#}", run.report);

    payload["integration_type"] = json!(7);
    let text = serde_json::to_string_pretty(&payload).expect("json");
    let wrong = write(dir.path(), "deep-meta-wrong.json", &text);
    let run = check(&[dir.path().as_os_str()]);
    let d = run.expect(1, &wrong, "schema::type");
    assert_eq!(d["pointer"], "/integration_type");
    assert!(run.about(&fine).iter().all(|d| d["severity"] != "error"));

    let human = connlint()
        .arg("check")
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(human.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&human.stdout).contains("s3cr3t-nested-value"));

    // One level more is over the limit.
    let inner = payload["auth"]["meta"].take();
    payload["auth"]["meta"] = json!({ "one_more": inner });
    let over = write(dir.path(), "deep-meta-over.json", payload.to_string());
    check_path(&over).expect(1, &over, "json::depth");
}

// ---------------------------------------------------------------------------------------------
// Size.

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

// ---------------------------------------------------------------------------------------------
// Endless input: bounded by the size limit or refused before it is opened.

#[cfg(unix)]
#[test]
fn dev_zero_named_on_the_command_line() {
    let zero = Path::new("/dev/zero");
    check_path(zero).expect(2, zero, "io::not-a-file");
}

#[cfg(unix)]
#[test]
fn fifo_named_on_the_command_line_is_never_opened() {
    let dir = TempDir::new().expect("tempdir");
    let fifo = dir.path().join("pipe.json");
    mkfifo(&fifo);
    // Nobody writes to it: opening it would block until the timeout kills the run.
    check_path(&fifo).expect(2, &fifo, "io::not-a-file");
}

/// Waits for `child` at most `HANG_GUARD`, killing it (and failing) if it does not end.
#[cfg(unix)]
fn wait_bounded(mut child: Child) -> std::process::Output {
    let deadline = Instant::now() + HANG_GUARD;
    while child.try_wait().expect("poll").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("connlint did not finish: it hangs on an endless input");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

/// An endless pipe on standard input: `yes | connlint check -` and `… check /dev/stdin`.
/// (assert_cmd always gives the child its own stdin pipe, so this spawns directly.)
#[cfg(unix)]
#[test]
fn endless_pipe_on_stdin() {
    let bin = assert_cmd::cargo::cargo_bin("connlint");
    for (path, code) in [("-", "io::too-large"), ("/dev/stdin", "io::not-a-file")] {
        let mut yes = std::process::Command::new("yes")
            .stdout(Stdio::piped())
            .spawn()
            .expect("yes");
        let child = std::process::Command::new(&bin)
            .args([
                "check",
                "--format",
                "json",
                "--max-file-size",
                "1048576",
                path,
            ])
            .stdin(Stdio::from(yes.stdout.take().expect("pipe")))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("connlint");
        let output = wait_bounded(child);
        let _ = yes.kill();
        let _ = yes.wait();
        let report: Value = serde_json::from_slice(&output.stdout).expect("JSON report");
        assert_eq!(output.status.code(), Some(2), "{path}: {report:#}");
        assert_eq!(report["diagnostics"][0]["code"], code, "{path}: {report:#}");
        assert_eq!(report["diagnostics"][0]["path"], path);
    }

    // /dev/zero as standard input, with the default limit: stops at 256 MiB.
    let child = std::process::Command::new(&bin)
        .args(["check", "--format", "json", "-"])
        .stdin(std::fs::File::open("/dev/zero").expect("/dev/zero"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("connlint");
    let output = wait_bounded(child);
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    assert_eq!(output.status.code(), Some(2), "{report:#}");
    assert_eq!(report["diagnostics"][0]["code"], "io::too-large");
}

// ---------------------------------------------------------------------------------------------
// Paths.

#[test]
fn missing_file() {
    let dir = TempDir::new().expect("tempdir");
    let missing = dir.path().join("nope.json");
    check_path(&missing).expect(2, &missing, "io::not-found");
}

/// A directory named on the command line is walked; one found while walking is descended
/// into, even when its name ends in `.json`, and never read as a file.
#[test]
fn directories() {
    let dir = TempDir::new().expect("tempdir");
    let sub = dir.path().join("looks-like.json");
    std::fs::create_dir(&sub).expect("mkdir");
    let inner = write(&sub, "inner.json", "[1,");
    let run = check(&[dir.path().as_os_str()]);
    assert_eq!(run.report["summary"]["files"], 1, "{:#}", run.report);
    run.expect(1, &inner, "json::syntax");
    assert!(run.about(&sub).is_empty());

    // The `.json` directory named directly is walked the same way.
    let run = check_path(&sub);
    run.expect(1, &inner, "json::syntax");

    let empty = TempDir::new().expect("tempdir");
    let run = check(&[empty.path().as_os_str()]);
    assert_eq!(run.code, 0);
    assert_eq!(run.report["summary"]["files"], 0);
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo");
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn fifo_and_socket_skipped_in_a_walk_and_refused_when_named() {
    let dir = TempDir::new().expect("tempdir");
    let good = write(dir.path(), "good.json", valid().to_string());
    let fifo = dir.path().join("fifo.json");
    mkfifo(&fifo);
    let socket = dir.path().join("socket.json");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).expect("socket");

    let run = check(&[dir.path().as_os_str()]);
    assert_eq!(run.code, 0, "{:#}", run.report);
    assert_eq!(run.report["summary"]["files"], 1, "only good.json");
    assert!(run.about(&good).is_empty());

    let run = check(&[fifo.as_os_str(), socket.as_os_str(), good.as_os_str()]);
    run.expect(2, &fifo, "io::not-a-file");
    run.expect(2, &socket, "io::not-a-file");
    assert!(run.about(&good).is_empty());
}

#[cfg(unix)]
#[test]
fn symlink_loops() {
    use std::os::unix::fs::symlink;
    let dir = TempDir::new().expect("tempdir");
    let good = write(dir.path(), "good.json", valid().to_string());
    let a = dir.path().join("a.json");
    let b = dir.path().join("b.json");
    symlink(&b, &a).expect("symlink");
    symlink(&a, &b).expect("symlink");
    symlink(dir.path(), dir.path().join("self")).expect("symlink");

    // Named: the path cannot be checked.
    let run = check_path(&a);
    let d = run.expect(2, &a, "io::error");
    assert!(
        d["message"]
            .as_str()
            .is_some_and(|m| m.contains("symbolic links")),
        "{d}"
    );

    // Walked: links are not followed, so loops (file or directory) cannot trap the walk.
    let run = check(&[dir.path().as_os_str()]);
    assert_eq!(run.code, 0, "{:#}", run.report);
    assert_eq!(run.report["summary"]["files"], 1);
    assert!(run.about(&good).is_empty());
}

/// File names with spaces, non-ASCII and control characters reach every format intact
/// where the format can carry them, and escaped where a raw character would break it: no
/// format lets an escape sequence reach the terminal or split a line.
#[cfg(unix)]
#[test]
fn file_names_with_spaces_non_ascii_and_control_characters() {
    let dir = TempDir::new().expect("tempdir");
    let names = [
        "with space.json",
        "naïve-日本語.json",
        "ctl-\u{1b}[31mred\u{7}-\nnext-\r-\t.json",
    ];
    let paths: Vec<PathBuf> = names
        .iter()
        .map(|name| write(dir.path(), name, "{\"categories\": 1}"))
        .collect();
    let run = check(&[dir.path().as_os_str()]);
    for path in &paths {
        run.expect(1, path, "schema::type");
    }

    for (_, format) in formats() {
        let output = connlint()
            .args(["check", "--color", "never", "--format", &format])
            .args(&paths)
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(1), "{format}");
        let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
        assert!(
            !stdout.contains('\u{1b}'),
            "{format}: raw ESC in {stdout:?}"
        );
        assert!(!stdout.contains('\u{7}'), "{format}: raw BEL in {stdout:?}");
        assert!(!stdout.contains('\r'), "{format}: raw CR in {stdout:?}");
        assert!(
            !stdout.lines().any(|l| l.starts_with("next-")),
            "{format}: a newline in a file name split a line: {stdout:?}"
        );
        // Every file is named, by whatever escaping the format uses.
        let plain = ["with space", "naïve-日本語"];
        let encoded = ["with%20space", "na%C3%AFve-%E6%97%A5%E6%9C%AC%E8%AA%9E"];
        for (plain, encoded) in plain.iter().zip(encoded) {
            assert!(
                stdout.contains(plain) || stdout.contains(encoded),
                "{format}: {plain} not named in {stdout}"
            );
        }
        assert!(
            stdout.contains("red"),
            "{format}: control-character file not named"
        );
    }
}

/// A file that disappears between the walk and the read is reported as `io::not-found` and
/// the others are still checked (exit 2: a path could not be checked).
#[test]
fn file_deleted_between_walk_and_read() {
    use connlint::check::Outcome;
    use connlint::input::{discover, Discovery};

    let dir = TempDir::new().expect("tempdir");
    let gone = write(dir.path(), "gone.json", valid().to_string());
    let kept = write(dir.path(), "kept.json", "{}");
    let inputs = discover(&[dir.path().to_path_buf()], &Discovery::default());
    assert_eq!(inputs.len(), 2);
    std::fs::remove_file(&gone).expect("delete");

    let reports = checker(RuleSet::default()).check_all(&inputs);
    let report = |path: &Path| {
        reports
            .iter()
            .find(|r| r.path == path.to_string_lossy())
            .unwrap_or_else(|| panic!("no report for {}", path.display()))
    };
    let codes: Vec<&str> = report(&gone)
        .diagnostics
        .iter()
        .map(|d| d.code.as_ref())
        .collect();
    assert_eq!(codes, ["io::not-found"]);
    assert!(report(&kept)
        .diagnostics
        .iter()
        .any(|d| d.code == "schema::required"));
    assert_eq!(Outcome::of(&reports, false).exit_code(), 2);
}

/// A file found as a regular file but swapped for a FIFO before it is read (or streamed, for
/// `.jsonl`) is reported as `io::not-a-file` at once: opening it must not wait for a writer.
#[cfg(unix)]
#[test]
fn file_swapped_for_a_fifo_between_walk_and_read() {
    use connlint::input::{discover, Discovery};

    let dir = TempDir::new().expect("tempdir");
    let json = write(dir.path(), "a.json", valid().to_string());
    let jsonl = write(dir.path(), "b.jsonl", format!("{}\n", valid()));
    let inputs = discover(&[dir.path().to_path_buf()], &Discovery::default());
    assert_eq!(inputs.len(), 2);
    for path in [&json, &jsonl] {
        std::fs::remove_file(path).expect("delete");
        mkfifo(path);
    }
    // Checked on another thread: if opening blocked, the test would report it, not hang.
    let (done, result) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(checker(RuleSet::default()).check_all(&inputs));
    });
    let reports = result
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("opening a FIFO blocked the check");
    for report in &reports {
        let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_ref()).collect();
        assert_eq!(codes, ["io::not-a-file"], "{}", report.path);
    }
}

/// One bad file among many never stops the others: every file is reported.
#[test]
fn one_bad_file_among_many() {
    let dir = TempDir::new().expect("tempdir");
    let mut good = Vec::new();
    for i in 0..40 {
        good.push(write(
            dir.path(),
            &format!("good-{i:02}.json"),
            valid().to_string(),
        ));
    }
    let bad: Vec<(PathBuf, &str)> = vec![
        (
            write(dir.path(), "bad-binary.json", [0xff, 0xfe, 0, 1, 2]),
            "json::encoding",
        ),
        (
            write(dir.path(), "bad-deep.json", "[".repeat(200_000)),
            "json::depth",
        ),
        (write(dir.path(), "bad-empty.json", ""), "json::syntax"),
        (
            write(dir.path(), "bad-schema.json", "{}"),
            "schema::required",
        ),
        (
            write(dir.path(), "bad-lines.jsonl", "{}\nnot json\n"),
            "json::syntax",
        ),
    ];
    let missing = dir.path().join("missing.json");
    let mut args: Vec<&std::ffi::OsStr> = vec![dir.path().as_os_str(), missing.as_os_str()];
    let run = check(&args);
    assert_eq!(
        run.report["summary"]["files"].as_u64(),
        Some((good.len() + bad.len() + 1) as u64),
        "{:#}",
        run.report
    );
    run.expect(2, &missing, "io::not-found");
    for (path, code) in &bad {
        run.expect(2, path, code);
    }
    for path in &good {
        assert!(run.about(path).is_empty(), "{}", path.display());
    }

    // Without the unreadable path, bad content alone is exit 1.
    args.pop();
    let run = check(&args);
    for (path, code) in &bad {
        run.expect(1, path, code);
    }
}

/// Output to a closed pipe does not hang and prints no error: `connlint check … | head -1`.
/// The exit code is still what the check found (1: these files have errors); issue 16.
#[cfg(unix)]
#[test]
fn stdout_closed_early() {
    let dir = TempDir::new().expect("tempdir");
    for i in 0..200 {
        write(dir.path(), &format!("bad-{i:03}.json"), "{}");
    }
    let bin = assert_cmd::cargo::cargo_bin("connlint");
    let mut child = std::process::Command::new(bin)
        .args(["check", "--color", "never"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("connlint");
    let mut first = [0u8; 16];
    let mut stdout = child.stdout.take().expect("stdout");
    std::io::Read::read_exact(&mut stdout, &mut first).expect("some output");
    drop(stdout);
    let output = wait_bounded(child);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Control characters inside a payload — a raw ESC in a string, an escaped one in a key that
/// a message names — never reach the terminal raw, in any format.
#[test]
fn control_characters_in_content_are_escaped_in_every_format() {
    let dir = TempDir::new().expect("tempdir");
    let mut payload = valid();
    payload["\u{1b}]0;title\u{7}\u{1b}[2J"] = json!(1);
    let escaped_key = write(dir.path(), "escaped-key.json", payload.to_string());
    let raw = write(
        dir.path(),
        "raw-escape.json",
        "{\n  \"integration_type\": \"\u{1b}[2J\u{7}\",\n  \"x\": \u{1b}\n}",
    );
    let run = check(&[dir.path().as_os_str()]);
    let d = run.expect(1, &escaped_key, "lint::unknown-key");
    assert_eq!(d["pointer"], "/\u{1b}]0;title\u{7}\u{1b}[2J");
    run.expect(1, &raw, "json::syntax");
    for (_, format) in formats() {
        let output = connlint()
            .args(["check", "--color", "never", "--format", &format])
            .arg(dir.path())
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(1), "{format}");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(!stdout.contains('\u{1b}'), "{format}: raw ESC in {stdout}");
        assert!(!stdout.contains('\u{7}'), "{format}: raw BEL in {stdout}");
    }
}

// ---------------------------------------------------------------------------------------------
// Cost: bounded in the instance's size whatever the schema.

/// Issue 16, point 10: `anyOf` branches that both recurse into `items` double the work at
/// each level of nesting (this 62-byte instance would need 2^30 evaluations and gigabytes for
/// the error tree). connlint stops at its budget and says so: `schema::too-costly`, exit 1,
/// never a silent pass.
#[test]
fn an_exponential_schema_is_refused_with_a_diagnostic() {
    let dir = TempDir::new().expect("tempdir");
    let schema = write(
        dir.path(),
        "exponential.schema.json",
        json!({"anyOf": [
            {"type": "array", "items": {"$ref": "#"}},
            {"type": "array", "items": {"$ref": "#"}}
        ]})
        .to_string(),
    );
    let deep = write(
        dir.path(),
        "deep.json",
        format!("{}1{}\n", "[".repeat(30), "]".repeat(30)),
    );
    let run = check(&["--schema".as_ref(), schema.as_os_str(), deep.as_os_str()]);
    let diagnostic = run.expect(1, &deep, "schema::too-costly");
    assert_eq!(diagnostic["severity"], "error");
    assert_eq!(run.about(&deep).len(), 1);

    // The same schema on a shallow instance still validates, and finds the error.
    let shallow = write(dir.path(), "shallow.json", "[[[1]]]\n");
    let run = check(&["--schema".as_ref(), schema.as_os_str(), shallow.as_os_str()]);
    run.expect(1, &shallow, "schema::type");
    assert_eq!(run.about(&shallow).len(), 1);
}
