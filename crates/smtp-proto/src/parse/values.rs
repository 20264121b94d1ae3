//! Value grammars shared by the parsers and the constructors of the types:
//! keywords, values, atoms, RFC 3339 timestamps, decimal numbers, `BY` and
//! `NOTIFY` values, command text, queue names and base64.

use mail_wire::SyntaxError;

use crate::parse::chars;
use crate::parse::command::{is_verb_char, known_verb};
use crate::parse::params::{invalid, split_byte};
use crate::types::mail_values::{ByMode, DeliverBy};
use crate::types::params::ParamError;
use crate::types::rcpt_values::Notify;

/// `esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")`.
pub(crate) fn is_keyword_char(c: u8) -> bool {
    chars::is(c, chars::KEYWORD)
}

/// `esmtp-value` octets: `%d33-60 / %d62-126`, plus UTF-8 (RFC 6531).
pub(crate) fn is_value_char(c: u8) -> bool {
    chars::is(c, chars::VALUE)
}

pub(crate) fn validate_keyword(k: &str) -> Result<(), SyntaxError> {
    let b = k.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_alphanumeric) {
        return Err(SyntaxError::at(
            b,
            0,
            "a letter or digit starting the keyword",
        ));
    }
    match b.iter().position(|&c| !is_keyword_char(c)) {
        Some(i) => Err(SyntaxError::at(b, i, "a keyword character")),
        None => Ok(()),
    }
}

pub(crate) fn validate_value(v: &str) -> Result<(), SyntaxError> {
    let b = v.as_bytes();
    if b.is_empty() {
        return Err(SyntaxError::at(b, 0, "a parameter value"));
    }
    match b.iter().position(|&c| !is_value_char(c)) {
        Some(i) => Err(SyntaxError::at(b, i, "a parameter value character")),
        None => Ok(()),
    }
}

/// An RFC 5322 `atom`, ASCII only and without `=` (which `esmtp-value`
/// cannot carry): the `addr-type` of `ORCPT`.
pub(crate) fn validate_atom(a: &str) -> Result<(), SyntaxError> {
    let b = a.as_bytes();
    if b.is_empty() {
        return Err(SyntaxError::at(b, 0, "an atom"));
    }
    match b
        .iter()
        .position(|&c| !(c.is_ascii() && c != b'=' && crate::parse::path::is_atext(c)))
    {
        Some(i) => Err(SyntaxError::at(b, i, "an atom character")),
        None => Ok(()),
    }
}

/// What [`validate_date_time`] learnt besides validity.
pub(crate) struct DateTimeInfo {
    pub(crate) utc: bool,
    pub(crate) fraction: bool,
}

