//! Responses to bytes (RFC 9051 section 7, RFC 3501 section 7).
//!
//! Every response ends with CRLF. What was parsed is written back in the
//! same form where the grammar leaves no choice; strings take the
//! smallest valid form (quoted, else literal). With
//! [`ResponseEncodeOptions::imap4rev2`], what IMAP4rev2 removed is not
//! written and what it replaced is refused: see [`encode_response`].
//!
//! ```
//! use imap_proto::encode::{Encode, EncodeOptions, Encoder};
//! use imap_proto::types::{Data, Response};
//! let mut e = Encoder::new(EncodeOptions::default());
//! Response::Data(Data::Exists(23)).encode(&mut e);
//! assert_eq!(e.to_bytes(), b"* 23 EXISTS\r\n");
//! ```

use super::values::{list, part_numbers};
use super::{Encode, Encoder};
use crate::types::body::{Body, BodyExtension, Disposition, ExtDisposition, Params, SingleKind};
use crate::types::envelope::{Address, Envelope};
use crate::types::fetch::BinaryData;
use crate::types::{
    Capability, Code, ContinueRequest, Data, Delimiter, ESearchItem, FetchItem, IString, ListData,
    NamespaceDesc, NonEmptyVec, Response, StatusKind, StatusResponse, StatusValue, Text, Value,
    Word,
};

/// How to write responses for the protocol version in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ResponseEncodeOptions {
    /// The session speaks IMAP4rev2 (RFC 9051): what it deprecated is not
    /// written (RFC 9051 appendix E, items 4, 11 and 12): `* n RECENT`,
    /// the `RECENT` STATUS item, `\Recent` in FETCH FLAGS, the `RFC822*`
    /// FETCH items and the `[UNSEEN n]` response code; `SEARCH` and `LSUB`
    /// responses are refused ([`NotInImap4rev2`]).
    pub imap4rev2: bool,
}

/// What [`encode_response`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[must_use]
pub enum Encoded {
    /// The response was written.
    Written,
    /// Nothing was written: every part of the response is deprecated in
    /// IMAP4rev2 (`* n RECENT`, a FETCH of only `RFC822*` items, an
    /// untagged `OK [UNSEEN n]`). Nothing is lost for a rev2 client.
    Omitted,
}

/// A response IMAP4rev2 has no form for, and that the encoder cannot
/// rewrite on its own: the application must send the rev2 response instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum NotInImap4rev2 {
    /// `* SEARCH`: IMAP4rev2 answers SEARCH with `* ESEARCH`, which names
    /// the command's tag and whether it was UID SEARCH (RFC 9051 section
    /// 6.4.4); build it with [`ESearch::from_search`](crate::types::ESearch::from_search).
    #[error(
        "IMAP4rev2 answers SEARCH with ESEARCH (RFC 9051 section 6.4.4); use ESearch::from_search"
    )]
    Search,
    /// `* LSUB`: IMAP4rev2 has no LSUB command; subscriptions are listed
    /// by `LIST (SUBSCRIBED)` (RFC 9051 section 6.3.9).
    #[error("IMAP4rev2 has no LSUB response; answer LIST (SUBSCRIBED) with LIST responses")]
    Lsub,
}

