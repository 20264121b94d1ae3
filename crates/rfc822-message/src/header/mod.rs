//! Header field values: typed, zero-copy parsers for the fields of RFC 5322
//! and MIME.
//!
//! Every parser takes the *raw* field value: the bytes after `Name:` up to,
//! not including, the CRLF that ends the field, as they stand in the message
//! (folds, comments, 8-bit UTF-8 per RFC 6532 and all). Parsed values borrow
//! from those bytes and offer `into_owned()`.
//!
//! Real mail breaks the grammar in a few well-known ways. Where a value can
//! still be read without guessing, the parsers read it and record each
//! departure from the grammar as a [`Defects`] flag on the value, so nothing
//! is accepted silently: a caller that wants strict RFC conformance checks
//! that `defects()` is empty. Where a value cannot be read, the parser
//! returns an error with the byte offset.

use core::fmt;

pub mod address;
pub mod date;
pub mod encoded_word;
pub mod lex;
pub mod mime;
pub mod unstructured;

pub use address::{Address, AddressList, Group, Mailbox};
pub use date::DateTime;
pub use mime::{
    ContentDisposition, ContentLanguage, ContentTransferEncoding, ContentType, DispositionType,
    MimeError, Param, ParamValue,
};

/// The departures from the grammar a parser accepted while reading a value
/// (a set of flags). Empty for a value that follows the RFCs.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Defects(u32);

macro_rules! defects {
    ($($(#[$doc:meta])* $name:ident = $bit:expr;)*) => {
        impl Defects {
            $($(#[$doc])* pub const $name: Defects = Defects(1 << $bit);)*

            const NAMES: &'static [(&'static str, Defects)] = &[$((stringify!($name), Defects::$name)),*];
        }
    };
}

defects! {
    /// Two parameters were not separated by `;` (`text/plain charset=utf-8`).
    MISSING_SEMICOLON = 0;
    /// A `;` with no parameter after it (`text/plain; charset=utf-8;`),
    /// as many mailers write.
    EMPTY_PARAMETER = 1;
    /// An unquoted parameter value held characters a token cannot
    /// (spaces, `/`, 8-bit: `name=my file.pdf`); the value was read up to
    /// the next `;`.
    UNQUOTED_SPECIALS = 2;
    /// A quoted value had no closing quote; it was read to the end.
    UNTERMINATED_QUOTE = 3;
    /// A parameter could not be read at all and was skipped up to the next
    /// `;`.
    INVALID_PARAMETER = 4;
    /// The same parameter name appeared twice; the first one is used.
    DUPLICATE_PARAMETER = 5;
    /// An RFC 2231 value was malformed (missing `'` separators, bad `%`
    /// escape, a gap in the continuation numbers); what could be read was used.
    BAD_RFC2231 = 6;
    /// Unreadable text after the value was ignored.
    TRAILING_GARBAGE = 7;
    /// A comment was not closed; the rest of the value was ignored.
    UNCLOSED_COMMENT = 8;
    /// An RFC 2047 encoded word stood where the RFC forbids one (inside a
    /// quoted string, as Outlook and Gmail write parameter values), and was
    /// decoded.
    ENCODED_WORD_IN_QUOTED = 9;
    /// An RFC 2047 encoded word was malformed and is kept as literal text.
    BAD_ENCODED_WORD = 10;
    /// Text was not valid UTF-8 (or its declared charset) and was decoded
    /// with U+FFFD replacement characters.
    INVALID_TEXT = 11;
    /// An element of a list was empty (`a@b,,c@d`), allowed by the
    /// obsolete syntax of RFC 5322 section 4.4.
    EMPTY_LIST_ELEMENT = 12;
    /// Obsolete syntax of RFC 5322 section 4 was used (obs-local-part,
    /// obs-route, obs-phrase, obs-zone, two-digit year...).
    OBSOLETE_SYNTAX = 13;
    /// A display name held characters a phrase cannot (`.` or `@`
    /// unquoted: `John Q. Public <jqp@example.com>`).
    UNQUOTED_SPECIALS_IN_NAME = 14;
    /// An address had no domain (`<user>`).
    MISSING_DOMAIN = 15;
    /// A group lacked its closing `;`.
    MISSING_GROUP_END = 16;
    /// A closing `>` was missing.
    MISSING_ANGLE = 17;
    /// A date's day of week did not match its date.
    WRONG_DAY_OF_WEEK = 18;
    /// A local part had dots where even the obsolete syntax has none
    /// (`a..b@example.jp`, `.a@example.com`), as some mobile carriers issue.
    LOCAL_PART_DOTS = 19;
    /// A date had no zone; it was read as `-0000` (zone unknown).
    MISSING_ZONE = 20;
}

impl Defects {
    /// No defect.
    pub const NONE: Defects = Defects(0);

    /// Whether no defect was recorded.
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether every flag of `other` is set.
    #[must_use]
    pub fn contains(self, other: Defects) -> bool {
        self.0 & other.0 == other.0
    }

    /// Sets the flags of `other`.
    pub fn insert(&mut self, other: Defects) {
        self.0 |= other.0;
    }

    /// The raw bits.
    #[must_use]
    pub fn bits(self) -> u32 {
        self.0
    }
}

impl core::ops::BitOr for Defects {
    type Output = Defects;
    fn bitor(self, rhs: Defects) -> Defects {
        Defects(self.0 | rhs.0)
    }
}

impl core::ops::BitOrAssign for Defects {
    fn bitor_assign(&mut self, rhs: Defects) {
        self.0 |= rhs.0;
    }
}

impl fmt::Debug for Defects {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut set = f.debug_set();
        for (name, flag) in Defects::NAMES {
            if self.contains(*flag) {
                set.entry(&format_args!("{name}"));
            }
        }
        set.finish()
    }
}
