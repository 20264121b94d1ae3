//! The IMAP views of a message (`imap_proto::rfc822::MessageInfo`, feature
//! `rfc822`) on arbitrary bytes, and the FETCH response a server builds
//! from them.
//!
//! Input: the whole of it is the message. `MessageInfo::new` takes the
//! message at once (it is not incremental), so there is no chunking here;
//! the split invariance of the push parser underneath is `rfc822_push`'s.
//!
//! Checks:
//! - no panic; `rfc822_size` is the message length, `message` the input;
//! - every part number the BODYSTRUCTURE names resolves: its MIME header
//!   and body are ranges inside the message, the header right before the
//!   body; `body-fld-octets` is the body section's length and
//!   `body-fld-lines` its LF count; `HEADER` / `TEXT` exist exactly for the
//!   top level and message/rfc822 (message/global) parts, and together
//!   they are that part's body (the whole message at the top level);
//! - `HEADER.FIELDS (names)` and `HEADER.FIELDS.NOT (names)` are ordered,
//!   disjoint ranges of the header, and together (their shared empty line
//!   once) they are exactly the header;
//! - part numbers past the last part (and `u32::MAX`) name nothing: the
//!   section is `None`, BINARY fails with `NoSuchPart`;
//! - `BINARY` of an existing part never fails with `NoSuchPart`, is never
//!   longer than the body and equals it when no transfer encoding is
//!   undone; `BINARY.SIZE` is its length or the same error;
//! - the key property: the FETCH response with RFC822.SIZE, ENVELOPE,
//!   BODYSTRUCTURE, BODY, `BODY[section]` for the sections above (those
//!   without NUL, which `nstring` cannot carry), `BINARY[part]` as
//!   `literal8` and `BINARY.SIZE[part]`, encoded with and without
//!   UTF8=ACCEPT, is one message for the client-side framer, parses back
//!   with the response parser to an equal value and re-encodes to the same
//!   bytes, with the parser's default options (whose nesting limit is
//!   above what the views produce under `rfc822_message::Limits`).
#![no_main]

use std::num::NonZeroU32;
use std::ops::Range;

use imap_proto::parse::framer::{FrameEvent, Framer, FramerLimits, Side};
use imap_proto::rfc822::{BinaryError, MessageInfo};
use imap_proto::types::body::SingleKind;
use imap_proto::types::response::Data;
use imap_proto::types::{
    AString, BinaryData, Body, FetchItem, IString, Literal8, LiteralMode, NString, NonEmptyVec,
    Response, Section, SectionText,
};
use imap_proto::{Encode, EncodeOptions, Encoder, ResponseOptions};
use libfuzzer_sys::fuzz_target;

type Path = Vec<NonZeroU32>;

fn nz(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap()
}

fn child(prefix: &[NonZeroU32], n: u32) -> Path {
    let mut p = prefix.to_vec();
    p.push(nz(n));
    p
}

/// Every part number the structure names, depth first, with its structure
/// (RFC 9051 section 6.4.5: the parts of an encapsulated message are
/// numbered after the message part's number; a non-multipart body is
/// part 1).
fn walk<'b, 'a>(b: &'b Body<'a>, prefix: &[NonZeroU32], out: &mut Vec<(Path, &'b Body<'a>)>) {
    match b {
        Body::Multipart { parts, .. } => {
            for (i, p) in parts.as_slice().iter().enumerate() {
                let path = child(prefix, u32::try_from(i + 1).unwrap());
                out.push((path.clone(), p));
                walk(p, &path, out);
            }
        }
        Body::Single {
            kind: SingleKind::Message { body, .. },
            ..
        } => match &**body {
            Body::Multipart { .. } => walk(body, prefix, out),
            single => {
                let path = child(prefix, 1);
                out.push((path.clone(), single));
                walk(single, &path, out);
            }
        },
        Body::Single { .. } => {}
    }
}

