//! Text → [`Value`], with serde_json doing the parsing and duplicate keys noticed on the way.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{Object, Value};

/// A document that parsed as JSON.
#[derive(Debug)]
pub struct Parsed<'a> {
    /// The value.
    pub value: Value<'a>,
    /// True when some object in it has the same key twice.
    pub has_duplicate_keys: bool,
}

/// What a syntax error is about, decided once where serde_json's error is shaped
/// ([`syntax_error`]): help texts and the JSON Lines reader read this, never the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SyntaxKind {
    /// The text is empty or only whitespace.
    Empty,
    /// Nesting deeper than [`MAX_DEPTH`] (`json::depth`).
    Depth,
    /// A number too large for a 64-bit float.
    NumberOutOfRange,
    /// A `//` or `/*` comment.
    Comment,
    /// `NaN` or `Infinity`, which JSON has no words for.
    NanOrInfinity,
    /// A NUL byte.
    Nul,
    /// The text ended inside a value: the document was left open.
    EndOfInput,
    /// Anything else the grammar rejects.
    Other,
}

impl SyntaxKind {
    /// The diagnostic code: `json::depth` for nesting, else `json::syntax`.
    pub fn code(self) -> &'static str {
        match self {
            SyntaxKind::Depth => "json::depth",
            _ => "json::syntax",
        }
    }
}

/// Why a text is not JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    /// What the error is about.
    pub kind: SyntaxKind,
    /// The parser's message without its position, or a plainer one.
    pub message: String,
    /// Byte offset of the error in the parsed text.
    pub offset: usize,
}

impl SyntaxError {
    /// The diagnostic code, as [`SyntaxKind::code`].
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
}

/// Deepest nesting of arrays and objects that is parsed; deeper documents get `json::depth`.
/// It is serde_json's recursion limit (128 containers entered, so 127 levels deep), which it
/// enforces without recursing further: no input can overflow the stack.
pub const MAX_DEPTH: usize = 127;

/// A [`SyntaxError`] from serde_json's error on `text`, with a byte offset, a kind and a
/// plainer message where serde_json's is cryptic. serde_json exposes only a coarse
/// category, so this is the one place that reads its message.
fn syntax_error(text: &str, err: &serde_json::Error) -> SyntaxError {
    let full = err.to_string();
    // serde_json appends " at line L column C"; the position is reported separately.
    let message = match full.rfind(" at line ") {
        Some(cut) => full[..cut].to_string(),
        None => full,
    };
    let mut offset = serde_offset(text, err.line(), err.column());
    let kind = if message.starts_with("recursion limit exceeded") {
        SyntaxKind::Depth
    } else if text.trim().is_empty() {
        SyntaxKind::Empty
    } else if message.starts_with("number out of range") {
        SyntaxKind::NumberOutOfRange
    } else if err.classify() == serde_json::error::Category::Eof {
        SyntaxKind::EndOfInput
    } else {
        unusual_kind(&text[offset..])
    };
    let message = match kind {
        SyntaxKind::Depth => format!("nesting deeper than {MAX_DEPTH} levels"),
        SyntaxKind::Empty if text.is_empty() => "the file is empty".to_string(),
        SyntaxKind::Empty => "the file holds only whitespace".to_string(),
        SyntaxKind::NumberOutOfRange => {
            // serde_json stops on the number's last digit; point at its first instead.
            offset = number_start(text, offset);
            "number out of range: JSON numbers must fit a 64-bit float (at most about 1.8e308)"
                .to_string()
        }
        SyntaxKind::Comment => "comments are not allowed in JSON".to_string(),
        SyntaxKind::NanOrInfinity => "`NaN` and `Infinity` are not JSON numbers".to_string(),
        SyntaxKind::Nul => "a NUL byte is not allowed in JSON".to_string(),
        SyntaxKind::EndOfInput | SyntaxKind::Other => message,
    };
    SyntaxError {
        kind,
        message,
        offset,
    }
}

