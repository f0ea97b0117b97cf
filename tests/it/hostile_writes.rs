//! Issue 16, points 13–21, through the real binary: `--fix` never loses data (links, owner,
//! a concurrent edit, read-only files, `--output` over an input), exit codes mean what they
//! say (a closed pipe, an exclude glob that does not compile, `--diff`, `--fix -`), and
//! nothing shown to a terminal carries a raw escape sequence or bidirectional override.
//!
//! Every test names its point; each failed on the code before the fix. Unix only: links,
//! owners, modes and `/proc` are what it is about.

#![cfg(unix)]

use std::io::Read;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tempfile::TempDir;

use crate::support::{check_json_in, connlint_in as connlint, HANG_GUARD};

/// A payload whose one problem has a safe fix (`"CRM"` → `"crm"`).
const FIXABLE: &str = "{\n  \"integration_type\": \"hubspot\",\n  \"categories\": [\"CRM\"],\n  \
                       \"permissions\": [\"crm_contact_read\"]\n}\n";
/// [`FIXABLE`] fixed.
const FIXED: &str = "{\n  \"integration_type\": \"hubspot\",\n  \"categories\": [\"crm\"],\n  \
                     \"permissions\": [\"crm_contact_read\"]\n}\n";
/// A payload with an error no fix repairs.
const UNFIXABLE: &str = "{\n  \"integration_type\": \"hubspot\",\n  \"categories\": \
                         [\"crm\"],\n  \"permissions\": [\"zzzz_nothing_like_it\"]\n}\n";

/// The binary as a plain process, for standard input from a file and for pipes.
fn process(dir: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("connlint"));
    cmd.current_dir(dir);
    cmd
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write test input");
    path
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("read back")
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

/// Runs `connlint check --format json ARGS` in `dir`: the exit code and the codes reported.
fn check_json(dir: &Path, args: &[&str]) -> (i32, Vec<String>) {
    let run = check_json_in(dir, args);
    (run.code, run.codes())
}

// ---------------------------------------------------------------------------------------------
// 13–16: `--fix` losing data.

/// 13: a symbolic link is followed; the file it names is fixed and the link stays a link.
#[test]
fn fix_follows_a_symlink_and_keeps_the_link() {
    let dir = TempDir::new().expect("tempdir");
    let real = write(dir.path(), "real.json", FIXABLE);
    std::os::unix::fs::symlink("real.json", dir.path().join("link.json")).expect("symlink");
    let (code, codes) = check_json(dir.path(), &["--fix", "link.json"]);
    assert_eq!((code, codes), (0, vec![]));
    let link = std::fs::symlink_metadata(dir.path().join("link.json")).expect("lstat");
    assert!(link.file_type().is_symlink(), "the link was replaced");
    assert_eq!(read(&real), FIXED, "the link's target was not fixed");
}

/// 13: owner, group and mode are kept (as root, the file is given to `nobody:nogroup`
/// first, as in the report: a `640` file fixed by root must stay readable by its owner).
#[test]
fn fix_keeps_owner_group_and_mode() {
    let dir = TempDir::new().expect("tempdir");
    let path = write(dir.path(), "a.json", FIXABLE);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    if is_root() {
        std::os::unix::fs::chown(&path, Some(65534), Some(65534)).expect("chown");
    }
    let before = std::fs::metadata(&path).expect("stat");
    let (code, _) = check_json(dir.path(), &["--fix", "a.json"]);
    assert_eq!(code, 0);
    let after = std::fs::metadata(&path).expect("stat");
    assert_eq!(read(&path), FIXED);
    assert_eq!(
        (after.uid(), after.gid(), after.mode() & 0o7777),
        (before.uid(), before.gid(), 0o640)
    );
}

/// 13: a hard-linked file is refused (`io::hard-linked`, exit 2): a rename would split it
/// from its other names. Both names keep the same, unchanged file.
#[test]
fn fix_refuses_a_hard_linked_file() {
    let dir = TempDir::new().expect("tempdir");
    let path = write(dir.path(), "a.json", FIXABLE);
    let other = dir.path().join("b.json");
    std::fs::hard_link(&path, &other).expect("link");
    let (code, codes) = check_json(dir.path(), &["--fix", "a.json"]);
    assert_eq!(code, 2);
    assert!(codes.contains(&"io::hard-linked".to_string()), "{codes:?}");
    assert_eq!(
        (read(&path), read(&other)),
        (FIXABLE.into(), FIXABLE.into())
    );
    assert_eq!(std::fs::metadata(&path).expect("stat").nlink(), 2);
}

