//! Validated newtypes: every value that reaches the wire is checked when it
//! is built, so the encoders cannot write a CR, LF or NUL where the grammar
//! forbids it, and cannot exceed a length limit of the RFCs.

use core::fmt;
use core::num::NonZeroU32;
use std::borrow::Cow;

/// Longest command argument, in octets. RFC 1939 section 3 allowed 40
/// characters; RFC 2449 section 4 raised the limit of the whole command to
/// 255 octets with its CRLF, which leaves 248 octets after a four-letter
/// keyword and its space. User names such as `first.last@sub.example.org`
/// need the room. The command line limit ([`crate::Limits::max_command_len`])
/// still bounds a command with several arguments.
pub const MAX_ARG_LEN: usize = 248;

/// Longest `LANG` argument, in octets (RFC 6856 section 3 uses the
/// RFC 1939 argument length).
pub const MAX_LANG_TAG_LEN: usize = 40;

/// Longest unique-id, in octets: RFC 1939 section 7 (`UIDL`: "1 to 70
/// characters in the range 0x21 to 0x7E").
pub const MAX_UID_LEN: usize = 70;

/// Why a value cannot be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum ValueError {
    /// The value is empty where at least one octet is required.
    #[error("empty {what}")]
    Empty {
        /// The kind of value.
        what: &'static str,
    },
    /// The value is longer than its limit.
    #[error("{what} longer than {max} octets")]
    TooLong {
        /// The kind of value.
        what: &'static str,
        /// The limit, in octets.
        max: usize,
    },
    /// A byte the grammar does not allow in this value.
    #[error("byte 0x{byte:02x} at offset {offset} is not allowed in {what}")]
    InvalidByte {
        /// The kind of value.
        what: &'static str,
        /// Where the byte is.
        offset: usize,
        /// The byte.
        byte: u8,
    },
    /// The value is not valid UTF-8.
    #[error("{what} is not valid UTF-8")]
    Utf8 {
        /// The kind of value.
        what: &'static str,
    },
    /// A message number of zero or one that does not fit in 32 bits.
    #[error("message number out of range (1 to 4294967295)")]
    MessageNumber,
}

fn check_len(what: &'static str, v: &[u8], max: usize) -> Result<(), ValueError> {
    if v.is_empty() {
        return Err(ValueError::Empty { what });
    }
    if v.len() > max {
        return Err(ValueError::TooLong { what, max });
    }
    Ok(())
}

fn check_bytes(what: &'static str, v: &[u8], ok: impl Fn(u8) -> bool) -> Result<(), ValueError> {
    match v.iter().position(|&b| !ok(b)) {
        Some(offset) => Err(ValueError::InvalidByte {
            what,
            offset,
            byte: v.get(offset).copied().unwrap_or(0),
        }),
        None => Ok(()),
    }
}

/// A message number (RFC 1939 section 5): 1 or more. Zero and numbers that do
/// not fit in 32 bits are refused by the parser, so a maildrop of up to
/// 4,294,967,295 messages can be addressed and no arithmetic can overflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MsgNum(NonZeroU32);

impl MsgNum {
    /// The message number `n`, or an error for 0.
    pub fn new(n: u32) -> Result<Self, ValueError> {
        NonZeroU32::new(n)
            .map(MsgNum)
            .ok_or(ValueError::MessageNumber)
    }

    /// The number.
    #[must_use]
    pub fn get(self) -> u32 {
        self.0.get()
    }

    /// The zero-based index of this message (`number - 1`), for indexing a
    /// list of messages.
    #[must_use]
    pub fn index(self) -> usize {
        (self.0.get() - 1) as usize
    }

    /// The message number of the zero-based `index`, if it fits.
    #[must_use]
    pub fn from_index(index: usize) -> Option<Self> {
        u32::try_from(index)
            .ok()
            .and_then(|i| i.checked_add(1))
            .and_then(NonZeroU32::new)
            .map(MsgNum)
    }
}

impl fmt::Display for MsgNum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Whether `b` may appear in a command argument or keyword: printable ASCII
/// other than space (RFC 1939 section 3), or an octet of a UTF-8 sequence
/// (RFC 6856 section 2 allows UTF-8 arguments after the `UTF8` command).
pub(crate) fn is_arg_byte(b: u8) -> bool {
    (0x21..=0x7e).contains(&b) || b >= 0x80
}

