//! MIME parameters: plain tokens, quoted strings, and RFC 2231 extended
//! values (charset, percent-encoding, continuations). Encoding only.
//!
//! Each returned segment is one `attribute=value` of at most
//! [`SEGMENT_MAX`] octets, so that `" " segment ";"` fits a 78-column
//! line; the field writer folds between segments.

use super::value::Parameter;
use crate::header::encoded_word::{EncodedWordContext, encode_words};
use crate::header::lex::{self, is_token_char};

/// Longest `attribute=value` segment.
pub(crate) const SEGMENT_MAX: usize = 76;

/// RFC 2231 section 7 `attribute-char`: token characters other than
/// `*`, `'` and `%`.
fn is_attribute_char(b: u8) -> bool {
    is_token_char(b) && !matches!(b, b'*' | b'\'' | b'%')
}

fn quotable(value: &str) -> bool {
    value
        .bytes()
        .all(|b| b == b' ' || b == b'\t' || b.is_ascii_graphic())
}

fn pct_len(c: char) -> usize {
    let mut buf = [0u8; 4];
    c.encode_utf8(&mut buf)
        .bytes()
        .map(|b| if is_attribute_char(b) { 1 } else { 3 })
        .sum()
}

fn push_pct(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        if is_attribute_char(b) {
            out.push(b);
        } else {
            out.push(b'%');
            out.extend(HEX.get(usize::from(b >> 4)));
            out.extend(HEX.get(usize::from(b & 15)));
        }
    }
}

/// The segments of one parameter, in order:
///
/// 1. `name=token` when the value is a token and fits;
/// 2. `name="quoted"` when it is printable ASCII and fits;
/// 3. `name*0="..."`, `name*1="..."` (RFC 2231 section 3) when it is
///    printable ASCII but too long;
/// 4. `name*=utf-8''%XX...`, or with continuations `name*0*=utf-8''...`,
///    `name*1*=...` (sections 3 and 4) otherwise. Segments are cut between
///    characters, never inside a UTF-8 sequence, so that decoders that
///    convert each segment on its own still work.
#[must_use]
pub fn encode_parameter(param: &Parameter) -> Vec<String> {
    segments(param.name(), param.value())
        .into_iter()
        .map(|s| String::from_utf8_lossy(&s).into_owned())
        .collect()
}

pub(crate) fn segments(name: &str, value: &str) -> Vec<Vec<u8>> {
    let head = name.len() + 1;
    if !value.is_empty() && value.bytes().all(is_token_char) && head + value.len() <= SEGMENT_MAX {
        let mut s = Vec::with_capacity(head + value.len());
        s.extend_from_slice(name.as_bytes());
        s.push(b'=');
        s.extend_from_slice(value.as_bytes());
        return vec![s];
    }
    if quotable(value) && head + lex::quoted_len(value.as_bytes()) <= SEGMENT_MAX {
        let mut s = Vec::with_capacity(head + lex::quoted_len(value.as_bytes()));
        s.extend_from_slice(name.as_bytes());
        s.push(b'=');
        lex::put_quoted(value.as_bytes(), &mut s);
        return vec![s];
    }
    if quotable(value) {
        return continuations(
            name,
            value,
            false,
            |c| {
                if u8::try_from(c).is_ok_and(lex::needs_quoted_pair) {
                    2
                } else {
                    1
                }
            },
            2,
        );
    }
    // One extended segment if it fits.
    let ext_head = name.len() + "*=utf-8''".len();
    let total: usize = value.chars().map(pct_len).sum();
    if ext_head + total <= SEGMENT_MAX {
        let mut s = Vec::with_capacity(ext_head + total);
        s.extend_from_slice(name.as_bytes());
        s.extend_from_slice(b"*=utf-8''");
        push_pct(&mut s, value);
        return vec![s];
    }
    continuations(name, value, true, pct_len, 0)
}

/// Most segments one parameter is cut into: with the field's other
/// parameters it stays well under the parser's default
/// [`Limits::max_params`](crate::Limits) (64), so a message this crate
/// builds is one it reads back.
const MAX_SEGMENTS: usize = 32;

/// Cuts `value` into numbered segments. `cost` is the encoded length of a
/// character, `extra` the fixed cost of a segment's value (the quotes).
/// Segments fit a 78-character line when there are few enough of them;
/// a longer value gets longer segments (each still under the 998-octet
/// line limit), at most [`MAX_SEGMENTS`] of them while that limit allows.
fn continuations(
    name: &str,
    value: &str,
    extended: bool,
    cost: fn(char) -> usize,
    extra: usize,
) -> Vec<Vec<u8>> {
    let total: usize = value.chars().map(cost).sum();
    // The longest head: `name*NNN*=utf-8''`, then the quotes, a space of
    // folding and the `;` after it.
    let room = super::fold::HARD_LIMIT.saturating_sub(name.len() + 16 + extra + 4);
    // A segment ends before the character that would pass its budget, so
    // it can fall short by one encoded character (12 octets at most):
    // the budget leaves room for that and a few segments to spare.
    let wide = (total.div_ceil(MAX_SEGMENTS - 4) + 12).min(room);
    let mut out = Vec::new();
    let mut rest = value;
    let mut n = 0usize;
    while !rest.is_empty() || n == 0 {
        let mut head = format!("{name}*{n}");
        if extended {
            head.push('*');
        }
        head.push('=');
        if extended && n == 0 {
            head.push_str("utf-8''");
        }
        let budget = SEGMENT_MAX
            .saturating_sub(head.len() + extra)
            .max(12)
            .max(wide);
        let mut used = 0;
        let mut end = 0;
        for (i, c) in rest.char_indices() {
            let k = cost(c);
            if used + k > budget && i > 0 {
                break;
            }
            used += k;
            end = i + c.len_utf8();
        }
        let (piece, tail) = rest.split_at_checked(end).unwrap_or((rest, ""));
        let mut s = head.into_bytes();
        if extended {
            push_pct(&mut s, piece);
        } else {
            lex::put_quoted(piece.as_bytes(), &mut s);
        }
        out.push(s);
        rest = tail;
        n += 1;
    }
    out
}

