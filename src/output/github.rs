//! `--format github`: GitHub Actions workflow commands, which GitHub turns into annotations
//! on the pull request's changed lines:
//! `::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=CODE::MESSAGE`.
//!
//! The escaping is GitHub's, from the runner's `CommandExtensions.cs` (documented at
//! <https://docs.github.com/actions/reference/workflow-commands-for-github-actions>): in the
//! message (the "data") `%`, `\r` and `\n` are percent-encoded; in a property value `:` and
//! `,` are too, because they delimit the properties. A message with a raw newline would end
//! the command early and print the rest as plain log text, so help and the JSON pointer
//! travel inside the message as encoded newlines. Only messages are printed, never source.

use std::io::Write;

use crate::diagnostic::{Diagnostic, FileReport, Summary};

use super::{fix_hint, repo_path, summary_line, RenderOptions, Stream};

/// One workflow command per diagnostic as it comes, then the summary line as plain log text.
pub(super) struct Github {
    options: RenderOptions,
}

impl Github {
    pub(super) fn new(options: RenderOptions) -> Self {
        Self { options }
    }
}

impl Stream for Github {
    fn part(&mut self, part: &FileReport, _last: bool, out: &mut dyn Write) -> std::io::Result<()> {
        let mut shown = self.options.shown(part);
        let Some(first) = shown.next() else {
            return Ok(());
        };
        let file = repo_path(&part.path);
        for diagnostic in std::iter::once(first).chain(shown) {
            writeln!(out, "{}", command(&file, diagnostic))?;
        }
        Ok(())
    }

    fn end(&mut self, summary: &Summary, out: &mut dyn Write) -> std::io::Result<()> {
        // Never coloured: the Actions log is not a terminal.
        writeln!(out, "{}", summary_line(summary, false))
    }
}

/// One workflow command for `diagnostic` in `file` (already repository-relative).
pub(crate) fn command(file: &str, diagnostic: &Diagnostic) -> String {
    let kind = diagnostic.severity.as_str();
    let mut properties = vec![format!("file={}", escape_property(file))];
    if let Some(start) = diagnostic.start {
        properties.push(format!("line={}", start.line));
        properties.push(format!("col={}", start.column));
    }
    if let Some(end) = diagnostic.end {
        properties.push(format!("endLine={}", end.line));
        properties.push(format!("endColumn={}", end.column));
    }
    properties.push(format!("title={}", escape_property(&diagnostic.code)));
    format!(
        "::{kind} {}::{}",
        properties.join(","),
        escape_data(&message(diagnostic))
    )
}

/// The annotation's text: the message, where in the document, how to fix it.
fn message(diagnostic: &Diagnostic) -> String {
    let mut text = diagnostic.message.clone();
    if let Some(pointer) = diagnostic.pointer.as_deref().filter(|p| !p.is_empty()) {
        text.push_str(&format!(" (at {pointer})"));
    }
    if let Some(help) = &diagnostic.help {
        text.push_str(&format!("\nhelp: {help}"));
    }
    if let Some(hint) = fix_hint(diagnostic) {
        text.push('\n');
        text.push_str(hint);
    }
    text
}

/// Escapes a command's data (the message): `%` first, so the escapes it adds stay intact.
pub(crate) fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            // Any other control character (from a file name or a payload key) is written as
            // a visible escape: the Actions log renders ANSI escape sequences, and a
            // bidirectional override would reorder the annotation as shown.
            c if crate::escape::is_unsafe(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a property value: the data escapes plus the property delimiters `:` and `,`.
pub(crate) fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Position, Severity};

    #[test]
    fn escapes_data_and_properties_as_github_documents() {
        assert_eq!(escape_data("100% a:b, c\r\nd"), "100%25 a:b, c%0D%0Ad");
        assert_eq!(
            escape_property("100% a:b, c\r\nd"),
            "100%25 a%3Ab%2C c%0D%0Ad"
        );
        // Already-escaped-looking input is escaped again, not passed through.
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn a_located_error_has_every_position_property() {
        let mut d =
            Diagnostic::whole_file("schema::type", "bad, 50%: really\nbad").with_help("fix it");
        d.start = Some(Position { line: 2, column: 3 });
        d.end = Some(Position { line: 4, column: 5 });
        d.pointer = Some("/a".into());
        assert_eq!(
            command("dir/a,b:c.json", &d),
            "::error file=dir/a%2Cb%3Ac.json,line=2,col=3,endLine=4,endColumn=5,\
             title=schema%3A%3Atype::bad, 50%25: really%0Abad (at /a)%0Ahelp: fix it"
        );
    }

    #[test]
    fn a_warning_without_a_place_is_a_file_annotation() {
        let mut d = Diagnostic::whole_file("io::not-found", "cannot read x.json");
        d.severity = Severity::Warning;
        assert_eq!(
            command("x.json", &d),
            "::warning file=x.json,title=io%3A%3Anot-found::cannot read x.json"
        );
    }
}
