//! The lexical tokens of RFC 5322 section 3.2 and RFC 2045 section 5.1.
//!
//! Every function here works on a raw field value (the bytes after `Name:`
//! up to, not including, the final CRLF) and a byte position in it, and
//! returns the position after what it recognised. None allocates unless a
//! value has to be rewritten (quoted-pairs removed, folds unfolded), and then
//! only the value itself.
//!
//! Leniency, documented once here: a fold is CRLF followed by WSP
//! (RFC 5322 section 2.2.3), and also a bare LF followed by WSP, so values
//! from a parser that accepted bare-LF line endings (messages stored on
//! Unix) read the same. A line break at the very end of the input counts as
//! white space too, for callers that hand over the value with its final CRLF.
//! Bytes of 0x80 and above are accepted wherever RFC 6532 allows UTF-8
//! (atext, qtext, ctext); whether they are valid UTF-8 is checked only when
//! a value is turned into text.

use std::borrow::Cow;

use bytes::BufMut;
use mail_wire::SyntaxError;

/// `WSP` (RFC 5234): space or horizontal tab.
#[inline]
#[must_use]
pub fn is_wsp(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// `atext` (RFC 5322 section 3.2.3), extended by RFC 6532 section 3.2 with
/// every non-ASCII byte (UTF-8 is validated later, when text is asked for).
#[inline]
#[must_use]
pub fn is_atext(b: u8) -> bool {
    class(b) & ATEXT != 0
}

/// The set of the ASCII bytes in `chars`, as a bit mask (bit `n` for byte
/// `n`), for a test without a table index or a per-byte search.
const fn ascii_set(mut chars: &[u8]) -> u128 {
    let mut m = 0u128;
    while let Some((&c, rest)) = chars.split_first() {
        if c < 128 {
            m |= 1 << c;
        }
        chars = rest;
    }
    m
}

/// Whether `b` is in the ASCII set `set` (see [`ascii_set`]).
#[inline]
const fn in_set(set: u128, b: u8) -> bool {
    b < 128 && (set >> b) & 1 == 1
}

const ATEXT_ASCII: u128 =
    ascii_set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~");

const TSPECIALS: u128 = ascii_set(b"()<>@,;:\\\"/[]?=");

/// `token` characters: printable US-ASCII but space and `tspecials`.
const TOKEN_CHARS: u128 = {
    let mut m = 0u128;
    let mut b = 0x21u32;
    while b <= 0x7e {
        m |= 1 << b;
        b += 1;
    }
    m & !TSPECIALS
};

/// `tspecials` (RFC 2045 section 5.1).
#[inline]
#[must_use]
pub fn is_tspecial(b: u8) -> bool {
    class(b) & TSPECIAL != 0
}

/// A `token` character (RFC 2045 section 5.1): printable US-ASCII other
/// than space and `tspecials`.
#[inline]
#[must_use]
pub fn is_token_char(b: u8) -> bool {
    class(b) & TOKEN != 0
}

/// Class bits of [`CLASSES`].
const ATEXT: u8 = 1;
const TOKEN: u8 = 2;
const TSPECIAL: u8 = 4;

/// For every byte, which of the sets above it is in: one load per byte in
/// the scanning loops (a variable shift of a 128-bit mask takes several
/// instructions), built at compile time from the masks.
static CLASSES: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut rest: &mut [u8] = &mut t;
    let mut byte = 0u8;
    while let Some((slot, tail)) = rest.split_first_mut() {
        let mut c = 0u8;
        if byte >= 0x80 || in_set(ATEXT_ASCII, byte) {
            c |= ATEXT;
        }
        if in_set(TOKEN_CHARS, byte) {
            c |= TOKEN;
        }
        if in_set(TSPECIALS, byte) {
            c |= TSPECIAL;
        }
        *slot = c;
        rest = tail;
        byte = byte.wrapping_add(1);
    }
    t
};

/// The class bits of `b` (every byte has an entry).
#[inline]
fn class(b: u8) -> u8 {
    CLASSES.get(usize::from(b)).copied().unwrap_or(0)
}

