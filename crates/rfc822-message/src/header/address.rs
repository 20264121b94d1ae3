//! Addresses (RFC 5322 section 3.4, obsolete forms of section 4.4, UTF-8
//! of RFC 6532): From, Sender, Reply-To, To, Cc, Bcc, Resent-*,
//! Return-Path.
//!
//! # What is kept
//!
//! A [`Mailbox`] keeps its display name *raw*: as it stands after quote
//! removal and unfolding, comments dropped, words separated by one space,
//! but before RFC 2047 decoding ([`Mailbox::name_raw`], what IMAP ENVELOPE
//! reports), and decodes it on request ([`Mailbox::name`]). Local part and
//! domain are kept as text without quotes. An obsolete source route
//! (`<@a,@b:user@c>`) is kept as its list of domains.
//!
//! A comment after an address without display name (`user@example.com
//! (Jane Doe)`) is not turned into a name: it is kept as
//! [`Mailbox::comment`], and [`Mailbox::name_or_comment`] offers the
//! fallback readers use.
//!
//! # Leniency
//!
//! Everything the obsolete syntax of RFC 5322 section 4.4 allows is read
//! (CFWS around the dots of a local part or domain, source routes, empty
//! list elements `a@b,,c@d`, unquoted `.` in display names), and so are
//! these departures real mail needs, each recorded in [`Defects`]:
//!
//! - a group without its closing `;` ([`Defects::MISSING_GROUP_END`]),
//! - an address without domain: `<user>`, `root`, `<>`
//!   ([`Defects::MISSING_DOMAIN`]),
//! - an addr-spec used as display name, unquoted:
//!   `jane@example.com <jane@example.com>`, as some web mailers send
//!   ([`Defects::UNQUOTED_SPECIALS_IN_NAME`]),
//! - a missing `>` at the very end ([`Defects::MISSING_ANGLE`]),
//! - dots in a local part where no grammar allows them (`a..b@x`), which
//!   Japanese mobile carriers issued ([`Defects::LOCAL_PART_DOTS`]),
//! - a name without any address (`To: John Smith`): a mailbox with that
//!   display name, an empty local part and no domain.
//!
//! RFC 2047 encoded words are decoded anywhere in a display name, also
//! inside quoted strings (see [`encoded_word`]).

use std::borrow::Cow;
use std::fmt;

use bytes::BufMut;
use mail_wire::SyntaxError;

use super::lex::{self, is_atext, skip_cfws, skip_fws};
use super::{Defects, encoded_word};

/// One mailbox: `[display-name] <local-part@domain>` or `local-part@domain`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mailbox<'a> {
    name: Option<Cow<'a, [u8]>>,
    local_part: Cow<'a, str>,
    domain: Option<Cow<'a, str>>,
    route: Vec<Cow<'a, str>>,
    comment: Option<Cow<'a, [u8]>>,
    defects: Defects,
}

/// A group (RFC 5322 section 3.4): `name: member, member;`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Group<'a> {
    name: Cow<'a, [u8]>,
    members: Vec<Mailbox<'a>>,
}

/// An address: a mailbox or a group of mailboxes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Address<'a> {
    /// A single mailbox.
    Mailbox(Mailbox<'a>),
    /// A named group.
    Group(Group<'a>),
}

/// The pieces of a [`Mailbox`], moved out by [`Mailbox::into_parts`] (for
/// views that keep borrowing the message, such as IMAP ENVELOPE).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailboxParts<'a> {
    /// The display name, raw (see [`Mailbox::name_raw`]).
    pub name: Option<Cow<'a, [u8]>>,
    /// The local part, without quotes.
    pub local_part: Cow<'a, str>,
    /// The domain, if any.
    pub domain: Option<Cow<'a, str>>,
    /// The obsolete source route's domains, without `@`.
    pub route: Vec<Cow<'a, str>>,
    /// The last comment after the address (see [`Mailbox::comment`]).
    pub comment: Option<Cow<'a, [u8]>>,
}

/// An `address-list` or `mailbox-list` (the value of To, From...).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AddressList<'a> {
    addresses: Addrs<'a>,
    defects: Defects,
}

/// The addresses of a list: most fields hold one, kept in place so that
/// parsing it allocates no list. Canonical (`Many` only for two or more),
/// so the derived equality is equality of the lists.
#[derive(Clone, PartialEq, Eq, Default)]
enum Addrs<'a> {
    #[default]
    Empty,
    One(Address<'a>),
    Many(Vec<Address<'a>>),
}

impl<'a> Addrs<'a> {
    fn from_vec(mut v: Vec<Address<'a>>) -> Self {
        match v.len() {
            0 => Addrs::Empty,
            1 => v.pop().map_or(Addrs::Empty, Addrs::One),
            _ => Addrs::Many(v),
        }
    }

    fn push(&mut self, a: Address<'a>) {
        *self = match std::mem::take(self) {
            Addrs::Empty => Addrs::One(a),
            Addrs::One(first) => Addrs::Many(vec![first, a]),
            Addrs::Many(mut v) => {
                v.push(a);
                Addrs::Many(v)
            }
        };
    }

    fn as_slice(&self) -> &[Address<'a>] {
        match self {
            Addrs::Empty => &[],
            Addrs::One(a) => core::slice::from_ref(a),
            Addrs::Many(v) => v,
        }
    }

    fn into_vec(self) -> Vec<Address<'a>> {
        match self {
            Addrs::Empty => Vec::new(),
            Addrs::One(a) => vec![a],
            Addrs::Many(v) => v,
        }
    }
}

impl fmt::Debug for Addrs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

/// Rejects CR, LF and NUL, which no parsed value holds and no encoder may
/// write.
fn clean(s: &[u8], at: usize) -> Result<(), SyntaxError> {
    match s.iter().position(|&b| matches!(b, b'\r' | b'\n' | 0)) {
        Some(i) => Err(SyntaxError::at(s, i, "no CR, LF or NUL").shifted(at)),
        None => Ok(()),
    }
}

/// Longest address accepted by the constructors, in octets: the RFC 5321
/// section 4.5.3.1.3 path limit of 256 less the angle brackets.
pub const MAX_ADDR_LEN: usize = 254;

