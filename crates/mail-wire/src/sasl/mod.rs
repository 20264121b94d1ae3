//! SASL exchange framing (RFC 4422) as SMTP (RFC 4954), POP3 (RFC 5034) and
//! IMAP (RFC 3501 section 6.2.2) carry it: base64 challenges and responses,
//! the `=` empty initial response, `*` cancellation, and a size limit.

pub mod mechanism;

pub use mechanism::{MAX_MECHANISM_LEN, Mechanism};
