//! Dot-stuffed data streams: SMTP `DATA` (RFC 5321 sections 4.1.1.4 and
//! 4.5.2) and POP3 multi-line responses (RFC 1939 section 3).
//!
//! [`DotDecoder`] removes the transparency dots from a stream and finds its
//! end; [`DotEncoder`] adds them and writes the terminator. Both stream: they
//! take input in chunks of any size, keep a few bits of state between chunks,
//! and hold nothing else in memory. Both scan with `memchr`, so throughput is
//! close to that of a plain memory scan.
//!
//! ## Security
//!
//! The data ends only at `<CRLF>.<CRLF>`. `<LF>.<LF>`, `<LF>.<CRLF>`,
//! `<CR>.<CR>`, `<CRLF>.<LF>` and every other variant are data, never an end:
//! this is what prevents SMTP smuggling, where a receiver that ends the data
//! on a looser sequence than the next hop reads the rest of the message as
//! new commands. By default a bare CR or bare LF inside the data is reported
//! as an error (the byte is still passed through, and the end is still only
//! `<CRLF>.<CRLF>`, so the caller can consume the rest of the data and refuse
//! the message without losing its place in the stream).

use bytes::BufMut;

/// Treatment of bare CR and bare LF in data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DotOptions {
    /// Pass a bare LF through as data instead of reporting
    /// [`DotErrorKind::BareLf`]. A bare LF never starts a line, so a dot after
    /// it is data and `<LF>.<LF>` is never an end.
    pub allow_bare_lf: bool,
    /// Pass a bare CR through as data instead of reporting
    /// [`DotErrorKind::BareCr`].
    pub allow_bare_cr: bool,
}

/// What was wrong in the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DotErrorKind {
    /// A LF not preceded by CR.
    BareLf,
    /// A CR not followed by LF.
    BareCr,
}

/// A bare CR or LF in a dot-stuffed stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{} in message data at byte {offset} of the chunk", match self.kind { DotErrorKind::BareLf => "bare LF", DotErrorKind::BareCr => "bare CR" })]
pub struct DotError {
    /// Which line-ending violation.
    pub kind: DotErrorKind,
    /// Offset within the chunk being processed of the byte that showed the
    /// violation: the LF itself for [`DotErrorKind::BareLf`], the byte after
    /// the CR for [`DotErrorKind::BareCr`] (which may sit in an earlier chunk).
    pub offset: usize,
    /// For [`DotDecoder::decode`]: bytes of the chunk consumed (the offending
    /// byte included). Calling `decode` again with the rest of the chunk goes
    /// on as if the byte had been allowed. Zero for [`DotEncoder`], which
    /// writes nothing of a chunk it refuses.
    pub consumed: usize,
}

/// Progress of [`DotDecoder::decode`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Decoded {
    /// Input bytes consumed. Less than the input only when `done`: the rest
    /// belongs to whatever follows the data (pipelined commands).
    pub consumed: usize,
    /// The end `<CRLF>.<CRLF>` was reached; its final CRLF is included in
    /// `consumed`, the CRLF before the dot went to the output.
    pub done: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum DecState {
    /// Inside a line.
    Data,
    /// Inside a line, after a CR that has not been written yet.
    Cr,
    /// At the start of a line (after CRLF, or at the very start).
    LineStart,
    /// After a dot at the start of a line.
    Dot,
    /// After `.` CR at the start of a line.
    DotCr,
    /// The end was seen.
    Done,
}

/// Streaming dot-unstuffer that finds the end of the data.
///
/// ```
/// use mail_wire::dot::DotDecoder;
///
/// let mut dec = DotDecoder::new(Default::default());
/// let mut body = Vec::new();
/// let input = b"Subject: hi\r\n\r\n..a dot\r\n.\r\nQUIT\r\n";
/// let r = dec.decode(input, &mut body).unwrap();
/// assert!(r.done);
/// assert_eq!(body, b"Subject: hi\r\n\r\n.a dot\r\n");
/// assert_eq!(&input[r.consumed..], b"QUIT\r\n");
/// ```
#[derive(Debug, Clone)]
pub struct DotDecoder {
    state: DecState,
    opts: DotOptions,
    /// With both leniencies on, only `<CRLF>.` matters inside the data, and
    /// this finds it (SIMD substring search, built once; boxed, as it is
    /// large and most decoders are strict).
    lenient: Option<Box<memchr::memmem::Finder<'static>>>,
}

