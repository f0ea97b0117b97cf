//! `lint::empty-list`: `categories` or `permissions` is an empty array.

use crate::tree::Value;

use crate::diagnostic::{Finding, Target};
use crate::pointer::escape_token;

use super::known::known;
use super::{Check, Context, Level, Rule, Scope};

/// The rule.
pub(super) static RULE: Rule = Rule {
    code: "lint::empty-list",
    default_level: Level::Warning,
    summary: "`categories` or `permissions` is an empty list",
    explanation: r#"## What it does
Finds a Connection whose `categories` or `permissions` is an empty array.

## Why is this bad?
Both properties are required, and an empty array satisfies the schema, but a connection
that supports no category or holds no permission can do nothing. It is usually a payload
whose lists were never filled in.

## Example
```json
{"integration_type": "hubspot", "categories": [], "permissions": []}
```

## Use instead
```json
{"integration_type": "hubspot", "categories": ["crm"], "permissions": ["crm_contact_read"]}
```
"#,
    scope: Scope::Model,
    replaces: &[],
    check: Check::Value(check),
};

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for list in &known().enum_lists {
        let list = list.key;
        let empty = ctx
            .value
            .get(list)
            .and_then(Value::as_array)
            .is_some_and(<[Value]>::is_empty);
        if !empty {
            continue;
        }
        out.push(
            Finding::new(
                RULE.code,
                format!("{}/{}", ctx.prefix, escape_token(list)),
                Target::Value,
                format!("`{list}` is empty"),
            )
            .with_label("empty list")
            .with_help(format!(
                "list the {list} the connection has; with none it can do nothing"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(value: &serde_json::Value, prefix: &str) -> Vec<Finding> {
        super::super::run_value_check(check, value, prefix)
    }

    #[test]
    fn flags_each_empty_list() {
        let out = run(&json!({"categories": [], "permissions": []}), "/1");
        let pointers: Vec<&str> = out.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(pointers, vec!["/1/categories", "/1/permissions"]);
        assert_eq!(out[0].target, Target::Value);
    }

    #[test]
    fn silent_on_filled_missing_or_mistyped_lists() {
        let out = run(
            &json!({"categories": ["crm"], "permissions": {}, "auth": {"emails": []}}),
            "",
        );
        assert!(out.is_empty(), "{out:?}");
        assert!(run(&json!({}), "").is_empty());
    }
}
