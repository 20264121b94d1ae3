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
//!
//! ```
//! use rfc822_message::header::{AddressList, ContentType, DateTime, unstructured};
//!
//! let ct = ContentType::parse(b" multipart/mixed;\r\n boundary=\"b1\"").unwrap();
//! assert!(ct.is_multipart());
//! assert_eq!(ct.boundary(), Some(&b"b1"[..]));
//!
//! let to = AddressList::parse(b" =?UTF-8?Q?J=C3=B6rg?= <j@example.com>, a@b.example").unwrap();
//! let first = to.mailboxes().next().unwrap();
//! assert_eq!(first.name().unwrap(), "J\u{f6}rg");
//! assert_eq!(first.name_raw().unwrap(), b"=?UTF-8?Q?J=C3=B6rg?=");
//!
//! let date = DateTime::parse(b" Fri, 21 Nov 1997 09:55:06 -0600").unwrap();
//! assert_eq!(date.to_unix(), 880_127_706);
//!
//! assert_eq!(unstructured::decode(b" Re:\r\n =?utf-8?B?w6l0w6k=?="), "Re: \u{e9}t\u{e9}");
//! ```

use core::fmt;

pub mod address;
pub mod date;
pub mod encoded_word;
pub mod ids;
pub mod keywords;
pub mod known;
pub mod lex;
pub mod mime;
pub mod received;
pub mod unstructured;

pub use address::{Address, AddressList, Group, Mailbox, MailboxParts};
pub use date::DateTime;
pub use ids::{IdList, MessageId};
pub use keywords::{Keyword, Keywords};
pub use known::KnownField;
pub use mime::{
    ContentDisposition, ContentLanguage, ContentTransferEncoding, ContentType, DispositionType,
    MimeError, Param, ParamValue, content_location,
};
pub use received::{Received, ReceivedClause};

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
    /// A date could not be read (in a Received field, where the rest of
    /// the field still is).
    INVALID_DATE = 21;
    /// A phrase other than a display name (an element of Keywords) held
    /// characters no phrase holds unquoted (`@`, `:`, `;`, `<`, a
    /// leading `.`...); they were kept as text.
    UNQUOTED_SPECIALS_IN_PHRASE = 22;
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

/// A header field name (RFC 5322 section 3.6.8 `field-name = 1*ftext`,
/// printable US-ASCII except `:`), compared, ordered and hashed
/// case-insensitively, displayed as written.
#[derive(Clone)]
pub struct HeaderName<'a>(std::borrow::Cow<'a, str>);

/// Longest field name accepted: a name must fit on a line of 998 octets
/// with its colon (RFC 5322 section 2.1.1).
const MAX_NAME_LEN: usize = 997;

impl<'a> HeaderName<'a> {
    /// A validated name.
    ///
    /// # Errors
    /// Empty, longer than 997 octets, or holding a byte outside `ftext`
    /// (control, space, `:`, 8-bit).
    pub fn new(name: &'a str) -> Result<HeaderName<'a>, mail_wire::SyntaxError> {
        Self::from_bytes(name.as_bytes())
    }

    /// A validated name from the bytes before the colon of a field.
    ///
    /// # Errors
    /// As [`HeaderName::new`].
    pub fn from_bytes(name: &'a [u8]) -> Result<HeaderName<'a>, mail_wire::SyntaxError> {
        if name.is_empty() {
            return Err(mail_wire::SyntaxError::at(name, 0, "a field name"));
        }
        if let Some(i) = name.iter().position(|&b| !matches!(b, 33..=57 | 59..=126)) {
            return Err(mail_wire::SyntaxError::at(
                name,
                i,
                "printable ASCII other than ':'",
            ));
        }
        if name.len() > MAX_NAME_LEN {
            return Err(mail_wire::SyntaxError::at(
                name,
                MAX_NAME_LEN,
                "a field name of at most 997 octets",
            ));
        }
        match core::str::from_utf8(name) {
            Ok(s) => Ok(HeaderName(std::borrow::Cow::Borrowed(s))),
            Err(e) => Err(mail_wire::SyntaxError::at(name, e.valid_up_to(), "ASCII")),
        }
    }

    /// The name as written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is `other`, case-insensitively.
    #[must_use]
    pub fn is(&self, other: &str) -> bool {
        self.0.eq_ignore_ascii_case(other)
    }

    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> HeaderName<'static> {
        HeaderName(std::borrow::Cow::Owned(self.0.into_owned()))
    }
}

impl PartialEq for HeaderName<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

impl Eq for HeaderName<'_> {}

impl PartialEq<str> for HeaderName<'_> {
    fn eq(&self, other: &str) -> bool {
        self.0.eq_ignore_ascii_case(other)
    }
}

