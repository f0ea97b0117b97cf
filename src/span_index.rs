//! JSON pointer → place in the text, for one document.
//!
//! Parsing ([`crate::tree::parse`]) notices whether any object repeats a key but keeps no
//! places: only when a document has something to report is its text scanned again, keeping
//! byte ranges, into a [`SpanIndex`], so the happy path never pays for locations.

use crate::diagnostic::Target;
use crate::pointer::{escape_token, index_token, unescape_token};
use crate::span::Span;

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
///
/// A flat tree of the document's values, built in one pass over the text: a failing file
/// asks for a handful of pointers, so no pointer string is built ahead of a question. A
/// lookup walks the pointer's tokens down the tree; objects with many members are searched
/// by a sorted list of their keys, so 200,000 diagnostics in one object stay
/// linear-logarithmic.
#[derive(Debug, Default)]
pub struct SpanIndex {
    /// Every value, in text order; the root is node 0.
    nodes: Vec<Node>,
    /// The children of each container, contiguous per container and in text order.
    children: Vec<usize>,
    /// For each object with more than [`SpanIndex::SORTED_FROM`] members, its members again,
    /// ordered by key and then by text order.
    sorted: Vec<usize>,
    /// Every member's key, unescaped, one after the other.
    names: String,
    /// Every repeated key, in text order.
    pub duplicates: Vec<DuplicateKey>,
    /// Whether building looks for repeated keys (see [`SpanIndex::rebuild`]).
    skip_duplicates: bool,
}

/// One value in a [`SpanIndex`].
#[derive(Debug, Clone)]
struct Node {
    spans: NodeSpans,
    /// Its key, unescaped, as a range of [`SpanIndex::names`] (members only).
    name: std::ops::Range<usize>,
    parent: Option<usize>,
    /// Its position among its parent's children.
    slot: usize,
    kind: Kind,
    /// Its children as a range of [`SpanIndex::children`].
    children: std::ops::Range<usize>,
    /// Where its members start in [`SpanIndex::sorted`], for a large object.
    sorted: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Object,
    Array,
    Scalar,
}

/// An open container while indexing: its node and where its children start in the list of
/// children not yet stored.
struct Open {
    node: usize,
    mark: usize,
    object: bool,
}

impl SpanIndex {
    /// Objects with more members than this are searched by a sorted key list; smaller ones
    /// (every object of a real Connection) are scanned, which costs less than sorting.
    const SORTED_FROM: usize = 16;

    /// Indexes `text`, which must already have parsed with [`crate::tree::parse`]. `None` if it
    /// is not
    /// one JSON document.
    pub fn build(text: &str) -> Option<Self> {
        let mut index = SpanIndex::default();
        index.fill(text)?;
        Some(index)
    }

    /// [`build`](Self::build) into this index, reusing its storage: a thread that reports
    /// on many files allocates it once instead of per file. On `false` (not one JSON
    /// document) the index is left empty.
    ///
    /// With `duplicates` false, repeated keys are not looked for and
    /// [`duplicates`](Self::duplicates) stays empty: for a caller whose parse already found
    /// that there are none, comparing every key of an object with the ones before it is
    /// wasted.
    pub fn rebuild(&mut self, text: &str, duplicates: bool) -> bool {
        self.clear();
        self.skip_duplicates = !duplicates;
        if self.fill(text).is_some() {
            return true;
        }
        self.clear();
        false
    }

    /// Whether this index holds storage for a large document (over a few MiB).
    pub fn is_large(&self) -> bool {
        self.nodes.capacity() > 1 << 15
            || self.children.capacity() > 1 << 15
            || self.names.capacity() > 1 << 20
    }

    fn clear(&mut self) {
        self.nodes.clear();
        self.children.clear();
        self.sorted.clear();
        self.names.clear();
        self.duplicates.clear();
    }

