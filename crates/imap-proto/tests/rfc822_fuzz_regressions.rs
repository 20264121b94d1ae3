//! Messages the `imap_rfc822` fuzz target found, each once a FETCH response
//! of the rfc822 views that was not valid IMAP or broke an invariant of
//! the views. The property checked for all of them: the response with
//! RFC822.SIZE, ENVELOPE, BODYSTRUCTURE and BODY encodes to bytes that the
//! response parser reads back as the same value.
#![cfg(feature = "rfc822")]
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
use imap_proto::types::{Body, FetchItem, NonEmptyVec, Response, Section, SectionText};
use imap_proto::{Encode, EncodeOptions, Encoder, ResponseOptions};

/// Encodes the FETCH response of `msg` (with and without UTF8=ACCEPT) and
/// parses it back with the default options.
fn round_trip(msg: &[u8]) {
    let info = MessageInfo::new(msg);
    let r = Response::Data(Data::Fetch {
        seq: NonZeroU32::new(1).unwrap(),
        items: NonEmptyVec::new(vec![
            FetchItem::Rfc822Size(info.rfc822_size()),
            FetchItem::Envelope(Box::new(info.envelope())),
            FetchItem::BodyStructure(Box::new(info.body_structure())),
            FetchItem::Body(Box::new(info.body())),
        ])
        .unwrap(),
    });
    for utf8_accept in [false, true] {
        let mut e = Encoder::new(EncodeOptions {
            utf8_accept,
            ..EncodeOptions::default()
        });
        r.encode(&mut e);
        let wire = e.to_bytes();
        let opts = ResponseOptions {
            utf8_accept,
            ..ResponseOptions::default()
        };
        let back = Response::parse_with(&wire, opts)
            .unwrap_or_else(|e| panic!("{e}: {}", wire.escape_ascii()));
        assert_eq!(back, r, "{}", wire.escape_ascii());
    }
}

fn media(b: &Body<'_>) -> (Vec<u8>, Vec<u8>) {
    match b {
        Body::Single {
            media_type,
            subtype,
            ..
        } => (media_type.as_bytes().to_vec(), subtype.as_bytes().to_vec()),
        Body::Multipart { .. } => panic!("multipart"),
    }
}

/// A multipart/digest part with an empty (invalid) Content-Type: the
/// parser takes the digest default, message/rfc822 (RFC 2045 section 5.2,
/// RFC 2046 section 5.1.5), and walks into it, so BODYSTRUCTURE gives it
/// an envelope and a body. The media type was the value as written,
/// `"" ""`, and `("" "" ... 0 (NIL NIL ...` is no `body-type-basic`: the
/// response parser rejected our own FETCH response. Now the type is
/// `"message" "rfc822"`, as the structure says.
#[test]
fn digest_part_with_empty_content_type() {
    let msg = b"Content-Type: multipart/digest; boundary=\"d\r\n\n--di\r\nContent-Type:\n";
    round_trip(msg);
    let info = MessageInfo::new(msg);
    let Body::Multipart { parts, .. } = info.body_structure() else {
        panic!("not a multipart")
    };
    let part = &parts.as_slice()[0];
    assert_eq!(media(part), (b"message".to_vec(), b"rfc822".to_vec()));
    assert!(matches!(
        part,
        Body::Single {
            kind: SingleKind::Message { .. },
            ..
        }
    ));
    // It is walked as a message: its HEADER section exists.
    let one = vec![NonZeroU32::new(1).unwrap()];
    let header = Section::new(one, Some(SectionText::Header)).unwrap();
    assert!(info.section(&header).is_some());
}

/// The same with garbage and with a lone type as the Content-Type value.
#[test]
fn digest_parts_with_invalid_content_types() {
    for ct in [
        "garbage here",
        "text",
        "message",
        "(comment only)",
        "/plain",
    ] {
        let msg = format!(
            "Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\nContent-Type: {ct}\r\n\r\n\
             Subject: inner\r\n\r\nbody\r\n--d--\r\n"
        );
        round_trip(msg.as_bytes());
    }
    // A valid explicit type in a digest stays what it says (FINDINGS 5.8).
    let msg = b"Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\
        Content-Type: text/plain\r\n\r\nbody\r\n--d--\r\n";
    round_trip(msg);
    let Body::Multipart { parts, .. } = MessageInfo::new(msg).body_structure() else {
        panic!("not a multipart")
    };
    assert_eq!(
        media(&parts.as_slice()[0]),
        (b"text".to_vec(), b"plain".to_vec())
    );
}

/// A message nested as deep as the views walk (50 levels of
/// message/rfc822 and multipart under `rfc822_message::Limits::default`)
/// gives a FETCH response the response parser reads with its default
/// options (found by `imap_rfc822`: the parser's nesting limit was 32).
#[test]
fn deepest_nesting_parses_with_default_options() {
    for kind in ["rfc822", "multipart"] {
        let mut msg = Vec::new();
        for i in 0..60 {
            if kind == "rfc822" {
                msg.extend_from_slice(b"Subject: level\r\nContent-Type: message/rfc822\r\n\r\n");
            } else {
                msg.extend_from_slice(
                    format!("Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n")
                        .as_bytes(),
                );
            }
        }
        msg.extend_from_slice(b"Subject: bottom\r\n\r\nbody\r\n");
        round_trip(&msg);
    }
}