fn two_digits(b: &[u8], i: usize) -> Option<u32> {
    match (b.get(i), b.get(i + 1)) {
        (Some(&h @ b'0'..=b'9'), Some(&l @ b'0'..=b'9')) => {
            Some(u32::from(h - b'0') * 10 + u32::from(l - b'0'))
        }
        _ => None,
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// RFC 3339 section 5.6 `date-time`, with field ranges.
pub(crate) fn validate_date_time(s: &str) -> Result<DateTimeInfo, SyntaxError> {
    let b = s.as_bytes();
    let e = |i, what| SyntaxError::at(b, i, what);
    let num = |i, lo, hi, what| {
        two_digits(b, i)
            .filter(|n| (lo..=hi).contains(n))
            .ok_or_else(|| e(i, what))
    };
    let sep = |i, c: u8, what| {
        if b.get(i).is_some_and(|x: &u8| x.eq_ignore_ascii_case(&c)) {
            Ok(())
        } else {
            Err(e(i, what))
        }
    };
    let year = two_digits(b, 0)
        .zip(two_digits(b, 2))
        .map(|(h, l)| h * 100 + l)
        .ok_or_else(|| e(0, "a four-digit year"))?;
    sep(4, b'-', "'-'")?;
    let month = num(5, 1, 12, "a month 01-12")?;
    sep(7, b'-', "'-'")?;
    num(8, 1, days_in_month(year, month), "a day of that month")?;
    sep(10, b'T', "'T'")?;
    num(11, 0, 23, "an hour 00-23")?;
    sep(13, b':', "':'")?;
    num(14, 0, 59, "a minute 00-59")?;
    sep(16, b':', "':'")?;
    num(17, 0, 60, "a second 00-60")?;
    let mut i = 19;
    let fraction = b.get(i) == Some(&b'.');
    if fraction {
        i += 1;
        let digits = b
            .get(i..)
            .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count());
        if digits == 0 {
            return Err(e(i, "a digit of the fraction"));
        }
        i += digits;
    }
    let utc = match b.get(i) {
        Some(b'Z' | b'z') => {
            i += 1;
            true
        }
        Some(b'+' | b'-') => {
            let h = num(i + 1, 0, 23, "an offset hour 00-23")?;
            sep(i + 3, b':', "':'")?;
            let m = num(i + 4, 0, 59, "an offset minute 00-59")?;
            i += 6;
            h == 0 && m == 0
        }
        _ => return Err(e(i, "'Z' or a numeric offset")),
    };
    if i != b.len() {
        return Err(e(i, "end of date-time"));
    }
    Ok(DateTimeInfo { utc, fraction })
}

/// A decimal number without sign: `Err(Some(i))` for a non-digit at `i`
/// (or empty text, `i == 0`), `Err(None)` on overflow.
pub(crate) fn decimal_u64(b: &[u8]) -> Result<u64, Option<usize>> {
    if b.is_empty() {
        return Err(Some(0));
    }
    let mut n: u64 = 0;
    for (i, &c) in b.iter().enumerate() {
        if !c.is_ascii_digit() {
            return Err(Some(i));
        }
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(c - b'0')))
            .ok_or(None)?;
    }
    Ok(n)
}

/// `by-value = by-time ";" by-mode [by-trace]` (RFC 2852 section 4).
pub(crate) fn by_value(line: &str, v: &str, at: usize) -> Result<DeliverBy, ParamError> {
    let (time, mode) = split_byte(v, b';')
        .ok_or_else(|| invalid("BY", line, at + v.len(), "';' after the by-time"))?;
    let (negative, digits) = match time.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        rest => (false, rest),
    };
    if digits.len() > 9 {
        return Err(ParamError::OutOfRange { keyword: "BY" });
    }
    let sign_len = time.len() - digits.len();
    let n = decimal_u64(digits).map_err(|e| {
        invalid(
            "BY",
            line,
            at + sign_len + e.unwrap_or(0),
            "a by-time of 1 to 9 digits",
        )
    })?;
    // At most 9 digits, so this fits an i32.
    let n = i32::try_from(n).map_err(|_| ParamError::OutOfRange { keyword: "BY" })?;
    let seconds = if negative { -n } else { n };
    let m = at + time.len() + 1;
    let (mode, trace) = match mode.as_bytes() {
        [c, rest @ ..] if c.eq_ignore_ascii_case(&b'N') => (ByMode::Notify, rest),
        [c, rest @ ..] if c.eq_ignore_ascii_case(&b'R') => (ByMode::Return, rest),
        _ => return Err(invalid("BY", line, m, "by-mode 'N' or 'R'")),
    };
    let trace = match trace {
        [] => false,
        [t] if t.eq_ignore_ascii_case(&b'T') => true,
        _ => return Err(invalid("BY", line, m + 1, "'T' or the end of the value")),
    };
    DeliverBy::new(seconds, mode, trace)
        .ok_or_else(|| invalid("BY", line, at, "a positive by-time with mode 'R'"))
}

