//! RFC examples through the push parser and the Message view.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
mod parse_util;
use parse_util::*;

use rfc822_message::Message;
use rfc822_message::parse::{Event, ParserOptions, PartKind};

fn data(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/data/parse/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn media(p: &rfc822_message::Part<'_>) -> String {
    let ct = p.content_type();
    format!("{}/{}", ct.main_type(), ct.sub_type()).to_ascii_lowercase()
}

/// RFC 2046 section 5.1.1, the simple example.
#[test]
fn rfc2046_simple_example() {
    let raw = data("rfc2046-simple.eml");
    let msg = Message::parse(&raw);
    assert!(msg.defects().is_empty(), "{:?}", msg.defects());
    let root = msg.root();
    assert!(root.is_multipart());
    assert_eq!(root.header(b"Subject"), Some(&b" Sample message"[..]));
    assert_eq!(
        root.preamble().unwrap(),
        b"This is the preamble.  It is to be ignored, though it\r\nis a handy place for composition agents to include an\r\nexplanatory note to non-MIME conformant readers.\r\n"
    );
    assert_eq!(
        root.epilogue().unwrap(),
        b"\r\nThis is the epilogue.  It is also to be ignored.\r\n"
    );
    let parts: Vec<_> = root.subparts().collect();
    assert_eq!(parts.len(), 2);
    // implicitly typed, no header fields, body without a final line end
    assert_eq!(parts[0].header_fields().count(), 0);
    assert_eq!(parts[0].raw_header(), b"\r\n");
    assert_eq!(media(&parts[0]), "text/plain");
    assert_eq!(
        parts[0].raw_body(),
        b"This is implicitly typed plain US-ASCII text.\r\nIt does NOT end with a linebreak."
    );
    assert_eq!(parts[0].lines(), 1);
    assert!(!parts[0].ends_with_line_end());
    // explicitly typed, ends with a line break
    assert_eq!(
        parts[1].header(b"content-type"),
        Some(&b" text/plain; charset=us-ascii"[..])
    );
    assert_eq!(
        parts[1].raw_body(),
        b"This is explicitly typed plain US-ASCII text.\r\nIt DOES end with a linebreak.\r\n"
    );
    assert_eq!(parts[1].lines(), 2);
    assert!(parts[1].ends_with_line_end());
    assert_eq!(
        parts[1].text().unwrap(),
        "This is explicitly typed plain US-ASCII text.\r\nIt DOES end with a linebreak.\r\n"
    );
    // the body of the message is everything after the blank line
    assert_eq!(root.body_range().end, raw.len());
    assert_eq!(&raw[root.header_range()], &raw[..root.body_range().start]);
}

/// RFC 2049 appendix A, the complex example.
#[test]
fn rfc2049_complex_example() {
    let raw = data("rfc2049-appendix-a.eml");
    let msg = Message::parse(&raw);
    assert!(msg.defects().is_empty(), "{:?}", msg.defects());
    let shape: Vec<(usize, Option<usize>, PartKind, String)> = msg
        .parts()
        .map(|p| (p.depth(), p.parent().map(|q| q.id()), p.kind(), media(&p)))
        .collect();
    use PartKind::{Leaf, Multipart};
    let expect = [
        (0, None, Multipart, "multipart/mixed"),
        (1, Some(0), Leaf, "text/plain"),
        (1, Some(0), Leaf, "text/plain"),
        (1, Some(0), Multipart, "multipart/parallel"),
        (2, Some(3), Leaf, "audio/basic"),
        (2, Some(3), Leaf, "image/jpeg"),
        (1, Some(0), Leaf, "text/enriched"),
        (1, Some(0), PartKind::Message, "message/rfc822"),
        (2, Some(7), Leaf, "text/plain"),
    ];
    assert_eq!(shape.len(), expect.len());
    for (got, want) in shape.iter().zip(expect) {
        assert_eq!((got.0, got.1, got.2, got.3.as_str()), want);
    }
    let root = msg.root();
    assert_eq!(
        root.subparts().map(|p| p.id()).collect::<Vec<_>>(),
        [1, 2, 3, 6, 7]
    );
    let parallel = msg.part(3).unwrap();
    assert_eq!(
        parallel.subparts().map(|p| p.id()).collect::<Vec<_>>(),
        [4, 5]
    );
    assert_eq!(parallel.preamble(), Some(&b""[..]));
    assert_eq!(parallel.epilogue(), Some(&b""[..]));
    assert!(parallel.raw_body().ends_with(b"--unique-boundary-2--\r\n"));
    let audio = msg.part(4).unwrap();
    assert_eq!(audio.raw_body(), b"  ... base64-encoded 8000 Hz single-channel\r\n      mu-law-format audio data goes here ...\r\n");
    let enriched = msg.part(6).unwrap();
    assert!(enriched.raw_body().starts_with(b"This is <bold>"));
    assert!(enriched.raw_body().ends_with(b"</bigger></bigger>\r\n"));
    // message/rfc822: the nested message is part 8 with its own header
    let m = msg.part(7).unwrap();
    let nested = m.nested_message().unwrap();
    assert_eq!(nested.id(), 8);
    assert_eq!(
        nested.header(b"subject"),
        Some(&b" (subject in US-ASCII)"[..])
    );
    assert_eq!(m.body_range(), nested.range());
    assert_eq!(
        nested.content_type().charset().unwrap().as_bytes(),
        b"ISO-8859-1"
    );
    assert_eq!(
        nested.raw_body(),
        b"  ... Additional text in ISO-8859-1 goes here ...\r\n"
    );
    assert_eq!(
        nested.text().unwrap(),
        "  ... Additional text in ISO-8859-1 goes here ...\r\n"
    );
    assert_eq!(m.lines(), 7);
    // every way of splitting gives the same events
    let whole = normalize(events(&raw));
    for n in [1usize, 2, 3, 64, 1000] {
        let cuts: Vec<usize> = (0..raw.len()).step_by(n).collect();
        let split = normalize(events_split(&raw, &cuts, ParserOptions::default()).unwrap());
        assert_eq!(dump(&whole), dump(&split), "chunks of {n}");
    }
    // and the part ends carry the ranges the view exposes
    for e in &whole {
        if let Event::PartEnd(end) = e {
            let p = msg.part(end.part).unwrap();
            assert_eq!(
                p.body_range(),
                end.body.start as usize..end.body.end as usize
            );
            assert_eq!(
                p.header_range(),
                end.header.start as usize..end.header.end as usize
            );
        }
    }
}

/// The same message with LF line ends has the same structure.
#[test]
fn lf_only_message_same_structure() {
    let raw = data("rfc2049-appendix-a.eml");
    let lf: Vec<u8> = String::from_utf8(raw.clone())
        .unwrap()
        .replace("\r\n", "\n")
        .into_bytes();
    let a = Message::parse(&raw);
    let b = Message::parse(&lf);
    assert_eq!(a.parts().len(), b.parts().len());
    for (x, y) in a.parts().zip(b.parts()) {
        assert_eq!(x.kind(), y.kind());
        assert_eq!(media(&x), media(&y));
        assert_eq!(x.lines(), y.lines());
        assert_eq!(
            String::from_utf8_lossy(x.raw_body()).replace("\r\n", "\n"),
            String::from_utf8_lossy(y.raw_body())
        );
    }
    // one defect for the whole message, at the first bare LF
    assert_eq!(b.defects().len(), 1);
    assert_eq!(
        b.defects()[0].kind,
        rfc822_message::parse::DefectKind::BareLf
    );
    assert_eq!(
        b.defects()[0].offset,
        lf.iter().position(|&c| c == b'\n').unwrap() as u64
    );
    assert!(Message::parse_with(&lf, ParserOptions::strict()).is_err());
    assert!(Message::parse_with(&raw, ParserOptions::strict()).is_ok());
}
