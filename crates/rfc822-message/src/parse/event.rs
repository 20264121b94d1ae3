//! The events of the push parser.
//!
//! For every part (the message itself is part 0) the parser emits, in this
//! order: [`Event::PartStart`], its [`Event::Header`] fields, one
//! [`Event::BodyStart`], then its body (as [`Event::Body`] chunks for a
//! leaf; [`Event::Preamble`], the subparts and [`Event::Epilogue`] for a
//! multipart; the nested message for a message part) and finally
//! [`Event::PartEnd`]. [`Event::Defect`] may appear anywhere. Parts are
//! numbered in the order they start (depth-first, pre-order), so a part's
//! number is its index in [`Message::parts`](crate::Message::parts).

use core::ops::Range;

use super::Defect;

/// One step of the parse. Slices borrow from the chunk passed to
/// [`Parser::feed`](super::Parser::feed) when the item lies whole in it, or
/// from the parser's small internal buffers otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event<'a> {
    /// A part begins: its header starts at `offset`.
    PartStart(PartStart),
    /// A header field of the current part, as written.
    Header(HeaderField<'a>),
    /// The current part's header ended; what its body is.
    BodyStart(BodyStart<'a>),
    /// Content of a leaf part's body.
    Body(BodyChunk<'a>),
    /// Bytes of a multipart body before its first delimiter line.
    Preamble(BodyChunk<'a>),
    /// Bytes of a multipart body after its close delimiter line.
    Epilogue(BodyChunk<'a>),
    /// A part ends, with its byte ranges and line count.
    PartEnd(PartEnd),
    /// Something wrong with the message, passed over (see [`Defect`]).
    Defect(Defect),
}

impl Event<'_> {
    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> Event<'static> {
        match self {
            Event::PartStart(p) => Event::PartStart(p),
            Event::Header(h) => Event::Header(h.into_owned()),
            Event::BodyStart(b) => Event::BodyStart(b.into_owned()),
            Event::Body(c) => Event::Body(c.into_owned()),
            Event::Preamble(c) => Event::Preamble(c.into_owned()),
            Event::Epilogue(c) => Event::Epilogue(c.into_owned()),
            Event::PartEnd(p) => Event::PartEnd(p),
            Event::Defect(d) => Event::Defect(d),
        }
    }
}

/// A part begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartStart {
    /// The part's number (0 for the message itself).
    pub part: usize,
    /// The enclosing part: the multipart it is a subpart of, or the message
    /// part whose nested message it is. `None` for part 0.
    pub parent: Option<usize>,
    /// Nesting depth: 0 for the message, parent's depth + 1 otherwise.
    pub depth: usize,
    /// Absolute offset of the first byte of the part's header.
    pub offset: u64,
}

/// A header field, raw: the value keeps its folds (unfolding and decoding
/// are for the typed accessors of [`crate::header`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderField<'a> {
    /// The part the field belongs to.
    pub part: usize,
    /// Absolute offset of the field's first byte.
    pub offset: u64,
    raw: Cow<'a>,
    name_end: usize,
    value_start: usize,
    value_end: usize,
}

/// Borrowed or owned bytes.
type Cow<'a> = std::borrow::Cow<'a, [u8]>;

impl<'a> HeaderField<'a> {
    pub(crate) fn new(
        part: usize,
        offset: u64,
        raw: &'a [u8],
        name_end: usize,
        value_start: usize,
        value_end: usize,
    ) -> Self {
        HeaderField {
            part,
            offset,
            raw: Cow::Borrowed(raw),
            name_end,
            value_start,
            value_end,
        }
    }

    /// The whole field as written, line end included (when there is one).
    #[must_use]
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    /// The field name (RFC 5322 section 3.6.8 `field-name`), white space
    /// before the colon (obsolete syntax, section 4.5) removed.
    #[must_use]
    pub fn name(&self) -> &[u8] {
        self.raw.get(..self.name_end).unwrap_or_default()
    }

    /// The raw value: everything after the colon up to the final line end,
    /// leading white space and folds kept.
    #[must_use]
    pub fn value(&self) -> &[u8] {
        self.raw
            .get(self.value_start..self.value_end)
            .unwrap_or_default()
    }

    /// Whether the name is `name`, case-insensitively.
    #[must_use]
    pub fn is(&self, name: &str) -> bool {
        self.name().eq_ignore_ascii_case(name.as_bytes())
    }

    /// The field, when this crate knows its name: one lookup to dispatch
    /// on (see [`KnownField`](crate::header::KnownField)).
    #[must_use]
    pub fn known(&self) -> Option<crate::header::KnownField> {
        crate::header::KnownField::from_name(self.name())
    }

    /// Absolute byte range of the whole field, line end included.
    #[must_use]
    pub fn range(&self) -> Range<u64> {
        self.offset..self.offset + self.raw.len() as u64
    }

