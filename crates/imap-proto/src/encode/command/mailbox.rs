//! Encoders of the LIST, STATUS and APPEND arguments (RFC 9051 sections
//! 6.3.9, 6.3.11, 6.3.12).

use super::super::{Encode, Encoder};
use crate::types::IString;
use crate::types::command::mailbox::is_list_char;
use crate::types::command::search::MONTHS;
use crate::types::command::{DateTime, ListPattern, StatusItem};

impl Encode for ListPattern<'_> {
    fn encode(&self, e: &mut Encoder) {
        let b = self.as_bytes();
        if !b.is_empty() && b.iter().all(|&c| is_list_char(c)) {
            e.put(b);
        } else {
            IString::from_checked(b.into()).encode(e);
        }
    }
}

impl Encode for StatusItem<'_> {
    fn encode(&self, e: &mut Encoder) {
        e.put(match self {
            StatusItem::Messages => b"MESSAGES",
            StatusItem::Recent => b"RECENT",
            StatusItem::UidNext => b"UIDNEXT",
            StatusItem::UidValidity => b"UIDVALIDITY",
            StatusItem::Unseen => b"UNSEEN",
            StatusItem::Deleted => b"DELETED",
            StatusItem::Size => b"SIZE",
            StatusItem::AppendLimit => b"APPENDLIMIT",
            StatusItem::HighestModSeq => b"HIGHESTMODSEQ",
            StatusItem::MailboxId => b"MAILBOXID",
            StatusItem::Other(a) => a.as_str().as_bytes(),
        });
    }
}

pub(super) fn two(e: &mut Encoder, n: u8) {
    e.put_u8(b'0' + (n / 10) % 10);
    e.put_u8(b'0' + n % 10);
}

pub(super) fn month(e: &mut Encoder, m: u8) {
    let name = MONTHS
        .get(usize::from(m).saturating_sub(1))
        .copied()
        .unwrap_or(b"Jan");
    e.put(name);
}

impl Encode for DateTime {
    /// `"dd-Mon-yyyy hh:mm:ss +zzzz"`, a day below 10 with a leading SP.
    fn encode(&self, e: &mut Encoder) {
        let (y, m, d) = self.date();
        let (hh, mm, ss) = self.time();
        e.put_u8(b'"');
        if d < 10 {
            e.put_u8(b' ');
            e.put_u8(b'0' + d);
        } else {
            two(e, d);
        }
        e.put_u8(b'-');
        month(e, m);
        e.put_u8(b'-');
        two(e, u8::try_from(y / 100).unwrap_or(0));
        two(e, u8::try_from(y % 100).unwrap_or(0));
        e.sp();
        two(e, hh);
        e.put_u8(b':');
        two(e, mm);
        e.put_u8(b':');
        two(e, ss);
        e.sp();
        let z = self.zone_minutes();
        e.put_u8(if z < 0 { b'-' } else { b'+' });
        let z = z.unsigned_abs();
        two(e, u8::try_from(z / 60).unwrap_or(0));
        two(e, u8::try_from(z % 60).unwrap_or(0));
        e.put_u8(b'"');
    }
}
