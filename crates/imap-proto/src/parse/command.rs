//! Bytes to [`Command`]: the command grammar of RFC 3501 section 9 and
//! RFC 9051 section 9, over one complete message from the
//! [framer](super::framer) (its line(s), literals inline, final CRLF).
//!
//! Hand-written over `&[u8]`, borrowing from the input; numbers are read
//! with overflow checks; SEARCH nesting and list lengths are bounded by
//! [`CommandLimits`]. An error carries the tag when it could be read, so
//! a server can answer `tag BAD`.
//!
//! ```
//! use imap_proto::types::command::{Command, CommandBody};
//! let cmd = Command::parse(b"a1 LOGIN fred \"my secret\"\r\n").unwrap();
//! assert_eq!(cmd.tag.as_str(), "a1");
//! assert!(matches!(cmd.body, CommandBody::Login { .. }));
//! let err = Command::parse(b"a2 FETCH 1:x FLAGS\r\n").unwrap_err();
//! assert_eq!(err.tag.unwrap().as_str(), "a2");
//! ```
//!
//! The families are in [`fetch`] (FETCH items), [`search`] (SEARCH keys),
//! [`message`] (STORE, COPY, MOVE) and [`mailbox`] (LIST, STATUS, APPEND
//! and the streamed APPEND parts).

pub mod fetch;
pub mod mailbox;
pub mod message;
pub mod search;

use core::fmt;

use mail_wire::sasl::Mechanism;
use mail_wire::{LimitError, SyntaxError};

use super::values::{
    ParseOptions, ValueParseError, parse_astring, parse_atom, parse_flag, parse_mailbox,
    parse_nstring, parse_number64, parse_sequence_set, parse_string, parse_tag,
};
use crate::types::atom::is_atom_char;
use crate::types::command::is_base64_char;
use crate::types::command::raw::scan;
use crate::types::command::{Command, CommandBody, InitialResponse, RawArgs};
use crate::types::{AString, Atom, Flag, Mailbox, NonEmptyVec, SequenceSet, Tag};

pub use mailbox::{
    AppendHead, AppendLiteral, AppendRest, AppendStreamed, parse_append_head,
    parse_append_head_with, parse_append_rest,
};

/// Bounds on what one command may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CommandLimits {
    /// Deepest nesting of SEARCH keys (parentheses, `NOT`, `OR`).
    pub max_search_depth: usize,
    /// Most elements of any one list (FETCH items, flags, search keys
    /// in one list, header fields, ID pairs, STATUS items, APPEND
    /// messages, LIST patterns and options).
    pub max_list_items: usize,
}

impl Default for CommandLimits {
    /// 32 levels of SEARCH nesting, 1000 elements per list.
    fn default() -> Self {
        CommandLimits {
            max_search_depth: 32,
            max_list_items: 1000,
        }
    }
}

/// How to parse commands: what the connection enabled, and the limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct CommandOptions {
    /// Value options (UTF8=ACCEPT).
    pub values: ParseOptions,
    /// Limits.
    pub limits: CommandLimits,
}

/// What went wrong in a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum CommandErrorKind {
    /// The command does not match the grammar.
    #[error(transparent)]
    Syntax(#[from] SyntaxError),
    /// The command exceeds a [`CommandLimits`] bound.
    #[error(transparent)]
    Limit(#[from] LimitError),
}

/// A command that could not be parsed, with its tag when it was read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CommandError {
    /// The tag, so a server can answer `tag BAD`; `None` when the message
    /// does not start with a valid tag followed by SP or CR.
    pub tag: Option<Tag<'static>>,
    /// What went wrong.
    pub kind: CommandErrorKind,
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.tag {
            Some(t) => write!(f, "command {t}: {}", self.kind),
            None => write!(f, "command: {}", self.kind),
        }
    }
}

pub(crate) type R<T> = Result<T, CommandErrorKind>;

