//! Values of the ESMTP parameters of `MAIL` and `RCPT` that this crate
//! types. Each type accepts only what its RFC allows, so that an encoded
//! value always parses back to itself.

use std::borrow::Cow;
use std::fmt;

use mail_wire::SyntaxError;

use crate::parse::params as grammar;
use crate::types::xtext::XText;

/// `BODY=` of `MAIL` (RFC 6152 section 2, RFC 3030 section 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Body {
    /// `7BIT`.
    SevenBit,
    /// `8BITMIME` (RFC 6152).
    EightBitMime,
    /// `BINARYMIME` (RFC 3030); the message must follow with `BDAT`.
    BinaryMime,
}

impl Body {
    /// The keyword value as written on the wire.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Body::SevenBit => "7BIT",
            Body::EightBitMime => "8BITMIME",
            Body::BinaryMime => "BINARYMIME",
        }
    }
}

/// `RET=` of `MAIL` (RFC 3461 section 4.3): what a DSN returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ret {
    /// `FULL`: the whole message.
    Full,
    /// `HDRS`: the headers only.
    Hdrs,
}

impl Ret {
    /// The keyword value as written on the wire.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Ret::Full => "FULL",
            Ret::Hdrs => "HDRS",
        }
    }
}

/// `AUTH=` of `MAIL` (RFC 4954 section 5): who submitted the message.
///
/// The mailbox is kept as decoded xtext and not checked against the mailbox
/// grammar: RFC 4954 says a server that does not trust it treats it as
/// `<>`, and that is the server's decision.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AuthParam<'a> {
    /// `AUTH=<>`: the submitter is unknown or not to be disclosed.
    Unknown,
    /// `AUTH=xtext`: the submitter's mailbox, decoded.
    Mailbox(XText<'a>),
}

impl AuthParam<'_> {
    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> AuthParam<'static> {
        match self {
            AuthParam::Unknown => AuthParam::Unknown,
            AuthParam::Mailbox(x) => AuthParam::Mailbox(x.into_owned()),
        }
    }
}

/// `MT-PRIORITY=` of `MAIL` (RFC 6710 section 3): -9 to 9.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MtPriority(i8);

impl MtPriority {
    /// `None` outside -9..=9.
    #[must_use]
    pub fn new(priority: i8) -> Option<Self> {
        (-9..=9).contains(&priority).then_some(MtPriority(priority))
    }

    /// The priority; higher is more urgent.
    #[must_use]
    pub fn get(self) -> i8 {
        self.0
    }
}

/// `HOLDFOR=` of `MAIL` (RFC 4865 section 4): seconds to hold the message,
/// 1 to 999,999,999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HoldFor(u32);

impl HoldFor {
    /// Largest interval RFC 4865 allows (`%x31-39 *8DIGIT`).
    pub const MAX: u32 = 999_999_999;

    /// `None` for 0 or more than [`HoldFor::MAX`].
    #[must_use]
    pub fn new(seconds: u32) -> Option<Self> {
        (1..=Self::MAX)
            .contains(&seconds)
            .then_some(HoldFor(seconds))
    }

    /// The interval in seconds.
    #[must_use]
    pub fn seconds(self) -> u32 {
        self.0
    }
}

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

/// The FUTURERELEASE hold of `MAIL` (RFC 4865): `HOLDFOR` and `HOLDUNTIL`
/// exclude each other, so one field holds either.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Hold<'a> {
    /// `HOLDFOR=seconds`.
    For(HoldFor),
    /// `HOLDUNTIL=date-time`, which RFC 4865 requires in UTC; build it with
    /// [`Hold::until`].
    Until(HoldUntil<'a>),
}

impl<'a> Hold<'a> {
    /// `HOLDUNTIL`, refusing a time that is not in UTC.
    pub fn until(time: DateTime<'a>) -> Result<Self, SyntaxError> {
        HoldUntil::new(time).map(Hold::Until)
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> Hold<'static> {
        match self {
            Hold::For(s) => Hold::For(s),
            Hold::Until(t) => Hold::Until(HoldUntil(t.0.into_owned())),
        }
    }
}

/// The UTC time of `HOLDUNTIL` (RFC 4865 `future-release-date-time`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HoldUntil<'a>(DateTime<'a>);

