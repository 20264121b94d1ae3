//! Values of the typed `RCPT` parameters: `NOTIFY` and `ORCPT` (RFC 3461),
//! `RRVS` (RFC 7293).

use std::borrow::Cow;
use std::fmt;

use mail_wire::SyntaxError;

use crate::parse::values as grammar;
use crate::types::datetime::DateTime;
use crate::types::xtext::XText;

/// `NOTIFY=` of `RCPT` (RFC 3461 section 4.1): `NEVER`, or a non-empty set
/// of `SUCCESS`, `FAILURE`, `DELAY`.
///
/// ```
/// use smtp_proto::Notify;
/// let n = Notify::on(true, true, false).unwrap();
/// assert_eq!(n.to_string(), "SUCCESS,FAILURE");
/// assert_eq!(Notify::never().to_string(), "NEVER");
/// assert!(Notify::on(false, false, false).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Notify(u8);

impl Notify {
    const SUCCESS: u8 = 1;
    const FAILURE: u8 = 2;
    const DELAY: u8 = 4;

    /// `NOTIFY=NEVER`.
    #[must_use]
    pub fn never() -> Self {
        Notify(0)
    }

    /// The conditions that trigger a DSN; `None` if none is set (use
    /// [`Notify::never`]).
    #[must_use]
    pub fn on(success: bool, failure: bool, delay: bool) -> Option<Self> {
        let bits = (u8::from(success) * Self::SUCCESS)
            | (u8::from(failure) * Self::FAILURE)
            | (u8::from(delay) * Self::DELAY);
        (bits != 0).then_some(Notify(bits))
    }

    pub(crate) fn from_bits(bits: u8) -> Self {
        Notify(bits & 7)
    }

    /// `NEVER`.
    #[must_use]
    pub fn is_never(self) -> bool {
        self.0 == 0
    }

    /// `SUCCESS` is set.
    #[must_use]
    pub fn success(self) -> bool {
        self.0 & Self::SUCCESS != 0
    }

    /// `FAILURE` is set.
    #[must_use]
    pub fn failure(self) -> bool {
        self.0 & Self::FAILURE != 0
    }

    /// `DELAY` is set.
    #[must_use]
    pub fn delay(self) -> bool {
        self.0 & Self::DELAY != 0
    }
}

impl fmt::Display for Notify {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_never() {
            return f.write_str("NEVER");
        }
        let mut sep = "";
        for (on, name) in [
            (self.success(), "SUCCESS"),
            (self.failure(), "FAILURE"),
            (self.delay(), "DELAY"),
        ] {
            if on {
                f.write_str(sep)?;
                f.write_str(name)?;
                sep = ",";
            }
        }
        Ok(())
    }
}

/// `ORCPT=addr-type;xtext` of `RCPT` (RFC 3461 section 4.2): the original
/// recipient, with its address decoded.
///
/// The value is held as one text, `addr-type;address`, borrowed from the
/// command line when the address has no `+XX` escape. The address type is
/// an atom, which cannot hold `;`, so the first `;` separates the two. One
/// text instead of two keeps the parameter small enough to sit in
/// [`RcptParameters`](crate::RcptParameters) without a box.
///
/// ```
/// use smtp_proto::{Orcpt, XText};
/// let o = Orcpt::new("rfc822", XText::new("Bob@Example.COM").unwrap()).unwrap();
/// assert_eq!(o.to_string(), "rfc822;Bob@Example.COM");
/// assert_eq!(o.addr_type(), "rfc822");
/// assert_eq!(o.address().as_str(), "Bob@Example.COM");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Orcpt<'a> {
    /// `addr-type ";" decoded-address`.
    text: Cow<'a, str>,
}

impl<'a> Orcpt<'a> {
    /// Validates `addr_type` as an RFC 5322 atom without `=` (`rfc822`,
    /// `utf-8`, ...).
    pub fn new(addr_type: impl AsRef<str>, address: XText<'_>) -> Result<Self, SyntaxError> {
        let addr_type = addr_type.as_ref();
        grammar::validate_atom(addr_type)?;
        Ok(Orcpt::from_parts(addr_type, &address))
    }

    /// Joins a valid address type and a decoded address.
    pub(crate) fn from_parts(addr_type: &str, address: &XText<'_>) -> Self {
        let address = address.as_str();
        let mut text = String::with_capacity(addr_type.len() + 1 + address.len());
        text.push_str(addr_type);
        text.push(';');
        text.push_str(address);
        Orcpt {
            text: Cow::Owned(text),
        }
    }

    /// Borrows `addr-type;address` as the parser found it: a valid atom,
    /// `;`, and an address that decodes to itself.
    pub(crate) fn from_plain(text: &'a str) -> Self {
        Orcpt {
            text: Cow::Borrowed(text),
        }
    }

    fn split(&self) -> (&str, &str) {
        self.text.split_once(';').unwrap_or((&self.text, ""))
    }

    /// The address type, as written (compare case-insensitively).
    #[must_use]
    pub fn addr_type(&self) -> &str {
        self.split().0
    }

    /// The decoded original address.
    #[must_use]
    pub fn address(&self) -> XText<'_> {
        XText::from_plain(self.split().1)
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> Orcpt<'static> {
        Orcpt {
            text: Cow::Owned(self.text.into_owned()),
        }
    }
}

impl fmt::Display for Orcpt<'_> {
    /// `addr-type;xtext`, the address encoded as on the wire.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{};{}", self.addr_type(), self.address())
    }
}

/// The no-support action of `RRVS` (RFC 7293 section 3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RrvsAction {
    /// `R`: reject if a later hop cannot check (the default).
    Reject,
    /// `C`: continue delivery.
    Continue,
}

/// `RRVS=date-time[;C|R]` of `RCPT` (RFC 7293 section 3.1).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rrvs<'a> {
    since: DateTime<'a>,
    action: Option<RrvsAction>,
}

impl<'a> Rrvs<'a> {
    /// Refuses a time with fractional seconds, which RFC 7293 forbids.
    pub fn new(since: DateTime<'a>, action: Option<RrvsAction>) -> Result<Self, SyntaxError> {
        if since.has_fraction() {
            let at = since.as_str().find('.').unwrap_or(0);
            return Err(SyntaxError::at(
                since.as_str().as_bytes(),
                at,
                "a time without fractional seconds",
            ));
        }
        Ok(Rrvs { since, action })
    }

    /// The time since which the mailbox must have been valid.
    #[must_use]
    pub fn since(&self) -> &DateTime<'a> {
        &self.since
    }

    /// The no-support action, if given.
    #[must_use]
    pub fn action(&self) -> Option<RrvsAction> {
        self.action
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> Rrvs<'static> {
        Rrvs {
            since: self.since.into_owned(),
            action: self.action,
        }
    }
}

impl fmt::Display for Rrvs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.since.as_str())?;
        match self.action {
            None => Ok(()),
            Some(RrvsAction::Reject) => f.write_str(";R"),
            Some(RrvsAction::Continue) => f.write_str(";C"),
        }
    }
}
