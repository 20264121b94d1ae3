//! MIME structure edge cases, limits and bounded memory.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
mod parse_util;
use parse_util::*;

use rfc822_message::parse::{DefectKind, Event, Parser, ParserOptions, PartKind};
use rfc822_message::{Limits, Message};

fn crlf(s: &str) -> Vec<u8> {
    s.replace('\n', "\r\n").into_bytes()
}

fn kinds(msg: &Message<'_>) -> Vec<DefectKind> {
    msg.defects().iter().map(|d| d.kind).collect()
}

fn opts(f: impl FnOnce(&mut Limits)) -> ParserOptions {
    let mut limits = Limits::default();
    f(&mut limits);
    ParserOptions {
        limits,
        ..ParserOptions::default()
    }
}

#[test]
fn similar_boundaries_outer_ab_inner_a() {
    let raw = crlf(
        "Content-Type: multipart/mixed; boundary=ab\n\n--ab\nContent-Type: multipart/mixed; boundary=a\n\n--a\n\none\n--ab\n\ntwo\n--ab--\n",
    );
    let msg = Message::parse(&raw);
    // `--ab` closes the inner multipart (missing its close delimiter) and
    // starts the outer second part: it is not read as `--a` + "b".
    assert_eq!(kinds(&msg), [DefectKind::MissingCloseDelimiter]);
    let root = msg.root();
    let outer: Vec<_> = root.subparts().collect();
    assert_eq!(outer.len(), 2);
    assert!(outer[0].is_multipart());
    let inner: Vec<_> = outer[0].subparts().collect();
    assert_eq!(inner.len(), 1);
    assert_eq!(inner[0].raw_body(), b"one");
    assert_eq!(outer[1].raw_body(), b"two");
}

#[test]
fn similar_boundaries_outer_a_inner_ab() {
    let raw = crlf(
        "Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: multipart/mixed; boundary=ab\n\n--ab\n\none\n--ab\n\ntwo\n--ab--\n--a--\n",
    );
    let msg = Message::parse(&raw);
    assert!(msg.defects().is_empty(), "{:?}", msg.defects());
    let outer: Vec<_> = msg.root().subparts().collect();
    assert_eq!(outer.len(), 1);
    let inner: Vec<_> = outer[0].subparts().collect();
    assert_eq!(inner.len(), 2);
    assert_eq!(inner[0].raw_body(), b"one");
    assert_eq!(inner[1].raw_body(), b"two");
    assert_eq!(outer[0].epilogue(), Some(&b""[..]));
}

#[test]
fn outer_delimiter_closes_inner_multipart() {
    // RFC 2046: an enclosing boundary ends the inner multipart.
    let raw = crlf(
        "Content-Type: multipart/mixed; boundary=o\n\n--o\nContent-Type: multipart/alternative; boundary=i\n\n--i\n\nin\n--o\n\nnext\n--o--\n",
    );
    let msg = Message::parse(&raw);
    assert_eq!(kinds(&msg), [DefectKind::MissingCloseDelimiter]);
    let outer: Vec<_> = msg.root().subparts().collect();
    assert_eq!(outer.len(), 2);
    assert_eq!(outer[0].subparts().next().unwrap().raw_body(), b"in");
    assert_eq!(outer[1].raw_body(), b"next");
}

#[test]
fn boundary_line_with_transport_padding() {
    let raw = crlf("Content-Type: multipart/mixed; boundary=\"b\"\n\n--b \t \n\nbody\n--b--\t\n");
    let msg = Message::parse(&raw);
    assert!(msg.defects().is_empty(), "{:?}", msg.defects());
    let parts: Vec<_> = msg.root().subparts().collect();
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].raw_body(), b"body");
    assert_eq!(msg.root().epilogue(), Some(&b""[..]));
}

#[test]
fn delimiter_with_trailing_garbage_is_a_defect() {
    let raw = crlf("Content-Type: multipart/mixed; boundary=b\n\n--b junk\n\nbody\n--b--\n");
    let msg = Message::parse(&raw);
    assert_eq!(kinds(&msg), [DefectKind::DelimiterTrailingGarbage]);
    let d = msg.defects()[0];
    assert_eq!(&raw[d.offset as usize..d.offset as usize + 3], b"--b");
    assert_eq!(msg.root().subparts().next().unwrap().raw_body(), b"body");
}

