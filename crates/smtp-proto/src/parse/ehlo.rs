//! Parsing the EHLO/LHLO response (RFC 5321 section 4.1.1.1) into an
//! [`EhloResponse`].
//!
//! The reply is framed by [`crate::parse::reply`]; this module reads its
//! lines. Keywords are matched case-insensitively. A known keyword whose
//! parameters do not follow its RFC's syntax becomes
//! [`Capability::Unknown`] rather than failing the whole response: a client
//! then proceeds as if the extension's parameters were not given, which is
//! what RFC 9422 section 3.7 asks for LIMITS and what is safe for the rest.

use std::borrow::Cow;

use mail_wire::sasl::Mechanism;
use mail_wire::{Status, SyntaxError};

use crate::parse::reply::{ReplyError, ReplyOptions};
use crate::types::ehlo::{
    Capability, EhloKeyword, EhloParam, EhloResponse, Limit, LimitName, LimitText, LimitValue,
    PriorityProfile, ReleaseDateTime, check_domain,
};
use crate::types::reply::{Reply, ReplyCode, check_text};

/// Why an EHLO response could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum EhloError {
    /// The reply code is not 250 (EHLO was refused or is not supported; a
    /// client falls back to HELO on `5yz`, RFC 5321 section 3.2).
    #[error("EHLO was answered with {0}, not 250")]
    NotOk(ReplyCode),
    /// A line of the response does not follow the EHLO grammar. `line`
    /// counts from 0 (the domain line); the error's offset is within that
    /// line's text.
    #[error("EHLO response line {line}: {error}")]
    Syntax {
        /// Index of the offending line.
        line: usize,
        /// What was wrong.
        error: SyntaxError,
    },
    /// The bytes are not a well-formed reply.
    #[error(transparent)]
    Reply(#[from] ReplyError),
}

#[derive(Clone, Copy)]
enum Known {
    Pipelining,
    Size,
    EightBitMime,
    BinaryMime,
    Chunking,
    Dsn,
    SmtpUtf8,
    StartTls,
    Auth,
    EnhancedStatusCodes,
    RequireTls,
    MtPriority,
    FutureRelease,
    DeliverBy,
    Limits,
    Vrfy,
    Etrn,
    Help,
    Expn,
}

const KNOWN: [(&[u8], Known); 19] = [
    (b"PIPELINING", Known::Pipelining),
    (b"SIZE", Known::Size),
    (b"8BITMIME", Known::EightBitMime),
    (b"BINARYMIME", Known::BinaryMime),
    (b"CHUNKING", Known::Chunking),
    (b"DSN", Known::Dsn),
    (b"SMTPUTF8", Known::SmtpUtf8),
    (b"STARTTLS", Known::StartTls),
    (b"AUTH", Known::Auth),
    (b"ENHANCEDSTATUSCODES", Known::EnhancedStatusCodes),
    (b"REQUIRETLS", Known::RequireTls),
    (b"MT-PRIORITY", Known::MtPriority),
    (b"FUTURERELEASE", Known::FutureRelease),
    (b"DELIVERBY", Known::DeliverBy),
    (b"LIMITS", Known::Limits),
    (b"VRFY", Known::Vrfy),
    (b"ETRN", Known::Etrn),
    (b"HELP", Known::Help),
    (b"EXPN", Known::Expn),
];

fn known(keyword: &[u8]) -> Option<Known> {
    KNOWN
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(keyword))
        .map(|&(_, k)| k)
}

/// `1*DIGIT` as a `u64`, `None` if not all digits or on overflow.
fn number(b: &[u8]) -> Option<u64> {
    if b.is_empty() {
        return None;
    }
    b.iter().try_fold(0u64, |acc, &c| {
        if c.is_ascii_digit() {
            acc.checked_mul(10)?.checked_add(u64::from(c - b'0'))
        } else {
            None
        }
    })
}

/// RFC 9422 section 4 value syntax: `%x31-39 0*5DIGIT`.
fn limit_value(b: &[u8]) -> Option<LimitValue> {
    if b.len() > 6 || b.first() == Some(&b'0') {
        return None;
    }
    let n = u32::try_from(number(b)?).ok()?;
    LimitValue::new(n)
}

