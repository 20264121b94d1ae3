//! Reading the MIME fields the way BODYSTRUCTURE reports them: media type
//! and subtype as written, `body-fld-param` lists with RFC 2231
//! continuations joined (RFC 9051 section 7.5.2), Content-Transfer-Encoding,
//! Content-Disposition (RFC 2183) and Content-Language (RFC 3282).
//!
//! Built on the RFC 5322 lexer of `rfc822-message` (`header::lex`). The
//! readings of broken values follow Dovecot 2.3 (FINDINGS 3.3, 3.4, 4.1,
//! 4.2): garbage in a parameter list is skipped octet by octet up to the
//! next `;`, so what real servers report for such mail is what we report.

use std::borrow::Cow;

use rfc822_message::header::lex;

/// Parameters as read: attribute and value octets.
pub(crate) type RawParams<'a> = Vec<(Cow<'a, [u8]>, Cow<'a, [u8]>)>;

/// One RFC 2231 section: base name, number, extended, value.
type Section2231<'a> = (&'a [u8], u32, bool, Cow<'a, [u8]>);

/// `CFWS`, or the end of the value if a comment is not closed.
fn skip_lwsp(v: &[u8], pos: usize) -> usize {
    lex::skip_cfws(v, pos).unwrap_or(v.len())
}

/// A MIME `token` (RFC 2045 section 5.1, 8-bit octets allowed as mailers
/// write them); may be empty.
fn mime_token(v: &[u8], pos: usize) -> (&[u8], usize) {
    let rest = v.get(pos..).unwrap_or_default();
    let n = rest
        .iter()
        .position(|&b| !(lex::is_token_char(b) || b >= 0x80))
        .unwrap_or(rest.len());
    (rest.get(..n).unwrap_or_default(), pos + n)
}

/// A Content-Type value read as `type "/" subtype *(";" parameter)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MediaType<'a> {
    /// The type as written; empty when unreadable.
    pub main: &'a [u8],
    /// The subtype as written; empty when missing or unreadable.
    pub sub: &'a [u8],
    /// The parameters, `None` when the type was unreadable (then they are
    /// not read, FINDINGS 3.4).
    pub params: Option<RawParams<'a>>,
    /// The `boundary` parameter.
    pub boundary: Option<Cow<'a, [u8]>>,
}

/// Reads a Content-Type value (RFC 2045 section 5.1). `text` alone is type
/// `text` with an empty subtype; anything else unreadable is an empty type
/// and subtype without parameters (FINDINGS 3.4).
pub(crate) fn content_type(v: &[u8]) -> MediaType<'_> {
    let bad = MediaType {
        main: b"",
        sub: b"",
        params: None,
        boundary: None,
    };
    let pos = skip_lwsp(v, 0);
    let (main, pos) = mime_token(v, pos);
    if main.is_empty() {
        return bad;
    }
    let pos = skip_lwsp(v, pos);
    if pos >= v.len() {
        return MediaType { main, ..bad };
    }
    if v.get(pos) != Some(&b'/') {
        return bad;
    }
    let pos = skip_lwsp(v, pos + 1);
    let (sub, pos) = mime_token(v, pos);
    if sub.is_empty() {
        return bad;
    }
    let pos = skip_lwsp(v, pos);
    let params = parameters(v, pos);
    let boundary = params
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(b"boundary"))
        .map(|(_, v)| v.clone());
    MediaType {
        main,
        sub,
        params: Some(params),
        boundary,
    }
}

/// One `";" attribute "=" value` at `pos`: `Ok(None)` at the end, `Err`
/// with the position where reading stopped when it is not a parameter.
type OneParam<'a> = Result<Option<(&'a [u8], Cow<'a, [u8]>, usize)>, usize>;

fn one_param(v: &[u8], pos: usize) -> OneParam<'_> {
    match v.get(pos) {
        None => return Ok(None),
        Some(b';') => {}
        Some(_) => return Err(pos),
    }
    let pos = skip_lwsp(v, pos + 1);
    if pos >= v.len() {
        return Err(pos);
    }
    let (key, pos) = mime_token(v, pos);
    let pos = skip_lwsp(v, pos);
    if v.get(pos) != Some(&b'=') {
        return Err(pos);
    }
    let pos = skip_lwsp(v, pos + 1);
    let (value, pos): (Cow<'_, [u8]>, usize) = match v.get(pos) {
        None => return Err(pos),
        Some(b'"') => match lex::quoted_string(v, pos) {
            Ok(x) => x,
            // An unclosed quote: the rest of the value.
            Err(_) => (lex::unescape(v.get(pos + 1..).unwrap_or_default()), v.len()),
        },
        // `name==?utf-8?b?...?=`: an unquoted encoded word.
        Some(b'=') => {
            let rest = v.get(pos..).unwrap_or_default();
            let n = rest
                .iter()
                .position(|&b| matches!(b, b';' | b' ' | b'\t' | b'\r' | b'\n'))
                .unwrap_or(rest.len());
            (Cow::Borrowed(rest.get(..n).unwrap_or_default()), pos + n)
        }
        Some(_) => {
            let (t, p) = mime_token(v, pos);
            (Cow::Borrowed(t), p)
        }
    };
    Ok(Some((key, value, skip_lwsp(v, pos))))
}

