//! Splitting a header block into units: fields (with their folded
//! continuation lines), the blank line that ends the block, delimiter-line
//! candidates and lines that are none of these.
//!
//! The scanner works on the bytes of one unit so far and keeps its position
//! in [`Unit`], so feeding a unit in many pieces costs linear time.

use mail_wire::swar::{self, ONES, in_range};
use memchr::memchr;

const CR: u8 = b'\r';
const LF: u8 = b'\n';

/// Longest field name looked for before a line is declared not a field.
/// RFC 5322 section 2.1.1 limits a whole line to 998 octets.
pub(super) const MAX_NAME: usize = 998;

/// What lies just past the bytes given to [`scan`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Beyond {
    /// This byte (the next one of the input), and maybe more after it.
    Byte(u8),
    /// The input ends.
    End,
    /// Not known yet.
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Start,
    Name,
    Field { name_end: usize, value_start: usize },
}

/// Scan state of the unit being read.
#[derive(Debug, Clone, Copy)]
pub(super) struct Unit {
    phase: Phase,
    /// Where to resume looking for a colon or LF.
    searched: usize,
    /// Where the white space after the name began, when the name so far
    /// ends in white space.
    name_wsp: Option<usize>,
    /// The unit starts with `--` and was found not to be a delimiter line.
    pub(super) candidate_checked: bool,
    /// A fold (a line end followed by WSP) was seen in the field: its
    /// only LF is not necessarily its last octet.
    pub(super) folded: bool,
}

impl Unit {
    pub(super) const fn new() -> Self {
        Unit {
            phase: Phase::Start,
            searched: 0,
            name_wsp: None,
            candidate_checked: false,
            folded: false,
        }
    }

    /// Whether the unit is known to be a field (its name and colon seen).
    pub(super) fn is_field(&self) -> bool {
        matches!(self.phase, Phase::Field { .. })
    }

    /// Whether the unit may still turn out to be a delimiter candidate.
    pub(super) fn is_start(&self) -> bool {
        self.phase == Phase::Start
    }
}

/// A delimiter-line candidate: a line starting with `--`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct CandidateLine {
    /// Length of the line content to match (line end excluded, at most
    /// `cap` when the line is longer).
    pub(super) content: usize,
    /// Length of the whole line with its LF, when its end was seen within
    /// `cap + 2` bytes (or the input ended).
    pub(super) line_len: Option<usize>,
    /// Whether the line end (or the end of input) was seen: the content is
    /// the whole line.
    pub(super) complete: bool,
}

/// Looks at a line starting with `--` in `data`; `None` when more bytes are
/// needed. The line is decided from its first `cap + 2` bytes only, so the
/// result does not depend on how the input was split.
pub(super) fn candidate_line(data: &[u8], at_end: bool, cap: usize) -> Option<CandidateLine> {
    let window = data.get(..data.len().min(cap + 2)).unwrap_or_default();
    if let Some(j) = memchr(LF, window) {
        let cr = j > 0 && window.get(j - 1) == Some(&CR);
        return Some(CandidateLine {
            content: j - usize::from(cr),
            line_len: Some(j + 1),
            complete: true,
        });
    }
    if window.len() >= cap + 2 {
        return Some(CandidateLine {
            content: cap,
            line_len: None,
            complete: false,
        });
    }
    if at_end {
        let cr = data.last() == Some(&CR);
        return Some(CandidateLine {
            content: data.len() - usize::from(cr),
            line_len: Some(data.len()),
            complete: true,
        });
    }
    None
}

/// The result of [`scan`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Outcome {
    /// The unit goes on past the bytes given.
    NeedMore,
    /// No bytes at all and the input ended.
    EndOfInput,
    /// The blank line ending the header, `len` octets (1 or 2).
    Blank { len: usize },
    /// A line starting with `--` while a boundary is open.
    Candidate(CandidateLine),
    /// A complete field of `len` octets (line ends included).
    Field {
        len: usize,
        name_end: usize,
        value_start: usize,
        value_end: usize,
    },
    /// The unit is not a field: the header ends before it.
    NonField,
}

