//! A JSON value that borrows from the text it was parsed from.
//!
//! Every document is parsed into this once, and both the schema validator and the lint rules
//! read it. Keys and strings without escapes point into the text; objects keep their members
//! in a vector, in document order. A typical Connection then costs a handful of allocations
//! (one per array or object) instead of one per key and string, and dropping it is as cheap.
//!
//! `serde_json` still does the parsing ([`parse`]), so the grammar, the number handling and the
//! error messages are serde_json's own. [`representation`] lets `jsonschema` validate this type
//! directly; [`Value::to_serde`] builds a `serde_json::Value` where one is needed.

mod parse;
pub mod representation;

use std::borrow::Cow;

use serde_json::Number;

pub use parse::{parse, Parsed, SyntaxError, SyntaxKind, MAX_DEPTH};

/// One JSON value of a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as serde_json reads it (integers exact within 64 bits, others as `f64`).
    Number(Number),
    /// A string, borrowed from the text unless it had escapes.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Value<'a>>),
    /// An object.
    Object(Object<'a>),
}

/// A JSON object: its members in document order, each key once. Where the text repeats a key,
/// the member stays at its first place and holds the last value, as serde_json would keep it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Object<'a> {
    members: Vec<(Cow<'a, str>, Value<'a>)>,
}

impl<'a> Value<'a> {
    /// The member `key` of an object (`None` for other values or a missing key).
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        self.as_object()?.get(key)
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&Object<'a>> {
        match self {
            Value::Object(object) => Some(object),
            _ => None,
        }
    }

    /// The items, if this is an array.
    pub fn as_array(&self) -> Option<&[Value<'a>]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The text, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    /// The number of values in this one, itself included.
    pub fn node_count(&self) -> u64 {
        1 + match self {
            Value::Array(items) => items.iter().map(Value::node_count).sum(),
            Value::Object(object) => object.members.iter().map(|(_, v)| v.node_count()).sum(),
            _ => 0,
        }
    }

    /// The same value as a `serde_json::Value`; it allocates every key and string, so it is
    /// for cold paths (error messages) and tests.
    pub fn to_serde(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Value::Number(n.clone()),
            Value::String(s) => serde_json::Value::String(s.to_string()),
            Value::Array(items) => {
                serde_json::Value::Array(items.iter().map(Value::to_serde).collect())
            }
            Value::Object(object) => serde_json::Value::Object(
                object
                    .iter()
                    .map(|(key, value)| (key.to_string(), value.to_serde()))
                    .collect(),
            ),
        }
    }

    /// A value equal to `value`, with every string owned; for tests and for callers that hold
    /// a `serde_json::Value` rather than text.
    pub fn from_serde(value: &serde_json::Value) -> Value<'static> {
        match value {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.clone()),
            serde_json::Value::String(s) => Value::String(Cow::Owned(s.clone())),
            serde_json::Value::Array(items) => {
                Value::Array(items.iter().map(Value::from_serde).collect())
            }
            serde_json::Value::Object(map) => Value::Object(Object {
                members: map
                    .iter()
                    .map(|(key, value)| (Cow::Owned(key.clone()), Value::from_serde(value)))
                    .collect(),
            }),
        }
    }
}

impl<'a> Object<'a> {
    /// The number of members.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether it has no members.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The value of `key`. A scan: model objects have a few dozen keys at most, and a scan of
    /// short keys beats hashing them; a huge object is scanned only once per key asked for.
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        self.members
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value)
    }

    /// Whether `key` is a member.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The keys, in document order.
    pub fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.members.iter().map(|(key, _)| key.as_ref())
    }

    /// The members, in document order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value<'a>)> + '_ {
        self.members
            .iter()
            .map(|(key, value)| (key.as_ref(), value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn converts_to_and_from_serde_json_without_loss() {
        let original = json!({
            "b": [1, -2, 2.5, "x\"y", null, true],
            "a": {"nested": {"deep": []}},
            "big": 18446744073709551615u64
        });
        let tree = Value::from_serde(&original);
        assert_eq!(tree.to_serde(), original);
        assert!(tree.get("a").and_then(|a| a.get("nested")).is_some());
        assert_eq!(
            tree.get("b").and_then(Value::as_array).map(<[_]>::len),
            Some(6)
        );
        assert_eq!(tree.get("missing"), None);
    }

    #[test]
    fn objects_keep_document_order() {
        let parsed = parse(r#"{"z": 1, "a": 2, "m": 3}"#).unwrap();
        let keys: Vec<&str> = parsed.value.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["z", "a", "m"]);
    }
}
