//! The header fields this crate has a parser for, recognised by name.
//!
//! A program that handles a header field by field usually dispatches on
//! the name: [`KnownField::from_name`] makes that one case-insensitive
//! lookup (the name lower-cased once, then matched by length and bytes)
//! instead of a chain of comparisons.
//!
//! ```
//! use rfc822_message::Message;
//! use rfc822_message::header::{AddressList, KnownField};
//!
//! let msg = Message::parse(b"FROM: a@example.org\r\nX-Mailer: m\r\n\r\nbody\r\n");
//! let mut senders = 0;
//! for f in msg.root().header_fields() {
//!     match f.known() {
//!         Some(KnownField::From) => senders += AddressList::parse(f.value()).unwrap().addresses().len(),
//!         Some(_) => {}
//!         None => assert_eq!(f.name(), b"X-Mailer"),
//!     }
//! }
//! assert_eq!(senders, 1);
//! assert_eq!(KnownField::from_name(b"content-TYPE"), Some(KnownField::ContentType));
//! assert_eq!(KnownField::ContentType.as_str(), "Content-Type");
//! ```

use core::fmt;

macro_rules! known_fields {
    ($($(#[$doc:meta])* $variant:ident = $name:literal / $lower:literal,)*) => {
        /// A header field name this crate knows, with the RFC that defines
        /// the field.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum KnownField {
            $($(#[$doc])* $variant,)*
        }

        impl KnownField {
            /// Every known field, in declaration order.
            pub const ALL: &'static [KnownField] = &[$(KnownField::$variant,)*];

            /// The field's name as the defining RFC writes it.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self {
                    $(KnownField::$variant => $name,)*
                }
            }

            /// The known field named `name` (compared case-insensitively),
            /// or `None`: the name lower-cased once into a small buffer,
            /// then matched by length and bytes.
            #[must_use]
            pub fn from_name(name: &[u8]) -> Option<KnownField> {
                let mut buf = [0u8; LONGEST];
                let lower = buf.get_mut(..name.len())?;
                for (d, s) in lower.iter_mut().zip(name) {
                    *d = s.to_ascii_lowercase();
                }
                match &*lower {
                    $($lower => Some(KnownField::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

/// Length of the longest known name (`content-transfer-encoding`).
const LONGEST: usize = 25;

known_fields! {
    /// `Date` (RFC 5322 section 3.6.1).
    Date = "Date" / b"date",
    /// `From` (RFC 5322 section 3.6.2).
    From = "From" / b"from",
    /// `Sender` (RFC 5322 section 3.6.2).
    Sender = "Sender" / b"sender",
    /// `Reply-To` (RFC 5322 section 3.6.2).
    ReplyTo = "Reply-To" / b"reply-to",
    /// `To` (RFC 5322 section 3.6.3).
    To = "To" / b"to",
    /// `Cc` (RFC 5322 section 3.6.3).
    Cc = "Cc" / b"cc",
    /// `Bcc` (RFC 5322 section 3.6.3).
    Bcc = "Bcc" / b"bcc",
    /// `Message-ID` (RFC 5322 section 3.6.4).
    MessageId = "Message-ID" / b"message-id",
    /// `In-Reply-To` (RFC 5322 section 3.6.4).
    InReplyTo = "In-Reply-To" / b"in-reply-to",
    /// `References` (RFC 5322 section 3.6.4).
    References = "References" / b"references",
    /// `Subject` (RFC 5322 section 3.6.5).
    Subject = "Subject" / b"subject",
    /// `Comments` (RFC 5322 section 3.6.5).
    Comments = "Comments" / b"comments",
    /// `Keywords` (RFC 5322 section 3.6.5).
    Keywords = "Keywords" / b"keywords",
    /// `Resent-Date` (RFC 5322 section 3.6.6).
    ResentDate = "Resent-Date" / b"resent-date",
    /// `Resent-From` (RFC 5322 section 3.6.6).
    ResentFrom = "Resent-From" / b"resent-from",
    /// `Resent-Sender` (RFC 5322 section 3.6.6).
    ResentSender = "Resent-Sender" / b"resent-sender",
    /// `Resent-To` (RFC 5322 section 3.6.6).
    ResentTo = "Resent-To" / b"resent-to",
    /// `Resent-Cc` (RFC 5322 section 3.6.6).
    ResentCc = "Resent-Cc" / b"resent-cc",
    /// `Resent-Bcc` (RFC 5322 section 3.6.6).
    ResentBcc = "Resent-Bcc" / b"resent-bcc",
    /// `Resent-Message-ID` (RFC 5322 section 3.6.6).
    ResentMessageId = "Resent-Message-ID" / b"resent-message-id",
    /// `Return-Path` (RFC 5322 section 3.6.7).
    ReturnPath = "Return-Path" / b"return-path",
    /// `Received` (RFC 5322 section 3.6.7, RFC 5321 section 4.4).
    Received = "Received" / b"received",
    /// `MIME-Version` (RFC 2045 section 4).
    MimeVersion = "MIME-Version" / b"mime-version",
    /// `Content-Type` (RFC 2045 section 5).
    ContentType = "Content-Type" / b"content-type",
    /// `Content-Transfer-Encoding` (RFC 2045 section 6).
    ContentTransferEncoding = "Content-Transfer-Encoding" / b"content-transfer-encoding",
    /// `Content-ID` (RFC 2045 section 7).
    ContentId = "Content-ID" / b"content-id",
    /// `Content-Description` (RFC 2045 section 8).
    ContentDescription = "Content-Description" / b"content-description",
    /// `Content-Disposition` (RFC 2183).
    ContentDisposition = "Content-Disposition" / b"content-disposition",
    /// `Content-Language` (RFC 3282).
    ContentLanguage = "Content-Language" / b"content-language",
    /// `Content-Location` (RFC 2557).
    ContentLocation = "Content-Location" / b"content-location",
    /// `List-Archive` (RFC 2369).
    ListArchive = "List-Archive" / b"list-archive",
    /// `List-Help` (RFC 2369).
    ListHelp = "List-Help" / b"list-help",
    /// `List-ID` (RFC 2919).
    ListId = "List-ID" / b"list-id",
    /// `List-Owner` (RFC 2369).
    ListOwner = "List-Owner" / b"list-owner",
    /// `List-Post` (RFC 2369).
    ListPost = "List-Post" / b"list-post",
    /// `List-Subscribe` (RFC 2369).
    ListSubscribe = "List-Subscribe" / b"list-subscribe",
    /// `List-Unsubscribe` (RFC 2369).
    ListUnsubscribe = "List-Unsubscribe" / b"list-unsubscribe",
}

impl fmt::Display for KnownField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_is_found_in_any_case() {
        for &k in KnownField::ALL {
            let name = k.as_str();
            assert!(name.len() <= LONGEST, "{name}");
            assert_eq!(KnownField::from_name(name.as_bytes()), Some(k));
            assert_eq!(
                KnownField::from_name(name.to_ascii_uppercase().as_bytes()),
                Some(k)
            );
            assert_eq!(
                KnownField::from_name(name.to_ascii_lowercase().as_bytes()),
                Some(k)
            );
            assert_eq!(KnownField::from_name(format!("{name}x").as_bytes()), None);
            assert_ne!(KnownField::from_name(&name.as_bytes()[1..]), Some(k));
        }
        assert_eq!(KnownField::from_name(b""), None);
        assert_eq!(KnownField::from_name(b"X-Mailer"), None);
        assert_eq!(KnownField::from_name(&[b'a'; 300]), None);
    }

    #[test]
    fn lookup_agrees_with_a_linear_search() {
        let naive = |n: &[u8]| {
            KnownField::ALL
                .iter()
                .copied()
                .find(|k| n.eq_ignore_ascii_case(k.as_str().as_bytes()))
        };
        // Every name with one octet replaced by each octet value (hash
        // neighbours included), and a pseudo-random stream of short names.
        for &k in KnownField::ALL {
            for pos in 0..k.as_str().len() {
                for c in 0..=255u8 {
                    let mut n = k.as_str().as_bytes().to_vec();
                    n[pos] = c;
                    assert_eq!(KnownField::from_name(&n), naive(&n), "{n:?}");
                }
            }
        }
        let alphabet = b"abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOPQRSTUVWXYZ\x00\xff";
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 27) as usize;
            let n: Vec<u8> = (0..len)
                .map(|i| alphabet[((x >> (i % 50)) as usize + i * 13) % alphabet.len()])
                .collect();
            assert_eq!(KnownField::from_name(&n), naive(&n), "{n:?}");
        }
    }
}
