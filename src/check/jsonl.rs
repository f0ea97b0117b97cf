//! JSON Lines (`.jsonl`, `.ndjson`) files, streamed: one Connection per line, checked in
//! parallel batches without ever holding the whole file.
//!
//! The file is read in fixed-size chunks; the complete lines of one chunk are checked in
//! parallel while the next chunk is read. Only lines that have diagnostics are kept (in a
//! sparse [`SourceText`], for the human snippet), so memory depends on the chunk size, the
//! longest line and the number of findings — not on the file size. Diagnostics carry true
//! file offsets and line numbers. `--max-file-size` bounds one line here, not the file: a
//! longer line is reported as `io::too-large` and skipped without being buffered whole.
//!
//! [`stream`] hands the report on batch by batch, each part as soon as its lines are
//! settled, so not even the findings are held: only whether the last line left a document
//! open carries over from one part to the next.

use std::io::{ErrorKind, Read};

use rayon::prelude::*;

use super::{encoding_error, Checker, ReportSink};
use crate::diagnostic::{Diagnostic, FileReport};
use crate::input::io_diagnostic;
use crate::redact::{continued_line_secret_spans, line_secret_spans};
use crate::source_text::SourceText;
use crate::span::{Position, Span};

/// Bytes read per chunk at most. Two chunks are alive at once (one checked, one being
/// read); 1 MiB holds ~2,000 typical lines, enough to keep every core busy between chunk
/// boundaries.
const CHUNK: usize = 1 << 20;

/// Bytes read per chunk at least: reads start here and double while batches find little.
const MIN_CHUNK: usize = 64 << 10;

/// Diagnostics one batch may find before reads get smaller: what a part holds until it is
/// handed on (a few MiB) must not grow with how dense the file's problems are.
const PART_DIAGNOSTICS: usize = 2_048;

/// Lines handed to one rayon task at a time: a line takes a few microseconds, so smaller
/// tasks would cost more in scheduling than they gain in balance.
const MIN_LINES_PER_TASK: usize = 32;

/// Checks the JSON Lines content of `reader`, a file named `path`, one document per line.
/// `max_line` is the longest line (in bytes, without its newline) that is parsed.
pub(crate) fn check(
    checker: &Checker,
    path: &str,
    reader: impl Read + Send,
    max_line: u64,
) -> FileReport {
    check_in_chunks(checker, path, reader, max_line, CHUNK)
}

/// [`check`], handing the report to `sink` in parts, in line order, as the file is read.
pub(crate) fn stream(
    checker: &Checker,
    path: &str,
    reader: impl Read + Send,
    max_line: u64,
    sink: &mut dyn ReportSink,
) {
    stream_in_chunks(checker, path, reader, max_line, CHUNK, sink);
}

/// [`check`] with `chunk`-byte reads (small in tests, to cross many chunk boundaries).
pub(super) fn check_in_chunks(
    checker: &Checker,
    path: &str,
    reader: impl Read + Send,
    max_line: u64,
    chunk: usize,
) -> FileReport {
    let mut whole = Collect(None);
    read_lines(checker, path, reader, max_line, chunk, &mut whole, false);
    whole.0.unwrap_or_else(|| FileReport::clean(path))
}

/// [`stream`] with `chunk`-byte reads.
fn stream_in_chunks(
    checker: &Checker,
    path: &str,
    reader: impl Read + Send,
    max_line: u64,
    chunk: usize,
    sink: &mut dyn ReportSink,
) {
    read_lines(checker, path, reader, max_line, chunk, sink, true);
}

/// Keeps the one part a file's report comes in when it is not streamed.
struct Collect(Option<FileReport>);

impl ReportSink for Collect {
    fn part(&mut self, part: FileReport, _last: bool) {
        self.0 = Some(part);
    }
}

