//! Address lists: every address of RFC 5322 Appendix A, obsolete forms,
//! real-world departures, and round trips.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use proptest::prelude::*;
use rfc822_message::header::address::parse_return_path;
use rfc822_message::header::{Address, AddressList, Defects, Group, Mailbox};

fn list(raw: &str) -> AddressList<'_> {
    AddressList::parse(raw.as_bytes()).unwrap_or_else(|e| panic!("{raw:?}: {e}"))
}

fn mbox<'a>(a: &'a Address<'a>) -> &'a Mailbox<'a> {
    match a {
        Address::Mailbox(m) => m,
        Address::Group(g) => panic!("group {g:?}"),
    }
}

/// (name, local part, domain) of each mailbox, groups flattened.
fn triples(l: &AddressList<'_>) -> Vec<(Option<String>, String, Option<String>)> {
    l.mailboxes()
        .map(|m| {
            (
                m.name().map(|n| n.into_owned()),
                m.local_part().to_owned(),
                m.domain().map(str::to_owned),
            )
        })
        .collect()
}

fn t(name: Option<&str>, local: &str, domain: &str) -> (Option<String>, String, Option<String>) {
    (
        name.map(str::to_owned),
        local.to_owned(),
        Some(domain.to_owned()),
    )
}

#[test]
fn appendix_a1() {
    // A.1.1
    let l = list(" John Doe <jdoe@machine.example>");
    assert_eq!(
        triples(&l),
        [t(Some("John Doe"), "jdoe", "machine.example")]
    );
    assert!(l.defects().is_empty());
    let m = Mailbox::parse(b" Michael Jones <mjones@machine.example>").unwrap();
    assert_eq!(m.name().unwrap(), "Michael Jones");
    assert_eq!(
        triples(&list(" Mary Smith <mary@example.net>")),
        [t(Some("Mary Smith"), "mary", "example.net")]
    );
    // A.1.2
    let l = list(" \"Joe Q. Public\" <john.q.public@example.com>");
    assert_eq!(
        triples(&l),
        [t(Some("Joe Q. Public"), "john.q.public", "example.com")]
    );
    assert!(l.defects().is_empty());
    let l = list(" Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>");
    assert_eq!(
        triples(&l),
        [
            t(Some("Mary Smith"), "mary", "x.test"),
            t(None, "jdoe", "example.org"),
            t(Some("Who?"), "one", "y.test"),
        ]
    );
    assert!(l.defects().is_empty());
    let l = list(" <boss@nil.test>, \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>");
    assert_eq!(
        triples(&l),
        [
            t(None, "boss", "nil.test"),
            t(Some("Giant; \"Big\" Box"), "sysservices", "example.net")
        ]
    );
    assert!(l.defects().is_empty());
    // A.1.3
    let l = list(" A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;");
    assert_eq!(l.addresses().len(), 1);
    let Address::Group(g) = &l.addresses()[0] else {
        panic!()
    };
    assert_eq!(g.name(), "A Group");
    assert_eq!(
        triples(&l),
        [
            t(Some("Ed Jones"), "c", "a.test"),
            t(None, "joe", "where.test"),
            t(Some("John"), "jdoe", "one.test"),
        ]
    );
    assert!(l.defects().is_empty());
    let l = list(" Undisclosed recipients:;");
    let Address::Group(g) = &l.addresses()[0] else {
        panic!()
    };
    assert_eq!(g.name_raw(), b"Undisclosed recipients");
    assert!(g.members().is_empty());
    assert!(l.defects().is_empty());
    assert_eq!(
        triples(&list(" Pete <pete@silly.example>")),
        [t(Some("Pete"), "pete", "silly.example")]
    );
}

#[test]
fn appendix_a2_a4() {
    let l = list(" \"Mary Smith: Personal Account\" <smith@home.example>");
    assert_eq!(
        triples(&l),
        [t(
            Some("Mary Smith: Personal Account"),
            "smith",
            "home.example"
        )]
    );
    let l = list(" Jane Brown <j-brown@other.example>");
    assert_eq!(
        triples(&l),
        [t(Some("Jane Brown"), "j-brown", "other.example")]
    );
    let l = list(" John Doe <jdoe@node.example>");
    assert_eq!(triples(&l), [t(Some("John Doe"), "jdoe", "node.example")]);
}

