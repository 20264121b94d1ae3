//! MIME header fields: Content-Type (RFC 2045 section 5), parameters with
//! RFC 2231 extensions, Content-Disposition (RFC 2183),
//! Content-Transfer-Encoding (RFC 2045 section 6) and Content-Language
//! (RFC 3282).
//!
//! # Parameters
//!
//! [`ContentType::params`] and [`ContentDisposition::params`] list the
//! parameters exactly as written (RFC 2231 sections as separate entries,
//! quotes removed), which is what IMAP BODYSTRUCTURE reports.
//! [`ContentType::param`] looks one up by name and joins RFC 2231
//! continuations (`name*0=`, `name*1*=`, in any order, encoded and plain
//! sections mixed), percent-decodes extended values and keeps their charset
//! and language; [`ParamValue::decoded`] turns the result into text.
//!
//! Duplicates: when a parameter name appears twice, the first occurrence
//! wins (and [`Defects::DUPLICATE_PARAMETER`] is recorded). When both a plain
//! `name=` and an RFC 2231 `name*=` (or `name*0*=`) are present, as MUAs
//! write for old readers, the RFC 2231 one wins, since it is the exact one.
//!
//! # Leniency
//!
//! The media type itself must be well formed (`type "/" subtype`), or the
//! parse fails; RFC 2045 section 5.2 then says to treat the part as
//! `text/plain`, see [`ContentType::text_plain_default`]. Parameters are read
//! the way real mail needs, each departure recorded in [`Defects`]: a
//! missing `;` between parameters, a trailing `;`, unquoted values with
//! spaces or `/` (read up to the next `;`), an unclosed quote (read to the
//! end), unreadable parameters (skipped). A parameter flood is refused with
//! a limit error ([`Limits::max_params`]).

use std::borrow::Cow;

use mail_wire::{LimitError, SyntaxError};

use super::Defects;
use super::lex::{self, skip_cfws, token};
use crate::Limits;

/// Why a MIME field could not be parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MimeError {
    /// The value breaks the grammar where no leniency applies.
    #[error(transparent)]
    Syntax(#[from] SyntaxError),
    /// The value has more parameters than [`Limits::max_params`].
    #[error(transparent)]
    Limit(#[from] LimitError),
}

impl MimeError {
    /// The error as a [`SyntaxError`]: a limit error becomes a syntax error
    /// at `offset` expecting "no more parameters".
    fn into_syntax(self, input: &[u8], offset: usize) -> SyntaxError {
        match self {
            MimeError::Syntax(e) => e,
            MimeError::Limit(_) => {
                SyntaxError::at(input, offset, "no more parameters than Limits::max_params")
            }
        }
    }
}

/// One parameter as written: its attribute name (with any RFC 2231 `*N` /
/// `*` suffix) and its value with quotes and quoted-pairs removed, RFC 2231
/// percent-escapes left as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param<'a> {
    name: Cow<'a, str>,
    value: Cow<'a, [u8]>,
    quoted: bool,
}

impl<'a> Param<'a> {
    /// The attribute as written (case preserved, RFC 2231 suffix included).
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value as written, quotes and quoted-pairs removed, folds
    /// unfolded. May hold 8-bit bytes.
    #[must_use]
    pub fn value(&self) -> &[u8] {
        &self.value
    }

    /// Whether the value was a quoted string.
    #[must_use]
    pub fn is_quoted(&self) -> bool {
        self.quoted
    }

    /// The RFC 2231 reading of the name (section 3 and 4): base name,
    /// section number if any, and whether the value is extended
    /// (`charset'lang'%XX`). A name like `title*0*` gives `("title",
    /// Some(0), true)`.
    #[must_use]
    pub fn rfc2231_name(&self) -> (&str, Option<u32>, bool) {
        split_name(&self.name)
    }

    /// The name and the value, moved out (no copy).
    #[must_use]
    pub fn into_parts(self) -> (Cow<'a, str>, Cow<'a, [u8]>) {
        (self.name, self.value)
    }

    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> Param<'static> {
        Param {
            name: Cow::Owned(self.name.into_owned()),
            value: Cow::Owned(self.value.into_owned()),
            quoted: self.quoted,
        }
    }
}

