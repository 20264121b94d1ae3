//! Modified UTF-7, the IMAP4rev1 convention for international mailbox
//! names (RFC 3501 section 5.1.3; kept by RFC 9051 section 5.1 for
//! clients and servers that do not use UTF8=ACCEPT, RFC 6855).
//!
//! Printable US-ASCII stands for itself, `&` is written `&-`, and every
//! other run of characters is UTF-16, base64 with `,` in place of `/`,
//! between `&` and `-`.
//!
//! ```
//! use imap_proto::types::utf7;
//! assert_eq!(utf7::encode("~peter/mail/台北/日本語"), "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
//! assert_eq!(utf7::decode(b"&U,BTFw-").unwrap(), "台北");
//! assert!(utf7::decode(b"&Jjo!").is_err()); // no shift back before "!"
//! ```

use std::borrow::Cow;

/// Why bytes are not valid modified UTF-7 (RFC 3501 section 5.1.3).
/// `offset` is the byte offset of the problem in the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum Utf7Error {
    /// A byte outside printable US-ASCII outside a base64 run: such
    /// characters must be encoded.
    #[error("byte 0x{byte:02x} at offset {offset} must be base64-encoded")]
    InvalidByte {
        /// Where.
        offset: usize,
        /// The byte.
        byte: u8,
    },
    /// A base64 run that is not closed by `-`, or holds a byte other than
    /// the modified base64 alphabet.
    #[error("unterminated or invalid modified base64 at offset {offset}")]
    Unterminated {
        /// Where the run or the bad byte is.
        offset: usize,
    },
    /// The run has leftover bits that are not zero or make up a whole
    /// base64 character: not the one minimal form.
    #[error("non-minimal modified base64 at offset {offset}")]
    NonMinimal {
        /// Where the run starts.
        offset: usize,
    },
    /// The run does not decode to whole, well-paired UTF-16 units.
    #[error("invalid UTF-16 in modified base64 at offset {offset}")]
    InvalidUtf16 {
        /// Where the run starts.
        offset: usize,
    },
    /// A printable US-ASCII character was encoded although it can stand
    /// for itself.
    #[error("printable ASCII encoded in modified base64 at offset {offset}")]
    EncodedAscii {
        /// Where the run starts.
        offset: usize,
    },
    /// A run follows another run directly (`-&`): the two must be one.
    #[error("superfluous shift at offset {offset}")]
    SuperfluousShift {
        /// Where the second run starts.
        offset: usize,
    },
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

/// Whether `c` stands for itself (RFC 3501 section 5.1.3: octets 0x20-0x25
/// and 0x27-0x7e).
fn is_direct(c: char) -> bool {
    matches!(c, ' '..='~') && c != '&'
}

/// Value of a modified base64 character.
fn b64_value(b: u8) -> Option<u32> {
    match b {
        b'A'..=b'Z' => Some(u32::from(b - b'A')),
        b'a'..=b'z' => Some(u32::from(b - b'a') + 26),
        b'0'..=b'9' => Some(u32::from(b - b'0') + 52),
        b'+' => Some(62),
        b',' => Some(63),
        _ => None,
    }
}

fn push_b64(out: &mut String, v: u32) {
    if let Some(&c) = ALPHABET.get((v & 0x3f) as usize) {
        out.push(char::from(c));
    }
}

/// Encodes `name` to modified UTF-7. Borrows when `name` is printable
/// US-ASCII without `&`, which encodes to itself.
#[must_use]
pub fn encode(name: &str) -> Cow<'_, str> {
    if name.chars().all(is_direct) {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len() + name.len() / 2 + 2);
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '&' {
            out.push_str("&-");
        } else if is_direct(c) {
            out.push(c);
        } else {
            out.push('&');
            let mut bits: u32 = 0;
            let mut nbits: u32 = 0;
            let mut units = [0u16; 2];
            let mut next = Some(c);
            while let Some(c) = next {
                for &u in c.encode_utf16(&mut units).iter() {
                    bits = (bits << 16) | u32::from(u);
                    nbits += 16;
                    while nbits >= 6 {
                        nbits -= 6;
                        push_b64(&mut out, bits >> nbits);
                    }
                    bits &= (1 << nbits) - 1;
                }
                next = chars.next_if(|&c| !is_direct(c) && c != '&');
            }
            if nbits > 0 {
                push_b64(&mut out, bits << (6 - nbits));
            }
            out.push('-');
        }
    }
    Cow::Owned(out)
}