#[test]
fn appendix_a5() {
    let m =
        Mailbox::parse(b" Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>").unwrap();
    assert_eq!(m.name_raw().unwrap(), b"Pete");
    assert_eq!(m.local_part(), "pete");
    assert_eq!(m.domain(), Some("silly.test"));
    let raw = "A Group(Some people)\r\n     :Chris Jones <c@(Chris's host.)public.example>,\r\n         joe@example.org,\r\n  John <jdoe@one.test> (my dear friend); (the end of the group)";
    let l = list(raw);
    let Address::Group(g) = &l.addresses()[0] else {
        panic!()
    };
    assert_eq!(g.name(), "A Group");
    assert_eq!(
        triples(&l),
        [
            t(Some("Chris Jones"), "c", "public.example"),
            t(None, "joe", "example.org"),
            t(Some("John"), "jdoe", "one.test"),
        ]
    );
    assert_eq!(g.members()[2].comment(), Some(&b"my dear friend"[..]));
    let l = list("(Empty list)(start)Hidden recipients  :(nobody(that I know))  ;");
    let Address::Group(g) = &l.addresses()[0] else {
        panic!()
    };
    assert_eq!(g.name(), "Hidden recipients");
    assert!(g.members().is_empty());
}

#[test]
fn appendix_a6_obsolete() {
    let l = list(" Joe Q. Public <john.q.public@example.com>");
    assert_eq!(
        triples(&l),
        [t(Some("Joe Q. Public"), "john.q.public", "example.com")]
    );
    assert!(l.defects().contains(Defects::OBSOLETE_SYNTAX));
    let l = list(" Mary Smith <@node.test:mary@example.net>, , jdoe@test  . example");
    assert_eq!(
        triples(&l),
        [
            t(Some("Mary Smith"), "mary", "example.net"),
            t(None, "jdoe", "test.example")
        ]
    );
    assert_eq!(mbox(&l.addresses()[0]).route(), ["node.test"]);
    assert!(l.defects().contains(Defects::EMPTY_LIST_ELEMENT));
    assert!(l.defects().contains(Defects::OBSOLETE_SYNTAX));
    // A.6.3
    let l = list(" John Doe <jdoe@machine(comment).  example>");
    assert_eq!(
        triples(&l),
        [t(Some("John Doe"), "jdoe", "machine.example")]
    );
    let l = list(" Mary Smith\r\n  \r\n           <mary@example.net>");
    assert_eq!(triples(&l), [t(Some("Mary Smith"), "mary", "example.net")]);
}

#[test]
fn obsolete_local_parts_and_routes() {
    let m = Mailbox::parse(b" <@a.test,@b.test:\"john doe\"@c.test>").unwrap();
    assert_eq!(m.route(), ["a.test", "b.test"]);
    assert_eq!(m.local_part(), "john doe");
    assert_eq!(m.addr_spec(), "\"john doe\"@c.test");
    let m = Mailbox::parse(b" john . \"q\" . public@example.com").unwrap();
    assert_eq!(m.local_part(), "john.q.public");
    let m = Mailbox::parse(b" <,@a,,@b:x@c>").unwrap();
    assert_eq!(m.route(), ["a", "b"]);
    let m = Mailbox::parse(b" x@[192.0.2.1]").unwrap();
    assert_eq!(m.domain(), Some("[192.0.2.1]"));
    let m = Mailbox::parse(b" x@[ IPv6:2001:db8::1 ]").unwrap();
    assert_eq!(m.domain(), Some("[IPv6:2001:db8::1]"));
}

#[test]
fn utf8_rfc6532() {
    let m = Mailbox::parse(" Jörg Müller <jörg@bücher.example>".as_bytes()).unwrap();
    assert_eq!(m.name().unwrap(), "Jörg Müller");
    assert_eq!(m.local_part(), "jörg");
    assert_eq!(m.domain(), Some("bücher.example"));
    let m = Mailbox::parse(" \"山田 太郎\" <taro@example.jp>".as_bytes()).unwrap();
    assert_eq!(m.name().unwrap(), "山田 太郎");
    assert!(m.defects().is_empty());
}

