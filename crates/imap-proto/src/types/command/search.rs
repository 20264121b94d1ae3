//! SEARCH keys and ESEARCH return options (RFC 9051 section 6.4.4,
//! RFC 3501 section 6.4.4, RFC 4731, RFC 5032 WITHIN, RFC 7162 MODSEQ).

use crate::types::error::ValueError;
use crate::types::{AString, Atom, IString, NonEmptyVec, SequenceSet};

/// A `date` of a search key: `d-Mon-yyyy` (RFC 9051 section 9 `date`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SearchDate {
    year: u16,
    month: u8,
    day: u8,
}

pub(crate) use crate::types::datetime::MONTHS;

impl SearchDate {
    /// A date: day 1 to 31, month 1 to 12, year 0 to 9999.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, ValueError> {
        if !(1..=31).contains(&day) || !(1..=12).contains(&month) || year > 9999 {
            return Err(ValueError::OutOfRange { what: "date" });
        }
        Ok(SearchDate { year, month, day })
    }

    /// The year.
    #[must_use]
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    #[must_use]
    pub fn month(&self) -> u8 {
        self.month
    }

    /// The day, 1 to 31.
    #[must_use]
    pub fn day(&self) -> u8 {
        self.day
    }
}

/// An ESEARCH return option (RFC 4731 section 3.1, RFC 5182 SAVE).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchReturn<'a> {
    /// `MIN`.
    Min,
    /// `MAX`.
    Max,
    /// `ALL`.
    All,
    /// `COUNT`.
    Count,
    /// `SAVE`.
    Save,
    /// Any other option name (without arguments).
    Other(Atom<'a>),
}

impl SearchReturn<'_> {
    /// The same value, owning everything.
    #[must_use]
    pub fn into_owned(self) -> SearchReturn<'static> {
        match self {
            SearchReturn::Min => SearchReturn::Min,
            SearchReturn::Max => SearchReturn::Max,
            SearchReturn::All => SearchReturn::All,
            SearchReturn::Count => SearchReturn::Count,
            SearchReturn::Save => SearchReturn::Save,
            SearchReturn::Other(a) => SearchReturn::Other(a.into_owned()),
        }
    }
}

/// A `search-key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchKey<'a> {
    /// `ALL`.
    All,
    /// `ANSWERED`.
    Answered,
    /// `BCC string`.
    Bcc(AString<'a>),
    /// `BEFORE date`.
    Before(SearchDate),
    /// `BODY string`.
    Body(AString<'a>),
    /// `CC string`.
    Cc(AString<'a>),
    /// `DELETED`.
    Deleted,
    /// `DRAFT`.
    Draft,
    /// `FLAGGED`.
    Flagged,
    /// `FROM string`.
    From(AString<'a>),
    /// `HEADER field value`.
    Header(AString<'a>, AString<'a>),
    /// `KEYWORD flag-keyword`.
    Keyword(Atom<'a>),
    /// `LARGER n`.
    Larger(u64),
    /// `NEW` (IMAP4rev1).
    New,
    /// `NOT key`.
    Not(Box<SearchKey<'a>>),
    /// `OLD` (IMAP4rev1).
    Old,
    /// `ON date`.
    On(SearchDate),
    /// `OR key key`.
    Or(Box<SearchKey<'a>>, Box<SearchKey<'a>>),
    /// `RECENT` (IMAP4rev1).
    Recent,
    /// `SEEN`.
    Seen,
    /// `SENTBEFORE date`.
    SentBefore(SearchDate),
    /// `SENTON date`.
    SentOn(SearchDate),
    /// `SENTSINCE date`.
    SentSince(SearchDate),
    /// `SINCE date`.
    Since(SearchDate),
    /// `SMALLER n`.
    Smaller(u64),
    /// `SUBJECT string`.
    Subject(AString<'a>),
    /// `TEXT string`.
    Text(AString<'a>),
    /// `TO string`.
    To(AString<'a>),
    /// `UID set`.
    Uid(SequenceSet),
    /// `UNANSWERED`.
    Unanswered,
    /// `UNDELETED`.
    Undeleted,
    /// `UNDRAFT`.
    Undraft,
    /// `UNFLAGGED`.
    Unflagged,
    /// `UNKEYWORD flag-keyword`.
    Unkeyword(Atom<'a>),
    /// `UNSEEN`.
    Unseen,
    /// `OLDER seconds` (RFC 5032).
    Older(u32),
    /// `YOUNGER seconds` (RFC 5032).
    Younger(u32),
    /// `MODSEQ ["entry" type] modseq` (RFC 7162 section 3.1.5).
    ModSeq {
        /// The metadata entry name and its type (`priv`, `shared`, `all`).
        entry: Option<(IString<'a>, Atom<'a>)>,
        /// The mod-sequence value.
        modseq: u64,
    },
    /// A sequence set.
    SequenceSet(SequenceSet),
    /// `( key... )`: all must match.
    And(NonEmptyVec<SearchKey<'a>>),
}

impl SearchKey<'_> {
    /// The same value, owning everything.
    #[must_use]
    pub fn into_owned(self) -> SearchKey<'static> {
        use SearchKey as K;
        match self {
            K::All => K::All,
            K::Answered => K::Answered,
            K::Bcc(s) => K::Bcc(s.into_owned()),
            K::Before(d) => K::Before(d),
            K::Body(s) => K::Body(s.into_owned()),
            K::Cc(s) => K::Cc(s.into_owned()),
            K::Deleted => K::Deleted,
            K::Draft => K::Draft,
            K::Flagged => K::Flagged,
            K::From(s) => K::From(s.into_owned()),
            K::Header(a, b) => K::Header(a.into_owned(), b.into_owned()),
            K::Keyword(f) => K::Keyword(f.into_owned()),
            K::Larger(n) => K::Larger(n),
            K::New => K::New,
            K::Not(k) => K::Not(Box::new(k.into_owned())),
            K::Old => K::Old,
            K::On(d) => K::On(d),
            K::Or(a, b) => K::Or(Box::new(a.into_owned()), Box::new(b.into_owned())),
            K::Recent => K::Recent,
            K::Seen => K::Seen,
            K::SentBefore(d) => K::SentBefore(d),
            K::SentOn(d) => K::SentOn(d),
            K::SentSince(d) => K::SentSince(d),
            K::Since(d) => K::Since(d),
            K::Smaller(n) => K::Smaller(n),
            K::Subject(s) => K::Subject(s.into_owned()),
            K::Text(s) => K::Text(s.into_owned()),
            K::To(s) => K::To(s.into_owned()),
            K::Uid(s) => K::Uid(s),
            K::Unanswered => K::Unanswered,
            K::Undeleted => K::Undeleted,
            K::Undraft => K::Undraft,
            K::Unflagged => K::Unflagged,
            K::Unkeyword(f) => K::Unkeyword(f.into_owned()),
            K::Unseen => K::Unseen,
            K::Older(n) => K::Older(n),
            K::Younger(n) => K::Younger(n),
            K::ModSeq { entry, modseq } => K::ModSeq {
                entry: entry.map(|(a, b)| (a.into_owned(), b.into_owned())),
                modseq,
            },
            K::SequenceSet(s) => K::SequenceSet(s),
            K::And(v) => K::And(v.map(SearchKey::into_owned)),
        }
    }
}
