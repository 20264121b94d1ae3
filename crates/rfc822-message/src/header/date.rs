//! Dates (RFC 5322 section 3.3, obsolete forms of section 4.3): Date,
//! Resent-Date, and the date of a Received field.
//!
//! Read: optional day of week, one- or two-digit day, month name, two-,
//! three- or four-digit year (section 4.3: `00`-`49` is 2000-2049, `50`-`99`
//! and three digits add 1900), time with or without seconds, numeric or
//! obsolete zone (`UT`, `GMT`, the US zones, military letters, which
//! section 4.3 says carry no information and read as `-0000`), with
//! comments and folds anywhere the obsolete grammar allows them. Names
//! match case-insensitively.
//!
//! Checked: day within its month (leap years included), hour 0-23, minute
//! 0-59, second 0-60 (a leap second), zone minutes 0-59, year 1900 or later.
//!
//! Leniency, recorded in [`Defects`]: a day of week that does not match
//! the date ([`Defects::WRONG_DAY_OF_WEEK`]); a missing zone (read as
//! `-0000`, [`Defects::MISSING_ZONE`]), `UTC` as a zone name, or a zone name after a numeric zone without parentheses
//! (`+0200 CEST`, [`Defects::TRAILING_GARBAGE`]); a missing comma after the
//! day of week, one-digit hours, obsolete years and zones
//! ([`Defects::OBSOLETE_SYNTAX`]).

use core::fmt;

use bytes::BufMut;
use mail_wire::SyntaxError;

use super::Defects;
use super::lex::skip_cfws;

/// A date and time with its zone offset, as written in a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    /// Full year (1900 or later once parsed; two-digit years expanded).
    pub year: u16,
    /// Month, 1-12.
    pub month: u8,
    /// Day of month, 1-31.
    pub day: u8,
    /// Hour, 0-23.
    pub hour: u8,
    /// Minute, 0-59.
    pub minute: u8,
    /// Second, 0-60 (60 for a leap second); 0 when the date had none.
    pub second: u8,
    /// Offset from UTC in minutes (`-0600` is -360).
    pub offset_minutes: i16,
    /// The zone says nothing about local time: `-0000`, an obsolete
    /// military zone, or no zone at all (section 3.3 and 4.3). The offset
    /// is then 0.
    pub zone_unknown: bool,
}

const DAYS: [&[u8; 3]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];
const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

/// A three-letter name as one lower-case word, for comparing names
/// ignoring case in one step (setting bit 5 lower-cases exactly the ASCII
/// letters, and only letters reach here).
const fn name_key(n: &[u8; 3]) -> u32 {
    u32::from_le_bytes([n[0], n[1], n[2], 0]) | 0x0020_2020
}

// Evaluated at compile time only (for the two constants below): an
// index out of bounds would fail the build, never run.
#[allow(clippy::indexing_slicing)]
const fn keys<const N: usize>(names: [&[u8; 3]; N]) -> [u32; N] {
    let mut k = [0; N];
    let mut i = 0;
    while i < N {
        k[i] = name_key(names[i]);
        i += 1;
    }
    k
}

const DAY_KEYS: [u32; 7] = keys(DAYS);
const MONTH_KEYS: [u32; 12] = keys(MONTHS);

