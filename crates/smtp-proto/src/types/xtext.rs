//! `xtext`, the encoding of ESMTP parameter values that may hold any
//! character (RFC 3461 section 4): `ENVID`, `ORCPT` and `AUTH=`.
//!
//! ```text
//! xtext   = *( xchar / hexchar )
//! xchar   = any ASCII CHAR between "!" (33) and "~" (126) inclusive,
//!           except for "+" and "=".
//! hexchar = ASCII "+" immediately followed by two upper case
//!           hexadecimal digits
//! ```
//!
//! RFC 6531 section 3.3 lets `esmtp-value` also carry raw UTF-8, and RFC
//! 6533 uses that in `ORCPT`; the decoder accepts it. The encoder always
//! writes pure ASCII, hex-encoding everything outside `xchar`.

use std::borrow::Cow;
use std::fmt;

use mail_wire::SyntaxError;

use crate::encode::{FmtSink, Sink};

/// A decoded `xtext` value.
///
/// The decoded text must be non-empty valid UTF-8 without ASCII control
/// characters (space is allowed). RFC 3461 requires printable text for
/// `ENVID` and addresses for `ORCPT`; refusing controls here also means a
/// value copied into a DSN header field can never inject a line break.
///
/// ```
/// use smtp_proto::XText;
/// let x = XText::parse("e+3Dmc2@example.com").unwrap();
/// assert_eq!(x.as_str(), "e=mc2@example.com");
/// assert_eq!(x.to_string(), "e+3Dmc2@example.com");
/// assert!(XText::parse("bad+3d").is_err()); // lower-case hex
/// assert!(XText::new("line\r\nbreak").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct XText<'a>(Cow<'a, str>);

impl<'a> XText<'a> {
    /// Validates already-decoded text.
    pub fn new(decoded: impl Into<Cow<'a, str>>) -> Result<Self, SyntaxError> {
        let decoded = decoded.into();
        if decoded.is_empty() {
            return Err(SyntaxError::at(b"", 0, "non-empty text"));
        }
        if let Some(i) = decoded.bytes().position(is_control) {
            return Err(SyntaxError::at(
                decoded.as_bytes(),
                i,
                "text without control characters",
            ));
        }
        Ok(XText(decoded))
    }

    /// Wraps text known to be valid decoded text: wire text the parser
    /// found to be all `xchar` (or UTF-8), which decodes to itself, or the
    /// address of an [`Orcpt`](crate::Orcpt), checked when it was built.
    pub(crate) fn from_plain(wire: &'a str) -> Self {
        XText(Cow::Borrowed(wire))
    }

    /// Decodes wire `xtext`. Borrows when there is no `+XX` escape.
    pub fn parse(wire: &'a str) -> Result<Self, SyntaxError> {
        let b = wire.as_bytes();
        if b.is_empty() {
            return Err(SyntaxError::at(b, 0, "xtext"));
        }
        // One pass finds the first byte that does not stand for itself.
        let Some(first_plus) = b.iter().position(|&c| !is_raw_xtext(c)) else {
            return Ok(XText(Cow::Borrowed(wire)));
        };
        if b.get(first_plus) != Some(&b'+') {
            return Err(SyntaxError::at(b, first_plus, "an xtext character"));
        }
        let mut out = Vec::with_capacity(b.len());
        out.extend_from_slice(b.get(..first_plus).unwrap_or_default());
        let mut i = first_plus;
        while let Some(&c) = b.get(i) {
            if c == b'+' {
                let (Some(hi), Some(lo)) = (
                    b.get(i + 1).copied().and_then(upper_hex),
                    b.get(i + 2).copied().and_then(upper_hex),
                ) else {
                    let bad = if b.get(i + 1).copied().and_then(upper_hex).is_none() {
                        i + 1
                    } else {
                        i + 2
                    };
                    return Err(SyntaxError::at(b, bad, "an upper-case hex digit after '+'"));
                };
                let byte = (hi << 4) | lo;
                if is_control(byte) {
                    return Err(SyntaxError::at(b, i, "an escape of a non-control octet"));
                }
                out.push(byte);
                i += 3;
            } else if is_raw_xtext(c) {
                out.push(c);
                i += 1;
            } else {
                return Err(SyntaxError::at(b, i, "an xtext character"));
            }
        }
        String::from_utf8(out)
            .map(|s| XText(Cow::Owned(s)))
            .map_err(|_| SyntaxError::at(b, first_plus, "escapes that decode to UTF-8"))
    }

    /// The decoded text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> XText<'static> {
        XText(Cow::Owned(self.0.into_owned()))
    }

    /// Writes the xtext encoding.
    pub(crate) fn write_to(&self, w: &mut impl Sink) {
        write_xtext(self.0.as_bytes(), w);
    }
}

impl fmt::Display for XText<'_> {
    /// The wire (encoded) form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        FmtSink::run(f, |w| self.write_to(w))
    }
}

/// Encodes `data` as xtext into `out` (RFC 3461 section 4): bytes 33 to 126
/// other than `+` and `=` as they are, all others as `+XX` in upper-case
/// hex. Accepts any octets, unlike [`XText`], for callers that carry binary
/// identifiers.
pub fn encode(data: &[u8], out: &mut impl bytes::BufMut) {
    write_xtext(data, &mut crate::encode::BufSink(out));
}

