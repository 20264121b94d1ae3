//! The POP3 server session: a sans-IO state machine (RFC 1939 sections 3-6,
//! with RFC 2449 CAPA and PIPELINING, RFC 2595 STLS, RFC 5034 AUTH and
//! RFC 6856 UTF8).
//!
//! The session parses commands, enforces the AUTHORIZATION, TRANSACTION and
//! UPDATE states, and answers everything it can answer alone. Once the
//! application accepts a login it hands over the maildrop listing (sizes and
//! unique-ids), and from then on the session answers `STAT`, `LIST`, `UIDL`,
//! `DELE`, `RSET` and `NOOP` itself: deletions are only marks until `QUIT`
//! (section 6), marked messages disappear from every listing and cannot be
//! retrieved. The application is asked for three things only:
//!
//! - a login decision ([`ServerEvent::UserPass`], [`ServerEvent::Apop`],
//!   [`ServerEvent::Sasl`], or a raw SASL exchange it runs itself),
//! - message contents for `RETR` and `TOP` ([`ServerEvent::Retrieve`]), which
//!   it streams in chunks of any size through [`Server::body_chunk`]: the
//!   session stuffs them on the fly and, for `TOP`, stops after the header and
//!   the requested number of body lines,
//! - the update at `QUIT` ([`ServerEvent::Update`]), which lists the messages
//!   to delete.
//!
//! ```
//! use pop3_proto::server::{Maildrop, MessageInfo, Server, ServerConfig, ServerEvent};
//!
//! let mut server = Server::new(ServerConfig::new("POP3 ready").unwrap());
//! assert!(server.take_output().starts_with(b"+OK POP3 ready"));
//! server.receive(b"USER tim\r\nPASS secret\r\nSTAT\r\nRETR 1\r\n");
//! while let Some(event) = server.poll_event() {
//!     match event {
//!         ServerEvent::UserPass { user, password } => {
//!             assert_eq!((user.as_str(), password.expose()), ("tim", &b"secret"[..]));
//!             let msg = MessageInfo::new(11, "uid-1").unwrap();
//!             server.login_ok(Maildrop::new(vec![msg])).unwrap();
//!         }
//!         ServerEvent::Retrieve { .. } => {
//!             server.body_chunk(b"S: x\r\n\r\n.\r\n").unwrap();
//!             server.body_end().unwrap();
//!         }
//!         _ => {}
//!     }
//! }
//! let out = server.take_output();
//! assert!(out.ends_with(b"+OK 1 11\r\n+OK 11 octets\r\nS: x\r\n\r\n..\r\n.\r\n"));
//! ```

use std::collections::VecDeque;

use bytes::{BufMut, Bytes, BytesMut};
use mail_wire::dot::{DotEncoder, DotError, DotOptions};
use mail_wire::line::{Framed, LineErrorKind, LineFramer, LineOptions};
use mail_wire::sasl::{self, Credentials, Mechanism, ServerExchange, ServerStep};

use crate::encode::encode_end;
use crate::limits::Limits;
use crate::parse::CommandError;
use crate::types::{
    ApopDigest, Base64, Capability, Command, ExpirePolicy, MsgNum, ResponseCode, ScanListing,
    Secret, Status, StatusLine, Text, Uid, UidListing, ValueError,
};

/// Most bytes a session holds unprocessed (pipelined commands waiting for a
/// decision of the application). A client sending more is disconnected.
pub const MAX_BUFFERED: usize = 256 * 1024;

/// How the server is set up. Build it with [`ServerConfig::new`] and adjust
/// the public fields.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Text of the greeting after `+OK`.
    pub greeting: Text<'static>,
    /// The APOP timestamp (`<process-id.clock@hostname>`, RFC 1939 section
    /// 7) to put in the greeting, or `None` to offer no APOP (the default:
    /// APOP is legacy, MD5 with a password stored in clear on the server).
    pub apop_timestamp: Option<String>,
    /// Accept `USER`/`PASS` (RFC 1939 section 7; listed as `USER` in CAPA).
    pub user_pass: bool,
    /// SASL mechanisms offered in `CAPA` and accepted by `AUTH`. PLAIN, LOGIN,
    /// XOAUTH2 and OAUTHBEARER are run by the session, which hands the
    /// credentials out in [`ServerEvent::Sasl`]; any other mechanism is passed
    /// to the application as a raw exchange ([`ServerEvent::SaslRaw`]).
    pub sasl: Vec<Mechanism<'static>>,
    /// Offer `STLS` (RFC 2595). The application must then be able to start
    /// TLS when it receives [`ServerEvent::StartTls`].
    pub stls: bool,
    /// The connection is already protected by TLS (POP3S on port 995, or
    /// after `STLS`): `STLS` is no longer offered.
    pub tls_active: bool,
    /// Allow logins (USER/PASS, APOP, AUTH) without TLS. When false and the
    /// connection is not protected, they are refused with `-ERR [AUTH]`
    /// and `CAPA` does not list them (RFC 2595 section 2.2 and the practice
    /// of Dovecot's `disable_plaintext_auth`).
    pub allow_plaintext_login: bool,
    /// Offer `UTF8` (RFC 6856 section 2): user names and passwords may be
    /// UTF-8.
    pub utf8: bool,
    /// `IMPLEMENTATION` text for `CAPA`, if any (RFC 2449 section 6.9).
    pub implementation: Option<Text<'static>>,
    /// `EXPIRE` policy to advertise, if any (RFC 2449 section 6.7).
    pub expire: Option<ExpirePolicy>,
    /// `LOGIN-DELAY` in seconds to advertise, if any (RFC 2449 section 6.5).
    pub login_delay: Option<u32>,
    /// More capabilities to list in `CAPA` after the built-in ones.
    pub extra_capabilities: Vec<Capability<'static>>,
    /// Accept command lines ending in a bare LF (telnet-style clients). Off
    /// by default: RFC 1939 section 3 requires CRLF.
    pub allow_bare_lf_in_commands: bool,
    /// Line endings accepted in the message contents the application streams
    /// out. By default a bare CR or LF in a message is an error
    /// ([`ServerError::Body`]) rather than sent on: a POP3 message must use
    /// CRLF (RFC 1939 section 3) and the sizes announced must count it.
    pub body_line_endings: DotOptions,
    /// Failed logins and refused commands tolerated before the session says
    /// `-ERR` and closes the connection.
    pub max_errors: u32,
    /// Parser and buffer limits.
    pub limits: Limits,
}

