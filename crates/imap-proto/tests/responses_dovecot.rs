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

/// With a small stream threshold every message body of the transcripts is
/// streamed; `parse_fetch_head` / `parse_fetch_rest` over the framer's
/// events, plus the chunks, give back what parsing the whole message gives.
#[test]
fn streamed_fetch_agrees_with_whole_parse() {
    use imap_proto::ResponseOptions;
    use imap_proto::parse::fetch::{StreamedKind, parse_fetch_head, parse_fetch_rest};
    use imap_proto::types::{BinaryData, NString};

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dovecot");
    let o = ResponseOptions::default();
    let mut streamed_messages = 0;
    for name in [
        "06-fetch.s2c",
        "04-append.s2c",
        "09-enable-condstore-qresync.s2c",
    ] {
        let s2c = std::fs::read(dir.join(name)).unwrap();
        let whole = messages(&s2c);
        let limits = FramerLimits {
            stream_threshold: 256,
            ..FramerLimits::client()
        };
        let mut f = Framer::new(limits, Side::Client);
        f.feed(&s2c);
        let mut idx = 0;
        // Items rebuilt from the streamed events of the current message.
        let mut items: Vec<FetchItem<'static>> = Vec::new();
        let mut pending: Option<(StreamedKind<'static>, Vec<u8>)> = None;
        let finish = |pending: &mut Option<(StreamedKind<'static>, Vec<u8>)>,
                      items: &mut Vec<FetchItem<'static>>| {
            let Some((kind, data)) = pending.take() else {
                return;
            };
            let s = || {
                NString(Some(
                    imap_proto::types::IString::new(data.clone())
                        .unwrap()
                        .into_owned(),
                ))
            };
            items.push(match kind {
                StreamedKind::BodySection { section, origin } => FetchItem::BodySection {
                    section,
                    origin,
                    data: s(),
                },
                StreamedKind::Binary { part, origin } => FetchItem::Binary {
                    part,
                    origin,
                    data: BinaryData::Literal8(imap_proto::types::Literal8::new(
                        data,
                        imap_proto::types::LiteralMode::Sync,
                    )),
                },
                StreamedKind::Rfc822 => FetchItem::Rfc822(s()),
                StreamedKind::Rfc822Header => FetchItem::Rfc822Header(s()),
                StreamedKind::Rfc822Text => FetchItem::Rfc822Text(s()),
                _ => unreachable!(),
            });
        };
        while let Some(ev) = f.next_event() {
            match ev.unwrap() {
                FrameEvent::Message(_) => idx += 1,
                FrameEvent::MessageStart { head, literal } => {
                    let Ok(h) = parse_fetch_head(&head, o) else {
                        // Not a FETCH (an APPEND echo cannot happen on
                        // the server side; anything else is a failure).
                        panic!("{:?}", String::from_utf8_lossy(&head));
                    };
                    assert_eq!(h.streamed.size, literal.size);
                    items = h.items.into_iter().map(FetchItem::into_owned).collect();
                    pending = Some((h.streamed.kind.clone().into_owned(), Vec::new()));
                }
                FrameEvent::LiteralChunk(c) => pending.as_mut().unwrap().1.extend_from_slice(&c),
                FrameEvent::MessageContinue { text, .. } => {
                    finish(&mut pending, &mut items);
                    let r = parse_fetch_rest(&text, o).unwrap();
                    items.extend(r.items.into_iter().map(FetchItem::into_owned));
                    let s = r.streamed.unwrap();
                    pending = Some((s.kind.into_owned(), Vec::new()));
                }
                FrameEvent::MessageEnd(text) => {
                    finish(&mut pending, &mut items);
                    let r = parse_fetch_rest(&text, o).unwrap();
                    assert!(r.streamed.is_none());
                    items.extend(r.items.into_iter().map(FetchItem::into_owned));
                    let Response::Data(Data::Fetch { items: want, .. }) =
                        Response::parse(&whole[idx]).unwrap()
                    else {
                        panic!()
                    };
                    // Literal modes and forms aside, the data must agree.
                    assert_eq!(items.len(), want.len());
                    for (got, want) in items.iter().zip(want.iter()) {
                        match (got, want) {
                            (
                                FetchItem::Binary {
                                    data: a, part: p1, ..
                                },
                                FetchItem::Binary {
                                    data: b, part: p2, ..
                                },
                            ) => assert_eq!((a.data(), p1), (b.data(), p2)),
                            (a, b) => assert_eq!(a, b),
                        }
                    }
                    streamed_messages += 1;
                    idx += 1;
                }
                other => panic!("{other:?}"),
            }
        }
    }
    assert!(streamed_messages > 5, "{streamed_messages}");
}
