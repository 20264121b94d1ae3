//! Validated values for header fields.
//!
//! Every constructor checks its input, so a value that exists can be
//! written. None of these types can hold a CR, LF or NUL, and the encoders
//! in this module encode any other control character instead of copying it,
//! so no value can start a new header line (header injection).

use std::borrow::Cow;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use mail_wire::LimitError;

use super::ValueError;

/// `atext` of RFC 5322 section 3.2.3.
pub(crate) fn is_atext(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'-'
                | b'/'
                | b'='
                | b'?'
                | b'^'
                | b'_'
                | b'`'
                | b'{'
                | b'|'
                | b'}'
                | b'~'
        )
}

/// `token` of RFC 2045 section 5.1: printable ASCII except SP and tspecials.
pub(crate) fn is_token_char(b: u8) -> bool {
    b.is_ascii_graphic()
        && !matches!(
            b,
            b'(' | b')'
                | b'<'
                | b'>'
                | b'@'
                | b','
                | b';'
                | b':'
                | b'\\'
                | b'"'
                | b'/'
                | b'['
                | b']'
                | b'?'
                | b'='
        )
}

fn check_no_line_breaks(what: &'static str, s: &str) -> Result<(), ValueError> {
    match s.bytes().position(|b| matches!(b, b'\r' | b'\n' | 0)) {
        Some(at) => Err(ValueError::syntax(
            what,
            s.as_bytes(),
            at,
            "no CR, LF or NUL",
        )),
        None => Ok(()),
    }
}

/// A header field name: 1 to 76 printable US-ASCII characters other than
/// `:` (`ftext`, RFC 5322 section 3.6.8).
///
/// The 76-octet cap (RFC 5322 sets none) keeps `Name:` and one character
/// of value within the 78-column line the builder aims for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HeaderName(Cow<'static, str>);

impl HeaderName {
    /// Longest accepted name.
    pub const MAX_LEN: usize = 76;

    /// A validated header name.
    ///
    /// # Errors
    /// Empty, longer than [`Self::MAX_LEN`], or a byte outside `ftext`.
    pub fn new(name: &str) -> Result<Self, ValueError> {
        validate_header_name(name)?;
        Ok(HeaderName(Cow::Owned(name.to_owned())))
    }

    /// A name the builder writes itself; all are valid `ftext`.
    pub(crate) const fn known(name: &'static str) -> Self {
        HeaderName(Cow::Borrowed(name))
    }

    /// The name as written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is `other`, compared ASCII case-insensitively as field
    /// names are (RFC 5322 section 1.2.2).
    #[must_use]
    pub fn matches(&self, other: &str) -> bool {
        self.0.as_bytes().eq_ignore_ascii_case(other.as_bytes())
    }
}

pub(crate) fn validate_header_name(name: &str) -> Result<(), ValueError> {
    if name.is_empty() {
        return Err(ValueError::syntax("header name", b"", 0, "ftext"));
    }
    if name.len() > HeaderName::MAX_LEN {
        return Err(LimitError::new("header name length", HeaderName::MAX_LEN as u64).into());
    }
    match name
        .bytes()
        .position(|b| !(33..=126).contains(&b) || b == b':')
    {
        Some(at) => Err(ValueError::syntax(
            "header name",
            name.as_bytes(),
            at,
            "ftext (printable US-ASCII except ':')",
        )),
        None => Ok(()),
    }
}

impl std::fmt::Display for HeaderName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Unstructured text (RFC 5322 section 3.2.5) such as a `Subject`, or a
/// display name: any Unicode except CR, LF and NUL.
///
/// CR, LF and NUL are *rejected* by [`Text::new`] (a decoded subject that
/// carried a line break would be a hazard for whoever displays or re-sends
/// it); [`Text::new_lossy`] replaces them instead. Every other character can
/// be written: non-ASCII and control characters go into RFC 2047 encoded
/// words (or raw UTF-8 under RFC 6532), so nothing in a `Text` reaches the
/// wire as a line break.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Text(String);

impl Text {
    /// Validated text.
    ///
    /// # Errors
    /// The text contains CR, LF or NUL.
    pub fn new(text: impl Into<String>) -> Result<Self, ValueError> {
        let text = text.into();
        check_no_line_breaks("text", &text)?;
        Ok(Text(text))
    }

