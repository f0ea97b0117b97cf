//! Property tests (issue 6), through the library so each case costs microseconds:
//!
//! 1. any bytes, in JSON and JSON Lines mode, give a report and exit 0 or 1 — never a panic
//!    — and every output format renders it;
//! 2. a random mutation of a valid payload (a key deleted or renamed, a value of another
//!    type, an enum value replaced) gets the verdict of an independent checker written here
//!    from the schema's text, with each diagnostic at the mutated pointer, located exactly;
//! 3. whatever the defect, no secret value appears in any output format.

use std::sync::OnceLock;

use connlint::check::{Checker, Outcome};
use connlint::diagnostic::FileReport;
use connlint::output::{render, Format, RenderOptions};
use connlint::rules::{Level, RuleSet, ALL};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Map, Value};

use crate::support::{checker, formats, proptest_config, repo};

/// Cases per property (`PROPTEST_CASES` overrides it): enough to cover every mutation kind
/// many times, few enough that the whole module runs in seconds. Failures are kept in
/// `properties.proptest-regressions` beside this file and replayed first.
const CASES: u32 = 192;

/// The built-in schema with every lint rule at its default level.
fn default_checker() -> &'static Checker {
    static CHECKER: OnceLock<Checker> = OnceLock::new();
    CHECKER.get_or_init(|| checker(RuleSet::default()))
}

/// The built-in schema alone: the verdict is the schema's, which the oracle below predicts.
fn schema_checker() -> &'static Checker {
    static CHECKER: OnceLock<Checker> = OnceLock::new();
    CHECKER.get_or_init(|| {
        let off: Vec<_> = ALL.iter().map(|rule| (*rule, Level::Off)).collect();
        checker(RuleSet::with_levels(&off))
    })
}

/// The built-in schema with every lint rule on, so that each rule's messages are rendered.
fn all_rules_checker() -> &'static Checker {
    static CHECKER: OnceLock<Checker> = OnceLock::new();
    CHECKER.get_or_init(|| {
        let on: Vec<_> = ALL.iter().map(|rule| (*rule, Level::Warning)).collect();
        checker(RuleSet::with_levels(&on))
    })
}

fn exit_code(report: &FileReport) -> u8 {
    Outcome::of(std::slice::from_ref(report), false).exit_code()
}

/// Every format's rendering of `report`.
fn render_all(report: &FileReport) -> Vec<(Format, String)> {
    let reports = std::slice::from_ref(report);
    formats()
        .into_iter()
        .map(|(format, _)| {
            let mut out = Vec::new();
            render(format, reports, &RenderOptions::default(), &mut out).expect("render");
            (format, String::from_utf8_lossy(&out).into_owned())
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The independent oracle: the Connection schema's rules, written out by hand from the
// schema's text (`schemas/connection.schema.json`), which also supplies the enum values.

/// What a property of the schema accepts.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// A string (never null).
    Str,
    /// A string or null.
    StrOrNull,
    /// An RFC 3339 date-time string, or null.
    DateTimeOrNull,
    /// A boolean or null.
    BoolOrNull,
    /// A number or null.
    NumberOrNull,
    /// An array of strings, or null.
    StringsOrNull,
    /// An object (anything inside), or null.
    ObjectOrNull,
    /// An array of values of the named enum (`Category`, `Permission`).
    EnumArray(&'static str),
    /// The auth object, or null.
    Auth,
}

const ROOT_REQUIRED: &[&str] = &["categories", "integration_type", "permissions"];

fn root_kind(key: &str) -> Option<Kind> {
    Some(match key {
        "auth" => Kind::Auth,
        "categories" => Kind::EnumArray("Category"),
        "permissions" => Kind::EnumArray("Permission"),
        "integration_type" => Kind::Str,
        "created_at" | "updated_at" => Kind::DateTimeOrNull,
        "is_paused" => Kind::BoolOrNull,
        "auth_aws_arn" | "environment" | "external_xref" | "id" | "workspace_id" => Kind::StrOrNull,
        _ => return None,
    })
}

fn auth_kind(key: &str) -> Option<Kind> {
    Some(match key {
        "expires_in" | "refresh_token_expires_in" => Kind::NumberOrNull,
        "expiry_date" | "refresh_token_expires_date" => Kind::DateTimeOrNull,
        "emails" | "other_auth_info" => Kind::StringsOrNull,
        "meta" => Kind::ObjectOrNull,
        "access_token" | "api_url" | "app_id" | "authorize_url" | "client_id" | "client_secret"
        | "consumer_key" | "consumer_secret" | "key" | "name" | "pem" | "refresh_token"
        | "state" | "token" | "token_url" => Kind::StrOrNull,
        _ => return None,
    })
}

/// The values an enum of the committed schema allows, read from the file's text.
fn enum_values(name: &str) -> &'static [String] {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    static CATEGORY: OnceLock<Vec<String>> = OnceLock::new();
    static PERMISSION: OnceLock<Vec<String>> = OnceLock::new();
    let schema = SCHEMA.get_or_init(|| {
        let path = repo().join("schemas/connection.schema.json");
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema file"))
            .expect("schema JSON")
    });
    let cell = if name == "Category" {
        &CATEGORY
    } else {
        &PERMISSION
    };
    cell.get_or_init(|| {
        schema["definitions"][name]["enum"]
            .as_array()
            .expect("enum")
            .iter()
            .map(|v| v.as_str().expect("string").to_string())
            .collect()
    })
}

/// RFC 3339 `date-time`, as JSON Schema's `format` means it: `YYYY-MM-DDTHH:MM:SS`, an
/// optional fraction, and `Z` or an offset. (The generators only make plain valid ones.)
fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    if b.len() < 20 || !(digits(0..4) && digits(5..7) && digits(8..10)) {
        return false;
    }
    if b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') {
        return false;
    }
    if !(digits(11..13) && digits(14..16) && digits(17..19)) || b[13] != b':' || b[16] != b':' {
        return false;
    }
    let mut rest = &s[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &fraction[n..];
    }
    matches!(rest, "Z" | "z")
        || (rest.len() == 6
            && matches!(rest.as_bytes()[0], b'+' | b'-')
            && rest.as_bytes()[3] == b':')
}

