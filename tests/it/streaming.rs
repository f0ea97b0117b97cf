//! The streamed report: what a run writes as it goes is byte for byte what rendering every
//! file's whole report, sorted by path, would write, in every format and whatever order the
//! inputs come in; and a run's memory does not grow with the number of its diagnostics.

use std::io::Write;
use std::path::{Path, PathBuf};

use connlint::check::{Checker, ReportSink};
use connlint::diagnostic::FileReport;
use connlint::input::{discover, Discovery};
use connlint::output::{render, Format, RenderOptions, Renderer};
use connlint::rules::RuleSet;

use crate::support::{checker, connlint_in, formats};

const VALID: &str = concat!(
    r#"{"integration_type": "hubspot", "categories": ["crm"], "#,
    r#""permissions": ["crm_contact_read"]}"#
);
const WARNING: &str = concat!(
    r#"{"integration_type": "hubspot", "categories": ["crm"], "#,
    r#""permissions": ["crm_contact_read"], "created_at": "2024-05-01T00:00:00Z", "#,
    r#""updated_at": "2023-01-01T00:00:00Z"}"#
);
const ERROR: &str = concat!(
    r#"{"integration_type": "hubspot", "categories": ["crn"], "permissions": [], "#,
    r#""auth": {"access_token": "at_FAKE0123456789abcdef"}}"#
);

/// Files of every kind a run meets, in a fresh directory: valid and failing `.json` files
/// (a directory of more than the checker's window among them),
/// an array, bytes that are not UTF-8, a JSON Lines file large enough to be read in several
/// chunks (so it is handed on in several parts) with broken lines that leave a document
/// open, a small `.ndjson`, and a path that does not exist.
fn corpus(dir: &Path) -> Vec<PathBuf> {
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&path, bytes).expect("write");
        path
    };
    let mut lines = String::new();
    for i in 0..14_000 {
        let line = match i % 11 {
            0 | 4 => WARNING,
            7 => ERROR,
            9 if i % 3 == 0 => "{\"integration_type\": \"x\", \"credentials\":",
            10 if i % 5 == 0 => "",
            _ => VALID,
        };
        lines.push_str(line);
        lines.push('\n');
    }
    assert!(lines.len() > 1 << 20, "several chunks, read in parts");
    let mut paths = vec![
        write("a.json", VALID.as_bytes()),
        write("b.json", format!("{ERROR}\n").as_bytes()),
        write(
            "c/array.json",
            format!("[{WARNING}, {ERROR}, {VALID}]").as_bytes(),
        ),
        write("c/latin1.json", b"{\"integration_type\": \"caf\xe9\"}"),
        write("d/export.jsonl", lines.as_bytes()),
        write("d/small.ndjson", format!("{ERROR}\n{WARNING}\n").as_bytes()),
        write("e.json", format!("{{\"a\": 1,,\n{WARNING}").as_bytes()),
    ];
    // More files than the checker works ahead of the reports handed on.
    for i in 0..connlint::check::WINDOW * 2 + 7 {
        let text = if i % 3 == 0 { ERROR } else { WARNING };
        write(&format!("many/f{i:03}.json"), text.as_bytes());
    }
    paths.push(dir.join("many"));
    paths.push(dir.join("missing.json"));
    paths
}

/// Records what a checker hands on, to render it later in every format.
#[derive(Default)]
struct Recorded(Vec<(FileReport, bool)>);

impl ReportSink for Recorded {
    fn part(&mut self, part: FileReport, last: bool) {
        self.0.push((part, last));
    }
}

