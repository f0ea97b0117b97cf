//! Every built-in diagnostic code (`json::*`, `schema::*`, `io::*`) with what it means and
//! how to fix it: the one place they are described. SARIF's rule descriptors, `connlint rules
//! CODE` and the README's "Diagnostic codes" table all read this; lint rules describe
//! themselves in [`crate::rules`].

use std::borrow::Cow;

/// Where a built-in code comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// The parser: the text is not one JSON document.
    Json,
    /// The JSON Schema the document is validated against.
    Schema,
    /// Reading the path: it could not be checked at all (exit code 2).
    Io,
    /// One of connlint's own limits: what it stopped short of reporting.
    Connlint,
}

/// One built-in code.
#[derive(Debug)]
pub struct BuiltinCode {
    /// The code. `schema::<keyword>` stands for every other schema keyword.
    pub code: &'static str,
    /// Where it comes from.
    pub family: Family,
    /// One line: what it reports.
    pub summary: &'static str,
    /// A few sentences: when it is reported and where it points.
    pub description: &'static str,
    /// How to fix it.
    pub fix: &'static str,
}

/// The pattern entry for schema keywords without an entry of their own.
const SCHEMA_KEYWORD: &str = "schema::<keyword>";

/// Every built-in code, by family, then code.
pub static ALL: &[BuiltinCode] = &[
    BuiltinCode {
        code: "json::depth",
        family: Family::Json,
        summary: "JSON nested too deeply",
        description: "The document nests arrays and objects deeper than connlint parses; a real \
            Connection payload is a few levels deep.",
        fix: "Flatten the document: connlint parses at most 127 levels of nested arrays and \
            objects.",
    },
    BuiltinCode {
        code: "json::encoding",
        family: Family::Json,
        summary: "The file is not UTF-8",
        description: "JSON files must be UTF-8; the result points at the first byte that is not.",
        fix: "Re-save the file as UTF-8.",
    },
    BuiltinCode {
        code: "json::syntax",
        family: Family::Json,
        summary: "The file is not valid JSON",
        description: "The file (or a line of a JSON Lines file) is empty or cannot be parsed as \
            JSON; the result points at the first syntax error.",
        fix: "Fix the JSON at the position shown. Comments, trailing commas, `NaN`, `Infinity` \
              and single quotes are not JSON; a payload file holds one Connection object, or an \
              array of them.",
    },
    BuiltinCode {
        code: "schema::enum",
        family: Family::Schema,
        summary: "A value is not one of the allowed values",
        description: "A string is not in the schema's list of allowed values (a category, a \
            permission, …); the help suggests the closest one.",
        fix: "Use one of the allowed values; the help names the closest.",
    },
    BuiltinCode {
        code: "schema::format",
        family: Family::Schema,
        summary: "A string does not match its format",
        description: "A string does not have the schema's format, e.g. an RFC 3339 date-time.",
        fix: "Write the value in the format named, e.g. `2023-11-07T09:15:27Z` for a date-time.",
    },
    BuiltinCode {
        code: "schema::required",
        family: Family::Schema,
        summary: "A required property is missing",
        description: "An object lacks a property that the Connection schema requires; the result \
            points at the object's opening brace.",
        fix: "Add the property named in the message.",
    },
    BuiltinCode {
        code: "schema::too-costly",
        family: Family::Schema,
        summary: "Validating a value against the schema would cost too much",
        description: "The schema makes validation read the value far more often than its size \
            calls for, typically `anyOf` or `oneOf` branches that all recurse, which doubles \
            the work at each level of nesting. connlint stops after 64 reads per value of the \
            instance plus 1,000,000, and reports this instead of a verdict: the value was not \
            validated, and the run fails. The built-in schemas never reach the limit.",
        fix: "Make the schema's alternatives exclusive (`oneOf` or `anyOf` branches told apart \
            by `type`, `required` or `const`, so only one recurses), or nest the value less \
            deeply.",
    },
    BuiltinCode {
        code: "schema::type",
        family: Family::Schema,
        summary: "A value has the wrong type",
        description: "A value's JSON type differs from the schema's (a quoted number, a string \
            where an array belongs, …).",
        fix: "Write the value with the type named in the message; the help says how when it can \
            (remove the quotes around a number, wrap a single value in a list).",
    },
    BuiltinCode {
        code: SCHEMA_KEYWORD,
        family: Family::Schema,
        summary: "A value fails the schema keyword `<keyword>`",
        description: "A value does not satisfy the JSON Schema keyword `<keyword>` of the schema \
            it is validated against.",
        fix: "Change the value so that it satisfies the keyword, as the message says.",
    },
    BuiltinCode {
        code: "io::changed",
        family: Family::Io,
        summary: "`--fix` did not write a file that changed while it was fixed",
        description: "The file's inode, size or modification time changed between connlint \
            reading it and replacing it (an editor saved it, a formatter ran): it is left as \
            it now is, never overwritten with a fix of the older text. This fails the run \
            with exit code 2.",
        fix: "Run `connlint check --fix` again once nothing else is writing the file.",
    },
    BuiltinCode {
        code: "io::error",
        family: Family::Io,
        summary: "A path could not be checked (error)",
        description: "The path could not be read, so it was not checked: error. This fails the \
            run with exit code 2.",
        fix: "Read the message for the operating system's reason.",
    },
    BuiltinCode {
        code: "io::hard-linked",
        family: Family::Io,
        summary: "`--fix` did not write a file with other hard links",
        description: "Replacing the file would split it from its other names, which would keep \
            the old text, and rewriting it in place could leave it half-written: it is left \
            unchanged. This fails the run with exit code 2.",
        fix: "Apply the fix by hand (`connlint check --diff` shows it), or break the link first.",
    },
    BuiltinCode {
        code: "io::invalid-data",
        family: Family::Io,
        summary: "A path could not be checked (invalid-data)",
        description: "The path could not be read, so it was not checked: invalid-data. This fails \
            the run with exit code 2.",
        fix: "Check that the path names a readable file.",
    },
    BuiltinCode {
        code: "io::is-a-directory",
        family: Family::Io,
        summary: "A path could not be checked (is-a-directory)",
        description: "The path could not be read, so it was not checked: is-a-directory. This \
            fails the run with exit code 2.",
        fix: "Name the directory itself to walk it, or a file inside it.",
    },
    BuiltinCode {
        code: "io::not-a-file",
        family: Family::Io,
        summary: "A path could not be checked (not-a-file)",
        description: "The path could not be read, so it was not checked: not-a-file. This fails \
            the run with exit code 2.",
        fix: "Name a JSON file or a directory; a FIFO, socket or device is not read (pipe data in \
            with `-`).",
    },
    BuiltinCode {
        code: "io::not-found",
        family: Family::Io,
        summary: "A path could not be checked (not-found)",
        description: "The path could not be read, so it was not checked: not-found. This fails \
            the run with exit code 2.",
        fix: "Check the path's spelling, and that it exists from the directory connlint runs in.",
    },
    BuiltinCode {
        code: "io::out-of-memory",
        family: Family::Io,
        summary: "A path could not be checked (out-of-memory)",
        description: "The path could not be read, so it was not checked: out-of-memory. This \
            fails the run with exit code 2.",
        fix: "Lower --max-file-size, or check the file on a machine with more memory.",
    },
    BuiltinCode {
        code: "io::owner",
        family: Family::Io,
        summary: "`--fix` did not write a file whose owner it could not keep",
        description: "The fixed copy could not be given the original's owner and group (the \
            file belongs to another user, and only root may give a file away): it is left \
            unchanged rather than handed to the user running connlint. This fails the run \
            with exit code 2.",
        fix: "Run `connlint check --fix` as the file's owner.",
    },
    BuiltinCode {
        code: "io::permission-denied",
        family: Family::Io,
        summary: "A path could not be checked (permission-denied)",
        description: "The path could not be read, so it was not checked: permission-denied. This \
            fails the run with exit code 2.",
        fix: "Give the user running connlint read permission (and search permission on its \
            directories).",
    },
    BuiltinCode {
        code: "io::read-only",
        family: Family::Io,
        summary: "`--fix` did not write a read-only file",
        description: "The file has no write permission for the user running connlint; it is \
            left unchanged, even where its directory would allow replacing it. This fails the \
            run with exit code 2.",
        fix: "Make the file writable (`chmod u+w`) if it is meant to be fixed.",
    },
    BuiltinCode {
        code: "io::too-large",
        family: Family::Io,
        summary: "A path could not be checked (too-large)",
        description: "The path could not be read, so it was not checked: too-large. This fails \
            the run with exit code 2.",
        fix: "Raise the limit with --max-file-size BYTES if the file (or, in JSON Lines, the \
            line) is meant to be this big.",
    },
    BuiltinCode {
        code: "io::write",
        family: Family::Io,
        summary: "`--fix` could not write a fixed file",
        description: "Writing the fixed file failed (no space, no permission on the directory, \
            …); the original is unchanged. This fails the run with exit code 2.",
        fix: "`--fix` could not write the fixed file: check the permissions of the file and its \
            directory.",
    },
    BuiltinCode {
        code: "connlint::too-many",
        family: Family::Connlint,
        summary: "More diagnostics than connlint shows for one document",
        description: "A document (a file, or a line of a JSON Lines file) has more than 1,000 \
            diagnostics: the first 1,000 are shown, and this one says how many more there are. \
            Its severity is the gravest of those not shown, so the exit code is the same as \
            with all of them shown.",
        fix: "Fix the diagnostics shown and run connlint again to see the next ones.",
    },
];