impl DotDecoder {
    /// A decoder positioned at the start of the data (the start of a line:
    /// `.` CRLF as the very first bytes is an empty body).
    #[must_use]
    pub fn new(opts: DotOptions) -> Self {
        let lenient = (opts.allow_bare_lf && opts.allow_bare_cr)
            .then(|| Box::new(memchr::memmem::Finder::new(b"\r\n.")));
        DotDecoder {
            state: DecState::LineStart,
            opts,
            lenient,
        }
    }

    /// `true` once the end of the data was consumed.
    #[must_use]
    pub fn is_done(&self) -> bool {
        self.state == DecState::Done
    }

    /// Unstuffs `input`, appending message bytes to `out`, until the input
    /// runs out or the end of the data is reached.
    ///
    /// A bare CR or LF (unless allowed) returns an error once the bytes before
    /// and including it have been written; see [`DotError::consumed`].
    pub fn decode(&mut self, input: &[u8], out: &mut impl BufMut) -> Result<Decoded, DotError> {
        self.decode_with(input, |piece| out.put_slice(piece))
    }

    /// Zero-copy form of [`DotDecoder::decode`]: instead of copying, hands
    /// the message out as a sequence of pieces, in order. Each piece is a
    /// sub-slice of `input` (so a caller holding `input` as `bytes::Bytes`
    /// can turn it into a `Bytes` with `slice_ref`, without copying) or, for
    /// the few bytes held over from the previous chunk (a CR whose LF had
    /// not arrived), a `'static` slice.
    ///
    /// ```
    /// use mail_wire::dot::DotDecoder;
    ///
    /// let input = b"a\r\n..b\r\n.\r\n";
    /// let mut pieces: Vec<&[u8]> = Vec::new();
    /// let done = DotDecoder::new(Default::default())
    ///     .decode_with(input, |p| pieces.push(p))
    ///     .unwrap();
    /// assert!(done.done);
    /// assert_eq!(pieces, [&b"a\r\n"[..], b".b\r\n"]);
    /// ```
    pub fn decode_with<'i>(
        &mut self,
        input: &'i [u8],
        mut emit: impl FnMut(&'i [u8]),
    ) -> Result<Decoded, DotError> {
        let mut i = 0; // next byte to look at
        let mut run = 0; // start of the bytes not yet handed out
        let len = input.len();
        macro_rules! flush {
            ($end:expr) => {
                if let Some(s) = input.get(run..$end).filter(|s| !s.is_empty()) {
                    emit(s);
                }
            };
        }
        loop {
            match self.state {
                DecState::Done => {
                    return Ok(Decoded {
                        consumed: i,
                        done: true,
                    });
                }
                DecState::Data => {
                    if let Some(finder) = &self.lenient {
                        // Bare CR and LF are plain data here, so the next
                        // event is the next `<CRLF>.`, or the end of the chunk.
                        let rest = input.get(i..).unwrap_or_default();
                        if let Some(rel) = finder.find(rest) {
                            let dot = i + rel + 2;
                            flush!(dot);
                            i = dot + 1;
                            run = i;
                            self.state = DecState::Dot;
                            continue;
                        }
                        if rest.ends_with(b"\r") {
                            flush!(len - 1);
                            self.state = DecState::Cr;
                        } else {
                            flush!(len);
                            if rest.ends_with(b"\r\n") {
                                self.state = DecState::LineStart;
                            }
                        }
                        return Ok(Decoded {
                            consumed: len,
                            done: false,
                        });
                    }
                    if input.get(i) != Some(&b'\n') {
                        i = skip_plain(input, i);
                    }
                    let rest = input.get(i..).unwrap_or_default();
                    let Some(rel) = memchr::memchr2(b'\r', b'\n', rest) else {
                        flush!(len);
                        return Ok(Decoded {
                            consumed: len,
                            done: false,
                        });
                    };
                    let p = i + rel;
                    if input.get(p) == Some(&b'\n') {
                        // A LF here has no CR before it in this line.
                        i = p + 1;
                        if !self.opts.allow_bare_lf {
                            flush!(i);
                            return Err(DotError {
                                kind: DotErrorKind::BareLf,
                                offset: p,
                                consumed: i,
                            });
                        }
                        continue;
                    }
                    match input.get(p + 1) {
                        None => {
                            flush!(p);
                            self.state = DecState::Cr;
                            return Ok(Decoded {
                                consumed: len,
                                done: false,
                            });
                        }
                        Some(b'\n') => {
                            i = p + 2;
                            match input.get(i) {
                                Some(b'.') => {
                                    flush!(i);
                                    i += 1;
                                    run = i;
                                    self.state = DecState::Dot;
                                }
                                Some(_) => {}
                                None => {
                                    flush!(i);
                                    self.state = DecState::LineStart;
                                    return Ok(Decoded {
                                        consumed: len,
                                        done: false,
                                    });
                                }
                            }
                        }
                        Some(_) => {
                            i = p + 1;
                            if !self.opts.allow_bare_cr {
                                flush!(i);
                                return Err(DotError {
                                    kind: DotErrorKind::BareCr,
                                    offset: i,
                                    consumed: i,
                                });
                            }
                        }
                    }
                }
                DecState::Cr => {
                    // A CR ended the previous chunk and was held back.
                    let Some(&b) = input.get(i) else {
                        return Ok(Decoded {
                            consumed: i,
                            done: false,
                        });
                    };
                    if b == b'\n' {
                        emit(b"\r\n");
                        i += 1;
                        run = i;
                        self.state = DecState::LineStart;
                    } else {
                        emit(b"\r");
                        self.state = DecState::Data;
                        if !self.opts.allow_bare_cr {
                            return Err(DotError {
                                kind: DotErrorKind::BareCr,
                                offset: 0,
                                consumed: i,
                            });
                        }
                    }
                }
                DecState::LineStart => match input.get(i) {
                    None => {
                        return Ok(Decoded {
                            consumed: i,
                            done: false,
                        });
                    }
                    Some(b'.') => {
                        i += 1;
                        run = i;
                        self.state = DecState::Dot;
                    }
                    Some(_) => self.state = DecState::Data,
                },
                DecState::Dot => match input.get(i) {
                    None => {
                        return Ok(Decoded {
                            consumed: i,
                            done: false,
                        });
                    }
                    Some(b'\r') => {
                        i += 1;
                        run = i;
                        self.state = DecState::DotCr;
                    }
                    // A dot followed by anything else was a transparency
                    // dot: it is dropped (RFC 5321 section 4.5.2).
                    Some(_) => self.state = DecState::Data,
                },
                DecState::DotCr => match input.get(i) {
                    None => {
                        return Ok(Decoded {
                            consumed: i,
                            done: false,
                        });
                    }
                    Some(b'\n') => {
                        i += 1;
                        self.state = DecState::Done;
                    }
                    Some(_) => {
                        // "." CR x: the dot was a transparency dot and the
                        // CR is a bare CR in the data.
                        emit(b"\r");
                        self.state = DecState::Data;
                        if !self.opts.allow_bare_cr {
                            return Err(DotError {
                                kind: DotErrorKind::BareCr,
                                offset: i,
                                consumed: i,
                            });
                        }
                    }
                },
            }
        }
    }
}

