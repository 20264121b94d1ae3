//! UTF-7 (RFC 2152), the 7-bit form of Unicode some old mailers wrote
//! (labels `UTF-7` and `UNICODE-1-1-UTF-7`). Not IMAP's modified UTF-7
//! (RFC 3501 section 5.1.3, `&` shifts and `,` in place of `/`), which
//! only names mailboxes.
//!
//! RFC 2152 section "Definition of the UTF-7 Encoding": characters stand
//! for themselves, except that `+` opens a run of modified base64 (the
//! alphabet of RFC 2045 without `=` padding) holding UTF-16 code units,
//! most significant bit first. The run ends at the first character that is
//! not in the base64 alphabet; a `-` ending it is absorbed, any other
//! character is read as itself. `+-` is a `+`.
//!
//! Decoding is lenient and never fails:
//!
//! - a run whose bits do not make whole code units (more than 5 left over,
//!   or left-over bits that are not zero) gives U+FFFD for the remainder,
//!   after the units it did hold;
//! - a surrogate without its partner (a high one not followed by a low one
//!   in the same run, a lone low one) gives U+FFFD;
//! - a `+` that opens nothing (followed by neither a base64 character nor
//!   `-`, or at the end) is kept as `+`, as writers of plain text mean it;
//! - ASCII characters RFC 2152 wants encoded (`\`, `~`, controls) are read
//!   as themselves, as every decoder does; bytes of 0x80 and above, which
//!   UTF-7 never holds, become U+FFFD.

use std::borrow::Cow;

/// The value of a modified-base64 character, `None` for any other byte.
fn b64(b: u8) -> Option<u32> {
    let v = match b {
        b'A'..=b'Z' => b - b'A',
        b'a'..=b'z' => b - b'a' + 26,
        b'0'..=b'9' => b - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Decodes UTF-7 text (see the module docs). Borrowed when the bytes are
/// ASCII without any `+`: then they are the text.
#[must_use]
pub(super) fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if let Some(s) = plain(bytes) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        if b != b'+' {
            out.push(direct(b));
            continue;
        }
        match bytes.get(i) {
            Some(b'-') => {
                out.push('+');
                i += 1;
            }
            Some(&n) if b64(n).is_some() => i = run(bytes, i, &mut out).0,
            _ => out.push('+'),
        }
    }
    Cow::Owned(out)
}

/// [`decode`] that also says where the first invalid input is and stops
/// before the text passes `max_len` octets: `(text, consumed,
/// first_invalid)`. A base64 run is a unit here: an error inside it is
/// reported at its `+`, and a run whose text does not fit whole is cut at
/// a character boundary, `consumed` then ending before its `+`.
pub(super) fn decode_report(bytes: &[u8], max_len: usize) -> (Cow<'_, str>, usize, Option<usize>) {
    if let Some(s) = plain(bytes) {
        let cut = s.floor_char_boundary(max_len);
        return (Cow::Borrowed(s.get(..cut).unwrap_or_default()), cut, None);
    }
    let mut out = String::with_capacity(bytes.len().min(max_len));
    let mut first_invalid = None;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let start = i;
        i += 1;
        let mut bad = false;
        if b != b'+' {
            out.push(direct(b));
            bad = !b.is_ascii();
        } else {
            match bytes.get(i) {
                Some(b'-') => {
                    out.push('+');
                    i += 1;
                }
                Some(&n) if b64(n).is_some() => (i, bad) = run(bytes, i, &mut out),
                _ => out.push('+'),
            }
        }
        if out.len() > max_len {
            // this piece does not fit whole: keep what fits of it
            out.truncate(out.floor_char_boundary(max_len));
            return (Cow::Owned(out), start, first_invalid);
        }
        if bad {
            first_invalid.get_or_insert(start);
        }
    }
    (Cow::Owned(out), bytes.len(), first_invalid)
}

/// The bytes as text when they are their own decoding: ASCII without `+`.
fn plain(bytes: &[u8]) -> Option<&str> {
    if bytes.is_ascii() && !bytes.contains(&b'+') {
        core::str::from_utf8(bytes).ok()
    } else {
        None
    }
}

