#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
//! The streaming decoders: round trips against reference encoders, split
//! invariance, defects.
use base64::Engine as _;
use proptest::prelude::*;
use rfc822_message::decode::{Base64Decoder, DecodeDefectKind, QpDecoder, TransferDecoder};

fn b64_split(input: &[u8], cuts: &[usize]) -> (Vec<u8>, Vec<rfc822_message::decode::DecodeDefect>) {
    let mut d = Base64Decoder::new();
    let mut out = Vec::new();
    let mut last = 0;
    let mut cuts: Vec<usize> = cuts.iter().map(|&c| c.min(input.len())).collect();
    cuts.sort_unstable();
    for c in cuts.into_iter().chain([input.len()]) {
        d.decode(&input[last..c], &mut out);
        last = c;
    }
    d.finish(&mut out);
    (out, d.defects().to_vec())
}

fn qp_split(input: &[u8], cuts: &[usize]) -> (Vec<u8>, Vec<rfc822_message::decode::DecodeDefect>) {
    let mut d = QpDecoder::new();
    let mut out = Vec::new();
    let mut last = 0;
    let mut cuts: Vec<usize> = cuts.iter().map(|&c| c.min(input.len())).collect();
    cuts.sort_unstable();
    for c in cuts.into_iter().chain([input.len()]) {
        d.decode(&input[last..c], &mut out);
        last = c;
    }
    d.finish(&mut out);
    (out, d.defects().to_vec())
}

