//! The streaming push parser (sans-IO): bytes in, [`Event`]s out.
//!
//! Feed a message in chunks of any size; each call returns a cursor of the
//! events the chunk completes. Events borrow from the chunk (body chunks are
//! sub-slices of it, never copies) or, for the rare item cut by a chunk end,
//! from the parser's small buffers. The parser holds at most a header field
//! (`max_field_size`) plus a few hundred octets, whatever the message size:
//! see [`Parser::buffered_len`].
//!
//! ```
//! use rfc822_message::parse::{Event, Parser};
//!
//! let msg = b"Subject: hi\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
//!             --b\r\n\r\nhello\r\n--b--\r\n";
//! let mut parser = Parser::new();
//! let mut text = Vec::new();
//! let mut sizes = Vec::new();
//! let mut on_event = |ev: Event<'_>| match ev {
//!     Event::Body(c) => text.extend_from_slice(&c.bytes),
//!     Event::PartEnd(end) => sizes.push((end.part, end.size())),
//!     _ => {}
//! };
//! for chunk in msg.chunks(7) {
//!     let mut events = parser.feed(chunk);
//!     while let Some(ev) = events.next_event()? {
//!         on_event(ev);
//!     }
//! }
//! let mut events = parser.finish();
//! while let Some(ev) = events.next_event()? {
//!     on_event(ev);
//! }
//! assert_eq!(text, b"hello");
//! // part 1 is "hello" (the CRLF belongs to the delimiter), then the message
//! assert_eq!(sizes, [(1, 5), (0, 21)]);
//! # Ok::<(), rfc822_message::parse::ParseError>(())
//! ```
//!
//! # Rules
//!
//! * Line ends are CRLF; a bare LF also ends a line (mail stored on disk is
//!   often LF-only, and reading it as one long line would lose its
//!   structure). The first bare LF is reported as [`DefectKind::BareLf`],
//!   which [`ParserOptions::strict`] turns into an error. A bare CR is data.
//! * A header ends at its blank line, at the end of input, at a delimiter
//!   line of an open multipart, or before a line that is not a field
//!   ([`DefectKind::MissingBlankLine`]; or that line is skipped, see
//!   [`HeaderJunk`]). Field values are raw: folds kept. The line end before
//!   a delimiter belongs to the delimiter even there: a part written
//!   `--b CRLF X: 1 CRLF CRLF --b` has the header `X: 1 CRLF`, no blank
//!   line and an empty body (RFC 2046 `body-part := MIME-part-headers
//!   [CRLF *OCTET]`; Dovecot reads it so too).
//! * Multipart (RFC 2046 section 5.1.1): a delimiter counts only at the
//!   start of a line; the line end before it belongs to it; open boundaries
//!   are tried innermost first (see the `boundary` rules on
//!   [`DefectKind::DelimiterTrailingGarbage`]); an enclosing boundary closes
//!   the inner multiparts with [`DefectKind::MissingCloseDelimiter`].
//!   Preamble and epilogue are kept as events.
//! * `message/rfc822` and `message/global` bodies are parsed as nested
//!   messages; a part without Content-Type in a `multipart/digest` is
//!   `message/rfc822` (RFC 2046 section 5.1.5).
//! * Chunk-split invariance: the events for a message fed whole or in any
//!   pieces are the same, except that a body may come in more or fewer
//!   [`Event::Body`] (or preamble/epilogue) chunks.

mod boundary;
mod defect;
mod event;
mod header;
mod push;

pub use defect::{Defect, DefectKind};
pub use event::{BodyChunk, BodyStart, Event, HeaderField, PartEnd, PartKind, PartStart};
pub(crate) use push::{Buffers, FieldRole, Structure};
pub use push::{Events, Parser};

use crate::Limits;

/// Longest boundary accepted (RFC 2046 allows 70; longer ones are seen in
/// the wild and accepted with [`DefectKind::BoundaryTooLong`]). A multipart
/// with a longer boundary is a leaf ([`DefectKind::MissingBoundary`]).
pub const MAX_BOUNDARY_LEN: usize = 256;

/// What a line in a header block that is not a field does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HeaderJunk {
    /// It ends the header and is the first line of the body
    /// ([`DefectKind::MissingBlankLine`]), as in Python's `email` package:
    /// a sender that forgot the blank line does not lose its body.
    #[default]
    EndsHeader,
    /// It is skipped and the header goes on up to a blank line or a
    /// delimiter ([`DefectKind::InvalidHeaderLine`]), as Dovecot 2.3 does:
    /// what an IMAP server that must agree with Dovecot's BODYSTRUCTURE
    /// and `HEADER`/`MIME` sections needs.
    Skip,
}

/// How the parser behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ParserOptions {
    /// The limits to enforce.
    pub limits: Limits,
    /// What a header line that is not a field does.
    pub header_junk: HeaderJunk,
    /// Turn the first defect into [`ParseError::Defect`]. Off by default:
    /// stored and received mail has defects as a rule (bare LF, missing
    /// close delimiters), and a reader (IMAP server, indexer) must still
    /// show it; the defects are not hidden but reported as events. A
    /// gateway or validator that must refuse malformed mail sets it.
    pub strict: bool,
}

impl ParserOptions {
    /// Default limits, strict mode.
    #[must_use]
    pub fn strict() -> Self {
        ParserOptions {
            strict: true,
            ..ParserOptions::default()
        }
    }
}

/// Why the parser stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Strict mode: the message has this defect.
    #[error("message defect (strict mode): {0}")]
    Defect(Defect),
    /// Input was fed after [`Parser::finish`].
    #[error("input fed after the end of the message")]
    Finished,
}
