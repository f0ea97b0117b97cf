//! Where a cursor is in a JSON document that may be half typed: the keys and indices that
//! lead to it, whether a key or a value belongs there, the string or word under it, and the
//! keys and string items already in the object or array around it.
//!
//! A forgiving token scan, not a parse: hover and completion must work while the document
//! is broken (`"permissions": ["crm_co` has no closing quote, bracket or brace). Like the
//! redaction scan, a string never runs past a line end, nothing recurses (the container
//! stack is a `Vec`), and a stray token is stepped over. It never reports values to anyone:
//! callers turn what it finds into model names.

/// One step of the path to the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Segment {
    /// A member of an object, by its (unescaped) key.
    Key(String),
    /// An item of an array.
    Index(usize),
}

/// What is under the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Token {
    /// The token's text, unescaped for strings (without quotes).
    pub(super) text: String,
    /// Its byte range, quotes included for strings.
    pub(super) span: (usize, usize),
    /// Its contents' byte range (inside the quotes for a string).
    pub(super) inner: (usize, usize),
    /// Whether it is a string.
    pub(super) quoted: bool,
}

/// What the cursor's place is in the document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Cursor {
    /// The containers from the root to the innermost one holding the cursor.
    pub(super) path: Vec<Segment>,
    /// Whether the innermost container is an object (`false`: an array, or the top level).
    pub(super) in_object: bool,
    /// Whether a key belongs at the cursor (or the token under it is a key).
    pub(super) at_key: bool,
    /// The key whose value the cursor is on (after `"key":`), if any.
    pub(super) value_of: Option<String>,
    /// The token under (or just before) the cursor.
    pub(super) token: Option<Token>,
    /// Keys of the innermost object, before and after the cursor, except the token's own.
    pub(super) keys: Vec<String>,
    /// String items of the innermost array, before and after the cursor, except the token's own.
    pub(super) items: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Value,
    Key,
    Colon,
    Comma,
}

#[derive(Debug)]
struct Frame {
    object: bool,
    /// Items seen so far (for indices).
    count: usize,
    /// Keys (object) or string items (array) seen.
    seen: Vec<String>,
    /// How this container was reached from its parent.
    segment: Option<Segment>,
}

