//! `tokio_util::codec` adapters (feature `tokio`).
//!
//! These work one level below the sessions: [`ServerCodec`] turns a byte
//! stream into command lines and message data, [`ClientCodec`] into replies,
//! and both encode in the other direction, with the same framing, limits and
//! smuggling-safe dot handling as the sessions (all from `mail-wire`). Use
//! them with `tokio_util::codec::Framed` when you want a `Stream`/`Sink` of
//! SMTP units and run the protocol state yourself; use
//! [`crate::server::Server`] or [`crate::client::Client`] when you want the
//! state machine too.
//!
//! ```
//! use bytes::BytesMut;
//! use smtp_proto::tokio::{ServerCodec, ServerFrame};
//! use tokio_util::codec::Decoder;
//!
//! let mut codec = ServerCodec::new();
//! let mut buf = BytesMut::from(&b"DATA\r\nhi\r\n..x\r\n.\r\nQUIT\r\n"[..]);
//! let Some(ServerFrame::Command(Ok(cmd))) = codec.decode(&mut buf).unwrap() else { panic!() };
//! assert_eq!(cmd.verb(), "DATA");
//! codec.expect_data(); // after replying 354
//! let Some(ServerFrame::Data(chunk)) = codec.decode(&mut buf).unwrap() else { panic!() };
//! assert_eq!(&chunk[..], b"hi\r\n.x\r\n");
//! assert_eq!(codec.decode(&mut buf).unwrap(), Some(ServerFrame::DataEnd));
//! let Some(ServerFrame::Command(Ok(cmd))) = codec.decode(&mut buf).unwrap() else { panic!() };
//! assert_eq!(cmd.verb(), "QUIT");
//! ```

use bytes::{Buf, Bytes, BytesMut};
use mail_wire::Status;
use mail_wire::dot::{DotDecoder, DotEncoder, DotError, DotOptions};
use mail_wire::line::{Framed, LineError, LineFramer, LineOptions};
use tokio_util::codec::{Decoder, Encoder};

use crate::limits::Limits;
use crate::parse::{
    CommandError, CommandOptions, ReplyError, ReplyLimits, ReplyOptions, ReplyParser,
};
use crate::types::{Command, Reply};

/// Errors of the codecs: I/O, or a stream that cannot be resynchronised.
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    /// The underlying transport failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The server's replies broke the grammar (the stream is lost).
    #[error(transparent)]
    Reply(#[from] ReplyError),
    /// A body chunk had a bare CR or LF.
    #[error(transparent)]
    Body(#[from] DotError),
}

/// One unit read by [`ServerCodec`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerFrame {
    /// A command line, or why it could not be parsed. A bad line is an
    /// item, not a stream error: the stream is still in step after it.
    Command(Result<Command<'static>, CommandError>),
    /// A line that was too long or had a bare CR or LF (already skipped).
    BadLine(LineError),
    /// Message data (DATA unstuffed, or BDAT bytes as sent).
    Data(Bytes),
    /// A bare CR or LF in DATA; the data goes on to its real end.
    BadData(DotError),
    /// The end of the DATA message or BDAT chunk.
    DataEnd,
}

#[derive(Debug)]
enum Mode {
    Lines,
    Data(DotDecoder),
    Bdat(u64),
    /// The data ended; report [`ServerFrame::DataEnd`] next.
    End,
}

/// Server-side codec: decodes commands and data, encodes replies.
#[derive(Debug)]
pub struct ServerCodec {
    framer: LineFramer,
    options: CommandOptions,
    dot: DotOptions,
    mode: Mode,
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
        Self::with_options(
            LineOptions::with_max_line_len(Limits::default().max_line_len),
            CommandOptions::default(),
            DotOptions::default(),
        )
    }

    /// Explicit options for lines, commands and data.
    #[must_use]
    pub fn with_options(lines: LineOptions, mut options: CommandOptions, dot: DotOptions) -> Self {
        options.max_line_len = options.max_line_len.max(lines.max_line_len);
        ServerCodec {
            framer: LineFramer::new(lines),
            options,
            dot,
            mode: Mode::Lines,
        }
    }

    /// The next bytes are DATA content (call after sending `354`).
    pub fn expect_data(&mut self) {
        self.mode = Mode::Data(DotDecoder::new(self.dot));
    }

    /// The next `size` bytes are a BDAT chunk (call after reading BDAT).
    pub fn expect_bdat(&mut self, size: u64) {
        self.mode = Mode::Bdat(size);
    }
}

impl Decoder for ServerCodec {
    type Item = ServerFrame;
    type Error = CodecError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<ServerFrame>, CodecError> {
        loop {
            match &mut self.mode {
                Mode::Lines => match self.framer.poll(src) {
                    Ok(Framed::Incomplete) => return Ok(None),
                    Ok(Framed::Skip(n)) => src.advance(n),
                    Err(e) => {
                        src.advance(e.consumed);
                        return Ok(Some(ServerFrame::BadLine(e)));
                    }
                    Ok(Framed::Line(line)) => {
                        let raw = src.split_to(line.consumed).freeze();
                        let content = raw.get(..line.len).unwrap_or_default();
                        let cmd =
                            Command::parse_with(content, &self.options).map(Command::into_owned);
                        return Ok(Some(ServerFrame::Command(cmd)));
                    }
                },
                Mode::Data(dec) => {
                    if src.is_empty() {
                        return Ok(None);
                    }
                    let mut out = BytesMut::new();
                    match dec.decode(src, &mut out) {
                        Ok(d) => {
                            src.advance(d.consumed);
                            if d.done {
                                self.mode = Mode::Lines;
                                if out.is_empty() {
                                    return Ok(Some(ServerFrame::DataEnd));
                                }
                                // Deliver the data now and the end next time.
                                self.mode = Mode::End;
                            }
                            if !out.is_empty() {
                                return Ok(Some(ServerFrame::Data(out.freeze())));
                            }
                        }
                        Err(e) => {
                            src.advance(e.consumed);
                            return Ok(Some(ServerFrame::BadData(e)));
                        }
                    }
                }
                Mode::Bdat(0) | Mode::End => {
                    self.mode = Mode::Lines;
                    return Ok(Some(ServerFrame::DataEnd));
                }
                Mode::Bdat(left) => {
                    if src.is_empty() {
                        return Ok(None);
                    }
                    let take = usize::try_from(*left).unwrap_or(usize::MAX).min(src.len());
                    *left -= take as u64;
                    return Ok(Some(ServerFrame::Data(src.split_to(take).freeze())));
                }
            }
        }
    }
}

