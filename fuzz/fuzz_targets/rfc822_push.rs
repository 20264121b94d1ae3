//! The RFC 5322 / MIME push parser (`rfc822_message::parse::Parser`) and
//! the `Message` view built on it.
//!
//! Input: `flags` (bit 0: strict mode; bit 1: small limits taken from
//! `limits`; bit 2: `HeaderJunk::Skip`), four limit bytes, four chunk
//! sizes, then the message.
//!
//! Checks:
//! - no panic; after `finish` the parser is done (lenient mode);
//! - chunk-split invariance: fed whole, in chunks of the given sizes and
//!   (for short inputs) byte by byte, the events are equal once adjacent
//!   body/preamble/epilogue chunks of one part are joined; the strict-mode
//!   error is the same too;
//! - bounded memory: after every chunk, `Parser::buffered_len` stays within
//!   what the limits allow (a pending header unit, a held candidate line,
//!   the current Content-Type / Content-Transfer-Encoding values, media type
//!   and boundary of each open part), whatever the message size;
//! - the events tell the truth about the input: every header field, body,
//!   preamble and epilogue chunk is the input's bytes at its offset; parts
//!   are numbered in order, nest (parent open, depth + 1, ends in LIFO
//!   order), their ranges are ordered and inside the parent's body, a
//!   leaf's body chunks are exactly its body range, a multipart's preamble
//!   and epilogue chunks exactly its preamble and epilogue ranges, line
//!   counts and `ends_with_line_end` match the body bytes;
//! - `Message::parse_with` on the same bytes agrees with the events (part
//!   count, parents, depths, kinds, ranges, fields, subparts, defects), and
//!   its decoders never give more than the raw body; the
//!   one-pass base64 fast path of `decoded_body` equals the streaming
//!   `Base64Decoder`.
#![no_main]

use std::ops::Range;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use rfc822_message::Limits;
use rfc822_message::Message;
use rfc822_message::decode::Base64Decoder;
use rfc822_message::header::ContentTransferEncoding;
use rfc822_message::parse::{
    Event, HeaderJunk, MAX_BOUNDARY_LEN, ParseError, Parser, ParserOptions, PartKind,
};

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    flags: u8,
    limits: [u8; 4],
    sizes: [u8; 4],
    data: &'a [u8],
}

/// Longest header name the parser buffers while it looks for the colon
/// (`parse::header::MAX_NAME`, private).
const MAX_NAME: usize = 998;
/// Transport padding the parser reads after a boundary (`push.rs`).
const DELIMITER_PADDING: usize = 128;

fn options(input: &Input<'_>) -> ParserOptions {
    let mut limits = Limits::default();
    if input.flags & 2 != 0 {
        let [a, b, c, d] = input.limits.map(usize::from);
        limits.max_line_len = 8 + a * 2;
        limits.max_field_size = 8 + b * 2;
        limits.max_header_count = 1 + c % 16;
        limits.max_header_size = 32 + c * 8;
        limits.max_depth = d % 6;
        limits.max_parts = 1 + (d / 6) % 16;
        limits.max_params = a % 8;
        limits.max_decoded_size = b * 4;
    }
    let mut opts = ParserOptions::default();
    opts.limits = limits;
    opts.strict = input.flags & 1 != 0;
    if input.flags & 4 != 0 {
        opts.header_junk = HeaderJunk::Skip;
    }
    opts
}

/// What `buffered_len` may be at most (see `Parser::buffered_len`).
fn buffer_bound(l: &Limits) -> usize {
    let cap = 4 + MAX_BOUNDARY_LEN + DELIMITER_PADDING;
    let pending = (cap + 2).max(l.max_field_size + 1).max(MAX_NAME + 2) + 2;
    let hold = cap + 4;
    let current = 2 * l.max_field_size;
    let frames = (l.max_depth + 2) * (l.max_field_size + MAX_BOUNDARY_LEN);
    pending + hold + current + frames
}

struct Run {
    events: Vec<Event<'static>>,
    error: Option<ParseError>,
    done: bool,
}

