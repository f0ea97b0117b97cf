//! `--format junit`: JUnit XML, the test-report format GitLab, Jenkins and Azure Pipelines
//! show as a list of passed and failed tests.
//!
//! One `testsuite`; one `testcase` per file checked, named by its path. A file with errors
//! has a `failure` whose text is the file's concise lines (warnings included); a path that
//! could not be read (`io::*`) has an `error` instead, since it was never tested; warnings of
//! a file that passed go to its `system-out`, so no diagnostic is dropped. Text is escaped
//! for XML 1.0, which forbids most control characters even as character references: they
//! are written as visible `\u{…}` escapes instead.

use std::io::Write;

use crate::diagnostic::{FileReport, Severity, Summary};

use super::concise::line;
use super::spool::Spool;
use super::{plural, RenderOptions, Stream};

/// The JUnit XML report. The suite's counts come first but are known only at the end, so
/// test cases go to a [`Spool`] as their files end, and a file's failure text (it may come
/// in parts) to one of its own until then.
pub(super) struct Junit {
    options: RenderOptions,
    cases: Spool,
    failures: usize,
    unreadable: usize,
    file: Option<Case>,
}

/// The test case of the file being rendered.
#[derive(Default)]
struct Case {
    /// Its shown diagnostics as concise lines, escaped for element content.
    text: Spool,
    shown: usize,
    errors: usize,
    warnings: usize,
    first_error: Option<String>,
    /// The first `io::` diagnostic: its message and code.
    io: Option<(String, String)>,
}

impl Junit {
    pub(super) fn new(options: RenderOptions) -> Self {
        Self {
            options,
            cases: Spool::default(),
            failures: 0,
            unreadable: 0,
            file: None,
        }
    }

    /// Writes the test case of the file at `path` to the spool.
    fn write_case(&mut self, path: &str, case: Case) -> std::io::Result<()> {
        let out = &mut self.cases;
        let name = escape_attribute(path);
        write!(
            out,
            r#"    <testcase name="{name}" classname="connlint" file="{name}""#
        )?;
        if case.shown == 0 && case.errors == 0 {
            return writeln!(out, "/>");
        }
        writeln!(out, ">")?;
        let (open, close) = if let Some((message, code)) = &case.io {
            self.unreadable += 1;
            (
                format!(
                    r#"      <error message="{}" type="{}">"#,
                    escape_attribute(message),
                    escape_attribute(code)
                ),
                "</error>",
            )
        } else if case.errors > 0 {
            self.failures += 1;
            (
                format!(
                    r#"      <failure message="{}" type="{}">"#,
                    escape_attribute(&counts_text(case.errors, case.warnings)),
                    escape_attribute(case.first_error.as_deref().unwrap_or_default())
                ),
                "</failure>",
            )
        } else {
            ("      <system-out>".to_string(), "</system-out>")
        };
        out.write_all(open.as_bytes())?;
        case.text.copy_to(out)?;
        writeln!(out, "{close}")?;
        writeln!(out, "    </testcase>")
    }
}

impl Stream for Junit {
    fn part(
        &mut self,
        report: &FileReport,
        last: bool,
        _out: &mut dyn Write,
    ) -> std::io::Result<()> {
        let options = self.options;
        let case = self.file.get_or_insert_with(Case::default);
        for d in options.shown(report) {
            case.text
                .write_all(escape_text(&(line(&report.path, d) + "\n")).as_bytes())?;
            case.shown += 1;
        }
        case.errors += report.errors();
        case.warnings += report.warnings();
        if case.first_error.is_none() {
            case.first_error = report
                .diagnostics
                .iter()
                .find(|d| d.severity == Severity::Error)
                .map(|d| d.code.to_string());
        }
        if case.io.is_none() {
            case.io = report
                .diagnostics
                .iter()
                .find(|d| d.is_io())
                .map(|d| (d.message.clone(), d.code.to_string()));
        }
        if last {
            if let Some(case) = self.file.take() {
                self.write_case(&report.path, case)?;
            }
        }
        Ok(())
    }

    fn end(&mut self, summary: &Summary, out: &mut dyn Write) -> std::io::Result<()> {
        let counts = format!(
            r#"tests="{}" failures="{}" errors="{}" skipped="0""#,
            summary.files, self.failures, self.unreadable
        );
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(out, r#"<testsuites name="connlint" {counts}>"#)?;
        writeln!(out, r#"  <testsuite name="connlint" {counts}>"#)?;
        if let Some(model) = super::ModelInfo::of(self.options.model) {
            writeln!(out, "    <properties>")?;
            for (name, value) in [
                ("model", model.date),
                ("model.release", model.release),
                ("model.sdk_version", model.sdk_version.to_string()),
            ] {
                writeln!(
                    out,
                    r#"      <property name="{name}" value="{}"/>"#,
                    escape_attribute(&value)
                )?;
            }
            writeln!(out, "    </properties>")?;
        }
        std::mem::take(&mut self.cases).copy_to(out)?;
        writeln!(out, "  </testsuite>")?;
        writeln!(out, "</testsuites>")
    }
}

fn counts_text(errors: usize, warnings: usize) -> String {
    if warnings == 0 {
        plural(errors, "error")
    } else {
        format!(
            "{}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    }
}

/// Escapes `text` for an XML 1.0 attribute value.
///
/// Besides the markup characters, tab, newline and carriage return become character
/// references, because an attribute's value is normalised on reading (a literal newline
/// reads back as a space).
pub(crate) fn escape_attribute(text: &str) -> String {
    escape(text, true)
}

/// Escapes `text` for XML 1.0 element content: newlines and tabs stay literal, a carriage
/// return becomes a reference (a literal `\r\n` reads back as `\n`).
pub(crate) fn escape_text(text: &str) -> String {
    escape(text, false)
}

/// Every character XML 1.0 does not allow at all (C0 controls other than tab, newline and
/// carriage return; U+FFFE; U+FFFF) becomes a visible `\u{…}` escape: no character
/// reference to one is well-formed either.
fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_characters_xml_forbids() {
        let raw = "a<b>&\"c'\td\ne\r\u{0}\u{1b}\u{fffe}é";
        assert_eq!(
            escape_attribute(raw),
            "a&lt;b&gt;&amp;&quot;c&apos;&#9;d&#10;e&#13;\\u{0}\\u{1b}\\u{fffe}é"
        );
        assert_eq!(
            escape_text(raw),
            "a&lt;b&gt;&amp;\"c'\td\ne&#13;\\u{0}\\u{1b}\\u{fffe}é"
        );
    }

    #[test]
    fn counts_read_naturally() {
        assert_eq!(counts_text(1, 0), "1 error");
        assert_eq!(counts_text(2, 1), "2 errors, 1 warning");
    }
}