/// A built-in code's description, with `<keyword>` filled in for schema keywords.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Described {
    /// The code described.
    pub code: String,
    /// Where it comes from.
    pub family: Family,
    /// One line.
    pub summary: Cow<'static, str>,
    /// When it is reported and where it points.
    pub description: Cow<'static, str>,
    /// How to fix it.
    pub fix: Cow<'static, str>,
}

/// Describes a built-in code: one with its own entry, or any `schema::<keyword>`. `None` for
/// lint rules (see [`crate::rules::find`]) and codes connlint never reports.
pub fn describe(code: &str) -> Option<Described> {
    let (entry, keyword) = match ALL.iter().find(|entry| entry.code == code) {
        Some(entry) => (entry, None),
        None => {
            let keyword = code.strip_prefix("schema::")?;
            if keyword.is_empty() || !keyword.chars().all(|c| c.is_ascii_alphanumeric()) {
                return None;
            }
            let entry = ALL.iter().find(|entry| entry.code == SCHEMA_KEYWORD)?;
            (entry, Some(keyword))
        }
    };
    let fill = |text: &'static str| match keyword {
        Some(keyword) => Cow::Owned(text.replace("<keyword>", keyword)),
        None => Cow::Borrowed(text),
    };
    Some(Described {
        code: code.to_string(),
        family: entry.family,
        summary: fill(entry.summary),
        description: fill(entry.description),
        fix: fill(entry.fix),
    })
}

