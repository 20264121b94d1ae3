//! A zero-copy view of a message already in memory.
//!
//! [`Message::parse`] runs the [push parser](crate::parse) once over the
//! bytes and keeps only the part tree: for every part the byte ranges of its
//! header, body, preamble and epilogue, its line count, its header fields'
//! ranges and its subparts. Everything else (Content-Type parameters,
//! transfer decoding, charset decoding) is computed only when asked, from
//! the original bytes.
//!
//! ```
//! use rfc822_message::Message;
//!
//! let raw = b"Subject: report\r\n\
//! Content-Type: multipart/mixed; boundary=\"x\"\r\n\
//! \r\n\
//! --x\r\n\
//! Content-Type: text/plain; charset=iso-8859-1\r\n\
//! Content-Transfer-Encoding: quoted-printable\r\n\
//! \r\n\
//! caf=E9\r\n\
//! --x\r\n\
//! Content-Type: application/octet-stream\r\n\
//! Content-Transfer-Encoding: base64\r\n\
//! \r\n\
//! AAEC\r\n\
//! --x--\r\n";
//! let msg = Message::parse(raw);
//! let root = msg.root();
//! assert_eq!(root.header(b"subject"), Some(&b" report"[..]));
//! let parts: Vec<_> = root.subparts().collect();
//! assert_eq!(parts.len(), 2);
//! assert_eq!(parts[0].text().as_deref(), Some("café"));
//! assert_eq!(&*parts[1].decoded_body(), &[0, 1, 2]);
//! assert_eq!(parts[1].raw_body(), b"AAEC");
//! assert!(msg.defects().is_empty());
//! ```

use std::borrow::Cow;
use std::ops::Range;

use crate::Limits;
use crate::charset;
use crate::decode::TransferDecoder;
use crate::header::mime::{ContentTransferEncoding, ContentType};
use crate::parse::{
    Buffers, Defect, HeaderField, ParseError, Parser, ParserOptions, PartKind, Structure,
};

thread_local! {
    /// The push parser's buffers from this thread's last
    /// [`Message::parse_with`], reused by the next one.
    static PARSER_BUFFERS: std::cell::Cell<Buffers> = std::cell::Cell::new(Buffers::default());
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct PartData {
    parent: Option<usize>,
    depth: usize,
    kind: PartKind,
    header: Range<usize>,
    body: Range<usize>,
    lines: u64,
    ends_with_line_end: bool,
    fields: Range<usize>,
    /// The first subpart (or nested message), and the last one (where
    /// the next is linked on while parsing).
    first_child: Option<usize>,
    last_child: Option<usize>,
    /// The next part with the same parent: the subparts are a list linked
    /// through the parts (no list of its own per part).
    next_sibling: Option<usize>,
    preamble: Option<Range<usize>>,
    epilogue: Option<Range<usize>>,
    /// No Content-Type and the parent is a digest: `message/rfc822`.
    digest_default: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct FieldData {
    start: usize,
    len: usize,
    name_end: usize,
    value_start: usize,
    value_end: usize,
}

/// A parsed message: the original bytes and the part tree over them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message<'a> {
    raw: Cow<'a, [u8]>,
    parts: Vec<PartData>,
    fields: Vec<FieldData>,
    defects: Vec<Defect>,
    limits: Limits,
}

fn range(r: &Range<u64>) -> Range<usize> {
    usize::try_from(r.start).unwrap_or(usize::MAX)..usize::try_from(r.end).unwrap_or(usize::MAX)
}

impl<'a> Message<'a> {
    /// Parses `raw` with the default options. Never fails: problems are in
    /// [`defects`](Self::defects).
    #[must_use]
    pub fn parse(raw: &'a [u8]) -> Message<'a> {
        match Self::parse_with(raw, ParserOptions::default()) {
            Ok(m) => m,
            // not reachable without strict mode; keep the bytes anyway
            Err(_) => Message {
                raw: Cow::Borrowed(raw),
                parts: Vec::new(),
                fields: Vec::new(),
                defects: Vec::new(),
                limits: Limits::default(),
            },
        }
    }

    /// Parses `raw` with `opts`.
    ///
    /// # Errors
    /// In strict mode, the first defect.
    pub fn parse_with(raw: &'a [u8], opts: ParserOptions) -> Result<Message<'a>, ParseError> {
        let mut b = Builder {
            parts: Vec::with_capacity(4),
            fields: Vec::with_capacity(16),
            defects: Vec::new(),
        };
        let bufs = PARSER_BUFFERS.with(std::cell::Cell::take);
        let mut parser = Parser::with_buffers(opts, bufs);
        let result = parser.parse_whole(raw, &mut |s| b.event(s));
        let bufs = parser.into_buffers();
        if bufs.worth_keeping() {
            PARSER_BUFFERS.with(|c| c.set(bufs));
        }
        result?;
        Ok(Message {
            raw: Cow::Borrowed(raw),
            parts: b.parts,
            fields: b.fields,
            defects: b.defects,
            limits: opts.limits,
        })
    }

    /// An owned copy (the bytes are copied once).
    #[must_use]
    pub fn into_owned(self) -> Message<'static> {
        Message {
            raw: Cow::Owned(self.raw.into_owned()),
            parts: self.parts,
            fields: self.fields,
            defects: self.defects,
            limits: self.limits,
        }
    }

    /// The whole message as given.
    #[must_use]
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    /// The message's size in octets (IMAP `RFC822.SIZE` when the message is
    /// stored with CRLF line ends).
    #[must_use]
    pub fn size(&self) -> usize {
        self.raw.len()
    }

    /// The message itself: part 0.
    #[must_use]
    pub fn root(&self) -> Part<'_> {
        Part { msg: self, id: 0 }
    }

    /// Every part, depth-first in the order they appear (part `n` is the
    /// `n`th): the message, then for a multipart each subpart, for a message
    /// part its nested message.
    pub fn parts(&self) -> impl ExactSizeIterator<Item = Part<'_>> + '_ {
        (0..self.parts.len()).map(move |id| Part { msg: self, id })
    }

    /// Part number `id`.
    #[must_use]
    pub fn part(&self, id: usize) -> Option<Part<'_>> {
        (id < self.parts.len()).then_some(Part { msg: self, id })
    }

    /// The defects found, in order.
    #[must_use]
    pub fn defects(&self) -> &[Defect] {
        &self.defects
    }
}