fn is_wsp(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// `ftext` of RFC 5322 section 3.6.8: printable US-ASCII but the colon.
fn is_ftext(b: u8) -> bool {
    (33..=126).contains(&b) && b != b':'
}

/// The end of the run of `ftext` octets from `i`, eight octets at a time:
/// a field name is a dozen octets or so, which a byte loop takes longer to
/// walk than two word tests.
fn ftext_run(data: &[u8], i: usize) -> usize {
    // printable ASCII (33 to 126) but the colon (an octet of `a` that is
    // not ':' has its high bit set by the sum); 0x80 and above are not
    let ftext =
        |w: u64, a: u64| in_range(a, 33, 126) & ((a ^ (ONES * u64::from(b':'))) + ONES * 0x7F) & !w;
    swar::span(data, i, ftext, is_ftext)
}

fn look(data: &[u8], i: usize, beyond: Beyond) -> Beyond {
    match data.get(i) {
        Some(&b) => Beyond::Byte(b),
        None if i == data.len() => beyond,
        None => match beyond {
            Beyond::End => Beyond::End,
            _ => Beyond::Unknown,
        },
    }
}

/// Scans the unit starting at `data[0]`.
///
/// `scope` says whether a multipart boundary is open (then lines starting
/// with `--` are delimiter candidates), `cap` bounds a candidate line.
pub(super) fn scan(u: &mut Unit, data: &[u8], beyond: Beyond, scope: bool, cap: usize) -> Outcome {
    if u.phase == Phase::Start {
        match look(data, 0, beyond) {
            Beyond::Unknown => return Outcome::NeedMore,
            Beyond::End => return Outcome::EndOfInput,
            Beyond::Byte(LF) => return Outcome::Blank { len: 1 },
            Beyond::Byte(CR) => {
                return match look(data, 1, beyond) {
                    Beyond::Byte(LF) => Outcome::Blank { len: 2 },
                    Beyond::Unknown => Outcome::NeedMore,
                    _ => Outcome::NonField,
                };
            }
            Beyond::Byte(b'-') if scope && !u.candidate_checked => match look(data, 1, beyond) {
                Beyond::Unknown => return Outcome::NeedMore,
                Beyond::Byte(b'-') => {
                    let at_end = beyond == Beyond::End;
                    return match candidate_line(data, at_end, cap) {
                        Some(c) => Outcome::Candidate(c),
                        None => Outcome::NeedMore,
                    };
                }
                _ => {}
            },
            Beyond::Byte(b) if is_wsp(b) => return Outcome::NonField,
            Beyond::Byte(_) => {}
        }
        u.phase = Phase::Name;
        u.searched = 0;
        u.name_wsp = None;
    }
    if u.phase == Phase::Name {
        // One pass over the name: `ftext` octets, then optional white
        // space (obs-optional, RFC 5322 section 4.5.8), then the colon.
        // Any other octet, or `ftext` after the white space, means the
        // line is not a field, whatever follows; so the answer is given
        // as soon as such an octet is seen. `searched` and `name_wsp`
        // resume the scan where the last chunk ended, so that however the
        // unit is cut, each octet is looked at once.
        let mut i = u.searched.min(data.len());
        let mut wsp_from = u.name_wsp;
        loop {
            let run = ftext_run(data, i);
            if run > i {
                if wsp_from.is_some() {
                    return Outcome::NonField;
                }
                i = run;
            }
            match data.get(i) {
                Some(b' ' | b'\t') => {
                    if wsp_from.is_none() {
                        wsp_from = Some(i);
                    }
                }
                Some(b':') => {
                    let name_end = wsp_from.unwrap_or(i);
                    if name_end == 0 || i > MAX_NAME {
                        return Outcome::NonField;
                    }
                    u.phase = Phase::Field {
                        name_end,
                        value_start: i + 1,
                    };
                    u.searched = i + 1;
                    break;
                }
                Some(_) => return Outcome::NonField,
                None => {
                    if data.len() > MAX_NAME || beyond == Beyond::End {
                        return Outcome::NonField;
                    }
                    u.searched = i;
                    u.name_wsp = wsp_from;
                    return Outcome::NeedMore;
                }
            }
            i += 1;
        }
    }
    let Phase::Field {
        name_end,
        value_start,
    } = u.phase
    else {
        return Outcome::NeedMore;
    };
    loop {
        let from = u.searched.min(data.len());
        let rest = data.get(from..).unwrap_or_default();
        match memchr(LF, rest) {
            None => {
                u.searched = data.len();
                if look(data, data.len(), beyond) == Beyond::End {
                    return Outcome::Field {
                        len: data.len(),
                        name_end,
                        value_start,
                        value_end: data.len(),
                    };
                }
                return Outcome::NeedMore;
            }
            Some(k) => {
                let j = from + k;
                match look(data, j + 1, beyond) {
                    Beyond::Byte(b) if is_wsp(b) => {
                        u.searched = j + 1;
                        u.folded = true;
                    }
                    Beyond::Unknown => {
                        u.searched = j;
                        return Outcome::NeedMore;
                    }
                    _ => {
                        let cr = j > 0 && data.get(j - 1) == Some(&CR);
                        let value_end = (j - usize::from(cr)).max(value_start);
                        return Outcome::Field {
                            len: j + 1,
                            name_end,
                            value_start,
                            value_end,
                        };
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ftext_run_matches_the_octet_test() {
        for c in 0..=255u8 {
            for pos in 0..12 {
                let mut b = vec![b'a'; 12];
                b[pos] = c;
                for start in [0, 1, 3] {
                    let want = (start..12).find(|&i| !is_ftext(b[i])).unwrap_or(12);
                    assert_eq!(ftext_run(&b, start), want, "{c} at {pos} from {start}");
                }
            }
        }
    }

    fn run(data: &[u8], beyond: Beyond) -> Outcome {
        scan(&mut Unit::new(), data, beyond, true, 100)
    }

    #[test]
    fn a_name_cut_anywhere_scans_the_same() {
        for unit in [
            &b"Subject: hi\r\n\r\n"[..],
            b"Subject \t : hi\r\n\r\n",
            b"Sub ject: hi\r\n\r\n",
            b"Subject  x: hi\r\n\r\n",
            b"Sub\x01ject: hi\r\n\r\n",
            b"A-Very-Long-Field-Name-Of-Many-Words   : v\r\n\r\n",
        ] {
            let whole = run(unit, Beyond::Unknown);
            // the unit growing one octet at a time, the state kept
            let mut u = Unit::new();
            let mut cut = Outcome::NeedMore;
            for n in 1..=unit.len() {
                cut = scan(&mut u, &unit[..n], Beyond::Unknown, true, 100);
                if cut != Outcome::NeedMore {
                    break;
                }
            }
            assert_eq!(cut, whole, "{unit:?}");
        }
    }

    #[test]
    fn fields_blank_lines_and_others() {
        assert_eq!(
            run(b"Subject: hi\r\n there\r\nTo: x\r\n", Beyond::Unknown),
            Outcome::Field {
                len: 21,
                name_end: 7,
                value_start: 8,
                value_end: 19
            }
        );
        assert_eq!(
            run(b"Subject : hi\r\n", Beyond::Byte(b'X')),
            Outcome::Field {
                len: 14,
                name_end: 7,
                value_start: 9,
                value_end: 12
            }
        );
        assert_eq!(run(b"Subject: hi\r\n", Beyond::Unknown), Outcome::NeedMore);
        assert_eq!(run(b"\r\n", Beyond::Unknown), Outcome::Blank { len: 2 });
        assert_eq!(run(b"\nX", Beyond::Unknown), Outcome::Blank { len: 1 });
        assert_eq!(run(b"\r", Beyond::Unknown), Outcome::NeedMore);
        assert_eq!(
            run(b"no colon here\r\n", Beyond::Unknown),
            Outcome::NonField
        );
        assert_eq!(
            run(b" folded first\r\n", Beyond::Unknown),
            Outcome::NonField
        );
        assert_eq!(run(b"Bad name: x\r\n", Beyond::Unknown), Outcome::NonField);
        assert_eq!(run(b"", Beyond::End), Outcome::EndOfInput);
        assert!(matches!(
            run(b"--b--\r\n", Beyond::Unknown),
            Outcome::Candidate(CandidateLine {
                content: 5,
                line_len: Some(7),
                complete: true
            })
        ));
    }

    #[test]
    fn resumes_where_it_stopped() {
        let mut u = Unit::new();
        let all = b"X-Long: aaaa\r\n bbbb\r\n cccc\r\nNext: 1\r\n";
        for n in 1..all.len() {
            let _ = scan(&mut u, &all[..n], Beyond::Unknown, false, 100);
        }
        assert_eq!(
            scan(&mut u, all, Beyond::Unknown, false, 100),
            Outcome::Field {
                len: 28,
                name_end: 6,
                value_start: 7,
                value_end: 26
            }
        );
    }
}