/// Bytes [`skip_plain`] tests at once: a few SIMD registers' worth, small
/// enough that a block holding a dot line wastes little.
const PLAIN_BLOCK: usize = 64;

/// Skips whole blocks of plain line data from `start`, where the decoder is
/// inside a line and `input[start]` is not a LF, and returns where the
/// line-by-line scan must go on.
///
/// A block is plain when every pair of adjacent bytes `x y` in it (the last
/// pair reaching one byte past the block) has neither a CR without a LF
/// after it, nor a LF without a CR before it, nor a LF followed by a dot:
/// then the block holds only text and CRLF line ends, with no dot to remove,
/// no end of data and nothing to report, and its bytes go to the output
/// unchanged. The test has no branch per byte, so the compiler turns it into
/// SIMD compares; a block that fails it (a dot line, the end, a bare CR or
/// LF) is left to the exact scan. The result never falls between CR and LF.
fn skip_plain(input: &[u8], start: usize) -> usize {
    let mut i = start;
    while let Some((a, b)) = input.get(i..).and_then(|r| {
        let a = r.first_chunk::<PLAIN_BLOCK>()?;
        let b = r.get(1..)?.first_chunk::<PLAIN_BLOCK>()?;
        Some((a, b))
    }) {
        let mut flags = 0u8;
        for (&x, &y) in a.iter().zip(b) {
            flags |= (u8::from(x == b'\r') ^ u8::from(y == b'\n'))
                | (u8::from(x == b'\n') & u8::from(y == b'.'));
        }
        if flags != 0 {
            break;
        }
        i += PLAIN_BLOCK;
    }
    // A plain block may end with the CR of a CRLF: leave the pair whole to
    // the exact scan.
    if i > start && i.checked_sub(1).and_then(|p| input.get(p)) == Some(&b'\r') {
        i -= 1;
    }
    i
}

