//! Failures that stop a whole run (as opposed to per-file diagnostics): a schema that cannot
//! be read or compiled, a bad configuration, an output that cannot be written. Their
//! messages name paths and quote input, so they pass through [`crate::escape`] too.

use std::fmt;
use std::path::PathBuf;

use miette::Diagnostic;
use thiserror::Error;

/// Where a run writes its report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputTarget {
    /// Standard output (the default).
    Stdout,
    /// Standard error (the report of `check --fix -`, whose fixed text is on stdout).
    Stderr,
    /// The file named with `--output`.
    File(PathBuf),
}

impl fmt::Display for OutputTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutputTarget::Stdout => f.write_str("stdout"),
            OutputTarget::Stderr => f.write_str("stderr"),
            OutputTarget::File(path) => {
                f.write_str(&crate::escape::one_line(&path.to_string_lossy()))
            }
        }
    }
}

/// A failure that stops the run with exit code 2.
#[derive(Debug, Error, Diagnostic)]
pub enum RunError {
    /// The schema given with `--schema` could not be read.
    #[error("cannot read schema {}: {source}", crate::escape::one_line(.path))]
    #[diagnostic(code(io::schema))]
    SchemaRead {
        /// The path given.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The schema is not valid JSON or not a valid JSON Schema.
    #[error(
        "invalid schema {}: {}",
        crate::escape::one_line(.path),
        crate::escape::lines(.message)
    )]
    #[diagnostic(
        code(schema::invalid),
        help("check the file against the JSON Schema meta-schema of its draft")
    )]
    Schema {
        /// The path given.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The report could not be written.
    #[error("cannot write the report to {target}: {source}")]
    #[diagnostic(code(io::output))]
    Output {
        /// Where it was going.
        target: OutputTarget,
        /// Why.
        source: std::io::Error,
    },
    /// A command-line value that clap could not check by itself.
    #[error("{}", crate::escape::lines(.0))]
    #[diagnostic(code(usage))]
    Usage(String),
    /// The configuration file could not be read.
    #[error(
        "cannot read configuration {}: {source}",
        crate::escape::one_line(.path)
    )]
    #[diagnostic(code(io::config))]
    ConfigRead {
        /// The path given or found.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The configuration file is not valid: TOML syntax, an unknown key, rule or level.
    #[error("{}", crate::escape::lines(.message))]
    #[diagnostic(code(config::invalid))]
    Config {
        /// What is wrong.
        message: String,
        /// The configuration file's text (shared, to keep `RunError` small).
        #[source_code]
        src: std::sync::Arc<miette::NamedSource<String>>,
        /// Where in it.
        #[label("{label}")]
        span: miette::SourceSpan,
        /// Short text at the span.
        label: String,
        /// How to fix it.
        #[help]
        help: Option<String>,
    },
}
