//! IMAP message framing (`imap_proto::parse::framer::Framer`).
//!
//! Input: five limit bytes (line, message, literal, non-synchronising
//! literal, streaming threshold), `flags` (bit 0: server side, bit 1: which
//! parity of literal size the server accepts), four chunk sizes, then the
//! bytes.
//!
//! Checks:
//! - no panic, and every poll but the last makes progress;
//! - fed in chunks of the given sizes, the framer yields the same events
//!   (streamed chunks merged) as when fed everything at once;
//! - after the events are drained the framer holds at most
//!   `max_message_len` bytes (unless a literal waits for a decision);
//! - when every literal is accepted and nothing was refused, the bytes
//!   handed out, in order, are exactly the input minus what is still
//!   buffered: nothing lost, duplicated or reordered; messages end in CRLF
//!   and streamed parts in a literal header.
#![no_main]

use arbitrary::Arbitrary;
use imap_proto::parse::framer::{FrameEvent, Framer, FramerLimits, LiteralHeader, Side};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    limits: [u8; 5],
    flags: u8,
    sizes: [u8; 4],
    data: &'a [u8],
}

#[derive(Debug, PartialEq, Eq)]
enum Ev {
    Message(Vec<u8>),
    Need(LiteralHeader),
    Start(Vec<u8>, LiteralHeader),
    Chunk(Vec<u8>),
    Continue(Vec<u8>, LiteralHeader),
    End(Vec<u8>),
    Err(String, Option<Vec<u8>>, bool),
}

struct Run {
    events: Vec<Ev>,
    /// Every byte handed out, in order.
    out: Vec<u8>,
    left: usize,
}

fn run(
    limits: FramerLimits,
    side: Side,
    input: &[u8],
    sizes: &[usize],
    accept: &dyn Fn(&LiteralHeader) -> bool,
) -> Run {
    let mut framer = Framer::new(limits, side);
    let mut events: Vec<Ev> = Vec::new();
    let mut out = Vec::new();
    let mut fed = 0;
    let mut k = 0;
    loop {
        let mut polls = 0;
        while let Some(ev) = framer.next_event() {
            polls += 1;
            assert!(polls <= input.len() + 2, "no progress");
            let ev = match ev {
                Ok(FrameEvent::Message(m)) => {
                    assert!(m.ends_with(b"\r\n"));
                    out.extend_from_slice(&m);
                    Ev::Message(m.to_vec())
                }
                Ok(FrameEvent::NeedContinuation { literal, .. }) => {
                    assert_eq!(side, Side::Server);
                    if accept(&literal) {
                        framer.accept_literal().unwrap();
                    } else {
                        framer.reject_literal().unwrap();
                    }
                    Ev::Need(literal)
                }
                Ok(FrameEvent::MessageStart { head, literal }) => {
                    assert!(head.ends_with(b"}\r\n"));
                    assert!(literal.size > limits.stream_threshold);
                    out.extend_from_slice(&head);
                    Ev::Start(head.to_vec(), literal)
                }
                Ok(FrameEvent::LiteralChunk(c)) => {
                    assert!(!c.is_empty());
                    out.extend_from_slice(&c);
                    if let Some(Ev::Chunk(prev)) = events.last_mut() {
                        prev.extend_from_slice(&c);
                        continue;
                    }
                    Ev::Chunk(c.to_vec())
                }
                Ok(FrameEvent::MessageContinue { text, literal }) => {
                    assert!(text.ends_with(b"}\r\n"));
                    out.extend_from_slice(&text);
                    Ev::Continue(text.to_vec(), literal)
                }
                Ok(FrameEvent::MessageEnd(m)) => {
                    assert!(m.ends_with(b"\r\n"));
                    out.extend_from_slice(&m);
                    Ev::End(m.to_vec())
                }
                Err(e) => {
                    assert_eq!(e.unrecoverable, framer.is_unrecoverable());
                    Ev::Err(e.to_string(), e.tag.map(|t| t.to_vec()), e.unrecoverable)
                }
            };
            events.push(ev);
        }
        if framer.pending_literal().is_none() {
            assert!(framer.buffered() <= limits.max_message_len);
        }
        if fed == input.len() {
            break;
        }
        let n = sizes[k % sizes.len()].max(1).min(input.len() - fed);
        k += 1;
        framer.feed(&input[fed..fed + n]);
        fed += n;
    }
    Run {
        events,
        out,
        left: framer.buffered(),
    }
}

fuzz_target!(|input: Input<'_>| {
    let [line, message, literal, nonsync, threshold] = input.limits.map(usize::from);
    let limits = FramerLimits {
        max_line_len: line,
        max_message_len: message * 2,
        max_literal_len: literal as u64 * 4,
        max_nonsync_literal_len: nonsync as u64,
        stream_threshold: threshold as u64 / 2,
    };
    let side = if input.flags & 1 != 0 {
        Side::Server
    } else {
        Side::Client
    };
    let parity = input.flags & 2 != 0;
    let accept = move |l: &LiteralHeader| l.size.is_multiple_of(2) == parity;
    let sizes: Vec<usize> = input.sizes.iter().map(|&s| usize::from(s).max(1)).collect();
    let data = input.data;

    let whole = run(limits, side, data, &[data.len().max(1)], &accept);
    let split = run(limits, side, data, &sizes, &accept);
    assert_eq!(whole.events, split.events);

    let all = run(limits, side, data, &sizes, &|_| true);
    if !all.events.iter().any(|e| matches!(e, Ev::Err(..))) {
        assert_eq!(all.out.len() + all.left, data.len());
        assert_eq!(&all.out[..], &data[..all.out.len()]);
    }
});
