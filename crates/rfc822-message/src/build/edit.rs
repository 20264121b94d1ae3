//! Lossless editing of the header block of an existing message.
//!
//! The header block is split into raw fields (each field's bytes from its
//! name to the line break that ends its last continuation line). Edits add
//! or drop whole fields; [`HeaderEditor::write_to`] then writes every
//! untouched field, and the body, byte for byte as they were: odd folding,
//! bare LF line ends, 8-bit bytes and all. New fields are folded like the
//! builder's and use the line break style of the message.
//!
//! The splitter here is private and deliberately simple (it only needs
//! where fields start and end, not what they mean): a line that starts
//! with SP or HTAB continues the field before it; any other line starts a
//! new one; an empty line (or the end of the input) ends the block.
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

use bytes::BufMut;
use mail_wire::LimitError;

use super::BuildError;
use super::builder::write_field_eol;
use super::fold::LineEnding;
use super::value::{FieldValue, HeaderName};

#[derive(Debug, Clone)]
enum Entry<'a> {
    /// A field of the input: its name (before the colon, trailing
    /// whitespace removed) and all its bytes.
    Original { name: &'a [u8], raw: &'a [u8] },
    /// A line of the header block that is not a field (an mbox `From `
    /// line, a stray continuation line, a line without a colon); kept.
    Other { raw: &'a [u8] },
    /// A field added by an edit.
    New { name: HeaderName, raw: Vec<u8> },
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
        let mut entries: Vec<Entry<'a>> = Vec::new();
        let mut pos = 0usize;
        let mut eol = None;
        // Start offset of the field being gathered.
        let mut field_start: Option<usize> = None;
        let close = |entries: &mut Vec<Entry<'a>>, start: usize, end: usize| {
            let raw = message.get(start..end).unwrap_or(&[]);
            let first_line_end = memchr::memchr(b'\n', raw).unwrap_or(raw.len());
            let first = raw.get(..first_line_end).unwrap_or(raw);
            match memchr::memchr(b':', first) {
                Some(colon) => {
                    let name = first.get(..colon).unwrap_or(&[]);
                    let trimmed = name.len()
                        - name
                            .iter()
                            .rev()
                            .take_while(|b| matches!(b, b' ' | b'\t'))
                            .count();
                    let name = name.get(..trimmed).unwrap_or(&[]);
                    if name.is_empty() || name.iter().any(|&b| !(33..=126).contains(&b)) {
                        entries.push(Entry::Other { raw });
                    } else {
                        entries.push(Entry::Original { name, raw });
                    }
                }
                None => entries.push(Entry::Other { raw }),
            }
        };
        let end = loop {
            let Some(line) = message.get(pos..) else {
                break message.len();
            };
            if line.is_empty() {
                break message.len();
            }
            let len = memchr::memchr(b'\n', line).map_or(line.len(), |i| i + 1);
            if eol.is_none() && len > 0 && line.get(len - 1) == Some(&b'\n') {
                eol = Some(if len >= 2 && line.get(len - 2) == Some(&b'\r') {
                    LineEnding::CrLf
                } else {
                    LineEnding::Lf
                });
            }
            let content = line.get(..len).unwrap_or(line);
            if content == b"\r\n" || content == b"\n" {
                break pos;
            }
            let continuation = matches!(content.first(), Some(b' ' | b'\t'));
            if !continuation {
                if let Some(start) = field_start.take() {
                    close(&mut entries, start, pos);
                }
                if entries.len() >= limits.max_header_count {
                    return Err(LimitError::new(
                        "max_header_count",
                        limits.max_header_count as u64,
                    ));
                }
                field_start = Some(pos);
            } else if field_start.is_none() {
                field_start = Some(pos);
            }
            pos += len;
            if pos > limits.max_header_size {
                return Err(LimitError::new(
                    "max_header_size",
                    limits.max_header_size as u64,
                ));
            }
        };
        if let Some(start) = field_start.take() {
            close(&mut entries, start, end);
        }
        Ok(HeaderEditor {
            entries,
            rest: message.get(end..).unwrap_or(&[]),
            eol: eol.unwrap_or_default(),
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

    fn make(&self, name: HeaderName, value: FieldValue) -> Result<Entry<'a>, BuildError> {
        let mut raw = Vec::new();
        write_field_eol(&mut raw, &name, &value, self.smtputf8, self.eol)?;
        Ok(Entry::New { name, raw })
    }

    /// Adds a field above all others (after a leading mbox `From ` line or
    /// other non-field lines), as trace fields such as `Received` and
    /// `Return-Path` go (RFC 5322 section 3.6.7).
    ///
    /// # Errors
    /// The value cannot be written (see [`BuildError`]).
    pub fn prepend(
        &mut self,
        name: HeaderName,
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
        name: HeaderName,
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
        name: HeaderName,
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