/// The cursor at byte `offset` of `text` (a whole document; for a JSON Lines file, pass its line).
pub(super) fn at(text: &str, offset: usize) -> Cursor {
    let bytes = text.as_bytes();
    let offset = offset.min(text.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut expect = Expect::Value;
    let mut pending_key: Option<String> = None;
    let mut member_key: Option<String> = None;
    let mut found: Option<(Cursor, usize)> = None;
    let mut i = 0usize;
    // The state at the cursor is taken when the scan first reaches or passes it; the scan
    // then goes on only to collect the rest of that container's keys or items.
    let snapshot = |stack: &[Frame],
                    expect: Expect,
                    member_key: &Option<String>,
                    token: Option<Token>|
     -> Cursor {
        let in_object = stack.last().is_some_and(|f| f.object);
        let at_key = in_object && matches!(expect, Expect::Key | Expect::Colon);
        Cursor {
            path: stack.iter().filter_map(|f| f.segment.clone()).collect(),
            in_object,
            at_key,
            value_of: if at_key { None } else { member_key.clone() },
            token,
            keys: Vec::new(),
            items: Vec::new(),
        }
    };
    while i < bytes.len() {
        if found.is_none() && i >= offset {
            found = Some((snapshot(&stack, expect, &member_key, None), stack.len()));
        }
        if let Some((_, depth)) = &found {
            if stack.len() < *depth {
                break;
            }
        }
        match bytes[i] {
            b'"' => {
                let start = i;
                let (j, closed) = string_end(bytes, i);
                let end = if closed { j + 1 } else { j };
                let raw = &text[start + 1..j];
                let value = unescape(raw);
                let token = Token {
                    text: value.clone(),
                    span: (start, end),
                    inner: (start + 1, j),
                    quoted: true,
                };
                let is_key = match expect {
                    Expect::Key => true,
                    // `{"a" "b"`: a string where a key or value was due.
                    Expect::Value => false,
                    _ => stack.last().is_some_and(|f| f.object),
                };
                // The cursor is on this string: inside it, or right after an unclosed one.
                let on_it = found.is_none()
                    && offset > start
                    && (offset < end || (!closed && offset <= end));
                if on_it {
                    let mut cursor = snapshot(
                        &stack,
                        if is_key { Expect::Key } else { Expect::Value },
                        &member_key,
                        Some(token),
                    );
                    if is_key {
                        cursor.at_key = cursor.in_object;
                        cursor.value_of = None;
                    }
                    found = Some((cursor, stack.len()));
                } else if let Some(frame) = stack.last_mut() {
                    // Keys of an object, string items of an array.
                    if is_key == frame.object {
                        frame.seen.push(value.clone());
                    }
                }
                if is_key {
                    pending_key = Some(value);
                    expect = Expect::Colon;
                } else {
                    member_key = None;
                    expect = Expect::Comma;
                }
                i = end;
            }
            b':' => {
                member_key = pending_key.take();
                expect = Expect::Value;
                i += 1;
            }
            open @ (b'{' | b'[') => {
                let parent = stack.last();
                let segment = match parent {
                    Some(p) if p.object => member_key.take().map(Segment::Key),
                    Some(p) => Some(Segment::Index(p.count)),
                    None => None,
                };
                stack.push(Frame {
                    object: open == b'{',
                    count: 0,
                    seen: Vec::new(),
                    segment,
                });
                expect = if open == b'{' {
                    Expect::Key
                } else {
                    Expect::Value
                };
                member_key = None;
                i += 1;
            }
            b'}' | b']' => {
                let closing = stack.pop();
                if let (Some(closing), Some((cursor, depth))) = (&closing, &mut found) {
                    if stack.len() + 1 == *depth {
                        let seen = closing.seen.clone();
                        if closing.object {
                            cursor.keys = seen;
                        } else {
                            cursor.items = seen;
                        }
                        break;
                    }
                }
                member_key = None;
                expect = Expect::Comma;
                i += 1;
            }
            b',' => {
                expect = after_comma(&mut stack);
                member_key = None;
                pending_key = None;
                i += 1;
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                let start = i;
                i = bare_word_end(bytes, i);
                // Step over a stray byte that is not ASCII one whole character at a time.
                while i < bytes.len() && !text.is_char_boundary(i) {
                    i += 1;
                }
                if found.is_none() && offset > start && offset <= i {
                    let token = Token {
                        text: text[start..i].to_string(),
                        span: (start, i),
                        inner: (start, i),
                        quoted: false,
                    };
                    found = Some((
                        snapshot(&stack, expect, &member_key, Some(token)),
                        stack.len(),
                    ));
                }
                member_key = None;
                expect = Expect::Comma;
            }
        }
    }
    let (mut cursor, depth) =
        found.unwrap_or_else(|| (snapshot(&stack, expect, &member_key, None), stack.len()));
    // The container was left open (half typed): what was seen of it is all there is.
    if cursor.keys.is_empty() && cursor.items.is_empty() && depth > 0 && stack.len() >= depth {
        let frame = &stack[depth - 1];
        if frame.object {
            cursor.keys = frame.seen.clone();
        } else {
            cursor.items = frame.seen.clone();
        }
    }
    cursor
}

/// The string items of the first array at `path` (from the root), in one pass over `text`,
/// by the same forgiving scan as [`at`]. Completion asks this for a sibling list; looking
/// the list up with [`at`] once per `"categories"` in the text took quadratic time.
pub(super) fn items_at(text: &str, path: &[Segment]) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut expect = Expect::Value;
    let mut pending_key: Option<String> = None;
    let mut member_key: Option<String> = None;
    // The depth of the array being collected, once it is found.
    let mut collecting: Option<usize> = None;
    let mut items = Vec::new();
    let mut i = 0usize;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i;
                let (j, closed) = string_end(bytes, i);
                let value = unescape(&text[start + 1..j]);
                let is_key = match expect {
                    Expect::Key => true,
                    Expect::Value => false,
                    _ => stack.last().is_some_and(|f| f.object),
                };
                if is_key {
                    pending_key = Some(value);
                    expect = Expect::Colon;
                } else {
                    if collecting == Some(stack.len()) {
                        items.push(value);
                    }
                    member_key = None;
                    expect = Expect::Comma;
                }
                i = if closed { j + 1 } else { j };
            }
            b':' => {
                member_key = pending_key.take();
                expect = Expect::Value;
                i += 1;
            }
            open @ (b'{' | b'[') => {
                let segment = match stack.last() {
                    Some(p) if p.object => member_key.take().map(Segment::Key),
                    Some(p) => Some(Segment::Index(p.count)),
                    None => None,
                };
                stack.push(Frame {
                    object: open == b'{',
                    count: 0,
                    seen: Vec::new(),
                    segment,
                });
                // Compared only when the depth fits, so deep nesting stays linear.
                if collecting.is_none()
                    && open == b'['
                    && stack.len() == path.len() + 1
                    && stack
                        .iter()
                        .skip(1)
                        .zip(path)
                        .all(|(f, s)| f.segment.as_ref() == Some(s))
                {
                    collecting = Some(stack.len());
                }
                expect = if open == b'{' {
                    Expect::Key
                } else {
                    Expect::Value
                };
                member_key = None;
                i += 1;
            }
            b'}' | b']' => {
                if collecting == Some(stack.len()) {
                    return items;
                }
                stack.pop();
                member_key = None;
                expect = Expect::Comma;
                i += 1;
            }
            b',' => {
                expect = after_comma(&mut stack);
                member_key = None;
                pending_key = None;
                i += 1;
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                i = bare_word_end(bytes, i);
                member_key = None;
                expect = Expect::Comma;
            }
        }
    }
    items
}

