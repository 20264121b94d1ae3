//! The EHLO (and LMTP LHLO) response as a typed capability set
//! (RFC 5321 section 4.1.1.1).
//!
//! ```text
//! ehlo-ok-rsp  = ( "250" SP Domain [ SP ehlo-greet ] CRLF )
//!              / ( "250-" Domain [ SP ehlo-greet ] CRLF
//!                *( "250-" ehlo-line CRLF )
//!                "250" SP ehlo-line CRLF )
//! ehlo-line    = ehlo-keyword *( SP ehlo-param )
//! ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
//! ehlo-param   = 1*(%d33-126)
//! ```
//!
//! Known keywords are matched case-insensitively and parsed into typed
//! [`Capability`] variants, which encode in their canonical form (upper-case
//! keyword, numbers without leading zeros). A line whose keyword is unknown,
//! or whose parameters do not follow the syntax its RFC gives, is kept as
//! [`Capability::Unknown`] with its keyword and parameters as sent, and
//! encodes back to the same bytes.
//!
//! ```
//! use mail_wire::sasl::Mechanism;
//! use mail_wire::Status;
//! use smtp_proto::EhloResponse;
//!
//! let input = b"250-mail.example.com Hello\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 AUTH PLAIN LOGIN\r\n";
//! let Ok(Status::Complete(ehlo, _)) = EhloResponse::parse(input) else { panic!() };
//! assert_eq!(ehlo.domain(), "mail.example.com");
//! assert!(ehlo.supports_pipelining());
//! assert_eq!(ehlo.max_size(), Some(10240000));
//! assert!(ehlo.supports_auth(&Mechanism::Plain));
//! assert_eq!(ehlo.to_reply().to_bytes(), input);
//! ```

use std::borrow::Cow;
use std::fmt;

use mail_wire::SyntaxError;
use mail_wire::sasl::Mechanism;

use crate::types::reply::{MAX_REPLY_TEXT_LEN, check_text};

/// Longest domain accepted in the first line (RFC 5321 section 4.5.3.1.2).
pub const MAX_EHLO_DOMAIN_LEN: usize = 255;

/// Longest [`ReleaseDateTime`]: far more than any RFC 3339 timestamp needs.
pub const MAX_RELEASE_DATE_TIME_LEN: usize = 64;

/// The offset of the first invalid byte of a value that must be UTF-8.
fn utf8(bytes: &[u8]) -> Result<&str, SyntaxError> {
    std::str::from_utf8(bytes).map_err(|e| SyntaxError::at(bytes, e.valid_up_to(), "UTF-8"))
}

/// Returns `value` unchanged if `check` accepts its bytes.
fn checked_str<'a>(
    value: Cow<'a, str>,
    check: fn(&[u8]) -> Result<(), SyntaxError>,
) -> Result<Cow<'a, str>, SyntaxError> {
    check(value.as_bytes())?;
    Ok(value)
}

