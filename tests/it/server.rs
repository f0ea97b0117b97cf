//! `connlint server` driven over stdio as an editor would: Content-Length framed JSON-RPC to
//! the real binary. Exact ranges in UTF-16, UTF-8 and UTF-32; the same diagnostics as
//! `connlint check`; code actions applied; hover; completion; secrets never sent; malformed
//! documents and requests; cancellation; configuration; shutdown and exit.
//!
//! Timeouts here only keep a broken server from hanging the suite; nothing is timed.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(60);

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Every message received that the test has not consumed yet.
    backlog: Vec<Value>,
    /// Every byte the server wrote, for the secrets test.
    transcript: Arc<Mutex<Vec<u8>>>,
    next_id: i64,
    encoding: String,
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn uri_of(path: &Path) -> String {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        manifest_dir().join(path)
    };
    format!("file://{}", absolute.display())
}

impl Client {
    /// Starts the server and initialises it, offering `encodings` (none: the default).
    fn start(encodings: Option<&[&str]>) -> Self {
        Self::start_with(encodings, json!({}))
    }

    fn start_with(encodings: Option<&[&str]>, workspace: Value) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_connlint"))
            .arg("server")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start connlint server");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let transcript = Arc::new(Mutex::new(Vec::new()));
        let (tx, messages) = std::sync::mpsc::channel();
        let sink = Arc::clone(&transcript);
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("Content-Length header")];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                sink.lock().expect("transcript").extend_from_slice(&body);
                let value: Value = serde_json::from_slice(&body).expect("server sent JSON");
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            messages,
            backlog: Vec::new(),
            transcript,
            next_id: 0,
            encoding: String::new(),
        };
        let mut capabilities = json!({"workspace": workspace});
        if let Some(encodings) = encodings {
            capabilities["general"] = json!({ "positionEncodings": encodings });
        }
        let result = client.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities}),
        );
        client.encoding = result["result"]["capabilities"]["positionEncoding"]
            .as_str()
            .expect("positionEncoding")
            .to_string();
        client.notify("initialized", json!({}));
        client
    }

    fn write(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).expect("json");
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).expect("write");
        self.stdin.write_all(&body).expect("write");
        self.stdin.flush().expect("flush");
    }

    /// Writes `bytes` as they are: frames that a correct client would never send.
    fn write_raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.write(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.write(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.wait_for(|m| m["id"] == json!(id) && m.get("method").is_none())
    }

    /// The first message (already received or to come) that satisfies `pred`.
    fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(m) if pred(&m) => return m,
                Ok(m) => self.backlog.push(m),
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no such message; got {:#?}", self.backlog)
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the server closed its output; got {:#?}", self.backlog)
                }
            }
        }
    }

    /// The diagnostics published for `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let m = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == json!(version)
        });
        m["params"]["diagnostics"]
            .as_array()
            .expect("array")
            .clone()
    }

    fn open(&mut self, uri: &str, text: &str, version: i64) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "json", "version": version, "text": text}}),
        );
    }

    fn shutdown_and_exit(&mut self) -> Option<i32> {
        let answer = self.request("shutdown", Value::Null);
        assert_eq!(answer["result"], Value::Null, "{answer}");
        assert!(answer.get("error").is_none(), "{answer}");
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    fn wait_exit(&mut self) -> Option<i32> {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code();
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn transcript(&self) -> String {
        String::from_utf8_lossy(&self.transcript.lock().expect("transcript")).into_owned()
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `(line, character)` of byte `offset` in `text`, counting the way `encoding` does: the
/// test's own, obvious arithmetic, to check the server's.
fn position(text: &str, offset: usize, encoding: &str) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_text = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let character = match encoding {
        "utf-8" => line_text.len(),
        "utf-16" => line_text.encode_utf16().count(),
        _ => line_text.chars().count(),
    };
    json!({"line": line, "character": character})
}

/// The byte offset of an LSP position (the inverse of [`position`]).
fn offset(text: &str, position: &Value, encoding: &str) -> usize {
    let line = position["line"].as_u64().expect("line") as usize;
    let character = position["character"].as_u64().expect("character") as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character || c == '\n' {
            return start + i;
        }
        units += match encoding {
            "utf-8" => c.len_utf8(),
            "utf-16" => c.len_utf16(),
            _ => 1,
        };
    }
    text.len()
}

/// Applies LSP text edits (non-overlapping) to `text`.
fn apply_edits(text: &str, edits: &[Value], encoding: &str) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"], encoding),
                offset(text, &e["range"]["end"], encoding),
                e["newText"].as_str().expect("newText").to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (start, end, new) in spans {
        out.replace_range(start..end, &new);
    }
    out
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().expect("code").to_string())
        .collect()
}

