//! Secret values in raw text, found by a forgiving token scan that works on broken JSON.

use std::borrow::Cow;

use super::is_secret_key;
use crate::span::Span;

/// Byte spans of every secret value in `text` (string contents, numbers, literals), found by a
/// forgiving token scan that works on broken JSON too and never recurses.
///
/// The scan follows the JSON grammar. Until the text breaks it, the scan knows exactly which
/// strings are keys and which are values. Once it breaks it (a deleted quote or colon, a
/// stray character, a string cut by a line end), that knowledge is gone — a lost quote turns
/// every later key into a value and every value into a key — so from there on *every*
/// string and bare word is treated as secret, to the end of the text: nothing after a break
/// can be told apart again (a line that starts with `{` may be a secret value's object). A
/// string never runs past a line end (JSON strings cannot hold one). JSON Lines texts are
/// read line by line instead ([`json_lines_secret_spans`]).
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

/// [`secret_spans`] for a whole JSON Lines text (for `--diff`): each line is read on its own
/// ([`line_secret_spans`]) until a line that is not a whole JSON document; every line after
/// that may belong to it, and nothing here can tell where it ends (the check can: it ends at
/// the next valid Connection), so all of them are hidden whole
/// ([`continued_line_secret_spans`]).
pub fn json_lines_secret_spans(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut open = false;
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if !content.trim().is_empty() {
            let found = if open {
                continued_line_secret_spans(content)
            } else {
                line_secret_spans(content)
            };
            spans.extend(found.into_iter().map(|span| span.shifted(start)));
            open = open || crate::tree::parse(content.trim_start_matches('\u{feff}')).is_err();
        }
        start += line.len();
    }
    spans
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
                        // Inside a secret value, keys are part of the secret too
                        // (`"access_token": {"ghp_…": 1}`).
                        if frame_secret {
                            spans.push(Span::new(start, end));
                        }
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
                let auth_object = is_object && key.as_deref().is_some_and(is_auth);
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
/// (`"access\u005ftoken"` is the key `access_token`). Leniently: a lone surrogate becomes
/// U+FFFD and a raw control character stays, where a JSON parser would reject the whole key
/// and leave its escapes unread.
fn key_text(text: &str, start: usize, end: usize, escaped: bool) -> Cow<'_, str> {
    let raw = &text[start..end];
    if !escaped {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    let mut high: Option<u32> = None;
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.extend(high.take().map(|_| char::REPLACEMENT_CHARACTER));
            out.push(c);
            continue;
        }
        let unit = match chars.next() {
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                u32::from_str_radix(&hex, 16).ok()
            }
            Some(other) => {
                out.extend(high.take().map(|_| char::REPLACEMENT_CHARACTER));
                out.push(match other {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    other => other,
                });
                continue;
            }
            None => None,
        };
        match (high.take(), unit) {
            (Some(first), Some(low @ 0xDC00..=0xDFFF)) => {
                let code = 0x10000 + ((first - 0xD800) << 10) + (low - 0xDC00);
                out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
            }
            (first, Some(unit @ 0xD800..=0xDBFF)) => {
                out.extend(first.map(|_| char::REPLACEMENT_CHARACTER));
                high = Some(unit);
            }
            (first, unit) => {
                out.extend(first.map(|_| char::REPLACEMENT_CHARACTER));
                out.push(
                    unit.and_then(char::from_u32)
                        .unwrap_or(char::REPLACEMENT_CHARACTER),
                );
            }
        }
    }
    out.extend(high.map(|_| char::REPLACEMENT_CHARACTER));
    Cow::Owned(out)
}

/// The `auth` key, in any casing (`Auth` is what a hand-written payload has).
fn is_auth(key: &str) -> bool {
    key.eq_ignore_ascii_case("auth")
}

/// Whether the value of a member named `key` is secret. `auth` is secret unless it is an object.
fn value_key_is_secret(key: Option<&str>, is_object: bool) -> bool {
    match key {
        Some(k) if is_auth(k) => !is_object,
        Some(k) => is_secret_key(k),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    fn secrets(text: &str) -> Vec<&str> {
        secret_spans(text)
            .into_iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn finds_auth_secrets_in_any_casing() {
        let text = concat!(
            r#"{"auth": {"access_token": "at_1", "accessToken": "at_2", "name": "Jo", "#,
            r#""token_url": "u", "other_auth_info": ["a", "b"]}}"#
        );
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
        let text = "\u{feff}{\"a\": [1, \"x\", {\"b\": null}], \"token\": \"t1\", \"c\": \
            -2.5e3}\n{\"d\": \"y\"}";
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
    fn json_lines_hide_everything_after_a_broken_line() {
        let text =
            "{\"name\": \"a\"}\n{\"x\": \"b\",\n\n{\"user\": \"alice\"}\n{\"name\": \"c\"}\n";
        let hidden: Vec<&str> = json_lines_secret_spans(text)
            .into_iter()
            .map(|s| &text[s.start..s.end])
            .collect();
        assert_eq!(hidden, vec!["user", "alice", "name", "c"]);
    }

    #[test]
    fn escaped_keys_that_a_parser_rejects_still_name_their_secret() {
        // A lone surrogate or a raw tab makes the key invalid JSON: it must still be read.
        for text in [
            "{\"access\\u005ftoken\\ud800\": \"at_SURROGATE\"}",
            "{\"access\\u005ftoken\t\": \"at_TAB\"}",
            "{\"client\\u005fsecret\\udc00\": \"cs_LOW\"}",
            "{\"\\u0070\\u0061\\u0073\\u0073\": \"pw_ESCAPED\"}",
        ] {
            let hidden = secrets(text);
            assert_eq!(hidden.len(), 1, "{text}: {hidden:?}");
            assert!(hidden[0].contains('_'), "{text}: {hidden:?}");
        }
        assert_eq!(key_text("\"\\ud83d\\ude00\"", 1, 13, true), "😀");
        assert_eq!(key_text("\"a\\ud800\\n\"", 1, 10, true), "a\u{fffd}\n");
    }

    #[test]
    fn a_break_in_a_whole_file_hides_the_rest_of_it() {
        // A `{` at the start of a later line is no new document in a .json file: it may be
        // a secret value's object, so the break still holds there.
        let text = "{\"a\": x,\n\"credentials\":\n{\"user\": \"alice\"}}\n";
        let found = secrets(text);
        assert!(
            found.contains(&"user") && found.contains(&"alice"),
            "{found:?}"
        );
    }
}
