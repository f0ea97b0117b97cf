//! Promise: **`--fix` and `--output` never lose data.** Links are followed, owner, group and
//! mode kept; a hard-linked, read-only or concurrently edited file is left as it is, with a
//! diagnostic and exit 2; a report is never written over an input.
//!
//! Unix only: links, owners, modes and `/proc` are what it is about. The writer's unit tests
//! are in `src/write.rs`; the `fix_writes` fuzz target runs `--fix` on arbitrary bytes.

#![cfg(unix)]

use super::*;

#[cfg(unix)]
/// 13: a symbolic link is followed; the file it names is fixed and the link stays a link.
#[test]
fn fix_follows_a_symlink_and_keeps_the_link() {
    let dir = TempDir::new().expect("tempdir");
    let real = write(dir.path(), "real.json", FIXABLE);
    std::os::unix::fs::symlink("real.json", dir.path().join("link.json")).expect("symlink");
    let (code, codes) = check_codes(dir.path(), &["--fix", "link.json"]);
    assert_eq!((code, codes), (0, vec![]));
    let link = std::fs::symlink_metadata(dir.path().join("link.json")).expect("lstat");
    assert!(link.file_type().is_symlink(), "the link was replaced");
    assert_eq!(read(&real), FIXED, "the link's target was not fixed");
}

#[cfg(unix)]
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
    let (code, _) = check_codes(dir.path(), &["--fix", "a.json"]);
    assert_eq!(code, 0);
    let after = std::fs::metadata(&path).expect("stat");
    assert_eq!(read(&path), FIXED);
    assert_eq!(
        (after.uid(), after.gid(), after.mode() & 0o7777),
        (before.uid(), before.gid(), 0o640)
    );
}

#[cfg(unix)]
/// 13: a hard-linked file is refused (`io::hard-linked`, exit 2): a rename would split it
/// from its other names. Both names keep the same, unchanged file.
#[test]
fn fix_refuses_a_hard_linked_file() {
    let dir = TempDir::new().expect("tempdir");
    let path = write(dir.path(), "a.json", FIXABLE);
    let other = dir.path().join("b.json");
    std::fs::hard_link(&path, &other).expect("link");
    let (code, codes) = check_codes(dir.path(), &["--fix", "a.json"]);
    assert_eq!(code, 2);
    assert!(codes.contains(&"io::hard-linked".to_string()), "{codes:?}");
    assert_eq!(
        (read(&path), read(&other)),
        (FIXABLE.into(), FIXABLE.into())
    );
    assert_eq!(std::fs::metadata(&path).expect("stat").nlink(), 2);
}

#[cfg(unix)]
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

#[cfg(unix)]
/// 15: a read-only file is not rewritten, even where its directory allows a rename.
#[test]
fn fix_refuses_a_read_only_file() {
    let dir = TempDir::new().expect("tempdir");
    let path = write(dir.path(), "a.json", FIXABLE);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let (code, codes) = check_codes(dir.path(), &["--fix", "a.json"]);
    assert_eq!(code, 2);
    assert!(codes.contains(&"io::read-only".to_string()), "{codes:?}");
    assert_eq!(read(&path), FIXABLE);
    assert_eq!(
        std::fs::metadata(&path).expect("stat").mode() & 0o7777,
        0o444
    );
}

#[cfg(unix)]
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
        let out = connlint_in(dir.path()).args(args).output().expect("runs");
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
    let out = connlint_in(dir.path())
        .args(["check", "a.json", "-o", "out.txt"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(read(&dir.path().join("out.txt")).contains("schema::enum"));
}
