//! The pipeline: inputs → one [`FileReport`] per file, in path order, and the run's exit
//! status.
//!
//! Each file is read once and parsed once. Spans, line numbers and the redaction of the
//! source are computed only for files that have something to report; a valid file costs a
//! read, a parse and a validation. JSON Lines files are streamed by [`jsonl`].
//!
//! [`Checker::check_each`] hands reports to a [`ReportSink`] as soon as their place in the
//! sorted output is settled, so a run's memory does not grow with what it finds: files are
//! checked in order on the thread pool, at most [`WINDOW`] ahead of the last report handed
//! on, and a JSON Lines file is handed on in parts, batch by batch, in line order.

mod jsonl;

use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, FileReport, Finding, Severity, Summary};
use crate::input::{self, Input};
use crate::rules::RuleSet;
use crate::schema::CompiledSchema;
use crate::source_text::SourceText;
use crate::span::{LineIndex, Span};
use crate::span_index::SpanIndex;
use crate::tree::{self, SyntaxKind, Value};
use crate::validate::validate;

/// Diagnostics shown for one document (a file, or a line of a JSON Lines file) at most;
/// the rest are counted in one `connlint::too-many` diagnostic. Validation stops describing
/// errors there, so memory is bounded by the cap rather than by what a file provokes.
pub const MAX_DIAGNOSTICS_PER_DOCUMENT: usize = 1000;

/// Files handed to one rayon task at most; see [`Checker::check_all_with_progress`].
const MAX_FILES_PER_TASK: usize = 16;

/// How far ahead of the last report handed on [`Checker::check_each`] checks files: enough
/// to keep every core busy past a slow file, few enough that the reports waiting are a
/// small, fixed part of memory.
pub const WINDOW: usize = 64;

/// Receives a run's reports in output order: files by path, a JSON Lines file's parts by line.
pub trait ReportSink {
    /// `part` is the report of a whole file, or the next part of one (`last` is false until
    /// the file's final part, which may be empty). A part's diagnostics are sorted by
    /// position and come after those of the parts before it; a JSON Lines file's failure to
    /// read further, which has no position, comes last.
    fn part(&mut self, part: FileReport, last: bool);
}

thread_local! {
    /// Each thread's span index, rebuilt for every document it reports on, so a run over
    /// many failing files allocates one index per thread rather than one per file.
    static SPAN_INDEX: RefCell<SpanIndex> = RefCell::new(SpanIndex::default());
}

/// What one run checks against, built once and shared by every file and thread.
#[derive(Debug)]
pub struct Checker {
    schema: Arc<CompiledSchema>,
    rules: RuleSet,
    max_file_size: u64,
    keep_source: bool,
    hide_warnings: bool,
}

impl Checker {
    /// A checker for `schema` (owned, or shared as [`CompiledSchema::shared_builtin`] is),
    /// running `rules`, refusing files over `max_file_size` bytes.
    pub fn new(schema: impl Into<Arc<CompiledSchema>>, rules: RuleSet, max_file_size: u64) -> Self {
        Self {
            schema: schema.into(),
            rules,
            max_file_size,
            keep_source: true,
            hide_warnings: false,
        }
    }

    /// Whether warnings are counted ([`FileReport::hidden_warnings`]) rather than built:
    /// for a run that shows errors only (`--quiet`), where a warning is never rendered.
    /// Off by default; `--fix` needs every diagnostic, warnings included.
    #[must_use]
    pub fn hide_warnings(mut self, hide: bool) -> Self {
        self.hide_warnings = hide;
        self
    }

    /// Whether a whole file's report keeps its text ([`FileReport::source`]) when it has
    /// diagnostics (the default). Renderers that never show source do not need it, and
    /// thousands of failing files' texts are most of a run's memory.
    #[must_use]
    pub fn keep_source(mut self, keep: bool) -> Self {
        self.keep_source = keep;
        self
    }

    /// The compiled schema.
    pub fn schema(&self) -> &CompiledSchema {
        &self.schema
    }

    /// Files larger than this many bytes are not read.
    pub fn max_file_size(&self) -> u64 {
        self.max_file_size
    }

    /// Checks every input, in parallel when there are several, and returns the reports
    /// sorted by path (then, within a file, by position).
    pub fn check_all(&self, inputs: &[Input]) -> Vec<FileReport> {
        self.check_all_with_progress(inputs, None)
    }

