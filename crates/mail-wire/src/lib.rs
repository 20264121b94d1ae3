//! Wire framing shared by the SMTP, POP3 and IMAP codecs of this workspace.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod dot;
pub mod error;
pub mod line;
pub mod sasl;

pub use error::{Found, LimitError, Status, SyntaxError};
