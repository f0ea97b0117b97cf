//! `connlint server`: the language server. It speaks LSP 3.17 over stdio and gives an
//! editor what `connlint check` gives a terminal — the same diagnostics at the same places,
//! the same fixes, secrets hidden the same way — plus hover and completion from the model.
//!
//! One thread reads messages (lsp-server's), one loop here answers them in order, and one
//! analysis thread checks documents: typing never waits for a check, and a check never
//! holds up a hover. Changes are debounced ([`DEBOUNCE`]); a check whose document has
//! moved on is dropped before it is published. Requests still queued when their
//! `$/cancelRequest` arrives are answered with `RequestCancelled`. Logging goes through
//! `window/logMessage` only: stdout belongs to the protocol, and no message ever holds
//! document text.

mod actions;
mod analysis;
mod assist;
mod context;
mod facts;
mod text;
mod transport;

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{notification as notif, request as req, Url};

use analysis::{Analysis, Settings};
use text::{Encoding, Text};

/// How long typing must pause before a changed document is checked again. Short: a check
/// of a typical payload takes well under a millisecond, and of a 1 MB one tens of
/// milliseconds; the pause only coalesces bursts of keystrokes.
pub const DEBOUNCE: Duration = Duration::from_millis(20);

/// Runs the server on stdin/stdout until the client says `exit`; returns the exit code
/// (0 after `shutdown`, 1 without, as the specification asks).
pub fn run_stdio() -> std::io::Result<u8> {
    // connlint's own transport, not `Connection::stdio()`: see [`transport`] for why. Its
    // threads are not joined: every message is written (and flushed) before the client can
    // send `exit`, and an analysis still running on a large document must not delay it.
    let connection = transport::stdio();
    Ok(serve(&connection))
}

/// One open document.
#[derive(Debug)]
struct Document {
    text: Text,
    /// The client's version, echoed in `publishDiagnostics`.
    version: i32,
    /// The server's own count of the document's texts (and of configuration changes), for
    /// telling a current analysis from a stale one: a client may send a change without a
    /// new version (or versions that go back), and an analysis taken for current then
    /// would give code actions whose ranges land on the wrong text.
    revision: u64,
    json_lines: bool,
    path: Option<PathBuf>,
}

/// What the analysis thread and the loop share: each open document's latest revision and
/// the last analysis published for it.
#[derive(Debug, Default)]
struct Shared {
    latest: HashMap<Url, u64>,
    analyses: HashMap<Url, Arc<Analysis>>,
}

/// A check to run.
struct Job {
    uri: Url,
    version: i32,
    revision: u64,
    text: Text,
    json_lines: bool,
    path: Option<PathBuf>,
}

struct Server<'a> {
    sender: &'a Sender<Message>,
    encoding: Encoding,
    documents: HashMap<Url, Document>,
    due: HashMap<Url, Instant>,
    settings: Arc<Settings>,
    shared: Arc<Mutex<Shared>>,
    jobs: Sender<Job>,
    inbox: VecDeque<Message>,
    shutdown: bool,
    next_request: i32,
    next_revision: u64,
    /// Each document's fix-all result, by revision: editors ask for code actions at every
    /// cursor move, and fixing a large document means checking it again, several times.
    fixed_all: HashMap<Url, (u64, Option<Arc<str>>)>,
}

