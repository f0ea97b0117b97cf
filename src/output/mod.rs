//! Renderers: one file per `--format`, each a view of the same reports.
//!
//! Reports are rendered as they come ([`Renderer`], a [`ReportSink`]): each format writes a
//! file's diagnostics when it gets them and keeps only what its end needs (counts, or a
//! [`spool`] for a header whose counts come last), so a run's memory does not grow with
//! what it finds. Adding a format is one file and one variant in [`Format`]; the matches on
//! it here are exhaustive, so the compiler lists every place to update (the README's
//! checklist has the rest). Every renderer must show
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
pub(crate) mod spool;

use std::collections::HashMap;
use std::io::Write;

use serde::Serialize;

use crate::check::ReportSink;
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

    /// The diagnostics of `report` shown under these options, in order.
    pub fn shown<'a>(&self, report: &'a FileReport) -> impl Iterator<Item = &'a Diagnostic> + 'a {
        let options = *self;
        report.diagnostics.iter().filter(move |d| options.shows(d))
    }
}

/// Writes `reports` (one per file, in order) in `format`.
pub fn render(
    format: Format,
    reports: &[FileReport],
    options: &RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut renderer = Renderer::new(format, *options, out);
    for report in reports {
        renderer.add(report, true);
    }
    renderer.finish().1
}

/// One format's writer, fed a run's reports in order by a [`Renderer`].
trait Stream {
    /// Writes what comes before the first report.
    fn begin(&mut self, _out: &mut dyn Write) -> std::io::Result<()> {
        Ok(())
    }

    /// Writes (or keeps) `part`, a file's report or the next part of one; `last` ends the
    /// file.
    fn part(&mut self, part: &FileReport, last: bool, out: &mut dyn Write) -> std::io::Result<()>;

    /// Writes the end of the report, given the run's totals.
    fn end(&mut self, summary: &Summary, out: &mut dyn Write) -> std::io::Result<()>;
}

/// Renders a run's reports in one format as they come, and counts them.
///
/// The summary counts every diagnostic, shown or not: `--quiet` hides warnings, it does not
/// pretend there are none. After a write fails (a closed pipe), nothing more is written,
/// but parts are still counted, so that the run's outcome is what it found.
pub struct Renderer<'w> {
    stream: Box<dyn Stream>,
    out: &'w mut dyn Write,
    options: RenderOptions,
    for_people: bool,
    summary: Summary,
    /// Whether the file being rendered has had an error, and an `io::` diagnostic.
    file: (bool, bool),
    /// `--statistics`: shown diagnostics per code and severity.
    counts: HashMap<String, [usize; 2]>,
    failed: Option<std::io::Error>,
}

impl<'w> Renderer<'w> {
    /// A renderer of `format` writing to `out`; writes what the format puts first.
    pub fn new(format: Format, options: RenderOptions, out: &'w mut dyn Write) -> Self {
        let mut stream: Box<dyn Stream> = match format {
            Format::Human => Box::new(human::Human::new(options)),
            Format::Json => Box::new(json::Json::new(options)),
            Format::Concise => Box::new(concise::Concise::new(options)),
            Format::Github => Box::new(github::Github::new(options)),
            Format::Sarif => Box::new(sarif::Sarif::new(options)),
            Format::Junit => Box::new(junit::Junit::new(options)),
            Format::Gitlab => Box::new(gitlab::Gitlab::new(options)),
        };
        let failed = stream.begin(out).err();
        Self {
            stream,
            out,
            options,
            for_people: format.is_for_people(),
            summary: Summary::default(),
            file: (false, false),
            counts: HashMap::new(),
            failed,
        }
    }

    /// Renders `part` of a file's report; `last` ends the file.
    pub fn add(&mut self, part: &FileReport, last: bool) {
        self.summary.add_part(part);
        self.file.0 |= part.errors() > 0;
        self.file.1 |= part.is_unreadable();
        if self.options.statistics && self.for_people {
            for d in self.options.shown(part) {
                let slot = usize::from(d.severity == Severity::Warning);
                match self.counts.get_mut(d.code.as_ref()) {
                    Some(counts) => counts[slot] += 1,
                    None => {
                        let mut counts = [0; 2];
                        counts[slot] = 1;
                        self.counts.insert(d.code.to_string(), counts);
                    }
                }
            }
        }
        if self.failed.is_none() {
            self.failed = self.stream.part(part, last, self.out).err();
        }
        if last {
            let (errors, unreadable) = std::mem::take(&mut self.file);
            self.summary.end_file(errors, unreadable);
        }
    }

    /// Writes the end of the report; returns the run's totals, and whether every write
    /// succeeded.
    pub fn finish(mut self) -> (Summary, std::io::Result<()>) {
        let summary = self.summary;
        let written = match self.failed.take() {
            Some(err) => Err(err),
            None => self.stream.end(&summary, self.out).and_then(|()| {
                if self.options.statistics && self.for_people {
                    statistics(&self.counts, self.out)
                } else {
                    Ok(())
                }
            }),
        };
        (summary, written)
    }
}

impl ReportSink for Renderer<'_> {
    fn part(&mut self, part: FileReport, last: bool) {
        self.add(&part, last);
    }
}

/// `--statistics`: how many shown diagnostics each code produced, most frequent first.
fn statistics(counts: &HashMap<String, [usize; 2]>, out: &mut dyn Write) -> std::io::Result<()> {
    let mut rows: Vec<((&str, Severity), usize)> = counts
        .iter()
        .flat_map(|(code, counts)| {
            [(Severity::Error, counts[0]), (Severity::Warning, counts[1])]
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .map(move |(severity, n)| ((code.as_str(), severity), n))
        })
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let width = rows.first().map_or(1, |(_, n)| n.to_string().len());
    for ((code, severity), count) in rows {
        writeln!(out, "{count:>width$}  {code}  ({})", severity.as_str())?;
    }
    Ok(())
}

/// Writes `json`, pretty-printed by `serde_json` (so no string in it holds a raw newline),
/// with `indent` before each line: an element of a pretty-printed document, written on its
/// own as it comes.
fn write_indented(json: &[u8], indent: &[u8], out: &mut dyn Write) -> std::io::Result<()> {
    for (i, line) in json.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.write_all(b"\n")?;
        }
        out.write_all(indent)?;
        out.write_all(line)?;
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
