//! The message builder: header fields and a MIME tree, written in one pass
//! with bodies encoded as they stream.

use std::io::{Read, Write};

use bytes::{BufMut, Bytes};
use mail_wire::LimitError;

use super::encoded_word::{units, write_phrase, write_unstructured};
use super::fold::{FieldWriter, LineEnding};
use super::rfc2231::{legacy_name_segments, segments};
use super::transfer::{BodyEncoder, QpOptions, TransferEncoding};
use super::value::{FieldValue, MediaType, Parameter, Text, splitmix64, unique_u64};
use super::{BuildError, ValueError};
use crate::header::{Address, DateTime, HeaderName, Mailbox, MessageId};

/// Longest field name the builder writes: `Name:` and one character of
/// value stay within the 78-column line it aims for. RFC 5322 sets no
/// limit but the line's (and [`HeaderName`] accepts up to 997 octets, to
/// read what others write); a longer name fails the build with
/// [`ValueError::Limit`].
pub const MAX_HEADER_NAME_LEN: usize = 76;

/// Options of a build.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BuildOptions {
    /// The transport has SMTPUTF8 (RFC 6531) and the message may carry
    /// UTF-8 in header fields (RFC 6532): UTF-8 addresses are allowed and
    /// non-ASCII text is written raw instead of as encoded words. Off by
    /// default.
    pub smtputf8: bool,
    /// The transport has 8BITMIME (RFC 6152): text may be sent as `8bit`
    /// instead of quoted-printable or base64. Off by default.
    pub allow_8bit: bool,
    /// Seed for the boundaries: `Some` makes the output a function of the
    /// input alone (for tests); `None` (default) derives them from a
    /// process counter, the clock and `std`'s random hash keys.
    pub seed: Option<u64>,
    /// Also write a non-ASCII or long attachment file name as
    /// `name="=?utf-8?...?="` in `Content-Type`, next to the RFC 2231
    /// `filename*` of `Content-Disposition`. RFC 2047 section 5 does not
    /// allow encoded words in quoted strings, but Outlook (and older
    /// Thunderbird and Apple Mail) show the attachment name only from
    /// there. On by default.
    pub legacy_filename: bool,
    /// Quoted-printable options for text parts (`From `/`.` escapes).
    pub qp: QpOptions,
    /// Deepest multipart nesting accepted.
    pub max_depth: usize,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            smtputf8: false,
            allow_8bit: false,
            seed: None,
            legacy_filename: true,
            qp: QpOptions::default(),
            max_depth: crate::Limits::default().max_depth,
        }
    }
}

/// The content of a body given by the caller.
pub enum Body {
    /// All of it, in memory.
    Bytes(Bytes),
    /// Read in chunks as it is written; never held whole.
    Reader(Box<dyn Read + Send>),
    /// Chunks from an iterator, encoded one by one.
    Chunks(Box<dyn Iterator<Item = std::io::Result<Bytes>> + Send>),
}

impl Body {
    /// A body read from `reader` while the message is written.
    pub fn reader(reader: impl Read + Send + 'static) -> Self {
        Body::Reader(Box::new(reader))
    }

    /// A body taken chunk by chunk from `chunks` while the message is
    /// written.
    pub fn chunks(chunks: impl Iterator<Item = std::io::Result<Bytes>> + Send + 'static) -> Self {
        Body::Chunks(Box::new(chunks))
    }

    fn known(&self) -> Option<&[u8]> {
        match self {
            Body::Bytes(b) => Some(b),
            _ => None,
        }
    }
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Body::Bytes(b) => f.debug_tuple("Bytes").field(&b.len()).finish(),
            Body::Reader(_) => f.write_str("Reader"),
            Body::Chunks(_) => f.write_str("Chunks"),
        }
    }
}

impl From<Vec<u8>> for Body {
    fn from(v: Vec<u8>) -> Self {
        Body::Bytes(Bytes::from(v))
    }
}
impl From<Bytes> for Body {
    fn from(v: Bytes) -> Self {
        Body::Bytes(v)
    }
}
impl From<&'static [u8]> for Body {
    fn from(v: &'static [u8]) -> Self {
        Body::Bytes(Bytes::from_static(v))
    }
}
impl From<String> for Body {
    fn from(v: String) -> Self {
        Body::Bytes(Bytes::from(v))
    }
}

/// The subtype of a multipart (RFC 2046 section 5.1, RFC 2387).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MultipartKind {
    /// `multipart/mixed`: independent parts, usually a body and attachments.
    Mixed,
    /// `multipart/alternative`: the same content, simplest first.
    Alternative,
    /// `multipart/related`: a root part and the resources it refers to.
    Related,
    /// `multipart/digest`: parts default to `message/rfc822`.
    Digest,
}

impl MultipartKind {
    fn subtype(&self) -> &'static str {
        match self {
            MultipartKind::Mixed => "mixed",
            MultipartKind::Alternative => "alternative",
            MultipartKind::Related => "related",
            MultipartKind::Digest => "digest",
        }
    }
}

