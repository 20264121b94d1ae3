//! LIST, LSUB, STATUS and APPEND (RFC 9051 sections 6.3.9, 6.3.11,
//! 6.3.12; RFC 5258, RFC 5819, RFC 6154, RFC 3502), and the head of a
//! streamed APPEND.

use crate::parse::values::{DATE_TIME_LEN, parse_date_time};
use crate::parse::values::{parse_literal, parse_literal8, parse_string, parse_tag};
use crate::types::command::mailbox::is_list_char;
use crate::types::command::{
    AppendData, AppendMessage, CommandBody, DateTime, ListPattern, ListReturn, ListSelect,
    StatusItem,
};
use crate::types::{Flag, LiteralMode, Mailbox, NonEmptyVec, Tag};

use super::{CommandError, CommandOptions, Cur, R};

fn pattern<'a>(c: &mut Cur<'a>) -> R<ListPattern<'a>> {
    if matches!(c.peek(), Some(b'"' | b'{')) {
        let o = c.opts.values;
        let s = c.value(|b| parse_string(b, o))?;
        return Ok(ListPattern::from_checked(s.into_inner()));
    }
    let w = c.run(is_list_char);
    if w.is_empty() {
        return Err(c.err("list-mailbox"));
    }
    Ok(ListPattern::from_checked(w.into()))
}

fn option_word<'a>(c: &mut Cur<'a>) -> R<crate::types::Atom<'a>> {
    c.atom()
}

/// `LIST` after its name (RFC 5258 section 6 `list`).
pub(crate) fn list<'a>(c: &mut Cur<'a>) -> R<CommandBody<'a>> {
    c.sp()?;
    let selection = if c.eat(b'(') {
        let v = c.list_rest(|c| {
            let a = option_word(c)?;
            let s = a.as_str().as_bytes();
            Ok(if s.eq_ignore_ascii_case(b"SUBSCRIBED") {
                ListSelect::Subscribed
            } else if s.eq_ignore_ascii_case(b"REMOTE") {
                ListSelect::Remote
            } else if s.eq_ignore_ascii_case(b"RECURSIVEMATCH") {
                ListSelect::RecursiveMatch
            } else if s.eq_ignore_ascii_case(b"SPECIAL-USE") {
                ListSelect::SpecialUse
            } else {
                ListSelect::Other(a)
            })
        })?;
        c.sp()?;
        Some(v)
    } else {
        None
    };
    let reference = c.mailbox()?;
    c.sp()?;
    let patterns = if c.peek() == Some(b'(') {
        c.nonempty_list("list-mailbox", pattern)?
    } else {
        NonEmptyVec::one(pattern(c)?)
    };
    let return_opts = if c.eat_word(b" RETURN ") {
        c.expect(b'(', "'('")?;
        Some(c.list_rest(|c| {
            let a = option_word(c)?;
            let s = a.as_str().as_bytes();
            Ok(if s.eq_ignore_ascii_case(b"SUBSCRIBED") {
                ListReturn::Subscribed
            } else if s.eq_ignore_ascii_case(b"CHILDREN") {
                ListReturn::Children
            } else if s.eq_ignore_ascii_case(b"SPECIAL-USE") {
                ListReturn::SpecialUse
            } else if s.eq_ignore_ascii_case(b"STATUS") {
                c.sp()?;
                ListReturn::Status(c.nonempty_list("status-att", status_item)?)
            } else {
                ListReturn::Other(a)
            })
        })?)
    } else {
        None
    };
    Ok(CommandBody::List {
        selection,
        reference,
        patterns,
        return_opts,
    })
}

/// `LSUB` after its name (RFC 3501 section 6.3.9).
pub(crate) fn lsub<'a>(c: &mut Cur<'a>) -> R<CommandBody<'a>> {
    c.sp()?;
    let reference = c.mailbox()?;
    c.sp()?;
    let pattern = pattern(c)?;
    Ok(CommandBody::Lsub { reference, pattern })
}

