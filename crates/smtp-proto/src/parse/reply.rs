//! Parsing SMTP replies (RFC 5321 section 4.2): incremental, zero-copy,
//! linear in the input however it is split.
//!
//! [`Reply::parse`] parses one reply from the start of a buffer.
//! [`ReplyParser`] does the same but keeps its scan position between calls,
//! so that a long multi-line reply fed in many small pieces costs linear
//! total work: pass it the same growing buffer each time, and after
//! [`Status::Complete`] drop the consumed bytes from the front.
//!
//! ```
//! use mail_wire::Status;
//! use smtp_proto::{ReplyCode, ReplyParser};
//!
//! let mut parser = ReplyParser::new();
//! let mut buf = Vec::new();
//! buf.extend_from_slice(b"250-mail.example.com\r\n250-PIPE");
//! assert!(matches!(parser.parse(&buf), Ok(Status::Incomplete)));
//! buf.extend_from_slice(b"LINING\r\n250 8BITMIME\r\n");
//! let Ok(Status::Complete(reply, used)) = parser.parse(&buf) else { panic!() };
//! assert_eq!(reply.code(), ReplyCode::OK);
//! assert_eq!(reply.line_count(), 3);
//! assert_eq!(used, buf.len());
//! ```
//!
//! Errors are reported with byte offsets counted from the start of the
//! reply. After an error the reply stream cannot be resynchronised (nothing
//! says where the broken reply ends); a client should close the connection.

use std::borrow::Cow;

use mail_wire::line::{Framed, LineErrorKind, LineFramer, LineOptions};
use mail_wire::{LimitError, Status, SyntaxError};

use crate::types::reply::{Reply, ReplyCode, ReplyText};
use crate::types::status::{EnhancedStatusCode, StatusClass};

/// Size limits for one reply.
///
/// Enforced identically however the input is split: a limit is reported
/// when a complete line shows it is exceeded, or as soon as an unfinished
/// line is already longer than `max_line_len`. So a peer can make the
/// parser buffer at most `max_bytes + max_line_len` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReplyLimits {
    /// Longest line, reply code and line ending included. Default 4096.
    ///
    /// RFC 5321 section 4.5.3.1.5 caps reply lines at 512 octets, but it
    /// also asks receivers to be liberal, and servers do send longer lines
    /// (long policy URLs, `554` texts quoting rejected data). 4096 accepts
    /// those at eight times the RFC size while keeping memory bounded.
    pub max_line_len: usize,
    /// Most lines in one reply. Default 1000: EHLO answers have about 20
    /// lines and HELP texts a few dozen; more is a broken or hostile peer.
    pub max_lines: usize,
    /// Most bytes in one reply, line endings included. Default 65536.
    pub max_bytes: usize,
}

impl Default for ReplyLimits {
    fn default() -> Self {
        ReplyLimits {
            max_line_len: 4096,
            max_lines: 1000,
            max_bytes: 65536,
        }
    }
}

/// Options of the reply parser. `Default` is strict about framing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ReplyOptions {
    /// Size limits.
    pub limits: ReplyLimits,
    /// Accept lines ending in a bare LF (default `false`: CRLF only, and a
    /// bare LF is a syntax error).
    ///
    /// For peers whose line endings are mangled in transit or hand-written
    /// test servers (shell and netcat scripts) that write `\n`; Python's
    /// `smtplib` tolerates such replies, which is why they survive in the
    /// wild. A reply parsed this way re-encodes with CRLF.
    pub allow_bare_lf: bool,
    /// Enforce RFC 5321's `textstring`: only HT and printable US-ASCII
    /// (`%d09 / %d32-126`) in reply text (default `false`).
    ///
    /// By default any byte except CR, LF and NUL is accepted, because
    /// servers send UTF-8 text under SMTPUTF8 (RFC 6531) and Latin-1 or
    /// UTF-8 text without it. Turn this on for conformance checking.
    pub strict_text: bool,
}

