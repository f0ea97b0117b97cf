//! `--format gitlab`: a GitLab Code Quality report
//! (<https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format>), the
//! CodeClimate-style JSON array that GitLab's merge request widget and pipeline view read
//! from `artifacts: reports: codequality:`.
//!
//! One issue per shown diagnostic with the fields GitLab reads: `description` (the message,
//! with the JSON pointer), `check_name` (the code), `fingerprint` (see
//! [`super::fingerprint`]; GitLab compares them between the source and target branch to say
//! what a merge request fixed or introduced, and drops repeats, so each is unique in a
//! report), `severity` and `location` (`path`, `lines.begin`, `lines.end`). Only messages
//! are printed, never source text.

use std::io::Write;

use serde::Serialize;

use crate::diagnostic::{FileReport, Severity, Summary};

use super::fingerprint::Fingerprints;
use super::{repo_path, write_indented, RenderOptions, Stream};

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

/// The report: a JSON array of issues (`[]` when there are none), then a newline; each
/// issue is written as it comes, laid out as `serde_json`'s pretty printer lays out the array.
pub(super) struct Gitlab {
    options: RenderOptions,
    /// Fingerprints are numbered over the whole report.
    fingerprints: Fingerprints,
    /// The repository-relative path of the file being rendered, which may come in parts.
    file: Option<String>,
    first: bool,
    buffer: Vec<u8>,
}

impl Gitlab {
    pub(super) fn new(options: RenderOptions) -> Self {
        Self {
            options,
            fingerprints: Fingerprints::new(),
            file: None,
            first: true,
            buffer: Vec::new(),
        }
    }
}

impl Stream for Gitlab {
    fn part(
        &mut self,
        report: &FileReport,
        last: bool,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        let options = self.options;
        let mut shown = options.shown(report).peekable();
        if shown.peek().is_some() {
            let path = self.file.get_or_insert_with(|| repo_path(&report.path));
            for diagnostic in shown {
                let mut description = diagnostic.message.clone();
                if let Some(pointer) = diagnostic.pointer.as_deref().filter(|p| !p.is_empty()) {
                    description.push_str(&format!(" (at {pointer})"));
                }
                // A problem with the whole file (`io::*`) has no line; GitLab requires one.
                let begin = diagnostic.start.map_or(1, |start| start.line);
                let end = diagnostic.end.map_or(begin, |end| end.line.max(begin));
                let issue = Issue {
                    description,
                    check_name: &diagnostic.code,
                    fingerprint: self.fingerprints.next(path, diagnostic),
                    severity: severity(diagnostic.severity),
                    location: Location {
                        path: path.clone(),
                        lines: Lines { begin, end },
                    },
                };
                out.write_all(if std::mem::take(&mut self.first) {
                    b"[\n"
                } else {
                    b",\n"
                })?;
                self.buffer.clear();
                serde_json::to_writer_pretty(&mut self.buffer, &issue)?;
                write_indented(&self.buffer, b"  ", out)?;
            }
        }
        if last {
            self.file = None;
        }
        Ok(())
    }

    fn end(&mut self, _summary: &Summary, out: &mut dyn Write) -> std::io::Result<()> {
        out.write_all(if self.first { b"[]\n" } else { b"\n]\n" })
    }
}

/// GitLab's scale is `info`, `minor`, `major`, `critical`, `blocker`: an error fails the run,
/// so it is `major`; a warning does not, so it is `minor`.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
    }
}
