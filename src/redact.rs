//! Secrets never leave connlint: which values are credentials, and how to show them.
//!
//! Two views: [`is_secret_pointer`] decides from a JSON pointer (for messages built from a
//! parsed value), and [`secret_spans`] finds secret values in raw text — even text that is
//! not valid JSON — so that no source snippet can show one. Both use the same key test.

use std::borrow::Cow;

use crate::pointer::unescape_token;
use crate::span::Span;

/// True when a member named `key` holds a credential, in any casing (`access_token`,
/// `accessToken`, `ACCESS-TOKEN`) — SDK-cased keys are a common mistake and still secret.
pub fn is_secret_key(key: &str) -> bool {
    // This runs for every key of every file with a finding, and for every token of every
    // pointer a message is built for: an ordinary key (ASCII, not very long) is normalised
    // into a buffer on the stack, without allocating.
    let mut buffer = [0u8; 64];
    let mut len = 0;
    for byte in key.bytes() {
        if matches!(byte, b'_' | b'-' | b' ') {
            continue;
        }
        if !byte.is_ascii() || len == buffer.len() {
            let normalized: Vec<char> = key
                .chars()
                .filter(|c| !matches!(c, '_' | '-' | ' '))
                .flat_map(char::to_lowercase)
                .collect();
            return is_secret_name(&normalized);
        }
        buffer[len] = byte.to_ascii_lowercase();
        len += 1;
    }
    is_secret_name(&buffer[..len])
}

/// [`is_secret_key`] for a key already normalised: separators dropped, lowercased, as bytes
/// (an ASCII key) or characters.
fn is_secret_name<T: Copy + Into<u32>>(name: &[T]) -> bool {
    let ends_with = |word: &str| {
        name.len() >= word.len() && same_text(&name[name.len() - word.len()..], word.as_bytes())
    };
    [
        "key",
        "pem",
        "otherauthinfo",
        "authorization",
        "bearer",
        "credentials",
        "privatekey",
    ]
    .iter()
    .any(|word| same_text(name, word.as_bytes()))
        || [
            "token",
            "secret",
            "password",
            "passwd",
            "apikey",
            "privatekey",
        ]
        .iter()
        .any(|suffix| ends_with(suffix))
        // A misspelt credential name (`acess_token`, `client_secert`) still holds the
        // credential, and it is exactly the file connlint reports with a snippet.
        || MISSPELT.iter().any(|word| ends_near(name, word))
}

/// Whether `text` (bytes or characters) spells `word` (ASCII).
fn same_text<T: Copy + Into<u32>>(text: &[T], word: &[u8]) -> bool {
    text.len() == word.len()
        && text
            .iter()
            .zip(word)
            .all(|(&c, &b)| c.into() == u32::from(b))
}

/// Secret names recognised one typo away (at the end of a key). Short ones (`key`, `pem`)
/// are not: one edit from them is too many ordinary words.
const MISSPELT: &[&str] = &[
    "token",
    "secret",
    "password",
    "passwd",
    "apikey",
    "privatekey",
    "otherauthinfo",
    "credentials",
    "authorization",
];

/// Whether `name` ends with something one edit (Damerau–Levenshtein) from `word` (ASCII).
fn ends_near<T: Copy + Into<u32>>(name: &[T], word: &str) -> bool {
    let word = word.as_bytes(); // the words are ASCII
    let len = word.len();
    // One edit leaves one of the word's last two characters among the name's last two
    // (kept, substituted before it, inserted after it, deleted, or swapped): most keys fail
    // this before any comparison of the whole word.
    let (Some(&last), Some(&before)) = (word.last(), word.get(len.wrapping_sub(2))) else {
        return false;
    };
    let near_end = name[name.len().saturating_sub(2)..].iter().any(|&c| {
        let c: u32 = c.into();
        c == u32::from(last) || c == u32::from(before)
    });
    near_end
        && (len - 1..=len + 1)
            .any(|n| n <= name.len() && one_edit_apart(&name[name.len() - n..], word))
}

