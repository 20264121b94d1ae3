//! `Mail-parameters` and `Rcpt-parameters` (RFC 5321 section 4.1.2) and the
//! value grammars of the extensions that define them.

use std::borrow::Cow;

use mail_wire::{LimitError, SyntaxError};

use crate::parse::chars;
use crate::parse::values::{by_value, decimal_u64, notify_value, validate_atom};
use crate::parse::{CommandError, CommandOptions};
use crate::types::datetime::DateTime;
use crate::types::mail_values::{AuthParam, Body, Hold, HoldFor, HoldUntil, MtPriority, Ret};
use crate::types::params::{MailExtras, MailParameters, ParamError, Parameter, RcptParameters};
use crate::types::rcpt_values::{Orcpt, Rrvs, RrvsAction};
use crate::types::xtext::XText;

/// The keywords this crate types, for either command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kw {
    Size,
    Body,
    SmtpUtf8,
    Ret,
    Envid,
    Auth,
    RequireTls,
    MtPriority,
    HoldFor,
    HoldUntil,
    By,
    Notify,
    Orcpt,
    Rrvs,
}

impl Kw {
    /// Looks a keyword up, ignoring case; the length picks the few
    /// candidates to compare, and four-letter keywords compare as one word
    /// (see `verb4` in the command parser for why the mask is exact).
    #[inline]
    fn lookup(k: &[u8]) -> Option<Kw> {
        if let Some(&w) = k.first_chunk::<4>()
            && k.len() == 4
        {
            return match u32::from_be_bytes(w) & 0xDFDF_DFDF {
                0x5349_5A45 => Some(Kw::Size), // SIZE
                0x424F_4459 => Some(Kw::Body), // BODY
                0x4155_5448 => Some(Kw::Auth), // AUTH
                0x5252_5653 => Some(Kw::Rrvs), // RRVS
                _ => None,
            };
        }
        let candidates: &[(&[u8], Kw)] = match k.len() {
            2 => &[(b"BY", Kw::By)],
            3 => &[(b"RET", Kw::Ret)],
            5 => &[(b"ENVID", Kw::Envid), (b"ORCPT", Kw::Orcpt)],
            6 => &[(b"NOTIFY", Kw::Notify)],
            7 => &[(b"HOLDFOR", Kw::HoldFor)],
            8 => &[(b"SMTPUTF8", Kw::SmtpUtf8)],
            9 => &[(b"HOLDUNTIL", Kw::HoldUntil)],
            10 => &[(b"REQUIRETLS", Kw::RequireTls)],
            11 => &[(b"MT-PRIORITY", Kw::MtPriority)],
            _ => &[],
        };
        candidates
            .iter()
            .find(|(name, _)| chars::eq_upper(k, name))
            .map(|&(_, kw)| kw)
    }
}

/// One `esmtp-param` as found on the line.
struct RawParam<'a> {
    line: &'a str,
    /// Where the keyword starts and ends.
    k: usize,
    k_end: usize,
    /// The keyword, if typed.
    kw: Option<Kw>,
    value: Option<&'a str>,
    /// Offset of the value in the line.
    at: usize,
}

/// Calls `f` for each ` keyword[=value]` from `start` to the end of `line`.
#[inline(always)]
fn each_param<'a>(
    line: &'a str,
    start: usize,
    opts: &CommandOptions,
    mut f: impl FnMut(RawParam<'a>) -> Result<(), ParamError>,
) -> Result<(), CommandError> {
    let b = line.as_bytes();
    let mut i = start;
    let mut count = 0usize;
    while let Some(&c) = b.get(i) {
        if c != b' ' {
            return Err(param_syntax(b, i, "SP before a parameter"));
        }
        i += 1;
        let k = i;
        if !b.get(i).is_some_and(u8::is_ascii_alphanumeric) {
            return Err(param_syntax(b, i, "an ESMTP keyword"));
        }
        i = chars::span(b, i + 1, chars::KEYWORD);
        let k_end = i;
        let at = i + 1;
        let value = if b.get(i) == Some(&b'=') {
            i = chars::span(b, at, chars::VALUE);
            if i == at {
                return Err(param_syntax(b, i, "a parameter value"));
            }
            line.get(at..i)
        } else {
            None
        };
        if !matches!(b.get(i), None | Some(b' ')) {
            return Err(param_syntax(b, i, "SP or end of line after a parameter"));
        }
        count += 1;
        if count > opts.max_parameters {
            return Err(LimitError::new("max_parameters", opts.max_parameters as u64).into());
        }
        f(RawParam {
            line,
            k,
            k_end,
            kw: Kw::lookup(b.get(k..k_end).unwrap_or_default()),
            value,
            at,
        })?;
    }
    Ok(())
}

