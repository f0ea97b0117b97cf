//! Secrets never leave connlint: which values are credentials, and how to show them.
//!
//! Two views: [`is_secret_pointer`] decides from a JSON pointer (for messages built from a
//! parsed value), and [`secret_spans`] finds secret values in raw text — even text that is
//! not valid JSON — so that no source snippet can show one. Both use the same key test
//! ([`is_secret_key`], in `names.rs`); the text scan is `scan.rs`; this file hides what they
//! find.

mod names;
mod scan;

pub use names::{is_secret_key, is_secret_pointer, redact_pointer};
pub use scan::{
    continued_line_secret_spans, json_lines_secret_spans, line_secret_spans, secret_spans,
};

use crate::span::Span;

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
}