/// Whether the Damerau–Levenshtein distance of `a` (bytes or characters) and `b` is at most
/// 1, in one pass and without allocating: this runs for every key of every file with a
/// finding, and a general distance (a matrix per call) made it most of the cost of checking
/// a failing file. Once the common prefix and suffix are stripped, one edit leaves at most
/// one character on each side, or two swapped neighbours.
fn one_edit_apart<T: Copy + Into<u32>>(a: &[T], b: &[u8]) -> bool {
    let same = |x: &T, y: &u8| (*x).into() == u32::from(*y);
    let prefix = a.iter().zip(b).take_while(|(x, y)| same(x, y)).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| same(x, y))
        .count();
    let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    match (a, b) {
        ([], []) | ([_], []) | ([], [_]) | ([_], [_]) => true,
        ([a0, a1], [b0, b1]) => same(a0, b1) && same(a1, b0),
        _ => false,
    }
}

/// True when the value at `pointer` is (or is inside) a credential: under a secret key at
/// any depth, or anything but an object or null where the `auth` object belongs.
pub fn is_secret_pointer(pointer: &str, value_is_object_or_null: bool) -> bool {
    let mut tokens = pointer
        .split('/')
        .skip(1)
        // A token that no key escapes to is taken as written.
        .map(|t| unescape_token(t).unwrap_or(Cow::Borrowed(t)))
        .peekable();
    while let Some(token) = tokens.next() {
        if is_secret_key(&token) {
            return true;
        }
        if token == "auth" {
            let secret = match tokens.peek() {
                None => !value_is_object_or_null,
                // `"auth": ["…"]`: an array where the auth object belongs.
                Some(next) => next.parse::<usize>().is_ok(),
            };
            if secret {
                return true;
            }
        }
    }
    false
}

/// The redacted form of a secret string: a short prefix when the secret is long enough that
/// the prefix gives nothing away, else `<redacted>`.
pub fn redacted_string(secret: &str) -> String {
    let chars = secret.chars().count();
    if chars >= 16 {
        let prefix: String = secret.chars().take(4).collect();
        format!("\"{prefix}…\"")
    } else {
        "\"<redacted>\"".to_string()
    }
}

/// Byte spans of every secret value in `text` (string contents, numbers, literals), found by a
/// forgiving token scan that works on broken JSON too and never recurses.
///
/// The scan follows the JSON grammar. Until the text breaks it, the scan knows exactly which
/// strings are keys and which are values. Once it breaks it (a deleted quote or colon, a
/// stray character, a string cut by a line end), that knowledge is gone — a lost quote turns
/// every later key into a value and every value into a key — so from there on *every*
/// string and bare word is treated as secret. A line that starts with `{` or `[` starts
/// over (the next document of a JSON Lines file), and a string never runs past a line end
/// (JSON strings cannot hold one), so one broken line cannot unmask the lines after it.
pub fn secret_spans(text: &str) -> Vec<Span> {
    scan(text, false, false)
}

/// [`secret_spans`] for one line of a JSON Lines file, read without the lines before it. A
/// Connection line is an object: a line that starts with anything else (a string, a number,
/// an array) may be the rest of a line broken in two — `"client_secret":` on one line, its
/// value on the next — so everything in it is hidden.
pub fn line_secret_spans(line: &str) -> Vec<Span> {
    scan(line, true, false)
}

/// The spans to hide in a JSON Lines line that follows a line left open (one that ended
/// inside a document, as `{"credentials":` does): it may hold the rest of that document, under
/// a key the line itself does not show, so every string and scalar in it is hidden, keys too.
pub fn continued_line_secret_spans(line: &str) -> Vec<Span> {
    scan(line, true, true)
}