fn run(data: &[u8], opts: ParserOptions, sizes: &[usize]) -> Run {
    let bound = buffer_bound(&opts.limits);
    let mut p = Parser::with_options(opts);
    let mut events = Vec::new();
    let mut fed = 0;
    let mut k = 0;
    let mut error = None;
    'feed: while fed < data.len() {
        let n = sizes[k % sizes.len()].max(1).min(data.len() - fed);
        k += 1;
        let chunk = &data[fed..fed + n];
        fed += n;
        let mut ev = p.feed(chunk);
        loop {
            match ev.next_event() {
                Ok(Some(e)) => events.push(e.into_owned()),
                Ok(None) => break,
                Err(e) => {
                    error = Some(e);
                    break 'feed;
                }
            }
        }
        drop(ev);
        assert_eq!(p.offset(), fed as u64);
        let b = p.buffered_len();
        assert!(b <= bound, "buffered {b} > bound {bound}");
    }
    if error.is_none() {
        let mut ev = p.finish();
        loop {
            match ev.next_event() {
                Ok(Some(e)) => events.push(e.into_owned()),
                Ok(None) => break,
                Err(e) => {
                    error = Some(e);
                    break;
                }
            }
        }
        drop(ev);
        assert!(p.buffered_len() <= bound);
    }
    Run {
        events: normalize(events),
        error,
        done: p.is_done(),
    }
}

