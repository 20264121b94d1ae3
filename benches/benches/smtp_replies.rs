//! SMTP reply parsing, client side: a multi-line EHLO response read into
//! its capabilities, and a batch of pipelined single-line replies, by our
//! `smtp-proto` and by stalwart's `smtp-proto` 0.2.5.
//!
//! Differences: ours borrows text from the input and keeps unknown EHLO
//! keywords; stalwart copies each reply's text into a `String`, turns known
//! EHLO keywords into bit flags and drops unknown ones.
#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mail_wire::Status;
use smtp_proto::{EhloResponse, ReplyParser};
use stalwart_smtp_proto::EhloResponse as PeerEhlo;
use stalwart_smtp_proto::response::parser::ResponseReceiver;

/// An EHLO response as a large provider's submission server sends it.
const EHLO: &[u8] = b"250-smtp.mail-provider.example.com at your service, [192.0.2.44]\r\n\
250-SIZE 35882577\r\n\
250-8BITMIME\r\n\
250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH\r\n\
250-ENHANCEDSTATUSCODES\r\n\
250-PIPELINING\r\n\
250-CHUNKING\r\n\
250-DSN\r\n\
250-DELIVERBY 240\r\n\
250-MT-PRIORITY MIXER\r\n\
250-REQUIRETLS\r\n\
250-BINARYMIME\r\n\
250 SMTPUTF8\r\n";

/// Number of capability lines in [`EHLO`] after the first line.
const EHLO_CAPS: usize = 12;

/// The replies to a pipelined transaction (MAIL, five RCPT, DATA), then the
/// reply to the message and to RSET/NOOP/QUIT, repeated to 32 replies.
fn pipelined_replies() -> Vec<u8> {
    let one: &[&[u8]] = &[
        b"250 2.1.0 Sender <newsletter-bounces@lists.example.com> OK\r\n",
        b"250 2.1.5 Recipient <alice.smith@example.org> OK\r\n",
        b"250 2.1.5 Recipient <robert.jones@mail.engineering.example.net> OK\r\n",
        b"550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown\r\n",
        b"250 2.1.5 Ok\r\n",
        b"452 4.5.3 Too many recipients\r\n",
        b"354 End data with <CR><LF>.<CR><LF>\r\n",
        b"250 2.0.0 Ok: queued as 4XbK2Q1fzRz9vD\r\n",
    ];
    let mut buf = Vec::new();
    for _ in 0..4 {
        for r in one {
            buf.extend_from_slice(r);
        }
    }
    buf
}

/// Number of replies in [`pipelined_replies`].
const REPLIES: usize = 32;

fn ours_ehlo(buf: &[u8]) -> usize {
    match EhloResponse::parse(buf) {
        Ok(Status::Complete(ehlo, _)) => {
            let n = ehlo.capabilities().len();
            black_box(ehlo);
            n
        }
        _ => 0,
    }
}

fn stalwart_ehlo(buf: &[u8]) -> usize {
    match PeerEhlo::parse(&mut buf.iter()) {
        Ok(ehlo) => {
            let n = ehlo.capabilities.count_ones() as usize;
            black_box(ehlo);
            n
        }
        Err(_) => 0,
    }
}

fn ours_replies(buf: &[u8]) -> usize {
    let mut parser = ReplyParser::new();
    let mut pos = 0;
    let mut count = 0;
    while let Some(rest) = buf.get(pos..).filter(|r| !r.is_empty()) {
        match parser.parse(rest) {
            Ok(Status::Complete(reply, n)) => {
                black_box(reply);
                pos += n;
                count += 1;
            }
            _ => break,
        }
    }
    count
}

fn stalwart_replies(buf: &[u8]) -> usize {
    let mut rr = ResponseReceiver::default();
    let mut it = buf.iter();
    let mut count = 0;
    while !it.as_slice().is_empty() {
        match rr.parse(&mut it) {
            Ok(reply) => {
                black_box(reply);
                rr.reset();
                count += 1;
            }
            Err(_) => break,
        }
    }
    count
}

fn bench(c: &mut Criterion) {
    // Same work on both sides: everything parses.
    assert_eq!(ours_ehlo(EHLO), EHLO_CAPS, "ours: EHLO capabilities");
    assert!(stalwart_ehlo(EHLO) > 0, "stalwart: EHLO did not parse");
    let replies = pipelined_replies();
    assert_eq!(ours_replies(&replies), REPLIES, "ours: replies");
    assert_eq!(stalwart_replies(&replies), REPLIES, "stalwart: replies");

    let mut g = c.benchmark_group("smtp_replies_ehlo");
    g.throughput(Throughput::Bytes(EHLO.len() as u64));
    g.bench_function("ours", |b| b.iter(|| ours_ehlo(black_box(EHLO))));
    g.bench_function("stalwart", |b| b.iter(|| stalwart_ehlo(black_box(EHLO))));
    g.finish();

    let mut g = c.benchmark_group("smtp_replies_pipelined");
    g.throughput(Throughput::Bytes(replies.len() as u64));
    g.bench_function("ours", |b| b.iter(|| ours_replies(black_box(&replies))));
    g.bench_function("stalwart", |b| {
        b.iter(|| stalwart_replies(black_box(&replies)))
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
