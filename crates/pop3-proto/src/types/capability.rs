//! Capabilities listed in answer to `CAPA` (RFC 2449 sections 5 and 6,
//! RFC 2595 section 4, RFC 3206 section 6, RFC 5034 section 3, RFC 6856
//! sections 2 and 3).

use mail_wire::sasl::Mechanism;

use super::values::{Arg, Text, ValueError};

/// The `EXPIRE` policy (RFC 2449 section 6.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExpirePolicy {
    /// `NEVER`: the server never deletes messages by itself.
    Never,
    /// Messages may be deleted after this many days (0: right after
    /// retrieval).
    Days(u32),
}

/// One capability line.
///
/// Tags are case-insensitive on the wire; the encoder writes the canonical
/// upper-case form. A tag this type does not know is kept with its raw
/// parameters in [`Capability::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Capability<'a> {
    /// `TOP` (RFC 2449 section 6.1).
    Top,
    /// `USER` (RFC 2449 section 6.2).
    User,
    /// `SASL mech...` (RFC 2449 section 6.3, RFC 5034 section 3).
    Sasl(Vec<Mechanism<'a>>),
    /// `RESP-CODES` (RFC 2449 section 6.4).
    RespCodes,
    /// `LOGIN-DELAY seconds [USER]` (RFC 2449 section 6.5).
    LoginDelay {
        /// Minimum seconds between logins.
        seconds: u32,
        /// `USER`: the value may differ per user (only valid before login).
        per_user: bool,
    },
    /// `PIPELINING` (RFC 2449 section 6.6).
    Pipelining,
    /// `EXPIRE policy [USER]` (RFC 2449 section 6.7).
    Expire {
        /// The retention policy.
        policy: ExpirePolicy,
        /// `USER`: the value may differ per user.
        per_user: bool,
    },
    /// `UIDL` (RFC 2449 section 6.8).
    Uidl,
    /// `IMPLEMENTATION text` (RFC 2449 section 6.9).
    Implementation(Text<'a>),
    /// `STLS` (RFC 2595 section 4).
    Stls,
    /// `AUTH-RESP-CODE` (RFC 3206 section 6).
    AuthRespCode,
    /// `UTF8 [USER]` (RFC 6856 section 2): `USER` says `USER`/`PASS`
    /// accept UTF-8 too.
    Utf8 {
        /// The `USER` argument was present.
        user: bool,
    },
    /// `LANG` (RFC 6856 section 3).
    Lang,
    /// Any other tag, with its parameters as sent.
    Other {
        /// The tag: 1 to 40 printable ASCII characters other than `.`
        /// (RFC 2449 `capa-tag`).
        tag: Arg<'a>,
        /// Everything after the tag and its space, byte-exact (empty when the
        /// tag stands alone). RFC 2449 sets no length for a capability's
        /// parameters beyond the 512-octet line, so they are kept raw rather
        /// than as 40-octet arguments; [`Capability::params`] splits them.
        params: Text<'a>,
    },
}

/// Whether `b` may appear in a capability tag (`cchar` of RFC 2449 section
/// 3: printable ASCII other than `.`).
pub(crate) fn is_cchar(b: u8) -> bool {
    (0x21..=0x7e).contains(&b) && b != b'.'
}

impl<'a> Capability<'a> {
    /// An unknown capability, validated: the tag must be `1*cchar` and must
    /// not name a known capability; `params` (everything after the tag's
    /// space, possibly empty) cannot hold CR, LF or NUL by construction.
    pub fn other(tag: Arg<'a>, params: Text<'a>) -> Result<Self, ValueError> {
        if let Some(p) = tag.as_str().bytes().position(|b| !is_cchar(b)) {
            return Err(ValueError::InvalidByte {
                what: "capability tag",
                offset: p,
                byte: tag.as_str().as_bytes().get(p).copied().unwrap_or(0),
            });
        }
        const KNOWN: [&str; 13] = [
            "TOP",
            "USER",
            "SASL",
            "RESP-CODES",
            "LOGIN-DELAY",
            "PIPELINING",
            "EXPIRE",
            "UIDL",
            "IMPLEMENTATION",
            "STLS",
            "AUTH-RESP-CODE",
            "UTF8",
            "LANG",
        ];
        if KNOWN.iter().any(|k| tag.as_str().eq_ignore_ascii_case(k)) {
            return Err(ValueError::InvalidByte {
                what: "unknown capability (the tag names a known one)",
                offset: 0,
                byte: tag.as_str().as_bytes().first().copied().unwrap_or(0),
            });
        }
        Ok(Capability::Other { tag, params })
    }

    /// The space-separated parameters of an unknown capability (empty
    /// pieces, from doubled spaces, are skipped); nothing for the known
    /// ones, whose parameters are typed.
    pub fn params(&self) -> impl Iterator<Item = &[u8]> {
        let raw: &[u8] = match self {
            Capability::Other { params, .. } => params.as_bytes(),
            _ => b"",
        };
        raw.split(|&b| b == b' ').filter(|p| !p.is_empty())
    }

    /// The tag in canonical form.
    #[must_use]
    pub fn tag(&self) -> &str {
        match self {
            Capability::Top => "TOP",
            Capability::User => "USER",
            Capability::Sasl(_) => "SASL",
            Capability::RespCodes => "RESP-CODES",
            Capability::LoginDelay { .. } => "LOGIN-DELAY",
            Capability::Pipelining => "PIPELINING",
            Capability::Expire { .. } => "EXPIRE",
            Capability::Uidl => "UIDL",
            Capability::Implementation(_) => "IMPLEMENTATION",
            Capability::Stls => "STLS",
            Capability::AuthRespCode => "AUTH-RESP-CODE",
            Capability::Utf8 { .. } => "UTF8",
            Capability::Lang => "LANG",
            Capability::Other { tag, .. } => tag.as_str(),
        }
    }

    /// The same value, owning everything it borrowed.
    #[must_use]
    pub fn into_owned(self) -> Capability<'static> {
        match self {
            Capability::Top => Capability::Top,
            Capability::User => Capability::User,
            Capability::Sasl(m) => {
                Capability::Sasl(m.into_iter().map(Mechanism::into_owned).collect())
            }
            Capability::RespCodes => Capability::RespCodes,
            Capability::LoginDelay { seconds, per_user } => {
                Capability::LoginDelay { seconds, per_user }
            }
            Capability::Pipelining => Capability::Pipelining,
            Capability::Expire { policy, per_user } => Capability::Expire { policy, per_user },
            Capability::Uidl => Capability::Uidl,
            Capability::Implementation(t) => Capability::Implementation(t.into_owned()),
            Capability::Stls => Capability::Stls,
            Capability::AuthRespCode => Capability::AuthRespCode,
            Capability::Utf8 { user } => Capability::Utf8 { user },
            Capability::Lang => Capability::Lang,
            Capability::Other { tag, params } => Capability::Other {
                tag: tag.into_owned(),
                params: params.into_owned(),
            },
        }
    }
}

