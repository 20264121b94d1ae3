//! Header fields written by the builder: folding limits, RFC 2047 round
//! trips through the header decoder, and no header injection through any
//! public constructor.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use rfc822_message::build::{
    Address, BuildError, BuildOptions, DateTime, FieldValue, Group, HeaderName,
    MAX_HEADER_NAME_LEN, Mailbox, MessageId, Parameter, RawValue, Text, ValueError, encode_field,
    encode_parameter,
};
use rfc822_message::header::encoded_word::{self, EncodedWordContext, encode_words};
use rfc822_message::header::{AddressList, IdList, unstructured};

fn field(name: &str, value: impl Into<FieldValue>) -> Result<String, BuildError> {
    let mut out = Vec::new();
    encode_field(
        &HeaderName::new(name).unwrap(),
        &value.into(),
        &BuildOptions::default(),
        &mut out,
    )?;
    Ok(String::from_utf8(out).unwrap())
}

/// The field is exactly one header field: it ends with CRLF, has no other
/// CR or LF than fold CRLFs, every continuation line starts with
/// whitespace and none is whitespace only. This is what "no injection"
/// means on the wire.
fn assert_one_field(name: &str, f: &str) {
    let body = f.strip_suffix("\r\n").expect("ends with CRLF");
    let lines: Vec<&str> = body.split("\r\n").collect();
    assert!(lines[0].starts_with(&format!("{name}:")), "{f:?}");
    for l in &lines {
        assert!(
            !l.contains('\r') && !l.contains('\n'),
            "bare CR/LF in {f:?}"
        );
        assert!(l.len() <= 998, "line over 998 in {f:?}");
    }
    for l in &lines[1..] {
        assert!(
            l.starts_with([' ', '\t']),
            "continuation without WSP in {f:?}"
        );
        assert!(
            !l.trim_matches([' ', '\t']).is_empty(),
            "whitespace-only line in {f:?}"
        );
    }
}

fn max_line(f: &str) -> usize {
    f.split("\r\n").map(str::len).max().unwrap_or(0)
}

/// The raw value after `Name:`, without the final CRLF.
fn raw_value<'a>(name: &str, f: &'a str) -> &'a str {
    f.strip_prefix(name)
        .unwrap()
        .strip_prefix(':')
        .unwrap()
        .strip_suffix("\r\n")
        .unwrap()
}

fn unfold(s: &str) -> String {
    s.replace("\r\n", "")
}

/// Every encoded word in `s` is at most 75 characters (RFC 2047 section 2).
fn assert_words_short(s: &str) {
    let mut rest = s;
    while let Some(i) = rest.find("=?utf-8?") {
        let w = &rest[i..];
        let end = w[10..].find("?=").map(|e| e + 12).unwrap();
        assert!(end <= 75, "encoded word of {end} characters: {}", &w[..end]);
        rest = &w[end..];
    }
}

