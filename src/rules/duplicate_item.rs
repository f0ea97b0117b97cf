//! `lint::duplicate-item`: the same value twice in `categories` or `permissions`.

use crate::tree::Value;

use crate::diagnostic::{Applicability, Finding, RepairAction, Target};
use crate::pointer::escape_token;

use super::known::known;
use super::{Check, Context, Level, Rule, Scope};

/// The rule.
pub(super) static RULE: Rule = Rule {
    code: "lint::duplicate-item",
    default_level: Level::Warning,
    summary: "The same value twice in `categories` or `permissions`",
    explanation: r#"## What it does
Finds a value listed more than once in one of the Connection's lists of enum values,
`categories` and `permissions`, and points at each repeat.

## Why is this bad?
The lists are sets: a repeat adds nothing. It is usually a copy-and-paste slip, often one
where the value that was meant to be there (`crm_contact_write`) is missing.

## Example
```json
{"integration_type": "hubspot", "categories": ["crm"],
 "permissions": ["crm_contact_read", "crm_contact_read"]}
```

## Use instead
```json
{"integration_type": "hubspot", "categories": ["crm"],
 "permissions": ["crm_contact_read", "crm_contact_write"]}
```
"#,
    scope: Scope::Model,
    replaces: &[],
    check: Check::Value(check),
};

/// Lists up to this long are searched pairwise (no allocation); longer ones are sorted.
const PAIRWISE_MAX: usize = 32;

/// Every repeated string item as (index, text, index of its first occurrence), in order.
/// Non-strings are skipped: they are the schema's business (`schema::type`).
fn repeats<'v>(items: &'v [Value<'_>]) -> Vec<(usize, &'v str, usize)> {
    if items.len() <= PAIRWISE_MAX {
        return items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let text = item.as_str()?;
                let first = items[..i].iter().position(|e| e.as_str() == Some(text))?;
                Some((i, text, first))
            })
            .collect();
    }
    // Sorted (text, index) pairs put repeats side by side, the first occurrence leading.
    let mut sorted: Vec<(&str, usize)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| Some((item.as_str()?, i)))
        .collect();
    sorted.sort_unstable();
    let mut found: Vec<(usize, &str, usize)> = sorted
        .windows(2)
        .filter(|pair| pair[0].0 == pair[1].0)
        .map(|pair| {
            let (text, i) = pair[1];
            let first = sorted[sorted.partition_point(|(t, _)| *t < text)].1;
            (i, text, first)
        })
        .collect();
    found.sort_unstable();
    found
}

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for list in &known().enum_lists {
        let list = list.key;
        let Some(items) = ctx.value.get(list).and_then(Value::as_array) else {
            continue;
        };
        for (i, text, first) in repeats(items) {
            out.push(
                Finding::new(
                    RULE.code,
                    format!("{}/{}/{i}", ctx.prefix, escape_token(list)),
                    Target::Value,
                    format!("`{text}` is listed twice in `{list}` (first at index {first})"),
                )
                .with_label("repeated")
                .with_help("remove the repeat, or replace it with the value that was meant")
                // Lists of categories and permissions are sets: dropping a repeat cannot change
                // meaning.
                .with_repair(Applicability::Safe, RepairAction::RemoveItem),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(value: &serde_json::Value) -> Vec<Finding> {
        super::super::run_value_check(check, value, "")
    }

    #[test]
    fn flags_every_repeat_after_the_first() {
        let out = run(&json!({
            "categories": ["crm", "ats", "crm", "crm"],
            "permissions": ["webhook", "webhook"]
        }));
        let pointers: Vec<&str> = out.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            vec!["/categories/2", "/categories/3", "/permissions/1"]
        );
        assert_eq!(
            out[0].message,
            "`crm` is listed twice in `categories` (first at index 0)"
        );
    }

    #[test]
    fn long_lists_give_the_same_answer_as_short_ones() {
        let short: Vec<Value> = ["a", "b", "a", "c", "b", "a"]
            .iter()
            .map(|s| Value::from_serde(&json!(s)))
            .collect();
        let expected = vec![(2, "a", 0), (4, "b", 1), (5, "a", 0)];
        assert_eq!(repeats(&short), expected);
        // The same pattern after enough distinct items to take the sorting path.
        let mut long: Vec<Value> = (0..PAIRWISE_MAX)
            .map(|i| Value::from_serde(&json!(format!("x{i}"))))
            .collect();
        long.extend(short);
        let shifted: Vec<(usize, &str, usize)> = expected
            .iter()
            .map(|(i, t, f)| (i + PAIRWISE_MAX, *t, f + PAIRWISE_MAX))
            .collect();
        assert_eq!(repeats(&long), shifted);
    }

    #[test]
    fn silent_on_distinct_values_other_lists_and_non_strings() {
        let out = run(&json!({
            "categories": ["crm", "CRM", 1, 1],
            "permissions": ["crm_contact_read", "crm_contact_write"],
            "auth": {"emails": ["a@example.com", "a@example.com"]}
        }));
        assert!(out.is_empty(), "{out:?}");
    }
}
