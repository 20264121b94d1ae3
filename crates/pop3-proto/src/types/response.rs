//! POP3 responses: the `+OK`/`-ERR` status line with its optional RFC 2449
//! response code (section 3 and section 8), and the SASL continuation of
//! RFC 5034 section 4.

use std::borrow::Cow;

use super::values::{Base64, Text, ValueError};

/// The status indicator of a response (RFC 1939 section 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// `+OK`.
    Ok,
    /// `-ERR`.
    Err,
}

impl Status {
    /// The indicator as written on the wire.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "+OK",
            Status::Err => "-ERR",
        }
    }
}

/// An extended response code (RFC 2449 section 8), the bracketed part that
/// may open the text of a status line: `-ERR [IN-USE] ...`.
///
/// Codes are hierarchical (`SYS/TEMP`); the known ones are typed and any
/// other is kept as sent in [`ResponseCode::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ResponseCode<'a> {
    /// `IN-USE`: the maildrop is locked by another session (RFC 2449
    /// section 8.1.1).
    InUse,
    /// `LOGIN-DELAY`: the user logged in too recently (RFC 2449 section
    /// 8.1.2).
    LoginDelay,
    /// `SYS/TEMP`: a temporary system problem (RFC 3206 section 4).
    SysTemp,
    /// `SYS/PERM`: a permanent system problem (RFC 3206 section 4).
    SysPerm,
    /// `AUTH`: the credentials were wrong or authorization failed (RFC 3206
    /// section 5).
    Auth,
    /// `UTF8`: the command needs the `UTF8` command first (RFC 6856
    /// section 2).
    Utf8,
    /// Any other code, as sent: one or more levels of `rchar` joined by `/`
    /// (RFC 2449 section 3).
    Other(Cow<'a, str>),
}

/// Whether `b` is an `rchar` of RFC 2449 section 3: printable ASCII other
/// than `/` and `]`.
pub(crate) fn is_rchar(b: u8) -> bool {
    (0x21..=0x7e).contains(&b) && b != b'/' && b != b']'
}

impl<'a> ResponseCode<'a> {
    /// The code for its text (case-insensitive for the known codes; an
    /// unknown code must be levels of `rchar` separated by `/`).
    pub fn new(s: impl Into<Cow<'a, str>>) -> Result<Self, ValueError> {
        let s = s.into();
        let known = [
            ("IN-USE", ResponseCode::InUse),
            ("LOGIN-DELAY", ResponseCode::LoginDelay),
            ("SYS/TEMP", ResponseCode::SysTemp),
            ("SYS/PERM", ResponseCode::SysPerm),
            ("AUTH", ResponseCode::Auth),
            ("UTF8", ResponseCode::Utf8),
        ];
        for (name, code) in known {
            if s.eq_ignore_ascii_case(name) {
                return Ok(code);
            }
        }
        if s.is_empty() {
            return Err(ValueError::Empty {
                what: "response code",
            });
        }
        for (i, level) in s.split('/').enumerate() {
            if level.is_empty() {
                return Err(ValueError::Empty {
                    what: "response code level",
                });
            }
            if let Some(p) = level.bytes().position(|b| !is_rchar(b)) {
                let offset = s.split('/').take(i).map(|l| l.len() + 1).sum::<usize>() + p;
                return Err(ValueError::InvalidByte {
                    what: "response code",
                    offset,
                    byte: level.as_bytes().get(p).copied().unwrap_or(0),
                });
            }
        }
        Ok(ResponseCode::Other(s))
    }

    /// The code as written between the brackets.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            ResponseCode::InUse => "IN-USE",
            ResponseCode::LoginDelay => "LOGIN-DELAY",
            ResponseCode::SysTemp => "SYS/TEMP",
            ResponseCode::SysPerm => "SYS/PERM",
            ResponseCode::Auth => "AUTH",
            ResponseCode::Utf8 => "UTF8",
            ResponseCode::Other(s) => s,
        }
    }

    /// Whether the failure is temporary (`IN-USE`, `LOGIN-DELAY`,
    /// `SYS/TEMP`): worth trying again later without changing anything.
    #[must_use]
    pub fn is_temporary(&self) -> bool {
        matches!(
            self,
            ResponseCode::InUse | ResponseCode::LoginDelay | ResponseCode::SysTemp
        )
    }

    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> ResponseCode<'static> {
        match self {
            ResponseCode::InUse => ResponseCode::InUse,
            ResponseCode::LoginDelay => ResponseCode::LoginDelay,
            ResponseCode::SysTemp => ResponseCode::SysTemp,
            ResponseCode::SysPerm => ResponseCode::SysPerm,
            ResponseCode::Auth => ResponseCode::Auth,
            ResponseCode::Utf8 => ResponseCode::Utf8,
            ResponseCode::Other(s) => ResponseCode::Other(Cow::Owned(s.into_owned())),
        }
    }
}

