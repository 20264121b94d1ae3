//! The ESMTP parameters of `MAIL` and `RCPT` (RFC 5321 section 4.1.2:
//! `esmtp-param = esmtp-keyword ["=" esmtp-value]`), typed where an RFC
//! defines them and kept raw otherwise.

use std::borrow::Cow;
use std::fmt;

use mail_wire::SyntaxError;

use crate::parse::values as grammar;
use crate::types::mail_values::{AuthParam, Body, DeliverBy, Hold, MtPriority, Ret};
use crate::types::rcpt_values::{Notify, Orcpt, Rrvs};
use crate::types::xtext::XText;

/// Why a `MAIL` or `RCPT` parameter was rejected. A server answers these
/// with `501` (syntax error in parameters, RFC 5321 section 4.2.2).
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
pub enum ParamError {
    /// The value breaks the grammar of its keyword.
    #[error("invalid {keyword} value: {error}")]
    InvalidValue {
        /// The keyword, upper-case.
        keyword: &'static str,
        /// Where and what; the offset counts from the start of the line.
        error: SyntaxError,
    },
    /// A keyword that needs a value came without one.
    #[error("parameter {keyword} requires a value")]
    MissingValue {
        /// The keyword, upper-case.
        keyword: &'static str,
    },
    /// A keyword that takes no value came with one.
    #[error("parameter {keyword} takes no value")]
    UnexpectedValue {
        /// The keyword, upper-case.
        keyword: &'static str,
    },
    /// A number outside what its RFC allows, or too large for its type.
    #[error("parameter {keyword} value out of range")]
    OutOfRange {
        /// The keyword, upper-case.
        keyword: &'static str,
    },
    /// The same keyword twice (compared case-insensitively).
    #[error("duplicate parameter {keyword}")]
    Duplicate {
        /// The keyword as written the second time.
        keyword: String,
    },
    /// Two keywords that exclude each other (`HOLDFOR` and `HOLDUNTIL`).
    #[error("parameters {first} and {second} exclude each other")]
    Conflict {
        /// The keyword seen first.
        first: &'static str,
        /// The keyword seen second.
        second: &'static str,
    },
}

/// An ESMTP parameter this crate does not type, kept as written.
///
/// The keyword follows `esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT /
/// "-")`; the value `esmtp-value = 1*(%d33-60 / %d62-126)`, plus UTF-8 as
/// RFC 6531 section 3.3 allows.
///
/// Do not put keywords that have typed fields into `other`: the encoder
/// writes both, and the result parses as a duplicate.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Parameter<'a> {
    keyword: Cow<'a, str>,
    value: Option<Cow<'a, str>>,
}

impl<'a> Parameter<'a> {
    /// Validates a keyword and an optional value.
    pub fn new(
        keyword: impl Into<Cow<'a, str>>,
        value: Option<Cow<'a, str>>,
    ) -> Result<Self, SyntaxError> {
        let keyword = keyword.into();
        grammar::validate_keyword(&keyword)?;
        if let Some(v) = &value {
            grammar::validate_value(v)?;
        }
        Ok(Parameter { keyword, value })
    }

    pub(crate) fn from_valid(keyword: &'a str, value: Option<&'a str>) -> Self {
        Parameter {
            keyword: Cow::Borrowed(keyword),
            value: value.map(Cow::Borrowed),
        }
    }

    /// The keyword as written.
    #[must_use]
    pub fn keyword(&self) -> &str {
        &self.keyword
    }

    /// The value, if any.
    #[must_use]
    pub fn value(&self) -> Option<&str> {
        self.value.as_deref()
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> Parameter<'static> {
        Parameter {
            keyword: Cow::Owned(self.keyword.into_owned()),
            value: self.value.map(|v| Cow::Owned(v.into_owned())),
        }
    }
}

impl fmt::Display for Parameter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.keyword)?;
        if let Some(v) = &self.value {
            f.write_str("=")?;
            f.write_str(v)?;
        }
        Ok(())
    }
}

/// The parameters of `MAIL FROM:`.
///
/// The parameters nearly every `MAIL` carries (`SIZE`, `BODY`, `SMTPUTF8`,
/// `REQUIRETLS`) are fields; the rarer typed ones (`RET`, `ENVID`, `AUTH`,
/// `MT-PRIORITY`, `HOLDFOR`/`HOLDUNTIL`, `BY`) and any unknown parameter
/// live in [`MailExtras`], allocated only when one is present, so a parsed
/// command stays small.
/// Read them with the accessors ([`MailParameters::envid`], ...), set them
/// through [`MailParameters::extras_mut`].
///
/// The encoder writes the typed parameters in the order `SIZE`, `BODY`,
/// `SMTPUTF8`, `RET`, `ENVID`, `AUTH`, `REQUIRETLS`, `MT-PRIORITY`,
/// `HOLDFOR`/`HOLDUNTIL`, `BY`, then `other` in its order.
///
/// ```
/// use smtp_proto::{Body, MailParameters, Ret};
/// let mut p = MailParameters { size: Some(12345), body: Some(Body::EightBitMime), ..Default::default() };
/// assert_eq!(p.to_string(), " SIZE=12345 BODY=8BITMIME");
/// p.extras_mut().ret = Some(Ret::Hdrs);
/// assert_eq!(p.ret(), Some(Ret::Hdrs));
/// assert_eq!(p.to_string(), " SIZE=12345 BODY=8BITMIME RET=HDRS");
/// ```
#[derive(Debug, Clone, Default)]
pub struct MailParameters<'a> {
    /// `SIZE=` (RFC 1870): the message size in octets, as the client
    /// estimates it.
    pub size: Option<u64>,
    /// `BODY=` (RFC 6152, RFC 3030).
    pub body: Option<Body>,
    /// `SMTPUTF8` (RFC 6531 section 3.4).
    pub smtputf8: bool,
    /// `REQUIRETLS` (RFC 8689 section 4).
    pub requiretls: bool,
    /// The rarer typed parameters and any other parameter; the parser
    /// leaves it `None` when none of them is present. `Some` of an empty
    /// [`MailExtras`] compares equal to `None`.
    pub extras: Option<Box<MailExtras<'a>>>,
}

