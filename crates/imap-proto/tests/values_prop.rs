//! Property tests of the IMAP values: `parse(encode(x)) == x` for every
//! type under every combination of encoder options, the encoder never
//! writes CR or LF outside literal data, modified UTF-7 round-trips any
//! Unicode name and has one encoding per name, and no parser panics on
//! arbitrary bytes.

// Helpers and strategies outside #[test] functions are not covered by
// clippy.toml's allow-*-in-tests settings; this whole file is test code.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::borrow::Cow;

use imap_proto::encode::{Encode, EncodeOptions, Encoder, Fragment};
use imap_proto::parse::values::*;
use imap_proto::types::*;
use proptest::prelude::*;

fn opts() -> impl Strategy<Value = EncodeOptions> {
    (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(u, p, m)| EncodeOptions {
        utf8_accept: u,
        literal_plus: p,
        // LITERAL+ and LITERAL- are never advertised together (RFC 7888
        // section 5), but the encoder must cope either way.
        literal_minus: m,
    })
}

fn popts(o: &EncodeOptions) -> ParseOptions {
    ParseOptions {
        utf8_accept: o.utf8_accept,
    }
}

fn atom_text() -> impl Strategy<Value = String> {
    "[!#$&'+,\\-./0-9:;<=>?@A-Z\\[^_`a-z|}~]{1,12}"
}

fn atom() -> impl Strategy<Value = Atom<'static>> {
    atom_text().prop_map(|s| Atom::new(s).unwrap())
}

fn tag() -> impl Strategy<Value = Tag<'static>> {
    "[!#$&'\\-./0-9:;<=>?@A-Z\\[\\]^_`a-z|}~]{1,10}".prop_map(|s| Tag::new(s).unwrap())
}

/// Content for strings: sometimes atom-like, sometimes printable with
/// specials, sometimes Unicode, sometimes any bytes but NUL.
fn content() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        atom_text().prop_map(String::into_bytes),
        "[ -~]{0,20}".prop_map(String::into_bytes),
        "\\PC{0,10}".prop_map(String::into_bytes),
        prop::collection::vec(1u8..=255, 0..40),
        Just(b"NIL".to_vec()),
        Just(b"inbox".to_vec()),
    ]
}

fn mode() -> impl Strategy<Value = LiteralMode> {
    prop_oneof![Just(LiteralMode::Sync), Just(LiteralMode::NonSync)]
}

fn flag() -> impl Strategy<Value = Flag<'static>> {
    prop_oneof![
        Just(Flag::Answered),
        Just(Flag::Flagged),
        Just(Flag::Deleted),
        Just(Flag::Seen),
        Just(Flag::Draft),
        Just(Flag::Recent),
        atom().prop_map(Flag::Keyword),
        atom().prop_map(Flag::extension),
    ]
}

fn seq_number() -> impl Strategy<Value = SeqNumber> {
    prop_oneof![
        1 => Just(SeqNumber::Largest),
        4 => any::<u32>().prop_filter_map("zero", |n| SeqNumber::new(n).ok()),
        1 => Just(SeqNumber::new(u32::MAX).unwrap()),
    ]
}

fn sequence_set() -> impl Strategy<Value = SequenceSet> {
    let item = prop_oneof![
        seq_number().prop_map(SeqItem::Number),
        (seq_number(), seq_number()).prop_map(|(a, b)| SeqItem::Range(a, b)),
    ];
    prop_oneof![
        1 => Just(SequenceSet::Saved),
        6 => prop::collection::vec(item, 1..8).prop_map(|v| SequenceSet::new(v).unwrap()),
    ]
}

fn encode<T: Encode>(v: &T, o: EncodeOptions) -> (Vec<u8>, Vec<Fragment>) {
    let mut e = Encoder::new(o);
    v.encode(&mut e);
    let flat = e.to_bytes();
    (flat, e.finish())
}

