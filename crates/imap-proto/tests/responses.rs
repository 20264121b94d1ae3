//! Server responses: the examples of RFC 3501 sections 7 and 8 and RFC 9051
//! section 7 parse, and re-encode byte for byte.

// Helpers outside #[test] functions are not covered by clippy.toml's
// allow-*-in-tests settings; this whole file is test code.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use core::num::NonZeroU32;

use imap_proto::encode::response::{
    Encoded, NotInImap4rev2, ResponseEncodeOptions, encode_response,
};
use imap_proto::encode::{Encode, EncodeOptions, Encoder};
use imap_proto::parse::fetch::{StreamedKind, parse_fetch_head, parse_fetch_rest};
use imap_proto::types::body::{Body, SingleKind};
use imap_proto::types::{
    Capability, Code, Data, ESearch, ESearchItem, FetchItem, Flag, IString, Response, SectionText,
    StatusKind,
};
use imap_proto::{ResponseError, ResponseOptions};

fn encode(r: &Response<'_>) -> Vec<u8> {
    let mut e = Encoder::new(EncodeOptions::default());
    r.encode(&mut e);
    e.to_bytes()
}

/// Parses `line` (CRLF appended), checks it re-encodes to the same bytes
/// and that the encoding parses to the same value.
fn rt(line: &str) -> Response<'static> {
    let msg = format!("{line}\r\n");
    let r = Response::parse(msg.as_bytes())
        .unwrap_or_else(|e| panic!("{line:?}: {e}"))
        .into_owned();
    let out = encode(&r);
    assert_eq!(
        String::from_utf8_lossy(&out),
        msg,
        "re-encoding of {line:?}"
    );
    assert_eq!(Response::parse(&out).unwrap(), r);
    r
}

