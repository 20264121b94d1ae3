//! Enhanced mail system status codes (RFC 3463 section 2), as SMTP servers
//! put them at the start of reply text under ENHANCEDSTATUSCODES (RFC 2034).
//!
//! ```text
//! status-code = class "." subject "." detail
//! class       = "2" / "4" / "5"
//! subject     = 1*3digit
//! detail      = 1*3digit
//! ```
//!
//! Parsing lives in [`crate::parse::reply`] ([`EnhancedStatusCode::parse`]).

use core::fmt;

/// The class sub-code of an [`EnhancedStatusCode`] (RFC 3463 section 3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StatusClass {
    /// `2.X.X`: success.
    Success,
    /// `4.X.X`: persistent transient failure.
    PersistentTransientFailure,
    /// `5.X.X`: permanent failure.
    PermanentFailure,
}

impl StatusClass {
    /// The class digit as a number: 2, 4 or 5.
    #[must_use]
    pub const fn as_u8(self) -> u8 {
        match self {
            StatusClass::Success => 2,
            StatusClass::PersistentTransientFailure => 4,
            StatusClass::PermanentFailure => 5,
        }
    }

    /// The class for digit 2, 4 or 5; `None` for any other value.
    #[must_use]
    pub const fn from_u8(digit: u8) -> Option<Self> {
        match digit {
            2 => Some(StatusClass::Success),
            4 => Some(StatusClass::PersistentTransientFailure),
            5 => Some(StatusClass::PermanentFailure),
            _ => None,
        }
    }
}

/// Largest subject or detail value: RFC 3463 allows at most three digits.
pub const MAX_SUB_CODE: u16 = 999;

/// A sub-code was out of range when building an [`EnhancedStatusCode`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("enhanced status sub-codes must be 0-999, got subject {subject} detail {detail}")]
pub struct InvalidStatusCode {
    /// The subject given.
    pub subject: u16,
    /// The detail given.
    pub detail: u16,
}

/// An enhanced mail system status code such as `5.1.1` (RFC 3463 section 2).
///
/// The subject and detail are each 0 to 999; the wire form has no leading
/// zeros, so every value has exactly one spelling.
///
/// ```
/// use smtp_proto::{EnhancedStatusCode, StatusClass};
/// let c = EnhancedStatusCode::parse(b"5.1.1").unwrap();
/// assert_eq!(c, EnhancedStatusCode::BAD_DESTINATION_MAILBOX);
/// assert_eq!(c.class(), StatusClass::PermanentFailure);
/// assert_eq!(c.to_string(), "5.1.1");
/// assert!(EnhancedStatusCode::parse(b"3.1.1").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EnhancedStatusCode {
    class: StatusClass,
    subject: u16,
    detail: u16,
}

impl EnhancedStatusCode {
    /// Builds a code, checking that `subject` and `detail` are at most 999.
    pub const fn new(
        class: StatusClass,
        subject: u16,
        detail: u16,
    ) -> Result<Self, InvalidStatusCode> {
        if subject > MAX_SUB_CODE || detail > MAX_SUB_CODE {
            return Err(InvalidStatusCode { subject, detail });
        }
        Ok(EnhancedStatusCode {
            class,
            subject,
            detail,
        })
    }

    /// For the constants below and for the parser, which checked the range.
    pub(crate) const fn from_valid(class: StatusClass, subject: u16, detail: u16) -> Self {
        EnhancedStatusCode {
            class,
            subject,
            detail,
        }
    }

    /// The class sub-code.
    #[must_use]
    pub const fn class(self) -> StatusClass {
        self.class
    }

    /// The subject sub-code (RFC 3463 section 3.2 ff.), 0-999.
    #[must_use]
    pub const fn subject(self) -> u16 {
        self.subject
    }

    /// The detail sub-code, 0-999.
    #[must_use]
    pub const fn detail(self) -> u16 {
        self.detail
    }

    /// `true` for class 2.
    #[must_use]
    pub const fn is_success(self) -> bool {
        matches!(self.class, StatusClass::Success)
    }

    /// `true` for class 4.
    #[must_use]
    pub const fn is_transient(self) -> bool {
        matches!(self.class, StatusClass::PersistentTransientFailure)
    }

