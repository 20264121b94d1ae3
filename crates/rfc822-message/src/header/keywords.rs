//! The Keywords field (RFC 5322 section 3.6.5), with the obsolete forms of
//! section 4.1 (`obs-phrase`, `obs-phrase-list`) and UTF-8 of RFC 6532:
//!
//! ```text
//! keywords        = "Keywords:" phrase *("," phrase) CRLF
//! phrase          = 1*word / obs-phrase
//! obs-phrase      = word *(word / "." / CFWS)
//! obs-phrase-list = [phrase / CFWS] *("," [phrase / CFWS])
//! ```
//!
//! Each [`Keyword`] keeps its bytes as written ([`Keyword::raw`]: from its
//! first word to its last, quotes, comments and folds included, borrowed
//! from the value) and its text ([`Keyword::text`]): quoted strings
//! unquoted, comments dropped, one space where white space or comments
//! separated two words, folds removed (section 2.2.3), RFC 2047 encoded
//! words decoded (see [`encoded_word`] for the rules and leniencies,
//! adjacent words joined as section 6.2 says), UTF-8 read. The text is
//! borrowed when it is the raw bytes themselves: words separated by single
//! spaces, no quoted string, comment, fold or encoded word.
//!
//! ```
//! use rfc822_message::header::Keywords;
//!
//! let k = Keywords::parse(b" budget, \"Q3 plan\", =?utf-8?q?r=C3=A9sum=C3=A9?=").unwrap();
//! let texts: Vec<&str> = k.iter().map(|k| k.text()).collect();
//! assert_eq!(texts, ["budget", "Q3 plan", "r\u{e9}sum\u{e9}"]);
//! assert_eq!(k.keywords()[1].raw(), b"\"Q3 plan\"");
//! assert!(k.defects().is_empty());
//! ```
//!
//! # Leniency
//!
//! Recorded in [`Defects`]; [`Keywords::defects`] is empty for a value that
//! follows the grammar of section 3.6.5:
//!
//! - empty elements (`a,,b`, a comma at either end, an empty value), which
//!   `obs-phrase-list` allows: skipped, [`Defects::EMPTY_LIST_ELEMENT`];
//! - a `.` in a keyword (`obs-phrase`, `Mr. Smith`), and controls in a
//!   quoted string (`obs-qtext`): [`Defects::OBSOLETE_SYNTAX`];
//! - other characters no phrase holds unquoted (`@ : ; < > [ ] \ )`, a
//!   control, a leading `.`), as people type them: kept in the keyword,
//!   [`Defects::UNQUOTED_SPECIALS_IN_PHRASE`];
//! - a quoted string without its closing quote: read to the end,
//!   [`Defects::UNTERMINATED_QUOTE`];
//! - a comment without its closing parenthesis: the rest of the value is
//!   ignored, [`Defects::UNCLOSED_COMMENT`];
//! - encoded words that do not decode, text that is not UTF-8:
//!   [`Defects::BAD_ENCODED_WORD`], [`Defects::INVALID_TEXT`].
//!
//! A NUL byte, or a line break that is not a fold, is an error: no reader
//! could tell what the sender meant.

use std::borrow::Cow;

use mail_wire::SyntaxError;

use super::lex::{self, is_atext, skip_fws};
use super::{Defects, encoded_word};

/// One keyword: a `phrase` of the Keywords field.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Keyword<'a> {
    raw: Cow<'a, [u8]>,
    text: Cow<'a, str>,
}

impl<'a> Keyword<'a> {
    /// The keyword as written, from the start of its first word to the end
    /// of its last one: quotes, inner comments and folds included, RFC 2047
    /// encoded words not decoded.
    #[must_use]
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    /// The keyword's text (see the module docs): unquoted, comments
    /// dropped, unfolded, encoded words decoded.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The raw bytes and the text, moved out (no copy).
    #[must_use]
    pub fn into_parts(self) -> (Cow<'a, [u8]>, Cow<'a, str>) {
        (self.raw, self.text)
    }

    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> Keyword<'static> {
        Keyword {
            raw: Cow::Owned(self.raw.into_owned()),
            text: Cow::Owned(self.text.into_owned()),
        }
    }
}