/// Reads and checks the lines of `reader`; hands `sink` a part after each batch when
/// `in_parts`, else the whole report at the end.
fn read_lines(
    checker: &Checker,
    path: &str,
    mut reader: impl Read + Send,
    max_line: u64,
    chunk: usize,
    sink: &mut dyn ReportSink,
    in_parts: bool,
) {
    let max_line = usize::try_from(max_line).unwrap_or(usize::MAX);
    let mut merged = Merged::default();
    // A part found but not yet handed on: it is handed on while the next batch is checked.
    let mut pending: Option<FileReport> = None;
    let finish = |merged: Merged,
                  failure: Option<Diagnostic>,
                  pending: &mut Option<FileReport>,
                  sink: &mut dyn ReportSink| {
        if let Some(part) = pending.take() {
            sink.part(part, false);
        }
        sink.part(merged.into_report(path, failure), true);
    };
    let mut current = Buffer::new(chunk);
    let mut next = Buffer::new(chunk);
    // How much the next read asks for: see `MIN_CHUNK` and `PART_DIAGNOSTICS`.
    let floor = chunk.min(MIN_CHUNK);
    let mut read_size = floor;
    // Where `current`'s first byte is in the file, and its 0-based line.
    let mut offset = 0usize;
    let mut line = 0usize;
    let mut eof = match current.fill(&mut reader, read_size) {
        Ok(eof) => eof,
        Err(err) => return finish(merged, Some(io_diagnostic(&err, path)), &mut pending, sink),
    };
    loop {
        let filled = current.filled();
        let complete = if eof {
            filled.len()
        } else {
            memchr::memrchr(b'\n', filled).map_or(0, |at| at + 1)
        };
        if complete == 0 {
            if eof {
                break;
            }
            // No newline yet: one line longer than what is buffered.
            if filled.len() > max_line {
                merged.push_too_long(offset, line, max_line);
                match skip_line(&mut reader, &mut current) {
                    Ok((skipped, now_eof)) => {
                        offset += skipped;
                        line += 1;
                        eof = now_eof;
                        continue;
                    }
                    Err(err) => {
                        return finish(merged, Some(io_diagnostic(&err, path)), &mut pending, sink);
                    }
                }
            }
            // Grow (doubling, at least a chunk) until the line fits or passes the limit.
            // `want` is always more than is buffered (which is at most `max_line`), so each
            // round reads or reaches the end: an empty buffer after a skipped line included.
            let want = current
                .len
                .saturating_mul(2)
                .max(chunk)
                .min(max_line.saturating_add(1));
            match current.fill(&mut reader, want) {
                Ok(now_eof) => eof = now_eof,
                Err(err) => {
                    return finish(merged, Some(io_diagnostic(&err, path)), &mut pending, sink)
                }
            }
            continue;
        }
        // The incomplete last line moves to the front of the next buffer, which is then
        // filled while this batch is checked.
        next.reset_with(&filled[complete..], current.capacity());
        let batch = &current.filled()[..complete];
        // The batch is checked on the pool while this thread reads the next one and hands
        // on the last part (rendering it, as a rule).
        let mut checked = Batch::default();
        let mut read = Ok(false);
        rayon::in_place_scope(|scope| {
            scope.spawn(|_| checked = check_batch(checker, batch, offset, line, max_line));
            read = next.fill(&mut reader, read_size);
            if let Some(part) = pending.take() {
                sink.part(part, false);
            }
        });
        let found: usize = checked.kept.iter().map(|l| l.diagnostics.len()).sum();
        read_size = if found > PART_DIAGNOSTICS {
            (read_size / 2).max(floor)
        } else if found < PART_DIAGNOSTICS / 4 {
            read_size.saturating_mul(2).min(chunk)
        } else {
            read_size
        };
        line += checked.lines;
        merged.extend(checked.kept);
        offset += complete;
        std::mem::swap(&mut current, &mut next);
        match read {
            Ok(now_eof) => eof = now_eof,
            Err(err) => return finish(merged, Some(io_diagnostic(&err, path)), &mut pending, sink),
        }
        if eof && current.filled().is_empty() {
            break;
        }
        if in_parts && merged.has_findings() {
            // Every line so far is settled: what a later line finds never changes them.
            pending = Some(merged.take_part(path));
        }
    }
    finish(merged, None, &mut pending, sink);
}

