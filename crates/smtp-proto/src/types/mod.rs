//! The SMTP vocabulary: commands, replies, validated newtypes. No I/O, no
//! parsing.

pub mod ehlo;
pub mod reply;
pub mod status;

pub use ehlo::{
    Capability, EhloKeyword, EhloParam, EhloResponse, Limit, LimitName, LimitText, LimitValue,
    PriorityProfile, ReleaseDateTime,
};
pub use reply::{
    Category, InvalidReplyCode, Lines, MAX_REPLY_LINE_LEN, MAX_REPLY_TEXT_LEN, Reply,
    ReplyBuildError, ReplyCode, ReplyText, Severity,
};
pub use status::{EnhancedStatusCode, InvalidStatusCode, StatusClass};
