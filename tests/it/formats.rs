//! Every `--format` through the real binary: snapshots of each invalid fixture, SARIF
//! against the official schema, GitHub escaping, JUnit structure, and the terminal options
//! (`--output`, `--quiet`, `--statistics`, completions). That no format prints a secret is
//! in `promises::secrets`.
//!
//! Runs from the repository root with relative paths, so snapshots are stable.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use connlint::diagnostic::{
    Applicability, Diagnostic, Edit, FileReport, Fix, Label, Severity, Span,
};
use connlint::output::{render, Format, RenderOptions};
use connlint::span::LineIndex;

use std::path::Path;

use crate::support::{connlint, connlint_in, formats, parse_json, repo};

/// Runs `connlint check --format FORMAT ARGS…` and returns stdout and the exit code.
pub(crate) fn check(format: &str, args: &[&str]) -> (String, i32) {
    let output = connlint()
        .args(["check", "--color", "never", "--format", format])
        .args(args)
        .output()
        .expect("run connlint");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.is_empty(),
        "connlint wrote to stderr with --format {format}: {stderr}"
    );
    (
        String::from_utf8(output.stdout).expect("output is UTF-8"),
        output.status.code().expect("exit code"),
    )
}

/// Snapshot settings: the package version (in the SARIF driver) changes with every
/// release, not with the output, so it reads `"[version]"`.
fn snapshot_settings() -> insta::Settings {
    let version: String = env!("CARGO_PKG_VERSION")
        .chars()
        .flat_map(|c| {
            let escape = r".+*?()|[]{}^$\".contains(c).then_some('\\');
            escape.into_iter().chain([c])
        })
        .collect();
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(&format!("\"{version}\""), "\"[version]\"");
    settings
}

/// One format's snapshot of `text`; JSON pretty-printed so a change reviews as a readable
/// diff (the JSON format is one line by contract).
fn assert_output_snapshot(name: &str, format: Format, text: &str) {
    if format == Format::Json {
        insta::assert_json_snapshot!(name, parse_json(text));
    } else {
        insta::assert_snapshot!(name, text);
    }
}

// ---------------------------------------------------------------------------------------
// Snapshots of every format over each invalid fixture: one file per fixture and format,
// named `it__formats__FORMAT@FIXTURE.snap`.

#[test]
fn snapshot_each_invalid_fixture_in_every_format() {
    snapshot_settings().bind(|| {
        insta::glob!("../../fixtures", "invalid/*", |path| {
            let name = path.file_name().expect("a file name").to_string_lossy();
            let fixture = format!("fixtures/invalid/{name}");
            for (format, value) in formats() {
                let (text, code) = check(&value, &[&fixture]);
                assert!(
                    matches!(code, 0 | 1),
                    "--format {value} {fixture}: exit {code}"
                );
                assert_output_snapshot(&value, format, &text);
            }
        });
    });
}

// ---------------------------------------------------------------------------------------
// Snapshots of every format over one hand-made sample: a multi-line span, a warning with a
// related place, a fix, a clean file, an unreadable path, and messages with `%`, `,`, `:`,
// `<`, `&`, a newline and control characters.

const SAMPLE_TEXT: &str = r#"{
  "integration_type": {
    "name": "hub%spot"
  },
  "categories": ["crm"],
  "auth": {"access_token": "at_LIVEsampleSecret0123456789"}
}
"#;

const SAMPLE_SECRET: &str = "at_LIVEsampleSecret0123456789";

fn at(text: &str, needle: &str) -> Span {
    let start = text.find(needle).expect("needle in sample");
    Span::new(start, start + needle.len())
}

fn located(
    code: &'static str,
    severity: Severity,
    message: &str,
    pointer: &str,
    span: Span,
) -> Diagnostic {
    let lines = LineIndex::new(SAMPLE_TEXT);
    let mut d = Diagnostic::whole_file(code, message);
    d.severity = severity;
    d.pointer = Some(pointer.into());
    d.span = Some(span);
    d.start = Some(lines.position(SAMPLE_TEXT, span.start));
    d.end = Some(lines.position(SAMPLE_TEXT, span.end));
    d
}

