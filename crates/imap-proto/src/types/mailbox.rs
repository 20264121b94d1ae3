//! Mailbox names (RFC 3501 section 5.1, RFC 9051 section 5.1).
//!
//! ```text
//! mailbox = "INBOX" / astring
//!           ; INBOX is case-insensitive.  All case variants of INBOX
//!           ; (e.g., "iNbOx") MUST be interpreted as INBOX not as an astring.
//! ```

use core::fmt;
use std::borrow::Cow;

use super::error::{ValueError, check_bytes};
use super::string::{AString, is_char8};
use super::utf7::{self, Utf7Error};

/// A mailbox name, as the octets on the wire (an `astring`'s content).
///
/// Every case variant of `INBOX` is stored as `INBOX` (RFC 9051 section
/// 5.1), so `Mailbox` equality treats them alike; other names keep their
/// exact octets, since the RFCs take no position on their case.
///
/// Without UTF8=ACCEPT, non-ASCII names travel in modified UTF-7 (RFC 3501
/// section 5.1.3): [`Mailbox::from_utf8`] encodes and
/// [`Mailbox::decode_utf7`] decodes. Under UTF8=ACCEPT (RFC 6855 section
/// 3) names are raw UTF-8.
///
/// ```
/// use imap_proto::types::Mailbox;
/// let m = Mailbox::new(&b"iNbOx"[..]).unwrap();
/// assert!(m.is_inbox());
/// assert_eq!(m.as_bytes(), b"INBOX");
/// let m = Mailbox::from_utf8("~peter/mail/台北/日本語", false).unwrap();
/// assert_eq!(m.as_bytes(), b"~peter/mail/&U,BTFw-/&ZeVnLIqe-");
/// assert_eq!(m.decode_utf7().unwrap(), "~peter/mail/台北/日本語");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mailbox<'a>(Cow<'a, [u8]>);

const INBOX: &[u8] = b"INBOX";

impl<'a> Mailbox<'a> {
    /// `INBOX`.
    pub const INBOX: Mailbox<'static> = Mailbox(Cow::Borrowed(INBOX));

    /// A mailbox from the octets of its wire name (no NUL), normalising
    /// any case of `INBOX`.
    pub fn new(name: impl Into<Cow<'a, [u8]>>) -> Result<Self, ValueError> {
        let name = name.into();
        check_bytes("mailbox", &name, true, is_char8)?;
        Ok(Self::from_checked(name))
    }

    /// Wraps octets that were checked, normalising INBOX.
    pub(crate) fn from_checked(name: Cow<'a, [u8]>) -> Self {
        if name.eq_ignore_ascii_case(INBOX) {
            Mailbox(Cow::Borrowed(INBOX))
        } else {
            Mailbox(name)
        }
    }

    /// A mailbox from a Unicode name. Without UTF8=ACCEPT
    /// (`utf8_accept == false`) the name is encoded to modified UTF-7
    /// (RFC 3501 section 5.1.3); with it, it is kept as UTF-8 (RFC 6855
    /// section 3). Fails on NUL.
    pub fn from_utf8(name: &'a str, utf8_accept: bool) -> Result<Self, ValueError> {
        if utf8_accept {
            return Self::new(name.as_bytes());
        }
        match utf7::encode(name) {
            Cow::Borrowed(s) => Self::new(s.as_bytes()),
            Cow::Owned(s) => Self::new(s.into_bytes()),
        }
    }

    /// Decodes the modified UTF-7 name (RFC 3501 section 5.1.3) to
    /// Unicode. Invalid modified UTF-7 is an error, not replaced.
    pub fn decode_utf7(&self) -> Result<Cow<'_, str>, Utf7Error> {
        utf7::decode(&self.0)
    }

    /// Whether this is `INBOX`.
    #[must_use]
    pub fn is_inbox(&self) -> bool {
        *self.0 == *INBOX
    }

    /// The name's octets, as on the wire (`INBOX` upper-case).
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The name as text, if it is UTF-8 (always, for modified UTF-7).
    pub fn to_str(&self) -> Result<&str, core::str::Utf8Error> {
        core::str::from_utf8(&self.0)
    }

    /// The same value, owning its name.
    #[must_use]
    pub fn into_owned(self) -> Mailbox<'static> {
        Mailbox(Cow::Owned(self.0.into_owned()))
    }
}

impl fmt::Debug for Mailbox<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match core::str::from_utf8(&self.0) {
            Ok(s) => write!(f, "Mailbox({s:?})"),
            Err(_) => write!(f, "Mailbox(b\"{}\")", self.0.escape_ascii()),
        }
    }
}

impl<'a> From<AString<'a>> for Mailbox<'a> {
    fn from(s: AString<'a>) -> Self {
        Mailbox::from_checked(s.into_inner())
    }
}

impl<'a> From<Mailbox<'a>> for AString<'a> {
    fn from(m: Mailbox<'a>) -> Self {
        AString::from_checked(m.0)
    }
}
