//! Encoders of the LIST, STATUS and APPEND arguments (RFC 9051 sections
//! 6.3.9, 6.3.11, 6.3.12).

use super::super::{Encode, Encoder};
use crate::types::IString;
use crate::types::command::mailbox::is_list_char;
use crate::types::command::{ListPattern, StatusItem};

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
