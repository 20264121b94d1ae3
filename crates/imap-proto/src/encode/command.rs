//! [`Command`] to bytes (RFC 9051 section 6), through the fragment
//! [`Encoder`] so that every literal is a [`crate::Fragment::Literal`] a
//! client sends after the server's `+` (or at once for `{n+}` when the
//! [`crate::EncodeOptions`] allow).
//!
//! Strings take their smallest form; lists of one FETCH item or LIST
//! pattern are written bare, longer lists in parentheses; STORE flags
//! are always parenthesised. A line never ends in `{digits}` unless a
//! literal's data follows: raw text that would is refused when built.
//!
//! ```
//! use imap_proto::encode::{Encode, EncodeOptions, Encoder};
//! use imap_proto::types::command::Command;
//! let cmd = Command::parse(b"A1 UID FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (DATE FROM)]<0.100>)\r\n").unwrap();
//! let mut e = Encoder::new(EncodeOptions::default());
//! cmd.encode(&mut e);
//! assert_eq!(e.to_bytes(), b"A1 UID FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (DATE FROM)]<0.100>)\r\n");
//! ```

use core::num::NonZeroU32;

use super::{Encode, Encoder};
use crate::types::command::mailbox::is_list_char;
use crate::types::command::raw::scan;
use crate::types::command::search::MONTHS;
use crate::types::command::{
    AppendData, Command, CommandBody, DateTime, FetchAttr, FetchItems, InitialResponse,
    ListPattern, ListReturn, ListSelect, Partial, RawArgs, SearchDate, SearchKey, SearchReturn,
    Section, SectionText, StatusItem, StoreAction,
};
use crate::types::{Flag, IString};

/// The line that ends IDLE (RFC 9051 section 6.3.13).
pub const IDLE_DONE: &[u8] = b"DONE\r\n";

impl Encode for RawArgs<'_> {
    fn encode(&self, e: &mut Encoder) {
        let b = self.as_bytes();
        let mut done = 0;
        // Validated when built, so the scan succeeds and finds the same
        // literals the parser found.
        let _ = scan(b, false, |lit| {
            e.put(b.get(done..lit.start).unwrap_or_default());
            let mode = e.options().literal_mode(lit.data.len(), lit.mode);
            e.literal(lit.prefix, lit.data, mode);
            done = lit.end;
        });
        e.put(b.get(done..).unwrap_or_default());
    }
}

fn params(e: &mut Encoder, p: Option<&RawArgs<'_>>) {
    if let Some(p) = p {
        e.put(b" (");
        p.encode(e);
        e.put_u8(b')');
    }
}

fn list<T>(e: &mut Encoder, items: &[T], mut f: impl FnMut(&mut Encoder, &T)) {
    e.put_u8(b'(');
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            e.sp();
        }
        f(e, x);
    }
    e.put_u8(b')');
}

fn flags(e: &mut Encoder, f: &[Flag<'_>]) {
    list(e, f, |e, f| f.encode(e));
}

impl Encode for ListPattern<'_> {
    fn encode(&self, e: &mut Encoder) {
        let b = self.as_bytes();
        if !b.is_empty() && b.iter().all(|&c| is_list_char(c)) {
            e.put(b);
        } else {
            IString::from_checked(b.into()).encode(e);
        }
    }
}

impl Encode for StatusItem<'_> {
    fn encode(&self, e: &mut Encoder) {
        e.put(match self {
            StatusItem::Messages => b"MESSAGES",
            StatusItem::Recent => b"RECENT",
            StatusItem::UidNext => b"UIDNEXT",
            StatusItem::UidValidity => b"UIDVALIDITY",
            StatusItem::Unseen => b"UNSEEN",
            StatusItem::Deleted => b"DELETED",
            StatusItem::Size => b"SIZE",
            StatusItem::AppendLimit => b"APPENDLIMIT",
            StatusItem::HighestModSeq => b"HIGHESTMODSEQ",
            StatusItem::MailboxId => b"MAILBOXID",
            StatusItem::Other(a) => a.as_str().as_bytes(),
        });
    }
}

