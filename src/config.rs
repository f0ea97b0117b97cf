//! The configuration file: `connlint.toml` or `.connlint.toml` in the current directory or
//! the nearest parent (or the file given with `--config`), and `--rule CODE=LEVEL` overrides.
//!
//! ```toml
//! exclude = ["fixtures/legacy/**"]   # gitignore-style globs, relative to this file's directory
//!
//! [rules]
//! "lint::unknown-key" = "error"      # error | warning | off
//! ```
//!
//! A configuration that cannot be used is a whole-run error ([`RunError::Config`]) pointing
//! at the offending span of the file, never a silent default. This module reads files and
//! returns values; it prints nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{NamedSource, SourceSpan};
use serde::Deserialize;
use toml::Spanned;

use crate::error::RunError;
use crate::input::Discovery;
use crate::rules::{self, Level, Rule};

/// File names looked for, in order of preference within one directory.
pub(crate) const FILE_NAMES: &[&str] = &["connlint.toml", ".connlint.toml"];

/// A loaded configuration.
#[derive(Debug, Clone, Default)]
pub(crate) struct Config {
    /// The file it was read from; `None` when there is none.
    pub path: Option<PathBuf>,
    /// Gitignore-style globs of paths never checked, relative to [`Config::root`].
    pub exclude: Vec<String>,
    /// Rule levels, in file order.
    pub rules: Vec<(&'static Rule, Level)>,
}

/// `glob` as a message names it: escaped, and cut to its first 40 characters (with its length)
/// when longer, so that a 200,000-character glob does not become the message.
fn short_glob(glob: &str) -> String {
    let chars = glob.chars().count();
    if chars <= 60 {
        return format!("`{}`", crate::escape::one_line(glob));
    }
    let start: String = glob.chars().take(40).collect();
    format!(
        "`{}…` ({chars} characters)",
        crate::escape::one_line(&start)
    )
}

/// The file's shape. Unknown keys are errors: a misspelt `exclude` must not be ignored.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<String>>,
}

impl Config {
    /// The configuration of a run started in `cwd`: the file given with `--config`, else the
    /// nearest `connlint.toml`/`.connlint.toml`, else the defaults.
    pub(crate) fn load(explicit: Option<&Path>, cwd: &Path) -> Result<Self, RunError> {
        let path = match explicit {
            Some(path) => path.to_path_buf(),
            None => match find(cwd) {
                Some(path) => path,
                None => return Ok(Self::default()),
            },
        };
        let text =
            crate::input::read_support_file(&path).map_err(|source| RunError::ConfigRead {
                path: path.display().to_string(),
                source,
            })?;
        Self::parse(&text, &path)
    }

    /// Parses the text of the configuration file at `path`.
    pub(crate) fn parse(text: &str, path: &Path) -> Result<Self, RunError> {
        let error = |span: std::ops::Range<usize>,
                     message: String,
                     label: &str,
                     help: Option<String>| RunError::Config {
            message: format!("invalid configuration: {message}"),
            // The snippet is shown on a terminal: escaped, with every offset kept.
            src: Arc::new(NamedSource::new(
                crate::escape::one_line(&path.to_string_lossy()),
                crate::escape::same_length(text),
            )),
            span: SourceSpan::from(span),
            label: label.to_string(),
            help,
        };
        let raw: RawConfig = toml::from_str(text).map_err(|err| {
            let span = err.span().unwrap_or(0..0);
            let label = if unknown_field(err.message()).is_some() {
                "unknown key"
            } else {
                "here"
            };
            let help = unknown_field(err.message()).map(|field| {
                let shape = "a configuration has `exclude = [...]` and a `[rules]` table";
                match crate::suggest::did_you_mean(field, &["exclude", "rules"]) {
                    Some(close) => format!("did you mean `{close}`? A{}", &shape[1..]),
                    None => shape.to_string(),
                }
            });
            error(span, err.message().trim_end().to_string(), label, help)
        })?;

        for glob in &raw.exclude {
            // Parsing is not enough: a glob can parse and still fail to compile (a pattern
            // too large for the matcher), and then discovery would drop every exclude.
            let mut builder = ignore::overrides::OverrideBuilder::new(".");
            let compiled = builder
                .add(&format!("!{}", glob.get_ref()))
                .and_then(|b| b.build().map(drop));
            if let Err(err) = compiled {
                // The error may repeat the glob; name it once, shortened and escaped.
                let reason = match err.to_string() {
                    text if text.len() > 200 => "it cannot be compiled".to_string(),
                    text => crate::escape::one_line(&text).into_owned(),
                };
                return Err(error(
                    glob.span(),
                    format!(
                        "{} is not a valid glob: {reason}",
                        short_glob(glob.get_ref())
                    ),
                    "invalid glob",
                    Some("globs are gitignore-style, e.g. \"fixtures/legacy/**\"".to_string()),
                ));
            }
        }

        // Checked in file order, so the error shown is the first one in the file.
        let mut entries: Vec<(&Spanned<String>, &Spanned<String>)> = raw.rules.iter().collect();
        entries.sort_by_key(|(code, _)| code.span().start);
        let mut levels = Vec::with_capacity(entries.len());
        for (code, level) in entries {
            let Some(rule) = rules::find(code.get_ref()) else {
                return Err(error(
                    code.span(),
                    format!("there is no rule `{}`", code.get_ref()),
                    "unknown rule",
                    Some(rules::unknown_code_help(code.get_ref())),
                ));
            };
            let Some(parsed) = Level::parse(level.get_ref()) else {
                return Err(error(
                    level.span(),
                    format!("`{}` is not a level for `{}`", level.get_ref(), rule.code),
                    "not a level",
                    Some(level_help(level.get_ref())),
                ));
            };
            levels.push((rule, parsed));
        }

        Ok(Self {
            path: Some(path.to_path_buf()),
            exclude: raw.exclude.into_iter().map(Spanned::into_inner).collect(),
            rules: levels,
        })
    }