#[cold]
#[inline(never)]
fn param_syntax(b: &[u8], at: usize, expected: &'static str) -> CommandError {
    SyntaxError::at(b, at, expected).into()
}

impl<'a> RawParam<'a> {
    /// The keyword as written (ASCII, so always a `str` slice).
    fn keyword(&self) -> &'a str {
        self.line.get(self.k..self.k_end).unwrap_or_default()
    }

    #[inline]
    fn value(&self, keyword: &'static str) -> Result<&'a str, ParamError> {
        self.value.ok_or(ParamError::MissingValue { keyword })
    }

    fn flag(&self, keyword: &'static str, seen: bool) -> Result<bool, ParamError> {
        if seen {
            return Err(self.duplicate());
        }
        match self.value {
            Some(_) => Err(ParamError::UnexpectedValue { keyword }),
            None => Ok(true),
        }
    }

    #[cold]
    #[inline(never)]
    fn duplicate(&self) -> ParamError {
        ParamError::Duplicate {
            keyword: self.keyword().to_owned(),
        }
    }

    /// Checks a typed field is still unset.
    #[inline]
    fn once<T>(&self, field: &Option<T>) -> Result<(), ParamError> {
        match field {
            Some(_) => Err(self.duplicate()),
            None => Ok(()),
        }
    }
}

/// Splits `v` around the first `sep` (an ASCII byte, so both halves are
/// `str`).
#[inline]
pub(crate) fn split_byte(v: &str, sep: u8) -> Option<(&str, &str)> {
    let i = v.bytes().position(|c| c == sep)?;
    Some((v.get(..i)?, v.get(i + 1..)?))
}

#[cold]
#[inline(never)]
pub(crate) fn invalid(
    keyword: &'static str,
    line: &str,
    at: usize,
    expected: &'static str,
) -> ParamError {
    ParamError::InvalidValue {
        keyword,
        error: SyntaxError::at(line.as_bytes(), at, expected),
    }
}

#[cold]
#[inline(never)]
fn shifted(keyword: &'static str, e: SyntaxError, base: usize) -> ParamError {
    ParamError::InvalidValue {
        keyword,
        error: e.shifted(base),
    }
}

fn keyword_of<T: Copy>(v: &str, table: &[(&'static str, T)]) -> Option<T> {
    table
        .iter()
        .find(|(name, _)| chars::eq_upper(v.as_bytes(), name.as_bytes()))
        .map(|&(_, t)| t)
}

/// Pushes an unknown parameter after the duplicate check.
#[inline(never)]
fn push_other<'a>(other: &mut Vec<Parameter<'a>>, raw: &RawParam<'a>) -> Result<(), ParamError> {
    let keyword = raw.keyword();
    if other
        .iter()
        .any(|p| keyword.eq_ignore_ascii_case(p.keyword()))
    {
        return Err(raw.duplicate());
    }
    other.push(Parameter::from_valid(keyword, raw.value));
    Ok(())
}

/// `Mail-parameters` from `start` (the offset after the reverse-path).
#[inline]
pub(crate) fn parse_mail_params<'a>(
    line: &'a str,
    start: usize,
    opts: &CommandOptions,
) -> Result<MailParameters<'a>, CommandError> {
    let mut p = MailParameters::default();
    if start < line.len() {
        each_param(line, start, opts, |raw| mail_param(line, &mut p, &raw))?;
    }
    Ok(p)
}

/// `SIZE=` (RFC 1870).
#[inline]
fn size_value(line: &str, v: &str, at: usize) -> Result<u64, ParamError> {
    let size = decimal_u64(v.as_bytes()).map_err(|e| match e {
        Some(i) => invalid("SIZE", line, at + i, "a decimal size"),
        None => ParamError::OutOfRange { keyword: "SIZE" },
    })?;
    // size-value = 1*20DIGIT (RFC 1870 section 5): no padding beyond.
    if v.len() > 20 {
        return Err(ParamError::OutOfRange { keyword: "SIZE" });
    }
    Ok(size)
}