/// An expected diagnostic: its code and pointer.
type Expected = (&'static str, String);

/// The schema errors of one Connection at `prefix`, by the rules above.
fn oracle(value: &Value, prefix: &str, out: &mut Vec<Expected>) {
    let Some(object) = value.as_object() else {
        out.push(("schema::type", prefix.to_string()));
        return;
    };
    for key in ROOT_REQUIRED {
        if !object.contains_key(*key) {
            out.push(("schema::required", prefix.to_string()));
        }
    }
    for (key, value) in object {
        if let Some(kind) = root_kind(key) {
            check_kind(kind, value, &format!("{prefix}/{}", escape(key)), out);
        }
    }
}

fn check_kind(kind: Kind, value: &Value, pointer: &str, out: &mut Vec<Expected>) {
    let wrong_type = || ("schema::type", pointer.to_string());
    match (kind, value) {
        (Kind::Str, Value::String(_))
        | (
            Kind::StrOrNull
            | Kind::DateTimeOrNull
            | Kind::BoolOrNull
            | Kind::NumberOrNull
            | Kind::StringsOrNull
            | Kind::ObjectOrNull
            | Kind::Auth,
            Value::Null,
        )
        | (Kind::StrOrNull, Value::String(_))
        | (Kind::BoolOrNull, Value::Bool(_))
        | (Kind::NumberOrNull, Value::Number(_))
        | (Kind::ObjectOrNull, Value::Object(_)) => {}
        (Kind::DateTimeOrNull, Value::String(s)) => {
            if !is_date_time(s) {
                out.push(("schema::format", pointer.to_string()));
            }
        }
        (Kind::StringsOrNull, Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                if !item.is_string() {
                    out.push(("schema::type", format!("{pointer}/{i}")));
                }
            }
        }
        (Kind::EnumArray(name), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                match item.as_str() {
                    Some(s) if enum_values(name).iter().any(|v| v == s) => {}
                    Some(_) => out.push(("schema::enum", format!("{pointer}/{i}"))),
                    None => out.push(("schema::type", format!("{pointer}/{i}"))),
                }
            }
        }
        (Kind::Auth, Value::Object(auth)) => {
            for (key, value) in auth {
                if let Some(kind) = auth_kind(key) {
                    check_kind(kind, value, &format!("{pointer}/{}", escape(key)), out);
                }
            }
        }
        _ => out.push(wrong_type()),
    }
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