fn text_strategy() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        "[a-zA-Z0-9,.!]{1,12}",
        "[a-z]{60,120}",
        Just("é".to_owned()),
        Just("Grüße".to_owned()),
        Just("日本語".to_owned()),
        Just("😀😀".to_owned()),
        Just("=?utf-8?q?x?=".to_owned()),
        Just("a_b?c=d".to_owned()),
        Just("\u{1}\u{7f}".to_owned()),
        "[^\r\n\u{0}]{1,10}",
    ];
    let ws = prop_oneof![
        Just(" "),
        Just(" "),
        Just("  "),
        Just("\t"),
        Just(" \t "),
        Just("            ")
    ];
    prop_oneof![
        "[^\r\n\u{0}]{0,200}",
        (
            prop::option::of(ws.clone()),
            prop::collection::vec((word, ws), 0..25)
        )
            .prop_map(|(lead, ws)| {
                let mut s = lead.unwrap_or("").to_owned();
                for (w, sp) in ws {
                    s.push_str(&w);
                    s.push_str(sp);
                }
                s
            }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn subject_round_trips_and_folds(text in text_strategy()) {
        let f = field("Subject", Text::new(text.clone()).unwrap()).unwrap();
        assert_one_field("Subject", &f);
        prop_assert!(max_line(&f) <= 78, "{f}");
        assert_words_short(&f);
        let decoded = unstructured::decode(unfold(raw_value("Subject", &f)).as_bytes()).into_owned();
        prop_assert_eq!(decoded, text, "{}", f);
    }

    /// parse(build(x)) == x with the header module's own parser, folds
    /// and all, which must find nothing to complain about.
    #[test]
    fn display_names_round_trip(name in text_strategy()) {
        let m = Mailbox::with_addr(Some(&name), "user@example.com").unwrap();
        prop_assert_eq!(m.name().unwrap(), name.as_str());
        let f = field("From", m.clone()).unwrap();
        assert_one_field("From", &f);
        prop_assert!(max_line(&f) <= 78, "{f}");
        assert_words_short(&f);
        let back = Mailbox::parse(raw_value("From", &f).as_bytes()).unwrap();
        prop_assert_eq!(back.name().unwrap(), name.as_str(), "{}", f);
        prop_assert_eq!(back.addr_spec(), m.addr_spec());
        prop_assert!(back.defects().is_empty(), "{:?} {}", back.defects(), f);
    }

    #[test]
    fn groups_round_trip(gname in text_strategy(), names in prop::collection::vec(prop::option::of(text_strategy()), 0..4)) {
        let locals: Vec<String> = (0..names.len()).map(|i| format!("m{i}")).collect();
        let members: Vec<Mailbox<'_>> = names
            .iter()
            .zip(&locals)
            .map(|(n, l)| Mailbox::new(n.as_deref(), l, "example.org").unwrap())
            .collect();
        let g = Group::new(&gname, members.clone()).unwrap();
        let list = vec![Address::from(g), Mailbox::with_addr(None, "x@y.test").unwrap().into()];
        let f = field("To", list).unwrap();
        assert_one_field("To", &f);
        prop_assert!(max_line(&f) <= 78, "{f}");
        let back = AddressList::parse(raw_value("To", &f).as_bytes()).unwrap();
        prop_assert!(back.defects().is_empty(), "{:?} {}", back.defects(), f);
        let Address::Group(bg) = &back.addresses()[0] else { panic!("{f}") };
        prop_assert_eq!(bg.name(), gname.as_str());
        prop_assert_eq!(bg.members().len(), members.len());
        for (a, b) in bg.members().iter().zip(&members) {
            prop_assert_eq!(a.name(), b.name());
            prop_assert_eq!(a.addr_spec(), b.addr_spec());
        }
        prop_assert_eq!(back.addresses().len(), 2);
    }

    #[test]
    fn dates_round_trip(t in -2_208_988_800i64..253_402_300_799, off in -5999i16..=5999) {
        let Some(d) = DateTime::from_unix(t, off) else { return Ok(()) };
        let f = field("Date", d).unwrap();
        let (back, defects) = DateTime::parse_with_defects(raw_value("Date", &f).as_bytes()).unwrap();
        prop_assert_eq!(back, d);
        prop_assert!(defects.is_empty());
    }

    #[test]
    fn message_ids_round_trip(ids in prop::collection::vec(("[a-z0-9]{1,20}(\\.[a-z0-9$%+=_-]{1,10}){0,3}", "[a-z0-9-]{1,20}(\\.[a-z]{2,5}){0,2}"), 1..12)) {
        let ids: Vec<MessageId<'_>> = ids.iter().map(|(l, r)| MessageId::new(l, r).unwrap()).collect();
        let f = field("References", ids.clone()).unwrap();
        assert_one_field("References", &f);
        for l in f.split("\r\n") {
            // Only an id too long for any line stands past 78, alone.
            prop_assert!(l.len() <= 78 || l.matches('<').count() == 1, "{f}");
        }
        let back = IdList::parse(raw_value("References", &f).as_bytes());
        prop_assert_eq!(back.ids(), &ids[..]);
        prop_assert!(back.defects().is_empty());
    }

    #[test]
    fn address_lists_fold_at_78(n in 1usize..40, named in any::<bool>()) {
        let list: Vec<Address> = (0..n)
            .map(|i| {
                let name = format!("Person Number {i}");
                Mailbox::with_addr(named.then_some(name.as_str()), &format!("p{i}@example.org")).unwrap().into_owned().into()
            })
            .collect();
        let f = field("To", list.clone()).unwrap();
        assert_one_field("To", &f);
        prop_assert!(max_line(&f) <= 78, "{f}");
        prop_assert_eq!(unfold(&f).matches('@').count(), n);
        let back = AddressList::parse(raw_value("To", &f).as_bytes()).unwrap();
        prop_assert_eq!(back.addresses(), &list[..]);
    }

    /// Arbitrary raw values: one well-formed field, lines of at most 78
    /// where a fold point allows, else at most 998, else an error.
    #[test]
    fn raw_values_fold_or_fail(words in prop::collection::vec("[!-~]{1,1100}", 1..6)) {
        let v = words.join(" ");
        let r = field("X-Raw", RawValue::new(v.clone()).unwrap());
        match r {
            Ok(f) => {
                assert_one_field("X-Raw", &f);
                for l in raw_value("X-Raw", &f).split("\r\n") {
                    // A line over 78 holds a single token.
                    if l.len() > 78 {
                        prop_assert!(!l.trim_start().contains(' '), "{l}");
                    }
                }
                prop_assert_eq!(unfold(raw_value("X-Raw", &f)), format!(" {v}"));
            }
            Err(BuildError::LineTooLong { .. }) => {
                prop_assert!(words.iter().any(|w| w.len() > 990));
            }
            Err(e) => prop_assert!(false, "{e}"),
        }
    }

    /// Nothing any constructor accepts can put a line break on the wire.
    #[test]
    fn no_injection_through_constructors(s in "[^\u{0}]{0,80}|.*\r\n.*|[\r\n\u{0}a-z:<>@\" ]{0,40}") {
        if let Ok(n) = HeaderName::new(&s) {
            prop_assert!(s.bytes().all(|b| (33..=126).contains(&b) && b != b':'));
            let r = encode_field(&n, &Text::new("x").unwrap().into(), &BuildOptions::default(), &mut Vec::new());
            prop_assert_eq!(r.is_ok(), s.len() <= MAX_HEADER_NAME_LEN);
        }
        match Text::new(s.clone()) {
            Ok(t) => assert_one_field("Subject", &field("Subject", t).unwrap()),
            Err(_) => prop_assert!(s.contains(['\r', '\n', '\0'])),
        }
        let lossy = Text::new_lossy(&s);
        prop_assert!(!lossy.as_str().contains(['\r', '\n', '\0']));
        assert_one_field("Subject", &field("Subject", lossy).unwrap());
        if let Ok(r) = RawValue::new(s.clone()) {
            prop_assert!(!s.contains(['\r', '\n', '\0']));
            if let Ok(f) = field("X", r) {
                assert_one_field("X", &f);
            }
        }
        if let Ok(m) = Mailbox::with_addr(None, &s) {
            prop_assert!(!s.contains(['\r', '\n', '\0']));
            if let Ok(f) = field("To", m) {
                assert_one_field("To", &f);
            }
        }
        if let Ok(m) = Mailbox::new(Some(&s), &s, "example.com") {
            prop_assert!(!s.contains(['\r', '\n', '\0']));
            match field("To", m) {
                Ok(f) => assert_one_field("To", &f),
                Err(BuildError::NeedsSmtpUtf8 { .. }) => prop_assert!(!s.is_ascii()),
                Err(e) => prop_assert!(false, "{e}"),
            }
        }
        if let Ok(id) = MessageId::from_text(&s) {
            match field("Message-ID", id) {
                Ok(f) => assert_one_field("Message-ID", &f),
                Err(BuildError::NeedsSmtpUtf8 { .. }) => prop_assert!(!s.is_ascii()),
                Err(e) => prop_assert!(false, "{e}"),
            }
        }
        if let Ok(p) = Parameter::new("filename", &s) {
            for seg in encode_parameter(&p) {
                prop_assert!(!seg.contains(['\r', '\n', '\0', ' ']) || seg.contains('"'), "{seg}");
                prop_assert!(!seg.contains(['\r', '\n', '\0']));
                prop_assert!(seg.len() <= 76);
            }
        }
    }

    #[test]
    fn encoded_words_decode_back(s in "[^\u{0}]{0,300}", max in 0usize..100) {
        let words = encode_words(&s, EncodedWordContext::Phrase, max);
        for w in &words {
            prop_assert!(w.len() <= max.clamp(24, 75));
            prop_assert!(!w.contains(['\r', '\n', ' ', '"', '\\']), "{w}");
        }
        let joined = words.join(" ");
        prop_assert_eq!(encoded_word::decode_text(joined.as_bytes()), s);
    }
}

#[test]
fn rfc5322_appendix_a_fields() {
    // A.1.1
    let from = Mailbox::with_addr(Some("John Doe"), "jdoe@machine.example").unwrap();
    assert_eq!(
        field("From", from).unwrap(),
        "From: John Doe <jdoe@machine.example>\r\n"
    );
    let to = Mailbox::with_addr(Some("Mary Smith"), "mary@example.net").unwrap();
    assert_eq!(
        field("To", to).unwrap(),
        "To: Mary Smith <mary@example.net>\r\n"
    );
    let date = DateTime::new(1997, 11, 21, 9, 55, 6, -360).unwrap();
    assert_eq!(
        field("Date", date).unwrap(),
        "Date: Fri, 21 Nov 1997 09:55:06 -0600\r\n"
    );
    let id = MessageId::from_text("<1234@local.machine.example>").unwrap();
    assert_eq!(
        field("Message-ID", id).unwrap(),
        "Message-ID: <1234@local.machine.example>\r\n"
    );
    // A.1.2: a quoted display name and a group.
    let from = Mailbox::with_addr(Some("Joe Q. Public"), "john.q.public@example.com").unwrap();
    assert_eq!(
        field("From", from).unwrap(),
        "From: \"Joe Q. Public\" <john.q.public@example.com>\r\n"
    );
    let group = Address::Group(
        Group::new(
            "A Group",
            vec![
                Mailbox::with_addr(Some("Ed Jones"), "c@a.test").unwrap(),
                Mailbox::with_addr(None, "joe@where.test").unwrap(),
                Mailbox::with_addr(Some("John"), "jdoe@one.test").unwrap(),
            ],
        )
        .unwrap(),
    );
    let undisclosed = Address::Group(Group::new("Undisclosed recipients", vec![]).unwrap());
    assert_eq!(
        field("To", vec![group, undisclosed]).unwrap(),
        "To: A Group: Ed Jones <c@a.test>, joe@where.test, John <jdoe@one.test>;,\r\n Undisclosed recipients:;\r\n"
    );
    // A.2: References.
    let refs = vec![
        MessageId::from_text("1234@local.machine.example").unwrap(),
        MessageId::from_text("3456@example.net").unwrap(),
    ];
    assert_eq!(
        field("References", refs).unwrap(),
        "References: <1234@local.machine.example> <3456@example.net>\r\n"
    );
}

#[test]
fn utf8_addresses_need_smtputf8() {
    let m = Mailbox::with_addr(Some("Zoë"), "zoë@bücher.example").unwrap();
    assert!(matches!(
        field("From", m.clone()),
        Err(BuildError::NeedsSmtpUtf8 { .. })
    ));
    let mut opts = BuildOptions::default();
    opts.smtputf8 = true;
    let mut out = Vec::new();
    encode_field(
        &HeaderName::new("From").unwrap(),
        &m.into(),
        &opts,
        &mut out,
    )
    .unwrap();
    // RFC 6532: raw UTF-8, no encoded words.
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "From: Zoë <zoë@bücher.example>\r\n"
    );
}

