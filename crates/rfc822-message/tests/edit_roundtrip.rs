//! The header editor is lossless: with no edits the output is the input,
//! and an edit changes only the bytes of the fields it adds or removes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use rfc822_message::build::{HeaderEditor, HeaderName, LineEnding, Occurrence, RawValue, Text};

/// Header blocks as real and broken mail has them: odd folding, LF or
/// CRLF (even mixed), 8-bit bytes, lines without colon, a body or none.
fn message() -> impl Strategy<Value = Vec<u8>> {
    let eol = prop_oneof![Just(&b"\r\n"[..]), Just(&b"\n"[..])];
    let name = prop_oneof![
        "[A-Za-z][A-Za-z0-9-]{0,20}",
        Just("From ".to_owned()),
        Just("Received".to_owned())
    ];
    let value = prop::collection::vec(
        prop_oneof![
            any::<u8>().prop_map(|b| if b == b'\n' { b'x' } else { b }),
            Just(b' ')
        ],
        0..60,
    );
    let cont = prop::collection::vec(
        (
            prop_oneof![Just(b' '), Just(b'\t')],
            prop::collection::vec(
                any::<u8>().prop_map(|b| if b == b'\n' { b'x' } else { b }),
                0..40,
            ),
        ),
        0..3,
    );
    let field = (
        name,
        prop_oneof![Just(": "), Just(":"), Just(" : "), Just("")],
        value,
        cont,
        eol.clone(),
    );
    (
        prop::collection::vec(field, 0..12),
        prop::option::of((eol, prop::collection::vec(any::<u8>(), 0..100))),
        any::<bool>(),
    )
        .prop_map(|(fields, body, cut_last_eol)| {
            let mut m = Vec::new();
            for (n, colon, v, cont, eol) in fields {
                m.extend_from_slice(n.as_bytes());
                m.extend_from_slice(colon.as_bytes());
                m.extend_from_slice(&v);
                for (ws, c) in cont {
                    m.extend_from_slice(eol);
                    m.push(ws);
                    m.extend_from_slice(&c);
                }
                m.extend_from_slice(eol);
            }
            match body {
                Some((eol, b)) => {
                    m.extend_from_slice(eol);
                    m.extend_from_slice(&b);
                }
                None if cut_last_eol && m.ends_with(b"\n") => {
                    m.pop();
                }
                None => {}
            }
            m
        })
}

/// `out` is `input` with `inserted` put in at one place.
fn is_insertion(input: &[u8], out: &[u8], inserted: &[u8]) -> bool {
    out.len() == input.len() + inserted.len()
        && (0..=input.len()).any(|p| {
            out[..p] == input[..p]
                && out[p..].starts_with(inserted)
                && out[p + inserted.len()..] == input[p..]
        })
}

fn render(name: &str, value: &str, eol: LineEnding) -> Vec<u8> {
    // Through the editor itself on an empty header, to get the same folding.
    let empty: &[u8] = match eol {
        LineEnding::CrLf => b"\r\n",
        LineEnding::Lf => b"\n",
    };
    let mut ed = HeaderEditor::new(empty).unwrap();
    ed.append(
        HeaderName::new(name).unwrap(),
        RawValue::new(value).unwrap(),
    )
    .unwrap();
    let v = ed.to_vec();
    v[..v.len() - empty.len()].to_vec()
}

