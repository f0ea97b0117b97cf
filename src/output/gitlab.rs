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

use crate::diagnostic::{FileReport, Severity};

use super::fingerprint::Fingerprints;
use super::{repo_path, RenderOptions};

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

/// Writes the report: a JSON array of issues (`[]` when there are none), then a newline.
pub(super) fn render(
    reports: &[FileReport],
    options: &RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut issues = Vec::new();
    let mut fingerprints = Fingerprints::new();
    for report in reports {
        let path = repo_path(&report.path);
        for diagnostic in report.diagnostics.iter().filter(|d| options.shows(d)) {
            let mut description = diagnostic.message.clone();
            if let Some(pointer) = diagnostic.pointer.as_deref().filter(|p| !p.is_empty()) {
                description.push_str(&format!(" (at {pointer})"));
            }
            // A problem with the whole file (`io::*`) has no line; GitLab requires one.
            let begin = diagnostic.start.map_or(1, |start| start.line);
            let end = diagnostic.end.map_or(begin, |end| end.line.max(begin));
            issues.push(Issue {
                description,
                check_name: &diagnostic.code,
                fingerprint: fingerprints.next(&path, diagnostic),
                severity: severity(diagnostic.severity),
                location: Location {
                    path: path.clone(),
                    lines: Lines { begin, end },
                },
            });
        }
    }
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}

/// GitLab's scale is `info`, `minor`, `major`, `critical`, `blocker`: an error fails the run,
/// so it is `major`; a warning does not, so it is `minor`.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
    }
}
