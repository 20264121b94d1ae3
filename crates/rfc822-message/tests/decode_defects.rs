//! `Part::decode_body` and `Part::decode_text`: the decoded body or text
//! with the transfer-decoding and charset defects, at offsets in the whole
//! message, and `Limits::max_decoded_size` enforced on what is decoded.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use proptest::prelude::*;
use rfc822_message::build::{
    Base64Encoder, DateTime, Mailbox, MediaType, MessageBuilder, MultipartKind, Part as BPart,
    QpEncoder, QpOptions, TransferEncoding,
};
use rfc822_message::charset::{self, Charset};
use rfc822_message::decode::{Base64Decoder, DecodeDefect, DecodeDefectKind, TransferDecoder};
use rfc822_message::parse::ParserOptions;
use rfc822_message::{Limits, Message};

/// A one-part message with this Content-Transfer-Encoding and body.
fn single(cte: &str, body: &[u8]) -> Vec<u8> {
    let mut raw = format!(
        "Subject: t\r\nContent-Type: application/octet-stream\r\n\
         Content-Transfer-Encoding: {cte}\r\n\r\n"
    )
    .into_bytes();
    raw.extend_from_slice(body);
    raw
}

fn kinds(defects: &[DecodeDefect]) -> Vec<DecodeDefectKind> {
    defects.iter().map(|d| d.kind).collect()
}

/// The defect of `kind`; panics when there is none.
fn at(defects: &[DecodeDefect], kind: DecodeDefectKind) -> usize {
    defects
        .iter()
        .find(|d| d.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} in {defects:?}"))
        .offset as usize
}

fn with_limit(max: usize) -> ParserOptions {
    let mut limits = Limits::default();
    limits.max_decoded_size = max;
    ParserOptions {
        limits,
        ..ParserOptions::default()
    }
}

// ---- base64 ----

#[test]
fn base64_invalid_characters() {
    let raw = single("base64", b"aGVs*bG8g\r\nd29y!bGQ=\r\n");
    let msg = Message::parse(&raw);
    let body = msg.root().decode_body();
    assert_eq!(&*body.bytes, b"hello world");
    assert_eq!(kinds(&body.defects), [DecodeDefectKind::InvalidCharacter]);
    // the first of the kind is kept, both are counted
    assert_eq!(
        raw[at(&body.defects, DecodeDefectKind::InvalidCharacter)],
        b'*'
    );
    assert_eq!(body.defect_count, 2);
    // the lenient result is what decoded_body gives
    assert_eq!(msg.root().decoded_body(), body.bytes);
}

#[test]
fn base64_data_after_padding() {
    let raw = single("base64", b"aGk=\r\nYnll\r\n");
    let msg = Message::parse(&raw);
    let body = msg.root().decode_body();
    assert_eq!(&*body.bytes, b"hibye");
    assert_eq!(kinds(&body.defects), [DecodeDefectKind::DataAfterPadding]);
    let off = at(&body.defects, DecodeDefectKind::DataAfterPadding);
    assert_eq!(&raw[off..off + 4], b"Ynll");
}

#[test]
fn base64_truncated_and_unpadded_groups() {
    // one character left over: dropped, the defect at that character
    let raw = single("base64", b"aGVsbG8g\r\nd\r\n");
    let msg = Message::parse(&raw);
    let body = msg.root().decode_body();
    assert_eq!(&*body.bytes, b"hello ");
    assert_eq!(kinds(&body.defects), [DecodeDefectKind::Truncated]);
    assert_eq!(raw[at(&body.defects, DecodeDefectKind::Truncated)], b'd');

    // three characters without padding, across a line end: kept, the
    // defect at the group's first character
    let raw = single("base64", b"aGVsbG8gd\r\n29");
    let msg = Message::parse(&raw);
    let body = msg.root().decode_body();
    assert_eq!(&*body.bytes, b"hello wo");
    assert_eq!(kinds(&body.defects), [DecodeDefectKind::MissingPadding]);
    let off = at(&body.defects, DecodeDefectKind::MissingPadding);
    assert_eq!(&raw[off..], b"d\r\n29");
}