impl ServerConfig {
    /// A configuration with this greeting text: USER/PASS and SASL PLAIN and
    /// LOGIN accepted, no STLS, no APOP, plaintext logins allowed (set
    /// `allow_plaintext_login = false` when you offer STLS).
    pub fn new(greeting: &str) -> Result<Self, ValueError> {
        Ok(ServerConfig {
            greeting: Text::new(greeting.as_bytes().to_vec())?,
            apop_timestamp: None,
            user_pass: true,
            sasl: vec![Mechanism::Plain, Mechanism::Login],
            stls: false,
            tls_active: false,
            allow_plaintext_login: true,
            utf8: false,
            implementation: None,
            expire: None,
            login_delay: None,
            extra_capabilities: Vec::new(),
            allow_bare_lf_in_commands: false,
            body_line_endings: DotOptions::default(),
            max_errors: 10,
            limits: Limits::default(),
        })
    }
}

/// One message of a maildrop, as the session needs to know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageInfo {
    /// Exact size in octets as it will be sent: CRLF line endings, without
    /// the stuffing dots (RFC 1939 section 5, LIST).
    pub size: u64,
    /// The unique-id (RFC 1939 section 7), stable across sessions.
    pub uid: Uid<'static>,
}

impl MessageInfo {
    /// A message of `size` octets with unique-id `uid` (1 to 70 characters
    /// from 0x21 to 0x7E).
    pub fn new(size: u64, uid: &str) -> Result<Self, ValueError> {
        Ok(MessageInfo {
            size,
            uid: Uid::new(uid.to_owned())?,
        })
    }
}

/// The maildrop of a logged-in user: message 1 is `messages[0]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Maildrop {
    /// The messages, in message-number order.
    pub messages: Vec<MessageInfo>,
}

impl Maildrop {
    /// A maildrop of these messages.
    #[must_use]
    pub fn new(messages: Vec<MessageInfo>) -> Self {
        Maildrop { messages }
    }
}

/// What the application is asked to do or told about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerEvent {
    /// `USER` then `PASS`: check the password, then call
    /// [`Server::login_ok`] or [`Server::login_failed`].
    UserPass {
        /// The user name.
        user: String,
        /// The password (Debug hides it).
        password: Secret<'static>,
    },
    /// `APOP name digest`: check that the digest is MD5 of `timestamp` and
    /// the user's secret (see `apop_digest`, feature `apop`), then call
    /// [`Server::login_ok`] or [`Server::login_failed`].
    Apop {
        /// The user name.
        user: String,
        /// The digest the client sent.
        digest: ApopDigest,
        /// The timestamp of this session's greeting, angle brackets included.
        timestamp: String,
    },
    /// A built-in SASL exchange completed: check the credentials, then call
    /// [`Server::login_ok`] or [`Server::login_failed`].
    Sasl {
        /// The mechanism used.
        mechanism: Mechanism<'static>,
        /// What the client sent (Debug hides secrets).
        credentials: Credentials,
    },
    /// `AUTH` with a mechanism the session does not run: answer with
    /// [`Server::sasl_challenge`] or finish with [`Server::login_ok`] /
    /// [`Server::login_failed`].
    SaslRaw {
        /// The mechanism.
        mechanism: Mechanism<'static>,
        /// The decoded initial response, if the client sent one.
        initial_response: Option<Vec<u8>>,
    },
    /// The client's decoded answer to the last [`Server::sasl_challenge`].
    SaslResponse(Vec<u8>),
    /// The client cancelled an exchange with `*` (already answered `-ERR`).
    SaslCancelled,
    /// `RETR msg` or `TOP msg lines`: stream the message with
    /// [`Server::body_chunk`] and end with [`Server::body_end`], or refuse
    /// with [`Server::retrieve_failed`]. For `TOP` stream the whole message;
    /// the session stops after the requested lines and says so through the
    /// return value of `body_chunk`.
    Retrieve {
        /// The message.
        msg: MsgNum,
        /// `Some(n)` for `TOP msg n`.
        top: Option<u32>,
    },
    /// `QUIT` in TRANSACTION (RFC 1939 section 6): delete these messages,
    /// then call [`Server::update_done`]. The list may be empty.
    Update {
        /// The messages marked deleted, in ascending order.
        deleted: Vec<MsgNum>,
    },
    /// The client asked for `STLS` and was told to go ahead: start the TLS
    /// handshake on the connection, then call [`Server::tls_established`].
    StartTls,
    /// Bytes the client sent after `STLS` and before the TLS handshake were
    /// thrown away unread (the command-injection attack of CVE-2011-0411).
    PlaintextDiscarded {
        /// How many bytes.
        len: usize,
    },
    /// A command was refused by the session (wrong state, syntax, unknown);
    /// it has already answered `-ERR`. For logging.
    CommandRejected {
        /// The verb, or what stood where a verb should be (lossy UTF-8).
        verb: String,
        /// Why.
        reason: Rejection,
    },
    /// The session is over: the output holds the last response; close the
    /// connection once it is written.
    Closed,
}

