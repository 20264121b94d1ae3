//! Domains and address literals: the right-hand side of a mailbox and the
//! argument of `HELO`/`EHLO`/`LHLO` (RFC 5321 sections 4.1.2 and 4.1.3,
//! RFC 6531 section 3.3 for U-labels).

use std::borrow::Cow;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::encode::{FmtSink, Sink};
use crate::parse::path as grammar;
use crate::types::path::AddressError;

/// Longest domain, in octets (RFC 5321 section 4.5.3.1.2).
pub const MAX_DOMAIN_LEN: usize = 255;

/// Longest label of a domain, in octets (RFC 1035 section 2.3.4).
pub const MAX_LABEL_LEN: usize = 63;

/// A domain name: dot-separated labels (RFC 5321 section 4.1.2
/// `Domain = sub-domain *("." sub-domain)`).
///
/// Each label is letters, digits and inner hyphens (`Let-dig [Ldh-str]`),
/// at most 63 octets; the whole name at most 255 octets. As RFC 6531
/// section 3.3 allows (`sub-domain =/ U-label`), a label may also hold
/// non-ASCII UTF-8 characters. The full IDNA2008 rules for U-labels are not
/// checked here: only that the text is valid UTF-8, free of ASCII controls
/// and punctuation, and does not start or end with a hyphen.
///
/// The name is kept as written (case included); use
/// [`Domain::eq_ignore_ascii_case`] to compare as DNS does.
///
/// ```
/// use smtp_proto::Domain;
/// let d = Domain::new("mail.example.com").unwrap();
/// assert_eq!(d.as_str(), "mail.example.com");
/// assert!(Domain::new("bad_host.example").is_err());
/// assert!(Domain::new("example.com.").is_err());
/// assert!(Domain::new("münchen.de").is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Domain<'a>(Cow<'a, str>);

impl<'a> Domain<'a> {
    /// Validates `name` as a domain.
    pub fn new(name: impl Into<Cow<'a, str>>) -> Result<Self, AddressError> {
        let name = name.into();
        grammar::validate_domain(&name)?;
        Ok(Domain(name))
    }

    /// Wraps text the parser has already validated.
    pub(crate) fn from_valid(name: &'a str) -> Self {
        Domain(Cow::Borrowed(name))
    }

    /// The name as written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `true` when every label is ASCII (no U-label), so the name can go to
    /// a server that does not offer SMTPUTF8.
    #[must_use]
    pub fn is_ascii(&self) -> bool {
        self.0.is_ascii()
    }

    /// Compares two names ignoring ASCII case, as DNS does.
    #[must_use]
    pub fn eq_ignore_ascii_case(&self, other: &Domain<'_>) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> Domain<'static> {
        Domain(Cow::Owned(self.0.into_owned()))
    }
}

impl fmt::Display for Domain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An address literal in brackets (RFC 5321 section 4.1.3), used in place of
/// a domain by hosts that have none.
///
/// ```
/// use smtp_proto::{AddressLiteral, Host};
/// use std::net::Ipv4Addr;
/// let h = Host::parse("[192.0.2.1]").unwrap();
/// assert_eq!(h, Host::Literal(AddressLiteral::Ipv4(Ipv4Addr::new(192, 0, 2, 1))));
/// assert_eq!(Host::parse("[IPv6:2001:db8::1]").unwrap().to_string(), "[IPv6:2001:db8::1]");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AddressLiteral<'a> {
    /// `[a.b.c.d]`.
    Ipv4(Ipv4Addr),
    /// `[IPv6:...]`; the tag is matched case-insensitively and written
    /// `IPv6`, the address in RFC 5952 text form.
    Ipv6(Ipv6Addr),
    /// `[tag:content]` for any other standardized tag (boxed: such
    /// literals are rare, and a box keeps every [`Host`] small).
    General(Box<GeneralLiteral<'a>>),
}

impl AddressLiteral<'_> {
    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> AddressLiteral<'static> {
        match self {
            AddressLiteral::Ipv4(a) => AddressLiteral::Ipv4(a),
            AddressLiteral::Ipv6(a) => AddressLiteral::Ipv6(a),
            AddressLiteral::General(g) => AddressLiteral::General(Box::new(g.into_owned())),
        }
    }

    pub(crate) fn write_to(&self, w: &mut impl Sink) {
        match self {
            AddressLiteral::Ipv4(a) => {
                w.put("[");
                for (i, o) in a.octets().iter().enumerate() {
                    if i > 0 {
                        w.put(".");
                    }
                    w.put_u64(u64::from(*o));
                }
                w.put("]");
            }
            AddressLiteral::Ipv6(a) => w.put_display("[IPv6:", a, "]"),
            AddressLiteral::General(g) => {
                w.put("[");
                w.put(g.tag());
                w.put(":");
                w.put(g.content());
                w.put("]");
            }
        }
    }
}

