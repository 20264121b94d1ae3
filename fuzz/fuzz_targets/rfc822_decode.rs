//! The streaming Content-Transfer-Encoding decoders of `rfc822-message`
//! (`decode::Base64Decoder`, `decode::QpDecoder`, `decode::TransferDecoder`).
//!
//! Input: `which` (0: base64, 1: quoted-printable, 2: `TransferDecoder`
//! from a Content-Transfer-Encoding value cut from the data at its first
//! LF), four chunk sizes, then the bytes.
//!
//! Checks:
//! - no panic;
//! - chunk-split invariance: output, first defects and defect count are the
//!   same fed whole, in chunks of the given sizes and byte by byte;
//! - bounded output: base64 yields at most 3/4 of its input, quoted-printable
//!   at most its input (neither decoder ever expands);
//! - base64 equals a naive model of its documented rules (alphabet
//!   characters in groups of four, `=` ends a group of 2 or 3, everything
//!   else skipped), and agrees with the `base64` crate, without defects, on
//!   every input that crate accepts as canonical padded base64;
//! - round trip: the data encoded as base64 (76-character lines) or as
//!   quoted-printable (every byte but letters, digits and inner spaces
//!   escaped, soft line breaks) decodes back to the data without defects.
#![no_main]

use arbitrary::Arbitrary;
use base64::Engine;
use libfuzzer_sys::fuzz_target;
use rfc822_message::decode::{Base64Decoder, DecodeDefect, QpDecoder, TransferDecoder};

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    which: u8,
    sizes: [u8; 4],
    data: &'a [u8],
}

#[derive(Debug, PartialEq, Eq)]
struct Out {
    bytes: Vec<u8>,
    defects: Vec<DecodeDefect>,
    count: u64,
}

trait Dec {
    fn dec(&mut self, input: &[u8], out: &mut Vec<u8>);
    fn fin(&mut self, out: &mut Vec<u8>);
    fn defects(&self) -> Vec<DecodeDefect>;
    fn count(&self) -> u64;
}

impl Dec for Base64Decoder {
    fn dec(&mut self, input: &[u8], out: &mut Vec<u8>) {
        self.decode(input, out);
    }
    fn fin(&mut self, out: &mut Vec<u8>) {
        self.finish(out);
    }
    fn defects(&self) -> Vec<DecodeDefect> {
        Base64Decoder::defects(self).to_vec()
    }
    fn count(&self) -> u64 {
        self.defect_count()
    }
}

impl Dec for QpDecoder {
    fn dec(&mut self, input: &[u8], out: &mut Vec<u8>) {
        self.decode(input, out);
    }
    fn fin(&mut self, out: &mut Vec<u8>) {
        self.finish(out);
    }
    fn defects(&self) -> Vec<DecodeDefect> {
        QpDecoder::defects(self).to_vec()
    }
    fn count(&self) -> u64 {
        self.defect_count()
    }
}

impl Dec for TransferDecoder {
    fn dec(&mut self, input: &[u8], out: &mut Vec<u8>) {
        self.decode(input, out);
    }
    fn fin(&mut self, out: &mut Vec<u8>) {
        self.finish(out);
    }
    fn defects(&self) -> Vec<DecodeDefect> {
        TransferDecoder::defects(self).to_vec()
    }
    fn count(&self) -> u64 {
        self.defect_count()
    }
}

fn run<D: Dec>(mut d: D, data: &[u8], sizes: &[usize]) -> Out {
    let mut bytes = Vec::new();
    let mut fed = 0;
    let mut k = 0;
    while fed < data.len() {
        let n = sizes[k % sizes.len()].max(1).min(data.len() - fed);
        k += 1;
        d.dec(&data[fed..fed + n], &mut bytes);
        fed += n;
        // never more out than in, at any point
        assert!(bytes.len() <= fed);
    }
    d.fin(&mut bytes);
    Out {
        bytes,
        defects: d.defects(),
        count: d.count(),
    }
}

fn all_splits<D: Dec>(make: impl Fn() -> D, data: &[u8], sizes: &[usize]) -> Out {
    let whole = run(make(), data, &[data.len().max(1)]);
    let split = run(make(), data, sizes);
    assert_eq!(whole, split, "split changed the output");
    if data.len() <= 512 {
        let bytewise = run(make(), data, &[1]);
        assert_eq!(whole, bytewise, "byte-by-byte changed the output");
    }
    whole
}