/// One `limit-name-value` (RFC 9422 section 3); `None` on a syntax error.
fn limit(item: &[u8]) -> Option<Limit<'_>> {
    let (name, value) = match memchr::memchr(b'=', item) {
        Some(i) => (item.get(..i)?, Some(item.get(i + 1..)?)),
        None => (item, None),
    };
    let name = LimitName::from_bytes(name).ok()?;
    let Some(value) = value else {
        return Some(Limit::Other { name, value: None });
    };
    let typed = limit_value(value).and_then(|v| {
        let n = name.as_str();
        if n.eq_ignore_ascii_case("MAILMAX") {
            Some(Limit::MailMax(v))
        } else if n.eq_ignore_ascii_case("RCPTMAX") {
            Some(Limit::RcptMax(v))
        } else if n.eq_ignore_ascii_case("RCPTDOMAINMAX") {
            Some(Limit::RcptDomainMax(v))
        } else {
            None
        }
    });
    match typed {
        Some(l) => Some(l),
        None => Some(Limit::Other {
            name,
            value: Some(LimitText::from_bytes(value).ok()?),
        }),
    }
}

/// The typed capability for a known keyword, or `None` when the parameters
/// do not follow its syntax.
fn typed(k: Known, params: Option<&[u8]>) -> Option<Capability<'_>> {
    let bare = |c: Capability<'static>| params.is_none().then_some(c);
    match k {
        Known::Pipelining => bare(Capability::Pipelining),
        Known::EightBitMime => bare(Capability::EightBitMime),
        Known::BinaryMime => bare(Capability::BinaryMime),
        Known::Chunking => bare(Capability::Chunking),
        Known::Dsn => bare(Capability::Dsn),
        Known::SmtpUtf8 => bare(Capability::SmtpUtf8),
        Known::StartTls => bare(Capability::StartTls),
        Known::EnhancedStatusCodes => bare(Capability::EnhancedStatusCodes),
        Known::RequireTls => bare(Capability::RequireTls),
        Known::Vrfy => bare(Capability::Vrfy),
        Known::Etrn => bare(Capability::Etrn),
        Known::Help => bare(Capability::Help),
        Known::Expn => bare(Capability::Expn),
        Known::Size => match params {
            None => Some(Capability::Size(None)),
            Some(p) => number(p).map(|n| Capability::Size(Some(n))),
        },
        Known::DeliverBy => match params {
            None => Some(Capability::DeliverBy(None)),
            Some(p) => number(p).map(|n| Capability::DeliverBy(Some(n))),
        },
        Known::Auth => match params {
            None => Some(Capability::Auth(Vec::new())),
            Some(p) => p
                .split(|&b| b == b' ')
                .map(|m| Mechanism::parse(m).ok())
                .collect::<Option<Vec<_>>>()
                .map(Capability::Auth),
        },
        Known::MtPriority => match params {
            None => Some(Capability::MtPriority(None)),
            Some(p) => PriorityProfile::from_bytes(p)
                .ok()
                .map(|p| Capability::MtPriority(Some(p))),
        },
        Known::FutureRelease => {
            let p = params?;
            let i = memchr::memchr(b' ', p)?;
            let max_interval = number(p.get(..i)?)?;
            let max_datetime = ReleaseDateTime::from_bytes(p.get(i + 1..)?).ok()?;
            Some(Capability::FutureRelease {
                max_interval,
                max_datetime,
            })
        }
        Known::Limits => match params {
            None => Some(Capability::Limits(Vec::new())),
            Some(p) => p
                .split(|&b| b == b' ')
                .map(limit)
                .collect::<Option<Vec<_>>>()
                .map(Capability::Limits),
        },
    }
}

