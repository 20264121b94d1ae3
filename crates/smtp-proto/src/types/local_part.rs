//! The local part of a mailbox (RFC 5321 section 4.1.2, RFC 6531 section
//! 3.3).

use std::borrow::Cow;
use std::fmt;

use mail_wire::SyntaxError;

use crate::parse::path as grammar;
use crate::types::path::AddressError;

/// Longest local part, in octets (RFC 5321 section 4.5.3.1.1).
pub const MAX_LOCAL_PART_LEN: usize = 64;

/// The part of a mailbox before the `@`, in its wire form (RFC 5321
/// `Local-part = Dot-string / Quoted-string`, extended with UTF-8 by RFC
/// 6531 section 3.3).
///
/// The wire form is kept, quotes and backslashes included, so that it goes
/// back out exactly as it came; [`LocalPart::unquoted`] gives the string it
/// stands for.
///
/// ```
/// use smtp_proto::LocalPart;
/// let lp = LocalPart::new("\"Joe\\,Smith\"").unwrap();
/// assert!(lp.is_quoted());
/// assert_eq!(lp.unquoted(), "Joe,Smith");
/// assert_eq!(LocalPart::from_unquoted("Joe,Smith").unwrap().as_str(), "\"Joe,Smith\"");
/// assert_eq!(LocalPart::from_unquoted("joe.smith").unwrap().as_str(), "joe.smith");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LocalPart<'a>(Cow<'a, str>);

impl<'a> LocalPart<'a> {
    /// Validates `wire` as a Dot-string or a Quoted-string (quotes included).
    pub fn new(wire: impl Into<Cow<'a, str>>) -> Result<Self, AddressError> {
        let wire = wire.into();
        let end = grammar::scan_local_part(&wire, 0)?;
        if end != wire.len() {
            return Err(SyntaxError::at(wire.as_bytes(), end, "end of local part").into());
        }
        Ok(LocalPart(wire))
    }

    /// Builds the local part that stands for `text`, quoting only when the
    /// text is not a valid Dot-string (the "minimum quoting" RFC 5321
    /// section 4.1.2 asks senders for).
    pub fn from_unquoted(text: &'a str) -> Result<Self, AddressError> {
        // A Dot-string stands for itself; text starting with a quote is
        // never one (atext has no '"'), so it is always quoted here.
        if !text.starts_with('"')
            && let Ok(lp) = LocalPart::new(text)
        {
            return Ok(lp);
        }
        let mut quoted = String::with_capacity(text.len().saturating_add(2));
        quoted.push('"');
        for c in text.chars() {
            if c == '"' || c == '\\' {
                quoted.push('\\');
            }
            quoted.push(c);
        }
        quoted.push('"');
        LocalPart::new(quoted)
    }

    pub(crate) fn from_valid(wire: &'a str) -> Self {
        LocalPart(Cow::Borrowed(wire))
    }

    /// The wire form.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `true` for the Quoted-string form.
    #[must_use]
    pub fn is_quoted(&self) -> bool {
        self.0.starts_with('"')
    }

    /// The string the local part stands for: quotes and quoting backslashes
    /// removed. Borrows unless a backslash must be dropped.
    #[must_use]
    pub fn unquoted(&self) -> Cow<'_, str> {
        let Some(inner) = self.0.strip_prefix('"').and_then(|s| s.strip_suffix('"')) else {
            return Cow::Borrowed(&self.0);
        };
        if !inner.contains('\\') {
            return Cow::Borrowed(inner);
        }
        let mut out = String::with_capacity(inner.len());
        let mut escaped = false;
        for c in inner.chars() {
            if c == '\\' && !escaped {
                escaped = true;
            } else {
                out.push(c);
                escaped = false;
            }
        }
        Cow::Owned(out)
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> LocalPart<'static> {
        LocalPart(Cow::Owned(self.0.into_owned()))
    }
}

impl fmt::Display for LocalPart<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
