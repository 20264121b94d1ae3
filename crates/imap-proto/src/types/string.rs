//! Strings: `quoted`, `literal`, `literal8`, `string`, `astring` and
//! `nstring` (RFC 3501 section 4.3, RFC 9051 section 4.3, RFC 3516
//! section 4.2, RFC 7888 section 8).
//!
//! ```text
//! astring  = 1*ASTRING-CHAR / string
//! string   = quoted / literal
//! nstring  = string / nil
//! quoted   = DQUOTE *QUOTED-CHAR DQUOTE
//! literal  = "{" number64 ["+"] "}" CRLF *CHAR8
//! literal8 = "~{" number64 ["+"] "}" CRLF *OCTET
//! ```
//!
//! [`IString`], [`AString`] and [`NString`] hold the *content* only: the
//! encoder picks the smallest valid wire form (atom where allowed, then
//! quoted, then literal), so two values with the same text are equal
//! whatever form they arrived in. [`Quoted`], [`Literal`] and
//! [`Literal8`] are for the places where one form is wanted.

use core::fmt;
use std::borrow::Cow;

use super::error::{ValueError, check_bytes};

/// Largest literal that LITERAL- (RFC 7888 section 5) lets a client send
/// without synchronising.
pub const LITERAL_MINUS_MAX: usize = 4096;

/// Whether a literal waits for the server's continuation request
/// (RFC 9051 section 4.3, RFC 7888 section 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum LiteralMode {
    /// `{n}`: the client sends the line up to `{n}` CRLF, then waits for
    /// `+` before sending the data. Servers always send this form.
    #[default]
    Sync,
    /// `{n+}`: the data follows at once (LITERAL+, or LITERAL- up to
    /// [`LITERAL_MINUS_MAX`] octets; RFC 7888 sections 3 and 5).
    NonSync,
}

/// Whether `b` is a `TEXT-CHAR` or 8-bit byte allowed between the quotes
/// of a `quoted`: anything but CR, LF and NUL (RFC 9051 section 9).
pub(crate) const fn is_quotable_byte(b: u8) -> bool {
    !matches!(b, b'\r' | b'\n' | 0)
}

/// Bytes a `literal` may carry: `CHAR8`, any octet but NUL (RFC 9051
/// section 9).
pub(crate) const fn is_char8(b: u8) -> bool {
    b != 0
}

/// A `quoted` string's content (RFC 9051 section 4.3): text without CR,
/// LF or NUL, kept unescaped (`\"` and `\\` are undone by the parser and
/// redone by the encoder).
///
/// Non-ASCII text is valid in a quoted string only under UTF8=ACCEPT
/// (RFC 6855 section 3, RFC 9051 section 9 `QUOTED-CHAR`). If the encoder
/// is not told that UTF8=ACCEPT is in use, it writes a non-ASCII `Quoted`
/// as a literal, which is the only valid form left.
///
/// ```
/// use imap_proto::types::Quoted;
/// let q = Quoted::new(r#"say "hi" \o/"#).unwrap();
/// assert_eq!(q.as_str(), r#"say "hi" \o/"#);
/// assert!(Quoted::new("two\r\nlines").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quoted<'a>(Cow<'a, str>);

impl<'a> Quoted<'a> {
    /// Validates `s`: no CR, LF or NUL. May be empty.
    pub fn new(s: impl Into<Cow<'a, str>>) -> Result<Self, ValueError> {
        let s = s.into();
        check_bytes("quoted string", s.as_bytes(), true, is_quotable_byte)?;
        Ok(Quoted(s))
    }

    /// Wraps text the parser already checked.
    pub(crate) fn from_checked(s: Cow<'a, str>) -> Self {
        Quoted(s)
    }

    /// The unescaped text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> Quoted<'static> {
        Quoted(Cow::Owned(self.0.into_owned()))
    }
}

impl fmt::Debug for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Quoted({:?})", &*self.0)
    }
}