/// A read buffer: `data[..len]` holds bytes read, `data` never shrinks. Reading into
/// initialised memory keeps the buffer's size (and so peak memory) exactly as chosen.
struct Buffer {
    data: Vec<u8>,
    len: usize,
}

impl Buffer {
    fn new(capacity: usize) -> Self {
        Self {
            data: vec![0; capacity],
            len: 0,
        }
    }

    fn filled(&self) -> &[u8] {
        &self.data[..self.len]
    }

    fn capacity(&self) -> usize {
        self.data.len()
    }

    /// Empties the buffer, then copies `carry` to its front, growing it to `capacity`.
    fn reset_with(&mut self, carry: &[u8], capacity: usize) {
        if self.data.len() < capacity {
            self.data.resize(capacity, 0);
        }
        self.data[..carry.len()].copy_from_slice(carry);
        self.len = carry.len();
    }

    /// Reads until `want` bytes are buffered or the input ends; true at the end.
    fn fill(&mut self, reader: &mut impl Read, want: usize) -> std::io::Result<bool> {
        if self.data.len() < want {
            self.data.resize(want, 0);
        }
        while self.len < want {
            match reader.read(&mut self.data[self.len..want]) {
                Ok(0) => return Ok(true),
                Ok(n) => self.len += n,
                Err(err) if err.kind() == ErrorKind::Interrupted => {}
                Err(err) => return Err(err),
            }
        }
        Ok(false)
    }
}

/// Discards input up to and including the next newline, given that `buffer` holds the
/// start of the line (and no newline). Leaves what follows the newline in `buffer`;
/// returns how many bytes were skipped and whether the input has ended.
fn skip_line(reader: &mut impl Read, buffer: &mut Buffer) -> std::io::Result<(usize, bool)> {
    let mut skipped = 0;
    loop {
        if let Some(at) = memchr::memchr(b'\n', buffer.filled()) {
            let rest = buffer.len - (at + 1);
            buffer.data.copy_within(at + 1..buffer.len, 0);
            buffer.len = rest;
            return Ok((skipped + at + 1, false));
        }
        skipped += buffer.len;
        buffer.len = 0;
        let want = buffer.capacity();
        if buffer.fill(reader, want)? && buffer.len == 0 {
            return Ok((skipped, true));
        }
    }
}

/// What one batch of lines produced.
#[derive(Default)]
struct Batch {
    /// How many lines (newline-terminated, or the last one) the batch held.
    lines: usize,
    /// The lines with diagnostics, in file order.
    kept: Vec<KeptLine>,
}

/// A line with diagnostics, before it is merged into the report.
struct KeptLine {
    /// Its first byte in the file.
    offset: usize,
    /// Its 0-based line number.
    line: usize,
    /// The text shown in snippets: the line (without its line ending), decoded lossily
    /// when it is not UTF-8.
    text: String,
    /// Diagnostics located in `text` (spans from its start, positions on line 1).
    diagnostics: Vec<Diagnostic>,
    /// Warnings counted but not built ([`Checker::hide_warnings`]).
    hidden_warnings: usize,
    /// Whether the line is not a whole document (a syntax error, bytes that are not UTF-8,
    /// or too long to read), so that the lines after it may continue it.
    broken: bool,
    /// A blank line: nothing to report, but it does not end a document left open.
    blank: bool,
}

