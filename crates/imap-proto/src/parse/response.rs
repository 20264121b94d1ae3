//! Server responses from bytes (RFC 9051 section 7 and 9, RFC 3501
//! section 7 and 9).
//!
//! [`Response::parse`] takes one complete message as the
//! [framer](super::framer) delivers it on [`Side::Client`](super::framer::Side):
//! CRLF-terminated, literals inline as `{n}\r\n` and their data. Values
//! borrow from the message (a `BODY[]` literal is a slice of it). The
//! grammar runs once, left to right, in linear time.
//!
//! For a FETCH whose literal was too large for the framer to buffer (it
//! came as `MessageStart`, chunks, `MessageContinue`..., `MessageEnd`),
//! see [`parse_fetch_head`](super::fetch::parse_fetch_head) and
//! [`parse_fetch_rest`](super::fetch::parse_fetch_rest).
//!
//! ```
//! use imap_proto::types::{Code, Data, Response, StatusKind};
//! let r = Response::parse(b"* OK [UIDVALIDITY 3857529045] UIDs valid\r\n").unwrap();
//! let Response::Status(s) = r else { panic!() };
//! assert_eq!(s.kind, StatusKind::Ok);
//! assert_eq!(s.code, Some(Code::UidValidity(3857529045.try_into().unwrap())));
//! assert_eq!(s.text.as_str(), "UIDs valid");
//!
//! ```
//!
//! A client frames the stream, then parses each message; `BODY[]` data
//! borrows from the framed message:
//!
//! ```
//! use imap_proto::parse::framer::{FrameEvent, Framer, FramerLimits, Side};
//! use imap_proto::types::{Data, FetchItem, Response};
//! let mut framer = Framer::new(FramerLimits::client(), Side::Client);
//! framer.feed(b"* 1 FETCH (UID 7 BODY[] {5}\r\nHello)\r\na1 OK done\r\n");
//! let Some(Ok(FrameEvent::Message(m))) = framer.next_event() else { panic!() };
//! let Response::Data(Data::Fetch { items, .. }) = Response::parse(&m).unwrap() else {
//!     panic!()
//! };
//! let FetchItem::BodySection { data, .. } = &items[1] else { panic!() };
//! assert_eq!(data.string().unwrap().as_bytes(), b"Hello");
//! ```

use core::num::NonZeroU32;

use mail_wire::{LimitError, SyntaxError};

use super::values::{self, ParseOptions, ValueParseError};
use crate::types::atom::{ascii_str, is_atom_char};
use crate::types::code::{Code, CodeText};
use crate::types::response::is_word_char;
use crate::types::{
    AString, Atom, Capability, ContinueRequest, Data, Delimiter, ESearch, ESearchItem, Flag,
    IString, ListData, Mailbox, NString, NamespaceDesc, NonEmptyVec, Response, SequenceSet,
    StatusKind, StatusResponse, StatusValue, Tag, Text, Value, Word,
};

/// What the parser accepts and how much.
///
/// Strict by default. `NIL`, response names, codes and FETCH item names
/// are matched in any case, as the grammar says (RFC 9051 section 9:
/// ABNF strings are case-insensitive), so `nil` needs no leniency. The
/// named leniencies below each exist because a real server needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResponseOptions {
    /// UTF8=ACCEPT is enabled (RFC 6855): quoted strings may hold UTF-8.
    pub utf8_accept: bool,
    /// Deepest nesting of parenthesised lists (BODYSTRUCTURE parts,
    /// body extensions, generic values). Default 64: above what the
    /// BODYSTRUCTURE of the deepest message `rfc822-message` walks under its
    /// default limits (50 MIME levels) needs, so a client reads whatever a
    /// server built on the `rfc822` views sends; and low enough that the
    /// recursive descent fits a 1 MiB stack, unoptimised build included.
    pub max_depth: usize,
    /// Most items in one list (flags, parts, addresses, search results,
    /// FETCH items...). Default 100,000.
    pub max_items: usize,
    /// Leniency: accept one SP before the final CRLF of untagged data
    /// (`* SEARCH 2 3 `, `* SEARCH `, `* STATUS INBOX (MESSAGES 0) `).
    /// Sent by Yahoo's IMAP server on SEARCH (djc/imap-proto PR 108,
    /// mxk/go-imap issue 9), by the GreenMail test server on an empty
    /// SEARCH (djc/imap-proto issue 34), by the David.fx server (MailKit
    /// issue 422); on STATUS seen in the wild behind an unidentified
    /// server (modern-email/defects issue 9).
    pub trailing_space: bool,
    /// Leniency: accept a SP before the `)` that closes a FETCH item list
    /// (`* 11487 FETCH (UID 19436 )`), sent by imap.qq.com (jakartaee
    /// mail-api issue 209).
    pub space_before_fetch_close: bool,
    /// Leniency: accept UTF-8 in quoted strings without UTF8=ACCEPT (as
    /// if [`ResponseOptions::utf8_accept`] were set). Proton Mail Bridge
    /// 3.6 copies raw UTF-8 header text into ENVELOPE quoted strings
    /// (modern-email/defects issue 38). Octets that are not UTF-8 are
    /// still refused.
    pub eight_bit_quoted: bool,
}

