//! Sans-IO SMTP and LMTP server session (RFC 5321, RFC 2033).
//!
//! [`Server`] owns no socket. Feed it what the client sent with
//! [`Server::receive`], react to each [`ServerEvent`] from
//! [`Server::poll_event`], and write [`Server::take_output`] to the client.
//! Events that need a decision (a sender, a recipient, a finished message,
//! credentials) pause the session until the application answers with
//! [`Server::accept`] or [`Server::reject`]; pipelined commands behind them wait
//! in order (RFC 2920), so replies always come out in command order.
//!
//! The session enforces the state rules of RFC 5321 section 4.1.4 (HELO/EHLO,
//! then MAIL, RCPT, DATA or BDAT), the limits of [`Limits`], and the security
//! rules of this workspace:
//!
//! - the message data ends only at `<CRLF>.<CRLF>`; a bare CR or LF in it
//!   refuses the message (after consuming it to its real end) unless allowed;
//! - a message over the size limit is consumed to its end and refused with
//!   `552 5.3.4`, never read as commands; a `BDAT` whose size cannot be read
//!   closes the connection, since the data that follows cannot be skipped;
//! - after `STARTTLS` every byte already received in plaintext is discarded
//!   and reported ([`ServerEvent::PlaintextDiscarded`]), and the session
//!   starts over as RFC 3207 section 4.2 requires.
//!
//! ```
//! use smtp_proto::server::{Server, ServerConfig, ServerEvent};
//!
//! let mut server = Server::new(ServerConfig::new("mx.example.org").unwrap());
//! let greeting = server.take_output();
//! assert!(greeting.starts_with(b"220 mx.example.org"));
//!
//! server.receive(b"EHLO client.example\r\nMAIL FROM:<a@example.com>\r\n");
//! let mut senders = Vec::new();
//! while let Some(event) = server.poll_event() {
//!     if let ServerEvent::Mail { from, .. } = event {
//!         senders.push(from.to_string());
//!         server.accept().unwrap();
//!     }
//! }
//! assert_eq!(senders, ["<a@example.com>"]);
//! let out = server.take_output();
//! assert!(out.ends_with(b"250 2.1.0 Sender OK\r\n"));
//! ```

use std::collections::VecDeque;

use bytes::{Bytes, BytesMut};
use mail_wire::dot::{DotDecoder, DotOptions};
use mail_wire::line::{Framed, LineErrorKind, LineFramer, LineOptions};
use mail_wire::sasl::{self, Credentials, Mechanism, ServerExchange, ServerStep};

use crate::limits::Limits;
use crate::parse::CommandOptions;
use crate::types::{
    Capability, Command, Domain, EhloResponse, EnhancedStatusCode, ForwardPath, Host,
    MailParameters, RcptParameters, Reply, ReplyCode, ReversePath, StatusClass,
};

/// Which protocol the session speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Protocol {
    /// SMTP (RFC 5321): `HELO`/`EHLO`, one reply per message.
    #[default]
    Smtp,
    /// LMTP (RFC 2033): `LHLO`, one reply per accepted recipient after the data.
    Lmtp,
}

/// The ESMTP extensions a server offers in its EHLO response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extensions {
    /// PIPELINING (RFC 2920).
    pub pipelining: bool,
    /// 8BITMIME (RFC 6152).
    pub eight_bit_mime: bool,
    /// SMTPUTF8 (RFC 6531).
    pub smtputf8: bool,
    /// CHUNKING, i.e. `BDAT` (RFC 3030).
    pub chunking: bool,
    /// BINARYMIME (RFC 3030); needs `chunking`.
    pub binary_mime: bool,
    /// ENHANCEDSTATUSCODES (RFC 2034): every reply after the greeting
    /// carries an RFC 3463 code.
    pub enhanced_status_codes: bool,
    /// SIZE (RFC 1870), with [`Limits::max_message_size`] as its value.
    pub size: bool,
    /// DSN (RFC 3461).
    pub dsn: bool,
    /// STARTTLS (RFC 3207). Offered only while the connection is plaintext.
    pub starttls: bool,
    /// SASL mechanisms offered in AUTH (RFC 4954). Empty: no AUTH.
    pub auth: Vec<Mechanism<'static>>,
    /// Offer AUTH only once TLS is active.
    pub auth_requires_tls: bool,
}

impl Default for Extensions {
    fn default() -> Self {
        Extensions {
            pipelining: true,
            eight_bit_mime: true,
            smtputf8: true,
            chunking: true,
            binary_mime: false,
            enhanced_status_codes: true,
            size: true,
            dsn: false,
            starttls: false,
            auth: Vec::new(),
            auth_requires_tls: false,
        }
    }
}

/// Configuration of a [`Server`].
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The server's name, used in the greeting and the EHLO response.
    pub hostname: Domain<'static>,
    /// Text after the name in the `220` greeting.
    pub greeting: String,
    /// SMTP or LMTP.
    pub protocol: Protocol,
    /// Extensions offered.
    pub extensions: Extensions,
    /// Limits enforced.
    pub limits: Limits,
    /// Leniency for bare CR and LF inside message data (strict by default).
    pub data_line_endings: DotOptions,
    /// Accept command lines ended by a bare LF. Off by default: such a line
    /// is refused with `500 5.5.2` (a LF always ends a line, as in Postfix,
    /// so the next line is read normally).
    pub allow_bare_lf_in_commands: bool,
    /// Command grammar leniencies (space after `FROM:`, missing angle
    /// brackets, trailing spaces); all strict by default. Its limits are
    /// taken from [`ServerConfig::limits`].
    pub commands: CommandOptions,
    /// The connection is already encrypted (implicit TLS, RFC 8314): STARTTLS
    /// is not offered and AUTH is allowed even with `auth_requires_tls`.
    pub tls_active: bool,
}

