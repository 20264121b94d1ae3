//! Octet classes tested eight at a time by word arithmetic, for the
//! scanners of the protocol crates (domain labels, parameter values, field
//! names): on runs of a few dozen octets this beats both a table look-up
//! per octet and a vectorised search, whose set-up dominates at that
//! length.
//!
//! A word is eight octets read little-endian. A class is a function giving
//! the high bit of each octet of a word that belongs to it; [`in_range`]
//! builds such bits for ASCII ranges.
//!
//! ```
//! use mail_wire::swar::{HIGH, in_range, span};
//! // letters and digits, ASCII only
//! let alnum = |w: u64, a: u64| {
//!     (in_range(a | (0x20 * 0x0101_0101_0101_0101), b'a', b'z') | in_range(a, b'0', b'9'))
//!         & !(w & HIGH)
//! };
//! let b = b"example42.org";
//! assert_eq!(span(b, 0, alnum, |c: u8| c.is_ascii_alphanumeric()), 9);
//! ```

/// The low bit of every octet of a word.
pub const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every octet of a word.
pub const HIGH: u64 = ONES << 7;

/// The high bit of each octet of `a` that lies in `lo..=hi`, for a word
/// whose octets are all below 0x80 (clear the high bits first: the sums
/// then stay inside their octets, so the answer is exact for every octet).
#[inline(always)]
#[must_use]
pub fn in_range(a: u64, lo: u8, hi: u8) -> u64 {
    (a + ONES * u64::from(0x80u8.saturating_sub(lo)))
        & !(a + ONES * u64::from(0x7Fu8.saturating_sub(hi)))
        & HIGH
}

/// The end of the run of octets of a class that starts at `i` (`i` itself
/// when `b[i]` is not in it, or `i` is past the end).
///
/// `class(w, a)` gets the word `w` and the same word with its high bits
/// cleared (`a`, for [`in_range`]) and gives the high bit of each octet in
/// the class; `octet` is the same test for one octet, used for the last
/// seven octets of `b`.
#[inline(always)]
pub fn span(
    b: &[u8],
    mut i: usize,
    class: impl Fn(u64, u64) -> u64,
    octet: impl Fn(u8) -> bool,
) -> usize {
    while let Some(&w) = b.get(i..i + 8).and_then(|w| w.first_chunk::<8>()) {
        let w = u64::from_le_bytes(w);
        let out = !class(w, w & !HIGH) & HIGH;
        if out != 0 {
            return i + (out.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while b.get(i).is_some_and(|&c| octet(c)) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_range_is_exact_for_every_octet_and_range() {
        for lo in 0..0x80u8 {
            for hi in lo..0x80u8 {
                for c in 0..0x80u8 {
                    let got = in_range(u64::from(c) * ONES, lo, hi);
                    let want = if (lo..=hi).contains(&c) { HIGH } else { 0 };
                    assert_eq!(got, want, "{c} in {lo}..={hi}");
                }
            }
        }
    }

    #[test]
    fn span_matches_the_octet_test() {
        let digit = |w: u64, a: u64| in_range(a, b'0', b'9') & !(w & HIGH);
        for c in 0..=255u8 {
            for pos in 0..12 {
                let mut b = vec![b'7'; 12];
                b[pos] = c;
                for start in [0, 1, 5, 12, 13] {
                    let want = if start >= 12 {
                        start
                    } else {
                        (start..12).find(|&i| !b[i].is_ascii_digit()).unwrap_or(12)
                    };
                    let got = span(&b, start, digit, |c: u8| c.is_ascii_digit());
                    assert_eq!(got, want, "{c} at {pos} from {start}");
                }
            }
        }
    }
}