    /// [`check_all`](Self::check_all), calling `progress` (from any thread) after each input
    /// is checked; with `None` the loop is the same as without progress reporting.
    pub fn check_all_with_progress(
        &self,
        inputs: &[Input],
        progress: Option<&(dyn Fn() + Sync)>,
    ) -> Vec<FileReport> {
        let check = |input: &Input| {
            let report = self.check_input(input);
            if let Some(progress) = progress {
                progress();
            }
            report
        };
        let mut reports: Vec<FileReport> = if inputs.len() > 1 {
            // Small tasks (a file takes microseconds): when the machine is busy and a worker
            // is preempted, the others can still take its remaining files instead of waiting.
            inputs
                .par_iter()
                .with_max_len(MAX_FILES_PER_TASK)
                .map(check)
                .collect()
        } else {
            inputs.iter().map(check).collect()
        };
        reports.sort_by(|a, b| a.path.cmp(&b.path));
        reports
    }

    /// Checks every input and hands each report to `sink` in the order [`check_all`]
    /// returns them, without holding them all: see the module documentation. `progress`
    /// is called (from any thread) after each input is checked.
    ///
    /// [`check_all`]: Self::check_all
    pub fn check_each(
        &self,
        inputs: &[Input],
        progress: Option<&(dyn Fn() + Sync)>,
        sink: &mut dyn ReportSink,
    ) {
        let mut order: Vec<&Input> = inputs.iter().collect();
        // Stable, as `check_all`'s sort of reports by path is: equal paths keep their order.
        order.sort_by(|a, b| a.display().cmp(b.display()));
        let mut rest = &order[..];
        while let Some(first) = rest.first() {
            if first.is_json_lines() {
                // Checked alone, in parallel batches, and handed on part by part.
                self.stream_input(first, sink);
                if let Some(progress) = progress {
                    progress();
                }
                rest = &rest[1..];
                continue;
            }
            let n = rest
                .iter()
                .take_while(|input| !input.is_json_lines())
                .count();
            let (run, after) = rest.split_at(n);
            self.check_in_order(run, progress, sink);
            rest = after;
        }
    }

