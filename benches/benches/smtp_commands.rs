//! SMTP command parsing: a pipelined buffer of 64 commands, parsed into
//! typed values by our `smtp-proto` and by stalwart's `smtp-proto` 0.2.5.
//!
//! Both parsers do the same job: find each line end and parse the whole line
//! (verb, path, every ESMTP parameter). Differences that favour the peer:
//! stalwart accepts a bare LF as a line end and drops unknown parameters,
//! while ours checks for CRLF and keeps unknown text.
#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mail_wire::Status;
use mail_wire::line::{Framed, LineFramer, LineOptions};
use smtp_proto::{Command, parse_command};
use stalwart_smtp_proto::Request;
use stalwart_smtp_proto_01::Request as Request01;

/// Number of commands in the benchmark buffer.
const COMMANDS: usize = 64;

/// One mail transaction as a pipelining client sends it.
fn transaction(n: usize) -> Vec<String> {
    vec![
        format!(
            "MAIL FROM:<newsletter-bounces+user{n}=example.org@lists.mailer-service.example.com> SIZE={} BODY=8BITMIME",
            48_213 + n * 977
        ),
        format!("RCPT TO:<alice.smith{n}@example.org>"),
        format!("RCPT TO:<robert.jones-{n}@mail.engineering.example.net>"),
        format!(
            "RCPT TO:<carol.w@department{n}.example.co.uk> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;carol.w@department{n}.example.co.uk"
        ),
        "RCPT TO:<dave@example.com>".to_string(),
        "RCPT TO:<postmaster@relay-07.example.org>".to_string(),
        "DATA".to_string(),
        "RSET".to_string(),
        "NOOP".to_string(),
    ]
}

/// 64 CRLF-terminated commands: EHLO, AUTH PLAIN, several transactions,
/// QUIT.
fn command_buffer() -> Vec<u8> {
    let mut lines = vec![
        "EHLO mail-out-17.sender.example.com".to_string(),
        // base64 of "\0alice@example.org\0correct horse battery staple"
        "AUTH PLAIN AGFsaWNlQGV4YW1wbGUub3JnAGNvcnJlY3QgaG9yc2UgYmF0dGVyeSBzdGFwbGU=".to_string(),
    ];
    let mut n = 0;
    while lines.len() < COMMANDS - 1 {
        lines.extend(transaction(n));
        n += 1;
    }
    lines.truncate(COMMANDS - 1);
    lines.push("QUIT".to_string());
    let mut buf = Vec::new();
    for l in lines {
        buf.extend_from_slice(l.as_bytes());
        buf.extend_from_slice(b"\r\n");
    }
    buf
}

/// Ours, httparse style: `parse_command` on the rest of the buffer.
fn ours_parse_command(buf: &[u8]) -> usize {
    let mut pos = 0;
    let mut count = 0;
    while let Some(rest) = buf.get(pos..).filter(|r| !r.is_empty()) {
        match parse_command(rest) {
            Ok(Status::Complete(cmd, n)) => {
                black_box(cmd);
                pos += n;
                count += 1;
            }
            _ => break,
        }
    }
    count
}

/// Ours, the way a session frames: `LineFramer` then `Command::parse`.
fn ours_framer(buf: &[u8]) -> usize {
    let mut framer = LineFramer::new(LineOptions::default());
    let mut pos = 0;
    let mut count = 0;
    loop {
        let rest = buf.get(pos..).unwrap_or_default();
        match framer.poll(rest) {
            Ok(Framed::Line(line)) => {
                match Command::parse(line.content(rest)) {
                    Ok(cmd) => {
                        black_box(cmd);
                        count += 1;
                    }
                    Err(_) => break,
                }
                pos += line.consumed;
            }
            _ => break,
        }
    }
    count
}

/// Stalwart: `Request::parse` in a loop on one iterator.
fn stalwart(buf: &[u8]) -> usize {
    let mut it = buf.iter();
    let mut count = 0;
    while !it.as_slice().is_empty() {
        match Request::parse(&mut it) {
            Ok(req) => {
                black_box(req);
                count += 1;
            }
            Err(_) => break,
        }
    }
    count
}

/// Stalwart 0.1.7, the same loop.
fn stalwart_0_1(buf: &[u8]) -> usize {
    let mut it = buf.iter();
    let mut count = 0;
    while !it.as_slice().is_empty() {
        match Request01::parse(&mut it) {
            Ok(req) => {
                black_box(req);
                count += 1;
            }
            Err(_) => break,
        }
    }
    count
}

fn bench(c: &mut Criterion) {
    let buf = command_buffer();
    // Same work on both sides: every command parses.
    assert_eq!(ours_parse_command(&buf), COMMANDS, "ours (parse_command)");
    assert_eq!(ours_framer(&buf), COMMANDS, "ours (LineFramer)");
    assert_eq!(stalwart(&buf), COMMANDS, "stalwart");
    assert_eq!(stalwart_0_1(&buf), COMMANDS, "stalwart 0.1");

    let mut g = c.benchmark_group("smtp_commands");
    g.throughput(Throughput::Bytes(buf.len() as u64));
    g.bench_function("ours", |b| b.iter(|| ours_parse_command(black_box(&buf))));
    g.bench_function("ours_framer", |b| b.iter(|| ours_framer(black_box(&buf))));
    g.bench_function("stalwart", |b| b.iter(|| stalwart(black_box(&buf))));
    g.bench_function("stalwart_0_1", |b| b.iter(|| stalwart_0_1(black_box(&buf))));
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = bench
}
criterion_main!(benches);
