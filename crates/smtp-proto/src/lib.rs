//! Sans-IO SMTP codec.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod client;
pub mod encode;
pub mod limits;
pub mod parse;
pub mod server;
#[cfg(feature = "tokio")]
pub mod tokio;
pub mod types;

pub use parse::{CommandError, CommandOptions, parse_command, parse_command_with};
pub use parse::{EhloError, ReplyError, ReplyLimits, ReplyOptions, ReplyParser};
pub use types::{
    AddressError, AddressLiteral, AuthParam, Body, ByMode, Command, DateTime, DeliverBy, Domain,
    EtrnTarget, ForwardPath, GeneralLiteral, Hold, HoldFor, HoldUntil, Host, InitialResponse,
    LocalPart, MailParameters, Mailbox, MtPriority, Notify, Orcpt, ParamError, Parameter, Path,
    QueueName, RcptParameters, Ret, ReversePath, Rrvs, RrvsAction, Text, Verb, XText,
};
pub use types::{
    Capability, EhloResponse, EnhancedStatusCode, Reply, ReplyCode, ReplyText, StatusClass,
};
