//! Parsers of the values of [`crate::types`] from a byte slice (RFC 9051
//! section 9, RFC 3501 section 9).
//!
//! Each parser takes the input positioned at the value and returns the
//! value, borrowing from the input where it can, with the number of bytes
//! it consumed; it stops before the first byte that cannot continue the
//! value and leaves checking what follows to its caller. Literals are read
//! inline (`{n}` CRLF and `n` octets), as the framer delivers them.
//!
//! Errors are [`SyntaxError`]s whose offset counts from the start of the
//! slice given. Numbers are read with overflow checks. No parser panics
//! or allocates, except [`parse_quoted`] (and the string parsers built on
//! it) for a quoted string that holds `\"` or `\\`.
//!
//! ```
//! use imap_proto::parse::values::{parse_astring, parse_sequence_set, ParseOptions};
//! let (s, n) = parse_astring(b"{5}\r\nhello rest", ParseOptions::default()).unwrap();
//! assert_eq!((s.as_bytes(), n), (&b"hello"[..], 10));
//! let (set, n) = parse_sequence_set(b"2,4:7,9,12:* ").unwrap();
//! assert_eq!(n, 12);
//! assert!(set.contains(13, 15));
//! ```

use core::num::NonZeroU32;
use std::borrow::Cow;

use mail_wire::SyntaxError;

use crate::types::atom::{ascii_str, is_astring_char, is_atom_char, is_tag_char};
use crate::types::{
    AString, Atom, Flag, FlagPerm, IString, Literal, Literal8, LiteralMode, Mailbox, NString,
    NonEmptyVec, Quoted, SeqItem, SeqNumber, SequenceSet, Tag,
};

/// What the connection has enabled that changes what the parsers accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ParseOptions {
    /// UTF8=ACCEPT is enabled (RFC 6855 section 3; RFC 9051 section 9
    /// `QUOTED-CHAR` with `UTF8-2` / `UTF8-3` / `UTF8-4`): quoted strings
    /// may hold UTF-8. Without it, 8-bit octets in a quoted string are an
    /// error (RFC 3501 section 9: `QUOTED-CHAR` is 7-bit).
    pub utf8_accept: bool,
}

/// Why a value could not be parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum ValueParseError {
    /// The input does not match the grammar.
    #[error(transparent)]
    Syntax(#[from] SyntaxError),
}

type Res<T> = Result<(T, usize), ValueParseError>;

fn err(input: &[u8], at: usize, expected: &'static str) -> ValueParseError {
    ValueParseError::Syntax(SyntaxError::at(input, at, expected))
}

/// Length of the run of bytes from `pos` that satisfy `ok`.
fn run(input: &[u8], pos: usize, ok: impl Fn(u8) -> bool) -> usize {
    input.get(pos..).map_or(0, |rest| {
        rest.iter().position(|&b| !ok(b)).unwrap_or(rest.len())
    })
}

/// Digits from `pos` as a number no larger than `max`. Returns the value
/// and the position after the digits.
fn digits(
    input: &[u8],
    pos: usize,
    max: u64,
    expected: &'static str,
) -> Result<(u64, usize), ValueParseError> {
    let mut n: u64 = 0;
    let mut i = pos;
    while let Some(&b) = input.get(i) {
        if !b.is_ascii_digit() {
            break;
        }
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(b - b'0')))
            .filter(|&n| n <= max)
            .ok_or_else(|| err(input, i, expected))?;
        i += 1;
    }
    if i == pos {
        return Err(err(input, pos, expected));
    }
    Ok((n, i))
}

/// `number` (RFC 9051 section 9): an unsigned 32-bit integer.
pub fn parse_number(input: &[u8]) -> Res<u32> {
    let (n, end) = digits(input, 0, u64::from(u32::MAX), "number (0 to 4294967295)")?;
    Ok((u32::try_from(n).unwrap_or(u32::MAX), end))
}

/// `nz-number` (RFC 9051 section 9): 1 to 4,294,967,295, no leading zero.
pub fn parse_nz_number(input: &[u8]) -> Res<NonZeroU32> {
    nz_number(input, 0)
}