/// Whether a byte must be written as a `quoted-pair` inside a quoted
/// string: `"` and `\` are the printable characters `qtext` leaves out
/// (RFC 5322 section 3.2.4).
#[inline]
#[must_use]
pub fn needs_quoted_pair(b: u8) -> bool {
    b == b'"' || b == b'\\'
}

/// Writes `s` as the content of a quoted string (without the quote marks),
/// each `"` and `\` escaped with a backslash. The caller makes sure `s`
/// holds no CR, LF or NUL.
pub fn put_quoted_content(s: &[u8], out: &mut impl BufMut) {
    for &b in s {
        if needs_quoted_pair(b) {
            out.put_u8(b'\\');
        }
        out.put_u8(b);
    }
}

/// Writes `s` as a `quoted-string` (RFC 5322 section 3.2.4).
pub fn put_quoted(s: &[u8], out: &mut impl BufMut) {
    out.put_u8(b'"');
    put_quoted_content(s, out);
    out.put_u8(b'"');
}

/// Length of `s` written by [`put_quoted`], quote marks included.
#[must_use]
pub fn quoted_len(s: &[u8]) -> usize {
    s.len() + s.iter().filter(|&&b| needs_quoted_pair(b)).count() + 2
}

/// Whether `s` is a `dot-atom-text` (RFC 5322 section 3.2.3): atext runs
/// separated by single dots.
#[must_use]
pub fn is_dot_atom_text(s: &[u8]) -> bool {
    dot_atom(s, 0).is_some_and(|(_, end)| end == s.len())
}

/// Whether `s` reads back unchanged as a `phrase` of atoms: `atext` words
/// separated by single spaces (RFC 5322 section 3.2.5), so that it can be
/// written without quotes.
#[must_use]
pub fn is_atom_phrase(s: &[u8]) -> bool {
    !s.is_empty()
        && s.split(|&b| b == b' ')
            .all(|w| !w.is_empty() && w.iter().all(|&b| is_atext(b)))
}

/// Length of the line break at `pos` if it is part of folding white space:
/// CRLF or bare LF followed by WSP or by the end of the input; 0 otherwise.
#[inline]
fn fold_len(input: &[u8], pos: usize) -> usize {
    let (len, next) = match input.get(pos) {
        Some(b'\r') if input.get(pos + 1) == Some(&b'\n') => (2, input.get(pos + 2)),
        Some(b'\n') => (1, input.get(pos + 1)),
        _ => return 0,
    };
    match next {
        None => len,
        Some(&b) if is_wsp(b) => len,
        Some(_) => 0,
    }
}

/// Skips `FWS` (RFC 5322 section 3.2.2, with `obs-FWS`): any run of WSP and
/// folds. Returns the position after it (`pos` itself if there is none).
#[must_use]
pub fn skip_fws(input: &[u8], mut pos: usize) -> usize {
    loop {
        match input.get(pos) {
            Some(&b) if is_wsp(b) => pos += 1,
            Some(b'\r' | b'\n') => {
                let n = fold_len(input, pos);
                if n == 0 {
                    return pos;
                }
                pos += n;
            }
            _ => return pos,
        }
    }
}

/// Skips one `comment` (RFC 5322 section 3.2.2) starting at `pos`, which
/// must hold `(`. Nested comments and quoted-pairs are handled without
/// recursion, so any depth costs constant stack. Returns the position after
/// the closing `)`.
///
/// # Errors
/// The comment is not closed, or holds NUL or a line break that is not a
/// fold.
pub fn skip_comment(input: &[u8], pos: usize) -> Result<usize, SyntaxError> {
    if input.get(pos) != Some(&b'(') {
        return Err(SyntaxError::at(input, pos, "'(' opening a comment"));
    }
    let mut depth: usize = 0;
    let mut p = pos;
    while let Some(&b) = input.get(p) {
        match b {
            b'(' => {
                depth += 1;
                p += 1;
            }
            b')' => {
                depth -= 1;
                p += 1;
                if depth == 0 {
                    return Ok(p);
                }
            }
            b'\\' => match input.get(p + 1) {
                Some(0 | b'\r' | b'\n') | None => {
                    return Err(SyntaxError::at(input, p + 1, "a quoted character"));
                }
                Some(_) => p += 2,
            },
            b'\r' | b'\n' => {
                let n = fold_len(input, p);
                if n == 0 {
                    return Err(SyntaxError::at(input, p, "comment text or ')'"));
                }
                p += n;
            }
            0 => return Err(SyntaxError::at(input, p, "comment text or ')'")),
            _ => p += 1,
        }
    }
    Err(SyntaxError::at(
        input,
        input.len(),
        "')' closing the comment",
    ))
}

