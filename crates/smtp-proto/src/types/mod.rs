//! The SMTP vocabulary: commands, paths, parameters, replies and the
//! validated newtypes they are built from. No I/O and no grammar here beyond
//! the validation that constructors share with the parser (see
//! [`crate::parse`]).
//!
//! Every type that can borrow from parsed input has a lifetime `'a` and an
//! `into_owned()` that detaches it. Constructors reject what the grammar
//! forbids, so a value of these types always encodes to valid wire bytes.

pub mod command;
pub mod datetime;
pub mod ehlo;
pub mod host;
pub mod local_part;
pub mod mail_values;
pub mod params;
pub mod path;
pub mod rcpt_values;
pub mod reply;
pub mod status;
pub mod xtext;

pub use command::{Command, EtrnTarget, InitialResponse, QueueName, Text, Verb};
pub use datetime::DateTime;
pub use ehlo::{
    Capability, EhloKeyword, EhloParam, EhloResponse, Limit, LimitName, LimitText, LimitValue,
    PriorityProfile, ReleaseDateTime,
};
pub use host::{AddressLiteral, Domain, GeneralLiteral, Host};
pub use local_part::LocalPart;
pub use mail_values::{
    AuthParam, Body, ByMode, DeliverBy, Hold, HoldFor, HoldUntil, MtPriority, Ret,
};
pub use params::{MailExtras, MailParameters, ParamError, Parameter, RcptExtras, RcptParameters};
pub use path::{AddressError, ForwardPath, Mailbox, Path, ReversePath};
pub use rcpt_values::{Notify, Orcpt, Rrvs, RrvsAction};
pub use reply::{
    Category, InvalidReplyCode, Lines, MAX_REPLY_LINE_LEN, MAX_REPLY_TEXT_LEN, Reply,
    ReplyBuildError, ReplyCode, ReplyText, Severity,
};
pub use status::{EnhancedStatusCode, InvalidStatusCode, StatusClass};
pub use xtext::XText;