impl ResponseOptions {
    /// Every named leniency on, the limits at their defaults.
    #[must_use]
    pub fn lenient() -> Self {
        ResponseOptions {
            trailing_space: true,
            space_before_fetch_close: true,
            eight_bit_quoted: true,
            ..ResponseOptions::default()
        }
    }
}

impl Default for ResponseOptions {
    fn default() -> Self {
        ResponseOptions {
            utf8_accept: false,
            max_depth: 64,
            max_items: 100_000,
            trailing_space: false,
            space_before_fetch_close: false,
            eight_bit_quoted: false,
        }
    }
}

/// Why a response could not be parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum ResponseError {
    /// The input does not match the grammar; the offset counts from the
    /// start of the message.
    #[error(transparent)]
    Syntax(#[from] SyntaxError),
    /// A limit of [`ResponseOptions`] was exceeded (`max_depth`,
    /// `max_items`).
    #[error(transparent)]
    Limit(#[from] LimitError),
}

pub(crate) type R<T> = Result<T, ResponseError>;

/// The cursor over one message.
pub(crate) struct P<'a> {
    pub(crate) s: &'a [u8],
    pub(crate) pos: usize,
    pub(crate) opts: ResponseOptions,
    depth: usize,
}

impl<'a> P<'a> {
    pub(crate) fn new(s: &'a [u8], opts: ResponseOptions) -> Self {
        P {
            s,
            pos: 0,
            opts,
            depth: 0,
        }
    }

    pub(crate) fn err(&self, expected: &'static str) -> ResponseError {
        ResponseError::Syntax(SyntaxError::at(self.s, self.pos, expected))
    }