    /// Checks `run`'s inputs (none of them JSON Lines) on worker threads and hands their
    /// reports to `sink` here, in order. Workers take inputs in order from a shared counter
    /// and never more than [`WINDOW`] ahead of the last report handed on, so at most that
    /// many reports wait, whatever the run's size, and no barrier ever idles a core.
    fn check_in_order(
        &self,
        run: &[&Input],
        progress: Option<&(dyn Fn() + Sync)>,
        sink: &mut dyn ReportSink,
    ) {
        let check = |input: &Input| {
            let report = self.check_input(input);
            if let Some(progress) = progress {
                progress();
            }
            report
        };
        if let [only] = run {
            return sink.part(check(only), true);
        }
        let next = AtomicUsize::new(0);
        // How many reports have been handed on, for the workers to wait on.
        let handed = (Mutex::new(0usize), Condvar::new());
        let (send, receive) = mpsc::channel::<(usize, FileReport)>();
        // Threads of their own, not the pool's: a worker may wait for the reports before
        // its own to be handed on, and handing on may use the pool (human drawings).
        std::thread::scope(|scope| {
            let mut workers = 0;
            for _ in 0..rayon::current_num_threads().max(1) {
                let send = send.clone();
                let (next, handed, check) = (&next, &handed, &check);
                let work = move || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(input) = run.get(i) else { break };
                    // The worker holding the oldest report not yet handed on never waits
                    // here, so every wait ends.
                    if let Ok(mut done) = handed.0.lock() {
                        while i >= *done + WINDOW {
                            match handed.1.wait(done) {
                                Ok(now) => done = now,
                                Err(_) => return,
                            }
                        }
                    }
                    if send.send((i, check(input))).is_err() {
                        break;
                    }
                };
                if std::thread::Builder::new()
                    .spawn_scoped(scope, work)
                    .is_ok()
                {
                    workers += 1;
                }
            }
            drop(send);
            if workers == 0 {
                // No thread could be started: check here, in order.
                for input in run {
                    sink.part(check(input), true);
                }
                return;
            }
            let mut waiting = std::collections::BTreeMap::new();
            let mut want = 0;
            for (i, report) in receive {
                waiting.insert(i, report);
                while let Some(report) = waiting.remove(&want) {
                    sink.part(report, true);
                    want += 1;
                }
                if let Ok(mut done) = handed.0.lock() {
                    *done = want;
                }
                handed.1.notify_all();
            }
        });
    }

    /// Reads and checks one JSON Lines input, handing its report on in parts.
    fn stream_input(&self, input: &Input, sink: &mut dyn ReportSink) {
        if let Input::File { path, display } = input {
            match input::open(path, display) {
                Ok(file) => return jsonl::stream(self, display, file, self.max_file_size, sink),
                Err(None) => {}
                Err(Some(diagnostic)) => {
                    return sink.part(Self::unreadable(display, diagnostic), true)
                }
            }
        }
        match input::read(input, self.max_file_size) {
            Ok(bytes) => jsonl::stream(self, input.display(), &bytes[..], self.max_file_size, sink),
            Err(diagnostic) => sink.part(Self::unreadable(input.display(), diagnostic), true),
        }
    }

    /// Reads and checks one input.
    pub fn check_input(&self, input: &Input) -> FileReport {
        if let Input::File { path, display } = input {
            if input.is_json_lines() {
                match input::open(path, display) {
                    // Streamed: `--max-file-size` bounds each line, not the file.
                    Ok(file) => return jsonl::check(self, display, file, self.max_file_size),
                    // Not a regular file (nothing bounds it): read whole, under the limit.
                    Err(None) => {}
                    Err(Some(diagnostic)) => return Self::unreadable(display, diagnostic),
                }
            }
        }
        match input::read(input, self.max_file_size) {
            Ok(bytes) if input.is_json_lines() => {
                jsonl::check(self, input.display(), &bytes[..], self.max_file_size)
            }
            Ok(bytes) => self.check_file(input.display(), bytes),
            Err(diagnostic) => Self::unreadable(input.display(), diagnostic),
        }
    }

    fn unreadable(path: &str, diagnostic: Diagnostic) -> FileReport {
        FileReport {
            path: path.to_string(),
            diagnostics: vec![diagnostic],
            ..FileReport::default()
        }
    }

    /// Checks the bytes of one file named `path`; `json_lines` for one document per line.
    pub fn check_bytes(&self, path: &str, bytes: &[u8], json_lines: bool) -> FileReport {
        if json_lines {
            // The same streaming code as for files, so both behave alike.
            return jsonl::check(self, path, bytes, self.max_file_size);
        }
        self.check_file(path, bytes)
    }

    /// JSON Lines `bytes`, streamed as a file is but read `chunk` bytes at a time: for the
    /// fuzz target that crosses the reader's chunk boundaries. Not a stable interface.
    #[doc(hidden)]
    pub fn check_json_lines_in_chunks(&self, path: &str, bytes: &[u8], chunk: usize) -> FileReport {
        jsonl::check_in_chunks(self, path, bytes, self.max_file_size, chunk.max(1))
    }

    /// Checks one whole file's bytes; a report that keeps the text takes `bytes` itself
    /// when it can (read files), else a copy.
    fn check_file<B: AsRef<[u8]> + Into<Vec<u8>>>(&self, path: &str, bytes: B) -> FileReport {
        let raw = bytes.as_ref();
        // A UTF-8 byte-order mark is accepted and skipped (editors on Windows add one);
        // offsets stay relative to the file so columns on line 1 still match the file.
        let bom = if raw.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        let text = match std::str::from_utf8(raw) {
            Ok(text) => text,
            Err(err) => return self.not_utf8(path, raw, err.valid_up_to()),
        };
        let mut diagnostics = Vec::new();
        let mut lines: Option<LineIndex> = None;
        let mut report = FileReport {
            path: path.to_string(),
            ..FileReport::default()
        };
        self.check_document(
            text,
            Span::new(bom, text.len()),
            self.schema.model.is_some(),
            &mut lines,
            (&mut diagnostics, &mut report.hidden_warnings),
        );
        if !diagnostics.is_empty() {
            if self.keep_source {
                // Already checked as UTF-8, so this does not fail; the fallback copies.
                let text = String::from_utf8(bytes.into())
                    .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned());
                // Its secrets are found when a renderer that shows source asks for them.
                report.source = Some(SourceText::whole(text));
            }
            report.diagnostics = diagnostics;
            report.sort();
        }
        report
    }

    /// Checks one JSON Lines document, `line` (no line ending; a byte-order mark in its first
    /// `bom` bytes), returning diagnostics with spans from the line's start, on line 1.
    pub(crate) fn check_line(&self, line: &str, bom: usize) -> LineCheck {
        let mut diagnostics = Vec::new();
        let mut hidden_warnings = 0;
        let syntax = self.check_document(
            line,
            Span::new(bom, line.len()),
            false,
            &mut None,
            (&mut diagnostics, &mut hidden_warnings),
        );
        LineCheck {
            diagnostics,
            hidden_warnings,
            broken: syntax.is_some(),
        }
    }

    /// Checks the document at `span` of `text`, appending located diagnostics to `out.0` and
    /// counting hidden warnings in `out.1`; returns the kind of its syntax error, if it is
    /// not JSON.
    fn check_document(
        &self,
        text: &str,
        span: Span,
        list: bool,
        lines: &mut Option<LineIndex>,
        (out, hidden): (&mut Vec<Diagnostic>, &mut usize),
    ) -> Option<SyntaxKind> {
        let doc = &text[span.start..span.end];
        let parsed = match tree::parse(doc) {
            Ok(parsed) => parsed,
            Err(err) => {
                let at = span.start + err.offset;
                let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
                let mut diagnostic =
                    Diagnostic::in_text(err.code(), err.message, Span::new(at, end))
                        .with_help(syntax_help(err.kind));
                diagnostic.place(text, lines.get_or_insert_with(|| LineIndex::new(text)));
                out.push(diagnostic);
                return Some(err.kind);
            }
        };
        let mut findings = Vec::new();
        let mut more = 0;
        match &parsed.value {
            Value::Array(items) if list => {
                for (i, item) in items.iter().enumerate() {
                    let prefix = format!("/{i}");
                    more += self.check_connection(item, &prefix, &mut findings);
                }
            }
            value => more += self.check_connection(value, "", &mut findings),
        }
        let has_duplicates = parsed.has_duplicate_keys;
        if findings.is_empty() && !has_duplicates {
            return None;
        }
        if self.hide_warnings && !has_duplicates && more == 0 {
            // Without repeated keys the findings are final here: when none is shown, they
            // are counted (as `report` would count them, capped) and nothing is located.
            self.rules.adjust(&mut findings);
            let shown = |f: &Finding| self.rules.severity(&f.code) == Some(Severity::Error);
            if !findings.iter().any(shown) {
                let warnings = findings
                    .iter()
                    .filter(|f| self.rules.severity(&f.code) == Some(Severity::Warning))
                    .count();
                // Past the cap, the rest are one `connlint::too-many` warning.
                *hidden += warnings.min(MAX_DIAGNOSTICS_PER_DOCUMENT)
                    + usize::from(warnings > MAX_DIAGNOSTICS_PER_DOCUMENT);
                return None;
            }
        }
        SPAN_INDEX.with(|cell| {
            let mut fresh = SpanIndex::default();
            let mut shared = cell.try_borrow_mut();
            let index = match &mut shared {
                Ok(index) => &mut **index,
                Err(_) => &mut fresh,
            };
            // The parse has already said whether any object repeats a key.
            index.rebuild(doc, has_duplicates);
            self.report(findings, more, index, text, span, lines, (out, hidden));
            if index.is_large() {
                // Kept for the next file only while small: one huge file must not hold its
                // index for the rest of the run.
                *index = SpanIndex::default();
            }
        });
        None
    }

    /// The schema's findings and the rules' about one Connection (`prefix` is its pointer);
    /// returns the number of schema errors past the document's cap, counted, not described.
    fn check_connection(
        &self,
        value: &Value<'_>,
        prefix: &str,
        findings: &mut Vec<Finding>,
    ) -> usize {
        let start = findings.len();
        let limit = MAX_DIAGNOSTICS_PER_DOCUMENT.saturating_sub(start);
        let validated = validate(&self.schema.validator, value, prefix, limit);
        findings.extend(validated.findings);
        if let (Some(model), true) = (self.schema.model, findings.len() > start) {
            crate::rules::explain_history(value, prefix, model, &mut findings[start..]);
        }
        self.rules.check(value, prefix, self.schema.model, findings);
        validated.more
    }

    /// Locates `findings` about the document at `span` of `text`, indexed by `index`, at
    /// most [`MAX_DIAGNOSTICS_PER_DOCUMENT`] of them; `more` schema errors were not described.
    #[allow(clippy::too_many_arguments)]
    fn report(
        &self,
        mut findings: Vec<Finding>,
        more: usize,
        index: &SpanIndex,
        text: &str,
        span: Span,
        lines: &mut Option<LineIndex>,
        (out, hidden): (&mut Vec<Diagnostic>, &mut usize),
    ) {
        let doc = &text[span.start..span.end];
        self.rules.check_duplicates(index, &mut findings);
        self.rules.adjust(&mut findings);
        let lines = lines.get_or_insert_with(|| LineIndex::new(text));
        let dropped = self.cap(&mut findings, more);
        out.reserve(findings.len() + 1);
        for finding in findings {
            let Some(severity) = self.rules.severity(&finding.code) else {
                continue;
            };
            if self.hide_warnings && severity == Severity::Warning {
                *hidden += 1;
                continue;
            }
            let fix = finding
                .repair
                .as_ref()
                .and_then(|repair| crate::repair::resolve(repair, &finding.pointer, index, doc));
            let local = index
                .locate(&finding.pointer, finding.target)
                .unwrap_or(Span::new(0, doc.len()));
            let mut diagnostic = Diagnostic::of_finding(finding, severity, local, fix);
            if let Some(pointer) = &mut diagnostic.pointer {
                if let std::borrow::Cow::Owned(hidden) = crate::redact::redact_pointer(pointer) {
                    *pointer = hidden;
                }
            }
            diagnostic.shift(span.start, 0);
            diagnostic.place(text, lines);
            out.push(diagnostic);
        }
        if let Some((count, severity)) = dropped {
            if self.hide_warnings && severity == Severity::Warning {
                *hidden += 1;
                return;
            }
            let mut diagnostic = Diagnostic::in_text(
                "connlint::too-many",
                format!(
                    "{}{count} more diagnostics in this document are not shown: connlint shows \
                     at most {MAX_DIAGNOSTICS_PER_DOCUMENT} per document",
                    // An undescribed schema error may have unfolded to several.
                    if more > 0 { "at least " } else { "" }
                ),
                Span::new(span.start, span.start),
            )
            .with_help("fix the ones shown and run connlint again to see the next ones");
            diagnostic.severity = severity;
            diagnostic.place(text, lines);
            out.push(diagnostic);
        }
    }

    /// Keeps the first [`MAX_DIAGNOSTICS_PER_DOCUMENT`] reportable `findings` (in the order
    /// found: the schema's, then the rules'), dropping the rest; returns how many were dropped,
    /// with `more` undescribed schema errors, and the gravest severity among them, so the
    /// summary fails the run exactly when a dropped one would have.
    fn cap(&self, findings: &mut Vec<Finding>, more: usize) -> Option<(usize, Severity)> {
        findings.retain(|finding| self.rules.severity(&finding.code).is_some());
        let mut hidden = (more > 0).then_some((more, Severity::Error));
        if findings.len() > MAX_DIAGNOSTICS_PER_DOCUMENT {
            for finding in findings.drain(MAX_DIAGNOSTICS_PER_DOCUMENT..) {
                let severity = self
                    .rules
                    .severity(&finding.code)
                    .unwrap_or(Severity::Warning);
                hidden = Some(match hidden {
                    Some((count, worst)) => (count + 1, worst.min(severity)),
                    None => (1, severity),
                });
            }
        }
        hidden
    }

    fn not_utf8(&self, path: &str, bytes: &[u8], valid_up_to: usize) -> FileReport {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let diagnostic = encoding_error(&text, valid_up_to);
        FileReport {
            path: path.to_string(),
            source: Some(SourceText::whole(text)),
            diagnostics: vec![diagnostic],
            fixed: 0,
            ..FileReport::default()
        }
    }
}