fn status_item<'a>(c: &mut Cur<'a>) -> R<StatusItem<'a>> {
    let a = c.atom()?;
    let s = a.as_str().as_bytes();
    let is = |n: &[u8]| s.eq_ignore_ascii_case(n);
    Ok(if is(b"MESSAGES") {
        StatusItem::Messages
    } else if is(b"RECENT") {
        StatusItem::Recent
    } else if is(b"UIDNEXT") {
        StatusItem::UidNext
    } else if is(b"UIDVALIDITY") {
        StatusItem::UidValidity
    } else if is(b"UNSEEN") {
        StatusItem::Unseen
    } else if is(b"DELETED") {
        StatusItem::Deleted
    } else if is(b"SIZE") {
        StatusItem::Size
    } else if is(b"APPENDLIMIT") {
        StatusItem::AppendLimit
    } else if is(b"HIGHESTMODSEQ") {
        StatusItem::HighestModSeq
    } else if is(b"MAILBOXID") {
        StatusItem::MailboxId
    } else {
        StatusItem::Other(a)
    })
}

/// `STATUS` after its name.
pub(crate) fn status<'a>(c: &mut Cur<'a>) -> R<CommandBody<'a>> {
    c.sp()?;
    let mailbox = c.mailbox()?;
    c.sp()?;
    let items = c.nonempty_list("status-att", status_item)?;
    Ok(CommandBody::Status { mailbox, items })
}

/// `date-time` (RFC 9051 section 9):
/// `DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE`.
pub(crate) fn date_time(c: &mut Cur<'_>) -> R<DateTime> {
    let start = c.pos;
    let dt = c
        .rest()
        .get(..DATE_TIME_LEN)
        .and_then(parse_date_time)
        .ok_or_else(|| c.err_at(start, "date-time \"dd-Mon-yyyy hh:mm:ss +zzzz\""))?;
    c.pos += DATE_TIME_LEN;
    Ok(dt)
}

/// `[flag-list SP] [date-time SP]` before an append literal.
fn append_opts<'a>(c: &mut Cur<'a>) -> R<(Option<Vec<Flag<'a>>>, Option<DateTime>)> {
    let flags = if c.peek() == Some(b'(') {
        let f = c.flag_list()?;
        c.sp()?;
        Some(f)
    } else {
        None
    };
    let date = if c.peek() == Some(b'"') {
        let d = date_time(c)?;
        c.sp()?;
        Some(d)
    } else {
        None
    };
    Ok((flags, date))
}

fn append_message<'a>(c: &mut Cur<'a>) -> R<AppendMessage<'a>> {
    let (flags, date) = append_opts(c)?;
    let data = match c.peek() {
        Some(b'~') => AppendData::Literal8(c.value(parse_literal8)?),
        Some(b'{') => AppendData::Literal(c.value(parse_literal)?),
        _ => return Err(c.err("literal or literal8")),
    };
    Ok(AppendMessage { flags, date, data })
}

/// `APPEND` after its name, with MULTIAPPEND (RFC 3502 section 6.3).
pub(crate) fn append<'a>(c: &mut Cur<'a>) -> R<CommandBody<'a>> {
    c.sp()?;
    let mailbox = c.mailbox()?;
    c.sp()?;
    let mut messages = NonEmptyVec::one(append_message(c)?);
    let mut n = 1;
    while c.eat(b' ') {
        messages.push(append_message(c)?);
        n += 1;
        c.check_items(n)?;
    }
    Ok(CommandBody::Append { mailbox, messages })
}

/// The announced literal of a streamed APPEND.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AppendLiteral {
    /// Its size in octets.
    pub size: u64,
    /// `{n}` or `{n+}`.
    pub mode: LiteralMode,
    /// `~{n}`: a `literal8` (RFC 3516), whose data may hold NUL.
    pub binary: bool,
}

/// The next streamed message of an APPEND: its flags, date and the
/// literal whose data the framer streams.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendStreamed<'a> {
    /// The flags; `None` when none were sent.
    pub flags: Option<Vec<Flag<'a>>>,
    /// The internal date.
    pub date: Option<DateTime>,
    /// The literal announced.
    pub literal: AppendLiteral,
}

/// The start of an APPEND whose message data is streamed: the framer's
/// `MessageStart` head, everything before the first streamed literal's
/// data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendHead<'a> {
    /// The tag.
    pub tag: Tag<'a>,
    /// The destination mailbox.
    pub mailbox: Mailbox<'a>,
    /// Messages small enough to have come inline before the streamed one
    /// (MULTIAPPEND, RFC 3502); usually empty.
    pub inline: Vec<AppendMessage<'a>>,
    /// The message whose data follows as chunks.
    pub streamed: AppendStreamed<'a>,
}

