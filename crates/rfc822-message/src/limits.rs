//! The limits every parser of this crate enforces.
//!
//! One struct, `Default` with safe values. A message that exceeds a limit is
//! not misread: the parser records a defect (or, in strict mode, returns an
//! error) and goes on in a well-defined way, as each parser documents.

/// Limits on what a message may make the parser hold or do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Longest line, CRLF excluded. RFC 5322 section 2.1.1 allows 998 octets;
    /// real mail is longer (HTML without line breaks), so the default is
    /// far above that. Longer lines are still delivered (body lines in
    /// pieces), with a defect.
    pub max_line_len: usize,
    /// Most header fields in one header block.
    pub max_header_count: usize,
    /// Most octets in one header block (all fields together).
    pub max_header_size: usize,
    /// Most octets in one header field, folded lines included.
    pub max_field_size: usize,
    /// Deepest nesting of multiparts and message/rfc822 parts.
    pub max_depth: usize,
    /// Most MIME parts in a message, all levels counted.
    pub max_parts: usize,
    /// Most parameters in one Content-Type or Content-Disposition field.
    pub max_params: usize,
    /// Most octets a decoder (base64, quoted-printable, charset) may
    /// produce for one value that is decoded in memory.
    pub max_decoded_size: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_line_len: 64 * 1024,
            max_header_count: 1000,
            max_header_size: 256 * 1024,
            max_field_size: 64 * 1024,
            max_depth: 50,
            max_parts: 10_000,
            max_params: 64,
            max_decoded_size: 64 * 1024 * 1024,
        }
    }
}
