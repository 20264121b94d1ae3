//! CRLF line framing with a length limit, for the line-based protocols
//! (SMTP, POP3, and the line parts of IMAP).
//!
//! [`LineFramer`] finds where the next line of a growing buffer ends. It keeps
//! its scan position between calls, so feeding a long line in many small
//! chunks costs linear total work: bytes already scanned are never scanned
//! again. It never copies: a complete line is reported as a length into the
//! caller's buffer.
//!
//! Line endings are CRLF (RFC 5321 section 2.3.8, RFC 1939 section 3,
//! RFC 3501 section 2.2). A bare LF or a CR not followed by LF is an error by
//! default, because servers that disagree on line ends are what SMTP
//! smuggling exploits; each leniency is a named option.
//!
//! ## Contract
//!
//! Call [`LineFramer::poll`] with the bytes buffered so far, always starting at
//! the first byte not yet consumed.
//!
//! - [`Framed::Line`]: a line is complete. Handle it, then drop `consumed`
//!   bytes from the front of the buffer before the next call.
//! - [`Framed::Incomplete`]: append more input and call again with the same
//!   (longer) buffer. Nothing may be removed from the front.
//! - [`Framed::Skip`]: the current line is over-long and its bytes are being
//!   discarded to keep memory bounded: drop `n` bytes and call again when more
//!   input arrives. An error is reported once the line ends.
//! - `Err(e)`: the line was bad (too long, bare CR or LF). Drop
//!   [`LineError::consumed`] bytes: the stream is then positioned at the start
//!   of the next line, so one bad line never desynchronises the ones after it.
//!
//! ```
//! use mail_wire::line::{Framed, LineFramer, LineOptions};
//!
//! let mut framer = LineFramer::new(LineOptions::default());
//! let mut buf = b"NOOP\r".to_vec();
//! assert_eq!(framer.poll(&buf).unwrap(), Framed::Incomplete);
//! buf.extend_from_slice(b"\nQUIT\r\n");
//! let Framed::Line(line) = framer.poll(&buf).unwrap() else { panic!() };
//! assert_eq!(line.content(&buf), b"NOOP");
//! buf.drain(..line.consumed);
//! let Framed::Line(line) = framer.poll(&buf).unwrap() else { panic!() };
//! assert_eq!(line.content(&buf), b"QUIT");
//! ```

/// Options of a [`LineFramer`]. The default is strict CRLF with a 1000-octet
/// limit (RFC 5321 section 4.5.3.1.6's text-line limit, CRLF included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LineOptions {
    /// Longest line accepted, counting its line ending. A longer line is
    /// discarded up to its end and reported as [`LineErrorKind::TooLong`].
    pub max_line_len: usize,
    /// Accept a bare LF as a line end. Needed only for peers that send LF
    /// alone (some Unix MTAs' local submission, test scripts); never enable it
    /// in front of another MTA that reads line ends differently.
    pub allow_bare_lf: bool,
    /// Accept a CR that is not followed by LF as an ordinary byte of the line
    /// instead of an error.
    pub allow_bare_cr: bool,
}

impl Default for LineOptions {
    fn default() -> Self {
        LineOptions {
            max_line_len: 1000,
            allow_bare_lf: false,
            allow_bare_cr: false,
        }
    }
}

impl LineOptions {
    /// Strict options with the given line limit.
    #[must_use]
    pub fn with_max_line_len(max_line_len: usize) -> Self {
        LineOptions {
            max_line_len,
            ..LineOptions::default()
        }
    }
}

/// How a line ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineEnding {
    /// CR LF.
    Crlf,
    /// LF alone (only with [`LineOptions::allow_bare_lf`]).
    Lf,
}

impl LineEnding {
    /// Length of the ending in bytes.
    #[must_use]
    pub fn len(self) -> usize {
        match self {
            LineEnding::Crlf => 2,
            LineEnding::Lf => 1,
        }
    }

    /// Always `false`: an ending has at least one byte.
    #[must_use]
    pub fn is_empty(self) -> bool {
        false
    }
}

