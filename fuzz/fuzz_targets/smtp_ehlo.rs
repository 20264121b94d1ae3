//! EHLO responses: a reply parsed from arbitrary bytes, then
//! `EhloResponse::from_reply`.
//!
//! Input: one flag byte (bit 0: allow bare LF), then the bytes.
//!
//! Checks:
//! - no panic, in the parsers or in any accessor;
//! - `EhloResponse::parse_with` agrees with reply parsing + `from_reply`;
//! - round trip: `to_reply()` encodes to bytes that parse back to an equal
//!   reply and an equal `EhloResponse`; `encode`/`to_bytes` write the same
//!   bytes as `to_reply().to_bytes()`;
//! - the first line (domain and greeting) is kept byte for byte, and so is
//!   every capability that parsed as `Unknown` ("unknown is kept");
//! - each capability re-parses from its own encoding to an equal value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mail_wire::Status;
use smtp_proto::{Capability, EhloResponse, Reply, ReplyLimits, ReplyOptions};

fn poke(ehlo: &EhloResponse<'_>) {
    // Every accessor must be total.
    let _ = (
        ehlo.domain(),
        ehlo.greeting(),
        ehlo.supports_pipelining(),
        ehlo.supports_starttls(),
        ehlo.supports_8bitmime(),
        ehlo.supports_binarymime(),
        ehlo.supports_chunking(),
        ehlo.supports_dsn(),
        ehlo.supports_smtputf8(),
        ehlo.supports_enhanced_status_codes(),
        ehlo.supports_requiretls(),
        ehlo.max_size(),
        ehlo.mail_max(),
        ehlo.rcpt_max(),
        ehlo.rcpt_domain_max(),
        ehlo.mt_priority(),
        ehlo.future_release(),
        ehlo.deliver_by(),
    );
    let _ = ehlo.auth_mechanisms().count();
    let _ = ehlo.limits().count();
    for cap in ehlo.capabilities() {
        assert!(ehlo.supports(cap.keyword()));
        assert!(ehlo.capability(cap.keyword()).is_some());
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, data)) = data.split_first() else {
        return;
    };
    let opts = ReplyOptions {
        allow_bare_lf: flags & 1 != 0,
        ..ReplyOptions::default()
    };
    let Ok(Status::Complete(reply, n)) = Reply::parse_with(data, &opts) else {
        return;
    };
    let parsed = EhloResponse::from_reply(&reply);
    match EhloResponse::parse_with(data, &opts) {
        Ok(Status::Complete(direct, m)) => {
            assert_eq!(m, n);
            assert_eq!(parsed.as_ref(), Ok(&direct));
        }
        Ok(Status::Incomplete) => panic!("parse_with Incomplete on a complete reply"),
        Err(e) => assert!(
            parsed.is_err(),
            "parse_with failed with {e} but from_reply did not"
        ),
    }
    let Ok(ehlo) = parsed else { return };
    poke(&ehlo);

    let rebuilt = ehlo.to_reply();
    let wire = rebuilt.to_bytes();
    assert_eq!(ehlo.to_bytes(), wire);
    let mut encoded = Vec::new();
    ehlo.encode(&mut encoded);
    assert_eq!(encoded, wire);

    assert_eq!(rebuilt.line_count(), reply.line_count());
    for (i, (new, old)) in rebuilt.lines().zip(reply.lines()).enumerate() {
        let keep = i == 0
            || matches!(
                ehlo.capabilities().get(i - 1),
                Some(Capability::Unknown { .. })
            );
        if keep {
            assert_eq!(new.as_bytes(), old.as_bytes(), "line {i} not kept");
        }
    }
    for cap in ehlo.capabilities() {
        let bytes = cap.to_bytes();
        let again = Capability::parse(&bytes)
            .unwrap_or_else(|e| panic!("{cap:?} encoded as {bytes:?}: {e}"));
        assert_eq!(&again, cap);
    }

    // The rebuilt reply may be longer than the original's limits allow
    // (numbers lose leading zeros, so no longer; keywords are re-cased, so
    // the same), but parse it with no limits to test the round trip alone.
    let generous = ReplyOptions {
        limits: ReplyLimits {
            max_line_len: usize::MAX,
            max_lines: usize::MAX,
            max_bytes: usize::MAX,
        },
        ..ReplyOptions::default()
    };
    match Reply::parse_with(&wire, &generous) {
        Ok(Status::Complete(r2, m)) => {
            assert_eq!(m, wire.len());
            assert_eq!(r2, rebuilt);
            let e2 = EhloResponse::from_reply(&r2)
                .unwrap_or_else(|e| panic!("{ehlo:?} encoded as {wire:?}: {e}"));
            assert_eq!(e2, ehlo);
        }
        other => panic!("{ehlo:?} encoded as {wire:?} re-parses as {other:?}"),
    }
    assert_eq!(ehlo.clone().into_owned(), ehlo);
});
