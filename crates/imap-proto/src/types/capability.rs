//! Capabilities (RFC 9051 section 7.2.2, RFC 3501 section 7.2.1) as
//! announced in a CAPABILITY response or response code, and as listed by
//! ENABLED (RFC 5161 section 3.2).

use super::atom::Atom;
use super::error::ValueError;

macro_rules! caps {
    ($($(#[$doc:meta])* $var:ident => $wire:literal,)*) => {
        /// One capability. The known ones are matched case-insensitively
        /// and written in their RFC spelling; anything else is kept as
        /// [`Capability::Other`] and written back as it came.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Capability<'a> {
            $($(#[$doc])* $var,)*
            /// `AUTH=mechanism` (RFC 9051 section 6.2.2): the SASL mechanism name.
            Auth(Atom<'a>),
            /// Any other capability, as sent.
            Other(Atom<'a>),
        }

        impl<'a> Capability<'a> {
            /// The capability spelled `b` (an atom, any case), borrowing it.
            pub fn from_bytes(b: &'a [u8]) -> Result<Self, ValueError> {
                let a = Atom::from_bytes(b)?;
                $(if b.eq_ignore_ascii_case($wire.as_bytes()) {
                    return Ok(Capability::$var);
                })*
                if let Some((p, mech)) = b.split_at_checked(5) {
                    if p.eq_ignore_ascii_case(b"AUTH=") && !mech.is_empty() {
                        return Ok(Capability::Auth(Atom::from_bytes(mech)?));
                    }
                }
                Ok(Capability::Other(a))
            }

            /// The wire text of a known capability other than `AUTH=`.
            #[must_use]
            pub fn known_name(&self) -> Option<&'static str> {
                match self {
                    $(Capability::$var => Some($wire),)*
                    Capability::Auth(_) | Capability::Other(_) => None,
                }
            }

            /// The same value, owning its text.
            #[must_use]
            pub fn into_owned(self) -> Capability<'static> {
                match self {
                    $(Capability::$var => Capability::$var,)*
                    Capability::Auth(a) => Capability::Auth(a.into_owned()),
                    Capability::Other(a) => Capability::Other(a.into_owned()),
                }
            }
        }
    };
}

caps! {
    /// `IMAP4rev1` (RFC 3501).
    Imap4Rev1 => "IMAP4rev1",
    /// `IMAP4rev2` (RFC 9051).
    Imap4Rev2 => "IMAP4rev2",
    /// `STARTTLS` (RFC 9051 section 6.2.1).
    StartTls => "STARTTLS",
    /// `LOGINDISABLED` (RFC 9051 section 6.2.3).
    LoginDisabled => "LOGINDISABLED",
    /// `SASL-IR` (RFC 4959).
    SaslIr => "SASL-IR",
    /// `IDLE` (RFC 2177).
    Idle => "IDLE",
    /// `LITERAL+` (RFC 7888).
    LiteralPlus => "LITERAL+",
    /// `LITERAL-` (RFC 7888).
    LiteralMinus => "LITERAL-",
    /// `ENABLE` (RFC 5161).
    Enable => "ENABLE",
    /// `MOVE` (RFC 6851).
    Move => "MOVE",
    /// `UNSELECT` (RFC 3691).
    Unselect => "UNSELECT",
    /// `UIDPLUS` (RFC 4315).
    UidPlus => "UIDPLUS",
    /// `NAMESPACE` (RFC 2342).
    Namespace => "NAMESPACE",
    /// `ID` (RFC 2971).
    Id => "ID",
    /// `CHILDREN` (RFC 3348).
    Children => "CHILDREN",
    /// `CONDSTORE` (RFC 7162).
    CondStore => "CONDSTORE",
    /// `QRESYNC` (RFC 7162).
    QResync => "QRESYNC",
    /// `ESEARCH` (RFC 4731).
    ESearch => "ESEARCH",
    /// `BINARY` (RFC 3516).
    Binary => "BINARY",
    /// `SPECIAL-USE` (RFC 6154).
    SpecialUse => "SPECIAL-USE",
    /// `LIST-EXTENDED` (RFC 5258).
    ListExtended => "LIST-EXTENDED",
    /// `LIST-STATUS` (RFC 5819).
    ListStatus => "LIST-STATUS",
    /// `UTF8=ACCEPT` (RFC 6855).
    Utf8Accept => "UTF8=ACCEPT",
    /// `UTF8=ONLY` (RFC 6855).
    Utf8Only => "UTF8=ONLY",
    /// `STATUS=SIZE` (RFC 8438).
    StatusSize => "STATUS=SIZE",
    /// `LOGIN-REFERRALS` (RFC 2221).
    LoginReferrals => "LOGIN-REFERRALS",
}
