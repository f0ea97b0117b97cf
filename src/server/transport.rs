//! The server's stdio transport: `Content-Length` framed JSON-RPC, read and written on two
//! threads, handed to the loop as an `lsp_server::Connection`.
//!
//! `lsp-server`'s own stdio transport trusts its input: it allocates whatever a
//! `Content-Length` header claims before reading a byte (4 GB for `Content-Length:
//! 4000000000`, a panic for 2^64 − 1), and one frame that is not a JSON-RPC message (a
//! typo, a batch array, bytes that are not UTF-8) ends the server without a word. Here a
//! body is read as it arrives, never past [`MAX_MESSAGE`]; a larger one is skipped unread;
//! a body that is not a message is answered (an error for its `id`, when it has one) or
//! logged, and the server goes on. Only a stream that cannot be framed any more (no
//! `Content-Length`, or one that is not a number) ends it, with a message that says so.
//! Nothing sent back ever quotes the bytes received: they could be a document's secrets.

use std::io::{self, BufRead, Read, Write};

use crossbeam_channel::Sender;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;

/// The largest message body read: twice the largest document connlint checks, room for a
/// `didOpen` of such a document with its JSON escapes.
pub(super) const MAX_MESSAGE: usize = 2 * crate::input::DEFAULT_MAX_FILE_SIZE as usize;

/// The longest header line read; real headers are a few dozen bytes.
const MAX_HEADER_LINE: u64 = 8 * 1024;

/// One step of reading the input.
#[derive(Debug)]
pub(super) enum Frame {
    /// A message for the server.
    Message(Message),
    /// A frame that is not a usable message: what to tell the client about it.
    Rejected(Message),
    /// The input ended.
    End,
    /// The stream cannot be framed any more; why.
    Broken(String),
}

/// Connects the server to stdin and stdout.
pub(super) fn stdio() -> Connection {
    // Rendezvous, as in `lsp-server`: a send returns once the writer has the message, so
    // what was sent before `exit` is answered is on its way out.
    let (to_client, outgoing) = crossbeam_channel::bounded::<Message>(0);
    let (to_server, incoming) = crossbeam_channel::bounded::<Message>(0);
    let _ = std::thread::Builder::new()
        .name("connlint-writer".to_string())
        .spawn(move || {
            for message in outgoing {
                // Locked per message, so the reader can write its last words in between.
                let mut out = io::stdout().lock();
                if message.write(&mut out).is_err() {
                    return;
                }
            }
        });
    let replies = to_client.clone();
    let _ = std::thread::Builder::new()
        .name("connlint-reader".to_string())
        .spawn(move || {
            let mut input = io::stdin().lock();
            if let Some(reason) = pump(&mut input, &to_server, &replies) {
                // Written here, not queued: the server stops as soon as this thread
                // drops its channel, and the client must learn why.
                let mut out = io::stdout().lock();
                let _ = log(io::ErrorKind::InvalidData, &reason).write(&mut out);
                let _ = out.flush();
            }
        });
    Connection {
        sender: to_client,
        receiver: incoming,
    }
}

/// Reads frames from `input` until it ends, the server goes away or the stream breaks
/// (returns why, then).
pub(super) fn pump(
    input: &mut impl BufRead,
    to_server: &Sender<Message>,
    to_client: &Sender<Message>,
) -> Option<String> {
    loop {
        match read_frame(input, MAX_MESSAGE) {
            Frame::Message(message) => {
                let exit = matches!(&message, Message::Notification(n)
                    if n.method == lsp_types::notification::Exit::METHOD);
                if to_server.send(message).is_err() || exit {
                    return None;
                }
            }
            Frame::Rejected(reply) => {
                if to_client.send(reply).is_err() {
                    return None;
                }
            }
            Frame::End => return None,
            Frame::Broken(reason) => return Some(reason),
        }
    }
}

/// A `window/logMessage` warning (or error, for `InvalidData`) with `text`.
fn log(kind: io::ErrorKind, text: &str) -> Message {
    let typ = if kind == io::ErrorKind::InvalidData {
        lsp_types::MessageType::ERROR
    } else {
        lsp_types::MessageType::WARNING
    };
    Notification::new(
        lsp_types::notification::LogMessage::METHOD.to_string(),
        lsp_types::LogMessageParams {
            typ,
            message: text.to_string(),
        },
    )
    .into()
}

