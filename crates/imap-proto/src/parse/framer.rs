//! The first parsing stage: split an IMAP byte stream into complete messages
//! (a command or a response with its literals), in linear total time however
//! the input is chunked, and stream literals too large to hold in memory.
//!
//! An IMAP message is one or more CRLF-terminated lines; a line that ends in
//! a literal header (`{n}`, `{n+}`, `~{n}`, `~{n+}`; RFC 9051 section 4.3,
//! RFC 7888, RFC 4466) is followed by exactly `n` octets of literal data,
//! which may hold anything (CR, LF, NUL for `~{n}`), and then by the rest of
//! the message, which may announce further literals. The message ends with the
//! first line that does not end in a literal header (RFC 9051 section 2.2,
//! section 9: `literal = "{" number64 ["+"] "}" CRLF *CHAR8`,
//! `literal8 = "~{" number64 "}" CRLF *OCTET`).
//!
//! The grammar then runs once per message over [`FrameEvent::Message`].
//!
//! Like every IMAP implementation, the framer takes any line ending in
//! `{digits}` as a literal header, even inside free text such as
//! `* OK [ALERT] see {5}`: so an encoder must never end a line's text with
//! what looks like one. The framer does not look inside literal data: that a
//! `{n}` literal holds no NUL (`CHAR8`) is for the grammar to check on
//! inline literals and for the consumer of [`FrameEvent::LiteralChunk`]s.
//!
//! # Why an owning framer
//!
//! [`Framer`] keeps the unread input in a [`BytesMut`] it owns
//! ([`Framer::feed`] appends, [`Framer::feed_owned`] adopts the caller's read
//! buffer without a copy) and hands out [`Bytes`]:
//!
//! - a streamed literal's chunks and every complete message are
//!   `split_to().freeze()` of that buffer: O(1), no copy, and the session can
//!   keep them (store an APPEND body) while the framer goes on. A borrowing
//!   `poll(&[u8]) -> consumed` API could only hand out chunks that die at the
//!   next call, so every session would copy them;
//! - the session never juggles byte counts: skipping a rejected literal,
//!   the rest of a rejected message and an over-long line all happen inside,
//!   so a bug in a session cannot make literal data be read as commands;
//! - the search for the end of a line resumes where the previous call
//!   stopped, and waiting for literal data is a length comparison, so total
//!   work is linear in the input however it is split.
//!
//! [`mail_wire::line::LineFramer`] is not reused: it forgets an over-long
//! line as it skips it, but IMAP must still see whether that line ended in a
//! literal header (whose data then has to be skipped too), and here lines and
//! literal data interleave inside one buffered message.
//!
//! # Events
//!
//! A message no larger than the limits comes out whole as
//! [`FrameEvent::Message`]: its lines with the literals inline, exactly as on
//! the wire. A literal larger than [`FramerLimits::stream_threshold`] is not
//! buffered: the message comes as [`FrameEvent::MessageStart`] (the text up
//! to and including the literal's `{n}\r\n`), [`FrameEvent::LiteralChunk`]s,
//! then, for each further streamed literal, [`FrameEvent::MessageContinue`]
//! and its chunks, and finally [`FrameEvent::MessageEnd`] with the text after
//! the last streamed literal (small literals stay inline in these parts).
//! Chunk boundaries follow the input; everything else is identical however
//! the input is split.
//!
//! # Synchronising literals (server side)
//!
//! A client that sends `{n}` waits for the server's `+` continuation request
//! before it sends the data (RFC 9051 section 7.6). So on [`Side::Server`] the
//! framer stops at such a header with [`FrameEvent::NeedContinuation`]: the
//! session either sends `+ ...` and calls [`Framer::accept_literal`], or
//! answers `tag NO`/`tag BAD` and calls [`Framer::reject_literal`]: the
//! client then does not send the data, and the framer expects a new command.
//! A non-synchronising literal (`{n+}`) is not asked about: its data follows
//! at once, so if the limits reject it the framer skips the data and the rest
//! of the command (RFC 7888 section 4, first choice) and reports the error
//! with the tag. Servers never send `{n+}` (RFC 9051 section 4.3); on
//! [`Side::Client`] it is an error and its data is skipped.
//!
//! # Errors and resynchronisation
//!
//! Every [`FrameError`] carries the tag recovered from the start of the
//! message when there is one, so a server can answer `tag BAD` and go on.
//! After an error the framer discards the rest of the message: through the
//! end of an over-long line, then any literal that line or a later line of
//! the message announced (a synchronising one on the server side ends the
//! message, since the client waits for a `+` that will not come). Literal
//! data is thus consumed, never read as commands. When that is impossible
//! (a literal size that overflows, or an over-long line whose trailing digit
//! run is too long to tell whether it announced a literal) the error says
//! [`FrameError::unrecoverable`] and the framer ignores all further input:
//! the session should close the connection.
//!
//! # Memory
//!
//! After [`Framer::next_event`] returns `None`, the framer holds at most
//! [`FramerLimits::max_message_len`] bytes (unless it is waiting for an
//! [`Framer::accept_literal`] decision, when it keeps what the peer sent
//! early). A streamed literal is never held beyond the input chunk it came in.
//!
//! ```
//! use imap_proto::parse::framer::{FrameEvent, Framer, FramerLimits, Side};
//!
//! let mut framer = Framer::new(FramerLimits::server(), Side::Server);
//! framer.feed(b"a1 LOGIN {4}\r\n");
//! let Some(Ok(FrameEvent::NeedContinuation { literal, tag })) = framer.next_event() else {
//!     panic!()
//! };
//! assert_eq!((literal.size, tag.as_deref()), (4, Some(&b"a1"[..])));
//! // The session writes "+ Ready\r\n" to the client, then:
//! framer.accept_literal().unwrap();
//! framer.feed(b"fred {6+}\r\nfoobar\r\na2 NOOP\r\n");
//! let Some(Ok(FrameEvent::Message(m))) = framer.next_event() else { panic!() };
//! assert_eq!(&m[..], b"a1 LOGIN {4}\r\nfred {6+}\r\nfoobar\r\n");
//! let Some(Ok(FrameEvent::Message(m))) = framer.next_event() else { panic!() };
//! assert_eq!(&m[..], b"a2 NOOP\r\n");
//! assert!(framer.next_event().is_none());
//! ```

