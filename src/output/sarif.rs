//! `--format sarif`: a SARIF 2.1.0 log (<https://docs.oasis-open.org/sarif/sarif/v2.1.0/>),
//! the format GitHub code scanning uploads and most IDE result viewers open.
//!
//! One run; the tool driver lists a rule for every code in the results plus every lint
//! rule; one result per diagnostic with a physical location whose `uri` is a relative URI
//! reference (forward slashes, percent-encoded) and whose region uses the JSON output's
//! 1-based lines and character columns (`columnKind: unicodeCodePoints`, end exclusive, as
//! SARIF defines it). Help and the JSON pointer travel in the message and the result's
//! property bag, fixes as SARIF `fixes`. Only messages are printed: the file's text is read
//! for the positions of related labels and fix edits, never copied into the log.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use serde::Serialize;

use crate::diagnostic::{Applicability, Diagnostic, FileReport, Fix, Severity, Span};
use crate::rules::{self, Level};

use super::code_docs;
use super::fingerprint::{Fingerprints, SARIF_KEY};
use super::{repo_path, RenderOptions};

/// The `$schema` SARIF 2.1.0 logs name (the OASIS errata 01 schema's own `id`).
const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    /// Columns count characters, as in every connlint format (SARIF's default is UTF-16).
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
    /// The model the run checked against, when it was the built-in schema.
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<RunProperties>,
}

#[derive(Serialize)]
struct RunProperties {
    model: super::ModelInfo,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: String,
    /// PascalCase, as SARIF recommends for a rule's friendly name.
    name: String,
    short_description: Text,
    full_description: Text,
    /// Required by GitHub code scanning (GH2012), shown with every alert of the rule.
    help: Markdown,
    help_uri: String,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Markdown {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
    /// False for a rule that is off unless configured (`lint::plaintext-secret`).
    enabled: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
    /// How GitHub follows an alert across commits: see [`super::fingerprint`].
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<Properties<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedLocation {
    id: usize,
    physical_location: PhysicalLocation,
    message: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize, Clone)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_offset: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_length: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Text,
    artifact_changes: [ArtifactChange; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Text,
}

#[derive(Serialize)]
struct Properties<'a> {
    /// The JSON pointer of the offending value, as in the JSON output.
    pointer: &'a str,
}

/// Writes the SARIF log.
pub(super) fn render(
    reports: &[FileReport],
    options: &RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let shown = || {
        reports.iter().flat_map(|report| {
            report
                .diagnostics
                .iter()
                .filter(|d| options.shows(d))
                .map(move |d| (report, d))
        })
    };
    let codes: BTreeSet<&str> = shown()
        .map(|(_, d)| d.code.as_ref())
        .chain(rules::ALL.iter().map(|rule| rule.code))
        .collect();
    let codes: Vec<&str> = codes.into_iter().collect();
    let rules = codes.iter().map(|code| descriptor(code)).collect();
    let mut results = Vec::new();
    let mut fingerprints = Fingerprints::new();
    for report in reports {
        let path = repo_path(&report.path);
        let uri = uri_reference(&path);
        for diagnostic in report.diagnostics.iter().filter(|d| options.shows(d)) {
            let rule_index = codes
                .binary_search(&diagnostic.code.as_ref())
                .unwrap_or_default();
            let mut result = result(report, diagnostic, rule_index, &uri);
            result
                .partial_fingerprints
                .insert(SARIF_KEY, fingerprints.next(&path, diagnostic));
            results.push(result);
        }
    }
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: env!("CARGO_PKG_NAME"),
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules,
                },
            },
            column_kind: "unicodeCodePoints",
            results,
            properties: super::ModelInfo::of(options.model).map(|model| RunProperties { model }),
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn result<'a>(
    report: &FileReport,
    diagnostic: &'a Diagnostic,
    rule_index: usize,
    uri: &str,
) -> SarifResult<'a> {
    let mut text = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        text.push_str(&format!("\nhelp: {help}"));
    }
    let region = match (diagnostic.start, diagnostic.end) {
        (Some(start), end) => Region {
            start_line: start.line,
            start_column: Some(start.column),
            end_line: end.map(|e| e.line),
            end_column: end.map(|e| e.column),
            ..Region::default()
        },
        // A problem with the whole file (`io::*`): code scanning shows a result only with a
        // region, so it is shown on the file's first line.
        (None, _) => Region {
            start_line: 1,
            ..Region::default()
        },
    };
    let location = |region| PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: uri.to_string(),
        },
        region,
    };
    let related_locations = diagnostic
        .related
        .iter()
        .filter_map(|label| Some((label, text_region(report, label.span)?)))
        .enumerate()
        .map(|(id, (label, region))| RelatedLocation {
            id,
            physical_location: location(region),
            message: Text {
                text: label.message.clone(),
            },
        })
        .collect();
    let fixes = diagnostic
        .fix
        .as_ref()
        .map(|fix| sarif_fix(report, fix, diagnostic.help.as_deref(), uri))
        .into_iter()
        .collect();
    SarifResult {
        rule_id: &diagnostic.code,
        rule_index,
        level: diagnostic.severity.as_str(),
        message: Text { text },
        locations: [Location {
            physical_location: location(region),
        }],
        related_locations,
        fixes,
        partial_fingerprints: BTreeMap::new(),
        properties: diagnostic
            .pointer
            .as_deref()
            .map(|pointer| Properties { pointer }),
    }
}