/// Why a reply could not be parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum ReplyError {
    /// The bytes do not follow the reply grammar.
    #[error(transparent)]
    Syntax(#[from] SyntaxError),
    /// A line carries another code than the reply's first line (RFC 5321
    /// section 4.2.1: every line of a multiline reply has the same code).
    #[error("reply line at byte {offset} has code {found}, but the reply started with {expected}")]
    CodeMismatch {
        /// Offset of the start of the offending line.
        offset: usize,
        /// The first line's code.
        expected: ReplyCode,
        /// The offending line's code.
        found: ReplyCode,
    },
    /// A [`ReplyLimits`] limit was exceeded.
    #[error(transparent)]
    Limit(#[from] LimitError),
}

impl ReplyError {
    /// Byte offset of the error within the reply, where one applies.
    #[must_use]
    pub fn offset(&self) -> Option<usize> {
        match self {
            ReplyError::Syntax(e) => Some(e.offset),
            ReplyError::CodeMismatch { offset, .. } => Some(*offset),
            ReplyError::Limit(_) => None,
        }
    }
}

/// Where an unfinished reply stands between calls of [`ReplyParser::parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Scan {
    /// Start of the first line not yet validated.
    line_start: usize,
    /// Length of the buffer at the previous call (it may only grow).
    seen: usize,
    /// Lines validated so far.
    lines: usize,
    /// Code of the first line, once validated.
    code: Option<ReplyCode>,
}

/// What a validated line says about the reply.
enum LineEnd {
    /// `xyz-`: more lines follow.
    Continues,
    /// `xyz SP` or `xyz`: the reply ends here.
    Last,
}

/// An incremental reply parser that keeps its scan position across calls.
///
/// Contract: pass the same buffer each time, grown at the end. After
/// `Complete(reply, n)`, remove the first `n` bytes before the next call;
/// after `Incomplete`, append and call again; after an error the parser is
/// reset, but the connection cannot be resynchronised. If a buffer shorter
/// than what was already scanned is passed, the parser starts over from
/// byte 0 (it never panics, but total work is then no longer linear).
#[derive(Debug, Clone)]
pub struct ReplyParser {
    options: ReplyOptions,
    /// Finds line ends, keeping its position (the shared `mail-wire` framer).
    framer: LineFramer,
    scan: Scan,
}

impl Default for ReplyParser {
    fn default() -> Self {
        ReplyParser::with_options(ReplyOptions::default())
    }
}

fn framer_for(options: &ReplyOptions) -> LineFramer {
    LineFramer::new(LineOptions {
        max_line_len: options.limits.max_line_len,
        allow_bare_lf: options.allow_bare_lf,
        allow_bare_cr: false,
    })
}

impl ReplyParser {
    /// A parser with default (strict) options.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A parser with the given options.
    #[must_use]
    pub fn with_options(options: ReplyOptions) -> Self {
        ReplyParser {
            framer: framer_for(&options),
            options,
            scan: Scan::default(),
        }
    }

    /// The options in use.
    #[must_use]
    pub fn options(&self) -> &ReplyOptions {
        &self.options
    }

    /// Forgets any partly scanned reply.
    pub fn reset(&mut self) {
        self.scan = Scan::default();
        self.framer.reset();
    }

