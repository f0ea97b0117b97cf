//! jsonschema's errors → [`Finding`]s: one code per keyword, a message that says what was
//! expected and what was found, and the part of the instance to point at.
//!
//! `anyOf`/`oneOf` failures are unfolded to the branch the instance was meant for, so an
//! error inside the nullable `auth` object names its leaf (`/auth/expires_in`) instead of
//! "not valid under any of the given schemas". Messages never show a secret value.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::ValidationError;
use std::borrow::Cow;
use std::cell::OnceCell;
use std::fmt;

use serde_json::Value;

use crate::diagnostic::{Applicability, Finding, Repair, RepairAction, Target};
use crate::pointer::escape_token;
use crate::redact::{is_secret_pointer, redacted_string};
use crate::suggest::did_you_mean;
use crate::tree::{self, representation::Tree};

/// Validates `instance` and returns a finding per problem, with pointers prefixed by `prefix`
/// (the instance's own pointer in its file, e.g. `/3` for the fourth item of a list).
pub fn validate(
    validator: &jsonschema::Validator<Tree>,
    instance: &tree::Value<'_>,
    prefix: &str,
) -> Vec<Finding> {
    if validator.is_valid(instance) {
        return Vec::new();
    }
    let mut findings = Vec::new();
    for error in validator.iter_errors(instance) {
        push_findings(&error, prefix, &mut findings);
    }
    findings
}

fn push_findings(error: &ValidationError<'_>, prefix: &str, out: &mut Vec<Finding>) {
    let pointer = format!("{prefix}{}", error.instance_path().as_str());
    let instance: &Value = error.instance();
    let found = Found {
        text: OnceCell::new(),
        secret: OnceCell::new(),
        instance,
        pointer: &pointer,
    };
    let kind = error.kind();
    let code = code_for(kind.keyword());
    let finding = |target: Target, message: String| {
        Finding::new(code.clone(), pointer.clone(), target, message)
    };
    match kind {
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            unfold_alternatives(error, context, prefix, &pointer, &found, out);
        }
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(ty) => with_article(&ty.to_string()),
                TypeKind::Multiple(set) => {
                    join_alternatives(set.iter().map(|ty| with_article(&ty.to_string())).collect())
                }
            };
            let secret = found.is_secret();
            let repair = if secret { None } else { type_repair(instance, kind) };
            let mut f = finding(Target::Value, format!("expected {expected}, found {found}"));
            f.repair = repair;
            out.push(
                f.with_label(format!("expected {expected}"))
                    .maybe_help(if secret { None } else { type_help(instance, kind) }),
            );
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().map_or_else(|| property.to_string(), str::to_string);
            out.push(
                finding(Target::Open, format!("missing required property `{name}`"))
                    .with_label(format!("`{name}` is missing from this object"))
                    .with_help(required_help(&name)),
            );
        }
        ValidationErrorKind::Enum { options } => {
            let allowed: Vec<&str> = options.as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
            let expected = match options.as_array() {
                Some(values) if values.len() <= 5 => {
                    format!("one of {}", values.iter().map(Value::to_string).collect::<Vec<_>>().join(", "))
                }
                Some(values) => format!("one of the {} allowed values", values.len()),
                None => "an allowed value".to_string(),
            };
            let mut f = finding(Target::Value, format!("expected {expected}, found {found}")).with_label("not an allowed value");
            let secret = found.is_secret();
            f.help = match instance.as_str() {
                Some(given) if !secret => did_you_mean(given, &allowed).map(|s| format!("did you mean `{s}`?")),
                _ => None,
            };
            // Exactly one allowed value equal but for case: a safe, mechanical fix (`CRM` → `crm`).
            if let Some(given) = instance.as_str().filter(|_| !secret) {
                let mut same = allowed.iter().filter(|a| a.eq_ignore_ascii_case(given));
                if let (Some(only), None) = (same.next(), same.next()) {
                    f.repair = Some(Repair {
                        applicability: Applicability::Safe,
                        action: RepairAction::ReplaceValue(Value::String((*only).to_string()).to_string()),
                    });
                }
            }
            if f.help.is_none() && !allowed.is_empty() && allowed.len() <= 12 {
                f.help = Some(format!("allowed values: {}", allowed.join(", ")));
            }
            out.push(f);
        }
        ValidationErrorKind::Format { format } => {
            let (what, example) = format_expectation(format);
            let mut f = finding(Target::Value, format!("expected {what}, found {found}")).with_label(format!("not {what}"));
            if let Some(example) = example {
                f.help = Some(format!("write it like `{example}`"));
            }
            out.push(f);
        }
        ValidationErrorKind::AdditionalProperties { unexpected } | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            for key in unexpected {
                out.push(
                    Finding::new(code.clone(), format!("{pointer}/{}", escape_token(key)), Target::Key, format!("property `{key}` is not allowed here"))
                        .with_label("not allowed")
                        .with_help("remove it, or check the spelling against the schema"),
                );
            }
        }
        ValidationErrorKind::PropertyNames { error: inner } => {
            let name = inner.instance().as_str().unwrap_or_default().to_string();
            let mut nested = Vec::new();
            push_findings(inner, "", &mut nested);
            let reason = nested.first().map_or_else(String::new, |f| format!(": {}", f.message));
            out.push(finding(Target::Value, format!("property name `{name}` is not allowed{reason}")));
        }
        ValidationErrorKind::Constant { expected_value } => {
            let expected = describe_value(expected_value, &pointer);
            out.push(finding(Target::Value, format!("expected exactly {expected}, found {found}")));
        }
        ValidationErrorKind::FalseSchema => out.push(finding(Target::Value, format!("no value is allowed here, found {found}"))),
        ValidationErrorKind::OneOfMultipleValid { .. } => out.push(finding(
            Target::Value,
            format!("expected a value matching exactly one alternative, found {found}, which matches several"),
        )),
        ValidationErrorKind::Referencing(err) => out.push(finding(Target::Value, format!("the schema has an unresolvable reference: {err}"))),
        _ => out.push(finding(Target::Value, generic_message(kind, &found))),
    }
}

