//! The one writer for everything connlint writes: files fixed by `--fix` and the report or
//! diff written with `--output`.
//!
//! A file is replaced atomically (a temporary file in the real file's directory, fsync,
//! rename), and never in a way that loses data or changes who may read it:
//! - a symbolic link is followed: the file it points to is rewritten and the link stays;
//! - the owner, group and mode are kept; when they cannot be (a file owned by someone else,
//!   rewritten by a user who may not give files away), the file is not written (`io::owner`);
//! - a file with other hard links is not written (`io::hard-linked`): a rename would split
//!   it from its other names, and rewriting it in place could leave it half-written;
//! - a read-only file is not written (`io::read-only`), even where the directory would
//!   allow replacing it;
//! - a file that changed since it was read (its inode, size or modification time, compared
//!   again just before the rename) is not written (`io::changed`), so an edit made during
//!   the run is never overwritten.
//!
//! A report is never written over an input of the run (see [`FileId`]).

use std::fs::Metadata;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Why a file was not written. The original is untouched in every case.
#[derive(Debug)]
pub enum WriteError {
    /// The file changed after it was read.
    Changed,
    /// The file is read-only (no write permission for the user running connlint).
    ReadOnly,
    /// The file has other hard links (the count).
    HardLinked(u64),
    /// The replacement could not be given the original's owner and group.
    Owner(std::io::Error),
    /// Any other I/O failure.
    Io(std::io::Error),
}

impl WriteError {
    /// The diagnostic code: `io::changed`, `io::read-only`, `io::hard-linked`, `io::owner`
    /// or `io::write`.
    pub fn code(&self) -> &'static str {
        match self {
            WriteError::Changed => "io::changed",
            WriteError::ReadOnly => "io::read-only",
            WriteError::HardLinked(_) => "io::hard-linked",
            WriteError::Owner(_) => "io::owner",
            WriteError::Io(_) => "io::write",
        }
    }
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Changed => f.write_str("it changed after connlint read it"),
            WriteError::ReadOnly => f.write_str("it is read-only"),
            WriteError::HardLinked(n) => write!(f, "it has {n} hard links"),
            WriteError::Owner(err) => write!(f, "its owner and group cannot be kept ({err})"),
            WriteError::Io(err) => write!(f, "{err}"),
        }
    }
}

impl From<std::io::Error> for WriteError {
    fn from(err: std::io::Error) -> Self {
        WriteError::Io(err)
    }
}

/// What identifies a file's content as read: its inode, size and modification time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    id: FileId,
    len: u64,
    modified: Option<SystemTime>,
}

impl Snapshot {
    /// The snapshot of the file `path` names (links followed).
    pub fn of(path: &Path) -> std::io::Result<Self> {
        Ok(Self::from_metadata(&std::fs::metadata(path)?))
    }

    fn from_metadata(meta: &Metadata) -> Self {
        Self {
            id: FileId::from_metadata(meta),
            len: meta.len(),
            modified: meta.modified().ok(),
        }
    }
}

/// Which file a path names, whatever the path: device and inode on Unix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileId(u64, u64);

impl FileId {
    /// The file `path` names (links followed), if it exists.
    pub fn of(path: &Path) -> Option<Self> {
        std::fs::metadata(path)
            .ok()
            .map(|meta| Self::from_metadata(&meta))
    }

    /// The file standard input reads from, when it is a regular file (`< payload.json`).
    pub fn of_stdin() -> Option<Self> {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            let fd = std::io::stdin().as_fd().try_clone_to_owned().ok()?;
            let meta = std::fs::File::from(fd).metadata().ok()?;
            meta.is_file().then(|| Self::from_metadata(&meta))
        }
        #[cfg(not(unix))]
        None
    }

    #[cfg(unix)]
    fn from_metadata(meta: &Metadata) -> Self {
        use std::os::unix::fs::MetadataExt;
        Self(meta.dev(), meta.ino())
    }

    #[cfg(not(unix))]
    fn from_metadata(meta: &Metadata) -> Self {
        // Without inodes, the size and time stand in: enough to tell files apart in practice.
        let nanos = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as u64);
        Self(meta.len(), nanos)
    }
}

/// Replaces the file `path` names with `bytes`, if it is still as it was when `read_as` was
/// taken. See the module documentation for what is kept and what is refused.
pub fn replace(path: &Path, bytes: &[u8], read_as: &Snapshot) -> Result<(), WriteError> {
    let real = std::fs::canonicalize(path)?;
    let meta = std::fs::metadata(&real)?;
    if Snapshot::from_metadata(&meta) != *read_as {
        return Err(WriteError::Changed);
    }
    replace_real(&real, &meta, &mut &bytes[..], Some(read_as))
}

