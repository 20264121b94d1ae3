//! `Part::decoded_body` decodes base64 through a one-pass fast path when
//! the body is canonical; it must give exactly what the streaming
//! `Base64Decoder` gives, on canonical and on damaged bodies alike.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use base64::Engine as _;
use proptest::prelude::*;
use rfc822_message::Message;
use rfc822_message::decode::Base64Decoder;

fn streaming(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut dec = Base64Decoder::new();
    dec.decode(body, &mut out);
    dec.finish(&mut out);
    out
}

fn via_message(body: &[u8]) -> Vec<u8> {
    let mut raw = b"Content-Type: application/octet-stream\r\n\
Content-Transfer-Encoding: base64\r\n\r\n"
        .to_vec();
    raw.extend_from_slice(body);
    let msg = Message::parse(&raw);
    let root = msg.root();
    assert_eq!(root.raw_body(), body);
    root.decoded_body().into_owned()
}

/// Base64 of `data` in lines of `width` characters, `le` after each.
fn lines(data: &[u8], width: usize, le: &[u8]) -> Vec<u8> {
    let text = base64::engine::general_purpose::STANDARD.encode(data);
    let mut out = Vec::new();
    for line in text.as_bytes().chunks(width) {
        out.extend_from_slice(line);
        out.extend_from_slice(le);
    }
    out
}

#[test]
fn known_bodies() {
    for body in [
        &b"AAEC"[..],
        b"AAEC\r\n",
        b"aGVsbG8gd29ybGQ=\r\n",
        b"aGVsbG8gd29ybGQ\r\n",     // no padding
        b"aGVs bG8g\r\nd29y\tbGQ=", // white space inside lines
        b"QQ==QQ==\r\n",            // data after padding
        b"QR==\r\n",                // non-zero trailing bits
        b"a*GVs\r\n",               // a character outside the alphabet
        b"",
        b"\r\n\r\n",
        b"aGVs\nbG8g\n", // LF only
    ] {
        assert_eq!(
            via_message(body),
            streaming(body),
            "{}",
            body.escape_ascii()
        );
    }
}

proptest! {
    #[test]
    fn same_as_streaming(
        data in proptest::collection::vec(any::<u8>(), 0..600),
        width in prop_oneof![Just(76usize), Just(64), 1usize..100],
        crlf in any::<bool>(),
        damage in proptest::option::of((any::<prop::sample::Index>(), prop::sample::select(
            vec![b' ', b'\t', b'=', b'*', b'\r', b'\n', b'A', b'-'],
        ))),
    ) {
        let mut body = lines(&data, width, if crlf { b"\r\n" } else { b"\n" });
        if let Some((at, byte)) = damage {
            let i = at.index(body.len() + 1);
            body.insert(i, byte);
        }
        prop_assert_eq!(via_message(&body), streaming(&body));
    }
}