/// Decodes wire xtext into octets (RFC 3461 section 4), without the text
/// restrictions of [`XText`]: `+00` is accepted. Raw non-ASCII bytes are
/// rejected here, since this function takes bytes with no UTF-8 context.
pub fn decode(wire: &[u8]) -> Result<Cow<'_, [u8]>, SyntaxError> {
    if let Some(i) = wire
        .iter()
        .position(|&c| !(33..=126).contains(&c) || c == b'=')
    {
        return Err(SyntaxError::at(wire, i, "an xtext character"));
    }
    if memchr::memchr(b'+', wire).is_none() {
        return Ok(Cow::Borrowed(wire));
    }
    let mut out = Vec::with_capacity(wire.len());
    let mut it = wire.iter().enumerate();
    while let Some((i, &c)) = it.next() {
        if c != b'+' {
            out.push(c);
            continue;
        }
        let hi = it.next().and_then(|(_, &h)| upper_hex(h));
        let lo = it.next().and_then(|(_, &l)| upper_hex(l));
        match (hi, lo) {
            (Some(hi), Some(lo)) => out.push((hi << 4) | lo),
            _ => {
                return Err(SyntaxError::at(
                    wire,
                    i + 1,
                    "two upper-case hex digits after '+'",
                ));
            }
        }
    }
    Ok(Cow::Owned(out))
}

fn write_xtext(data: &[u8], w: &mut impl Sink) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut rest = data;
    while !rest.is_empty() {
        let plain = rest
            .iter()
            .position(|&c| !is_xchar(c))
            .unwrap_or(rest.len());
        let (run, tail) = rest.split_at(plain);
        // `run` is ASCII, so it is UTF-8.
        if let Ok(s) = std::str::from_utf8(run) {
            w.put(s);
        }
        let Some((&c, tail)) = tail.split_first() else {
            break;
        };
        let hex = [
            b'+',
            HEX.get(usize::from(c >> 4)).copied().unwrap_or(b'0'),
            HEX.get(usize::from(c & 15)).copied().unwrap_or(b'0'),
        ];
        if let Ok(s) = std::str::from_utf8(&hex) {
            w.put(s);
        }
        rest = tail;
    }
}

/// `xchar` of RFC 3461.
fn is_xchar(c: u8) -> bool {
    (33..=126).contains(&c) && c != b'+' && c != b'='
}

/// An octet that may stand for itself in wire xtext: `xchar` or a byte of
/// a UTF-8 non-ASCII character (RFC 6531 section 3.3).
fn is_raw_xtext(c: u8) -> bool {
    crate::parse::chars::is(c, crate::parse::chars::XCHAR)
}

fn is_control(c: u8) -> bool {
    c < 0x20 || c == 0x7f
}

fn upper_hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(s: &str) -> String {
        XText::new(s).unwrap().to_string()
    }

    #[test]
    fn rfc3461_and_rfc4954_examples() {
        // RFC 4954 section 5: MAIL FROM:<e=mc2@example.com> AUTH=e+3Dmc2@example.com
        assert_eq!(enc("e=mc2@example.com"), "e+3Dmc2@example.com");
        assert_eq!(
            XText::parse("e+3Dmc2@example.com").unwrap().as_str(),
            "e=mc2@example.com"
        );
        // RFC 3461 section 4.2: ORCPT=rfc822;Bob@Example.COM
        assert!(matches!(
            XText::parse("Bob@Example.COM").unwrap().0,
            Cow::Borrowed(_)
        ));
        assert_eq!(enc("a+b c"), "a+2Bb+20c");
        assert_eq!(enc("café"), "caf+C3+A9");
        assert_eq!(XText::parse("caf+C3+A9").unwrap().as_str(), "café");
        assert_eq!(XText::parse("café").unwrap().as_str(), "café");
    }

    #[test]
    fn malformed_xtext_is_rejected() {
        assert_eq!(XText::parse("a+").unwrap_err().offset, 2);
        assert_eq!(XText::parse("a+4").unwrap_err().offset, 3);
        assert_eq!(XText::parse("a+4g").unwrap_err().offset, 3);
        assert_eq!(XText::parse("a+x1").unwrap_err().offset, 2);
        assert!(XText::parse("a=b").is_err());
        assert!(XText::parse("a b").is_err());
        assert!(XText::parse("").is_err());
        assert!(XText::parse("+0D+0A").is_err());
        assert!(XText::parse("+00").is_err());
        assert!(XText::parse("+C3").is_err()); // lone UTF-8 lead byte
        assert!(XText::new("").is_err());
        assert!(XText::new("a\0").is_err());
    }

    #[test]
    fn raw_octet_helpers_round_trip() {
        let mut out = Vec::new();
        encode(b"\x00+=\xff ok", &mut out);
        assert_eq!(out, b"+00+2B+3D+FF+20ok");
        assert_eq!(decode(&out).unwrap().as_ref(), b"\x00+=\xff ok");
        assert!(matches!(decode(b"plain").unwrap(), Cow::Borrowed(_)));
        assert!(decode(b"a=b").is_err());
        assert!(decode(b"+4").is_err());
        assert!(decode(b"+4a").is_err());
        assert!(decode(b"\xc3\xa9").is_err());
    }
}