enum Content {
    Text {
        media: MediaType,
        text: String,
    },
    Data {
        media: MediaType,
        body: Body,
    },
    Multipart {
        kind: MultipartKind,
        parts: Vec<Part>,
    },
    Message {
        body: Body,
    },
}

/// One MIME part: a leaf (text, data, an attached message) or a multipart.
pub struct Part {
    content: Content,
    encoding: Option<TransferEncoding>,
    disposition: Option<&'static str>,
    filename: Option<Text>,
    content_id: Option<MessageId<'static>>,
    description: Option<Text>,
    params: Vec<Parameter>,
    headers: Vec<(HeaderName<'static>, FieldValue)>,
}

impl std::fmt::Debug for Part {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match &self.content {
            Content::Text { media, .. } | Content::Data { media, .. } => {
                format!("{}/{}", media.top(), media.sub())
            }
            Content::Multipart { kind, parts } => {
                format!("multipart/{} ({} parts)", kind.subtype(), parts.len())
            }
            Content::Message { .. } => "message/rfc822".to_owned(),
        };
        f.debug_struct("Part")
            .field("type", &kind)
            .field("encoding", &self.encoding)
            .field("filename", &self.filename)
            .finish_non_exhaustive()
    }
}

impl Part {
    fn new(content: Content) -> Self {
        Part {
            content,
            encoding: None,
            disposition: None,
            filename: None,
            content_id: None,
            description: None,
            params: Vec::new(),
            headers: Vec::new(),
        }
    }

    /// A `text/plain; charset=utf-8` part. Line breaks are made CRLF; the
    /// transfer encoding is 7bit when the text allows it, else 8bit when
    /// [`BuildOptions::allow_8bit`], else the shorter of quoted-printable
    /// and base64.
    #[must_use]
    pub fn text(text: impl Into<String>) -> Self {
        Part::text_as(MediaType::known("text", "plain"), text)
    }

    /// A `text/html; charset=utf-8` part, encoded as [`Part::text`].
    #[must_use]
    pub fn html(html: impl Into<String>) -> Self {
        Part::text_as(MediaType::known("text", "html"), html)
    }

    /// A UTF-8 text part of another media type (`text/calendar`...).
    #[must_use]
    pub fn text_as(media: MediaType, text: impl Into<String>) -> Self {
        Part::new(Content::Text {
            media,
            text: text.into(),
        })
    }

    /// Binary data, base64-encoded unless [`Part::encoding`] says
    /// otherwise, without a disposition.
    #[must_use]
    pub fn data(media: MediaType, body: impl Into<Body>) -> Self {
        Part::new(Content::Data {
            media,
            body: body.into(),
        })
    }

    /// An attachment: data with `Content-Disposition: attachment` and a
    /// file name (RFC 2183).
    #[must_use]
    pub fn attachment(media: MediaType, filename: Text, body: impl Into<Body>) -> Self {
        let mut p = Part::data(media, body);
        p.disposition = Some("attachment");
        p.filename = Some(filename);
        p
    }

    /// A multipart of `parts`.
    #[must_use]
    pub fn multipart(kind: MultipartKind, parts: Vec<Part>) -> Self {
        Part::new(Content::Multipart { kind, parts })
    }

    /// An attached message (`message/rfc822`, RFC 2046 section 5.2.1).
    /// Its transfer encoding must be 7bit, 8bit or binary: content in
    /// memory gets bare LF line breaks made CRLF and is sent as 7bit, or
    /// as 8bit when allowed (else the build fails); streamed content is
    /// checked against 7bit (or 8bit when allowed) as it goes.
    #[must_use]
    pub fn message(body: impl Into<Body>) -> Self {
        Part::new(Content::Message { body: body.into() })
    }

    /// Forces the transfer encoding. 7bit, 8bit and binary content is
    /// checked against the encoding's rules; data in memory that breaks
    /// them fails the build.
    #[must_use]
    pub fn encoding(mut self, encoding: TransferEncoding) -> Self {
        self.encoding = Some(encoding);
        self
    }

    /// `Content-Disposition: inline` (RFC 2183), for example for an image
    /// in a `multipart/related`.
    #[must_use]
    pub fn inline(mut self) -> Self {
        self.disposition = Some("inline");
        self
    }

    /// Sets the file name (written as `filename` of the disposition, and
    /// `name` of the content type, see [`BuildOptions::legacy_filename`]).
    /// A part without a disposition becomes an attachment.
    #[must_use]
    pub fn filename(mut self, filename: Text) -> Self {
        self.disposition.get_or_insert("attachment");
        self.filename = Some(filename);
        self
    }

    /// `Content-ID` (RFC 2045 section 7), referred to as `cid:` from HTML.
    #[must_use]
    pub fn content_id(mut self, id: MessageId<'_>) -> Self {
        self.content_id = Some(id.into_owned());
        self
    }

    /// `Content-Description` (RFC 2045 section 8).
    #[must_use]
    pub fn description(mut self, text: Text) -> Self {
        self.description = Some(text);
        self
    }

    /// An extra `Content-Type` parameter.
    #[must_use]
    pub fn param(mut self, param: Parameter) -> Self {
        self.params.push(param);
        self
    }

