//! Bytes to types. Parsers work by hand over `&[u8]`, borrow from their
//! input, and allocate only where a value must be rewritten (an xtext
//! escape, a lower-case SASL mechanism name, a source route).
//!
//! Command lines are parsed whole: [`Command::parse`] takes one line without
//! its CRLF (framing is a session's job), and [`parse_command`] finds the
//! CRLF itself for callers that hold a raw buffer.

pub(crate) mod chars;
pub mod command;
pub mod ehlo;
mod fast;
pub mod params;
pub mod path;
pub mod reply;
pub mod values;

pub use ehlo::EhloError;
pub use reply::{ReplyError, ReplyLimits, ReplyOptions, ReplyParser};

use mail_wire::{LimitError, Status, SyntaxError};

use crate::types::command::Command;
use crate::types::params::ParamError;
use crate::types::path::AddressError;

/// Default for [`CommandOptions::max_line_len`].
///
/// RFC 5321 section 4.5.3.1.4 sets 512 octets, CRLF included, and lets
/// extensions raise it; each extension states by how much. For `MAIL`:
/// SIZE 26 (RFC 1870), AUTH= 500 (RFC 4954), ENVID and RET about 120
/// (RFC 3461), BODY 16 (RFC 3030), SMTPUTF8 10 (RFC 6531), BY 17 (RFC
/// 2852), HOLDFOR/HOLDUNTIL 34 (RFC 4865), MT-PRIORITY 15 (RFC 6710) and
/// REQUIRETLS 11: about 1,270 octets. For `RCPT`, RFC 3461 section 5.4
/// requires at least 1,036, and RRVS adds 33 (RFC 7293). 2,048 covers both
/// with room for the UTF-8 of SMTPUTF8 addresses and unknown parameters,
/// and is also Postfix's default `line_length_limit`.
///
/// `AUTH` with a large initial response (GSSAPI, long OAuth tokens) can need
/// more: RFC 4954 section 4 names 12,288 octets as sufficient for deployed
/// mechanisms. A server offering such mechanisms raises the limit.
pub const DEFAULT_MAX_LINE_LEN: usize = 2048;

/// Default for [`CommandOptions::max_parameters`].
pub const DEFAULT_MAX_PARAMETERS: usize = 32;

/// How strictly to parse commands. `Default` is strict RFC 5321 with the
/// limits above; each leniency is off unless named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CommandOptions {
    /// Longest command line in octets, CRLF included (see
    /// [`DEFAULT_MAX_LINE_LEN`]).
    pub max_line_len: usize,
    /// Most ESMTP parameters on one `MAIL` or `RCPT` line (a guard against
    /// parameter floods; RFC-defined parameters number about a dozen).
    pub max_parameters: usize,
    /// Accept spaces between `FROM:`/`TO:` and the path, as in
    /// `MAIL FROM: <a@example.com>`. Sent by old Microsoft and embedded
    /// clients; Postfix and Exim accept it.
    pub allow_space_after_colon: bool,
    /// Accept a path without angle brackets, as in
    /// `MAIL FROM:a@example.com`. RFC 821-era and hand-written clients send
    /// it; Postfix accepts it unless `strict_rfc821_envelopes = yes`. Such a
    /// path ends at the first space and cannot carry a source route.
    pub allow_missing_brackets: bool,
    /// Ignore spaces and tabs at the end of a command line, which some
    /// scripted clients leave (`QUIT `). Postfix ignores them.
    pub allow_trailing_space: bool,
}

impl Default for CommandOptions {
    fn default() -> Self {
        CommandOptions {
            max_line_len: DEFAULT_MAX_LINE_LEN,
            max_parameters: DEFAULT_MAX_PARAMETERS,
            allow_space_after_colon: false,
            allow_missing_brackets: false,
            allow_trailing_space: false,
        }
    }
}

impl CommandOptions {
    /// The leniencies that mainstream servers (Postfix, Exim) default to:
    /// space after the colon, missing brackets and trailing space.
    #[must_use]
    pub fn lenient() -> Self {
        CommandOptions {
            allow_space_after_colon: true,
            allow_missing_brackets: true,
            allow_trailing_space: true,
            ..CommandOptions::default()
        }
    }
}

