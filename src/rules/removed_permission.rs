//! `lint::removed-permission`: a permission an older release of the model had and dropped
//! on or before the checked model's release, with the date it went (all 19 of the history).
//!
//! The schema also rejects such a value (`schema::enum`); `RuleSet::adjust` drops that
//! finding at the same pointer, because this one says why.

use crate::tree::Value;

use crate::diagnostic::{Finding, Target};
use crate::model::List;

use super::history::{self, Standing};
use super::{Check, Context, Level, Rule, Scope};

/// The rule.
pub(super) static RULE: Rule = Rule {
    code: "lint::removed-permission",
    default_level: Level::Error,
    summary: "A permission an older release of the model had and the checked one dropped",
    explanation: r#"## What it does
Finds permissions that an older release of the Unified.to model defined and that were
removed on or before the release checked against, such as `crm_user_read` (removed on
2023-10-18) or `auth_login` (removed on 2025-08-15), and says when each went. It replaces
the generic "not one of the allowed values" of `schema::enum` for those values. `connlint
models` lists every removal.

## Why is this bad?
The API no longer knows these permissions and rejects the payload. The value is not a typo:
the payload was written against an older SDK, and the permission has to go.

## Example
```json
{"integration_type": "hubspot", "categories": ["crm"],
 "permissions": ["crm_contact_read", "crm_user_read"]}
```

## Use instead
```json
{"integration_type": "hubspot", "categories": ["crm"],
 "permissions": ["crm_contact_read"]}
```
"#,
    scope: Scope::Model,
    replaces: &["schema::enum"],
    check: Check::Value(check),
};

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(permissions) = ctx.value.get("permissions").and_then(Value::as_array) else {
        return;
    };
    let allowed = ctx.known().enum_list("permissions");
    for (i, permission) in permissions.iter().enumerate() {
        // The model's own permissions, hashed, first: most files have nothing else.
        let Some(permission) = permission.as_str().filter(|p| !allowed.allows(p)) else {
            continue;
        };
        let Standing::Removed(entry) = history::standing(List::Permissions, permission, ctx.model)
        else {
            continue;
        };
        out.push(
            Finding::new(
                RULE.code,
                format!("{}/permissions/{i}", ctx.prefix),
                Target::Value,
                format!(
                    "`{permission}` was removed from the Connection model {}",
                    history::removed_on(entry)
                ),
            )
            .with_label("removed permission")
            .with_help("remove it: the API no longer grants this permission"),
        );
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
    fn flags_each_removed_permission() {
        let out = run(
            &json!({"permissions": ["crm_user_read", "crm_contact_read", "ticketing_agent_write"]}),
        );
        let pointers: Vec<&str> = out.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(pointers, vec!["/permissions/0", "/permissions/2"]);
        assert_eq!(
            out[0].message,
            "`crm_user_read` was removed from the Connection model on 2023-10-18 (SDK 0.5.8)"
        );
    }

    #[test]
    fn every_removal_of_the_history_and_only_up_to_the_checked_model() {
        let removed: Vec<&str> = List::Permissions
            .entries()
            .iter()
            .filter(|e| e.lifetime.removed.is_some())
            .map(|e| e.wire)
            .collect();
        assert_eq!(removed.len(), 19);
        let value = serde_json::json!({ "permissions": removed });
        assert_eq!(run(&value).len(), 19);
        // `auth_login` went on 2025-08-15: a model of 2025-08-14 still has it.
        let value =
            Value::from_serde(&serde_json::json!({"permissions": ["auth_login", "crm_user_read"]}));
        let model = crate::model::Model::parse("2025-08-14").expect("a model");
        let mut out = Vec::new();
        check(&Context::new(&value, "", model), &mut out);
        let pointers: Vec<&str> = out.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(pointers, vec!["/permissions/1"]);
    }

    #[test]
    fn silent_on_current_and_misspelt_permissions() {
        assert!(run(
            &json!({"permissions": ["crm_contact_read", "crm_user_reed", "lms_course_read", 3]})
        )
        .is_empty());
        assert!(run(&json!({"permissions": "crm_user_read"})).is_empty());
    }

    #[test]
    fn replaces_the_schema_enum_finding() {
        let schema = crate::schema::CompiledSchema::builtin().expect("schema");
        let value = json!({
            "integration_type": "x", "categories": ["crm"], "permissions": ["crm_user_read"]
        });
        let value = Value::from_serde(&value);
        let mut findings =
            crate::validate::validate(&schema.validator, &value, "", usize::MAX).findings;
        assert_eq!(findings[0].code, "schema::enum");
        check(
            &Context::new(&value, "", crate::model::Model::latest()),
            &mut findings,
        );
        super::super::RuleSet::default().adjust(&mut findings);
        let codes: Vec<&str> = findings.iter().map(|f| f.code.as_ref()).collect();
        assert_eq!(codes, vec!["lint::removed-permission"]);
    }
}
