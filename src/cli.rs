//! The command line. Doc comments here are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::model::{Model, ModelError};
use crate::output::Format;

/// Validate and lint Unified.to Connection payload files.
///
/// Every problem is reported at its exact line and column, with a hint on how to fix it;
/// credentials in the payloads are never printed.
#[derive(Debug, Parser)]
#[command(name = "connlint", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check payload files, directories (walked for .json, .jsonl, .ndjson) or `-` (stdin).
    Check(CheckArgs),
    /// Print the JSON Schema of a model, derived from the Connection types.
    Schema(SchemaArgs),
    /// List the releases of the Connection model that `--model` can pick.
    Models,
    /// List the lint rules, or explain one: `connlint rules lint::unknown-key`.
    Rules(RulesArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print the connlint(1) manual page (roff), covering every subcommand.
    Manpage,
    /// Run the language server (LSP over stdin/stdout) for editors: the same diagnostics,
    /// fixes as code actions, hover and completion from the model.
    Server,
}

/// `connlint rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// A rule code to explain, e.g. `lint::unknown-key`.
    pub code: Option<String>,
}

/// `connlint completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `connlint check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files, directories or `-` for standard input.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// When to use colours in human output (NO_COLOR is honoured by `auto`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Validate against this JSON Schema file instead of the built-in Connection schema
    /// (draft 2020-12 unless its `$schema` names draft 4, 6, 7 or 2019-09).
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,

    /// The Connection model to check against: `latest` (the default) or a date YYYY-MM-DD,
    /// meaning the model in force that day. Overrides `model` in connlint.toml;
    /// `connlint models` lists the releases.
    #[arg(long, value_name = "RELEASE", value_parser = parse_model, conflicts_with = "schema")]
    pub model: Option<Model>,

    /// With --schema: treat `format` as an assertion even where the schema's draft makes it an
    /// annotation only (2019-09, 2020-12). The built-in schema always asserts formats.
    #[arg(long, requires = "schema")]
    pub assert_format: bool,

    /// Files larger than this many bytes are reported as `io::too-large` instead of being read.
    /// JSON Lines files (.jsonl, .ndjson) are streamed, so the limit applies to each line.
    #[arg(long, value_name = "BYTES", default_value_t = crate::input::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,

    /// Write the report (or the --diff) to FILE instead of standard output; never to a file the
    /// run checks.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Configuration file (default: connlint.toml or .connlint.toml in the current directory
    /// or the nearest parent).
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Set a rule's level, overriding the configuration: `--rule lint::unknown-key=error`.
    #[arg(long = "rule", value_name = "CODE=LEVEL")]
    pub rules: Vec<String>,

    /// Make warnings fail the run (exit code 1).
    #[arg(long)]
    pub deny_warnings: bool,

    /// Print only errors and the summary.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// After the report, print how many diagnostics each code produced (human and concise
    /// formats; the machine-readable formats stay as they are).
    #[arg(long)]
    pub statistics: bool,

    /// Never show a progress bar.
    #[arg(long)]
    pub no_progress: bool,

    /// Apply safe fixes to the files in place.
    #[arg(long)]
    pub fix: bool,

    /// With --fix or --diff, also apply fixes that could change meaning.
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print a unified diff of what --fix would change, and change no file. Exits 1 while a fix
    /// would change something or an error remains; only the default --format is allowed.
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
}

/// `connlint schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Compare the committed schema files (the latest model's and the 2023-11-07 model's)
    /// with the derived ones; exit 1 if one differs.
    #[arg(long)]
    pub check: bool,

    /// The model whose schema to print (or, with --check and --path, to compare with):
    /// `latest` (the default) or a date YYYY-MM-DD.
    #[arg(long, value_name = "RELEASE", value_parser = parse_model)]
    pub model: Option<Model>,

    /// With --check: compare only this file, with the schema of --model.
    #[arg(long, value_name = "FILE", requires = "check")]
    pub path: Option<PathBuf>,
}

/// `--model`'s parser: `latest` or a date with a release on or before it.
fn parse_model(text: &str) -> Result<Model, ModelError> {
    Model::parse(text)
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When stdout is a terminal and NO_COLOR is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Resolves `auto` against the environment.
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
