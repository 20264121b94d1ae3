//! The one pass over a message: header fields, MIME boundaries, the part
//! tree, byte ranges and line counts.
//!
//! Interim structure walker, private to the IMAP views: it follows RFC 2046
//! section 5.1.1 for multiparts and RFC 2046 section 5.2.1 for
//! message/rfc822, with the readings of broken input that Dovecot 2.3 shows
//! in `tests/data/dovecot-rfc822/FINDINGS.md` (section numbers below refer
//! to that file). The header field *values* are parsed later, on demand,
//! from the ranges recorded here.

use core::ops::Range;
use std::borrow::Cow;

use super::params::content_type;

/// Deepest nesting of multiparts and message/rfc822 parts that is walked
/// into; deeper parts are leaves. Bounds the recursion on hostile input.
pub(crate) const MAX_DEPTH: usize = 64;

/// Most parts walked; the rest of the message is the body of the last part.
pub(crate) const MAX_PARTS: usize = 10_000;

/// What a part is, for the part tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Not a container (or not walked into).
    Leaf,
    /// A multipart: its parts, at least one (a synthesised empty
    /// text/plain when the body has none, FINDINGS 5.4).
    Multipart(Vec<usize>),
    /// A message/rfc822 (or message/global) part: the encapsulated message.
    Message(usize),
}

/// The envelope fields of a message header (RFC 9051 section 7.5.2),
/// as value ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct EnvFields {
    /// Last `Date:`.
    pub date: Option<Range<usize>>,
    /// Last `Subject:`.
    pub subject: Option<Range<usize>>,
    /// Last `In-Reply-To:`.
    pub in_reply_to: Option<Range<usize>>,
    /// Last `Message-ID:`.
    pub message_id: Option<Range<usize>>,
    /// Every address field: which one (see [`AddrField`]) and its value.
    pub addresses: Vec<(AddrField, Range<usize>)>,
}

/// The address fields of an envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AddrField {
    From,
    Sender,
    ReplyTo,
    To,
    Cc,
    Bcc,
}

/// The MIME fields of a part header, as value ranges (the first of each).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct MimeFields {
    pub content_type: Option<Range<usize>>,
    pub encoding: Option<Range<usize>>,
    pub id: Option<Range<usize>>,
    pub description: Option<Range<usize>>,
    pub md5: Option<Range<usize>>,
    pub disposition: Option<Range<usize>>,
    pub language: Option<Range<usize>>,
    pub location: Option<Range<usize>>,
}

/// One part of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    /// The header, with the empty line that ends it when there is one.
    pub header: Range<usize>,
    /// The body.
    pub body: Range<usize>,
    /// LF octets in the body.
    pub lines: u32,
    /// Children.
    pub kind: Kind,
    /// The MIME fields.
    pub mime: MimeFields,
    /// The envelope fields, for a message (the top level and the
    /// encapsulated message of a message/rfc822 part).
    pub env: Option<Box<EnvFields>>,
    /// Without Content-Type, this is message/rfc822 (a part of a
    /// multipart/digest, RFC 2046 section 5.1.5).
    pub digest_default: bool,
    /// Made up for a multipart without parts; no header, no body.
    pub synthetic: bool,
}

/// One header field as it stands: the field's whole lines, its name and its
/// raw value (after the colon, folds included, up to the final line end).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawField {
    /// From the name to the end of the last line, line end included.
    pub lines: Range<usize>,
    /// The name, without trailing white space; the whole line for a line
    /// without a colon.
    pub name: Range<usize>,
    /// The value: after the colon and one space, up to the final line end.
    pub value: Range<usize>,
}

/// A delimiter line that ended a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Term {
    /// Index of the boundary in the stack.
    level: usize,
    /// `--boundary--`.
    close: bool,
    /// Start of the delimiter line.
    start: usize,
    /// After its line end.
    end: usize,
}

/// The end of the line starting at `pos` (after its LF, or the end of
/// input) and the end of its content (before CRLF or LF).
fn line(msg: &[u8], pos: usize) -> (usize, usize) {
    let rest = msg.get(pos..).unwrap_or_default();
    match memchr::memchr(b'\n', rest) {
        Some(i) => {
            let end = pos + i + 1;
            let content = if i > 0 && rest.get(i - 1) == Some(&b'\r') {
                pos + i - 1
            } else {
                pos + i
            };
            (end, content)
        }
        None => (msg.len(), msg.len()),
    }
}