/// A complete line at the start of the buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Line {
    /// Length of the line's content, without its ending.
    pub len: usize,
    /// Bytes to drop from the buffer: content and ending.
    pub consumed: usize,
    /// The line ending found.
    pub ending: LineEnding,
}

impl Line {
    /// The line's content within the buffer it was found in.
    #[must_use]
    pub fn content<'b>(&self, buf: &'b [u8]) -> &'b [u8] {
        buf.get(..self.len).unwrap_or_default()
    }
}

/// Result of [`LineFramer::poll`] that is not an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Framed {
    /// A complete line.
    Line(Line),
    /// No complete line yet: append input and call again.
    Incomplete,
    /// An over-long line is being discarded: drop this many bytes now.
    Skip(usize),
}

/// What was wrong with a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineErrorKind {
    /// The line was longer than [`LineOptions::max_line_len`]; `len` is its
    /// full length including the ending.
    TooLong {
        /// The configured limit.
        max: usize,
        /// How long the line really was.
        len: u64,
    },
    /// A bare LF ended the line (`offset` into the line).
    BareLf {
        /// Offset of the LF from the start of the line.
        offset: usize,
    },
    /// A CR not followed by LF stood in the line (`offset` into the line).
    BareCr {
        /// Offset of the CR from the start of the line.
        offset: usize,
    },
}

/// A bad line. Drop [`LineError::consumed`] bytes and go on with the next line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{}", describe(self.kind))]
pub struct LineError {
    /// What was wrong.
    pub kind: LineErrorKind,
    /// Bytes to drop from the buffer so that it starts at the next line.
    pub consumed: usize,
}

fn describe(kind: LineErrorKind) -> String {
    match kind {
        LineErrorKind::TooLong { max, len } => {
            format!("line of {len} bytes exceeds the limit max_line_len ({max})")
        }
        LineErrorKind::BareLf { offset } => format!("bare LF at byte {offset} of the line"),
        LineErrorKind::BareCr { offset } => format!("bare CR at byte {offset} of the line"),
    }
}

/// Incremental CRLF line finder. See the [module docs](self) for the contract.
#[derive(Debug, Clone)]
pub struct LineFramer {
    opts: LineOptions,
    /// Bytes of the current line already scanned without finding its end.
    scanned: usize,
    /// First bare CR or LF seen in the current line, reported when it ends.
    defect: Option<LineErrorKind>,
    /// Discarding an over-long line: bytes dropped so far.
    discarding: Option<u64>,
}

impl LineFramer {
    /// A framer with these options.
    #[must_use]
    pub fn new(opts: LineOptions) -> Self {
        LineFramer {
            opts,
            scanned: 0,
            defect: None,
            discarding: None,
        }
    }

    /// The options in force.
    #[must_use]
    pub fn options(&self) -> &LineOptions {
        &self.opts
    }

    /// Changes the line limit, for example when a protocol moves into a phase
    /// with longer lines. Takes effect from the next call.
    pub fn set_max_line_len(&mut self, max: usize) {
        self.opts.max_line_len = max;
    }

    /// Forgets any partial state, as after a connection upgrade (STARTTLS)
    /// where the caller discards its buffer.
    pub fn reset(&mut self) {
        *self = LineFramer::new(self.opts);
    }

    /// `true` while the framer is in the middle of a line (bytes scanned but
    /// no line end yet), or discarding an over-long one.
    #[must_use]
    pub fn is_mid_line(&self) -> bool {
        self.scanned > 0 || self.discarding.is_some()
    }

