//! BODYSTRUCTURE and BODY (RFC 9051 section 7.5.2, RFC 3501 section 7.4.2)
//! from the part tree.
//!
//! Values as Dovecot 2.3 reports them, which is also what the RFCs ask
//! for: media type, subtype, parameter names and values, disposition type
//! and encoding keep the case of the message (FINDINGS 3.2); the defaults
//! are `text/plain; charset=us-ascii` and `7bit` (RFC 2045 section 5.2 and
//! 6.1); a text/* part without a charset gets `("charset" "us-ascii")`
//! (FINDINGS 3.1); body-fld-id, body-fld-desc, body-fld-md5 and
//! body-fld-loc are the field values as written, unfolded (FINDINGS 4.5).

use std::borrow::Cow;

use super::envelope::{envelope, istring, unfolded};
use super::params::{self, RawParams, content_type};
use super::tree::{Kind, Part};
use crate::types::body::{
    BodyFields, Disposition, ExtDisposition, ExtLanguage, ExtLocation, MultipartExt, Params,
    SingleKind, SinglePartExt,
};
use crate::types::{Body, IString, NString, NonEmptyVec};

/// The media type, subtype and parameters of a part.
pub(crate) struct Media<'a> {
    pub main: Cow<'a, [u8]>,
    pub sub: Cow<'a, [u8]>,
    pub params: Params<'a>,
}

fn pairs(p: RawParams<'_>) -> Params<'_> {
    p.into_iter()
        .map(|(k, v)| (istring(k), istring(v)))
        .collect()
}

/// The media type of `part`, with the defaults of RFC 2045 section 5.2 and
/// RFC 2046 section 5.1.5 (multipart/digest).
pub(crate) fn media<'a>(msg: &'a [u8], part: &Part) -> Media<'a> {
    let raw = part
        .mime
        .content_type
        .clone()
        .filter(|_| !part.synthetic)
        .map(|r| msg.get(r).unwrap_or_default());
    let (main, sub, mut params): (Cow<'a, [u8]>, Cow<'a, [u8]>, Params<'a>) = match raw {
        Some(v) => {
            let ct = content_type(v);
            (
                Cow::Borrowed(ct.main),
                Cow::Borrowed(ct.sub),
                pairs(ct.params.unwrap_or_default()),
            )
        }
        None if part.digest_default => (
            Cow::Borrowed(b"message"),
            Cow::Borrowed(b"rfc822"),
            Vec::new(),
        ),
        None => (Cow::Borrowed(b"text"), Cow::Borrowed(b"plain"), Vec::new()),
    };
    if main.eq_ignore_ascii_case(b"text")
        && !params
            .iter()
            .any(|(k, _)| k.as_bytes().eq_ignore_ascii_case(b"charset"))
    {
        params.push((
            istring(Cow::Borrowed(b"charset")),
            istring(Cow::Borrowed(b"us-ascii")),
        ));
    }
    Media { main, sub, params }
}

fn field<'a>(msg: &'a [u8], r: Option<&core::ops::Range<usize>>) -> NString<'a> {
    r.map(|r| unfolded(msg.get(r.clone()).unwrap_or_default()))
        .unwrap_or_default()
}

/// `body-fld-dsp SP body-fld-lang SP body-fld-loc`, all sent (as NIL when
/// absent), as Dovecot and most servers do.
fn ext_disposition<'a>(msg: &'a [u8], part: &Part) -> ExtDisposition<'a> {
    let m = &part.mime;
    let disposition = m.disposition.clone().and_then(|r| {
        let (kind, p) = params::disposition(msg.get(r).unwrap_or_default())?;
        Some(Disposition {
            kind: istring(Cow::Borrowed(kind)),
            params: pairs(p),
        })
    });
    let language = m
        .language
        .clone()
        .map(|r| {
            params::languages(msg.get(r).unwrap_or_default())
                .into_iter()
                .map(|t| istring(Cow::Borrowed(t)))
                .collect()
        })
        .unwrap_or_default();
    ExtDisposition {
        disposition,
        more: Some(ExtLanguage {
            language,
            more: Some(ExtLocation {
                location: field(msg, m.location.as_ref()),
                extensions: Vec::new(),
            }),
        }),
    }
}

/// The body structure of part `idx`, with extension data when `ext`.
pub(crate) fn structure<'a>(msg: &'a [u8], parts: &[Part], idx: usize, ext: bool) -> Body<'a> {
    structure_at(msg, parts, idx, ext)
}

fn structure_at<'a>(msg: &'a [u8], parts: &[Part], idx: usize, ext: bool) -> Body<'a> {
    let fallback = Part {
        header: 0..0,
        body: 0..0,
        lines: 0,
        kind: Kind::Leaf,
        mime: Default::default(),
        env: None,
        digest_default: false,
        synthetic: true,
    };
    let part = parts.get(idx).unwrap_or(&fallback);
    let m = media(msg, part);
    if let Kind::Multipart(children) = &part.kind {
        let bodies: Vec<Body<'a>> = children
            .iter()
            .map(|&c| structure_at(msg, parts, c, ext))
            .collect();
        let bodies = NonEmptyVec::new(bodies)
            .unwrap_or_else(|_| NonEmptyVec::one(structure_at(msg, &[], 0, ext)));
        return Body::Multipart {
            parts: bodies,
            subtype: istring(m.sub),
            ext: ext.then(|| MultipartExt {
                params: m.params,
                more: Some(ext_disposition(msg, part)),
            }),
        };
    }
    let lines = part.lines;
    let kind = match &part.kind {
        Kind::Message(c) => SingleKind::Message {
            envelope: Box::new(envelope(msg, parts.get(*c).and_then(|p| p.env.as_deref()))),
            body: Box::new(structure_at(msg, parts, *c, ext)),
            lines,
        },
        _ if m.main.eq_ignore_ascii_case(b"text") => SingleKind::Text { lines },
        _ => SingleKind::Basic,
    };
    let encoding = part
        .mime
        .encoding
        .clone()
        .and_then(|r| params::encoding(msg.get(r).unwrap_or_default()))
        .unwrap_or(b"7bit");
    Body::Single {
        media_type: istring(m.main),
        subtype: istring(m.sub),
        fields: BodyFields {
            params: m.params,
            id: field(msg, part.mime.id.as_ref()),
            description: field(msg, part.mime.description.as_ref()),
            encoding: IString::new(encoding).unwrap_or_else(|_| istring(Cow::Borrowed(b"7bit"))),
            octets: u32::try_from(part.body.len()).unwrap_or(u32::MAX),
        },
        kind,
        ext: ext.then(|| SinglePartExt {
            md5: field(msg, part.mime.md5.as_ref()),
            more: Some(ext_disposition(msg, part)),
        }),
    }
}
