//! Lint rules: what the schema allows but is still wrong.
//!
//! Each rule is one file with a `static RULE` and a `check` function that reports
//! [`Finding`]s by JSON pointer; rules never touch byte offsets except `lint::duplicate-key`,
//! which works on the span index because a parsed value no longer has its duplicates.
//! Adding a rule is one file plus one line in [`ALL`].

mod duplicate_key;

use serde_json::Value;

use crate::diagnostic::{Finding, Severity};
use crate::document::SpanIndex;

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
    pub value: &'a Value,
    /// Its pointer in the file: `""`, or `/3` for the fourth item of a list.
    pub prefix: &'a str,
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
    /// The check.
    pub check: Check,
}

/// Every rule, sorted by code.
pub static ALL: &[&Rule] = &[&duplicate_key::RULE];

/// Looks a rule up by code.
pub fn find(code: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|rule| rule.code == code)
}

/// The rules enabled for a run, with their severities.
#[derive(Debug, Clone)]
pub struct RuleSet {
    enabled: Vec<(&'static Rule, Severity)>,
}

impl Default for RuleSet {
    fn default() -> Self {
        Self::with_levels(&[])
    }
}

impl RuleSet {
    /// Every rule at its default level, except those in `overrides`.
    pub fn with_levels(overrides: &[(&'static Rule, Level)]) -> Self {
        let enabled = ALL
            .iter()
            .filter_map(|rule| {
                let level = overrides
                    .iter()
                    .rev()
                    .find(|(r, _)| r.code == rule.code)
                    .map_or(rule.default_level, |(_, l)| *l);
                level.severity().map(|severity| (*rule, severity))
            })
            .collect();
        Self { enabled }
    }

    /// Runs the value rules on one Connection. Model rules run only for the built-in schema.
    pub fn check(&self, value: &Value, prefix: &str, builtin: bool, out: &mut Vec<Finding>) {
        let context = Context { value, prefix };
        for (rule, severity) in &self.enabled {
            if let Check::Value(check) = rule.check {
                if rule.scope == Scope::Always || builtin {
                    let start = out.len();
                    check(&context, out);
                    out[start..].iter_mut().for_each(|f| f.severity = *severity);
                }
            }
        }
    }

    /// Runs the span rules on a document's index.
    pub fn check_duplicates(&self, index: &SpanIndex, out: &mut Vec<Finding>) {
        if index.duplicates.is_empty() {
            return;
        }
        for (rule, severity) in &self.enabled {
            if let Check::Spans(check) = rule.check {
                let start = out.len();
                check(index, out);
                out[start..].iter_mut().for_each(|f| f.severity = *severity);
            }
        }
    }

    /// Drops generic schema findings that a more specific rule explains at the same pointer
    /// (a removed permission is also "not an allowed value"; saying both is noise).
    pub fn adjust(&self, findings: &mut Vec<Finding>) {
        let explained: Vec<String> = findings
            .iter()
            .filter(|f| REPLACES_ENUM.contains(&f.code.as_ref()))
            .map(|f| f.pointer.clone())
            .collect();
        if !explained.is_empty() {
            findings.retain(|f| !(f.code == "schema::enum" && explained.contains(&f.pointer)));
        }
    }
}

/// Rules whose finding replaces the `schema::enum` finding at the same pointer.
const REPLACES_ENUM: &[&str] = &["lint::removed-permission"];

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
}