//!
//! A client reading a large `BODY[]`:
//!
//! ```
//! use imap_proto::parse::framer::{FrameEvent, Framer, FramerLimits, Side};
//!
//! let limits = FramerLimits { stream_threshold: 4, ..FramerLimits::client() };
//! let mut framer = Framer::new(limits, Side::Client);
//! framer.feed(b"* 1 FETCH (BODY[] {10}\r\n0123");
//! let Some(Ok(FrameEvent::MessageStart { head, literal })) = framer.next_event() else {
//!     panic!()
//! };
//! assert_eq!((&head[..], literal.size), (&b"* 1 FETCH (BODY[] {10}\r\n"[..], 10));
//! let mut body = Vec::new();
//! let mut rest = None;
//! for input in [&b""[..], b"456", b"789)\r\n"] {
//!     framer.feed(input);
//!     while let Some(event) = framer.next_event() {
//!         match event.unwrap() {
//!             FrameEvent::LiteralChunk(chunk) => body.extend_from_slice(&chunk),
//!             FrameEvent::MessageEnd(tail) => rest = Some(tail),
//!             other => panic!("{other:?}"),
//!         }
//!     }
//! }
//! assert_eq!(body, b"0123456789");
//! assert_eq!(rest.as_deref(), Some(&b")\r\n"[..]));
//! ```

use bytes::{Buf, Bytes, BytesMut};
use mail_wire::{LimitError, SyntaxError};

/// Largest literal size the grammar allows: `number64` is an unsigned
/// 63-bit integer (RFC 9051 section 9).
pub const MAX_NUMBER64: u64 = i64::MAX as u64;

/// How many leading bytes of a message are searched for its tag.
const TAG_WINDOW: usize = 64;

/// How many trailing bytes of a skipped line are kept to see whether it
/// announced a literal: `~{`, 20 digits, `+}` and CR fit.
const TAIL_WINDOW: usize = 32;

/// Which end of the connection the framer's owner is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// We are the server: the framer reads commands from a client, whose
    /// synchronising literals wait for our continuation request.
    Server,
    /// We are the client: the framer reads responses from a server, whose
    /// literal data always follows its header at once.
    Client,
}

/// Limits of a [`Framer`]. Every limit is enforced the same way however the
/// input is split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FramerLimits {
    /// Longest line, counting its CRLF. In a message with literals, each
    /// line (the text before, between and after literals, with the literal
    /// headers) is a line.
    pub max_line_len: usize,
    /// Most bytes of one message held in memory: its lines and inline
    /// literals. Streamed literals do not count, and after a
    /// [`FrameEvent::MessageStart`] the count restarts for each part.
    /// Should be at least `max_line_len` plus `stream_threshold`.
    pub max_message_len: usize,
    /// Largest literal accepted, streamed or not.
    pub max_literal_len: u64,
    /// Largest non-synchronising literal (`{n+}`) accepted from a client.
    /// IMAP4rev2 and LITERAL- allow 4096 octets (RFC 9051 section 4.3,
    /// RFC 7888 section 5); a server that advertises LITERAL+ sets this to
    /// `max_literal_len`. Unused on [`Side::Client`].
    pub max_nonsync_literal_len: u64,
    /// Literals larger than this are streamed as [`FrameEvent::LiteralChunk`]s
    /// instead of being buffered inside the message.
    pub stream_threshold: u64,
}