fn sarif_fix(report: &FileReport, fix: &Fix, help: Option<&str>, uri: &str) -> SarifFix {
    let what = help.unwrap_or("apply the suggested edit");
    let description = match fix.applicability {
        Applicability::Safe => format!("{what} (safe: applied by --fix)"),
        Applicability::Unsafe => {
            format!("{what} (may change meaning: applied only with --unsafe-fixes)")
        }
    };
    let replacements = fix
        .edits
        .iter()
        .map(|edit| {
            let span = Span::new(edit.start, edit.end);
            let mut region = text_region(report, span).unwrap_or(Region {
                start_line: 1,
                ..Region::default()
            });
            // Edits are byte ranges: the byte offsets are the exact form, lines and columns
            // are for viewers that only read those.
            region.byte_offset = Some(span.start);
            region.byte_length = Some(span.len());
            Replacement {
                deleted_region: region,
                inserted_content: Text {
                    text: edit.content.clone(),
                },
            }
        })
        .collect();
    SarifFix {
        description: Text { text: description },
        artifact_changes: [ArtifactChange {
            artifact_location: ArtifactLocation {
                uri: uri.to_string(),
            },
            replacements,
        }],
    }
}

/// The line/column region of byte `span` in the report's text, when the text is kept.
fn text_region(report: &FileReport, span: Span) -> Option<Region> {
    let source = report.source.as_ref()?;
    let (start, end) = (source.position(span.start)?, source.position(span.end)?);
    Some(Region {
        start_line: start.line,
        start_column: Some(start.column),
        end_line: Some(end.line),
        end_column: Some(end.column),
        ..Region::default()
    })
}

/// The driver's entry for `code`, from its [`code_docs::CodeDoc`].
fn descriptor(code: &str) -> Descriptor {
    let doc = code_docs::doc(code);
    // SARIF's word for a rule that is off is `none`.
    let level = doc
        .default_level
        .severity()
        .map_or("none", Severity::as_str);
    Descriptor {
        id: doc.code,
        name: doc.name,
        short_description: Text {
            text: doc.summary.into_owned(),
        },
        full_description: Text {
            text: doc.description.into_owned(),
        },
        help: Markdown {
            text: doc.help_markdown.to_string(),
            markdown: doc.help_markdown.into_owned(),
        },
        help_uri: doc.help_uri,
        default_configuration: Configuration {
            level,
            enabled: doc.default_level != Level::Off,
        },
    }
}

/// `path` as a URI reference: `/`-separated segments with every byte outside RFC 3986's
/// unreserved set percent-encoded (so spaces, `%`, `#`, `?` and non-ASCII survive, and a
/// `:` in the first segment cannot be read as a scheme). Absolute paths become `file:` URIs.
pub(crate) fn uri_reference(path: &str) -> String {
    let absolute = path.starts_with('/') || std::path::Path::new(path).is_absolute();
    let mut uri = String::with_capacity(path.len() + 8);
    if absolute {
        uri.push_str("file://");
        if !path.starts_with('/') {
            // A Windows drive path: file:///C:/…
            uri.push('/');
        }
    }
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                uri.push(byte as char);
            }
            // The drive letter's colon in an absolute Windows path is part of the path.
            b':' if absolute => uri.push(':'),
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded_references() {
        assert_eq!(uri_reference("a/b c.json"), "a/b%20c.json");
        assert_eq!(uri_reference("x:y/50%#?.json"), "x%3Ay/50%25%23%3F.json");
        assert_eq!(uri_reference("café.json"), "caf%C3%A9.json");
        #[cfg(unix)]
        assert_eq!(uri_reference("/tmp/a b.json"), "file:///tmp/a%20b.json");
    }

    #[test]
    fn every_lint_rule_and_common_code_has_a_complete_descriptor() {
        for rule in rules::ALL {
            let d = descriptor(rule.code);
            assert_eq!(d.short_description.text, rule.summary);
            assert!(!d.full_description.text.is_empty() && !d.help.markdown.is_empty());
            assert_eq!(
                d.default_configuration.enabled,
                rule.default_level != Level::Off
            );
        }
        for code in ["json::syntax", "schema::minItems", "io::not-found", "weird"] {
            let d = descriptor(code);
            assert!(!d.short_description.text.is_empty(), "{code}");
            assert!(
                !d.help.text.is_empty() && d.help_uri.starts_with("https://"),
                "{code}"
            );
            assert_eq!(d.default_configuration.level, "error");
        }
        assert_eq!(
            descriptor("lint::plaintext-secret")
                .default_configuration
                .level,
            "none"
        );
    }
}
