//! Mailboxes and the paths of `MAIL FROM` and `RCPT TO` (RFC 5321 section
//! 4.1.2, RFC 6531 section 3.3 for UTF-8 local parts).

use std::fmt;

use mail_wire::SyntaxError;

use crate::encode::{CountSink, FmtSink, Sink};
use crate::parse::path as grammar;
use crate::types::host::{Domain, Host};
use crate::types::local_part::LocalPart;

/// Longest path including its angle brackets and source route, in octets
/// (RFC 5321 section 4.5.3.1.3).
pub const MAX_PATH_LEN: usize = 256;

/// Why a mailbox, domain or path was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
pub enum AddressError {
    /// The text breaks the grammar.
    #[error(transparent)]
    Syntax(#[from] SyntaxError),
    /// A local part longer than 64 octets (RFC 5321 section 4.5.3.1.1).
    #[error("local part of {len} octets exceeds the 64 of RFC 5321 4.5.3.1.1")]
    LocalPartTooLong {
        /// Its length in octets.
        len: usize,
    },
    /// A domain longer than 255 octets (RFC 5321 section 4.5.3.1.2).
    #[error("domain of {len} octets exceeds the 255 of RFC 5321 4.5.3.1.2")]
    DomainTooLong {
        /// Its length in octets.
        len: usize,
    },
    /// A domain label longer than 63 octets (RFC 1035 section 2.3.4).
    #[error("domain label of {len} octets exceeds the 63 of RFC 1035 2.3.4")]
    LabelTooLong {
        /// Its length in octets.
        len: usize,
    },
    /// A path longer than 256 octets (RFC 5321 section 4.5.3.1.3).
    #[error("path of {len} octets exceeds the 256 of RFC 5321 4.5.3.1.3")]
    PathTooLong {
        /// Its length in octets, angle brackets included.
        len: usize,
    },
}

impl AddressError {
    /// Moves a syntax error's offset by `base` (no-op for length errors).
    #[must_use]
    pub fn shifted(self, base: usize) -> Self {
        match self {
            AddressError::Syntax(e) => AddressError::Syntax(e.shifted(base)),
            other => other,
        }
    }
}

/// `Local-part "@" ( Domain / address-literal )` (RFC 5321 section 4.1.2).
///
/// ```
/// use smtp_proto::Mailbox;
/// let m = Mailbox::new("john.doe", "example.com").unwrap();
/// assert_eq!(m.to_string(), "john.doe@example.com");
/// let m = Mailbox::parse("\"john doe\"@[192.0.2.1]").unwrap();
/// assert_eq!(m.local_part().unquoted(), "john doe");
/// assert!(Mailbox::new(&"x".repeat(65), "example.com").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mailbox<'a> {
    local: LocalPart<'a>,
    host: Host<'a>,
}

impl<'a> Mailbox<'a> {
    /// Builds a mailbox from the unquoted local part text (quoted as needed)
    /// and a domain or `[address literal]`.
    pub fn new(local: &'a str, host: &'a str) -> Result<Self, AddressError> {
        Mailbox::from_parts(LocalPart::from_unquoted(local)?, Host::parse(host)?)
    }

    /// Parses the wire form `local@host`.
    pub fn parse(text: &'a str) -> Result<Self, AddressError> {
        let (mailbox, end) = grammar::scan_mailbox(text, 0)?;
        if end != text.len() {
            return Err(SyntaxError::at(text.as_bytes(), end, "end of mailbox").into());
        }
        Ok(mailbox)
    }

    /// Joins validated parts, checking the length limits of RFC 5321
    /// section 4.5.3.1 (the mailbox must fit a 256-octet path).
    pub fn from_parts(local: LocalPart<'a>, host: Host<'a>) -> Result<Self, AddressError> {
        let m = Mailbox { local, host };
        grammar::check_mailbox_lengths(&m)?;
        Ok(m)
    }

    pub(crate) fn from_valid(local: LocalPart<'a>, host: Host<'a>) -> Self {
        Mailbox { local, host }
    }

    /// The part before `@`.
    #[must_use]
    pub fn local_part(&self) -> &LocalPart<'a> {
        &self.local
    }

    /// The part after `@`.
    #[must_use]
    pub fn host(&self) -> &Host<'a> {
        &self.host
    }

    /// `true` when the mailbox holds non-ASCII text, which RFC 6531 allows
    /// only in a transaction whose `MAIL` carried `SMTPUTF8`.
    #[must_use]
    pub fn needs_smtputf8(&self) -> bool {
        !self.local.as_str().is_ascii() || !self.host.is_ascii()
    }

    /// Length of the wire form in octets.
    #[must_use]
    pub fn wire_len(&self) -> usize {
        self.local
            .as_str()
            .len()
            .saturating_add(1)
            .saturating_add(self.host.wire_len())
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> Mailbox<'static> {
        Mailbox {
            local: self.local.into_owned(),
            host: self.host.into_owned(),
        }
    }

    pub(crate) fn write_to(&self, w: &mut impl Sink) {
        w.put(self.local.as_str());
        w.put("@");
        self.host.write_to(w);
    }
}

impl fmt::Display for Mailbox<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        FmtSink::run(f, |w| self.write_to(w))
    }
}

/// `"<" [ A-d-l ":" ] Mailbox ">"` (RFC 5321 section 4.1.2).
///
/// The obsolete source route (`<@relay1,@relay2:user@host>`) must be
/// accepted and should be ignored (RFC 5321 appendix C); it is exposed in
/// [`Path::source_route`] and re-encoded, but [`Path::new`] builds paths
/// without one, as senders should.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Path<'a> {
    /// `None` when there is no route (behind one thin pointer: routes are
    /// obsolete and rare, and a path without one then drops with a single
    /// test).
    source_route: Option<Box<Route<'a>>>,
    mailbox: Mailbox<'a>,
}

