//! The text a [`FileReport`](crate::diagnostic::FileReport) keeps for source snippets: the
//! whole file, or — for a streamed JSON Lines file — only the lines that have diagnostics.
//!
//! Diagnostics always carry *file* byte offsets and true line numbers; this type maps a file
//! offset onto the kept text and back to a line and column, so renderers never need the whole
//! file. It does not redact and it never prints; it finds the secrets of a whole file's text
//! when asked (see [`SourceText::found_secrets`]), and a report's `secrets` spans are relative
//! to [`SourceText::text`].

use std::sync::OnceLock;

use crate::span::{LineIndex, Position, Span};

/// One contiguous run of file text kept in a [`SourceText`]; it always starts at the start
/// of a file line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Excerpt {
    /// Where it starts in [`SourceText::text`].
    pub start: usize,
    /// Its length in bytes (without the separator the kept text adds after it).
    pub len: usize,
    /// Where it starts in the file, in bytes.
    pub file_offset: usize,
    /// The 0-based file line it starts on.
    pub line: usize,
}

impl Excerpt {
    /// Whether file byte `offset` falls in this excerpt (its end included, for empty spans
    /// at the end of a line).
    fn contains_file_offset(&self, offset: usize) -> bool {
        offset >= self.file_offset && offset - self.file_offset <= self.len
    }
}

/// File text kept for snippets, as one string plus where each piece came from.
#[derive(Debug, Clone, Default)]
pub struct SourceText {
    text: String,
    excerpts: Vec<Excerpt>,
    /// Whether `text` is the whole file (one excerpt at offset 0).
    whole: bool,
    /// Line starts of `text`, built on the first position lookup.
    lines: OnceLock<LineIndex>,
    /// Secret spans of a whole file's `text`, found on first use.
    secrets: OnceLock<Vec<Span>>,
}

impl SourceText {
    /// The whole text of a file.
    pub fn whole(text: String) -> Self {
        let excerpts = vec![Excerpt {
            start: 0,
            len: text.len(),
            file_offset: 0,
            line: 0,
        }];
        Self {
            text,
            excerpts,
            whole: true,
            lines: OnceLock::new(),
            secrets: OnceLock::new(),
        }
    }

    /// Nothing kept yet; add lines with [`push_line`](Self::push_line).
    pub fn sparse() -> Self {
        Self::default()
    }

    /// Keeps `line`, which starts at byte `file_offset` on 0-based file line `line_number`
    /// and holds no newline. Lines must be pushed in file order. Returns where it starts in
    /// [`text`](Self::text), to shift spans found in `line` (such as secrets) onto it.
    pub fn push_line(&mut self, file_offset: usize, line_number: usize, line: &str) -> usize {
        let start = self.text.len();
        self.text.push_str(line);
        // A newline after each excerpt keeps every excerpt at the start of a line of the
        // kept text, so columns and context lines stay right.
        self.text.push('\n');
        self.excerpts.push(Excerpt {
            start,
            len: line.len(),
            file_offset,
            line: line_number,
        });
        self.lines = OnceLock::new();
        start
    }

    /// The kept text: the whole file, or the kept lines each followed by a newline.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The secret values in a whole file's text, found by [`secret_spans`] on the first call:
    /// only a renderer that prints source text asks, so the formats that never print it do
    /// not pay for the scan. Empty for kept lines, whose secrets the report lists instead
    /// (each line is scanned alone, see [`line_secret_spans`]).
    ///
    /// [`secret_spans`]: crate::redact::secret_spans
    /// [`line_secret_spans`]: crate::redact::line_secret_spans
    pub fn found_secrets(&self) -> &[Span] {
        if !self.whole {
            return &[];
        }
        self.secrets
            .get_or_init(|| crate::redact::secret_spans(&self.text))
    }

    /// The whole file's text, when that is what is kept.
    pub fn whole_text(&self) -> Option<&str> {
        self.whole.then_some(self.text.as_str())
    }

    /// The kept excerpts, in file order.
    pub fn excerpts(&self) -> &[Excerpt] {
        &self.excerpts
    }

    /// The excerpt holding file byte `offset`, if that part of the file is kept.
    pub fn excerpt_at(&self, offset: usize) -> Option<&Excerpt> {
        let after = self.excerpts.partition_point(|e| e.file_offset <= offset);
        let excerpt = self.excerpts.get(after.checked_sub(1)?)?;
        excerpt.contains_file_offset(offset).then_some(excerpt)
    }

    /// File `span` as a span of [`text`](Self::text), when all of it is kept.
    pub fn to_text_span(&self, span: Span) -> Option<Span> {
        let excerpt = self.excerpt_at(span.start)?;
        if !excerpt.contains_file_offset(span.end) || span.end < span.start {
            return None;
        }
        let shift = |offset: usize| excerpt.start + (offset - excerpt.file_offset);
        Some(Span::new(shift(span.start), shift(span.end)))
    }

    /// The true file line and column of file byte `offset`, when that part is kept.
    pub fn position(&self, offset: usize) -> Option<Position> {
        let excerpt = self.excerpt_at(offset)?;
        let local = excerpt.start + (offset - excerpt.file_offset);
        let lines = self.lines.get_or_init(|| LineIndex::new(&self.text));
        let at = lines.position(&self.text, local);
        let first = lines.position(&self.text, excerpt.start).line;
        Some(Position {
            line: excerpt.line + 1 + (at.line - first),
            column: at.column,
        })
    }
}

impl From<String> for SourceText {
    fn from(text: String) -> Self {
        Self::whole(text)
    }
}

impl From<&str> for SourceText {
    fn from(text: &str) -> Self {
        Self::whole(text.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_text_maps_offsets_to_themselves() {
        let source = SourceText::whole("{\n  \"a\": 1\n}\n".to_string());
        assert_eq!(source.whole_text(), Some(source.text()));
        assert_eq!(source.to_text_span(Span::new(4, 7)), Some(Span::new(4, 7)));
        assert_eq!(source.position(9), Some(Position { line: 2, column: 8 }));
    }

    #[test]
    fn sparse_lines_keep_their_file_lines_and_offsets() {
        // The file: `{"a":1}` (bytes 0..7), `{"b":"é"}` (8..18, kept), `{}` (19..21) and
        // `[1]` (22..25, kept), one per line.
        let mut source = SourceText::sparse();
        assert_eq!(source.push_line(8, 1, "{\"b\":\"é\"}"), 0);
        let second = source.push_line(22, 3, "[1]");
        assert_eq!(&source.text()[second..second + 3], "[1]");
        assert_eq!(source.whole_text(), None);
        // `"é"` is bytes 5..9 of its line.
        assert_eq!(
            source.to_text_span(Span::new(13, 17)),
            Some(Span::new(5, 9))
        );
        assert_eq!(source.position(17), Some(Position { line: 2, column: 9 }));
        assert_eq!(source.position(23), Some(Position { line: 4, column: 2 }));
        // Line 2 was not kept.
        assert_eq!(source.position(20), None);
        assert_eq!(source.to_text_span(Span::new(0, 2)), None);
    }
}