#[test]
fn base64_misplaced_padding() {
    // `=` after a complete group, and after one character of a group
    let raw = single("base64", b"aGVs\r\n=aGk=");
    let msg = Message::parse(&raw);
    let body = msg.root().decode_body();
    assert_eq!(&*body.bytes, b"helhi");
    assert_eq!(kinds(&body.defects), [DecodeDefectKind::MisplacedPadding]);
    let off = at(&body.defects, DecodeDefectKind::MisplacedPadding);
    assert_eq!(off, raw.len() - 5);
    assert_eq!(raw[off], b'=');
    let raw = single("base64", b"aGVsa=Gk=");
    let body = Message::parse(&raw).root().decode_body().into_owned();
    assert_eq!(&*body.bytes, b"helhi");
    assert_eq!(
        raw[at(&body.defects, DecodeDefectKind::MisplacedPadding)],
        b'='
    );
    assert_eq!(
        at(&body.defects, DecodeDefectKind::MisplacedPadding),
        raw.len() - 4
    );
}

#[test]
fn canonical_base64_has_no_defects() {
    let data: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
    for le in [&b"\r\n"[..], b"\n"] {
        let mut enc = Vec::new();
        let mut e = Base64Encoder::new();
        e.encode(&data, &mut enc);
        e.finish(&mut enc);
        let enc = enc
            .split(|&b| b == b'\n')
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
            .collect::<Vec<_>>()
            .join(le);
        let raw = single("base64", &enc);
        let msg = Message::parse(&raw);
        let body = msg.root().decode_body();
        assert_eq!(&*body.bytes, &data[..]);
        assert!(body.defects.is_empty(), "{:?}", body.defects);
        assert_eq!(body.defect_count, 0);
    }
    // not canonical (white space inside lines) but not malformed either:
    // the streaming decoder skips it silently
    let raw = single("base64", b"aGVs bG8g\r\n\td29y bGQ=\r\n");
    let body = Message::parse(&raw).root().decode_body().into_owned();
    assert_eq!(&*body.bytes, b"hello world");
    assert!(body.defects.is_empty());
    // non-zero trailing bits are not a defect of the lenient decoder
    let raw = single("base64", b"QR==");
    let body = Message::parse(&raw).root().decode_body().into_owned();
    assert_eq!(&*body.bytes, b"A");
    assert!(body.defects.is_empty());
}

// ---- quoted-printable ----

#[test]
fn qp_invalid_escapes_point_at_the_equals_sign() {
    for (body, decoded, escape) in [
        (
            &b"price 100=G0 net\r\n"[..],
            &b"price 100=G0 net\r\n"[..],
            &b"=G0"[..],
        ),
        (b"a=%b\r\n", b"a=%b\r\n", b"=%b"),
        // `=` then white space then text: not a soft line break
        (b"a= \tb\r\n", b"a= \tb\r\n", b"= \tb"),
        // `=` then white space then a CR that is no line end
        (b"a= \rb\r\n", b"a= \rb\r\n", b"= \rb"),
        // an escape cut short by the end of the body
        (b"end=4", b"end=4", b"=4"),
    ] {
        let raw = single("quoted-printable", body);
        let msg = Message::parse(&raw);
        let d = msg.root().decode_body();
        assert_eq!(&*d.bytes, decoded, "{}", body.escape_ascii());
        assert_eq!(kinds(&d.defects), [DecodeDefectKind::InvalidEscape]);
        let off = at(&d.defects, DecodeDefectKind::InvalidEscape);
        assert_eq!(
            &raw[off..off + escape.len()],
            escape,
            "{}",
            body.escape_ascii()
        );
    }
}

