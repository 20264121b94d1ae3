//! The address grammar of RFC 5321 section 4.1.2 and 4.1.3, with the UTF-8
//! extensions of RFC 6531 section 3.3.
//!
//! Scanners take a `&str` (so UTF-8 is already validated: any byte >= 0x80
//! belongs to a well-formed non-ASCII character) and a start offset, and
//! return the value with the offset just past it. Errors carry offsets into
//! that same string.

use std::net::{Ipv4Addr, Ipv6Addr};

use mail_wire::SyntaxError;

use crate::parse::chars;

use crate::types::host::{
    AddressLiteral, Domain, GeneralLiteral, Host, MAX_DOMAIN_LEN, MAX_LABEL_LEN,
};
use crate::types::local_part::{LocalPart, MAX_LOCAL_PART_LEN};
use crate::types::path::{AddressError, ForwardPath, MAX_PATH_LEN, Mailbox, Path, ReversePath};

/// RFC 5322 `atext` (section 3.2.3), plus UTF-8 (RFC 6531 `atext =/
/// UTF8-non-ascii`).
pub(crate) fn is_atext(c: u8) -> bool {
    chars::is(c, chars::ATEXT)
}

/// RFC 5321 `qtextSMTP` plus UTF-8.
fn is_qtext(c: u8) -> bool {
    chars::is(c, chars::QTEXT)
}

#[cold]
#[inline(never)]
fn err(s: &str, at: usize, expected: &'static str) -> AddressError {
    AddressError::Syntax(SyntaxError::at(s.as_bytes(), at, expected))
}

/// `Dot-string = Atom *("." Atom)` from `start`; returns its end.
#[inline]
fn scan_dot_string(s: &str, start: usize) -> Result<usize, AddressError> {
    let b = s.as_bytes();
    let mut i = start;
    loop {
        let atom = i;
        i = chars::span(b, i, chars::ATEXT);
        if i == atom {
            return Err(err(s, i, "an atom character"));
        }
        if b.get(i) != Some(&b'.') {
            return Ok(i);
        }
        i += 1;
    }
}

/// `Quoted-string = DQUOTE *QcontentSMTP DQUOTE` from `start` (at the
/// opening quote); returns the offset after the closing quote.
fn scan_quoted_string(s: &str, start: usize) -> Result<usize, AddressError> {
    let b = s.as_bytes();
    let mut i = start + 1;
    loop {
        match b.get(i) {
            Some(b'"') => return Ok(i + 1),
            Some(b'\\') => {
                if b.get(i + 1).is_some_and(|c| (32..=126).contains(c)) {
                    i += 2;
                } else {
                    return Err(err(s, i + 1, "a printable ASCII character after '\\'"));
                }
            }
            Some(&c) if is_qtext(c) => i += 1,
            _ => return Err(err(s, i, "a quoted-string character or '\"'")),
        }
    }
}

/// `Local-part` from `start`, with the 64-octet limit; returns its end.
#[inline]
pub(crate) fn scan_local_part(s: &str, start: usize) -> Result<usize, AddressError> {
    let end = if s.as_bytes().get(start) == Some(&b'"') {
        scan_quoted_string(s, start)?
    } else {
        scan_dot_string(s, start)?
    };
    let len = end - start;
    if len > MAX_LOCAL_PART_LEN {
        return Err(AddressError::LocalPartTooLong { len });
    }
    Ok(end)
}

/// `Domain` from `start` with label and total length limits; returns its
/// end. Labels are `Let-dig [Ldh-str]`, or U-labels (any non-ASCII).
#[inline]
pub(crate) fn scan_domain(s: &str, start: usize) -> Result<usize, AddressError> {
    let b = s.as_bytes();
    let mut i = start;
    loop {
        let label = i;
        i = chars::span(b, i, chars::LABEL);
        if i == label {
            return Err(err(s, i, "a letter or digit"));
        }
        if b.get(label) == Some(&b'-') {
            return Err(err(s, label, "a letter or digit to start a label"));
        }
        if b.get(i - 1) == Some(&b'-') {
            return Err(err(s, i - 1, "a letter or digit to end a label"));
        }
        if i - label > MAX_LABEL_LEN {
            return Err(AddressError::LabelTooLong { len: i - label });
        }
        if b.get(i) != Some(&b'.') {
            break;
        }
        i += 1;
    }
    if i - start > MAX_DOMAIN_LEN {
        return Err(AddressError::DomainTooLong { len: i - start });
    }
    Ok(i)
}

