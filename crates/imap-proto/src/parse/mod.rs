//! Bytes to types: the framer and the grammar.
pub(crate) mod body;
pub mod command;
pub mod fetch;
pub mod framer;
pub mod response;
pub mod values;
