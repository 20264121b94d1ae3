//! Sans-IO POP3: a codec for commands, responses, capabilities and
//! listings, and client and server session state machines (RFC 1939 with
//! the extensions of RFC 2449, RFC 2595, RFC 5034 and RFC 6856).
//!
//! Nothing here opens a socket: sessions take the bytes you read and give
//! back events and the bytes to write, so the same code runs under tokio, in
//! a blocking program, in a proxy or in a fuzzer.
//!
//! | module | what |
//! | --- | --- |
//! | [`types`] | commands, status lines and RFC 2449 response codes, capabilities, listings: validated values that cannot encode to invalid wire |
//! | [`parse`] | bytes to types: [`Command::parse`], [`parse_command`], [`Response::parse`], [`Capability::parse`], [`MultiLineReader`] |
//! | [`encode`] | types to bytes, into any [`bytes::BufMut`] |
//! | [`server`] | the server session: AUTHORIZATION, TRANSACTION, UPDATE; it answers STAT/LIST/UIDL/DELE/RSET itself |
//! | [`client`] | the client session: CAPA-aware login, PIPELINING, RETR/TOP bodies as chunk events |
//! | `tokio` | `tokio_util::codec` adapters (feature `tokio`) |
//! | `apop` | the legacy APOP digest (feature `apop`) |
//! | [`limits`] | the [`Limits`] every parser and session enforces |
//!
//! Line framing, dot-stuffing and SASL come from the shared `mail-wire`
//! crate: a message body ends only at `CRLF . CRLF`, and STLS discards
//! plaintext received before the upgrade.
//!
//! ```
//! use pop3_proto::{Command, MsgNum, Response, Status};
//!
//! let cmd = Command::parse(b"TOP 1 10").unwrap();
//! assert_eq!(cmd, Command::Top { msg: MsgNum::new(1).unwrap(), lines: 10 });
//! assert_eq!(cmd.to_vec(), b"TOP 1 10\r\n");
//!
//! let Response::Status(line) = Response::parse(b"-ERR [IN-USE] maildrop locked").unwrap() else {
//!     unreachable!()
//! };
//! assert_eq!(line.status, Status::Err);
//! assert!(line.code.unwrap().is_temporary());
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "apop")]
pub mod apop;
pub mod client;
pub mod encode;
pub mod limits;
pub mod parse;
pub mod server;
#[cfg(feature = "tokio")]
pub mod tokio;
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
