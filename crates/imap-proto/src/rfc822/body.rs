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

use super::envelope::{envelope, istring, str_bytes as bytes, unfolded};
use rfc822_message::header::lex;
use rfc822_message::header::mime::{
    ContentDisposition, ContentLanguage, ContentTransferEncoding, ContentType, Param,
    join_sections_as_written,
};

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

/// A `body-fld-param` list: the parameters as written, RFC 2231 sections
/// joined but not decoded (FINDINGS 4.1, 4.2; see
/// [`join_sections_as_written`]).
fn pairs(p: Vec<Param<'_>>) -> Params<'_> {
    join_sections_as_written(p)
        .into_iter()
        .map(|p| {
            let (k, v) = p.into_parts();
            (istring(bytes(k)), istring(v))
        })
        .collect()
}

/// A token as written at the start of `v` (after CFWS).
fn leading_token(v: &[u8]) -> Option<(&[u8], usize)> {
    let pos = lex::skip_cfws(v, 0).ok()?;
    lex::token(v, pos)
}

/// A Content-Type value read as BODYSTRUCTURE reports it: type, subtype
/// and parameters as written. A value that is no `type "/" subtype`
/// (RFC 2045 section 5.1) is read as Dovecot 2.3 reads it (FINDINGS
/// 3.4): a lone type (`text`) is that type with an empty subtype, anything
/// else an empty type and subtype; parameters are then not read.
fn content_type(v: &[u8]) -> (Cow<'_, [u8]>, Cow<'_, [u8]>, Params<'_>) {
    if let Ok(ct) = ContentType::parse(v) {
        let (main, sub, params) = ct.into_parts();
        return (bytes(main), bytes(sub), pairs(params));
    }
    let lone = leading_token(v)
        .filter(|&(_, end)| lex::skip_cfws(v, end).is_ok_and(|p| p == v.len()))
        .map_or(&b""[..], |(t, _)| t);
    (Cow::Borrowed(lone), Cow::Borrowed(b""), Vec::new())
}

/// The Content-Transfer-Encoding token as written, when the value is one
/// (RFC 2045 section 6.1); `None` reports as the default `7bit`.
pub(crate) fn encoding(v: &[u8]) -> Option<&[u8]> {
    ContentTransferEncoding::parse(v).ok()?;
    leading_token(v).map(|(t, _)| t)
}

/// The media type of `part`, with the defaults of RFC 2045 section 5.2 and
/// RFC 2046 section 5.1.5 (multipart/digest).
pub(crate) fn media<'a>(tree: &Tree<'a>, node: Node) -> Media<'a> {
    let raw = tree.first(node, b"content-type");
    let (main, sub, mut params): (Cow<'a, [u8]>, Cow<'a, [u8]>, Params<'a>) = match raw {
        Some(v) => content_type(v),
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

/// Whether the media type is one `body-type-msg` may carry.
fn is_message_type(m: &Media<'_>) -> bool {
    m.main.eq_ignore_ascii_case(b"message")
        && (m.sub.eq_ignore_ascii_case(b"rfc822") || m.sub.eq_ignore_ascii_case(b"global"))
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
        let (kind, p) = ContentDisposition::parse(r).ok()?.into_parts();
        Some(Disposition {
            kind: istring(bytes(kind)),
            params: pairs(p),
        })
    });
    // Comments and white space dropped (FINDINGS 4.5); a value that is no
    // list of language tags (RFC 3282 section 2) is NIL.
    let language = tree
        .first(node, b"content-language")
        .and_then(|r| ContentLanguage::parse(r).ok())
        .map(|l| l.tags().iter().map(|t| istring(bytes(t.clone()))).collect())
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
    let mut m = media(tree, node);
    let shape = tree.shape(node);
    if matches!(shape, Shape::Message(_)) && !is_message_type(&m) {
        // The parser walks the part as a message, so its structure is
        // `body-type-msg`, which the grammar allows only after
        // `"MESSAGE" ("RFC822" / "GLOBAL")` (RFC 9051 section 9,
        // `media-message`). This is a multipart/digest part whose
        // Content-Type is present but invalid: RFC 2045 section 5.2 gives
        // it the default type, which in a digest is message/rfc822 (RFC
        // 2046 section 5.1.5). Reporting the value as written (`"" ""`,
        // FINDINGS 3.4) before an envelope would be invalid IMAP.
        m = Media {
            main: Cow::Borrowed(b"message"),
            sub: Cow::Borrowed(b"rfc822"),
            params: Vec::new(),
        };
    }
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
        .and_then(encoding)
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
