//! `lint::removed-permission`: a permission an older SDK release had and this one dropped.
//!
//! The schema also rejects such a value (`schema::enum`); `RuleSet::adjust` drops that
//! finding at the same pointer, because this one says why.

use crate::tree::Value;

use crate::diagnostic::{Finding, Target};
use crate::model::REMOVED_PERMISSIONS;

use super::{Check, Context, Level, Rule, Scope};

/// The rule.
pub(super) static RULE: Rule = Rule {
    code: "lint::removed-permission",
    default_level: Level::Error,
    summary: "A permission an older SDK release had and the current one dropped",
    explanation: r#"## What it does
Finds permissions that an older release of the Unified.to SDK defined and the current one
dropped: `crm_user_read`, `crm_user_write`, `crm_team_read`, `crm_team_write`,
`ticketing_agent_read`, `ticketing_agent_write`. It replaces the generic "not one of the
allowed values" of `schema::enum` for those values.

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
    for (i, permission) in permissions.iter().enumerate() {
        let Some(permission) = permission
            .as_str()
            .filter(|p| REMOVED_PERMISSIONS.contains(p))
        else {
            continue;
        };
        out.push(
            Finding::new(
                RULE.code,
                format!("{}/permissions/{i}", ctx.prefix),
                Target::Value,
                format!(
                    "`{permission}` was removed from the Connection model: an older SDK release \
                        had it, the current one does not"
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
        assert!(out[0].message.starts_with("`crm_user_read` was removed"));
    }

    #[test]
    fn silent_on_current_and_misspelt_permissions() {
        assert!(run(&json!({"permissions": ["crm_contact_read", "crm_user_reed", 3]})).is_empty());
        assert!(run(&json!({"permissions": "crm_user_read"})).is_empty());
    }

    #[test]
    fn replaces_the_schema_enum_finding() {
        let schema = crate::schema::CompiledSchema::builtin().expect("schema");
        let value = json!({
            "integration_type": "x", "categories": ["crm"], "permissions": ["crm_user_read"]
        });
        let value = Value::from_serde(&value);
        let mut findings = crate::validate::validate(&schema.validator, &value, "");
        assert_eq!(findings[0].code, "schema::enum");
        check(&Context::new(&value, ""), &mut findings);
        super::super::RuleSet::default().adjust(&mut findings);
        let codes: Vec<&str> = findings.iter().map(|f| f.code.as_ref()).collect();
        assert_eq!(codes, vec!["lint::removed-permission"]);
    }
}
