//! Whole messages from the builder: layout, MIME trees that split back into
//! the same tree (with a small test-side splitter until the push parser is
//! merged), streaming attachments, boundaries that never occur in the
//! content, deterministic output.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Read;

use base64::Engine as _;
use proptest::prelude::*;
use rfc822_message::build::{
    Body, BuildError, DateTime, Mailbox, MediaType, MessageBuilder, MessageId, MultipartKind, Part,
    Text, TransferEncoding,
};
use rfc822_message::header::{ContentDisposition, ContentType, unstructured};
use rfc822_message::parse::{Event, Parser, ParserOptions};

fn base() -> MessageBuilder {
    MessageBuilder::new()
        .from(Mailbox::with_addr(Some("Alice"), "alice@example.org").unwrap())
        .to(Mailbox::with_addr(None, "bob@example.com").unwrap())
        .date(DateTime::new(2024, 5, 17, 9, 30, 0, 120).unwrap())
        .deterministic(42)
}

/// A part as the test-side splitter sees it.
#[derive(Debug, Clone, PartialEq)]
struct Node {
    mime: String,
    encoding: String,
    filename: Option<String>,
    legacy_name: Option<String>,
    body: Vec<u8>,
    children: Vec<Node>,
}

fn split_head(msg: &[u8]) -> (Vec<(String, Vec<u8>)>, &[u8]) {
    let end = msg
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 2)
        .unwrap_or_else(|| {
            assert!(msg.starts_with(b"\r\n"), "no header end");
            0
        });
    let head = &msg[..end];
    let body = &msg[end + 2..];
    let mut fields: Vec<(String, Vec<u8>)> = Vec::new();
    for line in head.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let line = line.strip_suffix(b"\r").expect("CRLF only");
        assert!(line.len() <= 998);
        if line.starts_with(b" ") || line.starts_with(b"\t") {
            fields.last_mut().unwrap().1.extend_from_slice(line);
        } else {
            let colon = line.iter().position(|&b| b == b':').unwrap();
            fields.push((
                String::from_utf8(line[..colon].to_vec()).unwrap(),
                line[colon + 1..].to_vec(),
            ));
        }
    }
    (fields, body)
}

fn get<'a>(fields: &'a [(String, Vec<u8>)], name: &str) -> Option<&'a [u8]> {
    fields
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_slice())
}

