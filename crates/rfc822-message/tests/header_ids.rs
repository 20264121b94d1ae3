//! Message identifiers and Received fields: RFC 5322 Appendix A and what
//! real MTAs write.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::borrow::Cow;

use proptest::prelude::*;
use rfc822_message::header::{DateTime, Defects, IdList, MessageId, Received};

#[test]
fn appendix_a_ids() {
    for (raw, id) in [
        (
            " <1234@local.machine.example>",
            "1234@local.machine.example",
        ),
        (
            " <5678.21-Nov-1997@example.com>",
            "5678.21-Nov-1997@example.com",
        ),
        (
            " <testabcd.1234@silly.example>",
            "testabcd.1234@silly.example",
        ),
        (" <3456@example.net>", "3456@example.net"),
        (
            " <abcd.1234@local.machine.test>",
            "abcd.1234@local.machine.test",
        ),
        (" <78910@example.net>", "78910@example.net"),
        (" <1234@local.node.example>", "1234@local.node.example"),
        (
            "              <testabcd.1234@silly.test>",
            "testabcd.1234@silly.test",
        ),
    ] {
        let (m, defects) = MessageId::parse_with_defects(raw.as_bytes()).unwrap();
        assert_eq!(m.as_str(), id);
        assert!(defects.is_empty());
        assert!(
            matches!(MessageId::parse(raw.as_bytes()).unwrap().into_owned().as_str(), s if s == id)
        );
    }
    let m = MessageId::parse(b" <1234@local.machine.example>").unwrap();
    assert_eq!(m.left(), "1234");
    assert_eq!(m.right(), Some("local.machine.example"));
    // A.6.3, obsolete CFWS inside.
    let (m, defects) =
        MessageId::parse_with_defects(b" <1234   @   local(blah)  .machine .example>").unwrap();
    assert_eq!(m.as_str(), "1234@local.machine.example");
    assert!(defects.contains(Defects::OBSOLETE_SYNTAX));
    // References of A.2.
    let l = IdList::parse(b" <1234@local.machine.example> <3456@example.net>");
    let ids: Vec<_> = l.ids().iter().map(MessageId::as_str).collect();
    assert_eq!(ids, ["1234@local.machine.example", "3456@example.net"]);
    assert!(l.defects().is_empty());
}

#[test]
fn id_forms() {
    let m = MessageId::parse(b"<a.b@[192.0.2.1]>").unwrap();
    assert_eq!(m.right(), Some("[192.0.2.1]"));
    let m = MessageId::parse(b"<\"quoted left\"@x>").unwrap();
    assert_eq!(m.left(), "quoted left");
    let (m, d) = MessageId::parse_with_defects(b" 1234@host.example").unwrap();
    assert_eq!(m.as_str(), "1234@host.example");
    assert!(d.contains(Defects::MISSING_ANGLE));
    let (m, d) = MessageId::parse_with_defects(b" <12345>").unwrap();
    assert_eq!(m.as_str(), "12345");
    assert!(d.contains(Defects::MISSING_DOMAIN));
    assert!(MessageId::parse(b" <a@b> <c@d>").is_err());
    assert!(MessageId::parse(b" <a@b").is_err());
    assert!(MessageId::parse(b"").is_err());
    assert!(matches!(
        MessageId::parse(b"<a@b>").unwrap().as_str(),
        "a@b"
    ));
}

#[test]
fn borrowed_when_plain() {
    let raw = b" <abc@def.example>";
    let m = MessageId::parse(raw).unwrap();
    let s = m.as_str();
    assert!(std::ptr::eq(s.as_ptr(), raw[2..].as_ptr()));
    let _ = Cow::<str>::Borrowed(s);
}

