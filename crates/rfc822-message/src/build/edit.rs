//! Lossless editing of the header block of an existing message.
//!
//! The header block is split into raw fields (each field's bytes from its
//! name to the line break that ends its last continuation line). Edits add
//! or drop whole fields; [`HeaderEditor::write_to`] then writes every
//! untouched field, and the body, byte for byte as they were: odd folding,
//! bare LF line ends, 8-bit bytes and all. New fields are folded like the
//! builder's and use the line break style of the message.
//!
//! Fields are found by the crate's push parser ([`crate::parse`]), so the
//! editor sees the same header as every other reader: it ends at the
//! blank line, at the end of input, or before the first line that is not a
//! field (that line and everything after it are body, and untouched). A
//! leading mbox `From ` separator line is kept in front of the header.
//!
//! ```
//! use rfc822_message::build::{HeaderEditor, HeaderName, RawValue};
//!
//! let msg = b"Subject: hi\nFrom: a@example.org\n\nbody\n";
//! let mut ed = HeaderEditor::new(msg)?;
//! ed.prepend(
//!     HeaderName::new("Received")?,
//!     RawValue::new("from a.example by mx.example; Fri, 17 May 2024 09:30:00 +0000")?,
//! )?;
//! let mut out = Vec::new();
//! ed.write_to(&mut out);
//! // The new field uses the message's bare-LF line ends; the rest is untouched.
//! assert_eq!(
//!     std::str::from_utf8(&out)?,
//!     "Received: from a.example by mx.example; Fri, 17 May 2024 09:30:00 +0000\n\
//!      Subject: hi\nFrom: a@example.org\n\nbody\n"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::ops::Range;

use bytes::BufMut;
use mail_wire::LimitError;

use crate::parse::{DefectKind, Event, Events, Parser, ParserOptions};

use super::BuildError;
use super::builder::write_field_eol;
use super::fold::LineEnding;
use super::value::FieldValue;
use crate::header::HeaderName;

#[derive(Debug, Clone)]
enum Entry<'a> {
    /// A field of the input: its name (before the colon, trailing
    /// whitespace removed) and all its bytes.
    Original { name: &'a [u8], raw: &'a [u8] },
    /// A line of the header block that is not a field (an mbox `From `
    /// line, a stray continuation line, a line without a colon); kept.
    Other { raw: &'a [u8] },
    /// A field added by an edit.
    New {
        name: HeaderName<'static>,
        raw: Vec<u8>,
    },
}

impl Entry<'_> {
    fn name(&self) -> Option<&[u8]> {
        match self {
            Entry::Original { name, .. } => Some(name),
            Entry::New { name, .. } => Some(name.as_str().as_bytes()),
            Entry::Other { .. } => None,
        }
    }

    fn raw(&self) -> &[u8] {
        match self {
            Entry::Original { raw, .. } | Entry::Other { raw } => raw,
            Entry::New { raw, .. } => raw,
        }
    }
}

/// Which occurrences of a field an operation concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occurrence {
    /// Every field of that name.
    All,
    /// The n-th field of that name, counting from 0 at the top.
    Nth(usize),
}

/// Edits the header fields of a message, keeping every other byte.
#[derive(Debug, Clone)]
pub struct HeaderEditor<'a> {
    entries: Vec<Entry<'a>>,
    /// Everything from the end of the header block on: the empty line and
    /// the body.
    rest: &'a [u8],
    eol: LineEnding,
    smtputf8: bool,
}

impl<'a> HeaderEditor<'a> {
    /// Splits the header block of `message`, with the default
    /// [`Limits`](crate::Limits).
    ///
    /// # Errors
    /// More fields than `max_header_count`, or a header block longer than
    /// `max_header_size`.
    pub fn new(message: &'a [u8]) -> Result<Self, LimitError> {
        Self::with_limits(message, &crate::Limits::default())
    }

    /// Splits the header block of `message` with the given limits.
    ///
    /// # Errors
    /// See [`HeaderEditor::new`].
    pub fn with_limits(message: &'a [u8], limits: &crate::Limits) -> Result<Self, LimitError> {
        let first_line = memchr::memchr(b'\n', message).map_or(message.len(), |i| i + 1);
        let eol = match message.get(..first_line) {
            Some(l) if l.ends_with(b"\r\n") => LineEnding::CrLf,
            Some(l) if l.ends_with(b"\n") => LineEnding::Lf,
            _ => LineEnding::CrLf,
        };
        // An mbox separator line is kept in front, not read as a header.
        let base = if message.starts_with(b"From ") {
            first_line
        } else {
            0
        };
        let mut entries: Vec<Entry<'a>> = Vec::new();
        if let Some(sep) = message.get(..base).filter(|s| !s.is_empty()) {
            entries.push(Entry::Other { raw: sep });
        }
        let mut pos = base;
        for (range, name_len) in field_ranges(message.get(base..).unwrap_or(&[]), limits)? {
            let (start, end) = (range.start + base, range.end + base);
            if start > pos
                && let Some(gap) = message.get(pos..start)
            {
                entries.push(Entry::Other { raw: gap });
            }
            let raw = message.get(start..end).unwrap_or(&[]);
            entries.push(Entry::Original {
                name: raw.get(..name_len).unwrap_or(&[]),
                raw,
            });
            pos = end;
        }
        Ok(HeaderEditor {
            entries,
            rest: message.get(pos..).unwrap_or(&[]),
            eol,
            smtputf8: false,
        })
    }

