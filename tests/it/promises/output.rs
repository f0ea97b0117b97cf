//! Promise: **nothing shown to a terminal carries a raw control.** File names, keys, snippets
//! and `--diff` lines pass through one escaper: no ESC/OSC sequence, newline that forges a
//! line, or bidirectional override reaches the terminal raw, in any format.

use super::*;

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

#[cfg(unix)]
/// 21: `--diff` escapes names and contents: a newline in a file name cannot forge a `+++`
/// header, and C1 controls (U+009B is CSI) and bidi overrides in the content (both allowed
/// raw in JSON strings) reach the terminal as visible escapes.
#[test]
fn diff_escapes_file_names_and_contents() {
    let dir = TempDir::new().expect("tempdir");
    let name = "a\n+++ evil.json";
    let text =
        "{\n  \"integration_type\": \"hubspot\",\n  \"name\": \"\u{9b}2J\u{7f}\u{202e}x\",\n  \
                \"categories\": [\"CRM\"],\n  \"permissions\": [\"crm_contact_read\"]\n}\n";
    write(dir.path(), name, text);
    let out = connlint_in(dir.path())
        .args(["check", "--diff", name])
        .output()
        .expect("runs");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("+  \"categories\": [\"crm\"],"), "{stdout}");
    assert_eq!(has_raw_terminal_controls(&stdout), None, "{stdout:?}");
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("+++ ")).count(),
        1,
        "a forged header: {stdout}"
    );
    assert!(stdout.contains("+++ b/a\\n+++ evil.json\n"), "{stdout}");
    assert!(stdout.contains("\\u{9b}2J\\u{7f}\\u{202e}x"), "{stdout}");
}

#[cfg(unix)]
/// 21: `--diff` honours `--output`, and refuses a `--format` it has no form for.
#[test]
fn diff_honours_output_and_refuses_other_formats() {
    let dir = TempDir::new().expect("tempdir");
    write(dir.path(), "a.json", FIXABLE);
    let out = connlint_in(dir.path())
        .args(["check", "--diff", "a.json", "-o", "fix.diff"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(read(&dir.path().join("fix.diff")).contains("+++ b/a.json"));
    assert_eq!(read(&dir.path().join("a.json")), FIXABLE);
    let out = connlint_in(dir.path())
        .args(["check", "--diff", "--format", "json", "a.json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--diff prints a unified diff"));
}

#[cfg(unix)]
/// 21: bidirectional overrides (and escape sequences) in file names and keys never reach
/// the terminal raw in human, concise or github output.
#[test]
fn bidi_overrides_are_escaped_in_every_format_for_people() {
    let dir = TempDir::new().expect("tempdir");
    let name = "evil\u{202e}nosj.json";
    write(
        dir.path(),
        name,
        "{\"integration_type\": \"hubspot\", \"categories\": [\"crm\"], \"permissions\": \
         [\"crm_contact_read\"], \"a\u{202e}\u{2066}b\u{9b}\": 1, \"categories\": [\"CRM\"]}\n",
    );
    for format in ["human", "concise", "github"] {
        let out = connlint_in(dir.path())
            .args(["check", "--color", "never", "--format", format, name])
            .output()
            .expect("runs");
        let stdout = String::from_utf8(out.stdout).expect("UTF-8");
        assert_eq!(out.status.code(), Some(1), "{format}: {stdout}");
        assert_eq!(
            has_raw_terminal_controls(&stdout),
            None,
            "{format}: {stdout:?}"
        );
        assert!(stdout.contains("\\u{202e}"), "{format}: {stdout}");
    }
}

#[cfg(unix)]
/// 21: a whole-run error (a schema or configuration that cannot be read, a bad `--output`)
/// names its path through the same escaper: no raw escape sequence on standard error.
#[test]
fn whole_run_errors_escape_the_paths_they_name() {
    let dir = TempDir::new().expect("tempdir");
    write(dir.path(), "a.json", FIXED);
    let evil = "no\u{1b}]0;pwned\u{7}\u{202e}.json";
    for args in [
        &["check", "--schema", evil, "a.json"][..],
        &["check", "--config", evil, "a.json"],
        &[
            "check",
            "a.json",
            "--output",
            "missing-dir/\u{1b}[2J/out.txt",
        ],
    ] {
        let out = connlint_in(dir.path()).args(args).output().expect("runs");
        let stderr = String::from_utf8(out.stderr).expect("UTF-8");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(
            has_raw_terminal_controls(&stderr),
            None,
            "{args:?}: {stderr:?}"
        );
        assert!(stderr.contains("\\u{1b}"), "{args:?}: {stderr}");
    }
}