/// The start of the line end just before `pos` (CRLF or LF), not before
/// `floor`: where a part ends when a delimiter line starts at `pos` (the
/// line end belongs to the delimiter, RFC 2046 section 5.1.1).
fn before_eol(msg: &[u8], pos: usize, floor: usize) -> usize {
    let mut p = pos;
    if p > floor && msg.get(p - 1) == Some(&b'\n') {
        p -= 1;
        if p > floor && msg.get(p - 1) == Some(&b'\r') {
            p -= 1;
        }
    }
    p
}

/// Where a part starting at `start` ends: before the line end of the
/// delimiter line `term`, or at the end of the message.
fn part_end(msg: &[u8], term: Option<Term>, start: usize) -> usize {
    match term {
        Some(d) => before_eol(msg, d.start, start),
        None => msg.len(),
    }
}

/// Iterates over the header fields in `msg[range]` (which must be a header
/// as found by the walker).
pub(crate) fn fields(msg: &[u8], range: Range<usize>) -> impl Iterator<Item = RawField> + '_ {
    let end = range.end;
    let mut pos = range.start;
    core::iter::from_fn(move || {
        if pos >= end {
            return None;
        }
        let (f, next) = field_at(msg, pos, end)?;
        pos = next;
        Some(f)
    })
}

/// The field starting at `pos`, with its continuation lines, and where the
/// next line starts. `None` at an empty line.
fn field_at(msg: &[u8], pos: usize, limit: usize) -> Option<(RawField, usize)> {
    let (mut end, content) = line(msg, pos);
    end = end.min(limit);
    if content == pos {
        return None;
    }
    let mut content_end = content.min(limit);
    // Continuation lines: start with SP or HTAB.
    while end < limit && matches!(msg.get(end), Some(b' ' | b'\t')) {
        let (e, c) = line(msg, end);
        end = e.min(limit);
        content_end = c.min(limit);
    }
    let first_line = msg.get(pos..content).unwrap_or_default();
    let (name, value) = match memchr::memchr(b':', first_line) {
        Some(i) => {
            let mut n = pos + i;
            while n > pos && matches!(msg.get(n - 1), Some(b' ' | b'\t')) {
                n -= 1;
            }
            let mut v = pos + i + 1;
            if msg.get(v) == Some(&b' ') && v < content_end {
                v += 1;
            }
            (pos..n, v..content_end.max(v))
        }
        None => (pos..content_end, content_end..content_end),
    };
    Some((
        RawField {
            lines: pos..end,
            name,
            value,
        },
        end,
    ))
}

/// Walks `msg` once and returns its parts, the top-level message first.
pub(crate) fn walk(msg: &[u8]) -> Vec<Part> {
    let mut w = Walker {
        msg,
        parts: Vec::new(),
        bounds: Vec::new(),
    };
    w.entity(0, false, true, 0);
    w.parts
}

struct Walker<'a> {
    msg: &'a [u8],
    parts: Vec<Part>,
    /// Active boundaries, outermost first.
    bounds: Vec<Cow<'a, [u8]>>,
}

impl<'a> Walker<'a> {
    /// Whether the line at `start` (content up to `content`) is a delimiter
    /// of an active boundary: Dovecot's reading (FINDINGS 5.1, 5.2), the
    /// longest active boundary that starts the line after `--` wins, so
    /// boundaries that are prefixes of each other are told apart.
    fn delimiter(&self, start: usize, end: usize, content: usize) -> Option<Term> {
        if self.bounds.is_empty() {
            return None;
        }
        let text = self.msg.get(start..content)?;
        let rest = text.strip_prefix(b"--")?;
        let mut best: Option<(usize, usize)> = None;
        for (level, b) in self.bounds.iter().enumerate() {
            if rest.starts_with(b.as_ref()) && best.is_none_or(|(_, len)| b.len() > len) {
                best = Some((level, b.len()));
            }
        }
        let (level, len) = best?;
        let close = rest.get(len..).is_some_and(|r| r.starts_with(b"--"));
        Some(Term {
            level,
            close,
            start,
            end,
        })
    }