    /// An extra header field of this part.
    #[must_use]
    pub fn header(mut self, name: HeaderName<'_>, value: impl Into<FieldValue>) -> Self {
        self.headers.push((name.into_owned(), value.into()));
        self
    }
}

/// Builds a message: header fields, then a MIME body.
///
/// `Date` and `From` are required (RFC 5322 section 3.6). Fields are
/// written in the order they were first set; setting a single-valued field
/// again (`date`, `subject`, `message_id`...) replaces it in place, while
/// `to`, `cc`, `bcc`, `reply_to` and `from` add addresses. `MIME-Version`,
/// `Content-Type` and `Content-Transfer-Encoding` are written by the
/// builder from the body.
#[derive(Debug, Default)]
pub struct MessageBuilder {
    fields: Vec<(HeaderName<'static>, FieldValue)>,
    body: Option<Part>,
    attachments: Vec<Part>,
    opts: BuildOptions,
}

const MANAGED: [HeaderName<'static>; 4] = [
    HeaderName::MIME_VERSION,
    HeaderName::CONTENT_TYPE,
    HeaderName::CONTENT_TRANSFER_ENCODING,
    HeaderName::CONTENT_DISPOSITION,
];

impl MessageBuilder {
    /// An empty builder with default options.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the options.
    #[must_use]
    pub fn options(mut self, opts: BuildOptions) -> Self {
        self.opts = opts;
        self
    }

    /// Deterministic output (for tests): boundaries come from `seed`.
    #[must_use]
    pub fn deterministic(mut self, seed: u64) -> Self {
        self.opts.seed = Some(seed);
        self
    }

    /// See [`BuildOptions::smtputf8`].
    #[must_use]
    pub fn smtputf8(mut self, on: bool) -> Self {
        self.opts.smtputf8 = on;
        self
    }

    /// See [`BuildOptions::allow_8bit`].
    #[must_use]
    pub fn allow_8bit(mut self, on: bool) -> Self {
        self.opts.allow_8bit = on;
        self
    }

    fn set(mut self, name: HeaderName<'static>, value: FieldValue) -> Self {
        match self.fields.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.fields.push((name, value)),
        }
        self
    }

    fn add_address(mut self, name: HeaderName<'static>, addr: Address<'_>) -> Self {
        let addr = addr.into_owned();
        match self.fields.iter_mut().find(|(n, _)| *n == name) {
            Some((_, FieldValue::Addresses(list))) => list.push(addr),
            Some(slot) => slot.1 = FieldValue::Addresses(vec![addr]),
            None => self.fields.push((name, FieldValue::Addresses(vec![addr]))),
        }
        self
    }

    /// Adds an author (`From`).
    #[must_use]
    pub fn from(self, mailbox: Mailbox<'_>) -> Self {
        self.add_address(HeaderName::FROM, Address::Mailbox(mailbox))
    }

    /// Sets `Sender` (needed when `From` has several mailboxes).
    #[must_use]
    pub fn sender(self, mailbox: Mailbox<'_>) -> Self {
        self.set(HeaderName::SENDER, FieldValue::from(mailbox))
    }

