//! Property: for any valid payload with any of its keys written in the SDK's camelCase,
//! `--fix` output parses, equals the original text with exactly those keys renamed, and
//! re-checks clean of `lint::sdk-casing`.

use connlint::fix;
use connlint::rules::RuleSet;
use proptest::prelude::*;
use serde_json::{json, Map, Value};

use crate::support::{checker, proptest_config};

/// A field's wire name and a valid value for it.
type Field = (&'static str, fn() -> Value);

const TOP: &[Field] = &[
    ("auth_aws_arn", || {
        json!("arn:aws:secretsmanager:eu-west-1:1:secret:x")
    }),
    ("created_at", || json!("2023-11-07T09:15:27Z")),
    ("updated_at", || json!("2023-11-08T09:15:27Z")),
    ("external_xref", || json!("x-1")),
    ("is_paused", || json!(false)),
    ("workspace_id", || json!("ws_1")),
    ("environment", || json!("Production")),
];

const AUTH: &[Field] = &[
    ("access_token", || json!("at_FAKE0123456789abcdef")),
    ("refresh_token", || json!("rt_FAKE0123456789abcdef")),
    ("expires_in", || json!(3600)),
    ("expiry_date", || json!("2023-11-07T10:15:27Z")),
    ("client_id", || json!("client")),
    ("client_secret", || json!("cs_FAKE0123456789abcdef")),
    ("token_url", || json!("https://example.com/token")),
    ("refresh_token_expires_in", || json!(7200)),
    ("other_auth_info", || json!(["oai_FAKE0123456789"])),
];

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// (payload text, the same text with the camelCase keys renamed to snake_case)
fn payload() -> impl Strategy<Value = (String, String)> {
    (
        proptest::collection::vec(any::<(bool, bool)>(), TOP.len()),
        proptest::collection::vec(any::<(bool, bool)>(), AUTH.len()),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(top, auth, with_auth, camel_required, pretty)| {
            let mut renames: Vec<(String, &str)> = Vec::new();
            let mut key = |name: &'static str, use_camel: bool| {
                let written = if use_camel {
                    camel(name)
                } else {
                    name.to_string()
                };
                if written != name {
                    renames.push((written.clone(), name));
                }
                written
            };
            let mut root = Map::new();
            root.insert(key("integration_type", camel_required), json!("hubspot"));
            root.insert("categories".into(), json!(["crm"]));
            root.insert("permissions".into(), json!(["crm_contact_read"]));
            for ((name, value), (present, use_camel)) in TOP.iter().zip(top) {
                if present {
                    root.insert(key(name, use_camel), value());
                }
            }
            if with_auth {
                let mut object = Map::new();
                for ((name, value), (present, use_camel)) in AUTH.iter().zip(auth) {
                    if present {
                        object.insert(key(name, use_camel), value());
                    }
                }
                root.insert("auth".into(), Value::Object(object));
            }
            let root = Value::Object(root);
            let text = if pretty {
                serde_json::to_string_pretty(&root)
            } else {
                serde_json::to_string(&root)
            }
            .expect("serialise");
            let mut renamed = text.clone();
            for (written, wire) in &renames {
                renamed = renamed.replace(&format!("\"{written}\":"), &format!("\"{wire}\":"));
            }
            (text, renamed)
        })
}

proptest! {
    #![proptest_config(proptest_config(128))]

    #[test]
    fn fixing_sdk_cased_keys_renames_exactly_them((text, renamed) in payload()) {
        let checker = checker(RuleSet::default());
        let mut current = text.clone();
        for _ in 0..fix::MAX_ROUNDS {
            let report = checker.check_bytes("p.json", current.as_bytes(), false);
            let (next, applied) = fix::apply(&current, &report, false);
            if applied == 0 {
                break;
            }
            current = next;
        }
        prop_assert!(serde_json::from_str::<Value>(&current).is_ok(), "fixed output does not parse: {}", current);
        prop_assert_eq!(&current, &renamed);
        let report = checker.check_bytes("p.json", current.as_bytes(), false);
        prop_assert!(report.diagnostics.iter().all(|d| d.code != "lint::sdk-casing"), "{:?}", report.diagnostics);
        prop_assert_eq!(report.errors(), 0, "{:?}", report.diagnostics);
    }
}