/// `json::encoding` at the first byte that is not UTF-8 (`valid_up_to`), located in `text`,
/// the lossily decoded content (identical to the original up to that byte).
pub(crate) fn encoding_error(text: &str, valid_up_to: usize) -> Diagnostic {
    let end = (valid_up_to + 1).min(text.len());
    let mut diagnostic = Diagnostic::in_text(
        "json::encoding",
        "the file is not valid UTF-8",
        Span::new(valid_up_to, end),
    )
    .with_help("JSON files must be UTF-8; re-save the file as UTF-8");
    diagnostic.place(text, &LineIndex::new(text));
    diagnostic
}

/// What to do about a syntax error of this kind.
fn syntax_help(kind: SyntaxKind) -> String {
    match kind {
        SyntaxKind::Depth => format!(
            "connlint parses at most {} levels of nested arrays and objects",
            tree::MAX_DEPTH
        ),
        SyntaxKind::Empty => {
            "a payload file holds one Connection object, or an array of them".to_string()
        }
        SyntaxKind::NumberOutOfRange => {
            "write a smaller number, or quote it if it is an identifier rather than a quantity"
                .to_string()
        }
        SyntaxKind::Comment
        | SyntaxKind::NanOrInfinity
        | SyntaxKind::Nul
        | SyntaxKind::EndOfInput
        | SyntaxKind::Other => {
            "fix the JSON syntax here; comments, trailing commas, NaN and single quotes are not \
                JSON"
                .to_string()
        }
    }
}

