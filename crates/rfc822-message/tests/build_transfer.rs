//! The streaming transfer encoders: what they write decodes back to the
//! input, keeps the line rules of RFC 2045 sections 6.7 and 6.8, and does
//! not depend on how the input was cut into chunks.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use base64::Engine as _;
use proptest::prelude::*;
use rfc822_message::build::{Base64Encoder, BodyEncoder, QpEncoder, QpOptions, TransferEncoding};

/// A strict test-side quoted-printable decoder (RFC 2045 section 6.7):
/// `=XX` with upper-case hex, soft breaks `=CRLF`, hard breaks CRLF.
fn qp_decode(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'=' if s[i + 1..].starts_with(b"\r\n") => i += 3,
            b'=' => {
                let hex = std::str::from_utf8(&s[i + 1..i + 3]).unwrap();
                assert_eq!(hex, hex.to_uppercase(), "lower-case hex");
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

fn qp_all(chunks: &[Vec<u8>], opts: QpOptions) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = QpEncoder::new(opts);
    for c in chunks {
        e.encode(c, &mut out);
    }
    e.finish(&mut out);
    out
}

fn b64_all(chunks: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = Base64Encoder::new();
    for c in chunks {
        e.encode(c, &mut out);
    }
    e.finish(&mut out);
    out
}

/// Cuts `data` at the given points.
fn split(data: &[u8], cuts: &[usize]) -> Vec<Vec<u8>> {
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (data.len() + 1)).collect();
    points.sort_unstable();
    let mut out = Vec::new();
    let mut last = 0;
    for p in points {
        out.push(data[last..p].to_vec());
        last = p;
    }
    out.push(data[last..].to_vec());
    out
}

fn text_like() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..600),
        prop::collection::vec(
            prop_oneof![
                Just(b' '),
                Just(b'\t'),
                Just(b'\r'),
                Just(b'\n'),
                Just(b'='),
                Just(b'.'),
                Just(b'F'),
                b'a'..=b'z',
                0x80u8..=0xff
            ],
            0..600
        ),
    ]
}

fn qp_opts() -> impl Strategy<Value = QpOptions> {
    (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(binary, from, dot)| {
        let mut o = QpOptions::default();
        o.binary = binary;
        o.escape_from = from;
        o.escape_dot = dot;
        o
    })
}

/// What the QP text mode makes of line breaks: CRLF and bare LF become
/// CRLF; a bare CR stays (encoded).
fn canonical_text(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, &b) in data.iter().enumerate() {
        if b == b'\n' && (i == 0 || data[i - 1] != b'\r') {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn base64_decodes_back_and_ignores_chunking(data in prop::collection::vec(any::<u8>(), 0..2000), cuts in prop::collection::vec(any::<usize>(), 0..8)) {
        let whole = b64_all(std::slice::from_ref(&data));
        let chunked = b64_all(&split(&data, &cuts));
        prop_assert_eq!(&whole, &chunked);
        let s = String::from_utf8(whole).unwrap();
        let lines: Vec<&str> = s.split("\r\n").collect();
        for (i, l) in lines.iter().enumerate() {
            if i + 1 < lines.len() {
                prop_assert_eq!(l.len(), 76);
            } else {
                prop_assert!(l.len() <= 76);
            }
        }
        let decoded = base64::engine::general_purpose::STANDARD.decode(lines.concat()).unwrap();
        prop_assert_eq!(decoded, data);
    }

    #[test]
    fn qp_decodes_back_and_ignores_chunking(data in text_like(), cuts in prop::collection::vec(any::<usize>(), 0..8), opts in qp_opts()) {
        let whole = qp_all(std::slice::from_ref(&data), opts);
        let chunked = qp_all(&split(&data, &cuts), opts);
        prop_assert_eq!(&whole, &chunked);
        // Line rules: CRLF only, at most 76 characters, only printable
        // ASCII, no whitespace before a line break, no '=' except escapes.
        let s = std::str::from_utf8(&whole).unwrap();
        for l in s.split("\r\n") {
            prop_assert!(l.len() <= 76, "{l}");
            prop_assert!(!l.contains(['\r', '\n']));
            prop_assert!(l.bytes().all(|b| b == b' ' || b == b'\t' || b.is_ascii_graphic()));
            prop_assert!(!l.ends_with([' ', '\t']), "trailing whitespace: {l:?}");
            if opts.escape_dot {
                prop_assert!(!l.starts_with('.'));
            }
            if opts.escape_from {
                prop_assert!(!l.starts_with("From "));
            }
        }
        prop_assert!(!s.contains("=_"), "QP output must not contain the boundary marker");
        let expected = if opts.binary { data.clone() } else { canonical_text(&data) };
        prop_assert_eq!(qp_decode(&whole), expected);
    }

    #[test]
    fn body_encoder_matches_the_encoders(data in prop::collection::vec(any::<u8>(), 0..500), cuts in prop::collection::vec(any::<usize>(), 0..5)) {
        let mut out = Vec::new();
        let mut e = BodyEncoder::new(TransferEncoding::Base64);
        for c in split(&data, &cuts) {
            e.encode(&c, &mut out).unwrap();
        }
        e.finish(&mut out).unwrap();
        prop_assert_eq!(out, b64_all(&[data]));
    }
}

#[test]
fn rfc2045_qp_examples() {
    let o = QpOptions::default();
    // Section 6.7 rule (3): trailing whitespace before a line break is encoded.
    assert_eq!(qp_all(&[b"foo \r\nbar".to_vec()], o), b"foo=20\r\nbar");
    // Rule (1): '=' is encoded.
    assert_eq!(qp_all(&[b"1+1=2".to_vec()], o), b"1+1=3D2");
    // Rule (5): soft breaks keep lines at most 76 characters.
    let long = vec![b'a'; 100];
    let out = qp_all(&[long], o);
    assert_eq!(&out[..76], [&[b'a'; 75][..], b"="].concat().as_slice());
    assert_eq!(&out[76..78], b"\r\n");
}

#[test]
fn rfc2045_base64_example() {
    // Section 6.8: padding at the end.
    assert_eq!(b64_all(&[b"Ma".to_vec()]), b"TWE=");
    assert_eq!(b64_all(&[b"M".to_vec()]), b"TQ==");
    assert_eq!(b64_all(&[]), b"");
}
