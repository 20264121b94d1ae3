//! SMTP replies (RFC 5321 section 4.2): a three-digit code and one or more
//! lines of text.
//!
//! ```text
//! Reply-line = *( Reply-code "-" [ textstring ] CRLF )
//!              Reply-code [ SP textstring ] CRLF
//! Reply-code = %x32-35 %x30-35 %x30-39
//! ```
//!
//! A [`Reply`] keeps each line's text byte for byte, so that re-encoding a
//! parsed reply gives back the bytes it came from. The enhanced status code
//! of RFC 2034 is not split off when parsing: it is read from the start of
//! the text on demand ([`ReplyText::enhanced_code`]), because only the client
//! knows whether the server announced ENHANCEDSTATUSCODES.
//!
//! ```
//! use smtp_proto::{EnhancedStatusCode, Reply, ReplyCode};
//!
//! let reply = Reply::with_enhanced(
//!     ReplyCode::OK,
//!     EnhancedStatusCode::SENDER_OK,
//!     "Originator ok",
//! )
//! .unwrap();
//! assert_eq!(reply.to_bytes(), b"250 2.1.0 Originator ok\r\n");
//! assert_eq!(reply.enhanced_code(), Some(EnhancedStatusCode::SENDER_OK));
//! ```

use std::borrow::Cow;
use std::fmt;

use mail_wire::SyntaxError;

use crate::types::status::EnhancedStatusCode;

/// Longest reply line RFC 5321 section 4.5.3.1.5 allows, code and CRLF
/// included.
pub const MAX_REPLY_LINE_LEN: usize = 512;

/// Longest text a built reply line may carry: [`MAX_REPLY_LINE_LEN`] minus
/// the code, the separator and CRLF.
pub const MAX_REPLY_TEXT_LEN: usize = MAX_REPLY_LINE_LEN - 6;

/// A reply code was out of the range RFC 5321 section 4.2 allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("invalid SMTP reply code {0}: the digits must be 2-5, 0-5 and 0-9")]
pub struct InvalidReplyCode(pub u16);

/// What the first digit of a reply code says (RFC 5321 section 4.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    /// `2yz`: the requested action has been completed.
    PositiveCompletion,
    /// `3yz`: accepted, waiting for more information (`354`, `334`).
    PositiveIntermediate,
    /// `4yz`: not done, but the error is temporary.
    TransientNegative,
    /// `5yz`: not done, and it will not be done when repeated.
    PermanentNegative,
}

/// What the second digit of a reply code says (RFC 5321 section 4.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// `x0z`: syntax.
    Syntax,
    /// `x1z`: information.
    Information,
    /// `x2z`: the transmission channel.
    Connections,
    /// `x3z` and `x4z`: not specified by RFC 5321.
    Unspecified,
    /// `x5z`: the state of the receiver mail system.
    MailSystem,
}

/// A reply code: three digits, the first 2-5, the second 0-5, the third 0-9
/// (RFC 5321 section 4.2).
///
/// ```
/// use smtp_proto::ReplyCode;
/// let c = ReplyCode::new(451).unwrap();
/// assert!(c.is_transient());
/// assert_eq!(c.to_string(), "451");
/// assert!(ReplyCode::new(600).is_err());
/// assert!(ReplyCode::new(260).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReplyCode(u16);

impl ReplyCode {
    /// Validates a code given as a number.
    pub const fn new(code: u16) -> Result<Self, InvalidReplyCode> {
        let (x, y) = (code / 100, code / 10 % 10);
        if x >= 2 && x <= 5 && y <= 5 && code < 600 {
            Ok(ReplyCode(code))
        } else {
            Err(InvalidReplyCode(code))
        }
    }

    /// From three digit values the caller has range-checked.
    pub(crate) const fn from_valid(code: u16) -> Self {
        ReplyCode(code)
    }

    /// The code as a number.
    #[must_use]
    pub const fn as_u16(self) -> u16 {
        self.0
    }

