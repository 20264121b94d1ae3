//! The Received trace field (RFC 5322 section 3.6.7, RFC 5321 section
//! 4.4): clauses (`from`, `by`, `via`, `with`, `id`, `for`, and any other
//! word MTAs add) before the last `;`, and the date after it.
//!
//! A clause is a keyword and the words up to the next keyword; its value
//! is those words with comments removed and one space between them
//! (borrowed when it is a single word); its comments are kept as written
//! (`from mx.example (mx.example [192.0.2.1])` has the value `mx.example`
//! and the comment `mx.example [192.0.2.1]`). Text before the first
//! keyword (`(qmail 1234 invoked by uid 0)`) is kept as the comments of
//! [`Received::preamble`].
//!
//! Leniency: a missing `;` or an unreadable date does not fail the parse;
//! [`Received::date`] is then `None` and [`Defects::MISSING_SEMICOLON`] or
//! [`Defects::INVALID_DATE`] is recorded.

use std::borrow::Cow;

use mail_wire::SyntaxError;

use super::Defects;
use super::date::DateTime;
use super::lex::{self, skip_comment, skip_fws};

/// The keywords that start a clause (RFC 5321 section 4.4).
const KEYWORDS: [&str; 6] = ["from", "by", "via", "with", "id", "for"];

/// One clause of a Received field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedClause<'a> {
    name: Cow<'a, str>,
    value: Cow<'a, str>,
    comments: Vec<Cow<'a, [u8]>>,
}

impl<'a> ReceivedClause<'a> {
    /// The keyword as written.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The words after the keyword, comments removed, one space between.
    #[must_use]
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The comments of the clause, text without parentheses.
    #[must_use]
    pub fn comments(&self) -> &[Cow<'a, [u8]>] {
        &self.comments
    }

    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> ReceivedClause<'static> {
        ReceivedClause {
            name: Cow::Owned(self.name.into_owned()),
            value: Cow::Owned(self.value.into_owned()),
            comments: self
                .comments
                .into_iter()
                .map(|c| Cow::Owned(c.into_owned()))
                .collect(),
        }
    }
}

/// A parsed Received field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received<'a> {
    preamble: Vec<Cow<'a, [u8]>>,
    clauses: Vec<ReceivedClause<'a>>,
    date: Option<DateTime>,
    defects: Defects,
}

impl<'a> Received<'a> {
    /// Parses a raw Received value.
    ///
    /// # Errors
    /// A comment or quoted string is not closed.
    pub fn parse(raw: &'a [u8]) -> Result<Received<'a>, SyntaxError> {
        let mut defects = Defects::NONE;
        // The last ';' outside comments and quoted strings.
        let mut semi = None;
        let mut p = 0;
        while let Some(&b) = raw.get(p) {
            match b {
                b'(' => p = skip_comment(raw, p)?,
                b'"' => p = lex::scan_quoted(raw, p)?,
                b';' => {
                    semi = Some(p);
                    p += 1;
                }
                _ => p += 1,
            }
        }
        let (tokens_end, date) = match semi {
            Some(s) => {
                let date_raw = raw.get(s + 1..).unwrap_or_default();
                let date = match DateTime::parse_with_defects(date_raw) {
                    Ok((d, dd)) => {
                        defects |= dd;
                        Some(d)
                    }
                    Err(_) => {
                        defects |= Defects::INVALID_DATE;
                        None
                    }
                };
                (s, date)
            }
            None => {
                defects |= Defects::MISSING_SEMICOLON;
                (raw.len(), None)
            }
        };
        let head = raw.get(..tokens_end).unwrap_or_default();
        let mut preamble = Vec::new();
        let mut clauses: Vec<ReceivedClause<'a>> = Vec::new();
        // Span of the current clause's value words.
        let mut value: Option<(usize, usize, bool)> = None; // start, end, complex
        let mut p = 0;
        loop {
            let ws = skip_fws(head, p);
            let had_space = ws > p;
            p = ws;
            let Some(&b) = head.get(p) else { break };
            if b == b'(' {
                let (c, e) = lex::comment(head, p)?;
                match clauses.last_mut() {
                    Some(cl) => cl.comments.push(c),
                    None => preamble.push(c),
                }
                if value.is_some() {
                    // A comment inside a value makes it non-contiguous.
                    if let Some(v) = value.as_mut() {
                        v.2 = true;
                    }
                }
                p = e;
                continue;
            }
            // One word: a quoted string, an angle-addr, or a run of
            // anything else up to white space or a comment.
            let start = p;
            let end = match b {
                b'"' => lex::scan_quoted(head, p)?,
                b'<' => memchr::memchr(b'>', head.get(p..).unwrap_or_default())
                    .map_or(head.len(), |i| p + i + 1),
                // A stray CR or LF is a word of its own: it must not glue
                // itself to the next word, or a keyword after it would be
                // read as part of the value (and the collapsed value, where
                // the CR becomes a space, would then read back different).
                b'\r' | b'\n' => p + 1,
                _ => {
                    // Always at least one byte.
                    let rest = head.get(p + 1..).unwrap_or_default();
                    p + 1
                        + rest
                            .iter()
                            .position(|&c| matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'('))
                            .unwrap_or(rest.len())
                }
            };
            let word = head.get(start..end).unwrap_or_default();
            p = end;
            let is_keyword = KEYWORDS
                .iter()
                .any(|k| word.eq_ignore_ascii_case(k.as_bytes()));
            if is_keyword {
                finish(head, &mut clauses, value.take());
                clauses.push(ReceivedClause {
                    name: lex::text(word),
                    value: Cow::Borrowed(""),
                    comments: Vec::new(),
                });
                continue;
            }
            if clauses.is_empty() {
                defects |= Defects::TRAILING_GARBAGE;
                preamble.push(Cow::Borrowed(word));
                continue;
            }
            value = Some(match value {
                None => (start, end, false),
                Some((s, e, complex)) => {
                    let gap = head.get(e..start).unwrap_or_default();
                    (s, end, complex || gap != b" " || !had_space)
                }
            });
        }
        finish(head, &mut clauses, value.take());
        Ok(Received {
            preamble,
            clauses,
            date,
            defects,
        })
    }