fn sample() -> Vec<FileReport> {
    let object = at(SAMPLE_TEXT, "{\n    \"name\": \"hub%spot\"\n  }");
    let mut multi_line = located(
        "schema::type",
        Severity::Error,
        "expected a string, found an object: 100% wrong, see <docs> & retry\nsecond line",
        "/integration_type",
        object,
    )
    .with_help("write it as \"hubspot\"");
    multi_line.label = Some("expected a string".into());
    multi_line.fix = Some(Fix {
        applicability: Applicability::Unsafe,
        edits: vec![Edit {
            start: object.start,
            end: object.end,
            content: "\"hubspot\"".into(),
        }],
    });
    let key = at(SAMPLE_TEXT, "\"categories\"");
    let mut warning = located(
        "lint::example",
        Severity::Warning,
        "a warning, with: punctuation",
        "/categories",
        key,
    );
    warning.related.push(Label {
        span: at(SAMPLE_TEXT, "\"integration_type\""),
        message: "related to this".into(),
    });
    let control = located(
        "schema::format",
        Severity::Error,
        "bell \u{7}, escape \u{1b}[31m, nul \u{0} and tab \t",
        "/auth",
        at(SAMPLE_TEXT, "{\"access_token\""),
    );
    let mut report = FileReport {
        path: "sample/multi line.json".into(),
        secrets: connlint::redact::secret_spans(SAMPLE_TEXT),
        source: Some(SAMPLE_TEXT.into()),
        diagnostics: vec![multi_line, warning, control],
        ..FileReport::default()
    };
    report.sort();
    let missing = FileReport {
        path: "sample/missing, 50%: yes.json".into(),
        diagnostics: vec![Diagnostic::whole_file(
            "io::not-found",
            "cannot read sample/missing, 50%: yes.json: no such file or directory",
        )],
        ..FileReport::default()
    };
    vec![FileReport::clean("sample/clean.json"), missing, report]
}

fn render_sample(format: Format, options: &RenderOptions) -> String {
    let mut out = Vec::new();
    render(format, &sample(), options, &mut out).expect("render");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn snapshot_sample_in_every_format() {
    snapshot_settings().bind(|| {
        for (format, value) in formats() {
            let text = render_sample(format, &RenderOptions::default());
            assert!(
                !text.contains(SAMPLE_SECRET) && !text.contains("sampleSecret"),
                "{value} printed the sample's secret:\n{text}"
            );
            insta::assert_snapshot!(format!("sample_{value}"), text);
        }
    });
}

#[test]
fn sample_escaping_keeps_every_format_well_formed() {
    let options = RenderOptions::default();
    // GitHub: one command per diagnostic, the newline encoded, delimiters in properties too.
    let github = render_sample(Format::Github, &options);
    let lines: Vec<&str> = github.lines().collect();
    assert_eq!(lines.len(), 5, "4 commands and the summary:\n{github}");
    assert!(
        lines.iter().take(4).all(|l| l.starts_with("::")),
        "{github}"
    );
    assert!(
        github.contains(
            "::warning file=sample/multi line.json,line=5,col=3,endLine=5,endColumn=15,\
             title=lint%3A%3Aexample::a warning, with: punctuation (at /categories)\n"
        ),
        "{github}"
    );
    assert!(
        github.contains(
            "::error file=sample/missing%2C 50%25%3A yes.json,title=io%3A%3Anot-found::\
             cannot read sample/missing, 50%25: yes.json: no such file or directory\n"
        ),
        "{github}"
    );
    assert!(
        github.contains(
            "::error file=sample/multi line.json,line=2,col=23,endLine=4,endColumn=4,\
             title=schema%3A%3Atype::expected a string, found an object: 100%25 wrong, \
             see <docs> & retry%0Asecond line (at /integration_type)%0A\
             help: write it as \"hubspot\"%0A[*] fixable with --fix --unsafe-fixes (may change meaning)\n"
        ),
        "{github}"
    );
    // Concise: still one line per diagnostic.
    let concise = render_sample(Format::Concise, &options);
    assert_eq!(concise.lines().count(), 5, "{concise}");
    assert!(!concise.contains('\u{1b}') && !concise.contains('\u{0}'));
    // JUnit: parses as XML although messages hold characters XML 1.0 forbids.
    let junit = render_sample(Format::Junit, &options);
    let xml = roxmltree::Document::parse(&junit).unwrap_or_else(|e| panic!("{e}:\n{junit}"));
    let failure = xml
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .expect("a failure");
    assert!(failure
        .text()
        .unwrap_or("")
        .contains("100% wrong, see <docs> & retry\\nsecond line"));
    // SARIF: the message keeps its newline, the URI is percent-encoded.
    let sarif = parse_json(render_sample(Format::Sarif, &options));
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert!(results.iter().any(|r| r["message"]["text"]
        .as_str()
        .unwrap_or("")
        .contains("retry\nsecond line")));
    assert!(results.iter().any(
        |r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            == "sample/multi%20line.json"
    ));
}

// ---------------------------------------------------------------------------------------
// SARIF against the official schema.

/// The official SARIF 2.1.0 schema (OASIS, errata 01), vendored in `tests/data/`.
fn sarif_schema() -> Value {
    parse_json(include_str!("../data/sarif-schema-2.1.0.json"))
}

/// Draft 4 knows no `uri-reference` format, so the schema does not check URIs: this does.
fn assert_uri_reference(uri: &str) {
    let bytes = uri.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).unwrap_or_default();
                assert!(
                    hex.len() == 2 && hex.iter().all(u8::is_ascii_hexdigit),
                    "bad escape in {uri}"
                );
                i += 3;
                continue;
            }
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {}
            other => panic!("`{}` must be percent-encoded in {uri}", other as char),
        }
        i += 1;
    }
}