/// Part numbers that must name nothing, below the part at `prefix`.
fn missing_below(b: &Body<'_>, prefix: &[NonZeroU32], out: &mut Vec<Path>) {
    match b {
        Body::Multipart { parts, .. } => {
            out.push(child(
                prefix,
                u32::try_from(parts.as_slice().len() + 1).unwrap(),
            ));
        }
        Body::Single {
            kind: SingleKind::Message { body, .. },
            ..
        } => {
            if prefix.is_empty() {
                // A top-level message/rfc822 is part 1 of the message.
                out.push(child(prefix, 2));
            } else {
                missing_below(body, prefix, out);
            }
        }
        Body::Single { .. } => out.push(child(prefix, 2)),
    }
    out.push(child(prefix, u32::MAX));
}

fn sec(part: &[NonZeroU32], text: Option<SectionText<'static>>) -> Section<'static> {
    Section::new(part.to_vec(), text).unwrap()
}

fn inside(r: &Range<usize>, outer: &Range<usize>) -> bool {
    outer.start <= r.start && r.start <= r.end && r.end <= outer.end
}

/// Up to four field names of the header at `header` (the text before the
/// first colon of its lines), and two that are in no message.
fn field_names(msg: &[u8], header: &Range<usize>) -> NonEmptyVec<AString<'static>> {
    let mut names = vec![
        AString::new(&b"Subject"[..]).unwrap(),
        AString::new(&b"X-Not-There"[..]).unwrap(),
    ];
    for line in msg[header.clone()].split(|&b| b == b'\n') {
        if names.len() >= 6 {
            break;
        }
        if let Some(colon) = line.iter().position(|&b| b == b':')
            && colon > 0
            && let Ok(n) = AString::new(line[..colon].to_vec())
        {
            names.push(n);
        }
    }
    NonEmptyVec::new(names).unwrap()
}

/// HEADER.FIELDS and HEADER.FIELDS.NOT of the message at `part` (the top
/// level or a message part) with the same names; checks that they tile the
/// header. Returns both sections.
fn check_header_fields(
    info: &MessageInfo<'_>,
    part: &[NonZeroU32],
    header: &Range<usize>,
) -> Vec<Section<'static>> {
    let msg = info.message();
    let fields = field_names(msg, header);
    let mut all: Vec<Range<usize>> = Vec::new();
    let mut out = Vec::new();
    for not in [false, true] {
        let s = sec(
            part,
            Some(SectionText::HeaderFields {
                not,
                fields: fields.clone(),
            }),
        );
        let d = info
            .section(&s)
            .unwrap_or_else(|| panic!("no HEADER.FIELDS for {part:?}"));
        let mut prev = header.start;
        for r in d.ranges() {
            assert!(
                inside(r, header),
                "{part:?} HEADER.FIELDS range {r:?} outside the header {header:?}"
            );
            assert!(
                r.start >= prev,
                "{part:?} HEADER.FIELDS ranges out of order"
            );
            prev = r.end;
        }
        assert_eq!(d.len(), d.to_bytes().len());
        all.extend(d.ranges().iter().filter(|r| !r.is_empty()).cloned());
        out.push(s);
    }
    // Field lines and the rest tile the header; the empty line is in both.
    all.sort_by_key(|r| (r.start, r.end));
    all.dedup();
    let mut at = header.start;
    for r in &all {
        assert_eq!(
            r.start, at,
            "{part:?}: HEADER.FIELDS and .NOT do not tile {header:?}: {all:?}"
        );
        at = r.end;
    }
    assert_eq!(
        at, header.end,
        "{part:?}: HEADER.FIELDS and .NOT do not tile {header:?}: {all:?}"
    );
    out
}

/// HEADER and TEXT of the message at `part`: their ranges, contiguous.
fn check_header_text(info: &MessageInfo<'_>, part: &[NonZeroU32]) -> (Range<usize>, Range<usize>) {
    let len = info.message().len();
    let h = info
        .section(&sec(part, Some(SectionText::Header)))
        .unwrap_or_else(|| panic!("no HEADER for {part:?}"))
        .range()
        .unwrap();
    let t = info
        .section(&sec(part, Some(SectionText::Text)))
        .unwrap_or_else(|| panic!("no TEXT for {part:?}"))
        .range()
        .unwrap();
    assert!(inside(&h, &(0..len)) && inside(&t, &(0..len)));
    assert_eq!(h.end, t.start, "{part:?}: HEADER {h:?} then TEXT {t:?}");
    (h, t)
}