fn nz_number(input: &[u8], pos: usize) -> Res<NonZeroU32> {
    const EXPECTED: &str = "nz-number (1 to 4294967295)";
    if input.get(pos) == Some(&b'0') {
        return Err(err(input, pos, EXPECTED));
    }
    let (n, end) = digits(input, pos, u64::from(u32::MAX), EXPECTED)?;
    let n = u32::try_from(n)
        .ok()
        .and_then(NonZeroU32::new)
        .ok_or_else(|| err(input, pos, EXPECTED))?;
    Ok((n, end))
}

/// `number64` (RFC 9051 section 9): 0 to 9,223,372,036,854,775,807.
pub fn parse_number64(input: &[u8]) -> Res<u64> {
    digits(
        input,
        0,
        i64::MAX as u64,
        "number64 (0 to 9223372036854775807)",
    )
}

/// `atom` (RFC 9051 section 4.1).
pub fn parse_atom(input: &[u8]) -> Res<Atom<'_>> {
    let n = run(input, 0, is_atom_char);
    let (word, _) = input.split_at_checked(n).unwrap_or((input, &[]));
    if word.is_empty() {
        return Err(err(input, 0, "atom"));
    }
    let s = ascii_str(word).map_err(|_| err(input, 0, "atom"))?;
    Ok((Atom::from_checked(s), n))
}

/// `tag` (RFC 9051 section 2.2.1 and 9).
pub fn parse_tag(input: &[u8]) -> Res<Tag<'_>> {
    let n = run(input, 0, is_tag_char);
    let (word, _) = input.split_at_checked(n).unwrap_or((input, &[]));
    if word.is_empty() {
        return Err(err(input, 0, "tag"));
    }
    let s = ascii_str(word).map_err(|_| err(input, 0, "tag"))?;
    Ok((Tag::from_checked(s), n))
}

/// `quoted` (RFC 9051 section 4.3): `"` text `"` with `\"` and `\\`
/// escapes. 8-bit octets only under [`ParseOptions::utf8_accept`], and then
/// only as valid UTF-8. Borrows when there is no escape.
pub fn parse_quoted(input: &[u8], opts: ParseOptions) -> Res<Quoted<'_>> {
    quoted(input, 0, opts)
}

fn quoted(input: &[u8], pos: usize, opts: ParseOptions) -> Res<Quoted<'_>> {
    if input.get(pos) != Some(&b'"') {
        return Err(err(input, pos, "'\"'"));
    }
    let start = pos + 1;
    let mut i = start;
    let mut escapes = false;
    let mut eight_bit = false;
    loop {
        match input.get(i) {
            None => return Err(err(input, i, "closing '\"'")),
            Some(b'"') => break,
            Some(b'\\') => {
                if !matches!(input.get(i + 1), Some(b'"' | b'\\')) {
                    return Err(err(input, i + 1, "'\"' or '\\' after '\\'"));
                }
                escapes = true;
                i += 2;
            }
            Some(b'\r' | b'\n' | 0) => return Err(err(input, i, "quoted character")),
            Some(&b) => {
                if b >= 0x80 {
                    if !opts.utf8_accept {
                        return Err(err(input, i, "7-bit quoted character (no UTF8=ACCEPT)"));
                    }
                    eight_bit = true;
                }
                i += 1;
            }
        }
    }
    let raw = input.get(start..i).unwrap_or_default();
    let text = if eight_bit {
        core::str::from_utf8(raw).map_err(|e| err(input, start + e.valid_up_to(), "UTF-8 text"))?
    } else {
        ascii_str(raw).map_err(|_| err(input, start, "quoted text"))?
    };
    let text = if escapes {
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            } else {
                out.push(c);
            }
        }
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    };
    Ok((Quoted::from_checked(text), i + 1))
}

/// The `{n}` / `{n+}` CRLF header of a literal at `pos` (after any `~`),
/// and the data it announces. Returns the data, the mode and the end.
fn literal_parts(input: &[u8], pos: usize) -> Result<(&[u8], LiteralMode, usize), ValueParseError> {
    if input.get(pos) != Some(&b'{') {
        return Err(err(input, pos, "'{'"));
    }
    let (n, mut i) = digits(input, pos + 1, i64::MAX as u64, "literal length (number64)")?;
    let mode = if input.get(i) == Some(&b'+') {
        i += 1;
        LiteralMode::NonSync
    } else {
        LiteralMode::Sync
    };
    if input.get(i) != Some(&b'}') {
        return Err(err(input, i, "'}'"));
    }
    i += 1;
    if input.get(i) != Some(&b'\r') {
        return Err(err(input, i, "CR after literal length"));
    }
    if input.get(i + 1) != Some(&b'\n') {
        return Err(err(input, i + 1, "LF after literal length"));
    }
    i += 2;
    let end = usize::try_from(n)
        .ok()
        .and_then(|n| i.checked_add(n))
        .filter(|&end| end <= input.len())
        .ok_or_else(|| err(input, input.len(), "literal data"))?;
    Ok((input.get(i..end).unwrap_or_default(), mode, end))
}

