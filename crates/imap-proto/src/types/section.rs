//! `section` (RFC 9051 section 9, RFC 3501 section 9): which part of a
//! message `BODY[...]` names. One type serves FETCH commands and FETCH
//! responses.
//!
//! ```text
//! section          = "[" [section-spec] "]"
//! section-spec     = section-msgtext / (section-part ["." section-text])
//! section-msgtext  = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT"
//! section-part     = nz-number *("." nz-number)
//! section-text     = section-msgtext / "MIME"
//! ```

use core::num::NonZeroU32;

use super::error::ValueError;
use super::{AString, NonEmptyVec};

/// What of a part a section names (`section-msgtext` / `section-text`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum SectionText<'a> {
    /// `HEADER`.
    Header,
    /// `HEADER.FIELDS (names)` or, with `not`, `HEADER.FIELDS.NOT (names)`.
    HeaderFields {
        /// `.NOT`: every field but these.
        not: bool,
        /// Field names (`header-fld-name` = astring).
        fields: NonEmptyVec<AString<'a>>,
    },
    /// `TEXT`.
    Text,
    /// `MIME` (only after a part number).
    Mime,
}

impl SectionText<'_> {
    /// The same value, owning everything.
    #[must_use]
    pub fn into_owned(self) -> SectionText<'static> {
        match self {
            SectionText::Header => SectionText::Header,
            SectionText::HeaderFields { not, fields } => SectionText::HeaderFields {
                not,
                fields: fields.map(AString::into_owned),
            },
            SectionText::Text => SectionText::Text,
            SectionText::Mime => SectionText::Mime,
        }
    }
}

/// A `section`: part numbers, then an optional text part. Both empty is
/// `[]`, the whole message (the `Default`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Section<'a> {
    part: Vec<NonZeroU32>,
    text: Option<SectionText<'a>>,
}

impl<'a> Section<'a> {
    /// A section; `MIME` needs at least one part number (the grammar has
    /// no top-level `MIME`).
    pub fn new(part: Vec<NonZeroU32>, text: Option<SectionText<'a>>) -> Result<Self, ValueError> {
        if part.is_empty() && text == Some(SectionText::Mime) {
            return Err(ValueError::Invalid {
                what: "MIME needs a part number",
            });
        }
        Ok(Section { part, text })
    }

    /// The part numbers (`1.2.3`), empty for the top level.
    #[must_use]
    pub fn part(&self) -> &[NonZeroU32] {
        &self.part
    }

    /// The text part, `None` for the whole part.
    #[must_use]
    pub fn text(&self) -> Option<&SectionText<'a>> {
        self.text.as_ref()
    }

    /// The same value, owning everything.
    #[must_use]
    pub fn into_owned(self) -> Section<'static> {
        Section {
            part: self.part,
            text: self.text.map(SectionText::into_owned),
        }
    }
}