#[test]
fn initialize_negotiates_the_position_encoding() {
    for (offered, chosen) in [
        (None, "utf-16"),
        (Some(&["utf-8", "utf-16"][..]), "utf-8"),
        (Some(&["utf-32"][..]), "utf-32"),
        (Some(&["utf-7", "utf-16"][..]), "utf-16"),
    ] {
        let mut client = Client::start(offered);
        assert_eq!(client.encoding, chosen, "{offered:?}");
        assert_eq!(client.shutdown_and_exit(), Some(0));
    }
}

#[test]
fn capabilities_are_the_ones_the_server_has() {
    let mut client = Client::start(None);
    // A second initialize is refused; a method the server does not have is not found.
    let again = client.request("initialize", json!({"capabilities": {}}));
    assert_eq!(again["error"]["code"], json!(-32600), "{again}");
    let unknown = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": "file:///x.json"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(unknown["error"]["code"], json!(-32601), "{unknown}");
    assert_eq!(client.shutdown_and_exit(), Some(0));
}

#[test]
fn exit_without_shutdown_is_code_1_and_requests_after_shutdown_are_refused() {
    let mut client = Client::start(None);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit(), Some(1));

    let mut client = Client::start(None);
    assert_eq!(
        client.request("shutdown", Value::Null)["result"],
        Value::Null
    );
    let late = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///x.json"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(late["error"]["code"], json!(-32600), "{late}");
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit(), Some(0));
}

/// An emoji (two UTF-16 units, four bytes) and CJK (one unit, three bytes each) before the
/// error on the same line.
const WIDE: &str = "{\"integration_type\": \"😀漢字\", \"categories\": [\"crm\"], \"permissions\": [\"crm_contact_read\"], \"isPaused\": true}\n";

#[test]
fn ranges_land_on_the_same_character_in_every_encoding() {
    let key = WIDE.find("\"isPaused\"").expect("key");
    // Written out, not computed: the key starts after 88 characters, 89 UTF-16 units
    // (the emoji counts two) and 95 bytes (the emoji four, each CJK character three).
    let expected = [("utf-16", 89), ("utf-8", 95), ("utf-32", 88)];
    for (encoding, start) in expected {
        let mut client = Client::start(Some(&[encoding]));
        assert_eq!(client.encoding, encoding);
        let uri = "file:///tmp/connlint-wide.json";
        client.open(uri, WIDE, 1);
        let diagnostics = client.diagnostics(uri, 1);
        assert_eq!(codes(&diagnostics), vec!["lint::sdk-casing"]);
        let range = &diagnostics[0]["range"];
        assert_eq!(
            *range,
            json!({"start": {"line": 0, "character": start}, "end": {"line": 0, "character": start + 10}}),
            "{encoding}"
        );
        assert_eq!(range["start"], position(WIDE, key, encoding));
        assert_eq!(client.shutdown_and_exit(), Some(0));
    }
}

/// The CLI's diagnostics of `path`, as `(code, line, column, end line, end column)`, 0-based
/// (CLI columns count characters, as UTF-32 positions do).
fn cli_places(path: &Path) -> Vec<(String, u64, u64, u64, u64)> {
    let output = Command::new(env!("CARGO_BIN_EXE_connlint"))
        .current_dir(manifest_dir())
        .args(["check", "--format", "json"])
        .arg(path)
        .output()
        .expect("run check");
    let report: Value = serde_json::from_slice(&output.stdout).expect("json report");
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let n = |k: &str| d[k].as_u64().map_or(0, |v| v - 1);
            (
                d["code"].as_str().expect("code").to_string(),
                n("line"),
                n("column"),
                n("end_line"),
                n("end_column"),
            )
        })
        .collect()
}

fn server_places(diagnostics: &[Value]) -> Vec<(String, u64, u64, u64, u64)> {
    diagnostics
        .iter()
        .map(|d| {
            let r = &d["range"];
            let n = |p: &str, k: &str| r[p][k].as_u64().expect("number");
            (
                d["code"].as_str().expect("code").to_string(),
                n("start", "line"),
                n("start", "character"),
                n("end", "line"),
                n("end", "character"),
            )
        })
        .collect()
}

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(manifest_dir().join(dir))
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    paths
}

