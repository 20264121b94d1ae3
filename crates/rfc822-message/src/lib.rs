//! Internet messages (RFC 5322 and MIME, RFC 2045-2049, 2047, 2231, 6532):
//! a sans-IO push parser that streams, a zero-copy view of a message in
//! memory, typed header values decoded only when asked, a builder that
//! cannot emit header injection, and lossless editing.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod build;
pub mod charset;
pub mod decode;
pub mod header;
pub mod limits;
pub mod message;
pub mod parse;

pub use build::{BuildError, HeaderEditor, MessageBuilder};
pub use header::{
    Address, AddressList, ContentDisposition, ContentTransferEncoding, ContentType, DateTime,
    Defects, DispositionType, Group, HeaderName, IdList, Mailbox, MessageId, Param, ParamValue,
    Received,
};
pub use limits::Limits;
pub use message::{Message, Part};
