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
//! [`encode`] writes UTF-8 text as encoded words of at most 75 characters,
//! split on character boundaries, for the builder.

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
    let Some(first) = memchr::memmem::find(text, b"=?") else {
        let s = literal(text, &mut defects);
        check(s.len(), max_decoded_size)?;
        return Ok((s, defects));
    };
    let mut out = String::new();
    // Bytes of the current run of words in one charset.
    let mut pending: Option<(Charset, Vec<u8>)> = None;
    let mut literal_start = 0;
    let mut search = first;
    let finder = memchr::memmem::Finder::new(b"=?");
    while let Some(i) = text.get(search..).and_then(|r| finder.find(r)) {
        let at = search + i;
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
    let s = String::from_utf8_lossy(b);
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
const MAX_WORD: usize = 75;

/// Encodes `text` as UTF-8 encoded words of at most 75 characters each,
/// separated by single spaces (where a caller may fold), never splitting a
/// character. [`Encoding::Q`] escapes everything but letters, digits and
/// `!*+-/` (the safe set of section 5 (3), usable in phrases too).
/// Empty text gives an empty string.
#[must_use]
pub fn encode(text: &str, encoding: Encoding) -> String {
    const PREFIX_B: &str = "=?UTF-8?B?";
    const PREFIX_Q: &str = "=?UTF-8?Q?";
    let budget = MAX_WORD - PREFIX_B.len() - 2;
    let mut out = String::new();
    let mut chunk = String::new();
    let mut chunk_len = 0; // encoded length of chunk
    let emit = |out: &mut String, chunk: &str| {
        if !out.is_empty() {
            out.push(' ');
        }
        match encoding {
            Encoding::B => {
                out.push_str(PREFIX_B);
                out.push_str(&base64::engine::general_purpose::STANDARD.encode(chunk));
            }
            Encoding::Q => {
                out.push_str(PREFIX_Q);
                for &b in chunk.as_bytes() {
                    q_push(out, b);
                }
            }
        }
        out.push_str("?=");
    };
    for c in text.chars() {
        let mut buf = [0u8; 4];
        let bytes = c.encode_utf8(&mut buf).as_bytes();
        let added = match encoding {
            // Base64 length of chunk + c.
            Encoding::B => (chunk.len() + bytes.len()).div_ceil(3) * 4 - chunk_len,
            Encoding::Q => bytes.iter().map(|&b| q_len(b)).sum(),
        };
        if chunk_len + added > budget && !chunk.is_empty() {
            emit(&mut out, &chunk);
            chunk.clear();
            let again = match encoding {
                Encoding::B => bytes.len().div_ceil(3) * 4,
                Encoding::Q => added,
            };
            chunk.push(c);
            chunk_len = again;
            continue;
        }
        chunk.push(c);
        chunk_len += added;
    }
    if !chunk.is_empty() {
        emit(&mut out, &chunk);
    }
    out
}

fn q_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!*+-/".contains(&b)
}

fn q_len(b: u8) -> usize {
    if q_safe(b) || b == b' ' { 1 } else { 3 }
}

fn q_push(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    if q_safe(b) {
        out.push(char::from(b));
    } else if b == b' ' {
        out.push('_');
    } else {
        out.push('=');
        out.push(char::from(
            HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'),
        ));
        out.push(char::from(
            HEX.get(usize::from(b & 0xf)).copied().unwrap_or(b'0'),
        ));
    }
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
