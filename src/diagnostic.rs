//! What a check finds, in one shape for every source (parser, schema, lint rules, I/O) and
//! every output format: [`Diagnostic`]s grouped in a [`FileReport`] per checked file.
//!
//! Findings start life as [`Finding`]s that name a JSON pointer; the check pipeline turns
//! the pointer into a byte [`Span`] and line/column [`Position`]s (see [`crate::span_index`]).
//! Nothing here prints.

use std::borrow::Cow;

use serde::Serialize;

pub use crate::span::{Position, Span};

/// How serious a diagnostic is. Only errors fail a run (unless `--deny-warnings`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The payload is wrong: the API rejects it or silently loses data.
    Error,
    /// The payload is suspicious: probably a mistake, but the API accepts it.
    Warning,
}

impl Severity {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A secondary label: another place in the file that explains the diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What to say there.
    pub message: String,
}

/// Whether a fix can be applied without changing what the payload means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Cannot change meaning: applied by `--fix`.
    Safe,
    /// Could change meaning: applied only with `--unsafe-fixes`.
    Unsafe,
}

/// One text edit: replace the bytes `start..end` with `content`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    /// First byte replaced.
    pub start: usize,
    /// One past the last byte replaced.
    pub end: usize,
    /// The replacement text.
    pub content: String,
}

/// A repair for a diagnostic: edits to apply together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// Whether `--fix` alone may apply it.
    pub applicability: Applicability,
    /// The edits, in any order; they never overlap.
    pub edits: Vec<Edit>,
}

/// Which part of the JSON value at a pointer a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The whole value (a wrong type, enum value or format).
    Value,
    /// The key naming the value (an unknown or misspelt key).
    Key,
    /// The opening `{` or `[` of the value (a missing required property).
    Open,
    /// An explicit byte span, for findings that located themselves.
    Span(Span),
}

/// A problem found at a JSON pointer, before it is located in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Stable code, e.g. `schema::type` or `lint::unknown-key`. Its severity is the rule
    /// set's to assign, from the run's configuration.
    pub code: Cow<'static, str>,
    /// What was expected and what was found. Never contains a secret.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// JSON pointer of the offending instance within the document (`""` for the root).
    pub pointer: String,
    /// Which part of the instance to point at.
    pub target: Target,
    /// Short text for the primary label.
    pub label: Option<String>,
    /// Other places worth showing.
    pub related: Vec<Label>,
    /// A repair described by what it does rather than by bytes: rules, which never see
    /// offsets, say *what* to change and [`crate::repair`] turns it into edits once spans
    /// are known.
    pub repair: Option<Repair>,
}

/// A repair in terms of the JSON structure, resolved to byte [`Edit`]s by
/// [`crate::repair::resolve`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// Whether `--fix` alone may apply it.
    pub applicability: Applicability,
    /// What to change at the finding's pointer.
    pub action: RepairAction,
}

/// What a [`Repair`] changes at its finding's pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepairAction {
    /// Rename the member's key to this (unquoted) name.
    RenameKey(String),
    /// Replace the value with this JSON text.
    ReplaceValue(String),
    /// Remove the array item, with the comma that separates it from its neighbour.
    RemoveItem,
    /// Remove an earlier occurrence of a repeated key (the member at this key span), with its
    /// comma.
    RemoveMember(Span),
}

impl Finding {
    /// Attaches a repair.
    pub fn with_repair(mut self, applicability: Applicability, action: RepairAction) -> Self {
        self.repair = Some(Repair {
            applicability,
            action,
        });
        self
    }

    /// A finding with no help, label, related places or repair.
    pub fn new(
        code: impl Into<Cow<'static, str>>,
        pointer: impl Into<String>,
        target: Target,
        message: impl Into<String>,
    ) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            help: None,
            pointer: pointer.into(),
            target,
            label: None,
            related: Vec::new(),
            repair: None,
        }
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a primary label text.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
}

/// A located problem in one file: what every output format renders.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Stable code, e.g. `schema::type`.
    pub code: Cow<'static, str>,
    /// Severity.
    pub severity: Severity,
    /// What was expected and what was found. Never contains a secret.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// JSON pointer of the offending instance, when the problem is about one.
    pub pointer: Option<String>,
    /// Primary byte span in the file, when the problem has a place.
    pub span: Option<Span>,
    /// Start of the primary span.
    pub start: Option<Position>,
    /// End of the primary span (exclusive column).
    pub end: Option<Position>,
    /// Short text for the primary label.
    pub label: Option<String>,
    /// Other places worth showing.
    pub related: Vec<Label>,
    /// A mechanical repair, if there is one.
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// The diagnostic of `finding`, at `span` of its document, with `severity` and the byte
    /// edits its repair resolved to; positions are set by [`place`](Self::place).
    pub fn of_finding(finding: Finding, severity: Severity, span: Span, fix: Option<Fix>) -> Self {
        Self {
            code: finding.code,
            severity,
            message: finding.message,
            help: finding.help,
            pointer: Some(finding.pointer),
            span: Some(span),
            start: None,
            end: None,
            label: finding.label,
            related: finding.related,
            fix,
        }
    }

    /// An error about the text itself (syntax, encoding) at `span`, with no pointer;
    /// positions are set by [`place`](Self::place).
    pub fn in_text(
        code: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
        span: Span,
    ) -> Self {
        Self {
            span: Some(span),
            ..Self::whole_file(code, message)
        }
    }

    /// Sets the start and end positions from the span, in `text` indexed by `lines`.
    pub fn place(&mut self, text: &str, lines: &crate::span::LineIndex) {
        if let Some(span) = self.span {
            self.start = Some(lines.position(text, span.start));
            self.end = Some(lines.position(text, span.end));
        }
    }

    /// Moves every byte offset `bytes` to the right and every line `lines` down: for a
    /// diagnostic found in a document that starts there in its file (after a byte-order
    /// mark, or on a JSON Lines line).
    pub fn shift(&mut self, bytes: usize, lines: usize) {
        self.span = self.span.map(|span| span.shifted(bytes));
        for position in [&mut self.start, &mut self.end].into_iter().flatten() {
            position.line += lines;
        }
        for label in &mut self.related {
            label.span = label.span.shifted(bytes);
        }
        if let Some(fix) = &mut self.fix {
            for edit in &mut fix.edits {
                edit.start += bytes;
                edit.end += bytes;
            }
        }
    }

    /// A diagnostic about the file as a whole (I/O failures), with no place in the text.
    pub fn whole_file(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            severity: Severity::Error,
            message: message.into(),
            help: None,
            pointer: None,
            span: None,
            start: None,
            end: None,
            label: None,
            related: Vec::new(),
            fix: None,
        }
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// True for an `io::` diagnostic: the path could not be checked at all.
    pub fn is_io(&self) -> bool {
        self.code.starts_with("io::")
    }
}

