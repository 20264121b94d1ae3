//! SMTP `DATA` unstuffing: a 1 MiB dot-stuffed message body ending in
//! `<CRLF>.<CRLF>`, decoded by our `mail_wire::dot::DotDecoder` and by
//! stalwart's `DataReceiver`, beside a bare `memchr` count of the line ends
//! (the cost of looking at every line once, a floor for any decoder).
//! `stalwart_0_1` is the same receiver in stalwart's 0.1.7 release, which
//! handles one byte at a time.
//!
//! `ours` runs in the default strict mode: it checks every line end for a
//! bare CR or LF, which costs a pass over the data. Stalwart's receiver
//! accepts bare line ends without looking; `ours_lenient` does the same
//! work as it (both leniencies of `DotOptions` on). `memcpy` (copying the
//! input into the output buffer) and `memchr_scan` are floors: any decoder
//! that writes its output costs at least the copy.
#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mail_wire::dot::{DotDecoder, DotOptions};
use stalwart_smtp_proto::request::receiver::DataReceiver;
use stalwart_smtp_proto_01::request::receiver::DataReceiver as DataReceiver01;

/// Size of the message body before stuffing.
const BODY_LEN: usize = 1 << 20;
/// Read size for the chunked variants (a typical socket read).
const CHUNK: usize = 4096;

/// A message of 76-character text lines; every 40th line starts with a dot.
/// Returns (message, dot-stuffed wire form with the terminator).
fn message() -> (Vec<u8>, Vec<u8>) {
    const ALPHABET: &[u8] =
        b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,;:-=+/?!()";
    let mut body = Vec::with_capacity(BODY_LEN + 80);
    body.extend_from_slice(
        b"From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: benchmark\r\n\r\n",
    );
    let mut seed: u32 = 0x1234_5678;
    let mut line = 0usize;
    while body.len() < BODY_LEN {
        for col in 0..76 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let b = if col == 0 && line % 40 == 7 {
                b'.'
            } else {
                ALPHABET[(seed >> 16) as usize % ALPHABET.len()]
            };
            body.push(b);
        }
        body.extend_from_slice(b"\r\n");
        line += 1;
    }
    let mut wire = Vec::with_capacity(body.len() + body.len() / 40 + 8);
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

/// Our decoder with both leniencies on: bare CR and LF pass as data, the
/// same semantics as stalwart's receiver.
const LENIENT: DotOptions = DotOptions {
    allow_bare_lf: true,
    allow_bare_cr: true,
};

fn ours(wire: &[u8], out: &mut Vec<u8>, chunk: usize) -> bool {
    ours_with(DotOptions::default(), wire, out, chunk)
}

fn ours_with(opts: DotOptions, wire: &[u8], out: &mut Vec<u8>, chunk: usize) -> bool {
    out.clear();
    let mut dec = DotDecoder::new(opts);
    for piece in wire.chunks(chunk) {
        match dec.decode(piece, out) {
            Ok(d) if d.done => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    false
}

fn stalwart(wire: &[u8], out: &mut Vec<u8>, chunk: usize) -> bool {
    out.clear();
    let mut dr = DataReceiver::new();
    for piece in wire.chunks(chunk) {
        if dr.ingest(&mut piece.iter(), out) {
            return true;
        }
    }
    false
}

/// Ours without the copy: the body handed out as slices of the input
/// (`DotDecoder::decode_with`, what the server session does).
fn ours_zero_copy<'a>(wire: &'a [u8], pieces: &mut Vec<&'a [u8]>) -> bool {
    pieces.clear();
    let mut dec = DotDecoder::new(DotOptions::default());
    matches!(dec.decode_with(wire, |p| pieces.push(p)), Ok(d) if d.done)
}

/// Stalwart 0.1.7: the same API, one byte at a time.
fn stalwart_0_1(wire: &[u8], out: &mut Vec<u8>, chunk: usize) -> bool {
    out.clear();
    let mut dr = DataReceiver01::new();
    for piece in wire.chunks(chunk) {
        if dr.ingest(&mut piece.iter(), out) {
            return true;
        }
    }
    false
}

fn bench(c: &mut Criterion) {
    let (body, wire) = message();
    let mut out_ours = Vec::with_capacity(wire.len());
    let mut out_peer = Vec::with_capacity(wire.len());
    // Same work on both sides: identical output, the end found.
    for chunk in [wire.len(), CHUNK] {
        assert!(
            ours_with(LENIENT, &wire, &mut out_ours, chunk),
            "ours (lenient) did not end"
        );
        assert_eq!(out_ours, body, "ours (lenient) decoded wrongly");
        assert!(ours(&wire, &mut out_ours, chunk), "ours did not end");
        assert!(
            stalwart(&wire, &mut out_peer, chunk),
            "stalwart did not end"
        );
        assert_eq!(out_ours, body, "ours decoded wrongly");
        assert_eq!(out_peer, body, "stalwart decoded wrongly");
        assert!(
            stalwart_0_1(&wire, &mut out_peer, chunk),
            "stalwart 0.1 did not end"
        );
        // 0.1.7 drops the CRLF that ends the message (it cuts three bytes
        // at the terminator); otherwise the output is the same.
        assert_eq!(
            out_peer,
            body[..body.len() - 2],
            "stalwart 0.1 decoded wrongly"
        );
    }

    let mut pieces = Vec::new();
    assert!(
        ours_zero_copy(&wire, &mut pieces),
        "ours (zero-copy) did not end"
    );
    assert_eq!(pieces.concat(), body, "ours (zero-copy) decoded wrongly");

    let mut g = c.benchmark_group("smtp_data");
    g.throughput(Throughput::Bytes(wire.len() as u64));
    g.bench_function("ours", |b| {
        b.iter(|| ours(black_box(&wire), &mut out_ours, wire.len()))
    });
    g.bench_function("stalwart", |b| {
        b.iter(|| stalwart(black_box(&wire), &mut out_peer, wire.len()))
    });
    g.bench_function("stalwart_0_1", |b| {
        b.iter(|| stalwart_0_1(black_box(&wire), &mut out_peer, wire.len()))
    });
    g.bench_function("ours_4k_reads", |b| {
        b.iter(|| ours(black_box(&wire), &mut out_ours, CHUNK))
    });
    g.bench_function("stalwart_4k_reads", |b| {
        b.iter(|| stalwart(black_box(&wire), &mut out_peer, CHUNK))
    });
    g.bench_function("ours_zero_copy", |b| {
        b.iter(|| ours_zero_copy(black_box(&wire), &mut pieces))
    });
    g.bench_function("ours_lenient", |b| {
        b.iter(|| ours_with(LENIENT, black_box(&wire), &mut out_ours, wire.len()))
    });
    g.bench_function("memcpy", |b| {
        b.iter(|| {
            out_ours.clear();
            out_ours.extend_from_slice(black_box(&wire));
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