#[test]
fn structured_field_over_998_is_an_error() {
    let long = "x".repeat(1000);
    assert!(matches!(
        field("X-Long", RawValue::new(long).unwrap()),
        Err(BuildError::LineTooLong { .. })
    ));
    // Unstructured text never fails: a long word becomes encoded words.
    let f = field("Subject", Text::new("y".repeat(3000)).unwrap()).unwrap();
    assert!(max_line(&f) <= 78);
}

#[test]
fn header_names_over_76_are_refused_by_the_builder() {
    // The header module reads names up to 997 octets; the builder writes
    // at most 76, so that `Name: x` fits a 78-column line.
    let name = "X-".to_owned() + &"n".repeat(75);
    assert!(HeaderName::new(&name).is_ok());
    assert!(matches!(
        field(&name, Text::new("x").unwrap()),
        Err(BuildError::Value(ValueError::Limit(_)))
    ));
}

#[test]
fn parsed_values_can_be_built_again() {
    // What the header parsers return goes back into the builder: the
    // encoded display name is decoded and encoded again, not quoted.
    let list =
        AddressList::parse(b" =?UTF-8?Q?J=C3=B6rg?= <j@example.com>, \"a\\\"b\" <x@y.test> (c)")
            .unwrap()
            .into_owned();
    let f = field("To", list.addresses().to_vec()).unwrap();
    assert_eq!(
        f,
        "To: =?utf-8?b?SsO2cmc=?= <j@example.com>, \"a\\\"b\" <x@y.test>\r\n"
    );
    let bare = AddressList::parse(b" <user>").unwrap().into_owned();
    assert!(matches!(
        field("To", bare.addresses().to_vec()),
        Err(BuildError::Value(_))
    ));
    // A literal text that looks like an encoded word stays literal.
    let m = Mailbox::with_addr(Some("=?utf-8?q?x?="), "a@b.test").unwrap();
    assert_eq!(m.name().unwrap(), "=?utf-8?q?x?=");
    let f = field("From", m).unwrap();
    let back = Mailbox::parse(raw_value("From", &f).as_bytes()).unwrap();
    assert_eq!(back.name().unwrap(), "=?utf-8?q?x?=");
}

#[test]
fn long_header_name_still_folds() {
    let name = "X-".to_owned() + &"n".repeat(74);
    let f = field(&name, Text::new("word ".repeat(30)).unwrap()).unwrap();
    assert_one_field(&name, &f);
    // The first line holds the name (77 octets); the rest fold to 78.
    for l in f.split("\r\n").skip(1) {
        assert!(l.len() <= 78);
    }
}