fn assert_valid_sarif(log: &Value) {
    let schema = sarif_schema();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-04/schema#");
    let validator = jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
    for result in log["runs"][0]["results"].as_array().expect("results") {
        let location = &result["locations"][0]["physicalLocation"];
        assert_uri_reference(location["artifactLocation"]["uri"].as_str().expect("uri"));
        assert!(
            location["region"]["startLine"].is_u64(),
            "no region: {result}"
        );
    }
}

#[test]
fn sarif_of_a_mixed_run_validates_against_the_official_schema() {
    let (text, code) = check("sarif", &["fixtures/valid", "fixtures/invalid"]);
    assert_eq!(code, 1);
    let log = parse_json(&text);
    assert_valid_sarif(&log);

    let (json, _) = check("json", &["fixtures/valid", "fixtures/invalid"]);
    let json = parse_json(&json);
    let diagnostics = json["diagnostics"].as_array().expect("diagnostics");
    let run = &log["runs"][0];
    let results = run["results"].as_array().expect("results");
    assert_eq!(
        results.len(),
        diagnostics.len(),
        "one result per diagnostic"
    );
    assert!(!results.is_empty());

    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "rule ids are unique");
    for rule in connlint::rules::ALL {
        assert!(
            unique.contains(rule.code),
            "{} missing from rules",
            rule.code
        );
    }
    let mut names = BTreeSet::new();
    for rule in rules {
        for field in ["shortDescription", "fullDescription"] {
            assert!(rule[field]["text"].as_str().is_some_and(|t| !t.is_empty()));
        }
        // What GitHub code scanning needs of every rule: help in text and Markdown (GH2012),
        // a friendly PascalCase name and a helpUri to the README section.
        for field in ["text", "markdown"] {
            assert!(
                rule["help"][field]
                    .as_str()
                    .is_some_and(|t| t.contains("## ")),
                "help.{field} of {rule}"
            );
        }
        let name = rule["name"].as_str().expect("name");
        assert!(
            name.starts_with(|c: char| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_alphanumeric()),
            "{name}"
        );
        assert!(names.insert(name), "two rules named {name}");
        let uri = rule["helpUri"].as_str().expect("helpUri");
        let id = rule["id"].as_str().expect("id");
        let readme = std::fs::read_to_string(repo().join("README.md")).expect("README");
        // A lint rule links to its own row of the rules table; a built-in code to the
        // section of built-in codes.
        if id.starts_with("lint::") {
            let anchor = id.replace("::", "-");
            assert_eq!(uri, format!("{}#{anchor}", env!("CARGO_PKG_REPOSITORY")));
            assert!(
                readme.contains(&format!("<a id=\"{anchor}\"></a>`{id}`")),
                "{uri}"
            );
        } else {
            assert_eq!(
                uri,
                format!("{}#diagnostic-codes", env!("CARGO_PKG_REPOSITORY"))
            );
            assert!(readme.lines().any(|l| l == "## Diagnostic codes"), "{uri}");
        }
        assert!(rule["defaultConfiguration"]["level"].is_string());
    }
    assert_eq!(run["tool"]["driver"]["name"], "connlint");
    assert!(run["tool"]["driver"]["informationUri"].is_string());

    for (result, diagnostic) in results.iter().zip(diagnostics) {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(result["ruleId"], rules[index]["id"]);
        assert_eq!(result["ruleId"], diagnostic["code"]);
        assert_eq!(result["level"], diagnostic["severity"]);
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().expect("uri");
        assert_eq!(
            Some(uri),
            diagnostic["path"].as_str(),
            "relative, forward slashes"
        );
        let region = &location["region"];
        assert!(region.is_object(), "no region: {result}");
        for (sarif, json) in [
            ("startLine", "line"),
            ("startColumn", "column"),
            ("endLine", "end_line"),
            ("endColumn", "end_column"),
        ] {
            assert_eq!(region[sarif], diagnostic[json], "{sarif} of {result}");
        }
        let text = result["message"]["text"].as_str().expect("message");
        assert!(text.starts_with(diagnostic["message"].as_str().expect("message")));
        if let Some(help) = diagnostic["help"].as_str() {
            assert!(text.ends_with(&format!("\nhelp: {help}")), "{text}");
        }
        assert_eq!(result["properties"]["pointer"], diagnostic["pointer"]);
        let fingerprint = result["partialFingerprints"]["connlint/v2"]
            .as_str()
            .expect("partialFingerprints");
        assert!(is_fingerprint(fingerprint), "{fingerprint}");
        assert_eq!(
            result["fixes"].is_array(),
            diagnostic["fix"].is_object(),
            "fixes carried over: {result}"
        );
    }
}