    /// Indexes `text` into this empty index.
    fn fill(&mut self, text: &str) -> Option<()> {
        let bytes = text.as_bytes();
        let index = self;
        let mut stack: Vec<Open> = Vec::new();
        let mut pending: Vec<usize> = Vec::new();
        // The key of the member whose value comes next: its span and unescaped name.
        let mut key: Option<(Span, std::ops::Range<usize>)> = None;
        let mut i = 0;
        'value: loop {
            // A value starts at `i` (after whitespace).
            i = skip_json_whitespace(bytes, i);
            let start = i;
            let first = *bytes.get(i)?;
            let id = index.nodes.len();
            let (key_span, name) = key.take().map_or((None, 0..0), |(s, n)| (Some(s), n));
            let parent = stack.last().map(|open| open.node);
            let slot = stack.last().map_or(0, |open| pending.len() - open.mark);
            if parent.is_some() {
                pending.push(id);
            }
            let kind = match first {
                b'{' => Kind::Object,
                b'[' => Kind::Array,
                _ => Kind::Scalar,
            };
            let end = match kind {
                Kind::Scalar if first == b'"' => string_end(bytes, i)?,
                Kind::Scalar => {
                    let end = i + bytes[i..]
                        .iter()
                        .position(|&b| {
                            matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r')
                        })
                        .unwrap_or(bytes.len() - i);
                    if end == i {
                        return None;
                    }
                    end
                }
                Kind::Object | Kind::Array => i + 1,
            };
            index.nodes.push(Node {
                spans: NodeSpans {
                    value: Span::new(start, end),
                    key: key_span,
                },
                name,
                parent,
                slot,
                kind,
                children: 0..0,
                sorted: None,
            });
            i = end;
            if kind != Kind::Scalar {
                stack.push(Open {
                    node: id,
                    mark: pending.len(),
                    object: kind == Kind::Object,
                });
                i = skip_json_whitespace(bytes, i);
                match (kind, bytes.get(i)) {
                    (Kind::Object, Some(b'}')) | (Kind::Array, Some(b']')) => {}
                    (Kind::Object, _) => {
                        let (next, member) = index.member_key(text, i)?;
                        key = Some(member);
                        i = next;
                        continue 'value;
                    }
                    _ => continue 'value,
                }
            }
            // After a value: `,` and the next one, or the end of containers, or of the text.
            loop {
                i = skip_json_whitespace(bytes, i);
                let Some(open) = stack.last() else {
                    if i != bytes.len() {
                        return None;
                    }
                    index.duplicates.sort_by_key(|d| d.second.start);
                    return Some(());
                };
                match (bytes.get(i), open.object) {
                    (Some(b','), true) => {
                        let (next, member) = index.member_key(text, i + 1)?;
                        key = Some(member);
                        i = next;
                        continue 'value;
                    }
                    (Some(b','), false) => {
                        i += 1;
                        continue 'value;
                    }
                    (Some(b'}'), true) | (Some(b']'), false) => {
                        let node = open.node;
                        let children = index.children.len();
                        index.children.extend(pending.drain(open.mark..));
                        stack.pop();
                        index.nodes[node].spans.value.end = i + 1;
                        index.nodes[node].children = children..index.children.len();
                        if index.nodes[node].kind == Kind::Object {
                            index.close_object(node);
                        }
                        i += 1;
                    }
                    _ => return None,
                }
            }
        }
    }

    /// Reads the member key at `i` (after whitespace) and its `:`; returns the offset after
    /// the colon and the key's span and name.
    fn member_key(
        &mut self,
        text: &str,
        i: usize,
    ) -> Option<(usize, (Span, std::ops::Range<usize>))> {
        let bytes = text.as_bytes();
        let start = skip_json_whitespace(bytes, i);
        if bytes.get(start) != Some(&b'"') {
            return None;
        }
        let end = string_end(bytes, start)?;
        let raw = text.get(start + 1..end - 1)?;
        let from = self.names.len();
        if raw.contains('\\') {
            self.names
                .push_str(&serde_json::from_str::<String>(&text[start..end]).ok()?);
        } else {
            self.names.push_str(raw);
        }
        let colon = skip_json_whitespace(bytes, end);
        if bytes.get(colon) != Some(&b':') {
            return None;
        }
        Some((colon + 1, (Span::new(start, end), from..self.names.len())))
    }

    fn name(&self, node: usize) -> &str {
        &self.names[self.nodes[node].name.clone()]
    }

    /// Records the repeated keys of a just-closed object (each against the occurrence just
    /// before it), and sorts the members of a large one for lookups.
    fn close_object(&mut self, object: usize) {
        let members = self.nodes[object].children.clone();
        let mut repeats: Vec<(usize, usize)> = Vec::new();
        if members.len() > Self::SORTED_FROM {
            let mut order: Vec<usize> = self.children[members].to_vec();
            // Stable: equal keys stay in text order.
            order.sort_by(|&a, &b| self.name(a).cmp(self.name(b)));
            if !self.skip_duplicates {
                repeats.extend(
                    order
                        .windows(2)
                        .filter(|pair| self.name(pair[0]) == self.name(pair[1]))
                        .map(|pair| (pair[0], pair[1])),
                );
            }
            self.nodes[object].sorted = Some(self.sorted.len());
            self.sorted.extend(order);
        } else if !self.skip_duplicates {
            let members = &self.children[members];
            for (j, &second) in members.iter().enumerate() {
                if let Some(&first) = members[..j]
                    .iter()
                    .rev()
                    .find(|&&first| self.name(first) == self.name(second))
                {
                    repeats.push((first, second));
                }
            }
        }
        if repeats.is_empty() {
            return;
        }
        let pointer = self.pointer(object);
        for (first, second) in repeats {
            let (Some(first_key), Some(second_key)) =
                (self.nodes[first].spans.key, self.nodes[second].spans.key)
            else {
                continue;
            };
            self.duplicates.push(DuplicateKey {
                object: pointer.clone(),
                key: self.name(second).to_string(),
                first: first_key,
                second: second_key,
                member: Span::new(second_key.start, self.nodes[second].spans.value.end),
            });
        }
    }

    /// The JSON pointer of `node`.
    fn pointer(&self, node: usize) -> String {
        let mut tokens = Vec::new();
        let mut current = node;
        while let Some(parent) = self.nodes[current].parent {
            tokens.push(match self.nodes[parent].kind {
                Kind::Object => escape_token(self.name(current)).into_owned(),
                _ => self.nodes[current].slot.to_string(),
            });
            current = parent;
        }
        tokens
            .iter()
            .rev()
            .fold(String::new(), |mut pointer, token| {
                pointer.push('/');
                pointer.push_str(token);
                pointer
            })
    }

    /// The spans of the value at `pointer`. Where repeated keys make several values answer
    /// to one pointer, the last in the text wins, as in serde_json.
    pub fn get(&self, pointer: &str) -> Option<NodeSpans> {
        if self.nodes.is_empty() {
            return None;
        }
        if pointer.is_empty() {
            return Some(self.nodes[0].spans);
        }
        let tokens: Vec<&str> = pointer.strip_prefix('/')?.split('/').collect();
        // Depth first over the values that match so far, later ones first: the first full
        // match is then the last in the text. Without repeated keys there is one candidate.
        let mut candidates = vec![(0usize, 0usize)];
        while let Some((node, depth)) = candidates.pop() {
            let Some(token) = tokens.get(depth) else {
                return Some(self.nodes[node].spans);
            };
            let children = &self.children[self.nodes[node].children.clone()];
            match self.nodes[node].kind {
                Kind::Array => {
                    if let Some(&child) = index_token(token).and_then(|i| children.get(i)) {
                        candidates.push((child, depth + 1));
                    }
                }
                Kind::Object => {
                    let Some(name) = unescape_token(token) else {
                        continue;
                    };
                    let matching: &[usize] = match self.nodes[node].sorted {
                        Some(from) => {
                            let sorted = &self.sorted[from..from + children.len()];
                            let low = sorted.partition_point(|&c| self.name(c) < name.as_ref());
                            let high = sorted.partition_point(|&c| self.name(c) <= name.as_ref());
                            &sorted[low..high]
                        }
                        None => children,
                    };
                    candidates.extend(
                        matching
                            .iter()
                            .filter(|&&c| self.name(c) == name)
                            .map(|&c| (c, depth + 1)),
                    );
                }
                Kind::Scalar => {}
            }
        }
        None
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

fn skip_json_whitespace(bytes: &[u8], mut i: usize) -> usize {
    while bytes
        .get(i)
        .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        i += 1;
    }
    i
}

