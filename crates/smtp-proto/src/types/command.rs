//! SMTP commands (RFC 5321 section 4.1.1) and those of the extensions this
//! crate speaks. Parsing lives in [`crate::parse::command`], encoding in
//! [`crate::encode::command`].

use std::borrow::Cow;
use std::fmt;

use mail_wire::SyntaxError;
use mail_wire::sasl::Mechanism;

use crate::parse::values as grammar;
use crate::types::host::{Domain, Host};
use crate::types::params::{MailParameters, RcptParameters};
use crate::types::path::{ForwardPath, ReversePath};

/// One SMTP command line.
///
/// ```
/// use smtp_proto::{Command, Mailbox, MailParameters, ReversePath};
/// let cmd = Command::parse(b"MAIL FROM:<jq@example.com> SIZE=1000").unwrap();
/// let Command::Mail { from, params } = &cmd else { unreachable!() };
/// assert_eq!(from.mailbox().unwrap().to_string(), "jq@example.com");
/// assert_eq!(params.size, Some(1000));
///
/// // Building a command on the client side:
/// let mail = Command::Mail {
///     from: Mailbox::new("jq", "example.com").unwrap().into(),
///     params: MailParameters { size: Some(1000), ..Default::default() },
/// };
/// let mut out = Vec::new();
/// mail.encode(&mut out);
/// assert_eq!(out, b"MAIL FROM:<jq@example.com> SIZE=1000\r\n");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Command<'a> {
    /// `HELO` (RFC 5321 section 4.1.1.1).
    Helo {
        /// The client's name. RFC 5321 allows only a domain here; an
        /// address literal is accepted too, since real clients without a
        /// name send one, and RFC 1123 section 5.2.5 already tolerated it.
        host: Host<'a>,
    },
    /// `EHLO` (RFC 5321 section 4.1.1.1).
    Ehlo {
        /// The client's domain or address literal.
        host: Host<'a>,
    },
    /// `LHLO` (RFC 2033 section 4.1), the LMTP greeting.
    Lhlo {
        /// The client's domain or address literal.
        host: Host<'a>,
    },
    /// `MAIL FROM:` (RFC 5321 section 4.1.1.2).
    Mail {
        /// The reverse-path.
        from: ReversePath<'a>,
        /// The ESMTP parameters.
        params: MailParameters<'a>,
    },
    /// `RCPT TO:` (RFC 5321 section 4.1.1.3).
    Rcpt {
        /// The forward-path.
        to: ForwardPath<'a>,
        /// The ESMTP parameters.
        params: RcptParameters<'a>,
    },
    /// `DATA` (RFC 5321 section 4.1.1.4).
    Data,
    /// `BDAT size [LAST]` (RFC 3030 section 2).
    Bdat {
        /// Octets of message data that follow the command line.
        size: u64,
        /// This is the last chunk.
        last: bool,
    },
    /// `RSET` (RFC 5321 section 4.1.1.5).
    Rset,
    /// `VRFY string` (RFC 5321 section 4.1.1.6).
    Vrfy {
        /// What to verify.
        arg: Text<'a>,
    },
    /// `EXPN string` (RFC 5321 section 4.1.1.7).
    Expn {
        /// The list to expand.
        arg: Text<'a>,
    },
    /// `HELP [string]` (RFC 5321 section 4.1.1.8).
    Help {
        /// The topic.
        arg: Option<Text<'a>>,
    },
    /// `NOOP [string]` (RFC 5321 section 4.1.1.9).
    Noop {
        /// Ignored text.
        arg: Option<Text<'a>>,
    },
    /// `QUIT` (RFC 5321 section 4.1.1.10).
    Quit,
    /// `STARTTLS` (RFC 3207 section 4).
    StartTls,
    /// `AUTH mechanism [initial-response]` (RFC 4954 section 4).
    Auth {
        /// The SASL mechanism.
        mechanism: Mechanism<'a>,
        /// The initial response, if the client sent one.
        initial_response: Option<InitialResponse<'a>>,
    },
    /// `ETRN` (RFC 1985 section 5): start the queue for a node.
    Etrn {
        /// What to run the queue for.
        target: EtrnTarget<'a>,
    },
    /// Any other verb, kept as written so a server can answer `500` or
    /// `502`, or implement it itself.
    Unknown {
        /// The verb, as written (case kept).
        verb: Verb<'a>,
        /// Everything after the first space, if anything.
        args: Option<Text<'a>>,
    },
}