struct Builder {
    parts: Vec<PartData>,
    fields: Vec<FieldData>,
    defects: Vec<Defect>,
}

impl Builder {
    fn event(&mut self, ev: Structure<'_>) {
        match ev {
            Structure::PartStart(p) => {
                let at = usize::try_from(p.offset).unwrap_or(usize::MAX);
                if let Some(parent) = p.parent.and_then(|i| self.parts.get_mut(i)) {
                    let prev = parent.last_child.replace(p.part);
                    if prev.is_none() {
                        parent.first_child = Some(p.part);
                    }
                    if let Some(prev) = prev.and_then(|i| self.parts.get_mut(i)) {
                        prev.next_sibling = Some(p.part);
                    }
                }
                self.parts.push(PartData {
                    parent: p.parent,
                    depth: p.depth,
                    kind: PartKind::Leaf,
                    header: at..at,
                    body: at..at,
                    lines: 0,
                    ends_with_line_end: false,
                    fields: self.fields.len()..self.fields.len(),
                    first_child: None,
                    last_child: None,
                    next_sibling: None,
                    preamble: None,
                    epilogue: None,
                    digest_default: false,
                });
            }
            Structure::Header {
                part,
                offset,
                len,
                name_end,
                value_start,
                value_end,
            } => {
                self.fields.push(FieldData {
                    start: usize::try_from(offset).unwrap_or(usize::MAX),
                    len,
                    name_end,
                    value_start,
                    value_end,
                });
                if let Some(p) = self.parts.get_mut(part) {
                    p.fields.end = self.fields.len();
                }
            }
            Structure::BodyStart {
                part,
                kind,
                digest_default,
            } => {
                if let Some(p) = self.parts.get_mut(part) {
                    p.kind = kind;
                    p.digest_default = digest_default;
                }
            }
            Structure::PartEnd(e) => {
                if let Some(p) = self.parts.get_mut(e.part) {
                    p.header = range(&e.header);
                    p.body = range(&e.body);
                    p.lines = e.lines;
                    p.ends_with_line_end = e.ends_with_line_end;
                    p.preamble = e.preamble.as_ref().map(range);
                    p.epilogue = e.epilogue.as_ref().map(range);
                }
            }
            Structure::Defect(d) => self.defects.push(d),
        }
    }
}

/// One part of a [`Message`] (the message itself is part 0).
#[derive(Debug, Clone, Copy)]
pub struct Part<'m> {
    msg: &'m Message<'m>,
    id: usize,
}