impl ServerConfig {
    /// Defaults for a server named `hostname`: SMTP, the default extensions
    /// and limits, strict line endings.
    pub fn new(hostname: &str) -> Result<Self, crate::types::AddressError> {
        Ok(ServerConfig {
            hostname: Domain::new(hostname.to_owned())?,
            greeting: "ESMTP ready".to_owned(),
            protocol: Protocol::Smtp,
            extensions: Extensions::default(),
            limits: Limits::default(),
            data_line_endings: DotOptions::default(),
            allow_bare_lf_in_commands: false,
            commands: CommandOptions::default(),
            tls_active: false,
        })
    }
}

/// Why a message was refused by the session itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AbortReason {
    /// Larger than [`Limits::max_message_size`].
    TooLarge,
    /// A bare CR or LF in the data (and [`ServerConfig::data_line_endings`]
    /// does not allow it).
    BareLineEnding,
    /// `BDAT` with no valid recipient or out of sequence: the chunk was
    /// consumed and refused.
    Refused,
}

/// Something the application must see or decide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerEvent {
    /// The client said HELO, EHLO or LHLO. Any transaction was reset.
    Hello {
        /// The name the client gave.
        domain: Host<'static>,
        /// `true` for EHLO and LHLO.
        extended: bool,
    },
    /// `MAIL FROM`: decide with [`Server::accept`] or [`Server::reject`].
    Mail {
        /// The reverse-path.
        from: ReversePath<'static>,
        /// Its parameters, validated against the offered extensions.
        params: MailParameters<'static>,
    },
    /// `RCPT TO`: decide with [`Server::accept`] or [`Server::reject`].
    Rcpt {
        /// The forward-path.
        to: ForwardPath<'static>,
        /// Its parameters.
        params: RcptParameters<'static>,
    },
    /// The message data begins (after `354`, or with the first `BDAT` chunk).
    MessageStart,
    /// The next piece of the message, after dot-unstuffing.
    MessageChunk(Bytes),
    /// The whole message was received: decide with [`Server::accept`] (or
    /// [`Server::accept_lmtp`] in LMTP) or [`Server::reject`].
    MessageEnd {
        /// Size of the message in octets.
        size: u64,
    },
    /// The session refuses the message itself; drop the chunks received so
    /// far. The chunks stop exactly where the message went wrong (at the size
    /// limit, or after the bare CR or LF), the rest of the data is consumed
    /// without events, and the refusal is sent at the end of the data.
    MessageAborted {
        /// Why.
        reason: AbortReason,
    },
    /// The transaction was reset (RSET, or a new HELO/EHLO).
    Reset,
    /// `STARTTLS` was accepted: write out the pending output, run the TLS
    /// handshake, then call [`Server::tls_established`].
    StartTls,
    /// Bytes that arrived in plaintext after `STARTTLS` were thrown away,
    /// never processed (CVE-2011-0411 class).
    PlaintextDiscarded {
        /// How many.
        bytes: usize,
    },
    /// A built-in SASL exchange completed: check the credentials, then
    /// [`Server::accept`] or [`Server::reject`].
    Auth {
        /// What the client presented.
        credentials: Credentials,
    },
    /// A step of an exchange for a mechanism without a built-in driver:
    /// answer with [`Server::auth_challenge`], [`Server::accept`] or
    /// [`Server::reject`].
    AuthRaw {
        /// The mechanism.
        mechanism: Mechanism<'static>,
        /// The client's (decoded) data; `None` when `AUTH` came without an
        /// initial response.
        response: Option<Vec<u8>>,
    },
    /// A command was refused by the session (syntax, sequence, limits); the
    /// reply has been written. For logging.
    CommandRejected {
        /// The reply code sent.
        code: u16,
        /// What was wrong, for humans.
        reason: String,
    },
    /// The session ended (QUIT, too many errors, or an unrecoverable
    /// stream): write out the output, then close the connection.
    Closed,
}

/// Misuse of the session API by the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum ServerError {
    /// No event is waiting for this decision.
    #[error("no pending decision of this kind")]
    NoPendingDecision,
    /// A rejection must carry a 4xx or 5xx reply.
    #[error("a rejection needs a 4xx or 5xx reply")]
    NotANegativeReply,
    /// LMTP needs one reply per accepted recipient.
    #[error("LMTP needs {expected} replies, one per accepted recipient")]
    WrongReplyCount {
        /// How many were expected.
        expected: usize,
    },
    /// `tls_established` without a STARTTLS in progress.
    #[error("no STARTTLS in progress")]
    NoTlsUpgrade,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    Mail,
    Rcpt,
    Message,
    Auth,
    AuthRaw,
}

#[derive(Debug)]
enum Phase {
    Command,
    Data {
        dec: DotDecoder,
        abort: Option<AbortReason>,
    },
    Bdat {
        remaining: u64,
        size: u64,
        last: bool,
        abort: Option<AbortReason>,
    },
    AuthResponse {
        exchange: Option<ServerExchange>,
        mechanism: Mechanism<'static>,
    },
    AwaitingTls,
    Closed,
}

#[derive(Debug, Default)]
struct Transaction {
    mail: bool,
    recipients: usize,
    smtputf8: bool,
    body_binary: bool,
    bdat_started: bool,
    size: u64,
    /// The message was refused by a `BDAT` chunk before the last: the
    /// chunks that follow, up to `BDAT LAST`, are consumed and refused too.
    aborted: Option<AbortReason>,
}