    /// Adds a `To` address.
    #[must_use]
    pub fn to<'x>(self, addr: impl Into<Address<'x>>) -> Self {
        self.add_address(HeaderName::TO, addr.into())
    }

    /// Adds a `Cc` address.
    #[must_use]
    pub fn cc<'x>(self, addr: impl Into<Address<'x>>) -> Self {
        self.add_address(HeaderName::CC, addr.into())
    }

    /// Adds a `Bcc` address. The field is written; leave it out of the
    /// copies sent to `To` and `Cc` recipients (RFC 5322 section 3.6.3).
    #[must_use]
    pub fn bcc<'x>(self, addr: impl Into<Address<'x>>) -> Self {
        self.add_address(HeaderName::BCC, addr.into())
    }

    /// Adds a `Reply-To` address.
    #[must_use]
    pub fn reply_to<'x>(self, addr: impl Into<Address<'x>>) -> Self {
        self.add_address(HeaderName::REPLY_TO, addr.into())
    }

    /// Sets `Subject`.
    #[must_use]
    pub fn subject(self, subject: Text) -> Self {
        self.set(HeaderName::SUBJECT, FieldValue::Text(subject))
    }

    /// Sets `Date`.
    #[must_use]
    pub fn date(self, date: DateTime) -> Self {
        self.set(HeaderName::DATE, FieldValue::Date(date))
    }

    /// Sets `Message-ID`.
    #[must_use]
    pub fn message_id(self, id: MessageId<'_>) -> Self {
        self.set(HeaderName::MESSAGE_ID, FieldValue::from(id))
    }

    /// Sets `In-Reply-To`.
    #[must_use]
    pub fn in_reply_to(self, ids: Vec<MessageId<'_>>) -> Self {
        self.set(HeaderName::IN_REPLY_TO, FieldValue::from(ids))
    }

    /// Sets `References`.
    #[must_use]
    pub fn references(self, ids: Vec<MessageId<'_>>) -> Self {
        self.set(HeaderName::REFERENCES, FieldValue::from(ids))
    }

    /// Adds any header field (repeatable, written in order).
    #[must_use]
    pub fn header(mut self, name: HeaderName<'_>, value: impl Into<FieldValue>) -> Self {
        self.fields.push((name.into_owned(), value.into()));
        self
    }

    /// Sets the body (replacing an earlier one).
    #[must_use]
    pub fn body(mut self, part: Part) -> Self {
        self.body = Some(part);
        self
    }

    /// Adds an attachment: the message becomes `multipart/mixed` of the
    /// body and the attachments.
    #[must_use]
    pub fn attach(mut self, part: Part) -> Self {
        self.attachments.push(part);
        self
    }

    /// Writes the message into a `Vec`.
    ///
    /// # Errors
    /// See [`BuildError`].
    pub fn build(self) -> Result<Vec<u8>, BuildError> {
        let mut out = Vec::new();
        self.write_into(&mut out)?;
        Ok(out)
    }

    /// Writes the message into a growable `BufMut`; a fixed-size one that
    /// fills up gives [`BuildError::BufferFull`].
    ///
    /// # Errors
    /// See [`BuildError`].
    pub fn write_into(self, out: &mut impl BufMut) -> Result<(), BuildError> {
        self.write(&mut BufSink(out))
    }

    /// Writes the message to `out`, reading streamed bodies chunk by
    /// chunk: memory use is bounded by the header and one chunk, whatever
    /// the size of the attachments.
    ///
    /// # Errors
    /// See [`BuildError`].
    pub fn write_to(self, out: &mut impl Write) -> Result<(), BuildError> {
        self.write(&mut IoSink(out))
    }

    fn write(self, sink: &mut dyn Sink) -> Result<(), BuildError> {
        for (required, label) in [(HeaderName::DATE, "Date"), (HeaderName::FROM, "From")] {
            if !self.fields.iter().any(|(n, _)| *n == required) {
                return Err(BuildError::MissingField(label));
            }
        }
        let MessageBuilder {
            fields,
            body,
            attachments,
            opts,
        } = self;
        let mut root = match (body, attachments.is_empty()) {
            (Some(b), true) => b,
            (None, true) => Part::text(""),
            (b, false) => Part::multipart(
                MultipartKind::Mixed,
                b.into_iter().chain(attachments).collect(),
            ),
        };
        check_extra_headers(&root)?;
        prepare(&mut root, &opts, 0)?;
        let mut w = TreeWriter {
            sink,
            opts: &opts,
            seed: opts.seed.unwrap_or_else(unique_u64),
            counter: 0,
            scratch: Vec::with_capacity(CHUNK * 2),
            tail: [0; 2],
        };
        for (name, value) in &fields {
            if MANAGED.contains(name) {
                return Err(BuildError::ManagedField(name.as_str().to_owned()));
            }
            write_field(&mut w.scratch, name, value, &opts)?;
        }
        w.scratch.extend_from_slice(b"MIME-Version: 1.0\r\n");
        w.part(root, &mut Vec::new(), true)
    }
}

fn check_extra_headers(part: &Part) -> Result<(), BuildError> {
    for (name, _) in &part.headers {
        if MANAGED
            .iter()
            .chain(&[HeaderName::CONTENT_ID, HeaderName::CONTENT_DESCRIPTION])
            .any(|m| m == name)
        {
            return Err(BuildError::ManagedField(name.as_str().to_owned()));
        }
    }
    if let Content::Multipart { parts, .. } = &part.content {
        for p in parts {
            check_extra_headers(p)?;
        }
    }
    Ok(())
}

/// Where the output goes.
trait Sink {
    fn put(&mut self, data: &[u8]) -> Result<(), BuildError>;
}

struct BufSink<'b, B: BufMut>(&'b mut B);

impl<B: BufMut> Sink for BufSink<'_, B> {
    fn put(&mut self, data: &[u8]) -> Result<(), BuildError> {
        if self.0.remaining_mut() < data.len() {
            return Err(BuildError::BufferFull);
        }
        self.0.put_slice(data);
        Ok(())
    }
}

struct IoSink<'w, W: Write>(&'w mut W);

impl<W: Write> Sink for IoSink<'_, W> {
    fn put(&mut self, data: &[u8]) -> Result<(), BuildError> {
        self.0.write_all(data)?;
        Ok(())
    }
}

/// Size of the chunks read from a streamed body (a multiple of 57, so
/// base64 lines need no carry between chunks).
const CHUNK: usize = 57 * 1024;

fn field_error<'n>(name: &'n HeaderName<'_>) -> impl Fn(super::fold::TooLong) -> BuildError + 'n {
    move |_| BuildError::LineTooLong {
        field: name.as_str().to_owned(),
    }
}

/// Writes one header field: the name, the value encoded and folded as the
/// builder does (lines of at most 78 octets where a fold point allows,
/// never more than 998), and CRLF. For callers that add fields to a
/// message they write themselves, such as an SMTP server's `Received`.
///
/// # Errors
/// A structured value that cannot be folded under 998 octets, or UTF-8
/// that needs [`BuildOptions::smtputf8`]. Nothing is written then.
pub fn encode_field(
    name: &HeaderName<'_>,
    value: &FieldValue,
    opts: &BuildOptions,
    out: &mut impl BufMut,
) -> Result<(), BuildError> {
    let mut v = Vec::new();
    write_field(&mut v, name, value, opts)?;
    if out.remaining_mut() < v.len() {
        return Err(BuildError::BufferFull);
    }
    out.put_slice(&v);
    Ok(())
}

