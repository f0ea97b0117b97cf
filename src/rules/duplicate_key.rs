//! `lint::duplicate-key`: the same key twice in one object.

use crate::diagnostic::{Applicability, Finding, Label, RepairAction, Target};
use crate::pointer::escape_token;
use crate::span_index::SpanIndex;

use super::{Check, Level, Rule, Scope};

/// The rule.
pub(super) static RULE: Rule = Rule {
    code: "lint::duplicate-key",
    default_level: Level::Error,
    summary: "The same key appears twice in one object",
    explanation: r#"## What it does
Finds an object that has the same key more than once.

## Why is this bad?
JSON leaves duplicate keys undefined: most parsers keep the last value, some the first,
some reject the document. The API and your tests may read different values from one file.

## Example
```json
{"integration_type": "hubspot", "integration_type": "salesforce"}
```

## Use instead
```json
{"integration_type": "salesforce"}
```
"#,
    scope: Scope::Always,
    replaces: &[],
    check: Check::Spans(check),
};

fn check(index: &SpanIndex, out: &mut Vec<Finding>) {
    for duplicate in &index.duplicates {
        let pointer = format!("{}/{}", duplicate.object, escape_token(&duplicate.key));
        let mut finding = Finding::new(
            RULE.code,
            pointer,
            Target::Span(duplicate.second),
            // Inside a secret value, a key is part of the secret.
            if crate::redact::is_secret_pointer(&duplicate.object, true) {
                "a key appears more than once in this object".to_string()
            } else {
                format!(
                    "key `{}` appears more than once in this object",
                    duplicate.key
                )
            },
        )
        .with_label("repeated here")
        .with_help("keep one of them: parsers disagree about which value wins");
        // Keep the last occurrence, as most parsers (serde_json, JavaScript) do; unsafe because
        // a parser that keeps the first would read a different payload after the fix.
        finding = finding.with_repair(
            Applicability::Unsafe,
            RepairAction::RemoveMember(duplicate.first),
        );
        finding.related.push(Label {
            span: duplicate.first,
            message: "first used here".to_string(),
        });
        out.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_the_second_occurrence_and_labels_the_first() {
        let index = SpanIndex::build(r#"{"a": {"b": 1, "b": 2}}"#).expect("index");
        let mut out = Vec::new();
        check(&index, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].pointer, "/a/b");
        assert_eq!(
            out[0].target,
            Target::Span(crate::diagnostic::Span::new(15, 18))
        );
        assert_eq!(out[0].related[0].span, crate::diagnostic::Span::new(7, 10));
    }

    #[test]
    fn silent_without_duplicates() {
        let index = SpanIndex::build(r#"{"a": 1, "b": {"a": 2}}"#).expect("index");
        let mut out = Vec::new();
        check(&index, &mut out);
        assert!(out.is_empty());
    }
}
