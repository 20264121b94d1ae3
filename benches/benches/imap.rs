//! IMAP parsing beside the peers: `imap-codec` 2.0.0-alpha.10 (the newest
//! release) and djc's `imap-proto` 0.16 (renamed `djc-imap-proto` here, as
//! ours has the same name), on the same inputs, in one run.
//!
//! * `imap_fetch`: the FETCH response of RFC 3501 section 8 (FLAGS,
//!   INTERNALDATE, RFC822.SIZE, ENVELOPE, BODY), one complete message.
//!   djc's imap-proto fails to parse it (at `BODY (...)`), so only
//!   imap-codec is beside ours there.
//! * `imap_body_literal`: `* 1 FETCH (UID 7 BODY[] {1048576}` with 1 MiB of
//!   message, arriving in 4 KiB reads as from a socket. Ours: the framer
//!   (which streams a literal above 64 KiB as zero-copy chunks, holding at
//!   most its limits) with `parse_fetch_head`/`parse_fetch_rest`. The peers:
//!   the bytes received so far are kept in one buffer and parsed again
//!   after every read until a parse succeeds, which is how their
//!   whole-message `decode`/`parse_response` are driven from a socket.
//!   `ours_4k_reads_owned` hands the framer the read buffers themselves
//!   (`feed_owned`, as after a socket read into a `BytesMut`; the buffers
//!   are filled outside the timed part), so the literal is never copied.
//! * `imap_search`: a 600 KB `* SEARCH` response, whole and in 4 KiB reads
//!   (same driving as above).
//! * `imap_command`: a pipelined buffer of `UID FETCH` commands with
//!   sections and partials, parsed one after the other.
//!
//! Before measuring, every variant is checked to find the same data.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::time::Duration;

use bytes::BytesMut;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use imap_codec::decode::{Decoder, ResponseDecodeError};
use imap_codec::{CommandCodec, ResponseCodec};
use imap_proto::parse::fetch::{parse_fetch_head, parse_fetch_rest};
use imap_proto::parse::framer::{FrameEvent, Framer, FramerLimits, Side};
use imap_proto::types::{Data, Response};
use imap_proto::{Command, ResponseOptions};

const READ: usize = 4096;

/// RFC 3501 section 8, the FETCH response of the example session.
const FETCH: &[u8] = b"* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE 4286 ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"IMAP4rev1 WG mtg summary and minutes\" ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((NIL NIL \"imap\" \"cac.washington.edu\")) ((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL \"<B27397-0100000@cac.washington.edu>\") BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92))\r\n";

fn body_response() -> (Vec<u8>, usize) {
    let len = 1 << 20;
    let mut msg = Vec::with_capacity(len + 64);
    msg.extend_from_slice(format!("* 1 FETCH (UID 7 BODY[] {{{len}}}\r\n").as_bytes());
    let line = b"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.\r\n";
    let start = msg.len();
    while msg.len() - start < len {
        let room = len - (msg.len() - start);
        msg.extend_from_slice(&line[..room.min(line.len())]);
    }
    msg.extend_from_slice(b")\r\n");
    (msg, len)
}

fn search_response() -> (Vec<u8>, usize) {
    let mut msg = b"* SEARCH".to_vec();
    let mut n = 0;
    while msg.len() < 600_000 {
        n += 1;
        msg.extend_from_slice(format!(" {}", n * 3).as_bytes());
    }
    msg.extend_from_slice(b"\r\n");
    (msg, n)
}

fn commands() -> (Vec<u8>, usize) {
    let mut buf = Vec::new();
    for i in 0..64 {
        buf.extend_from_slice(
            format!(
                "A{i:03} UID FETCH {}:{},{} (UID FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (DATE FROM TO SUBJECT MESSAGE-ID)] BODY.PEEK[1.2]<0.2048> BODYSTRUCTURE)\r\n",
                100 + i,
                200 + i * 7,
                4000 + i
            )
            .as_bytes(),
        );
    }
    (buf, 64)
}

// ----- ours -----------------------------------------------------------------

fn ours_fetch(msg: &[u8]) -> usize {
    match Response::parse(msg) {
        Ok(Response::Data(Data::Fetch { items, .. })) => items.len(),
        other => panic!("{other:?}"),
    }
}

