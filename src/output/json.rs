//! `--format json`: one document, `{"summary": …, "diagnostics": […]}`, the contract that
//! scripts build on (documented in the README). Fields are never removed, only added.

use std::io::Write;

use serde::Serialize;

use crate::diagnostic::{FileReport, Fix, Severity, Summary};

use super::RenderOptions;

#[derive(Serialize)]
struct Document<'a> {
    summary: &'a Summary,
    diagnostics: Vec<Entry<'a>>,
}

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

/// Writes the JSON report.
pub fn render(
    reports: &[FileReport],
    summary: &Summary,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let diagnostics = reports
        .iter()
        .flat_map(|report| {
            let shown = report.diagnostics.iter().filter(|d| options.shows(d));
            shown.map(move |d| Entry {
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
            })
        })
        .collect();
    serde_json::to_writer(
        &mut *out,
        &Document {
            summary,
            diagnostics,
        },
    )?;
    writeln!(out)
}
