//! The POP3 client session: a sans-IO state machine (RFC 1939, with RFC 2449
//! CAPA and PIPELINING, RFC 2595 STLS, RFC 5034 AUTH and RFC 6856 UTF8).
//!
//! [`Client`] owns no socket. Feed it what the server sent with
//! [`Client::receive`], react to the [`ClientEvent`]s of
//! [`Client::poll_event`], and write [`Client::take_output`] to the server.
//!
//! The application asks for commands ([`Client::capa`], [`Client::login`],
//! [`Client::retr`]...). Each is checked against the session state and,
//! when the server's capabilities are known, against them, then queued and
//! sent as soon as the protocol allows: one command at a time, or several in
//! flight once `CAPA` listed `PIPELINING` (RFC 2449 section 6.6), but never
//! before the greeting and never past `STLS`, `AUTH`, `PASS` or `APOP`,
//! whose answers change what may follow. Responses are matched to the
//! commands in order.
//!
//! Message bodies (`RETR`, `TOP`) come out as [`ClientEvent::BodyChunk`]s:
//! zero-copy slices of the received bytes with the dot-stuffing removed,
//! between [`ClientEvent::BodyStart`] and [`ClientEvent::BodyEnd`]. Memory is
//! bounded by what one call to [`Client::receive`] holds, never by the size
//! of a message. `LIST` and `UIDL` listings are streamed line by line too.
//!
//! ```
//! use pop3_proto::client::{Client, ClientConfig, ClientEvent};
//!
//! let mut client = Client::new(ClientConfig::default());
//! client.capa().unwrap();
//! client.receive(b"+OK Dovecot ready.\r\n");
//! assert_eq!(&client.take_output()[..], b"CAPA\r\n");
//! client.receive(b"+OK\r\nUSER\r\nPIPELINING\r\n.\r\n");
//! client.login("tim", "tanstaaf").unwrap();
//! // USER is listed and SASL PLAIN is not: USER and PASS, pipelined.
//! assert_eq!(&client.take_output()[..], b"USER tim\r\nPASS tanstaaf\r\n");
//! client.receive(b"+OK\r\n+OK Logged in.\r\n");
//! let msg = pop3_proto::MsgNum::new(1).unwrap();
//! client.retr(msg).unwrap();
//! assert_eq!(&client.take_output()[..], b"RETR 1\r\n");
//! client.receive(b"+OK 14 octets\r\nSubject: x\r\n\r\n..\r\n.\r\n");
//! let mut body = Vec::new();
//! while let Some(event) = client.poll_event() {
//!     if let ClientEvent::BodyChunk(chunk) = event {
//!         body.extend_from_slice(&chunk);
//!     }
//! }
//! assert_eq!(body, b"Subject: x\r\n\r\n.\r\n");
//! ```

use core::fmt;
use std::collections::VecDeque;

use bytes::{BufMut, Bytes, BytesMut};
use mail_wire::Status as Progress;
use mail_wire::dot::{DotDecoder, DotOptions};
use mail_wire::line::{Framed, LineError, LineErrorKind, LineFramer, LineOptions};
use mail_wire::sasl::{self, ClientExchange, Mechanism, SaslError};

use crate::limits::Limits;
use crate::parse::{MultiLine, MultiLineReader, ResponseError, ResponseOptions};
use crate::types::{
    ApopDigest, Arg, Base64, Capabilities, Capability, Command, MsgNum, Response, ScanListing,
    Secret, Stat, Status, StatusLine, UidListing, ValueError,
};

/// How the client behaves. `Default` is strict and uses PIPELINING when the
/// server offers it.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Limits on the server's responses: `max_response_len` for status and
    /// listing lines, `max_capabilities` for the `CAPA` answer, `sasl` for
    /// challenges; `max_command_len` decides when an `AUTH` initial response
    /// goes on a line of its own (RFC 5034 section 4).
    pub limits: Limits,
    /// Line-ending leniency inside message bodies. By default (strict) a bare
    /// CR or LF in a body is passed through, counted in
    /// [`ClientEvent::BodyEnd::bare_line_endings`], and never ends the body:
    /// only `<CRLF>.<CRLF>` does.
    pub body_line_endings: DotOptions,
    /// Leniency of status lines (status indicators in any case, `+` without
    /// its space as an empty SASL challenge). Strict by default.
    pub responses: ResponseOptions,
    /// Use PIPELINING when `CAPA` lists it (RFC 2449 section 6.6): several
    /// commands in flight. `true` by default; `false` keeps one command in
    /// flight whatever the server says.
    pub pipelining: bool,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            limits: Limits::default(),
            body_line_endings: DotOptions::default(),
            responses: ResponseOptions::default(),
            pipelining: true,
        }
    }
}

/// Where the session is (RFC 1939 section 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientState {
    /// Waiting for the server's greeting.
    Greeting,
    /// Greeted, not logged in.
    Authorization,
    /// Logged in: the maildrop is open.
    Transaction,
    /// The session is over.
    Closed,
}

