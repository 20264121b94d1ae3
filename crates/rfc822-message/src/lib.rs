//! Internet messages (RFC 5322 and MIME, RFC 2045-2049, 2047, 2231, 6532):
//! a sans-IO push parser that streams, a zero-copy view of a message in
//! memory, typed header values decoded only when asked, a builder that
//! cannot emit header injection, and lossless editing.
//!
//! | module | what |
//! | --- | --- |
//! | [`parse`] | the push parser: feed chunks of any size, get header fields, part starts and ends with byte ranges and line counts, body chunks (slices of what you fed) and defects; memory bounded by [`Limits`] whatever the message size |
//! | [`message`] | [`Message`]: the part tree of a message in memory, built by the same parser, with typed accessors decoded only when asked |
//! | [`header`] | field values: addresses and groups, dates, message ids, RFC 2047 encoded words, MIME types and RFC 2231 parameters, `Received`, `Keywords` |
//! | [`decode`] | streaming base64 and quoted-printable decoders |
//! | [`charset`] | UTF-8, US-ASCII, ISO-8859-x, Windows-125x, KOI8, UTF-7 natively; every other WHATWG charset with the `encoding_rs` feature |
//! | [`build`] | [`MessageBuilder`] (folding, encoded words, RFC 2231, MIME trees, streamed attachments) and [`HeaderEditor`] (add, remove, replace fields; every other byte kept) |
//!
//! Broken mail is read, not refused: every deviation is a [`parse::Defect`]
//! with its byte offset, and [`parse::ParserOptions::strict`] turns the
//! first one into an error.
//!
//! ```
//! use rfc822_message::build::{MediaType, MultipartKind, Part, Text};
//! use rfc822_message::{AddressList, DateTime, HeaderEditor, HeaderName, Mailbox, Message, MessageBuilder};
//!
//! // Build: values are validated, so no field can smuggle a CR or LF.
//! let raw = MessageBuilder::new()
//!     .deterministic(7)
//!     .from(Mailbox::with_addr(Some("Zoë"), "zoe@example.org")?)
//!     .to(Mailbox::with_addr(None, "bob@example.net")?)
//!     .subject(Text::new("Ünïcode subject")?)
//!     .date(DateTime::new(2026, 11, 23, 9, 30, 0, 60)?)
//!     .body(Part::multipart(
//!         MultipartKind::Mixed,
//!         vec![
//!             Part::text("Hello Bob,\r\nsee the attachment.\r\n"),
//!             Part::attachment(MediaType::octet_stream(), Text::new("data.bin")?, vec![0u8, 1, 2, 255]),
//!         ],
//!     ))
//!     .build()?;
//!
//! // Parse: a zero-copy part tree; values are decoded when asked.
//! let msg = Message::parse(&raw);
//! let root = msg.root();
//! let subject = rfc822_message::header::unstructured::decode(root.header(b"Subject").unwrap());
//! assert_eq!(subject, "Ünïcode subject");
//! let from = AddressList::parse(root.header(b"From").unwrap())?;
//! assert_eq!(from.mailboxes().next().unwrap().name().unwrap(), "Zoë");
//! let parts: Vec<_> = root.subparts().collect();
//! assert_eq!(parts[0].text().unwrap(), "Hello Bob,\r\nsee the attachment.\r\n");
//! assert_eq!(parts[1].decoded_body().as_ref(), [0u8, 1, 2, 255]);
//!
//! // Edit: prepend a trace field; every other byte stays as it was.
//! let mut editor = HeaderEditor::new(&raw)?;
//! editor.prepend(HeaderName::new("Received")?, rfc822_message::build::RawValue::new("from a by b; Mon, 23 Nov 2026 09:31:00 +0100")?)?;
//! let edited = editor.to_vec();
//! assert!(edited.ends_with(&raw));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
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
pub use message::{DecodedBody, DecodedText};
pub use message::{Message, Part};
