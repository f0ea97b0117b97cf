//! `--fix` and `--diff`: apply the byte edits of fixable diagnostics, and write files safely.
//!
//! Edits touch only their own ranges, so indentation, key order, line endings and the final
//! newline stay byte-identical. Overlapping edits are never applied together: one wins, the
//! file is checked again, and the loop repeats (bounded). Files are written by
//! [`crate::write::replace`], which keeps links, owner and mode and refuses a file that
//! changed since it was read.

use crate::diagnostic::{Applicability, Edit, FileReport, Fix};
use crate::span::Span;

/// How many check-and-fix rounds a file gets before connlint stops trying.
pub const MAX_ROUNDS: usize = 8;

/// Applies the applicable fixes of `report` to `text`, skipping any that overlap an edit
/// already taken. Returns the new text and how many fixes were applied.
pub fn apply(text: &str, report: &FileReport, unsafe_fixes: bool) -> (String, usize) {
    let mut fixes: Vec<&Fix> = report
        .diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|fix| fix.applicability == Applicability::Safe || unsafe_fixes)
        .collect();
    fixes.sort_by_key(|fix| fix.edits.iter().map(|e| e.start).min().unwrap_or(0));
    let mut taken: Vec<Span> = Vec::new();
    let mut edits: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for fix in fixes {
        let overlaps = fix.edits.iter().any(|e| {
            taken.iter().any(|t| {
                e.start < t.end && t.start < e.end || (e.start == e.end && e.start == t.start)
            })
        });
        let in_bounds = fix.edits.iter().all(|e| {
            e.start <= e.end
                && e.end <= text.len()
                && text.is_char_boundary(e.start)
                && text.is_char_boundary(e.end)
        });
        if overlaps || !in_bounds {
            continue;
        }
        taken.extend(fix.edits.iter().map(|e| Span::new(e.start, e.end)));
        edits.extend(fix.edits.iter());
        applied += 1;
    }
    // From the end backwards, so earlier offsets stay valid.
    edits.sort_by_key(|e| std::cmp::Reverse(e.start));
    let mut out = text.to_string();
    for edit in edits {
        out.replace_range(edit.start..edit.end, &edit.content);
    }
    (out, applied)
}

/// A unified diff of `before` → `after` for `path`, with secrets in both redacted and every
/// name and line passed through the terminal escaper ([`crate::escape`]): a newline in the
/// name cannot forge a `+++` header, and an escape sequence or bidirectional override in the
/// content reaches the terminal as visible text.
pub fn unified_diff(path: &str, before: &str, after: &str) -> String {
    use similar::ChangeTag;
    // A JSON Lines file is redacted by its own rules, as the check shows it.
    let secrets = if crate::input::is_json_lines(path) {
        crate::redact::json_lines_secret_spans
    } else {
        crate::redact::secret_spans
    };
    let before = crate::redact::Redacted::new(before, &secrets(before)).text;
    let after = crate::redact::Redacted::new(after, &secrets(after)).text;
    let name = crate::escape::one_line(path.trim_start_matches('/'));
    let diff = similar::TextDiff::from_lines(&before, &after);
    let mut out = format!("--- a/{name}\n+++ b/{name}\n");
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        out.push_str(&format!("{}\n", hunk.header()));
        for change in hunk.iter_changes() {
            let sign = match change.tag() {
                ChangeTag::Delete => '-',
                ChangeTag::Insert => '+',
                ChangeTag::Equal => ' ',
            };
            let line = change.value();
            let (text, newline) = match line.strip_suffix('\n') {
                Some(text) => (text.strip_suffix('\r').unwrap_or(text), true),
                None => (line, false),
            };
            out.push(sign);
            out.push_str(&crate::escape::content_line(text));
            out.push('\n');
            if !newline {
                out.push_str("\\ No newline at end of file\n");
            }
        }
    }
    out
}

/// What `--fix` / `--diff` should do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixMode {
    /// Also apply fixes that could change meaning.
    pub unsafe_fixes: bool,
    /// Print a diff instead of writing.
    pub diff_only: bool,
}

/// The result of fixing one input.
#[derive(Debug)]
pub struct Fixed {
    /// The diagnostics that remain (after fixing), with `fixed` set.
    pub report: FileReport,
    /// The unified diff of the change (only with `diff_only`, and only when something changes).
    pub diff: Option<String>,
    /// For standard input: the document (fixed, or as read when nothing applies), to be
    /// written to standard output.
    pub stdin_bytes: Option<Vec<u8>>,
}