/// The whole answer to `CAPA`, in the order the server listed it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Capabilities<'a>(pub Vec<Capability<'a>>);

impl<'a> Capabilities<'a> {
    /// Whether a capability with this tag is listed (case-insensitive).
    #[must_use]
    pub fn has(&self, tag: &str) -> bool {
        self.0.iter().any(|c| c.tag().eq_ignore_ascii_case(tag))
    }

    /// `TOP` is listed.
    #[must_use]
    pub fn top(&self) -> bool {
        self.0.iter().any(|c| matches!(c, Capability::Top))
    }

    /// `USER` is listed.
    #[must_use]
    pub fn user(&self) -> bool {
        self.0.iter().any(|c| matches!(c, Capability::User))
    }

    /// `UIDL` is listed.
    #[must_use]
    pub fn uidl(&self) -> bool {
        self.0.iter().any(|c| matches!(c, Capability::Uidl))
    }

    /// `STLS` is listed.
    #[must_use]
    pub fn stls(&self) -> bool {
        self.0.iter().any(|c| matches!(c, Capability::Stls))
    }

    /// `PIPELINING` is listed.
    #[must_use]
    pub fn pipelining(&self) -> bool {
        self.0.iter().any(|c| matches!(c, Capability::Pipelining))
    }

    /// `RESP-CODES` is listed.
    #[must_use]
    pub fn resp_codes(&self) -> bool {
        self.0.iter().any(|c| matches!(c, Capability::RespCodes))
    }

    /// The SASL mechanisms listed (empty when there is no `SASL` line).
    pub fn sasl(&self) -> impl Iterator<Item = &Mechanism<'a>> {
        self.0.iter().flat_map(|c| match c {
            Capability::Sasl(m) => m.as_slice(),
            _ => &[],
        })
    }

    /// The same value, owning everything it borrowed.
    #[must_use]
    pub fn into_owned(self) -> Capabilities<'static> {
        Capabilities(self.0.into_iter().map(Capability::into_owned).collect())
    }
}