/// The raw form of a display name given as text: the text itself, unless
/// it holds something a reader would decode as an RFC 2047 encoded word
/// (`=?utf-8?q?x?=` typed by a person), which is then stored encoded, so
/// that [`Mailbox::name`] gives back exactly the text given.
fn raw_name(name: &str) -> Cow<'_, [u8]> {
    if name.contains("=?") && encoded_word::decode_text(name.as_bytes()) != name {
        let words = encoded_word::encode_words(
            name,
            encoded_word::EncodedWordContext::Phrase,
            encoded_word::MAX_WORD,
        );
        Cow::Owned(words.join(" ").into_bytes())
    } else {
        Cow::Borrowed(name.as_bytes())
    }
}

/// Checks a domain: a dot-atom or a domain literal (RFC 5322 section
/// 3.4.1), no obsolete forms.
fn check_domain(d: &[u8]) -> Result<(), SyntaxError> {
    let ok = lex::is_dot_atom_text(d)
        || (d.first() == Some(&b'[')
            && d.last() == Some(&b']')
            && d.len() >= 2
            && d.get(1..d.len() - 1)
                .is_some_and(|i| i.iter().all(|&b| is_dtext(b))));
    if ok {
        Ok(())
    } else {
        Err(SyntaxError::at(d, 0, "a domain"))
    }
}

impl<'a> Mailbox<'a> {
    /// A mailbox from its parts, for building. The name may be any text
    /// without CR, LF or NUL (how it is written is up to the encoder: atoms,
    /// a quoted string, or, by the builder, encoded words); the local part
    /// any printable text, white space or UTF-8 (RFC 6532), quoted when not
    /// a dot-atom; the domain must be a dot-atom or a domain literal.
    /// `local_part@domain` is at most [`MAX_ADDR_LEN`] octets.
    ///
    /// # Errors
    /// A part holds CR, LF or NUL, the local part another control
    /// character, the domain is not a domain, or the address is too long.
    pub fn new(
        name: Option<&'a str>,
        local_part: &'a str,
        domain: &'a str,
    ) -> Result<Mailbox<'a>, SyntaxError> {
        Self::from_parts(name, Cow::Borrowed(local_part), domain)
    }

    /// A mailbox from a display name and an `addr-spec` (RFC 5322 section
    /// 3.4.1) such as `jdoe@example.org` or `"Joe Q. Public"@example.com`:
    /// a dot-atom or quoted-string local part, a dot-atom or literal
    /// domain. Obsolete forms, comments, white space around the parts and
    /// angle brackets are refused.
    ///
    /// # Errors
    /// `addr_spec` is not such an address, or as [`Mailbox::new`].
    pub fn with_addr(
        name: Option<&'a str>,
        addr_spec: &'a str,
    ) -> Result<Mailbox<'a>, SyntaxError> {
        let b = addr_spec.as_bytes();
        clean(b, 0)?;
        let (local, at) = if b.first() == Some(&b'"') {
            let end = lex::scan_quoted(b, 0)?;
            let inner = addr_spec.get(1..end - 1).unwrap_or_default();
            let local = match lex::unescape(inner.as_bytes()) {
                Cow::Borrowed(_) => Cow::Borrowed(inner),
                Cow::Owned(v) => Cow::Owned(String::from_utf8_lossy(&v).into_owned()),
            };
            (local, end)
        } else {
            let (_, end) =
                lex::dot_atom(b, 0).ok_or_else(|| SyntaxError::at(b, 0, "a local part"))?;
            (Cow::Borrowed(addr_spec.get(..end).unwrap_or_default()), end)
        };
        if b.get(at) != Some(&b'@') {
            return Err(SyntaxError::at(b, at, "'@'"));
        }
        let domain = addr_spec.get(at + 1..).unwrap_or_default();
        check_domain(domain.as_bytes()).map_err(|e| e.shifted(at + 1))?;
        Self::from_parts(name, local, domain)
    }

    fn from_parts(
        name: Option<&'a str>,
        local_part: Cow<'a, str>,
        domain: &'a str,
    ) -> Result<Mailbox<'a>, SyntaxError> {
        if let Some(n) = name {
            clean(n.as_bytes(), 0)?;
        }
        let lp = local_part.as_bytes();
        if let Some(i) = lp
            .iter()
            .position(|&b| (b < 0x20 && b != b'\t') || b == 0x7f)
        {
            return Err(SyntaxError::at(lp, i, "printable text in the local part"));
        }
        check_domain(domain.as_bytes())?;
        if lp.len() + 1 + domain.len() > MAX_ADDR_LEN {
            return Err(SyntaxError::at(
                domain.as_bytes(),
                domain.len(),
                "an address of at most 254 octets",
            ));
        }
        Ok(Mailbox {
            name: name.map(raw_name),
            local_part,
            domain: Some(Cow::Borrowed(domain)),
            route: Vec::new(),
            comment: None,
            defects: Defects::NONE,
        })
    }

    /// Parses a single `mailbox` (the Sender field).
    ///
    /// # Errors
    /// The value is not exactly one mailbox.
    pub fn parse(raw: &'a [u8]) -> Result<Mailbox<'a>, SyntaxError> {
        let list = AddressList::parse(raw)?;
        let mut it = list.addresses.into_vec().into_iter();
        match (it.next(), it.next()) {
            (Some(Address::Mailbox(mut m)), None) => {
                m.defects |= list.defects;
                Ok(m)
            }
            _ => Err(SyntaxError::at(raw, 0, "exactly one mailbox")),
        }
    }

    /// The display name as written, quotes and comments removed, words
    /// joined by one space, RFC 2047 encoded words *not* decoded.
    #[must_use]
    pub fn name_raw(&self) -> Option<&[u8]> {
        self.name.as_deref()
    }

    /// The display name decoded: RFC 2047 words decoded, UTF-8 read.
    #[must_use]
    pub fn name(&self) -> Option<Cow<'_, str>> {
        self.name.as_deref().map(encoded_word::decode_text)
    }

    /// The display name, or else the text of the comment after the address
    /// (`user@example.com (Jane Doe)`), decoded.
    #[must_use]
    pub fn name_or_comment(&self) -> Option<Cow<'_, str>> {
        self.name().or_else(|| {
            self.comment
                .as_deref()
                .map(|c| encoded_word::decode_text(lex::unfold(c).as_ref()).into_owned())
                .map(Cow::Owned)
        })
    }

    /// The local part, without quotes.
    #[must_use]
    pub fn local_part(&self) -> &str {
        &self.local_part
    }

    /// The domain (a domain literal keeps its brackets), `None` when the
    /// address had none.
    #[must_use]
    pub fn domain(&self) -> Option<&str> {
        self.domain.as_deref()
    }

    /// The obsolete source route (RFC 5322 section 4.4 `obs-route`), its
    /// domains in order, without the `@`.
    #[must_use]
    pub fn route(&self) -> &[Cow<'a, str>] {
        &self.route
    }

    /// The last comment after the address, its text without parentheses.
    #[must_use]
    pub fn comment(&self) -> Option<&[u8]> {
        self.comment.as_deref()
    }

    /// `local-part@domain` as text, the local part quoted when it must be.
    #[must_use]
    pub fn addr_spec(&self) -> String {
        let mut out = Vec::new();
        self.encode_addr_spec(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Whether this is the null path `<>` (Return-Path of a bounce).
    #[must_use]
    pub fn is_null(&self) -> bool {
        self.local_part.is_empty() && self.domain.is_none() && self.name.is_none()
    }

    /// The departures from the grammar accepted while parsing.
    #[must_use]
    pub fn defects(&self) -> Defects {
        self.defects
    }

    /// Writes the mailbox in RFC 5322 form: the name as atoms or a quoted
    /// string, the address in angle brackets when there is a name or route,
    /// the comment after it.
    pub fn encode(&self, out: &mut impl BufMut) {
        let angle = self.name.is_some() || !self.route.is_empty() || self.domain.is_none();
        if let Some(n) = &self.name {
            encode_phrase(n, out);
            out.put_u8(b' ');
        }
        if angle {
            out.put_u8(b'<');
            for (i, r) in self.route.iter().enumerate() {
                out.put_slice(if i == 0 { b"@" } else { b",@" });
                out.put_slice(r.as_bytes());
            }
            if !self.route.is_empty() {
                out.put_u8(b':');
            }
        }
        self.encode_addr_spec(out);
        if angle {
            out.put_u8(b'>');
        }
        if let Some(c) = &self.comment {
            out.put_slice(b" (");
            for &b in lex::unfold(c).iter() {
                if matches!(b, b'(' | b')' | b'\\') {
                    out.put_u8(b'\\');
                }
                out.put_u8(b);
            }
            out.put_u8(b')');
        }
    }

    fn encode_addr_spec(&self, out: &mut impl BufMut) {
        let lp = self.local_part.as_bytes();
        if lex::is_dot_atom_text(lp) || (lp.is_empty() && self.domain.is_none()) {
            out.put_slice(lp);
        } else {
            lex::put_quoted(lp, out);
        }
        if let Some(d) = &self.domain {
            out.put_u8(b'@');
            put_domain(d.as_bytes(), out);
        }
    }

    /// The pieces, moved out (no copy).
    #[must_use]
    pub fn into_parts(self) -> MailboxParts<'a> {
        MailboxParts {
            name: self.name,
            local_part: self.local_part,
            domain: self.domain,
            route: self.route,
            comment: self.comment,
        }
    }

    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> Mailbox<'static> {
        Mailbox {
            name: self.name.map(|n| Cow::Owned(n.into_owned())),
            local_part: Cow::Owned(self.local_part.into_owned()),
            domain: self.domain.map(|d| Cow::Owned(d.into_owned())),
            route: self
                .route
                .into_iter()
                .map(|r| Cow::Owned(r.into_owned()))
                .collect(),
            comment: self.comment.map(|c| Cow::Owned(c.into_owned())),
            defects: self.defects,
        }
    }
}