    /// The three ASCII digits as they go on the wire.
    #[must_use]
    pub const fn digits(self) -> [u8; 3] {
        [
            b'0' + (self.0 / 100) as u8,
            b'0' + (self.0 / 10 % 10) as u8,
            b'0' + (self.0 % 10) as u8,
        ]
    }

    /// The severity the first digit gives.
    #[must_use]
    pub const fn severity(self) -> Severity {
        match self.0 / 100 {
            2 => Severity::PositiveCompletion,
            3 => Severity::PositiveIntermediate,
            4 => Severity::TransientNegative,
            _ => Severity::PermanentNegative,
        }
    }

    /// The category the second digit gives.
    #[must_use]
    pub const fn category(self) -> Category {
        match self.0 / 10 % 10 {
            0 => Category::Syntax,
            1 => Category::Information,
            2 => Category::Connections,
            5 => Category::MailSystem,
            _ => Category::Unspecified,
        }
    }

    /// `2yz`: positive completion.
    #[must_use]
    pub const fn is_positive_completion(self) -> bool {
        self.0 / 100 == 2
    }

    /// `3yz`: positive intermediate (send more: `354`, `334`).
    #[must_use]
    pub const fn is_intermediate(self) -> bool {
        self.0 / 100 == 3
    }

    /// `4yz`: transient negative completion.
    #[must_use]
    pub const fn is_transient(self) -> bool {
        self.0 / 100 == 4
    }

    /// `5yz`: permanent negative completion.
    #[must_use]
    pub const fn is_permanent(self) -> bool {
        self.0 / 100 == 5
    }

    /// `2yz` or `3yz`.
    #[must_use]
    pub const fn is_positive(self) -> bool {
        self.0 < 400
    }

    /// `4yz` or `5yz`.
    #[must_use]
    pub const fn is_negative(self) -> bool {
        self.0 >= 400
    }

    // RFC 5321 section 4.2.3 and the extensions' codes.