/// Joins an RFC example wrapped over several lines: a space at each wrap,
/// except before a second address of an address list (`)` then `("`: the
/// grammar has no space between addresses).
fn unwrap_rfc(s: &str) -> String {
    let mut out = String::new();
    for part in s.lines().map(str::trim) {
        if part.is_empty() {
            continue;
        }
        let second_address = out.ends_with(')') && part.starts_with("(\"");
        if !out.is_empty() && !second_address {
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

const RFC3501_SECTION7: &[&str] = &[
    "* OK IMAP4rev1 server ready",
    "* OK [ALERT] System shutdown in 10 minutes",
    "A001 OK LOGIN Completed",
    "* NO Disk is 98% full, please delete unnecessary data",
    "A222 OK COPY completed",
    "* NO Disk is 99% full, please delete unnecessary data",
    "A223 NO COPY failed: disk is full",
    "* BAD Command line too long",
    "* BAD Empty command line",
    "* BAD Disk crash, attempting salvage to a new disk!",
    "* OK Salvage successful, no data lost",
    "A443 OK Expunge completed",
    "* PREAUTH IMAP4rev1 server logged in as Smith",
    "* BYE Autologout; idle for too long",
    "* CAPABILITY IMAP4rev1 STARTTLS AUTH=GSSAPI XPIG-LATIN",
    "* LIST (\\Noselect) \"/\" ~/Mail/foo",
    "* LSUB () \".\" #news.comp.mail.misc",
    "* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)",
    "* SEARCH 2 3 6",
    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
    "* 23 EXISTS",
    "* 5 RECENT",
    "* 44 EXPUNGE",
    "* 23 FETCH (FLAGS (\\Seen) RFC822.SIZE 44827)",
    "+ Ready for additional command text",
    "A001 OK LOGIN completed",
    "A044 BAD No such command as \"BLURDYBLOOP\"",
    // Section 8.
    "* OK IMAP4rev1 Service Ready",
    "a001 OK LOGIN completed",
    "* 18 EXISTS",
    "* 2 RECENT",
    "* OK [UNSEEN 17] Message 17 is the first unseen message",
    "* OK [UIDVALIDITY 3857529045] UIDs valid",
    "a002 OK [READ-WRITE] SELECT completed",
    "a003 OK FETCH completed",
    "* 12 FETCH (FLAGS (\\Seen \\Deleted))",
    "a005 OK +FLAGS completed",
    "* BYE IMAP4rev1 server terminating connection",
    "a006 OK LOGOUT completed",
];

const RFC9051_SECTION7: &[&str] = &[
    "o356 NO [ALREADYEXISTS] Mailbox \"that\" already exists",
    "b NO [AUTHENTICATIONFAILED] Authentication failed",
    "c1 NO [AUTHORIZATIONFAILED] No such authorization-ID",
    "c2 NO [AUTHORIZATIONFAILED] Authenticator is not an admin",
    "l NO [CANNOT] Adjacent slashes are not supported",
    "k1 OK [READ-ONLY] Done",
    "k2 OK [CLIENTBUG] Done",
    "e NO [CONTACTADMIN]",
    "i NO [CORRUPTION] Cannot open mailbox",
    "d NO [EXPIRED] That password isn't valid any more",
    "* ESEARCH (TAG \"h\") ALL 1:3,5,8,13,21,42",
    "h OK [EXPUNGEISSUED] Search completed",
    "o356 NO [HASCHILDREN] Mailbox \"Notes\" has children",
    "g NO [INUSE] Mailbox in use",
    "m NO [LIMIT] At most 32 flags in one mailbox supported",
    "p NO [NONEXISTENT] No such mailbox",
    "f NO [NOPERM] Access denied",
    "n1 NO [OVERQUOTA] Sorry",
    "n2 OK [OVERQUOTA] You are now over your soft quota",
    "d NO [PRIVACYREQUIRED] Connection offers no privacy",
    "j NO [SERVERBUG] This should not happen",
    "a NO [UNAVAILABLE] User's backend down for maintenance",
    "* OK IMAP4rev2 server ready",
    "* OK [ALERT] System shutdown in 10 minutes",
    "* PREAUTH IMAP4rev2 server logged in as Smith",
    "* ENABLED CONDSTORE QRESYNC",
    "* CAPABILITY STARTTLS AUTH=GSSAPI IMAP4rev2 LOGINDISABLED",
    "* LIST (\\Noselect) \"/\" ~/Mail/foo",
    "* LIST (\\Marked) \":\" Tables (tablecloth ((\"edge\" \"lacy\") (\"color\" \"red\")) Sample \"text\")",
    "* LIST () \":\" Tables:new (tablecloth (\"edge\" \"lacy\") Sample (\"text\" \"more text\"))",
    "* NAMESPACE ((\"\" \"/\")) ((\"~\" \"/\")) NIL",
    "* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)",
    "* ESEARCH UID COUNT 17 ALL 4:18,21,28",
    "* ESEARCH (TAG \"a567\") UID COUNT 17 ALL 4:18,21,28",
    "* ESEARCH COUNT 18 ALL 1:17,21",
    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
    "* 23 EXISTS",
    "* 44 EXPUNGE",
    "* 23 FETCH (FLAGS (\\Seen) RFC822.SIZE 44827 UID 447)",
    "+ Ready for additional command text",
    "A044 BAD No such command as \"BLURDYBLOOP\"",
];

#[test]
fn rfc3501_section_7_and_8_examples() {
    for line in RFC3501_SECTION7 {
        rt(line);
    }
}

#[test]
fn rfc9051_section_7_examples() {
    for line in RFC9051_SECTION7 {
        rt(line);
    }
}

#[test]
fn rfc9051_other_section_7_examples() {
    // Examples given inside the prose of RFC 9051 section 7.1 and 7.3.
    for line in [
        "* OK [CAPABILITY IMAP4rev2 STARTTLS AUTH=PLAIN] hello",
        "A003 OK [APPENDUID 38505 3955] APPEND completed",
        "A004 OK [COPYUID 38505 304,319:320 3956:3958] Done",
        "* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited",
        "* OK [UIDNEXT 4392] Predicted next UID",
        "* NO [BADCHARSET (UTF-8 US-ASCII)] charset",
        "* OK [HIGHESTMODSEQ 715194045007] Highest",
        "a OK [MODIFIED 7,9] Conditional STORE failed",
        "* OK [CLOSED] Previous mailbox is now closed",
        "* OK [NOMODSEQ] Sorry, this mailbox format doesn't support modsequences",
        "A03 OK [NOTSAVED] Done",
        "A03 NO [UIDNOTSTICKY] Non-persistent UIDs",
        "* OK [TRYCREATE] x",
        "* NO [PARSE] bad header",
        "* ID (\"name\" \"Dovecot\" \"version\" NIL)",
        "* ID NIL",
        "* VANISHED (EARLIER) 41,43:116,118,120:211,214:540",
        "* VANISHED 405,407,410,425",
        "* 1 FETCH (UID 4 MODSEQ (12121231000))",
        "* SEARCH 2 5 6 7 11 12 18 19 20 23 (MODSEQ 917162500)",
        "* SEARCH",
        "* ENABLED",
        "* STATUS INBOX (MESSAGES 17 UNSEEN 16 SIZE 44000 DELETED 0 HIGHESTMODSEQ 7011231777)",
        "* NAMESPACE ((\"\" \"/\")) NIL ((\"Public Folders/\" \"/\" \"X-PARAM\" (\"FLAG1\" \"FLAG2\")))",
        "* LIST (\\HasNoChildren \\Sent) \".\" Sent",
        "* LIST () NIL flat",
        "* LIST (\\Subscribed) \"\\\\\" foo",
        "+ ",
        "+ YGgGCSqGSIb3EgECAgIBAAD/////6jcyG4GE3KkTzBeBiVHeceP2CWY0SR0fAQAgAAQEBAQ=",
        "* 12 FETCH (BINARY.SIZE[1] 2279 BINARY[1] ~{3}\r\na\0b)",
        "* 3 XUNKNOWN (a \"b\" {3}\r\nc\r\n) d",
        "* XSTATE 1 2",
        "* OK [X-EXT arbitrary text here] ok",
        "* OK [X-FLAG] ok",
    ] {
        rt(line);
    }
}

#[test]
fn codes_are_typed() {
    let Response::Status(s) = rt("A004 OK [COPYUID 38505 304,319:320 3956:3958] Done") else {
        panic!()
    };
    assert_eq!(s.tag.unwrap().as_str(), "A004");
    assert!(
        matches!(s.code, Some(Code::CopyUid { uid_validity, .. }) if uid_validity.get() == 38505)
    );
    let Response::Status(s) = rt("e NO [CONTACTADMIN]") else {
        panic!()
    };
    assert_eq!(
        (s.kind, s.code, s.text.as_str()),
        (StatusKind::No, Some(Code::ContactAdmin), "")
    );
    let Response::Status(s) = rt("* OK [X-EXT arbitrary text here] ok") else {
        panic!()
    };
    let Some(Code::Other { name, text }) = s.code else {
        panic!()
    };
    assert_eq!(
        (name.as_str(), text.unwrap().as_str()),
        ("X-EXT", "arbitrary text here")
    );
    let Response::Status(s) = rt("* PREAUTH IMAP4rev1 server logged in as Smith") else {
        panic!()
    };
    assert!(s.is_greeting());
}

#[test]
fn capabilities_are_typed() {
    let Response::Data(Data::Capability(c)) =
        rt("* CAPABILITY IMAP4rev1 STARTTLS AUTH=GSSAPI XPIG-LATIN")
    else {
        panic!()
    };
    assert_eq!(c[0], Capability::Imap4Rev1);
    assert_eq!(c[1], Capability::StartTls);
    assert!(matches!(&c[2], Capability::Auth(m) if m.as_str() == "GSSAPI"));
    assert!(matches!(&c[3], Capability::Other(m) if m.as_str() == "XPIG-LATIN"));
}

#[test]
fn rfc3501_section8_fetch_full() {
    let line = unwrap_rfc(
        r#"* 12 FETCH (FLAGS (\Seen) INTERNALDATE "17-Jul-1996 02:44:25 -0700"
      RFC822.SIZE 4286 ENVELOPE ("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)"
      "IMAP4rev1 WG mtg summary and minutes"
      (("Terry Gray" NIL "gray" "cac.washington.edu"))
      (("Terry Gray" NIL "gray" "cac.washington.edu"))
      (("Terry Gray" NIL "gray" "cac.washington.edu"))
      ((NIL NIL "imap" "cac.washington.edu"))
      ((NIL NIL "minutes" "CNRI.Reston.VA.US")
      ("John Klensin" NIL "KLENSIN" "MIT.EDU")) NIL NIL
      "<B27397-0100000@cac.washington.edu>")
       BODY ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028
       92))"#,
    );
    let Response::Data(Data::Fetch { seq, items }) = rt(&line) else {
        panic!()
    };
    assert_eq!(seq.get(), 12);
    assert_eq!(items[0], FetchItem::Flags(vec![Flag::Seen]));
    let FetchItem::InternalDate(d) = &items[1] else {
        panic!()
    };
    assert_eq!(
        (d.date(), d.time().0, d.zone_minutes()),
        ((1996, 7, 17), 2, -420)
    );
    assert_eq!(items[2], FetchItem::Rfc822Size(4286));
    let FetchItem::Envelope(env) = &items[3] else {
        panic!()
    };
    assert_eq!(env.cc.len(), 2);
    assert_eq!(env.cc[1].mailbox.string().unwrap().as_bytes(), b"KLENSIN");
    assert!(env.in_reply_to.is_nil());
    let FetchItem::Body(b) = &items[4] else {
        panic!()
    };
    let Body::Single {
        kind, fields, ext, ..
    } = &**b
    else {
        panic!()
    };
    assert_eq!(*kind, SingleKind::Text { lines: 92 });
    assert_eq!(fields.octets, 3028);
    assert!(ext.is_none());
}

#[test]
fn rfc3501_section8_fetch_header_literal() {
    let header = "Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\r\n\
From: Terry Gray <gray@cac.washington.edu>\r\n\
Subject: IMAP4rev1 WG mtg summary and minutes\r\n\
To: imap@cac.washington.edu\r\n\
cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>\r\n\
Message-Id: <B27397-0100000@cac.washington.edu>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\r\n";
    assert_eq!(header.len(), 342);
    let msg = format!("* 12 FETCH (BODY[HEADER] {{342}}\r\n{header})\r\n");
    let r = Response::parse(msg.as_bytes()).unwrap();
    let Response::Data(Data::Fetch { items, .. }) = &r else {
        panic!()
    };
    let FetchItem::BodySection {
        section,
        origin,
        data,
    } = &items[0]
    else {
        panic!()
    };
    assert_eq!(section.text(), Some(&SectionText::Header));
    assert_eq!(*origin, None);
    let bytes = data.string().unwrap().as_bytes();
    assert_eq!(bytes, header.as_bytes());
    // Borrowed from the message: zero-copy.
    assert!(msg.as_bytes().as_ptr_range().contains(&bytes.as_ptr()));
    assert_eq!(encode(&r), msg.as_bytes());
}

const RFC3501_MULTIPART: &str = r#"(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 1152
         23)("TEXT" "PLAIN" ("CHARSET" "US-ASCII" "NAME" "cc.diff")
         "<960723163407.20117h@cac.washington.edu>" "Compiler diff"
         "BASE64" 4554 73) "MIXED")"#;

