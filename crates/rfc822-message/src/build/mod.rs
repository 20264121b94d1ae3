//! Building new messages and editing existing ones.
//!
//! * [`MessageBuilder`] writes a complete message: header fields folded at
//!   78 columns and never past 998 (RFC 5322 section 2.1.1), encoded words
//!   for non-ASCII text (RFC 2047), RFC 2231 parameters, MIME trees with
//!   attachments that are encoded while they stream.
//! * The value types are validated when they are made, and the encoders
//!   never copy a CR or LF from a value to the output, so header injection
//!   cannot be expressed. [`HeaderName`], [`Mailbox`], [`Group`],
//!   [`Address`], [`DateTime`] and [`MessageId`] are the types of
//!   [`crate::header`] (re-exported here): what a parser returns can be
//!   handed to the builder and back. [`Text`], [`RawValue`], [`MediaType`]
//!   and [`Parameter`] are the builder's own.
//! * [`Base64Encoder`] and [`QpEncoder`] are the streaming transfer encoders
//!   (RFC 2045 sections 6.7 and 6.8), usable on their own.
//! * [`HeaderEditor`] edits the header block of an existing message
//!   losslessly: every byte it does not touch is written back unchanged.
//!
//! ```
//! use rfc822_message::build::{DateTime, Mailbox, MessageBuilder, Part, Text};
//!
//! let msg = MessageBuilder::new()
//!     .from(Mailbox::with_addr(Some("Zoë"), "zoe@example.org")?)
//!     .to(Mailbox::with_addr(None, "bob@example.com")?)
//!     .subject(Text::new("Grüße aus Köln")?)
//!     .date(DateTime::new(2024, 5, 17, 9, 30, 0, 120)?)
//!     .deterministic(1)
//!     .body(Part::text("Hallo Bob!\n"))
//!     .build()?;
//! let text = String::from_utf8(msg).unwrap();
//! assert!(text.starts_with("From: =?utf-8?q?Zo=C3=AB?= <zoe@example.org>\r\n"));
//! assert!(text.contains("Subject: =?utf-8?"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use mail_wire::{LimitError, SyntaxError};

mod builder;
mod edit;
mod encoded_word;
mod fold;
mod rfc2231;
mod transfer;
mod value;

pub use crate::header::{Address, DateTime, Group, HeaderName, Mailbox, MessageId};
pub use builder::{
    Body, BuildOptions, MAX_HEADER_NAME_LEN, MessageBuilder, MultipartKind, Part, encode_field,
};
pub use edit::{HeaderEditor, Occurrence};
pub use fold::LineEnding;
pub use rfc2231::encode_parameter;
pub use transfer::{Base64Encoder, BodyEncoder, QpEncoder, QpOptions, TransferEncoding};
pub use value::{FieldValue, MediaType, Parameter, RawValue, Text};

/// A value handed to a constructor was not valid for its type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValueError {
    /// The value breaks the grammar of its type; `what` names the type.
    #[error("invalid {what}: {error}")]
    Syntax {
        /// The type being made, for example `"header name"`.
        what: &'static str,
        /// Where and why.
        error: SyntaxError,
    },
    /// The value is longer than its type allows.
    #[error(transparent)]
    Limit(#[from] LimitError),
}

impl ValueError {
    pub(crate) fn syntax(
        what: &'static str,
        input: &[u8],
        offset: usize,
        expected: &'static str,
    ) -> Self {
        ValueError::Syntax {
            what,
            error: SyntaxError::at(input, offset, expected),
        }
    }
}

/// Building or writing a message failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A value was invalid.
    #[error(transparent)]
    Value(#[from] ValueError),
    /// A structured header field has a token that cannot be folded to fit a
    /// 998-octet line (RFC 5322 section 2.1.1); it is not written.
    #[error("header field {field} cannot be folded under 998 octets per line")]
    LineTooLong {
        /// The field name.
        field: String,
    },
    /// A header field the message must have is missing (RFC 5322 section
    /// 3.6: `Date` and `From`).
    #[error("required header field {0} is missing")]
    MissingField(&'static str),
    /// A header field the builder writes itself (`MIME-Version`,
    /// `Content-Type`, `Content-Transfer-Encoding`) was added by hand.
    #[error("header field {0} is written by the builder; set it through the part")]
    ManagedField(String),
    /// A value needs RFC 6532 (UTF-8 in an address, or raw UTF-8 in a
    /// structured field) but [`BuildOptions::smtputf8`] is off.
    #[error("header field {field} needs SMTPUTF8 (RFC 6532)")]
    NeedsSmtpUtf8 {
        /// The field name.
        field: String,
    },
    /// Content given to be sent as 7bit or 8bit breaks that encoding's
    /// rules (RFC 2045 section 2.7/2.8: NUL, bare CR or LF, lines over 998
    /// octets, 8-bit bytes in 7bit), or a `message/rfc822` part is not 7bit
    /// and 8bit transport was not allowed.
    #[error("content is not valid {encoding}: {reason}")]
    InvalidContent {
        /// The transfer encoding that was asked for.
        encoding: &'static str,
        /// What was wrong.
        reason: &'static str,
    },
    /// Streamed 7bit/8bit/binary content contained a line that starts with
    /// the boundary delimiter of an enclosing multipart (RFC 2046 section
    /// 5.1.1). For content known in advance another boundary is chosen
    /// instead; only content crafted against a fixed seed, colliding with 64
    /// candidates in a row, gives this error.
    #[error("streamed content contains the multipart boundary delimiter")]
    BoundaryInContent,
    /// Multiparts nested deeper than [`crate::Limits::max_depth`].
    #[error(transparent)]
    Limit(#[from] LimitError),
    /// The output buffer is full (a fixed-size `BufMut`).
    #[error("output buffer is full")]
    BufferFull,
    /// Reading a streamed body or writing the output failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}