/// Streaming dot-stuffer: writes a message as dot-stuffed data followed by
/// the terminator.
///
/// Strict by default: a chunk with a bare CR or LF is refused whole (nothing
/// of it is written), so the caller can fix it and retry, and the stream on
/// the wire never carries an ambiguous line end. With the leniencies of
/// [`DotOptions`] such bytes pass through unchanged, and a dot after a bare
/// CR or LF is stuffed too: a receiver that wrongly treats it as a line start
/// still cannot see an end of data, and a strict one keeps one extra dot.
///
/// ```
/// use mail_wire::dot::DotEncoder;
///
/// let mut enc = DotEncoder::new(Default::default());
/// let mut wire = Vec::new();
/// enc.encode(b".leading dot\r\nlast line", &mut wire).unwrap();
/// let added_crlf = enc.finish(&mut wire).unwrap();
/// assert!(added_crlf);
/// assert_eq!(wire, b"..leading dot\r\nlast line\r\n.\r\n");
/// ```
#[derive(Debug, Clone)]
pub struct DotEncoder {
    opts: DotOptions,
    line_start: bool,
    held_cr: bool,
    /// The last two bytes of the message so far (CRLF for an empty one).
    tail: [u8; 2],
}

impl DotEncoder {
    /// A stuffer at the start of the message.
    #[must_use]
    pub fn new(opts: DotOptions) -> Self {
        DotEncoder {
            opts,
            line_start: true,
            held_cr: false,
            tail: *b"\r\n",
        }
    }

    fn validate(&self, input: &[u8]) -> Result<(), DotError> {
        let refuse = |kind, offset| {
            Err(DotError {
                kind,
                offset,
                consumed: 0,
            })
        };
        if self.held_cr
            && !self.opts.allow_bare_cr
            && !input.is_empty()
            && input.first() != Some(&b'\n')
        {
            return refuse(DotErrorKind::BareCr, 0);
        }
        if self.opts.allow_bare_cr && self.opts.allow_bare_lf {
            return Ok(());
        }
        for p in memchr::memchr2_iter(b'\r', b'\n', input) {
            if input.get(p) == Some(&b'\r') {
                let next = input.get(p + 1);
                if next.is_some() && next != Some(&b'\n') && !self.opts.allow_bare_cr {
                    return refuse(DotErrorKind::BareCr, p + 1);
                }
            } else {
                let after_cr = match p.checked_sub(1) {
                    Some(q) => input.get(q) == Some(&b'\r'),
                    None => self.held_cr,
                };
                if !after_cr && !self.opts.allow_bare_lf {
                    return refuse(DotErrorKind::BareLf, p);
                }
            }
        }
        Ok(())
    }