impl<'a> HoldUntil<'a> {
    /// Refuses a time whose offset is not UTC.
    pub fn new(time: DateTime<'a>) -> Result<Self, SyntaxError> {
        if !time.is_utc() {
            return Err(SyntaxError::at(
                time.as_str().as_bytes(),
                time.as_str().len().saturating_sub(1),
                "a UTC time ('Z')",
            ));
        }
        Ok(HoldUntil(time))
    }

    /// The time.
    #[must_use]
    pub fn time(&self) -> &DateTime<'a> {
        &self.0
    }
}

/// What happens when a `BY` deadline passes (RFC 2852 section 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ByMode {
    /// `N`: deliver anyway, and send a delay notification.
    Notify,
    /// `R`: return the message as undeliverable.
    Return,
}

/// `BY=time;mode[T]` of `MAIL` (RFC 2852 section 4, DELIVERBY).
///
/// ```
/// use smtp_proto::{ByMode, DeliverBy};
/// let by = DeliverBy::new(120, ByMode::Return, true).unwrap();
/// assert_eq!(by.to_string(), "120;RT");
/// assert!(DeliverBy::new(0, ByMode::Return, false).is_none()); // R needs a positive time
/// assert!(DeliverBy::new(-60, ByMode::Notify, false).is_some());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DeliverBy {
    seconds: i32,
    mode: ByMode,
    trace: bool,
}

impl DeliverBy {
    /// Largest magnitude of the by-time (RFC 2852: `1*9DIGIT`).
    pub const MAX_SECONDS: i32 = 999_999_999;

    /// `None` when `|seconds|` exceeds 999,999,999, or when the mode is
    /// [`ByMode::Return`] and the time is not positive.
    #[must_use]
    pub fn new(seconds: i32, mode: ByMode, trace: bool) -> Option<Self> {
        let in_range = (-Self::MAX_SECONDS..=Self::MAX_SECONDS).contains(&seconds);
        let mode_ok = mode == ByMode::Notify || seconds > 0;
        (in_range && mode_ok).then_some(DeliverBy {
            seconds,
            mode,
            trace,
        })
    }

    /// Seconds from the time the message was received.
    #[must_use]
    pub fn seconds(self) -> i32 {
        self.seconds
    }

    /// What to do when the time is up.
    #[must_use]
    pub fn mode(self) -> ByMode {
        self.mode
    }

    /// `T`: trace the delivery in DSNs.
    #[must_use]
    pub fn trace(self) -> bool {
        self.trace
    }
}

impl fmt::Display for DeliverBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mode = match self.mode {
            ByMode::Notify => "N",
            ByMode::Return => "R",
        };
        let trace = if self.trace { "T" } else { "" };
        write!(f, "{};{mode}{trace}", self.seconds)
    }
}

/// `NOTIFY=` of `RCPT` (RFC 3461 section 4.1): `NEVER`, or a non-empty set
/// of `SUCCESS`, `FAILURE`, `DELAY`.
///
/// ```
/// use smtp_proto::Notify;
/// let n = Notify::on(true, true, false).unwrap();
/// assert_eq!(n.to_string(), "SUCCESS,FAILURE");
/// assert_eq!(Notify::never().to_string(), "NEVER");
/// assert!(Notify::on(false, false, false).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Notify(u8);

impl Notify {
    const SUCCESS: u8 = 1;
    const FAILURE: u8 = 2;
    const DELAY: u8 = 4;

    /// `NOTIFY=NEVER`.
    #[must_use]
    pub fn never() -> Self {
        Notify(0)
    }

    /// The conditions that trigger a DSN; `None` if none is set (use
    /// [`Notify::never`]).
    #[must_use]
    pub fn on(success: bool, failure: bool, delay: bool) -> Option<Self> {
        let bits = (u8::from(success) * Self::SUCCESS)
            | (u8::from(failure) * Self::FAILURE)
            | (u8::from(delay) * Self::DELAY);
        (bits != 0).then_some(Notify(bits))
    }

    pub(crate) fn from_bits(bits: u8) -> Self {
        Notify(bits & 7)
    }

    /// `NEVER`.
    #[must_use]
    pub fn is_never(self) -> bool {
        self.0 == 0
    }

