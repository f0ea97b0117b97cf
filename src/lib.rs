//! connlint: validate and lint Unified.to Connection payload files.
//!
//! The data flows one way: command-line paths become [`input`]s; [`check`] reads each one
//! and parses it into a borrowed [`tree`] (syntax errors with a kind); [`validate`] (the
//! compiled [`schema`]) and the lint [`rules`] report findings by JSON pointer; the
//! [`span_index`] and [`span`] turn pointers into places, giving located
//! [`diagnostic::Diagnostic`]s in one [`diagnostic::FileReport`] per file; [`output`] renders
//! them, one renderer per format. [`fix`] applies the byte edits that [`repair`] resolved.
//! The binary is a thin shell over [`run`]. The language server ([`server`]) runs the same
//! pipeline on documents open in an editor.

pub mod check;
pub mod cli;
pub mod codes;
mod config;
pub mod diagnostic;
pub mod error;
pub mod escape;
pub mod fix;
pub mod input;
mod manpage;
pub mod model;
mod models;
pub mod output;
pub mod pointer;
pub mod progress;
pub mod redact;
mod repair;
pub mod rules;
pub mod schema;
pub mod server;
pub mod source_text;
pub mod span;
pub mod span_index;
mod suggest;
pub mod tree;
mod validate;
pub mod write;

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use check::{Checker, Outcome};
use cli::{CheckArgs, Cli, Command, RulesArgs, SchemaArgs};
use error::{OutputTarget, RunError};
use schema::CompiledSchema;

/// Checks one payload held in memory, as `connlint check` checks a file named `path`: against
/// the built-in Connection schema, with every lint rule at its default level. A `path` ending
/// in `.jsonl` or `.ndjson` is read as one document per line. The report's diagnostics are
/// sorted by position and carry byte spans, 1-based lines and columns, and fixes.
///
/// For other schemas, rule levels or many files, build a [`check::Checker`].
///
/// ```
/// let text = r#"{
///   "integration_type": "hubspot",
///   "categories": ["crm"],
///   "permissions": ["crm_contact_read"],
///   "is_paused": "no"
/// }"#;
/// let report = connlint::check_text("payload.json", text)?;
/// assert_eq!(report.errors(), 1);
/// let diagnostic = &report.diagnostics[0];
/// assert_eq!(diagnostic.code, "schema::type");
/// assert_eq!(diagnostic.pointer.as_deref(), Some("/is_paused"));
/// assert_eq!(diagnostic.start.map(|p| (p.line, p.column)), Some((5, 16)));
/// # Ok::<(), connlint::error::RunError>(())
/// ```
pub fn check_text(path: &str, text: &str) -> Result<diagnostic::FileReport, RunError> {
    let checker = Checker::new(
        CompiledSchema::shared_builtin()?,
        rules::RuleSet::default(),
        u64::MAX,
    );
    Ok(checker.check_bytes(path, text.as_bytes(), input::is_json_lines(path)))
}

/// Runs a parsed command line, writing the report to `out`; returns the exit code.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<u8, RunError> {
    match cli.command {
        Command::Check(args) => run_check(args, out),
        Command::Schema(args) => run_schema(&args, out),
        Command::Models => write_stdout(out, &models::table()),
        Command::Rules(args) => run_rules(&args, out),
        Command::Completions(args) => {
            use clap::CommandFactory;
            clap_complete::generate(args.shell, &mut Cli::command(), "connlint", out);
            Ok(0)
        }
        Command::Manpage => {
            manpage::render(out).map_err(|source| RunError::Output {
                target: OutputTarget::Stdout,
                source,
            })?;
            Ok(0)
        }
        // The protocol owns stdin and stdout; `main` runs it before taking stdout for `out`.
        Command::Server => server::run_stdio().map_err(|source| RunError::Output {
            target: OutputTarget::Stdout,
            source,
        }),
    }
}

