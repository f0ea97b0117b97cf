//! What the fuzz targets assert, shared with `tests/it/regressions.rs` (included there with
//! `#[path]`), so that every input kept from a fuzz run is replayed under exactly the checks
//! that found it. Each function panics on a violated invariant; that is the fuzzer's signal.
//!
//! Dependencies: `connlint`, `serde_json` and `clap`, which both crates have. `jsonl_reader`
//! and `fix_writes` write into a scratch directory under the system's temporary directory.

// Each fuzz target uses one of the functions.
#![allow(dead_code)]

use std::sync::OnceLock;

use clap::ValueEnum;
use connlint::check::{Checker, Outcome};
use connlint::diagnostic::{FileReport, Span, Target};
use connlint::output::{render, Format, RenderOptions};
use connlint::pointer::escape_token;
use connlint::redact::{is_secret_key, secret_spans, Redacted};
use connlint::rules::RuleSet;
use connlint::schema::CompiledSchema;
use connlint::span::LineIndex;
use connlint::span_index::SpanIndex;
use serde_json::Value;

fn checker() -> &'static Checker {
    static CHECKER: OnceLock<Checker> = OnceLock::new();
    CHECKER.get_or_init(|| {
        let schema = CompiledSchema::builtin().expect("the built-in schema compiles");
        Checker::new(schema, RuleSet::default(), u64::MAX)
    })
}

/// The whole pipeline on arbitrary bytes: parse → validate → lint → locate → redact → render
/// in every format. The first byte picks JSON (even) or JSON Lines (odd) mode; the rest is the
/// file. Returns the report and every format's output, for callers that check more.
///
/// Beyond "no panic": spans lie inside the file and the kept text, on character boundaries;
/// positions are 1-based; the outcome is exit 0 or 1 (bytes alone never make a path
/// unreadable); no output carries a raw escape character (colour is off).
pub fn check_bytes(data: &[u8]) -> Option<(FileReport, Vec<(Format, String)>)> {
    let (&mode, bytes) = data.split_first()?;
    let json_lines = mode & 1 == 1;
    let path = if json_lines {
        "fuzz.jsonl"
    } else {
        "fuzz.json"
    };
    let report = checker().check_bytes(path, bytes, json_lines);

    let exit = Outcome::of(std::slice::from_ref(&report), false).exit_code();
    assert!(exit <= 1, "bytes alone gave exit code {exit}");
    if let Some(source) = &report.source {
        let text = source.text();
        for span in &report.secrets {
            assert!(span.start <= span.end && span.end <= text.len(), "{span:?}");
            assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        }
    }
    for diagnostic in &report.diagnostics {
        // Spans are byte offsets in the file.
        if let Some(span) = diagnostic.span {
            assert!(
                span.start <= span.end && span.end <= bytes.len(),
                "{diagnostic:?}"
            );
        }
        for position in diagnostic.start.iter().chain(diagnostic.end.iter()) {
            assert!(position.line >= 1 && position.column >= 1, "{diagnostic:?}");
        }
    }

    let reports = [report];
    let options = RenderOptions::default();
    let mut outputs = Vec::new();
    for format in Format::value_variants() {
        let mut out = Vec::new();
        render(*format, &reports, &options, &mut out).expect("rendering into memory succeeds");
        let out = String::from_utf8(out).expect("every format writes UTF-8");
        assert!(
            !out.contains('\u{1b}'),
            "{format:?} printed a raw ESC: {out:?}"
        );
        outputs.push((*format, out));
    }
    let [report] = reports;
    Some((report, outputs))
}

/// Pointers of the values in `value`, at most `limit` of them, without recursion.
fn pointers(value: &Value, limit: usize) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    let mut stack = vec![(String::new(), value)];
    while let Some((pointer, value)) = stack.pop() {
        if out.len() >= limit {
            break;
        }
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    stack.push((format!("{pointer}/{}", escape_token(key)), child));
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    stack.push((format!("{pointer}/{i}"), child));
                }
            }
            _ => {}
        }
        out.push((pointer, value));
    }
    out
}

/// Pointers of the string and number leaves of `value`, each with whether it is secret by
/// the rules of `redact`: under a secret key at any depth, or where the `auth` object belongs
/// when it is not an object (or null).
fn leaves(value: &Value, limit: usize) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut stack = vec![(String::new(), value, false)];
    while let Some((pointer, value, secret)) = stack.pop() {
        if out.len() >= limit {
            break;
        }
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let child_secret = secret
                        || if key == "auth" {
                            !matches!(child, Value::Object(_) | Value::Null)
                        } else {
                            is_secret_key(key)
                        };
                    stack.push((
                        format!("{pointer}/{}", escape_token(key)),
                        child,
                        child_secret,
                    ));
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    stack.push((format!("{pointer}/{i}"), child, secret));
                }
            }
            Value::String(_) | Value::Number(_) => out.push((pointer, secret)),
            Value::Bool(_) | Value::Null => {}
        }
    }
    out
}

