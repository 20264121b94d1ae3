//! Command lines (RFC 1939 sections 4 to 7, RFC 2449 section 3 and 5,
//! RFC 2595 section 4, RFC 5034 section 4, RFC 6856 sections 2 and 3).
//!
//! The grammar of RFC 2449 section 3: `command = keyword *(SP param) CRLF`.
//! Verbs are case-insensitive; arguments are separated by exactly one space,
//! except the argument of `PASS`, which runs to the end of the line and may
//! contain spaces (RFC 1939 section 7).

use std::borrow::Cow;

use mail_wire::sasl::Mechanism;
use mail_wire::{LimitError, Status, SyntaxError};

use super::{U32_DIGITS, whole_number};
use crate::limits::Limits;
use crate::types::command::Command;
use crate::types::values::{ApopDigest, Arg, Base64, LangTag, MsgNum, Secret, ValueError};

/// How strictly to parse commands. `Default` is strict; each leniency is off
/// unless named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CommandOptions {
    /// Ignore spaces at the end of a command line (`STAT `, `LIST 1 `), which
    /// some scripted clients and old Windows clients leave. Never applied to
    /// `PASS`, whose argument runs to the end of the line.
    pub allow_trailing_space: bool,
    /// Longest initial response accepted in `AUTH mechanism
    /// initial-response`, in base64 octets. Defaults to
    /// [`SaslLimits::max_encoded_len`](mail_wire::sasl::SaslLimits).
    pub max_initial_response: usize,
}

impl Default for CommandOptions {
    fn default() -> Self {
        CommandOptions::from_limits(&Limits::default())
    }
}

impl CommandOptions {
    /// Strict options taking their limits from `limits`.
    #[must_use]
    pub fn from_limits(limits: &Limits) -> Self {
        CommandOptions {
            allow_trailing_space: false,
            max_initial_response: limits.sasl.max_encoded_len,
        }
    }
}

