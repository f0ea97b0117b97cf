//! Lint rules: what the schema allows but is still wrong.
//!
//! Each rule is one file with a `static RULE` and a `check` function that reports
//! [`Finding`]s by JSON pointer; rules never touch byte offsets except `lint::duplicate-key`,
//! which works on the span index because a parsed value no longer has its duplicates.
//! Adding a rule is one file, its `mod` line and its entry in [`ALL`], plus the fixtures
//! and README row the registry tests ask for (the README's checklist). Rules learn the
//! model's keys and enum values from the built-in schema through `known`, never from copied
//! lists. Rules report findings without a severity: the [`RuleSet`] assigns it.

mod duplicate_item;
mod duplicate_key;
mod empty_list;
mod history;
pub(crate) mod known;
mod permission_category;
mod plaintext_secret;
mod removed_field;
mod removed_permission;
mod sdk_casing;
mod timestamp_order;
mod unknown_key;

use std::cell::OnceCell;

use crate::tree::Value;

use crate::diagnostic::{Finding, Severity};
use crate::model::Model;
use crate::span_index::SpanIndex;
use crate::suggest::did_you_mean;
use known::ObjectAt;
pub(crate) use permission_category::category_of_permission;

/// How a rule is set to report: the configuration's `error | warning | off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Report as an error.
    Error,
    /// Report as a warning.
    Warning,
    /// Do not run.
    Off,
}

impl Level {
    /// The severity findings get, or `None` when off.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Off => None,
        }
    }

    /// The configuration spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Off => "off",
        }
    }

    /// Parses `error`, `warning` (or `warn`) and `off`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "error" => Some(Level::Error),
            "warning" | "warn" => Some(Level::Warning),
            "off" => Some(Level::Off),
            _ => None,
        }
    }
}

/// Which documents a rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Connection payloads checked against the built-in schema only.
    Model,
    /// Every document, whatever the schema.
    Always,
}

/// What a rule looks at.
#[derive(Clone, Copy)]
pub enum Check {
    /// The parsed value of one Connection (`prefix` is its pointer in the file).
    Value(fn(&Context<'_>, &mut Vec<Finding>)),
    /// The span index of a document that has duplicate keys.
    Spans(fn(&SpanIndex, &mut Vec<Finding>)),
}

impl std::fmt::Debug for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Check::Value(_) => "Check::Value",
            Check::Spans(_) => "Check::Spans",
        })
    }
}

/// What a value rule sees.
#[derive(Debug)]
pub struct Context<'a> {
    /// One Connection (the document, or one item of a list file).
    pub value: &'a Value<'a>,
    /// Its pointer in the file: `""`, or `/3` for the fourth item of a list.
    pub prefix: &'a str,
    /// The model it is checked against.
    pub model: Model,
    /// Its model objects, found on first use and shared by every rule.
    objects: OnceCell<Vec<ObjectAt<'a>>>,
}

impl<'a> Context<'a> {
    /// The context of the Connection `value` at `prefix` in its file, checked against `model`.
    pub fn new(value: &'a Value<'a>, prefix: &'a str, model: Model) -> Self {
        Self {
            value,
            prefix,
            model,
            objects: OnceCell::new(),
        }
    }

    /// What the schema of this context's model defines.
    pub(crate) fn known(&self) -> &'static known::Known {
        known::known(self.model)
    }

    /// The model objects of this Connection (see [`known::objects`]), with their keys
    /// classified: computed once, however many rules ask.
    pub(crate) fn objects(&self) -> &[ObjectAt<'a>] {
        self.objects
            .get_or_init(|| known::objects(self.value, self.prefix, self.known()))
    }
}