/// The parameters with RFC 2231 sections joined but not decoded: the
/// form IMAP BODYSTRUCTURE reports (RFC 9051 section 7.5.2 asks servers to
/// return the continuations `foo*0*`, `foo*1*` "as a parameter `foo*`"), so
/// that a client that decodes RFC 2231 still can.
///
/// Parameters without an RFC 2231 name come first, in their order. Then,
/// by base name (case-insensitive, sorted), the RFC 2231 ones: the
/// sections `name*0`, `name*1`... (and a lone `name*`) in numeric order
/// joined into one parameter named `name*` when any section is extended,
/// else `name`. An extended value keeps its `charset'lang'` and
/// percent-escapes; a plain section inside it has its `%` written `%25`,
/// and a plain first section gets an empty `''` prefix, so the joined
/// value is one valid extended value. A name whose sections do not run
/// `0, 1, 2...` without gaps or repeats is listed as written. Dovecot 2.3
/// reports parameters exactly so.
#[must_use]
pub fn join_sections_as_written(params: Vec<Param<'_>>) -> Vec<Param<'_>> {
    let mut out = Vec::with_capacity(params.len());
    let mut sections: Vec<(Vec<u8>, u32, bool, Param<'_>)> = Vec::new();
    for p in params {
        let (base, idx, ext) = split_name(&p.name);
        match (idx, ext) {
            (None, false) => out.push(p),
            (idx, ext) => {
                let key = base.bytes().map(|b| b.to_ascii_lowercase()).collect();
                sections.push((key, idx.unwrap_or(0), ext, p));
            }
        }
    }
    if sections.is_empty() {
        return out;
    }
    sections.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut rest = sections.into_iter().peekable();
    while let Some(first) = rest.next() {
        let mut group = vec![first];
        while let Some(next) = rest.next_if(|s| group.first().is_some_and(|f| f.0 == s.0)) {
            group.push(next);
        }
        let complete = group
            .iter()
            .enumerate()
            .all(|(k, s)| u32::try_from(k).is_ok_and(|k| k == s.1));
        if !complete {
            out.extend(group.into_iter().map(|s| s.3));
            continue;
        }
        let extended = group.iter().any(|s| s.2);
        let first_ext = group.first().is_some_and(|s| s.2);
        let quoted = group.iter().any(|s| s.3.quoted);
        let mut name = group
            .first()
            .map(|s| split_name(&s.3.name).0.to_owned())
            .unwrap_or_default();
        if extended {
            name.push('*');
        }
        let value: Cow<'_, [u8]> = if group.len() == 1 && (first_ext || !extended) {
            group.pop().map(|s| s.3.value).unwrap_or_default()
        } else {
            let mut v = Vec::new();
            if extended && !first_ext {
                v.extend_from_slice(b"''");
            }
            for s in &group {
                if extended && !s.2 {
                    for &b in s.3.value.iter() {
                        if b == b'%' {
                            v.extend_from_slice(b"%25");
                        } else {
                            v.push(b);
                        }
                    }
                } else {
                    v.extend_from_slice(&s.3.value);
                }
            }
            Cow::Owned(v)
        };
        out.push(Param {
            name: Cow::Owned(name),
            value,
            quoted,
        });
    }
    out
}

/// Splits an RFC 2231 attribute into base name, section and extended flag.
fn split_name(name: &str) -> (&str, Option<u32>, bool) {
    let (base, extended) = match name.strip_suffix('*') {
        Some(b) => (b, true),
        None => (name, false),
    };
    if let Some((head, digits)) = base.rsplit_once('*')
        && let Some(n) = section_number(digits)
    {
        return (head, Some(n), extended);
    }
    (base, None, extended)
}

/// `"0" / ("1"-"9" *DIGIT)` (RFC 2231 section 3), at most 9 digits.
fn section_number(digits: &str) -> Option<u32> {
    let b = digits.as_bytes();
    if b.is_empty() || b.len() > 9 || (b.len() > 1 && b.first() == Some(&b'0')) {
        return None;
    }
    b.iter().try_fold(0u32, |acc, &d| {
        if d.is_ascii_digit() {
            acc.checked_mul(10)?.checked_add(u32::from(d - b'0'))
        } else {
            None
        }
    })
}

/// A parameter's value as looked up by name: RFC 2231 sections joined,
/// percent-escapes decoded, charset and language kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamValue<'a> {
    value: Cow<'a, [u8]>,
    charset: Option<Cow<'a, str>>,
    language: Option<Cow<'a, str>>,
    extended: bool,
    defects: Defects,
}

impl<'a> ParamValue<'a> {
    /// The value's bytes: for an RFC 2231 value, the joined and
    /// percent-decoded bytes in [`charset`](Self::charset); otherwise the
    /// value as written, quotes removed.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.value
    }

    /// The RFC 2231 charset, if the value was extended and named one.
    #[must_use]
    pub fn charset(&self) -> Option<&str> {
        self.charset.as_deref()
    }

    /// The RFC 2231 language tag, if given.
    #[must_use]
    pub fn language(&self) -> Option<&str> {
        self.language.as_deref()
    }

    /// Whether the value came from RFC 2231 syntax (`name*=` or sections).
    #[must_use]
    pub fn is_extended(&self) -> bool {
        self.extended
    }

    /// Departures from RFC 2231 met while joining the value.
    #[must_use]
    pub fn defects(&self) -> Defects {
        self.defects
    }

    /// The value as text.
    ///
    /// An RFC 2231 value is decoded from its charset; a charset this crate
    /// does not know (see [`crate::charset::decode`]) and invalid bytes give
    /// U+FFFD replacement characters. A plain value is read as UTF-8
    /// (RFC 6532), and RFC 2047 encoded words in it are decoded: RFC 2047
    /// section 5 forbids them in parameters, but Outlook, Gmail and others
    /// write `filename="=?UTF-8?B?...?="`, and every reader decodes them.
    #[must_use]
    pub fn decoded(&self) -> Cow<'_, str> {
        if let Some(cs) = &self.charset {
            return crate::charset::decode(cs.as_bytes(), &self.value)
                .unwrap_or_else(|| lex::text(&self.value));
        }
        if !self.extended && super::encoded_word::find_opener(&self.value, 0).is_some() {
            return crate::header::encoded_word::decode_text(&self.value);
        }
        lex::text(&self.value)
    }

    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> ParamValue<'static> {
        ParamValue {
            value: Cow::Owned(self.value.into_owned()),
            charset: self.charset.map(|c| Cow::Owned(c.into_owned())),
            language: self.language.map(|c| Cow::Owned(c.into_owned())),
            extended: self.extended,
            defects: self.defects,
        }
    }
}