#[test]
fn rfc3501_bodystructure_examples() {
    let single = "* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 2279 48))";
    rt(single);
    let line = format!(
        "* 2 FETCH (BODYSTRUCTURE {})",
        unwrap_rfc(RFC3501_MULTIPART)
    );
    let Response::Data(Data::Fetch { items, .. }) = rt(&line) else {
        panic!()
    };
    let FetchItem::BodyStructure(b) = &items[0] else {
        panic!()
    };
    let Body::Multipart { parts, subtype, .. } = &**b else {
        panic!()
    };
    assert_eq!(parts.len(), 2);
    assert_eq!(subtype.as_bytes(), b"MIXED");
    let Body::Single { fields, .. } = &parts[1] else {
        panic!()
    };
    assert_eq!(
        fields.description.string().unwrap().as_bytes(),
        b"Compiler diff"
    );
    assert_eq!(fields.params.len(), 2);
    // And as BODY, in RFC 9051's spelling.
    rt(&format!(
        "* 2 FETCH (BODY {})",
        unwrap_rfc(RFC3501_MULTIPART)
    ));
}

#[test]
fn bodystructure_with_all_extension_data() {
    // A multipart/mixed with a message/rfc822 part, disposition, language,
    // location and extension data, as Dovecot and Cyrus write them.
    let line = concat!(
        "* 5 FETCH (UID 9 BODYSTRUCTURE (",
        "(\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 120 4 \"abcd\" NIL (\"en\" \"de\") \"http://x/\" 7 (\"a\" (1 2)))",
        "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 300 ",
        "(NIL \"inner\" NIL NIL NIL NIL NIL NIL NIL NIL) ",
        "(\"text\" \"plain\" NIL NIL NIL \"7bit\" 10 1 NIL NIL NIL NIL) 12 NIL (\"attachment\" (\"filename\" \"m.eml\")) \"en\" NIL)",
        "(\"application\" \"pdf\" (\"name\" \"x.pdf\") \"<id@x>\" NIL \"base64\" 4000 NIL (\"inline\" NIL) NIL)",
        " \"mixed\" (\"boundary\" \"b1\") NIL NIL NIL))",
    );
    let Response::Data(Data::Fetch { items, .. }) = rt(line) else {
        panic!()
    };
    let FetchItem::BodyStructure(b) = &items[1] else {
        panic!()
    };
    let Body::Multipart { parts, ext, .. } = &**b else {
        panic!()
    };
    assert_eq!(parts.len(), 3);
    assert!(ext.as_ref().unwrap().more.as_ref().unwrap().more.is_some());
    let Body::Single {
        kind: SingleKind::Message { body, lines, .. },
        ..
    } = &parts[1]
    else {
        panic!()
    };
    assert_eq!(*lines, 12);
    assert!(matches!(
        **body,
        Body::Single {
            kind: SingleKind::Text { lines: 1 },
            ..
        }
    ));
}

