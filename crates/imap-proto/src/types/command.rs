//! Commands (RFC 3501 section 6, RFC 9051 section 6) and the extensions
//! RFC 9051 folds in or that are common (RFC 4959 SASL-IR, RFC 5161
//! ENABLE, RFC 5258 LIST-EXTENDED, RFC 6154 SPECIAL-USE, RFC 4731
//! ESEARCH, RFC 2971 ID, RFC 9208 QUOTA, RFC 7162 CONDSTORE/QRESYNC
//! parameters kept raw, RFC 3502 MULTIAPPEND, RFC 3516 BINARY).
//!
//! ```text
//! command = tag SP (command-any / command-auth / command-nonauth /
//!           command-select) CRLF
//! ```
//!
//! The families live in their own modules: [`fetch`] (FETCH items and
//! sections), [`search`] (search keys and ESEARCH return options),
//! [`mailbox`] (LIST, STATUS, APPEND arguments) and [`raw`] (text kept
//! byte-exact).

pub mod fetch;
pub mod mailbox;
pub mod raw;
pub mod search;

use std::borrow::Cow;

use mail_wire::sasl::Mechanism;

use super::error::ValueError;
use super::{
    AString, Atom, Flag, IString, Mailbox, NString, NonEmptyVec, Secret, SequenceSet, Tag,
};
pub use fetch::{FetchAttr, FetchItems, Partial, Section, SectionText};
pub use mailbox::{
    AppendData, AppendMessage, DateTime, ListPattern, ListReturn, ListSelect, StatusItem,
};
pub use raw::RawArgs;
pub use search::{SearchDate, SearchKey, SearchReturn};

/// One command: its tag and what it asks (RFC 9051 section 6).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Command<'a> {
    /// The client's tag, echoed in the tagged response.
    pub tag: Tag<'a>,
    /// The command name and its arguments.
    pub body: CommandBody<'a>,
}

impl Command<'_> {
    /// The same command, owning everything.
    #[must_use]
    pub fn into_owned(self) -> Command<'static> {
        Command {
            tag: self.tag.into_owned(),
            body: self.body.into_owned(),
        }
    }
}

/// The flag change of STORE (RFC 9051 section 6.4.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum StoreAction {
    /// `FLAGS`: replace the flags.
    Replace,
    /// `+FLAGS`: add the flags.
    Add,
    /// `-FLAGS`: remove the flags.
    Remove,
}

/// The SASL initial response of AUTHENTICATE (RFC 4959 section 3,
/// RFC 9051 section 6.2.2): base64 text, or `=` for an empty response.
/// Its `Debug` hides the text, which carries credentials.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum InitialResponse<'a> {
    /// `=`: an initial response of zero octets.
    Empty,
    /// The base64 text (RFC 4648 alphabet, padding kept), not decoded.
    Base64(Base64Text<'a>),
}

/// Validated base64 text: non-empty, only the base64 alphabet and `=`, not
/// starting with `=`. Made by [`InitialResponse::base64`] or the parser, so
/// it cannot carry a CR, LF or space into a command line.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Base64Text<'a>(Cow<'a, str>);

impl Base64Text<'_> {
    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> Base64Text<'static> {
        Base64Text(Cow::Owned(self.0.into_owned()))
    }
}

impl core::fmt::Debug for InitialResponse<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            InitialResponse::Empty => f.write_str("Empty"),
            InitialResponse::Base64(_) => f.write_str("Base64(..)"),
        }
    }
}

/// Whether `b` belongs to the base64 alphabet with padding (RFC 9051
/// section 9 `base64`).
pub(crate) fn is_base64_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')
}