/// Why a command line was rejected. Every variant is answered with `-ERR`;
/// the message says what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
pub enum CommandError {
    /// The line is empty.
    #[error("empty command line")]
    Empty,
    /// The line breaks the command grammar.
    #[error(transparent)]
    Syntax(#[from] SyntaxError),
    /// An argument is not a valid value (message number 0, a password with a
    /// NUL, a bad APOP digest...).
    #[error(transparent)]
    Value(#[from] ValueError),
    /// The line, or the initial response of `AUTH`, is longer than its
    /// limit.
    #[error(transparent)]
    TooLong(#[from] LimitError),
    /// A command that takes no argument got one (`STAT 1`).
    #[error("{verb} takes no argument")]
    UnexpectedArgument {
        /// The command's verb.
        verb: &'static str,
    },
    /// A command that needs an argument got none (`RETR`).
    #[error("{verb} requires an argument")]
    MissingArgument {
        /// The command's verb.
        verb: &'static str,
    },
}

/// The arguments after the verb, split on single spaces.
struct Args<'a> {
    line: &'a [u8],
    /// Offset in `line` of the next argument, or `None` when all are taken.
    pos: Option<usize>,
}

impl<'a> Args<'a> {
    /// The next argument: its bytes and offset in the line.
    fn next(&mut self) -> Result<Option<(&'a [u8], usize)>, SyntaxError> {
        let Some(start) = self.pos else {
            return Ok(None);
        };
        let rest = self.line.get(start..).unwrap_or_default();
        let (arg, next) = match memchr::memchr(b' ', rest) {
            Some(sp) => (rest.get(..sp).unwrap_or_default(), Some(start + sp + 1)),
            None => (rest, None),
        };
        if arg.is_empty() {
            return Err(SyntaxError::at(
                self.line,
                start,
                "an argument (exactly one SP between arguments)",
            ));
        }
        self.pos = next;
        Ok(Some((arg, start)))
    }

    /// Fails unless all arguments were taken.
    fn end(&self) -> Result<(), CommandError> {
        match self.pos {
            None => Ok(()),
            Some(p) => {
                Err(SyntaxError::at(self.line, p, "end of line (too many arguments)").into())
            }
        }
    }

    /// The next argument, which must be there.
    fn required(&mut self, verb: &'static str) -> Result<(&'a [u8], usize), CommandError> {
        self.next()?.ok_or(CommandError::MissingArgument { verb })
    }
}

fn msg_num(b: &[u8], base: usize) -> Result<MsgNum, CommandError> {
    let n = whole_number(b, base, U32_DIGITS, u64::from(u32::MAX), "a message number")?;
    let n = u32::try_from(n).map_err(|_| ValueError::MessageNumber)?;
    Ok(MsgNum::new(n)?)
}

fn arg_syntax(e: SyntaxError) -> CommandError {
    CommandError::Syntax(e)
}

impl<'a> Command<'a> {
    /// Parses one command line, without its CRLF, with strict
    /// [`CommandOptions`].
    ///
    /// ```
    /// use pop3_proto::{Command, MsgNum};
    /// assert_eq!(Command::parse(b"retr 1").unwrap(), Command::Retr(MsgNum::new(1).unwrap()));
    /// assert!(Command::parse(b"RETR 0").is_err());
    /// assert!(Command::parse(b"RETR  1").is_err());
    /// ```
    pub fn parse(line: &'a [u8]) -> Result<Command<'a>, CommandError> {
        Command::parse_with(line, &CommandOptions::default())
    }

    /// Parses one command line, without its CRLF.
    ///
    /// Verbs are matched case-insensitively (RFC 1939 section 3). Message
    /// numbers are 1 to 4,294,967,295 written with at most 10 digits and no
    /// sign. A verb this parser does not know (1 to 40 printable octets)
    /// gives [`Command::Unknown`] with the rest of the line, so that a server
    /// can answer it with `-ERR` and go on.
    pub fn parse_with(line: &'a [u8], opts: &CommandOptions) -> Result<Command<'a>, CommandError> {
        if line.is_empty() {
            return Err(CommandError::Empty);
        }
        let verb_len = memchr::memchr(b' ', line).unwrap_or(line.len());
        let (verb, _) = line.split_at_checked(verb_len).unwrap_or((line, &[]));
        if verb.is_empty() {
            return Err(SyntaxError::at(line, 0, "a command verb").into());
        }
        // PASS keeps every byte after its space, trailing spaces included.
        if verb.eq_ignore_ascii_case(b"PASS") {
            let secret = line.get(5..).unwrap_or_default();
            if secret.is_empty() {
                return Err(CommandError::MissingArgument { verb: "PASS" });
            }
            return Ok(Command::Pass(Secret::new(secret)?));
        }
        let mut line = line;
        if opts.allow_trailing_space {
            while let Some((b' ', head)) = line.split_last() {
                line = head;
            }
        }
        let mut args = Args {
            line,
            pos: (line.len() > verb_len).then_some(verb_len + 1),
        };
        let cmd = match verb {
            v if v.len() == 4 => match four(v) {
                Some(b"USER") => {
                    let (a, _) = args.required("USER")?;
                    args.end()?;
                    Command::User(Arg::from_bytes(a)?)
                }
                Some(b"APOP") => {
                    let (name, _) = args.required("APOP")?;
                    let (digest, _) = args.required("APOP")?;
                    args.end()?;
                    Command::Apop {
                        name: Arg::from_bytes(name)?,
                        digest: ApopDigest::from_hex(digest)?,
                    }
                }
                Some(b"AUTH") => match args.next()? {
                    None => Command::AuthList,
                    Some((mech, at)) => {
                        let mechanism =
                            Mechanism::parse(mech).map_err(|e| arg_syntax(e.shifted(at)))?;
                        let initial_response = match args.next()? {
                            None => None,
                            Some((ir, _)) => {
                                if ir.len() > opts.max_initial_response {
                                    return Err(LimitError::new(
                                        "max_encoded_len",
                                        opts.max_initial_response as u64,
                                    )
                                    .into());
                                }
                                Some(Base64::from_bytes(ir)?)
                            }
                        };
                        args.end()?;
                        Command::Auth {
                            mechanism,
                            initial_response,
                        }
                    }
                },
                Some(b"STLS") => no_args(&args, "STLS", Command::Stls)?,
                Some(b"CAPA") => no_args(&args, "CAPA", Command::Capa)?,
                Some(b"STAT") => no_args(&args, "STAT", Command::Stat)?,
                Some(b"NOOP") => no_args(&args, "NOOP", Command::Noop)?,
                Some(b"RSET") => no_args(&args, "RSET", Command::Rset)?,
                Some(b"QUIT") => no_args(&args, "QUIT", Command::Quit)?,
                Some(b"UTF8") => no_args(&args, "UTF8", Command::Utf8)?,
                Some(b"LIST") => Command::List(optional_msg(&mut args)?),
                Some(b"UIDL") => Command::Uidl(optional_msg(&mut args)?),
                Some(b"RETR") => Command::Retr(required_msg(&mut args, "RETR")?),
                Some(b"DELE") => Command::Dele(required_msg(&mut args, "DELE")?),
                Some(b"LANG") => {
                    let tag = match args.next()? {
                        None => None,
                        Some((t, _)) => Some(LangTag::from_bytes(t)?),
                    };
                    args.end()?;
                    Command::Lang(tag)
                }
                _ => unknown(verb, line, verb_len)?,
            },
            v if v.eq_ignore_ascii_case(b"TOP") => {
                let (m, at) = args.required("TOP")?;
                let msg = msg_num(m, at)?;
                let (n, at) = args.required("TOP")?;
                let lines = whole_number(n, at, U32_DIGITS, u64::from(u32::MAX), "a line count")?;
                args.end()?;
                Command::Top {
                    msg,
                    lines: u32::try_from(lines).unwrap_or(u32::MAX),
                }
            }
            _ => unknown(verb, line, verb_len)?,
        };
        Ok(cmd)
    }

    /// An unknown command, validated: the verb must be 1 to 40 printable
    /// octets and not one this crate parses itself, and the arguments may
    /// not contain CR, LF or NUL. Encodes as `verb SP args` (or `verb` alone
    /// when `args` is empty).
    pub fn unknown(
        verb: Arg<'a>,
        args: impl Into<Cow<'a, [u8]>>,
    ) -> Result<Command<'a>, ValueError> {
        let args = args.into();
        if let Some(offset) = args
            .iter()
            .position(|&b| b == b'\r' || b == b'\n' || b == 0)
        {
            return Err(ValueError::InvalidByte {
                what: "command arguments",
                offset,
                byte: args.get(offset).copied().unwrap_or(0),
            });
        }
        let v = verb.as_str().as_bytes();
        if v.len() == 4 && four(v).is_some() || v.eq_ignore_ascii_case(b"TOP") {
            return Err(ValueError::InvalidByte {
                what: "unknown command (the verb names a known one)",
                offset: 0,
                byte: v.first().copied().unwrap_or(0),
            });
        }
        Ok(Command::Unknown { verb, args })
    }
}

/// The canonical spelling of a known four-letter verb, matched
/// case-insensitively.
fn four(v: &[u8]) -> Option<&'static [u8; 4]> {
    const VERBS: [&[u8; 4]; 16] = [
        b"USER", b"PASS", b"APOP", b"AUTH", b"STLS", b"CAPA", b"STAT", b"LIST", b"UIDL", b"RETR",
        b"DELE", b"NOOP", b"RSET", b"QUIT", b"UTF8", b"LANG",
    ];
    let &[a, b, c, d] = v else {
        return None;
    };
    let up = [
        a.to_ascii_uppercase(),
        b.to_ascii_uppercase(),
        c.to_ascii_uppercase(),
        d.to_ascii_uppercase(),
    ];
    VERBS.into_iter().find(|v| **v == up)
}

fn no_args<'a>(
    args: &Args<'_>,
    verb: &'static str,
    cmd: Command<'a>,
) -> Result<Command<'a>, CommandError> {
    if args.pos.is_some() {
        return Err(CommandError::UnexpectedArgument { verb });
    }
    Ok(cmd)
}

