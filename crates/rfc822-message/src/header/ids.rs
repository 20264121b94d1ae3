//! Message identifiers (RFC 5322 section 3.6.4, obsolete forms of section
//! 4.5.4): Message-ID, Resent-Message-ID, Content-ID (RFC 2045 section 7),
//! In-Reply-To and References.
//!
//! A [`MessageId`] keeps the identifier without its angle brackets and with
//! obsolete CFWS removed (`<1234   @   local(blah)  .machine .example>`
//! reads as `1234@local.machine.example`).
//!
//! Leniency, recorded in [`Defects`]: an identifier without angle brackets
//! in a single-id field ([`Defects::MISSING_ANGLE`]); one without `@`
//! (`<12345>`, [`Defects::MISSING_DOMAIN`]); in a list, anything between
//! the identifiers that is not one (`In-Reply-To: Your message of "Mon, 1
//! Jul" <id@x>`, as old mailers wrote) is skipped
//! ([`Defects::TRAILING_GARBAGE`]), and a bracketed identifier that breaks
//! the grammar is kept with its white space removed.

use std::borrow::Cow;

use bytes::BufMut;
use mail_wire::SyntaxError;

use super::Defects;
use super::address::{Parser, checked_text};
use super::lex::{self, skip_cfws};

/// One message identifier, without its angle brackets.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MessageId<'a> {
    id: Cow<'a, str>,
}

impl<'a> MessageId<'a> {
    /// Longest identifier the constructors accept, angle brackets
    /// excluded (so that `<id>` fits a 78-column line with room to spare
    /// on a line of its own, and any field of ids can be folded).
    pub const MAX_LEN: usize = 250;