fn qp_decode(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'=' {
            if s[i + 1..].starts_with(b"\r\n") {
                i += 3;
            } else {
                out.push(
                    u8::from_str_radix(std::str::from_utf8(&s[i + 1..i + 3]).unwrap(), 16).unwrap(),
                );
                i += 3;
            }
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    out
}

fn decode_body(enc: &str, body: &[u8]) -> Vec<u8> {
    match enc {
        "base64" => {
            let clean: Vec<u8> = body
                .iter()
                .copied()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            base64::engine::general_purpose::STANDARD
                .decode(clean)
                .unwrap()
        }
        "quoted-printable" => qp_decode(body),
        _ => body.to_vec(),
    }
}

/// Splits an entity (header + body) into a tree.
fn parse(entity: &[u8]) -> Node {
    let (fields, body) = split_head(entity);
    let ct = ContentType::parse(get(&fields, "Content-Type").expect("Content-Type")).unwrap();
    let mime = format!("{}/{}", ct.main_type(), ct.sub_type());
    let encoding = get(&fields, "Content-Transfer-Encoding")
        .map(|v| String::from_utf8(v.to_vec()).unwrap().trim().to_owned())
        .unwrap_or_else(|| "7bit".to_owned());
    let filename = get(&fields, "Content-Disposition")
        .map(|v| ContentDisposition::parse(v).unwrap())
        .and_then(|d| d.filename().map(|f| f.decoded().into_owned()));
    let legacy_name = ct.param("name").map(|p| p.decoded().into_owned());
    let mut node = Node {
        mime,
        encoding: encoding.clone(),
        filename,
        legacy_name,
        body: Vec::new(),
        children: Vec::new(),
    };
    if let Some(b) = ct.boundary() {
        let delim = [b"--", b].concat();
        let close = [delim.as_slice(), b"--"].concat();
        // The body is: delim CRLF part (CRLF delim CRLF part)* CRLF close [CRLF]
        assert!(
            body.starts_with(&delim),
            "body starts with the first delimiter"
        );
        let inner = &body[delim.len()..];
        let sep = [b"\r\n", delim.as_slice()].concat();
        let mut pieces: Vec<&[u8]> = Vec::new();
        let mut rest = inner;
        loop {
            let at = find(rest, &sep).expect("delimiter");
            pieces.push(&rest[..at]);
            rest = &rest[at + 2..];
            if rest.starts_with(&close) {
                break;
            }
            rest = &rest[delim.len()..];
        }
        let epilogue = &rest[close.len()..];
        assert!(epilogue.is_empty() || epilogue == b"\r\n", "{epilogue:?}");
        for p in pieces {
            let p = p.strip_prefix(b"\r\n").expect("CRLF after delimiter");
            node.children.push(parse(p));
        }
    } else {
        node.body = decode_body(&encoding, body);
    }
    node
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn simple_text_message_exact_bytes() {
    let msg = base()
        .subject(Text::new("Hello").unwrap())
        .message_id(MessageId::from_text("1@example.org").unwrap())
        .body(Part::text("Hi Bob,\nsee you.\n"))
        .build()
        .unwrap();
    assert_eq!(
        String::from_utf8(msg).unwrap(),
        "From: Alice <alice@example.org>\r\n\
         To: bob@example.com\r\n\
         Date: Fri, 17 May 2024 09:30:00 +0200\r\n\
         Subject: Hello\r\n\
         Message-ID: <1@example.org>\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\
         Content-Transfer-Encoding: 7bit\r\n\
         \r\n\
         Hi Bob,\r\nsee you.\r\n"
    );
}

#[test]
fn text_encoding_is_chosen_by_content() {
    let enc = |b: MessageBuilder| {
        let m = b.build().unwrap();
        parse(&m).encoding
    };
    assert_eq!(enc(base().body(Part::text("plain ascii"))), "7bit");
    assert_eq!(
        enc(base().body(Part::text(
            "Grüße aus Köln, und noch ein wenig mehr Text dazu."
        ))),
        "quoted-printable"
    );
    assert_eq!(
        enc(base().body(Part::text("日本語のテキストです。"))),
        "base64"
    );
    assert_eq!(
        enc(base().allow_8bit(true).body(Part::text("Grüße"))),
        "8bit"
    );
    // A line over 998 octets cannot go as 7bit.
    assert_eq!(
        enc(base().body(Part::text("a".repeat(1200)))),
        "quoted-printable"
    );
    // Decoded content is the text with CRLF line breaks.
    let m = base().body(Part::text("Grüße\nzwei")).build().unwrap();
    assert_eq!(parse(&m).body, "Grüße\r\nzwei".as_bytes());
}

#[test]
fn mime_tree_splits_back() {
    let png: Vec<u8> = (0..3000u32).map(|i| (i * 7 % 256) as u8).collect();
    let msg = base()
        .subject(Text::new("Tree").unwrap())
        .body(Part::multipart(
            MultipartKind::Alternative,
            vec![
                Part::text("plain"),
                Part::multipart(
                    MultipartKind::Related,
                    vec![
                        Part::html("<img src=\"cid:logo@x\">"),
                        Part::data(MediaType::new("image", "png").unwrap(), png.clone())
                            .inline()
                            .content_id(MessageId::from_text("logo@x").unwrap()),
                    ],
                ),
            ],
        ))
        .attach(Part::attachment(
            MediaType::octet_stream(),
            Text::new("Übersicht für das Jahr 2024 – sehr langer Dateiname mit Umlauten.pdf")
                .unwrap(),
            b"%PDF-1.4 binary \x00\xff".to_vec(),
        ))
        .attach(Part::message(
            b"From: x@y.test\nSubject: inner\n\nforwarded\n".to_vec(),
        ))
        .build()
        .unwrap();
    for line in msg.split(|&b| b == b'\n') {
        assert!(line.len() <= 999);
    }
    let tree = parse(&msg);
    assert_eq!(tree.mime, "multipart/mixed");
    assert_eq!(tree.children.len(), 3);
    let alt = &tree.children[0];
    assert_eq!(alt.mime, "multipart/alternative");
    assert_eq!(alt.children[0].body, b"plain");
    let rel = &alt.children[1];
    assert_eq!(rel.mime, "multipart/related");
    assert_eq!(rel.children[0].mime, "text/html");
    assert_eq!(rel.children[1].mime, "image/png");
    assert_eq!(rel.children[1].body, png);
    let att = &tree.children[1];
    let name = "Übersicht für das Jahr 2024 – sehr langer Dateiname mit Umlauten.pdf";
    assert_eq!(att.filename.as_deref(), Some(name), "RFC 2231 filename*");
    assert_eq!(
        att.legacy_name.as_deref(),
        Some(name),
        "Outlook-style name="
    );
    assert_eq!(att.body, b"%PDF-1.4 binary \x00\xff");
    let fwd = &tree.children[2];
    assert_eq!(fwd.mime, "message/rfc822");
    assert_eq!(fwd.encoding, "7bit");
    assert_eq!(
        fwd.body,
        b"From: x@y.test\r\nSubject: inner\r\n\r\nforwarded\r\n"
    );
    // The push parser reads it in strict mode, the attached message as a
    // nested message (part kinds: mixed, alternative, plain, related, html,
    // png, pdf, rfc822, and the nested message's text/plain).
    let parts = parser_parts(&msg, 100);
    let kinds: Vec<&str> = parts.iter().map(|(m, _)| m.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "multipart/mixed",
            "multipart/alternative",
            "text/plain",
            "multipart/related",
            "text/html",
            "image/png",
            "application/octet-stream",
            "message/rfc822",
            "text/plain"
        ]
    );
    assert_eq!(parts[8].1, b"forwarded\r\n");
    // Subject decodes through the header decoder.
    let (fields, _) = split_head(&msg);
    assert_eq!(
        unstructured::decode(get(&fields, "Subject").unwrap()),
        "Tree"
    );
}

#[test]
fn deterministic_output_and_random_boundaries() {
    let make = |seed: Option<u64>| {
        let b = base().attach(Part::attachment(
            MediaType::octet_stream(),
            Text::new("a.bin").unwrap(),
            vec![1u8, 2, 3],
        ));
        let b = match seed {
            Some(s) => b.deterministic(s),
            None => b.options(Default::default()),
        };
        b.body(Part::text("x")).build().unwrap()
    };
    assert_eq!(make(Some(7)), make(Some(7)));
    assert_ne!(make(Some(7)), make(Some(8)));
    assert_ne!(make(None), make(None));
}

fn first_boundary(b: MessageBuilder) -> String {
    let m = b.build().unwrap();
    let (fields, _) = split_head(&m);
    let ct = ContentType::parse(get(&fields, "Content-Type").unwrap()).unwrap();
    String::from_utf8(ct.boundary().unwrap().to_vec()).unwrap()
}

#[test]
fn known_content_never_holds_the_boundary() {
    let mk = |text: String| {
        base().body(Part::multipart(
            MultipartKind::Mixed,
            vec![Part::text(text), Part::text("second")],
        ))
    };
    let b1 = first_boundary(mk("harmless".into()));
    // A 7bit text that holds the delimiter the seed would give.
    let evil = format!("line\r\n--{b1}\r\nContent-Type: text/html\r\n\r\n<script>\r\n--{b1}--\r\n");
    let b2 = first_boundary(mk(evil.clone()));
    assert_ne!(b1, b2);
    let m = mk(evil.clone()).build().unwrap();
    let tree = parse(&m);
    assert_eq!(tree.children.len(), 2);
    assert_eq!(tree.children[0].encoding, "7bit");
    assert_eq!(tree.children[0].body, evil.as_bytes());
}

#[test]
fn streamed_unencoded_content_with_the_boundary_fails() {
    let mk = |body: Body| {
        base().body(Part::multipart(
            MultipartKind::Mixed,
            vec![
                Part::text("a"),
                Part::data(MediaType::new("text", "x-log").unwrap(), body)
                    .encoding(TransferEncoding::SevenBit),
            ],
        ))
    };
    let b = first_boundary(mk(Body::from(b"ok\r\n".to_vec())));
    let evil = format!("ok\r\n--{b}\r\n");
    let chunks = evil
        .into_bytes()
        .chunks(3)
        .map(|c| Ok(bytes::Bytes::copy_from_slice(c)))
        .collect::<Vec<_>>();
    let r = mk(Body::chunks(chunks.into_iter())).build();
    assert!(matches!(r, Err(BuildError::BoundaryInContent)), "{r:?}");
    // Streamed base64 cannot collide and is fine.
    let r = base()
        .attach(Part::data(
            MediaType::octet_stream(),
            Body::reader(std::io::repeat(b'-').take(10_000)),
        ))
        .build();
    assert!(r.is_ok());
}

/// A reader of `len` pattern bytes that records the largest read asked.
struct Pattern {
    left: usize,
    pos: u64,
    max_read: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Read for Pattern {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.max_read
            .fetch_max(buf.len(), std::sync::atomic::Ordering::Relaxed);
        let n = buf.len().min(self.left).min(10_000);
        for b in &mut buf[..n] {
            *b = (self.pos.wrapping_mul(2_654_435_761) >> 13) as u8;
            self.pos += 1;
        }
        self.left -= n;
        Ok(n)
    }
}

/// Counts what is written and keeps only a digest, so the test itself holds
/// no copy of the message.
#[derive(Default)]
struct Counter {
    bytes: usize,
    max_write: usize,
}

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes += buf.len();
        self.max_write = self.max_write.max(buf.len());
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn attachments_stream_in_bounded_chunks() {
    let len = 20 * 1024 * 1024;
    let max_read = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let reader = Pattern {
        left: len,
        pos: 0,
        max_read: max_read.clone(),
    };
    let mut out = Counter::default();
    base()
        .body(Part::text("see attachment"))
        .attach(Part::attachment(
            MediaType::octet_stream(),
            Text::new("big.bin").unwrap(),
            Body::reader(reader),
        ))
        .write_to(&mut out)
        .unwrap();
    // base64: 4/3 of the size plus CRLF every 76 characters.
    assert!(out.bytes > len * 4 / 3);
    // Every write is at most a chunk's encoding, never the whole body.
    assert!(out.max_write < 200 * 1024, "{}", out.max_write);
    assert!(max_read.load(std::sync::atomic::Ordering::Relaxed) <= 64 * 1024);
}

#[test]
fn streamed_attachment_decodes_to_its_content() {
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let d2 = data.clone();
    let chunks = (0..data.len()).step_by(777).map(move |i| {
        Ok(bytes::Bytes::copy_from_slice(
            &d2[i..(i + 777).min(d2.len())],
        ))
    });
    let m = base()
        .body(Part::text("x"))
        .attach(Part::attachment(
            MediaType::octet_stream(),
            Text::new("d.bin").unwrap(),
            Body::chunks(chunks),
        ))
        .build()
        .unwrap();
    let tree = parse(&m);
    assert_eq!(tree.children[1].body, data);
}

#[test]
fn errors() {
    let no_date = MessageBuilder::new()
        .from(Mailbox::with_addr(None, "a@b.test").unwrap())
        .build();
    assert!(matches!(no_date, Err(BuildError::MissingField("Date"))));
    let managed = base()
        .header(
            rfc822_message::build::HeaderName::new("content-type").unwrap(),
            rfc822_message::build::RawValue::new("text/html").unwrap(),
        )
        .build();
    assert!(matches!(managed, Err(BuildError::ManagedField(_))));
    let eight = base()
        .attach(Part::message("Subject: é\r\n\r\n".as_bytes().to_vec()))
        .build();
    assert!(matches!(eight, Err(BuildError::InvalidContent { .. })));
    assert!(
        base()
            .allow_8bit(true)
            .attach(Part::message("Subject: é\r\n\r\n".as_bytes().to_vec()))
            .build()
            .is_ok()
    );
    let empty = base()
        .body(Part::multipart(MultipartKind::Mixed, vec![]))
        .build();
    assert!(matches!(empty, Err(BuildError::InvalidContent { .. })));
    let bad7 = base()
        .body(
            Part::data(MediaType::octet_stream(), vec![0xffu8])
                .encoding(TransferEncoding::SevenBit),
        )
        .build();
    assert!(matches!(bad7, Err(BuildError::InvalidContent { .. })));
    // A fixed-size buffer that is too small: an error, not a panic.
    let mut buf = [0u8; 64];
    let mut slice = &mut buf[..];
    assert!(matches!(
        base().build_into_check(&mut slice),
        Err(BuildError::BufferFull)
    ));
    // Nesting deeper than the limit.
    let mut p = Part::text("deep");
    for _ in 0..60 {
        p = Part::multipart(MultipartKind::Mixed, vec![p]);
    }
    assert!(matches!(base().body(p).build(), Err(BuildError::Limit(_))));
}

trait BuildIntoCheck {
    fn build_into_check(self, out: &mut &mut [u8]) -> Result<(), BuildError>;
}

impl BuildIntoCheck for MessageBuilder {
    fn build_into_check(self, out: &mut &mut [u8]) -> Result<(), BuildError> {
        self.write_into(out)
    }
}

#[derive(Debug, Clone)]
enum Shape {
    Text(String),
    Data(Vec<u8>, Option<String>),
    Multi(u8, Vec<Shape>),
}

fn shape() -> impl Strategy<Value = Shape> {
    let leaf = prop_oneof![
        prop_oneof![
            "[^\u{0}]{0,200}",
            "(([a-z ]{0,20}|--=_[0-9a-f.]{0,40})\n){0,10}",
        ]
        .prop_map(Shape::Text),
        (
            prop::collection::vec(any::<u8>(), 0..300),
            prop::option::of("[^\r\n\u{0}]{1,100}")
        )
            .prop_map(|(d, n)| Shape::Data(d, n)),
    ];
    leaf.prop_recursive(3, 12, 4, |inner| {
        (0u8..3, prop::collection::vec(inner, 1..4)).prop_map(|(k, v)| Shape::Multi(k, v))
    })
}

fn to_part(s: &Shape) -> Part {
    match s {
        Shape::Text(t) => Part::text(t.clone()),
        Shape::Data(d, None) => Part::data(MediaType::octet_stream(), d.clone()),
        Shape::Data(d, Some(n)) => Part::attachment(
            MediaType::octet_stream(),
            Text::new(n.clone()).unwrap(),
            d.clone(),
        ),
        Shape::Multi(k, v) => Part::multipart(
            [
                MultipartKind::Mixed,
                MultipartKind::Alternative,
                MultipartKind::Related,
            ][*k as usize]
                .clone(),
            v.iter().map(to_part).collect(),
        ),
    }
}

fn check(s: &Shape, n: &Node) {
    match s {
        Shape::Text(t) => {
            assert_eq!(n.mime, "text/plain");
            let crlf = t.replace("\r\n", "\n").replace('\n', "\r\n");
            // Bare CRs stay as they are.
            assert_eq!(String::from_utf8(n.body.clone()).unwrap(), crlf);
        }
        Shape::Data(d, name) => {
            assert_eq!(n.mime, "application/octet-stream");
            assert_eq!(&n.body, d);
            assert_eq!(&n.filename, name);
            assert_eq!(&n.legacy_name, name);
        }
        Shape::Multi(k, v) => {
            assert_eq!(
                n.mime,
                [
                    "multipart/mixed",
                    "multipart/alternative",
                    "multipart/related"
                ][*k as usize]
            );
            assert_eq!(n.children.len(), v.len());
            for (s, c) in v.iter().zip(&n.children) {
                check(s, c);
            }
        }
    }
}

/// The parts as the crate's push parser sees them in strict mode (any
/// defect fails): media type and decoded body, in order. The message is fed
/// in `chunk`-sized pieces.
fn parser_parts(msg: &[u8], chunk: usize) -> Vec<(String, Vec<u8>)> {
    let mut p = Parser::with_options(ParserOptions::strict());
    let mut parts: Vec<(String, String, Vec<u8>)> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut on = |ev: Event<'_>, parts: &mut Vec<(String, String, Vec<u8>)>| match ev {
        Event::BodyStart(b) => {
            let enc = b
                .transfer_encoding
                .as_ref()
                .map(|e| String::from_utf8_lossy(e).trim().to_ascii_lowercase())
                .unwrap_or_else(|| "7bit".into());
            parts.push((
                format!(
                    "{}/{}",
                    String::from_utf8_lossy(&b.media_type),
                    String::from_utf8_lossy(&b.media_subtype)
                ),
                enc,
                Vec::new(),
            ));
            open.push(parts.len() - 1);
        }
        Event::Body(c) => parts[*open.last().unwrap()].2.extend_from_slice(&c.bytes),
        Event::PartEnd(_) => {
            open.pop();
        }
        Event::Defect(d) => panic!("defect in builder output: {d}"),
        _ => {}
    };
    for c in msg.chunks(chunk.max(1)) {
        let mut evs = p.feed(c);
        while let Some(ev) = evs.next_event().unwrap() {
            on(ev, &mut parts);
        }
    }
    let mut evs = p.finish();
    while let Some(ev) = evs.next_event().unwrap() {
        on(ev, &mut parts);
    }
    parts
        .into_iter()
        .map(|(m, e, b)| (m, decode_body(&e, &b)))
        .collect()
}

fn flatten(n: &Node, out: &mut Vec<(String, Vec<u8>)>) {
    out.push((n.mime.clone(), n.body.clone()));
    for c in &n.children {
        flatten(c, out);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The push parser, in strict mode, reads the builder's output without
    /// a single defect and finds the same tree, however it is fed.
    #[test]
    fn push_parser_reads_the_same_tree(s in shape(), seed in any::<u64>(), chunk in 1usize..200) {
        let m = base().deterministic(seed).body(to_part(&s)).build().unwrap();
        let mut expected = Vec::new();
        flatten(&parse(&m), &mut expected);
        prop_assert_eq!(parser_parts(&m, chunk), expected);
    }


    /// parse(build(x)) == x for MIME trees, with text that tries to look
    /// like boundaries.
    #[test]
    fn trees_round_trip(s in shape(), seed in any::<u64>(), eight in any::<bool>()) {
        let m = base().deterministic(seed).allow_8bit(eight).body(to_part(&s)).build().unwrap();
        for line in m.split(|&b| b == b'\n') {
            prop_assert!(line.len() <= 999);
        }
        check(&s, &parse(&m));
    }
}