/// What the application is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientEvent {
    /// The server's greeting. A `-ERR` greeting is followed by
    /// [`ClientEvent::Closed`].
    Greeting {
        /// The greeting line.
        status: StatusLine<'static>,
        /// The APOP timestamp (`<...@...>`, brackets included) if the
        /// greeting offers APOP (RFC 1939 section 7).
        apop_timestamp: Option<String>,
    },
    /// The answer to `CAPA` (RFC 2449 section 5); the session now uses it.
    Capabilities(Capabilities<'static>),
    /// The login (`PASS`, `APOP` or `AUTH`) succeeded: TRANSACTION state.
    LoggedIn,
    /// The login failed; the session stays in AUTHORIZATION. The response
    /// code, if any, says why (`[AUTH]`, `[IN-USE]`, `[LOGIN-DELAY]`,
    /// `[SYS/TEMP]`...; RFC 2449 section 8, RFC 3206).
    LoginFailed(StatusLine<'static>),
    /// A SASL challenge in an exchange started with
    /// [`Client::authenticate_raw`] (decoded): answer with
    /// [`Client::auth_respond`] or [`Client::auth_cancel`].
    SaslChallenge(Vec<u8>),
    /// The answer to `STAT`.
    Stat(Stat),
    /// One line of a `LIST` listing, or the answer to `LIST msg` (which has
    /// no [`ClientEvent::ListingEnd`]).
    ScanListing(ScanListing),
    /// The end of a `LIST` listing.
    ListingEnd,
    /// One line of a `UIDL` listing, or the answer to `UIDL msg` (which has
    /// no [`ClientEvent::UidListingEnd`]).
    UidListing(UidListing<'static>),
    /// The end of a `UIDL` listing.
    UidListingEnd,
    /// `+OK` to `RETR` or `TOP`: the message follows in
    /// [`ClientEvent::BodyChunk`]s. Only [`ClientEvent::BodyEnd`] says it is
    /// complete: if the connection ends first, it is not.
    BodyStart {
        /// The message.
        msg: MsgNum,
    },
    /// A piece of the message, dot-stuffing removed. Pieces are cut wherever
    /// the input was cut and around removed dots; concatenated they are the
    /// message exactly, CRLF line endings included.
    BodyChunk(Bytes),
    /// The end of the message (`.` CRLF was received).
    BodyEnd {
        /// The message.
        msg: MsgNum,
        /// Bare CRs and LFs found in the message (always 0 with both
        /// leniencies of [`ClientConfig::body_line_endings`] on). They were
        /// passed through as data.
        bare_line_endings: usize,
    },
    /// `+OK` to `DELE`: the message is marked deleted.
    Deleted(MsgNum),
    /// `+OK` to a command without a result of its own: `NOOP`, `RSET`,
    /// `UTF8`. (The `+OK` to `USER` is not reported: the login goes on.)
    Ok {
        /// The command's verb.
        verb: &'static str,
        /// The response.
        status: StatusLine<'static>,
    },
    /// `-ERR` to a command (other than a login, see
    /// [`ClientEvent::LoginFailed`]). A multi-line command refused this way
    /// has no body.
    Error {
        /// The command's verb.
        verb: &'static str,
        /// The message the command named, if any (to tell pipelined `RETR`s
        /// apart).
        msg: Option<MsgNum>,
        /// The response, with its RFC 2449 code typed.
        status: StatusLine<'static>,
    },
    /// `+OK` to `STLS`: write out the output, run the TLS handshake, then
    /// call [`Client::tls_established`].
    TlsReady,
    /// Bytes the server sent in plaintext after its `+OK` to `STLS` were
    /// thrown away unread (the response-injection attack of the
    /// CVE-2011-0411 class).
    PlaintextDiscarded {
        /// How many bytes.
        len: usize,
    },
    /// The server broke the protocol (a line that does not parse, a response
    /// nobody asked for, an over-long line). The session cannot find its
    /// place again and closes: [`ClientEvent::Closed`] follows.
    ProtocolError {
        /// What was wrong.
        reason: String,
    },
    /// The session is over (`QUIT` answered, a `-ERR` greeting, or a
    /// protocol error): close the connection once the output is written.
    Closed,
}

/// Misuse of the client API, or a request the server's capabilities rule out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// The session is over, or `QUIT` was sent.
    #[error("the session is closed")]
    Closed,
    /// The command is not valid in the session's state.
    #[error("not possible now: {0}")]
    WrongState(&'static str),
    /// The server's capabilities (from `CAPA`) do not list what this needs.
    #[error("the server does not offer {0}")]
    NotOffered(&'static str),
    /// `APOP` needs the timestamp of the greeting, and the greeting had none
    /// (or has not arrived).
    #[error("the greeting offered no APOP timestamp")]
    NoApopTimestamp,
    /// A user name or password outside ASCII needs the `UTF8` command first,
    /// unless `CAPA` lists `UTF8 USER` (RFC 6856 section 2.2).
    #[error("a UTF-8 user name or password needs the UTF8 command first")]
    NeedsUtf8,
    /// An argument cannot be sent (too long, a space in a user name, CR, LF
    /// or NUL...).
    #[error(transparent)]
    Value(#[from] ValueError),
    /// The SASL mechanism refused the credentials.
    #[error(transparent)]
    Sasl(#[from] SaslError),
}

/// What the response at the head of the queue answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Greeting,
    Capa,
    Stls,
    User,
    /// `user_failed`: USER was refused and PASS went out pipelined with it;
    /// its answer is not reported again.
    Pass {
        user_failed: bool,
    },
    Apop,
    Auth,
    Stat,
    List(Option<MsgNum>),
    Uidl(Option<MsgNum>),
    Retr(MsgNum),
    Top(MsgNum),
    Dele(MsgNum),
    Noop,
    Rset,
    Utf8,
    Quit,
}

impl Expect {
    fn verb(self) -> &'static str {
        match self {
            Expect::Greeting => "greeting",
            Expect::Capa => "CAPA",
            Expect::Stls => "STLS",
            Expect::User => "USER",
            Expect::Pass { .. } => "PASS",
            Expect::Apop => "APOP",
            Expect::Auth => "AUTH",
            Expect::Stat => "STAT",
            Expect::List(_) => "LIST",
            Expect::Uidl(_) => "UIDL",
            Expect::Retr(_) => "RETR",
            Expect::Top(_) => "TOP",
            Expect::Dele(_) => "DELE",
            Expect::Noop => "NOOP",
            Expect::Rset => "RSET",
            Expect::Utf8 => "UTF8",
            Expect::Quit => "QUIT",
        }
    }

    fn msg(self) -> Option<MsgNum> {
        match self {
            Expect::List(m) | Expect::Uidl(m) => m,
            Expect::Retr(m) | Expect::Top(m) | Expect::Dele(m) => Some(m),
            _ => None,
        }
    }

    /// Nothing may be sent after this command until it is answered: the
    /// greeting, STLS (RFC 2595 section 4), and the logins, whose outcome
    /// changes the state (and, for AUTH, whose continuations would be read
    /// as commands).
    fn is_barrier(self) -> bool {
        matches!(
            self,
            Expect::Greeting
                | Expect::Stls
                | Expect::Pass { .. }
                | Expect::Apop
                | Expect::Auth
                | Expect::Quit
        )
    }
}

/// A password kept out of `Debug` output.
#[derive(Clone, PartialEq, Eq)]
struct Hidden(String);

impl fmt::Debug for Hidden {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<hidden>")
    }
}

/// A request waiting to be sent. Not `Debug`: it holds credentials.
enum Queued {
    Cmd(Command<'static>, Expect),
    /// `USER` then `PASS`.
    UserPass(Arg<'static>, Secret<'static>),
    /// [`Client::login`]: the method is chosen when it is sent, so that a
    /// `CAPA` sent just before is answered by then.
    Login {
        user_pass: Option<(Arg<'static>, Secret<'static>)>,
        user: String,
        password: Hidden,
    },
    Auth {
        mechanism: Mechanism<'static>,
        initial: Option<Vec<u8>>,
        exchange: Option<ClientExchange>,
    },
}

impl Queued {
    /// The command waits until nothing is in flight: the logins (whose
    /// method is chosen from the capabilities, and after which the state
    /// changes) and STLS. QUIT, the other barrier, may follow pipelined
    /// commands.
    fn waits_for_answers(&self) -> bool {
        match self {
            Queued::Cmd(_, e) => e.is_barrier() && *e != Expect::Quit,
            Queued::UserPass(..) | Queued::Login { .. } | Queued::Auth { .. } => true,
        }
    }
}

/// The SASL exchange in flight.
struct AuthState {
    /// `None` for a raw exchange driven by the application.
    exchange: Option<ClientExchange>,
    /// An initial response too long for the `AUTH` line (RFC 5034 section
    /// 4), to send as the answer to the server's first, empty, challenge.
    deferred: Option<Vec<u8>>,
    /// A raw challenge waits for [`Client::auth_respond`].
    challenge_pending: bool,
}

impl fmt::Debug for AuthState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthState")
            .field("exchange", &self.exchange)
            .field("deferred", &self.deferred.as_ref().map(|_| "<hidden>"))
            .field("challenge_pending", &self.challenge_pending)
            .finish()
    }
}

/// What the bytes at the head of the input are.
#[derive(Debug)]
enum Reading {
    /// A status line (or a SASL continuation).
    Status,
    /// The lines of a multi-line answer to CAPA, LIST or UIDL.
    Block {
        reader: MultiLineReader,
        caps: Vec<Capability<'static>>,
    },
    /// A message body.
    Body {
        decoder: DotDecoder,
        msg: MsgNum,
        bare: usize,
    },
}

/// A piece of a body handed out by the dot decoder: a range of the input, or
/// a few bytes held over from an earlier chunk.
enum Piece {
    Range(usize, usize),
    Copied(Vec<u8>),
}

/// The POP3 client session. See the [module documentation](self).
pub struct Client {
    /// Reused by `read_body` so a body read allocates nothing per call.
    pieces: Vec<Piece>,
    config: ClientConfig,
    state: ClientState,
    input: BytesMut,
    output: BytesMut,
    events: VecDeque<ClientEvent>,
    framer: LineFramer,
    reading: Reading,
    inflight: VecDeque<Expect>,
    queue: VecDeque<Queued>,
    caps: Option<Capabilities<'static>>,
    apop_timestamp: Option<String>,
    auth: Option<AuthState>,
    /// A login was asked for and has not been answered.
    login_pending: bool,
    quit_sent: bool,
    /// STLS was asked for and TLS is not established (or STLS was refused).
    stls_pending: bool,
    /// `+OK` to STLS came: waiting for [`Client::tls_established`].
    awaiting_tls: bool,
    tls: bool,
    /// UTF8 was asked for (STLS may not follow, RFC 6856 section 2).
    utf8_requested: bool,
    /// The server accepted UTF8.
    utf8: bool,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("state", &self.state)
            .field("inflight", &self.inflight)
            .field("queued", &self.queue.len())
            .field("buffered", &self.input.len())
            .field("tls", &self.tls)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A session waiting for the server's greeting.
    #[must_use]
    pub fn new(config: ClientConfig) -> Self {
        let framer = LineFramer::new(LineOptions::with_max_line_len(
            config.limits.max_response_len,
        ));
        Client {
            pieces: Vec::new(),
            config,
            state: ClientState::Greeting,
            input: BytesMut::new(),
            output: BytesMut::new(),
            events: VecDeque::new(),
            framer,
            reading: Reading::Status,
            inflight: VecDeque::from([Expect::Greeting]),
            queue: VecDeque::new(),
            caps: None,
            apop_timestamp: None,
            auth: None,
            login_pending: false,
            quit_sent: false,
            stls_pending: false,
            awaiting_tls: false,
            tls: false,
            utf8_requested: false,
            utf8: false,
        }
    }

    /// The configuration.
    #[must_use]
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// Feeds bytes received from the server.
    ///
    /// Between the `+OK` to `STLS` and [`Client::tls_established`] every
    /// byte is discarded and reported ([`ClientEvent::PlaintextDiscarded`]).
    /// Once the session is closed, input is ignored.
    pub fn receive(&mut self, data: &[u8]) {
        if self.state == ClientState::Closed || data.is_empty() {
            return;
        }
        if self.awaiting_tls {
            self.events
                .push_back(ClientEvent::PlaintextDiscarded { len: data.len() });
            return;
        }
        self.input.extend_from_slice(data);
        self.process();
        self.flush();
    }

    /// Feeds bytes received from the server in a buffer the session may
    /// keep: when nothing is buffered from earlier reads (the usual case
    /// between responses and during a message body), the buffer itself
    /// becomes the session's input and the [`ClientEvent::BodyChunk`]s are
    /// slices of it, so the message is never copied. Read into a `BytesMut`
    /// and pass `buf.split()`. Otherwise the same as [`Client::receive`].
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use pop3_proto::client::{Client, ClientConfig, ClientEvent};
    ///
    /// let mut client = Client::new(ClientConfig::default());
    /// let mut read_buf = BytesMut::from(&b"+OK ready\r\n"[..]);
    /// client.receive_owned(read_buf.split());
    /// assert!(matches!(client.poll_event(), Some(ClientEvent::Greeting { .. })));
    /// ```
    pub fn receive_owned(&mut self, data: BytesMut) {
        if self.input.is_empty() && !self.awaiting_tls && self.state != ClientState::Closed {
            if data.is_empty() {
                return;
            }
            self.input = data;
            self.process();
            self.flush();
        } else {
            self.receive(&data);
        }
    }

    /// The next event, if any.
    pub fn poll_event(&mut self) -> Option<ClientEvent> {
        self.events.pop_front()
    }

    /// The bytes to send to the server so far.
    pub fn take_output(&mut self) -> Bytes {
        self.output.split().freeze()
    }

    /// Whether the session is over.
    #[must_use]
    pub fn is_closed(&self) -> bool {
        self.state == ClientState::Closed
    }

    /// The session's state.
    #[must_use]
    pub fn state(&self) -> ClientState {
        self.state
    }

    /// Whether nothing is queued or waiting for an answer.
    #[must_use]
    pub fn is_idle(&self) -> bool {
        self.inflight.is_empty() && self.queue.is_empty() && !self.awaiting_tls
    }

    /// The server's capabilities, once `CAPA` was answered (forgotten when
    /// TLS starts, RFC 2595 section 4).
    #[must_use]
    pub fn capabilities(&self) -> Option<&Capabilities<'static>> {
        self.caps.as_ref()
    }

    /// The APOP timestamp of the greeting, brackets included.
    #[must_use]
    pub fn apop_timestamp(&self) -> Option<&str> {
        self.apop_timestamp.as_deref()
    }

    /// Whether TLS was established through `STLS`.
    #[must_use]
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// Whether the server accepted `UTF8` (RFC 6856).
    #[must_use]
    pub fn is_utf8(&self) -> bool {
        self.utf8
    }

    // ----- sending -------------------------------------------------------

    fn pipelining(&self) -> bool {
        self.config.pipelining && self.caps.as_ref().is_some_and(Capabilities::pipelining)
    }

    /// Whether the command at the head of the queue may go out now.
    fn may_send(&self, next: &Queued) -> bool {
        if self.state == ClientState::Closed || self.awaiting_tls {
            return false;
        }
        // A barrier is always the last command in flight, since nothing is
        // sent after it.
        match self.inflight.back() {
            None => true,
            Some(e) if e.is_barrier() => false,
            Some(_) => !next.waits_for_answers() && self.pipelining(),
        }
    }

    fn flush(&mut self) {
        while let Some(next) = self.queue.front() {
            if !self.may_send(next) {
                return;
            }
            let Some(next) = self.queue.pop_front() else {
                return;
            };
            self.send(next);
        }
    }

    fn write(&mut self, cmd: &Command<'_>, expect: Expect) {
        cmd.encode(&mut self.output);
        self.inflight.push_back(expect);
    }

    fn send(&mut self, item: Queued) {
        match item {
            Queued::Cmd(cmd, expect) => self.write(&cmd, expect),
            Queued::UserPass(user, pass) => self.send_user_pass(user, pass),
            Queued::Login {
                user_pass,
                user,
                password,
            } => {
                let caps = self.caps.as_ref();
                let plain_listed = caps.is_some_and(|c| c.sasl().any(|m| *m == Mechanism::Plain));
                let login_listed = caps.is_some_and(|c| c.sasl().any(|m| *m == Mechanism::Login));
                let user_listed = caps.is_none_or(Capabilities::user);
                let plain = if plain_listed {
                    ClientExchange::plain(None, &user, &password.0).ok()
                } else {
                    None
                };
                match (plain, user_pass) {
                    (Some(ex), _) => self.send_auth(Mechanism::Plain, None, Some(ex)),
                    (None, Some((u, p))) if user_listed || !login_listed => {
                        self.send_user_pass(u, p);
                    }
                    _ => self.send_auth(
                        Mechanism::Login,
                        None,
                        Some(ClientExchange::login(&user, &password.0)),
                    ),
                }
            }
            Queued::Auth {
                mechanism,
                initial,
                exchange,
            } => self.send_auth(mechanism, initial, exchange),
        }
    }

    fn send_user_pass(&mut self, user: Arg<'static>, pass: Secret<'static>) {
        self.write(&Command::User(user), Expect::User);
        let pass = Command::Pass(pass);
        if self.pipelining() {
            // RFC 2449 section 6.6: USER and PASS may go as a group.
            self.write(&pass, Expect::Pass { user_failed: false });
        } else {
            self.queue
                .push_front(Queued::Cmd(pass, Expect::Pass { user_failed: false }));
        }
    }

    /// Sends `AUTH`, with the initial response on the line unless that would
    /// make the line longer than `max_command_len` (255 octets, CRLF
    /// included: RFC 5034 section 4); then the response waits for the
    /// server's first challenge.
    fn send_auth(
        &mut self,
        mechanism: Mechanism<'static>,
        initial: Option<Vec<u8>>,
        mut exchange: Option<ClientExchange>,
    ) {
        let initial = match exchange.as_mut() {
            Some(ex) => ex.initial_response(),
            None => initial,
        };
        let mut cmd = Command::Auth {
            mechanism,
            initial_response: initial.as_deref().map(|d| Base64::encode(d, true)),
        };
        let mut deferred = None;
        if cmd.encoded_len() > self.config.limits.max_command_len
            && let Command::Auth {
                initial_response, ..
            } = &mut cmd
        {
            *initial_response = None;
            deferred = initial;
        }
        self.write(&cmd, Expect::Auth);
        self.auth = Some(AuthState {
            exchange,
            deferred,
            challenge_pending: false,
        });
    }

    fn write_sasl_line(&mut self, data: Option<&[u8]>) {
        match data {
            Some(d) => sasl::encode_base64(d, &mut self.output),
            None => self.output.put_u8(b'*'),
        }
        self.output.put_slice(b"\r\n");
    }

    fn enqueue(&mut self, item: Queued) {
        self.queue.push_back(item);
        self.flush();
    }

    // ----- state checks --------------------------------------------------

    fn check_open(&self) -> Result<(), ClientError> {
        if self.state == ClientState::Closed || self.quit_sent {
            return Err(ClientError::Closed);
        }
        Ok(())
    }

    fn check_authorization(&self) -> Result<(), ClientError> {
        self.check_open()?;
        if self.state == ClientState::Transaction {
            return Err(ClientError::WrongState("already logged in"));
        }
        if self.login_pending {
            return Err(ClientError::WrongState("a login is in progress"));
        }
        Ok(())
    }

    fn check_transaction(&self) -> Result<(), ClientError> {
        self.check_open()?;
        if self.state != ClientState::Transaction {
            return Err(ClientError::WrongState("not logged in"));
        }
        Ok(())
    }

    /// USER, PASS and APOP take UTF-8 only in UTF-8 mode, or before it when
    /// `CAPA` lists `UTF8 USER` (RFC 6856 section 2.2).
    fn check_ascii_login(&self, user: &str, password: &[u8]) -> Result<(), ClientError> {
        if user.is_ascii() && password.is_ascii() {
            return Ok(());
        }
        let utf8_user = self.caps.as_ref().is_some_and(|c| {
            c.0.iter()
                .any(|c| matches!(c, Capability::Utf8 { user: true }))
        });
        if self.utf8 || self.utf8_requested || utf8_user {
            Ok(())
        } else {
            Err(ClientError::NeedsUtf8)
        }
    }

    fn check_sasl_offered(&self, mechanism: &Mechanism<'_>) -> Result<(), ClientError> {
        match &self.caps {
            Some(c) if !c.sasl().any(|m| m == mechanism) => {
                Err(ClientError::NotOffered("this SASL mechanism"))
            }
            _ => Ok(()),
        }
    }

    // ----- AUTHORIZATION commands ----------------------------------------

    /// Sends `CAPA` (RFC 2449 section 5), valid in both states. The answer
    /// comes as [`ClientEvent::Capabilities`]; from then on the session
    /// refuses what the server does not list and pipelines if it may.
    pub fn capa(&mut self) -> Result<(), ClientError> {
        self.check_open()?;
        self.enqueue(Queued::Cmd(Command::Capa, Expect::Capa));
        Ok(())
    }

    /// Sends `STLS` (RFC 2595 section 4). On [`ClientEvent::TlsReady`] run
    /// the TLS handshake, then call [`Client::tls_established`]. Refused
    /// after login, once TLS is active, after `UTF8` (RFC 6856 section 2),
    /// and when `CAPA` was answered without `STLS`.
    pub fn stls(&mut self) -> Result<(), ClientError> {
        self.check_authorization()?;
        if self.tls || self.stls_pending {
            return Err(ClientError::WrongState(
                "TLS is already active or requested",
            ));
        }
        if self.utf8_requested {
            return Err(ClientError::WrongState(
                "STLS may not follow UTF8 (RFC 6856 section 2)",
            ));
        }
        if self.caps.as_ref().is_some_and(|c| !c.stls()) {
            return Err(ClientError::NotOffered("STLS"));
        }
        self.stls_pending = true;
        self.enqueue(Queued::Cmd(Command::Stls, Expect::Stls));
        Ok(())
    }

    /// The TLS handshake after [`ClientEvent::TlsReady`] succeeded. The
    /// session forgets the capabilities it learnt in plaintext and sends
    /// `CAPA` again before anything else (RFC 2595 section 4: the client
    /// "MUST discard cached information about server capabilities and
    /// SHOULD re-issue the CAPA command"); commands queued meanwhile follow.
    pub fn tls_established(&mut self) -> Result<(), ClientError> {
        if !self.awaiting_tls {
            return Err(ClientError::WrongState("no STLS upgrade is pending"));
        }
        self.awaiting_tls = false;
        self.stls_pending = false;
        self.tls = true;
        self.caps = None;
        self.input.clear();
        self.framer.reset();
        self.queue
            .push_front(Queued::Cmd(Command::Capa, Expect::Capa));
        self.flush();
        Ok(())
    }

    /// Logs in with a user name and password, choosing the method from the
    /// capabilities: SASL `PLAIN` when `CAPA` lists it, else `USER`/`PASS`
    /// (also when no `CAPA` was asked), else SASL `LOGIN` if only that is
    /// listed. Never APOP. The choice is made when the command goes out, so
    /// a `CAPA` asked just before counts. Ends with
    /// [`ClientEvent::LoggedIn`] or [`ClientEvent::LoginFailed`].
    pub fn login(&mut self, user: &str, password: &str) -> Result<(), ClientError> {
        self.check_authorization()?;
        let user_pass = Arg::new(user.to_owned())
            .map_err(ClientError::from)
            .and_then(|u| {
                self.check_ascii_login(user, password.as_bytes())?;
                Ok((u, Secret::new(password.as_bytes().to_vec())?))
            });
        if let Some(caps) = &self.caps {
            let plain = caps.sasl().any(|m| *m == Mechanism::Plain);
            let login = caps.sasl().any(|m| *m == Mechanism::Login);
            if plain {
                ClientExchange::plain(None, user, password)?;
            } else if caps.user() {
                user_pass.clone()?;
            } else if !login {
                return Err(ClientError::NotOffered("USER or SASL PLAIN or LOGIN"));
            }
        } else if let Err(e) = &user_pass {
            return Err(e.clone());
        }
        self.login_pending = true;
        self.enqueue(Queued::Login {
            user_pass: user_pass.ok(),
            user: user.to_owned(),
            password: Hidden(password.to_owned()),
        });
        Ok(())
    }

    /// Logs in with `USER` and `PASS` (RFC 1939 section 7), pipelined when
    /// the server allows it. Refused when `CAPA` was answered without `USER`.
    pub fn user_pass(&mut self, user: &str, password: &str) -> Result<(), ClientError> {
        self.check_authorization()?;
        if self.caps.as_ref().is_some_and(|c| !c.user()) {
            return Err(ClientError::NotOffered("USER"));
        }
        self.check_ascii_login(user, password.as_bytes())?;
        let u = Arg::new(user.to_owned())?;
        let p = Secret::new(password.as_bytes().to_vec())?;
        self.login_pending = true;
        self.enqueue(Queued::UserPass(u, p));
        Ok(())
    }

    /// Logs in with `APOP name digest` (RFC 1939 section 7); `digest` is MD5
    /// of [`Client::apop_timestamp`] followed by the shared secret. Needs the
    /// greeting's timestamp.
    pub fn apop(&mut self, user: &str, digest: ApopDigest) -> Result<(), ClientError> {
        self.check_authorization()?;
        if self.apop_timestamp.is_none() {
            return Err(ClientError::NoApopTimestamp);
        }
        self.check_ascii_login(user, b"")?;
        let name = Arg::new(user.to_owned())?;
        self.login_pending = true;
        self.enqueue(Queued::Cmd(Command::Apop { name, digest }, Expect::Apop));
        Ok(())
    }

    /// Logs in with `APOP`, computing the digest from the greeting's
    /// timestamp and `secret` (feature `apop`; APOP is legacy, see
    /// [`crate::apop`]). The greeting must have been received.
    #[cfg(feature = "apop")]
    pub fn apop_with_secret(&mut self, user: &str, secret: &str) -> Result<(), ClientError> {
        let Some(ts) = self.apop_timestamp.as_deref() else {
            return Err(ClientError::NoApopTimestamp);
        };
        let digest = crate::apop::apop_digest(ts.as_bytes(), secret.as_bytes());
        self.apop(user, digest)
    }

    /// Runs `AUTH` (RFC 5034) with a built-in mechanism (PLAIN, LOGIN,
    /// XOAUTH2, OAUTHBEARER): the session answers the challenges itself.
    /// Refused when `CAPA` was answered without this mechanism.
    pub fn authenticate(&mut self, exchange: ClientExchange) -> Result<(), ClientError> {
        self.check_authorization()?;
        let mechanism = exchange.mechanism().clone();
        self.check_sasl_offered(&mechanism)?;
        self.login_pending = true;
        self.enqueue(Queued::Auth {
            mechanism,
            initial: None,
            exchange: Some(exchange),
        });
        Ok(())
    }

    /// Runs `AUTH` with a mechanism the application drives: each challenge
    /// comes as [`ClientEvent::SaslChallenge`], answered with
    /// [`Client::auth_respond`] or [`Client::auth_cancel`]. `initial` is the
    /// initial response (decoded), if the mechanism has one.
    pub fn authenticate_raw(
        &mut self,
        mechanism: Mechanism<'static>,
        initial: Option<Vec<u8>>,
    ) -> Result<(), ClientError> {
        self.check_authorization()?;
        self.check_sasl_offered(&mechanism)?;
        self.login_pending = true;
        self.enqueue(Queued::Auth {
            mechanism,
            initial,
            exchange: None,
        });
        Ok(())
    }

    /// Answers the pending [`ClientEvent::SaslChallenge`] (decoded bytes).
    pub fn auth_respond(&mut self, data: &[u8]) -> Result<(), ClientError> {
        self.take_raw_challenge()?;
        self.write_sasl_line(Some(data));
        Ok(())
    }

    /// Cancels the raw exchange at its pending challenge (`*`); the server
    /// answers `-ERR`, reported as [`ClientEvent::LoginFailed`].
    pub fn auth_cancel(&mut self) -> Result<(), ClientError> {
        self.take_raw_challenge()?;
        self.write_sasl_line(None);
        Ok(())
    }

    fn take_raw_challenge(&mut self) -> Result<(), ClientError> {
        if self.state == ClientState::Closed {
            return Err(ClientError::Closed);
        }
        match &mut self.auth {
            Some(a) if a.exchange.is_none() && a.challenge_pending => {
                a.challenge_pending = false;
                Ok(())
            }
            _ => Err(ClientError::WrongState("no SASL challenge to answer")),
        }
    }

    /// Sends `UTF8` (RFC 6856 section 2), valid before login. Refused when
    /// `CAPA` was answered without `UTF8`.
    pub fn utf8(&mut self) -> Result<(), ClientError> {
        self.check_authorization()?;
        if self.caps.as_ref().is_some_and(|c| !c.has("UTF8")) {
            return Err(ClientError::NotOffered("UTF8"));
        }
        self.utf8_requested = true;
        self.enqueue(Queued::Cmd(Command::Utf8, Expect::Utf8));
        Ok(())
    }

    /// Sends `QUIT` (RFC 1939 sections 4 and 6), valid in both states; in
    /// TRANSACTION the server then deletes the messages marked deleted.
    /// [`ClientEvent::Closed`] follows the answer. No command may follow.
    pub fn quit(&mut self) -> Result<(), ClientError> {
        self.check_open()?;
        self.quit_sent = true;
        self.enqueue(Queued::Cmd(Command::Quit, Expect::Quit));
        Ok(())
    }

    // ----- TRANSACTION commands ------------------------------------------

    fn transaction(&mut self, cmd: Command<'static>, expect: Expect) -> Result<(), ClientError> {
        self.check_transaction()?;
        self.enqueue(Queued::Cmd(cmd, expect));
        Ok(())
    }

    /// Sends `STAT`; the answer is [`ClientEvent::Stat`].
    pub fn stat(&mut self) -> Result<(), ClientError> {
        self.transaction(Command::Stat, Expect::Stat)
    }

    /// Sends `LIST` or `LIST msg`. Without a message the listing is
    /// streamed: one [`ClientEvent::ScanListing`] per line, then
    /// [`ClientEvent::ListingEnd`]. With one, a single
    /// [`ClientEvent::ScanListing`].
    pub fn list(&mut self, msg: Option<MsgNum>) -> Result<(), ClientError> {
        self.transaction(Command::List(msg), Expect::List(msg))
    }

    /// Sends `UIDL` or `UIDL msg` (RFC 1939 section 7), streamed like
    /// [`Client::list`]. Refused when `CAPA` was answered without `UIDL`.
    pub fn uidl(&mut self, msg: Option<MsgNum>) -> Result<(), ClientError> {
        self.check_transaction()?;
        if self.caps.as_ref().is_some_and(|c| !c.uidl()) {
            return Err(ClientError::NotOffered("UIDL"));
        }
        self.transaction(Command::Uidl(msg), Expect::Uidl(msg))
    }

    /// Sends `RETR msg`: the message comes as [`ClientEvent::BodyStart`],
    /// [`ClientEvent::BodyChunk`]s and [`ClientEvent::BodyEnd`].
    pub fn retr(&mut self, msg: MsgNum) -> Result<(), ClientError> {
        self.transaction(Command::Retr(msg), Expect::Retr(msg))
    }

    /// Sends `TOP msg lines` (RFC 1939 section 7): the header and the first
    /// `lines` lines of the body, as for [`Client::retr`]. Refused when
    /// `CAPA` was answered without `TOP`.
    pub fn top(&mut self, msg: MsgNum, lines: u32) -> Result<(), ClientError> {
        self.check_transaction()?;
        if self.caps.as_ref().is_some_and(|c| !c.top()) {
            return Err(ClientError::NotOffered("TOP"));
        }
        self.transaction(Command::Top { msg, lines }, Expect::Top(msg))
    }

    /// Sends `DELE msg`; the answer is [`ClientEvent::Deleted`].
    pub fn dele(&mut self, msg: MsgNum) -> Result<(), ClientError> {
        self.transaction(Command::Dele(msg), Expect::Dele(msg))
    }

    /// Sends `NOOP`; the answer is [`ClientEvent::Ok`].
    pub fn noop(&mut self) -> Result<(), ClientError> {
        self.transaction(Command::Noop, Expect::Noop)
    }

    /// Sends `RSET` (unmarks deleted messages); the answer is
    /// [`ClientEvent::Ok`].
    pub fn rset(&mut self) -> Result<(), ClientError> {
        self.transaction(Command::Rset, Expect::Rset)
    }

    // ----- receiving -----------------------------------------------------

    fn close(&mut self) {
        if self.state == ClientState::Closed {
            return;
        }
        self.state = ClientState::Closed;
        self.queue.clear();
        self.inflight.clear();
        self.auth = None;
        self.awaiting_tls = false;
        self.reading = Reading::Status;
        self.input.clear();
        self.events.push_back(ClientEvent::Closed);
    }

    fn protocol_error(&mut self, reason: String) {
        if self.state == ClientState::Closed {
            return;
        }
        self.events.push_back(ClientEvent::ProtocolError { reason });
        self.close();
    }

    fn process(&mut self) {
        loop {
            if self.state == ClientState::Closed || self.awaiting_tls || self.input.is_empty() {
                return;
            }
            let progressed = match self.reading {
                Reading::Status => self.read_status_line(),
                Reading::Block { .. } => self.read_block_line(),
                Reading::Body { .. } => self.read_body(),
            };
            if !progressed {
                return;
            }
            // What this response allowed goes out before the next one is
            // read: it may answer it.
            self.flush();
        }
    }

    fn read_status_line(&mut self) -> bool {
        let limits = &self.config.limits;
        // A SASL challenge may be longer than a status line (RFC 5034
        // section 4): "+ ", the base64 text and CRLF.
        let max = if self.inflight.front() == Some(&Expect::Auth) {
            limits
                .max_response_len
                .max(limits.sasl.max_encoded_len.saturating_add(4))
        } else {
            limits.max_response_len
        };
        self.framer.set_max_line_len(max);
        let line = match self.framer.poll(&self.input) {
            Ok(Framed::Incomplete) => return false,
            Ok(Framed::Line(line)) => line,
            Ok(Framed::Skip(_))
            | Err(LineError {
                kind: LineErrorKind::TooLong { .. },
                ..
            }) => {
                self.protocol_error(format!("response line longer than {max} octets"));
                return false;
            }
            Err(_) => {
                self.protocol_error("response line not ended by CRLF".to_owned());
                return false;
            }
        };
        let unit = self
            .input
            .split_to(line.consumed.min(self.input.len()))
            .freeze();
        self.on_line(line.content(&unit));
        true
    }

    fn on_line(&mut self, line: &[u8]) {
        let Some(&expect) = self.inflight.front() else {
            let shown = line.get(..line.len().min(80)).unwrap_or_default();
            self.protocol_error(format!(
                "unsolicited response: {}",
                String::from_utf8_lossy(shown)
            ));
            return;
        };
        let opts = self.config.responses;
        if expect == Expect::Auth {
            match Response::parse_with(line, &opts) {
                Ok(Response::Continue(b64)) => self.on_challenge(b64.as_str().as_bytes()),
                Ok(Response::Status(status)) => {
                    self.inflight.pop_front();
                    self.auth = None;
                    self.on_login_answer(status.into_owned());
                }
                Err(e) => self.protocol_error(format!("AUTH: {e}")),
            }
            return;
        }
        let status = match StatusLine::parse_with(line, &opts) {
            Ok(s) => s,
            Err(e) => {
                self.protocol_error(format!("{}: {e}", expect.verb()));
                return;
            }
        };
        if status.status == Status::Err {
            self.inflight.pop_front();
            self.on_err(expect, status.into_owned());
            return;
        }
        match expect {
            Expect::Capa | Expect::List(None) | Expect::Uidl(None) => {
                let limits = &self.config.limits;
                let mut reader = MultiLineReader::new(limits);
                if expect == Expect::Capa {
                    reader.set_max_lines(Some(limits.max_capabilities));
                }
                self.reading = Reading::Block {
                    reader,
                    caps: Vec::new(),
                };
                return;
            }
            Expect::Retr(msg) | Expect::Top(msg) => {
                self.reading = Reading::Body {
                    decoder: DotDecoder::new(self.config.body_line_endings),
                    msg,
                    bare: 0,
                };
                self.events.push_back(ClientEvent::BodyStart { msg });
                return;
            }
            _ => {}
        }
        self.inflight.pop_front();
        let text = status.text.as_bytes();
        match expect {
            Expect::Greeting => {
                let ts = status
                    .apop_timestamp()
                    .map(|t| String::from_utf8_lossy(t).into_owned());
                self.apop_timestamp.clone_from(&ts);
                self.state = ClientState::Authorization;
                self.events.push_back(ClientEvent::Greeting {
                    status: status.into_owned(),
                    apop_timestamp: ts,
                });
            }
            Expect::Stls => {
                self.events.push_back(ClientEvent::TlsReady);
                // RFC 2595 section 4: TLS starts right after this CRLF.
                // Anything already here came in plaintext after the server's
                // answer: an injection, never to be read as responses.
                let extra = self.input.len();
                if extra > 0 {
                    self.events
                        .push_back(ClientEvent::PlaintextDiscarded { len: extra });
                }
                self.input.clear();
                self.framer.reset();
                self.awaiting_tls = true;
            }
            Expect::User => {}
            Expect::Pass { .. } | Expect::Apop => self.on_login_answer(status.into_owned()),
            Expect::Stat => match Stat::parse(text) {
                Ok(s) => self.events.push_back(ClientEvent::Stat(s)),
                Err(e) => self.protocol_error(format!("STAT: {e}")),
            },
            Expect::List(Some(_)) => match ScanListing::parse(text) {
                Ok(s) => self.events.push_back(ClientEvent::ScanListing(s)),
                Err(e) => self.protocol_error(format!("LIST: {e}")),
            },
            Expect::Uidl(Some(_)) => match UidListing::parse(text) {
                Ok(u) => {
                    let u = u.into_owned();
                    self.events.push_back(ClientEvent::UidListing(u));
                }
                Err(e) => self.protocol_error(format!("UIDL: {e}")),
            },
            Expect::Dele(msg) => self.events.push_back(ClientEvent::Deleted(msg)),
            Expect::Utf8 => {
                self.utf8 = true;
                self.ok_event(expect, status);
            }
            Expect::Noop | Expect::Rset => self.ok_event(expect, status),
            Expect::Quit => self.close(),
            // Handled above.
            Expect::Auth
            | Expect::Capa
            | Expect::List(None)
            | Expect::Uidl(None)
            | Expect::Retr(_)
            | Expect::Top(_) => {}
        }
    }

    fn ok_event(&mut self, expect: Expect, status: StatusLine<'_>) {
        self.events.push_back(ClientEvent::Ok {
            verb: expect.verb(),
            status: status.into_owned(),
        });
    }

    fn on_err(&mut self, expect: Expect, status: StatusLine<'static>) {
        match expect {
            Expect::Greeting => {
                self.events.push_back(ClientEvent::Greeting {
                    status,
                    apop_timestamp: None,
                });
                self.close();
            }
            Expect::User => {
                // The login is over: PASS must not follow, or, if it went out
                // pipelined, its answer is not reported again.
                if let Some(Expect::Pass { user_failed }) = self.inflight.front_mut() {
                    *user_failed = true;
                } else if matches!(self.queue.front(), Some(Queued::Cmd(Command::Pass(_), _))) {
                    self.queue.pop_front();
                }
                self.login_pending = false;
                self.events.push_back(ClientEvent::LoginFailed(status));
            }
            Expect::Pass { user_failed: true } => {}
            Expect::Pass { .. } | Expect::Apop | Expect::Auth => self.on_login_answer(status),
            Expect::Stls => {
                self.stls_pending = false;
                self.error_event(expect, status);
            }
            Expect::Utf8 => {
                self.utf8_requested = false;
                self.error_event(expect, status);
            }
            Expect::Quit => {
                // RFC 1939 section 6: some messages marked deleted may not
                // have been removed. The server closes anyway.
                self.error_event(expect, status);
                self.close();
            }
            _ => self.error_event(expect, status),
        }
    }

    fn error_event(&mut self, expect: Expect, status: StatusLine<'static>) {
        self.events.push_back(ClientEvent::Error {
            verb: expect.verb(),
            msg: expect.msg(),
            status,
        });
    }

    fn on_login_answer(&mut self, status: StatusLine<'static>) {
        self.login_pending = false;
        if status.is_ok() {
            self.state = ClientState::Transaction;
            self.events.push_back(ClientEvent::LoggedIn);
        } else {
            self.events.push_back(ClientEvent::LoginFailed(status));
        }
    }

    /// A `+ ` continuation during `AUTH` (RFC 5034 section 4).
    fn on_challenge(&mut self, b64: &[u8]) {
        let limits = self.config.limits.sasl;
        let Some(auth) = self.auth.as_mut() else {
            self.protocol_error("AUTH: a challenge with no exchange running".to_owned());
            return;
        };
        if auth.challenge_pending {
            self.protocol_error(
                "AUTH: a second challenge before the answer to the first".to_owned(),
            );
            return;
        }
        // "If the client cannot Base64 decode any of the server's
        // challenges, it MUST cancel the authentication using the "*"
        // response."
        let Ok(challenge) = sasl::decode_challenge(b64, &limits) else {
            self.write_sasl_line(None);
            return;
        };
        if let Some(initial) = auth.deferred.take() {
            // The initial response that did not fit on the AUTH line.
            self.write_sasl_line(Some(&initial));
            return;
        }
        match auth.exchange.as_mut() {
            None => {
                auth.challenge_pending = true;
                self.events.push_back(ClientEvent::SaslChallenge(challenge));
            }
            Some(ex) => match ex.respond(&challenge) {
                Ok(answer) => self.write_sasl_line(Some(&answer)),
                Err(_) => self.write_sasl_line(None),
            },
        }
    }

    fn read_block_line(&mut self) -> bool {
        let Some(&expect) = self.inflight.front() else {
            self.reading = Reading::Status;
            return true;
        };
        let Reading::Block { reader, caps } = &mut self.reading else {
            return false;
        };
        // `Ok(true)`: the terminating dot.
        let (outcome, consumed) = match reader.poll(&self.input) {
            Ok(Progress::Incomplete) => return false,
            Ok(Progress::Complete(MultiLine::End, n)) => (Ok(true), n),
            Ok(Progress::Complete(MultiLine::Line(line), n)) => {
                let outcome = match expect {
                    Expect::Capa => Capability::parse(line).map(|c| caps.push(c.into_owned())),
                    Expect::List(_) => ScanListing::parse(line)
                        .map(|s| self.events.push_back(ClientEvent::ScanListing(s))),
                    _ => UidListing::parse(line).map(|u| {
                        self.events
                            .push_back(ClientEvent::UidListing(u.into_owned()));
                    }),
                };
                (outcome.map(|()| false), n)
            }
            Err(e) => (Err(e), 0),
        };
        let end = match outcome {
            Ok(end) => end,
            Err(ResponseError::Line(LineError {
                kind: LineErrorKind::TooLong { max, .. },
                ..
            })) => {
                // Said without the length seen so far, which depends on how
                // the input was cut.
                self.protocol_error(format!("{}: line longer than {max} octets", expect.verb()));
                return false;
            }
            Err(e) => {
                self.protocol_error(format!("{}: {e}", expect.verb()));
                return false;
            }
        };
        let _ = self.input.split_to(consumed.min(self.input.len()));
        if end {
            let reading = core::mem::replace(&mut self.reading, Reading::Status);
            self.inflight.pop_front();
            match (expect, reading) {
                (Expect::Capa, Reading::Block { caps, .. }) => {
                    let caps = Capabilities(caps);
                    self.caps = Some(caps.clone());
                    self.events.push_back(ClientEvent::Capabilities(caps));
                }
                (Expect::List(_), _) => self.events.push_back(ClientEvent::ListingEnd),
                _ => self.events.push_back(ClientEvent::UidListingEnd),
            }
        }
        true
    }

    /// Unstuffs the body at the head of the input, handing it out as slices
    /// of the input (no copy) wherever the decoder allows.
    fn read_body(&mut self) -> bool {
        let Reading::Body { decoder, msg, bare } = &mut self.reading else {
            return false;
        };
        let buf: &[u8] = &self.input;
        let base = buf.as_ptr() as usize;
        let len = buf.len();
        let mut pieces = core::mem::take(&mut self.pieces);
        let mut off = 0;
        let done;
        // Each bare CR or LF stops the decoder once; it has passed the byte
        // through and goes on from where it stopped.
        loop {
            let rest = buf.get(off..).unwrap_or_default();
            let result = decoder.decode_with(rest, |p| {
                let start = (p.as_ptr() as usize).wrapping_sub(base);
                let in_buf = start <= len && p.len() <= len - start;
                match pieces.last_mut() {
                    Some(Piece::Range(_, end)) if in_buf && *end == start => *end += p.len(),
                    _ if in_buf => pieces.push(Piece::Range(start, start + p.len())),
                    _ => pieces.push(Piece::Copied(p.to_vec())),
                }
            });
            match result {
                Ok(d) => {
                    off += d.consumed;
                    done = d.done;
                    break;
                }
                Err(e) => {
                    *bare += 1;
                    off += e.consumed;
                }
            }
        }
        let (msg, bare) = (*msg, *bare);
        let taken = self.input.split_to(off.min(len)).freeze();
        for piece in pieces.drain(..) {
            let chunk = match piece {
                Piece::Range(s, e) if s < e && e <= taken.len() => taken.slice(s..e),
                Piece::Range(..) => continue,
                Piece::Copied(v) => Bytes::from(v),
            };
            self.events.push_back(ClientEvent::BodyChunk(chunk));
        }
        self.pieces = pieces;
        if done {
            self.reading = Reading::Status;
            self.inflight.pop_front();
            self.events.push_back(ClientEvent::BodyEnd {
                msg,
                bare_line_endings: bare,
            });
        }
        done
    }
}