/// The usual non-JSON inputs that serde_json calls only "expected value", by what starts at
/// the error.
fn unusual_kind(rest: &str) -> SyntaxKind {
    if rest.starts_with("//") || rest.starts_with("/*") {
        SyntaxKind::Comment
    } else if ["NaN", "Infinity", "-Infinity", "+Infinity", "-NaN"]
        .iter()
        .any(|word| rest.starts_with(word))
    {
        SyntaxKind::NanOrInfinity
    } else if rest.starts_with('\0') {
        SyntaxKind::Nul
    } else {
        SyntaxKind::Other
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

/// Parses `text` as one JSON document (serde_json's grammar, nesting limit and messages),
/// noting duplicate keys.
pub fn parse(text: &str) -> Result<Parsed<'_>, SyntaxError> {
    let duplicates = Cell::new(false);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = ValueSeed {
        duplicates: &duplicates,
    }
    .deserialize(&mut deserializer)
    .and_then(|value| deserializer.end().map(|()| value))
    .map_err(|err| syntax_error(text, &err))?;
    Ok(Parsed {
        value,
        has_duplicate_keys: duplicates.get(),
    })
}

/// Members an object may have before its keys are looked up in a hash table instead of by
/// scanning, when checking each new key for a duplicate: a scan is quicker for the few keys
/// of a real payload, and the table keeps an object of 200,000 keys from taking quadratic time.
const SCANNED_MEMBERS: usize = 32;

/// Builds a [`Value`] from serde_json's events.
struct ValueSeed<'s> {
    duplicates: &'s Cell<bool>,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value<'de>, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value<'de>, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value<'de>, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value<'de>, E> {
        // serde_json never yields NaN or an infinity (those are syntax errors), so `Null` is
        // unreachable; it is what serde_json's own `Value` would hold.
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Owned(v)))
    }

    fn visit_unit<E>(self) -> Result<Value<'de>, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value<'de>, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value<'de>, A::Error> {
        // Room for a typical list (`categories`, `permissions`) up front: growing a vector
        // several times per document showed in profiles.
        let mut items = Vec::with_capacity(4);
        while let Some(item) = seq.next_element_seed(ValueSeed {
            duplicates: self.duplicates,
        })? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value<'de>, A::Error> {
        // Room for a Connection's or an `auth` object's members up front (see `visit_seq`).
        let mut members: Vec<(Cow<'de, str>, Value<'de>)> = Vec::with_capacity(16);
        // Key → index in `members`, once there are more than `SCANNED_MEMBERS`.
        let mut positions: Option<HashMap<String, usize>> = None;
        while let Some(key) = access.next_key_seed(KeySeed)? {
            let value = access.next_value_seed(ValueSeed {
                duplicates: self.duplicates,
            })?;
            let earlier = match &positions {
                Some(positions) => positions.get(key.as_ref()).copied(),
                None => members.iter().position(|(name, _)| *name == key),
            };
            if let Some(at) = earlier {
                // serde_json keeps the last value; the member keeps its first place.
                members[at].1 = value;
                self.duplicates.set(true);
                continue;
            }
            if let Some(positions) = &mut positions {
                positions.insert(key.to_string(), members.len());
            }
            members.push((key, value));
            if positions.is_none() && members.len() > SCANNED_MEMBERS {
                positions = Some(
                    members
                        .iter()
                        .enumerate()
                        .map(|(at, (name, _))| (name.to_string(), at))
                        .collect(),
                );
            }
        }
        Ok(Value::Object(Object { members }))
    }
}

