//! [`Value`] as an instance representation for `jsonschema` (its `json::Json` family of
//! traits), so documents are validated as parsed, without building a `serde_json::Value`.
//!
//! The contract is checked by `jsonschema`'s own conformance assertions (a unit test below) and
//! by the JSON-Schema-Test-Suite (`tests/it/conformance.rs`), which runs through this code.

use std::borrow::Cow;

use jsonschema::json::{cmp, Array, Json, Node, NodeIdentity, Object as JsonObject};
use jsonschema::JsonType;

use super::{Object, Value};

/// A bound on the work of one validation, in reads of the instance ([`metered`]).
///
/// A schema can make validation exponential in the instance's nesting: `anyOf` with two
/// branches that both recurse into `items` evaluates each level twice, so 20 levels of `[`
/// cost a million evaluations. Every evaluation reads the instance through this module, so
/// counting the reads bounds them whatever the schema says, and the count is deterministic.
/// Once the fuel is spent, every node reads as `null`: no keyword descends any further, the
/// frames still open finish in a few steps each, and the caller discards the result
/// ([`metered`] returns `None`).
pub(crate) mod fuel {
    use std::cell::Cell;

    use super::Value;

    thread_local! {
        /// Reads left on this thread; `u64::MAX` when no metered validation runs.
        static FUEL: Cell<u64> = const { Cell::new(u64::MAX) };
    }

    /// What an exhausted instance reads as.
    static SPENT: Value<'static> = Value::Null;

    /// Spends `cost` reads; `false` once the fuel is gone.
    #[inline]
    pub(super) fn spend(cost: u64) -> bool {
        FUEL.with(|fuel| {
            let left = fuel.get();
            fuel.set(left.saturating_sub(cost));
            left >= cost && left != 0
        })
    }

    /// `node`, or `null` once the fuel is spent; one read.
    #[inline]
    pub(super) fn read<'a>(node: &'a Value<'a>) -> &'a Value<'a> {
        if spend(1) {
            node
        } else {
            &SPENT
        }
    }

    /// Whether the fuel of the running [`metered`] call is spent.
    pub(crate) fn spent() -> bool {
        FUEL.with(|fuel| fuel.get() == 0)
    }

    /// Runs `f` with `budget` reads of the instance; `None` if it needed more (its result,
    /// computed on `null`s past that point, is dropped). Not reentrant: the outer fuel is
    /// restored afterwards.
    pub(crate) fn metered<R>(budget: u64, f: impl FnOnce() -> R) -> Option<R> {
        let outer = FUEL.with(|fuel| fuel.replace(budget.max(1)));
        let result = f();
        let left = FUEL.with(|fuel| fuel.replace(outer));
        (left > 0).then_some(result)
    }
}

/// The marker type naming the representation: validators are `jsonschema::Validator<Tree>`.
#[derive(Debug)]
pub struct Tree;

impl Json for Tree {
    type Node<'a> = &'a Value<'a>;
    type PreparedKey = Box<str>;
    type StringBuffer = ();

    // `get` scans the members, so a pass over a few keys per lookup it replaces is no dearer.
    const KEYS_PER_LOOKUP: usize = 4;

    fn prepare_key(key: &str) -> Box<str> {
        key.into()
    }

    fn with_string_node<T>((): &mut (), string: &str, f: impl FnOnce(Self::Node<'_>) -> T) -> T {
        // A string node can borrow the name: nothing to allocate.
        f(&Value::String(Cow::Borrowed(string)))
    }
}

impl<'a> Node<'a, Tree> for &'a Value<'a> {
    type Object = &'a Object<'a>;
    type Array = &'a [Value<'a>];
    type Number = &'a serde_json::Number;

