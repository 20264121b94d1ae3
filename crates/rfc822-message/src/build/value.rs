//! Validated values for header fields.
//!
//! Every constructor checks its input, so a value that exists can be
//! written. None of these types can hold a CR, LF or NUL, and the encoders
//! in this module encode any other control character instead of copying it,
//! so no value can start a new header line (header injection).

use std::borrow::Cow;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use mail_wire::LimitError;

use super::ValueError;
use crate::header::lex::is_token_char;
use crate::header::{Address, DateTime, Group, Mailbox, MessageId};

fn check_no_line_breaks(what: &'static str, s: &str) -> Result<(), ValueError> {
    match s.bytes().position(|b| matches!(b, b'\r' | b'\n' | 0)) {
        Some(at) => Err(ValueError::syntax(
            what,
            s.as_bytes(),
            at,
            "no CR, LF or NUL",
        )),
        None => Ok(()),
    }
}

/// Unstructured text (RFC 5322 section 3.2.5) such as a `Subject`, or a
/// display name: any Unicode except CR, LF and NUL.
///
/// CR, LF and NUL are *rejected* by [`Text::new`] (a decoded subject that
/// carried a line break would be a hazard for whoever displays or re-sends
/// it); [`Text::new_lossy`] replaces them instead. Every other character can
/// be written: non-ASCII and control characters go into RFC 2047 encoded
/// words (or raw UTF-8 under RFC 6532), so nothing in a `Text` reaches the
/// wire as a line break.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Text(String);

impl Text {
    /// Validated text.
    ///
    /// # Errors
    /// The text contains CR, LF or NUL.
    pub fn new(text: impl Into<String>) -> Result<Self, ValueError> {
        let text = text.into();
        check_no_line_breaks("text", &text)?;
        Ok(Text(text))
    }

    /// Text with each CR, LF or CRLF replaced by one space and NUL removed
    /// (what unfolding a header would have done).
    #[must_use]
    pub fn new_lossy(text: &str) -> Self {
        let mut s = String::with_capacity(text.len());
        let mut prev_cr = false;
        for c in text.chars() {
            match c {
                '\r' => s.push(' '),
                '\n' if prev_cr => {}
                '\n' => s.push(' '),
                '\0' => {}
                c => s.push(c),
            }
            prev_cr = c == '\r';
        }
        Text(s)
    }

    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<&str> for Text {
    type Error = ValueError;
    fn try_from(s: &str) -> Result<Self, ValueError> {
        Text::new(s)
    }
}

impl TryFrom<String> for Text {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, ValueError> {
        Text::new(s)
    }
}

/// Identifiers made by the builder side; the type and its validating
/// constructors are those of the header module.
impl MessageId<'static> {
    /// A new unique identifier `<hex>.<hex>@domain`, from a hash of the
    /// time, a process-wide counter and the process id (no random number
    /// crate: the hash keys of `std`'s `RandomState` are random).
    ///
    /// # Errors
    /// `domain` is not a valid `dot-atom-text` or literal.
    pub fn generate(domain: &str) -> Result<Self, mail_wire::SyntaxError> {
        MessageId::new(
            &format!("{:016x}.{:08x}", unique_u64(), std::process::id()),
            domain,
        )
    }

    /// A deterministic identifier derived from `seed`, for tests.
    ///
    /// # Errors
    /// `domain` is not a valid `dot-atom-text` or literal.
    pub fn from_seed(seed: u64, domain: &str) -> Result<Self, mail_wire::SyntaxError> {
        MessageId::new(&format!("{:016x}", splitmix64(seed)), domain)
    }
}

/// A well-mixed 64-bit value that differs on every call: the process-wide
/// counter and the clock, hashed with randomly keyed SipHash.
pub(crate) fn unique_u64() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(n);
    if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(t.as_nanos());
    }
    h.write_u32(std::process::id());
    h.finish()
}

/// SplitMix64: a fixed bijective mixer, for deterministic identifiers.
pub(crate) fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A field body given verbatim, for structured fields this module has no
/// type for. It may hold any printable text and SP/HTAB; CR, LF, NUL and
/// other control characters are refused. It is folded at its whitespace;
/// if a run without whitespace cannot fit in 998 octets the builder returns
/// an error. Non-ASCII needs [`BuildOptions::smtputf8`](super::BuildOptions).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RawValue(String);

