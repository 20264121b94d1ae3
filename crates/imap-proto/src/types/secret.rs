//! `Secret`, a wrapper that keeps passwords and other credentials out of
//! logs (RFC 9051 section 11 asks implementations to protect them).

use core::fmt;

/// A value that `Debug` does not show: `Secret(..)`. Wrap the password
/// of LOGIN (RFC 9051 section 6.2.3) and other credentials in it, so that
/// logging a command cannot leak them. The encoder writes the value as
/// usual.
///
/// ```
/// use imap_proto::types::{AString, Secret};
/// let s = Secret::new(AString::try_from("hunter2").unwrap());
/// assert_eq!(format!("{s:?}"), "Secret(..)");
/// assert_eq!(s.expose().as_bytes(), b"hunter2");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps `value`.
    #[must_use]
    pub fn new(value: T) -> Self {
        Secret(value)
    }

    /// The value, for the code that needs it (an encoder, a password
    /// check).
    #[must_use]
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// The value, unwrapped.
    #[must_use]
    pub fn into_inner(self) -> T {
        self.0
    }

    /// Applies `f` to the value, keeping it secret.
    #[must_use]
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Secret<U> {
        Secret(f(self.0))
    }
}

impl<T> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Secret(value)
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

impl Secret<super::AString<'_>> {
    /// The same value, owning its content.
    #[must_use]
    pub fn into_owned(self) -> Secret<super::AString<'static>> {
        Secret(self.0.into_owned())
    }
}
