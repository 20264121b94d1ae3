//! `ReplyParser` / `Reply::parse` on arbitrary bytes, as a stream of
//! replies.
//!
//! Input: `flags`, `split`, `step`, then the bytes. `flags` picks the
//! options (bare LF allowed, strict text, small limits). The stream is
//! parsed reply after reply; each reply is fed to one `ReplyParser` as a
//! growing buffer (first `split` bytes, then `step` more at a time).
//!
//! Checks:
//! - no panic;
//! - at every prefix, the stateful parser returns exactly what a fresh
//!   `Reply::parse_with` returns on that prefix (chunk-split invariance);
//! - a complete reply consumed `n <= len` bytes ending in LF; without the
//!   bare-LF leniency it re-encodes to exactly those `n` bytes; always it
//!   re-encodes to bytes that parse (strictly) to an equal reply, and
//!   `encoded_len` is exact;
//! - `Display` is the wire form with `\n` between lines and no final CRLF;
//! - a reply never exceeds the configured limits.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use mail_wire::Status;
use smtp_proto::{Reply, ReplyLimits, ReplyOptions, ReplyParser};

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    flags: u8,
    split: u16,
    step: u8,
    data: &'a [u8],
}

fn options(flags: u8) -> ReplyOptions {
    let limits = if flags & 4 != 0 {
        ReplyLimits {
            max_line_len: 40,
            max_lines: 4,
            max_bytes: 100,
        }
    } else {
        ReplyLimits::default()
    };
    ReplyOptions {
        limits,
        allow_bare_lf: flags & 1 != 0,
        strict_text: flags & 2 != 0,
    }
}

fn check_reply(reply: &Reply<'_>, raw: &[u8], opts: &ReplyOptions) {
    let n = raw.len();
    assert!(raw.ends_with(b"\n"));
    assert!(n <= opts.limits.max_bytes);
    assert!(reply.line_count() >= 1 && reply.line_count() <= opts.limits.max_lines);
    let wire = reply.to_bytes();
    assert_eq!(wire.len(), reply.encoded_len());
    if !opts.allow_bare_lf {
        assert_eq!(wire, raw, "re-encoding is not byte-exact");
    }
    let generous = ReplyOptions {
        limits: ReplyLimits {
            max_line_len: usize::MAX,
            max_lines: usize::MAX,
            max_bytes: usize::MAX,
        },
        ..ReplyOptions::default()
    };
    match Reply::parse_with(&wire, &generous) {
        Ok(Status::Complete(again, m)) => {
            assert_eq!(m, wire.len());
            assert_eq!(&again, reply);
        }
        other => panic!("{reply:?} encoded as {wire:?} re-parses as {other:?}"),
    }
    let shown = reply.to_string();
    if std::str::from_utf8(&wire).is_ok() {
        let expected = String::from_utf8_lossy(&wire[..wire.len() - 2]).replace("\r\n", "\n");
        assert_eq!(shown, expected);
    }
    assert_eq!(&reply.clone().into_owned(), reply);
}

fuzz_target!(|input: Input<'_>| {
    let opts = options(input.flags);
    let step = usize::from(input.step) + 1;
    let mut stream = input.data;
    let mut first_cut = usize::from(input.split);
    loop {
        let mut parser = ReplyParser::with_options(opts);
        let mut cut = first_cut.min(stream.len());
        first_cut = 0;
        let outcome = loop {
            let prefix = &stream[..cut];
            let stateful = parser.parse(prefix);
            let fresh = Reply::parse_with(prefix, &opts);
            assert_eq!(stateful, fresh, "split at {cut}");
            match stateful {
                Ok(Status::Incomplete) if cut < stream.len() => {
                    cut = (cut + step).min(stream.len());
                }
                other => break other,
            }
        };
        match outcome {
            Ok(Status::Complete(reply, n)) => {
                assert!(n > 0 && n <= cut);
                check_reply(&reply, &stream[..n], &opts);
                stream = &stream[n..];
            }
            Ok(Status::Incomplete) | Err(_) => break,
        }
    }
});