fn assert_inside(text: &str, span: Span) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{span:?} outside {}",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{span:?}"
    );
}

/// The locating and redacting machinery on arbitrary text, outside the pipeline's guarantees
/// (`SpanIndex::build` normally sees only text that already parsed): the span index, pointer
/// lookup, line/column positions, secret spans and the redacted view.
///
/// When the text is JSON, every value's pointer must locate a span whose text parses back to
/// that same value (a wrong span would point a diagnostic at the wrong place), and the secret
/// spans must be exactly the secret leaves of the parsed value — no more, no less.
pub fn span_locator(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();

    let index = SpanIndex::build(text);
    if let Some(index) = &index {
        if let Ok(value) = connlint::tree::parse(text).map(|p| p.value.to_serde()) {
            for (pointer, value) in pointers(&value, 256) {
                for target in [Target::Value, Target::Key, Target::Open] {
                    let span = index
                        .locate(&pointer, target)
                        .expect("a parsed pointer is indexed");
                    assert_inside(text, span);
                }
                let span = index.locate(&pointer, Target::Value).expect("indexed");
                let located: Value = serde_json::from_str(&text[span.start..span.end])
                    .unwrap_or_else(|err| {
                        panic!(
                            "{pointer}: {:?} is not JSON: {err}",
                            &text[span.start..span.end]
                        )
                    });
                assert_eq!(&located, value, "{pointer} located at {span:?}");
            }
            let secrets = secret_spans(text);
            for (pointer, secret) in leaves(&value, 256) {
                let mut span = index.locate(&pointer, Target::Value).expect("indexed");
                if text[span.start..].starts_with('"') {
                    span = Span::new(span.start + 1, span.end - 1); // the contents
                }
                let covered = secrets.contains(&span);
                assert_eq!(covered, secret, "{pointer}: {span:?} in {secrets:?}");
                if !span.is_empty() {
                    let touched = secrets
                        .iter()
                        .any(|s| s.start < span.end && span.start < s.end);
                    assert_eq!(touched, secret, "{pointer}: {span:?} in {secrets:?}");
                }
            }
        }
        for duplicate in &index.duplicates {
            assert_inside(text, duplicate.first);
            assert_inside(text, duplicate.second);
            assert_inside(text, duplicate.member);
        }
        // Pointers that are not in the document fall back to an ancestor, or to nothing.
        for pointer in [
            "/",
            "/0",
            "/auth/meta/x/0",
            "/~0~1",
            text.get(..16).unwrap_or(""),
        ] {
            if let Some(span) = index.locate(pointer, Target::Key) {
                assert_inside(text, span);
            }
        }
    }

    // Positions, against a count from scratch at a sample of offsets.
    let lines = LineIndex::new(text);
    let step = (text.len() / 64).max(1);
    for offset in (0..=text.len()).step_by(step).chain([text.len()]) {
        let position = lines.position(text, offset);
        if text.is_char_boundary(offset) {
            let before = &text[..offset];
            let line = before.matches('\n').count() + 1;
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let column = text[line_start..offset].chars().count() + 1;
            assert_eq!(
                (position.line, position.column),
                (line, column),
                "offset {offset}"
            );
        }
    }

    let secrets = secret_spans(text);
    let mut previous_end = 0;
    for span in &secrets {
        assert_inside(text, *span);
        assert!(
            span.start >= previous_end,
            "secret spans overlap or are unsorted: {secrets:?}"
        );
        previous_end = span.end;
    }
    let redacted = Redacted::new(text, &secrets);
    for offset in (0..=text.len()).step_by(step) {
        assert!(redacted.map_offset(offset) <= redacted.text.len());
        let end = (offset + step).min(text.len());
        let mapped = redacted.map_span(Span::new(offset, end));
        assert!(
            mapped.start <= mapped.end && mapped.end <= redacted.text.len(),
            "{mapped:?}"
        );
    }
}

/// `report` in every format; none may carry a raw ESC.
fn rendered(report: FileReport) -> Vec<String> {
    let reports = [report];
    let options = RenderOptions::default();
    let mut outputs = Vec::new();
    for format in Format::value_variants() {
        let mut out = Vec::new();
        render(*format, &reports, &options, &mut out).expect("rendering into memory succeeds");
        let out = String::from_utf8(out).expect("every format writes UTF-8");
        assert!(!out.contains('\u{1b}'), "{format:?} printed a raw ESC");
        outputs.push(out);
    }
    outputs
}

/// The secret of the line [`jsonl_reader`] slips into the input.
pub const JSONL_SECRET: &str = "SECRETzz9f3kQ";