#[test]
fn qp_lowercase_hex() {
    let raw = single("quoted-printable", b"caf=c3=a9\r\n");
    let msg = Message::parse(&raw);
    let d = msg.root().decode_body();
    assert_eq!(&*d.bytes, "café\r\n".as_bytes());
    assert_eq!(kinds(&d.defects), [DecodeDefectKind::LowercaseHex]);
    let off = at(&d.defects, DecodeDefectKind::LowercaseHex);
    assert_eq!(&raw[off..off + 3], b"=c3");
    assert_eq!(d.defect_count, 2);
}

#[test]
fn qp_soft_break_at_the_end_is_no_defect() {
    // RFC 2045 section 6.7 rule 5: an `=` last on a line is a soft line
    // break, the last line included (our encoder never ends with a line
    // break, so a body that ends without one has nothing after its `=`).
    for body in [&b"abc="[..], b"abc=\r\n", b"abc= \t\r\n", b"abc=\n"] {
        let raw = single("quoted-printable", body);
        let msg = Message::parse(&raw);
        let d = msg.root().decode_body();
        assert_eq!(&*d.bytes, b"abc", "{}", body.escape_ascii());
        assert!(
            d.defects.is_empty(),
            "{}: {:?}",
            body.escape_ascii(),
            d.defects
        );
    }
}

// ---- offsets in a multipart ----

const MULTI: &[u8] = b"From: a@example.org\r\n\
Content-Type: multipart/mixed; boundary=\"outer\"\r\n\
\r\n\
preamble\r\n\
--outer\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
fine=20text=\r\n\
\x20then =ZZ bad\r\n\
--outer\r\n\
Content-Type: multipart/alternative; boundary=inner\r\n\
\r\n\
--inner\r\n\
Content-Type: application/octet-stream\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
AAEC\r\n\
AwQF#gc=\r\n\
--inner\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: 8bit\r\n\
\r\n\
ok \xff\xfe here\r\n\
--inner--\r\n\
--outer\r\n\
Content-Type: text/plain; charset=windows-1252\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
QUJD\r\n\
RIFG\r\n\
--outer--\r\n";

#[test]
fn offsets_are_absolute_in_a_multipart() {
    let msg = Message::parse(MULTI);
    assert!(msg.defects().is_empty(), "{:?}", msg.defects());
    let raw = msg.raw();
    let parts: Vec<_> = msg.parts().collect();
    assert_eq!(parts.len(), 6);

    // part 1: quoted-printable with a bad escape after a soft line break
    let qp = parts[1].decode_body();
    assert_eq!(&*qp.bytes, b"fine text then =ZZ bad");
    let off = at(&qp.defects, DecodeDefectKind::InvalidEscape);
    assert!(parts[1].body_range().contains(&off));
    assert_eq!(&raw[off..off + 3], b"=ZZ");

    // part 4: base64 in the nested multipart, with a stray character
    let b64 = parts[3].decode_body();
    assert_eq!(&*b64.bytes, &[0, 1, 2, 3, 4, 5, 0x81]);
    let off = at(&b64.defects, DecodeDefectKind::InvalidCharacter);
    assert!(parts[3].body_range().contains(&off));
    assert_eq!(raw[off], b'#');

    // part 4: 8bit text that is not UTF-8: the charset defect points at
    // the first invalid octet in the message
    let text = parts[4].decode_text().unwrap();
    assert_eq!(text.text, "ok \u{FFFD}\u{FFFD} here");
    assert_eq!(text.charset, "UTF-8");
    assert_eq!(kinds(&text.defects), [DecodeDefectKind::NotInCharset]);
    let off = at(&text.defects, DecodeDefectKind::NotInCharset);
    assert_eq!(raw[off], 0xFF);
    assert_eq!(&raw[off - 3..off], b"ok ");
    // not transfer-encoded: borrowed, no transfer defects
    assert!(parts[4].decode_body().defects.is_empty());

    // part 5: base64 of windows-1252 with 0x81, which that charset does not
    // define: the defect points at the base64 group that holds it
    let text = parts[5].decode_text().unwrap();
    assert_eq!(text.text, "ABCD\u{FFFD}F");
    assert_eq!(text.charset, "windows-1252");
    let off = at(&text.defects, DecodeDefectKind::NotInCharset);
    assert_eq!(&raw[off..off + 4], b"RIFG");
    assert_eq!(text.defect_count, 1);

    // the reports agree with the plain accessors
    for p in &parts {
        assert_eq!(p.decode_body().bytes, p.decoded_body());
        assert_eq!(p.decode_text().map(|t| t.text), p.text());
    }
    // multiparts have no text
    assert!(parts[0].decode_text().is_none());
    assert!(parts[2].decode_text().is_none());
}

