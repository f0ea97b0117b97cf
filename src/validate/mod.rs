//! jsonschema's errors → [`Finding`]s: one code per keyword, a message that says what was
//! expected and what was found, and the part of the instance to point at. One function per
//! kind of error; the English is in [`text`].
//!
//! `anyOf`/`oneOf` failures are unfolded to the branch the instance was meant for, so an
//! error inside the nullable `auth` object names its leaf (`/auth/expires_in`) instead of
//! "not valid under any of the given schemas". Messages never show a secret value.

mod text;

use std::borrow::Cow;
use std::cell::OnceCell;
use std::fmt;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::ValidationError;
use serde_json::Value;

use crate::diagnostic::{Applicability, Finding, Repair, RepairAction, Target};
use crate::pointer::escape_token;
use crate::redact::is_secret_pointer;
use crate::suggest::did_you_mean;
use crate::tree;
use crate::tree::representation::{fuel, Tree};
use text::{
    describe, describe_value, format_expectation, generic_message, join_alternatives,
    required_help, type_help, with_article,
};

/// Reads of the instance ([`fuel`]) one validation may make: this many per value of the
/// instance, plus [`READS_FLOOR`]. The built-in schemas read each value at most 5 times, both
/// passes together (see the test `fixtures_stay_far_under_the_budget`); past the budget a
/// schema is doing far more work than the instance's size calls for, as an exponential one
/// does. The errors a pass collects are made of what it read, so the budget bounds their
/// memory too, in proportion to the instance.
pub(crate) const READS_PER_VALUE: u64 = 64;

/// The budget's floor, so that a small document may meet a schema with many alternatives.
pub(crate) const READS_FLOOR: u64 = 1_000_000;

/// What validating one instance found.
#[derive(Debug, Default)]
pub(crate) struct Validated {
    /// A finding per problem, at most the `limit` given to [`validate`] (a little more
    /// when the last error unfolds to several findings).
    pub(crate) findings: Vec<Finding>,
    /// Errors beyond the limit, counted but not described; a lower bound when counting
    /// them ran out of budget.
    pub(crate) more: usize,
}

/// Validates `instance` and returns a finding per problem, with pointers prefixed by `prefix`
/// (the instance's own pointer in its file, e.g. `/3` for the fourth item of a list).
///
/// Bounded for any schema: at most `limit` errors are described (the validator's error
/// iterator is lazy, so the rest are counted, never held), and the validation may read the
/// instance at most [`READS_PER_VALUE`] times per value plus [`READS_FLOOR`]; past that it
/// stops with one `schema::too-costly` finding instead of an answer it could not afford.
pub(crate) fn validate(
    validator: &jsonschema::Validator<Tree>,
    instance: &tree::Value<'_>,
    prefix: &str,
    limit: usize,
) -> Validated {
    let budget = READS_FLOOR.saturating_add(instance.node_count().saturating_mul(READS_PER_VALUE));
    match fuel::metered(budget, || validator.is_valid(instance)) {
        Some(true) => return Validated::default(),
        Some(false) => {}
        None => {
            return Validated {
                findings: vec![too_costly(prefix, budget)],
                more: 0,
            }
        }
    }
    let mut validated = Validated::default();
    let mut exhausted = false;
    // Errors are described while the budget lasts: one yielded after it ran out may have
    // been computed on the `null`s an exhausted instance reads as, so it is dropped.
    let finished = fuel::metered(budget, || {
        for error in validator.iter_errors(instance) {
            if fuel::spent() {
                exhausted = true;
                break;
            }
            if validated.findings.len() < limit {
                push_findings(&error, prefix, &mut validated.findings);
            } else {
                validated.more += 1;
            }
        }
    });
    if (exhausted || finished.is_none()) && validated.findings.len() < limit {
        validated.findings.push(too_costly(prefix, budget));
    }
    validated
}