    /// Stuffs one chunk of the message into `out`. A chunk may end anywhere,
    /// even between CR and LF. On error nothing of the chunk was written.
    pub fn encode(&mut self, input: &[u8], out: &mut impl BufMut) -> Result<(), DotError> {
        self.validate(input)?;
        if input.is_empty() {
            return Ok(());
        }
        if self.held_cr {
            out.put_u8(b'\r');
            self.held_cr = false;
            if input.first() != Some(&b'\n') {
                // A bare CR (allowed): stuff as if it started a line.
                self.line_start = true;
            }
        }
        let mut run = 0;
        let mut pos = 0;
        loop {
            if self.line_start && input.get(pos) == Some(&b'.') {
                if let Some(s) = input.get(run..pos) {
                    out.put_slice(s);
                }
                out.put_u8(b'.');
                run = pos;
            }
            self.line_start = false;
            let rest = input.get(pos..).unwrap_or_default();
            let hit = if self.opts.allow_bare_cr {
                memchr::memchr2(b'\r', b'\n', rest)
            } else {
                memchr::memchr(b'\n', rest)
            };
            let Some(rel) = hit else { break };
            let p = pos + rel;
            if input.get(p) == Some(&b'\r') {
                match input.get(p + 1) {
                    None => break,
                    Some(b'\n') => pos = p + 2,
                    Some(_) => pos = p + 1,
                }
            } else {
                pos = p + 1;
            }
            self.line_start = true;
            if pos >= input.len() {
                break;
            }
        }
        self.tail = match *input {
            [.., a, b] => [a, b],
            [b] => [self.tail[1], b],
            [] => self.tail,
        };
        let mut end = input.len();
        if input.last() == Some(&b'\r') {
            // Hold a final CR back: only the next chunk tells whether it is
            // half of CRLF.
            end -= 1;
            self.held_cr = true;
            self.line_start = false;
        }
        if let Some(s) = input.get(run..end) {
            out.put_slice(s);
        }
        Ok(())
    }

    /// Ends the message: writes CRLF if the message did not end with one
    /// (RFC 5321 section 4.1.1.4: the data must end with CRLF before the
    /// terminating dot), then `.` CRLF. Returns whether that CRLF was added,
    /// so nothing is changed silently.
    pub fn finish(self, out: &mut impl BufMut) -> Result<bool, DotError> {
        let mut added = false;
        if self.held_cr {
            if !self.opts.allow_bare_cr {
                return Err(DotError {
                    kind: DotErrorKind::BareCr,
                    offset: 0,
                    consumed: 0,
                });
            }
            out.put_u8(b'\r');
        }
        if self.tail != *b"\r\n" {
            out.put_slice(b"\r\n");
            added = true;
        }
        out.put_slice(b".\r\n");
        Ok(added)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Decodes `input` fed in chunks; returns (body, consumed, done, errors).
    fn decode_chunks(
        opts: DotOptions,
        input: &[u8],
        chunks: &[usize],
    ) -> (Vec<u8>, usize, bool, Vec<(DotErrorKind, usize)>) {
        let mut dec = DotDecoder::new(opts);
        let mut body = Vec::new();
        let mut errors = Vec::new();
        let mut pos = 0;
        let mut k = 0;
        while pos < input.len() && !dec.is_done() {
            let n = chunks[k % chunks.len()].max(1).min(input.len() - pos);
            k += 1;
            let mut chunk = &input[pos..pos + n];
            let mut base = pos;
            loop {
                match dec.decode(chunk, &mut body) {
                    Ok(d) => {
                        pos = base + d.consumed;
                        break;
                    }
                    Err(e) => {
                        errors.push((e.kind, base + e.offset));
                        chunk = &chunk[e.consumed..];
                        base += e.consumed;
                    }
                }
            }
        }
        (body, pos, dec.is_done(), errors)
    }

    fn decode_all(input: &[u8]) -> (Vec<u8>, usize, bool, Vec<(DotErrorKind, usize)>) {
        decode_chunks(DotOptions::default(), input, &[input.len().max(1)])
    }

    /// The decoder's contract one byte at a time, with no fast path: the
    /// reference the block-skipping decoder is checked against.
    fn decode_reference(
        opts: DotOptions,
        input: &[u8],
    ) -> (Vec<u8>, usize, bool, Vec<(DotErrorKind, usize)>) {
        #[derive(PartialEq)]
        enum S {
            LineStart,
            Data,
            Cr,
            Dot,
            DotCr,
        }
        let mut body = Vec::new();
        let mut errors = Vec::new();
        let mut s = S::LineStart;
        for (p, &b) in input.iter().enumerate() {
            // A held CR (after text or after a line-start dot) not followed
            // by LF is a bare CR, reported at the byte after it.
            if s == S::Cr || s == S::DotCr {
                if b == b'\n' {
                    if s == S::DotCr {
                        return (body, p + 1, true, errors);
                    }
                    body.extend_from_slice(b"\r\n");
                    s = S::LineStart;
                    continue;
                }
                body.push(b'\r');
                if !opts.allow_bare_cr {
                    errors.push((DotErrorKind::BareCr, p));
                }
                s = S::Data;
            }
            if s == S::LineStart && b == b'.' {
                s = S::Dot;
                continue;
            }
            if s == S::Dot && b == b'\r' {
                s = S::DotCr;
                continue;
            }
            match b {
                b'\r' => s = S::Cr,
                b'\n' => {
                    body.push(b);
                    if !opts.allow_bare_lf {
                        errors.push((DotErrorKind::BareLf, p));
                    }
                    s = S::Data;
                }
                _ => {
                    body.push(b);
                    s = S::Data;
                }
            }
        }
        (body, input.len(), false, errors)
    }

    /// Long runs of text between line ends, dots and bare CR/LF, so the
    /// block-skipping fast path meets its blocks at every alignment.
    fn long_data() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(
            prop_oneof![
                4 => (0usize..150).prop_map(|n| vec![b'a'; n]),
                4 => Just(b"\r\n".to_vec()),
                2 => Just(b"\r\n.".to_vec()),
                1 => Just(b".".to_vec()),
                1 => Just(b"\r".to_vec()),
                1 => Just(b"\n".to_vec()),
                1 => Just(b"\r\n.\r\n".to_vec()),
            ],
            0..40,
        )
        .prop_map(|parts| parts.concat())
    }

