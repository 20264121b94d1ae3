//! Response lines: `+OK`/`-ERR` status lines with the optional response code
//! of RFC 2449 section 3 and 8, the `+ ` SASL continuation of RFC 5034
//! section 4, and the `STAT` answer of RFC 1939 section 5.
//!
//! RFC 2449 section 3:
//!
//! ```text
//! single-line = status [SP text] CRLF
//! status      = "+OK" / "-ERR"
//! text        = *schar / resp-code *CHAR
//! resp-code   = "[" resp-level *("/" resp-level) "]"
//! resp-level  = 1*rchar
//! ```
//!
//! and RFC 5034 section 5: `continue-req = "+" SP [base64] CRLF`.
//!
//! Text that opens with `[` must be a valid response code: a status line
//! whose text starts with `[` but holds no valid code is refused (strict),
//! because [`StatusLine`] could not tell it from a code when written back.
//! A client that only needs to know whether the line was `+OK` or `-ERR`
//! can still ask [`status_of`].

use mail_wire::line::LineError;
use mail_wire::{LimitError, SyntaxError};

use super::{U32_DIGITS, U64_DIGITS, number};
use crate::types::response::{Response, ResponseCode, Stat, Status, StatusLine, is_rchar};
use crate::types::values::{Base64, Text, ValueError};

/// How strictly to parse response lines. `Default` is strict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ResponseOptions {
    /// Accept the status indicator in any case (`+ok`, `-Err`). RFC 1939
    /// section 3 writes them in upper case and every mainstream server
    /// (Dovecot, Courier, Gmail, Exchange) does; a few embedded servers
    /// do not.
    pub case_insensitive_status: bool,
    /// Accept a lone `+` (without its space) as an empty SASL challenge.
    /// RFC 5034 section 4 requires `+ `; some older servers (and RFC 1734
    /// implementations) send `+` alone.
    pub allow_bare_plus: bool,
}