#[test]
fn missing_final_boundary() {
    let raw = crlf("Content-Type: multipart/mixed; boundary=b\n\n--b\n\nfirst\n--b\n\nsecond\n");
    let msg = Message::parse(&raw);
    assert_eq!(kinds(&msg), [DefectKind::MissingCloseDelimiter]);
    assert_eq!(msg.defects()[0].offset, raw.len() as u64);
    let parts: Vec<_> = msg.root().subparts().collect();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[1].raw_body(), b"second\r\n");
    assert_eq!(msg.root().epilogue(), None);
    // and no delimiter at all
    let raw = crlf("Content-Type: multipart/mixed; boundary=b\n\njust text\n");
    let msg = Message::parse(&raw);
    assert_eq!(kinds(&msg), [DefectKind::MissingFirstDelimiter]);
    assert_eq!(msg.root().subparts().count(), 0);
}

#[test]
fn final_boundary_without_line_end() {
    let raw = b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nx\r\n--b--";
    let msg = Message::parse(raw);
    assert!(msg.defects().is_empty());
    assert_eq!(msg.root().subparts().next().unwrap().raw_body(), b"x");
    assert_eq!(msg.root().epilogue(), Some(&b""[..]));
}

#[test]
fn boundary_inside_base64() {
    // The boundary text inside a line is not a delimiter; at a line start it is.
    let raw = crlf(
        "Content-Type: multipart/mixed; boundary=\"=_b\"\n\n--=_b\nContent-Transfer-Encoding: base64\n\naGVsbG8--=_b\nd29ybGQ=\n--=_b--\n",
    );
    let msg = Message::parse(&raw);
    assert!(msg.defects().is_empty());
    let p = msg.root().subparts().next().unwrap();
    assert_eq!(p.raw_body(), b"aGVsbG8--=_b\r\nd29ybGQ=");
    // the decoder skips the `-` and `_` garbage
    assert!(p.decoded_body().starts_with(b"hello"));
}

#[test]
fn nested_message_in_multipart_in_message() {
    let raw = crlf(concat!(
        "Subject: outer\n",
        "Content-Type: message/rfc822\n",
        "\n",
        "Subject: middle\n",
        "Content-Type: multipart/mixed; boundary=m\n",
        "\n",
        "--m\n",
        "Content-Type: message/rfc822\n",
        "\n",
        "Subject: inner\n",
        "\n",
        "inner body\n",
        "--m--\n",
    ));
    let msg = Message::parse(&raw);
    assert!(msg.defects().is_empty(), "{:?}", msg.defects());
    let root = msg.root();
    assert!(root.is_message());
    let middle = root.nested_message().unwrap();
    assert_eq!(middle.header(b"subject"), Some(&b" middle"[..]));
    assert!(middle.is_multipart());
    let mpart = middle.subparts().next().unwrap();
    assert!(mpart.is_message());
    let inner = mpart.nested_message().unwrap();
    assert_eq!(inner.header(b"subject"), Some(&b" inner"[..]));
    assert_eq!(inner.raw_body(), b"inner body");
    assert_eq!(inner.depth(), 3);
    assert_eq!(mpart.body_range(), inner.range());
    assert_eq!(root.body_range(), middle.range());
    assert_eq!(msg.parts().len(), 4);
}

#[test]
fn digest_parts_default_to_message_rfc822() {
    let raw = crlf(
        "Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: one\n\nbody\n--d\nContent-Type: text/plain\n\nplain\n--d--\n",
    );
    let msg = Message::parse(&raw);
    assert!(msg.defects().is_empty());
    let parts: Vec<_> = msg.root().subparts().collect();
    assert_eq!(parts[0].kind(), PartKind::Message);
    assert!(parts[0].content_type().is("message", "rfc822"));
    assert_eq!(
        parts[0].nested_message().unwrap().header(b"subject"),
        Some(&b" one"[..])
    );
    assert_eq!(parts[1].kind(), PartKind::Leaf);
}