impl<'a> Group<'a> {
    /// A group from its parts, for building.
    ///
    /// # Errors
    /// The name holds CR, LF or NUL.
    pub fn new(name: &'a str, members: Vec<Mailbox<'a>>) -> Result<Group<'a>, SyntaxError> {
        clean(name.as_bytes(), 0)?;
        Ok(Group {
            name: raw_name(name),
            members,
        })
    }

    /// The group's display name, raw (as [`Mailbox::name_raw`]).
    #[must_use]
    pub fn name_raw(&self) -> &[u8] {
        &self.name
    }

    /// The group's display name, decoded.
    #[must_use]
    pub fn name(&self) -> Cow<'_, str> {
        encoded_word::decode_text(&self.name)
    }

    /// The members, possibly none (`undisclosed-recipients:;`).
    #[must_use]
    pub fn members(&self) -> &[Mailbox<'a>] {
        &self.members
    }

    /// Writes the group in RFC 5322 form.
    pub fn encode(&self, out: &mut impl BufMut) {
        encode_phrase(&self.name, out);
        out.put_u8(b':');
        for (i, m) in self.members.iter().enumerate() {
            out.put_slice(if i == 0 { b" " } else { b", " });
            m.encode(out);
        }
        out.put_u8(b';');
    }

    /// The raw name and the members, moved out (no copy).
    #[must_use]
    pub fn into_parts(self) -> (Cow<'a, [u8]>, Vec<Mailbox<'a>>) {
        (self.name, self.members)
    }

    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> Group<'static> {
        Group {
            name: Cow::Owned(self.name.into_owned()),
            members: self.members.into_iter().map(Mailbox::into_owned).collect(),
        }
    }
}

impl<'a> From<Mailbox<'a>> for Address<'a> {
    fn from(m: Mailbox<'a>) -> Self {
        Address::Mailbox(m)
    }
}

impl<'a> From<Group<'a>> for Address<'a> {
    fn from(g: Group<'a>) -> Self {
        Address::Group(g)
    }
}

impl<'a> Address<'a> {
    /// Writes the address in RFC 5322 form.
    pub fn encode(&self, out: &mut impl BufMut) {
        match self {
            Address::Mailbox(m) => m.encode(out),
            Address::Group(g) => g.encode(out),
        }
    }

    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> Address<'static> {
        match self {
            Address::Mailbox(m) => Address::Mailbox(m.into_owned()),
            Address::Group(g) => Address::Group(g.into_owned()),
        }
    }
}

impl<'a> AddressList<'a> {
    /// A list from its addresses, for building.
    #[must_use]
    pub fn new(addresses: Vec<Address<'a>>) -> Self {
        AddressList {
            addresses: Addrs::from_vec(addresses),
            defects: Defects::NONE,
        }
    }