/// `BODY=` (RFC 6152, RFC 3030).
#[inline]
fn body_value(line: &str, v: &str, at: usize) -> Result<Body, ParamError> {
    let w = v.as_bytes();
    if chars::eq_upper(w, b"8BITMIME") {
        return Ok(Body::EightBitMime);
    }
    if chars::eq_upper(w, b"7BIT") {
        return Ok(Body::SevenBit);
    }
    if chars::eq_upper(w, b"BINARYMIME") {
        return Ok(Body::BinaryMime);
    }
    Err(invalid("BODY", line, at, "7BIT, 8BITMIME or BINARYMIME"))
}

#[inline(always)]
fn mail_param<'a>(
    line: &'a str,
    p: &mut MailParameters<'a>,
    raw: &RawParam<'a>,
) -> Result<(), ParamError> {
    match raw.kw {
        Some(Kw::Size) => {
            raw.once(&p.size)?;
            p.size = Some(size_value(line, raw.value("SIZE")?, raw.at)?);
        }
        Some(Kw::Body) => {
            raw.once(&p.body)?;
            p.body = Some(body_value(line, raw.value("BODY")?, raw.at)?);
        }
        Some(Kw::SmtpUtf8) => p.smtputf8 = raw.flag("SMTPUTF8", p.smtputf8)?,
        Some(Kw::RequireTls) => p.requiretls = raw.flag("REQUIRETLS", p.requiretls)?,
        Some(Kw::Notify | Kw::Orcpt | Kw::Rrvs) | None => {
            push_other(&mut p.extras_mut().other, raw)?
        }
        Some(_) => mail_extra(line, p.extras_mut(), raw)?,
    }
    Ok(())
}

/// The rarer typed `MAIL` parameters.
#[inline(never)]
fn mail_extra<'a>(
    line: &'a str,
    p: &mut MailExtras<'a>,
    raw: &RawParam<'a>,
) -> Result<(), ParamError> {
    let at = raw.at;
    match raw.kw {
        Some(Kw::Ret) => {
            raw.once(&p.ret)?;
            let v = raw.value("RET")?;
            let table = [("FULL", Ret::Full), ("HDRS", Ret::Hdrs)];
            p.ret = Some(
                keyword_of(v, &table).ok_or_else(|| invalid("RET", line, at, "FULL or HDRS"))?,
            );
        }
        Some(Kw::Envid) => {
            raw.once(&p.envid)?;
            let v = raw.value("ENVID")?;
            p.envid = Some(XText::parse(v).map_err(|e| shifted("ENVID", e, at))?);
        }
        Some(Kw::Auth) => {
            raw.once(&p.auth)?;
            let v = raw.value("AUTH")?;
            p.auth = Some(if v == "<>" {
                AuthParam::Unknown
            } else {
                AuthParam::Mailbox(XText::parse(v).map_err(|e| shifted("AUTH", e, at))?)
            });
        }
        Some(Kw::MtPriority) => {
            raw.once(&p.mt_priority)?;
            let v = raw.value("MT-PRIORITY")?;
            // priority-value = (["-"] NZDIGIT) / "0"
            let n = match v.as_bytes() {
                [b'0'] => Some(0),
                [d @ b'1'..=b'9'] => i8::try_from(d - b'0').ok(),
                [b'-', d @ b'1'..=b'9'] => i8::try_from(d - b'0').ok().map(|d| -d),
                _ => None,
            };
            p.mt_priority = Some(
                n.and_then(MtPriority::new)
                    .ok_or_else(|| invalid("MT-PRIORITY", line, at, "a priority from -9 to 9"))?,
            );
        }
        Some(Kw::HoldFor | Kw::HoldUntil) => {
            p.hold = Some(hold_param(line, p.hold.take(), raw)?);
        }
        Some(Kw::By) => {
            raw.once(&p.by)?;
            let v = raw.value("BY")?;
            p.by = Some(by_value(line, v, at)?);
        }
        // `mail_param` handles the other keywords.
        _ => {}
    }
    Ok(())
}