#[test]
fn header_without_blank_line() {
    let raw = crlf("Subject: x\nthis is body text\nmore\n");
    let msg = Message::parse(&raw);
    assert_eq!(kinds(&msg), [DefectKind::MissingBlankLine]);
    assert_eq!(msg.defects()[0].offset, 12);
    assert_eq!(msg.root().raw_body(), b"this is body text\r\nmore\r\n");
    assert!(Message::parse_with(&raw, ParserOptions::strict()).is_err());
    // a header that simply ends at the end of input is fine
    let msg = Message::parse(b"Subject: x\r\n");
    assert!(msg.defects().is_empty());
    assert_eq!(msg.root().raw_body(), b"");
}

#[test]
fn folded_fields_keep_raw_value_and_offsets() {
    let raw = crlf("Subject: a\n  b\nX-Empty:\nTo : c\n\n");
    let msg = Message::parse(&raw);
    let f: Vec<_> = msg.root().header_fields().collect();
    assert_eq!(f.len(), 3);
    assert_eq!(f[0].name(), b"Subject");
    assert_eq!(f[0].value(), b" a\r\n  b");
    assert_eq!(f[0].raw(), b"Subject: a\r\n  b\r\n");
    assert_eq!(f[1].value(), b"");
    assert_eq!(f[2].name(), b"To");
    assert_eq!(f[2].value(), b" c");
    assert_eq!(
        f[2].range().start as usize,
        raw.windows(4).position(|w| w == b"To :").unwrap()
    );
}

#[test]
fn nesting_limit() {
    let depth = 8;
    let mut s = String::new();
    for i in 0..depth {
        s.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=b{i}\n\n--b{i}\n"
        ));
    }
    s.push_str("\nleaf\n");
    for i in (0..depth).rev() {
        s.push_str(&format!("--b{i}--\n"));
    }
    let raw = crlf(&s);
    let msg = Message::parse_with(&raw, opts(|l| l.max_depth = 3)).unwrap();
    assert_eq!(kinds(&msg), [DefectKind::NestingLimit]);
    let deepest = msg.parts().map(|p| p.depth()).max().unwrap();
    assert_eq!(deepest, 3);
    // the part at the limit is a leaf holding the rest of the structure
    let leaf = msg.parts().last().unwrap();
    assert_eq!(leaf.kind(), PartKind::Leaf);
    assert!(leaf.content_type().is_multipart());
    assert!(leaf.raw_body().starts_with(b"--b3\r\n"));
    // default limits: all levels
    assert_eq!(Message::parse(&raw).parts().len(), depth + 1);
}

#[test]
fn part_count_limit() {
    let mut s = String::from("Content-Type: multipart/mixed; boundary=b\n\n");
    for i in 0..20 {
        s.push_str(&format!("--b\n\npart {i}\n"));
    }
    s.push_str("--b--\n");
    let raw = crlf(&s);
    let msg = Message::parse_with(&raw, opts(|l| l.max_parts = 5)).unwrap();
    assert_eq!(kinds(&msg), [DefectKind::PartLimit]);
    assert_eq!(msg.parts().len(), 5);
    // the rest of the multipart is its epilogue
    let epi = msg.root().epilogue().unwrap();
    assert!(
        epi.starts_with(b"\r\npart 4\r\n--b") || epi.starts_with(b"part"),
        "{}",
        String::from_utf8_lossy(epi)
    );
    assert!(epi.ends_with(b"--b--\r\n"));
}

#[test]
fn header_flood_is_bounded() {
    let mut p = Parser::with_options(opts(|l| l.max_header_count = 100));
    let field = b"X-Flood: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
    let mut fields = 0;
    let mut defects = Vec::new();
    let mut max_buf = 0;
    for _ in 0..20_000 {
        let mut ev = p.feed(field);
        while let Some(e) = ev.next_event().unwrap() {
            match e {
                Event::Header(_) => fields += 1,
                Event::Defect(d) => defects.push(d.kind),
                _ => {}
            }
        }
        drop(ev);
        max_buf = max_buf.max(p.buffered_len());
    }
    let mut ev = p.feed(b"\r\nbody\r\n");
    while ev.next_event().unwrap().is_some() {}
    drop(ev);
    let mut ev = p.finish();
    while ev.next_event().unwrap().is_some() {}
    assert_eq!(fields, 100);
    assert_eq!(defects, [DefectKind::HeaderCountLimit]);
    assert!(max_buf <= field.len(), "{max_buf}");
}