#[test]
fn charset_defects_in_encoded_text() {
    // quoted-printable: the defect is at the `=` of the escape
    let raw = b"Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\r\n\
line one=\r\n two caf=E9!\r\n";
    let msg = Message::parse(raw);
    let text = msg.root().decode_text().unwrap();
    assert_eq!(text.text, "line one two caf\u{FFFD}!\r\n");
    let off = at(&text.defects, DecodeDefectKind::NotInCharset);
    assert_eq!(&raw[off..off + 3], b"=E9");

    // base64: at the first character of the group that holds the octet
    // (4 valid groups, then "\xC3(" which is not UTF-8)
    let raw = b"Content-Type: text/plain; charset=UTF-8\r\n\
Content-Transfer-Encoding: base64\r\n\r\n\
aGVsbG8gd29ybGQh\r\n\
w6kgwyg=\r\n";
    let msg = Message::parse(raw);
    let text = msg.root().decode_text().unwrap();
    assert_eq!(text.text, "hello world!é \u{FFFD}(");
    let off = at(&text.defects, DecodeDefectKind::NotInCharset);
    assert_eq!(&raw[off..off + 4], b"wyg=");

    // US-ASCII (and no charset) is read as UTF-8: 8-bit octets that are
    // not UTF-8 are reported
    let raw = b"Content-Type: text/plain\r\n\r\nna\xefve\r\n";
    let msg = Message::parse(raw);
    let text = msg.root().decode_text().unwrap();
    assert_eq!(text.charset, "US-ASCII");
    assert_eq!(raw[at(&text.defects, DecodeDefectKind::NotInCharset)], 0xEF);

    // valid text in its charset: no defect, borrowed when it can be
    let raw = "Content-Type: text/plain; charset=utf-8\r\n\r\nnaïve\r\n".as_bytes();
    let msg = Message::parse(raw);
    let text = msg.root().decode_text().unwrap();
    assert!(matches!(text.text, std::borrow::Cow::Borrowed("naïve\r\n")));
    assert!(text.defects.is_empty());
    let raw = b"Content-Type: text/plain; charset=iso-8859-1\r\n\r\nna\xefve\r\n";
    let text = Message::parse(raw)
        .root()
        .decode_text()
        .unwrap()
        .into_owned();
    assert_eq!(text.text, "naïve\r\n");
    assert!(text.defects.is_empty());

    // an unknown charset: no text, as with text()
    let raw = b"Content-Type: text/plain; charset=x-unknown-42\r\n\r\nabc\r\n";
    let msg = Message::parse(raw);
    assert!(msg.root().decode_text().is_none());
    assert!(msg.root().text().is_none());
}

