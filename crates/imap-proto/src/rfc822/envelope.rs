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

use std::borrow::Cow;

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

/// One word of a phrase or local part.
struct Word<'a> {
    text: Cow<'a, [u8]>,
    /// White space or a comment came before it.
    spaced: bool,
}

struct Parser<'a> {
    v: &'a [u8],
    pos: usize,
    /// The text of the last comment skipped.
    comment: Option<Cow<'a, [u8]>>,
}

fn is_word_byte(b: u8) -> bool {
    lex::is_atext(b) || b == b'.'
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.v.get(self.pos).copied()
    }

    /// Skips CFWS, remembering the last comment; whether anything was
    /// skipped.
    fn cfws(&mut self) -> bool {
        let start = self.pos;
        loop {
            self.pos = lex::skip_fws(self.v, self.pos);
            match self.peek() {
                Some(b'(') => match lex::comment(self.v, self.pos) {
                    Ok((text, end)) => {
                        self.comment = Some(text);
                        self.pos = end;
                    }
                    Err(_) => self.pos = self.v.len(),
                },
                // A line break that is no fold: skip it like white space.
                Some(b'\r' | b'\n') => self.pos += 1,
                _ => return self.pos > start,
            }
        }
    }

    /// Atoms (dots included, for obs-phrase and local parts) and quoted
    /// strings, up to anything else.
    fn words(&mut self) -> Vec<Word<'a>> {
        let mut out = Vec::new();
        loop {
            let spaced = self.cfws();
            match self.peek() {
                Some(b'"') => match lex::quoted_string(self.v, self.pos) {
                    Ok((text, end)) => {
                        out.push(Word { text, spaced });
                        self.pos = end;
                    }
                    Err(_) => {
                        let rest = self.v.get(self.pos + 1..).unwrap_or_default();
                        out.push(Word {
                            text: lex::unescape(rest),
                            spaced,
                        });
                        self.pos = self.v.len();
                    }
                },
                Some(b) if is_word_byte(b) => {
                    let rest = self.v.get(self.pos..).unwrap_or_default();
                    let n = rest
                        .iter()
                        .position(|&c| !is_word_byte(c))
                        .unwrap_or(rest.len());
                    out.push(Word {
                        text: Cow::Borrowed(rest.get(..n).unwrap_or_default()),
                        spaced,
                    });
                    self.pos += n;
                }
                _ => return out,
            }
        }
    }

    /// A domain: atoms, dots and domain literals, CFWS between them dropped
    /// (RFC 5322 section 4.4 obs-domain).
    fn domain(&mut self) -> Cow<'a, [u8]> {
        let mut parts: Vec<&'a [u8]> = Vec::new();
        loop {
            self.cfws();
            let rest = self.v.get(self.pos..).unwrap_or_default();
            let n = match rest.first() {
                Some(&b) if is_word_byte(b) => rest
                    .iter()
                    .position(|&c| !is_word_byte(c))
                    .unwrap_or(rest.len()),
                Some(b'[') => rest
                    .iter()
                    .position(|&c| c == b']')
                    .map_or(rest.len(), |i| i + 1),
                _ => break,
            };
            parts.push(rest.get(..n).unwrap_or_default());
            self.pos += n;
        }
        join(parts.into_iter().map(Cow::Borrowed), b"")
    }

    /// One address (or a group) into `out`.
    fn address(&mut self, out: &mut Vec<Address<'a>>, in_group: bool) {
        let start = self.pos;
        self.comment = None;
        let words = self.words();
        self.cfws();
        match self.peek() {
            Some(b':') if !in_group => {
                self.pos += 1;
                out.push(Address {
                    mailbox: name(&words).unwrap_or_else(|| nstring(Cow::Borrowed(b""))),
                    ..Address::default()
                });
                loop {
                    self.cfws();
                    match self.peek() {
                        None => break,
                        Some(b';') => {
                            self.pos += 1;
                            break;
                        }
                        Some(b',') => self.pos += 1,
                        Some(_) => self.address(out, true),
                    }
                }
                out.push(Address::default());
            }
            Some(b'<') => {
                self.pos += 1;
                let display = name(&words);
                let mut a = self.angle_addr();
                a.name = display.unwrap_or_default();
                out.push(a);
            }
            Some(b'@') if !words.is_empty() => {
                self.pos += 1;
                let local = join(words.into_iter().map(|w| w.text), b"");
                self.comment = None;
                let host = self.domain();
                self.cfws();
                // `addr-spec (Name)`: the comment is the name, the RFC 822
                // custom that clients still show.
                let display = self.comment.take().map(nstring).unwrap_or_default();
                out.push(mailbox(display, NString::NIL, local, host));
            }
            _ if !words.is_empty() => {
                let local = join(words.into_iter().map(|w| w.text), b"");
                out.push(mailbox(
                    NString::NIL,
                    NString::NIL,
                    local,
                    Cow::Borrowed(b""),
                ));
            }
            _ => {
                if self.pos == start {
                    // Not the start of an address: skip the octet.
                    self.pos += 1;
                }
            }
        }
    }

    /// After `<`: `[obs-route] addr-spec ">"`.
    fn angle_addr(&mut self) -> Address<'a> {
        self.cfws();
        let mut route: Vec<Cow<'a, [u8]>> = Vec::new();
        if self.peek() == Some(b'@') || self.peek() == Some(b',') {
            loop {
                self.cfws();
                match self.peek() {
                    Some(b'@') => {
                        self.pos += 1;
                        let d = self.domain();
                        if !d.is_empty() {
                            let mut r = b"@".to_vec();
                            r.extend_from_slice(&d);
                            route.push(Cow::Owned(r));
                        }
                    }
                    Some(b',') => self.pos += 1,
                    Some(b':') => {
                        self.pos += 1;
                        break;
                    }
                    _ => break,
                }
            }
        }
        let local = join(self.words().into_iter().map(|w| w.text), b"");
        self.cfws();
        let mut host = Cow::Borrowed(&b""[..]);
        if self.peek() == Some(b'@') {
            self.pos += 1;
            host = self.domain();
        }
        self.cfws();
        if self.peek() == Some(b'>') {
            self.pos += 1;
        }
        let adl = if route.is_empty() {
            NString::NIL
        } else {
            nstring(join(route.into_iter(), b","))
        };
        mailbox(NString::NIL, adl, local, host)
    }
}

