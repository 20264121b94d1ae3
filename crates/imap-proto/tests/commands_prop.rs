//! Property tests of commands: `parse(encode(x)) == x` for generated
//! commands (LOGIN, AUTHENTICATE, SELECT, LIST, STATUS, FETCH with
//! sections, STORE, SEARCH with nested keys, APPEND, COPY/MOVE, UID
//! variants, ID, raw commands), under every encoder option; the encoded
//! text never ends a line in `{digits}` except before literal data; and
//! no input makes the parser panic.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use core::num::{NonZeroU32, NonZeroU64};

use imap_proto::encode::{Encode, EncodeOptions, Encoder, Fragment};
use imap_proto::parse::values::ParseOptions;
use imap_proto::types::command::*;
use imap_proto::types::*;
// The command forms of names the response side also defines.
use imap_proto::types::command::{DateTime, Section, SectionText, StatusItem};
use imap_proto::{CommandOptions, parse::command::parse_append_head};
use mail_wire::sasl::Mechanism;
use proptest::prelude::*;

fn opts() -> impl Strategy<Value = EncodeOptions> {
    (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(u, p, m)| EncodeOptions {
        utf8_accept: u,
        literal_plus: p,
        literal_minus: m,
    })
}

fn atom_text() -> impl Strategy<Value = String> {
    "[!#$&'+,\\-./0-9:;<=>?@A-Z\\[^_`a-z|}~]{1,12}"
}

fn atom() -> impl Strategy<Value = Atom<'static>> {
    atom_text().prop_map(|s| Atom::new(s).unwrap())
}

/// Atoms that cannot be mistaken for a known option name.
fn x_atom() -> impl Strategy<Value = Atom<'static>> {
    "X-[A-Z0-9]{1,8}".prop_map(|s| Atom::new(s).unwrap())
}

fn tag() -> impl Strategy<Value = Tag<'static>> {
    "[!#$&'\\-./0-9:;<=>?@A-Z\\[\\]^_`a-z|}~]{1,10}".prop_map(|s| Tag::new(s).unwrap())
}

fn content() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        atom_text().prop_map(String::into_bytes),
        "[ -~]{0,20}".prop_map(String::into_bytes),
        "\\PC{0,10}".prop_map(String::into_bytes),
        prop::collection::vec(1u8..=255, 0..30),
        Just(b"{3}".to_vec()),
        Just(b"x {12}".to_vec()),
    ]
}

fn astring() -> impl Strategy<Value = AString<'static>> {
    content().prop_map(|b| AString::new(b).unwrap())
}

fn istring() -> impl Strategy<Value = IString<'static>> {
    content().prop_map(|b| IString::new(b).unwrap())
}

fn mailbox() -> impl Strategy<Value = Mailbox<'static>> {
    content().prop_map(|b| Mailbox::new(b).unwrap())
}

fn pattern() -> impl Strategy<Value = ListPattern<'static>> {
    prop_oneof![content(), "[%*a-z/]{1,8}".prop_map(String::into_bytes)]
        .prop_map(|b| ListPattern::new(b).unwrap())
}

fn seq_number() -> impl Strategy<Value = SeqNumber> {
    prop_oneof![
        Just(SeqNumber::Largest),
        (1u32..=u32::MAX).prop_map(|n| SeqNumber::new(n).unwrap()),
    ]
}

fn seq_set() -> impl Strategy<Value = SequenceSet> {
    prop_oneof![
        1 => Just(SequenceSet::Saved),
        6 => prop::collection::vec(
            prop_oneof![
                seq_number().prop_map(SeqItem::Number),
                (seq_number(), seq_number()).prop_map(|(a, b)| SeqItem::Range(a, b)),
            ],
            1..5
        )
        .prop_map(|v| SequenceSet::new(v).unwrap()),
    ]
}

fn flag() -> impl Strategy<Value = Flag<'static>> {
    prop_oneof![
        Just(Flag::Seen),
        Just(Flag::Answered),
        Just(Flag::Flagged),
        Just(Flag::Deleted),
        Just(Flag::Draft),
        Just(Flag::Recent),
        atom().prop_map(Flag::Keyword),
        x_atom().prop_map(Flag::extension),
    ]
}

fn nz() -> impl Strategy<Value = NonZeroU32> {
    (1u32..=u32::MAX).prop_map(|n| NonZeroU32::new(n).unwrap())
}