#[cfg(feature = "encoding_rs")]
#[test]
fn charset_defects_through_encoding_rs() {
    // Shift_JIS: 0x82 0xA0 is HIRAGANA LETTER A, 0xFF is no character
    let raw = b"Content-Type: text/plain; charset=shift_jis\r\n\r\na\x82\xa0b\xffc";
    let msg = Message::parse(raw);
    let text = msg.root().decode_text().unwrap();
    assert_eq!(text.text, "a\u{3042}b\u{FFFD}c");
    assert_eq!(raw[at(&text.defects, DecodeDefectKind::NotInCharset)], 0xFF);
    let r = charset::decode_with_report(b"shift_jis", b"a\x82\xa0b\xffc", usize::MAX).unwrap();
    assert_eq!(r.first_invalid, Some(4));
    // a sequence cut short by the end of the input
    let r = charset::decode_with_report(b"shift_jis", b"ab\x82", usize::MAX).unwrap();
    assert_eq!(r.first_invalid, Some(2));
    // cut to 4 octets of text: the 3-octet character does not fit whole
    let r = charset::decode_with_report(b"shift_jis", b"ab\x82\xa0c\xff", 4).unwrap();
    assert_eq!(r.text, "ab");
    assert_eq!(r.consumed, 2);
    assert_eq!(r.first_invalid, None);
}

#[test]
fn charset_report_entry_point() {
    let utf8 = Charset::for_label(b"utf-8").unwrap();
    let r = utf8.decode_with_report(b"ab\xc3\xa9\xffz", usize::MAX);
    assert_eq!(r.text, "abé\u{FFFD}z");
    assert_eq!(r.consumed, 6);
    assert_eq!(r.first_invalid, Some(4));
    // cut at a character boundary: "é" does not fit in 3 octets
    let r = utf8.decode_with_report(b"ab\xc3\xa9\xffz", 3);
    assert_eq!((&*r.text, r.consumed, r.first_invalid), ("ab", 2, None));
    // a U+FFFD that does not fit is not reported
    let r = utf8.decode_with_report(b"ab\xffz", 4);
    assert_eq!((&*r.text, r.consumed, r.first_invalid), ("ab", 2, None));
    let r = utf8.decode_with_report(b"ab\xffz", 5);
    assert_eq!(
        (&*r.text, r.consumed, r.first_invalid),
        ("ab\u{FFFD}", 3, Some(2))
    );
    // single-byte charsets: undefined octets only
    let r = charset::decode_with_report(b"windows-1252", b"\x80\x81\x82", usize::MAX).unwrap();
    assert_eq!((&*r.text, r.first_invalid), ("€\u{FFFD}‚", Some(1)));
    let r = charset::decode_with_report(b"iso-8859-1", b"\x80\xe9", usize::MAX).unwrap();
    assert_eq!((&*r.text, r.first_invalid), ("€é", None));
    let r = charset::decode_with_report(b"koi8-r", b"\xc1\xc2", 2).unwrap();
    assert_eq!((&*r.text, r.consumed), ("а", 1));
    assert!(charset::decode_with_report(b"x-nope", b"", 0).is_none());
}

// ---- max_decoded_size ----

#[test]
fn decoded_size_limit_cuts_base64_with_a_defect() {
    let data: Vec<u8> = (0..200u8).collect();
    let mut enc = Vec::new();
    let mut e = Base64Encoder::new();
    e.encode(&data, &mut enc);
    e.finish(&mut enc);
    let raw = single("base64", &enc);
    let start = raw.len() - enc.len();
    for max in [0, 1, 2, 3, 4, 56, 57, 58, 100, 150, 199] {
        let msg = Message::parse_with(&raw, with_limit(max)).unwrap();
        let body = msg.root().decode_body();
        assert_eq!(&*body.bytes, &data[..max], "max {max}");
        assert_eq!(kinds(&body.defects), [DecodeDefectKind::LimitExceeded]);
        // the offset is where the group holding octet `max` starts
        let off = at(&body.defects, DecodeDefectKind::LimitExceeded);
        let mut dec = Base64Decoder::new();
        let mut before = Vec::new();
        dec.decode(&raw[start..off], &mut before);
        assert_eq!(before.len(), max / 3 * 3, "max {max}");
        assert!(raw[off].is_ascii_alphanumeric() || raw[off] == b'+' || raw[off] == b'/');
        // decoded_body is never cut (its size is bounded by the raw body)
        assert_eq!(&*msg.root().decoded_body(), &data[..]);
    }
    // at or above the decoded size: not cut, no defect
    for max in [200, 201, 1000] {
        let msg = Message::parse_with(&raw, with_limit(max)).unwrap();
        let body = msg.root().decode_body();
        assert_eq!(&*body.bytes, &data[..]);
        assert!(body.defects.is_empty());
    }
}

