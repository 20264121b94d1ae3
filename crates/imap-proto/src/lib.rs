//! Sans-IO IMAP (IMAP4rev1, RFC 3501, and IMAP4rev2, RFC 9051): validated
//! types, a linear-time framer that streams large literals, and (in
//! progress) the command and response grammar.
//!
//! | module | what |
//! | --- | --- |
//! | [`types`] | the validated values of the grammar: tags, atoms, strings, mailboxes, flags, sequence sets |
//! | [`parse`] | bytes to types: [`parse::framer`] splits a stream into messages and (streamed) literals; [`parse::values`] parses the values of the grammar |
//! | [`encode`] | types to bytes, choosing the smallest valid form |
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod encode;
pub mod parse;
pub mod types;

pub use encode::{Encode, EncodeOptions, Encoder, Fragment};
pub use parse::command::{CommandError, CommandErrorKind, CommandLimits, CommandOptions};
pub use parse::response::{ResponseError, ResponseOptions};
pub use parse::values::{ParseOptions, ValueParseError};
pub use types::command::{Command, CommandBody};