    /// Text with each CR, LF or CRLF replaced by one space and NUL removed
    /// (what unfolding a header would have done).
    #[must_use]
    pub fn new_lossy(text: &str) -> Self {
        let mut s = String::with_capacity(text.len());
        let mut prev_cr = false;
        for c in text.chars() {
            match c {
                '\r' => s.push(' '),
                '\n' if prev_cr => {}
                '\n' => s.push(' '),
                '\0' => {}
                c => s.push(c),
            }
            prev_cr = c == '\r';
        }
        Text(s)
    }

    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<&str> for Text {
    type Error = ValueError;
    fn try_from(s: &str) -> Result<Self, ValueError> {
        Text::new(s)
    }
}

impl TryFrom<String> for Text {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, ValueError> {
        Text::new(s)
    }
}

/// An `addr-spec` (RFC 5322 section 3.4.1): `local-part@domain`, the local
/// part a dot-atom or a quoted string, the domain a dot-atom or a domain
/// literal. Obsolete forms, comments and folding whitespace are refused.
///
/// UTF-8 is accepted where RFC 6532 section 3.2 extends `atext`, `qtext`
/// and `dtext`; such an address is only written when the builder is told
/// the transport has SMTPUTF8 ([`BuildOptions::smtputf8`](super::BuildOptions)).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AddrSpec {
    text: String,
    /// Byte offset of the separating `@`.
    at: usize,
    utf8: bool,
}

impl AddrSpec {
    /// Longest accepted address, in octets (the RFC 5321 section 4.5.3.1.3
    /// path limit of 256 less the angle brackets).
    pub const MAX_LEN: usize = 254;

    /// A validated address.
    ///
    /// # Errors
    /// Not an `addr-spec`, or longer than [`Self::MAX_LEN`].
    pub fn new(addr: &str) -> Result<Self, ValueError> {
        let b = addr.as_bytes();
        if b.len() > Self::MAX_LEN {
            return Err(LimitError::new("address length", Self::MAX_LEN as u64).into());
        }
        let err =
            |at: usize, expected: &'static str| ValueError::syntax("address", b, at, expected);
        // Local part.
        let at = if b.first() == Some(&b'"') {
            let mut i = 1;
            loop {
                match b.get(i) {
                    None => return Err(err(i, "closing '\"'")),
                    Some(b'"') => break i + 1,
                    Some(b'\\') => match b.get(i + 1) {
                        Some(&c)
                            if c == b' ' || c == b'\t' || c.is_ascii_graphic() || c >= 0x80 =>
                        {
                            i += 2
                        }
                        _ => return Err(err(i + 1, "a quoted character")),
                    },
                    Some(&c) if is_qtext(c) || c == b' ' || c == b'\t' || c >= 0x80 => i += 1,
                    Some(_) => return Err(err(i, "qtext")),
                }
            }
        } else {
            dot_atom_end(b, 0).map_err(|at| err(at, "atext"))?
        };
        if b.get(at) != Some(&b'@') {
            return Err(err(at, "'@'"));
        }
        let dom = at + 1;
        let end = if b.get(dom) == Some(&b'[') {
            let mut i = dom + 1;
            loop {
                match b.get(i) {
                    Some(b']') => break i + 1,
                    Some(&c) if is_dtext(c) || c >= 0x80 => i += 1,
                    _ => return Err(err(i, "dtext or ']'")),
                }
            }
        } else {
            dot_atom_end(b, dom).map_err(|at| err(at, "atext"))?
        };
        if end != b.len() {
            return Err(err(end, "end of address"));
        }
        Ok(AddrSpec {
            text: addr.to_owned(),
            at,
            utf8: !addr.is_ascii(),
        })
    }

    /// The address as written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The local part (before the `@`), quotes included if it has them.
    #[must_use]
    pub fn local_part(&self) -> &str {
        self.text.get(..self.at).unwrap_or("")
    }

    /// The domain (after the `@`).
    #[must_use]
    pub fn domain(&self) -> &str {
        self.text.get(self.at + 1..).unwrap_or("")
    }

    /// Whether the address has non-ASCII characters (RFC 6532).
    #[must_use]
    pub fn is_utf8(&self) -> bool {
        self.utf8
    }
}

fn is_qtext(c: u8) -> bool {
    c == 33 || (35..=91).contains(&c) || (93..=126).contains(&c)
}

fn is_dtext(c: u8) -> bool {
    (33..=90).contains(&c) || (94..=126).contains(&c)
}

/// End of a `dot-atom-text` starting at `start` (UTF-8 bytes count as
/// atext, RFC 6532), or the offset of the first error.
fn dot_atom_end(b: &[u8], start: usize) -> Result<usize, usize> {
    let mut i = start;
    loop {
        let word = i;
        while b.get(i).is_some_and(|&c| is_atext(c) || c >= 0x80) {
            i += 1;
        }
        if i == word {
            return Err(i);
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
        } else {
            return Ok(i);
        }
    }
}