impl FramerLimits {
    /// Limits for a server reading commands: 64 KiB lines (RFC 7162
    /// section 4 asks servers to accept at least 8192 octets; long UID sets
    /// need more), 1 MiB buffered per message, literals up to 64 MiB
    /// (APPEND), non-synchronising literals up to 4096 octets, literals above
    /// 64 KiB streamed.
    #[must_use]
    pub const fn server() -> Self {
        FramerLimits {
            max_line_len: 64 * 1024,
            max_message_len: 1024 * 1024,
            max_literal_len: 64 * 1024 * 1024,
            max_nonsync_literal_len: 4096,
            stream_threshold: 64 * 1024,
        }
    }

    /// Limits for a client reading responses: 8 MiB lines (a SEARCH or
    /// FETCH FLAGS response over a large mailbox is one long line), 16 MiB
    /// buffered per message, literals up to 1 GiB, literals above 64 KiB
    /// streamed.
    #[must_use]
    pub const fn client() -> Self {
        FramerLimits {
            max_line_len: 8 * 1024 * 1024,
            max_message_len: 16 * 1024 * 1024,
            max_literal_len: 1024 * 1024 * 1024,
            max_nonsync_literal_len: 0,
            stream_threshold: 64 * 1024,
        }
    }

    /// The usual limits for `side`: [`FramerLimits::server`] or
    /// [`FramerLimits::client`].
    #[must_use]
    pub const fn for_side(side: Side) -> Self {
        match side {
            Side::Server => Self::server(),
            Side::Client => Self::client(),
        }
    }
}

impl Default for FramerLimits {
    /// [`FramerLimits::server`].
    fn default() -> Self {
        Self::server()
    }
}

/// A literal header found at the end of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LiteralHeader {
    /// The announced number of octets; `u64::MAX` when the digits overflow.
    pub size: u64,
    /// `{n}`: `true`; non-synchronising `{n+}` (RFC 7888): `false`.
    pub synchronizing: bool,
    /// `~{n}`: a `literal8` whose data may hold NUL (RFC 3516, RFC 9051).
    pub binary: bool,
}

/// What the framer found. See the [module docs](self) for the sequence.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FrameEvent {
    /// One complete message, CRLF-terminated, its literals inline as
    /// `{n}\r\n` and data.
    Message(Bytes),
    /// Server side: a line ended in a synchronising literal header. Send a
    /// continuation request and call [`Framer::accept_literal`], or answer
    /// the tag and call [`Framer::reject_literal`]. No further event comes
    /// until then. The message so far is [`Framer::pending_message`].
    NeedContinuation {
        /// The literal announced.
        literal: LiteralHeader,
        /// The tag of the command, when it has one.
        tag: Option<Bytes>,
    },
    /// The start of a message holding a streamed literal: its text up to and
    /// including that literal's header line.
    MessageStart {
        /// The message text so far, ending with `{n}\r\n`.
        head: Bytes,
        /// The literal whose data follows as chunks.
        literal: LiteralHeader,
    },
    /// Part of a streamed literal's data.
    LiteralChunk(Bytes),
    /// After a streamed literal, the text up to and including the header of
    /// the next streamed literal of the same message.
    MessageContinue {
        /// The text, ending with `{n}\r\n`.
        text: Bytes,
        /// The literal whose data follows as chunks.
        literal: LiteralHeader,
    },
    /// The rest of a message after its last streamed literal, CRLF included.
    MessageEnd(Bytes),
}

/// What was wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FrameErrorKind {
    /// A line exceeded [`FramerLimits::max_line_len`].
    LineTooLong(LimitError),
    /// The buffered message exceeded [`FramerLimits::max_message_len`].
    MessageTooLong(LimitError),
    /// A literal was announced larger than `limit` allows (or larger than
    /// [`MAX_NUMBER64`]).
    LiteralTooLarge {
        /// The announced size (`u64::MAX` when it overflowed).
        size: u64,
        /// The limit that refused it.
        limit: LimitError,
    },
    /// A line ended in a bare LF, or a server sent a non-synchronising
    /// literal. The offset counts from the start of the message.
    Syntax(SyntaxError),
    /// While skipping a rejected message, the framer could not tell where it
    /// ends. Always [`FrameError::unrecoverable`].
    Desynchronized,
}

impl core::fmt::Display for FrameErrorKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            FrameErrorKind::LineTooLong(e) | FrameErrorKind::MessageTooLong(e) => e.fmt(f),
            FrameErrorKind::LiteralTooLarge { size, limit } => {
                write!(f, "literal of {size} octets refused: {limit}")
            }
            FrameErrorKind::Syntax(e) => e.fmt(f),
            FrameErrorKind::Desynchronized => {
                f.write_str("cannot find the end of a rejected message")
            }
        }
    }
}

