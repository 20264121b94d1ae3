//! The IMAP response parser (`Response::parse_with`) and the streamed-FETCH
//! parsers on arbitrary bytes.
//!
//! The first input byte picks the options (bit 0: UTF8=ACCEPT; bit 1: a
//! small nesting limit of 4; bit 2: at most 8 items per list; bit 3: every
//! named leniency of `ResponseOptions::lenient`); the rest is
//! one message. Checks: no panic; errors point inside the input; whatever
//! parses encodes to bytes that the framer (client side) delivers as
//! exactly one message and that parse back to an equal value, and encoding
//! that value again gives the same bytes; `into_owned` keeps the value.
#![no_main]

use imap_proto::parse::fetch::{parse_fetch_head, parse_fetch_rest};
use imap_proto::parse::framer::{FrameEvent, Framer, FramerLimits, Side};
use imap_proto::types::Response;
use imap_proto::{Encode, EncodeOptions, Encoder, ResponseError, ResponseOptions};
use libfuzzer_sys::fuzz_target;

fn encoded(r: &Response<'_>, utf8: bool) -> Vec<u8> {
    let mut e = Encoder::new(EncodeOptions {
        utf8_accept: utf8,
        ..EncodeOptions::default()
    });
    r.encode(&mut e);
    e.to_bytes()
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, msg)) = data.split_first() else {
        return;
    };
    let mut opts = if flags & 8 != 0 {
        ResponseOptions::lenient()
    } else {
        ResponseOptions::default()
    };
    opts.utf8_accept = flags & 1 != 0;
    if flags & 2 != 0 {
        opts.max_depth = 4;
    }
    if flags & 4 != 0 {
        opts.max_items = 8;
    }
    let _ = parse_fetch_head(msg, opts);
    let _ = parse_fetch_rest(msg, opts);
    match Response::parse_with(msg, opts) {
        Err(ResponseError::Syntax(e)) => assert!(e.offset <= msg.len()),
        Err(_) => {}
        Ok(r) => {
            // What parsed under the 8-bit leniency is written as the
            // protocol allows (a literal without UTF8=ACCEPT).
            let wire = encoded(&r, opts.utf8_accept);
            let mut framer = Framer::new(FramerLimits::client(), Side::Client);
            framer.feed(&wire);
            match framer.next_event() {
                Some(Ok(FrameEvent::Message(m))) => assert_eq!(&m[..], &wire[..]),
                other => panic!("{wire:?} framed as {other:?}"),
            }
            assert!(
                framer.next_event().is_none(),
                "{wire:?} is more than one message"
            );
            // The encoder never nests deeper or lists more than the input
            // did, so the same options accept it.
            let again = Response::parse_with(&wire, opts)
                .unwrap_or_else(|e| panic!("{r:?} encoded as {wire:?}: {e}"));
            assert_eq!(again, r, "round trip through {wire:?}");
            assert_eq!(encoded(&again, opts.utf8_accept), wire);
            assert_eq!(r.clone().into_owned(), r);
        }
    }
});
