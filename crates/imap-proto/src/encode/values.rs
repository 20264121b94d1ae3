//! Encoders of the values of [`crate::types`] (RFC 9051 section 4 and
//! section 9).
//!
//! `astring`, `string` and `nstring` content is written in the smallest
//! valid form: bare (astring only) when every octet is an `ASTRING-CHAR`,
//! else quoted when it has no CR, LF or NUL and is ASCII (or UTF-8 under
//! UTF8=ACCEPT), else as a literal, non-synchronising when the peer
//! allows.

use core::num::NonZeroU32;

use super::{Encode, Encoder};
use crate::types::atom::is_astring_char;
use crate::types::datetime::{DateTime, MONTHS};
use crate::types::section::{Section, SectionText};
use crate::types::{
    AString, Atom, Flag, FlagPerm, IString, Literal, Literal8, Mailbox, NString, NonEmptyVec,
    Quoted, Secret, SeqItem, SeqNumber, SequenceSet, Tag,
};

/// Whether `b` can be written as the content of a `quoted` under the
/// encoder's options (RFC 9051 section 9 `QUOTED-CHAR`).
fn quotable(b: &[u8], utf8_accept: bool) -> bool {
    if b.iter()
        .all(|&c| matches!(c, 0x01..=0x7f) && c != b'\r' && c != b'\n')
    {
        return true;
    }
    utf8_accept
        && !b.iter().any(|&c| matches!(c, b'\r' | b'\n' | 0))
        && core::str::from_utf8(b).is_ok()
}

/// Writes `b` between double quotes, escaping `"` and `\`.
fn write_quoted(e: &mut Encoder, b: &[u8]) {
    e.put_u8(b'"');
    let mut rest = b;
    while let Some(i) = rest.iter().position(|&c| c == b'"' || c == b'\\') {
        let (head, tail) = rest.split_at_checked(i).unwrap_or((rest, &[]));
        e.put(head);
        e.put_u8(b'\\');
        // `tail` starts with the special byte, written after its escape.
        let (special, after) = tail.split_at_checked(1).unwrap_or((tail, &[]));
        e.put(special);
        rest = after;
    }
    e.put(rest);
    e.put_u8(b'"');
}

/// Writes string content quoted if possible, else as a literal.
fn write_string(e: &mut Encoder, b: &[u8]) {
    if quotable(b, e.options().utf8_accept) {
        write_quoted(e, b);
    } else {
        let mode = e.options().auto_literal_mode(b.len());
        e.literal(b"{", b, mode);
    }
}

/// Writes astring content bare if possible, else as a string.
fn write_astring(e: &mut Encoder, b: &[u8]) {
    if !b.is_empty() && b.iter().all(|&c| is_astring_char(c)) {
        e.put(b);
    } else {
        write_string(e, b);
    }
}

impl Encode for Atom<'_> {
    fn encode(&self, e: &mut Encoder) {
        e.put(self.as_str().as_bytes());
    }
}

impl Encode for Tag<'_> {
    fn encode(&self, e: &mut Encoder) {
        e.put(self.as_str().as_bytes());
    }
}

impl Encode for Quoted<'_> {
    /// Quoted; a non-ASCII value without UTF8=ACCEPT becomes a literal.
    fn encode(&self, e: &mut Encoder) {
        write_string(e, self.as_str().as_bytes());
    }
}

impl Encode for IString<'_> {
    fn encode(&self, e: &mut Encoder) {
        write_string(e, self.as_bytes());
    }
}

impl Encode for AString<'_> {
    fn encode(&self, e: &mut Encoder) {
        write_astring(e, self.as_bytes());
    }
}

impl Encode for NString<'_> {
    fn encode(&self, e: &mut Encoder) {
        match self.string() {
            None => e.put(b"NIL"),
            Some(s) => s.encode(e),
        }
    }
}

impl Encode for Literal<'_> {
    fn encode(&self, e: &mut Encoder) {
        let mode = e.options().literal_mode(self.data().len(), self.mode());
        e.literal(b"{", self.data(), mode);
    }
}

impl Encode for Literal8<'_> {
    fn encode(&self, e: &mut Encoder) {
        let mode = e.options().literal_mode(self.data().len(), self.mode());
        e.literal(b"~{", self.data(), mode);
    }
}

impl Encode for Mailbox<'_> {
    fn encode(&self, e: &mut Encoder) {
        write_astring(e, self.as_bytes());
    }
}

impl Encode for Flag<'_> {
    fn encode(&self, e: &mut Encoder) {
        match self {
            Flag::Keyword(a) => a.encode(e),
            Flag::Extension(a) => {
                e.put_u8(b'\\');
                a.encode(e);
            }
            system => e.put(system.system_name().unwrap_or_default().as_bytes()),
        }
    }
}