#[test]
fn every_fixture_gets_the_diagnostics_connlint_check_gives_at_the_same_places() {
    let mut client = Client::start(Some(&["utf-32"]));
    let mut compared = 0;
    for path in fixtures("fixtures/invalid")
        .into_iter()
        .chain(fixtures("fixtures/valid"))
    {
        // An editor decodes a file that is not UTF-8 before sending it; it cannot be sent
        // as it is on disk.
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let uri = uri_of(&path);
        client.open(&uri, &text, 1);
        let diagnostics = client.diagnostics(&uri, 1);
        assert_eq!(
            server_places(&diagnostics),
            cli_places(&path),
            "{}",
            path.display()
        );
        for d in &diagnostics {
            assert!(d["codeDescription"]["href"]
                .as_str()
                .is_some_and(|h| h.contains('#')));
            assert!(d["severity"] == json!(1) || d["severity"] == json!(2));
        }
        compared += 1;
    }
    assert!(compared > 30, "{compared}");
    assert_eq!(client.shutdown_and_exit(), Some(0));
}

#[test]
fn a_quick_fix_renames_a_camel_case_key_and_the_change_clears_the_diagnostic() {
    let mut client = Client::start(None);
    let path = manifest_dir().join("fixtures/invalid/lint-sdk-casing.json");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let uri = "file:///tmp/connlint-quickfix.json";
    client.open(uri, &text, 1);
    let diagnostics = client.diagnostics(uri, 1);
    let casing = diagnostics
        .iter()
        .find(|d| {
            d["code"] == "lint::sdk-casing"
                && d["message"]
                    .as_str()
                    .unwrap_or("")
                    .contains("integrationType")
        })
        .expect("sdk-casing diagnostic")
        .clone();
    let answer = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": casing["range"], "context": {"diagnostics": [casing]}}),
    );
    let actions = answer["result"].as_array().expect("actions");
    let quickfix = actions
        .iter()
        .find(|a| a["kind"] == "quickfix" && a["diagnostics"][0]["range"] == casing["range"])
        .expect("a quick fix for it");
    assert_eq!(quickfix["isPreferred"], json!(true));
    let edits = quickfix["edit"]["changes"][uri].as_array().expect("edits");
    let fixed = apply_edits(&text, edits, "utf-16");
    assert_eq!(
        fixed,
        text.replacen("\"integrationType\"", "\"integration_type\"", 1)
    );

    // The client applies the edit and tells the server, incrementally.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": edits.iter().map(|e| json!({"range": e["range"], "text": e["newText"]})).collect::<Vec<_>>()}),
    );
    let after = client.diagnostics(uri, 2);
    assert!(
        !after.iter().any(|d| d["message"]
            .as_str()
            .unwrap_or("")
            .contains("integrationType")),
        "{after:?}"
    );
    assert!(
        !codes(&after).contains(&"schema::required".to_string()),
        "{after:?}"
    );
    assert_eq!(client.shutdown_and_exit(), Some(0));
}

#[test]
fn fix_all_gives_the_bytes_connlint_check_fix_gives() {
    let mut client = Client::start(Some(&["utf-8"]));
    let mut checked = 0;
    for before in fixtures("fixtures/fix") {
        let name = before
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        // Unsafe fixes are never part of fix-all (`--fix` without `--unsafe-fixes`).
        if !name.contains(".before.") || name.starts_with("unsafe-") {
            continue;
        }
        let after =
            std::fs::read_to_string(before.with_file_name(name.replace(".before.", ".after.")))
                .expect("after");
        let text = std::fs::read_to_string(&before).expect("before");
        let uri = format!("file:///tmp/connlint-fixall-{name}");
        client.open(&uri, &text, 1);
        let answer = client.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
        );
        let actions = answer["result"].as_array().expect("actions");
        if after == text {
            // Nothing to fix (a rename that would clash): no action is offered.
            assert_eq!(actions.len(), 0, "{name}: {actions:?}");
            continue;
        }
        assert_eq!(actions.len(), 1, "{name}: {actions:?}");
        assert_eq!(actions[0]["kind"], "source.fixAll.connlint", "{name}");
        let edits = actions[0]["edit"]["changes"][&uri]
            .as_array()
            .expect("edits");
        assert_eq!(apply_edits(&text, edits, "utf-8"), after, "{name}");
        checked += 1;
    }
    assert!(checked >= 5, "{checked}");
    assert_eq!(client.shutdown_and_exit(), Some(0));
}

