//! Regressions found by the `imap_roundtrip` fuzz target (typed values
//! encoded, parsed back and compared).

// Helpers outside #[test] functions are not covered by clippy.toml's
// allow-*-in-tests settings; this whole file is test code.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use imap_proto::encode::{Encode, EncodeOptions, Encoder};
use imap_proto::types::{Data, Response};

fn roundtrip(wire: &[u8]) -> Response<'_> {
    let r = Response::parse(wire).unwrap();
    let mut e = Encoder::new(EncodeOptions::default());
    r.encode(&mut e);
    assert_eq!(e.to_bytes(), wire);
    r
}

/// Several namespace descriptors follow each other without SP
/// (`namespace = nil / "(" 1*namespace-descr ")"`, RFC 9051 section 9);
/// the parser expected SP between them. RFC 2342 section 5, examples 5.4
/// and 5.6.
#[test]
fn namespace_with_several_descriptors() {
    let r = roundtrip(
        b"* NAMESPACE ((\"\" \"/\")) ((\"~\" \"/\")) ((\"#shared/\" \"/\")(\"#public/\" \"/\")(\"#ftp/\" \"/\")(\"#news.\" \".\"))\r\n",
    );
    let Response::Data(Data::Namespace { shared, .. }) = r else {
        panic!("{r:?}")
    };
    let shared = shared.unwrap();
    let prefixes: Vec<&[u8]> = shared.iter().map(|d| d.prefix.as_bytes()).collect();
    assert_eq!(
        prefixes,
        [&b"#shared/"[..], b"#public/", b"#ftp/", b"#news."]
    );

    let r = roundtrip(
        b"* NAMESPACE ((\"\" \"/\")(\"#mh/\" \"/\" \"X-PARAM\" (\"FLAG1\" \"FLAG2\"))) NIL NIL\r\n",
    );
    let Response::Data(Data::Namespace { personal, .. }) = r else {
        panic!("{r:?}")
    };
    let personal = personal.unwrap();
    assert_eq!(personal.len(), 2);
    assert_eq!(personal[1].extensions.len(), 1);
    assert_eq!(personal[1].extensions[0].1.len(), 2);
}
