//! Encoding SMTP replies (RFC 5321 section 4.2).
//!
//! Every line is `code "-" text CRLF` except the last, `code SP text CRLF`
//! (or the bare `code CRLF` when [`Reply::is_bare_code`]). Texts are
//! validated when built or parsed, so the encoder cannot emit a CR or LF
//! inside a line.

use bytes::BufMut;

use crate::types::reply::{Reply, ReplyCode};
use crate::types::status::EnhancedStatusCode;

/// Writes `n` in decimal.
pub(crate) fn put_decimal(out: &mut impl BufMut, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start = start.saturating_sub(1);
        if let Some(slot) = digits.get_mut(start) {
            *slot = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.put_slice(digits.get(start..).unwrap_or_default());
}

impl EnhancedStatusCode {
    /// Writes the code, e.g. `5.1.1`.
    pub fn encode(&self, out: &mut impl BufMut) {
        out.put_u8(b'0' + self.class().as_u8());
        out.put_u8(b'.');
        put_decimal(out, u64::from(self.subject()));
        out.put_u8(b'.');
        put_decimal(out, u64::from(self.detail()));
    }
}

impl ReplyCode {
    /// Writes the three digits.
    pub fn encode(&self, out: &mut impl BufMut) {
        out.put_slice(&self.digits());
    }
}

impl Reply<'_> {
    /// Writes the reply, every line ended by CRLF.
    ///
    /// ```
    /// use smtp_proto::{Reply, ReplyCode, ReplyText};
    /// let mut r = Reply::new(ReplyCode::HELP, "Commands:").unwrap();
    /// r.push_line(ReplyText::new("HELO EHLO MAIL RCPT DATA").unwrap());
    /// let mut out = Vec::new();
    /// r.encode(&mut out);
    /// assert_eq!(out, b"214-Commands:\r\n214 HELO EHLO MAIL RCPT DATA\r\n");
    /// ```
    pub fn encode(&self, out: &mut impl BufMut) {
        let code = self.code().digits();
        let last = self.line_count().saturating_sub(1);
        for (i, line) in self.lines().enumerate() {
            out.put_slice(&code);
            if i < last {
                out.put_u8(b'-');
            } else if !(self.is_bare_code() && line.is_empty()) {
                out.put_u8(b' ');
            }
            out.put_slice(line.as_bytes());
            out.put_slice(b"\r\n");
        }
    }

    /// Exact number of bytes [`Reply::encode`] writes.
    #[must_use]
    pub fn encoded_len(&self) -> usize {
        let separators = if self.is_bare_code() {
            self.line_count().saturating_sub(1)
        } else {
            self.line_count()
        };
        self.lines()
            .map(|l| l.len().saturating_add(5))
            .fold(separators, usize::saturating_add)
    }

    /// The encoded reply as a new vector.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.encoded_len());
        self.encode(&mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals() {
        for n in [0u64, 7, 10, 99, 100, 12345, u64::MAX] {
            let mut out = Vec::new();
            put_decimal(&mut out, n);
            assert_eq!(out, n.to_string().as_bytes());
        }
        let mut out = Vec::new();
        EnhancedStatusCode::ENCRYPTION_REQUIRED.encode(&mut out);
        assert_eq!(out, b"5.7.11");
    }

    #[test]
    fn bare_and_spaced_empty_last_lines() {
        let r = Reply::new(ReplyCode::OK, "").unwrap();
        assert_eq!(r.to_bytes(), b"250\r\n");
        assert_eq!(r.encoded_len(), 5);
        let r = Reply::multiline(ReplyCode::OK, None, ["a", ""]).unwrap();
        assert_eq!(r.to_bytes(), b"250-a\r\n250\r\n");
        assert_eq!(r.encoded_len(), r.to_bytes().len());
    }
}
