//! SEARCH (RFC 9051 section 6.4.4, RFC 4731 ESEARCH, RFC 5032, RFC 7162):
//! `[UID] SEARCH [RETURN (opts)] [CHARSET c] key *(SP key)`.

use mail_wire::LimitError;

use super::{CommandErrorKind, Cur, R};
use crate::parse::values::parse_string;
use crate::types::NonEmptyVec;
use crate::types::command::search::MONTHS;
use crate::types::command::{CommandBody, SearchDate, SearchKey, SearchReturn};

/// `SEARCH` after its name.
pub(crate) fn search<'a>(c: &mut Cur<'a>, uid: bool) -> R<CommandBody<'a>> {
    c.sp()?;
    let return_opts = if c.eat_word(b"RETURN ") {
        c.expect(b'(', "'('")?;
        let v = c.list_rest(|c| {
            let start = c.pos;
            let a = c.atom()?;
            let s = a.as_str().as_bytes();
            Ok(if s.eq_ignore_ascii_case(b"MIN") {
                SearchReturn::Min
            } else if s.eq_ignore_ascii_case(b"MAX") {
                SearchReturn::Max
            } else if s.eq_ignore_ascii_case(b"ALL") {
                SearchReturn::All
            } else if s.eq_ignore_ascii_case(b"COUNT") {
                SearchReturn::Count
            } else if s.eq_ignore_ascii_case(b"SAVE") {
                SearchReturn::Save
            } else if c.peek() == Some(b' ') || c.peek() == Some(b')') {
                SearchReturn::Other(a)
            } else {
                return Err(c.err_at(start, "search-return-opt"));
            })
        })?;
        c.sp()?;
        Some(v)
    } else {
        None
    };
    let charset = if c.eat_word(b"CHARSET ") {
        let cs = c.astring()?;
        c.sp()?;
        Some(cs)
    } else {
        None
    };
    let mut keys = vec![key(c, 0)?];
    while c.eat(b' ') {
        keys.push(key(c, 0)?);
        c.check_items(keys.len())?;
    }
    let criteria = NonEmptyVec::new(keys).map_err(|_| c.err("search-key"))?;
    Ok(CommandBody::Search {
        uid,
        return_opts,
        charset,
        criteria,
    })
}

/// `date`: `date-text` or `DQUOTE date-text DQUOTE`, with
/// `date-text = date-day "-" date-month "-" date-year`.
fn date(c: &mut Cur<'_>) -> R<SearchDate> {
    let quoted = c.eat(b'"');
    let start = c.pos;
    let d = c.run(|b| b.is_ascii_digit());
    if d.is_empty() || d.len() > 2 {
        return Err(c.err_at(start, "date-day (1 or 2 digits)"));
    }
    let day = d.iter().fold(0u8, |n, &b| n * 10 + (b - b'0'));
    c.expect(b'-', "'-'")?;
    let month = month(c)?;
    c.expect(b'-', "'-'")?;
    let ys = c.pos;
    let y = c.run(|b| b.is_ascii_digit());
    if y.len() != 4 {
        return Err(c.err_at(ys, "date-year (4 digits)"));
    }
    let year = y.iter().fold(0u16, |n, &b| n * 10 + u16::from(b - b'0'));
    if quoted {
        c.expect(b'"', "'\"'")?;
    }
    SearchDate::new(year, month, day).map_err(|_| c.err_at(start, "valid date"))
}

/// `date-month`, any case; returns 1 to 12.
pub(crate) fn month(c: &mut Cur<'_>) -> R<u8> {
    let at = c.pos;
    let m = c.b.get(c.pos..c.pos + 3).unwrap_or_default();
    let i = MONTHS
        .iter()
        .position(|name| name.eq_ignore_ascii_case(m))
        .ok_or_else(|| c.err_at(at, "date-month"))?;
    c.pos += 3;
    Ok(u8::try_from(i + 1).unwrap_or(1))
}

fn arg<'a, T>(c: &mut Cur<'a>, f: impl FnOnce(&mut Cur<'a>) -> R<T>) -> R<T> {
    c.sp()?;
    f(c)
}