/// What checking one JSON Lines line found.
#[derive(Debug, Default)]
pub(crate) struct LineCheck {
    /// Its diagnostics, located in the line (spans from its start, positions on line 1).
    pub diagnostics: Vec<Diagnostic>,
    /// Warnings counted but not built ([`Checker::hide_warnings`]).
    pub hidden_warnings: usize,
    /// Whether the line is not a whole JSON document (`{"credentials":` and a line break, or
    /// any other syntax error): the lines after it may be the rest of it.
    pub broken: bool,
}

/// How a run ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// No error-severity diagnostic (exit 0).
    Clean,
    /// Some file has an error (exit 1).
    Failed,
    /// Some path could not be checked at all (exit 2).
    Unreadable,
}

impl Outcome {
    /// The outcome of `reports`; warnings fail the run when `deny_warnings`.
    pub fn of(reports: &[FileReport], deny_warnings: bool) -> Self {
        Self::of_summary(&Summary::of(reports), deny_warnings)
    }

    /// The outcome of a run with these totals; warnings fail it when `deny_warnings`.
    pub fn of_summary(summary: &Summary, deny_warnings: bool) -> Self {
        if summary.unreadable > 0 {
            Outcome::Unreadable
        } else if summary.errors > 0 || (deny_warnings && summary.warnings > 0) {
            Outcome::Failed
        } else {
            Outcome::Clean
        }
    }

