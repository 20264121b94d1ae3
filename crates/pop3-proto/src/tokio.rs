//! `tokio_util::codec` adapters (feature `tokio`).
//!
//! These work one level below the sessions: [`ServerCodec`] turns the
//! client's bytes into commands and encodes the server's answers,
//! [`ClientCodec`] turns the server's bytes into status lines, block lines
//! and message bodies and encodes commands. Framing, limits and dot handling
//! are the ones of the sessions (all from `mail-wire` and this crate's
//! parsers). Use them with `tokio_util::codec::Framed` when you want a
//! `Stream`/`Sink` of POP3 units and keep the protocol state yourself; use
//! [`crate::server::Server`] when you want the state machine too.
//!
//! # Framing the server's answers
//!
//! POP3 responses do not say whether a block follows them (RFC 1939 section
//! 3): `+OK 2 messages` may be the answer to `STAT` or the first line of a
//! `LIST` block. [`ClientCodec`] therefore keeps a queue of
//! [`ResponseKind`]s, one per command in flight. Encoding a command through
//! the codec queues [`Command::response_kind`] for it, so pipelined commands
//! (RFC 2449 section 6.6) are framed in order with no help; for commands
//! written some other way, call [`ClientCodec::expect`].
//!
//! # No invalid wire
//!
//! Everything [`ServerCodec`] and [`ClientCodec`] write is made of validated
//! values, and both encoders refuse items that would put valid lines in the
//! wrong place (a listing line outside a block, a status line inside a
//! message body, a block after `-ERR`, a SASL response the server did not
//! ask for, which it would read as a command). A refused item is an `Err`
//! and writes nothing, so the stream is still well formed after it.
//!
//! ```
//! use bytes::BytesMut;
//! use pop3_proto::tokio::{ClientCodec, ClientFrame, ServerCodec, ServerFrame, ServerItem};
//! use pop3_proto::{Capability, Command, StatusLine};
//! use tokio_util::codec::{Decoder, Encoder};
//!
//! // The client writes two pipelined commands.
//! let mut client = ClientCodec::new();
//! let mut wire = BytesMut::new();
//! client.encode(Command::Capa, &mut wire).unwrap();
//! client.encode(Command::Quit, &mut wire).unwrap();
//!
//! // The server reads them and answers.
//! let mut server = ServerCodec::new();
//! let Some(ServerFrame::Command(Ok(Command::Capa))) = server.decode(&mut wire).unwrap() else {
//!     panic!()
//! };
//! let mut answer = BytesMut::new();
//! server.encode(ServerItem::Status(StatusLine::ok("ready").unwrap()), &mut answer).unwrap();
//! server.encode(ServerItem::BlockStart(StatusLine::ok("capabilities").unwrap()), &mut answer).unwrap();
//! server.encode(ServerItem::Capability(Capability::Top), &mut answer).unwrap();
//! server.encode(ServerItem::End, &mut answer).unwrap();
//! assert_eq!(&answer[..], b"+OK ready\r\n+OK capabilities\r\nTOP\r\n.\r\n");
//!
//! // The client reads the greeting, then the CAPA block.
//! let mut frames = Vec::new();
//! while let Some(f) = client.decode(&mut answer).unwrap() {
//!     frames.push(f);
//! }
//! assert!(matches!(&frames[..], [
//!     ClientFrame::Status(greeting),
//!     ClientFrame::Status(ok),
//!     ClientFrame::Line(top),
//!     ClientFrame::End,
//! ] if greeting.is_ok() && ok.is_ok() && &top[..] == b"TOP"));
//! assert_eq!(client.pending(), 1); // QUIT's answer is still to come
//! ```
//!
//! # STLS
//!
//! After `STLS` and its `+OK` (RFC 2595 section 4), both sides start TLS on
//! the same connection. The `Framed` around the plaintext connection must
//! not be reused: its read buffer may hold bytes the peer sent after `STLS`
//! (or after `+OK`) in plaintext, and a server that went on to read them
//! as if they came over TLS would obey commands injected by a
//! man-in-the-middle (the STARTTLS command injection first reported as
//! CVE-2011-0411); a client would trust injected responses. Take the transport out with
//! [`ServerCodec::into_tls_io`] / [`ClientCodec::into_tls_io`], which
//! refuse when plaintext is still buffered or unsent, run the TLS handshake
//! on it, and build a new `Framed` with a new codec
//! ([`ClientCodec::after_stls`] on the client: no greeting follows TLS).
//!
//! What these functions check is what `Framed::into_parts` exposes:
//!
//! ```
//! use bytes::BytesMut;
//! use pop3_proto::tokio::{ServerCodec, ServerFrame, ServerItem, TlsUpgradeError};
//! use pop3_proto::{Command, StatusLine};
//! use tokio_util::codec::{Decoder, Framed, FramedParts};
//!
//! // A client (or an attacker in the middle) sent a command after STLS.
//! let mut codec = ServerCodec::new();
//! let mut read_buf = BytesMut::from(&b"STLS\r\nUSER mallory\r\n"[..]);
//! let frame = codec.decode(&mut read_buf).unwrap();
//! assert_eq!(frame, Some(ServerFrame::Command(Ok(Command::Stls))));
//! // This is the state of a `Framed` that has just yielded `STLS`
//! // (`std::io::Cursor` stands in for the TCP stream).
//! let mut parts = FramedParts::new::<ServerItem<'_>>(std::io::Cursor::new(Vec::<u8>::new()), codec);
//! parts.read_buf = read_buf;
//! let framed = Framed::from_parts(parts);
//!
//! // By hand: the read buffer must be empty (and the `+OK` flushed).
//! let parts = framed.into_parts();
//! assert_eq!(&parts.read_buf[..], b"USER mallory\r\n"); // refuse: close the connection
//! assert!(parts.write_buf.is_empty());
//!
//! // The same check, done for you.
//! let framed = Framed::from_parts(parts);
//! assert_eq!(
//!     ServerCodec::into_tls_io(framed).unwrap_err(),
//!     TlsUpgradeError::Unread(14)
//! );
//! ```