macro_rules! str_token {
    ($(#[$doc:meta])* $name:ident, $check:path) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name<'a>(Cow<'a, str>);

        impl<'a> $name<'a> {
            /// Validates the value.
            pub fn new(value: impl Into<Cow<'a, str>>) -> Result<Self, SyntaxError> {
                checked_str(value.into(), $check).map($name)
            }

            /// Validates the value given as bytes, borrowing them.
            pub fn from_bytes(bytes: &'a [u8]) -> Result<Self, SyntaxError> {
                $check(bytes)?;
                Ok($name(Cow::Borrowed(utf8(bytes)?)))
            }

            /// The value as sent.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Detaches the value from the input it was parsed from.
            #[must_use]
            pub fn into_owned(self) -> $name<'static> {
                $name(Cow::Owned(self.0.into_owned()))
            }
        }

        impl fmt::Display for $name<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name<'_> {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

fn check_keyword(b: &[u8]) -> Result<(), SyntaxError> {
    if b.is_empty() {
        return Err(SyntaxError::at(b, 0, "an EHLO keyword"));
    }
    match b.iter().position(|&c| !(33..=126).contains(&c)) {
        Some(pos) => Err(SyntaxError::at(
            b,
            pos,
            "a printable ASCII EHLO keyword character",
        )),
        None => Ok(()),
    }
}

fn check_profile(b: &[u8]) -> Result<(), SyntaxError> {
    if b.is_empty() {
        return Err(SyntaxError::at(b, 0, "a priority profile name"));
    }
    if let Some(pos) = b
        .iter()
        .position(|&c| !(c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.')))
    {
        return Err(SyntaxError::at(b, pos, "ALPHA, DIGIT, '-', '_' or '.'"));
    }
    if b.len() > 20 {
        return Err(SyntaxError::at(b, 20, "at most 20 characters (RFC 6710)"));
    }
    Ok(())
}

fn check_limit_name(b: &[u8]) -> Result<(), SyntaxError> {
    if b.is_empty() {
        return Err(SyntaxError::at(b, 0, "a limit name"));
    }
    match b
        .iter()
        .position(|&c| !(c.is_ascii_alphanumeric() || c == b'-' || c == b'_'))
    {
        Some(pos) => Err(SyntaxError::at(
            b,
            pos,
            "ALPHA, DIGIT, '-' or '_' (RFC 9422)",
        )),
        None => Ok(()),
    }
}

fn check_limit_text(b: &[u8]) -> Result<(), SyntaxError> {
    if b.is_empty() {
        return Err(SyntaxError::at(b, 0, "a limit value"));
    }
    match b
        .iter()
        .position(|&c| !(33..=126).contains(&c) || c == b';')
    {
        Some(pos) => Err(SyntaxError::at(b, pos, "a VCHAR other than ';' (RFC 9422)")),
        None => Ok(()),
    }
}

/// `n` ASCII digits at `at`, as a number; `None` if not all digits.
fn fixed_digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let end = at.checked_add(n)?;
    b.get(at..end)?.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

/// RFC 3339 section 5.6 `date-time`.
fn check_date_time(b: &[u8]) -> Result<(), SyntaxError> {
    let err = |at: usize, what: &'static str| Err(SyntaxError::at(b, at, what));
    if b.len() > MAX_RELEASE_DATE_TIME_LEN {
        return err(MAX_RELEASE_DATE_TIME_LEN, "a shorter date-time");
    }
    let field = |at: usize, n: usize, range: core::ops::RangeInclusive<u32>, what: &'static str| {
        match fixed_digits(b, at, n) {
            Some(v) if range.contains(&v) => Ok(()),
            _ => Err(SyntaxError::at(b, at, what)),
        }
    };
    let sep = |at: usize, allowed: &[u8], what: &'static str| match b.get(at) {
        Some(c) if allowed.contains(c) => Ok(()),
        _ => Err(SyntaxError::at(b, at, what)),
    };
    field(0, 4, 0..=9999, "a 4-digit year")?;
    sep(4, b"-", "'-'")?;
    field(5, 2, 1..=12, "a month 01-12")?;
    sep(7, b"-", "'-'")?;
    field(8, 2, 1..=31, "a day 01-31")?;
    sep(10, b"Tt", "'T'")?;
    field(11, 2, 0..=23, "an hour 00-23")?;
    sep(13, b":", "':'")?;
    field(14, 2, 0..=59, "a minute 00-59")?;
    sep(16, b":", "':'")?;
    field(17, 2, 0..=60, "a second 00-60")?;
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let n = b
            .get(i..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if n == 0 {
            return err(i, "fraction digits");
        }
        i += n;
    }
    match b.get(i) {
        Some(b'Z' | b'z') => i += 1,
        Some(b'+' | b'-') => {
            field(i + 1, 2, 0..=23, "an offset hour 00-23")?;
            sep(i + 3, b":", "':'")?;
            field(i + 4, 2, 0..=59, "an offset minute 00-59")?;
            i += 6;
        }
        _ => return err(i, "'Z' or a numeric offset"),
    }
    if i != b.len() {
        return err(i, "end of the date-time");
    }
    Ok(())
}

str_token!(
    /// An EHLO keyword as sent: one or more printable ASCII characters
    /// (`%d33-126`).
    ///
    /// RFC 5321's `ehlo-keyword` is narrower (ALPHA / DIGIT / "-"); this type
    /// is wider so that non-conforming keywords seen in the wild, such as
    /// the `AUTH=LOGIN` line of old Microsoft servers and of Postfix's
    /// `broken_sasl_auth_clients`, are kept rather than rejected.
    /// [`EhloKeyword::is_rfc5321`] tells whether a keyword conforms.
    EhloKeyword,
    check_keyword
);

impl EhloKeyword<'_> {
    /// `true` when the keyword follows RFC 5321's `ehlo-keyword` grammar.
    #[must_use]
    pub fn is_rfc5321(&self) -> bool {
        let b = self.0.as_bytes();
        b.first().is_some_and(u8::is_ascii_alphanumeric)
            && b.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'-')
    }
}

