//! Helpers shared by the parse_* tests.
#![allow(dead_code)]

use rfc822_message::parse::{Event, ParseError, Parser, ParserOptions};

/// Feeds `msg` cut at `cuts` (sorted offsets), returns all events owned.
pub fn events_split(
    msg: &[u8],
    cuts: &[usize],
    opts: ParserOptions,
) -> Result<Vec<Event<'static>>, ParseError> {
    let mut p = Parser::with_options(opts);
    let mut out = Vec::new();
    let mut last = 0;
    let mut bounds: Vec<usize> = cuts.iter().copied().filter(|&c| c <= msg.len()).collect();
    bounds.sort_unstable();
    bounds.push(msg.len());
    for b in bounds {
        let b = b.max(last);
        let mut ev = p.feed(&msg[last..b]);
        while let Some(e) = ev.next_event()? {
            out.push(e.into_owned());
        }
        last = b;
    }
    let mut ev = p.finish();
    while let Some(e) = ev.next_event()? {
        out.push(e.into_owned());
    }
    Ok(out)
}

pub fn events(msg: &[u8]) -> Vec<Event<'static>> {
    events_split(msg, &[], ParserOptions::default()).unwrap()
}

/// Merges adjacent body chunks (same kind, same part, contiguous).
pub fn normalize(evs: Vec<Event<'static>>) -> Vec<Event<'static>> {
    let mut out: Vec<Event<'static>> = Vec::new();
    for e in evs {
        let merged = match (out.last_mut(), &e) {
            (Some(Event::Body(a)), Event::Body(b))
            | (Some(Event::Preamble(a)), Event::Preamble(b))
            | (Some(Event::Epilogue(a)), Event::Epilogue(b))
                if a.part == b.part && a.offset + a.bytes.len() as u64 == b.offset =>
            {
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

pub fn dump(evs: &[Event<'_>]) -> String {
    let mut s = String::new();
    for e in evs {
        let line = match e {
            Event::PartStart(p) => format!(
                "PartStart {} parent={:?} depth={} @{}",
                p.part, p.parent, p.depth, p.offset
            ),
            Event::Header(h) => format!(
                "Header {} {:?}={:?} @{}",
                h.part,
                String::from_utf8_lossy(h.name()),
                String::from_utf8_lossy(h.value()),
                h.offset
            ),
            Event::BodyStart(b) => format!(
                "BodyStart {} {:?} {}/{} boundary={:?} header={:?} blank={}",
                b.part,
                b.kind,
                String::from_utf8_lossy(&b.media_type),
                String::from_utf8_lossy(&b.media_subtype),
                b.boundary
                    .as_ref()
                    .map(|b| String::from_utf8_lossy(b).into_owned()),
                b.header,
                b.blank_line
            ),
            Event::Body(c) => format!(
                "Body {} @{} {:?}",
                c.part,
                c.offset,
                String::from_utf8_lossy(&c.bytes)
            ),
            Event::Preamble(c) => format!(
                "Preamble {} @{} {:?}",
                c.part,
                c.offset,
                String::from_utf8_lossy(&c.bytes)
            ),
            Event::Epilogue(c) => format!(
                "Epilogue {} @{} {:?}",
                c.part,
                c.offset,
                String::from_utf8_lossy(&c.bytes)
            ),
            Event::PartEnd(p) => format!(
                "PartEnd {} header={:?} body={:?} lines={} eol={} pre={:?} epi={:?}",
                p.part, p.header, p.body, p.lines, p.ends_with_line_end, p.preamble, p.epilogue
            ),
            Event::Defect(d) => format!("Defect {:?} @{}", d.kind, d.offset),
        };
        s.push_str(&line);
        s.push('\n');
    }
    s
}