/// Why a command line was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
pub enum CommandError {
    /// The line breaks the command grammar.
    #[error(transparent)]
    Syntax(#[from] SyntaxError),
    /// The line is longer than [`CommandOptions::max_line_len`], or has more
    /// parameters than [`CommandOptions::max_parameters`].
    #[error(transparent)]
    Limit(#[from] LimitError),
    /// A command that takes no argument got one (`DATA x`).
    #[error("{verb} takes no argument")]
    UnexpectedArgument {
        /// The command's verb.
        verb: &'static str,
    },
    /// A command that needs an argument got none (`EHLO`).
    #[error("{verb} requires an argument")]
    MissingArgument {
        /// The command's verb.
        verb: &'static str,
    },
    /// A number too large for its type (`BDAT` chunk size).
    #[error("number at byte {offset} is too large")]
    NumberTooLarge {
        /// Offset of the number in the line.
        offset: usize,
    },
    /// An invalid path or mailbox.
    #[error(transparent)]
    Address(#[from] AddressError),
    /// An invalid `MAIL`/`RCPT` parameter.
    #[error(transparent)]
    Parameter(#[from] ParamError),
}

impl CommandError {
    /// The reply code RFC 5321 section 4.2 suggests for this error:
    /// `500` for a line that is too long or has no recognisable verb, `553`
    /// for a malformed mailbox (section 4.2.2: "mailbox name not allowed
    /// (e.g., mailbox syntax incorrect)"), `501` otherwise.
    #[must_use]
    pub fn reply_code(&self) -> u16 {
        match self {
            CommandError::Limit(l) if l.limit == "max_line_len" => 500,
            CommandError::Syntax(e) if e.offset == 0 => 500,
            CommandError::Address(_) => 553,
            _ => 501,
        }
    }
}

/// Parses one command from the start of `buf`, finding its CRLF; the
/// `httparse`-style entry point. Same as [`parse_command_with`] with default
/// options.
#[inline]
pub fn parse_command(buf: &[u8]) -> Result<Status<Command<'_>>, CommandError> {
    // Inlined into the caller: an argument-less command (a third of a
    // pipelined transaction) then costs no call into the full parser.
    if let Some(cmd) = bare_line(buf) {
        return Ok(Status::Complete(cmd, 6));
    }
    parse_command_default(buf)
}

/// [`parse_command_with`] with default options, kept out of line so that
/// the inlined [`parse_command`] stays small.
#[inline(never)]
fn parse_command_default(buf: &[u8]) -> Result<Status<Command<'_>>, CommandError> {
    parse_command_with(buf, &CommandOptions::default())
}

/// The command when `buf` starts with an argument-less command line
/// (`DATA`, `RSET`, `QUIT`, `NOOP`, `HELP`), which decides on its first
/// six octets.
#[inline(always)]
fn bare_line(buf: &[u8]) -> Option<Command<'static>> {
    match buf.first_chunk()? {
        &[a, b, c, d, b'\r', b'\n'] => command::bare_verb(a, b, c, d),
        _ => None,
    }
}

/// Parses one command from the start of `buf`.
///
/// Returns [`Status::Complete`] with the command and the octets consumed
/// (CRLF included), [`Status::Incomplete`] when no line end has arrived yet,
/// or an error. A bare LF is an error, never a line end (the SMTP smuggling
/// class); so is a line longer than the limit, reported as soon as the
/// buffer holds more than the limit without a line end. Each call scans at
/// most `max_line_len` octets, so re-feeding a growing buffer costs at most
/// that per call.
///
/// ```
/// use mail_wire::Status;
/// use smtp_proto::{parse_command, Command};
/// assert_eq!(parse_command(b"QUI").unwrap(), Status::Incomplete);
/// assert_eq!(parse_command(b"QUIT\r\nRSET\r\n").unwrap(), Status::Complete(Command::Quit, 6));
/// assert!(parse_command(b"QUIT\nRSET\r\n").is_err());
/// ```
#[inline]
pub fn parse_command_with<'a>(
    buf: &'a [u8],
    opts: &CommandOptions,
) -> Result<Status<Command<'a>>, CommandError> {
    let window = buf.get(..opts.max_line_len).unwrap_or(buf);
    if let Some(cmd) = bare_line(window) {
        return Ok(Status::Complete(cmd, 6));
    }
    // `MAIL` and `RCPT` of the usual shape, parsed in one pass that also
    // finds the CRLF.
    if let Some((cmd, n)) = fast::command(window, fast::End::Crlf, opts) {
        return Ok(Status::Complete(cmd, n));
    }
    let Some(lf) = mail_wire::line::find_lf(window) else {
        if buf.len() >= opts.max_line_len {
            return Err(line_too_long(opts));
        }
        return Ok(Status::Incomplete);
    };
    let line = lf
        .checked_sub(1)
        .and_then(|cr| buf.get(..cr).filter(|_| buf.get(cr) == Some(&b'\r')))
        .ok_or_else(|| SyntaxError::at(buf, lf, "CRLF, not a bare LF"))?;
    let cmd = command::parse_line(line, opts, false)?;
    Ok(Status::Complete(cmd, lf + 1))
}

pub(crate) fn line_too_long(opts: &CommandOptions) -> CommandError {
    LimitError::new("max_line_len", opts.max_line_len as u64).into()
}
