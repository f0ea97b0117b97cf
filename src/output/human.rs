//! `--format human`: miette's graphical report for each diagnostic — code, message, the
//! source snippet with labels, help — then one summary line.
//!
//! Snippets are drawn from the redacted text, never the original, so a secret on the line
//! of another error is shown as `"at_F…"`; label spans are mapped onto the redacted text.

use std::fmt;
use std::io::Write;
use std::sync::OnceLock;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceSpan};
use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, FileReport, Severity, Span, Summary};
use crate::redact::Redacted;
use crate::source_text::SourceText;
use crate::span::LineIndex;

use super::{fix_hint, one_line, summary_line, RenderOptions, Stream};

/// Diagnostics in one report before they are drawn in parallel.
const MIN_PARALLEL_DRAWINGS: usize = 16;

/// The human report: each diagnostic drawn as it comes, then the summary line.
pub(super) struct Human {
    options: RenderOptions,
    handler: GraphicalReportHandler,
}

impl Human {
    pub(super) fn new(options: RenderOptions) -> Self {
        let theme = if options.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(options.width)
            // A date or a code split at its hyphen (`2023-11-` / `07`) reads as two things.
            .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
            .with_links(false);
        Self { options, handler }
    }
}

impl Stream for Human {
    fn part(
        &mut self,
        report: &FileReport,
        _last: bool,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        // `--quiet` hides warnings here; the summary line still counts them.
        let options = self.options;
        let mut shown = options.shown(report).peekable();
        if shown.peek().is_none() {
            return Ok(());
        }
        // Redacted and made printable once per report (a file, or a part of a JSON Lines
        // file's lines), not per diagnostic.
        let snippets = report
            .source
            .as_ref()
            .map(|source| Snippets::new(source, &report.secret_spans()));
        let shown: Vec<&Diagnostic> = shown.collect();
        let draw = |diagnostic: &&Diagnostic| {
            let view = View {
                report,
                diagnostic,
                snippets: snippets.as_ref(),
            };
            let mut text = String::new();
            if self.handler.render_report(&mut text, &view).is_err() {
                text = format!(
                    "{}: {}[{}] {}\n",
                    one_line(&report.path),
                    diagnostic.severity.as_str(),
                    diagnostic.code,
                    one_line(&diagnostic.message)
                );
            }
            text.push('\n');
            text
        };
        // Drawing is most of a human report's cost, and each drawing stands alone: a part
        // with many is drawn on the thread pool, in order.
        if shown.len() < MIN_PARALLEL_DRAWINGS {
            for diagnostic in &shown {
                out.write_all(draw(diagnostic).as_bytes())?;
            }
        } else {
            let drawn: Vec<String> = shown.par_iter().with_min_len(8).map(draw).collect();
            for text in drawn {
                out.write_all(text.as_bytes())?;
            }
        }
        Ok(())
    }

    fn end(&mut self, summary: &Summary, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, "{}", summary_line(summary, self.options.color))
    }
}

/// A report's kept text as snippets show it: redacted, made printable, and cut into the
/// excerpts it was kept as — the whole file, or the lines of a streamed JSON Lines file that
/// have diagnostics. A snippet never crosses an excerpt, so the lines around a JSON Lines
/// diagnostic are never taken from another part of the file.
struct Snippets<'a> {
    source: &'a SourceText,
    redacted: Redacted,
    /// The redacted text with control characters made visible (same byte offsets).
    text: String,
    /// Each excerpt's range in `text`, and the 0-based file line it starts on.
    excerpts: Vec<(Span, usize)>,
    /// Line starts of `text`, built for the first snippet.
    lines: OnceLock<LineIndex>,
}

impl<'a> Snippets<'a> {
    fn new(source: &'a SourceText, secrets: &[Span]) -> Self {
        let redacted = Redacted::new(source.text(), secrets);
        let text = crate::escape::same_length(&redacted.text);
        // Excerpts start at line starts, never inside a secret, so their bounds map exactly.
        let excerpts = source
            .excerpts()
            .iter()
            .map(|e| {
                let start = redacted.map_offset(e.start);
                let end = redacted.map_offset(e.start + e.len).max(start);
                (Span::new(start, end), e.line)
            })
            .collect();
        Self {
            source,
            redacted,
            text,
            excerpts,
            lines: OnceLock::new(),
        }
    }

