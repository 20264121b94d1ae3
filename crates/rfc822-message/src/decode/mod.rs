//! Streaming Content-Transfer-Encoding decoders (RFC 2045 section 6).
//!
//! Feed encoded bytes in chunks of any size, get decoded bytes appended to
//! any [`bytes::BufMut`]; call `finish` at the end. The output does not
//! depend on how the input was split. Bad input is decoded as well as it
//! can be and recorded as [`DecodeDefect`]s (the first of each kind, with
//! its offset in the encoded input, and a total count), never an error.
//!
//! ```
//! use rfc822_message::decode::{Base64Decoder, QpDecoder};
//!
//! let mut out = Vec::new();
//! let mut b64 = Base64Decoder::new();
//! b64.decode(b"aGVsbG8g", &mut out);
//! b64.decode(b"d29y\r\nbGQ=\r\n", &mut out);
//! b64.finish(&mut out);
//! assert_eq!(out, b"hello world");
//!
//! let mut out = Vec::new();
//! let mut qp = QpDecoder::new();
//! qp.decode(b"caf=C3=A9 soft=\r\nbreak=", &mut out);
//! qp.decode(b"3D\r\n", &mut out);
//! qp.finish(&mut out);
//! assert_eq!(out, "café softbreak=\r\n".as_bytes());
//! assert!(qp.defects().is_empty());
//! ```
//!
//! # With the push parser
//!
//! The [push parser](crate::parse) does not decode: its
//! [`Event::Body`](crate::parse::Event::Body) chunks are the body as
//! written. To decode a body as it streams, make a [`TransferDecoder`] from
//! the raw Content-Transfer-Encoding of
//! [`BodyStart`](crate::parse::BodyStart), feed it the leaf's body chunks
//! and finish it at the part's [`PartEnd`](crate::parse::PartEnd). Defect
//! offsets count from the first octet fed, so adding the body's start
//! ([`PartEnd::body`](crate::parse::PartEnd::body), or the offset of the
//! first chunk) gives the offset in the message. The decoders hold no more
//! than a few octets, so memory stays bounded; how much decoded output to
//! keep is the caller's choice (with
//! [`Limits::max_decoded_size`](crate::Limits::max_decoded_size) for
//! instance). For a message in memory,
//! [`Part::decode_body`](crate::Part::decode_body) does all this, with
//! that limit.
//!
//! ```
//! use rfc822_message::decode::{DecodeDefectKind, TransferDecoder};
//! use rfc822_message::parse::{Event, Parser, PartKind};
//!
//! let msg = b"Content-Transfer-Encoding: base64\r\n\r\naGVs!bG8=\r\n";
//! let mut parser = Parser::new();
//! let (mut dec, mut out, mut found) = (None, Vec::new(), Vec::new());
//! let mut on_event = |ev: Event<'_>| match ev {
//!     Event::BodyStart(b) if b.kind == PartKind::Leaf => {
//!         dec = Some(TransferDecoder::for_raw(b.transfer_encoding.as_deref()));
//!     }
//!     Event::Body(c) => {
//!         if let Some(d) = dec.as_mut() {
//!             d.decode(&c.bytes, &mut out);
//!         }
//!     }
//!     Event::PartEnd(end) => {
//!         if let Some(mut d) = dec.take() {
//!             d.finish(&mut out);
//!             for defect in d.defects() {
//!                 found.push((defect.kind, end.body.start + defect.offset));
//!             }
//!         }
//!     }
//!     _ => {}
//! };
//! for chunk in msg.chunks(5) {
//!     let mut events = parser.feed(chunk);
//!     while let Some(ev) = events.next_event()? {
//!         on_event(ev);
//!     }
//! }
//! let mut events = parser.finish();
//! while let Some(ev) = events.next_event()? {
//!     on_event(ev);
//! }
//! assert_eq!(out, b"hello");
//! assert_eq!(found, [(DecodeDefectKind::InvalidCharacter, 41)]);
//! assert_eq!(msg[41], b'!');
//! # Ok::<(), rfc822_message::parse::ParseError>(())
//! ```

mod base64;
mod qp;

pub use self::base64::Base64Decoder;
pub use self::qp::QpDecoder;

use bytes::BufMut;

use crate::header::mime::ContentTransferEncoding;

/// A problem met while decoding, at `offset` in the encoded input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DecodeDefect {
    /// What is wrong.
    pub kind: DecodeDefectKind,
    /// Offset in the encoded bytes fed to the decoder (in
    /// [`Message::raw`](crate::Message::raw) for the defects of
    /// [`Part::decode_body`](crate::Part::decode_body) and
    /// [`Part::decode_text`](crate::Part::decode_text)).
    pub offset: u64,
}