#[test]
fn sarif_of_the_sample_validates_too() {
    // The sample has what the fixtures may lack: a fix, a related location, a path with a
    // space, and a diagnostic without a position.
    let log = parse_json(render_sample(Format::Sarif, &RenderOptions::default()));
    assert_valid_sarif(&log);
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert!(results
        .iter()
        .all(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"].is_u64()));
    let fixed = results
        .iter()
        .find(|r| r["fixes"].is_array())
        .expect("a result with fixes");
    let replacement = &fixed["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(replacement["insertedContent"]["text"], "\"hubspot\"");
    assert_eq!(replacement["deletedRegion"]["startLine"], 2);
    assert_eq!(replacement["deletedRegion"]["endLine"], 4);
}

// ---------------------------------------------------------------------------------------
// GitLab Code Quality, field by field against the JSON report.

/// The `fingerprint` recipe's shape: 16 hex digits, `:`, an occurrence number.
fn is_fingerprint(text: &str) -> bool {
    text.split_once(':').is_some_and(|(hash, n)| {
        hash.len() == 16
            && hash
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            && n.parse::<usize>().is_ok_and(|n| n >= 1)
    })
}

#[test]
fn gitlab_issues_carry_every_field_of_the_json_report() {
    let paths = ["fixtures/valid", "fixtures/invalid"];
    let (text, code) = check("gitlab", &paths);
    assert_eq!(code, 1);
    let issues = parse_json(&text);
    let issues = issues.as_array().expect("a JSON array of issues");
    let (json, _) = check("json", &paths);
    let json = parse_json(&json);
    let diagnostics = json["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(issues.len(), diagnostics.len(), "one issue per diagnostic");
    assert!(
        issues.len() > 20,
        "the fixtures give many issues: {}",
        issues.len()
    );
    let mut fingerprints = BTreeSet::new();
    for (issue, d) in issues.iter().zip(diagnostics) {
        let keys: BTreeSet<&str> = issue
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            BTreeSet::from([
                "description",
                "check_name",
                "fingerprint",
                "severity",
                "location"
            ]),
            "{issue}"
        );
        assert_eq!(issue["check_name"], d["code"], "{issue}");
        let message = d["message"].as_str().expect("message");
        let description = match d["pointer"].as_str().filter(|p| !p.is_empty()) {
            Some(pointer) => format!("{message} (at {pointer})"),
            None => message.to_string(),
        };
        assert_eq!(issue["description"], description.as_str());
        let severity = match d["severity"].as_str() {
            Some("error") => "major",
            Some("warning") => "minor",
            other => panic!("severity {other:?}"),
        };
        assert_eq!(issue["severity"], severity, "{issue}");
        assert_eq!(issue["location"]["path"], d["path"], "{issue}");
        let begin = d["line"].as_u64().unwrap_or(1);
        assert_eq!(issue["location"]["lines"]["begin"], begin, "{issue}");
        assert_eq!(
            issue["location"]["lines"]["end"],
            d["end_line"].as_u64().unwrap_or(begin),
            "{issue}"
        );
        let fingerprint = issue["fingerprint"].as_str().expect("fingerprint");
        assert!(is_fingerprint(fingerprint), "{fingerprint}");
        assert!(
            fingerprints.insert(fingerprint.to_string()),
            "GitLab drops issues with a repeated fingerprint: {fingerprint}"
        );
    }
    // Warnings are issues too, `minor` ones; a clean run is an empty array.
    assert!(issues.iter().any(|i| i["severity"] == "minor"));
    let (clean, code) = check("gitlab", &["fixtures/valid/minimal.json"]);
    assert_eq!(code, 0);
    assert_eq!(parse_json(&clean), serde_json::json!([]));
    // --quiet leaves the warnings out.
    let (quiet, _) = check("gitlab", &["--quiet", "fixtures/invalid"]);
    let quiet = parse_json(&quiet);
    let quiet = quiet.as_array().expect("array");
    assert!(!quiet.is_empty() && quiet.iter().all(|i| i["severity"] == "major"));
}

/// `--format FORMAT` of `text` saved as `dir/NAME`, run from `dir`.
fn check_text_in(dir: &Path, name: &str, text: &str, format: &str) -> Value {
    std::fs::write(dir.join(name), text).expect("write");
    let output = connlint_in(dir)
        .args(["check", "--format", format, name])
        .output()
        .expect("run");
    parse_json(output.stdout)
}

/// `(code, fingerprint)` for each problem of a report.
type Prints = Vec<(String, String)>;

/// The (code, fingerprint) pairs of a GitLab report and the SARIF log of the same text.
fn fingerprints_of(dir: &Path, text: &str) -> (Prints, Prints) {
    let gitlab = check_text_in(dir, "payload.json", text, "gitlab");
    let gitlab = gitlab
        .as_array()
        .expect("issues")
        .iter()
        .map(|i| {
            (
                i["check_name"].as_str().expect("code").to_string(),
                i["fingerprint"].as_str().expect("fingerprint").to_string(),
            )
        })
        .collect();
    let sarif = check_text_in(dir, "payload.json", text, "sarif");
    let sarif = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().expect("rule").to_string(),
                r["partialFingerprints"]["connlint/v2"]
                    .as_str()
                    .expect("partialFingerprints")
                    .to_string(),
            )
        })
        .collect();
    (gitlab, sarif)
}

