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
    /// Offset in the encoded bytes fed to the decoder.
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
    /// padding (the complete octets are kept).
    MissingPadding,
    /// base64: the input ends after 1 character of a group (it is dropped).
    Truncated,
    /// quoted-printable: `=` not followed by two hex digits nor a line end
    /// (RFC 2045 section 6.7 note 1: the `=` is kept as is).
    InvalidEscape,
    /// quoted-printable: `=` followed by lower-case hex digits, which RFC
    /// 2045 section 6.7 rule 1 forbids; decoded anyway.
    LowercaseHex,
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
}