/// A cursor over one message.
pub(crate) struct Cur<'a> {
    pub(crate) b: &'a [u8],
    pub(crate) pos: usize,
    pub(crate) opts: CommandOptions,
}

impl<'a> Cur<'a> {
    pub(crate) fn new(b: &'a [u8], opts: CommandOptions) -> Self {
        Cur { b, pos: 0, opts }
    }

    pub(crate) fn err_at(&self, at: usize, expected: &'static str) -> CommandErrorKind {
        CommandErrorKind::Syntax(SyntaxError::at(self.b, at, expected))
    }

    pub(crate) fn err(&self, expected: &'static str) -> CommandErrorKind {
        self.err_at(self.pos, expected)
    }

    pub(crate) fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    pub(crate) fn rest(&self) -> &'a [u8] {
        self.b.get(self.pos..).unwrap_or_default()
    }

    pub(crate) fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    pub(crate) fn expect(&mut self, c: u8, what: &'static str) -> R<()> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.err(what))
        }
    }

    pub(crate) fn sp(&mut self) -> R<()> {
        self.expect(b' ', "SP")
    }

    /// Whether the next bytes are `w` (any case), consuming them if so.
    pub(crate) fn eat_word(&mut self, w: &[u8]) -> bool {
        let ok = self
            .b
            .get(self.pos..self.pos + w.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(w));
        if ok {
            self.pos += w.len();
        }
        ok
    }

    /// The run of bytes from here satisfying `ok`.
    pub(crate) fn run(&mut self, ok: impl Fn(u8) -> bool) -> &'a [u8] {
        let rest = self.rest();
        let n = rest.iter().position(|&c| !ok(c)).unwrap_or(rest.len());
        self.pos += n;
        rest.get(..n).unwrap_or_default()
    }

    /// A keyword: letters, digits, `.`, `-`, `_`.
    pub(crate) fn keyword(&mut self) -> &'a [u8] {
        self.run(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_'))
    }

    /// Runs a value parser of [`super::values`] here.
    pub(crate) fn value<T>(
        &mut self,
        f: impl FnOnce(&'a [u8]) -> Result<(T, usize), ValueParseError>,
    ) -> R<T> {
        let pos = self.pos;
        match f(self.rest()) {
            Ok((v, n)) => {
                self.pos += n;
                Ok(v)
            }
            Err(ValueParseError::Syntax(e)) => Err(CommandErrorKind::Syntax(e.shifted(pos))),
        }
    }

    pub(crate) fn astring(&mut self) -> R<AString<'a>> {
        let o = self.opts.values;
        self.value(|b| parse_astring(b, o))
    }

    pub(crate) fn mailbox(&mut self) -> R<Mailbox<'a>> {
        let o = self.opts.values;
        self.value(|b| parse_mailbox(b, o))
    }

    pub(crate) fn atom(&mut self) -> R<Atom<'a>> {
        self.value(parse_atom)
    }

    pub(crate) fn seq_set(&mut self) -> R<SequenceSet> {
        self.value(parse_sequence_set)
    }

    pub(crate) fn number64(&mut self) -> R<u64> {
        self.value(parse_number64)
    }

    pub(crate) fn number(&mut self) -> R<u32> {
        self.value(super::values::parse_number)
    }

    pub(crate) fn flag(&mut self) -> R<Flag<'a>> {
        self.value(parse_flag)
    }

    /// Checks a list length against the limit.
    pub(crate) fn check_items(&self, n: usize) -> R<()> {
        let max = self.opts.limits.max_list_items;
        if n > max {
            return Err(CommandErrorKind::Limit(LimitError::new(
                "max_list_items",
                max as u64,
            )));
        }
        Ok(())
    }

    /// `"(" [item *(SP item)] ")"`, the `(` already read.
    pub(crate) fn list_rest<T>(&mut self, mut item: impl FnMut(&mut Self) -> R<T>) -> R<Vec<T>> {
        let mut v = Vec::new();
        if self.eat(b')') {
            return Ok(v);
        }
        loop {
            v.push(item(self)?);
            self.check_items(v.len())?;
            if self.eat(b')') {
                return Ok(v);
            }
            self.sp()?;
        }
    }

    /// `"(" item *(SP item) ")"`.
    pub(crate) fn nonempty_list<T>(
        &mut self,
        what: &'static str,
        item: impl FnMut(&mut Self) -> R<T>,
    ) -> R<NonEmptyVec<T>> {
        self.expect(b'(', "'('")?;
        let start = self.pos;
        let v = self.list_rest(item)?;
        NonEmptyVec::new(v).map_err(|_| self.err_at(start, what))
    }

    /// `flag-list` = `"(" [flag *(SP flag)] ")"`.
    pub(crate) fn flag_list(&mut self) -> R<Vec<Flag<'a>>> {
        self.expect(b'(', "'(' of a flag list")?;
        self.list_rest(Self::flag)
    }

    /// `"(" raw ")"`: parameters kept byte-exact.
    pub(crate) fn raw_params(&mut self) -> R<RawArgs<'a>> {
        self.expect(b'(', "'('")?;
        let start = self.pos;
        let end =
            scan(self.rest(), true, |_| {}).map_err(|(at, what)| self.err_at(start + at, what))?;
        let text = self.b.get(start..start + end).unwrap_or_default();
        self.pos = start + end + 1;
        Ok(RawArgs::from_checked(text))
    }

    /// The final CRLF, which must end the message.
    pub(crate) fn end(&self) -> R<()> {
        if self.rest() == b"\r\n" {
            Ok(())
        } else if self.rest().starts_with(b"\r\n") {
            Err(self.err_at(self.pos + 2, "end of message after CRLF"))
        } else {
            Err(self.err("CRLF"))
        }
    }
}