/// base64 as MIME writes it: 76-character lines, CRLF.
fn b64_mime(data: &[u8]) -> Vec<u8> {
    let s = base64::engine::general_purpose::STANDARD.encode(data);
    let mut out = Vec::new();
    for line in s.as_bytes().chunks(76) {
        out.extend_from_slice(line);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// A plain quoted-printable encoder (RFC 2045 section 6.7): escapes `=`,
/// non-printables and white space before a line end; soft breaks at 76.
fn qp_encode(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut line_len = 0;
    let mut i = 0;
    while i < data.len() {
        let b = data[i];
        if b == b'\r' && data.get(i + 1) == Some(&b'\n') {
            out.extend_from_slice(b"\r\n");
            line_len = 0;
            i += 2;
            continue;
        }
        let at_line_end = matches!(data.get(i + 1), None | Some(b'\r'));
        let lit = (b == b' ' || b == b'\t') && !at_line_end || (33..=126).contains(&b) && b != b'=';
        let piece: Vec<u8> = if lit {
            vec![b]
        } else {
            format!("={b:02X}").into_bytes()
        };
        if line_len + piece.len() > 75 {
            out.extend_from_slice(b"=\r\n");
            line_len = 0;
        }
        line_len += piece.len();
        out.extend_from_slice(&piece);
        i += 1;
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn base64_roundtrip(data in prop::collection::vec(any::<u8>(), 0..600), cuts in prop::collection::vec(0usize..900, 0..8)) {
        let enc = b64_mime(&data);
        let (out, defects) = b64_split(&enc, &cuts);
        prop_assert_eq!(out, data);
        prop_assert!(defects.is_empty());
    }

    #[test]
    fn base64_split_invariant_on_garbage(input in prop::collection::vec(prop::sample::select(b"AZaz09+/=\r\n -!".to_vec()), 0..300), cuts in prop::collection::vec(0usize..300, 0..8)) {
        prop_assert_eq!(b64_split(&input, &[]), b64_split(&input, &cuts));
    }

    #[test]
    fn qp_roundtrip(data in prop::collection::vec(prop_oneof![any::<u8>(), Just(b' '), Just(b'='), Just(b'\t'), Just(b'a')], 0..400)
        .prop_map(|mut v| { v.retain(|&b| b != b'\r' && b != b'\n'); v }),
        lines in prop::collection::vec(0usize..400, 0..5),
        cuts in prop::collection::vec(0usize..1500, 0..8)) {
        // insert CRLF line breaks (text line ends survive the round trip)
        let mut data = data;
        let mut ls = lines;
        ls.sort_unstable();
        for &l in ls.iter().rev() {
            let l = l.min(data.len());
            data.splice(l..l, *b"\r\n");
        }
        let enc = qp_encode(&data);
        let (out, defects) = qp_split(&enc, &cuts);
        prop_assert_eq!(out, data);
        prop_assert!(defects.is_empty(), "{:?}", defects);
    }

    #[test]
    fn qp_split_invariant_on_garbage(input in prop::collection::vec(prop::sample::select(b"=aF0 \t\r\nxg3D".to_vec()), 0..300), cuts in prop::collection::vec(0usize..300, 0..8)) {
        prop_assert_eq!(qp_split(&input, &[]), qp_split(&input, &cuts));
    }

    #[test]
    fn qp_long_whitespace_runs_split_invariant(n in 0usize..3000, tail in prop::sample::select(vec![&b"\r\n"[..], b"x", b"=\r\n", b""]), cuts in prop::collection::vec(0usize..3100, 0..6)) {
        let mut input = vec![b'a'];
        input.extend(std::iter::repeat_n(b' ', n));
        input.extend_from_slice(tail);
        prop_assert_eq!(qp_split(&input, &[]), qp_split(&input, &cuts));
    }
}

#[test]
fn base64_rfc2045_leniency() {
    // garbage skipped with a defect
    let (out, d) = b64_split(b"aGVs!bG8=", &[]);
    assert_eq!(out, b"hello");
    assert_eq!(d[0].kind, DecodeDefectKind::InvalidCharacter);
    assert_eq!(d[0].offset, 4);
    // padding in the middle: a defect, the rest decoded
    let (out, d) = b64_split(b"aGk=aGk=", &[]);
    assert_eq!(out, b"hihi");
    assert_eq!(d[0].kind, DecodeDefectKind::DataAfterPadding);
    assert_eq!(d[0].offset, 4);
    // missing padding / truncation
    let (out, d) = b64_split(b"aGk", &[]);
    assert_eq!(out, b"hi");
    assert_eq!(d[0].kind, DecodeDefectKind::MissingPadding);
    let (out, d) = b64_split(b"aGVsbA", &[3]);
    assert_eq!(out, b"hell");
    assert_eq!(d[0].kind, DecodeDefectKind::MissingPadding);
    let (_, d) = b64_split(b"aGVsb", &[]);
    assert_eq!(d[0].kind, DecodeDefectKind::Truncated);
    let (out, d) = b64_split(b"=aGk=", &[]);
    assert_eq!(out, b"hi");
    assert_eq!(d[0].kind, DecodeDefectKind::MisplacedPadding);
}

#[test]
fn qp_rules() {
    // rule 1, lower-case leniency, soft breaks with padding, trailing space
    let (out, d) = qp_split(b"a=3Db=3db =  \r\nc  \r\nd\t\nend=", &[]);
    assert_eq!(out, b"a=b=b c\r\nd\nend");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].kind, DecodeDefectKind::LowercaseHex);
    assert_eq!(d[0].offset, 5);
    // `=XX` split in every way
    let input = b"x=C3=A9y";
    for cut in 0..input.len() {
        assert_eq!(qp_split(input, &[cut]).0, "xéy".as_bytes());
    }
    // invalid escapes are kept
    let (out, d) = qp_split(b"100=%\r\n=G0 =4", &[]);
    assert_eq!(out, b"100=%\r\n=G0 =4");
    assert_eq!(d[0].kind, DecodeDefectKind::InvalidEscape);
    assert_eq!(d[0].offset, 3);
}

#[test]
fn transfer_decoder_dispatch() {
    let mut out = Vec::new();
    let mut d = TransferDecoder::for_raw(Some(b" Base64 (comment)"));
    d.decode(b"aGk=", &mut out);
    d.finish(&mut out);
    assert_eq!(out, b"hi");
    let mut d = TransferDecoder::for_raw(Some(b"8bit"));
    assert!(d.is_identity());
    out.clear();
    d.decode(b"=41", &mut out);
    assert_eq!(out, b"=41");
    assert!(TransferDecoder::for_raw(None).is_identity());
}