/// Writes `r` for a session with `opts`. Under IMAP4rev2 it leaves out
/// what RFC 9051 deprecated (see [`ResponseEncodeOptions::imap4rev2`]) and
/// refuses, writing nothing, what has no rev2 form.
///
/// ```
/// use imap_proto::encode::response::{Encoded, ResponseEncodeOptions, encode_response};
/// use imap_proto::encode::{EncodeOptions, Encoder};
/// use imap_proto::types::Response;
///
/// let rev2 = ResponseEncodeOptions { imap4rev2: true };
/// let mut e = Encoder::new(EncodeOptions::default());
/// let recent = Response::parse(b"* 3 RECENT\r\n").unwrap();
/// assert_eq!(encode_response(&recent, rev2, &mut e), Ok(Encoded::Omitted));
/// let search = Response::parse(b"* SEARCH 2 3\r\n").unwrap();
/// assert!(encode_response(&search, rev2, &mut e).is_err());
/// assert!(e.to_bytes().is_empty());
/// ```
pub fn encode_response(
    r: &Response<'_>,
    opts: ResponseEncodeOptions,
    e: &mut Encoder,
) -> Result<Encoded, NotInImap4rev2> {
    if !opts.imap4rev2 {
        r.encode(e);
        return Ok(Encoded::Written);
    }
    match r {
        Response::Data(Data::Recent(_)) => return Ok(Encoded::Omitted),
        Response::Data(Data::Search { .. }) => return Err(NotInImap4rev2::Search),
        Response::Data(Data::Lsub(_)) => return Err(NotInImap4rev2::Lsub),
        Response::Status(st) if matches!(st.code, Some(Code::Unseen(_))) => {
            if st.tag.is_none() && st.kind == StatusKind::Ok {
                // `* OK [UNSEEN n] ...` says nothing else.
                return Ok(Encoded::Omitted);
            }
            let mut st = st.clone();
            st.code = None;
            st.encode(e);
            return Ok(Encoded::Written);
        }
        Response::Data(Data::Status { mailbox, items }) => {
            let items: Vec<_> = items
                .iter()
                .filter(|i| !matches!(i, StatusValue::Recent(_)))
                .cloned()
                .collect();
            e.put(b"* STATUS ");
            mailbox.encode(e);
            e.sp();
            status_items(&items, e);
            e.crlf();
            return Ok(Encoded::Written);
        }
        Response::Data(Data::Fetch { seq, items }) => {
            let kept: Vec<FetchItem<'_>> = items
                .iter()
                .filter(|i| {
                    !matches!(
                        i,
                        FetchItem::Rfc822(_)
                            | FetchItem::Rfc822Header(_)
                            | FetchItem::Rfc822Text(_)
                    )
                })
                .map(|i| match i {
                    FetchItem::Flags(f) => FetchItem::Flags(
                        f.iter()
                            .filter(|f| **f != crate::types::Flag::Recent)
                            .cloned()
                            .collect(),
                    ),
                    other => other.clone(),
                })
                .collect();
            let Ok(kept) = NonEmptyVec::new(kept) else {
                return Ok(Encoded::Omitted);
            };
            e.put(b"* ");
            e.put_u64(u64::from(seq.get()));
            e.put(b" FETCH ");
            kept.encode(e);
            e.crlf();
            return Ok(Encoded::Written);
        }
        _ => {}
    }
    r.encode(e);
    Ok(Encoded::Written)
}

impl Encode for Text<'_> {
    fn encode(&self, e: &mut Encoder) {
        e.put(self.as_str().as_bytes());
    }
}

impl Encode for Word<'_> {
    fn encode(&self, e: &mut Encoder) {
        e.put(self.as_str().as_bytes());
    }
}

impl Encode for Value<'_> {
    fn encode(&self, e: &mut Encoder) {
        match self {
            Value::Word(w) => w.encode(e),
            Value::String(s) => s.encode(e),
            Value::List(l) => list(e, l, |e, v| v.encode(e)),
        }
    }
}

impl Encode for Capability<'_> {
    fn encode(&self, e: &mut Encoder) {
        match self {
            Capability::Auth(m) => {
                e.put(b"AUTH=");
                m.encode(e);
            }
            Capability::Other(a) => a.encode(e),
            known => e.put(known.known_name().unwrap_or_default().as_bytes()),
        }
    }
}