/// Why the session refused a command (it has answered `-ERR`, with the
/// RFC 2449 response code shown by [`Rejection::code`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// The command is valid, but not in this state (RFC 1939 sections 4-6:
    /// `STAT` before login, `USER` after it...).
    #[error("{}", match state {
        State::Authorization => "command not valid before login",
        _ => "command not valid after login",
    })]
    WrongState {
        /// The state the session is in.
        state: State,
    },
    /// The line does not parse as a command.
    #[error("{0}")]
    Malformed(CommandError),
    /// A line longer than the limits allow (RFC 2449 section 4).
    #[error("line too long")]
    LineTooLong,
    /// A line ended by a bare LF, or holding a bare CR.
    #[error("line not ended by CRLF")]
    BareLineEnding,
    /// A verb this server does not know.
    #[error("unknown command")]
    Unknown,
    /// A command the configuration does not offer (`STLS`, `APOP`, `UTF8`,
    /// `USER`, `LANG`, a SASL mechanism).
    #[error("{0} not supported")]
    NotOffered(&'static str),
    /// A login without TLS while [`ServerConfig::allow_plaintext_login`] is
    /// false (`-ERR [AUTH]`).
    #[error("plaintext login disallowed, use STLS")]
    PlaintextDisallowed,
    /// A UTF-8 user name or password before `UTF8` (`-ERR [UTF8]`, RFC 6856
    /// section 2).
    #[error("UTF-8 user name or password needs the UTF8 command")]
    NeedsUtf8,
    /// `PASS` without a preceding `USER`.
    #[error("USER first")]
    UserFirst,
    /// A message number past the end of the maildrop.
    #[error("no such message, only {count} in maildrop")]
    NoSuchMessage {
        /// Messages in the maildrop.
        count: usize,
    },
    /// A message marked deleted in this session (RFC 1939 section 5).
    #[error("message {0} already deleted")]
    AlreadyDeleted(MsgNum),
    /// The initial response of `AUTH` could not be decoded
    /// (`-ERR [AUTH]`).
    #[error("{0}")]
    Sasl(sasl::SaslError),
}

impl Rejection {
    /// The RFC 2449 response code sent with the refusal, if any.
    #[must_use]
    pub fn code(&self) -> Option<ResponseCode<'static>> {
        match self {
            Rejection::PlaintextDisallowed | Rejection::Sasl(_) => Some(ResponseCode::Auth),
            Rejection::NeedsUtf8 => Some(ResponseCode::Utf8),
            _ => None,
        }
    }
}

/// Misuse of the session's API by the application.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServerError {
    /// The method answers a request that is not pending.
    #[error("no {0} is pending")]
    NotPending(&'static str),
    /// A message chunk contained a bare CR or LF (see
    /// [`ServerConfig::body_line_endings`]); nothing of the chunk was sent.
    #[error(transparent)]
    Body(#[from] DotError),
    /// A maildrop of more than 4,294,967,295 messages.
    #[error("a maildrop cannot have more than 4294967295 messages")]
    MaildropTooLarge,
    /// `tls_established` was called with no `STLS` pending.
    #[error("no STLS upgrade is pending")]
    NoTlsUpgrade,
}

/// What happens after a chunk was handed to [`Server::body_chunk`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyProgress {
    /// Send more of the message.
    More,
    /// `TOP` has all it needs: stop reading the message and call
    /// [`Server::body_end`].
    Done,
}

/// The RFC 1939 session states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Before a successful login.
    Authorization,
    /// Logged in, the maildrop is open.
    Transaction,
    /// After `QUIT` in TRANSACTION, while the application deletes messages.
    Update,
    /// The session is over.
    Closed,
}

#[derive(Debug)]
enum Pending {
    None,
    Login,
    SaslRaw,
    Body(Box<BodyOut>),
    Update,
    Tls,
}

#[derive(Debug)]
struct BodyOut {
    enc: DotEncoder,
    /// The `+OK` line, written before the first octet of the message so
    /// that the retrieval can still be refused until then.
    ok: Option<Vec<u8>>,
    top: Option<TopCut>,
    done: bool,
}

#[derive(Debug)]
struct TopCut {
    /// Body lines still to send; `None` while still in the header.
    remaining: Option<u32>,
    lines: u32,
    /// Octets of the current line seen so far.
    line_len: usize,
    /// The current line began with CR (an empty line is CR LF).
    line_cr: bool,
}

impl TopCut {
    /// How much of `chunk` to send: `Some(n)` when the cut falls inside
    /// (after byte `n`), `None` when all of it goes.
    fn cut(&mut self, chunk: &[u8]) -> Option<usize> {
        if self.remaining == Some(0) {
            return Some(0);
        }
        let mut start = 0;
        for lf in memchr::memchr_iter(b'\n', chunk) {
            let first = if self.line_len == 0 {
                chunk.get(start).copied()
            } else {
                None
            };
            let this_len = self.line_len + (lf - start);
            let empty = (this_len == 1 && (self.line_cr || first == Some(b'\r'))) || this_len == 0;
            self.line_len = 0;
            self.line_cr = false;
            start = lf + 1;
            match self.remaining {
                None if empty => self.remaining = Some(self.lines),
                None => continue,
                Some(ref mut n) => *n = n.saturating_sub(1),
            }
            if self.remaining == Some(0) {
                return Some(lf + 1);
            }
        }
        if let Some(&b) = chunk.get(start)
            && self.line_len == 0
        {
            self.line_cr = b == b'\r';
        }
        self.line_len += chunk.len() - start;
        None
    }
}

