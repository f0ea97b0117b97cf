//! The English of schema findings: how a value, a type, a format or a keyword's failure is
//! said. What to report and where is [`super`]'s job; this file only words it. Secret values
//! are described redacted.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use super::Found;
use crate::redact::{is_secret_pointer, redacted_string};

pub(super) fn generic_message(kind: &ValidationErrorKind, found: &Found<'_>) -> String {
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

pub(super) fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A value as a message shows it: `the string "3600"`, `the number 12`, `an object`.
/// Secret values are redacted.
pub(super) fn describe_value(value: &Value, pointer: &str) -> String {
    describe(value, || is_secret_pointer(pointer, false))
}

/// [`describe_value`], asking `secret` (whether the value is a secret) only for the values
/// it would show: numbers and strings.
pub(super) fn describe(value: &Value, secret: impl Fn() -> bool) -> String {
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
pub(super) fn shorten(s: &str) -> String {
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

pub(super) fn with_article(ty: &str) -> String {
    match ty {
        "null" => "null".to_string(),
        "integer" | "object" | "array" => format!("an {ty}"),
        other => format!("a {other}"),
    }
}

pub(super) fn join_alternatives(mut items: Vec<String>) -> String {
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

/// The help for a value of the wrong type: the mechanical conversion when there is one.
pub(super) fn type_help(instance: &Value, kind: &TypeKind) -> Option<String> {
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

pub(super) fn required_help(name: &str) -> String {
    match name {
        "categories" => "add `\"categories\": [\"crm\"]`, listing the integration categories the \
            connection supports"
            .to_string(),
        "permissions" => "add `\"permissions\": [\"crm_contact_read\"]`, listing the permissions \
            the connection was authorized with"
            .to_string(),
        "integration_type" => "add `\"integration_type\": \"…\"`, naming the integration (e.g. \
            \"hubspot\")"
            .to_string(),
        other => format!("add the `{other}` property"),
    }
}

pub(super) fn format_expectation(format: &str) -> (String, Option<&'static str>) {
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
