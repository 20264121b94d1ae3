//! The Message view agrees with the push parser's events, and its accessors
//! never panic.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
mod parse_util;
use parse_util::*;

use proptest::prelude::*;
use rfc822_message::Message;
use rfc822_message::parse::{Event, PartKind};

fn walk(msg: &Message<'_>) -> usize {
    let mut n = 0;
    for p in msg.parts() {
        n += p.header_fields().count();
        n += p.header(b"content-type").map_or(0, <[u8]>::len);
        n += p.content_type().params().len();
        let _ = p.transfer_encoding();
        n += p.decoded_body().len();
        n += p.text().map_or(0, |t| t.len());
        n += p.subparts().count();
        n += p.nested_message().map_or(0, |m| m.id());
        n += p.preamble().map_or(0, <[u8]>::len) + p.epilogue().map_or(0, <[u8]>::len);
        assert_eq!(p.raw_header().len() + p.raw_body().len(), p.range().len());
        assert_eq!(&msg.raw()[p.body_range()], p.raw_body());
        if let Some(parent) = p.parent() {
            assert!(parent.range().start <= p.range().start && p.range().end <= parent.range().end);
            match parent.kind() {
                PartKind::Multipart => assert!(parent.subparts().any(|c| c.id() == p.id())),
                PartKind::Message => assert_eq!(parent.nested_message().unwrap().id(), p.id()),
                PartKind::Leaf => panic!("leaf with a child"),
            }
        }
    }
    n
}

fn agrees(raw: &[u8]) {
    let msg = Message::parse(raw);
    walk(&msg);
    let evs = events(raw);
    let ends: Vec<_> = evs
        .iter()
        .filter_map(|e| {
            if let Event::PartEnd(e) = e {
                Some(e.clone())
            } else {
                None
            }
        })
        .collect();
    assert_eq!(ends.len(), msg.parts().len());
    for e in ends {
        let p = msg.part(e.part).unwrap();
        assert_eq!(p.body_range(), e.body.start as usize..e.body.end as usize);
        assert_eq!(p.lines(), e.lines);
    }
    assert_eq!(
        msg.defects().to_vec(),
        evs.iter()
            .filter_map(|e| if let Event::Defect(d) = e {
                Some(*d)
            } else {
                None
            })
            .collect::<Vec<_>>()
    );
    let owned = Message::parse(raw).into_owned();
    assert_eq!(owned.parts().len(), msg.parts().len());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn view_on_generated_messages(seed in any::<u64>()) {
        agrees(&Gen::new(seed).message());
    }

    #[test]
    fn view_on_arbitrary_bytes(raw in prop::collection::vec(any::<u8>(), 0..600)) {
        agrees(&raw);
    }
}