/// Checks the complete lines of `batch`, which starts at file `offset` on 0-based `line`.
fn check_batch(
    checker: &Checker,
    batch: &[u8],
    offset: usize,
    line: usize,
    max_line: usize,
) -> Batch {
    // Line starts first (a fast serial scan), so each line knows its number.
    let mut starts = Vec::with_capacity(batch.len() / 256 + 1);
    starts.push(0);
    starts.extend(memchr::memchr_iter(b'\n', batch).map(|at| at + 1));
    if starts.last() == Some(&batch.len()) {
        starts.pop();
    }
    let kept = starts
        .par_iter()
        .enumerate()
        .with_min_len(MIN_LINES_PER_TASK)
        .filter_map(|(i, &start)| {
            let end = starts.get(i + 1).map_or(batch.len(), |next| next - 1);
            let bytes = &batch[start..end];
            // The batch's last line keeps its newline (unless the file ends without one).
            let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
            check_line(checker, bytes, offset + start, line + i, max_line)
        })
        .collect();
    Batch {
        lines: starts.len(),
        kept,
    }
}

/// Checks one line (without its `\n`) that starts at file `offset` on 0-based `line`.
fn check_line(
    checker: &Checker,
    bytes: &[u8],
    offset: usize,
    line: usize,
    max_line: usize,
) -> Option<KeptLine> {
    // The limit counts the line's bytes before its `\n`, carriage returns included: a line
    // still being read is judged by what is buffered, which cannot know yet which of them
    // end the line, and both ways of reading must agree.
    if bytes.len() > max_line {
        return Some(KeptLine {
            offset,
            line,
            text: String::new(),
            diagnostics: vec![too_long(max_line)],
            hidden_warnings: 0,
            broken: true,
            blank: false,
        });
    }
    let mut end = bytes.len();
    while end > 0 && bytes[end - 1] == b'\r' {
        end -= 1;
    }
    let bytes = &bytes[..end];
    // A byte-order mark can only start the file; offsets keep counting it, as for JSON.
    let bom = if offset == 0 && bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let (text, checked) = match std::str::from_utf8(bytes) {
        Ok(text) => {
            if text[bom..].trim().is_empty() {
                return Some(KeptLine {
                    offset,
                    line,
                    text: String::new(),
                    diagnostics: Vec::new(),
                    hidden_warnings: 0,
                    broken: false,
                    blank: true,
                });
            }
            let checked = checker.check_line(text, bom);
            if checked.diagnostics.is_empty() && checked.hidden_warnings == 0 {
                return None;
            }
            // Kept for snippets only when a renderer shows source (or places fixes by it);
            // without it the line's secrets need no scan either.
            let kept = if checker.keep_source {
                text.to_string()
            } else {
                String::new()
            };
            (kept, checked)
        }
        Err(err) => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let diagnostic = encoding_error(&text, err.valid_up_to());
            let checked = super::LineCheck {
                diagnostics: vec![diagnostic],
                hidden_warnings: 0,
                broken: true,
            };
            (text, checked)
        }
    };
    Some(KeptLine {
        offset,
        line,
        text,
        diagnostics: checked.diagnostics,
        hidden_warnings: checked.hidden_warnings,
        broken: checked.broken,
        blank: false,
    })
}

fn too_long(max_line: usize) -> Diagnostic {
    let mut diagnostic = Diagnostic::whole_file(
        "io::too-large",
        format!("this line is longer than the {max_line}-byte limit, so it was not checked"),
    )
    .with_help(
        "in a JSON Lines file --max-file-size BYTES limits each line; raise it if lines \
        are meant to be this long",
    );
    diagnostic.span = Some(Span::new(0, 0));
    diagnostic.start = Some(Position { line: 1, column: 1 });
    diagnostic.end = diagnostic.start;
    diagnostic
}

/// The one diagnostic of a line that may continue the document that line `open` (0-based)
/// left open: what it holds may be a credential under a key only that line shows, so
/// neither its values nor its keys are shown, in messages or snippets.
fn continuation(open: usize) -> Diagnostic {
    let mut diagnostic = Diagnostic::in_text(
        "json::syntax",
        format!(
            "this line may continue the document left open on line {}, so it is not checked \
             on its own",
            open + 1
        ),
        Span::new(0, 0),
    )
    .with_help(
        "a JSON Lines file holds one whole document per line; join the document's lines, or \
         save it as .json",
    );
    diagnostic.start = Some(Position { line: 1, column: 1 });
    diagnostic.end = diagnostic.start;
    diagnostic
}

