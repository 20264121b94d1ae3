//! Header names, small field helpers, and linear time on hostile input.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::HashSet;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use rfc822_message::header::{
    AddressList, ContentDisposition, ContentType, DateTime, HeaderName, IdList, MessageId,
    Received, content_location, encoded_word, unstructured,
};

#[test]
fn header_names() {
    let a = HeaderName::new("content-type").unwrap();
    assert_eq!(a, HeaderName::CONTENT_TYPE);
    assert_eq!(a, "CONTENT-TYPE");
    assert_eq!(a.as_str(), "content-type");
    assert!(a.is("Content-Type"));
    let set: HashSet<_> = [
        HeaderName::new("X-Foo").unwrap(),
        HeaderName::new("x-foo").unwrap(),
    ]
    .into_iter()
    .collect();
    assert_eq!(set.len(), 1);
    assert!(HeaderName::new("a").unwrap() < HeaderName::new("B").unwrap());
    for bad in [
        "",
        "Sub ject",
        "Subject:",
        "Sub\r\nject",
        "Subj\u{e9}ct",
        "a\0",
    ] {
        assert!(HeaderName::new(bad).is_err(), "{bad:?}");
    }
    assert!(HeaderName::from_bytes(&[b'x'; 998]).is_err());
    assert!(HeaderName::from_bytes(&[b'x'; 997]).is_ok());
    assert_eq!(HeaderName::MESSAGE_ID.to_string(), "Message-ID");
    assert_eq!(HeaderName::new("X").unwrap().into_owned(), "x");
}

#[test]
fn content_id_description_location() {
    assert_eq!(
        MessageId::parse(b" <part1.abc@example.com>")
            .unwrap()
            .as_str(),
        "part1.abc@example.com"
    );
    assert_eq!(
        unstructured::decode(b" =?utf-8?Q?Pi=C3=A8ce?= jointe"),
        "Pièce jointe"
    );
    assert_eq!(
        content_location(b" http://example.com/a/b.png"),
        "http://example.com/a/b.png"
    );
    assert_eq!(
        content_location(b" http://example.com/very/\r\n long/path.html "),
        "http://example.com/very/long/path.html"
    );
}

/// Every parser on inputs of a few hundred kilobytes built to trip
/// quadratic behaviour: each must finish quickly (a quadratic parser takes
/// minutes on these).
#[test]
fn linear_time_on_hostile_input() {
    let n = 200_000;
    let inputs: Vec<Vec<u8>> = vec![
        b"(".repeat(n),
        b"(a".repeat(n / 2),
        b"\\(".repeat(n / 2),
        b"=?".repeat(n / 2),
        b"=?utf-8?Q?".repeat(n / 10),
        b"=?utf-8?Q?a?= ".repeat(n / 14),
        b"<".repeat(n),
        b"<a".repeat(n / 2),
        b"\"".repeat(n),
        b"a.".repeat(n / 2),
        b"a ".repeat(n / 2),
        b";".repeat(n),
        b"; a*0=x".repeat(n / 7),
        b"a@b,".repeat(n / 4),
        b"g:".repeat(n / 2),
        b"\r\n ".repeat(n / 3),
        b"from by ".repeat(n / 8),
        b"<@a,".repeat(n / 4),
        (0..n / 8)
            .flat_map(|i| format!("; p{i}=v").into_bytes())
            .collect(),
        (0..n / 10)
            .flat_map(|i| format!("; p*{i}*=v").into_bytes())
            .collect(),
    ];
    let mut limits = rfc822_message::Limits::default();
    limits.max_params = usize::MAX;
    for raw in &inputs {
        let start = Instant::now();
        let _ = AddressList::parse(raw);
        let _ = ContentType::parse_with(raw, &limits);
        if let Ok(ct) = ContentType::parse_with(&[b"a/b", &raw[..]].concat(), &limits) {
            let _ = ct.param("p").map(|v| v.decoded().into_owned());
        }
        let _ = ContentDisposition::parse(raw);
        let _ = DateTime::parse(raw);
        let _ = IdList::parse(raw);
        let _ = MessageId::parse(raw);
        let _ = Received::parse(raw);
        let _ = encoded_word::decode_text(raw);
        let _ = unstructured::decode(raw);
        let took = start.elapsed();
        assert!(
            took < Duration::from_secs(5),
            "{:?}... took {took:?}",
            String::from_utf8_lossy(&raw[..20])
        );
    }
}

proptest! {
    #[test]
    fn names_roundtrip(name in "[!-9;-~]{1,40}") {
        let h = HeaderName::new(&name).unwrap();
        prop_assert_eq!(h.as_str(), name.as_str());
        let upper = name.to_ascii_uppercase();
        prop_assert_eq!(h, HeaderName::new(&upper).unwrap());
    }
}