/// The `name="=?utf-8?...?="` form of a file name, for the `name`
/// parameter of `Content-Type`: RFC 2047 section 5 forbids encoded words
/// in a quoted string, but Outlook and other clients read a non-ASCII
/// attachment name only from there, so it is written next to the RFC 2231
/// `filename*` of `Content-Disposition`. ASCII names that fit are written
/// as the plain parameter. The segments are the pieces of one quoted
/// string, to be joined with single spaces (which may fold).
pub(crate) fn legacy_name_segments(name: &str, value: &str) -> Vec<Vec<u8>> {
    let head = name.len() + 2; // name="
    if quotable(value) && head + lex::quoted_len(value.as_bytes()) <= super::fold::HARD_LIMIT - 40 {
        let mut s = Vec::new();
        s.extend_from_slice(name.as_bytes());
        s.push(b'=');
        lex::put_quoted(value.as_bytes(), &mut s);
        return vec![s];
    }
    // Phrase context keeps '"' and '\' encoded, so the words can sit
    // inside quotes.
    let words = encode_words(value, EncodedWordContext::Phrase, SEGMENT_MAX - head - 1);
    let last = words.len().saturating_sub(1);
    words
        .into_iter()
        .enumerate()
        .map(|(i, w)| {
            let mut s = Vec::new();
            if i == 0 {
                s.extend_from_slice(name.as_bytes());
                s.extend_from_slice(b"=\"");
            }
            s.extend_from_slice(w.as_bytes());
            if i == last {
                s.push(b'"');
            }
            s
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(name: &str, value: &str) -> Vec<String> {
        encode_parameter(&Parameter::new(name, value).unwrap())
    }

    #[test]
    fn simple_forms() {
        assert_eq!(enc("charset", "utf-8"), ["charset=utf-8"]);
        assert_eq!(enc("filename", "my file.txt"), ["filename=\"my file.txt\""]);
        assert_eq!(enc("filename", "a\"b"), ["filename=\"a\\\"b\""]);
        assert_eq!(enc("boundary", "=_x"), ["boundary=\"=_x\""]);
        assert_eq!(enc("x", ""), ["x=\"\""]);
    }

    #[test]
    fn rfc2231_extended() {
        // RFC 2231 section 4 style: charset and percent-encoding.
        assert_eq!(
            enc("filename", "naïve.txt"),
            ["filename*=utf-8''na%C3%AFve.txt"]
        );
        let long = "ü".repeat(40);
        let segs = enc("filename", &long);
        assert!(segs.len() > 1);
        assert!(segs[0].starts_with("filename*0*=utf-8''%C3%BC"));
        assert!(segs[1].starts_with("filename*1*=%C3%BC"));
        for s in &segs {
            assert!(s.len() <= SEGMENT_MAX);
            // Never a split character: every segment's value decodes alone.
            let v = s.split_once('=').unwrap().1.trim_start_matches("utf-8''");
            let mut bytes = Vec::new();
            let mut it = v.bytes();
            while let Some(b) = it.next() {
                if b == b'%' {
                    let h = [it.next().unwrap(), it.next().unwrap()];
                    bytes.push(u8::from_str_radix(std::str::from_utf8(&h).unwrap(), 16).unwrap());
                } else {
                    bytes.push(b);
                }
            }
            assert!(std::str::from_utf8(&bytes).is_ok());
        }
    }

    #[test]
    fn long_values_stay_within_the_segment_budget() {
        for value in [
            "\u{13}x".repeat(1500),
            "é".repeat(5000),
            "a b".repeat(2000),
            "x".repeat(200),
        ] {
            let segs = enc("filename", &value);
            assert!(segs.len() <= MAX_SEGMENTS, "{} segments", segs.len());
            assert!(
                segs.iter()
                    .all(|s| s.len() + 4 <= crate::build::fold::HARD_LIMIT),
                "a segment does not fit a line"
            );
        }
        // Short values keep 78-column segments.
        assert!(
            enc("filename", &"é".repeat(100))
                .iter()
                .all(|s| s.len() <= SEGMENT_MAX)
        );
    }

    #[test]
    fn long_ascii_uses_quoted_continuations() {
        let long = "a".repeat(150);
        let segs = enc("filename", &long);
        assert!(segs.len() >= 2);
        assert!(segs[0].starts_with("filename*0=\""));
        let joined: String = segs
            .iter()
            .map(|s| s.split_once('=').unwrap().1.trim_matches('"').to_owned())
            .collect();
        assert_eq!(joined, long);
    }

    #[test]
    fn legacy_name() {
        let segs = legacy_name_segments("name", "Grüße.pdf");
        assert_eq!(segs.len(), 1);
        let s = String::from_utf8(segs[0].clone()).unwrap();
        assert!(s.starts_with("name=\"=?utf-8?"));
        assert!(s.ends_with("?=\""));
    }
}