    /// Finds the next line. See the [module docs](self).
    ///
    /// Every LF ends a line, but in strict mode only CRLF ends it well: a
    /// line ended by a bare LF is reported as [`LineErrorKind::BareLf`] as
    /// soon as the LF arrives (so a peer that sends LF alone gets an answer
    /// instead of a stall), and a line holding a bare CR is reported as
    /// [`LineErrorKind::BareCr`] when it ends. Either way the bad line is
    /// consumed whole and never handed out as a line.
    pub fn poll(&mut self, buf: &[u8]) -> Result<Framed, LineError> {
        if let Some(dropped) = self.discarding {
            return self.poll_discard(buf, dropped);
        }
        let mut from = self.scanned.min(buf.len());
        loop {
            let rest = buf.get(from..).unwrap_or_default();
            let hit = if self.opts.allow_bare_cr {
                memchr::memchr(b'\n', rest)
            } else {
                memchr::memchr2(b'\r', b'\n', rest)
            };
            let Some(rel) = hit else {
                return Ok(self.incomplete(buf, buf.len()));
            };
            let pos = from + rel;
            if buf.get(pos) == Some(&b'\n') {
                // Reached only when a preceding CR was skipped by the scan
                // (allow_bare_cr) or there is none: check which.
                if pos > 0 && buf.get(pos - 1) == Some(&b'\r') {
                    return self.complete(pos - 1, pos + 1, LineEnding::Crlf);
                }
                if self.opts.allow_bare_lf {
                    return self.complete(pos, pos + 1, LineEnding::Lf);
                }
                self.defect
                    .get_or_insert(LineErrorKind::BareLf { offset: pos });
                return self.complete(pos, pos + 1, LineEnding::Lf);
            }
            // A CR: decide by the byte after it.
            match buf.get(pos + 1) {
                None => return Ok(self.incomplete(buf, pos)),
                Some(b'\n') => return self.complete(pos, pos + 2, LineEnding::Crlf),
                Some(_) => {
                    self.defect
                        .get_or_insert(LineErrorKind::BareCr { offset: pos });
                    from = pos + 1;
                }
            }
        }
    }

    /// No line end in `buf`; the scan may resume at `resume`.
    fn incomplete(&mut self, buf: &[u8], resume: usize) -> Framed {
        self.scanned = resume;
        // The line needs at least one more byte for its ending, so a buffer
        // of max_line_len bytes without one is already over the limit.
        if buf.len() < self.opts.max_line_len {
            return Framed::Incomplete;
        }
        self.scanned = 0;
        self.defect = None;
        self.discarding = Some(buf.len() as u64);
        if buf.is_empty() {
            Framed::Incomplete
        } else {
            Framed::Skip(buf.len())
        }
    }

    fn poll_discard(&mut self, buf: &[u8], dropped: u64) -> Result<Framed, LineError> {
        // Any LF ends the over-long line (with or without its CR).
        let Some(pos) = memchr::memchr(b'\n', buf) else {
            if buf.is_empty() {
                return Ok(Framed::Incomplete);
            }
            self.discarding = Some(dropped + buf.len() as u64);
            return Ok(Framed::Skip(buf.len()));
        };
        self.discarding = None;
        Err(LineError {
            kind: LineErrorKind::TooLong {
                max: self.opts.max_line_len,
                len: dropped + pos as u64 + 1,
            },
            consumed: pos + 1,
        })
    }

    fn complete(
        &mut self,
        len: usize,
        consumed: usize,
        ending: LineEnding,
    ) -> Result<Framed, LineError> {
        self.scanned = 0;
        let defect = self.defect.take();
        if consumed > self.opts.max_line_len {
            return Err(LineError {
                kind: LineErrorKind::TooLong {
                    max: self.opts.max_line_len,
                    len: consumed as u64,
                },
                consumed,
            });
        }
        if let Some(kind) = defect {
            return Err(LineError { kind, consumed });
        }
        Ok(Framed::Line(Line {
            len,
            consumed,
            ending,
        }))
    }
}

