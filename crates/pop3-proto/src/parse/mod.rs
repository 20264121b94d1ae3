//! Bytes to types: commands, response lines, capability and listing lines,
//! and multi-line blocks. Parsers work by hand over `&[u8]` and borrow from
//! their input.
//!
//! - [`command`] module: [`Command::parse`](crate::Command::parse) for one line,
//!   [`parse_command`] for a raw buffer (finds the CRLF, enforces the
//!   command-length limits of RFC 2449 section 4).
//! - [`response`] module: [`Response::parse`](crate::Response::parse),
//!   [`StatusLine::parse`](crate::StatusLine::parse) and
//!   [`Stat::parse`](crate::Stat::parse).
//! - [`capability`] module: [`Capability::parse`](crate::Capability::parse).
//! - [`listing`] module: [`ScanListing::parse`](crate::ScanListing::parse) and
//!   [`UidListing::parse`](crate::UidListing::parse).
//! - [`multiline`] module: [`MultiLineReader`], the framing of the dot-terminated
//!   blocks that follow `+OK` to `CAPA`, `LIST`, `UIDL`, bare `AUTH` and
//!   `LANG`.
//!
//! Message bodies (`RETR`, `TOP`) are not parsed here: a session streams them
//! through [`mail_wire::dot::DotDecoder`], which removes the dot-stuffing and
//! ends only on `<CRLF>.<CRLF>`.

pub mod capability;
pub mod command;
pub mod listing;
pub mod multiline;
pub mod response;

pub use command::{
    CommandError, CommandFrameError, CommandOptions, parse_command, parse_command_with, skip_line,
};
pub use multiline::{MultiLine, MultiLineReader};
pub use response::{ResponseError, ResponseOptions, status_of};

use mail_wire::SyntaxError;

/// Parses a run of ASCII digits at the start of `b` as a number of at most
/// `max_digits` digits that fits in a `u64` and is at most `max`.
///
/// Returns the number and the count of digits read. `what` names the number
/// in the error. The digit count is bounded before any arithmetic and every
/// step is checked, so no input can overflow.
pub(crate) fn number(
    b: &[u8],
    base: usize,
    max_digits: usize,
    max: u64,
    what: &'static str,
) -> Result<(u64, usize), SyntaxError> {
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return Err(SyntaxError::at(b, 0, what).shifted(base));
    }
    if digits > max_digits {
        return Err(
            SyntaxError::at(b, max_digits, "fewer digits (number too large)").shifted(base),
        );
    }
    let mut n: u64 = 0;
    for &c in b.iter().take(digits) {
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(c - b'0')))
            .filter(|&n| n <= max)
            .ok_or_else(|| {
                SyntaxError::at(b, 0, "a smaller number (out of range)").shifted(base)
            })?;
    }
    Ok((n, digits))
}

/// A whole field that must be a number (nothing else in `b`).
pub(crate) fn whole_number(
    b: &[u8],
    base: usize,
    max_digits: usize,
    max: u64,
    what: &'static str,
) -> Result<u64, SyntaxError> {
    let (n, len) = number(b, base, max_digits, max, what)?;
    if len != b.len() {
        return Err(SyntaxError::at(b, len, "a digit").shifted(base));
    }
    Ok(n)
}

/// Most digits of a 32-bit number.
pub(crate) const U32_DIGITS: usize = 10;
/// Most digits of a 64-bit number.
pub(crate) const U64_DIGITS: usize = 20;