impl<'a> Command<'a> {
    /// Parses one complete command message (CRLF included, literals
    /// inline) with the default [`CommandOptions`].
    pub fn parse(msg: &'a [u8]) -> Result<Command<'a>, CommandError> {
        Self::parse_with(msg, CommandOptions::default())
    }

    /// Parses one complete command message with `opts`.
    pub fn parse_with(msg: &'a [u8], opts: CommandOptions) -> Result<Command<'a>, CommandError> {
        let mut c = Cur::new(msg, opts);
        // A tag is recovered only when a word boundary (SP or CR) ends
        // it, so `a{6 NOOP` is not answered as `a`.
        let tag = match c.value(parse_tag) {
            Ok(t) if matches!(c.peek(), Some(b' ' | b'\r')) => t,
            Ok(_) => {
                return Err(CommandError {
                    tag: None,
                    kind: c.err("SP after the tag"),
                });
            }
            Err(kind) => return Err(CommandError { tag: None, kind }),
        };
        match c.sp().and_then(|()| body(&mut c)) {
            Ok(body) => Ok(Command { tag, body }),
            Err(kind) => Err(CommandError {
                tag: Some(tag.into_owned()),
                kind,
            }),
        }
    }
}

/// Parses the line that ends IDLE: `DONE` CRLF (RFC 9051 section 6.3.13,
/// `idle` rule), any case.
pub fn parse_idle_done(line: &[u8]) -> Result<(), CommandError> {
    let mut c = Cur::new(line, CommandOptions::default());
    if !c.eat_word(b"DONE") {
        return Err(CommandError {
            tag: None,
            kind: c.err("DONE"),
        });
    }
    c.end().map_err(|kind| CommandError { tag: None, kind })
}

fn is_name(w: &[u8], name: &[u8]) -> bool {
    w.eq_ignore_ascii_case(name)
}

fn body<'a>(c: &mut Cur<'a>) -> R<CommandBody<'a>> {
    let start = c.pos;
    let name = c.run(is_atom_char);
    if name.is_empty() {
        return Err(c.err("command name"));
    }
    let n = name;
    let simple = if is_name(n, b"CAPABILITY") {
        Some(CommandBody::Capability)
    } else if is_name(n, b"NOOP") {
        Some(CommandBody::Noop)
    } else if is_name(n, b"LOGOUT") {
        Some(CommandBody::Logout)
    } else if is_name(n, b"STARTTLS") {
        Some(CommandBody::StartTls)
    } else if is_name(n, b"NAMESPACE") {
        Some(CommandBody::Namespace)
    } else if is_name(n, b"IDLE") {
        Some(CommandBody::Idle)
    } else if is_name(n, b"CHECK") {
        Some(CommandBody::Check)
    } else if is_name(n, b"CLOSE") {
        Some(CommandBody::Close)
    } else if is_name(n, b"UNSELECT") {
        Some(CommandBody::Unselect)
    } else if is_name(n, b"EXPUNGE") {
        Some(CommandBody::Expunge)
    } else {
        None
    };
    if let Some(b) = simple {
        c.end()?;
        return Ok(b);
    }
    let body = if is_name(n, b"LOGIN") {
        c.sp()?;
        let username = c.astring()?;
        c.sp()?;
        let password = c.astring()?;
        CommandBody::Login {
            username,
            password: password.into(),
        }
    } else if is_name(n, b"AUTHENTICATE") {
        authenticate(c)?
    } else if is_name(n, b"ENABLE") {
        let mut caps = Vec::new();
        while c.eat(b' ') {
            caps.push(c.atom()?);
            c.check_items(caps.len())?;
        }
        let capabilities = NonEmptyVec::new(caps).map_err(|_| c.err("SP capability"))?;
        CommandBody::Enable { capabilities }
    } else if is_name(n, b"SELECT") || is_name(n, b"EXAMINE") || is_name(n, b"CREATE") {
        c.sp()?;
        let mailbox = c.mailbox()?;
        let params = if c.peek() == Some(b' ') && c.b.get(c.pos + 1) == Some(&b'(') {
            c.pos += 1;
            Some(c.raw_params()?)
        } else {
            None
        };
        if is_name(n, b"SELECT") {
            CommandBody::Select { mailbox, params }
        } else if is_name(n, b"EXAMINE") {
            CommandBody::Examine { mailbox, params }
        } else {
            CommandBody::Create { mailbox, params }
        }
    } else if is_name(n, b"DELETE") {
        c.sp()?;
        CommandBody::Delete {
            mailbox: c.mailbox()?,
        }
    } else if is_name(n, b"SUBSCRIBE") {
        c.sp()?;
        CommandBody::Subscribe {
            mailbox: c.mailbox()?,
        }
    } else if is_name(n, b"UNSUBSCRIBE") {
        c.sp()?;
        CommandBody::Unsubscribe {
            mailbox: c.mailbox()?,
        }
    } else if is_name(n, b"GETQUOTAROOT") {
        c.sp()?;
        CommandBody::GetQuotaRoot {
            mailbox: c.mailbox()?,
        }
    } else if is_name(n, b"GETQUOTA") {
        c.sp()?;
        CommandBody::GetQuota { root: c.astring()? }
    } else if is_name(n, b"SETQUOTA") {
        c.sp()?;
        let root = c.astring()?;
        c.sp()?;
        c.expect(b'(', "'('")?;
        let limits = c.list_rest(|c| {
            let a = c.atom()?;
            c.sp()?;
            Ok((a, c.number64()?))
        })?;
        CommandBody::SetQuota { root, limits }
    } else if is_name(n, b"RENAME") {
        c.sp()?;
        let from = c.mailbox()?;
        c.sp()?;
        let to = c.mailbox()?;
        CommandBody::Rename { from, to }
    } else if is_name(n, b"LIST") {
        mailbox::list(c)?
    } else if is_name(n, b"LSUB") {
        mailbox::lsub(c)?
    } else if is_name(n, b"STATUS") {
        mailbox::status(c)?
    } else if is_name(n, b"APPEND") {
        mailbox::append(c)?
    } else if is_name(n, b"SEARCH") {
        search::search(c, false)?
    } else if is_name(n, b"FETCH") {
        fetch::fetch(c, false)?
    } else if is_name(n, b"STORE") {
        message::store(c, false)?
    } else if is_name(n, b"COPY") || is_name(n, b"MOVE") {
        message::copy_move(c, false, is_name(n, b"MOVE"))?
    } else if is_name(n, b"ID") {
        id(c)?
    } else if is_name(n, b"UID") {
        match uid(c)? {
            Some(b) => b,
            None => {
                c.pos = start + n.len();
                return other(c, n);
            }
        }
    } else {
        return other(c, n);
    };
    c.end()?;
    Ok(body)
}