    /// The process exit code.
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Clean => 0,
            Outcome::Failed => 1,
            Outcome::Unreadable => 2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checker() -> Checker {
        let schema = CompiledSchema::shared_builtin().expect("built-in schema");
        Checker::new(schema, RuleSet::default(), u64::MAX)
    }

    #[test]
    fn hidden_warnings_are_counted_as_the_shown_ones_are_capped_and_counted() {
        // Warnings only, past the cap: 1,000 shown and one `connlint::too-many` warning.
        let keys: String = (0..1_500)
            .map(|k| format!(", \"extra_{k}\": {k}"))
            .collect();
        let text = format!(
            "{{\"integration_type\": \"x\", \"categories\": [\"crm\"], \
             \"permissions\": [\"crm_contact_read\"]{keys}}}"
        );
        for json_lines in [false, true] {
            let shown = checker().check_bytes("a.json", text.as_bytes(), json_lines);
            let hidden =
                checker()
                    .hide_warnings(true)
                    .check_bytes("a.json", text.as_bytes(), json_lines);
            assert_eq!(shown.warnings(), MAX_DIAGNOSTICS_PER_DOCUMENT + 1);
            assert_eq!(shown.errors(), 0);
            assert!(hidden.diagnostics.is_empty(), "{:?}", hidden.diagnostics);
            assert_eq!(
                hidden.warnings(),
                shown.warnings(),
                "json lines: {json_lines}"
            );
        }
    }