fn number64() -> impl Strategy<Value = u64> {
    0..=i64::MAX as u64
}

fn partial() -> impl Strategy<Value = Option<Partial>> {
    prop::option::of(
        (number64(), 1..=i64::MAX as u64).prop_map(|(offset, l)| Partial {
            offset,
            length: NonZeroU64::new(l).unwrap(),
        }),
    )
}

fn section() -> impl Strategy<Value = Section<'static>> {
    let text = prop_oneof![
        Just(None),
        Just(Some(SectionText::Header)),
        Just(Some(SectionText::Text)),
        Just(Some(SectionText::Mime)),
        (any::<bool>(), prop::collection::vec(astring(), 1..4)).prop_map(|(not, f)| Some(
            SectionText::HeaderFields {
                not,
                fields: NonEmptyVec::new(f).unwrap()
            }
        )),
    ];
    (prop::collection::vec(nz(), 0..4), text).prop_map(|(p, t)| {
        let t = if p.is_empty() && t == Some(SectionText::Mime) {
            None
        } else {
            t
        };
        Section::new(p, t).unwrap()
    })
}

fn fetch_attr() -> impl Strategy<Value = FetchAttr<'static>> {
    prop_oneof![
        Just(FetchAttr::Envelope),
        Just(FetchAttr::Flags),
        Just(FetchAttr::InternalDate),
        Just(FetchAttr::Rfc822),
        Just(FetchAttr::Rfc822Header),
        Just(FetchAttr::Rfc822Text),
        Just(FetchAttr::Rfc822Size),
        Just(FetchAttr::Body),
        Just(FetchAttr::BodyStructure),
        Just(FetchAttr::Uid),
        Just(FetchAttr::ModSeq),
        (any::<bool>(), section(), partial()).prop_map(|(peek, section, partial)| {
            FetchAttr::BodySection {
                peek,
                section,
                partial,
            }
        }),
        (any::<bool>(), prop::collection::vec(nz(), 0..3), partial()).prop_map(
            |(peek, part, partial)| FetchAttr::Binary {
                peek,
                part,
                partial
            }
        ),
        prop::collection::vec(nz(), 0..3).prop_map(|part| FetchAttr::BinarySize { part }),
    ]
}

fn fetch_items() -> impl Strategy<Value = FetchItems<'static>> {
    prop_oneof![
        Just(FetchItems::All),
        Just(FetchItems::Fast),
        Just(FetchItems::Full),
        prop::collection::vec(fetch_attr(), 1..5)
            .prop_map(|v| FetchItems::Items(NonEmptyVec::new(v).unwrap())),
    ]
}

fn date() -> impl Strategy<Value = SearchDate> {
    (0u16..=9999, 1u8..=12, 1u8..=31).prop_map(|(y, m, d)| SearchDate::new(y, m, d).unwrap())
}

fn search_key() -> impl Strategy<Value = SearchKey<'static>> {
    use SearchKey as K;
    let leaf = prop_oneof![
        Just(K::All),
        Just(K::Answered),
        Just(K::Deleted),
        Just(K::Draft),
        Just(K::Flagged),
        Just(K::New),
        Just(K::Old),
        Just(K::Recent),
        Just(K::Seen),
        Just(K::Unanswered),
        Just(K::Undeleted),
        Just(K::Undraft),
        Just(K::Unflagged),
        Just(K::Unseen),
        astring().prop_map(K::Bcc),
        astring().prop_map(K::Body),
        astring().prop_map(K::Cc),
        astring().prop_map(K::From),
        astring().prop_map(K::Subject),
        astring().prop_map(K::Text),
        astring().prop_map(K::To),
        (astring(), astring()).prop_map(|(a, b)| K::Header(a, b)),
        atom().prop_map(K::Keyword),
        atom().prop_map(K::Unkeyword),
        number64().prop_map(K::Larger),
        number64().prop_map(K::Smaller),
        date().prop_map(K::Before),
        date().prop_map(K::On),
        date().prop_map(K::Since),
        date().prop_map(K::SentBefore),
        date().prop_map(K::SentOn),
        date().prop_map(K::SentSince),
        seq_set().prop_map(K::Uid),
        seq_set().prop_map(K::SequenceSet),
        any::<u32>().prop_map(K::Older),
        any::<u32>().prop_map(K::Younger),
        (prop::option::of((istring(), atom())), number64())
            .prop_map(|(entry, modseq)| K::ModSeq { entry, modseq }),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|k| K::Not(Box::new(k))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| K::Or(Box::new(a), Box::new(b))),
            prop::collection::vec(inner, 1..4).prop_map(|v| K::And(NonEmptyVec::new(v).unwrap())),
        ]
    })
}