/// `notify-esmtp-value = "NEVER" / 1#notify-list-element` (RFC 3461
/// section 4.1): `NEVER` only alone, no element twice.
pub(crate) fn notify_value(line: &str, v: &str, at: usize) -> Result<Notify, ParamError> {
    if v.eq_ignore_ascii_case("NEVER") {
        return Ok(Notify::never());
    }
    let mut bits = 0u8;
    let mut pos = at;
    for item in v.as_bytes().split(|&c| c == b',') {
        let bit = [("SUCCESS", 1u8), ("FAILURE", 2), ("DELAY", 4)]
            .iter()
            .find(|(n, _)| chars::eq_upper(item, n.as_bytes()))
            .map(|&(_, b)| b);
        match bit {
            Some(b) if bits & b == 0 => bits |= b,
            Some(_) => return Err(invalid("NOTIFY", line, pos, "each condition at most once")),
            None if chars::eq_upper(item, b"NEVER") => {
                return Err(invalid("NOTIFY", line, pos, "NEVER alone"));
            }
            None => return Err(invalid("NOTIFY", line, pos, "SUCCESS, FAILURE or DELAY")),
        }
        pos += item.len() + 1;
    }
    Ok(Notify::from_bits(bits))
}

pub(crate) fn validate_unknown_verb(v: &str) -> Result<(), SyntaxError> {
    let b = v.as_bytes();
    if b.is_empty() {
        return Err(SyntaxError::at(b, 0, "a command verb"));
    }
    if let Some(i) = b.iter().position(|&c| !is_verb_char(c)) {
        return Err(SyntaxError::at(b, i, "a letter, digit or '-' in the verb"));
    }
    if known_verb(b).is_some() {
        return Err(SyntaxError::at(
            b,
            0,
            "a verb this crate does not parse itself",
        ));
    }
    Ok(())
}

pub(crate) fn validate_text(t: &str) -> Result<(), SyntaxError> {
    let b = t.as_bytes();
    if b.is_empty() {
        return Err(SyntaxError::at(b, 0, "an argument"));
    }
    match b.iter().position(|&c| c < 0x20 || c == 0x7f) {
        Some(i) => Err(SyntaxError::at(b, i, "text without control characters")),
        None => Ok(()),
    }
}

pub(crate) fn validate_queue_name(q: &str) -> Result<(), SyntaxError> {
    let b = q.as_bytes();
    if b.is_empty() {
        return Err(SyntaxError::at(b, 0, "a queue name"));
    }
    match b.iter().position(|c| !c.is_ascii_graphic()) {
        Some(i) => Err(SyntaxError::at(
            b,
            i,
            "a printable character in the queue name",
        )),
        None => Ok(()),
    }
}

/// The 6-bit value of each base64 character, 0xFF for the others.
static BASE64: [u8; 256] = {
    let mut t = [0xFFu8; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut i = 0;
    while i < 64 {
        // Compile-time only: an index out of bounds fails the build.
        #[allow(clippy::indexing_slicing)]
        {
            t[alphabet[i] as usize] = i as u8;
        }
        i += 1;
    }
    t
};

#[inline]
fn base64_value(c: u8) -> Option<u8> {
    BASE64.get(usize::from(c)).copied().filter(|&v| v != 0xFF)
}

/// `initial-response = base64 / "="` (RFC 4954 section 4), with canonical
/// padding and zero unused bits, so that decoding cannot fail.
pub(crate) fn validate_initial_response(t: &str) -> Result<(), SyntaxError> {
    let b = t.as_bytes();
    if b == b"=" {
        return Ok(());
    }
    let data_len = b.len() - b.iter().rev().take_while(|&&c| c == b'=').count();
    let pad = b.len() - data_len;
    if b.is_empty() || pad > 2 {
        return Err(SyntaxError::at(b, data_len, "base64 or '='"));
    }
    let data = b.get(..data_len).unwrap_or_default();
    let i = crate::parse::chars::span(data, 0, crate::parse::chars::BASE64);
    if i != data.len() {
        return Err(SyntaxError::at(b, i, "a base64 character"));
    }
    let last = data.last().and_then(|&c| base64_value(c)).unwrap_or(0);
    if !b.len().is_multiple_of(4) {
        return Err(SyntaxError::at(
            b,
            b.len(),
            "base64 padded to a multiple of 4",
        ));
    }
    let unused = match pad {
        1 => last & 0b11,
        2 => last & 0b1111,
        _ => 0,
    };
    if unused != 0 {
        return Err(SyntaxError::at(
            b,
            data_len - 1,
            "base64 with zero unused bits",
        ));
    }
    Ok(())
}
