//! Which files a run checks.
//!
//! Command-line paths are taken as given (a file, a directory walked for `*.json`,
//! `*.jsonl` and `*.ndjson`, or `-` for standard input). Directories are walked with the
//! `ignore` crate, so `.gitignore`, `.ignore` and the configuration's `exclude` are honoured
//! and hidden entries skipped (a hidden directory named on the command line is walked).
//! Symbolic links inside walked directories are not followed, so a link loop cannot trap
//! the walk, and FIFOs, sockets and devices found there are skipped: opening one could block
//! forever. A file reached twice (named twice, or named and inside a named directory) is
//! checked once. The configuration's `exclude` applies to named paths as well.

use std::path::{Path, PathBuf};

use super::{io_diagnostic, not_a_file, Input, EXTENSIONS};
use crate::diagnostic::Diagnostic;

/// Options for finding inputs.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    /// Gitignore-style globs never checked (from the configuration), relative to `exclude_root`.
    pub exclude: Vec<String>,
    /// The directory the `exclude` globs are relative to.
    pub exclude_root: Option<PathBuf>,
}

/// Expands command-line paths into inputs, in a deterministic order: each path in the order
/// given, directory contents sorted by their path as text (the order reports are in).
pub fn discover(paths: &[PathBuf], options: &Discovery) -> Vec<Input> {
    let mut inputs = Vec::new();
    let exclude = build_exclude(options);
    for path in paths {
        let display = path.to_string_lossy().into_owned();
        if display == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        let metadata = std::fs::metadata(path);
        // `exclude` means never checked, named or found: pre-commit and editors name every
        // file, and a configured exclusion must hold for them too. (.gitignore does not
        // apply to named paths: naming an ignored file is a deliberate request.)
        if let Some(exclude) = &exclude {
            let is_dir = metadata.as_ref().is_ok_and(|m| m.is_dir());
            if exclude.excludes_named(path, is_dir) {
                continue;
            }
        }
        match metadata {
            Err(err) => inputs.push(Input::Unreadable {
                diagnostic: Box::new(io_diagnostic(&err, &display)),
                display,
            }),
            Ok(meta) if meta.is_dir() => walk(path, exclude.as_ref(), &mut inputs),
            Ok(meta) if meta.is_file() => inputs.push(Input::File {
                path: path.clone(),
                display,
            }),
            Ok(_) => {
                // A FIFO, socket or device: opening it could block forever.
                let diagnostic = not_a_file(&display);
                inputs.push(Input::Unreadable {
                    display,
                    diagnostic: Box::new(diagnostic),
                });
            }
        }
    }
    // One path cannot reach a file twice (links are not followed), so only several paths
    // pay for the identity checks.
    if paths.len() > 1 {
        dedup(&mut inputs);
    }
    inputs
}

/// Drops every input that names the same thing as an earlier one, keeping the first name.
fn dedup(inputs: &mut Vec<Input>) {
    let mut seen = std::collections::HashSet::new();
    inputs.retain(|input| seen.insert(identity(input)));
}

/// What makes two inputs the same: the file itself (device and inode on Unix, so that
/// `a.json`, `./a.json`, an absolute path and a link to it all match), else the name.
#[derive(Debug, PartialEq, Eq, Hash)]
enum Identity {
    Stdin,
    #[cfg(unix)]
    Inode(u64, u64),
    Path(PathBuf),
    Name(String),
}

fn identity(input: &Input) -> Identity {
    match input {
        Input::Stdin => Identity::Stdin,
        Input::Unreadable { display, .. } => Identity::Name(display.clone()),
        Input::File { path, display } => {
            #[cfg(unix)]
            if let Ok(meta) = std::fs::metadata(path) {
                use std::os::unix::fs::MetadataExt;
                return Identity::Inode(meta.dev(), meta.ino());
            }
            std::fs::canonicalize(path)
                .map_or_else(|_| Identity::Name(display.clone()), Identity::Path)
        }
    }
}