/// `schema::too-costly`: the validation needed more than `budget` reads of the instance.
fn too_costly(prefix: &str, budget: u64) -> Finding {
    Finding::new(
        "schema::too-costly",
        prefix,
        Target::Value,
        format!(
            "validating this value against the schema needs more than {budget} reads of it, \
             connlint's limit for a value of its size; it was not validated"
        ),
    )
    .with_label("not validated: the schema is too costly for this value")
    .with_help(
        "the schema's alternatives multiply at each level of nesting (e.g. `anyOf` branches \
         that both recurse); make them exclusive (`oneOf` with distinguishing `type` or \
         `required`), or nest the value less deeply",
    )
}

/// One error at one place: its pointer, code and the instance it is about.
struct At<'a> {
    pointer: &'a str,
    code: Cow<'static, str>,
    found: &'a Found<'a>,
}

impl At<'_> {
    fn finding(&self, target: Target, message: String) -> Finding {
        Finding::new(self.code.clone(), self.pointer, target, message)
    }
}

fn push_findings(error: &ValidationError<'_>, prefix: &str, out: &mut Vec<Finding>) {
    let pointer = format!("{prefix}{}", error.instance_path().as_str());
    let kind = error.kind();
    let found = Found {
        text: OnceCell::new(),
        secret: OnceCell::new(),
        instance: error.instance(),
        pointer: &pointer,
    };
    let at = At {
        pointer: &pointer,
        code: code_for(kind.keyword()),
        found: &found,
    };
    use ValidationErrorKind as K;
    match kind {
        K::AnyOf { context } | K::OneOfNotValid { context } => {
            unfold_alternatives(error, context, prefix, &at, out);
        }
        K::Type { kind } => out.push(wrong_type(&at, kind)),
        K::Required { property } => out.push(missing_property(&at, property)),
        K::Enum { options } => out.push(not_allowed_value(&at, options)),
        K::Format { format } => out.push(wrong_format(&at, format)),
        K::AdditionalProperties { unexpected } | K::UnevaluatedProperties { unexpected } => {
            unexpected_properties(&at, unexpected, out);
        }
        K::PropertyNames { error: inner } => out.push(bad_property_name(&at, inner)),
        K::Constant { expected_value } => {
            let expected = describe_value(expected_value, at.pointer);
            let message = format!("expected exactly {expected}, found {}", at.found);
            out.push(at.finding(Target::Value, message));
        }
        K::FalseSchema => {
            let message = format!("no value is allowed here, found {}", at.found);
            out.push(at.finding(Target::Value, message));
        }
        K::OneOfMultipleValid { .. } => {
            let message = format!(
                "expected a value matching exactly one alternative, found {}, which matches \
                    several",
                at.found
            );
            out.push(at.finding(Target::Value, message));
        }
        K::Referencing(err) => {
            let message = format!("the schema has an unresolvable reference: {err}");
            out.push(at.finding(Target::Value, message));
        }
        _ => out.push(at.finding(Target::Value, generic_message(kind, at.found))),
    }
}

/// `schema::type`: the value's JSON type is not the schema's.
fn wrong_type(at: &At<'_>, kind: &TypeKind) -> Finding {
    let expected = match kind {
        TypeKind::Single(ty) => with_article(&ty.to_string()),
        TypeKind::Multiple(set) => {
            join_alternatives(set.iter().map(|ty| with_article(&ty.to_string())).collect())
        }
    };
    let secret = at.found.is_secret();
    let instance = at.found.instance;
    let mut finding = at
        .finding(
            Target::Value,
            format!("expected {expected}, found {}", at.found),
        )
        .with_label(format!("expected {expected}"));
    if !secret {
        finding.repair = type_repair(instance, kind);
        if let Some(help) = type_help(instance, kind) {
            finding.help = Some(help);
        }
    }
    finding
}

