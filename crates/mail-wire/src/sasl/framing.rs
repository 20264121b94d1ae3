//! Base64 framing of SASL exchanges, as RFC 4954 section 4 (SMTP), RFC 5034
//! section 4 (POP3) and RFC 3501 section 6.2.2 (IMAP) define it.
//!
//! The protocol adds its own prefix (`334 ` in SMTP, `+ ` in POP3 and IMAP)
//! and the CRLF; these functions deal with what stands between them.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::BufMut;

use crate::LimitError;

/// Limits of a SASL exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SaslLimits {
    /// Longest base64 text accepted in one response or challenge, in octets.
    /// The default, 12288, is the line length RFC 4954 section 4 tells SMTP
    /// servers to accept for `AUTH` with an initial response.
    pub max_encoded_len: usize,
}

impl Default for SaslLimits {
    fn default() -> Self {
        SaslLimits {
            max_encoded_len: 12288,
        }
    }
}

/// Why a SASL exchange failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SaslError {
    /// The text is not valid base64 (RFC 4648, padded, canonical).
    #[error("invalid base64 in SASL exchange")]
    Base64,
    /// A response or challenge exceeded the configured size.
    #[error(transparent)]
    Limit(#[from] LimitError),
    /// The decoded message does not follow the mechanism's syntax.
    #[error("malformed {mechanism} message: {reason}")]
    Malformed {
        /// The mechanism whose syntax was violated.
        mechanism: &'static str,
        /// What was wrong.
        reason: &'static str,
    },
    /// The client cancelled the exchange with `*`.
    #[error("authentication cancelled by the client")]
    Cancelled,
    /// The exchange received a message at a point where none may come.
    #[error("unexpected step in the SASL exchange")]
    UnexpectedStep,
}

/// A client's answer to a challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    /// Decoded response data (possibly empty).
    Data(Vec<u8>),
    /// `*`: the client cancels the exchange (RFC 4954 section 4).
    Cancel,
}

fn check_len(text: &[u8], limits: &SaslLimits) -> Result<(), SaslError> {
    if text.len() > limits.max_encoded_len {
        return Err(LimitError::new("max_encoded_len", limits.max_encoded_len as u64).into());
    }
    Ok(())
}

fn decode_b64(text: &[u8], limits: &SaslLimits) -> Result<Vec<u8>, SaslError> {
    check_len(text, limits)?;
    STANDARD.decode(text).map_err(|_| SaslError::Base64)
}

/// Decodes a client's response line (without CRLF): base64 data, or `*` to
/// cancel. An empty line is an empty response.
///
/// ```
/// use mail_wire::sasl::{decode_response, Response, SaslLimits};
/// let l = SaslLimits::default();
/// assert_eq!(decode_response(b"dGVzdA==", &l).unwrap(), Response::Data(b"test".to_vec()));
/// assert_eq!(decode_response(b"*", &l).unwrap(), Response::Cancel);
/// ```
pub fn decode_response(line: &[u8], limits: &SaslLimits) -> Result<Response, SaslError> {
    if line == b"*" {
        return Ok(Response::Cancel);
    }
    decode_b64(line, limits).map(Response::Data)
}

/// Decodes the initial response given with the `AUTH` command: `=` stands
/// for an empty response (RFC 4954 section 4), anything else is base64.
pub fn decode_initial_response(arg: &[u8], limits: &SaslLimits) -> Result<Vec<u8>, SaslError> {
    if arg == b"=" {
        return Ok(Vec::new());
    }
    decode_b64(arg, limits)
}

/// Decodes a server challenge (the text after `334 ` or `+ `). An empty
/// text is an empty challenge.
pub fn decode_challenge(text: &[u8], limits: &SaslLimits) -> Result<Vec<u8>, SaslError> {
    decode_b64(text, limits)
}

/// Writes `data` as base64 (a challenge or a response; empty data writes
/// nothing, which is how an empty response or challenge is sent).
pub fn encode_base64(data: &[u8], out: &mut impl BufMut) {
    out.put_slice(STANDARD.encode(data).as_bytes());
}

/// Writes an initial response: `=` when `data` is empty, base64 otherwise.
pub fn encode_initial_response(data: &[u8], out: &mut impl BufMut) {
    if data.is_empty() {
        out.put_u8(b'=');
    } else {
        encode_base64(data, out);
    }
}

/// Length in octets of the base64 form of `n` bytes of data.
#[must_use]
pub fn encoded_len(n: usize) -> usize {
    n.div_ceil(3).saturating_mul(4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rfc4954_examples() {
        let l = SaslLimits::default();
        // RFC 4954 section 8: AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ=
        assert_eq!(
            decode_initial_response(b"dGVzdAB0ZXN0ADEyMzQ=", &l).unwrap(),
            b"test\0test\x001234"
        );
        assert_eq!(decode_initial_response(b"=", &l).unwrap(), b"");
        assert_eq!(decode_response(b"", &l).unwrap(), Response::Data(vec![]));
        assert_eq!(decode_response(b"!!", &l), Err(SaslError::Base64));
        // Non-canonical padding is refused.
        assert_eq!(decode_response(b"dGVzdA", &l), Err(SaslError::Base64));
        let small = SaslLimits { max_encoded_len: 4 };
        assert!(matches!(
            decode_response(b"dGVzdA==", &small),
            Err(SaslError::Limit(_))
        ));
        let mut out = Vec::new();
        encode_initial_response(b"", &mut out);
        assert_eq!(out, b"=");
        assert_eq!(encoded_len(4), 8);
    }

    proptest! {
        #[test]
        fn base64_roundtrip(data in proptest::collection::vec(any::<u8>(), 0..300)) {
            let mut out = Vec::new();
            encode_initial_response(&data, &mut out);
            prop_assert_eq!(out.len(), if data.is_empty() { 1 } else { encoded_len(data.len()) });
            prop_assert_eq!(decode_initial_response(&out, &SaslLimits::default()).unwrap(), data);
        }
    }
}
