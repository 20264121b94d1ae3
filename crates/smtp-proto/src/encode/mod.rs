//! Types to bytes: writes into `bytes::BufMut`; cannot produce invalid wire.

pub mod ehlo;
pub mod reply;
