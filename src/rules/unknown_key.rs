//! `lint::unknown-key`: a key the model does not define, with "did you mean …?".

use crate::diagnostic::{Finding, Target};
use crate::suggest::did_you_mean;

use super::known::{known, KeyKind, ModelObject};
use super::{Check, Context, Level, Rule, Scope};

/// The rule.
pub(super) static RULE: Rule = Rule {
    code: "lint::unknown-key",
    default_level: Level::Warning,
    summary: "A key the Connection model does not define (usually a typo)",
    explanation: r#"## What it does
Finds keys that are not properties of the Connection or of its `auth` object, and suggests
the closest property when there is one ("did you mean `integration_type`?"). Keys inside
the free-form `auth.meta` object are not checked. SDK camelCase spellings are left to
`lint::sdk-casing`.

## Why is this bad?
The API ignores properties it does not know. A misspelt key is dropped without a word, so
the value it carries is lost; a misspelt required key also leaves the payload without it.

## Example
```json
{"integraton_type": "hubspot", "categories": ["crm"], "permissions": ["crm_contact_read"]}
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
    for object in ctx.objects() {
        for (key, _, kind) in object.members() {
            let model = object.model;
            // Wire names are fine; SDK spellings are `lint::sdk-casing`'s.
            if kind.is_some() {
                continue;
            }
            let help = match did_you_mean(key, &model.keys) {
                Some(close) => format!("did you mean `{close}`?"),
                None => match elsewhere(key, model) {
                    Some((wire, owner)) => {
                        format!("`{wire}` is a property of {owner}; move it there")
                    }
                    None => "the API ignores it: remove it, or check the spelling".to_string(),
                },
            };
            out.push(
                Finding::new(
                    RULE.code,
                    object.member_pointer(key),
                    Target::Key,
                    format!("`{key}` is not a property of {}", model.name),
                )
                .with_label("unknown key")
                .with_help(help),
            );
        }
    }
}

/// The other model object `key` (or its SDK spelling) belongs to: `access_token` put at the
/// top level instead of inside `auth`.
fn elsewhere(key: &str, here: &ModelObject) -> Option<(&'static str, &'static str)> {
    known()
        .objects
        .iter()
        .filter(|other| !std::ptr::eq(*other, here))
        .find_map(|other| {
            let wire = match other.classify(key)? {
                KeyKind::Wire => other.keys.iter().copied().find(|k| *k == key)?,
                KeyKind::Sdk(wire) => wire,
            };
            Some((wire, other.name.as_str()))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn run(value: &Value, prefix: &str) -> Vec<Finding> {
        super::super::run_value_check(check, value, prefix)
    }

    #[test]
    fn suggests_the_close_key() {
        let out = run(&json!({"integraton_type": "hubspot"}), "");
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].pointer, "/integraton_type");
        assert_eq!(out[0].target, Target::Key);
        assert_eq!(
            out[0].help.as_deref(),
            Some("did you mean `integration_type`?")
        );
    }

    #[test]
    fn checks_auth_and_list_items_with_escaped_pointers() {
        let out = run(&json!({"auth": {"acess_token": "<t>", "a/b": 1}}), "/3");
        let mut pointers: Vec<&str> = out.iter().map(|f| f.pointer.as_str()).collect();
        pointers.sort_unstable();
        assert_eq!(pointers, vec!["/3/auth/acess_token", "/3/auth/a~1b"]);
        let typo = out
            .iter()
            .find(|f| f.pointer.ends_with("acess_token"))
            .expect("finding");
        assert_eq!(
            typo.message,
            "`acess_token` is not a property of the `auth` object"
        );
        assert_eq!(typo.help.as_deref(), Some("did you mean `access_token`?"));
    }

    #[test]
    fn says_where_a_misplaced_key_belongs() {
        let out = run(&json!({"refresh_token": "<t>"}), "");
        assert_eq!(
            out[0].help.as_deref(),
            Some("`refresh_token` is a property of the `auth` object; move it there")
        );
    }

    #[test]
    fn silent_on_known_keys_sdk_names_and_meta() {
        let out = run(
            &json!({
                "integration_type": "x", "integrationType": "y",
                "auth": {"meta": {"anything": 1}, "accessToken": "<t>"}
            }),
            "",
        );
        assert!(out.is_empty(), "{out:?}");
    }
}
