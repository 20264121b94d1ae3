//! RFC 2047 encoded words.

use std::borrow::Cow;

/// Decodes text that may hold RFC 2047 encoded words.
#[must_use]
pub fn decode_text(b: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(b)
}