/// Serves `connection` until `exit`; returns the exit code. The connection can be stdio or
/// in memory (tests and benchmarks drive it in process).
pub fn serve(connection: &Connection) -> u8 {
    let Some((id, params)) = wait_for_initialize(connection) else {
        return 1;
    };
    let params: lsp_types::InitializeParams = match serde_json::from_value(params) {
        Ok(params) => params,
        Err(err) => {
            let _ = connection.sender.send(
                Response::new_err(
                    id,
                    ErrorCode::InvalidParams as i32,
                    format!("invalid initialize parameters ({:?})", err.classify()),
                )
                .into(),
            );
            return 1;
        }
    };
    let encoding = Encoding::negotiate(
        params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref()),
    );
    let result = lsp_types::InitializeResult {
        capabilities: capabilities(encoding),
        server_info: Some(lsp_types::ServerInfo {
            name: "connlint".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
    };
    if connection
        .sender
        .send(Response::new_ok(id, result).into())
        .is_err()
    {
        return 1;
    }
    let watch = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false);

    let settings = Arc::new(Settings::default());
    let shared = Arc::new(Mutex::new(Shared::default()));
    let (jobs, job_receiver) = crossbeam_channel::unbounded::<Job>();
    let worker = {
        let sender = connection.sender.clone();
        let settings = Arc::clone(&settings);
        let shared = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("connlint-analysis".to_string())
            .spawn(move || analyse_loop(&job_receiver, &sender, &settings, &shared, encoding))
    };
    let mut server = Server {
        sender: &connection.sender,
        encoding,
        documents: HashMap::new(),
        due: HashMap::new(),
        settings,
        shared,
        jobs,
        inbox: VecDeque::new(),
        shutdown: false,
        next_request: 0,
        next_revision: 0,
        fixed_all: HashMap::new(),
    };
    if worker.is_err() {
        server.log(
            lsp_types::MessageType::ERROR,
            "cannot start the analysis thread; documents are not checked".to_string(),
        );
    }
    server.log(
        lsp_types::MessageType::INFO,
        format!(
            "connlint {} serving, positions in {}",
            env!("CARGO_PKG_VERSION"),
            encoding.kind().as_str()
        ),
    );
    if watch {
        server.watch_configuration();
    }
    // The analysis thread is not joined: it ends with the process, and a check of a huge
    // document must not hold up `exit`.
    server.run(&connection.receiver)
}

/// Waits for `initialize`, answering other requests with `ServerNotInitialized` and
/// dropping notifications, as the specification says (an `exit` ends the wait).
fn wait_for_initialize(connection: &Connection) -> Option<(RequestId, serde_json::Value)> {
    loop {
        match connection.receiver.recv().ok()? {
            Message::Request(r) if r.method == req::Initialize::METHOD => {
                return Some((r.id, r.params))
            }
            Message::Request(r) => {
                let _ = connection.sender.send(
                    Response::new_err(
                        r.id,
                        ErrorCode::ServerNotInitialized as i32,
                        "the server is not initialized yet".to_string(),
                    )
                    .into(),
                );
            }
            Message::Notification(n) if n.method == notif::Exit::METHOD => return None,
            _ => {}
        }
    }
}

fn capabilities(encoding: Encoding) -> lsp_types::ServerCapabilities {
    use lsp_types::*;
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["\"".to_string()]),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::new(actions::FIX_ALL),
            ]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

/// The analysis thread: runs the latest job of each document, publishes its diagnostics
/// unless the document has changed or closed meanwhile, and keeps the analysis for code
/// actions.
fn analyse_loop(
    jobs: &Receiver<Job>,
    sender: &Sender<Message>,
    settings: &Settings,
    shared: &Mutex<Shared>,
    encoding: Encoding,
) {
    while let Ok(first) = jobs.recv() {
        // Only the newest job of each document matters.
        let mut batch = vec![first];
        batch.extend(jobs.try_iter());
        let mut newest: Vec<Job> = Vec::new();
        for job in batch {
            match newest.iter_mut().find(|j| j.uri == job.uri) {
                Some(slot) => *slot = job,
                None => newest.push(job),
            }
        }
        for job in newest {
            let current = |shared: &Mutex<Shared>| {
                shared
                    .lock()
                    .ok()
                    .and_then(|s| s.latest.get(&job.uri).copied())
                    == Some(job.revision)
            };
            if !current(shared) {
                continue;
            }
            let analysis = analysis::analyse(
                settings,
                job.path.as_deref(),
                job.uri.as_str(),
                job.revision,
                job.text,
                job.json_lines,
            );
            let diagnostics = analysis::to_lsp(&analysis, &job.uri, encoding);
            let Ok(mut state) = shared.lock() else {
                return;
            };
            if state.latest.get(&job.uri) != Some(&job.revision) {
                continue;
            }
            state.analyses.insert(job.uri.clone(), Arc::new(analysis));
            // Sent under the lock, so a `didClose` cannot slip in between the check above
            // and the publication (and be followed by stale diagnostics).
            let params = lsp_types::PublishDiagnosticsParams {
                uri: job.uri,
                diagnostics,
                version: Some(job.version),
            };
            if sender
                .send(
                    Notification::new(notif::PublishDiagnostics::METHOD.to_string(), params).into(),
                )
                .is_err()
            {
                return;
            }
        }
    }
}

