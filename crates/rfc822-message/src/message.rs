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
use crate::charset::Charset;
use crate::decode::{DecodeDefect, DecodeDefectKind, TransferDecoder};
use crate::header::mime::{ContentTransferEncoding, ContentType};
use crate::parse::{
    Buffers, Defect, FieldRole, HeaderField, ParseError, Parser, ParserOptions, PartKind, Structure,
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
    /// Index in `Message::fields` of the part's first Content-Type field
    /// and of its first Content-Transfer-Encoding field, as the parser
    /// found them (so the accessors do not search the header again).
    content_type: Option<usize>,
    transfer_encoding: Option<usize>,
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
    #[inline]
    pub fn parse_with(raw: &'a [u8], opts: ParserOptions) -> Result<Message<'a>, ParseError> {
        // Room for a typical message's parts and fields, so that most
        // parses allocate each list once and never grow it, and small
        // enough (under 1 KiB each) for the allocator's per-thread cache,
        // which serves such blocks much faster than larger ones.
        let mut b = Builder {
            parts: Vec::with_capacity(4),
            fields: Vec::with_capacity(24),
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
                    content_type: None,
                    transfer_encoding: None,
                });
            }
            Structure::Header {
                part,
                offset,
                len,
                name_end,
                value_start,
                value_end,
                role,
            } => {
                let index = self.fields.len();
                self.fields.push(FieldData {
                    start: usize::try_from(offset).unwrap_or(usize::MAX),
                    len,
                    name_end,
                    value_start,
                    value_end,
                });
                if let Some(p) = self.parts.get_mut(part) {
                    p.fields.end = index + 1;
                    match role {
                        FieldRole::ContentType => p.content_type = Some(index),
                        FieldRole::TransferEncoding => p.transfer_encoding = Some(index),
                        FieldRole::Other => {}
                    }
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

    /// The value of the field `which` picks out of the part's data (the
    /// first Content-Type or Content-Transfer-Encoding field, as the parser
    /// recorded it: the same field [`header`](Self::header) would find).
    fn field_value(&self, which: impl Fn(&PartData) -> Option<usize>) -> Option<&'m [u8]> {
        let f = self
            .data()
            .and_then(which)
            .and_then(|i| self.msg.fields.get(i))?;
        self.msg
            .raw
            .get(f.start + f.value_start..f.start + f.value_end)
    }

    /// The Content-Type, parsed now: the first field's, or the default
    /// (`text/plain; charset=us-ascii`, or `message/rfc822` in a
    /// `multipart/digest`) when it is absent or does not parse.
    #[must_use]
    pub fn content_type(&self) -> ContentType<'m> {
        if let Some(Ok(ct)) = self
            .field_value(|d| d.content_type)
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
        self.field_value(|d| d.transfer_encoding)
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
    /// RFC 2045 sections 6.7 and 6.8 advise, silently: to learn what was
    /// wrong, and where, or to bound the result by
    /// [`Limits::max_decoded_size`], use [`decode_body`](Self::decode_body).
    #[must_use]
    pub fn decoded_body(&self) -> Cow<'m, [u8]> {
        // the reporting decode with no limit: nothing is ever cut
        self.decode_body_max(usize::MAX).bytes
    }

    /// The decoded body as text: transfer-decoded, then from the charset
    /// parameter (US-ASCII when absent; RFC 6532 messages declare UTF-8) to
    /// UTF-8. `None` for a multipart or message part, or a charset this
    /// crate does not know. Octets not valid in the charset silently become
    /// U+FFFD, and the text is not cut (charset decoding makes at most
    /// three octets of one); [`decode_text`](Self::decode_text) reports
    /// both and enforces [`Limits::max_decoded_size`].
    #[must_use]
    pub fn text(&self) -> Option<Cow<'m, str>> {
        if self.kind() != PartKind::Leaf {
            return None;
        }
        let ct = self.content_type();
        let declared = ct.charset();
        let label = declared.as_ref().map_or(&b"us-ascii"[..], |c| c.as_bytes());
        match self.decoded_body() {
            Cow::Borrowed(b) => charset::decode(label, b),
            Cow::Owned(v) => charset::decode(label, &v).map(|c| Cow::Owned(c.into_owned())),
        }
    }

    /// The body with its Content-Transfer-Encoding undone, as
    /// [`decoded_body`](Self::decoded_body), with what was wrong with it.
    ///
    /// Every [`DecodeDefect`] offset is in [`Message::raw`], so
    /// `msg.raw()[defect.offset]` is the offending octet (see
    /// [`DecodeDefectKind`] for which octet each kind points at). A body
    /// with no transfer encoding to undo (7bit, 8bit, binary, unknown) is
    /// borrowed, not decoded, and has no defects here (the parser reports
    /// octets its encoding forbids).
    ///
    /// [`Limits::max_decoded_size`] (of the options the message was parsed
    /// with) bounds the decoded octets: when the body would decode to more,
    /// `bytes` holds exactly that many and a
    /// [`DecodeDefectKind::LimitExceeded`] defect says where in the raw
    /// body decoding stopped. A borrowed body costs no memory and is never
    /// cut.
    ///
    /// ```
    /// use rfc822_message::Message;
    /// use rfc822_message::decode::DecodeDefectKind;
    ///
    /// let raw = b"Content-Transfer-Encoding: base64\r\n\r\naGVs*bG8=\r\n";
    /// let msg = Message::parse(raw);
    /// let body = msg.root().decode_body();
    /// assert_eq!(&*body.bytes, b"hello");
    /// assert_eq!(body.defects[0].kind, DecodeDefectKind::InvalidCharacter);
    /// assert_eq!(msg.raw()[body.defects[0].offset as usize], b'*');
    /// ```
    #[must_use]
    pub fn decode_body(&self) -> DecodedBody<'m> {
        self.decode_body_max(self.msg.limits.max_decoded_size)
    }

    fn decode_body_max(&self, max: usize) -> DecodedBody<'m> {
        let raw = self.raw_body();
        let cte = self.transfer_encoding();
        let mut dec = TransferDecoder::new(&cte);
        if dec.is_identity() {
            return DecodedBody {
                bytes: Cow::Borrowed(raw),
                defects: Vec::new(),
                defect_count: 0,
            };
        }
        // canonical base64 (what the fast path accepts) has no defects; its
        // output is at most 3 octets per 4 of the raw body
        if cte == ContentTransferEncoding::Base64
            && raw.len() / 4 * 3 <= max
            && let Some(out) = base64_whole(raw)
        {
            return DecodedBody {
                bytes: Cow::Owned(out),
                defects: Vec::new(),
                defect_count: 0,
            };
        }
        let mut out = Vec::with_capacity(raw.len().min(max));
        let mut stop = feed_bounded(&mut dec, raw, &mut out, max);
        if stop.is_none() {
            let start = dec.pending_start();
            dec.finish(&mut out);
            if out.len() > max {
                out.truncate(max);
                stop = Some(start.unwrap_or(raw.len() as u64));
            }
        }
        let mut body = DecodedBody {
            bytes: Cow::Owned(out),
            defects: dec.defects().to_vec(),
            defect_count: dec.defect_count(),
        };
        if let Some(at) = stop {
            body.defects.push(DecodeDefect {
                kind: DecodeDefectKind::LimitExceeded,
                offset: at,
            });
            body.defect_count += 1;
        }
        let base = self.body_range().start as u64;
        for d in &mut body.defects {
            d.offset += base;
        }
        body.defects.sort_by_key(|d| d.offset);
        body
    }

    /// Offset in the raw body of the encoded unit (octet, quoted-printable
    /// escape, base64 group) that decodes to octet `decoded` of the body.
    fn encoded_offset(&self, decoded: usize) -> u64 {
        let raw = self.raw_body();
        let mut dec = TransferDecoder::new(&self.transfer_encoding());
        if dec.is_identity() {
            return decoded as u64;
        }
        let mut out = Vec::new();
        if let Some(at) = feed_bounded(&mut dec, raw, &mut out, decoded) {
            return at;
        }
        let start = dec.pending_start();
        dec.finish(&mut out);
        match start {
            Some(at) if out.len() > decoded => at,
            _ => raw.len() as u64,
        }
    }

    /// The body as text, as [`text`](Self::text), with what was wrong: the
    /// transfer decoding's defects (as [`decode_body`](Self::decode_body)
    /// gives them) and, when octets were not valid in the charset and were
    /// replaced by U+FFFD, one [`DecodeDefectKind::NotInCharset`] at the
    /// first of them. Offsets are in [`Message::raw`].
    ///
    /// [`Limits::max_decoded_size`] bounds the text: one that would be
    /// longer is cut, at a character boundary, to at most that many octets,
    /// with a [`DecodeDefectKind::LimitExceeded`] at the first encoded
    /// octet whose text was dropped. The transfer-decoded body the text is
    /// made from is cut likewise (a few octets beyond the limit, so that no
    /// character is cut in two before the text's own cut), so at most
    /// about twice the limit is held at once, whatever the body's size.
    ///
    /// `None` when [`text`](Self::text) is `None`: a multipart or message
    /// part, or a charset this build does not know.
    ///
    /// ```
    /// use rfc822_message::Message;
    /// use rfc822_message::decode::DecodeDefectKind;
    ///
    /// let raw = b"Content-Type: text/plain; charset=utf-8\r\n\
    /// Content-Transfer-Encoding: quoted-printable\r\n\r\n\
    /// caf=C3=A9 or caf=E9\r\n";
    /// let msg = Message::parse(raw);
    /// let text = msg.root().decode_text().unwrap();
    /// assert_eq!(text.text, "café or caf\u{FFFD}\r\n");
    /// assert_eq!(text.defects[0].kind, DecodeDefectKind::NotInCharset);
    /// let at = text.defects[0].offset as usize;
    /// assert_eq!(&msg.raw()[at..at + 3], b"=E9");
    /// ```
    #[must_use]
    pub fn decode_text(&self) -> Option<DecodedText<'m>> {
        if self.kind() != PartKind::Leaf {
            return None;
        }
        let ct = self.content_type();
        let charset = Charset::for_label(
            ct.charset()
                .as_ref()
                .map_or(&b"us-ascii"[..], |c| c.as_bytes()),
        )?;
        let max = self.msg.limits.max_decoded_size;
        // A few octets more than the text may hold: a character cut in two
        // by the end of a cut body then lies beyond the text's own cut.
        let body = self.decode_body_max(max.saturating_add(CUT_SLACK));
        let body_cut = body
            .defects
            .iter()
            .any(|d| d.kind == DecodeDefectKind::LimitExceeded);
        let body_len = body.bytes.len();
        let (text, consumed, first_invalid) = match body.bytes {
            Cow::Borrowed(b) => {
                let r = text_report(charset, b, max, body_cut);
                (r.text, r.consumed, r.first_invalid)
            }
            Cow::Owned(v) => {
                let r = text_report(charset, &v, max, body_cut);
                let (consumed, first_invalid) = (r.consumed, r.first_invalid);
                let copy = match r.text {
                    // the whole body is the text: no copy
                    Cow::Borrowed(t) if t.len() == v.len() => None,
                    t => Some(t.into_owned()),
                };
                let text = match copy {
                    Some(t) => t,
                    None => String::from_utf8(v)
                        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
                };
                (Cow::Owned(text), consumed, first_invalid)
            }
        };
        let mut defects = body.defects;
        let mut defect_count = body.defect_count;
        let base = self.body_range().start as u64;
        if let Some(i) = first_invalid {
            defects.push(DecodeDefect {
                kind: DecodeDefectKind::NotInCharset,
                offset: base + self.encoded_offset(i),
            });
            defect_count += 1;
        }
        if consumed < body_len {
            // the text was cut before the end of the decoded body: that is
            // where decoding stopped (earlier than a cut of the body)
            let offset = base + self.encoded_offset(consumed);
            if let Some(d) = defects
                .iter_mut()
                .find(|d| d.kind == DecodeDefectKind::LimitExceeded)
            {
                d.offset = offset;
            } else {
                defects.push(DecodeDefect {
                    kind: DecodeDefectKind::LimitExceeded,
                    offset,
                });
                defect_count += 1;
            }
        }
        defects.sort_by_key(|d| d.offset);
        Some(DecodedText {
            text,
            charset: charset.name(),
            defects,
            defect_count,
        })
    }
}

