//! Opening and closing parts: header ends, delimiters, the part stack.

use super::*;

/// `main/sub` lower case, and the position of the slash. Common media
/// types come as constants (looked up by the two lengths, then compared
/// ignoring case), so most parts allocate nothing.
fn lower_media(main: &[u8], sub: &[u8]) -> (std::borrow::Cow<'static, [u8]>, usize) {
    let slash = main.len();
    let is = |a: &[u8], b: &[u8]| a.eq_ignore_ascii_case(b);
    let common: Option<&'static [u8]> = match (main.len(), sub.len()) {
        (4, 5) if is(main, b"text") && is(sub, b"plain") => Some(b"text/plain"),
        (4, 4) if is(main, b"text") && is(sub, b"html") => Some(b"text/html"),
        (9, 5) if is(main, b"multipart") && is(sub, b"mixed") => Some(b"multipart/mixed"),
        (9, 11) if is(main, b"multipart") && is(sub, b"alternative") => {
            Some(b"multipart/alternative")
        }
        (9, 7) if is(main, b"multipart") && is(sub, b"related") => Some(b"multipart/related"),
        (9, 6) if is(main, b"multipart") && is(sub, b"signed") => Some(b"multipart/signed"),
        (9, 6) if is(main, b"multipart") && is(sub, b"report") => Some(b"multipart/report"),
        (9, 6) if is(main, b"multipart") && is(sub, b"digest") => Some(b"multipart/digest"),
        (7, 6) if is(main, b"message") && is(sub, b"rfc822") => Some(b"message/rfc822"),
        (7, 6) if is(main, b"message") && is(sub, b"global") => Some(b"message/global"),
        (7, 15) if is(main, b"message") && is(sub, b"delivery-status") => {
            Some(b"message/delivery-status")
        }
        (11, 12) if is(main, b"application") && is(sub, b"octet-stream") => {
            Some(b"application/octet-stream")
        }
        (11, 3) if is(main, b"application") && is(sub, b"pdf") => Some(b"application/pdf"),
        (11, 13) if is(main, b"application") && is(sub, b"pgp-signature") => {
            Some(b"application/pgp-signature")
        }
        (5, 3) if is(main, b"image") && is(sub, b"png") => Some(b"image/png"),
        (5, 4) if is(main, b"image") && is(sub, b"jpeg") => Some(b"image/jpeg"),
        (5, 3) if is(main, b"image") && is(sub, b"gif") => Some(b"image/gif"),
        _ => None,
    };
    if let Some(m) = common {
        return (std::borrow::Cow::Borrowed(m), slash);
    }
    let mut m = Vec::with_capacity(main.len() + sub.len() + 1);
    m.extend(main.iter().map(u8::to_ascii_lowercase));
    m.push(b'/');
    m.extend(sub.iter().map(u8::to_ascii_lowercase));
    (std::borrow::Cow::Owned(m), slash)
}

impl Parser {
    // ----- structure -----------------------------------------------------

    pub(super) fn open_part(&mut self, parent: Option<usize>, depth: usize, at: u64) {
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
            media: std::borrow::Cow::Borrowed(b"text/plain"),
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
        self.hdr_le = 0;
        self.line_start = at;
    }

    pub(super) fn defect(&mut self, kind: DefectKind, offset: u64) {
        self.queue.push_back(Q::Defect(Defect::new(kind, offset)));
    }

    pub(super) fn count_lf(&mut self, end: u64) {
        self.lf_total += 1;
        self.last_lf_end = end;
    }

    pub(super) fn recompute_cap(&mut self) {
        let longest = self
            .frames
            .iter()
            .filter(|f| f.kind == PartKind::Multipart && f.mp != MpState::Epilogue)
            .map(|f| f.boundary.len())
            .max()
            .unwrap_or(0);
        self.cap = 4 + longest + DELIMITER_PADDING;
    }

    pub(super) fn top_part(&self) -> usize {
        self.frames.last().map_or(0, |f| f.part)
    }

    pub(super) fn region(&self) -> Region {
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

    /// The open boundaries, outermost first, with their frame index.
    pub(super) fn open_boundaries(
        &self,
    ) -> impl DoubleEndedIterator<Item = (usize, &[u8])> + Clone + '_ {
        self.frames
            .iter()
            .enumerate()
            .filter(|(_, f)| f.kind == PartKind::Multipart && f.mp != MpState::Epilogue)
            .map(|(i, f)| (i, f.boundary.as_slice()))
    }

