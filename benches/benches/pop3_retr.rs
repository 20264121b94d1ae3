//! POP3 `RETR`: a complete response to `RETR` (`+OK` status line, then a
//! 1 MiB dot-stuffed message ending in `.` CRLF, RFC 1939 section 3), read
//! from memory.
//!
//! * `ours`: the status line's end found with `memchr`, then the body
//!   unstuffed by `mail_wire::dot::DotDecoder` in its default strict mode
//!   (bare CR or LF are errors) into a reused `Vec`; `ours_4k_reads` does the
//!   same fed in 4 KiB pieces, as from a socket; `ours_zero_copy` hands the
//!   body out as slices of the input (`decode_with`), without copying.
//! * `ours_client_session`: the whole `pop3_proto::client::Client` path a
//!   user gets: a logged-in session that sent `RETR 1` receives the response
//!   in 64 KiB reads through `receive` (which copies each read into the
//!   session's buffer) and hands the body out as `BodyChunk(Bytes)` events;
//!   the events are drained and their lengths summed.
//!   `ours_client_session_owned` is the same through `receive_owned`, which
//!   takes the read buffers themselves (as a socket read into a `BytesMut`
//!   leaves them; preparing them is outside the measured time), so the body
//!   is never copied.
//! * `pop3_codec`: the peer, `pop3-codec` 0.3.0 (nom), through its public
//!   `parse::response_retr`. It parses the status line and splits the body
//!   into one `String` per line (checking UTF-8) but does not remove the
//!   transparency dots: its output still has them, so it does less than ours.
//!   It needs the whole response in one buffer.
//! * `memchr_scan`: a count of the LFs, the cost of looking at every line
//!   once (a floor for any line-based parser); `memcpy`: copying the input,
//!   a floor for a decoder that writes its output.
//!
//! Before measuring, each variant's output is checked against the message.
#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use bytes::BytesMut;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use mail_wire::dot::{DotDecoder, DotOptions};
use pop3_codec::types::Response;
use pop3_proto::MsgNum;
use pop3_proto::client::{Client, ClientConfig, ClientEvent};

/// Size of the message before stuffing.
const BODY_LEN: usize = 1 << 20;
/// Read size for the chunked variant (a typical socket read).
const CHUNK: usize = 4096;

/// A mail-like message: a header block, then paragraphs of text lines of
/// varying length (up to 78 octets) separated by empty lines; about one line
/// in 40 starts with a dot, some of them a line that is only ".".
/// Returns (message, the whole RETR response on the wire).
fn message() -> (Vec<u8>, Vec<u8>) {
    const WORDS: [&[u8]; 16] = [
        b"the",
        b"message",
        b"POP3",
        b"server",
        b"mailbox",
        b"retrieve",
        b"octets",
        b"line",
        b"a",
        b"of",
        b"with",
        b"Dovecot",
        b"transparency",
        b"response",
        b"dot",
        b"terminated",
    ];
    let mut body = Vec::with_capacity(BODY_LEN + 100);
    body.extend_from_slice(
        b"Return-Path: <alice@example.org>\r\n\
          Received: from mx.example.org (mx.example.org [192.0.2.1])\r\n\
          \tby pop.example.net with ESMTP id 4F2A1B3C4D\r\n\
          \tfor <bob@example.net>; Thu, 01 Jan 2026 00:00:00 +0000\r\n\
          From: Alice <alice@example.org>\r\nTo: bob@example.net\r\n\
          Subject: benchmark\r\nMessage-ID: <bench@example.org>\r\n\
          Date: Thu, 01 Jan 2026 00:00:00 +0000\r\nMIME-Version: 1.0\r\n\
          Content-Type: text/plain; charset=us-ascii\r\n\r\n",
    );
    let mut seed: u32 = 0x1234_5678;
    let mut next = || {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        (seed >> 16) as usize
    };
    let mut line_no = 0usize;
    while body.len() < BODY_LEN {
        line_no += 1;
        if line_no.is_multiple_of(12) {
            body.extend_from_slice(b"\r\n"); // paragraph break
            continue;
        }
        if line_no % 40 == 7 {
            body.push(b'.');
            if line_no % 200 == 7 {
                body.extend_from_slice(b"\r\n"); // a line that is only "."
                continue;
            }
        }
        let width = 20 + next() % 59;
        let start = body.len();
        loop {
            let w = WORDS[next() % WORDS.len()];
            if body.len() - start + w.len() + 1 > width {
                break;
            }
            body.extend_from_slice(w);
            body.push(b' ');
        }
        body.pop();
        body.extend_from_slice(b"\r\n");
    }
    let mut wire = Vec::with_capacity(body.len() + body.len() / 40 + 64);
    wire.extend_from_slice(format!("+OK {} octets\r\n", body.len()).as_bytes());
    let mut at_line_start = true;
    for &b in &body {
        if at_line_start && b == b'.' {
            wire.push(b'.');
        }
        wire.push(b);
        at_line_start = b == b'\n';
    }
    wire.extend_from_slice(b".\r\n");
    (body, wire)
}

/// The body after the status line, or `None` if it is not `+OK`.
fn after_status(wire: &[u8]) -> Option<&[u8]> {
    let eol = memchr::memchr(b'\n', wire)?;
    wire.starts_with(b"+OK").then_some(wire.get(eol + 1..)?)
}

