//! What every diagnostic code means, for the formats that describe their rules (SARIF's
//! `tool.driver.rules`): one [`CodeDoc`] per code, from the lint rules' own definitions or
//! from [`BUILTIN`], the table of parser, schema and I/O codes.
//!
//! Codes made at run time (`schema::<keyword>`, `io::<kind>`) that the table does not name get
//! their family's text, so every code a run can produce has complete documentation: GitHub
//! code scanning rejects a rule without help. This module only describes; it never decides
//! what is reported.

use std::borrow::Cow;

use crate::rules::{self, Level};

/// Where the README documents the built-in codes and the lint rules (GitHub heading anchors).
const BUILTIN_ANCHOR: &str = "diagnostic-codes";
const RULES_ANCHOR: &str = "rules";

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

/// A built-in (non-lint) code's texts.
#[derive(Debug)]
pub(crate) struct Builtin {
    /// The code.
    pub code: &'static str,
    /// One line.
    pub summary: &'static str,
    /// What it means.
    pub description: &'static str,
    /// How to fix it.
    pub fix: &'static str,
}

/// Every built-in code connlint reports by name, sorted by code. Parser, schema and I/O
/// problems are always errors.
pub(crate) static BUILTIN: &[Builtin] = &[
    Builtin {
        code: "io::error",
        summary: "A path could not be read",
        description: "Reading the path failed for a reason other than the ones with their own code; the message has the system's error. The path was not checked, and the run exits with code 2.",
        fix: "Check that the path exists and is readable by the user running connlint.",
    },
    Builtin {
        code: "io::invalid-data",
        summary: "A file could not be read: invalid data",
        description: "The operating system reported the file's data as invalid while reading it. The path was not checked, and the run exits with code 2.",
        fix: "Check the file and the storage it is on; copy it anew if it is damaged.",
    },
    Builtin {
        code: "io::is-a-directory",
        summary: "A path named as a file is a directory",
        description: "A path that had to be a file is a directory. The path was not checked, and the run exits with code 2.",
        fix: "Name the directory itself (connlint walks it for .json, .jsonl and .ndjson files) or the file inside it.",
    },
    Builtin {
        code: "io::not-a-file",
        summary: "A path is not a regular file",
        description: "The path is a FIFO, socket or device, which connlint does not read. The path was not checked, and the run exits with code 2.",
        fix: "Name regular files or directories, or pass the data on standard input with `-`.",
    },
    Builtin {
        code: "io::not-found",
        summary: "A path does not exist",
        description: "No file or directory exists at the path. The path was not checked, and the run exits with code 2.",
        fix: "Correct the path, or remove it from the command line or the configuration.",
    },
    Builtin {
        code: "io::out-of-memory",
        summary: "A file could not be held in memory",
        description: "There was not enough memory to read the file. The path was not checked, and the run exits with code 2.",
        fix: "Split the file, use JSON Lines (which connlint streams line by line), or run with more memory.",
    },
    Builtin {
        code: "io::permission-denied",
        summary: "A path cannot be read: permission denied",
        description: "The user running connlint may not read the path. The path was not checked, and the run exits with code 2.",
        fix: "Give the user read permission, or run connlint as a user who has it.",
    },
    Builtin {
        code: "io::too-large",
        summary: "A file (or a JSON Lines line) is larger than --max-file-size",
        description: "The file, or one line of a JSON Lines file, is larger than the size limit, so it was not read. The run exits with code 2.",
        fix: "Raise the limit with `--max-file-size BYTES` if the file is meant to be this big.",
    },
    Builtin {
        code: "io::write",
        summary: "A fixed file could not be written",
        description: "`--fix` could not write the repaired file back; the file is unchanged.",
        fix: "Check that the file and its directory are writable.",
    },
    Builtin {
        code: "json::depth",
        summary: "JSON nested too deeply",
        description: "The document nests arrays and objects deeper than connlint parses (127 levels); a real Connection payload is a few levels deep.",
        fix: "Remove the excess nesting; the file is most likely generated wrongly.",
    },
    Builtin {
        code: "json::encoding",
        summary: "The file is not UTF-8",
        description: "JSON files must be UTF-8; the result points at the first byte that is not.",
        fix: "Re-save the file as UTF-8.",
    },
    Builtin {
        code: "json::syntax",
        summary: "The file is not valid JSON",
        description: "The file (or a line of a JSON Lines file) is empty or cannot be parsed as JSON; the result points at the first syntax error.",
        fix: "Fix the syntax at the position shown: comments, trailing commas, `NaN` and single quotes are not JSON.",
    },
    Builtin {
        code: "schema::enum",
        summary: "A value is not one of the allowed values",
        description: "A string is not in the schema's list of allowed values (a category, a permission, …).",
        fix: "Use one of the allowed values; the result's help suggests the closest one, and `--fix` applies it when the match is certain.",
    },
    Builtin {
        code: "schema::format",
        summary: "A string does not match its format",
        description: "A string does not have the format the schema gives it, e.g. an RFC 3339 date-time.",
        fix: "Write the value in the expected format, e.g. `2024-05-01T12:00:00Z` for a date-time.",
    },
    Builtin {
        code: "schema::required",
        summary: "A required property is missing",
        description: "An object lacks a property that the Connection schema requires; the result points at the object's opening brace.",
        fix: "Add the property named in the message.",
    },
    Builtin {
        code: "schema::type",
        summary: "A value has the wrong type",
        description: "A value's JSON type differs from the schema's (a quoted number, a string where an array belongs, …).",
        fix: "Write the value with the expected type; the result's help says how (remove the quotes, wrap it in an array, …).",
    },
];

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
            help_uri: format!("{repository}#{RULES_ANCHOR}"),
        };
    }
    let help_uri = format!("{repository}#{BUILTIN_ANCHOR}");
    if let Some(builtin) = BUILTIN.iter().find(|b| b.code == code) {
        return CodeDoc {
            code: code.to_string(),
            name: pascal_case(code),
            summary: Cow::Borrowed(builtin.summary),
            description: Cow::Borrowed(builtin.description),
            help_markdown: Cow::Owned(help(builtin.description, builtin.fix)),
            default_level: Level::Error,
            help_uri,
        };
    }
    let (family, kind) = code.split_once("::").unwrap_or(("", code));
    let (summary, description, fix) = match family {
        "schema" => (
            format!("A value fails the schema keyword `{kind}`"),
            format!("A value does not satisfy the JSON Schema keyword `{kind}` of the schema it is validated against."),
            "Change the value so that it satisfies the keyword; the message says what was expected.".to_string(),
        ),
        "io" => (
            format!("A path could not be read ({kind})"),
            format!("The path could not be read ({kind}), so it was not checked, and the run exits with code 2."),
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
            .chain(BUILTIN.iter().map(|b| b.code))
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
    fn the_builtin_table_is_sorted_and_complete() {
        let codes: Vec<&str> = BUILTIN.iter().map(|b| b.code).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(codes, sorted, "BUILTIN is sorted, without repeats");
        for builtin in BUILTIN {
            assert!(
                !builtin.summary.is_empty()
                    && builtin.description.ends_with('.')
                    && builtin.fix.ends_with('.'),
                "{}",
                builtin.code
            );
        }
    }

    #[test]
    fn every_code_has_complete_documentation() {
        let made_up = ["schema::minItems", "io::weird", "json::odd", "other"];
        for code in rules::ALL
            .iter()
            .map(|r| r.code)
            .chain(BUILTIN.iter().map(|b| b.code))
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
            format!("{}#rules", env!("CARGO_PKG_REPOSITORY"))
        );
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