    /// An identifier `left@right`, for building.
    ///
    /// # Errors
    /// `left` is not a dot-atom-text, `right` neither a dot-atom-text nor
    /// a `[...]` literal, or `left@right` is longer than [`Self::MAX_LEN`].
    pub fn new(left: &str, right: &str) -> Result<MessageId<'static>, SyntaxError> {
        check_parts(left, right)?;
        Ok(MessageId {
            id: Cow::Owned(format!("{left}@{right}")),
        })
    }

    /// An identifier given as text, `left@right` with or without its angle
    /// brackets, in the strict grammar of RFC 5322 section 3.6.4 (no
    /// obsolete forms, no CFWS), for building. Borrows `id`.
    ///
    /// # Errors
    /// As [`MessageId::new`], or no `@`.
    pub fn from_text(id: &'a str) -> Result<MessageId<'a>, SyntaxError> {
        let (inner, shift) = match id.strip_prefix('<').and_then(|s| s.strip_suffix('>')) {
            Some(inner) => (inner, 1),
            None => (id, 0),
        };
        let Some((left, right)) = inner.split_once('@') else {
            return Err(SyntaxError::at(id.as_bytes(), id.len(), "'@'"));
        };
        check_parts(left, right).map_err(|e| e.shifted(shift))?;
        Ok(MessageId {
            id: Cow::Borrowed(inner),
        })
    }

    /// Parses a single-identifier field (Message-ID, Content-ID).
    ///
    /// # Errors
    /// The value is not one identifier.
    pub fn parse(raw: &'a [u8]) -> Result<MessageId<'a>, SyntaxError> {
        Self::parse_with_defects(raw).map(|(id, _)| id)
    }

    /// [`parse`](Self::parse), also returning the departures accepted.
    ///
    /// # Errors
    /// As [`parse`](Self::parse).
    pub fn parse_with_defects(raw: &'a [u8]) -> Result<(MessageId<'a>, Defects), SyntaxError> {
        let p = skip_cfws(raw, 0)?;
        if raw.get(p) == Some(&b'<')
            && let Some((id, end)) = simple_msg_id(raw, None, p)
            && skip_cfws(raw, end).ok() == Some(raw.len())
        {
            // Fuzzing checks the one-pass path against the general one.
            #[cfg(fuzzing)]
            assert_eq!(
                Ok((&id, Defects::NONE)),
                Self::parse_general(raw, p).as_ref().map(|(i, d)| (i, *d)),
                "simple_id differs"
            );
            return Ok((id, Defects::NONE));
        }
        Self::parse_general(raw, p)
    }

    /// [`parse_with_defects`](Self::parse_with_defects) by the general
    /// grammar, from the first significant octet `p`.
    fn parse_general(raw: &'a [u8], p: usize) -> Result<(MessageId<'a>, Defects), SyntaxError> {
        let mut defects = Defects::NONE;
        let (id, end) = if raw.get(p) == Some(&b'<') {
            msg_id(raw, checked_text(raw), p, &mut defects)?
        } else {
            defects |= Defects::MISSING_ANGLE;
            bare_id(raw, checked_text(raw), p, &mut defects)?
        };
        let end = skip_cfws(raw, end)?;
        if end != raw.len() {
            return Err(SyntaxError::at(raw, end, "end of the identifier"));
        }
        Ok((id, defects))
    }

    /// The identifier without angle brackets.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.id
    }

    /// The part before the last `@` (the whole id when it has none).
    #[must_use]
    pub fn left(&self) -> &str {
        self.id.rsplit_once('@').map_or(&*self.id, |(l, _)| l)
    }

    /// The part after the last `@`, if any.
    #[must_use]
    pub fn right(&self) -> Option<&str> {
        self.id.rsplit_once('@').map(|(_, r)| r)
    }

    /// Writes `<id>`. An id-left read from a quoted string
    /// (`<"quoted left"@x>`, RFC 5322 section 4.5.4 `obs-id-left`) is quoted
    /// again, so what is written parses back to the same id.
    pub fn encode(&self, out: &mut impl BufMut) {
        if let Some(escaped) = self.escaped_literal_form() {
            out.put_slice(&escaped);
            return;
        }
        out.put_u8(b'<');
        match self.id.rsplit_once('@') {
            // Quoting helps only when the result is a msg-id: with a bad
            // right side (an id kept from broken brackets, `<@>`) the quoted
            // form would not parse either and would be kept, quotes and
            // all, growing at every round; it is written as it is instead.
            Some((left, right))
                if !lex::is_dot_atom_text(left.as_bytes()) && is_id_right(right.as_bytes()) =>
            {
                lex::put_quoted(left.as_bytes(), out);
                out.put_u8(b'@');
                out.put_slice(right.as_bytes());
            }
            None if !lex::is_dot_atom_text(self.id.as_bytes()) => {
                lex::put_quoted(self.id.as_bytes(), out);
            }
            Some((left, right))
                if !(lex::is_dot_atom_text(left.as_bytes()) && is_id_right(right.as_bytes())) =>
            {
                // Junk kept from broken brackets: written as it is, unless
                // that does not read back as this id and the whole id
                // quoted does (`<">x@">` keeps `>x@`, which bare would end
                // the id at once).
                let mut quoted = vec![b'<'];
                lex::put_quoted(self.id.as_bytes(), &mut quoted);
                quoted.push(b'>');
                let bare = [b"<", self.id.as_bytes(), b">"].concat();
                if !self.reads_back(&bare) && self.reads_back(&quoted) {
                    out.put_slice(quoted.get(1..).unwrap_or_default());
                    return;
                }
                out.put_slice(self.id.as_bytes());
            }
            _ => out.put_slice(self.id.as_bytes()),
        }
        out.put_u8(b'>');
    }

    /// Whether `form` parses as this very id.
    fn reads_back(&self, form: &[u8]) -> bool {
        MessageId::parse(form).is_ok_and(|back| back.id == self.id)
    }

    /// `<left@[inner]>` with every octet of `inner` that cannot stand bare
    /// in a literal (`[`, `]`, `\\`, controls, space) escaped, when the id
    /// ends in a domain literal holding one (only quoted-pairs, obs-id-right
    /// of RFC 5322 section 4.4, can have put them there) and that form
    /// reads back as this very id; `None` otherwise (the plain forms of
    /// [`encode`](Self::encode) then apply).
    fn escaped_literal_form(&self) -> Option<Vec<u8>> {
        let at = self.id.find("@[")?;
        let (left, right) = self.id.split_at_checked(at)?;
        let inner = right.get(2..)?.strip_suffix(']')?;
        if left.is_empty()
            || !inner
                .bytes()
                .any(|b| !matches!(b, 33..=90 | 94..=126 | 0x80..))
        {
            return None;
        }
        let mut out = Vec::with_capacity(self.id.len() + 8);
        out.push(b'<');
        if lex::is_dot_atom_text(left.as_bytes()) {
            out.extend_from_slice(left.as_bytes());
        } else {
            lex::put_quoted(left.as_bytes(), &mut out);
        }
        out.push(b'@');
        // as the address encoder writes a literal: every octet that cannot
        // stand bare in it as a quoted-pair
        super::address::put_domain(right.get(1..)?.as_bytes(), &mut out);
        out.push(b'>');
        self.reads_back(&out).then_some(out)
    }

    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> MessageId<'static> {
        MessageId {
            id: Cow::Owned(self.id.into_owned()),
        }
    }
}