/// Base64 in one pass when the body is canonical base64 in lines (the
/// common case): the line ends removed, then the `base64` crate's strict
/// decoder, several times faster than the streaming
/// [`Base64Decoder`](crate::decode::Base64Decoder). `None` when the text is
/// not canonical (white space inside lines, other characters, missing or
/// misplaced padding, non-zero trailing bits); the streaming decoder, which
/// handles every leniency, then runs instead. Where this accepts the input,
/// both give the same octets, and the streaming decoder would find no
/// defect (each of its defects is a departure from canonical base64).
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

/// A part's body with its Content-Transfer-Encoding undone, and what was
/// wrong with it: see [`Part::decode_body`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodedBody<'m> {
    /// The decoded octets (borrowed when there was nothing to undo).
    pub bytes: Cow<'m, [u8]>,
    /// The first defect of each kind, by offset in [`Message::raw`].
    pub defects: Vec<DecodeDefect>,
    /// How many defects there were in all (`defects` keeps the first of
    /// each kind, so that it stays small however bad the body is).
    pub defect_count: u64,
}

impl DecodedBody<'_> {
    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> DecodedBody<'static> {
        DecodedBody {
            bytes: Cow::Owned(self.bytes.into_owned()),
            defects: self.defects,
            defect_count: self.defect_count,
        }
    }
}