fn ours(wire: &[u8], out: &mut Vec<u8>, chunk: usize) -> bool {
    out.clear();
    let Some(body) = after_status(wire) else {
        return false;
    };
    let mut dec = DotDecoder::new(DotOptions::default());
    for piece in body.chunks(chunk) {
        match dec.decode(piece, out) {
            Ok(d) if d.done => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    false
}

fn ours_zero_copy<'a>(wire: &'a [u8], pieces: &mut Vec<&'a [u8]>) -> bool {
    pieces.clear();
    let Some(body) = after_status(wire) else {
        return false;
    };
    let mut dec = DotDecoder::new(DotOptions::default());
    matches!(dec.decode_with(body, |p| pieces.push(p)), Ok(d) if d.done)
}

/// The peer's lines, or `None` if it did not parse a complete `+OK` response.
fn pop3_codec(wire: &[u8]) -> Option<Vec<String>> {
    match pop3_codec::parse::response_retr(wire) {
        Ok(([], Response::Ok(multi))) => Some(multi.body),
        _ => None,
    }
}

/// A client session that has logged in and sent `RETR 1`.
fn client_ready() -> Client {
    let mut c = Client::new(ClientConfig::default());
    c.receive(b"+OK ready\r\n");
    c.user_pass("tim", "secret").unwrap();
    c.receive(b"+OK\r\n+OK logged in\r\n");
    c.retr(MsgNum::new(1).unwrap()).unwrap();
    while c.poll_event().is_some() {}
    let _ = c.take_output();
    c
}

/// Feeds the RETR response to a ready session; returns the body octets
/// handed out, or 0 if the body did not end.
fn ours_client_session(mut c: Client, wire: &[u8]) -> usize {
    let mut total = 0;
    let mut ended = false;
    for piece in wire.chunks(64 * 1024) {
        c.receive(piece);
        drain(&mut c, &mut total, &mut ended);
    }
    if ended { total } else { 0 }
}

/// The same through `receive_owned`, with the reads already in buffers.
fn ours_client_session_owned(mut c: Client, reads: Vec<BytesMut>) -> usize {
    let mut total = 0;
    let mut ended = false;
    for read in reads {
        c.receive_owned(read);
        drain(&mut c, &mut total, &mut ended);
    }
    if ended { total } else { 0 }
}

fn reads(wire: &[u8]) -> Vec<BytesMut> {
    wire.chunks(64 * 1024).map(BytesMut::from).collect()
}

/// Drains the session's events, adding up the body octets.
fn drain(c: &mut Client, total: &mut usize, ended: &mut bool) {
    while let Some(ev) = c.poll_event() {
        match ev {
            ClientEvent::BodyChunk(b) => *total += b.len(),
            ClientEvent::BodyEnd { .. } => *ended = true,
            _ => {}
        }
    }
}

fn bench(c: &mut Criterion) {
    let (body, wire) = message();
    let mut out = Vec::with_capacity(wire.len());

    // Same work everywhere: every variant finds the same message.
    for chunk in [wire.len(), CHUNK] {
        assert!(ours(&wire, &mut out, chunk), "ours did not end");
        assert_eq!(out, body, "ours decoded wrongly");
    }
    let mut pieces = Vec::new();
    assert!(
        ours_zero_copy(&wire, &mut pieces),
        "ours (zero-copy) did not end"
    );
    assert_eq!(pieces.concat(), body, "ours (zero-copy) decoded wrongly");
    let Some(lines) = pop3_codec(&wire) else {
        panic!("pop3-codec did not parse the response");
    };
    // pop3-codec keeps the transparency dots: remove them here to compare.
    let mut peer_body = Vec::with_capacity(body.len());
    for line in &lines {
        let line = line.strip_prefix('.').unwrap_or(line);
        peer_body.extend_from_slice(line.as_bytes());
        peer_body.extend_from_slice(b"\r\n");
    }
    assert_eq!(peer_body, body, "pop3-codec split the lines wrongly");
    assert!(
        lines.iter().any(|l| l.starts_with("..")),
        "the message has no dot lines"
    );

    assert_eq!(
        ours_client_session(client_ready(), &wire),
        body.len(),
        "the client session did not hand out the whole body"
    );
    assert_eq!(
        ours_client_session_owned(client_ready(), reads(&wire)),
        body.len(),
        "the client session (owned reads) did not hand out the whole body"
    );

    let mut g = c.benchmark_group("pop3_retr");
    g.throughput(Throughput::Bytes(wire.len() as u64));
    g.bench_function("ours", |b| {
        b.iter(|| ours(black_box(&wire), &mut out, wire.len()))
    });
    g.bench_function("ours_4k_reads", |b| {
        b.iter(|| ours(black_box(&wire), &mut out, CHUNK))
    });
    g.bench_function("ours_zero_copy", |b| {
        b.iter(|| ours_zero_copy(black_box(&wire), &mut pieces))
    });
    g.bench_function("ours_client_session", |b| {
        b.iter_batched(
            client_ready,
            |client| ours_client_session(client, black_box(&wire)),
            BatchSize::SmallInput,
        )
    });
    g.bench_function("ours_client_session_owned", |b| {
        b.iter_batched(
            || (client_ready(), reads(&wire)),
            |(client, reads)| ours_client_session_owned(client, reads),
            // Each iteration's reads are prepared just before it, so they
            // are in cache as a socket read leaves them (batching many
            // would measure memory bandwidth instead).
            BatchSize::PerIteration,
        )
    });
    g.bench_function("pop3_codec", |b| b.iter(|| pop3_codec(black_box(&wire))));
    g.bench_function("memcpy", |b| {
        b.iter(|| {
            out.clear();
            out.extend_from_slice(black_box(&wire));
        })
    });
    g.bench_function("memchr_scan", |b| {
        b.iter(|| memchr::memchr_iter(b'\n', black_box(&wire)).count())
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