/// The scan behind [`secret_spans`]; `one_line` for [`line_secret_spans`]; `broken_from_start`
/// for [`continued_line_secret_spans`].
fn scan(text: &str, one_line: bool, broken_from_start: bool) -> Vec<Span> {
    #[derive(Clone, Copy)]
    struct Frame {
        secret: bool,
        is_object: bool,
    }
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Expect {
        /// A value: at the top level, after `:`, or after `,` in an array.
        Value,
        /// After `[`: a value or `]`.
        ValueOrClose,
        /// After `{`: a key or `}`.
        KeyOrClose,
        /// After `,` in an object.
        Key,
        /// After a key.
        Colon,
        /// After a value inside an object or array.
        CommaOrClose,
    }
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut expect = Expect::Value;
    // The key whose value comes next (set by `:`), unescaped.
    let mut member_key: Option<Cow<'_, str>> = None;
    let mut last_key: Option<Cow<'_, str>> = None;
    let mut broken = broken_from_start;
    // A byte-order mark is not a token.
    let mut i = if text.starts_with('\u{feff}') { 3 } else { 0 };
    while i < bytes.len() {
        if one_line
            && stack.is_empty()
            && expect == Expect::Value
            && !bytes[i].is_ascii_whitespace()
            && bytes[i] != b'{'
        {
            broken = true;
        }
        let frame_secret = stack.last().is_some_and(|f| f.secret);
        let in_object = stack.last().is_some_and(|f| f.is_object);
        let after_value = if stack.is_empty() {
            Expect::Value
        } else {
            Expect::CommaOrClose
        };
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                let mut j = start;
                let mut escaped = false;
                while j < bytes.len() && !matches!(bytes[j], b'"' | b'\n') {
                    if bytes[j] == b'\\' && bytes.get(j + 1).is_some_and(|&b| b != b'\n') {
                        escaped = true;
                        j += 1;
                    }
                    j += 1;
                }
                let end = j.min(bytes.len());
                let terminated = end < bytes.len() && bytes[end] == b'"';
                // Cut by a line end: the rest of that line cannot be read reliably.
                broken |= end < bytes.len() && !terminated;
                // A key is a string in a key's place *and* followed by `:`; a string in a key's
                // place without one is a value whose key was lost (a deleted `[` or `{`).
                let colon_follows = terminated
                    && bytes[end + 1..]
                        .iter()
                        .find(|b| !b.is_ascii_whitespace())
                        .is_some_and(|&b| b == b':');
                match expect {
                    Expect::KeyOrClose | Expect::Key if !broken && colon_follows => {
                        last_key = Some(key_text(text, start, end, escaped));
                        expect = Expect::Colon;
                    }
                    Expect::Value | Expect::ValueOrClose if !broken => {
                        let secret =
                            frame_secret || value_key_is_secret(member_key.as_deref(), false);
                        if secret {
                            spans.push(Span::new(start, end));
                        }
                        expect = after_value;
                    }
                    _ => {
                        broken = true;
                        spans.push(Span::new(start, end));
                        expect = after_value;
                    }
                }
                member_key = None;
                i = if terminated { end + 1 } else { end };
            }
            b':' => {
                if expect == Expect::Colon {
                    member_key = last_key.take();
                } else {
                    broken = true;
                }
                expect = Expect::Value;
                i += 1;
            }
            open @ (b'{' | b'[') => {
                if !matches!(expect, Expect::Value | Expect::ValueOrClose) {
                    broken = true;
                }
                let is_object = open == b'{';
                let key = member_key.take();
                let auth_object = is_object && key.as_deref() == Some("auth");
                let secret = frame_secret
                    || (!auth_object && value_key_is_secret(key.as_deref(), is_object));
                stack.push(Frame { secret, is_object });
                expect = if is_object {
                    Expect::KeyOrClose
                } else {
                    Expect::ValueOrClose
                };
                i += 1;
            }
            close @ (b'}' | b']') => {
                let fits = match stack.last() {
                    Some(frame) if frame.is_object == (close == b'}') => {
                        matches!(expect, Expect::CommaOrClose)
                            || (close == b'}' && expect == Expect::KeyOrClose)
                            || (close == b']' && expect == Expect::ValueOrClose)
                    }
                    _ => false,
                };
                broken |= !fits;
                stack.pop();
                member_key = None;
                expect = if stack.is_empty() {
                    Expect::Value
                } else {
                    Expect::CommaOrClose
                };
                i += 1;
            }
            b',' => {
                if expect != Expect::CommaOrClose {
                    broken = true;
                }
                member_key = None;
                expect = if in_object {
                    Expect::Key
                } else {
                    Expect::Value
                };
                i += 1;
            }
            b'\n' => {
                i += 1;
                // The next document of a JSON Lines file (or an item of a list printed at
                // column 0): a broken line before it no longer matters.
                if broken && matches!(bytes.get(i), Some(b'{' | b'[')) {
                    broken = false;
                    stack.clear();
                    expect = Expect::Value;
                    member_key = None;
                    last_key = None;
                }
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                // A bare scalar: number, literal, or garbage up to the next delimiter.
                let start = i;
                while i < bytes.len()
                    && !matches!(bytes[i], b',' | b'}' | b']' | b':' | b'"' | b'{' | b'[')
                    && !bytes[i].is_ascii_whitespace()
                {
                    i += 1;
                }
                let word = &text[start..i];
                let literal = matches!(word, "null" | "true" | "false");
                let number = word.starts_with(|c: char| c == '-' || c.is_ascii_digit())
                    && word
                        .bytes()
                        .all(|b| matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'));
                if !(literal || number) || !matches!(expect, Expect::Value | Expect::ValueOrClose) {
                    broken = true;
                }
                let secret = broken
                    || (!literal
                        && (frame_secret || value_key_is_secret(member_key.as_deref(), false)));
                if secret {
                    spans.push(Span::new(start, i));
                }
                member_key = None;
                expect = after_value;
            }
        }
    }
    spans
}