fn raw() -> impl Strategy<Value = RawArgs<'static>> {
    prop_oneof![
        "[A-Z0-9 ]{0,12}".prop_map(String::into_bytes),
        Just(b"CHANGEDSINCE 12345".to_vec()),
        Just(b"QRESYNC (1 2 1:5)".to_vec()),
        Just(b"X \"a)b\" {3}\r\nx\r\ny (c)".to_vec()),
    ]
    .prop_map(|b| RawArgs::new(b).unwrap())
}

fn date_time() -> impl Strategy<Value = DateTime> {
    (
        0u16..=9999,
        1u8..=12,
        1u8..=31,
        0u8..24,
        0u8..60,
        0u8..61,
        -5999i16..=5999,
    )
        .prop_map(|(y, mo, d, h, mi, s, z)| {
            let z = z / 100 * 60 + (z % 100) % 60;
            DateTime::new(y, mo, d, h, mi, s, z).unwrap()
        })
}

fn append_message() -> impl Strategy<Value = AppendMessage<'static>> {
    let mode = prop_oneof![Just(LiteralMode::Sync), Just(LiteralMode::NonSync)];
    (
        prop::option::of(prop::collection::vec(flag(), 0..3)),
        prop::option::of(date_time()),
        any::<bool>(),
        prop::collection::vec(any::<u8>(), 0..40),
        mode,
    )
        .prop_map(|(flags, date, eight, data, mode)| AppendMessage {
            flags,
            date,
            data: if eight {
                AppendData::Literal8(Literal8::new(data, mode))
            } else {
                let data: Vec<u8> = data.into_iter().filter(|&b| b != 0).collect();
                AppendData::Literal(Literal::new(data, mode).unwrap())
            },
        })
}

