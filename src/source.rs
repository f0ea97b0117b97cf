//! Which files a run checks, and reading them.
//!
//! Command-line paths are taken as given (a file, a directory walked for `*.json`,
//! `*.jsonl` and `*.ndjson`, or `-` for standard input). Directories are walked with the
//! `ignore` crate, so `.gitignore` and `.ignore` are honoured and hidden entries skipped.
//! A path that cannot be checked becomes an `io::` diagnostic, never a panic or a hang.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

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
        /// Why.
        diagnostic: Diagnostic,
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

/// Options for finding inputs.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    /// Gitignore-style globs never checked (from the configuration), relative to `exclude_root`.
    pub exclude: Vec<String>,
    /// The directory the `exclude` globs are relative to.
    pub exclude_root: Option<PathBuf>,
}

/// Expands command-line paths into inputs, in a deterministic order: each path in the order
/// given, directory contents sorted by path.
pub fn discover(paths: &[PathBuf], options: &Discovery) -> Vec<Input> {
    let mut inputs = Vec::new();
    let exclude = build_exclude(options);
    for path in paths {
        let display = path.to_string_lossy().into_owned();
        if display == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        match std::fs::metadata(path) {
            Err(err) => inputs.push(Input::Unreadable {
                diagnostic: io_diagnostic(&err, &display),
                display,
            }),
            Ok(meta) if meta.is_dir() => walk(path, exclude.as_ref(), &mut inputs),
            Ok(meta) if meta.is_file() => inputs.push(Input::File {
                path: path.clone(),
                display,
            }),
            Ok(_) => {
                // A FIFO, socket or device: opening it could block forever.
                let diagnostic = Diagnostic::whole_file(
                    "io::not-a-file",
                    format!("{display} is not a regular file"),
                )
                .with_help("name a JSON file or a directory; pipes are read with `-`");
                inputs.push(Input::Unreadable {
                    display,
                    diagnostic,
                });
            }
        }
    }
    inputs
}

fn build_exclude(options: &Discovery) -> Option<ignore::overrides::Override> {
    if options.exclude.is_empty() {
        return None;
    }
    let root = options
        .exclude_root
        .clone()
        .unwrap_or_else(|| PathBuf::from("."));
    let mut builder = ignore::overrides::OverrideBuilder::new(root);
    for glob in &options.exclude {
        // In an override, a `!glob` ignores what matches.
        builder.add(&format!("!{glob}")).ok()?;
    }
    builder.build().ok()
}

fn walk(dir: &Path, exclude: Option<&ignore::overrides::Override>, inputs: &mut Vec<Input>) {
    let mut builder = ignore::WalkBuilder::new(dir);
    builder
        .require_git(false)
        .follow_links(false)
        .sort_by_file_path(|a, b| a.cmp(b));
    if let Some(exclude) = exclude {
        builder.overrides(exclude.clone());
    }
    for entry in builder.build() {
        let Ok(entry) = entry else { continue };
        let is_file = entry.file_type().is_some_and(|t| t.is_file());
        let path = entry.path();
        let wanted = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)));
        if is_file && wanted {
            inputs.push(Input::File {
                path: path.to_path_buf(),
                display: path.to_string_lossy().into_owned(),
            });
        }
    }
}

/// Reads a whole input, refusing more than `max_size` bytes.
pub fn read(input: &Input, max_size: u64) -> Result<Vec<u8>, Diagnostic> {
    match input {
        Input::File { path, display } => {
            let file = std::fs::File::open(path).map_err(|err| io_diagnostic(&err, display))?;
            let len = file.metadata().map(|m| m.len()).unwrap_or(0);
            if len > max_size {
                return Err(too_large(display, max_size));
            }
            read_limited(file, len as usize, max_size, display)
        }
        Input::Stdin => read_limited(std::io::stdin().lock(), 0, max_size, "-"),
        Input::Unreadable { diagnostic, .. } => Err(diagnostic.clone()),
    }
}

fn read_limited(
    reader: impl Read,
    hint: usize,
    max_size: u64,
    display: &str,
) -> Result<Vec<u8>, Diagnostic> {
    let mut bytes = Vec::with_capacity(hint + 1);
    // One byte over the limit tells a file that is too large from one that is exactly full.
    reader
        .take(max_size + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| io_diagnostic(&err, display))?;
    if bytes.len() as u64 > max_size {
        return Err(too_large(display, max_size));
    }
    Ok(bytes)
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
