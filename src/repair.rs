//! Structural repairs → byte edits: where a [`Repair`] that a rule described by JSON
//! pointer lands in the text. The check pipeline resolves each finding's repair once spans
//! are known; `--fix` and the language server apply the edits.

use crate::diagnostic::{Edit, Fix, Repair, RepairAction};
use crate::span_index::SpanIndex;

/// Turns a structural repair of the finding at `pointer` into edits on `doc`.
pub(crate) fn resolve(repair: &Repair, pointer: &str, index: &SpanIndex, doc: &str) -> Option<Fix> {
    let spans = index.get(pointer)?;
    let edit = match &repair.action {
        RepairAction::RenameKey(name) => {
            let key = spans.key?;
            Edit {
                start: key.start,
                end: key.end,
                content: serde_json::Value::String(name.clone()).to_string(),
            }
        }
        RepairAction::ReplaceValue(json) => Edit {
            start: spans.value.start,
            end: spans.value.end,
            content: json.clone(),
        },
        RepairAction::RemoveItem => {
            let (parent, index_token) = pointer.rsplit_once('/')?;
            let position: usize = index_token.parse().ok()?;
            if position > 0 {
                // `, item`: from the end of the previous item to the end of this one.
                let previous = index.get(&format!("{parent}/{}", position - 1))?;
                Edit {
                    start: previous.value.end,
                    end: spans.value.end,
                    content: String::new(),
                }
            } else {
                // `item, `: from this item to the start of the next one.
                let next = index.get(&format!("{parent}/1"))?;
                Edit {
                    start: spans.value.start,
                    end: next.value.start,
                    content: String::new(),
                }
            }
        }
        RepairAction::RemoveMember(first_key) => {
            let member_end = value_end(doc, first_key.end)?;
            let after = skip_whitespace(doc, member_end);
            if doc.as_bytes().get(after) == Some(&b',') {
                // `"key": value,` and the whitespace up to the next member, which takes its place.
                let next = skip_whitespace(doc, after + 1);
                Edit {
                    start: first_key.start,
                    end: next,
                    content: String::new(),
                }
            } else {
                let before = doc[..first_key.start].trim_end();
                let comma = before.strip_suffix(',').map(str::len)?;
                Edit {
                    start: comma,
                    end: member_end,
                    content: String::new(),
                }
            }
        }
    };
    Some(Fix {
        applicability: repair.applicability,
        edits: vec![edit],
    })
}

fn skip_whitespace(text: &str, from: usize) -> usize {
    from + text
        .get(from..)
        .map_or(0, |rest| rest.len() - rest.trim_start().len())
}

/// The end of the value of the member whose key ends at `key_end`: after `:`, one JSON
/// value, found by a scan that balances brackets and skips strings (no recursion).
fn value_end(text: &str, key_end: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = skip_whitespace(text, key_end);
    if bytes.get(i) != Some(&b':') {
        return None;
    }
    i = skip_whitespace(text, i + 1);
    let mut depth = 0usize;
    let mut in_string = false;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => {
                    in_string = false;
                    if depth == 0 {
                        return Some(i + 1);
                    }
                }
                _ => {}
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth == 0 => return Some(i),
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i + 1);
                    }
                }
                b',' if depth == 0 => return Some(i),
                c if depth == 0 && c.is_ascii_whitespace() => return Some(i),
                _ => {}
            }
        }
        i += 1;
    }
    Some(bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Applicability;

    fn edit_of(doc: &str, pointer: &str, action: RepairAction) -> String {
        let index = SpanIndex::build(doc).expect("index");
        let fix = resolve(
            &Repair {
                applicability: Applicability::Safe,
                action,
            },
            pointer,
            &index,
            doc,
        )
        .expect("fix");
        let mut out = doc.to_string();
        for e in fix.edits.iter().rev() {
            out.replace_range(e.start..e.end, &e.content);
        }
        out
    }

    #[test]
    fn renames_keys_in_place() {
        let doc = "{\r\n  \"integrationType\": \"x\"\r\n}\r\n";
        assert_eq!(
            edit_of(
                doc,
                "/integrationType",
                RepairAction::RenameKey("integration_type".into())
            ),
            "{\r\n  \"integration_type\": \"x\"\r\n}\r\n"
        );
    }

    #[test]
    fn removes_items_with_their_comma() {
        assert_eq!(
            edit_of(
                r#"{"c": ["crm", "ats", "crm"]}"#,
                "/c/2",
                RepairAction::RemoveItem
            ),
            r#"{"c": ["crm", "ats"]}"#
        );
        assert_eq!(
            edit_of("[\n  \"a\",\n  \"a\"\n]", "/1", RepairAction::RemoveItem),
            "[\n  \"a\"\n]"
        );
        assert_eq!(
            edit_of(r#"["a", "b"]"#, "/0", RepairAction::RemoveItem),
            r#"["b"]"#
        );
    }

    #[test]
    fn removes_an_earlier_member() {
        let doc = "{\n  \"a\": {\"x\": [1, \"}\"]},\n  \"b\": 2,\n  \"a\": 3\n}";
        let index = SpanIndex::build(doc).expect("index");
        let first = index.duplicates[0].first;
        assert_eq!(
            edit_of(doc, "/a", RepairAction::RemoveMember(first)),
            "{\n  \"b\": 2,\n  \"a\": 3\n}"
        );
    }

    #[test]
    fn replaces_values() {
        assert_eq!(
            edit_of(
                r#"{"n": "3600"}"#,
                "/n",
                RepairAction::ReplaceValue("3600".into())
            ),
            r#"{"n": 3600}"#
        );
    }
}
