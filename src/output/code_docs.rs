//! What every diagnostic code means, in the shape the formats that describe their rules need
//! (SARIF's `tool.driver.rules`): one [`CodeDoc`] per code, from the lint rules' own
//! definitions or from [`crate::codes`], the catalogue of parser, schema and I/O codes.
//!
//! Codes the catalogue does not describe (an `io::<kind>` or `json::<kind>` added without an
//! entry) get their family's text, so every code a run can produce has complete
//! documentation: GitHub code scanning rejects a rule without help. This module only adds
//! names, help Markdown and README links; the texts themselves live with the rules and in
//! the catalogue.

use std::borrow::Cow;

use crate::codes;
use crate::rules::{self, Level};

/// Where the README documents the built-in codes (a GitHub heading anchor). Each lint rule
/// has its own anchor in the README's rules table ([`rules::readme_anchor`]), as the
/// language server's `codeDescription` links use.
const BUILTIN_ANCHOR: &str = "diagnostic-codes";

/// The documentation of one code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CodeDoc {
    /// The code, e.g. `schema::type`.
    pub code: String,
    /// A PascalCase name, unique per code: `SchemaType`, `UnknownKey`.
    pub name: String,
    /// One line: what the code reports.
    pub summary: Cow<'static, str>,
    /// A paragraph: what it means.
    pub description: Cow<'static, str>,
    /// Markdown: what it means, why it matters, how to fix it.
    pub help_markdown: Cow<'static, str>,
    /// The level it reports at unless configured.
    pub default_level: Level,
    /// The README section that documents it, as a URL.
    pub help_uri: String,
}

/// The documentation of `code`: a lint rule's, a built-in code's, or its family's.
pub(crate) fn doc(code: &str) -> CodeDoc {
    let repository = env!("CARGO_PKG_REPOSITORY");
    if let Some(rule) = rules::find(code) {
        return CodeDoc {
            code: code.to_string(),
            name: pascal_case(code),
            summary: Cow::Borrowed(rule.summary),
            description: Cow::Borrowed(
                section(rule.explanation, "What it does").unwrap_or(rule.summary),
            ),
            help_markdown: Cow::Borrowed(rule.explanation.trim()),
            default_level: rule.default_level,
            help_uri: format!("{repository}#{}", rules::readme_anchor(rule.code)),
        };
    }
    let help_uri = format!("{repository}#{BUILTIN_ANCHOR}");
    if let Some(described) = codes::describe(code) {
        return CodeDoc {
            code: code.to_string(),
            name: pascal_case(code),
            help_markdown: Cow::Owned(help(&described.description, &described.fix)),
            summary: described.summary,
            description: described.description,
            // Parser, schema and I/O problems are always errors.
            default_level: Level::Error,
            help_uri,
        };
    }
    let (family, kind) = code.split_once("::").unwrap_or(("", code));
    let (summary, description, fix) = match family {
        "schema" => (
            format!("A value fails the schema keyword `{kind}`"),
            format!(
                "A value does not satisfy the JSON Schema keyword `{kind}` of the schema it is \
                 validated against."
            ),
            "Change the value so that it satisfies the keyword, as the message says.".to_string(),
        ),
        "io" => (
            format!("A path could not be read ({kind})"),
            format!(
                "The path could not be read ({kind}), so it was not checked, and the run exits \
                 with code 2."
            ),
            "Check that the path exists and is a readable file or directory.".to_string(),
        ),
        "json" => (
            format!("The file cannot be read as JSON ({kind})"),
            format!("The file cannot be read as JSON ({kind}); the result points at the problem."),
            "Fix the file at the position shown.".to_string(),
        ),
        _ => (
            format!("connlint diagnostic {code}"),
            format!("A problem reported by connlint with the code `{code}`."),
            "See the message and its help.".to_string(),
        ),
    };
    CodeDoc {
        code: code.to_string(),
        name: pascal_case(code),
        help_markdown: Cow::Owned(help(&description, &fix)),
        summary: Cow::Owned(summary),
        description: Cow::Owned(description),
        default_level: Level::Error,
        help_uri,
    }
}

