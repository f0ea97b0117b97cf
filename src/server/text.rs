//! An open document's text and the LSP position arithmetic on it: byte offsets ↔ line and
//! character in the negotiated encoding (UTF-8, UTF-16 or UTF-32 code units), and
//! incremental edits.
//!
//! LSP lines end at `\n`, `\r\n` or `\r`; a character past the end of a line means the end
//! of that line, and a line past the end of the text means the end of the text. Positions
//! that fall inside a character (half of a surrogate pair, the middle of a UTF-8 sequence)
//! are rounded down to the character's start, so an offset is always a char boundary and
//! no edit can split a character. This module knows nothing of JSON or of the protocol loop.

use std::sync::Arc;

use lsp_types::{Position, Range};

/// The unit in which a position's `character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units: the LSP default.
    Utf16,
    /// Unicode scalar values.
    Utf32,
}

impl Encoding {
    /// The `positionEncoding` value of the initialize result.
    pub(super) fn kind(self) -> lsp_types::PositionEncodingKind {
        match self {
            Encoding::Utf8 => lsp_types::PositionEncodingKind::UTF8,
            Encoding::Utf16 => lsp_types::PositionEncodingKind::UTF16,
            Encoding::Utf32 => lsp_types::PositionEncodingKind::UTF32,
        }
    }

    /// The encoding for a client that offers `offered` (in its order of preference); UTF-16
    /// when it offers none, as the specification says.
    pub(super) fn negotiate(offered: Option<&[lsp_types::PositionEncodingKind]>) -> Self {
        offered
            .unwrap_or_default()
            .iter()
            .find_map(|kind| match kind.as_str() {
                "utf-8" => Some(Encoding::Utf8),
                "utf-16" => Some(Encoding::Utf16),
                "utf-32" => Some(Encoding::Utf32),
                _ => None,
            })
            .unwrap_or(Encoding::Utf16)
    }

    fn units(self, c: char) -> u32 {
        match self {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf32 => 1,
        }
    }

    /// Code units in `text`.
    fn count(self, text: &str) -> u32 {
        let n = match self {
            Encoding::Utf8 => text.len(),
            Encoding::Utf16 => text.chars().map(char::len_utf16).sum(),
            Encoding::Utf32 => text.chars().count(),
        };
        u32::try_from(n).unwrap_or(u32::MAX)
    }
}

/// A document's text with the start of each of its lines. The text is shared (`Arc`) so
/// that an analysis running on another thread can read a snapshot while edits go on.
#[derive(Debug, Clone, Default)]
pub(super) struct Text {
    text: Arc<String>,
    /// Byte offset of the start of each line; the first is 0.
    starts: Vec<usize>,
}

impl Text {
    /// Indexes `text`.
    pub(super) fn new(text: String) -> Self {
        let mut this = Self {
            text: Arc::new(text),
            starts: Vec::new(),
        };
        this.reindex();
        this
    }

    /// The text.
    pub(super) fn as_str(&self) -> &str {
        &self.text
    }

