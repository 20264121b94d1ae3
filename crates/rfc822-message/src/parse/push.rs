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

use std::collections::VecDeque;

use memchr::memchr;

use super::boundary::{self, Match};
use super::event::{BodyChunk, BodyStart, Event, HeaderField, PartEnd, PartKind, PartStart};
use super::header::{self, Beyond, CandidateLine, Outcome, Unit};
use super::{Defect, DefectKind, MAX_BOUNDARY_LEN, ParseError, ParserOptions};
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
    /// `type/subtype`, lower case.
    media: Vec<u8>,
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
        let mut p = Parser {
            opts,
            taken: 0,
            lf_total: 0,
            last_lf_end: 0,
            line_start: 0,
            frames: Vec::new(),
            mode: Mode::Header,
            queue: VecDeque::new(),
            pending: Vec::new(),
            pending_off: 0,
            pending_pos: 0,
            hold: Vec::new(),
            hold_kind: Hold::None,
            hold_off: 0,
            hold_le: 0,
            hold_stale: false,
            unit: Unit::new(),
            check_line_start: false,
            next_part: 0,
            seen_bare_lf: false,
            ct_raw: Vec::new(),
            ct_part: None,
            cte_raw: Vec::new(),
            cte_part: None,
            hdr_fields: 0,
            hdr_drop: false,
            skip_lf: false,
            active: 0,
            cap: 0,
            error: None,
            finished: false,
        };
        p.open_part(None, 0, 0);
        p
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
                .map(|f| f.media.len() + f.boundary.len())
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

    // ----- structure -----------------------------------------------------

    fn open_part(&mut self, parent: Option<usize>, depth: usize, at: u64) {
        let part = self.next_part;
        self.next_part += 1;
        self.frames.push(Frame {
            part,
            depth,
            header_start: at,
            body_start: at,
            in_header: true,
            lf_at_body: 0,
            kind: PartKind::Leaf,
            media: Vec::new(),
            slash: 0,
            boundary: Vec::new(),
            mp: MpState::Preamble,
            digest: false,
            blank_line: false,
            preamble_end: None,
            epilogue_start: None,
        });
        self.queue.push_back(Q::PartStart(PartStart {
            part,
            parent,
            depth,
            offset: at,
        }));
        self.unit = Unit::new();
        self.hdr_fields = 0;
        self.hdr_drop = false;
        self.line_start = at;
    }

    fn defect(&mut self, kind: DefectKind, offset: u64) {
        self.queue.push_back(Q::Defect(Defect::new(kind, offset)));
    }

    fn count_lf(&mut self, end: u64) {
        self.lf_total += 1;
        self.last_lf_end = end;
    }

    fn recompute_cap(&mut self) {
        let longest = self
            .frames
            .iter()
            .filter(|f| f.kind == PartKind::Multipart && f.mp != MpState::Epilogue)
            .map(|f| f.boundary.len())
            .max()
            .unwrap_or(0);
        self.cap = 4 + longest + DELIMITER_PADDING;
    }

    fn top_part(&self) -> usize {
        self.frames.last().map_or(0, |f| f.part)
    }

    fn region(&self) -> Region {
        match self.frames.last() {
            Some(f) if f.kind == PartKind::Multipart => {
                if f.mp == MpState::Epilogue {
                    Region::Epilogue
                } else {
                    Region::Preamble
                }
            }
            _ => Region::Body,
        }
    }

    fn match_delimiter(&self, line: &[u8], complete: bool) -> Option<Match> {
        let open = self
            .frames
            .iter()
            .enumerate()
            .filter(|(_, f)| f.kind == PartKind::Multipart && f.mp != MpState::Epilogue)
            .map(|(i, f)| (i, f.boundary.as_slice()));
        boundary::match_line(line, complete, open)
    }

    /// Ends the header of the top frame; the body starts at `at`.
    fn end_header(&mut self, at: u64, blank: bool, closing: bool) {
        let parent_digest = self
            .frames
            .len()
            .checked_sub(2)
            .and_then(|i| self.frames.get(i))
            .is_some_and(|f| f.kind == PartKind::Multipart && f.digest);
        let Some(top) = self.frames.last() else {
            return;
        };
        let part = top.part;
        let depth = top.depth;
        let ct = (self.ct_part == Some(part)).then_some(self.ct_raw.as_slice());
        let cte = (self.cte_part == Some(part)).then_some(self.cte_raw.as_slice());
        let mut defects: Vec<DefectKind> = Vec::new();
        let mut media = Vec::new();
        let slash;
        let mut boundary = Vec::new();
        let mut kind = PartKind::Leaf;
        let mut digest = false;
        let parsed = ct.map(|raw| ContentType::parse_with(raw, &self.opts.limits));
        let valid = match &parsed {
            Some(Ok(ct)) => Some(ct),
            Some(Err(_)) => {
                defects.push(DefectKind::InvalidContentType);
                None
            }
            None => None,
        };
        match valid {
            Some(ct) => {
                media.extend(ct.main_type().bytes().map(|b| b.to_ascii_lowercase()));
                slash = media.len();
                media.push(b'/');
                media.extend(ct.sub_type().bytes().map(|b| b.to_ascii_lowercase()));
                if ct.is_multipart() {
                    digest = ct.is("multipart", "digest");
                    match ct.boundary() {
                        Some(b) if !b.is_empty() && b.len() <= MAX_BOUNDARY_LEN => {
                            if b.len() > 70 {
                                defects.push(DefectKind::BoundaryTooLong);
                            }
                            boundary.extend_from_slice(b);
                            kind = PartKind::Multipart;
                        }
                        _ => defects.push(DefectKind::MissingBoundary),
                    }
                } else if ct.is_message() {
                    kind = PartKind::Message;
                }
            }
            None if parent_digest => {
                media.extend_from_slice(b"message/rfc822");
                slash = 7;
                kind = PartKind::Message;
            }
            None => {
                media.extend_from_slice(b"text/plain");
                slash = 4;
            }
        }
        if kind != PartKind::Leaf {
            let encoded = cte.is_some_and(|raw| {
                !matches!(
                    ContentTransferEncoding::parse(raw),
                    Ok(ContentTransferEncoding::SevenBit
                        | ContentTransferEncoding::EightBit
                        | ContentTransferEncoding::Binary)
                        | Err(_)
                )
            });
            if encoded {
                defects.push(DefectKind::EncodedComposite);
                if kind == PartKind::Message {
                    kind = PartKind::Leaf;
                }
            }
        }
        if kind != PartKind::Leaf && depth + 1 > self.opts.limits.max_depth {
            defects.push(DefectKind::NestingLimit);
            kind = PartKind::Leaf;
        }
        if kind == PartKind::Message && self.next_part >= self.opts.limits.max_parts {
            defects.push(DefectKind::PartLimit);
            kind = PartKind::Leaf;
        }
        for d in defects {
            self.defect(d, at);
        }
        let lf_total = self.lf_total;
        if let Some(top) = self.frames.last_mut() {
            top.in_header = false;
            top.body_start = at;
            top.lf_at_body = lf_total;
            top.kind = kind;
            top.media = media;
            top.slash = slash;
            top.boundary = boundary;
            top.digest = digest;
            top.blank_line = blank;
        }
        self.queue.push_back(Q::BodyStart(part));
        self.line_start = at;
        match kind {
            PartKind::Leaf => {}
            PartKind::Multipart => {
                self.active += 1;
                self.recompute_cap();
            }
            PartKind::Message => self.open_part(Some(part), depth + 1, at),
        }
        if !closing {
            self.mode = if kind == PartKind::Message {
                Mode::Header
            } else {
                Mode::Body
            };
            self.check_line_start = true;
        }
    }

    /// Pops the top frame (its body ends at `at`).
    fn pop_frame(&mut self, at: u64) {
        let Some(f) = self.frames.pop() else {
            return;
        };
        let mut preamble = None;
        let mut epilogue = None;
        if f.kind == PartKind::Multipart {
            match f.mp {
                MpState::Preamble => {
                    self.defect(DefectKind::MissingFirstDelimiter, at);
                    self.active = self.active.saturating_sub(1);
                }
                MpState::InPart => {
                    self.defect(DefectKind::MissingCloseDelimiter, at);
                    self.active = self.active.saturating_sub(1);
                }
                MpState::Epilogue => {}
            }
            self.recompute_cap();
            preamble = f.preamble_end.map(|e| f.body_start..e);
            epilogue = f.epilogue_start.map(|s| s..at.max(s));
        }
        self.queue.push_back(Q::PartEnd(PartEnd {
            part: f.part,
            header: f.header_start..f.body_start,
            body: f.body_start..at,
            lines: self.lf_total - f.lf_at_body,
            ends_with_line_end: at > f.body_start && self.last_lf_end == at,
            preamble,
            epilogue,
        }));
    }

    fn step_closing(&mut self, until: usize, at: u64, then: Then) {
        while self.frames.len() > until {
            if self.frames.last().is_some_and(|f| f.in_header) {
                self.end_header(at, false, true);
                return;
            }
            self.pop_frame(at);
        }
        match then {
            Then::Done => self.mode = Mode::Done,
            Then::Delimiter(a) => self.apply_delimiter(a),
        }
    }

    /// A delimiter line of the boundary of frame `m.index` starts at
    /// `line_at`; the line end before it (if any) starts at `at`.
    fn on_delimiter(
        &mut self,
        m: Match,
        at: u64,
        le_end: Option<u64>,
        line_at: u64,
        (line, line_lf): (LineEnd, bool),
    ) {
        if m.garbage {
            self.defect(DefectKind::DelimiterTrailingGarbage, line_at);
        }
        self.mode = Mode::Closing {
            until: m.index + 1,
            at,
            then: Then::Delimiter(DelimAction {
                index: m.index,
                close: m.close,
                le_end,
                at,
                line,
                line_lf,
            }),
        };
    }

    fn apply_delimiter(&mut self, a: DelimAction) {
        if let Some(e) = a.le_end {
            self.count_lf(e);
        }
        let mut closed_now = false;
        if let Some(f) = self.frames.get_mut(a.index) {
            if f.mp == MpState::Preamble {
                f.preamble_end = Some(a.at);
            }
            if a.close {
                f.mp = MpState::Epilogue;
                closed_now = true;
            } else {
                f.mp = MpState::InPart;
            }
        }
        if closed_now {
            self.active = self.active.saturating_sub(1);
            self.recompute_cap();
        }
        match a.line {
            LineEnd::At(p) => {
                if a.line_lf {
                    self.count_lf(p);
                }
                self.finish_delimiter(a.index, a.close, p);
            }
            LineEnd::Skip => {
                self.mode = Mode::SkipLine {
                    index: a.index,
                    close: a.close,
                }
            }
        }
    }

    /// The delimiter line ended at `p` (after its LF).
    fn finish_delimiter(&mut self, index: usize, close: bool, p: u64) {
        self.line_start = p;
        self.check_line_start = true;
        self.mode = Mode::Body;
        let over = !close && self.next_part >= self.opts.limits.max_parts;
        if over {
            self.defect(DefectKind::PartLimit, p);
            self.active = self.active.saturating_sub(1);
        }
        let Some(f) = self.frames.get_mut(index) else {
            return;
        };
        if close || over {
            f.mp = MpState::Epilogue;
            f.epilogue_start = Some(p);
            if over {
                self.recompute_cap();
            }
        } else {
            let (part, depth) = (f.part, f.depth);
            self.open_part(Some(part), depth + 1, p);
            self.mode = Mode::Header;
        }
    }

    // ----- line ends -----------------------------------------------------

    /// Defects for the line that ends at `le_abs` (its line end starts
    /// there); the caller has emitted the line's content.
    fn line_end_defects(&self, le_abs: u64, crlf: bool) -> (bool, bool) {
        let long = le_abs.saturating_sub(self.line_start) > self.opts.limits.max_line_len as u64;
        let bare = !crlf && !self.seen_bare_lf;
        (long, bare)
    }

    fn queue_line_defects(&mut self, (long, bare): (bool, bool), le_abs: u64) {
        if long {
            self.defect(DefectKind::LineTooLong, self.line_start);
        }
        if bare {
            self.seen_bare_lf = true;
            self.defect(DefectKind::BareLf, le_abs);
        }
    }

    fn push_data(&mut self, src: Src, start: usize, end: usize, offset: u64) {
        if end > start {
            self.queue.push_back(Q::Data {
                region: self.region(),
                part: self.top_part(),
                offset,
                src,
                start,
                len: end - start,
            });
        }
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

    fn step_header(&mut self, chunk: &[u8], pos: &mut usize, base: u64, eof: bool) -> bool {
        let scope = self.active > 0;
        let cap = self.cap;
        let field_max = self.opts.limits.max_field_size;
        if self.pending_pos < self.pending.len() {
            let mut progressed = false;
            loop {
                let beyond = match chunk.get(*pos) {
                    Some(&b) => Beyond::Byte(b),
                    None if eof => Beyond::End,
                    None => Beyond::Unknown,
                };
                let out = header::scan(&mut self.unit, &self.pending, beyond, scope, cap);
                if out != Outcome::NeedMore {
                    if let Outcome::Blank { len } = out
                        && len > self.pending.len()
                    {
                        // the LF of a CR LF blank line was only peeked at
                        let extra = len - self.pending.len();
                        let bytes = chunk.get(*pos..*pos + extra).unwrap_or_default();
                        self.pending.extend_from_slice(bytes);
                        *pos += bytes.len();
                    }
                    let pending = std::mem::take(&mut self.pending);
                    let used =
                        self.header_outcome(out, &pending, Src::Pending, 0, self.pending_off);
                    self.pending = pending;
                    self.pending_pos += used;
                    return true;
                }
                let Some(rest) = chunk.get(*pos..).filter(|r| !r.is_empty()) else {
                    return progressed;
                };
                let through_lf = memchr(LF, rest).map_or(rest.len(), |k| k + 1);
                let room = if self.unit.is_start() {
                    (cap + 2).saturating_sub(self.pending.len()).max(1)
                } else if self.unit.is_field() {
                    (field_max + 1).saturating_sub(self.pending.len()).max(1)
                } else {
                    (header::MAX_NAME + 2)
                        .saturating_sub(self.pending.len())
                        .max(1)
                };
                let take = through_lf.min(room);
                self.pending
                    .extend_from_slice(rest.get(..take).unwrap_or_default());
                *pos += take;
                progressed = true;
                if self.unit.is_field() && self.pending.len() > field_max {
                    let pending = std::mem::take(&mut self.pending);
                    self.field_too_long(self.pending_off, &pending);
                    self.pending = pending;
                    self.pending_pos = self.pending.len();
                    return true;
                }
            }
        }
        let Some(data) = chunk.get(*pos..).filter(|r| !r.is_empty()) else {
            if eof {
                self.end_header(base + *pos as u64, false, false);
                return true;
            }
            return false;
        };
        let abs = base + *pos as u64;
        let out = header::scan(&mut self.unit, data, Beyond::Unknown, scope, cap);
        if out == Outcome::NeedMore {
            if self.unit.is_field() && data.len() > field_max {
                self.field_too_long(abs, data);
            } else {
                self.pending.clear();
                self.pending.extend_from_slice(data);
                self.pending_off = abs;
                self.pending_pos = 0;
            }
            *pos = chunk.len();
            return true;
        }
        let used = self.header_outcome(out, chunk, Src::Chunk, *pos, abs);
        *pos += used;
        true
    }

    /// A field over `max_field_size` starting at `off`, of which `seen` is
    /// consumed now; the rest of it is skipped.
    fn field_too_long(&mut self, off: u64, seen: &[u8]) {
        self.defect(DefectKind::FieldTooLong, off);
        for k in memchr::memchr_iter(LF, seen) {
            self.count_lf(off + k as u64 + 1);
        }
        self.skip_lf = seen.last() == Some(&LF);
        self.mode = Mode::SkipField;
    }

    /// Acts on a scanned header unit that starts at `data[start]`, offset
    /// `abs`; returns the octets consumed.
    fn header_outcome(
        &mut self,
        out: Outcome,
        data: &[u8],
        src: Src,
        start: usize,
        abs: u64,
    ) -> usize {
        let unit = data.get(start..).unwrap_or_default();
        match out {
            Outcome::NeedMore => 0,
            Outcome::EndOfInput => {
                self.end_header(abs, false, false);
                0
            }
            Outcome::Blank { len } => {
                let le_abs = abs;
                let d = self.line_end_defects(le_abs, len == 2);
                self.queue_line_defects(d, le_abs);
                self.count_lf(abs + len as u64);
                self.end_header(abs + len as u64, true, false);
                len
            }
            Outcome::NonField => {
                self.defect(DefectKind::MissingBlankLine, abs);
                self.end_header(abs, false, false);
                0
            }
            Outcome::Candidate(c) => {
                let line = unit.get(..c.content).unwrap_or_default();
                match self.match_delimiter(line, c.complete) {
                    None => {
                        self.unit.candidate_checked = true;
                        0
                    }
                    Some(m) => {
                        let (used, end) = self.delimiter_line_use(unit, c, abs);
                        self.on_delimiter(m, abs, None, abs, end);
                        used
                    }
                }
            }
            Outcome::Field {
                len,
                name_end,
                value_start,
                value_end,
            } => {
                let field = unit.get(..len).unwrap_or_default();
                if len > self.opts.limits.max_field_size {
                    self.defect(DefectKind::FieldTooLong, abs);
                    for k in memchr::memchr_iter(LF, field) {
                        self.count_lf(abs + k as u64 + 1);
                    }
                    self.line_start = abs + len as u64;
                    self.unit = Unit::new();
                    return len;
                }
                for k in memchr::memchr_iter(LF, field) {
                    let cr = k > 0 && field.get(k - 1) == Some(&CR);
                    let le_abs = abs + (k - usize::from(cr)) as u64;
                    let d = self.line_end_defects(le_abs, cr);
                    self.queue_line_defects(d, le_abs);
                    self.count_lf(abs + k as u64 + 1);
                    self.line_start = abs + k as u64 + 1;
                }
                self.line_start = abs + len as u64;
                self.unit = Unit::new();
                let part = self.top_part();
                self.hdr_fields += 1;
                if !self.hdr_drop {
                    let header_start = self.frames.last().map_or(0, |f| f.header_start);
                    if self.hdr_fields > self.opts.limits.max_header_count {
                        self.hdr_drop = true;
                        self.defect(DefectKind::HeaderCountLimit, abs);
                    } else if abs + len as u64 - header_start
                        > self.opts.limits.max_header_size as u64
                    {
                        self.hdr_drop = true;
                        self.defect(DefectKind::HeaderSizeLimit, abs);
                    }
                }
                if self.hdr_drop {
                    return len;
                }
                let name = field.get(..name_end).unwrap_or_default();
                let value = field.get(value_start..value_end).unwrap_or_default();
                if name.eq_ignore_ascii_case(b"content-type") && self.ct_part != Some(part) {
                    self.ct_raw.clear();
                    self.ct_raw.extend_from_slice(value);
                    self.ct_part = Some(part);
                } else if name.eq_ignore_ascii_case(b"content-transfer-encoding")
                    && self.cte_part != Some(part)
                {
                    self.cte_raw.clear();
                    self.cte_raw.extend_from_slice(value);
                    self.cte_part = Some(part);
                }
                self.queue.push_back(Q::Header {
                    part,
                    offset: abs,
                    src,
                    start,
                    len,
                    name_end,
                    value_start,
                    value_end,
                });
                len
            }
        }
    }

    /// How much of a delimiter candidate line starting at `line[0]` (offset
    /// `abs`) to consume now, how the line ends, and whether with an LF.
    fn delimiter_line_use(
        &self,
        line: &[u8],
        c: CandidateLine,
        abs: u64,
    ) -> (usize, (LineEnd, bool)) {
        match c.line_len {
            Some(n) => {
                let lf = n > 0 && line.get(n - 1) == Some(&LF);
                (n, (LineEnd::At(abs + n as u64), lf))
            }
            None => ((self.cap + 2).min(line.len()), (LineEnd::Skip, false)),
        }
    }

    fn step_skip_field(&mut self, chunk: &[u8], pos: &mut usize, base: u64, eof: bool) -> bool {
        let Some(data) = chunk.get(*pos..).filter(|r| !r.is_empty()) else {
            if eof {
                self.mode = Mode::Header;
                self.unit = Unit::new();
                return true;
            }
            return false;
        };
        let mut i = 0;
        loop {
            if self.skip_lf {
                match data.get(i) {
                    None => {
                        *pos += i;
                        return true;
                    }
                    Some(&b) if b == b' ' || b == b'\t' => self.skip_lf = false,
                    Some(_) => {
                        self.skip_lf = false;
                        *pos += i;
                        self.line_start = base + *pos as u64;
                        self.mode = Mode::Header;
                        self.unit = Unit::new();
                        return true;
                    }
                }
            }
            let rest = data.get(i..).unwrap_or_default();
            match memchr(LF, rest) {
                None => {
                    *pos += data.len();
                    return true;
                }
                Some(k) => {
                    i += k + 1;
                    self.count_lf(base + (*pos + i) as u64);
                    self.skip_lf = true;
                }
            }
        }
    }

    fn step_skip_line(
        &mut self,
        chunk: &[u8],
        pos: &mut usize,
        base: u64,
        eof: bool,
        index: usize,
        close: bool,
    ) -> bool {
        if self.pending_pos < self.pending.len() {
            let rest = self.pending.get(self.pending_pos..).unwrap_or_default();
            match memchr(LF, rest) {
                Some(k) => {
                    self.pending_pos += k + 1;
                    let end = self.pending_off + self.pending_pos as u64;
                    self.count_lf(end);
                    self.finish_delimiter(index, close, end);
                }
                None => self.pending_pos = self.pending.len(),
            }
            return true;
        }
        let Some(data) = chunk.get(*pos..).filter(|r| !r.is_empty()) else {
            if eof {
                self.finish_delimiter(index, close, base + *pos as u64);
                return true;
            }
            return false;
        };
        match memchr(LF, data) {
            Some(k) => {
                *pos += k + 1;
                let end = base + *pos as u64;
                self.count_lf(end);
                self.finish_delimiter(index, close, end);
            }
            None => *pos = chunk.len(),
        }
        true
    }

    fn step_body(&mut self, chunk: &[u8], pos: &mut usize, base: u64, eof: bool) -> bool {
        if self.hold_kind != Hold::None {
            return self.resolve_hold(chunk, pos, eof);
        }
        if self.pending_pos < self.pending.len() {
            let pending = std::mem::take(&mut self.pending);
            let start = self.pending_pos;
            let data = pending.get(start..).unwrap_or_default();
            let abs = self.pending_off + start as u64;
            let used = self.scan_body(data, Src::Pending, start, abs);
            self.pending = pending;
            self.pending_pos += used;
            return true;
        }
        match chunk.get(*pos..).filter(|r| !r.is_empty()) {
            Some(data) => {
                let used = self.scan_body(data, Src::Chunk, *pos, base + *pos as u64);
                *pos += used;
                true
            }
            None if eof => {
                if self.taken.saturating_sub(self.line_start) > self.opts.limits.max_line_len as u64
                {
                    self.defect(DefectKind::LineTooLong, self.line_start);
                }
                self.end_of_input();
                true
            }
            None => false,
        }
    }

    /// Scans body bytes `data` (which are `src[start..]`, at offset `abs`);
    /// returns the octets consumed.
    fn scan_body(&mut self, data: &[u8], src: Src, start: usize, abs: u64) -> usize {
        let scope = self.active > 0;
        let mut run = 0usize;
        let mut i = 0usize;
        if std::mem::take(&mut self.check_line_start)
            && scope
            && let Some(used) = self.try_candidate(data, 0, 0, run, src, start, abs)
        {
            return used;
        }
        loop {
            let rest = data.get(i..).unwrap_or_default();
            let Some(k) = memchr(LF, rest) else {
                let mut end = data.len();
                let cr = data.last() == Some(&CR);
                if cr {
                    end -= 1;
                }
                self.push_data(src, start + run, start + end, abs + run as u64);
                if cr {
                    self.hold_kind = Hold::Cr;
                    self.hold_off = abs + end as u64;
                }
                return data.len();
            };
            let j = i + k;
            let cr = j > 0 && data.get(j - 1) == Some(&CR);
            let content_end = j - usize::from(cr);
            let le_abs = abs + content_end as u64;
            let d = self.line_end_defects(le_abs, cr);
            if d.0 || d.1 {
                self.push_data(src, start + run, start + content_end, abs + run as u64);
                run = content_end;
                self.queue_line_defects(d, le_abs);
            }
            i = j + 1;
            self.line_start = abs + i as u64;
            if scope
                && let Some(used) = self.try_candidate(data, content_end, i, run, src, start, abs)
            {
                return used;
            }
            self.count_lf(abs + i as u64);
        }
    }

    /// A line starts at `data[i]`, after a line end at `data[le..i]` (empty
    /// at the start of a body). Returns `Some(consumed)` when the scan must
    /// stop: the line is held, or it is a delimiter line.
    #[allow(clippy::too_many_arguments)]
    fn try_candidate(
        &mut self,
        data: &[u8],
        le: usize,
        i: usize,
        run: usize,
        src: Src,
        start: usize,
        abs: u64,
    ) -> Option<usize> {
        let rest = data.get(i..).unwrap_or_default();
        let maybe = matches!(rest, [] | [b'-'] | [b'-', b'-', ..]);
        if !maybe {
            return None;
        }
        let hold = |p: &mut Self| {
            p.push_data(src, start + run, start + le, abs + run as u64);
            p.hold.clear();
            p.hold.extend_from_slice(data.get(le..).unwrap_or_default());
            p.hold_kind = Hold::Candidate;
            p.hold_off = abs + le as u64;
            p.hold_le = i - le;
            Some(data.len())
        };
        if rest.len() < 2 {
            return hold(self);
        }
        let Some(c) = header::candidate_line(rest, false, self.cap) else {
            return hold(self);
        };
        let line = rest.get(..c.content).unwrap_or_default();
        let m = self.match_delimiter(line, c.complete)?;
        self.push_data(src, start + run, start + le, abs + run as u64);
        let line_abs = abs + i as u64;
        let le_end = (i > le).then_some(line_abs);
        let (used, end) = self.delimiter_line_use(rest, c, line_abs);
        self.on_delimiter(m, abs + le as u64, le_end, line_abs, end);
        Some(i + used)
    }

    fn resolve_hold(&mut self, chunk: &[u8], pos: &mut usize, eof: bool) -> bool {
        let data = chunk.get(*pos..).unwrap_or_default();
        let scope = self.active > 0;
        match self.hold_kind {
            Hold::None => false,
            Hold::Cr => match data.first() {
                None if !eof => false,
                Some(&LF) => {
                    let le_abs = self.hold_off;
                    let d = self.line_end_defects(le_abs, true);
                    self.queue_line_defects(d, le_abs);
                    *pos += 1;
                    self.line_start = le_abs + 2;
                    if scope {
                        self.hold.clear();
                        self.hold.extend_from_slice(b"\r\n");
                        self.hold_kind = Hold::Candidate;
                        self.hold_le = 2;
                    } else {
                        self.hold_kind = Hold::None;
                        self.count_lf(le_abs + 2);
                        self.push_data(Src::Static(b"\r\n"), 0, 2, le_abs);
                    }
                    true
                }
                _ => {
                    self.hold_kind = Hold::None;
                    self.push_data(Src::Static(b"\r"), 0, 1, self.hold_off);
                    true
                }
            },
            Hold::Candidate => self.resolve_candidate(data, pos, eof),
        }
    }

    fn resolve_candidate(&mut self, data: &[u8], pos: &mut usize, eof: bool) -> bool {
        let le = self.hold_le;
        let have = self.hold.len() - le;
        let line_abs = self.hold_off + le as u64;
        // The first two octets of the line must be `--`.
        let first_two = self
            .hold
            .get(le..)
            .unwrap_or_default()
            .iter()
            .chain(data.iter())
            .take(2);
        let known = first_two.clone().count();
        let prefix_ok = first_two.clone().all(|&b| b == b'-');
        if prefix_ok && known < 2 {
            if eof {
                return self.flush_hold(eof);
            }
            if data.is_empty() {
                return false;
            }
            self.hold.extend_from_slice(data);
            *pos += data.len();
            return true;
        }
        if !prefix_ok {
            return self.flush_hold(eof);
        }
        let want = (self.cap + 2).saturating_sub(have);
        let window = data.get(..data.len().min(want)).unwrap_or_default();
        let lf = memchr(LF, window);
        let capped = lf.is_none() && window.len() >= want;
        if lf.is_none() && !capped && !eof {
            self.hold.extend_from_slice(window);
            *pos += window.len();
            return !window.is_empty();
        }
        let take = lf.unwrap_or(window.len());
        self.hold
            .extend_from_slice(window.get(..take).unwrap_or_default());
        *pos += take;
        let cand = self.hold.get(le..).unwrap_or_default();
        let complete = !capped;
        let content_len = if capped {
            self.cap.min(cand.len())
        } else if cand.last() == Some(&CR) {
            cand.len() - 1
        } else {
            cand.len()
        };
        let content = cand.get(..content_len).unwrap_or_default();
        let Some(m) = self.match_delimiter(content, complete) else {
            return self.flush_hold(eof);
        };
        let cand_len = cand.len() as u64;
        let at = self.hold_off;
        let le_end = (le > 0).then_some(line_abs);
        let line = if lf.is_some() {
            *pos += 1;
            (LineEnd::At(line_abs + cand_len + 1), true)
        } else if capped {
            (LineEnd::Skip, false)
        } else {
            (LineEnd::At(line_abs + cand_len), false)
        };
        self.hold_kind = Hold::None;
        self.hold_stale = true;
        self.on_delimiter(m, at, le_end, line_abs, line);
        true
    }

    /// The held bytes are not a delimiter line: they are body. A CR at
    /// their end stays held (it may start the next line end).
    fn flush_hold(&mut self, eof: bool) -> bool {
        let le = self.hold_le;
        if le > 0 {
            self.count_lf(self.hold_off + le as u64);
        }
        let n = self.hold.len();
        if n > le && self.hold.last() == Some(&CR) && !eof {
            self.push_data(Src::Hold, 0, n - 1, self.hold_off);
            self.hold_kind = Hold::Cr;
            self.hold_off += (n - 1) as u64;
        } else {
            self.push_data(Src::Hold, 0, n, self.hold_off);
            self.hold_kind = Hold::None;
        }
        self.hold_stale = true;
        true
    }

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
                        f.media.as_slice(),
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
