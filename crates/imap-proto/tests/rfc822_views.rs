//! The rfc822 views on RFC 3501's own example and on generated messages.
#![cfg(feature = "rfc822")]
// Test helpers outside #[test] functions may unwrap, panic and index.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::num::NonZeroU32;

use imap_proto::rfc822::MessageInfo;
use imap_proto::types::body::SingleKind;
use imap_proto::types::response::Data;
use imap_proto::types::{Body, FetchItem, Response, Section, SectionText};
use proptest::prelude::*;

/// RFC 3501 section 8, `a003 fetch 12 full`: the header of `a004 fetch 12
/// body[header]` (342 octets) and a body of 92 lines in 3028 octets.
fn rfc3501_message() -> Vec<u8> {
    let header = "Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\r\n\
        From: Terry Gray <gray@cac.washington.edu>\r\n\
        Subject: IMAP4rev1 WG mtg summary and minutes\r\n\
        To: imap@cac.washington.edu\r\n\
        cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>\r\n\
        Message-Id: <B27397-0100000@cac.washington.edu>\r\n\
        MIME-Version: 1.0\r\n\
        Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\
        \r\n";
    assert_eq!(header.len(), 342);
    let mut m = header.as_bytes().to_vec();
    // 91 lines of 33 octets and one of 25: 3028 octets, 92 LFs.
    for _ in 0..91 {
        m.extend_from_slice(&[b'x'; 31]);
        m.extend_from_slice(b"\r\n");
    }
    m.extend_from_slice(&[b'y'; 23]);
    m.extend_from_slice(b"\r\n");
    m
}

fn parse_fetch(text: &[u8]) -> Vec<FetchItem<'_>> {
    let Response::Data(Data::Fetch { items, .. }) = Response::parse(text).unwrap() else {
        panic!("not a FETCH")
    };
    items.into_vec()
}

