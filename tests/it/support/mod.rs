//! What the integration tests share: the real binary, its JSON report, fixture paths, the
//! output formats, a library checker and the proptest settings. One copy of each, so that a
//! change to how the binary is run (an environment variable, a timeout) is made once.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use clap::ValueEnum;
use connlint::check::Checker;
use connlint::output::Format;
use connlint::rules::RuleSet;
use connlint::schema::CompiledSchema;
use proptest::test_runner::{Config as ProptestConfig, FileFailurePersistence};
use serde_json::Value;

/// Far above what any run needs, even in a debug build on a busy machine: a guard that
/// turns a hang into a failure, not a speed requirement.
pub(crate) const HANG_GUARD: Duration = Duration::from_secs(300);

/// The repository root: the working directory of [`connlint`], where `fixtures/` and
/// `schemas/` are.
pub(crate) fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The absolute path of `relative` under `fixtures/`, for reading a fixture from a test.
/// (Command lines name fixtures relative to [`repo`], so that outputs stay stable.)
pub(crate) fn fixture(relative: &str) -> PathBuf {
    repo().join("fixtures").join(relative)
}

/// The real binary, run from the repository root. See [`connlint_in`].
pub(crate) fn connlint() -> Command {
    connlint_in(repo())
}

/// The real binary run in `dir`, with a fixed terminal width (miette wraps to it), colour
/// left to `--color` (the caller's `NO_COLOR` removed) and the [`HANG_GUARD`] timeout.
pub(crate) fn connlint_in(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("connlint").expect("the connlint binary is built");
    cmd.current_dir(dir)
        .env_remove("NO_COLOR")
        .env("COLUMNS", "100")
        .timeout(HANG_GUARD);
    cmd
}

/// Parses JSON output, showing the text when it is not JSON.
pub(crate) fn parse_json(bytes: impl AsRef<[u8]>) -> Value {
    let bytes = bytes.as_ref();
    serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", String::from_utf8_lossy(bytes)))
}

/// One `connlint check --format json` run: the exit code and the parsed report.
pub(crate) struct JsonRun {
    pub(crate) code: i32,
    pub(crate) report: Value,
}

impl JsonRun {
    /// Every diagnostic, in report order.
    pub(crate) fn diagnostics(&self) -> &[Value] {
        self.report["diagnostics"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The diagnostics about `path` (as the command line named it).
    pub(crate) fn about(&self, path: impl AsRef<Path>) -> Vec<&Value> {
        let name = path.as_ref().to_string_lossy();
        self.diagnostics()
            .iter()
            .filter(|d| d["path"] == name.as_ref())
            .collect()
    }

    /// The first diagnostic with `code`, anywhere in the report.
    #[track_caller]
    pub(crate) fn first(&self, code: &str) -> &Value {
        self.diagnostics()
            .iter()
            .find(|d| d["code"] == code)
            .unwrap_or_else(|| panic!("no {code}; report: {:#}", self.report))
    }

    /// Every diagnostic's code, in report order.
    pub(crate) fn codes(&self) -> Vec<String> {
        self.diagnostics()
            .iter()
            .map(|d| d["code"].as_str().expect("a code").to_string())
            .collect()
    }

    /// A count from the summary (`files`, `errors`, `warnings`, `fixed`, …).
    #[track_caller]
    pub(crate) fn summary(&self, key: &str) -> u64 {
        self.report["summary"][key]
            .as_u64()
            .unwrap_or_else(|| panic!("no summary.{key}; report: {:#}", self.report))
    }

    /// Asserts the exit code and that `path` has a diagnostic with `code`; returns it.
    #[track_caller]
    pub(crate) fn expect(&self, exit: i32, path: impl AsRef<Path>, code: &str) -> &Value {
        let path = path.as_ref();
        assert_eq!(self.code, exit, "exit code; report: {:#}", self.report);
        self.about(path)
            .into_iter()
            .find(|d| d["code"] == code)
            .unwrap_or_else(|| {
                panic!(
                    "no {code} for {}; report: {:#}",
                    path.display(),
                    self.report
                )
            })
    }
}

/// `connlint check --format json ARGS…` from the repository root.
pub(crate) fn check_json<I, S>(args: I) -> JsonRun
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    check_json_in(repo(), args)
}

/// `connlint check --format json ARGS…` in `dir`. Panics unless stdout is a JSON report
/// and the process exited (was not killed by a signal).
pub(crate) fn check_json_in<I, S>(dir: &Path, args: I) -> JsonRun
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let output = connlint_in(dir)
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .expect("connlint runs to completion");
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not a JSON report ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    JsonRun {
        code: output
            .status
            .code()
            .expect("exited, not killed by a signal"),
        report,
    }
}

/// Every output format with its `--format` value, from the `Format` enum itself, so that a
/// new format is tested without editing a list here.
pub(crate) fn formats() -> Vec<(Format, String)> {
    Format::value_variants()
        .iter()
        .filter_map(|f| {
            f.to_possible_value()
                .map(|v| (*f, v.get_name().to_string()))
        })
        .collect()
}

/// The built-in schema with `rules` and the default file-size limit: the checker the CLI
/// builds when no option changes it.
pub(crate) fn checker(rules: RuleSet) -> Checker {
    let schema = CompiledSchema::builtin().expect("the built-in schema compiles");
    Checker::new(schema, rules, connlint::input::DEFAULT_MAX_FILE_SIZE)
}

/// `cases` cases per property (or `PROPTEST_CASES` from the environment, for a longer run),
/// with failures saved beside the test's source file as `NAME.proptest-regressions` and
/// replayed first. proptest's default would put them under `tests/proptest-regressions/`,
/// since `tests/it/` holds a `main.rs`.
pub(crate) fn proptest_config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}