fn two(e: &mut Encoder, n: u8) {
    e.put_u8(b'0' + (n / 10) % 10);
    e.put_u8(b'0' + n % 10);
}

fn month(e: &mut Encoder, m: u8) {
    let name = MONTHS
        .get(usize::from(m).saturating_sub(1))
        .copied()
        .unwrap_or(b"Jan");
    e.put(name);
}

impl Encode for DateTime {
    /// `"dd-Mon-yyyy hh:mm:ss +zzzz"`, a day below 10 with a leading SP.
    fn encode(&self, e: &mut Encoder) {
        let (y, m, d) = self.date();
        let (hh, mm, ss) = self.time();
        e.put_u8(b'"');
        if d < 10 {
            e.put_u8(b' ');
            e.put_u8(b'0' + d);
        } else {
            two(e, d);
        }
        e.put_u8(b'-');
        month(e, m);
        e.put_u8(b'-');
        two(e, u8::try_from(y / 100).unwrap_or(0));
        two(e, u8::try_from(y % 100).unwrap_or(0));
        e.sp();
        two(e, hh);
        e.put_u8(b':');
        two(e, mm);
        e.put_u8(b':');
        two(e, ss);
        e.sp();
        let z = self.zone_minutes();
        e.put_u8(if z < 0 { b'-' } else { b'+' });
        let z = z.unsigned_abs();
        two(e, u8::try_from(z / 60).unwrap_or(0));
        two(e, u8::try_from(z % 60).unwrap_or(0));
        e.put_u8(b'"');
    }
}

impl Encode for SearchDate {
    /// `d-Mon-yyyy`, unquoted, day without a leading zero.
    fn encode(&self, e: &mut Encoder) {
        e.put_u64(u64::from(self.day()));
        e.put_u8(b'-');
        month(e, self.month());
        e.put_u8(b'-');
        let y = self.year();
        two(e, u8::try_from(y / 100).unwrap_or(0));
        two(e, u8::try_from(y % 100).unwrap_or(0));
    }
}

impl Encode for SearchKey<'_> {
    fn encode(&self, e: &mut Encoder) {
        use SearchKey as K;
        let kw = |e: &mut Encoder, w: &[u8]| {
            e.put(w);
            e.sp();
        };
        match self {
            K::All => e.put(b"ALL"),
            K::Answered => e.put(b"ANSWERED"),
            K::Bcc(s) => {
                kw(e, b"BCC");
                s.encode(e);
            }
            K::Before(d) => {
                kw(e, b"BEFORE");
                d.encode(e);
            }
            K::Body(s) => {
                kw(e, b"BODY");
                s.encode(e);
            }
            K::Cc(s) => {
                kw(e, b"CC");
                s.encode(e);
            }
            K::Deleted => e.put(b"DELETED"),
            K::Draft => e.put(b"DRAFT"),
            K::Flagged => e.put(b"FLAGGED"),
            K::From(s) => {
                kw(e, b"FROM");
                s.encode(e);
            }
            K::Header(f, v) => {
                kw(e, b"HEADER");
                f.encode(e);
                e.sp();
                v.encode(e);
            }
            K::Keyword(a) => {
                kw(e, b"KEYWORD");
                a.encode(e);
            }
            K::Larger(n) => {
                kw(e, b"LARGER");
                e.put_u64(*n);
            }
            K::New => e.put(b"NEW"),
            K::Not(k) => {
                kw(e, b"NOT");
                k.encode(e);
            }
            K::Old => e.put(b"OLD"),
            K::On(d) => {
                kw(e, b"ON");
                d.encode(e);
            }
            K::Or(a, b) => {
                kw(e, b"OR");
                a.encode(e);
                e.sp();
                b.encode(e);
            }
            K::Recent => e.put(b"RECENT"),
            K::Seen => e.put(b"SEEN"),
            K::SentBefore(d) => {
                kw(e, b"SENTBEFORE");
                d.encode(e);
            }
            K::SentOn(d) => {
                kw(e, b"SENTON");
                d.encode(e);
            }
            K::SentSince(d) => {
                kw(e, b"SENTSINCE");
                d.encode(e);
            }
            K::Since(d) => {
                kw(e, b"SINCE");
                d.encode(e);
            }
            K::Smaller(n) => {
                kw(e, b"SMALLER");
                e.put_u64(*n);
            }
            K::Subject(s) => {
                kw(e, b"SUBJECT");
                s.encode(e);
            }
            K::Text(s) => {
                kw(e, b"TEXT");
                s.encode(e);
            }
            K::To(s) => {
                kw(e, b"TO");
                s.encode(e);
            }
            K::Uid(s) => {
                kw(e, b"UID");
                s.encode(e);
            }
            K::Unanswered => e.put(b"UNANSWERED"),
            K::Undeleted => e.put(b"UNDELETED"),
            K::Undraft => e.put(b"UNDRAFT"),
            K::Unflagged => e.put(b"UNFLAGGED"),
            K::Unkeyword(a) => {
                kw(e, b"UNKEYWORD");
                a.encode(e);
            }
            K::Unseen => e.put(b"UNSEEN"),
            K::Older(n) => {
                kw(e, b"OLDER");
                e.put_u64(u64::from(*n));
            }
            K::Younger(n) => {
                kw(e, b"YOUNGER");
                e.put_u64(u64::from(*n));
            }
            K::ModSeq { entry, modseq } => {
                kw(e, b"MODSEQ");
                if let Some((name, ty)) = entry {
                    name.encode(e);
                    e.sp();
                    ty.encode(e);
                    e.sp();
                }
                e.put_u64(*modseq);
            }
            K::SequenceSet(s) => s.encode(e),
            K::And(v) => list(e, v, |e, k| k.encode(e)),
        }
    }
}