use std::collections::VecDeque;

use bytes::{Buf, BufMut, Bytes, BytesMut};
use mail_wire::dot::{DotDecoder, DotEncoder, DotError, DotOptions};
use mail_wire::line::{Framed as Line, LineError, LineErrorKind, LineFramer, LineOptions};
use mail_wire::{LimitError, Status as Progress};
use tokio_util::codec::{Decoder, Encoder, Framed};

use crate::encode::{encode_end, encode_multiline_line};
use crate::limits::Limits;
use crate::parse::ResponseOptions;
use crate::parse::{CommandError, CommandOptions, MultiLine, MultiLineReader, ResponseError};
use crate::types::{
    Base64, Capability, Command, Response, ResponseKind, ScanListing, Status, StatusLine, Text,
    UidListing,
};

/// Errors of the codecs.
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    /// The underlying transport failed, or closed in the middle of a
    /// response (`UnexpectedEof`).
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// A server response broke the grammar or a limit. POP3 responses are
    /// not self-delimiting, so the stream cannot be resynchronised: close
    /// the connection. The codec returns the same error on every later
    /// call.
    #[error(transparent)]
    Response(#[from] ResponseError),
    /// The server sent bytes when no response was expected (none is
    /// queued). Nothing was consumed.
    #[error("{len} bytes from the server when no response was expected")]
    Unsolicited {
        /// Bytes buffered.
        len: usize,
    },
    /// A message-body chunk given to [`ServerCodec`] had a bare CR or LF
    /// (refused by the [`DotOptions`] in force). Nothing of it was written;
    /// the body is still open.
    #[error(transparent)]
    Body(#[from] DotError),
    /// An item was refused because of where it came in the stream (see
    /// [`ServerItem`] and [`ClientItem`]). Nothing was written.
    #[error("cannot encode {item} {reason}")]
    Sequence {
        /// What was refused.
        item: &'static str,
        /// Why.
        reason: &'static str,
    },
    /// A command or SASL response line longer than its limit
    /// (`max_command_len`, RFC 2449 section 4 and RFC 5034 section 4; or
    /// `max_encoded_len`). Nothing was written. For `AUTH` with a long
    /// initial response, send `AUTH mechanism` alone and the response after
    /// the server's empty challenge.
    #[error(transparent)]
    TooLong(#[from] LimitError),
}

/// Why [`ServerCodec::into_tls_io`] or [`ClientCodec::into_tls_io`] refused
/// to hand the transport over for TLS. Close the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum TlsUpgradeError {
    /// Bytes received in plaintext after `STLS` (or its `+OK`) are still in
    /// the read buffer: the peer, or someone in the middle, pipelined them
    /// ahead of TLS.
    #[error("{0} plaintext bytes received after STLS")]
    Unread(usize),
    /// Bytes were still waiting to be written (the `STLS` or `+OK` line was
    /// not flushed).
    #[error("{0} bytes not yet sent before the TLS upgrade")]
    Unsent(usize),
    /// The codec is in the middle of an exchange (responses still expected,
    /// a block or body open, a SASL exchange).
    #[error("the codec is in the middle of an exchange")]
    Busy,
}

fn tls_parts<T, U>(framed: Framed<T, U>, idle: impl Fn(&U) -> bool) -> Result<T, TlsUpgradeError> {
    let parts = framed.into_parts();
    if !parts.read_buf.is_empty() {
        return Err(TlsUpgradeError::Unread(parts.read_buf.len()));
    }
    if !parts.write_buf.is_empty() {
        return Err(TlsUpgradeError::Unsent(parts.write_buf.len()));
    }
    if !idle(&parts.codec) {
        return Err(TlsUpgradeError::Busy);
    }
    Ok(parts.io)
}

/// `len` bytes at `start` of `raw`, sharing its memory (empty if out of
/// range, which the callers' arithmetic rules out).
fn sub(raw: &Bytes, start: usize, len: usize) -> Bytes {
    match start.checked_add(len) {
        Some(end) if end <= raw.len() => raw.slice(start..end),
        _ => Bytes::new(),
    }
}

// ---------------------------------------------------------------------------
// Server side
// ---------------------------------------------------------------------------

/// Options of a [`ServerCodec`]. `Default` is strict with
/// [`Limits::default`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ServerCodecOptions {
    /// Line and SASL limits.
    pub limits: Limits,
    /// How strictly commands are parsed.
    pub commands: CommandOptions,
    /// Accept a LF alone as the end of a command line. Only for scripted
    /// clients and test tools that send bare LF (`nc` without `-C`); RFC
    /// 1939 section 3 requires CRLF.
    pub allow_bare_lf: bool,
    /// Treatment of bare CR and LF in the message bodies this codec
    /// stuffs. Strict by default (a chunk with one is refused); a server
    /// whose store keeps messages with LF line ends should convert them to
    /// CRLF, which RFC 1939 section 3 requires, rather than relax this.
    pub body: DotOptions,
}