/// `id-right` as written by [`MessageId::encode`]: a dot-atom-text or a
/// `[...]` literal.
fn is_id_right(r: &[u8]) -> bool {
    lex::is_dot_atom_text(r)
        || r.strip_prefix(b"[")
            .and_then(|r| r.strip_suffix(b"]"))
            .is_some_and(|i| i.iter().all(|&b| matches!(b, 33..=90 | 94..=126)))
}

/// Checks the two halves of an identifier for building (see
/// [`MessageId::new`]).
fn check_parts(left: &str, right: &str) -> Result<(), SyntaxError> {
    let l = left.as_bytes();
    if !lex::is_dot_atom_text(l) {
        return Err(SyntaxError::at(l, 0, "a dot-atom id-left"));
    }
    let r = right.as_bytes();
    let literal = r.first() == Some(&b'[')
        && r.last() == Some(&b']')
        && r.len() >= 2
        && r.get(1..r.len() - 1)
            .is_some_and(|i| i.iter().all(|&b| matches!(b, 33..=90 | 94..=126)));
    if !literal && !lex::is_dot_atom_text(r) {
        return Err(SyntaxError::at(r, 0, "a dot-atom or literal id-right").shifted(l.len() + 1));
    }
    if l.len() + 1 + r.len() > MessageId::MAX_LEN {
        return Err(
            SyntaxError::at(r, r.len(), "an identifier of at most 250 octets").shifted(l.len() + 1),
        );
    }
    Ok(())
}

/// `msg-id` at `p` (which holds `<`): the id and the position after `>`.
/// The identifier most fields hold, `<dot-atom@dot-atom>` at `p` (which
/// holds `<`): what [`msg_id`] gives for it (the span borrowed, no defect)
/// and the position after `>`, found in one pass. `None` for anything
/// else. `text` is `raw` as text, when known.
fn simple_msg_id<'a>(
    raw: &'a [u8],
    text: Option<&'a str>,
    p: usize,
) -> Option<(MessageId<'a>, usize)> {
    let (_, l) = lex::dot_atom(raw, p + 1)?;
    if raw.get(l) != Some(&b'@') {
        return None;
    }
    let (_, r) = lex::dot_atom(raw, l + 1)?;
    if raw.get(r) != Some(&b'>') {
        return None;
    }
    let id = match text {
        Some(t) => t.get(p + 1..r)?,
        None => core::str::from_utf8(raw.get(p + 1..r)?).ok()?,
    };
    Some((
        MessageId {
            id: Cow::Borrowed(id),
        },
        r + 1,
    ))
}

fn msg_id<'a>(
    raw: &'a [u8],
    text: Option<&'a str>,
    p: usize,
    defects: &mut Defects,
) -> Result<(MessageId<'a>, usize), SyntaxError> {
    let mut parser = Parser::new(raw, text);
    let mut d = Defects::NONE;
    let start = skip_cfws(raw, p + 1)?;
    let w = parser.words(start)?;
    let left = parser.local_part(&w, &mut d)?;
    let (id, after) = if raw.get(w.next) == Some(&b'@') {
        let (right, dend) = parser.domain(w.next + 1, &mut d)?;
        let e = skip_cfws(raw, dend)?;
        // Borrow the span when it is exactly `left@right`.
        let span = match text {
            Some(t) => t.get(start..dend),
            None => core::str::from_utf8(raw.get(start..dend).unwrap_or_default()).ok(),
        };
        let joined_len = left.len() + 1 + right.len();
        let id = match (span, &left, &right) {
            (Some(s), Cow::Borrowed(_), Cow::Borrowed(_)) if s.len() == joined_len => {
                Cow::Borrowed(s)
            }
            _ => Cow::Owned(format!("{left}@{right}")),
        };
        (id, e)
    } else {
        d |= Defects::MISSING_DOMAIN;
        (left, w.next)
    };
    if raw.get(after) != Some(&b'>') {
        return Err(SyntaxError::at(raw, after, "'>' closing the message id"));
    }
    *defects |= d | parser.defects;
    Ok((MessageId { id }, after + 1))
}