    /// Parses the reply at the start of `buf`, resuming where the previous
    /// call stopped.
    pub fn parse<'b>(&mut self, buf: &'b [u8]) -> Result<Status<Reply<'b>>, ReplyError> {
        match self.advance(buf) {
            Ok(Some(end)) => {
                self.reset();
                Ok(Status::Complete(build(buf, end), end))
            }
            Ok(None) => Ok(Status::Incomplete),
            Err(e) => {
                self.reset();
                Err(e)
            }
        }
    }

    /// Validates complete lines from the saved position on. Returns the end
    /// of the reply once its last line is validated.
    fn advance(&mut self, buf: &[u8]) -> Result<Option<usize>, ReplyError> {
        if buf.len() < self.scan.seen {
            // Not the same growing buffer: start over.
            self.reset();
        }
        self.scan.seen = buf.len();
        let limits = self.options.limits;
        let too_long = || LimitError::new("max_line_len", limits.max_line_len as u64).into();
        loop {
            let start = self.scan.line_start;
            let line = match self.framer.poll(buf.get(start..).unwrap_or_default()) {
                Ok(Framed::Incomplete) => return Ok(None),
                // The line is already longer than the limit.
                Ok(Framed::Skip(_)) => return Err(too_long()),
                Ok(Framed::Line(line)) => line,
                Err(e) => {
                    return Err(match e.kind {
                        LineErrorKind::TooLong { .. } => too_long(),
                        LineErrorKind::BareLf { offset } => SyntaxError::at(
                            buf,
                            start.saturating_add(offset),
                            "CR before LF (bare LF)",
                        )
                        .into(),
                        LineErrorKind::BareCr { offset } => SyntaxError::at(
                            buf,
                            start.saturating_add(offset),
                            "reply text without CR or NUL",
                        )
                        .into(),
                    });
                }
            };
            let end = start.saturating_add(line.consumed);
            let kind = self.line(buf, start, end)?;
            self.scan.lines = self.scan.lines.saturating_add(1);
            if self.scan.lines > limits.max_lines {
                return Err(LimitError::new("max_lines", limits.max_lines as u64).into());
            }
            match kind {
                LineEnd::Last => return Ok(Some(end)),
                LineEnd::Continues => {
                    if self.scan.lines >= limits.max_lines {
                        // Another line must follow, and it would be one too many.
                        return Err(LimitError::new("max_lines", limits.max_lines as u64).into());
                    }
                    self.scan.line_start = end;
                }
            }
        }
    }

    /// Validates the complete line `buf[start..end]` (LF included).
    fn line(&mut self, buf: &[u8], start: usize, end: usize) -> Result<LineEnd, ReplyError> {
        let limits = &self.options.limits;
        // The framer checked the line's length and its line ending.
        let line = buf.get(start..end).unwrap_or_default();
        if end > limits.max_bytes {
            return Err(LimitError::new("max_bytes", limits.max_bytes as u64).into());
        }
        let content = content_of(line);
        let code = parse_code(content)
            .map_err(|e| SyntaxError::at(buf, start.saturating_add(e.offset), e.expected))?;
        if let Some(expected) = self.scan.code {
            if expected != code {
                return Err(ReplyError::CodeMismatch {
                    offset: start,
                    expected,
                    found: code,
                });
            }
        } else {
            self.scan.code = Some(code);
        }
        let (kind, text) = match content.get(3..) {
            None | Some([]) => (LineEnd::Last, &[][..]),
            Some([b' ', text @ ..]) => (LineEnd::Last, text),
            Some([b'-', text @ ..]) => (LineEnd::Continues, text),
            Some(_) => {
                return Err(SyntaxError::at(
                    buf,
                    start.saturating_add(3),
                    "SP, '-' or CRLF after the reply code",
                )
                .into());
            }
        };
        let text_start = start.saturating_add(4);
        if self.options.strict_text {
            if let Some(pos) = text
                .iter()
                .position(|&b| !(b == b'\t' || (32..=126).contains(&b)))
            {
                return Err(SyntaxError::at(
                    buf,
                    text_start.saturating_add(pos),
                    "HT or printable US-ASCII (RFC 5321 textstring)",
                )
                .into());
            }
        } else if let Some(pos) = memchr::memchr(0, text) {
            return Err(SyntaxError::at(
                buf,
                text_start.saturating_add(pos),
                "reply text without CR or NUL",
            )
            .into());
        }
        Ok(kind)
    }
}

/// A line without its LF and the CR before it, if any.
fn content_of(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Parses the reply code at the start of a line (offsets relative to it).
fn parse_code(line: &[u8]) -> Result<ReplyCode, SyntaxError> {
    let digit = |i: usize, max: u8, expected: &'static str| match line.get(i) {
        Some(&b) if b >= b'0' && b <= max => Ok(u16::from(b - b'0')),
        _ => Err(SyntaxError::at(line, i, expected)),
    };
    let x = digit(0, b'5', "reply code digit 2-5")?;
    if x < 2 {
        return Err(SyntaxError::at(line, 0, "reply code digit 2-5"));
    }
    let y = digit(1, b'5', "reply code digit 0-5")?;
    let z = digit(2, b'9', "reply code digit 0-9")?;
    Ok(ReplyCode::from_valid(x * 100 + y * 10 + z))
}

