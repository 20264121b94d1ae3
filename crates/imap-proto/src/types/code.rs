//! Response codes: the bracketed `resp-text-code` of status responses
//! (RFC 9051 section 7.1, RFC 3501 section 7.1, RFC 4315 UIDPLUS,
//! RFC 7162 CONDSTORE, RFC 5530, RFC 6154).

use core::fmt;
use core::num::NonZeroU32;
use std::borrow::Cow;

use super::atom::Atom;
use super::capability::Capability;
use super::error::{ValueError, check_bytes};
use super::flag::FlagPerm;
use super::nonempty::NonEmptyVec;
use super::sequence::SequenceSet;
use super::string::AString;

macro_rules! simple_codes {
    ($($(#[$doc:meta])* $var:ident => $wire:literal,)*) => {
        /// A response code.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Code<'a> {
            $($(#[$doc])* $var,)*
            /// `BADCHARSET [SP "(" charset *(SP charset) ")"]`.
            BadCharset(Vec<AString<'a>>),
            /// `CAPABILITY capability...`.
            Capability(NonEmptyVec<Capability<'a>>),
            /// `PERMANENTFLAGS (flag-perm...)`.
            PermanentFlags(Vec<FlagPerm<'a>>),
            /// `UIDNEXT nz-number`.
            UidNext(NonZeroU32),
            /// `UIDVALIDITY nz-number`.
            UidValidity(NonZeroU32),
            /// `UNSEEN nz-number` (IMAP4rev1).
            Unseen(NonZeroU32),
            /// `APPENDUID uidvalidity uid-set` (RFC 4315, RFC 9051).
            AppendUid {
                /// The mailbox's UIDVALIDITY.
                uid_validity: NonZeroU32,
                /// The UIDs given to the appended messages.
                uids: SequenceSet,
            },
            /// `COPYUID uidvalidity source-set dest-set` (RFC 4315, RFC 9051).
            CopyUid {
                /// The destination's UIDVALIDITY.
                uid_validity: NonZeroU32,
                /// The source UIDs.
                source: SequenceSet,
                /// The destination UIDs, in the same order.
                dest: SequenceSet,
            },
            /// `HIGHESTMODSEQ mod-sequence-value` (RFC 7162).
            HighestModSeq(u64),
            /// `MODIFIED sequence-set` (RFC 7162).
            Modified(SequenceSet),
            /// Any other code: its name and the text after it, as sent.
            Other {
                /// The code's name.
                name: Atom<'a>,
                /// What follows a space, up to `]`.
                text: Option<CodeText<'a>>,
            },
        }

        impl Code<'_> {
            /// The wire name of a code without arguments.
            #[must_use]
            pub(crate) fn simple_name(&self) -> Option<&'static str> {
                match self {
                    $(Code::$var => Some($wire),)*
                    _ => None,
                }
            }

            /// The code without arguments named `b` (any case).
            #[must_use]
            pub(crate) fn simple(b: &[u8]) -> Option<Code<'static>> {
                $(if b.eq_ignore_ascii_case($wire.as_bytes()) {
                    return Some(Code::$var);
                })*
                None
            }
        }
    };
}

simple_codes! {
    /// `ALERT`: show the text to the user.
    Alert => "ALERT",
    /// `PARSE`: the server could not parse a message's headers.
    Parse => "PARSE",
    /// `READ-ONLY`.
    ReadOnly => "READ-ONLY",
    /// `READ-WRITE`.
    ReadWrite => "READ-WRITE",
    /// `TRYCREATE`: the target mailbox does not exist but could be created.
    TryCreate => "TRYCREATE",
    /// `UIDNOTSTICKY` (RFC 4315).
    UidNotSticky => "UIDNOTSTICKY",
    /// `CLOSED` (RFC 7162, RFC 9051).
    Closed => "CLOSED",
    /// `NOMODSEQ` (RFC 7162).
    NoModSeq => "NOMODSEQ",
    /// `NOTSAVED` (RFC 5182, RFC 9051).
    NotSaved => "NOTSAVED",
    /// `HASCHILDREN` (RFC 9051).
    HasChildren => "HASCHILDREN",
    /// `USEATTR` (RFC 6154).
    UseAttr => "USEATTR",
    /// `UNAVAILABLE` (RFC 5530).
    Unavailable => "UNAVAILABLE",
    /// `AUTHENTICATIONFAILED` (RFC 5530).
    AuthenticationFailed => "AUTHENTICATIONFAILED",
    /// `AUTHORIZATIONFAILED` (RFC 5530).
    AuthorizationFailed => "AUTHORIZATIONFAILED",
    /// `EXPIRED` (RFC 5530).
    Expired => "EXPIRED",
    /// `PRIVACYREQUIRED` (RFC 5530).
    PrivacyRequired => "PRIVACYREQUIRED",
    /// `CONTACTADMIN` (RFC 5530).
    ContactAdmin => "CONTACTADMIN",
    /// `NOPERM` (RFC 5530).
    NoPerm => "NOPERM",
    /// `INUSE` (RFC 5530).
    InUse => "INUSE",
    /// `EXPUNGEISSUED` (RFC 5530).
    ExpungeIssued => "EXPUNGEISSUED",
    /// `CORRUPTION` (RFC 5530).
    Corruption => "CORRUPTION",
    /// `SERVERBUG` (RFC 5530).
    ServerBug => "SERVERBUG",
    /// `CLIENTBUG` (RFC 5530).
    ClientBug => "CLIENTBUG",
    /// `CANNOT` (RFC 5530).
    Cannot => "CANNOT",
    /// `LIMIT` (RFC 5530).
    Limit => "LIMIT",
    /// `OVERQUOTA` (RFC 5530).
    OverQuota => "OVERQUOTA",
    /// `ALREADYEXISTS` (RFC 5530).
    AlreadyExists => "ALREADYEXISTS",
    /// `NONEXISTENT` (RFC 5530).
    NonExistent => "NONEXISTENT",
}

impl Code<'_> {
    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> Code<'static> {
        match self {
            Code::BadCharset(v) => {
                Code::BadCharset(v.into_iter().map(AString::into_owned).collect())
            }
            Code::Capability(c) => Code::Capability(c.map(Capability::into_owned)),
            Code::PermanentFlags(f) => {
                Code::PermanentFlags(f.into_iter().map(FlagPerm::into_owned).collect())
            }
            Code::UidNext(n) => Code::UidNext(n),
            Code::UidValidity(n) => Code::UidValidity(n),
            Code::Unseen(n) => Code::Unseen(n),
            Code::AppendUid { uid_validity, uids } => Code::AppendUid { uid_validity, uids },
            Code::CopyUid {
                uid_validity,
                source,
                dest,
            } => Code::CopyUid {
                uid_validity,
                source,
                dest,
            },
            Code::HighestModSeq(n) => Code::HighestModSeq(n),
            Code::Modified(s) => Code::Modified(s),
            Code::Other { name, text } => Code::Other {
                name: name.into_owned(),
                text: text.map(CodeText::into_owned),
            },
            simple => simple
                .simple_name()
                .and_then(|n| Code::simple(n.as_bytes()))
                .unwrap_or(Code::Alert),
        }
    }
}

/// The argument text of an unknown response code (RFC 9051 section 9:
/// `1*<any TEXT-CHAR except "]">`): non-empty, no `]`, CR, LF or NUL.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CodeText<'a>(Cow<'a, str>);

impl<'a> CodeText<'a> {
    /// Validates `s`.
    pub fn new(s: impl Into<Cow<'a, str>>) -> Result<Self, ValueError> {
        let s = s.into();
        check_bytes("response code text", s.as_bytes(), false, |b| {
            !matches!(b, b']' | b'\r' | b'\n' | 0)
        })?;
        Ok(CodeText(s))
    }

    /// Wraps text the parser checked.
    pub(crate) fn from_checked(s: &'a str) -> Self {
        CodeText(Cow::Borrowed(s))
    }

    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> CodeText<'static> {
        CodeText(Cow::Owned(self.0.into_owned()))
    }
}

impl fmt::Debug for CodeText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CodeText({:?})", &*self.0)
    }
}