    /// The clauses in order.
    #[must_use]
    pub fn clauses(&self) -> &[ReceivedClause<'a>] {
        &self.clauses
    }

    /// Comments and words before the first keyword.
    #[must_use]
    pub fn preamble(&self) -> &[Cow<'a, [u8]>] {
        &self.preamble
    }

    /// The first clause named `name` (case-insensitive).
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&ReceivedClause<'a>> {
        self.clauses
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// The value of the `from` clause (the sending host as it named
    /// itself).
    #[must_use]
    pub fn from(&self) -> Option<&str> {
        self.get("from").map(ReceivedClause::value)
    }

    /// The value of the `by` clause (the receiving host).
    #[must_use]
    pub fn by(&self) -> Option<&str> {
        self.get("by").map(ReceivedClause::value)
    }

    /// The value of the `via` clause.
    #[must_use]
    pub fn via(&self) -> Option<&str> {
        self.get("via").map(ReceivedClause::value)
    }

    /// The value of the `with` clause (the protocol: ESMTP, ESMTPS...).
    #[must_use]
    pub fn with(&self) -> Option<&str> {
        self.get("with").map(ReceivedClause::value)
    }

    /// The value of the `id` clause (the queue id).
    #[must_use]
    pub fn id(&self) -> Option<&str> {
        self.get("id").map(ReceivedClause::value)
    }

    /// The value of the `for` clause (the recipient).
    #[must_use]
    pub fn for_recipient(&self) -> Option<&str> {
        self.get("for").map(ReceivedClause::value)
    }

    /// The date after the `;`, if it could be read.
    #[must_use]
    pub fn date(&self) -> Option<DateTime> {
        self.date
    }

    /// The departures from the grammar accepted while parsing.
    #[must_use]
    pub fn defects(&self) -> Defects {
        self.defects
    }

    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> Received<'static> {
        Received {
            preamble: self
                .preamble
                .into_iter()
                .map(|c| Cow::Owned(c.into_owned()))
                .collect(),
            clauses: self
                .clauses
                .into_iter()
                .map(ReceivedClause::into_owned)
                .collect(),
            date: self.date,
            defects: self.defects,
        }
    }
}

/// Sets the value of the last clause from the span of its words.
fn finish<'a>(
    head: &'a [u8],
    clauses: &mut [ReceivedClause<'a>],
    value: Option<(usize, usize, bool)>,
) {
    let (Some(cl), Some((s, e, complex))) = (clauses.last_mut(), value) else {
        return;
    };
    let span = head.get(s..e).unwrap_or_default();
    if !complex {
        cl.value = lex::text(span);
        return;
    }
    // Drop comments, collapse white space.
    let mut out = Vec::with_capacity(span.len());
    let mut p = 0;
    while let Some(&b) = span.get(p) {
        match b {
            b'(' => {
                p = skip_comment(span, p).unwrap_or(span.len());
                if !out.is_empty() && out.last() != Some(&b' ') {
                    out.push(b' ');
                }
            }
            b' ' | b'\t' | b'\r' | b'\n' => {
                if !out.is_empty() && out.last() != Some(&b' ') {
                    out.push(b' ');
                }
                p += 1;
            }
            _ => {
                out.push(b);
                p += 1;
            }
        }
    }
    while out.last() == Some(&b' ') {
        out.pop();
    }
    cl.value = lex::cow_text(Cow::Owned(out));
}
