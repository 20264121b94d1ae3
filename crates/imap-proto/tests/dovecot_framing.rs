//! The framer on real traffic: the 14 sessions recorded from Dovecot 2.3
//! on loopback (`tests/data/dovecot`, made by `interop/record_imap.py`).
//!
//! Every server stream (`.s2c`) is framed as a client frames it, and every
//! client stream (`.c2s`) as a server frames it (accepting every
//! synchronising literal, as Dovecot did). The framer must reassemble each
//! stream exactly, with the same events whether it arrives whole, in 4 KiB
//! reads or in 7-byte pieces, and report no error except where the
//! recording deliberately sent something invalid.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;

use imap_proto::parse::framer::{FrameEvent, Framer, FramerLimits, Side};

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/dovecot")
}

fn streams(ext: &str) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = std::fs::read_dir(data_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Whether the recorded server refused the command with this tag before its
/// literal data came (it answered `NO` or `BAD`, so the client sent none).
fn refused(s2c: &[u8], tag: &[u8]) -> bool {
    [&b" NO "[..], b" BAD "].iter().any(|verdict| {
        let mut line = b"\r\n".to_vec();
        line.extend_from_slice(tag);
        line.extend_from_slice(verdict);
        s2c.windows(line.len()).any(|w| w == line.as_slice())
    })
}

/// Frames `input` fed in pieces of `chunk` bytes; returns the events (as
/// debug strings, errors included) and the bytes of all the messages. A
/// server decides on synchronising literals as the recorded Dovecot did
/// (`s2c` is what it answered).
fn frame_with(input: &[u8], side: Side, chunk: usize, s2c: &[u8]) -> (Vec<String>, Vec<u8>, usize) {
    let mut f = Framer::new(FramerLimits::for_side(side), side);
    let mut events = Vec::new();
    let mut bytes = Vec::new();
    let mut errors = 0;
    for piece in input.chunks(chunk.max(1)) {
        f.feed(piece);
        while let Some(ev) = f.next_event() {
            match ev {
                Ok(FrameEvent::NeedContinuation { tag, .. }) => {
                    if tag.as_deref().is_some_and(|t| refused(s2c, t)) {
                        events.push("refuse".to_owned());
                        f.reject_literal().unwrap();
                    } else {
                        events.push("continue".to_owned());
                        f.accept_literal().unwrap();
                    }
                }
                Ok(FrameEvent::Message(m)) => {
                    bytes.extend_from_slice(&m);
                    events.push(format!("message {}", m.len()));
                }
                Ok(FrameEvent::MessageStart { head, .. }) => bytes.extend_from_slice(&head),
                Ok(FrameEvent::LiteralChunk(c)) => bytes.extend_from_slice(&c),
                Ok(FrameEvent::MessageContinue { text, .. }) => bytes.extend_from_slice(&text),
                Ok(FrameEvent::MessageEnd(t)) => {
                    bytes.extend_from_slice(&t);
                    events.push("streamed message".to_owned());
                }
                Err(e) => {
                    errors += 1;
                    events.push(format!("error {:?}", e.kind));
                }
            }
        }
    }
    (events, bytes, errors)
}

fn frame(input: &[u8], side: Side, chunk: usize) -> (Vec<String>, Vec<u8>, usize) {
    frame_with(input, side, chunk, b"")
}

#[test]
fn server_streams_frame_exactly() {
    let all = streams("s2c");
    assert_eq!(all.len(), 14);
    for (name, data) in all {
        let (events, bytes, errors) = frame(&data, Side::Client, data.len());
        assert_eq!(errors, 0, "{name}: {events:?}");
        assert_eq!(bytes, data, "{name}: not reassembled exactly");
        for chunk in [4096, 7] {
            let (ev2, b2, _) = frame(&data, Side::Client, chunk);
            assert_eq!(ev2, events, "{name} in {chunk}-byte reads");
            assert_eq!(b2, data);
        }
    }
}

#[test]
fn client_streams_frame_exactly() {
    for (name, data) in streams("c2s") {
        let s2c = std::fs::read(data_dir().join(name.replace(".c2s", ".s2c"))).unwrap();
        let (events, bytes, errors) = frame_with(&data, Side::Server, data.len(), &s2c);
        for chunk in [4096, 7] {
            let (ev2, _, _) = frame_with(&data, Side::Server, chunk, &s2c);
            assert_eq!(ev2, events, "{name} in {chunk}-byte reads");
        }
        if name.starts_with("13-") {
            // This error session sends a line ended by a bare LF, which
            // Dovecot accepts and we refuse (RFC 9051 section 2.2: CRLF).
            assert!(errors >= 1, "{name}: {events:?}");
            continue;
        }
        assert_eq!(errors, 0, "{name}: {events:?}");
        if events.iter().any(|e| e == "refuse") {
            // A refused command's text is dropped, not handed out: the
            // rest must still be the input with those lines removed.
            assert!(bytes.len() < data.len());
            assert!(data.ends_with(b"LOGOUT\r\n") && bytes.ends_with(b"LOGOUT\r\n"));
        } else {
            assert_eq!(bytes, data, "{name}: not reassembled exactly");
        }
    }
}

#[test]
fn the_append_session_has_literals_of_every_kind() {
    let c2s = std::fs::read(data_dir().join("04-append.c2s")).unwrap();
    let s2c = std::fs::read(data_dir().join("04-append.s2c")).unwrap();
    let (events, _, _) = frame_with(&c2s, Side::Server, c2s.len(), &s2c);
    assert!(events.iter().any(|e| e == "continue"), "{events:?}");
    // Two APPENDs were refused before their data (no such folder, bad date).
    assert_eq!(
        events.iter().filter(|e| *e == "refuse").count(),
        2,
        "{events:?}"
    );
    let text = String::from_utf8_lossy(&c2s);
    assert!(text.contains("+}\r\n"), "a LITERAL+ literal");
    assert!(text.contains("~{"), "a BINARY literal8");
}