/// The text of a validated line's content.
fn text_of(content: &[u8]) -> ReplyText<'_> {
    ReplyText::from_checked(Cow::Borrowed(content.get(4..).unwrap_or_default()))
}

/// Builds the reply from `buf[..end]`, whose lines have all been validated.
fn build(buf: &[u8], end: usize) -> Reply<'_> {
    let reply = buf.get(..end).unwrap_or_default();
    let mut lines = reply.split_inclusive(|&b| b == b'\n').map(content_of);
    let first = lines.next().unwrap_or_default();
    let code = parse_code(first).unwrap_or(ReplyCode::OK);
    let mut bare = first.len() <= 3;
    let first_text = text_of(first);
    let mut rest = Vec::new();
    for line in lines {
        bare = line.len() <= 3;
        rest.push(text_of(line));
    }
    Reply::from_parts(code, first_text, rest, bare)
}

impl<'a> Reply<'a> {
    /// Parses one reply from the start of `buf` with default options.
    ///
    /// Returns the reply and the number of bytes it took, or `Incomplete`
    /// if `buf` ends before the reply does. Calling this again on a longer
    /// buffer rescans from the start; use [`ReplyParser`] when feeding a
    /// stream.
    ///
    /// ```
    /// use mail_wire::Status;
    /// use smtp_proto::{EnhancedStatusCode, Reply};
    ///
    /// let Ok(Status::Complete(r, n)) = Reply::parse(b"550 5.1.1 No such user\r\nrest") else {
    ///     panic!()
    /// };
    /// assert_eq!(n, 24);
    /// assert_eq!(r.code().as_u16(), 550);
    /// assert_eq!(r.enhanced_code(), Some(EnhancedStatusCode::BAD_DESTINATION_MAILBOX));
    /// assert_eq!(r.first_line().message(), b"No such user");
    /// ```
    pub fn parse(buf: &'a [u8]) -> Result<Status<Reply<'a>>, ReplyError> {
        ReplyParser::new().parse(buf)
    }

    /// [`Reply::parse`] with the given options.
    pub fn parse_with(
        buf: &'a [u8],
        options: &ReplyOptions,
    ) -> Result<Status<Reply<'a>>, ReplyError> {
        ReplyParser::with_options(*options).parse(buf)
    }
}

impl ReplyCode {
    /// Parses exactly three digits as a reply code.
    pub fn parse(bytes: &[u8]) -> Result<Self, SyntaxError> {
        let code = parse_code(bytes)?;
        if bytes.len() > 3 {
            return Err(SyntaxError::at(bytes, 3, "end of the reply code"));
        }
        Ok(code)
    }
}

impl core::str::FromStr for ReplyCode {
    type Err = SyntaxError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s.as_bytes())
    }
}

/// Parses a sub-code (1 to 3 digits, no leading zero) at `i`; returns the
/// value and the index after it.
fn sub_code(bytes: &[u8], i: usize, expected: &'static str) -> Result<(u16, usize), SyntaxError> {
    let mut value: u16 = 0;
    let mut n = 0usize;
    while let Some(&b) = bytes.get(i.saturating_add(n)) {
        if !b.is_ascii_digit() {
            break;
        }
        if n == 1 && value == 0 {
            return Err(SyntaxError::at(
                bytes,
                i,
                "a sub-code without leading zeros",
            ));
        }
        if n == 3 {
            return Err(SyntaxError::at(
                bytes,
                i.saturating_add(3),
                "at most 3 digits",
            ));
        }
        value = value * 10 + u16::from(b - b'0');
        n += 1;
    }
    if n == 0 {
        return Err(SyntaxError::at(bytes, i, expected));
    }
    Ok((value, i.saturating_add(n)))
}

