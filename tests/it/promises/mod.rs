//! The adversarial battery (issues 6 and 16), organised by promise, through the real binary:
//! whatever a repository holds and however connlint is run, it
//!
//! - prints no secret ([`secrets`]),
//! - never hangs ([`hangs`]),
//! - keeps its memory bounded ([`memory`]),
//! - never loses data when it writes ([`writes`]),
//! - exits with a code that means what it says ([`exit_codes`]),
//! - shows nothing raw to a terminal ([`output`]).
//!
//! Each test names what it attacks; the issue 16 ones name their point and failed on the
//! code before the fix. Large inputs are generated into temporary directories, never
//! committed. The fuzz targets (`fuzz/`) and their replayed findings
//! (`tests/it/regressions.rs`) hold the same promises on arbitrary bytes.

mod exit_codes;
mod hangs;
mod memory;
mod output;
mod secrets;
mod writes;

#[cfg(unix)]
use std::io::Read;
#[cfg(unix)]
use std::os::unix::fs::{MetadataExt, PermissionsExt};
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
use crate::support::{check_json, check_json_in, checker, connlint, connlint_in, formats, JsonRun};

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

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo");
    assert!(status.success());
}

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

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("read back")
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

/// Runs `connlint check --format json ARGS` in `dir`: the exit code and the codes reported.
fn check_codes(dir: &Path, args: &[&str]) -> (i32, Vec<String>) {
    let run = check_json_in(dir, args);
    (run.code, run.codes())
}

/// Whether `text` holds anything a terminal would act on or reorder.
fn has_raw_terminal_controls(text: &str) -> Option<char> {
    text.chars().find(|&c| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}