impl Encode for Code<'_> {
    fn encode(&self, e: &mut Encoder) {
        if let Some(n) = self.simple_name() {
            e.put(n.as_bytes());
            return;
        }
        match self {
            Code::BadCharset(v) => {
                e.put(b"BADCHARSET");
                if !v.is_empty() {
                    e.sp();
                    list(e, v, |e, c| c.encode(e));
                }
            }
            Code::Capability(c) => {
                e.put(b"CAPABILITY");
                for c in c.iter() {
                    e.sp();
                    c.encode(e);
                }
            }
            Code::PermanentFlags(f) => {
                e.put(b"PERMANENTFLAGS ");
                list(e, f, |e, f| f.encode(e));
            }
            Code::UidNext(n) => num_code(e, b"UIDNEXT ", u64::from(n.get())),
            Code::UidValidity(n) => num_code(e, b"UIDVALIDITY ", u64::from(n.get())),
            Code::Unseen(n) => num_code(e, b"UNSEEN ", u64::from(n.get())),
            Code::AppendUid { uid_validity, uids } => {
                num_code(e, b"APPENDUID ", u64::from(uid_validity.get()));
                e.sp();
                uids.encode(e);
            }
            Code::CopyUid {
                uid_validity,
                source,
                dest,
            } => {
                num_code(e, b"COPYUID ", u64::from(uid_validity.get()));
                e.sp();
                source.encode(e);
                e.sp();
                dest.encode(e);
            }
            Code::HighestModSeq(n) => num_code(e, b"HIGHESTMODSEQ ", *n),
            Code::Modified(s) => {
                e.put(b"MODIFIED ");
                s.encode(e);
            }
            Code::Other { name, text } => {
                name.encode(e);
                if let Some(t) = text {
                    e.sp();
                    e.put(t.as_str().as_bytes());
                }
            }
            _ => {}
        }
    }
}

fn num_code(e: &mut Encoder, name: &[u8], n: u64) {
    e.put(name);
    e.put_u64(n);
}

/// `["[" code "]" [SP]] text`: the space after the code only when text
/// follows.
fn resp_text(code: Option<&Code<'_>>, text: &Text<'_>, e: &mut Encoder) {
    if let Some(c) = code {
        e.put_u8(b'[');
        c.encode(e);
        e.put_u8(b']');
        if !text.as_str().is_empty() {
            e.sp();
        }
    }
    text.encode(e);
}

impl Encode for StatusResponse<'_> {
    fn encode(&self, e: &mut Encoder) {
        match &self.tag {
            Some(t) => t.encode(e),
            None => e.put_u8(b'*'),
        }
        e.sp();
        e.put(self.kind.as_str().as_bytes());
        e.sp();
        resp_text(self.code.as_ref(), &self.text, e);
        e.crlf();
    }
}

impl Encode for ContinueRequest<'_> {
    fn encode(&self, e: &mut Encoder) {
        e.put(b"+ ");
        resp_text(self.code.as_ref(), &self.text, e);
        e.crlf();
    }
}

impl Encode for Response<'_> {
    fn encode(&self, e: &mut Encoder) {
        match self {
            Response::Status(s) => s.encode(e),
            Response::Continue(c) => c.encode(e),
            Response::Data(d) => {
                d.encode(e);
                e.crlf();
            }
        }
    }
}

fn delimiter(d: Option<Delimiter>, e: &mut Encoder) {
    match d.map(Delimiter::as_char) {
        None => e.put(b"NIL"),
        Some(c) => {
            let mut buf = [0u8; 4];
            e.put_u8(b'"');
            if c == '"' || c == '\\' {
                e.put_u8(b'\\');
            }
            e.put(c.encode_utf8(&mut buf).as_bytes());
            e.put_u8(b'"');
        }
    }
}

fn list_data(l: &ListData<'_>, e: &mut Encoder) {
    list(e, &l.attributes, |e, f| f.encode(e));
    e.sp();
    delimiter(l.delimiter, e);
    e.sp();
    l.mailbox.encode(e);
    if !l.extended.is_empty() {
        e.sp();
        list(e, &l.extended, |e, (k, v)| {
            k.encode(e);
            e.sp();
            v.encode(e);
        });
    }
}