/// Writes a report to `path` (`--output`), refusing a path that names one of `inputs` (a
/// payload must never be overwritten by its report). A regular file is replaced as by
/// [`replace`] (without the change check); a path that does not exist is created; a device
/// or pipe (`/dev/null`, `/dev/stdout`) is written to. `bytes` is read to its end.
pub fn report(path: &Path, bytes: &mut dyn Read, inputs: &[FileId]) -> Result<(), OutputError> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => Some(meta),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => return Err(OutputError::Write(WriteError::Io(err))),
    };
    let Some(meta) = meta else {
        return create(path, bytes).map_err(|err| OutputError::Write(WriteError::Io(err)));
    };
    if inputs.contains(&FileId::from_metadata(&meta)) {
        return Err(OutputError::IsInput);
    }
    if !meta.is_file() {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(WriteError::Io)
            .map_err(OutputError::Write)?;
        return std::io::copy(bytes, &mut file)
            .and_then(|_| file.flush())
            .map_err(|err| OutputError::Write(WriteError::Io(err)));
    }
    let real = std::fs::canonicalize(path).map_err(|err| OutputError::Write(err.into()))?;
    replace_real(&real, &meta, bytes, None).map_err(OutputError::Write)
}

/// Why `--output` was not written.
#[derive(Debug)]
pub enum OutputError {
    /// The path names (or links to) a file the run checks.
    IsInput,
    /// The write was refused or failed.
    Write(WriteError),
}

/// Whether `path` names (or links to) one of `inputs`: checked before a run reads anything,
/// so that the mistake costs nothing.
pub fn names_input(path: &Path, inputs: &[FileId]) -> bool {
    FileId::of(path).is_some_and(|id| inputs.contains(&id))
}

/// Creates `path` (which does not exist) atomically, with the mode a new file gets.
fn create(path: &Path, bytes: &mut dyn Read) -> std::io::Result<()> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".connlint-out-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // As `File::create` would: 0666 less the umask (applied by the system at creation).
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(parent(path))?;
    std::io::copy(bytes, &mut temp)?;
    temp.as_file().sync_all()?;
    temp.persist_noclobber(path).map_err(|err| err.error)?;
    Ok(())
}

fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Replaces `real` (a path with no symbolic links, to a regular file with metadata `meta`).
fn replace_real(
    real: &Path,
    meta: &Metadata,
    bytes: &mut dyn Read,
    read_as: Option<&Snapshot>,
) -> Result<(), WriteError> {
    if !meta.is_file() {
        return Err(WriteError::Io(std::io::Error::other("not a regular file")));
    }
    if is_read_only(real, meta) {
        return Err(WriteError::ReadOnly);
    }
    let links = link_count(meta);
    if links > 1 {
        return Err(WriteError::HardLinked(links));
    }
    let mut temp = tempfile::Builder::new()
        .prefix(".connlint-fix-")
        .tempfile_in(parent(real))?;
    std::io::copy(bytes, &mut temp)?;
    keep_owner(temp.as_file(), meta).map_err(WriteError::Owner)?;
    // After the owner: changing the owner clears set-user-ID and set-group-ID bits.
    temp.as_file().set_permissions(meta.permissions())?;
    temp.as_file().sync_all()?;
    // As late as can be: an edit saved while connlint was fixing must win.
    if let Some(read_as) = read_as {
        match std::fs::metadata(real) {
            Ok(now) if Snapshot::from_metadata(&now) == *read_as => {}
            _ => return Err(WriteError::Changed),
        }
    }
    temp.persist(real).map_err(|err| err.error)?;
    // The rename is durable once the directory is on disk too; failing that is not an error
    // (some file systems cannot sync a directory), the file is already replaced.
    if let Ok(dir) = std::fs::File::open(parent(real)) {
        let _ = dir.sync_all();
    }
    Ok(())
}

#[cfg(unix)]
fn is_read_only(real: &Path, meta: &Metadata) -> bool {
    use std::os::unix::ffi::OsStrExt;
    if meta.permissions().readonly() {
        // No write bit for anyone: read-only even for root, who `access` would let write.
        return true;
    }
    let Ok(path) = std::ffi::CString::new(real.as_os_str().as_bytes()) else {
        return true;
    };
    // SAFETY: `path` is a valid NUL-terminated string that outlives the call.
    unsafe { libc::access(path.as_ptr(), libc::W_OK) != 0 }
}

#[cfg(not(unix))]
fn is_read_only(_real: &Path, meta: &Metadata) -> bool {
    meta.permissions().readonly()
}

#[cfg(unix)]
fn link_count(meta: &Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    meta.nlink()
}

#[cfg(not(unix))]
fn link_count(_meta: &Metadata) -> u64 {
    1
}