impl Encode for FlagPerm<'_> {
    fn encode(&self, e: &mut Encoder) {
        match self {
            FlagPerm::Flag(f) => f.encode(e),
            FlagPerm::Wildcard => e.put(b"\\*"),
        }
    }
}

impl Encode for SeqNumber {
    fn encode(&self, e: &mut Encoder) {
        match self {
            SeqNumber::Value(n) => e.put_u64(u64::from(n.get())),
            SeqNumber::Largest => e.put_u8(b'*'),
        }
    }
}

impl Encode for SeqItem {
    fn encode(&self, e: &mut Encoder) {
        match self {
            SeqItem::Number(n) => n.encode(e),
            SeqItem::Range(a, b) => {
                a.encode(e);
                e.put_u8(b':');
                b.encode(e);
            }
        }
    }
}

impl Encode for SequenceSet {
    fn encode(&self, e: &mut Encoder) {
        match self {
            SequenceSet::Saved => e.put_u8(b'$'),
            SequenceSet::Set(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        e.put_u8(b',');
                    }
                    item.encode(e);
                }
            }
        }
    }
}

impl<T: Encode> Encode for Secret<T> {
    fn encode(&self, e: &mut Encoder) {
        self.expose().encode(e);
    }
}

impl<T: Encode> Encode for NonEmptyVec<T> {
    /// The elements separated by SP, in parentheses: the common list
    /// shape `"(" x *(SP x) ")"` of RFC 9051 section 9.
    fn encode(&self, e: &mut Encoder) {
        e.put_u8(b'(');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                e.sp();
            }
            item.encode(e);
        }
        e.put_u8(b')');
    }
}

/// `"(" item *(SP item) ")"`.
pub(crate) fn list<T>(e: &mut Encoder, items: &[T], mut f: impl FnMut(&mut Encoder, &T)) {
    e.put_u8(b'(');
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            e.sp();
        }
        f(e, x);
    }
    e.put_u8(b')');
}

/// `section-part`: `1.2.3`.
pub(crate) fn part_numbers(e: &mut Encoder, part: &[NonZeroU32]) {
    for (i, n) in part.iter().enumerate() {
        if i > 0 {
            e.put_u8(b'.');
        }
        e.put_u64(u64::from(n.get()));
    }
}

/// Two decimal digits of `n` (below 100).
pub(crate) fn two(e: &mut Encoder, n: u8) {
    e.put_u8(b'0' + (n / 10) % 10);
    e.put_u8(b'0' + n % 10);
}

/// `date-month`, 1 for `Jan`.
pub(crate) fn month(e: &mut Encoder, m: u8) {
    let name = MONTHS
        .get(usize::from(m).saturating_sub(1))
        .copied()
        .unwrap_or(b"Jan");
    e.put(name);
}

impl Encode for Section<'_> {
    /// `"[" [section-spec] "]"`, the same in commands and responses.
    fn encode(&self, e: &mut Encoder) {
        e.put_u8(b'[');
        part_numbers(e, self.part());
        if let Some(t) = self.text() {
            if !self.part().is_empty() {
                e.put_u8(b'.');
            }
            match t {
                SectionText::Header => e.put(b"HEADER"),
                SectionText::Text => e.put(b"TEXT"),
                SectionText::Mime => e.put(b"MIME"),
                SectionText::HeaderFields { not, fields } => {
                    e.put(if *not {
                        b"HEADER.FIELDS.NOT "
                    } else {
                        b"HEADER.FIELDS "
                    });
                    list(e, fields, |e, f| f.encode(e));
                }
            }
        }
        e.put_u8(b']');
    }
}

impl Encode for DateTime {
    /// `"dd-Mon-yyyy hh:mm:ss +zzzz"`; a day below 10 as `" 7"` or `"07"`
    /// as [`DateTime::day_space`] says.
    fn encode(&self, e: &mut Encoder) {
        let (y, m, d) = self.date();
        let (hh, mm, ss) = self.time();
        e.put_u8(b'"');
        if d < 10 && self.day_space() {
            e.put_u8(b' ');
            e.put_u8(b'0' + d);
        } else {
            two(e, d);
        }
        e.put_u8(b'-');
        month(e, m);
        e.put_u8(b'-');
        two(e, u8::try_from(y / 100 % 100).unwrap_or(0));
        two(e, u8::try_from(y % 100).unwrap_or(0));
        e.sp();
        two(e, hh);
        e.put_u8(b':');
        two(e, mm);
        e.put_u8(b':');
        two(e, ss);
        e.sp();
        let z = self.zone_minutes();
        e.put_u8(if z < 0 { b'-' } else { b'+' });
        let z = z.unsigned_abs();
        two(e, u8::try_from(z / 60 % 100).unwrap_or(0));
        two(e, u8::try_from(z % 60).unwrap_or(0));
        e.put_u8(b'"');
    }
}
