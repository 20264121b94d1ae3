//! FETCH data items (RFC 9051 section 7.5.2 `msg-att`), and the parsers for
//! a FETCH response whose literal the framer streamed.
//!
//! # Streamed literals
//!
//! When a literal is larger than the framer's `stream_threshold`, a FETCH
//! response comes as `MessageStart { head }`, literal chunks, then either
//! `MessageContinue { text }` (text up to the next streamed literal) and
//! more chunks, or `MessageEnd(text)`. The client:
//!
//! 1. parses `head` with [`parse_fetch_head`]: the message number, the
//!    items before the literal, and which item the literal belongs to
//!    ([`StreamedItem`]), so it can route the chunks;
//! 2. parses each `MessageContinue` / `MessageEnd` text with
//!    [`parse_fetch_rest`]: the items that follow, and for
//!    `MessageContinue` the next streamed item.
//!
//! Only a literal that is the value of a FETCH item (`BODY[...]`,
//! `BINARY[...]`, `RFC822*`) can be streamed this way. A literal nested in
//! a structure (an ENVELOPE subject, a BODYSTRUCTURE parameter) that is
//! larger than the framer's `stream_threshold` makes these parsers return
//! an error: keep the threshold well above what such strings can be (the
//! client default, 64 KiB, is), or treat the error as a broken response.
//!
//! ```
//! use imap_proto::parse::fetch::{parse_fetch_head, parse_fetch_rest, StreamedKind};
//! use imap_proto::parse::response::ResponseOptions;
//! use imap_proto::types::FetchItem;
//! let o = ResponseOptions::default();
//! let head = parse_fetch_head(b"* 3 FETCH (UID 7 BODY[TEXT] {100000}\r\n", o).unwrap();
//! assert_eq!(head.seq.get(), 3);
//! assert_eq!(head.items, vec![FetchItem::Uid(7.try_into().unwrap())]);
//! assert!(matches!(head.streamed.kind, StreamedKind::BodySection { .. }));
//! assert_eq!(head.streamed.size, 100000);
//! // ... 100000 octets of chunks ...
//! let rest = parse_fetch_rest(b" FLAGS (\\Seen))\r\n", o).unwrap();
//! assert!(rest.streamed.is_none());
//! assert_eq!(rest.items.len(), 1);
//! ```

use core::num::NonZeroU32;

use mail_wire::SyntaxError;

use super::response::{P, R, ResponseError, ResponseOptions};
use super::values;
use super::values::{DATE_TIME_LEN, parse_date_time};
use crate::types::fetch::{BinaryData, DateTime, Section, SectionText};
use crate::types::{FetchItem, NonEmptyVec, Word};

/// The item a streamed literal belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StreamedItem<'a> {
    /// Which item.
    pub kind: StreamedKind<'a>,
    /// The literal's announced size.
    pub size: u64,
    /// `~{n}`: a `literal8` (BINARY), which may hold NUL.
    pub binary: bool,
}

/// The FETCH items whose value can be a streamed literal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StreamedKind<'a> {
    /// `BODY[section]<origin>`.
    BodySection {
        /// Which part.
        section: Section<'a>,
        /// The origin octet, for a partial fetch.
        origin: Option<u32>,
    },
    /// `BINARY[part]<origin>`.
    Binary {
        /// The part numbers.
        part: Vec<NonZeroU32>,
        /// The origin octet, for a partial fetch.
        origin: Option<u32>,
    },
    /// `RFC822`.
    Rfc822,
    /// `RFC822.HEADER`.
    Rfc822Header,
    /// `RFC822.TEXT`.
    Rfc822Text,
}

impl StreamedKind<'_> {
    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> StreamedKind<'static> {
        match self {
            StreamedKind::BodySection { section, origin } => StreamedKind::BodySection {
                section: section.into_owned(),
                origin,
            },
            StreamedKind::Binary { part, origin } => StreamedKind::Binary { part, origin },
            StreamedKind::Rfc822 => StreamedKind::Rfc822,
            StreamedKind::Rfc822Header => StreamedKind::Rfc822Header,
            StreamedKind::Rfc822Text => StreamedKind::Rfc822Text,
        }
    }
}

