//! Folding-aware writing of text and display names with RFC 2047 encoded
//! words.
//!
//! The words themselves come from the encoder of
//! [`crate::header::encoded_word`] (at most 75 characters, Q or B whichever
//! is shorter, never splitting a UTF-8 character); this module decides
//! which parts of a value need them and sizes each word to the room left
//! on the current line. Adjacent words are separated by a single space,
//! which decoders drop (RFC 2047 section 6.2), so the space is also a fold
//! point.

use crate::header::encoded_word::{
    EncodedWordContext, MAX_WORD, MIN_WORD, OVERHEAD, choose, encoded_len, fitting_prefix,
    push_word,
};
use crate::header::lex;

use super::fold::{FieldWriter, SOFT_LIMIT, TooLong};

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
    let encoding = choose(content, ctx);
    let mut rest = content;
    let mut ws = sep;
    let mut word = Vec::with_capacity(MAX_WORD + suffix.len());
    while !rest.is_empty() {
        let room = w.room(ws.len() + suffix.len());
        let fresh = MAX_WORD.min(SOFT_LIMIT.saturating_sub(ws.len() + suffix.len()));
        let whole = OVERHEAD + encoded_len(rest, encoding, ctx);
        // Fill the current line, unless the rest would fit in one word on
        // a fresh line: then fold rather than cut it in two.
        let len = if room >= MIN_WORD && (whole <= room || whole > fresh) {
            room.min(MAX_WORD)
        } else {
            fresh
        };
        let n = fitting_prefix(rest, encoding, ctx, len - OVERHEAD);
        let (piece, tail) = rest.split_at_checked(n).unwrap_or((rest, ""));
        word.clear();
        push_word(&mut word, piece, encoding, ctx);
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
pub(crate) struct Unit {
    pub(crate) ws_start: usize,
    pub(crate) word_start: usize,
    pub(crate) word_end: usize,
}

/// Splits `s` into [`Unit`]s at its SP and HTAB runs.
pub(crate) fn units(s: &[u8]) -> Vec<Unit> {
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
    // Atoms as the header module writes them (atext words separated by
    // single spaces), when the transport can carry them raw, none could be
    // mistaken for an encoded word and each fits on a line.
    let atoms = lex::is_atom_phrase(bytes)
        && (utf8_raw || bytes.is_ascii())
        && !bytes.windows(2).any(|p| p == b"=?")
        && us
            .iter()
            .all(|u| u.word_end - u.word_start + 4 < SOFT_LIMIT);
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
    // Readers decode encoded words inside quoted strings too (see
    // `header::encoded_word`), so text that holds `=?` is not quoted.
    let quotable = bytes
        .iter()
        .all(|&b| b == b' ' || b == b'\t' || b.is_ascii_graphic() || (b >= 0x80 && utf8_raw))
        && !bytes.windows(2).any(|p| p == b"=?");
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
            lex::put_quoted_content(bytes.get(u.word_start..u.word_end).unwrap_or(b""), &mut tok);
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
            for word in
                crate::header::encoded_word::encode_words(&text, EncodedWordContext::Text, max)
            {
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