fn check_binary(info: &MessageInfo<'_>, part: &[NonZeroU32], body: &[u8], identity: bool) {
    match info.binary(part) {
        Ok(bin) => {
            assert!(bin.len() <= body.len(), "{part:?}: BINARY grew");
            if identity {
                assert_eq!(&*bin, body, "{part:?}: BINARY of an identity encoding");
            }
            assert_eq!(info.binary_size(part), Ok(bin.len() as u64));
        }
        Err(BinaryError::NoSuchPart) => panic!("{part:?} exists but BINARY says no such part"),
        Err(e) => assert_eq!(info.binary_size(part), Err(e)),
    }
}

fn fetch_items<'a>(info: &MessageInfo<'a>, sections: &[Section<'static>]) -> Vec<FetchItem<'a>> {
    let mut items = vec![
        FetchItem::Rfc822Size(info.rfc822_size()),
        FetchItem::Envelope(Box::new(info.envelope())),
        FetchItem::BodyStructure(Box::new(info.body_structure())),
        FetchItem::Body(Box::new(info.body())),
    ];
    for s in sections {
        let Some(d) = info.section(s) else { continue };
        if let Ok(data) = IString::new(d.to_bytes()) {
            items.push(FetchItem::BodySection {
                section: s.clone(),
                origin: None,
                data: NString(Some(data)),
            });
        }
        if s.text().is_none() && !s.part().is_empty() {
            let part = s.part().to_vec();
            if let Ok(bin) = info.binary(&part) {
                items.push(FetchItem::BinarySize {
                    part: part.clone(),
                    size: u32::try_from(bin.len()).unwrap(),
                });
                items.push(FetchItem::Binary {
                    part,
                    origin: None,
                    data: BinaryData::Literal8(Literal8::new(bin, LiteralMode::Sync)),
                });
            }
        }
    }
    items
}

fn check_response(r: &Response<'_>, utf8: bool) {
    let mut e = Encoder::new(EncodeOptions {
        utf8_accept: utf8,
        ..EncodeOptions::default()
    });
    r.encode(&mut e);
    let wire = e.to_bytes();
    let mut limits = FramerLimits::client();
    limits.stream_threshold = wire.len() as u64 + 1;
    let mut framer = Framer::new(limits, Side::Client);
    framer.feed(&wire);
    match framer.next_event() {
        Some(Ok(FrameEvent::Message(m))) => assert_eq!(&m[..], &wire[..]),
        other => panic!("{:?} framed as {other:?}", wire.escape_ascii().to_string()),
    }
    assert!(framer.next_event().is_none(), "more than one message");
    let opts = ResponseOptions {
        utf8_accept: utf8,
        ..ResponseOptions::default()
    };
    let again = Response::parse_with(&wire, opts).unwrap_or_else(|e| {
        panic!(
            "our FETCH response does not parse: {e}\n{}",
            wire.escape_ascii()
        )
    });
    assert_eq!(&again, r, "round trip through {}", wire.escape_ascii());
    let mut e2 = Encoder::new(EncodeOptions {
        utf8_accept: utf8,
        ..EncodeOptions::default()
    });
    again.encode(&mut e2);
    assert_eq!(e2.to_bytes(), wire);
}

fuzz_target!(|msg: &[u8]| {
    let info = MessageInfo::new(msg);
    assert_eq!(info.message(), msg);
    assert_eq!(info.rfc822_size(), msg.len() as u64);
    let whole = 0..msg.len();
    let bs = info.body_structure();
    let body = info.body();

    // The top level.
    let all = info.section(&Section::default()).unwrap();
    assert_eq!(all.range(), Some(whole.clone()));
    let (h, t) = check_header_text(&info, &[]);
    assert_eq!(
        (h.start, t.end),
        (0, msg.len()),
        "HEADER + TEXT is the message"
    );
    let mut sections = vec![
        Section::default(),
        sec(&[], Some(SectionText::Header)),
        sec(&[], Some(SectionText::Text)),
    ];
    sections.extend(check_header_fields(&info, &[], &h));
    assert_eq!(
        info.binary(&[]).as_deref(),
        Ok(msg),
        "BINARY[] is the message"
    );

    // Every part.
    let mut parts: Vec<(Path, &Body<'_>)> = Vec::new();
    let mut missing: Vec<Path> = Vec::new();
    match &bs {
        b @ Body::Multipart { .. } => walk(b, &[], &mut parts),
        b => {
            parts.push((vec![nz(1)], b));
            walk(b, &[nz(1)], &mut parts);
        }
    }
    missing_below(&bs, &[], &mut missing);
    // BODY is BODYSTRUCTURE without extension data: the same tree.
    let mut body_parts = Vec::new();
    match &body {
        b @ Body::Multipart { .. } => walk(b, &[], &mut body_parts),
        b => {
            body_parts.push((vec![nz(1)], b));
            walk(b, &[nz(1)], &mut body_parts);
        }
    }
    assert_eq!(
        parts.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        body_parts.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );

    for (path, b) in &parts {
        missing_below(b, path, &mut missing);
        let mime = info
            .section(&sec(path, Some(SectionText::Mime)))
            .unwrap_or_else(|| panic!("no MIME for {path:?}"))
            .range()
            .unwrap();
        let bd = info
            .section(&sec(path, None))
            .unwrap_or_else(|| panic!("no body for {path:?}"))
            .range()
            .unwrap();
        assert!(inside(&mime, &whole) && inside(&bd, &whole), "{path:?}");
        assert_eq!(mime.end, bd.start, "{path:?}: MIME header then body");
        let body_bytes = &msg[bd.clone()];
        let lf = body_bytes.iter().filter(|&&c| c == b'\n').count() as u32;
        let is_message = match b {
            Body::Single { fields, kind, .. } => {
                assert_eq!(
                    fields.octets as usize,
                    bd.len(),
                    "{path:?}: body-fld-octets"
                );
                match kind {
                    SingleKind::Text { lines } | SingleKind::Message { lines, .. } => {
                        assert_eq!(*lines, lf, "{path:?}: body-fld-lines");
                    }
                    SingleKind::Basic => {}
                }
                let identity = matches!(
                    fields.encoding.as_bytes().to_ascii_lowercase().as_slice(),
                    b"7bit" | b"8bit" | b"binary"
                );
                check_binary(&info, path, body_bytes, identity);
                matches!(kind, SingleKind::Message { .. })
            }
            Body::Multipart { .. } => false,
        };
        sections.push(sec(path, None));
        sections.push(sec(path, Some(SectionText::Mime)));
        if is_message {
            let (h, t) = check_header_text(&info, path);
            assert_eq!(
                (h.start, t.end),
                (bd.start, bd.end),
                "{path:?}: HEADER + TEXT of a message part is its body"
            );
            sections.push(sec(path, Some(SectionText::Header)));
            sections.push(sec(path, Some(SectionText::Text)));
            sections.extend(check_header_fields(&info, path, &h));
        } else {
            for text in [SectionText::Header, SectionText::Text] {
                assert!(
                    info.section(&sec(path, Some(text.clone()))).is_none(),
                    "{path:?} is no message but has {text:?}"
                );
            }
        }
    }
    for path in &missing {
        for text in [None, Some(SectionText::Mime), Some(SectionText::Header)] {
            assert!(
                info.section(&sec(path, text.clone())).is_none(),
                "{path:?} {text:?} names a part"
            );
        }
        assert_eq!(info.binary(path), Err(BinaryError::NoSuchPart), "{path:?}");
        assert_eq!(
            info.binary_size(path),
            Err(BinaryError::NoSuchPart),
            "{path:?}"
        );
    }

    // What a server sends for FETCH of all that must be valid IMAP.
    let items = fetch_items(&info, &sections);
    let r = Response::Data(Data::Fetch {
        seq: nz(1),
        items: NonEmptyVec::new(items).unwrap(),
    });
    check_response(&r, false);
    check_response(&r, true);
});
