//! Scan listings (`LIST`, RFC 1939 section 5) and unique-id listings
//! (`UIDL`, RFC 1939 section 7): the lines of their multi-line answers and
//! the text of their single-line forms (`+OK 2 200`, `+OK 2 QhdPYR:00WBw1Ph7x7`).

use mail_wire::SyntaxError;

use super::response::{ResponseError, two_numbers};
use super::{U32_DIGITS, number};
use crate::types::listing::{ScanListing, UidListing};
use crate::types::values::{MsgNum, Uid, ValueError};

fn msg(n: u64) -> Result<MsgNum, ValueError> {
    MsgNum::new(u32::try_from(n).map_err(|_| ValueError::MessageNumber)?)
}

impl ScanListing {
    /// Parses `msg SP size`. RFC 1939 section 5 "makes no requirement on
    /// what follows the message size", so anything after a further space is
    /// ignored.
    ///
    /// ```
    /// use pop3_proto::ScanListing;
    /// let l = ScanListing::parse(b"2 200").unwrap();
    /// assert_eq!((l.msg.get(), l.size), (2, 200));
    /// ```
    pub fn parse(line: &[u8]) -> Result<ScanListing, ResponseError> {
        let (m, size, _) = two_numbers(line, "a message number")?;
        Ok(ScanListing { msg: msg(m)?, size })
    }
}

impl<'a> UidListing<'a> {
    /// Parses `msg SP unique-id` (RFC 1939 section 7): the id is 1 to 70
    /// characters from 0x21 to 0x7E and ends the line.
    ///
    /// ```
    /// use pop3_proto::UidListing;
    /// let l = UidListing::parse(b"1 whqtswO00WBw418f9t5JxYwZ").unwrap();
    /// assert_eq!((l.msg.get(), l.uid.as_str()), (1, "whqtswO00WBw418f9t5JxYwZ"));
    /// ```
    pub fn parse(line: &'a [u8]) -> Result<UidListing<'a>, ResponseError> {
        let (m, n) = number(line, 0, U32_DIGITS, u64::from(u32::MAX), "a message number")?;
        if line.get(n) != Some(&b' ') {
            return Err(SyntaxError::at(line, n, "SP").into());
        }
        let id = line.get(n + 1..).unwrap_or_default();
        let uid = Uid::from_bytes(id).map_err(|e| match e {
            ValueError::InvalidByte { what, offset, byte } => ValueError::InvalidByte {
                what,
                offset: offset + n + 1,
                byte,
            },
            other => other,
        })?;
        Ok(UidListing { msg: msg(m)?, uid })
    }
}