    /// The part of excerpt `range` (which starts on 0-based file line `first_line`) that a
    /// snippet of `wanted` with `before` and `after` context lines shows, and the file line
    /// it starts on. miette finds lines by scanning its source from the start, so it is
    /// handed only the snippet's own lines (kept short by [`View::snippet_fits`]): a
    /// snippet's cost must not grow with the file's length.
    fn window(
        &self,
        range: Span,
        first_line: usize,
        wanted: Span,
        before: usize,
        after: usize,
    ) -> (Span, usize) {
        let bytes = self.text.as_bytes();
        let from = wanted.start.clamp(range.start, range.end);
        // Back past `before` line breaks: just after the one before those, or the excerpt's
        // start.
        let start = memchr::memrchr_iter(b'\n', &bytes[range.start..from])
            .nth(before)
            .map_or(range.start, |at| range.start + at + 1);
        let to = wanted.end.clamp(start, range.end);
        // The line's `\n` is part of it, as in miette's own reading: a `\r\n` stays whole,
        // and a snippet that ends where the next begins is drawn as one.
        let end = memchr::memchr_iter(b'\n', &bytes[to..range.end])
            .nth(after)
            .map_or(range.end, |at| to + at + 1);
        let lines = self.lines.get_or_init(|| LineIndex::new(&self.text));
        let line = |offset| lines.line_of(offset);
        (
            Span::new(start, end),
            first_line + (line(start) - line(range.start)),
        )
    }

    /// A file span as a span of `text`, when that part of the file is kept.
    fn map(&self, span: Span) -> Option<Span> {
        let kept = self.source.to_text_span(span)?;
        Some(self.redacted.map_span(kept))
    }

    /// The excerpt (its range in `text` and first file line) that holds all of `span`.
    fn excerpt(&self, span: Span) -> Option<(Span, usize)> {
        let after = self
            .excerpts
            .partition_point(|(range, _)| range.start <= span.start);
        let (range, line) = *self.excerpts.get(after.checked_sub(1)?)?;
        (span.end <= range.end).then_some((range, line))
    }
}

/// One diagnostic as miette sees it.
struct View<'a> {
    report: &'a FileReport,
    diagnostic: &'a Diagnostic,
    snippets: Option<&'a Snippets<'a>>,
}

impl View<'_> {
    /// A file span as miette sees it: in the snippet text. Spans outside the kept text
    /// never get here ([`snippet_fits`](Self::snippet_fits) checks them first).
    fn span(&self, span: Span) -> SourceSpan {
        let span = self.snippets.and_then(|s| s.map(span)).unwrap_or_default();
        SourceSpan::new(span.start.into(), span.len())
    }

    /// Whether every label's snippet (its lines and one line of context each side) is at
    /// most [`MAX_SNIPPET_BYTES`]. A longer one — a minified file, a 40 MB string value — is
    /// not drawn: it would repeat megabytes per diagnostic, and miette panics on a label
    /// past column 65,535. The message then carries `path:line:column` instead.
    fn snippet_fits(&self) -> bool {
        let (Some(snippets), Some(primary)) = (self.snippets, self.diagnostic.span) else {
            return false;
        };
        std::iter::once(primary)
            .chain(self.diagnostic.related.iter().map(|l| l.span))
            .all(|span| {
                // Only the excerpt holding the span is drawn from: measure within it.
                let Some((range, span)) = snippets.map(span).and_then(|span| {
                    let (range, _) = snippets.excerpt(span)?;
                    Some((
                        range,
                        Span::new(span.start - range.start, span.end - range.start),
                    ))
                }) else {
                    return false;
                };
                let text = &snippets.text.as_bytes()[range.start..range.end];
                if span.end > text.len() || span.len() > MAX_SNIPPET_BYTES {
                    return false;
                }
                // Back to the start of the line before, forward to the end of the line after,
                // looking no further than the limit allows.
                let floor = span.start.saturating_sub(MAX_SNIPPET_BYTES);
                let newline_before = text[floor..span.start]
                    .iter()
                    .rev()
                    .enumerate()
                    .filter(|&(_, &b)| b == b'\n')
                    .nth(1);
                let start = match newline_before {
                    Some((i, _)) => span.start - i,
                    None if floor == 0 => 0,
                    None => return false,
                };
                let ceiling = (start + MAX_SNIPPET_BYTES).min(text.len());
                let newlines_after = text[span.end.min(ceiling)..ceiling]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .take(2)
                    .count();
                newlines_after >= 2 || ceiling == text.len()
            })
    }
}