trait MaybeHelp {
    fn maybe_help(self, help: Option<String>) -> Self;
}

impl MaybeHelp for Finding {
    fn maybe_help(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }
}

/// Picks the alternative the instance was meant for and reports its errors; falls back to
/// one combined message when the instance's type matches no alternative.
fn unfold_alternatives(
    error: &ValidationError<'_>,
    branches: &[Vec<ValidationError<'static>>],
    prefix: &str,
    pointer: &str,
    found: &Found<'_>,
    out: &mut Vec<Finding>,
) {
    let here = error.instance_path().as_str();
    let mismatched_type = |branch: &[ValidationError<'_>]| {
        branch.iter().any(|e| {
            e.instance_path().as_str() == here
                && matches!(e.kind(), ValidationErrorKind::Type { .. })
        })
    };
    let meant: Vec<&Vec<ValidationError<'static>>> =
        branches.iter().filter(|b| !mismatched_type(b)).collect();
    if let Some(best) = meant.iter().min_by_key(|b| b.len()) {
        for inner in best.iter() {
            push_findings(inner, prefix, out);
        }
        return;
    }
    let mut expected: Vec<String> = Vec::new();
    for branch in branches {
        for e in branch.iter().filter(|e| e.instance_path().as_str() == here) {
            if let ValidationErrorKind::Type { kind } = e.kind() {
                let names: Vec<String> = match kind {
                    TypeKind::Single(ty) => vec![ty.to_string()],
                    TypeKind::Multiple(set) => set.iter().map(|t| t.to_string()).collect(),
                };
                for name in names.into_iter().map(|n| with_article(&n)) {
                    if !expected.contains(&name) {
                        expected.push(name);
                    }
                }
            }
        }
    }
    let expected = join_alternatives(expected);
    out.push(
        Finding::new(
            "schema::type",
            pointer.to_string(),
            Target::Value,
            format!("expected {expected}, found {found}"),
        )
        .with_label(format!("expected {expected}")),
    );
}

fn generic_message(kind: &ValidationErrorKind, found: &Found<'_>) -> String {
    use ValidationErrorKind as K;
    match kind {
        K::MinItems { limit } => format!(
            "expected at least {limit} item{}, found {found}",
            plural(*limit)
        ),
        K::MaxItems { limit } => format!(
            "expected at most {limit} item{}, found {found}",
            plural(*limit)
        ),
        K::MinLength { limit } => format!(
            "expected at least {limit} character{}, found {found}",
            plural(*limit)
        ),
        K::MaxLength { limit } => format!(
            "expected at most {limit} character{}, found {found}",
            plural(*limit)
        ),
        K::MinProperties { limit } => format!(
            "expected at least {limit} propert{}, found {found}",
            if *limit == 1 { "y" } else { "ies" }
        ),
        K::MaxProperties { limit } => format!(
            "expected at most {limit} propert{}, found {found}",
            if *limit == 1 { "y" } else { "ies" }
        ),
        K::Minimum { limit } => format!("expected a number ≥ {limit}, found {found}"),
        K::Maximum { limit } => format!("expected a number ≤ {limit}, found {found}"),
        K::ExclusiveMinimum { limit } => format!("expected a number > {limit}, found {found}"),
        K::ExclusiveMaximum { limit } => format!("expected a number < {limit}, found {found}"),
        K::MultipleOf { multiple_of } => {
            format!("expected a multiple of {multiple_of}, found {found}")
        }
        K::Pattern { pattern } => format!("expected a string matching `{pattern}`, found {found}"),
        K::UniqueItems => {
            format!("expected items to be unique, found {found} with a repeated item")
        }
        K::Contains => format!("expected an array containing a matching item, found {found}"),
        K::Not { .. } => format!("expected a value not matching the `not` schema, found {found}"),
        K::AdditionalItems { limit } => format!(
            "expected at most {limit} item{}, found {found}",
            plural(*limit as u64)
        ),
        K::UnevaluatedItems { unexpected } => format!(
            "found {} item{} not allowed here",
            unexpected.len(),
            plural(unexpected.len() as u64)
        ),
        K::ContentEncoding { content_encoding } => {
            format!("expected {content_encoding}-encoded content, found {found}")
        }
        K::ContentMediaType { content_media_type } => {
            format!("expected content of type {content_media_type}, found {found}")
        }
        K::FromUtf8 { .. } => format!("expected content that decodes to UTF-8, found {found}"),
        K::Custom { message, .. } => message.clone(),
        other => format!("fails the `{}` keyword, found {found}", other.keyword()),
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The finding code of a keyword's errors: `schema::type`. The usual keywords' codes are
/// static, so a finding about them allocates no code.
fn code_for(keyword: &str) -> Cow<'static, str> {
    const COMMON: &[&str] = &[
        "schema::additionalProperties",
        "schema::anyOf",
        "schema::const",
        "schema::enum",
        "schema::format",
        "schema::oneOf",
        "schema::required",
        "schema::type",
    ];
    COMMON
        .iter()
        .find(|code| code.strip_prefix("schema::") == Some(keyword))
        .map_or_else(
            || Cow::Owned(format!("schema::{keyword}")),
            |code| Cow::Borrowed(*code),
        )
}

/// What an error's instance is, as its message would say it ([`describe_value`]): described
/// only if the message uses it, since many (a missing property, an unknown key) do not.
struct Found<'a> {
    text: OnceCell<String>,
    /// Whether its value is a secret ([`is_secret_pointer`]), asked at most once however
    /// many parts of a finding need to know.
    secret: OnceCell<bool>,
    instance: &'a Value,
    pointer: &'a str,
}

impl Found<'_> {
    fn is_secret(&self) -> bool {
        *self
            .secret
            .get_or_init(|| is_secret_pointer(self.pointer, false))
    }
}

