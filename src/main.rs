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
        Ok(code) => {
            if let Err(err) = flushed {
                return broken_pipe_or(err);
            }
            ExitCode::from(code)
        }
        Err(connlint::error::RunError::Output {
            target: connlint::error::OutputTarget::Stdout,
            source,
        }) => broken_pipe_or(source),
        Err(err) => {
            eprintln!("{:?}", miette::Report::new(err));
            ExitCode::from(2)
        }
    }
}

/// A closed pipe (`connlint check | head`) is the reader's choice, not a failure.
fn broken_pipe_or(err: std::io::Error) -> ExitCode {
    if err.kind() == std::io::ErrorKind::BrokenPipe {
        ExitCode::SUCCESS
    } else {
        eprintln!("error: cannot write output: {err}");
        ExitCode::from(2)
    }
}