impl Encoder<&Reply<'_>> for ServerCodec {
    type Error = CodecError;

    fn encode(&mut self, reply: &Reply<'_>, dst: &mut BytesMut) -> Result<(), CodecError> {
        reply.encode(dst);
        Ok(())
    }
}

/// What [`ClientCodec`] writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientFrame<'a> {
    /// A command line.
    Command(Command<'a>),
    /// A piece of a DATA message body: dot-stuffed on the way out.
    Body(Bytes),
    /// The end of the DATA body: the final `.` line.
    BodyEnd,
    /// Raw bytes written unchanged (a BDAT chunk after its command).
    Raw(Bytes),
}

/// Client-side codec: decodes replies, encodes commands and message bodies.
#[derive(Debug)]
pub struct ClientCodec {
    parser: ReplyParser,
    body: Option<DotEncoder>,
    dot: DotOptions,
}

impl Default for ClientCodec {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientCodec {
    /// Strict defaults.
    #[must_use]
    pub fn new() -> Self {
        Self::with_options(ReplyOptions::default(), DotOptions::default())
    }

    /// Explicit options for replies and for bodies.
    #[must_use]
    pub fn with_options(replies: ReplyOptions, dot: DotOptions) -> Self {
        ClientCodec {
            parser: ReplyParser::with_options(replies),
            body: None,
            dot,
        }
    }

    /// The reply limits in force.
    #[must_use]
    pub fn reply_limits(&self) -> ReplyLimits {
        self.parser.options().limits
    }
}

impl Decoder for ClientCodec {
    type Item = Reply<'static>;
    type Error = CodecError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Reply<'static>>, CodecError> {
        match self.parser.parse(src)? {
            Status::Incomplete => Ok(None),
            Status::Complete(reply, n) => {
                let reply = reply.into_owned();
                src.advance(n);
                Ok(Some(reply))
            }
        }
    }
}

impl Encoder<ClientFrame<'_>> for ClientCodec {
    type Error = CodecError;

    fn encode(&mut self, frame: ClientFrame<'_>, dst: &mut BytesMut) -> Result<(), CodecError> {
        match frame {
            ClientFrame::Command(cmd) => cmd.encode(dst),
            ClientFrame::Body(chunk) => {
                let dot = self.dot;
                self.body
                    .get_or_insert_with(|| DotEncoder::new(dot))
                    .encode(&chunk, dst)?;
            }
            ClientFrame::BodyEnd => {
                let enc = self
                    .body
                    .take()
                    .unwrap_or_else(|| DotEncoder::new(self.dot));
                enc.finish(dst)?;
            }
            ClientFrame::Raw(bytes) => dst.extend_from_slice(&bytes),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_codec_reads_commands_bdat_and_bad_lines() {
        let mut codec = ServerCodec::new();
        let mut buf = BytesMut::from(&b"BDAT 5 LAST\r\nhello\nNOOP\r\nNOOP\r\n"[..]);
        let Some(ServerFrame::Command(Ok(Command::Bdat { size, last: true }))) =
            codec.decode(&mut buf).unwrap()
        else {
            panic!()
        };
        codec.expect_bdat(size);
        assert_eq!(
            codec.decode(&mut buf).unwrap(),
            Some(ServerFrame::Data(Bytes::from_static(b"hello")))
        );
        assert_eq!(codec.decode(&mut buf).unwrap(), Some(ServerFrame::DataEnd));
        // "\n": a line ended by a bare LF is one bad line; the stream stays
        // in step and the two NOOPs after it are read.
        assert!(matches!(
            codec.decode(&mut buf).unwrap(),
            Some(ServerFrame::BadLine(_))
        ));
        for _ in 0..2 {
            assert!(matches!(
                codec.decode(&mut buf).unwrap(),
                Some(ServerFrame::Command(Ok(Command::Noop { .. })))
            ));
        }
        assert_eq!(codec.decode(&mut buf).unwrap(), None);
    }

    #[test]
    fn client_codec_reads_replies_and_stuffs_bodies() {
        let mut codec = ClientCodec::new();
        let mut buf = BytesMut::from(&b"250-a\r\n250 b\r\n354 go\r\n"[..]);
        assert_eq!(codec.decode(&mut buf).unwrap().unwrap().line_count(), 2);
        assert_eq!(
            codec.decode(&mut buf).unwrap().unwrap().code().as_u16(),
            354
        );
        let mut out = BytesMut::new();
        codec
            .encode(ClientFrame::Command(Command::Data), &mut out)
            .unwrap();
        codec
            .encode(ClientFrame::Body(Bytes::from_static(b".x\r\n")), &mut out)
            .unwrap();
        codec.encode(ClientFrame::BodyEnd, &mut out).unwrap();
        assert_eq!(&out[..], b"DATA\r\n..x\r\n.\r\n");
        assert!(
            codec
                .encode(ClientFrame::Body(Bytes::from_static(b"a\nb")), &mut out)
                .is_err()
        );
    }
}