    pub(crate) fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    pub(crate) fn rest(&self) -> &'a [u8] {
        self.s.get(self.pos..).unwrap_or_default()
    }

    pub(crate) fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    pub(crate) fn expect(&mut self, b: u8, what: &'static str) -> R<()> {
        if self.eat(b) {
            Ok(())
        } else {
            Err(self.err(what))
        }
    }

    pub(crate) fn sp(&mut self) -> R<()> {
        self.expect(b' ', "SP")
    }

    /// Consumes `word` (any case) if it is next.
    pub(crate) fn eat_ci(&mut self, word: &[u8]) -> bool {
        let ok = self
            .rest()
            .get(..word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(word));
        if ok {
            self.pos += word.len();
        }
        ok
    }

    pub(crate) fn expect_ci(&mut self, word: &[u8], what: &'static str) -> R<()> {
        if self.eat_ci(word) {
            Ok(())
        } else {
            Err(self.err(what))
        }
    }

    /// Runs a value parser of [`values`] on the rest of the input.
    pub(crate) fn val<T>(
        &mut self,
        f: impl FnOnce(&'a [u8]) -> Result<(T, usize), ValueParseError>,
    ) -> R<T> {
        let base = self.pos;
        match f(self.rest()) {
            Ok((v, n)) => {
                self.pos += n;
                Ok(v)
            }
            Err(ValueParseError::Syntax(e)) => Err(ResponseError::Syntax(e.shifted(base))),
        }
    }

    pub(crate) fn popts(&self) -> ParseOptions {
        ParseOptions {
            utf8_accept: self.opts.utf8_accept || self.opts.eight_bit_quoted,
        }
    }

    pub(crate) fn number(&mut self) -> R<u32> {
        self.val(values::parse_number)
    }

    pub(crate) fn nz(&mut self) -> R<NonZeroU32> {
        self.val(values::parse_nz_number)
    }

    pub(crate) fn number64(&mut self) -> R<u64> {
        self.val(values::parse_number64)
    }

    pub(crate) fn nstring(&mut self) -> R<NString<'a>> {
        let o = self.popts();
        self.val(|s| values::parse_nstring(s, o))
    }

    pub(crate) fn string(&mut self) -> R<IString<'a>> {
        let o = self.popts();
        self.val(|s| values::parse_string(s, o))
    }

    pub(crate) fn astring(&mut self) -> R<AString<'a>> {
        let o = self.popts();
        self.val(|s| values::parse_astring(s, o))
    }

    pub(crate) fn atom(&mut self) -> R<Atom<'a>> {
        self.val(values::parse_atom)
    }

    pub(crate) fn flag(&mut self) -> R<Flag<'a>> {
        self.val(values::parse_flag)
    }

    pub(crate) fn seq_set(&mut self) -> R<SequenceSet> {
        self.val(values::parse_sequence_set)
    }

    /// `NIL` (any case) if next.
    pub(crate) fn eat_nil(&mut self) -> bool {
        self.eat_ci(b"NIL")
    }

    pub(crate) fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > self.opts.max_depth {
            return Err(LimitError::new("max_depth", self.opts.max_depth as u64).into());
        }
        Ok(())
    }

    pub(crate) fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    pub(crate) fn check_count(&self, n: usize) -> R<()> {
        if n > self.opts.max_items {
            return Err(LimitError::new("max_items", self.opts.max_items as u64).into());
        }
        Ok(())
    }

    /// `"(" [item *(SP item)] ")"`; with `nonempty`, at least one item.
    pub(crate) fn list<T>(
        &mut self,
        nonempty: bool,
        mut item: impl FnMut(&mut Self) -> R<T>,
    ) -> R<Vec<T>> {
        self.expect(b'(', "'('")?;
        let mut v = Vec::new();
        if !nonempty && self.eat(b')') {
            return Ok(v);
        }
        loop {
            v.push(item(self)?);
            self.check_count(v.len())?;
            if self.eat(b')') {
                return Ok(v);
            }
            self.expect(b' ', "SP or ')'")?;
        }
    }

    /// Whether only a trailing SP and CRLF are left and
    /// [`ResponseOptions::trailing_space`] allows it.
    pub(crate) fn at_trailing_space(&self) -> bool {
        self.opts.trailing_space && self.rest() == b" \r\n"
    }

    /// The CRLF that ends the message, and nothing after it (a SP before
    /// it under [`ResponseOptions::trailing_space`]).
    pub(crate) fn end(&mut self) -> R<()> {
        if self.at_trailing_space() {
            self.pos += 1;
        }
        if self.rest() == b"\r\n" {
            self.pos += 2;
            Ok(())
        } else {
            Err(self.err("CRLF at end of response"))
        }
    }

    /// `text` up to the final CRLF (may be empty).
    pub(crate) fn text_to_end(&mut self) -> R<Text<'a>> {
        let rest = self.rest();
        let n = rest
            .iter()
            .position(|&b| matches!(b, b'\r' | b'\n' | 0))
            .unwrap_or(rest.len());
        let raw = rest.get(..n).unwrap_or_default();
        let text = core::str::from_utf8(raw).map_err(|e| {
            ResponseError::Syntax(SyntaxError::at(
                self.s,
                self.pos + e.valid_up_to(),
                "UTF-8 text",
            ))
        })?;
        if crate::types::response::ends_like_literal(raw) {
            let brace = raw.iter().rposition(|&b| b == b'{').unwrap_or(0);
            return Err(ResponseError::Syntax(SyntaxError::at(
                self.s,
                self.pos + brace,
                "text (a line ending in {n} announces a literal, whose data is missing)",
            )));
        }
        self.pos += n;
        self.end()?;
        Ok(Text::from_checked(text))
    }

    /// A bare word ([`is_word_char`] run).
    pub(crate) fn word(&mut self) -> R<Word<'a>> {
        let rest = self.rest();
        let n = rest
            .iter()
            .position(|&b| !is_word_char(b))
            .unwrap_or(rest.len());
        let raw = rest.get(..n).unwrap_or_default();
        if raw.is_empty() {
            return Err(self.err("value"));
        }
        let s = ascii_str(raw).map_err(|_| self.err("value"))?;
        self.pos += n;
        Ok(Word::from_checked(s))
    }

    /// A generic value: word, string or list.
    pub(crate) fn value(&mut self) -> R<Value<'a>> {
        match self.peek() {
            Some(b'(') => {
                self.enter()?;
                let v = self.list(false, Self::value)?;
                self.leave();
                Ok(Value::List(v))
            }
            Some(b'"' | b'{') => self.string().map(Value::String),
            _ => self.word().map(Value::Word),
        }
    }

    /// A quoted single character or `NIL` (the delimiter of LIST and
    /// NAMESPACE).
    fn delimiter(&mut self) -> R<Option<Delimiter>> {
        if self.eat_nil() {
            return Ok(None);
        }
        let at = self.pos;
        let o = self.popts();
        let q = self.val(|s| values::parse_quoted(s, o))?;
        let mut chars = q.as_str().chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if Delimiter::new(c).is_ok() => Ok(Delimiter::new(c).ok()),
            _ => Err(ResponseError::Syntax(SyntaxError::at(
                self.s,
                at,
                "one quoted ASCII character or NIL",
            ))),
        }
    }
}