/// The report being assembled, batch by batch.
#[derive(Default)]
struct Merged {
    source: SourceText,
    secrets: Vec<Span>,
    diagnostics: Vec<Diagnostic>,
    hidden_warnings: usize,
    /// The 0-based line that left a document open, while every line since has continued it.
    open_since: Option<usize>,
    /// The 0-based number of the last line merged (kept or blank).
    last_line: Option<usize>,
}

impl Merged {
    /// Adds checked lines, moving their spans and positions to where they are in the file.
    fn extend(&mut self, kept: Vec<KeptLine>) {
        for mut line in kept {
            let at = line.offset;
            // Lines not merged in between were whole, valid documents: they end a document
            // left open. Blank lines do not.
            let adjacent = line.line.checked_sub(1) == self.last_line;
            self.last_line = Some(line.line);
            let continues = match self.open_since {
                Some(open) if adjacent => Some(open),
                _ => None,
            };
            if line.blank {
                if !adjacent {
                    self.open_since = None;
                }
                continue;
            }
            match continues {
                // The rest of a document left open, perhaps under a key only an earlier line
                // shows: it is never checked on its own, and nothing of it is shown.
                Some(open) => {
                    if !line.diagnostics.iter().all(Diagnostic::is_io) || line.hidden_warnings > 0 {
                        line.diagnostics = vec![continuation(open)];
                        line.hidden_warnings = 0;
                    }
                }
                None => self.open_since = line.broken.then_some(line.line),
            }
            self.hidden_warnings += line.hidden_warnings;
            if line.diagnostics.is_empty() {
                // Only warnings that are not shown: nothing to keep.
                continue;
            }
            // A line too long to check keeps no text: its diagnostic has no snippet.
            if !line.text.is_empty() {
                let start = self.source.push_line(at, line.line, &line.text);
                let secrets = if continues.is_some() {
                    continued_line_secret_spans(&line.text)
                } else {
                    line_secret_spans(&line.text)
                };
                // Secret spans are relative to the kept text, where renderers look.
                self.secrets
                    .extend(secrets.into_iter().map(|span| span.shifted(start)));
            }
            for mut diagnostic in line.diagnostics {
                diagnostic.shift(at, line.line);
                self.diagnostics.push(diagnostic);
            }
        }
    }

    /// Records a line too long to buffer, at its start.
    fn push_too_long(&mut self, offset: usize, line: usize, max_line: usize) {
        self.extend(vec![KeptLine {
            offset,
            line,
            text: String::new(),
            diagnostics: vec![too_long(max_line)],
            hidden_warnings: 0,
            broken: true,
            blank: false,
        }]);
    }

    /// Whether anything has been merged since the last part was taken.
    fn has_findings(&self) -> bool {
        !self.diagnostics.is_empty() || self.hidden_warnings > 0
    }

    /// The report of the lines merged so far, leaving only the state the next lines need.
    fn take_part(&mut self, path: &str) -> FileReport {
        let part = Merged {
            source: std::mem::take(&mut self.source),
            secrets: std::mem::take(&mut self.secrets),
            diagnostics: std::mem::take(&mut self.diagnostics),
            hidden_warnings: std::mem::take(&mut self.hidden_warnings),
            open_since: None,
            last_line: None,
        };
        part.into_report(path, None)
    }

