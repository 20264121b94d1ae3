//! Dot-stuffed data streams (`mail_wire::dot`).
//!
//! Input: `flags` (bit 0: allow bare LF, bit 1: allow bare CR), four chunk
//! sizes, then the bytes.
//!
//! Checks:
//! - `DotDecoder` fed the bytes in chunks of the given sizes (a zero size
//!   feeds an empty chunk) gives the same output, end position, done flag
//!   and errors (kind and absolute offset) as one piece;
//! - the data ends exactly after the first `<CRLF>.<CRLF>` (counting the
//!   CRLF that precedes the data), and never otherwise: smuggling variants
//!   such as `<LF>.<LF>` never end it, whatever the options;
//! - the output is the input up to that point with the dot removed from
//!   every line that starts with one (a naive model), whatever the options
//!   (errors report bare line ends but pass the bytes through);
//! - `DotEncoder` then `DotDecoder` round-trips any CRLF-only body built
//!   from the bytes (encoded in chunks, equal to encoding in one piece);
//! - the lenient encoder never writes an early terminator: whatever it is
//!   given, the lenient decoder ends exactly at the end of its output.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use mail_wire::dot::{DotDecoder, DotEncoder, DotErrorKind, DotOptions};

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    flags: u8,
    sizes: [u8; 4],
    data: &'a [u8],
}

#[derive(Debug, PartialEq)]
struct Decoding {
    out: Vec<u8>,
    consumed: usize,
    done: bool,
    errors: Vec<(DotErrorKind, usize)>,
}

/// Decodes `input` fed in chunks of `sizes` (cycled).
fn decode(opts: DotOptions, input: &[u8], sizes: &[usize]) -> Decoding {
    let mut dec = DotDecoder::new(opts);
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut pos = 0;
    let mut k = 0;
    while pos < input.len() && !dec.is_done() {
        let n = sizes[k % sizes.len()].min(input.len() - pos);
        k += 1;
        let mut base = pos;
        let end = pos + n;
        // Each error makes progress or changes state; bound the loop anyway.
        let mut guard = 0;
        loop {
            guard += 1;
            assert!(guard <= 2 * n + 4, "decoder does not make progress");
            match dec.decode(&input[base..end], &mut out) {
                Ok(d) => {
                    assert!(d.consumed <= end - base);
                    assert_eq!(d.done, dec.is_done());
                    if !d.done {
                        assert_eq!(d.consumed, end - base, "stopped early without ending");
                    }
                    pos = base + d.consumed;
                    break;
                }
                Err(e) => {
                    assert!(e.consumed <= end - base);
                    assert!(e.offset <= end - base);
                    errors.push((e.kind, base + e.offset));
                    base += e.consumed;
                }
            }
        }
    }
    Decoding {
        out,
        consumed: pos,
        done: dec.is_done(),
        errors,
    }
}

/// Where the data ends by a plain search: after the first `.<CRLF>` that
/// follows a CRLF (the data starts at a line start).
fn naive_end(input: &[u8]) -> Option<usize> {
    let framed = [b"\r\n".as_slice(), input].concat();
    framed
        .windows(5)
        .position(|w| w == b"\r\n.\r\n")
        .map(|p| p + 3)
}

/// The body with the leading dot of each line removed.
fn naive_unstuff(body: &[u8]) -> Vec<u8> {
    body.iter()
        .enumerate()
        .filter(|&(i, &b)| {
            !(b == b'.'
                && (i == 0 || i.checked_sub(2).and_then(|s| body.get(s..i)) == Some(b"\r\n")))
        })
        .map(|(_, &b)| b)
        .collect()
}

fn encode(opts: DotOptions, body: &[u8], sizes: &[usize]) -> (Vec<u8>, bool) {
    let mut enc = DotEncoder::new(opts);
    let mut wire = Vec::new();
    let mut pos = 0;
    let mut k = 0;
    while pos < body.len() {
        let n = sizes[k % sizes.len()].min(body.len() - pos);
        k += 1;
        enc.encode(&body[pos..pos + n], &mut wire)
            .unwrap_or_else(|e| panic!("encoder refused a valid body: {e}"));
        pos += n;
    }
    let added = enc
        .finish(&mut wire)
        .unwrap_or_else(|e| panic!("finish refused a valid body: {e}"));
    (wire, added)
}

fuzz_target!(|input: Input<'_>| {
    let data = input.data;
    let opts = DotOptions {
        allow_bare_lf: input.flags & 1 != 0,
        allow_bare_cr: input.flags & 2 != 0,
    };
    let sizes: Vec<usize> = input.sizes.iter().map(|&s| usize::from(s)).collect();
    let sizes = if sizes.iter().all(|&s| s == 0) {
        vec![1]
    } else {
        sizes
    };

    // Chunk-split invariance.
    let whole = decode(opts, data, &[data.len().max(1)]);
    let split = decode(opts, data, &sizes);
    assert_eq!(whole, split);

    // Ends exactly at CRLF.CRLF and nowhere else.
    match naive_end(data) {
        Some(end) => {
            assert!(whole.done, "did not end at CRLF.CRLF");
            assert_eq!(whole.consumed, end);
            // The body is everything before the final ".CRLF".
            assert_eq!(whole.out, naive_unstuff(&data[..end - 3]));
        }
        None => {
            assert!(!whole.done, "ended without CRLF.CRLF");
            assert_eq!(whole.consumed, data.len());
            // A final CR may be the start of a CRLF: it is held back.
            let mut expected = naive_unstuff(data);
            if data.last() == Some(&b'\r') {
                expected.pop();
            }
            assert_eq!(whole.out, expected);
        }
    }
    // Errors only for what the options forbid.
    for &(kind, _) in &whole.errors {
        match kind {
            DotErrorKind::BareLf => assert!(!opts.allow_bare_lf),
            DotErrorKind::BareCr => assert!(!opts.allow_bare_cr),
        }
    }

    // Stuff then unstuff a CRLF-only body made from the bytes.
    let body: Vec<u8> = data
        .iter()
        .flat_map(|&b| match b {
            b'\r' | b'\n' => b"\r\n".to_vec(),
            _ => vec![b],
        })
        .collect();
    let strict = DotOptions::default();
    let (wire, added) = encode(strict, &body, &sizes);
    assert_eq!(
        (wire.clone(), added),
        encode(strict, &body, &[body.len().max(1)])
    );
    assert_eq!(added, !(body.is_empty() || body.ends_with(b"\r\n")));
    let mut stream = wire.clone();
    stream.extend_from_slice(b"NEXT\r\n");
    let back = decode(strict, &stream, &sizes);
    assert!(back.done);
    assert!(back.errors.is_empty(), "{:?}", back.errors);
    assert_eq!(back.consumed, wire.len());
    let mut expected = body.clone();
    if added {
        expected.extend_from_slice(b"\r\n");
    }
    assert_eq!(back.out, expected);

    // The lenient encoder on the raw bytes: no early terminator.
    let lenient = DotOptions {
        allow_bare_lf: true,
        allow_bare_cr: true,
    };
    let (wire, _) = encode(lenient, data, &sizes);
    assert_eq!(
        naive_end(&wire),
        Some(wire.len()),
        "early terminator in {wire:?}"
    );
    let back = decode(lenient, &wire, &sizes);
    assert!(back.done);
    assert_eq!(back.consumed, wire.len());
});