str_token!(
    /// An MT-PRIORITY priority assignment profile name (RFC 6710 section 7):
    /// `1*20(ALPHA / DIGIT / "-" / "_" / ".")`.
    PriorityProfile,
    check_profile
);

str_token!(
    /// The `max-future-release-date-time` of FUTURERELEASE (RFC 4865), an
    /// RFC 3339 `date-time` such as `2030-12-31T23:59:59Z`, kept as text.
    ReleaseDateTime,
    check_date_time
);

str_token!(
    /// A LIMITS limit name (RFC 9422 section 3): `1*(ALPHA / DIGIT / "-" / "_")`.
    LimitName,
    check_limit_name
);

str_token!(
    /// A LIMITS limit value as text (RFC 9422 section 3):
    /// `1*(%x21-3A / %x3C-7E)`, any VCHAR except `;`.
    LimitText,
    check_limit_text
);

/// One parameter of an unknown EHLO line, as sent.
///
/// RFC 5321's `ehlo-param` is `1*(%d33-126)`. To keep every line byte for
/// byte, a parameter here is any run of bytes except SP, CR, LF and NUL, and
/// may be empty: `KW a  b` (two spaces) has the parameters `a`, `` and `b`,
/// and `KW ` (a trailing space) the single parameter ``.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EhloParam<'a>(Cow<'a, [u8]>);

impl<'a> EhloParam<'a> {
    /// Validates the parameter: no SP, CR, LF or NUL.
    pub fn new(value: impl Into<Cow<'a, [u8]>>) -> Result<Self, SyntaxError> {
        let value = value.into();
        if let Some(pos) = value
            .iter()
            .position(|&c| matches!(c, b' ' | b'\r' | b'\n' | 0))
        {
            return Err(SyntaxError::at(
                &value,
                pos,
                "an EHLO parameter byte (no SP, CR, LF, NUL)",
            ));
        }
        Ok(EhloParam(value))
    }

    /// The bytes as sent.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The parameter as `&str` if it is UTF-8.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.0).ok()
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> EhloParam<'static> {
        EhloParam(Cow::Owned(self.0.into_owned()))
    }
}

/// A value of the limits RFC 9422 section 4 defines: 1 to 999999
/// (`%x31-39 0*5DIGIT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LimitValue(u32);

impl LimitValue {
    /// Largest value the six-digit syntax allows.
    pub const MAX: u32 = 999_999;

    /// The value, if it is 1 to 999999.
    #[must_use]
    pub const fn new(value: u32) -> Option<Self> {
        if value >= 1 && value <= Self::MAX {
            Some(LimitValue(value))
        } else {
            None
        }
    }

    /// The value.
    #[must_use]
    pub const fn get(self) -> u32 {
        self.0
    }
}

/// One limit of the LIMITS capability (RFC 9422).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Limit<'a> {
    /// `MAILMAX`: most transactions (MAIL FROM commands) per session.
    MailMax(LimitValue),
    /// `RCPTMAX`: most RCPT TO commands per transaction.
    RcptMax(LimitValue),
    /// `RCPTDOMAINMAX`: most distinct recipient domains per session.
    RcptDomainMax(LimitValue),
    /// Any other limit, or a known one whose value does not follow its
    /// syntax (RFC 9422 section 3.7: such a limit is ignored, but it is
    /// kept here as sent).
    Other {
        /// The limit name as sent.
        name: LimitName<'a>,
        /// The value, if `=value` was given.
        value: Option<LimitText<'a>>,
    },
}

impl<'a> Limit<'a> {
    /// The limit name (canonical upper case for the known ones).
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            Limit::MailMax(_) => "MAILMAX",
            Limit::RcptMax(_) => "RCPTMAX",
            Limit::RcptDomainMax(_) => "RCPTDOMAINMAX",
            Limit::Other { name, .. } => name.as_str(),
        }
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> Limit<'static> {
        match self {
            Limit::MailMax(v) => Limit::MailMax(v),
            Limit::RcptMax(v) => Limit::RcptMax(v),
            Limit::RcptDomainMax(v) => Limit::RcptDomainMax(v),
            Limit::Other { name, value } => Limit::Other {
                name: name.into_owned(),
                value: value.map(LimitText::into_owned),
            },
        }
    }
}