#[test]
fn field_too_long_is_skipped() {
    let long = format!("X-Long: {}\n", "a".repeat(300));
    let raw = crlf(&format!("Subject: a\n{long}To: b\n\nbody"));
    for cuts in [vec![], (0..raw.len()).step_by(7).collect::<Vec<_>>()] {
        let evs = normalize(events_split(&raw, &cuts, opts(|l| l.max_field_size = 100)).unwrap());
        let names: Vec<_> = evs
            .iter()
            .filter_map(|e| match e {
                Event::Header(h) => Some(String::from_utf8_lossy(h.name()).into_owned()),
                _ => None,
            })
            .collect();
        assert_eq!(names, ["Subject", "To"]);
        assert!(evs.iter().any(|e| matches!(e, Event::Defect(d) if d.kind == DefectKind::FieldTooLong && d.offset == 12)));
    }
}

#[test]
fn long_line_defect_at_line_end() {
    let raw = crlf(&format!("Subject: a\n\nshort\n{}\nend\n", "x".repeat(100)));
    let msg = Message::parse_with(&raw, opts(|l| l.max_line_len = 50)).unwrap();
    assert_eq!(kinds(&msg), [DefectKind::LineTooLong]);
    assert_eq!(msg.defects()[0].offset, 21);
    assert_eq!(msg.root().raw_body().len(), 7 + 102 + 5);
}

/// Generates a multipart message of about `size` octets in chunks, never
/// holding it whole; returns the largest `buffered_len` seen and the sizes.
fn stream_big(size: usize, chunk: usize) -> (usize, Vec<u64>, u64) {
    let mut p = Parser::new();
    let mut max_buf = 0;
    let mut sizes = Vec::new();
    let mut body_bytes = 0u64;
    let feed = |p: &mut Parser,
                bytes: &[u8],
                max_buf: &mut usize,
                sizes: &mut Vec<u64>,
                body_bytes: &mut u64| {
        for piece in bytes.chunks(chunk) {
            let mut ev = p.feed(piece);
            while let Some(e) = ev.next_event().unwrap() {
                match e {
                    Event::Body(c) => {
                        // zero-copy: body chunks from the chunk fed are sub-slices of it
                        *body_bytes += c.bytes.len() as u64;
                    }
                    Event::PartEnd(e) => sizes.push(e.size()),
                    Event::Defect(d) => panic!("{d:?}"),
                    _ => {}
                }
            }
            drop(ev);
            *max_buf = (*max_buf).max(p.buffered_len());
        }
    };
    feed(&mut p, b"Content-Type: multipart/mixed; boundary=\"=_big\"\r\n\r\n--=_big\r\nContent-Transfer-Encoding: base64\r\n\r\n", &mut max_buf, &mut sizes, &mut body_bytes);
    let line = b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n";
    let block: Vec<u8> = line
        .iter()
        .copied()
        .cycle()
        .take(line.len() * 800)
        .collect();
    let mut sent = 0;
    while sent < size {
        feed(&mut p, &block, &mut max_buf, &mut sizes, &mut body_bytes);
        sent += block.len();
    }
    feed(
        &mut p,
        b"\r\n--=_big\r\n\r\n-- \r\n--=_bi",
        &mut max_buf,
        &mut sizes,
        &mut body_bytes,
    );
    feed(
        &mut p,
        b"g--\r\n",
        &mut max_buf,
        &mut sizes,
        &mut body_bytes,
    );
    let mut ev = p.finish();
    while let Some(e) = ev.next_event().unwrap() {
        if let Event::PartEnd(e) = e {
            sizes.push(e.size());
        }
    }
    (max_buf, sizes, body_bytes)
}

