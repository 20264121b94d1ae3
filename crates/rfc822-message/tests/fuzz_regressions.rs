//! Inputs found by the cargo-fuzz targets (`fuzz/fuzz_targets/rfc822_*.rs`),
//! minimised, kept as regression tests.

use rfc822_message::header::MessageId;

/// `rfc822_headers`: a Message-ID without angle brackets whose domain is
/// preceded by white space (obsolete CFWS) kept the white space in the id,
/// so `<id>` re-encoded read back as a different id.
#[test]
fn bare_message_id_drops_cfws_before_domain() {
    for raw in [
        &b" -ple@   loca"[..],
        b"a@ (comment) b.example",
        b"a@\r\n b",
    ] {
        let id = MessageId::parse(raw).unwrap();
        assert!(
            !id.as_str().contains([' ', '\r', '\n', '(']),
            "{:?}",
            id.as_str()
        );
        let mut out = Vec::new();
        id.encode(&mut out);
        assert_eq!(MessageId::parse(&out).unwrap(), id);
    }
    assert_eq!(
        MessageId::parse(b" -ple@   loca").unwrap().as_str(),
        "-ple@loca"
    );
    assert_eq!(
        MessageId::parse(b"a@ (c) b.example").unwrap().as_str(),
        "a@b.example"
    );
    // unchanged: the plain bare form borrows as before
    assert_eq!(
        MessageId::parse(b" 1234@host.example").unwrap().as_str(),
        "1234@host.example"
    );
}