#[test]
fn decoded_size_limit_on_quoted_printable_and_identity() {
    let raw = single("quoted-printable", b"ab=C3=A9cd=\r\nef\r\n");
    for (max, kept, unit) in [
        (2, &b"ab"[..], &b"=C3"[..]),
        (3, b"ab\xc3", b"=A9"),
        (6, b"ab\xc3\xa9cd", b"ef"),
        (7, b"ab\xc3\xa9cde", b"f\r"),
    ] {
        let msg = Message::parse_with(&raw, with_limit(max)).unwrap();
        let body = msg.root().decode_body();
        assert_eq!(&*body.bytes, kept, "max {max}");
        let off = at(&body.defects, DecodeDefectKind::LimitExceeded);
        assert_eq!(&raw[off..off + unit.len()], unit, "max {max}");
    }
    // a body that is not transfer-encoded is borrowed, costs nothing, and
    // is not cut
    let raw = single("8bit", b"0123456789");
    let msg = Message::parse_with(&raw, with_limit(4)).unwrap();
    let body = msg.root().decode_body();
    assert_eq!(&*body.bytes, b"0123456789");
    assert!(body.defects.is_empty());
}

#[test]
fn decoded_size_limit_cuts_text_at_a_character_boundary() {
    // 8bit UTF-8 text, not transfer-encoded: only the text is bounded
    let raw = "Content-Type: text/plain; charset=utf-8\r\n\r\nzoë zoë".as_bytes();
    let start = raw.len() - "zoë zoë".len();
    for (max, kept) in [
        (2, "zo"),
        (3, "zo"),
        (4, "zoë"),
        (5, "zoë "),
        (8, "zoë zo"),
        (9, "zoë zoë"),
    ] {
        let msg = Message::parse_with(raw, with_limit(max)).unwrap();
        let text = msg.root().decode_text().unwrap();
        assert_eq!(text.text, kept, "max {max}");
        if kept.len() < 9 {
            let off = at(&text.defects, DecodeDefectKind::LimitExceeded);
            assert_eq!(off, start + kept.len(), "max {max}");
        }
        // text() is not cut
        assert_eq!(msg.root().text().unwrap(), "zoë zoë");
    }

    // windows-1252 grows: 4 octets of body, 9 of text
    let raw = b"Content-Type: text/plain; charset=windows-1252\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\r\n=80=80=80=80";
    let msg = Message::parse_with(raw, with_limit(7)).unwrap();
    let text = msg.root().decode_text().unwrap();
    assert_eq!(text.text, "€€");
    let off = at(&text.defects, DecodeDefectKind::LimitExceeded);
    assert_eq!(off, raw.len() - 6);
    assert_eq!(text.defect_count, 1);

    // the decoded body is cut too (at the limit and a few octets more),
    // here in the middle of a character: the text stops at a character
    // boundary before, and the cut character is not reported as invalid
    let raw = b"Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: base64\r\n\r\n\
8J+YgPCfmIA=\r\n"; // two U+1F600, 4 octets each
    for max in [0, 1, 4, 5, 7] {
        let msg = Message::parse_with(raw, with_limit(max)).unwrap();
        let text = msg.root().decode_text().unwrap();
        let want = if max >= 4 { "\u{1F600}" } else { "" };
        assert_eq!(text.text, want, "max {max}");
        assert_eq!(kinds(&text.defects), [DecodeDefectKind::LimitExceeded]);
    }
}