/// The offset of the first LF in `b`, for callers that look for the end of
/// one short line (a command line, a header field). Such lines are a few
/// dozen octets, so the first 128 are scanned a word at a time, which beats
/// a vectorised search whose set-up dominates at that length; past them,
/// the vectorised search takes over, so a long line costs no more than
/// with it. For incremental input use [`LineFramer`].
///
/// ```
/// assert_eq!(mail_wire::line::find_lf(b"QUIT\r\n"), Some(5));
/// assert_eq!(mail_wire::line::find_lf(b"no line end"), None);
/// ```
#[inline]
pub fn find_lf(b: &[u8]) -> Option<usize> {
    use crate::swar::{HIGH, ONES};
    const LF: u64 = ONES * (b'\n' as u64);
    let (head, tail) = b.split_at_checked(128).unwrap_or((b, &[]));
    let mut words = head.chunks_exact(8);
    let mut base = 0;
    for w in words.by_ref() {
        let Some(&w) = w.first_chunk::<8>() else {
            break;
        };
        let x = u64::from_le_bytes(w) ^ LF;
        // The lowest high bit set marks the first zero byte of `x`: bits
        // set above it by the borrow do not matter.
        let zero = x.wrapping_sub(ONES) & !x & HIGH;
        if zero != 0 {
            return Some(base + (zero.trailing_zeros() / 8) as usize);
        }
        base += 8;
    }
    if let Some(i) = words.remainder().iter().position(|&c| c == b'\n') {
        return Some(base + i);
    }
    memchr::memchr(b'\n', tail).map(|i| head.len() + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `input` in chunks of the given sizes (cycling), collecting
    /// every line and error exactly as a session would.
    fn run(
        opts: LineOptions,
        input: &[u8],
        chunks: &[usize],
    ) -> Vec<Result<Vec<u8>, LineErrorKind>> {
        let mut framer = LineFramer::new(opts);
        let mut buf: Vec<u8> = Vec::new();
        let mut out = Vec::new();
        let mut fed = 0;
        let mut i = 0;
        let mut max_buf = 0;
        loop {
            loop {
                match framer.poll(&buf) {
                    Ok(Framed::Line(l)) => {
                        out.push(Ok(l.content(&buf).to_vec()));
                        buf.drain(..l.consumed);
                    }
                    Ok(Framed::Skip(n)) => {
                        buf.drain(..n);
                    }
                    Ok(Framed::Incomplete) => break,
                    Err(e) => {
                        out.push(Err(e.kind));
                        buf.drain(..e.consumed);
                    }
                }
            }
            if fed == input.len() {
                break;
            }
            let n = chunks[i % chunks.len()].max(1).min(input.len() - fed);
            i += 1;
            buf.extend_from_slice(&input[fed..fed + n]);
            fed += n;
            max_buf = max_buf.max(buf.len());
        }
        // Memory stays bounded by the limit plus one chunk.
        let biggest = chunks.iter().copied().max().unwrap_or(1);
        assert!(max_buf <= opts.max_line_len + biggest, "{max_buf}");
        out
    }

    fn ok(s: &str) -> Result<Vec<u8>, LineErrorKind> {
        Ok(s.as_bytes().to_vec())
    }

    #[test]
    fn find_lf_agrees_with_a_byte_scan() {
        // Both sides of the word-at-a-time prefix and the vectorised rest.
        for len in (0..40).chain(120..140).chain([300]) {
            for at in 0..=len {
                let mut b = vec![b'x'; len];
                if at < len {
                    b[at] = b'\n';
                }
                assert_eq!(
                    find_lf(&b),
                    b.iter().position(|&c| c == b'\n'),
                    "{len} {at}"
                );
            }
        }
    }

    #[test]
    fn crlf_lines_and_empty_lines() {
        let r = run(
            LineOptions::default(),
            b"EHLO a\r\n\r\nQUIT\r\nPART",
            &[100],
        );
        assert_eq!(r, vec![ok("EHLO a"), ok(""), ok("QUIT")]);
    }

    #[test]
    fn bare_lf_ends_a_bad_line_at_once() {
        let r = run(LineOptions::default(), b"NOOP\nRSET\r\nQUIT\r\n", &[3]);
        assert_eq!(
            r,
            vec![
                Err(LineErrorKind::BareLf { offset: 4 }),
                ok("RSET"),
                ok("QUIT")
            ]
        );
        // Reported without waiting for more input.
        let mut framer = LineFramer::new(LineOptions::default());
        let e = framer.poll(b"QUIT\n").unwrap_err();
        assert_eq!(
            (e.kind, e.consumed),
            (LineErrorKind::BareLf { offset: 4 }, 5)
        );
        // A bare CR earlier in the line is what gets reported.
        let e = framer.poll(b"A\rB\n").unwrap_err();
        assert_eq!(e.kind, LineErrorKind::BareCr { offset: 1 });
    }

    #[test]
    fn bare_cr_is_an_error_unless_allowed() {
        let r = run(LineOptions::default(), b"A\rB\r\nC\r\n", &[1]);
        assert_eq!(r, vec![Err(LineErrorKind::BareCr { offset: 1 }), ok("C")]);
        let opts = LineOptions {
            allow_bare_cr: true,
            ..LineOptions::default()
        };
        let r = run(opts, b"A\rB\r\nC\r\n", &[1]);
        assert_eq!(r, vec![ok("A\rB"), ok("C")]);
    }

    #[test]
    fn bare_lf_ends_lines_when_allowed() {
        let opts = LineOptions {
            allow_bare_lf: true,
            ..LineOptions::default()
        };
        let r = run(opts, b"A\nB\r\nC\n", &[2]);
        assert_eq!(r, vec![ok("A"), ok("B"), ok("C")]);
    }

    #[test]
    fn over_long_line_is_skipped_and_reported_once() {
        let mut input = vec![b'x'; 5000];
        input.extend_from_slice(b"\r\nQUIT\r\n");
        for chunk in [1, 7, 100, 999, 1000, 1001, 6000] {
            let r = run(LineOptions::default(), &input, &[chunk]);
            assert_eq!(
                r,
                vec![
                    Err(LineErrorKind::TooLong {
                        max: 1000,
                        len: 5002
                    }),
                    ok("QUIT")
                ],
                "chunk {chunk}"
            );
        }
    }

    #[test]
    fn limit_counts_the_line_ending() {
        let opts = LineOptions::with_max_line_len(6);
        let r = run(opts, b"ABCD\r\nABCDE\r\nAB\r\n", &[1]);
        assert_eq!(
            r,
            vec![
                ok("ABCD"),
                Err(LineErrorKind::TooLong { max: 6, len: 7 }),
                ok("AB")
            ]
        );
        let r = run(opts, b"ABCD\r\nABCDE\r\nAB\r\n", &[64]);
        assert_eq!(
            r,
            vec![
                ok("ABCD"),
                Err(LineErrorKind::TooLong { max: 6, len: 7 }),
                ok("AB")
            ]
        );
    }

    #[test]
    fn cr_split_from_lf_across_chunks_while_discarding() {
        let opts = LineOptions::with_max_line_len(4);
        let r = run(opts, b"ABCDEFG\r\nAB\r\n", &[8, 1]);
        assert_eq!(
            r,
            vec![Err(LineErrorKind::TooLong { max: 4, len: 9 }), ok("AB")]
        );
    }

    #[test]
    fn scanning_is_linear_in_small_chunks() {
        // 1 MB line fed a byte at a time: must finish quickly because the
        // framer never rescans.
        let opts = LineOptions::with_max_line_len(2 << 20);
        let mut framer = LineFramer::new(opts);
        let mut buf = Vec::new();
        for _ in 0..(1 << 20) {
            buf.push(b'a');
            assert_eq!(framer.poll(&buf).unwrap(), Framed::Incomplete);
        }
        buf.extend_from_slice(b"\r\n");
        assert!(matches!(framer.poll(&buf).unwrap(), Framed::Line(l) if l.len == 1 << 20));
    }

    proptest::proptest! {
        #[test]
        fn chunk_split_invariance(
            input in proptest::collection::vec(
                proptest::prop_oneof![
                    Just(b'\r'), Just(b'\n'), Just(b'a'), Just(b' ')
                ], 0..200),
            chunks in proptest::collection::vec(1usize..20, 1..8),
            max in 1usize..40,
            lf in proptest::bool::ANY,
            cr in proptest::bool::ANY,
        ) {
            let opts = LineOptions { max_line_len: max, allow_bare_lf: lf, allow_bare_cr: cr };
            let whole = run(opts, &input, &[input.len().max(1)]);
            let split = run(opts, &input, &chunks);
            proptest::prop_assert_eq!(whole, split);
        }
    }

    use proptest::strategy::Just;
}