/// A sans-IO SMTP or LMTP server session. See the [module docs](self).
#[derive(Debug)]
pub struct Server {
    config: ServerConfig,
    framer: LineFramer,
    input: BytesMut,
    output: BytesMut,
    /// Message pieces of the current read (reused between reads).
    pieces: Vec<Bytes>,
    events: VecDeque<ServerEvent>,
    phase: Phase,
    pending: Option<Pending>,
    greeted: bool,
    extended: bool,
    authenticated: bool,
    tls: bool,
    tx: Transaction,
    errors: usize,
}

/// A refusal the session writes itself: code, enhanced status, text.
type Refusal = (u16, (u8, u16, u16), &'static str);

/// `piece` as `Bytes`: a view into `buf` when it lies inside it (no copy),
/// else a copy (the one or two bytes a decoder held over between reads).
fn share(buf: &Bytes, piece: &[u8]) -> Bytes {
    let base = buf.as_ptr() as usize;
    let start = (piece.as_ptr() as usize).wrapping_sub(base);
    match start.checked_add(piece.len()) {
        Some(end) if start <= buf.len() && end <= buf.len() => buf.slice(start..end),
        _ => Bytes::copy_from_slice(piece),
    }
}

fn starts_with_ci(line: &[u8], prefix: &[u8]) -> bool {
    line.get(..prefix.len())
        .is_some_and(|v| v.eq_ignore_ascii_case(prefix))
}

/// Makes `text` safe for a reply line: printable ASCII only, bounded.
fn reply_text(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '?'
            }
        })
        .take(400)
        .collect()
}

fn esc(class: u8, subject: u16, detail: u16) -> EnhancedStatusCode {
    StatusClass::from_u8(class)
        .and_then(|c| EnhancedStatusCode::new(c, subject, detail).ok())
        .unwrap_or(EnhancedStatusCode::PERMANENT_UNDEFINED)
}

fn code(c: u16) -> ReplyCode {
    ReplyCode::new(c).unwrap_or(ReplyCode::TRANSACTION_FAILED)
}

impl Server {
    /// A new session. The `220` greeting is already in the output.
    #[must_use]
    pub fn new(config: ServerConfig) -> Self {
        let framer = LineFramer::new(LineOptions {
            max_line_len: config.limits.max_line_len,
            allow_bare_lf: config.allow_bare_lf_in_commands,
            allow_bare_cr: false,
        });
        let tls = config.tls_active;
        let mut server = Server {
            config,
            framer,
            input: BytesMut::new(),
            output: BytesMut::new(),
            pieces: Vec::new(),
            events: VecDeque::new(),
            phase: Phase::Command,
            pending: None,
            greeted: false,
            extended: false,
            authenticated: false,
            tls,
            tx: Transaction::default(),
            errors: 0,
        };
        let greeting = format!(
            "{} {}",
            server.config.hostname.as_str(),
            reply_text(&server.config.greeting)
        );
        server.write_plain(220, &greeting);
        server
    }

    /// The configuration in force.
    #[must_use]
    pub fn config(&self) -> &ServerConfig {
        &self.config
    }

    /// Feeds bytes received from the client and processes as much as the
    /// pending decisions allow.
    ///
    /// While a decision is pending ([`Server::wants_input`] is `false`),
    /// what you feed is only buffered: stop reading from the connection
    /// until you have answered, so a client cannot make the session hold
    /// more than one read's worth of bytes.
    pub fn receive(&mut self, data: &[u8]) {
        match self.phase {
            Phase::Closed => {}
            Phase::AwaitingTls => {
                if !data.is_empty() {
                    self.events
                        .push_back(ServerEvent::PlaintextDiscarded { bytes: data.len() });
                }
            }
            _ => {
                self.input.extend_from_slice(data);
                self.process();
            }
        }
    }

    /// `true` when the session will process new input now: it is open, not
    /// waiting for a TLS handshake, and no decision is pending. Read from
    /// the connection only while this holds (and the events are drained).
    #[must_use]
    pub fn wants_input(&self) -> bool {
        self.pending.is_none()
            && matches!(
                self.phase,
                Phase::Command
                    | Phase::Data { .. }
                    | Phase::Bdat { .. }
                    | Phase::AuthResponse { .. }
            )
    }

    /// Bytes received but not processed yet (held while a decision is
    /// pending).
    #[must_use]
    pub fn buffered(&self) -> usize {
        self.input.len()
    }

    /// The next event, if any.
    pub fn poll_event(&mut self) -> Option<ServerEvent> {
        self.events.pop_front()
    }

    /// Bytes to send to the client.
    pub fn take_output(&mut self) -> Bytes {
        self.output.split().freeze()
    }

    /// `true` once the session has ended: send the output, then close.
    #[must_use]
    pub fn is_closed(&self) -> bool {
        matches!(self.phase, Phase::Closed)
    }

    /// `true` after a successful AUTH.
    #[must_use]
    pub fn is_authenticated(&self) -> bool {
        self.authenticated
    }

    /// `true` once TLS is active (implicit, or after STARTTLS).
    #[must_use]
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// Accepts the pending sender, recipient, message or credentials with
    /// the standard positive reply.
    pub fn accept(&mut self) -> Result<(), ServerError> {
        let pending = self.pending.take().ok_or(ServerError::NoPendingDecision)?;
        match pending {
            Pending::Mail => {
                self.tx.mail = true;
                self.write(250, (2, 1, 0), "Sender OK");
            }
            Pending::Rcpt => {
                self.tx.recipients += 1;
                self.write(250, (2, 1, 5), "Recipient OK");
            }
            Pending::Message => {
                for _ in 0..self.final_replies() {
                    self.write(250, (2, 0, 0), "Message accepted for delivery");
                }
                self.tx = Transaction::default();
            }
            Pending::Auth | Pending::AuthRaw => {
                self.authenticated = true;
                self.phase = Phase::Command;
                self.write(235, (2, 7, 0), "Authentication successful");
            }
        }
        self.process();
        Ok(())
    }

