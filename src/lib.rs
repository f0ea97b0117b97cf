//! connlint: validate and lint Unified.to Connection payload files.
//!
//! The data flows one way: paths ([`source`]) → documents ([`document`]: text, parsed value,
//! spans) → findings from the schema ([`validate`]) and the lint [`rules`] → located
//! [`diagnostic::Diagnostic`]s in one [`diagnostic::FileReport`] per file ([`check`]) →
//! one renderer per format ([`output`]). The binary is a thin shell over [`run`].

pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod document;
pub mod error;
pub mod model;
pub mod output;
pub mod redact;
pub mod rules;
pub mod schema;
pub mod source;
pub mod suggest;
pub mod validate;

use std::io::{IsTerminal, Write};

use check::{Checker, Outcome};
use cli::{CheckArgs, Cli, Command, RulesArgs, SchemaArgs};
use error::RunError;
use schema::CompiledSchema;

/// Runs a parsed command line, writing the report to `out`; returns the exit code.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<u8, RunError> {
    match cli.command {
        Command::Check(args) => run_check(args, out),
        Command::Schema(args) => run_schema(&args, out),
        Command::Rules(args) => run_rules(&args, out),
        Command::Completions(args) => {
            use clap::CommandFactory;
            clap_complete::generate(args.shell, &mut Cli::command(), "connlint", out);
            Ok(0)
        }
    }
}

fn run_check(args: CheckArgs, out: &mut dyn Write) -> Result<u8, RunError> {
    let schema = match &args.schema {
        Some(path) => CompiledSchema::from_file(path)?,
        None => CompiledSchema::builtin()?,
    };
    let checker = Checker::new(schema, rules::RuleSet::default(), args.max_file_size);
    let inputs = source::discover(&args.paths, &source::Discovery::default());
    let reports = checker.check_all(&inputs);
    let options = output::RenderOptions {
        color: args.color.enabled(std::io::stdout().is_terminal()),
        width: terminal_width(),
    };
    output::render(args.format, &reports, &options, out).map_err(|source| RunError::Output {
        target: "stdout".into(),
        source,
    })?;
    Ok(Outcome::of(&reports, false).exit_code())
}

fn run_schema(args: &SchemaArgs, out: &mut dyn Write) -> Result<u8, RunError> {
    let derived = schema::derive_text();
    let write_err = |source| RunError::Output {
        target: "stdout".into(),
        source,
    };
    if !args.check {
        out.write_all(derived.as_bytes()).map_err(write_err)?;
        return Ok(0);
    }
    let committed = std::fs::read_to_string(&args.path).map_err(|source| RunError::SchemaRead {
        path: args.path.display().to_string(),
        source,
    })?;
    if committed == derived {
        writeln!(out, "{} is up to date.", args.path.display()).map_err(write_err)?;
        Ok(0)
    } else {
        writeln!(
            out,
            "{} differs from the schema derived from the Rust types; regenerate it with `connlint schema > {}`.",
            args.path.display(),
            args.path.display()
        )
        .map_err(write_err)?;
        Ok(1)
    }
}

fn run_rules(args: &RulesArgs, out: &mut dyn Write) -> Result<u8, RunError> {
    let write_err = |source| RunError::Output { target: "stdout".into(), source };
    match &args.code {
        None => {
            for rule in rules::ALL {
                writeln!(out, "{:<28} {:<8} {}", rule.code, rule.default_level.as_str(), rule.summary).map_err(write_err)?;
            }
            Ok(0)
        }
        Some(code) => match rules::find(code) {
            Some(rule) => {
                writeln!(out, "{}  (default: {})\n\n{}\n\n{}", rule.code, rule.default_level.as_str(), rule.summary, rule.explanation.trim_end())
                    .map_err(write_err)?;
                Ok(0)
            }
            None => Err(RunError::Usage(format!("no rule named `{code}`; `connlint rules` lists them"))),
        },
    }
}

/// Width for wrapping human output: `COLUMNS` when set, else 100 (stable for snapshots and logs).
fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w| *w >= 40)
        .unwrap_or(100)
}
