//! `--format json`: one document, `{"summary": …, "diagnostics": […]}`, the contract that
//! scripts build on (documented in the README). Fields are never removed, only added.

use std::io::Write;

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostic::{FileReport, Fix, Severity, Summary};

use super::RenderOptions;

#[derive(Serialize)]
struct Entry<'a> {
    path: &'a str,
    code: &'a str,
    severity: Severity,
    message: &'a str,
    help: Option<&'a str>,
    pointer: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<&'a Fix>,
}

/// Writes the JSON report: `{"summary":…,"diagnostics":[…]}`, compact, then a newline.
///
/// Each file's entries are serialised on the thread pool and the pieces joined in order: a
/// run over thousands of failing files spends as long here as checking them otherwise.
pub(super) fn render(
    reports: &[FileReport],
    summary: &Summary,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let pieces = reports
        .par_iter()
        .map(|report| {
            // Most entries take 250 to 400 bytes: one allocation for a file's usual few.
            let mut piece = Vec::with_capacity(report.diagnostics.len().min(64) * 320);
            for d in report.diagnostics.iter().filter(|d| options.shows(d)) {
                if !piece.is_empty() {
                    piece.push(b',');
                }
                let entry = Entry {
                    path: &report.path,
                    code: &d.code,
                    severity: d.severity,
                    message: &d.message,
                    help: d.help.as_deref(),
                    pointer: d.pointer.as_deref(),
                    line: d.start.map(|p| p.line),
                    column: d.start.map(|p| p.column),
                    end_line: d.end.map(|p| p.line),
                    end_column: d.end.map(|p| p.column),
                    fix: d.fix.as_ref(),
                };
                serde_json::to_writer(&mut piece, &entry)?;
            }
            Ok(piece)
        })
        .collect::<Result<Vec<Vec<u8>>, serde_json::Error>>()?;
    // The pieces go out one after the other: `out` is buffered, and joining them first
    // would copy the whole report once more.
    out.write_all(b"{\"summary\":")?;
    serde_json::to_writer(&mut *out, summary)?;
    out.write_all(b",\"diagnostics\":[")?;
    let mut first = true;
    for piece in pieces.iter().filter(|piece| !piece.is_empty()) {
        if !first {
            out.write_all(b",")?;
        }
        first = false;
        out.write_all(piece)?;
    }
    out.write_all(b"]}\n")
}
