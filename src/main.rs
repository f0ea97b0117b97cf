//! The `connlint` binary: parse arguments, run, map the outcome to an exit code.

// The binary is the one place that prints to the terminal; the library returns values.
#![allow(clippy::print_stderr, clippy::print_stdout)]

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = connlint::cli::Cli::parse();
    if matches!(cli.command, connlint::cli::Command::Server) {
        // The server writes the protocol to stdout itself, from its own thread: stdout must
        // not be locked here.
        return match connlint::server::run_stdio() {
            Ok(code) => ExitCode::from(code),
            Err(err) => {
                eprintln!("error: the language server stopped: {err}");
                ExitCode::from(2)
            }
        };
    }
    let stdout = std::io::stdout();
    // Large enough that a report over thousands of files goes out in few writes.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let result = connlint::run(cli, &mut out);
    let flushed = out.flush();
    match result {
        Ok(code) => match flushed {
            Err(err) => broken_pipe_or(err, code),
            Ok(()) => ExitCode::from(code),
        },
        // Only commands with nothing to find (schema, rules, completions) get here: the check
        // maps a closed pipe to its own exit code.
        Err(connlint::error::RunError::Output {
            target: connlint::error::OutputTarget::Stdout,
            source,
        }) => broken_pipe_or(source, 0),
        Err(err) => {
            eprintln!("{:?}", miette::Report::new(err));
            ExitCode::from(2)
        }
    }
}

/// A closed pipe (`connlint check | head`) is the reader's choice, not a failure of the run:
/// the exit code is still what the check found (`code`), so `set -o pipefail` sees the errors
/// even when the reader stopped before the report's end.
fn broken_pipe_or(err: std::io::Error, code: u8) -> ExitCode {
    if err.kind() == std::io::ErrorKind::BrokenPipe {
        ExitCode::from(code)
    } else {
        eprintln!("error: cannot write output: {err}");
        ExitCode::from(2)
    }
}