/// One line after the first of an EHLO response: a service extension the
/// server offers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Capability<'a> {
    /// `PIPELINING` (RFC 2920).
    Pipelining,
    /// `SIZE [n]` (RFC 1870): the fixed maximum message size, if given; `0`
    /// means no fixed maximum. Any `u64` is accepted.
    Size(Option<u64>),
    /// `8BITMIME` (RFC 6152).
    EightBitMime,
    /// `BINARYMIME` (RFC 3030).
    BinaryMime,
    /// `CHUNKING` (RFC 3030).
    Chunking,
    /// `DSN` (RFC 3461).
    Dsn,
    /// `SMTPUTF8` (RFC 6531).
    SmtpUtf8,
    /// `STARTTLS` (RFC 3207).
    StartTls,
    /// `AUTH mech...` (RFC 4954): the SASL mechanisms offered.
    ///
    /// The old `AUTH=LOGIN PLAIN` form (Microsoft servers, Postfix with
    /// `broken_sasl_auth_clients`) is not this variant: its keyword is
    /// `AUTH=LOGIN`, so it is kept as [`Capability::Unknown`]. Servers that
    /// send it send a proper `AUTH` line too.
    Auth(Vec<Mechanism<'a>>),
    /// `ENHANCEDSTATUSCODES` (RFC 2034).
    EnhancedStatusCodes,
    /// `REQUIRETLS` (RFC 8689).
    RequireTls,
    /// `MT-PRIORITY [profile]` (RFC 6710).
    MtPriority(Option<PriorityProfile<'a>>),
    /// `FUTURERELEASE interval date-time` (RFC 4865).
    FutureRelease {
        /// Longest hold the server accepts, in seconds (any `u64`).
        max_interval: u64,
        /// Latest release time the server accepts.
        max_datetime: ReleaseDateTime<'a>,
    },
    /// `DELIVERBY [n]` (RFC 2852): the minimum by-time in seconds for the
    /// `R` by-mode, if given. Any `u64` is accepted. A parameter with the
    /// RFC's `,extension-token` suffixes is kept as [`Capability::Unknown`].
    DeliverBy(Option<u64>),
    /// `LIMITS name[=value]...` (RFC 9422), in the order sent.
    Limits(Vec<Limit<'a>>),
    /// `VRFY`: the server advertises the VRFY command.
    Vrfy,
    /// `ETRN` (RFC 1985).
    Etrn,
    /// `HELP`.
    Help,
    /// `EXPN`.
    Expn,
    /// Any other line, or a known keyword whose parameters do not follow
    /// its RFC's syntax, kept as sent.
    Unknown {
        /// The keyword as sent (case kept).
        keyword: EhloKeyword<'a>,
        /// The parameters as sent.
        params: Vec<EhloParam<'a>>,
    },
}

impl<'a> Capability<'a> {
    /// The keyword: canonical upper case for known capabilities, as sent
    /// for unknown ones.
    #[must_use]
    pub fn keyword(&self) -> &str {
        match self {
            Capability::Pipelining => "PIPELINING",
            Capability::Size(_) => "SIZE",
            Capability::EightBitMime => "8BITMIME",
            Capability::BinaryMime => "BINARYMIME",
            Capability::Chunking => "CHUNKING",
            Capability::Dsn => "DSN",
            Capability::SmtpUtf8 => "SMTPUTF8",
            Capability::StartTls => "STARTTLS",
            Capability::Auth(_) => "AUTH",
            Capability::EnhancedStatusCodes => "ENHANCEDSTATUSCODES",
            Capability::RequireTls => "REQUIRETLS",
            Capability::MtPriority(_) => "MT-PRIORITY",
            Capability::FutureRelease { .. } => "FUTURERELEASE",
            Capability::DeliverBy(_) => "DELIVERBY",
            Capability::Limits(_) => "LIMITS",
            Capability::Vrfy => "VRFY",
            Capability::Etrn => "ETRN",
            Capability::Help => "HELP",
            Capability::Expn => "EXPN",
            Capability::Unknown { keyword, .. } => keyword.as_str(),
        }
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> Capability<'static> {
        match self {
            Capability::Pipelining => Capability::Pipelining,
            Capability::Size(n) => Capability::Size(n),
            Capability::EightBitMime => Capability::EightBitMime,
            Capability::BinaryMime => Capability::BinaryMime,
            Capability::Chunking => Capability::Chunking,
            Capability::Dsn => Capability::Dsn,
            Capability::SmtpUtf8 => Capability::SmtpUtf8,
            Capability::StartTls => Capability::StartTls,
            Capability::Auth(m) => {
                Capability::Auth(m.into_iter().map(Mechanism::into_owned).collect())
            }
            Capability::EnhancedStatusCodes => Capability::EnhancedStatusCodes,
            Capability::RequireTls => Capability::RequireTls,
            Capability::MtPriority(p) => Capability::MtPriority(p.map(PriorityProfile::into_owned)),
            Capability::FutureRelease {
                max_interval,
                max_datetime,
            } => Capability::FutureRelease {
                max_interval,
                max_datetime: max_datetime.into_owned(),
            },
            Capability::DeliverBy(n) => Capability::DeliverBy(n),
            Capability::Limits(l) => {
                Capability::Limits(l.into_iter().map(Limit::into_owned).collect())
            }
            Capability::Vrfy => Capability::Vrfy,
            Capability::Etrn => Capability::Etrn,
            Capability::Help => Capability::Help,
            Capability::Expn => Capability::Expn,
            Capability::Unknown { keyword, params } => Capability::Unknown {
                keyword: keyword.into_owned(),
                params: params.into_iter().map(EhloParam::into_owned).collect(),
            },
        }
    }
}

/// A positive answer to EHLO or LHLO: the server's domain, an optional
/// greeting, and the capabilities it offers, in the order sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EhloResponse<'a> {
    domain: Cow<'a, str>,
    greeting: Option<Cow<'a, [u8]>>,
    capabilities: Vec<Capability<'a>>,
}

/// Checks the domain of the first line: 1 to 255 bytes, no SP or control
/// character.
pub(crate) fn check_domain(b: &[u8]) -> Result<(), SyntaxError> {
    if b.is_empty() {
        return Err(SyntaxError::at(b, 0, "the server's domain"));
    }
    if let Some(pos) = b.iter().position(|&c| c <= b' ' || c == 0x7f) {
        return Err(SyntaxError::at(
            b,
            pos,
            "a domain character (no SP or control)",
        ));
    }
    if b.len() > MAX_EHLO_DOMAIN_LEN {
        return Err(SyntaxError::at(
            b,
            MAX_EHLO_DOMAIN_LEN,
            "at most 255 bytes of domain",
        ));
    }
    utf8(b).map(|_| ())
}

impl<'a> EhloResponse<'a> {
    /// A response with the given server domain (or address literal), no
    /// greeting and no capabilities.
    ///
    /// The domain is checked for framing safety (1 to 255 bytes of UTF-8,
    /// no SP or control characters), not for full RFC 5321 `Domain` syntax.
    pub fn new(domain: impl Into<Cow<'a, str>>) -> Result<Self, SyntaxError> {
        let domain = domain.into();
        check_domain(domain.as_bytes())?;
        Ok(EhloResponse {
            domain,
            greeting: None,
            capabilities: Vec::new(),
        })
    }

    /// Used by the parser, which has validated the parts.
    pub(crate) fn from_parts(
        domain: Cow<'a, str>,
        greeting: Option<Cow<'a, [u8]>>,
        capabilities: Vec<Capability<'a>>,
    ) -> Self {
        EhloResponse {
            domain,
            greeting,
            capabilities,
        }
    }

    /// Sets the greeting text after the domain (`ehlo-greet`: no CR, LF or
    /// NUL; at most 506 bytes).
    pub fn with_greeting(mut self, greeting: impl Into<Cow<'a, str>>) -> Result<Self, SyntaxError> {
        let greeting = match greeting.into() {
            Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
        };
        check_text(&greeting, MAX_REPLY_TEXT_LEN)?;
        self.greeting = Some(greeting);
        Ok(self)
    }

    /// Adds a capability at the end.
    #[must_use]
    pub fn with_capability(mut self, capability: Capability<'a>) -> Self {
        self.capabilities.push(capability);
        self
    }

    /// Adds a capability at the end.
    pub fn push(&mut self, capability: Capability<'a>) {
        self.capabilities.push(capability);
    }

    /// The server's domain (or address literal) from the first line.
    #[must_use]
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The greeting after the domain, if the first line has one. `Some` of
    /// an empty slice means the domain was followed by a lone SP.
    #[must_use]
    pub fn greeting(&self) -> Option<&[u8]> {
        self.greeting.as_deref()
    }

    /// The capabilities in the order sent.
    #[must_use]
    pub fn capabilities(&self) -> &[Capability<'a>] {
        &self.capabilities
    }

    /// The capabilities, to edit (every [`Capability`] is valid by
    /// construction).
    pub fn capabilities_mut(&mut self) -> &mut Vec<Capability<'a>> {
        &mut self.capabilities
    }

    /// The first capability with this keyword (case-insensitive), known or
    /// unknown.
    #[must_use]
    pub fn capability(&self, keyword: &str) -> Option<&Capability<'a>> {
        self.capabilities
            .iter()
            .find(|c| c.keyword().eq_ignore_ascii_case(keyword))
    }

    /// `true` when some line has this keyword (case-insensitive), whether its
    /// parameters parsed or not.
    #[must_use]
    pub fn supports(&self, keyword: &str) -> bool {
        self.capability(keyword).is_some()
    }

    fn has(&self, f: impl Fn(&Capability<'a>) -> bool) -> bool {
        self.capabilities.iter().any(f)
    }

    /// PIPELINING (RFC 2920).
    #[must_use]
    pub fn supports_pipelining(&self) -> bool {
        self.has(|c| matches!(c, Capability::Pipelining))
    }

    /// STARTTLS (RFC 3207).
    #[must_use]
    pub fn supports_starttls(&self) -> bool {
        self.has(|c| matches!(c, Capability::StartTls))
    }

    /// 8BITMIME (RFC 6152).
    #[must_use]
    pub fn supports_8bitmime(&self) -> bool {
        self.has(|c| matches!(c, Capability::EightBitMime))
    }

    /// BINARYMIME (RFC 3030).
    #[must_use]
    pub fn supports_binarymime(&self) -> bool {
        self.has(|c| matches!(c, Capability::BinaryMime))
    }

    /// CHUNKING (RFC 3030).
    #[must_use]
    pub fn supports_chunking(&self) -> bool {
        self.has(|c| matches!(c, Capability::Chunking))
    }

    /// DSN (RFC 3461).
    #[must_use]
    pub fn supports_dsn(&self) -> bool {
        self.has(|c| matches!(c, Capability::Dsn))
    }

    /// SMTPUTF8 (RFC 6531).
    #[must_use]
    pub fn supports_smtputf8(&self) -> bool {
        self.has(|c| matches!(c, Capability::SmtpUtf8))
    }

    /// ENHANCEDSTATUSCODES (RFC 2034): reply texts start with a status code.
    #[must_use]
    pub fn supports_enhanced_status_codes(&self) -> bool {
        self.has(|c| matches!(c, Capability::EnhancedStatusCodes))
    }

    /// REQUIRETLS (RFC 8689).
    #[must_use]
    pub fn supports_requiretls(&self) -> bool {
        self.has(|c| matches!(c, Capability::RequireTls))
    }

    /// The fixed maximum message size from SIZE (RFC 1870); `None` when SIZE
    /// is absent, has no value, or is 0 (no fixed maximum).
    #[must_use]
    pub fn max_size(&self) -> Option<u64> {
        self.capabilities.iter().find_map(|c| match c {
            Capability::Size(Some(n)) if *n > 0 => Some(*n),
            _ => None,
        })
    }

    /// The SASL mechanisms of every AUTH line (RFC 4954), in order.
    pub fn auth_mechanisms(&self) -> impl Iterator<Item = &Mechanism<'a>> {
        self.capabilities.iter().flat_map(|c| match c {
            Capability::Auth(m) => m.as_slice(),
            _ => &[],
        })
    }

    /// `true` when an AUTH line offers `mechanism`.
    #[must_use]
    pub fn supports_auth(&self, mechanism: &Mechanism<'_>) -> bool {
        self.auth_mechanisms()
            .any(|m| m.as_str() == mechanism.as_str())
    }

    /// The limits of the LIMITS line (RFC 9422), empty when there is none.
    pub fn limits(&self) -> impl Iterator<Item = &Limit<'a>> {
        self.capabilities.iter().flat_map(|c| match c {
            Capability::Limits(l) => l.as_slice(),
            _ => &[],
        })
    }

    /// MAILMAX from LIMITS (RFC 9422 section 4.1).
    #[must_use]
    pub fn mail_max(&self) -> Option<u32> {
        self.limits().find_map(|l| match l {
            Limit::MailMax(v) => Some(v.get()),
            _ => None,
        })
    }

    /// RCPTMAX from LIMITS (RFC 9422 section 4.2).
    #[must_use]
    pub fn rcpt_max(&self) -> Option<u32> {
        self.limits().find_map(|l| match l {
            Limit::RcptMax(v) => Some(v.get()),
            _ => None,
        })
    }

    /// RCPTDOMAINMAX from LIMITS (RFC 9422 section 4.3).
    #[must_use]
    pub fn rcpt_domain_max(&self) -> Option<u32> {
        self.limits().find_map(|l| match l {
            Limit::RcptDomainMax(v) => Some(v.get()),
            _ => None,
        })
    }

    /// The MT-PRIORITY capability (RFC 6710): `None` when absent,
    /// `Some(None)` when advertised without a profile.
    #[must_use]
    pub fn mt_priority(&self) -> Option<Option<&PriorityProfile<'a>>> {
        self.capabilities.iter().find_map(|c| match c {
            Capability::MtPriority(p) => Some(p.as_ref()),
            _ => None,
        })
    }

    /// The FUTURERELEASE maxima (RFC 4865): interval in seconds and latest
    /// date-time.
    #[must_use]
    pub fn future_release(&self) -> Option<(u64, &ReleaseDateTime<'a>)> {
        self.capabilities.iter().find_map(|c| match c {
            Capability::FutureRelease {
                max_interval,
                max_datetime,
            } => Some((*max_interval, max_datetime)),
            _ => None,
        })
    }

    /// The DELIVERBY capability (RFC 2852): `None` when absent, `Some(None)`
    /// when advertised without a minimum by-time.
    #[must_use]
    pub fn deliver_by(&self) -> Option<Option<u64>> {
        self.capabilities.iter().find_map(|c| match c {
            Capability::DeliverBy(n) => Some(*n),
            _ => None,
        })
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> EhloResponse<'static> {
        EhloResponse {
            domain: Cow::Owned(self.domain.into_owned()),
            greeting: self.greeting.map(|g| Cow::Owned(g.into_owned())),
            capabilities: self
                .capabilities
                .into_iter()
                .map(Capability::into_owned)
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newtypes_validate() {
        assert!(EhloKeyword::new("X-FOO").unwrap().is_rfc5321());
        assert!(!EhloKeyword::new("AUTH=LOGIN").unwrap().is_rfc5321());
        assert!(EhloKeyword::new("A B").is_err());
        assert!(EhloKeyword::new("").is_err());
        assert!(EhloParam::new(&b"a\r"[..]).is_err());
        assert!(EhloParam::new(&b""[..]).is_ok());
        assert!(PriorityProfile::new("MIXER").is_ok());
        assert!(PriorityProfile::new("A".repeat(21)).is_err());
        assert!(ReleaseDateTime::new("2030-12-31T23:59:59Z").is_ok());
        assert!(ReleaseDateTime::new("2030-12-31t23:59:59.123+01:00").is_ok());
        assert!(ReleaseDateTime::new("2030-13-31T23:59:59Z").is_err());
        assert!(ReleaseDateTime::new("2030-12-31T23:59:59").is_err());
        assert!(ReleaseDateTime::new("2030-12-31T23:59:59Zx").is_err());
        assert!(ReleaseDateTime::new("2030-12-31T23:59:59.Z").is_err());
        assert!(LimitName::new("RCPT_MAX-2").is_ok());
        assert!(LimitName::new("A=B").is_err());
        assert!(LimitText::new("a;b").is_err());
        assert_eq!(LimitValue::new(0), None);
        assert_eq!(LimitValue::new(1_000_000), None);
        assert_eq!(LimitValue::new(999_999).map(LimitValue::get), Some(999_999));
        assert!(EhloResponse::new("mail example").is_err());
        assert!(EhloResponse::new("").is_err());
        assert!(EhloResponse::new("a".repeat(256)).is_err());
        assert!(EhloResponse::new("[192.0.2.1]").is_ok());
        assert!(
            EhloResponse::new("x")
                .unwrap()
                .with_greeting("hi\r\n250 X")
                .is_err()
        );
    }
}
