//! What a run checks: [`Input`]s, found by [`discover`] from command-line paths and read by
//! [`read`] (or streamed after [`open`]), and the `io::` diagnostics for paths that cannot be.
//!
//! A path that cannot be checked becomes an `io::` diagnostic, never a panic or a hang.

mod discover;
mod read;

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;

pub(crate) use discover::is_excluded;
pub use discover::{discover, Discovery};
pub use read::{open, read, read_support_file, read_to_end, MAX_SUPPORT_FILE_SIZE};

/// Extensions checked when walking a directory.
pub const EXTENSIONS: &[&str] = &["json", "jsonl", "ndjson"];

/// Default `--max-file-size`: larger files get `io::too-large` instead of being read.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;

/// One thing to check.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// A file on disk, with the path to show for it.
    File {
        /// Where it is.
        path: PathBuf,
        /// How to name it in output: as given or as found under a given directory.
        display: String,
    },
    /// Standard input.
    Stdin,
    /// A path that cannot be checked, with the diagnostic that says why.
    Unreadable {
        /// How to name it in output.
        display: String,
        /// Why. Boxed: unreadable inputs are rare, and every `Input` in a long list would
        /// otherwise be as large as a whole diagnostic.
        diagnostic: Box<Diagnostic>,
    },
}

impl Input {
    /// The name shown in output.
    pub fn display(&self) -> &str {
        match self {
            Input::File { display, .. } | Input::Unreadable { display, .. } => display,
            Input::Stdin => "-",
        }
    }

    /// Whether the content is one JSON document per line.
    pub fn is_json_lines(&self) -> bool {
        is_json_lines(self.display())
    }
}

/// Whether `path` names a JSON Lines file (`.jsonl` or `.ndjson`).
pub fn is_json_lines(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".jsonl") || lower.ends_with(".ndjson")
}

/// `io::not-a-file`: a FIFO, socket or device where a JSON file was expected.
fn not_a_file(display: &str) -> Diagnostic {
    Diagnostic::whole_file("io::not-a-file", format!("{display} is not a regular file"))
        .with_help("name a JSON file or a directory; pipes are read with `-`")
}

fn too_large(display: &str, max_size: u64) -> Diagnostic {
    Diagnostic::whole_file(
        "io::too-large",
        format!("{display} is larger than the {max_size}-byte limit"),
    )
    .with_help("raise the limit with --max-file-size BYTES if the file is meant to be this big")
}

/// An `io::<kind>` diagnostic for an I/O failure on `display`.
pub fn io_diagnostic(err: &std::io::Error, display: &str) -> Diagnostic {
    use std::io::ErrorKind as K;
    let (kind, what) = match err.kind() {
        K::NotFound => ("not-found", "no such file or directory"),
        K::PermissionDenied => ("permission-denied", "permission denied"),
        K::IsADirectory => ("is-a-directory", "is a directory"),
        K::InvalidData => ("invalid-data", "invalid data"),
        _ => ("error", ""),
    };
    let message = if what.is_empty() {
        format!("cannot read {display}: {err}")
    } else {
        format!("cannot read {display}: {what}")
    };
    Diagnostic::whole_file(format!("io::{kind}"), message)
}