// ---- round trips through the crate's own encoders ----

fn build(parts: Vec<BPart>) -> Vec<u8> {
    MessageBuilder::new()
        .from(Mailbox::with_addr(None, "a@example.org").unwrap())
        .date(DateTime::new(2024, 5, 17, 9, 30, 0, 0).unwrap())
        .deterministic(3)
        .body(BPart::multipart(MultipartKind::Mixed, parts))
        .build()
        .unwrap()
}

fn streaming(cte: &[u8], body: &[u8]) -> (Vec<u8>, Vec<DecodeDefect>) {
    let mut d = TransferDecoder::for_raw(Some(cte));
    let mut out = Vec::new();
    d.decode(body, &mut out);
    d.finish(&mut out);
    (out, d.defects().to_vec())
}

proptest! {
    #[test]
    fn builder_encoded_data_decodes_without_defects(
        a in prop::collection::vec(any::<u8>(), 0..600),
        b in prop::collection::vec(any::<u8>(), 0..600),
        text in prop::collection::vec("[a-zA-Z0-9 .,=éü€😀\t]{0,40}", 0..6),
        text_enc in prop::sample::select(vec![TransferEncoding::QuotedPrintable, TransferEncoding::Base64]),
    ) {
        let text = text.join("\r\n");
        let raw = build(vec![
            BPart::data(MediaType::octet_stream(), a.clone()).encoding(TransferEncoding::Base64),
            BPart::data(MediaType::octet_stream(), b.clone()).encoding(TransferEncoding::QuotedPrintable),
            BPart::text(text.clone()).encoding(text_enc),
        ]);
        let msg = Message::parse(&raw);
        let parts: Vec<_> = msg.root().subparts().collect();
        prop_assert_eq!(parts.len(), 3);
        for (p, data) in parts.iter().zip([&a, &b]) {
            let body = p.decode_body();
            prop_assert_eq!(&*body.bytes, &data[..]);
            prop_assert!(body.defects.is_empty(), "{:?}", body.defects);
            prop_assert_eq!(body.defect_count, 0);
        }
        let t = parts[2].decode_text().unwrap();
        prop_assert_eq!(&*t.text, &text[..]);
        prop_assert!(t.defects.is_empty(), "{:?}", t.defects);
    }

    #[test]
    fn stream_encoders_round_trip(data in prop::collection::vec(any::<u8>(), 0..2000), qp_binary in any::<bool>()) {
        let mut b64 = Vec::new();
        let mut e = Base64Encoder::new();
        e.encode(&data, &mut b64);
        e.finish(&mut b64);
        let mut qp = Vec::new();
        let mut opts = QpOptions::default();
        opts.binary = qp_binary;
        let mut e = QpEncoder::new(opts);
        e.encode(&data, &mut qp);
        e.finish(&mut qp);
        for (cte, enc) in [("base64", b64), ("quoted-printable", qp)] {
            let raw = single(cte, &enc);
            let msg = Message::parse(&raw);
            let body = msg.root().decode_body();
            prop_assert!(body.defects.is_empty(), "{}: {:?}", cte, body.defects);
            if cte == "base64" || qp_binary {
                prop_assert_eq!(&*body.bytes, &data[..]);
            }
        }
    }

    /// The fast base64 path reports no defects exactly when the streaming
    /// decoder finds none, and both give the same octets.
    #[test]
    fn base64_defects_match_the_streaming_decoder(
        body in prop::collection::vec(prop::sample::select(b"QUJDaGVsbG8+/=\r\n *".to_vec()), 0..200),
    ) {
        let raw = single("base64", &body);
        let msg = Message::parse(&raw);
        let got = msg.root().decode_body();
        let (want, defects) = streaming(b"base64", &body);
        prop_assert_eq!(&*got.bytes, &want[..]);
        prop_assert_eq!(got.defects.is_empty(), defects.is_empty());
        let start = raw.len() - body.len();
        let mut shifted: Vec<_> = defects.iter().map(|d| (d.offset + start as u64, format!("{:?}", d.kind))).collect();
        let mut got_d: Vec<_> = got.defects.iter().map(|d| (d.offset, format!("{:?}", d.kind))).collect();
        got_d.sort();
        shifted.sort();
        prop_assert_eq!(got_d, shifted);
    }

    /// However damaged the body and small the limit: the octets are the
    /// first `max` of the unlimited decoding, every offset lies in the body,
    /// and the limit defect says where decoding stopped.
    #[test]
    fn limit_and_offsets_on_damaged_bodies(
        body in prop::collection::vec(prop::sample::select(b"QUJD=0aF\r\n \t*G3D".to_vec()), 0..300),
        qp in any::<bool>(),
        max in 0usize..300,
    ) {
        let cte = if qp { "quoted-printable" } else { "base64" };
        let raw = single(cte, &body);
        let start = raw.len() - body.len();
        let (full, _) = streaming(cte.as_bytes(), &body);
        let msg = Message::parse_with(&raw, with_limit(max)).unwrap();
        let got = msg.root().decode_body();
        prop_assert_eq!(&*got.bytes, &full[..full.len().min(max)]);
        let limit: Vec<_> = got.defects.iter().filter(|d| d.kind == DecodeDefectKind::LimitExceeded).collect();
        prop_assert_eq!(limit.len(), usize::from(full.len() > max));
        for d in &got.defects {
            let off = d.offset as usize;
            prop_assert!(off >= start && off < raw.len(), "{:?} outside {}..{}", d, start, raw.len());
        }
        if let Some(d) = limit.first() {
            // decoding the body up to the offset gives at most `max` octets
            let mut dec = TransferDecoder::for_raw(Some(cte.as_bytes()));
            let mut out = Vec::new();
            dec.decode(&raw[start..d.offset as usize], &mut out);
            prop_assert!(out.len() <= max);
        }
        prop_assert!(got.defects.windows(2).all(|w| w[0].offset <= w[1].offset));
    }

    /// The reporting charset decoder gives the same text as the plain one,
    /// or a prefix of it within the limit, and reports an invalid sequence
    /// exactly when the plain one replaced something.
    #[test]
    fn charset_report_agrees_with_decode(
        bytes in prop::collection::vec(any::<u8>(), 0..200),
        label in prop::sample::select(vec!["utf-8", "us-ascii", "iso-8859-1", "windows-1252", "iso-8859-3", "koi8-r", "shift_jis", "utf-16le", "euc-kr"]),
        max in 0usize..400,
    ) {
        let Some(cs) = Charset::for_label(label.as_bytes()) else { return Ok(()) };
        let plain = cs.decode(&bytes);
        let full = cs.decode_with_report(&bytes, usize::MAX);
        prop_assert_eq!(&full.text, &plain);
        prop_assert_eq!(full.consumed, bytes.len());
        // (U+FFFD may also be in the input itself)
        if !plain.contains('\u{FFFD}') {
            prop_assert_eq!(full.first_invalid, None);
        }
        if full.first_invalid.is_some() {
            prop_assert!(plain.contains(char::REPLACEMENT_CHARACTER));
        }
        let cut = cs.decode_with_report(&bytes, max);
        prop_assert!(cut.text.len() <= max);
        prop_assert!(plain.starts_with(&*cut.text));
        prop_assert!(cut.consumed <= bytes.len());
        if cut.consumed == bytes.len() {
            prop_assert_eq!(&cut.text, &plain);
        }
        if let Some(i) = cut.first_invalid {
            prop_assert_eq!(Some(i), full.first_invalid);
        }
    }
}