/// Writes one header field, folded, with CRLF.
pub(crate) fn write_field(
    out: &mut Vec<u8>,
    name: &HeaderName<'_>,
    value: &FieldValue,
    opts: &BuildOptions,
) -> Result<(), BuildError> {
    write_field_eol(out, name, value, opts.smtputf8, LineEnding::CrLf)
}

/// Writes one header field, folded, ending lines with `eol`.
pub(crate) fn write_field_eol(
    out: &mut Vec<u8>,
    name: &HeaderName<'_>,
    value: &FieldValue,
    utf8: bool,
    eol: LineEnding,
) -> Result<(), BuildError> {
    let start = out.len();
    let r = write_field_inner(out, name, value, utf8, eol);
    if r.is_err() {
        out.truncate(start);
    }
    r
}

fn write_field_inner(
    out: &mut Vec<u8>,
    name: &HeaderName<'_>,
    value: &FieldValue,
    utf8: bool,
    eol: LineEnding,
) -> Result<(), BuildError> {
    if name.as_str().len() > MAX_HEADER_NAME_LEN {
        return Err(ValueError::from(LimitError::new(
            "header name length",
            MAX_HEADER_NAME_LEN as u64,
        ))
        .into());
    }
    let mut w = FieldWriter::new(out, name.as_str(), eol);
    let too_long = field_error(name);
    let needs_utf8 = || BuildError::NeedsSmtpUtf8 {
        field: name.as_str().to_owned(),
    };
    match value {
        FieldValue::Text(t) => write_unstructured(&mut w, t.as_str(), utf8).map_err(&too_long)?,
        FieldValue::Date(d) => {
            let mut s = Vec::with_capacity(32);
            d.encode(&mut s);
            w.token(b" ", &s).map_err(&too_long)?;
        }
        FieldValue::MessageIds(ids) => {
            for id in ids {
                if !utf8 && !id.as_str().is_ascii() {
                    return Err(needs_utf8());
                }
                let mut tok = Vec::with_capacity(id.as_str().len() + 2);
                id.encode(&mut tok);
                w.token(b" ", &tok).map_err(&too_long)?;
            }
        }
        FieldValue::Raw(raw) => {
            if !utf8 && !raw.as_str().is_ascii() {
                return Err(needs_utf8());
            }
            let b = raw.as_str().as_bytes();
            for (i, u) in units(b).iter().enumerate() {
                let mut sep = b.get(u.ws_start..u.word_start).unwrap_or(b"").to_vec();
                if i == 0 {
                    sep.insert(0, b' ');
                }
                w.token(&sep, b.get(u.word_start..u.word_end).unwrap_or(b""))
                    .map_err(&too_long)?;
            }
        }
        FieldValue::Addresses(list) => {
            let last = list.len().saturating_sub(1);
            let mailbox_error = |e| match e {
                MailboxError::TooLong => too_long(super::fold::TooLong),
                MailboxError::Utf8 => needs_utf8(),
                MailboxError::NoDomain(local) => BuildError::Value(ValueError::syntax(
                    "mailbox",
                    local.as_bytes(),
                    local.len(),
                    "an address with a domain",
                )),
            };
            for (i, a) in list.iter().enumerate() {
                let comma: &[u8] = if i == last { b"" } else { b"," };
                match a {
                    Address::Mailbox(m) => {
                        write_mailbox(&mut w, m, utf8, comma).map_err(mailbox_error)?
                    }
                    Address::Group(g) => {
                        let members = g.members();
                        let suffix: &[u8] = if members.is_empty() { b":;" } else { b":" };
                        let suffix =
                            [suffix, if members.is_empty() { comma } else { b"" }].concat();
                        write_phrase(&mut w, b" ", &g.name(), utf8, &suffix).map_err(&too_long)?;
                        let mlast = members.len().saturating_sub(1);
                        for (j, m) in members.iter().enumerate() {
                            let end = if j == mlast {
                                [b";", comma].concat()
                            } else {
                                b",".to_vec()
                            };
                            write_mailbox(&mut w, m, utf8, &end).map_err(mailbox_error)?;
                        }
                    }
                }
            }
        }
    }
    w.finish();
    Ok(())
}

enum MailboxError {
    TooLong,
    Utf8,
    /// A parsed mailbox without a domain (`<user>`, the null path `<>`)
    /// cannot be written as an address; the local part is kept for the
    /// error.
    NoDomain(String),
}

