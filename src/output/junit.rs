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
use super::{plural, RenderOptions};

/// Writes the JUnit XML report.
pub(super) fn render(
    reports: &[FileReport],
    summary: &Summary,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let unreadable = reports
        .iter()
        .filter(|r| r.diagnostics.iter().any(|d| d.is_io()))
        .count();
    let failures = reports
        .iter()
        .filter(|r| !r.diagnostics.iter().any(|d| d.is_io()) && r.errors() > 0)
        .count();
    let counts = format!(
        r#"tests="{}" failures="{failures}" errors="{unreadable}" skipped="0""#,
        summary.files
    );
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<testsuites name="connlint" {counts}>"#)?;
    writeln!(out, r#"  <testsuite name="connlint" {counts}>"#)?;
    for report in reports {
        let name = escape_attribute(&report.path);
        write!(
            out,
            r#"    <testcase name="{name}" classname="connlint" file="{name}""#
        )?;
        let shown: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| options.shows(d))
            .collect();
        if shown.is_empty() && report.errors() == 0 {
            writeln!(out, "/>")?;
            continue;
        }
        writeln!(out, ">")?;
        let text: String = shown.iter().map(|d| line(&report.path, d) + "\n").collect();
        let errors = report.errors();
        let warnings = report.warnings();
        if let Some(io) = report.diagnostics.iter().find(|d| d.is_io()) {
            writeln!(
                out,
                r#"      <error message="{}" type="{}">{}</error>"#,
                escape_attribute(&io.message),
                escape_attribute(&io.code),
                escape_text(&text)
            )?;
        } else if errors > 0 {
            let first = report
                .diagnostics
                .iter()
                .find(|d| d.severity == Severity::Error)
                .map_or("", |d| d.code.as_ref());
            writeln!(
                out,
                r#"      <failure message="{}" type="{}">{}</failure>"#,
                escape_attribute(&counts_text(errors, warnings)),
                escape_attribute(first),
                escape_text(&text)
            )?;
        } else {
            writeln!(out, "      <system-out>{}</system-out>", escape_text(&text))?;
        }
        writeln!(out, "    </testcase>")?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
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
