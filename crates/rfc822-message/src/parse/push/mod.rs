//! The push parser: a state machine over the bytes of one message.
//!
//! Design notes (the invariants the code keeps):
//!
//! * Events are produced one *step* at a time into a small queue. A step
//!   runs only when the queue is empty, so the buffers a queued event
//!   borrows (`pending`, `hold`) are never changed while it waits; they are
//!   cleared at the start of the next step.
//! * `pending` holds header units (a field, a candidate line) that run past
//!   the end of a chunk, bounded by `max_field_size`; when the header ends on
//!   a line that is not a field, those bytes are replayed as the body.
//! * `hold` holds the end of a body line and the start of the next line
//!   while it may still be a delimiter line (a few hundred octets at most).
//!   A lone CR at the end of a chunk is held as [`Hold::Cr`] with no buffer.
//! * Every decision depends on the bytes only, never on where a chunk ends:
//!   candidate lines are decided on their first `cap + 2` octets, line
//!   defects are reported at the line end, header fields when complete.
//! * `lf_total` counts the LF octets consumed; a part's line count is the
//!   difference between its value at the body's end and start. The LF of
//!   the line end before a delimiter is counted only once the parts that it
//!   ends are closed.

mod body;
mod header_mode;
mod structure;

use std::collections::VecDeque;

use memchr::memchr;

use super::boundary::{self, Match};
use super::event::{BodyChunk, BodyStart, Event, HeaderField, PartEnd, PartKind, PartStart};
use super::header::{self, Beyond, CandidateLine, Outcome, Unit};
use super::{Defect, DefectKind, HeaderJunk, MAX_BOUNDARY_LEN, ParseError, ParserOptions};
use crate::header::mime::{ContentTransferEncoding, ContentType};

const CR: u8 = b'\r';
const LF: u8 = b'\n';

/// Transport padding allowed after a boundary before a candidate line is
/// decided on its start alone.
const DELIMITER_PADDING: usize = 128;

