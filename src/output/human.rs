//! `--format human`: miette's graphical report for each diagnostic — code, message, the
//! source snippet with labels, help — then one summary line.
//!
//! Snippets are drawn from the redacted text, never the original, so a secret on the line
//! of another error is shown as `"at_F…"`; label spans are mapped onto the redacted text.

use std::fmt;
use std::io::Write;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

use crate::diagnostic::{Diagnostic, FileReport, Severity, Span, Summary};
use crate::redact::Redacted;

use super::RenderOptions;

/// Writes the human report.
pub fn render(
    reports: &[FileReport],
    summary: &Summary,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false);
    for report in reports.iter().filter(|r| !r.diagnostics.is_empty()) {
        let redacted = report
            .source
            .as_deref()
            .map(|text| Redacted::new(text, &report.secrets));
        let source = redacted
            .as_ref()
            .map(|r| NamedSource::new(&report.path, r.text.clone()).with_language("json"));
        for diagnostic in &report.diagnostics {
            let view = View {
                report,
                diagnostic,
                redacted: redacted.as_ref(),
                source: source.as_ref(),
            };
            let mut text = String::new();
            if handler.render_report(&mut text, &view).is_err() {
                text = format!(
                    "{}: {}[{}] {}\n",
                    report.path,
                    diagnostic.severity.as_str(),
                    diagnostic.code,
                    diagnostic.message
                );
            }
            out.write_all(text.as_bytes())?;
            writeln!(out)?;
        }
    }
    writeln!(out, "{}", summary_line(summary, options.color))
}

/// The closing line: what was checked and what was found.
pub fn summary_line(summary: &Summary, color: bool) -> String {
    let files = plural(summary.files, "file");
    let fixed = if summary.fixed > 0 {
        format!(", fixed {}", plural(summary.fixed, "problem"))
    } else {
        String::new()
    };
    let (text, paint) = if summary.errors == 0 && summary.warnings == 0 {
        (format!("Checked {files}: no problems{fixed}."), "\x1b[32m")
    } else {
        let in_files = if summary.files_with_errors > 0 {
            format!(" in {}", plural(summary.files_with_errors, "file"))
        } else {
            String::new()
        };
        (
            format!(
                "Checked {files}: {}{in_files}, {}{fixed}.",
                plural(summary.errors, "error"),
                plural(summary.warnings, "warning")
            ),
            if summary.errors > 0 {
                "\x1b[31m"
            } else {
                "\x1b[33m"
            },
        )
    };
    if color {
        format!("{paint}{text}\x1b[0m")
    } else {
        text
    }
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// One diagnostic as miette sees it.
struct View<'a> {
    report: &'a FileReport,
    diagnostic: &'a Diagnostic,
    redacted: Option<&'a Redacted>,
    source: Option<&'a NamedSource<String>>,
}

impl View<'_> {
    fn span(&self, span: Span) -> SourceSpan {
        let span = self.redacted.map_or(span, |r| r.map_span(span));
        SourceSpan::new(span.start.into(), span.len())
    }
}

impl fmt::Debug for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("View")
            .field("code", &self.diagnostic.code)
            .finish()
    }
}

impl fmt::Display for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.diagnostic.start, &self.diagnostic.pointer) {
            (_, Some(pointer)) if !pointer.is_empty() => {
                write!(f, "{} (at {pointer})", self.diagnostic.message)
            }
            (None, _) => write!(f, "{}: {}", self.report.path, self.diagnostic.message),
            _ => f.write_str(&self.diagnostic.message),
        }
    }
}

impl std::error::Error for View<'_> {}

/// The redacted source, except that the header's `line:column` is the diagnostic's true
/// position in the original file: redaction shortens lines, and the header must not lie.
impl miette::SourceCode for View<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let source = self.source.ok_or(miette::MietteError::OutOfBounds)?;
        let contents = source.read_span(span, context_lines_before, context_lines_after)?;
        let primary = self.diagnostic.span.map(|s| self.span(s));
        match (primary, self.diagnostic.start) {
            (Some(primary), Some(start))
                if primary == *span && context_lines_before == 0 && context_lines_after == 0 =>
            {
                Ok(Box::new(miette::MietteSpanContents::new_named(
                    self.report.path.clone(),
                    contents.data(),
                    *contents.span(),
                    start.line - 1,
                    start.column - 1,
                    contents.line_count(),
                )))
            }
            _ => Ok(contents),
        }
    }
}

impl miette::Diagnostic for View<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.diagnostic.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let help = self.diagnostic.help.as_deref()?;
        match &self.diagnostic.fix {
            Some(_) => Some(Box::new(format!("{help} [*] fixable with --fix"))),
            None => Some(Box::new(help)),
        }
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.diagnostic.span?;
        self.source.map(|_| self as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = self.diagnostic.span?;
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            self.diagnostic.label.clone(),
            self.span(primary),
        )];
        labels.extend(
            self.diagnostic
                .related
                .iter()
                .map(|l| LabeledSpan::new_with_span(Some(l.message.clone()), self.span(l.span))),
        );
        Some(Box::new(labels.into_iter()))
    }
}
