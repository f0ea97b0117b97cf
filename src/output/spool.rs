//! Bytes a renderer must hold until the end of a run (a header whose counts come last):
//! kept in memory while small, then in an unnamed temporary file, so that a report of any
//! size costs a fixed amount of memory. The file is removed by the system when it is closed,
//! whatever happens to the process, and holds only what the report would print anyway.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};

/// Bytes held in memory before a spool moves to a temporary file.
const IN_MEMORY: usize = 1 << 20;

/// An append-only byte store, read back once with [`Spool::into_reader`].
#[derive(Default)]
pub(crate) struct Spool {
    memory: Vec<u8>,
    file: Option<BufWriter<File>>,
}

impl Spool {
    /// What was written, from the start.
    pub(crate) fn into_reader(self) -> std::io::Result<Box<dyn Read>> {
        match self.file {
            None => Ok(Box::new(std::io::Cursor::new(self.memory))),
            Some(writer) => {
                let mut file = writer.into_inner().map_err(|err| err.into_error())?;
                file.seek(SeekFrom::Start(0))?;
                Ok(Box::new(BufReader::with_capacity(1 << 16, file)))
            }
        }
    }

    /// Copies what was written to `out`.
    pub(crate) fn copy_to(self, out: &mut dyn Write) -> std::io::Result<()> {
        let mut reader = self.into_reader()?;
        std::io::copy(&mut reader, out)?;
        Ok(())
    }
}

impl Write for Spool {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if let Some(file) = &mut self.file {
            return file.write_all(buf);
        }
        if self.memory.len() + buf.len() <= IN_MEMORY {
            self.memory.extend_from_slice(buf);
            return Ok(());
        }
        match tempfile::tempfile() {
            Ok(file) => {
                let mut file = BufWriter::with_capacity(1 << 16, file);
                file.write_all(&std::mem::take(&mut self.memory))?;
                file.write_all(buf)?;
                self.file = Some(file);
            }
            // No writable temporary directory: memory it is, rather than no report.
            Err(_) => self.memory.extend_from_slice(buf),
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

    #[test]
    fn reads_back_what_was_written_in_memory_and_past_it() {
        for size in [0, 10, IN_MEMORY, IN_MEMORY * 3 + 7] {
            let mut spool = Spool::default();
            let bytes: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            for piece in bytes.chunks(4099) {
                spool.write_all(piece).expect("write");
            }
            assert_eq!(spool.file.is_some(), size > IN_MEMORY, "{size}");
            let mut back = Vec::new();
            spool.copy_to(&mut back).expect("copy");
            assert_eq!(back, bytes, "{size}");
        }
    }
}
