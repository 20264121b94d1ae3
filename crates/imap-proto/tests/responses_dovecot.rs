//! Every server message of the Dovecot transcripts in `tests/data/dovecot/`
//! (recorded from Dovecot 2.3.19.1, see its README) frames on the client
//! side, parses, and round-trips: `parse(encode(x)) == x`, and most
//! messages re-encode byte for byte.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;

use imap_proto::encode::{Encode, EncodeOptions, Encoder};
use imap_proto::parse::framer::{FrameEvent, Framer, FramerLimits, Side};
use imap_proto::types::{Data, FetchItem, Response};

fn messages(s2c: &[u8]) -> Vec<Vec<u8>> {
    let limits = FramerLimits {
        stream_threshold: u64::MAX,
        ..FramerLimits::client()
    };
    let mut f = Framer::new(limits, Side::Client);
    f.feed(s2c);
    let mut out = Vec::new();
    while let Some(ev) = f.next_event() {
        match ev.unwrap() {
            FrameEvent::Message(m) => out.push(m.to_vec()),
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(f.buffered(), 0, "a partial message at the end");
    out
}

#[test]
fn every_dovecot_server_message_parses() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dovecot");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "s2c"))
        .collect();
    files.sort();
    assert!(files.len() >= 14, "{files:?}");
    let (mut total, mut exact, mut fetch_bodystructure, mut unknown) = (0, 0, 0, 0);
    for path in &files {
        let s2c = std::fs::read(path).unwrap();
        for m in messages(&s2c) {
            let r = Response::parse(&m).unwrap_or_else(|e| {
                panic!("{}: {:?}: {e}", path.display(), String::from_utf8_lossy(&m))
            });
            let mut e = Encoder::new(EncodeOptions::default());
            r.encode(&mut e);
            let wire = e.to_bytes();
            assert_eq!(Response::parse(&wire).unwrap(), r, "{}", path.display());
            total += 1;
            if wire == m {
                exact += 1;
            }
            match &r {
                Response::Data(Data::Fetch { items, .. }) => {
                    if items
                        .iter()
                        .any(|i| matches!(i, FetchItem::BodyStructure(_)))
                    {
                        fetch_bodystructure += 1;
                    }
                    if items.iter().any(|i| matches!(i, FetchItem::Other { .. })) {
                        unknown += 1;
                    }
                }
                Response::Data(Data::Other { .. }) => unknown += 1,
                _ => {}
            }
        }
    }
    assert!(total > 100, "{total}");
    assert!(fetch_bodystructure > 0);
    eprintln!("{total} messages, {exact} byte-exact, {unknown} with unknown parts");
    // Strings Dovecot sends as literals that could be quoted (and the
    // other way round) are the only differences.
    assert!(exact * 10 >= total * 9, "{exact} of {total} byte-exact");
}