#[test]
fn encoded_display_names() {
    // RFC 2047 section 8.
    let m = Mailbox::parse(b" =?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>").unwrap();
    assert_eq!(m.name_raw().unwrap(), b"=?US-ASCII?Q?Keith_Moore?=");
    assert_eq!(m.name().unwrap(), "Keith Moore");
    let m = Mailbox::parse(b" =?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>").unwrap();
    assert_eq!(m.name().unwrap(), "André Pirard");
    let m = Mailbox::parse(b" Nathaniel Borenstein <nsb@thumper.bellcore.com>\r\n    (=?iso-8859-8?b?7eXs+SDv4SDp7Oj08A==?=)").unwrap();
    assert_eq!(m.name().unwrap(), "Nathaniel Borenstein");
    assert_eq!(
        m.comment(),
        Some(&b"=?iso-8859-8?b?7eXs+SDv4SDp7Oj08A==?="[..])
    );
    // In the wild: inside a quoted string (Outlook, Gmail).
    let m = Mailbox::parse(b" \"=?UTF-8?B?SsO2cmc=?=\" <j@x.test>").unwrap();
    assert_eq!(m.name_raw().unwrap(), b"=?UTF-8?B?SsO2cmc=?=");
    assert_eq!(m.name().unwrap(), "Jörg");
    // Split words in a name.
    let m = Mailbox::parse(b" =?UTF-8?Q?J=C3?= =?UTF-8?Q?=B6rg?= <j@x.test>").unwrap();
    assert_eq!(m.name().unwrap(), "Jörg");
}

#[test]
fn comment_as_name() {
    let m = Mailbox::parse(b" jdoe@example.com (John Doe)").unwrap();
    assert_eq!(m.name(), None);
    assert_eq!(m.comment(), Some(&b"John Doe"[..]));
    assert_eq!(m.name_or_comment().unwrap(), "John Doe");
}

#[test]
fn real_world_leniency() {
    // Address as unquoted display name.
    let m = Mailbox::parse(b" jane@example.com <jane@example.com>").unwrap();
    assert_eq!(m.name_raw().unwrap(), b"jane@example.com");
    assert_eq!(m.domain(), Some("example.com"));
    assert!(m.defects().contains(Defects::UNQUOTED_SPECIALS_IN_NAME));
    // Missing domain.
    let m = Mailbox::parse(b" <user>").unwrap();
    assert_eq!(m.local_part(), "user");
    assert_eq!(m.domain(), None);
    assert!(m.defects().contains(Defects::MISSING_DOMAIN));
    let l = list(" root, admin@example.com");
    assert_eq!(l.addresses().len(), 2);
    assert_eq!(mbox(&l.addresses()[0]).local_part(), "root");
    // Name without address.
    let l = list(" John Smith");
    let m = mbox(&l.addresses()[0]);
    assert_eq!(m.name().unwrap(), "John Smith");
    assert_eq!(m.local_part(), "");
    // undisclosed-recipients:; and a group without its ';'.
    let l = list(" undisclosed-recipients:;");
    assert!(matches!(&l.addresses()[0], Address::Group(g) if g.members().is_empty()));
    let l = list(" team: a@x.test, b@x.test");
    assert_eq!(l.mailboxes().count(), 2);
    assert!(l.defects().contains(Defects::MISSING_GROUP_END));
    // Missing final '>'.
    let m = Mailbox::parse(b" Jane <jane@example.com").unwrap();
    assert!(m.defects().contains(Defects::MISSING_ANGLE));
    // Double dots (Japanese mobile carriers).
    let m = Mailbox::parse(b" a..b.@docomo.ne.jp").unwrap();
    assert_eq!(m.local_part(), "a..b.");
    assert!(m.defects().contains(Defects::LOCAL_PART_DOTS));
    // Empty elements and a trailing comma.
    let l = list(" a@b.test,,c@d.test,");
    assert_eq!(l.addresses().len(), 2);
    assert!(l.defects().contains(Defects::EMPTY_LIST_ELEMENT));
    // Empty Bcc.
    assert!(list(" ").is_empty());
    // 8-bit Latin-1 in a name is reported, not hidden.
    let m = Mailbox::parse(b" J\xf6rg <j@x.test>").unwrap();
    assert_eq!(m.name().unwrap(), "J\u{fffd}rg");
}