/// Parses a status code at the start of `bytes`; returns it and its length.
fn enhanced_prefix(bytes: &[u8]) -> Result<(EnhancedStatusCode, usize), SyntaxError> {
    let class = match bytes.first() {
        Some(b'2') => StatusClass::Success,
        Some(b'4') => StatusClass::PersistentTransientFailure,
        Some(b'5') => StatusClass::PermanentFailure,
        _ => return Err(SyntaxError::at(bytes, 0, "status class 2, 4 or 5")),
    };
    if bytes.get(1) != Some(&b'.') {
        return Err(SyntaxError::at(bytes, 1, "'.'"));
    }
    let (subject, i) = sub_code(bytes, 2, "a subject sub-code")?;
    if bytes.get(i) != Some(&b'.') {
        return Err(SyntaxError::at(bytes, i, "'.'"));
    }
    let (detail, end) = sub_code(bytes, i.saturating_add(1), "a detail sub-code")?;
    Ok((EnhancedStatusCode::from_valid(class, subject, detail), end))
}

impl EnhancedStatusCode {
    /// Parses a status code (RFC 3463 section 2); the whole input must be
    /// the code. Sub-codes with leading zeros are refused, as the RFC
    /// requires them to be written without.
    pub fn parse(bytes: &[u8]) -> Result<Self, SyntaxError> {
        let (code, end) = enhanced_prefix(bytes)?;
        if end != bytes.len() {
            return Err(SyntaxError::at(bytes, end, "end of the status code"));
        }
        Ok(code)
    }
}

impl core::str::FromStr for EnhancedStatusCode {
    type Err = SyntaxError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s.as_bytes())
    }
}

/// Splits an RFC 2034 status code (followed by SP or the end) off the start
/// of a reply text.
pub(crate) fn split_enhanced(text: &[u8]) -> (Option<EnhancedStatusCode>, &[u8]) {
    match enhanced_prefix(text) {
        Ok((code, end)) => match text.get(end..) {
            Some([]) => (Some(code), &[]),
            Some([b' ', rest @ ..]) => (Some(code), rest),
            _ => (None, text),
        },
        Err(_) => (None, text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete(input: &[u8]) -> (Reply<'_>, usize) {
        match Reply::parse(input) {
            Ok(Status::Complete(r, n)) => (r, n),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn single_line_forms() {
        let (r, n) = complete(b"250 OK\r\n");
        assert_eq!(
            (r.code(), n, r.first_line().as_bytes()),
            (ReplyCode::OK, 8, &b"OK"[..])
        );
        let (r, _) = complete(b"250\r\n");
        assert!(r.is_bare_code() && r.first_line().is_empty());
        let (r, _) = complete(b"250 \r\n");
        assert!(!r.is_bare_code() && r.first_line().is_empty());
    }

    #[test]
    fn incomplete_until_last_line() {
        assert_eq!(Reply::parse(b""), Ok(Status::Incomplete));
        assert_eq!(Reply::parse(b"250-a\r\n"), Ok(Status::Incomplete));
        assert_eq!(Reply::parse(b"250-a\r\n250 b\r"), Ok(Status::Incomplete));
    }

    #[test]
    fn enhanced_split() {
        assert_eq!(split_enhanced(b"2.1.0 Ok").1, b"Ok");
        assert_eq!(
            split_enhanced(b"2.1.0").0,
            Some(EnhancedStatusCode::SENDER_OK)
        );
        assert_eq!(split_enhanced(b"2.1.0x").0, None);
        assert_eq!(split_enhanced(b"2.01.0 x").0, None);
        assert_eq!(split_enhanced(b"2.1.0  two").1, b" two");
        assert!(EnhancedStatusCode::parse(b"5.1.1000").is_err());
        assert!(EnhancedStatusCode::parse(b"5.1000.1").is_err());
        assert!(EnhancedStatusCode::parse(b"5..1").is_err());
        assert_eq!(
            EnhancedStatusCode::parse(b"5.999.0").map(|c| c.subject()),
            Ok(999)
        );
    }
}
