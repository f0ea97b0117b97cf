//! Reading inputs: bounded in size, never blocking on a FIFO, and judging the file that
//! was opened rather than the path.

use std::io::Read;
use std::path::Path;

use super::{io_diagnostic, not_a_file, too_large, Input};
use crate::diagnostic::Diagnostic;

/// Opens a regular file to be streamed (JSON Lines) rather than read whole. `Err(None)` when
/// `path` is not a regular file: a pipe or device has no size to trust, so the caller reads
/// it with [`read`] under the whole-input limit instead.
#[allow(clippy::result_large_err)] // as for `read`: the diagnostic goes straight into a report
pub fn open(
    path: &Path,
    display: &str,
) -> Result<std::io::Take<std::fs::File>, Option<Diagnostic>> {
    let file = open_without_blocking(path).map_err(|err| Some(io_diagnostic(&err, display)))?;
    match file.metadata() {
        // Read as the file was when opened, as [`read`] does: a file still being appended
        // to must not keep the run going.
        Ok(meta) if meta.is_file() => Ok(file.take(meta.len())),
        Ok(_) => Err(None),
        Err(err) => Err(Some(io_diagnostic(&err, display))),
    }
}

/// The most connlint reads of a file it needs for itself (a configuration, a schema, a
/// schema's `$ref` target): far beyond any real one, so that a link to `/dev/zero` or a
/// procfs file ends as an error instead of filling memory.
pub const MAX_SUPPORT_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// Reads a file connlint needs for itself — a configuration, a schema, a `$ref` target —
/// with the guarantees inputs have: it never blocks on a FIFO, it judges the file it opened
/// (a regular file, not a device or pipe), and it reads at most [`MAX_SUPPORT_FILE_SIZE`]
/// bytes. The error says why in its own words; the caller names the path.
pub fn read_support_file(path: &Path) -> std::io::Result<String> {
    use std::io::{Error, ErrorKind};
    let file = open_without_blocking(path)?;
    if !file.metadata()?.is_file() {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            "not a regular file (a FIFO, socket or device is not read)",
        ));
    }
    let mut bytes = Vec::new();
    // Whatever size it reports (procfs reports 0): one byte over the limit tells.
    file.take(MAX_SUPPORT_FILE_SIZE + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_SUPPORT_FILE_SIZE {
        return Err(Error::new(
            ErrorKind::FileTooLarge,
            format!("larger than the {MAX_SUPPORT_FILE_SIZE}-byte limit"),
        ));
    }
    String::from_utf8(bytes).map_err(|_| Error::new(ErrorKind::InvalidData, "not valid UTF-8"))
}

/// Opens `path` for reading without waiting for a writer: a path that was a regular file when
/// it was found but is a FIFO by the time it is opened would otherwise block the run forever.
/// What was opened is then judged by its own metadata, not by the path's.
fn open_without_blocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // No effect on a regular file's reads; for a FIFO, `open` returns at once.
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Reads a whole input to be checked, refusing more than `max_size` bytes. A file is read
/// as it was when opened: up to its size then, with no extra read to find the end, so a
/// file still being appended to is checked up to the size it had.
// The error is the file's one diagnostic, moved straight into its report: boxing it would
// add an allocation and a move for nothing.
#[allow(clippy::result_large_err)]
pub fn read(input: &Input, max_size: u64) -> Result<Vec<u8>, Diagnostic> {
    read_input(input, max_size, false)
}

/// [`read`] for an input that is about to be rewritten (`--fix`): read to its very end,
/// so that text appended after it was opened is not cut off when the fixed text replaces
/// it.
#[allow(clippy::result_large_err)] // as for `read`
pub fn read_to_end(input: &Input, max_size: u64) -> Result<Vec<u8>, Diagnostic> {
    read_input(input, max_size, true)
}

