//! Renderers: one file per `--format`, each a view of the same reports.
//!
//! Adding a format is one file and one variant in [`Format`]; the matches on it here are
//! exhaustive, so the compiler lists every place to update (the README's checklist has
//! the rest). Every renderer must show
//! redacted source only: a report's secret spans ([`FileReport::secret_spans`]) are never
//! printed, and no renderer but
//! `human` (which redacts first) ever reads `FileReport::source` for text to print.

mod code_docs;
mod concise;
mod fingerprint;
mod github;
mod gitlab;
mod human;
mod json;
mod junit;
mod sarif;

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use crate::diagnostic::{Applicability, Diagnostic, FileReport, Severity, Summary};
use crate::model::Model;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Graphical report with source snippets and labels, then a summary line.
    Human,
    /// One JSON document: a summary and every diagnostic with its line and column.
    Json,
    /// One line per diagnostic, `path:line:column: severity[code] message`, then a summary.
    Concise,
    /// GitHub Actions workflow commands (`::error file=…,line=…::…`): annotations on a PR.
    Github,
    /// A SARIF 2.1.0 log, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// JUnit XML: one test case per file checked, for CI test-report views.
    Junit,
    /// A GitLab Code Quality report (CodeClimate JSON), for the merge request widget.
    Gitlab,
}

impl Format {
    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Concise => "concise",
            Format::Github => "github",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Gitlab => "gitlab",
        }
    }

    /// True for the formats a person reads in a terminal: only these get a progress bar
    /// and `--statistics`; the others are parsed by programs and must stay well-formed.
    pub fn is_for_people(self) -> bool {
        match self {
            Format::Human | Format::Concise => true,
            Format::Json | Format::Github | Format::Sarif | Format::Junit | Format::Gitlab => false,
        }
    }

    /// True for the formats that read a report's kept text ([`FileReport::source`]):
    /// human output shows it, SARIF places fixes by it. The others need only positions.
    pub fn reads_source(self) -> bool {
        match self {
            Format::Human | Format::Sarif => true,
            Format::Json | Format::Concise | Format::Github | Format::Junit | Format::Gitlab => {
                false
            }
        }
    }
}

/// Settings that shape a report.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// Use ANSI colours.
    pub color: bool,
    /// Terminal width for wrapping human output.
    pub width: usize,
    /// Show errors only (`--quiet`); the summary still counts everything.
    pub quiet: bool,
    /// After the report, a count per code (`--statistics`; human and concise formats).
    pub statistics: bool,
    /// The model the run checked against (`None` under `--schema FILE`); the JSON, SARIF
    /// and JUnit reports name it.
    pub model: Option<Model>,
}

/// The model of a run as the machine-readable reports name it.
#[derive(Debug, Serialize)]
pub(crate) struct ModelInfo {
    /// The date the run asked for (`--model`), or the release's date.
    pub date: String,
    /// The date of the release whose model was in force then.
    pub release: String,
    /// That release's (PHP) SDK version.
    pub sdk_version: &'static str,
}

impl ModelInfo {
    pub(crate) fn of(model: Option<Model>) -> Option<Self> {
        model.map(|model| Self {
            date: model.date().to_string(),
            release: model.release().date.to_string(),
            sdk_version: model.release().sdk_version,
        })
    }
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self {
            color: false,
            width: 100,
            quiet: false,
            statistics: false,
            model: None,
        }
    }
}

impl RenderOptions {
    /// Whether `diagnostic` is shown under these options.
    pub fn shows(&self, diagnostic: &Diagnostic) -> bool {
        !self.quiet || diagnostic.severity == Severity::Error
    }
}

/// Writes `reports` in `format`.
pub fn render(
    format: Format,
    reports: &[FileReport],
    options: &RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    // The summary counts every diagnostic, shown or not: `--quiet` hides warnings, it does
    // not pretend there are none.
    let summary = Summary::of(reports);
    match format {
        Format::Human => human::render(reports, &summary, options, out)?,
        Format::Json => json::render(reports, &summary, options, out)?,
        Format::Concise => concise::render(reports, &summary, options, out)?,
        Format::Github => github::render(reports, &summary, options, out)?,
        Format::Sarif => sarif::render(reports, options, out)?,
        Format::Junit => junit::render(reports, &summary, options, out)?,
        Format::Gitlab => gitlab::render(reports, options, out)?,
    }
    if options.statistics && format.is_for_people() {
        statistics(reports, options, out)?;
    }
    Ok(())
}