/// `schema::required`: pointed at the object's opening brace.
fn missing_property(at: &At<'_>, property: &Value) -> Finding {
    let name = property
        .as_str()
        .map_or_else(|| property.to_string(), str::to_string);
    at.finding(Target::Open, format!("missing required property `{name}`"))
        .with_label(format!("`{name}` is missing from this object"))
        .with_help(required_help(&name))
}

/// `schema::enum`: with the closest allowed value, and a safe fix when only the case differs.
fn not_allowed_value(at: &At<'_>, options: &Value) -> Finding {
    let allowed: Vec<&str> = options
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let expected = match options.as_array() {
        Some(values) if values.len() <= 5 => {
            let listed: Vec<String> = values.iter().map(Value::to_string).collect();
            format!("one of {}", listed.join(", "))
        }
        Some(values) => format!("one of the {} allowed values", values.len()),
        None => "an allowed value".to_string(),
    };
    let mut finding = at
        .finding(
            Target::Value,
            format!("expected {expected}, found {}", at.found),
        )
        .with_label("not an allowed value");
    let given = at.found.instance.as_str().filter(|_| !at.found.is_secret());
    finding.help = given
        .and_then(|given| did_you_mean(given, &allowed))
        .map(|s| format!("did you mean `{s}`?"));
    // Exactly one allowed value equal but for case: a safe, mechanical fix (`CRM` → `crm`).
    if let Some(given) = given {
        let mut same = allowed.iter().filter(|a| a.eq_ignore_ascii_case(given));
        if let (Some(only), None) = (same.next(), same.next()) {
            finding.repair = Some(Repair {
                applicability: Applicability::Safe,
                action: RepairAction::ReplaceValue(Value::String((*only).to_string()).to_string()),
            });
        }
    }
    if finding.help.is_none() && !allowed.is_empty() && allowed.len() <= 12 {
        finding.help = Some(format!("allowed values: {}", allowed.join(", ")));
    }
    finding
}

/// `schema::format`: with an example of the format.
fn wrong_format(at: &At<'_>, format: &str) -> Finding {
    let (what, example) = format_expectation(format);
    let mut finding = at
        .finding(
            Target::Value,
            format!("expected {what}, found {}", at.found),
        )
        .with_label(format!("not {what}"));
    if let Some(example) = example {
        finding.help = Some(format!("write it like `{example}`"));
    }
    finding
}

/// `schema::additionalProperties` (or `unevaluatedProperties`): one finding per key.
fn unexpected_properties(at: &At<'_>, unexpected: &[String], out: &mut Vec<Finding>) {
    for key in unexpected {
        let pointer = format!("{}/{}", at.pointer, escape_token(key));
        out.push(
            Finding::new(
                at.code.clone(),
                pointer,
                Target::Key,
                format!("property `{key}` is not allowed here"),
            )
            .with_label("not allowed")
            .with_help("remove it, or check the spelling against the schema"),
        );
    }
}