#[allow(clippy::result_large_err)] // as for `read`
fn read_input(input: &Input, max_size: u64, to_end: bool) -> Result<Vec<u8>, Diagnostic> {
    match input {
        Input::File { path, display } => {
            let file = open_without_blocking(path).map_err(|err| io_diagnostic(&err, display))?;
            let meta = file
                .metadata()
                .map_err(|err| io_diagnostic(&err, display))?;
            // Found as a regular file, but something else now (swapped for a FIFO, say).
            if !meta.is_file() {
                return Err(not_a_file(display));
            }
            let len = meta.len();
            if len > max_size {
                return Err(too_large(display, max_size));
            }
            // Empty, or a file whose size the system does not report (procfs), or one to be
            // rewritten: read until the end, under the limit.
            if len == 0 || to_end {
                return read_limited(file, len, max_size, display);
            }
            let mut bytes = buffer(len, display)?;
            file.take(len)
                .read_to_end(&mut bytes)
                .map_err(|err| io_diagnostic(&err, display))?;
            Ok(bytes)
        }
        Input::Stdin => read_limited(std::io::stdin().lock(), 0, max_size, "-"),
        Input::Unreadable { diagnostic, .. } => Err(diagnostic.as_ref().clone()),
    }
}

/// An empty buffer with room for `len` bytes, or an `io::` diagnostic when there is not that
/// much memory (a huge file under a raised `--max-file-size`) instead of an abort.
#[allow(clippy::result_large_err)] // as for `read`
fn buffer(len: u64, display: &str) -> Result<Vec<u8>, Diagnostic> {
    let mut bytes = Vec::new();
    usize::try_from(len)
        .ok()
        .and_then(|len| bytes.try_reserve_exact(len).ok())
        .ok_or_else(|| {
            Diagnostic::whole_file(
                "io::out-of-memory",
                format!("{display} is too large to read into memory ({len} bytes)"),
            )
            .with_help("check it on a machine with more memory, or split it")
        })?;
    Ok(bytes)
}

#[allow(clippy::result_large_err)] // as for `read`
fn read_limited(
    reader: impl Read,
    hint: u64,
    max_size: u64,
    display: &str,
) -> Result<Vec<u8>, Diagnostic> {
    let mut bytes = buffer(hint.saturating_add(1), display)?;
    // One byte over the limit tells a file that is too large from one that is exactly full.
    reader
        .take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|err| io_diagnostic(&err, display))?;
    if bytes.len() as u64 > max_size {
        return Err(too_large(display, max_size));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn file_input(path: &Path) -> Input {
        Input::File {
            path: path.to_path_buf(),
            display: path.to_string_lossy().into_owned(),
        }
    }

    #[test]
    fn a_file_is_read_whole_and_the_limit_holds() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.json");
        let text = "[".repeat(70_000) + &"]".repeat(70_000);
        fs::write(&path, &text).expect("write");
        assert_eq!(
            read(&file_input(&path), u64::MAX).ok(),
            Some(text.clone().into_bytes())
        );
        assert_eq!(
            read_to_end(&file_input(&path), u64::MAX).ok(),
            Some(text.into_bytes())
        );
        let too_large = read(&file_input(&path), 1000).expect_err("over the limit");
        assert_eq!(too_large.code, "io::too-large");
    }

    /// procfs reports a size of 0 for files that have content: they are read to the end.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_that_reports_no_size_is_read_to_its_end() {
        let bytes = read(&file_input(Path::new("/proc/self/status")), u64::MAX).expect("read");
        assert!(String::from_utf8_lossy(&bytes).contains("Name:"));
        let limited = read(&file_input(Path::new("/proc/self/status")), 4).expect_err("limit");
        assert_eq!(limited.code, "io::too-large");
    }

    #[cfg(unix)]
    #[test]
    fn support_files_are_bounded_and_never_block() {
        use std::io::ErrorKind;
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("connlint.toml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        for path in [
            fifo.as_path(),
            Path::new("/dev/zero"),
            Path::new("/dev/urandom"),
        ] {
            let err = read_support_file(path).expect_err("not a regular file");
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "{}", path.display());
        }
        // A regular file larger than the limit (sparse: no disk is used).
        let big = dir.path().join("schema.json");
        let file = fs::File::create(&big).expect("create");
        file.set_len(MAX_SUPPORT_FILE_SIZE + 1).expect("set_len");
        let err = read_support_file(&big).expect_err("too large");
        assert_eq!(err.kind(), ErrorKind::FileTooLarge);
        let small = dir.path().join("ok.toml");
        fs::write(&small, "[rules]\n").expect("write");
        assert_eq!(read_support_file(&small).ok().as_deref(), Some("[rules]\n"));
    }
}
