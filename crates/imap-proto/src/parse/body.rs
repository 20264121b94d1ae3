//! BODY / BODYSTRUCTURE and ENVELOPE (RFC 9051 section 9, RFC 3501
//! section 9). Nesting is bounded by [`ResponseOptions::max_depth`]
//! (super::response::ResponseOptions) and list lengths by `max_items`.

use super::response::{P, R};
use crate::types::body::{
    Body, BodyExtension, BodyFields, Disposition, ExtDisposition, ExtLanguage, ExtLocation,
    MultipartExt, Params, SingleKind, SinglePartExt,
};
use crate::types::envelope::{Address, Envelope};
use crate::types::{IString, NonEmptyVec};

/// `body`.
pub(crate) fn body<'a>(p: &mut P<'a>) -> R<Body<'a>> {
    p.enter()?;
    p.expect(b'(', "'(' (body)")?;
    let b = if p.peek() == Some(b'(') {
        multipart(p)?
    } else {
        single(p)?
    };
    p.expect(b')', "')' (end of body)")?;
    p.leave();
    Ok(b)
}

fn multipart<'a>(p: &mut P<'a>) -> R<Body<'a>> {
    let mut parts = Vec::new();
    while p.peek() == Some(b'(') {
        parts.push(body(p)?);
        p.check_count(parts.len())?;
    }
    let parts = NonEmptyVec::new(parts).map_err(|_| p.err("body part"))?;
    p.sp()?;
    let subtype = p.string()?;
    let mut ext = None;
    if p.eat(b' ') {
        let params = params(p)?;
        ext = Some(MultipartExt {
            params,
            more: ext_disposition(p)?,
        });
    }
    Ok(Body::Multipart {
        parts,
        subtype,
        ext,
    })
}

fn single<'a>(p: &mut P<'a>) -> R<Body<'a>> {
    let media_type = p.string()?;
    p.sp()?;
    let subtype = p.string()?;
    p.sp()?;
    let params = params(p)?;
    p.sp()?;
    let id = p.nstring()?;
    p.sp()?;
    let description = p.nstring()?;
    p.sp()?;
    let encoding = p.string()?;
    p.sp()?;
    let octets = p.number()?;
    let fields = BodyFields {
        params,
        id,
        description,
        encoding,
        octets,
    };
    let t = media_type.as_bytes();
    let st = subtype.as_bytes();
    let next = p.rest().get(1).copied();
    let kind = if t.eq_ignore_ascii_case(b"TEXT")
        && p.peek() == Some(b' ')
        && next.is_some_and(|b| b.is_ascii_digit())
    {
        p.pos += 1;
        SingleKind::Text { lines: p.number()? }
    } else if t.eq_ignore_ascii_case(b"MESSAGE")
        && (st.eq_ignore_ascii_case(b"RFC822") || st.eq_ignore_ascii_case(b"GLOBAL"))
        && p.peek() == Some(b' ')
        && next == Some(b'(')
    {
        p.pos += 1;
        let envelope = Box::new(envelope(p)?);
        p.sp()?;
        let inner = Box::new(body(p)?);
        p.sp()?;
        SingleKind::Message {
            envelope,
            body: inner,
            lines: p.number()?,
        }
    } else {
        SingleKind::Basic
    };
    let mut ext = None;
    if p.eat(b' ') {
        let md5 = p.nstring()?;
        ext = Some(SinglePartExt {
            md5,
            more: ext_disposition(p)?,
        });
    }
    Ok(Body::Single {
        media_type,
        subtype,
        fields,
        kind,
        ext,
    })
}

/// `[SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc *(SP body-extension)]]]`.
fn ext_disposition<'a>(p: &mut P<'a>) -> R<Option<ExtDisposition<'a>>> {
    if !p.eat(b' ') {
        return Ok(None);
    }
    let disposition = if p.eat_nil() {
        None
    } else {
        p.expect(b'(', "'(' or NIL (body-fld-dsp)")?;
        let kind = p.string()?;
        p.sp()?;
        let params = params(p)?;
        p.expect(b')', "')'")?;
        Some(Disposition { kind, params })
    };
    let more = if p.eat(b' ') {
        let language = if p.peek() == Some(b'(') {
            p.list(true, P::string)?
        } else {
            p.nstring()?.0.into_iter().collect()
        };
        let more = if p.eat(b' ') {
            let location = p.nstring()?;
            let mut extensions = Vec::new();
            while p.eat(b' ') {
                extensions.push(body_extension(p)?);
                p.check_count(extensions.len())?;
            }
            Some(ExtLocation {
                location,
                extensions,
            })
        } else {
            None
        };
        Some(ExtLanguage { language, more })
    } else {
        None
    };
    Ok(Some(ExtDisposition { disposition, more }))
}

fn body_extension<'a>(p: &mut P<'a>) -> R<BodyExtension<'a>> {
    match p.peek() {
        Some(b'(') => {
            p.enter()?;
            let v = p.list(true, body_extension)?;
            p.leave();
            let v = NonEmptyVec::new(v).map_err(|_| p.err("body-extension"))?;
            Ok(BodyExtension::List(v))
        }
        Some(b) if b.is_ascii_digit() => p.number64().map(BodyExtension::Number),
        _ => p.nstring().map(BodyExtension::NString),
    }
}

/// `body-fld-param`: `"(" string SP string *(SP string SP string) ")" / nil`.
fn params<'a>(p: &mut P<'a>) -> R<Params<'a>> {
    if p.eat_nil() {
        return Ok(Vec::new());
    }
    p.list(true, |p| {
        let k: IString<'a> = p.string()?;
        p.sp()?;
        Ok((k, p.string()?))
    })
}

/// `envelope`.
pub(crate) fn envelope<'a>(p: &mut P<'a>) -> R<Envelope<'a>> {
    p.expect(b'(', "'(' (envelope)")?;
    let date = p.nstring()?;
    p.sp()?;
    let subject = p.nstring()?;
    p.sp()?;
    let from = addresses(p)?;
    p.sp()?;
    let sender = addresses(p)?;
    p.sp()?;
    let reply_to = addresses(p)?;
    p.sp()?;
    let to = addresses(p)?;
    p.sp()?;
    let cc = addresses(p)?;
    p.sp()?;
    let bcc = addresses(p)?;
    p.sp()?;
    let in_reply_to = p.nstring()?;
    p.sp()?;
    let message_id = p.nstring()?;
    p.expect(b')', "')' (end of envelope)")?;
    Ok(Envelope {
        date,
        subject,
        from,
        sender,
        reply_to,
        to,
        cc,
        bcc,
        in_reply_to,
        message_id,
    })
}

/// `"(" 1*address ")" / nil`.
fn addresses<'a>(p: &mut P<'a>) -> R<Vec<Address<'a>>> {
    if p.eat_nil() {
        return Ok(Vec::new());
    }
    p.expect(b'(', "'(' or NIL (address list)")?;
    let mut v = Vec::new();
    loop {
        p.expect(b'(', "'(' (address)")?;
        let name = p.nstring()?;
        p.sp()?;
        let adl = p.nstring()?;
        p.sp()?;
        let mailbox = p.nstring()?;
        p.sp()?;
        let host = p.nstring()?;
        p.expect(b')', "')' (end of address)")?;
        v.push(Address {
            name,
            adl,
            mailbox,
            host,
        });
        p.check_count(v.len())?;
        if p.eat(b')') {
            return Ok(v);
        }
    }
}