/// A command argument (a user name, a verb...): 1 to [`MAX_ARG_LEN`]
/// octets of printable characters other than space, in UTF-8.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Arg<'a>(Cow<'a, str>);

impl<'a> Arg<'a> {
    /// Validates `s` as an argument.
    pub fn new(s: impl Into<Cow<'a, str>>) -> Result<Self, ValueError> {
        let s = s.into();
        Self::check(s.as_bytes())?;
        Ok(Arg(s))
    }

    /// Validates raw bytes (from the wire) as an argument, borrowing them.
    pub fn from_bytes(b: &'a [u8]) -> Result<Self, ValueError> {
        Self::check(b)?;
        let s = core::str::from_utf8(b).map_err(|_| ValueError::Utf8 { what: "argument" })?;
        Ok(Arg(Cow::Borrowed(s)))
    }

    fn check(b: &[u8]) -> Result<(), ValueError> {
        check_len("argument", b, MAX_ARG_LEN)?;
        check_bytes("argument", b, is_arg_byte)
    }

    /// The argument.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> Arg<'static> {
        Arg(Cow::Owned(self.0.into_owned()))
    }
}

impl fmt::Debug for Arg<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Arg({:?})", &*self.0)
    }
}

impl fmt::Display for Arg<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether `b` may appear in free text on a line: anything but CR, LF and NUL.
pub(crate) fn is_text_byte(b: u8) -> bool {
    b != b'\r' && b != b'\n' && b != 0
}

/// A password (the argument of `PASS`). RFC 1939 section 7 lets it contain
/// spaces: it runs to the end of the line. It may not contain CR, LF or NUL
/// and is at most [`MAX_PASS_LEN`] octets. `Debug` does not show it.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret<'a>(Cow<'a, [u8]>);

/// Longest password accepted in `PASS`, in octets. RFC 2449 section 4
/// limits a command line to 255 octets with its CRLF; `PASS ` takes 5.
pub const MAX_PASS_LEN: usize = 248;

impl<'a> Secret<'a> {
    /// Validates a password.
    pub fn new(b: impl Into<Cow<'a, [u8]>>) -> Result<Self, ValueError> {
        let b = b.into();
        check_len("password", &b, MAX_PASS_LEN)?;
        check_bytes("password", &b, is_text_byte)?;
        Ok(Secret(b))
    }

    /// The password's bytes. Named so that its uses stand out in review.
    #[must_use]
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// The same value, owning its bytes.
    #[must_use]
    pub fn into_owned(self) -> Secret<'static> {
        Secret(Cow::Owned(self.0.into_owned()))
    }
}

impl fmt::Debug for Secret<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<hidden>)")
    }
}

/// The digest argument of `APOP` (RFC 1939 section 7): 16 octets, written
/// as 32 lower-case hexadecimal digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ApopDigest(pub [u8; 16]);

impl ApopDigest {
    /// Parses 32 hexadecimal digits (either case is accepted; the encoder
    /// writes lower case as the RFC asks).
    pub fn from_hex(hex: &[u8]) -> Result<Self, ValueError> {
        if hex.len() != 32 {
            return Err(ValueError::TooLong {
                what: "APOP digest (32 hex digits)",
                max: 32,
            });
        }
        let mut out = [0u8; 16];
        for (i, (o, pair)) in out.iter_mut().zip(hex.chunks_exact(2)).enumerate() {
            let mut v = 0u8;
            for (j, &c) in pair.iter().enumerate() {
                let d = match c {
                    b'0'..=b'9' => c - b'0',
                    b'a'..=b'f' => c - b'a' + 10,
                    b'A'..=b'F' => c - b'A' + 10,
                    _ => {
                        return Err(ValueError::InvalidByte {
                            what: "APOP digest",
                            offset: i * 2 + j,
                            byte: c,
                        });
                    }
                };
                v = (v << 4) | d;
            }
            *o = v;
        }
        Ok(ApopDigest(out))
    }

