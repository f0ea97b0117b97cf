//! `lint::sdk-casing`: a key spelt as the SDK's camelCase property instead of the wire name.

use crate::diagnostic::{Applicability, Finding, RepairAction, Target};

use super::known::KeyKind;
use super::{Check, Context, Level, Rule, Scope};

/// The rule.
pub(super) static RULE: Rule = Rule {
    code: "lint::sdk-casing",
    default_level: Level::Error,
    summary: "A key spelt as the SDK's camelCase property instead of the snake_case wire name",
    explanation: r#"## What it does
Finds keys spelt the way the Unified.to SDKs name the property (`integrationType`,
`createdAt`, `authAwsArn`, `expiresIn` inside `auth`) instead of the name the API uses
on the wire (`integration_type`, `created_at`, `auth_aws_arn`, `expires_in`). It looks at
every object of the model: the Connection and its `auth` object.

## Why is this bad?
The SDK documentation shows camelCase, but the API reads and writes snake_case. A
camelCase key is not an error to a JSON parser: the API silently drops it, so the value
never arrives and, for a required property, the payload is also missing it.

## Example
```json
{"integrationType": "hubspot", "categories": ["crm"], "permissions": ["crm_contact_read"],
 "auth": {"accessToken": "<token>", "expiresIn": 3600}}
```

## Use instead
```json
{"integration_type": "hubspot", "categories": ["crm"], "permissions": ["crm_contact_read"],
 "auth": {"access_token": "<token>", "expires_in": 3600}}
```
"#,
    scope: Scope::Model,
    replaces: &[],
    check: Check::Value(check),
};

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for object in ctx.objects() {
        for (key, _, kind) in object.members() {
            let Some(KeyKind::Sdk(wire)) = kind else {
                continue;
            };
            // The help names the wire name either way; `--fix` reads the rename from the repair.
            let help = if object.map.contains_key(wire) {
                format!("remove it: `{wire}` is already set, and the API ignores `{key}`")
            } else {
                format!("rename the key to `{wire}`")
            };
            let mut finding = Finding::new(
                RULE.code,
                object.member_pointer(key),
                Target::Key,
                format!("`{key}` is the SDK's spelling; on the wire the property is `{wire}`"),
            )
            .with_label(format!("the API ignores `{key}`"))
            .with_help(help);
            // Renaming is safe only when it cannot create a duplicate key; with the wire name
            // already present, which value is right is the user's call, so no fix.
            if !object.map.contains_key(wire) {
                finding = finding.with_repair(
                    Applicability::Safe,
                    RepairAction::RenameKey(wire.to_string()),
                );
            }
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn run(value: &Value) -> Vec<Finding> {
        super::super::run_value_check(check, value, "")
    }

    #[test]
    fn flags_camel_case_keys_at_every_level() {
        let out = run(&json!({
            "integrationType": "hubspot",
            "createdAt": "2023-11-07T09:15:27Z",
            "auth": {"expiresIn": 3600, "accessToken": "<token>"}
        }));
        let mut pointers: Vec<&str> = out.iter().map(|f| f.pointer.as_str()).collect();
        pointers.sort_unstable();
        assert_eq!(
            pointers,
            vec![
                "/auth/accessToken",
                "/auth/expiresIn",
                "/createdAt",
                "/integrationType"
            ]
        );
        assert!(out.iter().all(|f| f.target == Target::Key));
        let integration = out
            .iter()
            .find(|f| f.pointer == "/integrationType")
            .expect("finding");
        assert_eq!(
            integration.help.as_deref(),
            Some("rename the key to `integration_type`")
        );
    }

    #[test]
    fn says_remove_when_the_wire_name_is_there_too() {
        let out = run(&json!({"integration_type": "a", "integrationType": "b"}));
        assert_eq!(out.len(), 1);
        assert!(out[0]
            .help
            .as_deref()
            .is_some_and(|h| h.starts_with("remove it: `integration_type`")));
    }

    #[test]
    fn silent_on_wire_names_other_casings_and_free_form_meta() {
        let out = run(&json!({
            "integration_type": "hubspot",
            "IntegrationType": "x",
            "auth": {"expires_in": 1, "meta": {"expiresIn": 2}},
            "auth_aws_arn": "arn"
        }));
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn sdk_names_belong_to_their_own_object() {
        // `expiresIn` is an auth property, not a Connection one: that is unknown-key's job.
        assert!(run(&json!({"expiresIn": 1})).is_empty());
    }
}