/// A deterministic shuffle (a linear congruential generator; no dependency for this).
fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    for i in (1..items.len()).rev() {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let j = ((state >> 33) % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

fn render_parts(format: Format, options: &RenderOptions, parts: &[(FileReport, bool)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut renderer = Renderer::new(format, *options, &mut out);
    for (part, last) in parts {
        renderer.add(part, *last);
    }
    let (_, written) = renderer.finish();
    written.expect("render");
    out
}

#[test]
fn the_streamed_report_is_the_sorted_report_in_every_format_and_input_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = corpus(dir.path());
    let sorted = discover(&paths, &Discovery::default());
    let whole = checker(RuleSet::default()).check_all(&sorted);
    for quiet in [false, true] {
        let options = RenderOptions {
            quiet,
            statistics: true,
            ..RenderOptions::default()
        };
        // Hidden warnings are counted, not built: the same report either way.
        let streaming: Checker = checker(RuleSet::default()).hide_warnings(quiet);
        let expected: Vec<(Format, Vec<u8>)> = formats()
            .into_iter()
            .map(|(format, _)| {
                let mut out = Vec::new();
                render(format, &whole, &options, &mut out).expect("render");
                (format, out)
            })
            .collect();
        for seed in 0..3 {
            let mut inputs = discover(&paths, &Discovery::default());
            shuffle(&mut inputs, seed);
            let mut recorded = Recorded::default();
            streaming.check_each(&inputs, None, &mut recorded);
            let export_parts = recorded
                .0
                .iter()
                .filter(|(part, _)| part.path.ends_with("export.jsonl"))
                .count();
            assert!(
                export_parts > 1,
                "the JSON Lines file came in {export_parts} part"
            );
            let files = recorded.0.iter().filter(|(_, last)| *last).count();
            assert_eq!(files, inputs.len());
            assert!(files > connlint::check::WINDOW * 2);
            for (format, expected) in &expected {
                let streamed = render_parts(*format, &options, &recorded.0);
                assert!(
                    streamed == *expected,
                    "{format:?}, quiet {quiet}, seed {seed}: streamed\n{}\nsorted\n{}",
                    String::from_utf8_lossy(&streamed),
                    String::from_utf8_lossy(expected)
                );
            }
        }
    }
}

#[test]
fn the_report_does_not_depend_on_the_order_of_the_paths_given() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut names: Vec<String> = corpus(dir.path())
        .iter()
        .map(|p| {
            p.strip_prefix(dir.path())
                .expect("inside")
                .display()
                .to_string()
        })
        .collect();
    for (_, format) in formats() {
        let run = |names: &[String]| {
            let output = connlint_in(dir.path())
                .args(["check", "--no-progress", "--format", &format])
                .args(names)
                .output()
                .expect("runs");
            (output.status.code(), output.stdout)
        };
        let first = run(&names);
        assert_eq!(first.0, Some(2), "{format}: the missing file");
        shuffle(&mut names, 7);
        assert!(run(&names) == first, "{format}");
        names.reverse();
        assert!(run(&names) == first, "{format}");
    }
}

/// A JSON Lines file of `lines` lines, each valid but with ten `lint::unknown-key` warnings.
fn warnings_file(path: &Path, lines: usize) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    let keys: String = (0..10).map(|k| format!(", \"extra_{k}\": {k}")).collect();
    for _ in 0..lines {
        let line = VALID.trim_end_matches('}');
        writeln!(file, "{line}{keys}}}").expect("write");
    }
    file.flush().expect("flush");
}

/// Runs the real binary in `dir` with `args`, and returns its exit code and peak resident
/// set size in KiB, from the kernel's accounting of that one process (`wait4`).
///
/// The binary is started by a shell, not by this process: a process started by a big,
/// multi-threaded test binary inherits that binary's peak in its own accounting (Linux
/// keeps the peak of the memory image a process replaces at `exec`), while one forked by a
/// small shell starts from the shell's few MiB. This process becomes a subreaper, so that
/// the binary, orphaned when the shell exits, is reparented here and can be waited for.
#[cfg(target_os = "linux")]
fn peak_rss_kib(dir: &Path, args: &[&str]) -> (i32, i64) {
    use std::process::{Command, Stdio};
    // SAFETY: PR_SET_CHILD_SUBREAPER takes an integer flag and touches no memory of ours.
    let subreaper = unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
    assert_eq!(subreaper, 0, "prctl(PR_SET_CHILD_SUBREAPER)");
    let binary = assert_cmd::cargo::cargo_bin("connlint");
    let shell = Command::new("/bin/sh")
        .arg("-c")
        .arg(r#""$0" "$@" >/dev/null 2>&1 </dev/null & echo $!"#)
        .arg(binary)
        .args(args)
        .current_dir(dir)
        .stderr(Stdio::inherit())
        .output()
        .expect("the shell runs");
    let pid: libc::pid_t = String::from_utf8_lossy(&shell.stdout)
        .trim()
        .parse()
        .expect("the shell prints the pid");
    let deadline = std::time::Instant::now() + crate::support::HANG_GUARD;
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is now our child (see above); the pointers are to live locals.
        let done = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        assert!(done >= 0, "wait4: {}", std::io::Error::last_os_error());
        if done == pid {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "connlint {args:?} hangs"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        libc::WIFEXITED(status),
        "connlint {args:?} did not exit normally"
    );
    (libc::WEXITSTATUS(status), usage.ru_maxrss)
}

#[cfg(target_os = "linux")]
#[test]
fn memory_stays_flat_as_diagnostics_grow_in_every_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    // 20,000 and 200,000 warnings.
    warnings_file(&dir.path().join("few.jsonl"), 2_000);
    warnings_file(&dir.path().join("many.jsonl"), 20_000);
    let names: Vec<String> = formats().into_iter().map(|(_, name)| name).collect();
    let mut runs: Vec<Vec<&str>> = names
        .iter()
        .map(|name| vec!["--format", name.as_str()])
        .collect();
    runs.push(vec!["-q"]);
    runs.push(vec!["--statistics", "--format", "concise"]);
    for extra in runs {
        let measure = |file: &str| {
            let mut args = vec!["check", "--no-progress"];
            args.extend(extra.iter().copied());
            args.push(file);
            let (code, kib) = peak_rss_kib(dir.path(), &args);
            assert_eq!(code, 0, "{args:?}: warnings only");
            kib
        };
        let (few, many) = (measure("few.jsonl"), measure("many.jsonl"));
        assert!(
            many - few < 8 * 1024,
            "{extra:?}: peak RSS {few} KiB with 20,000 warnings, {many} KiB with 200,000"
        );
    }
}