#[test]
fn ten_megabyte_body_bounded_memory() {
    let (max_buf, sizes, body_bytes) = stream_big(10 << 20, 65536);
    assert!(max_buf < 1024, "buffered {max_buf}");
    assert_eq!(sizes.len(), 3);
    assert_eq!(sizes[0], body_bytes - 3);
    assert_eq!(sizes[1], 3); // "-- "
}

#[test]
#[ignore = "100 MB: run with --ignored --release"]
fn hundred_megabyte_body_bounded_memory() {
    let (max_buf, sizes, _) = stream_big(100 << 20, 65536);
    assert!(max_buf < 1 << 20, "buffered {max_buf}");
    assert!(sizes[0] >= 100 << 20);
}

#[test]
fn body_chunks_borrow_from_the_fed_chunk() {
    let raw = b"Subject: x\r\n\r\nline one\r\nline two\r\n";
    let mut p = Parser::new();
    let mut ev = p.feed(raw);
    let range = raw.as_ptr_range();
    while let Some(e) = ev.next_event().unwrap() {
        if let Event::Body(c) = &e {
            assert!(matches!(c.bytes, std::borrow::Cow::Borrowed(_)));
            assert!(range.contains(&c.bytes.as_ptr()));
        }
        if let Event::Header(h) = &e {
            assert!(range.contains(&h.raw().as_ptr()));
        }
    }
}

#[test]
fn encoded_message_part_is_a_leaf() {
    let raw = crlf(
        "Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\nU3ViamVjdDogeA0KDQpoaQ==\n",
    );
    let msg = Message::parse(&raw);
    assert_eq!(kinds(&msg), [DefectKind::EncodedComposite]);
    assert_eq!(msg.root().kind(), PartKind::Leaf);
    assert_eq!(&*msg.root().decoded_body(), b"Subject: x\r\n\r\nhi");
}

#[test]
fn feeding_after_finish_is_an_error() {
    let mut p = Parser::new();
    drop(p.finish());
    let mut ev = p.feed(b"x");
    assert!(ev.next_event().is_err());
}

#[test]
fn line_end_before_delimiter_is_never_the_parts() {
    // RFC 2046 5.1.1: body-part := MIME-part-headers [CRLF *OCTET]; the CRLF
    // before a delimiter belongs to it, even when it looks like the blank
    // line ending a header, or ends the header's last field.
    let raw = crlf(
        "Content-Type: multipart/mixed; boundary=b\n\n--b\n\n--b\nX: 1\n\n--b\nX: 2\n--b\n\nbody\n--b--\n",
    );
    for cuts in [vec![], (0..raw.len()).collect::<Vec<_>>()] {
        let evs = events_split(&raw, &cuts, ParserOptions::default()).unwrap();
        let whole = normalize(events(&raw));
        assert_eq!(dump(&normalize(evs)), dump(&whole));
    }
    let msg = Message::parse(&raw);
    assert!(msg.defects().is_empty(), "{:?}", msg.defects());
    let parts: Vec<_> = msg.root().subparts().collect();
    assert_eq!(parts.len(), 4);
    assert_eq!(parts[0].raw_header(), b"");
    assert_eq!(parts[0].raw_body(), b"");
    assert_eq!(parts[1].raw_header(), b"X: 1\r\n");
    assert_eq!(parts[1].raw_body(), b"");
    assert_eq!(parts[2].raw_header(), b"X: 2");
    assert_eq!(parts[2].header(b"x"), Some(&b" 2"[..]));
    assert_eq!(parts[2].raw_body(), b"");
    assert_eq!(parts[3].raw_header(), b"\r\n");
    assert_eq!(parts[3].raw_body(), b"body");
    // a multipart's own first delimiter after its blank line is not an outer one
    let raw = crlf(
        "Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: multipart/mixed; boundary=ab\n\n--ab\n\nin\n--ab--\n--a--\n",
    );
    let msg = Message::parse(&raw);
    assert!(msg.defects().is_empty(), "{:?}", msg.defects());
    let inner = msg.root().subparts().next().unwrap();
    assert!(inner.raw_header().ends_with(b"\r\n\r\n"));
    assert_eq!(inner.subparts().next().unwrap().raw_body(), b"in");
}