/// The domains of a source route, never empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Route<'a>(Vec<Domain<'a>>);

impl<'a> Path<'a> {
    /// A path to `mailbox` without a source route.
    #[must_use]
    pub fn new(mailbox: Mailbox<'a>) -> Self {
        Path {
            source_route: None,
            mailbox,
        }
    }

    /// A path with a source route, checking the 256-octet limit.
    pub fn with_source_route(
        source_route: Vec<Domain<'a>>,
        mailbox: Mailbox<'a>,
    ) -> Result<Self, AddressError> {
        let p = Path {
            source_route: (!source_route.is_empty()).then(|| Box::new(Route(source_route))),
            mailbox,
        };
        let len = p.wire_len();
        if len > MAX_PATH_LEN {
            return Err(AddressError::PathTooLong { len });
        }
        Ok(p)
    }

    pub(crate) fn from_valid(source_route: Option<Vec<Domain<'a>>>, mailbox: Mailbox<'a>) -> Self {
        Path {
            source_route: source_route.map(|r| Box::new(Route(r))),
            mailbox,
        }
    }

    /// The mailbox.
    #[must_use]
    pub fn mailbox(&self) -> &Mailbox<'a> {
        &self.mailbox
    }

    /// The obsolete source route, usually empty.
    #[must_use]
    pub fn source_route(&self) -> &[Domain<'a>] {
        self.source_route.as_deref().map_or(&[], |r| &r.0)
    }

    /// Takes the mailbox out.
    #[must_use]
    pub fn into_mailbox(self) -> Mailbox<'a> {
        self.mailbox
    }

    /// Length of the wire form in octets, brackets included.
    #[must_use]
    pub fn wire_len(&self) -> usize {
        let mut c = CountSink::default();
        self.write_to(&mut c);
        c.0
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> Path<'static> {
        Path {
            source_route: self
                .source_route
                .map(|r| Box::new(Route(r.0.into_iter().map(Domain::into_owned).collect()))),
            mailbox: self.mailbox.into_owned(),
        }
    }

    pub(crate) fn write_to(&self, w: &mut impl Sink) {
        w.put("<");
        let route = self.source_route();
        for (i, d) in route.iter().enumerate() {
            w.put(if i == 0 { "@" } else { ",@" });
            w.put(d.as_str());
        }
        if !route.is_empty() {
            w.put(":");
        }
        self.mailbox.write_to(w);
        w.put(">");
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        FmtSink::run(f, |w| self.write_to(w))
    }
}

/// The argument of `MAIL FROM:` (RFC 5321 `Reverse-path = Path / "<>"`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ReversePath<'a> {
    /// `<>`: the null sender of bounces and notifications.
    Null,
    /// A sender.
    Path(Path<'a>),
}

impl<'a> ReversePath<'a> {
    /// The null reverse-path `<>`.
    #[must_use]
    pub fn null() -> Self {
        ReversePath::Null
    }

    /// The mailbox, unless null.
    #[must_use]
    pub fn mailbox(&self) -> Option<&Mailbox<'a>> {
        match self {
            ReversePath::Null => None,
            ReversePath::Path(p) => Some(p.mailbox()),
        }
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> ReversePath<'static> {
        match self {
            ReversePath::Null => ReversePath::Null,
            ReversePath::Path(p) => ReversePath::Path(p.into_owned()),
        }
    }

    pub(crate) fn write_to(&self, w: &mut impl Sink) {
        match self {
            ReversePath::Null => w.put("<>"),
            ReversePath::Path(p) => p.write_to(w),
        }
    }
}

impl<'a> From<Mailbox<'a>> for ReversePath<'a> {
    fn from(m: Mailbox<'a>) -> Self {
        ReversePath::Path(Path::new(m))
    }
}

impl fmt::Display for ReversePath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        FmtSink::run(f, |w| self.write_to(w))
    }
}

/// The argument of `RCPT TO:` (RFC 5321 section 4.1.1.3: `"<Postmaster@"
/// Domain ">" / "<Postmaster>" / Forward-path`).
///
/// `<Postmaster@domain>` is an ordinary [`Path`]; only the domain-less form
/// (matched case-insensitively) gets its own variant, since it names the
/// receiving host's postmaster and every server must accept it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ForwardPath<'a> {
    /// `<Postmaster>` without a domain.
    Postmaster,
    /// A recipient.
    Path(Path<'a>),
}

impl<'a> ForwardPath<'a> {
    /// The mailbox, unless this is the bare `<Postmaster>`.
    #[must_use]
    pub fn mailbox(&self) -> Option<&Mailbox<'a>> {
        match self {
            ForwardPath::Postmaster => None,
            ForwardPath::Path(p) => Some(p.mailbox()),
        }
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> ForwardPath<'static> {
        match self {
            ForwardPath::Postmaster => ForwardPath::Postmaster,
            ForwardPath::Path(p) => ForwardPath::Path(p.into_owned()),
        }
    }

    pub(crate) fn write_to(&self, w: &mut impl Sink) {
        match self {
            ForwardPath::Postmaster => w.put("<Postmaster>"),
            ForwardPath::Path(p) => p.write_to(w),
        }
    }
}

impl<'a> From<Mailbox<'a>> for ForwardPath<'a> {
    fn from(m: Mailbox<'a>) -> Self {
        ForwardPath::Path(Path::new(m))
    }
}

impl fmt::Display for ForwardPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        FmtSink::run(f, |w| self.write_to(w))
    }
}