fn optional_msg(args: &mut Args<'_>) -> Result<Option<MsgNum>, CommandError> {
    let n = match args.next()? {
        None => None,
        Some((m, at)) => Some(msg_num(m, at)?),
    };
    args.end()?;
    Ok(n)
}

fn required_msg(args: &mut Args<'_>, verb: &'static str) -> Result<MsgNum, CommandError> {
    let (m, at) = args.required(verb)?;
    let n = msg_num(m, at)?;
    args.end()?;
    Ok(n)
}

fn unknown<'a>(
    verb: &'a [u8],
    line: &'a [u8],
    verb_len: usize,
) -> Result<Command<'a>, CommandError> {
    if let Some(p) = verb
        .iter()
        .position(|&b| !crate::types::values::is_arg_byte(b))
    {
        return Err(SyntaxError::at(line, p, "a command verb character").into());
    }
    let verb = Arg::from_bytes(verb)?;
    let args = line.get(verb_len + 1..).unwrap_or_default();
    if let Some(p) = args
        .iter()
        .position(|&b| b == b'\r' || b == b'\n' || b == 0)
    {
        return Err(SyntaxError::at(
            line,
            verb_len + 1 + p,
            "an argument byte (no CR, LF or NUL)",
        )
        .into());
    }
    Ok(Command::Unknown {
        verb,
        args: Cow::Borrowed(args),
    })
}