/// Skips `CFWS` (RFC 5322 section 3.2.2): white space, folds and comments,
/// in any mix. Returns the position after it.
///
/// # Errors
/// A comment in the run is malformed (see [`skip_comment`]).
#[inline]
pub fn skip_cfws(input: &[u8], pos: usize) -> Result<usize, SyntaxError> {
    // the common cases inline: nothing to skip, or one space before a token
    match input.get(pos) {
        Some(b' ' | b'\t' | b'\r' | b'\n' | b'(') => {}
        _ => return Ok(pos),
    }
    if input.get(pos) == Some(&b' ')
        && !matches!(
            input.get(pos + 1),
            Some(b' ' | b'\t' | b'\r' | b'\n' | b'(')
        )
    {
        return Ok(pos + 1);
    }
    skip_cfws_run(input, pos)
}

fn skip_cfws_run(input: &[u8], mut pos: usize) -> Result<usize, SyntaxError> {
    loop {
        pos = skip_fws(input, pos);
        if input.get(pos) == Some(&b'(') {
            pos = skip_comment(input, pos)?;
        } else {
            return Ok(pos);
        }
    }
}

/// The text of the comment starting at `pos` (which must hold `(`), without
/// its outer parentheses, quoted-pairs resolved and folds unfolded; nested
/// comments stay in the text with their parentheses. Returns the text and
/// the position after the closing `)`.
///
/// # Errors
/// As [`skip_comment`].
pub fn comment(input: &[u8], pos: usize) -> Result<(Cow<'_, [u8]>, usize), SyntaxError> {
    let end = skip_comment(input, pos)?;
    let inner = input.get(pos + 1..end - 1).unwrap_or_default();
    Ok((unescape(inner), end))
}

/// A `quoted-string` (RFC 5322 section 3.2.4) starting at `pos`, which must
/// hold `"`. Returns its content, with the quotes and the backslash of each
/// quoted-pair removed and the CRLF of each fold removed (the WSP after it
/// stays, as section 3.2.4 says), and the position after the closing quote.
/// The content is borrowed unless something had to be removed.
///
/// A backslash before a line break quotes nothing and is kept as a
/// backslash (a quoted CR or LF would smuggle a line break into the value).
///
/// # Errors
/// No opening or closing quote, NUL inside, or a line break that is not a
/// fold.
pub fn quoted_string(input: &[u8], pos: usize) -> Result<(Cow<'_, [u8]>, usize), SyntaxError> {
    let end = scan_quoted(input, pos)?;
    let inner = input.get(pos + 1..end - 1).unwrap_or_default();
    Ok((unescape(inner), end))
}

/// Finds the end of the quoted string at `pos` (which must hold `"`): the
/// position after its closing quote, without building its content.
///
/// # Errors
/// As [`quoted_string`].
pub fn scan_quoted(input: &[u8], pos: usize) -> Result<usize, SyntaxError> {
    if input.get(pos) != Some(&b'"') {
        return Err(SyntaxError::at(input, pos, "'\"' opening a quoted string"));
    }
    let mut p = pos + 1;
    loop {
        // Jump to the next byte that needs a decision.
        let rest = input.get(p..).unwrap_or_default();
        let Some(i) = rest
            .iter()
            .position(|&b| matches!(b, b'"' | b'\\' | b'\r' | b'\n' | 0))
        else {
            return Err(SyntaxError::at(
                input,
                input.len(),
                "'\"' closing the quoted string",
            ));
        };
        p += i;
        match input.get(p) {
            Some(b'"') => return Ok(p + 1),
            Some(b'\\') => match input.get(p + 1) {
                None => {
                    return Err(SyntaxError::at(
                        input,
                        p + 1,
                        "'\"' closing the quoted string",
                    ));
                }
                Some(0) => return Err(SyntaxError::at(input, p + 1, "a quoted character")),
                Some(b'\r' | b'\n') => p += 1,
                Some(_) => p += 2,
            },
            Some(b'\r' | b'\n') => {
                let n = fold_len(input, p);
                if n == 0 || p + n >= input.len() {
                    return Err(SyntaxError::at(input, p, "quoted text or '\"'"));
                }
                p += n;
            }
            _ => return Err(SyntaxError::at(input, p, "quoted text or '\"'")),
        }
    }
}

