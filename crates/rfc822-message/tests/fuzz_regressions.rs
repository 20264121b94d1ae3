//! Inputs found by the cargo-fuzz targets (`fuzz/fuzz_targets/rfc822_*.rs`),
//! minimised, kept as regression tests.

use rfc822_message::header::{MessageId, Received};

/// `rfc822_headers`: a Message-ID without angle brackets whose domain is
/// preceded by white space (obsolete CFWS) kept the white space in the id,
/// so `<id>` re-encoded read back as a different id.
#[test]
fn bare_message_id_drops_cfws_before_domain() {
    for raw in [
        &b" -ple@   loca"[..],
        b"a@ (comment) b.example",
        b"a@\r\n b",
    ] {
        let id = MessageId::parse(raw).unwrap();
        assert!(
            !id.as_str().contains([' ', '\r', '\n', '(']),
            "{:?}",
            id.as_str()
        );
        let mut out = Vec::new();
        id.encode(&mut out);
        assert_eq!(MessageId::parse(&out).unwrap(), id);
    }
    // invalid UTF-8 read lossily must not fool the "no CFWS" check (the
    // U+FFFD expansion made up for the removed spaces)
    let id = MessageId::parse(b" \xae1\xfe\xff\xff\xfda@  e\xfd").unwrap();
    assert!(!id.as_str().contains(' '), "{:?}", id.as_str());
    assert_eq!(
        MessageId::parse(b" -ple@   loca").unwrap().as_str(),
        "-ple@loca"
    );
    assert_eq!(
        MessageId::parse(b"a@ (c) b.example").unwrap().as_str(),
        "a@b.example"
    );
    // unchanged: the plain bare form borrows as before
    assert_eq!(
        MessageId::parse(b" 1234@host.example").unwrap().as_str(),
        "1234@host.example"
    );
}

/// `rfc822_headers`: in a Received field a stray CR glued itself to the
/// word after it, so `by x \r\rwith y` read `with` as part of the `by`
/// value; the value (CRs collapsed to spaces) then read back as two
/// clauses.
#[test]
fn received_stray_cr_does_not_swallow_a_keyword() {
    let raw = b" by mwail.example \r\r\rwith ESMTPS id 123 for -0600";
    let r = Received::parse(raw).unwrap();
    let clauses: Vec<(&str, &str)> = r.clauses().iter().map(|c| (c.name(), c.value())).collect();
    assert_eq!(
        clauses,
        [
            ("by", "mwail.example"),
            ("with", "ESMTPS"),
            ("id", "123"),
            ("for", "-0600")
        ]
    );
    let again = Received::parse(b" by mwail.example with ESMTPS id 123 for -0600").unwrap();
    let a: Vec<(&str, &str)> = again
        .clauses()
        .iter()
        .map(|c| (c.name(), c.value()))
        .collect();
    assert_eq!(a, clauses);
}

/// `rfc822_build`: binary data forced to quoted-printable is encoded with
/// the text-mode options (`BuildOptions::qp`, `binary: false`), so each LF
/// (and CR LF) in the data is written as a line break and decodes as CRLF:
/// the attachment's bytes change. RFC 2045 section 6.7 (4): in binary data
/// CR and LF must be encoded (`=0D`, `=0A`). Fixed in src/build/builder.rs
/// (non-text `Content::Data` uses `QpOptions { binary: true, .. }`).
#[test]
fn binary_data_forced_to_qp_keeps_its_bytes() {
    use rfc822_message::Message;
    use rfc822_message::build::{
        DateTime, Mailbox, MediaType, MessageBuilder, Part, TransferEncoding,
    };
    for data in [&b"\n"[..], b"a\r\nb", b"\r", b"x\ny\n", b"\r\n\r\n"] {
        let raw = MessageBuilder::new()
            .from(Mailbox::with_addr(None, "a@example.org").unwrap())
            .date(DateTime::new(2024, 5, 17, 9, 30, 0, 0).unwrap())
            .deterministic(1)
            .body(
                Part::data(MediaType::octet_stream(), data.to_vec())
                    .encoding(TransferEncoding::QuotedPrintable),
            )
            .build()
            .unwrap();
        let msg = Message::parse(&raw);
        assert_eq!(&*msg.root().decoded_body(), data, "{data:?}");
    }
    // Text keeps line breaks as line breaks.
    let raw = MessageBuilder::new()
        .from(Mailbox::with_addr(None, "a@example.org").unwrap())
        .date(DateTime::new(2024, 5, 17, 9, 30, 0, 0).unwrap())
        .deterministic(1)
        .body(Part::text("l\u{e9}1\r\nl2\r\n").encoding(TransferEncoding::QuotedPrintable))
        .build()
        .unwrap();
    assert!(
        raw.ends_with(b"l=C3=A91\r\nl2\r\n"),
        "{}",
        String::from_utf8_lossy(&raw)
    );
}