fn run_check(args: CheckArgs, out: &mut dyn Write) -> Result<u8, RunError> {
    if args.diff && args.format != output::Format::Human {
        return Err(RunError::Usage(format!(
            "--diff prints a unified diff, which has no `{}` form; drop --format, or use \
             `--format {0}` without --diff (its report carries every fix)",
            args.format.name()
        )));
    }
    let (rule_set, discovery, model) = configure(&args)?;
    let schema = match &args.schema {
        Some(path) => Arc::new(CompiledSchema::from_file(path, args.assert_format)?),
        None => CompiledSchema::for_model(model)?,
    };
    let checker =
        Checker::new(schema, rule_set, args.max_file_size).keep_source(args.format.reads_source());
    let inputs = input::discover(&args.paths, &discovery);
    let input_ids = refuse_output_over_input(&args, &inputs)?;
    if args.fix || args.diff {
        return run_fix(&args, &checker, &inputs, &input_ids, out);
    }
    // A warning that `--quiet` hides is counted, never built.
    let checker = checker.hide_warnings(args.quiet);
    let options = render_options(&args, checker.schema().model());
    let progress = progress::Progress::start(&inputs, args.format, args.no_progress);
    let advance = progress.as_ref().map(|bar| move || bar.advance());
    let advance = advance.as_ref().map(|f| f as &(dyn Fn() + Sync));
    // Reports are rendered as they are settled: see `check::Checker::check_each`.
    let (summary, written) = match &args.output {
        None => {
            let mut terminal;
            let out: &mut dyn Write = match &progress {
                Some(bar) if std::io::stdout().is_terminal() => {
                    terminal = std::io::BufWriter::with_capacity(1 << 16, bar.around(out));
                    &mut terminal
                }
                _ => out,
            };
            let mut renderer = output::Renderer::new(args.format, options, out);
            checker.check_each(&inputs, advance, &mut renderer);
            let (summary, written) = renderer.finish();
            let written = written.and_then(|()| out.flush());
            (
                summary,
                written.map_err(|source| RunError::Output {
                    target: OutputTarget::Stdout,
                    source,
                }),
            )
        }
        Some(path) => {
            // Rendered to a spool, then written through the one writer, which replaces the
            // file only once the whole report is there.
            let mut spool = output::spool::Spool::default();
            let mut renderer = output::Renderer::new(args.format, options, &mut spool);
            checker.check_each(&inputs, advance, &mut renderer);
            let (summary, rendered) = renderer.finish();
            let written = rendered
                .and_then(|()| spool.into_reader())
                .map_err(|source| RunError::Output {
                    target: OutputTarget::File(path.clone()),
                    source,
                })
                .and_then(|mut report| write_output(path, &mut report, &input_ids));
            (summary, written)
        }
    };
    if let Some(bar) = progress {
        bar.finish();
    }
    let code = Outcome::of_summary(&summary, args.deny_warnings).exit_code();
    reader_gone_is(code, written)
}

/// The run's exit code when the report could not be written because standard output was
/// closed (`connlint check | head`): what was found decides, not how much of it was read.
/// Any other failure to write is the run's error.
fn reader_gone_is(code: u8, written: Result<(), RunError>) -> Result<u8, RunError> {
    match written {
        Err(RunError::Output {
            target: OutputTarget::Stdout | OutputTarget::Stderr,
            source,
        }) if source.kind() == std::io::ErrorKind::BrokenPipe => Ok(code),
        Err(err) => Err(err),
        Ok(()) => Ok(code),
    }
}

/// The inputs' file identities when `--output` is given, after refusing an `--output` that
/// names (or links to) one of them: a payload must never be overwritten by its report.
fn refuse_output_over_input(
    args: &CheckArgs,
    inputs: &[input::Input],
) -> Result<Vec<write::FileId>, RunError> {
    let Some(path) = &args.output else {
        return Ok(Vec::new());
    };
    let ids: Vec<write::FileId> = inputs
        .iter()
        .filter_map(|input| match input {
            input::Input::File { path, .. } => write::FileId::of(path),
            input::Input::Stdin => write::FileId::of_stdin(),
            input::Input::Unreadable { .. } => None,
        })
        .collect();
    if write::names_input(path, &ids) {
        return Err(output_is_input(path));
    }
    Ok(ids)
}

fn output_is_input(path: &std::path::Path) -> RunError {
    RunError::Usage(format!(
        "--output {} names a file this run checks; the report would overwrite it. Name \
         another file.",
        escape::one_line(&path.to_string_lossy())
    ))
}

