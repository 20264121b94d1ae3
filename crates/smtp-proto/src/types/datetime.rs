//! RFC 3339 timestamps, as `HOLDUNTIL` (RFC 4865) and `RRVS` (RFC 7293)
//! carry them.

use std::borrow::Cow;
use std::fmt;

use mail_wire::SyntaxError;

use crate::parse::values as grammar;

/// An RFC 3339 section 5.6 `date-time`, kept as text after validation
/// (`2014-04-03T23:01:00Z`, `2002-10-02T10:00:00.05-05:00`).
///
/// Field ranges are checked (month, day of that month, hour, minute,
/// second up to the leap second 60, offset). The letters `T` and `Z` may be
/// lower case, as RFC 3339 section 5.6 allows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DateTime<'a> {
    text: Cow<'a, str>,
    utc: bool,
    fraction: bool,
}

impl<'a> DateTime<'a> {
    /// Validates `text`.
    pub fn new(text: impl Into<Cow<'a, str>>) -> Result<Self, SyntaxError> {
        let text = text.into();
        let info = grammar::validate_date_time(&text)?;
        Ok(DateTime {
            text,
            utc: info.utc,
            fraction: info.fraction,
        })
    }

    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// `true` when the offset is `Z` or `+00:00`/`-00:00`.
    #[must_use]
    pub fn is_utc(&self) -> bool {
        self.utc
    }

    /// `true` when there are fractional seconds.
    #[must_use]
    pub fn has_fraction(&self) -> bool {
        self.fraction
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> DateTime<'static> {
        DateTime {
            text: Cow::Owned(self.text.into_owned()),
            ..self
        }
    }
}

impl fmt::Display for DateTime<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