#[test]
fn unsafe_fixes_are_offered_labelled_and_not_preferred() {
    let mut client = Client::start(None);
    let text = std::fs::read_to_string(
        manifest_dir().join("fixtures/fix/unsafe-string-scalars.before.json"),
    )
    .expect("fixture");
    let uri = "file:///tmp/connlint-unsafe.json";
    client.open(uri, &text, 1);
    client.diagnostics(uri, 1);
    let lines = text.lines().count();
    let answer = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": lines, "character": 0}}, "context": {"diagnostics": []}}),
    );
    let actions = answer["result"].as_array().expect("actions");
    let unsafe_fixes: Vec<&Value> = actions.iter().filter(|a| a["kind"] == "quickfix").collect();
    assert!(!unsafe_fixes.is_empty());
    for action in unsafe_fixes {
        assert_eq!(action["isPreferred"], json!(false));
        assert!(
            action["title"]
                .as_str()
                .is_some_and(|t| t.contains("unsafe")),
            "{action}"
        );
    }
    assert!(
        !actions
            .iter()
            .any(|a| a["kind"] == "source.fixAll.connlint"),
        "{actions:?}"
    );
    assert_eq!(client.shutdown_and_exit(), Some(0));
}

/// The committed schema of the latest model, which completion offers the values of.
fn parse_committed_schema() -> Value {
    let text = std::fs::read_to_string(manifest_dir().join("schemas/connection.schema.json"))
        .expect("committed schema");
    serde_json::from_str(&text).expect("JSON")
}

fn hover_text(
    client: &mut Client,
    uri: &str,
    text: &str,
    needle: &str,
    into: usize,
) -> Option<String> {
    let at = text.find(needle).expect("needle") + into;
    let answer = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position(text, at, &client.encoding.clone())}),
    );
    answer["result"]["contents"]["value"]
        .as_str()
        .map(str::to_string)
}

#[test]
fn hover_and_completion_read_the_model() {
    let mut client = Client::start(None);
    let text = "{\n  \"integration_type\": \"hubspot\",\n  \"categories\": [\"crm\"],\n  \"permissions\": [\"crm_contact_read\", \"\"],\n  \"auth\": {\"expiresIn\": 3600}\n}\n";
    let uri = "file:///tmp/connlint-assist.json";
    client.open(uri, text, 1);
    let key = hover_text(&mut client, uri, text, "\"categories\"", 3).expect("hover on a key");
    assert!(
        key.contains("**`categories`** · `array of Category` · required"),
        "{key}"
    );
    assert!(
        key.contains("The Integration categories that this connection supports."),
        "{key}"
    );
    let sdk = hover_text(&mut client, uri, text, "expiresIn", 2).expect("hover on an SDK key");
    assert!(
        sdk.contains("`expires_in`") && sdk.contains("SDK's spelling"),
        "{sdk}"
    );
    let value =
        hover_text(&mut client, uri, text, "crm_contact_read", 2).expect("hover on a permission");
    assert!(
        value.contains("Read access to `contact` objects of the `crm` category"),
        "{value}"
    );
    // On a value: what its key is.
    let on_value = hover_text(&mut client, uri, text, "\"hubspot\"", 1).expect("hover on a value");
    assert!(
        on_value.starts_with("**`integration_type`** · `string` · required"),
        "{on_value}"
    );
    assert_eq!(
        hover_text(&mut client, uri, text, "3600", 1).map(|h| h.starts_with("**`expires_in`**")),
        Some(true)
    );

    // Inside `permissions`, in the empty string.
    let at = text.find("\"\"]").expect("empty item") + 1;
    let answer = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position(text, at, "utf-16")}),
    );
    let mut items = answer["result"]["items"].as_array().expect("items").clone();
    items.sort_by(|a, b| a["sortText"].as_str().cmp(&b["sortText"].as_str()));
    let labels: Vec<&str> = items.iter().filter_map(|i| i["label"].as_str()).collect();
    assert!(
        labels.contains(&"crm_contact_write") && labels.contains(&"ats_job_read"),
        "{labels:?}"
    );
    assert!(!labels.contains(&"crm_contact_read"), "already listed");
    assert!(
        labels[0].starts_with("crm_"),
        "the listed category's permissions first: {labels:?}"
    );
    let schema = parse_committed_schema();
    let permissions = schema["definitions"]["Permission"]["enum"]
        .as_array()
        .map_or(0, Vec::len);
    assert!(permissions > 1, "the schema lists the permissions");
    assert_eq!(
        labels.len(),
        permissions - 1,
        "every current permission but the one listed"
    );
    // Inside `auth`: its keys that are not there yet.
    let at = text.find("{\"expiresIn\"").expect("auth") + 1;
    let answer = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position(text, at, "utf-16")}),
    );
    let labels: Vec<&str> = answer["result"]["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(
        labels.contains(&"access_token") && labels.contains(&"refresh_token"),
        "{labels:?}"
    );
    assert_eq!(client.shutdown_and_exit(), Some(0));
}

