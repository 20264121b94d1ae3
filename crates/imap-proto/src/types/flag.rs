//! Message flags (RFC 3501 section 2.3.2, RFC 9051 section 2.3.2).
//!
//! ```text
//! flag           = "\Answered" / "\Flagged" / "\Deleted" /
//!                  "\Seen" / "\Draft" / flag-keyword / flag-extension
//! flag-keyword   = "$MDNSent" / "$Forwarded" / "$Junk" /
//!                  "$NotJunk" / "$Phishing" / atom
//! flag-extension = "\" atom
//! flag-fetch     = flag / obsolete-flag-recent     ; "\Recent"
//! flag-perm      = flag / "\*"
//! ```

use super::atom::Atom;

/// A message flag. System flags are matched case-insensitively and
/// written in their RFC spelling; keywords and extensions keep their text.
///
/// ```
/// use imap_proto::types::{Atom, Flag};
/// assert_eq!(Flag::system("SEEN"), Some(Flag::Seen));
/// assert_eq!(Flag::extension(Atom::new("deleted").unwrap()), Flag::Deleted);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Flag<'a> {
    /// `\Answered`: the message has been answered.
    Answered,
    /// `\Flagged`: flagged for urgent or special attention.
    Flagged,
    /// `\Deleted`: marked for removal by EXPUNGE.
    Deleted,
    /// `\Seen`: the message has been read.
    Seen,
    /// `\Draft`: the message is not yet complete.
    Draft,
    /// `\Recent`: first session to see the message (IMAP4rev1 only; RFC
    /// 9051 keeps it only as `obsolete-flag-recent` in FETCH results).
    Recent,
    /// A keyword (`flag-keyword`), such as `$Forwarded` or `$Junk`.
    Keyword(Atom<'a>),
    /// Any other `\atom` (`flag-extension`), name without the backslash.
    /// Clients must accept these. Build it with [`Flag::extension`] so a
    /// system flag name becomes its own variant.
    Extension(Atom<'a>),
}

impl<'a> Flag<'a> {
    /// The system flag named `name` (without `\`, any case), if it is one.
    #[must_use]
    pub fn system(name: &str) -> Option<Flag<'static>> {
        let n = name.as_bytes();
        Some(if n.eq_ignore_ascii_case(b"Answered") {
            Flag::Answered
        } else if n.eq_ignore_ascii_case(b"Flagged") {
            Flag::Flagged
        } else if n.eq_ignore_ascii_case(b"Deleted") {
            Flag::Deleted
        } else if n.eq_ignore_ascii_case(b"Seen") {
            Flag::Seen
        } else if n.eq_ignore_ascii_case(b"Draft") {
            Flag::Draft
        } else if n.eq_ignore_ascii_case(b"Recent") {
            Flag::Recent
        } else {
            return None;
        })
    }

    /// The flag `\name`: a system flag if `name` is one, else
    /// [`Flag::Extension`].
    #[must_use]
    pub fn extension(name: Atom<'a>) -> Flag<'a> {
        Flag::system(name.as_str()).unwrap_or(Flag::Extension(name))
    }

    /// The wire text of a system flag, `None` for keywords and extensions.
    #[must_use]
    pub fn system_name(&self) -> Option<&'static str> {
        Some(match self {
            Flag::Answered => "\\Answered",
            Flag::Flagged => "\\Flagged",
            Flag::Deleted => "\\Deleted",
            Flag::Seen => "\\Seen",
            Flag::Draft => "\\Draft",
            Flag::Recent => "\\Recent",
            Flag::Keyword(_) | Flag::Extension(_) => return None,
        })
    }

    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> Flag<'static> {
        match self {
            Flag::Answered => Flag::Answered,
            Flag::Flagged => Flag::Flagged,
            Flag::Deleted => Flag::Deleted,
            Flag::Seen => Flag::Seen,
            Flag::Draft => Flag::Draft,
            Flag::Recent => Flag::Recent,
            Flag::Keyword(a) => Flag::Keyword(a.into_owned()),
            Flag::Extension(a) => Flag::Extension(a.into_owned()),
        }
    }
}

/// A `flag-perm` of the PERMANENTFLAGS response code (RFC 9051 section
/// 7.1): a flag, or `\*` meaning new keywords may be created.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum FlagPerm<'a> {
    /// A flag that can be changed permanently.
    Flag(Flag<'a>),
    /// `\*`: the client may create new keywords.
    Wildcard,
}

impl FlagPerm<'_> {
    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> FlagPerm<'static> {
        match self {
            FlagPerm::Flag(f) => FlagPerm::Flag(f.into_owned()),
            FlagPerm::Wildcard => FlagPerm::Wildcard,
        }
    }
}

impl<'a> From<Flag<'a>> for FlagPerm<'a> {
    fn from(f: Flag<'a>) -> Self {
        FlagPerm::Flag(f)
    }
}