/// A lint rule.
#[derive(Debug)]
pub struct Rule {
    /// Stable code, `lint::kebab-name`.
    pub code: &'static str,
    /// Level when not configured.
    pub default_level: Level,
    /// One line: what it catches.
    pub summary: &'static str,
    /// Markdown: *What it does*, *Why is this bad?*, *Example*, *Use instead*.
    pub explanation: &'static str,
    /// Which documents it applies to.
    pub scope: Scope,
    /// Codes whose finding at the same pointer this rule's finding makes redundant: a
    /// removed permission is also "not an allowed value", and saying both is noise.
    pub replaces: &'static [&'static str],
    /// The check.
    pub check: Check,
}

/// Every rule, sorted by code.
pub static ALL: &[&Rule] = &[
    &duplicate_item::RULE,
    &duplicate_key::RULE,
    &empty_list::RULE,
    &permission_category::RULE,
    &plaintext_secret::RULE,
    &removed_field::RULE,
    &removed_permission::RULE,
    &sdk_casing::RULE,
    &timestamp_order::RULE,
    &unknown_key::RULE,
];

pub use history::explain as explain_history;

/// Looks a rule up by code.
pub fn find(code: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|rule| rule.code == code)
}

/// The `schema::` codes a level can be set for: one per JSON Schema keyword whose failures
/// the validator reports (`schema::enum` for a value outside an enum).
pub static SCHEMA_CODES: &[&str] = &[
    "schema::additionalItems",
    "schema::additionalProperties",
    "schema::anyOf",
    "schema::const",
    "schema::contains",
    "schema::contentEncoding",
    "schema::contentMediaType",
    "schema::dependentRequired",
    "schema::enum",
    "schema::exclusiveMaximum",
    "schema::exclusiveMinimum",
    "schema::false",
    "schema::format",
    "schema::items",
    "schema::maxItems",
    "schema::maxLength",
    "schema::maxProperties",
    "schema::maximum",
    "schema::minItems",
    "schema::minLength",
    "schema::minProperties",
    "schema::minimum",
    "schema::multipleOf",
    "schema::not",
    "schema::oneOf",
    "schema::pattern",
    "schema::propertyNames",
    "schema::required",
    "schema::type",
    "schema::unevaluatedItems",
    "schema::unevaluatedProperties",
    "schema::uniqueItems",
];

/// A code whose level the configuration and `--rule` can set: a lint rule, or the findings
/// of one schema keyword. (`json::` and `io::` codes say a file could not be checked at all;
/// they are not configurable.)
#[derive(Debug, Clone, Copy)]
pub enum Configurable {
    /// A lint rule.
    Rule(&'static Rule),
    /// A `schema::` code, from [`SCHEMA_CODES`].
    Schema(&'static str),
}

impl PartialEq for Configurable {
    fn eq(&self, other: &Self) -> bool {
        self.code() == other.code()
    }
}

impl Eq for Configurable {}

impl Configurable {
    /// The code.
    pub fn code(self) -> &'static str {
        match self {
            Configurable::Rule(rule) => rule.code,
            Configurable::Schema(code) => code,
        }
    }

    /// Looks a configurable code up; the error is the help for a code that is not one.
    pub fn find(code: &str) -> Result<Self, String> {
        if let Some(rule) = find(code) {
            return Ok(Configurable::Rule(rule));
        }
        if let Some(schema) = SCHEMA_CODES.iter().find(|c| **c == code) {
            return Ok(Configurable::Schema(schema));
        }
        if code.starts_with("json::") || code.starts_with("io::") {
            return Err(format!(
                "`{code}` cannot be configured: `json::` and `io::` problems mean a file could \
                    not be checked at all; only `lint::` and `schema::` codes take a level"
            ));
        }
        Err(unknown_code_help(code))
    }
}

/// The rule code closest to a misspelt one, for "did you mean …?" (also when the `lint::`
/// prefix was left out: `unknown-keys` → `lint::unknown-key`).
pub fn suggest_code(given: &str) -> Option<&'static str> {
    let mut codes: Vec<&'static str> = ALL.iter().map(|rule| rule.code).collect();
    if given.starts_with("schema::") {
        codes.extend(SCHEMA_CODES);
    }
    did_you_mean(given, &codes).or_else(|| {
        if given.contains("::") {
            None
        } else {
            did_you_mean(&format!("lint::{given}"), &codes)
        }
    })
}

