//! Limits every SMTP session enforces, the same however the input is split.
//!
//! The parsers used alone take their limits from their own options
//! ([`crate::CommandOptions`], [`crate::ReplyLimits`]); a session sets those
//! from this one struct.

/// Limits of an SMTP session. `Default` gives values safe for a public MX.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limits {
    /// Longest command or reply line, CRLF included. RFC 5321 section
    /// 4.5.3.1.4 sets 512 for commands, but extensions lengthen MAIL and RCPT
    /// and RFC 4954 section 4 asks for 12288 octets for `AUTH` with an
    /// initial response, so that is the default.
    pub max_line_len: usize,
    /// ESMTP parameters on one MAIL or RCPT line (a guard against parameter
    /// floods; the RFC-defined parameters number about a dozen).
    pub max_parameters: usize,
    /// Recipients per transaction; one more gets `452 4.5.3` (RFC 5321
    /// section 4.5.3.1.10 requires at least 100).
    pub max_recipients: usize,
    /// Largest message accepted, in octets after dot-unstuffing; advertised
    /// as `SIZE`. A larger message is consumed and refused with `552 5.3.4`.
    pub max_message_size: u64,
    /// Bad commands tolerated on one connection before it is closed with
    /// `421 4.7.0`.
    pub max_errors: usize,
    /// Longest base64 SASL response, in octets.
    pub max_auth_len: usize,
    /// Lines in one reply (client side).
    pub max_reply_lines: usize,
    /// Bytes in one reply (client side).
    pub max_reply_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_line_len: 12288,
            max_parameters: crate::parse::DEFAULT_MAX_PARAMETERS,
            max_recipients: 100,
            max_message_size: 32 << 20,
            max_errors: 20,
            max_auth_len: 12288,
            max_reply_lines: 1000,
            max_reply_bytes: 64 << 10,
        }
    }
}
