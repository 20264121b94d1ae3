//! POP3 response lines on arbitrary bytes: `Response::parse`,
//! `Capability::parse`, `ScanListing::parse`, `UidListing::parse`,
//! `Stat::parse`.
//!
//! Checks: no panic; whatever parses encodes to one CRLF-terminated line
//! with no other CR, LF or NUL, that parses back to an equal value; owned
//! copies are equal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pop3_proto::{Capability, Response, ScanListing, Stat, UidListing};

fn one_line(wire: &[u8]) -> &[u8] {
    assert!(wire.ends_with(b"\r\n"), "{wire:?}");
    let line = &wire[..wire.len() - 2];
    assert!(
        !line.iter().any(|&b| b == b'\r' || b == b'\n' || b == 0),
        "encoder wrote a line break or NUL: {wire:?}"
    );
    line
}

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = Response::parse(data) {
        let wire = r.to_vec();
        let line = one_line(&wire);
        let again = Response::parse(line)
            .unwrap_or_else(|e| panic!("{r:?} encoded as {line:?} does not parse: {e}"));
        assert_eq!(again, r);
        assert_eq!(r.clone().into_owned(), r);
    }
    if let Ok(c) = Capability::parse(data) {
        let mut wire = Vec::new();
        c.encode(&mut wire);
        let line = one_line(&wire);
        let again = Capability::parse(line)
            .unwrap_or_else(|e| panic!("{c:?} encoded as {line:?} does not parse: {e}"));
        assert_eq!(again, c);
        assert_eq!(c.clone().into_owned(), c);
    }
    if let Ok(s) = ScanListing::parse(data) {
        let mut wire = Vec::new();
        s.encode(&mut wire);
        assert_eq!(ScanListing::parse(one_line(&wire)).ok(), Some(s));
    }
    if let Ok(u) = UidListing::parse(data) {
        let mut wire = Vec::new();
        u.encode(&mut wire);
        assert_eq!(UidListing::parse(one_line(&wire)).ok(), Some(u.clone()));
        assert_eq!(u.clone().into_owned(), u);
    }
    let _ = Stat::parse(data);
});