/// Why a response line (or a line of a multi-line block) was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
pub enum ResponseError {
    /// The line breaks the response grammar.
    #[error(transparent)]
    Syntax(#[from] SyntaxError),
    /// A value on the line is invalid (a NUL in the text, a unique-id that is
    /// too long, message number 0...).
    #[error(transparent)]
    Value(#[from] ValueError),
    /// A limit was exceeded: too many lines in a capability list
    /// (`max_capabilities`), or a response line longer than
    /// `max_response_len`.
    #[error(transparent)]
    Limit(#[from] LimitError),
    /// A line of a multi-line block had a bare CR or LF (drop
    /// [`LineError::consumed`] bytes and go on), or was over-long (the
    /// reader has failed: close the connection).
    #[error(transparent)]
    Line(#[from] LineError),
}

impl ResponseError {
    /// Bytes of the buffer to drop, for errors of
    /// [`MultiLineReader::poll`](super::MultiLineReader::poll) (0 for the
    /// errors of single-line parsers, which consume nothing).
    #[must_use]
    pub fn consumed(&self) -> usize {
        match self {
            ResponseError::Line(e) => e.consumed,
            _ => 0,
        }
    }
}

/// The status indicator a line starts with, if any (`+OK` or `-ERR`,
/// exact case), whatever follows. For a client that must know whether a
/// command succeeded even when the rest of the line is malformed.
#[must_use]
pub fn status_of(line: &[u8]) -> Option<Status> {
    if line.starts_with(b"+OK") {
        Some(Status::Ok)
    } else if line.starts_with(b"-ERR") {
        Some(Status::Err)
    } else {
        None
    }
}

fn starts_with(line: &[u8], prefix: &[u8], any_case: bool) -> bool {
    match line.get(..prefix.len()) {
        Some(head) if any_case => head.eq_ignore_ascii_case(prefix),
        Some(head) => head == prefix,
        None => false,
    }
}

impl<'a> Response<'a> {
    /// Parses one response line, without its CRLF, strictly.
    ///
    /// ```
    /// use pop3_proto::{Response, ResponseCode};
    /// let Response::Status(s) = Response::parse(b"-ERR [IN-USE] Mailbox locked").unwrap() else {
    ///     unreachable!()
    /// };
    /// assert_eq!(s.code, Some(ResponseCode::InUse));
    /// assert_eq!(s.text.as_bytes(), b"Mailbox locked");
    /// assert!(matches!(Response::parse(b"+ ").unwrap(), Response::Continue(_)));
    /// ```
    pub fn parse(line: &'a [u8]) -> Result<Response<'a>, ResponseError> {
        Response::parse_with(line, &ResponseOptions::default())
    }

    /// Parses one response line, without its CRLF.
    pub fn parse_with(
        line: &'a [u8],
        opts: &ResponseOptions,
    ) -> Result<Response<'a>, ResponseError> {
        match line.first() {
            Some(b'+') => match line.get(1) {
                Some(b' ') => Ok(Response::Continue(
                    Base64::from_bytes(line.get(2..).unwrap_or_default())
                        .map_err(|e| shift_value(e, 2))?,
                )),
                None if opts.allow_bare_plus => Ok(Response::Continue(Base64::from_bytes(b"")?)),
                _ => StatusLine::parse_with(line, opts).map(Response::Status),
            },
            _ => StatusLine::parse_with(line, opts).map(Response::Status),
        }
    }
}

fn shift_value(e: ValueError, base: usize) -> ValueError {
    match e {
        ValueError::InvalidByte { what, offset, byte } => ValueError::InvalidByte {
            what,
            offset: offset + base,
            byte,
        },
        other => other,
    }
}

impl<'a> StatusLine<'a> {
    /// Parses a `+OK`/`-ERR` line, without its CRLF, strictly.
    ///
    /// ```
    /// use pop3_proto::{Status, StatusLine};
    /// let s = StatusLine::parse(b"+OK Dovecot (Debian) ready.").unwrap();
    /// assert_eq!(s.status, Status::Ok);
    /// assert_eq!(s.text.as_bytes(), b"Dovecot (Debian) ready.");
    /// ```
    pub fn parse(line: &'a [u8]) -> Result<StatusLine<'a>, ResponseError> {
        StatusLine::parse_with(line, &ResponseOptions::default())
    }

    /// Parses a `+OK`/`-ERR` line, without its CRLF.
    pub fn parse_with(
        line: &'a [u8],
        opts: &ResponseOptions,
    ) -> Result<StatusLine<'a>, ResponseError> {
        let any = opts.case_insensitive_status;
        let (status, n) = if starts_with(line, b"+OK", any) {
            (Status::Ok, 3)
        } else if starts_with(line, b"-ERR", any) {
            (Status::Err, 4)
        } else {
            return Err(SyntaxError::at(line, 0, "\"+OK\" or \"-ERR\"").into());
        };
        let text = match line.get(n) {
            None => b"".as_slice(),
            Some(b' ') => line.get(n + 1..).unwrap_or_default(),
            Some(_) => {
                return Err(SyntaxError::at(line, n, "SP or end of line after the status").into());
            }
        };
        let base = n + 1;
        let (code, text) = if text.first() == Some(&b'[') {
            let (code, len) = response_code(text).map_err(|e| e.shifted(base))?;
            let rest = text.get(len..).unwrap_or_default();
            // `resp-code *CHAR`: the text after the code, without the space
            // that normally separates them.
            let rest = rest.strip_prefix(b" ").unwrap_or(rest);
            (Some(code), rest)
        } else {
            (None, text)
        };
        let text = Text::new(text).map_err(|e| shift_value(e, line.len() - text.len()))?;
        Ok(StatusLine { status, code, text })
    }

    /// `+OK count size`, the answer to `STAT` (RFC 1939 section 5).
    #[must_use]
    pub fn stat(stat: Stat) -> StatusLine<'static> {
        let mut v = Vec::with_capacity(32);
        stat.encode_text(&mut v);
        StatusLine {
            status: Status::Ok,
            code: None,
            text: Text::new(v).unwrap_or_default(),
        }
    }
}

/// Parses a `resp-code` at the start of `b` (which starts with `[`):
/// returns the code and the bytes it took, brackets included.
fn response_code(b: &[u8]) -> Result<(ResponseCode<'_>, usize), SyntaxError> {
    let inner_start = 1;
    let mut i = inner_start;
    let mut level_start = i;
    loop {
        match b.get(i) {
            Some(&c) if is_rchar(c) => i += 1,
            Some(b'/') if i > level_start => {
                i += 1;
                level_start = i;
            }
            Some(b']') if i > level_start => break,
            _ => {
                return Err(SyntaxError::at(
                    b,
                    i,
                    "a response code (\"[\" 1*rchar *(\"/\" 1*rchar) \"]\")",
                ));
            }
        }
    }
    let inner = b.get(inner_start..i).unwrap_or_default();
    // Only printable ASCII passed the loop, so this cannot fail.
    let s = core::str::from_utf8(inner)
        .map_err(|_| SyntaxError::at(b, inner_start, "an ASCII response code"))?;
    let code =
        ResponseCode::new(s).map_err(|_| SyntaxError::at(b, inner_start, "a response code"))?;
    Ok((code, i + 1))
}

impl Stat {
    /// Parses the text of a `STAT` answer (after `+OK `): `count SP size`
    /// (RFC 1939 section 5). RFC 1939 "makes no requirement on what follows
    /// the maildrop size", so anything after a further space is ignored.
    ///
    /// ```
    /// use pop3_proto::Stat;
    /// assert_eq!(Stat::parse(b"2 320").unwrap(), Stat { count: 2, size: 320 });
    /// ```
    pub fn parse(text: &[u8]) -> Result<Stat, ResponseError> {
        let (count, size, _) = two_numbers(text, "a message count")?;
        let count =
            u32::try_from(count).map_err(|_| SyntaxError::at(text, 0, "a smaller count"))?;
        Ok(Stat { count, size })
    }

    /// Parses the text of a status line as a `STAT` answer.
    pub fn from_status(line: &StatusLine<'_>) -> Result<Stat, ResponseError> {
        Stat::parse(line.text.as_bytes())
    }
}

/// `n1 SP n2 [SP anything]`: the first a 32-bit number, the second 64-bit.
/// Returns both and the offset of what follows the second.
pub(crate) fn two_numbers(b: &[u8], first: &'static str) -> Result<(u64, u64, usize), SyntaxError> {
    let (a, n) = number(b, 0, U32_DIGITS, u64::from(u32::MAX), first)?;
    if b.get(n) != Some(&b' ') {
        return Err(SyntaxError::at(b, n, "SP"));
    }
    let rest = b.get(n + 1..).unwrap_or_default();
    let (size, m) = number(rest, n + 1, U64_DIGITS, u64::MAX, "a size in octets")?;
    let end = n + 1 + m;
    match b.get(end) {
        None | Some(b' ') => Ok((a, size, end)),
        Some(_) => Err(SyntaxError::at(b, end, "SP or end of line after the size")),
    }
}