/// The command after `UID SP`, or `None` for an unknown UID command.
fn uid<'a>(c: &mut Cur<'a>) -> R<Option<CommandBody<'a>>> {
    c.sp()?;
    let save = c.pos;
    let n = c.run(is_atom_char);
    Ok(Some(if is_name(n, b"FETCH") {
        fetch::fetch(c, true)?
    } else if is_name(n, b"STORE") {
        message::store(c, true)?
    } else if is_name(n, b"COPY") || is_name(n, b"MOVE") {
        message::copy_move(c, true, is_name(n, b"MOVE"))?
    } else if is_name(n, b"SEARCH") {
        search::search(c, true)?
    } else if is_name(n, b"EXPUNGE") {
        c.sp()?;
        CommandBody::UidExpunge { set: c.seq_set()? }
    } else {
        c.pos = save;
        return Ok(None);
    }))
}

/// An unknown command: the rest of the message kept byte-exact.
fn other<'a>(c: &mut Cur<'a>, name: &'a [u8]) -> R<CommandBody<'a>> {
    let name = Atom::from_bytes(name).map_err(|_| c.err("command name"))?;
    if c.rest() == b"\r\n" {
        return Ok(CommandBody::Other { name, args: None });
    }
    c.sp()?;
    let start = c.pos;
    let Some(end) = c.b.len().checked_sub(2).filter(|&e| e >= start) else {
        return Err(c.err("CRLF"));
    };
    if c.b.get(end..) != Some(&b"\r\n"[..]) {
        return Err(c.err_at(c.b.len(), "CRLF"));
    }
    let text = c.b.get(start..end).unwrap_or_default();
    scan(text, false, |_| {}).map_err(|(at, what)| c.err_at(start + at, what))?;
    Ok(CommandBody::Other {
        name,
        args: Some(RawArgs::from_checked(text)),
    })
}