#[test]
fn fingerprints_survive_edits_elsewhere_and_change_with_the_problem() {
    let dir = tempfile::tempdir().expect("tempdir");
    let before = r#"{
  "integration_type": "hubspot",
  "categories": ["crm"],
  "permissions": ["crm_contact_read", "crm_contact_read"],
  "auth": {"expires_in": "3600"}
}
"#;
    // Lines added above both problems, a value changed between them, CRLF line ends.
    let elsewhere = "{\r\n\r\n  \"integration_type\": \"salesforce\",\r\n  \"categories\": [\r\n    \"crm\"\r\n  ],\r\n  \"permissions\": [\"crm_contact_read\",\r\n    \"crm_contact_read\"],\r\n  \"auth\": {\"expires_in\": \"3600\"}\r\n}\r\n";
    let (gitlab, sarif) = fingerprints_of(dir.path(), before);
    assert_eq!(gitlab.len(), 2, "{gitlab:?}");
    assert_eq!(
        gitlab, sarif,
        "GitLab and SARIF share one fingerprint per problem"
    );
    assert_eq!(
        fingerprints_of(dir.path(), before).0,
        gitlab,
        "the same on every run"
    );
    let moved = fingerprints_of(dir.path(), elsewhere);
    assert_eq!(
        moved.0, gitlab,
        "an edit elsewhere in the file changed a fingerprint"
    );
    // An item added to a list before a problem moves its index, not its fingerprint
    // (`lint::duplicate-item` names the first copy's index in its message, so a list with
    // an unknown permission instead).
    let listed = before.replace(
        "\"crm_contact_read\", \"crm_contact_read\"",
        "\"crm_contact_reed\"",
    );
    let inserted = listed.replace(
        "\"crm_contact_reed\"",
        "\"crm_company_read\", \"crm_contact_reed\"",
    );
    let (listed_prints, _) = fingerprints_of(dir.path(), &listed);
    assert_eq!(listed_prints.len(), 2, "{listed_prints:?}");
    assert_eq!(
        fingerprints_of(dir.path(), &inserted).0,
        listed_prints,
        "an item added before the problem changed its fingerprint"
    );
    // The problem itself changed: a new fingerprint for it, the other one kept.
    let changed = fingerprints_of(dir.path(), &before.replace("\"3600\"", "\"soon\""));
    assert_eq!(changed.0.len(), 2);
    let kept: Vec<bool> = changed.0.iter().map(|p| gitlab.contains(p)).collect();
    assert_eq!(
        kept.iter().filter(|k| **k).count(),
        1,
        "{changed:?} vs {gitlab:?}"
    );
}