/// What an unknown rule code gets told: the closest code, or where to find the list.
pub fn unknown_code_help(given: &str) -> String {
    match suggest_code(given) {
        Some(code) => format!("did you mean `{code}`? `connlint rules` lists every rule"),
        None => "`connlint rules` lists every rule".to_string(),
    }
}

/// The rules table of the README (between its `<!-- rules:start -->` and
/// `<!-- rules:end -->` markers), generated from the rule definitions.
pub fn markdown_table() -> String {
    let mut table = String::from("| code | default | what it catches |\n|---|---|---|\n");
    for rule in ALL {
        // The anchor is what the language server's `codeDescription` links to.
        table.push_str(&format!(
            "| <a id=\"{}\"></a>`{}` | {} | {}{} |\n",
            readme_anchor(rule.code),
            rule.code,
            rule.default_level.as_str(),
            rule.summary,
            match rule.scope {
                Scope::Model => "",
                Scope::Always => " (also under `--schema FILE`)",
            }
        ));
    }
    table
}

/// The README anchor of a rule's row in the rules table: `lint::unknown-key` → `lint-unknown-key`.
pub fn readme_anchor(code: &str) -> String {
    code.replace("::", "-")
}

/// `connlint rules`: one aligned line per rule (code, default level, summary) under a header.
pub fn list_text() -> String {
    let code_width = ALL.iter().map(|r| r.code.len()).max().unwrap_or(0).max(4);
    let level_width = "warning".len();
    let mut text = format!(
        "{:<code_width$}  {:<level_width$}  SUMMARY\n",
        "CODE", "DEFAULT"
    );
    for rule in ALL {
        text.push_str(&format!(
            "{:<code_width$}  {:<level_width$}  {}\n",
            rule.code,
            rule.default_level.as_str(),
            rule.summary
        ));
    }
    let built_in: Vec<&str> = crate::codes::ALL.iter().map(|code| code.code).collect();
    text.push_str(&format!(
        "\nBuilt-in codes (always errors): {}.\n",
        built_in.join(", ")
    ));
    text.push_str(
        "\nExplain one with `connlint rules CODE`; set levels in connlint.toml or with \
        --rule CODE=LEVEL.\n",
    );
    text
}

/// `connlint rules CODE`: the rule's header and its explanation, for reading in a terminal:
/// headings become plain titles and fenced examples are indented instead of fenced.
pub fn explain_text(rule: &Rule) -> String {
    let applies = match rule.scope {
        Scope::Model => "Connection payloads checked against the built-in schema",
        Scope::Always => "every document, also under --schema FILE",
    };
    let mut text = format!(
        "{}\n\n  {}\n\n  default level: {}\n  applies to:    {applies}\n",
        rule.code,
        rule.summary,
        rule.default_level.as_str()
    );
    let mut in_code = false;
    for line in rule.explanation.trim_end().lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            text.push_str(&format!("      {line}\n"));
        } else if let Some(title) = line.strip_prefix("## ") {
            if !text.ends_with("\n\n") {
                text.push('\n');
            }
            text.push_str(title);
            text.push('\n');
        } else if line.is_empty() {
            text.push('\n');
        } else {
            text.push_str(&format!("  {line}\n"));
        }
    }
    text
}

