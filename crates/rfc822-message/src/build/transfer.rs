//! Streaming transfer encoders (RFC 2045 section 6): feed chunks of any
//! size, get the encoded form; the output does not depend on how the input
//! was split.
//!
//! Encoders write into a [`bytes::BufMut`]. Like every encoder of this
//! workspace they cannot fail; `BufMut::put_slice` itself panics only if
//! the buffer is a fixed-size one that runs out of room (`Vec<u8>` and
//! `BytesMut` grow).
//!
//! The encoded output never ends with a line break: in a multipart the
//! CRLF that follows belongs to the boundary delimiter (RFC 2046 section
//! 5.1.1), so adding one would change the content.

use base64::Engine as _;
use bytes::BufMut;

use super::BuildError;

/// Content-Transfer-Encoding values (RFC 2045 section 6.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransferEncoding {
    /// Lines of at most 998 octets of US-ASCII without NUL, CRLF line
    /// breaks (section 2.7).
    SevenBit,
    /// Like 7bit but octets above 127 allowed (section 2.8); needs 8BITMIME.
    EightBit,
    /// Anything (section 2.9); needs BINARYMIME.
    Binary,
    /// Quoted-printable (section 6.7).
    QuotedPrintable,
    /// Base64 (section 6.8).
    Base64,
}

impl TransferEncoding {
    /// The field value, as written in `Content-Transfer-Encoding`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            TransferEncoding::SevenBit => "7bit",
            TransferEncoding::EightBit => "8bit",
            TransferEncoding::Binary => "binary",
            TransferEncoding::QuotedPrintable => "quoted-printable",
            TransferEncoding::Base64 => "base64",
        }
    }
}

/// Octets of input per base64 line: 57 octets make 76 characters.
const B64_LINE_IN: usize = 57;
const B64_LINE_OUT: usize = 76;

/// Streaming base64 encoder: lines of 76 characters separated by CRLF
/// (RFC 2045 section 6.8), padding only at the end.
#[derive(Debug, Clone)]
pub struct Base64Encoder {
    carry: [u8; B64_LINE_IN],
    carry_len: usize,
    started: bool,
}

impl Default for Base64Encoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Base64Encoder {
    /// A new encoder.
    #[must_use]
    pub fn new() -> Self {
        Base64Encoder {
            carry: [0; B64_LINE_IN],
            carry_len: 0,
            started: false,
        }
    }

    fn line(started: &mut bool, input: &[u8], out: &mut impl BufMut) {
        if *started {
            out.put_slice(b"\r\n");
        }
        *started = true;
        let mut buf = [0u8; B64_LINE_OUT];
        if let Ok(n) = base64::engine::general_purpose::STANDARD.encode_slice(input, &mut buf) {
            out.put_slice(buf.get(..n).unwrap_or(&[]));
        }
    }

    /// Encodes `input`, holding back at most one line's worth (57 octets).
    pub fn encode(&mut self, mut input: &[u8], out: &mut impl BufMut) {
        if self.carry_len > 0 {
            let take = (B64_LINE_IN - self.carry_len).min(input.len());
            let (head, rest) = input.split_at_checked(take).unwrap_or((input, &[]));
            if let Some(dst) = self.carry.get_mut(self.carry_len..self.carry_len + take) {
                dst.copy_from_slice(head);
            }
            self.carry_len += take;
            input = rest;
            if self.carry_len < B64_LINE_IN {
                return;
            }
            Self::line(&mut self.started, &self.carry, out);
            self.carry_len = 0;
        }
        while let Some((line, rest)) = input.split_at_checked(B64_LINE_IN) {
            Self::line(&mut self.started, line, out);
            input = rest;
        }
        if let Some(dst) = self.carry.get_mut(..input.len()) {
            dst.copy_from_slice(input);
            self.carry_len = input.len();
        }
    }

    /// Writes what is held back, with padding.
    pub fn finish(mut self, out: &mut impl BufMut) {
        if let Some(rest) = self.carry.get(..self.carry_len)
            && !rest.is_empty()
        {
            Self::line(&mut self.started, rest, out);
        }
    }
}

