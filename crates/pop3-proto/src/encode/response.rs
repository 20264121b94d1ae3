//! Response lines to bytes.

use bytes::BufMut;

use super::{BufSink, Counter, Sink};
use crate::types::response::{Response, Stat, StatusLine};

impl StatusLine<'_> {
    /// Writes `+OK` or `-ERR`, then ` [CODE]` if there is a code, then
    /// ` text` if the text is not empty, then CRLF.
    ///
    /// A value built with [`StatusLine::new`] reads back equal. The fields
    /// are public, so a caller could set text starting with `[` and no code;
    /// the line is still safe (no CR, LF or NUL) but would read back as a
    /// response code or be refused.
    ///
    /// ```
    /// use pop3_proto::{ResponseCode, StatusLine};
    /// let mut out = Vec::new();
    /// StatusLine::err_with_code(ResponseCode::InUse, "locked").unwrap().encode(&mut out);
    /// assert_eq!(out, b"-ERR [IN-USE] locked\r\n");
    /// ```
    pub fn encode(&self, out: &mut impl BufMut) {
        self.write(&mut BufSink(out));
    }

    /// The line as bytes, CRLF included.
    #[must_use]
    pub fn to_vec(&self) -> Vec<u8> {
        let mut c = Counter::default();
        self.write(&mut c);
        let mut v = Vec::with_capacity(c.0);
        self.encode(&mut v);
        v
    }

    fn write(&self, s: &mut impl Sink) {
        s.put(self.status.as_str().as_bytes());
        if let Some(code) = &self.code {
            s.put(b" [");
            s.put(code.as_str().as_bytes());
            s.put(b"]");
        }
        if !self.text.is_empty() {
            s.put(b" ");
            s.put(self.text.as_bytes());
        }
        s.put(b"\r\n");
    }
}

impl Response<'_> {
    /// Writes the line: a status line, or `+ base64` CRLF for a SASL
    /// challenge (`+ ` CRLF when it is empty, RFC 5034 section 4).
    pub fn encode(&self, out: &mut impl BufMut) {
        match self {
            Response::Status(s) => s.encode(out),
            Response::Continue(c) => {
                out.put_slice(b"+ ");
                out.put_slice(c.as_str().as_bytes());
                out.put_slice(b"\r\n");
            }
        }
    }

    /// The line as bytes, CRLF included.
    #[must_use]
    pub fn to_vec(&self) -> Vec<u8> {
        let mut v = Vec::new();
        self.encode(&mut v);
        v
    }
}

impl Stat {
    /// Writes the text of a `STAT` answer, `count SP size`, without the
    /// status or CRLF (see [`StatusLine::stat`] for the whole line).
    pub fn encode_text(&self, out: &mut impl BufMut) {
        let mut s = BufSink(out);
        s.put_u64(u64::from(self.count));
        s.put(b" ");
        s.put_u64(self.size);
    }
}