/// A built-in code's help in the sections the lint rules use.
fn help(description: &str, fix: &str) -> String {
    format!("## What it means\n\n{description}\n\n## How to fix it\n\n{fix}")
}

/// The text of the `## TITLE` section of a rule's Markdown explanation.
fn section<'a>(explanation: &'a str, title: &str) -> Option<&'a str> {
    let body = explanation.split(&format!("## {title}")).nth(1)?;
    let text = body.split("\n## ").next()?.trim();
    (!text.is_empty()).then_some(text)
}

/// `lint::unknown-key` → `UnknownKey`, `schema::minItems` → `SchemaMinItems`,
/// `io::not-found` → `IoNotFound`: the lint rules by their own name, other codes with their
/// family in front so that no two codes share a name.
fn pascal_case(code: &str) -> String {
    let words = match code.split_once("::") {
        Some(("lint", name)) => name.to_string(),
        Some((family, name)) => format!("{family}-{name}"),
        None => code.to_string(),
    };
    let mut name = String::with_capacity(words.len());
    for word in words.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            name.push(first.to_ascii_uppercase());
            name.extend(chars);
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_pascal_case_and_unique() {
        assert_eq!(pascal_case("lint::unknown-key"), "UnknownKey");
        assert_eq!(pascal_case("schema::minItems"), "SchemaMinItems");
        assert_eq!(pascal_case("io::not-found"), "IoNotFound");
        assert_eq!(pascal_case("json::syntax"), "JsonSyntax");
        let mut names: Vec<String> = rules::ALL
            .iter()
            .map(|r| r.code)
            .chain(codes::ALL.iter().map(|b| b.code))
            .map(pascal_case)
            .collect();
        let count = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), count, "two codes share a name");
        for name in names {
            assert!(
                name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                    && name.chars().all(|c| c.is_ascii_alphanumeric()),
                "{name}"
            );
        }
    }

    #[test]
    fn every_code_has_complete_documentation() {
        let made_up = ["schema::minItems", "io::weird", "json::odd", "other"];
        for code in rules::ALL
            .iter()
            .map(|r| r.code)
            .chain(codes::ALL.iter().map(|b| b.code))
            .chain(made_up)
        {
            let doc = doc(code);
            assert!(
                !doc.summary.is_empty() && !doc.description.is_empty(),
                "{code}"
            );
            assert!(
                doc.help_markdown.contains("## "),
                "{code}: {}",
                doc.help_markdown
            );
            assert!(doc.help_uri.starts_with("https://"), "{code}");
        }
        assert_eq!(
            doc("lint::unknown-key").help_uri,
            format!("{}#lint-unknown-key", env!("CARGO_PKG_REPOSITORY"))
        );
        // Every rule's anchor is one the README has.
        let readme = include_str!("../../README.md");
        for rule in rules::ALL {
            let uri = doc(rule.code).help_uri;
            let anchor = uri.rsplit_once('#').map(|(_, a)| a).unwrap_or_default();
            assert!(
                readme.contains(&format!("<a id=\"{anchor}\"></a>`{}`", rule.code)),
                "{uri}"
            );
        }
        assert_eq!(doc("schema::type").default_level, Level::Error);
        assert_eq!(doc("lint::plaintext-secret").default_level, Level::Off);
    }

    #[test]
    fn a_section_is_the_text_under_its_heading() {
        let text = "## What it does\nFinds X.\n\n## Why is this bad?\nBecause.";
        assert_eq!(section(text, "What it does"), Some("Finds X."));
        assert_eq!(section(text, "Why is this bad?"), Some("Because."));
        assert_eq!(section("no sections", "What it does"), None);
    }
}