/// Reads one frame (headers, then a body of at most `max` bytes).
pub(super) fn read_frame(input: &mut impl BufRead, max: usize) -> Frame {
    let mut length: Option<Result<usize, ()>> = None;
    let mut line = Vec::new();
    let mut first = true;
    loop {
        line.clear();
        match input
            .by_ref()
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)
        {
            Ok(0) if first => return Frame::End,
            Ok(0) | Err(_) => return Frame::End,
            Ok(_) => {}
        }
        first = false;
        if line.last() != Some(&b'\n') {
            return Frame::Broken(format!(
                "a header line is longer than {MAX_HEADER_LINE} bytes; the input cannot be read"
            ));
        }
        // `\r\n` as the specification says, or a bare `\n` from a hand-written client.
        let text = line.strip_suffix(b"\n").unwrap_or(&line);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if text.is_empty() {
            break;
        }
        let Some(colon) = text.iter().position(|&b| b == b':') else {
            continue; // Not a header; `Content-Length` is all that matters.
        };
        let (name, value) = (&text[..colon], &text[colon + 1..]);
        if name.eq_ignore_ascii_case(b"content-length") {
            length = Some(
                std::str::from_utf8(value)
                    .ok()
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .ok_or(()),
            );
        }
    }
    let size = match length {
        Some(Ok(size)) => size,
        Some(Err(())) => {
            return Frame::Broken(
                "a Content-Length header is not a byte count; the input cannot be read".to_string(),
            )
        }
        None => {
            return Frame::Broken(
                "a message has no Content-Length header; the input cannot be read".to_string(),
            )
        }
    };
    if size > max {
        // Skipped unread, a buffer at a time: the stream stays in step for the next frame.
        let skipped = io::copy(&mut input.by_ref().take(size as u64), &mut io::sink());
        return match skipped {
            Ok(n) if n == size as u64 => Frame::Rejected(log(
                io::ErrorKind::Other,
                &format!(
                    "a message of {size} bytes was skipped: connlint reads messages of at most \
                     {max} bytes"
                ),
            )),
            _ => Frame::End,
        };
    }
    // Read as it arrives: a length that lies costs only the bytes really sent.
    let mut body = Vec::new();
    match input.by_ref().take(size as u64).read_to_end(&mut body) {
        Ok(n) if n == size => {}
        _ => return Frame::End,
    }
    parse(&body)
}