impl fmt::Display for Found<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            self.text
                .get_or_init(|| describe(self.instance, || self.is_secret())),
        )
    }
}

/// A value as a message shows it: `the string "3600"`, `the number 12`, `an object`.
/// Secret values are redacted.
pub fn describe_value(value: &Value, pointer: &str) -> String {
    describe(value, || is_secret_pointer(pointer, false))
}

/// [`describe_value`], asking `secret` (whether the value is a secret) only for the values
/// it would show: numbers and strings.
fn describe(value: &Value, secret: impl Fn() -> bool) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(_) if secret() => "a number (redacted)".to_string(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(_) if secret() => format!(
            "the string {} (redacted)",
            redacted_string(value.as_str().unwrap_or_default())
        ),
        Value::String(s) => format!("the string {}", shorten(s)),
        Value::Array(items) => format!(
            "an array of {} item{}",
            items.len(),
            plural(items.len() as u64)
        ),
        Value::Object(_) => "an object".to_string(),
    }
}

/// A string quoted as JSON, cut to a readable length.
fn shorten(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        Value::String(s.to_string()).to_string()
    } else {
        let head: String = s.chars().take(MAX).collect();
        format!(
            "{}…\"",
            Value::String(head).to_string().trim_end_matches('"')
        )
    }
}

