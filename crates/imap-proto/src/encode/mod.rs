//! Types to bytes, into any [`bytes::BufMut`].