/// `rfc822_headers`: an identifier kept from broken brackets (`<@>`: empty
/// left and right) was written with its left side quoted (`<""@>`), which
/// is no msg-id either, so the list parser kept it with the quotes and the
/// next encoding quoted those: the value grew at every round.
#[test]
fn id_list_encoding_settles() {
    use rfc822_message::header::IdList;
    for raw in [
        &b"gf98e<@>net>"[..],
        b"<\"\"@>",
        b"<a(b)@c>",
        b"<\"x>",
        b"<@[t  ]  ] >o >o",
    ] {
        let enc = |l: &IdList<'_>| {
            let mut out = Vec::new();
            l.encode(&mut out);
            out
        };
        let e1 = enc(&IdList::parse(raw));
        let e2 = enc(&IdList::parse(&e1));
        let e3 = enc(&IdList::parse(&e2));
        assert_eq!(e2, e3, "{:?}", String::from_utf8_lossy(raw));
    }
}

/// `rfc822_headers`: an addr-spec used as display name across a bare-LF
/// fold kept the LF in `name_raw`, and `Mailbox::encode` wrote it inside the
/// quoted name: a line break in an encoded value. The encoder now unfolds
/// names and comments, and the parser now unfolds `name_raw` on this
/// lenient path too, as on every other.
#[test]
fn address_encoder_never_writes_a_line_break() {
    use rfc822_message::header::AddressList;
    for raw in [
        &b".\xb5\x9c\x9c\x9e\xdf@s<=>,qm.\n jo\x9e\xdf@s<=>,joe@wh"[..],
        b"qm.\r\n jo@s <a@b>",
        b"a@b (c\r\n d)",
    ] {
        let list = AddressList::parse(raw).unwrap();
        let mut out = Vec::new();
        list.encode(&mut out);
        assert!(!out.contains(&b'\n') && !out.contains(&b'\r'), "{out:?}");
        let again = AddressList::parse(&out).unwrap();
        let mut out2 = Vec::new();
        again.encode(&mut out2);
        assert_eq!(out, out2);
    }
}

/// `rfc822_headers`: a domain literal with quoted-pairs (obsolete syntax)
/// is kept unescaped, and `Mailbox::encode` wrote it as it was, so
/// `[o\\\\L]` came back as `[o\\L]` and then `[oL]`; a `\]` even ended the
/// literal early. Non-dtext inside the brackets is now written as a
/// quoted-pair.
#[test]
fn domain_literal_quoted_pairs_round_trip() {
    use rfc822_message::header::AddressList;
    for raw in [
        &b"4@[o~\"M\\\\\\\\\\L\\ica ]"[..],
        b"a@[x\\]y]",
        b"a@[x\\[y]",
        b"a@[192.0.2.1]",
    ] {
        let list = AddressList::parse(raw).unwrap();
        let mut out = Vec::new();
        list.encode(&mut out);
        let again = AddressList::parse(&out).unwrap();
        let d = |l: &AddressList<'_>| {
            l.mailboxes()
                .map(|m| m.domain().map(str::to_owned))
                .collect::<Vec<_>>()
        };
        assert_eq!(d(&again), d(&list), "{:?}", String::from_utf8_lossy(&out));
    }
}