fn body() -> impl Strategy<Value = CommandBody<'static>> {
    use CommandBody as C;
    prop_oneof![
        Just(C::Capability),
        Just(C::Noop),
        Just(C::Logout),
        Just(C::StartTls),
        Just(C::Namespace),
        Just(C::Idle),
        Just(C::Check),
        Just(C::Close),
        Just(C::Unselect),
        Just(C::Expunge),
        (
            prop_oneof![
                Just(Mechanism::Plain),
                Just(Mechanism::XOAuth2),
                Just(Mechanism::new("SCRAM-SHA-256").unwrap())
            ],
            prop_oneof![
                Just(None),
                Just(Some(InitialResponse::Empty)),
                "[A-Za-z0-9+/]{1,20}={0,2}".prop_map(|s| Some(InitialResponse::base64(s).unwrap()))
            ]
        )
            .prop_map(|(mechanism, initial_response)| C::Authenticate {
                mechanism,
                initial_response
            }),
        (astring(), astring()).prop_map(|(u, p)| C::Login {
            username: u,
            password: Secret::new(p)
        }),
        prop::collection::vec(atom(), 1..4).prop_map(|v| C::Enable {
            capabilities: NonEmptyVec::new(v).unwrap()
        }),
        (mailbox(), prop::option::of(raw()))
            .prop_map(|(mailbox, params)| C::Select { mailbox, params }),
        (mailbox(), prop::option::of(raw()))
            .prop_map(|(mailbox, params)| C::Examine { mailbox, params }),
        (mailbox(), prop::option::of(raw()))
            .prop_map(|(mailbox, params)| C::Create { mailbox, params }),
        mailbox().prop_map(|mailbox| C::Delete { mailbox }),
        (mailbox(), mailbox()).prop_map(|(from, to)| C::Rename { from, to }),
        mailbox().prop_map(|mailbox| C::Subscribe { mailbox }),
        mailbox().prop_map(|mailbox| C::Unsubscribe { mailbox }),
        (
            prop::option::of(prop::collection::vec(
                prop_oneof![
                    Just(ListSelect::Subscribed),
                    Just(ListSelect::Remote),
                    Just(ListSelect::RecursiveMatch),
                    Just(ListSelect::SpecialUse),
                    x_atom().prop_map(ListSelect::Other)
                ],
                0..3
            )),
            mailbox(),
            prop::collection::vec(pattern(), 1..3),
            prop::option::of(prop::collection::vec(
                prop_oneof![
                    Just(ListReturn::Subscribed),
                    Just(ListReturn::Children),
                    Just(ListReturn::SpecialUse),
                    Just(ListReturn::Status(NonEmptyVec::one(StatusItem::Messages))),
                    x_atom().prop_map(ListReturn::Other)
                ],
                0..3
            ))
        )
            .prop_map(|(selection, reference, p, return_opts)| C::List {
                selection,
                reference,
                patterns: NonEmptyVec::new(p).unwrap(),
                return_opts
            }),
        (mailbox(), pattern()).prop_map(|(reference, pattern)| C::Lsub { reference, pattern }),
        (
            mailbox(),
            prop::collection::vec(
                prop_oneof![
                    Just(StatusItem::Messages),
                    Just(StatusItem::Recent),
                    Just(StatusItem::UidNext),
                    Just(StatusItem::UidValidity),
                    Just(StatusItem::Unseen),
                    Just(StatusItem::Deleted),
                    Just(StatusItem::Size),
                    Just(StatusItem::AppendLimit),
                    Just(StatusItem::HighestModSeq),
                    Just(StatusItem::MailboxId),
                    x_atom().prop_map(StatusItem::Other)
                ],
                1..5
            )
        )
            .prop_map(|(mailbox, v)| C::Status {
                mailbox,
                items: NonEmptyVec::new(v).unwrap()
            }),
        (mailbox(), prop::collection::vec(append_message(), 1..3)).prop_map(|(mailbox, m)| {
            C::Append {
                mailbox,
                messages: NonEmptyVec::new(m).unwrap(),
            }
        }),
        seq_set().prop_map(|set| C::UidExpunge { set }),
        (
            any::<bool>(),
            prop::option::of(prop::collection::vec(
                prop_oneof![
                    Just(SearchReturn::Min),
                    Just(SearchReturn::Max),
                    Just(SearchReturn::All),
                    Just(SearchReturn::Count),
                    Just(SearchReturn::Save),
                    x_atom().prop_map(SearchReturn::Other)
                ],
                0..3
            )),
            prop::option::of(astring()),
            prop::collection::vec(search_key(), 1..4)
        )
            .prop_map(|(uid, return_opts, charset, k)| C::Search {
                uid,
                return_opts,
                charset,
                criteria: NonEmptyVec::new(k).unwrap()
            }),
        (
            any::<bool>(),
            seq_set(),
            fetch_items(),
            prop::option::of(raw())
        )
            .prop_map(|(uid, set, items, modifiers)| C::Fetch {
                uid,
                set,
                items,
                modifiers
            }),
        (
            any::<bool>(),
            seq_set(),
            prop::option::of(raw()),
            prop_oneof![
                Just(StoreAction::Replace),
                Just(StoreAction::Add),
                Just(StoreAction::Remove)
            ],
            any::<bool>(),
            prop::collection::vec(flag(), 0..4)
        )
            .prop_map(|(uid, set, modifiers, action, silent, flags)| C::Store {
                uid,
                set,
                modifiers,
                action,
                silent,
                flags
            }),
        (any::<bool>(), seq_set(), mailbox()).prop_map(|(uid, set, mailbox)| C::Copy {
            uid,
            set,
            mailbox
        }),
        (any::<bool>(), seq_set(), mailbox()).prop_map(|(uid, set, mailbox)| C::Move {
            uid,
            set,
            mailbox
        }),
        prop::option::of(prop::collection::vec(
            (istring(), prop::option::of(istring()).prop_map(NString)),
            0..3
        ))
        .prop_map(|params| C::Id { params }),
        astring().prop_map(|root| C::GetQuota { root }),
        mailbox().prop_map(|mailbox| C::GetQuotaRoot { mailbox }),
        (astring(), prop::collection::vec((atom(), number64()), 0..3))
            .prop_map(|(root, limits)| C::SetQuota { root, limits }),
        (x_atom(), prop::option::of(raw())).prop_map(|(name, args)| C::Other { name, args }),
    ]
}

fn command() -> impl Strategy<Value = Command<'static>> {
    (tag(), body()).prop_map(|(tag, body)| Command { tag, body })
}

