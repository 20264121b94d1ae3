//! RFC 2047 encoded words: encoding only.
//!
//! An encoded word is `=?utf-8?q?...?=` or `=?utf-8?b?...?=`, at most 75
//! characters (RFC 2047 section 2). For each run of text the shorter of the
//! Q and B encodings is chosen; the run is cut into words only between
//! characters, never inside a UTF-8 sequence, and adjacent words are
//! separated by a single space, which decoders drop (section 6.2), so the
//! space is also a fold point.

use base64::Engine as _;

use super::fold::{FieldWriter, SOFT_LIMIT, TooLong};

/// Longest encoded word (RFC 2047 section 2).
pub(crate) const MAX_WORD: usize = 75;
/// `=?utf-8?q?` plus `?=`.
const OVERHEAD: usize = 12;
/// Smallest word worth starting on a partly filled line: the overhead and
/// room for one four-octet character in Q.
const MIN_WORD: usize = OVERHEAD + 12;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    Q,
    B,
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

fn encoded_len(s: &str, scheme: Scheme, ctx: EncodedWordContext) -> usize {
    match scheme {
        Scheme::Q => s.bytes().map(|b| q_cost(b, ctx)).sum(),
        Scheme::B => b_len(s.len()),
    }
}

fn choose(s: &str, ctx: EncodedWordContext) -> Scheme {
    let q: usize = s.bytes().map(|b| q_cost(b, ctx)).sum();
    if q <= b_len(s.len()) {
        Scheme::Q
    } else {
        Scheme::B
    }
}

/// Length in octets of the longest prefix of `s` that ends on a character
/// boundary and whose encoded form fits in `budget`; at least one
/// character (a budget of 12 always holds one).
fn fitting_prefix(s: &str, scheme: Scheme, ctx: EncodedWordContext, budget: usize) -> usize {
    let mut used = 0usize; // Q: encoded length; B: octets
    let mut end = 0usize;
    for (i, c) in s.char_indices() {
        let n = c.len_utf8();
        let next = match scheme {
            Scheme::Q => {
                let mut buf = [0u8; 4];
                used + c
                    .encode_utf8(&mut buf)
                    .bytes()
                    .map(|b| q_cost(b, ctx))
                    .sum::<usize>()
            }
            Scheme::B => used + n,
        };
        let cost = match scheme {
            Scheme::Q => next,
            Scheme::B => b_len(next),
        };
        if cost > budget && i > 0 {
            break;
        }
        used = next;
        end = i + n;
    }
    end
}