fn with_article(ty: &str) -> String {
    match ty {
        "null" => "null".to_string(),
        "integer" | "object" | "array" => format!("an {ty}"),
        other => format!("a {other}"),
    }
}

fn join_alternatives(mut items: Vec<String>) -> String {
    // null last reads better: "an object or null".
    items.sort_by_key(|i| i == "null");
    match items.len() {
        0 => "another type".to_string(),
        1 => items.remove(0),
        _ => {
            let last = items.pop().unwrap_or_default();
            format!("{} or {last}", items.join(", "))
        }
    }
}

/// The conversion a value of the wrong type needs, when it is mechanical: a number or a
/// boolean written as a string. Unsafe: `"3600"` and `3600` may mean different things to
/// whoever wrote the payload.
fn type_repair(instance: &Value, kind: &TypeKind) -> Option<Repair> {
    let wants = |name: &str| match kind {
        TypeKind::Single(ty) => ty.to_string() == name,
        TypeKind::Multiple(set) => set.iter().any(|t| t.to_string() == name),
    };
    let text = instance.as_str()?.trim();
    let replacement = match serde_json::from_str::<Value>(text).ok()? {
        Value::Number(n) if wants("number") || (wants("integer") && (n.is_i64() || n.is_u64())) => {
            n.to_string()
        }
        Value::Bool(b) if wants("boolean") => b.to_string(),
        _ => return None,
    };
    Some(Repair {
        applicability: Applicability::Unsafe,
        action: RepairAction::ReplaceValue(replacement),
    })
}

/// The help for a value of the wrong type: the mechanical conversion when there is one.
fn type_help(instance: &Value, kind: &TypeKind) -> Option<String> {
    let wants = |name: &str| match kind {
        TypeKind::Single(ty) => ty.to_string() == name,
        TypeKind::Multiple(set) => set.iter().any(|t| t.to_string() == name),
    };
    match instance {
        Value::String(s)
            if (wants("number") || wants("integer")) && s.trim().parse::<f64>().is_ok() =>
        {
            Some("remove the quotes: numbers are written without them".to_string())
        }
        Value::String(s) if wants("boolean") && matches!(s.as_str(), "true" | "false") => {
            Some(format!("write the boolean `{s}` without quotes"))
        }
        Value::String(_) if wants("array") => {
            Some("wrap the value in an array: [\"…\"]".to_string())
        }
        Value::String(_) if wants("object") => Some(
            "the auth object is a JSON object of named fields, e.g. {\"access_token\": \"…\"}"
                .to_string(),
        ),
        Value::Number(n) if wants("string") => Some(format!("quote it: \"{n}\"")),
        _ => None,
    }
}