impl StreamedItem<'_> {
    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> StreamedItem<'static> {
        StreamedItem {
            kind: self.kind.into_owned(),
            size: self.size,
            binary: self.binary,
        }
    }
}

/// The start of a FETCH response up to a streamed literal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FetchHead<'a> {
    /// The message sequence number.
    pub seq: NonZeroU32,
    /// The items before the streamed one.
    pub items: Vec<FetchItem<'a>>,
    /// The item whose data is streamed.
    pub streamed: StreamedItem<'a>,
}

/// What follows a streamed literal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FetchRest<'a> {
    /// The complete items after the literal.
    pub items: Vec<FetchItem<'a>>,
    /// The next streamed item (a `MessageContinue` text), or `None` when
    /// the response ended (`MessageEnd`).
    pub streamed: Option<StreamedItem<'a>>,
}

/// Parses the `head` of a framer `MessageStart`: `* n FETCH (items...
/// item {size}\r\n`.
pub fn parse_fetch_head(
    head: &[u8],
    opts: ResponseOptions,
) -> Result<FetchHead<'_>, ResponseError> {
    let mut p = P::new(head, opts);
    p.expect(b'*', "'*'")?;
    p.sp()?;
    let seq = p.nz()?;
    p.sp()?;
    p.expect_ci(b"FETCH", "FETCH")?;
    p.sp()?;
    p.expect(b'(', "'('")?;
    let (items, streamed) = items(&mut p, true, false)?;
    match streamed {
        Some(streamed) => Ok(FetchHead {
            seq,
            items,
            streamed,
        }),
        None => Err(p.err("a streamed literal header at the end")),
    }
}

/// Parses a framer `MessageContinue` text or `MessageEnd` text that
/// follows a streamed literal of a FETCH response: `*(SP item) ")" CRLF`,
/// or `*(SP item) SP item {size}\r\n`.
pub fn parse_fetch_rest(
    text: &[u8],
    opts: ResponseOptions,
) -> Result<FetchRest<'_>, ResponseError> {
    let mut p = P::new(text, opts);
    if p.eat(b')') {
        p.end()?;
        return Ok(FetchRest {
            items: Vec::new(),
            streamed: None,
        });
    }
    p.sp()?;
    let (items, streamed) = items(&mut p, true, true)?;
    Ok(FetchRest { items, streamed })
}

/// `msg-att`: `"(" item *(SP item) ")"`.
pub(crate) fn msg_att<'a>(p: &mut P<'a>) -> R<NonEmptyVec<FetchItem<'a>>> {
    p.expect(b'(', "'('")?;
    let (v, _) = items(p, false, false)?;
    NonEmptyVec::new(v).map_err(|_| p.err("FETCH item"))
}

enum One<'a> {
    Item(FetchItem<'a>),
    Streamed(StreamedItem<'a>),
}

/// Items after `(` up to `)` (consumed; with `tail`, also the final
/// CRLF), or, when `streaming`, up to a literal header that ends the input.
fn items<'a>(
    p: &mut P<'a>,
    streaming: bool,
    tail: bool,
) -> R<(Vec<FetchItem<'a>>, Option<StreamedItem<'a>>)> {
    let mut v = Vec::new();
    loop {
        match item(p, streaming)? {
            One::Streamed(s) => return Ok((v, Some(s))),
            One::Item(i) => v.push(i),
        }
        p.check_count(v.len())?;
        if p.opts.space_before_fetch_close && p.rest().starts_with(b" )") {
            p.pos += 1;
        }
        if p.eat(b')') {
            if tail {
                p.end()?;
            }
            return Ok((v, None));
        }
        p.expect(b' ', "SP or ')'")?;
    }
}