    #[test]
    fn dot_lines_at_every_block_offset() {
        for offset in 0..3 * PLAIN_BLOCK {
            for tail in [&b"..x\r\n"[..], b".\r\n", b"\n", b"\rx", b"."] {
                let mut input = vec![b'a'; offset];
                input.extend_from_slice(b"\r\n");
                input.extend_from_slice(tail);
                input.extend(std::iter::repeat_n(b'b', 2 * PLAIN_BLOCK));
                input.extend_from_slice(b"\r\n.\r\nNEXT");
                for opts in [
                    DotOptions::default(),
                    DotOptions {
                        allow_bare_lf: true,
                        allow_bare_cr: true,
                    },
                ] {
                    let expect = decode_reference(opts, &input);
                    for chunk in [input.len(), 1, 7, PLAIN_BLOCK + 1] {
                        assert_eq!(
                            decode_chunks(opts, &input, &[chunk]),
                            expect,
                            "offset {offset} tail {tail:?} chunk {chunk}"
                        );
                    }
                }
            }
        }
    }

    fn encode_chunks(opts: DotOptions, body: &[u8], chunks: &[usize]) -> (Vec<u8>, bool) {
        let mut enc = DotEncoder::new(opts);
        let mut wire = Vec::new();
        let mut pos = 0;
        let mut k = 0;
        while pos < body.len() {
            let n = chunks[k % chunks.len()].max(1).min(body.len() - pos);
            k += 1;
            enc.encode(&body[pos..pos + n], &mut wire).unwrap();
            pos += n;
        }
        let added = enc.finish(&mut wire).unwrap();
        (wire, added)
    }

    #[test]
    fn empty_body() {
        let (body, consumed, done, errs) = decode_all(b".\r\nQUIT\r\n");
        assert!(done && errs.is_empty() && body.is_empty());
        assert_eq!(consumed, 3);
        assert_eq!(
            encode_chunks(DotOptions::default(), b"", &[1]),
            (b".\r\n".to_vec(), false)
        );
    }

