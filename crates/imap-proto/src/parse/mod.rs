//! Bytes to types: the framer and the grammar.
pub mod command;
pub mod framer;
pub mod values;
