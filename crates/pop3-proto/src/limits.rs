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

impl Limits {
    /// The longest line a server frames: `AUTH` with an initial response
    /// (RFC 5034 section 4) may run to the SASL limit plus the verb and the
    /// mechanism, every other command to [`Limits::max_command_len`] (see
    /// [`Limits::command_line_limit`]).
    #[must_use]
    pub fn max_framed_line_len(&self) -> usize {
        self.max_command_len
            .max(self.sasl.max_encoded_len.saturating_add(64))
    }

    /// The limit, CRLF included, of the command line that starts with
    /// `line` (a prefix of it is enough): [`Limits::max_framed_line_len`]
    /// for `AUTH` with an argument (or a prefix that may still become one),
    /// [`Limits::max_command_len`] for everything else.
    #[must_use]
    pub fn command_line_limit(&self, line: &[u8]) -> usize {
        const AUTH: &[u8] = b"AUTH ";
        let n = line.len().min(AUTH.len());
        let is_auth = matches!(
            (line.get(..n), AUTH.get(..n)),
            (Some(a), Some(b)) if a.eq_ignore_ascii_case(b)
        );
        if is_auth {
            self.max_framed_line_len()
        } else {
            self.max_command_len
        }
    }
}