    /// Allows raw UTF-8 in new fields (RFC 6532), see
    /// [`BuildOptions::smtputf8`](super::BuildOptions).
    pub fn smtputf8(&mut self, on: bool) -> &mut Self {
        self.smtputf8 = on;
        self
    }

    /// The line break style new fields get (that of the first line).
    #[must_use]
    pub fn line_ending(&self) -> LineEnding {
        self.eol
    }

    /// The fields, in order: name and raw bytes (folds and line break
    /// included). Lines that are not fields are not listed.
    pub fn fields(&self) -> impl Iterator<Item = (&[u8], &[u8])> {
        self.entries
            .iter()
            .filter_map(|e| e.name().map(|n| (n, e.raw())))
    }

    fn make(&self, name: HeaderName<'_>, value: FieldValue) -> Result<Entry<'a>, BuildError> {
        let mut raw = Vec::new();
        write_field_eol(&mut raw, &name, &value, self.smtputf8, self.eol)?;
        Ok(Entry::New {
            name: name.into_owned(),
            raw,
        })
    }

    /// Adds a field above all others (after a leading mbox `From ` line or
    /// other non-field lines), as trace fields such as `Received` and
    /// `Return-Path` go (RFC 5322 section 3.6.7).
    ///
    /// # Errors
    /// The value cannot be written (see [`BuildError`]).
    pub fn prepend(
        &mut self,
        name: HeaderName<'_>,
        value: impl Into<FieldValue>,
    ) -> Result<&mut Self, BuildError> {
        let e = self.make(name, value.into())?;
        let at = self
            .entries
            .iter()
            .position(|e| e.name().is_some())
            .unwrap_or(self.entries.len());
        self.entries.insert(at, e);
        Ok(self)
    }

    /// Adds a field below all others.
    ///
    /// # Errors
    /// The value cannot be written (see [`BuildError`]).
    pub fn append(
        &mut self,
        name: HeaderName<'_>,
        value: impl Into<FieldValue>,
    ) -> Result<&mut Self, BuildError> {
        let e = self.make(name, value.into())?;
        self.entries.push(e);
        Ok(self)
    }

    /// Removes fields named `name` (ASCII case-insensitive); returns how
    /// many were removed.
    pub fn remove(&mut self, name: &str, which: Occurrence) -> usize {
        let mut n = 0usize;
        let mut removed = 0usize;
        self.entries.retain(|e| {
            let Some(en) = e.name() else { return true };
            if !en.eq_ignore_ascii_case(name.as_bytes()) {
                return true;
            }
            let hit = match which {
                Occurrence::All => true,
                Occurrence::Nth(k) => n == k,
            };
            n += 1;
            if hit {
                removed += 1;
            }
            !hit
        });
        removed
    }

    /// Replaces the first field named like `name` in place and removes the
    /// others of that name; appends the field if there was none.
    ///
    /// # Errors
    /// The value cannot be written (see [`BuildError`]).
    pub fn replace(
        &mut self,
        name: HeaderName<'_>,
        value: impl Into<FieldValue>,
    ) -> Result<&mut Self, BuildError> {
        let key = name.as_str().as_bytes().to_vec();
        let e = self.make(name, value.into())?;
        let is_key = |x: &Entry<'_>| x.name().is_some_and(|n| n.eq_ignore_ascii_case(&key));
        match self.entries.iter().position(is_key) {
            Some(at) => {
                if let Some(slot) = self.entries.get_mut(at) {
                    *slot = e;
                }
                let mut i = 0usize;
                self.entries.retain(|x| {
                    let keep = i == at || !is_key(x);
                    i += 1;
                    keep
                });
            }
            None => self.entries.push(e),
        }
        Ok(self)
    }

    /// Writes the edited message. Without edits the output is the input,
    /// byte for byte.
    pub fn write_to(&self, out: &mut impl BufMut) {
        let mut ends_line = true;
        for e in &self.entries {
            if matches!(e, Entry::New { .. }) && !ends_line {
                // The input's last header line had no line break (the
                // message ended there); a new field cannot share it.
                out.put_slice(self.eol.as_bytes());
            }
            let raw = e.raw();
            out.put_slice(raw);
            ends_line = raw.last().is_none_or(|&b| b == b'\n');
        }
        if !ends_line && !self.rest.is_empty() {
            // Not reachable: `rest` starts with the empty line, which the
            // previous field's line break precedes.
            out.put_slice(self.eol.as_bytes());
        }
        out.put_slice(self.rest);
    }

    /// The edited message in a new `Vec`.
    #[must_use]
    pub fn to_vec(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(
            self.entries.iter().map(|e| e.raw().len()).sum::<usize>() + self.rest.len(),
        );
        self.write_to(&mut v);
        v
    }
}

/// The byte ranges (and name lengths) of the top-level header fields, as
/// the push parser reads them. The message is fed in pieces so that only
/// the header and at most one piece of the body are scanned.
fn field_ranges(
    data: &[u8],
    limits: &crate::Limits,
) -> Result<Vec<(Range<usize>, usize)>, LimitError> {
    let mut parser = Parser::with_options(ParserOptions {
        limits: *limits,
        ..ParserOptions::default()
    });
    let mut out = Vec::new();
    for chunk in data.chunks(8192) {
        if collect(&mut parser.feed(chunk), &mut out, limits)? {
            return Ok(out);
        }
    }
    collect(&mut parser.finish(), &mut out, limits)?;
    Ok(out)
}

/// Gathers the fields of part 0 until its body starts (returns `true`
/// then). A limit the parser reports for that header is an error: a field
/// it skipped could not be edited.
fn collect(
    events: &mut Events<'_, '_>,
    out: &mut Vec<(Range<usize>, usize)>,
    limits: &crate::Limits,
) -> Result<bool, LimitError> {
    let to_usize = |v: u64| usize::try_from(v).unwrap_or(usize::MAX);
    loop {
        match events.next_event() {
            Ok(Some(Event::Header(f))) if f.part == 0 => {
                let r = f.range();
                out.push((to_usize(r.start)..to_usize(r.end), f.name().len()));
            }
            Ok(Some(Event::BodyStart(b))) if b.part == 0 => return Ok(true),
            Ok(Some(Event::Defect(d))) => match d.kind {
                DefectKind::HeaderCountLimit => {
                    return Err(LimitError::new(
                        "max_header_count",
                        limits.max_header_count as u64,
                    ));
                }
                DefectKind::HeaderSizeLimit => {
                    return Err(LimitError::new(
                        "max_header_size",
                        limits.max_header_size as u64,
                    ));
                }
                DefectKind::FieldTooLong => {
                    return Err(LimitError::new(
                        "max_field_size",
                        limits.max_field_size as u64,
                    ));
                }
                _ => {}
            },
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => return Ok(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::{RawValue, Text};

    #[test]
    fn unchanged_is_identical() {
        for m in [
            &b"A: 1\r\nB: 2\r\n\r\nbody"[..],
            b"A: 1\n folded\n\tmore\nB:2\n\nbody\n",
            b"From sender Fri May 17\nA: 1\n\n",
            b" stray\nA: 1",
            b"",
            b"\r\nbody only",
            b"A: caf\xe9\r\nnocolon\r\n\r\n",
        ] {
            let ed = HeaderEditor::new(m).unwrap();
            assert_eq!(ed.to_vec(), m);
        }
    }

    #[test]
    fn edits_touch_only_their_fields() {
        let m = b"A: 1\r\nB: 2\r\n  folded\r\nA: 3\r\n\r\nbody";
        let mut ed = HeaderEditor::new(m).unwrap();
        assert_eq!(ed.remove("a", Occurrence::Nth(1)), 1);
        assert_eq!(ed.to_vec(), b"A: 1\r\nB: 2\r\n  folded\r\n\r\nbody");
        ed.replace(HeaderName::new("b").unwrap(), Text::new("x").unwrap())
            .unwrap();
        assert_eq!(ed.to_vec(), b"A: 1\r\nb: x\r\n\r\nbody");
        ed.append(HeaderName::new("C").unwrap(), RawValue::new("z").unwrap())
            .unwrap();
        assert_eq!(ed.to_vec(), b"A: 1\r\nb: x\r\nC: z\r\n\r\nbody");
        assert_eq!(ed.remove("A", Occurrence::All), 1);
        assert_eq!(ed.fields().count(), 2);
    }

    #[test]
    fn new_field_after_unterminated_last_line() {
        let m = b"A: 1";
        let mut ed = HeaderEditor::new(m).unwrap();
        ed.append(HeaderName::new("B").unwrap(), RawValue::new("2").unwrap())
            .unwrap();
        assert_eq!(ed.to_vec(), b"A: 1\r\nB: 2\r\n");
    }

    #[test]
    fn mbox_from_line_stays_first() {
        let m = b"From a@b Fri May 17 09:30:00 2024\nA: 1\n\nx";
        let mut ed = HeaderEditor::new(m).unwrap();
        ed.prepend(
            HeaderName::new("Return-Path").unwrap(),
            RawValue::new("<a@b>").unwrap(),
        )
        .unwrap();
        assert_eq!(
            ed.to_vec(),
            b"From a@b Fri May 17 09:30:00 2024\nReturn-Path: <a@b>\nA: 1\n\nx"
        );
    }
}
