//! Character classes of the SMTP grammar as one 256-entry table, so that
//! each scanner tests a byte with a single load and mask.
//!
//! Bytes >= 0x80 count as UTF-8 (RFC 6531 section 3.3 extends `atext`,
//! `qtextSMTP`, `sub-domain` and `esmtp-value` with `UTF8-non-ascii`);
//! the parsers run on `&str`, so they are always part of well-formed
//! characters.

/// RFC 5322 `atext` (section 3.2.3), plus UTF-8.
pub(crate) const ATEXT: u8 = 1;
/// RFC 5321 `qtextSMTP`, plus UTF-8.
pub(crate) const QTEXT: u8 = 2;
/// A byte of a domain label: letter, digit, `-`, or UTF-8.
pub(crate) const LABEL: u8 = 4;
/// RFC 5321 `esmtp-value` (`%d33-60 / %d62-126`), plus UTF-8.
pub(crate) const VALUE: u8 = 8;
/// RFC 5321 `esmtp-keyword` and verb characters: letter, digit, `-`.
pub(crate) const KEYWORD: u8 = 16;
/// An octet that stands for itself in wire xtext: RFC 3461 `xchar` (33 to
/// 126 except `+` and `=`), plus UTF-8.
pub(crate) const XCHAR: u8 = 32;
/// The `addr-type` of an ORCPT value as the fast path takes it (RFC 3461
/// section 4.2: an `atom`): ASCII `atext` but `=`.
pub(crate) const ADDR_TYPE: u8 = 64;
/// A base64 data character (RFC 4648 section 4): letter, digit, `+`, `/`.
pub(crate) const BASE64: u8 = 128;

// Evaluated at compile time: an out-of-bounds index here would fail the
// build, never run.
#[allow(clippy::indexing_slicing)]
const fn build() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        let alnum = c.is_ascii_alphanumeric();
        let utf8 = c >= 0x80;
        let mut f = 0;
        let atext_special = matches!(
            c,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'-'
                | b'/'
                | b'='
                | b'?'
                | b'^'
                | b'_'
                | b'`'
                | b'{'
                | b'|'
                | b'}'
                | b'~'
        );
        if alnum || utf8 || atext_special {
            f |= ATEXT;
        }
        if matches!(c, 32..=33 | 35..=91 | 93..=126) || utf8 {
            f |= QTEXT;
        }
        if alnum || c == b'-' || utf8 {
            f |= LABEL;
        }
        if matches!(c, 33..=60 | 62..=126) || utf8 {
            f |= VALUE;
        }
        if alnum || c == b'-' {
            f |= KEYWORD;
        }
        if (matches!(c, 33..=126) && c != b'+' && c != b'=') || utf8 {
            f |= XCHAR;
        }
        if atext_special && c != b'=' || alnum {
            f |= ADDR_TYPE;
        }
        if c.is_ascii_alphanumeric() || c == b'+' || c == b'/' {
            f |= BASE64;
        }
        t[i] = f;
        i += 1;
    }
    t
}

static TABLE: [u8; 256] = build();

/// `true` when `c` is in any of the classes in `mask`.
#[inline]
pub(crate) fn is(c: u8, mask: u8) -> bool {
    // A u8 always indexes a 256-entry table; `get` keeps the lint happy and
    // the bounds check folds away.
    TABLE.get(usize::from(c)).is_some_and(|&f| f & mask != 0)
}

/// The end of the run of bytes in the single class `mask` that starts at `i` (or `i`
/// itself when `b[i]` is not in the class, or `i` is past the end).
///
/// Four bytes are tested per step with one combined mask test, so the
/// common case (runs of several bytes: labels, atoms, parameter values)
/// costs about one table load per byte and one branch per four.
#[inline(always)]
pub(crate) fn span(b: &[u8], mut i: usize, mask: u8) -> usize {
    let t = |c: &u8| TABLE.get(usize::from(*c)).copied().unwrap_or(0);
    while let Some([c0, c1, c2, c3]) = b.get(i..i + 4).and_then(|w| w.first_chunk()) {
        if t(c0) & t(c1) & t(c2) & t(c3) & mask == 0 {
            break;
        }
        i += 4;
    }
    while let Some(c) = b.get(i) {
        if t(c) & mask == 0 {
            break;
        }
        i += 1;
    }
    i
}