/// Options of the quoted-printable encoder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct QpOptions {
    /// Treat the input as binary: CR and LF are encoded (`=0D`, `=0A`)
    /// instead of being line breaks. Off: the input is text, CRLF and a
    /// bare LF are line breaks (written as CRLF), a bare CR is encoded.
    pub binary: bool,
    /// Encode `F` at the start of a line (`=46rom `) so that mbox tools do
    /// not mangle a `From ` line (RFC 2049 section 3 (8)).
    pub escape_from: bool,
    /// Encode `.` at the start of a line (`=2E`) so a transport that does
    /// not dot-stuff cannot end the message early (RFC 2049 section 3 (8)).
    pub escape_dot: bool,
}

impl QpOptions {
    /// Text mode with both line-start escapes on.
    #[must_use]
    pub fn safe() -> Self {
        QpOptions {
            binary: false,
            escape_from: true,
            escape_dot: true,
        }
    }
}

/// Longest encoded line content before a soft line break `=` (RFC 2045
/// section 6.7 rule 5: at most 76 characters with the `=`).
const QP_MAX: usize = 75;

/// Streaming quoted-printable encoder (RFC 2045 section 6.7): `=` and
/// non-printable octets as `=XX`, whitespace before a line break encoded,
/// soft line breaks keeping every line at most 76 characters, never
/// splitting an `=XX`.
#[derive(Debug, Clone)]
pub struct QpEncoder {
    opts: QpOptions,
    col: usize,
    pending_ws: Option<u8>,
    pending_cr: bool,
}

impl QpEncoder {
    /// A new encoder.
    #[must_use]
    pub fn new(opts: QpOptions) -> Self {
        QpEncoder {
            opts,
            col: 0,
            pending_ws: None,
            pending_cr: false,
        }
    }

    fn soft_break_if(&mut self, width: usize, out: &mut impl BufMut) {
        if self.col + width > QP_MAX {
            out.put_slice(b"=\r\n");
            self.col = 0;
        }
    }

    fn enc(&mut self, b: u8, out: &mut impl BufMut) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        self.soft_break_if(3, out);
        let hi = HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
        let lo = HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0');
        out.put_slice(&[b'=', hi, lo]);
        self.col += 3;
    }

    fn lit(&mut self, b: u8, out: &mut impl BufMut) {
        self.soft_break_if(1, out);
        if self.col == 0
            && ((self.opts.escape_dot && b == b'.') || (self.opts.escape_from && b == b'F'))
        {
            self.enc(b, out);
            return;
        }
        out.put_u8(b);
        self.col += 1;
    }

    /// Writes a held-back space or tab literally: something other than a
    /// line break follows it.
    fn flush_ws(&mut self, out: &mut impl BufMut) {
        if let Some(w) = self.pending_ws.take() {
            self.lit(w, out);
        }
    }

    fn hard_break(&mut self, out: &mut impl BufMut) {
        if let Some(w) = self.pending_ws.take() {
            self.enc(w, out);
        }
        out.put_slice(b"\r\n");
        self.col = 0;
    }

    fn byte(&mut self, b: u8, out: &mut impl BufMut) {
        if self.pending_cr {
            self.pending_cr = false;
            if b == b'\n' {
                self.hard_break(out);
                return;
            }
            self.flush_ws(out);
            self.enc(b'\r', out);
        }
        match b {
            b'\r' if !self.opts.binary => self.pending_cr = true,
            b'\n' if !self.opts.binary => self.hard_break(out),
            b' ' | b'\t' => {
                self.flush_ws(out);
                self.pending_ws = Some(b);
            }
            33..=60 | 62..=126 => {
                self.flush_ws(out);
                self.lit(b, out);
            }
            _ => {
                self.flush_ws(out);
                self.enc(b, out);
            }
        }
    }

    /// Encodes `input`; at most one whitespace octet and one CR are held
    /// back until the next octet shows whether a line break follows.
    pub fn encode(&mut self, input: &[u8], out: &mut impl BufMut) {
        for &b in input {
            self.byte(b, out);
        }
    }

    /// Writes what is held back (a final space or tab is encoded, as it
    /// ends a line).
    pub fn finish(mut self, out: &mut impl BufMut) {
        if self.pending_cr {
            self.pending_cr = false;
            self.flush_ws(out);
            self.enc(b'\r', out);
        }
        if let Some(w) = self.pending_ws.take() {
            self.enc(w, out);
        }
    }
}