/// The typed `MAIL` parameters that are rarely sent, kept out of line (see
/// [`MailParameters::extras`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct MailExtras<'a> {
    /// `RET=` (RFC 3461 section 4.3).
    pub ret: Option<Ret>,
    /// `ENVID=` (RFC 3461 section 4.4), decoded.
    pub envid: Option<XText<'a>>,
    /// `AUTH=` (RFC 4954 section 5).
    pub auth: Option<AuthParam<'a>>,
    /// `MT-PRIORITY=` (RFC 6710).
    pub mt_priority: Option<MtPriority>,
    /// `HOLDFOR=` or `HOLDUNTIL=` (RFC 4865).
    pub hold: Option<Hold<'a>>,
    /// `BY=` (RFC 2852).
    pub by: Option<DeliverBy>,
    /// Any other parameter, in order.
    pub other: Vec<Parameter<'a>>,
}

impl MailExtras<'_> {
    /// `true` when no field is set.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == MailExtras::default()
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> MailExtras<'static> {
        MailExtras {
            ret: self.ret,
            envid: self.envid.map(XText::into_owned),
            auth: self.auth.map(AuthParam::into_owned),
            mt_priority: self.mt_priority,
            hold: self.hold.map(Hold::into_owned),
            by: self.by,
            other: self.other.into_iter().map(Parameter::into_owned).collect(),
        }
    }
}

impl MailParameters<'_> {
    /// The extras, `None` when absent or empty (what `==` and `Hash` see).
    fn extras_set(&self) -> Option<&MailExtras<'_>> {
        self.extras.as_deref().filter(|e| !e.is_empty())
    }
}

impl PartialEq for MailParameters<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.size == other.size
            && self.body == other.body
            && self.smtputf8 == other.smtputf8
            && self.requiretls == other.requiretls
            && self.extras_set() == other.extras_set()
    }
}

impl Eq for MailParameters<'_> {}

impl std::hash::Hash for MailParameters<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.size.hash(state);
        self.body.hash(state);
        self.smtputf8.hash(state);
        self.requiretls.hash(state);
        self.extras_set().hash(state);
    }
}

impl<'a> MailParameters<'a> {
    /// `true` when no parameter is set.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.size.is_none()
            && self.body.is_none()
            && !self.smtputf8
            && !self.requiretls
            && self.extras_set().is_none()
    }

    /// The rarer parameters for setting, allocated on first use.
    pub fn extras_mut(&mut self) -> &mut MailExtras<'a> {
        self.extras.get_or_insert_with(Box::default)
    }

    /// `RET=`, if present.
    #[must_use]
    pub fn ret(&self) -> Option<Ret> {
        self.extras.as_ref().and_then(|e| e.ret)
    }

    /// `ENVID=`, if present.
    #[must_use]
    pub fn envid(&self) -> Option<&XText<'a>> {
        self.extras.as_ref().and_then(|e| e.envid.as_ref())
    }

    /// `AUTH=`, if present.
    #[must_use]
    pub fn auth(&self) -> Option<&AuthParam<'a>> {
        self.extras.as_ref().and_then(|e| e.auth.as_ref())
    }

    /// `MT-PRIORITY=`, if present.
    #[must_use]
    pub fn mt_priority(&self) -> Option<MtPriority> {
        self.extras.as_ref().and_then(|e| e.mt_priority)
    }

    /// `HOLDFOR=` or `HOLDUNTIL=`, if present.
    #[must_use]
    pub fn hold(&self) -> Option<&Hold<'a>> {
        self.extras.as_ref().and_then(|e| e.hold.as_ref())
    }

    /// `BY=`, if present.
    #[must_use]
    pub fn by(&self) -> Option<DeliverBy> {
        self.extras.as_ref().and_then(|e| e.by)
    }

    /// The untyped parameters, in order.
    #[must_use]
    pub fn other(&self) -> &[Parameter<'a>] {
        self.extras.as_ref().map_or(&[], |e| &e.other)
    }

    /// Looks up an untyped parameter by keyword, ignoring case.
    #[must_use]
    pub fn get_other(&self, keyword: &str) -> Option<&Parameter<'a>> {
        find_param(self.other(), keyword)
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> MailParameters<'static> {
        MailParameters {
            size: self.size,
            body: self.body,
            smtputf8: self.smtputf8,
            requiretls: self.requiretls,
            extras: self.extras.map(|e| Box::new(e.into_owned())),
        }
    }
}

