//! Helpers shared by the parse_* tests.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing
)]

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

/// A tiny deterministic generator of MIME messages with perturbations
/// (similar boundaries, missing close delimiters, LF-only lines, padding,
/// nested message/rfc822, digests), driven by a seed.
pub struct Gen(u64);

impl Gen {
    pub fn new(seed: u64) -> Self {
        Gen(seed ^ 0x9e37_79b9_7f4a_7c15)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    pub fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }

    pub fn message(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        self.entity(&mut out, 0, false, &[]);
        if self.chance(30) {
            // LF-only
            out = String::from_utf8_lossy(&out)
                .replace("\r\n", "\n")
                .into_bytes();
        }
        out
    }

    fn body_lines(&mut self, out: &mut Vec<u8>, open: &[String]) {
        let n = self.below(5);
        for _ in 0..n {
            let line = match self.below(10) {
                0 => "-- ".to_string(),
                1 => "--".to_string(),
                2 if !open.is_empty() => {
                    format!("--{}x", open[self.below(open.len() as u64) as usize])
                }
                3 => "x".repeat(self.below(80) as usize),
                4 => "aGVsbG8gd29ybGQ=".to_string(),
                5 => "=3D=\r".to_string(),
                _ => self
                    .pick(&["hello", "", "Subject: not a header", "\t", "a\rb"])
                    .to_string(),
            };
            out.extend_from_slice(line.as_bytes());
            if self.chance(90) {
                out.extend_from_slice(b"\r\n");
            }
        }
    }

    fn entity(&mut self, out: &mut Vec<u8>, depth: u32, in_digest: bool, open: &[String]) {
        let kind = if depth > 4 { 0 } else { self.below(4) };
        let boundary = self.pick(&["a", "ab", "b", "a b", "=_x", "a"]).to_string();
        if self.chance(50) {
            out.extend_from_slice(b"Subject: test\r\n");
        }
        if self.chance(20) {
            out.extend_from_slice(b"X-Folded: one\r\n two\r\n\tthree\r\n");
        }
        match kind {
            1 | 2 => {
                let sub = if self.chance(20) { "digest" } else { "mixed" };
                let q = if self.chance(50) { "\"" } else { "" };
                out.extend_from_slice(
                    format!("Content-Type: multipart/{sub}; boundary={q}{boundary}{q}\r\n")
                        .as_bytes(),
                );
            }
            3 => out.extend_from_slice(b"Content-Type: message/rfc822\r\n"),
            _ => {
                if !in_digest && self.chance(50) {
                    out.extend_from_slice(b"Content-Type: text/plain; charset=utf-8\r\n");
                }
            }
        }
        match self.below(12) {
            0 => {}
            1 => out.extend_from_slice(b"garbage line\r\n"),
            _ => out.extend_from_slice(b"\r\n"),
        }
        match kind {
            1 | 2 => {
                let mut open2 = open.to_vec();
                open2.push(boundary.clone());
                let digest = String::from_utf8_lossy(out)
                    .rsplit("Content-Type")
                    .next()
                    .is_some_and(|s| s.contains("digest"));
                if self.chance(50) {
                    self.body_lines(out, &open2);
                }
                let parts = self.below(4);
                for _ in 0..parts {
                    out.extend_from_slice(format!("\r\n--{boundary}").as_bytes());
                    if self.chance(15) {
                        out.extend_from_slice(b"  \t");
                    }
                    out.extend_from_slice(b"\r\n");
                    self.entity(out, depth + 1, digest, &open2);
                }
                if self.chance(80) {
                    out.extend_from_slice(format!("\r\n--{boundary}--").as_bytes());
                    if self.chance(80) {
                        out.extend_from_slice(b"\r\n");
                    }
                    if self.chance(40) {
                        self.body_lines(out, open);
                    }
                }
            }
            3 => self.entity(out, depth + 1, false, open),
            _ => self.body_lines(out, open),
        }
    }
}
