//! Header blocks: fields, the blank line, delimiter lines in a header,
//! and skipping over-long fields and delimiter lines.

use super::*;
use crate::parse::header;

/// Most queue entries one call of [`Parser::step_header`] makes from fields
/// that follow each other in one chunk.
const FIELD_RUN: usize = 32;

impl Parser {
    pub(super) fn step_header(
        &mut self,
        chunk: &[u8],
        pos: &mut usize,
        base: u64,
        eof: bool,
    ) -> bool {
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
        // Field after field of the same header without returning to the
        // caller: each is queued, and the queue is drained once for the
        // run (bounded, so the queue stays small).
        let mut data = data;
        loop {
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
            let more = matches!(out, Outcome::Field { .. })
                && self.mode == Mode::Header
                && self.queue.len() < FIELD_RUN;
            match chunk.get(*pos..).filter(|r| more && !r.is_empty()) {
                Some(rest) => data = rest,
                None => return true,
            }
        }
    }

    /// A field over `max_field_size` starting at `off`, of which `seen` is
    /// consumed now; the rest of it is skipped.
    pub(super) fn field_too_long(&mut self, off: u64, seen: &[u8]) {
        self.defect(DefectKind::FieldTooLong, off);
        self.field_too_long_skip(off, seen);
    }

    /// Skips a header unit starting at `off`, of which `seen` is consumed
    /// now, up to the end of its last folded line.
    pub(super) fn field_too_long_skip(&mut self, off: u64, seen: &[u8]) {
        for k in memchr::memchr_iter(LF, seen) {
            self.count_lf(off + k as u64 + 1);
        }
        self.skip_lf = seen.last() == Some(&LF);
        self.skip_prev_cr = seen.last() == Some(&CR);
        if self.skip_lf {
            let cr = seen.len() >= 2 && seen.get(seen.len() - 2) == Some(&CR);
            self.hdr_le = 1 + usize::from(cr);
        }
        self.mode = Mode::SkipField;
    }

    /// The line end whose LF is `field[k]`, in a field at offset `abs`:
    /// its defects, and the line count.
    fn field_line_end(&mut self, field: &[u8], k: usize, abs: u64) {
        let cr = k > 0 && field.get(k - 1) == Some(&CR);
        let le_abs = abs + (k - usize::from(cr)) as u64;
        let d = self.line_end_defects(le_abs, cr);
        self.queue_line_defects(d, le_abs);
        self.count_lf(abs + k as u64 + 1);
        self.line_start = abs + k as u64 + 1;
    }

