//! Streaming quoted-printable (RFC 2045 section 6.7).

use bytes::BufMut;
use memchr::memchr3;

use super::{DecodeDefect, DecodeDefectKind, DefectLog};

/// Trailing white space kept pending longer than this is data, not padding
/// to delete (RFC 2045 limits encoded lines to 76 characters).
const MAX_PENDING_WSP: usize = 998;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum State {
    #[default]
    Text,
    /// After `=`.
    Eq,
    /// After `=` and one hex digit.
    EqHex(u8),
    /// After `=` and white space (a soft line break with padding).
    EqWsp,
    /// After `=` (and white space) and CR.
    EqCr,
}

/// A streaming quoted-printable decoder.
///
/// `=XX` escapes (upper or, with [`DecodeDefectKind::LowercaseHex`], lower
/// case hex), soft line breaks (`=` then optional white space then CRLF or
/// LF; `=` at the very end), and removal of white space at the end of a
/// line (rule 3). Line ends are kept as they are (CRLF or LF). An `=` that
/// starts no valid escape is kept literally
/// ([`DecodeDefectKind::InvalidEscape`]).
#[derive(Debug, Clone, Default)]
pub struct QpDecoder {
    state: State,
    /// White space (then maybe a CR) seen at the end of the input so far,
    /// kept until we know whether the line ends there.
    wsp: Vec<u8>,
    /// `wsp` is followed by a CR.
    cr: bool,
    /// Offset of the `=` that began the escape or soft line break being
    /// read (valid outside [`State::Text`]).
    eq_start: u64,
    /// Offset of the first octet held in `wsp` (or of the CR when `wsp` is
    /// empty), valid while something is held in [`State::Text`].
    pend_start: u64,
    offset: u64,
    log: DefectLog,
}

fn hex(b: u8) -> Option<(u8, bool)> {
    match b {
        b'0'..=b'9' => Some((b - b'0', false)),
        b'A'..=b'F' => Some((b - b'A' + 10, false)),
        b'a'..=b'f' => Some((b - b'a' + 10, true)),
        _ => None,
    }
}

