//! Renderers: one file per `--format`, each a view of the same reports.
//!
//! Adding a format is one file, one variant in [`Format`] and one arm in [`render`] (an
//! exhaustive match, so the compiler lists every place to update). Every renderer must show
//! redacted source only: a report's `secrets` spans are never printed.

mod human;
mod json;

use std::io::Write;

use crate::diagnostic::{FileReport, Summary};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Graphical report with source snippets and labels, then a summary line.
    Human,
    /// One JSON document: a summary and every diagnostic with its line and column.
    Json,
}

/// Settings that shape a report.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// Use ANSI colours.
    pub color: bool,
    /// Terminal width for wrapping human output.
    pub width: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self {
            color: false,
            width: 100,
        }
    }
}

/// Writes `reports` in `format`.
pub fn render(
    format: Format,
    reports: &[FileReport],
    options: &RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let summary = Summary::of(reports);
    match format {
        Format::Human => human::render(reports, &summary, options, out),
        Format::Json => json::render(reports, &summary, out),
    }
}