impl RawValue {
    /// A validated raw field body.
    ///
    /// # Errors
    /// A control character other than HTAB.
    pub fn new(value: impl Into<String>) -> Result<Self, ValueError> {
        let value = value.into();
        if let Some(at) = value
            .bytes()
            .position(|b| (b < 0x20 && b != b'\t') || b == 0x7f)
        {
            return Err(ValueError::syntax(
                "raw header value",
                value.as_bytes(),
                at,
                "printable text or whitespace",
            ));
        }
        Ok(RawValue(value))
    }

    /// The value.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A media type such as `image/png` (RFC 2045 section 5.1): two tokens of
/// at most 127 characters each (RFC 6838 section 4.2).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MediaType {
    top: Cow<'static, str>,
    sub: Cow<'static, str>,
}

impl MediaType {
    /// A validated media type from its two halves.
    ///
    /// # Errors
    /// A half is empty, too long or not a `token`.
    pub fn new(top: &str, sub: &str) -> Result<Self, ValueError> {
        for part in [top, sub] {
            if part.len() > 127 {
                return Err(LimitError::new("media type length", 127).into());
            }
            if part.is_empty() {
                return Err(ValueError::syntax("media type", b"", 0, "a token"));
            }
            if let Some(at) = part.bytes().position(|b| !is_token_char(b)) {
                return Err(ValueError::syntax(
                    "media type",
                    part.as_bytes(),
                    at,
                    "a token character",
                ));
            }
        }
        Ok(MediaType {
            top: Cow::Owned(top.to_owned()),
            sub: Cow::Owned(sub.to_owned()),
        })
    }

    /// Parses `type/subtype`.
    ///
    /// # Errors
    /// No `/`, or a half is invalid.
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        match s.split_once('/') {
            Some((t, st)) => MediaType::new(t, st),
            None => Err(ValueError::syntax(
                "media type",
                s.as_bytes(),
                s.len(),
                "'/'",
            )),
        }
    }

    pub(crate) const fn known(top: &'static str, sub: &'static str) -> Self {
        MediaType {
            top: Cow::Borrowed(top),
            sub: Cow::Borrowed(sub),
        }
    }

    /// Whether this is a `text/*` type, whose line breaks are CRLF
    /// (RFC 2045 section 6.7 (4)); other types are binary data.
    #[must_use]
    pub fn is_text(&self) -> bool {
        self.top.eq_ignore_ascii_case("text")
    }

    /// `application/octet-stream`.
    #[must_use]
    pub const fn octet_stream() -> Self {
        MediaType::known("application", "octet-stream")
    }

    /// The top-level type (`image`).
    #[must_use]
    pub fn top(&self) -> &str {
        &self.top
    }

    /// The subtype (`png`).
    #[must_use]
    pub fn sub(&self) -> &str {
        &self.sub
    }
}

/// A MIME parameter (RFC 2045 section 5.1) with any text value: values
/// that are not a token are quoted, and long or non-ASCII ones are
/// written with RFC 2231 continuations and charset.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Parameter {
    name: Cow<'static, str>,
    value: Text,
}

impl Parameter {
    /// Longest accepted parameter name.
    pub const MAX_NAME_LEN: usize = 40;

    /// A validated parameter. The name is a token without `*`, `'` or `%`
    /// (RFC 2231 `attribute-char`), at most [`Self::MAX_NAME_LEN`] long.
    ///
    /// # Errors
    /// Invalid name, or a value with CR, LF or NUL.
    pub fn new(name: &str, value: &str) -> Result<Self, ValueError> {
        if name.len() > Self::MAX_NAME_LEN {
            return Err(LimitError::new("parameter name length", Self::MAX_NAME_LEN as u64).into());
        }
        if name.is_empty() {
            return Err(ValueError::syntax("parameter name", b"", 0, "a token"));
        }
        if let Some(at) = name
            .bytes()
            .position(|b| !is_token_char(b) || matches!(b, b'*' | b'\'' | b'%'))
        {
            return Err(ValueError::syntax(
                "parameter name",
                name.as_bytes(),
                at,
                "an attribute-char (RFC 2231)",
            ));
        }
        Ok(Parameter {
            name: Cow::Owned(name.to_owned()),
            value: Text::new(value)?,
        })
    }