/// `schema::propertyNames`: the name, and why the name's own schema rejects it.
fn bad_property_name(at: &At<'_>, inner: &ValidationError<'_>) -> Finding {
    let name = inner.instance().as_str().unwrap_or_default().to_string();
    let mut nested = Vec::new();
    push_findings(inner, "", &mut nested);
    let reason = nested
        .first()
        .map_or_else(String::new, |f| format!(": {}", f.message));
    at.finding(
        Target::Value,
        format!("property name `{name}` is not allowed{reason}"),
    )
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

/// Picks the alternative the instance was meant for and reports its errors; falls back to
/// one combined message when the instance's type matches no alternative.
fn unfold_alternatives(
    error: &ValidationError<'_>,
    branches: &[Vec<ValidationError<'static>>],
    prefix: &str,
    at: &At<'_>,
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
            at.pointer,
            Target::Value,
            format!("expected {expected}, found {}", at.found),
        )
        .with_label(format!("expected {expected}")),
    );
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
            usize::MAX,
        )
        .findings
    }

    fn base() -> Value {
        json!({
            "categories": ["crm"],
            "integration_type": "hubspot",
            "permissions": ["crm_contact_read"]
        })
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

    /// `anyOf` with two branches that both recurse into `items`: each level of `[` doubles
    /// the work, 2^30 evaluations for this 62-byte instance.
    fn exponential() -> (jsonschema::Validator<Tree>, String) {
        let schema = json!({"anyOf": [
            {"type": "array", "items": {"$ref": "#"}},
            {"type": "array", "items": {"$ref": "#"}}
        ]});
        let validator = jsonschema::options_for::<Tree>()
            .build(&schema)
            .expect("compiles");
        (validator, format!("{}1{}", "[".repeat(30), "]".repeat(30)))
    }

    #[test]
    fn an_exponential_schema_stops_at_the_budget_with_too_costly() {
        let (validator, text) = exponential();
        let parsed = tree::parse(&text).expect("JSON");
        let validated = validate(&validator, &parsed.value, "/2", usize::MAX);
        let codes: Vec<(&str, &str)> = validated
            .findings
            .iter()
            .map(|f| (f.code.as_ref(), f.pointer.as_str()))
            .collect();
        assert_eq!(codes, [("schema::too-costly", "/2")]);
        assert!(validated.findings[0].message.contains("1001984 reads"));
    }

    #[test]
    fn under_the_budget_the_same_schema_reports_the_error() {
        let (validator, _) = exponential();
        let text = format!("{}1{}", "[".repeat(8), "]".repeat(8));
        let parsed = tree::parse(&text).expect("JSON");
        let validated = validate(&validator, &parsed.value, "", usize::MAX);
        let codes: Vec<&str> = validated.findings.iter().map(|f| f.code.as_ref()).collect();
        assert_eq!(codes, ["schema::type"]);
    }

    #[test]
    fn fixtures_stay_far_under_the_budget() {
        // Both passes of the built-in schema on every fixture, with a tenth of the per-value
        // budget and no floor: the margin the budget leaves the built-in schemas.
        let schema = crate::schema::CompiledSchema::builtin().expect("schema");
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut checked = 0;
        for dir in ["valid", "invalid", "fix"] {
            for entry in std::fs::read_dir(root.join(dir)).expect("fixtures") {
                let path = entry.expect("entry").path();
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                let documents: Vec<&str> = match path.extension().and_then(|e| e.to_str()) {
                    Some("json") => vec![text.as_str()],
                    Some("jsonl" | "ndjson") => text.lines().collect(),
                    _ => continue,
                };
                for document in documents {
                    let Ok(parsed) = tree::parse(document) else {
                        continue;
                    };
                    let budget = parsed.value.node_count() * (READS_PER_VALUE / 10);
                    let used = fuel::metered(budget, || {
                        let _valid = schema.validator.is_valid(&parsed.value);
                        schema.validator.iter_errors(&parsed.value).count()
                    });
                    assert!(used.is_some(), "{}", path.display());
                    checked += 1;
                }
            }
        }
        assert!(checked > 20, "{checked}");
    }

    #[test]
    fn errors_past_the_limit_are_counted_not_described() {
        let mut payload = base();
        payload["categories"] = json!(["CRM", "HRIS", "ATS", "Storage"]);
        let schema = crate::schema::CompiledSchema::builtin().expect("schema");
        let instance = crate::tree::Value::from_serde(&payload);
        let all = validate(&schema.validator, &instance, "", usize::MAX);
        assert_eq!(all.findings.len(), 4, "{:?}", all.findings);
        assert_eq!(all.more, 0);
        let capped = validate(&schema.validator, &instance, "", 1);
        assert_eq!(capped.findings.len(), 1);
        assert_eq!(capped.findings[0].pointer, all.findings[0].pointer);
        assert_eq!(capped.more, 3);
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