impl<'a> InitialResponse<'a> {
    /// Validates base64 text (non-empty, base64 alphabet, not starting
    /// with `=`). Use
    /// [`InitialResponse::Empty`] for an empty response.
    pub fn base64(text: impl Into<Cow<'a, str>>) -> Result<Self, ValueError> {
        let text = text.into();
        super::error::check_bytes("base64", text.as_bytes(), false, is_base64_char)?;
        if text.starts_with('=') {
            // `=` alone is the empty response; base64 never starts with it.
            return Err(ValueError::Invalid {
                what: "base64 starting with '='",
            });
        }
        Ok(InitialResponse::Base64(Base64Text(text)))
    }

    /// The decoded octets, or `None` if the text is not valid base64.
    #[must_use]
    pub fn decode(&self) -> Option<Vec<u8>> {
        use base64::Engine as _;
        match self {
            InitialResponse::Empty => Some(Vec::new()),
            InitialResponse::Base64(t) => base64::engine::general_purpose::STANDARD
                .decode(t.as_str().as_bytes())
                .ok(),
        }
    }

    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> InitialResponse<'static> {
        match self {
            InitialResponse::Empty => InitialResponse::Empty,
            InitialResponse::Base64(t) => InitialResponse::Base64(t.into_owned()),
        }
    }
}

