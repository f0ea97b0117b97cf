//! `lint::permission-category`: a permission whose category is not in `categories`.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::tree::Value;

use crate::diagnostic::{Finding, Target};

use crate::model::{Category, Permission};

use super::known::FastHash;
use super::{Check, Context, Level, Rule, Scope};

/// The rule.
pub(super) static RULE: Rule = Rule {
    code: "lint::permission-category",
    default_level: Level::Warning,
    summary: "A permission whose category is missing from `categories`",
    explanation: r#"## What it does
Finds a permission whose category — the first word of its name, `crm` in
`crm_contact_read`, for every category of every release — is not listed in the
Connection's `categories`. `auth_login` and `webhook` belong to no category. The rule stays
quiet while `categories` itself is missing or holds values that are not categories, since
the schema already reports those.

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

/// Every permission of every release → its category (`None` for those that belong to
/// none), built once from the model's tables: one lookup per permission.
fn categories_of() -> &'static HashMap<&'static str, Option<&'static str>, FastHash> {
    static TABLE: OnceLock<HashMap<&'static str, Option<&'static str>, FastHash>> = OnceLock::new();
    TABLE.get_or_init(|| {
        Permission::ALL
            .iter()
            .map(|p| (p.wire(), p.category().map(Category::wire)))
            .collect()
    })
}

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let known = ctx.known();
    let all_categories = known.enum_list("categories");
    let all_permissions = known.enum_list("permissions");
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
        // Permissions outside the checked model are reported by the schema and
        // `lint::removed-permission`; their category means nothing here.
        if !all_permissions.allows(permission) {
            continue;
        }
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

/// The category of `permission` in the model's history (`None` for one that belongs to
/// none, or is no permission): what the rule checks, for the language server's completion
/// and hover.
pub(crate) fn category_of_permission(permission: &str) -> Option<&'static str> {
    categories_of().get(permission).copied().flatten()
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
    }

    #[test]
    fn knows_every_category_of_the_latest_model() {
        let out = run(&json!({
            "categories": ["lms", "performance"],
            "permissions": [
                "lms_course_read", "performance_goal_read", "messaging_message_read", "webhook"
            ]
        }));
        let labels: Vec<&str> = out.iter().filter_map(|f| f.label.as_deref()).collect();
        assert_eq!(labels, vec!["needs `messaging` in categories"]);
        // Every category of the latest model has a permission that maps to it, but these
        // (`auth_login` belongs to no category).
        let mapped: std::collections::HashSet<&str> =
            categories_of().values().flatten().copied().collect();
        let unmapped: Vec<&str> = Category::ALL
            .iter()
            .map(|c| c.wire())
            .filter(|c| !mapped.contains(c))
            .collect();
        assert_eq!(unmapped, vec!["passthrough", "auth", "saml"]);
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
