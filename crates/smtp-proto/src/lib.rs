//! Sans-IO SMTP codec.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