    /// Parses an `address-list` (To, Cc, Bcc, Reply-To) or a
    /// `mailbox-list` (From; a group there is accepted and shows as a
    /// [`Address::Group`]). An empty value (as Bcc may be) gives an empty
    /// list.
    ///
    /// # Errors
    /// The value breaks the grammar beyond the leniencies of the module
    /// docs; the error's offset points at the first byte that could not be
    /// read.
    pub fn parse(raw: &'a [u8]) -> Result<AddressList<'a>, SyntaxError> {
        let list = Self::parse_impl(raw, true);
        // Fuzzing checks that the one-pass path for the common mailboxes
        // gives exactly what the general parser gives.
        #[cfg(fuzzing)]
        assert_eq!(list, Self::parse_impl(raw, false), "simple_mailbox differs");
        list
    }

    /// [`parse`](Self::parse), trying the one-pass path for the common
    /// mailboxes first when `fast`.
    fn parse_impl(raw: &'a [u8], fast: bool) -> Result<AddressList<'a>, SyntaxError> {
        let mut p = Parser::new(raw, checked_text(raw));
        let mut addresses = Addrs::Empty;
        let mut pos = 0;
        let mut after_address = false;
        loop {
            pos = skip_cfws(raw, pos)?;
            match raw.get(pos) {
                None => break,
                Some(b',') => {
                    if !after_address {
                        p.defects |= Defects::EMPTY_LIST_ELEMENT;
                    }
                    after_address = false;
                    pos += 1;
                    continue;
                }
                Some(_) if after_address => {
                    return Err(SyntaxError::at(raw, pos, "',' between addresses"));
                }
                Some(_) => {}
            }
            if after_address {
                p.defects |= Defects::EMPTY_LIST_ELEMENT;
            }
            let simple = if fast { p.simple_mailbox(pos) } else { None };
            let (addr, end) = match simple {
                Some(found) => found,
                None => p.address(pos, false)?,
            };
            addresses.push(addr);
            pos = end;
            after_address = true;
        }
        if !addresses.as_slice().is_empty() && !after_address {
            // A trailing comma.
            p.defects |= Defects::EMPTY_LIST_ELEMENT;
        }
        let mut defects = p.defects;
        for a in addresses.as_slice() {
            match a {
                Address::Mailbox(m) => defects |= m.defects,
                Address::Group(g) => g.members.iter().for_each(|m| defects |= m.defects),
            }
        }
        Ok(AddressList { addresses, defects })
    }

    /// The addresses in order.
    #[must_use]
    pub fn addresses(&self) -> &[Address<'a>] {
        self.addresses.as_slice()
    }

    /// Every mailbox, group members in place of their group.
    pub fn mailboxes(&self) -> impl Iterator<Item = &Mailbox<'a>> {
        self.addresses.as_slice().iter().flat_map(|a| match a {
            Address::Mailbox(m) => core::slice::from_ref(m),
            Address::Group(g) => g.members.as_slice(),
        })
    }

    /// Whether the list holds no address.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.addresses.as_slice().is_empty()
    }

    /// The departures from the grammar accepted while parsing, of the list
    /// and of all its mailboxes.
    #[must_use]
    pub fn defects(&self) -> Defects {
        self.defects
    }

    /// Writes the list in RFC 5322 form, addresses separated by `, `.
    pub fn encode(&self, out: &mut impl BufMut) {
        for (i, a) in self.addresses.as_slice().iter().enumerate() {
            if i > 0 {
                out.put_slice(b", ");
            }
            a.encode(out);
        }
    }

    /// The addresses, moved out (no copy).
    #[must_use]
    pub fn into_addresses(self) -> Vec<Address<'a>> {
        self.addresses.into_vec()
    }

    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> AddressList<'static> {
        AddressList {
            addresses: match self.addresses {
                Addrs::Empty => Addrs::Empty,
                Addrs::One(a) => Addrs::One(a.into_owned()),
                Addrs::Many(v) => Addrs::Many(v.into_iter().map(Address::into_owned).collect()),
            },
            defects: self.defects,
        }
    }
}

/// Parses a Return-Path value (RFC 5322 section 3.6.7 `path`): an
/// angle-addr or the null path `<>` (see [`Mailbox::is_null`]). A bare
/// addr-spec without angle brackets is read too, with
/// [`Defects::MISSING_ANGLE`].
///
/// # Errors
/// Anything else.
pub fn parse_return_path(raw: &[u8]) -> Result<Mailbox<'_>, SyntaxError> {
    let mut m = Mailbox::parse(raw)?;
    let start = skip_cfws(raw, 0)?;
    if raw.get(start) != Some(&b'<') {
        m.defects |= Defects::MISSING_ANGLE;
    }
    if m.is_null() && raw.get(start) == Some(&b'<') {
        m.defects = Defects(m.defects.bits() & !Defects::MISSING_DOMAIN.bits());
    }
    if m.name.is_some() {
        return Err(SyntaxError::at(
            raw,
            start,
            "'<' (no display name in a path)",
        ));
    }
    Ok(m)
}

/// `dtext` (RFC 5322 section 3.4.1) plus 8-bit (RFC 6532).
fn is_dtext(b: u8) -> bool {
    matches!(b, 33..=90 | 94..=126) || b >= 0x80
}

/// Writes a domain. A domain literal read from obsolete syntax holds its
/// quoted-pairs unescaped (`[a\\]b]` is kept as `[a]b]`): what is not
/// dtext inside the brackets is written as a quoted-pair again, so that the
/// literal reads back the same.
pub(super) fn put_domain(d: &[u8], out: &mut impl BufMut) {
    let Some(inner) = d.strip_prefix(b"[").and_then(|i| i.strip_suffix(b"]")) else {
        out.put_slice(d);
        return;
    };
    out.put_u8(b'[');
    for &b in inner {
        if !is_dtext(b) {
            out.put_u8(b'\\');
        }
        out.put_u8(b);
    }
    out.put_u8(b']');
}

/// Writes a display name: as is when it reads back unchanged as a phrase of
/// atoms, otherwise as a quoted string. The name is written raw (encoded
/// words stay as they are); the builder's folding writer is the one that
/// encodes text.
///
/// CR and LF are dropped (unfolded): the parser unfolds every name it
/// reads and the constructors refuse line breaks, so this only guards the
/// rule that no encoder may write a line break inside a value.
fn encode_phrase(name: &[u8], out: &mut impl BufMut) {
    let name = lex::unfold(name);
    if lex::is_atom_phrase(&name) {
        out.put_slice(&name);
    } else {
        lex::put_quoted(&name, out);
    }
}