fn push_word(out: &mut Vec<u8>, piece: &str, scheme: Scheme, ctx: EncodedWordContext) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    match scheme {
        Scheme::Q => {
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
        Scheme::B => {
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

/// Encodes `text` as a sequence of encoded words of at most `max_len`
/// characters each (clamped to 24..=75, so a word holds any character), for use where the caller does its
/// own folding. Decoding the words and concatenating the results gives
/// `text` back exactly.
#[must_use]
pub fn encode_words(text: &str, ctx: EncodedWordContext, max_len: usize) -> Vec<String> {
    let budget = max_len.clamp(MIN_WORD, MAX_WORD) - OVERHEAD;
    let scheme = choose(text, ctx);
    let mut words = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let n = fitting_prefix(rest, scheme, ctx, budget);
        let (piece, tail) = rest.split_at_checked(n).unwrap_or((rest, ""));
        let mut w = Vec::with_capacity(MAX_WORD);
        push_word(&mut w, piece, scheme, ctx);
        words.push(String::from_utf8_lossy(&w).into_owned());
        rest = tail;
    }
    words
}

/// Writes `content` as encoded words, the first after the whitespace `sep`
/// and the rest after one space each. The first word is sized to fill the
/// current line when there is room for a useful word.
///
/// `suffix` (at most 3 octets, such as `,` or `:;`) is appended to the
/// last word and counted in its line.
pub(crate) fn write_run(
    w: &mut FieldWriter<'_>,
    sep: &[u8],
    content: &str,
    ctx: EncodedWordContext,
    suffix: &[u8],
) -> Result<(), TooLong> {
    let scheme = choose(content, ctx);
    let mut rest = content;
    let mut ws = sep;
    let mut word = Vec::with_capacity(MAX_WORD + suffix.len());
    while !rest.is_empty() {
        let room = w.room(ws.len() + suffix.len());
        let fresh = MAX_WORD.min(SOFT_LIMIT.saturating_sub(ws.len() + suffix.len()));
        let whole = OVERHEAD + encoded_len(rest, scheme, ctx);
        // Fill the current line, unless the rest would fit in one word on
        // a fresh line: then fold rather than cut it in two.
        let len = if room >= MIN_WORD && (whole <= room || whole > fresh) {
            room.min(MAX_WORD)
        } else {
            fresh
        };
        let n = fitting_prefix(rest, scheme, ctx, len - OVERHEAD);
        let (piece, tail) = rest.split_at_checked(n).unwrap_or((rest, ""));
        word.clear();
        push_word(&mut word, piece, scheme, ctx);
        if tail.is_empty() {
            word.extend_from_slice(suffix);
        }
        w.token(ws, &word)?;
        rest = tail;
        ws = b" ";
    }
    Ok(())
}

/// One whitespace-separated word of a text: `ws` is the whitespace before
/// it (empty only at the very start), `word` may be empty only at the end
/// (trailing whitespace).
struct Unit {
    ws_start: usize,
    word_start: usize,
    word_end: usize,
}

fn units(s: &[u8]) -> Vec<Unit> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let ws_start = i;
        while matches!(s.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        let word_start = i;
        while s.get(i).is_some_and(|b| !matches!(b, b' ' | b'\t')) {
            i += 1;
        }
        out.push(Unit {
            ws_start,
            word_start,
            word_end: i,
        });
    }
    out
}

/// A word that cannot be written as it is: controls (CR and LF included,
/// should one ever get here), DEL, non-ASCII unless raw UTF-8 is allowed,
/// or text that a decoder could mistake for an encoded word.
fn word_needs_encoding(word: &[u8], utf8_raw: bool) -> bool {
    word.iter()
        .any(|&b| b < 0x20 || b == 0x7f || (b >= 0x80 && !utf8_raw))
        || word.windows(2).any(|p| p == b"=?")
}

/// Longest whitespace run kept as a fold point; longer runs are encoded.
const MAX_WS: usize = 8;

/// Writes unstructured text (RFC 5322 section 3.2.5) after the field name:
/// plain words stay as they are, with their whitespace, and fold before
/// it; words that need it (see [`word_needs_encoding`]), leading or
/// trailing whitespace, and words too long for a line are encoded, with
/// the whitespace between neighbouring encoded words inside the encoding
/// so that decoding gives the text back exactly.
pub(crate) fn write_unstructured(
    w: &mut FieldWriter<'_>,
    text: &str,
    utf8_raw: bool,
) -> Result<(), TooLong> {
    let bytes = text.as_bytes();
    let us = units(bytes);
    let last = us.len().saturating_sub(1);
    let enc: Vec<bool> = us
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let ws = u.word_start - u.ws_start;
            let word = bytes.get(u.word_start..u.word_end).unwrap_or(b"");
            (i == 0 && ws > 0)
                || (i == last && word.is_empty())
                || ws > MAX_WS
                || ws.max(1) + word.len() > SOFT_LIMIT
                || word_needs_encoding(word, utf8_raw)
        })
        .collect();
    // Trailing whitespace is encoded together with the word before it, so
    // that the run is not whitespace alone (its separator would eat it).
    let mut enc = enc;
    if us.last().is_some_and(|u| u.word_start == u.word_end)
        && let Some(e) = last.checked_sub(1).and_then(|k| enc.get_mut(k))
    {
        *e = true;
    }
    let mut i = 0;
    while let Some(u) = us.get(i) {
        if enc.get(i) != Some(&true) {
            let ws = if i == 0 {
                b" " as &[u8]
            } else {
                bytes.get(u.ws_start..u.word_start).unwrap_or(b" ")
            };
            w.token(ws, bytes.get(u.word_start..u.word_end).unwrap_or(b""))?;
            i += 1;
            continue;
        }
        let mut j = i;
        while enc.get(j) == Some(&true) {
            j += 1;
        }
        let end = us.get(j - 1).map_or(bytes.len(), |u| u.word_end);
        // The separator before the run: the conventional space after the
        // colon for the first unit, else the first whitespace character,
        // which decoders keep between plain text and an encoded word.
        let (sep, start) = if i == 0 {
            (b" " as &[u8], 0)
        } else {
            (
                bytes.get(u.ws_start..=u.ws_start).unwrap_or(b" "),
                u.ws_start + 1,
            )
        };
        if let Some(content) = text.get(start..end) {
            write_run(w, sep, content, EncodedWordContext::Text, b"")?;
        }
        i = j;
    }
    Ok(())
}