// ---------------------------------------------------------------------------------------------
// Generators.

fn secret() -> impl Strategy<Value = String> {
    // A marker and enough entropy that a window of it cannot appear by chance.
    "[A-Za-z0-9]{10,30}".prop_map(|s| format!("Sx{s}"))
}

fn date_time() -> impl Strategy<Value = String> {
    (2000..2030u32, 1..13u32, 1..29u32, 0..24u32, 0..60u32)
        .prop_map(|(y, mo, d, h, mi)| format!("{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:00Z"))
}

fn auth() -> impl Strategy<Value = Value> {
    (
        proptest::option::of(secret()),
        proptest::option::of(secret()),
        proptest::option::of(secret()),
        proptest::option::of(0..100_000u32),
        proptest::option::of(date_time()),
        proptest::option::of("[A-Za-z ]{1,12}"),
        proptest::option::of(proptest::collection::vec(secret(), 1..3)),
        proptest::option::of(proptest::collection::vec("[a-z]{1,8}@example\\.com", 1..3)),
        any::<bool>(),
    )
        .prop_map(
            |(access, refresh, client_secret, expires, expiry, name, other, emails, meta)| {
                let mut auth = Map::new();
                let mut put = |k: &str, v: Option<Value>| {
                    if let Some(v) = v {
                        auth.insert(k.to_string(), v);
                    }
                };
                put("access_token", access.map(Value::from));
                put("refresh_token", refresh.map(Value::from));
                put("client_secret", client_secret.map(Value::from));
                put("expires_in", expires.map(Value::from));
                put("expiry_date", expiry.map(Value::from));
                put("name", name.map(Value::from));
                put("other_auth_info", other.map(Value::from));
                put("emails", emails.map(Value::from));
                put(
                    "meta",
                    meta.then(|| json!({"region": "eu", "n": 1, "nested": [true]})),
                );
                Value::Object(auth)
            },
        )
}

/// A valid Connection payload.
fn payload() -> impl Strategy<Value = Value> {
    (
        proptest::sample::select(vec!["hubspot", "salesforce", "zendesk", "quickbooks"]),
        proptest::sample::subsequence(enum_values("Category").to_vec(), 1..4),
        proptest::sample::subsequence(enum_values("Permission").to_vec(), 1..4),
        proptest::option::of(any::<bool>()),
        proptest::option::of("[a-z0-9]{1,12}"),
        proptest::option::of(date_time()),
        proptest::option::of(auth()),
    )
        .prop_map(
            |(integration, categories, permissions, paused, workspace, created, auth)| {
                let mut payload = json!({
                    "integration_type": integration,
                    "categories": categories,
                    "permissions": permissions,
                });
                let object = payload.as_object_mut().expect("object");
                if let Some(paused) = paused {
                    object.insert("is_paused".into(), paused.into());
                }
                if let Some(workspace) = workspace {
                    object.insert("workspace_id".into(), workspace.into());
                }
                if let Some(created) = created {
                    object.insert("created_at".into(), created.into());
                }
                if let Some(auth) = auth {
                    object.insert("auth".into(), auth);
                }
                payload
            },
        )
}

/// One change to a valid payload.
#[derive(Debug, Clone)]
enum Mutation {
    /// Remove an object member.
    DeleteKey(Index),
    /// Rename an object member to a name the schema does not know.
    RenameKey(Index, String),
    /// Replace a value with one of `TYPE_SAMPLES`.
    ChangeType(Index, Index),
    /// Replace a `categories` or `permissions` item with `value` (maybe another valid one).
    ReplaceEnum(Index, String),
}

/// One value of each JSON type.
fn type_samples() -> [Value; 7] {
    [
        json!(42),
        json!(2.5),
        json!(true),
        json!("text"),
        json!([]),
        json!({}),
        Value::Null,
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<Index>().prop_map(Mutation::DeleteKey),
        (any::<Index>(), "x_[a-z]{1,8}").prop_map(|(i, name)| Mutation::RenameKey(i, name)),
        (any::<Index>(), any::<Index>()).prop_map(|(i, t)| Mutation::ChangeType(i, t)),
        (
            any::<Index>(),
            prop_oneof![
                "zz_[a-z_]{1,12}",
                proptest::sample::select(enum_values("Permission").to_vec()),
                proptest::sample::select(enum_values("Category").to_vec()),
            ]
        )
            .prop_map(|(i, value)| Mutation::ReplaceEnum(i, value)),
    ]
}

