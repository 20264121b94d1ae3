//! The POP3 vocabulary: commands, responses, capabilities, listings and the
//! validated values they are made of. No I/O and no parsing here.

pub mod capability;
pub mod command;
pub mod listing;
pub mod response;
pub mod values;

pub use capability::{Capabilities, Capability, ExpirePolicy};
pub use command::{Command, ResponseKind};
pub use listing::{ScanListing, UidListing};
pub use response::{Response, ResponseCode, Stat, Status, StatusLine};
pub use values::{
    ApopDigest, Arg, Base64, LangTag, MAX_ARG_LEN, MAX_LANG_TAG_LEN, MAX_PASS_LEN, MAX_UID_LEN,
    MsgNum, Secret, Text, Uid, ValueError,
};