    /// Acts on a scanned header unit that starts at `data[start]`, offset
    /// `abs`; returns the octets consumed.
    pub(super) fn header_outcome(
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
                self.line_start = abs + len as u64;
                if self.active > 0 {
                    self.mode = Mode::BlankPending {
                        start: abs,
                        end: abs + len as u64,
                    };
                } else {
                    self.count_lf(abs + len as u64);
                    self.end_header(abs + len as u64, true, false);
                }
                len
            }
            Outcome::NonField if self.opts.header_junk == HeaderJunk::Skip => {
                // Dovecot's reading: the header goes on; the line (and any
                // folded continuation of it) is skipped.
                self.defect(DefectKind::InvalidHeaderLine, abs);
                self.field_too_long_skip(abs, if src == Src::Pending { unit } else { &[] });
                if src == Src::Pending { unit.len() } else { 0 }
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
                        // RFC 2046 5.1.1: the line end before the delimiter
                        // belongs to it, not to the header.
                        // Its LF was counted with the field: count it
                        // after the parts the delimiter closes instead.
                        let at = abs - self.hdr_le as u64;
                        let le_end = (self.hdr_le > 0).then(|| {
                            self.lf_total = self.lf_total.saturating_sub(1);
                            // the octet before `at` is field content
                            self.last_lf_end = u64::MAX;
                            abs
                        });
                        let (used, end) = self.delimiter_line_use(unit, c, abs);
                        self.on_delimiter(m, at, le_end, abs, end);
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
                self.hdr_le = if field.ends_with(b"\r\n") {
                    2
                } else {
                    usize::from(field.ends_with(b"\n"))
                };
                if len > self.opts.limits.max_field_size {
                    self.defect(DefectKind::FieldTooLong, abs);
                    for k in memchr::memchr_iter(LF, field) {
                        self.count_lf(abs + k as u64 + 1);
                    }
                    self.line_start = abs + len as u64;
                    self.unit = Unit::new();
                    return len;
                }
                // Unfolded (the common case): the only LF, if any, ends it.
                if self.unit.folded {
                    for k in memchr::memchr_iter(LF, field) {
                        self.field_line_end(field, k, abs);
                    }
                } else if field.last() == Some(&LF) {
                    self.field_line_end(field, len - 1, abs);
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
                let mut role = FieldRole::Other;
                if name.eq_ignore_ascii_case(b"content-type") && self.ct_part != Some(part) {
                    self.ct_raw.clear();
                    self.ct_raw.extend_from_slice(value);
                    self.ct_part = Some(part);
                    role = FieldRole::ContentType;
                } else if name.eq_ignore_ascii_case(b"content-transfer-encoding")
                    && self.cte_part != Some(part)
                {
                    self.cte_raw.clear();
                    self.cte_raw.extend_from_slice(value);
                    self.cte_part = Some(part);
                    role = FieldRole::TransferEncoding;
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
                    role,
                });
                len
            }
        }
    }

    /// How much of a delimiter candidate line starting at `line[0]` (offset
    /// `abs`) to consume now, how the line ends, and whether with an LF.
    pub(super) fn delimiter_line_use(
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

    /// Looks at the line after a blank line that may end the header
    /// (see [`Mode::BlankPending`]); the look-ahead goes into `pending`, the
    /// input prefix both header and body modes read first.
    pub(super) fn step_blank_pending(
        &mut self,
        chunk: &[u8],
        pos: &mut usize,
        base: u64,
        eof: bool,
        start: u64,
        end: u64,
    ) -> bool {
        let cap = self.cap;
        let mut progressed = false;
        let verdict = loop {
            let look = self.pending.get(self.pending_pos..).unwrap_or_default();
            let at_end = eof && *pos >= chunk.len();
            let v = match look {
                [a, ..] if *a != b'-' => Some(None),
                [_, b, ..] if *b != b'-' => Some(None),
                [] | [_] if at_end => Some(None),
                [] | [_] => None,
                _ => header::candidate_line(look, at_end, cap).map(Some),
            };
            if let Some(v) = v {
                break v;
            }
            let Some(rest) = chunk.get(*pos..).filter(|r| !r.is_empty()) else {
                return progressed;
            };
            if self.pending.is_empty() {
                self.pending_off = base + *pos as u64;
            }
            let room = (cap + 2).saturating_sub(look.len()).max(1);
            let take = memchr(LF, rest).map_or(rest.len(), |k| k + 1).min(room);
            self.pending
                .extend_from_slice(rest.get(..take).unwrap_or_default());
            *pos += take;
            progressed = true;
        };
        let look = self.pending.get(self.pending_pos..).unwrap_or_default();
        let m = verdict.and_then(|c| {
            let content = look.get(..c.content).unwrap_or_default();
            let m = self.match_delimiter(content, c.complete)?;
            // The boundary this header declares is the innermost: a line
            // of its own is its first delimiter, not an outer one's.
            let own = self.own_boundary();
            let own_first = own.as_deref().is_some_and(|b| {
                let all = self.open_boundaries().chain([(usize::MAX, b)]);
                boundary::match_line(content, c.complete, all)
                    .is_some_and(|m| m.index == usize::MAX)
            });
            (!own_first).then_some((m, c))
        });
        match m {
            Some((m, c)) => {
                let (used, line) = self.delimiter_line_use(look, c, end);
                self.pending_pos += used;
                self.on_delimiter(m, start, Some(end), end, line);
            }
            None => {
                self.count_lf(end);
                self.end_header(end, true, false);
            }
        }
        true
    }

    pub(super) fn step_skip_field(
        &mut self,
        chunk: &[u8],
        pos: &mut usize,
        base: u64,
        eof: bool,
    ) -> bool {
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
                    self.skip_prev_cr = data.last() == Some(&CR);
                    *pos += data.len();
                    return true;
                }
                Some(k) => {
                    let j = i + k;
                    let cr = if j > 0 {
                        data.get(j - 1) == Some(&CR)
                    } else {
                        self.skip_prev_cr
                    };
                    self.hdr_le = 1 + usize::from(cr);
                    i = j + 1;
                    self.count_lf(base + (*pos + i) as u64);
                    self.skip_lf = true;
                }
            }
        }
    }

    pub(super) fn step_skip_line(
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
}