/// Decodes `%XX` escapes (RFC 2231 section 4); a `%` not followed by two
/// hex digits is kept literally and reported.
fn percent_decode(b: &[u8]) -> (Cow<'_, [u8]>, bool) {
    if !b.contains(&b'%') {
        return (Cow::Borrowed(b), false);
    }
    let mut out = Vec::with_capacity(b.len());
    let mut bad = false;
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%'
            && let (Some(h), Some(l)) = (
                b.get(i + 1).and_then(|&x| hex(x)),
                b.get(i + 2).and_then(|&x| hex(x)),
            )
        {
            out.push(h << 4 | l);
            i += 3;
            continue;
        }
        bad |= c == b'%';
        out.push(c);
        i += 1;
    }
    (Cow::Owned(out), bad)
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Splits `charset'language'value` (RFC 2231 section 4).
#[allow(clippy::type_complexity)]
fn split_extended(v: &[u8]) -> Option<(Option<&[u8]>, Option<&[u8]>, &[u8])> {
    let q1 = memchr::memchr(b'\'', v)?;
    let (cs, rest) = v.split_at_checked(q1)?;
    let rest = rest.get(1..)?;
    let q2 = memchr::memchr(b'\'', rest)?;
    let (lang, rest) = rest.split_at_checked(q2)?;
    let rest = rest.get(1..)?;
    Some((nonempty(cs), nonempty(lang), rest))
}

fn nonempty(s: &[u8]) -> Option<&[u8]> {
    if s.is_empty() { None } else { Some(s) }
}

/// ASCII-only text of a charset or language name (borrowed).
fn ascii_name(b: &[u8]) -> Option<Cow<'_, str>> {
    core::str::from_utf8(b)
        .ok()
        .filter(|s| s.bytes().all(|c| c.is_ascii_graphic()))
        .map(Cow::Borrowed)
}

/// Looks up `name` among `params` (see the module docs for the rules).
fn lookup<'p>(params: &'p [Param<'_>], name: &str) -> Option<ParamValue<'p>> {
    let mut plain: Option<&'p Param<'_>> = None;
    let mut single: Option<&'p Param<'_>> = None;
    let mut sections: Vec<(u32, &'p Param<'_>, bool)> = Vec::new();
    let mut defects = Defects::NONE;
    for p in params {
        let (base, section, ext) = split_name(&p.name);
        if !base.eq_ignore_ascii_case(name) {
            continue;
        }
        match (section, ext) {
            (None, false) => {
                if plain.is_some() {
                    defects |= Defects::DUPLICATE_PARAMETER;
                } else {
                    plain = Some(p);
                }
            }
            (None, true) => {
                if single.is_some() {
                    defects |= Defects::DUPLICATE_PARAMETER;
                } else {
                    single = Some(p);
                }
            }
            (Some(n), ext) => sections.push((n, p, ext)),
        }
    }
    if let Some(p) = single {
        let mut v = extended_value(&p.value, &mut defects);
        v.defects |= defects;
        return Some(v);
    }
    if !sections.is_empty() {
        return Some(join_sections(sections, defects));
    }
    plain.map(|p| ParamValue {
        value: Cow::Borrowed(&p.value),
        charset: None,
        language: None,
        extended: false,
        defects,
    })
}

/// A single extended value `charset'lang'%XX...`.
fn extended_value<'p>(v: &'p [u8], defects: &mut Defects) -> ParamValue<'p> {
    let (charset, language, body) = match split_extended(v) {
        Some((cs, lang, body)) => (cs.and_then(ascii_name), lang.and_then(ascii_name), body),
        None => {
            *defects |= Defects::BAD_RFC2231;
            (None, None, v)
        }
    };
    let (value, bad) = percent_decode(body);
    if bad {
        *defects |= Defects::BAD_RFC2231;
    }
    ParamValue {
        value,
        charset,
        language,
        extended: true,
        defects: *defects,
    }
}

/// Joins RFC 2231 sections (section 3), sorted by number; duplicates keep
/// the first, a gap ends the value.
fn join_sections<'p>(
    mut sections: Vec<(u32, &'p Param<'_>, bool)>,
    mut defects: Defects,
) -> ParamValue<'p> {
    sections.sort_by_key(|s| s.0); // stable: the first of duplicates stays first
    let mut out: Vec<u8> = Vec::new();
    let mut charset = None;
    let mut language = None;
    let mut expected = 0u32;
    for (i, &(n, p, ext)) in sections.iter().enumerate() {
        if n < expected {
            defects |= Defects::DUPLICATE_PARAMETER;
            continue;
        }
        if n != expected {
            defects |= Defects::BAD_RFC2231;
            break;
        }
        expected = n.saturating_add(1);
        let mut body: &[u8] = &p.value;
        if ext && i == 0 {
            match split_extended(body) {
                Some((cs, lang, rest)) => {
                    charset = cs.and_then(ascii_name);
                    language = lang.and_then(ascii_name);
                    body = rest;
                }
                None => defects |= Defects::BAD_RFC2231,
            }
        }
        if ext {
            let (bytes, bad) = percent_decode(body);
            if bad {
                defects |= Defects::BAD_RFC2231;
            }
            out.extend_from_slice(&bytes);
        } else {
            out.extend_from_slice(body);
        }
    }
    if sections.first().is_some_and(|s| s.0 != 0) {
        defects |= Defects::BAD_RFC2231;
    }
    ParamValue {
        value: Cow::Owned(out),
        charset,
        language,
        extended: true,
        defects,
    }
}