fn status_items(items: &[StatusValue<'_>], e: &mut Encoder) {
    list(e, items, |e, i| {
        let (name, n): (&[u8], u64) = match i {
            StatusValue::Messages(n) => (b"MESSAGES", u64::from(*n)),
            StatusValue::Recent(n) => (b"RECENT", u64::from(*n)),
            StatusValue::UidNext(n) => (b"UIDNEXT", u64::from(*n)),
            StatusValue::UidValidity(n) => (b"UIDVALIDITY", u64::from(*n)),
            StatusValue::Unseen(n) => (b"UNSEEN", u64::from(*n)),
            StatusValue::Deleted(n) => (b"DELETED", u64::from(*n)),
            StatusValue::Size(n) => (b"SIZE", *n),
            StatusValue::HighestModSeq(n) => (b"HIGHESTMODSEQ", *n),
            StatusValue::Other { name, value } => (name.as_str().as_bytes(), *value),
        };
        e.put(name);
        e.sp();
        e.put_u64(n);
    });
}

fn namespace(n: Option<&NonEmptyVec<NamespaceDesc<'_>>>, e: &mut Encoder) {
    let Some(n) = n else {
        e.put(b"NIL");
        return;
    };
    e.put_u8(b'(');
    for d in n.iter() {
        e.put_u8(b'(');
        d.prefix.encode(e);
        e.sp();
        delimiter(d.delimiter, e);
        for (k, v) in &d.extensions {
            e.sp();
            k.encode(e);
            e.sp();
            v.encode(e);
        }
        e.put_u8(b')');
    }
    e.put_u8(b')');
}

impl Encode for Data<'_> {
    /// Writes `* ...` without the final CRLF.
    fn encode(&self, e: &mut Encoder) {
        e.put(b"* ");
        match self {
            Data::Capability(c) => {
                e.put(b"CAPABILITY");
                for c in c.iter() {
                    e.sp();
                    c.encode(e);
                }
            }
            Data::Enabled(c) => {
                e.put(b"ENABLED");
                for c in c {
                    e.sp();
                    c.encode(e);
                }
            }
            Data::List(l) => {
                e.put(b"LIST ");
                list_data(l, e);
            }
            Data::Lsub(l) => {
                e.put(b"LSUB ");
                list_data(l, e);
            }
            Data::Status { mailbox, items } => {
                e.put(b"STATUS ");
                mailbox.encode(e);
                e.sp();
                status_items(items, e);
            }
            Data::Search { ids, modseq } => {
                e.put(b"SEARCH");
                for n in ids {
                    e.sp();
                    e.put_u64(u64::from(n.get()));
                }
                if let Some(m) = modseq {
                    e.put(b" (MODSEQ ");
                    e.put_u64(*m);
                    e.put_u8(b')');
                }
            }
            Data::ESearch(s) => {
                e.put(b"ESEARCH");
                if let Some(t) = &s.tag {
                    e.put(b" (TAG ");
                    t.encode(e);
                    e.put_u8(b')');
                }
                if s.uid {
                    e.put(b" UID");
                }
                for i in &s.items {
                    e.sp();
                    match i {
                        ESearchItem::Min(n) => num_code(e, b"MIN ", u64::from(n.get())),
                        ESearchItem::Max(n) => num_code(e, b"MAX ", u64::from(n.get())),
                        ESearchItem::All(set) => {
                            e.put(b"ALL ");
                            set.encode(e);
                        }
                        ESearchItem::Count(n) => num_code(e, b"COUNT ", u64::from(*n)),
                        ESearchItem::ModSeq(n) => num_code(e, b"MODSEQ ", *n),
                        ESearchItem::Other { name, value } => {
                            name.encode(e);
                            e.sp();
                            value.encode(e);
                        }
                    }
                }
            }
            Data::Flags(f) => {
                e.put(b"FLAGS ");
                list(e, f, |e, f| f.encode(e));
            }
            Data::Exists(n) => {
                e.put_u64(u64::from(*n));
                e.put(b" EXISTS");
            }
            Data::Recent(n) => {
                e.put_u64(u64::from(*n));
                e.put(b" RECENT");
            }
            Data::Expunge(n) => {
                e.put_u64(u64::from(n.get()));
                e.put(b" EXPUNGE");
            }
            Data::Fetch { seq, items } => {
                e.put_u64(u64::from(seq.get()));
                e.put(b" FETCH ");
                items.encode(e);
            }
            Data::Namespace {
                personal,
                other,
                shared,
            } => {
                e.put(b"NAMESPACE ");
                namespace(personal.as_ref(), e);
                e.sp();
                namespace(other.as_ref(), e);
                e.sp();
                namespace(shared.as_ref(), e);
            }
            Data::Id(v) => {
                e.put(b"ID ");
                match v {
                    None => e.put(b"NIL"),
                    Some(v) => list(e, v, |e, (k, v)| {
                        k.encode(e);
                        e.sp();
                        v.encode(e);
                    }),
                }
            }
            Data::Vanished { earlier, uids } => {
                e.put(b"VANISHED ");
                if *earlier {
                    e.put(b"(EARLIER) ");
                }
                uids.encode(e);
            }
            Data::Other {
                number,
                name,
                values,
            } => {
                if let Some(n) = number {
                    e.put_u64(u64::from(*n));
                    e.sp();
                }
                name.encode(e);
                for v in values {
                    e.sp();
                    v.encode(e);
                }
            }
        }
    }
}