    /// `true` for class 5.
    #[must_use]
    pub const fn is_permanent(self) -> bool {
        matches!(self.class, StatusClass::PermanentFailure)
    }

    /// The same subject and detail in another class, e.g. to turn
    /// `5.2.2` (mailbox full) into `4.2.2`.
    #[must_use]
    pub const fn with_class(self, class: StatusClass) -> Self {
        EnhancedStatusCode { class, ..self }
    }

    /// Length of the wire form (5 to 9 bytes).
    #[must_use]
    pub fn encoded_len(self) -> usize {
        3 + digits(self.subject) + digits(self.detail)
    }

    // Common codes (RFC 3463 section 3, with the uses RFC 5321, RFC 3030 and
    // RFC 4954 give them).

    /// `2.0.0` Other undefined status (success): `221 2.0.0 Bye`.
    pub const OK: Self = Self::from_valid(StatusClass::Success, 0, 0);
    /// `2.1.0` Other address status: sender accepted.
    pub const SENDER_OK: Self = Self::from_valid(StatusClass::Success, 1, 0);
    /// `2.1.5` Destination address valid: recipient accepted.
    pub const DESTINATION_VALID: Self = Self::from_valid(StatusClass::Success, 1, 5);
    /// `2.6.0` Other or undefined media status: message accepted.
    pub const MESSAGE_ACCEPTED: Self = Self::from_valid(StatusClass::Success, 6, 0);
    /// `2.7.0` Other security status: authentication succeeded (RFC 4954).
    pub const AUTH_SUCCEEDED: Self = Self::from_valid(StatusClass::Success, 7, 0);
    /// `5.0.0` Other undefined status.
    pub const PERMANENT_UNDEFINED: Self = Self::from_valid(StatusClass::PermanentFailure, 0, 0);
    /// `4.0.0` Other undefined status.
    pub const TRANSIENT_UNDEFINED: Self =
        Self::from_valid(StatusClass::PersistentTransientFailure, 0, 0);
    /// `5.1.1` Bad destination mailbox address.
    pub const BAD_DESTINATION_MAILBOX: Self = Self::from_valid(StatusClass::PermanentFailure, 1, 1);
    /// `5.1.2` Bad destination system address.
    pub const BAD_DESTINATION_SYSTEM: Self = Self::from_valid(StatusClass::PermanentFailure, 1, 2);
    /// `5.1.3` Bad destination mailbox address syntax.
    pub const BAD_DESTINATION_SYNTAX: Self = Self::from_valid(StatusClass::PermanentFailure, 1, 3);
    /// `5.1.7` Bad sender's mailbox address syntax.
    pub const BAD_SENDER_SYNTAX: Self = Self::from_valid(StatusClass::PermanentFailure, 1, 7);
    /// `5.1.8` Bad sender's system address.
    pub const BAD_SENDER_SYSTEM: Self = Self::from_valid(StatusClass::PermanentFailure, 1, 8);
    /// `5.2.1` Mailbox disabled, not accepting messages.
    pub const MAILBOX_DISABLED: Self = Self::from_valid(StatusClass::PermanentFailure, 2, 1);
    /// `4.2.2` Mailbox full (transient form; [`Self::with_class`] gives `5.2.2`).
    pub const MAILBOX_FULL: Self = Self::from_valid(StatusClass::PersistentTransientFailure, 2, 2);
    /// `5.2.3` Message length exceeds administrative limit.
    pub const MESSAGE_LENGTH_EXCEEDED: Self = Self::from_valid(StatusClass::PermanentFailure, 2, 3);
    /// `4.3.0` Other or undefined mail system status.
    pub const MAIL_SYSTEM_ERROR: Self =
        Self::from_valid(StatusClass::PersistentTransientFailure, 3, 0);
    /// `4.3.1` Mail system full.
    pub const MAIL_SYSTEM_FULL: Self =
        Self::from_valid(StatusClass::PersistentTransientFailure, 3, 1);
    /// `4.3.2` System not accepting network messages.
    pub const SYSTEM_NOT_ACCEPTING: Self =
        Self::from_valid(StatusClass::PersistentTransientFailure, 3, 2);
    /// `5.3.4` Message too big for system.
    pub const MESSAGE_TOO_BIG: Self = Self::from_valid(StatusClass::PermanentFailure, 3, 4);
    /// `4.4.2` Bad connection.
    pub const BAD_CONNECTION: Self =
        Self::from_valid(StatusClass::PersistentTransientFailure, 4, 2);
    /// `4.4.5` Mail system congestion.
    pub const CONGESTION: Self = Self::from_valid(StatusClass::PersistentTransientFailure, 4, 5);
    /// `5.5.1` Invalid command.
    pub const INVALID_COMMAND: Self = Self::from_valid(StatusClass::PermanentFailure, 5, 1);
    /// `5.5.2` Syntax error.
    pub const SYNTAX_ERROR: Self = Self::from_valid(StatusClass::PermanentFailure, 5, 2);
    /// `4.5.3` Too many recipients (RFC 5321 4.5.3.1.10 answers `452 4.5.3`).
    pub const TOO_MANY_RECIPIENTS: Self =
        Self::from_valid(StatusClass::PersistentTransientFailure, 5, 3);
    /// `5.5.4` Invalid command arguments.
    pub const INVALID_ARGUMENTS: Self = Self::from_valid(StatusClass::PermanentFailure, 5, 4);
    /// `5.5.6` Authentication exchange line too long (RFC 4954).
    pub const AUTH_LINE_TOO_LONG: Self = Self::from_valid(StatusClass::PermanentFailure, 5, 6);
    /// `5.6.3` Conversion required but not supported.
    pub const CONVERSION_NOT_SUPPORTED: Self =
        Self::from_valid(StatusClass::PermanentFailure, 6, 3);
    /// `5.7.0` Other security status: authentication required (RFC 4954 `530`).
    pub const AUTH_REQUIRED: Self = Self::from_valid(StatusClass::PermanentFailure, 7, 0);
    /// `4.7.0` Temporary authentication failure (RFC 4954 `454`).
    pub const TEMP_AUTH_FAILURE: Self =
        Self::from_valid(StatusClass::PersistentTransientFailure, 7, 0);
    /// `5.7.1` Delivery not authorized, message refused.
    pub const NOT_AUTHORIZED: Self = Self::from_valid(StatusClass::PermanentFailure, 7, 1);
    /// `5.7.8` Authentication credentials invalid (RFC 4954 `535`).
    pub const AUTH_CREDENTIALS_INVALID: Self =
        Self::from_valid(StatusClass::PermanentFailure, 7, 8);
    /// `5.7.9` Authentication mechanism is too weak (RFC 4954 `534`).
    pub const AUTH_MECHANISM_TOO_WEAK: Self = Self::from_valid(StatusClass::PermanentFailure, 7, 9);
    /// `5.7.11` Encryption required for requested authentication mechanism
    /// (RFC 4954 `538`).
    pub const ENCRYPTION_REQUIRED: Self = Self::from_valid(StatusClass::PermanentFailure, 7, 11);
}