/// The body response through the framer in `read`-byte pieces; returns the
/// literal octets seen.
fn ours_body(wire: &[u8], read: usize) -> usize {
    let mut f = Framer::new(FramerLimits::client(), Side::Client);
    let opts = ResponseOptions::default();
    let mut seen = 0;
    let mut done = false;
    for piece in wire.chunks(read) {
        f.feed(piece);
        while let Some(ev) = f.next_event() {
            match ev.unwrap() {
                FrameEvent::MessageStart { head, .. } => {
                    black_box(parse_fetch_head(&head, opts).unwrap());
                }
                FrameEvent::LiteralChunk(c) => seen += c.len(),
                FrameEvent::MessageEnd(rest) => {
                    black_box(parse_fetch_rest(&rest, opts).unwrap());
                    done = true;
                }
                FrameEvent::Message(m) => {
                    // Under the streaming threshold: parsed whole.
                    black_box(Response::parse(&m).unwrap());
                    done = true;
                }
                other => panic!("{other:?}"),
            }
        }
    }
    assert!(done);
    seen
}

/// The same through `feed_owned`: the reads are the buffers a socket read
/// into (prepared outside the timed part), which the framer takes without
/// copying.
fn ours_body_owned(reads: Vec<BytesMut>) -> usize {
    let mut f = Framer::new(FramerLimits::client(), Side::Client);
    let opts = ResponseOptions::default();
    let mut seen = 0;
    let mut done = false;
    for read in reads {
        f.feed_owned(read);
        while let Some(ev) = f.next_event() {
            match ev.unwrap() {
                FrameEvent::MessageStart { head, .. } => {
                    black_box(parse_fetch_head(&head, opts).unwrap());
                }
                FrameEvent::LiteralChunk(c) => seen += c.len(),
                FrameEvent::MessageEnd(rest) => {
                    black_box(parse_fetch_rest(&rest, opts).unwrap());
                    done = true;
                }
                other => panic!("{other:?}"),
            }
        }
    }
    assert!(done);
    seen
}

fn reads(wire: &[u8]) -> Vec<BytesMut> {
    wire.chunks(READ).map(BytesMut::from).collect()
}

fn ours_search(wire: &[u8], read: usize) -> usize {
    let mut f = Framer::new(FramerLimits::client(), Side::Client);
    let mut ids = 0;
    for piece in wire.chunks(read) {
        f.feed(piece);
        while let Some(ev) = f.next_event() {
            let FrameEvent::Message(m) = ev.unwrap() else {
                panic!("not one message")
            };
            match Response::parse(&m) {
                Ok(Response::Data(Data::Search { ids: v, .. })) => ids = v.len(),
                other => panic!("{other:?}"),
            }
        }
    }
    ids
}

fn ours_commands(buf: &[u8]) -> usize {
    let mut f = Framer::new(FramerLimits::server(), Side::Server);
    f.feed(buf);
    let mut n = 0;
    while let Some(ev) = f.next_event() {
        let FrameEvent::Message(m) = ev.unwrap() else {
            panic!("not one message")
        };
        black_box(Command::parse(&m).unwrap());
        n += 1;
    }
    n
}

// ----- imap-codec -------------------------------------------------------------

fn codec_fetch(msg: &[u8]) -> usize {
    let (rest, resp) = ResponseCodec::default().decode(msg).unwrap();
    assert!(rest.is_empty());
    black_box(resp);
    1
}

/// Keeps what arrived in one buffer and decodes it again after each read.
fn codec_retry(wire: &[u8], read: usize) -> usize {
    let codec = ResponseCodec::default();
    let mut buf = Vec::new();
    let mut attempts = 0;
    for piece in wire.chunks(read) {
        buf.extend_from_slice(piece);
        attempts += 1;
        match codec.decode(&buf) {
            Ok((rest, resp)) => {
                assert!(rest.is_empty());
                black_box(resp);
                return attempts;
            }
            Err(ResponseDecodeError::Incomplete)
            | Err(ResponseDecodeError::LiteralFound { .. }) => {}
            Err(e) => panic!("{e:?}"),
        }
    }
    panic!("imap-codec did not finish")
}

