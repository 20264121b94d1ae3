//! `atom` and `tag`, and the character classes of RFC 3501 section 9 /
//! RFC 9051 section 9 they are made of.
//!
//! ```text
//! atom          = 1*ATOM-CHAR
//! ATOM-CHAR     = <any CHAR except atom-specials>
//! atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards /
//!                 quoted-specials / resp-specials
//! ASTRING-CHAR  = ATOM-CHAR / resp-specials
//! tag           = 1*<any ASTRING-CHAR except "+">
//! ```

use core::fmt;
use std::borrow::Cow;

use super::error::{ValueError, check_bytes};

/// Whether `b` is an `ATOM-CHAR` (RFC 9051 section 9): printable US-ASCII
/// other than `(`, `)`, `{`, SP, `%`, `*`, `"`, `\` and `]`.
#[must_use]
pub const fn is_atom_char(b: u8) -> bool {
    matches!(b, 0x21..=0x7e) && !matches!(b, b'(' | b')' | b'{' | b'%' | b'*' | b'"' | b'\\' | b']')
}

/// Whether `b` is an `ASTRING-CHAR` (RFC 9051 section 9): an `ATOM-CHAR`
/// or `]`.
#[must_use]
pub const fn is_astring_char(b: u8) -> bool {
    is_atom_char(b) || b == b']'
}

/// Whether `b` may appear in a `tag` (RFC 9051 section 9): an
/// `ASTRING-CHAR` other than `+`.
#[must_use]
pub const fn is_tag_char(b: u8) -> bool {
    is_astring_char(b) && b != b'+'
}

/// Turns bytes already checked to be printable ASCII into `&str`.
pub(crate) fn ascii_str(b: &[u8]) -> Result<&str, ValueError> {
    core::str::from_utf8(b).map_err(|e| ValueError::InvalidByte {
        what: "ASCII text",
        offset: e.valid_up_to(),
        byte: b.get(e.valid_up_to()).copied().unwrap_or(0),
    })
}

macro_rules! ascii_newtype {
    ($(#[$doc:meta])* $name:ident, $what:literal, $pred:path) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name<'a>(Cow<'a, str>);

        impl<'a> $name<'a> {
            /// Validates `s`: non-empty, and every byte allowed by the
            /// grammar rule.
            pub fn new(s: impl Into<Cow<'a, str>>) -> Result<Self, ValueError> {
                let s = s.into();
                check_bytes($what, s.as_bytes(), false, $pred)?;
                Ok($name(s))
            }

            /// Validates raw bytes (from the wire), borrowing them.
            pub fn from_bytes(b: &'a [u8]) -> Result<Self, ValueError> {
                check_bytes($what, b, false, $pred)?;
                Ok($name(Cow::Borrowed(ascii_str(b)?)))
            }

            /// The text, as on the wire.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The same value, owning its text.
            #[must_use]
            pub fn into_owned(self) -> $name<'static> {
                $name(Cow::Owned(self.0.into_owned()))
            }
        }

        impl fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({:?})"), &*self.0)
            }
        }

        impl fmt::Display for $name<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name<'_> {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

ascii_newtype!(
    /// An `atom` (RFC 3501 section 4.1, RFC 9051 section 4.1): one or more
    /// printable US-ASCII characters other than the `atom-specials`.
    ///
    /// Atoms name commands, capabilities, flag keywords and response codes;
    /// matching them is usually case-insensitive, which is up to the user
    /// (`eq_ignore_ascii_case`), since the value keeps the case it had.
    ///
    /// ```
    /// use imap_proto::types::Atom;
    /// assert_eq!(Atom::new("$Junk").unwrap().as_str(), "$Junk");
    /// assert!(Atom::new("two words").is_err());
    /// assert!(Atom::new("a]").is_err()); // "]" is a resp-special
    /// ```
    Atom,
    "atom",
    is_atom_char
);

ascii_newtype!(
    /// A command `tag` (RFC 3501 section 2.2.1, RFC 9051 section 2.2.1):
    /// one or more `ASTRING-CHAR`s other than `+`, so it can never be
    /// mistaken for a continuation request, `*` or an empty word.
    ///
    /// ```
    /// use imap_proto::types::Tag;
    /// assert!(Tag::new("a001").is_ok());
    /// assert!(Tag::new("a+1").is_err());
    /// assert!(Tag::new("*").is_err());
    /// ```
    Tag,
    "tag",
    is_tag_char
);

impl<'a> Atom<'a> {
    /// Wraps text the parser already checked.
    pub(crate) fn from_checked(s: &'a str) -> Self {
        Atom(Cow::Borrowed(s))
    }
}

impl<'a> Tag<'a> {
    /// Wraps text the parser already checked.
    pub(crate) fn from_checked(s: &'a str) -> Self {
        Tag(Cow::Borrowed(s))
    }
}