impl PartialEq<&str> for HeaderName<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.0.eq_ignore_ascii_case(other)
    }
}

impl core::hash::Hash for HeaderName<'_> {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        for b in self.0.bytes() {
            state.write_u8(b.to_ascii_lowercase());
        }
        state.write_u8(0xff);
    }
}

impl PartialOrd for HeaderName<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for HeaderName<'_> {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.0
            .bytes()
            .map(|b| b.to_ascii_lowercase())
            .cmp(other.0.bytes().map(|b| b.to_ascii_lowercase()))
    }
}

impl fmt::Debug for HeaderName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for HeaderName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

macro_rules! names {
    ($($(#[$doc:meta])* $name:ident = $text:literal;)*) => {
        /// Well-known field names, spelled as the RFCs do.
        impl HeaderName<'static> {
            $($(#[$doc])* pub const $name: HeaderName<'static> =
                HeaderName(std::borrow::Cow::Borrowed($text));)*
        }
    };
}

names! {
    /// `Date` (RFC 5322 section 3.6.1).
    DATE = "Date";
    /// `From` (section 3.6.2).
    FROM = "From";
    /// `Sender` (section 3.6.2).
    SENDER = "Sender";
    /// `Reply-To` (section 3.6.2).
    REPLY_TO = "Reply-To";
    /// `To` (section 3.6.3).
    TO = "To";
    /// `Cc` (section 3.6.3).
    CC = "Cc";
    /// `Bcc` (section 3.6.3).
    BCC = "Bcc";
    /// `Message-ID` (section 3.6.4).
    MESSAGE_ID = "Message-ID";
    /// `In-Reply-To` (section 3.6.4).
    IN_REPLY_TO = "In-Reply-To";
    /// `References` (section 3.6.4).
    REFERENCES = "References";
    /// `Subject` (section 3.6.5).
    SUBJECT = "Subject";
    /// `Comments` (section 3.6.5).
    COMMENTS = "Comments";
    /// `Keywords` (section 3.6.5).
    KEYWORDS = "Keywords";
    /// `Resent-Date` (section 3.6.6).
    RESENT_DATE = "Resent-Date";
    /// `Resent-From` (section 3.6.6).
    RESENT_FROM = "Resent-From";
    /// `Resent-Sender` (section 3.6.6).
    RESENT_SENDER = "Resent-Sender";
    /// `Resent-To` (section 3.6.6).
    RESENT_TO = "Resent-To";
    /// `Resent-Cc` (section 3.6.6).
    RESENT_CC = "Resent-Cc";
    /// `Resent-Bcc` (section 3.6.6).
    RESENT_BCC = "Resent-Bcc";
    /// `Resent-Message-ID` (section 3.6.6).
    RESENT_MESSAGE_ID = "Resent-Message-ID";
    /// `Return-Path` (section 3.6.7).
    RETURN_PATH = "Return-Path";
    /// `Received` (section 3.6.7).
    RECEIVED = "Received";
    /// `MIME-Version` (RFC 2045 section 4).
    MIME_VERSION = "MIME-Version";
    /// `Content-Type` (RFC 2045 section 5).
    CONTENT_TYPE = "Content-Type";
    /// `Content-Transfer-Encoding` (RFC 2045 section 6).
    CONTENT_TRANSFER_ENCODING = "Content-Transfer-Encoding";
    /// `Content-ID` (RFC 2045 section 7).
    CONTENT_ID = "Content-ID";
    /// `Content-Description` (RFC 2045 section 8).
    CONTENT_DESCRIPTION = "Content-Description";
    /// `Content-Disposition` (RFC 2183).
    CONTENT_DISPOSITION = "Content-Disposition";
    /// `Content-Language` (RFC 3282).
    CONTENT_LANGUAGE = "Content-Language";
    /// `Content-Location` (RFC 2557).
    CONTENT_LOCATION = "Content-Location";
}