enum Sasl {
    Builtin(ServerExchange, Mechanism<'static>),
    Raw,
}

/// The server session. See the [module documentation](self).
pub struct Server {
    config: ServerConfig,
    state: State,
    input: BytesMut,
    framer: LineFramer,
    output: BytesMut,
    events: VecDeque<ServerEvent>,
    pending: Pending,
    user: Option<String>,
    sasl: Option<Sasl>,
    maildrop: Vec<MessageInfo>,
    deleted: Vec<bool>,
    errors: u32,
    utf8: bool,
    discarding: bool,
}

impl core::fmt::Debug for Server {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Server")
            .field("state", &self.state)
            .field("pending", &self.pending)
            .field("buffered", &self.input.len())
            .finish_non_exhaustive()
    }
}

/// Writes a status line through the codec's encoder (RFC 2449 section 3).
/// Texts here are the session's own or the application's; one holding CR,
/// LF or NUL is dropped rather than sent.
fn status_line(status: Status, code: Option<ResponseCode<'_>>, text: &[u8], out: &mut BytesMut) {
    StatusLine {
        status,
        code,
        text: Text::new(text).unwrap_or_default(),
    }
    .encode(out);
}

fn ok_line(text: &[u8], out: &mut BytesMut) {
    status_line(Status::Ok, None, text, out);
}

fn err_line(code: Option<ResponseCode<'_>>, text: &[u8], out: &mut BytesMut) {
    status_line(Status::Err, code, text, out);
}

impl Server {
    /// A session that has written its greeting to the output.
    #[must_use]
    pub fn new(config: ServerConfig) -> Self {
        let mut server = Server {
            framer: LineFramer::new(Self::line_options(&config)),
            config,
            state: State::Authorization,
            input: BytesMut::new(),
            output: BytesMut::new(),
            events: VecDeque::new(),
            pending: Pending::None,
            user: None,
            sasl: None,
            maildrop: Vec::new(),
            deleted: Vec::new(),
            errors: 0,
            utf8: false,
            discarding: false,
        };
        let mut text = server.config.greeting.as_bytes().to_vec();
        if let Some(ts) = &server.config.apop_timestamp {
            if !text.is_empty() {
                text.push(b' ');
            }
            text.extend_from_slice(ts.as_bytes());
        }
        ok_line(&text, &mut server.output);
        server
    }

    fn line_options(config: &ServerConfig) -> LineOptions {
        let limits = &config.limits;
        LineOptions {
            // AUTH lines and SASL responses may be longer than other
            // commands (RFC 5034 section 4); the length of other commands is
            // checked once a line is framed.
            max_line_len: limits.max_framed_line_len(),
            allow_bare_lf: config.allow_bare_lf_in_commands,
            ..LineOptions::default()
        }
    }

    /// The configuration.
    #[must_use]
    pub fn config(&self) -> &ServerConfig {
        &self.config
    }

    /// The RFC 1939 state.
    #[must_use]
    pub fn state(&self) -> State {
        self.state
    }

    /// Feeds bytes received from the client. Commands are processed at once
    /// unless a decision of the application is pending; then they wait
    /// (PIPELINING, RFC 2449 section 6.6) and are processed, in order, after
    /// the decision.
    pub fn receive(&mut self, data: &[u8]) {
        if self.state == State::Closed {
            return;
        }
        if self.discarding {
            self.discard(data.len());
            return;
        }
        self.input.extend_from_slice(data);
        if self.input.len() > MAX_BUFFERED {
            // A client that pipelines this much while a decision is pending
            // is not a POP3 client; keeping its bytes would be unbounded.
            err_line(None, b"too much pipelined input", &mut self.output);
            self.close();
            return;
        }
        self.process();
    }

    fn discard(&mut self, len: usize) {
        if len > 0 {
            self.events
                .push_back(ServerEvent::PlaintextDiscarded { len });
        }
    }

    /// Whether the session can use more input now. While a decision is
    /// pending (a login, a message being streamed, the update) it is
    /// false, and an application may stop reading until it turns true.
    #[must_use]
    pub fn wants_input(&self) -> bool {
        matches!(self.pending, Pending::None | Pending::SaslRaw) && self.state != State::Closed
    }

    /// Bytes received and not yet processed.
    #[must_use]
    pub fn buffered(&self) -> usize {
        self.input.len()
    }

    /// The next event, if any.
    pub fn poll_event(&mut self) -> Option<ServerEvent> {
        self.events.pop_front()
    }

    /// The bytes to send to the client so far.
    pub fn take_output(&mut self) -> Bytes {
        self.output.split().freeze()
    }

    /// Whether the session is over.
    #[must_use]
    pub fn is_closed(&self) -> bool {
        self.state == State::Closed
    }

    /// The authenticated user, once logged in (for SASL: the identity the
    /// credentials named).
    #[must_use]
    pub fn user(&self) -> Option<&str> {
        if self.state == State::Authorization {
            None
        } else {
            self.user.as_deref()
        }
    }

    fn close(&mut self) {
        self.state = State::Closed;
        self.pending = Pending::None;
        self.input.clear();
        self.events.push_back(ServerEvent::Closed);
    }

    fn reject(&mut self, verb: &str, reason: Rejection) {
        let code = reason.code();
        err_line(code, reason.to_string().as_bytes(), &mut self.output);
        self.events.push_back(ServerEvent::CommandRejected {
            verb: verb.to_owned(),
            reason,
        });
        self.count_error();
    }

    fn wrong_state(&mut self, verb: &str) {
        let state = self.state;
        self.reject(verb, Rejection::WrongState { state });
    }