/// `literal` (RFC 9051 section 4.3, RFC 7888 section 8): `{n}` or `{n+}`,
/// CRLF, then `n` octets other than NUL.
pub fn parse_literal(input: &[u8]) -> Res<Literal<'_>> {
    literal(input, 0)
}

fn literal(input: &[u8], pos: usize) -> Res<Literal<'_>> {
    let (data, mode, end) = literal_parts(input, pos)?;
    if let Some(nul) = memchr::memchr(0, data) {
        let data_start = end - data.len();
        return Err(err(input, data_start + nul, "CHAR8 (NUL needs literal8)"));
    }
    Ok((Literal::from_checked(data, mode), end))
}

/// `literal8` (RFC 3516 section 4.2, RFC 4466 section 2.1): `~{n}` or
/// `~{n+}`, CRLF, then any `n` octets.
pub fn parse_literal8(input: &[u8]) -> Res<Literal8<'_>> {
    if input.first() != Some(&b'~') {
        return Err(err(input, 0, "'~'"));
    }
    let (data, mode, end) = literal_parts(input, 1)?;
    Ok((Literal8::new(data, mode), end))
}

fn string(input: &[u8], pos: usize, opts: ParseOptions) -> Res<IString<'_>> {
    match input.get(pos) {
        Some(b'"') => quoted(input, pos, opts).map(|(q, n)| (IString::from(q), n)),
        Some(b'{') => literal(input, pos).map(|(l, n)| (IString::from(l), n)),
        _ => Err(err(input, pos, "string (quoted or literal)")),
    }
}

/// `string` (RFC 9051 section 4.3): a quoted string or a literal.
pub fn parse_string(input: &[u8], opts: ParseOptions) -> Res<IString<'_>> {
    string(input, 0, opts)
}

/// `astring` (RFC 9051 section 9): `1*ASTRING-CHAR` or a string.
pub fn parse_astring(input: &[u8], opts: ParseOptions) -> Res<AString<'_>> {
    match input.first() {
        Some(b'"' | b'{') => string(input, 0, opts).map(|(s, n)| (AString::from(s), n)),
        _ => {
            let n = run(input, 0, is_astring_char);
            if n == 0 {
                return Err(err(input, 0, "astring"));
            }
            let word = input.get(..n).unwrap_or_default();
            Ok((AString::from_checked(Cow::Borrowed(word)), n))
        }
    }
}

/// `nstring` (RFC 9051 section 4.5): a string or `NIL` (any case).
pub fn parse_nstring(input: &[u8], opts: ParseOptions) -> Res<NString<'_>> {
    match input.first() {
        Some(b'N' | b'n') => {
            if input
                .get(..3)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"NIL"))
            {
                Ok((NString(None), 3))
            } else {
                Err(err(input, 0, "NIL or string"))
            }
        }
        _ => string(input, 0, opts)
            .map(|(s, n)| (NString(Some(s)), n))
            .map_err(|_| err(input, 0, "NIL or string")),
    }
}

/// `mailbox` (RFC 9051 section 9): an astring, any case of `INBOX` being
/// `INBOX`.
pub fn parse_mailbox(input: &[u8], opts: ParseOptions) -> Res<Mailbox<'_>> {
    parse_astring(input, opts).map(|(s, n)| (Mailbox::from(s), n))
}

/// `flag` and `flag-fetch` (RFC 9051 section 2.3.2 and 9): a system flag
/// (`\Recent` included), a keyword or a `\atom` extension.
pub fn parse_flag(input: &[u8]) -> Res<Flag<'_>> {
    if input.first() == Some(&b'\\') {
        let rest = input.get(1..).unwrap_or_default();
        let (a, n) = parse_atom(rest).map_err(|_| err(input, 1, "flag name after '\\'"))?;
        Ok((Flag::extension(a), n + 1))
    } else {
        let (a, n) = parse_atom(input).map_err(|_| err(input, 0, "flag"))?;
        Ok((Flag::Keyword(a), n))
    }
}