impl<'a> Response<'a> {
    /// Parses one complete response (CRLF included, literals inline) with
    /// the default [`ResponseOptions`].
    pub fn parse(msg: &'a [u8]) -> Result<Response<'a>, ResponseError> {
        Self::parse_with(msg, ResponseOptions::default())
    }

    /// Parses one complete response with `opts`.
    pub fn parse_with(msg: &'a [u8], opts: ResponseOptions) -> Result<Response<'a>, ResponseError> {
        let mut p = P::new(msg, opts);
        response(&mut p)
    }
}

fn response<'a>(p: &mut P<'a>) -> R<Response<'a>> {
    if p.eat(b'+') {
        p.sp()?;
        let (code, text) = resp_text(p)?;
        return Ok(Response::Continue(ContinueRequest { code, text }));
    }
    if p.eat(b'*') {
        p.sp()?;
        return untagged(p);
    }
    let tag: Tag<'a> = p.val(values::parse_tag)?;
    p.sp()?;
    let at = p.pos;
    let kind = status_kind(p)?;
    if matches!(kind, StatusKind::PreAuth | StatusKind::Bye) {
        p.pos = at;
        return Err(p.err("OK, NO or BAD (PREAUTH and BYE are untagged)"));
    }
    p.sp()?;
    let (code, text) = resp_text(p)?;
    Ok(Response::Status(StatusResponse {
        tag: Some(tag),
        kind,
        code,
        text,
    }))
}

fn status_kind(p: &mut P<'_>) -> R<StatusKind> {
    let at = p.pos;
    let a = p.atom()?;
    let b = a.as_str().as_bytes();
    Ok(if b.eq_ignore_ascii_case(b"OK") {
        StatusKind::Ok
    } else if b.eq_ignore_ascii_case(b"NO") {
        StatusKind::No
    } else if b.eq_ignore_ascii_case(b"BAD") {
        StatusKind::Bad
    } else if b.eq_ignore_ascii_case(b"PREAUTH") {
        StatusKind::PreAuth
    } else if b.eq_ignore_ascii_case(b"BYE") {
        StatusKind::Bye
    } else {
        p.pos = at;
        return Err(p.err("OK, NO, BAD, PREAUTH or BYE"));
    })
}

/// `resp-text CRLF`: `["[" resp-text-code "]" [SP]] [text]`.
fn resp_text<'a>(p: &mut P<'a>) -> R<(Option<Code<'a>>, Text<'a>)> {
    let code = if p.peek() == Some(b'[') {
        p.pos += 1;
        let c = code(p)?;
        p.expect(b']', "']'")?;
        if !p.eat(b' ') {
            p.end()?;
            return Ok((Some(c), Text::default()));
        }
        Some(c)
    } else {
        None
    };
    Ok((code, p.text_to_end()?))
}