#[test]
fn rfc3501_section_8_example() {
    let msg = rfc3501_message();
    let info = MessageInfo::new(&msg);
    let text = b"* 12 FETCH (ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \
        \"IMAP4rev1 WG mtg summary and minutes\" \
        ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
        ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
        ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
        ((NIL NIL \"imap\" \"cac.washington.edu\")) \
        ((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL \
        \"<B27397-0100000@cac.washington.edu>\") \
        BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7bit\" 3028 92))\r\n";
    let items = parse_fetch(text);
    let FetchItem::Envelope(env) = &items[0] else {
        panic!()
    };
    assert_eq!(&info.envelope(), &**env);
    // The RFC's server writes the default encoding as "7BIT"; we write it
    // as RFC 2045 section 6.1 spells it.
    let FetchItem::Body(body) = &items[1] else {
        panic!()
    };
    assert_eq!(&info.body(), &**body);
    let header = Section::new(vec![], Some(SectionText::Header)).unwrap();
    assert_eq!(info.section(&header).unwrap().len(), 342);
}

#[test]
fn rfc3501_multipart_example_shape() {
    // RFC 9051 section 7.5.2's two-part example, rebuilt as a message.
    let msg = b"Content-Type: MULTIPART/MIXED; BOUNDARY=x\r\n\r\n--x\r\n\
        Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\r\nline\r\n--x\r\n\
        Content-Type: TEXT/PLAIN; CHARSET=US-ASCII; NAME=cc.diff\r\n\
        Content-ID: <960723163407.20117h@cac.washington.edu>\r\n\
        Content-Description: Compiler diff\r\n\
        Content-Transfer-Encoding: BASE64\r\n\r\nAAAA\r\nAAAA\r\n--x--\r\n";
    let info = MessageInfo::new(msg);
    let text = b"* 1 FETCH (BODY ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7bit\" 4 0)\
        (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\" \"NAME\" \"cc.diff\") \
        \"<960723163407.20117h@cac.washington.edu>\" \"Compiler diff\" \"BASE64\" 10 1) \"MIXED\"))\r\n";
    let FetchItem::Body(want) = &parse_fetch(text)[0] else {
        panic!()
    };
    assert_eq!(&info.body(), &**want);
    assert_eq!(&*info.binary(&[nz(2)]).unwrap(), &[0u8; 6]);
}

fn nz(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap()
}

/// Every part number of a structure, depth first (RFC 9051 section 6.4.5).
fn part_paths(b: &Body<'_>, prefix: &[NonZeroU32], out: &mut Vec<Vec<NonZeroU32>>) {
    match b {
        Body::Multipart { parts, .. } => {
            for (i, p) in parts.as_slice().iter().enumerate() {
                let mut path = prefix.to_vec();
                path.push(nz(u32::try_from(i).unwrap() + 1));
                out.push(path.clone());
                part_paths(p, &path, out);
            }
        }
        Body::Single {
            kind: SingleKind::Message { body, .. },
            ..
        } => match &**body {
            Body::Multipart { .. } => part_paths(body, prefix, out),
            single => {
                let mut path = prefix.to_vec();
                path.push(nz(1));
                out.push(path.clone());
                part_paths(single, &path, out);
            }
        },
        Body::Single { .. } => {}
    }
}

fn all_paths(info: &MessageInfo<'_>) -> Vec<Vec<NonZeroU32>> {
    let mut out = Vec::new();
    match info.body_structure() {
        b @ Body::Multipart { .. } => part_paths(&b, &[], &mut out),
        b => {
            out.push(vec![nz(1)]);
            part_paths(&b, &[nz(1)], &mut out);
        }
    }
    out
}

/// A generated message: header lines, then a body that may be a multipart
/// or a message/rfc822, with line ends CRLF or LF and some damage.
fn entity(depth: u32) -> BoxedStrategy<String> {
    let header = prop::collection::vec(
        prop_oneof![
            Just("Subject: s\r\n".to_owned()),
            Just("From: A <a@b.c>, (c) d@e\r\n".to_owned()),
            Just("To: g:a@b,;\r\n".to_owned()),
            Just("X-Folded: a\r\n b\r\n".to_owned()),
            Just("no colon line\r\n".to_owned()),
            Just("Content-Transfer-Encoding: base64\r\n".to_owned()),
        ],
        0..3,
    );
    let leaf = (header.clone(), "[a-z =\r\n-]{0,30}")
        .prop_map(|(h, b)| format!("{}Content-Type: text/plain\r\n\r\n{b}", h.concat()));
    if depth == 0 {
        return leaf.boxed();
    }
    let inner = entity(depth - 1);
    prop_oneof![
        leaf,
        (
            header.clone(),
            prop::collection::vec(inner.clone(), 0..3),
            any::<bool>(),
            0..3u8
        )
            .prop_map(move |(h, parts, close, b)| {
                let b = format!("b{depth}{}", "x".repeat(usize::from(b)));
                let mut s = format!(
                    "{}Content-Type: multipart/mixed; boundary={b}\r\n\r\npre\r\n",
                    h.concat()
                );
                for p in parts {
                    s.push_str(&format!("--{b}\r\n{p}\r\n"));
                }
                if close {
                    s.push_str(&format!("--{b}--\r\nepi\r\n"));
                }
                s
            }),
        (header, inner)
            .prop_map(|(h, m)| format!("{}Content-Type: message/rfc822\r\n\r\n{m}", h.concat())),
    ]
    .boxed()
}

fn message() -> impl Strategy<Value = Vec<u8>> {
    (entity(3), any::<bool>(), any::<u8>()).prop_map(|(s, lf, cut)| {
        let s = if lf { s.replace("\r\n", "\n") } else { s };
        let mut v = s.into_bytes();
        // Sometimes cut the message short anywhere.
        if cut > 200 && !v.is_empty() {
            let n = usize::from(cut) % v.len();
            v.truncate(n);
        }
        v
    })
}

fn check_views(msg: &[u8]) {
    let info = MessageInfo::new(msg);
    let _ = info.envelope();
    let bs = info.body_structure();
    let _ = info.body();
    for path in all_paths(&info) {
        let mime = info
            .section(&Section::new(path.clone(), Some(SectionText::Mime)).unwrap())
            .unwrap_or_else(|| panic!("no MIME for {path:?}"));
        let body = info
            .section(&Section::new(path.clone(), None).unwrap())
            .unwrap_or_else(|| panic!("no body for {path:?}"));
        let (m, b) = (mime.range().unwrap(), body.range().unwrap());
        assert!(m.end <= msg.len() && b.end <= msg.len() && m.start <= m.end && b.start <= b.end);
        // The part's MIME header and body are contiguous.
        assert_eq!(m.end, b.start, "{path:?}");
        // BINARY of an identity-encoded part is its body.
        if let Ok(bin) = info.binary(&path)
            && !msg[m.clone()]
                .windows(6)
                .any(|w| w.eq_ignore_ascii_case(b"base64"))
        {
            assert_eq!(&*bin, &msg[b.clone()]);
        }
    }
    // The top-level header and text make the message.
    let h = info
        .section(&Section::new(vec![], Some(SectionText::Header)).unwrap())
        .unwrap();
    let t = info
        .section(&Section::new(vec![], Some(SectionText::Text)).unwrap())
        .unwrap();
    assert_eq!([h.to_bytes(), t.to_bytes()].concat(), msg);
    let _ = bs;
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn sections_are_inside_and_contiguous(msg in message()) {
        check_views(&msg);
    }

    #[test]
    fn never_panics_on_arbitrary_bytes(msg in prop::collection::vec(any::<u8>(), 0..400)) {
        check_views(&msg);
    }

    #[test]
    fn octets_in_bodystructure_are_the_body_sections(msg in message()) {
        let info = MessageInfo::new(&msg);
        fn octets(b: &Body<'_>) -> Option<u32> {
            match b { Body::Single { fields, .. } => Some(fields.octets), Body::Multipart { .. } => None }
        }
        // Walk structure and part numbers together.
        let paths = all_paths(&info);
        let mut singles = Vec::new();
        fn collect<'a>(b: &'a Body<'a>, out: &mut Vec<&'a Body<'a>>) {
            match b {
                Body::Multipart { parts, .. } => for p in parts.as_slice() { out.push(p); collect(p, out); },
                Body::Single { kind: SingleKind::Message { body, .. }, .. } => match &**body {
                    Body::Multipart { .. } => collect(body, out),
                    s => { out.push(s); collect(s, out); }
                },
                Body::Single { .. } => {}
            }
        }
        let bs = info.body_structure();
        if matches!(bs, Body::Multipart { .. }) { collect(&bs, &mut singles); } else { singles.push(&bs); collect(&bs, &mut singles); }
        prop_assert_eq!(paths.len(), singles.len());
        for (p, b) in paths.iter().zip(singles) {
            if let Some(n) = octets(b) {
                let s = info.section(&Section::new(p.clone(), None).unwrap()).unwrap();
                prop_assert_eq!(n as usize, s.len());
            }
        }
    }
}

#[test]
fn deep_nesting_is_bounded() {
    // 5000 nested multiparts and 5000 nested message/rfc822: walked to
    // depth 64, the rest is a leaf body; no stack overflow.
    let mut m = Vec::new();
    for i in 0..5000 {
        m.extend_from_slice(
            format!("Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n").as_bytes(),
        );
    }
    let info = MessageInfo::new(&m);
    assert!(all_paths(&info).len() <= 10_000);
    check_views(&m);
    let m = "Content-Type: message/rfc822\r\n\r\n".repeat(5000);
    let info = MessageInfo::new(m.as_bytes());
    let _ = info.body_structure();
    check_views(m.as_bytes());
}