/// Every secret value of the fixtures, as the CLI's redaction finds them (long enough to
/// be unmistakable in a transcript).
///
/// In a broken document the redaction hides every string after the break, keys included;
/// the model's own names (which hover and completion are there to show) are not secrets.
fn secret_values(text: &str) -> Vec<String> {
    let schema = std::fs::read_to_string(manifest_dir().join("schemas/connection.schema.json"))
        .expect("schema");
    let spans = connlint::redact::secret_spans(text);
    spans
        .iter()
        .map(|s| text[s.start..s.end].to_string())
        .filter(|v| v.chars().count() >= 6 && !schema.contains(&format!("\"{v}\"")))
        .collect()
}

#[test]
fn no_secret_from_any_fixture_appears_in_any_server_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The secret rule on, so its diagnostics and code actions are exercised too.
    std::fs::write(
        dir.path().join("connlint.toml"),
        "[rules]\n\"lint::plaintext-secret\" = \"warning\"\n",
    )
    .expect("config");
    let mut client = Client::start(None);
    let mut secrets = Vec::new();
    let mut requests = 0;
    for path in fixtures("fixtures/invalid")
        .into_iter()
        .chain(fixtures("fixtures/valid"))
        .chain(fixtures("fixtures/fix"))
    {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let found = secret_values(&text);
        secrets.extend(found);
        let file = dir.path().join(path.file_name().expect("name"));
        let uri = uri_of(&file);
        client.open(&uri, &text, 1);
        client.diagnostics(&uri, 1);
        // Hover and completion at every character boundary of every line start and token.
        let offsets: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .step_by(3)
            .chain([text.len()])
            .collect();
        for at in offsets {
            let p = position(&text, at, "utf-16");
            for method in ["textDocument/hover", "textDocument/completion"] {
                let answer =
                    client.request(method, json!({"textDocument": {"uri": uri}, "position": p}));
                assert!(answer.get("error").is_none(), "{answer}");
                requests += 1;
            }
        }
        let lines = text.lines().count() + 1;
        let answer = client.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": lines, "character": 0}}, "context": {"diagnostics": []}}),
        );
        assert!(answer.get("error").is_none(), "{answer}");
        // A request with broken parameters: the error must not echo them.
        let answer = client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": text}),
        );
        assert_eq!(answer["error"]["code"], json!(-32602));
        requests += 2;
    }
    assert!(secrets.len() >= 5, "{secrets:?}");
    assert!(requests > 500, "{requests}");
    assert_eq!(client.shutdown_and_exit(), Some(0));
    let transcript = client.transcript();
    for secret in &secrets {
        let escaped = serde_json::to_string(secret).expect("json");
        let leak = transcript
            .find(secret.as_str())
            .or_else(|| transcript.find(&escaped[1..escaped.len() - 1]));
        if let Some(at) = leak {
            // The surroundings, with the secret itself left out, to find what sent it.
            let from = transcript[..at]
                .char_indices()
                .rev()
                .nth(300)
                .map_or(0, |(i, _)| i);
            panic!(
                "a secret value ({} characters) was sent to the client, after: {}",
                secret.chars().count(),
                &transcript[from..at]
            );
        }
    }
}

