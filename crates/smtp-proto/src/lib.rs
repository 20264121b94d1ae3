//! Sans-IO SMTP, ESMTP and LMTP: a codec for commands, replies and EHLO
//! capabilities, and client and server session state machines.
//!
//! Nothing here opens a socket or spawns a task: the sessions take the bytes
//! you read and give back events and the bytes to write, so the same code runs
//! under tokio, in a blocking program, in a proxy or in a fuzzer.
//!
//! | module | what |
//! | --- | --- |
//! | [`types`] | commands, paths, parameters, replies, EHLO capabilities: validated values that cannot encode to invalid wire |
//! | [`parse`] | bytes to types: [`Command::parse`], [`parse_command`], [`Reply::parse`], [`ReplyParser`], [`EhloResponse::from_reply`] |
//! | [`encode`] | types to bytes, into any [`bytes::BufMut`] |
//! | [`server`] | [`server::Server`]: the RFC 5321 / RFC 2033 server session |
//! | [`client`] | [`client::Client`]: the client session, PIPELINING, BDAT, STARTTLS, AUTH |
//! | `tokio` | `tokio_util::codec` adapters (feature `tokio`) |
//! | [`limits`] | the [`limits::Limits`] every session enforces |
//!
//! Message data, line framing and SASL come from the shared `mail-wire`
//! crate, so SMTP smuggling variants never end DATA and STARTTLS discards
//! plaintext received before the upgrade.
//!
//! ```
//! use smtp_proto::client::{Client, ClientConfig, ClientEvent, Envelope};
//! use smtp_proto::server::{Server, ServerConfig, ServerEvent};
//!
//! // A client and a server, connected in memory.
//! let mut server = Server::new(ServerConfig::new("mx.example.org").unwrap());
//! let mut client = Client::new(ClientConfig::new("client.example").unwrap());
//! let mut received = Vec::new();
//! let mut result = None;
//! for _ in 0..20 {
//!     client.receive(&server.take_output());
//!     while let Some(event) = client.poll_event() {
//!         match event {
//!             ClientEvent::Ready { .. } => {
//!                 let env = Envelope::new("a@example.com", &["b@example.org"]).unwrap();
//!                 client.send_mail(env).unwrap();
//!             }
//!             ClientEvent::SendBody => {
//!                 client.send_body(b"Subject: hi\r\n\r\n.dot\r\n").unwrap();
//!                 client.finish_body().unwrap();
//!             }
//!             ClientEvent::MessageResult(r) => result = Some(r.accepted),
//!             _ => {}
//!         }
//!     }
//!     server.receive(&client.take_output());
//!     while let Some(event) = server.poll_event() {
//!         match event {
//!             ServerEvent::Mail { .. } | ServerEvent::Rcpt { .. } => server.accept().unwrap(),
//!             ServerEvent::MessageChunk(chunk) => received.extend_from_slice(&chunk),
//!             ServerEvent::MessageEnd { .. } => server.accept().unwrap(),
//!             _ => {}
//!         }
//!     }
//! }
//! assert_eq!(result, Some(true));
//! assert_eq!(received, b"Subject: hi\r\n\r\n.dot\r\n");
//! ```
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
    LocalPart, MailExtras, MailParameters, Mailbox, MtPriority, Notify, Orcpt, ParamError,
    Parameter, Path, QueueName, RcptExtras, RcptParameters, Ret, ReversePath, Rrvs, RrvsAction,
    Text, Verb, XText,
};
pub use types::{
    Capability, EhloResponse, EnhancedStatusCode, Reply, ReplyCode, ReplyText, StatusClass,
};