// ---------------------------------------------------------------------------------------
// GitHub, concise and JUnit through the binary.

#[test]
fn github_prints_error_commands_with_positions() {
    let (text, _) = check("github", &["fixtures/invalid/wrong-type.json"]);
    let first = text.lines().next().expect("a line");
    assert!(
        first.starts_with(
            "::error file=fixtures/invalid/wrong-type.json,line=5,col=16,endLine=5,endColumn=23,\
             title=schema%3A%3Atype::"
        ),
        "{text}"
    );
}

#[test]
fn github_escapes_paths_and_messages_from_real_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("odd, 100%: name.json");
    std::fs::write(
        &path,
        r#"{"integration_type": "hubspot", "categories": ["50%, a:b"], "permissions": ["crm_contact_read"]}"#,
    )
    .expect("write");
    let (text, code) = check("github", &[path.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{text}");
    let command = text.lines().next().expect("a command");
    let expected_file = path
        .to_str()
        .expect("utf-8")
        .replace('%', "%25")
        .replace(':', "%3A")
        .replace(',', "%2C");
    assert!(
        command.starts_with(&format!("::error file={expected_file},line=1,col=48,")),
        "{command}"
    );
    // In the message only `%` (and newlines) are encoded.
    assert!(
        command.contains(r#"found the string "50%25, a:b""#),
        "{command}"
    );
}

#[test]
fn concise_prints_path_line_column_lines() {
    let (text, code) = check("concise", &["fixtures/invalid"]);
    assert_eq!(code, 1);
    let (json, _) = check("json", &["fixtures/invalid"]);
    let json = parse_json(&json);
    let diagnostics = json["diagnostics"].as_array().expect("diagnostics");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        diagnostics.len() + 1,
        "one line each + summary"
    );
    for (line, d) in lines.iter().zip(diagnostics) {
        let prefix = format!(
            "{}:{}:{}: {}[{}] {}",
            d["path"].as_str().expect("path"),
            d["line"],
            d["column"],
            d["severity"].as_str().expect("severity"),
            d["code"].as_str().expect("code"),
            d["message"].as_str().expect("message"),
        );
        assert!(
            line.starts_with(&prefix),
            "{line}\n  does not start with\n{prefix}"
        );
        assert_eq!(line.ends_with(" [*]"), d["fix"].is_object(), "{line}");
    }
    assert!(lines.last().expect("summary").starts_with("Checked "));
}

#[test]
fn junit_has_a_testcase_per_file_and_a_failure_per_invalid_file() {
    let (text, code) = check("junit", &["fixtures/valid", "fixtures/invalid"]);
    assert_eq!(code, 1);
    let xml = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}:\n{text}"));
    let suites: Vec<_> = xml
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 1, "one testsuite");
    let suite = suites[0];

    let files = |dir: &str| -> BTreeSet<String> {
        std::fs::read_dir(repo().join(dir))
            .expect("fixture dir")
            .map(|e| format!("{dir}/{}", e.expect("entry").file_name().to_string_lossy()))
            .collect()
    };
    let valid = files("fixtures/valid");
    let invalid = files("fixtures/invalid");

    let (json, _) = check("json", &["fixtures/valid", "fixtures/invalid"]);
    let json = parse_json(&json);
    let mut with_errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in json["diagnostics"].as_array().expect("diagnostics") {
        if d["severity"] == "error" {
            with_errors
                .entry(d["path"].as_str().expect("path").to_string())
                .or_default();
        }
    }
    let (concise, _) = check("concise", &["fixtures/valid", "fixtures/invalid"]);
    for line in concise.lines() {
        if let Some(path) = line.split(':').next() {
            if let Some(lines) = with_errors.get_mut(path) {
                lines.push(line.to_string());
            }
        }
    }

    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let names: BTreeSet<String> = cases
        .iter()
        .map(|c| c.attribute("name").expect("name").to_string())
        .collect();
    assert_eq!(cases.len(), names.len(), "one testcase per file");
    let all: BTreeSet<String> = valid.union(&invalid).cloned().collect();
    assert_eq!(names, all, "every file checked is a testcase");
    assert_eq!(
        suite.attribute("tests"),
        Some(all.len().to_string().as_str())
    );
    assert_eq!(
        suite.attribute("failures"),
        Some(with_errors.len().to_string().as_str())
    );

    for case in cases {
        let name = case.attribute("name").expect("name");
        let failure = case.children().find(|n| n.has_tag_name("failure"));
        match with_errors.get(name) {
            Some(lines) => {
                let failure = failure.unwrap_or_else(|| panic!("{name} has no failure"));
                let expected: String = lines.iter().map(|l| format!("{l}\n")).collect();
                assert_eq!(failure.text(), Some(expected.as_str()), "{name}");
                assert!(
                    invalid.contains(name),
                    "{name} is a valid fixture but failed"
                );
            }
            None => assert!(failure.is_none(), "{name} passed but has a failure"),
        }
    }
    assert!(
        with_errors.len() >= invalid.len() / 2,
        "most invalid fixtures have errors: {with_errors:?}"
    );
}