#[test]
fn malformed_half_typed_huge_and_binary_documents_never_take_the_server_down() {
    let mut client = Client::start(Some(&["utf-8"]));
    let mut documents: Vec<String> = vec![
        String::new(),
        "{".to_string(),
        "{\"permissions\": [\"crm_".to_string(),
        "\u{0}\u{1}\u{2}\u{ffff}\u{7f}".to_string(),
        "[".repeat(100_000),
        "{\"a\":".repeat(50_000),
        "\"\\".to_string(),
        "{\"auth\": \"Bearer abc\"}".to_string(),
        "😀".repeat(10_000),
        "\r\r\n\n\r".to_string(),
    ];
    // About 1 MB of Connections with errors in them (36,000 diagnostics).
    let item = "{\"integrationType\": \"x\", \"categories\": [\"crm\"], \"permissions\": [\"crm_contact_reed\"]}";
    documents.push(format!("[{}]", vec![item; 12_000].join(",\n")));
    for (i, text) in documents.iter().enumerate() {
        let uri = format!("file:///tmp/connlint-hostile-{i}.json");
        client.open(&uri, text, 1);
        client.diagnostics(&uri, 1);
        let end = position(text, text.len(), "utf-8");
        for p in [
            json!({"line": 0, "character": 0}),
            end,
            json!({"line": 1_000_000, "character": 4_000_000_000u64}),
            json!({"line": 0, "character": 3}),
        ] {
            for method in ["textDocument/hover", "textDocument/completion"] {
                let answer =
                    client.request(method, json!({"textDocument": {"uri": uri}, "position": p}));
                assert!(answer.get("error").is_none(), "{method} {answer}");
            }
        }
        let answer = client.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}}, "context": {"diagnostics": []}}),
        );
        assert!(answer.get("error").is_none(), "{answer}");
        // A change whose range is past the end, and one that is backwards.
        client.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 99, "character": 9}, "end": {"line": 0, "character": 0}}, "text": "}"},
            {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 2}}, "text": "😀"}
        ]}));
        client.diagnostics(&uri, 2);
        client.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
    }
    // Requests and notifications that make no sense.
    for (method, params) in [
        ("textDocument/hover", json!(null)),
        (
            "textDocument/hover",
            json!({"textDocument": {"uri": "file:///never-opened.json"}, "position": {"line": 0, "character": 0}}),
        ),
        ("textDocument/codeAction", json!([1, 2])),
        (
            "textDocument/completion",
            json!({"textDocument": {"uri": 5}}),
        ),
    ] {
        let answer = client.request(method, params);
        assert!(
            answer.get("result").is_some() || answer["error"]["code"] == json!(-32602),
            "{answer}"
        );
    }
    client.notify("textDocument/didChange", json!({"nonsense": true}));
    client.notify("textDocument/didOpen", json!(42));
    let log = client.wait_for(|m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|s| s.contains("didOpen"))
    });
    assert_eq!(log["params"]["type"], json!(2));
    assert_eq!(client.shutdown_and_exit(), Some(0));
}

#[test]
fn a_cancelled_request_gets_exactly_one_answer() {
    let mut client = Client::start(None);
    let big = format!("[{}]", vec!["{\"a\": 1}"; 300_000].join(","));
    client.open("file:///tmp/connlint-cancel.json", &big, 1);
    // Sent back to back while the server is busy storing the large document: the cancel is
    // queued with its request, which is then answered with RequestCancelled. The answer is
    // either that or the result (the specification allows both); never none, never two.
    let id = client.send_request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///tmp/connlint-cancel.json"}, "position": {"line": 0, "character": 3}}),
    );
    client.notify("$/cancelRequest", json!({"id": id}));
    let answer = client.wait_for(|m| m["id"] == json!(id));
    assert!(
        answer.get("result").is_some() || answer["error"]["code"] == json!(-32800),
        "{answer}"
    );
    // A cancellation of something already answered is ignored.
    client.notify("$/cancelRequest", json!({"id": id}));
    client.notify("$/cancelRequest", json!({"id": "no-such-request"}));
    let next = client.request("shutdown", Value::Null);
    assert_eq!(next["result"], Value::Null);
    assert!(
        !client.backlog.iter().any(|m| m["id"] == json!(id)),
        "a second answer"
    );
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit(), Some(0));
}

#[test]
fn the_configured_model_is_the_one_documents_are_checked_against() {
    // `messaging` was added on 2024-05-22: valid today, unknown in the model of 2023-11-07.
    let text = concat!(
        "{\"integration_type\": \"x\", \"categories\": [\"messaging\"], ",
        "\"permissions\": [\"messaging_message_read\"]}\n"
    );
    let today = tempfile::tempdir().expect("tempdir");
    let pinned = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        pinned.path().join("connlint.toml"),
        "model = \"2023-11-07\"\n",
    )
    .expect("config");
    let mut client = Client::start(None);
    let latest = uri_of(&today.path().join("a.json"));
    client.open(&latest, text, 1);
    assert_eq!(codes(&client.diagnostics(&latest, 1)), Vec::<String>::new());
    let old = uri_of(&pinned.path().join("a.json"));
    client.open(&old, text, 1);
    let diagnostics = client.diagnostics(&old, 1);
    assert!(
        codes(&diagnostics).iter().all(|c| c == "schema::enum") && diagnostics.len() == 2,
        "{diagnostics:?}"
    );
    assert!(
        diagnostics[0]["message"].to_string().contains("2024-05-22")
            || diagnostics
                .iter()
                .any(|d| d.to_string().contains("2024-05-22")),
        "{diagnostics:?}"
    );
    client.shutdown_and_exit();
}

