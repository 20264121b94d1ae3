//! Streaming base64 (RFC 2045 section 6.8).

use bytes::BufMut;

use super::{DecodeDefect, DecodeDefectKind, DefectLog};

const BAD: u8 = 0xFF;
const SKIP: u8 = 0xFE;
const PAD: u8 = 0xFD;

/// The 6-bit value of an alphabet character, or [`SKIP`], [`PAD`], [`BAD`].
fn value(b: u8) -> u8 {
    match b {
        b'A'..=b'Z' => b - b'A',
        b'a'..=b'z' => b - b'a' + 26,
        b'0'..=b'9' => b - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        b'=' => PAD,
        b'\r' | b'\n' | b' ' | b'\t' => SKIP,
        _ => BAD,
    }
}

/// Appends the three octets of `bits` (24 bits) at `buf[*len..]`.
fn put3(buf: &mut [u8], len: &mut usize, bits: u32) {
    let [_, x, y, z] = bits.to_be_bytes();
    if let Some(dst) = buf.get_mut(*len..*len + 3) {
        dst.copy_from_slice(&[x, y, z]);
        *len += 3;
    }
}

/// A streaming base64 decoder.
///
/// Characters outside the alphabet are skipped (CR, LF and white space
/// silently, others with [`DecodeDefectKind::InvalidCharacter`]). `=` ends a
/// group; data after it starts a new group (a defect, but concatenated
/// base64 is common).
#[derive(Debug, Clone, Default)]
pub struct Base64Decoder {
    group: [u8; 4],
    n: usize,
    /// A group ended with `=`: more data is a defect.
    padded: bool,
    /// Offset of the first character of the group being read (valid
    /// while `n > 0`).
    group_start: u64,
    offset: u64,
    log: DefectLog,
}

impl Base64Decoder {
    /// A new decoder.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Decodes `input`, appending the octets to `out`.
    pub fn decode<B: BufMut>(&mut self, input: &[u8], out: &mut B) {
        let mut buf = [0u8; 768];
        let mut len = 0usize;
        let mut i = 0usize;
        while i < input.len() {
            // Fast path: whole groups of four alphabet characters.
            if self.n == 0
                && !self.padded
                && let Some(&[q0, q1, q2, q3]) = input.get(i..i + 4)
            {
                let (a, b, c, d) = (value(q0), value(q1), value(q2), value(q3));
                if (a | b | c | d) < 64 {
                    if len + 3 > buf.len() {
                        out.put_slice(buf.get(..len).unwrap_or_default());
                        len = 0;
                    }
                    let bits =
                        u32::from(a) << 18 | u32::from(b) << 12 | u32::from(c) << 6 | u32::from(d);
                    put3(&mut buf, &mut len, bits);
                    i += 4;
                    continue;
                }
            }
            let Some(&byte) = input.get(i) else { break };
            let off = self.offset + i as u64;
            i += 1;
            match value(byte) {
                SKIP => {}
                BAD => self.log.record(DecodeDefectKind::InvalidCharacter, off),
                PAD => match self.n {
                    2 | 3 => {
                        if len + 3 > buf.len() {
                            out.put_slice(buf.get(..len).unwrap_or_default());
                            len = 0;
                        }
                        len += self.flush_partial(buf.get_mut(len..).unwrap_or_default());
                        self.padded = true;
                    }
                    0 if self.padded => {}
                    _ => self.log.record(DecodeDefectKind::MisplacedPadding, off),
                },
                v => {
                    if self.padded {
                        self.padded = false;
                        self.log.record(DecodeDefectKind::DataAfterPadding, off);
                    }
                    if self.n == 0 {
                        self.group_start = off;
                    }
                    if let Some(slot) = self.group.get_mut(self.n) {
                        *slot = v;
                    }
                    self.n += 1;
                    if self.n == 4 {
                        if len + 3 > buf.len() {
                            out.put_slice(buf.get(..len).unwrap_or_default());
                            len = 0;
                        }
                        let [a, b, c, d] = self.group;
                        let bits = u32::from(a) << 18
                            | u32::from(b) << 12
                            | u32::from(c) << 6
                            | u32::from(d);
                        put3(&mut buf, &mut len, bits);
                        self.n = 0;
                    }
                }
            }
        }
        out.put_slice(buf.get(..len).unwrap_or_default());
        self.offset += input.len() as u64;
    }

    /// Writes the octets of a group of 2 or 3 characters into `dst`;
    /// returns how many.
    fn flush_partial(&mut self, dst: &mut [u8]) -> usize {
        let [a, b, c, _] = self.group;
        let bits = u32::from(a) << 18 | u32::from(b) << 12 | u32::from(c) << 6;
        let [_, x, y, _] = bits.to_be_bytes();
        let n = self.n - 1;
        self.n = 0;
        let all = [x, y];
        let src = all.get(..n).unwrap_or_default();
        if let Some(d) = dst.get_mut(..src.len()) {
            d.copy_from_slice(src);
            src.len()
        } else {
            0
        }
    }

    /// Ends the input: an unpadded last group is decoded (with a defect at
    /// the group's first character).
    pub fn finish<B: BufMut>(&mut self, out: &mut B) {
        match self.n {
            0 => {}
            1 => {
                self.log
                    .record(DecodeDefectKind::Truncated, self.group_start);
                self.n = 0;
            }
            _ => {
                self.log
                    .record(DecodeDefectKind::MissingPadding, self.group_start);
                let mut b = [0u8; 3];
                let n = self.flush_partial(&mut b);
                out.put_slice(b.get(..n).unwrap_or_default());
            }
        }
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

    /// Offset of the first character of a group begun but not yet decoded
    /// (its octets come out when the group is complete).
    pub(crate) fn pending_start(&self) -> Option<u64> {
        (self.n > 0).then_some(self.group_start)
    }
}