fn authenticate<'a>(c: &mut Cur<'a>) -> R<CommandBody<'a>> {
    c.sp()?;
    let start = c.pos;
    let name = c.run(is_atom_char);
    let mechanism =
        Mechanism::parse(name).map_err(|e| CommandErrorKind::Syntax(e.shifted(start)))?;
    let initial_response = if c.eat(b' ') {
        if c.eat(b'=') {
            Some(InitialResponse::Empty)
        } else {
            let at = c.pos;
            let t = c.run(is_base64_char);
            let s = core::str::from_utf8(t).map_err(|_| c.err_at(at, "base64"))?;
            Some(InitialResponse::base64(s).map_err(|_| c.err_at(at, "base64 or '='"))?)
        }
    } else {
        None
    };
    Ok(CommandBody::Authenticate {
        mechanism,
        initial_response,
    })
}

fn id<'a>(c: &mut Cur<'a>) -> R<CommandBody<'a>> {
    c.sp()?;
    if c.eat_word(b"NIL") {
        return Ok(CommandBody::Id { params: None });
    }
    c.expect(b'(', "'(' or NIL")?;
    let o = c.opts.values;
    let params = c.list_rest(|c| {
        let k = c.value(|b| parse_string(b, o))?;
        c.sp()?;
        let v = c.value(|b| parse_nstring(b, o))?;
        Ok((k, v))
    })?;
    Ok(CommandBody::Id {
        params: Some(params),
    })
}
