//! The fast path for the lines a server sees most: `MAIL FROM:<path>` and
//! `RCPT TO:<path>` with a plain Dot-string mailbox, a domain, and no
//! parameters or only `SIZE`, `BODY`, `NOTIFY` and `ORCPT`; and
//! `EHLO`/`HELO`/`LHLO` with a domain.
//!
//! It scans the line once, straight from the caller's buffer: the grammar
//! itself stops at the CR, so no separate search for the line end runs
//! first, and the line is checked for UTF-8 once the grammar has accepted
//! it. Anything outside that shape (a quoted local part, an address
//! literal, a source route, any other parameter, any error) makes it return
//! `None`, and the general parser handles the line. So the fast path never
//! decides an error, and everything it accepts the general parser accepts
//! with the same result (the unit tests at the end and the differential
//! tests of the crate check this, and fuzzing builds assert it on every
//! answer: see [`command`]).

use mail_wire::swar::{self, HIGH, ONES, in_range};

use crate::parse::CommandOptions;
use crate::parse::chars::{self, ADDR_TYPE, ATEXT, VALUE};
use crate::parse::command::{Known, verb4};
use crate::parse::values::decimal_u64;
use crate::types::command::Command;
use crate::types::host::{Domain, Host, MAX_DOMAIN_LEN, MAX_LABEL_LEN};
use crate::types::local_part::{LocalPart, MAX_LOCAL_PART_LEN};
use crate::types::mail_values::Body;
use crate::types::params::{MailParameters, RcptParameters};
use crate::types::path::{ForwardPath, MAX_PATH_LEN, Mailbox, Path, ReversePath};
use crate::types::rcpt_values::{Notify, Orcpt};
use crate::types::xtext::XText;

/// Where a line must end for the fast path to accept it.
#[derive(Clone, Copy)]
pub(crate) enum End {
    /// At CR LF (parsing from a raw buffer); the octets consumed include
    /// them.
    Crlf,
    /// At the end of the slice (a line already framed).
    Slice,
}

/// `Some((command, octets consumed))` when `b` starts with a line of the
/// common shape, `None` otherwise (the caller then runs the general
/// parser).
#[inline(always)]
pub(crate) fn command<'a>(
    b: &'a [u8],
    end: End,
    opts: &CommandOptions,
) -> Option<(Command<'a>, usize)> {
    let found = dispatch(b, end, opts);
    // Under the fuzzer, every answer is checked against the general
    // parser, which must accept the same line with the same result.
    #[cfg(fuzzing)]
    if let Some((cmd, n)) = &found {
        let line = match end {
            End::Crlf => b.get(..n.saturating_sub(2)),
            End::Slice => Some(b),
        };
        let general = line.map(|l| crate::parse::command::parse_line(l, opts, false));
        assert_eq!(
            general.as_ref().map(Result::as_ref),
            Some(Ok(cmd)),
            "fast path on {b:?}"
        );
    }
    found
}

#[inline(always)]
fn dispatch<'a>(b: &'a [u8], end: End, opts: &CommandOptions) -> Option<(Command<'a>, usize)> {
    let &[v0, v1, v2, v3, b' ', ..] = b else {
        return None;
    };
    match verb4(v0, v1, v2, v3)? {
        Known::Rcpt => rcpt(b, end, opts),
        Known::Mail => mail(b, end, opts),
        k @ (Known::Ehlo | Known::Helo | Known::Lhlo) => hello(b, k, end),
        _ => None,
    }
}

/// `EHLO`, `HELO` or `LHLO` with a domain (an address literal takes the
/// general path).
#[inline]
fn hello(b: &[u8], verb: Known, end: End) -> Option<(Command<'_>, usize)> {
    let e = domain(b, 5)?;
    if e - 5 > MAX_DOMAIN_LEN {
        return None;
    }
    let consumed = line_end(b, e, end)?;
    let host = Host::Domain(Domain::from_valid(utf8(b, 5, e)?));
    let cmd = match verb {
        Known::Ehlo => Command::Ehlo { host },
        Known::Helo => Command::Helo { host },
        _ => Command::Lhlo { host },
    };
    Some((cmd, consumed))
}

/// Upper-cases the letters of a little word compare: see `verb4`.
const fn upper(w: u32, letters: u32) -> u32 {
    w & !(letters & 0x2020_2020)
}

