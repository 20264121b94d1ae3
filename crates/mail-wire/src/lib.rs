//! What SMTP, POP3 and IMAP share on the wire, written once.
//!
//! - [`line`](mod@line): incremental CRLF line framing with a length limit and
//!   resynchronisation after a bad line.
//! - [`dot`]: streaming dot-stuffing and unstuffing (SMTP `DATA`, POP3
//!   multi-line responses) that ends only on `<CRLF>.<CRLF>`.
//! - [`sasl`]: SASL exchange framing and the PLAIN, LOGIN, XOAUTH2 and
//!   OAUTHBEARER mechanisms.
//! - [`error`]: the error, position and limit types every codec reports with.
//!
//! Nothing here does I/O: every type takes bytes and gives bytes back.
//!
//! ```
//! use mail_wire::dot::{DotDecoder, DotOptions};
//! use mail_wire::line::{Framed, LineFramer, LineOptions};
//!
//! // A server reads a command line, then the message data that follows.
//! let input = b"DATA\r\nhello\r\n..dot\r\n.\r\n";
//! let mut framer = LineFramer::new(LineOptions::default());
//! let Ok(Framed::Line(line)) = framer.poll(input) else { unreachable!() };
//! assert_eq!(line.content(input), b"DATA");
//!
//! let mut body = Vec::new();
//! let mut data = DotDecoder::new(DotOptions::default());
//! let done = data.decode(&input[line.consumed..], &mut body).unwrap();
//! assert!(done.done);
//! assert_eq!(body, b"hello\r\n.dot\r\n");
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod dot;
pub mod error;
pub mod line;
pub mod sasl;
pub mod swar;

pub use error::{Found, LimitError, Status, SyntaxError};