/// An object key, borrowed from the text unless it has escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrows_plain_strings_and_owns_escaped_ones() {
        let parsed = parse(r#"{"plain": "abc", "esc\u0061ped": "x\ny"}"#).unwrap();
        let object = parsed.value.as_object().unwrap();
        let members: Vec<_> = object.members.iter().collect();
        assert!(matches!(members[0].0, Cow::Borrowed("plain")));
        assert!(matches!(members[0].1, Value::String(Cow::Borrowed("abc"))));
        assert!(matches!(&members[1].0, Cow::Owned(k) if k == "escaped"));
        assert_eq!(members[1].1.as_str(), Some("x\ny"));
    }

    #[test]
    fn agrees_with_serde_json_on_values() {
        let text = r#"[0, -1, 18446744073709551615, -9223372036854775808, 1.5, 1e300, -0.0,
            "é\ud83e\udd80", {"a": {"b": [null, true, false]}}, [], {}]"#;
        let ours = parse(text).unwrap().value.to_serde();
        let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(ours, theirs);
    }

    #[test]
    fn duplicate_keys_keep_the_last_value_at_the_first_place() {
        let parsed = parse(r#"{"a": 1, "b": 2, "a": 3}"#).unwrap();
        assert!(parsed.has_duplicate_keys);
        let object = parsed.value.as_object().unwrap();
        let members: Vec<(&str, String)> = object
            .iter()
            .map(|(k, v)| (k, v.to_serde().to_string()))
            .collect();
        assert_eq!(members, [("a", "3".to_string()), ("b", "2".to_string())]);
        assert!(!parse(r#"{"a": {"a": 1}}"#).unwrap().has_duplicate_keys);
    }

    #[test]
    fn duplicates_are_found_in_objects_too_big_to_scan() {
        let mut text = String::from("{");
        for i in 0..1000 {
            text.push_str(&format!("\"k{i}\": {i},"));
        }
        text.push_str("\"k500\": \"again\"}");
        let parsed = parse(&text).unwrap();
        assert!(parsed.has_duplicate_keys);
        let object = parsed.value.as_object().unwrap();
        assert_eq!(object.len(), 1000);
        assert_eq!(object.get("k500").and_then(Value::as_str), Some("again"));
        assert_eq!(object.keys().nth(500), Some("k500"));
    }

    #[test]
    fn errors_are_serde_jsons() {
        let err = parse("{\"a\": }").unwrap_err();
        assert_eq!(err.code(), "json::syntax");
        assert_eq!(err.offset, 6);
        let deep = "[".repeat(200);
        assert_eq!(parse(&deep).unwrap_err().kind, SyntaxKind::Depth);
    }

    #[test]
    fn syntax_errors_carry_their_offset() {
        let text = "{\n  \"a\": 1,\n  \"b\" 2\n}";
        let err = parse(text).expect_err("invalid");
        assert_eq!(err.code(), "json::syntax");
        assert_eq!(&text[err.offset..err.offset + 1], "2");
    }

    #[test]
    fn deep_nesting_is_a_depth_error_not_a_crash() {
        let text = "[".repeat(100_000);
        assert_eq!(parse(&text).expect_err("too deep").code(), "json::depth");
    }

    #[test]
    fn max_depth_is_the_deepest_nesting_that_parses() {
        let nested = |n: usize| "[".repeat(n) + &"]".repeat(n);
        assert!(parse(&nested(MAX_DEPTH)).is_ok());
        let err = parse(&nested(MAX_DEPTH + 1)).expect_err("too deep");
        assert_eq!(err.code(), "json::depth");
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

    #[test]
    fn each_kind_is_told_apart_once() {
        let kind = |text: &str| parse(text).expect_err("invalid").kind;
        assert_eq!(kind(""), SyntaxKind::Empty);
        assert_eq!(kind("  \n"), SyntaxKind::Empty);
        assert_eq!(kind("{\"a\": 1e999}"), SyntaxKind::NumberOutOfRange);
        assert_eq!(kind("{\"a\": 1, // note\n}"), SyntaxKind::Comment);
        assert_eq!(kind("{\"a\": NaN}"), SyntaxKind::NanOrInfinity);
        assert_eq!(kind("{\"a\": \0}"), SyntaxKind::Nul);
        assert_eq!(kind("{\"credentials\":"), SyntaxKind::EndOfInput);
        assert_eq!(kind("[1, 2"), SyntaxKind::EndOfInput);
        assert_eq!(kind("{\"a\" 1}"), SyntaxKind::Other);
        assert_eq!(kind(&"[".repeat(300)), SyntaxKind::Depth);
        // A number out of range is pointed at from its first digit.
        let err = parse("[1, 123e999]").expect_err("invalid");
        assert_eq!(err.offset, 4);
    }
}