/// Skips CFWS; an unclosed comment records a defect and ends the value.
fn cfws(raw: &[u8], pos: usize, defects: &mut Defects) -> Option<usize> {
    match skip_cfws(raw, pos) {
        Ok(p) => Some(p),
        Err(_) => {
            *defects |= Defects::UNCLOSED_COMMENT;
            None
        }
    }
}

/// Whether a parameter (`token [CFWS] "="`) starts at `pos`.
fn looks_like_param(raw: &[u8], pos: usize) -> bool {
    token(raw, pos)
        .and_then(|(_, e)| skip_cfws(raw, e).ok())
        .is_some_and(|p| raw.get(p) == Some(&b'='))
}

/// Reads `*(";" parameter)` (RFC 2045 section 5.1, with the leniencies of
/// the module docs) from `pos` to the end of `raw`.
fn parse_params<'a>(
    raw: &'a [u8],
    mut pos: usize,
    limits: &Limits,
    defects: &mut Defects,
) -> Result<Vec<Param<'a>>, MimeError> {
    let mut params = Vec::new();
    while let Some(p) = cfws(raw, pos, defects) {
        pos = p;
        match raw.get(pos) {
            None => break,
            Some(b';') => {
                let Some(p) = cfws(raw, pos + 1, defects) else {
                    break;
                };
                pos = p;
                match raw.get(pos) {
                    None => {
                        *defects |= Defects::EMPTY_PARAMETER;
                        break;
                    }
                    Some(b';') => {
                        *defects |= Defects::EMPTY_PARAMETER;
                        continue;
                    }
                    Some(_) => {}
                }
            }
            Some(_) => *defects |= Defects::MISSING_SEMICOLON,
        }
        match parse_param(raw, pos, defects) {
            Some((param, end)) => {
                if params.len() >= limits.max_params {
                    return Err(LimitError::new("max_params", limits.max_params as u64).into());
                }
                params.push(param);
                pos = end;
            }
            None => {
                *defects |= Defects::INVALID_PARAMETER;
                // Skip to the next ';' (or the end); never stay in place.
                let rest = raw.get(pos + 1..).unwrap_or_default();
                pos = memchr::memchr(b';', rest).map_or(raw.len(), |i| pos + 1 + i);
            }
        }
    }
    if has_duplicates(&params) {
        *defects |= Defects::DUPLICATE_PARAMETER;
    }
    Ok(params)
}

/// Whether two parameters share a name (case-insensitive), in
/// O(n log n) so that a generous `max_params` cannot make it quadratic.
fn has_duplicates(params: &[Param<'_>]) -> bool {
    if params.len() < 2 {
        return false;
    }
    if params.len() <= 8 {
        // few parameters (the common case): compare pairs, no allocation
        return params.iter().enumerate().any(|(i, a)| {
            params
                .iter()
                .skip(i + 1)
                .any(|b| a.name.eq_ignore_ascii_case(&b.name))
        });
    }
    let lower = |p: &Param<'_>| {
        p.name
            .bytes()
            .map(|b| b.to_ascii_lowercase())
            .collect::<Vec<u8>>()
    };
    let mut names: Vec<Vec<u8>> = params.iter().map(lower).collect();
    names.sort_unstable();
    names.windows(2).any(|w| w.first() == w.get(1))
}

/// Reads one `attribute "=" value` at `pos`.
fn parse_param<'a>(raw: &'a [u8], pos: usize, defects: &mut Defects) -> Option<(Param<'a>, usize)> {
    let (_, name_end) = token(raw, pos)?;
    let p = name_end;
    let p = skip_cfws(raw, p).ok()?;
    if raw.get(p) != Some(&b'=') {
        return None;
    }
    let p = skip_cfws(raw, p + 1).ok()?;
    let name = lex::token_text(raw.get(pos..name_end).unwrap_or_default());
    if raw.get(p) == Some(&b'"') {
        return match lex::quoted_string(raw, p) {
            Ok((value, end)) => Some((
                Param {
                    name,
                    value,
                    quoted: true,
                },
                end,
            )),
            Err(e) if e.found == mail_wire::Found::End => {
                *defects |= Defects::UNTERMINATED_QUOTE;
                let inner = raw.get(p + 1..).unwrap_or_default();
                let inner = trim_end(inner);
                Some((
                    Param {
                        name,
                        value: lex::unescape(inner),
                        quoted: true,
                    },
                    raw.len(),
                ))
            }
            Err(_) => None,
        };
    }
    let tok = token(raw, p);
    if let Some((value, end)) = tok {
        let clean_end = match skip_cfws(raw, end) {
            Ok(after) => match raw.get(after) {
                None | Some(b';') => true,
                Some(_) => looks_like_param(raw, after),
            },
            Err(_) => false,
        };
        if clean_end {
            return Some((
                Param {
                    name,
                    value: Cow::Borrowed(value),
                    quoted: false,
                },
                end,
            ));
        }
    }
    // Lenient: an unquoted value with specials, up to the next ';'.
    let rest = raw.get(p..).unwrap_or_default();
    let stop = memchr::memchr(b';', rest).unwrap_or(rest.len());
    let value = trim_end(rest.get(..stop).unwrap_or_default());
    if value.is_empty() || value.contains(&0) {
        return None;
    }
    *defects |= Defects::UNQUOTED_SPECIALS;
    Some((
        Param {
            name,
            value: lex::unfold(value),
            quoted: false,
        },
        p + stop,
    ))
}