impl Default for ServerCodecOptions {
    fn default() -> Self {
        ServerCodecOptions::from_limits(Limits::default())
    }
}

impl ServerCodecOptions {
    /// Strict options with these limits.
    #[must_use]
    pub fn from_limits(limits: Limits) -> Self {
        ServerCodecOptions {
            limits,
            commands: CommandOptions::from_limits(&limits),
            allow_bare_lf: false,
            body: DotOptions::default(),
        }
    }
}

/// One unit read by [`ServerCodec`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerFrame {
    /// A command line, or why it could not be parsed (answer `-ERR`). A bad
    /// command is an item, not a stream error: the stream is still in step
    /// after it.
    Command(Result<Command<'static>, CommandError>),
    /// A line that was too long (`max_command_len`, or for `AUTH` lines and
    /// SASL responses `max_encoded_len + 64`) or had a bare CR or LF. It
    /// has been skipped; answer `-ERR`. During a SASL exchange (after
    /// [`ServerCodec::expect_sasl_response`]) it ends the exchange: answer
    /// `-ERR` and read commands again.
    BadLine(LineError),
    /// The line after a `+ ` challenge, without its CRLF, as sent: base64
    /// or `*` to cancel (RFC 5034 section 4). Decode it with
    /// [`mail_wire::sasl::decode_response`], which enforces the SASL limits.
    SaslResponse(Bytes),
}