/// A mailbox: an optional display name and an address (RFC 5322 section
/// 3.4). Written as `name <addr>` or just `addr`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mailbox {
    /// The display name (a `phrase`), encoded as atoms, a quoted string or
    /// RFC 2047 encoded words, whichever the text needs.
    pub name: Option<Text>,
    /// The address.
    pub addr: AddrSpec,
}

impl Mailbox {
    /// A mailbox from a display name and an address.
    ///
    /// # Errors
    /// The name has CR, LF or NUL, or the address is invalid.
    pub fn new(name: Option<&str>, addr: &str) -> Result<Self, ValueError> {
        Ok(Mailbox {
            name: name.map(Text::new).transpose()?,
            addr: AddrSpec::new(addr)?,
        })
    }
}

/// An address in an address list: a mailbox or a named group (RFC 5322
/// section 3.4).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Address {
    /// One mailbox.
    Mailbox(Mailbox),
    /// `name: member, member;` (the member list may be empty, as in
    /// `undisclosed-recipients:;`).
    Group {
        /// The group's display name.
        name: Text,
        /// The members.
        members: Vec<Mailbox>,
    },
}

impl From<Mailbox> for Address {
    fn from(m: Mailbox) -> Self {
        Address::Mailbox(m)
    }
}

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

/// A message identifier, `id-left@id-right` (RFC 5322 section 3.6.4),
/// written between angle brackets. Obsolete forms are refused.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MessageId(String);

impl MessageId {
    /// Longest accepted identifier, brackets excluded.
    pub const MAX_LEN: usize = 250;

    /// A validated identifier, given with or without its angle brackets.
    ///
    /// # Errors
    /// Not `dot-atom-text "@" (dot-atom-text / no-fold-literal)`, non-ASCII,
    /// or too long.
    pub fn new(id: &str) -> Result<Self, ValueError> {
        let inner = id
            .strip_prefix('<')
            .and_then(|s| s.strip_suffix('>'))
            .unwrap_or(id);
        let b = inner.as_bytes();
        if b.len() > Self::MAX_LEN {
            return Err(LimitError::new("message id length", Self::MAX_LEN as u64).into());
        }
        let err =
            |at: usize, expected: &'static str| ValueError::syntax("message id", b, at, expected);
        if let Some(at) = b.iter().position(|&c| c >= 0x80) {
            return Err(err(at, "US-ASCII"));
        }
        let at = dot_atom_end(b, 0).map_err(|at| err(at, "atext"))?;
        if b.get(at) != Some(&b'@') {
            return Err(err(at, "'@'"));
        }
        let end = if b.get(at + 1) == Some(&b'[') {
            let mut i = at + 2;
            loop {
                match b.get(i) {
                    Some(b']') => break i + 1,
                    Some(&c) if is_dtext(c) => i += 1,
                    _ => return Err(err(i, "dtext or ']'")),
                }
            }
        } else {
            dot_atom_end(b, at + 1).map_err(|at| err(at, "atext"))?
        };
        if end != b.len() {
            return Err(err(end, "'>' or end"));
        }
        Ok(MessageId(inner.to_owned()))
    }

    /// A new unique identifier `<hex>.<hex>@domain`, from a hash of the
    /// time, a process-wide counter and the process id (no random number
    /// crate: the hash keys of `std`'s `RandomState` are random).
    ///
    /// # Errors
    /// `domain` is not a valid `dot-atom-text`.
    pub fn generate(domain: &str) -> Result<Self, ValueError> {
        MessageId::new(&format!(
            "{:016x}.{:08x}@{domain}",
            unique_u64(),
            std::process::id()
        ))
    }

    /// A deterministic identifier derived from `seed`, for tests.
    ///
    /// # Errors
    /// `domain` is not a valid `dot-atom-text`.
    pub fn from_seed(seed: u64, domain: &str) -> Result<Self, ValueError> {
        MessageId::new(&format!("{:016x}@{domain}", splitmix64(seed)))
    }

    /// The identifier without angle brackets.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A well-mixed 64-bit value that differs on every call: the process-wide
/// counter and the clock, hashed with randomly keyed SipHash.
pub(crate) fn unique_u64() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(n);
    if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(t.as_nanos());
    }
    h.write_u32(std::process::id());
    h.finish()
}

