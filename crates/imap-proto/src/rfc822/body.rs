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
use super::parts::{Node, Shape, Tree};
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
pub(crate) fn media<'a>(tree: &Tree<'a>, node: Node) -> Media<'a> {
    let raw = tree.first(node, b"content-type");
    let (main, sub, mut params): (Cow<'a, [u8]>, Cow<'a, [u8]>, Params<'a>) = match raw {
        Some(v) => {
            let ct = content_type(v);
            (
                Cow::Borrowed(ct.main),
                Cow::Borrowed(ct.sub),
                pairs(ct.params.unwrap_or_default()),
            )
        }
        None if tree.digest_default(node) => (
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

/// The first `name` field's value as written, unfolded; NIL when absent.
fn field<'a>(tree: &Tree<'a>, node: Node, name: &[u8]) -> NString<'a> {
    tree.first(node, name)
        .map(|v| unfolded(v.strip_prefix(b" ").unwrap_or(v)))
        .unwrap_or_default()
}

/// `body-fld-dsp SP body-fld-lang SP body-fld-loc`, all sent (as NIL when
/// absent), as Dovecot and most servers do.
fn ext_disposition<'a>(tree: &Tree<'a>, node: Node) -> ExtDisposition<'a> {
    let disposition = tree.first(node, b"content-disposition").and_then(|r| {
        let (kind, p) = params::disposition(r)?;
        Some(Disposition {
            kind: istring(Cow::Borrowed(kind)),
            params: pairs(p),
        })
    });
    let language = tree
        .first(node, b"content-language")
        .map(|r| {
            params::languages(r)
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
                location: field(tree, node, b"content-location"),
                extensions: Vec::new(),
            }),
        }),
    }
}

/// The body structure of `node`, with extension data when `ext`.
pub(crate) fn structure<'a>(tree: &Tree<'a>, node: Node, ext: bool) -> Body<'a> {
    let m = media(tree, node);
    let shape = tree.shape(node);
    if let Shape::Multipart(children) = &shape {
        let bodies: Vec<Body<'a>> = children.iter().map(|&c| structure(tree, c, ext)).collect();
        let bodies = NonEmptyVec::new(bodies)
            .unwrap_or_else(|_| NonEmptyVec::one(structure(tree, Node::empty(0), ext)));
        return Body::Multipart {
            parts: bodies,
            subtype: istring(m.sub),
            ext: ext.then(|| MultipartExt {
                params: m.params,
                more: Some(ext_disposition(tree, node)),
            }),
        };
    }
    let lines = tree.lines(node);
    let kind = match shape {
        Shape::Message(c) => SingleKind::Message {
            envelope: Box::new(envelope(tree, Some(c))),
            body: Box::new(structure(tree, c, ext)),
            lines,
        },
        _ if m.main.eq_ignore_ascii_case(b"text") => SingleKind::Text { lines },
        _ => SingleKind::Basic,
    };
    let encoding = tree
        .first(node, b"content-transfer-encoding")
        .and_then(params::encoding)
        .unwrap_or(b"7bit");
    Body::Single {
        media_type: istring(m.main),
        subtype: istring(m.sub),
        fields: BodyFields {
            params: m.params,
            id: field(tree, node, b"content-id"),
            description: field(tree, node, b"content-description"),
            encoding: IString::new(encoding).unwrap_or_else(|_| istring(Cow::Borrowed(b"7bit"))),
            octets: u32::try_from(tree.body(node).len()).unwrap_or(u32::MAX),
        },
        kind,
        ext: ext.then(|| SinglePartExt {
            md5: field(tree, node, b"content-md5"),
            more: Some(ext_disposition(tree, node)),
        }),
    }
}