impl Command<'_> {
    /// The verb, upper-case for known commands, as written for
    /// [`Command::Unknown`].
    #[must_use]
    pub fn verb(&self) -> &str {
        match self {
            Command::Helo { .. } => "HELO",
            Command::Ehlo { .. } => "EHLO",
            Command::Lhlo { .. } => "LHLO",
            Command::Mail { .. } => "MAIL",
            Command::Rcpt { .. } => "RCPT",
            Command::Data => "DATA",
            Command::Bdat { .. } => "BDAT",
            Command::Rset => "RSET",
            Command::Vrfy { .. } => "VRFY",
            Command::Expn { .. } => "EXPN",
            Command::Help { .. } => "HELP",
            Command::Noop { .. } => "NOOP",
            Command::Quit => "QUIT",
            Command::StartTls => "STARTTLS",
            Command::Auth { .. } => "AUTH",
            Command::Etrn { .. } => "ETRN",
            Command::Unknown { verb, .. } => verb.as_str(),
        }
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> Command<'static> {
        match self {
            Command::Helo { host } => Command::Helo {
                host: host.into_owned(),
            },
            Command::Ehlo { host } => Command::Ehlo {
                host: host.into_owned(),
            },
            Command::Lhlo { host } => Command::Lhlo {
                host: host.into_owned(),
            },
            Command::Mail { from, params } => Command::Mail {
                from: from.into_owned(),
                params: params.into_owned(),
            },
            Command::Rcpt { to, params } => Command::Rcpt {
                to: to.into_owned(),
                params: params.into_owned(),
            },
            Command::Data => Command::Data,
            Command::Bdat { size, last } => Command::Bdat { size, last },
            Command::Rset => Command::Rset,
            Command::Vrfy { arg } => Command::Vrfy {
                arg: arg.into_owned(),
            },
            Command::Expn { arg } => Command::Expn {
                arg: arg.into_owned(),
            },
            Command::Help { arg } => Command::Help {
                arg: arg.map(Text::into_owned),
            },
            Command::Noop { arg } => Command::Noop {
                arg: arg.map(Text::into_owned),
            },
            Command::Quit => Command::Quit,
            Command::StartTls => Command::StartTls,
            Command::Auth {
                mechanism,
                initial_response,
            } => Command::Auth {
                mechanism: mechanism.into_owned(),
                initial_response: initial_response.map(InitialResponse::into_owned),
            },
            Command::Etrn { target } => Command::Etrn {
                target: target.into_owned(),
            },
            Command::Unknown { verb, args } => Command::Unknown {
                verb: verb.into_owned(),
                args: args.map(Text::into_owned),
            },
        }
    }
}

/// Free text after a verb: the argument of `VRFY`, `EXPN`, `HELP`, `NOOP`
/// and of unknown commands.
///
/// RFC 5321 gives `VRFY`/`EXPN`/`HELP`/`NOOP` a `String` argument (atom or
/// quoted string), yet its own section 3.5 has VRFY take "a user name and
/// domain" and clients send `VRFY <user@example.com>`. So any non-empty
/// text is kept as written: printable ASCII, space, and UTF-8, with no
/// control character (so never CR, LF or NUL).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Text<'a>(Cow<'a, str>);

impl<'a> Text<'a> {
    /// Validates `text`.
    pub fn new(text: impl Into<Cow<'a, str>>) -> Result<Self, SyntaxError> {
        let text = text.into();
        grammar::validate_text(&text)?;
        Ok(Text(text))
    }