/// Shows bytes as text where they are UTF-8, escaped otherwise.
fn debug_bytes(name: &str, b: &[u8], f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match core::str::from_utf8(b) {
        Ok(s) => write!(f, "{name}({s:?})"),
        Err(_) => write!(f, "{name}(b\"{}\")", b.escape_ascii()),
    }
}

macro_rules! bytes_newtype {
    ($(#[$doc:meta])* $name:ident, $what:literal, $pred:path) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name<'a>(Cow<'a, [u8]>);

        impl<'a> $name<'a> {
            /// Validates `content`. It may be empty.
            pub fn new(content: impl Into<Cow<'a, [u8]>>) -> Result<Self, ValueError> {
                let content = content.into();
                check_bytes($what, &content, true, $pred)?;
                Ok($name(content))
            }

            /// Wraps content the parser already checked.
            #[allow(dead_code)]
            pub(crate) fn from_checked(content: Cow<'a, [u8]>) -> Self {
                $name(content)
            }

            /// The content octets.
            #[must_use]
            pub fn as_bytes(&self) -> &[u8] {
                &self.0
            }

            /// The content as text, if it is UTF-8.
            pub fn to_str(&self) -> Result<&str, core::str::Utf8Error> {
                core::str::from_utf8(&self.0)
            }

            /// The content, owned or borrowed as it was built.
            #[must_use]
            pub fn into_inner(self) -> Cow<'a, [u8]> {
                self.0
            }

            /// The same value, owning its content.
            #[must_use]
            pub fn into_owned(self) -> $name<'static> {
                $name(Cow::Owned(self.0.into_owned()))
            }
        }

        impl fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                debug_bytes(stringify!($name), &self.0, f)
            }
        }

        impl AsRef<[u8]> for $name<'_> {
            fn as_ref(&self) -> &[u8] {
                &self.0
            }
        }

        impl<'a> TryFrom<&'a str> for $name<'a> {
            type Error = ValueError;
            fn try_from(s: &'a str) -> Result<Self, ValueError> {
                $name::new(s.as_bytes())
            }
        }
    };
}

bytes_newtype!(
    /// A `string` (RFC 9051 section 4.3): content that goes on the wire as
    /// a quoted string or a literal. Any octets but NUL; may be empty.
    ///
    /// The encoder writes it quoted when it can (no CR or LF, and ASCII or
    /// UTF-8 under UTF8=ACCEPT), else as a literal.
    ///
    /// ```
    /// use imap_proto::types::IString;
    /// assert!(IString::new(&b"line\r\nbreak"[..]).is_ok()); // as a literal
    /// assert!(IString::new(&b"nul\0"[..]).is_err());
    /// ```
    IString,
    "string",
    is_char8
);

bytes_newtype!(
    /// An `astring` (RFC 9051 section 9): an atom-like word of
    /// `ASTRING-CHAR`s, or a `string`. Any octets but NUL; may be empty.
    ///
    /// The encoder writes it bare when every octet is an `ASTRING-CHAR`,
    /// else like an [`IString`].
    ///
    /// ```
    /// use imap_proto::types::AString;
    /// use imap_proto::encode::{Encode, EncodeOptions, Encoder};
    /// let mut e = Encoder::new(EncodeOptions::default());
    /// AString::try_from("fred").unwrap().encode(&mut e);
    /// e.sp();
    /// AString::try_from("my password").unwrap().encode(&mut e);
    /// assert_eq!(e.to_bytes(), b"fred \"my password\"");
    /// ```
    AString,
    "astring",
    is_char8
);

impl<'a> From<IString<'a>> for AString<'a> {
    fn from(s: IString<'a>) -> Self {
        AString(s.0)
    }
}

impl<'a> From<AString<'a>> for IString<'a> {
    fn from(s: AString<'a>) -> Self {
        IString(s.0)
    }
}

impl<'a> From<Quoted<'a>> for IString<'a> {
    fn from(q: Quoted<'a>) -> Self {
        IString(match q.0 {
            Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
        })
    }
}

