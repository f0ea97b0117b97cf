//! `--format concise`: one line per diagnostic, then the summary line.
//!
//! `path:line:column: severity[code] message (at /pointer); help: … [*]` is what `grep`,
//! editors' problem matchers (`^(.+):(\d+):(\d+): (error|warning)\[(.+?)\] (.*)$`) and the
//! JUnit failure text read. A diagnostic with no place in the file (`io::*`) drops the line
//! and column: `path: error[io::not-found] …`. Control characters in a path or message are
//! escaped so that one diagnostic is always exactly one line. Only messages are printed,
//! never source text.

use std::io::Write;

use crate::diagnostic::{Diagnostic, FileReport, Summary};

use super::{one_line, summary_line, RenderOptions, Stream};

/// The concise report: each line as it comes, the summary at the end.
pub(super) struct Concise {
    options: RenderOptions,
}

impl Concise {
    pub(super) fn new(options: RenderOptions) -> Self {
        Self { options }
    }
}

impl Stream for Concise {
    fn part(&mut self, part: &FileReport, _last: bool, out: &mut dyn Write) -> std::io::Result<()> {
        for diagnostic in self.options.shown(part) {
            writeln!(out, "{}", line(&part.path, diagnostic))?;
        }
        Ok(())
    }

    fn end(&mut self, summary: &Summary, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, "{}", summary_line(summary, self.options.color))
    }
}

/// One diagnostic as one line (no newline at the end).
pub(crate) fn line(path: &str, diagnostic: &Diagnostic) -> String {
    let place = match diagnostic.start {
        Some(start) => format!("{}:{}:{}", one_line(path), start.line, start.column),
        None => one_line(path).into_owned(),
    };
    let mut line = format!(
        "{place}: {}[{}] {}",
        diagnostic.severity.as_str(),
        one_line(&diagnostic.code),
        one_line(&diagnostic.message)
    );
    if let Some(pointer) = diagnostic.pointer.as_deref().filter(|p| !p.is_empty()) {
        line.push_str(&format!(" (at {})", one_line(pointer)));
    }
    if let Some(help) = &diagnostic.help {
        line.push_str(&format!("; help: {}", one_line(help)));
    }
    if diagnostic.fix.is_some() {
        line.push_str(" [*]");
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Applicability, Edit, Fix, Position, Severity, Span};

    fn located(message: &str) -> Diagnostic {
        let mut d = Diagnostic::whole_file("schema::type", message);
        d.start = Some(Position { line: 3, column: 7 });
        d.end = Some(Position { line: 3, column: 9 });
        d.span = Some(Span::new(20, 22));
        d.pointer = Some("/a/b".into());
        d
    }

    #[test]
    fn a_located_diagnostic_is_path_line_column() {
        let d = located("expected a number").with_help("remove the quotes");
        assert_eq!(
            line("dir/x.json", &d),
            "dir/x.json:3:7: error[schema::type] expected a number (at /a/b); help: remove the \
                quotes"
        );
    }

    #[test]
    fn fixable_diagnostics_end_with_a_star_and_newlines_stay_on_one_line() {
        let mut d = located("two\nlines");
        d.severity = Severity::Warning;
        d.pointer = Some(String::new());
        d.fix = Some(Fix {
            applicability: Applicability::Safe,
            edits: vec![Edit {
                start: 0,
                end: 1,
                content: String::new(),
            }],
        });
        assert_eq!(
            line("a\nb.json", &d),
            "a\\nb.json:3:7: warning[schema::type] two\\nlines [*]"
        );
    }

    #[test]
    fn a_whole_file_diagnostic_has_no_position() {
        let d = Diagnostic::whole_file("io::not-found", "cannot read x.json: no such file");
        assert_eq!(
            line("x.json", &d),
            "x.json: error[io::not-found] cannot read x.json: no such file"
        );
    }

    #[test]
    fn quiet_drops_warnings_but_the_summary_counts_them() {
        let mut warning = located("suspicious");
        warning.severity = Severity::Warning;
        let report = FileReport {
            path: "w.json".into(),
            diagnostics: vec![warning],
            ..FileReport::default()
        };
        let options = RenderOptions {
            quiet: true,
            ..RenderOptions::default()
        };
        let mut out = Vec::new();
        super::super::render(super::super::Format::Concise, &[report], &options, &mut out)
            .expect("render");
        let text = String::from_utf8(out).expect("utf-8");
        assert_eq!(text, "Checked 1 file: 0 errors, 1 warning.\n");
    }
}