/// The text of the key whose contents are `text[start..end]`, unescaped when it has escapes
/// (`"access\u005ftoken"` is the key `access_token`).
fn key_text(text: &str, start: usize, end: usize, escaped: bool) -> Cow<'_, str> {
    let raw = &text[start..end];
    if !escaped {
        return Cow::Borrowed(raw);
    }
    text.get(start - 1..end + 1)
        .and_then(|quoted| serde_json::from_str::<String>(quoted).ok())
        .map_or(Cow::Borrowed(raw), Cow::Owned)
}

/// Whether the value of a member named `key` is secret. `auth` is secret unless it is an object.
fn value_key_is_secret(key: Option<&str>, is_object: bool) -> bool {
    match key {
        Some("auth") => !is_object,
        Some(k) => is_secret_key(k),
        None => false,
    }
}

/// `text` with every span in `secrets` replaced by its redacted form, and a map from
/// offsets in `text` to offsets in the result (for labels drawn on the redacted text).
#[derive(Debug, Clone)]
pub struct Redacted {
    /// The redacted text.
    pub text: String,
    /// (original span, redacted span) pairs, in order.
    edits: Vec<(Span, Span)>,
}

impl Redacted {
    /// Redacts `secrets` (string contents or bare scalars) in `text`.
    pub fn new(text: &str, secrets: &[Span]) -> Self {
        let mut out = String::with_capacity(text.len());
        let mut edits = Vec::with_capacity(secrets.len());
        let mut cursor = 0;
        for span in secrets {
            if span.start < cursor || span.end > text.len() {
                continue;
            }
            out.push_str(&text[cursor..span.start]);
            let original = &text[span.start..span.end];
            let replacement = redacted_string(original);
            // Strings keep their own quotes in the text; drop the redacted form's quotes there.
            let quoted = span.start > 0 && text.as_bytes()[span.start - 1] == b'"';
            let shown = if quoted {
                &replacement[1..replacement.len() - 1]
            } else {
                replacement.as_str()
            };
            let new_start = out.len();
            out.push_str(shown);
            edits.push((*span, Span::new(new_start, out.len())));
            cursor = span.end;
        }
        out.push_str(&text[cursor..]);
        Self { text: out, edits }
    }

    /// The offset in the redacted text that corresponds to `offset` in the original.
    pub fn map_offset(&self, offset: usize) -> usize {
        // A binary search, not a walk over every edit: a file with 100,000 secrets and as
        // many diagnostics would otherwise take quadratic time to render.
        let before = self
            .edits
            .partition_point(|(original, _)| original.start < offset);
        let Some((original, redacted)) = before.checked_sub(1).map(|i| self.edits[i]) else {
            return offset;
        };
        if offset < original.end {
            return redacted.start; // inside a secret: point at its redacted form
        }
        // Past this edit (and every earlier one): shift by where this one's end moved.
        (offset - original.end).saturating_add(redacted.end)
    }