/// The JSON Lines reader on arbitrary bytes. `data[0]` picks the read size (1 to 64 bytes, so
/// that lines cross many chunk boundaries) and `data[1]` the longest line parsed (past it a
/// line is `io::too-large`); the rest is split at a point `data[2]` picks, and a line holding
/// a secret (`{"password": "SECRET…"}`) goes between the halves.
///
/// The report read in chunks equals the report read whole, and equals the report of the same
/// bytes streamed from a file on disk; no format shows the secret (a line is never shown
/// raw, whatever surrounds it; not asserted when the fuzzer wrote the secret's text into the
/// input itself); the exit code is 0 or 1, or 2 with a line over the limit. Returns every
/// format's output.
pub fn jsonl_reader(data: &[u8]) -> Vec<String> {
    let [chunk, max_line, split, rest @ ..] = data else {
        return Vec::new();
    };
    let at = rest.len() * usize::from(*split) / 256;
    let mut bytes = rest[..at].to_vec();
    bytes.extend_from_slice(format!("\n{{\"password\": \"{JSONL_SECRET}\"}}\n").as_bytes());
    bytes.extend_from_slice(&rest[at..]);
    let max_line = 8 + 4 * u64::from(*max_line);
    let schema = CompiledSchema::shared_builtin().expect("the built-in schema compiles");
    let checker = Checker::new(schema, RuleSet::default(), max_line);

    let whole = checker.check_bytes("fuzz.jsonl", &bytes, true);
    let chunked =
        checker.check_json_lines_in_chunks("fuzz.jsonl", &bytes, 1 + usize::from(chunk % 64));
    assert_eq!(
        chunked.diagnostics, whole.diagnostics,
        "chunked and whole differ"
    );
    let file = jsonl_file(&bytes);
    let streamed = checker.check_input(&connlint::input::Input::File {
        path: file.clone(),
        display: "fuzz.jsonl".into(),
    });
    assert_eq!(
        streamed.diagnostics, whole.diagnostics,
        "file and bytes differ"
    );
    // Exit 2 only for a line over the limit (`io::too-large`), which bytes alone can make.
    let exit = Outcome::of(std::slice::from_ref(&whole), false).exit_code();
    let too_large = whole.diagnostics.iter().any(|d| d.code == "io::too-large");
    assert!(exit <= 1 || too_large, "bytes alone gave exit code {exit}");
    let outputs = rendered(whole);
    let planted = rest
        .windows(JSONL_SECRET.len())
        .any(|w| w == JSONL_SECRET.as_bytes());
    for output in &outputs {
        assert!(
            planted || !output.contains(JSONL_SECRET),
            "shows the secret: {output}"
        );
    }
    outputs
}

/// A per-process scratch directory for the targets that go through the file system.
fn scratch() -> &'static std::path::Path {
    static DIR: OnceLock<std::path::PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("connlint-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch directory");
        dir
    })
}

fn jsonl_file(bytes: &[u8]) -> std::path::PathBuf {
    let path = scratch().join("streamed.jsonl");
    std::fs::write(&path, bytes).expect("write the scratch file");
    path
}

/// `--fix` on arbitrary bytes, through the real writer, in a scratch directory. `data[0]`:
/// bit 0 picks JSON Lines, bit 1 unsafe fixes; the rest is the file.
///
/// Never panics; a write that fails leaves the original bytes; a file that changed is UTF-8
/// and re-checks to exactly the report `--fix` returned, with no safe fix left (unless the
/// document hit the per-document cap, whose hidden diagnostics may hold more).
pub fn fix_writes(data: &[u8]) {
    use connlint::diagnostic::Applicability;
    use connlint::fix::{fix_input, FixMode};

    let Some((&mode, bytes)) = data.split_first() else {
        return;
    };
    let json_lines = mode & 1 == 1;
    let unsafe_fixes = mode & 2 == 2;
    let name = if json_lines { "fix.jsonl" } else { "fix.json" };
    let path = scratch().join(name);
    std::fs::write(&path, bytes).expect("write the scratch file");
    let input = connlint::input::Input::File {
        path: path.clone(),
        display: name.into(),
    };
    let fixed = fix_input(
        checker(),
        &input,
        FixMode {
            unsafe_fixes,
            diff_only: false,
        },
    );
    let after = std::fs::read(&path).expect("the file is still there");
    let failed = fixed
        .report
        .diagnostics
        .iter()
        .any(|d| d.code.starts_with("io::"));
    if failed || after == bytes {
        assert_eq!(after, bytes, "a failed or empty fix changed the file");
        return;
    }
    assert!(fixed.report.fixed > 0, "changed the file without a fix");
    let text = std::str::from_utf8(&after).expect("a fixed file is UTF-8");
    let again = checker().check_bytes(name, text.as_bytes(), json_lines);
    assert_eq!(
        again.diagnostics, fixed.report.diagnostics,
        "the report does not describe the written file"
    );
    let capped = again
        .diagnostics
        .iter()
        .any(|d| d.code == "connlint::too-many");
    let left = again
        .diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .any(|fix| fix.applicability == Applicability::Safe);
    assert!(!left || capped, "a safe fix is left after --fix");
}