/// A message the framer refused. The rest of the message is skipped (see
/// the [module docs](self)), unless [`FrameError::unrecoverable`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{kind}")]
pub struct FrameError {
    /// What was wrong.
    pub kind: FrameErrorKind,
    /// The tag at the start of the message, for a `tag BAD` answer.
    pub tag: Option<Bytes>,
    /// The stream cannot be resynchronised: the framer ignores all further
    /// input and the connection should be closed.
    pub unrecoverable: bool,
}

/// A [`Framer`] method was called in a state where it means nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum FramerStateError {
    /// No synchronising literal is waiting for a decision.
    #[error("no literal is waiting for a continuation decision")]
    NoPendingLiteral,
    /// No streamed message is in progress.
    #[error("no message is being streamed")]
    NotStreaming,
}

/// The last bytes of a line being skipped.
#[derive(Debug, Clone, Copy)]
struct Tail {
    bytes: [u8; TAIL_WINDOW],
    len: usize,
    /// Bytes were pushed out: the window does not start at the line start.
    cut: bool,
}

impl Tail {
    const EMPTY: Tail = Tail {
        bytes: [0; TAIL_WINDOW],
        len: 0,
        cut: false,
    };

    fn push(&mut self, data: &[u8]) {
        let keep = data.len().saturating_sub(TAIL_WINDOW);
        if keep > 0 {
            self.cut = true;
        }
        for &b in data.iter().skip(keep) {
            if self.len < TAIL_WINDOW {
                if let Some(slot) = self.bytes.get_mut(self.len) {
                    *slot = b;
                }
                self.len += 1;
            } else {
                self.bytes.rotate_left(1);
                if let Some(slot) = self.bytes.last_mut() {
                    *slot = b;
                }
                self.cut = true;
            }
        }
    }

    fn content(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }
}

/// What the end of a line says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// No literal follows.
    Plain,
    /// A literal follows.
    Literal(LiteralHeader),
    /// The line was cut before the end of its digit run: cannot tell.
    Unknown,
}

/// Reads a literal header at the end of `content` (a line without its line
/// ending). `whole` says whether `content` starts at the line start.
fn line_ending(content: &[u8], whole: bool) -> Ending {
    let unknown = if whole {
        Ending::Plain
    } else {
        Ending::Unknown
    };
    let Some((&b'}', rest)) = content.split_last() else {
        return Ending::Plain;
    };
    let (synchronizing, rest) = match rest.split_last() {
        Some((&b'+', r)) => (false, r),
        Some(_) => (true, rest),
        None => return unknown,
    };
    let digits = rest.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return if rest.is_empty() {
            unknown
        } else {
            Ending::Plain
        };
    }
    let Some((before, number)) = rest.split_at_checked(rest.len() - digits) else {
        return Ending::Plain;
    };
    match before.split_last() {
        Some((&b'{', before)) => {
            let size = number
                .iter()
                .try_fold(0u64, |n, &d| {
                    n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
                })
                .unwrap_or(u64::MAX);
            Ending::Literal(LiteralHeader {
                size,
                synchronizing,
                binary: before.last() == Some(&b'~'),
            })
        }
        Some(_) => Ending::Plain,
        None => unknown,
    }
}

/// `tag = 1*<any ASTRING-CHAR except "+">` (RFC 9051 section 9).
fn is_tag_char(b: u8) -> bool {
    b > b' ' && b < 0x7f && !matches!(b, b'(' | b')' | b'{' | b'%' | b'*' | b'"' | b'\\' | b'+')
}

/// The length of the tag at the start of `msg` (a message or its buffered
/// start): the bytes before the first SP, CR or LF. Only the first
/// `window + 1` bytes are looked at, so the answer does not depend on how
/// much of an over-long line has arrived.
fn tag_span(msg: &[u8], window: usize) -> Option<usize> {
    let head = msg
        .get(..msg.len().min(window.saturating_add(1)))
        .unwrap_or(msg);
    let end = head
        .iter()
        .position(|&b| matches!(b, b' ' | b'\r' | b'\n'))?;
    let tag = msg.get(..end)?;
    (end > 0 && tag.iter().all(|&b| is_tag_char(b))).then_some(end)
}

#[derive(Debug, Clone, Copy)]
enum State {
    /// Framing the line that starts at `line_start`.
    Line,
    /// Waiting until the buffer holds an inline literal's data, up to `end`.
    Inline { end: usize },
    /// Handing out a streamed literal's data.
    Stream { remaining: u64 },
    /// Server side: waiting for [`Framer::accept_literal`] or
    /// [`Framer::reject_literal`]; the header line ends at `header_end`.
    Decide {
        header_end: usize,
        literal: LiteralHeader,
    },
    /// The literal was accepted: start reading its data.
    Accepted {
        header_end: usize,
        literal: LiteralHeader,
    },
    /// Skipping a rejected message: `skip` literal bytes, then lines.
    Discard { skip: u64, tail: Tail },
    /// The stream cannot be resynchronised.
    Poisoned,
}

/// What one step of the line state produced.
enum Step {
    Event(Result<FrameEvent, FrameError>),
    Continue,
    NeedMore,
}

