//! The digest of the `APOP` command (RFC 1939 section 7), behind the `apop`
//! feature.
//!
//! APOP is legacy: it proves knowledge of a shared secret with MD5, which is
//! broken as a hash, and it forces the server to store the secret in clear.
//! Prefer `AUTH` over TLS. It is here because old clients and servers still
//! use it.

use crate::types::ApopDigest;

/// MD5 of the greeting's timestamp (angle brackets included, as it appears
/// in the greeting) followed by the shared secret.
///
/// ```
/// use pop3_proto::apop::apop_digest;
/// // RFC 1939 section 7's example.
/// let d = apop_digest(b"<1896.697170952@dbc.mtview.ca.us>", b"tanstaaf");
/// assert_eq!(&d.to_hex(), b"c4c9334bac560ecc979e58001b3e22fb");
/// ```
#[must_use]
pub fn apop_digest(timestamp: &[u8], secret: &[u8]) -> ApopDigest {
    let mut ctx = md5::Context::new();
    ctx.consume(timestamp);
    ctx.consume(secret);
    ApopDigest(ctx.compute().0)
}

/// Checks a client's digest against the secret, in time that does not
/// depend on where the digests differ.
#[must_use]
pub fn apop_verify(timestamp: &[u8], secret: &[u8], digest: &ApopDigest) -> bool {
    let expected = apop_digest(timestamp, secret);
    expected
        .0
        .iter()
        .zip(digest.0.iter())
        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
        == 0
}