    fn reindex(&mut self) {
        let bytes = self.text.as_bytes();
        self.starts.clear();
        self.starts.push(0);
        for at in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            // `\r\n` is one line end: the line starts after the `\n`.
            if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                continue;
            }
            self.starts.push(at + 1);
        }
    }

    /// The byte range of line `line`'s content, without its line end.
    fn line_content(&self, line: usize) -> (usize, usize) {
        let start = self.starts[line];
        let mut end = self
            .starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        let bytes = self.text.as_bytes();
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        (start, end)
    }

    /// The byte offset of `position`, clamped to the text (see the module docs).
    pub(super) fn offset(&self, position: Position, encoding: Encoding) -> usize {
        let line = position.line as usize;
        if line >= self.starts.len() {
            return self.text.len();
        }
        let (start, end) = self.line_content(line);
        let mut units = 0u32;
        for (i, c) in self.text[start..end].char_indices() {
            let next = units.saturating_add(encoding.units(c));
            if next > position.character {
                return start + i;
            }
            units = next;
        }
        end
    }

    /// The position of byte `offset` (clamped to the text, and down to a char boundary).
    pub(super) fn position(&self, offset: usize, encoding: Encoding) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).max(1) - 1;
        let start = self.starts[line];
        Position {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            character: encoding.count(&self.text[start..offset]),
        }
    }

    /// The range of the bytes `start..end`.
    pub(super) fn range(&self, start: usize, end: usize, encoding: Encoding) -> Range {
        Range {
            start: self.position(start, encoding),
            end: self.position(end.max(start), encoding),
        }
    }

    /// Applies one `didChange` content change: `range` replaced by `new_text`, or the whole
    /// text when there is no range. A range whose end is before its start is taken as the
    /// empty range at its start.
    pub(super) fn apply(&mut self, range: Option<Range>, new_text: &str, encoding: Encoding) {
        match range {
            None => {
                *Arc::make_mut(&mut self.text) = new_text.to_string();
            }
            Some(range) => {
                let start = self.offset(range.start, encoding);
                let end = self.offset(range.end, encoding).max(start);
                Arc::make_mut(&mut self.text).replace_range(start..end, new_text);
                self.reindex_edit(start, end, start + new_text.len());
                return;
            }
        }
        self.reindex();
    }

    /// Updates the line starts after `start..end` (old offsets) became `start..new_end`:
    /// the starts before the edit stay, those after it move, and only the edited stretch
    /// is scanned. Reindexing the whole text instead made one `didChange` with thousands of
    /// changes (one per cursor) quadratic.
    fn reindex_edit(&mut self, start: usize, end: usize, new_end: usize) {
        let bytes = self.text.as_bytes();
        // A line start is decided by the byte before it (and, after `\r`, the byte at it):
        // starts up to `start` and after `end` see the same bytes as before the edit.
        let keep = self.starts.partition_point(|&s| s < start);
        let tail_from = self.starts.partition_point(|&s| s <= end);
        for s in &mut self.starts[tail_from..] {
            *s = *s - end + new_end;
        }
        let mut middle = Vec::new();
        if keep == 0 {
            middle.push(0);
        }
        for at in start.max(1)..=new_end.min(bytes.len()) {
            let before = bytes[at - 1];
            if before == b'\n' || (before == b'\r' && bytes.get(at) != Some(&b'\n')) {
                middle.push(at);
            }
        }
        self.starts.splice(keep..tail_from, middle);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The position of `offset` the slow, obvious way: walk every character from the start.
    fn naive_position(text: &str, offset: usize, encoding: Encoding) -> Position {
        let (mut line, mut character) = (0u32, 0u32);
        let mut chars = text[..offset].chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' if chars.peek() == Some(&'\n') => {}
                '\n' | '\r' => {
                    line += 1;
                    character = 0;
                }
                c => character += encoding.units(c),
            }
        }
        Position { line, character }
    }

    const ENCODINGS: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32];

    #[test]
    fn an_emoji_and_cjk_before_a_key_count_per_encoding() {
        let text = Text::new("{\"name\": \"😀漢字\", \"integrationType\": 1}".to_string());
        let key = text.as_str().find("\"integrationType\"").expect("key");
        let characters: Vec<u32> = ENCODINGS
            .iter()
            .map(|&e| text.position(key, e).character)
            .collect();
        // 😀 is 4 bytes / 2 UTF-16 units / 1 scalar; each CJK character 3 / 1 / 1.
        assert_eq!(characters, vec![key as u32, 17, 16]);
        for &e in &ENCODINGS {
            assert_eq!(text.offset(text.position(key, e), e), key);
        }
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        let text = Text::new("a\r\nb\rc\nd".to_string());
        let lines: Vec<u32> = [0, 3, 5, 7]
            .iter()
            .map(|&o| text.position(o, Encoding::Utf16).line)
            .collect();
        assert_eq!(lines, vec![0, 1, 2, 3]);
        // Past the end of a line: the end of its content, before `\r\n`.
        let end_of_first = text.offset(
            Position {
                line: 0,
                character: 99,
            },
            Encoding::Utf16,
        );
        assert_eq!(end_of_first, 1);
        let past_the_end = text.offset(
            Position {
                line: 9,
                character: 0,
            },
            Encoding::Utf16,
        );
        assert_eq!(past_the_end, text.as_str().len());
    }

    #[test]
    fn half_a_surrogate_pair_rounds_down() {
        let text = Text::new("x😀y".to_string());
        let middle = Position {
            line: 0,
            character: 2,
        };
        assert_eq!(text.offset(middle, Encoding::Utf16), 1);
        assert_eq!(text.offset(middle, Encoding::Utf8), 1);
    }

    /// Edits that make or break a `\r\n` pair at their edges keep the line index right.
    #[test]
    fn edits_that_join_or_split_crlf_keep_the_index() {
        let at = |line, character| Position { line, character };
        for (text, range, insert) in [
            ("a\rb\nc", (at(1, 0), at(1, 1)), ""),
            ("a\r\nc", (at(0, 1), at(0, 1)), "x"),
            ("a\rc", (at(1, 0), at(1, 0)), "\n"),
            ("ab\nc", (at(0, 2), at(0, 2)), "\r"),
            ("a\r", (at(1, 0), at(1, 0)), "\n\r\n"),
            ("", (at(0, 0), at(0, 0)), "\r\r\n\n"),
        ] {
            let mut edited = Text::new(text.to_string());
            edited.apply(
                Some(Range {
                    start: range.0,
                    end: range.1,
                }),
                insert,
                Encoding::Utf8,
            );
            let fresh = Text::new(edited.as_str().to_string());
            assert_eq!(edited.starts, fresh.starts, "{text:?} + {insert:?}");
        }
    }

    fn arb_text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("a"),
                Just("{\"k\": "),
                Just("\n"),
                Just("\r\n"),
                Just("\r"),
                Just("😀"),
                Just("漢"),
                Just("é"),
                Just(" "),
            ],
            0..40,
        )
        .prop_map(|parts| parts.concat())
    }

    /// A char boundary of `text` chosen by `seed`.
    fn boundary(text: &str, seed: usize) -> usize {
        let boundaries: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        boundaries[seed % boundaries.len()]
    }

    proptest! {
        #[test]
        fn positions_match_the_obvious_walk(text in arb_text(), seed in 0usize..1000) {
            let index = Text::new(text.clone());
            let offset = boundary(&text, seed);
            // An offset between `\r` and `\n` has no position of its own.
            let inside_crlf = offset > 0
                && text.as_bytes()[offset - 1] == b'\r'
                && text.as_bytes().get(offset) == Some(&b'\n');
            if !inside_crlf {
                for &e in &ENCODINGS {
                    let position = index.position(offset, e);
                    prop_assert_eq!(position, naive_position(&text, offset, e));
                    prop_assert_eq!(index.offset(position, e), offset);
                }
            }
        }

        /// The client's text, edited directly, always equals the server's copy edited
        /// through LSP ranges, in every encoding.
        #[test]
        fn incremental_edits_keep_the_server_copy_equal(
            start in arb_text(),
            edits in proptest::collection::vec(
                (0usize..1000, 0usize..1000, arb_text(), 0usize..3),
                0..12,
            ),
        ) {
            for &e in &ENCODINGS {
                let mut client = start.clone();
                let mut server = Text::new(start.clone());
                for (a, b, insert, full) in &edits {
                    if *full == 0 && edits.len() > 6 {
                        client = insert.clone();
                        server.apply(None, insert, e);
                        continue;
                    }
                    let (mut from, mut to) = (boundary(&client, *a), boundary(&client, *b));
                    if from > to {
                        std::mem::swap(&mut from, &mut to);
                    }
                    // A client never splits `\r\n`; move off its middle.
                    let bytes = client.as_bytes();
                    let inside_crlf = |o: usize| {
                        o > 0 && bytes[o - 1] == b'\r' && bytes.get(o) == Some(&b'\n')
                    };
                    if inside_crlf(from) { from -= 1; }
                    if inside_crlf(to) { to += 1; }
                    let range = Range {
                        start: naive_position(&client, from, e),
                        end: naive_position(&client, to, e),
                    };
                    client.replace_range(from..to, insert);
                    server.apply(Some(range), insert, e);
                    prop_assert_eq!(server.as_str(), client.as_str());
                    // The line index kept up to date edit by edit is the one a fresh
                    // index of the text would be.
                    prop_assert_eq!(&server.starts, &Text::new(client.clone()).starts);
                }
            }
        }
    }
}