    /// `SUCCESS` is set.
    #[must_use]
    pub fn success(self) -> bool {
        self.0 & Self::SUCCESS != 0
    }

    /// `FAILURE` is set.
    #[must_use]
    pub fn failure(self) -> bool {
        self.0 & Self::FAILURE != 0
    }

    /// `DELAY` is set.
    #[must_use]
    pub fn delay(self) -> bool {
        self.0 & Self::DELAY != 0
    }
}

impl fmt::Display for Notify {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_never() {
            return f.write_str("NEVER");
        }
        let mut sep = "";
        for (on, name) in [
            (self.success(), "SUCCESS"),
            (self.failure(), "FAILURE"),
            (self.delay(), "DELAY"),
        ] {
            if on {
                f.write_str(sep)?;
                f.write_str(name)?;
                sep = ",";
            }
        }
        Ok(())
    }
}

/// `ORCPT=addr-type;xtext` of `RCPT` (RFC 3461 section 4.2): the original
/// recipient, with its address decoded.
///
/// ```
/// use smtp_proto::{Orcpt, XText};
/// let o = Orcpt::new("rfc822", XText::new("Bob@Example.COM").unwrap()).unwrap();
/// assert_eq!(o.to_string(), "rfc822;Bob@Example.COM");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Orcpt<'a> {
    addr_type: Cow<'a, str>,
    address: XText<'a>,
}

impl<'a> Orcpt<'a> {
    /// Validates `addr_type` as an RFC 5322 atom (`rfc822`, `utf-8`, ...).
    pub fn new(
        addr_type: impl Into<Cow<'a, str>>,
        address: XText<'a>,
    ) -> Result<Self, SyntaxError> {
        let addr_type = addr_type.into();
        grammar::validate_atom(&addr_type)?;
        Ok(Orcpt { addr_type, address })
    }

    pub(crate) fn from_valid(addr_type: &'a str, address: XText<'a>) -> Self {
        Orcpt {
            addr_type: Cow::Borrowed(addr_type),
            address,
        }
    }

    /// The address type, as written (compare case-insensitively).
    #[must_use]
    pub fn addr_type(&self) -> &str {
        &self.addr_type
    }

    /// The decoded original address.
    #[must_use]
    pub fn address(&self) -> &XText<'a> {
        &self.address
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> Orcpt<'static> {
        Orcpt {
            addr_type: Cow::Owned(self.addr_type.into_owned()),
            address: self.address.into_owned(),
        }
    }
}

impl fmt::Display for Orcpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{};{}", self.addr_type, self.address)
    }
}

/// The no-support action of `RRVS` (RFC 7293 section 3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RrvsAction {
    /// `R`: reject if a later hop cannot check (the default).
    Reject,
    /// `C`: continue delivery.
    Continue,
}

/// `RRVS=date-time[;C|R]` of `RCPT` (RFC 7293 section 3.1).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rrvs<'a> {
    since: DateTime<'a>,
    action: Option<RrvsAction>,
}

impl<'a> Rrvs<'a> {
    /// Refuses a time with fractional seconds, which RFC 7293 forbids.
    pub fn new(since: DateTime<'a>, action: Option<RrvsAction>) -> Result<Self, SyntaxError> {
        if since.has_fraction() {
            let at = since.as_str().find('.').unwrap_or(0);
            return Err(SyntaxError::at(
                since.as_str().as_bytes(),
                at,
                "a time without fractional seconds",
            ));
        }
        Ok(Rrvs { since, action })
    }

    /// The time since which the mailbox must have been valid.
    #[must_use]
    pub fn since(&self) -> &DateTime<'a> {
        &self.since
    }

    /// The no-support action, if given.
    #[must_use]
    pub fn action(&self) -> Option<RrvsAction> {
        self.action
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> Rrvs<'static> {
        Rrvs {
            since: self.since.into_owned(),
            action: self.action,
        }
    }
}

impl fmt::Display for Rrvs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.since.as_str())?;
        match self.action {
            None => Ok(()),
            Some(RrvsAction::Reject) => f.write_str(";R"),
            Some(RrvsAction::Continue) => f.write_str(";C"),
        }
    }
}