/// Number of decimal digits of a sub-code (at most 999, so 1 to 3).
fn digits(v: u16) -> usize {
    match v {
        0..=9 => 1,
        10..=99 => 2,
        _ => 3,
    }
}

impl fmt::Display for EnhancedStatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.class.as_u8(), self.subject, self.detail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_is_checked_and_display_has_no_leading_zeros() {
        assert!(EnhancedStatusCode::new(StatusClass::Success, 1000, 0).is_err());
        assert!(EnhancedStatusCode::new(StatusClass::Success, 0, 1000).is_err());
        let c = EnhancedStatusCode::new(StatusClass::Success, 1, 23).unwrap();
        assert_eq!(c.to_string(), "2.1.23");
        assert_eq!(c.encoded_len(), 6);
        assert_eq!(
            EnhancedStatusCode::ENCRYPTION_REQUIRED.to_string(),
            "5.7.11"
        );
        assert_eq!(
            EnhancedStatusCode::MAILBOX_FULL
                .with_class(StatusClass::PermanentFailure)
                .to_string(),
            "5.2.2"
        );
        let max = EnhancedStatusCode::new(StatusClass::PermanentFailure, 999, 999).unwrap();
        assert_eq!(max.encoded_len(), max.to_string().len());
        assert_eq!(StatusClass::from_u8(3), None);
        assert_eq!(StatusClass::from_u8(4).map(StatusClass::as_u8), Some(4));
    }
}