/// Checks content sent without encoding (7bit, 8bit, binary) as it
/// streams: the rules of the encoding (RFC 2045 sections 2.7-2.9) and the
/// absence of enclosing boundary delimiters at line starts (RFC 2046
/// section 5.1.1).
#[derive(Debug, Clone)]
struct IdentityCheck {
    enc: TransferEncoding,
    boundaries: Vec<Vec<u8>>,
    /// The start of the current line, up to the longest `--boundary`.
    line_start: Vec<u8>,
    /// Whether `line_start` still may grow into a delimiter.
    in_prefix: bool,
    line_len: usize,
    prev_cr: bool,
}

impl IdentityCheck {
    fn new(enc: TransferEncoding, boundaries: Vec<Vec<u8>>) -> Self {
        IdentityCheck {
            enc,
            boundaries,
            line_start: Vec::new(),
            in_prefix: true,
            line_len: 0,
            prev_cr: false,
        }
    }

    fn invalid(&self, reason: &'static str) -> BuildError {
        BuildError::InvalidContent {
            encoding: self.enc.as_str(),
            reason,
        }
    }

    fn check(&mut self, input: &[u8]) -> Result<(), BuildError> {
        let textual = self.enc != TransferEncoding::Binary;
        for &b in input {
            if textual {
                if b == 0 {
                    return Err(self.invalid("NUL octet"));
                }
                if b >= 0x80 && self.enc == TransferEncoding::SevenBit {
                    return Err(self.invalid("octet above 127"));
                }
                if self.prev_cr && b != b'\n' {
                    return Err(self.invalid("CR not followed by LF"));
                }
                if b == b'\n' && !self.prev_cr {
                    return Err(self.invalid("LF not preceded by CR"));
                }
                self.prev_cr = b == b'\r';
                if b != b'\r' && b != b'\n' {
                    self.line_len += 1;
                    if self.line_len > 998 {
                        return Err(self.invalid("line longer than 998 octets"));
                    }
                }
            }
            if b == b'\n' {
                self.line_start.clear();
                self.in_prefix = true;
                self.line_len = 0;
                continue;
            }
            if self.in_prefix && !self.boundaries.is_empty() {
                self.line_start.push(b);
                let mut any = false;
                for bd in &self.boundaries {
                    let n = self.line_start.len();
                    let delim = bd.len() + 2;
                    let matches = self
                        .line_start
                        .iter()
                        .zip(b"--".iter().chain(bd.iter()))
                        .all(|(a, c)| a == c);
                    if matches && n >= delim {
                        return Err(BuildError::BoundaryInContent);
                    }
                    any |= matches;
                }
                if !any {
                    self.in_prefix = false;
                    self.line_start.clear();
                }
            }
        }
        Ok(())
    }

    fn finish(&self) -> Result<(), BuildError> {
        if self.prev_cr && self.enc != TransferEncoding::Binary {
            return Err(self.invalid("CR not followed by LF"));
        }
        Ok(())
    }
}

#[derive(Debug, Clone)]
enum Inner {
    Base64(Base64Encoder),
    Qp(QpEncoder),
    Identity(IdentityCheck),
}

/// A sans-IO body encoder for one transfer encoding: feed chunks with
/// [`encode`](Self::encode), end with [`finish`](Self::finish).
///
/// For 7bit, 8bit and binary the content is copied and checked as it
/// goes; a violation of the encoding, or (inside a multipart) a line that
/// starts with an enclosing boundary delimiter, is an error, since the
/// bytes already written cannot be taken back.
#[derive(Debug, Clone)]
pub struct BodyEncoder {
    inner: Inner,
}

impl BodyEncoder {
    /// An encoder for `encoding`, with default quoted-printable options.
    #[must_use]
    pub fn new(encoding: TransferEncoding) -> Self {
        Self::with_boundaries(encoding, QpOptions::default(), Vec::new())
    }

    /// An encoder that also refuses, for unencoded content, lines starting
    /// with `--` and one of `boundaries`.
    pub(crate) fn with_boundaries(
        encoding: TransferEncoding,
        qp: QpOptions,
        boundaries: Vec<Vec<u8>>,
    ) -> Self {
        let inner = match encoding {
            TransferEncoding::Base64 => Inner::Base64(Base64Encoder::new()),
            TransferEncoding::QuotedPrintable => Inner::Qp(QpEncoder::new(qp)),
            other => Inner::Identity(IdentityCheck::new(other, boundaries)),
        };
        BodyEncoder { inner }
    }