/// Checks and fixes one input: rounds of check → apply until nothing applies (bounded),
/// then an atomic write (or a diff). A file that cannot be read, is not UTF-8 or does not
/// parse has no fixes and is never written.
pub fn fix_input(
    checker: &crate::check::Checker,
    input: &crate::input::Input,
    mode: FixMode,
) -> Fixed {
    use crate::input::Input;
    let path = input.display().to_string();
    // Taken before the read: a change from here to the rename is caught, never overwritten.
    let snapshot = match input {
        Input::File { path, .. } if !mode.diff_only => crate::write::Snapshot::of(path).ok(),
        _ => None,
    };
    let bytes = match crate::input::read_to_end(input, checker.max_file_size()) {
        Ok(bytes) => bytes,
        Err(diagnostic) => {
            let report = FileReport {
                path,
                diagnostics: vec![diagnostic],
                ..FileReport::default()
            };
            return Fixed {
                report,
                diff: None,
                stdin_bytes: None,
            };
        }
    };
    let is_stdin = matches!(input, Input::Stdin);
    let unchanged = |report| Fixed {
        report,
        diff: None,
        stdin_bytes: is_stdin.then(|| bytes.clone()),
    };
    let json_lines = input.is_json_lines();
    let mut report = checker.check_bytes(&path, &bytes, json_lines);
    let Ok(original) = std::str::from_utf8(&bytes) else {
        return unchanged(report);
    };
    let mut text = original.to_string();
    let mut total = 0;
    for _ in 0..MAX_ROUNDS {
        let (next, applied) = apply(&text, &report, mode.unsafe_fixes);
        if applied == 0 || next == text {
            break;
        }
        total += applied;
        text = next;
        report = checker.check_bytes(&path, text.as_bytes(), json_lines);
    }
    if text == original {
        return unchanged(report);
    }
    report.fixed = total;
    match input {
        _ if mode.diff_only => {
            let original_report = checker.check_bytes(&path, &bytes, json_lines);
            let diff = unified_diff(&path, original, &text);
            Fixed {
                report: FileReport {
                    fixed: total,
                    ..original_report
                },
                diff: Some(diff),
                stdin_bytes: None,
            }
        }
        Input::Stdin => Fixed {
            report,
            diff: None,
            stdin_bytes: Some(text.into_bytes()),
        },
        Input::File { path: file, .. } => match write(file, text.as_bytes(), snapshot.as_ref()) {
            Ok(()) => Fixed {
                report,
                diff: None,
                stdin_bytes: None,
            },
            Err(err) => {
                let mut failed = checker.check_bytes(&path, &bytes, json_lines);
                failed.diagnostics.insert(
                    0,
                    crate::diagnostic::Diagnostic::whole_file(
                        err.code(),
                        format!("cannot write the fixed {path}: {err}"),
                    )
                    .with_help(write_help(&err)),
                );
                Fixed {
                    report: failed,
                    diff: None,
                    stdin_bytes: None,
                }
            }
        },
        Input::Unreadable { .. } => unchanged(report),
    }
}

/// Writes the fixed text over `file` if it is unchanged since `snapshot` (taken before the
/// read; without one, the file could not even be looked at, so it is not written).
fn write(
    file: &std::path::Path,
    bytes: &[u8],
    snapshot: Option<&crate::write::Snapshot>,
) -> Result<(), crate::write::WriteError> {
    let snapshot = snapshot.ok_or(crate::write::WriteError::Changed)?;
    crate::write::replace(file, bytes, snapshot)
}

/// What to do when a fixed file was not written.
fn write_help(err: &crate::write::WriteError) -> &'static str {
    use crate::write::WriteError as E;
    match err {
        E::Changed => {
            "the file was edited while connlint fixed it and is left as edited; run --fix again"
        }
        E::ReadOnly => "the file is left unchanged; make it writable to fix it",
        E::HardLinked(_) => {
            "the file is left unchanged: replacing it would split it from its other names; \
             apply the fix by hand or with --diff and patch"
        }
        E::Owner(_) => {
            "the file is left unchanged: the fixed copy would belong to another user; run \
             --fix as the file's owner"
        }
        E::Io(_) => "the original file is unchanged; check the directory's permissions",
    }
}