/// Incremental IMAP message framer. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct Framer {
    limits: FramerLimits,
    side: Side,
    /// Unread input; starts with the current message's bytes not yet handed
    /// out.
    buf: BytesMut,
    state: State,
    /// Start of the current line within `buf`.
    line_start: usize,
    /// Where the search for the current line's LF resumes.
    scan: usize,
    /// A [`FrameEvent::MessageStart`] was sent for the current message.
    streamed: bool,
    /// The current message's tag, kept when its start was handed out.
    saved_tag: Option<Bytes>,
    /// Bytes of the current message already handed out.
    msg_offset: usize,
}

impl Framer {
    /// A framer for `side` with these limits.
    #[must_use]
    pub fn new(limits: FramerLimits, side: Side) -> Self {
        Framer {
            limits,
            side,
            buf: BytesMut::new(),
            state: State::Line,
            line_start: 0,
            scan: 0,
            streamed: false,
            saved_tag: None,
            msg_offset: 0,
        }
    }

    /// The limits in force.
    #[must_use]
    pub fn limits(&self) -> &FramerLimits {
        &self.limits
    }

    /// Which side this framer reads for.
    #[must_use]
    pub fn side(&self) -> Side {
        self.side
    }

    /// Appends bytes received from the peer. Call [`Framer::next_event`]
    /// until it returns `None` before feeding more, so that memory stays
    /// bounded. Ignored once the framer is unrecoverable.
    pub fn feed(&mut self, data: &[u8]) {
        if !matches!(self.state, State::Poisoned) {
            self.buf.extend_from_slice(data);
        }
    }

    /// Like [`Framer::feed`], but when nothing is buffered the framer adopts
    /// `data` itself, so that messages and literal chunks are slices of the
    /// caller's read buffer and are never copied. Read into a `BytesMut` and
    /// pass `read_buf.split()`.
    pub fn feed_owned(&mut self, data: BytesMut) {
        if matches!(self.state, State::Poisoned) {
            return;
        }
        if self.buf.is_empty() {
            self.buf = data;
        } else {
            self.buf.extend_from_slice(&data);
        }
    }

    /// Bytes currently held.
    #[must_use]
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// `true` once an [unrecoverable](FrameError::unrecoverable) error was
    /// reported: the framer ignores input until [`Framer::reset`].
    #[must_use]
    pub fn is_unrecoverable(&self) -> bool {
        matches!(self.state, State::Poisoned)
    }

    /// `true` between a [`FrameEvent::MessageStart`] and the end of that
    /// message.
    #[must_use]
    pub fn is_streaming(&self) -> bool {
        self.streamed
    }

    /// The literal waiting for [`Framer::accept_literal`] or
    /// [`Framer::reject_literal`], if any.
    #[must_use]
    pub fn pending_literal(&self) -> Option<LiteralHeader> {
        match self.state {
            State::Decide { literal, .. } => Some(literal),
            _ => None,
        }
    }

    /// While a literal waits for a decision: the message so far (since the
    /// last [`FrameEvent::MessageStart`] or [`FrameEvent::MessageContinue`]
    /// if it is streamed), ending with the literal's header line. Empty
    /// otherwise.
    #[must_use]
    pub fn pending_message(&self) -> &[u8] {
        match self.state {
            State::Decide { header_end, .. } => self.buf.get(..header_end).unwrap_or_default(),
            _ => &[],
        }
    }

    /// Server side, after [`FrameEvent::NeedContinuation`]: the session has
    /// sent a continuation request; the literal's data follows.
    pub fn accept_literal(&mut self) -> Result<(), FramerStateError> {
        match self.state {
            State::Decide {
                header_end,
                literal,
            } => {
                self.state = State::Accepted {
                    header_end,
                    literal,
                };
                Ok(())
            }
            _ => Err(FramerStateError::NoPendingLiteral),
        }
    }

    /// Server side, after [`FrameEvent::NeedContinuation`]: the session has
    /// answered the command with a tagged `NO` or `BAD`, so the client sends
    /// neither the data nor the rest of the command (RFC 9051 section 7.6).
    /// The message is dropped (if it was streamed, no
    /// [`FrameEvent::MessageEnd`] follows) and the next byte starts a new
    /// command.
    pub fn reject_literal(&mut self) -> Result<(), FramerStateError> {
        match self.state {
            State::Decide { header_end, .. } => {
                self.drop_front(header_end);
                self.new_message();
                Ok(())
            }
            _ => Err(FramerStateError::NoPendingLiteral),
        }
    }

