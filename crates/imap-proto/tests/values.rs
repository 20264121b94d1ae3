//! Unit tests of the IMAP value types, parsers and encoders, from the
//! examples of RFC 3501, RFC 9051, RFC 5182, RFC 7888 and RFC 3516.

// Helpers and strategies outside #[test] functions are not covered by
// clippy.toml's allow-*-in-tests settings; this whole file is test code.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use imap_proto::encode::{Encode, EncodeOptions, Encoder, Fragment};
use imap_proto::parse::values::*;
use imap_proto::types::*;
use mail_wire::{Found, SyntaxError};

const STRICT: ParseOptions = ParseOptions { utf8_accept: false };
const UTF8: ParseOptions = ParseOptions { utf8_accept: true };

fn enc<T: Encode>(v: &T, opts: EncodeOptions) -> Vec<u8> {
    let mut e = Encoder::new(opts);
    v.encode(&mut e);
    e.to_bytes()
}

fn enc_default<T: Encode>(v: &T) -> Vec<u8> {
    enc(v, EncodeOptions::default())
}

fn syntax(e: ValueParseError) -> SyntaxError {
    match e {
        ValueParseError::Syntax(s) => s,
        _ => unreachable!(),
    }
}

// ---- atoms and tags (RFC 9051 section 9) ----

#[test]
fn atom_chars() {
    for ok in ["FETCH", "$Forwarded", "a.b-c_d/e", "1234", "+", "~peter"] {
        assert_eq!(Atom::new(ok).unwrap().as_str(), ok);
    }
    for bad in [
        "", "a b", "(", ")", "{", "%", "*", "\"", "\\", "]", "a\r", "\x7f", "é",
    ] {
        assert!(Atom::new(bad).is_err(), "{bad:?}");
    }
    assert_eq!(
        Atom::new("ab]").unwrap_err(),
        ValueError::InvalidByte {
            what: "atom",
            offset: 2,
            byte: b']'
        }
    );
}

#[test]
fn atom_parse_stops_before_specials() {
    // "[" is an ATOM-CHAR, "]" (resp-specials) is not.
    let (a, n) = parse_atom(b"BODY[TEXT]").unwrap();
    assert_eq!((a.as_str(), n), ("BODY[TEXT", 9));
    let (a, n) = parse_atom(b"UID)").unwrap();
    assert_eq!((a.as_str(), n), ("UID", 3));
    let e = syntax(parse_atom(b" x").unwrap_err());
    assert_eq!((e.offset, e.found), (0, Found::Byte(b' ')));
    assert!(parse_atom(b"").is_err());
}

#[test]
fn tags() {
    let (t, n) = parse_tag(b"a001 NOOP").unwrap();
    assert_eq!((t.as_str(), n), ("a001", 4));
    // "]" is an ASTRING-CHAR, so it may be in a tag; "+" may not.
    assert!(Tag::new("x]1").is_ok());
    assert!(Tag::new("+").is_err());
    assert!(Tag::new("*").is_err());
    assert!(parse_tag(b"+ go ahead").is_err());
    let (t, n) = parse_tag(b"A+B").unwrap();
    assert_eq!((t.as_str(), n), ("A", 1));
    assert_eq!(enc_default(&Tag::new("A142").unwrap()), b"A142");
}

// ---- numbers ----

#[test]
fn numbers_check_overflow() {
    assert_eq!(parse_number(b"4294967295").unwrap(), (u32::MAX, 10));
    assert_eq!(parse_number(b"007x").unwrap(), (7, 3));
    let e = syntax(parse_number(b"4294967296").unwrap_err());
    assert_eq!(e.offset, 9);
    assert!(parse_number(b"99999999999999999999999999").is_err());
    assert_eq!(parse_nz_number(b"1").unwrap().0.get(), 1);
    assert!(parse_nz_number(b"0").is_err());
    assert!(parse_nz_number(b"01").is_err());
    assert_eq!(
        parse_number64(b"9223372036854775807").unwrap().0,
        i64::MAX as u64
    );
    assert!(parse_number64(b"9223372036854775808").is_err());
}