/// `rfc822_headers`: a Message-ID whose domain literal held quoted-pairs
/// (`\]`, `\\`: obs-id-right) was written back with the escaped octets
/// bare, so the literal ended early and `<id>` did not parse again.
#[test]
fn message_id_literal_quoted_pairs_round_trip() {
    for raw in [
        &b"<a@[x\\]y]>"[..],
        b"<a@[x\\\\y]>",
        b"<a@[x\\[y]>",
        b"<\"q l\"@[\\]\\\\ \\[]>",
        b" #$@[\xff\xff~\xb6\"\x98<(A>\\\x80\\\\\x80\\]B \xff~]",
        // a quoted id-left with no right side: bare, `<>\xff@>` ends at once
        b"  <\">\xff@\">",
        // a quoted-pair of a control octet in the literal
        b"#$@[\xff\xff~\xff\xff\xff\xff\xff\xff\x22\x98<(A>\x5c\x02>\x80\x5c\x5c\x80\x5c]B 2\xff\xff\xff\xff\xff\xffz\xff\xff\xff\xff~]",
    ] {
        let Ok(id) = MessageId::parse(raw) else {
            continue;
        };
        let mut out = Vec::new();
        id.encode(&mut out);
        let back = MessageId::parse(&out)
            .unwrap_or_else(|e| panic!("{:?} does not parse: {e}", out.escape_ascii().to_string()));
        assert_eq!(back.as_str(), id.as_str(), "{}", out.escape_ascii());
    }
    let id = MessageId::parse(b"<a@[x\\]y]>").unwrap();
    assert_eq!(id.as_str(), "a@[x]y]");
}

/// `rfc822_headers`: an id list whose ids hold `@[` more than once and
/// bytes no quoted form keeps: the escaped literal form must only be used
/// when it reads back as the same id, or the list grows at every round.
#[test]
fn id_list_with_several_literals_settles() {
    use rfc822_message::header::IdList;
    let raw = b"A<\xff\xff\xff\x1d@[1\xff~\xb4\xff\xff\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xff\x1d@[1\xff~\xb4\xff\xff\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf~]>\x0a\xe8><M.A \x5c\xc2\xb2><\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf~]>\x0a\xe8><M.A \x5c\xc2\xb2><=\xc20M-><M.A \x5c\xc2\xb2><=\xc2\xb2><=M";
    let enc = |l: &IdList<'_>| {
        let mut out = Vec::new();
        l.encode(&mut out);
        out
    };
    let mut prev = enc(&IdList::parse(raw));
    for _ in 0..8 {
        let next = enc(&IdList::parse(&prev));
        if next == prev {
            return;
        }
        prev = next;
    }
    panic!("does not settle: {}", prev.escape_ascii());
}

/// `rfc822_build`: an attachment with a file name of a few thousand
/// characters, percent-encoded in RFC 2231 continuations of 78 columns,
/// took more than the parser's default 64 parameters, so the built
/// message's file name did not read back. Long values now get longer
/// segments (each within the 998-octet line limit).
#[test]
fn long_file_name_reads_back() {
    use rfc822_message::build::{MediaType, Part, Text};
    use rfc822_message::header::ContentDisposition;
    use rfc822_message::{DateTime, Mailbox, Message, MessageBuilder};
    let name = "d908647e26db\u{13}\u{13}\u{f}\u{f}.0002``0".repeat(250);
    let raw = MessageBuilder::new()
        .deterministic(1)
        .from(Mailbox::with_addr(None, "a@example.org").unwrap())
        .date(DateTime::new(2026, 11, 23, 9, 30, 0, 60).unwrap())
        .body(Part::attachment(
            MediaType::octet_stream(),
            Text::new(name.clone()).unwrap(),
            vec![1u8, 2, 3],
        ))
        .build()
        .unwrap();
    let msg = Message::parse(&raw);
    let got = msg
        .root()
        .header(b"content-disposition")
        .and_then(|v| ContentDisposition::parse(v).ok())
        .and_then(|cd| cd.filename().map(|f| f.decoded().into_owned()));
    assert_eq!(got.as_deref(), Some(name.as_str()));
    assert!(raw.split(|&b| b == b'\n').all(|l| l.len() <= 1000));
}