fn mailbox<'a>(
    name: NString<'a>,
    adl: NString<'a>,
    local: Cow<'a, [u8]>,
    host: Cow<'a, [u8]>,
) -> Address<'a> {
    let or = |v: Cow<'a, [u8]>, d: &'static [u8]| {
        if v.is_empty() {
            nstring(Cow::Borrowed(d))
        } else {
            nstring(v)
        }
    };
    Address {
        name,
        adl,
        mailbox: or(local, MISSING_MAILBOX),
        host: or(host, MISSING_DOMAIN),
    }
}

/// Joins pieces with `sep`, borrowing when there is one piece.
fn join<'a>(mut it: impl Iterator<Item = Cow<'a, [u8]>>, sep: &[u8]) -> Cow<'a, [u8]> {
    let Some(first) = it.next() else {
        return Cow::Borrowed(b"");
    };
    let Some(second) = it.next() else {
        return first;
    };
    let mut out = first.into_owned();
    out.extend_from_slice(sep);
    out.extend_from_slice(&second);
    for p in it {
        out.extend_from_slice(sep);
        out.extend_from_slice(&p);
    }
    Cow::Owned(out)
}

/// A display name from a phrase: its words, one space where white space or
/// a comment stood between them (RFC 5322 section 3.2.5), quoted strings
/// with their content as written. An empty phrase is `None` (NIL).
fn name<'a>(words: &[Word<'a>]) -> Option<NString<'a>> {
    let text = match words {
        [] => return None,
        [one] => one.text.clone(),
        many => {
            let mut out = Vec::new();
            for (i, w) in many.iter().enumerate() {
                if i > 0 && w.spaced {
                    out.push(b' ');
                }
                out.extend_from_slice(&w.text);
            }
            Cow::Owned(out)
        }
    };
    (!text.is_empty()).then(|| nstring(text))
}

/// The addresses of an address-list field value (RFC 5322 section 3.4,
/// with the obsolete forms of section 4.4: routes, empty list elements,
/// CFWS around dots). Groups give a start marker with the group name as
/// mailbox and an end marker (RFC 9051 section 7.5.2). Empty list
/// elements are skipped.
pub(crate) fn addresses(v: &[u8]) -> Vec<Address<'_>> {
    let mut p = Parser {
        v,
        pos: 0,
        comment: None,
    };
    let mut out = Vec::new();
    loop {
        p.cfws();
        match p.peek() {
            None => break,
            Some(b',' | b';') => p.pos += 1,
            Some(_) => p.address(&mut out, false),
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
        // Junk never loops.
        let _ = show(b">>><<@@::;;,,\"(");
    }
}