    /// Encodes a chunk.
    ///
    /// # Errors
    /// Unencoded content that breaks its encoding's rules or holds a
    /// boundary delimiter; nothing of `chunk` is written then.
    pub fn encode(&mut self, chunk: &[u8], out: &mut impl BufMut) -> Result<(), BuildError> {
        match &mut self.inner {
            Inner::Base64(e) => e.encode(chunk, out),
            Inner::Qp(e) => e.encode(chunk, out),
            Inner::Identity(c) => {
                c.check(chunk)?;
                out.put_slice(chunk);
            }
        }
        Ok(())
    }

    /// Ends the body.
    ///
    /// # Errors
    /// Unencoded text content that ends in a bare CR.
    pub fn finish(self, out: &mut impl BufMut) -> Result<(), BuildError> {
        match self.inner {
            Inner::Base64(e) => e.finish(out),
            Inner::Qp(e) => e.finish(out),
            Inner::Identity(c) => c.finish()?,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qp(input: &[u8], opts: QpOptions) -> String {
        let mut out = Vec::new();
        let mut e = QpEncoder::new(opts);
        e.encode(input, &mut out);
        e.finish(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn qp_rules() {
        let o = QpOptions::default();
        assert_eq!(qp(b"a=b", o), "a=3Db");
        assert_eq!(qp(b"trailing \r\nspace\t", o), "trailing=20\r\nspace=09");
        assert_eq!(qp(b"a \nb", o), "a=20\r\nb");
        assert_eq!(qp(b"caf\xc3\xa9", o), "caf=C3=A9");
        assert_eq!(qp(b"a\rb", o), "a=0Db");
        assert_eq!(
            qp(b"From x\r\n.\r\n", QpOptions::safe()),
            "=46rom x\r\n=2E\r\n"
        );
        let long = "x".repeat(200);
        let out = qp(long.as_bytes(), o);
        for line in out.split("\r\n") {
            assert!(line.len() <= 76);
        }
        assert_eq!(out.replace("=\r\n", ""), long);
        let bin = QpOptions {
            binary: true,
            ..QpOptions::default()
        };
        assert_eq!(qp(b"a\r\nb ", bin), "a=0D=0Ab=20");
    }

    #[test]
    fn qp_never_splits_escapes() {
        let input = vec![0xffu8; 100];
        let out = qp(&input, QpOptions::default());
        for line in out.split("\r\n") {
            let body = line.strip_suffix('=').unwrap_or(line);
            assert_eq!(body.len() % 3, 0, "{line}");
            assert!(line.len() <= 76);
        }
    }

    #[test]
    fn base64_lines() {
        let input: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        let mut out = Vec::new();
        let mut e = Base64Encoder::new();
        e.encode(&input, &mut out);
        e.finish(&mut out);
        let s = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = s.split("\r\n").collect();
        assert!(lines.iter().rev().skip(1).all(|l| l.len() == 76));
        let joined: String = lines.concat();
        assert_eq!(
            base64::engine::general_purpose::STANDARD
                .decode(joined)
                .unwrap(),
            input
        );
    }

    #[test]
    fn identity_checks() {
        let mut out = Vec::new();
        let mut e = BodyEncoder::with_boundaries(
            TransferEncoding::SevenBit,
            QpOptions::default(),
            vec![b"=_b".to_vec()],
        );
        e.encode(b"ok line\r\n--=", &mut out).unwrap();
        assert!(matches!(
            e.encode(b"_b", &mut out),
            Err(BuildError::BoundaryInContent)
        ));
        let mut e = BodyEncoder::new(TransferEncoding::SevenBit);
        assert!(e.encode(b"caf\xc3\xa9", &mut out).is_err());
        let mut e = BodyEncoder::new(TransferEncoding::EightBit);
        assert!(e.encode(b"a\nb", &mut out).is_err());
        let mut e = BodyEncoder::new(TransferEncoding::Binary);
        assert!(e.encode(b"a\nb\0\r", &mut out).is_ok());
    }
}