/// The rule levels of a check (the configuration file's, then `--rule`'s, which win), its
/// input discovery options (the configuration's `exclude`) and its model (`--model`, else
/// the configuration's `model`, else the latest).
fn configure(
    args: &CheckArgs,
) -> Result<(rules::RuleSet, input::Discovery, model::Model), RunError> {
    let overrides = args
        .rules
        .iter()
        .map(|arg| config::parse_rule_arg(arg))
        .collect::<Result<Vec<_>, _>>()?;
    // Without a current directory there is nowhere to look for a configuration from;
    // relative paths then fail on their own, as `io::` diagnostics.
    let cwd = std::env::current_dir().unwrap_or_else(|_| std::path::PathBuf::from("."));
    let config = config::Config::load(args.config.as_deref(), &cwd)?;
    let mut levels = config.rules.clone();
    levels.extend(overrides);
    let model = args.model.or(config.model).unwrap_or_default();
    Ok((
        rules::RuleSet::with_levels(&levels),
        config.discovery(&cwd),
        model,
    ))
}

/// How `args` shape the report of a run against `model`.
fn render_options(args: &CheckArgs, model: Option<model::Model>) -> output::RenderOptions {
    output::RenderOptions {
        model,
        // A file is never a terminal: `auto` colours only what goes to one.
        color: args
            .color
            .enabled(args.output.is_none() && std::io::stdout().is_terminal()),
        width: terminal_width(),
        quiet: args.quiet,
        statistics: args.statistics,
    }
}

/// Renders the report of `--fix` to `--output FILE`, or to `out` (standard output).
fn write_report(
    args: &CheckArgs,
    model: Option<model::Model>,
    reports: &[diagnostic::FileReport],
    input_ids: &[write::FileId],
    out: &mut dyn Write,
) -> Result<(), RunError> {
    let options = render_options(args, model);
    let Some(path) = &args.output else {
        return output::render(args.format, reports, &options, out).map_err(|source| {
            RunError::Output {
                target: OutputTarget::Stdout,
                source,
            }
        });
    };
    let mut bytes = Vec::new();
    output::render(args.format, reports, &options, &mut bytes).map_err(|source| {
        RunError::Output {
            target: OutputTarget::File(path.clone()),
            source,
        }
    })?;
    write_output(path, &mut &bytes[..], input_ids)
}

/// Writes `bytes` (read to the end) to the `--output` file through the one writer.
fn write_output(
    path: &std::path::Path,
    bytes: &mut dyn std::io::Read,
    input_ids: &[write::FileId],
) -> Result<(), RunError> {
    write::report(path, bytes, input_ids).map_err(|err| match err {
        write::OutputError::IsInput => output_is_input(path),
        write::OutputError::Write(err) => RunError::Output {
            target: OutputTarget::File(path.to_path_buf()),
            source: match err {
                write::WriteError::Io(source) => source,
                other => std::io::Error::other(other.to_string()),
            },
        },
    })
}