/// 14: an edit saved while `--fix` works on a file is never overwritten. The edit lands
/// after connlint has read the file (its `rchar` counter has passed the file's size) and
/// while it checks the fixed text of a large document; the file must end with the edit, and
/// the run says `io::changed` (exit 2).
#[cfg(target_os = "linux")]
#[test]
fn fix_never_overwrites_an_edit_made_during_the_run() {
    let dir = TempDir::new().expect("tempdir");
    let item = "{\"integration_type\": \"hubspot\", \"categories\": [\"CRM\"], \"permissions\": \
                [\"crm_contact_read\"]}";
    // Large enough that checking it again after the fixes takes far longer than the edit
    // below needs to land (seconds in a debug build, a good part of one in a release build).
    let text = format!("[\n{}\n]\n", vec![item; 20_000].join(",\n"));
    let path = write(dir.path(), "big.json", &text);
    let mut child = process(dir.path())
        .args(["check", "--format", "json", "--fix", "big.json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let io = format!("/proc/{}/io", child.id());
    let rchar = || -> u64 {
        std::fs::read_to_string(&io)
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("rchar: ").and_then(|n| n.parse().ok()))
            })
            .unwrap_or(0)
    };
    let started = std::time::Instant::now();
    while rchar() < text.len() as u64 && started.elapsed() < HANG_GUARD {
        std::thread::sleep(Duration::from_millis(1));
    }
    let edit = FIXED.replace("hubspot", "salesforce");
    std::fs::write(&path, &edit).expect("edit");
    let mut stdout = Vec::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_end(&mut stdout)
        .expect("read report");
    let status = child.wait().expect("wait");
    assert_eq!(read(&path), edit, "the edit made during --fix was lost");
    assert_eq!(
        status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&stdout)
    );
    assert!(String::from_utf8_lossy(&stdout).contains("io::changed"));
}

/// 15: a read-only file is not rewritten, even where its directory allows a rename.
#[test]
fn fix_refuses_a_read_only_file() {
    let dir = TempDir::new().expect("tempdir");
    let path = write(dir.path(), "a.json", FIXABLE);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let (code, codes) = check_json(dir.path(), &["--fix", "a.json"]);
    assert_eq!(code, 2);
    assert!(codes.contains(&"io::read-only".to_string()), "{codes:?}");
    assert_eq!(read(&path), FIXABLE);
    assert_eq!(
        std::fs::metadata(&path).expect("stat").mode() & 0o7777,
        0o444
    );
}

/// 16: `--output` naming an input, directly, through a link, or as redirected standard
/// input, is a usage error (exit 2) and the payload is untouched.
#[test]
fn output_naming_an_input_is_refused() {
    let dir = TempDir::new().expect("tempdir");
    let path = write(dir.path(), "a.json", UNFIXABLE);
    std::os::unix::fs::symlink("a.json", dir.path().join("report.txt")).expect("symlink");
    for args in [
        &["check", "a.json", "--output", "a.json"][..],
        &["check", "a.json", "--output", "report.txt"],
        &["check", "--fix", "a.json", "-o", "a.json"],
        &["check", "--diff", "a.json", "-o", "report.txt"],
        &["check", ".", "-o", "a.json"],
    ] {
        let out = connlint(dir.path()).args(args).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("names a file this run checks"),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(read(&path), UNFIXABLE, "{args:?} overwrote the payload");
    }
    let out = process(dir.path())
        .args(["check", "-", "-o", "a.json"])
        .stdin(std::fs::File::open(&path).expect("open"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(read(&path), UNFIXABLE);
    // Another file is written, as before.
    let out = connlint(dir.path())
        .args(["check", "a.json", "-o", "out.txt"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(read(&dir.path().join("out.txt")).contains("schema::enum"));
}

// ---------------------------------------------------------------------------------------------
// 17–21: exit codes and contracts.

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
        &format!("[{}]", vec![item; 5000].join(",\n")),
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
        &format!("exclude = [\"legacy/**\", \"{huge}\"]\n"),
    );
    let out = connlint(dir.path())
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

/// 19: `--diff -` shows the fix of standard input and exits 1.
#[test]
fn diff_of_standard_input_shows_the_fix_and_fails() {
    let dir = TempDir::new().expect("tempdir");
    let out = connlint(dir.path())
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

/// 19: `--diff` exits non-zero while anything is wrong: 1 for an error no fix repairs (and
/// nothing to diff), 0 only for a clean file.
#[test]
fn diff_fails_while_an_unfixable_error_remains() {
    let dir = TempDir::new().expect("tempdir");
    write(dir.path(), "bad.json", UNFIXABLE);
    write(dir.path(), "good.json", FIXED);
    let out = connlint(dir.path())
        .args(["check", "--diff", "bad.json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Would fix 0 problems in 0 files."));
    let out = connlint(dir.path())
        .args(["check", "--diff", "good.json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
}

/// 20: with `--fix -`, a failure to read standard input puts the report on standard error;
/// standard output, where the fixed document was expected, stays empty.
#[test]
fn fix_of_standard_input_that_cannot_be_read_leaves_stdout_empty() {
    let dir = TempDir::new().expect("tempdir");
    let out = connlint(dir.path())
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

/// Whether `text` holds anything a terminal would act on or reorder.
fn has_raw_terminal_controls(text: &str) -> Option<char> {
    text.chars().find(|&c| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

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
    let out = connlint(dir.path())
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

/// 21: `--diff` honours `--output`, and refuses a `--format` it has no form for.
#[test]
fn diff_honours_output_and_refuses_other_formats() {
    let dir = TempDir::new().expect("tempdir");
    write(dir.path(), "a.json", FIXABLE);
    let out = connlint(dir.path())
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
    let out = connlint(dir.path())
        .args(["check", "--diff", "--format", "json", "a.json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--diff prints a unified diff"));
}

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
        let out = connlint(dir.path())
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
        let out = connlint(dir.path()).args(args).output().expect("runs");
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