/// A part's body as text, and what was wrong with it: see
/// [`Part::decode_text`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodedText<'m> {
    /// The text (borrowed when the body was already that text).
    pub text: Cow<'m, str>,
    /// The canonical name of the charset the body was decoded from (as
    /// [`Charset::name`]).
    pub charset: &'static str,
    /// The first defect of each kind, by offset in [`Message::raw`]:
    /// transfer decoding, [`DecodeDefectKind::NotInCharset`],
    /// [`DecodeDefectKind::LimitExceeded`].
    pub defects: Vec<DecodeDefect>,
    /// How many defects there were in all (a charset or limit defect counts
    /// once).
    pub defect_count: u64,
}

impl DecodedText<'_> {
    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> DecodedText<'static> {
        DecodedText {
            text: Cow::Owned(self.text.into_owned()),
            charset: self.charset,
            defects: self.defects,
            defect_count: self.defect_count,
        }
    }
}

/// Octets of decoded body beyond `max_decoded_size` that
/// [`Part::decode_text`] decodes: more than the longest character
/// sequence a charset decoder has to see whole (4 octets).
const CUT_SLACK: usize = 4;

/// [`Charset::decode_with_report`] of a decoded body; `cut`: the body was
/// cut at the decoded-size limit, so an invalid sequence in its last
/// [`CUT_SLACK`] octets may be a character cut in two: the text then ends
/// before it.
fn text_report<'b>(
    charset: Charset,
    body: &'b [u8],
    max: usize,
    cut: bool,
) -> charset::Decoded<'b> {
    let r = charset.decode_with_report(body, max);
    match r.first_invalid {
        Some(i) if cut && i.saturating_add(CUT_SLACK) >= body.len() => {
            charset.decode_with_report(body.get(..i).unwrap_or_default(), max)
        }
        _ => r,
    }
}

