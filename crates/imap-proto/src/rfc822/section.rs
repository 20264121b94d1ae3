//! Section addressing (RFC 9051 section 6.4.5, RFC 3501 section 6.4.5):
//! which octets `BODY[section]` names.

use core::ops::Range;
use std::borrow::Cow;

use bytes::BufMut;

use super::parts::{Field, Shape, Tree};
use crate::types::{Section, SectionText};

/// The octets of a section: one range of the message, or for
/// `HEADER.FIELDS` / `HEADER.FIELDS.NOT` the selected field lines and the
/// header's empty line, in header order. Borrowed from the message; use
/// [`SectionData::to_bytes`] or [`SectionData::write_to`] for the octets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionData<'a> {
    msg: &'a [u8],
    ranges: Ranges,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Ranges {
    One(Range<usize>),
    Many(Vec<Range<usize>>),
}

impl<'a> SectionData<'a> {
    fn one(msg: &'a [u8], r: Range<usize>) -> Self {
        SectionData {
            msg,
            ranges: Ranges::One(r),
        }
    }

    /// The ranges of the message whose concatenation is the data.
    #[must_use]
    pub fn ranges(&self) -> &[Range<usize>] {
        match &self.ranges {
            Ranges::One(r) => core::slice::from_ref(r),
            Ranges::Many(v) => v,
        }
    }

    /// The single range of the message the data is, when it is one
    /// (every section but `HEADER.FIELDS` and `HEADER.FIELDS.NOT`).
    #[must_use]
    pub fn range(&self) -> Option<Range<usize>> {
        match &self.ranges {
            Ranges::One(r) => Some(r.clone()),
            Ranges::Many(_) => None,
        }
    }

    /// Length in octets.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ranges().iter().map(ExactSizeIterator::len).sum()
    }

    /// Whether the data is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The octets: borrowed when they are one range.
    #[must_use]
    pub fn to_bytes(&self) -> Cow<'a, [u8]> {
        match &self.ranges {
            Ranges::One(r) => Cow::Borrowed(self.msg.get(r.clone()).unwrap_or_default()),
            Ranges::Many(v) => {
                let mut out = Vec::with_capacity(self.len());
                for r in v {
                    out.extend_from_slice(self.msg.get(r.clone()).unwrap_or_default());
                }
                Cow::Owned(out)
            }
        }
    }

    /// Writes the octets into `buf`.
    pub fn write_to<B: BufMut>(&self, buf: &mut B) {
        for r in self.ranges() {
            buf.put_slice(self.msg.get(r.clone()).unwrap_or_default());
        }
    }
}

/// Whether the header ends with an empty line, and where that line is.
fn blank_line(msg: &[u8], header: &Range<usize>) -> Option<Range<usize>> {
    let e = header.end;
    if e <= header.start || msg.get(e - 1) != Some(&b'\n') {
        return None;
    }
    let mut s = e - 1;
    if s > header.start && msg.get(s - 1) == Some(&b'\r') {
        s -= 1;
    }
    (s == header.start || msg.get(s - 1) == Some(&b'\n')).then_some(s..e)
}

/// The octets of `section`, `None` when it names nothing.
pub(crate) fn section<'a>(tree: &Tree<'a>, s: &Section<'_>) -> Option<SectionData<'a>> {
    let msg = tree.msg;
    let path = s.part();
    let node = tree.resolve(path)?;
    // The message whose HEADER / TEXT a text specifier names: the top
    // level, or the encapsulated message of a message/rfc822 part.
    let message = || {
        if path.is_empty() {
            return Some(tree.root());
        }
        match tree.shape(node) {
            Shape::Message(c) => Some(c),
            _ => None,
        }
    };
    match s.text() {
        None if path.is_empty() => Some(SectionData::one(msg, 0..msg.len())),
        None => Some(SectionData::one(msg, tree.body(node))),
        Some(SectionText::Mime) => Some(SectionData::one(msg, tree.header(node))),
        Some(SectionText::Header) => Some(SectionData::one(msg, tree.header(message()?))),
        Some(SectionText::Text) => Some(SectionData::one(msg, tree.body(message()?))),
        Some(SectionText::HeaderFields { not, fields }) => {
            let m = message()?;
            let header = tree.header(m);
            let blank = blank_line(msg, &header);
            let head_end = blank.as_ref().map_or(header.end, |b| b.start);
            let listed = |f: &Field| {
                let name = msg.get(f.name.clone()).unwrap_or_default();
                fields
                    .as_slice()
                    .iter()
                    .any(|n| n.as_bytes().eq_ignore_ascii_case(name))
            };
            let mut ranges: Vec<Range<usize>> = Vec::new();
            if *not {
                // Everything but the listed fields: other fields, and the
                // lines that are no field, which the parser skipped
                // (HeaderJunk::Skip) and Dovecot 2.3 returns too.
                let mut cursor = header.start;
                for f in tree.fields(m).iter().filter(|f| listed(f)) {
                    if f.lines.start > cursor {
                        ranges.push(cursor..f.lines.start);
                    }
                    cursor = cursor.max(f.lines.end);
                }
                if head_end > cursor {
                    ranges.push(cursor..head_end);
                }
            } else {
                ranges.extend(
                    tree.fields(m)
                        .into_iter()
                        .filter(|f| listed(f))
                        .map(|f| f.lines),
                );
            }
            // RFC 9051 section 7.5.2: the empty line is part of the
            // header data, unless there is none.
            ranges.extend(blank);
            Some(SectionData {
                msg,
                ranges: Ranges::Many(ranges),
            })
        }
    }
}
