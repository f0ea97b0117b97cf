//! Bytes a renderer must hold until the end of a run (a header whose counts come last):
//! kept in memory while small, then in an unnamed temporary file, so that a report of any
//! size costs a fixed amount of memory. The file is removed by the system when it is closed,
//! whatever happens to the process, and holds only what the report would print anyway.
//!
//! A temporary file is a convenience, never a condition of the report: when none can be
//! created, or writing one fails (a full disk, a file-size limit), what it held is read back
//! and the spool goes on in memory.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom, Write};

/// Bytes held in memory before they go to the temporary file.
const IN_MEMORY: usize = 1 << 20;

/// An append-only byte store, read back once with [`Spool::into_reader`].
#[derive(Default)]
pub(crate) struct Spool {
    /// Everything written, while there is no file; then what is not yet in the file.
    memory: Vec<u8>,
    /// The temporary file, and how many bytes it surely holds.
    file: Option<(File, u64)>,
    /// A temporary file could not be created or written: memory only from then on.
    memory_only: bool,
}

impl Spool {
    /// What was written, from the start.
    pub(crate) fn into_reader(mut self) -> std::io::Result<Box<dyn Read>> {
        self.spill()?;
        match self.file {
            None => Ok(Box::new(std::io::Cursor::new(self.memory))),
            Some((mut file, len)) => {
                file.seek(SeekFrom::Start(0))?;
                Ok(Box::new(BufReader::with_capacity(1 << 16, file.take(len))))
            }
        }
    }

    /// Copies what was written to `out`.
    pub(crate) fn copy_to(self, out: &mut dyn Write) -> std::io::Result<()> {
        let mut reader = self.into_reader()?;
        std::io::copy(&mut reader, out)?;
        Ok(())
    }

    /// Moves what memory holds to the file (creating it), unless memory only is left.
    fn spill(&mut self) -> std::io::Result<()> {
        if self.memory_only || self.memory.is_empty() {
            return Ok(());
        }
        if self.file.is_none() {
            match tempfile::tempfile() {
                Ok(file) => self.file = Some((file, 0)),
                Err(_) => {
                    self.memory_only = true;
                    return Ok(());
                }
            }
        }
        let Some((file, len)) = &mut self.file else {
            return Ok(());
        };
        match file.write_all(&self.memory) {
            Ok(()) => {
                *len += self.memory.len() as u64;
                self.memory.clear();
                Ok(())
            }
            Err(_) => {
                // Whatever part of the failed write reached the file is not counted in
                // `len`: only what surely is there is read back, then what was not written.
                let mut back = Vec::new();
                file.seek(SeekFrom::Start(0))?;
                file.take(*len).read_to_end(&mut back)?;
                back.append(&mut self.memory);
                self.memory = back;
                self.file = None;
                self.memory_only = true;
                Ok(())
            }
        }
    }
}

impl Write for Spool {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.memory.extend_from_slice(buf);
        if self.memory.len() > IN_MEMORY {
            self.spill()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(size: usize) -> Vec<u8> {
        (0..size).map(|i| (i % 251) as u8).collect()
    }

    fn read_back(spool: Spool) -> Vec<u8> {
        let mut back = Vec::new();
        spool.copy_to(&mut back).expect("copy");
        back
    }

    #[test]
    fn reads_back_what_was_written_in_memory_and_past_it() {
        for size in [0, 10, IN_MEMORY, IN_MEMORY * 3 + 7] {
            let mut spool = Spool::default();
            let bytes = bytes(size);
            for piece in bytes.chunks(4099) {
                spool.write_all(piece).expect("write");
            }
            assert_eq!(spool.file.is_some(), size > IN_MEMORY, "{size}");
            assert_eq!(read_back(spool), bytes, "{size}");
        }
    }

    #[test]
    fn a_file_that_cannot_be_written_is_read_back_into_memory() {
        let dir = tempfile::tempdir().expect("tempdir");
        let bytes = bytes(IN_MEMORY * 2 + 5);
        let (first, rest) = bytes.split_at(IN_MEMORY + 1);
        let mut spool = Spool::default();
        spool.write_all(first).expect("write");
        assert!(spool.file.is_some());
        // The file is swapped for one opened read-only: the next spill fails to write.
        let path = dir.path().join("spool");
        let (file, len) = spool.file.take().expect("a file");
        let mut copy = Vec::new();
        let mut file = file;
        file.seek(SeekFrom::Start(0)).expect("seek");
        file.read_to_end(&mut copy).expect("read");
        std::fs::write(&path, &copy).expect("write copy");
        spool.file = Some((File::open(&path).expect("open"), len));
        spool.write_all(rest).expect("falls back to memory");
        assert!(spool.file.is_none() && spool.memory_only);
        assert_eq!(read_back(spool), bytes);
    }
}