/// The longest source region drawn for one label; see [`View::snippet_fits`].
const MAX_SNIPPET_BYTES: usize = 8 * 1024;

impl fmt::Debug for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("View")
            .field("code", &self.diagnostic.code)
            .finish()
    }
}

impl fmt::Display for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // File names, messages and pointers can hold any character the payload or the file
        // system allows; a raw escape sequence must not reach the terminal.
        let path = one_line(&self.report.path);
        let message = one_line(&self.diagnostic.message);
        if let Some(start) = self.diagnostic.start.filter(|_| !self.snippet_fits()) {
            write!(f, "{path}:{}:{}: ", start.line, start.column)?;
        }
        match (self.diagnostic.start, &self.diagnostic.pointer) {
            (_, Some(pointer)) if !pointer.is_empty() => {
                write!(f, "{message} (at {})", one_line(pointer))
            }
            (None, _) => write!(f, "{path}: {message}"),
            _ => f.write_str(&message),
        }
    }
}

impl std::error::Error for View<'_> {}

/// The redacted source, except that the header's `line:column` is the diagnostic's true
/// position in the original file: redaction shortens lines, and the header must not lie.
/// Reads stay inside one excerpt, and line numbers are the file's.
impl miette::SourceCode for View<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let snippets = self.snippets.ok_or(miette::MietteError::OutOfBounds)?;
        let wanted = Span::new(span.offset(), span.offset() + span.len());
        let (range, first_line) = snippets
            .excerpt(wanted)
            .ok_or(miette::MietteError::OutOfBounds)?;
        let (range, first_line) = snippets.window(
            range,
            first_line,
            wanted,
            context_lines_before,
            context_lines_after,
        );
        let excerpt = snippets
            .text
            .get(range.start..range.end)
            .ok_or(miette::MietteError::OutOfBounds)?;
        let local = SourceSpan::new((wanted.start - range.start).into(), span.len());
        let contents = excerpt.read_span(&local, context_lines_before, context_lines_after)?;
        let primary = self.diagnostic.span.map(|s| self.span(s));
        let (line, column) = match (primary, self.diagnostic.start) {
            (Some(primary), Some(start))
                if primary == *span && context_lines_before == 0 && context_lines_after == 0 =>
            {
                (start.line.saturating_sub(1), start.column.saturating_sub(1))
            }
            _ => (first_line + contents.line(), contents.column()),
        };
        let data: &'a [u8] = contents.data();
        Ok(Box::new(
            miette::MietteSpanContents::new_named(
                one_line(&self.report.path).into_owned(),
                data,
                SourceSpan::new(
                    (contents.span().offset() + range.start).into(),
                    contents.span().len(),
                ),
                line,
                column,
                contents.line_count(),
            )
            .with_language("json"),
        ))
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
        let help = self.diagnostic.help.as_deref().map(one_line);
        let fixable = fix_hint(self.diagnostic);
        match (help, fixable) {
            (Some(help), Some(fixable)) => Some(Box::new(format!("{help}\n{fixable}"))),
            (Some(text), None) => Some(Box::new(text)),
            (None, Some(text)) => Some(Box::new(text)),
            (None, None) => None,
        }
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.diagnostic.span?;
        if !self.snippet_fits() {
            return None;
        }
        self.snippets.map(|_| self as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = self.diagnostic.span?;
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            self.diagnostic
                .label
                .as_deref()
                .map(|l| one_line(l).into_owned()),
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