    pub(super) fn match_delimiter(&self, line: &[u8], complete: bool) -> Option<Match> {
        boundary::match_line(line, complete, self.open_boundaries())
    }

    /// The boundary the current header declares, if its part is a
    /// multipart (parsed now; only needed in a rare look-ahead).
    pub(super) fn own_boundary(&self) -> Option<Vec<u8>> {
        let part = self.frames.last()?.part;
        if self.ct_part != Some(part) {
            return None;
        }
        let ct = ContentType::parse_with(&self.ct_raw, &self.opts.limits).ok()?;
        if !ct.is_multipart() {
            return None;
        }
        ct.boundary().map(<[u8]>::to_vec)
    }

    /// Ends the header of the top frame; the body starts at `at`.
    pub(super) fn end_header(&mut self, at: u64, blank: bool, closing: bool) {
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
        let media: std::borrow::Cow<'static, [u8]>;
        let slash;
        let mut boundary = Vec::new();
        let mut kind = PartKind::Leaf;
        let mut digest = false;
        let parsed = ct.map(|raw| crate::header::mime::media_type(raw, &self.opts.limits));
        let valid = match &parsed {
            Some(Ok(ct)) => Some(ct),
            Some(Err(_)) => {
                defects.push(DefectKind::InvalidContentType);
                None
            }
            None => None,
        };
        match valid {
            Some(mt) => {
                (media, slash) = lower_media(mt.main, mt.sub);
                let sub = media.get(slash + 1..).unwrap_or_default();
                if let Some(ct) = mt.full.as_ref().filter(|ct| ct.is_multipart()) {
                    digest = sub == b"digest";
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
                } else if media.starts_with(b"message/") && matches!(sub, b"rfc822" | b"global") {
                    kind = PartKind::Message;
                }
            }
            None if parent_digest => {
                media = std::borrow::Cow::Borrowed(b"message/rfc822");
                slash = 7;
                kind = PartKind::Message;
            }
            None => {
                media = std::borrow::Cow::Borrowed(b"text/plain");
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
    pub(super) fn pop_frame(&mut self, at: u64) {
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

    pub(super) fn step_closing(&mut self, until: usize, at: u64, then: Then) {
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
    pub(super) fn on_delimiter(
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

    pub(super) fn apply_delimiter(&mut self, a: DelimAction) {
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
    pub(super) fn finish_delimiter(&mut self, index: usize, close: bool, p: u64) {
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
    pub(super) fn line_end_defects(&self, le_abs: u64, crlf: bool) -> (bool, bool) {
        let long = le_abs.saturating_sub(self.line_start) > self.opts.limits.max_line_len as u64;
        let bare = !crlf && !self.seen_bare_lf;
        (long, bare)
    }

    pub(super) fn queue_line_defects(&mut self, (long, bare): (bool, bool), le_abs: u64) {
        if long {
            self.defect(DefectKind::LineTooLong, self.line_start);
        }
        if bare {
            self.seen_bare_lf = true;
            self.defect(DefectKind::BareLf, le_abs);
        }
    }

    pub(super) fn push_data(&mut self, src: Src, start: usize, end: usize, offset: u64) {
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
}

#[cfg(test)]
mod lower_media_tests {
    use super::lower_media;

    #[test]
    fn lower_case_with_or_without_the_table() {
        for (main, sub, want, borrowed) in [
            ("TEXT", "Plain", "text/plain", true),
            ("multipart", "ALTERNATIVE", "multipart/alternative", true),
            ("Message", "RFC822", "message/rfc822", true),
            ("image", "GIF", "image/gif", true),
            ("Application", "X-Thing", "application/x-thing", false),
            ("text", "plains", "text/plains", false),
        ] {
            let (m, slash) = lower_media(main.as_bytes(), sub.as_bytes());
            assert_eq!(&*m, want.as_bytes());
            assert_eq!(slash, main.len());
            assert_eq!(
                matches!(m, std::borrow::Cow::Borrowed(_)),
                borrowed,
                "{want}"
            );
        }
    }
}
