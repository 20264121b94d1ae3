//! Scan listings and unique-id listings: the lines of `LIST` and `UIDL`
//! answers (RFC 1939 sections 5 and 7), also the text of their single-line
//! forms (`+OK 2 200`).

use super::values::{MsgNum, Uid};

/// One scan listing: `msg size` (RFC 1939 section 5, `LIST`). The size is
/// the message's exact size in octets with CRLF line endings, before
/// stuffing. RFC 1939 lets a server append more information after the size;
/// the parser accepts and ignores it (minimal implementations send none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ScanListing {
    /// The message number.
    pub msg: MsgNum,
    /// Its size in octets.
    pub size: u64,
}

/// One unique-id listing: `msg uid` (RFC 1939 section 7, `UIDL`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UidListing<'a> {
    /// The message number.
    pub msg: MsgNum,
    /// Its unique-id, 1 to 70 characters from 0x21 to 0x7E.
    pub uid: Uid<'a>,
}

impl UidListing<'_> {
    /// The same value, owning its id.
    #[must_use]
    pub fn into_owned(self) -> UidListing<'static> {
        UidListing {
            msg: self.msg,
            uid: self.uid.into_owned(),
        }
    }
}