#[test]
fn deep_nesting_is_a_limit_error() {
    let depth = 70;
    let mut s = String::from("* 1 FETCH (BODYSTRUCTURE ");
    for _ in 0..depth {
        s.push('(');
    }
    s.push_str("\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1)");
    for _ in 1..depth {
        s.push_str(" \"MIXED\")");
    }
    s.push_str(")\r\n");
    let e = Response::parse(s.as_bytes()).unwrap_err();
    assert!(
        matches!(e, ResponseError::Limit(l) if l.limit == "max_depth"),
        "{e:?}"
    );
    // With a higher limit it parses.
    let opts = ResponseOptions {
        max_depth: 80,
        ..ResponseOptions::default()
    };
    assert!(Response::parse_with(s.as_bytes(), opts).is_ok());
    // Generic values nest under the same limit.
    let deep = format!("* XFOO {}{}\r\n", "(".repeat(1000), ")".repeat(1000));
    assert!(matches!(
        Response::parse(deep.as_bytes()),
        Err(ResponseError::Limit(_))
    ));
}

#[test]
fn item_count_limit() {
    let opts = ResponseOptions {
        max_items: 3,
        ..ResponseOptions::default()
    };
    assert!(Response::parse_with(b"* SEARCH 1 2 3\r\n", opts).is_ok());
    assert!(matches!(
        Response::parse_with(b"* SEARCH 1 2 3 4\r\n", opts),
        Err(ResponseError::Limit(l)) if l.limit == "max_items"
    ));
}

