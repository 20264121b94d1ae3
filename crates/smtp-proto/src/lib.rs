//! Sans-IO SMTP codec.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod encode;
pub mod parse;
pub mod types;

pub use parse::{EhloError, ReplyError, ReplyLimits, ReplyOptions, ReplyParser};
pub use types::{
    Capability, EhloResponse, EnhancedStatusCode, Reply, ReplyCode, ReplyText, StatusClass,
};