/// SplitMix64: a fixed bijective mixer, for deterministic identifiers.
pub(crate) fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A field body given verbatim, for structured fields this module has no
/// type for. It may hold any printable text and SP/HTAB; CR, LF, NUL and
/// other control characters are refused. It is folded at its whitespace;
/// if a run without whitespace cannot fit in 998 octets the builder returns
/// an error. Non-ASCII needs [`BuildOptions::smtputf8`](super::BuildOptions).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RawValue(String);

impl RawValue {
    /// A validated raw field body.
    ///
    /// # Errors
    /// A control character other than HTAB.
    pub fn new(value: impl Into<String>) -> Result<Self, ValueError> {
        let value = value.into();
        if let Some(at) = value
            .bytes()
            .position(|b| (b < 0x20 && b != b'\t') || b == 0x7f)
        {
            return Err(ValueError::syntax(
                "raw header value",
                value.as_bytes(),
                at,
                "printable text or whitespace",
            ));
        }
        Ok(RawValue(value))
    }

    /// The value.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A media type such as `image/png` (RFC 2045 section 5.1): two tokens of
/// at most 127 characters each (RFC 6838 section 4.2).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MediaType {
    top: Cow<'static, str>,
    sub: Cow<'static, str>,
}

impl MediaType {
    /// A validated media type from its two halves.
    ///
    /// # Errors
    /// A half is empty, too long or not a `token`.
    pub fn new(top: &str, sub: &str) -> Result<Self, ValueError> {
        for part in [top, sub] {
            if part.len() > 127 {
                return Err(LimitError::new("media type length", 127).into());
            }
            if part.is_empty() {
                return Err(ValueError::syntax("media type", b"", 0, "a token"));
            }
            if let Some(at) = part.bytes().position(|b| !is_token_char(b)) {
                return Err(ValueError::syntax(
                    "media type",
                    part.as_bytes(),
                    at,
                    "a token character",
                ));
            }
        }
        Ok(MediaType {
            top: Cow::Owned(top.to_owned()),
            sub: Cow::Owned(sub.to_owned()),
        })
    }

    /// Parses `type/subtype`.
    ///
    /// # Errors
    /// No `/`, or a half is invalid.
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        match s.split_once('/') {
            Some((t, st)) => MediaType::new(t, st),
            None => Err(ValueError::syntax(
                "media type",
                s.as_bytes(),
                s.len(),
                "'/'",
            )),
        }
    }

    pub(crate) const fn known(top: &'static str, sub: &'static str) -> Self {
        MediaType {
            top: Cow::Borrowed(top),
            sub: Cow::Borrowed(sub),
        }
    }

    /// `application/octet-stream`.
    #[must_use]
    pub const fn octet_stream() -> Self {
        MediaType::known("application", "octet-stream")
    }

    /// The top-level type (`image`).
    #[must_use]
    pub fn top(&self) -> &str {
        &self.top
    }

    /// The subtype (`png`).
    #[must_use]
    pub fn sub(&self) -> &str {
        &self.sub
    }
}

/// A MIME parameter (RFC 2045 section 5.1) with any text value: values
/// that are not a token are quoted, and long or non-ASCII ones are
/// written with RFC 2231 continuations and charset.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Parameter {
    name: Cow<'static, str>,
    value: Text,
}

impl Parameter {
    /// Longest accepted parameter name.
    pub const MAX_NAME_LEN: usize = 40;

    /// A validated parameter. The name is a token without `*`, `'` or `%`
    /// (RFC 2231 `attribute-char`), at most [`Self::MAX_NAME_LEN`] long.
    ///
    /// # Errors
    /// Invalid name, or a value with CR, LF or NUL.
    pub fn new(name: &str, value: &str) -> Result<Self, ValueError> {
        if name.len() > Self::MAX_NAME_LEN {
            return Err(LimitError::new("parameter name length", Self::MAX_NAME_LEN as u64).into());
        }
        if name.is_empty() {
            return Err(ValueError::syntax("parameter name", b"", 0, "a token"));
        }
        if let Some(at) = name
            .bytes()
            .position(|b| !is_token_char(b) || matches!(b, b'*' | b'\'' | b'%'))
        {
            return Err(ValueError::syntax(
                "parameter name",
                name.as_bytes(),
                at,
                "an attribute-char (RFC 2231)",
            ));
        }
        Ok(Parameter {
            name: Cow::Owned(name.to_owned()),
            value: Text::new(value)?,
        })
    }

    /// The parameter name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value.
    #[must_use]
    pub fn value(&self) -> &str {
        self.value.as_str()
    }
}

