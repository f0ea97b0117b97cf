//! Promise: **no hang.** Whatever a repository or a command line holds, connlint ends, with
//! a diagnostic: nesting is bounded by the parser without recursion, endless inputs
//! (`/dev/zero`, a FIFO, an endless pipe) are refused or cut at the size limit, link loops
//! end, and validation stops at its budget whatever the schema (`schema::too-costly`).
//!
//! Every run has a timeout: a guard against a hang, not a speed requirement. Unit tests near
//! the code hold the rest: `src/input/read.rs` (support files that never block),
//! `src/input/discover.rs` (ignore files that are FIFOs or devices), `src/check/jsonl.rs`
//! (a too-long last line that once spun forever; a growing file), `src/validate/mod.rs`.

use super::*;

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