/// One past the closing quote of the string whose opening quote is at `start`.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::{LineIndex, Position};
    use crate::tree::parse;

    fn value_text<'a>(text: &'a str, pointer: &str) -> &'a str {
        let index = SpanIndex::build(text).expect("index");
        let span = index.locate(pointer, Target::Value).expect("span");
        &text[span.start..span.end]
    }

    #[test]
    fn a_rebuilt_index_answers_as_a_fresh_one() {
        let first = r#"{"a": {"b": [1, 2, 3]}, "a": 2, "c": "x"}"#;
        let second = r#"{"c": [true], "d": {"e": null}}"#;
        let mut index = SpanIndex::build(first).expect("index");
        assert_eq!(index.duplicates.len(), 1);
        assert!(index.rebuild(second, true));
        let fresh = SpanIndex::build(second).expect("index");
        for pointer in ["", "/c", "/c/0", "/d", "/d/e", "/a", "/a/b/2"] {
            for target in [Target::Value, Target::Key, Target::Open] {
                assert_eq!(index.locate(pointer, target), fresh.locate(pointer, target));
            }
        }
        assert!(index.duplicates.is_empty());
        // Not one document: left empty, as a failed build would be.
        assert!(!index.rebuild("{\"a\": ", true));
        assert_eq!(index.get(""), None);
        // Told there are no repeated keys, it does not look for them; lookups are the same.
        let repeated = r#"{"a": 1, "a": 2, "b": {"c": [1]}}"#;
        assert!(index.rebuild(repeated, false));
        assert!(index.duplicates.is_empty());
        let fresh = SpanIndex::build(repeated).expect("index");
        assert_eq!(fresh.duplicates.len(), 1);
        for pointer in ["", "/a", "/b/c/0"] {
            assert_eq!(
                index.locate(pointer, Target::Value),
                fresh.locate(pointer, Target::Value)
            );
        }
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
    fn repeated_keys_resolve_to_the_last_value_that_has_the_pointer() {
        // `/a/c` is only in the first `a`: it is still found there, as before any lookup
        // knew about repeated keys; `/a/b` is in both, and the last wins.
        let text = r#"{"a": {"b": 1, "c": 2}, "a": {"b": 3}}"#;
        assert_eq!(value_text(text, "/a/b"), "3");
        assert_eq!(value_text(text, "/a/c"), "2");
        assert_eq!(value_text(text, "/a"), r#"{"b": 3}"#);
    }

    #[test]
    fn tokens_match_only_as_escape_token_and_indices_write_them() {
        let text = r#"{"a": [10, 11], "~2": 1}"#;
        let index = SpanIndex::build(text).expect("index");
        assert!(index.get("/a/1").is_some());
        assert_eq!(index.get("/a/01"), None);
        assert_eq!(index.get("/a/-"), None);
        assert_eq!(index.get("/~2"), None);
        assert_eq!(index.get("a"), None);
        assert_eq!(index.get("/a/0/x"), None);
    }

    #[test]
    fn large_objects_find_members_and_repeated_keys() {
        let members: Vec<String> = (0..100).map(|i| format!("\"k{}\": {i}", i % 40)).collect();
        let text = format!("{{{}}}", members.join(", "));
        let index = SpanIndex::build(&text).expect("index");
        // `k5` is at 5, 45 and 85: the last value wins, each repeat names the one before.
        assert_eq!(value_text(&text, "/k5"), "85");
        assert_eq!(value_text(&text, "/k39"), "79");
        assert_eq!(index.get("/k40"), None);
        assert_eq!(index.duplicates.len(), 60);
        let k5: Vec<&DuplicateKey> = index.duplicates.iter().filter(|d| d.key == "k5").collect();
        assert_eq!(k5.len(), 2);
        assert_eq!(k5[0].second, k5[1].first);
        assert!(index
            .duplicates
            .windows(2)
            .all(|pair| pair[0].second.start < pair[1].second.start));
    }

    #[test]
    fn text_that_is_not_one_json_document_has_no_index() {
        for text in ["", "{", "[1,]", "{\"a\" 1}", "{} {}", "{\"a\": 1,}", "\"x"] {
            assert!(SpanIndex::build(text).is_none(), "{text}");
        }
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
}
