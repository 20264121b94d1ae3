//! RFC 2047 encoded words: `=?charset?B?...?=` and `=?charset?Q?...?=`,
//! with the RFC 2231 section 5 language suffix (`=?utf-8*en?Q?...?=`).
//!
//! # Decoding
//!
//! [`decode_text`] decodes every encoded word in a piece of text:
//!
//! - Adjacent encoded words separated only by white space (folds included)
//!   are joined and the white space dropped (RFC 2047 section 6.2). When
//!   they share a charset, their *bytes* are concatenated before the charset
//!   is decoded, so a multi-byte character split across two words (as many
//!   encoders do) decodes right.
//! - Leniency, as every mail reader has it: words are decoded wherever they
//!   stand, also inside quoted strings, inside parameter values and glued to
//!   other text (`Re:=?utf-8?Q?x?=`), where RFC 2047 section 5 forbids them.
//!   Outlook, Gmail and many scripts write them there.
//! - A word that does not decode (bad base64, unknown charset) stays as
//!   literal text, and [`Defects::BAD_ENCODED_WORD`] is reported, as
//!   section 6.3 allows. Base64 without its padding and Q text with
//!   lower-case hex digits decode.
//! - Text outside words is read as UTF-8 (RFC 6532); invalid UTF-8 becomes
//!   U+FFFD with [`Defects::INVALID_TEXT`].
//!
//! The word length limit of 75 characters (section 2) is not enforced on
//! reading: long words are common and unambiguous.
//!
//! # Encoding
//!
//! [`encode_words`] writes UTF-8 text as encoded words of at most 75
//! characters, Q or B whichever is shorter, split on character boundaries;
//! the builder's folding writer uses the same pieces to size each word to
//! the room left on its line.

use std::borrow::Cow;

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use mail_wire::LimitError;

use super::Defects;
use crate::charset::Charset;

/// Base64 that accepts missing padding and stray trailing bits.
const LENIENT_B64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Longest charset label (with language) accepted in a word.
const MAX_CHARSET: usize = 64;

/// The two encodings of RFC 2047 section 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// `B`: base64 (section 4.1).
    B,
    /// `Q`: quoted-printable-like (section 4.2).
    Q,
}

/// One encoded word found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedWord<'a> {
    /// The charset label as written (without the language).
    pub charset: &'a [u8],
    /// The RFC 2231 language, if any.
    pub language: Option<&'a [u8]>,
    /// B or Q.
    pub encoding: Encoding,
    /// The encoded text between the third `?` and `?=`.
    pub text: &'a [u8],
}

impl EncodedWord<'_> {
    /// The word's decoded bytes (still in its charset), or `None` if the
    /// text is not valid for its encoding.
    #[must_use]
    pub fn decode_bytes(&self) -> Option<Vec<u8>> {
        match self.encoding {
            Encoding::B => LENIENT_B64.decode(self.text).ok(),
            Encoding::Q => Some(q_decode(self.text)),
        }
    }
}

/// Parses the encoded word starting at `pos` (which must hold `=?`),
/// returning it and the position after its closing `?=`.
#[must_use]
pub fn parse_word(input: &[u8], pos: usize) -> Option<(EncodedWord<'_>, usize)> {
    let rest = input.get(pos..)?.strip_prefix(b"=?")?;
    let cs_len = rest.iter().take(MAX_CHARSET + 1).position(|&b| b == b'?')?;
    let (label, rest) = rest.split_at_checked(cs_len)?;
    if label.is_empty()
        || !label
            .iter()
            .all(|&b| super::lex::is_token_char(b) || b == b'*')
    {
        return None;
    }
    let (charset, language) = match memchr::memchr(b'*', label) {
        Some(i) => (label.get(..i)?, label.get(i + 1..)),
        None => (label, None),
    };
    let encoding = match rest.get(1..3)? {
        [b'B' | b'b', b'?'] => Encoding::B,
        [b'Q' | b'q', b'?'] => Encoding::Q,
        _ => return None,
    };
    let text_start = rest.get(3..)?;
    let text_len = text_start
        .iter()
        .position(|&b| b == b'?' || !(0x21..=0x7e).contains(&b))?;
    let (text, after) = text_start.split_at_checked(text_len)?;
    if !after.starts_with(b"?=") || charset.is_empty() {
        return None;
    }
    // "=?" + label + "?E?" + text + "?="
    let end = pos + 2 + label.len() + 3 + text.len() + 2;
    Some((
        EncodedWord {
            charset,
            language,
            encoding,
            text,
        },
        end,
    ))
}