impl fmt::Display for AddressLiteral<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        FmtSink::run(f, |w| self.write_to(w))
    }
}

/// A general address literal `[tag:content]` (RFC 5321 section 4.1.3
/// `General-address-literal = Standardized-tag ":" 1*dcontent`).
///
/// The tag is an `Ldh-str` other than `IPv6` (which has its own variant);
/// the content is printable ASCII except `[`, `\` and `]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GeneralLiteral<'a> {
    tag: Cow<'a, str>,
    content: Cow<'a, str>,
}

impl<'a> GeneralLiteral<'a> {
    /// Validates a tag and its content.
    pub fn new(
        tag: impl Into<Cow<'a, str>>,
        content: impl Into<Cow<'a, str>>,
    ) -> Result<Self, AddressError> {
        let (tag, content) = (tag.into(), content.into());
        grammar::validate_general_literal(&tag, &content)?;
        Ok(GeneralLiteral { tag, content })
    }

    pub(crate) fn from_valid(tag: &'a str, content: &'a str) -> Self {
        GeneralLiteral {
            tag: Cow::Borrowed(tag),
            content: Cow::Borrowed(content),
        }
    }

    /// The standardized tag.
    #[must_use]
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The text after the colon.
    #[must_use]
    pub fn content(&self) -> &str {
        &self.content
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> GeneralLiteral<'static> {
        GeneralLiteral {
            tag: Cow::Owned(self.tag.into_owned()),
            content: Cow::Owned(self.content.into_owned()),
        }
    }
}

/// A domain or an address literal: the host part of a mailbox, and the
/// argument of `HELO`, `EHLO` and `LHLO`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Host<'a> {
    /// A domain name.
    Domain(Domain<'a>),
    /// A bracketed address literal.
    Literal(AddressLiteral<'a>),
}

impl<'a> Host<'a> {
    /// Parses a domain, or an address literal when `text` starts with `[`.
    pub fn parse(text: &'a str) -> Result<Self, AddressError> {
        let (host, end) = grammar::scan_host(text, 0)?;
        if end != text.len() {
            return Err(AddressError::Syntax(mail_wire::SyntaxError::at(
                text.as_bytes(),
                end,
                "end of host",
            )));
        }
        Ok(host)
    }

    /// `true` unless the host is a domain with a U-label.
    #[must_use]
    pub fn is_ascii(&self) -> bool {
        match self {
            Host::Domain(d) => d.is_ascii(),
            Host::Literal(_) => true,
        }
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> Host<'static> {
        match self {
            Host::Domain(d) => Host::Domain(d.into_owned()),
            Host::Literal(l) => Host::Literal(l.into_owned()),
        }
    }

    /// Length of the wire form in octets.
    pub(crate) fn wire_len(&self) -> usize {
        match self {
            Host::Domain(d) => d.as_str().len(),
            Host::Literal(l) => {
                let mut c = crate::encode::CountSink::default();
                l.write_to(&mut c);
                c.0
            }
        }
    }

    pub(crate) fn write_to(&self, w: &mut impl Sink) {
        match self {
            Host::Domain(d) => w.put(d.as_str()),
            Host::Literal(l) => l.write_to(w),
        }
    }
}

impl fmt::Display for Host<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        FmtSink::run(f, |w| self.write_to(w))
    }
}