fn part(e: &mut Encoder, p: &[NonZeroU32]) {
    for (i, n) in p.iter().enumerate() {
        if i > 0 {
            e.put_u8(b'.');
        }
        e.put_u64(u64::from(n.get()));
    }
}

fn partial(e: &mut Encoder, p: Option<&Partial>) {
    if let Some(p) = p {
        e.put_u8(b'<');
        e.put_u64(p.offset);
        e.put_u8(b'.');
        e.put_u64(p.length.get());
        e.put_u8(b'>');
    }
}

impl Encode for Section<'_> {
    /// `[section-spec]`, brackets included.
    fn encode(&self, e: &mut Encoder) {
        e.put_u8(b'[');
        part(e, self.part());
        if let Some(t) = self.text() {
            if !self.part().is_empty() {
                e.put_u8(b'.');
            }
            match t {
                SectionText::Header => e.put(b"HEADER"),
                SectionText::Text => e.put(b"TEXT"),
                SectionText::Mime => e.put(b"MIME"),
                SectionText::HeaderFields { not, fields } => {
                    e.put(if *not {
                        b"HEADER.FIELDS.NOT "
                    } else {
                        b"HEADER.FIELDS "
                    });
                    list(e, fields, |e, f| f.encode(e));
                }
            }
        }
        e.put_u8(b']');
    }
}

impl Encode for FetchAttr<'_> {
    fn encode(&self, e: &mut Encoder) {
        use FetchAttr as F;
        match self {
            F::Envelope => e.put(b"ENVELOPE"),
            F::Flags => e.put(b"FLAGS"),
            F::InternalDate => e.put(b"INTERNALDATE"),
            F::Rfc822 => e.put(b"RFC822"),
            F::Rfc822Header => e.put(b"RFC822.HEADER"),
            F::Rfc822Text => e.put(b"RFC822.TEXT"),
            F::Rfc822Size => e.put(b"RFC822.SIZE"),
            F::Body => e.put(b"BODY"),
            F::BodyStructure => e.put(b"BODYSTRUCTURE"),
            F::Uid => e.put(b"UID"),
            F::ModSeq => e.put(b"MODSEQ"),
            F::BodySection {
                peek,
                section,
                partial: p,
            } => {
                e.put(if *peek { b"BODY.PEEK" } else { b"BODY" });
                section.encode(e);
                partial(e, p.as_ref());
            }
            F::Binary {
                peek,
                part: pt,
                partial: p,
            } => {
                e.put(if *peek { b"BINARY.PEEK[" } else { b"BINARY[" });
                part(e, pt);
                e.put_u8(b']');
                partial(e, p.as_ref());
            }
            F::BinarySize { part: pt } => {
                e.put(b"BINARY.SIZE[");
                part(e, pt);
                e.put_u8(b']');
            }
        }
    }
}

