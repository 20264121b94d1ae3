//! Types to bytes, into any [`bytes::BufMut`]. The values were validated when
//! they were built, so encoding cannot fail and cannot produce invalid wire:
//! no CR, LF or NUL can reach the output except in the CRLF the encoder
//! writes itself.
//!
//! - [`Command::encode`](crate::Command::encode) (and `to_vec`,
//!   `encoded_len` for the 255-octet rule of RFC 5034 section 4);
//! - [`StatusLine::encode`](crate::StatusLine::encode),
//!   [`Response::encode`](crate::Response::encode);
//! - [`Capability::encode`](crate::Capability::encode),
//!   [`Capabilities::encode`](crate::Capabilities::encode);
//! - [`ScanListing::encode`](crate::ScanListing::encode),
//!   [`UidListing::encode`](crate::UidListing::encode);
//! - [`encode_multiline_line`] and [`encode_end`] for any other multi-line
//!   block. Message bodies are stuffed by [`mail_wire::dot::DotEncoder`].

mod capability;
mod command;
mod listing;
mod response;

use bytes::BufMut;

use crate::types::values::Text;

/// Where wire bytes go: a `BufMut`, or a length count.
pub(crate) trait Sink {
    /// Appends bytes.
    fn put(&mut self, b: &[u8]);

    /// Appends a decimal number.
    fn put_u64(&mut self, n: u64) {
        let mut buf = [0u8; 20];
        let mut i = buf.len();
        let mut n = n;
        loop {
            i -= 1;
            if let Some(d) = buf.get_mut(i) {
                *d = b'0' + (n % 10) as u8;
            }
            n /= 10;
            if n == 0 || i == 0 {
                break;
            }
        }
        self.put(buf.get(i..).unwrap_or_default());
    }
}

/// Writes into a `BufMut`.
pub(crate) struct BufSink<'b, B: BufMut + ?Sized>(pub(crate) &'b mut B);

impl<B: BufMut + ?Sized> Sink for BufSink<'_, B> {
    fn put(&mut self, b: &[u8]) {
        self.0.put_slice(b);
    }
}

/// Counts bytes.
#[derive(Default)]
pub(crate) struct Counter(pub(crate) usize);

impl Sink for Counter {
    fn put(&mut self, b: &[u8]) {
        self.0 = self.0.saturating_add(b.len());
    }
}

/// Writes one line of a multi-line block (RFC 1939 section 3): a `.` is
/// added in front of a line that starts with `.`, and the line ends with
/// CRLF. `Text` cannot hold CR, LF or NUL, so the line cannot end early.
///
/// ```
/// use pop3_proto::Text;
/// use pop3_proto::encode::encode_multiline_line;
/// let mut out = Vec::new();
/// encode_multiline_line(&Text::try_from(".x").unwrap(), &mut out);
/// assert_eq!(out, b"..x\r\n");
/// ```
pub fn encode_multiline_line(line: &Text<'_>, out: &mut impl BufMut) {
    let b = line.as_bytes();
    if b.first() == Some(&b'.') {
        out.put_u8(b'.');
    }
    out.put_slice(b);
    out.put_slice(b"\r\n");
}

/// Writes the end of a multi-line block: `.` CRLF.
pub fn encode_end(out: &mut impl BufMut) {
    out.put_slice(b".\r\n");
}