/// Decodes a modified UTF-7 mailbox name, strictly: unterminated runs,
/// non-minimal base64, encoded printable ASCII, superfluous shifts and raw
/// bytes outside printable US-ASCII are errors. Borrows when there is
/// nothing to decode.
pub fn decode(name: &[u8]) -> Result<Cow<'_, str>, Utf7Error> {
    let first_special = name
        .iter()
        .position(|&b| b == b'&' || !(0x20..=0x7e).contains(&b));
    let Some(start) = first_special else {
        return crate::types::atom::ascii_str(name)
            .map(Cow::Borrowed)
            .map_err(|_| Utf7Error::InvalidByte { offset: 0, byte: 0 });
    };
    let (head, _) = name.split_at_checked(start).unwrap_or((name, &[]));
    let mut out = String::with_capacity(name.len());
    for &b in head {
        out.push(char::from(b));
    }
    let mut i = start;
    // Offset just past the `-` that closed the last non-empty run.
    let mut last_run_end = None;
    while let Some(&b) = name.get(i) {
        if b != b'&' {
            if !(0x20..=0x7e).contains(&b) {
                return Err(Utf7Error::InvalidByte { offset: i, byte: b });
            }
            out.push(char::from(b));
            i += 1;
            continue;
        }
        let run_start = i;
        i += 1;
        if name.get(i) == Some(&b'-') {
            out.push('&');
            i += 1;
            continue;
        }
        if last_run_end == Some(run_start) {
            return Err(Utf7Error::SuperfluousShift { offset: run_start });
        }
        let mut bits: u32 = 0;
        let mut nbits: u32 = 0;
        let mut high: Option<u16> = None;
        loop {
            let Some(&c) = name.get(i) else {
                return Err(Utf7Error::Unterminated { offset: i });
            };
            i += 1;
            if c == b'-' {
                break;
            }
            let Some(v) = b64_value(c) else {
                return Err(Utf7Error::Unterminated { offset: i - 1 });
            };
            bits = (bits << 6) | v;
            nbits += 6;
            if nbits >= 16 {
                nbits -= 16;
                let unit = ((bits >> nbits) & 0xffff) as u16;
                bits &= (1 << nbits) - 1;
                let err = Utf7Error::InvalidUtf16 { offset: run_start };
                let ch = match (high.take(), unit) {
                    (None, 0xd800..=0xdbff) => {
                        high = Some(unit);
                        continue;
                    }
                    (None, 0xdc00..=0xdfff) => return Err(err),
                    (None, u) => char::from_u32(u32::from(u)).ok_or(err)?,
                    (Some(h), 0xdc00..=0xdfff) => {
                        let cp =
                            0x10000 + ((u32::from(h) - 0xd800) << 10) + (u32::from(unit) - 0xdc00);
                        char::from_u32(cp).ok_or(err)?
                    }
                    (Some(_), _) => return Err(err),
                };
                if matches!(ch, ' '..='~') {
                    return Err(Utf7Error::EncodedAscii { offset: run_start });
                }
                out.push(ch);
            }
        }
        if high.is_some() {
            return Err(Utf7Error::InvalidUtf16 { offset: run_start });
        }
        if nbits >= 6 || bits != 0 {
            return Err(Utf7Error::NonMinimal { offset: run_start });
        }
        last_run_end = Some(i);
    }
    Ok(Cow::Owned(out))
}