/// An identifier written without angle brackets: `left@right`.
fn bare_id<'a>(
    raw: &'a [u8],
    text: Option<&'a str>,
    p: usize,
    defects: &mut Defects,
) -> Result<(MessageId<'a>, usize), SyntaxError> {
    let parser = Parser::new(raw, text);
    let (left, e) = lex::dot_atom(raw, p).ok_or_else(|| SyntaxError::at(raw, p, "'<'"))?;
    if raw.get(e) != Some(&b'@') {
        *defects |= Defects::MISSING_DOMAIN;
        let id = match text.and_then(|t| t.get(p..e)) {
            Some(s) => Cow::Borrowed(s),
            None => lex::text(left),
        };
        return Ok((MessageId { id }, e));
    }
    let mut d = Defects::NONE;
    let (right, end) = parser.domain(e + 1, &mut d)?;
    *defects |= d;
    // The domain may be preceded by CFWS (obsolete syntax): the id is
    // `left@right` without it, as for a bracketed id, so that it encodes
    // to `<left@right>` and reads back the same.
    let span = raw.get(p..end).unwrap_or_default();
    let id = if span.get(left.len() + 1..) == Some(right.as_bytes()) {
        match text.and_then(|t| t.get(p..end)) {
            Some(s) => Cow::Borrowed(s),
            None => lex::text(span),
        }
    } else {
        Cow::Owned(format!("{}@{right}", lex::text(left)))
    };
    Ok((MessageId { id }, end))
}

/// A list of identifiers: References, In-Reply-To.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IdList<'a> {
    ids: Vec<MessageId<'a>>,
    defects: Defects,
}

impl<'a> IdList<'a> {
    /// A list from its identifiers, for building.
    #[must_use]
    pub fn new(ids: Vec<MessageId<'a>>) -> Self {
        IdList {
            ids,
            defects: Defects::NONE,
        }
    }