/// Parameters that do not parse: the error names the method and serde's category only,
/// never the offending value (which could be document text).
fn invalid_params(method: &str, err: &serde_json::Error) -> String {
    format!(
        "invalid parameters for {method} ({:?} error at line {} column {})",
        err.classify(),
        err.line(),
        err.column()
    )
}

impl Server<'_> {
    fn send(&self, message: Message) {
        // A closed connection means the client is gone; the loop ends on the next receive.
        let _ = self.sender.send(message);
    }

    fn log(&self, level: lsp_types::MessageType, message: String) {
        self.send(
            Notification::new(
                notif::LogMessage::METHOD.to_string(),
                lsp_types::LogMessageParams {
                    typ: level,
                    message,
                },
            )
            .into(),
        );
    }

    fn watch_configuration(&mut self) {
        use lsp_types::*;
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: ["**/connlint.toml", "**/.connlint.toml"]
                .iter()
                .map(|glob| FileSystemWatcher {
                    glob_pattern: GlobPattern::String((*glob).to_string()),
                    kind: None,
                })
                .collect(),
        };
        let registration = Registration {
            id: "connlint-configuration".to_string(),
            method: notif::DidChangeWatchedFiles::METHOD.to_string(),
            register_options: serde_json::to_value(options).ok(),
        };
        self.next_request += 1;
        self.send(
            Request::new(
                RequestId::from(format!("connlint-{}", self.next_request)),
                req::RegisterCapability::METHOD.to_string(),
                RegistrationParams {
                    registrations: vec![registration],
                },
            )
            .into(),
        );
    }

    fn run(&mut self, receiver: &Receiver<Message>) -> u8 {
        loop {
            if self.inbox.is_empty() {
                let next_due = self.due.values().min().copied();
                let received = match next_due {
                    Some(at) => receiver.recv_timeout(at.saturating_duration_since(Instant::now())),
                    None => receiver.recv().map_err(|_| RecvTimeoutError::Disconnected),
                };
                match received {
                    Ok(message) => self.inbox.push_back(message),
                    Err(RecvTimeoutError::Timeout) => {}
                    // The client went away without `exit`.
                    Err(RecvTimeoutError::Disconnected) => return 1,
                }
                // Everything already waiting, so a cancellation can reach a request queued
                // before it.
                self.inbox.extend(receiver.try_iter());
            }
            if let Some(message) = self.inbox.pop_front() {
                match message {
                    Message::Request(request) => self.on_request(request),
                    Message::Notification(n) if n.method == notif::Exit::METHOD => {
                        return if self.shutdown { 0 } else { 1 };
                    }
                    Message::Notification(n) => self.on_notification(n),
                    // Answers to the server's own requests (registration): nothing to do.
                    Message::Response(_) => {}
                }
            }
            self.run_due();
        }
    }

    /// Hands the documents whose pause is over to the analysis thread.
    fn run_due(&mut self) {
        let now = Instant::now();
        let ready: Vec<Url> = self
            .due
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in ready {
            self.due.remove(&uri);
            if let Some(doc) = self.documents.get(&uri) {
                let _ = self.jobs.send(Job {
                    uri,
                    version: doc.version,
                    revision: doc.revision,
                    text: doc.text.clone(),
                    json_lines: doc.json_lines,
                    path: doc.path.clone(),
                });
            }
        }
    }

    /// A new revision number (see `Document::revision`).
    fn revision(&mut self) -> u64 {
        self.next_revision += 1;
        self.next_revision
    }

    fn schedule(&mut self, uri: &Url, delay: Duration) {
        if let (Some(doc), Ok(mut shared)) = (self.documents.get(uri), self.shared.lock()) {
            shared.latest.insert(uri.clone(), doc.revision);
        }
        self.due.insert(uri.clone(), Instant::now() + delay);
    }

    /// Whether a `$/cancelRequest` for `id` is waiting; it is taken out of the queue.
    fn cancelled(&mut self, id: &RequestId) -> bool {
        let position = self.inbox.iter().position(|m| match m {
            Message::Notification(n) if n.method == notif::Cancel::METHOD => {
                serde_json::from_value::<lsp_types::CancelParams>(n.params.clone())
                    .ok()
                    .is_some_and(|p| match p.id {
                        lsp_types::NumberOrString::Number(n) => *id == RequestId::from(n),
                        lsp_types::NumberOrString::String(s) => *id == RequestId::from(s),
                    })
            }
            _ => false,
        });
        position.and_then(|at| self.inbox.remove(at)).is_some()
    }

    fn on_request(&mut self, request: Request) {
        let Request { id, method, params } = request;
        if self.cancelled(&id) {
            self.send(
                Response::new_err(
                    id,
                    ErrorCode::RequestCanceled as i32,
                    format!("{method} was cancelled"),
                )
                .into(),
            );
            return;
        }
        if self.shutdown {
            self.send(
                Response::new_err(
                    id,
                    ErrorCode::InvalidRequest as i32,
                    "the server is shutting down".to_string(),
                )
                .into(),
            );
            return;
        }
        let response = match method.as_str() {
            req::Shutdown::METHOD => {
                self.shutdown = true;
                Ok(serde_json::Value::Null)
            }
            req::Initialize::METHOD => Err((
                ErrorCode::InvalidRequest,
                "the server is already initialized".to_string(),
            )),
            req::HoverRequest::METHOD => {
                self.answer::<req::HoverRequest>(&method, params, |s, p| s.hover(&p))
            }
            req::Completion::METHOD => {
                self.answer::<req::Completion>(&method, params, |s, p| s.completion(&p))
            }
            req::CodeActionRequest::METHOD => {
                self.answer::<req::CodeActionRequest>(&method, params, |s, p| s.code_actions(&p))
            }
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("connlint does not handle {method}"),
            )),
        };
        let response = match response {
            Ok(result) => Response::new_ok(id, result),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(response.into());
    }

    /// Parses the parameters of `R`, runs `handle`, and serialises its answer.
    fn answer<R: lsp_types::request::Request>(
        &mut self,
        method: &str,
        params: serde_json::Value,
        handle: impl FnOnce(&mut Self, R::Params) -> R::Result,
    ) -> Result<serde_json::Value, (ErrorCode, String)> {
        let params: R::Params = serde_json::from_value(params)
            .map_err(|err| (ErrorCode::InvalidParams, invalid_params(method, &err)))?;
        serde_json::to_value(handle(self, params)).map_err(|err| {
            (
                ErrorCode::InternalError,
                format!(
                    "cannot serialise the answer to {method} ({:?})",
                    err.classify()
                ),
            )
        })
    }

    fn on_notification(&mut self, n: Notification) {
        let method = n.method.clone();
        let outcome = match method.as_str() {
            notif::DidOpenTextDocument::METHOD => self.handle(n, Self::did_open),
            notif::DidChangeTextDocument::METHOD => self.handle(n, Self::did_change),
            notif::DidSaveTextDocument::METHOD => self.handle(n, Self::did_save),
            notif::DidCloseTextDocument::METHOD => self.handle(n, Self::did_close),
            notif::DidChangeWatchedFiles::METHOD => {
                self.handle(n, |s, _: lsp_types::DidChangeWatchedFilesParams| {
                    s.configuration_changed();
                })
            }
            // `initialized`, `$/cancelRequest` for a request already answered, `$/setTrace`
            // and anything else: nothing to do.
            _ => Ok(()),
        };
        if let Err(err) = outcome {
            self.log(
                lsp_types::MessageType::WARNING,
                invalid_params(&method, &err),
            );
        }
    }

    fn handle<P: serde::de::DeserializeOwned>(
        &mut self,
        n: Notification,
        f: impl FnOnce(&mut Self, P),
    ) -> Result<(), serde_json::Error> {
        let params = serde_json::from_value(n.params)?;
        f(self, params);
        Ok(())
    }

    fn did_open(&mut self, p: lsp_types::DidOpenTextDocumentParams) {
        let item = p.text_document;
        if is_configuration(&item.uri) {
            self.configuration_changed();
            return;
        }
        let Some(json_lines) = analysis::document_kind(&item.uri, &item.language_id) else {
            return;
        };
        let revision = self.revision();
        self.documents.insert(
            item.uri.clone(),
            Document {
                text: Text::new(item.text),
                version: item.version,
                revision,
                json_lines,
                path: item.uri.to_file_path().ok(),
            },
        );
        self.schedule(&item.uri, Duration::ZERO);
    }

    fn did_change(&mut self, p: lsp_types::DidChangeTextDocumentParams) {
        let uri = p.text_document.uri;
        let encoding = self.encoding;
        let revision = self.revision();
        let Some(doc) = self.documents.get_mut(&uri) else {
            return;
        };
        for change in p.content_changes {
            doc.text.apply(change.range, &change.text, encoding);
        }
        doc.version = p.text_document.version;
        doc.revision = revision;
        self.schedule(&uri, DEBOUNCE);
    }

    fn did_save(&mut self, p: lsp_types::DidSaveTextDocumentParams) {
        let uri = p.text_document.uri;
        if is_configuration(&uri) {
            self.configuration_changed();
        } else if self.documents.contains_key(&uri) {
            self.schedule(&uri, Duration::ZERO);
        }
    }

    fn did_close(&mut self, p: lsp_types::DidCloseTextDocumentParams) {
        let uri = p.text_document.uri;
        if self.documents.remove(&uri).is_none() {
            return;
        }
        self.due.remove(&uri);
        self.fixed_all.remove(&uri);
        if let Ok(mut shared) = self.shared.lock() {
            shared.latest.remove(&uri);
            shared.analyses.remove(&uri);
            // Under the lock, for the same reason as in the analysis thread.
            self.send(
                Notification::new(
                    notif::PublishDiagnostics::METHOD.to_string(),
                    lsp_types::PublishDiagnosticsParams {
                        uri,
                        diagnostics: Vec::new(),
                        version: None,
                    },
                )
                .into(),
            );
        }
    }

    /// A `connlint.toml` changed: read configurations again and check every open document.
    fn configuration_changed(&mut self) {
        self.settings.reload();
        self.log(
            lsp_types::MessageType::INFO,
            "a connlint.toml changed; checking open documents again".to_string(),
        );
        let uris: Vec<Url> = self.documents.keys().cloned().collect();
        for uri in uris {
            // A new revision: analyses (and fix-all results) made under the old
            // configuration are no longer current, even though the text is the same.
            let revision = self.revision();
            if let Some(doc) = self.documents.get_mut(&uri) {
                doc.revision = revision;
            }
            self.schedule(&uri, Duration::ZERO);
        }
    }

    /// The analysis of the document as it is now: the analysis thread's when it is
    /// current, else a check made here and now (a code action right after typing).
    fn current_analysis(&self, uri: &Url) -> Option<Arc<Analysis>> {
        let doc = self.documents.get(uri)?;
        if let Ok(shared) = self.shared.lock() {
            if let Some(analysis) = shared.analyses.get(uri) {
                if analysis.revision == doc.revision {
                    return Some(Arc::clone(analysis));
                }
            }
        }
        Some(Arc::new(analysis::analyse(
            &self.settings,
            doc.path.as_deref(),
            uri.as_str(),
            doc.revision,
            doc.text.clone(),
            doc.json_lines,
        )))
    }

    fn hover(&mut self, p: &lsp_types::HoverParams) -> Option<lsp_types::Hover> {
        let at = &p.text_document_position_params;
        let doc = self.documents.get(&at.text_document.uri)?;
        assist::hover(&doc.text, at.position, self.encoding, doc.json_lines)
    }

    fn completion(
        &mut self,
        p: &lsp_types::CompletionParams,
    ) -> Option<lsp_types::CompletionResponse> {
        let at = &p.text_document_position;
        let doc = self.documents.get(&at.text_document.uri)?;
        let items = assist::completion(&doc.text, at.position, self.encoding, doc.json_lines);
        Some(lsp_types::CompletionResponse::List(
            lsp_types::CompletionList {
                is_incomplete: false,
                items,
            },
        ))
    }

    fn code_actions(
        &mut self,
        p: &lsp_types::CodeActionParams,
    ) -> Option<lsp_types::CodeActionResponse> {
        let uri = &p.text_document.uri;
        let analysis = self.current_analysis(uri)?;
        let doc = self.documents.get(uri)?;
        let only = p.context.only.as_deref();
        let wants_fix_all = only.is_none_or(|only| {
            only.iter()
                .any(|k| actions::FIX_ALL.starts_with(k.as_str()))
        });
        let fixed = match self.fixed_all.get(uri) {
            _ if !wants_fix_all => None,
            Some((revision, fixed)) if *revision == analysis.revision => fixed.clone(),
            _ => {
                let fixed: Option<Arc<str>> = analysis::fix_all(
                    &self.settings,
                    doc.path.as_deref(),
                    uri.as_str(),
                    &analysis,
                    doc.json_lines,
                )
                .map(Arc::from);
                self.fixed_all
                    .insert(uri.clone(), (analysis.revision, fixed.clone()));
                fixed
            }
        };
        Some(actions::code_actions(
            uri,
            &analysis,
            p.range,
            only,
            self.encoding,
            doc.json_lines,
            fixed.as_deref(),
        ))
    }
}

