//! Command lines (RFC 5321 section 4.1.1, RFC 2033, RFC 3030, RFC 3207,
//! RFC 4954, RFC 1985).

use mail_wire::SyntaxError;
use mail_wire::sasl::Mechanism;

use crate::parse::fast;
use crate::parse::params::{parse_mail_params, parse_rcpt_params};
use crate::parse::path::{scan_domain, scan_forward_path, scan_host, scan_reverse_path};
use crate::parse::values::{decimal_u64, validate_queue_name, validate_text};
use crate::parse::{CommandError, CommandOptions, line_too_long};
use crate::types::command::{Command, EtrnTarget, InitialResponse, QueueName, Text, Verb};
use crate::types::host::Domain;

/// The verbs this crate parses itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Known {
    Helo,
    Ehlo,
    Lhlo,
    Mail,
    Rcpt,
    Data,
    Bdat,
    Rset,
    Vrfy,
    Expn,
    Help,
    Noop,
    Quit,
    StartTls,
    Auth,
    Etrn,
}

const fn word(w: &[u8; 4]) -> u32 {
    u32::from_be_bytes(*w)
}

/// Looks a four-letter verb up, ignoring ASCII case: clearing bit 5 of
/// each byte maps exactly the two cases of a letter onto the upper-case
/// letter, and maps no other byte onto one.
#[inline]
pub(crate) fn verb4(a: u8, b: u8, c: u8, d: u8) -> Option<Known> {
    let w = u32::from_be_bytes([a, b, c, d]) & 0xDFDF_DFDF;
    Some(match w {
        x if x == word(b"HELO") => Known::Helo,
        x if x == word(b"EHLO") => Known::Ehlo,
        x if x == word(b"LHLO") => Known::Lhlo,
        x if x == word(b"MAIL") => Known::Mail,
        x if x == word(b"RCPT") => Known::Rcpt,
        x if x == word(b"DATA") => Known::Data,
        x if x == word(b"BDAT") => Known::Bdat,
        x if x == word(b"RSET") => Known::Rset,
        x if x == word(b"VRFY") => Known::Vrfy,
        x if x == word(b"EXPN") => Known::Expn,
        x if x == word(b"HELP") => Known::Help,
        x if x == word(b"NOOP") => Known::Noop,
        x if x == word(b"QUIT") => Known::Quit,
        x if x == word(b"AUTH") => Known::Auth,
        x if x == word(b"ETRN") => Known::Etrn,
        _ => return None,
    })
}

/// Looks a verb up, ignoring ASCII case.
pub(crate) fn known_verb(v: &[u8]) -> Option<Known> {
    if let [a, b, c, d] = *v {
        return verb4(a, b, c, d);
    }
    crate::parse::chars::eq_upper(v, b"STARTTLS").then_some(Known::StartTls)
}

/// The command a four-letter verb makes when it is the whole line, for the
/// verbs that may stand alone.
#[inline]
pub(crate) fn bare_verb(a: u8, b: u8, c: u8, d: u8) -> Option<Command<'static>> {
    match verb4(a, b, c, d)? {
        Known::Data => Some(Command::Data),
        Known::Rset => Some(Command::Rset),
        Known::Quit => Some(Command::Quit),
        Known::Noop => Some(Command::Noop { arg: None }),
        Known::Help => Some(Command::Help { arg: None }),
        _ => None,
    }
}

pub(crate) fn is_verb_char(c: u8) -> bool {
    crate::parse::chars::is(c, crate::parse::chars::KEYWORD)
}