/// The message in `body`, or what to tell the client when there is none.
fn parse(body: &[u8]) -> Frame {
    let value: serde_json::Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(err) => {
            return Frame::Rejected(log(
                io::ErrorKind::Other,
                &format!(
                    "a message that is not JSON was ignored ({:?} error at line {} column {})",
                    err.classify(),
                    err.line(),
                    err.column()
                ),
            ))
        }
    };
    let id = value.get("id").cloned();
    // Told apart by their fields, not by trying each shape: `{"id": 3, "method": 5}` would
    // pass for a response (whose fields are all optional) and never be answered.
    let message = match (value.get("method").is_some(), id.is_some()) {
        (true, true) => serde_json::from_value::<Request>(value).map(Message::from),
        (true, false) => serde_json::from_value::<Notification>(value).map(Message::from),
        (false, _) => serde_json::from_value::<Response>(value).map(Message::from),
    };
    match message {
        Ok(message) => Frame::Message(message),
        Err(_) => {
            let what = "a message that is not a JSON-RPC request, response or notification \
                        was ignored (LSP has no batches)";
            // A request that can be named is answered, so the client does not wait for it.
            match id.and_then(|id| serde_json::from_value::<RequestId>(id).ok()) {
                Some(id) => Frame::Rejected(
                    Response::new_err(id, ErrorCode::InvalidRequest as i32, what.to_string())
                        .into(),
                ),
                None => Frame::Rejected(log(io::ErrorKind::Other, what)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8], max: usize) -> Vec<Frame> {
        let mut reader = io::BufReader::new(input);
        let mut out = Vec::new();
        loop {
            let frame = read_frame(&mut reader, max);
            let done = matches!(frame, Frame::End | Frame::Broken(_));
            out.push(frame);
            if done {
                return out;
            }
        }
    }

    fn framed(body: &[u8]) -> Vec<u8> {
        let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        out.extend_from_slice(body);
        out
    }

    fn describe(frame: &Frame) -> String {
        match frame {
            Frame::Message(m) => {
                format!("message {}", serde_json::to_string(m).unwrap_or_default())
            }
            Frame::Rejected(m) => {
                format!("rejected {}", serde_json::to_string(m).unwrap_or_default())
            }
            Frame::End => "end".to_string(),
            Frame::Broken(why) => format!("broken {why}"),
        }
    }

    const HOVER: &[u8] = br#"{"jsonrpc":"2.0","id":7,"method":"textDocument/hover","params":{}}"#;

    /// Each bad frame is answered or logged, and the good frame after it still arrives.
    #[test]
    fn a_bad_body_is_reported_and_the_next_frame_is_read() {
        for (bad, expect) in [
            (&b"{not json"[..], "not JSON"),
            (b"[]", "no batches"),
            (b"\xff\xfe\xfd", "not JSON"),
            (br#"{"jsonrpc":"2.0","id":3,"method":5}"#, r#""id":3"#),
            (br#"{"jsonrpc":"2.0","id":{"x":1}}"#, "no batches"),
        ] {
            let mut input = framed(bad);
            input.extend(framed(HOVER));
            let got: Vec<String> = frames(&input, 1024).iter().map(describe).collect();
            assert_eq!(got.len(), 3, "{got:?}");
            assert!(
                got[0].starts_with("rejected") && got[0].contains(expect),
                "{got:?}"
            );
            assert!(
                got[1].starts_with("message") && got[1].contains("hover"),
                "{got:?}"
            );
            assert_eq!(got[2], "end");
        }
    }

    #[test]
    fn a_body_over_the_limit_is_skipped_and_the_stream_stays_in_step() {
        let mut input = framed(&[b'x'; 5000]);
        input.extend(framed(HOVER));
        let got: Vec<String> = frames(&input, 1024).iter().map(describe).collect();
        assert!(got[0].contains("5000 bytes was skipped"), "{got:?}");
        assert!(got[1].contains("hover"), "{got:?}");
    }

    /// A length that lies is not believed before the bytes come: the input ends first.
    #[test]
    fn a_content_length_larger_than_the_input_ends_it_without_a_panic() {
        for length in ["18446744073709551615", "4000000000", "600"] {
            let input = format!("Content-Length: {length}\r\n\r\n{{\"a\": 1}}");
            let got: Vec<String> = frames(input.as_bytes(), usize::MAX)
                .iter()
                .map(describe)
                .collect();
            assert_eq!(got, vec!["end"], "{length}");
        }
    }

    #[test]
    fn headers_that_cannot_frame_the_stream_say_so() {
        for input in [
            &b"Content-Length: -1\r\n\r\n{}"[..],
            b"Content-Length: lots\r\n\r\n{}",
            b"Content-Type: x\r\n\r\n{}",
        ] {
            let got: Vec<String> = frames(input, 1024).iter().map(describe).collect();
            assert!(
                got[0].starts_with("broken") && got[0].contains("Content-Length"),
                "{got:?}"
            );
        }
        let long = vec![b'a'; 20_000];
        let got: Vec<String> = frames(&long, 1024).iter().map(describe).collect();
        assert!(got[0].contains("header line is longer"), "{got:?}");
        // A bare `\n` and other headers are accepted.
        let mut lenient = b"content-length: 2\nContent-Type: x\n\n{}".to_vec();
        lenient.extend(framed(HOVER));
        let got: Vec<String> = frames(&lenient, 1024).iter().map(describe).collect();
        assert!(got[0].starts_with("rejected"), "{got:?}");
        assert!(got[1].contains("hover"), "{got:?}");
    }
}
