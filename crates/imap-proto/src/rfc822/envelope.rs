//! ENVELOPE from a message header (RFC 9051 section 7.5.2, RFC 3501
//! section 7.4.2), with the addresses of RFC 5322 section 3.4 (groups,
//! obsolete routes and lists of section 4.4).
//!
//! The strings are the header field values as written, unfolded (RFC 5322
//! section 2.2.3): nothing is decoded (RFC 2047 encoded words stay as they
//! are, as every IMAP server sends them and clients expect), comments stay
//! in Date, In-Reply-To and Message-ID. Where Dovecot 2.3 cleans a string
//! "for humans" (runs of white space in Subject and display names collapsed,
//! FINDINGS 7.4) we keep the text as the message has it: RFC 9051 asks for
//! the field value, and a client that wants to collapse white space can.
//!
//! Addresses come from the shared RFC 5322 parser
//! ([`rfc822_message::header::address`]), which keeps display names raw
//! and the comment after an address apart; what is IMAP's own (comment as
//! name, group markers, `MISSING_MAILBOX` / `MISSING_DOMAIN`) is here.

use std::borrow::Cow;

use rfc822_message::header::address::{Address as MailAddress, AddressList, Mailbox};
use rfc822_message::header::lex;

use super::parts::{Node, Tree};
use crate::types::{Address, Envelope, IString, NString};

/// A string value: NUL (which IMAP strings cannot carry, the only octet
/// `IString` refuses) becomes 0x80, as Dovecot stores it (FINDINGS 1.2).
pub(crate) fn istring(b: Cow<'_, [u8]>) -> IString<'_> {
    if memchr::memchr(0, &b).is_none() {
        return IString::from_checked(b);
    }
    let fixed: Vec<u8> = b.iter().map(|&c| if c == 0 { 0x80 } else { c }).collect();
    IString::from_checked(Cow::Owned(fixed))
}

/// `Some(string)`.
pub(crate) fn nstring(b: Cow<'_, [u8]>) -> NString<'_> {
    NString(Some(istring(b)))
}

/// A field value unfolded: every CR and LF removed, the white space after
/// a fold kept (RFC 5322 section 2.2.3).
pub(crate) fn unfolded(v: &[u8]) -> NString<'_> {
    nstring(lex::unfold(v))
}

/// Leading white space removed, then unfolded (In-Reply-To, Message-ID).
fn trimmed(v: &[u8]) -> NString<'_> {
    let n = v
        .iter()
        .take_while(|&&b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        .count();
    unfolded(v.get(n..).unwrap_or_default())
}

/// The envelope of the message `node` (NIL everywhere for `None`).
///
/// Date, Subject, In-Reply-To and Message-ID: the last such field; the
/// address fields of the same name are concatenated (FINDINGS 7.6).
pub(crate) fn envelope<'a>(tree: &Tree<'a>, node: Option<Node>) -> Envelope<'a> {
    let mut e = Envelope::default();
    let Some(node) = node else {
        return e;
    };
    let msg = tree.msg;
    for f in tree.fields(node) {
        let name = msg.get(f.name).unwrap_or_default();
        let v = msg.get(f.value).unwrap_or_default();
        let is = |n: &[u8]| name.eq_ignore_ascii_case(n);
        let list = if is(b"date") {
            e.date = unfolded(v);
            continue;
        } else if is(b"subject") {
            e.subject = unfolded(v);
            continue;
        } else if is(b"in-reply-to") {
            e.in_reply_to = trimmed(v);
            continue;
        } else if is(b"message-id") {
            e.message_id = trimmed(v);
            continue;
        } else if is(b"from") {
            &mut e.from
        } else if is(b"sender") {
            &mut e.sender
        } else if is(b"reply-to") {
            &mut e.reply_to
        } else if is(b"to") {
            &mut e.to
        } else if is(b"cc") {
            &mut e.cc
        } else if is(b"bcc") {
            &mut e.bcc
        } else {
            continue;
        };
        list.extend(addresses(v));
    }
    // RFC 9051 section 7.5.2: a missing or empty Sender or Reply-To is
    // the From.
    if e.sender.is_empty() {
        e.sender = e.from.clone();
    }
    if e.reply_to.is_empty() {
        e.reply_to = e.from.clone();
    }
    e
}

