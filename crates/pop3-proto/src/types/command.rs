//! POP3 commands: RFC 1939 section 5-7, RFC 2449 (CAPA), RFC 2595 (STLS),
//! RFC 5034 (AUTH) and RFC 6856 (UTF8, LANG).

use std::borrow::Cow;

use mail_wire::sasl::Mechanism;

use super::values::{ApopDigest, Arg, Base64, LangTag, MsgNum, Secret};

/// A client command.
///
/// Verbs are case-insensitive on the wire (RFC 1939 section 3); the encoder
/// writes them in upper case. A verb this type does not know is kept in
/// [`Command::Unknown`] with its raw arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command<'a> {
    /// `USER name` (RFC 1939 section 7).
    User(Arg<'a>),
    /// `PASS string` (RFC 1939 section 7); the password runs to the end of
    /// the line and may contain spaces.
    Pass(Secret<'a>),
    /// `APOP name digest` (RFC 1939 section 7).
    Apop {
        /// The mailbox name.
        name: Arg<'a>,
        /// MD5 of the greeting's timestamp followed by the shared secret.
        digest: ApopDigest,
    },
    /// `AUTH mechanism [initial-response]` (RFC 5034 section 4).
    Auth {
        /// The SASL mechanism.
        mechanism: Mechanism<'a>,
        /// The initial response, still base64 (`=` for an empty one).
        initial_response: Option<Base64<'a>>,
    },
    /// `AUTH` with no argument: a request for the list of mechanisms, as in
    /// the pre-RFC 5034 extension of RFC 1734 that Outlook and Thunderbird
    /// still probe with and Dovecot answers with a multi-line list.
    AuthList,
    /// `STLS` (RFC 2595 section 4).
    Stls,
    /// `CAPA` (RFC 2449 section 5).
    Capa,
    /// `STAT` (RFC 1939 section 5).
    Stat,
    /// `LIST [msg]` (RFC 1939 section 5).
    List(Option<MsgNum>),
    /// `UIDL [msg]` (RFC 1939 section 7).
    Uidl(Option<MsgNum>),
    /// `RETR msg` (RFC 1939 section 5).
    Retr(MsgNum),
    /// `TOP msg n` (RFC 1939 section 7): the header and the first `n` lines
    /// of the body.
    Top {
        /// The message.
        msg: MsgNum,
        /// How many body lines.
        lines: u32,
    },
    /// `DELE msg` (RFC 1939 section 5).
    Dele(MsgNum),
    /// `NOOP` (RFC 1939 section 5).
    Noop,
    /// `RSET` (RFC 1939 section 5).
    Rset,
    /// `QUIT` (RFC 1939 sections 4 and 6).
    Quit,
    /// `UTF8` (RFC 6856 section 2).
    Utf8,
    /// `LANG [tag]` (RFC 6856 section 3): with no argument, a request for the
    /// list of languages.
    Lang(Option<LangTag<'a>>),
    /// Any other verb, with everything after the verb and its space (empty
    /// when there were no arguments). The verb is 1 to 40 printable octets;
    /// the arguments may not contain CR, LF or NUL.
    Unknown {
        /// The verb as sent.
        verb: Arg<'a>,
        /// The raw arguments.
        args: Cow<'a, [u8]>,
    },
}

impl Command<'_> {
    /// The verb in upper case (`"UNKNOWN"`-style verbs are returned as sent).
    #[must_use]
    pub fn verb(&self) -> &str {
        match self {
            Command::User(_) => "USER",
            Command::Pass(_) => "PASS",
            Command::Apop { .. } => "APOP",
            Command::Auth { .. } | Command::AuthList => "AUTH",
            Command::Stls => "STLS",
            Command::Capa => "CAPA",
            Command::Stat => "STAT",
            Command::List(_) => "LIST",
            Command::Uidl(_) => "UIDL",
            Command::Retr(_) => "RETR",
            Command::Top { .. } => "TOP",
            Command::Dele(_) => "DELE",
            Command::Noop => "NOOP",
            Command::Rset => "RSET",
            Command::Quit => "QUIT",
            Command::Utf8 => "UTF8",
            Command::Lang(_) => "LANG",
            Command::Unknown { verb, .. } => verb.as_str(),
        }
    }

    /// The kind of response this command gets when it succeeds: whether a
    /// multi-line block follows the `+OK` line (RFC 1939 section 3). A client
    /// needs this to frame the server's answer.
    #[must_use]
    pub fn response_kind(&self) -> ResponseKind {
        match self {
            Command::Capa | Command::AuthList => ResponseKind::MultiLine,
            Command::List(None) | Command::Uidl(None) | Command::Lang(None) => {
                ResponseKind::MultiLine
            }
            Command::Retr(_) | Command::Top { .. } => ResponseKind::Body,
            Command::Auth { .. } => ResponseKind::Sasl,
            _ => ResponseKind::SingleLine,
        }
    }

    /// The same command, owning everything it borrowed.
    #[must_use]
    pub fn into_owned(self) -> Command<'static> {
        match self {
            Command::User(a) => Command::User(a.into_owned()),
            Command::Pass(s) => Command::Pass(s.into_owned()),
            Command::Apop { name, digest } => Command::Apop {
                name: name.into_owned(),
                digest,
            },
            Command::Auth {
                mechanism,
                initial_response,
            } => Command::Auth {
                mechanism: mechanism.into_owned(),
                initial_response: initial_response.map(Base64::into_owned),
            },
            Command::AuthList => Command::AuthList,
            Command::Stls => Command::Stls,
            Command::Capa => Command::Capa,
            Command::Stat => Command::Stat,
            Command::List(n) => Command::List(n),
            Command::Uidl(n) => Command::Uidl(n),
            Command::Retr(n) => Command::Retr(n),
            Command::Top { msg, lines } => Command::Top { msg, lines },
            Command::Dele(n) => Command::Dele(n),
            Command::Noop => Command::Noop,
            Command::Rset => Command::Rset,
            Command::Quit => Command::Quit,
            Command::Utf8 => Command::Utf8,
            Command::Lang(t) => Command::Lang(t.map(LangTag::into_owned)),
            Command::Unknown { verb, args } => Command::Unknown {
                verb: verb.into_owned(),
                args: Cow::Owned(args.into_owned()),
            },
        }
    }
}

/// What follows a positive answer to a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResponseKind {
    /// One `+OK`/`-ERR` line.
    SingleLine,
    /// `+OK`, then dot-stuffed lines up to `.` (CAPA, LIST, UIDL, bare AUTH
    /// and LANG).
    MultiLine,
    /// `+OK`, then a dot-stuffed message up to `.` (RETR, TOP).
    Body,
    /// `+ ` continuations until a final `+OK`/`-ERR` (AUTH).
    Sasl,
}