    fn count_error(&mut self) {
        self.errors = self.errors.saturating_add(1);
        if self.errors > self.config.max_errors && self.state != State::Closed {
            err_line(
                None,
                b"too many errors, closing connection",
                &mut self.output,
            );
            self.close();
        }
    }

    fn process(&mut self) {
        while matches!(self.pending, Pending::None | Pending::SaslRaw)
            && self.state != State::Closed
            && !self.discarding
        {
            let framed = match self.framer.poll(&self.input) {
                Ok(f) => f,
                Err(e) => {
                    let _ = self.input.split_to(e.consumed.min(self.input.len()));
                    let reason = match e.kind {
                        LineErrorKind::TooLong { .. } => Rejection::LineTooLong,
                        LineErrorKind::BareLf { .. } | LineErrorKind::BareCr { .. } => {
                            Rejection::BareLineEnding
                        }
                    };
                    if self.sasl.is_some() {
                        self.sasl = None;
                        self.pending = Pending::None;
                        err_line(
                            Some(ResponseCode::Auth),
                            reason.to_string().as_bytes(),
                            &mut self.output,
                        );
                        self.count_error();
                    } else {
                        self.reject("", reason);
                    }
                    continue;
                }
            };
            match framed {
                Framed::Incomplete => return,
                Framed::Skip(n) => {
                    let _ = self.input.split_to(n.min(self.input.len()));
                }
                Framed::Line(line) => {
                    let consumed = line.consumed.min(self.input.len());
                    let unit = self.input.split_to(consumed).freeze();
                    let content = line.content(&unit);
                    if self.sasl.is_some() {
                        self.sasl_line(content);
                    } else if unit.len() > self.config.limits.command_line_limit(content) {
                        self.reject("", Rejection::LineTooLong);
                    } else {
                        self.command_line(content);
                    }
                }
            }
        }
    }

    fn command_line(&mut self, line: &[u8]) {
        let cmd = match Command::parse(line) {
            Ok(c) => c,
            Err(e) => {
                let verb = line.split(|&b| b == b' ').next().unwrap_or(&[]);
                let verb = String::from_utf8_lossy(verb.get(..verb.len().min(40)).unwrap_or(&[]))
                    .into_owned();
                self.reject(&verb, Rejection::Malformed(e));
                return;
            }
        };
        let verb = cmd.verb().to_owned();
        match self.state {
            State::Authorization => self.authorization(cmd, &verb),
            State::Transaction => self.transaction(cmd, &verb),
            State::Update | State::Closed => {}
        }
    }

    fn login_allowed(&self) -> bool {
        self.config.allow_plaintext_login || self.config.tls_active
    }

    fn authorization(&mut self, cmd: Command<'_>, verb: &str) {
        let user_given = self.user.take();
        match cmd {
            Command::Capa => self.capa(),
            Command::Quit => {
                ok_line(b"bye", &mut self.output);
                self.close();
            }
            Command::Noop => self.wrong_state(verb),
            Command::Stls => {
                if !self.config.stls || self.config.tls_active {
                    self.reject(verb, Rejection::NotOffered("STLS"));
                    return;
                }
                ok_line(b"Begin TLS negotiation", &mut self.output);
                let rest = self.input.len();
                self.input.clear();
                self.framer.reset();
                self.discard(rest);
                self.discarding = true;
                self.pending = Pending::Tls;
                self.events.push_back(ServerEvent::StartTls);
            }
            Command::Utf8 => {
                if self.config.utf8 {
                    self.utf8 = true;
                    ok_line(b"UTF8 enabled", &mut self.output);
                } else {
                    self.reject(verb, Rejection::NotOffered("UTF8"));
                }
            }
            Command::User(name) => {
                if !self.config.user_pass {
                    self.reject(verb, Rejection::NotOffered("USER"));
                } else if !self.login_allowed() {
                    self.reject(verb, Rejection::PlaintextDisallowed);
                } else if !self.utf8 && !name.as_str().is_ascii() {
                    self.reject(verb, Rejection::NeedsUtf8);
                } else {
                    self.user = Some(name.as_str().to_owned());
                    ok_line(b"send PASS", &mut self.output);
                }
            }
            Command::Pass(secret) => match user_given {
                None => self.reject(verb, Rejection::UserFirst),
                Some(user) => {
                    if !self.utf8 && !secret.expose().is_ascii() {
                        self.reject(verb, Rejection::NeedsUtf8);
                        return;
                    }
                    self.user = Some(user.clone());
                    self.pending = Pending::Login;
                    self.events.push_back(ServerEvent::UserPass {
                        user,
                        password: secret.into_owned(),
                    });
                }
            },
            Command::Apop { name, digest } => match &self.config.apop_timestamp {
                None => self.reject(verb, Rejection::NotOffered("APOP")),
                Some(_) if !self.login_allowed() => {
                    self.reject(verb, Rejection::PlaintextDisallowed)
                }
                Some(ts) => {
                    let timestamp = ts.clone();
                    self.user = Some(name.as_str().to_owned());
                    self.pending = Pending::Login;
                    self.events.push_back(ServerEvent::Apop {
                        user: name.as_str().to_owned(),
                        digest,
                        timestamp,
                    });
                }
            },
            Command::AuthList => {
                if self.login_allowed() {
                    ok_line(b"methods follow", &mut self.output);
                    for m in &self.config.sasl {
                        self.output.put_slice(m.as_str().as_bytes());
                        self.output.put_slice(b"\r\n");
                    }
                    encode_end(&mut self.output);
                } else {
                    self.reject(verb, Rejection::PlaintextDisallowed);
                }
            }
            Command::Auth {
                mechanism,
                initial_response,
            } => self.auth(verb, mechanism, initial_response),
            Command::Unknown { .. } => self.reject(verb, Rejection::Unknown),
            Command::Lang(_) => self.reject(verb, Rejection::NotOffered("LANG")),
            _ => self.wrong_state(verb),
        }
    }