/// `raw` as text if it is UTF-8 (for [`Parser::new`]).
pub(super) fn checked_text(raw: &[u8]) -> Option<&str> {
    core::str::from_utf8(raw).ok()
}

/// What a run of words (phrase or local part) looked like.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Words {
    /// Start of the first token and end of the last one.
    start: usize,
    end: usize,
    /// Position after the trailing CFWS: the next significant byte.
    pub(super) next: usize,
    words: usize,
    /// Two words with no dot between them.
    adjacent: bool,
    /// Dots that no local part allows (leading, trailing, doubled).
    bad_dots: bool,
    /// A dot anywhere.
    dots: bool,
    /// Something between the tokens other than one space, or a quoted
    /// string: the span cannot be borrowed as the phrase.
    complex: bool,
    /// CFWS between the tokens (obsolete in a local part).
    spaced: bool,
    /// A quoted string among the tokens.
    quoted: bool,
}

/// A comment's text, if any.
type Comment<'a> = Option<Cow<'a, [u8]>>;

/// What an angle-addr held.
struct Angle<'a> {
    route: Vec<Cow<'a, str>>,
    local: Cow<'a, str>,
    domain: Option<Cow<'a, str>>,
    comment: Comment<'a>,
    /// Position after `>` and the trailing CFWS.
    end: usize,
}

pub(super) struct Parser<'a> {
    pub(super) raw: &'a [u8],
    /// `raw` as text when it is UTF-8, checked once: the words taken from
    /// it are then slices of it, not checked again one by one.
    pub(super) text: Option<&'a str>,
    pub(super) defects: Defects,
}

