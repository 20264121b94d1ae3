//! Defects: what the parser found wrong in a message, and went past.
//!
//! A defect never stops the parse (unless [`ParserOptions::strict`] is set,
//! where the first one becomes a [`ParseError`]). Each carries the absolute
//! byte offset, from the start of the message, where the problem is.
//!
//! [`ParserOptions::strict`]: super::ParserOptions::strict
//! [`ParseError`]: super::ParseError

use core::fmt;

/// A departure from RFC 5322 / MIME, or a limit hit, at a byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Defect {
    /// What is wrong.
    pub kind: DefectKind,
    /// Absolute offset (from the first byte of the message) of the start of
    /// the construct the defect is about: the line, the field, the
    /// delimiter, or the end of input.
    pub offset: u64,
}

impl Defect {
    /// A defect of `kind` at `offset`.
    #[must_use]
    pub fn new(kind: DefectKind, offset: u64) -> Self {
        Defect { kind, offset }
    }
}

impl fmt::Display for Defect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.kind, self.offset)
    }
}

/// The kinds of [`Defect`].
///
/// How the parser goes on after each one is part of its contract and is
/// stated on the variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DefectKind {
    /// A line in a header block is neither a field (`name:`), nor a folded
    /// continuation, nor the blank line that ends the header (RFC 5322
    /// section 2.2 and 3.5). The header ends before that line, which is the
    /// first line of the body.
    MissingBlankLine,
    /// With [`HeaderJunk::Skip`]: a line in a header block that is not a
    /// field was skipped, folded continuation lines with it.
    ///
    /// [`HeaderJunk::Skip`]: super::HeaderJunk::Skip
    InvalidHeaderLine,
    /// A line is longer than [`Limits::max_line_len`] (line end not
    /// counted). It is delivered whole (bodies in pieces); the defect is
    /// reported at the line's end with the offset of its start.
    ///
    /// [`Limits::max_line_len`]: crate::Limits::max_line_len
    LineTooLong,
    /// A line ends with a bare LF instead of CRLF (RFC 5322 section 2.1).
    /// Reported once per message, at the first such line end: mail stored
    /// on disk (mbox, Maildir) is routinely LF-only and is parsed the same
    /// way, so one defect tells a strict caller without flooding the rest.
    BareLf,
    /// A header field is longer than [`Limits::max_field_size`]. It is
    /// skipped (no event); the header goes on after it.
    ///
    /// [`Limits::max_field_size`]: crate::Limits::max_field_size
    FieldTooLong,
    /// A header block has more than [`Limits::max_header_count`] fields.
    /// Later fields are skipped (no event) up to the end of the header.
    ///
    /// [`Limits::max_header_count`]: crate::Limits::max_header_count
    HeaderCountLimit,
    /// A header block is larger than [`Limits::max_header_size`]. Later
    /// fields are skipped (no event) up to the end of the header.
    ///
    /// [`Limits::max_header_size`]: crate::Limits::max_header_size
    HeaderSizeLimit,
    /// The Content-Type field does not parse (RFC 2045 section 5.2): the
    /// part is taken as `text/plain` (or `message/rfc822` in a
    /// `multipart/digest`).
    InvalidContentType,
    /// A `multipart` part has no usable `boundary` parameter (absent, empty
    /// or longer than [`MAX_BOUNDARY_LEN`]); its body is kept as a leaf.
    ///
    /// [`MAX_BOUNDARY_LEN`]: super::MAX_BOUNDARY_LEN
    MissingBoundary,
    /// A boundary is longer than the 70 characters RFC 2046 section 5.1.1
    /// allows; it is used anyway (up to [`MAX_BOUNDARY_LEN`]).
    ///
    /// [`MAX_BOUNDARY_LEN`]: super::MAX_BOUNDARY_LEN
    BoundaryTooLong,
    /// A multipart body ends (end of input, or a delimiter of an enclosing
    /// multipart) before its first delimiter line: the whole body is
    /// preamble and the multipart has no parts.
    MissingFirstDelimiter,
    /// A multipart body ends (end of input, or a delimiter of an enclosing
    /// multipart) without its close delimiter `--boundary--`.
    MissingCloseDelimiter,
    /// A delimiter line has characters after the boundary other than `--`
    /// and white space. RFC 2046 section 5.1.1 lets a boundary match the
    /// start of a line, so it is taken as a delimiter when no open boundary
    /// matches the whole line.
    DelimiterTrailingGarbage,
    /// A multipart or message part would nest deeper than
    /// [`Limits::max_depth`]; its body is kept as a leaf.
    ///
    /// [`Limits::max_depth`]: crate::Limits::max_depth
    NestingLimit,
    /// The message has more than [`Limits::max_parts`] parts. A multipart
    /// whose next part would pass the limit ends there: the rest of its body
    /// is kept as its epilogue; a message part over the limit is a leaf.
    ///
    /// [`Limits::max_parts`]: crate::Limits::max_parts
    PartLimit,
    /// A multipart or message part declares a Content-Transfer-Encoding
    /// other than 7bit, 8bit or binary, which RFC 2045 section 6.4 forbids.
    /// A multipart is still split on its boundary (delimiters are plain
    /// text); a message part is kept as a leaf.
    EncodedComposite,
}

impl DefectKind {
    /// A short description.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            DefectKind::MissingBlankLine => "header not ended by a blank line",
            DefectKind::InvalidHeaderLine => "header line that is not a field",
            DefectKind::LineTooLong => "line too long",
            DefectKind::BareLf => "bare LF line end",
            DefectKind::FieldTooLong => "header field too long",
            DefectKind::HeaderCountLimit => "too many header fields",
            DefectKind::HeaderSizeLimit => "header too large",
            DefectKind::InvalidContentType => "invalid Content-Type",
            DefectKind::MissingBoundary => "multipart without a usable boundary",
            DefectKind::BoundaryTooLong => "boundary longer than 70 characters",
            DefectKind::MissingFirstDelimiter => "multipart without any delimiter",
            DefectKind::MissingCloseDelimiter => "multipart without a close delimiter",
            DefectKind::DelimiterTrailingGarbage => "text after the boundary on a delimiter line",
            DefectKind::NestingLimit => "nesting too deep",
            DefectKind::PartLimit => "too many parts",
            DefectKind::EncodedComposite => "encoded multipart or message part",
        }
    }
}

impl fmt::Display for DefectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
