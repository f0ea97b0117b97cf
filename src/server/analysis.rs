//! Checking one open document the way `connlint check` checks the file: the nearest
//! `connlint.toml` (its `exclude` and `[rules]`), the same [`Checker`], the same
//! [`FileReport`]; and that report as LSP diagnostics in the negotiated encoding.
//!
//! Configurations are cached by path and reloaded when the file's modification time or
//! size changes, or when the client says a `connlint.toml` changed; a configuration that
//! cannot be used becomes one diagnostic on the document instead of a silent default.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Url,
};

use crate::check::Checker;
use crate::diagnostic::{Diagnostic, FileReport, Severity};
use crate::input::Discovery;
use crate::rules::RuleSet;
use crate::schema::CompiledSchema;

use super::text::{Encoding, Text};

/// How a document is checked: by the rules of its configuration, unless excluded.
#[derive(Debug)]
pub(super) struct Setup {
    checker: Checker,
    discovery: Discovery,
}

#[derive(Debug)]
struct Cached {
    /// Modification time and size of the file when it was read.
    stamp: Option<(SystemTime, u64)>,
    setup: Result<Arc<Setup>, Arc<Diagnostic>>,
}

/// The configurations of the documents seen so far, by configuration path.
#[derive(Debug, Default)]
pub(super) struct Settings {
    cache: Mutex<HashMap<Option<PathBuf>, Cached>>,
}

fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

impl Settings {
    /// Forgets every configuration read (one changed on disk).
    pub(super) fn reload(&self) {
        if let Ok(mut cache) = self.cache.lock() {
            cache.clear();
        }
    }