impl<'a> Parser<'a> {
    /// A parser over `raw`, its text already checked (`text`, from
    /// [`checked_text`]).
    pub(super) fn new(raw: &'a [u8], text: Option<&'a str>) -> Parser<'a> {
        Parser {
            raw,
            text,
            defects: Defects::NONE,
        }
    }

    /// `raw[start..end]` as text (see [`Self::text`]).
    fn text_at(&self, start: usize, end: usize, defects: &mut Defects) -> Cow<'a, str> {
        match self.text.and_then(|t| t.get(start..end)) {
            Some(s) => Cow::Borrowed(s),
            None => self.text(self.raw.get(start..end).unwrap_or_default(), defects),
        }
    }

    /// Scans words, quoted strings and dots with CFWS between them.
    pub(super) fn words(&self, pos: usize) -> Result<Words, SyntaxError> {
        let raw = self.raw;
        let mut w = Words {
            start: pos,
            end: pos,
            next: pos,
            ..Words::default()
        };
        let mut p = pos;
        let mut first = true;
        // Previous token: 0 none, 1 word, 2 dot.
        let mut prev = 0u8;
        loop {
            let before = p;
            p = skip_cfws(raw, p)?;
            let gap = raw.get(before..p).unwrap_or_default();
            let tok_start = p;
            let kind = match raw.get(p) {
                Some(b'"') => {
                    p = lex::scan_quoted(raw, p)?;
                    w.quoted = true;
                    1
                }
                Some(b'.') => {
                    p += 1;
                    2
                }
                Some(&b) if is_atext(b) => {
                    p = lex::atom(raw, p).map_or(p + 1, |(_, e)| e);
                    1
                }
                _ => {
                    w.next = tok_start;
                    break;
                }
            };
            if first {
                w.start = tok_start;
                first = false;
                if kind == 2 {
                    w.bad_dots = true;
                }
            } else {
                if !gap.is_empty() {
                    w.spaced = true;
                }
                if !(gap.is_empty() || gap == b" ") {
                    w.complex = true;
                }
                if kind == 1 && prev == 1 {
                    w.adjacent = true;
                }
                if kind == 2 && prev == 2 {
                    w.bad_dots = true;
                }
            }
            if kind == 1 {
                w.words += 1;
            } else {
                w.dots = true;
            }
            prev = kind;
            w.end = p;
        }
        if prev == 2 {
            w.bad_dots = true;
        }
        if w.quoted {
            w.complex = true;
        }
        Ok(w)
    }

    /// The display name of a scanned phrase: quotes removed, comments
    /// dropped, one space between words.
    fn phrase(&self, w: &Words) -> Result<Cow<'a, [u8]>, SyntaxError> {
        let raw = self.raw;
        let span = raw.get(w.start..w.end).unwrap_or_default();
        if !w.complex {
            return Ok(Cow::Borrowed(span));
        }
        if w.words == 1 && !w.dots && raw.get(w.start) == Some(&b'"') {
            return Ok(lex::quoted_string(raw, w.start)?.0);
        }
        Ok(Cow::Owned(self.join_words(w, true)?))
    }

    /// The tokens of a scanned word run joined: quoted strings unquoted,
    /// comments dropped, and where CFWS separated two tokens one space
    /// when `spaces` (a phrase), nothing otherwise (a local part).
    fn join_words(&self, w: &Words, spaces: bool) -> Result<Vec<u8>, SyntaxError> {
        let raw = self.raw;
        let mut out = Vec::with_capacity(w.end.saturating_sub(w.start));
        let mut p = w.start;
        while p < w.end {
            let q = skip_cfws(raw, p)?;
            if spaces && q > p && !out.is_empty() && q < w.end {
                out.push(b' ');
            }
            p = q;
            match raw.get(p) {
                Some(b'"') => {
                    let (content, e) = lex::quoted_string(raw, p)?;
                    out.extend_from_slice(&content);
                    p = e;
                }
                Some(b'.') => {
                    out.push(b'.');
                    p += 1;
                }
                Some(_) => {
                    let e = lex::atom(raw, p).map_or(p + 1, |(_, e)| e);
                    out.extend_from_slice(raw.get(p..e).unwrap_or_default());
                    p = e;
                }
                None => break,
            }
        }
        Ok(out)
    }

    /// The local part of a scanned word run: words and dots, quotes and
    /// CFWS removed.
    pub(super) fn local_part(
        &mut self,
        w: &Words,
        defects: &mut Defects,
    ) -> Result<Cow<'a, str>, SyntaxError> {
        let raw = self.raw;
        if w.words == 0 || w.adjacent {
            return Err(SyntaxError::at(raw, w.start, "a local part"));
        }
        if w.bad_dots {
            *defects |= Defects::LOCAL_PART_DOTS;
        }
        if w.spaced || (w.quoted && (w.words > 1 || w.dots)) {
            *defects |= Defects::OBSOLETE_SYNTAX;
        }
        if !w.spaced && !w.quoted {
            return Ok(self.text_at(w.start, w.end, defects));
        }
        if w.words == 1 && !w.dots && !w.spaced {
            let (content, _) = lex::quoted_string(raw, w.start)?;
            return Ok(self.text_cow(content, defects));
        }
        let out = self.join_words(w, false)?;
        Ok(self.text_cow(Cow::Owned(out), defects))
    }

    fn text(&self, b: &'a [u8], defects: &mut Defects) -> Cow<'a, str> {
        let s = lex::text(b);
        if matches!(s, Cow::Owned(_)) {
            *defects |= Defects::INVALID_TEXT;
        }
        s
    }

    fn text_cow(&self, b: Cow<'a, [u8]>, defects: &mut Defects) -> Cow<'a, str> {
        if let Cow::Owned(v) = &b
            && core::str::from_utf8(v).is_err()
        {
            *defects |= Defects::INVALID_TEXT;
        }
        match b {
            Cow::Borrowed(s) => self.text(s, defects),
            owned => lex::cow_text(owned),
        }
    }

    /// A domain at `pos` (after the `@`, CFWS allowed before it): returns
    /// it and the position after its last token (trailing CFWS not taken).
    pub(super) fn domain(
        &self,
        pos: usize,
        defects: &mut Defects,
    ) -> Result<(Cow<'a, str>, usize), SyntaxError> {
        let raw = self.raw;
        let start = skip_cfws(raw, pos)?;
        if raw.get(start) == Some(&b'[') {
            return self.domain_literal(start, defects);
        }
        let (_, mut end) =
            lex::atom(raw, start).ok_or_else(|| SyntaxError::at(raw, start, "a domain"))?;
        let mut spaced = false;
        loop {
            let q = skip_cfws(raw, end)?;
            if raw.get(q) != Some(&b'.') {
                break;
            }
            let r = skip_cfws(raw, q + 1)?;
            match lex::atom(raw, r) {
                Some((_, e)) => {
                    spaced |= q != end || r != q + 1;
                    end = e;
                }
                None => break,
            }
        }
        if !spaced {
            return Ok((self.text_at(start, end, defects), end));
        }
        *defects |= Defects::OBSOLETE_SYNTAX;
        let mut out = Vec::with_capacity(end - start);
        let mut p = start;
        while p < end {
            p = skip_cfws(raw, p)?;
            match raw.get(p) {
                Some(b'.') => {
                    out.push(b'.');
                    p += 1;
                }
                Some(_) => {
                    let e = lex::atom(raw, p).map_or(p + 1, |(_, e)| e);
                    out.extend_from_slice(raw.get(p..e).unwrap_or_default());
                    p = e;
                }
                None => break,
            }
        }
        Ok((self.text_cow(Cow::Owned(out), defects), end))
    }

    /// `domain-literal` (section 3.4.1, with obs-dtext): `[...]` kept with
    /// its brackets, FWS removed.
    fn domain_literal(
        &self,
        start: usize,
        defects: &mut Defects,
    ) -> Result<(Cow<'a, str>, usize), SyntaxError> {
        let raw = self.raw;
        let mut p = start + 1;
        let mut simple = true;
        loop {
            let q = skip_fws(raw, p);
            simple &= q == p;
            p = q;
            match raw.get(p) {
                Some(b']') => break,
                Some(b'\\')
                    if raw
                        .get(p + 1)
                        .is_some_and(|&b| !matches!(b, 0 | b'\r' | b'\n')) =>
                {
                    simple = false;
                    p += 2;
                }
                Some(&b) if is_dtext(b) => p += 1,
                _ => return Err(SyntaxError::at(raw, p, "domain literal text or ']'")),
            }
        }
        let end = p + 1;
        if simple {
            return Ok((self.text_at(start, end, defects), end));
        }
        *defects |= Defects::OBSOLETE_SYNTAX;
        let inner = raw.get(start + 1..p).unwrap_or_default();
        let mut out = vec![b'['];
        out.extend(lex::unescape(inner).iter().filter(|&&b| !lex::is_wsp(b)));
        out.push(b']');
        Ok((self.text_cow(Cow::Owned(out), defects), end))
    }

    /// Skips CFWS and returns the text of the last comment in it.
    pub(super) fn trailing_comment(&self, pos: usize) -> Result<(Comment<'a>, usize), SyntaxError> {
        let raw = self.raw;
        let mut p = pos;
        let mut last = None;
        loop {
            p = skip_fws(raw, p);
            if raw.get(p) != Some(&b'(') {
                return Ok((
                    last.map(|s| lex::comment(raw, s).map(|c| c.0))
                        .transpose()?,
                    p,
                ));
            }
            last = Some(p);
            p = lex::skip_comment(raw, p)?;
        }
    }

    /// An angle-addr at `pos` (which holds `<`), up to after `>` and the
    /// trailing CFWS, with its comment.
    fn angle_addr(&mut self, pos: usize, defects: &mut Defects) -> Result<Angle<'a>, SyntaxError> {
        let raw = self.raw;
        let mut p = skip_cfws(raw, pos + 1)?;
        let mut route = Vec::new();
        if matches!(raw.get(p), Some(b'@' | b',')) {
            *defects |= Defects::OBSOLETE_SYNTAX;
            loop {
                p = skip_cfws(raw, p)?;
                match raw.get(p) {
                    Some(b',') => p += 1,
                    Some(b'@') => {
                        let (d, e) = self.domain(p + 1, defects)?;
                        route.push(d);
                        p = e;
                    }
                    Some(b':') => {
                        p += 1;
                        break;
                    }
                    _ => return Err(SyntaxError::at(raw, p, "'@', ',' or ':' in the route")),
                }
            }
            p = skip_cfws(raw, p)?;
        }
        let (local, domain, after) = if raw.get(p) == Some(&b'>') {
            *defects |= Defects::MISSING_DOMAIN;
            (Cow::Borrowed(""), None, p)
        } else {
            let w = self.words(p)?;
            let local = self.local_part(&w, defects)?;
            if raw.get(w.next) == Some(&b'@') {
                let (d, e) = self.domain(w.next + 1, defects)?;
                (local, Some(d), skip_cfws(raw, e)?)
            } else {
                *defects |= Defects::MISSING_DOMAIN;
                (local, None, w.next)
            }
        };
        let end = match raw.get(after) {
            Some(b'>') => after + 1,
            None => {
                *defects |= Defects::MISSING_ANGLE;
                after
            }
            Some(_) => return Err(SyntaxError::at(raw, after, "'>'")),
        };
        let (comment, end) = self.trailing_comment(end)?;
        Ok(Angle {
            route,
            local,
            domain,
            comment,
            end,
        })
    }

    /// The mailboxes most fields hold, `local@domain`,
    /// `Display Name <local@domain>` and `"Quoted Name" <local@domain>`
    /// (dot-atoms, atoms separated by single spaces, no comment, fold or
    /// escape), followed by white space and a comma or the end of the
    /// value: what [`address`](Self::address) gives for them, found in one
    /// pass without its token bookkeeping. `None` for anything else, which
    /// the general parser then reads.
    fn simple_mailbox(&self, pos: usize) -> Option<(Address<'a>, usize)> {
        let raw = self.raw;
        let text = self.text?;
        let atom_end = |i: usize| lex::atom(raw, i).map(|(_, e)| e);
        // `dot-atom-text` (a trailing dot is left, and then fails the
        // check of the octet that must follow)
        let dot_atom_end = |i: usize| lex::dot_atom(raw, i).map(|(_, e)| e);
        let skip_wsp = |mut i: usize| {
            while matches!(raw.get(i), Some(b' ' | b'\t')) {
                i += 1;
            }
            i
        };
        // White space, then a comma or the end of the value.
        let list_end = |i: usize| {
            let e = skip_wsp(i);
            matches!(raw.get(e), None | Some(b',')).then_some(e)
        };
        let mailbox = |name, local: &'a str, domain: &'a str| {
            Address::Mailbox(Mailbox {
                name,
                local_part: Cow::Borrowed(local),
                domain: Some(Cow::Borrowed(domain)),
                route: Vec::new(),
                comment: None,
                defects: Defects::NONE,
            })
        };
        let (name, open) = match *raw.get(pos)? {
            b'<' => (None, pos),
            b'"' => {
                let inner = raw.get(pos + 1..)?;
                let close = pos
                    + 1
                    + inner
                        .iter()
                        .position(|&b| matches!(b, b'"' | b'\\' | b'\r' | b'\n' | 0))?;
                if raw.get(close) != Some(&b'"') {
                    return None;
                }
                (
                    Some(Cow::Borrowed(raw.get(pos + 1..close)?)),
                    skip_wsp(close + 1),
                )
            }
            _ => {
                let e = dot_atom_end(pos)?;
                if raw.get(e) == Some(&b'@') {
                    let d = dot_atom_end(e + 1)?;
                    let end = list_end(d)?;
                    let m = mailbox(None, text.get(pos..e)?, text.get(e + 1..d)?);
                    return Some((m, end));
                }
                // A display name: atoms (no dot) with one space between.
                let mut name_end = atom_end(pos).filter(|&a| a == e)?;
                while raw.get(name_end) == Some(&b' ') {
                    match atom_end(name_end + 1) {
                        Some(a) => name_end = a,
                        None => break,
                    }
                }
                (
                    Some(Cow::Borrowed(raw.get(pos..name_end)?)),
                    skip_wsp(name_end),
                )
            }
        };
        if raw.get(open) != Some(&b'<') {
            return None;
        }
        let l = dot_atom_end(open + 1)?;
        if raw.get(l) != Some(&b'@') {
            return None;
        }
        let d = dot_atom_end(l + 1)?;
        if raw.get(d) != Some(&b'>') {
            return None;
        }
        let end = list_end(d + 1)?;
        let m = mailbox(name, text.get(open + 1..l)?, text.get(l + 1..d)?);
        Some((m, end))
    }

    /// One address at `pos`; returns it and the position after its
    /// trailing CFWS.
    fn address(&mut self, pos: usize, in_group: bool) -> Result<(Address<'a>, usize), SyntaxError> {
        let raw = self.raw;
        let w = self.words(pos)?;
        let mut defects = Defects::NONE;
        match raw.get(w.next) {
            Some(b'<') => {
                let name = if w.words > 0 || w.dots {
                    if w.dots {
                        defects |= Defects::OBSOLETE_SYNTAX;
                    }
                    Some(self.phrase(&w)?)
                } else {
                    None
                };
                let Angle {
                    route,
                    local: local_part,
                    domain,
                    comment,
                    end,
                } = self.angle_addr(w.next, &mut defects)?;
                Ok((
                    Address::Mailbox(Mailbox {
                        name,
                        local_part,
                        domain,
                        route,
                        comment,
                        defects,
                    }),
                    end,
                ))
            }
            Some(b':') if !in_group && w.words > 0 => {
                if w.dots {
                    defects |= Defects::OBSOLETE_SYNTAX;
                }
                let name = self.phrase(&w)?;
                let (members, end) = self.group_members(w.next + 1)?;
                self.defects |= defects;
                Ok((Address::Group(Group { name, members }), end))
            }
            Some(b'@') => {
                let local_part = self.local_part(&w, &mut defects)?;
                let (domain, dend) = self.domain(w.next + 1, &mut defects)?;
                let (comment, end) = self.trailing_comment(dend)?;
                if raw.get(end) == Some(&b'<') {
                    // `jane@example.com <jane@example.com>`: the first
                    // addr-spec is a display name written unquoted.
                    // Unfolded (RFC 5322 section 2.2.3: the CRLF of a fold
                    // is removed, its WSP kept), as a quoted string's
                    // content is; still borrowed when there is no fold.
                    defects = Defects::UNQUOTED_SPECIALS_IN_NAME;
                    let name = lex::unfold(raw.get(w.start..dend).unwrap_or_default());
                    let Angle {
                        route,
                        local: local_part,
                        domain,
                        comment,
                        end,
                    } = self.angle_addr(end, &mut defects)?;
                    return Ok((
                        Address::Mailbox(Mailbox {
                            name: Some(name),
                            local_part,
                            domain,
                            route,
                            comment,
                            defects,
                        }),
                        end,
                    ));
                }
                Ok((
                    Address::Mailbox(Mailbox {
                        name: None,
                        local_part,
                        domain: Some(domain),
                        route: Vec::new(),
                        comment,
                        defects,
                    }),
                    end,
                ))
            }
            None | Some(b',' | b';') if w.words > 0 => {
                defects |= Defects::MISSING_DOMAIN;
                let (name, local_part) = if w.adjacent {
                    (Some(self.phrase(&w)?), Cow::Borrowed(""))
                } else {
                    (None, self.local_part(&w, &mut defects)?)
                };
                Ok((
                    Address::Mailbox(Mailbox {
                        name,
                        local_part,
                        domain: None,
                        route: Vec::new(),
                        comment: None,
                        defects,
                    }),
                    w.next,
                ))
            }
            _ => Err(SyntaxError::at(raw, w.next, "an address")),
        }
    }

    /// The members of a group after its `:`, up to and including `;` and
    /// the CFWS after it.
    fn group_members(&mut self, pos: usize) -> Result<(Vec<Mailbox<'a>>, usize), SyntaxError> {
        let raw = self.raw;
        let mut members = Vec::new();
        let mut p = pos;
        let mut after_member = false;
        loop {
            p = skip_cfws(raw, p)?;
            match raw.get(p) {
                Some(b';') => {
                    let end = skip_cfws(raw, p + 1)?;
                    return Ok((members, end));
                }
                None => {
                    self.defects |= Defects::MISSING_GROUP_END;
                    return Ok((members, p));
                }
                Some(b',') => {
                    if !after_member {
                        self.defects |= Defects::EMPTY_LIST_ELEMENT;
                    }
                    after_member = false;
                    p += 1;
                }
                Some(_) if after_member => {
                    return Err(SyntaxError::at(raw, p, "',' or ';' in the group"));
                }
                Some(_) => {
                    let (addr, end) = self.address(p, true)?;
                    match addr {
                        Address::Mailbox(m) => members.push(m),
                        Address::Group(_) => {
                            return Err(SyntaxError::at(raw, p, "a mailbox (no nested group)"));
                        }
                    }
                    p = end;
                    after_member = true;
                }
            }
        }
    }
}

