//! Scan and unique-id listings to bytes.

use bytes::BufMut;

use super::{BufSink, Sink};
use crate::types::listing::{ScanListing, UidListing};
use crate::types::response::{Status, StatusLine};
use crate::types::values::Text;

impl ScanListing {
    /// Writes `msg SP size` CRLF, a line of a `LIST` block.
    pub fn encode(&self, out: &mut impl BufMut) {
        self.encode_text(out);
        out.put_slice(b"\r\n");
    }

    /// Writes `msg SP size` without CRLF.
    pub fn encode_text(&self, out: &mut impl BufMut) {
        let mut s = BufSink(out);
        s.put_u64(u64::from(self.msg.get()));
        s.put(b" ");
        s.put_u64(self.size);
    }
}

impl UidListing<'_> {
    /// Writes `msg SP unique-id` CRLF, a line of a `UIDL` block.
    pub fn encode(&self, out: &mut impl BufMut) {
        self.encode_text(out);
        out.put_slice(b"\r\n");
    }

    /// Writes `msg SP unique-id` without CRLF.
    pub fn encode_text(&self, out: &mut impl BufMut) {
        let mut s = BufSink(out);
        s.put_u64(u64::from(self.msg.get()));
        s.put(b" ");
        s.put(self.uid.as_str().as_bytes());
    }
}

impl StatusLine<'static> {
    /// `+OK msg size`, the answer to `LIST msg` (RFC 1939 section 5).
    #[must_use]
    pub fn scan(listing: ScanListing) -> StatusLine<'static> {
        let mut v = Vec::with_capacity(32);
        listing.encode_text(&mut v);
        ok_owned(v)
    }

    /// `+OK msg unique-id`, the answer to `UIDL msg` (RFC 1939 section 7).
    #[must_use]
    pub fn uid(listing: &UidListing<'_>) -> StatusLine<'static> {
        let mut v = Vec::with_capacity(84);
        listing.encode_text(&mut v);
        ok_owned(v)
    }
}

/// `+OK` with text the caller built from validated parts (digits, spaces and
/// a unique-id: no CR, LF, NUL, and not starting with `[`).
pub(crate) fn ok_owned(text: Vec<u8>) -> StatusLine<'static> {
    StatusLine {
        status: Status::Ok,
        code: None,
        text: Text::new(text).unwrap_or_default(),
    }
}
