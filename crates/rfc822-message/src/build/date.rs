//! The `Date` field value (RFC 5322 section 3.3).

use super::ValueError;

/// A date and time with its UTC offset, as the `Date` field carries it
/// (RFC 5322 section 3.3). Written as `Fri, 17 May 2024 09:30:00 +0200`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    offset_minutes: i16,
}

impl DateTime {
    /// A validated date: year 1900-9999, a real day of the month, a second
    /// up to 60 (leap second), and an offset within +-99:59 given in
    /// minutes east of UTC.
    ///
    /// # Errors
    /// A field is out of range.
    pub fn new(
        year: u16,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
        offset_minutes: i16,
    ) -> Result<Self, ValueError> {
        let bad = |what: &'static str| ValueError::syntax("date", b"", 0, what);
        if !(1900..=9999).contains(&year) {
            return Err(bad("a year from 1900 to 9999"));
        }
        if !(1..=12).contains(&month) {
            return Err(bad("a month from 1 to 12"));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(bad("a day of the month"));
        }
        if hour > 23 || minute > 59 || second > 60 {
            return Err(bad("a time of day"));
        }
        if offset_minutes.unsigned_abs() > 99 * 60 + 59 {
            return Err(bad("an offset within +-99:59"));
        }
        Ok(DateTime {
            year,
            month,
            day,
            hour,
            minute,
            second,
            offset_minutes,
        })
    }

    /// The local time `offset_minutes` east of UTC at `unix_seconds`.
    ///
    /// # Errors
    /// The date falls outside the years 1900-9999 or the offset is too large.
    pub fn from_unix(unix_seconds: i64, offset_minutes: i16) -> Result<Self, ValueError> {
        let local = unix_seconds
            .checked_add(i64::from(offset_minutes) * 60)
            .ok_or_else(|| ValueError::syntax("date", b"", 0, "a representable time"))?;
        let days = local.div_euclid(86_400);
        let secs = local.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let year = u16::try_from(y)
            .map_err(|_| ValueError::syntax("date", b"", 0, "a year from 1900 to 9999"))?;
        // secs < 86400, so these narrowings are exact.
        let hour = u8::try_from(secs / 3600).unwrap_or(0);
        let minute = u8::try_from(secs / 60 % 60).unwrap_or(0);
        let second = u8::try_from(secs % 60).unwrap_or(0);
        DateTime::new(year, m, d, hour, minute, second, offset_minutes)
    }

    /// The current time in UTC (offset `+0000`).
    ///
    /// # Errors
    /// The system clock is outside the years 1970-9999.
    pub fn now_utc() -> Result<Self, ValueError> {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|_| ValueError::syntax("date", b"", 0, "a clock after 1970"))?
            .as_secs();
        let secs = i64::try_from(secs)
            .map_err(|_| ValueError::syntax("date", b"", 0, "a representable time"))?;
        DateTime::from_unix(secs, 0)
    }

    /// Year.
    #[must_use]
    pub fn year(&self) -> u16 {
        self.year
    }
    /// Month, 1-12.
    #[must_use]
    pub fn month(&self) -> u8 {
        self.month
    }
    /// Day of the month, 1-31.
    #[must_use]
    pub fn day(&self) -> u8 {
        self.day
    }
    /// Hour, 0-23.
    #[must_use]
    pub fn hour(&self) -> u8 {
        self.hour
    }
    /// Minute, 0-59.
    #[must_use]
    pub fn minute(&self) -> u8 {
        self.minute
    }
    /// Second, 0-60.
    #[must_use]
    pub fn second(&self) -> u8 {
        self.second
    }
    /// Offset east of UTC, in minutes.
    #[must_use]
    pub fn offset_minutes(&self) -> i16 {
        self.offset_minutes
    }

    /// Day of the week, 0 = Sunday.
    #[must_use]
    pub fn weekday(&self) -> u8 {
        let days = days_from_civil(i64::from(self.year), self.month, self.day);
        // 1970-01-01 was a Thursday (4).
        u8::try_from((days + 4).rem_euclid(7)).unwrap_or(0)
    }

    /// Writes the RFC 5322 `date-time` form.
    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let wd = DAYS
            .get(usize::from(self.weekday()))
            .copied()
            .unwrap_or("Sun");
        let mon = MONTHS
            .get(usize::from(self.month.saturating_sub(1)))
            .copied()
            .unwrap_or("Jan");
        let sign = if self.offset_minutes < 0 { '-' } else { '+' };
        let off = self.offset_minutes.unsigned_abs();
        let s = format!(
            "{wd}, {} {mon} {:04} {:02}:{:02}:{:02} {sign}{:02}{:02}",
            self.day,
            self.year,
            self.hour,
            self.minute,
            self.second,
            off / 60,
            off % 60
        );
        out.extend_from_slice(s.as_bytes());
    }
}

impl std::fmt::Display for DateTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut v = Vec::new();
        self.write(&mut v);
        f.write_str(&String::from_utf8_lossy(&v))
    }
}

fn is_leap(y: u16) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

fn days_in_month(y: u16, m: u8) -> u8 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: u8, d: u8) -> i64 {
    let m = i64::from(m);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `days` after 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        y,
        u8::try_from(m).unwrap_or(1),
        u8::try_from(d).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        // RFC 5322 appendix A.1.1: Fri, 21 Nov 1997 09:55:06 -0600
        let d = DateTime::new(1997, 11, 21, 9, 55, 6, -360).unwrap();
        assert_eq!(d.to_string(), "Fri, 21 Nov 1997 09:55:06 -0600");
        // A.5: Thu, 13 Feb 1969 23:32:54 -0330
        let d = DateTime::new(1969, 2, 13, 23, 32, 54, -210).unwrap();
        assert_eq!(d.to_string(), "Thu, 13 Feb 1969 23:32:54 -0330");
        assert!(DateTime::new(2023, 2, 29, 0, 0, 0, 0).is_err());
        assert!(DateTime::new(2024, 2, 29, 0, 0, 0, 0).is_ok());
        let d = DateTime::from_unix(0, 0).unwrap();
        assert_eq!(d.to_string(), "Thu, 1 Jan 1970 00:00:00 +0000");
        let d = DateTime::from_unix(1_715_931_000, 120).unwrap();
        assert_eq!(d.to_string(), "Fri, 17 May 2024 09:30:00 +0200");
    }
}