    /// Reads lines from `pos` until a delimiter line (returned) or the end.
    fn skip_to_delimiter(&self, mut pos: usize) -> Option<Term> {
        while pos < self.msg.len() {
            let (end, content) = line(self.msg, pos);
            if let Some(t) = self.delimiter(pos, end, content) {
                return Some(t);
            }
            pos = end;
        }
        None
    }

    fn lines(&self, r: &Range<usize>) -> u32 {
        let n = memchr::memchr_iter(b'\n', self.msg.get(r.clone()).unwrap_or_default()).count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// An empty part at `at`.
    fn synthetic(&mut self, at: usize) -> usize {
        self.parts.push(Part {
            header: at..at,
            body: at..at,
            lines: 0,
            kind: Kind::Leaf,
            mime: MimeFields::default(),
            env: None,
            digest_default: false,
            synthetic: true,
        });
        self.parts.len() - 1
    }

    /// One entity (header and body) starting at `start`: a message or a
    /// body part. Returns its index and the delimiter line that ended it.
    fn entity(
        &mut self,
        start: usize,
        digest_default: bool,
        is_message: bool,
        depth: usize,
    ) -> (usize, Option<Term>) {
        let idx = self.parts.len();
        self.parts.push(Part {
            header: start..start,
            body: start..start,
            lines: 0,
            kind: Kind::Leaf,
            mime: MimeFields::default(),
            env: None,
            digest_default,
            synthetic: false,
        });
        let msg = self.msg;
        let mut mime = MimeFields::default();
        let mut env = is_message.then(Box::<EnvFields>::default);
        // The header: up to an empty line, a delimiter line or the end. A
        // line without a colon does not end it (FINDINGS 5.7).
        let mut pos = start;
        let mut term = None;
        let header_end = loop {
            if pos >= msg.len() {
                break msg.len();
            }
            let (end, content) = line(msg, pos);
            if content == pos {
                break end;
            }
            if let Some(t) = self.delimiter(pos, end, content) {
                term = Some(t);
                break before_eol(msg, pos, start);
            }
            let Some((f, next)) = field_at(msg, pos, msg.len()) else {
                break end;
            };
            record(msg, &f, &mut mime, env.as_deref_mut());
            pos = next;
        };
        let body_start = header_end;
        let ct = mime
            .content_type
            .clone()
            .map(|r| content_type(msg.get(r).unwrap_or_default()));
        let (is_multipart, is_msg, boundary, is_digest) = match ct {
            Some(ct) => (
                ct.main.eq_ignore_ascii_case(b"multipart"),
                ct.main.eq_ignore_ascii_case(b"message")
                    && (ct.sub.eq_ignore_ascii_case(b"rfc822")
                        || ct.sub.eq_ignore_ascii_case(b"global")),
                ct.boundary.filter(|b| !b.is_empty()),
                ct.sub.eq_ignore_ascii_case(b"digest"),
            ),
            None => (false, digest_default, None, false),
        };
        let walk_in = depth < MAX_DEPTH && self.parts.len() < MAX_PARTS;
        let mut kind = Kind::Leaf;
        let body_end;
        if term.is_some() {
            // The header ran into a delimiter: no body.
            body_end = body_start;
            if is_multipart {
                kind = Kind::Multipart(vec![self.synthetic(body_start)]);
            } else if is_msg && walk_in {
                // An empty encapsulated message (FINDINGS 6.3).
                let c = self.synthetic(body_start);
                kind = Kind::Message(c);
            }
        } else if let Some(b) = boundary.filter(|_| is_multipart && walk_in) {
            self.bounds.push(b);
            let level = self.bounds.len() - 1;
            let mut children = Vec::new();
            let mut t = self.skip_to_delimiter(body_start);
            // Parts, each after a delimiter of this multipart.
            while let Some(d) = t {
                if d.level != level || d.close {
                    break;
                }
                if self.parts.len() >= MAX_PARTS {
                    t = self.skip_to_delimiter(d.end);
                    continue;
                }
                let (c, ct_) = self.entity(d.end, is_digest, false, depth + 1);
                children.push(c);
                t = ct_;
            }
            self.bounds.pop();
            // After the close delimiter: the epilogue, up to an outer
            // delimiter or the end.
            if let Some(d) = t
                && d.level == level
            {
                t = self.skip_to_delimiter(d.end);
            }
            term = t;
            body_end = part_end(msg, term, start);
            if children.is_empty() {
                children.push(self.synthetic(body_end));
            }
            kind = Kind::Multipart(children);
        } else if is_msg && walk_in {
            let (c, t) = self.entity(body_start, false, true, depth + 1);
            term = t;
            body_end = part_end(msg, term, start);
            kind = Kind::Message(c);
        } else {
            term = self.skip_to_delimiter(body_start);
            body_end = part_end(msg, term, start);
            if is_multipart {
                // No boundary (or too deep): one synthesised empty part.
                kind = Kind::Multipart(vec![self.synthetic(body_end)]);
            }
        }
        // The line end before a delimiter belongs to the delimiter, even
        // when it is the empty line that ends the header (FINDINGS 5.6).
        let header_end = header_end.min(body_end);
        let body = header_end..body_end.max(header_end);
        // Parts inside that start after this end (only empty ones can)
        // are moved to it.
        let fix = body.end;
        for p in self.parts.iter_mut().skip(idx + 1) {
            if p.header.start > fix {
                p.header = fix..fix;
                p.body = fix..fix;
            }
        }
        let lines = self.lines(&body);
        if let Some(p) = self.parts.get_mut(idx) {
            p.header = start..header_end;
            p.body = body;
            p.lines = lines;
            p.kind = kind;
            p.mime = mime;
            p.env = env;
        }
        (idx, term)
    }
}

/// Files a header field under the MIME or envelope field it is.
fn record(msg: &[u8], f: &RawField, mime: &mut MimeFields, env: Option<&mut EnvFields>) {
    let name = msg.get(f.name.clone()).unwrap_or_default();
    let v = f.value.clone();
    if name.len() > 8
        && name
            .get(..8)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"content-"))
    {
        let rest = name.get(8..).unwrap_or_default();
        let slot = if rest.eq_ignore_ascii_case(b"type") {
            &mut mime.content_type
        } else if rest.eq_ignore_ascii_case(b"transfer-encoding") {
            &mut mime.encoding
        } else if rest.eq_ignore_ascii_case(b"id") {
            &mut mime.id
        } else if rest.eq_ignore_ascii_case(b"description") {
            &mut mime.description
        } else if rest.eq_ignore_ascii_case(b"md5") {
            &mut mime.md5
        } else if rest.eq_ignore_ascii_case(b"disposition") {
            &mut mime.disposition
        } else if rest.eq_ignore_ascii_case(b"language") {
            &mut mime.language
        } else if rest.eq_ignore_ascii_case(b"location") {
            &mut mime.location
        } else {
            return;
        };
        if slot.is_none() {
            *slot = Some(v);
        }
        return;
    }
    let Some(env) = env else { return };
    let addr = |a| Some(a);
    let which = if name.eq_ignore_ascii_case(b"date") {
        env.date = Some(v);
        None
    } else if name.eq_ignore_ascii_case(b"subject") {
        env.subject = Some(v);
        None
    } else if name.eq_ignore_ascii_case(b"in-reply-to") {
        env.in_reply_to = Some(v);
        None
    } else if name.eq_ignore_ascii_case(b"message-id") {
        env.message_id = Some(v);
        None
    } else if name.eq_ignore_ascii_case(b"from") {
        addr(AddrField::From)
    } else if name.eq_ignore_ascii_case(b"sender") {
        addr(AddrField::Sender)
    } else if name.eq_ignore_ascii_case(b"reply-to") {
        addr(AddrField::ReplyTo)
    } else if name.eq_ignore_ascii_case(b"to") {
        addr(AddrField::To)
    } else if name.eq_ignore_ascii_case(b"cc") {
        addr(AddrField::Cc)
    } else if name.eq_ignore_ascii_case(b"bcc") {
        addr(AddrField::Bcc)
    } else {
        None
    };
    if let Some(w) = which {
        env.addresses.push((w, f.value.clone()));
    }
}