// ---------------------------------------------------------------------------------------
// Order, duplicates and the terminal options.

#[test]
fn output_order_does_not_depend_on_argument_order_and_duplicates_count_once() {
    let a = "fixtures/invalid/wrong-type.json";
    let b = "fixtures/invalid/several-defects.json";
    let (forward, _) = check("concise", &[a, b]);
    let (backward, _) = check("concise", &[b, a]);
    assert_eq!(forward, backward);
    let (twice, _) = check(
        "json",
        &[
            a,
            "./fixtures/invalid/wrong-type.json",
            a,
            "fixtures/invalid",
        ],
    );
    let twice = parse_json(&twice);
    let (once, _) = check("json", &["fixtures/invalid"]);
    let once = parse_json(&once);
    assert_eq!(twice["summary"], once["summary"], "each file checked once");
    let paths: Vec<&str> = twice["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["path"].as_str())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort_unstable();
    assert_eq!(paths, sorted, "sorted by path");
}

#[test]
fn output_writes_the_report_to_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = dir.path().join("report.sarif");
    let output = connlint()
        .args(["check", "--format", "sarif", "--output"])
        .arg(&report)
        .arg("fixtures/invalid")
        .output()
        .expect("run");
    assert_eq!(
        output.status.code(),
        Some(1),
        "exit code as without --output"
    );
    assert!(output.stdout.is_empty(), "nothing on stdout");
    let (stdout_report, _) = check("sarif", &["fixtures/invalid"]);
    let written = std::fs::read_to_string(&report).expect("report written");
    assert_eq!(written, stdout_report);

    let nowhere = dir.path().join("no/such/dir/report.json");
    let output = connlint()
        .args(["check", "--output"])
        .arg(&nowhere)
        .arg("fixtures/valid")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("report.json"), "names the file: {stderr}");
}