/// Trims trailing WSP, CR and LF.
fn trim_end(b: &[u8]) -> &[u8] {
    let n = b
        .iter()
        .rposition(|&c| !matches!(c, b' ' | b'\t' | b'\r' | b'\n'))
        .map_or(0, |i| i + 1);
    b.get(..n).unwrap_or_default()
}

/// What the push parser needs of a Content-Type value: the media type and
/// subtype (`None` when [`ContentType::parse_with`] would fail), and the
/// whole parse when the parameters matter (a multipart, whose boundary is
/// needed) or may hit `max_params`. Parameters never fail the parse, so
/// for any other value the type and subtype settle it, and the parameters
/// are not read at all: the same answers as [`ContentType::parse_with`],
/// at a fraction of its cost for the common single parts.
pub(crate) struct MediaType<'a> {
    pub(crate) main: &'a [u8],
    pub(crate) sub: &'a [u8],
    pub(crate) full: Option<ContentType<'a>>,
}

/// See [`MediaType`].
///
/// # Errors
/// As [`ContentType::parse_with`].
pub(crate) fn media_type<'a>(raw: &'a [u8], limits: &Limits) -> Result<MediaType<'a>, MimeError> {
    let (main, sub, sub_end) = media_spans(raw)?;
    // Every parameter has its own '=', so with no more '=' than the limit
    // allows parameters, the limit cannot be reached (and a value with no
    // more octets than that has no more '=').
    let rest = raw.get(sub_end..).unwrap_or_default();
    let many = rest.len() > limits.max_params
        && memchr::memchr_iter(b'=', rest)
            .nth(limits.max_params)
            .is_some();
    let full = if many || main.eq_ignore_ascii_case(b"multipart") {
        Some(ContentType::with_params(raw, main, sub, sub_end, limits)?)
    } else {
        None
    };
    Ok(MediaType { main, sub, full })
}

/// `[CFWS] type [CFWS] "/" [CFWS] subtype` at the start of a Content-Type
/// value: the two tokens and where the subtype ends (RFC 2045 section 5.1).
fn media_spans(raw: &[u8]) -> Result<(&[u8], &[u8], usize), MimeError> {
    let main_start = skip_cfws(raw, 0)?;
    let (main, main_end) =
        token(raw, main_start).ok_or_else(|| SyntaxError::at(raw, main_start, "a media type"))?;
    let pos = skip_cfws(raw, main_end)?;
    if raw.get(pos) != Some(&b'/') {
        return Err(SyntaxError::at(raw, pos, "'/' after the media type").into());
    }
    let sub_start = skip_cfws(raw, pos + 1)?;
    let (sub, sub_end) =
        token(raw, sub_start).ok_or_else(|| SyntaxError::at(raw, sub_start, "a media subtype"))?;
    Ok((main, sub, sub_end))
}

/// `Content-Type` (RFC 2045 section 5): a media type and its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentType<'a> {
    main: Cow<'a, str>,
    sub: Cow<'a, str>,
    params: Vec<Param<'a>>,
    defects: Defects,
}

impl<'a> ContentType<'a> {
    /// Parses a raw Content-Type value with the default [`Limits`]; a
    /// parameter flood is reported as a syntax error at the end of the value.
    ///
    /// # Errors
    /// The media type is not `type "/" subtype`, or there are more
    /// parameters than the default [`Limits::max_params`].
    pub fn parse(raw: &'a [u8]) -> Result<Self, SyntaxError> {
        Self::parse_with(raw, &Limits::default()).map_err(|e| e.into_syntax(raw, raw.len()))
    }

    /// Parses a raw Content-Type value.
    ///
    /// # Errors
    /// [`MimeError::Syntax`] when the media type is not `type "/" subtype`
    /// (parameters never fail the parse: see the module docs),
    /// [`MimeError::Limit`] when there are more than `limits.max_params`
    /// parameters.
    pub fn parse_with(raw: &'a [u8], limits: &Limits) -> Result<Self, MimeError> {
        let (main, sub, sub_end) = media_spans(raw)?;
        Self::with_params(raw, main, sub, sub_end, limits)
    }

    /// The Content-Type of `raw` whose type and subtype [`media_spans`]
    /// found: the parameters from `sub_end` on.
    fn with_params(
        raw: &'a [u8],
        main: &'a [u8],
        sub: &'a [u8],
        sub_end: usize,
        limits: &Limits,
    ) -> Result<Self, MimeError> {
        // The type, the subtype and the parameter names are tokens, made
        // text one by one (`token_text`): no check of the whole value.
        let mut defects = Defects::NONE;
        let params = parse_params(raw, sub_end, limits, &mut defects)?;
        Ok(ContentType {
            main: lex::token_text(main),
            sub: lex::token_text(sub),
            params,
            defects,
        })
    }