/// Checks the fragment contract: a Line holds no CR or LF except the CRLF
/// that ends a `{n}`/`{n+}`/`~{n}` literal header announcing the next
/// fragment's exact length and mode; the flattened fragments are `flat`.
fn check_fragments(frags: &[Fragment], flat: &[u8]) -> Result<(), TestCaseError> {
    let mut joined = Vec::new();
    for (i, f) in frags.iter().enumerate() {
        joined.extend_from_slice(f.bytes());
        let Fragment::Line(line) = f else {
            prop_assert!(matches!(
                frags.get(i.wrapping_sub(1)),
                Some(Fragment::Line(_))
            ));
            continue;
        };
        let text: &[u8] = match frags.get(i + 1) {
            Some(Fragment::Literal { data, mode }) => {
                let plus = if *mode == LiteralMode::NonSync {
                    "+"
                } else {
                    ""
                };
                let header = format!("{{{}{plus}}}\r\n", data.len());
                prop_assert!(line.ends_with(header.as_bytes()), "{line:?} {header:?}");
                &line[..line.len() - header.len()]
            }
            _ => line,
        };
        prop_assert!(!text.contains(&b'\r') && !text.contains(&b'\n'), "{line:?}");
        prop_assert!(!text.contains(&0));
    }
    prop_assert_eq!(joined, flat);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn atom_roundtrip(a in atom()) {
        let (wire, frags) = encode(&a, EncodeOptions::default());
        check_fragments(&frags, &wire)?;
        prop_assert_eq!(parse_atom(&wire).unwrap(), (a, wire.len()));
    }

    #[test]
    fn tag_roundtrip(t in tag()) {
        let (wire, _) = encode(&t, EncodeOptions::default());
        prop_assert_eq!(parse_tag(&wire).unwrap(), (t, wire.len()));
    }

    #[test]
    fn astring_roundtrip(c in content(), o in opts()) {
        let a = AString::new(c).unwrap();
        let (wire, frags) = encode(&a, o);
        check_fragments(&frags, &wire)?;
        prop_assert_eq!(parse_astring(&wire, popts(&o)).unwrap(), (a, wire.len()));
    }

    #[test]
    fn string_roundtrip(c in content(), o in opts()) {
        let s = IString::new(c).unwrap();
        let (wire, frags) = encode(&s, o);
        check_fragments(&frags, &wire)?;
        prop_assert_eq!(parse_string(&wire, popts(&o)).unwrap(), (s, wire.len()));
    }

    #[test]
    fn nstring_roundtrip(c in prop::option::of(content()), o in opts()) {
        let s = NString(c.map(|c| IString::new(c).unwrap()));
        let (wire, frags) = encode(&s, o);
        check_fragments(&frags, &wire)?;
        prop_assert_eq!(parse_nstring(&wire, popts(&o)).unwrap(), (s, wire.len()));
    }

    #[test]
    fn quoted_roundtrip(s in "[^\r\n\0]{0,20}", o in opts()) {
        let q = Quoted::new(s).unwrap();
        let (wire, frags) = encode(&q, o);
        check_fragments(&frags, &wire)?;
        // Quoted whenever that is valid; the literal fallback otherwise.
        if q.as_str().is_ascii() || o.utf8_accept {
            prop_assert_eq!(parse_quoted(&wire, popts(&o)).unwrap(), (q, wire.len()));
        } else {
            let (back, n) = parse_string(&wire, popts(&o)).unwrap();
            prop_assert_eq!((back.as_bytes(), n), (q.as_str().as_bytes(), wire.len()));
        }
    }

    #[test]
    fn literal_roundtrip(c in prop::collection::vec(1u8..=255, 0..64), m in mode(), o in opts()) {
        let l = Literal::new(c, m).unwrap();
        let (wire, frags) = encode(&l, o);
        check_fragments(&frags, &wire)?;
        let (back, n) = parse_literal(&wire).unwrap();
        prop_assert_eq!((back.data(), n), (l.data(), wire.len()));
        prop_assert_eq!(back.mode(), o.literal_mode(l.data().len(), m));
    }

    #[test]
    fn literal8_roundtrip(c in prop::collection::vec(any::<u8>(), 0..64), m in mode(), o in opts()) {
        let l = Literal8::new(c, m);
        let (wire, frags) = encode(&l, o);
        let shape = matches!(frags.as_slice(), [Fragment::Line(h), Fragment::Literal { .. }] if h.starts_with(b"~{"));
        prop_assert!(shape, "fragments {:?}", frags);
        let (back, n) = parse_literal8(&wire).unwrap();
        prop_assert_eq!((back.data(), n), (l.data(), wire.len()));
        prop_assert_eq!(back.mode(), o.literal_mode(l.data().len(), m));
    }

    #[test]
    fn mailbox_roundtrip(c in content(), o in opts()) {
        let m = Mailbox::new(c).unwrap();
        let (wire, frags) = encode(&m, o);
        check_fragments(&frags, &wire)?;
        prop_assert_eq!(parse_mailbox(&wire, popts(&o)).unwrap(), (m, wire.len()));
    }

    #[test]
    fn mailbox_utf7_roundtrip(name in "\\PC{0,16}|[\0-\u{7f}]{0,16}", o in opts()) {
        prop_assume!(!name.contains('\0'));
        let m = Mailbox::from_utf8(&name, false).unwrap();
        prop_assert!(m.as_bytes().iter().all(|b| (0x20..=0x7e).contains(b)));
        if m.is_inbox() {
            prop_assert!(name.eq_ignore_ascii_case("INBOX"));
        } else {
            prop_assert_eq!(m.decode_utf7().unwrap(), name.as_str());
        }
        let (wire, _) = encode(&m, o);
        prop_assert_eq!(parse_mailbox(&wire, popts(&o)).unwrap().0, m);
    }

    /// Modified UTF-7 has exactly one form per name: whatever decodes,
    /// encodes back to the same bytes.
    #[test]
    fn utf7_decode_is_canonical(b in prop::collection::vec(prop_oneof![
        Just(b'&'), Just(b'-'), Just(b','), Just(b'+'), b'A'..=b'Z', b'a'..=b'z', b'0'..=b'9', any::<u8>()
    ], 0..24)) {
        if let Ok(s) = utf7::decode(&b) {
            let again = utf7::encode(&s);
            prop_assert_eq!(again.as_bytes(), &b[..]);
        }
    }

    /// The same, on near-misses of valid names: one byte of an encoded
    /// Unicode name replaced.
    #[test]
    fn utf7_mutations_are_canonical_or_errors(name in "\\PC{1,8}", at in any::<prop::sample::Index>(),
        byte in prop_oneof![b'A'..=b'Z', b'a'..=b'z', b'0'..=b'9', Just(b'-'), Just(b'&'), Just(b',')]) {
        let mut b = utf7::encode(&name).into_owned().into_bytes();
        let i = at.index(b.len());
        b[i] = byte;
        if let Ok(s) = utf7::decode(&b) {
            let again = utf7::encode(&s);
            prop_assert_eq!(again.as_bytes(), &b[..]);
        }
    }

    #[test]
    fn flag_roundtrip(f in flag()) {
        let (wire, _) = encode(&f, EncodeOptions::default());
        prop_assert_eq!(parse_flag(&wire).unwrap(), (f.clone(), wire.len()));
        let p = FlagPerm::Flag(f);
        let (wire, _) = encode(&p, EncodeOptions::default());
        prop_assert_eq!(parse_flag_perm(&wire).unwrap(), (p, wire.len()));
    }

    #[test]
    fn sequence_set_roundtrip(s in sequence_set()) {
        let (wire, _) = encode(&s, EncodeOptions::default());
        prop_assert_eq!(parse_sequence_set(&wire).unwrap(), (s, wire.len()));
    }

    #[test]
    fn secret_and_list_roundtrip(c in content(), fs in prop::collection::vec(flag(), 1..5), o in opts()) {
        let s = Secret::new(AString::new(c).unwrap());
        let (wire, _) = encode(&s, o);
        prop_assert_eq!(parse_astring(&wire, popts(&o)).unwrap().0, s.expose().clone());
        let list = NonEmptyVec::new(fs).unwrap();
        let (wire, _) = encode(&list, o);
        prop_assert!(wire.starts_with(b"(") && wire.ends_with(b")"));
    }

    /// No parser panics; a value that parses from arbitrary bytes consumed
    /// at most the input, encodes, and parses back to itself.
    #[test]
    fn never_panics(b in prop::collection::vec(prop_oneof![
        any::<u8>(), Just(b'{'), Just(b'}'), Just(b'"'), Just(b'\\'), Just(b'\r'), Just(b'\n'), b'0'..=b'9'
    ], 0..48), utf8 in any::<bool>()) {
        let p = ParseOptions { utf8_accept: utf8 };
        let o = EncodeOptions { utf8_accept: utf8, ..EncodeOptions::default() };
        macro_rules! check {
            ($parse:expr, $reparse:expr) => {
                if let Ok((v, n)) = $parse {
                    prop_assert!(n <= b.len());
                    let (wire, frags) = encode(&v, o);
                    check_fragments(&frags, &wire)?;
                    prop_assert_eq!($reparse(&wire).map(|(v, _)| v).ok(), Some(v));
                }
            };
        }
        check!(parse_atom(&b), parse_atom);
        check!(parse_tag(&b), parse_tag);
        check!(parse_quoted(&b, p), |w| parse_string(w, p).map(|(s, n)| (Quoted::new(Cow::Owned(String::from_utf8(s.as_bytes().to_vec()).unwrap())).unwrap(), n)));
        check!(parse_string(&b, p), |w| parse_string(w, p));
        check!(parse_astring(&b, p), |w| parse_astring(w, p));
        check!(parse_nstring(&b, p), |w| parse_nstring(w, p));
        check!(parse_mailbox(&b, p), |w| parse_mailbox(w, p));
        check!(parse_flag(&b), parse_flag);
        check!(parse_flag_perm(&b), parse_flag_perm);
        check!(parse_sequence_set(&b), parse_sequence_set);
        if let Ok((l, n)) = parse_literal(&b) {
            prop_assert!(n <= b.len());
            let wire = encode(&l, o).0;
            let back = parse_literal(&wire).unwrap().0;
            prop_assert_eq!(back.data(), l.data());
        }
        if let Ok((l, n)) = parse_literal8(&b) {
            prop_assert!(n <= b.len());
            let wire = encode(&l, o).0;
            let back = parse_literal8(&wire).unwrap().0;
            prop_assert_eq!(back.data(), l.data());
        }
        let _ = parse_number(&b);
        let _ = parse_number64(&b);
        let _ = parse_nz_number(&b);
        let _ = utf7::decode(&b);
    }
}