/// Where the string whose opening quote is at `start` ends: the offset of its closing
/// quote (or of the line end or text end that cuts it), and whether it is closed. A string
/// never runs past a line end, as in the redaction scan: a half-typed one ends there.
fn string_end(bytes: &[u8], start: usize) -> (usize, bool) {
    let mut j = start + 1;
    while j < bytes.len() && !matches!(bytes[j], b'"' | b'\n' | b'\r') {
        if bytes[j] == b'\\' && j + 1 < bytes.len() && !matches!(bytes[j + 1], b'\n' | b'\r') {
            j += 1;
        }
        j += 1;
    }
    let j = j.min(bytes.len());
    (j, j < bytes.len() && bytes[j] == b'"')
}

/// A JSON string's contents unescaped (forgiving: a bad escape is kept as written).
fn unescape(raw: &str) -> String {
    if !raw.contains('\\') {
        return raw.to_string();
    }
    serde_json::from_str::<String>(&format!("\"{raw}\"")).unwrap_or_else(|_| raw.to_string())
}

/// What a comma expects next: a key in an object, a value in an array or at the top level;
/// it also counts the member or item it ends.
fn after_comma(stack: &mut [Frame]) -> Expect {
    match stack.last_mut() {
        Some(frame) => {
            frame.count += 1;
            if frame.object {
                Expect::Key
            } else {
                Expect::Value
            }
        }
        None => Expect::Value,
    }
}

/// Where a bare word (a number, `true`, a typo) that starts at `i` ends: at the next
/// structural character, quote or whitespace.
fn bare_word_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len()
        && !matches!(bytes[i], b',' | b'}' | b']' | b':' | b'"' | b'{' | b'[')
        && !bytes[i].is_ascii_whitespace()
    {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cursor(marked: &str) -> Cursor {
        let offset = marked.find('|').expect("a | marks the cursor");
        let text = marked.replacen('|', "", 1);
        at(&text, offset)
    }

    fn keys(path: &[Segment]) -> Vec<String> {
        path.iter()
            .map(|s| match s {
                Segment::Key(k) => k.clone(),
                Segment::Index(i) => i.to_string(),
            })
            .collect()
    }

    #[test]
    fn a_half_typed_permission_is_a_value_of_permissions() {
        let c =
            cursor("{\"categories\": [\"crm\"], \"permissions\": [\"crm_contact_read\", \"crm_co|");
        assert_eq!(keys(&c.path), vec!["permissions"]);
        assert!(!c.at_key);
        assert_eq!(c.token.as_ref().map(|t| t.text.as_str()), Some("crm_co"));
        assert_eq!(c.items, vec!["crm_contact_read"]);
    }

    #[test]
    fn keys_before_and_after_the_cursor_are_collected() {
        let c =
            cursor("{\"id\": \"x\", \"au|\n, \"permissions\": [], \"auth\": {\"token\": \"t\"}}");
        assert!(c.at_key);
        assert_eq!(c.token.as_ref().map(|t| t.text.as_str()), Some("au"));
        assert_eq!(c.keys, vec!["id", "permissions", "auth"]);
        let c = cursor("[{\"a\": 1}, {\"auth\": {|}}]");
        assert_eq!(keys(&c.path), vec!["1", "auth"]);
        assert!(c.at_key && c.in_object);
    }

    #[test]
    fn a_key_under_the_cursor_and_a_value_of_a_key() {
        let c = cursor("{\"auth\": {\"access_t|oken\": \"secret-value\"}}");
        assert!(c.at_key);
        assert_eq!(keys(&c.path), vec!["auth"]);
        assert_eq!(
            c.token.as_ref().map(|t| t.text.as_str()),
            Some("access_token")
        );
        let c = cursor("{\"is_paused\": tr|ue}");
        assert!(!c.at_key);
        assert_eq!(c.value_of.as_deref(), Some("is_paused"));
    }

    #[test]
    fn items_at_finds_the_list_of_one_connection_only() {
        let text = "[{\"categories\": [\"crm\"]}, {\"x\": {\"categories\": [\"hris\"]}, \
                    \"categories\": [\"ats\", \"ticketing\", 3], \"permissions\": [\"";
        let path = |i| vec![Segment::Index(i), Segment::Key("categories".to_string())];
        assert_eq!(items_at(text, &path(0)), vec!["crm"]);
        assert_eq!(items_at(text, &path(1)), vec!["ats", "ticketing"]);
        assert!(items_at(text, &path(2)).is_empty());
        let object = "{\"categories\": [\"crm\", \"hris\"], \"permissions\": [";
        let top = [Segment::Key("categories".to_string())];
        assert_eq!(items_at(object, &top), vec!["crm", "hris"]);
        // Unclosed: what was seen is all there is; deep nesting is not an error.
        assert_eq!(
            items_at("{\"categories\": [\"crm\", \"hr", &top),
            vec!["crm", "hr"]
        );
        assert!(items_at(&"[".repeat(100_000), &top).is_empty());
    }

    #[test]
    fn binary_and_unbalanced_text_does_not_panic() {
        for text in ["\u{0}\u{1}é\"", "}}]]", "{\"a\\", "[[[[", "\"\\u12", "😀{"] {
            for offset in 0..=text.len() + 2 {
                let _ = at(text, offset);
            }
        }
    }
}