/// The size of a literal header `{n}\r\n` / `~{n}\r\n` that ends the
/// input, when streaming.
fn streamed_header(p: &P<'_>) -> Option<(u64, bool)> {
    let rest = p.rest();
    let (binary, rest) = match rest.strip_prefix(b"~") {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let inner = rest.strip_prefix(b"{")?.strip_suffix(b"}\r\n")?;
    let (n, used) = values::parse_number64(inner).ok()?;
    (used == inner.len()).then_some((n, binary))
}

fn streamed_or<'a>(
    p: &mut P<'a>,
    streaming: bool,
    kind: impl FnOnce() -> StreamedKind<'a>,
) -> Option<One<'a>> {
    if !streaming {
        return None;
    }
    let (size, binary) = streamed_header(p)?;
    p.pos = p.s.len();
    Some(One::Streamed(StreamedItem {
        kind: kind(),
        size,
        binary,
    }))
}

fn item<'a>(p: &mut P<'a>, streaming: bool) -> R<One<'a>> {
    let start = p.pos;
    let rest = p.rest();
    let n = rest
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_')))
        .unwrap_or(rest.len());
    let name = rest.get(..n).unwrap_or_default();
    p.pos += n;
    let is = |x: &[u8]| name.eq_ignore_ascii_case(x);
    let item = if is(b"FLAGS") {
        p.sp()?;
        FetchItem::Flags(p.list(false, P::flag)?)
    } else if is(b"UID") {
        p.sp()?;
        FetchItem::Uid(p.nz()?)
    } else if is(b"INTERNALDATE") {
        p.sp()?;
        FetchItem::InternalDate(date_time(p)?)
    } else if is(b"RFC822.SIZE") {
        p.sp()?;
        FetchItem::Rfc822Size(p.number64()?)
    } else if is(b"ENVELOPE") {
        p.sp()?;
        FetchItem::Envelope(Box::new(super::body::envelope(p)?))
    } else if is(b"BODYSTRUCTURE") {
        p.sp()?;
        FetchItem::BodyStructure(Box::new(super::body::body(p)?))
    } else if is(b"BODY") && p.peek() == Some(b'[') {
        let section = section(p)?;
        let origin = origin(p)?;
        p.sp()?;
        if let Some(s) = streamed_or(p, streaming, || StreamedKind::BodySection {
            section: section.clone(),
            origin,
        }) {
            return Ok(s);
        }
        FetchItem::BodySection {
            section,
            origin,
            data: p.nstring()?,
        }
    } else if is(b"BODY") {
        p.sp()?;
        FetchItem::Body(Box::new(super::body::body(p)?))
    } else if is(b"BINARY") && p.peek() == Some(b'[') {
        let part = section_binary(p)?;
        let origin = origin(p)?;
        p.sp()?;
        if let Some(s) = streamed_or(p, streaming, || StreamedKind::Binary {
            part: part.clone(),
            origin,
        }) {
            return Ok(s);
        }
        let data = if p.peek() == Some(b'~') {
            BinaryData::Literal8(p.val(values::parse_literal8)?)
        } else {
            BinaryData::NString(p.nstring()?)
        };
        FetchItem::Binary { part, origin, data }
    } else if is(b"BINARY.SIZE") && p.peek() == Some(b'[') {
        let part = section_binary(p)?;
        p.sp()?;
        FetchItem::BinarySize {
            part,
            size: p.number()?,
        }
    } else if is(b"RFC822") || is(b"RFC822.HEADER") || is(b"RFC822.TEXT") {
        p.sp()?;
        let kind = if is(b"RFC822") {
            StreamedKind::Rfc822
        } else if is(b"RFC822.HEADER") {
            StreamedKind::Rfc822Header
        } else {
            StreamedKind::Rfc822Text
        };
        let k2 = kind.clone();
        if let Some(s) = streamed_or(p, streaming, || k2) {
            return Ok(s);
        }
        let data = p.nstring()?;
        match kind {
            StreamedKind::Rfc822 => FetchItem::Rfc822(data),
            StreamedKind::Rfc822Header => FetchItem::Rfc822Header(data),
            _ => FetchItem::Rfc822Text(data),
        }
    } else if is(b"MODSEQ") {
        p.sp()?;
        p.expect(b'(', "'('")?;
        let n = p.number64()?;
        p.expect(b')', "')'")?;
        FetchItem::ModSeq(n)
    } else {
        p.pos = start;
        let name: Word<'a> = p.word()?;
        p.sp()?;
        FetchItem::Other {
            name,
            value: p.value()?,
        }
    };
    Ok(One::Item(item))
}