    /// `211` System status, or system help reply.
    pub const SYSTEM_STATUS: Self = ReplyCode(211);
    /// `214` Help message.
    pub const HELP: Self = ReplyCode(214);
    /// `220` `<domain>` Service ready.
    pub const SERVICE_READY: Self = ReplyCode(220);
    /// `221` `<domain>` Service closing transmission channel.
    pub const SERVICE_CLOSING: Self = ReplyCode(221);
    /// `235` Authentication successful (RFC 4954).
    pub const AUTH_SUCCEEDED: Self = ReplyCode(235);
    /// `250` Requested mail action okay, completed.
    pub const OK: Self = ReplyCode(250);
    /// `251` User not local; will forward.
    pub const USER_NOT_LOCAL_WILL_FORWARD: Self = ReplyCode(251);
    /// `252` Cannot VRFY user, but will accept message and attempt delivery.
    pub const CANNOT_VRFY: Self = ReplyCode(252);
    /// `334` Server challenge in an AUTH exchange (RFC 4954).
    pub const AUTH_CONTINUE: Self = ReplyCode(334);
    /// `354` Start mail input; end with `<CRLF>.<CRLF>`.
    pub const START_MAIL_INPUT: Self = ReplyCode(354);
    /// `421` Service not available, closing transmission channel.
    pub const SERVICE_NOT_AVAILABLE: Self = ReplyCode(421);
    /// `432` A password transition is needed (RFC 4954).
    pub const PASSWORD_TRANSITION_NEEDED: Self = ReplyCode(432);
    /// `450` Requested mail action not taken: mailbox unavailable.
    pub const MAILBOX_BUSY: Self = ReplyCode(450);
    /// `451` Requested action aborted: local error in processing.
    pub const LOCAL_ERROR: Self = ReplyCode(451);
    /// `452` Requested action not taken: insufficient system storage.
    pub const INSUFFICIENT_STORAGE: Self = ReplyCode(452);
    /// `454` Temporary authentication failure (RFC 4954), or TLS not
    /// available due to temporary reason (RFC 3207).
    pub const TEMP_AUTH_FAILURE: Self = ReplyCode(454);
    /// `455` Server unable to accommodate parameters.
    pub const PARAMS_NOT_ACCOMMODATED: Self = ReplyCode(455);
    /// `500` Syntax error, command unrecognized (also: line too long).
    pub const SYNTAX_ERROR: Self = ReplyCode(500);
    /// `501` Syntax error in parameters or arguments.
    pub const PARAM_SYNTAX_ERROR: Self = ReplyCode(501);
    /// `502` Command not implemented.
    pub const NOT_IMPLEMENTED: Self = ReplyCode(502);
    /// `503` Bad sequence of commands.
    pub const BAD_SEQUENCE: Self = ReplyCode(503);
    /// `504` Command parameter not implemented.
    pub const PARAM_NOT_IMPLEMENTED: Self = ReplyCode(504);
    /// `521` Host does not accept mail (RFC 7504).
    pub const DOES_NOT_ACCEPT_MAIL: Self = ReplyCode(521);
    /// `530` Authentication required (RFC 4954), or must issue STARTTLS
    /// first (RFC 3207).
    pub const AUTH_REQUIRED: Self = ReplyCode(530);
    /// `534` Authentication mechanism is too weak (RFC 4954).
    pub const AUTH_MECHANISM_TOO_WEAK: Self = ReplyCode(534);
    /// `535` Authentication credentials invalid (RFC 4954).
    pub const AUTH_FAILED: Self = ReplyCode(535);
    /// `538` Encryption required for requested authentication mechanism
    /// (RFC 4954).
    pub const ENCRYPTION_REQUIRED: Self = ReplyCode(538);
    /// `550` Requested action not taken: mailbox unavailable.
    pub const MAILBOX_UNAVAILABLE: Self = ReplyCode(550);
    /// `551` User not local; please try `<forward-path>`.
    pub const USER_NOT_LOCAL: Self = ReplyCode(551);
    /// `552` Requested mail action aborted: exceeded storage allocation.
    pub const EXCEEDED_STORAGE: Self = ReplyCode(552);
    /// `553` Requested action not taken: mailbox name not allowed.
    pub const MAILBOX_NAME_NOT_ALLOWED: Self = ReplyCode(553);
    /// `554` Transaction failed (or, as a greeting, no SMTP service here).
    pub const TRANSACTION_FAILED: Self = ReplyCode(554);
    /// `555` MAIL FROM/RCPT TO parameters not recognized or not implemented.
    pub const PARAMS_NOT_RECOGNIZED: Self = ReplyCode(555);
    /// `556` Domain does not accept mail (RFC 7504).
    pub const DOMAIN_DOES_NOT_ACCEPT_MAIL: Self = ReplyCode(556);
}

impl fmt::Display for ReplyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:03}", self.0)
    }
}

impl TryFrom<u16> for ReplyCode {
    type Error = InvalidReplyCode;

    fn try_from(code: u16) -> Result<Self, Self::Error> {
        ReplyCode::new(code)
    }
}

impl From<ReplyCode> for u16 {
    fn from(code: ReplyCode) -> u16 {
        code.0
    }
}

/// The text of one reply line: the bytes after `xyz-` or `xyz SP`, without
/// the line ending.
///
/// Any byte except CR, LF and NUL is allowed. RFC 5321 section 4.2 restricts
/// `textstring` to HT and printable US-ASCII, but servers send UTF-8 text
/// under SMTPUTF8 (RFC 6531 section 3.7.4.2) and in practice also without
/// it; CR, LF and NUL are what break framing or C peers, so those are the
/// bytes this type refuses. The strict RFC 5321 check is available on the
/// parser as [`crate::parse::reply::ReplyOptions::strict_text`].
///
/// Built texts are at most [`MAX_REPLY_TEXT_LEN`] bytes so that a built line
/// fits RFC 5321's 512-byte reply line; parsed texts may be longer when the
/// parser's limits allow it (servers exceed 512 bytes in the wild).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReplyText<'a>(Cow<'a, [u8]>);