/// The index of `name` (ASCII letters, any case) among `keys`.
fn name_index(name: &[u8], keys: &[u32]) -> Option<usize> {
    let &[a, b, c] = name else { return None };
    let k = name_key(&[a, b, c]);
    keys.iter().position(|&x| x == k)
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(i64::from(year)) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (`civil_from_days`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

impl DateTime {
    /// A checked date and time (the ranges of the module docs, a year of
    /// four digits, the offset within ±99:59), for building.
    ///
    /// # Errors
    /// A field is out of range; the error names it, at offset 0.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        year: u16,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
        offset_minutes: i16,
    ) -> Result<DateTime, SyntaxError> {
        let err = |what| {
            Err(SyntaxError {
                offset: 0,
                expected: what,
                found: mail_wire::Found::End,
            })
        };
        if !(1..=12).contains(&month) {
            return err("a month 1-12");
        }
        if !(1900..=9999).contains(&year) {
            return err("a year from 1900 to 9999");
        }
        if day == 0 || day > days_in_month(year, month) {
            return err("a day within the month");
        }
        if hour > 23 || minute > 59 || second > 60 {
            return err("a time of day");
        }
        if offset_minutes.unsigned_abs() > 99 * 60 + 59 {
            return err("a zone offset within 99:59");
        }
        Ok(DateTime {
            year,
            month,
            day,
            hour,
            minute,
            second,
            offset_minutes,
            zone_unknown: false,
        })
    }

    /// Seconds since 1970-01-01T00:00:00Z (negative before). A leap
    /// second counts as the first second of the next minute.
    #[must_use]
    pub fn to_unix(&self) -> i64 {
        let days = days_from_civil(
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
            - i64::from(self.offset_minutes) * 60
    }

    /// The local date and time of `unix` seconds at `offset_minutes` from
    /// UTC. `None` when the year would be before 1900 or after 9999, or the
    /// offset is beyond ±99:59.
    #[must_use]
    pub fn from_unix(unix: i64, offset_minutes: i16) -> Option<DateTime> {
        if offset_minutes.unsigned_abs() > 99 * 60 + 59 {
            return None;
        }
        let local = unix.checked_add(i64::from(offset_minutes) * 60)?;
        let days = local.div_euclid(86_400);
        let secs = local.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        if !(1900..=9999).contains(&y) {
            return None;
        }
        Some(DateTime {
            year: u16::try_from(y).ok()?,
            month: u8::try_from(m).ok()?,
            day: u8::try_from(d).ok()?,
            hour: u8::try_from(secs / 3600).ok()?,
            minute: u8::try_from(secs / 60 % 60).ok()?,
            second: u8::try_from(secs % 60).ok()?,
            offset_minutes,
            zone_unknown: false,
        })
    }

    /// The current time in UTC (offset `+0000`), from the system clock.
    /// `None` when the clock is before 1970 or past 9999.
    #[must_use]
    pub fn now_utc() -> Option<DateTime> {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_secs();
        DateTime::from_unix(i64::try_from(secs).ok()?, 0)
    }

    /// Day of week, 0 = Monday.
    #[must_use]
    pub fn weekday(&self) -> u8 {
        let days = days_from_civil(
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        // 1970-01-01 was a Thursday (3).
        u8::try_from((days + 3).rem_euclid(7)).unwrap_or(0)
    }

    /// Parses a raw date-time value.
    ///
    /// # Errors
    /// The value is not a date (see the module docs for what is accepted),
    /// or a field is out of range; the offset points at the field.
    pub fn parse(raw: &[u8]) -> Result<DateTime, SyntaxError> {
        Self::parse_with_defects(raw).map(|(d, _)| d)
    }

    /// [`parse`](Self::parse), also returning the departures from the
    /// grammar accepted.
    ///
    /// # Errors
    /// As [`parse`](Self::parse).
    pub fn parse_with_defects(raw: &[u8]) -> Result<(DateTime, Defects), SyntaxError> {
        let p = skip_cfws(raw, 0)?;
        if let Some(found) = Self::parse_canonical(raw, p) {
            // Fuzzing checks the one-pass path against the general one.
            #[cfg(fuzzing)]
            assert_eq!(
                Ok(found),
                Self::parse_general(raw, p),
                "parse_canonical differs"
            );
            return Ok(found);
        }
        Self::parse_general(raw, p)
    }

    /// The form nearly every date takes, `[Ddd, ]D[D] Mon YYYY HH:MM:SS
    /// +ZZZZ` with single spaces and only CFWS after it, read at fixed
    /// positions: what [`parse_general`](Self::parse_general) gives for
    /// it. `None` for any other form or any value out of range (the
    /// general parser then decides, and reports the error).
    fn parse_canonical(raw: &[u8], p: usize) -> Option<(DateTime, Defects)> {
        let mut b = raw.get(p..)?;
        let num = |d: &[u8]| -> Option<u32> {
            d.iter().try_fold(0u32, |acc, &c| {
                c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
            })
        };
        let mut dow = None;
        if let [a, b1, c, b',', b' ', rest @ ..] = b {
            dow = Some(name_index(&[*a, *b1, *c], &DAY_KEYS)?);
            b = rest;
        }
        let (day, rest) = match b {
            [d, b' ', rest @ ..] => (num(&[*d])?, rest),
            [d, e, b' ', rest @ ..] => (num(&[*d, *e])?, rest),
            _ => return None,
        };
        let [
            m0,
            m1,
            m2,
            b' ',
            y0,
            y1,
            y2,
            y3,
            b' ',
            h0,
            h1,
            b':',
            i0,
            i1,
            b':',
            s0,
            s1,
            b' ',
            sign @ (b'+' | b'-'),
            z0,
            z1,
            z2,
            z3,
            tail @ ..,
        ] = rest
        else {
            return None;
        };
        let month = name_index(&[*m0, *m1, *m2], &MONTH_KEYS)?;
        let year = u16::try_from(num(&[*y0, *y1, *y2, *y3])?).ok()?;
        let hour = num(&[*h0, *h1])?;
        let minute = num(&[*i0, *i1])?;
        let second = num(&[*s0, *s1])?;
        let zone = num(&[*z0, *z1, *z2, *z3])?;
        let end = raw.len() - tail.len();
        if skip_cfws(raw, end).ok()? != raw.len() {
            return None;
        }
        let month = u8::try_from(month + 1).ok()?;
        let (zh, zm) = (zone / 100, zone % 100);
        if year < 1900
            || day == 0
            || day > u32::from(days_in_month(year, month))
            || hour > 23
            || minute > 59
            || second > 60
            || zm > 59
        {
            return None;
        }
        let mins = i16::try_from(zh * 60 + zm).ok()?;
        let dt = DateTime {
            year,
            month,
            day: u8::try_from(day).ok()?,
            hour: u8::try_from(hour).ok()?,
            minute: u8::try_from(minute).ok()?,
            second: u8::try_from(second).ok()?,
            offset_minutes: if *sign == b'-' { -mins } else { mins },
            zone_unknown: *sign == b'-' && zone == 0,
        };
        let defects = match dow {
            Some(d) if usize::from(dt.weekday()) != d => Defects::WRONG_DAY_OF_WEEK,
            _ => Defects::NONE,
        };
        Some((dt, defects))
    }

    /// [`parse_with_defects`](Self::parse_with_defects) by the full
    /// grammar, from the first significant octet `p`.
    fn parse_general(raw: &[u8], mut p: usize) -> Result<(DateTime, Defects), SyntaxError> {
        let mut defects = Defects::NONE;
        let mut dow = None;
        if raw.get(p).is_some_and(u8::is_ascii_alphabetic) {
            let (name, e) = alpha(raw, p);
            let i =
                name_index(name, &DAY_KEYS).ok_or_else(|| SyntaxError::at(raw, p, "a day name"))?;
            dow = Some(i);
            p = skip_cfws(raw, e)?;
            if raw.get(p) == Some(&b',') {
                p = skip_cfws(raw, p + 1)?;
            } else {
                defects |= Defects::OBSOLETE_SYNTAX;
            }
        }
        let day_at = p;
        let (day, e) = digits(raw, p, 1, 2, "a day of month")?;
        p = skip_cfws(raw, e)?;
        let month_at = p;
        let (name, e) = alpha(raw, p);
        let month =
            name_index(name, &MONTH_KEYS).ok_or_else(|| SyntaxError::at(raw, p, "a month name"))?;
        p = skip_cfws(raw, e)?;
        let year_at = p;
        let (y, e) = digits(raw, p, 2, 4, "a year")?;
        let year = match e - p {
            2 => {
                defects |= Defects::OBSOLETE_SYNTAX;
                if y < 50 { 2000 + y } else { 1900 + y }
            }
            3 => {
                defects |= Defects::OBSOLETE_SYNTAX;
                1900 + y
            }
            _ => y,
        };
        p = skip_cfws(raw, e)?;
        let hour_at = p;
        let (hour, e) = digits(raw, p, 1, 2, "an hour")?;
        if e - p == 1 {
            defects |= Defects::OBSOLETE_SYNTAX;
        }
        p = skip_cfws(raw, e)?;
        if raw.get(p) != Some(&b':') {
            return Err(SyntaxError::at(raw, p, "':' after the hour"));
        }
        p = skip_cfws(raw, p + 1)?;
        let minute_at = p;
        let (minute, e) = digits(raw, p, 2, 2, "minutes")?;
        p = skip_cfws(raw, e)?;
        let mut second = 0;
        let mut second_at = p;
        if raw.get(p) == Some(&b':') {
            p = skip_cfws(raw, p + 1)?;
            second_at = p;
            let (s, e) = digits(raw, p, 2, 2, "seconds")?;
            second = s;
            p = skip_cfws(raw, e)?;
        }
        let (offset, zone_unknown, e) = zone(raw, p, &mut defects)?;
        p = skip_cfws(raw, e)?;
        if p < raw.len() {
            // `+0200 CEST`: a zone name after the numeric zone.
            let (name, e) = alpha(raw, p);
            let after = if name.is_empty() {
                p
            } else {
                skip_cfws(raw, e)?
            };
            if after < raw.len() || name.is_empty() {
                return Err(SyntaxError::at(raw, after, "end of the date"));
            }
            defects |= Defects::TRAILING_GARBAGE;
        }

        let field = |v: u32, at: usize, max: u32, what| {
            if v > max {
                Err(SyntaxError::at(raw, at, what))
            } else {
                u8::try_from(v).map_err(|_| SyntaxError::at(raw, at, what))
            }
        };
        let year = u16::try_from(year).map_err(|_| SyntaxError::at(raw, year_at, "a year"))?;
        if year < 1900 {
            return Err(SyntaxError::at(raw, year_at, "a year 1900 or later"));
        }
        let month =
            u8::try_from(month + 1).map_err(|_| SyntaxError::at(raw, month_at, "a month"))?;
        let day = field(
            day,
            day_at,
            u32::from(days_in_month(year, month)),
            "a day within the month",
        )?;
        if day == 0 {
            return Err(SyntaxError::at(raw, day_at, "a day within the month"));
        }
        let dt = DateTime {
            year,
            month,
            day,
            hour: field(hour, hour_at, 23, "an hour 00-23")?,
            minute: field(minute, minute_at, 59, "minutes 00-59")?,
            second: field(second, second_at, 60, "seconds 00-60")?,
            offset_minutes: offset,
            zone_unknown,
        };
        if let Some(d) = dow
            && usize::from(dt.weekday()) != d
        {
            defects |= Defects::WRONG_DAY_OF_WEEK;
        }
        Ok((dt, defects))
    }

    /// Writes the date in RFC 5322 section 3.3 form:
    /// `Fri, 21 Nov 1997 09:55:06 -0600` (`-0000` when the zone is
    /// unknown). The fields are written as they are; a value built by hand
    /// out of range gives a date no parser accepts, never anything but
    /// digits, letters and punctuation.
    pub fn encode(&self, out: &mut impl BufMut) {
        let s = self.to_string();
        out.put_slice(s.as_bytes());
    }

    /// An owned copy (a `DateTime` borrows nothing; for symmetry with the
    /// other header values).
    #[must_use]
    pub fn into_owned(self) -> DateTime {
        self
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dow = DAYS
            .get(usize::from(self.weekday()))
            .map_or("Mon", |d| core::str::from_utf8(*d).unwrap_or("Mon"));
        let mon = MONTHS
            .get(usize::from(self.month.wrapping_sub(1)))
            .map_or("Jan", |m| core::str::from_utf8(*m).unwrap_or("Jan"));
        let sign = if self.offset_minutes < 0 || self.zone_unknown {
            '-'
        } else {
            '+'
        };
        let off = self.offset_minutes.unsigned_abs();
        write!(
            f,
            "{dow}, {} {mon} {:04} {:02}:{:02}:{:02} {sign}{:02}{:02}",
            self.day,
            self.year,
            self.hour,
            self.minute,
            self.second,
            off / 60,
            off % 60
        )
    }
}

/// The run of ASCII letters at `p` and the position after it.
fn alpha(raw: &[u8], p: usize) -> (&[u8], usize) {
    let rest = raw.get(p..).unwrap_or_default();
    let n = rest
        .iter()
        .position(|b| !b.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    (rest.get(..n).unwrap_or_default(), p + n)
}

/// `min..=max` digits at `p` as a number.
fn digits(
    raw: &[u8],
    p: usize,
    min: usize,
    max: usize,
    what: &'static str,
) -> Result<(u32, usize), SyntaxError> {
    let rest = raw.get(p..).unwrap_or_default();
    let n = rest
        .iter()
        .take(max + 1)
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(rest.len().min(max + 1));
    if n < min || n > max {
        return Err(SyntaxError::at(raw, p + n.min(max), what));
    }
    let v = rest
        .iter()
        .take(n)
        .fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0'));
    Ok((v, p + n))
}

/// A zone at `p`: offset in minutes, whether it is unknown, position after.
fn zone(raw: &[u8], p: usize, defects: &mut Defects) -> Result<(i16, bool, usize), SyntaxError> {
    match raw.get(p) {
        Some(&s @ (b'+' | b'-')) => {
            let (v, e) = digits(raw, p + 1, 4, 4, "a zone of four digits")?;
            let (h, m) = (v / 100, v % 100);
            if m > 59 {
                return Err(SyntaxError::at(raw, p + 3, "zone minutes 00-59"));
            }
            let mins = i16::try_from(h * 60 + m).unwrap_or(0);
            let unknown = s == b'-' && v == 0;
            Ok((if s == b'-' { -mins } else { mins }, unknown, e))
        }
        Some(b) if b.is_ascii_alphabetic() => {
            let (name, e) = alpha(raw, p);
            const NAMED: [(&[u8], i16); 11] = [
                (b"UT", 0),
                (b"UTC", 0),
                (b"GMT", 0),
                (b"EST", -5 * 60),
                (b"EDT", -4 * 60),
                (b"CST", -6 * 60),
                (b"CDT", -5 * 60),
                (b"MST", -7 * 60),
                (b"MDT", -6 * 60),
                (b"PST", -8 * 60),
                (b"PDT", -7 * 60),
            ];
            *defects |= Defects::OBSOLETE_SYNTAX;
            if let Some(&(_, off)) = NAMED.iter().find(|(n, _)| name.eq_ignore_ascii_case(n)) {
                return Ok((off, false, e));
            }
            // Military zones: one letter other than J (section 4.3).
            if let [l] = name
                && !l.eq_ignore_ascii_case(&b'j')
            {
                return Ok((0, true, e));
            }
            Err(SyntaxError::at(raw, p, "a time zone"))
        }
        None => {
            *defects |= Defects::MISSING_ZONE;
            Ok((0, true, p))
        }
        Some(_) => Err(SyntaxError::at(raw, p, "a time zone")),
    }
}

#[cfg(test)]
mod canonical_tests {
    use super::*;
    use proptest::prelude::*;

    /// The fixed-position reading, where it answers, agrees with the full
    /// grammar.
    fn agree(raw: &str) -> bool {
        let b = raw.as_bytes();
        let p = skip_cfws(b, 0).unwrap_or(0);
        let general = DateTime::parse_general(b, p);
        match DateTime::parse_canonical(b, p) {
            Some(found) => {
                assert_eq!(Ok(found), general, "{raw:?}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn common_dates_take_the_fixed_positions() {
        for raw in [
            "Sat, 10 Jan 2026 10:10:00 +0000",
            " Thu, 1 Feb 2024 23:59:60 -0800 (PST)",
            "1 Feb 2024 00:00:00 -0000",
            "mon, 29 feb 2024 12:00:00 +0130",
            "Sun, 29 Feb 2024 12:00:00 +0130",
        ] {
            assert!(agree(raw), "{raw:?}");
        }
        for raw in [
            "Sat, 10 Jan 26 10:10:00 +0000",
            "Sat, 10 Jan 2026 10:10 +0000",
            "Sat, 10 Jan 2026 10:10:00 GMT",
            "Sat,10 Jan 2026 10:10:00 +0000",
            "Sat, 10  Jan 2026 10:10:00 +0000",
            "Sat, 30 Feb 2026 10:10:00 +0000",
            "Sat, 10 Jan 2026 24:10:00 +0000",
            "Sat, 10 Jan 2026 10:10:00 +0060",
            "Sat, 10 Jan 2026 10:10:00 +00000",
            "Sat, 10 Jan 2026 10:10:00 +0000 CET",
            "Sat, 10 Jan 1899 10:10:00 +0000",
            "Sat, 10 Jan 2026 10:10:00 +0000 (",
            "Xyz, 10 Jan 2026 10:10:00 +0000",
        ] {
            assert!(!agree(raw), "{raw:?}");
        }
    }

    proptest! {
        #[test]
        fn fixed_positions_agree_with_the_grammar(
            dow in prop_oneof![Just(""), Just("Mon, "), Just("sat, "), Just("Fri,"), Just("Abc, ")],
            day in 0u32..40,
            mon in prop_oneof![Just("Jan"), Just("feb"), Just("Dec"), Just("Xyz")],
            year in prop_oneof![Just(1899u32), Just(1900), Just(2000), Just(2024), Just(2100), Just(99)],
            (h, m, s) in (0u32..26, 0u32..62, 0u32..62),
            sign in prop_oneof![Just('+'), Just('-')],
            zone in prop_oneof![Just(0u32), Just(130), Just(1200), Just(59), Just(99)],
            tail in prop_oneof![Just(""), Just(" "), Just(" (UTC)"), Just(" CET"), Just("x")],
        ) {
            let raw = format!("{dow}{day} {mon} {year} {h:02}:{m:02}:{s:02} {sign}{zone:04}{tail}");
            agree(&raw);
        }
    }
}