/// An RFC 2231 parameter section: base name, section number, extended.
fn rfc2231_name(key: &[u8]) -> Option<(&[u8], u32, bool)> {
    let star = memchr::memchr(b'*', key)?;
    let (base, rest) = key.split_at_checked(star)?;
    let mut rest = rest.get(1..).unwrap_or_default();
    if rest.is_empty() {
        // `name*`: one extended value (RFC 2231 section 4).
        return Some((base, 0, true));
    }
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let (num, after) = rest.split_at_checked(digits)?;
    let idx = num.iter().try_fold(0u32, |acc, &d| {
        acc.checked_mul(10)?.checked_add(u32::from(d - b'0'))
    })?;
    rest = after;
    let extended = rest.first() == Some(&b'*');
    if extended {
        rest = rest.get(1..).unwrap_or_default();
    }
    // `name*x` is no RFC 2231 name.
    if !rest.is_empty() || (digits == 0 && !extended) {
        return None;
    }
    Some((base, idx, extended))
}

/// A `body-fld-param` list from `v` at `pos` (just after the media type or
/// disposition type).
///
/// Plain parameters come first, in their order; then the RFC 2231 ones,
/// each name's sections joined in numeric order (RFC 2231 section 3) under
/// `name*` if any section is extended, else `name`. The joined value is not
/// percent-decoded: the name keeps its `*` so the client knows to decode
/// it (RFC 9051 section 7.5.2 asks servers to return the continuations of
/// `foo*0*`, `foo*1*` "as a parameter `foo*`"); a plain section inside an
/// extended value has its `%` escaped. Sections with a gap in their numbers
/// are listed as they are. This is what Dovecot reports (FINDINGS 4.1, 4.2).
pub(crate) fn parameters(v: &[u8], mut pos: usize) -> RawParams<'_> {
    let mut plain = Vec::new();
    let mut sections: Vec<Section2231<'_>> = Vec::new();
    let mut guard = 0usize;
    loop {
        guard += 1;
        if guard > v.len() + 1 {
            break;
        }
        match one_param(v, pos) {
            Ok(None) => break,
            Ok(Some((key, value, next))) => {
                match rfc2231_name(key) {
                    Some((base, idx, ext)) => sections.push((base, idx, ext, value)),
                    None => plain.push((Cow::Borrowed(key), value)),
                }
                pos = next;
            }
            Err(at) => {
                if at >= v.len() {
                    break;
                }
                pos = at + 1;
            }
        }
    }
    if sections.is_empty() {
        return plain;
    }
    sections.sort_by(|a, b| {
        a.0.to_ascii_lowercase()
            .cmp(&b.0.to_ascii_lowercase())
            .then(a.1.cmp(&b.1))
    });
    let mut i = 0;
    while let Some(first) = sections.get(i) {
        let group: Vec<_> = sections
            .get(i..)
            .unwrap_or_default()
            .iter()
            .take_while(|s| s.0.eq_ignore_ascii_case(first.0))
            .collect();
        let n = group.len();
        let complete = group
            .iter()
            .enumerate()
            .all(|(k, s)| u32::try_from(k).is_ok_and(|k| k == s.1));
        let extended = group.iter().any(|s| s.2);
        if complete {
            let mut value = Vec::new();
            if !first.2 && extended {
                value.extend_from_slice(b"''");
            }
            for s in &group {
                if !s.2 && extended {
                    for &b in s.3.iter() {
                        if b == b'%' {
                            value.extend_from_slice(b"%25");
                        } else {
                            value.push(b);
                        }
                    }
                } else {
                    value.extend_from_slice(&s.3);
                }
            }
            let mut name = first.0.to_vec();
            if extended {
                name.push(b'*');
            }
            plain.push((Cow::Owned(name), Cow::Owned(value)));
        } else {
            for s in &group {
                let mut name = s.0.to_vec();
                name.push(b'*');
                name.extend_from_slice(s.1.to_string().as_bytes());
                if s.2 {
                    name.push(b'*');
                }
                plain.push((Cow::Owned(name), s.3.clone()));
            }
        }
        i += n.max(1);
    }
    plain
}