#[cfg(test)]
mod simple_mailbox_tests {
    use super::*;
    use proptest::prelude::*;

    /// Both ways of parsing agree: the one-pass path for the common
    /// mailboxes, and the general parser alone.
    fn agree(raw: &[u8]) {
        assert_eq!(
            AddressList::parse_impl(raw, true),
            AddressList::parse_impl(raw, false),
            "{:?}",
            String::from_utf8_lossy(raw)
        );
    }

    /// Whether the one-pass path answers for the first address.
    fn fast(raw: &[u8]) -> bool {
        let p = Parser::new(raw, checked_text(raw));
        p.simple_mailbox(0).is_some()
    }

    #[test]
    fn common_mailboxes_take_the_fast_path() {
        for raw in [
            &b"a@b.c"[..],
            b"first.last@example.com",
            b"Jane Doe <jane@example.com>",
            b"Jane <jane@example.com>, bob@example.org",
            b"\"Doe, Jane\" <jane@example.com>",
            b"\"\" <empty@example.com>",
            b"<bare@example.com>",
            "Zoë <zoë@exämple.de>".as_bytes(),
            b"=?UTF-8?Q?J=C3=B6rg?= <joerg@example.de>",
            b"a@b \t",
        ] {
            assert!(fast(raw), "{:?}", String::from_utf8_lossy(raw));
            agree(raw);
        }
    }