/// `a` equals `upper` ignoring ASCII case, where `upper` is already
/// upper-case. Cheaper than `eq_ignore_ascii_case`, which folds both sides.
///
/// Up to eight octets are compared as one word: `upper` is a constant at
/// every call, so its word and the mask of its letters fold away, and the
/// test is one load, one mask and one compare.
#[inline(always)]
pub(crate) fn eq_upper(a: &[u8], upper: &[u8]) -> bool {
    if a.len() != upper.len() {
        return false;
    }
    if a.len() <= 8 {
        let t = word(upper);
        // Bit 5 of each octet of `upper` that is a letter: `a` may have it
        // either way there (a letter in either case), nowhere else.
        let letters = upper.iter().enumerate().fold(0u64, |m, (i, c)| {
            if c.is_ascii_uppercase() {
                m | (0x20 << (8 * i))
            } else {
                m
            }
        });
        return word(a) & !letters == t;
    }
    a.iter()
        .zip(upper)
        .all(|(x, &u)| x.to_ascii_uppercase() == u)
}

/// Up to eight octets as a little-endian word, zero-padded.
#[inline(always)]
fn word(b: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    for (d, s) in w.iter_mut().zip(b) {
        *d = *s;
    }
    u64::from_le_bytes(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_matches_a_byte_by_byte_scan() {
        let alphabet = b"a-.=@<> \r\n\xc3+;Z9";
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 24) as usize;
            let b: Vec<u8> = (0..len)
                .map(|k| alphabet[((x >> (k % 48)) as usize + k * 7) % alphabet.len()])
                .collect();
            for mask in [ATEXT, QTEXT, LABEL, VALUE, KEYWORD, XCHAR, ADDR_TYPE] {
                for i in 0..=len + 1 {
                    let naive = (i..len).find(|&k| !is(b[k], mask)).unwrap_or(len.max(i));
                    assert_eq!(span(&b, i, mask), naive, "{b:?} {i} {mask}");
                }
            }
        }
    }

    #[test]
    fn eq_upper_is_ascii_case_insensitive_equality() {
        for target in [
            &b"SIZE"[..],
            b"8BITMIME",
            b"NOTIFY",
            b"RFC822",
            b"A-B",
            b"",
            b"BINARYMIME",
        ] {
            // Every one-octet change of the target, in both cases.
            for pos in 0..target.len() {
                for c in 0..=255u8 {
                    let mut a = target.to_vec();
                    a[pos] = c;
                    assert_eq!(
                        eq_upper(&a, target),
                        a.eq_ignore_ascii_case(target),
                        "{a:?}"
                    );
                    let lower = a.to_ascii_lowercase();
                    assert_eq!(
                        eq_upper(&lower, target),
                        lower.eq_ignore_ascii_case(target),
                        "{lower:?}"
                    );
                }
            }
            assert!(!eq_upper(&[target, b"X"].concat(), target));
        }
    }

    #[test]
    fn classes_match_the_abnf() {
        for c in 0..=255u8 {
            assert_eq!(is(c, KEYWORD), c.is_ascii_alphanumeric() || c == b'-');
            let xchar = (33..=126).contains(&c) && c != b'+' && c != b'=';
            assert_eq!(is(c, XCHAR), xchar || c >= 0x80);
            assert_eq!(is(c, ADDR_TYPE), c < 0x80 && c != b'=' && is(c, ATEXT));
            assert_eq!(
                is(c, VALUE),
                (33..=126).contains(&c) && c != b'=' || c >= 0x80
            );
            assert_eq!(
                is(c, QTEXT),
                (32..=126).contains(&c) && c != b'"' && c != b'\\' || c >= 0x80
            );
        }
        for c in b"!#$%&'*+-/=?^_`{|}~aZ09".iter() {
            assert!(is(*c, ATEXT), "{}", *c as char);
        }
        for c in b"()<>[]:;@\\,.\" \t\0".iter() {
            assert!(!is(*c, ATEXT), "{}", *c as char);
        }
        assert!(eq_upper(b"From:", b"FROM:") && eq_upper(b"8bitmime", b"8BITMIME"));
        assert!(!eq_upper(b"FROM", b"FROM:") && !eq_upper(b"FROM;", b"FROM:"));
        assert!(!eq_upper(b"\xc6", b"F") && !eq_upper(b"{", b"["));
        assert!(is(b'-', LABEL) && is(0xc3, LABEL) && !is(b'_', LABEL) && !is(b'.', LABEL));
    }
}