    /// `text/plain; charset=us-ascii`: what RFC 2045 section 5.2 says a
    /// part without a (valid) Content-Type is.
    #[must_use]
    pub fn text_plain_default() -> ContentType<'static> {
        ContentType {
            main: Cow::Borrowed("text"),
            sub: Cow::Borrowed("plain"),
            params: vec![Param {
                name: Cow::Borrowed("charset"),
                value: Cow::Borrowed(b"us-ascii"),
                quoted: false,
            }],
            defects: Defects::NONE,
        }
    }

    /// `message/rfc822`: the default type of a part of a `multipart/digest`
    /// (RFC 2046 section 5.1.5).
    #[must_use]
    pub fn message_rfc822_default() -> ContentType<'static> {
        ContentType {
            main: Cow::Borrowed("message"),
            sub: Cow::Borrowed("rfc822"),
            params: Vec::new(),
            defects: Defects::NONE,
        }
    }

    /// The media type as written (ASCII; compare case-insensitively).
    #[must_use]
    pub fn main_type(&self) -> &str {
        &self.main
    }

    /// The subtype as written (ASCII; compare case-insensitively).
    #[must_use]
    pub fn sub_type(&self) -> &str {
        &self.sub
    }

    /// Whether this is `main/sub`, case-insensitively.
    #[must_use]
    pub fn is(&self, main: &str, sub: &str) -> bool {
        self.main.eq_ignore_ascii_case(main) && self.sub.eq_ignore_ascii_case(sub)
    }

    /// Whether the media type is `multipart`.
    #[must_use]
    pub fn is_multipart(&self) -> bool {
        self.main.eq_ignore_ascii_case("multipart")
    }

    /// Whether this is an encapsulated message whose body is parsed as a
    /// message: `message/rfc822` (RFC 2046 section 5.2.1) or
    /// `message/global` (RFC 6532 section 3.7).
    #[must_use]
    pub fn is_message(&self) -> bool {
        self.is("message", "rfc822") || self.is("message", "global")
    }

    /// The `boundary` parameter (RFC 2046 section 5.1.1) as written, quotes
    /// removed; the first one if repeated.
    #[must_use]
    pub fn boundary(&self) -> Option<&[u8]> {
        self.params
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case("boundary"))
            .map(|p| &*p.value)
    }

    /// The `charset` parameter, if any.
    #[must_use]
    pub fn charset(&self) -> Option<ParamValue<'_>> {
        self.param("charset")
    }

    /// A parameter by name (case-insensitive), RFC 2231 sections joined and
    /// decoded (see the module docs for precedence).
    #[must_use]
    pub fn param(&self, name: &str) -> Option<ParamValue<'_>> {
        lookup(&self.params, name)
    }

    /// Every parameter in order, as written.
    #[must_use]
    pub fn params(&self) -> &[Param<'a>] {
        &self.params
    }

    /// The departures from the grammar accepted while parsing.
    #[must_use]
    pub fn defects(&self) -> Defects {
        self.defects
    }

    /// The type and subtype as written and the parameters, moved out.
    #[must_use]
    pub fn into_parts(self) -> (Cow<'a, str>, Cow<'a, str>, Vec<Param<'a>>) {
        (self.main, self.sub, self.params)
    }

    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> ContentType<'static> {
        ContentType {
            main: Cow::Owned(self.main.into_owned()),
            sub: Cow::Owned(self.sub.into_owned()),
            params: self.params.into_iter().map(Param::into_owned).collect(),
            defects: self.defects,
        }
    }
}

/// The disposition type of [`ContentDisposition`] (RFC 2183 section 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DispositionType<'a> {
    /// `inline` (section 2.1).
    Inline,
    /// `attachment` (section 2.2).
    Attachment,
    /// Any other token, as written (RFC 2183 says to treat an unknown type
    /// as `attachment`).
    Other(Cow<'a, str>),
}

impl DispositionType<'_> {
    /// The type as a string (`inline`, `attachment`, or the other token).
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            DispositionType::Inline => "inline",
            DispositionType::Attachment => "attachment",
            DispositionType::Other(s) => s,
        }
    }

    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> DispositionType<'static> {
        match self {
            DispositionType::Inline => DispositionType::Inline,
            DispositionType::Attachment => DispositionType::Attachment,
            DispositionType::Other(s) => DispositionType::Other(Cow::Owned(s.into_owned())),
        }
    }
}

/// `Content-Disposition` (RFC 2183): a disposition type and parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentDisposition<'a> {
    kind: DispositionType<'a>,
    written: Cow<'a, str>,
    params: Vec<Param<'a>>,
    defects: Defects,
}

impl<'a> ContentDisposition<'a> {
    /// Parses a raw Content-Disposition value with the default [`Limits`].
    ///
    /// # Errors
    /// The value does not start with a disposition-type token, or holds
    /// more parameters than the default [`Limits::max_params`].
    pub fn parse(raw: &'a [u8]) -> Result<Self, SyntaxError> {
        Self::parse_with(raw, &Limits::default()).map_err(|e| e.into_syntax(raw, raw.len()))
    }

    /// Parses a raw Content-Disposition value.
    ///
    /// # Errors
    /// As [`ContentType::parse_with`].
    pub fn parse_with(raw: &'a [u8], limits: &Limits) -> Result<Self, MimeError> {
        let pos = skip_cfws(raw, 0)?;
        let (kind, pos) =
            token(raw, pos).ok_or_else(|| SyntaxError::at(raw, pos, "a disposition type"))?;
        let written = lex::token_text(kind);
        let kind = if kind.eq_ignore_ascii_case(b"inline") {
            DispositionType::Inline
        } else if kind.eq_ignore_ascii_case(b"attachment") {
            DispositionType::Attachment
        } else {
            DispositionType::Other(lex::token_text(kind))
        };
        let mut defects = Defects::NONE;
        let params = parse_params(raw, pos, limits, &mut defects)?;
        Ok(ContentDisposition {
            kind,
            written,
            params,
            defects,
        })
    }