/// A Content-Transfer-Encoding value: one token and nothing else, else
/// `None` (which BODYSTRUCTURE reports as the default `7bit`).
pub(crate) fn encoding(v: &[u8]) -> Option<&[u8]> {
    let pos = skip_lwsp(v, 0);
    let (t, pos) = mime_token(v, pos);
    (!t.is_empty() && skip_lwsp(v, pos) >= v.len()).then_some(t)
}

/// Whether a Content-Transfer-Encoding leaves the octets as they are
/// (`7bit`, `8bit`, `binary`, or none given: RFC 2045 section 6.1).
pub(crate) fn is_identity_cte(v: &[u8]) -> bool {
    encoding(v).is_none_or(|t| {
        t.eq_ignore_ascii_case(b"7bit")
            || t.eq_ignore_ascii_case(b"8bit")
            || t.eq_ignore_ascii_case(b"binary")
    })
}

/// A Content-Disposition value (RFC 2183 section 2): the type as written
/// and its parameters; `None` when there is no type.
pub(crate) fn disposition(v: &[u8]) -> Option<(&[u8], RawParams<'_>)> {
    let pos = skip_lwsp(v, 0);
    let (t, pos) = mime_token(v, pos);
    if t.is_empty() {
        return None;
    }
    let pos = skip_lwsp(v, pos);
    Some((t, parameters(v, pos)))
}

/// A Content-Language value (RFC 3282 section 2): the language tags, comments
/// and white space dropped.
pub(crate) fn languages(v: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut pos = skip_lwsp(v, 0);
    while let Some((tag, next)) = lex::atom(v, pos) {
        out.push(tag);
        pos = skip_lwsp(v, next);
        if v.get(pos) != Some(&b',') {
            break;
        }
        pos = skip_lwsp(v, pos + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[u8]) -> Vec<(String, String)> {
        let ct = content_type(v);
        ct.params
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| {
                (
                    String::from_utf8_lossy(&k).into_owned(),
                    String::from_utf8_lossy(&v).into_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn media_types() {
        let ct = content_type(b"text / plain (a comment) ; charset = \"us-ascii\" (x)");
        assert_eq!((ct.main, ct.sub), (&b"text"[..], &b"plain"[..]));
        assert_eq!(
            names(b"text/plain; charset = \"us-ascii\""),
            [("charset".into(), "us-ascii".into())]
        );
        let t = content_type(b"text");
        assert_eq!((t.main, t.sub, t.params), (&b"text"[..], &b""[..], None));
        let g = content_type(b"!!garbage!!; ===");
        assert_eq!((g.main, g.sub), (&b""[..], &b""[..]));
        assert_eq!(content_type(b"").main, b"");
    }

    #[test]
    fn broken_parameters_are_skipped_to_the_next_semicolon() {
        assert_eq!(
            names(b"text/plain; charset; format=flowed; =novalue"),
            [(String::new(), "novalue".into())]
        );
    }

    #[test]
    fn rfc2231_sections_are_joined_not_decoded() {
        assert_eq!(
            names(b"application/pdf; name*0*=UTF-8'de'Rechnung%20M%C3%A4rz; name*1*=%202026; name*2=\".pdf\""),
            [("name*".into(), "UTF-8'de'Rechnung%20M%C3%A4rz%202026.pdf".into())]
        );
        assert_eq!(
            names(b"a/b; title*1=\"second\"; x=y; title*0=\"first \""),
            [
                ("x".into(), "y".into()),
                ("title".into(), "first second".into())
            ]
        );
        assert_eq!(
            names(b"a/b; t*0*=a; t*2=b"),
            [("t*0*".into(), "a".into()), ("t*2".into(), "b".into())]
        );
        assert_eq!(
            names(b"a/b; f*=''a%20b; size=5"),
            [("size".into(), "5".into()), ("f*".into(), "''a%20b".into())]
        );
        assert_eq!(
            names(b"a/b; t*0=10%; t*1*=x"),
            [("t*".into(), "''10%25x".into())]
        );
    }

    #[test]
    fn small_fields() {
        assert_eq!(encoding(b" Base64 "), Some(&b"Base64"[..]));
        assert_eq!(encoding(b"base64 junk"), None);
        assert!(is_identity_cte(b"8BIT"));
        assert!(!is_identity_cte(b"quoted-printable"));
        assert_eq!(languages(b"en-GB, fr"), [&b"en-GB"[..], b"fr"]);
        assert_eq!(languages(b"(comment) de"), [&b"de"[..]]);
        let (t, p) = disposition(b"INLINE").unwrap();
        assert_eq!((t, p.len()), (&b"INLINE"[..], 0));
    }
}