/// Whether `uri` names a configuration file.
fn is_configuration(uri: &Url) -> bool {
    let name = uri.path().rsplit('/').next().unwrap_or_default();
    crate::config::FILE_NAMES.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(id: i32, method: &str, params: serde_json::Value) -> Message {
        Request::new(RequestId::from(id), method.to_string(), params).into()
    }

    fn notification(method: &str, params: serde_json::Value) -> Message {
        Notification::new(method.to_string(), params).into()
    }

    /// Everything is queued before the server starts, so the cancellation is waiting when
    /// the server comes to its request: the answer must be `RequestCancelled`, and the
    /// request after it is answered normally.
    #[test]
    fn a_queued_request_that_is_cancelled_is_answered_request_cancelled() {
        let (server, client) = Connection::memory();
        let uri = "file:///tmp/connlint-cancel-unit.json";
        let position =
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 2}});
        for message in [
            request(1, "initialize", json!({"capabilities": {}})),
            notification("initialized", json!({})),
            notification(
                "textDocument/didOpen",
                json!({"textDocument": {
                    "uri": uri, "languageId": "json", "version": 1, "text": "{\"categories\": []}"
                }}),
            ),
            request(2, "textDocument/hover", position.clone()),
            notification("$/cancelRequest", json!({"id": 2})),
            request(3, "textDocument/hover", position),
            request(4, "shutdown", serde_json::Value::Null),
            notification("exit", serde_json::Value::Null),
        ] {
            client.sender.send(message).expect("queued");
        }
        assert_eq!(serve(&server), 0);
        let responses: HashMap<RequestId, Response> = client
            .receiver
            .try_iter()
            .filter_map(|m| match m {
                Message::Response(r) => Some((r.id.clone(), r)),
                _ => None,
            })
            .collect();
        let error_code = |id: i32| {
            let response = serde_json::to_value(&responses[&RequestId::from(id)]).expect("json");
            response["error"]["code"].clone()
        };
        assert_eq!(error_code(2), json!(ErrorCode::RequestCanceled as i32));
        assert_eq!(error_code(3), serde_json::Value::Null);
        let hover = serde_json::to_value(&responses[&RequestId::from(3)]).expect("json");
        assert!(hover["result"]["contents"]["value"]
            .as_str()
            .is_some_and(|v| v.contains("`categories`")));
        assert_eq!(responses.len(), 4);
    }
}