/// Resolves quoted-pairs (`\x` -> `x`, except before a line break) and
/// removes every CR and LF, in a quoted string's or a comment's content.
/// Borrowed when there is nothing to do.
#[must_use]
pub fn unescape(inner: &[u8]) -> Cow<'_, [u8]> {
    if !inner.iter().any(|&b| matches!(b, b'\\' | b'\r' | b'\n')) {
        return Cow::Borrowed(inner);
    }
    let mut out = Vec::with_capacity(inner.len());
    let mut it = inner.iter().copied().peekable();
    while let Some(b) = it.next() {
        match b {
            b'\\' => match it.peek() {
                Some(&n) if n != b'\r' && n != b'\n' => {
                    out.push(n);
                    it.next();
                }
                _ => out.push(b'\\'),
            },
            b'\r' | b'\n' => {}
            _ => out.push(b),
        }
    }
    Cow::Owned(out)
}

/// Unfolds a field value (RFC 5322 section 2.2.3). Borrowed when the value
/// has no line break.
///
/// The RFC removes each CRLF that is followed by WSP; this removes every CR
/// and LF byte, which is the same on any value a conforming parser hands
/// over, and guarantees the result never holds a line break (so it can be
/// written back into a header without injecting one).
#[must_use]
pub fn unfold(raw: &[u8]) -> Cow<'_, [u8]> {
    if memchr::memchr2(b'\r', b'\n', raw).is_none() {
        return Cow::Borrowed(raw);
    }
    Cow::Owned(
        raw.iter()
            .copied()
            .filter(|&b| b != b'\r' && b != b'\n')
            .collect(),
    )
}

/// The run of bytes matching `pred` starting at `pos`, if not empty, and
/// the position after it.
#[inline]
fn run(input: &[u8], pos: usize, pred: impl Fn(u8) -> bool) -> Option<(&[u8], usize)> {
    let rest = input.get(pos..)?;
    let n = rest.iter().position(|&b| !pred(b)).unwrap_or(rest.len());
    if n == 0 {
        return None;
    }
    let (word, _) = rest.split_at_checked(n)?;
    Some((word, pos + n))
}

/// An `atom`'s text (RFC 5322 section 3.2.3: `1*atext`, without the
/// surrounding CFWS) at `pos`, and the position after it.
#[must_use]
pub fn atom(input: &[u8], pos: usize) -> Option<(&[u8], usize)> {
    run(input, pos, is_atext)
}

/// A `dot-atom-text` (RFC 5322 section 3.2.3: `1*atext *("." 1*atext)`) at
/// `pos`, and the position after it. A trailing dot is not consumed.
#[must_use]
pub fn dot_atom(input: &[u8], pos: usize) -> Option<(&[u8], usize)> {
    let (_, mut end) = atom(input, pos)?;
    while input.get(end) == Some(&b'.') {
        match atom(input, end + 1) {
            Some((_, e)) => end = e,
            None => break,
        }
    }
    Some((input.get(pos..end)?, end))
}

/// A `token` (RFC 2045 section 5.1) at `pos`, and the position after it.
#[must_use]
pub fn token(input: &[u8], pos: usize) -> Option<(&[u8], usize)> {
    run(input, pos, is_token_char)
}

/// Bytes as text without copying when they are valid UTF-8 (always the case
/// for a token or an ASCII atom); invalid sequences become U+FFFD.
#[inline]
#[must_use]
pub fn text(bytes: &[u8]) -> Cow<'_, str> {
    // from_utf8 first: its ASCII path is much faster than the lossy one's
    match core::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// A MIME token (ASCII, see [`token`]) as text. The tokens mail is full