#[inline(always)]
fn rcpt<'a>(b: &'a [u8], end: End, opts: &CommandOptions) -> Option<(Command<'a>, usize)> {
    // "TO:<", letters in any case.
    let w = u32::from_be_bytes(*b.get(5..9)?.first_chunk()?);
    if upper(w, 0xFFFF_0000) != u32::from_be_bytes(*b"TO:<") {
        return None;
    }
    let (mailbox, path_end) = mailbox(b, 8)?;
    let mut p = RcptParameters::default();
    let mut notify = None;
    let mut orcpt = None;
    let e = params(b, path_end, opts, |k, v| match k.len() {
        6 if chars::eq_upper(k, b"NOTIFY") && notify.is_none() => {
            notify = Some(notify_bits(b.get(v.clone())?)?);
            Some(())
        }
        5 if chars::eq_upper(k, b"ORCPT") && orcpt.is_none() => {
            orcpt = Some(v);
            Some(())
        }
        _ => None,
    })?;
    let consumed = line_end(b, e, end)?;
    // Only the mailbox and an ORCPT value can hold non-ASCII bytes: the
    // rest of the line matched ASCII exactly. So only the text from the
    // mailbox on is checked for UTF-8 (`base` is where it starts).
    let base = mailbox.local.start;
    let checked = if orcpt.is_some() {
        e
    } else {
        mailbox.domain.end
    };
    let s = utf8(b, base, checked)?;
    p.notify = notify;
    if let Some(v) = orcpt {
        let v = s
            .split_at_checked(v.end - base)?
            .0
            .split_at_checked(v.start - base)?
            .1;
        // The addr-type (ASCII `atext` but `=`) runs up to the `;`: one
        // scan checks it and finds the `;`.
        let semi = chars::span(v.as_bytes(), 0, ADDR_TYPE);
        if semi == 0 || v.as_bytes().get(semi) != Some(&b';') {
            return None;
        }
        let addr = v.get(semi + 1..)?;
        // Plain xtext (no `+XX` escape) stands for itself, so the value
        // as written is the `Orcpt`; `XText::parse` decodes the rest. The
        // value is a run of `esmtp-value` octets, which are all `xchar`
        // but `+` (UTF-8 included), so it is plain when it has no `+`.
        p.orcpt = Some(
            if !addr.is_empty() && memchr::memchr(b'+', addr.as_bytes()).is_none() {
                Orcpt::from_plain(v)
            } else {
                Orcpt::from_parts(v.get(..semi)?, &XText::parse(addr).ok()?)
            },
        );
    }
    let to = ForwardPath::Path(Path::new(mailbox.build(s, base)?));
    Some((Command::Rcpt { to, params: p }, consumed))
}

#[inline(always)]
fn mail<'a>(b: &'a [u8], end: End, opts: &CommandOptions) -> Option<(Command<'a>, usize)> {
    // "FROM:<", letters in any case.
    let w = u32::from_be_bytes(*b.get(5..9)?.first_chunk()?);
    if upper(w, 0xFFFF_FFFF) != u32::from_be_bytes(*b"FROM") || b.get(9..11)? != b":<" {
        return None;
    }
    let (mailbox, path_end) = if b.get(11) == Some(&b'>') {
        (None, 12)
    } else {
        let (m, e) = mailbox(b, 10)?;
        (Some(m), e)
    };
    let mut p = MailParameters::default();
    let e = params(b, path_end, opts, |k, v| {
        let v = b.get(v)?;
        match k.len() {
            4 if chars::eq_upper(k, b"SIZE") && p.size.is_none() => {
                if v.len() > 20 {
                    return None;
                }
                p.size = Some(decimal_u64(v).ok()?);
            }
            4 if chars::eq_upper(k, b"BODY") && p.body.is_none() => {
                p.body = Some(if chars::eq_upper(v, b"8BITMIME") {
                    Body::EightBitMime
                } else if chars::eq_upper(v, b"7BIT") {
                    Body::SevenBit
                } else if chars::eq_upper(v, b"BINARYMIME") {
                    Body::BinaryMime
                } else {
                    return None;
                });
            }
            _ => return None,
        }
        Some(())
    })?;
    let consumed = line_end(b, e, end)?;
    // Only the mailbox can hold non-ASCII bytes (SIZE and BODY values
    // matched ASCII exactly), so only it is checked for UTF-8.
    let from = match mailbox {
        None => ReversePath::Null,
        Some(m) => {
            let base = m.local.start;
            let s = utf8(b, base, m.domain.end)?;
            ReversePath::Path(Path::new(m.build(s, base)?))
        }
    };
    Some((Command::Mail { from, params: p }, consumed))
}

