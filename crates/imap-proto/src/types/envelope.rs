//! The ENVELOPE structure of a FETCH response (RFC 9051 section 7.5.2,
//! RFC 3501 section 7.4.2).
//!
//! ```text
//! envelope = "(" env-date SP env-subject SP env-from SP env-sender SP
//!            env-reply-to SP env-to SP env-cc SP env-bcc SP
//!            env-in-reply-to SP env-message-id ")"
//! env-from = "(" 1*address ")" / nil       ; same for the other lists
//! address  = "(" addr-name SP addr-adl SP addr-mailbox SP addr-host ")"
//! ```

use super::string::NString;

/// An envelope: header fields of a message, parsed by the server.
///
/// An address list that is `NIL` on the wire is an empty `Vec` (the
/// grammar forbids `()`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Envelope<'a> {
    /// `Date:`.
    pub date: NString<'a>,
    /// `Subject:`.
    pub subject: NString<'a>,
    /// `From:`.
    pub from: Vec<Address<'a>>,
    /// `Sender:`.
    pub sender: Vec<Address<'a>>,
    /// `Reply-To:`.
    pub reply_to: Vec<Address<'a>>,
    /// `To:`.
    pub to: Vec<Address<'a>>,
    /// `Cc:`.
    pub cc: Vec<Address<'a>>,
    /// `Bcc:`.
    pub bcc: Vec<Address<'a>>,
    /// `In-Reply-To:`.
    pub in_reply_to: NString<'a>,
    /// `Message-ID:`.
    pub message_id: NString<'a>,
}

/// One address of an envelope. A group start has a `NIL` host and the
/// group name as mailbox; a group end has `NIL` mailbox and host (RFC
/// 9051 section 7.5.2).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Address<'a> {
    /// The display name.
    pub name: NString<'a>,
    /// The source route (obsolete, usually `NIL`).
    pub adl: NString<'a>,
    /// The local part, or group name.
    pub mailbox: NString<'a>,
    /// The domain.
    pub host: NString<'a>,
}

impl Address<'_> {
    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> Address<'static> {
        Address {
            name: self.name.into_owned(),
            adl: self.adl.into_owned(),
            mailbox: self.mailbox.into_owned(),
            host: self.host.into_owned(),
        }
    }
}

fn own(v: Vec<Address<'_>>) -> Vec<Address<'static>> {
    v.into_iter().map(Address::into_owned).collect()
}

impl Envelope<'_> {
    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> Envelope<'static> {
        Envelope {
            date: self.date.into_owned(),
            subject: self.subject.into_owned(),
            from: own(self.from),
            sender: own(self.sender),
            reply_to: own(self.reply_to),
            to: own(self.to),
            cc: own(self.cc),
            bcc: own(self.bcc),
            in_reply_to: self.in_reply_to.into_owned(),
            message_id: self.message_id.into_owned(),
        }
    }
}