    /// The 32 lower-case hexadecimal digits.
    #[must_use]
    pub fn to_hex(&self) -> [u8; 32] {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 32];
        for (o, b) in out.chunks_exact_mut(2).zip(self.0.iter()) {
            if let [hi, lo] = o {
                *hi = HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
                *lo = HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0');
            }
        }
        out
    }
}

impl fmt::Debug for ApopDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hex = self.to_hex();
        write!(f, "ApopDigest({})", String::from_utf8_lossy(&hex))
    }
}

/// Whether `b` is a base64 character (RFC 4648 section 4), `=` included.
pub(crate) fn is_base64_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'='
}

/// Base64 text of a SASL exchange, still encoded: the initial response of
/// `AUTH` (where `=` stands for an empty response, RFC 5034 section 4) or the
/// challenge of a `+ ` continuation. Only base64 characters are allowed, so
/// the value cannot break a line; decoding (and its size limit) is done by
/// `mail_wire::sasl` when the exchange needs the data.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Base64<'a>(Cow<'a, str>);

impl<'a> Base64<'a> {
    /// Validates base64 text (may be empty: an empty challenge).
    pub fn new(s: impl Into<Cow<'a, str>>) -> Result<Self, ValueError> {
        let s = s.into();
        check_bytes("base64 text", s.as_bytes(), is_base64_byte)?;
        Ok(Base64(s))
    }

    /// Validates raw bytes from the wire, borrowing them.
    pub fn from_bytes(b: &'a [u8]) -> Result<Self, ValueError> {
        check_bytes("base64 text", b, is_base64_byte)?;
        // Only ASCII is left, so this cannot fail.
        let s = core::str::from_utf8(b).map_err(|_| ValueError::Utf8 {
            what: "base64 text",
        })?;
        Ok(Base64(Cow::Borrowed(s)))
    }

    /// Encodes `data` (`=` for empty data when `initial` is true, as an
    /// initial response must be written; nothing for an empty challenge).
    #[must_use]
    pub fn encode(data: &[u8], initial: bool) -> Base64<'static> {
        let mut out = Vec::new();
        if initial {
            mail_wire::sasl::encode_initial_response(data, &mut out);
        } else {
            mail_wire::sasl::encode_base64(data, &mut out);
        }
        Base64(Cow::Owned(String::from_utf8_lossy(&out).into_owned()))
    }

    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> Base64<'static> {
        Base64(Cow::Owned(self.0.into_owned()))
    }
}

impl fmt::Debug for Base64<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // SASL data can carry credentials (PLAIN); show only its size.
        write!(f, "Base64(<{} octets>)", self.0.len())
    }
}

/// A unique-id listing's id (RFC 1939 section 7, `UIDL`): 1 to 70 octets in
/// the range 0x21 to 0x7E.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Uid<'a>(Cow<'a, str>);

impl<'a> Uid<'a> {
    /// Validates a unique-id.
    pub fn new(s: impl Into<Cow<'a, str>>) -> Result<Self, ValueError> {
        let s = s.into();
        Self::check(s.as_bytes())?;
        Ok(Uid(s))
    }

    /// Validates raw bytes from the wire, borrowing them.
    pub fn from_bytes(b: &'a [u8]) -> Result<Self, ValueError> {
        Self::check(b)?;
        let s = core::str::from_utf8(b).map_err(|_| ValueError::Utf8 { what: "unique-id" })?;
        Ok(Uid(Cow::Borrowed(s)))
    }

    fn check(b: &[u8]) -> Result<(), ValueError> {
        check_len("unique-id", b, MAX_UID_LEN)?;
        check_bytes("unique-id", b, |c| (0x21..=0x7e).contains(&c))
    }

    /// The id.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> Uid<'static> {
        Uid(Cow::Owned(self.0.into_owned()))
    }
}

impl fmt::Debug for Uid<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Uid({:?})", &*self.0)
    }
}

impl fmt::Display for Uid<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Free text on a response or capability line: any octets but CR, LF and
/// NUL, kept byte-exact (servers send Latin-1 and UTF-8 alike, so it is not
/// required to be UTF-8; [`Text::to_str_lossy`] shows it).
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Text<'a>(Cow<'a, [u8]>);