/// A streaming (push) parser for one message.
///
/// Feed it the message in chunks of any size with [`feed`](Self::feed),
/// then call [`finish`](Self::finish); each returns an [`Events`] cursor to
/// drain. See the [module documentation](super) for an example.
#[derive(Debug)]
pub struct Parser {
    opts: ParserOptions,
    /// Octets received so far (all chunks fed).
    taken: u64,
    lf_total: u64,
    /// Offset just past the last LF counted in `lf_total`.
    last_lf_end: u64,
    /// Offset of the start of the current line.
    line_start: u64,
    frames: Vec<Frame>,
    mode: Mode,
    queue: VecDeque<Q>,
    pending: Vec<u8>,
    pending_off: u64,
    pending_pos: usize,
    hold: Vec<u8>,
    hold_kind: Hold,
    hold_off: u64,
    /// Length of the line end at the start of `hold` (candidate holds).
    hold_le: usize,
    hold_stale: bool,
    unit: Unit,
    check_line_start: bool,
    next_part: usize,
    seen_bare_lf: bool,
    ct_raw: Vec<u8>,
    ct_part: Option<usize>,
    cte_raw: Vec<u8>,
    cte_part: Option<usize>,
    hdr_fields: usize,
    hdr_drop: bool,
    /// Length of the line end that ends the header so far (0 at its
    /// start): it belongs to a delimiter line that ends the header.
    hdr_le: usize,
    /// The octet before the data a skip mode looks at is a CR.
    skip_prev_cr: bool,
    skip_lf: bool,
    /// Open boundaries (multiparts not yet past their close delimiter).
    active: usize,
    /// Longest candidate line content looked at before deciding.
    cap: usize,
    error: Option<ParseError>,
    finished: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hold {
    None,
    /// A CR ended the input so far (at `hold_off`); no buffer used.
    Cr,
    /// `hold` = line end (`hold_le` octets) + the start of a line that may
    /// be a delimiter line.
    Candidate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MpState {
    Preamble,
    InPart,
    Epilogue,
}

#[derive(Debug)]
struct Frame {
    part: usize,
    depth: usize,
    header_start: u64,
    body_start: u64,
    in_header: bool,
    lf_at_body: u64,
    kind: PartKind,
    /// `type/subtype`, lower case (the defaults are not allocated).
    media: std::borrow::Cow<'static, [u8]>,
    slash: usize,
    boundary: Vec<u8>,
    mp: MpState,
    digest: bool,
    blank_line: bool,
    preamble_end: Option<u64>,
    epilogue_start: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineEnd {
    /// The delimiter line was consumed up to this offset (after its LF, or
    /// at the end of input).
    At(u64),
    /// The rest of the line must be skipped first.
    Skip,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DelimAction {
    index: usize,
    close: bool,
    /// Offset just after the line end that precedes the delimiter, when it
    /// has one (its LF is counted after the closed parts).
    le_end: Option<u64>,
    at: u64,
    line: LineEnd,
    /// The delimiter line ended with an LF (counted after the closing).
    line_lf: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Then {
    Delimiter(DelimAction),
    Done,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Header,
    Body,
    /// Skipping a field longer than `max_field_size`.
    SkipField,
    /// A blank line ended a header while a boundary is open: it is the
    /// header's end unless the next line is a delimiter line, whose line
    /// end it then is (RFC 2046 section 5.1.1).
    BlankPending {
        start: u64,
        end: u64,
    },
    /// Skipping the rest of a delimiter line.
    SkipLine {
        index: usize,
        close: bool,
    },
    /// Closing parts down to `until` frames at offset `at`, then `then`.
    Closing {
        until: usize,
        at: u64,
        then: Then,
    },
    Done,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Src {
    Chunk,
    Pending,
    Hold,
    Static(&'static [u8]),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Region {
    Body,
    Preamble,
    Epilogue,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Q {
    PartStart(PartStart),
    Header {
        part: usize,
        offset: u64,
        src: Src,
        start: usize,
        len: usize,
        name_end: usize,
        value_start: usize,
        value_end: usize,
        role: FieldRole,
    },
    BodyStart(usize),
    Data {
        region: Region,
        part: usize,
        offset: u64,
        src: Src,
        start: usize,
        len: usize,
    },
    PartEnd(PartEnd),
    Defect(Defect),
}

/// The memory a [`Parser`] allocates, kept between parses by
/// [`crate::Message::parse_with`] (one set per thread): most messages then
/// parse without allocating any of it again.
#[derive(Debug, Default)]
pub(crate) struct Buffers {
    frames: Vec<Frame>,
    queue: VecDeque<Q>,
    pending: Vec<u8>,
    hold: Vec<u8>,
    ct_raw: Vec<u8>,
    cte_raw: Vec<u8>,
}

impl Buffers {
    /// Whether the buffers are small enough to keep for the next parse
    /// (a long line or a deep tree grows them; such memory is let go).
    pub(crate) fn worth_keeping(&self) -> bool {
        self.frames.capacity() <= 64
            && self.queue.capacity() <= 256
            && self.pending.capacity() + self.hold.capacity() <= 16 * 1024
            && self.ct_raw.capacity() + self.cte_raw.capacity() <= 16 * 1024
    }
}

impl Default for Parser {
    fn default() -> Self {
        Self::new()
    }
}

impl Parser {
    /// A parser with the default options (lenient, default limits).
    #[must_use]
    pub fn new() -> Self {
        Self::with_options(ParserOptions::default())
    }

    /// A parser with `opts`.
    #[must_use]
    pub fn with_options(opts: ParserOptions) -> Self {
        Self::with_buffers(
            opts,
            Buffers {
                frames: Vec::with_capacity(4),
                queue: VecDeque::with_capacity(8),
                pending: Vec::new(),
                hold: Vec::new(),
                ct_raw: Vec::new(),
                cte_raw: Vec::new(),
            },
        )
    }

    /// A fresh parser with `opts` that uses `bufs` (emptied first) as its
    /// buffers, so that their memory serves again.
    pub(crate) fn with_buffers(opts: ParserOptions, bufs: Buffers) -> Self {
        let Buffers {
            mut frames,
            mut queue,
            mut pending,
            mut hold,
            mut ct_raw,
            mut cte_raw,
        } = bufs;
        frames.clear();
        queue.clear();
        pending.clear();
        hold.clear();
        ct_raw.clear();
        cte_raw.clear();
        let mut p = Parser {
            opts,
            taken: 0,
            lf_total: 0,
            last_lf_end: 0,
            line_start: 0,
            frames,
            mode: Mode::Header,
            queue,
            pending,
            pending_off: 0,
            pending_pos: 0,
            hold,
            hold_kind: Hold::None,
            hold_off: 0,
            hold_le: 0,
            hold_stale: false,
            unit: Unit::new(),
            check_line_start: false,
            next_part: 0,
            seen_bare_lf: false,
            ct_raw,
            ct_part: None,
            cte_raw,
            cte_part: None,
            hdr_fields: 0,
            hdr_drop: false,
            hdr_le: 0,
            skip_prev_cr: false,
            skip_lf: false,
            active: 0,
            cap: 0,
            error: None,
            finished: false,
        };
        p.open_part(None, 0, 0);
        p
    }

    /// The parser's buffers, to hand to [`with_buffers`](Self::with_buffers).
    pub(crate) fn into_buffers(self) -> Buffers {
        Buffers {
            frames: self.frames,
            queue: self.queue,
            pending: self.pending,
            hold: self.hold,
            ct_raw: self.ct_raw,
            cte_raw: self.cte_raw,
        }
    }

    /// The options the parser runs with.
    #[must_use]
    pub fn options(&self) -> &ParserOptions {
        &self.opts
    }

    /// Hands the parser the next `chunk` of the message. Drain the returned
    /// cursor with [`Events::next_event`]; dropping it early skips the
    /// remaining events of the chunk (the parse itself goes on).
    pub fn feed<'p, 'c>(&'p mut self, chunk: &'c [u8]) -> Events<'p, 'c> {
        let base = self.taken;
        if self.finished {
            self.error.get_or_insert(ParseError::Finished);
        } else {
            self.taken += chunk.len() as u64;
        }
        Events {
            parser: self,
            chunk,
            pos: 0,
            base,
            eof: false,
        }
    }

    /// Signals the end of the message: the cursor yields what is left
    /// (the last line, the ends of all open parts and their defects).
    pub fn finish(&mut self) -> Events<'_, 'static> {
        self.finished = true;
        let base = self.taken;
        Events {
            parser: self,
            chunk: &[],
            pos: 0,
            base,
            eof: true,
        }
    }

    /// Octets the parser holds copied from the input right now: a header
    /// field cut by a chunk end, the line end and start of a possible
    /// delimiter line, the Content-Type and Content-Transfer-Encoding values
    /// of the current header, the media types and boundaries of the open
    /// parts. Bounded by the limits, whatever the size of the message.
    #[must_use]
    pub fn buffered_len(&self) -> usize {
        self.pending.len()
            + self.hold.len()
            + self.ct_raw.len()
            + self.cte_raw.len()
            + self
                .frames
                .iter()
                .map(|f| match &f.media {
                    std::borrow::Cow::Owned(m) => m.len() + f.boundary.len(),
                    std::borrow::Cow::Borrowed(_) => f.boundary.len(),
                })
                .sum::<usize>()
    }

    /// Octets fed so far.
    #[must_use]
    pub fn offset(&self) -> u64 {
        self.taken
    }

    /// Whether the parse is over: [`finish`](Self::finish) was called and
    /// all its events drained.
    #[must_use]
    pub fn is_done(&self) -> bool {
        self.mode == Mode::Done && self.queue.is_empty()
    }

    // ----- steps ---------------------------------------------------------

    fn gc(&mut self) {
        if self.pending_pos > 0 {
            if self.pending_pos >= self.pending.len() {
                self.pending.clear();
            } else {
                self.pending.drain(..self.pending_pos);
            }
            self.pending_off += self.pending_pos as u64;
            self.pending_pos = 0;
        }
        if self.hold_stale {
            self.hold.clear();
            self.hold_stale = false;
        }
    }

    /// One step; false when nothing can be done without more input.
    fn step(&mut self, chunk: &[u8], pos: &mut usize, base: u64, eof: bool) -> bool {
        self.gc();
        match self.mode {
            Mode::Header => self.step_header(chunk, pos, base, eof),
            Mode::Body => self.step_body(chunk, pos, base, eof),
            Mode::SkipField => self.step_skip_field(chunk, pos, base, eof),
            Mode::BlankPending { start, end } => {
                self.step_blank_pending(chunk, pos, base, eof, start, end)
            }
            Mode::SkipLine { index, close } => {
                self.step_skip_line(chunk, pos, base, eof, index, close)
            }
            Mode::Closing { until, at, then } => {
                self.step_closing(until, at, then);
                true
            }
            Mode::Done => false,
        }
    }

    fn end_of_input(&mut self) {
        self.mode = Mode::Closing {
            until: 0,
            at: self.taken,
            then: Then::Done,
        };
    }

    #[inline]
    fn resolve<'s>(&'s self, chunk: &'s [u8], q: Q) -> Event<'s> {
        let bytes = |src: Src, start: usize, len: usize| -> &'s [u8] {
            let s: &'s [u8] = match src {
                Src::Chunk => chunk,
                Src::Pending => &self.pending,
                Src::Hold => &self.hold,
                Src::Static(s) => s,
            };
            s.get(start..start + len).unwrap_or_default()
        };
        match q {
            Q::PartStart(p) => Event::PartStart(p),
            Q::Header {
                part,
                offset,
                src,
                start,
                len,
                name_end,
                value_start,
                value_end,
                ..
            } => Event::Header(HeaderField::new(
                part,
                offset,
                bytes(src, start, len),
                name_end,
                value_start,
                value_end,
            )),
            Q::BodyStart(part) => {
                let f = self.frames.iter().rev().find(|f| f.part == part);
                let (media, slash, boundary, kind, header, blank) = match f {
                    Some(f) => (
                        &*f.media,
                        f.slash,
                        (f.kind == PartKind::Multipart).then_some(f.boundary.as_slice()),
                        f.kind,
                        f.header_start..f.body_start,
                        f.blank_line,
                    ),
                    None => (&b"text/plain"[..], 4, None, PartKind::Leaf, 0..0, false),
                };
                let (t, s) = media.split_at_checked(slash).unwrap_or((media, &[]));
                Event::BodyStart(BodyStart {
                    part,
                    kind,
                    header,
                    media_type: t.into(),
                    media_subtype: s.get(1..).unwrap_or_default().into(),
                    boundary: boundary.map(Into::into),
                    content_type: (self.ct_part == Some(part))
                        .then(|| self.ct_raw.as_slice().into()),
                    transfer_encoding: (self.cte_part == Some(part))
                        .then(|| self.cte_raw.as_slice().into()),
                    blank_line: blank,
                })
            }
            Q::Data {
                region,
                part,
                offset,
                src,
                start,
                len,
            } => {
                let c = BodyChunk {
                    part,
                    offset,
                    bytes: bytes(src, start, len).into(),
                };
                match region {
                    Region::Body => Event::Body(c),
                    Region::Preamble => Event::Preamble(c),
                    Region::Epilogue => Event::Epilogue(c),
                }
            }
            Q::PartEnd(p) => Event::PartEnd(p),
            Q::Defect(d) => Event::Defect(d),
        }
    }
}

/// Whether a header field is the first Content-Type or the first
/// Content-Transfer-Encoding field of its part (the ones the parser reads).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldRole {
    /// Any other field.
    Other,
    /// The part's first Content-Type field.
    ContentType,
    /// The part's first Content-Transfer-Encoding field.
    TransferEncoding,
}

/// What [`Message`](crate::Message) keeps of an event: the same queue
/// entries the public [`Events`] cursor resolves, handed over without
/// building an [`Event`] (body bytes are not needed, so not resolved).
#[derive(Debug)]
pub(crate) enum Structure<'q> {
    PartStart(&'q PartStart),
    Header {
        part: usize,
        offset: u64,
        len: usize,
        name_end: usize,
        value_start: usize,
        value_end: usize,
        role: FieldRole,
    },
    /// As [`Event::BodyStart`]: its kind, and whether the part has no
    /// Content-Type field and is `message/rfc822` (the digest default).
    BodyStart {
        part: usize,
        kind: PartKind,
        digest_default: bool,
    },
    PartEnd(&'q PartEnd),
    Defect(Defect),
}

impl Parser {
    /// Parses `input` as the whole message (as [`feed`](Self::feed) then
    /// [`finish`](Self::finish), draining both), handing every event but
    /// the body chunks to `sink` as a [`Structure`]. Errors as
    /// [`Events::next_event`].
    pub(crate) fn parse_whole(
        &mut self,
        input: &[u8],
        sink: &mut impl FnMut(Structure<'_>),
    ) -> Result<(), ParseError> {
        let base = self.taken;
        if self.finished {
            self.error.get_or_insert(ParseError::Finished);
        } else {
            self.taken += input.len() as u64;
        }
        self.drain_structure(input, base, false, sink)?;
        self.finished = true;
        let base = self.taken;
        self.drain_structure(&[], base, true, sink)
    }

    fn drain_structure(
        &mut self,
        chunk: &[u8],
        base: u64,
        eof: bool,
        sink: &mut impl FnMut(Structure<'_>),
    ) -> Result<(), ParseError> {
        let mut pos = 0;
        loop {
            if let Some(e) = self.error {
                return Err(e);
            }
            // entries are read in place (no move out of the queue), then
            // cleared; none of them owns memory
            let mut strict_stop = None;
            for q in &self.queue {
                match q {
                    Q::Defect(d) if self.opts.strict => {
                        strict_stop = Some(*d);
                        break;
                    }
                    Q::Defect(d) => sink(Structure::Defect(*d)),
                    Q::PartStart(p) => sink(Structure::PartStart(p)),
                    Q::Header {
                        part,
                        offset,
                        len,
                        name_end,
                        value_start,
                        value_end,
                        role,
                        ..
                    } => sink(Structure::Header {
                        part: *part,
                        offset: *offset,
                        len: *len,
                        name_end: *name_end,
                        value_start: *value_start,
                        value_end: *value_end,
                        role: *role,
                    }),
                    Q::BodyStart(part) => {
                        let (kind, digest_default) = self.body_start_kind(*part);
                        sink(Structure::BodyStart {
                            part: *part,
                            kind,
                            digest_default,
                        });
                    }
                    Q::PartEnd(e) => sink(Structure::PartEnd(e)),
                    Q::Data { .. } => {}
                }
            }
            self.queue.clear();
            if let Some(d) = strict_stop {
                self.error = Some(ParseError::Defect(d));
                return Err(ParseError::Defect(d));
            }
            if !self.step(chunk, &mut pos, base, eof) {
                return Ok(());
            }
        }
    }

    /// The kind of `part` and whether it is `message/rfc822` by default
    /// (no Content-Type field), as [`resolve`](Self::resolve) reports them.
    fn body_start_kind(&self, part: usize) -> (PartKind, bool) {
        match self.frames.iter().rev().find(|f| f.part == part) {
            Some(f) => {
                let (t, s) = f.media.split_at_checked(f.slash).unwrap_or((&f.media, &[]));
                let is_rfc822 = t.eq_ignore_ascii_case(b"message")
                    && s.get(1..)
                        .unwrap_or_default()
                        .eq_ignore_ascii_case(b"rfc822");
                (f.kind, is_rfc822 && self.ct_part != Some(part))
            }
            None => (PartKind::Leaf, false),
        }
    }
}

/// The events of one chunk (from [`Parser::feed`]) or of the end of input
/// (from [`Parser::finish`]). Events borrow from the chunk and the parser,
/// so each must be dropped before asking for the next.
#[derive(Debug)]
pub struct Events<'p, 'c> {
    parser: &'p mut Parser,
    chunk: &'c [u8],
    pos: usize,
    base: u64,
    eof: bool,
}

impl Events<'_, '_> {
    /// The next event, or `None` when this chunk is used up (or, after
    /// [`Parser::finish`], when the parse is over).
    ///
    /// # Errors
    /// In strict mode, the first defect as [`ParseError::Defect`] (and the
    /// same error from then on); [`ParseError::Finished`] for input fed after
    /// [`Parser::finish`].
    #[inline]
    pub fn next_event(&mut self) -> Result<Option<Event<'_>>, ParseError> {
        loop {
            if let Some(e) = &self.parser.error {
                return Err(*e);
            }
            if let Some(q) = self.parser.queue.pop_front() {
                if let Q::Defect(d) = &q
                    && self.parser.opts.strict
                {
                    self.parser.error = Some(ParseError::Defect(*d));
                    continue;
                }
                return Ok(Some(self.parser.resolve(self.chunk, q)));
            }
            if !self
                .parser
                .step(self.chunk, &mut self.pos, self.base, self.eof)
            {
                return Ok(None);
            }
        }
    }
}

impl Drop for Events<'_, '_> {
    fn drop(&mut self) {
        while let Ok(Some(_)) = self.next_event() {}
    }
}
