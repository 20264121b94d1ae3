//! Matching delimiter lines against the open boundaries (RFC 2046 section
//! 5.1.1).
//!
//! A delimiter line is `--` boundary, optionally `--` (the close
//! delimiter), then optional linear white space (transport padding) up to
//! the line end. The open boundaries are tried innermost first. A line that
//! matches one of them whole wins; otherwise, as the RFC's note allows, a
//! line that merely starts with `--` boundary is taken (innermost first),
//! with a [`DelimiterTrailingGarbage`] defect. Trying whole matches first
//! keeps `--ab` from being read as the delimiter of an inner boundary `a`
//! when an outer boundary `ab` is open.
//!
//! [`DelimiterTrailingGarbage`]: super::DefectKind::DelimiterTrailingGarbage

/// A line that is a delimiter of the boundary with index `index` in the
/// list given to [`match_line`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Match {
    /// Index into the boundaries (innermost last).
    pub(super) index: usize,
    /// `--boundary--`: the close delimiter.
    pub(super) close: bool,
    /// Only the start of the line matched.
    pub(super) garbage: bool,
}

fn is_padding(rest: &[u8]) -> bool {
    rest.iter().all(|&b| b == b' ' || b == b'\t')
}

/// Matches `line` (without its line end; `complete` false when only its
/// first bytes are known) against `boundaries`, given outermost first,
/// each with its index.
pub(super) fn match_line<'b>(
    line: &[u8],
    complete: bool,
    boundaries: impl DoubleEndedIterator<Item = (usize, &'b [u8])> + Clone,
) -> Option<Match> {
    let after_dashes = line.strip_prefix(b"--")?;
    if complete {
        for (index, b) in boundaries.clone().rev() {
            let Some(rest) = after_dashes.strip_prefix(b) else {
                continue;
            };
            if is_padding(rest) {
                return Some(Match {
                    index,
                    close: false,
                    garbage: false,
                });
            }
            if let Some(rest) = rest.strip_prefix(b"--")
                && is_padding(rest)
            {
                return Some(Match {
                    index,
                    close: true,
                    garbage: false,
                });
            }
        }
    }
    for (index, b) in boundaries.rev() {
        if let Some(rest) = after_dashes.strip_prefix(b) {
            return Some(Match {
                index,
                close: rest.starts_with(b"--"),
                garbage: true,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(line: &[u8], complete: bool, bs: &[&[u8]]) -> Option<Match> {
        match_line(line, complete, bs.iter().copied().enumerate())
    }

    #[test]
    fn whole_line_matches_win_over_prefixes() {
        let close = |index, garbage| {
            Some(Match {
                index,
                close: true,
                garbage,
            })
        };
        let open = |index, garbage| {
            Some(Match {
                index,
                close: false,
                garbage,
            })
        };
        assert_eq!(m(b"--a", true, &[b"a"]), open(0, false));
        assert_eq!(m(b"--a--", true, &[b"a"]), close(0, false));
        assert_eq!(m(b"--a  \t", true, &[b"a"]), open(0, false));
        assert_eq!(m(b"--a-- ", true, &[b"a"]), close(0, false));
        // outer `ab`, inner `a`: `--ab` is the outer delimiter.
        assert_eq!(m(b"--ab", true, &[b"ab", b"a"]), open(0, false));
        // outer `a`, inner `ab`.
        assert_eq!(m(b"--ab", true, &[b"a", b"ab"]), open(1, false));
        assert_eq!(m(b"--a", true, &[b"a", b"ab"]), open(0, false));
        // prefix only
        assert_eq!(m(b"--abc", true, &[b"ab"]), open(0, true));
        assert_eq!(m(b"--ab--x", true, &[b"ab"]), close(0, true));
        assert_eq!(m(b"--ab    ", false, &[b"ab"]), open(0, true));
        assert_eq!(m(b"-- ab", true, &[b"ab"]), None);
        assert_eq!(m(b"--b", true, &[b"ab"]), None);
    }
}
