//! What the model's history says about a name the checked model does not have, in words:
//! it came later (and when), it went earlier (and when), or no release ever had it.
//!
//! `explain` puts that into the help of the schema's `schema::enum` findings about
//! `categories` and `permissions`; `lint::unknown-key` and `lint::removed-field` use the
//! same sentences for keys. This module only writes help text; it decides no findings.

use crate::diagnostic::Finding;
use crate::model::{newest_date, Entry, List, Model};
use crate::suggest::did_you_mean;
use crate::tree::Value;

use super::known::known;

/// Where a name stands against the checked model.
pub(crate) enum Standing {
    /// First appeared in a release after the model's.
    Newer(&'static Entry),
    /// Removed in the model's release or before.
    Removed(&'static Entry),
    /// In the model (nothing to explain).
    Current,
    /// In no release at all.
    Unknown,
}

/// Where `wire` of `list` stands against `model`.
pub(crate) fn standing(list: List, wire: &str, model: Model) -> Standing {
    match list.find(wire) {
        None => Standing::Unknown,
        Some(entry) if entry.lifetime.added > model.index() => Standing::Newer(entry),
        Some(entry) if entry.lifetime.removed.is_some_and(|r| r <= model.index()) => {
            Standing::Removed(entry)
        }
        Some(_) => Standing::Current,
    }
}

/// "`lms_course_read` was added on 2024-11-09; this run checks against the model of
/// 2023-11-07: …": a name the checked model is too old for, and how to move on.
pub(crate) fn newer_help(entry: &Entry, model: Model) -> String {
    let added = entry.lifetime.added_in().date;
    let came = format!(
        "`{}` was added on {added}; this run checks against the model of {}",
        entry.wire,
        model.date()
    );
    match entry.lifetime.removed_in() {
        None => format!(
            "{came}: set `model` in connlint.toml or pass `--model` (`latest`, or a date from \
                {added} on)"
        ),
        Some(removed) => format!(
            "{came}, and it was removed again on {}: set `model` in connlint.toml or pass \
                `--model {added}`",
            removed.date
        ),
    }
}

/// "removed on 2023-10-18 (SDK 0.5.8)": when a name went away.
pub(crate) fn removed_on(entry: &Entry) -> String {
    match entry.lifetime.removed_in() {
        Some(release) => format!("on {} (SDK {})", release.date, release.sdk_version),
        None => "in a later release".to_string(),
    }
}

/// "not a permission in any release up to 2026-08-14", then "did you mean …?" from
/// `candidates` (names of the checked model).
pub(crate) fn unknown_help(what: &str, given: &str, candidates: &[&str]) -> String {
    let never = format!("not {what} in any release up to {}", newest_date());
    match did_you_mean(given, candidates) {
        Some(close) => format!("{never}; did you mean `{close}`?"),
        None => never,
    }
}

/// Rewrites the help of the `schema::enum` findings among `findings` that are about an item
/// of the `categories` or `permissions` of the Connection `value` at `prefix`, checked
/// against `model`, with what the history knows about the value.
pub fn explain(value: &Value<'_>, prefix: &str, model: Model, findings: &mut [Finding]) {
    for finding in findings.iter_mut().filter(|f| f.code == "schema::enum") {
        let Some(rest) = finding.pointer.strip_prefix(prefix) else {
            continue;
        };
        let (key, list, what) = if let Some(index) = rest.strip_prefix("/permissions/") {
            (index, List::Permissions, "a permission")
        } else if let Some(index) = rest.strip_prefix("/categories/") {
            (index, List::Categories, "a category")
        } else {
            continue;
        };
        let name = if list == List::Permissions {
            "permissions"
        } else {
            "categories"
        };
        let Some(given) = key
            .parse::<usize>()
            .ok()
            .and_then(|i| value.get(name)?.as_array()?.get(i)?.as_str())
        else {
            continue;
        };
        let help = match standing(list, given, model) {
            Standing::Newer(entry) => newer_help(entry, model),
            Standing::Removed(entry) => format!(
                "`{given}` was removed {}; this run checks against the model of {}, which no \
                    longer has it",
                removed_on(entry),
                model.date()
            ),
            Standing::Unknown => {
                let candidates = &known(model).enum_list(name).values;
                unknown_help(what, given, candidates)
            }
            Standing::Current => continue,
        };
        finding.help = Some(help);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Target;
    use serde_json::json;

    fn seed() -> Model {
        Model::parse("2023-11-07").expect("a model")
    }

    fn helps(value: &serde_json::Value, model: Model) -> Vec<Option<String>> {
        let schema = crate::schema::CompiledSchema::of_model(model).expect("schema");
        let value = Value::from_serde(value);
        let mut findings =
            crate::validate::validate(&schema.validator, &value, "/4", usize::MAX).findings;
        explain(&value, "/4", model, &mut findings);
        findings
            .into_iter()
            .filter(|f| f.code == "schema::enum")
            .map(|f| f.help)
            .collect()
    }

    #[test]
    fn a_newer_value_says_when_it_came() {
        let value = json!({"integration_type": "x", "categories": ["lms"],
            "permissions": ["lms_course_read", "commerce_metadata_read"]});
        let helps = helps(&value, seed());
        assert_eq!(
            helps,
            vec![
                Some(
                    "`lms` was added on 2024-11-09; this run checks against the model of \
                    2023-11-07: set `model` in connlint.toml or pass `--model` (`latest`, or a \
                    date from 2024-11-09 on)"
                        .to_string()
                ),
                Some(
                    "`lms_course_read` was added on 2024-11-09; this run checks against the \
                    model of 2023-11-07: set `model` in connlint.toml or pass `--model` \
                    (`latest`, or a date from 2024-11-09 on)"
                        .to_string()
                ),
                Some(
                    "`commerce_metadata_read` was added on 2024-11-23; this run checks against \
                    the model of 2023-11-07, and it was removed again on 2024-12-11: set `model` \
                    in connlint.toml or pass `--model 2024-11-23`"
                        .to_string()
                ),
            ]
        );
    }

    #[test]
    fn an_unknown_value_says_no_release_had_it_and_suggests_from_the_model() {
        let value = json!({"integration_type": "x", "categories": ["crm"],
            "permissions": ["crm_contact_reed", "zzzz_nothing"]});
        assert_eq!(
            helps(&value, Model::latest()),
            vec![
                Some(
                    "not a permission in any release up to 2026-08-14; did you mean \
                    `crm_contact_read`?"
                        .to_string()
                ),
                Some("not a permission in any release up to 2026-08-14".to_string()),
            ]
        );
        // Did-you-mean proposes only what the checked model has: `lms_course_read` came in
        // 2024, and under the seed model nothing is close enough.
        let value = json!({"integration_type": "x", "categories": ["crm"],
            "permissions": ["lms_course_raed"]});
        assert_eq!(
            helps(&value, Model::latest()),
            vec![Some(
                "not a permission in any release up to 2026-08-14; did you mean `lms_course_read`?"
                    .to_string()
            )]
        );
        assert_eq!(
            helps(&value, seed()),
            vec![Some(
                "not a permission in any release up to 2026-08-14".to_string()
            )]
        );
    }

    #[test]
    fn a_removed_value_says_when_it_went() {
        // Without `lint::removed-permission` (turned off), the schema finding still says it.
        let value = json!({"integration_type": "x", "categories": ["crm"],
            "permissions": ["crm_user_read"]});
        assert_eq!(
            helps(&value, seed()),
            vec![Some(
                "`crm_user_read` was removed on 2023-10-18 (SDK 0.5.8); this run checks \
                against the model of 2023-11-07, which no longer has it"
                    .to_string()
            )]
        );
    }

    #[test]
    fn other_findings_and_other_connections_are_left_alone() {
        let value = Value::from_serde(&json!({"permissions": ["lms_course_read"]}));
        let mut findings = vec![
            Finding::new("schema::enum", "/3/permissions/0", Target::Value, "m"),
            Finding::new("schema::type", "/4/permissions/0", Target::Value, "m"),
        ];
        explain(&value, "/4", seed(), &mut findings);
        assert!(findings.iter().all(|f| f.help.is_none()), "{findings:?}");
    }
}