    #[test]
    fn a_report_keeps_its_text_unless_told_not_to() {
        let bad = br#"{"id": 1}"#;
        let kept = checker().check_bytes("a.json", bad, false);
        assert!(!kept.diagnostics.is_empty());
        assert_eq!(
            kept.source.as_ref().map(SourceText::text),
            Some(r#"{"id": 1}"#)
        );
        let dropped = checker()
            .keep_source(false)
            .check_bytes("a.json", bad, false);
        assert!(dropped.source.is_none());
        // Positions do not depend on the kept text.
        let places = |r: &FileReport| {
            r.diagnostics
                .iter()
                .map(|d| (d.start, d.end))
                .collect::<Vec<_>>()
        };
        assert_eq!(places(&kept), places(&dropped));
    }

    #[test]
    fn files_after_a_large_one_are_located_as_on_their_own() {
        let checker = checker();
        let alone = checker.check_bytes("b.json", br#"{"id": "x", "is_paused": "yes"}"#, false);
        // Each item has a few errors: the large one is over the cap, with thousands of
        // diagnostics described before the cap and counted after it.
        let large = format!("[{}]", vec![r#"{"id": 1}"#; 20_000].join(","));
        let big = checker.check_bytes("a.json", large.as_bytes(), false);
        assert_eq!(big.diagnostics.len(), MAX_DIAGNOSTICS_PER_DOCUMENT + 1);
        let after = checker.check_bytes("b.json", br#"{"id": "x", "is_paused": "yes"}"#, false);
        assert_eq!(after.diagnostics, alone.diagnostics);
    }

    #[test]
    fn diagnostics_past_the_cap_are_one_summary_with_their_count_and_severity() {
        let checker = checker();
        // Four errors per item (three missing properties and `id`'s type).
        let items = 300;
        let text = format!("[{}]", vec![r#"{"id": 1}"#; items].join(","));
        let report = checker.check_bytes("a.json", text.as_bytes(), false);
        let uncapped = 4 * items;
        assert_eq!(report.diagnostics.len(), MAX_DIAGNOSTICS_PER_DOCUMENT + 1);
        let summary: Vec<&Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| d.code == "connlint::too-many")
            .collect();
        assert_eq!(summary.len(), 1);
        assert_eq!(summary[0].severity, Severity::Error);
        let hidden = uncapped - MAX_DIAGNOSTICS_PER_DOCUMENT;
        assert!(
            summary[0]
                .message
                .starts_with(&format!("at least {hidden} more diagnostics")),
            "{}",
            summary[0].message
        );
        assert_eq!(Outcome::of(&[report], false), Outcome::Failed);

        // Warnings past the cap: the summary is a warning, and the run passes.
        let mut payload = serde_json::json!({
            "integration_type": "hubspot", "categories": ["crm"],
            "permissions": ["crm_contact_read"]
        });
        let keys = MAX_DIAGNOSTICS_PER_DOCUMENT + 5;
        for i in 0..keys {
            payload[format!("k{i}")] = serde_json::json!(i);
        }
        let text = payload.to_string();
        let report = checker.check_bytes("b.json", text.as_bytes(), false);
        let summary = report
            .diagnostics
            .iter()
            .find(|d| d.code == "connlint::too-many")
            .expect("a summary");
        assert_eq!(report.diagnostics.len(), MAX_DIAGNOSTICS_PER_DOCUMENT + 1);
        assert_eq!(summary.code, "connlint::too-many");
        assert_eq!(summary.severity, Severity::Warning);
        assert!(
            summary.message.starts_with("5 more diagnostics"),
            "{}",
            summary.message
        );
        assert_eq!(Outcome::of(&[report], false), Outcome::Clean);

        // JSON Lines: the cap is per line.
        let line = format!("{text}\n");
        let report = checker.check_bytes("c.jsonl", line.repeat(3).as_bytes(), true);
        let summaries = report
            .diagnostics
            .iter()
            .filter(|d| d.code == "connlint::too-many")
            .count();
        assert_eq!(summaries, 3);
        assert_eq!(
            report.diagnostics.len(),
            3 * (MAX_DIAGNOSTICS_PER_DOCUMENT + 1)
        );
    }

    #[test]
    fn a_json_lines_file_is_read_as_it_was_when_opened() {
        use std::io::Write;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("growing.jsonl");
        let good = concat!(
            r#"{"integration_type": "x", "categories": ["crm"], "#,
            r#""permissions": ["crm_contact_read"]}"#
        );
        std::fs::write(&path, format!("{good}\n")).expect("write");
        let file = input::open(&path, "growing.jsonl").expect("opens");
        // Appended after the open: a writer that never stops must not keep the run going.
        let mut more = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .expect("append");
        writeln!(more, "{{\"id\": 1}}").expect("append");
        let report = jsonl::check(&checker(), "growing.jsonl", file, u64::MAX);
        assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    }
}