/// `check --fix` and `check --diff`.
fn run_fix(
    args: &CheckArgs,
    checker: &Checker,
    inputs: &[input::Input],
    input_ids: &[write::FileId],
    out: &mut dyn Write,
) -> Result<u8, RunError> {
    use rayon::prelude::*;
    let mode = fix::FixMode {
        unsafe_fixes: args.unsafe_fixes,
        diff_only: args.diff,
    };
    let mut results: Vec<fix::Fixed> = inputs
        .par_iter()
        .map(|input| fix::fix_input(checker, input, mode))
        .collect();
    results.sort_by(|a, b| a.report.path.cmp(&b.report.path));
    let stdout_err = |source| RunError::Output {
        target: OutputTarget::Stdout,
        source,
    };
    if args.diff {
        let mut text = String::new();
        let mut changed = 0;
        for diff in results.iter().filter_map(|r| r.diff.as_deref()) {
            text.push_str(diff);
            changed += 1;
        }
        let fixable: usize = results.iter().map(|r| r.report.fixed).sum();
        text.push_str(&format!(
            "Would fix {} in {}.\n",
            output::plural(fixable, "problem"),
            output::plural(changed, "file")
        ));
        let reports: Vec<_> = results.into_iter().map(|r| r.report).collect();
        // Non-zero while anything is wrong: a change to make, or a problem left as it is.
        let code = match Outcome::of(&reports, args.deny_warnings) {
            Outcome::Unreadable => 2,
            Outcome::Failed => 1,
            Outcome::Clean => u8::from(changed > 0),
        };
        let written = match &args.output {
            Some(path) => write_output(path, &mut text.as_bytes(), input_ids),
            None => out.write_all(text.as_bytes()).map_err(stdout_err),
        };
        return reader_gone_is(code, written);
    }
    let stdin_bytes = results.iter_mut().find_map(|r| r.stdin_bytes.take());
    let reports: Vec<_> = results.into_iter().map(|r| r.report).collect();
    let code = Outcome::of(&reports, args.deny_warnings).exit_code();
    // With `-`, standard output is where the fixed document goes, so the report goes to
    // standard error (as ruff does), also when standard input could not be read: a caller
    // that redirects stdout to the fixed file must never find the report there.
    if inputs.iter().any(|i| matches!(i, input::Input::Stdin)) {
        if let Some(bytes) = stdin_bytes {
            if let Err(source) = out.write_all(&bytes) {
                return reader_gone_is(code, Err(stdout_err(source)));
            }
        }
        let mut stderr = std::io::BufWriter::new(std::io::stderr().lock());
        let written = write_report(
            args,
            checker.schema().model(),
            &reports,
            input_ids,
            &mut stderr,
        )
        .and_then(|()| {
            stderr.flush().map_err(|source| RunError::Output {
                target: OutputTarget::Stderr,
                source,
            })
        });
        return reader_gone_is(
            code,
            written.map_err(|err| match err {
                RunError::Output {
                    target: OutputTarget::Stdout,
                    source,
                } => RunError::Output {
                    target: OutputTarget::Stderr,
                    source,
                },
                other => other,
            }),
        );
    }
    let written = write_report(args, checker.schema().model(), &reports, input_ids, out);
    reader_gone_is(code, written)
}

fn run_schema(args: &SchemaArgs, out: &mut dyn Write) -> Result<u8, RunError> {
    let model = args.model.unwrap_or_default();
    if !args.check {
        return write_stdout(out, &schema::derive_text(model));
    }
    let files: Vec<(model::Model, std::path::PathBuf)> = match &args.path {
        Some(path) => vec![(model, path.clone())],
        None => schema::COMMITTED_SCHEMAS
            .iter()
            .filter_map(|(model, path)| Some((model::Model::parse(model).ok()?, path.into())))
            .collect(),
    };
    let mut text = String::new();
    let mut stale = false;
    for (model, path) in files {
        let committed = input::read_support_file(&path).map_err(|source| RunError::SchemaRead {
            path: path.display().to_string(),
            source,
        })?;
        if committed == schema::derive_text(model) {
            text.push_str(&format!("{} is up to date.\n", path.display()));
        } else {
            stale = true;
            text.push_str(&format!(
                "{} differs from the schema derived from the Rust types; regenerate it with \
                    `connlint schema --model {} > {}`.\n",
                path.display(),
                model.date(),
                path.display()
            ));
        }
    }
    write_stdout(out, &text)?;
    Ok(u8::from(stale))
}

/// Writes `text` to standard output; exit code 0.
fn write_stdout(out: &mut dyn Write, text: &str) -> Result<u8, RunError> {
    out.write_all(text.as_bytes())
        .map_err(|source| RunError::Output {
            target: OutputTarget::Stdout,
            source,
        })?;
    Ok(0)
}

fn run_rules(args: &RulesArgs, out: &mut dyn Write) -> Result<u8, RunError> {
    let text = match &args.code {
        None => rules::list_text(),
        Some(code) => match (rules::find(code), codes::describe(code)) {
            (Some(rule), _) => rules::explain_text(rule),
            (None, Some(described)) => codes::explain_text(&described),
            (None, None) => {
                return Err(RunError::Usage(format!(
                    "there is no code `{code}`; {}",
                    rules::unknown_code_help(code)
                )))
            }
        },
    };
    out.write_all(text.as_bytes())
        .map_err(|source| RunError::Output {
            target: OutputTarget::Stdout,
            source,
        })?;
    Ok(0)
}

/// Width for wrapping human output: `COLUMNS` when set, else 100 (stable for snapshots and logs).
fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w| *w >= 40)
        .unwrap_or(100)
}