    fn auth(&mut self, verb: &str, mechanism: Mechanism<'_>, initial: Option<Base64<'_>>) {
        if !self.login_allowed() {
            self.reject(verb, Rejection::PlaintextDisallowed);
            return;
        }
        if !self.config.sasl.iter().any(|m| m == &mechanism) {
            self.reject(verb, Rejection::NotOffered("authentication mechanism"));
            return;
        }
        let initial = match initial {
            None => None,
            Some(b) => {
                match sasl::decode_initial_response(b.as_str().as_bytes(), &self.config.limits.sasl)
                {
                    Ok(d) => Some(d),
                    Err(e) => {
                        self.reject(verb, Rejection::Sasl(e));
                        return;
                    }
                }
            }
        };
        let mechanism = mechanism.into_owned();
        match ServerExchange::new(&mechanism) {
            Some(mut ex) => {
                let step = ex.start(initial);
                self.sasl = Some(Sasl::Builtin(ex, mechanism.clone()));
                self.sasl_step(step, mechanism);
            }
            None => {
                self.sasl = Some(Sasl::Raw);
                self.pending = Pending::Login;
                self.events.push_back(ServerEvent::SaslRaw {
                    mechanism,
                    initial_response: initial,
                });
            }
        }
    }

    fn sasl_step(
        &mut self,
        step: Result<ServerStep, sasl::SaslError>,
        mechanism: Mechanism<'static>,
    ) {
        match step {
            Ok(ServerStep::Challenge(data)) => self.write_challenge(&data),
            Ok(ServerStep::Done(credentials)) => {
                self.sasl = None;
                self.user = credentials.identity().map(str::to_owned);
                self.pending = Pending::Login;
                self.events.push_back(ServerEvent::Sasl {
                    mechanism,
                    credentials,
                });
            }
            Err(sasl::SaslError::Cancelled) => {
                self.sasl = None;
                err_line(None, b"authentication cancelled", &mut self.output);
                self.events.push_back(ServerEvent::SaslCancelled);
            }
            Err(e) => {
                self.sasl = None;
                err_line(
                    Some(ResponseCode::Auth),
                    e.to_string().as_bytes(),
                    &mut self.output,
                );
                self.count_error();
            }
        }
    }

    fn write_challenge(&mut self, data: &[u8]) {
        self.output.put_slice(b"+ ");
        sasl::encode_base64(data, &mut self.output);
        self.output.put_slice(b"\r\n");
    }

    fn sasl_line(&mut self, line: &[u8]) {
        let response = match sasl::decode_response(line, &self.config.limits.sasl) {
            Ok(r) => r,
            Err(e) => {
                // RFC 5034 section 4: a response that cannot be decoded
                // fails the exchange.
                self.sasl = None;
                self.pending = Pending::None;
                err_line(
                    Some(ResponseCode::Auth),
                    e.to_string().as_bytes(),
                    &mut self.output,
                );
                self.count_error();
                return;
            }
        };
        match self.sasl.take() {
            Some(Sasl::Builtin(mut ex, mech)) => {
                let step = ex.respond(response);
                self.sasl = Some(Sasl::Builtin(ex, mech.clone()));
                self.sasl_step(step, mech);
            }
            Some(Sasl::Raw) => match response {
                sasl::Response::Cancel => {
                    self.pending = Pending::None;
                    err_line(None, b"authentication cancelled", &mut self.output);
                    self.events.push_back(ServerEvent::SaslCancelled);
                }
                sasl::Response::Data(d) => {
                    self.sasl = Some(Sasl::Raw);
                    self.pending = Pending::Login;
                    self.events.push_back(ServerEvent::SaslResponse(d));
                }
            },
            None => {}
        }
    }

    /// Sends a SASL challenge in a raw exchange ([`ServerEvent::SaslRaw`]);
    /// the client's answer comes as [`ServerEvent::SaslResponse`].
    pub fn sasl_challenge(&mut self, data: &[u8]) -> Result<(), ServerError> {
        if !matches!(self.sasl, Some(Sasl::Raw)) || !matches!(self.pending, Pending::Login) {
            return Err(ServerError::NotPending("raw SASL exchange"));
        }
        self.write_challenge(data);
        self.pending = Pending::SaslRaw;
        self.process();
        Ok(())
    }

    /// Accepts the pending login: the maildrop is opened and the session
    /// enters TRANSACTION.
    pub fn login_ok(&mut self, maildrop: Maildrop) -> Result<(), ServerError> {
        if !matches!(self.pending, Pending::Login) {
            return Err(ServerError::NotPending("login"));
        }
        if u32::try_from(maildrop.messages.len()).is_err() {
            return Err(ServerError::MaildropTooLarge);
        }
        self.sasl = None;
        self.pending = Pending::None;
        self.deleted = vec![false; maildrop.messages.len()];
        self.maildrop = maildrop.messages;
        self.state = State::Transaction;
        let count = self.maildrop.len();
        let size: u64 = self
            .maildrop
            .iter()
            .map(|m| m.size)
            .fold(0, u64::saturating_add);
        ok_line(
            format!("maildrop has {count} messages ({size} octets)").as_bytes(),
            &mut self.output,
        );
        self.process();
        Ok(())
    }

