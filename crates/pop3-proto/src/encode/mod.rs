//! Types to bytes, into any [`bytes::BufMut`]. The values were validated when
//! they were built, so encoding cannot fail and cannot produce invalid wire.