impl<'a> Command<'a> {
    /// Parses one command line, given WITHOUT its CRLF, with strict default
    /// options. See [`Command::parse_with`].
    #[inline]
    pub fn parse(line: &'a [u8]) -> Result<Command<'a>, CommandError> {
        Command::parse_with(line, &CommandOptions::default())
    }

    /// Parses one command line, given WITHOUT its CRLF (framing is the
    /// caller's: see [`crate::parse_command`] or a session).
    ///
    /// Verbs are case-insensitive. The line must be valid UTF-8 (RFC 6531;
    /// plain RFC 5321 allows only ASCII) and contain no CR, LF or other
    /// control character outside what the grammar allows. Unknown verbs
    /// parse into [`Command::Unknown`]. UTF-8 is accepted in addresses
    /// whatever the session state; a server that did not get `SMTPUTF8` on
    /// `MAIL` refuses them with [`crate::Mailbox::needs_smtputf8`].
    #[inline]
    pub fn parse_with(line: &'a [u8], opts: &CommandOptions) -> Result<Command<'a>, CommandError> {
        parse_line(line, opts, true)
    }
}

/// [`Command::parse_with`], optionally without trying the fast path first
/// (for a caller that just tried it).
#[inline(always)]
pub(crate) fn parse_line<'a>(
    line: &'a [u8],
    opts: &CommandOptions,
    try_fast: bool,
) -> Result<Command<'a>, CommandError> {
    {
        if line.len().saturating_add(2) > opts.max_line_len {
            return Err(line_too_long(opts));
        }
        let line = if opts.allow_trailing_space {
            let end = line
                .iter()
                .rposition(|&c| c != b' ' && c != b'\t')
                .map_or(0, |i| i + 1);
            line.get(..end).unwrap_or_default()
        } else {
            line
        };
        // Four-letter verbs, the common case, are looked up as one word.
        let (known, arg) = match *line {
            [a, b, c, d] => (verb4(a, b, c, d), None),
            [a, b, c, d, b' ', ..] => (verb4(a, b, c, d), Some(5)),
            _ => (None, None),
        };
        if try_fast && let Some((cmd, _)) = fast::command(line, fast::End::Slice, opts) {
            return Ok(cmd);
        }
        let Some(known) = known else {
            return parse_other_verb(line, opts);
        };
        parse_known(line, known, arg, opts)
    }
}

/// A line whose verb is not one of the four-letter verbs followed by SP or
/// the end: `STARTTLS`, unknown verbs, and malformed lines.
#[inline(never)]
fn parse_other_verb<'a>(
    line: &'a [u8],
    opts: &CommandOptions,
) -> Result<Command<'a>, CommandError> {
    let verb_end = line
        .iter()
        .position(|&c| !is_verb_char(c))
        .unwrap_or(line.len());
    if verb_end == 0 {
        return Err(SyntaxError::at(line, 0, "a command verb").into());
    }
    let arg = match line.get(verb_end) {
        None => None,
        Some(b' ') => Some(verb_end + 1),
        Some(_) => {
            return Err(SyntaxError::at(line, verb_end, "SP or end of line after the verb").into());
        }
    };
    match known_verb(line.get(..verb_end).unwrap_or_default()) {
        Some(known) => parse_known(line, known, arg, opts),
        None => {
            let s = utf8(line)?;
            unknown(s, verb_end, arg)
        }
    }
}

/// The line as `str` (RFC 6531 allows UTF-8; anything else is an error).
#[inline]
fn utf8(line: &[u8]) -> Result<&str, CommandError> {
    std::str::from_utf8(line)
        .map_err(|e| SyntaxError::at(line, e.valid_up_to(), "valid UTF-8").into())
}

fn syntax(s: &str, at: usize, expected: &'static str) -> CommandError {
    SyntaxError::at(s.as_bytes(), at, expected).into()
}

/// A verb this crate does not parse: kept with its arguments.
fn unknown(s: &str, verb_end: usize, arg: Option<usize>) -> Result<Command<'_>, CommandError> {
    let verb = s
        .get(..verb_end)
        .ok_or_else(|| syntax(s, 0, "a command verb"))?;
    let args = arg.and_then(|a| s.get(a..)).filter(|t| !t.is_empty());
    if let (Some(t), Some(a)) = (args, arg) {
        validate_text(t).map_err(|e| e.shifted(a))?;
    }
    Ok(Command::Unknown {
        verb: Verb::from_valid(verb),
        args: args.map(Text::from_valid),
    })
}