    #[test]
    fn other_shapes_take_the_general_parser() {
        for raw in [
            &b"J. Doe <j@example.com>"[..],
            b"Jane  Doe <jane@example.com>",
            b"Jane\tDoe <jane@example.com>",
            b"\"Doe \\\"J\\\"\" <j@example.com>",
            b"\"a b\" c <x@y>",
            b"a@b (comment)",
            b"a@b.",
            b".a@b",
            b"a..b@c",
            b"a @b",
            b"a@ b",
            b"a@b <c@d>",
            b"<a@b",
            b"< a@b>",
            b"<a@b >x",
            b"<@route:a@b>",
            b"<a@[192.0.2.1]>",
            b"\"q\"@example.com",
            b"Group: a@b;",
            b"a@b\r\n c@d",
            b"a@b\xff",
        ] {
            assert!(!fast(raw), "{:?}", String::from_utf8_lossy(raw));
            agree(raw);
        }
    }

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z]{1,6}",
            "[a-z]{1,4}(\\.[a-z]{1,4}){0,2}",
            Just("Jane Doe".to_string()),
            Just("\"Doe, J\"".to_string()),
            Just("\"a\\\\\"b\"".to_string()),
            Just("\"\"".to_string()),
            Just("Zoë".to_string()),
            Just("=?UTF-8?Q?J=C3=B6rg?=".to_string()),
            Just("@".to_string()),
            Just("<".to_string()),
            Just(">".to_string()),
            Just(",".to_string()),
            Just(":".to_string()),
            Just(";".to_string()),
            Just(".".to_string()),
            Just(" ".to_string()),
            Just("  ".to_string()),
            Just("\t".to_string()),
            Just("(c)".to_string()),
            Just("\r\n ".to_string()),
            Just("[1.2.3.4]".to_string()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn fast_path_agrees_with_the_general_parser(
            pieces in prop::collection::vec(piece(), 1..12)
        ) {
            agree(pieces.concat().as_bytes());
        }

        #[test]
        fn fast_path_agrees_on_well_formed_lists(
            items in prop::collection::vec(
                (
                    prop_oneof![Just(""), Just("Jane Doe "), Just("\"Doe, J\" "), Just("Zoë"), Just("x")],
                    "[a-z]{1,5}(\\.[a-z]{1,3})?",
                    "[a-z]{1,5}(\\.[a-z]{2,3}){0,2}",
                    prop_oneof![Just(true), Just(false)],
                ),
                1..4,
            )
        ) {
            let raw: Vec<String> = items
                .iter()
                .map(|(name, l, d, angle)| {
                    if *angle || !name.is_empty() {
                        format!("{name}<{l}@{d}>")
                    } else {
                        format!("{l}@{d}")
                    }
                })
                .collect();
            agree(raw.join(", ").as_bytes());
        }
    }
}