/// Writes a mailbox: the display name (decoded, then written as atoms, a
/// quoted string or encoded words, folded) and the address. An obsolete
/// route and a comment of a parsed mailbox are not written.
fn write_mailbox(
    w: &mut FieldWriter<'_>,
    m: &Mailbox<'_>,
    utf8: bool,
    suffix: &[u8],
) -> Result<(), MailboxError> {
    let Some(domain) = m.domain() else {
        return Err(MailboxError::NoDomain(m.local_part().to_owned()));
    };
    let ascii = m.local_part().is_ascii() && domain.is_ascii();
    if !utf8 && !ascii {
        return Err(MailboxError::Utf8);
    }
    let addr = m.addr_spec();
    let addr = addr.as_bytes();
    match m.name() {
        Some(name) => {
            write_phrase(w, b" ", &name, utf8, b"").map_err(|_| MailboxError::TooLong)?;
            let tok = [b"<", addr, b">", suffix].concat();
            w.token(b" ", &tok).map_err(|_| MailboxError::TooLong)
        }
        None => {
            let tok = [addr, suffix].concat();
            w.token(b" ", &tok).map_err(|_| MailboxError::TooLong)
        }
    }
}

/// Makes text CRLF-terminated: a bare LF becomes CRLF; a bare CR stays
/// (and then forces an encoding that can carry it).
fn normalize_crlf(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + text.len() / 32);
    let mut prev = 0u8;
    for &b in text {
        if b == b'\n' && prev != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        prev = b;
    }
    out
}

/// Whether `data` is valid as 7bit (or 8bit): no NUL, CR only in CRLF,
/// lines of at most 998 octets.
fn fits_identity(data: &[u8], eight_bit: bool) -> bool {
    let mut prev_cr = false;
    let mut line = 0usize;
    for &b in data {
        if b == 0
            || (b >= 0x80 && !eight_bit)
            || (prev_cr && b != b'\n')
            || (b == b'\n' && !prev_cr)
        {
            return false;
        }
        prev_cr = b == b'\r';
        if b == b'\n' {
            line = 0;
        } else if b != b'\r' {
            line += 1;
            if line > 998 {
                return false;
            }
        }
    }
    !prev_cr
}

/// Picks the transfer encoding of text (already CRLF-normalized).
fn text_encoding(data: &[u8], opts: &BuildOptions) -> TransferEncoding {
    if fits_identity(data, false) {
        return TransferEncoding::SevenBit;
    }
    if opts.allow_8bit && fits_identity(data, true) {
        return TransferEncoding::EightBit;
    }
    let qp: usize = data
        .iter()
        .map(|&b| match b {
            b'\r' | b'\n' | b' ' | b'\t' | 33..=60 | 62..=126 => 1,
            _ => 3,
        })
        .sum();
    if qp <= data.len().div_ceil(3) * 4 {
        TransferEncoding::QuotedPrintable
    } else {
        TransferEncoding::Base64
    }
}

/// Normalizes text, fixes every part's transfer encoding, and checks the
/// depth and the rules of unencoded content known in advance.
fn prepare(part: &mut Part, opts: &BuildOptions, depth: usize) -> Result<(), BuildError> {
    if depth > opts.max_depth {
        return Err(LimitError::new("max_depth", opts.max_depth as u64).into());
    }
    match &mut part.content {
        Content::Text { text, .. } => {
            let data = normalize_crlf(text.as_bytes());
            let enc = part.encoding.unwrap_or_else(|| text_encoding(&data, opts));
            check_known(&data, enc)?;
            // Normalizing inserts only ASCII CRs, so the text stays UTF-8.
            *text = String::from_utf8(data).map_err(|_| BuildError::InvalidContent {
                encoding: "text",
                reason: "not UTF-8",
            })?;
            part.encoding = Some(enc);
        }
        Content::Data { body, .. } => {
            let enc = *part.encoding.get_or_insert(TransferEncoding::Base64);
            if let Some(data) = body.known() {
                check_known(data, enc)?;
            }
        }
        Content::Message { body } => {
            if let Body::Bytes(b) = body {
                let data = normalize_crlf(b);
                let enc = match part.encoding {
                    Some(e) => e,
                    None if fits_identity(&data, false) => TransferEncoding::SevenBit,
                    None if opts.allow_8bit && fits_identity(&data, true) => {
                        TransferEncoding::EightBit
                    }
                    None => {
                        return Err(BuildError::InvalidContent {
                            encoding: if opts.allow_8bit { "8bit" } else { "7bit" },
                            reason: "message/rfc822 content must be sent unencoded (RFC 2046 section 5.2.1)",
                        });
                    }
                };
                check_known(&data, enc)?;
                *b = Bytes::from(data);
                part.encoding = Some(enc);
            } else {
                part.encoding.get_or_insert(if opts.allow_8bit {
                    TransferEncoding::EightBit
                } else {
                    TransferEncoding::SevenBit
                });
            }
            if matches!(
                part.encoding,
                Some(TransferEncoding::Base64 | TransferEncoding::QuotedPrintable)
            ) {
                return Err(BuildError::InvalidContent {
                    encoding: "base64/quoted-printable",
                    reason: "message/rfc822 must be 7bit, 8bit or binary (RFC 2046 section 5.2.1)",
                });
            }
        }
        Content::Multipart { parts, .. } => {
            if parts.is_empty() {
                return Err(BuildError::InvalidContent {
                    encoding: "multipart",
                    reason: "a multipart needs at least one part (RFC 2046 section 5.1.1)",
                });
            }
            for p in parts.iter_mut() {
                prepare(p, opts, depth + 1)?;
            }
        }
    }
    Ok(())
}