    /// Refuses the pending login with `-ERR [AUTH]` (RFC 3206 section 5)
    /// and this text, or `-ERR [IN-USE]`/`[SYS/TEMP]`... when `code` says so.
    /// The session stays in AUTHORIZATION (RFC 1939 section 7) unless the
    /// error limit is reached.
    pub fn login_failed(
        &mut self,
        code: Option<ResponseCode<'_>>,
        text: &str,
    ) -> Result<(), ServerError> {
        if !matches!(self.pending, Pending::Login | Pending::SaslRaw) {
            return Err(ServerError::NotPending("login"));
        }
        self.sasl = None;
        self.user = None;
        self.pending = Pending::None;
        let code = code.unwrap_or(ResponseCode::Auth);
        let text = Text::new(text.as_bytes()).unwrap_or_default();
        err_line(Some(code), text.as_bytes(), &mut self.output);
        self.count_error();
        self.process();
        Ok(())
    }

    fn capa(&mut self) {
        ok_line(b"capability list follows", &mut self.output);
        let mut caps = vec![Capability::Top, Capability::Uidl];
        caps.push(Capability::RespCodes);
        caps.push(Capability::AuthRespCode);
        caps.push(Capability::Pipelining);
        if self.state == State::Authorization {
            if self.config.user_pass && self.login_allowed() {
                caps.push(Capability::User);
            }
            if !self.config.sasl.is_empty() && self.login_allowed() {
                caps.push(Capability::Sasl(self.config.sasl.clone()));
            }
            if self.config.stls && !self.config.tls_active {
                caps.push(Capability::Stls);
            }
            if self.config.utf8 {
                caps.push(Capability::Utf8 { user: true });
            }
        }
        if let Some(policy) = self.config.expire {
            caps.push(Capability::Expire {
                policy,
                per_user: false,
            });
        }
        if let Some(seconds) = self.config.login_delay {
            caps.push(Capability::LoginDelay {
                seconds,
                per_user: false,
            });
        }
        if let Some(text) = &self.config.implementation {
            caps.push(Capability::Implementation(text.clone()));
        }
        caps.extend(self.config.extra_capabilities.iter().cloned());
        for c in &caps {
            c.encode(&mut self.output);
        }
        encode_end(&mut self.output);
    }

    /// The message `msg` if it exists and is not marked deleted; else the
    /// reason, already answered.
    fn live(&mut self, msg: MsgNum, verb: &str) -> Option<u64> {
        match (
            self.maildrop.get(msg.index()),
            self.deleted.get(msg.index()),
        ) {
            (Some(info), Some(false)) => Some(info.size),
            (Some(_), _) => {
                self.reject(verb, Rejection::AlreadyDeleted(msg));
                None
            }
            _ => {
                let count = self.maildrop.len();
                self.reject(verb, Rejection::NoSuchMessage { count });
                None
            }
        }
    }

    fn live_messages(&self) -> impl Iterator<Item = (MsgNum, &MessageInfo)> {
        self.maildrop
            .iter()
            .zip(self.deleted.iter())
            .enumerate()
            .filter(|(_, (_, d))| !**d)
            .filter_map(|(i, (m, _))| MsgNum::from_index(i).map(|n| (n, m)))
    }

    fn transaction(&mut self, cmd: Command<'_>, verb: &str) {
        match cmd {
            Command::Capa => self.capa(),
            Command::Noop => ok_line(b"", &mut self.output),
            Command::Stat => {
                let (count, size) = self.live_messages().fold((0u64, 0u64), |(c, s), (_, m)| {
                    (c + 1, s.saturating_add(m.size))
                });
                ok_line(format!("{count} {size}").as_bytes(), &mut self.output);
            }
            Command::List(None) => {
                let (count, size) = self.live_messages().fold((0u64, 0u64), |(c, s), (_, m)| {
                    (c + 1, s.saturating_add(m.size))
                });
                let mut out = BytesMut::new();
                ok_line(
                    format!("{count} messages ({size} octets)").as_bytes(),
                    &mut out,
                );
                for (msg, m) in self.live_messages() {
                    ScanListing { msg, size: m.size }.encode(&mut out);
                }
                encode_end(&mut out);
                self.output.unsplit(out);
            }
            Command::List(Some(msg)) => {
                if let Some(size) = self.live(msg, verb) {
                    ok_line(format!("{msg} {size}").as_bytes(), &mut self.output);
                }
            }
            Command::Uidl(None) => {
                let mut out = BytesMut::new();
                ok_line(b"unique-id listing follows", &mut out);
                for (msg, m) in self.live_messages() {
                    UidListing {
                        msg,
                        uid: m.uid.clone(),
                    }
                    .encode(&mut out);
                }
                encode_end(&mut out);
                self.output.unsplit(out);
            }
            Command::Uidl(Some(msg)) => {
                if self.live(msg, verb).is_some() {
                    let uid = self
                        .maildrop
                        .get(msg.index())
                        .map(|m| m.uid.as_str().to_owned())
                        .unwrap_or_default();
                    ok_line(format!("{msg} {uid}").as_bytes(), &mut self.output);
                }
            }
            Command::Dele(msg) => {
                if self.live(msg, verb).is_some() {
                    if let Some(d) = self.deleted.get_mut(msg.index()) {
                        *d = true;
                    }
                    ok_line(
                        format!("message {msg} deleted").as_bytes(),
                        &mut self.output,
                    );
                }
            }
            Command::Rset => {
                self.deleted.iter_mut().for_each(|d| *d = false);
                let count = self.maildrop.len();
                ok_line(
                    format!("maildrop has {count} messages").as_bytes(),
                    &mut self.output,
                );
            }
            Command::Retr(msg) => self.retrieve(msg, None, verb),
            Command::Top { msg, lines } => self.retrieve(msg, Some(lines), verb),
            Command::Quit => {
                self.state = State::Update;
                self.pending = Pending::Update;
                let deleted = self
                    .deleted
                    .iter()
                    .enumerate()
                    .filter(|(_, d)| **d)
                    .filter_map(|(i, _)| MsgNum::from_index(i))
                    .collect();
                self.events.push_back(ServerEvent::Update { deleted });
            }
            Command::Unknown { .. } => self.reject(verb, Rejection::Unknown),
            Command::Lang(_) => self.reject(verb, Rejection::NotOffered("LANG")),
            _ => self.wrong_state(verb),
        }
    }