    /// The disposition type.
    #[must_use]
    pub fn kind(&self) -> &DispositionType<'a> {
        &self.kind
    }

    /// The disposition type as written (case kept: IMAP BODYSTRUCTURE
    /// reports it so).
    #[must_use]
    pub fn kind_as_written(&self) -> &str {
        &self.written
    }

    /// The type as written and the parameters, moved out.
    #[must_use]
    pub fn into_parts(self) -> (Cow<'a, str>, Vec<Param<'a>>) {
        (self.written, self.params)
    }

    /// Whether the type is `inline`.
    #[must_use]
    pub fn is_inline(&self) -> bool {
        self.kind == DispositionType::Inline
    }

    /// Whether the type is `attachment`.
    #[must_use]
    pub fn is_attachment(&self) -> bool {
        self.kind == DispositionType::Attachment
    }

    /// The `filename` parameter (RFC 2183 section 2.3), RFC 2231 joined;
    /// [`ParamValue::decoded`] also decodes RFC 2047 words in it.
    #[must_use]
    pub fn filename(&self) -> Option<ParamValue<'_>> {
        self.param("filename")
    }

    /// The `size` parameter (RFC 2183 section 2.7) in octets, if present
    /// and a number.
    #[must_use]
    pub fn size(&self) -> Option<u64> {
        let v = self.param("size")?;
        let b = v.as_bytes();
        if b.is_empty() || b.len() > 19 {
            return None;
        }
        b.iter().try_fold(0u64, |acc, &d| {
            if d.is_ascii_digit() {
                acc.checked_mul(10)?.checked_add(u64::from(d - b'0'))
            } else {
                None
            }
        })
    }

    /// A parameter by name (case-insensitive), RFC 2231 sections joined.
    #[must_use]
    pub fn param(&self, name: &str) -> Option<ParamValue<'_>> {
        lookup(&self.params, name)
    }

    /// Every parameter in order, as written.
    #[must_use]
    pub fn params(&self) -> &[Param<'a>] {
        &self.params
    }

    /// The departures from the grammar accepted while parsing.
    #[must_use]
    pub fn defects(&self) -> Defects {
        self.defects
    }

    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> ContentDisposition<'static> {
        ContentDisposition {
            kind: self.kind.into_owned(),
            written: Cow::Owned(self.written.into_owned()),
            params: self.params.into_iter().map(Param::into_owned).collect(),
            defects: self.defects,
        }
    }
}

/// `Content-Transfer-Encoding` (RFC 2045 section 6.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContentTransferEncoding<'a> {
    /// `7bit`, also the default when the field is absent.
    SevenBit,
    /// `8bit`.
    EightBit,
    /// `binary`.
    Binary,
    /// `quoted-printable`.
    QuotedPrintable,
    /// `base64`.
    Base64,
    /// Any other token (`x-uuencode`...), as written.
    Other(Cow<'a, str>),
}

impl<'a> ContentTransferEncoding<'a> {
    /// Parses a raw Content-Transfer-Encoding value: one token, with
    /// optional comments and white space around it, matched
    /// case-insensitively.
    ///
    /// # Errors
    /// No token, or anything but CFWS after it.
    pub fn parse(raw: &'a [u8]) -> Result<Self, SyntaxError> {
        let pos = skip_cfws(raw, 0)?;
        let (tok, end) =
            token(raw, pos).ok_or_else(|| SyntaxError::at(raw, pos, "an encoding token"))?;
        let after = skip_cfws(raw, end)?;
        if after != raw.len() {
            return Err(SyntaxError::at(raw, after, "end of the value"));
        }
        Ok(Self::from_token(tok))
    }

    fn from_token(tok: &'a [u8]) -> Self {
        const KNOWN: [(&[u8], ContentTransferEncoding<'static>); 5] = [
            (b"7bit", ContentTransferEncoding::SevenBit),
            (b"8bit", ContentTransferEncoding::EightBit),
            (b"binary", ContentTransferEncoding::Binary),
            (
                b"quoted-printable",
                ContentTransferEncoding::QuotedPrintable,
            ),
            (b"base64", ContentTransferEncoding::Base64),
        ];
        for (name, cte) in KNOWN {
            if tok.eq_ignore_ascii_case(name) {
                return cte;
            }
        }
        ContentTransferEncoding::Other(lex::text(tok))
    }

    /// The canonical (lower-case) name, or the other token as written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            ContentTransferEncoding::SevenBit => "7bit",
            ContentTransferEncoding::EightBit => "8bit",
            ContentTransferEncoding::Binary => "binary",
            ContentTransferEncoding::QuotedPrintable => "quoted-printable",
            ContentTransferEncoding::Base64 => "base64",
            ContentTransferEncoding::Other(s) => s,
        }
    }

    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> ContentTransferEncoding<'static> {
        match self {
            ContentTransferEncoding::SevenBit => ContentTransferEncoding::SevenBit,
            ContentTransferEncoding::EightBit => ContentTransferEncoding::EightBit,
            ContentTransferEncoding::Binary => ContentTransferEncoding::Binary,
            ContentTransferEncoding::QuotedPrintable => ContentTransferEncoding::QuotedPrintable,
            ContentTransferEncoding::Base64 => ContentTransferEncoding::Base64,
            ContentTransferEncoding::Other(s) => {
                ContentTransferEncoding::Other(Cow::Owned(s.into_owned()))
            }
        }
    }
}

/// `Content-Language` (RFC 3282 section 2): a list of language tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentLanguage<'a> {
    tags: Vec<Cow<'a, str>>,
    defects: Defects,
}