/// The kinds of [`DecodeDefect`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DecodeDefectKind {
    /// base64: a character outside the alphabet, CR, LF and white space
    /// (RFC 2045 section 6.8 says to ignore it; it is skipped).
    InvalidCharacter,
    /// base64: data after the `=` padding (it is decoded as a new group).
    DataAfterPadding,
    /// base64: `=` where no padding can be (after 0 or 1 characters of a
    /// group); ignored.
    MisplacedPadding,
    /// base64: the input ends inside a group of 2 or 3 characters without
    /// padding (the complete octets are kept). At the group's first
    /// character.
    MissingPadding,
    /// base64: the input ends after 1 character of a group (it is
    /// dropped). At that character.
    Truncated,
    /// quoted-printable: `=` not followed by two hex digits nor (after
    /// optional white space) a line end (RFC 2045 section 6.7 note 1: the
    /// `=` is kept as is). At the `=`. An `=` that ends the input is a soft
    /// line break (rule 5), not a defect.
    InvalidEscape,
    /// quoted-printable: `=` followed by lower-case hex digits, which RFC
    /// 2045 section 6.7 rule 1 forbids; decoded anyway. At the `=`.
    LowercaseHex,
    /// The decoded value reached
    /// [`Limits::max_decoded_size`](crate::Limits::max_decoded_size) and was
    /// cut there. At the first encoded octet of what was not (wholly)
    /// decoded. Only from [`Part::decode_body`](crate::Part::decode_body)
    /// and [`Part::decode_text`](crate::Part::decode_text); the streaming
    /// decoders have no limit.
    LimitExceeded,
    /// Octets that are not valid in the declared charset, each sequence
    /// replaced by U+FFFD. At the encoded octets that decode to the first
    /// such sequence (the `=` of a quoted-printable escape, the first
    /// character of a base64 group). Only from
    /// [`Part::decode_text`](crate::Part::decode_text).
    NotInCharset,
}

/// First occurrence of each defect kind plus a total count: bounded however
/// bad the input is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct DefectLog {
    first: Vec<DecodeDefect>,
    count: u64,
}

impl DefectLog {
    fn record(&mut self, kind: DecodeDefectKind, offset: u64) {
        self.count += 1;
        if !self.first.iter().any(|d| d.kind == kind) {
            self.first.push(DecodeDefect { kind, offset });
        }
    }
}

/// A decoder for any Content-Transfer-Encoding: base64, quoted-printable,
/// or the identity (7bit, 8bit, binary and unknown encodings, whose bytes
/// are passed through).
#[derive(Debug, Clone)]
pub enum TransferDecoder {
    /// Passes bytes through.
    Identity,
    /// base64.
    Base64(Base64Decoder),
    /// quoted-printable.
    QuotedPrintable(QpDecoder),
}

impl TransferDecoder {
    /// The decoder for `cte`.
    #[must_use]
    pub fn new(cte: &ContentTransferEncoding<'_>) -> Self {
        match cte {
            ContentTransferEncoding::Base64 => TransferDecoder::Base64(Base64Decoder::new()),
            ContentTransferEncoding::QuotedPrintable => {
                TransferDecoder::QuotedPrintable(QpDecoder::new())
            }
            _ => TransferDecoder::Identity,
        }
    }

    /// The decoder for a raw Content-Transfer-Encoding value (identity when
    /// absent or invalid).
    #[must_use]
    pub fn for_raw(raw: Option<&[u8]>) -> Self {
        match raw.map(ContentTransferEncoding::parse) {
            Some(Ok(cte)) => Self::new(&cte),
            _ => TransferDecoder::Identity,
        }
    }

    /// Whether bytes pass through unchanged.
    #[must_use]
    pub fn is_identity(&self) -> bool {
        matches!(self, TransferDecoder::Identity)
    }

    /// Decodes `input`, appending to `out`.
    pub fn decode<B: BufMut>(&mut self, input: &[u8], out: &mut B) {
        match self {
            TransferDecoder::Identity => out.put_slice(input),
            TransferDecoder::Base64(d) => d.decode(input, out),
            TransferDecoder::QuotedPrintable(d) => d.decode(input, out),
        }
    }

    /// Ends the input, appending what is left.
    pub fn finish<B: BufMut>(&mut self, out: &mut B) {
        match self {
            TransferDecoder::Identity => {}
            TransferDecoder::Base64(d) => d.finish(out),
            TransferDecoder::QuotedPrintable(d) => d.finish(out),
        }
    }

    /// The first defect of each kind met so far.
    #[must_use]
    pub fn defects(&self) -> &[DecodeDefect] {
        match self {
            TransferDecoder::Identity => &[],
            TransferDecoder::Base64(d) => d.defects(),
            TransferDecoder::QuotedPrintable(d) => d.defects(),
        }
    }

    /// How many defects were met in all.
    #[must_use]
    pub fn defect_count(&self) -> u64 {
        match self {
            TransferDecoder::Identity => 0,
            TransferDecoder::Base64(d) => d.defect_count(),
            TransferDecoder::QuotedPrintable(d) => d.defect_count(),
        }
    }

    /// Offset of the first input octet whose output is still held back
    /// (a base64 group or a quoted-printable escape not yet complete...):
    /// where the unit that the next output octet comes from starts.
    pub(crate) fn pending_start(&self) -> Option<u64> {
        match self {
            TransferDecoder::Identity => None,
            TransferDecoder::Base64(d) => d.pending_start(),
            TransferDecoder::QuotedPrintable(d) => d.pending_start(),
        }
    }
}