    fn as_object(&self) -> Option<&'a Object<'a>> {
        match fuel::read(self) {
            Value::Object(object) => Some(object),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<&'a [Value<'a>]> {
        match fuel::read(self) {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        match fuel::read(self) {
            Value::String(text) => Some(Cow::Borrowed(text.as_ref())),
            _ => None,
        }
    }

    fn as_number(&self) -> Option<&'a serde_json::Number> {
        match fuel::read(self) {
            Value::Number(number) => Some(number),
            _ => None,
        }
    }

    fn as_boolean(&self) -> Option<bool> {
        match fuel::read(self) {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(fuel::read(self), Value::Null)
    }

    fn json_type(&self) -> JsonType {
        match fuel::read(self) {
            Value::Null => JsonType::Null,
            Value::Bool(_) => JsonType::Boolean,
            Value::Number(_) => JsonType::Number,
            Value::String(_) => JsonType::String,
            Value::Array(_) => JsonType::Array,
            Value::Object(_) => JsonType::Object,
        }
    }

    fn string_length(&self) -> Option<u64> {
        fuel::read(self)
            .as_str()
            .map(|text| code_points(text) as u64)
    }

    fn equals_value(&self, expected: &serde_json::Value) -> bool {
        equals(fuel::read(self), expected)
    }

    fn to_value(&self) -> Cow<'a, serde_json::Value> {
        // An error's copy of the instance costs what it copies, so the errors of a metered
        // validation hold at most its budget of nodes between them.
        let node = fuel::read(self);
        if fuel::spend(node.node_count()) {
            Cow::Owned(node.to_serde())
        } else {
            Cow::Owned(serde_json::Value::Null)
        }
    }

    fn identity(&self) -> Option<NodeIdentity> {
        Some(NodeIdentity::new(
            std::ptr::from_ref::<Value<'_>>(*self) as usize
        ))
    }
}

/// Unicode code points in `text`: the bytes that do not continue a multi-byte sequence.
fn code_points(text: &str) -> usize {
    text.bytes().filter(|b| (b & 0xC0) != 0x80).count()
}

/// JSON Schema equality (`const`, `enum`) without converting `value`: numbers compare by
/// their mathematical value, objects regardless of member order.
fn equals(value: &Value<'_>, expected: &serde_json::Value) -> bool {
    use serde_json::Value as Expected;
    match (value, expected) {
        (Value::Null, Expected::Null) => true,
        (Value::Bool(a), Expected::Bool(b)) => a == b,
        (Value::Number(a), Expected::Number(b)) => cmp::equal_numbers(&a, b),
        (Value::String(a), Expected::String(b)) => a == b,
        (Value::Array(a), Expected::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| equals(x, y))
        }
        (Value::Object(a), Expected::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, x)| b.get(key).is_some_and(|y| equals(x, y)))
        }
        _ => false,
    }
}

/// Iterates an object's members for `jsonschema`.
pub struct Members<'a>(std::slice::Iter<'a, (Cow<'a, str>, Value<'a>)>);

impl<'a> Iterator for Members<'a> {
    type Item = (&'a str, &'a Value<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(key, value)| (key.as_ref(), value))
    }
}

impl<'a> JsonObject<'a, Tree> for &'a Object<'a> {
    type Node = &'a Value<'a>;
    type MemberName = &'a str;
    type MembersIter = Members<'a>;

    fn len(&self) -> usize {
        self.members.len()
    }

    fn get(&self, key: &Box<str>) -> Option<&'a Value<'a>> {
        Object::get(self, key)
    }

    fn members(&self) -> Members<'a> {
        Members(self.members.iter())
    }
}

impl<'a> Array<'a, Tree> for &'a [Value<'a>] {
    type Node = &'a Value<'a>;
    type ElementsIter = std::slice::Iter<'a, Value<'a>>;

    fn len(&self) -> usize {
        <[Value<'a>]>::len(self)
    }

    fn elements(&self) -> std::slice::Iter<'a, Value<'a>> {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(schema: serde_json::Value, instance: &str) -> bool {
        let validator = jsonschema::options_for::<Tree>().build(&schema).unwrap();
        let parsed = crate::tree::parse(instance).unwrap();
        validator.is_valid(&parsed.value)
    }

    #[test]
    fn meets_jsonschemas_representation_contract() {
        let document = jsonschema::json::conformance::document();
        let text = document.to_string();
        let parsed = crate::tree::parse(&text).unwrap();
        jsonschema::json::conformance::assert_conformance::<Tree>(&&parsed.value);
    }

    #[test]
    fn const_and_enum_compare_like_json_schema() {
        assert!(check(json!({"const": 1}), "1.0"));
        assert!(check(
            json!({"const": {"a": [1, "x"], "b": null}}),
            r#"{"b": null, "a": [1.0, "x"]}"#
        ));
        assert!(!check(json!({"const": {"a": 1}}), r#"{"a": 1, "b": 2}"#));
        assert!(!check(json!({"const": [1, 2]}), "[2, 1]"));
        assert!(check(json!({"enum": ["crm", false]}), "false"));
        assert!(!check(json!({"enum": [0]}), "false"));
    }

    #[test]
    fn string_lengths_count_code_points() {
        assert!(check(json!({"maxLength": 2}), r#""🦀🦀""#));
        assert!(!check(json!({"maxLength": 2}), r#""🦀🦀🦀""#));
        assert!(check(json!({"minLength": 5, "maxLength": 5}), r#""héllo""#));
        assert!(check(
            json!({"propertyNames": {"maxLength": 3}}),
            r#"{"abc": 1}"#
        ));
        assert!(!check(
            json!({"propertyNames": {"maxLength": 3}}),
            r#"{"abcd": 1}"#
        ));
    }
}
