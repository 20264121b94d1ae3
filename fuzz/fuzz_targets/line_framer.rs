//! CRLF line framing (`mail_wire::line::LineFramer`).
//!
//! Input: `max` (line limit), `flags` (bit 0: allow bare LF, bit 1: allow
//! bare CR), four chunk sizes, then the bytes.
//!
//! Checks:
//! - fed in chunks of the given sizes, the framer yields the same lines and
//!   errors as when fed everything at once, and as a naive model that
//!   splits the whole input at every LF (see `naive`);
//! - the caller's buffer never holds more than `max + chunk` bytes (the
//!   framer skips an over-long line instead of asking to buffer it);
//! - a line never exceeds the limit and has no CR or LF in it unless the
//!   options allow it.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use mail_wire::line::{Framed, LineEnding, LineErrorKind, LineFramer, LineOptions};

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    max: u16,
    flags: u8,
    sizes: [u8; 4],
    data: &'a [u8],
}

type Outcome = Result<Vec<u8>, LineErrorKind>;

fn run(opts: LineOptions, input: &[u8], sizes: &[usize]) -> Vec<Outcome> {
    let mut framer = LineFramer::new(opts);
    let mut buf: Vec<u8> = Vec::new();
    let mut out = Vec::new();
    let mut fed = 0;
    let mut k = 0;
    let biggest = sizes.iter().copied().max().unwrap_or(1);
    loop {
        // Every poll but the last consumes at least one byte.
        let max_polls = buf.len() + 1;
        let mut polls = 0;
        loop {
            polls += 1;
            assert!(polls <= max_polls, "framer does not make progress");
            match framer.poll(&buf) {
                Ok(Framed::Line(l)) => {
                    assert!(l.consumed <= buf.len());
                    assert!(l.consumed <= opts.max_line_len);
                    assert_eq!(l.consumed, l.len + l.ending.len());
                    let raw = &buf[..l.consumed];
                    match l.ending {
                        LineEnding::Crlf => assert!(raw.ends_with(b"\r\n")),
                        LineEnding::Lf => {
                            assert!(opts.allow_bare_lf);
                            assert!(raw.ends_with(b"\n") && !raw.ends_with(b"\r\n"));
                        }
                    }
                    let content = l.content(&buf);
                    assert!(!content.contains(&b'\n'));
                    if !opts.allow_bare_cr {
                        assert!(!content.contains(&b'\r'));
                    }
                    out.push(Ok(content.to_vec()));
                    buf.drain(..l.consumed);
                }
                Ok(Framed::Skip(n)) => {
                    assert!(n > 0 && n <= buf.len());
                    buf.drain(..n);
                }
                Ok(Framed::Incomplete) => break,
                Err(e) => {
                    assert!(e.consumed > 0 && e.consumed <= buf.len());
                    out.push(Err(e.kind));
                    buf.drain(..e.consumed);
                }
            }
        }
        if fed == input.len() {
            break;
        }
        let n = sizes[k % sizes.len()].max(1).min(input.len() - fed);
        k += 1;
        buf.extend_from_slice(&input[fed..fed + n]);
        fed += n;
        assert!(
            buf.len() <= opts.max_line_len + biggest,
            "buffer holds {} bytes",
            buf.len()
        );
    }
    out
}

/// Splits the whole input at line ends and judges each line: every LF ends
/// a line (CRLF, or a bare LF that is an error unless allowed), a line
/// longer than the limit is an error whatever else is wrong with it, and a
/// bare CR is an error unless allowed; the first defect is reported.
fn naive(opts: LineOptions, input: &[u8]) -> Vec<Outcome> {
    let mut out = Vec::new();
    let mut rest = input;
    while let Some(j) = rest.iter().position(|&b| b == b'\n') {
        let line = &rest[..=j];
        let crlf = j > 0 && rest[j - 1] == b'\r';
        let content = if crlf { &rest[..j - 1] } else { &rest[..j] };
        let bare_cr = content
            .iter()
            .position(|&b| b == b'\r')
            .filter(|_| !opts.allow_bare_cr);
        out.push(if line.len() > opts.max_line_len {
            Err(LineErrorKind::TooLong {
                max: opts.max_line_len,
                len: line.len() as u64,
            })
        } else if let Some(offset) = bare_cr {
            Err(LineErrorKind::BareCr { offset })
        } else if !crlf && !opts.allow_bare_lf {
            Err(LineErrorKind::BareLf { offset: j })
        } else {
            Ok(content.to_vec())
        });
        rest = &rest[j + 1..];
    }
    out
}

fuzz_target!(|input: Input<'_>| {
    let opts = LineOptions {
        max_line_len: usize::from(input.max % 300),
        allow_bare_lf: input.flags & 1 != 0,
        allow_bare_cr: input.flags & 2 != 0,
    };
    let sizes: Vec<usize> = input.sizes.iter().map(|&s| usize::from(s).max(1)).collect();
    let data = input.data;
    let whole = run(opts, data, &[data.len().max(1)]);
    let split = run(opts, data, &sizes);
    assert_eq!(whole, split);
    assert_eq!(whole, naive(opts, data));
});
