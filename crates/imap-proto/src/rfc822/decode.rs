//! Content-Transfer-Encoding decoders for BINARY (RFC 3516, RFC 9051
//! section 6.4.5): base64 (RFC 2045 section 6.8) and quoted-printable
//! (RFC 2045 section 6.7), both as lenient as real mail needs: characters
//! outside the base64 alphabet are ignored, a `=` in quoted-printable that
//! starts no escape is kept as it is.
//!
//! Interim: these move to `rfc822-message`'s streaming decoders once they
//! are merged.

/// The value of a base64 digit.
fn b64(c: u8) -> Option<u32> {
    match c {
        b'A'..=b'Z' => Some(u32::from(c - b'A')),
        b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
        b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Decodes base64, skipping line breaks and anything outside the alphabet,
/// up to the first `=` (padding ends the data, RFC 2045 section 6.8).
pub(crate) fn base64(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() / 4 * 3);
    let mut acc = 0u32;
    let mut n = 0u8;
    for &c in input {
        if c == b'=' {
            break;
        }
        let Some(v) = b64(c) else { continue };
        acc = acc << 6 | v;
        n += 1;
        if n == 4 {
            out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]);
            acc = 0;
            n = 0;
        }
    }
    match n {
        2 => out.push((acc >> 4) as u8),
        3 => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
        _ => {}
    }
    out
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'A'..=b'F' => Some(c - b'A' + 10),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    }
}

/// Decodes quoted-printable: `=XX` escapes, soft line breaks (`=` at the
/// end of a line) removed, white space at the end of a line removed
/// (RFC 2045 section 6.7 rule 3: it was added in transport).
pub(crate) fn quoted_printable(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    for line in input.split_inclusive(|&b| b == b'\n') {
        let (text, eol): (&[u8], &[u8]) = if let Some(t) = line.strip_suffix(b"\r\n") {
            (t, b"\r\n")
        } else if let Some(t) = line.strip_suffix(b"\n") {
            (t, b"\n")
        } else {
            (line, b"")
        };
        let keep = text
            .iter()
            .rposition(|&b| b != b' ' && b != b'\t')
            .map_or(0, |i| i + 1);
        let text = text.get(..keep).unwrap_or_default();
        let mut i = 0;
        let mut soft = false;
        while let Some(&c) = text.get(i) {
            if c == b'=' {
                if i + 1 == text.len() {
                    soft = true;
                    break;
                }
                if let (Some(h), Some(l)) = (
                    text.get(i + 1).copied().and_then(hex),
                    text.get(i + 2).copied().and_then(hex),
                ) {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
            }
            out.push(c);
            i += 1;
        }
        if !soft {
            out.extend_from_slice(eol);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes_with_line_breaks() {
        assert_eq!(
            base64(b"AAECAwQFBgcICQ==\r\n"),
            [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
        );
        assert_eq!(base64(b"aGVs\r\nbG8="), b"hello");
        assert_eq!(base64(b""), b"");
    }

    #[test]
    fn quoted_printable_rules() {
        assert_eq!(quoted_printable(b"a=3Db=\r\nc  \r\n"), b"a=bc\r\n");
        assert_eq!(quoted_printable(b"caf=C3=A9 =zz"), "café =zz".as_bytes());
    }
}