fn check_known(data: &[u8], enc: TransferEncoding) -> Result<(), BuildError> {
    let ok = match enc {
        TransferEncoding::SevenBit => fits_identity(data, false),
        TransferEncoding::EightBit => fits_identity(data, true),
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        Err(BuildError::InvalidContent {
            encoding: enc.as_str(),
            reason: "content breaks the encoding's rules (RFC 2045 sections 2.7, 2.8)",
        })
    }
}

/// Whether a line of `data` starts with `--boundary`.
fn has_delimiter(data: &[u8], boundary: &[u8]) -> bool {
    let delim = [b"--", boundary].concat();
    if data.starts_with(&delim) {
        return true;
    }
    let needle = [b"\n", delim.as_slice()].concat();
    memchr::memmem::find(data, &needle).is_some()
}

/// Everything inside `parts` that is written as it is and could hold a
/// line starting with a delimiter: unencoded bodies known in advance and
/// the names of extra header fields.
fn collect_plain<'p>(parts: &'p [Part], out: &mut Vec<&'p [u8]>) {
    for p in parts {
        for (n, _) in &p.headers {
            out.push(n.as_str().as_bytes());
        }
        let plain = matches!(
            p.encoding,
            Some(
                TransferEncoding::SevenBit | TransferEncoding::EightBit | TransferEncoding::Binary
            )
        );
        match &p.content {
            Content::Text { text, .. } if plain => out.push(text.as_bytes()),
            Content::Data { body, .. } | Content::Message { body } if plain => {
                out.extend(body.known())
            }
            Content::Multipart { parts, .. } => collect_plain(parts, out),
            _ => {}
        }
    }
}

struct TreeWriter<'s, 'o> {
    sink: &'s mut dyn Sink,
    opts: &'o BuildOptions,
    seed: u64,
    counter: u64,
    scratch: Vec<u8>,
    /// The last two octets written, to end the message on a line break.
    tail: [u8; 2],
}

impl TreeWriter<'_, '_> {
    fn flush(&mut self) -> Result<(), BuildError> {
        if self.scratch.is_empty() {
            return Ok(());
        }
        self.sink.put(&self.scratch)?;
        match self.scratch.as_slice() {
            [.., a, b] => self.tail = [*a, *b],
            [b] => self.tail = [self.tail[1], *b],
            [] => {}
        }
        self.scratch.clear();
        Ok(())
    }

    /// A boundary `=_` + 32 hex digits + `.` + the counter: the same length
    /// for every multipart of a message, so none is a prefix of another,
    /// and with `=_`, which neither base64 nor quoted-printable output
    /// contains (RFC 2046 section 5.1.1 allows `=` and `_` in bchars).
    ///
    /// Content known in advance is checked; after 64 colliding candidates
    /// (content built to match this seed's sequence) the build fails
    /// rather than write an ambiguous multipart.
    fn boundary(&mut self, plain: &[&[u8]]) -> Result<Vec<u8>, BuildError> {
        for _ in 0..64 {
            self.counter += 1;
            let a = splitmix64(self.seed ^ self.counter.rotate_left(32));
            let b = splitmix64(a ^ self.counter);
            let s = format!("=_{a:016x}{b:016x}.{:04x}", self.counter & 0xffff).into_bytes();
            if !plain.iter().any(|d| has_delimiter(d, &s)) {
                return Ok(s);
            }
        }
        Err(BuildError::BoundaryInContent)
    }

    fn header(&mut self, name: HeaderName<'static>, value: FieldValue) -> Result<(), BuildError> {
        write_field(&mut self.scratch, &name, &value, self.opts)
    }

    fn params_field(
        &mut self,
        name: &'static str,
        first: &[u8],
        params: Vec<Vec<Vec<u8>>>,
    ) -> Result<(), BuildError> {
        let mut w = FieldWriter::new(&mut self.scratch, name, LineEnding::CrLf);
        let too_long = |_| BuildError::LineTooLong {
            field: name.to_owned(),
        };
        let mut tokens: Vec<Vec<u8>> = vec![first.to_vec()];
        for p in params {
            // `;` ends the previous parameter; pieces of one value (the
            // legacy name's encoded words) are joined by spaces only.
            if let Some(prev) = tokens.last_mut() {
                prev.push(b';');
            }
            let mut pieces = p.into_iter();
            if let Some(first) = pieces.next() {
                tokens.push(first);
            }
            tokens.extend(pieces);
        }
        for t in &tokens {
            w.token(b" ", t).map_err(too_long)?;
        }
        w.finish();
        Ok(())
    }