/// `flag-perm` (RFC 9051 section 9): a flag or `\*`.
pub fn parse_flag_perm(input: &[u8]) -> Res<FlagPerm<'_>> {
    if input.starts_with(b"\\*") {
        return Ok((FlagPerm::Wildcard, 2));
    }
    parse_flag(input).map(|(f, n)| (FlagPerm::Flag(f), n))
}

fn seq_number(input: &[u8], pos: usize) -> Res<SeqNumber> {
    if input.get(pos) == Some(&b'*') {
        return Ok((SeqNumber::Largest, pos + 1));
    }
    nz_number(input, pos)
        .map(|(n, end)| (SeqNumber::Value(n), end))
        .map_err(|_| err(input, pos, "seq-number (nz-number or '*')"))
}

/// `seq-number` (RFC 9051 section 9): an `nz-number` or `*`.
pub fn parse_seq_number(input: &[u8]) -> Res<SeqNumber> {
    seq_number(input, 0)
}

/// `sequence-set` (RFC 9051 section 9): numbers and ranges separated by
/// commas, or `$` alone (RFC 5182 section 2).
pub fn parse_sequence_set(input: &[u8]) -> Res<SequenceSet> {
    if input.first() == Some(&b'$') {
        return Ok((SequenceSet::Saved, 1));
    }
    let mut items = Vec::new();
    let mut pos = 0;
    loop {
        let (a, end) = seq_number(input, pos)?;
        pos = end;
        let item = if input.get(pos) == Some(&b':') {
            let (b, end) = seq_number(input, pos + 1)?;
            pos = end;
            SeqItem::Range(a, b)
        } else {
            SeqItem::Number(a)
        };
        items.push(item);
        if input.get(pos) == Some(&b',') {
            pos += 1;
        } else {
            break;
        }
    }
    let items = NonEmptyVec::new(items).map_err(|_| err(input, 0, "sequence-set"))?;
    Ok((SequenceSet::Set(items), pos))
}

/// Octets of a quoted `date-time`, quotes included: the grammar fixes every
/// field's width (`date-day-fixed` is `SP DIGIT` or `2DIGIT`).
pub(crate) const DATE_TIME_LEN: usize = 28;

/// A quoted `date-time` (RFC 9051 section 9), exactly [`DATE_TIME_LEN`]
/// octets: `"dd-Mon-yyyy hh:mm:ss +zzzz"`. The month name matches in any
/// case; fields out of range (day 32, zone minutes 60) are refused.
pub(crate) fn parse_date_time(raw: &[u8]) -> Option<crate::types::DateTime> {
    if raw.len() != DATE_TIME_LEN {
        return None;
    }
    let b = |i: usize| raw.get(i).copied().unwrap_or(0);
    let d = |i: usize| -> Option<u8> {
        let c = b(i);
        c.is_ascii_digit().then(|| c - b'0')
    };
    let two = |i: usize| Some(d(i)? * 10 + d(i + 1)?);
    if b(0) != b'"' || b(3) != b'-' || b(7) != b'-' || b(12) != b' ' || b(27) != b'"' {
        return None;
    }
    if b(15) != b':' || b(18) != b':' || b(21) != b' ' {
        return None;
    }
    let (day, day_space) = if b(1) == b' ' {
        (d(2)?, true)
    } else {
        (two(1)?, false)
    };
    let mon = raw.get(4..7)?;
    let month = crate::types::datetime::MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(mon))
        .and_then(|i| u8::try_from(i + 1).ok())?;
    let year = u16::from(two(8)?) * 100 + u16::from(two(10)?);
    let (hour, minute, second) = (two(13)?, two(16)?, two(19)?);
    let sign: i16 = match b(22) {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (zh, zm) = (i16::from(two(23)?), i16::from(two(25)?));
    if zm >= 60 {
        return None;
    }
    crate::types::DateTime::new(
        year,
        month,
        day,
        hour,
        minute,
        second,
        sign * (zh * 60 + zm),
    )
    .ok()
    .map(|dt| dt.with_day_space(day_space))
}