/// `HOLDFOR=` / `HOLDUNTIL=` (RFC 4865 section 4), given any earlier hold.
fn hold_param<'a>(
    line: &'a str,
    earlier: Option<Hold<'a>>,
    raw: &RawParam<'a>,
) -> Result<Hold<'a>, ParamError> {
    let this_for = raw.kw == Some(Kw::HoldFor);
    match earlier {
        None => {}
        Some(Hold::For(_)) if this_for => return Err(raw.duplicate()),
        Some(Hold::Until(_)) if !this_for => return Err(raw.duplicate()),
        Some(Hold::For(_)) => {
            return Err(ParamError::Conflict {
                first: "HOLDFOR",
                second: "HOLDUNTIL",
            });
        }
        Some(Hold::Until(_)) => {
            return Err(ParamError::Conflict {
                first: "HOLDUNTIL",
                second: "HOLDFOR",
            });
        }
    }
    let at = raw.at;
    if this_for {
        let v = raw.value("HOLDFOR")?;
        // future-release-integer = %x31-39 *8DIGIT
        if v.len() > 9 {
            return Err(ParamError::OutOfRange { keyword: "HOLDFOR" });
        }
        let n = decimal_u64(v.as_bytes())
            .ok()
            .filter(|_| !v.starts_with('0'))
            .and_then(|n| u32::try_from(n).ok())
            .and_then(HoldFor::new)
            .ok_or_else(|| invalid("HOLDFOR", line, at, "seconds from 1 to 999999999"))?;
        return Ok(Hold::For(n));
    }
    let v = raw.value("HOLDUNTIL")?;
    let t = DateTime::new(Cow::Borrowed(v)).map_err(|e| shifted("HOLDUNTIL", e, at))?;
    Ok(Hold::Until(
        HoldUntil::new(t).map_err(|e| shifted("HOLDUNTIL", e, at))?,
    ))
}

/// `Rcpt-parameters` from `start` (the offset after the forward-path).
#[inline]
pub(crate) fn parse_rcpt_params<'a>(
    line: &'a str,
    start: usize,
    opts: &CommandOptions,
) -> Result<RcptParameters<'a>, CommandError> {
    let mut p = RcptParameters::default();
    if start < line.len() {
        each_param(line, start, opts, |raw| rcpt_param(line, &mut p, &raw))?;
    }
    Ok(p)
}

#[inline(always)]
fn rcpt_param<'a>(
    line: &'a str,
    p: &mut RcptParameters<'a>,
    raw: &RawParam<'a>,
) -> Result<(), ParamError> {
    let at = raw.at;
    match raw.kw {
        Some(Kw::Notify) => {
            raw.once(&p.notify)?;
            p.notify = Some(notify_value(line, raw.value("NOTIFY")?, at)?);
        }
        Some(Kw::Orcpt) => {
            raw.once(&p.orcpt)?;
            p.orcpt = Some(orcpt_value(line, raw.value("ORCPT")?, at)?);
        }
        Some(Kw::Rrvs) => {
            let extras = p.extras_mut();
            raw.once(&extras.rrvs)?;
            extras.rrvs = Some(rrvs_value(line, raw.value("RRVS")?, at)?);
        }
        _ => push_other(&mut p.extras_mut().other, raw)?,
    }
    Ok(())
}

/// `ORCPT=addr-type;xtext` (RFC 3461 section 4.2).
#[inline]
fn orcpt_value<'a>(line: &'a str, v: &'a str, at: usize) -> Result<Orcpt<'a>, ParamError> {
    let (kind, addr) = split_byte(v, b';')
        .ok_or_else(|| invalid("ORCPT", line, at + v.len(), "';' after the address type"))?;
    validate_atom(kind).map_err(|e| shifted("ORCPT", e, at))?;
    let decoded = XText::parse(addr).map_err(|e| shifted("ORCPT", e, at + kind.len() + 1))?;
    Ok(if decoded.as_str().len() == addr.len() {
        // No escape: the value as written is `type;address`.
        Orcpt::from_plain(v)
    } else {
        Orcpt::from_parts(kind, &decoded)
    })
}

/// `RRVS=date-time[;C|R]` (RFC 7293 section 3.1).
#[inline(never)]
fn rrvs_value<'a>(line: &'a str, v: &'a str, at: usize) -> Result<Rrvs<'a>, ParamError> {
    let (time, action) = match split_byte(v, b';') {
        Some((t, a)) => (t, Some(a)),
        None => (v, None),
    };
    let action = match action.map(str::as_bytes) {
        None => None,
        Some([c]) if c.eq_ignore_ascii_case(&b'R') => Some(RrvsAction::Reject),
        Some([c]) if c.eq_ignore_ascii_case(&b'C') => Some(RrvsAction::Continue),
        Some(_) => return Err(invalid("RRVS", line, at + time.len() + 1, "'C' or 'R'")),
    };
    let t = DateTime::new(Cow::Borrowed(time)).map_err(|e| shifted("RRVS", e, at))?;
    Rrvs::new(t, action).map_err(|e| shifted("RRVS", e, at))
}