/// `b[start..end]` as text, or `None` when it is not UTF-8.
///
/// `str::from_utf8` checks ASCII sixteen octets at a time, but only from an
/// address that is a multiple of eight, and goes octet by octet before it
/// reaches one and after the last whole block of sixteen; on a mailbox of a
/// few dozen octets those octet loops cost more than the rest. So the check
/// starts up to seven octets early, at such an address (the octets before
/// `start` are the verb and `TO:<`/`FROM:<`, which the fast path matched as
/// ASCII), and runs on to the end of a block when the buffer holds the
/// octets (the CRLF and whatever follows it). When those extra octets are
/// not UTF-8 themselves, the exact range is checked instead, so they change
/// nothing but the speed.
#[inline(always)]
fn utf8(b: &[u8], start: usize, end: usize) -> Option<&str> {
    let back = (b.as_ptr().addr().wrapping_add(start) % 8).min(start);
    let from = start - back;
    let len = end.checked_sub(from)?;
    let padded = from + len.next_multiple_of(16);
    if padded > end
        && let Some(s) = b
            .get(from..padded)
            .and_then(|w| std::str::from_utf8(w).ok())
    {
        return Some(s.split_at_checked(len)?.0.split_at_checked(back)?.1);
    }
    let s = std::str::from_utf8(b.get(from..end)?).ok()?;
    Some(s.split_at_checked(back)?.1)
}

/// The offsets of a mailbox found by [`mailbox`].
struct Offsets {
    local: std::ops::Range<usize>,
    domain: std::ops::Range<usize>,
}

impl Offsets {
    /// The mailbox, given the line from `base` on as checked UTF-8.
    #[inline(always)]
    fn build(self, s: &str, base: usize) -> Option<Mailbox<'_>> {
        // `s` starts at the local part (`base`), which ends at the `@`
        // before the domain.
        let (local, rest) = s.split_at_checked(self.local.end - base)?;
        let (_at, rest) = rest.split_at_checked(1)?;
        let (domain, _) = rest.split_at_checked(self.domain.len())?;
        Some(Mailbox::from_valid(
            LocalPart::from_valid(local),
            Host::Domain(Domain::from_valid(domain)),
        ))
    }
}

/// `<local@domain>` with `<` at `open`: a Dot-string local part and a
/// domain. Returns the offsets and the offset after `>`.
#[inline(always)]
fn mailbox(b: &[u8], open: usize) -> Option<(Offsets, usize)> {
    let ls = open + 1;
    let le = dot_string(b, ls)?;
    if le - ls > MAX_LOCAL_PART_LEN || b.get(le) != Some(&b'@') {
        return None;
    }
    let ds = le + 1;
    let de = domain(b, ds)?;
    if de - ds > MAX_DOMAIN_LEN || b.get(de) != Some(&b'>') || de + 1 - open > MAX_PATH_LEN {
        return None;
    }
    Some((
        Offsets {
            local: ls..le,
            domain: ds..de,
        },
        de + 1,
    ))
}

/// The end of the RFC 5321 `Dot-string` (atoms of [`ATEXT`] joined by
/// single dots) that starts at `i`, or `None` when an atom is empty (a dot
/// at either end, two dots together, or no atom at all). The dots are
/// checked as the atoms are scanned, so no second pass runs.
#[inline(always)]
fn dot_string(b: &[u8], mut i: usize) -> Option<usize> {
    loop {
        let e = chars::span(b, i, ATEXT);
        if e == i {
            return None;
        }
        if b.get(e) != Some(&b'.') {
            return Some(e);
        }
        i = e + 1;
    }
}

