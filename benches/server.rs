//! The language server's reaction time: from a `didChange` of a 1 MB document (one
//! character typed) to the `publishDiagnostics` for that version, debounce included. The
//! server runs in process on an in-memory connection, so the figure is the server's own
//! (no pipe, no editor). The target is under 100 ms on a 2-core machine.
//!
//! `cargo bench --bench server`. Nothing here is a test, and no test depends on timing.

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};

const URI: &str = "file:///bench/connections.json";

/// About 1 MB: a list of Connections, one in ten with two mistakes in it (a camelCase key
/// and a misspelt permission), so every check has diagnostics to locate and publish.
fn document() -> String {
    let good = r#"{"id": "conn_0001", "integration_type": "hubspot", "categories": ["crm", "ticketing"], "permissions": ["crm_contact_read", "crm_contact_write", "ticketing_ticket_read"], "auth": {"access_token": "<token>", "expires_in": 3600, "name": "Someone"}, "created_at": "2026-01-01T00:00:00Z", "workspace_id": "ws_01"}"#;
    let bad = r#"{"id": "conn_0002", "integrationType": "hubspot", "categories": ["crm"], "permissions": ["crm_contact_reed"], "auth": {"access_token": "<token>", "expires_in": 3600, "name": "Someone"}, "created_at": "2026-01-01T00:00:00Z", "workspace_id": "ws_01"}"#;
    let mut items = Vec::new();
    let mut size = 0;
    while size < 1 << 20 {
        let item = if items.len() % 10 == 9 { bad } else { good };
        size += item.len() + 4;
        items.push(item);
    }
    format!("[\n  {}\n]\n", items.join(",\n  "))
}

fn send(client: &Connection, message: Message) {
    client.sender.send(message).expect("server alive");
}

/// Waits for the diagnostics of `version`, returning how many there were.
fn published(client: &Connection, version: i64) -> usize {
    loop {
        match client.receiver.recv_timeout(Duration::from_secs(60)) {
            Ok(Message::Notification(n))
                if n.method == "textDocument/publishDiagnostics"
                    && n.params["version"] == json!(version) =>
            {
                return n.params["diagnostics"].as_array().map_or(0, Vec::len);
            }
            Ok(_) => {}
            Err(err) => panic!("no diagnostics for version {version}: {err}"),
        }
    }
}

fn republish(c: &mut Criterion) {
    let (server, client) = Connection::memory();
    let thread = std::thread::spawn(move || connlint::server::serve(&server));
    send(
        &client,
        Request::new(
            RequestId::from(1),
            "initialize".into(),
            json!({"capabilities": {}}),
        )
        .into(),
    );
    loop {
        if let Ok(Message::Response(_)) = client.receiver.recv() {
            break;
        }
    }
    send(
        &client,
        Notification::new("initialized".into(), json!({})).into(),
    );
    let text = document();
    let bytes = text.len();
    send(
        &client,
        Notification::new(
            "textDocument/didOpen".into(),
            json!({"textDocument": {"uri": URI, "languageId": "json", "version": 1, "text": text}}),
        )
        .into(),
    );
    let diagnostics = published(&client, 1);
    // `"conn_0001"` on line 2: its last digit is retyped, alternating, at every change.
    let mut version = 1i64;
    let mut group = c.benchmark_group("server");
    group.sample_size(20);
    group.bench_function(
        format!("didChange_to_publish_{}KiB_{diagnostics}_diagnostics", bytes / 1024),
        |b| {
            b.iter_custom(|iterations| {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    version += 1;
                    let digit = if version % 2 == 0 { "2" } else { "1" };
                    let change: Value = json!({
                        "textDocument": {"uri": URI, "version": version},
                        "contentChanges": [{"range": {"start": {"line": 1, "character": 18}, "end": {"line": 1, "character": 19}}, "text": digit}]
                    });
                    let start = Instant::now();
                    send(&client, Notification::new("textDocument/didChange".into(), change).into());
                    published(&client, version);
                    total += start.elapsed();
                }
                total
            })
        },
    );
    group.finish();
    send(
        &client,
        Request::new(RequestId::from(2), "shutdown".into(), Value::Null).into(),
    );
    send(
        &client,
        Notification::new("exit".into(), Value::Null).into(),
    );
    drop(client);
    let _ = thread.join();
}

criterion_group!(benches, republish);
criterion_main!(benches);