#[test]
fn lists_in_the_wild() {
    // Old In-Reply-To with a phrase.
    let l =
        IdList::parse(b" Your message of \"Mon, 1 Jul 2003 10:00:00 +0200\"\r\n <id1@example.com>");
    let ids: Vec<_> = l.ids().iter().map(MessageId::as_str).collect();
    assert_eq!(ids, ["id1@example.com"]);
    assert!(l.defects().contains(Defects::TRAILING_GARBAGE));
    // Ids glued together, commas, comments.
    let l = IdList::parse(b"<a@x><b@y>, <c@z> (comment)\r\n\t<d@w>");
    assert_eq!(l.ids().len(), 4);
    // A broken id is kept with its spaces removed.
    let l = IdList::parse(b"<a b@x> <c@d>");
    let ids: Vec<_> = l.ids().iter().map(MessageId::as_str).collect();
    assert_eq!(ids, ["ab@x", "c@d"]);
    assert!(IdList::parse(b"").ids().is_empty());
    assert!(IdList::parse(b" (unclosed <a@b>").ids().is_empty());
    let mut out = Vec::new();
    IdList::parse(b"<a@x>   <b@y>").encode(&mut out);
    assert_eq!(out, b"<a@x> <b@y>");
}

#[test]
fn received_appendix_a4() {
    let raw = b" from x.y.test\r\n   by example.net\r\n   via TCP\r\n   with ESMTP\r\n   id ABC12345\r\n   for <mary@example.net>;  21 Nov 1997 10:05:43 -0600";
    let r = Received::parse(raw).unwrap();
    assert_eq!(r.from(), Some("x.y.test"));
    assert_eq!(r.by(), Some("example.net"));
    assert_eq!(r.via(), Some("TCP"));
    assert_eq!(r.with(), Some("ESMTP"));
    assert_eq!(r.id(), Some("ABC12345"));
    assert_eq!(r.for_recipient(), Some("<mary@example.net>"));
    assert_eq!(
        r.date(),
        Some(DateTime::new(1997, 11, 21, 10, 5, 43, -360).unwrap())
    );
    assert!(r.defects().is_empty(), "{:?}", r.defects());
    let r = Received::parse(b" from node.example by x.y.test; 21 Nov 1997 10:01:22 -0600").unwrap();
    assert_eq!(r.from(), Some("node.example"));
    assert_eq!(r.by(), Some("x.y.test"));
    assert_eq!(r.clauses().len(), 2);
}

#[test]
fn received_real_mtas() {
    // Postfix.
    let raw = b" from mail.example.org (mail.example.org [192.0.2.10])\r\n\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\r\n\t(No client certificate requested)\r\n\tby mx.example.com (Postfix) with ESMTPS id 4F1B2C3D4E\r\n\tfor <user@example.com>; Tue,  1 Jul 2003 10:52:37 +0200 (CEST)";
    let r = Received::parse(raw).unwrap();
    assert_eq!(r.from(), Some("mail.example.org"));
    let from = r.get("from").unwrap();
    assert_eq!(
        from.comments()[0].as_ref(),
        b"mail.example.org [192.0.2.10]"
    );
    assert_eq!(from.comments().len(), 3);
    assert_eq!(r.by(), Some("mx.example.com"));
    assert_eq!(r.with(), Some("ESMTPS"));
    assert_eq!(r.id(), Some("4F1B2C3D4E"));
    assert_eq!(r.for_recipient(), Some("<user@example.com>"));
    assert_eq!(r.date().unwrap().offset_minutes, 120);
    // Exim.
    let raw = b" from [192.0.2.1] (helo=client.example)\r\n\tby mx.example with esmtpsa  (TLS1.3) tls TLS_AES_256_GCM_SHA384\r\n\t(Exim 4.96)\r\n\t(envelope-from <a@b.example>)\r\n\tid 1abc-000123-XY\r\n\tfor c@d.example;\r\n\tWed, 02 Jul 2003 08:00:00 +0000";
    let r = Received::parse(raw).unwrap();
    assert_eq!(r.from(), Some("[192.0.2.1]"));
    assert_eq!(r.with(), Some("esmtpsa tls TLS_AES_256_GCM_SHA384"));
    assert_eq!(r.id(), Some("1abc-000123-XY"));
    assert_eq!(r.for_recipient(), Some("c@d.example"));
    // Gmail.
    let raw = b" by 2002:a05:6a10:1234:b0:4a5:6789:abcd with SMTP id x12csp345678pxb;\r\n        Mon, 3 Jul 2023 01:02:03 -0700 (PDT)";
    let r = Received::parse(raw).unwrap();
    assert_eq!(r.by(), Some("2002:a05:6a10:1234:b0:4a5:6789:abcd"));
    assert_eq!(r.with(), Some("SMTP"));
    assert_eq!(r.date().unwrap().to_unix(), 1_688_371_323);
    // qmail.
    let r =
        Received::parse(b" (qmail 12345 invoked by uid 89); 3 Jul 2023 08:02:03 -0000").unwrap();
    assert!(r.clauses().is_empty());
    assert_eq!(r.preamble()[0].as_ref(), b"qmail 12345 invoked by uid 89");
    assert!(r.date().unwrap().zone_unknown);
}