/// Joins adjacent body, preamble and epilogue chunks of the same part.
fn normalize(evs: Vec<Event<'static>>) -> Vec<Event<'static>> {
    let mut out: Vec<Event<'static>> = Vec::new();
    for e in evs {
        let merged = match (out.last_mut(), &e) {
            (Some(Event::Body(a)), Event::Body(b))
            | (Some(Event::Preamble(a)), Event::Preamble(b))
            | (Some(Event::Epilogue(a)), Event::Epilogue(b))
                if a.part == b.part =>
            {
                assert_eq!(
                    a.offset + a.bytes.len() as u64,
                    b.offset,
                    "chunks not contiguous"
                );
                a.bytes.to_mut().extend_from_slice(&b.bytes);
                true
            }
            _ => false,
        };
        if !merged {
            out.push(e);
        }
    }
    out
}

fn r(x: &Range<u64>) -> Range<usize> {
    x.start as usize..x.end as usize
}

fn within(inner: &Range<usize>, outer: &Range<usize>) -> bool {
    inner.start <= inner.end && outer.start <= inner.start && inner.end <= outer.end
}

#[derive(Default, Debug)]
struct PartInfo {
    parent: Option<usize>,
    depth: usize,
    start: usize,
    kind: Option<PartKind>,
    header: Option<Range<usize>>,
    body: Option<Range<usize>>,
    preamble: Option<Range<usize>>,
    epilogue: Option<Range<usize>>,
    fields: Vec<Vec<u8>>,
    children: Vec<usize>,
    body_bytes: Vec<u8>,
    preamble_bytes: Vec<u8>,
    epilogue_bytes: Vec<u8>,
    preamble_seen: bool,
    epilogue_seen: bool,
    body_seen: bool,
}

/// Checks the events of a complete (error-free) run against the input and
/// returns what they say about each part.
fn check_events(data: &[u8], events: &[Event<'static>]) -> (Vec<PartInfo>, usize) {
    let len = data.len();
    let mut parts: Vec<PartInfo> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut defects = 0;
    for e in events {
        match e {
            Event::PartStart(p) => {
                assert_eq!(p.part, parts.len(), "parts numbered in order");
                assert_eq!(p.parent, open.last().copied(), "parent is the open part");
                let depth = p.parent.map_or(0, |q| parts[q].depth + 1);
                assert_eq!(p.depth, depth);
                assert!(p.offset as usize <= len);
                if let Some(q) = p.parent {
                    assert!(parts[q].kind.is_some_and(|k| k != PartKind::Leaf));
                    parts[q].children.push(p.part);
                }
                parts.push(PartInfo {
                    parent: p.parent,
                    depth,
                    start: p.offset as usize,
                    ..PartInfo::default()
                });
                open.push(p.part);
            }
            Event::Header(h) => {
                assert_eq!(Some(&h.part), open.last(), "field of the open part");
                assert!(parts[h.part].kind.is_none(), "field after the body started");
                let range = r(&h.range());
                assert!(range.end <= len);
                assert_eq!(h.raw(), &data[range.clone()]);
                assert!(within(&r(&h.value_range()), &range));
                assert!(h.raw().starts_with(h.name()));
                parts[h.part].fields.push(h.raw().to_vec());
            }
            Event::BodyStart(b) => {
                assert_eq!(Some(&b.part), open.last());
                let p = &mut parts[b.part];
                assert!(p.kind.is_none(), "one BodyStart per part");
                p.kind = Some(b.kind);
                if b.kind == PartKind::Multipart {
                    assert!(b.boundary.is_some());
                }
                if b.kind == PartKind::Multipart {
                    let bd = b.boundary.as_ref().unwrap();
                    assert!(!bd.is_empty() && bd.len() <= MAX_BOUNDARY_LEN);
                }
                assert_eq!(b.header.start as usize, p.start);
                assert!(b.header.end as usize <= len && b.header.start <= b.header.end);
                p.header = Some(r(&b.header));
            }
            Event::Body(c) | Event::Preamble(c) | Event::Epilogue(c) => {
                assert_eq!(
                    Some(&c.part),
                    open.last(),
                    "data of the innermost open part"
                );
                let at = c.offset as usize;
                assert!(!c.bytes.is_empty());
                assert_eq!(&data[at..at + c.bytes.len()], &c.bytes[..]);
                let p = &mut parts[c.part];
                let kind = p.kind.expect("data before BodyStart");
                let (buf, seen) = match e {
                    Event::Body(_) => {
                        assert_eq!(kind, PartKind::Leaf);
                        (&mut p.body_bytes, &mut p.body_seen)
                    }
                    Event::Preamble(_) => {
                        assert_eq!(kind, PartKind::Multipart);
                        assert!(p.children.is_empty(), "preamble after a subpart");
                        (&mut p.preamble_bytes, &mut p.preamble_seen)
                    }
                    _ => {
                        assert_eq!(kind, PartKind::Multipart);
                        (&mut p.epilogue_bytes, &mut p.epilogue_seen)
                    }
                };
                // several runs when a defect (bare LF, long line) is
                // reported inside the body
                *seen = true;
                buf.extend_from_slice(&c.bytes);
            }
            Event::PartEnd(end) => {
                assert_eq!(open.pop(), Some(end.part), "parts end innermost first");
                let p = &mut parts[end.part];
                let kind = p.kind.expect("PartEnd before BodyStart");
                let header = r(&end.header);
                let body = r(&end.body);
                assert_eq!(p.header.as_ref(), Some(&header));
                assert!(header.start <= header.end && header.end <= body.start);
                assert!(body.start <= body.end && body.end <= len);
                let bytes = &data[body.clone()];
                let lf = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
                assert_eq!(end.lines, lf, "line count");
                assert_eq!(end.ends_with_line_end, bytes.last() == Some(&b'\n'));
                let pre = end.preamble.as_ref().map(r);
                let epi = end.epilogue.as_ref().map(r);
                match kind {
                    PartKind::Leaf => {
                        assert_eq!(p.body_bytes, bytes, "leaf body chunks = body range");
                        assert!(pre.is_none() && epi.is_none());
                        assert!(p.children.is_empty());
                    }
                    PartKind::Multipart => {
                        if let Some(pr) = &pre {
                            assert!(within(pr, &body));
                            assert_eq!(pr.start, body.start);
                            assert_eq!(p.preamble_bytes, &data[pr.clone()], "preamble");
                        } else {
                            assert!(p.children.is_empty());
                            assert_eq!(p.preamble_bytes, bytes, "no delimiter: all preamble");
                        }
                        if let Some(ep) = &epi {
                            assert!(within(ep, &body));
                            assert_eq!(ep.end, body.end);
                            assert_eq!(p.epilogue_bytes, &data[ep.clone()], "epilogue");
                            if let Some(pr) = &pre {
                                assert!(pr.end <= ep.start);
                            }
                        } else {
                            assert!(p.epilogue_bytes.is_empty());
                        }
                    }
                    PartKind::Message => {
                        assert!(pre.is_none() && epi.is_none());
                        assert!(p.children.len() <= 1);
                    }
                }
                // subparts lie in the body, in order, without overlap
                let mut last = body.start;
                let children = p.children.clone();
                p.body = Some(body.clone());
                p.preamble = pre;
                p.epilogue = epi;
                for c in children {
                    let ch = &parts[c];
                    let cr = ch.start..ch.body.as_ref().expect("child ended").end;
                    assert!(within(&cr, &body), "subpart {c} {cr:?} outside {body:?}");
                    assert!(cr.start >= last, "subparts overlap");
                    last = cr.end;
                }
            }
            Event::Defect(d) => {
                assert!(d.offset as usize <= len, "defect offset");
                defects += 1;
            }
        }
    }
    assert!(open.is_empty(), "every part ended");
    assert!(!parts.is_empty());
    (parts, defects)
}

fn check_message(data: &[u8], opts: ParserOptions, parts: &[PartInfo], events: &[Event<'static>]) {
    let msg = Message::parse_with(data, opts).expect("lenient parse");
    assert_eq!(msg.raw(), data);
    assert_eq!(msg.parts().len(), parts.len());
    let defects: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::Defect(d) => Some(*d),
            _ => None,
        })
        .collect();
    assert_eq!(msg.defects(), &defects[..]);
    for (id, info) in parts.iter().enumerate() {
        let part = msg.part(id).unwrap();
        assert_eq!(part.id(), id);
        assert_eq!(part.parent().map(|p| p.id()), info.parent);
        assert_eq!(part.depth(), info.depth);
        assert_eq!(Some(part.kind()), info.kind);
        assert_eq!(Some(part.header_range()), info.header);
        assert_eq!(Some(part.body_range()), info.body);
        let range = part.range();
        assert!(range.end <= data.len());
        if let Some(parent) = part.parent() {
            assert!(within(&range, &parent.body_range()));
        }
        assert_eq!(part.raw_header(), &data[part.header_range()]);
        assert_eq!(part.raw_body(), &data[part.body_range()]);
        assert_eq!(part.size(), part.body_range().len());
        let fields: Vec<Vec<u8>> = part.header_fields().map(|f| f.raw().to_vec()).collect();
        assert_eq!(fields, info.fields);
        for f in part.header_fields() {
            assert!(part.header(f.name()).is_some());
        }
        assert_eq!(
            part.preamble().map(<[u8]>::to_vec),
            info.preamble.clone().map(|p| data[p].to_vec())
        );
        assert_eq!(
            part.epilogue().map(<[u8]>::to_vec),
            info.epilogue.clone().map(|p| data[p].to_vec())
        );
        let subs: Vec<usize> = part.subparts().map(|p| p.id()).collect();
        match part.kind() {
            PartKind::Multipart => assert_eq!(subs, info.children),
            _ => assert!(subs.is_empty()),
        }
        assert_eq!(
            part.nested_message().map(|p| p.id()),
            if part.kind() == PartKind::Message {
                info.children.first().copied()
            } else {
                None
            }
        );
        // lazy accessors: no panic, decoders never expand
        let _ = part.content_type();
        let _ = part.transfer_encoding();
        let decoded = part.decoded_body();
        if part.transfer_encoding() == ContentTransferEncoding::Base64 {
            // the one-pass fast path for canonical base64 must agree with
            // the streaming decoder
            let mut streamed = Vec::new();
            let mut dec = Base64Decoder::new();
            dec.decode(part.raw_body(), &mut streamed);
            dec.finish(&mut streamed);
            assert_eq!(&*decoded, &streamed[..], "base64 fast path of part {id}");
        }
        // never cut, never larger than the raw body (main b803e04)
        assert!(decoded.len() <= part.raw_body().len());
        // the reporting decode gives the same octets unless its limit cut
        // them, and points every defect inside the part's body
        let report = part.decode_body();
        let cut = report
            .defects
            .iter()
            .any(|d| d.kind == rfc822_message::decode::DecodeDefectKind::LimitExceeded);
        if !cut {
            assert_eq!(&*report.bytes, &*decoded, "decode_body of part {id}");
        }
        let body = part.body_range();
        for d in &report.defects {
            let at = usize::try_from(d.offset).unwrap();
            assert!(body.start <= at && at <= body.end, "defect {d:?} outside {body:?}");
        }
        if let Some(t) = part.text() {
            assert!(part.kind() == PartKind::Leaf);
            let _ = t.len();
        }
    }
}

fuzz_target!(|input: Input<'_>| {
    let opts = options(&input);
    let data = input.data;
    let sizes: Vec<usize> = input.sizes.iter().map(|&s| usize::from(s).max(1)).collect();

    let whole = run(data, opts, &[data.len().max(1)]);
    let split = run(data, opts, &sizes);
    assert_eq!(whole.error, split.error);
    assert_eq!(whole.events, split.events);
    if data.len() <= 256 {
        let bytewise = run(data, opts, &[1]);
        assert_eq!(whole.error, bytewise.error);
        assert_eq!(whole.events, bytewise.events);
    }

    match whole.error {
        None => {
            assert!(whole.done, "parser done after finish");
            let (parts, _) = check_events(data, &whole.events);
            check_message(data, opts, &parts, &whole.events);
        }
        Some(e) => {
            assert!(opts.strict, "lenient mode never fails: {e:?}");
            assert!(matches!(e, ParseError::Defect(_)));
            assert_eq!(Message::parse_with(data, opts).err(), Some(e));
        }
    }
});
