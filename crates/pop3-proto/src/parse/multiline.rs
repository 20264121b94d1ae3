//! The dot-terminated blocks that follow `+OK` in answer to `CAPA`, `LIST`,
//! `UIDL`, bare `AUTH` and `LANG` (RFC 1939 section 3):
//!
//! ```text
//! multi-line = single-line *dot-stuffed "." CRLF
//! ```
//!
//! A line that is a single `.` ends the block; any other line that starts
//! with `.` has that dot removed. [`MultiLineReader`] frames the lines of
//! the block after the status line; each is then parsed with
//! [`Capability::parse`](crate::Capability::parse),
//! [`ScanListing::parse`](crate::ScanListing::parse) and so on.
//!
//! Message bodies (`RETR`, `TOP`) are not read with this type: they are
//! streamed through [`mail_wire::dot::DotDecoder`], which does not hold a
//! whole line in memory.

use mail_wire::line::{Framed, LineError, LineErrorKind, LineFramer, LineOptions};
use mail_wire::{LimitError, Status};

use super::response::ResponseError;
use crate::limits::Limits;

/// One item of a multi-line block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MultiLine<'b> {
    /// A line of the block, dot-unstuffed, without its CRLF.
    Line(&'b [u8]),
    /// The terminating `.` line: the block is over.
    End,
}

/// Incremental reader of one multi-line block at a time.
///
/// Call [`poll`](Self::poll) with the bytes buffered so far, starting at the
/// first byte not yet consumed; drop the consumed bytes after each
/// [`Status::Complete`]. Framing keeps its scan position, so feeding a block
/// in small chunks costs linear time. After [`MultiLine::End`] the reader is
/// ready for the next block.
///
/// Errors:
/// - a line with a bare CR or LF: [`ResponseError::Line`]; drop
///   [`ResponseError::consumed`] bytes and go on with the next line;
/// - a line longer than `limits.max_response_len` (RFC 2449 section 4's
///   512 octets) or more lines than the limit set with
///   [`limit_lines`](Self::limit_lines): the peer is broken or hostile, the
///   reader has failed and returns the same error (with nothing consumed)
///   on every later call until [`reset`](Self::reset). Close the
///   connection.
///
/// ```
/// use mail_wire::Status;
/// use pop3_proto::Limits;
/// use pop3_proto::parse::{MultiLine, MultiLineReader};
///
/// let mut r = MultiLineReader::new(&Limits::default());
/// let mut buf = &b"TOP\r\n..hidden\r\n.\r\n"[..];
/// let mut lines = Vec::new();
/// loop {
///     match r.poll(buf).unwrap() {
///         Status::Complete(MultiLine::Line(l), n) => { lines.push(l.to_vec()); buf = &buf[n..]; }
///         Status::Complete(MultiLine::End, _) => break,
///         Status::Incomplete => unreachable!(),
///     }
/// }
/// assert_eq!(lines, [b"TOP".to_vec(), b".hidden".to_vec()]);
/// ```
#[derive(Debug, Clone)]
pub struct MultiLineReader {
    framer: LineFramer,
    lines: usize,
    max_lines: Option<usize>,
    failed: Option<ResponseError>,
}

impl MultiLineReader {
    /// A reader whose lines may be up to `limits.max_response_len` octets,
    /// CRLF included, with no limit on the number of lines (`LIST` and
    /// `UIDL` answers are as long as the maildrop).
    #[must_use]
    pub fn new(limits: &Limits) -> Self {
        MultiLineReader {
            framer: LineFramer::new(LineOptions::with_max_line_len(limits.max_response_len)),
            lines: 0,
            max_lines: None,
            failed: None,
        }
    }

    /// The same reader, failing on a block of more than `max` lines (the
    /// terminator not counted): use `limits.max_capabilities` for `CAPA`,
    /// bare `AUTH` and `LANG`.
    #[must_use]
    pub fn limit_lines(mut self, max: usize) -> Self {
        self.max_lines = Some(max);
        self
    }

    /// Sets or removes the line-count limit for the next block.
    pub fn set_max_lines(&mut self, max: Option<usize>) {
        self.max_lines = max;
    }

    /// Forgets any partial line, line count and failure.
    pub fn reset(&mut self) {
        self.framer.reset();
        self.lines = 0;
        self.failed = None;
    }

    /// Whether the reader has failed (see the type's docs).
    #[must_use]
    pub fn has_failed(&self) -> bool {
        self.failed.is_some()
    }

    /// Reads the next line of the block from `buf`. See the type's docs.
    pub fn poll<'b>(&mut self, buf: &'b [u8]) -> Result<Status<MultiLine<'b>>, ResponseError> {
        if let Some(e) = &self.failed {
            return Err(match e {
                ResponseError::Line(l) => ResponseError::Line(LineError { consumed: 0, ..*l }),
                other => other.clone(),
            });
        }
        let line = match self.framer.poll(buf) {
            Ok(Framed::Line(line)) => line,
            Ok(Framed::Incomplete) => return Ok(Status::Incomplete),
            Ok(Framed::Skip(n)) => {
                let max = self.framer.options().max_line_len;
                return Err(self.fail(ResponseError::Line(LineError {
                    kind: LineErrorKind::TooLong { max, len: n as u64 },
                    consumed: n,
                })));
            }
            Err(e) => {
                if matches!(e.kind, LineErrorKind::TooLong { .. }) {
                    return Err(self.fail(e.into()));
                }
                return Err(e.into());
            }
        };
        let content = line.content(buf);
        if content == b"." {
            self.lines = 0;
            return Ok(Status::Complete(MultiLine::End, line.consumed));
        }
        if let Some(max) = self.max_lines
            && self.lines >= max
        {
            return Err(self.fail(LimitError::new("max_capabilities", max as u64).into()));
        }
        self.lines += 1;
        let content = content.strip_prefix(b".").unwrap_or(content);
        Ok(Status::Complete(MultiLine::Line(content), line.consumed))
    }

    fn fail(&mut self, e: ResponseError) -> ResponseError {
        self.failed = Some(e.clone());
        e
    }
}
