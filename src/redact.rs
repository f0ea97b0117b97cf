//! Secrets never leave connlint: which values are credentials, and how to show them.
//!
//! Two views: [`is_secret_pointer`] decides from a JSON pointer (for messages built from a
//! parsed value), and [`secret_spans`] finds secret values in raw text — even text that is
//! not valid JSON — so that no source snippet can show one. Both use the same key test.

use crate::diagnostic::Span;

/// True when a member named `key` holds a credential, in any casing (`access_token`,
/// `accessToken`, `ACCESS-TOKEN`) — SDK-cased keys are a common mistake and still secret.
pub fn is_secret_key(key: &str) -> bool {
    let normalized: String = key
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect();
    matches!(
        normalized.as_str(),
        "key" | "pem" | "otherauthinfo" | "authorization" | "bearer" | "credentials" | "privatekey"
    ) || [
        "token",
        "secret",
        "password",
        "passwd",
        "apikey",
        "privatekey",
    ]
    .iter()
    .any(|suffix| normalized.ends_with(suffix))
}

/// True when the value at `pointer` is (or is inside) a credential: under a secret key at
/// any depth, or anything but an object or null where the `auth` object belongs.
pub fn is_secret_pointer(pointer: &str, value_is_object_or_null: bool) -> bool {
    let tokens: Vec<String> = crate::document::pointer_tokens(pointer).collect();
    tokens.iter().enumerate().any(|(i, token)| {
        is_secret_key(token)
            || (token == "auth"
                && match tokens.get(i + 1) {
                    None => !value_is_object_or_null,
                    // `"auth": ["…"]`: an array where the auth object belongs.
                    Some(next) => next.parse::<usize>().is_ok(),
                })
    })
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
pub fn secret_spans(text: &str) -> Vec<Span> {
    #[derive(Clone, Copy)]
    struct Frame {
        secret: bool,
        is_object: bool,
    }
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut last_key: Option<(usize, usize)> = None; // string span of the pending key
    let mut expecting_value = false; // just after a ':'
    let mut i = 0;
    let frame_secret = |stack: &[Frame]| stack.last().is_some_and(|f| f.secret);
    let key_text = |span: (usize, usize)| text.get(span.0..span.1).unwrap_or("");
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                let end = j.min(bytes.len());
                // A string followed by ':' is a key.
                let mut k = end + 1;
                while k < bytes.len() && bytes[k].is_ascii_whitespace() {
                    k += 1;
                }
                let in_object = stack.last().is_some_and(|f| f.is_object);
                if !expecting_value && in_object && k < bytes.len() && bytes[k] == b':' {
                    last_key = Some((start, end));
                } else {
                    let secret = frame_secret(&stack)
                        || (expecting_value && value_key_is_secret(last_key.map(key_text), false));
                    if secret {
                        spans.push(Span::new(start, end));
                    }
                    expecting_value = false;
                }
                i = end + 1;
            }
            b':' => {
                expecting_value = true;
                i += 1;
            }
            open @ (b'{' | b'[') => {
                let key = if expecting_value {
                    last_key.map(key_text)
                } else {
                    None
                };
                let is_object = open == b'{';
                let auth_object = is_object && key == Some("auth");
                let secret =
                    frame_secret(&stack) || (!auth_object && value_key_is_secret(key, is_object));
                stack.push(Frame { secret, is_object });
                expecting_value = false;
                last_key = None;
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                expecting_value = false;
                i += 1;
            }
            b',' => {
                expecting_value = false;
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
                let literal = &text[start..i];
                let harmless = matches!(literal, "null" | "true" | "false");
                let secret = frame_secret(&stack)
                    || (expecting_value && value_key_is_secret(last_key.map(key_text), false));
                if secret && !harmless {
                    spans.push(Span::new(start, i));
                }
                expecting_value = false;
            }
        }
    }
    spans
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
        let mut delta: isize = 0;
        for (original, redacted) in &self.edits {
            if offset <= original.start {
                break;
            }
            if offset < original.end {
                return redacted.start; // inside a secret: point at its redacted form
            }
            delta += redacted.len() as isize - original.len() as isize;
        }
        offset.saturating_add_signed(delta)
    }

    /// A span of the original text mapped onto the redacted text.
    pub fn map_span(&self, span: Span) -> Span {
        let start = self.map_offset(span.start);
        let end = self.map_offset(span.end).max(start);
        // A span ending right at a secret's end must cover its redacted form too.
        let end = self
            .edits
            .iter()
            .find(|(original, _)| original.end == span.end)
            .map_or(end, |(_, redacted)| redacted.end);
        Span::new(start, end)
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
