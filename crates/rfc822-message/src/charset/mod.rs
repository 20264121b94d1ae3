//! Charset decoding for header and body text.

use std::borrow::Cow;

/// Decodes `bytes` in the charset labelled `charset` (case-insensitive).
/// `None` when the charset is unknown.
#[must_use]
pub fn decode<'a>(charset: &[u8], bytes: &'a [u8]) -> Option<Cow<'a, str>> {
    if charset.eq_ignore_ascii_case(b"utf-8") || charset.eq_ignore_ascii_case(b"us-ascii") {
        return Some(String::from_utf8_lossy(bytes));
    }
    if charset.eq_ignore_ascii_case(b"iso-8859-1") {
        return Some(bytes.iter().map(|&b| char::from(b)).collect());
    }
    None
}