/// of (media types and subtypes, parameter names, disposition types) are
/// matched, as written, against constants of the same text, which costs
/// less than a UTF-8 check of the bytes; any other token is checked.
#[must_use]
pub(crate) fn token_text(tok: &[u8]) -> Cow<'_, str> {
    let known: &'static str = match tok {
        b"text" => "text",
        b"plain" => "plain",
        b"html" => "html",
        b"multipart" => "multipart",
        b"mixed" => "mixed",
        b"alternative" => "alternative",
        b"related" => "related",
        b"signed" => "signed",
        b"report" => "report",
        b"digest" => "digest",
        b"message" => "message",
        b"rfc822" => "rfc822",
        b"global" => "global",
        b"delivery-status" => "delivery-status",
        b"application" => "application",
        b"octet-stream" => "octet-stream",
        b"pdf" => "pdf",
        b"image" => "image",
        b"png" => "png",
        b"jpeg" => "jpeg",
        b"gif" => "gif",
        b"charset" => "charset",
        b"boundary" => "boundary",
        b"name" => "name",
        b"filename" => "filename",
        b"format" => "format",
        b"delsp" => "delsp",
        b"type" => "type",
        b"protocol" => "protocol",
        b"micalg" => "micalg",
        b"report-type" => "report-type",
        b"size" => "size",
        b"inline" => "inline",
        b"attachment" => "attachment",
        b"Text" => "Text",
        b"Plain" => "Plain",
        b"TEXT" => "TEXT",
        b"PLAIN" => "PLAIN",
        b"Multipart" => "Multipart",
        _ => return text(tok),
    };
    Cow::Borrowed(known)
}

/// [`text`] over a `Cow`, keeping the borrow when there is one.
#[must_use]
pub fn cow_text(bytes: Cow<'_, [u8]>) -> Cow<'_, str> {
    match bytes {
        Cow::Borrowed(b) => text(b),
        Cow::Owned(v) => match String::from_utf8(v) {
            Ok(s) => Cow::Owned(s),
            Err(e) => Cow::Owned(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn character_sets_match_the_grammar() {
        for b in 0..=255u8 {
            let atext =
                b.is_ascii_alphanumeric() || b >= 0x80 || b"!#$%&'*+-/=?^_`{|}~".contains(&b);
            let tspecial = b"()<>@,;:\\\"/[]?=".contains(&b);
            assert_eq!(is_atext(b), atext, "atext {b}");
            assert_eq!(is_tspecial(b), tspecial, "tspecial {b}");
            assert_eq!(
                is_token_char(b),
                (0x21..=0x7e).contains(&b) && !tspecial,
                "token {b}"
            );
        }
    }

    #[test]
    fn fws_and_comments() {
        let v = b" \r\n\t(a (nested \\) ) c)\r\n (x) y";
        assert_eq!(skip_cfws(v, 0).unwrap(), v.len() - 1);
        assert!(skip_cfws(b" (unclosed", 0).is_err());
        assert_eq!(
            skip_fws(b" \r\nx", 0),
            1,
            "CRLF not followed by WSP is no fold"
        );
        assert_eq!(skip_fws(b" \n\tx", 0), 3, "bare LF fold is accepted");
    }

    #[test]
    fn quoted() {
        let (v, end) = quoted_string(b"\"a b\" rest", 0).unwrap();
        assert!(matches!(v, Cow::Borrowed(b"a b")));
        assert_eq!(end, 5);
        let (v, _) = quoted_string(b"\"a\\\"b\r\n c\"", 0).unwrap();
        assert_eq!(&*v, b"a\"b c");
        assert!(quoted_string(b"\"abc", 0).is_err());
        assert!(quoted_string(b"\"a\r\nb\"", 0).is_err());
        assert!(quoted_string(b"\"a\0b\"", 0).is_err());
    }

    #[test]
    fn words() {
        assert_eq!(dot_atom(b"a.b.c. x", 0), Some((&b"a.b.c"[..], 5)));
        assert_eq!(token(b"text/plain", 0), Some((&b"text"[..], 4)));
        assert_eq!(atom(b"(x", 0), None);
        assert_eq!(&*unfold(b"a\r\n b"), b"a b");
        assert!(matches!(unfold(b"a b"), Cow::Borrowed(_)));
        let (c, _) = comment(b"(a (b) \\) c)", 0).unwrap();
        assert_eq!(&*c, b"a (b) ) c");
    }
}