#[cfg(unix)]
fn keep_owner(temp: &std::fs::File, meta: &Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let mine = temp.metadata()?;
    if (mine.uid(), mine.gid()) == (meta.uid(), meta.gid()) {
        return Ok(());
    }
    std::os::unix::fs::fchown(temp, Some(meta.uid()), Some(meta.gid()))
}

#[cfg(not(unix))]
fn keep_owner(_temp: &std::fs::File, _meta: &Metadata) -> std::io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    fn file(dir: &Path, name: &str, text: &str, mode: u32) -> PathBuf {
        let path = dir.join(name);
        fs::write(&path, text).expect("write");
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).expect("chmod");
        path
    }

    fn is_root() -> bool {
        // SAFETY: geteuid has no preconditions.
        unsafe { libc::geteuid() == 0 }
    }

    #[test]
    fn replaces_a_file_keeping_its_mode() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = file(dir.path(), "a.json", "old", 0o640);
        let before = Snapshot::of(&path).expect("stat");
        replace(&path, b"new", &before).expect("replace");
        assert_eq!(fs::read_to_string(&path).expect("read"), "new");
        let meta = fs::metadata(&path).expect("stat");
        assert_eq!(meta.permissions().mode() & 0o7777, 0o640);
        assert_eq!(
            fs::read_dir(dir.path()).expect("ls").count(),
            1,
            "no temp left"
        );
    }

    #[test]
    fn a_symlink_is_followed_and_stays_a_link() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = file(dir.path(), "real.json", "old", 0o644);
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("real.json", &link).expect("symlink");
        let before = Snapshot::of(&link).expect("stat");
        replace(&link, b"new", &before).expect("replace");
        assert!(fs::symlink_metadata(&link)
            .expect("lstat")
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&target).expect("read"), "new");
    }

    #[test]
    fn a_changed_file_is_not_overwritten() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = file(dir.path(), "a.json", "old", 0o644);
        let before = Snapshot::of(&path).expect("stat");
        fs::write(&path, "edited by hand").expect("edit");
        let err = replace(&path, b"new", &before).expect_err("changed");
        assert_eq!(err.code(), "io::changed");
        assert_eq!(fs::read_to_string(&path).expect("read"), "edited by hand");
    }

    #[test]
    fn read_only_and_hard_linked_files_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = file(dir.path(), "ro.json", "old", 0o444);
        let before = Snapshot::of(&path).expect("stat");
        let err = replace(&path, b"new", &before).expect_err("read-only");
        assert_eq!(err.code(), "io::read-only");
        assert_eq!(fs::read_to_string(&path).expect("read"), "old");

        let path = file(dir.path(), "a.json", "old", 0o644);
        fs::hard_link(&path, dir.path().join("b.json")).expect("link");
        let before = Snapshot::of(&path).expect("stat");
        let err = replace(&path, b"new", &before).expect_err("hard-linked");
        assert_eq!(err.code(), "io::hard-linked");
        assert_eq!(fs::metadata(&path).expect("stat").nlink(), 2);
    }

    #[test]
    fn the_owner_is_kept_or_the_file_is_not_written() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = file(dir.path(), "a.json", "old", 0o666);
        if is_root() {
            // Give it away, as a file owned by another user would be.
            std::os::unix::fs::chown(&path, Some(65534), Some(65534)).expect("chown");
            let before = Snapshot::of(&path).expect("stat");
            replace(&path, b"new", &before).expect("root can keep the owner");
            let meta = fs::metadata(&path).expect("stat");
            assert_eq!((meta.uid(), meta.gid()), (65534, 65534));
            assert_eq!(fs::read_to_string(&path).expect("read"), "new");
        } else {
            let before = Snapshot::of(&path).expect("stat");
            replace(&path, b"new", &before).expect("own file");
            let meta = fs::metadata(&path).expect("stat");
            // SAFETY: getuid has no preconditions.
            assert_eq!(meta.uid(), unsafe { libc::getuid() });
        }
    }

    #[test]
    fn a_report_never_overwrites_an_input_and_writes_to_devices() {
        let dir = tempfile::tempdir().expect("tempdir");
        let input = file(dir.path(), "in.json", "payload", 0o644);
        let link = dir.path().join("out.json");
        std::os::unix::fs::symlink(&input, &link).expect("symlink");
        let ids = [FileId::of(&input).expect("id")];
        assert!(names_input(&link, &ids));
        assert!(matches!(
            report(&link, &mut &b"report"[..], &ids),
            Err(OutputError::IsInput)
        ));
        assert_eq!(fs::read_to_string(&input).expect("read"), "payload");
        let new = dir.path().join("new.txt");
        report(&new, &mut &b"report"[..], &ids).expect("create");
        assert_eq!(fs::read_to_string(&new).expect("read"), "report");
        report(Path::new("/dev/null"), &mut &b"report"[..], &ids).expect("device");
    }
}
