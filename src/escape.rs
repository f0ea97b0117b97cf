//! The one escaper for text shown to a terminal: file names, messages, pointers, snippets
//! and `--diff` lines. Every renderer for people and `--diff` go through it, so a payload or
//! a file name cannot send an escape sequence (colours, OSC 8 links, window titles, cursor
//! moves), start a line that a reader or a problem matcher would misread (a newline in a
//! name forging a `+++` header), or reorder what the terminal shows (bidirectional
//! overrides, "Trojan Source").

use std::borrow::Cow;

/// Whether `c` must never reach a terminal raw: a control character (C0, DEL, C1) or a
/// bidirectional formatting character (embeddings, overrides, isolates and the marks).
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi(c)
}

/// The bidirectional formatting characters: U+202A–U+202E (embeddings and overrides),
/// U+2066–U+2069 (isolates), and the marks U+200E, U+200F and U+061C.
pub fn is_bidi(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
    )
}

/// `text` on one line: newline, carriage return and tab as `\n`, `\r`, `\t`, every other
/// unsafe character as `\u{…}`. For names, messages and pointers.
pub fn one_line(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// Text that may span lines (a whole-run error's message): newlines and tabs stay, every
/// other unsafe character is escaped as in [`one_line`].
pub fn lines(text: &str) -> Cow<'_, str> {
    let keep = |c: char| !is_unsafe(c) || c == '\n' || c == '\t';
    if text.chars().all(keep) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if keep(c) => escaped.push(c),
            '\r' => escaped.push_str("\\r"),
            c => escaped.extend(c.escape_unicode()),
        }
    }
    Cow::Owned(escaped)
}

/// One line of file content (without its line break) as `--diff` shows it: tabs stay (they
/// are indentation, and harmless), every other unsafe character is escaped as in
/// [`one_line`].
pub fn content_line(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

fn escape(text: &str, keep_tab: bool) -> Cow<'_, str> {
    // Printable ASCII, most text by far, is safe: a byte test the compiler vectorises.
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Cow::Borrowed(text);
    }
    let keep = |c: char| !is_unsafe(c) || (keep_tab && c == '\t');
    if text.chars().all(keep) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if keep(c) => escaped.push(c),
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\t' => escaped.push_str("\\t"),
            c => escaped.extend(c.escape_unicode()),
        }
    }
    Cow::Owned(escaped)
}

/// `text` with every unsafe character but newline and tab (and a carriage return before a
/// newline) replaced by a visible character of the same UTF-8 length, so that byte offsets
/// into it stay valid: for source snippets, whose labels are byte spans.
pub fn same_length(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let keep = match c {
            '\n' | '\t' => true,
            '\r' => bytes.get(i + 1) == Some(&b'\n'),
            c => !is_unsafe(c),
        };
        if keep {
            out.push(c);
        } else {
            out.push(match c.len_utf8() {
                1 => '?',
                2 => '\u{bf}',   // ¿
                _ => '\u{fffd}', // �, three bytes like every bidirectional control
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_escapes_control_and_bidi_characters_only() {
        assert_eq!(one_line("a: b, 100% é"), "a: b, 100% é");
        assert!(matches!(one_line("plain"), Cow::Borrowed(_)));
        assert_eq!(one_line("a\nb\r\tc\u{1b}[31m"), "a\\nb\\r\\tc\\u{1b}[31m");
        assert_eq!(one_line("x\u{202e}y\u{2066}z"), "x\\u{202e}y\\u{2066}z");
        assert_eq!(one_line("\u{9b}31m\u{7f}"), "\\u{9b}31m\\u{7f}");
    }

    #[test]
    fn lines_keep_newlines_and_escape_the_rest() {
        assert_eq!(lines("a\n\tb"), "a\n\tb");
        assert_eq!(
            lines("a\r\n\u{1b}]0;x\u{7}\u{202e}"),
            "a\\r\n\\u{1b}]0;x\\u{7}\\u{202e}"
        );
    }

    #[test]
    fn content_lines_keep_tabs_and_escape_the_rest() {
        assert_eq!(content_line("\t\"a\": 1"), "\t\"a\": 1");
        assert_eq!(
            content_line("\t\"\u{1b}]8;;x\u{7}\u{202e}\""),
            "\t\"\\u{1b}]8;;x\\u{7}\\u{202e}\""
        );
        assert_eq!(content_line("a\rb"), "a\\rb");
    }

    #[test]
    fn same_length_keeps_every_byte_offset() {
        let text = "a\u{1b}b\u{85}c\u{202e}d\r\ne\rf\tg\n";
        let out = same_length(text);
        assert_eq!(out.len(), text.len());
        assert_eq!(out, "a?b\u{bf}c\u{fffd}d\r\ne?f\tg\n");
    }

    proptest::proptest! {
        /// Whatever the text, what the escapers return holds nothing a terminal acts on,
        /// `one_line` no line break, and `same_length` every byte offset.
        #[test]
        fn nothing_unsafe_survives(
            // Weighted towards what matters: C0, DEL, C1, bidi controls, among plain text.
            text in concat!(
                "[\\x00-\\x7f\\u{80}-\\u{9f}\\u{200e}",
                "\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}é€😀]{0,64}"
            )
        ) {
            let one = one_line(&text);
            proptest::prop_assert!(!one.chars().any(is_unsafe), "{:?}", one);
            let line = content_line(&text);
            proptest::prop_assert!(!line.chars().any(|c| is_unsafe(c) && c != '\t'));
            let kept = lines(&text);
            proptest::prop_assert!(!kept.chars().any(|c| is_unsafe(c) && c != '\n' && c != '\t'));
            let same = same_length(&text);
            proptest::prop_assert_eq!(same.len(), text.len());
            proptest::prop_assert!(same
                .char_indices()
                .all(|(i, c)| !is_unsafe(c) || c == '\n' || c == '\t'
                    || (c == '\r' && same.as_bytes().get(i + 1) == Some(&b'\n'))));
        }
    }

    #[test]
    fn every_bidi_control_is_unsafe() {
        for c in ('\u{202a}'..='\u{202e}').chain('\u{2066}'..='\u{2069}') {
            assert!(is_unsafe(c), "{c:?}");
            assert_ne!(one_line(&c.to_string()), c.to_string());
        }
        assert!(!is_unsafe('é') && !is_unsafe(' '));
    }
}