#[test]
fn output_to_a_file_is_never_coloured() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = dir.path().join("report.txt");
    connlint()
        .args(["check", "--color", "auto", "--output"])
        .arg(&report)
        .arg("fixtures/invalid/wrong-type.json")
        .assert()
        .code(1);
    let written = std::fs::read_to_string(&report).expect("written");
    assert!(written.contains("schema::type") && !written.contains('\u{1b}'));
}

/// The run's error and warning counts, from the JSON summary.
fn json_counts(args: &[&str]) -> (u64, u64) {
    let (text, _) = check("json", args);
    let json = parse_json(&text);
    (
        json["summary"]["errors"].as_u64().expect("errors"),
        json["summary"]["warnings"].as_u64().expect("warnings"),
    )
}

#[test]
fn quiet_prints_only_errors_and_the_summary() {
    let args = ["fixtures/invalid", "fixtures/valid"];
    let (errors, warnings) = json_counts(&args);
    for format in ["concise", "github", "json", "human"] {
        let (loud, _) = check(format, &args);
        let mut quiet_args = vec!["--quiet"];
        quiet_args.extend_from_slice(&args);
        let (quiet, _) = check(format, &quiet_args);
        let last = |t: &str| t.lines().last().unwrap_or("").to_string();
        if format != "json" {
            assert_eq!(last(&quiet), last(&loud), "same summary ({format})");
        }
        match format {
            "concise" => {
                assert_eq!(quiet.lines().count() as u64, errors + 1);
                assert!(!quiet.contains(": warning["));
            }
            "github" => assert!(!quiet.contains("::warning ")),
            "json" => {
                let json = parse_json(&quiet);
                let shown = json["diagnostics"].as_array().expect("diagnostics");
                assert!(shown.iter().all(|d| d["severity"] == "error"));
                assert_eq!(shown.len() as u64, errors);
                assert_eq!(json["summary"]["warnings"].as_u64(), Some(warnings));
            }
            _ => assert!(!quiet.contains("\n  ⚠ ")),
        }
        if warnings > 0 {
            assert_ne!(loud, quiet, "--quiet changed nothing for {format}");
        }
    }
}

#[test]
fn statistics_count_each_code_after_the_report() {
    let args = ["--statistics", "fixtures/invalid"];
    let (json, _) = check("json", &["fixtures/invalid"]);
    let json = parse_json(&json);
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for d in json["diagnostics"].as_array().expect("diagnostics") {
        *counts
            .entry(d["code"].as_str().expect("code").to_string())
            .or_default() += 1;
    }
    for format in ["human", "concise"] {
        let (text, _) = check(format, &args);
        let (plain, _) = check(format, &["fixtures/invalid"]);
        let tail = text.strip_prefix(&plain).unwrap_or_else(|| {
            panic!("--statistics changed the report itself ({format}):\n{text}")
        });
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for line in tail.lines() {
            let mut fields = line.split_whitespace();
            let count: usize = fields.next().expect("count").parse().expect("a number");
            let code = fields.next().expect("code").to_string();
            *seen.entry(code).or_default() += count;
        }
        assert_eq!(seen, counts, "{format}:\n{tail}");
    }
    // Machine formats stay parseable.
    let (json_stats, _) = check("json", &args);
    parse_json(&json_stats);
}

#[test]
fn completions_are_printed_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let output = connlint()
            .args(["completions", shell])
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(output.stdout).expect("UTF-8");
        assert!(
            script.contains("connlint") && script.contains("check") && script.contains("format"),
            "{shell} completion lacks the command or its options"
        );
    }
    connlint().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn the_progress_bar_never_reaches_a_pipe() {
    // More files than the progress threshold, stderr a pipe: nothing on stderr.
    let dir = tempfile::tempdir().expect("tempdir");
    let count = connlint::progress::FILES_THRESHOLD + 1;
    for i in 0..count {
        std::fs::write(
            dir.path().join(format!("{i:05}.json")),
            r#"{"integration_type": "hubspot", "categories": ["crm"], "permissions": ["crm_contact_read"]}"#,
        )
        .expect("write");
    }
    let output = connlint()
        .args(["check", "--format", "concise"])
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0));
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout, format!("Checked {count} files: no problems.\n"));
}