fn code<'a>(p: &mut P<'a>) -> R<Code<'a>> {
    let at = p.pos;
    let name = p.atom()?;
    let n = name.as_str().as_bytes();
    let has_arg = p.peek() == Some(b' ');
    if let Some(c) = Code::simple(n).filter(|_| !has_arg) {
        return Ok(c);
    }
    let is = |w: &[u8]| n.eq_ignore_ascii_case(w);
    if is(b"BADCHARSET") {
        let mut v = Vec::new();
        if p.eat(b' ') {
            v = p.list(true, P::astring)?;
        }
        return Ok(Code::BadCharset(v));
    }
    if is(b"CAPABILITY") {
        return capabilities(p).map(Code::Capability);
    }
    if is(b"PERMANENTFLAGS") {
        p.sp()?;
        let v = p.list(false, |p| p.val(values::parse_flag_perm))?;
        return Ok(Code::PermanentFlags(v));
    }
    if is(b"UIDNEXT") {
        p.sp()?;
        return p.nz().map(Code::UidNext);
    }
    if is(b"UIDVALIDITY") {
        p.sp()?;
        return p.nz().map(Code::UidValidity);
    }
    if is(b"UNSEEN") {
        p.sp()?;
        return p.nz().map(Code::Unseen);
    }
    if is(b"APPENDUID") {
        p.sp()?;
        let uid_validity = p.nz()?;
        p.sp()?;
        let uids = p.seq_set()?;
        return Ok(Code::AppendUid { uid_validity, uids });
    }
    if is(b"COPYUID") {
        p.sp()?;
        let uid_validity = p.nz()?;
        p.sp()?;
        let source = p.seq_set()?;
        p.sp()?;
        let dest = p.seq_set()?;
        return Ok(Code::CopyUid {
            uid_validity,
            source,
            dest,
        });
    }
    if is(b"HIGHESTMODSEQ") {
        p.sp()?;
        return p.number64().map(Code::HighestModSeq);
    }
    if is(b"MODIFIED") {
        p.sp()?;
        return p.seq_set().map(Code::Modified);
    }
    let _ = at;
    let text = if p.eat(b' ') {
        let rest = p.rest();
        let len = rest
            .iter()
            .position(|&b| matches!(b, b']' | b'\r' | b'\n' | 0))
            .unwrap_or(rest.len());
        let raw = rest.get(..len).unwrap_or_default();
        if raw.is_empty() {
            return Err(p.err("response code text"));
        }
        let s = core::str::from_utf8(raw).map_err(|_| p.err("UTF-8 text"))?;
        p.pos += len;
        Some(CodeText::from_checked(s))
    } else {
        None
    };
    Ok(Code::Other { name, text })
}

/// `1*(SP capability)`.
fn capabilities<'a>(p: &mut P<'a>) -> R<NonEmptyVec<Capability<'a>>> {
    p.sp()?;
    let mut v = vec![capability(p)?];
    while p.peek() == Some(b' ') && p.rest().get(1).is_some_and(|&b| is_atom_char(b)) {
        p.pos += 1;
        v.push(capability(p)?);
        p.check_count(v.len())?;
    }
    NonEmptyVec::new(v).map_err(|_| p.err("capability"))
}

fn capability<'a>(p: &mut P<'a>) -> R<Capability<'a>> {
    let rest = p.rest();
    let n = rest
        .iter()
        .position(|&b| !is_atom_char(b))
        .unwrap_or(rest.len());
    let c = rest
        .get(..n)
        .and_then(|b| Capability::from_bytes(b).ok())
        .ok_or_else(|| p.err("capability"))?;
    p.pos += n;
    Ok(c)
}