/// An `nstring` (RFC 9051 section 4.5): a `string` or `NIL`.
///
/// A string whose text is `NIL` is always written quoted, so it cannot be
/// read back as `NIL`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct NString<'a>(pub Option<IString<'a>>);

impl<'a> NString<'a> {
    /// `NIL`.
    pub const NIL: NString<'static> = NString(None);

    /// The string, or `None` for `NIL`.
    #[must_use]
    pub fn string(&self) -> Option<&IString<'a>> {
        self.0.as_ref()
    }

    /// Whether this is `NIL`.
    #[must_use]
    pub fn is_nil(&self) -> bool {
        self.0.is_none()
    }

    /// The same value, owning its content.
    #[must_use]
    pub fn into_owned(self) -> NString<'static> {
        NString(self.0.map(IString::into_owned))
    }
}

impl<'a> From<IString<'a>> for NString<'a> {
    fn from(s: IString<'a>) -> Self {
        NString(Some(s))
    }
}

impl<'a> From<Option<IString<'a>>> for NString<'a> {
    fn from(s: Option<IString<'a>>) -> Self {
        NString(s)
    }
}

/// The accessors `Literal` and `Literal8` share, and a `Debug` that shows
/// the length and mode rather than the data (which may be large or secret).
macro_rules! literal_common {
    ($t:ident) => {
        impl $t<'_> {
            /// The data octets.
            #[must_use]
            pub fn data(&self) -> &[u8] {
                &self.data
            }

            /// The requested synchronisation mode.
            #[must_use]
            pub fn mode(&self) -> LiteralMode {
                self.mode
            }

            /// The same value, owning its data.
            #[must_use]
            pub fn into_owned(self) -> $t<'static> {
                $t {
                    data: Cow::Owned(self.data.into_owned()),
                    mode: self.mode,
                }
            }
        }

        impl fmt::Debug for $t<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($t))
                    .field("len", &self.data.len())
                    .field("mode", &self.mode)
                    .finish()
            }
        }
    };
}

/// A `literal` (RFC 9051 section 4.3): octets other than NUL, always
/// written as `{n}` CRLF data (or `{n+}` for [`LiteralMode::NonSync`]).
///
/// The encoder keeps [`LiteralMode::Sync`] as asked; it writes
/// [`LiteralMode::NonSync`] only when the peer allows it (LITERAL+, or
/// LITERAL- and at most [`LITERAL_MINUS_MAX`] octets) and falls back to a
/// synchronising literal otherwise.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Literal<'a> {
    data: Cow<'a, [u8]>,
    mode: LiteralMode,
}

impl<'a> Literal<'a> {
    /// Validates `data` (no NUL: `CHAR8`, RFC 9051 section 9).
    pub fn new(data: impl Into<Cow<'a, [u8]>>, mode: LiteralMode) -> Result<Self, ValueError> {
        let data = data.into();
        check_bytes("literal", &data, true, is_char8)?;
        Ok(Literal { data, mode })
    }

    /// Wraps data the parser already checked.
    pub(crate) fn from_checked(data: &'a [u8], mode: LiteralMode) -> Self {
        Literal {
            data: Cow::Borrowed(data),
            mode,
        }
    }
}

literal_common!(Literal);

impl<'a> From<Literal<'a>> for IString<'a> {
    fn from(l: Literal<'a>) -> Self {
        IString(l.data)
    }
}

/// A `literal8` (RFC 3516 section 4.2, extended by RFC 4466 section 2.1
/// and RFC 7888 section 6): `~{n}` CRLF and any octets, NUL included.
/// Used by BINARY for APPEND data and FETCH BINARY results.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Literal8<'a> {
    data: Cow<'a, [u8]>,
    mode: LiteralMode,
}

impl<'a> Literal8<'a> {
    /// Any octets.
    #[must_use]
    pub fn new(data: impl Into<Cow<'a, [u8]>>, mode: LiteralMode) -> Self {
        Literal8 {
            data: data.into(),
            mode,
        }
    }
}

literal_common!(Literal8);
