//! `check --fix`, `--unsafe-fixes` and `--diff` on the real binary: every fix has a
//! before/after fixture pair in `fixtures/fix/`; fixing is idempotent; files that must not
//! change keep their bytes and modification time; a failed write leaves the original intact.

use std::path::{Path, PathBuf};

use predicates::prelude::*;

use crate::support::{check_json, connlint, fixture, parse_json};

fn fix_pairs() -> Vec<(PathBuf, PathBuf)> {
    let mut pairs: Vec<(PathBuf, PathBuf)> = std::fs::read_dir(fixture("fix"))
        .expect("fixtures/fix")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().contains(".before."))
        .map(|before| {
            let after = PathBuf::from(before.to_string_lossy().replace(".before.", ".after."));
            (before, after)
        })
        .collect();
    pairs.sort();
    pairs
}

/// Copies `before` into a temp dir and runs `--fix` (with `--unsafe-fixes` for `unsafe-*`).
fn fixed_copy(dir: &Path, before: &Path) -> PathBuf {
    let name = before
        .file_name()
        .expect("name")
        .to_string_lossy()
        .replace(".before.", ".");
    let target = dir.join(&name);
    std::fs::copy(before, &target).expect("copy");
    let mut cmd = connlint();
    cmd.args(["check", "--fix", "--format", "json"]);
    if name.starts_with("unsafe-") {
        cmd.arg("--unsafe-fixes");
    }
    cmd.arg(&target).assert().code(predicate::in_iter([0, 1]));
    target
}

#[test]
fn every_fix_turns_before_into_after_and_is_idempotent() {
    let pairs = fix_pairs();
    assert!(!pairs.is_empty(), "no .before. files in fixtures/fix");
    let dir = tempfile::tempdir().expect("tempdir");
    for (before, after) in &pairs {
        let target = fixed_copy(dir.path(), before);
        let want = std::fs::read(after)
            .unwrap_or_else(|_| panic!("{} has no after file", before.display()));
        let got = std::fs::read(&target).expect("read fixed");
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&want),
            "{}",
            before.display()
        );
        // A second run changes nothing.
        let again = fixed_copy(dir.path(), &target_as_before(&target, dir.path()));
        assert_eq!(
            std::fs::read(&again).expect("read"),
            want,
            "second --fix of {} changed it",
            before.display()
        );
    }
}

/// Renames a fixed file back to a `.before.` name so `fixed_copy` can fix it again.
fn target_as_before(target: &Path, dir: &Path) -> PathBuf {
    let name = target
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let (stem, ext) = name.rsplit_once('.').expect("extension");
    let renamed = dir.join(format!("again-{stem}.before.{ext}"));
    std::fs::copy(target, &renamed).expect("copy");
    let unsafe_name = dir.join(format!("{stem}.before.{ext}"));
    if stem.starts_with("unsafe-") {
        std::fs::rename(&renamed, &unsafe_name).expect("rename");
        return unsafe_name;
    }
    renamed
}

#[test]
fn the_fixed_file_checks_clean_of_what_was_fixed_and_the_summary_counts_fixes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("enum.json");
    std::fs::copy(fixture("fix/enum-case.before.json"), &target).expect("copy");
    let run = check_json([std::ffi::OsStr::new("--fix"), target.as_os_str()]);
    assert_eq!(run.summary("fixed"), 3);
    assert_eq!(run.summary("errors"), 0);
    assert_eq!(run.code, 0);
}

#[test]
fn unsafe_fixes_need_the_flag() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("scalars.json");
    std::fs::copy(fixture("fix/unsafe-string-scalars.before.json"), &target).expect("copy");
    let before = std::fs::read(&target).expect("read");
    connlint()
        .args(["check", "--fix"])
        .arg(&target)
        .assert()
        .code(1);
    assert_eq!(std::fs::read(&target).expect("read"), before);
}

fn mtime(path: &Path) -> std::time::SystemTime {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .expect("mtime")
}

