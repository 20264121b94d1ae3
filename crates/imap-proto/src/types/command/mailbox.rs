//! Arguments of the mailbox commands: LIST (RFC 9051 section 6.3.9,
//! RFC 5258, RFC 6154), STATUS (section 6.3.11, RFC 8438 SIZE, RFC 7889
//! APPENDLIMIT, RFC 7162 HIGHESTMODSEQ) and APPEND (section 6.3.12,
//! RFC 3502 MULTIAPPEND, RFC 3516 literal8).

use core::fmt;
use std::borrow::Cow;

use crate::types::error::{ValueError, check_bytes};
use crate::types::string::is_char8;
use crate::types::{Atom, Flag, Literal, Literal8, NonEmptyVec};

/// Whether `b` is a `list-char` (RFC 9051 section 9): an `ATOM-CHAR`,
/// `%`, `*` or `]`.
#[must_use]
pub const fn is_list_char(b: u8) -> bool {
    crate::types::is_astring_char(b) || b == b'%' || b == b'*'
}

/// A `list-mailbox` pattern: `1*list-char` or a string, holding the
/// wildcards `%` and `*`. Any octets but NUL; may be empty.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ListPattern<'a>(Cow<'a, [u8]>);

impl<'a> ListPattern<'a> {
    /// Validates `b` (no NUL).
    pub fn new(b: impl Into<Cow<'a, [u8]>>) -> Result<Self, ValueError> {
        let b = b.into();
        check_bytes("list-mailbox", &b, true, is_char8)?;
        Ok(ListPattern(b))
    }

    /// Wraps bytes the parser checked.
    pub(crate) fn from_checked(b: Cow<'a, [u8]>) -> Self {
        ListPattern(b)
    }

    /// The pattern's octets.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> ListPattern<'static> {
        ListPattern(Cow::Owned(self.0.into_owned()))
    }
}

impl fmt::Debug for ListPattern<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ListPattern(b\"{}\")", self.0.escape_ascii())
    }
}

/// A LIST selection option (RFC 5258 section 3.1, RFC 6154 section 5.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListSelect<'a> {
    /// `SUBSCRIBED`.
    Subscribed,
    /// `REMOTE`.
    Remote,
    /// `RECURSIVEMATCH`.
    RecursiveMatch,
    /// `SPECIAL-USE`.
    SpecialUse,
    /// Any other option name.
    Other(Atom<'a>),
}

impl ListSelect<'_> {
    /// The same value, owning everything.
    #[must_use]
    pub fn into_owned(self) -> ListSelect<'static> {
        match self {
            ListSelect::Subscribed => ListSelect::Subscribed,
            ListSelect::Remote => ListSelect::Remote,
            ListSelect::RecursiveMatch => ListSelect::RecursiveMatch,
            ListSelect::SpecialUse => ListSelect::SpecialUse,
            ListSelect::Other(a) => ListSelect::Other(a.into_owned()),
        }
    }
}

/// A LIST return option (RFC 5258 section 3.2, RFC 5819 STATUS, RFC
/// 6154 SPECIAL-USE).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListReturn<'a> {
    /// `SUBSCRIBED`.
    Subscribed,
    /// `CHILDREN`.
    Children,
    /// `SPECIAL-USE`.
    SpecialUse,
    /// `STATUS (items)` (RFC 5819).
    Status(NonEmptyVec<StatusItem<'a>>),
    /// Any other option name.
    Other(Atom<'a>),
}

impl ListReturn<'_> {
    /// The same value, owning everything.
    #[must_use]
    pub fn into_owned(self) -> ListReturn<'static> {
        match self {
            ListReturn::Subscribed => ListReturn::Subscribed,
            ListReturn::Children => ListReturn::Children,
            ListReturn::SpecialUse => ListReturn::SpecialUse,
            ListReturn::Status(v) => ListReturn::Status(v.map(StatusItem::into_owned)),
            ListReturn::Other(a) => ListReturn::Other(a.into_owned()),
        }
    }
}

/// A STATUS data item name (RFC 9051 section 6.3.11).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusItem<'a> {
    /// `MESSAGES`.
    Messages,
    /// `RECENT` (IMAP4rev1).
    Recent,
    /// `UIDNEXT`.
    UidNext,
    /// `UIDVALIDITY`.
    UidValidity,
    /// `UNSEEN`.
    Unseen,
    /// `DELETED`.
    Deleted,
    /// `SIZE` (RFC 8438).
    Size,
    /// `APPENDLIMIT` (RFC 7889).
    AppendLimit,
    /// `HIGHESTMODSEQ` (RFC 7162).
    HighestModSeq,
    /// `MAILBOXID` (RFC 8474).
    MailboxId,
    /// Any other item name.
    Other(Atom<'a>),
}

impl StatusItem<'_> {
    /// The same value, owning everything.
    #[must_use]
    pub fn into_owned(self) -> StatusItem<'static> {
        use StatusItem as S;
        match self {
            S::Messages => S::Messages,
            S::Recent => S::Recent,
            S::UidNext => S::UidNext,
            S::UidValidity => S::UidValidity,
            S::Unseen => S::Unseen,
            S::Deleted => S::Deleted,
            S::Size => S::Size,
            S::AppendLimit => S::AppendLimit,
            S::HighestModSeq => S::HighestModSeq,
            S::MailboxId => S::MailboxId,
            S::Other(a) => S::Other(a.into_owned()),
        }
    }
}

pub use crate::types::datetime::DateTime;

/// The message data of APPEND.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum AppendData<'a> {
    /// A `literal`.
    Literal(Literal<'a>),
    /// A `literal8` (RFC 3516 section 4.4).
    Literal8(Literal8<'a>),
}

impl AppendData<'_> {
    /// The message octets.
    #[must_use]
    pub fn data(&self) -> &[u8] {
        match self {
            AppendData::Literal(l) => l.data(),
            AppendData::Literal8(l) => l.data(),
        }
    }

    /// The same value, owning its data.
    #[must_use]
    pub fn into_owned(self) -> AppendData<'static> {
        match self {
            AppendData::Literal(l) => AppendData::Literal(l.into_owned()),
            AppendData::Literal8(l) => AppendData::Literal8(l.into_owned()),
        }
    }
}

/// One message of APPEND.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct AppendMessage<'a> {
    /// The flags to set; `None` when no flag list was sent (`Some(empty)`
    /// is `()`).
    pub flags: Option<Vec<Flag<'a>>>,
    /// The internal date to set.
    pub date: Option<DateTime>,
    /// The message.
    pub data: AppendData<'a>,
}

impl AppendMessage<'_> {
    /// The same value, owning everything.
    #[must_use]
    pub fn into_owned(self) -> AppendMessage<'static> {
        AppendMessage {
            flags: self
                .flags
                .map(|v| v.into_iter().map(Flag::into_owned).collect()),
            date: self.date,
            data: self.data.into_owned(),
        }
    }
}
