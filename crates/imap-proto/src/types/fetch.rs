//! FETCH response data items (RFC 9051 section 7.5.2, RFC 3501 section
//! 7.4.2; BINARY from RFC 3516, MODSEQ from RFC 7162).

use core::num::NonZeroU32;

use super::body::Body;
use super::envelope::Envelope;
use super::flag::Flag;
use super::response::{Value, Word};
use super::string::{IString, Literal8, NString};

pub use super::datetime::DateTime;
pub use super::section::{Section, SectionText};

/// One item of `msg-att`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FetchItem<'a> {
    /// `FLAGS (flag-fetch ...)`.
    Flags(Vec<Flag<'a>>),
    /// `UID uniqueid`.
    Uid(NonZeroU32),
    /// `INTERNALDATE date-time`.
    InternalDate(DateTime),
    /// `RFC822.SIZE number64`.
    Rfc822Size(u64),
    /// `ENVELOPE envelope`.
    Envelope(Box<Envelope<'a>>),
    /// `BODY body`: the structure without extension data.
    Body(Box<Body<'a>>),
    /// `BODYSTRUCTURE body`: with extension data.
    BodyStructure(Box<Body<'a>>),
    /// `BODY[section]<origin> nstring`.
    BodySection {
        /// Which part.
        section: Section<'a>,
        /// The first octet's offset, for a partial fetch.
        origin: Option<u32>,
        /// The data; a literal's data borrows from the input.
        data: NString<'a>,
    },
    /// `BINARY[part]<origin> (nstring / literal8)` (RFC 3516).
    Binary {
        /// The part numbers.
        part: Vec<NonZeroU32>,
        /// The first octet's offset, for a partial fetch (RFC 3516).
        origin: Option<u32>,
        /// The decoded data.
        data: BinaryData<'a>,
    },
    /// `BINARY.SIZE[part] number` (RFC 3516).
    BinarySize {
        /// The part numbers.
        part: Vec<NonZeroU32>,
        /// The decoded size.
        size: u32,
    },
    /// `RFC822 nstring` (IMAP4rev1 only).
    Rfc822(NString<'a>),
    /// `RFC822.HEADER nstring` (IMAP4rev1 only).
    Rfc822Header(NString<'a>),
    /// `RFC822.TEXT nstring` (IMAP4rev1 only).
    Rfc822Text(NString<'a>),
    /// `MODSEQ (mod-sequence-value)` (RFC 7162 section 7).
    ModSeq(u64),
    /// Any other item: its name (as sent, an atom that may carry
    /// `[...]` and `<...>`) and its value, kept as a generic value.
    Other {
        /// The item name.
        name: Word<'a>,
        /// The value.
        value: Value<'a>,
    },
}

/// The data of a `BINARY[...]` item.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum BinaryData<'a> {
    /// `NIL`, or a quoted string or `{n}` literal.
    NString(NString<'a>),
    /// A `~{n}` literal, which may hold NUL.
    Literal8(Literal8<'a>),
}

impl BinaryData<'_> {
    /// The same value, owning its data.
    #[must_use]
    pub fn into_owned(self) -> BinaryData<'static> {
        match self {
            BinaryData::NString(s) => BinaryData::NString(s.into_owned()),
            BinaryData::Literal8(l) => BinaryData::Literal8(l.into_owned()),
        }
    }

    /// The octets, `None` for `NIL`.
    #[must_use]
    pub fn data(&self) -> Option<&[u8]> {
        match self {
            BinaryData::NString(s) => s.string().map(IString::as_bytes),
            BinaryData::Literal8(l) => Some(l.data()),
        }
    }
}

impl FetchItem<'_> {
    /// The same value, owning its text and data.
    #[must_use]
    pub fn into_owned(self) -> FetchItem<'static> {
        match self {
            FetchItem::Flags(f) => FetchItem::Flags(f.into_iter().map(Flag::into_owned).collect()),
            FetchItem::Uid(u) => FetchItem::Uid(u),
            FetchItem::InternalDate(d) => FetchItem::InternalDate(d),
            FetchItem::Rfc822Size(n) => FetchItem::Rfc822Size(n),
            FetchItem::Envelope(e) => FetchItem::Envelope(Box::new(e.into_owned())),
            FetchItem::Body(b) => FetchItem::Body(Box::new(b.into_owned())),
            FetchItem::BodyStructure(b) => FetchItem::BodyStructure(Box::new(b.into_owned())),
            FetchItem::BodySection {
                section,
                origin,
                data,
            } => FetchItem::BodySection {
                section: section.into_owned(),
                origin,
                data: data.into_owned(),
            },
            FetchItem::Binary { part, origin, data } => FetchItem::Binary {
                part,
                origin,
                data: data.into_owned(),
            },
            FetchItem::BinarySize { part, size } => FetchItem::BinarySize { part, size },
            FetchItem::Rfc822(s) => FetchItem::Rfc822(s.into_owned()),
            FetchItem::Rfc822Header(s) => FetchItem::Rfc822Header(s.into_owned()),
            FetchItem::Rfc822Text(s) => FetchItem::Rfc822Text(s.into_owned()),
            FetchItem::ModSeq(n) => FetchItem::ModSeq(n),
            FetchItem::Other { name, value } => FetchItem::Other {
                name: name.into_owned(),
                value: value.into_owned(),
            },
        }
    }
}