/// The configuration's `exclude` globs, matched against absolute, lexically normalised
/// paths: a relative walk (`fixtures/…`) and an absolute configuration directory must agree
/// on what `fixtures/invalid/*.json` means.
#[derive(Clone)]
struct Exclude {
    matcher: ignore::overrides::Override,
    cwd: PathBuf,
    /// The directory being walked, as given and resolved (`../x` and links in it resolved),
    /// so that entries under it can be matched by their real place.
    walk_root: Option<(PathBuf, PathBuf)>,
}

impl Exclude {
    /// This matcher for a walk of `dir`.
    fn for_walk(&self, dir: &Path) -> Self {
        let mut walk = self.clone();
        walk.walk_root = std::fs::canonicalize(dir)
            .ok()
            .map(|real| (dir.to_path_buf(), real));
        walk
    }

    /// Whether a path named on the command line is excluded: matched by where it really is,
    /// so `../repo/x.json` and `./x.json` mean the same file.
    /// A walk never enters an excluded directory; a named path is excluded also when one of
    /// its directories (below the configuration's) is.
    fn excludes_named(&self, path: &Path, is_dir: bool) -> bool {
        let real = std::fs::canonicalize(path).unwrap_or_else(|_| absolute(&self.cwd, path));
        if self.matcher.matched(&real, is_dir).is_ignore() {
            return true;
        }
        let root = self.matcher.path();
        real.ancestors()
            .skip(1)
            .take_while(|dir| dir.starts_with(root) && *dir != root)
            .any(|dir| self.matcher.matched(dir, true).is_ignore())
    }

    fn excludes(&self, path: &Path, is_dir: bool) -> bool {
        let real = match &self.walk_root {
            Some((dir, real)) => path.strip_prefix(dir).ok().map(|rest| real.join(rest)),
            None => None,
        };
        let path = real.unwrap_or_else(|| absolute(&self.cwd, path));
        self.matcher.matched(path, is_dir).is_ignore()
    }
}

/// `path` made absolute against `cwd`, with `.` components dropped (no file system access).
fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    cwd.join(path).components().collect()
}

/// Whether the configuration's `exclude` globs in `options` exclude the file `path`, as they
/// would if it were named on the command line (the language server asks this of each
/// document it is given).
pub(crate) fn is_excluded(path: &Path, options: &Discovery) -> bool {
    build_exclude(options).is_some_and(|exclude| exclude.excludes_named(path, false))
}

fn build_exclude(options: &Discovery) -> Option<Exclude> {
    if options.exclude.is_empty() {
        return None;
    }
    let cwd = std::env::current_dir().ok()?;
    let root = options
        .exclude_root
        .as_deref()
        .map_or_else(|| cwd.clone(), |root| absolute(&cwd, root));
    let root = std::fs::canonicalize(&root).unwrap_or(root);
    let mut builder = ignore::overrides::OverrideBuilder::new(root);
    for glob in &options.exclude {
        // In an override, a `!glob` ignores what matches. A glob that does not parse is
        // skipped alone (the configuration reports it) rather than dropping every exclude.
        let _ = builder.add(&format!("!{glob}"));
    }
    let matcher = builder.build().ok()?;
    Some(Exclude {
        matcher,
        cwd,
        walk_root: None,
    })
}