fn untagged<'a>(p: &mut P<'a>) -> R<Response<'a>> {
    if p.peek().is_some_and(|b| b.is_ascii_digit()) {
        return numbered(p).map(Response::Data);
    }
    let at = p.pos;
    let name = p.atom()?;
    let n = name.as_str().as_bytes();
    let is = |w: &[u8]| n.eq_ignore_ascii_case(w);
    if is(b"OK") || is(b"NO") || is(b"BAD") || is(b"PREAUTH") || is(b"BYE") {
        p.pos = at;
        let kind = status_kind(p)?;
        p.sp()?;
        let (code, text) = resp_text(p)?;
        return Ok(Response::Status(StatusResponse {
            tag: None,
            kind,
            code,
            text,
        }));
    }
    let data = if is(b"CAPABILITY") {
        Data::Capability(capabilities(p)?)
    } else if is(b"ENABLED") {
        let mut v = Vec::new();
        while !p.at_trailing_space() && p.eat(b' ') {
            v.push(capability(p)?);
            p.check_count(v.len())?;
        }
        Data::Enabled(v)
    } else if is(b"LIST") {
        Data::List(list_data(p)?)
    } else if is(b"LSUB") {
        Data::Lsub(list_data(p)?)
    } else if is(b"STATUS") {
        status_data(p)?
    } else if is(b"SEARCH") {
        search(p)?
    } else if is(b"ESEARCH") {
        Data::ESearch(esearch(p)?)
    } else if is(b"FLAGS") {
        p.sp()?;
        Data::Flags(p.list(false, P::flag)?)
    } else if is(b"NAMESPACE") {
        p.sp()?;
        let personal = namespace(p)?;
        p.sp()?;
        let other = namespace(p)?;
        p.sp()?;
        let shared = namespace(p)?;
        Data::Namespace {
            personal,
            other,
            shared,
        }
    } else if is(b"ID") {
        p.sp()?;
        if p.eat_nil() {
            Data::Id(None)
        } else {
            let v = p.list(false, |p| {
                let k = p.string()?;
                p.sp()?;
                Ok((k, p.nstring()?))
            })?;
            Data::Id(Some(v))
        }
    } else if is(b"VANISHED") {
        p.sp()?;
        let earlier = p.eat_ci(b"(EARLIER) ");
        Data::Vanished {
            earlier,
            uids: p.seq_set()?,
        }
    } else {
        Data::Other {
            number: None,
            name,
            values: values_to_end(p)?,
        }
    };
    if !matches!(data, Data::Other { .. }) {
        p.end()?;
    }
    Ok(Response::Data(data))
}

/// `*(SP value)` then the final CRLF.
fn values_to_end<'a>(p: &mut P<'a>) -> R<Vec<Value<'a>>> {
    let mut v = Vec::new();
    while !p.at_trailing_space() && p.eat(b' ') {
        v.push(p.value()?);
        p.check_count(v.len())?;
    }
    p.end()?;
    Ok(v)
}

fn numbered<'a>(p: &mut P<'a>) -> R<Data<'a>> {
    let num_at = p.pos;
    let n = p.number()?;
    p.sp()?;
    let name = p.atom()?;
    let w = name.as_str().as_bytes();
    let is = |x: &[u8]| w.eq_ignore_ascii_case(x);
    let nz = || {
        NonZeroU32::new(n)
            .ok_or_else(|| ResponseError::Syntax(SyntaxError::at(p.s, num_at, "nz-number")))
    };
    let data = if is(b"EXISTS") {
        Data::Exists(n)
    } else if is(b"RECENT") {
        Data::Recent(n)
    } else if is(b"EXPUNGE") {
        Data::Expunge(nz()?)
    } else if is(b"FETCH") {
        let seq = nz()?;
        p.sp()?;
        let items = super::fetch::msg_att(p)?;
        Data::Fetch { seq, items }
    } else {
        return Ok(Data::Other {
            number: Some(n),
            name,
            values: values_to_end(p)?,
        });
    };
    p.end()?;
    Ok(data)
}

fn list_data<'a>(p: &mut P<'a>) -> R<ListData<'a>> {
    p.sp()?;
    let attributes = p.list(false, |p| {
        if p.peek() != Some(b'\\') {
            return Err(p.err("'\\' mailbox attribute"));
        }
        p.flag()
    })?;
    p.sp()?;
    let delimiter = p.delimiter()?;
    p.sp()?;
    let o = p.popts();
    let mailbox: Mailbox<'a> = p.val(|s| values::parse_mailbox(s, o))?;
    let mut extended = Vec::new();
    if p.eat(b' ') {
        extended = p.list(true, |p| {
            let k = p.astring()?;
            p.sp()?;
            Ok((k, p.value()?))
        })?;
    }
    Ok(ListData {
        attributes,
        delimiter,
        mailbox,
        extended,
    })
}

