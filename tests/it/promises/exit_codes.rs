//! Promise: **exit codes mean what they say.** 0: no error; 1: bad content, with a
//! diagnostic at its position; 2: a path that could not be checked, a file that could not be
//! written, or a usage or configuration error. A closed pipe, `--diff`, `--fix -` and a bad
//! exclude glob do not change that.

use super::*;

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

#[cfg(unix)]
/// 17: `connlint check … | head`: the reader closing the pipe does not turn errors into
/// success; the exit code is still what the check found.
#[test]
fn a_closed_pipe_keeps_the_exit_code_of_what_was_found() {
    let dir = TempDir::new().expect("tempdir");
    let item = "{\"integration_type\": \"hubspot\", \"categories\": [\"CRM\"], \"permissions\": \
                [\"crm_contact_read\"]}";
    // Far more report than a pipe and connlint's buffer hold, so writing must hit the
    // closed pipe.
    write(
        dir.path(),
        "many.json",
        format!("[{}]", vec![item; 5000].join(",\n")),
    );
    let mut child = process(dir.path())
        .args(["check", "--format", "concise", "many.json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).expect("some output");
    drop(stdout);
    let status = child.wait().expect("wait");
    assert_eq!(
        status.code(),
        Some(1),
        "errors were found: exit 1, pipe or not"
    );
}

#[cfg(unix)]
/// 17: a clean run whose reader goes away still exits 0.
#[test]
fn a_closed_pipe_after_a_clean_run_is_still_success() {
    let dir = TempDir::new().expect("tempdir");
    write(dir.path(), "a.json", FIXED);
    let mut child = process(dir.path())
        .args(["check", "a.json"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    assert_eq!(child.wait().expect("wait").code(), Some(0));
}

#[cfg(unix)]
/// 18: an exclude glob that parses but does not compile is a configuration error (exit 2,
/// naming the glob), not a run that silently drops every exclude.
#[test]
fn an_exclude_glob_that_does_not_compile_is_a_configuration_error() {
    let dir = TempDir::new().expect("tempdir");
    std::fs::create_dir(dir.path().join("legacy")).expect("mkdir");
    write(&dir.path().join("legacy"), "old.json", UNFIXABLE);
    let huge = "?".repeat(200_000);
    write(
        dir.path(),
        "connlint.toml",
        format!("exclude = [\"legacy/**\", \"{huge}\"]\n"),
    );
    let out = connlint_in(dir.path())
        .args(["check", "--format", "concise", "."])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        stderr.contains("is not a valid glob"),
        "{}",
        &stderr[..stderr.len().min(500)]
    );
}

#[cfg(unix)]
/// 19: `--diff -` shows the fix of standard input and exits 1.
#[test]
fn diff_of_standard_input_shows_the_fix_and_fails() {
    let dir = TempDir::new().expect("tempdir");
    let out = connlint_in(dir.path())
        .args(["check", "--diff", "-"])
        .write_stdin(FIXABLE)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("-  \"categories\": [\"CRM\"],"), "{stdout}");
    assert!(stdout.contains("+  \"categories\": [\"crm\"],"), "{stdout}");
    assert!(
        stdout.contains("Would fix 1 problem in 1 file."),
        "{stdout}"
    );
}

#[cfg(unix)]
/// 19: `--diff` exits non-zero while anything is wrong: 1 for an error no fix repairs (and
/// nothing to diff), 0 only for a clean file.
#[test]
fn diff_fails_while_an_unfixable_error_remains() {
    let dir = TempDir::new().expect("tempdir");
    write(dir.path(), "bad.json", UNFIXABLE);
    write(dir.path(), "good.json", FIXED);
    let out = connlint_in(dir.path())
        .args(["check", "--diff", "bad.json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Would fix 0 problems in 0 files."));
    let out = connlint_in(dir.path())
        .args(["check", "--diff", "good.json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
}

#[cfg(unix)]
/// 20: with `--fix -`, a failure to read standard input puts the report on standard error;
/// standard output, where the fixed document was expected, stays empty.
#[test]
fn fix_of_standard_input_that_cannot_be_read_leaves_stdout_empty() {
    let dir = TempDir::new().expect("tempdir");
    let out = connlint_in(dir.path())
        .args(["check", "--fix", "--max-file-size", "10", "-"])
        .write_stdin(FIXABLE)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("io::too-large"));
    // Standard input that is a directory: the read fails with an I/O error.
    let out = process(dir.path())
        .args(["check", "--fix", "-"])
        .stdin(std::fs::File::open(dir.path()).expect("open the directory"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("io::"));
}