/// The whole of `s` is a domain.
pub(crate) fn validate_domain(s: &str) -> Result<(), AddressError> {
    let end = scan_domain(s, 0)?;
    if end != s.len() {
        return Err(err(s, end, "end of domain"));
    }
    Ok(())
}

/// `Ldh-str` as used for `Standardized-tag`: letters, digits, hyphens,
/// ending in a letter or digit.
fn is_ldh_str(t: &str) -> bool {
    t.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
        && t.bytes().last().is_some_and(|c| c.is_ascii_alphanumeric())
}

/// `dcontent = %d33-90 / %d94-126`.
fn is_dcontent(c: u8) -> bool {
    matches!(c, 33..=90 | 94..=126)
}

pub(crate) fn validate_general_literal(tag: &str, content: &str) -> Result<(), AddressError> {
    if !is_ldh_str(tag) || tag.eq_ignore_ascii_case("IPv6") {
        return Err(err(tag, 0, "a standardized tag other than IPv6"));
    }
    if content.is_empty() {
        return Err(err(content, 0, "address literal content"));
    }
    let len = tag.len() + content.len() + 3;
    if len > MAX_DOMAIN_LEN {
        return Err(AddressError::DomainTooLong { len });
    }
    if let Some(i) = content.bytes().position(|c| !is_dcontent(c)) {
        return Err(err(content, i, "printable ASCII other than '[', '\\', ']'"));
    }
    Ok(())
}

/// `IPv4-address-literal = Snum 3("." Snum)`; `Snum` is 1 to 3 digits up
/// to 255 (leading zeros allowed, unlike `Ipv4Addr::from_str`).
fn parse_ipv4(t: &str) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut parts = t.split('.');
    for slot in &mut octets {
        let p = parts.next()?;
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        *slot = p.parse().ok()?;
    }
    parts.next().is_none().then(|| Ipv4Addr::from(octets))
}

/// `IPv6-addr` of RFC 5321 section 4.1.3: std parses the bounded text, and
/// the RFC's rule that `::` stands for at least two groups is checked
/// first (at most 6 explicit groups beside it, an IPv4 tail counting 2).
fn parse_ipv6(t: &str) -> Option<Ipv6Addr> {
    const LONGEST: usize = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255".len();
    if t.len() > LONGEST {
        return None;
    }
    if t.contains("::") {
        let groups: usize = t
            .split(':')
            .filter(|g| !g.is_empty())
            .map(|g| if g.contains('.') { 2 } else { 1 })
            .sum();
        if groups > 6 {
            return None;
        }
    }
    t.parse().ok()
}

/// `address-literal` from `start` (at `[`); returns it and the offset after
/// `]`.
pub(crate) fn scan_address_literal(
    s: &str,
    start: usize,
) -> Result<(AddressLiteral<'_>, usize), AddressError> {
    let b = s.as_bytes();
    let open = start + 1;
    let close = b
        .get(open..)
        .and_then(|r| r.iter().position(|&c| matches!(c, b']' | b'[' | b' ')))
        .map_or(s.len(), |p| open + p);
    if b.get(close) != Some(&b']') {
        return Err(err(s, close, "']' closing the address literal"));
    }
    let end = close + 1;
    if end - start > MAX_DOMAIN_LEN {
        return Err(AddressError::DomainTooLong { len: end - start });
    }
    let inner = s
        .get(open..close)
        .ok_or_else(|| err(s, open, "an address literal"))?;
    let Some((tag, content)) = inner.split_once(':') else {
        return parse_ipv4(inner)
            .map(|a| (AddressLiteral::Ipv4(a), end))
            .ok_or_else(|| err(s, open, "an IPv4 address (or tag:address)"));
    };
    if tag.eq_ignore_ascii_case("IPv6") {
        let at = open + tag.len() + 1;
        return parse_ipv6(content)
            .map(|a| (AddressLiteral::Ipv6(a), end))
            .ok_or_else(|| err(s, at, "an IPv6 address"));
    }
    validate_general_literal(tag, content).map_err(|e| e.shifted(open))?;
    Ok((
        AddressLiteral::General(Box::new(GeneralLiteral::from_valid(tag, content))),
        end,
    ))
}

/// A domain or address literal from `start`.
#[inline]
pub(crate) fn scan_host(s: &str, start: usize) -> Result<(Host<'_>, usize), AddressError> {
    if s.as_bytes().get(start) == Some(&b'[') {
        let (lit, end) = scan_address_literal(s, start)?;
        return Ok((Host::Literal(lit), end));
    }
    let end = scan_domain(s, start)?;
    let d = s.get(start..end).ok_or_else(|| err(s, start, "a domain"))?;
    Ok((Host::Domain(Domain::from_valid(d)), end))
}

