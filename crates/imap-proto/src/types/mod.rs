//! The IMAP vocabulary: validated values that cannot encode to invalid wire.

#[cfg(feature = "arbitrary")]
mod arbitrary;
pub mod atom;
pub mod error;
pub mod flag;
pub mod mailbox;
pub mod nonempty;
pub mod secret;
pub mod sequence;
pub mod string;
pub mod utf7;

pub use atom::{Atom, Tag, is_astring_char, is_atom_char, is_tag_char};
pub use error::ValueError;
pub use flag::{Flag, FlagPerm};
pub use mailbox::Mailbox;
pub use nonempty::NonEmptyVec;
pub use secret::Secret;
pub use sequence::{SeqItem, SeqNumber, SequenceSet};
pub use string::{
    AString, IString, LITERAL_MINUS_MAX, Literal, Literal8, LiteralMode, NString, Quoted,
};
pub use utf7::Utf7Error;
pub mod command;

pub mod body;
pub mod capability;
pub mod code;
pub mod datetime;
pub mod envelope;
pub mod fetch;
pub mod response;
pub mod section;

pub use body::Body;
pub use capability::Capability;
pub use code::{Code, CodeText};
pub use envelope::{Address, Envelope};
pub use fetch::{BinaryData, DateTime, FetchItem, Section, SectionText};
pub use response::{
    ContinueRequest, Data, Delimiter, ESearch, ESearchItem, ListData, NamespaceDesc, Response,
    StatusKind, StatusResponse, StatusValue, Text, Value, Word,
};
