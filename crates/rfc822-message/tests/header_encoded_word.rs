//! RFC 2047 encoded words and unstructured fields: the examples of RFC 2047
//! section 8 and what real mailers write.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::borrow::Cow;

use proptest::prelude::*;
use rfc822_message::header::encoded_word::{self, Encoding, decode_text};
use rfc822_message::header::{Defects, unstructured};

#[test]
fn rfc2047_section8_comments() {
    let cases: &[(&str, &str)] = &[
        ("(=?ISO-8859-1?Q?a?=)", "(a)"),
        ("(=?ISO-8859-1?Q?a?= b)", "(a b)"),
        ("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", "(ab)"),
        ("(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)", "(ab)"),
        ("(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)", "(ab)"),
        ("(=?ISO-8859-1?Q?a_b?=)", "(a b)"),
        ("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)", "(a b)"),
    ];
    for &(raw, want) in cases {
        assert_eq!(decode_text(raw.as_bytes()), want, "{raw}");
    }
}

#[test]
fn rfc2047_section8_headers() {
    let subject = b" =?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n    =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=";
    assert_eq!(
        unstructured::decode(subject),
        "If you can read this you understand the example."
    );
    assert_eq!(decode_text(b"=?US-ASCII?Q?Keith_Moore?="), "Keith Moore");
    assert_eq!(
        decode_text(b"=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?="),
        "Keld Jørn Simonsen"
    );
    assert_eq!(
        decode_text(b"=?ISO-8859-1?Q?Andr=E9?= Pirard"),
        "André Pirard"
    );
    assert_eq!(
        decode_text(b"=?ISO-8859-1?Q?Olle_J=E4rnefors?="),
        "Olle Järnefors"
    );
    assert_eq!(
        decode_text(b"(=?iso-8859-8?b?7eXs+SDv4SDp7Oj08A==?=)"),
        "(םולש ןב ילטפנ)"
    );
}

#[test]
fn rfc2231_language_in_word() {
    // RFC 2231 section 5.
    assert_eq!(decode_text(b"=?US-ASCII*EN?Q?Keith_Moore?="), "Keith Moore");
}

#[test]
fn multibyte_split_across_words() {
    // "日本語" in UTF-8 is E6 97 A5 E6 9C AC E8 AA 9E; split mid-character.
    let raw = b"=?UTF-8?B?5pel5pw=?= =?UTF-8?B?rOiqng==?=";
    assert_eq!(decode_text(raw), "日本語");
    let raw = b"=?utf-8?Q?=E6=97=A5=E6?=\r\n =?utf-8?Q?=9C=AC?=";
    assert_eq!(decode_text(raw), "日本");
}

#[test]
fn in_the_wild() {
    // Lower-case hex, missing base64 padding, glued to text.
    assert_eq!(decode_text(b"=?utf-8?q?caf=c3=a9?="), "café");
    assert_eq!(decode_text(b"=?UTF-8?B?Y2Fmw6k?="), "café");
    assert_eq!(decode_text(b"Re:=?UTF-8?Q?caf=C3=A9?=!"), "Re:café!");
    // Inside a quoted display name or filename (after quote removal).
    assert_eq!(decode_text(b"=?UTF-8?B?w6l0w6kucGRm?="), "été.pdf");
    // Windows-1252 smart quotes.
    assert_eq!(
        decode_text(b"=?windows-1252?Q?=93hi=94?="),
        "\u{201c}hi\u{201d}"
    );
    // Text between words keeps its spaces.
    assert_eq!(decode_text(b"=?utf-8?Q?a?= x =?utf-8?Q?b?="), "a x b");
    // Raw UTF-8 text around words (RFC 6532).
    assert_eq!(
        decode_text("Ünïcode =?utf-8?Q?=C3=A9?=".as_bytes()),
        "Ünïcode é"
    );
}

#[test]
fn malformed_words_stay_literal() {
    for raw in [
        "=?utf-8?X?abc?=",
        "=?utf-8?Q?abc",
        "=?utf-8?B?!!!!?=",
        "=?x-unknown?Q?abc?=",
        "=?",
        "=?=?=?",
        "a =? b ?= c",
    ] {
        assert_eq!(decode_text(raw.as_bytes()), raw, "{raw}");
    }
    let (s, d) = encoded_word::decode_text_with_defects(b"x =?x-unknown?Q?abc?= =?utf-8?Q?ok?=");
    assert_eq!(s, "x =?x-unknown?Q?abc?= ok");
    assert!(d.contains(Defects::BAD_ENCODED_WORD));
    let (_, d) = encoded_word::decode_text_with_defects(b"=?utf-8?Q?=FF?=");
    assert!(d.contains(Defects::INVALID_TEXT));
}

#[test]
fn unstructured_fields() {
    assert!(matches!(
        unstructured::decode(b" Hello world"),
        Cow::Borrowed("Hello world")
    ));
    assert_eq!(unstructured::decode(b" Hello\r\n world  "), "Hello world");
    assert_eq!(
        unstructured::decode(b" Re: [list]\r\n\t=?UTF-8?Q?=C3=A9t=C3=A9?="),
        "Re: [list]\t\u{e9}t\u{e9}"
    );
    assert_eq!(unstructured::decode(b""), "");
    let (s, d) = unstructured::decode_with_defects(b" caf\xe9");
    assert_eq!(s, "caf\u{fffd}");
    assert!(d.contains(Defects::INVALID_TEXT));
    let mut limits = rfc822_message::Limits::default();
    limits.max_decoded_size = 4;
    assert!(unstructured::decode_limited(b" =?utf-8?Q?abcdef?=", &limits).is_err());
    assert!(unstructured::decode_limited(b" abcd", &limits).is_ok());
}

#[test]
fn encoder_limits_word_length() {
    let text = "Ünïcödé ".repeat(20);
    for enc in [Encoding::B, Encoding::Q] {
        let words = encoded_word::encode(&text, enc);
        for w in words.split(' ') {
            assert!(w.len() <= 75, "{w}");
            assert!(w.starts_with("=?utf-8?") && w.ends_with("?="));
        }
        assert_eq!(decode_text(words.as_bytes()), text);
    }
    assert_eq!(encoded_word::encode("", Encoding::B), "");
}

proptest! {
    #[test]
    fn encode_then_decode(text in "\\PC{0,120}", b in any::<bool>()) {
        let enc = if b { Encoding::B } else { Encoding::Q };
        let words = encoded_word::encode(&text, enc);
        prop_assert!(words.split(' ').all(|w| w.len() <= 75));
        prop_assert_eq!(decode_text(words.as_bytes()).into_owned(), text);
    }

    #[test]
    fn never_panics(raw in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = decode_text(&raw);
        let _ = unstructured::decode(&raw);
    }

    #[test]
    fn never_panics_wordlike(raw in "(=\\?|\\?=|[?=_ a-zA-Z0-9*\\-]){0,60}") {
        let _ = decode_text(raw.as_bytes());
    }
}