fn required_help(name: &str) -> String {
    match name {
        "categories" => "add `\"categories\": [\"crm\"]`, listing the integration categories the connection supports".to_string(),
        "permissions" => "add `\"permissions\": [\"crm_contact_read\"]`, listing the permissions the connection was authorized with".to_string(),
        "integration_type" => "add `\"integration_type\": \"…\"`, naming the integration (e.g. \"hubspot\")".to_string(),
        other => format!("add the `{other}` property"),
    }
}

fn format_expectation(format: &str) -> (String, Option<&'static str>) {
    match format {
        "date-time" => (
            "an RFC 3339 date-time".to_string(),
            Some("2023-11-07T09:15:27.123Z"),
        ),
        "date" => ("an RFC 3339 date".to_string(), Some("2023-11-07")),
        "time" => ("an RFC 3339 time".to_string(), Some("09:15:27Z")),
        "email" => ("an e-mail address".to_string(), Some("jo@example.com")),
        "uri" => (
            "an absolute URI".to_string(),
            Some("https://example.com/path"),
        ),
        "uuid" => (
            "a UUID".to_string(),
            Some("123e4567-e89b-12d3-a456-426614174000"),
        ),
        other => (format!("a string in the `{other}` format"), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn builtin_findings(instance: Value) -> Vec<Finding> {
        let schema = crate::schema::CompiledSchema::builtin().expect("schema");
        validate(
            &schema.validator,
            &crate::tree::Value::from_serde(&instance),
            "",
        )
    }

    fn base() -> Value {
        json!({"categories": ["crm"], "integration_type": "hubspot", "permissions": ["crm_contact_read"]})
    }

    #[test]
    fn valid_payload_has_no_findings() {
        assert!(builtin_findings(base()).is_empty());
    }

    #[test]
    fn errors_inside_nullable_auth_name_the_leaf() {
        let mut payload = base();
        payload["auth"] = json!({"expires_in": "3600"});
        let findings = builtin_findings(payload);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].code, "schema::type");
        assert_eq!(findings[0].pointer, "/auth/expires_in");
        assert_eq!(
            findings[0].message,
            "expected a number or null, found the string \"3600\""
        );
    }

    #[test]
    fn string_auth_is_a_redacted_type_error() {
        let mut payload = base();
        payload["auth"] = json!("Bearer sk_live_abcdefghijklmnop");
        let findings = builtin_findings(payload);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].pointer, "/auth");
        assert!(findings[0]
            .message
            .starts_with("expected an object or null, found the string"));
        assert!(
            !findings[0].message.contains("sk_live"),
            "{}",
            findings[0].message
        );
    }

    #[test]
    fn every_problem_is_reported() {
        let findings = builtin_findings(
            json!({"categories": ["CRM"], "created_at": "yesterday", "is_paused": "true"}),
        );
        let codes: Vec<&str> = findings.iter().map(|f| f.code.as_ref()).collect();
        assert!(codes.contains(&"schema::enum"));
        assert!(codes.contains(&"schema::format"));
        assert!(codes.contains(&"schema::type"));
        assert_eq!(
            codes.iter().filter(|c| **c == "schema::required").count(),
            2
        );
    }

    #[test]
    fn enum_help_suggests_the_close_value() {
        let mut payload = base();
        payload["permissions"] = json!(["crm_contact_reed"]);
        let findings = builtin_findings(payload);
        assert_eq!(
            findings[0].help.as_deref(),
            Some("did you mean `crm_contact_read`?")
        );
    }
}