    /// The report of what was merged; a `failure` to read further comes last, after the
    /// lines read before it (it has no place in the file to sort by).
    fn into_report(self, path: &str, failure: Option<Diagnostic>) -> FileReport {
        let mut report = FileReport {
            path: path.to_string(),
            hidden_warnings: self.hidden_warnings,
            ..FileReport::default()
        };
        if !self.diagnostics.is_empty() {
            if !self.source.excerpts().is_empty() {
                report.source = Some(self.source);
                report.secrets = self.secrets;
            }
            report.diagnostics = self.diagnostics;
            report.sort();
        }
        report.diagnostics.extend(failure);
        report
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::Redacted;
    use crate::rules::RuleSet;
    use crate::schema::CompiledSchema;

    const GOOD: &str = concat!(
        r#"{"integration_type": "hubspot", "categories": ["crm"], "#,
        r#""permissions": ["crm_contact_read"]}"#
    );
    const BAD: &str = concat!(
        r#"{"integration_type": "hubspot", "categories": ["crn"], "#,
        r#""permissions": ["crm_contact_read"], "#,
        r#""auth": {"access_token": "at_FAKE0123456789abcdef"}}"#
    );

    fn checker(max: u64) -> Checker {
        let schema = CompiledSchema::builtin().expect("built-in schema");
        Checker::new(schema, RuleSet::default(), max)
    }

    /// (line, column, code) of each diagnostic.
    fn places(report: &FileReport) -> Vec<(usize, usize, String)> {
        report
            .diagnostics
            .iter()
            .map(|d| {
                let at = d.start.unwrap_or_default();
                (at.line, at.column, d.code.to_string())
            })
            .collect()
    }

    #[test]
    fn chunk_boundaries_do_not_change_what_is_found() {
        let mut text = String::new();
        for i in 0..200 {
            text.push_str(if i % 37 == 5 { BAD } else { GOOD });
            text.push_str(if i % 3 == 0 { "\r\n" } else { "\n" });
            if i % 50 == 0 {
                text.push('\n'); // blank lines are skipped, but counted
            }
        }
        text.push_str(BAD); // no newline at the end
        let checker = checker(1 << 20);
        let whole = check_in_chunks(&checker, "t.jsonl", text.as_bytes(), 1 << 20, 1 << 20);
        assert!(!whole.diagnostics.is_empty());
        for chunk in [1, 7, 64, 200, 4096] {
            let report = check_in_chunks(&checker, "t.jsonl", text.as_bytes(), 1 << 20, chunk);
            assert_eq!(places(&report), places(&whole), "chunk {chunk}");
            assert_eq!(report.diagnostics, whole.diagnostics, "chunk {chunk}");
        }
        // Each reported line is the file's line, and its span points into it.
        let lines: Vec<&str> = text.split('\n').collect();
        for d in &whole.diagnostics {
            let (Some(span), Some(start)) = (d.span, d.start) else {
                panic!("{d:?}");
            };
            let line = lines[start.line - 1].trim_end_matches('\r');
            assert_eq!(line, BAD);
            assert_eq!(&text[span.start..span.end], "\"crn\"");
        }
    }

    /// Runs `check_in_chunks` on a thread, failing (instead of hanging the suite) when it
    /// does not finish.
    fn finishes(text: String, max_line: u64, chunk: usize) -> FileReport {
        let (send, receive) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let checker = checker(max_line);
            let report = check_in_chunks(&checker, "t.jsonl", text.as_bytes(), max_line, chunk);
            let _ = send.send(report);
        });
        receive
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("the check must finish")
    }

    #[test]
    fn a_too_long_line_ending_in_a_newline_ends_the_check() {
        // The last line, with its newline: after skipping it nothing is buffered.
        let long = format!("{}\n", "x".repeat(300));
        let report = finishes(format!("{GOOD}\n{long}"), 100, 64);
        assert_eq!(places(&report), vec![(2, 1, "io::too-large".to_string())]);
        // Mid-file, with the newline as the last byte of a read.
        for chunk in [64, 101, 128] {
            let text = format!("{}\n{BAD}\n", "y".repeat(chunk * 3 - 1));
            let report = finishes(text, 100, chunk);
            let codes: Vec<(usize, String)> = places(&report)
                .into_iter()
                .map(|(l, _, c)| (l, c))
                .collect();
            assert_eq!(codes[0], (1, "io::too-large".to_string()), "chunk {chunk}");
            assert!(codes[1..].iter().all(|(line, _)| *line == 2), "{codes:?}");
        }
    }

    #[test]
    fn only_lines_with_diagnostics_are_kept_and_secrets_are_relative_to_them() {
        let text = format!("{GOOD}\n{BAD}\n{GOOD}\n");
        let report = check(&checker(1 << 20), "t.jsonl", text.as_bytes(), 1 << 20);
        let source = report.source.as_ref().expect("kept text");
        assert_eq!(source.text(), format!("{BAD}\n"));
        assert_eq!(source.excerpts()[0].line, 1);
        assert_eq!(source.excerpts()[0].file_offset, GOOD.len() + 1);
        let secrets: Vec<&str> = report
            .secrets
            .iter()
            .map(|s| &source.text()[s.start..s.end])
            .collect();
        assert_eq!(secrets, vec!["at_FAKE0123456789abcdef"]);
        let d = &report.diagnostics[0];
        assert_eq!(source.position(d.span.map_or(0, |s| s.start)), d.start);
    }

    #[test]
    fn a_line_after_one_left_open_is_hidden_whole() {
        // `"credentials":` ends line 2; line 3 is its value, an object of plain-looking keys.
        let text = format!(
            "{GOOD}\n{{\"integration_type\": \"x\", \"credentials\":\n{{\"user\": \"alice\", \
                \"pass\": \"hunter2-FAKE\", \"n\": 42}}\n{GOOD}\n"
        );
        for chunk in [16, 1 << 20] {
            let report = check_in_chunks(
                &checker(1 << 20),
                "t.jsonl",
                text.as_bytes(),
                1 << 20,
                chunk,
            );
            let source = report.source.as_ref().expect("kept text");
            let hidden: Vec<&str> = report
                .secrets
                .iter()
                .map(|s| &source.text()[s.start..s.end])
                .collect();
            for value in ["alice", "hunter2-FAKE", "42", "user", "pass"] {
                assert!(hidden.contains(&value), "{value} not hidden: {hidden:?}");
            }
            // A line after a complete one is read as usual: `x` is no secret.
            assert!(!hidden.contains(&"x"), "{hidden:?}");
        }
    }

    #[test]
    fn nothing_that_may_continue_a_broken_line_is_shown_or_checked() {
        // A pretty-printed Connection saved as .jsonl, with what defeated the line-by-line
        // rule before: a blank line, a byte that is not UTF-8 and a syntax error earlier on
        // the open line. Each must hide the lines that may continue it, messages included.
        let tail = "{\"user\": \"alice\", \"pass\": \"hunter2-FAKE\", \"auth\": \"tok-FAKE\"}";
        let cases = [
            format!("{{\"integration_type\": \"hubspot\",\n\"credentials\":\n{tail}}}\n"),
            format!("{{\"integration_type\": \"hubspot\", \"credentials\":\n\n{tail}\n"),
            // The \u{1} marks where a byte that is not UTF-8 goes.
            format!("{{\"a\": \"\u{1}\", \"credentials\":\n{tail}\n"),
            format!("{{\"a\": x, \"credentials\":\n{tail}\n"),
        ];
        for (i, text) in cases.iter().enumerate() {
            let mut bytes = text.clone().into_bytes();
            if i == 2 {
                // Make the marked byte invalid UTF-8.
                let at = bytes.iter().position(|&b| b == 1).expect("marker");
                bytes[at] = 0xff;
            }
            for chunk in [8, 1 << 20] {
                let report =
                    check_in_chunks(&checker(1 << 20), "t.jsonl", &bytes[..], 1 << 20, chunk);
                let source = report.source.as_ref().expect("kept text");
                let mut shown = Redacted::new(source.text(), &report.secret_spans()).text;
                for d in &report.diagnostics {
                    shown.push_str(&d.message);
                    shown.push_str(d.pointer.as_deref().unwrap_or_default());
                }
                for secret in ["alice", "hunter2-FAKE", "tok-FAKE", "user", "pass"] {
                    assert!(!shown.contains(secret), "case {i} chunk {chunk}: {shown}");
                }
                let last = report.diagnostics.last().expect("diagnostics");
                assert!(
                    last.message.contains("may continue the document"),
                    "case {i}"
                );
            }
        }
        // A whole, valid line ends the document left open: the next is checked as usual.
        let text = format!("{{\"a\":\n{GOOD}\n{BAD}\n");
        let report = check_in_chunks(&checker(1 << 20), "t.jsonl", text.as_bytes(), 1 << 20, 8);
        assert_eq!(
            report.diagnostics.last().map(|d| d.code.as_ref()),
            Some("schema::enum")
        );
    }

    #[test]
    fn a_line_over_the_limit_is_reported_and_skipped_and_the_rest_checked() {
        let long = format!("{{\"x\": \"{}\"}}", "y".repeat(500));
        let text = format!("{GOOD}\n{long}\n{BAD}\n");
        for chunk in [16, 1 << 20] {
            let report = check_in_chunks(&checker(300), "t.jsonl", text.as_bytes(), 300, chunk);
            let found = places(&report);
            assert_eq!(
                found[0],
                (2, 1, "io::too-large".to_string()),
                "chunk {chunk}"
            );
            assert!(
                found[1..].iter().all(|(line, _, _)| *line == 3),
                "{found:?}"
            );
            assert!(found.len() > 1);
        }
    }

    /// Reads `bytes`, then fails as a disk does.
    struct FailsAfter<'a>(&'a [u8]);

    impl Read for FailsAfter<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.0.is_empty() {
                return Err(std::io::Error::from_raw_os_error(5));
            }
            let n = buf.len().min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[derive(Default)]
    struct Parts(Vec<(FileReport, bool)>);

    impl ReportSink for Parts {
        fn part(&mut self, part: FileReport, last: bool) {
            self.0.push((part, last));
        }
    }

    #[test]
    fn a_failure_to_read_comes_after_the_lines_read_before_it() {
        let text = format!("{GOOD}\n{BAD}\n").repeat(400);
        let checker = checker(1 << 20);
        let whole = check_in_chunks(
            &checker,
            "t.jsonl",
            FailsAfter(text.as_bytes()),
            1 << 20,
            512,
        );
        let codes: Vec<&str> = whole.diagnostics.iter().map(|d| d.code.as_ref()).collect();
        assert_eq!(codes.last(), Some(&"io::error"), "{codes:?}");
        assert_eq!(codes.iter().filter(|c| **c == "io::error").count(), 1);
        // All but the last read (at most a chunk) is checked: 400 lines with an error each.
        assert!(
            codes.len() > 390,
            "the lines read before the failure are reported: {}",
            codes.len()
        );
        let mut parts = Parts::default();
        stream_in_chunks(
            &checker,
            "t.jsonl",
            FailsAfter(text.as_bytes()),
            1 << 20,
            512,
            &mut parts,
        );
        assert!(parts.0.len() > 2, "read in several parts");
        assert_eq!(parts.0.iter().filter(|(_, last)| *last).count(), 1);
        let streamed: Vec<Diagnostic> = parts
            .0
            .into_iter()
            .flat_map(|(p, _)| p.diagnostics)
            .collect();
        assert_eq!(streamed, whole.diagnostics);
    }

    #[test]
    fn a_line_that_is_not_utf8_is_reported_on_its_line() {
        let mut bytes = format!("{GOOD}\n").into_bytes();
        bytes.extend_from_slice(b"{\"integration_type\": \"h\xFFt\"}\n");
        let report = check(&checker(1 << 20), "t.jsonl", &bytes[..], 1 << 20);
        assert_eq!(places(&report), vec![(2, 24, "json::encoding".to_string())]);
    }
}