/// A literal's mode survives only when the encoder may keep it.
fn keeps_modes(o: &EncodeOptions) -> bool {
    o.literal_plus
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parse_of_encode_is_identity(cmd in command(), o in opts()) {
        let mut e = Encoder::new(o);
        cmd.encode(&mut e);
        let wire = e.to_bytes();
        let frags = e.finish();
        // Every line fragment but the last ends in a literal header, and
        // every literal header is followed by its data.
        for (i, f) in frags.iter().enumerate() {
            if let Fragment::Line(l) = f {
                if i + 1 < frags.len() {
                    let ends = l.ends_with(b"}\r\n");
                    prop_assert!(ends, "line {:?}", l);
                    let is_literal = matches!(frags[i + 1], Fragment::Literal { .. });
                    prop_assert!(is_literal);
                } else {
                    prop_assert!(l.ends_with(b"\r\n"));
                }
            }
        }
        let popts = CommandOptions {
            values: ParseOptions { utf8_accept: o.utf8_accept },
            ..CommandOptions::default()
        };
        let back = Command::parse_with(&wire, popts)
            .unwrap_or_else(|e| panic!("{cmd:?} -> {:?}: {e}", String::from_utf8_lossy(&wire)));
        if keeps_modes(&o) {
            prop_assert_eq!(&back, &cmd);
        }
        // Whatever the modes, a second trip is stable.
        let mut e2 = Encoder::new(o);
        back.encode(&mut e2);
        prop_assert_eq!(e2.to_bytes(), wire);
    }

    #[test]
    fn append_heads_parse(mailbox in mailbox(), flags in prop::option::of(prop::collection::vec(flag(), 0..3)),
                          date in prop::option::of(date_time()), size in number64(), plus in any::<bool>(), eight in any::<bool>()) {
        let mut e = Encoder::new(EncodeOptions { literal_plus: true, ..EncodeOptions::default() });
        Tag::new("A1").unwrap().encode(&mut e);
        e.sp();
        let mut tail = Vec::new();
        let cmd_mailbox = mailbox.clone();
        cmd_mailbox.encode(&mut e);
        let mut head = e.to_bytes();
        head.extend_from_slice(b" ");
        if let Some(f) = &flags {
            let mut e = Encoder::new(EncodeOptions::default());
            let body = CommandBody::Store { uid: false, set: SequenceSet::Saved, modifiers: None, action: StoreAction::Replace, silent: false, flags: f.clone() };
            body.encode(&mut e);
            let b = e.to_bytes();
            let start = b.iter().position(|&c| c == b'(').unwrap();
            tail.extend_from_slice(&b[start..]);
            tail.push(b' ');
        }
        if let Some(d) = &date {
            let mut e = Encoder::new(EncodeOptions::default());
            d.encode(&mut e);
            tail.extend_from_slice(&e.to_bytes());
            tail.push(b' ');
        }
        let lit = format!("{}{{{}{}}}\r\n", if eight { "~" } else { "" }, size, if plus { "+" } else { "" });
        let mut wire = b"A1 APPEND ".to_vec();
        wire.extend_from_slice(&head[3..]);
        wire.extend_from_slice(&tail);
        wire.extend_from_slice(lit.as_bytes());
        let h = parse_append_head(&wire).unwrap_or_else(|e| panic!("{:?}: {e}", String::from_utf8_lossy(&wire)));
        prop_assert_eq!(h.mailbox, mailbox);
        prop_assert!(h.inline.is_empty());
        prop_assert_eq!(h.streamed.flags, flags);
        prop_assert_eq!(h.streamed.date, date);
        prop_assert_eq!(h.streamed.literal.size, size);
        prop_assert_eq!(h.streamed.literal.binary, eight);
    }

    #[test]
    fn never_panics_on_arbitrary_bytes(b in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = Command::parse(&b);
        let _ = parse_append_head(&b);
    }

    #[test]
    fn never_panics_on_mutated_commands(cmd in command(), at in any::<prop::sample::Index>(),
                                         byte in any::<u8>(), cut in any::<prop::sample::Index>()) {
        let mut e = Encoder::new(EncodeOptions::default());
        cmd.encode(&mut e);
        let mut wire = e.to_bytes();
        let i = at.index(wire.len());
        wire[i] = byte;
        let _ = Command::parse(&wire);
        let n = cut.index(wire.len() + 1);
        let r = Command::parse(&wire[..n]);
        if n < wire.len() && !wire[..n].ends_with(b"\r\n") {
            prop_assert!(r.is_err());
        }
    }
}
