//! SASL mechanism names (RFC 4422 section 3.1).

use std::borrow::Cow;
use std::fmt;

use crate::SyntaxError;

/// A SASL mechanism name, validated against RFC 4422 section 3.1:
/// 1 to 20 characters from `A-Z 0-9 - _`.
///
/// Names are case-insensitive on the wire; parsing upper-cases them so that
/// [`Mechanism`] values compare as the protocol does. The well-known
/// mechanisms this workspace runs itself have their own variants; every other
/// valid name is kept as [`Mechanism::Other`] and passes through as a raw
/// exchange.
///
/// ```
/// use mail_wire::sasl::Mechanism;
/// assert_eq!(Mechanism::parse(b"plain").unwrap(), Mechanism::Plain);
/// let m = Mechanism::parse(b"SCRAM-SHA-256").unwrap();
/// assert_eq!(m.as_str(), "SCRAM-SHA-256");
/// assert!(Mechanism::parse(b"BAD NAME").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Mechanism<'a> {
    /// `PLAIN` (RFC 4616).
    Plain,
    /// `LOGIN` (draft-murchison-sasl-login, the de-facto standard).
    Login,
    /// `XOAUTH2` (Google's OAuth 2.0 bearer exchange).
    XOAuth2,
    /// `OAUTHBEARER` (RFC 7628).
    OAuthBearer,
    /// Any other valid mechanism name, upper-cased. Only [`Mechanism::parse`]
    /// and [`Mechanism::new`] build it, so it never holds an invalid name
    /// nor the name of one of the variants above.
    Other(MechanismName<'a>),
}

/// The name of a mechanism without its own [`Mechanism`] variant: valid per
/// RFC 4422 section 3.1 and upper-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MechanismName<'a>(Cow<'a, str>);

impl MechanismName<'_> {
    /// The name.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for MechanismName<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

/// Longest mechanism name RFC 4422 section 3.1 allows.
pub const MAX_MECHANISM_LEN: usize = 20;

fn is_mech_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

impl<'a> Mechanism<'a> {
    /// Parses a mechanism name. Lower-case letters are accepted and
    /// upper-cased, since RFC 4422 makes names case-insensitive.
    pub fn parse(name: &'a [u8]) -> Result<Self, SyntaxError> {
        // The mechanisms with a variant, first: their names are valid, so
        // one comparison decides, without the character scan below.
        let known = match name.len() {
            5 if name.eq_ignore_ascii_case(b"PLAIN") => Some(Mechanism::Plain),
            5 if name.eq_ignore_ascii_case(b"LOGIN") => Some(Mechanism::Login),
            7 if name.eq_ignore_ascii_case(b"XOAUTH2") => Some(Mechanism::XOAuth2),
            11 if name.eq_ignore_ascii_case(b"OAUTHBEARER") => Some(Mechanism::OAuthBearer),
            _ => None,
        };
        if let Some(m) = known {
            return Ok(m);
        }
        if name.is_empty() {
            return Err(SyntaxError::at(name, 0, "a SASL mechanism name"));
        }
        if let Some(pos) = name.iter().position(|&b| !is_mech_char(b)) {
            return Err(SyntaxError::at(name, pos, "a SASL mechanism character"));
        }
        if name.len() > MAX_MECHANISM_LEN {
            return Err(SyntaxError::at(
                name,
                MAX_MECHANISM_LEN,
                "at most 20 characters in a SASL mechanism name",
            ));
        }
        // Only ASCII passed the character check, so this cannot fail.
        let s = std::str::from_utf8(name)
            .map_err(|_| SyntaxError::at(name, 0, "ASCII mechanism name"))?;
        if s.bytes().any(|b| b.is_ascii_lowercase()) {
            Ok(Mechanism::Other(MechanismName(Cow::Owned(
                s.to_ascii_uppercase(),
            ))))
        } else {
            Ok(Mechanism::Other(MechanismName(Cow::Borrowed(s))))
        }
    }

    /// A mechanism from its name (any case), like [`Mechanism::parse`].
    ///
    /// ```
    /// use mail_wire::sasl::Mechanism;
    /// assert_eq!(Mechanism::new("login").unwrap(), Mechanism::Login);
    /// assert_eq!(Mechanism::new("scram-sha-256").unwrap().as_str(), "SCRAM-SHA-256");
    /// ```
    pub fn new(name: &'a str) -> Result<Self, SyntaxError> {
        Mechanism::parse(name.as_bytes())
    }

    /// The name as it goes on the wire.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Mechanism::Plain => "PLAIN",
            Mechanism::Login => "LOGIN",
            Mechanism::XOAuth2 => "XOAUTH2",
            Mechanism::OAuthBearer => "OAUTHBEARER",
            Mechanism::Other(s) => s,
        }
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> Mechanism<'static> {
        match self {
            Mechanism::Plain => Mechanism::Plain,
            Mechanism::Login => Mechanism::Login,
            Mechanism::XOAuth2 => Mechanism::XOAuth2,
            Mechanism::OAuthBearer => Mechanism::OAuthBearer,
            Mechanism::Other(s) => Mechanism::Other(MechanismName(Cow::Owned(s.0.into_owned()))),
        }
    }
}

impl fmt::Display for Mechanism<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_validated_and_upper_cased() {
        assert_eq!(Mechanism::parse(b"xoauth2").unwrap(), Mechanism::XOAuth2);
        assert_eq!(
            Mechanism::parse(b"cram-md5").unwrap(),
            Mechanism::Other(MechanismName(Cow::Borrowed("CRAM-MD5")))
        );
        assert!(Mechanism::parse(b"").is_err());
        assert_eq!(Mechanism::parse(b"A\rB").unwrap_err().offset, 1);
        assert_eq!(
            Mechanism::parse(b"ABCDEFGHIJKLMNOPQRSTU")
                .unwrap_err()
                .offset,
            20
        );
        assert!(Mechanism::parse(b"ABCDEFGHIJKLMNOPQRST").is_ok());
    }
}