#[test]
fn sections_and_partial() {
    for line in [
        "* 1 FETCH (BODY[]<0> \"abc\")",
        "* 1 FETCH (BODY[1.2.MIME] NIL)",
        "* 1 FETCH (BODY[1.TEXT] \"x\")",
        "* 1 FETCH (BODY[HEADER.FIELDS (DATE FROM)] {2}\r\n\r\n)",
        "* 1 FETCH (BODY[2.HEADER.FIELDS.NOT (\"X Y\" Z)] NIL)",
        "* 1 FETCH (BODY[3] \"\" BINARY[3] \"\" BINARY[] NIL)",
        "* 1 FETCH (RFC822.HEADER \"a\" RFC822.TEXT NIL RFC822 NIL)",
        "* 1 FETCH (INTERNALDATE \" 7-Jul-1996 02:44:25 +0000\")",
        "* 1 FETCH (X-GM-LABELS (\\Inbox \"Sent Mail\") X-GM-MSGID 1278455344230334865)",
    ] {
        rt(line);
    }
}

#[test]
fn literals_become_the_smallest_form() {
    let r = Response::parse(b"* 1 FETCH (BODY[] {0}\r\n)\r\n").unwrap();
    assert_eq!(encode(&r), b"* 1 FETCH (BODY[] \"\")\r\n");
    let r = Response::parse(b"* 1 FETCH (BODY[] {3}\r\na\r\n)\r\n").unwrap();
    assert_eq!(encode(&r), b"* 1 FETCH (BODY[] {3}\r\na\r\n)\r\n");
}

