//! Sans-IO IMAP (IMAP4rev1, RFC 3501, and IMAP4rev2, RFC 9051): validated
//! types, a linear-time framer that streams large literals, and (in
//! progress) the command and response grammar.
//!
//! | module | what |
//! | --- | --- |
//! | [`types`] | the validated values of the grammar: tags, atoms, strings, mailboxes, flags, sequence sets |
//! | [`parse`] | bytes to types: [`parse::framer`] splits a stream into messages and (streamed) literals; [`parse::values`] parses the values of the grammar |
//! | [`encode`] | types to bytes, choosing the smallest valid form |
//!
//! ```
//! use imap_proto::parse::framer::{FrameEvent, Framer, FramerLimits, Side};
//! use imap_proto::types::{Data, Response};
//! use imap_proto::{Command, CommandBody};
//!
//! // A server frames what the client sends, then parses each message once.
//! let mut framer = Framer::new(FramerLimits::server(), Side::Server);
//! framer.feed(b"a1 SELECT INBOX\r\na2 NOOP\r\n");
//! let Some(Ok(FrameEvent::Message(msg))) = framer.next_event() else { unreachable!() };
//! let cmd = Command::parse(&msg).unwrap();
//! assert_eq!(cmd.tag.as_str(), "a1");
//! assert!(matches!(cmd.body, CommandBody::Select { .. }));
//!
//! // A client does the same with what the server sends.
//! let msg = b"* 3 EXISTS\r\n";
//! assert!(matches!(Response::parse(msg).unwrap(), Response::Data(Data::Exists(3))));
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod encode;
pub mod parse;
#[cfg(feature = "rfc822")]
pub mod rfc822;
pub mod types;

pub use encode::{Encode, EncodeOptions, Encoder, Fragment};
pub use parse::command::{CommandError, CommandErrorKind, CommandLimits, CommandOptions};
pub use parse::response::{ResponseError, ResponseOptions};
pub use parse::values::{ParseOptions, ValueParseError};
pub use types::command::{Command, CommandBody};