    #[test]
    fn stuffed_dot_on_first_line_and_final_crlf_kept() {
        let (body, consumed, done, _) = decode_all(b"..x\r\n...\r\n.\r\n");
        assert!(done);
        assert_eq!(consumed, 13);
        assert_eq!(body, b".x\r\n..\r\n");
        let (wire, added) = encode_chunks(DotOptions::default(), b".x\r\n..\r\n", &[1]);
        assert!(!added);
        assert_eq!(wire, b"..x\r\n...\r\n.\r\n");
    }

    #[test]
    fn a_line_that_is_only_a_dot_is_stuffed() {
        let (wire, _) = encode_chunks(DotOptions::default(), b"a\r\n.\r\nb\r\n", &[2]);
        assert_eq!(wire, b"a\r\n..\r\nb\r\n.\r\n");
        let (body, _, done, _) = decode_all(&wire);
        assert!(done);
        assert_eq!(body, b"a\r\n.\r\nb\r\n");
    }

    /// Every end-of-data variant but CRLF . CRLF is data, never an end
    /// (SMTP smuggling), in strict and in lenient mode.
    #[test]
    fn smuggling_variants_never_end_the_data() {
        let variants: [&[u8]; 8] = [
            b"\n.\n", b"\n.\r\n", b"\r.\r", b"\r\n.\n", b"\r.\n", b"\n.\r", b"\r\n.\r", b"\r.\r\n",
        ];
        let lenient = DotOptions {
            allow_bare_lf: true,
            allow_bare_cr: true,
        };
        for v in variants {
            let mut input = b"Subject: x\r\n\r\nbody".to_vec();
            input.extend_from_slice(v);
            input.extend_from_slice(b"MAIL FROM:<evil@example.com>\r\n");
            for opts in [DotOptions::default(), lenient] {
                for chunk in [1, 2, 3, 5, 64] {
                    let (_, consumed, done, errs) = decode_chunks(opts, &input, &[chunk]);
                    assert!(!done, "{v:?} ended the data");
                    assert_eq!(consumed, input.len());
                    assert_eq!(errs.is_empty(), opts == lenient, "{v:?} {errs:?}");
                }
            }
            // The real end still works after the bogus one.
            input.extend_from_slice(b"\r\n.\r\n");
            let (_, consumed, done, _) = decode_chunks(lenient, &input, &[7]);
            assert!(done);
            assert_eq!(consumed, input.len());
        }
    }

    #[test]
    fn bare_lf_reported_at_its_offset_and_passed_through() {
        let (body, _, done, errs) = decode_all(b"a\nb\r\n.\r\n");
        assert!(done);
        assert_eq!(errs, vec![(DotErrorKind::BareLf, 1)]);
        assert_eq!(body, b"a\nb\r\n");
        let (_, _, _, errs) = decode_chunks(DotOptions::default(), b"a\rb\r\n.\r\n", &[2]);
        assert_eq!(errs, vec![(DotErrorKind::BareCr, 2)]);
    }

    #[test]
    fn encoder_refuses_bare_line_ends_without_writing() {
        let mut enc = DotEncoder::new(DotOptions::default());
        let mut wire = Vec::new();
        let e = enc.encode(b"ab\ncd", &mut wire).unwrap_err();
        assert_eq!((e.kind, e.offset), (DotErrorKind::BareLf, 2));
        let e = enc.encode(b"ab\rcd", &mut wire).unwrap_err();
        assert_eq!((e.kind, e.offset), (DotErrorKind::BareCr, 3));
        assert!(wire.is_empty());
        enc.encode(b"ab\r", &mut wire).unwrap();
        assert_eq!(
            enc.encode(b"x", &mut wire).unwrap_err().kind,
            DotErrorKind::BareCr
        );
        enc.encode(b"\n.", &mut wire).unwrap();
        enc.finish(&mut wire).unwrap();
        assert_eq!(wire, b"ab\r\n..\r\n.\r\n");
        let mut enc = DotEncoder::new(DotOptions::default());
        enc.encode(b"ab\r", &mut wire).unwrap();
        assert!(enc.finish(&mut wire).is_err());
    }