#[test]
fn errors_have_offsets() {
    let e = AddressList::parse(b" a@b.test c@d.test").unwrap_err();
    assert_eq!(e.offset, 10);
    assert!(AddressList::parse(b" <a@b.test").is_ok());
    assert!(AddressList::parse(b" \"unclosed <a@b>").is_err());
    assert!(AddressList::parse(b" a@").is_err());
    assert!(AddressList::parse(b" @b.test").is_err());
    assert!(AddressList::parse(b" x: y: a@b;;").is_err());
    assert!(AddressList::parse(b" a@b (unclosed").is_err());
    assert!(AddressList::parse(b" <a@b> junk>").is_err());
    assert!(Mailbox::parse(b" a@b, c@d").is_err());
    assert!(AddressList::parse(b" a@[1.2.3.4").is_err());
}

#[test]
fn return_path() {
    let m = parse_return_path(b" <>").unwrap();
    assert!(m.is_null());
    assert!(m.defects().is_empty());
    let m = parse_return_path(b" <bounce@example.com>").unwrap();
    assert_eq!(m.addr_spec(), "bounce@example.com");
    assert!(parse_return_path(b" Name <a@b>").is_err());
}

#[test]
fn encode_forms() {
    let l = list(
        " \"Joe Q. Public\" <john.q.public@example.com>, jdoe@example.org, A Group:Ed <c@a.test>;",
    );
    let mut out = Vec::new();
    l.encode(&mut out);
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "\"Joe Q. Public\" <john.q.public@example.com>, jdoe@example.org, A Group: Ed <c@a.test>;"
    );
    let m = Mailbox::new(Some("a \"b\""), "x y", "example.com").unwrap();
    let mut out = Vec::new();
    m.encode(&mut out);
    assert_eq!(out, b"\"a \\\"b\\\"\" <\"x y\"@example.com>");
    assert!(Mailbox::new(Some("a\r\nBcc: x"), "x", "example.com").is_err());
    assert!(Mailbox::new(None, "x", "exa mple.com").is_err());
    assert!(Group::new("g\n", vec![]).is_err());
}

#[test]
fn owned() {
    let raw = b" \"a\\\"b\" <x@y.test>".to_vec();
    let l = AddressList::parse(&raw).unwrap().into_owned();
    drop(raw);
    assert_eq!(l.mailboxes().next().unwrap().name_raw().unwrap(), b"a\"b");
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z]{1,8}( [A-Za-z]{1,8}){0,2}",
        "[ -~]{0,20}",
        "[a-zà-ÿ一-龥 ]{0,12}",
    ]
}

fn local() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9]{1,8}(\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]{1,5}){0,2}",
        "[ -~]{1,12}"
    ]
}

fn domain() -> impl Strategy<Value = String> {
    prop_oneof!["[a-z0-9-]{1,10}(\\.[a-z]{2,5}){0,2}", "\\[[0-9.]{1,15}\\]"]
}

fn mailbox() -> impl Strategy<Value = (Option<String>, String, String)> {
    (proptest::option::of(name()), local(), domain())
}

proptest! {
    #[test]
    fn roundtrip(
        boxes in proptest::collection::vec(mailbox(), 1..4),
        group in proptest::option::of(("[A-Za-z]{1,6}( [A-Za-z]{1,6})?", proptest::collection::vec(mailbox(), 0..3))),
    ) {
        let mut addrs: Vec<Address<'_>> = boxes
            .iter()
            .map(|(n, l, d)| Address::Mailbox(Mailbox::new(n.as_deref(), l, d).unwrap()))
            .collect();
        if let Some((gname, members)) = &group {
            let ms = members.iter().map(|(n, l, d)| Mailbox::new(n.as_deref(), l, d).unwrap()).collect();
            addrs.push(Address::Group(Group::new(gname, ms).unwrap()));
        }
        let list = AddressList::new(addrs);
        let mut out = Vec::new();
        list.encode(&mut out);
        let parsed = AddressList::parse(&out).unwrap();
        prop_assert_eq!(parsed.addresses().len(), list.addresses().len());
        for (a, b) in parsed.mailboxes().zip(list.mailboxes()) {
            prop_assert_eq!(a.name_raw(), b.name_raw());
            prop_assert_eq!(a.local_part(), b.local_part());
            prop_assert_eq!(a.domain(), b.domain());
        }
        prop_assert_eq!(parsed.mailboxes().count(), list.mailboxes().count());
        prop_assert!(parsed.defects().is_empty(), "{:?} {:?}", parsed.defects(), String::from_utf8_lossy(&out));
    }

    #[test]
    fn never_panics(raw in proptest::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(l) = AddressList::parse(&raw) {
            for m in l.mailboxes() {
                let _ = m.name();
                let _ = m.addr_spec();
            }
            let mut out = Vec::new();
            l.encode(&mut out);
        }
    }

    #[test]
    fn never_panics_addresslike(raw in "[a-z <>@,;:.\"()\\\\\\[\\]\r\n\t]{0,60}") {
        if let Ok(l) = AddressList::parse(raw.as_bytes()) {
            let mut out = Vec::new();
            l.encode(&mut out);
            prop_assert!(!out.contains(&b'\n') && !out.contains(&b'\r'));
        }
    }
}

