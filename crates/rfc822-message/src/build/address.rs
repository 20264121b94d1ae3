//! Addresses for building: `addr-spec`, mailboxes and groups (RFC 5322
//! section 3.4, RFC 6532 section 3.2).

use mail_wire::LimitError;

use super::ValueError;
use super::value::{Text, is_atext};

/// An `addr-spec` (RFC 5322 section 3.4.1): `local-part@domain`, the local
/// part a dot-atom or a quoted string, the domain a dot-atom or a domain
/// literal. Obsolete forms, comments and folding whitespace are refused.
///
/// UTF-8 is accepted where RFC 6532 section 3.2 extends `atext`, `qtext`
/// and `dtext`; such an address is only written when the builder is told
/// the transport has SMTPUTF8 ([`BuildOptions::smtputf8`](super::BuildOptions)).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AddrSpec {
    text: String,
    /// Byte offset of the separating `@`.
    at: usize,
    utf8: bool,
}

impl AddrSpec {
    /// Longest accepted address, in octets (the RFC 5321 section 4.5.3.1.3
    /// path limit of 256 less the angle brackets).
    pub const MAX_LEN: usize = 254;

    /// A validated address.
    ///
    /// # Errors
    /// Not an `addr-spec`, or longer than [`Self::MAX_LEN`].
    pub fn new(addr: &str) -> Result<Self, ValueError> {
        let b = addr.as_bytes();
        if b.len() > Self::MAX_LEN {
            return Err(LimitError::new("address length", Self::MAX_LEN as u64).into());
        }
        let err =
            |at: usize, expected: &'static str| ValueError::syntax("address", b, at, expected);
        // Local part.
        let at = if b.first() == Some(&b'"') {
            let mut i = 1;
            loop {
                match b.get(i) {
                    None => return Err(err(i, "closing '\"'")),
                    Some(b'"') => break i + 1,
                    Some(b'\\') => match b.get(i + 1) {
                        Some(&c)
                            if c == b' ' || c == b'\t' || c.is_ascii_graphic() || c >= 0x80 =>
                        {
                            i += 2
                        }
                        _ => return Err(err(i + 1, "a quoted character")),
                    },
                    Some(&c) if is_qtext(c) || c == b' ' || c == b'\t' || c >= 0x80 => i += 1,
                    Some(_) => return Err(err(i, "qtext")),
                }
            }
        } else {
            dot_atom_end(b, 0).map_err(|at| err(at, "atext"))?
        };
        if b.get(at) != Some(&b'@') {
            return Err(err(at, "'@'"));
        }
        let dom = at + 1;
        let end = if b.get(dom) == Some(&b'[') {
            let mut i = dom + 1;
            loop {
                match b.get(i) {
                    Some(b']') => break i + 1,
                    Some(&c) if is_dtext(c) || c >= 0x80 => i += 1,
                    _ => return Err(err(i, "dtext or ']'")),
                }
            }
        } else {
            dot_atom_end(b, dom).map_err(|at| err(at, "atext"))?
        };
        if end != b.len() {
            return Err(err(end, "end of address"));
        }
        Ok(AddrSpec {
            text: addr.to_owned(),
            at,
            utf8: !addr.is_ascii(),
        })
    }

    /// The address as written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The local part (before the `@`), quotes included if it has them.
    #[must_use]
    pub fn local_part(&self) -> &str {
        self.text.get(..self.at).unwrap_or("")
    }

    /// The domain (after the `@`).
    #[must_use]
    pub fn domain(&self) -> &str {
        self.text.get(self.at + 1..).unwrap_or("")
    }

    /// Whether the address has non-ASCII characters (RFC 6532).
    #[must_use]
    pub fn is_utf8(&self) -> bool {
        self.utf8
    }
}

fn is_qtext(c: u8) -> bool {
    c == 33 || (35..=91).contains(&c) || (93..=126).contains(&c)
}

pub(crate) fn is_dtext(c: u8) -> bool {
    (33..=90).contains(&c) || (94..=126).contains(&c)
}

/// End of a `dot-atom-text` starting at `start` (UTF-8 bytes count as
/// atext, RFC 6532), or the offset of the first error.
pub(crate) fn dot_atom_end(b: &[u8], start: usize) -> Result<usize, usize> {
    let mut i = start;
    loop {
        let word = i;
        while b.get(i).is_some_and(|&c| is_atext(c) || c >= 0x80) {
            i += 1;
        }
        if i == word {
            return Err(i);
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
        } else {
            return Ok(i);
        }
    }
}

/// A mailbox: an optional display name and an address (RFC 5322 section
/// 3.4). Written as `name <addr>` or just `addr`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mailbox {
    /// The display name (a `phrase`), encoded as atoms, a quoted string or
    /// RFC 2047 encoded words, whichever the text needs.
    pub name: Option<Text>,
    /// The address.
    pub addr: AddrSpec,
}

impl Mailbox {
    /// A mailbox from a display name and an address.
    ///
    /// # Errors
    /// The name has CR, LF or NUL, or the address is invalid.
    pub fn new(name: Option<&str>, addr: &str) -> Result<Self, ValueError> {
        Ok(Mailbox {
            name: name.map(Text::new).transpose()?,
            addr: AddrSpec::new(addr)?,
        })
    }
}

/// An address in an address list: a mailbox or a named group (RFC 5322
/// section 3.4).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Address {
    /// One mailbox.
    Mailbox(Mailbox),
    /// `name: member, member;` (the member list may be empty, as in
    /// `undisclosed-recipients:;`).
    Group {
        /// The group's display name.
        name: Text,
        /// The members.
        members: Vec<Mailbox>,
    },
}

impl From<Mailbox> for Address {
    fn from(m: Mailbox) -> Self {
        Address::Mailbox(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_rfc5322_appendix_a() {
        for ok in [
            "jdoe@example.org",
            "mary@x.test",
            "\"Joe Q. Public\"@example.com",
            "pete@silly.test",
            "c@[192.168.1.1]",
            "a.b.c+tag@sub.example.com",
            "用户@例子.广告",
        ] {
            let a = AddrSpec::new(ok).unwrap();
            assert_eq!(a.as_str(), ok);
        }
        let a = AddrSpec::new("\"a@b\"@example.com").unwrap();
        assert_eq!(a.local_part(), "\"a@b\"");
        assert_eq!(a.domain(), "example.com");
        for bad in [
            "",
            "a",
            "a@",
            "@b",
            "a..b@c",
            ".a@b",
            "a.@b",
            "a@b.",
            "a b@c",
            "a@b\r\nBcc: x@y",
            "a@[1.2",
        ] {
            assert!(AddrSpec::new(bad).is_err(), "{bad}");
        }
        assert!(AddrSpec::new("用户@例子.广告").unwrap().is_utf8());
    }
}