/// What a command asks: one variant per command of RFC 3501 and RFC 9051
/// (UID forms are the `uid` field), plus [`CommandBody::Other`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum CommandBody<'a> {
    /// `CAPABILITY` (section 6.1.1).
    Capability,
    /// `NOOP` (section 6.1.2).
    Noop,
    /// `LOGOUT` (section 6.1.3).
    Logout,
    /// `STARTTLS` (section 6.2.1).
    StartTls,
    /// `AUTHENTICATE mechanism [initial-response]` (section 6.2.2, RFC 4959).
    Authenticate {
        /// The SASL mechanism.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::types::arbitrary::mechanism))]
        mechanism: Mechanism<'a>,
        /// The SASL-IR initial response, if sent with the command.
        initial_response: Option<InitialResponse<'a>>,
    },
    /// `LOGIN user password` (section 6.2.3).
    Login {
        /// The user name.
        username: AString<'a>,
        /// The password, hidden from `Debug`.
        password: Secret<AString<'a>>,
    },
    /// `ENABLE capability...` (section 6.3.1, RFC 5161).
    Enable {
        /// The capabilities to enable.
        capabilities: NonEmptyVec<Atom<'a>>,
    },
    /// `SELECT mailbox [(params)]` (section 6.3.2).
    Select {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// Select parameters (CONDSTORE, QRESYNC ...), the text between
        /// the parentheses kept byte-exact.
        params: Option<RawArgs<'a>>,
    },
    /// `EXAMINE mailbox [(params)]` (section 6.3.3).
    Examine {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// Parameters, as for SELECT.
        params: Option<RawArgs<'a>>,
    },
    /// `CREATE mailbox [(params)]` (section 6.3.4; RFC 4466 / RFC 6154 USE).
    Create {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// Create parameters, the text between the parentheses.
        params: Option<RawArgs<'a>>,
    },
    /// `DELETE mailbox` (section 6.3.5).
    Delete {
        /// The mailbox.
        mailbox: Mailbox<'a>,
    },
    /// `RENAME from to` (section 6.3.6).
    Rename {
        /// The existing name.
        from: Mailbox<'a>,
        /// The new name.
        to: Mailbox<'a>,
    },
    /// `SUBSCRIBE mailbox` (section 6.3.7).
    Subscribe {
        /// The mailbox.
        mailbox: Mailbox<'a>,
    },
    /// `UNSUBSCRIBE mailbox` (section 6.3.8).
    Unsubscribe {
        /// The mailbox.
        mailbox: Mailbox<'a>,
    },
    /// `LIST [(selection)] reference pattern(s) [RETURN (options)]`
    /// (section 6.3.9, RFC 5258).
    List {
        /// Selection options; `Some(empty)` is `()`.
        selection: Option<Vec<ListSelect<'a>>>,
        /// The reference name.
        reference: Mailbox<'a>,
        /// One pattern, or several (written in parentheses).
        patterns: NonEmptyVec<ListPattern<'a>>,
        /// Return options; `Some(empty)` is `RETURN ()`.
        return_opts: Option<Vec<ListReturn<'a>>>,
    },
    /// `LSUB reference pattern` (RFC 3501 section 6.3.9).
    Lsub {
        /// The reference name.
        reference: Mailbox<'a>,
        /// The pattern.
        pattern: ListPattern<'a>,
    },
    /// `NAMESPACE` (section 6.3.10, RFC 2342).
    Namespace,
    /// `STATUS mailbox (items)` (section 6.3.11).
    Status {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// The status data items asked for.
        items: NonEmptyVec<StatusItem<'a>>,
    },
    /// `APPEND mailbox [flags] [date-time] data` (section 6.3.12), with
    /// more messages for MULTIAPPEND (RFC 3502).
    Append {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// The messages.
        messages: NonEmptyVec<AppendMessage<'a>>,
    },
    /// `IDLE` (section 6.3.13, RFC 2177); ended by the `DONE` line.
    Idle,
    /// `CHECK` (RFC 3501 section 6.4.1).
    Check,
    /// `CLOSE` (section 6.4.1).
    Close,
    /// `UNSELECT` (section 6.4.2, RFC 3691).
    Unselect,
    /// `EXPUNGE` (section 6.4.3).
    Expunge,
    /// `UID EXPUNGE set` (section 6.4.9, RFC 4315).
    UidExpunge {
        /// The UIDs.
        set: SequenceSet,
    },
    /// `[UID] SEARCH [RETURN (...)] [CHARSET c] keys` (section 6.4.4,
    /// RFC 4731).
    Search {
        /// `UID SEARCH`.
        uid: bool,
        /// ESEARCH return options; `Some(empty)` is `RETURN ()`.
        return_opts: Option<Vec<SearchReturn<'a>>>,
        /// The charset of the strings in the keys.
        charset: Option<AString<'a>>,
        /// The keys, all of which must match.
        criteria: NonEmptyVec<SearchKey<'a>>,
    },
    /// `[UID] FETCH set items [(modifiers)]` (section 6.4.5).
    Fetch {
        /// `UID FETCH`.
        uid: bool,
        /// The messages.
        set: SequenceSet,
        /// What to fetch.
        items: FetchItems<'a>,
        /// Fetch modifiers (CHANGEDSINCE, VANISHED ...), the text between
        /// the parentheses kept byte-exact.
        modifiers: Option<RawArgs<'a>>,
    },
    /// `[UID] STORE set [(modifiers)] [+|-]FLAGS[.SILENT] (flags)`
    /// (section 6.4.6).
    Store {
        /// `UID STORE`.
        uid: bool,
        /// The messages.
        set: SequenceSet,
        /// Store modifiers (UNCHANGEDSINCE), the text between the
        /// parentheses.
        modifiers: Option<RawArgs<'a>>,
        /// Replace, add or remove.
        action: StoreAction,
        /// `.SILENT`: no untagged FETCH in reply.
        silent: bool,
        /// The flags (written as a parenthesised list).
        flags: Vec<Flag<'a>>,
    },
    /// `[UID] COPY set mailbox` (section 6.4.7).
    Copy {
        /// `UID COPY`.
        uid: bool,
        /// The messages.
        set: SequenceSet,
        /// The destination.
        mailbox: Mailbox<'a>,
    },
    /// `[UID] MOVE set mailbox` (section 6.4.8, RFC 6851).
    Move {
        /// `UID MOVE`.
        uid: bool,
        /// The messages.
        set: SequenceSet,
        /// The destination.
        mailbox: Mailbox<'a>,
    },
    /// `ID (field value ...)` or `ID NIL` (RFC 2971 section 3.1).
    Id {
        /// Field/value pairs; `None` is `NIL`.
        params: Option<Vec<(IString<'a>, NString<'a>)>>,
    },
    /// `GETQUOTA root` (RFC 9208 section 4.2).
    GetQuota {
        /// The quota root.
        root: AString<'a>,
    },
    /// `GETQUOTAROOT mailbox` (RFC 9208 section 4.3).
    GetQuotaRoot {
        /// The mailbox.
        mailbox: Mailbox<'a>,
    },
    /// `SETQUOTA root (resource limit ...)` (RFC 9208 section 4.1).
    SetQuota {
        /// The quota root.
        root: AString<'a>,
        /// Resource names and limits.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::types::arbitrary::quota_limits))]
        limits: Vec<(Atom<'a>, u64)>,
    },
    /// Any other command: its name and the rest of the line (literals
    /// inline), kept byte-exact.
    Other {
        /// The command name as sent.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::types::arbitrary::other_command_name))]
        name: Atom<'a>,
        /// Everything after the name and its SP, before the final CRLF.
        args: Option<RawArgs<'a>>,
    },
}