/// What follows a streamed APPEND literal: the framer's
/// `MessageContinue` (more messages, the last of them streamed) or
/// `MessageEnd` (the last inline messages, if any, and CRLF).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendRest<'a> {
    /// Complete messages in this part.
    pub inline: Vec<AppendMessage<'a>>,
    /// The next streamed message, `None` when the part ends the command.
    pub streamed: Option<AppendStreamed<'a>>,
}

/// A literal header that ends the input: `["~"] "{" number64 ["+"] "}"
/// CRLF`, or `None` (position unchanged) if there is none there.
fn streamed_header(c: &mut Cur<'_>) -> R<Option<AppendLiteral>> {
    let save = c.pos;
    let binary = c.eat(b'~');
    if !c.eat(b'{') {
        c.pos = save;
        return Ok(None);
    }
    let size = c.number64()?;
    let mode = if c.eat(b'+') {
        LiteralMode::NonSync
    } else {
        LiteralMode::Sync
    };
    c.expect(b'}', "'}'")?;
    if c.rest() == b"\r\n" {
        c.pos = c.b.len();
        return Ok(Some(AppendLiteral { size, mode, binary }));
    }
    c.pos = save;
    Ok(None)
}

/// `*(SP append-message)` up to a streamed literal header or the final
/// CRLF; with `need_stream`, the part must end in a streamed header.
fn append_rest<'a>(c: &mut Cur<'a>, need_stream: bool) -> R<AppendRest<'a>> {
    let mut inline = Vec::new();
    loop {
        if !need_stream && c.rest() == b"\r\n" {
            return Ok(AppendRest {
                inline,
                streamed: None,
            });
        }
        c.sp()?;
        let (flags, date) = append_opts(c)?;
        if let Some(literal) = streamed_header(c)? {
            return Ok(AppendRest {
                inline,
                streamed: Some(AppendStreamed {
                    flags,
                    date,
                    literal,
                }),
            });
        }
        let data = match c.peek() {
            Some(b'~') => AppendData::Literal8(c.value(parse_literal8)?),
            Some(b'{') => AppendData::Literal(c.value(parse_literal)?),
            _ => return Err(c.err("literal or literal8")),
        };
        inline.push(AppendMessage { flags, date, data });
        c.check_items(inline.len())?;
    }
}

/// Parses the head of a streamed APPEND, the whole of `head`: `tag SP
/// APPEND SP mailbox`, any messages sent inline, then `SP [flag-list SP]
/// [date-time SP] ("{" / "~{") number64 ["+"] "}" CRLF`.
pub fn parse_append_head(head: &[u8]) -> Result<AppendHead<'_>, CommandError> {
    parse_append_head_with(head, CommandOptions::default())
}

/// [`parse_append_head`] with options.
pub fn parse_append_head_with(
    head: &[u8],
    opts: CommandOptions,
) -> Result<AppendHead<'_>, CommandError> {
    let mut c = Cur::new(head, opts);
    let tag = match c.value(parse_tag).and_then(|t| c.sp().map(|()| t)) {
        Ok(t) => t,
        Err(kind) => return Err(CommandError { tag: None, kind }),
    };
    let r = (|| {
        if !c.eat_word(b"APPEND") {
            return Err(c.err("APPEND"));
        }
        c.sp()?;
        let mailbox = c.mailbox()?;
        let rest = append_rest(&mut c, true)?;
        let streamed = rest.streamed.ok_or_else(|| c.err("streamed literal"))?;
        Ok(AppendHead {
            tag: tag.clone(),
            mailbox,
            inline: rest.inline,
            streamed,
        })
    })();
    r.map_err(|kind| CommandError {
        tag: Some(tag.clone().into_owned()),
        kind,
    })
}

/// Parses the text after a streamed APPEND literal's data: the framer's
/// `MessageContinue` or `MessageEnd` part. `tag` is only used in errors.
pub fn parse_append_rest<'a>(
    part: &'a [u8],
    tag: &Tag<'_>,
    opts: CommandOptions,
) -> Result<AppendRest<'a>, CommandError> {
    let mut c = Cur::new(part, opts);
    append_rest(&mut c, false).map_err(|kind| CommandError {
        tag: Some(tag.clone().into_owned()),
        kind,
    })
}