#[test]
fn rejects() {
    for bad in [
        &b"* OK hi"[..],                      // no CRLF
        b"* OK hi\n",                         // bare LF
        b"a1 PREAUTH x\r\n",                  // PREAUTH is never tagged
        b"* 0 EXPUNGE\r\n",                   // nz-number
        b"* 1 FETCH ()\r\n",                  // empty msg-att
        b"* 1 FETCH (UID 0)\r\n",             // nz-number
        b"* OK [UIDNEXT x] y\r\n",            // typed code, bad argument
        b"* OK [ALERT\r\n",                   // unclosed code
        b"* LIST (\\Noselect) \"ab\" x\r\n",  // delimiter of two characters
        b"* 1 FETCH (BODY[] {5}\r\nabc)\r\n", // literal longer than the rest
        b"* 1 FETCH (INTERNALDATE \"17-Foo-1996 02:44:25 -0700\")\r\n",
        b"* 1 FETCH (BODY[MIME] NIL)\r\n", // MIME needs a part
        b"* SEARCH 1 \r\n",                // trailing space
        b"* OK caf\xc3\r\n",               // invalid UTF-8 text
        b"* CAPABILITY\r\n",               // at least one capability
        b"+\r\n",                          // "+" SP
        b"* OK x\r\ny\r\n",                // CRLF in text
        b"* 1 FETCH (FLAGS (\\Seen))\r\n\r\n",
        b"+ 3 FETCH (BODY[] {100}\r\n", // a literal header, not text
        b"* OK see {5+}\r\n",
        b"* OK [X-EXT ] empty code text\r\n",
    ] {
        assert!(
            Response::parse(bad).is_err(),
            "{:?}",
            String::from_utf8_lossy(bad)
        );
    }
    let Err(ResponseError::Syntax(e)) = Response::parse(b"* 1 FETCH (UID x)\r\n") else {
        panic!()
    };
    assert_eq!(e.offset, 15);
}

#[test]
fn streamed_fetch() {
    let o = ResponseOptions::default();
    let head =
        parse_fetch_head(b"* 9 FETCH (FLAGS (\\Seen) BODY[1.2]<100> {65536}\r\n", o).unwrap();
    assert_eq!(head.seq.get(), 9);
    assert_eq!(head.items, vec![FetchItem::Flags(vec![Flag::Seen])]);
    assert_eq!(head.streamed.size, 65536);
    let StreamedKind::BodySection { section, origin } = &head.streamed.kind else {
        panic!()
    };
    assert_eq!((section.part().len(), *origin), (2, Some(100)));
    // The next streamed literal, then the end.
    let cont = parse_fetch_rest(b" UID 4 BINARY[2] ~{70000}\r\n", o).unwrap();
    assert_eq!(cont.items.len(), 1);
    assert!(cont.streamed.as_ref().unwrap().binary);
    let end = parse_fetch_rest(b")\r\n", o).unwrap();
    assert!(end.items.is_empty() && end.streamed.is_none());
    let end = parse_fetch_rest(b" BODY[HEADER] {3}\r\nabc)\r\n", o).unwrap();
    assert_eq!(end.items.len(), 1);
    // A head that does not end with a literal is an error.
    assert!(parse_fetch_head(b"* 9 FETCH (UID 1)\r\n", o).is_err());
    assert!(parse_fetch_head(b"* 9 FETCH (UID 1 BODY[] {5}\r\nabc", o).is_err());
}