/// A command line that could not be taken from a buffer by
/// [`parse_command`]. The server answers `-ERR` and drops
/// [`consumed`](Self::consumed) bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{kind}")]
pub struct CommandFrameError {
    /// Bytes to drop from the front of the buffer.
    pub consumed: usize,
    /// Whether the bad line ended within the `consumed` bytes. When `false`
    /// the line is longer than the limit and has not ended yet: keep dropping
    /// input with [`skip_line`] until it does, then parse again.
    pub line_ended: bool,
    /// What was wrong: [`CommandError::TooLong`] for an over-long line,
    /// [`CommandError::Syntax`] for a bare LF, or the grammar error of a
    /// complete line.
    pub kind: CommandError,
}

/// How many bytes of `buf` to drop to get past the rest of an over-long
/// line: `Some(n)` when the line's LF is in `buf` (drop `n` bytes and parse
/// again), `None` when it is not (drop all of `buf` and call again with the
/// next input).
#[must_use]
pub fn skip_line(buf: &[u8]) -> Option<usize> {
    memchr::memchr(b'\n', buf).map(|lf| lf + 1)
}

/// Parses one command from the start of `buf`, finding its CRLF, with
/// strict options taken from `limits`.
///
/// Returns [`Status::Complete`] with the command and the octets it took
/// (CRLF included), [`Status::Incomplete`] when no line end has arrived yet
/// and the buffer is under the limit, or a [`CommandFrameError`] saying how
/// many bytes to drop so that the buffer starts at the next line.
///
/// - A line (CRLF included) longer than `limits.max_command_len` (RFC 2449
///   section 4: 255 octets) is refused as soon as the buffer holds that many
///   bytes without a line end. The error consumes the line through its LF
///   when that is already buffered (`line_ended`), else the whole buffer;
///   either way the commands after the line are never lost nor misread. Lines starting with `AUTH ` may be up to
///   `limits.sasl.max_encoded_len + 64` octets, for a long initial response.
/// - A bare LF ends the line but is an error (strict CRLF); the line is
///   consumed whole.
///
/// The function keeps no state: each call scans at most one line limit of
/// the buffer, so re-feeding a growing buffer costs at most that per call.
/// The only state a caller keeps is whether it is skipping the rest of an
/// over-long line ([`CommandFrameError::line_ended`] is `false`).
///
/// ```
/// use mail_wire::Status;
/// use pop3_proto::{Command, Limits, parse::parse_command};
/// let l = Limits::default();
/// assert_eq!(parse_command(b"QUI", &l).unwrap(), Status::Incomplete);
/// assert_eq!(parse_command(b"QUIT\r\nSTAT\r\n", &l).unwrap(), Status::Complete(Command::Quit, 6));
/// let e = parse_command(b"QUIT\nSTAT\r\n", &l).unwrap_err();
/// assert_eq!((e.consumed, e.line_ended), (5, true));
/// ```
pub fn parse_command<'a>(
    buf: &'a [u8],
    limits: &Limits,
) -> Result<Status<Command<'a>>, CommandFrameError> {
    parse_command_with(buf, limits, &CommandOptions::from_limits(limits))
}

/// [`parse_command`] with explicit [`CommandOptions`].
pub fn parse_command_with<'a>(
    buf: &'a [u8],
    limits: &Limits,
    opts: &CommandOptions,
) -> Result<Status<Command<'a>>, CommandFrameError> {
    let limit = limits.command_line_limit(buf);
    let window = buf.get(..limit).unwrap_or(buf);
    let Some(lf) = mail_wire::line::find_lf(window) else {
        if buf.len() >= limit {
            // Drop the line through its LF if it is already buffered (the
            // pipelined commands after it stay), else all of it.
            let rest = buf.get(window.len()..).unwrap_or_default();
            let (consumed, line_ended) = match memchr::memchr(b'\n', rest) {
                Some(lf) => (window.len() + lf + 1, true),
                None => (buf.len(), false),
            };
            return Err(CommandFrameError {
                consumed,
                line_ended,
                kind: LimitError::new("max_command_len", limit as u64).into(),
            });
        }
        return Ok(Status::Incomplete);
    };
    let consumed = lf + 1;
    let fail = |kind: CommandError| CommandFrameError {
        consumed,
        line_ended: true,
        kind,
    };
    let line = lf
        .checked_sub(1)
        .and_then(|cr| buf.get(..cr).filter(|_| buf.get(cr) == Some(&b'\r')))
        .ok_or_else(|| fail(SyntaxError::at(buf, lf, "CRLF, not a bare LF").into()))?;
    if let Some(cr) = memchr::memchr(b'\r', line) {
        return Err(fail(SyntaxError::at(buf, cr, "CRLF, not a bare CR").into()));
    }
    match Command::parse_with(line, opts) {
        Ok(cmd) => Ok(Status::Complete(cmd, consumed)),
        Err(e) => Err(fail(e)),
    }
}
