//! Sans-IO SMTP and LMTP client session (RFC 5321, RFC 2033).
//!
//! [`Client`] owns no socket. Feed it what the server sent with
//! [`Client::receive`], react to [`ClientEvent`]s from
//! [`Client::poll_event`], and write [`Client::take_output`] to the server.
//!
//! The session waits for the greeting, sends EHLO (falling back to HELO when
//! the server refuses EHLO; LHLO in LMTP), and from then on uses only what the
//! server offered: it refuses to declare `BODY=8BITMIME` or `SMTPUTF8` the
//! server did not announce and refuses 8-bit body bytes without 8BITMIME.
//! Under PIPELINING it sends MAIL, every RCPT and DATA as one group as RFC
//! 2920 allows, and matches every reply to its command; without it, it sends
//! one command at a time. With CHUNKING offered and chosen it sends the
//! message with BDAT. It runs STARTTLS (discarding anything the server sent
//! after its `220` in plaintext) and AUTH with PLAIN, LOGIN, XOAUTH2,
//! OAUTHBEARER or any mechanism the application drives itself.
//!
//! ```
//! use smtp_proto::client::{Client, ClientConfig, ClientEvent, Envelope};
//!
//! let mut client = Client::new(ClientConfig::new("client.example").unwrap());
//! client.receive(b"220 mx.example.org ESMTP\r\n");
//! assert_eq!(&client.take_output()[..], b"EHLO client.example\r\n");
//! client.receive(b"250-mx.example.org\r\n250 PIPELINING\r\n");
//! while let Some(event) = client.poll_event() {
//!     if let ClientEvent::Ready { .. } = event {
//!         let env = Envelope::new("a@example.com", &["b@example.org"]).unwrap();
//!         client.send_mail(env).unwrap();
//!     }
//! }
//! assert_eq!(
//!     &client.take_output()[..],
//!     b"MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n"
//! );
//! ```

use std::collections::VecDeque;

use bytes::{Bytes, BytesMut};
use mail_wire::Status;
use mail_wire::dot::{DotEncoder, DotError, DotOptions};
use mail_wire::sasl::{self, ClientExchange, Mechanism};

use crate::limits::Limits;
use crate::parse::{ReplyError, ReplyLimits, ReplyOptions, ReplyParser};
use crate::server::Protocol;
use crate::types::{
    AddressError, Body, Command, EhloResponse, ForwardPath, Host, InitialResponse, MailParameters,
    Mailbox, Path, RcptParameters, Reply, ReversePath,
};

/// How the client sends message bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum BodyTransfer {
    /// Use `BDAT` when the server offers CHUNKING, `DATA` otherwise.
    PreferChunking,
    /// Always `DATA` (with dot-stuffing).
    #[default]
    Data,
}

/// Configuration of a [`Client`].
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The name sent in EHLO/HELO/LHLO.
    pub hello: Host<'static>,
    /// SMTP or LMTP.
    pub protocol: Protocol,
    /// Use PIPELINING when offered (default `true`).
    pub pipelining: bool,
    /// DATA or BDAT.
    pub transfer: BodyTransfer,
    /// Limits on replies.
    pub limits: Limits,
    /// Line-ending leniency for message bodies (strict by default: a bare CR
    /// or LF in a body chunk is refused before anything is written).
    pub body_line_endings: DotOptions,
}

impl ClientConfig {
    /// Defaults for a client that introduces itself as `hello` (a domain or
    /// an address literal such as `[192.0.2.1]`).
    pub fn new(hello: &str) -> Result<Self, AddressError> {
        Ok(ClientConfig {
            hello: Host::parse(hello)?.into_owned(),
            protocol: Protocol::Smtp,
            pipelining: true,
            transfer: BodyTransfer::Data,
            limits: Limits::default(),
            body_line_endings: DotOptions::default(),
        })
    }
}

/// One message's envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// The reverse-path.
    pub from: ReversePath<'static>,
    /// MAIL parameters. `smtputf8` is set automatically when an address
    /// needs it.
    pub mail_params: MailParameters<'static>,
    /// Recipients with their RCPT parameters.
    pub recipients: Vec<(ForwardPath<'static>, RcptParameters<'static>)>,
}

impl Envelope {
    /// An envelope from plain addresses (`local@domain`).
    pub fn new(from: &str, to: &[&str]) -> Result<Self, AddressError> {
        let from = if from.is_empty() {
            ReversePath::Null
        } else {
            ReversePath::Path(Path::new(Mailbox::parse(from)?.into_owned()))
        };
        let recipients = to
            .iter()
            .map(|t| {
                Ok((
                    ForwardPath::Path(Path::new(Mailbox::parse(t)?.into_owned())),
                    RcptParameters::default(),
                ))
            })
            .collect::<Result<Vec<_>, AddressError>>()?;
        Ok(Envelope {
            from,
            mail_params: MailParameters::default(),
            recipients,
        })
    }

