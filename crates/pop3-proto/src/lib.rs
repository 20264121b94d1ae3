//! Sans-IO POP3: a codec for commands, responses, capabilities and
//! listings, and client and server session state machines (RFC 1939 with
//! the extensions of RFC 2449, RFC 2595, RFC 5034 and RFC 6856).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod client;
pub mod encode;
pub mod limits;
pub mod parse;
pub mod types;

pub use limits::Limits;
pub use types::{
    ApopDigest, Arg, Base64, Capabilities, Capability, Command, ExpirePolicy, LangTag, MsgNum,
    Response, ResponseCode, ResponseKind, ScanListing, Secret, Stat, Status, StatusLine, Text, Uid,
    UidListing, ValueError,
};

pub use encode::{encode_end, encode_multiline_line};
pub use parse::{
    CommandError, CommandFrameError, CommandOptions, MultiLine, MultiLineReader, ResponseError,
    ResponseOptions, parse_command,
};
