//! Bytes to types: commands, response lines, capability and listing lines,
//! and multi-line blocks. Parsers work by hand over `&[u8]` and borrow from
//! their input.
