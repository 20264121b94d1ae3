//! Unstructured fields (RFC 5322 section 3.2.5 `unstructured`): Subject,
//! Comments, Content-Description, and any field read as text.
//!
//! The value is unfolded (section 2.2.3), white space at both ends is
//! trimmed (the space after the colon is not part of what the author
//! wrote), RFC 2047 encoded words are decoded (see
//! [`encoded_word`](super::encoded_word) for the rules and leniencies) and
//! the remaining bytes are read as UTF-8 (RFC 6532).

use std::borrow::Cow;

use mail_wire::LimitError;

use super::{Defects, encoded_word, lex};
use crate::Limits;

/// The text of an unstructured field value. Borrowed when the value has no
/// fold, no encoded word and is valid UTF-8.
#[must_use]
pub fn decode(raw: &[u8]) -> Cow<'_, str> {
    decode_with_defects(raw).0
}

/// [`decode`], also reporting defects ([`Defects::BAD_ENCODED_WORD`],
/// [`Defects::INVALID_TEXT`]).
#[must_use]
pub fn decode_with_defects(raw: &[u8]) -> (Cow<'_, str>, Defects) {
    match decode_with(raw, usize::MAX) {
        Ok(r) => r,
        Err(_) => (String::from_utf8_lossy(raw), Defects::INVALID_TEXT),
    }
}

/// [`decode_with_defects`] bounded by [`Limits::max_decoded_size`].
///
/// # Errors
/// The decoded text would exceed the limit.
pub fn decode_limited<'a>(
    raw: &'a [u8],
    limits: &Limits,
) -> Result<(Cow<'a, str>, Defects), LimitError> {
    decode_with(raw, limits.max_decoded_size)
}

fn decode_with(raw: &[u8], max: usize) -> Result<(Cow<'_, str>, Defects), LimitError> {
    let trimmed = trim(raw);
    match lex::unfold(trimmed) {
        Cow::Borrowed(b) => encoded_word::decode_text_limited(b, max),
        Cow::Owned(v) => {
            let (s, d) = encoded_word::decode_text_limited(&v, max)?;
            Ok((Cow::Owned(s.into_owned()), d))
        }
    }
}

/// The raw value without leading and trailing white space and line breaks.
#[must_use]
pub fn trim(raw: &[u8]) -> &[u8] {
    let ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let start = raw.iter().position(|b| !ws(b)).unwrap_or(raw.len());
    let end = raw.iter().rposition(|b| !ws(b)).map_or(start, |i| i + 1);
    raw.get(start..end).unwrap_or_default()
}