impl Encode for FetchItem<'_> {
    fn encode(&self, e: &mut Encoder) {
        match self {
            FetchItem::Flags(f) => {
                e.put(b"FLAGS ");
                list(e, f, |e, f| f.encode(e));
            }
            FetchItem::Uid(n) => num_code(e, b"UID ", u64::from(n.get())),
            FetchItem::InternalDate(d) => {
                e.put(b"INTERNALDATE ");
                d.encode(e);
            }
            FetchItem::Rfc822Size(n) => num_code(e, b"RFC822.SIZE ", *n),
            FetchItem::Envelope(env) => {
                e.put(b"ENVELOPE ");
                env.encode(e);
            }
            FetchItem::Body(b) => {
                e.put(b"BODY ");
                b.encode(e);
            }
            FetchItem::BodyStructure(b) => {
                e.put(b"BODYSTRUCTURE ");
                b.encode(e);
            }
            FetchItem::BodySection {
                section,
                origin,
                data,
            } => {
                e.put(b"BODY");
                section.encode(e);
                write_origin(*origin, e);
                e.sp();
                data.encode(e);
            }
            FetchItem::Binary { part, origin, data } => {
                e.put(b"BINARY");
                section_binary(part, e);
                write_origin(*origin, e);
                e.sp();
                match data {
                    BinaryData::NString(s) => s.encode(e),
                    BinaryData::Literal8(l) => l.encode(e),
                }
            }
            FetchItem::BinarySize { part, size } => {
                e.put(b"BINARY.SIZE");
                section_binary(part, e);
                e.sp();
                e.put_u64(u64::from(*size));
            }
            FetchItem::Rfc822(s) => {
                e.put(b"RFC822 ");
                s.encode(e);
            }
            FetchItem::Rfc822Header(s) => {
                e.put(b"RFC822.HEADER ");
                s.encode(e);
            }
            FetchItem::Rfc822Text(s) => {
                e.put(b"RFC822.TEXT ");
                s.encode(e);
            }
            FetchItem::ModSeq(n) => {
                e.put(b"MODSEQ (");
                e.put_u64(*n);
                e.put_u8(b')');
            }
            FetchItem::Other { name, value } => {
                name.encode(e);
                e.sp();
                value.encode(e);
            }
        }
    }
}

fn write_origin(o: Option<u32>, e: &mut Encoder) {
    if let Some(o) = o {
        e.put_u8(b'<');
        e.put_u64(u64::from(o));
        e.put_u8(b'>');
    }
}

fn section_binary(part: &[core::num::NonZeroU32], e: &mut Encoder) {
    e.put_u8(b'[');
    part_numbers(e, part);
    e.put_u8(b']');
}