/// One `search-key`, `depth` levels inside parentheses, NOT or OR.
fn key<'a>(c: &mut Cur<'a>, depth: usize) -> R<SearchKey<'a>> {
    let max = c.opts.limits.max_search_depth;
    if depth >= max {
        return Err(CommandErrorKind::Limit(LimitError::new(
            "max_search_depth",
            max as u64,
        )));
    }
    match c.peek() {
        Some(b'(') => {
            let v = c.nonempty_list("search-key", |c| key(c, depth + 1))?;
            return Ok(SearchKey::And(v));
        }
        Some(b'0'..=b'9' | b'*' | b'$') => return Ok(SearchKey::SequenceSet(c.seq_set()?)),
        _ => {}
    }
    let start = c.pos;
    let w = c.run(|b| b.is_ascii_alphanumeric());
    let is = |n: &[u8]| w.eq_ignore_ascii_case(n);
    use SearchKey as K;
    Ok(if is(b"ALL") {
        K::All
    } else if is(b"ANSWERED") {
        K::Answered
    } else if is(b"BCC") {
        K::Bcc(arg(c, Cur::astring)?)
    } else if is(b"BEFORE") {
        K::Before(arg(c, date)?)
    } else if is(b"BODY") {
        K::Body(arg(c, Cur::astring)?)
    } else if is(b"CC") {
        K::Cc(arg(c, Cur::astring)?)
    } else if is(b"DELETED") {
        K::Deleted
    } else if is(b"DRAFT") {
        K::Draft
    } else if is(b"FLAGGED") {
        K::Flagged
    } else if is(b"FROM") {
        K::From(arg(c, Cur::astring)?)
    } else if is(b"HEADER") {
        let f = arg(c, Cur::astring)?;
        K::Header(f, arg(c, Cur::astring)?)
    } else if is(b"KEYWORD") {
        K::Keyword(arg(c, Cur::atom)?)
    } else if is(b"LARGER") {
        K::Larger(arg(c, Cur::number64)?)
    } else if is(b"NEW") {
        K::New
    } else if is(b"NOT") {
        K::Not(Box::new(arg(c, |c| key(c, depth + 1))?))
    } else if is(b"OLD") {
        K::Old
    } else if is(b"ON") {
        K::On(arg(c, date)?)
    } else if is(b"OR") {
        let a = arg(c, |c| key(c, depth + 1))?;
        let b = arg(c, |c| key(c, depth + 1))?;
        K::Or(Box::new(a), Box::new(b))
    } else if is(b"RECENT") {
        K::Recent
    } else if is(b"SEEN") {
        K::Seen
    } else if is(b"SENTBEFORE") {
        K::SentBefore(arg(c, date)?)
    } else if is(b"SENTON") {
        K::SentOn(arg(c, date)?)
    } else if is(b"SENTSINCE") {
        K::SentSince(arg(c, date)?)
    } else if is(b"SINCE") {
        K::Since(arg(c, date)?)
    } else if is(b"SMALLER") {
        K::Smaller(arg(c, Cur::number64)?)
    } else if is(b"SUBJECT") {
        K::Subject(arg(c, Cur::astring)?)
    } else if is(b"TEXT") {
        K::Text(arg(c, Cur::astring)?)
    } else if is(b"TO") {
        K::To(arg(c, Cur::astring)?)
    } else if is(b"UID") {
        K::Uid(arg(c, Cur::seq_set)?)
    } else if is(b"UNANSWERED") {
        K::Unanswered
    } else if is(b"UNDELETED") {
        K::Undeleted
    } else if is(b"UNDRAFT") {
        K::Undraft
    } else if is(b"UNFLAGGED") {
        K::Unflagged
    } else if is(b"UNKEYWORD") {
        K::Unkeyword(arg(c, Cur::atom)?)
    } else if is(b"UNSEEN") {
        K::Unseen
    } else if is(b"OLDER") {
        K::Older(arg(c, Cur::number)?)
    } else if is(b"YOUNGER") {
        K::Younger(arg(c, Cur::number)?)
    } else if is(b"MODSEQ") {
        c.sp()?;
        let entry = if c.peek() == Some(b'"') || c.peek() == Some(b'{') {
            let o = c.opts.values;
            let name = c.value(|b| parse_string(b, o))?;
            c.sp()?;
            let ty = c.atom()?;
            c.sp()?;
            Some((name, ty))
        } else {
            None
        };
        K::ModSeq {
            entry,
            modseq: c.number64()?,
        }
    } else {
        return Err(c.err_at(start, "search-key"));
    })
}
