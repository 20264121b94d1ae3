//! FETCH data items (RFC 9051 section 6.4.5, RFC 3501 section 6.4.5,
//! RFC 3516 BINARY, RFC 7162 MODSEQ).
//!
//! ```text
//! fetch-att    = "ENVELOPE" / "FLAGS" / "INTERNALDATE" /
//!                "RFC822" [".HEADER" / ".TEXT"] / "RFC822.SIZE" /
//!                "BODY" ["STRUCTURE"] / "UID" /
//!                "BODY" section [partial] /
//!                "BODY.PEEK" section [partial] /
//!                "BINARY" [".PEEK"] section-binary [partial] /
//!                "BINARY.SIZE" section-binary
//! section-spec = section-msgtext / (section-part ["." section-text])
//! partial      = "<" number64 "." nz-number64 ">"
//! ```

use core::num::NonZeroU32;

use crate::types::NonEmptyVec;

/// What FETCH asks: a macro or a list of items.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum FetchItems<'a> {
    /// `ALL`: FLAGS INTERNALDATE RFC822.SIZE ENVELOPE.
    All,
    /// `FAST`: FLAGS INTERNALDATE RFC822.SIZE.
    Fast,
    /// `FULL`: FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY.
    Full,
    /// Items; one item is written bare, several in parentheses.
    Items(NonEmptyVec<FetchAttr<'a>>),
}

impl FetchItems<'_> {
    /// The same value, owning everything.
    #[must_use]
    pub fn into_owned(self) -> FetchItems<'static> {
        match self {
            FetchItems::All => FetchItems::All,
            FetchItems::Fast => FetchItems::Fast,
            FetchItems::Full => FetchItems::Full,
            FetchItems::Items(v) => FetchItems::Items(v.map(FetchAttr::into_owned)),
        }
    }
}

/// `<offset.length>`: a byte range of a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Partial {
    /// First octet (0-based), `number64`.
    pub offset: u64,
    /// How many octets, `nz-number64`.
    pub length: core::num::NonZeroU64,
}

pub use crate::types::section::{Section, SectionText};

/// One FETCH data item.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum FetchAttr<'a> {
    /// `ENVELOPE`.
    Envelope,
    /// `FLAGS`.
    Flags,
    /// `INTERNALDATE`.
    InternalDate,
    /// `RFC822` (IMAP4rev1).
    Rfc822,
    /// `RFC822.HEADER` (IMAP4rev1).
    Rfc822Header,
    /// `RFC822.TEXT` (IMAP4rev1).
    Rfc822Text,
    /// `RFC822.SIZE`.
    Rfc822Size,
    /// `BODY` (no section): the non-extensible BODYSTRUCTURE.
    Body,
    /// `BODYSTRUCTURE`.
    BodyStructure,
    /// `UID`.
    Uid,
    /// `BODY[section]<partial>` or `BODY.PEEK[...]`.
    BodySection {
        /// `.PEEK`: do not set `\Seen`.
        peek: bool,
        /// The section.
        section: Section<'a>,
        /// The byte range.
        partial: Option<Partial>,
    },
    /// `BINARY[part]<partial>` or `BINARY.PEEK[...]` (RFC 3516).
    Binary {
        /// `.PEEK`.
        peek: bool,
        /// Part numbers.
        part: Vec<NonZeroU32>,
        /// The byte range.
        partial: Option<Partial>,
    },
    /// `BINARY.SIZE[part]` (RFC 3516).
    BinarySize {
        /// Part numbers.
        part: Vec<NonZeroU32>,
    },
    /// `MODSEQ` (RFC 7162 section 3.1.4.1).
    ModSeq,
}

impl FetchAttr<'_> {
    /// The same value, owning everything.
    #[must_use]
    pub fn into_owned(self) -> FetchAttr<'static> {
        use FetchAttr as F;
        match self {
            F::Envelope => F::Envelope,
            F::Flags => F::Flags,
            F::InternalDate => F::InternalDate,
            F::Rfc822 => F::Rfc822,
            F::Rfc822Header => F::Rfc822Header,
            F::Rfc822Text => F::Rfc822Text,
            F::Rfc822Size => F::Rfc822Size,
            F::Body => F::Body,
            F::BodyStructure => F::BodyStructure,
            F::Uid => F::Uid,
            F::BodySection {
                peek,
                section,
                partial,
            } => F::BodySection {
                peek,
                section: section.into_owned(),
                partial,
            },
            F::Binary {
                peek,
                part,
                partial,
            } => F::Binary {
                peek,
                part,
                partial,
            },
            F::BinarySize { part } => F::BinarySize { part },
            F::ModSeq => F::ModSeq,
        }
    }
}