/// The parameters of `RCPT TO:`.
///
/// `RRVS` and unknown parameters are rare, so they sit in a box
/// ([`RcptParameters::extras`]) and a parsed command stays small when they
/// are absent; `ORCPT`, sent with most DSN requests, is one text and needs
/// no box.
///
/// ```
/// use smtp_proto::{Notify, Orcpt, Parameter, RcptParameters, XText};
/// let mut p = RcptParameters { notify: Notify::on(false, true, true), ..Default::default() };
/// assert_eq!(p.to_string(), " NOTIFY=FAILURE,DELAY");
/// p.orcpt = Some(Orcpt::new("rfc822", XText::new("bob@example.org").unwrap()).unwrap());
/// assert_eq!(p.to_string(), " NOTIFY=FAILURE,DELAY ORCPT=rfc822;bob@example.org");
/// p.extras_mut().other.push(Parameter::new("X-TRACE", Some("7".into())).unwrap());
/// assert_eq!(p.other().len(), 1);
/// assert_eq!(p.to_string(), " NOTIFY=FAILURE,DELAY ORCPT=rfc822;bob@example.org X-TRACE=7");
/// ```
#[derive(Debug, Clone, Default)]
pub struct RcptParameters<'a> {
    /// `NOTIFY=` (RFC 3461 section 4.1).
    pub notify: Option<Notify>,
    /// `ORCPT=` (RFC 3461 section 4.2).
    pub orcpt: Option<Orcpt<'a>>,
    /// `RRVS` and any other parameter; the parser leaves it `None` when
    /// there are none. `Some` of an empty [`RcptExtras`] compares equal to
    /// `None`.
    pub extras: Option<Box<RcptExtras<'a>>>,
}

/// The rarely sent `RCPT` parameters, kept out of line (see
/// [`RcptParameters::extras`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct RcptExtras<'a> {
    /// `RRVS=` (RFC 7293).
    pub rrvs: Option<Rrvs<'a>>,
    /// Any other parameter, in order.
    pub other: Vec<Parameter<'a>>,
}

impl RcptExtras<'_> {
    /// `true` when no field is set.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.rrvs.is_none() && self.other.is_empty()
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> RcptExtras<'static> {
        RcptExtras {
            rrvs: self.rrvs.map(Rrvs::into_owned),
            other: self.other.into_iter().map(Parameter::into_owned).collect(),
        }
    }
}

impl RcptParameters<'_> {
    /// The extras, `None` when absent or empty (what `==` and `Hash` see).
    fn extras_set(&self) -> Option<&RcptExtras<'_>> {
        self.extras.as_deref().filter(|e| !e.is_empty())
    }
}

impl PartialEq for RcptParameters<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.notify == other.notify
            && self.orcpt == other.orcpt
            && self.extras_set() == other.extras_set()
    }
}

impl Eq for RcptParameters<'_> {}

impl std::hash::Hash for RcptParameters<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.notify.hash(state);
        self.orcpt.hash(state);
        self.extras_set().hash(state);
    }
}

impl<'a> RcptParameters<'a> {
    /// `true` when no parameter is set.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.notify.is_none() && self.orcpt.is_none() && self.extras_set().is_none()
    }

    /// The rarer parameters for setting, allocated on first use.
    pub fn extras_mut(&mut self) -> &mut RcptExtras<'a> {
        self.extras.get_or_insert_with(Box::default)
    }

    /// `RRVS=`, if present.
    #[must_use]
    pub fn rrvs(&self) -> Option<&Rrvs<'a>> {
        self.extras.as_ref().and_then(|e| e.rrvs.as_ref())
    }

    /// The untyped parameters, in order.
    #[must_use]
    pub fn other(&self) -> &[Parameter<'a>] {
        self.extras.as_ref().map_or(&[], |e| &e.other)
    }

    /// Looks up an untyped parameter by keyword, ignoring case.
    #[must_use]
    pub fn get_other(&self, keyword: &str) -> Option<&Parameter<'a>> {
        find_param(self.other(), keyword)
    }

    /// Detaches the value from the input it was parsed from.
    #[must_use]
    pub fn into_owned(self) -> RcptParameters<'static> {
        RcptParameters {
            notify: self.notify,
            orcpt: self.orcpt.map(Orcpt::into_owned),
            extras: self.extras.map(|e| Box::new(e.into_owned())),
        }
    }
}

/// The first parameter of `list` named `keyword`, ignoring case.
fn find_param<'p, 'a>(list: &'p [Parameter<'a>], keyword: &str) -> Option<&'p Parameter<'a>> {
    list.iter()
        .find(|p| p.keyword.eq_ignore_ascii_case(keyword))
}