/// The keywords of a Keywords field, in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Keywords<'a> {
    keywords: Vec<Keyword<'a>>,
    defects: Defects,
}

impl<'a> Keywords<'a> {
    /// Parses a Keywords field value (see the module docs): the raw value
    /// after `Keywords:`, folds and all.
    ///
    /// # Errors
    /// The value holds a NUL byte or a line break that is not a fold.
    pub fn parse(raw: &'a [u8]) -> Result<Keywords<'a>, SyntaxError> {
        let mut keywords = Vec::new();
        let mut defects = Defects::NONE;
        let mut p = 0;
        loop {
            let (keyword, end) = element(raw, p, &mut defects)?;
            match keyword {
                Some(k) => keywords.push(k),
                None => defects |= Defects::EMPTY_LIST_ELEMENT,
            }
            if raw.get(end) != Some(&b',') {
                break;
            }
            p = end + 1;
        }
        Ok(Keywords { keywords, defects })
    }

    /// The keywords in order, empty elements left out.
    #[must_use]
    pub fn keywords(&self) -> &[Keyword<'a>] {
        &self.keywords
    }

    /// An iterator over the keywords.
    pub fn iter(&self) -> core::slice::Iter<'_, Keyword<'a>> {
        self.keywords.iter()
    }

    /// How many keywords there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.keywords.len()
    }

    /// Whether there is no keyword.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.keywords.is_empty()
    }

    /// The departures from the grammar accepted while parsing.
    #[must_use]
    pub fn defects(&self) -> Defects {
        self.defects
    }

    /// The keywords, moved out (no copy).
    #[must_use]
    pub fn into_keywords(self) -> Vec<Keyword<'a>> {
        self.keywords
    }

    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> Keywords<'static> {
        Keywords {
            keywords: self.keywords.into_iter().map(Keyword::into_owned).collect(),
            defects: self.defects,
        }
    }
}

impl<'k, 'a> IntoIterator for &'k Keywords<'a> {
    type Item = &'k Keyword<'a>;
    type IntoIter = core::slice::Iter<'k, Keyword<'a>>;

    fn into_iter(self) -> Self::IntoIter {
        self.keywords.iter()
    }
}

/// Parses a Keywords field value: [`Keywords::parse`].
///
/// # Errors
/// As [`Keywords::parse`].
pub fn parse_keywords(raw: &[u8]) -> Result<Keywords<'_>, SyntaxError> {
    Keywords::parse(raw)
}

/// Skips CFWS at `pos`: the position after it and whether a comment was
/// left unclosed (then the position is the end of the value).
fn skip_cfws(raw: &[u8], mut pos: usize) -> Result<(usize, bool), SyntaxError> {
    loop {
        pos = skip_fws(raw, pos);
        if raw.get(pos) != Some(&b'(') {
            return Ok((pos, false));
        }
        match lex::skip_comment(raw, pos) {
            Ok(end) => pos = end,
            // Running off the end is the only error at the end.
            Err(e) if e.offset >= raw.len() => return Ok((raw.len(), true)),
            Err(e) => return Err(e),
        }
    }
}

/// The quoted string at `pos` (which holds `"`): its content (quoted-pairs
/// resolved, folds unfolded), the position after it, and whether the
/// closing quote was missing.
fn quoted<'a>(
    raw: &'a [u8],
    pos: usize,
    defects: &mut Defects,
) -> Result<(Cow<'a, [u8]>, usize, bool), SyntaxError> {
    let mut p = pos + 1;
    let (end, closed) = loop {
        match raw.get(p) {
            None => break (raw.len(), false),
            Some(b'"') => break (p, true),
            Some(b'\\') => match raw.get(p + 1) {
                Some(0) => return Err(SyntaxError::at(raw, p + 1, "a quoted character")),
                // A backslash before a line break quotes nothing (see
                // `lex::unescape`); the line break is judged next.
                Some(b'\r' | b'\n') | None => p += 1,
                Some(_) => p += 2,
            },
            Some(b'\r' | b'\n') => {
                let q = skip_fws(raw, p);
                if q == p {
                    return Err(SyntaxError::at(raw, p, "a fold (CRLF and white space)"));
                }
                p = q;
            }
            Some(0) => return Err(SyntaxError::at(raw, p, "quoted text or '\"'")),
            Some(&b) => {
                if (b < 0x20 && b != b'\t') || b == 0x7f {
                    *defects |= Defects::OBSOLETE_SYNTAX;
                }
                p += 1;
            }
        }
    };
    let inner = raw.get(pos + 1..end).unwrap_or_default();
    let after = if closed { end + 1 } else { end };
    Ok((lex::unescape(inner), after, !closed))
}