/// A byte outside a base64 run.
fn direct(b: u8) -> char {
    if b.is_ascii() {
        char::from(b)
    } else {
        char::REPLACEMENT_CHARACTER
    }
}

/// Decodes the base64 run starting at `start` (just after its `+`) into
/// `out`; returns the position after the run and its absorbed `-`, and
/// whether the run held anything invalid (written as U+FFFD).
fn run(bytes: &[u8], start: usize, out: &mut String) -> (usize, bool) {
    let mut bad = false;
    // Bits not yet made into a code unit (fewer than 16 after each step,
    // so the buffer never holds more than 21).
    let mut bits: u32 = 0;
    let mut nbits: u32 = 0;
    // A high surrogate waiting for its low half.
    let mut high: Option<u32> = None;
    let mut i = start;
    while let Some(v) = bytes.get(i).and_then(|&b| b64(b)) {
        i += 1;
        bits = (bits << 6) | v;
        nbits += 6;
        if nbits < 16 {
            continue;
        }
        nbits -= 16;
        let unit = (bits >> nbits) & 0xFFFF;
        bits &= (1 << nbits) - 1;
        match (high.take(), unit) {
            (Some(h), 0xDC00..=0xDFFF) => {
                let c = 0x10000 + ((h - 0xD800) << 10) + (unit - 0xDC00);
                out.push(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
                continue;
            }
            (Some(_), _) => {
                bad = true;
                out.push(char::REPLACEMENT_CHARACTER);
            }
            (None, _) => {}
        }
        match unit {
            0xD800..=0xDBFF => high = Some(unit),
            _ => match char::from_u32(unit) {
                Some(c) => out.push(c),
                None => {
                    bad = true;
                    out.push(char::REPLACEMENT_CHARACTER);
                }
            },
        }
    }
    if high.is_some() || nbits >= 6 || bits != 0 {
        bad = true;
        out.push(char::REPLACEMENT_CHARACTER);
    }
    if bytes.get(i) == Some(&b'-') {
        i += 1;
    }
    (i, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrowed_when_plain() {
        assert!(matches!(decode(b"Hi Mom -!"), Cow::Borrowed("Hi Mom -!")));
        assert!(matches!(decode(b"a+-b"), Cow::Owned(s) if s == "a+b"));
    }

    #[test]
    fn report_points_at_the_run_and_cuts_whole_pieces() {
        let (t, consumed, bad) = decode_report(b"ok +AGF- x", 100);
        assert_eq!((&*t, consumed, bad), ("ok a\u{fffd} x", 10, Some(3)));
        let (t, consumed, bad) = decode_report(b"ab\xffc", 100);
        assert_eq!((&*t, consumed, bad), ("ab\u{fffd}c", 4, Some(2)));
        // "+AOkA6Q-" is "éé": four octets of text, cut at two.
        let (t, consumed, bad) = decode_report(b"x+AOkA6Q-", 3);
        assert_eq!((&*t, consumed, bad), ("xé", 1, None));
        let (t, consumed, bad) = decode_report(b"plain", 3);
        assert_eq!((&*t, consumed, bad), ("pla", 3, None));
    }

    #[test]
    fn report_without_limit_is_the_decoding() {
        for b in [
            &b"Hi Mom -+Jjo--!"[..],
            b"A+ImIDkQ.",
            b"+ZeVnLIqe-",
            b"a+-b+AGF-\xffc+",
            b"plain",
            b"",
        ] {
            let (t, consumed, _) = decode_report(b, usize::MAX);
            assert_eq!(t, decode(b), "{b:?}");
            assert_eq!(consumed, b.len());
        }
    }

    #[test]
    fn bits_left_over() {
        // "+AGE": 18 bits, unit 0x0061 and two zero bits: clean.
        assert_eq!(decode(b"+AGE-"), "a");
        // "+AGF": the two left-over bits are not zero.
        assert_eq!(decode(b"+AGF-"), "a\u{fffd}");
        // "+AG": 12 bits, no whole unit.
        assert_eq!(decode(b"+AG-x"), "\u{fffd}x");
    }
}
