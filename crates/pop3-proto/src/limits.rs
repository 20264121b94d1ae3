//! The limits every parser and session of this crate enforces.

use mail_wire::sasl::SaslLimits;

/// Limits, with safe defaults taken from the RFCs where they set one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limits {
    /// Longest command line, CRLF included. RFC 2449 section 4 sets 255
    /// octets; `AUTH` lines and SASL responses have their own limit below.
    pub max_command_len: usize,
    /// Longest response line (status, continuation, capability or listing
    /// line), CRLF included. RFC 2449 section 4 sets 512 octets.
    pub max_response_len: usize,
    /// Most lines in a `CAPA`, bare `AUTH` or `LANG` answer (a flood guard;
    /// listings of `LIST` and `UIDL` are streamed and not limited).
    pub max_capabilities: usize,
    /// SASL limits: the longest base64 response or challenge, and the `AUTH`
    /// line with an initial response.
    pub sasl: SaslLimits,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_command_len: 255,
            max_response_len: 512,
            max_capabilities: 64,
            sasl: SaslLimits::default(),
        }
    }
}