#[test]
fn imap4rev2_encoding_drops_recent() {
    let rev2 = ResponseEncodeOptions { imap4rev2: true };
    let mut e = Encoder::new(EncodeOptions::default());
    let enc =
        |wire: &[u8], e: &mut Encoder| encode_response(&Response::parse(wire).unwrap(), rev2, e);
    assert_eq!(enc(b"* 3 RECENT\r\n", &mut e), Ok(Encoded::Omitted));
    assert_eq!(
        enc(b"* STATUS x (MESSAGES 1 RECENT 2)\r\n", &mut e),
        Ok(Encoded::Written)
    );
    assert_eq!(
        enc(b"* 1 FETCH (FLAGS (\\Seen \\Recent) UID 3)\r\n", &mut e),
        Ok(Encoded::Written)
    );
    // A FETCH of nothing but RFC822 items has nothing left for rev2.
    assert_eq!(
        enc(b"* 2 FETCH (RFC822.HEADER {2}\r\nab)\r\n", &mut e),
        Ok(Encoded::Omitted)
    );
    // [UNSEEN n] is deprecated: the untagged OK carrying it goes, a code
    // on another response is dropped from it.
    assert_eq!(
        enc(b"* OK [UNSEEN 12] Message 12 is first unseen\r\n", &mut e),
        Ok(Encoded::Omitted)
    );
    assert_eq!(
        enc(b"A1 OK [UNSEEN 12] done\r\n", &mut e),
        Ok(Encoded::Written)
    );
    // SEARCH and LSUB have rev2 replacements the encoder cannot build.
    assert_eq!(
        enc(b"* SEARCH 2 3 5\r\n", &mut e),
        Err(NotInImap4rev2::Search)
    );
    assert_eq!(
        enc(b"* LSUB () \"/\" INBOX\r\n", &mut e),
        Err(NotInImap4rev2::Lsub)
    );
    assert_eq!(
        e.to_bytes(),
        b"* STATUS x (MESSAGES 1)\r\n* 1 FETCH (FLAGS (\\Seen) UID 3)\r\nA1 OK done\r\n"
    );
    // Without rev2 everything is written as it is.
    let mut e = Encoder::new(EncodeOptions::default());
    let rev1 = ResponseEncodeOptions::default();
    for wire in [
        &b"* 3 RECENT\r\n"[..],
        b"* SEARCH 2 3 5\r\n",
        b"* OK [UNSEEN 12] x\r\n",
    ] {
        assert_eq!(
            encode_response(&Response::parse(wire).unwrap(), rev1, &mut e),
            Ok(Encoded::Written)
        );
    }
    assert_eq!(
        e.to_bytes(),
        b"* 3 RECENT\r\n* SEARCH 2 3 5\r\n* OK [UNSEEN 12] x\r\n"
    );
}

#[test]
fn esearch_from_search_is_the_rev2_answer() {
    let nz =
        |v: &[u32]| -> Vec<NonZeroU32> { v.iter().map(|&n| NonZeroU32::new(n).unwrap()).collect() };
    let tag = || Some(IString::try_from("A1").unwrap().into_owned());
    let wire = |r: ESearch<'static>| {
        let mut e = Encoder::new(EncodeOptions::default());
        Response::Data(Data::ESearch(r)).encode(&mut e);
        e.to_bytes()
    };
    assert_eq!(
        wire(ESearch::from_search(
            tag(),
            true,
            &nz(&[7, 1, 2, 3, 9, 10, 4294967295])
        )),
        b"* ESEARCH (TAG \"A1\") UID ALL 1:3,7,9:10,4294967295\r\n"
    );
    // No match: no ALL (RFC 9051 section 6.4.4).
    assert_eq!(
        wire(ESearch::from_search(tag(), false, &[])),
        b"* ESEARCH (TAG \"A1\")\r\n"
    );
    // It parses back to the same numbers.
    let ids = nz(&[4, 8, 5, 6, 100]);
    let bytes = wire(ESearch::from_search(tag(), false, &ids));
    let Response::Data(Data::ESearch(back)) = Response::parse(&bytes).unwrap() else {
        panic!()
    };
    let [ESearchItem::All(set)] = back.items.as_slice() else {
        panic!()
    };
    for n in 1..=120 {
        assert_eq!(
            set.contains(n, 120),
            ids.iter().any(|i| i.get() == n),
            "{n}"
        );
    }
}

#[test]
fn dovecot_style_transcript() {
    for line in [
        "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN] Dovecot ready.",
        "a1 OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY SPECIAL-USE] Logged in",
        "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
        "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.",
        "* 0 EXISTS",
        "* 0 RECENT",
        "* OK [UIDVALIDITY 1700000000] UIDs valid",
        "* OK [UIDNEXT 1] Predicted next UID",
        "a2 OK [READ-WRITE] Select completed (0.001 + 0.000 secs).",
        "+ idling",
        "* 1 FETCH (UID 1 FLAGS (\\Seen $NotJunk) MODSEQ (3))",
        "a3 OK [APPENDUID 1700000000 1] Append completed (0.002 + 0.000 secs).",
        "* LIST (\\HasNoChildren \\Trash) \".\" Trash",
        "* LIST (\\HasNoChildren) \".\" INBOX",
        "* STATUS INBOX (MESSAGES 1 UIDNEXT 2 UNSEEN 0)",
        "* ID (\"name\" \"Dovecot\")",
        "* BYE Logging out",
        "a9 NO [AUTHENTICATIONFAILED] Authentication failed.",
    ] {
        rt(line);
    }
}