#[test]
fn into_parts_moves_the_pieces_out_borrowed() {
    let raw = b"Team: \"Doe, J.\" <@relay.example:jd@example.com>, x@example.org (X);, zoe@example.net (Zoe)";
    let list = AddressList::parse(raw).unwrap();
    let mut it = list.into_addresses().into_iter();
    let Some(Address::Group(g)) = it.next() else {
        panic!("a group first")
    };
    let (name, members) = g.into_parts();
    assert_eq!(&*name, b"Team");
    let parts: Vec<_> = members.into_iter().map(|m| m.into_parts()).collect();
    assert_eq!(parts[0].name.as_deref(), Some(&b"Doe, J."[..]));
    assert_eq!(parts[0].route, ["relay.example"]);
    assert_eq!(parts[0].local_part, "jd");
    assert_eq!(parts[0].domain.as_deref(), Some("example.com"));
    assert_eq!(parts[1].name, None);
    assert_eq!(parts[1].comment.as_deref(), Some(&b"X"[..]));
    let Some(Address::Mailbox(z)) = it.next() else {
        panic!("a mailbox after the group")
    };
    let z = z.into_parts();
    assert!(matches!(z.local_part, std::borrow::Cow::Borrowed("zoe")));
    assert_eq!(z.comment.as_deref(), Some(&b"Zoe"[..]));
    assert!(it.next().is_none());
}

/// RFC 5322 section 3.2.2: unfolding removes the CRLF of a fold. A display
/// name read on the lenient path (an addr-spec written as the name,
/// `jane@example.com <...>`) across a fold comes back unfolded, as names
/// read by the grammar (atoms, quoted strings, group names) do; a name
/// without a fold stays borrowed.
#[test]
fn folded_display_names_are_unfolded() {
    // The lenient path: CRLF fold and bare-LF fold (mail stored on Unix).
    let l = list(" jane.\r\n doe@example.com <jane@example.com>,\r\n\tqm.\n jo@s <a@b>");
    let names: Vec<&[u8]> = l.mailboxes().map(|m| m.name_raw().unwrap()).collect();
    assert_eq!(names, [&b"jane. doe@example.com"[..], b"qm. jo@s"]);
    assert!(l.defects().contains(Defects::UNQUOTED_SPECIALS_IN_NAME));
    assert_eq!(
        l.mailboxes().next().unwrap().name().unwrap(),
        "jane. doe@example.com"
    );
    // Unfolded but still borrowed when nothing was removed.
    let list2 = AddressList::parse(b" jane@example.com <jane@example.com>").unwrap();
    let Address::Mailbox(m) = list2.into_addresses().into_iter().next().unwrap() else {
        panic!("a mailbox")
    };
    assert!(matches!(
        m.into_parts().name,
        Some(std::borrow::Cow::Borrowed(b"jane@example.com"))
    ));
    // The grammar's paths: atoms, a quoted string and a group name.
    let l =
        list(" John\r\n Smith <j@x.test>, \"Doe,\r\n Jane\" <d@x.test>, The\r\n Team: a@x.test;");
    let m: Vec<&[u8]> = l.mailboxes().map(|m| m.name_raw().unwrap_or(b"")).collect();
    assert_eq!(m, [&b"John Smith"[..], b"Doe, Jane", b""]);
    let Address::Group(g) = &l.addresses()[2] else {
        panic!("a group")
    };
    assert_eq!(g.name_raw(), b"The Team");
    // No name anywhere holds a line break.
    for m in l.mailboxes() {
        assert!(!m.name_raw().unwrap_or_default().contains(&b'\n'));
    }
}