/// Everything found in one checked file.
#[derive(Debug, Clone, Default)]
pub struct FileReport {
    /// The path as given on the command line or found under a given directory; `-` for stdin.
    pub path: String,
    /// The file's text, kept only when a diagnostic needs a source snippet: the whole file,
    /// or for a streamed JSON Lines file only the lines with diagnostics.
    pub source: Option<crate::source_text::SourceText>,
    /// Byte spans of secret values in the kept text (`source`'s [`text`]), not in the file,
    /// beyond those a whole file's text finds itself: renderers must not show any of
    /// [`secret_spans`](Self::secret_spans), which adds those.
    ///
    /// [`text`]: crate::source_text::SourceText::text
    pub secrets: Vec<Span>,
    /// The diagnostics, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// How many diagnostics `--fix` repaired in this file.
    pub fixed: usize,
    /// Warnings found but not built, because the run shows errors only (`--quiet`): they
    /// count in [`warnings`](Self::warnings) and the summary, and are never rendered.
    pub hidden_warnings: usize,
}

impl FileReport {
    /// A report with no diagnostics.
    pub fn clean(path: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            ..Self::default()
        }
    }

    /// Every secret span of the kept text, sorted, none overlapping: `secrets`, and for a
    /// whole file those found by scanning it (on first use, see
    /// [`SourceText::found_secrets`](crate::source_text::SourceText::found_secrets)).
    /// Renderers that print source text redact exactly these.
    pub fn secret_spans(&self) -> Cow<'_, [Span]> {
        let found = self
            .source
            .as_ref()
            .map_or(&[][..], |source| source.found_secrets());
        if found.is_empty() || found == self.secrets.as_slice() {
            return Cow::Borrowed(&self.secrets);
        }
        if self.secrets.is_empty() {
            return Cow::Borrowed(found);
        }
        let mut all: Vec<Span> = self.secrets.iter().chain(found).copied().collect();
        all.sort_unstable();
        // Overlapping spans become one: a redaction skips a span that starts inside the
        // previous one, which would show the rest of it.
        let mut merged: Vec<Span> = Vec::with_capacity(all.len());
        for span in all {
            match merged.last_mut() {
                Some(last) if span.start < last.end || span == *last => {
                    last.end = last.end.max(span.end);
                }
                _ => merged.push(span),
            }
        }
        Cow::Owned(merged)
    }

    /// Number of error-severity diagnostics.
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings: warning-severity diagnostics, and those counted but not built
    /// ([`hidden_warnings`](Self::hidden_warnings)).
    pub fn warnings(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
            + self.hidden_warnings
    }

    /// Whether the file, or part of it, could not be read (an `io::` diagnostic).
    pub fn is_unreadable(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_io)
    }

    /// Sorts diagnostics by position, then code, so output is stable whatever produced them.
    pub fn sort(&mut self) {
        self.diagnostics.sort_by(|a, b| {
            let key = |d: &Diagnostic| (d.span.map_or(0, |s| s.start), d.span.map_or(0, |s| s.end));
            key(a)
                .cmp(&key(b))
                .then_with(|| a.code.cmp(&b.code))
                .then_with(|| a.message.cmp(&b.message))
        });
    }
}

/// Totals over a run, as the summary line and JSON `summary` show them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Files checked (including those that could not be read).
    pub files: usize,
    /// Files with at least one error.
    pub files_with_errors: usize,
    /// Error-severity diagnostics.
    pub errors: usize,
    /// Warning-severity diagnostics.
    pub warnings: usize,
    /// Diagnostics repaired by `--fix`.
    #[serde(skip_serializing_if = "is_zero")]
    pub fixed: usize,
    /// Files that could not be read, in whole or in part (an `io::` diagnostic); the exit
    /// code's business, not the report's.
    #[serde(skip)]
    pub unreadable: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Summary {
    /// Totals of `reports`, one per file.
    pub fn of(reports: &[FileReport]) -> Self {
        let mut summary = Summary::default();
        for report in reports {
            summary.add_part(report);
            summary.end_file(report.errors() > 0, report.is_unreadable());
        }
        summary
    }

    /// Counts the diagnostics of `part`, a file's report or a part of one.
    pub fn add_part(&mut self, part: &FileReport) {
        self.errors += part.errors();
        self.warnings += part.warnings();
        self.fixed += part.fixed;
    }

    /// Counts a file whose parts have all been added: whether any had an error, and whether
    /// any part could not be read.
    pub fn end_file(&mut self, had_errors: bool, unreadable: bool) {
        self.files += 1;
        self.files_with_errors += usize::from(had_errors);
        self.unreadable += usize::from(unreadable);
    }
}