fn codec_commands(buf: &[u8]) -> usize {
    let codec = CommandCodec::default();
    let mut rest = buf;
    let mut n = 0;
    while !rest.is_empty() {
        let (r, cmd) = codec.decode(rest).unwrap();
        black_box(cmd);
        rest = r;
        n += 1;
    }
    n
}

// ----- djc's imap-proto -------------------------------------------------------

fn djc_retry(wire: &[u8], read: usize) -> usize {
    let mut buf = Vec::new();
    let mut attempts = 0;
    for piece in wire.chunks(read) {
        buf.extend_from_slice(piece);
        attempts += 1;
        match djc_imap_proto::parser::parse_response(&buf) {
            Ok((rest, resp)) => {
                assert!(rest.is_empty());
                black_box(resp);
                return attempts;
            }
            Err(nom::Err::Incomplete(_)) => {}
            Err(e) => panic!("{e:?}"),
        }
    }
    panic!("djc imap-proto did not finish")
}

fn bench(c: &mut Criterion) {
    let (body, body_len) = body_response();
    let (search, search_ids) = search_response();
    let (cmds, ncmds) = commands();

    // Same work everywhere.
    assert_eq!(ours_fetch(FETCH), 5);
    codec_fetch(FETCH);
    // djc's imap-proto cannot parse this example (it fails at the
    // non-extensible `BODY (...)`), so it has no row in `imap_fetch`.
    assert!(djc_imap_proto::parser::parse_response(FETCH).is_err());
    assert_eq!(ours_body(&body, READ), body_len);
    assert_eq!(ours_body(&body, body.len()), body_len);
    assert_eq!(ours_body_owned(reads(&body)), body_len);
    codec_retry(&body, READ);
    djc_retry(&body, READ);
    assert_eq!(ours_search(&search, search.len()), search_ids);
    assert_eq!(ours_search(&search, READ), search_ids);
    codec_retry(&search, search.len());
    djc_retry(&search, search.len());
    assert_eq!(ours_commands(&cmds), ncmds);
    assert_eq!(codec_commands(&cmds), ncmds);

    let mut g = c.benchmark_group("imap_fetch");
    g.throughput(Throughput::Bytes(FETCH.len() as u64));
    g.bench_function("ours", |b| b.iter(|| ours_fetch(black_box(FETCH))));
    g.bench_function("imap_codec", |b| b.iter(|| codec_fetch(black_box(FETCH))));
    g.finish();

    let mut g = c.benchmark_group("imap_body_literal");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function("ours_4k_reads", |b| {
        b.iter(|| ours_body(black_box(&body), READ))
    });
    g.bench_function("ours_4k_reads_owned", |b| {
        b.iter_batched(|| reads(&body), ours_body_owned, BatchSize::PerIteration)
    });
    g.bench_function("imap_codec_4k_reads", |b| {
        b.iter(|| codec_retry(black_box(&body), READ))
    });
    g.bench_function("djc_imap_proto_4k_reads", |b| {
        b.iter(|| djc_retry(black_box(&body), READ))
    });
    g.finish();

    let mut g = c.benchmark_group("imap_search");
    g.throughput(Throughput::Bytes(search.len() as u64));
    g.bench_function("ours_whole", |b| {
        b.iter(|| ours_search(black_box(&search), search.len()))
    });
    g.bench_function("ours_4k_reads", |b| {
        b.iter(|| ours_search(black_box(&search), READ))
    });
    g.bench_function("imap_codec_whole", |b| {
        b.iter(|| codec_retry(black_box(&search), search.len()))
    });
    g.bench_function("imap_codec_4k_reads", |b| {
        b.iter(|| codec_retry(black_box(&search), READ))
    });
    g.bench_function("djc_imap_proto_whole", |b| {
        b.iter(|| djc_retry(black_box(&search), search.len()))
    });
    g.bench_function("djc_imap_proto_4k_reads", |b| {
        b.iter(|| djc_retry(black_box(&search), READ))
    });
    g.finish();

    let mut g = c.benchmark_group("imap_command");
    g.throughput(Throughput::Bytes(cmds.len() as u64));
    g.bench_function("ours", |b| b.iter(|| ours_commands(black_box(&cmds))));
    g.bench_function("imap_codec", |b| {
        b.iter(|| codec_commands(black_box(&cmds)))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