#[test]
fn connlint_toml_levels_and_excludes_apply_and_reload_when_it_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("connlint.toml");
    std::fs::write(
        &config,
        "exclude = [\"legacy/**\"]\n[rules]\n\"lint::unknown-key\" = \"off\"\n",
    )
    .expect("config");
    std::fs::create_dir(dir.path().join("legacy")).expect("mkdir");
    let text = "{\"integration_type\": \"x\", \"categories\": [\"crm\"], \"permissions\": [\"crm_contact_read\"], \"colour\": 1}\n";
    let mut client = Client::start_with(
        None,
        json!({"didChangeWatchedFiles": {"dynamicRegistration": true}}),
    );
    // The server asks to be told about configuration files.
    let registration = client.wait_for(|m| m["method"] == "client/registerCapability");
    assert_eq!(
        registration["params"]["registrations"][0]["method"],
        "workspace/didChangeWatchedFiles"
    );
    let registration_id = registration["id"].clone();
    client.write(&json!({"jsonrpc": "2.0", "id": registration_id, "result": null}));

    let uri = uri_of(&dir.path().join("a.json"));
    client.open(&uri, text, 1);
    assert_eq!(codes(&client.diagnostics(&uri, 1)), Vec::<String>::new());
    let excluded = uri_of(&dir.path().join("legacy/b.json"));
    client.open(&excluded, "{", 1);
    assert_eq!(client.diagnostics(&excluded, 1), Vec::<Value>::new());

    std::fs::write(&config, "[rules]\n\"lint::unknown-key\" = \"error\"\n").expect("config");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(&config), "type": 2}]}),
    );
    let diagnostics = client.diagnostics(&uri, 1);
    assert_eq!(codes(&diagnostics), vec!["lint::unknown-key"]);
    assert_eq!(diagnostics[0]["severity"], json!(1));
    assert_eq!(
        codes(&client.diagnostics(&excluded, 1)),
        vec!["json::syntax"]
    );

    std::fs::write(&config, "[rules]\n\"lint::unknown-keys\" = \"error\"\n").expect("config");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(&config), "type": 2}]}),
    );
    let diagnostics = client.diagnostics(&uri, 1);
    assert_eq!(codes(&diagnostics), vec!["config::invalid"]);
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("did you mean `lint::unknown-key`?")),
        "{diagnostics:?}"
    );
    assert_eq!(client.shutdown_and_exit(), Some(0));
}

#[test]
fn json_lines_documents_are_checked_line_by_line() {
    let path = manifest_dir().join("fixtures/invalid/lines-with-errors.jsonl");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let mut client = Client::start(Some(&["utf-32"]));
    let uri = "file:///tmp/connlint-lines.jsonl";
    client.open(uri, &text, 1);
    let diagnostics = client.diagnostics(uri, 1);
    assert!(!diagnostics.is_empty());
    assert_eq!(server_places(&diagnostics), cli_places(&path));
    assert_eq!(client.shutdown_and_exit(), Some(0));
}

/// Frames a careless or broken client sends: each is answered (a request with an `id`) or
/// logged, never quoted back, and the server goes on. lsp-server's transport ended the
/// server, without a word, on the first of them.
#[test]
fn malformed_frames_are_answered_or_logged_and_the_server_goes_on() {
    let mut client = Client::start(None);
    let framed = |body: &[u8]| {
        let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        out.extend_from_slice(body);
        out
    };
    let secret = "ghp_FrameSecret0123456789";
    for body in [
        format!("{{\"auth\": {{\"token\": \"{secret}\"").into_bytes(),
        b"[]".to_vec(),
        b"\xff\xfe{}".to_vec(),
        br#"[{"jsonrpc":"2.0","id":1,"method":"shutdown"}]"#.to_vec(),
    ] {
        client.write_raw(&framed(&body));
    }
    client.write_raw(&framed(br#"{"jsonrpc":"2.0","id":99,"method":7}"#));
    let answer = client.wait_for(|m| m["id"] == json!(99));
    assert_eq!(answer["error"]["code"], json!(-32600), "{answer}");
    // A bare `\n` after the header is read too.
    let hover = br#"{"jsonrpc":"2.0","id":100,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///none.json"},"position":{"line":0,"character":0}}}"#;
    client.write_raw(format!("Content-Length: {}\n\n", hover.len()).as_bytes());
    client.write_raw(hover);
    let answer = client.wait_for(|m| m["id"] == json!(100));
    assert_eq!(answer["result"], Value::Null, "{answer}");
    let logged = |client: &mut Client, text: &str| {
        let text = text.to_string();
        client.wait_for(move |m| {
            m["method"] == "window/logMessage"
                && m["params"]["message"]
                    .as_str()
                    .is_some_and(|s| s.contains(&text))
        })
    };
    logged(&mut client, "not JSON");
    logged(&mut client, "no batches");
    assert!(!client.transcript().contains(secret));
    // A stream with no Content-Length cannot be framed: the server says so and stops.
    client.write_raw(b"Content-Type: nonsense\r\n\r\n{}");
    let last = logged(&mut client, "no Content-Length");
    assert_eq!(last["params"]["type"], json!(1));
    assert_eq!(client.wait_exit(), Some(1));
}

/// A client that changes a document without a new version (or sends versions that go
/// back): a code action right after the change must still edit the text as it is now. The
/// server took the analysis of the old text for current, and its edit landed three
/// characters early, on the wrong bytes.
#[test]
fn a_change_without_a_new_version_never_gives_stale_edits() {
    let mut client = Client::start(None);
    let uri = "file:///tmp/connlint-same-version.json";
    let text = "{\"integrationType\": \"x\"}";
    client.open(uri, text, 1);
    client.diagnostics(uri, 1);
    for (version, insert) in [(1, "   "), (0, "\n")] {
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [
                {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": insert}
            ]}),
        );
        let answer = client.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}}, "context": {"diagnostics": [], "only": ["quickfix"]}}),
        );
        let actions = answer["result"].as_array().expect("actions").clone();
        assert_eq!(actions.len(), 1, "{answer}");
        let edits = actions[0]["edit"]["changes"][uri]
            .as_array()
            .expect("edits")
            .clone();
        let now = if version == 1 {
            format!("   {text}")
        } else {
            format!("\n   {text}")
        };
        assert_eq!(
            apply_edits(&now, &edits, "utf-16"),
            now.replace("integrationType", "integration_type"),
            "{answer}"
        );
    }
    assert_eq!(client.shutdown_and_exit(), Some(0));
}