/// A known command, its argument (if any) starting at `arg`.
#[inline(always)]
fn parse_known<'a>(
    line: &'a [u8],
    known: Known,
    arg: Option<usize>,
    opts: &CommandOptions,
) -> Result<Command<'a>, CommandError> {
    let len = line.len();
    // Commands whose line is all ASCII by construction skip the UTF-8
    // check.
    let no_arg = |cmd: Command<'a>, verb: &'static str| match arg {
        None => Ok(cmd),
        Some(_) => Err(CommandError::UnexpectedArgument { verb }),
    };
    match known {
        Known::Rcpt => {
            let s = utf8(line)?;
            let at = path_start(s, need(arg, len, "RCPT")?, "TO:", opts)?;
            let (to, end) = scan_forward_path(s, at, opts.allow_missing_brackets)?;
            let params = parse_rcpt_params(s, end, opts)?;
            Ok(Command::Rcpt { to, params })
        }
        Known::Mail => {
            let s = utf8(line)?;
            let at = path_start(s, need(arg, len, "MAIL")?, "FROM:", opts)?;
            let (from, end) = scan_reverse_path(s, at, opts.allow_missing_brackets)?;
            let params = parse_mail_params(s, end, opts)?;
            Ok(Command::Mail { from, params })
        }
        Known::Data => no_arg(Command::Data, "DATA"),
        Known::Rset => no_arg(Command::Rset, "RSET"),
        Known::Quit => no_arg(Command::Quit, "QUIT"),
        Known::StartTls => no_arg(Command::StartTls, "STARTTLS"),
        Known::Bdat => bdat(line, need(arg, len, "BDAT")?),
        Known::Noop if arg.is_none() => Ok(Command::Noop { arg: None }),
        Known::Help if arg.is_none() => Ok(Command::Help { arg: None }),
        _ => parse_rare(utf8(line)?, known, arg),
    }
}

/// The less frequent commands that take arguments.
#[inline(never)]
fn parse_rare(s: &str, known: Known, arg: Option<usize>) -> Result<Command<'_>, CommandError> {
    let len = s.len();
    match known {
        Known::Helo => Ok(Command::Helo {
            host: host_arg(s, need(arg, len, "HELO")?)?,
        }),
        Known::Ehlo => Ok(Command::Ehlo {
            host: host_arg(s, need(arg, len, "EHLO")?)?,
        }),
        Known::Lhlo => Ok(Command::Lhlo {
            host: host_arg(s, need(arg, len, "LHLO")?)?,
        }),
        Known::Vrfy => Ok(Command::Vrfy {
            arg: text_arg(s, need(arg, len, "VRFY")?)?,
        }),
        Known::Expn => Ok(Command::Expn {
            arg: text_arg(s, need(arg, len, "EXPN")?)?,
        }),
        Known::Help => Ok(Command::Help {
            arg: arg.map(|a| text_arg(s, a)).transpose()?,
        }),
        Known::Noop => Ok(Command::Noop {
            arg: arg.map(|a| text_arg(s, a)).transpose()?,
        }),
        Known::Auth => auth(s, need(arg, len, "AUTH")?),
        Known::Etrn => etrn(s, need(arg, len, "ETRN")?),
        // Handled by `parse_known`.
        Known::Mail
        | Known::Rcpt
        | Known::Data
        | Known::Rset
        | Known::Quit
        | Known::StartTls
        | Known::Bdat => Err(syntax(s, 0, "a command with arguments")),
    }
}

/// The offset of a required argument; `MissingArgument` when there is none
/// or it is empty.
fn need(arg: Option<usize>, len: usize, verb: &'static str) -> Result<usize, CommandError> {
    arg.filter(|&a| a < len)
        .ok_or(CommandError::MissingArgument { verb })
}