/// The base64 rules of `Base64Decoder`, naively.
fn base64_model(data: &[u8]) -> Vec<u8> {
    fn value(b: u8) -> Option<u32> {
        match b {
            b'A'..=b'Z' => Some(u32::from(b - b'A')),
            b'a'..=b'z' => Some(u32::from(b - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(b - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let mut out = Vec::new();
    let mut group: Vec<u32> = Vec::new();
    let flush = |group: &mut Vec<u32>, out: &mut Vec<u8>| {
        let mut bits = 0u32;
        for (i, v) in group.iter().enumerate() {
            bits |= v << (18 - 6 * i);
        }
        let bytes = bits.to_be_bytes();
        let n = group.len() - 1;
        out.extend_from_slice(&bytes[1..1 + n]);
        group.clear();
    };
    for &b in data {
        if let Some(v) = value(b) {
            group.push(v);
            if group.len() == 4 {
                flush(&mut group, &mut out);
            }
        } else if b == b'=' && group.len() >= 2 {
            flush(&mut group, &mut out);
        }
    }
    if group.len() >= 2 {
        flush(&mut group, &mut out);
    }
    out
}

fn base64_lines(data: &[u8]) -> Vec<u8> {
    let text = base64::engine::general_purpose::STANDARD.encode(data);
    let mut out = Vec::new();
    for line in text.as_bytes().chunks(76) {
        out.extend_from_slice(line);
        out.extend_from_slice(b"\r\n");
    }
    out
}

fn qp_encode(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut col = 0;
    for (i, &b) in data.iter().enumerate() {
        let last = i + 1 == data.len();
        let piece: Vec<u8> = if b.is_ascii_alphanumeric() || (b == b' ' && !last) {
            vec![b]
        } else {
            format!("={b:02X}").into_bytes()
        };
        if col + piece.len() > 75 {
            // a space before a soft break is still data: escape it
            if out.last() == Some(&b' ') {
                out.pop();
                out.extend_from_slice(b"=20");
            }
            out.extend_from_slice(b"=\r\n");
            col = 0;
        }
        col += piece.len();
        out.extend_from_slice(&piece);
    }
    out
}

fuzz_target!(|input: Input<'_>| {
    let sizes: Vec<usize> = input.sizes.iter().map(|&s| usize::from(s).max(1)).collect();
    let data = input.data;
    match input.which % 3 {
        0 => {
            let out = all_splits(Base64Decoder::new, data, &sizes);
            assert!(out.bytes.len() <= data.len() / 4 * 3 + 2);
            assert!(out.defects.len() as u64 <= out.count);
            assert_eq!(out.bytes, base64_model(data));
            let canonical: Vec<u8> = data
                .iter()
                .copied()
                .filter(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
                .collect();
            if let Ok(v) = base64::engine::general_purpose::STANDARD.decode(&canonical) {
                assert_eq!(out.bytes, v, "differs from the base64 crate");
                assert!(out.defects.is_empty(), "{:?}", out.defects);
            }
            let enc = base64_lines(data);
            let back = all_splits(Base64Decoder::new, &enc, &sizes);
            assert_eq!(back.bytes, data);
            assert_eq!(back.count, 0);
        }
        1 => {
            let out = all_splits(QpDecoder::new, data, &sizes);
            assert!(out.bytes.len() <= data.len());
            assert!(out.defects.len() as u64 <= out.count);
            if !data.iter().any(|&b| matches!(b, b'=' | b' ' | b'\t')) {
                // nothing to decode: bytes pass through
                assert_eq!(out.bytes, data);
            }
            let enc = qp_encode(data);
            let back = all_splits(QpDecoder::new, &enc, &sizes);
            assert_eq!(back.bytes, data);
            assert_eq!(back.count, 0, "{:?}", back.defects);
        }
        _ => {
            let (cte, body) = match data.iter().position(|&b| b == b'\n') {
                Some(i) => (&data[..i], &data[i + 1..]),
                None => (data, &[][..]),
            };
            let make = || TransferDecoder::for_raw(Some(cte));
            let identity = make().is_identity();
            let out = all_splits(make, body, &sizes);
            if identity {
                assert_eq!(out.bytes, body);
            } else {
                assert!(out.bytes.len() <= body.len());
            }
        }
    }
});