/// The end of the domain (RFC 5321 `Domain`: labels of letters, digits,
/// hyphens and UTF-8 joined by single dots) that starts at `i`, or `None`
/// when a label is empty, longer than 63 octets, or starts or ends with a
/// hyphen. The caller checks the total length.
///
/// One pass, eight octets at a time, with no work per label. Each word
/// gives the high bit of its octets that are a dot or a hyphen (`sep`) and
/// of its dots. Counting the place before the domain and the first octet
/// after it as dots, the rules above come to one: no two neighbours are
/// both in `sep` with one of them a dot (`..` is an empty label, `.-` and
/// `-.` a hyphen at a label's edge; hyphens together, as in `xn--`, are
/// allowed). Only a domain longer than 63 octets can hold an over-long
/// label, so only such a domain has its labels measured.
#[inline(always)]
fn domain(b: &[u8], start: usize) -> Option<usize> {
    let mut i = start;
    // The octet before `i`, at the high bit of octet 0: the place before
    // the domain counts as a dot.
    let (mut prev_sep, mut prev_dot) = (0x80, 0x80);
    loop {
        let w = word_at(b, i)?;
        let utf8 = w & HIGH;
        let a = w ^ utf8;
        // `-` and `.` are neighbours (0x2D, 0x2E): one range, then bit 0
        // tells them apart.
        let mut sep = in_range(a, b'-', b'.') & !utf8;
        let mut dot = sep & !(a << 7);
        let ok = utf8 | sep | in_range(a | (ONES * 0x20), b'a', b'z') | in_range(a, b'0', b'9');
        let out = !ok & HIGH;
        if out != 0 {
            // The first octet past the domain counts as a dot; the octets
            // after it are not looked at.
            let first = out & out.wrapping_neg();
            let before = first - 1;
            sep = (sep & before) | first;
            dot = (dot & before) | first;
        }
        if sep & ((sep << 8) | prev_sep) & (dot | (dot << 8) | prev_dot) != 0 {
            return None;
        }
        if out != 0 {
            let e = i + (out.trailing_zeros() / 8) as usize;
            let name = b.get(start..e)?;
            if name.len() > MAX_LABEL_LEN
                && name.split(|&c| c == b'.').any(|l| l.len() > MAX_LABEL_LEN)
            {
                return None;
            }
            return Some(e);
        }
        prev_sep = (sep >> 56) & 0x80;
        prev_dot = (dot >> 56) & 0x80;
        i += 8;
    }
}

/// The eight octets of `b` from `i`, little-endian, with zero octets (in
/// no class) standing for those past the end of `b`; `None` when `i` is
/// past the end.
#[inline(always)]
fn word_at(b: &[u8], i: usize) -> Option<u64> {
    if let Some(w) = b.get(i..i + 8).and_then(|w| w.first_chunk::<8>()) {
        return Some(u64::from_le_bytes(*w));
    }
    let rest = b.get(i..)?;
    let mut w = [0u8; 8];
    w.get_mut(..rest.len())?.copy_from_slice(rest);
    Some(u64::from_le_bytes(w))
}

/// [`chars::span`] of the class `mask`, eight octets at a time: `class`
/// gives the high bit of each byte of a word that is in the class, by
/// arithmetic (see [`mail_wire::swar`]) instead of a table look-up per
/// octet; UTF-8 octets (high bit set) are judged by `class`.
#[inline(always)]
fn span8(b: &[u8], i: usize, mask: u8, class: impl Fn(u64, u64) -> u64) -> usize {
    swar::span(b, i, class, |c| chars::is(c, mask))
}

/// The end of the run of [`VALUE`] octets (33 to 126 but `=`, and UTF-8)
/// from `i`.
#[inline(always)]
fn value_end(b: &[u8], i: usize) -> usize {
    span8(b, i, VALUE, |w, a| {
        (w & HIGH) | (in_range(a, 33, 126) & !in_range(a, b'=', b'='))
    })
}

/// The ` keyword[=value]` parameters from `i`: calls `f` with the keyword
/// and the value's range for each (a parameter without a value, or one
/// `f` refuses, ends the fast path). Returns where they end.
#[inline(always)]
fn params(
    b: &[u8],
    mut i: usize,
    opts: &CommandOptions,
    mut f: impl FnMut(&[u8], std::ops::Range<usize>) -> Option<()>,
) -> Option<usize> {
    let mut count = 0;
    while b.get(i) == Some(&b' ') {
        let k = i + 1;
        let ke = chars::span(b, k, chars::KEYWORD);
        if b.get(ke) != Some(&b'=') || !b.get(k).is_some_and(u8::is_ascii_alphanumeric) {
            return None;
        }
        let vs = ke + 1;
        i = value_end(b, vs);
        count += 1;
        if i == vs || count > opts.max_parameters {
            return None;
        }
        f(b.get(k..ke)?, vs..i)?;
    }
    Some(i)
}

/// The octets consumed when the line ends at `e` as `end` requires.
#[inline(always)]
fn line_end(b: &[u8], e: usize, end: End) -> Option<usize> {
    match end {
        End::Crlf => (b.get(e..e + 2)? == b"\r\n").then_some(e + 2),
        End::Slice => (e == b.len()).then_some(e),
    }
}