fn text_arg<'a>(s: &'a str, at: usize) -> Result<Text<'a>, CommandError> {
    let t = s.get(at..).unwrap_or_default();
    validate_text(t).map_err(|e| e.shifted(at))?;
    Ok(Text::from_valid(t))
}

#[inline]
fn host_arg<'a>(s: &'a str, at: usize) -> Result<crate::types::host::Host<'a>, CommandError> {
    let (host, end) = scan_host(s, at)?;
    if end != s.len() {
        return Err(syntax(s, end, "end of line after the host"));
    }
    Ok(host)
}

/// Skips `FROM:`/`TO:` (case-insensitive) and, if allowed, spaces.
#[inline]
fn path_start(
    s: &str,
    at: usize,
    keyword: &'static str,
    opts: &CommandOptions,
) -> Result<usize, CommandError> {
    let b = s.as_bytes();
    let end = at + keyword.len();
    if !b
        .get(at..end)
        .is_some_and(|k| crate::parse::chars::eq_upper(k, keyword.as_bytes()))
    {
        return Err(syntax(s, at, keyword));
    }
    let mut i = end;
    if opts.allow_space_after_colon {
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
    }
    Ok(i)
}

/// `bdat-cmd = "BDAT" SP chunk-size [ SP end-marker ]` (RFC 3030 section 2).
fn bdat(b: &[u8], at: usize) -> Result<Command<'static>, CommandError> {
    let rest = b.get(at..).unwrap_or_default();
    let digits = rest.iter().position(|&c| c == b' ').unwrap_or(rest.len());
    let size = decimal_u64(rest.get(..digits).unwrap_or_default()).map_err(|e| match e {
        Some(i) => SyntaxError::at(b, at + i, "a decimal chunk size").into(),
        None => CommandError::NumberTooLarge { offset: at },
    })?;
    let last = match rest.get(digits..).unwrap_or_default() {
        [] => false,
        [b' ', marker @ ..] if crate::parse::chars::eq_upper(marker, b"LAST") => true,
        _ => return Err(SyntaxError::at(b, at + digits, "end of line or SP LAST").into()),
    };
    Ok(Command::Bdat { size, last })
}

/// `"AUTH" SP sasl-mech [SP initial-response]` (RFC 4954 section 4).
fn auth<'a>(s: &'a str, at: usize) -> Result<Command<'a>, CommandError> {
    let rest = s.get(at..).unwrap_or_default();
    let (mech, ir) = match memchr::memchr(b' ', rest.as_bytes()) {
        Some(sp) => (rest.get(..sp).unwrap_or_default(), rest.get(sp + 1..)),
        None => (rest, None),
    };
    let mechanism = Mechanism::parse(mech.as_bytes()).map_err(|e| e.shifted(at))?;
    let initial_response = ir
        .map(|r| InitialResponse::parse(r).map_err(|e| e.shifted(at + mech.len() + 1)))
        .transpose()?;
    Ok(Command::Auth {
        mechanism,
        initial_response,
    })
}

/// `"ETRN" SP ( ["@"] node / "#" queue )` (RFC 1985 section 5).
fn etrn<'a>(s: &'a str, at: usize) -> Result<Command<'a>, CommandError> {
    let b = s.as_bytes();
    let domain = |start: usize| -> Result<Domain<'a>, CommandError> {
        let end = scan_domain(s, start)?;
        if end != s.len() {
            return Err(syntax(s, end, "end of line after the domain"));
        }
        Ok(Domain::from_valid(s.get(start..end).unwrap_or_default()))
    };
    let target = match b.get(at) {
        Some(b'@') => EtrnTarget::Subdomains(domain(at + 1)?),
        Some(b'#') => {
            let q = s.get(at + 1..).unwrap_or_default();
            validate_queue_name(q).map_err(|e| e.shifted(at + 1))?;
            EtrnTarget::Queue(QueueName::from_valid(q))
        }
        _ => EtrnTarget::Domain(domain(at)?),
    };
    Ok(Command::Etrn { target })
}