    /// While a message is streamed (after [`FrameEvent::MessageStart`]):
    /// skip the rest of it, literal data included, without events; for
    /// example when an APPEND goes over quota. The session answers the tag
    /// itself, before any further synchronising literal of the message
    /// (which, on the server side, then ends it: the client waits for a
    /// continuation request that will not come).
    pub fn discard_message(&mut self) -> Result<(), FramerStateError> {
        match self.state {
            State::Decide { .. } => return self.reject_literal(),
            State::Accepted {
                header_end,
                literal,
            } => {
                self.drop_front(header_end);
                self.state = State::Discard {
                    skip: literal.size,
                    tail: Tail::EMPTY,
                };
                return Ok(());
            }
            _ if !self.streamed => return Err(FramerStateError::NotStreaming),
            State::Stream { remaining } => {
                self.state = State::Discard {
                    skip: remaining,
                    tail: Tail::EMPTY,
                };
            }
            State::Line => {
                self.drop_front(self.line_start);
                self.state = State::Discard {
                    skip: 0,
                    tail: Tail::EMPTY,
                };
            }
            State::Inline { end } => {
                let dropped = end.min(self.buf.len());
                self.drop_front(dropped);
                self.state = State::Discard {
                    skip: (end - dropped) as u64,
                    tail: Tail::EMPTY,
                };
            }
            State::Discard { .. } | State::Poisoned => {}
        }
        self.streamed = false;
        self.saved_tag = None;
        Ok(())
    }

    /// Forgets everything buffered and any state, as after a STARTTLS
    /// upgrade, and returns how many buffered bytes were dropped (plaintext
    /// that must not be processed after the upgrade).
    pub fn reset(&mut self) -> usize {
        let dropped = self.buf.len();
        *self = Framer::new(self.limits, self.side);
        dropped
    }

    /// The next event, or `None` when more input is needed (or a decision,
    /// see [`Framer::pending_literal`]).
    pub fn next_event(&mut self) -> Option<Result<FrameEvent, FrameError>> {
        loop {
            match self.state {
                State::Poisoned | State::Decide { .. } => return None,
                State::Accepted {
                    header_end,
                    literal,
                } => match self.begin_literal(literal, header_end) {
                    Step::Event(e) => return Some(e),
                    Step::NeedMore => return None,
                    Step::Continue => {}
                },
                State::Inline { end } => {
                    if self.buf.len() < end {
                        return None;
                    }
                    self.line_start = end;
                    self.scan = end;
                    self.state = State::Line;
                }
                State::Stream { remaining } => {
                    if self.buf.is_empty() {
                        return None;
                    }
                    let n = clamp(remaining, self.buf.len());
                    let chunk = self.take(n);
                    self.msg_offset = self.msg_offset.saturating_add(n);
                    let left = remaining - n as u64;
                    if left == 0 {
                        self.line_start = 0;
                        self.scan = 0;
                        self.state = State::Line;
                    } else {
                        self.state = State::Stream { remaining: left };
                    }
                    return Some(Ok(FrameEvent::LiteralChunk(chunk)));
                }
                State::Discard { skip, tail } => match self.discard_step(skip, tail) {
                    Step::Event(e) => return Some(e),
                    Step::NeedMore => return None,
                    Step::Continue => {}
                },
                State::Line => match self.line_step() {
                    Step::Event(e) => return Some(e),
                    Step::NeedMore => return None,
                    Step::Continue => {}
                },
            }
        }
    }

    fn line_step(&mut self) -> Step {
        let line_limit = self.line_start.saturating_add(self.limits.max_line_len);
        // Index of the first byte that would break a limit.
        let bad_at = line_limit.min(self.limits.max_message_len);
        let limit_kind = || {
            if line_limit <= self.limits.max_message_len {
                FrameErrorKind::LineTooLong(LimitError::new(
                    "max_line_len",
                    self.limits.max_line_len as u64,
                ))
            } else {
                FrameErrorKind::MessageTooLong(LimitError::new(
                    "max_message_len",
                    self.limits.max_message_len as u64,
                ))
            }
        };
        let from = self.scan.min(self.buf.len());
        let hay = self.buf.get(from..).unwrap_or_default();
        let Some(rel) = memchr::memchr(b'\n', hay) else {
            if self.buf.len() > bad_at {
                let kind = limit_kind();
                return Step::Event(Err(self.reject_line(kind)));
            }
            self.scan = self.buf.len();
            return Step::NeedMore;
        };
        let lf = from + rel;
        if lf >= bad_at {
            let kind = limit_kind();
            return Step::Event(Err(self.reject_line(kind)));
        }
        let crlf = lf > self.line_start && self.buf.get(lf - 1) == Some(&b'\r');
        if !crlf {
            let e = SyntaxError::at(&self.buf, lf, "CRLF").shifted(self.msg_offset);
            return Step::Event(Err(self.reject_line(FrameErrorKind::Syntax(e))));
        }
        let content_end = lf - 1;
        let content = self
            .buf
            .get(self.line_start..content_end)
            .unwrap_or_default();
        match line_ending(content, true) {
            Ending::Literal(h) => self.literal_header(h, content_end),
            Ending::Plain | Ending::Unknown => {
                let msg = self.take(lf + 1);
                let ev = if self.streamed {
                    FrameEvent::MessageEnd(msg)
                } else {
                    FrameEvent::Message(msg)
                };
                self.new_message();
                Step::Event(Ok(ev))
            }
        }
    }

