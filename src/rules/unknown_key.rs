//! `lint::unknown-key`: a key the model does not define, with "did you mean …?".

use crate::diagnostic::{Finding, Target};
use crate::suggest::did_you_mean;

use crate::model::newest_date;

use super::history;
use super::known::{KeyKind, ObjectAt};
use super::{Check, Context, Level, Rule, Scope};

/// The rule.
pub(super) static RULE: Rule = Rule {
    code: "lint::unknown-key",
    default_level: Level::Warning,
    summary: "A key the Connection model does not define (usually a typo)",
    explanation: r#"## What it does
Finds keys that are not properties of the Connection or of its `auth` object in the checked
model. For a property a later release added, the help says when, and how to check against
that model; for one no release had, it suggests the closest property of the checked model
that the object does not already have ("did you mean `integration_type`?"). Properties the
API dropped are `lint::removed-field`'s. Keys inside the free-form `auth.meta` object are not
checked. SDK camelCase spellings are left to `lint::sdk-casing`.

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
        // The model's keys this object lacks, found once per object: an object may have
        // thousands of unknown keys, and finding a key among its members is a linear scan.
        let mut absent: Option<Vec<&'static str>> = None;
        for (key, _, kind) in object.members() {
            let model = object.model;
            // Wire names are fine; SDK spellings are `lint::sdk-casing`'s.
            if kind.is_some() {
                continue;
            }
            let help = match object.key_history(key) {
                // A field the API dropped is `lint::removed-field`'s.
                Some(entry)
                    if entry
                        .lifetime
                        .removed
                        .is_some_and(|r| r <= ctx.model.index()) =>
                {
                    continue
                }
                Some(entry) if entry.lifetime.added > ctx.model.index() => {
                    history::newer_help(entry, ctx.model)
                }
                _ => {
                    let absent = absent.get_or_insert_with(|| {
                        model
                            .keys
                            .iter()
                            .copied()
                            .filter(|k| object.map.get(k).is_none())
                            .collect()
                    });
                    unknown_help(key, object, absent)
                }
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

/// The help for a key no release had: the closest property of this model that the object
/// does not already have, or the object it belongs in, or that the API ignores it.
///
/// A key already present is not a suggestion (`absent` holds the others):
/// `integration_name` next to `integration_type` is not a misspelt `integration_type`.
fn unknown_help(key: &str, object: &ObjectAt<'_>, absent: &[&str]) -> String {
    let model = object.model;
    let suggestion = match did_you_mean(key, absent) {
        Some(close) => format!("did you mean `{close}`?"),
        None => match elsewhere(key, object) {
            Some((wire, owner)) => format!("`{wire}` is a property of {owner}; move it there"),
            None => "the API ignores it: remove it, or check the spelling".to_string(),
        },
    };
    match object.history() {
        Some(_) => format!(
            "not a property of {} in any release up to {}; {suggestion}",
            model.name,
            newest_date()
        ),
        None => suggestion,
    }
}

/// The other model object `key` (or its SDK spelling) belongs to: `access_token` put at the
/// top level instead of inside `auth`.
fn elsewhere(key: &str, object: &ObjectAt<'_>) -> Option<(&'static str, &'static str)> {
    let here = object.model;
    object
        .known
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
            Some(
                "not a property of a Connection in any release up to 2026-08-14; did you mean \
                `integration_type`?"
            )
        );
    }

    fn run_at(value: &Value, model: &str) -> Vec<Finding> {
        let model = crate::model::Model::parse(model).expect("a model");
        let value = crate::tree::Value::from_serde(value);
        let mut out = Vec::new();
        check(&Context::new(&value, "", model), &mut out);
        out
    }

    #[test]
    fn a_newer_field_says_when_it_came() {
        let out = run_at(
            &json!({"integration_name": "Salesforce", "auth": {"dev_api_key": "<k>"}}),
            "2023-11-07",
        );
        let helps: Vec<&str> = out.iter().filter_map(|f| f.help.as_deref()).collect();
        assert_eq!(
            helps,
            vec![
                "`integration_name` was added on 2025-02-05; this run checks against the model \
                    of 2023-11-07: set `model` in connlint.toml or pass `--model` (`latest`, or \
                    a date from 2025-02-05 on)",
                "`dev_api_key` was added on 2024-02-23; this run checks against the model of \
                    2023-11-07: set `model` in connlint.toml or pass `--model` (`latest`, or a \
                    date from 2024-02-23 on)",
            ]
        );
        // Its SDK spelling too.
        let out = run_at(&json!({"integrationName": "Salesforce"}), "2023-11-07");
        assert!(out[0]
            .help
            .as_deref()
            .is_some_and(|h| h.starts_with("`integration_name` was added on 2025-02-05")));
        // Under the latest model they are properties.
        let out = run(
            &json!({"integration_name": "x", "auth": {"dev_api_key": "<k>"}}),
            "",
        );
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn removed_fields_are_left_to_removed_field() {
        assert!(run(&json!({"cursors_cache": [], "auth_aws_arn": "arn"}), "").is_empty());
        // Before their removal they are properties.
        assert!(run_at(&json!({"cursors_cache": []}), "2024-05-03").is_empty());
    }

    #[test]
    fn never_suggests_a_key_the_object_already_has() {
        let out = run(
            &json!({"integration_type": "x", "integration_name": "X", "integraton_type": "y"}),
            "",
        );
        assert_eq!(
            out[0].help.as_deref(),
            Some(
                "not a property of a Connection in any release up to 2026-08-14; the API \
                ignores it: remove it, or check the spelling"
            )
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
        assert_eq!(
            typo.help.as_deref(),
            Some(
                "not a property of the `auth` object in any release up to 2026-08-14; did you \
                mean `access_token`?"
            )
        );
    }

    #[test]
    fn says_where_a_misplaced_key_belongs() {
        let out = run(&json!({"refresh_token": "<t>"}), "");
        assert_eq!(
            out[0].help.as_deref(),
            Some(
                "not a property of a Connection in any release up to 2026-08-14; \
                `refresh_token` is a property of the `auth` object; move it there"
            )
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