fn owned_opt_raw(r: Option<RawArgs<'_>>) -> Option<RawArgs<'static>> {
    r.map(RawArgs::into_owned)
}

impl CommandBody<'_> {
    /// The command name as written on the wire (without `UID`).
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            CommandBody::Capability => "CAPABILITY",
            CommandBody::Noop => "NOOP",
            CommandBody::Logout => "LOGOUT",
            CommandBody::StartTls => "STARTTLS",
            CommandBody::Authenticate { .. } => "AUTHENTICATE",
            CommandBody::Login { .. } => "LOGIN",
            CommandBody::Enable { .. } => "ENABLE",
            CommandBody::Select { .. } => "SELECT",
            CommandBody::Examine { .. } => "EXAMINE",
            CommandBody::Create { .. } => "CREATE",
            CommandBody::Delete { .. } => "DELETE",
            CommandBody::Rename { .. } => "RENAME",
            CommandBody::Subscribe { .. } => "SUBSCRIBE",
            CommandBody::Unsubscribe { .. } => "UNSUBSCRIBE",
            CommandBody::List { .. } => "LIST",
            CommandBody::Lsub { .. } => "LSUB",
            CommandBody::Namespace => "NAMESPACE",
            CommandBody::Status { .. } => "STATUS",
            CommandBody::Append { .. } => "APPEND",
            CommandBody::Idle => "IDLE",
            CommandBody::Check => "CHECK",
            CommandBody::Close => "CLOSE",
            CommandBody::Unselect => "UNSELECT",
            CommandBody::Expunge | CommandBody::UidExpunge { .. } => "EXPUNGE",
            CommandBody::Search { .. } => "SEARCH",
            CommandBody::Fetch { .. } => "FETCH",
            CommandBody::Store { .. } => "STORE",
            CommandBody::Copy { .. } => "COPY",
            CommandBody::Move { .. } => "MOVE",
            CommandBody::Id { .. } => "ID",
            CommandBody::GetQuota { .. } => "GETQUOTA",
            CommandBody::GetQuotaRoot { .. } => "GETQUOTAROOT",
            CommandBody::SetQuota { .. } => "SETQUOTA",
            CommandBody::Other { name, .. } => name.as_str(),
        }
    }

    /// The same body, owning everything.
    #[must_use]
    pub fn into_owned(self) -> CommandBody<'static> {
        use CommandBody as C;
        match self {
            C::Capability => C::Capability,
            C::Noop => C::Noop,
            C::Logout => C::Logout,
            C::StartTls => C::StartTls,
            C::Authenticate {
                mechanism,
                initial_response,
            } => C::Authenticate {
                mechanism: mechanism.into_owned(),
                initial_response: initial_response.map(InitialResponse::into_owned),
            },
            C::Login { username, password } => C::Login {
                username: username.into_owned(),
                password: password.into_owned(),
            },
            C::Enable { capabilities } => C::Enable {
                capabilities: capabilities.map(Atom::into_owned),
            },
            C::Select { mailbox, params } => C::Select {
                mailbox: mailbox.into_owned(),
                params: owned_opt_raw(params),
            },
            C::Examine { mailbox, params } => C::Examine {
                mailbox: mailbox.into_owned(),
                params: owned_opt_raw(params),
            },
            C::Create { mailbox, params } => C::Create {
                mailbox: mailbox.into_owned(),
                params: owned_opt_raw(params),
            },
            C::Delete { mailbox } => C::Delete {
                mailbox: mailbox.into_owned(),
            },
            C::Rename { from, to } => C::Rename {
                from: from.into_owned(),
                to: to.into_owned(),
            },
            C::Subscribe { mailbox } => C::Subscribe {
                mailbox: mailbox.into_owned(),
            },
            C::Unsubscribe { mailbox } => C::Unsubscribe {
                mailbox: mailbox.into_owned(),
            },
            C::List {
                selection,
                reference,
                patterns,
                return_opts,
            } => C::List {
                selection: selection.map(|v| v.into_iter().map(ListSelect::into_owned).collect()),
                reference: reference.into_owned(),
                patterns: patterns.map(ListPattern::into_owned),
                return_opts: return_opts
                    .map(|v| v.into_iter().map(ListReturn::into_owned).collect()),
            },
            C::Lsub { reference, pattern } => C::Lsub {
                reference: reference.into_owned(),
                pattern: pattern.into_owned(),
            },
            C::Namespace => C::Namespace,
            C::Status { mailbox, items } => C::Status {
                mailbox: mailbox.into_owned(),
                items: items.map(StatusItem::into_owned),
            },
            C::Append { mailbox, messages } => C::Append {
                mailbox: mailbox.into_owned(),
                messages: messages.map(AppendMessage::into_owned),
            },
            C::Idle => C::Idle,
            C::Check => C::Check,
            C::Close => C::Close,
            C::Unselect => C::Unselect,
            C::Expunge => C::Expunge,
            C::UidExpunge { set } => C::UidExpunge { set },
            C::Search {
                uid,
                return_opts,
                charset,
                criteria,
            } => C::Search {
                uid,
                return_opts: return_opts
                    .map(|v| v.into_iter().map(SearchReturn::into_owned).collect()),
                charset: charset.map(AString::into_owned),
                criteria: criteria.map(SearchKey::into_owned),
            },
            C::Fetch {
                uid,
                set,
                items,
                modifiers,
            } => C::Fetch {
                uid,
                set,
                items: items.into_owned(),
                modifiers: owned_opt_raw(modifiers),
            },
            C::Store {
                uid,
                set,
                modifiers,
                action,
                silent,
                flags,
            } => C::Store {
                uid,
                set,
                modifiers: owned_opt_raw(modifiers),
                action,
                silent,
                flags: flags.into_iter().map(Flag::into_owned).collect(),
            },
            C::Copy { uid, set, mailbox } => C::Copy {
                uid,
                set,
                mailbox: mailbox.into_owned(),
            },
            C::Move { uid, set, mailbox } => C::Move {
                uid,
                set,
                mailbox: mailbox.into_owned(),
            },
            C::Id { params } => C::Id {
                params: params.map(|v| {
                    v.into_iter()
                        .map(|(k, v)| (k.into_owned(), v.into_owned()))
                        .collect()
                }),
            },
            C::GetQuota { root } => C::GetQuota {
                root: root.into_owned(),
            },
            C::GetQuotaRoot { mailbox } => C::GetQuotaRoot {
                mailbox: mailbox.into_owned(),
            },
            C::SetQuota { root, limits } => C::SetQuota {
                root: root.into_owned(),
                limits: limits
                    .into_iter()
                    .map(|(a, n)| (a.into_owned(), n))
                    .collect(),
            },
            C::Other { name, args } => C::Other {
                name: name.into_owned(),
                args: owned_opt_raw(args),
            },
        }
    }
}