// ---- quoted strings (RFC 9051 section 4.3) ----

#[test]
fn quoted_escapes() {
    let (q, n) = parse_quoted(br#""say \"hi\" C:\\dir" rest"#, STRICT).unwrap();
    assert_eq!(q.as_str(), r#"say "hi" C:\dir"#);
    assert_eq!(n, 20);
    assert_eq!(enc_default(&q), br#""say \"hi\" C:\\dir""#);
    // No escape: borrowed, consumed up to the closing quote.
    let (q, n) = parse_quoted(b"\"\" x", STRICT).unwrap();
    assert_eq!((q.as_str(), n), ("", 2));
}

#[test]
fn quoted_rejects() {
    // Only \" and \\ are escapes.
    let e = syntax(parse_quoted(br#""a\b""#, STRICT).unwrap_err());
    assert_eq!((e.offset, e.found), (3, Found::Byte(b'b')));
    for bad in [
        &b"\"a\rb\""[..],
        b"\"a\nb\"",
        b"\"a\0b\"",
        b"\"open",
        b"noquote",
    ] {
        assert!(parse_quoted(bad, STRICT).is_err(), "{bad:?}");
    }
    assert!(Quoted::new("a\nb").is_err());
}

#[test]
fn quoted_8bit_only_under_utf8_accept() {
    let input = "\"Grüße\"".as_bytes();
    let e = syntax(parse_quoted(input, STRICT).unwrap_err());
    assert_eq!(e.offset, 3);
    let (q, _) = parse_quoted(input, UTF8).unwrap();
    assert_eq!(q.as_str(), "Grüße");
    // Invalid UTF-8 is refused even under UTF8=ACCEPT.
    assert!(parse_quoted(b"\"\xff\"", UTF8).is_err());
    // Encoding: quoted under UTF8=ACCEPT, a literal otherwise.
    let utf8 = EncodeOptions {
        utf8_accept: true,
        ..Default::default()
    };
    assert_eq!(enc(&q, utf8), input);
    assert_eq!(enc_default(&q), "{7}\r\nGrüße".as_bytes());
}

// ---- literals (RFC 9051 section 4.3, RFC 7888, RFC 3516) ----

#[test]
fn literals() {
    let (l, n) = parse_literal(b"{5}\r\nhello)").unwrap();
    assert_eq!(
        (l.data(), l.mode(), n),
        (&b"hello"[..], LiteralMode::Sync, 10)
    );
    let (l, n) = parse_literal(b"{5+}\r\nhe\r\nl").unwrap();
    assert_eq!(
        (l.data(), l.mode(), n),
        (&b"he\r\nl"[..], LiteralMode::NonSync, 11)
    );
    let (l, n) = parse_literal(b"{0}\r\n").unwrap();
    assert_eq!((l.data(), n), (&b""[..], 5));
}

#[test]
fn literal_errors() {
    // Bare LF, missing CRLF, truncated data, NUL, bad length.
    assert_eq!(syntax(parse_literal(b"{5}\nhello").unwrap_err()).offset, 3);
    assert_eq!(syntax(parse_literal(b"{5}\rhello").unwrap_err()).offset, 4);
    assert_eq!(syntax(parse_literal(b"{5}\r\nhell").unwrap_err()).offset, 9);
    assert_eq!(syntax(parse_literal(b"{3}\r\na\0b").unwrap_err()).offset, 6);
    assert!(parse_literal(b"{}\r\n").is_err());
    assert!(parse_literal(b"{-1}\r\n").is_err());
    assert!(parse_literal(b"{5 }\r\nhello").is_err());
    // number64 overflow: a huge length is an error, never a wrap-around.
    assert!(parse_literal(b"{18446744073709551616}\r\n").is_err());
    assert!(parse_literal(b"{9223372036854775808}\r\n").is_err());
    assert!(parse_literal(b"{9223372036854775807}\r\nx").is_err());
    assert!(Literal::new(&b"a\0"[..], LiteralMode::Sync).is_err());
}

#[test]
fn literal8_carries_nul() {
    let (l, n) = parse_literal8(b"~{3}\r\na\0b").unwrap();
    assert_eq!((l.data(), n), (&b"a\0b"[..], 9));
    let (l, _) = parse_literal8(b"~{1+}\r\n\0").unwrap();
    assert_eq!(l.mode(), LiteralMode::NonSync);
    assert!(parse_literal8(b"{3}\r\nabc").is_err());
    let l = Literal8::new(&b"\0\r\n"[..], LiteralMode::Sync);
    assert_eq!(enc_default(&l), b"~{3}\r\n\0\r\n");
}

#[test]
fn literal_mode_follows_capabilities() {
    let data = vec![b'x'; 4097];
    let small = Literal::new(&b"abc"[..], LiteralMode::NonSync).unwrap();
    let big = Literal::new(&data[..], LiteralMode::NonSync).unwrap();
    let none = EncodeOptions::default();
    let plus = EncodeOptions {
        literal_plus: true,
        ..none
    };
    let minus = EncodeOptions {
        literal_minus: true,
        ..none
    };
    assert_eq!(enc(&small, none), b"{3}\r\nabc");
    assert_eq!(enc(&small, plus), b"{3+}\r\nabc");
    assert_eq!(enc(&small, minus), b"{3+}\r\nabc");
    assert!(enc(&big, minus).starts_with(b"{4097}\r\n"));
    assert!(enc(&big, plus).starts_with(b"{4097+}\r\n"));
    let exactly = Literal::new(&data[..4096], LiteralMode::NonSync).unwrap();
    assert!(enc(&exactly, minus).starts_with(b"{4096+}\r\n"));
    // A literal asked to synchronise stays synchronising.
    let sync = Literal::new(&b"abc"[..], LiteralMode::Sync).unwrap();
    assert_eq!(enc(&sync, plus), b"{3}\r\nabc");
}

#[test]
fn fragments_split_at_literals() {
    let mut e = Encoder::new(EncodeOptions::default());
    AString::try_from("a\r\nb").unwrap().encode(&mut e);
    e.sp();
    AString::try_from("plain").unwrap().encode(&mut e);
    e.sp();
    IString::try_from("x\ny").unwrap().encode(&mut e);
    assert_eq!(e.to_bytes(), b"{4}\r\na\r\nb plain {3}\r\nx\ny");
    let f = e.finish();
    assert_eq!(
        f,
        vec![
            Fragment::Line("{4}\r\n".into()),
            Fragment::Literal {
                data: "a\r\nb".into(),
                mode: LiteralMode::Sync
            },
            Fragment::Line(" plain {3}\r\n".into()),
            Fragment::Literal {
                data: "x\ny".into(),
                mode: LiteralMode::Sync
            },
        ]
    );
}

// ---- astring, string, nstring ----

#[test]
fn astring_smallest_form() {
    let cases: &[(&[u8], &[u8])] = &[
        (b"fred", b"fred"),
        (b"INBOX]", b"INBOX]"),
        (b"", b"\"\""),
        (b"my password", b"\"my password\""),
        (b"a\"b", b"\"a\\\"b\""),
        (b"%*", b"\"%*\""),
        (b"{5}", b"\"{5}\""),
        (b"line\r\n", b"{6}\r\nline\r\n"),
        (b"\xff", b"{1}\r\n\xff"),
    ];
    for &(content, wire) in cases {
        let a = AString::new(content).unwrap();
        assert_eq!(enc_default(&a), wire, "{a:?}");
        let (back, n) = parse_astring(wire, STRICT).unwrap();
        assert_eq!((back, n), (a, wire.len()));
    }
    // A literal the encoder chose goes non-synchronising when allowed.
    let plus = EncodeOptions {
        literal_plus: true,
        ..Default::default()
    };
    assert_eq!(enc(&AString::new(&b"\r"[..]).unwrap(), plus), b"{1+}\r\n\r");
}

#[test]
fn astring_parse() {
    let (a, n) = parse_astring(b"fred \"x\"", STRICT).unwrap();
    assert_eq!((a.as_bytes(), n), (&b"fred"[..], 4));
    assert!(parse_astring(b" fred", STRICT).is_err());
    assert!(parse_astring(b"(x)", STRICT).is_err());
    // A string is never bare.
    assert!(parse_string(b"fred", STRICT).is_err());
    let (s, _) = parse_string(b"{3}\r\nabc", STRICT).unwrap();
    assert_eq!(s.as_bytes(), b"abc");
}

#[test]
fn nstring() {
    for nil in [&b"NIL"[..], b"nil", b"NiL)"] {
        assert_eq!(parse_nstring(nil, STRICT).unwrap(), (NString::NIL, 3));
    }
    assert!(parse_nstring(b"NILE", STRICT).is_ok_and(|(_, n)| n == 3));
    assert!(parse_nstring(b"NOT", STRICT).is_err());
    let (s, n) = parse_nstring(b"\"NIL\"", STRICT).unwrap();
    assert_eq!((s.string().unwrap().as_bytes(), n), (&b"NIL"[..], 5));
    // The text NIL is written quoted so that it is not read as NIL.
    assert_eq!(enc_default(&s), b"\"NIL\"");
    assert_eq!(enc_default(&NString::NIL), b"NIL");
}

// ---- mailboxes (RFC 3501 section 5.1, 5.1.3; RFC 9051 section 5.1) ----

#[test]
fn inbox_is_case_insensitive() {
    for wire in [
        &b"INBOX"[..],
        b"inbox",
        b"iNbOx",
        b"\"InBoX\"",
        b"{5}\r\ninbox",
    ] {
        let (m, n) = parse_mailbox(wire, STRICT).unwrap();
        assert!(m.is_inbox(), "{wire:?}");
        assert_eq!(n, wire.len());
        assert_eq!(m, Mailbox::INBOX);
        assert_eq!(enc_default(&m), b"INBOX");
    }
    for other in [&b"INBOX.Sent"[..], b"INBOXX", b"\"IN BOX\""] {
        let (m, _) = parse_mailbox(other, STRICT).unwrap();
        assert!(!m.is_inbox());
    }
    assert!(Mailbox::new(&b"nul\0"[..]).is_err());
}

#[test]
fn mailbox_rfc3501_utf7_example() {
    let name = "~peter/mail/台北/日本語";
    let m = Mailbox::from_utf8(name, false).unwrap();
    assert_eq!(m.as_bytes(), b"~peter/mail/&U,BTFw-/&ZeVnLIqe-");
    assert_eq!(enc_default(&m), b"~peter/mail/&U,BTFw-/&ZeVnLIqe-");
    assert_eq!(m.decode_utf7().unwrap(), name);
    // Under UTF8=ACCEPT the name stays UTF-8, and is written quoted.
    let m = Mailbox::from_utf8(name, true).unwrap();
    assert_eq!(m.as_bytes(), name.as_bytes());
    let utf8 = EncodeOptions {
        utf8_accept: true,
        ..Default::default()
    };
    assert_eq!(enc(&m, utf8), format!("\"{name}\"").as_bytes());
    assert_eq!(parse_mailbox(&enc(&m, utf8), UTF8).unwrap().0, m);
    // Without it, such a name can only be a literal.
    assert!(enc_default(&m).starts_with(b"{"));
}

#[test]
fn utf7_rfc3501_invalid_examples() {
    assert_eq!(utf7::decode(b"&Jjo-!").unwrap(), "☺!");
    assert!(matches!(
        utf7::decode(b"&Jjo!"),
        Err(Utf7Error::Unterminated { offset: 4 })
    ));
    assert_eq!(
        utf7::decode(b"&U,BTFw-&ZeVnLIqe-"),
        Err(Utf7Error::SuperfluousShift { offset: 8 })
    );
    assert_eq!(utf7::decode(b"&U,BTF2XlZyyKng-").unwrap(), "台北日本語");
    assert_eq!(utf7::encode("台北日本語"), "&U,BTF2XlZyyKng-");
}

#[test]
fn utf7_strictness() {
    assert_eq!(utf7::decode(b"Tom &- Jerry").unwrap(), "Tom & Jerry");
    assert_eq!(utf7::encode("Tom & Jerry"), "Tom &- Jerry");
    // "&-" after a run is a literal "&", not a superfluous shift.
    assert_eq!(utf7::decode(b"&AOk-&-").unwrap(), "é&");
    // Unterminated at the end.
    assert_eq!(
        utf7::decode(b"a&AOk"),
        Err(Utf7Error::Unterminated { offset: 5 })
    );
    assert_eq!(
        utf7::decode(b"&"),
        Err(Utf7Error::Unterminated { offset: 1 })
    );
    // Printable ASCII "a" (U+0061) encoded.
    assert_eq!(
        utf7::decode(b"&AGE-"),
        Err(Utf7Error::EncodedAscii { offset: 0 })
    );
    // Non-zero trailing bits, and an extra base64 character.
    assert_eq!(
        utf7::decode(b"&AOl-"),
        Err(Utf7Error::NonMinimal { offset: 0 })
    );
    assert_eq!(
        utf7::decode(b"&AOkA-"),
        Err(Utf7Error::NonMinimal { offset: 0 })
    );
    assert_eq!(
        utf7::decode(b"&A-"),
        Err(Utf7Error::NonMinimal { offset: 0 })
    );
    // Raw 8-bit and control octets must be encoded.
    assert_eq!(
        utf7::decode(b"caf\xc3\xa9"),
        Err(Utf7Error::InvalidByte {
            offset: 3,
            byte: 0xc3
        })
    );
    assert_eq!(
        utf7::decode(b"a\tb"),
        Err(Utf7Error::InvalidByte {
            offset: 1,
            byte: b'\t'
        })
    );
    // "/" is not in the modified alphabet (it is ",").
    assert!(matches!(
        utf7::decode(b"&U/BTFw-"),
        Err(Utf7Error::Unterminated { .. })
    ));
    // Surrogate pairs: U+1F600 and lone halves.
    assert_eq!(utf7::encode("😀"), "&2D3eAA-");
    assert_eq!(utf7::decode(b"&2D3eAA-").unwrap(), "😀");
    assert_eq!(
        utf7::decode(b"&2D0-"),
        Err(Utf7Error::InvalidUtf16 { offset: 0 })
    );
    assert!(matches!(
        utf7::decode(b"&3gA-"),
        Err(Utf7Error::InvalidUtf16 { .. })
    ));
    // Control characters are encoded, not written raw.
    assert_eq!(utf7::encode("a\tb"), "a&AAk-b");
    // ASCII-only names borrow.
    assert!(matches!(
        utf7::decode(b"Sent"),
        Ok(std::borrow::Cow::Borrowed("Sent"))
    ));
}

// ---- flags (RFC 9051 section 2.3.2) ----

#[test]
fn flags() {
    let cases: &[(&[u8], Flag<'_>, &[u8])] = &[
        (b"\\Seen", Flag::Seen, b"\\Seen"),
        (b"\\SEEN", Flag::Seen, b"\\Seen"),
        (b"\\answered", Flag::Answered, b"\\Answered"),
        (b"\\Flagged", Flag::Flagged, b"\\Flagged"),
        (b"\\Deleted", Flag::Deleted, b"\\Deleted"),
        (b"\\Draft", Flag::Draft, b"\\Draft"),
        (b"\\Recent", Flag::Recent, b"\\Recent"),
        (
            b"$Junk",
            Flag::Keyword(Atom::new("$Junk").unwrap()),
            b"$Junk",
        ),
        (
            b"\\NonJunk",
            Flag::Extension(Atom::new("NonJunk").unwrap()),
            b"\\NonJunk",
        ),
    ];
    for (wire, flag, out) in cases {
        let (f, n) = parse_flag(wire).unwrap();
        assert_eq!((&f, n), (flag, wire.len()));
        assert_eq!(enc_default(&f), *out);
    }
    let (f, n) = parse_flag(b"\\Seen)").unwrap();
    assert_eq!((f, n), (Flag::Seen, 5));
    assert!(parse_flag(b"\\*").is_err());
    assert!(parse_flag(b"\\").is_err());
    assert!(parse_flag(b"(").is_err());
    assert_eq!(parse_flag_perm(b"\\* ").unwrap(), (FlagPerm::Wildcard, 2));
    assert_eq!(
        parse_flag_perm(b"\\Deleted").unwrap(),
        (FlagPerm::Flag(Flag::Deleted), 8)
    );
    assert_eq!(enc_default(&FlagPerm::Wildcard), b"\\*");
    let list = NonEmptyVec::new(vec![
        Flag::Seen,
        Flag::Keyword(Atom::new("$Forwarded").unwrap()),
    ])
    .unwrap();
    assert_eq!(enc_default(&list), b"(\\Seen $Forwarded)");
}

// ---- sequence sets (RFC 9051 section 9, RFC 5182) ----

#[test]
fn sequence_set_rfc_example() {
    let (set, n) = parse_sequence_set(b"2,4:7,9,12:* ").unwrap();
    assert_eq!(n, 12);
    let v = |n| SeqNumber::new(n).unwrap();
    assert_eq!(
        set,
        SequenceSet::new(vec![
            SeqItem::Number(v(2)),
            SeqItem::Range(v(4), v(7)),
            SeqItem::Number(v(9)),
            SeqItem::Range(v(12), SeqNumber::Largest),
        ])
        .unwrap()
    );
    // "equivalent to 2,4,5,6,7,9,12,13,14,15" for a mailbox of 15.
    let members: Vec<u32> = (1..=20).filter(|&n| set.contains(n, 15)).collect();
    assert_eq!(members, [2, 4, 5, 6, 7, 9, 12, 13, 14, 15]);
    assert_eq!(enc_default(&set), b"2,4:7,9,12:*");
    // "*:4,5:7 for a mailbox with 10 messages" is 4 to 10.
    let (set, _) = parse_sequence_set(b"*:4,5:7").unwrap();
    let members: Vec<u32> = (1..=20).filter(|&n| set.contains(n, 10)).collect();
    assert_eq!(members, [4, 5, 6, 7, 8, 9, 10]);
}

#[test]
fn sequence_set_saved_and_errors() {
    assert_eq!(parse_sequence_set(b"$ ").unwrap(), (SequenceSet::Saved, 1));
    assert_eq!(enc_default(&SequenceSet::Saved), b"$");
    assert_eq!(
        parse_sequence_set(b"4294967295").unwrap().0,
        SequenceSet::single(SeqNumber::new(u32::MAX).unwrap())
    );
    for bad in [
        &b"0"[..],
        b"4294967296",
        b"1,",
        b"1:",
        b":1",
        b",1",
        b"",
        b"1:0",
        b"01",
        b"1,$",
    ] {
        assert!(parse_sequence_set(bad).is_err(), "{bad:?}");
    }
    assert!(SeqNumber::new(0).is_err());
    assert!(SequenceSet::new(vec![]).is_err());
}

// ---- secrets ----

#[test]
fn secret_hides_from_debug_but_encodes() {
    let s = Secret::new(AString::try_from("p@ss word").unwrap());
    assert_eq!(format!("{s:?}"), "Secret(..)");
    assert!(!format!("{:?}", Some(&s)).contains("word"));
    assert_eq!(enc_default(&s), b"\"p@ss word\"");
    assert_eq!(s.into_owned().expose().as_bytes(), b"p@ss word");
}

#[test]
fn into_owned_outlives_input() {
    let owned = {
        let input = b"{5}\r\nhello".to_vec();
        let (s, _) = parse_astring(&input, STRICT).unwrap();
        s.into_owned()
    };
    assert_eq!(owned.as_bytes(), b"hello");
}

#[test]
fn write_to_bufmut_matches_to_bytes() {
    let mut e = Encoder::new(EncodeOptions::default());
    Mailbox::from_utf8("Entwürfe", false)
        .unwrap()
        .encode(&mut e);
    e.sp();
    IString::try_from("a\r\nb").unwrap().encode(&mut e);
    let mut buf = bytes::BytesMut::new();
    e.write_to(&mut buf);
    assert_eq!(&buf[..], &e.to_bytes()[..]);
    assert_eq!(&buf[..], b"Entw&APw-rfe {4}\r\na\r\nb");
}