    /// Rejects the pending request with `reply`, which must be 4xx or 5xx.
    /// In LMTP a rejected message gets this reply once per recipient.
    pub fn reject(&mut self, reply: Reply<'_>) -> Result<(), ServerError> {
        if !(reply.code().is_transient() || reply.code().is_permanent()) {
            return Err(ServerError::NotANegativeReply);
        }
        let pending = self.pending.take().ok_or(ServerError::NoPendingDecision)?;
        let times = match pending {
            Pending::Message => {
                let n = self.final_replies();
                self.tx = Transaction::default();
                n
            }
            Pending::Auth | Pending::AuthRaw => {
                self.phase = Phase::Command;
                1
            }
            Pending::Mail | Pending::Rcpt => 1,
        };
        for _ in 0..times {
            reply.encode(&mut self.output);
        }
        self.process();
        Ok(())
    }

    /// LMTP (RFC 2033 section 4.2): answers a finished message with one
    /// reply per accepted recipient, in RCPT order.
    pub fn accept_lmtp(&mut self, replies: &[Reply<'_>]) -> Result<(), ServerError> {
        if self.pending != Some(Pending::Message) {
            return Err(ServerError::NoPendingDecision);
        }
        if replies.len() != self.tx.recipients {
            return Err(ServerError::WrongReplyCount {
                expected: self.tx.recipients,
            });
        }
        self.pending = None;
        for r in replies {
            r.encode(&mut self.output);
        }
        self.tx = Transaction::default();
        self.process();
        Ok(())
    }

    /// Sends a challenge (decoded bytes) in an exchange announced by
    /// [`ServerEvent::AuthRaw`].
    pub fn auth_challenge(&mut self, data: &[u8]) -> Result<(), ServerError> {
        if self.pending != Some(Pending::AuthRaw) {
            return Err(ServerError::NoPendingDecision);
        }
        self.pending = None;
        self.write_challenge(data);
        self.process();
        Ok(())
    }

    /// The TLS handshake that followed STARTTLS succeeded: the session
    /// starts over (RFC 3207 section 4.2) and expects a new EHLO.
    pub fn tls_established(&mut self) -> Result<(), ServerError> {
        if !matches!(self.phase, Phase::AwaitingTls) {
            return Err(ServerError::NoTlsUpgrade);
        }
        self.tls = true;
        self.greeted = false;
        self.extended = false;
        self.authenticated = false;
        self.tx = Transaction::default();
        self.phase = Phase::Command;
        self.input.clear();
        self.framer.reset();
        Ok(())
    }

    // ----- output -------------------------------------------------------

    fn write_plain(&mut self, c: u16, text: &str) {
        match Reply::new(code(c), reply_text(text)) {
            Ok(r) => r.encode(&mut self.output),
            Err(_) => self.output.extend_from_slice(format!("{c}\r\n").as_bytes()),
        }
    }

    fn write(&mut self, c: u16, (class, subject, detail): (u8, u16, u16), text: &str) {
        if !self.config.extensions.enhanced_status_codes {
            return self.write_plain(c, text);
        }
        match Reply::with_enhanced(code(c), esc(class, subject, detail), &reply_text(text)) {
            Ok(r) => r.encode(&mut self.output),
            Err(_) => self.write_plain(c, text),
        }
    }

    fn write_challenge(&mut self, data: &[u8]) {
        let mut text = Vec::with_capacity(sasl::encoded_len(data.len()));
        sasl::encode_base64(data, &mut text);
        self.output.extend_from_slice(b"334 ");
        self.output.extend_from_slice(&text);
        self.output.extend_from_slice(b"\r\n");
    }

    /// Refuses a command: reply, event, and the error budget.
    fn refuse(&mut self, c: u16, e: (u8, u16, u16), text: &str) {
        self.write(c, e, text);
        self.events.push_back(ServerEvent::CommandRejected {
            code: c,
            reason: text.to_owned(),
        });
        self.errors += 1;
        if self.errors >= self.config.limits.max_errors {
            self.write(421, (4, 7, 0), "Too many errors, closing connection");
            self.close();
        }
    }

    fn close(&mut self) {
        self.phase = Phase::Closed;
        self.pending = None;
        self.input.clear();
        self.events.push_back(ServerEvent::Closed);
    }

    // ----- input --------------------------------------------------------

    fn process(&mut self) {
        while self.pending.is_none() {
            let progressed = match self.phase {
                Phase::Closed | Phase::AwaitingTls => false,
                Phase::Command | Phase::AuthResponse { .. } => self.step_line(),
                Phase::Data { .. } => self.step_data(),
                Phase::Bdat { .. } => self.step_bdat(),
            };
            if !progressed {
                break;
            }
        }
    }

    fn step_line(&mut self) -> bool {
        match self.framer.poll(&self.input) {
            Ok(Framed::Incomplete) => false,
            Ok(Framed::Skip(n)) => {
                let _ = self.input.split_to(n);
                true
            }
            Err(e) => {
                let _ = self.input.split_to(e.consumed);
                let in_auth = matches!(self.phase, Phase::AuthResponse { .. });
                if in_auth {
                    self.phase = Phase::Command;
                }
                match e.kind {
                    LineErrorKind::TooLong { .. } if in_auth => {
                        self.refuse(500, (5, 5, 6), "Authentication exchange line is too long")
                    }
                    LineErrorKind::TooLong { .. } => self.refuse(500, (5, 5, 2), "Line too long"),
                    LineErrorKind::BareLf { .. } | LineErrorKind::BareCr { .. } => {
                        self.refuse(500, (5, 5, 2), "Bare CR or LF in command line")
                    }
                }
                true
            }
            Ok(Framed::Line(line)) => {
                let raw = self.input.split_to(line.consumed).freeze();
                let content = raw.get(..line.len).unwrap_or_default();
                if matches!(self.phase, Phase::AuthResponse { .. }) {
                    self.auth_line(content);
                } else {
                    self.command_line(content);
                }
                true
            }
        }
    }

    fn command_line(&mut self, line: &[u8]) {
        let mut options = self.config.commands;
        options.max_line_len = options.max_line_len.max(self.config.limits.max_line_len);
        options.max_parameters = self.config.limits.max_parameters;
        match Command::parse_with(line, &options) {
            Ok(cmd) => self.command(cmd),
            Err(e) => {
                let is_bdat = starts_with_ci(line, b"BDAT ");
                if is_bdat {
                    // The size of the chunk that follows is unknown: it can
                    // neither be skipped nor read as commands (RFC 3030
                    // section 2), so the only safe move is to close.
                    self.write(501, (5, 5, 4), "Invalid BDAT size, closing connection");
                    self.events.push_back(ServerEvent::CommandRejected {
                        code: 501,
                        reason: e.to_string(),
                    });
                    self.close();
                } else {
                    // RFC 5321 section 4.2.2: 500 for an unrecognisable
                    // line, 553 for a malformed mailbox, 501 otherwise.
                    let code = e.reply_code();
                    let status = match code {
                        500 => (5, 5, 2),
                        553 if starts_with_ci(line, b"MAIL") => (5, 1, 7),
                        553 => (5, 1, 3),
                        _ => (5, 5, 4),
                    };
                    self.refuse(code, status, &format!("Syntax error: {e}"));
                }
            }
        }
    }

    fn reset_transaction(&mut self) {
        if self.tx.mail {
            self.events.push_back(ServerEvent::Reset);
        }
        self.tx = Transaction::default();
    }

    fn command(&mut self, cmd: Command<'_>) {
        let lmtp = self.config.protocol == Protocol::Lmtp;
        match cmd {
            Command::Helo { host } if !lmtp => self.hello(host, false),
            Command::Ehlo { host } if !lmtp => self.hello(host, true),
            Command::Lhlo { host } if lmtp => self.hello(host, true),
            Command::Helo { .. } | Command::Ehlo { .. } | Command::Lhlo { .. } => {
                let text = if lmtp { "Use LHLO" } else { "LHLO is for LMTP" };
                self.refuse(500, (5, 5, 1), text)
            }
            Command::Mail { from, params } => self.mail(from, params),
            Command::Rcpt { to, params } => self.rcpt(to, params),
            Command::Data => self.data(),
            Command::Bdat { size, last } => self.bdat(size, last),
            Command::Rset => {
                self.reset_transaction();
                self.write(250, (2, 0, 0), "OK");
            }
            Command::Noop { .. } => self.write(250, (2, 0, 0), "OK"),
            Command::Help { .. } => self.write(214, (2, 0, 0), "See RFC 5321"),
            Command::Vrfy { .. } => self.write(
                252,
                (2, 5, 2),
                "Cannot VRFY user, but will accept message and attempt delivery",
            ),
            Command::Expn { .. } => self.refuse(502, (5, 5, 1), "EXPN not available"),
            Command::Etrn { .. } => self.refuse(502, (5, 5, 1), "ETRN not available"),
            Command::Quit => {
                self.write(221, (2, 0, 0), "Bye");
                self.close();
            }
            Command::StartTls => self.starttls(),
            Command::Auth {
                mechanism,
                initial_response,
            } => {
                let ir = initial_response.map(|r| r.as_str().as_bytes().to_vec());
                self.auth(mechanism.into_owned(), ir)
            }
            Command::Unknown { .. } => self.refuse(500, (5, 5, 1), "Command unrecognized"),
        }
    }

    fn hello(&mut self, host: Host<'_>, extended: bool) {
        self.reset_transaction();
        self.greeted = true;
        self.extended = extended;
        self.events.push_back(ServerEvent::Hello {
            domain: host.into_owned(),
            extended,
        });
        if !extended {
            let name = self.config.hostname.as_str().to_owned();
            return self.write_plain(250, &name);
        }
        let ext = &self.config.extensions;
        let mut caps = Vec::new();
        if ext.pipelining {
            caps.push(Capability::Pipelining);
        }
        if ext.size {
            caps.push(Capability::Size(Some(self.config.limits.max_message_size)));
        }
        if ext.eight_bit_mime {
            caps.push(Capability::EightBitMime);
        }
        if ext.chunking {
            if ext.binary_mime {
                caps.push(Capability::BinaryMime);
            }
            caps.push(Capability::Chunking);
        }
        if ext.dsn {
            caps.push(Capability::Dsn);
        }
        if ext.smtputf8 {
            caps.push(Capability::SmtpUtf8);
        }
        if ext.starttls && !self.tls {
            caps.push(Capability::StartTls);
        }
        if self.auth_offered() {
            caps.push(Capability::Auth(ext.auth.clone()));
        }
        if ext.enhanced_status_codes {
            caps.push(Capability::EnhancedStatusCodes);
        }
        match EhloResponse::new(self.config.hostname.as_str().to_owned()) {
            Ok(mut ehlo) => {
                for c in caps {
                    ehlo.push(c);
                }
                ehlo.to_reply().encode(&mut self.output);
            }
            // The host name is a validated domain, which is always a valid
            // EHLO domain; answer plainly should that ever change.
            Err(_) => self.write_plain(250, "OK"),
        }
    }

    fn auth_offered(&self) -> bool {
        let ext = &self.config.extensions;
        !ext.auth.is_empty() && (self.tls || !ext.auth_requires_tls)
    }

    fn needs_smtputf8(path: Option<&crate::types::Mailbox<'_>>) -> bool {
        path.is_some_and(|m| m.needs_smtputf8())
    }

    fn mail(&mut self, from: ReversePath<'_>, params: MailParameters<'_>) {
        if !self.greeted {
            return self.refuse(503, (5, 5, 1), "Send HELO/EHLO first");
        }
        if self.tx.mail {
            return self.refuse(503, (5, 5, 1), "Nested MAIL command");
        }
        if let Err((c, e, text)) = self.check_mail_params(&params) {
            return self.refuse(c, e, text);
        }
        if Self::needs_smtputf8(from.mailbox()) && !params.smtputf8 {
            return self.refuse(553, (5, 6, 7), "Non-ASCII address needs SMTPUTF8");
        }
        self.tx.body_binary = params.body == Some(crate::types::Body::BinaryMime);
        self.tx.smtputf8 = params.smtputf8;
        self.pending = Some(Pending::Mail);
        self.events.push_back(ServerEvent::Mail {
            from: from.into_owned(),
            params: params.into_owned(),
        });
    }

    /// Checks MAIL parameters against what was offered (RFC 5321 section
    /// 4.1.1.11: an unsupported parameter gets `555`).
    fn check_mail_params(&self, p: &MailParameters<'_>) -> Result<(), Refusal> {
        use crate::types::Body;
        let ext = &self.config.extensions;
        let unsupported = (555, (5, 5, 4), "Unsupported MAIL parameter");
        if !p.is_empty() && !self.extended {
            return Err((555, (5, 5, 4), "Parameters need EHLO"));
        }
        if let Some(size) = p.size {
            if !ext.size {
                return Err(unsupported);
            }
            if size > self.config.limits.max_message_size {
                return Err((
                    552,
                    (5, 3, 4),
                    "Message size exceeds fixed maximum message size",
                ));
            }
        }
        match p.body {
            Some(Body::EightBitMime) if !ext.eight_bit_mime => return Err(unsupported),
            Some(Body::BinaryMime) if !(ext.binary_mime && ext.chunking) => {
                return Err(unsupported);
            }
            _ => {}
        }
        if p.smtputf8 && !ext.smtputf8 {
            return Err(unsupported);
        }
        if (p.ret().is_some() || p.envid().is_some()) && !ext.dsn {
            return Err(unsupported);
        }
        if p.auth().is_some() && !self.auth_offered() {
            return Err(unsupported);
        }
        if p.requiretls
            || p.mt_priority().is_some()
            || p.hold().is_some()
            || p.by().is_some()
            || !p.other().is_empty()
        {
            return Err(unsupported);
        }
        Ok(())
    }

    fn rcpt(&mut self, to: ForwardPath<'_>, params: RcptParameters<'_>) {
        if !self.tx.mail {
            return self.refuse(503, (5, 5, 1), "Need MAIL command");
        }
        if self.tx.recipients >= self.config.limits.max_recipients {
            return self.refuse(452, (4, 5, 3), "Too many recipients");
        }
        if !params.is_empty() && !self.extended {
            return self.refuse(555, (5, 5, 4), "Parameters need EHLO");
        }
        let dsn_params = params.notify.is_some() || params.orcpt.is_some();
        if (dsn_params && !self.config.extensions.dsn)
            || params.rrvs().is_some()
            || !params.other().is_empty()
        {
            return self.refuse(555, (5, 5, 4), "Unsupported RCPT parameter");
        }
        if Self::needs_smtputf8(to.mailbox()) && !self.tx.smtputf8 {
            return self.refuse(553, (5, 6, 7), "Non-ASCII address needs SMTPUTF8");
        }
        self.pending = Some(Pending::Rcpt);
        self.events.push_back(ServerEvent::Rcpt {
            to: to.into_owned(),
            params: params.into_owned(),
        });
    }

    fn data(&mut self) {
        if !self.tx.mail {
            return self.refuse(503, (5, 5, 1), "Need MAIL command");
        }
        if self.tx.bdat_started {
            return self.refuse(503, (5, 5, 1), "DATA not allowed after BDAT");
        }
        if self.tx.body_binary {
            return self.refuse(503, (5, 5, 1), "BINARYMIME needs BDAT");
        }
        if self.tx.recipients == 0 {
            // RFC 2033 section 4.2: in LMTP this DATA "MUST fail with a 503".
            let c = match self.config.protocol {
                Protocol::Smtp => 554,
                Protocol::Lmtp => 503,
            };
            return self.refuse(c, (5, 5, 1), "No valid recipients");
        }
        self.write_plain(354, "End data with <CR><LF>.<CR><LF>");
        self.phase = Phase::Data {
            dec: DotDecoder::new(self.config.data_line_endings),
            abort: None,
        };
        self.events.push_back(ServerEvent::MessageStart);
    }

    fn bdat(&mut self, size: u64, last: bool) {
        // The chunk follows the command whatever the answer: it is always
        // consumed, and refused as a whole when the command is refused.
        let refusal = if !self.config.extensions.chunking {
            Some((502, (5, 5, 1), "BDAT not available"))
        } else if !self.tx.mail {
            Some((503, (5, 5, 1), "Need MAIL command"))
        } else if self.tx.recipients == 0 {
            Some((554, (5, 5, 1), "No valid recipients"))
        } else {
            None
        };
        let abort = if let Some((c, e, text)) = refusal {
            self.refuse(c, e, text);
            self.tx = Transaction::default();
            Some(AbortReason::Refused)
        } else if let Some(reason) = self.tx.aborted {
            // RFC 3030 section 2: chunks already in the pipeline after a
            // failed one are consumed and refused, up to the last.
            Some(reason)
        } else {
            if !self.tx.bdat_started {
                self.tx.bdat_started = true;
                self.events.push_back(ServerEvent::MessageStart);
            }
            None
        };
        if self.is_closed() {
            return;
        }
        self.phase = Phase::Bdat {
            remaining: size,
            size,
            last,
            abort,
        };
    }

    /// Hands the next piece of the message to the application and counts it
    /// against [`Limits::max_message_size`]. A piece that crosses the limit is
    /// cut at the limit and the message aborted (`true`), so the events are
    /// the same however the input was split.
    fn deliver(&mut self, mut chunk: Bytes) -> bool {
        let len = chunk.len() as u64;
        let room = self
            .config
            .limits
            .max_message_size
            .saturating_sub(self.tx.size);
        self.tx.size = self.tx.size.saturating_add(len);
        let too_big = len > room;
        if too_big {
            // `room < len`, so it fits in a usize.
            chunk.truncate(usize::try_from(room).unwrap_or(0));
        }
        if !chunk.is_empty() {
            self.events.push_back(ServerEvent::MessageChunk(chunk));
        }
        if too_big {
            self.abort(AbortReason::TooLarge);
        }
        too_big
    }

    fn abort(&mut self, reason: AbortReason) {
        self.events
            .push_back(ServerEvent::MessageAborted { reason });
    }

    fn step_data(&mut self) -> bool {
        if self.input.is_empty() {
            return false;
        }
        let Phase::Data { dec, abort } = &mut self.phase else {
            return false;
        };
        let aborted = abort.is_some();
        // Zero-copy: the message pieces are slices of the bytes received.
        let buf = self.input.split().freeze();
        let mut pieces = std::mem::take(&mut self.pieces);
        let result = dec.decode_with(&buf, |piece| {
            // Once refused, the data is only consumed.
            if !aborted {
                pieces.push(share(&buf, piece));
            }
        });
        let (consumed, done, error) = match result {
            Ok(d) => (d.consumed, d.done, false),
            Err(e) => (e.consumed, false, true),
        };
        if let Some(rest) = buf.get(consumed..).filter(|r| !r.is_empty()) {
            // Bytes after the end of the data (pipelined commands).
            self.input.extend_from_slice(rest);
        }
        if !aborted {
            // What came before a bare CR or LF is delivered first, so the
            // events do not depend on where the input was split.
            let mut reason = None;
            for piece in pieces.drain(..) {
                if self.deliver(piece) {
                    reason = Some(AbortReason::TooLarge);
                    break;
                }
            }
            if reason.is_none() && error {
                self.abort(AbortReason::BareLineEnding);
                reason = Some(AbortReason::BareLineEnding);
            }
            if let (Some(reason), Phase::Data { abort, .. }) = (reason, &mut self.phase) {
                *abort = Some(reason);
            }
        }
        pieces.clear();
        self.pieces = pieces;
        if done {
            let abort = match &self.phase {
                Phase::Data { abort, .. } => *abort,
                _ => None,
            };
            self.phase = Phase::Command;
            self.finish_message(abort, true);
        }
        true
    }

    fn step_bdat(&mut self) -> bool {
        let Phase::Bdat {
            remaining,
            size,
            last,
            mut abort,
        } = self.phase
        else {
            return false;
        };
        if remaining > 0 {
            if self.input.is_empty() {
                return false;
            }
            let take = usize::try_from(remaining)
                .unwrap_or(usize::MAX)
                .min(self.input.len());
            let chunk = self.input.split_to(take).freeze();
            let left = remaining - take as u64;
            if abort.is_none() && self.deliver(chunk) {
                abort = Some(AbortReason::TooLarge);
            }
            self.phase = Phase::Bdat {
                remaining: left,
                size,
                last,
                abort,
            };
            if left > 0 {
                return true;
            }
        }
        self.phase = Phase::Command;
        match abort {
            // The refusal was written when the command was read.
            Some(AbortReason::Refused) => {}
            Some(reason) => self.finish_message(Some(reason), last),
            None if last => self.finish_message(None, true),
            None => {
                let text = format!("{size} octets received");
                self.write(250, (2, 0, 0), &text);
            }
        }
        true
    }

    /// How many replies the end of the message gets: one in SMTP, one per
    /// accepted recipient in LMTP (RFC 2033 sections 4.2 and 4.3).
    fn final_replies(&self) -> usize {
        match self.config.protocol {
            Protocol::Smtp => 1,
            Protocol::Lmtp => self.tx.recipients,
        }
    }

    /// The end of a message: refuse it, or ask the application.
    /// `end` is the end of the data (the final dot, `BDAT LAST`) rather than
    /// of a `BDAT` chunk before the last, which gets one reply even in LMTP.
    ///
    /// A message refused by a chunk before the last keeps its transaction
    /// until `BDAT LAST`: in LMTP that still gets one reply per recipient,
    /// and the client's pipelined chunks are refused without counting as
    /// errors.
    fn finish_message(&mut self, abort: Option<AbortReason>, end: bool) {
        let (c, e, text) = match abort {
            None => {
                self.pending = Some(Pending::Message);
                self.events
                    .push_back(ServerEvent::MessageEnd { size: self.tx.size });
                return;
            }
            // The refusal was written when the command was read.
            Some(AbortReason::Refused) => {
                self.tx = Transaction::default();
                return;
            }
            Some(AbortReason::TooLarge) => (552, (5, 3, 4), "Message too big for system"),
            Some(AbortReason::BareLineEnding) => (
                550,
                (5, 6, 0),
                "Bare CR or LF in message data is not allowed",
            ),
        };
        let times = if end { self.final_replies() } else { 1 };
        for _ in 0..times {
            self.write(c, e, text);
        }
        if end {
            self.tx = Transaction::default();
        } else {
            self.tx.aborted = abort;
        }
    }

    fn starttls(&mut self) {
        if !self.config.extensions.starttls || self.tls {
            return self.refuse(502, (5, 5, 1), "STARTTLS not available");
        }
        if self.tx.mail {
            // An upgrade would silently drop the open transaction (and a
            // message being received with BDAT); refuse it as Postfix does.
            return self.refuse(503, (5, 5, 1), "Mail transaction in progress");
        }
        self.write(220, (2, 0, 0), "Ready to start TLS");
        // RFC 3207 section 4.2 and CVE-2011-0411: nothing the client sent
        // in plaintext after STARTTLS may be processed after the upgrade.
        if !self.input.is_empty() {
            self.events.push_back(ServerEvent::PlaintextDiscarded {
                bytes: self.input.len(),
            });
            self.input.clear();
        }
        self.framer.reset();
        self.phase = Phase::AwaitingTls;
        self.events.push_back(ServerEvent::StartTls);
    }

    fn auth(&mut self, mechanism: Mechanism<'static>, ir: Option<Vec<u8>>) {
        if !self.auth_offered() {
            return self.refuse(502, (5, 5, 1), "AUTH not available");
        }
        if !self.extended {
            return self.refuse(503, (5, 5, 1), "Send EHLO first");
        }
        if self.authenticated {
            return self.refuse(503, (5, 5, 1), "Already authenticated");
        }
        if self.tx.mail {
            return self.refuse(503, (5, 5, 1), "AUTH not allowed during a mail transaction");
        }
        if !self.config.extensions.auth.contains(&mechanism) {
            return self.refuse(504, (5, 5, 4), "Unrecognized authentication type");
        }
        let limits = sasl::SaslLimits {
            max_encoded_len: self.config.limits.max_auth_len,
        };
        let initial = match ir {
            None => None,
            Some(text) => match sasl::decode_initial_response(&text, &limits) {
                Ok(data) => Some(data),
                Err(_) => return self.refuse(501, (5, 5, 2), "Invalid initial response"),
            },
        };
        let mut exchange = ServerExchange::new(&mechanism);
        self.phase = Phase::AuthResponse {
            exchange: None,
            mechanism: mechanism.clone(),
        };
        match exchange.as_mut() {
            Some(ex) => {
                let step = ex.start(initial);
                self.phase = Phase::AuthResponse {
                    exchange,
                    mechanism,
                };
                self.auth_step(step);
            }
            None => {
                self.pending = Some(Pending::AuthRaw);
                self.events.push_back(ServerEvent::AuthRaw {
                    mechanism,
                    response: initial,
                });
            }
        }
    }

    fn auth_step(&mut self, step: Result<ServerStep, sasl::SaslError>) {
        match step {
            Ok(ServerStep::Challenge(c)) => self.write_challenge(&c),
            Ok(ServerStep::Done(credentials)) => {
                self.pending = Some(Pending::Auth);
                self.events.push_back(ServerEvent::Auth { credentials });
            }
            Err(sasl::SaslError::Cancelled) => {
                self.phase = Phase::Command;
                self.refuse(501, (5, 0, 0), "Authentication cancelled");
            }
            Err(_) => {
                self.phase = Phase::Command;
                self.refuse(501, (5, 5, 2), "Malformed authentication response");
            }
        }
    }

    fn auth_line(&mut self, line: &[u8]) {
        let limits = sasl::SaslLimits {
            max_encoded_len: self.config.limits.max_auth_len,
        };
        let response = sasl::decode_response(line, &limits);
        let Phase::AuthResponse {
            exchange,
            mechanism,
        } = &mut self.phase
        else {
            return;
        };
        match (exchange.as_mut(), response) {
            (_, Err(_)) => {
                self.phase = Phase::Command;
                self.refuse(501, (5, 5, 2), "Invalid base64 in authentication response");
            }
            (Some(ex), Ok(r)) => {
                let step = ex.respond(r);
                self.auth_step(step);
            }
            (None, Ok(sasl::Response::Cancel)) => {
                self.auth_step(Err(sasl::SaslError::Cancelled));
            }
            (None, Ok(sasl::Response::Data(data))) => {
                let mechanism = mechanism.clone();
                self.pending = Some(Pending::AuthRaw);
                self.events.push_back(ServerEvent::AuthRaw {
                    mechanism,
                    response: Some(data),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_views_inside_and_copies_outside() {
        let buf = Bytes::from_static(b"hello world");
        let inside = share(&buf, buf.get(6..).unwrap());
        assert_eq!(&inside[..], b"world");
        assert_eq!(inside.as_ptr(), buf.get(6..).unwrap().as_ptr(), "no copy");
        let outside = share(&buf, b"\r\n");
        assert_eq!(&outside[..], b"\r\n");
        assert_ne!(outside.as_ptr(), b"\r\n".as_ptr());
        assert!(share(&buf, b"").is_empty());
    }
}
