//! BODY and BODYSTRUCTURE (RFC 9051 section 7.5.2 and 9, RFC 3501
//! section 7.4.2 and 9).
//!
//! ```text
//! body            = "(" (body-type-1part / body-type-mpart) ")"
//! body-type-1part = (body-type-basic / body-type-msg / body-type-text)
//!                   [SP body-ext-1part]
//! body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]
//! body-fields     = body-fld-param SP body-fld-id SP body-fld-desc SP
//!                   body-fld-enc SP body-fld-octets
//! body-ext-1part  = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang
//!                   [SP body-fld-loc *(SP body-extension)]]]
//! body-ext-mpart  = body-fld-param [SP body-fld-dsp [SP body-fld-lang
//!                   [SP body-fld-loc *(SP body-extension)]]]
//! ```
//!
//! The nested optional extension data is modelled as nested `Option`s so
//! that what the server sent (and only that) is written back.

use super::envelope::Envelope;
use super::nonempty::NonEmptyVec;
use super::string::{IString, NString};

/// A `body-fld-param` list: attribute/value pairs; empty is `NIL`.
pub type Params<'a> = Vec<(IString<'a>, IString<'a>)>;

fn own_params(p: Params<'_>) -> Params<'static> {
    p.into_iter()
        .map(|(a, b)| (a.into_owned(), b.into_owned()))
        .collect()
}

/// The structure of a message or body part.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Body<'a> {
    /// A non-multipart part.
    Single {
        /// The media type (`"TEXT"`, `"APPLICATION"`...).
        media_type: IString<'a>,
        /// The media subtype.
        subtype: IString<'a>,
        /// The common fields.
        fields: BodyFields<'a>,
        /// What depends on the media type.
        kind: SingleKind<'a>,
        /// Extension data (BODYSTRUCTURE only).
        ext: Option<SinglePartExt<'a>>,
    },
    /// A multipart.
    Multipart {
        /// The parts, at least one.
        parts: NonEmptyVec<Body<'a>>,
        /// The multipart subtype (`"MIXED"`...).
        subtype: IString<'a>,
        /// Extension data (BODYSTRUCTURE only).
        ext: Option<MultipartExt<'a>>,
    },
}

/// `body-fields`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct BodyFields<'a> {
    /// `body-fld-param`: Content-Type parameters.
    pub params: Params<'a>,
    /// `body-fld-id`: Content-ID.
    pub id: NString<'a>,
    /// `body-fld-desc`: Content-Description.
    pub description: NString<'a>,
    /// `body-fld-enc`: Content-Transfer-Encoding.
    pub encoding: IString<'a>,
    /// `body-fld-octets`: size in its transfer encoding.
    pub octets: u32,
}

/// What a single part carries beyond [`BodyFields`], by media type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum SingleKind<'a> {
    /// `body-type-basic`.
    Basic,
    /// `body-type-text` (`"TEXT"`): size in lines.
    Text {
        /// `body-fld-lines`.
        lines: u32,
    },
    /// `body-type-msg` (`"MESSAGE" "RFC822"` or `"GLOBAL"`): the
    /// encapsulated message's envelope, structure and size in lines.
    Message {
        /// Its envelope.
        envelope: Box<Envelope<'a>>,
        /// Its body structure.
        body: Box<Body<'a>>,
        /// `body-fld-lines`.
        lines: u32,
    },
}

/// `body-ext-1part`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct SinglePartExt<'a> {
    /// `body-fld-md5`.
    pub md5: NString<'a>,
    /// What follows, when sent.
    pub more: Option<ExtDisposition<'a>>,
}

/// `body-ext-mpart`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct MultipartExt<'a> {
    /// `body-fld-param`.
    pub params: Params<'a>,
    /// What follows, when sent.
    pub more: Option<ExtDisposition<'a>>,
}

/// `body-fld-dsp [SP body-fld-lang ...]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct ExtDisposition<'a> {
    /// `body-fld-dsp`: `None` is `NIL`.
    pub disposition: Option<Disposition<'a>>,
    /// What follows, when sent.
    pub more: Option<ExtLanguage<'a>>,
}

/// `body-fld-lang [SP body-fld-loc ...]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct ExtLanguage<'a> {
    /// `body-fld-lang`: empty is `NIL`; one tag is written bare, more as a
    /// list.
    pub language: Vec<IString<'a>>,
    /// What follows, when sent.
    pub more: Option<ExtLocation<'a>>,
}

/// `body-fld-loc *(SP body-extension)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct ExtLocation<'a> {
    /// `body-fld-loc`: Content-Location.
    pub location: NString<'a>,
    /// Future extension data.
    pub extensions: Vec<BodyExtension<'a>>,
}

/// `body-fld-dsp`: Content-Disposition.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Disposition<'a> {
    /// The disposition type (`"ATTACHMENT"`...).
    pub kind: IString<'a>,
    /// Its parameters; empty is `NIL`.
    pub params: Params<'a>,
}

/// `body-extension = nstring / number / number64 / "(" body-extension
/// *(SP body-extension) ")"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BodyExtension<'a> {
    /// A string or `NIL`.
    NString(NString<'a>),
    /// A number.
    Number(u64),
    /// A list.
    List(NonEmptyVec<BodyExtension<'a>>),
}

impl BodyExtension<'_> {
    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> BodyExtension<'static> {
        match self {
            BodyExtension::NString(s) => BodyExtension::NString(s.into_owned()),
            BodyExtension::Number(n) => BodyExtension::Number(n),
            BodyExtension::List(l) => BodyExtension::List(l.map(BodyExtension::into_owned)),
        }
    }
}

impl ExtDisposition<'_> {
    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> ExtDisposition<'static> {
        ExtDisposition {
            disposition: self.disposition.map(|d| Disposition {
                kind: d.kind.into_owned(),
                params: own_params(d.params),
            }),
            more: self.more.map(|l| ExtLanguage {
                language: l.language.into_iter().map(IString::into_owned).collect(),
                more: l.more.map(|loc| ExtLocation {
                    location: loc.location.into_owned(),
                    extensions: loc
                        .extensions
                        .into_iter()
                        .map(BodyExtension::into_owned)
                        .collect(),
                }),
            }),
        }
    }
}

impl Body<'_> {
    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> Body<'static> {
        match self {
            Body::Single {
                media_type,
                subtype,
                fields,
                kind,
                ext,
            } => Body::Single {
                media_type: media_type.into_owned(),
                subtype: subtype.into_owned(),
                fields: BodyFields {
                    params: own_params(fields.params),
                    id: fields.id.into_owned(),
                    description: fields.description.into_owned(),
                    encoding: fields.encoding.into_owned(),
                    octets: fields.octets,
                },
                kind: match kind {
                    SingleKind::Basic => SingleKind::Basic,
                    SingleKind::Text { lines } => SingleKind::Text { lines },
                    SingleKind::Message {
                        envelope,
                        body,
                        lines,
                    } => SingleKind::Message {
                        envelope: Box::new(envelope.into_owned()),
                        body: Box::new(body.into_owned()),
                        lines,
                    },
                },
                ext: ext.map(|e| SinglePartExt {
                    md5: e.md5.into_owned(),
                    more: e.more.map(ExtDisposition::into_owned),
                }),
            },
            Body::Multipart {
                parts,
                subtype,
                ext,
            } => Body::Multipart {
                parts: parts.map(Body::into_owned),
                subtype: subtype.into_owned(),
                ext: ext.map(|e| MultipartExt {
                    params: own_params(e.params),
                    more: e.more.map(ExtDisposition::into_owned),
                }),
            },
        }
    }
}