    fn needs_smtputf8(&self) -> bool {
        self.from.mailbox().is_some_and(Mailbox::needs_smtputf8)
            || self
                .recipients
                .iter()
                .any(|(r, _)| r.mailbox().is_some_and(Mailbox::needs_smtputf8))
    }
}

/// The outcome of one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientResult {
    /// Index into [`Envelope::recipients`].
    pub index: usize,
    /// The reply to `RCPT`.
    pub rcpt: Reply<'static>,
    /// LMTP only: this recipient's reply after the data.
    pub delivery: Option<Reply<'static>>,
}

impl RecipientResult {
    /// Whether the message was accepted for this recipient.
    #[must_use]
    pub fn accepted(&self) -> bool {
        self.rcpt.code().is_positive_completion()
            && self
                .delivery
                .as_ref()
                .is_none_or(|r| r.code().is_positive_completion())
    }
}

/// The outcome of a transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageResult {
    /// The reply to MAIL.
    pub mail: Option<Reply<'static>>,
    /// Per recipient, in envelope order.
    pub recipients: Vec<RecipientResult>,
    /// The final reply to the data (SMTP), or the first failure that ended
    /// the transaction. `None` in LMTP after data (see each recipient).
    pub data: Option<Reply<'static>>,
    /// `true` if the message was accepted for at least one recipient.
    pub accepted: bool,
}