impl<'a> ContentLanguage<'a> {
    /// Parses a raw Content-Language value: tags (letters, digits and `-`,
    /// RFC 5646) separated by commas, with CFWS around. Empty elements are
    /// skipped with [`Defects::EMPTY_LIST_ELEMENT`].
    ///
    /// # Errors
    /// Something other than a tag, a comma or CFWS, or no tag at all.
    pub fn parse(raw: &'a [u8]) -> Result<Self, SyntaxError> {
        let mut tags = Vec::new();
        let mut defects = Defects::NONE;
        let mut pos = skip_cfws(raw, 0)?;
        loop {
            let tag_len = raw
                .get(pos..)
                .unwrap_or_default()
                .iter()
                .position(|&b| !(b.is_ascii_alphanumeric() || b == b'-'))
                .unwrap_or(raw.len() - pos);
            if tag_len == 0 {
                if raw.get(pos) == Some(&b',') {
                    defects |= Defects::EMPTY_LIST_ELEMENT;
                } else {
                    return Err(SyntaxError::at(raw, pos, "a language tag"));
                }
            } else {
                tags.push(lex::text(raw.get(pos..pos + tag_len).unwrap_or_default()));
                pos = skip_cfws(raw, pos + tag_len)?;
            }
            match raw.get(pos) {
                None => break,
                Some(b',') => {
                    pos = skip_cfws(raw, pos + 1)?;
                    if pos == raw.len() {
                        defects |= Defects::EMPTY_LIST_ELEMENT;
                        break;
                    }
                }
                Some(_) => return Err(SyntaxError::at(raw, pos, "',' or end of the value")),
            }
        }
        if tags.is_empty() {
            return Err(SyntaxError::at(raw, pos, "a language tag"));
        }
        Ok(ContentLanguage { tags, defects })
    }

    /// The tags in order, as written.
    #[must_use]
    pub fn tags(&self) -> &[Cow<'a, str>] {
        &self.tags
    }

    /// The departures from the grammar accepted while parsing.
    #[must_use]
    pub fn defects(&self) -> Defects {
        self.defects
    }

    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> ContentLanguage<'static> {
        ContentLanguage {
            tags: self
                .tags
                .into_iter()
                .map(|t| Cow::Owned(t.into_owned()))
                .collect(),
            defects: self.defects,
        }
    }
}

/// The URI of a `Content-Location` field (RFC 2557 section 4.2): folds and
/// all white space removed (a URI has none; RFC 2557 lets long URIs be
/// folded anywhere), a comment before the URI skipped. Borrowed when the
/// value needs no change beyond trimming.
#[must_use]
pub fn content_location(raw: &[u8]) -> Cow<'_, str> {
    let start = skip_cfws(raw, 0).unwrap_or(0);
    let body = raw.get(start..).unwrap_or_default();
    let end = body
        .iter()
        .rposition(|&b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        .map_or(0, |i| i + 1);
    let body = body.get(..end).unwrap_or_default();
    if body
        .iter()
        .any(|&b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
    {
        let v: Vec<u8> = body
            .iter()
            .copied()
            .filter(|&b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            .collect();
        lex::cow_text(Cow::Owned(v))
    } else {
        lex::text(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(split_name("title*0*"), ("title", Some(0), true));
        assert_eq!(split_name("title*"), ("title", None, true));
        assert_eq!(split_name("title*12"), ("title", Some(12), false));
        assert_eq!(split_name("title*01"), ("title*01", None, false));
        assert_eq!(split_name("title"), ("title", None, false));
    }

    fn joined(raw: &[u8]) -> Vec<(String, String)> {
        let ct = ContentType::parse(raw).unwrap();
        let (_, _, params) = ct.into_parts();
        join_sections_as_written(params)
            .into_iter()
            .map(|p| {
                let (n, v) = p.into_parts();
                (n.into_owned(), String::from_utf8_lossy(&v).into_owned())
            })
            .collect()
    }

    #[test]
    fn rfc2231_sections_joined_as_written() {
        let j = |a: &str, b: &str| (a.to_owned(), b.to_owned());
        assert_eq!(
            joined(b"application/pdf; name*0*=UTF-8'de'Rechnung%20M%C3%A4rz; name*1*=%202026; name*2=\".pdf\""),
            [j("name*", "UTF-8'de'Rechnung%20M%C3%A4rz%202026.pdf")]
        );
        assert_eq!(
            joined(b"a/b; title*1=\"second\"; x=y; title*0=\"first \""),
            [j("x", "y"), j("title", "first second")]
        );
        assert_eq!(
            joined(b"a/b; t*0*=a; t*2=b"),
            [j("t*0*", "a"), j("t*2", "b")]
        );
        assert_eq!(
            joined(b"a/b; f*=''a%20b; size=5"),
            [j("size", "5"), j("f*", "''a%20b")]
        );
        assert_eq!(joined(b"a/b; t*0=10%; t*1*=x"), [j("t*", "''10%25x")]);
        assert_eq!(joined(b"a/b; T*1=y; t*0=x"), [j("t", "xy")]);
        let d = ContentDisposition::parse(b"INLINE; filename=a").unwrap();
        assert_eq!((d.kind_as_written(), d.is_inline()), ("INLINE", true));
    }

    #[test]
    fn percent() {
        assert_eq!(&*percent_decode(b"a%20b%zz").0, b"a b%zz");
        assert!(percent_decode(b"a%2").1);
    }
}