/// Checks the bytes of a text: no CR, LF or NUL, at most `max` bytes.
pub(crate) fn check_text(text: &[u8], max: usize) -> Result<(), SyntaxError> {
    if let Some(pos) = memchr::memchr3(b'\r', b'\n', 0, text) {
        return Err(SyntaxError::at(
            text,
            pos,
            "reply text without CR, LF or NUL",
        ));
    }
    if text.len() > max {
        return Err(SyntaxError::at(
            text,
            max,
            "at most 506 bytes of reply text (RFC 5321 4.5.3.1.5)",
        ));
    }
    Ok(())
}

impl<'a> ReplyText<'a> {
    /// Validates a text given as a string.
    pub fn new(text: impl Into<Cow<'a, str>>) -> Result<Self, SyntaxError> {
        let bytes = match text.into() {
            Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
        };
        Self::from_bytes(bytes)
    }

    /// Validates a text given as bytes (which need not be UTF-8).
    pub fn from_bytes(text: impl Into<Cow<'a, [u8]>>) -> Result<Self, SyntaxError> {
        let text = text.into();
        check_text(&text, MAX_REPLY_TEXT_LEN)?;
        Ok(ReplyText(text))
    }

    /// For bytes the parser or an encoder has already checked for CR, LF and
    /// NUL (the length is not re-checked).
    pub(crate) fn from_checked(text: Cow<'a, [u8]>) -> Self {
        ReplyText(text)
    }

    /// The empty text.
    #[must_use]
    pub const fn empty() -> Self {
        ReplyText(Cow::Borrowed(b""))
    }

    /// The raw text bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The raw text, borrowed with the input's lifetime where possible.
    pub(crate) fn as_cow(&self) -> &Cow<'a, [u8]> {
        &self.0
    }

    /// The text as `&str` if it is valid UTF-8.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.0).ok()
    }

    /// The text as a string, with invalid UTF-8 replaced by U+FFFD.
    #[must_use]
    pub fn to_str_lossy(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.0)
    }

    /// Length in bytes.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// `true` when the line carries no text.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The RFC 2034 enhanced status code at the start of the text, if the
    /// text starts with one followed by SP or the end of the text.
    ///
    /// Whether such a prefix *is* an enhanced status code depends on the
    /// server having announced ENHANCEDSTATUSCODES; the caller decides.
    #[must_use]
    pub fn enhanced_code(&self) -> Option<EnhancedStatusCode> {
        self.split_enhanced().0
    }

    /// The text after the enhanced status code and the one SP that follows
    /// it, or the whole text when it does not start with one.
    #[must_use]
    pub fn message(&self) -> &[u8] {
        self.split_enhanced().1
    }

    /// The enhanced status code (if any) and the rest of the text, as
    /// [`Self::enhanced_code`] and [`Self::message`] give them.
    #[must_use]
    pub fn split_enhanced(&self) -> (Option<EnhancedStatusCode>, &[u8]) {
        crate::parse::reply::split_enhanced(&self.0)
    }

    /// Detaches the text from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> ReplyText<'static> {
        ReplyText(Cow::Owned(self.0.into_owned()))
    }
}

impl AsRef<[u8]> for ReplyText<'_> {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Display for ReplyText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_str_lossy())
    }
}

/// Why a reply could not be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum ReplyBuildError {
    /// The text of line `line` (counting from 0) was invalid.
    #[error("reply line {line}: {error}")]
    Text {
        /// Index of the offending line.
        line: usize,
        /// What was wrong with it.
        error: SyntaxError,
    },
    /// A reply needs at least one line.
    #[error("a reply needs at least one line")]
    NoLines,
}

/// An SMTP reply: a code and one or more lines of text (RFC 5321 section 4.2).
///
/// All lines of a reply carry the same code. The last line is written
/// `xyz SP text`, the others `xyz-text`. A last line with empty text can be
/// written as the bare code `xyz` (what the ABNF allows) or as `xyz SP`
/// (what some servers send); [`Reply::is_bare_code`] tells which, so a parsed
/// reply re-encodes to exactly its input bytes. Built replies use the bare
/// form for an empty last line.
///
/// The first line is stored inline, so single-line replies (the common case)
/// are parsed and built without allocating.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reply<'a> {
    code: ReplyCode,
    first: ReplyText<'a>,
    rest: Vec<ReplyText<'a>>,
    /// Meaningful only when the last line is empty: `xyz` rather than `xyz SP`.
    /// Invariant: `bare` implies the last line is empty.
    bare: bool,
}