/// The body of a header field, typed so that the builder can encode and
/// fold it correctly.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FieldValue {
    /// Unstructured text (`Subject`, `Comments`, `X-*` free text).
    Text(Text),
    /// An address list (`From`, `To`, `Cc`, `Reply-To`...).
    Addresses(Vec<Address>),
    /// A date (`Date`, `Resent-Date`).
    Date(DateTime),
    /// One or more message identifiers (`Message-ID`, `In-Reply-To`,
    /// `References`).
    MessageIds(Vec<MessageId>),
    /// A verbatim structured value.
    Raw(RawValue),
}

impl From<Text> for FieldValue {
    fn from(v: Text) -> Self {
        FieldValue::Text(v)
    }
}
impl From<Mailbox> for FieldValue {
    fn from(v: Mailbox) -> Self {
        FieldValue::Addresses(vec![Address::Mailbox(v)])
    }
}
impl From<Address> for FieldValue {
    fn from(v: Address) -> Self {
        FieldValue::Addresses(vec![v])
    }
}
impl From<Vec<Address>> for FieldValue {
    fn from(v: Vec<Address>) -> Self {
        FieldValue::Addresses(v)
    }
}
impl From<Vec<Mailbox>> for FieldValue {
    fn from(v: Vec<Mailbox>) -> Self {
        FieldValue::Addresses(v.into_iter().map(Address::Mailbox).collect())
    }
}
impl From<DateTime> for FieldValue {
    fn from(v: DateTime) -> Self {
        FieldValue::Date(v)
    }
}
impl From<MessageId> for FieldValue {
    fn from(v: MessageId) -> Self {
        FieldValue::MessageIds(vec![v])
    }
}
impl From<Vec<MessageId>> for FieldValue {
    fn from(v: Vec<MessageId>) -> Self {
        FieldValue::MessageIds(v)
    }
}
impl From<RawValue> for FieldValue {
    fn from(v: RawValue) -> Self {
        FieldValue::Raw(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names() {
        assert!(HeaderName::new("X-Mailer").is_ok());
        assert!(HeaderName::new("Bad:Name").is_err());
        assert!(HeaderName::new("Bad Name").is_err());
        assert!(HeaderName::new("Bad\r\nName").is_err());
        assert!(HeaderName::new("").is_err());
        assert!(HeaderName::new(&"a".repeat(77)).is_err());
    }

    #[test]
    fn addresses_rfc5322_appendix_a() {
        for ok in [
            "jdoe@example.org",
            "mary@x.test",
            "\"Joe Q. Public\"@example.com",
            "pete@silly.test",
            "c@[192.168.1.1]",
            "a.b.c+tag@sub.example.com",
            "用户@例子.广告",
        ] {
            let a = AddrSpec::new(ok).unwrap();
            assert_eq!(a.as_str(), ok);
        }
        let a = AddrSpec::new("\"a@b\"@example.com").unwrap();
        assert_eq!(a.local_part(), "\"a@b\"");
        assert_eq!(a.domain(), "example.com");
        for bad in [
            "",
            "a",
            "a@",
            "@b",
            "a..b@c",
            ".a@b",
            "a.@b",
            "a@b.",
            "a b@c",
            "a@b\r\nBcc: x@y",
            "a@[1.2",
        ] {
            assert!(AddrSpec::new(bad).is_err(), "{bad}");
        }
        assert!(AddrSpec::new("用户@例子.广告").unwrap().is_utf8());
    }

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

    #[test]
    fn message_ids() {
        assert_eq!(
            MessageId::new("<1234@local.machine.example>")
                .unwrap()
                .as_str(),
            "1234@local.machine.example"
        );
        assert!(MessageId::new("abc@[127.0.0.1]").is_ok());
        assert!(MessageId::new("abc").is_err());
        assert!(MessageId::new("a b@c").is_err());
        assert!(MessageId::new("a@b>\r\nBcc: x").is_err());
        let a = MessageId::generate("example.org").unwrap();
        let b = MessageId::generate("example.org").unwrap();
        assert_ne!(a, b);
        assert_eq!(
            MessageId::from_seed(7, "x.test"),
            MessageId::from_seed(7, "x.test")
        );
    }

    #[test]
    fn text_rejects_or_replaces_line_breaks() {
        assert!(Text::new("a\r\nBcc: x").is_err());
        assert!(Text::new("a\0").is_err());
        assert_eq!(Text::new_lossy("a\r\nb\nc\rd\0").as_str(), "a b c d");
    }
}
