//! `lint::removed-field`: a property the Connection model had and dropped on or before the
//! checked model's release, with the date it went.

use crate::diagnostic::{Finding, Target};

use super::history;
use super::{Check, Context, Level, Rule, Scope};

/// The rule.
pub(super) static RULE: Rule = Rule {
    code: "lint::removed-field",
    default_level: Level::Warning,
    summary: "A property an older release of the model had and the checked one dropped",
    explanation: r#"## What it does
Finds properties of the Connection or of its `auth` object that an older release of the
Unified.to model had and that were removed on or before the release checked against, such
as `cursors_cache` (removed on 2024-11-09) or `auth_aws_arn` (removed on 2026-06-25), and
says when each went. Under an older `--model`, a property removed later is still valid.

## Why is this bad?
The API no longer reads the property: its value is ignored. Unlike a typo, the payload was
right once, so the fix is to drop the property, or to check the payload against the model
of the date it was recorded (`--model`, or `model` in connlint.toml).

## Example
```json
{"integration_type": "hubspot", "categories": ["crm"], "permissions": ["crm_contact_read"],
 "cursors_cache": []}
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
            if kind.is_some() {
                continue;
            }
            let Some(entry) = object.key_history(key) else {
                continue;
            };
            if entry
                .lifetime
                .removed
                .is_none_or(|removed| removed > ctx.model.index())
            {
                continue;
            }
            let when = history::removed_on(entry);
            out.push(
                Finding::new(
                    RULE.code,
                    object.member_pointer(key),
                    Target::Key,
                    format!("`{key}` was removed from {} {when}", object.model.name),
                )
                .with_label("removed property")
                .with_help(format!(
                    "the API ignores it since then: remove it, or check this payload against the \
                        model of a date before {} (`--model`, or `model` in connlint.toml)",
                    entry
                        .lifetime
                        .removed_in()
                        .map_or_else(String::new, |r| r.date.to_string())
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use serde_json::json;

    fn run_at(value: &serde_json::Value, model: Model) -> Vec<Finding> {
        let value = crate::tree::Value::from_serde(value);
        let mut out = Vec::new();
        check(&Context::new(&value, "/1", model), &mut out);
        out
    }

    #[test]
    fn names_the_date_a_field_went() {
        let out = run_at(
            &json!({"cursors_cache": [], "authAwsArn": "arn", "id": "x"}),
            Model::latest(),
        );
        let texts: Vec<(&str, &str, Option<&str>)> = out
            .iter()
            .map(|f| (f.pointer.as_str(), f.message.as_str(), f.help.as_deref()))
            .collect();
        assert_eq!(
            texts,
            vec![
                (
                    "/1/authAwsArn",
                    "`authAwsArn` was removed from a Connection on 2026-06-25 (SDK 1.6.76)",
                    Some(
                        "the API ignores it since then: remove it, or check this payload \
                        against the model of a date before 2026-06-25 (`--model`, or `model` in \
                        connlint.toml)"
                    )
                ),
                (
                    "/1/cursors_cache",
                    "`cursors_cache` was removed from a Connection on 2024-11-09 (SDK 1.1.2)",
                    Some(
                        "the API ignores it since then: remove it, or check this payload \
                        against the model of a date before 2024-11-09 (`--model`, or `model` in \
                        connlint.toml)"
                    )
                ),
            ]
        );
        assert_eq!(out[0].target, Target::Key);
    }

    #[test]
    fn silent_before_the_removal_and_on_unknown_keys() {
        let model = Model::parse("2024-05-03").expect("a model");
        assert!(run_at(&json!({"cursors_cache": [], "auth_aws_arn": "arn"}), model).is_empty());
        assert!(run_at(&json!({"cursors_cach": [], "whatever": 1}), Model::latest()).is_empty());
    }
}
