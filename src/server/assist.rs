//! Hover and completion, from the model: what a key is (description, type, whether it is
//! secret, when it came and went), what a category or permission grants, and which keys
//! and values can go where the cursor is.
//!
//! The cursor's place comes from [`context`](super::context), which reads half-typed
//! documents; the knowledge from [`facts`](super::facts). Nothing the user typed is echoed
//! back except model names it matched, so a hover or completion cannot carry a secret.

use std::collections::HashSet;

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, Hover, HoverContents,
    MarkupContent, MarkupKind, Position, TextEdit,
};

use super::context::{self, Cursor, Segment};
use super::facts;
use super::text::{Encoding, Text};

/// The lists whose items are model values.
const LISTS: &[&str] = &["categories", "permissions"];

/// The document to read around byte `offset`: the whole text, or for JSON Lines the line
/// that holds it. Returns the slice and where it starts.
fn scope(text: &str, offset: usize, json_lines: bool) -> (&str, usize) {
    if !json_lines {
        return (text, 0);
    }
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    (&text[start..end], start)
}

/// The keys leading from a Connection to the cursor's container, or `None` when the
/// container is not where the model has an object or list. A list file's items (a leading
/// index) are Connections.
fn model_keys(path: &[Segment]) -> Option<Vec<&str>> {
    let rest = match path.first() {
        Some(Segment::Index(_)) => &path[1..],
        _ => path,
    };
    rest.iter()
        .map(|segment| match segment {
            Segment::Key(k) => Some(k.as_str()),
            Segment::Index(_) => None,
        })
        .collect()
}

/// The hover at `position`.
pub(super) fn hover(
    text: &Text,
    position: Position,
    encoding: Encoding,
    json_lines: bool,
) -> Option<Hover> {
    let offset = text.offset(position, encoding);
    let (doc, base) = scope(text.as_str(), offset, json_lines);
    let cursor = context::at(doc, offset - base);
    let token = cursor.token.as_ref()?;
    let range = Some(text.range(base + token.span.0, base + token.span.1, encoding));
    let keys = model_keys(&cursor.path)?;
    let markdown = if cursor.at_key && token.quoted {
        key_markdown(&keys, &token.text)?
    } else if let (false, Some(list)) = (cursor.in_object, keys.last()) {
        let parent = &keys[..keys.len() - 1];
        if !parent.is_empty() || !LISTS.contains(list) || !token.quoted {
            return None;
        }
        value_markdown(list, &token.text)?
    } else {
        let key = cursor.value_of.as_deref()?;
        let mut text = key_markdown(&keys, key)?;
        if facts::key_facts(&keys, key).is_some_and(|f| f.secret) {
            text.push_str("\n\nThis value is a credential: connlint never shows it.");
        }
        text
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range,
    })
}

fn key_markdown(keys: &[&str], key: &str) -> Option<String> {
    let f = facts::key_facts(keys, key)?;
    let mut out = format!("**`{}`** · `{}`", f.wire, f.type_text);
    if f.required {
        out.push_str(" · required");
    }
    if f.secret {
        out.push_str(" · secret");
    }
    if let Some(description) = f.description {
        out.push_str(&format!("\n\n{description}"));
    }
    if key != f.wire {
        out.push_str(&format!(
            "\n\n`{key}` is the SDK's spelling; on the wire the key is `{}`.",
            f.wire
        ));
    }
    if f.secret {
        out.push_str("\n\nSecret: its value is never shown in connlint's messages.");
    }
    if let Some(date) = facts::added(keys, f.wire) {
        out.push_str(&format!("\n\nAdded: {date}."));
    }
    if let Some(when) = facts::removed(keys, f.wire) {
        out.push_str(&format!("\n\nRemoved: {when}."));
    }
    Some(out)
}

fn value_markdown(list: &str, value: &str) -> Option<String> {
    let meaning = facts::value_meaning(list, value)?;
    let mut out = format!("**`{value}`**\n\n{meaning}");
    if let Some(date) = facts::added(&[list], value) {
        out.push_str(&format!("\n\nAdded: {date}."));
    }
    if let Some(when) = facts::removed(&[list], value) {
        out.push_str(&format!("\n\nRemoved: {when}."));
    }
    Some(out)
}