fn walk(dir: &Path, exclude: Option<&Exclude>, inputs: &mut Vec<Input>) {
    let first = inputs.len();
    // The walker reads the ignore files of the root and its parents first.
    let absolute = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let root_first = std::iter::once(dir).chain(absolute.ancestors().skip(1));
    if let Some(refused) = root_first.into_iter().find_map(unreadable_ignore_file) {
        inputs.push(refused);
        return;
    }
    let mut builder = ignore::WalkBuilder::new(dir);
    // Not `sort_by_file_path` (a comparison per entry during the walk): one sort by name
    // afterwards gives the same deterministic order for less.
    builder.require_git(false).follow_links(false);
    let exclude = exclude.map(|e| e.for_walk(dir));
    let refused = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let refused_in_walk = std::sync::Arc::clone(&refused);
    builder.filter_entry(move |entry| {
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        // Pruning here keeps an excluded directory from being read at all.
        if exclude
            .as_ref()
            .is_some_and(|exclude| exclude.excludes(entry.path(), is_dir))
        {
            return false;
        }
        // The walker reads a directory's ignore files as it enters it: one it must not read
        // keeps the directory out of the walk, with a diagnostic.
        match unreadable_ignore_file(entry.path()).filter(|_| is_dir) {
            Some(input) => {
                if let Ok(mut refused) = refused_in_walk.lock() {
                    refused.push(input);
                }
                false
            }
            None => true,
        }
    });
    for entry in builder.build() {
        let entry = match entry {
            Ok(entry) => entry,
            // A directory that cannot be listed would otherwise pass the run with its files
            // unchecked.
            Err(err) => {
                inputs.push(walk_error(dir, &err));
                continue;
            }
        };
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
    if let Ok(mut refused) = refused.lock() {
        inputs.append(&mut refused);
    }
    let found = &mut inputs[first..];
    let by_name = |a: &Input, b: &Input| a.display().cmp(b.display());
    // The walk itself is serial; sorting a large one on every thread shortens the time
    // before checking starts.
    if found.len() > 4096 {
        use rayon::slice::ParallelSliceMut;
        found.par_sort_unstable_by(by_name);
    } else {
        found.sort_unstable_by(by_name);
    }
}

/// The `io::` input for an error met while walking `dir`, named by the path it is about.
/// Ignore files the walker reads in every directory it enters (and in the parents of where
/// it starts).
const IGNORE_FILES: &[&str] = &[".gitignore", ".ignore"];

/// The largest ignore file a walk reads: far beyond any real one.
const MAX_IGNORE_FILE_SIZE: u64 = 1 << 20;

/// An `io::` input for an ignore file in `dir` that the walker must not read: a FIFO (which
/// would block it), a device such as `/dev/zero` (which would fill memory), or a file larger
/// than [`MAX_IGNORE_FILE_SIZE`]. The `ignore` crate opens these itself, without limits, so
/// they are judged here, before it enters the directory.
fn unreadable_ignore_file(dir: &Path) -> Option<Input> {
    IGNORE_FILES.iter().find_map(|name| {
        let path = dir.join(name);
        // Missing (or a dangling link, which the walker cannot open either): nothing to read.
        let meta = std::fs::metadata(&path).ok()?;
        let display = path.to_string_lossy().into_owned();
        let diagnostic = if !meta.is_file() {
            not_a_file(&display)
        } else if meta.len() > MAX_IGNORE_FILE_SIZE {
            Diagnostic::whole_file(
                "io::too-large",
                format!(
                    "{display} is larger than the {MAX_IGNORE_FILE_SIZE}-byte limit for an \
                     ignore file"
                ),
            )
        } else {
            return None;
        };
        let diagnostic = diagnostic.with_help(
            "connlint cannot honour this ignore file, so it does not walk its directory; \
             make it a regular text file",
        );
        Some(Input::Unreadable {
            display,
            diagnostic: Box::new(diagnostic),
        })
    })
}

fn walk_error(dir: &Path, err: &ignore::Error) -> Input {
    fn path_of(err: &ignore::Error) -> Option<&Path> {
        match err {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            ignore::Error::Loop { child, .. } => Some(child),
            _ => None,
        }
    }
    let display = path_of(err).unwrap_or(dir).to_string_lossy().into_owned();
    let diagnostic = match err.io_error() {
        Some(io) => io_diagnostic(io, &display),
        None => Diagnostic::whole_file("io::error", format!("cannot walk {display}: {err}")),
    };
    Input::Unreadable {
        display,
        diagnostic: Box::new(diagnostic),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{read, DEFAULT_MAX_FILE_SIZE};
    use std::fs;

    fn names(inputs: &[Input], root: &Path) -> Vec<String> {
        inputs
            .iter()
            .map(|input| match input {
                Input::File { path, .. } => path
                    .strip_prefix(root)
                    .unwrap_or(path)
                    .to_string_lossy()
                    .replace('\\', "/"),
                Input::Stdin => "-".into(),
                Input::Unreadable { diagnostic, .. } => format!("!{}", diagnostic.code),
            })
            .collect()
    }

    fn tree(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        for file in files {
            let path = dir.path().join(file);
            fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            fs::write(&path, "{}").expect("write");
        }
        dir
    }

    #[test]
    fn walks_json_files_sorted_and_honours_ignore_files() {
        let dir = tree(&[
            "b.json",
            "a.jsonl",
            "c.ndjson",
            "notes.txt",
            "sub/d.JSON",
            "ignored/e.json",
            "also-ignored.json",
            "node/f.json",
        ]);
        fs::write(dir.path().join(".gitignore"), "ignored/\n").expect("write");
        fs::write(dir.path().join(".ignore"), "also-ignored.json\nnode\n").expect("write");
        let inputs = discover(&[dir.path().to_path_buf()], &Discovery::default());
        assert_eq!(
            names(&inputs, dir.path()),
            ["a.jsonl", "b.json", "c.ndjson", "sub/d.JSON"]
        );
    }

    #[test]
    fn honours_the_configured_exclude_globs() {
        let dir = tree(&[
            "keep.json",
            "vendor/x.json",
            "deep/gen/y.json",
            "deep/z.json",
        ]);
        let options = Discovery {
            exclude: vec!["vendor/".into(), "**/gen/**".into()],
            exclude_root: Some(dir.path().to_path_buf()),
        };
        let inputs = discover(&[dir.path().to_path_buf()], &options);
        assert_eq!(names(&inputs, dir.path()), ["deep/z.json", "keep.json"]);
        // Named paths are excluded too: pre-commit names every file.
        let named = [
            dir.path().join("vendor/x.json"),
            dir.path().join("vendor"),
            dir.path().join("keep.json"),
        ];
        let inputs = discover(&named, &options);
        assert_eq!(names(&inputs, dir.path()), ["keep.json"]);
    }

    #[test]
    fn anchored_excludes_match_a_relative_walk_of_an_absolute_root() {
        let dir = tree(&["fixtures/invalid/a.json", "fixtures/valid/b.json"]);
        let root = fs::canonicalize(dir.path()).expect("canonical");
        let options = Discovery {
            exclude: vec!["fixtures/invalid/*.json".into()],
            exclude_root: Some(root.clone()),
        };
        // The same directory named relative to the current one, through `..`.
        let cwd = std::env::current_dir().expect("cwd");
        let mut relative = PathBuf::new();
        for _ in cwd.components().skip(1) {
            relative.push("..");
        }
        relative.push(root.strip_prefix("/").unwrap_or(&root));
        let inputs = discover(&[relative.join("fixtures")], &options);
        assert_eq!(
            names(&inputs, &relative),
            ["fixtures/valid/b.json"],
            "walked {}",
            relative.display()
        );
    }

    #[test]
    fn hidden_directories_are_skipped_unless_named() {
        let dir = tree(&["a.json", ".hidden/b.json", ".c.json"]);
        let walked = discover(&[dir.path().to_path_buf()], &Discovery::default());
        assert_eq!(names(&walked, dir.path()), ["a.json"]);
        let named = discover(&[dir.path().join(".hidden")], &Discovery::default());
        assert_eq!(names(&named, dir.path()), [".hidden/b.json"]);
        let file = discover(&[dir.path().join(".c.json")], &Discovery::default());
        assert_eq!(names(&file, dir.path()), [".c.json"]);
    }

    #[test]
    fn a_path_given_twice_is_checked_once() {
        let dir = tree(&["a.json", "sub/b.json"]);
        let a = dir.path().join("a.json");
        let dotted = dir.path().join(".").join("a.json");
        let paths = [
            a.clone(),
            dir.path().to_path_buf(),
            dotted,
            PathBuf::from("-"),
            PathBuf::from("-"),
            dir.path().join("missing.json"),
            dir.path().join("missing.json"),
        ];
        let inputs = discover(&paths, &Discovery::default());
        assert_eq!(
            names(&inputs, dir.path()),
            ["a.json", "sub/b.json", "-", "!io::not-found"]
        );
        // The first name wins.
        assert_eq!(inputs[0].display(), a.to_string_lossy());
    }

    #[cfg(unix)]
    #[test]
    fn links_loops_fifos_and_sockets_in_walked_directories_are_skipped() {
        use std::os::unix::fs::symlink;
        let dir = tree(&["a.json", "sub/b.json"]);
        symlink(dir.path(), dir.path().join("sub/loop")).expect("symlink");
        symlink(dir.path().join("a.json"), dir.path().join("link.json")).expect("symlink");
        let status = std::process::Command::new("mkfifo")
            .arg(dir.path().join("fifo.json"))
            .status()
            .expect("mkfifo");
        assert!(status.success());
        let _socket =
            std::os::unix::net::UnixListener::bind(dir.path().join("socket.json")).expect("socket");
        let inputs = discover(&[dir.path().to_path_buf()], &Discovery::default());
        assert_eq!(names(&inputs, dir.path()), ["a.json", "sub/b.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn fifos_sockets_and_link_loops_named_explicitly_are_io_diagnostics() {
        use std::os::unix::fs::symlink;
        let dir = tree(&[]);
        let fifo = dir.path().join("fifo.json");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo");
        assert!(status.success());
        let socket = dir.path().join("socket.json");
        let _listener = std::os::unix::net::UnixListener::bind(&socket).expect("socket");
        let looped = dir.path().join("loop.json");
        symlink(&looped, &looped).expect("symlink");
        let inputs = discover(&[fifo, socket, looped], &Discovery::default());
        let codes: Vec<String> = inputs
            .iter()
            .map(|input| {
                read(input, DEFAULT_MAX_FILE_SIZE)
                    .expect_err("unreadable")
                    .code
                    .into_owned()
            })
            .collect();
        assert_eq!(codes[..2], ["io::not-a-file", "io::not-a-file"]);
        assert!(codes[2].starts_with("io::"), "{}", codes[2]);
    }

    #[cfg(unix)]
    #[test]
    fn an_unlistable_directory_is_reported_not_skipped() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tree(&["a.json", "locked/b.json"]);
        let locked = dir.path().join("locked");
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
        let readable = fs::read_dir(&locked).is_ok(); // root can list anything
        let inputs = discover(&[dir.path().to_path_buf()], &Discovery::default());
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).expect("chmod");
        if readable {
            assert_eq!(names(&inputs, dir.path()), ["a.json", "locked/b.json"]);
        } else {
            assert_eq!(
                names(&inputs, dir.path()),
                ["a.json", "!io::permission-denied"]
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn ignore_files_the_walker_must_not_read_keep_their_directory_out() {
        let root = tree(&["a/b/x.json", "c/y.json", "d/z.json", "e/w.json"]);
        let dir = root.path();
        std::os::unix::fs::symlink("/dev/zero", dir.join("a/.gitignore")).expect("link");
        std::os::unix::fs::symlink("/dev/urandom", dir.join("d/.ignore")).expect("link");
        let made = std::process::Command::new("mkfifo")
            .arg(dir.join("c/.gitignore"))
            .status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        let big = fs::File::create(dir.join("e/.gitignore")).expect("create");
        big.set_len(MAX_IGNORE_FILE_SIZE + 1).expect("set_len");
        let found = names(&discover(&[dir.to_path_buf()], &Discovery::default()), dir);
        assert_eq!(
            found,
            vec![
                "!io::not-a-file",
                "!io::not-a-file",
                "!io::not-a-file",
                "!io::too-large"
            ],
            "{found:?}"
        );
        // Named as the root of a walk, the same.
        let found = names(&discover(&[dir.join("a")], &Discovery::default()), dir);
        assert_eq!(found, vec!["!io::not-a-file"]);
    }
}
