//! `date-time` (RFC 9051 section 9, RFC 3501 section 9), the INTERNALDATE
//! of FETCH responses and the optional date of APPEND:
//! `DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE`,
//! for example `"17-Jul-1996 02:44:25 -0700"`.

use super::error::ValueError;

/// `date-month` names, January first.
pub(crate) const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

/// A `date-time`. Fields are checked when it is made, so it always encodes
/// to a valid `date-time`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    zone_minutes: i16,
    day_space: bool,
}

impl DateTime {
    /// A date-time; `zone_minutes` is the offset from UTC in minutes
    /// (-5999 to 5999, as `zone` holds four digits `hhmm` with minutes below
    /// 60). A day below 10 is written with a leading space (`" 7-Jul-..."`,
    /// the `SP DIGIT` form of `date-day-fixed`); see
    /// [`DateTime::with_day_space`].
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        year: u16,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
        zone_minutes: i16,
    ) -> Result<Self, ValueError> {
        let ok = (1..=31).contains(&day)
            && (1..=12).contains(&month)
            && year <= 9999
            && hour < 24
            && minute < 60
            && second < 61
            && zone_minutes.unsigned_abs() / 60 <= 99
            && zone_minutes.unsigned_abs() % 60 < 60;
        if !ok {
            return Err(ValueError::OutOfRange { what: "date-time" });
        }
        Ok(DateTime {
            year,
            month,
            day,
            hour,
            minute,
            second,
            zone_minutes,
            day_space: true,
        })
    }

    /// The same date, with a day below 10 written as `" 7"` (`true`, the
    /// default) or `"07"` (`false`). Both are valid `date-day-fixed`; the
    /// parser records which one was received so a value is written back
    /// as it came. A day of 10 or more has one form only, so for it the
    /// flag stays `true` and equal dates compare equal.
    #[must_use]
    pub fn with_day_space(mut self, day_space: bool) -> Self {
        self.day_space = day_space || self.day >= 10;
        self
    }

    /// Whether a day below 10 is written with a leading space.
    #[must_use]
    pub fn day_space(&self) -> bool {
        self.day_space
    }

    /// Year, month (1 to 12), day (1 to 31).
    #[must_use]
    pub fn date(&self) -> (u16, u8, u8) {
        (self.year, self.month, self.day)
    }

    /// Hour, minute, second.
    #[must_use]
    pub fn time(&self) -> (u8, u8, u8) {
        (self.hour, self.minute, self.second)
    }

    /// Offset from UTC in minutes.
    #[must_use]
    pub fn zone_minutes(&self) -> i16 {
        self.zone_minutes
    }
}