impl<'m> Part<'m> {
    fn data(&self) -> Option<&'m PartData> {
        self.msg.parts.get(self.id)
    }

    fn slice(&self, r: Option<Range<usize>>) -> &'m [u8] {
        let raw: &'m [u8] = &self.msg.raw;
        r.and_then(|r| raw.get(r)).unwrap_or_default()
    }

    /// The part's number: its index in [`Message::parts`].
    #[must_use]
    pub fn id(&self) -> usize {
        self.id
    }

    /// The enclosing part (multipart or message part).
    #[must_use]
    pub fn parent(&self) -> Option<Part<'m>> {
        let parent = self.data()?.parent?;
        Some(Part {
            msg: self.msg,
            id: parent,
        })
    }

    /// Nesting depth (0 for the message).
    #[must_use]
    pub fn depth(&self) -> usize {
        self.data().map_or(0, |d| d.depth)
    }

    /// How the body was parsed.
    #[must_use]
    pub fn kind(&self) -> PartKind {
        self.data().map_or(PartKind::Leaf, |d| d.kind)
    }

    /// Whether the body was split as a multipart.
    #[must_use]
    pub fn is_multipart(&self) -> bool {
        self.kind() == PartKind::Multipart
    }

    /// Whether the body was parsed as a nested message.
    #[must_use]
    pub fn is_message(&self) -> bool {
        self.kind() == PartKind::Message
    }

    /// The header fields in order, raw (values keep their folds).
    pub fn header_fields(&self) -> impl Iterator<Item = HeaderField<'m>> + 'm {
        let msg = self.msg;
        let id = self.id;
        let fields = self.data().map_or(0..0, |d| d.fields.clone());
        let raw: &'m [u8] = &msg.raw;
        msg.fields
            .get(fields)
            .unwrap_or_default()
            .iter()
            .map(move |f| {
                HeaderField::new(
                    id,
                    f.start as u64,
                    raw.get(f.start..f.start + f.len).unwrap_or_default(),
                    f.name_end,
                    f.value_start,
                    f.value_end,
                )
            })
    }

    /// The raw value of the first field named `name` (case-insensitive).
    #[must_use]
    pub fn header(&self, name: &[u8]) -> Option<&'m [u8]> {
        self.headers(name).next()
    }

    /// The raw values of every field named `name` (case-insensitive).
    pub fn headers<'n>(&self, name: &'n [u8]) -> impl Iterator<Item = &'m [u8]> + use<'m, 'n> {
        let raw: &'m [u8] = &self.msg.raw;
        let fields = self.data().map_or(0..0, |d| d.fields.clone());
        self.msg
            .fields
            .get(fields)
            .unwrap_or_default()
            .iter()
            .filter(move |f| {
                raw.get(f.start..f.start + f.name_end)
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
            .map(move |f| {
                raw.get(f.start + f.value_start..f.start + f.value_end)
                    .unwrap_or_default()
            })
    }

    /// The Content-Type, parsed now: the first field's, or the default
    /// (`text/plain; charset=us-ascii`, or `message/rfc822` in a
    /// `multipart/digest`) when it is absent or does not parse.
    #[must_use]
    pub fn content_type(&self) -> ContentType<'m> {
        if let Some(Ok(ct)) = self
            .header(b"content-type")
            .map(|raw| ContentType::parse_with(raw, &self.msg.limits))
        {
            return ct;
        }
        if self.data().is_some_and(|d| d.digest_default) {
            ContentType::message_rfc822_default()
        } else {
            ContentType::text_plain_default()
        }
    }

    /// The Content-Transfer-Encoding (7bit when absent or invalid).
    #[must_use]
    pub fn transfer_encoding(&self) -> ContentTransferEncoding<'m> {
        self.header(b"content-transfer-encoding")
            .and_then(|raw| ContentTransferEncoding::parse(raw).ok())
            .unwrap_or(ContentTransferEncoding::SevenBit)
    }

    /// Range of the header in [`Message::raw`], the blank line that ends it
    /// included (IMAP `HEADER` / `MIME` sections).
    #[must_use]
    pub fn header_range(&self) -> Range<usize> {
        self.data().map_or(0..0, |d| d.header.clone())
    }

    /// Range of the body in [`Message::raw`] (IMAP `TEXT`, or the part's
    /// section). For a subpart it excludes the line end before the next
    /// delimiter (RFC 2046 section 5.1.1).
    #[must_use]
    pub fn body_range(&self) -> Range<usize> {
        self.data().map_or(0..0, |d| d.body.clone())
    }

    /// Range of the whole part: header and body.
    #[must_use]
    pub fn range(&self) -> Range<usize> {
        self.header_range().start..self.body_range().end
    }

    /// The header as written.
    #[must_use]
    pub fn raw_header(&self) -> &'m [u8] {
        self.slice(Some(self.header_range()))
    }

    /// The body as written (not transfer-decoded).
    #[must_use]
    pub fn raw_body(&self) -> &'m [u8] {
        self.slice(Some(self.body_range()))
    }

    /// The body's size in octets (IMAP `body-fld-octets`).
    #[must_use]
    pub fn size(&self) -> usize {
        self.body_range().len()
    }

    /// LF octets in the body (see [`PartEnd::lines`](crate::parse::PartEnd::lines)).
    #[must_use]
    pub fn lines(&self) -> u64 {
        self.data().map_or(0, |d| d.lines)
    }

    /// Whether the body ends with an LF.
    #[must_use]
    pub fn ends_with_line_end(&self) -> bool {
        self.data().is_some_and(|d| d.ends_with_line_end)
    }

    /// A multipart's preamble.
    #[must_use]
    pub fn preamble(&self) -> Option<&'m [u8]> {
        let r = self.data()?.preamble.clone()?;
        Some(self.slice(Some(r)))
    }

    /// A multipart's epilogue (after its close delimiter line).
    #[must_use]
    pub fn epilogue(&self) -> Option<&'m [u8]> {
        let r = self.data()?.epilogue.clone()?;
        Some(self.slice(Some(r)))
    }

    /// The subparts of a multipart, in order (none for other parts).
    pub fn subparts(&self) -> impl Iterator<Item = Part<'m>> + 'm {
        let msg = self.msg;
        let first = match self.data() {
            Some(d) if d.kind == PartKind::Multipart => d.first_child,
            _ => None,
        };
        std::iter::successors(first, move |&id| {
            msg.parts.get(id).and_then(|d| d.next_sibling)
        })
        .map(move |id| Part { msg, id })
    }

    /// The nested message of a `message/rfc822` or `message/global` part.
    #[must_use]
    pub fn nested_message(&self) -> Option<Part<'m>> {
        let d = self.data()?;
        if d.kind != PartKind::Message {
            return None;
        }
        let id = d.first_child?;
        Some(Part { msg: self.msg, id })
    }

    /// The body with its Content-Transfer-Encoding undone (borrowed when
    /// there is nothing to undo). Base64 and quoted-printable never decode
    /// to more octets than they hold, so the result is at most as large as
    /// the raw body, which is already in memory: nothing is cut off, and no
    /// separate limit applies. Undecodable input is decoded leniently as
    /// RFC 2045 sections 6.7 and 6.8 advise (the push parser with a
    /// [`crate::decode::TransferDecoder`] reports each such defect).
    #[must_use]
    pub fn decoded_body(&self) -> Cow<'m, [u8]> {
        let raw = self.raw_body();
        let cte = self.transfer_encoding();
        let mut dec = TransferDecoder::new(&cte);
        if dec.is_identity() {
            return Cow::Borrowed(raw);
        }
        if cte == ContentTransferEncoding::Base64
            && let Some(out) = base64_whole(raw)
        {
            return Cow::Owned(out);
        }
        let mut out = Vec::with_capacity(raw.len());
        for piece in raw.chunks(64 * 1024) {
            dec.decode(piece, &mut out);
        }
        dec.finish(&mut out);
        Cow::Owned(out)
    }

    /// The decoded body as text: transfer-decoded, then from the charset
    /// parameter (US-ASCII when absent; RFC 6532 messages declare UTF-8) to
    /// UTF-8. `None` for a multipart or message part, or a charset this
    /// crate does not know.
    #[must_use]
    pub fn text(&self) -> Option<Cow<'m, str>> {
        if self.kind() != PartKind::Leaf {
            return None;
        }
        let ct = self.content_type();
        let label: Vec<u8> = ct
            .charset()
            .map_or_else(|| b"us-ascii".to_vec(), |c| c.as_bytes().to_vec());
        match self.decoded_body() {
            Cow::Borrowed(b) => charset::decode(&label, b),
            Cow::Owned(v) => charset::decode(&label, &v).map(|c| Cow::Owned(c.into_owned())),
        }
    }
}

/// Base64 in one pass when the body is canonical base64 in lines (the
/// common case): the line ends removed, then the `base64` crate's strict
/// decoder, several times faster than the streaming
/// [`Base64Decoder`](crate::decode::Base64Decoder). `None` when the text is
/// not canonical (white space inside lines, other characters, missing or
/// misplaced padding, non-zero trailing bits) or would decode to more than
/// `max` octets; the streaming decoder, which handles every leniency, then
/// runs instead. Where this accepts the input, both give the same octets.
fn base64_whole(raw: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let mut text = Vec::with_capacity(raw.len());
    let mut start = 0;
    for lf in memchr::memchr_iter(b'\n', raw) {
        let line = raw.get(start..lf).unwrap_or_default();
        text.extend_from_slice(line.strip_suffix(b"\r").unwrap_or(line));
        start = lf + 1;
    }
    let last = raw.get(start..).unwrap_or_default();
    text.extend_from_slice(last.strip_suffix(b"\r").unwrap_or(last));
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    base64::engine::general_purpose::STANDARD
        .decode_vec(&text, &mut out)
        .ok()?;
    Some(out)
}