fn is_wsp(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

impl QpDecoder {
    /// A new decoder.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn flush_pending<B: BufMut>(&mut self, out: &mut B) {
        out.put_slice(&self.wsp);
        self.wsp.clear();
        if std::mem::take(&mut self.cr) {
            out.put_u8(b'\r');
        }
    }

    /// Decodes `input`, appending the octets to `out`.
    pub fn decode<B: BufMut>(&mut self, input: &[u8], out: &mut B) {
        let mut i = 0usize;
        while i < input.len() {
            let off = self.offset + i as u64;
            let Some(&b) = input.get(i) else { break };
            match self.state {
                State::Eq => {
                    if hex(b).is_some() {
                        self.state = State::EqHex(b);
                        i += 1;
                    } else if is_wsp(b) {
                        self.state = State::EqWsp;
                        self.wsp.push(b);
                        i += 1;
                    } else if b == b'\r' {
                        self.state = State::EqCr;
                        i += 1;
                    } else if b == b'\n' {
                        self.state = State::Text;
                        i += 1;
                    } else {
                        self.log
                            .record(DecodeDefectKind::InvalidEscape, self.eq_start);
                        out.put_u8(b'=');
                        self.state = State::Text;
                    }
                }
                State::EqHex(h) => {
                    self.state = State::Text;
                    match (hex(h), hex(b)) {
                        (Some((hi, l1)), Some((lo, l2))) => {
                            if l1 || l2 {
                                self.log
                                    .record(DecodeDefectKind::LowercaseHex, self.eq_start);
                            }
                            out.put_u8(hi << 4 | lo);
                            i += 1;
                        }
                        _ => {
                            self.log
                                .record(DecodeDefectKind::InvalidEscape, self.eq_start);
                            out.put_u8(b'=');
                            out.put_u8(h);
                        }
                    }
                }
                State::EqWsp => {
                    if is_wsp(b) && self.wsp.len() < MAX_PENDING_WSP {
                        self.wsp.push(b);
                        i += 1;
                    } else if b == b'\r' {
                        self.state = State::EqCr;
                        i += 1;
                    } else if b == b'\n' {
                        self.wsp.clear();
                        self.state = State::Text;
                        i += 1;
                    } else {
                        self.log
                            .record(DecodeDefectKind::InvalidEscape, self.eq_start);
                        out.put_u8(b'=');
                        out.put_slice(&self.wsp);
                        self.wsp.clear();
                        self.state = State::Text;
                    }
                }
                State::EqCr => {
                    if b == b'\n' {
                        self.wsp.clear();
                        self.state = State::Text;
                        i += 1;
                    } else {
                        self.log
                            .record(DecodeDefectKind::InvalidEscape, self.eq_start);
                        out.put_u8(b'=');
                        out.put_slice(&self.wsp);
                        self.wsp.clear();
                        out.put_u8(b'\r');
                        self.state = State::Text;
                    }
                }
                State::Text => {
                    if self.cr {
                        // pending white space then CR
                        if b == b'\n' {
                            self.wsp.clear();
                            self.cr = false;
                            out.put_slice(b"\r\n");
                            i += 1;
                        } else {
                            self.flush_pending(out);
                        }
                        continue;
                    }
                    if !self.wsp.is_empty() {
                        if is_wsp(b) && self.wsp.len() < MAX_PENDING_WSP {
                            self.wsp.push(b);
                            i += 1;
                        } else if b == b'\r' {
                            self.cr = true;
                            i += 1;
                        } else if b == b'\n' {
                            self.wsp.clear();
                            out.put_u8(b'\n');
                            i += 1;
                        } else {
                            self.flush_pending(out);
                        }
                        continue;
                    }
                    i += self.text_run(input.get(i..).unwrap_or_default(), off, out);
                }
            }
        }
        self.offset += input.len() as u64;
    }

    /// Copies plain text up to the next `=` or line end, keeping white space
    /// and a CR at its end pending; returns the octets consumed (at least 1).
    /// `rest` starts at offset `at` of the input; nothing is pending.
    fn text_run<B: BufMut>(&mut self, rest: &[u8], at: u64, out: &mut B) -> usize {
        let stop = memchr3(b'=', b'\n', b'\r', rest).unwrap_or(rest.len());
        let seg = rest.get(..stop).unwrap_or_default();
        let keep = seg.iter().rposition(|&b| !is_wsp(b)).map_or(0, |p| p + 1);
        out.put_slice(seg.get(..keep).unwrap_or_default());
        let tail = seg.get(keep..).unwrap_or_default();
        // Same as feeding the run octet by octet: the pending run is flushed
        // as data each time it would pass MAX_PENDING_WSP.
        let pending = if tail.is_empty() {
            0
        } else {
            (tail.len() - 1) % MAX_PENDING_WSP + 1
        };
        let (data, pend) = tail
            .split_at_checked(tail.len() - pending)
            .unwrap_or((tail, &[]));
        out.put_slice(data);
        self.wsp.extend_from_slice(pend);
        self.pend_start = at + (stop - pend.len()) as u64;
        match rest.get(stop) {
            Some(b'=') => {
                self.flush_pending(out);
                self.state = State::Eq;
                self.eq_start = at + stop as u64;
                stop + 1
            }
            Some(b'\r') => {
                self.cr = true;
                stop + 1
            }
            Some(b'\n') => {
                self.wsp.clear();
                out.put_u8(b'\n');
                stop + 1
            }
            _ => stop.max(1).min(rest.len().max(1)),
        }
    }

    /// Ends the input.
    pub fn finish<B: BufMut>(&mut self, out: &mut B) {
        match std::mem::take(&mut self.state) {
            State::Text | State::Eq | State::EqWsp => {}
            State::EqHex(h) => {
                self.log
                    .record(DecodeDefectKind::InvalidEscape, self.eq_start);
                out.put_u8(b'=');
                out.put_u8(h);
            }
            State::EqCr => {}
        }
        if self.cr {
            self.flush_pending(out);
        }
        self.wsp.clear();
    }

    /// The first defect of each kind met so far.
    #[must_use]
    pub fn defects(&self) -> &[DecodeDefect] {
        &self.log.first
    }

    /// How many defects were met in all.
    #[must_use]
    pub fn defect_count(&self) -> u64 {
        self.log.count
    }

    /// Offset of the first input octet whose output is still held back: an
    /// escape or soft line break not yet complete, or white space (and a
    /// CR) that may end a line.
    pub(crate) fn pending_start(&self) -> Option<u64> {
        match self.state {
            State::Text => (!self.wsp.is_empty() || self.cr).then_some(self.pend_start),
            _ => Some(self.eq_start),
        }
    }
}