/// The completions at `position`.
pub(super) fn completion(
    text: &Text,
    position: Position,
    encoding: Encoding,
    json_lines: bool,
) -> Vec<CompletionItem> {
    let offset = text.offset(position, encoding);
    let (doc, base) = scope(text.as_str(), offset, json_lines);
    let cursor = context::at(doc, offset - base);
    let Some(keys) = model_keys(&cursor.path) else {
        return Vec::new();
    };
    // What is typed so far: the token under the cursor up to the cursor.
    let (typed, replace) = match &cursor.token {
        Some(t) => {
            let upto = (offset - base).clamp(t.inner.0, t.inner.1.max(t.inner.0));
            let typed = doc
                .get(t.inner.0..upto)
                .unwrap_or_default()
                .to_ascii_lowercase();
            (typed, (base + t.span.0, base + t.span.1))
        }
        None => (String::new(), (offset, offset)),
    };
    let range = text.range(replace.0, replace.1, encoding);
    let item = |label: &str, kind, detail: Option<String>, doc: Option<String>, sort: String| {
        CompletionItem {
            label: label.to_string(),
            kind: Some(kind),
            detail,
            documentation: doc.map(|value| {
                Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value,
                })
            }),
            sort_text: Some(sort),
            filter_text: Some(format!("\"{label}\"")),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range,
                new_text: format!("\"{label}\""),
            })),
            ..CompletionItem::default()
        }
    };
    let matches = |name: &str| typed.is_empty() || name.to_ascii_lowercase().contains(&typed);
    // A set: a list can hold a million items, and each of the model's values is looked up.
    let present: HashSet<&str> = cursor
        .keys
        .iter()
        .chain(&cursor.items)
        .map(String::as_str)
        .collect();
    if cursor.in_object && cursor.at_key {
        let Some(all) = facts::object_keys(&keys) else {
            return Vec::new();
        };
        return all
            .iter()
            .enumerate()
            .filter(|(_, k)| !present.contains(*k) && matches(k))
            .map(|(i, k)| {
                let f = facts::key_facts(&keys, k);
                item(
                    k,
                    CompletionItemKind::PROPERTY,
                    f.as_ref().map(|f| f.type_text.clone()),
                    f.and_then(|f| f.description.map(str::to_string)),
                    format!("{i:04}"),
                )
            })
            .collect();
    }
    let list = match (cursor.in_object, keys.as_slice()) {
        (false, [list]) if LISTS.contains(list) => *list,
        _ => return Vec::new(),
    };
    let listed_categories = if list == "permissions" {
        sibling_items(doc, &cursor, "categories")
    } else {
        Vec::new()
    };
    facts::list_values(list)
        .iter()
        .enumerate()
        .filter(|(_, v)| !present.contains(*v) && matches(v))
        .map(|(i, v)| {
            // Permissions of categories already listed come first, then the rest, each in
            // the model's order.
            let first = facts::permission_category(v)
                .is_some_and(|c| listed_categories.iter().any(|l| l == c));
            item(
                v,
                CompletionItemKind::ENUM_MEMBER,
                facts::permission_category(v).map(|c| format!("category {c}")),
                facts::value_meaning(list, v),
                format!("{}{i:04}", if first { 0 } else { 1 }),
            )
        })
        .collect()
}

/// The string items of the list `key` in the same Connection as `cursor` (which is inside
/// another list of it), read from the forgiving scan in one pass.
fn sibling_items(doc: &str, cursor: &Cursor, key: &str) -> Vec<String> {
    let mut path = cursor.path[..cursor.path.len().saturating_sub(1)].to_vec();
    path.push(Segment::Key(key.to_string()));
    context::items_at(doc, &path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(marked: &str) -> (Text, Position) {
        let offset = marked.find('|').expect("cursor");
        let text = Text::new(marked.replacen('|', "", 1));
        let position = text.position(offset, Encoding::Utf16);
        (text, position)
    }

    fn labels(marked: &str) -> Vec<String> {
        let (text, position) = at(marked);
        let mut items = completion(&text, position, Encoding::Utf16, false);
        items.sort_by(|a, b| a.sort_text.cmp(&b.sort_text));
        items.into_iter().map(|i| i.label).collect()
    }

    #[test]
    fn permissions_of_listed_categories_come_first() {
        let got = labels("{\"categories\": [\"ticketing\"], \"permissions\": [\"|\"]}");
        let first_non_ticketing = got.iter().position(|p| !p.starts_with("ticketing_"));
        let last_ticketing = got.iter().rposition(|p| p.starts_with("ticketing_"));
        assert!(last_ticketing < first_non_ticketing, "{got:?}");
        assert_eq!(got.len(), facts::list_values("permissions").len());
    }

    #[test]
    fn typed_text_filters_and_present_values_are_left_out() {
        let got = labels("{\"permissions\": [\"crm_contact_read\", \"crm_con|");
        assert_eq!(got, vec!["crm_contact_write"]);
        let got = labels("{\"integration_type\": \"x\", \"auth\": {\"acc|\": 1}}");
        assert_eq!(got, vec!["access_token"]);
        let got = labels("{\"integration_type\": \"x\", |}");
        assert!(got.contains(&"permissions".to_string()));
        assert!(!got.contains(&"integration_type".to_string()));
    }

    #[test]
    fn hover_on_a_secret_value_never_shows_it() {
        let (text, position) = at("{\"auth\": {\"access_token\": \"sk_live_a|bcdefgh\"}}");
        let hover = hover(&text, position, Encoding::Utf16, false).expect("hover");
        let HoverContents::Markup(content) = hover.contents else {
            panic!("markdown")
        };
        assert!(content.value.contains("access_token"));
        assert!(content.value.contains("never shows it"));
        assert!(!content.value.contains("sk_live"));
    }
}