/// Completion inside `permissions` reads the `categories` of the same Connection. It was
/// found by scanning the document again for every `"categories"` in it (quadratic: a list
/// file of 30,000 Connections stalled every request for minutes); now one pass.
#[test]
fn completion_in_a_long_list_file_reads_the_right_categories() {
    let mut client = Client::start(None);
    let uri = "file:///tmp/connlint-many-categories.json";
    let text = format!(
        "[{}{{\"categories\": [\"ticketing\"], \"permissions\": [\"",
        "{\"categories\": [\"crm\"]},\n".repeat(30_000)
    );
    client.open(uri, &text, 1);
    client.diagnostics(uri, 1);
    let answer = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position(&text, text.len(), "utf-16")}),
    );
    let mut items = answer["result"]["items"].as_array().expect("items").clone();
    items.sort_by_key(|i| i["sortText"].as_str().unwrap_or_default().to_string());
    let labels: Vec<&str> = items.iter().filter_map(|i| i["label"].as_str()).collect();
    assert!(labels.len() > 100, "{answer}");
    assert!(labels[0].starts_with("ticketing_"), "{labels:?}");
    assert_eq!(client.shutdown_and_exit(), Some(0));
}

/// The fix-all result is kept per document text (editors ask for code actions at every
/// cursor move, and fixing means checking again); a configuration change must still be
/// followed: a rule turned on offers its fix at once.
#[test]
fn fix_all_follows_a_configuration_change() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("connlint.toml");
    std::fs::write(&config, "[rules]\n\"lint::sdk-casing\" = \"off\"\n").expect("config");
    let text = "{\"integrationType\": \"x\", \"categories\": [\"crm\"], \"permissions\": [\"crm_contact_read\"]}\n";
    let mut client = Client::start(None);
    let uri = uri_of(&dir.path().join("a.json"));
    client.open(&uri, text, 1);
    client.diagnostics(&uri, 1);
    let fix_all = |client: &mut Client| {
        let answer = client.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": [], "only": ["source.fixAll.connlint"]}}),
        );
        let actions = answer["result"].as_array().expect("actions").clone();
        actions.first().map(|action| {
            let edits = action["edit"]["changes"][&uri]
                .as_array()
                .expect("edits")
                .clone();
            apply_edits(text, &edits, "utf-16")
        })
    };
    let before = fix_all(&mut client);
    assert!(
        before
            .as_deref()
            .is_none_or(|fixed| fixed.contains("integrationType")),
        "{before:?}"
    );
    // Asked twice: the same answer.
    assert_eq!(fix_all(&mut client), before);
    std::fs::write(&config, "[rules]\n\"lint::sdk-casing\" = \"error\"\n").expect("config");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(&config), "type": 2}]}),
    );
    assert!(codes(&client.diagnostics(&uri, 1)).contains(&"lint::sdk-casing".to_string()));
    assert_eq!(
        fix_all(&mut client).as_deref(),
        Some(text.replace("integrationType", "integration_type").as_str())
    );
    assert_eq!(client.shutdown_and_exit(), Some(0));
}