/// `NOTIFY=` value bits, or `None` for anything but a valid list.
#[inline]
fn notify_bits(v: &[u8]) -> Option<Notify> {
    if chars::eq_upper(v, b"NEVER") {
        return Some(Notify::never());
    }
    // Item by item without a splitting iterator: each is `SUCCESS`,
    // `FAILURE` or `DELAY`, followed by a comma and another item or by the
    // end of the value.
    let mut bits = 0u8;
    let mut rest = v;
    loop {
        let (bit, len) = match rest.get(..7) {
            Some(w) if chars::eq_upper(w, b"SUCCESS") => (1, 7),
            Some(w) if chars::eq_upper(w, b"FAILURE") => (2, 7),
            _ if rest.get(..5).is_some_and(|w| chars::eq_upper(w, b"DELAY")) => (4, 5),
            _ => return None,
        };
        if bits & bit != 0 {
            return None;
        }
        bits |= bit;
        match rest.get(len..)? {
            [] => break,
            [b',', tail @ ..] => rest = tail,
            _ => return None,
        }
    }
    Some(Notify::from_bits(bits))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path agrees with the general parser wherever it answers.
    fn same(line: &str) -> bool {
        let opts = CommandOptions::default();
        let framed = format!("{line}\r\nRSET\r\n");
        let fast = command(framed.as_bytes(), End::Crlf, &opts);
        let general = crate::parse::command::parse_line(line.as_bytes(), &opts, false);
        if let Some((cmd, n)) = &fast {
            assert_eq!(*n, line.len() + 2, "{line}");
            assert_eq!(Ok(cmd), general.as_ref(), "{line}");
        }
        let slice = command(line.as_bytes(), End::Slice, &opts);
        assert_eq!(fast.map(|f| f.0), slice.map(|f| f.0), "{line}");
        command(line.as_bytes(), End::Slice, &opts).is_some()
    }

    #[test]
    fn common_lines_take_the_fast_path() {
        for line in [
            "MAIL FROM:<a.b@example.org> SIZE=100 BODY=8BITMIME",
            "mail from:<>",
            "MAIL FROM:<newsletter-bounces+user0=example.org@lists.mailer-service.example.com>",
            "RCPT TO:<alice.smith0@example.org>",
            "RCPT To:<c@d0.example.co.uk> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;c@d0.example.co.uk",
            "RCPT TO:<用户@例子.广告>",
            "RCPT TO:<x@a-b.c> NOTIFY=never ORCPT=utf-8;j+C3+B6rg@example.com",
            "RCPT TO:<x@y> NOTIFY=DELAY,SUCCESS,FAILURE",
            "RCPT TO:<x@y> NOTIFY=failure,delay",
            "RCPT TO:<x@y> NOTIFY=Delay",
            "EHLO mail-out-17.sender.example.com",
            "helo x",
            "LHLO a-b.example",
            "EHLO 例え.jp",
        ] {
            assert!(same(line), "{line}");
        }
    }

    #[test]
    fn other_lines_fall_back() {
        for line in [
            "MAIL FROM:<\"a b\"@example.org>",
            "MAIL FROM:<a@[192.0.2.1]>",
            "RCPT TO:<@r.example:a@b.example>",
            "RCPT TO:<Postmaster>",
            "RCPT TO:<a..b@c>",
            "RCPT TO:<.a@c>",
            "RCPT TO:<a.@c>",
            "RCPT TO:<a@-b.c>",
            "RCPT TO:<a@b-.c>",
            "RCPT TO:<a@b..c>",
            "RCPT TO:<a@b.-c>",
            "RCPT TO:<a@.b>",
            "RCPT TO:<a@b.>",
            "RCPT TO:<a@b> NOTIFY=NEVER,DELAY",
            "RCPT TO:<a@b> NOTIFY=DELAY,DELAY",
            "RCPT TO:<a@b> NOTIFY=DELAY NOTIFY=DELAY",
            "RCPT TO:<a@b> NOTIFY=SUCCESS,",
            "RCPT TO:<a@b> NOTIFY=,SUCCESS",
            "RCPT TO:<a@b> NOTIFY=SUCCESSX",
            "RCPT TO:<a@b> NOTIFY=DELAYS",
            "RCPT TO:<a@b> NOTIFY=SUCCESS,,DELAY",
            "RCPT TO:<a@b> NOTIFY=DELA",
            "RCPT TO:<a@b> ORCPT=x",
            "RCPT TO:<a@b> ORCPT=a=b;x",
            "RCPT TO:<a@b> X-FOO=1",
            "RCPT TO:<a@b> SIZE=1",
            "MAIL FROM:<a@b> SIZE=1 SIZE=2",
            "MAIL FROM:<a@b> SIZE=x",
            "MAIL FROM:<a@b> SIZE=123456789012345678901",
            "MAIL FROM:<a@b> BODY=9BIT",
            "MAIL FROM:<a@b> SMTPUTF8",
            "MAIL FROM: <a@b>",
            "MAIL FROM:<a@b> ",
            "RCPT TO:<a@b>\tX",
            "EHLO [192.0.2.1]",
            "EHLO [IPv6:2001:db8::1]",
            "EHLO",
            "EHLO ",
            "EHLO a..b",
            "EHLO -a.b",
            "EHLO a-.b",
            "EHLO a.",
            "EHLO a b",
            "EHLO a ",
            "HELO a_b",
            "EXPN x.y",
        ] {
            assert!(!same(line), "{line}");
        }
        let long_label = format!("RCPT TO:<a@{}.example>", "x".repeat(64));
        assert!(!same(&long_label));
        let ok_label = format!("RCPT TO:<a@{}.example>", "x".repeat(63));
        assert!(same(&ok_label));
        let long_local = format!("RCPT TO:<{}@example>", "x".repeat(65));
        assert!(!same(&long_local));
        // Not UTF-8, wherever it is: the general parser reports it.
        let opts = CommandOptions::default();
        for bad in [
            &b"RCPT TO:<a\xff@b>\r\n"[..],
            b"RCPT TO:<a@b\xff>\r\n",
            b"RCPT TO:<a@b> NOTIFY=SUCCESS\xff\r\n",
            b"RCPT TO:<a@b> NOTIFY=DELAY ORCPT=rfc822;x\xff\r\n",
            b"MAIL FROM:<a@b> BODY=8BITMIME\xc3\xa9\r\n",
            b"MAIL FROM:<> SIZE=1\xff\r\n",
        ] {
            assert!(command(bad, End::Crlf, &opts).is_none(), "{bad:?}");
        }
        assert!(same(
            "RCPT TO:<a@b> NOTIFY=DELAY ORCPT=utf-8;jörg@example.com"
        ));
        // No CRLF yet, or a bare LF: the general parser decides.
        assert!(command(b"RCPT TO:<a@b>", End::Crlf, &opts).is_none());
        assert!(command(b"RCPT TO:<a@b>\n", End::Crlf, &opts).is_none());
        assert!(command(b"RCPT TO:<a@b>\r", End::Crlf, &opts).is_none());
    }

    #[test]
    fn the_utf8_check_does_not_depend_on_alignment_or_what_follows() {
        // The UTF-8 check starts at an aligned address before the mailbox:
        // the same lines at every offset in a buffer give the same result.
        let opts = CommandOptions::default();
        for line in [
            &b"RCPT TO:<d@example.com>\r\n"[..],
            "RCPT TO:<jörg@例え.jp> ORCPT=utf-8;j+C3+B6rg@example.com\r\n".as_bytes(),
            "MAIL FROM:<ü@b.example> SIZE=1\r\n".as_bytes(),
            b"RCPT TO:<a\xc3@b>\r\n",
            b"MAIL FROM:<a@\xffb>\r\n",
        ] {
            let general = crate::parse::command::parse_line(
                line.strip_suffix(b"\r\n").unwrap(),
                &opts,
                false,
            )
            .ok();
            // What follows the CRLF (checked with the line when the buffer
            // holds it) changes nothing, UTF-8 or not, whole or cut.
            let tails: [&[u8]; 5] = [
                b"",
                b"RSET\r\n",
                b"\xff\xfe",
                b"\xc3",
                b"0123456789abcdef\xc3\xa9",
            ];
            for pad in 0..16 {
                for tail in tails {
                    let mut buf = vec![b'x'; pad];
                    buf.extend_from_slice(line);
                    buf.extend_from_slice(tail);
                    let fast = command(&buf[pad..], End::Crlf, &opts).map(|(c, _)| c);
                    if general.is_none() {
                        assert!(fast.is_none(), "{line:?} at {pad} + {tail:?}");
                    } else {
                        assert_eq!(fast, general, "{line:?} at {pad} + {tail:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn value_span_matches_the_table() {
        for c in 0..=255u8 {
            for pos in 0..12 {
                let mut b = vec![b'a'; 12];
                b[pos] = c;
                for i in [0, 1, 5] {
                    assert_eq!(value_end(&b, i), chars::span(&b, i, VALUE), "{c} at {pos}");
                }
            }
        }
    }

    /// The label-by-label reading that [`domain`] replaced, as an oracle.
    fn domain_by_labels(b: &[u8], mut i: usize) -> Option<usize> {
        loop {
            let e = chars::span(b, i, chars::LABEL);
            if e == i || e - i > MAX_LABEL_LEN || b[i] == b'-' || b[e - 1] == b'-' {
                return None;
            }
            if b.get(e) != Some(&b'.') {
                return Some(e);
            }
            i = e + 1;
        }
    }

    #[test]
    fn domain_agrees_with_reading_label_by_label() {
        // Every string of up to five octets over an alphabet with a member
        // of each class, at several offsets and before several tails, so
        // that each rule meets each word boundary.
        let alphabet = [b'a', b'Z', b'7', b'-', b'.', 0xC3, 0xAD, b'>', b'_'];
        let tails: [&[u8]; 3] = [b"", b">", b">\r\nRSET\r\n"];
        let mut name = Vec::new();
        for len in 0..=5u32 {
            for n in 0..alphabet.len().pow(len) {
                name.clear();
                let mut k = n;
                for _ in 0..len {
                    name.push(alphabet[k % alphabet.len()]);
                    k /= alphabet.len();
                }
                for pad in [0, 3, 7] {
                    for tail in tails {
                        let mut b = vec![b'x'; pad];
                        b.extend_from_slice(&name);
                        b.extend_from_slice(tail);
                        assert_eq!(
                            domain(&b, pad),
                            domain_by_labels(&b, pad),
                            "{name:?} at {pad} + {tail:?}"
                        );
                    }
                }
            }
        }
        // Label lengths around the limit, in short and long domains.
        for (a, c) in [
            (62, 0),
            (63, 0),
            (64, 0),
            (63, 63),
            (3, 64),
            (64, 3),
            (20, 63),
        ] {
            for pad in 0..8 {
                let mut b = vec![b'x'; pad];
                b.extend(std::iter::repeat_n(b'a', a));
                if c > 0 {
                    b.push(b'.');
                    b.extend(std::iter::repeat_n(b'b', c));
                }
                b.push(b'>');
                let want = domain_by_labels(&b, pad);
                assert_eq!(want.is_some(), a <= 63 && c <= 63, "{a} {c}");
                assert_eq!(domain(&b, pad), want, "{a} {c} at {pad}");
            }
        }
    }

    #[test]
    fn dots_and_hyphens_are_checked_in_the_scan() {
        // Forbidden neighbours at every position, with and without bytes
        // after the name.
        for n in 0..20 {
            for tail in ["", ">", ">\r\nRSET\r\n", ">..\r\n", "@-.x"] {
                let check = |d: &str, dom: bool, dot: bool| {
                    let b = format!("{d}{tail}");
                    let b = b.as_bytes();
                    let whole = |r: Option<usize>| r == Some(d.len());
                    assert_eq!(whole(domain(b, 0)), dom, "{d:?} {tail:?}");
                    assert_eq!(whole(dot_string(b, 0)), dot, "{d:?} {tail:?}");
                };
                let x = "x".repeat(n);
                check(&format!("{x}a.-b"), false, true);
                check(&format!("{x}a-.b"), false, true);
                check(&format!("{x}a.b-c.d"), true, true);
                check(&format!("{x}ab"), true, true);
                check(&format!("-{x}ab"), false, true);
                check(&format!("{x}ab-"), false, true);
            }
            let x = "x".repeat(n);
            for bad in [format!("{x}a..b"), format!(".{x}a"), format!("{x}a.")] {
                let b = format!("{bad}>");
                assert!(domain(b.as_bytes(), 0).is_none(), "{bad:?}");
                assert!(dot_string(b.as_bytes(), 0).is_none(), "{bad:?}");
            }
        }
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        /// Pieces of MAIL/RCPT/EHLO/AUTH lines, valid and not, so that the
        /// lines land on both sides of every check the fast path makes.
        fn piece() -> impl Strategy<Value = String> {
            prop_oneof![
                "[a-zA-Z0-9]{1,8}",
                "[a-z0-9.+=_-]{0,12}",
                "[a-z0-9-]{1,6}(\\.[a-z0-9-]{1,6}){0,3}",
                Just("é".to_string()),
                Just("\"q\"".to_string()),
                Just("[192.0.2.1]".to_string()),
                Just("x".repeat(64)),
            ]
        }

        fn param() -> impl Strategy<Value = String> {
            prop_oneof![
                "(SIZE|size)=[0-9]{1,22}",
                "BODY=(8BITMIME|7bit|BINARYMIME|9BIT)",
                "NOTIFY=((SUCCESS|FAILURE|DELAY|never|X),?){1,4}",
                "ORCPT=(rfc822|utf-8|a=b|)(;|)[a-z@.+0-9A-F]{0,12}",
                "(SMTPUTF8|X-FOO=1|RET=HDRS)",
            ]
        }

        fn line() -> impl Strategy<Value = String> {
            (
                prop_oneof![
                    Just("MAIL FROM:"),
                    Just("mail from:"),
                    Just("RCPT TO:"),
                    Just("Rcpt To:"),
                    Just("EHLO "),
                    Just("AUTH PLAIN "),
                ],
                piece(),
                prop_oneof![6 => Just("@"), 1 => Just(""), 1 => Just("@@")],
                piece(),
                prop::collection::vec(param(), 0..3),
                prop_oneof![6 => Just("<"), 1 => Just(""), 1 => Just(" <")],
                prop_oneof![6 => Just(">"), 1 => Just(""), 1 => Just("> ")],
            )
                .prop_map(|(verb, local, at, domain, params, open, close)| {
                    let mut l = format!("{verb}{open}{local}{at}{domain}{close}");
                    for p in params {
                        l.push(' ');
                        l.push_str(&p);
                    }
                    l
                })
        }

        /// `EHLO`/`HELO`/`LHLO` lines, valid and not.
        fn hello_line() -> impl Strategy<Value = String> {
            (
                prop_oneof![Just("EHLO "), Just("helo "), Just("LHLO "), Just("EHLO  ")],
                prop::collection::vec(piece(), 1..4),
                prop_oneof![4 => Just("."), 1 => Just(".."), 1 => Just("-"), 1 => Just(" ")],
                prop_oneof![4 => Just(""), 1 => Just(" "), 1 => Just("."), 1 => Just("x y")],
            )
                .prop_map(|(verb, pieces, sep, tail)| format!("{verb}{}{tail}", pieces.join(sep)))
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            #[test]
            fn hello_fast_path_agrees_with_the_general_parser(l in hello_line()) {
                let opts = CommandOptions::default();
                let general = crate::parse::command::parse_line(l.as_bytes(), &opts, false);
                let framed = format!("{l}\r\nRSET\r\n");
                if let Some((cmd, n)) = command(framed.as_bytes(), End::Crlf, &opts) {
                    prop_assert_eq!(n, l.len() + 2);
                    prop_assert_eq!(Ok(&cmd), general.as_ref());
                } else if general.is_ok() {
                    // Only address literals and over-long names are left
                    // to the general parser among valid lines.
                    prop_assert!(l.contains('[') || l.contains('"') || l.len() > 200, "{}", l);
                }
            }

            #[test]
            fn fast_path_agrees_with_the_general_parser(l in line()) {
                let opts = CommandOptions::default();
                let general = crate::parse::command::parse_line(l.as_bytes(), &opts, false);
                let framed = format!("{l}\r\nRSET\r\n");
                let fast = command(framed.as_bytes(), End::Crlf, &opts);
                // Well-formed common lines must take the fast path.
                if l.starts_with("RCPT TO:<") && l.ends_with('>') && general.is_ok()
                    && l.bytes().filter(|&c| c == b'@').count() == 1
                    && l.bytes().all(|c| c.is_ascii_alphanumeric() || b"RCPT TO:<@.>".contains(&c))
                {
                    prop_assert!(fast.is_some(), "{}", l);
                }
                if let Some((cmd, n)) = fast {
                    prop_assert_eq!(n, l.len() + 2);
                    prop_assert_eq!(Ok(&cmd), general.as_ref());
                }
                if let Some((cmd, n)) = command(l.as_bytes(), End::Slice, &opts) {
                    prop_assert_eq!(n, l.len());
                    prop_assert_eq!(Ok(&cmd), general.as_ref());
                }
            }
        }
    }
}