    /// The parameter name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value.
    #[must_use]
    pub fn value(&self) -> &str {
        self.value.as_str()
    }
}

/// The body of a header field, typed so that the builder can encode and
/// fold it correctly.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FieldValue {
    /// Unstructured text (`Subject`, `Comments`, `X-*` free text).
    Text(Text),
    /// An address list (`From`, `To`, `Cc`, `Reply-To`...).
    Addresses(Vec<Address<'static>>),
    /// A date (`Date`, `Resent-Date`).
    Date(DateTime),
    /// One or more message identifiers (`Message-ID`, `In-Reply-To`,
    /// `References`).
    MessageIds(Vec<MessageId<'static>>),
    /// A verbatim structured value.
    Raw(RawValue),
}

impl From<Text> for FieldValue {
    fn from(v: Text) -> Self {
        FieldValue::Text(v)
    }
}
impl From<Mailbox<'_>> for FieldValue {
    fn from(v: Mailbox<'_>) -> Self {
        FieldValue::Addresses(vec![Address::Mailbox(v.into_owned())])
    }
}
impl From<Group<'_>> for FieldValue {
    fn from(v: Group<'_>) -> Self {
        FieldValue::Addresses(vec![Address::Group(v.into_owned())])
    }
}
impl From<Address<'_>> for FieldValue {
    fn from(v: Address<'_>) -> Self {
        FieldValue::Addresses(vec![v.into_owned()])
    }
}
impl From<Vec<Address<'_>>> for FieldValue {
    fn from(v: Vec<Address<'_>>) -> Self {
        FieldValue::Addresses(v.into_iter().map(Address::into_owned).collect())
    }
}
impl From<Vec<Mailbox<'_>>> for FieldValue {
    fn from(v: Vec<Mailbox<'_>>) -> Self {
        FieldValue::Addresses(
            v.into_iter()
                .map(|m| Address::Mailbox(m.into_owned()))
                .collect(),
        )
    }
}
impl From<DateTime> for FieldValue {
    fn from(v: DateTime) -> Self {
        FieldValue::Date(v)
    }
}
impl From<MessageId<'_>> for FieldValue {
    fn from(v: MessageId<'_>) -> Self {
        FieldValue::MessageIds(vec![v.into_owned()])
    }
}
impl From<Vec<MessageId<'_>>> for FieldValue {
    fn from(v: Vec<MessageId<'_>>) -> Self {
        FieldValue::MessageIds(v.into_iter().map(MessageId::into_owned).collect())
    }
}
impl From<RawValue> for FieldValue {
    fn from(v: RawValue) -> Self {
        FieldValue::Raw(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids() {
        assert_eq!(
            MessageId::from_text("<1234@local.machine.example>")
                .unwrap()
                .as_str(),
            "1234@local.machine.example"
        );
        assert!(MessageId::from_text("abc@[127.0.0.1]").is_ok());
        assert!(MessageId::from_text("abc").is_err());
        assert!(MessageId::from_text("a b@c").is_err());
        assert!(MessageId::from_text("a@b>\r\nBcc: x").is_err());
        assert!(MessageId::generate("bad domain").is_err());
        let a = MessageId::generate("example.org").unwrap();
        let b = MessageId::generate("example.org").unwrap();
        assert_ne!(a, b);
        assert_eq!(a.right(), Some("example.org"));
        assert_eq!(
            MessageId::from_seed(7, "x.test"),
            MessageId::from_seed(7, "x.test")
        );
    }

    #[test]
    fn text_rejects_or_replaces_line_breaks() {
        assert!(Text::new("a\r\nBcc: x").is_err());
        assert!(Text::new("a\0").is_err());
        assert_eq!(Text::new_lossy("a\r\nb\nc\rd\0").as_str(), "a b c d");
    }
}