    /// Parses `1*msg-id`, skipping what is between identifiers that is
    /// not one (see the module docs). Never fails: a value without any
    /// identifier gives an empty list (with a defect if it was not empty).
    #[must_use]
    pub fn parse(raw: &'a [u8]) -> IdList<'a> {
        let mut ids = Vec::new();
        let mut defects = Defects::NONE;
        let text = checked_text(raw);
        let mut p = 0;
        while p < raw.len() {
            let q = match skip_cfws(raw, p) {
                Ok(q) => q,
                Err(_) => {
                    // An unclosed comment: nothing after it can be an id.
                    defects |= Defects::UNCLOSED_COMMENT;
                    break;
                }
            };
            p = q;
            match raw.get(p) {
                None => break,
                Some(b'<') => {
                    let found = match simple_msg_id(raw, text, p) {
                        Some(found) => {
                            // Fuzzing checks the one-pass path against the
                            // general one.
                            #[cfg(fuzzing)]
                            {
                                let mut d = Defects::NONE;
                                let general = msg_id(raw, text, p, &mut d).ok();
                                assert_eq!(general.as_ref(), Some(&found), "simple_msg_id differs");
                                assert_eq!(d, Defects::NONE, "simple_msg_id differs");
                            }
                            Ok(found)
                        }
                        None => msg_id(raw, text, p, &mut defects),
                    };
                    if let Ok((id, e)) = found {
                        ids.push(id);
                        p = e;
                        continue;
                    }
                    // Keep a broken bracketed id, white space removed.
                    let rest = raw.get(p + 1..).unwrap_or_default();
                    match memchr::memchr2(b'>', b'<', rest) {
                        Some(i) if rest.get(i) == Some(&b'>') => {
                            let inner = rest.get(..i).unwrap_or_default();
                            let id: Vec<u8> = inner
                                .iter()
                                .copied()
                                .filter(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
                                .collect();
                            if !id.is_empty() && !id.contains(&0) {
                                ids.push(MessageId {
                                    id: lex::cow_text(Cow::Owned(id)),
                                });
                            }
                            defects |= Defects::TRAILING_GARBAGE;
                            p = p + 1 + i + 1;
                        }
                        _ => {
                            defects |= Defects::TRAILING_GARBAGE;
                            p += 1;
                        }
                    }
                }
                Some(b'"') => {
                    defects |= Defects::TRAILING_GARBAGE;
                    p = lex::scan_quoted(raw, p).unwrap_or(raw.len());
                }
                Some(_) => {
                    defects |= Defects::TRAILING_GARBAGE;
                    // Skip the junk word.
                    let rest = raw.get(p..).unwrap_or_default();
                    let n = rest
                        .iter()
                        .position(|&b| {
                            matches!(b, b'<' | b'(' | b'"' | b' ' | b'\t' | b'\r' | b'\n')
                        })
                        .unwrap_or(rest.len());
                    p += n.max(1);
                }
            }
        }
        IdList { ids, defects }
    }

    /// The identifiers in order.
    #[must_use]
    pub fn ids(&self) -> &[MessageId<'a>] {
        &self.ids
    }

    /// The departures from the grammar accepted while parsing.
    #[must_use]
    pub fn defects(&self) -> Defects {
        self.defects
    }

    /// Writes the identifiers separated by one space.
    pub fn encode(&self, out: &mut impl BufMut) {
        for (i, id) in self.ids.iter().enumerate() {
            if i > 0 {
                out.put_u8(b' ');
            }
            id.encode(out);
        }
    }

    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> IdList<'static> {
        IdList {
            ids: self.ids.into_iter().map(MessageId::into_owned).collect(),
            defects: self.defects,
        }
    }
}

#[cfg(test)]
mod simple_msg_id_tests {
    use super::*;
    use proptest::prelude::*;

    /// The one-pass path, where it answers, gives what the general one
    /// gives, with no defect.
    fn agree(raw: &[u8]) -> bool {
        let Some(found) = simple_msg_id(raw, checked_text(raw), 0) else {
            return false;
        };
        let mut d = Defects::NONE;
        assert_eq!(
            msg_id(raw, checked_text(raw), 0, &mut d).ok(),
            Some(found),
            "{raw:?}"
        );
        assert_eq!(d, Defects::NONE, "{raw:?}");
        assert_eq!(
            simple_msg_id(raw, None, 0),
            simple_msg_id(raw, checked_text(raw), 0)
        );
        true
    }

    #[test]
    fn common_ids_take_the_fast_path() {
        for raw in [
            &b"<a@b>"[..],
            b"<1234.5678@mail.example.com> (comment)",
            b"<x.y-z=q@host>",
            "<ü@例え.jp>".as_bytes(),
        ] {
            assert!(agree(raw), "{raw:?}");
        }
        for raw in [
            &b"<a@[1.2.3.4]>"[..],
            b"<\"q\"@b>",
            b"<a.@b>",
            b"<a@b.>",
            b"< a@b>",
            b"<a @b>",
            b"<a@b >",
            b"<a>",
            b"<a@b@c>",
            b"<a@b",
            b"<a\xff@b>",
        ] {
            assert!(!agree(raw), "{raw:?}");
        }
    }

    proptest! {
        #[test]
        fn fast_path_agrees_with_the_general_parser(
            inner in "[a-z0-9.@ \\[\\]\"(),<-]{0,16}",
            tail in prop_oneof![Just(""), Just(" "), Just(" (c)"), Just("<x@y>")],
        ) {
            let raw = format!("<{inner}>{tail}");
            agree(raw.as_bytes());
            // whole-field parses agree with the general grammar too
            let p = skip_cfws(raw.as_bytes(), 0).unwrap_or(0);
            let general = MessageId::parse_general(raw.as_bytes(), p);
            prop_assert_eq!(MessageId::parse_with_defects(raw.as_bytes()), general);
        }
    }
}