impl<'a> Reply<'a> {
    /// A single-line reply.
    ///
    /// ```
    /// use smtp_proto::{Reply, ReplyCode};
    /// let r = Reply::new(ReplyCode::START_MAIL_INPUT, "End data with <CR><LF>.<CR><LF>").unwrap();
    /// assert_eq!(r.to_bytes(), b"354 End data with <CR><LF>.<CR><LF>\r\n");
    /// assert!(Reply::new(ReplyCode::OK, "a\r\n250 injected").is_err());
    /// ```
    pub fn new(code: ReplyCode, text: impl Into<Cow<'a, str>>) -> Result<Self, ReplyBuildError> {
        let text =
            ReplyText::new(text).map_err(|error| ReplyBuildError::Text { line: 0, error })?;
        Ok(Self::from_text(code, text))
    }

    /// A single-line reply from an already validated text.
    #[must_use]
    pub fn from_text(code: ReplyCode, text: ReplyText<'a>) -> Self {
        let bare = text.is_empty();
        Reply {
            code,
            first: text,
            rest: Vec::new(),
            bare,
        }
    }

    /// A reply from validated lines; `NoLines` when `lines` is empty.
    pub fn from_lines(
        code: ReplyCode,
        lines: impl IntoIterator<Item = ReplyText<'a>>,
    ) -> Result<Self, ReplyBuildError> {
        let mut it = lines.into_iter();
        let first = it.next().ok_or(ReplyBuildError::NoLines)?;
        let mut reply = Self::from_text(code, first);
        for line in it {
            reply.push_line(line);
        }
        Ok(reply)
    }

    /// Appends a line; the previous last line becomes a continuation line.
    pub fn push_line(&mut self, text: ReplyText<'a>) {
        self.bare = text.is_empty();
        self.rest.push(text);
    }

    /// Used by the parser, which has validated every line.
    pub(crate) fn from_parts(
        code: ReplyCode,
        first: ReplyText<'a>,
        rest: Vec<ReplyText<'a>>,
        bare: bool,
    ) -> Self {
        Reply {
            code,
            first,
            rest,
            bare,
        }
    }

    /// The reply code.
    #[must_use]
    pub fn code(&self) -> ReplyCode {
        self.code
    }

    /// The lines' texts, first to last.
    pub fn lines(&self) -> Lines<'_, 'a> {
        Lines {
            first: Some(&self.first),
            rest: self.rest.iter(),
        }
    }

    /// Number of lines (at least 1).
    #[must_use]
    pub fn line_count(&self) -> usize {
        self.rest.len().saturating_add(1)
    }

    /// `true` when the reply has more than one line.
    #[must_use]
    pub fn is_multiline(&self) -> bool {
        !self.rest.is_empty()
    }

    /// The first line's text.
    #[must_use]
    pub fn first_line(&self) -> &ReplyText<'a> {
        &self.first
    }

    /// The last line's text.
    #[must_use]
    pub fn last_line(&self) -> &ReplyText<'a> {
        self.rest.last().unwrap_or(&self.first)
    }

    /// `true` when the last line is the bare code (`250` CRLF) rather than
    /// the code and a space (`250 ` CRLF). Always `false` when the last line
    /// has text.
    #[must_use]
    pub fn is_bare_code(&self) -> bool {
        self.bare
    }

    /// The enhanced status code at the start of the first line, if any (see
    /// [`ReplyText::enhanced_code`]).
    #[must_use]
    pub fn enhanced_code(&self) -> Option<EnhancedStatusCode> {
        self.first.enhanced_code()
    }

    /// All lines' texts joined with `\n`, invalid UTF-8 replaced by U+FFFD.
    #[must_use]
    pub fn text_lossy(&self) -> String {
        let mut s = String::new();
        for (i, line) in self.lines().enumerate() {
            if i > 0 {
                s.push('\n');
            }
            s.push_str(&line.to_str_lossy());
        }
        s
    }

    /// The lines' messages (the texts without their enhanced status codes)
    /// joined with `\n`, invalid UTF-8 replaced by U+FFFD.
    #[must_use]
    pub fn message_lossy(&self) -> String {
        let mut s = String::new();
        for (i, line) in self.lines().enumerate() {
            if i > 0 {
                s.push('\n');
            }
            s.push_str(&String::from_utf8_lossy(line.message()));
        }
        s
    }

    /// Detaches the reply from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> Reply<'static> {
        Reply {
            code: self.code,
            first: self.first.into_owned(),
            rest: self.rest.into_iter().map(ReplyText::into_owned).collect(),
            bare: self.bare,
        }
    }
}

