//! Error, position and limit types shared by every codec of the workspace.
//!
//! A parse error always says *where* (a byte offset into the unit being
//! parsed), *what was expected* and *what was found*, so that a server can log
//! a useful line and a client can report a broken peer precisely. A limit
//! error names the limit that was hit and its configured value.

use core::fmt;

/// What a parser found at the offset of a [`SyntaxError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Found {
    /// The input ended where more was expected.
    End,
    /// This byte.
    Byte(u8),
}

impl Found {
    /// What stands at `offset` of `input`: the byte there, or [`Found::End`].
    #[must_use]
    pub fn at(input: &[u8], offset: usize) -> Self {
        match input.get(offset) {
            Some(&b) => Found::Byte(b),
            None => Found::End,
        }
    }
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Found::End => f.write_str("end of input"),
            Found::Byte(b) if b.is_ascii_graphic() => write!(f, "'{}'", b as char),
            Found::Byte(b' ') => f.write_str("SP"),
            Found::Byte(b'\r') => f.write_str("CR"),
            Found::Byte(b'\n') => f.write_str("LF"),
            Found::Byte(0) => f.write_str("NUL"),
            Found::Byte(b) => write!(f, "byte 0x{b:02x}"),
        }
    }
}

/// A grammar violation: at byte `offset`, the parser expected `expected` and
/// found `found`.
///
/// The offset counts from the start of the unit handed to the parser (a
/// command line, a reply, a header), not from the start of the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("syntax error at byte {offset}: expected {expected}, found {found}")]
pub struct SyntaxError {
    /// Byte offset of the violation within the parsed unit.
    pub offset: usize,
    /// A short human description of what the grammar allows there.
    pub expected: &'static str,
    /// What was actually there.
    pub found: Found,
}

impl SyntaxError {
    /// An error at `offset` of `input`, reading what was found from the input.
    #[must_use]
    pub fn at(input: &[u8], offset: usize, expected: &'static str) -> Self {
        SyntaxError {
            offset,
            expected,
            found: Found::at(input, offset),
        }
    }

    /// The same error with its offset moved by `base`, for a parser that
    /// delegated a sub-slice starting at `base` to another parser.
    #[must_use]
    pub fn shifted(self, base: usize) -> Self {
        SyntaxError {
            offset: self.offset.saturating_add(base),
            ..self
        }
    }
}

/// A configured limit was exceeded.
///
/// `limit` is the name of the field in the crate's `Limits` struct (for
/// example `"max_line_len"`), `max` its configured value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("limit {limit} exceeded (maximum {max})")]
pub struct LimitError {
    /// Name of the limit, as spelled in the `Limits` struct that sets it.
    pub limit: &'static str,
    /// The configured maximum.
    pub max: u64,
}

impl LimitError {
    /// A new limit error for the limit named `limit` with maximum `max`.
    #[must_use]
    pub fn new(limit: &'static str, max: u64) -> Self {
        LimitError { limit, max }
    }
}

/// The result of an incremental parser that has not failed.
///
/// Same contract as `httparse::Status`: either the unit is complete, with the
/// number of input bytes it took, or more input is needed. Re-feeding a longer
/// buffer after `Incomplete` is always allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status<T> {
    /// A complete value and the number of bytes it consumed.
    Complete(T, usize),
    /// The buffer ends before the unit does: feed more bytes.
    Incomplete,
}

impl<T> Status<T> {
    /// `true` for [`Status::Complete`].
    #[must_use]
    pub fn is_complete(&self) -> bool {
        matches!(self, Status::Complete(..))
    }

    /// Maps the complete value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Status<U> {
        match self {
            Status::Complete(v, n) => Status::Complete(f(v), n),
            Status::Incomplete => Status::Incomplete,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_position_expectation_and_byte() {
        let e = SyntaxError::at(b"MAIL FROM:x", 10, "'<'");
        assert_eq!(
            e.to_string(),
            "syntax error at byte 10: expected '<', found 'x'"
        );
        let e = SyntaxError::at(b"AB", 2, "CRLF");
        assert_eq!(e.found, Found::End);
        assert_eq!(e.shifted(5).offset, 7);
        assert_eq!(Found::Byte(b'\r').to_string(), "CR");
        assert_eq!(Found::Byte(0x80).to_string(), "byte 0x80");
        assert_eq!(
            LimitError::new("max_line_len", 512).to_string(),
            "limit max_line_len exceeded (maximum 512)"
        );
    }
}
