//! The command line. Doc comments here are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
    /// Print the JSON Schema derived from the Connection types.
    Schema(SchemaArgs),
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

    /// Files larger than this many bytes are reported as `io::too-large` instead of being read.
    #[arg(long, value_name = "BYTES", default_value_t = crate::source::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
}

/// `connlint schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Compare the committed schema file with the derived one; exit 1 if they differ.
    #[arg(long)]
    pub check: bool,

    /// The committed schema file to compare with `--check`.
    #[arg(long, value_name = "FILE", default_value = crate::schema::COMMITTED_SCHEMA_PATH)]
    pub path: PathBuf,
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