fn status_data<'a>(p: &mut P<'a>) -> R<Data<'a>> {
    p.sp()?;
    let o = p.popts();
    let mailbox = p.val(|s| values::parse_mailbox(s, o))?;
    p.sp()?;
    let items = p.list(false, |p| {
        let name = p.atom()?;
        p.sp()?;
        let b = name.as_str().as_bytes();
        let is = |x: &[u8]| b.eq_ignore_ascii_case(x);
        Ok(if is(b"MESSAGES") {
            StatusValue::Messages(p.number()?)
        } else if is(b"RECENT") {
            StatusValue::Recent(p.number()?)
        } else if is(b"UIDNEXT") {
            StatusValue::UidNext(p.number()?)
        } else if is(b"UIDVALIDITY") {
            StatusValue::UidValidity(p.number()?)
        } else if is(b"UNSEEN") {
            StatusValue::Unseen(p.number()?)
        } else if is(b"DELETED") {
            StatusValue::Deleted(p.number()?)
        } else if is(b"SIZE") {
            StatusValue::Size(p.number64()?)
        } else if is(b"HIGHESTMODSEQ") {
            StatusValue::HighestModSeq(p.number64()?)
        } else {
            StatusValue::Other {
                name,
                value: p.number64()?,
            }
        })
    })?;
    Ok(Data::Status { mailbox, items })
}

fn search<'a>(p: &mut P<'a>) -> R<Data<'a>> {
    let mut ids = Vec::new();
    let mut modseq = None;
    while !p.at_trailing_space() && p.eat(b' ') {
        if p.peek() == Some(b'(') {
            p.pos += 1;
            p.expect_ci(b"MODSEQ ", "MODSEQ")?;
            modseq = Some(p.number64()?);
            p.expect(b')', "')'")?;
            break;
        }
        ids.push(p.nz()?);
        p.check_count(ids.len())?;
    }
    Ok(Data::Search { ids, modseq })
}

fn esearch<'a>(p: &mut P<'a>) -> R<ESearch<'a>> {
    let mut tag = None;
    if p.rest().starts_with(b" (") {
        p.pos += 2;
        p.expect_ci(b"TAG ", "TAG")?;
        // `tag-string` is a `string` in RFC 4731 and an `astring` in RFC
        // 9051 section 9: accept both.
        tag = Some(IString::from(p.astring()?));
        p.expect(b')', "')'")?;
    }
    let mut uid = false;
    let save = p.pos;
    if p.eat_ci(b" UID") {
        if matches!(p.peek(), Some(b' ' | b'\r')) {
            uid = true;
        } else {
            p.pos = save;
        }
    }
    let mut items = Vec::new();
    while !p.at_trailing_space() && p.eat(b' ') {
        let name = p.atom()?;
        p.sp()?;
        let b = name.as_str().as_bytes();
        let is = |x: &[u8]| b.eq_ignore_ascii_case(x);
        items.push(if is(b"MIN") {
            ESearchItem::Min(p.nz()?)
        } else if is(b"MAX") {
            ESearchItem::Max(p.nz()?)
        } else if is(b"ALL") {
            ESearchItem::All(p.seq_set()?)
        } else if is(b"COUNT") {
            ESearchItem::Count(p.number()?)
        } else if is(b"MODSEQ") {
            ESearchItem::ModSeq(p.number64()?)
        } else {
            ESearchItem::Other {
                name,
                value: p.value()?,
            }
        });
        p.check_count(items.len())?;
    }
    Ok(ESearch { tag, uid, items })
}

fn namespace<'a>(p: &mut P<'a>) -> R<Option<NonEmptyVec<NamespaceDesc<'a>>>> {
    if p.eat_nil() {
        return Ok(None);
    }
    // `"(" 1*namespace-descr ")"`: the descriptors follow each other
    // without SP (RFC 9051 section 9, RFC 2342 section 5).
    p.expect(b'(', "'('")?;
    let mut v = Vec::new();
    loop {
        p.expect(b'(', "'('")?;
        let prefix = p.string()?;
        p.sp()?;
        let delimiter = p.delimiter()?;
        let mut extensions = Vec::new();
        while p.eat(b' ') {
            let k = p.string()?;
            p.sp()?;
            let vals = p.list(true, P::string)?;
            let vals = NonEmptyVec::new(vals).map_err(|_| p.err("string"))?;
            extensions.push((k, vals));
            p.check_count(extensions.len())?;
        }
        p.expect(b')', "')'")?;
        v.push(NamespaceDesc {
            prefix,
            delimiter,
            extensions,
        });
        p.check_count(v.len())?;
        if p.eat(b')') {
            break;
        }
    }
    NonEmptyVec::new(v)
        .map(Some)
        .map_err(|_| p.err("namespace"))
}
