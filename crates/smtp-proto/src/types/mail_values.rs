//! Values of the typed `MAIL` parameters. Each type accepts only what its
//! RFC allows, so that an encoded value always parses back to itself.

use std::fmt;

use mail_wire::SyntaxError;

use crate::types::datetime::DateTime;
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
            Hold::Until(t) => Hold::Until(t.into_owned()),
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

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> HoldUntil<'static> {
        HoldUntil(self.0.into_owned())
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