/// `Mailbox = Local-part "@" ( Domain / address-literal )` from `start`.
#[inline]
pub(crate) fn scan_mailbox(s: &str, start: usize) -> Result<(Mailbox<'_>, usize), AddressError> {
    let at = scan_local_part(s, start)?;
    if s.as_bytes().get(at) != Some(&b'@') {
        return Err(err(s, at, "'@'"));
    }
    let local = s
        .get(start..at)
        .ok_or_else(|| err(s, start, "a local part"))?;
    let (host, end) = scan_host(s, at + 1)?;
    Ok((Mailbox::from_valid(LocalPart::from_valid(local), host), end))
}

/// Checks the mailbox fits a 256-octet path.
pub(crate) fn check_mailbox_lengths(m: &Mailbox<'_>) -> Result<(), AddressError> {
    let len = m.wire_len().saturating_add(2);
    if len > MAX_PATH_LEN {
        return Err(AddressError::PathTooLong { len });
    }
    Ok(())
}

/// `Path = "<" [ A-d-l ":" ] Mailbox ">"` from `start` (at `<`).
#[inline]
fn scan_bracketed_path(s: &str, start: usize) -> Result<(Path<'_>, usize), AddressError> {
    let b = s.as_bytes();
    let (route, i) = if b.get(start + 1) == Some(&b'@') {
        let (route, i) = scan_source_route(s, start + 1)?;
        (Some(route), i)
    } else {
        (None, start + 1)
    };
    let (mailbox, end) = scan_mailbox(s, i)?;
    if b.get(end) != Some(&b'>') {
        return Err(err(s, end, "'>'"));
    }
    let len = end + 1 - start;
    if len > MAX_PATH_LEN {
        return Err(AddressError::PathTooLong { len });
    }
    Ok((Path::from_valid(route, mailbox), end + 1))
}

/// `A-d-l ":"` from `start` (at the first `@`): the obsolete source route;
/// returns it and the offset after the `:`.
#[inline(never)]
fn scan_source_route(s: &str, start: usize) -> Result<(Vec<Domain<'_>>, usize), AddressError> {
    let b = s.as_bytes();
    let mut route = Vec::new();
    let mut i = start;
    loop {
        let d = i + 1;
        let end = scan_domain(s, d)?;
        route.push(Domain::from_valid(
            s.get(d..end).ok_or_else(|| err(s, d, "a domain"))?,
        ));
        i = end + 1;
        match b.get(end) {
            Some(b',') if b.get(i) == Some(&b'@') => {}
            Some(b',') => return Err(err(s, i, "'@' starting the next route domain")),
            Some(b':') => return Ok((route, i)),
            _ => return Err(err(s, end, "',' or ':' in the source route")),
        }
    }
}

/// A path without brackets (the `allow_missing_brackets` leniency).
fn scan_bare_path(s: &str, start: usize) -> Result<(Path<'_>, usize), AddressError> {
    let (mailbox, end) = scan_mailbox(s, start)?;
    check_mailbox_lengths(&mailbox)?;
    Ok((Path::new(mailbox), end))
}

#[inline]
fn scan_any_path(s: &str, start: usize, bare_ok: bool) -> Result<(Path<'_>, usize), AddressError> {
    match s.as_bytes().get(start) {
        Some(b'<') => scan_bracketed_path(s, start),
        Some(_) if bare_ok => scan_bare_path(s, start),
        _ => Err(err(s, start, "'<'")),
    }
}

/// `Reverse-path = Path / "<>"` from `start`.
#[inline]
pub(crate) fn scan_reverse_path(
    s: &str,
    start: usize,
    bare_ok: bool,
) -> Result<(ReversePath<'_>, usize), AddressError> {
    if s.as_bytes().get(start..start + 2) == Some(b"<>") {
        return Ok((ReversePath::Null, start + 2));
    }
    let (p, end) = scan_any_path(s, start, bare_ok)?;
    Ok((ReversePath::Path(p), end))
}

/// `"<Postmaster>" / Forward-path` from `start`.
#[inline]
pub(crate) fn scan_forward_path(
    s: &str,
    start: usize,
    bare_ok: bool,
) -> Result<(ForwardPath<'_>, usize), AddressError> {
    const PM: &[u8] = b"<POSTMASTER>";
    if s.as_bytes()
        .get(start..start + PM.len())
        .is_some_and(|t| chars::eq_upper(t, PM))
    {
        return Ok((ForwardPath::Postmaster, start + PM.len()));
    }
    let (p, end) = scan_any_path(s, start, bare_ok)?;
    Ok((ForwardPath::Path(p), end))
}
