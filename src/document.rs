//! Text → JSON value, and JSON pointer → place in the text.
//!
//! Parsing happens once, with serde_json, into a borrowed [`crate::tree::Value`]; duplicate
//! keys are noticed during that same parse (serde_json would silently keep the last). Only when
//! a file has something to report is the text parsed again with `jsonc-parser`, which keeps
//! byte ranges, to build a [`SpanIndex`]: the happy path never pays for locations. This module
//! holds what both parses share: syntax errors, JSON pointers, spans, line numbers.

use std::collections::HashMap;

use crate::diagnostic::{Position, Span, Target};

/// Why a text is not JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    /// `json::syntax`, or `json::depth` for nesting beyond the parser's limit.
    pub code: &'static str,
    /// The parser's message without its position.
    pub message: String,
    /// Byte offset of the error in the parsed text.
    pub offset: usize,
}

/// Deepest nesting of arrays and objects that is parsed; deeper documents get `json::depth`.
/// It is serde_json's recursion limit (128 containers entered, so 127 levels deep), which it
/// enforces without recursing further: no input can overflow the stack.
pub const MAX_DEPTH: usize = 127;

/// A [`SyntaxError`] from serde_json's error on `text`, with a byte offset and a plainer
/// message where serde_json's is cryptic.
pub(crate) fn syntax_error(text: &str, err: &serde_json::Error) -> SyntaxError {
    let full = err.to_string();
    // serde_json appends " at line L column C"; the position is reported separately.
    let message = match full.rfind(" at line ") {
        Some(cut) => full[..cut].to_string(),
        None => full,
    };
    let code = if message.starts_with("recursion limit exceeded") {
        "json::depth"
    } else {
        "json::syntax"
    };
    let mut offset = serde_offset(text, err.line(), err.column());
    let message = if code == "json::depth" {
        format!("nesting deeper than {MAX_DEPTH} levels")
    } else if text.trim().is_empty() {
        if text.is_empty() {
            "the file is empty".to_string()
        } else {
            "the file holds only whitespace".to_string()
        }
    } else if message.starts_with("number out of range") {
        // serde_json stops on the number's last digit; point at its first instead.
        offset = number_start(text, offset);
        "number out of range: JSON numbers must fit a 64-bit float (at most about 1.8e308)"
            .to_string()
    } else {
        clearer_message(&text[offset..]).map_or(message, str::to_string)
    };
    SyntaxError {
        code,
        message,
        offset,
    }
}

/// A plainer message than serde_json's "expected value" for the usual non-JSON inputs.
fn clearer_message(rest: &str) -> Option<&'static str> {
    if rest.starts_with("//") || rest.starts_with("/*") {
        Some("comments are not allowed in JSON")
    } else if ["NaN", "Infinity", "-Infinity", "+Infinity", "-NaN"]
        .iter()
        .any(|word| rest.starts_with(word))
    {
        Some("`NaN` and `Infinity` are not JSON numbers")
    } else if rest.starts_with('\0') {
        Some("a NUL byte is not allowed in JSON")
    } else {
        None
    }
}

/// The first byte of the number that ends at `offset`.
fn number_start(text: &str, offset: usize) -> usize {
    let bytes = text.as_bytes();
    let mut start = offset.min(bytes.len());
    while start > 0
        && matches!(
            bytes[start - 1],
            b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-'
        )
    {
        start -= 1;
    }
    start
}

/// serde_json reports a 1-based line and a 1-based byte column (0 before the first byte).
fn serde_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(at, _)| at + 1)
    };
    let mut offset = (line_start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub fn escape_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

/// Splits a JSON pointer into unescaped reference tokens.
pub fn pointer_tokens(pointer: &str) -> impl Iterator<Item = String> + '_ {
    pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
}

/// Where one JSON value sits in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeSpans {
    /// The value, from its first to its last byte.
    pub value: Span,
    /// The key naming it (with quotes), for object members.
    pub key: Option<Span>,
}

/// The same key twice in one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// Pointer of the object.
    pub object: String,
    /// The key, unescaped.
    pub key: String,
    /// The earlier occurrence's key span.
    pub first: Span,
    /// This occurrence's key span.
    pub second: Span,
    /// This occurrence's whole member (`"key": value`) span.
    pub member: Span,
}

/// JSON pointer → spans, for one document's text; built only when something is reported.
#[derive(Debug, Default)]
pub struct SpanIndex {
    nodes: HashMap<String, NodeSpans>,
    /// Every repeated key, in text order.
    pub duplicates: Vec<DuplicateKey>,
}

