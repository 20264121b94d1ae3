//! The header fields this crate has a parser for, recognised by name.
//!
//! A program that handles a header field by field usually dispatches on
//! the name: [`KnownField::from_name`] makes that one case-insensitive
//! lookup (the name lower-cased once, then matched by length and bytes)
//! instead of a chain of comparisons.

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
            /// or `None`: one hash of the length and three octets picks the
            /// only candidate, then one comparison decides.
            #[must_use]
            pub fn from_name(name: &[u8]) -> Option<KnownField> {
                let slot = TABLE.get(hash(name))?.checked_sub(1)?;
                let field = *KnownField::ALL.get(usize::from(slot))?;
                name.eq_ignore_ascii_case(field.as_str().as_bytes()).then_some(field)
            }
        }

        /// The names lower case, in declaration order.
        const LOWER: &[&[u8]] = &[$($lower,)*];
    };
}

/// Length of the longest known name (`content-transfer-encoding`).
#[cfg(test)]
const LONGEST: usize = 25;

/// Slots of the lookup table (a power of two).
const SLOTS: usize = 128;

/// The slot of a name: its length and its first, middle and last octets,
/// lower-cased, mixed with factors chosen so that no two known names share
/// a slot (checked when the table is built, at compile time).
const fn hash(name: &[u8]) -> usize {
    let n = name.len();
    if n == 0 {
        return 0;
    }
    // `n > 0`, so these reads are in bounds; a const fn cannot use `get`
    // in a pattern the lints accept, hence the explicit checks.
    let first = lower_at(name, 0);
    let mid = lower_at(name, n / 2);
    let last = lower_at(name, n - 1);
    (n.wrapping_mul(3) + first * 2 + last * 20 + mid) & (SLOTS - 1)
}

/// The octet at `i`, with bit 5 set (lower case for a letter), or 0 past
/// the end.
const fn lower_at(name: &[u8], i: usize) -> usize {
    match name.split_at_checked(i) {
        Some((_, [b, ..])) => (*b | 0x20) as usize,
        _ => 0,
    }
}

/// For each slot, 1 + the index of the known field hashed there, or 0.
const TABLE: [u8; SLOTS] = build_table();

// Evaluated at compile time only: an index out of bounds or a collision
// fails the build, never a run.
#[allow(clippy::indexing_slicing, clippy::cast_possible_truncation)]
const fn build_table() -> [u8; SLOTS] {
    let mut t = [0u8; SLOTS];
    let mut i = 0;
    while i < LOWER.len() {
        let h = hash(LOWER[i]);
        assert!(
            t[h] == 0,
            "two known field names share a slot: change the hash"
        );
        t[h] = i as u8 + 1;
        i += 1;
    }
    t
}

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
