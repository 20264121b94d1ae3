//! Bodies: the line scan, delimiter candidates at line starts, and the
//! held line end + line start while a candidate is undecided.

use super::*;

impl Parser {
    pub(super) fn step_body(
        &mut self,
        chunk: &[u8],
        pos: &mut usize,
        base: u64,
        eof: bool,
    ) -> bool {
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
    pub(super) fn scan_body(&mut self, data: &[u8], src: Src, start: usize, abs: u64) -> usize {
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
    pub(super) fn try_candidate(
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

    pub(super) fn resolve_hold(&mut self, chunk: &[u8], pos: &mut usize, eof: bool) -> bool {
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

    pub(super) fn resolve_candidate(&mut self, data: &[u8], pos: &mut usize, eof: bool) -> bool {
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
    pub(super) fn flush_hold(&mut self, eof: bool) -> bool {
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
}