/// `"<" number ">"` if next.
fn origin(p: &mut P<'_>) -> R<Option<u32>> {
    if p.eat(b'<') {
        let n = p.number()?;
        p.expect(b'>', "'>'")?;
        Ok(Some(n))
    } else {
        Ok(None)
    }
}

/// `section-binary = "[" [section-part] "]"`.
fn section_binary(p: &mut P<'_>) -> R<Vec<NonZeroU32>> {
    p.expect(b'[', "'['")?;
    let mut part = Vec::new();
    if p.eat(b']') {
        return Ok(part);
    }
    loop {
        part.push(p.nz()?);
        p.check_count(part.len())?;
        if !p.eat(b'.') {
            break;
        }
    }
    p.expect(b']', "']'")?;
    Ok(part)
}

/// `section = "[" [section-spec] "]"`.
fn section<'a>(p: &mut P<'a>) -> R<Section<'a>> {
    p.expect(b'[', "'['")?;
    let mut part = Vec::new();
    let mut text = None;
    if p.eat(b']') {
        return Ok(Section::default());
    }
    loop {
        if !p.peek().is_some_and(|b| b.is_ascii_digit()) {
            text = Some(section_text(p, !part.is_empty())?);
            break;
        }
        part.push(p.nz()?);
        p.check_count(part.len())?;
        if !p.eat(b'.') {
            break;
        }
    }
    p.expect(b']', "']'")?;
    Section::new(part, text).map_err(|_| p.err("section"))
}

fn section_text<'a>(p: &mut P<'a>, after_part: bool) -> R<SectionText<'a>> {
    if p.eat_ci(b"HEADER.FIELDS.NOT") {
        return header_list(p).map(|fields| SectionText::HeaderFields { not: true, fields });
    }
    if p.eat_ci(b"HEADER.FIELDS") {
        return header_list(p).map(|fields| SectionText::HeaderFields { not: false, fields });
    }
    if p.eat_ci(b"HEADER") {
        return Ok(SectionText::Header);
    }
    if p.eat_ci(b"TEXT") {
        return Ok(SectionText::Text);
    }
    if after_part && p.eat_ci(b"MIME") {
        return Ok(SectionText::Mime);
    }
    Err(p.err("HEADER, HEADER.FIELDS, HEADER.FIELDS.NOT, TEXT or MIME"))
}

fn header_list<'a>(p: &mut P<'a>) -> R<NonEmptyVec<crate::types::AString<'a>>> {
    p.sp()?;
    let v = p.list(true, P::astring)?;
    NonEmptyVec::new(v).map_err(|_| p.err("header-fld-name"))
}

/// `date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP
/// time SP zone DQUOTE`.
pub(crate) fn date_time(p: &mut P<'_>) -> R<DateTime> {
    let start = p.pos;
    let dt = p
        .rest()
        .get(..DATE_TIME_LEN)
        .and_then(parse_date_time)
        .ok_or_else(|| {
            ResponseError::Syntax(SyntaxError::at(
                p.s,
                start,
                "date-time \"dd-Mon-yyyy hh:mm:ss +zzzz\"",
            ))
        })?;
    p.pos += DATE_TIME_LEN;
    Ok(dt)
}
