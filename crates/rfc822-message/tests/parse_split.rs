#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
//! Chunk-split invariance and self-consistency of the push parser on
//! generated messages made of the pieces that matter for MIME structure.
mod parse_util;
use parse_util::*;

use proptest::prelude::*;
use rfc822_message::Limits;
use rfc822_message::parse::{Event, HeaderJunk, ParserOptions};

const PIECES: &[&str] = &[
    "\r\n",
    "\r\n",
    "\n",
    "\r",
    " ",
    "\t",
    "-",
    "--",
    "--a",
    "--ab",
    "--a--",
    "--ab--",
    "--a \t",
    "Content-Type: multipart/mixed; boundary=a\r\n",
    "Content-Type: multipart/mixed; boundary=ab\r\n",
    "Content-Type: multipart/digest; boundary=a\r\n",
    "Content-Type: message/rfc822\r\n",
    "Content-Type: multipart/alternative;\r\n boundary=\"ab\"\r\n",
    "Content-Transfer-Encoding: base64\r\n",
    "Subject: hello\r\n",
    "X: y",
    "Name:",
    "abc",
    "no colon",
    "=",
    "\r\n\r\n",
    "\r\n--a\r\n",
    "\r\n--ab\r\n",
    "\r\n--a--\r\n",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
];

fn message() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|v| v.concat().into_bytes())
}

fn dovecot_style() -> ParserOptions {
    ParserOptions {
        header_junk: HeaderJunk::Skip,
        ..small_limits()
    }
}

fn small_limits() -> ParserOptions {
    let mut limits = Limits::default();
    limits.max_line_len = 40;
    limits.max_field_size = 60;
    limits.max_header_count = 4;
    limits.max_header_size = 150;
    limits.max_depth = 3;
    limits.max_parts = 6;
    ParserOptions {
        limits,
        ..ParserOptions::default()
    }
}

/// Checks that the events describe `msg` exactly: ranges nest, body chunks
/// are the bytes at their offsets, each part's body chunks tile its body.
fn check_consistent(msg: &[u8], evs: &[Event<'static>]) {
    let mut started = Vec::new();
    let mut ended = Vec::new();
    let mut covered: std::collections::HashMap<usize, Vec<(u64, u64)>> = Default::default();
    for e in evs {
        match e {
            Event::PartStart(p) => {
                assert_eq!(p.part, started.len());
                started.push(p.offset);
            }
            Event::Header(h) => {
                let r = h.range();
                assert_eq!(&msg[r.start as usize..r.end as usize], h.raw());
            }
            Event::Body(c) | Event::Preamble(c) | Event::Epilogue(c) => {
                let s = c.offset as usize;
                assert_eq!(&msg[s..s + c.bytes.len()], &c.bytes[..]);
                covered
                    .entry(c.part)
                    .or_default()
                    .push((c.offset, c.offset + c.bytes.len() as u64));
            }
            Event::PartEnd(p) => {
                assert!(p.header.start <= p.header.end && p.header.end == p.body.start);
                assert!(p.body.end as usize <= msg.len());
                assert_eq!(p.header.start, started[p.part]);
                let body = &msg[p.body.start as usize..p.body.end as usize];
                assert_eq!(p.lines, body.iter().filter(|&&b| b == b'\n').count() as u64);
                assert_eq!(p.ends_with_line_end, body.last() == Some(&b'\n'));
                for &(s, e) in covered.get(&p.part).map(Vec::as_slice).unwrap_or(&[]) {
                    assert!(
                        s >= p.body.start && e <= p.body.end,
                        "chunk {s}..{e} outside body {:?}",
                        p.body
                    );
                }
                ended.push(p.part);
            }
            Event::BodyStart(_) | Event::Defect(_) => {}
        }
    }
    assert_eq!(started.len(), ended.len());
    // the root covers everything
    if let Some(Event::PartEnd(root)) = evs
        .iter()
        .rev()
        .find(|e| matches!(e, Event::PartEnd(p) if p.part == 0))
    {
        assert_eq!(root.header.start, 0);
        assert_eq!(root.body.end as usize, msg.len());
    } else {
        panic!("no root end");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn split_invariance(msg in message(), cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..12)) {
        let cuts: Vec<usize> = cuts.iter().map(|i| i.index(msg.len() + 1)).collect();
        for opts in [ParserOptions::default(), small_limits(), dovecot_style()] {
            let whole = normalize(events_split(&msg, &[], opts).unwrap());
            let split = normalize(events_split(&msg, &cuts, opts).unwrap());
            prop_assert_eq!(dump(&whole), dump(&split));
            check_consistent(&msg, &whole);
        }
    }

    #[test]
    fn one_byte_chunks(msg in message()) {
        let cuts: Vec<usize> = (0..msg.len()).collect();
        let whole = normalize(events_split(&msg, &[], small_limits()).unwrap());
        let split = normalize(events_split(&msg, &cuts, small_limits()).unwrap());
        prop_assert_eq!(dump(&whole), dump(&split));
    }

    #[test]
    fn never_panics_on_bytes(msg in prop::collection::vec(any::<u8>(), 0..400), cuts in prop::collection::vec(0usize..400, 0..6)) {
        let whole = normalize(events_split(&msg, &[], small_limits()).unwrap());
        let split = normalize(events_split(&msg, &cuts, small_limits()).unwrap());
        prop_assert_eq!(dump(&whole), dump(&split));
        check_consistent(&msg, &whole);
    }

    #[test]
    fn strict_mode_errs_iff_defect(msg in message()) {
        let lenient = events_split(&msg, &[], ParserOptions::default()).unwrap();
        let has_defect = lenient.iter().any(|e| matches!(e, Event::Defect(_)));
        let strict = events_split(&msg, &[], ParserOptions::strict());
        prop_assert_eq!(strict.is_err(), has_defect);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn split_invariance_structured(seed in any::<u64>(), cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..16)) {
        let msg = Gen::new(seed).message();
        let cuts: Vec<usize> = cuts.iter().map(|i| i.index(msg.len() + 1)).collect();
        for opts in [ParserOptions::default(), small_limits(), dovecot_style()] {
            let whole = normalize(events_split(&msg, &[], opts).unwrap());
            let split = normalize(events_split(&msg, &cuts, opts).unwrap());
            prop_assert_eq!(dump(&whole), dump(&split));
            check_consistent(&msg, &whole);
        }
        let bytewise: Vec<usize> = (0..msg.len()).collect();
        let whole = normalize(events_split(&msg, &[], ParserOptions::default()).unwrap());
        let split = normalize(events_split(&msg, &bytewise, ParserOptions::default()).unwrap());
        prop_assert_eq!(dump(&whole), dump(&split));
    }
}

#[test]
fn structured_generator_reaches_nesting() {
    let mut deep = 0;
    let mut many = 0;
    for seed in 0..500u64 {
        let evs = events(&Gen::new(seed).message());
        if evs
            .iter()
            .any(|e| matches!(e, Event::PartStart(p) if p.depth >= 3))
        {
            deep += 1;
        }
        if evs
            .iter()
            .filter(|e| matches!(e, Event::PartStart(_)))
            .count()
            >= 4
        {
            many += 1;
        }
    }
    assert!(deep > 30 && many > 100, "deep={deep} many={many}");
}
