//! Value grammars shared by the parameter parser and the constructors of
//! the parameter types: keywords, values, atoms, RFC 3339 timestamps and
//! decimal numbers.

use mail_wire::SyntaxError;

use crate::parse::chars;

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
