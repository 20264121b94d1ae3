//! Charset decoding against known byte/character pairs.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::borrow::Cow;

use proptest::prelude::*;
use rfc822_message::charset::{Charset, decode, decode_lossy};

#[test]
fn known_pairs() {
    let cases: &[(&str, &[u8], &str)] = &[
        ("utf-8", "été €".as_bytes(), "été €"),
        ("UTF8", b"\xe2\x82\xac", "€"),
        ("us-ascii", b"plain", "plain"),
        ("iso-8859-1", b"caf\xe9", "café"),
        ("ISO-8859-1", b"\x93q\x94", "\u{201c}q\u{201d}"), // read as Windows-1252
        ("iso-8859-2", b"\xa1\xb1\xe8", "Ąąč"),
        ("iso-8859-5", b"\xb0\xd0", "Аа"),
        ("iso-8859-7", b"\xc1\xe1", "Αα"),
        ("iso-8859-8", b"\xe0", "א"),
        ("iso-8859-9", b"\xd0\xfd", "Ğı"),
        ("iso-8859-15", b"\xa4", "€"),
        ("iso-8859-16", b"\xaa", "Ș"),
        ("windows-1250", b"\x8a\x9a", "Šš"),
        ("windows-1251", b"\xc0\xff", "Ая"),
        ("windows-1252", b"\x80\x85", "€…"),
        ("windows-1253", b"\xc1", "Α"),
        ("windows-1254", b"\xf0", "ğ"),
        ("windows-1255", b"\xe0", "א"),
        ("windows-1256", b"\xc7", "ا"),
        ("windows-1257", b"\xe0", "ą"),
        ("windows-1258", b"\xd2", "\u{0309}"),
        ("windows-874", b"\xa1", "ก"),
        ("koi8-r", b"\xc1\xe1", "аА"),
        ("koi8-u", b"\xa4", "є"),
        ("ibm866", b"\x80", "А"),
        ("cp437", b"\x82", "é"),
        ("cp850", b"\x82", "é"),
        ("macintosh", b"\x8e", "é"),
    ];
    for &(label, bytes, text) in cases {
        assert_eq!(decode(label.as_bytes(), bytes).unwrap(), text, "{label}");
    }
}

#[test]
fn undefined_bytes_become_replacement() {
    assert_eq!(decode(b"windows-1252", b"a\x81b").unwrap(), "a\u{fffd}b");
    assert_eq!(decode(b"iso-8859-3", b"\xa5").unwrap(), "\u{fffd}");
    assert_eq!(decode(b"utf-8", b"a\xffb").unwrap(), "a\u{fffd}b");
    assert_eq!(decode(b"us-ascii", "é".as_bytes()).unwrap(), "é");
}

#[test]
fn aliases() {
    for label in [
        "latin1",
        "Latin-1",
        "ISO_8859-1:1987",
        "iso8859-1",
        "iso_8859_1",
        "l1",
        "ibm819",
        "cp819",
        "\"iso-8859-1\"",
    ] {
        assert_eq!(
            Charset::for_label(label.as_bytes()).unwrap().name(),
            "ISO-8859-1",
            "{label}"
        );
    }
    for label in ["cp1252", "x-cp1252", "Windows-1252", "WINDOWS_1252"] {
        assert_eq!(
            Charset::for_label(label.as_bytes()).unwrap().name(),
            "windows-1252"
        );
    }
    for label in ["ascii", "US-ASCII", "ANSI_X3.4-1968", "us"] {
        assert_eq!(
            Charset::for_label(label.as_bytes()).unwrap().name(),
            "US-ASCII"
        );
    }
    assert_eq!(Charset::for_label(b"latin9").unwrap().name(), "ISO-8859-15");
    assert_eq!(Charset::for_label(b"koi8r").unwrap().name(), "KOI8-R");
    assert!(Charset::for_label(b"x-unknown").is_none());
    assert!(Charset::for_label(b"").is_none());
    assert!(Charset::for_label(&[b'a'; 100]).is_none());
}

#[test]
fn ascii_borrows() {
    for label in [
        "utf-8",
        "iso-8859-2",
        "windows-1251",
        "koi8-r",
        "iso-8859-1",
    ] {
        assert!(matches!(
            decode(label.as_bytes(), b"hello"),
            Some(Cow::Borrowed("hello"))
        ));
    }
}

#[test]
fn every_table_is_total() {
    let all: Vec<u8> = (0..=255).collect();
    for label in [
        "iso-8859-1",
        "iso-8859-2",
        "iso-8859-3",
        "iso-8859-4",
        "iso-8859-5",
        "iso-8859-6",
        "iso-8859-7",
        "iso-8859-8",
        "iso-8859-9",
        "iso-8859-10",
        "iso-8859-11",
        "iso-8859-13",
        "iso-8859-14",
        "iso-8859-15",
        "iso-8859-16",
        "windows-874",
        "windows-1250",
        "windows-1251",
        "windows-1252",
        "windows-1253",
        "windows-1254",
        "windows-1255",
        "windows-1256",
        "windows-1257",
        "windows-1258",
        "koi8-r",
        "koi8-u",
        "ibm437",
        "ibm850",
        "ibm866",
        "macintosh",
    ] {
        let s = decode(label.as_bytes(), &all).unwrap();
        assert_eq!(s.chars().count(), 256, "{label}");
        assert!(s.chars().take(128).map(u32::from).eq(0..128), "{label}");
    }
}

#[test]
fn unknown_charset() {
    assert!(decode(b"x-klingon", b"abc").is_none());
    assert_eq!(decode_lossy(b"x-klingon", b"abc"), "abc");
}

#[cfg(feature = "encoding_rs")]
#[test]
fn through_encoding_rs() {
    assert_eq!(decode(b"shift_jis", b"\x93\xfa\x96\x7b").unwrap(), "日本");
    assert_eq!(
        decode(b"ISO-2022-JP", b"\x1b$BF|K\\\x1b(B").unwrap(),
        "日本"
    );
    assert_eq!(decode(b"gb2312", b"\xd6\xd0").unwrap(), "中");
    assert_eq!(decode(b"big5", b"\xa4\xa4").unwrap(), "中");
    assert_eq!(decode(b"euc-kr", b"\xc7\xd1").unwrap(), "한");
    assert!(
        decode(b"iso-2022-kr", b"x").is_none(),
        "the replacement encoding is not a decoder"
    );
}

#[cfg(not(feature = "encoding_rs"))]
#[test]
fn without_encoding_rs() {
    assert!(decode(b"shift_jis", b"x").is_none());
}

proptest! {
    #[test]
    fn latin1_roundtrip(s in "[\u{20}-\u{7e}\u{a0}-\u{ff}]{0,40}") {
        let bytes: Vec<u8> = s.chars().map(|c| u8::try_from(u32::from(c)).unwrap()).collect();
        prop_assert_eq!(decode(b"iso-8859-1", &bytes).unwrap().into_owned(), s);
    }

    #[test]
    fn utf8_roundtrip(s in "\\PC{0,40}") {
        prop_assert_eq!(decode(b"utf-8", s.as_bytes()).unwrap().into_owned(), s.clone());
    }

    #[test]
    fn never_panics(label in proptest::collection::vec(any::<u8>(), 0..40),
                    bytes in proptest::collection::vec(any::<u8>(), 0..100)) {
        let _ = decode(&label, &bytes);
    }
}