/// `connlint rules CODE` for a built-in code.
pub fn explain_text(described: &Described) -> String {
    let applies = match described.family {
        Family::Json => "every file: the parser reports it, whatever the schema",
        Family::Schema => "the schema checked against (the built-in one, or --schema FILE)",
        Family::Io => "every path: it could not be checked, and the run exits 2",
        Family::Connlint => "every document: a limit connlint keeps on what it reports",
    };
    let level = match described.family {
        Family::Connlint => "the gravest of the diagnostics it stands for",
        _ => "error (built in, not configurable)",
    };
    format!(
        "{}\n\n  {}\n\n  level:         {level}\n  applies to:    {applies}\n\nWhat it \
            means\n  {}\n\nHow to fix it\n  {}\n",
        described.code, described.summary, described.description, described.fix
    )
}

/// The "Diagnostic codes" table of the README (between its `<!-- codes:start -->` and
/// `<!-- codes:end -->` markers), generated from [`ALL`].
pub fn markdown_table() -> String {
    let mut table = String::from("| code | what | how to fix |\n|---|---|---|\n");
    for entry in ALL {
        table.push_str(&format!(
            "| `{}` | {} | {} |\n",
            entry.code,
            entry.description.replace('|', "\\|"),
            entry.fix.replace('|', "\\|")
        ));
    }
    table.push_str("| `lint::*` | lint rules, see [Rules](#rules) | each rule's own help |\n");
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_by_family_and_complete() {
        let codes: Vec<&str> = ALL.iter().map(|c| c.code).collect();
        let mut sorted = codes.clone();
        sorted.sort_by_key(|code| {
            let family = ["json::", "schema::", "io::", "connlint::"]
                .iter()
                .position(|f| code.starts_with(f));
            // The keyword pattern closes the schema family.
            (family, *code == SCHEMA_KEYWORD, *code)
        });
        sorted.dedup();
        assert_eq!(codes, sorted, "codes::ALL must be sorted, without repeats");
        for entry in ALL {
            let prefix = match entry.family {
                Family::Json => "json::",
                Family::Schema => "schema::",
                Family::Io => "io::",
                Family::Connlint => "connlint::",
            };
            assert!(entry.code.starts_with(prefix), "{}", entry.code);
            for text in [entry.summary, entry.description, entry.fix] {
                assert!(!text.trim().is_empty(), "{}", entry.code);
            }
        }
    }

    #[test]
    fn every_code_the_syntax_errors_use_is_described() {
        use crate::tree::SyntaxKind;
        for kind in [SyntaxKind::Depth, SyntaxKind::Other] {
            assert!(describe(kind.code()).is_some(), "{}", kind.code());
        }
    }

    #[test]
    fn schema_keywords_are_described_by_the_pattern() {
        let described = describe("schema::minItems").expect("described");
        assert_eq!(
            described.summary,
            "A value fails the schema keyword `minItems`"
        );
        assert_eq!(describe("schema::enum").map(|d| d.fix), {
            let entry = ALL.iter().find(|e| e.code == "schema::enum");
            entry.map(|e| Cow::Borrowed(e.fix))
        });
        assert_eq!(describe("schema::"), None);
        assert_eq!(describe("schema::a b"), None);
        assert_eq!(describe("lint::unknown-key"), None);
        assert_eq!(describe("io::nope"), None);
    }

    #[test]
    fn explain_text_says_what_and_how() {
        let text = explain_text(&describe("json::syntax").expect("described"));
        assert!(text.starts_with("json::syntax\n"));
        assert!(text.contains("What it means\n  The file (or a line"));
        assert!(text.contains("How to fix it\n  Fix the JSON"));
    }

    #[test]
    fn readme_codes_table_is_generated_from_the_catalogue() {
        const START: &str = "<!-- codes:start -->\n";
        const END: &str = "<!-- codes:end -->";
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
        let readme = std::fs::read_to_string(&path).expect("README.md");
        let start = readme.find(START).expect("codes:start marker") + START.len();
        let end = start + readme[start..].find(END).expect("codes:end marker");
        let table = markdown_table();
        if readme[start..end] != table && std::env::var_os("CONNLINT_UPDATE_README").is_some() {
            let updated = format!("{}{table}{}", &readme[..start], &readme[end..]);
            std::fs::write(&path, updated).expect("write README.md");
            return;
        }
        assert_eq!(
            readme[start..end],
            table,
            "the README's codes table is stale: regenerate it with \
             `CONNLINT_UPDATE_README=1 cargo test --lib codes`"
        );
    }
}
