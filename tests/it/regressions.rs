//! Inputs that once broke connlint, replayed under the fuzz targets' own assertions (the
//! same file, `fuzz/src/checks.rs`). A crash from `fuzz/run.sh` is kept by copying it from
//! `fuzz/artifacts/TARGET/` to `tests/regressions/TARGET/` under a name that says what it
//! broke; it runs here from then on.
//!
//! `check_bytes` inputs start with the fuzz target's mode byte (even: JSON, odd: JSON Lines).
//! Secret values in hand-written inputs start with `SECRET`: no output may show that word,
//! since a redacted secret shows at most its first four characters.

use std::path::PathBuf;

use crate::support::repo;

// Shared with the fuzz targets, where these functions are the crate's entry points.
#[allow(unreachable_pub)]
#[path = "../../fuzz/src/checks.rs"]
mod checks;

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = repo().join("tests/regressions").join(target);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.is_file())
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no inputs in {}", dir.display());
    paths
}

#[test]
fn check_bytes_regressions() {
    for path in inputs("check_bytes") {
        let data = std::fs::read(&path).expect("read input");
        let name = path.display();
        let (report, outputs) = checks::check_bytes(&data).expect("a mode byte");
        assert!(!report.diagnostics.is_empty(), "{name}: expected a problem");
        if data.windows(6).any(|w| w == b"SECRET") {
            for (format, output) in &outputs {
                assert!(
                    !output.contains("SECRET"),
                    "{name}: {format:?} shows a secret:\n{output}"
                );
            }
        }
    }
}

#[test]
fn span_locator_regressions() {
    for path in inputs("span_locator") {
        checks::span_locator(&std::fs::read(&path).expect("read input"));
    }
}

#[test]
fn jsonl_reader_regressions() {
    for path in inputs("jsonl_reader") {
        let data = std::fs::read(&path).expect("read input");
        // The target's own secret is checked there; a hand-written one is checked here.
        let secret_shown = checks::jsonl_reader(&data)
            .into_iter()
            .find(|output| output.contains("SECRET"));
        assert!(
            secret_shown.is_none(),
            "{}: {secret_shown:?}",
            path.display()
        );
    }
}

#[test]
fn fix_writes_regressions() {
    for path in inputs("fix_writes") {
        checks::fix_writes(&std::fs::read(&path).expect("read input"));
    }
}