    #[test]
    fn lenient_encoder_stuffs_after_bare_lf_and_terminates_properly() {
        let opts = DotOptions {
            allow_bare_lf: true,
            allow_bare_cr: true,
        };
        let (wire, added) = encode_chunks(opts, b"a\n.\n", &[1]);
        assert!(added);
        assert_eq!(wire, b"a\n..\n\r\n.\r\n");
        // A strict decoder reads it back with its single extra dot, and the
        // end is where the encoder put it.
        let (body, consumed, done, _) = decode_chunks(opts, &wire, &[3]);
        assert!(done);
        assert_eq!(consumed, wire.len());
        assert_eq!(body, b"a\n..\n\r\n");
    }

    fn crlf_body() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(
            prop_oneof![
                Just(b"\r\n".to_vec()),
                Just(b".".to_vec()),
                Just(b"a".to_vec()),
                Just(b"\r\n.\r\n".to_vec()),
                proptest::collection::vec(
                    any::<u8>().prop_filter("no CR/LF", |b| *b != b'\r' && *b != b'\n'),
                    0..4
                ),
            ],
            0..40,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn decoder_matches_the_byte_at_a_time_reference(
            input in long_data(),
            chunks in proptest::collection::vec(1usize..300, 1..5),
            lf in any::<bool>(), cr in any::<bool>(),
        ) {
            let opts = DotOptions { allow_bare_lf: lf, allow_bare_cr: cr };
            prop_assert_eq!(decode_chunks(opts, &input, &chunks), decode_reference(opts, &input));
        }

        #[test]
        fn stuff_then_unstuff_gives_the_message_back(
            body in crlf_body(),
            enc_chunks in proptest::collection::vec(1usize..9, 1..4),
            dec_chunks in proptest::collection::vec(1usize..9, 1..4),
        ) {
            let (wire, added) = encode_chunks(DotOptions::default(), &body, &enc_chunks);
            prop_assert_eq!((wire.clone(), added), encode_chunks(DotOptions::default(), &body, &[body.len().max(1)]));
            let mut wire2 = wire.clone();
            wire2.extend_from_slice(b"NEXT");
            let (decoded, consumed, done, errs) = decode_chunks(DotOptions::default(), &wire2, &dec_chunks);
            prop_assert!(done);
            prop_assert!(errs.is_empty());
            prop_assert_eq!(consumed, wire.len());
            let mut expect = body.clone();
            if added { expect.extend_from_slice(b"\r\n"); }
            prop_assert_eq!(decoded, expect);
        }

        #[test]
        fn decoder_chunk_split_invariance(
            input in proptest::collection::vec(prop_oneof![Just(b'\r'), Just(b'\n'), Just(b'.'), Just(b'x')], 0..120),
            chunks in proptest::collection::vec(1usize..9, 1..5),
            lf in any::<bool>(), cr in any::<bool>(),
        ) {
            let opts = DotOptions { allow_bare_lf: lf, allow_bare_cr: cr };
            let whole = decode_chunks(opts, &input, &[input.len().max(1)]);
            let split = decode_chunks(opts, &input, &chunks);
            prop_assert_eq!(whole, split);
        }

        #[test]
        fn decoder_only_ends_at_crlf_dot_crlf(
            input in proptest::collection::vec(prop_oneof![Just(b'\r'), Just(b'\n'), Just(b'.'), Just(b'x')], 0..120),
        ) {
            let lenient = DotOptions { allow_bare_lf: true, allow_bare_cr: true };
            let (_, consumed, done, _) = decode_chunks(lenient, &input, &[input.len().max(1)]);
            let framed = [b"\r\n".as_slice(), &input].concat();
            let end = framed.windows(5).position(|w| w == b"\r\n.\r\n");
            match end {
                Some(p) => { prop_assert!(done); prop_assert_eq!(consumed, p + 5 - 2); }
                None => { prop_assert!(!done); prop_assert_eq!(consumed, input.len()); }
            }
        }
    }
}
