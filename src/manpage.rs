//! `connlint manpage`: one `connlint(1)` page in roff for the whole command tree, generated
//! from the clap definition in `cli.rs` (so it says what `--help` says, and a CLI test holds
//! the two together).
//!
//! clap_mangen renders one page per command and points from the top page to
//! `connlint-check(1)` and so on; a single page is easier to install and read, so each
//! subcommand's synopsis, description and options are rendered by clap_mangen and placed
//! under a section of their own, their headings lowered to subsections. This module only
//! builds text; `main.rs` prints it.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::Cli;

/// The page's sections after the generated ones: exit status (`--help` has no place for it)
/// and where to read more. Fixed roff text: `\-` is a hyphen roff must not break or
/// turn into a dash, no line starts with `.` or `'` except the requests, and roff joins
/// the text lines of a paragraph.
const EXIT_STATUS: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
No error\-severity diagnostic (warnings alone pass, unless \fB\-\-deny\-warnings\fR).
.TP
\fB1\fR
At least one error in some file (or a warning with \fB\-\-deny\-warnings\fR).
.TP
\fB2\fR
A usage error, an invalid \fB\-\-schema\fR or configuration,
or a path that could not be read (\fBio::*\fR diagnostics).
.SH "SEE ALSO"
\fBconnlint rules\fR lists the lint rules and explains each one;
the README of the connlint repository documents every output format.
"#;

/// Writes the page.
pub(crate) fn render(out: &mut dyn Write) -> std::io::Result<()> {
    let mut cli = Cli::command();
    // Sets every subcommand's `bin_name` (`connlint check`), which its synopsis shows.
    cli.build();
    let top = clap_mangen::Man::new(cli.clone());
    top.render_title(out)?;
    top.render_name_section(out)?;
    top.render_synopsis_section(out)?;
    top.render_description_section(out)?;
    top.render_options_section(out)?;
    for sub in cli.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        // `help` is clap's own and says nothing a reader of this page needs.
        if sub.get_name() == "help" {
            continue;
        }
        let name = sub.get_bin_name().unwrap_or_else(|| sub.get_name());
        writeln!(out, ".SH \"{}\"", name.to_uppercase())?;
        let page = clap_mangen::Man::new(sub.clone());
        let mut section = Vec::new();
        page.render_synopsis_section(&mut section)?;
        page.render_description_section(&mut section)?;
        if sub.get_arguments().any(|arg| !arg.is_hide_set()) {
            page.render_options_section(&mut section)?;
        }
        out.write_all(&lower_headings(&section))?;
    }
    out.write_all(EXIT_STATUS.as_bytes())?;
    top.render_version_section(out)
}

/// `.SH` (section) requests in `roff` as `.SS` (subsection), so a subcommand's synopsis and
/// options sit inside its own section.
fn lower_headings(roff: &[u8]) -> Vec<u8> {
    let mut lowered = Vec::with_capacity(roff.len());
    for line in roff.split_inclusive(|b| *b == b'\n') {
        match line.strip_prefix(b".SH ") {
            Some(rest) => {
                lowered.extend_from_slice(b".SS ");
                lowered.extend_from_slice(rest);
            }
            None => lowered.extend_from_slice(line),
        }
    }
    lowered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_section_requests_are_lowered() {
        let roff = b".SH SYNOPSIS\n.SH\\x text .SH here\n.SHX\n.SH OPTIONS\n";
        assert_eq!(
            lower_headings(roff),
            b".SS SYNOPSIS\n.SH\\x text .SH here\n.SHX\n.SS OPTIONS\n"
        );
    }
}