/// One element of the list at `pos`, up to (not including) the `,` that
/// ends it or the end of the value: the keyword, `None` when the element
/// is empty, and the position where it ended.
fn element<'a>(
    raw: &'a [u8],
    mut p: usize,
    defects: &mut Defects,
) -> Result<(Option<Keyword<'a>>, usize), SyntaxError> {
    // Start of the first token and end of the last one.
    let mut first: Option<usize> = None;
    let mut last_end = p;
    // The text, built once it stops being the raw span itself.
    let mut built: Option<Vec<u8>> = None;
    loop {
        let (q, unclosed) = skip_cfws(raw, p)?;
        if unclosed {
            *defects |= Defects::UNCLOSED_COMMENT;
        }
        let gap = raw.get(p..q).unwrap_or_default();
        p = q;
        let start = p;
        // The token's text when it is not its bytes (a quoted string).
        let mut content: Option<Cow<'a, [u8]>> = None;
        match raw.get(p) {
            None | Some(b',') => break,
            Some(0) => return Err(SyntaxError::at(raw, p, "a keyword or ','")),
            Some(b'\r' | b'\n') => {
                return Err(SyntaxError::at(raw, p, "a fold (CRLF and white space)"));
            }
            Some(b'"') => {
                let (c, end, unterminated) = quoted(raw, p, defects)?;
                if unterminated {
                    *defects |= Defects::UNTERMINATED_QUOTE;
                }
                content = Some(c);
                p = end;
            }
            Some(&b) if is_atext(b) => p = lex::atom(raw, p).map_or(p + 1, |(_, e)| e),
            Some(&b) => {
                // `.` is obs-phrase after a word; anything else, or a
                // leading dot, no phrase holds.
                if b == b'.' {
                    *defects |= Defects::OBSOLETE_SYNTAX;
                }
                if b != b'.' || first.is_none() {
                    *defects |= Defects::UNQUOTED_SPECIALS_IN_PHRASE;
                }
                p += 1;
            }
        }
        match first {
            None => {
                first = Some(start);
                if content.is_some() {
                    built = Some(Vec::new());
                }
            }
            Some(f) => {
                if built.is_none() && (content.is_some() || !(gap.is_empty() || gap == b" ")) {
                    built = Some(raw.get(f..last_end).unwrap_or_default().to_vec());
                }
            }
        }
        if let Some(out) = &mut built {
            if !gap.is_empty() && !out.is_empty() {
                out.push(b' ');
            }
            match &content {
                Some(c) => out.extend_from_slice(c),
                None => out.extend_from_slice(raw.get(start..p).unwrap_or_default()),
            }
        }
        last_end = p;
    }
    let Some(f) = first else {
        return Ok((None, p));
    };
    let span = raw.get(f..last_end).unwrap_or_default();
    let text = match built {
        None => {
            let (t, d) = encoded_word::decode_text_with_defects(span);
            *defects |= d;
            t
        }
        Some(v) => {
            let (t, d) = encoded_word::decode_text_with_defects(&v);
            *defects |= d;
            match t {
                Cow::Owned(s) => Cow::Owned(s),
                // No word decoded and valid UTF-8: the bytes are the text.
                Cow::Borrowed(_) => lex::cow_text(Cow::Owned(v)),
            }
        }
    };
    Ok((
        Some(Keyword {
            raw: Cow::Borrowed(span),
            text,
        }),
        p,
    ))
}