impl SpanIndex {
    /// Indexes `text`, which must already have parsed with [`parse`]. `None` if it does not
    /// parse here either (it always does: jsonc-parser accepts a superset of JSON).
    pub fn build(text: &str) -> Option<Self> {
        use jsonc_parser::ast::{ObjectPropName, Value as Ast};
        let parsed =
            jsonc_parser::parse_to_ast(text, &Default::default(), &Default::default()).ok()?;
        let root = parsed.value?;
        let mut index = SpanIndex::default();
        // An explicit stack, not recursion: the depth is bounded by the first parse anyway,
        // but no walk in connlint recurses on input.
        let mut stack: Vec<(String, &Ast<'_>, Option<Span>)> = vec![(String::new(), &root, None)];
        while let Some((pointer, node, key)) = stack.pop() {
            let range = node_range(node);
            index
                .nodes
                .insert(pointer.clone(), NodeSpans { value: range, key });
            match node {
                Ast::Object(object) => {
                    let mut seen: HashMap<&str, Span> = HashMap::new();
                    let mut children = Vec::with_capacity(object.properties.len());
                    for prop in &object.properties {
                        let (name, name_range) = match &prop.name {
                            ObjectPropName::String(lit) => (lit.value.as_ref(), lit.range),
                            ObjectPropName::Word(word) => (word.value, word.range),
                        };
                        let key_span = Span::new(name_range.start, name_range.end);
                        if let Some(first) = seen.insert(name, key_span) {
                            index.duplicates.push(DuplicateKey {
                                object: pointer.clone(),
                                key: name.to_string(),
                                first,
                                second: key_span,
                                member: Span::new(prop.range.start, prop.range.end),
                            });
                        }
                        let child = format!("{pointer}/{}", escape_token(name));
                        children.push((child, &prop.value, Some(key_span)));
                    }
                    // Reversed so they pop in text order: for a repeated key the last
                    // occurrence (and its subtree) is indexed last and wins, as in serde_json.
                    stack.extend(children.into_iter().rev());
                }
                Ast::Array(array) => {
                    for (i, element) in array.elements.iter().enumerate().rev() {
                        stack.push((format!("{pointer}/{i}"), element, None));
                    }
                }
                _ => {}
            }
        }
        index.duplicates.sort_by_key(|d| d.second.start);
        Some(index)
    }

    /// The spans of the value at `pointer`.
    pub fn get(&self, pointer: &str) -> Option<NodeSpans> {
        self.nodes.get(pointer).copied()
    }

    /// The span a finding about `pointer` should point at, falling back to the nearest
    /// ancestor that exists (a pointer into a value the text does not have).
    pub fn locate(&self, pointer: &str, target: Target) -> Option<Span> {
        if let Target::Span(span) = target {
            return Some(span);
        }
        let mut current = pointer;
        loop {
            if let Some(spans) = self.get(current) {
                let exact = current.len() == pointer.len();
                return Some(match (target, exact) {
                    (Target::Key, true) => spans.key.unwrap_or(spans.value),
                    (Target::Open, true) => Span::new(spans.value.start, spans.value.start + 1),
                    _ => spans.value,
                });
            }
            let cut = current.rfind('/')?;
            current = &current[..cut];
        }
    }
}

fn node_range(node: &jsonc_parser::ast::Value<'_>) -> Span {
    use jsonc_parser::ast::Value as Ast;
    let range = match node {
        Ast::StringLit(v) => v.range,
        Ast::NumberLit(v) => v.range,
        Ast::BooleanLit(v) => v.range,
        Ast::Object(v) => v.range,
        Ast::Array(v) => v.range,
        Ast::NullKeyword(v) => v.range,
    };
    Span::new(range.start, range.end)
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
        let mut starts = vec![0];
        let mut continuations = Vec::with_capacity(bytes.len() / Self::BLOCK + 1);
        let mut seen = 0;
        for (block, chunk) in bytes.chunks(Self::BLOCK).enumerate() {
            continuations.push(seen);
            let base = block * Self::BLOCK;
            for (i, &b) in chunk.iter().enumerate() {
                if b == b'\n' {
                    starts.push(base + i + 1);
                }
                seen += usize::from(is_continuation(b));
            }
        }
        continuations.push(seen);
        Self {
            starts,
            continuations,
        }
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
    use crate::tree::parse;

    fn value_text<'a>(text: &'a str, pointer: &str) -> &'a str {
        let index = SpanIndex::build(text).expect("index");
        let span = index.locate(pointer, Target::Value).expect("span");
        &text[span.start..span.end]
    }

    #[test]
    fn locates_nested_values_and_array_items() {
        let text = r#"{"a": {"b": [1, {"c": "x"}]}, "d": true}"#;
        assert_eq!(value_text(text, "/a/b/1/c"), r#""x""#);
        assert_eq!(value_text(text, "/a/b/0"), "1");
        assert_eq!(value_text(text, "/d"), "true");
        assert_eq!(value_text(text, ""), text);
    }

    #[test]
    fn locates_keys_and_open_braces() {
        let text = "{\n  \"auth\": {\"x\": 1}\n}";
        let index = SpanIndex::build(text).expect("index");
        let key = index.locate("/auth", Target::Key).expect("key");
        assert_eq!(&text[key.start..key.end], "\"auth\"");
        let open = index.locate("/auth", Target::Open).expect("open");
        assert_eq!(&text[open.start..open.end], "{");
        assert_eq!(open.start, 12);
    }

    #[test]
    fn escaped_pointer_tokens_match_keys_with_slash_and_tilde() {
        let text = r#"{"a/b": {"~c": 1, "é\"q": 2}}"#;
        assert_eq!(value_text(text, "/a~1b/~0c"), "1");
        assert_eq!(value_text(text, "/a~1b/é\"q"), "2");
    }

    #[test]
    fn missing_pointer_falls_back_to_nearest_ancestor() {
        let text = r#"{"a": [1]}"#;
        assert_eq!(value_text(text, "/a/5"), "[1]");
    }

    #[test]
    fn duplicate_keys_point_at_the_last_value() {
        let text = r#"{"a": 1, "a": 22}"#;
        let parsed = parse(text).expect("parses");
        assert!(parsed.has_duplicate_keys);
        assert_eq!(parsed.value.get("a").map(|v| v.to_serde()), Some(22.into()));
        assert_eq!(value_text(text, "/a"), "22");
        let index = SpanIndex::build(text).expect("index");
        assert_eq!(index.duplicates.len(), 1);
        assert_eq!(index.duplicates[0].first, Span::new(1, 4));
        assert_eq!(index.duplicates[0].second, Span::new(9, 12));
    }

    #[test]
    fn minified_and_non_ascii_columns_count_characters() {
        let text = "{\"name\":\"Zoë 😀\",\"n\":\"x\"}";
        let span = SpanIndex::build(text)
            .and_then(|i| i.locate("/n", Target::Value))
            .expect("span");
        let lines = LineIndex::new(text);
        // `{"name":"Zoë 😀","n":` is 20 characters (24 bytes), so the value starts at column 21.
        assert_eq!(
            lines.position(text, span.start),
            Position {
                line: 1,
                column: 21
            }
        );
        assert_eq!(
            lines.position(text, span.end),
            Position {
                line: 1,
                column: 24
            }
        );
    }

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

    #[test]
    fn positions_across_lines() {
        let text = "{\n  \"a\": 1,\n  \"b\": \"x\"\n}\n";
        let lines = LineIndex::new(text);
        let span = SpanIndex::build(text)
            .and_then(|i| i.locate("/b", Target::Value))
            .expect("span");
        assert_eq!(
            lines.position(text, span.start),
            Position { line: 3, column: 8 }
        );
    }

    #[test]
    fn syntax_errors_carry_their_offset() {
        let text = "{\n  \"a\": 1,\n  \"b\" 2\n}";
        let err = parse(text).expect_err("invalid");
        assert_eq!(err.code, "json::syntax");
        assert_eq!(&text[err.offset..err.offset + 1], "2");
    }

    #[test]
    fn deep_nesting_is_a_depth_error_not_a_crash() {
        let text = "[".repeat(100_000);
        assert_eq!(parse(&text).expect_err("too deep").code, "json::depth");
    }

    #[test]
    fn max_depth_is_the_deepest_nesting_that_parses() {
        let nested = |n: usize| "[".repeat(n) + &"]".repeat(n);
        assert!(parse(&nested(MAX_DEPTH)).is_ok());
        let err = parse(&nested(MAX_DEPTH + 1)).expect_err("too deep");
        assert_eq!(err.code, "json::depth");
        assert_eq!(
            err.message,
            format!("nesting deeper than {MAX_DEPTH} levels")
        );
    }

    #[test]
    fn empty_and_blank_files_say_so() {
        assert_eq!(parse("").expect_err("empty").message, "the file is empty");
        assert_eq!(
            parse(" \n").expect_err("blank").message,
            "the file holds only whitespace"
        );
    }
}