    fn part(
        &mut self,
        part: Part,
        ancestors: &mut Vec<Vec<u8>>,
        top: bool,
    ) -> Result<(), BuildError> {
        let Part {
            content,
            encoding,
            disposition,
            filename,
            content_id,
            description,
            params,
            headers,
        } = part;
        let encoding = encoding.unwrap_or(TransferEncoding::SevenBit);
        // Content-Type.
        let mut ps: Vec<Vec<Vec<u8>>> = Vec::new();
        let (media, boundary) = match &content {
            Content::Text { media, .. } => {
                ps.push(segments("charset", "utf-8"));
                (media.clone(), None)
            }
            Content::Data { media, .. } => (media.clone(), None),
            Content::Message { .. } => (MediaType::known("message", "rfc822"), None),
            Content::Multipart { kind, parts } => {
                let mut plain = Vec::new();
                collect_plain(parts, &mut plain);
                let b = self.boundary(&plain)?;
                ps.push(segments("boundary", &String::from_utf8_lossy(&b)));
                (MediaType::new("multipart", kind.subtype())?, Some(b))
            }
        };
        for p in &params {
            ps.push(segments(p.name(), p.value()));
        }
        if let (Some(f), true) = (&filename, self.opts.legacy_filename) {
            ps.push(legacy_name_segments("name", f.as_str()));
        }
        let mt = format!("{}/{}", media.top(), media.sub());
        self.params_field("Content-Type", mt.as_bytes(), ps)?;
        if boundary.is_none() {
            self.header(
                HeaderName::CONTENT_TRANSFER_ENCODING,
                raw(encoding.as_str())?,
            )?;
        }
        if let Some(d) = disposition {
            let ps = filename
                .iter()
                .map(|f| segments("filename", f.as_str()))
                .collect();
            self.params_field("Content-Disposition", d.as_bytes(), ps)?;
        }
        if let Some(id) = content_id {
            self.header(HeaderName::CONTENT_ID, FieldValue::MessageIds(vec![id]))?;
        }
        if let Some(d) = description {
            self.header(HeaderName::CONTENT_DESCRIPTION, FieldValue::Text(d))?;
        }
        for (n, v) in &headers {
            write_field(&mut self.scratch, n, v, self.opts)?;
        }
        self.scratch.extend_from_slice(b"\r\n");
        match content {
            Content::Multipart { parts, .. } => {
                let b = boundary.unwrap_or_default();
                ancestors.push(b.clone());
                for (i, p) in parts.into_iter().enumerate() {
                    if i > 0 {
                        self.scratch.extend_from_slice(b"\r\n");
                    }
                    self.scratch.extend_from_slice(b"--");
                    self.scratch.extend_from_slice(&b);
                    self.scratch.extend_from_slice(b"\r\n");
                    self.part(p, ancestors, false)?;
                }
                ancestors.pop();
                self.scratch.extend_from_slice(b"\r\n--");
                self.scratch.extend_from_slice(&b);
                self.scratch.extend_from_slice(b"--");
                if top {
                    self.scratch.extend_from_slice(b"\r\n");
                }
                self.flush()
            }
            Content::Text { text, .. } => {
                self.body(Body::from(text), encoding, false, ancestors, top)
            }
            // Data of a non-text type is binary: under quoted-printable its
            // CR and LF octets are encoded, not line breaks (RFC 2045
            // section 6.7 (4)), or they would decode as CRLF.
            Content::Data { media, body } => {
                let binary = !media.is_text();
                self.body(body, encoding, binary, ancestors, top)
            }
            Content::Message { body } => self.body(body, encoding, false, ancestors, top),
        }
    }

    fn body(
        &mut self,
        body: Body,
        encoding: TransferEncoding,
        binary: bool,
        ancestors: &[Vec<u8>],
        top: bool,
    ) -> Result<(), BuildError> {
        self.flush()?;
        let qp = QpOptions {
            binary: binary || self.opts.qp.binary,
            ..self.opts.qp
        };
        let mut enc = BodyEncoder::with_boundaries(encoding, qp, ancestors.to_vec());
        match body {
            Body::Bytes(b) => {
                for chunk in b.chunks(CHUNK) {
                    enc.encode(chunk, &mut self.scratch)?;
                    self.flush()?;
                }
            }
            Body::Reader(mut r) => {
                let mut buf = vec![0u8; CHUNK];
                loop {
                    let n = match r.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => n,
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                        Err(e) => return Err(e.into()),
                    };
                    enc.encode(buf.get(..n).unwrap_or(&[]), &mut self.scratch)?;
                    self.flush()?;
                }
            }
            Body::Chunks(it) => {
                for chunk in it {
                    enc.encode(&chunk?, &mut self.scratch)?;
                    self.flush()?;
                }
            }
        }
        enc.finish(&mut self.scratch)?;
        self.flush()?;
        // A top-level encoded body ends on a line break that adds nothing
        // to the content: base64 ignores it, quoted-printable gets a soft
        // break. Unencoded content is left exactly as given.
        if top && self.tail != *b"\r\n" {
            match encoding {
                TransferEncoding::Base64 => self.scratch.extend_from_slice(b"\r\n"),
                TransferEncoding::QuotedPrintable => self.scratch.extend_from_slice(b"=\r\n"),
                _ => {}
            }
            self.flush()?;
        }
        Ok(())
    }
}

fn raw(s: &str) -> Result<FieldValue, ValueError> {
    Ok(FieldValue::Raw(super::value::RawValue::new(s)?))
}
