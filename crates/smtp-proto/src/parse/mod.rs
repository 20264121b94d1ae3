//! Bytes to types: incremental, zero-copy, linear time.

pub mod ehlo;
pub mod reply;

pub use ehlo::EhloError;
pub use reply::{ReplyError, ReplyLimits, ReplyOptions, ReplyParser};