impl Encode for FetchItems<'_> {
    fn encode(&self, e: &mut Encoder) {
        match self {
            FetchItems::All => e.put(b"ALL"),
            FetchItems::Fast => e.put(b"FAST"),
            FetchItems::Full => e.put(b"FULL"),
            FetchItems::Items(v) => match v.as_slice() {
                [one] => one.encode(e),
                many => list(e, many, |e, a| a.encode(e)),
            },
        }
    }
}

fn uid(e: &mut Encoder, uid: bool) {
    if uid {
        e.put(b"UID ");
    }
}

impl Encode for CommandBody<'_> {
    fn encode(&self, e: &mut Encoder) {
        use CommandBody as C;
        match self {
            C::Fetch { uid: u, .. }
            | C::Store { uid: u, .. }
            | C::Copy { uid: u, .. }
            | C::Move { uid: u, .. }
            | C::Search { uid: u, .. } => uid(e, *u),
            C::UidExpunge { .. } => uid(e, true),
            _ => {}
        }
        e.put(self.name().as_bytes());
        match self {
            C::Capability
            | C::Noop
            | C::Logout
            | C::StartTls
            | C::Namespace
            | C::Idle
            | C::Check
            | C::Close
            | C::Unselect
            | C::Expunge => {}
            C::Authenticate {
                mechanism,
                initial_response,
            } => {
                e.sp();
                e.put(mechanism.as_str().as_bytes());
                match initial_response {
                    None => {}
                    Some(InitialResponse::Empty) => e.put(b" ="),
                    Some(InitialResponse::Base64(t)) => {
                        e.sp();
                        e.put(t.as_bytes());
                    }
                }
            }
            C::Login { username, password } => {
                e.sp();
                username.encode(e);
                e.sp();
                password.encode(e);
            }
            C::Enable { capabilities } => {
                for c in capabilities {
                    e.sp();
                    c.encode(e);
                }
            }
            C::Select { mailbox, params: p }
            | C::Examine { mailbox, params: p }
            | C::Create { mailbox, params: p } => {
                e.sp();
                mailbox.encode(e);
                params(e, p.as_ref());
            }
            C::Delete { mailbox }
            | C::Subscribe { mailbox }
            | C::Unsubscribe { mailbox }
            | C::GetQuotaRoot { mailbox } => {
                e.sp();
                mailbox.encode(e);
            }
            C::Rename { from, to } => {
                e.sp();
                from.encode(e);
                e.sp();
                to.encode(e);
            }
            C::List {
                selection,
                reference,
                patterns,
                return_opts,
            } => {
                e.sp();
                if let Some(sel) = selection {
                    list(e, sel, |e, s| {
                        e.put(match s {
                            ListSelect::Subscribed => b"SUBSCRIBED",
                            ListSelect::Remote => b"REMOTE",
                            ListSelect::RecursiveMatch => b"RECURSIVEMATCH",
                            ListSelect::SpecialUse => b"SPECIAL-USE",
                            ListSelect::Other(a) => a.as_str().as_bytes(),
                        });
                    });
                    e.sp();
                }
                reference.encode(e);
                e.sp();
                match patterns.as_slice() {
                    [one] => one.encode(e),
                    many => list(e, many, |e, p| p.encode(e)),
                }
                if let Some(r) = return_opts {
                    e.put(b" RETURN ");
                    list(e, r, |e, o| match o {
                        ListReturn::Subscribed => e.put(b"SUBSCRIBED"),
                        ListReturn::Children => e.put(b"CHILDREN"),
                        ListReturn::SpecialUse => e.put(b"SPECIAL-USE"),
                        ListReturn::Status(items) => {
                            e.put(b"STATUS ");
                            list(e, items, |e, i| i.encode(e));
                        }
                        ListReturn::Other(a) => a.encode(e),
                    });
                }
            }
            C::Lsub { reference, pattern } => {
                e.sp();
                reference.encode(e);
                e.sp();
                pattern.encode(e);
            }
            C::Status { mailbox, items } => {
                e.sp();
                mailbox.encode(e);
                e.sp();
                list(e, items, |e, i| i.encode(e));
            }
            C::Append { mailbox, messages } => {
                e.sp();
                mailbox.encode(e);
                for m in messages {
                    e.sp();
                    if let Some(f) = &m.flags {
                        flags(e, f);
                        e.sp();
                    }
                    if let Some(d) = &m.date {
                        d.encode(e);
                        e.sp();
                    }
                    match &m.data {
                        AppendData::Literal(l) => l.encode(e),
                        AppendData::Literal8(l) => l.encode(e),
                    }
                }
            }
            C::UidExpunge { set } => {
                e.sp();
                set.encode(e);
            }
            C::Search {
                return_opts,
                charset,
                criteria,
                ..
            } => {
                if let Some(r) = return_opts {
                    e.put(b" RETURN ");
                    list(e, r, |e, o| match o {
                        SearchReturn::Min => e.put(b"MIN"),
                        SearchReturn::Max => e.put(b"MAX"),
                        SearchReturn::All => e.put(b"ALL"),
                        SearchReturn::Count => e.put(b"COUNT"),
                        SearchReturn::Save => e.put(b"SAVE"),
                        SearchReturn::Other(a) => a.encode(e),
                    });
                }
                if let Some(cs) = charset {
                    e.put(b" CHARSET ");
                    cs.encode(e);
                }
                for k in criteria {
                    e.sp();
                    k.encode(e);
                }
            }
            C::Fetch {
                set,
                items,
                modifiers,
                ..
            } => {
                e.sp();
                set.encode(e);
                e.sp();
                items.encode(e);
                params(e, modifiers.as_ref());
            }
            C::Store {
                set,
                modifiers,
                action,
                silent,
                flags: f,
                ..
            } => {
                e.sp();
                set.encode(e);
                params(e, modifiers.as_ref());
                e.sp();
                e.put(match action {
                    StoreAction::Replace => b"FLAGS",
                    StoreAction::Add => b"+FLAGS",
                    StoreAction::Remove => b"-FLAGS",
                });
                if *silent {
                    e.put(b".SILENT");
                }
                e.sp();
                flags(e, f);
            }
            C::Copy { set, mailbox, .. } | C::Move { set, mailbox, .. } => {
                e.sp();
                set.encode(e);
                e.sp();
                mailbox.encode(e);
            }
            C::Id { params: p } => match p {
                None => e.put(b" NIL"),
                Some(p) => {
                    e.sp();
                    list(e, p, |e, (k, v)| {
                        k.encode(e);
                        e.sp();
                        v.encode(e);
                    });
                }
            },
            C::GetQuota { root } => {
                e.sp();
                root.encode(e);
            }
            C::SetQuota { root, limits } => {
                e.sp();
                root.encode(e);
                e.sp();
                list(e, limits, |e, (a, n)| {
                    a.encode(e);
                    e.sp();
                    e.put_u64(*n);
                });
            }
            C::Other { args, .. } => {
                if let Some(a) = args {
                    e.sp();
                    a.encode(e);
                }
            }
        }
    }
}

impl Encode for Command<'_> {
    /// `tag SP body CRLF`.
    fn encode(&self, e: &mut Encoder) {
        self.tag.encode(e);
        e.sp();
        self.body.encode(e);
        e.crlf();
    }
}
