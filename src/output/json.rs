//! `--format json`: one document, `{"diagnostics": […], "summary": …, "model": …}`, the
//! contract that scripts build on (documented in the README). Fields are never removed,
//! only added.

use std::io::Write;

use serde::Serialize;

use crate::diagnostic::{FileReport, Fix, Severity, Summary};

use super::{ModelInfo, RenderOptions, Stream};

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

/// The JSON report: `{"diagnostics":[…],"summary":…,"model":…}`, compact, then a newline.
/// `model` is `null` under `--schema FILE`. Each entry is written as it comes; the summary,
/// known only at the end, comes after the diagnostics (member order carries no meaning in
/// JSON, and the README's contract says so).
pub(super) struct Json {
    options: RenderOptions,
    first: bool,
}

impl Json {
    pub(super) fn new(options: RenderOptions) -> Self {
        Self {
            options,
            first: true,
        }
    }
}

impl Stream for Json {
    fn begin(&mut self, out: &mut dyn Write) -> std::io::Result<()> {
        out.write_all(b"{\"diagnostics\":[")
    }

    fn part(
        &mut self,
        report: &FileReport,
        _last: bool,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        for d in self.options.shown(report) {
            if !std::mem::take(&mut self.first) {
                out.write_all(b",")?;
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
            serde_json::to_writer(&mut *out, &entry)?;
        }
        Ok(())
    }

    fn end(&mut self, summary: &Summary, out: &mut dyn Write) -> std::io::Result<()> {
        out.write_all(b"],\"summary\":")?;
        serde_json::to_writer(&mut *out, summary)?;
        out.write_all(b",\"model\":")?;
        serde_json::to_writer(&mut *out, &ModelInfo::of(self.options.model))?;
        out.write_all(b"}\n")
    }
}