impl Reply<'static> {
    /// A single-line reply whose text starts with an enhanced status code
    /// (RFC 2034 section 4): `code SP status SP text`. An empty `text` gives
    /// `code SP status`.
    pub fn with_enhanced(
        code: ReplyCode,
        enhanced: EnhancedStatusCode,
        text: &str,
    ) -> Result<Self, ReplyBuildError> {
        Self::multiline(code, Some(enhanced), [text])
    }

    /// A reply of one or more lines, each prefixed with `enhanced` when given
    /// (RFC 2034 section 4 puts the status code at the start of every line).
    ///
    /// ```
    /// use smtp_proto::{EnhancedStatusCode, Reply, ReplyCode};
    /// let r = Reply::multiline(
    ///     ReplyCode::USER_NOT_LOCAL,
    ///     Some(EnhancedStatusCode::NOT_AUTHORIZED),
    ///     ["Forwarding to remote hosts disabled", "Select another host to act as your forwarder"],
    /// )
    /// .unwrap();
    /// assert_eq!(
    ///     r.to_bytes(),
    ///     b"551-5.7.1 Forwarding to remote hosts disabled\r\n\
    ///       551 5.7.1 Select another host to act as your forwarder\r\n"
    /// );
    /// ```
    pub fn multiline<I>(
        code: ReplyCode,
        enhanced: Option<EnhancedStatusCode>,
        lines: I,
    ) -> Result<Self, ReplyBuildError>
    where
        I: IntoIterator,
        I::Item: AsRef<[u8]>,
    {
        let mut texts = Vec::new();
        for (i, line) in lines.into_iter().enumerate() {
            let line = line.as_ref();
            let mut bytes = Vec::with_capacity(line.len().saturating_add(12));
            if let Some(e) = enhanced {
                e.encode(&mut bytes);
                if !line.is_empty() {
                    bytes.push(b' ');
                }
            }
            bytes.extend_from_slice(line);
            let text = ReplyText::from_bytes(bytes)
                .map_err(|error| ReplyBuildError::Text { line: i, error })?;
            texts.push(text);
        }
        Self::from_lines(code, texts)
    }
}

/// Iterator over the lines of a [`Reply`], from [`Reply::lines`].
#[derive(Debug, Clone)]
pub struct Lines<'r, 'a> {
    first: Option<&'r ReplyText<'a>>,
    rest: core::slice::Iter<'r, ReplyText<'a>>,
}

impl<'r, 'a> Iterator for Lines<'r, 'a> {
    type Item = &'r ReplyText<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        self.first.take().or_else(|| self.rest.next())
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self
            .rest
            .len()
            .saturating_add(usize::from(self.first.is_some()));
        (n, Some(n))
    }
}

impl ExactSizeIterator for Lines<'_, '_> {}

impl DoubleEndedIterator for Lines<'_, '_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.rest.next_back().or_else(|| self.first.take())
    }
}

impl fmt::Display for Reply<'_> {
    /// The reply as it looks on the wire, lines separated by `\n` and
    /// without the final line ending; invalid UTF-8 shown as U+FFFD.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let last = self.rest.len();
        for (i, line) in self.lines().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{}", self.code)?;
            if i < last {
                f.write_str("-")?;
            } else if !(self.bare && line.is_empty()) {
                f.write_str(" ")?;
            }
            f.write_str(&line.to_str_lossy())?;
        }
        Ok(())
    }
}
