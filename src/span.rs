//! Places in a text: byte [`Span`]s, 1-based line/column [`Position`]s, and the
//! [`LineIndex`] that turns one into the other. The leaf vocabulary every other module
//! shares; it knows nothing of JSON.

use serde::Serialize;

/// A byte range in a file's text, `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (bytes).
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// Moves the span `by` bytes to the right (a JSONL line's offset in its file).
    pub fn shifted(self, by: usize) -> Self {
        Self {
            start: self.start + by,
            end: self.end + by,
        }
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True for an empty span.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// A 1-based line and column; columns count characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// Byte offset → line and column, for one text.
///
/// A position costs a binary search plus a scan of at most [`LineIndex::BLOCK`] bytes, never
/// a walk from the start of the line: a minified file is one line, and an object with
/// 200,000 unknown keys on it would otherwise make locating its diagnostics quadratic.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// `continuations[i]`: UTF-8 continuation bytes in `text[..i * BLOCK]`. Characters in a
    /// range are its bytes minus its continuation bytes, so a column is a subtraction.
    continuations: Vec<usize>,
}

impl LineIndex {
    /// Bytes between two checkpoints of the character count.
    pub const BLOCK: usize = 1024;

    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        // Room for the lines of a typical payload up front, rather than growing several times.
        let mut starts = Vec::with_capacity((bytes.len() / 16).clamp(1, 4096));
        starts.push(0);
        let mut continuations = Vec::with_capacity(bytes.len() / Self::BLOCK + 1);
        let mut seen = 0;
        for (block, chunk) in bytes.chunks(Self::BLOCK).enumerate() {
            continuations.push(seen);
            let base = block * Self::BLOCK;
            // Two simple passes rather than one that does both: each is a tight (vectorised)
            // loop, and this runs over the whole text of every failing file.
            starts.extend(memchr::memchr_iter(b'\n', chunk).map(|i| base + i + 1));
            // Most payloads are ASCII, which `is_ascii` tells a word at a time.
            if !chunk.is_ascii() {
                seen += chunk.iter().filter(|&&b| is_continuation(b)).count();
            }
        }
        continuations.push(seen);
        Self {
            starts,
            continuations,
        }
    }

    /// The 1-based line of byte `offset` (a position's line, without counting its column).
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset).max(1)
    }

    /// The 1-based line and character column of byte `offset` in `text` (the text indexed).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&start| start <= offset).max(1);
        let start = self.starts[line - 1].min(offset);
        let mut chars = (offset - start)
            - (self.continuations_before(text, offset) - self.continuations_before(text, start));
        // A leading byte-order mark is invisible in editors: columns on line 1 do not count it.
        if line == 1 && offset >= 3 && text.starts_with('\u{feff}') {
            chars -= 1;
        }
        Position {
            line,
            column: chars + 1,
        }
    }

    /// Continuation bytes in `text[..offset]`.
    fn continuations_before(&self, text: &str, offset: usize) -> usize {
        // An ASCII text (most payloads) has none: no need to count from the checkpoint.
        if self.continuations.last() == Some(&0) {
            return 0;
        }
        let block = offset / Self::BLOCK;
        let base = self.continuations.get(block).copied().unwrap_or(0);
        let from = (block * Self::BLOCK).min(offset);
        base + text.as_bytes()[from..offset]
            .iter()
            .filter(|&&b| is_continuation(b))
            .count()
    }
}

/// A byte that continues a UTF-8 character rather than starting one.
fn is_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let text = "\u{feff}{\"a\": 1}\n{}";
        let lines = LineIndex::new(text);
        assert_eq!(lines.position(text, 3), Position { line: 1, column: 1 });
        assert_eq!(lines.position(text, 9), Position { line: 1, column: 7 });
        assert_eq!(lines.position(text, 12), Position { line: 2, column: 1 });
    }

    #[test]
    fn columns_count_characters_across_index_blocks() {
        // Multi-byte characters straddling the 1,024-byte checkpoints of the index.
        let line = "é😀x".repeat(700);
        let text = format!("{{}}\n{line}\n");
        let lines = LineIndex::new(&text);
        for (chars, (offset, _)) in line.char_indices().enumerate().step_by(97) {
            assert_eq!(
                lines.position(&text, 3 + offset),
                Position {
                    line: 2,
                    column: chars + 1
                }
            );
        }
        let end = lines.position(&text, 3 + line.len());
        assert_eq!(end.column, line.chars().count() + 1);
        assert_eq!(lines.position(&text, text.len()).line, 3);
    }
}