/// What the application must see or do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientEvent {
    /// A command line went out (AUTH data is not shown). For transcripts.
    Sent(String),
    /// A reply came in. For transcripts; the events below interpret it.
    Reply(Reply<'static>),
    /// The server's greeting.
    Greeting(Reply<'static>),
    /// The session is ready for a transaction, STARTTLS or AUTH. `ehlo` is
    /// the EHLO (LHLO) response, or `None` after a HELO fallback.
    Ready {
        /// The server's capabilities.
        ehlo: Option<EhloResponse<'static>>,
    },
    /// The server agreed to STARTTLS: write out the output, run the TLS
    /// handshake, then call [`Client::tls_established`].
    StartTls,
    /// Bytes the server sent in plaintext after its STARTTLS `220` were
    /// discarded (response injection, CVE-2011-0411 class).
    PlaintextDiscarded {
        /// How many.
        bytes: usize,
    },
    /// A challenge in an exchange started with [`Client::authenticate_raw`]:
    /// answer with [`Client::auth_respond`].
    AuthChallenge(Vec<u8>),
    /// AUTH succeeded.
    Authenticated,
    /// AUTH failed with this reply.
    AuthFailed(Reply<'static>),
    /// The message body can be sent now with [`Client::send_body`] and
    /// [`Client::finish_body`].
    SendBody,
    /// A recipient was accepted or refused.
    Recipient(RecipientResult),
    /// The transaction is over.
    MessageResult(MessageResult),
    /// A reply to RSET or NOOP.
    Done(Reply<'static>),
    /// The server refused STARTTLS; the session goes on in plaintext.
    StartTlsRefused(Reply<'static>),
    /// The session is over (QUIT answered, `421`, or a broken stream).
    Closed,
    /// The server broke the protocol; the session is closed.
    ProtocolError(ReplyError),
}

/// Misuse of the client API, or a request the server's extensions forbid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// The session is not in a state that allows this call.
    #[error("not possible now: {0}")]
    WrongState(&'static str),
    /// The request needs an extension the server did not offer.
    #[error("the server does not offer {0}")]
    NotOffered(&'static str),
    /// The envelope has no recipients.
    #[error("no recipients")]
    NoRecipients,
    /// A body chunk has 8-bit bytes but the transaction declared no 8-bit body.
    #[error("8-bit data in the body without BODY=8BITMIME")]
    EightBitBody,
    /// A body chunk has a bare CR or LF.
    #[error(transparent)]
    LineEnding(#[from] DotError),
    /// A SASL step failed.
    #[error(transparent)]
    Sasl(#[from] sasl::SaslError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Greeting,
    Ehlo,
    Helo,
    StartTls,
    Auth,
    Mail,
    Rcpt(usize),
    Data,
    DataEnd,
    Bdat { last: bool },
    LmtpDelivery(usize),
    Rset { after_failure: bool },
    Noop,
    Quit,
}

#[derive(Debug)]
enum BodyState {
    None,
    Data(DotEncoder),
    Bdat,
}

#[derive(Debug, Default)]
struct Tx {
    envelope: Option<Envelope>,
    mail: Option<Reply<'static>>,
    recipients: Vec<RecipientResult>,
    data: Option<Reply<'static>>,
    eight_bit: bool,
    /// Commands waiting to be sent (non-pipelined mode).
    queue: VecDeque<(Command<'static>, Expect)>,
    failed: bool,
    lmtp_pending: usize,
}

/// A sans-IO SMTP or LMTP client session. See the [module docs](self).
#[derive(Debug)]
pub struct Client {
    config: ClientConfig,
    parser: ReplyParser,
    input: BytesMut,
    output: BytesMut,
    events: VecDeque<ClientEvent>,
    inflight: VecDeque<Expect>,
    ehlo: Option<EhloResponse<'static>>,
    ready: bool,
    closed: bool,
    tls: bool,
    raw_auth: bool,
    auth: Option<ClientExchange>,
    body: BodyState,
    tx: Option<Tx>,
    awaiting_tls: bool,
}

fn is_ok(r: &Reply<'_>) -> bool {
    r.code().is_positive_completion()
}

impl Client {
    /// A new session, waiting for the server's greeting.
    #[must_use]
    pub fn new(config: ClientConfig) -> Self {
        let limits = ReplyLimits {
            max_line_len: config.limits.max_line_len,
            max_lines: config.limits.max_reply_lines,
            max_bytes: config.limits.max_reply_bytes,
        };
        let parser = ReplyParser::with_options(ReplyOptions {
            limits,
            ..ReplyOptions::default()
        });
        Client {
            config,
            parser,
            input: BytesMut::new(),
            output: BytesMut::new(),
            events: VecDeque::new(),
            inflight: VecDeque::from([Expect::Greeting]),
            ehlo: None,
            ready: false,
            closed: false,
            tls: false,
            raw_auth: false,
            auth: None,
            body: BodyState::None,
            tx: None,
            awaiting_tls: false,
        }
    }

    /// Feeds bytes received from the server.
    pub fn receive(&mut self, data: &[u8]) {
        if self.closed {
            return;
        }
        if self.awaiting_tls {
            if !data.is_empty() {
                self.events
                    .push_back(ClientEvent::PlaintextDiscarded { bytes: data.len() });
            }
            return;
        }
        self.input.extend_from_slice(data);
        self.process();
    }

    /// The next event, if any.
    pub fn poll_event(&mut self) -> Option<ClientEvent> {
        self.events.pop_front()
    }

    /// Bytes to send to the server.
    pub fn take_output(&mut self) -> Bytes {
        self.output.split().freeze()
    }

    /// The server's EHLO response, once known (`None` after HELO).
    #[must_use]
    pub fn ehlo(&self) -> Option<&EhloResponse<'static>> {
        self.ehlo.as_ref()
    }

    /// `true` when no command is outstanding and no transaction is open:
    /// [`Client::send_mail`], [`Client::starttls`] and the AUTH calls work.
    #[must_use]
    pub fn is_idle(&self) -> bool {
        self.ready
            && !self.closed
            && !self.awaiting_tls
            && self.inflight.is_empty()
            && self.tx.is_none()
    }

    /// `true` once the session is over.
    #[must_use]
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    fn pipelining(&self) -> bool {
        self.config.pipelining && self.ehlo.as_ref().is_some_and(|e| e.supports_pipelining())
    }

    fn offers(&self, keyword: &str) -> bool {
        self.ehlo.as_ref().is_some_and(|e| e.supports(keyword))
    }

    fn send(&mut self, cmd: &Command<'_>, expect: Expect) {
        self.write_command(cmd);
        self.inflight.push_back(expect);
    }

    /// Writes a command and reports it (AUTH without its initial response).
    fn write_command(&mut self, cmd: &Command<'_>) {
        let start = self.output.len();
        cmd.encode(&mut self.output);
        let line = match cmd {
            Command::Auth { mechanism, .. } => format!("AUTH {mechanism}"),
            _ => String::from_utf8_lossy(
                self.output
                    .get(start..self.output.len().saturating_sub(2))
                    .unwrap_or_default(),
            )
            .into_owned(),
        };
        self.events.push_back(ClientEvent::Sent(line));
    }

    fn send_hello(&mut self, helo: bool) {
        let host = self.config.hello.clone();
        let (cmd, expect) = match (self.config.protocol, helo) {
            (Protocol::Lmtp, _) => (Command::Lhlo { host }, Expect::Ehlo),
            (Protocol::Smtp, false) => (Command::Ehlo { host }, Expect::Ehlo),
            (Protocol::Smtp, true) => (Command::Helo { host }, Expect::Helo),
        };
        self.send(&cmd, expect);
    }

    fn close(&mut self) {
        if !self.closed {
            self.closed = true;
            // Nothing may be written once the session is over, not even by
            // calls the application makes for events queued before the
            // close (`SendBody`, `AuthChallenge`): drop what they continue.
            self.body = BodyState::None;
            self.raw_auth = false;
            self.auth = None;
            self.events.push_back(ClientEvent::Closed);
        }
    }

    fn process(&mut self) {
        while !self.closed && !self.awaiting_tls {
            match self.parser.parse(&self.input) {
                Ok(Status::Incomplete) => break,
                Ok(Status::Complete(reply, n)) => {
                    let reply = reply.into_owned();
                    let _ = self.input.split_to(n);
                    self.on_reply(reply);
                }
                Err(e) => {
                    self.events.push_back(ClientEvent::ProtocolError(e));
                    self.close();
                }
            }
        }
    }

    fn on_reply(&mut self, reply: Reply<'static>) {
        self.events.push_back(ClientEvent::Reply(reply.clone()));
        let Some(expect) = self.inflight.pop_front() else {
            // A reply nobody asked for: the stream is out of step.
            self.close();
            return;
        };
        if reply.code().as_u16() == 421 && !matches!(expect, Expect::Quit) {
            // RFC 5321 section 3.8: the server is closing the channel. A
            // transaction in progress ends, failed, with this reply.
            if self.tx.is_some() {
                self.fail_tx(reply);
                self.finish_tx();
            }
            self.close();
            return;
        }
        match expect {
            Expect::Greeting => {
                self.events.push_back(ClientEvent::Greeting(reply.clone()));
                if is_ok(&reply) {
                    self.send_hello(false);
                } else {
                    self.quit();
                }
            }
            Expect::Ehlo => {
                if is_ok(&reply) {
                    match EhloResponse::from_reply(&reply) {
                        Ok(ehlo) => {
                            let ehlo = ehlo.into_owned();
                            self.ehlo = Some(ehlo.clone());
                            self.ready = true;
                            self.events
                                .push_back(ClientEvent::Ready { ehlo: Some(ehlo) });
                        }
                        Err(_) => self.quit(),
                    }
                } else if reply.code().is_permanent() && self.config.protocol == Protocol::Smtp {
                    // RFC 5321 section 3.2: a server that does not know
                    // EHLO gets HELO.
                    self.send_hello(true);
                } else {
                    self.quit();
                }
            }
            Expect::Helo => {
                if is_ok(&reply) {
                    self.ehlo = None;
                    self.ready = true;
                    self.events.push_back(ClientEvent::Ready { ehlo: None });
                } else {
                    self.quit();
                }
            }
            Expect::StartTls => {
                if reply.code().as_u16() == 220 {
                    let extra = self.input.len();
                    if extra > 0 {
                        self.events
                            .push_back(ClientEvent::PlaintextDiscarded { bytes: extra });
                    }
                    self.input.clear();
                    self.parser.reset();
                    self.awaiting_tls = true;
                    self.events.push_back(ClientEvent::StartTls);
                } else {
                    self.events.push_back(ClientEvent::StartTlsRefused(reply));
                }
            }
            Expect::Auth => self.on_auth_reply(reply),
            Expect::Mail => {
                let ok = is_ok(&reply);
                if let Some(tx) = self.tx.as_mut() {
                    tx.mail = Some(reply.clone());
                    if !ok {
                        tx.failed = true;
                        tx.data = Some(reply);
                        if !tx.queue.is_empty() {
                            // Not pipelined: nothing else was sent.
                            tx.queue.clear();
                            self.finish_tx();
                        }
                    }
                }
            }
            Expect::Rcpt(index) => self.on_rcpt_reply(index, reply),
            Expect::Data => {
                let accepted_any = self.tx.as_ref().is_some_and(|t| {
                    !t.failed && t.recipients.iter().any(RecipientResult::accepted)
                });
                if reply.code().as_u16() == 354 {
                    if accepted_any {
                        self.body = BodyState::Data(DotEncoder::new(self.config.body_line_endings));
                        self.events.push_back(ClientEvent::SendBody);
                    } else {
                        // RFC 2920 section 3.1: the server took DATA although
                        // no recipient was accepted; end it with an empty
                        // message, which it must refuse.
                        self.output.extend_from_slice(b".\r\n");
                        self.inflight.push_back(Expect::DataEnd);
                        if let Some(tx) = self.tx.as_mut() {
                            tx.failed = true;
                        }
                    }
                } else {
                    self.fail_tx(reply);
                    self.abandon_tx();
                }
            }
            Expect::DataEnd => {
                if let Some(tx) = self.tx.as_mut() {
                    if !is_ok(&reply) || tx.data.is_none() {
                        tx.data = Some(reply.clone());
                    }
                    if !is_ok(&reply) {
                        tx.failed = true;
                    }
                }
                self.finish_tx();
            }
            Expect::Bdat { last } => {
                if !is_ok(&reply) {
                    self.fail_tx(reply);
                    if !self
                        .inflight
                        .iter()
                        .any(|e| matches!(e, Expect::Bdat { .. } | Expect::LmtpDelivery(_)))
                    {
                        self.abandon_tx();
                    }
                } else if last {
                    if let Some(tx) = self.tx.as_mut() {
                        tx.data = Some(reply);
                    }
                    self.finish_tx();
                } else if !self.pipelining() {
                    self.events.push_back(ClientEvent::SendBody);
                }
            }
            Expect::LmtpDelivery(index) => {
                let done = {
                    let Some(tx) = self.tx.as_mut() else { return };
                    if let Some(r) = tx.recipients.get_mut(index) {
                        r.delivery = Some(reply);
                    }
                    tx.lmtp_pending = tx.lmtp_pending.saturating_sub(1);
                    tx.lmtp_pending == 0
                };
                if done {
                    self.finish_tx();
                }
            }
            Expect::Rset { after_failure } => {
                if after_failure {
                    self.finish_tx();
                } else {
                    self.events.push_back(ClientEvent::Done(reply));
                }
            }
            Expect::Noop => self.events.push_back(ClientEvent::Done(reply)),
            Expect::Quit => self.close(),
        }
        self.flush_queue();
    }

    fn fail_tx(&mut self, reply: Reply<'static>) {
        if let Some(tx) = self.tx.as_mut() {
            tx.failed = true;
            if tx.data.is_none() {
                tx.data = Some(reply);
            }
        }
    }

    fn on_rcpt_reply(&mut self, index: usize, reply: Reply<'static>) {
        let result = RecipientResult {
            index,
            rcpt: reply,
            delivery: None,
        };
        self.events
            .push_back(ClientEvent::Recipient(result.clone()));
        let bdat = self.config.transfer == BodyTransfer::PreferChunking && self.chunking();
        let Some(tx) = self.tx.as_mut() else { return };
        tx.recipients.push(result);
        let total = tx.envelope.as_ref().map_or(0, |e| e.recipients.len());
        if tx.recipients.len() < total || !bdat {
            return;
        }
        // BDAT: the body goes out once every recipient has answered.
        let accepted = !tx.failed && tx.recipients.iter().any(RecipientResult::accepted);
        if accepted {
            self.body = BodyState::Bdat;
            self.events.push_back(ClientEvent::SendBody);
        } else {
            tx.failed = true;
            self.abandon_tx();
        }
    }

    /// Ends a failed transaction. If the server accepted MAIL, the
    /// transaction is still open there (a refused DATA, RFC 2920 section
    /// 3.1) or in an indeterminate state (a refused BDAT, RFC 3030 section
    /// 2): RSET it first, or the next MAIL would be refused as nested.
    fn abandon_tx(&mut self) {
        self.body = BodyState::None;
        let mail_ok = self
            .tx
            .as_ref()
            .and_then(|t| t.mail.as_ref())
            .is_some_and(is_ok);
        if mail_ok {
            self.send(
                &Command::Rset,
                Expect::Rset {
                    after_failure: true,
                },
            );
        } else {
            self.finish_tx();
        }
    }

    fn chunking(&self) -> bool {
        self.offers("CHUNKING")
    }

    /// Sends queued commands one at a time when not pipelining.
    fn flush_queue(&mut self) {
        if !self.inflight.is_empty() || self.closed {
            return;
        }
        let Some(tx) = self.tx.as_mut() else { return };
        let Some((cmd, expect)) = tx.queue.pop_front() else {
            return;
        };
        if expect == Expect::Data && !tx.recipients.iter().any(RecipientResult::accepted) {
            tx.queue.clear();
            tx.failed = true;
            self.send(
                &Command::Rset,
                Expect::Rset {
                    after_failure: true,
                },
            );
            return;
        }
        self.send(&cmd, expect);
    }

    fn finish_tx(&mut self) {
        self.body = BodyState::None;
        let Some(tx) = self.tx.take() else { return };
        let accepted = !tx.failed
            && match self.config.protocol {
                Protocol::Smtp => {
                    tx.data.as_ref().is_some_and(is_ok)
                        && tx.recipients.iter().any(RecipientResult::accepted)
                }
                Protocol::Lmtp => tx
                    .recipients
                    .iter()
                    .any(|r| r.accepted() && r.delivery.is_some()),
            };
        self.events
            .push_back(ClientEvent::MessageResult(MessageResult {
                mail: tx.mail,
                recipients: tx.recipients,
                data: tx.data,
                accepted,
            }));
    }

    fn on_auth_reply(&mut self, reply: Reply<'static>) {
        if reply.code().as_u16() == 334 {
            let text = reply.last_line().as_bytes().to_vec();
            let limits = sasl::SaslLimits {
                max_encoded_len: self.config.limits.max_auth_len,
            };
            let challenge = match sasl::decode_challenge(&text, &limits) {
                Ok(c) => c,
                Err(_) => {
                    // Cancel the exchange: the server's challenge is broken.
                    self.write_auth_line(b"*");
                    return;
                }
            };
            if self.raw_auth {
                self.events.push_back(ClientEvent::AuthChallenge(challenge));
                return;
            }
            let answer = match self.auth.as_mut().map(|a| a.respond(&challenge)) {
                Some(Ok(answer)) => answer,
                _ => {
                    self.write_auth_line(b"*");
                    return;
                }
            };
            let mut line = Vec::with_capacity(sasl::encoded_len(answer.len()));
            sasl::encode_base64(&answer, &mut line);
            self.write_auth_line(&line);
            return;
        }
        self.auth = None;
        self.raw_auth = false;
        if reply.code().as_u16() == 235 {
            self.events.push_back(ClientEvent::Authenticated);
        } else {
            self.events.push_back(ClientEvent::AuthFailed(reply));
        }
    }

    fn write_auth_line(&mut self, line: &[u8]) {
        self.output.extend_from_slice(line);
        self.output.extend_from_slice(b"\r\n");
        self.events
            .push_back(ClientEvent::Sent("<SASL response hidden>".to_owned()));
        self.inflight.push_back(Expect::Auth);
    }

    // ----- application requests ----------------------------------------

    /// Starts a transaction: MAIL, the RCPTs and (with DATA) the DATA
    /// command, pipelined when the server allows it. Wait for
    /// [`ClientEvent::SendBody`], then send the body.
    pub fn send_mail(&mut self, mut envelope: Envelope) -> Result<(), ClientError> {
        if !self.is_idle() {
            return Err(ClientError::WrongState(
                "a command or transaction is in progress",
            ));
        }
        if envelope.recipients.is_empty() {
            return Err(ClientError::NoRecipients);
        }
        if envelope.needs_smtputf8() {
            envelope.mail_params.smtputf8 = true;
        }
        let p = &envelope.mail_params;
        let checks: [(bool, &'static str); 10] = [
            (p.smtputf8, "SMTPUTF8"),
            (p.body == Some(Body::EightBitMime), "8BITMIME"),
            (p.body == Some(Body::BinaryMime), "BINARYMIME"),
            (p.size.is_some(), "SIZE"),
            (p.ret().is_some() || p.envid().is_some(), "DSN"),
            (p.auth().is_some(), "AUTH"),
            (p.requiretls, "REQUIRETLS"),
            (p.mt_priority().is_some(), "MT-PRIORITY"),
            (p.hold().is_some(), "FUTURERELEASE"),
            (p.by().is_some(), "DELIVERBY"),
        ];
        for (used, keyword) in checks {
            if used && !self.offers(keyword) {
                return Err(ClientError::NotOffered(keyword));
            }
        }
        let dsn_rcpt = envelope
            .recipients
            .iter()
            .any(|(_, r)| r.notify.is_some() || r.orcpt.is_some());
        if dsn_rcpt && !self.offers("DSN") {
            return Err(ClientError::NotOffered("DSN"));
        }
        if envelope.recipients.iter().any(|(_, r)| r.rrvs().is_some()) && !self.offers("RRVS") {
            return Err(ClientError::NotOffered("RRVS"));
        }
        let bdat = self.config.transfer == BodyTransfer::PreferChunking && self.chunking();
        if p.body == Some(Body::BinaryMime) && !bdat {
            return Err(ClientError::NotOffered("CHUNKING"));
        }
        let eight_bit = matches!(p.body, Some(Body::EightBitMime | Body::BinaryMime));
        let mut cmds = vec![(
            Command::Mail {
                from: envelope.from.clone(),
                params: envelope.mail_params.clone(),
            },
            Expect::Mail,
        )];
        for (i, (to, params)) in envelope.recipients.iter().enumerate() {
            cmds.push((
                Command::Rcpt {
                    to: to.clone(),
                    params: params.clone(),
                },
                Expect::Rcpt(i),
            ));
        }
        if !bdat {
            cmds.push((Command::Data, Expect::Data));
        }
        let pipelining = self.pipelining();
        let mut queue = VecDeque::new();
        for (i, (cmd, expect)) in cmds.into_iter().enumerate() {
            if pipelining || i == 0 {
                self.send(&cmd, expect);
            } else {
                queue.push_back((cmd, expect));
            }
        }
        self.tx = Some(Tx {
            envelope: Some(envelope),
            eight_bit,
            queue,
            ..Tx::default()
        });
        Ok(())
    }

    /// Sends a piece of the message body (after [`ClientEvent::SendBody`]).
    /// With DATA the chunk is dot-stuffed on the fly; with BDAT it becomes one
    /// `BDAT` command. A chunk with 8-bit bytes when the transaction declared
    /// no 8-bit body, or with a bare CR or LF (unless allowed), is refused and
    /// nothing of it is written.
    pub fn send_body(&mut self, chunk: &[u8]) -> Result<(), ClientError> {
        let eight_bit = self.tx.as_ref().is_some_and(|t| t.eight_bit);
        if !eight_bit && !chunk.is_ascii() {
            return Err(ClientError::EightBitBody);
        }
        match &mut self.body {
            BodyState::None => Err(ClientError::WrongState("the body cannot be sent now")),
            BodyState::Data(enc) => Ok(enc.encode(chunk, &mut self.output)?),
            BodyState::Bdat => {
                if chunk.is_empty() {
                    return Ok(());
                }
                if !self.pipelining() && !self.inflight.is_empty() {
                    return Err(ClientError::WrongState(
                        "wait for SendBody: the previous BDAT is unanswered and PIPELINING is off",
                    ));
                }
                let size = chunk.len() as u64;
                self.send(
                    &Command::Bdat { size, last: false },
                    Expect::Bdat { last: false },
                );
                self.output.extend_from_slice(chunk);
                Ok(())
            }
        }
    }

    /// Ends the message body: the final dot (DATA) or `BDAT 0 LAST`.
    pub fn finish_body(&mut self) -> Result<(), ClientError> {
        let lmtp = self.config.protocol == Protocol::Lmtp;
        let accepted: Vec<usize> = self
            .tx
            .as_ref()
            .map(|t| {
                t.recipients
                    .iter()
                    .filter(|r| r.accepted())
                    .map(|r| r.index)
                    .collect()
            })
            .unwrap_or_default();
        match std::mem::replace(&mut self.body, BodyState::None) {
            BodyState::None => return Err(ClientError::WrongState("no body in progress")),
            BodyState::Data(enc) => {
                enc.finish(&mut self.output)?;
                if !lmtp {
                    self.inflight.push_back(Expect::DataEnd);
                }
            }
            BodyState::Bdat => {
                if !self.pipelining() && !self.inflight.is_empty() {
                    self.body = BodyState::Bdat;
                    return Err(ClientError::WrongState(
                        "wait for SendBody: the previous BDAT is unanswered and PIPELINING is off",
                    ));
                }
                let cmd = Command::Bdat {
                    size: 0,
                    last: true,
                };
                if lmtp {
                    // Answered per recipient, below.
                    self.write_command(&cmd);
                } else {
                    self.send(&cmd, Expect::Bdat { last: true });
                }
            }
        }
        if lmtp {
            // RFC 2033 section 4.2: one reply per accepted recipient.
            for &i in &accepted {
                self.inflight.push_back(Expect::LmtpDelivery(i));
            }
            if let Some(tx) = self.tx.as_mut() {
                tx.lmtp_pending = accepted.len();
            }
        }
        Ok(())
    }

    /// Sends STARTTLS (RFC 3207). On [`ClientEvent::StartTls`], upgrade the
    /// connection and call [`Client::tls_established`].
    pub fn starttls(&mut self) -> Result<(), ClientError> {
        if !self.is_idle() {
            return Err(ClientError::WrongState(
                "a command or transaction is in progress",
            ));
        }
        if self.tls || !self.offers("STARTTLS") {
            return Err(ClientError::NotOffered("STARTTLS"));
        }
        self.send(&Command::StartTls, Expect::StartTls);
        Ok(())
    }

    /// The TLS handshake succeeded: the session forgets what it learnt in
    /// plaintext and sends EHLO again (RFC 3207 section 4.2).
    pub fn tls_established(&mut self) -> Result<(), ClientError> {
        if !self.awaiting_tls {
            return Err(ClientError::WrongState("no STARTTLS in progress"));
        }
        self.awaiting_tls = false;
        self.tls = true;
        self.ehlo = None;
        self.ready = false;
        self.input.clear();
        self.parser.reset();
        self.send_hello(false);
        Ok(())
    }

    fn check_auth(&self, mechanism: &Mechanism<'_>) -> Result<(), ClientError> {
        if !self.is_idle() {
            return Err(ClientError::WrongState(
                "a command or transaction is in progress",
            ));
        }
        let offered = self
            .ehlo
            .as_ref()
            .is_some_and(|e| e.supports_auth(mechanism));
        if offered {
            Ok(())
        } else {
            Err(ClientError::NotOffered("this AUTH mechanism"))
        }
    }

    fn send_auth(&mut self, mechanism: Mechanism<'static>, initial: Option<Vec<u8>>) {
        let initial_response = initial.map(|d| InitialResponse::from_bytes(&d));
        let cmd = Command::Auth {
            mechanism,
            initial_response,
        };
        self.send(&cmd, Expect::Auth);
    }

    /// Runs AUTH (RFC 4954) with a built-in mechanism; the initial response
    /// goes with the command. Ends with [`ClientEvent::Authenticated`] or
    /// [`ClientEvent::AuthFailed`].
    pub fn authenticate(&mut self, mut exchange: ClientExchange) -> Result<(), ClientError> {
        let mechanism = exchange.mechanism().clone();
        self.check_auth(&mechanism)?;
        let initial = exchange.initial_response();
        self.auth = Some(exchange);
        self.raw_auth = false;
        self.send_auth(mechanism, initial);
        Ok(())
    }

    /// Runs AUTH with a mechanism the application drives: each challenge
    /// arrives as [`ClientEvent::AuthChallenge`], answer it with
    /// [`Client::auth_respond`].
    pub fn authenticate_raw(
        &mut self,
        mechanism: Mechanism<'static>,
        initial: Option<Vec<u8>>,
    ) -> Result<(), ClientError> {
        self.check_auth(&mechanism)?;
        self.raw_auth = true;
        self.auth = None;
        self.send_auth(mechanism, initial);
        Ok(())
    }

    /// Answers a challenge of a raw exchange (decoded bytes; `None` cancels).
    pub fn auth_respond(&mut self, data: Option<&[u8]>) -> Result<(), ClientError> {
        if !self.raw_auth || !self.inflight.is_empty() {
            return Err(ClientError::WrongState("no challenge to answer"));
        }
        match data {
            None => self.write_auth_line(b"*"),
            Some(d) => {
                let mut line = Vec::with_capacity(sasl::encoded_len(d.len()));
                sasl::encode_base64(d, &mut line);
                self.write_auth_line(&line);
            }
        }
        Ok(())
    }

    /// Sends RSET (outside a transaction in progress).
    pub fn reset(&mut self) -> Result<(), ClientError> {
        if !self.is_idle() {
            return Err(ClientError::WrongState(
                "a command or transaction is in progress",
            ));
        }
        self.send(
            &Command::Rset,
            Expect::Rset {
                after_failure: false,
            },
        );
        Ok(())
    }

    /// Sends NOOP.
    pub fn noop(&mut self) -> Result<(), ClientError> {
        if !self.is_idle() {
            return Err(ClientError::WrongState(
                "a command or transaction is in progress",
            ));
        }
        self.send(&Command::Noop { arg: None }, Expect::Noop);
        Ok(())
    }

    /// Sends QUIT; the session closes when it is answered.
    pub fn quit(&mut self) {
        if self.closed {
            return;
        }
        self.send(&Command::Quit, Expect::Quit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(c: &mut Client) -> Vec<ClientEvent> {
        std::iter::from_fn(|| c.poll_event()).collect()
    }

    /// Found by the `smtp_client_session` fuzz target: `354` and `421` in one
    /// read queue `SendBody` before `Closed`; the body the application then
    /// sends must not be written to a closed session.
    #[test]
    fn nothing_is_written_after_421_even_for_a_queued_send_body() {
        let mut c = Client::new(ClientConfig::new("client.example").unwrap());
        c.receive(b"220 mx ESMTP\r\n250-mx\r\n250 PIPELINING\r\n");
        let ready = events(&mut c);
        assert!(ready.iter().any(|e| matches!(e, ClientEvent::Ready { .. })));
        c.send_mail(Envelope::new("a@example.com", &["b@example.org"]).unwrap())
            .unwrap();
        let _ = c.take_output();
        c.receive(b"250 ok\r\n250 ok\r\n354 go\r\n421 bye\r\n");
        let ev = events(&mut c);
        assert!(ev.contains(&ClientEvent::SendBody));
        assert_eq!(ev.last(), Some(&ClientEvent::Closed));
        assert!(c.is_closed());
        assert!(matches!(
            c.send_body(b"Hi\r\n"),
            Err(ClientError::WrongState(_))
        ));
        assert!(matches!(c.finish_body(), Err(ClientError::WrongState(_))));
        assert!(c.take_output().is_empty());
    }

    /// The same for a raw AUTH challenge queued before the close.
    #[test]
    fn nothing_is_written_after_close_even_for_a_queued_auth_challenge() {
        let mut c = Client::new(ClientConfig::new("client.example").unwrap());
        c.receive(b"220 mx ESMTP\r\n250-mx\r\n250 AUTH X-RAW\r\n");
        let _ = events(&mut c);
        let mech = Mechanism::parse(b"X-RAW").unwrap();
        c.authenticate_raw(mech, None).unwrap();
        let _ = c.take_output();
        // A challenge, then a reply nobody asked for: the stream is broken.
        c.receive(b"334 aGk=\r\n250 what\r\n");
        let ev = events(&mut c);
        assert!(ev.contains(&ClientEvent::AuthChallenge(b"hi".to_vec())));
        assert_eq!(ev.last(), Some(&ClientEvent::Closed));
        assert!(c.auth_respond(Some(b"answer")).is_err());
        assert!(c.take_output().is_empty());
    }
}