const RECEIVED: &str = "from mail.example.org (mail.example.org [192.0.2.1]) by mx.example.net (Postfix) with ESMTPS id 4VgXyZ1234 for <bob@example.net>; Fri, 17 May 2024 09:30:00 +0200";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn unchanged_is_byte_identical(m in message()) {
        let ed = HeaderEditor::new(&m).unwrap();
        prop_assert_eq!(ed.to_vec(), m);
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_round_trip(m in prop::collection::vec(any::<u8>(), 0..400)) {
        let ed = HeaderEditor::new(&m).unwrap();
        prop_assert_eq!(ed.to_vec(), m);
    }

    #[test]
    fn prepend_received_leaves_every_other_byte(m in message()) {
        let mut ed = HeaderEditor::new(&m).unwrap();
        let eol = ed.line_ending();
        ed.prepend(HeaderName::new("Received").unwrap(), RawValue::new(RECEIVED).unwrap()).unwrap();
        let out = ed.to_vec();
        let new = render("Received", RECEIVED, eol);
        // Only when the header is nothing but a line without a colon and
        // without a line break does a line break go first.
        let mut with_eol = match eol { LineEnding::CrLf => b"\r\n".to_vec(), LineEnding::Lf => b"\n".to_vec() };
        with_eol.extend_from_slice(&new);
        prop_assert!(
            is_insertion(&m, &out, &new) || (ed.fields().count() == 1 && is_insertion(&m, &out, &with_eol)),
            "{:?}",
            String::from_utf8_lossy(&out)
        );
        // The new field is folded within 78 and uses the message's line ends.
        for l in new.split(|&b| b == b'\n') {
            prop_assert!(l.len() <= 79);
            if eol == LineEnding::Lf {
                prop_assert!(!l.contains(&b'\r'));
            }
        }
    }

    #[test]
    fn append_leaves_every_other_byte(m in message()) {
        let mut ed = HeaderEditor::new(&m).unwrap();
        let eol = ed.line_ending();
        ed.append(HeaderName::new("X-Spam-Score").unwrap(), RawValue::new("1.5").unwrap()).unwrap();
        let out = ed.to_vec();
        let new = render("X-Spam-Score", "1.5", eol);
        // After a last line with no line break, a line break goes first.
        let mut with_eol = match eol { LineEnding::CrLf => b"\r\n".to_vec(), LineEnding::Lf => b"\n".to_vec() };
        with_eol.extend_from_slice(&new);
        prop_assert!(is_insertion(&m, &out, &new) || is_insertion(&m, &out, &with_eol));
    }

    #[test]
    fn remove_drops_exactly_that_field(m in message(), nth in 0usize..4) {
        let ed0 = HeaderEditor::new(&m).unwrap();
        let target: Vec<(Vec<u8>, Vec<u8>)> = ed0.fields().map(|(n, r)| (n.to_vec(), r.to_vec())).collect();
        let Some((name, raw)) = target.get(nth % target.len().max(1)).cloned() else { return Ok(()) };
        let name = String::from_utf8_lossy(&name).into_owned();
        if !name.is_ascii() { return Ok(()); }
        let k = target.iter().take_while(|(n, r)| !(n.eq_ignore_ascii_case(name.as_bytes()) && *r == raw)).filter(|(n, _)| n.eq_ignore_ascii_case(name.as_bytes())).count();
        let mut ed = ed0.clone();
        prop_assert_eq!(ed.remove(&name, Occurrence::Nth(k)), 1);
        let out = ed.to_vec();
        prop_assert!(is_insertion(&out, &m, &raw));
    }
}

#[test]
fn replace_keeps_position_and_other_bytes() {
    let m = b"Received: a\r\n\tb\r\nSubject: old\r\nX: 1\r\nsubject: dup\r\n\r\nbody\r\n";
    let mut ed = HeaderEditor::new(m).unwrap();
    ed.replace(
        HeaderName::new("Subject").unwrap(),
        Text::new("Grüße").unwrap(),
    )
    .unwrap();
    assert_eq!(
        ed.to_vec(),
        b"Received: a\r\n\tb\r\nSubject: =?utf-8?b?R3LDvMOfZQ==?=\r\nX: 1\r\n\r\nbody\r\n"
    );
}

#[test]
fn lf_messages_get_lf_fields() {
    let m = b"Subject: x\n\nbody\n";
    let mut ed = HeaderEditor::new(m).unwrap();
    ed.prepend(
        HeaderName::new("Return-Path").unwrap(),
        RawValue::new("<a@b.test>").unwrap(),
    )
    .unwrap();
    assert_eq!(
        ed.to_vec(),
        b"Return-Path: <a@b.test>\nSubject: x\n\nbody\n"
    );
}

#[test]
fn limits_are_enforced() {
    let mut limits = rfc822_message::Limits::default();
    limits.max_header_count = 2;
    assert!(HeaderEditor::with_limits(b"A: 1\r\nB: 2\r\nC: 3\r\n\r\n", &limits).is_err());
    assert!(HeaderEditor::with_limits(b"A: 1\r\nB: 2\r\n\r\n", &limits).is_ok());
}