    /// A complete line ended (at `content_end`, before its CRLF) in a
    /// literal header.
    fn literal_header(&mut self, h: LiteralHeader, content_end: usize) -> Step {
        let header_end = content_end + 2;
        let l = &self.limits;
        let refused = if self.side == Side::Client && !h.synchronizing {
            // The '+' before the closing brace.
            let at = content_end.saturating_sub(2);
            let e = SyntaxError::at(&self.buf, at, "'}' (servers send no {n+} literals)")
                .shifted(self.msg_offset);
            Some(FrameErrorKind::Syntax(e))
        } else if h.size > l.max_literal_len.min(MAX_NUMBER64) {
            Some(FrameErrorKind::LiteralTooLarge {
                size: h.size,
                limit: LimitError::new("max_literal_len", l.max_literal_len.min(MAX_NUMBER64)),
            })
        } else if self.side == Side::Server
            && !h.synchronizing
            && h.size > l.max_nonsync_literal_len
        {
            Some(FrameErrorKind::LiteralTooLarge {
                size: h.size,
                limit: LimitError::new("max_nonsync_literal_len", l.max_nonsync_literal_len),
            })
        } else if h.size <= l.stream_threshold
            && (header_end as u64).saturating_add(h.size) > l.max_message_len as u64
        {
            Some(FrameErrorKind::MessageTooLong(LimitError::new(
                "max_message_len",
                l.max_message_len as u64,
            )))
        } else {
            None
        };
        if let Some(kind) = refused {
            let tag = self.current_tag();
            self.drop_front(header_end);
            let mut unrecoverable = false;
            if self.side == Side::Server && h.synchronizing {
                // The client waits for a "+" and will not send the data.
                self.new_message();
            } else if h.size > MAX_NUMBER64 {
                self.poison();
                unrecoverable = true;
            } else {
                self.state = State::Discard {
                    skip: h.size,
                    tail: Tail::EMPTY,
                };
                self.streamed = false;
                self.saved_tag = None;
            }
            return Step::Event(Err(FrameError {
                kind,
                tag,
                unrecoverable,
            }));
        }
        if self.side == Side::Server && h.synchronizing {
            self.state = State::Decide {
                header_end,
                literal: h,
            };
            return Step::Event(Ok(FrameEvent::NeedContinuation {
                literal: h,
                tag: self.current_tag(),
            }));
        }
        self.begin_literal(h, header_end)
    }

    /// The literal announced by the line ending at `header_end` is accepted.
    fn begin_literal(&mut self, h: LiteralHeader, header_end: usize) -> Step {
        if h.size <= self.limits.stream_threshold {
            // Checked against max_message_len, so it fits in usize.
            self.state = State::Inline {
                end: header_end.saturating_add(clamp(h.size, usize::MAX)),
            };
            return Step::Continue;
        }
        let text = self.take(header_end);
        let ev = if self.streamed {
            FrameEvent::MessageContinue { text, literal: h }
        } else {
            self.saved_tag = tag_span(&text, self.tag_window()).map(|n| text.slice(..n));
            self.streamed = true;
            FrameEvent::MessageStart {
                head: text,
                literal: h,
            }
        };
        self.msg_offset = self.msg_offset.saturating_add(header_end);
        self.line_start = 0;
        self.scan = 0;
        self.state = State::Stream { remaining: h.size };
        Step::Event(Ok(ev))
    }

    /// Refuses the message at its current line (which may be incomplete):
    /// the error names the tag, and the line is then skipped together with
    /// whatever literals the rest of the message announces.
    fn reject_line(&mut self, kind: FrameErrorKind) -> FrameError {
        let tag = self.current_tag();
        self.drop_front(self.line_start);
        self.state = State::Discard {
            skip: 0,
            tail: Tail::EMPTY,
        };
        self.streamed = false;
        self.saved_tag = None;
        FrameError {
            kind,
            tag,
            unrecoverable: false,
        }
    }