fn addresses(v: &[Address<'_>], e: &mut Encoder) {
    if v.is_empty() {
        e.put(b"NIL");
        return;
    }
    e.put_u8(b'(');
    for a in v {
        e.put_u8(b'(');
        a.name.encode(e);
        e.sp();
        a.adl.encode(e);
        e.sp();
        a.mailbox.encode(e);
        e.sp();
        a.host.encode(e);
        e.put_u8(b')');
    }
    e.put_u8(b')');
}

impl Encode for Envelope<'_> {
    fn encode(&self, e: &mut Encoder) {
        e.put_u8(b'(');
        self.date.encode(e);
        e.sp();
        self.subject.encode(e);
        for l in [
            &self.from,
            &self.sender,
            &self.reply_to,
            &self.to,
            &self.cc,
            &self.bcc,
        ] {
            e.sp();
            addresses(l, e);
        }
        e.sp();
        self.in_reply_to.encode(e);
        e.sp();
        self.message_id.encode(e);
        e.put_u8(b')');
    }
}

fn params(p: &Params<'_>, e: &mut Encoder) {
    if p.is_empty() {
        e.put(b"NIL");
    } else {
        list(e, p, |e, (k, v)| {
            k.encode(e);
            e.sp();
            v.encode(e);
        });
    }
}

fn ext_disposition(d: Option<&ExtDisposition<'_>>, e: &mut Encoder) {
    let Some(d) = d else { return };
    e.sp();
    match &d.disposition {
        None => e.put(b"NIL"),
        Some(Disposition { kind, params: p }) => {
            e.put_u8(b'(');
            kind.encode(e);
            e.sp();
            params(p, e);
            e.put_u8(b')');
        }
    }
    let Some(l) = &d.more else { return };
    e.sp();
    match l.language.as_slice() {
        [] => e.put(b"NIL"),
        [one] => one.encode(e),
        many => list(e, many, |e, s: &IString<'_>| s.encode(e)),
    }
    let Some(loc) = &l.more else { return };
    e.sp();
    loc.location.encode(e);
    for x in &loc.extensions {
        e.sp();
        x.encode(e);
    }
}

impl Encode for BodyExtension<'_> {
    fn encode(&self, e: &mut Encoder) {
        match self {
            BodyExtension::NString(s) => s.encode(e),
            BodyExtension::Number(n) => e.put_u64(*n),
            BodyExtension::List(l) => l.encode(e),
        }
    }
}

impl Encode for Body<'_> {
    fn encode(&self, e: &mut Encoder) {
        e.put_u8(b'(');
        match self {
            Body::Multipart {
                parts,
                subtype,
                ext,
            } => {
                for p in parts.iter() {
                    p.encode(e);
                }
                e.sp();
                subtype.encode(e);
                if let Some(x) = ext {
                    e.sp();
                    params(&x.params, e);
                    ext_disposition(x.more.as_ref(), e);
                }
            }
            Body::Single {
                media_type,
                subtype,
                fields,
                kind,
                ext,
            } => {
                media_type.encode(e);
                e.sp();
                subtype.encode(e);
                e.sp();
                params(&fields.params, e);
                e.sp();
                fields.id.encode(e);
                e.sp();
                fields.description.encode(e);
                e.sp();
                fields.encoding.encode(e);
                e.sp();
                e.put_u64(u64::from(fields.octets));
                match kind {
                    SingleKind::Basic => {}
                    SingleKind::Text { lines } => {
                        e.sp();
                        e.put_u64(u64::from(*lines));
                    }
                    SingleKind::Message {
                        envelope,
                        body,
                        lines,
                    } => {
                        e.sp();
                        envelope.encode(e);
                        e.sp();
                        body.encode(e);
                        e.sp();
                        e.put_u64(u64::from(*lines));
                    }
                }
                if let Some(x) = ext {
                    e.sp();
                    x.md5.encode(e);
                    ext_disposition(x.more.as_ref(), e);
                }
            }
        }
        e.put_u8(b')');
    }
}