    /// The setup for a document at `path` (`None`: not a file on disk, so no configuration
    /// applies), or the diagnostic that says why its configuration cannot be used.
    pub(super) fn for_document(&self, path: Option<&Path>) -> Result<Arc<Setup>, Arc<Diagnostic>> {
        let config = path.and_then(Path::parent).and_then(crate::config::find);
        let current = config.as_deref().and_then(stamp);
        let mut cache = match self.cache.lock() {
            Ok(cache) => cache,
            // A thread that panicked while holding the lock left a usable map behind.
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(cached) = cache.get(&config) {
            if cached.stamp == current {
                return cached.setup.clone();
            }
        }
        let setup = load(config.as_deref())
            .map(Arc::new)
            .map_err(|d| Arc::new(*d));
        cache.insert(
            config,
            Cached {
                stamp: current,
                setup: setup.clone(),
            },
        );
        setup
    }
}

/// Builds the setup of the configuration file `config` (the defaults for `None`).
fn load(config: Option<&Path>) -> Result<Setup, Box<Diagnostic>> {
    let loaded = match config {
        Some(path) => crate::config::Config::load(Some(path), Path::new("/")),
        None => Ok(crate::config::Config::default()),
    };
    let loaded = loaded.map_err(|err| {
        let help = miette::Diagnostic::help(&err).map(|h| h.to_string());
        let mut diagnostic = Diagnostic::whole_file(
            "config::invalid",
            format!(
                "{}: {err}",
                config.map_or(String::new(), |p| p.display().to_string())
            ),
        );
        diagnostic.help = Some(help.unwrap_or_else(|| {
            "fix the configuration file; until then this document is not checked".to_string()
        }));
        Box::new(diagnostic)
    })?;
    // The configuration's `model`, as for `connlint check` (the latest when it names none).
    let model = loaded.model.unwrap_or_default();
    let schema = CompiledSchema::for_model(model).map_err(|err| {
        Box::new(Diagnostic::whole_file(
            "schema::invalid",
            format!(
                "the built-in schema of the model of {}: {err}",
                model.date()
            ),
        ))
    })?;
    let rules = RuleSet::with_levels(&loaded.rules);
    // The configuration's path is absolute, so its directory is the root of its globs
    // whatever the server's current directory is.
    let discovery = loaded.discovery(Path::new("/"));
    Ok(Setup {
        checker: Checker::new(schema, rules, crate::input::DEFAULT_MAX_FILE_SIZE),
        discovery,
    })
}

/// What checking a document found.
#[derive(Debug, Clone)]
pub(super) struct Analysis {
    /// The server's revision of the document checked (see `Document::revision`).
    pub(super) revision: u64,
    /// The text checked (fix edits are offsets into it).
    pub(super) text: Text,
    /// The report, as `connlint check` would give it for the file.
    pub(super) report: FileReport,
}

/// Which documents are checked: `.json`, `.jsonl` and `.ndjson` files, and documents with
/// no such name that the client calls JSON. Returns whether it is JSON Lines, or `None`.
pub(super) fn document_kind(uri: &Url, language: &str) -> Option<bool> {
    let path = uri.path().to_ascii_lowercase();
    if path.ends_with(".jsonl") || path.ends_with(".ndjson") {
        Some(true)
    } else if path.ends_with(".json") {
        Some(false)
    } else {
        match language {
            "json" => Some(false),
            "jsonl" | "jsonlines" | "ndjson" => Some(true),
            _ => None,
        }
    }
}

/// Checks `text` (revision `revision` of the document at `path`, JSON Lines when
/// `json_lines`). An excluded document has an empty report.
pub(super) fn analyse(
    settings: &Settings,
    path: Option<&Path>,
    name: &str,
    revision: u64,
    text: Text,
    json_lines: bool,
) -> Analysis {
    let report = match settings.for_document(path) {
        Err(diagnostic) => FileReport {
            path: name.to_string(),
            diagnostics: vec![(*diagnostic).clone()],
            ..FileReport::default()
        },
        Ok(setup) => match path {
            Some(path) if crate::input::is_excluded(path, &setup.discovery) => {
                FileReport::clean(name)
            }
            _ if text.as_str().len() as u64 > setup.checker.max_file_size() => FileReport {
                path: name.to_string(),
                diagnostics: vec![Diagnostic::whole_file(
                    "io::too-large",
                    format!(
                        "the document is larger than {} bytes, so it is not checked",
                        setup.checker.max_file_size()
                    ),
                )],
                ..FileReport::default()
            },
            _ => setup
                .checker
                .check_bytes(name, text.as_str().as_bytes(), json_lines),
        },
    };
    Analysis {
        revision,
        text,
        report,
    }
}

/// Checks `text` again and applies its fixes until nothing applies, as `--fix` does (safe
/// fixes only): the fixed text, or `None` when nothing changes.
pub(super) fn fix_all(
    settings: &Settings,
    path: Option<&Path>,
    name: &str,
    analysis: &Analysis,
    json_lines: bool,
) -> Option<String> {
    let setup = settings.for_document(path).ok()?;
    let original = analysis.text.as_str();
    let mut text = original.to_string();
    let mut report = analysis.report.clone();
    for _ in 0..crate::fix::MAX_ROUNDS {
        let (next, applied) = crate::fix::apply(&text, &report, false);
        if applied == 0 || next == text {
            break;
        }
        text = next;
        report = setup.checker.check_bytes(name, text.as_bytes(), json_lines);
    }
    (text != original).then_some(text)
}

/// The README anchor of a code, for `codeDescription`: each rule's row, or the table of
/// built-in codes.
pub(super) fn code_link(code: &str) -> Option<Url> {
    let repository = env!("CARGO_PKG_REPOSITORY");
    let anchor = match crate::rules::find(code) {
        Some(rule) => crate::rules::readme_anchor(rule.code),
        None => "diagnostic-codes".to_string(),
    };
    Url::parse(&format!("{repository}#{anchor}")).ok()
}

/// The report's diagnostics as LSP diagnostics on `uri`, ranges in `encoding`. Messages
/// are connlint's (which never hold a secret); the help follows on its own line.
pub(super) fn to_lsp(
    analysis: &Analysis,
    uri: &Url,
    encoding: Encoding,
) -> Vec<lsp_types::Diagnostic> {
    let text = &analysis.text;
    analysis
        .report
        .diagnostics
        .iter()
        .map(|d| {
            let range = d.span.map_or_else(lsp_types::Range::default, |span| {
                text.range(span.start, span.end, encoding)
            });
            let message = match &d.help {
                Some(help) => format!("{}\nhelp: {help}", d.message),
                None => d.message.clone(),
            };
            let related: Vec<DiagnosticRelatedInformation> = d
                .related
                .iter()
                .map(|label| DiagnosticRelatedInformation {
                    location: Location {
                        uri: uri.clone(),
                        range: text.range(label.span.start, label.span.end, encoding),
                    },
                    message: label.message.clone(),
                })
                .collect();
            lsp_types::Diagnostic {
                range,
                severity: Some(match d.severity {
                    Severity::Error => DiagnosticSeverity::ERROR,
                    Severity::Warning => DiagnosticSeverity::WARNING,
                }),
                code: Some(NumberOrString::String(d.code.to_string())),
                code_description: code_link(&d.code).map(|href| CodeDescription { href }),
                source: Some("connlint".to_string()),
                message,
                related_information: (!related.is_empty()).then_some(related),
                tags: None,
                data: None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_links_to_an_anchor_the_readme_has() {
        let readme = include_str!("../../README.md");
        for rule in crate::rules::ALL {
            let link = code_link(rule.code).expect("a link");
            let anchor = link.fragment().expect("an anchor");
            assert!(
                readme.contains(&format!("<a id=\"{anchor}\"></a>`{}`", rule.code)),
                "{anchor}"
            );
        }
        let link = code_link("schema::type").expect("a link");
        assert_eq!(link.fragment(), Some("diagnostic-codes"));
        assert!(readme.contains("\n## Diagnostic codes\n"));
    }
}