    fn discard_step(&mut self, mut skip: u64, mut tail: Tail) -> Step {
        if skip > 0 {
            let n = clamp(skip, self.buf.len());
            self.drop_front(n);
            skip -= n as u64;
            if skip > 0 {
                self.state = State::Discard { skip, tail };
                return Step::NeedMore;
            }
        }
        let Some(lf) = memchr::memchr(b'\n', &self.buf) else {
            tail.push(&self.buf);
            self.buf.clear();
            self.state = State::Discard { skip: 0, tail };
            return Step::NeedMore;
        };
        tail.push(self.buf.get(..lf).unwrap_or_default());
        self.drop_front(lf + 1);
        let content = tail.content();
        let content = match content.split_last() {
            Some((&b'\r', c)) => c,
            _ => content,
        };
        match line_ending(content, !tail.cut) {
            Ending::Plain => self.new_message(),
            Ending::Literal(h) if self.side == Side::Server && h.synchronizing => {
                self.new_message();
            }
            Ending::Literal(h) if h.size <= MAX_NUMBER64 => {
                self.state = State::Discard {
                    skip: h.size,
                    tail: Tail::EMPTY,
                };
            }
            Ending::Literal(_) | Ending::Unknown => {
                self.poison();
                return Step::Event(Err(FrameError {
                    kind: FrameErrorKind::Desynchronized,
                    tag: None,
                    unrecoverable: true,
                }));
            }
        }
        Step::Continue
    }

    fn tag_window(&self) -> usize {
        TAG_WINDOW
            .min(self.limits.max_line_len)
            .min(self.limits.max_message_len)
    }

    /// The current message's tag: kept from its start if that was handed
    /// out, else read from the buffer (a short copy; only on errors and
    /// continuation requests).
    fn current_tag(&self) -> Option<Bytes> {
        if self.streamed {
            return self.saved_tag.clone();
        }
        let n = tag_span(&self.buf, self.tag_window())?;
        self.buf.get(..n).map(Bytes::copy_from_slice)
    }

    fn new_message(&mut self) {
        self.state = State::Line;
        self.line_start = 0;
        self.scan = 0;
        self.streamed = false;
        self.saved_tag = None;
        self.msg_offset = 0;
    }

    fn poison(&mut self) {
        self.new_message();
        self.state = State::Poisoned;
        self.buf = BytesMut::new();
    }

    fn take(&mut self, n: usize) -> Bytes {
        if n >= self.buf.len() {
            // The whole buffer: hand it over as it is. `split_to` would turn
            // a buffer adopted by `feed_owned` into a shared one (one more
            // allocation per read on the streamed-literal path).
            return core::mem::take(&mut self.buf).freeze();
        }
        self.buf.split_to(n).freeze()
    }

    fn drop_front(&mut self, n: usize) {
        let n = n.min(self.buf.len());
        self.buf.advance(n);
    }
}

/// `a` as a usize no larger than `max`.
fn clamp(a: u64, max: usize) -> usize {
    usize::try_from(a).map_or(max, |a| a.min(max))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_headers_at_line_end() {
        let lit = |size, synchronizing, binary| {
            Ending::Literal(LiteralHeader {
                size,
                synchronizing,
                binary,
            })
        };
        assert_eq!(line_ending(b"A1 LOGIN {5}", true), lit(5, true, false));
        assert_eq!(line_ending(b"A1 LOGIN {005+}", true), lit(5, false, false));
        assert_eq!(line_ending(b"~{0}", true), lit(0, true, true));
        assert_eq!(line_ending(b"{}", true), Ending::Plain);
        assert_eq!(line_ending(b"{+}", true), Ending::Plain);
        assert_eq!(line_ending(b"5}", true), Ending::Plain);
        assert_eq!(line_ending(b"x{5}y", true), Ending::Plain);
        assert_eq!(line_ending(b"}", true), Ending::Plain);
        assert_eq!(line_ending(b"}", false), Ending::Unknown);
        assert_eq!(line_ending(b"12345}", false), Ending::Unknown);
        assert_eq!(line_ending(b"x12345}", false), Ending::Plain);
        assert_eq!(
            line_ending(b"{99999999999999999999999}", true),
            lit(u64::MAX, true, false)
        );
        assert_eq!(
            line_ending(b"{18446744073709551615}", true),
            lit(u64::MAX, true, false)
        );
    }

    #[test]
    fn tags() {
        assert_eq!(tag_span(b"a1 NOOP\r\n", 64), Some(2));
        assert_eq!(tag_span(b"a1\r\n", 64), Some(2));
        assert_eq!(tag_span(b"a1\n", 64), Some(2));
        assert_eq!(tag_span(b"* OK\r\n", 64), None);
        assert_eq!(tag_span(b"+ go\r\n", 64), None);
        assert_eq!(tag_span(b" x\r\n", 64), None);
        assert_eq!(tag_span(b"abcdef", 4), None);
        assert_eq!(tag_span(b"abcd ", 4), Some(4));
        assert_eq!(tag_span(b"a]b x", 64), Some(3));
    }

    #[test]
    fn tail_window_keeps_the_last_bytes() {
        let mut t = Tail::EMPTY;
        t.push(b"abc");
        assert_eq!((t.content(), t.cut), (&b"abc"[..], false));
        t.push(&[b'x'; 40]);
        assert!(t.cut);
        assert_eq!(t.content(), &[b'x'; TAIL_WINDOW][..]);
        t.push(b"{5}");
        assert!(t.content().ends_with(b"xx{5}"));
        assert_eq!(t.content().len(), TAIL_WINDOW);
    }
}