    /// Absolute byte range of [`value`](Self::value).
    #[must_use]
    pub fn value_range(&self) -> Range<u64> {
        self.offset + self.value_start as u64..self.offset + self.value_end as u64
    }

    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> HeaderField<'static> {
        HeaderField {
            part: self.part,
            offset: self.offset,
            raw: Cow::Owned(self.raw.into_owned()),
            name_end: self.name_end,
            value_start: self.value_start,
            value_end: self.value_end,
        }
    }
}

/// What a part's body is, decided from its Content-Type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartKind {
    /// A leaf: the body is content (delivered as [`Event::Body`]).
    Leaf,
    /// A multipart (RFC 2046 section 5.1) split on its boundary.
    Multipart,
    /// `message/rfc822` or `message/global` (RFC 2046 section 5.2.1, RFC
    /// 6532 section 3.7): the body is a nested message, the next part.
    Message,
}

/// The header of a part ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyStart<'a> {
    /// The part.
    pub part: usize,
    /// How the body is parsed. A part whose type is multipart or message
    /// can still be a [`PartKind::Leaf`] when a defect stopped its descent
    /// (no boundary, nesting limit, encoded body).
    pub kind: PartKind,
    /// Absolute range of the header, the blank line that ends it included
    /// (see [`PartEnd::header`]).
    pub header: Range<u64>,
    /// Media type, lower case (`text`; `message` in a digest without a
    /// Content-Type; `text` when absent or invalid).
    pub media_type: Cow<'a>,
    /// Media subtype, lower case (`plain`, `rfc822`...).
    pub media_subtype: Cow<'a>,
    /// The boundary of a multipart, quotes removed.
    pub boundary: Option<Cow<'a>>,
    /// The raw value of the part's first Content-Type field, if any.
    pub content_type: Option<Cow<'a>>,
    /// The raw value of the part's first Content-Transfer-Encoding field.
    pub transfer_encoding: Option<Cow<'a>>,
    /// Whether the header ended with a blank line (not with the end of
    /// input, a delimiter line or a line that is not a field).
    pub blank_line: bool,
}

impl BodyStart<'_> {
    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> BodyStart<'static> {
        BodyStart {
            part: self.part,
            kind: self.kind,
            header: self.header,
            media_type: Cow::Owned(self.media_type.into_owned()),
            media_subtype: Cow::Owned(self.media_subtype.into_owned()),
            boundary: self.boundary.map(|b| Cow::Owned(b.into_owned())),
            content_type: self.content_type.map(|b| Cow::Owned(b.into_owned())),
            transfer_encoding: self.transfer_encoding.map(|b| Cow::Owned(b.into_owned())),
            blank_line: self.blank_line,
        }
    }

    /// Whether the media type is `main/sub`, case-insensitively.
    #[must_use]
    pub fn is(&self, main: &str, sub: &str) -> bool {
        self.media_type.eq_ignore_ascii_case(main.as_bytes())
            && self.media_subtype.eq_ignore_ascii_case(sub.as_bytes())
    }
}

/// A piece of a body, preamble or epilogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyChunk<'a> {
    /// The part whose body it is.
    pub part: usize,
    /// Absolute offset of `bytes[0]`.
    pub offset: u64,
    /// The bytes, as in the message (not transfer-decoded).
    pub bytes: Cow<'a>,
}

impl BodyChunk<'_> {
    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> BodyChunk<'static> {
        BodyChunk {
            part: self.part,
            offset: self.offset,
            bytes: Cow::Owned(self.bytes.into_owned()),
        }
    }
}

/// A part ended. Offsets are absolute.
///
/// Per RFC 2046 section 5.1.1 the line end before a delimiter line belongs
/// to the delimiter, so a subpart's body ends before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartEnd {
    /// The part.
    pub part: usize,
    /// The header, with the blank line that ends it (the IMAP `MIME` or
    /// `HEADER` section). A header ended by a delimiter line has no blank
    /// line, nor the line end before the delimiter.
    pub header: Range<u64>,
    /// The body (the IMAP `TEXT` section, or the part's content; for a
    /// multipart: preamble, delimiters, subparts and epilogue; for a message
    /// part: the nested message).
    pub body: Range<u64>,
    /// Number of LF octets in the body, which is the body's line count when
    /// it ends with a line end (IMAP `body-fld-lines`, RFC 3501 section
    /// 7.4.2, counts the last line too when it has no line end; see
    /// [`ends_with_line_end`](Self::ends_with_line_end)).
    pub lines: u64,
    /// Whether the body's last octet is an LF (false for an empty body).
    pub ends_with_line_end: bool,
    /// A multipart's preamble (`None` when no delimiter was found: then the
    /// whole body is the preamble).
    pub preamble: Option<Range<u64>>,
    /// A multipart's epilogue, after its close delimiter line (`None` when
    /// the close delimiter is missing).
    pub epilogue: Option<Range<u64>>,
}

impl PartEnd {
    /// The body's size in octets (IMAP `body-fld-octets`).
    #[must_use]
    pub fn size(&self) -> u64 {
        self.body.end - self.body.start
    }
}
