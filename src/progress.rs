//! The progress bar on standard error, for runs long enough that silence looks like a hang.
//!
//! Shown only when a person is watching: standard error is a terminal, the format is one a
//! person reads ([`Format::is_for_people`]), `--no-progress` is not given, and more than
//! about a second of work is queued ([`worth_showing`]). Everything else gets `None`, and a
//! run without a bar pays for one `isatty` call and one untaken branch per file.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::input::Input;

use crate::output::Format;

/// More files than this take over a second to check (about 2,000 typical payloads/s on a
/// single slow core, counting the `open`/`read` of each).
pub const FILES_THRESHOLD: usize = 2_000;

/// More bytes than this take over a second to parse and validate.
pub const BYTES_THRESHOLD: u64 = 64 * 1024 * 1024;

/// A progress bar counting checked files.
#[derive(Debug)]
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A bar for checking `inputs`, when one is wanted (see the module docs).
    pub fn start(inputs: &[Input], format: Format, no_progress: bool) -> Option<Self> {
        if no_progress || !format.is_for_people() || !std::io::stderr().is_terminal() {
            return None;
        }
        let files = inputs.len();
        // Sizes are looked up only when the file count alone does not decide, and only up
        // to the threshold: a bar costs a `stat` per file at most.
        let bytes = if files > FILES_THRESHOLD {
            0
        } else {
            let mut total = 0u64;
            for input in inputs {
                if let Input::File { path, .. } = input {
                    total += std::fs::metadata(path).map_or(0, |m| m.len());
                    if total > BYTES_THRESHOLD {
                        break;
                    }
                }
            }
            total
        };
        if !worth_showing(files, bytes) {
            return None;
        }
        let bar = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} checking {pos}/{len} files [{elapsed}] {wide_bar} {eta}",
        ) {
            bar.set_style(style);
        }
        // Ticks on its own so that one huge file still shows the run is alive.
        bar.enable_steady_tick(Duration::from_millis(100));
        Some(Self { bar })
    }

    /// Records that one input has been checked; called from any thread.
    pub fn advance(&self) {
        self.bar.inc(1);
    }

    /// `out` for a report written to the terminal the bar is drawn on: each write (give it
    /// large ones, through a buffer) hides the bar, goes out whole, and draws it again.
    pub fn around<'a>(&'a self, out: &'a mut dyn Write) -> impl Write + 'a {
        Around {
            bar: &self.bar,
            out,
        }
    }

    /// Removes the bar, once the report is written.
    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}

/// A writer that keeps the report's lines and the bar apart on one terminal.
struct Around<'a> {
    bar: &'a ProgressBar,
    out: &'a mut dyn Write,
}

impl Write for Around<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let out = &mut self.out;
        self.bar
            .suspend(|| out.write_all(buf).and_then(|()| out.flush()))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let out = &mut self.out;
        self.bar.suspend(|| out.flush())
    }
}

/// Whether `files` files of `bytes` bytes in total are more than about a second of work.
pub fn worth_showing(files: usize, bytes: u64) -> bool {
    files > FILES_THRESHOLD || bytes > BYTES_THRESHOLD
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_long_runs_are_worth_a_bar() {
        assert!(!worth_showing(10, 1024));
        assert!(!worth_showing(FILES_THRESHOLD, BYTES_THRESHOLD));
        assert!(worth_showing(FILES_THRESHOLD + 1, 0));
        assert!(worth_showing(1, BYTES_THRESHOLD + 1));
    }

    #[test]
    fn machine_formats_and_no_progress_never_get_a_bar() {
        let inputs = vec![Input::Stdin; FILES_THRESHOLD + 1];
        for format in [
            Format::Json,
            Format::Github,
            Format::Sarif,
            Format::Junit,
            Format::Gitlab,
        ] {
            assert!(Progress::start(&inputs, format, false).is_none());
        }
        assert!(Progress::start(&inputs, Format::Human, true).is_none());
    }
}