/// What [`ServerCodec`] writes.
///
/// The codec follows the shape of the answer and refuses (with
/// [`CodecError::Sequence`], writing nothing) any item that would not fit
/// where it comes:
///
/// ```text
/// idle  --Status / Continue-----------------------------> idle
/// idle  --BlockStart(+OK)--> block --Capability/Scan/Uid/Line--> block --End--> idle
/// idle  --BodyStart(+OK)---> body  --BodyChunk---------> body  --BodyEnd--> idle
/// ```
///
/// `BlockStart` and `BodyStart` need a `+OK` line (a `-ERR` has no block,
/// RFC 1939 section 3). Block lines are dot-stuffed and bodies are stuffed
/// by [`DotEncoder`], so no content can end a block early; the values are
/// validated types, so no item can carry a CR or LF of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerItem<'a> {
    /// A single-line answer, or the greeting. Also ends a SASL exchange.
    Status(StatusLine<'a>),
    /// A SASL challenge, `+ base64` (RFC 5034 section 4). The codec then
    /// reads the next client line as a [`ServerFrame::SaslResponse`].
    Continue(Base64<'a>),
    /// The `+OK` line that opens a multi-line block (`CAPA`, `LIST`,
    /// `UIDL`, bare `AUTH`, `LANG`).
    BlockStart(StatusLine<'a>),
    /// A capability line of a `CAPA` block (RFC 2449 section 5).
    Capability(Capability<'a>),
    /// A scan listing line of a `LIST` block (RFC 1939 section 5).
    Scan(ScanListing),
    /// A unique-id listing line of a `UIDL` block (RFC 1939 section 7).
    Uid(UidListing<'a>),
    /// Any other line of a block (a mechanism of a bare `AUTH` answer, a
    /// language of `LANG`), dot-stuffed when it starts with `.`.
    Line(Text<'a>),
    /// The terminating `.` line of a block.
    End,
    /// The `+OK` line before a message (`RETR`, `TOP`); the body follows as
    /// [`ServerItem::BodyChunk`]s.
    BodyStart(StatusLine<'a>),
    /// A piece of the message, split anywhere (even between CR and LF):
    /// dot-stuffed on the way out.
    BodyChunk(&'a [u8]),
    /// The end of the message: CRLF if it did not end with one (RFC 1939
    /// section 3), then `.` CRLF.
    BodyEnd,
}

impl<'a> From<StatusLine<'a>> for ServerItem<'a> {
    fn from(s: StatusLine<'a>) -> Self {
        ServerItem::Status(s)
    }
}

impl ServerItem<'_> {
    fn name(&self) -> &'static str {
        match self {
            ServerItem::Status(_) => "a status line",
            ServerItem::Continue(_) => "a SASL challenge",
            ServerItem::BlockStart(_) => "the start of a block",
            ServerItem::Capability(_)
            | ServerItem::Scan(_)
            | ServerItem::Uid(_)
            | ServerItem::Line(_) => "a block line",
            ServerItem::End => "the end of a block",
            ServerItem::BodyStart(_) => "the start of a message",
            ServerItem::BodyChunk(_) => "a message chunk",
            ServerItem::BodyEnd => "the end of a message",
        }
    }
}

/// Where the server's output is.
#[derive(Debug)]
enum Out {
    Idle,
    Block,
    Body(DotEncoder),
}

/// Server-side codec: decodes commands (and SASL responses), encodes
/// answers.
#[derive(Debug)]
pub struct ServerCodec {
    options: ServerCodecOptions,
    framer: LineFramer,
    sasl_next: bool,
    out: Out,
}

impl Default for ServerCodec {
    fn default() -> Self {
        Self::new()
    }
}

impl ServerCodec {
    /// Strict defaults and [`Limits::default`].
    #[must_use]
    pub fn new() -> Self {
        Self::with_options(ServerCodecOptions::default())
    }

    /// A codec with these options.
    #[must_use]
    pub fn with_options(options: ServerCodecOptions) -> Self {
        let limits = &options.limits;
        // AUTH lines and SASL responses may be longer than other commands;
        // the limit of other commands is checked once a line is framed.
        let max = limits.max_framed_line_len();
        ServerCodec {
            framer: LineFramer::new(LineOptions {
                max_line_len: max,
                allow_bare_lf: options.allow_bare_lf,
                allow_bare_cr: false,
            }),
            options,
            sasl_next: false,
            out: Out::Idle,
        }
    }

    /// The options in force.
    #[must_use]
    pub fn options(&self) -> &ServerCodecOptions {
        &self.options
    }

    /// Reads the next line as a [`ServerFrame::SaslResponse`] instead of a
    /// command. Encoding a [`ServerItem::Continue`] does this already; call
    /// it only when the challenge was written some other way.
    pub fn expect_sasl_response(&mut self) {
        self.sasl_next = true;
    }

    /// Whether nothing is open: no block or body being written and no SASL
    /// response expected.
    #[must_use]
    pub fn is_idle(&self) -> bool {
        matches!(self.out, Out::Idle) && !self.sasl_next
    }

    /// Takes the transport out of `framed` to start TLS after answering
    /// `STLS` with `+OK` (RFC 2595 section 4), refusing when client bytes
    /// are still buffered (they came in plaintext: a command injection),
    /// when the `+OK` was not flushed, or when the codec is not idle. Build
    /// a new `Framed` with a new codec on the TLS stream. See the [module
    /// docs](self#stls).
    pub fn into_tls_io<T>(framed: Framed<T, ServerCodec>) -> Result<T, TlsUpgradeError> {
        tls_parts(framed, ServerCodec::is_idle)
    }

    fn refuse(item: &ServerItem<'_>, reason: &'static str) -> CodecError {
        CodecError::Sequence {
            item: item.name(),
            reason,
        }
    }
}

impl Decoder for ServerCodec {
    type Item = ServerFrame;
    type Error = CodecError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<ServerFrame>, CodecError> {
        loop {
            match self.framer.poll(src) {
                Ok(Line::Incomplete) => return Ok(None),
                Ok(Line::Skip(n)) => src.advance(n.min(src.len())),
                Err(e) => {
                    src.advance(e.consumed.min(src.len()));
                    self.sasl_next = false;
                    return Ok(Some(ServerFrame::BadLine(e)));
                }
                Ok(Line::Line(line)) => {
                    let consumed = line.consumed.min(src.len());
                    let raw = src.split_to(consumed).freeze();
                    let content = if line.len <= raw.len() {
                        raw.slice(..line.len)
                    } else {
                        raw.clone()
                    };
                    if self.sasl_next {
                        self.sasl_next = false;
                        return Ok(Some(ServerFrame::SaslResponse(content)));
                    }
                    let max = self.options.limits.command_line_limit(&content);
                    if consumed > max {
                        return Ok(Some(ServerFrame::BadLine(LineError {
                            kind: LineErrorKind::TooLong {
                                max,
                                len: consumed as u64,
                            },
                            consumed,
                        })));
                    }
                    let cmd = Command::parse_with(&content, &self.options.commands)
                        .map(Command::into_owned);
                    return Ok(Some(ServerFrame::Command(cmd)));
                }
            }
        }
    }
}

impl<'a> Encoder<ServerItem<'a>> for ServerCodec {
    type Error = CodecError;

    fn encode(&mut self, item: ServerItem<'a>, dst: &mut BytesMut) -> Result<(), CodecError> {
        const NOT_IDLE: &str = "while a block or message is open";
        const NO_BLOCK: &str = "outside a multi-line block";
        const NO_BODY: &str = "outside a message body";
        const NEED_OK: &str = "after -ERR (only +OK opens a block)";
        match (&mut self.out, &item) {
            (Out::Idle, ServerItem::Status(s)) => {
                s.encode(dst);
                self.sasl_next = false;
            }
            (Out::Idle, ServerItem::Continue(c)) => {
                // `+ base64` CRLF (RFC 5034 section 4); `Base64` holds only
                // base64 characters.
                dst.put_slice(b"+ ");
                dst.put_slice(c.as_str().as_bytes());
                dst.put_slice(b"\r\n");
                self.sasl_next = true;
            }
            (Out::Idle, ServerItem::BlockStart(s) | ServerItem::BodyStart(s)) => {
                if s.status != Status::Ok {
                    return Err(Self::refuse(&item, NEED_OK));
                }
                s.encode(dst);
                self.sasl_next = false;
                self.out = if matches!(item, ServerItem::BlockStart(_)) {
                    Out::Block
                } else {
                    Out::Body(DotEncoder::new(self.options.body))
                };
            }
            // `Capability::encode` stuffs a hand-built tag that starts
            // with `.`, so the block cannot end early.
            (Out::Block, ServerItem::Capability(c)) => c.encode(dst),
            // Both start with a message number: never a dot.
            (Out::Block, ServerItem::Scan(s)) => s.encode(dst),
            (Out::Block, ServerItem::Uid(u)) => u.encode(dst),
            (Out::Block, ServerItem::Line(t)) => encode_multiline_line(t, dst),
            (Out::Block, ServerItem::End) => {
                encode_end(dst);
                self.out = Out::Idle;
            }
            (Out::Body(enc), ServerItem::BodyChunk(chunk)) => enc.encode(chunk, dst)?,
            (Out::Body(enc), ServerItem::BodyEnd) => {
                // `finish` consumes the encoder; keep a copy in place so a
                // refused end (a held bare CR) leaves the body open.
                enc.clone().finish(dst)?;
                self.out = Out::Idle;
            }
            (Out::Idle, _) => {
                let reason = if matches!(item, ServerItem::BodyChunk(_) | ServerItem::BodyEnd) {
                    NO_BODY
                } else {
                    NO_BLOCK
                };
                return Err(Self::refuse(&item, reason));
            }
            (Out::Block, ServerItem::BodyChunk(_) | ServerItem::BodyEnd) => {
                return Err(Self::refuse(&item, NO_BODY));
            }
            (Out::Body(_), ServerItem::Capability(_) | ServerItem::Scan(_))
            | (Out::Body(_), ServerItem::Uid(_) | ServerItem::Line(_) | ServerItem::End) => {
                return Err(Self::refuse(&item, NO_BLOCK));
            }
            (Out::Block | Out::Body(_), _) => return Err(Self::refuse(&item, NOT_IDLE)),
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Client side
// ---------------------------------------------------------------------------

/// Options of a [`ClientCodec`]. `Default` is strict with
/// [`Limits::default`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ClientCodecOptions {
    /// Line, capability-count, command and SASL limits.
    pub limits: Limits,
    /// How strictly response lines are parsed.
    pub responses: ResponseOptions,
    /// Treatment of bare CR and LF in message bodies. Strict by default:
    /// each is reported as [`ClientFrame::BadBody`] and the body goes on.
    pub body: DotOptions,
}

/// One unit read by [`ClientCodec`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientFrame {
    /// A `+OK` or `-ERR` line. After `+OK` to a command whose answer is a
    /// block or a message, the lines or the body follow; `-ERR` has none.
    Status(StatusLine<'static>),
    /// A SASL challenge, `+ base64`, during `AUTH` (RFC 5034 section 4):
    /// answer with [`ClientItem::SaslResponse`] or [`ClientItem::SaslCancel`].
    Continue(Base64<'static>),
    /// One line of a multi-line block, dot-unstuffed, without its CRLF
    /// (parse it with [`Capability::parse`], [`ScanListing::parse`] or
    /// [`UidListing::parse`]). Shares the read buffer's memory.
    Line(Bytes),
    /// A line of a block with a bare CR or LF: skipped, the block goes on.
    BadLine(LineError),
    /// The terminating `.` of a block.
    End,
    /// A piece of a message (`RETR`, `TOP`), dot-unstuffed: the message is
    /// the concatenation of the pieces. Pieces share the read buffer's
    /// memory; a removed stuffing dot splits a piece in two.
    BodyChunk(Bytes),
    /// A bare CR or LF in the message (the bytes were still delivered); the
    /// body goes on to its real end, `<CRLF>.<CRLF>`.
    BadBody(DotError),
    /// The end of the message.
    BodyEnd,
}

/// What [`ClientCodec`] writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientItem<'a> {
    /// A command; the kind of its answer ([`Command::response_kind`]) is
    /// queued.
    Command(Command<'a>),
    /// A command whose answer is of the given kind, for extension verbs
    /// ([`Command::Unknown`]) whose answer is a block.
    CommandExpecting(Command<'a>, ResponseKind),
    /// The answer to a SASL challenge (empty: an empty response). Only
    /// after a [`ClientFrame::Continue`].
    SaslResponse(Base64<'a>),
    /// `*`: cancels the SASL exchange. Only after a
    /// [`ClientFrame::Continue`].
    SaslCancel,
}

impl<'a> From<Command<'a>> for ClientItem<'a> {
    fn from(c: Command<'a>) -> Self {
        ClientItem::Command(c)
    }
}

#[derive(Debug, Clone, Copy)]
struct Expect {
    kind: ResponseKind,
    max_lines: Option<usize>,
}

#[derive(Debug)]
enum Read {
    /// Waiting for the status line of the front expectation.
    Status,
    /// Inside a block.
    Lines,
    /// Inside a message.
    Body(DotDecoder),
    /// The stream is lost.
    Failed(ResponseError),
}

/// Where a piece of an unstuffed body lies.
#[derive(Debug)]
enum Piece {
    /// `len` bytes at `start` of the input.
    At(usize, usize),
    /// Bytes held over from an earlier chunk.
    Held(Bytes),
}

/// Client-side codec: decodes responses, blocks and bodies, encodes
/// commands and SASL responses.
#[derive(Debug)]
pub struct ClientCodec {
    options: ClientCodecOptions,
    framer: LineFramer,
    lines: MultiLineReader,
    expected: VecDeque<Expect>,
    read: Read,
    ready: VecDeque<ClientFrame>,
    pieces: Vec<Piece>,
    sasl_challenged: bool,
}

impl Default for ClientCodec {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientCodec {
    /// Strict defaults; the first response read is the greeting.
    #[must_use]
    pub fn new() -> Self {
        Self::with_options(ClientCodecOptions::default())
    }

    /// A codec with these options; the first response read is the greeting.
    #[must_use]
    pub fn with_options(options: ClientCodecOptions) -> Self {
        let mut c = Self::after_stls(options);
        c.expect(ResponseKind::SingleLine);
        c
    }

    /// A codec that expects nothing yet: for the TLS stream after `STLS`,
    /// where no new greeting comes (RFC 2595 section 4; send `CAPA` again,
    /// the capabilities may have changed).
    #[must_use]
    pub fn after_stls(options: ClientCodecOptions) -> Self {
        let limits = &options.limits;
        ClientCodec {
            framer: LineFramer::new(LineOptions::with_max_line_len(limits.max_response_len)),
            lines: MultiLineReader::new(limits),
            options,
            expected: VecDeque::new(),
            read: Read::Status,
            ready: VecDeque::new(),
            pieces: Vec::new(),
            sasl_challenged: false,
        }
    }

    /// The options in force.
    #[must_use]
    pub fn options(&self) -> &ClientCodecOptions {
        &self.options
    }

    /// Queues the kind of the next response not yet queued. Encoding a
    /// command through this codec does this already; call it only for
    /// commands written some other way.
    pub fn expect(&mut self, kind: ResponseKind) {
        self.expected.push_back(Expect {
            kind,
            max_lines: None,
        });
    }

    /// Responses queued and not fully read (the one being read included).
    #[must_use]
    pub fn pending(&self) -> usize {
        self.expected.len()
            + usize::from(
                matches!(self.read, Read::Lines | Read::Body(_)) || !self.ready.is_empty(),
            )
    }

    /// Whether no response is expected or being read.
    #[must_use]
    pub fn is_idle(&self) -> bool {
        self.pending() == 0 && matches!(self.read, Read::Status)
    }

    /// Takes the transport out of `framed` to start TLS after `STLS` got
    /// `+OK` (RFC 2595 section 4), refusing when server bytes are still
    /// buffered (they came in plaintext after `+OK`: a response injection),
    /// when something is unsent, or when responses are still expected (a
    /// command was pipelined after `STLS`). Build a new `Framed` with
    /// [`ClientCodec::after_stls`] on the TLS stream. See the [module
    /// docs](self#stls).
    pub fn into_tls_io<T>(framed: Framed<T, ClientCodec>) -> Result<T, TlsUpgradeError> {
        tls_parts(framed, ClientCodec::is_idle)
    }

    fn fail(&mut self, e: ResponseError) -> CodecError {
        self.read = Read::Failed(e.clone());
        CodecError::Response(e)
    }

    fn push(&mut self, cmd: &Command<'_>, kind: ResponseKind) {
        let max_lines = matches!(cmd, Command::Capa | Command::AuthList | Command::Lang(None))
            .then_some(self.options.limits.max_capabilities);
        self.expected.push_back(Expect { kind, max_lines });
    }

    fn encode_command(
        &mut self,
        cmd: &Command<'_>,
        kind: ResponseKind,
        dst: &mut BytesMut,
    ) -> Result<(), CodecError> {
        if self.sasl_challenged {
            return Err(CodecError::Sequence {
                item: "a command",
                reason: "while the server waits for a SASL response (it would read it as one)",
            });
        }
        let max = self.options.limits.max_command_len;
        if cmd.encoded_len() > max {
            return Err(LimitError::new("max_command_len", max as u64).into());
        }
        cmd.encode(dst);
        self.push(cmd, kind);
        Ok(())
    }

    fn decode_status(&mut self, src: &mut BytesMut) -> Result<Option<ClientFrame>, CodecError> {
        let Some(&expect) = self.expected.front() else {
            if src.is_empty() {
                return Ok(None);
            }
            return Err(CodecError::Unsolicited { len: src.len() });
        };
        let line = match self.framer.poll(src) {
            Ok(Line::Incomplete) => return Ok(None),
            Ok(Line::Line(line)) => line,
            Ok(Line::Skip(n)) => {
                let max = self.options.limits.max_response_len;
                return Err(self.fail(ResponseError::Line(LineError {
                    kind: LineErrorKind::TooLong { max, len: n as u64 },
                    consumed: 0,
                })));
            }
            Err(e) => return Err(self.fail(e.into())),
        };
        let opts = self.options.responses;
        let content = line.content(src);
        let parsed = if expect.kind == ResponseKind::Sasl {
            Response::parse_with(content, &opts).map(Response::into_owned)
        } else {
            StatusLine::parse_with(content, &opts).map(|s| Response::Status(s.into_owned()))
        };
        let response = match parsed {
            Ok(r) => r,
            Err(e) => return Err(self.fail(e)),
        };
        src.advance(line.consumed.min(src.len()));
        let status = match response {
            Response::Continue(c) => {
                self.sasl_challenged = true;
                return Ok(Some(ClientFrame::Continue(c)));
            }
            Response::Status(s) => s,
        };
        self.expected.pop_front();
        self.sasl_challenged = false;
        if status.is_ok() {
            match expect.kind {
                ResponseKind::MultiLine => {
                    self.lines.reset();
                    self.lines.set_max_lines(expect.max_lines);
                    self.read = Read::Lines;
                }
                ResponseKind::Body => {
                    self.read = Read::Body(DotDecoder::new(self.options.body));
                }
                ResponseKind::SingleLine | ResponseKind::Sasl => {}
            }
        }
        Ok(Some(ClientFrame::Status(status)))
    }

    fn decode_line(&mut self, src: &mut BytesMut) -> Result<Option<ClientFrame>, CodecError> {
        match self.lines.poll(src) {
            Ok(Progress::Incomplete) => Ok(None),
            Ok(Progress::Complete(MultiLine::End, n)) => {
                src.advance(n.min(src.len()));
                self.read = Read::Status;
                Ok(Some(ClientFrame::End))
            }
            Ok(Progress::Complete(MultiLine::Line(content), n)) => {
                let len = content.len();
                let start = usize::from(src.first() == Some(&b'.'));
                let raw = src.split_to(n.min(src.len())).freeze();
                let line = sub(&raw, start, len);
                Ok(Some(ClientFrame::Line(line)))
            }
            Err(e) if self.lines.has_failed() => Err(self.fail(e)),
            Err(ResponseError::Line(e)) => {
                src.advance(e.consumed.min(src.len()));
                Ok(Some(ClientFrame::BadLine(e)))
            }
            Err(e) => Err(self.fail(e)),
        }
    }

    /// Unstuffs what `src` holds of a message, queueing the pieces (shared
    /// with the buffer) and what happened.
    fn decode_body(&mut self, src: &mut BytesMut) {
        let Read::Body(dec) = &mut self.read else {
            return;
        };
        let pieces = &mut self.pieces;
        pieces.clear();
        let base = src.as_ptr() as usize;
        let end = base + src.len();
        let result = dec.decode_with(src, |p| {
            let at = p.as_ptr() as usize;
            if at >= base && at + p.len() <= end {
                pieces.push(Piece::At(at - base, p.len()));
            } else {
                pieces.push(Piece::Held(Bytes::copy_from_slice(p)));
            }
        });
        let (consumed, done, error) = match result {
            Ok(d) => (d.consumed, d.done, None),
            Err(e) => (e.consumed, false, Some(e)),
        };
        let raw = src.split_to(consumed.min(src.len())).freeze();
        for piece in self.pieces.drain(..) {
            let chunk = match piece {
                Piece::At(start, len) => sub(&raw, start, len),
                Piece::Held(b) => b,
            };
            self.ready.push_back(ClientFrame::BodyChunk(chunk));
        }
        if let Some(e) = error {
            self.ready.push_back(ClientFrame::BadBody(e));
        }
        if done {
            self.ready.push_back(ClientFrame::BodyEnd);
            self.read = Read::Status;
        }
    }
}

impl Decoder for ClientCodec {
    type Item = ClientFrame;
    type Error = CodecError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<ClientFrame>, CodecError> {
        loop {
            if let Some(frame) = self.ready.pop_front() {
                return Ok(Some(frame));
            }
            match &self.read {
                Read::Failed(e) => return Err(CodecError::Response(e.clone())),
                Read::Status => return self.decode_status(src),
                Read::Lines => return self.decode_line(src),
                Read::Body(_) => {
                    if src.is_empty() {
                        return Ok(None);
                    }
                    self.decode_body(src);
                }
            }
        }
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<ClientFrame>, CodecError> {
        if let Some(frame) = self.decode(src)? {
            return Ok(Some(frame));
        }
        let inside = match self.read {
            Read::Lines => Some("inside a multi-line block"),
            Read::Body(_) => Some("inside a message"),
            _ if !src.is_empty() => Some("inside a response line"),
            _ => None,
        };
        match inside {
            None => Ok(None),
            Some(what) => Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                format!("connection closed {what}"),
            )
            .into()),
        }
    }
}

impl<'a> Encoder<ClientItem<'a>> for ClientCodec {
    type Error = CodecError;

    fn encode(&mut self, item: ClientItem<'a>, dst: &mut BytesMut) -> Result<(), CodecError> {
        match item {
            ClientItem::Command(cmd) => {
                let kind = cmd.response_kind();
                self.encode_command(&cmd, kind, dst)
            }
            ClientItem::CommandExpecting(cmd, kind) => self.encode_command(&cmd, kind, dst),
            ClientItem::SaslResponse(_) | ClientItem::SaslCancel if !self.sasl_challenged => {
                Err(CodecError::Sequence {
                    item: "a SASL response",
                    reason: "without a challenge (the server would read it as a command)",
                })
            }
            ClientItem::SaslResponse(b) => {
                let max = self.options.limits.sasl.max_encoded_len;
                if b.as_str().len() > max {
                    return Err(LimitError::new("max_encoded_len", max as u64).into());
                }
                dst.put_slice(b.as_str().as_bytes());
                dst.put_slice(b"\r\n");
                self.sasl_challenged = false;
                Ok(())
            }
            ClientItem::SaslCancel => {
                dst.put_slice(b"*\r\n");
                self.sasl_challenged = false;
                Ok(())
            }
        }
    }
}

impl<'a> Encoder<Command<'a>> for ClientCodec {
    type Error = CodecError;

    fn encode(&mut self, cmd: Command<'a>, dst: &mut BytesMut) -> Result<(), CodecError> {
        let kind = cmd.response_kind();
        self.encode_command(&cmd, kind, dst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_refuses_out_of_place_items() {
        let mut c = ServerCodec::new();
        let mut out = BytesMut::new();
        assert!(c.encode(ServerItem::End, &mut out).is_err());
        assert!(c.encode(ServerItem::BodyChunk(b"x"), &mut out).is_err());
        let err = StatusLine::err("no").unwrap();
        assert!(c.encode(ServerItem::BlockStart(err), &mut out).is_err());
        let ok = StatusLine::ok("msg").unwrap();
        c.encode(ServerItem::BodyStart(ok.clone()), &mut out)
            .unwrap();
        assert!(c.encode(ServerItem::Status(ok.clone()), &mut out).is_err());
        assert!(c.encode(ServerItem::End, &mut out).is_err());
        assert!(matches!(
            c.encode(ServerItem::BodyChunk(b"a\nb"), &mut out),
            Err(CodecError::Body(_))
        ));
        c.encode(ServerItem::BodyChunk(b"a\r"), &mut out).unwrap();
        // A held CR with no LF: the end is refused and the body stays open.
        assert!(c.encode(ServerItem::BodyEnd, &mut out).is_err());
        c.encode(ServerItem::BodyChunk(b"\n"), &mut out).unwrap();
        c.encode(ServerItem::BodyEnd, &mut out).unwrap();
        assert_eq!(&out[..], b"+OK msg\r\na\r\n.\r\n");
        assert!(c.is_idle());
    }

    #[test]
    fn dotted_capability_tag_is_stuffed() {
        let mut c = ServerCodec::new();
        let mut out = BytesMut::new();
        let ok = StatusLine::ok("").unwrap();
        c.encode(ServerItem::BlockStart(ok), &mut out).unwrap();
        let cap = Capability::Other {
            tag: crate::Arg::new(".").unwrap(),
            params: Text::empty(),
        };
        c.encode(ServerItem::Capability(cap), &mut out).unwrap();
        c.encode(ServerItem::End, &mut out).unwrap();
        assert_eq!(&out[..], b"+OK\r\n..\r\n.\r\n");
    }
}