/// The rules enabled for a run, with their severities, and the levels set for `schema::`
/// codes.
#[derive(Debug, Clone)]
pub struct RuleSet {
    enabled: Vec<(&'static Rule, Severity)>,
    /// `schema::` codes whose findings get another severity (`None`: dropped).
    schema_levels: Vec<(&'static str, Option<Severity>)>,
}

impl Default for RuleSet {
    fn default() -> Self {
        Self::with_levels(&[])
    }
}

impl RuleSet {
    /// Every rule at its default level, except those in `overrides` (the last one for a
    /// code wins); schema findings keep their severity unless a `schema::` code is set.
    pub fn with_levels(overrides: &[(Configurable, Level)]) -> Self {
        let enabled = ALL
            .iter()
            .filter_map(|rule| {
                let level = overrides
                    .iter()
                    .rev()
                    .find(|(c, _)| c.code() == rule.code)
                    .map_or(rule.default_level, |(_, l)| *l);
                level.severity().map(|severity| (*rule, severity))
            })
            .collect();
        let mut schema_levels: Vec<(&'static str, Option<Severity>)> = Vec::new();
        for (code, level) in overrides {
            if let Configurable::Schema(code) = code {
                schema_levels.retain(|(c, _)| c != code);
                schema_levels.push((code, level.severity()));
            }
        }
        Self {
            enabled,
            schema_levels,
        }
    }

    /// Runs the value rules on one Connection. Model rules run only for a built-in schema
    /// (`model` is its model).
    pub fn check(
        &self,
        value: &Value<'_>,
        prefix: &str,
        model: Option<Model>,
        out: &mut Vec<Finding>,
    ) {
        let context = Context::new(value, prefix, model.unwrap_or_default());
        for (rule, _) in &self.enabled {
            if let Check::Value(check) = rule.check {
                if rule.scope == Scope::Always || model.is_some() {
                    check(&context, out);
                }
            }
        }
    }

    /// Runs the span rules on a document's index.
    pub fn check_duplicates(&self, index: &SpanIndex, out: &mut Vec<Finding>) {
        if index.duplicates.is_empty() {
            return;
        }
        for (rule, _) in &self.enabled {
            if let Check::Spans(check) = rule.check {
                check(index, out);
            }
        }
    }

    /// The severity of a finding with `code`: its rule's configured level for a lint
    /// code, the configured level of a `schema::` code (`None`: off, the finding is
    /// dropped), an error for every other built-in code.
    pub fn severity(&self, code: &str) -> Option<Severity> {
        if !code.starts_with("lint::") {
            return match self.schema_levels.iter().find(|(c, _)| *c == code) {
                Some((_, severity)) => *severity,
                None => Some(Severity::Error),
            };
        }
        self.enabled
            .iter()
            .find(|(rule, _)| rule.code == code)
            .map(|(_, severity)| *severity)
    }

    /// Drops findings that a more specific rule's finding at the same pointer replaces
    /// ([`Rule::replaces`]).
    pub fn adjust(&self, findings: &mut Vec<Finding>) {
        let replaced: Vec<(&'static str, String)> = findings
            .iter()
            .filter_map(|f| find(&f.code).map(|rule| (rule, f)))
            .flat_map(|(rule, f)| rule.replaces.iter().map(|code| (*code, f.pointer.clone())))
            .collect();
        if !replaced.is_empty() {
            findings.retain(|f| {
                !replaced
                    .iter()
                    .any(|(code, pointer)| f.code == *code && f.pointer == *pointer)
            });
        }
    }
}

/// Runs one value rule's check on `value` at `prefix`, for the rules' unit tests.
#[cfg(test)]
fn run_value_check(
    check: fn(&Context<'_>, &mut Vec<Finding>),
    value: &serde_json::Value,
    prefix: &str,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let value = Value::from_serde(value);
    check(&Context::new(&value, prefix, Model::latest()), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_and_documented() {
        let codes: Vec<&str> = ALL.iter().map(|r| r.code).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(
            codes, sorted,
            "rules::ALL must be sorted by code, without repeats"
        );
        for rule in ALL {
            assert!(rule.code.starts_with("lint::"), "{}", rule.code);
            assert!(!rule.summary.is_empty(), "{}", rule.code);
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Use instead",
            ] {
                assert!(
                    rule.explanation.contains(section),
                    "{} lacks {section}",
                    rule.code
                );
            }
        }
    }

    #[test]
    fn suggests_codes_with_and_without_the_prefix() {
        assert_eq!(
            suggest_code("lint::unknown-keys"),
            Some("lint::unknown-key")
        );
        assert_eq!(suggest_code("unknown-key"), Some("lint::unknown-key"));
        assert_eq!(suggest_code("sdk_casing"), Some("lint::sdk-casing"));
        assert_eq!(suggest_code("schema::enums"), Some("schema::enum"));
        assert_eq!(suggest_code("json::syntax"), None);
        assert!(
            unknown_code_help("lint::sdk-cassing").starts_with("did you mean `lint::sdk-casing`?")
        );
    }

    #[test]
    fn list_is_aligned() {
        let text = list_text();
        let lines: Vec<&str> = text.lines().take(ALL.len() + 1).collect();
        let column = lines[0].find("DEFAULT").expect("header");
        for (line, rule) in lines[1..].iter().zip(ALL) {
            assert!(line.starts_with(rule.code), "{line}");
            assert_eq!(
                &line[column..column + rule.default_level.as_str().len()],
                rule.default_level.as_str(),
                "{line}"
            );
        }
    }

    #[test]
    fn explanation_reads_without_markdown_fences() {
        let rule = find("lint::unknown-key").expect("rule");
        let text = explain_text(rule);
        assert!(text.starts_with("lint::unknown-key\n"));
        assert!(text.contains("\nWhy is this bad?\n"));
        assert!(text.contains("      {\"integraton_type\": \"hubspot\""));
        assert!(!text.contains("```") && !text.contains("## "));
        assert!(!text.contains("\n\n\n"), "{text}");
    }

    #[test]
    fn levels_override_defaults_and_the_last_override_wins() {
        let secret = find("lint::plaintext-secret").expect("rule");
        let unknown = find("lint::unknown-key").expect("rule");
        let set = RuleSet::with_levels(&[
            (Configurable::Rule(secret), Level::Warning),
            (Configurable::Rule(unknown), Level::Error),
            (Configurable::Rule(unknown), Level::Off),
        ]);
        let enabled: Vec<&str> = set.enabled.iter().map(|(r, _)| r.code).collect();
        assert!(enabled.contains(&"lint::plaintext-secret"));
        assert!(!enabled.contains(&"lint::unknown-key"));
        assert!(!RuleSet::default()
            .enabled
            .iter()
            .any(|(r, _)| r.code == "lint::plaintext-secret"));
    }

    #[test]
    fn model_rules_do_not_run_under_a_user_schema() {
        let value = Value::from_serde(
            &serde_json::json!({"integrationType": "x", "categories": [], "permissions": []}),
        );
        let mut builtin = Vec::new();
        RuleSet::default().check(&value, "", Some(Model::latest()), &mut builtin);
        assert!(!builtin.is_empty());
        let mut other = Vec::new();
        RuleSet::default().check(&value, "", None, &mut other);
        assert!(other.is_empty(), "{other:?}");
    }

    #[test]
    fn schema_codes_take_levels_and_json_codes_do_not() {
        let enum_code = Configurable::find("schema::enum").expect("configurable");
        assert_eq!(enum_code, Configurable::Schema("schema::enum"));
        let refused = Configurable::find("json::syntax").expect_err("not configurable");
        assert!(refused.contains("cannot be configured"), "{refused}");
        assert!(Configurable::find("io::unreadable")
            .expect_err("not configurable")
            .contains("cannot be configured"));
        assert_eq!(
            Configurable::find("schema::enums").expect_err("a typo"),
            "did you mean `schema::enum`? `connlint rules` lists every rule"
        );

        let set = RuleSet::with_levels(&[
            (enum_code, Level::Off),
            (enum_code, Level::Warning),
            (Configurable::Schema("schema::type"), Level::Off),
        ]);
        assert_eq!(set.severity("schema::enum"), Some(Severity::Warning));
        assert_eq!(set.severity("schema::type"), None);
        assert_eq!(set.severity("schema::required"), Some(Severity::Error));
        assert_eq!(set.severity("json::syntax"), Some(Severity::Error));
    }
}