    /// A span of the original text mapped onto the redacted text.
    pub fn map_span(&self, span: Span) -> Span {
        let start = self.map_offset(span.start);
        let end = self.map_offset(span.end).max(start);
        // A span ending right at a secret's end must cover its redacted form too.
        let end = self
            .edits
            .binary_search_by_key(&span.end, |(original, _)| original.end)
            .map_or(end, |i| self.edits[i].1.end.max(start));
        Span::new(start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `word` with one edit at `at` (counted from the end): `kind` 0 keeps it, 1 substitutes
    /// `letter`, 2 inserts it, 3 deletes, 4 swaps with the next character.
    fn edited(word: &str, kind: u8, at: usize, letter: char) -> String {
        let mut chars: Vec<char> = word.chars().collect();
        let i = chars.len() - 1 - at.min(chars.len() - 1);
        match kind {
            1 => chars[i] = letter,
            2 => chars.insert(i + 1, letter),
            3 => {
                chars.remove(i);
            }
            4 if i + 1 < chars.len() => chars.swap(i, i + 1),
            _ => {}
        }
        chars.into_iter().collect()
    }

    proptest::proptest! {
        /// The two-character filter in `ends_near` only skips names that no full comparison
        /// would have matched: names near every secret word, edited anywhere, and unrelated.
        #[test]
        fn ends_near_agrees_with_comparing_every_ending(
            prefix in "[a-z]{0,4}",
            word in 0..MISSPELT.len(),
            kind in 0u8..6,
            at in 0usize..4,
            letter in proptest::char::range('a', 'z'),
            unrelated in "[a-z]{0,14}",
        ) {
            for name in [format!("{prefix}{}", edited(MISSPELT[word], kind, at, letter)), unrelated] {
                let bytes = name.as_bytes();
                for word in MISSPELT {
                    let len = word.len();
                    let every_ending = (len - 1..=len + 1).any(|n| {
                        n <= bytes.len() && one_edit_apart(&bytes[bytes.len() - n..], word.as_bytes())
                    });
                    proptest::prop_assert_eq!(ends_near(bytes, word), every_ending, "{} {}", name, word);
                }
            }
        }
    }

    #[test]
    fn ends_near_finds_every_kind_of_edit_at_the_end() {
        for name in [
            "acesstoken",
            "tokne",
            "toke",
            "tokenx",
            "tokem",
            "clientsecert",
            "passwrd",
        ] {
            assert!(
                MISSPELT.iter().any(|w| ends_near(name.as_bytes(), w)),
                "{name}"
            );
        }
        assert!(!MISSPELT.iter().any(|w| ends_near(b"ispaused", w)));
    }

    fn secrets(text: &str) -> Vec<&str> {
        secret_spans(text)
            .into_iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn finds_auth_secrets_in_any_casing() {
        let text = r#"{"auth": {"access_token": "at_1", "accessToken": "at_2", "name": "Jo", "token_url": "u", "other_auth_info": ["a", "b"]}}"#;
        assert_eq!(secrets(text), vec!["at_1", "at_2", "a", "b"]);
    }

    #[test]
    fn auth_that_is_not_an_object_is_secret() {
        assert_eq!(secrets(r#"{"auth": "Bearer abc"}"#), vec!["Bearer abc"]);
        assert_eq!(secrets(r#"{"auth": ["x", 1]}"#), vec!["x", "1"]);
        assert!(secrets(r#"{"auth": null}"#).is_empty());
    }

    #[test]
    fn works_on_broken_json_and_numbers() {
        assert_eq!(
            secrets(r#"{"pem": 12345, "key": "k1" "#),
            vec!["12345", "k1"]
        );
        assert_eq!(secrets(r#"[{"client_secret": "s\"x"}"#), vec![r#"s\"x"#]);
    }

    #[test]
    fn a_broken_line_does_not_unmask_the_next_one() {
        // An unterminated string on line 1 must not pair with the quote that opens line 2's
        // key, which would turn the secret into a key and the key into a value.
        let text = "{\"a\": \"open\n{\"access_token\": \"at_9\"}\n";
        assert!(secrets(text).contains(&"at_9"), "{:?}", secrets(text));
    }

    #[test]
    fn after_the_text_breaks_the_grammar_every_word_is_hidden() {
        // The opening quote of the first value was deleted: the scan can no longer tell
        // keys from values, so from there on everything is hidden.
        let text = r#"{"name": Jo", "access_token": "at_9", "n": 1}"#;
        let found = secrets(text);
        assert!(
            found.contains(&"at_9") && found.contains(&"Jo"),
            "{found:?}"
        );
        // A deleted `[`: a value sits where a key belongs, with no `:` after it.
        let text = r#"{"other_auth_info": "a1", "b2"], "n": 1}"#;
        assert!(secrets(text).contains(&"b2"), "{:?}", secrets(text));
        // A deleted `:`.
        assert!(secrets(r#"{"pem" "p1"}"#).contains(&"p1"));
    }

    #[test]
    fn a_json_lines_line_that_is_not_an_object_is_hidden() {
        // The value of `client_secret` moved to a line of its own by a stray newline.
        let line = r#""cs_1", "expires_in": 1}"#;
        assert_eq!(line_secret_spans(line).first(), Some(&Span::new(1, 5)));
        let line = r#"["oa_1", "oa_2"]},"n": 1}"#;
        let found: Vec<&str> = line_secret_spans(line)
            .into_iter()
            .map(|s| &line[s.start..s.end])
            .collect();
        assert!(
            found.contains(&"oa_1") && found.contains(&"oa_2"),
            "{found:?}"
        );
        // A line that is an object is read as usual.
        let line = r#"{"name": "Jo", "token": "t1"}"#;
        assert_eq!(line_secret_spans(line), secret_spans(line));
        assert_eq!(line_secret_spans(line), vec![Span::new(25, 27)]);
    }

    #[test]
    fn valid_json_is_read_exactly() {
        let text = "\u{feff}{\"a\": [1, \"x\", {\"b\": null}], \"token\": \"t1\", \"c\": -2.5e3}\n{\"d\": \"y\"}";
        assert_eq!(secrets(text), vec!["t1"]);
    }

    #[test]
    fn escaped_and_misspelt_secret_keys_are_secret() {
        assert_eq!(secrets(r#"{"access\u005ftoken": "at_1"}"#), vec!["at_1"]);
        for key in [
            "acess_token",
            "client_secert",
            "other_auth_inf",
            "pasword",
            "accessTokens",
        ] {
            assert!(is_secret_key(key), "{key}");
        }
        for key in [
            "api_url",
            "app_id",
            "authorize_url",
            "client_id",
            "consumer_key",
            "emails",
            "expires_in",
            "expiry_date",
            "meta",
            "name",
            "refresh_token_expires_date",
            "refresh_token_expires_in",
            "state",
            "token_url",
            "categories",
            "created_at",
            "environment",
            "external_xref",
            "id",
            "integration_type",
            "is_paused",
            "permissions",
            "updated_at",
            "workspace_id",
            "auth_aws_arn",
        ] {
            assert!(!is_secret_key(key), "{key}");
        }
    }

    #[test]
    fn map_offset_and_map_span_agree_with_a_walk() {
        let text = r#"{"token": "abcdefghijklmnopqrstuvwxyz", "key": "k", "pem": 12, "n": 1}"#;
        let spans = secret_spans(text);
        let redacted = Redacted::new(text, &spans);
        for offset in 0..=text.len() {
            let mut expected = offset as isize;
            for (original, shown) in &redacted.edits {
                if offset <= original.start {
                    break;
                }
                if offset < original.end {
                    expected = shown.start as isize;
                    break;
                }
                expected += shown.len() as isize - original.len() as isize;
            }
            assert_eq!(redacted.map_offset(offset) as isize, expected, "{offset}");
        }
    }

    #[test]
    fn redaction_keeps_short_prefix_only_for_long_secrets() {
        assert_eq!(redacted_string("at_FAKE0123456789abcdef"), "\"at_F…\"");
        assert_eq!(redacted_string("short"), "\"<redacted>\"");
    }

    #[test]
    fn redacted_text_maps_offsets() {
        let text = r#"{"token": "abcdefghijklmnopqrstuvwxyz", "n": 1}"#;
        let redacted = Redacted::new(text, &secret_spans(text));
        assert_eq!(redacted.text, r#"{"token": "abcd…", "n": 1}"#);
        let one = text.find('1').unwrap_or_default();
        assert_eq!(
            &redacted.text[redacted.map_offset(one)..redacted.map_offset(one) + 1],
            "1"
        );
    }

    #[test]
    fn one_edit_apart_matches_damerau_levenshtein_within_one() {
        let words = [
            "token", "tokne", "tkoen", "toke", "tokens", "xoken", "taken", "tok", "", "t", "okent",
            "tokenn",
        ];
        for a in words {
            for b in words {
                let chars: Vec<char> = a.chars().collect();
                assert_eq!(
                    one_edit_apart(&chars, b.as_bytes()),
                    strsim::damerau_levenshtein(a, b) <= 1,
                    "{a} / {b}"
                );
            }
        }
    }

    #[test]
    fn secret_pointers() {
        assert!(is_secret_pointer("/auth/access_token", false));
        assert!(is_secret_pointer("/0/auth/other_auth_info/1", false));
        assert!(is_secret_pointer("/auth", false));
        assert!(!is_secret_pointer("/auth", true));
        assert!(!is_secret_pointer("/auth/expires_in", false));
        assert!(!is_secret_pointer("/integration_type", false));
        assert!(is_secret_pointer("/auth/0", false));
    }
}