/// Writes a display name (`phrase`, RFC 5322 section 3.2.5) after the
/// whitespace `sep`: as atoms if it is atoms separated by single spaces, else
/// as a quoted string folded at its whitespace, else (controls, non-ASCII
/// without SMTPUTF8, or a piece too long for a line) as encoded words.
/// `suffix` is appended to the last token (see [`write_run`]).
pub(crate) fn write_phrase(
    w: &mut FieldWriter<'_>,
    sep: &[u8],
    name: &str,
    utf8_raw: bool,
    suffix: &[u8],
) -> Result<(), TooLong> {
    let bytes = name.as_bytes();
    let us = units(bytes);
    let atoms = !us.is_empty()
        && us.iter().enumerate().all(|(i, u)| {
            let ws = bytes.get(u.ws_start..u.word_start).unwrap_or(b"");
            let word = bytes.get(u.word_start..u.word_end).unwrap_or(b"");
            (if i == 0 { ws.is_empty() } else { ws == b" " })
                && !word.is_empty()
                && word.len() + 4 < SOFT_LIMIT
                && word
                    .iter()
                    .all(|&b| super::value::is_atext(b) || (b >= 0x80 && utf8_raw))
                && !word.windows(2).any(|p| p == b"=?")
        });
    if atoms {
        let mut ws = sep;
        let last = us.len().saturating_sub(1);
        for (i, u) in us.iter().enumerate() {
            let word = bytes.get(u.word_start..u.word_end).unwrap_or(b"");
            if i == last {
                let mut tok = word.to_vec();
                tok.extend_from_slice(suffix);
                w.token(ws, &tok)?;
            } else {
                w.token(ws, word)?;
            }
            ws = b" ";
        }
        return Ok(());
    }
    let quotable = bytes
        .iter()
        .all(|&b| b == b' ' || b == b'\t' || b.is_ascii_graphic() || (b >= 0x80 && utf8_raw));
    if quotable {
        // Pieces: whitespace before each word, the word escaped; the quote
        // marks open the first piece and close the last.
        let mut pieces: Vec<(&[u8], Vec<u8>)> = Vec::with_capacity(us.len().max(1));
        for (i, u) in us.iter().enumerate() {
            let mut tok = Vec::new();
            let ws = bytes.get(u.ws_start..u.word_start).unwrap_or(b"");
            let ws = if i == 0 {
                tok.push(b'"');
                tok.extend_from_slice(ws);
                sep
            } else {
                ws
            };
            for &b in bytes.get(u.word_start..u.word_end).unwrap_or(b"") {
                if b == b'"' || b == b'\\' {
                    tok.push(b'\\');
                }
                tok.push(b);
            }
            pieces.push((ws, tok));
        }
        match pieces.last_mut() {
            Some((_, tok)) => tok.push(b'"'),
            None => pieces.push((sep, b"\"\"".to_vec())),
        }
        if let Some((_, tok)) = pieces.last_mut() {
            tok.extend_from_slice(suffix);
        }
        if pieces
            .iter()
            .all(|(ws, tok)| ws.len() + tok.len() <= SOFT_LIMIT)
        {
            for (ws, tok) in &pieces {
                w.token(ws, tok)?;
            }
            return Ok(());
        }
    }
    write_run(w, sep, name, EncodedWordContext::Phrase, suffix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::fold::LineEnding;

    fn field(f: impl FnOnce(&mut FieldWriter<'_>)) -> String {
        let mut out = Vec::new();
        let mut w = FieldWriter::new(&mut out, "Subject", LineEnding::CrLf);
        f(&mut w);
        w.finish();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn plain_ascii_is_left_alone() {
        let s = field(|w| write_unstructured(w, "Hello  world\tagain", false).unwrap());
        assert_eq!(s, "Subject: Hello  world\tagain\r\n");
    }

    #[test]
    fn rfc2047_style_words() {
        // Short words: B is shorter than Q.
        let s = field(|w| write_unstructured(w, "Grüße aus Köln", false).unwrap());
        assert_eq!(
            s,
            "Subject: =?utf-8?b?R3LDvMOfZQ==?= aus =?utf-8?b?S8O2bG4=?=\r\n"
        );
        // Mostly ASCII: Q is shorter; the space between two encoded words
        // is inside the encoding.
        let s = field(|w| {
            write_unstructured(w, "Rückmeldung zur Bestellung für Übermorgen", false).unwrap()
        });
        assert_eq!(
            s,
            "Subject: =?utf-8?q?R=C3=BCckmeldung?= zur Bestellung\r\n =?utf-8?q?f=C3=BCr_=C3=9Cbermorgen?=\r\n"
        );
        // Mostly non-ASCII: B is shorter.
        let s = field(|w| write_unstructured(w, "日本語のテキスト", false).unwrap());
        assert!(s.starts_with("Subject: =?utf-8?b?"), "{s}");
        // Text that looks like an encoded word is itself encoded.
        let s = field(|w| write_unstructured(w, "=?x?q?y?=", false).unwrap());
        assert_eq!(s, "Subject: =?utf-8?b?PT94P3E/eT89?=\r\n");
        // Leading and trailing whitespace survive.
        let s = field(|w| write_unstructured(w, " a ", false).unwrap());
        assert_eq!(s, "Subject: =?utf-8?q?_a_?=\r\n");
    }

    #[test]
    fn words_are_at_most_75_and_whole_characters() {
        let text = "é".repeat(100) + &"😀".repeat(50);
        for max in [16, 24, 40, 75, 200] {
            for word in encode_words(&text, EncodedWordContext::Text, max) {
                assert!(word.len() <= max.clamp(24, 75), "{word}");
            }
        }
        let s = field(|w| write_unstructured(w, &text, false).unwrap());
        for line in s.split("\r\n") {
            assert!(line.len() <= 78, "{line}");
        }
    }

    #[test]
    fn phrases() {
        let p = |name: &str| {
            let mut out = Vec::new();
            let mut w = FieldWriter::new(&mut out, "From", LineEnding::CrLf);
            write_phrase(&mut w, b" ", name, false, b"").unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(p("John Doe"), "From: John Doe");
        assert_eq!(p("Joe Q. Public"), "From: \"Joe Q. Public\"");
        assert_eq!(p("a \"b\" \\c"), "From: \"a \\\"b\\\" \\\\c\"");
        assert_eq!(p(""), "From: \"\"");
        assert_eq!(p("Zoë"), "From: =?utf-8?q?Zo=C3=AB?=");
        assert_eq!(p("a=b"), "From: a=b");
    }
}