/// `--statistics`: how many shown diagnostics each code produced, most frequent first.
fn statistics(
    reports: &[FileReport],
    options: &RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut counts: BTreeMap<(&str, Severity), usize> = BTreeMap::new();
    for diagnostic in reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .filter(|d| options.shows(d))
    {
        *counts
            .entry((diagnostic.code.as_ref(), diagnostic.severity))
            .or_default() += 1;
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let width = rows.first().map_or(1, |(_, n)| n.to_string().len());
    for ((code, severity), count) in rows {
        writeln!(out, "{count:>width$}  {code}  ({})", severity.as_str())?;
    }
    Ok(())
}

/// The closing line: what was checked and what was found.
pub(crate) fn summary_line(summary: &Summary, color: bool) -> String {
    let files = plural(summary.files, "file");
    let fixed = if summary.fixed > 0 {
        format!(", fixed {}", plural(summary.fixed, "problem"))
    } else {
        String::new()
    };
    let (text, paint) = if summary.errors == 0 && summary.warnings == 0 {
        (format!("Checked {files}: no problems{fixed}."), "\x1b[32m")
    } else {
        let in_files = if summary.files_with_errors > 0 {
            format!(" in {}", plural(summary.files_with_errors, "file"))
        } else {
            String::new()
        };
        (
            format!(
                "Checked {files}: {}{in_files}, {}{fixed}.",
                plural(summary.errors, "error"),
                plural(summary.warnings, "warning")
            ),
            if summary.errors > 0 {
                "\x1b[31m"
            } else {
                "\x1b[33m"
            },
        )
    };
    if color {
        format!("{paint}{text}\x1b[0m")
    } else {
        text
    }
}

pub(crate) fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The hint that a diagnostic has a fix, and which flags apply it.
pub(crate) fn fix_hint(diagnostic: &Diagnostic) -> Option<&'static str> {
    match diagnostic.fix.as_ref()?.applicability {
        Applicability::Safe => Some("[*] fixable with --fix"),
        Applicability::Unsafe => Some("[*] fixable with --fix --unsafe-fixes (may change meaning)"),
    }
}

/// `text` on one line with every control and bidirectional character escaped: see
/// [`crate::escape::one_line`], the one escaper every format for people uses.
pub(crate) use crate::escape::one_line;

/// The path as a forward-slash path relative to the current directory when it can be:
/// `./a/b.json` → `a/b.json`, `/repo/a/b.json` → `a/b.json` when run in `/repo`. GitHub
/// annotations and SARIF locations are resolved against the repository root, which is where
/// CI runs connlint. Other absolute paths stay absolute.
pub(crate) fn repo_path(path: &str) -> String {
    let mut path = if cfg!(windows) {
        path.replace('\\', "/")
    } else {
        path.to_string()
    };
    if path.starts_with('/') || (cfg!(windows) && std::path::Path::new(&path).is_absolute()) {
        if let Some(relative) = std::env::current_dir()
            .ok()
            .and_then(|cwd| {
                std::path::Path::new(&path)
                    .strip_prefix(cwd)
                    .ok()
                    .map(|p| p.to_path_buf())
            })
            .and_then(|p| p.to_str().map(str::to_string))
        {
            path = if cfg!(windows) {
                relative.replace('\\', "/")
            } else {
                relative
            };
        }
    }
    while let Some(rest) = path.strip_prefix("./") {
        path = rest.trim_start_matches('/').to_string();
    }
    // `..` (`../repo/a.json` run from inside `repo`): the file's real path under the
    // current directory, so one file has one path (and one fingerprint) however it was
    // named. Resolved on disk, not by dropping components, which symlinks would defeat.
    if std::path::Path::new(&path)
        .components()
        .any(|c| c == std::path::Component::ParentDir)
    {
        let real = std::fs::canonicalize(&path).ok();
        let cwd = std::env::current_dir().and_then(std::fs::canonicalize).ok();
        if let Some(inside) = real
            .zip(cwd)
            .and_then(|(real, cwd)| real.strip_prefix(cwd).ok().map(|p| p.to_path_buf()))
            .and_then(|p| p.to_str().map(str::to_string))
        {
            path = if cfg!(windows) {
                inside.replace('\\', "/")
            } else {
                inside
            };
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_path_drops_dot_slash_and_the_current_directory() {
        assert_eq!(repo_path("./a/b.json"), "a/b.json");
        assert_eq!(repo_path(".//a.json"), "a.json");
        assert_eq!(repo_path("a/b.json"), "a/b.json");
        let cwd = std::env::current_dir().expect("cwd");
        let inside = cwd.join("x").join("y.json");
        assert_eq!(repo_path(&inside.to_string_lossy()), "x/y.json");
        #[cfg(unix)]
        assert_eq!(
            repo_path("/definitely/elsewhere.json"),
            "/definitely/elsewhere.json"
        );
        // A file of this directory named through `..` is named as from here; a path that
        // does not exist or leads outside stays as given.
        let name = cwd.file_name().and_then(|n| n.to_str()).expect("name");
        assert_eq!(
            repo_path(&format!("../{name}/src/../Cargo.toml")),
            "Cargo.toml"
        );
        assert_eq!(
            repo_path("src/../no-such-file.json"),
            "src/../no-such-file.json"
        );
        assert_eq!(repo_path("../elsewhere.json"), "../elsewhere.json");
    }

    #[test]
    fn every_format_has_a_renderer_and_people_formats_are_known() {
        use clap::ValueEnum;
        for format in Format::value_variants() {
            let mut out = Vec::new();
            render(*format, &[], &RenderOptions::default(), &mut out).expect("render");
            assert!(!out.is_empty(), "{format:?} wrote nothing for an empty run");
        }
        assert!(Format::Human.is_for_people() && Format::Concise.is_for_people());
    }
}