/// A status line: `+OK` or `-ERR`, an optional response code, and text
/// (RFC 2449 section 3: `single-line = status [SP text] CRLF`).
///
/// When `code` is `None` the text should not begin with `[`, or it would be
/// read back as a code; [`StatusLine::new`] refuses such text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StatusLine<'a> {
    /// `+OK` or `-ERR`.
    pub status: Status,
    /// The RFC 2449 response code, if any.
    pub code: Option<ResponseCode<'a>>,
    /// The human-readable text (may be empty), byte-exact.
    pub text: Text<'a>,
}

impl<'a> StatusLine<'a> {
    /// A status line; refuses text that starts with `[` when there is no code.
    pub fn new(
        status: Status,
        code: Option<ResponseCode<'a>>,
        text: Text<'a>,
    ) -> Result<Self, ValueError> {
        if code.is_none() && text.as_bytes().first() == Some(&b'[') {
            return Err(ValueError::InvalidByte {
                what: "status text without a response code",
                offset: 0,
                byte: b'[',
            });
        }
        Ok(StatusLine { status, code, text })
    }

    /// `+OK text`, or an error if `text` contains CR, LF or NUL or starts
    /// with `[`.
    pub fn ok(text: &'a str) -> Result<Self, ValueError> {
        StatusLine::new(Status::Ok, None, Text::try_from(text)?)
    }

    /// `-ERR text`, or an error if `text` contains CR, LF or NUL or starts
    /// with `[`.
    pub fn err(text: &'a str) -> Result<Self, ValueError> {
        StatusLine::new(Status::Err, None, Text::try_from(text)?)
    }

    /// `-ERR [code] text`.
    pub fn err_with_code(code: ResponseCode<'a>, text: &'a str) -> Result<Self, ValueError> {
        StatusLine::new(Status::Err, Some(code), Text::try_from(text)?)
    }

    /// Whether this is `+OK`.
    #[must_use]
    pub fn is_ok(&self) -> bool {
        self.status == Status::Ok
    }

    /// The APOP timestamp of a greeting (RFC 1939 section 7): the first
    /// `<...>` in the text that contains an `@` and no space, with its
    /// angle brackets, or `None` when the server offers no APOP.
    #[must_use]
    pub fn apop_timestamp(&self) -> Option<&[u8]> {
        let t = self.text.as_bytes();
        let mut rest = t;
        let mut base = 0usize;
        while let Some(open) = memchr::memchr(b'<', rest) {
            let after = rest.get(open..)?;
            let close = memchr::memchr(b'>', after)?;
            let candidate = after.get(..=close)?;
            let inner = candidate.get(1..close)?;
            if !inner.is_empty()
                && inner.contains(&b'@')
                && !inner
                    .iter()
                    .any(|&b| b == b' ' || b == b'<' || !(0x21..=0x7e).contains(&b))
            {
                return t.get(base + open..base + open + close + 1);
            }
            base += open + 1;
            rest = rest.get(open + 1..)?;
        }
        None
    }

    /// The same value, owning everything it borrowed.
    #[must_use]
    pub fn into_owned(self) -> StatusLine<'static> {
        StatusLine {
            status: self.status,
            code: self.code.map(ResponseCode::into_owned),
            text: self.text.into_owned(),
        }
    }
}

/// One response line from a server.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Response<'a> {
    /// `+OK ...` or `-ERR ...`.
    Status(StatusLine<'a>),
    /// `+ [base64]`: a SASL challenge during `AUTH` (RFC 5034 section 4).
    Continue(Base64<'a>),
}

impl Response<'_> {
    /// The same value, owning everything it borrowed.
    #[must_use]
    pub fn into_owned(self) -> Response<'static> {
        match self {
            Response::Status(s) => Response::Status(s.into_owned()),
            Response::Continue(c) => Response::Continue(c.into_owned()),
        }
    }
}

/// The answer to `STAT` (RFC 1939 section 5): `+OK count size`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stat {
    /// Messages in the maildrop (not counting those marked deleted).
    pub count: u32,
    /// Their total size in octets, as sent (CRLF line endings, stuffing not
    /// counted).
    pub size: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apop_timestamp_from_rfc1939_greeting() {
        let g = StatusLine::ok("POP3 server ready <1896.697170952@dbc.mtview.ca.us>").unwrap();
        assert_eq!(
            g.apop_timestamp(),
            Some(&b"<1896.697170952@dbc.mtview.ca.us>"[..])
        );
        let g = StatusLine::ok("a <b> <c d@e> <x@y>").unwrap();
        assert_eq!(g.apop_timestamp(), Some(&b"<x@y>"[..]));
        assert_eq!(
            StatusLine::ok("Dovecot ready.").unwrap().apop_timestamp(),
            None
        );
    }

    #[test]
    fn response_codes() {
        assert_eq!(ResponseCode::new("in-use").unwrap(), ResponseCode::InUse);
        assert_eq!(
            ResponseCode::new("SYS/TEMP").unwrap(),
            ResponseCode::SysTemp
        );
        assert!(matches!(
            ResponseCode::new("X/Y-Z").unwrap(),
            ResponseCode::Other(_)
        ));
        assert!(ResponseCode::new("A//B").is_err());
        assert!(ResponseCode::new("A]").is_err());
        assert!(ResponseCode::new("").is_err());
        assert!(StatusLine::err("[oops").is_err());
    }
}