/// Q decoding (RFC 2047 section 4.2): `_` is a space, `=XX` a byte; an `=`
/// without two hex digits is kept as it is.
fn q_decode(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while let Some(&c) = text.get(i) {
        match c {
            b'_' => out.push(b' '),
            b'=' => {
                if let (Some(h), Some(l)) = (
                    text.get(i + 1).and_then(|&x| hex(x)),
                    text.get(i + 2).and_then(|&x| hex(x)),
                ) {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
                out.push(c);
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes the encoded words in `text` (see the module docs). Borrowed when
/// there is none and the text is valid UTF-8.
#[must_use]
pub fn decode_text(text: &[u8]) -> Cow<'_, str> {
    decode_text_with_defects(text).0
}

/// [`decode_text`], also reporting what was wrong
/// ([`Defects::BAD_ENCODED_WORD`], [`Defects::INVALID_TEXT`]).
#[must_use]
pub fn decode_text_with_defects(text: &[u8]) -> (Cow<'_, str>, Defects) {
    match decode_text_limited(text, usize::MAX) {
        Ok(r) => r,
        // Unreachable with no limit; fall back to the text itself.
        Err(_) => (String::from_utf8_lossy(text), Defects::INVALID_TEXT),
    }
}

/// The first `=?` in `text` at or after `from`. A search for the `=`
/// alone: on header-sized text it costs less than setting up a substring
/// search, and most values have no `=` at all.
pub(crate) fn find_opener(text: &[u8], from: usize) -> Option<usize> {
    let rest = text.get(from..)?;
    memchr::memchr_iter(b'=', rest)
        .find(|&i| rest.get(i + 1) == Some(&b'?'))
        .map(|i| from + i)
}

/// [`decode_text_with_defects`] with a bound on the decoded size in bytes
/// (see [`crate::Limits::max_decoded_size`]).
///
/// # Errors
/// The decoded text would be longer than `max_decoded_size`.
pub fn decode_text_limited(
    text: &[u8],
    max_decoded_size: usize,
) -> Result<(Cow<'_, str>, Defects), LimitError> {
    let mut defects = Defects::NONE;
    let Some(first) = find_opener(text, 0) else {
        let s = literal(text, &mut defects);
        check(s.len(), max_decoded_size)?;
        return Ok((s, defects));
    };
    let mut out = String::new();
    // Bytes of the current run of words in one charset.
    let mut pending: Option<(Charset, Vec<u8>)> = None;
    let mut literal_start = 0;
    let mut search = first;
    while let Some(at) = find_opener(text, search) {
        let Some((word, end)) = parse_word(text, at) else {
            search = at + 1;
            continue;
        };
        let decoded = word
            .decode_bytes()
            .and_then(|b| Charset::for_label(word.charset).map(|c| (c, b)));
        let Some((charset, bytes)) = decoded else {
            defects |= Defects::BAD_ENCODED_WORD;
            search = at + 1;
            continue;
        };
        let between = text.get(literal_start..at).unwrap_or_default();
        let joins = pending.is_some()
            && between
                .iter()
                .all(|&b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
        if !joins {
            flush(&mut pending, &mut out, &mut defects);
            out.push_str(&literal(between, &mut defects));
        }
        match &mut pending {
            Some((cs, buf)) if cs.name() == charset.name() => buf.extend_from_slice(&bytes),
            _ => {
                flush(&mut pending, &mut out, &mut defects);
                pending = Some((charset, bytes));
            }
        }
        check(
            out.len() + pending.as_ref().map_or(0, |p| p.1.len().saturating_mul(3)),
            max_decoded_size,
        )?;
        literal_start = end;
        search = end;
    }
    flush(&mut pending, &mut out, &mut defects);
    if literal_start == 0 {
        // No word decoded: keep the borrow.
        let s = literal(text, &mut defects);
        check(s.len(), max_decoded_size)?;
        return Ok((s, defects));
    }
    out.push_str(&literal(
        text.get(literal_start..).unwrap_or_default(),
        &mut defects,
    ));
    check(out.len(), max_decoded_size)?;
    Ok((Cow::Owned(out), defects))
}

fn check(len: usize, max: usize) -> Result<(), LimitError> {
    if len > max {
        Err(LimitError::new("max_decoded_size", max as u64))
    } else {
        Ok(())
    }
}

fn literal<'t>(b: &'t [u8], defects: &mut Defects) -> Cow<'t, str> {
    let s = super::lex::text(b);
    if matches!(s, Cow::Owned(_)) {
        *defects |= Defects::INVALID_TEXT;
    }
    s
}

fn flush(pending: &mut Option<(Charset, Vec<u8>)>, out: &mut String, defects: &mut Defects) {
    if let Some((cs, bytes)) = pending.take() {
        let s = cs.decode(&bytes);
        if cs.name() == "UTF-8" && core::str::from_utf8(&bytes).is_err() {
            *defects |= Defects::INVALID_TEXT;
        }
        out.push_str(&s);
    }
}

/// Longest encoded word (RFC 2047 section 2).
pub const MAX_WORD: usize = 75;
/// `=?utf-8?q?` plus `?=`.
pub(crate) const OVERHEAD: usize = 12;
/// Smallest word worth writing: the overhead and room for one four-octet
/// character in Q.
pub(crate) const MIN_WORD: usize = OVERHEAD + 12;

/// Where an encoded word stands, which decides the characters Q encoding
/// may leave unencoded (RFC 2047 section 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodedWordContext {
    /// In unstructured text such as `Subject` (section 5 (1)): printable
    /// ASCII other than `=`, `?` and `_` stays as it is.
    Text,
    /// In a `phrase` such as a display name (section 5 (3)): only letters,
    /// digits and `! * + - /` stay as they are.
    Phrase,
}

fn q_literal(b: u8, ctx: EncodedWordContext) -> bool {
    match ctx {
        EncodedWordContext::Text => b.is_ascii_graphic() && !matches!(b, b'=' | b'?' | b'_'),
        EncodedWordContext::Phrase => {
            b.is_ascii_alphanumeric() || matches!(b, b'!' | b'*' | b'+' | b'-' | b'/')
        }
    }
}

fn q_cost(b: u8, ctx: EncodedWordContext) -> usize {
    if b == b' ' || q_literal(b, ctx) { 1 } else { 3 }
}

fn b_len(octets: usize) -> usize {
    octets.div_ceil(3).saturating_mul(4)
}

/// Length of `s` encoded with `encoding`, word overhead excluded.
pub(crate) fn encoded_len(s: &str, encoding: Encoding, ctx: EncodedWordContext) -> usize {
    match encoding {
        Encoding::Q => s.bytes().map(|b| q_cost(b, ctx)).sum(),
        Encoding::B => b_len(s.len()),
    }
}

/// The shorter encoding of `s` (Q on a tie: it stays readable).
pub(crate) fn choose(s: &str, ctx: EncodedWordContext) -> Encoding {
    if encoded_len(s, Encoding::Q, ctx) <= b_len(s.len()) {
        Encoding::Q
    } else {
        Encoding::B
    }
}

/// Length in octets of the longest prefix of `s` that ends on a character
/// boundary and whose encoded form fits in `budget`; at least one
/// character (a budget of 12 always holds one).
pub(crate) fn fitting_prefix(
    s: &str,
    encoding: Encoding,
    ctx: EncodedWordContext,
    budget: usize,
) -> usize {
    let mut used = 0usize; // Q: encoded length; B: octets
    let mut end = 0usize;
    for (i, c) in s.char_indices() {
        let n = c.len_utf8();
        let next = match encoding {
            Encoding::Q => {
                let mut buf = [0u8; 4];
                used + c
                    .encode_utf8(&mut buf)
                    .bytes()
                    .map(|b| q_cost(b, ctx))
                    .sum::<usize>()
            }
            Encoding::B => used + n,
        };
        let cost = match encoding {
            Encoding::Q => next,
            Encoding::B => b_len(next),
        };
        if cost > budget && i > 0 {
            break;
        }
        used = next;
        end = i + n;
    }
    end
}

/// Appends one encoded word holding all of `piece`.
pub(crate) fn push_word(
    out: &mut Vec<u8>,
    piece: &str,
    encoding: Encoding,
    ctx: EncodedWordContext,
) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    match encoding {
        Encoding::Q => {
            out.extend_from_slice(b"=?utf-8?q?");
            for b in piece.bytes() {
                if b == b' ' {
                    out.push(b'_');
                } else if q_literal(b, ctx) {
                    out.push(b);
                } else {
                    out.push(b'=');
                    out.extend(HEX.get(usize::from(b >> 4)));
                    out.extend(HEX.get(usize::from(b & 15)));
                }
            }
        }
        Encoding::B => {
            out.extend_from_slice(b"=?utf-8?b?");
            let start = out.len();
            out.resize(start + b_len(piece.len()), 0);
            let written = out
                .get_mut(start..)
                .map(|dst| base64::engine::general_purpose::STANDARD.encode_slice(piece, dst));
            if let Some(Ok(n)) = written {
                out.truncate(start + n);
            }
        }
    }
    out.extend_from_slice(b"?=");
}

/// Encodes `text` as UTF-8 encoded words of at most `max_len` characters
/// each (clamped to 24..=75, so a word holds any character), for use where
/// the caller does its own folding. The shorter of Q and B is chosen for
/// the whole text; words are cut between characters, never inside a UTF-8
/// sequence. Decoding the words and concatenating the results gives `text`
/// back exactly. Empty text gives no word.
#[must_use]
pub fn encode_words(text: &str, ctx: EncodedWordContext, max_len: usize) -> Vec<String> {
    encode_words_as(text, choose(text, ctx), ctx, max_len)
}

fn encode_words_as(
    text: &str,
    encoding: Encoding,
    ctx: EncodedWordContext,
    max_len: usize,
) -> Vec<String> {
    let budget = max_len.clamp(MIN_WORD, MAX_WORD) - OVERHEAD;
    let mut words = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let n = fitting_prefix(rest, encoding, ctx, budget);
        let (piece, tail) = rest.split_at_checked(n).unwrap_or((rest, ""));
        let mut w = Vec::with_capacity(MAX_WORD);
        push_word(&mut w, piece, encoding, ctx);
        words.push(String::from_utf8_lossy(&w).into_owned());
        rest = tail;
    }
    words
}

/// Encodes `text` with the given encoding as words of at most 75
/// characters separated by single spaces (where a caller may fold), with
/// the `phrase` safe set of section 5 (3), so the result may stand in a
/// display name as well as in unstructured text. Empty text gives an empty
/// string. [`encode_words`] chooses the encoding itself.
#[must_use]
pub fn encode(text: &str, encoding: Encoding) -> String {
    encode_words_as(text, encoding, EncodedWordContext::Phrase, MAX_WORD).join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        let (w, end) = parse_word(b"x =?utf-8*en?q?a_b?= y", 2).unwrap();
        assert_eq!(w.charset, b"utf-8");
        assert_eq!(w.language, Some(&b"en"[..]));
        assert_eq!(w.encoding, Encoding::Q);
        assert_eq!(end, 20);
        assert!(parse_word(b"=?utf-8?X?a?=", 0).is_none());
        assert!(parse_word(b"=?utf-8?Q?a b?=", 0).is_none());
        assert!(parse_word(b"=??Q?a?=", 0).is_none());
        assert!(parse_word(b"=?utf-8?Q?a?", 0).is_none());
    }

    #[test]
    fn q() {
        assert_eq!(q_decode(b"a_b=3D=3d=zz="), b"a b===zz=");
    }
}
