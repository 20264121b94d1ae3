//! Command text kept byte-exact: the arguments of unknown commands and
//! the parameter lists this crate does not model (SELECT, CREATE, FETCH
//! and STORE parameters of RFC 4466 section 2, RFC 7162).

use core::fmt;
use std::borrow::Cow;

use crate::types::LiteralMode;
use crate::types::error::ValueError;

/// Where a scan of raw text failed, and why.
pub(crate) type ScanError = (usize, &'static str);

/// One literal found by [`scan`].
pub(crate) struct RawLiteral<'b> {
    /// Offset of its `{` (or `~`).
    pub start: usize,
    /// `{` or `~{`.
    pub prefix: &'static [u8],
    /// Its data.
    pub data: &'b [u8],
    /// `{n}` or `{n+}`.
    pub mode: LiteralMode,
    /// Offset just after its data.
    pub end: usize,
}

/// If a literal header `{n}` / `{n+}` (after an optional `~`) starts at
/// `i`, returns (digits end incl. `+` and `}`, n, mode).
fn literal_header(b: &[u8], i: usize) -> Option<(usize, u64, LiteralMode)> {
    let mut j = i + 1;
    let mut n: u64 = 0;
    let start = j;
    while let Some(&c) = b.get(j) {
        if !c.is_ascii_digit() {
            break;
        }
        // Saturating: a length too large for u64 is still a literal
        // header to every framer, and must never pass as plain text.
        n = n.saturating_mul(10).saturating_add(u64::from(c - b'0'));
        j += 1;
    }
    if j == start {
        return None;
    }
    let mut mode = LiteralMode::Sync;
    if b.get(j) == Some(&b'+') {
        mode = LiteralMode::NonSync;
        j += 1;
    }
    (b.get(j) == Some(&b'}')).then_some((j + 1, n, mode))
}

/// Scans raw command text from the start of `b`. With `until_close`, stops
/// at the first `)` that closes no `(` of the text and returns its offset;
/// otherwise scans all of `b`, which must leave no parenthesis open, and
/// returns `b.len()`. Quoted strings and literals are skipped whole;
/// `on_literal` sees each literal. CR and LF are allowed only as the CRLF
/// of a literal header, NUL only in `literal8` data; the text may not end
/// with something that reads as a literal header. Literal lengths may
/// not have leading zeros (so the text re-encodes byte-exact).
pub(crate) fn scan<'b>(
    b: &'b [u8],
    until_close: bool,
    mut on_literal: impl FnMut(RawLiteral<'b>),
) -> Result<usize, ScanError> {
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'(' => {
                depth += 1;
                i += 1;
            }
            b')' => {
                if depth == 0 {
                    if until_close {
                        return Ok(i);
                    }
                    return Err((i, "no unmatched ')'"));
                }
                depth -= 1;
                i += 1;
            }
            b'"' => {
                i += 1;
                loop {
                    match b.get(i) {
                        None => return Err((i, "closing '\"'")),
                        Some(b'"') => break,
                        Some(b'\\') => {
                            if !matches!(b.get(i + 1), Some(b'"' | b'\\')) {
                                return Err((i + 1, "'\"' or '\\' after '\\'"));
                            }
                            i += 2;
                        }
                        Some(b'\r' | b'\n' | 0) => return Err((i, "quoted character")),
                        Some(_) => i += 1,
                    }
                }
                i += 1;
            }
            b'{' | b'~' => {
                let brace = if c == b'~' { i + 1 } else { i };
                if c == b'~' && b.get(brace) != Some(&b'{') {
                    i += 1;
                    continue;
                }
                let Some((after, n, mode)) = literal_header(b, brace) else {
                    i += 1;
                    continue;
                };
                if b.get(after) != Some(&b'\r') || b.get(after + 1) != Some(&b'\n') {
                    if after >= b.len() {
                        return Err((i, "no literal header at the end of the text"));
                    }
                    i = after;
                    continue;
                }
                let digits = b.get(brace + 1..).unwrap_or_default();
                if digits.first() == Some(&b'0') && digits.get(1).is_some_and(u8::is_ascii_digit) {
                    // Kept text must re-encode byte-exact, and the encoder
                    // writes literal lengths without leading zeros.
                    return Err((brace + 1, "literal length without leading zero"));
                }
                let data_start = after + 2;
                let end = usize::try_from(n)
                    .ok()
                    .and_then(|n| data_start.checked_add(n))
                    .filter(|&e| e <= b.len())
                    .ok_or((b.len(), "literal data"))?;
                let data = b.get(data_start..end).unwrap_or_default();
                let prefix: &'static [u8] = if c == b'~' { b"~{" } else { b"{" };
                if c == b'{'
                    && let Some(p) = memchr::memchr(0, data)
                {
                    return Err((data_start + p, "CHAR8 (NUL needs literal8)"));
                }
                on_literal(RawLiteral {
                    start: i,
                    prefix,
                    data,
                    mode,
                    end,
                });
                i = end;
            }
            b'\r' | b'\n' | 0 => return Err((i, "text without CR, LF or NUL")),
            _ => i += 1,
        }
    }
    if until_close {
        return Err((b.len(), "')'"));
    }
    if depth != 0 {
        return Err((b.len(), "')'"));
    }
    Ok(b.len())
}

/// Command text kept as sent: words, quoted strings, balanced
/// parentheses and literals (inline, `{n}` CRLF data). It holds CR or LF
/// only as the CRLF that ends a literal header, so it encodes back to
/// the same bytes, each literal a [`crate::Fragment::Literal`].
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct RawArgs<'a>(Cow<'a, [u8]>);

impl<'a> RawArgs<'a> {
    /// Validates `text`: balanced parentheses, closed quoted strings,
    /// complete literals, no other CR, LF or NUL, and no literal header
    /// at the very end. May be empty.
    pub fn new(text: impl Into<Cow<'a, [u8]>>) -> Result<Self, ValueError> {
        let text = text.into();
        scan(&text, false, |_| {}).map_err(|(_, what)| ValueError::Invalid { what })?;
        Ok(RawArgs(text))
    }

    /// Wraps text [`scan`] accepted.
    pub(crate) fn from_checked(text: &'a [u8]) -> Self {
        RawArgs(Cow::Borrowed(text))
    }

    /// The text, literals inline.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> RawArgs<'static> {
        RawArgs(Cow::Owned(self.0.into_owned()))
    }
}

impl fmt::Debug for RawArgs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RawArgs(b\"{}\")", self.0.escape_ascii())
    }
}