#[test]
fn received_broken() {
    let r = Received::parse(b" from a by b").unwrap();
    assert_eq!(r.date(), None);
    assert!(r.defects().contains(Defects::MISSING_SEMICOLON));
    let r = Received::parse(b" from a by b; yesterday").unwrap();
    assert_eq!(r.date(), None);
    assert!(r.defects().contains(Defects::INVALID_DATE));
    assert!(Received::parse(b" from a (unclosed; 1 Jan 2000 00:00 +0000").is_err());
    // A ';' inside a comment does not end the clauses.
    let r = Received::parse(b" from a (x; y) by b; 1 Jan 2000 00:00 +0000").unwrap();
    assert_eq!(r.by(), Some("b"));
    assert!(r.date().is_some());
}

proptest! {
    #[test]
    fn id_roundtrip(left in "[a-z0-9]{1,8}(\\.[a-z0-9$%+=_-]{1,6}){0,3}",
                    right in prop_oneof!["[a-z0-9-]{1,10}(\\.[a-z]{2,5}){0,2}", "\\[[0-9.]{1,15}\\]"]) {
        let id = MessageId::new(&left, &right).unwrap();
        let mut out = Vec::new();
        IdList::new(vec![id.clone(), id.clone()]).encode(&mut out);
        let l = IdList::parse(&out);
        prop_assert_eq!(l.ids(), &[id.clone(), id.clone()]);
        prop_assert!(l.defects().is_empty());
        let mut one = Vec::new();
        id.encode(&mut one);
        prop_assert_eq!(MessageId::parse(&one).unwrap(), id);
    }

    #[test]
    fn never_panics(raw in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = MessageId::parse(&raw);
        let _ = IdList::parse(&raw);
        let _ = Received::parse(&raw);
    }

    #[test]
    fn never_panics_idlike(raw in "[a-z <>@.;()\"\r\n\t]{0,60}") {
        let _ = IdList::parse(raw.as_bytes());
        if let Ok(r) = Received::parse(raw.as_bytes()) {
            for c in r.clauses() { let _ = c.value(); }
        }
    }
}

/// Regression (found by the differential test, `message-id-lists.eml`): an
/// id-left read from a quoted string was written back unquoted
/// (`<quoted local@[192.0.2.1]>`), which is not a msg-id and did not parse.
#[test]
fn quoted_id_left_encodes_back_quoted() {
    for raw in [
        &b" (comment) <\"quoted local\"@[192.0.2.1]>"[..],
        b"<\"a\\\"b\"@x.example>",
        b"<\"no domain\">",
    ] {
        let m = MessageId::parse(raw).unwrap();
        let mut out = Vec::new();
        m.encode(&mut out);
        let again = MessageId::parse(&out).unwrap();
        assert_eq!(again, m, "{}", String::from_utf8_lossy(&out));
    }
    let m = MessageId::parse(b"<\"quoted local\"@[192.0.2.1]>").unwrap();
    let mut out = Vec::new();
    m.encode(&mut out);
    assert_eq!(out, b"<\"quoted local\"@[192.0.2.1]>");
    assert_eq!(m.as_str(), "quoted local@[192.0.2.1]");
}