impl<'a> Capability<'a> {
    /// Parses one `ehlo-line` (the text after `250-` or `250 `).
    ///
    /// ```
    /// use smtp_proto::Capability;
    /// assert_eq!(Capability::parse(b"size 1000"), Ok(Capability::Size(Some(1000))));
    /// assert!(matches!(Capability::parse(b"X-EXPS GSSAPI"), Ok(Capability::Unknown { .. })));
    /// assert!(Capability::parse(b"").is_err());
    /// ```
    pub fn parse(line: &'a [u8]) -> Result<Self, SyntaxError> {
        let (keyword, params) = match memchr::memchr(b' ', line) {
            Some(i) => (
                line.get(..i).unwrap_or_default(),
                Some(line.get(i + 1..).unwrap_or_default()),
            ),
            None => (line, None),
        };
        let keyword = EhloKeyword::from_bytes(keyword)?;
        if let Some(cap) = known(keyword.as_str().as_bytes()).and_then(|k| typed(k, params)) {
            return Ok(cap);
        }
        let mut list = Vec::new();
        if let Some(p) = params {
            let mut offset = keyword.as_str().len() + 1;
            for param in p.split(|&b| b == b' ') {
                list.push(EhloParam::new(param).map_err(|e| e.shifted(offset))?);
                offset += param.len() + 1;
            }
        }
        Ok(Capability::Unknown {
            keyword,
            params: list,
        })
    }
}

/// Splits the first line into domain and greeting.
fn first_line(text: &[u8]) -> Result<(&str, Option<&[u8]>), SyntaxError> {
    let (domain, greeting) = match memchr::memchr(b' ', text) {
        Some(i) => (
            text.get(..i).unwrap_or_default(),
            Some(text.get(i + 1..).unwrap_or_default()),
        ),
        None => (text, None),
    };
    check_domain(domain)?;
    if let Some(g) = greeting {
        check_text(g, usize::MAX).map_err(|e| e.shifted(domain.len() + 1))?;
    }
    let domain = std::str::from_utf8(domain)
        .map_err(|e| SyntaxError::at(domain, e.valid_up_to(), "UTF-8"))?;
    Ok((domain, greeting))
}

impl<'a> EhloResponse<'a> {
    /// Reads an EHLO response from a parsed reply, borrowing from the
    /// reply's input where the reply borrows.
    ///
    /// The code must be 250. The first line is `Domain [SP ehlo-greet]`,
    /// each other line one capability.
    pub fn from_reply(reply: &Reply<'a>) -> Result<Self, EhloError> {
        if reply.code() != ReplyCode::OK {
            return Err(EhloError::NotOk(reply.code()));
        }
        let mut lines = reply.lines();
        let first = lines.next().map(|t| t.as_cow());
        let (domain, greeting) = match first {
            Some(Cow::Borrowed(b)) => {
                let (d, g) = first_line(b).map_err(|error| EhloError::Syntax { line: 0, error })?;
                (Cow::Borrowed(d), g.map(Cow::Borrowed))
            }
            Some(Cow::Owned(v)) => {
                let (d, g) = first_line(v).map_err(|error| EhloError::Syntax { line: 0, error })?;
                (Cow::Owned(d.to_owned()), g.map(|g| Cow::Owned(g.to_vec())))
            }
            None => {
                let error = SyntaxError::at(b"", 0, "the server's domain");
                return Err(EhloError::Syntax { line: 0, error });
            }
        };
        let mut capabilities = Vec::with_capacity(reply.line_count().saturating_sub(1));
        for (i, line) in lines.enumerate() {
            let cap = match line.as_cow() {
                Cow::Borrowed(b) => Capability::parse(b),
                Cow::Owned(v) => Capability::parse(v).map(Capability::into_owned),
            };
            let cap = cap.map_err(|error| EhloError::Syntax { line: i + 1, error })?;
            capabilities.push(cap);
        }
        Ok(EhloResponse::from_parts(domain, greeting, capabilities))
    }

    /// Parses a whole EHLO response from the start of `buf` (framing with
    /// default [`ReplyOptions`]), returning it and the bytes it took.
    pub fn parse(buf: &'a [u8]) -> Result<Status<Self>, EhloError> {
        Self::parse_with(buf, &ReplyOptions::default())
    }

    /// [`EhloResponse::parse`] with the given reply options.
    pub fn parse_with(buf: &'a [u8], options: &ReplyOptions) -> Result<Status<Self>, EhloError> {
        match Reply::parse_with(buf, options)? {
            Status::Complete(reply, n) => Ok(Status::Complete(Self::from_reply(&reply)?, n)),
            Status::Incomplete => Ok(Status::Incomplete),
        }
    }
}
