//! `lint::plaintext-secret` (off by default): a credential field holding what looks like a
//! real credential rather than a placeholder. Never shows the value: the finding names the
//! field only, and renderers redact the source around it.

use crate::tree::Value;

use crate::diagnostic::{Finding, Target};
use crate::pointer::escape_token;
use crate::redact::is_secret_key;

use super::{Check, Context, Level, Rule, Scope};

/// The rule.
pub(super) static RULE: Rule = Rule {
    code: "lint::plaintext-secret",
    default_level: Level::Off,
    summary: "A credential field holds what looks like a real secret, not a placeholder",
    explanation: r#"## What it does
Looks at the credential fields of the Connection and its `auth` object (`access_token`,
`refresh_token`, `client_secret`, `consumer_secret`, `token`, `key`, `pem`,
`other_auth_info`, in any casing) and finds values that do not look like placeholders.
A placeholder is empty, wrapped in `<…>`, `${…}` or `{{…}}`, an environment variable
(`$TOKEN`), one character repeated (`****`), or contains a marker such as `xxx`, `REDACTED`,
`changeme`, `FAKE`, `test`, `dummy`, `example`, `placeholder` or `sample` (in any case).

The rule is off by default: enable it for repositories of fixtures and examples that must
never hold a real token. The value itself is never printed.

## Why is this bad?
A real credential committed to a repository is leaked to everyone who can read it, and to
its history long after it is deleted.

## Example
```json
{"integration_type": "hubspot", "categories": ["crm"], "permissions": ["crm_contact_read"],
 "auth": {"access_token": "pat-na1-8c1b0f2e-4d5a-4c3b-9e8f-7a6b5c4d3e2f"}}
```

## Use instead
```json
{"integration_type": "hubspot", "categories": ["crm"], "permissions": ["crm_contact_read"],
 "auth": {"access_token": "<hubspot-access-token>"}}
```
"#,
    scope: Scope::Model,
    replaces: &[],
    check: Check::Value(check),
};

/// Substrings (lowercase) that mark a value as made up.
const MARKERS: &[&str] = &[
    "xxx",
    "redacted",
    "changeme",
    "change_me",
    "change-me",
    "fake",
    "dummy",
    "test",
    "example",
    "placeholder",
    "sample",
];

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for object in ctx.objects() {
        for (key, value, _) in object.members() {
            if !is_secret_key(key) {
                continue;
            }
            let pointer = object.member_pointer(key);
            // `other_auth_info` is a list of credentials: each item is judged on its own.
            let candidates: Vec<(String, &str)> = match value {
                Value::String(text) => vec![(pointer, text.as_ref())],
                Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, item)| Some((format!("{pointer}/{i}"), item.as_str()?)))
                    .collect(),
                _ => Vec::new(),
            };
            for (pointer, text) in candidates {
                if looks_like_placeholder(text) {
                    continue;
                }
                out.push(
                    Finding::new(
                        RULE.code,
                        pointer,
                        Target::Value,
                        format!("`{key}` holds what looks like a real credential"),
                    )
                    .with_label("not a placeholder")
                    .with_help(format!(
                        "replace it with a placeholder such as \"<{}>\" or a fake value \
                            containing FAKE, and rotate the credential if it was real",
                        escape_token(key)
                    )),
                );
            }
        }
    }
}

/// Whether a credential value is evidently not a real one.
fn looks_like_placeholder(value: &str) -> bool {
    let value = value.trim();
    let mut chars = value.chars();
    let Some(first) = chars.next() else {
        return true;
    };
    if chars.all(|c| c == first) {
        return true;
    }
    let wrapped = |open: &str, close: &str| {
        value.len() > open.len() + close.len() && value.starts_with(open) && value.ends_with(close)
    };
    if wrapped("<", ">") || wrapped("${", "}") || wrapped("{{", "}}") {
        return true;
    }
    let env_var = value.strip_prefix('$').is_some_and(|name| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    });
    if env_var {
        return true;
    }
    let lower = value.to_lowercase();
    MARKERS.iter().any(|marker| lower.contains(marker))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(value: &serde_json::Value) -> Vec<Finding> {
        super::super::run_value_check(check, value, "")
    }

    #[test]
    fn flags_real_looking_values_without_showing_them() {
        let secret = "pat-na1-8c1b0f2e4d5a4c3b";
        let out = run(&json!({"auth": {
            "access_token": secret,
            "clientSecret": "cs_9d8c7b6a5f4e3d2c",
            "other_auth_info": ["<first>", "q1w2e3r4t5y6"],
            "token_url": "https://example.invalid/token-9f8e7d",
            "name": "Jo Realname"
        }}));
        let mut pointers: Vec<&str> = out.iter().map(|f| f.pointer.as_str()).collect();
        pointers.sort_unstable();
        assert_eq!(
            pointers,
            vec![
                "/auth/access_token",
                "/auth/clientSecret",
                "/auth/other_auth_info/1"
            ]
        );
        for finding in &out {
            let shown = format!("{} {:?} {:?}", finding.message, finding.help, finding.label);
            assert!(
                !shown.contains(secret) && !shown.contains("cs_9d8c") && !shown.contains("q1w2"),
                "{shown}"
            );
        }
    }

    #[test]
    fn placeholders_are_recognised() {
        for placeholder in [
            "",
            "   ",
            "<access-token>",
            "${HUBSPOT_TOKEN}",
            "{{ token }}",
            "$TOKEN",
            "********",
            "xxxx-xxxx",
            "REDACTED",
            "changeme",
            "at_FAKE7f3c9a1e5b2d",
            "sk_test_51Hq2a",
            "dummy-key",
            "my-example-secret",
            "PLACEHOLDER",
            "sample_token",
        ] {
            assert!(looks_like_placeholder(placeholder), "{placeholder:?}");
        }
        for real in ["pat-na1-8c1b0f2e", "ya29.a0AfH6SMBx", "$lowercase", "${}"] {
            assert!(!looks_like_placeholder(real), "{real:?}");
        }
    }

    #[test]
    fn silent_on_placeholders_non_strings_and_meta() {
        let out = run(&json!({"auth": {
            "access_token": "<token>", "refresh_token": null, "pem": 12,
            "meta": {"api_key": "k8s7d6f5g4h3"}
        }}));
        assert!(out.is_empty(), "{out:?}");
    }
}