impl<'a> Text<'a> {
    /// Validates text.
    pub fn new(b: impl Into<Cow<'a, [u8]>>) -> Result<Self, ValueError> {
        let b = b.into();
        check_bytes("text", &b, is_text_byte)?;
        Ok(Text(b))
    }

    /// Empty text.
    #[must_use]
    pub fn empty() -> Text<'static> {
        Text(Cow::Borrowed(b""))
    }

    /// The octets.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Whether the text is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The text as UTF-8, with invalid sequences replaced.
    #[must_use]
    pub fn to_str_lossy(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.0)
    }

    /// The same value, owning its bytes.
    #[must_use]
    pub fn into_owned(self) -> Text<'static> {
        Text(Cow::Owned(self.0.into_owned()))
    }
}

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Text({:?})", self.to_str_lossy())
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_str_lossy())
    }
}

impl<'a> TryFrom<&'a str> for Text<'a> {
    type Error = ValueError;
    fn try_from(s: &'a str) -> Result<Self, ValueError> {
        Text::new(s.as_bytes())
    }
}

/// The argument of `LANG` (RFC 6856 section 3): `*` or a language tag of
/// letters, digits and `-`, at most 40 octets.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct LangTag<'a>(Cow<'a, str>);

impl<'a> LangTag<'a> {
    /// Validates a language tag or `*`.
    pub fn new(s: impl Into<Cow<'a, str>>) -> Result<Self, ValueError> {
        let s = s.into();
        Self::check(s.as_bytes())?;
        Ok(LangTag(s))
    }

    /// Validates raw bytes from the wire, borrowing them.
    pub fn from_bytes(b: &'a [u8]) -> Result<Self, ValueError> {
        Self::check(b)?;
        let s = core::str::from_utf8(b).map_err(|_| ValueError::Utf8 {
            what: "language tag",
        })?;
        Ok(LangTag(Cow::Borrowed(s)))
    }

    fn check(b: &[u8]) -> Result<(), ValueError> {
        check_len("language tag", b, MAX_LANG_TAG_LEN)?;
        if b == b"*" {
            return Ok(());
        }
        check_bytes("language tag", b, |c| {
            c.is_ascii_alphanumeric() || c == b'-'
        })
    }

    /// The tag.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> LangTag<'static> {
        LangTag(Cow::Owned(self.0.into_owned()))
    }
}

impl fmt::Debug for LangTag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LangTag({:?})", &*self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newtypes_refuse_what_breaks_the_wire() {
        assert!(MsgNum::new(0).is_err());
        assert_eq!(MsgNum::new(1).unwrap().index(), 0);
        assert_eq!(MsgNum::from_index(u32::MAX as usize), None);
        assert!(Arg::new("a b").is_err());
        assert!(Arg::new("").is_err());
        assert!(Arg::new("x".repeat(249)).is_err());
        assert!(Arg::new("first.last@subdomain.example.org.with.a.long.name").is_ok());
        assert!(Arg::new("mrose").is_ok());
        assert!(Secret::new(&b"with space"[..]).is_ok());
        assert!(Secret::new(&b"a\r\nQUIT"[..]).is_err());
        assert_eq!(
            format!("{:?}", Secret::new(&b"pw"[..]).unwrap()),
            "Secret(<hidden>)"
        );
        assert!(Uid::new("whqtswO00WBw418f9t5JxYwZ").is_ok());
        assert!(Uid::new("x".repeat(71)).is_err());
        assert!(Text::new(&b"ok\0"[..]).is_err());
        assert!(Base64::new("dGVzdA==").is_ok());
        assert!(Base64::new("a b").is_err());
        assert!(LangTag::new("*").is_ok());
        assert!(LangTag::new("en-US").is_ok());
        assert!(LangTag::new("e n").is_err());
        let d = ApopDigest::from_hex(b"c4c9334bac560ecc979e58001b3e22fb").unwrap();
        assert_eq!(&d.to_hex(), b"c4c9334bac560ecc979e58001b3e22fb");
        assert!(ApopDigest::from_hex(b"c4c9334bac560ecc979e58001b3e22fg").is_err());
    }
}
