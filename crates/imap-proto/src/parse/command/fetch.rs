//! FETCH (RFC 9051 section 6.4.5): `[UID] FETCH set items [(modifiers)]`.

use core::num::{NonZeroU32, NonZeroU64};

use super::{Cur, R};
use crate::parse::values::parse_nz_number;
use crate::types::NonEmptyVec;
use crate::types::command::{CommandBody, FetchAttr, FetchItems, Partial, Section, SectionText};

/// `FETCH` after its name.
pub(crate) fn fetch<'a>(c: &mut Cur<'a>, uid: bool) -> R<CommandBody<'a>> {
    c.sp()?;
    let set = c.seq_set()?;
    c.sp()?;
    let items = if c.peek() == Some(b'(') {
        FetchItems::Items(c.nonempty_list("fetch-att", fetch_att)?)
    } else {
        let save = c.pos;
        let w = c.keyword();
        if w.eq_ignore_ascii_case(b"ALL") {
            FetchItems::All
        } else if w.eq_ignore_ascii_case(b"FAST") {
            FetchItems::Fast
        } else if w.eq_ignore_ascii_case(b"FULL") {
            FetchItems::Full
        } else {
            c.pos = save;
            FetchItems::Items(NonEmptyVec::one(fetch_att(c)?))
        }
    };
    let modifiers = if c.peek() == Some(b' ') && c.b.get(c.pos + 1) == Some(&b'(') {
        c.pos += 1;
        Some(c.raw_params()?)
    } else {
        None
    };
    Ok(CommandBody::Fetch {
        uid,
        set,
        items,
        modifiers,
    })
}

/// One `fetch-att`.
pub(crate) fn fetch_att<'a>(c: &mut Cur<'a>) -> R<FetchAttr<'a>> {
    let start = c.pos;
    let w = c.keyword();
    let is = |n: &[u8]| w.eq_ignore_ascii_case(n);
    Ok(if is(b"ENVELOPE") {
        FetchAttr::Envelope
    } else if is(b"FLAGS") {
        FetchAttr::Flags
    } else if is(b"INTERNALDATE") {
        FetchAttr::InternalDate
    } else if is(b"RFC822") {
        FetchAttr::Rfc822
    } else if is(b"RFC822.HEADER") {
        FetchAttr::Rfc822Header
    } else if is(b"RFC822.TEXT") {
        FetchAttr::Rfc822Text
    } else if is(b"RFC822.SIZE") {
        FetchAttr::Rfc822Size
    } else if is(b"BODYSTRUCTURE") {
        FetchAttr::BodyStructure
    } else if is(b"UID") {
        FetchAttr::Uid
    } else if is(b"MODSEQ") {
        FetchAttr::ModSeq
    } else if is(b"BODY") && c.peek() != Some(b'[') {
        FetchAttr::Body
    } else if is(b"BODY") || is(b"BODY.PEEK") {
        let peek = w.len() > 4;
        let section = section(c)?;
        let partial = partial(c)?;
        FetchAttr::BodySection {
            peek,
            section,
            partial,
        }
    } else if is(b"BINARY") || is(b"BINARY.PEEK") {
        let peek = w.len() > 6;
        let part = section_binary(c)?;
        let partial = partial(c)?;
        FetchAttr::Binary {
            peek,
            part,
            partial,
        }
    } else if is(b"BINARY.SIZE") {
        FetchAttr::BinarySize {
            part: section_binary(c)?,
        }
    } else {
        return Err(c.err_at(start, "fetch-att"));
    })
}

fn nz(c: &mut Cur<'_>) -> R<NonZeroU32> {
    c.value(parse_nz_number)
}

/// `section-part`: `nz-number *("." nz-number)`, stopping before a `.`
/// that is not followed by a digit.
fn part(c: &mut Cur<'_>) -> R<Vec<NonZeroU32>> {
    let mut v = Vec::new();
    if !c.peek().is_some_and(|b| b.is_ascii_digit()) {
        return Ok(v);
    }
    v.push(nz(c)?);
    while c.peek() == Some(b'.') && c.b.get(c.pos + 1).is_some_and(u8::is_ascii_digit) {
        c.pos += 1;
        v.push(nz(c)?);
        c.check_items(v.len())?;
    }
    Ok(v)
}

/// `section-binary`: `"[" [section-part] "]"`.
fn section_binary(c: &mut Cur<'_>) -> R<Vec<NonZeroU32>> {
    c.expect(b'[', "'['")?;
    let p = part(c)?;
    c.expect(b']', "']'")?;
    Ok(p)
}

/// `section`: `"[" [section-spec] "]"`.
fn section<'a>(c: &mut Cur<'a>) -> R<Section<'a>> {
    c.expect(b'[', "'['")?;
    let p = part(c)?;
    let text = if c.peek() == Some(b']') {
        None
    } else {
        if !p.is_empty() {
            c.expect(b'.', "'.' or ']'")?;
        }
        let start = c.pos;
        let w = c.keyword();
        let is = |n: &[u8]| w.eq_ignore_ascii_case(n);
        Some(if is(b"HEADER") {
            SectionText::Header
        } else if is(b"TEXT") {
            SectionText::Text
        } else if is(b"MIME") && !p.is_empty() {
            SectionText::Mime
        } else if is(b"HEADER.FIELDS") || is(b"HEADER.FIELDS.NOT") {
            c.sp()?;
            let fields = c.nonempty_list("header-fld-name", Cur::astring)?;
            SectionText::HeaderFields {
                not: w.len() > 13,
                fields,
            }
        } else {
            return Err(c.err_at(start, "section-text"));
        })
    };
    c.expect(b']', "']'")?;
    Section::new(p, text).map_err(|_| c.err("section"))
}

/// `[partial]`: `"<" number64 "." nz-number64 ">"`.
fn partial(c: &mut Cur<'_>) -> R<Option<Partial>> {
    if !c.eat(b'<') {
        return Ok(None);
    }
    let offset = c.number64()?;
    c.expect(b'.', "'.'")?;
    let at = c.pos;
    let length = NonZeroU64::new(c.number64()?).ok_or_else(|| c.err_at(at, "nz-number64"))?;
    c.expect(b'>', "'>'")?;
    Ok(Some(Partial { offset, length }))
}