/// Placeholder mailbox of an address without a local part (Dovecot's and
/// UW-IMAP's convention: the grammar has no NIL mailbox outside groups).
const MISSING_MAILBOX: &[u8] = b"MISSING_MAILBOX";
/// Placeholder host of an address without a domain.
const MISSING_DOMAIN: &[u8] = b"MISSING_DOMAIN";

/// Text as octets, keeping the borrow.
pub(crate) fn str_bytes(s: Cow<'_, str>) -> Cow<'_, [u8]> {
    match s {
        Cow::Borrowed(b) => Cow::Borrowed(b.as_bytes()),
        Cow::Owned(o) => Cow::Owned(o.into_bytes()),
    }
}

/// [`lex::unfold`] keeping the borrow when there is one.
fn unfold_cow(c: Cow<'_, [u8]>) -> Cow<'_, [u8]> {
    match c {
        Cow::Borrowed(b) => lex::unfold(b),
        Cow::Owned(v) => match lex::unfold(&v) {
            Cow::Borrowed(_) => Cow::Owned(v),
            Cow::Owned(o) => Cow::Owned(o),
        },
    }
}

/// `Some(v)`, or the placeholder `d` when `v` is empty or absent.
fn or_missing<'a>(v: Option<Cow<'a, [u8]>>, d: &'static [u8]) -> NString<'a> {
    nstring(v.filter(|v| !v.is_empty()).unwrap_or(Cow::Borrowed(d)))
}

/// One mailbox as an ENVELOPE address: the display name raw (RFC 2047
/// words not decoded), or else the comment after the address
/// (`addr-spec (Name)`, the RFC 822 custom clients still show; FINDINGS
/// 8.2), `NIL` when neither or empty; the route as `@a,@b`; the
/// placeholders for a missing local part or domain.
fn mailbox(m: Mailbox<'_>) -> Address<'_> {
    let p = m.into_parts();
    let name = p
        .name
        .or_else(|| p.comment.map(unfold_cow))
        .filter(|n| !n.is_empty());
    let adl = if p.route.is_empty() {
        NString::NIL
    } else {
        let mut r = Vec::new();
        for (i, d) in p.route.iter().enumerate() {
            r.extend_from_slice(if i == 0 { b"@" } else { b",@" });
            r.extend_from_slice(d.as_bytes());
        }
        nstring(Cow::Owned(r))
    };
    Address {
        name: name.map(nstring).unwrap_or_default(),
        adl,
        mailbox: or_missing(Some(str_bytes(p.local_part)), MISSING_MAILBOX),
        host: or_missing(p.domain.map(str_bytes), MISSING_DOMAIN),
    }
}

/// The addresses of an address-list field value, read by the shared
/// parser ([`AddressList`]: RFC 5322 section 3.4 with the obsolete forms
/// of section 4.4, routes, CFWS around dots, empty list elements skipped).
/// A group gives a start marker with the group name as mailbox, its
/// members and an end marker (RFC 9051 section 7.5.2). A value the parser
/// refuses gives the addresses before the point where it failed.
pub(crate) fn addresses(v: &[u8]) -> Vec<Address<'_>> {
    let list = match AddressList::parse(v) {
        Ok(l) => l,
        Err(e) => {
            // The list up to the failure, else up to the last comma
            // before it.
            let head = v.get(..e.offset).unwrap_or_default();
            AddressList::parse(head)
                .or_else(|_| {
                    let comma = memchr::memrchr(b',', head).unwrap_or(0);
                    AddressList::parse(head.get(..comma).unwrap_or_default())
                })
                .unwrap_or_default()
        }
    };
    let mut out = Vec::new();
    for a in list.into_addresses() {
        match a {
            MailAddress::Mailbox(m) => out.push(mailbox(m)),
            MailAddress::Group(g) => {
                let (name, members) = g.into_parts();
                out.push(Address {
                    mailbox: nstring(name),
                    ..Address::default()
                });
                out.extend(members.into_iter().map(mailbox));
                out.push(Address::default());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(n: &NString<'_>) -> Option<String> {
        n.string()
            .map(|s| String::from_utf8_lossy(s.as_bytes()).into_owned())
    }

    fn show(v: &[u8]) -> Vec<[Option<String>; 4]> {
        addresses(v)
            .iter()
            .map(|a| [s(&a.name), s(&a.adl), s(&a.mailbox), s(&a.host)])
            .collect()
    }

    fn a(
        n: Option<&str>,
        r: Option<&str>,
        m: Option<&str>,
        h: Option<&str>,
    ) -> [Option<String>; 4] {
        [n, r, m, h].map(|x| x.map(str::to_owned))
    }

    #[test]
    fn rfc5322_appendix_a() {
        // A.1.2
        assert_eq!(
            show(b"\"Joe Q. Public\" <john.q.public@example.com>"),
            [a(
                Some("Joe Q. Public"),
                None,
                Some("john.q.public"),
                Some("example.com")
            )]
        );
        // A.1.3: a group and an empty group.
        assert_eq!(
            show(b"A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;"),
            [
                a(None, None, Some("A Group"), None),
                a(Some("Ed Jones"), None, Some("c"), Some("a.test")),
                a(None, None, Some("joe"), Some("where.test")),
                a(Some("John"), None, Some("jdoe"), Some("one.test")),
                a(None, None, None, None),
            ]
        );
        assert_eq!(
            show(b"Undisclosed recipients:;"),
            [
                a(None, None, Some("Undisclosed recipients"), None),
                a(None, None, None, None)
            ]
        );
        // A.5: comments everywhere.
        assert_eq!(
            show(b"Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>"),
            [a(Some("Pete"), None, Some("pete"), Some("silly.test"))]
        );
        // A.6.1: route, empty element, CFWS around the dot.
        assert_eq!(
            show(b"Mary Smith <@node.test:mary@example.net>, , jdoe@test  . example"),
            [
                a(
                    Some("Mary Smith"),
                    Some("@node.test"),
                    Some("mary"),
                    Some("example.net")
                ),
                a(None, None, Some("jdoe"), Some("test.example")),
            ]
        );
    }

    #[test]
    fn names_and_comments() {
        assert_eq!(
            show(b"zoe@example.com (Zoe)"),
            [a(Some("Zoe"), None, Some("zoe"), Some("example.com"))]
        );
        assert_eq!(
            show(b"(Secretary) sec@example.com"),
            [a(None, None, Some("sec"), Some("example.com"))]
        );
        assert_eq!(
            show(b"Mr (the) Smith <s@x>"),
            [a(Some("Mr Smith"), None, Some("s"), Some("x"))]
        );
        assert_eq!(show(b"\"\" <e@x>"), [a(None, None, Some("e"), Some("x"))]);
        assert_eq!(
            show(b"\"odd\".\"quoted\"@example.net"),
            [a(None, None, Some("odd.quoted"), Some("example.net"))]
        );
        assert_eq!(
            show(b"<@x.example,,@y.example:cc@example.org>"),
            [a(
                None,
                Some("@x.example,@y.example"),
                Some("cc"),
                Some("example.org")
            )]
        );
        assert_eq!(
            show(b"user"),
            [a(None, None, Some("user"), Some("MISSING_DOMAIN"))]
        );
        assert!(show(b"").is_empty());
        // Junk never loops; what precedes it is kept.
        let _ = show(b">>><<@@::;;,,\"(");
        assert_eq!(
            show(b"a@example.com, b@@x, c@example.net"),
            [a(None, None, Some("a"), Some("example.com"))]
        );
    }
}
