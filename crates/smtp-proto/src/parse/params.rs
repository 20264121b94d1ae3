//! `Mail-parameters` and `Rcpt-parameters` (RFC 5321 section 4.1.2) and the
//! value grammars of the extensions that define them.

use std::borrow::Cow;

use mail_wire::{LimitError, SyntaxError};

use crate::parse::chars;
use crate::parse::values::{
    by_value, decimal_u64, is_keyword_char, is_value_char, notify_value, validate_atom,
};
use crate::parse::{CommandError, CommandOptions};
use crate::types::datetime::DateTime;
use crate::types::mail_values::{AuthParam, Body, Hold, HoldFor, HoldUntil, MtPriority, Ret};
use crate::types::params::{MailParameters, ParamError, Parameter, RcptParameters};
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
    /// candidates to compare.
    fn lookup(k: &[u8]) -> Option<Kw> {
        let candidates: &[(&[u8], Kw)] = match k.len() {
            2 => &[(b"BY", Kw::By)],
            3 => &[(b"RET", Kw::Ret)],
            4 => &[
                (b"SIZE", Kw::Size),
                (b"BODY", Kw::Body),
                (b"AUTH", Kw::Auth),
                (b"RRVS", Kw::Rrvs),
            ],
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

/// How many bytes from `b[i..]` satisfy `pred`, as one tight loop.
#[inline]
fn run_len(b: &[u8], i: usize, pred: impl Fn(u8) -> bool) -> usize {
    let rest = b.get(i..).unwrap_or_default();
    rest.iter().position(|&c| !pred(c)).unwrap_or(rest.len())
}

/// One `esmtp-param` as found on the line.
struct RawParam<'a> {
    keyword: &'a str,
    /// The keyword, if typed.
    kw: Option<Kw>,
    value: Option<&'a str>,
    /// Offset of the value in the line.
    at: usize,
}

/// Calls `f` for each ` keyword[=value]` from `start` to the end of `line`.
#[inline]
fn each_param<'a>(
    line: &'a str,
    start: usize,
    opts: &CommandOptions,
    mut f: impl FnMut(RawParam<'a>) -> Result<(), CommandError>,
) -> Result<(), CommandError> {
    let b = line.as_bytes();
    let mut i = start;
    let mut count = 0usize;
    while i < b.len() {
        if b.get(i) != Some(&b' ') {
            return Err(SyntaxError::at(b, i, "SP before a parameter").into());
        }
        i += 1;
        let k = i;
        if !b.get(i).is_some_and(u8::is_ascii_alphanumeric) {
            return Err(SyntaxError::at(b, i, "an ESMTP keyword").into());
        }
        i += run_len(b, i, is_keyword_char);
        let keyword = line.get(k..i).unwrap_or_default();
        let mut value = None;
        let at = i + 1;
        if b.get(i) == Some(&b'=') {
            i += 1;
            i += run_len(b, i, is_value_char);
            if i == at {
                return Err(SyntaxError::at(b, i, "a parameter value").into());
            }
            value = line.get(at..i);
        }
        if !matches!(b.get(i), None | Some(b' ')) {
            return Err(SyntaxError::at(b, i, "SP or end of line after a parameter").into());
        }
        count += 1;
        if count > opts.max_parameters {
            return Err(LimitError::new("max_parameters", opts.max_parameters as u64).into());
        }
        f(RawParam {
            keyword,
            kw: Kw::lookup(keyword.as_bytes()),
            value,
            at,
        })?;
    }
    Ok(())
}

impl<'a> RawParam<'a> {
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

    fn duplicate(&self) -> ParamError {
        ParamError::Duplicate {
            keyword: self.keyword.to_owned(),
        }
    }

    /// Checks a typed field is still unset.
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
fn push_other<'a>(other: &mut Vec<Parameter<'a>>, raw: &RawParam<'a>) -> Result<(), ParamError> {
    if other
        .iter()
        .any(|p| raw.keyword.eq_ignore_ascii_case(p.keyword()))
    {
        return Err(raw.duplicate());
    }
    other.push(Parameter::from_valid(raw.keyword, raw.value));
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
    each_param(line, start, opts, |raw| {
        mail_param(line, &mut p, &raw).map_err(CommandError::from)
    })?;
    Ok(p)
}

#[inline]
fn mail_param<'a>(
    line: &'a str,
    p: &mut MailParameters<'a>,
    raw: &RawParam<'a>,
) -> Result<(), ParamError> {
    let at = raw.at;
    if raw.kw == Some(Kw::Size) {
        raw.once(&p.size)?;
        let v = raw.value("SIZE")?;
        let size = decimal_u64(v.as_bytes()).map_err(|e| match e {
            Some(i) => invalid("SIZE", line, at + i, "a decimal size"),
            None => ParamError::OutOfRange { keyword: "SIZE" },
        })?;
        // size-value = 1*20DIGIT (RFC 1870 section 5): no padding beyond.
        if v.len() > 20 {
            return Err(ParamError::OutOfRange { keyword: "SIZE" });
        }
        p.size = Some(size);
    } else if raw.kw == Some(Kw::Body) {
        raw.once(&p.body)?;
        let v = raw.value("BODY")?;
        let table = [
            ("7BIT", Body::SevenBit),
            ("8BITMIME", Body::EightBitMime),
            ("BINARYMIME", Body::BinaryMime),
        ];
        p.body = Some(
            keyword_of(v, &table)
                .ok_or_else(|| invalid("BODY", line, at, "7BIT, 8BITMIME or BINARYMIME"))?,
        );
    } else if raw.kw == Some(Kw::SmtpUtf8) {
        p.smtputf8 = raw.flag("SMTPUTF8", p.smtputf8)?;
    } else if raw.kw == Some(Kw::Ret) {
        raw.once(&p.ret)?;
        let v = raw.value("RET")?;
        let table = [("FULL", Ret::Full), ("HDRS", Ret::Hdrs)];
        p.ret =
            Some(keyword_of(v, &table).ok_or_else(|| invalid("RET", line, at, "FULL or HDRS"))?);
    } else if raw.kw == Some(Kw::Envid) {
        raw.once(&p.envid)?;
        let v = raw.value("ENVID")?;
        p.envid = Some(XText::parse(v).map_err(|e| shifted("ENVID", e, at))?);
    } else if raw.kw == Some(Kw::Auth) {
        raw.once(&p.auth)?;
        let v = raw.value("AUTH")?;
        p.auth = Some(if v == "<>" {
            AuthParam::Unknown
        } else {
            AuthParam::Mailbox(XText::parse(v).map_err(|e| shifted("AUTH", e, at))?)
        });
    } else if raw.kw == Some(Kw::RequireTls) {
        p.requiretls = raw.flag("REQUIRETLS", p.requiretls)?;
    } else if raw.kw == Some(Kw::MtPriority) {
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
    } else if raw.kw == Some(Kw::HoldFor) || raw.kw == Some(Kw::HoldUntil) {
        p.hold = Some(hold_param(line, p.hold.take(), raw)?);
    } else if raw.kw == Some(Kw::By) {
        raw.once(&p.by)?;
        let v = raw.value("BY")?;
        p.by = Some(by_value(line, v, at)?);
    } else {
        push_other(&mut p.other, raw)?;
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
    each_param(line, start, opts, |raw| {
        rcpt_param(line, &mut p, &raw).map_err(CommandError::from)
    })?;
    Ok(p)
}

#[inline]
fn rcpt_param<'a>(
    line: &'a str,
    p: &mut RcptParameters<'a>,
    raw: &RawParam<'a>,
) -> Result<(), ParamError> {
    let at = raw.at;
    if raw.kw == Some(Kw::Notify) {
        raw.once(&p.notify)?;
        p.notify = Some(notify_value(line, raw.value("NOTIFY")?, at)?);
    } else if raw.kw == Some(Kw::Orcpt) {
        raw.once(&p.orcpt)?;
        let v = raw.value("ORCPT")?;
        let (kind, addr) = split_byte(v, b';')
            .ok_or_else(|| invalid("ORCPT", line, at + v.len(), "';' after the address type"))?;
        validate_atom(kind).map_err(|e| shifted("ORCPT", e, at))?;
        let addr = XText::parse(addr).map_err(|e| shifted("ORCPT", e, at + kind.len() + 1))?;
        p.orcpt = Some(Orcpt::from_valid(kind, addr));
    } else if raw.kw == Some(Kw::Rrvs) {
        raw.once(&p.rrvs)?;
        let v = raw.value("RRVS")?;
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
        p.rrvs = Some(Rrvs::new(t, action).map_err(|e| shifted("RRVS", e, at))?);
    } else {
        push_other(&mut p.other, raw)?;
    }
    Ok(())
}