/// Feeds a whole encoded body to `dec`, appending to `out`, but stops
/// before `out` passes `max` octets: `out` then holds exactly `max`, and
/// the result is the offset in `input` of the encoded unit whose octets
/// were cut (`dec` is left in the middle; do not finish it).
fn feed_bounded(
    dec: &mut TransferDecoder,
    input: &[u8],
    out: &mut Vec<u8>,
    max: usize,
) -> Option<u64> {
    /// Pieces fed at once where the output may pass `max`: what is
    /// replayed octet by octet when it does.
    const NEAR: usize = 4096;
    const PIECE: usize = 64 * 1024;
    let mut pos = 0;
    while let Some(rest) = input.get(pos..).filter(|r| !r.is_empty()) {
        let room = max.saturating_sub(out.len());
        let take = rest.len().min(room.max(NEAR)).min(PIECE);
        let piece = rest.get(..take).unwrap_or_default();
        pos += take;
        // Neither decoder ever puts out more octets than it was fed, so a
        // piece no longer than the room left cannot pass `max`.
        if take <= room {
            dec.decode(piece, out);
            continue;
        }
        let saved = dec.clone();
        let before = out.len();
        dec.decode(piece, out);
        if out.len() <= max {
            continue;
        }
        *dec = saved;
        out.truncate(before);
        let piece_start = pos - take;
        for (j, b) in piece.iter().enumerate() {
            let at = (piece_start + j) as u64;
            let start = dec.pending_start().unwrap_or(at);
            dec.decode(std::slice::from_ref(b), out);
            if out.len() > max {
                out.truncate(max);
                return Some(start);
            }
        }
    }
    None
}