#[test]
fn files_that_must_not_change_keep_bytes_and_mtime() {
    let dir = tempfile::tempdir().expect("tempdir");
    for source in [
        "invalid/syntax-error.json",
        "invalid/truncated.json",
        "invalid/missing-required.json",
        "valid/full.json",
        "invalid/not-utf8.json",
    ] {
        let target = dir
            .path()
            .join(Path::new(source).file_name().expect("name"));
        std::fs::copy(fixture(source), &target).expect("copy");
        let (bytes, modified) = (std::fs::read(&target).expect("read"), mtime(&target));
        std::thread::sleep(std::time::Duration::from_millis(20));
        connlint()
            .args(["check", "--fix", "--unsafe-fixes"])
            .arg(&target)
            .assert()
            .code(predicate::in_iter([0, 1]));
        assert_eq!(
            std::fs::read(&target).expect("read"),
            bytes,
            "{source} changed"
        );
        assert_eq!(mtime(&target), modified, "{source} was rewritten");
    }
}

#[test]
fn diff_prints_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("crlf.json");
    std::fs::copy(fixture("fix/crlf.before.json"), &target).expect("copy");
    let before = std::fs::read(&target).expect("read");
    connlint()
        .args(["check", "--diff"])
        .arg(&target)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("-  \"categories\": [\"CRM\"],"))
        .stdout(predicate::str::contains("+  \"categories\": [\"crm\"],"))
        .stdout(predicate::str::contains("Would fix 1 problem in 1 file."));
    assert_eq!(std::fs::read(&target).expect("read"), before);
    connlint()
        .args(["check", "--diff", "fixtures/valid/minimal.json"])
        .assert()
        .code(0);
}

#[test]
fn stdin_fix_writes_the_fixed_document_to_stdout() {
    let input = std::fs::read_to_string(fixture("fix/enum-case.before.json")).expect("read");
    let want = std::fs::read_to_string(fixture("fix/enum-case.after.json")).expect("read");
    connlint()
        .args(["check", "--fix", "-"])
        .write_stdin(input)
        .assert()
        .code(0)
        .stdout(want)
        .stderr(predicate::str::contains("fixed 3 problems"));
}

#[cfg(unix)]
#[test]
fn a_failed_write_keeps_the_original_and_exits_2() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).expect("mkdir");
    let target = locked.join("enum.json");
    std::fs::copy(fixture("fix/enum-case.before.json"), &target).expect("copy");
    let before = std::fs::read(&target).expect("read");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    // root ignores directory permissions (CI runs as root): make the directory immutable instead.
    let mut immutable = false;
    if std::fs::write(locked.join("probe"), b"x").is_ok() {
        let _ = std::fs::remove_file(locked.join("probe"));
        immutable = std::process::Command::new("chattr")
            .arg("+i")
            .arg(&locked)
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            immutable,
            "cannot make a directory unwritable here (no chmod effect, no chattr +i)"
        );
    }
    let output = connlint()
        .args(["check", "--fix", "--format", "json"])
        .arg(&target)
        .output()
        .expect("run");
    if immutable {
        let _ = std::process::Command::new("chattr")
            .arg("-i")
            .arg(&locked)
            .status();
    }
    let _ = std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755));
    assert_eq!(output.status.code(), Some(2));
    let report = parse_json(&output.stdout);
    assert_eq!(report["diagnostics"][0]["code"], "io::write");
    assert_eq!(std::fs::read(&target).expect("read"), before);
}

#[test]
fn fixes_appear_in_json_output() {
    let run = check_json(["fixtures/fix/enum-case.before.json"]);
    let fix = &run.diagnostics()[0]["fix"];
    assert_eq!(fix["applicability"], "safe");
    assert_eq!(fix["edits"][0]["content"], "\"crm\"");
    assert!(fix["edits"][0]["start"].is_u64() && fix["edits"][0]["end"].is_u64());
}