/// Pointers of every object member (`members`) and of every value (`values`) in `root`.
fn locations(root: &Value) -> (Vec<String>, Vec<String>) {
    let mut members = Vec::new();
    let mut values = Vec::new();
    let mut stack = vec![(String::new(), root)];
    while let Some((pointer, value)) = stack.pop() {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let child_pointer = format!("{pointer}/{}", escape(key));
                    members.push(child_pointer.clone());
                    stack.push((child_pointer, child));
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    stack.push((format!("{pointer}/{i}"), child));
                }
            }
            _ => {}
        }
        if !pointer.is_empty() {
            values.push(pointer);
        }
    }
    members.sort();
    values.sort();
    (members, values)
}

/// Splits a pointer into its parent's pointer and its last token (unescaped).
fn split(pointer: &str) -> (&str, String) {
    let cut = pointer.rfind('/').expect("not the root");
    let token = pointer[cut + 1..].replace("~1", "/").replace("~0", "~");
    (&pointer[..cut], token)
}

/// Applies `mutation` to `payload`; returns the pointer it changed.
fn apply(payload: &mut Value, mutation: &Mutation) -> String {
    let (members, values) = locations(payload);
    match mutation {
        Mutation::DeleteKey(i) => {
            let pointer = i.get(&members).clone();
            let (parent, key) = split(&pointer);
            payload
                .pointer_mut(parent)
                .and_then(Value::as_object_mut)
                .expect("parent object")
                .remove(&key);
            pointer
        }
        Mutation::RenameKey(i, name) => {
            let pointer = i.get(&members).clone();
            let (parent, key) = split(&pointer);
            let object = payload
                .pointer_mut(parent)
                .and_then(Value::as_object_mut)
                .expect("parent object");
            let value = object.remove(&key).expect("member");
            object.insert(name.clone(), value);
            format!("{parent}/{name}")
        }
        Mutation::ChangeType(i, t) => {
            let pointer = i.get(&values).clone();
            *payload.pointer_mut(&pointer).expect("value") = t.get(&type_samples()).clone();
            pointer
        }
        Mutation::ReplaceEnum(i, value) => {
            let items: Vec<&String> = values
                .iter()
                .filter(|p| p.starts_with("/categories/") || p.starts_with("/permissions/"))
                .collect();
            let pointer = i.get(&items).to_string();
            *payload.pointer_mut(&pointer).expect("item") = Value::from(value.clone());
            pointer
        }
    }
}

/// How the payload sits in its file.
#[derive(Debug, Clone, Copy)]
enum Layout {
    /// The whole file, minified.
    Compact,
    /// The whole file, pretty-printed.
    Pretty,
    /// The first item of a pretty-printed list file.
    List,
    /// One line of a JSON Lines file, between valid lines.
    Line(usize),
}

fn layout() -> impl Strategy<Value = Layout> {
    prop_oneof![
        Just(Layout::Compact),
        Just(Layout::Pretty),
        Just(Layout::List),
        (0..4usize).prop_map(Layout::Line),
    ]
}

/// The file text, whether it is JSON Lines, the pointer prefix of the payload in its document,
/// and the byte offset of that document in the file.
fn file_text(payload: &Value, layout: Layout) -> (String, bool, &'static str, usize) {
    let other = json!({"integration_type": "x", "categories": [], "permissions": []});
    match layout {
        Layout::Compact => (payload.to_string(), false, "", 0),
        Layout::Pretty => (
            serde_json::to_string_pretty(payload).expect("json"),
            false,
            "",
            0,
        ),
        Layout::List => (
            serde_json::to_string_pretty(&json!([payload, other])).expect("json"),
            false,
            "/0",
            0,
        ),
        Layout::Line(before) => {
            let mut text = format!("{other}\n").repeat(before);
            let offset = text.len();
            text.push_str(&payload.to_string());
            text.push_str(&format!("\n{other}\n"));
            (text, true, "", offset)
        }
    }
}

/// 1-based line and character column of byte `offset`, counted here from scratch.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..offset].chars().count() + 1)
}

// ---------------------------------------------------------------------------------------------
// The properties.