#[test]
fn named_leniencies() {
    let strict = ResponseOptions::default();
    let lenient = ResponseOptions::lenient();
    let cases: &[(&[u8], &[u8])] = &[
        // Yahoo, GreenMail, David.fx: trailing SP after SEARCH.
        (
            b"* SEARCH 28219 29170 29352 \r\n",
            b"* SEARCH 28219 29170 29352\r\n",
        ),
        (b"* SEARCH \r\n", b"* SEARCH\r\n"),
        (
            b"* STATUS INBOX (MESSAGES 0) \r\n",
            b"* STATUS INBOX (MESSAGES 0)\r\n",
        ),
        // imap.qq.com: SP before the FETCH list's `)`.
        (
            b"* 11487 FETCH (UID 19436 )\r\n",
            b"* 11487 FETCH (UID 19436)\r\n",
        ),
    ];
    for (bad, good) in cases {
        assert!(Response::parse_with(bad, strict).is_err(), "{bad:?}");
        let r = Response::parse_with(bad, lenient).unwrap();
        assert_eq!(encode(&r), *good);
    }
    // Proton Mail Bridge: raw UTF-8 in ENVELOPE quoted strings.
    let proton = "* 2 FETCH (UID 4 ENVELOPE (\"Thu, 22 Aug 2024 07:48:03 +0000\" \"Test\" \
((\"Clément\" NIL \"c\" \"localhost\")) NIL NIL NIL NIL NIL NIL NIL))\r\n";
    assert!(Response::parse_with(proton.as_bytes(), strict).is_err());
    let r = Response::parse_with(proton.as_bytes(), lenient).unwrap();
    let Response::Data(Data::Fetch { items, .. }) = &r else {
        panic!()
    };
    let FetchItem::Envelope(env) = &items[1] else {
        panic!()
    };
    assert_eq!(
        env.from[0].name.string().unwrap().to_str().unwrap(),
        "Clément"
    );
    // Not UTF-8 is still an error.
    assert!(Response::parse_with(b"* ID (\"a\" \"\xe9\")\r\n", lenient).is_err());
    // NIL in any case is the grammar, not a leniency.
    assert!(Response::parse_with(b"* ID nil\r\n", strict).is_ok());
}

#[test]
fn default_depth_fits_a_small_stack() {
    // message/rfc822 inside message/rfc822, as deep as the default limit
    // allows, parsed on a 1 MiB thread (unoptimised build included).
    let depth = ResponseOptions::default().max_depth;
    let env = "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)";
    let mut s = String::new();
    for _ in 1..depth {
        s.push_str("(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 1 ");
        s.push_str(env);
        s.push(' ');
    }
    s.push_str("(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1)");
    for _ in 1..depth {
        s.push_str(" 1)");
    }
    let msg = format!("* 1 FETCH (BODYSTRUCTURE {s})\r\n");
    let deeper = format!(
        "* 1 FETCH (BODYSTRUCTURE (\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 1 {env} {s} 1))\r\n"
    );
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            assert!(Response::parse(msg.as_bytes()).is_ok());
            assert!(matches!(
                Response::parse(deeper.as_bytes()),
                Err(ResponseError::Limit(_))
            ));
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn delimiters_are_validated() {
    use imap_proto::types::{CodeText, Delimiter};
    assert!(CodeText::new("a]b").is_err());
    assert!(CodeText::new("").is_err());
    assert!(Delimiter::new('\r').is_err());
    assert!(Delimiter::new('é').is_err());
    assert_eq!(Delimiter::new('/').unwrap().as_char(), '/');
    let Response::Data(Data::List(l)) = rt("* LIST () \"\\\\\" \"a\\\\b\"") else {
        panic!()
    };
    assert_eq!(l.delimiter.unwrap().as_char(), '\\');
}
