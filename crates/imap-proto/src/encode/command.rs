//! [`Command`] to bytes (RFC 9051 section 6), through the fragment
//! [`Encoder`] so that every literal is a [`crate::Fragment::Literal`] a
//! client sends after the server's `+` (or at once for `{n+}` when the
//! [`crate::EncodeOptions`] allow).
//!
//! Strings take their smallest form; lists of one FETCH item or LIST
//! pattern are written bare, longer lists in parentheses; STORE flags
//! are always parenthesised. A line never ends in `{digits}` unless a
//! literal's data follows: raw text that would is refused when built.
//! FETCH items are encoded in `command/fetch.rs`, SEARCH keys in
//! `command/search.rs`, LIST/STATUS/APPEND arguments in
//! `command/mailbox.rs`.
//!
//! ```
//! use imap_proto::encode::{Encode, EncodeOptions, Encoder};
//! use imap_proto::types::command::Command;
//! let cmd = Command::parse(b"A1 UID FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (DATE FROM)]<0.100>)\r\n").unwrap();
//! let mut e = Encoder::new(EncodeOptions::default());
//! cmd.encode(&mut e);
//! assert_eq!(e.to_bytes(), b"A1 UID FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (DATE FROM)]<0.100>)\r\n");
//! ```

mod fetch;
mod mailbox;
mod search;

use super::values::list;
use super::{Encode, Encoder};
use crate::types::Flag;
use crate::types::command::raw::scan;
use crate::types::command::{
    AppendData, Command, CommandBody, InitialResponse, ListReturn, ListSelect, RawArgs,
    SearchReturn, StoreAction,
};

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

fn flags(e: &mut Encoder, f: &[Flag<'_>]) {
    list(e, f, |e, f| f.encode(e));
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
                        e.put(t.as_str().as_bytes());
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