/// Bytes that are mostly almost-JSON: a valid payload's text with a few bytes changed.
fn near_json() -> impl Strategy<Value = Vec<u8>> {
    (
        payload(),
        any::<bool>(),
        proptest::collection::vec((any::<Index>(), any::<u8>(), 0..3u8), 1..6),
    )
        .prop_map(|(payload, pretty, edits)| {
            let text = if pretty {
                serde_json::to_string_pretty(&payload).expect("json")
            } else {
                payload.to_string()
            };
            let mut bytes = text.into_bytes();
            for (at, byte, op) in edits {
                let i = at.index(bytes.len() + 1);
                match op {
                    0 => bytes.insert(i, byte),
                    1 if i < bytes.len() => {
                        bytes.remove(i);
                    }
                    _ if i < bytes.len() => bytes[i] = byte,
                    _ => bytes.push(byte),
                }
            }
            bytes
        })
}

proptest! {
    #![proptest_config(proptest_config(CASES))]

    /// (1) Any bytes: a report, exit 0 or 1, every format renders, and anything that is not
    /// one JSON document (in JSON mode) is a `json::` error.
    #[test]
    fn arbitrary_bytes_never_panic(
        bytes in prop_oneof![proptest::collection::vec(any::<u8>(), 0..1024), near_json()],
        json_lines in any::<bool>(),
    ) {
        let report = default_checker().check_bytes("input.json", &bytes, json_lines);
        let exit = exit_code(&report);
        prop_assert!(exit <= 1, "exit {exit}: {:?}", report.diagnostics);
        let is_json = std::str::from_utf8(&bytes)
            .map(|s| s.strip_prefix('\u{feff}').unwrap_or(s))
            .ok()
            .is_some_and(|s| serde_json::from_str::<serde::de::IgnoredAny>(s).is_ok());
        if !json_lines && !is_json {
            prop_assert_eq!(exit, 1);
            prop_assert!(report.diagnostics.iter().any(|d| d.code.starts_with("json::")));
        }
        render_all(&report);
    }

    /// (2) One mutation of a valid payload: the verdict, the codes and the pointers are the
    /// oracle's, and each diagnostic is exactly at its pointer's text.
    #[test]
    fn mutations_match_an_independent_check(
        mut payload in payload(),
        mutation in mutation(),
        layout in layout(),
    ) {
        let mut untouched = Vec::new();
        oracle(&payload, "", &mut untouched);
        prop_assert!(untouched.is_empty(), "generator made an invalid payload: {untouched:?}");

        let mutated = apply(&mut payload, &mutation);
        let (text, json_lines, prefix, doc_start) = file_text(&payload, layout);
        let mut expected = Vec::new();
        oracle(&payload, prefix, &mut expected);

        let report = schema_checker().check_bytes("mutated.json", text.as_bytes(), json_lines);
        let exit = exit_code(&report);
        prop_assert_eq!(exit, u8::from(!expected.is_empty()), "{:?} on {}\n{:#?}", mutation, text, report.diagnostics);

        for (code, pointer) in &expected {
            prop_assert!(
                report.diagnostics.iter().any(|d| d.code == *code && d.pointer.as_deref() == Some(pointer.as_str())),
                "expected {code} at {pointer}; got {:#?}", report.diagnostics
            );
            // The oracle's pointer is the mutated one, or its parent for a missing member.
            let at_mutation = format!("{prefix}{mutated}");
            prop_assert!(
                at_mutation.starts_with(pointer.as_str()) || pointer.starts_with(&at_mutation),
                "{pointer} is not where {at_mutation} was mutated"
            );
        }
        let document: Value = if matches!(layout, Layout::List) {
            serde_json::from_str(&text).expect("list")
        } else {
            payload.clone()
        };
        for d in &report.diagnostics {
            let pointer = d.pointer.as_deref().expect("schema diagnostics have a pointer");
            prop_assert!(
                expected.iter().any(|(code, p)| d.code == *code && p == pointer)
                    || expected.iter().any(|(_, p)| p == pointer),
                "unexpected {} at {pointer}: {}", d.code, d.message
            );
            let span = d.span.expect("located");
            let value = document.pointer(pointer).expect("pointer into the document");
            // The text at the span is that value (its first byte for a missing member: `{`).
            let mut stream = serde_json::Deserializer::from_str(&text[span.start..]).into_iter::<Value>();
            let parsed = stream.next().and_then(Result::ok);
            prop_assert_eq!(parsed.as_ref(), Some(value), "{} at {}: {:?}", d.code, pointer, &text[span.start..span.end]);
            if d.code == "schema::required" {
                prop_assert_eq!(&text[span.start..span.end], "{");
            } else {
                let exact: Value = serde_json::from_str(&text[span.start..span.end]).expect("span is one value");
                prop_assert_eq!(&exact, value);
            }
            prop_assert!(span.start >= doc_start);
            let (line, column) = line_column(&text, span.start);
            let start = d.start.expect("position");
            prop_assert_eq!((start.line, start.column), (line, column));
        }
    }

    /// (3) Secrets, any defect, every format: no secret value is printed. Long secrets may
    /// show their first four characters, so any six consecutive ones must not appear.
    #[test]
    fn secrets_never_appear_in_any_format(
        mut payload in payload(),
        secrets in proptest::collection::vec(secret(), 3),
        defect in 0..5u8,
        mutation in mutation(),
        at in any::<Index>(),
        byte in proptest::sample::select(b"\"{}[],: x\n\\".to_vec()),
        layout in layout(),
    ) {
        let auth = json!({
            "access_token": secrets[0],
            "client_secret": secrets[1],
            "other_auth_info": [secrets[2], "Sx9Qz7Lw3Kp1Vb5NmR8"],
            "expires_in": "3600",
        });
        payload.as_object_mut().expect("object").insert("auth".into(), auth);
        let mut secrets = secrets;
        secrets.push("Sx9Qz7Lw3Kp1Vb5NmR8".to_string());
        if defect == 1 {
            // A schema defect anywhere but on the secrets' own keys (a renamed secret key
            // is no longer secret, by design).
            let before = payload.clone();
            let pointer = apply(&mut payload, &mutation);
            let touched_secret_key = matches!(mutation, Mutation::RenameKey(..) | Mutation::DeleteKey(..))
                && ["/auth", "/auth/access_token", "/auth/client_secret", "/auth/other_auth_info"]
                    .iter()
                    .any(|p| pointer.starts_with(p) || p.starts_with(pointer.as_str()));
            if touched_secret_key {
                payload = before;
            }
        }
        let (text, json_lines, _, _) = file_text(&payload, layout);
        let mut bytes = text.into_bytes();
        let i = at.index(bytes.len());
        match defect {
            2 => bytes.truncate(i),
            3 => bytes.insert(i, byte),
            4 => { bytes.remove(i); }
            _ => {}
        }
        for checker in [default_checker(), all_rules_checker()] {
            let report = checker.check_bytes("secrets.json", &bytes, json_lines);
            for (format, output) in render_all(&report) {
                for secret in &secrets {
                    for window in secret.as_bytes().windows(6) {
                        let window = std::str::from_utf8(window).expect("ASCII");
                        prop_assert!(
                            !output.contains(window),
                            "{format:?} shows {window:?} of a secret (defect {defect}):\n{output}\n--- input:\n{}",
                            String::from_utf8_lossy(&bytes)
                        );
                    }
                }
            }
        }
    }
}

/// The oracle itself, on payloads whose verdicts are known, so that a property cannot pass
/// because the oracle accepts everything.
#[test]
fn oracle_knows_valid_from_invalid() {
    let verdict = |value: Value| {
        let mut out = Vec::new();
        oracle(&value, "", &mut out);
        out.sort();
        out
    };
    assert!(
        verdict(json!({"integration_type": "x", "categories": ["crm"], "permissions": []}))
            .is_empty()
    );
    assert_eq!(
        verdict(json!({"categories": ["crm"], "permissions": []})),
        [("schema::required", String::new())]
    );
    assert_eq!(
        verdict(
            json!({"integration_type": "x", "categories": ["crn"], "permissions": [], "auth": {"expires_in": "1"}})
        ),
        [
            ("schema::enum", "/categories/0".to_string()),
            ("schema::type", "/auth/expires_in".to_string())
        ]
    );
    assert!(is_date_time("2023-11-07T09:15:27.123Z") && is_date_time("2023-11-07T09:15:27+01:00"));
    assert!(!is_date_time("2023-11-07") && !is_date_time("text"));
}
