//! Types to bytes, as a sequence of [`Fragment`]s.
//!
//! A synchronising literal (`{n}` CRLF, RFC 9051 section 4.3) needs the
//! server's `+` continuation request before its data may be sent, so the
//! [`Encoder`] does not produce one flat buffer: it yields the text up to
//! and including each literal's `{n}` CRLF as a [`Fragment::Line`], then the
//! literal's data as a [`Fragment::Literal`]. A client session sends a line,
//! and before a [`LiteralMode::Sync`] literal waits for `+`. A server (which
//! never waits) or a test can flatten everything with
//! [`Encoder::to_bytes`].
//!
//! Every value written was validated when it was built, so encoding cannot
//! fail and cannot put a CR or LF anywhere outside a literal's data.
//!
//! ```
//! use imap_proto::encode::{Encode, EncodeOptions, Encoder, Fragment};
//! use imap_proto::types::{AString, LiteralMode};
//! let mut e = Encoder::new(EncodeOptions::default());
//! AString::try_from("two\r\nlines").unwrap().encode(&mut e);
//! let frags = e.finish();
//! assert_eq!(frags[0], Fragment::Line(b"{10}\r\n"[..].into()));
//! assert_eq!(
//!     frags[1],
//!     Fragment::Literal { data: b"two\r\nlines"[..].into(), mode: LiteralMode::Sync }
//! );
//! ```

pub mod command;
pub mod response;
pub mod values;

use bytes::{BufMut, Bytes, BytesMut};

use crate::types::{LITERAL_MINUS_MAX, LiteralMode};

/// What the peer allows, which decides the forms the encoder may choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct EncodeOptions {
    /// UTF8=ACCEPT is enabled (RFC 6855 section 3; always on for
    /// IMAP4rev2 after `ENABLE UTF8=ACCEPT`, RFC 9051 section 6.3.1):
    /// quoted strings may carry UTF-8.
    pub utf8_accept: bool,
    /// The server advertised LITERAL+ (RFC 7888 section 3): the client may
    /// send any literal non-synchronising, `{n+}`. Servers leave this off:
    /// they never send `{n+}`.
    pub literal_plus: bool,
    /// The server advertised LITERAL- (RFC 7888 section 5): the client may
    /// send literals of at most 4096 octets non-synchronising.
    pub literal_minus: bool,
}

impl EncodeOptions {
    /// The mode to write for a literal of `len` octets for which `wanted`
    /// was asked: non-synchronising only if asked and the peer allows it.
    #[must_use]
    pub fn literal_mode(&self, len: usize, wanted: LiteralMode) -> LiteralMode {
        match wanted {
            LiteralMode::NonSync
                if self.literal_plus || (self.literal_minus && len <= LITERAL_MINUS_MAX) =>
            {
                LiteralMode::NonSync
            }
            _ => LiteralMode::Sync,
        }
    }

    /// The mode to write for a literal the encoder chose on its own (a
    /// string that cannot be an atom or quoted): the fastest the peer
    /// allows.
    #[must_use]
    pub fn auto_literal_mode(&self, len: usize) -> LiteralMode {
        self.literal_mode(len, LiteralMode::NonSync)
    }
}

/// A piece of encoder output.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Fragment {
    /// Protocol text: everything up to and including a literal's `{n}`
    /// CRLF (or `~{n}` CRLF), or up to the end of the encoded value.
    Line(Bytes),
    /// The data of a literal, sent after the preceding [`Fragment::Line`]
    /// and, for [`LiteralMode::Sync`], after the server's `+`.
    Literal {
        /// The literal's octets.
        data: Bytes,
        /// Whether the sender must wait for `+` before the data.
        mode: LiteralMode,
    },
}

impl Fragment {
    /// The octets of this fragment.
    #[must_use]
    pub fn bytes(&self) -> &Bytes {
        match self {
            Fragment::Line(b) | Fragment::Literal { data: b, .. } => b,
        }
    }
}

/// Collects encoded values as [`Fragment`]s.
#[derive(Debug, Clone, Default)]
pub struct Encoder {
    opts: EncodeOptions,
    line: BytesMut,
    done: Vec<Fragment>,
}

impl Encoder {
    /// An empty encoder for a peer that allows `opts`.
    #[must_use]
    pub fn new(opts: EncodeOptions) -> Self {
        Encoder {
            opts,
            line: BytesMut::new(),
            done: Vec::new(),
        }
    }

    /// The options this encoder follows.
    #[must_use]
    pub fn options(&self) -> &EncodeOptions {
        &self.opts
    }

    /// Writes one space (`SP`), the separator of the grammar.
    pub fn sp(&mut self) {
        self.line.put_u8(b' ');
    }

    /// Writes raw protocol text. Crate-internal: callers pass constants or
    /// bytes already validated to hold no CR, LF or NUL.
    pub(crate) fn put(&mut self, b: &[u8]) {
        self.line.put_slice(b);
    }

    /// Writes one raw byte (see [`Encoder::put`]).
    pub(crate) fn put_u8(&mut self, b: u8) {
        self.line.put_u8(b);
    }

    /// Writes a decimal number.
    pub(crate) fn put_u64(&mut self, n: u64) {
        let mut buf = [0u8; 20];
        let mut i = buf.len();
        let mut n = n;
        loop {
            i -= 1;
            if let Some(slot) = buf.get_mut(i) {
                *slot = b'0' + (n % 10) as u8;
            }
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.line.put_slice(buf.get(i..).unwrap_or_default());
    }

    /// Writes a literal: `prefix` (`{` or `~{`), the length, `+` when
    /// non-synchronising, `}` CRLF, then ends the line fragment and adds
    /// the data fragment.
    pub(crate) fn literal(&mut self, prefix: &[u8], data: &[u8], mode: LiteralMode) {
        self.put(prefix);
        self.put_u64(data.len() as u64);
        if mode == LiteralMode::NonSync {
            self.put_u8(b'+');
        }
        self.put(b"}\r\n");
        let line = self.line.split().freeze();
        self.done.push(Fragment::Line(line));
        self.done.push(Fragment::Literal {
            data: Bytes::copy_from_slice(data),
            mode,
        });
    }

    /// Ends the current command or response line with CRLF.
    pub(crate) fn crlf(&mut self) {
        self.put(b"\r\n");
    }

    /// The fragments written so far; the last text, if any, becomes a
    /// final [`Fragment::Line`].
    #[must_use]
    pub fn finish(mut self) -> Vec<Fragment> {
        if !self.line.is_empty() {
            let line = self.line.split().freeze();
            self.done.push(Fragment::Line(line));
        }
        self.done
    }

    /// Everything written so far as one flat buffer, literal data inline,
    /// as a server sends it or a test compares it.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            self.done.iter().map(|f| f.bytes().len()).sum::<usize>() + self.line.len(),
        );
        for f in &self.done {
            out.extend_from_slice(f.bytes());
        }
        out.extend_from_slice(&self.line);
        out
    }
}

impl Encoder {
    /// Appends everything written so far, literal data inline, to `buf`
    /// (for a server, which never waits for a continuation request).
    pub fn write_to<B: BufMut>(&self, buf: &mut B) {
        for f in &self.done {
            buf.put_slice(f.bytes());
        }
        buf.put_slice(&self.line);
    }
}

/// A value that can be written to an [`Encoder`]. Infallible: the value
/// was validated when it was built.
pub trait Encode {
    /// Appends the wire form of `self`.
    fn encode(&self, e: &mut Encoder);
}

impl<T: Encode + ?Sized> Encode for &T {
    fn encode(&self, e: &mut Encoder) {
        (**self).encode(e);
    }
}