    pub(crate) fn from_valid(text: &'a str) -> Self {
        Text(Cow::Borrowed(text))
    }

    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> Text<'static> {
        Text(Cow::Owned(self.0.into_owned()))
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The verb of an unknown command: letters, digits and `-` (the shape of
/// RFC 5321 `Keyword`), and none of the verbs this crate parses itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Verb<'a>(Cow<'a, str>);

impl<'a> Verb<'a> {
    /// Validates `verb`, refusing the names of known commands (build those
    /// as their own variants).
    pub fn new(verb: impl Into<Cow<'a, str>>) -> Result<Self, SyntaxError> {
        let verb = verb.into();
        grammar::validate_unknown_verb(&verb)?;
        Ok(Verb(verb))
    }

    pub(crate) fn from_valid(verb: &'a str) -> Self {
        Verb(Cow::Borrowed(verb))
    }

    /// The verb as written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> Verb<'static> {
        Verb(Cow::Owned(self.0.into_owned()))
    }
}

/// The initial response of `AUTH` (RFC 4954 section 4: `initial-response =
/// base64 / "="`), kept as validated base64 text.
///
/// Validation follows RFC 4954: only the base64 alphabet, padding only at
/// the end, a length that is a multiple of 4, and zero unused bits, so
/// [`InitialResponse::decode`] cannot fail on a parsed value.
///
/// ```
/// use smtp_proto::InitialResponse;
/// let r = InitialResponse::parse("AHRlc3QAdGVzdA==").unwrap();
/// assert_eq!(r.decode().unwrap(), b"\0test\0test");
/// assert_eq!(InitialResponse::from_bytes(b"").as_str(), "=");
/// assert!(InitialResponse::parse("=AAA").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InitialResponse<'a>(Cow<'a, str>);

impl<'a> InitialResponse<'a> {
    /// Validates wire text: base64, or `=` for an empty response.
    pub fn parse(text: &'a str) -> Result<Self, SyntaxError> {
        grammar::validate_initial_response(text)?;
        Ok(InitialResponse(Cow::Borrowed(text)))
    }

    /// Encodes `data` (`=` when empty).
    #[must_use]
    pub fn from_bytes(data: &[u8]) -> InitialResponse<'static> {
        use base64::Engine as _;
        if data.is_empty() {
            return InitialResponse(Cow::Borrowed("="));
        }
        InitialResponse(Cow::Owned(
            base64::engine::general_purpose::STANDARD.encode(data),
        ))
    }

    /// The wire text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `true` for `=`, the empty response.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        &*self.0 == "="
    }

    /// Decodes the response.
    pub fn decode(&self) -> Result<Vec<u8>, base64::DecodeError> {
        use base64::Engine as _;
        if self.is_empty() {
            return Ok(Vec::new());
        }
        base64::engine::general_purpose::STANDARD.decode(self.0.as_bytes())
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> InitialResponse<'static> {
        InitialResponse(Cow::Owned(self.0.into_owned()))
    }
}

/// The argument of `ETRN` (RFC 1985 section 5).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EtrnTarget<'a> {
    /// `ETRN node`: mail for this host.
    Domain(Domain<'a>),
    /// `ETRN @node`: mail for this domain and its subdomains.
    Subdomains(Domain<'a>),
    /// `ETRN #queue`: a queue by server-specific name.
    Queue(QueueName<'a>),
}

impl EtrnTarget<'_> {
    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> EtrnTarget<'static> {
        match self {
            EtrnTarget::Domain(d) => EtrnTarget::Domain(d.into_owned()),
            EtrnTarget::Subdomains(d) => EtrnTarget::Subdomains(d.into_owned()),
            EtrnTarget::Queue(q) => EtrnTarget::Queue(q.into_owned()),
        }
    }
}

/// The queue name of `ETRN #queue`: one or more printable ASCII characters
/// without space.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QueueName<'a>(Cow<'a, str>);

impl<'a> QueueName<'a> {
    /// Validates `name`.
    pub fn new(name: impl Into<Cow<'a, str>>) -> Result<Self, SyntaxError> {
        let name = name.into();
        grammar::validate_queue_name(&name)?;
        Ok(QueueName(name))
    }

    pub(crate) fn from_valid(name: &'a str) -> Self {
        QueueName(Cow::Borrowed(name))
    }

    /// The name.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> QueueName<'static> {
        QueueName(Cow::Owned(self.0.into_owned()))
    }
}
