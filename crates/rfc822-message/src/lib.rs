//! Internet messages (RFC 5322 and MIME, RFC 2045-2049, 2047, 2231, 6532):
//! a sans-IO push parser that streams, a zero-copy view of a message in
//! memory, typed header values decoded only when asked, a builder that
//! cannot emit header injection, and lossless editing.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod charset;
pub mod decode;
pub mod header;
pub mod limits;
pub mod parse;

pub use header::{
    ContentDisposition, ContentTransferEncoding, ContentType, Defects, DispositionType, Param,
    ParamValue,
};
pub use limits::Limits;