    /// The directory the `exclude` globs are relative to: the configuration file's own.
    pub(crate) fn root(&self) -> Option<PathBuf> {
        let parent = self.path.as_deref()?.parent()?;
        Some(if parent.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            parent.to_path_buf()
        })
    }

    /// Input discovery options for a run started in `cwd`: the `exclude` globs, rooted at
    /// the configuration file's directory made absolute, so they mean the same paths
    /// whichever directory the run starts in.
    pub(crate) fn discovery(&self, cwd: &Path) -> Discovery {
        let exclude_root = self.root().map(|root| cwd.join(root));
        Discovery {
            exclude: self.exclude.clone(),
            exclude_root,
        }
    }
}

/// The key named by serde's "unknown field `x`, expected …" message.
fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split_once('`').map(|(field, _)| field)
}

fn level_help(given: &str) -> String {
    let levels = ["error", "warning", "off"];
    match crate::suggest::did_you_mean(given, &levels) {
        Some(level) => {
            format!("did you mean \"{level}\"? A level is \"error\", \"warning\" or \"off\"")
        }
        None => "a level is \"error\", \"warning\" or \"off\"".to_string(),
    }
}

/// The nearest configuration file: `connlint.toml` (preferred) or `.connlint.toml` in `start`
/// or the closest of its ancestors that has one.
pub(crate) fn find(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|dir| {
        FILE_NAMES
            .iter()
            .map(|name| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

/// Parses one `--rule CODE=LEVEL` argument.
pub(crate) fn parse_rule_arg(arg: &str) -> Result<(&'static Rule, Level), RunError> {
    let Some((code, level)) = arg.split_once('=') else {
        return Err(RunError::Usage(format!(
            "--rule `{arg}` must be CODE=LEVEL, e.g. --rule lint::unknown-key=error"
        )));
    };
    let (code, level) = (code.trim(), level.trim());
    let rule = rules::find(code).ok_or_else(|| {
        RunError::Usage(format!(
            "--rule: there is no rule `{code}`; {}",
            rules::unknown_code_help(code)
        ))
    })?;
    let level = Level::parse(level)
        .ok_or_else(|| RunError::Usage(format!("--rule {code}: {}", level_help(level))))?;
    Ok((rule, level))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, RunError> {
        Config::parse(text, Path::new("dir/connlint.toml"))
    }

    /// The text under the error's span, and its help.
    fn failure(text: &str) -> (String, String, Option<String>) {
        match parse(text) {
            Err(RunError::Config {
                message,
                span,
                help,
                ..
            }) => {
                let at = &text[span.offset()..span.offset() + span.len()];
                (message, at.to_string(), help)
            }
            other => panic!("expected a config error, got {other:?}"),
        }
    }

    #[test]
    fn a_glob_that_parses_but_does_not_compile_is_an_error() {
        // Parses, but its matcher is over the size limit of the glob compiler.
        let glob = "?".repeat(200_000);
        assert!(ignore::overrides::OverrideBuilder::new(".")
            .add(&glob)
            .is_ok());
        let err = parse(&format!("exclude = [\"a/**\", \"{glob}\"]")).expect_err("too large");
        assert!(err.to_string().contains("is not a valid glob"), "{err}");
    }

    #[test]
    fn reads_excludes_and_levels_in_file_order() {
        let config = parse(
            "exclude = [\"legacy/**\"]\n[rules]\n\"lint::unknown-key\" = \
                \"error\"\n\"lint::empty-list\" = \"off\"\n",
        )
        .expect("valid");
        assert_eq!(config.exclude, vec!["legacy/**"]);
        let levels: Vec<(&str, Level)> = config.rules.iter().map(|(r, l)| (r.code, *l)).collect();
        assert_eq!(
            levels,
            vec![
                ("lint::unknown-key", Level::Error),
                ("lint::empty-list", Level::Off)
            ]
        );
        assert_eq!(config.root(), Some(PathBuf::from("dir")));
    }

    #[test]
    fn exclude_root_is_the_config_directory_made_absolute() {
        let mut config = parse("exclude = [\"a/**\"]").expect("valid");
        let cwd = Path::new("/work/project");
        let root = |config: &Config| config.discovery(cwd).exclude_root;
        assert_eq!(root(&config), Some(PathBuf::from("/work/project/dir")));
        config.path = Some(PathBuf::from("connlint.toml"));
        assert_eq!(root(&config), Some(PathBuf::from("/work/project/.")));
        config.path = Some(PathBuf::from("/work/connlint.toml"));
        assert_eq!(root(&config), Some(PathBuf::from("/work")));
        assert_eq!(config.discovery(cwd).exclude, vec!["a/**"]);
        assert_eq!(root(&Config::default()), None);
    }

    #[test]
    fn empty_file_is_the_defaults() {
        let config = parse("").expect("valid");
        assert!(config.exclude.is_empty() && config.rules.is_empty());
    }

    #[test]
    fn unknown_rule_points_at_the_code_and_suggests() {
        let (message, at, help) = failure("[rules]\n\"lint::unknown-keys\" = \"error\"\n");
        assert_eq!(
            message,
            "invalid configuration: there is no rule `lint::unknown-keys`"
        );
        assert_eq!(at, "\"lint::unknown-keys\"");
        assert!(help.is_some_and(|h| h.contains("did you mean `lint::unknown-key`?")));
    }

    #[test]
    fn bad_level_points_at_the_value() {
        let (_, at, help) = failure("[rules]\n\"lint::unknown-key\" = \"eror\"\n");
        assert_eq!(at, "\"eror\"");
        assert!(help.is_some_and(|h| h.starts_with("did you mean \"error\"?")));
        let (message, at, _) = failure("[rules]\n\"lint::unknown-key\" = true\n");
        assert_eq!(at, "true");
        assert!(message.contains("invalid type"), "{message}");
    }

    #[test]
    fn syntax_errors_and_unknown_keys_have_spans() {
        let text = "exclude = [\"a\"\n[rules]\n";
        match parse(text) {
            Err(RunError::Config { span, message, .. }) => {
                // The array is not closed: the error is where `,` or `]` was expected.
                assert_eq!(
                    span.offset(),
                    text.find("[rules]").expect("in text"),
                    "{message}"
                );
            }
            other => panic!("expected a config error, got {other:?}"),
        }
        let (message, at, help) = failure("excludes = [\"a\"]\n");
        assert!(message.contains("unknown field `excludes`"), "{message}");
        assert_eq!(at, "excludes");
        assert_eq!(
            help.as_deref(),
            Some(
                "did you mean `exclude`? A configuration has `exclude = \
            [...]` and a `[rules]` table"
            )
        );
    }

    #[test]
    fn invalid_glob_points_at_it() {
        let (_, at, _) = failure("exclude = [\"ok/**\", \"bad[\"]\n");
        assert_eq!(at, "\"bad[\"");
    }

    #[test]
    fn rule_args() {
        let (rule, level) = parse_rule_arg("lint::unknown-key=error").expect("valid");
        assert_eq!((rule.code, level), ("lint::unknown-key", Level::Error));
        assert_eq!(
            parse_rule_arg("lint::empty-list = warn")
                .map(|(_, l)| l)
                .ok(),
            Some(Level::Warning)
        );
        for bad in [
            "lint::unknown-key",
            "lint::nope=error",
            "lint::unknown-key=loud",
        ] {
            assert!(
                matches!(parse_rule_arg(bad), Err(RunError::Usage(_))),
                "{bad}"
            );
        }
        match parse_rule_arg("unknown-keys=error") {
            Err(RunError::Usage(message)) => assert!(
                message.contains("did you mean `lint::unknown-key`?"),
                "{message}"
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn finds_the_nearest_file_preferring_the_visible_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        let nested = dir.path().join("a/b");
        std::fs::create_dir_all(&nested).expect("mkdir");
        assert_eq!(find(&nested).filter(|p| p.starts_with(dir.path())), None);
        std::fs::write(dir.path().join(".connlint.toml"), "").expect("write");
        assert_eq!(find(&nested), Some(dir.path().join(".connlint.toml")));
        std::fs::write(dir.path().join("connlint.toml"), "").expect("write");
        assert_eq!(find(&nested), Some(dir.path().join("connlint.toml")));
        std::fs::write(dir.path().join("a/.connlint.toml"), "").expect("write");
        assert_eq!(find(&nested), Some(dir.path().join("a/.connlint.toml")));
    }
}