    fn retrieve(&mut self, msg: MsgNum, top: Option<u32>, verb: &str) {
        let Some(size) = self.live(msg, verb) else {
            return;
        };
        let ok = match top {
            None => format!("{size} octets"),
            Some(_) => "top of message follows".to_owned(),
        };
        self.pending = Pending::Body(Box::new(BodyOut {
            enc: DotEncoder::new(self.config.body_line_endings),
            ok: Some(ok.into_bytes()),
            top: top.map(|lines| TopCut {
                remaining: None,
                lines,
                line_len: 0,
                line_cr: false,
            }),
            done: false,
        }));
        self.events.push_back(ServerEvent::Retrieve { msg, top });
    }

    /// Streams the next part of the message asked for by
    /// [`ServerEvent::Retrieve`], stuffing it into the output. Chunks may
    /// split lines anywhere. For `TOP`, once the header and the requested
    /// lines are out, returns [`BodyProgress::Done`] and ignores further
    /// chunks.
    ///
    /// Take the output between chunks to keep memory bounded.
    pub fn body_chunk(&mut self, data: &[u8]) -> Result<BodyProgress, ServerError> {
        let Pending::Body(body) = &mut self.pending else {
            return Err(ServerError::NotPending("message"));
        };
        if body.done {
            return Ok(BodyProgress::Done);
        }
        let send = match &mut body.top {
            Some(cut) => match cut.cut(data) {
                Some(n) => {
                    body.done = true;
                    data.get(..n).unwrap_or(data)
                }
                None => data,
            },
            None => data,
        };
        let mut stuffed = BytesMut::new();
        if let Err(e) = body.enc.encode(send, &mut stuffed) {
            // Nothing of the chunk was written; the TOP counter has moved,
            // but the application cannot go on with this message anyway.
            return Err(e.into());
        }
        if let Some(ok) = body.ok.take() {
            ok_line(&ok, &mut self.output);
        }
        self.output.unsplit(stuffed);
        Ok(if body.done {
            BodyProgress::Done
        } else {
            BodyProgress::More
        })
    }

    /// Ends the message being streamed: writes the final CRLF if the message
    /// lacked one (RFC 1939 section 3 requires it before the terminating
    /// dot), then `.` CRLF, and goes on with pipelined commands.
    pub fn body_end(&mut self) -> Result<(), ServerError> {
        let Pending::Body(_) = &self.pending else {
            return Err(ServerError::NotPending("message"));
        };
        if let Pending::Body(mut body) = core::mem::replace(&mut self.pending, Pending::None) {
            if let Some(ok) = body.ok.take() {
                ok_line(&ok, &mut self.output);
            }
            body.enc.finish(&mut self.output)?;
        }
        self.process();
        Ok(())
    }

    /// Refuses the pending `RETR`/`TOP` (the message vanished, a read
    /// error...). Before the first chunk this answers `-ERR [SYS/TEMP] text`
    /// and the session goes on. After it, `+OK` and part of the message are
    /// out and no response can follow safely, so the session closes (the
    /// client sees the connection end before the terminating dot and knows
    /// the message is incomplete).
    pub fn retrieve_failed(&mut self, text: &str) -> Result<(), ServerError> {
        let Pending::Body(body) = &self.pending else {
            return Err(ServerError::NotPending("message"));
        };
        if body.ok.is_some() {
            self.pending = Pending::None;
            let text = Text::new(text.as_bytes()).unwrap_or_default();
            err_line(
                Some(ResponseCode::SysTemp),
                text.as_bytes(),
                &mut self.output,
            );
            self.process();
        } else {
            self.close();
        }
        Ok(())
    }

    /// Ends the UPDATE state: `Ok(())` if the marked messages were deleted
    /// (`+OK`), or an error text (`-ERR [SYS/TEMP] ...`, RFC 1939 section 6
    /// says some may not have been removed). The session then closes.
    pub fn update_done(&mut self, result: Result<(), &str>) -> Result<(), ServerError> {
        if !matches!(self.pending, Pending::Update) {
            return Err(ServerError::NotPending("update"));
        }
        match result {
            Ok(()) => ok_line(b"bye", &mut self.output),
            Err(text) => {
                let text = Text::new(text.as_bytes()).unwrap_or_default();
                err_line(
                    Some(ResponseCode::SysTemp),
                    text.as_bytes(),
                    &mut self.output,
                );
            }
        }
        self.close();
        Ok(())
    }

    /// The TLS handshake after `STLS` completed: the session starts again in
    /// AUTHORIZATION (RFC 2595 section 4), with nothing of the plaintext
    /// phase kept, and no longer offers `STLS`.
    pub fn tls_established(&mut self) -> Result<(), ServerError> {
        if !matches!(self.pending, Pending::Tls) {
            return Err(ServerError::NoTlsUpgrade);
        }
        self.pending = Pending::None;
        self.discarding = false;
        self.config.tls_active = true;
        self.user = None;
        self.utf8 = false;
        self.input.clear();
        self.framer.reset();
        Ok(())
    }
}
