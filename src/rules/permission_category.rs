//! `lint::permission-category`: a permission whose category is not in `categories`.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::tree::Value;

use crate::diagnostic::{Finding, Target};

use super::known::{known, FastHash};
use super::{Check, Context, Level, Rule, Scope};

/// The rule.
pub(super) static RULE: Rule = Rule {
    code: "lint::permission-category",
    default_level: Level::Warning,
    summary: "A permission whose category is missing from `categories`",
    explanation: r#"## What it does
Finds a permission whose category — the prefix of its name, `crm` in `crm_contact_read` —
is not listed in the Connection's `categories`. `auth_login` and `webhook` belong to no
category. The rule stays quiet while `categories` itself is missing or holds values that are
not categories, since the schema already reports those.

## Why is this bad?
A connection is only used for the categories it lists: a permission outside them is never
exercised, which usually means the category was forgotten (or the permission is a leftover).

## Example
```json
{"integration_type": "hubspot", "categories": ["crm"],
 "permissions": ["crm_contact_read", "ticketing_ticket_read"]}
```

## Use instead
```json
{"integration_type": "hubspot", "categories": ["crm", "ticketing"],
 "permissions": ["crm_contact_read", "ticketing_ticket_read"]}
```
"#,
    scope: Scope::Model,
    replaces: &[],
    check: Check::Value(check),
};

/// Permissions that belong to no category although `auth_login` starts with the `auth`
/// category's name (the SDK reference says so; the names alone cannot tell).
const CATEGORYLESS: &[&str] = &["auth_login", "webhook"];

/// Every current permission → its category (`None` for those that belong to none), built
/// once: one lookup per permission both recognises it and names its category.
fn categories_of() -> &'static HashMap<&'static str, Option<&'static str>, FastHash> {
    static TABLE: OnceLock<HashMap<&'static str, Option<&'static str>, FastHash>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let known = known();
        let categories = &known.enum_list("categories").values;
        known
            .enum_list("permissions")
            .values
            .iter()
            .map(|permission| (*permission, category_of(permission, categories)))
            .collect()
    })
}

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let all_categories = known().enum_list("categories");
    let table = categories_of();
    let Some(listed) = ctx.value.get("categories").and_then(Value::as_array) else {
        return;
    };
    if !listed
        .iter()
        .all(|c| c.as_str().is_some_and(|c| all_categories.allows(c)))
    {
        return;
    }
    let Some(permissions) = ctx.value.get("permissions").and_then(Value::as_array) else {
        return;
    };
    for (i, permission) in permissions.iter().enumerate() {
        let Some(permission) = permission.as_str() else {
            continue;
        };
        // Unknown and removed permissions are not in the table: the schema and
        // `lint::removed-permission` report them, and their category means nothing.
        let Some(Some(category)) = table.get(permission) else {
            continue;
        };
        if listed.iter().any(|c| c.as_str() == Some(*category)) {
            continue;
        }
        out.push(
            Finding::new(
                RULE.code,
                format!("{}/permissions/{i}", ctx.prefix),
                Target::Value,
                format!(
                    "`{permission}` belongs to the `{category}` category, which `categories` does \
                        not list"
                ),
            )
            .with_label(format!("needs `{category}` in categories"))
            .with_help(format!(
                "add \"{category}\" to `categories`, or remove the permission"
            )),
        );
    }
}

/// The category of the current permission `permission` (`None` for one that belongs to
/// none, or is not a current permission): what the rule checks, for the language server's
/// completion and hover.
pub(crate) fn category_of_permission(permission: &str) -> Option<&'static str> {
    categories_of().get(permission).copied().flatten()
}

/// The category a permission belongs to: the prefix of its name, when that is a category.
fn category_of(permission: &str, categories: &[&'static str]) -> Option<&'static str> {
    if CATEGORYLESS.contains(&permission) {
        return None;
    }
    let prefix = permission.split('_').next()?;
    categories.iter().copied().find(|c| *c == prefix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(value: &serde_json::Value) -> Vec<Finding> {
        super::super::run_value_check(check, value, "")
    }

    #[test]
    fn flags_permissions_outside_the_listed_categories() {
        let out = run(&json!({
            "categories": ["crm"],
            "permissions": ["crm_contact_read", "ticketing_ticket_read", "hris_group_read"]
        }));
        let pointers: Vec<&str> = out.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(pointers, vec!["/permissions/1", "/permissions/2"]);
        assert_eq!(
            out[0].help.as_deref(),
            Some("add \"ticketing\" to `categories`, or remove the permission")
        );
    }

    #[test]
    fn auth_login_and_webhook_belong_to_no_category() {
        let out = run(&json!({"categories": ["crm"], "permissions": ["auth_login", "webhook"]}));
        assert!(out.is_empty(), "{out:?}");
        assert_eq!(category_of("auth_login", &["auth"]), None);
        assert_eq!(category_of("uc_call_read", &["crm", "uc"]), Some("uc"));
    }

    #[test]
    fn quiet_when_categories_are_missing_or_invalid_or_permissions_unknown() {
        assert!(run(&json!({"permissions": ["crm_contact_read"]})).is_empty());
        assert!(
            run(&json!({"categories": ["CRM"], "permissions": ["crm_contact_read"]})).is_empty()
        );
        assert!(run(&json!({"categories": "crm", "permissions": ["ats_job_read"]})).is_empty());
        assert!(run(
            &json!({"categories": ["crm"], "permissions": ["ats_jbo_read", "ticketing_agent_read"]})
        )
        .is_empty());
    }
}
