//! Property tests of server responses: `parse(encode(x)) == x` for
//! generated responses, and the parser never panics.

// Strategies outside #[test] functions are not covered by clippy.toml's
// allow-*-in-tests settings; this whole file is test code.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use core::num::NonZeroU32;

use imap_proto::encode::{Encode, EncodeOptions, Encoder};
use imap_proto::parse::fetch::{parse_fetch_head, parse_fetch_rest};
use imap_proto::types::body::{
    Body, BodyExtension, BodyFields, Disposition, ExtDisposition, ExtLanguage, ExtLocation,
    MultipartExt, Params, SingleKind, SinglePartExt,
};
use imap_proto::types::envelope::{Address, Envelope};
use imap_proto::types::*;
use imap_proto::{ResponseError, ResponseOptions};
use proptest::prelude::*;

fn encode(r: &Response<'_>) -> Vec<u8> {
    let mut e = Encoder::new(EncodeOptions::default());
    r.encode(&mut e);
    e.to_bytes()
}

fn nz() -> impl Strategy<Value = NonZeroU32> {
    prop_oneof![1u32..100, Just(u32::MAX), 1u32..=u32::MAX]
        .prop_map(|n| NonZeroU32::new(n).unwrap())
}

fn tag() -> impl Strategy<Value = Tag<'static>> {
    "[A-Za-z0-9.]{1,8}".prop_map(|s| Tag::new(s).unwrap())
}

/// An atom that is not a known code, capability or keyword.
fn x_atom() -> impl Strategy<Value = Atom<'static>> {
    "X[A-Z0-9\\-.]{0,8}".prop_map(|s| Atom::new(s).unwrap())
}

fn text() -> impl Strategy<Value = Text<'static>> {
    prop_oneof![
        "[ -~]{0,30}".prop_map(String::from),
        "\\PC{0,10}".prop_map(|s: String| s.replace(['[', '\r', '\n'], "").replace('\0', "")),
    ]
    // Text after a status or `+` cannot start with `[`: that opens a code.
    .prop_filter_map("text", |s| {
        Text::new(s.trim_start_matches('[').to_owned()).ok()
    })
}

fn istring() -> BoxedStrategy<IString<'static>> {
    prop_oneof![
        "[ -~]{0,12}".prop_map(|s| s.into_bytes()),
        prop::collection::vec(1u8..=255, 0..24),
    ]
    .prop_map(|b| IString::new(b).unwrap())
    .boxed()
}

fn nstring() -> BoxedStrategy<NString<'static>> {
    prop::option::of(istring()).prop_map(NString).boxed()
}

fn flag() -> impl Strategy<Value = Flag<'static>> {
    prop_oneof![
        Just(Flag::Seen),
        Just(Flag::Answered),
        Just(Flag::Flagged),
        Just(Flag::Deleted),
        Just(Flag::Draft),
        Just(Flag::Recent),
        "\\$?[A-Za-z]{1,8}".prop_map(|s| Flag::Keyword(Atom::new(s).unwrap())),
        x_atom().prop_map(Flag::Extension),
    ]
}

fn seq_set() -> impl Strategy<Value = SequenceSet> {
    let num = prop_oneof![nz().prop_map(SeqNumber::Value), Just(SeqNumber::Largest)];
    let item = prop_oneof![
        num.clone().prop_map(SeqItem::Number),
        (num.clone(), num).prop_map(|(a, b)| SeqItem::Range(a, b)),
    ];
    prop::collection::vec(item, 1..5).prop_map(|v| SequenceSet::new(v).unwrap())
}

fn capability() -> impl Strategy<Value = Capability<'static>> {
    prop_oneof![
        Just(Capability::Imap4Rev1),
        Just(Capability::Imap4Rev2),
        Just(Capability::StartTls),
        Just(Capability::Idle),
        Just(Capability::LiteralPlus),
        Just(Capability::Utf8Accept),
        "[A-Z0-9\\-]{1,10}".prop_map(|s| Capability::Auth(Atom::new(s).unwrap())),
        x_atom().prop_map(Capability::Other),
    ]
}

fn code() -> impl Strategy<Value = Code<'static>> {
    prop_oneof![
        Just(Code::Alert),
        Just(Code::ReadOnly),
        Just(Code::TryCreate),
        Just(Code::AlreadyExists),
        Just(Code::NonExistent),
        Just(Code::AuthenticationFailed),
        prop::collection::vec("[A-Za-z0-9\\-]{1,8}", 0..3).prop_map(|v| Code::BadCharset(
            v.into_iter()
                .map(|s| AString::try_from(s.as_str()).unwrap().into_owned())
                .collect()
        )),
        prop::collection::vec(capability(), 1..4)
            .prop_map(|v| Code::Capability(NonEmptyVec::new(v).unwrap())),
        prop::collection::vec(
            prop_oneof![flag().prop_map(FlagPerm::Flag), Just(FlagPerm::Wildcard)],
            0..4
        )
        .prop_map(Code::PermanentFlags),
        nz().prop_map(Code::UidNext),
        nz().prop_map(Code::UidValidity),
        nz().prop_map(Code::Unseen),
        (nz(), seq_set()).prop_map(|(uid_validity, uids)| Code::AppendUid { uid_validity, uids }),
        (nz(), seq_set(), seq_set()).prop_map(|(uid_validity, source, dest)| Code::CopyUid {
            uid_validity,
            source,
            dest
        }),
        (0u64..=i64::MAX as u64).prop_map(Code::HighestModSeq),
        seq_set().prop_map(Code::Modified),
        (x_atom(), prop::option::of("[ -\\\\^-~]{1,12}")).prop_map(|(name, t)| Code::Other {
            name,
            text: t.map(|t| CodeText::new(t).unwrap()),
        }),
    ]
}

fn status() -> impl Strategy<Value = StatusResponse<'static>> {
    (
        prop::option::of(tag()),
        0..5usize,
        prop::option::of(code()),
        text(),
    )
        .prop_map(|(tag, k, code, text)| {
            let kinds = [
                StatusKind::Ok,
                StatusKind::No,
                StatusKind::Bad,
                StatusKind::PreAuth,
                StatusKind::Bye,
            ];
            // PREAUTH and BYE are never tagged.
            let kind = if tag.is_some() {
                kinds[k % 3]
            } else {
                kinds[k]
            };
            StatusResponse {
                tag,
                kind,
                code,
                text,
            }
        })
}

fn mailbox() -> impl Strategy<Value = Mailbox<'static>> {
    prop::collection::vec(1u8..=255, 0..16)
        .prop_filter("not INBOX", |b| !b.eq_ignore_ascii_case(b"INBOX"))
        .prop_map(|b| Mailbox::new(b).unwrap())
}

fn address() -> BoxedStrategy<Address<'static>> {
    (nstring(), nstring(), nstring(), nstring())
        .prop_map(|(name, adl, mailbox, host)| Address {
            name,
            adl,
            mailbox,
            host,
        })
        .boxed()
}

fn envelope() -> BoxedStrategy<Envelope<'static>> {
    let addrs = || prop::collection::vec(address(), 0..3);
    (
        (nstring(), nstring(), nstring(), nstring()),
        (addrs(), addrs(), addrs(), addrs(), addrs(), addrs()),
    )
        .prop_map(
            |((date, subject, in_reply_to, message_id), (from, sender, reply_to, to, cc, bcc))| {
                Envelope {
                    date,
                    subject,
                    from,
                    sender,
                    reply_to,
                    to,
                    cc,
                    bcc,
                    in_reply_to,
                    message_id,
                }
            },
        )
        .boxed()
}

fn section() -> impl Strategy<Value = Section<'static>> {
    let names = prop::collection::vec("[A-Za-z\\-]{1,10}", 1..3).prop_map(|v| {
        NonEmptyVec::new(
            v.into_iter()
                .map(|s| AString::try_from(s.as_str()).unwrap().into_owned())
                .collect(),
        )
        .unwrap()
    });
    (
        prop::collection::vec(nz(), 0..3),
        prop::option::of(prop_oneof![
            Just(SectionText::Header),
            Just(SectionText::Text),
            Just(SectionText::Mime),
            (any::<bool>(), names)
                .prop_map(|(not, fields)| SectionText::HeaderFields { not, fields }),
        ]),
    )
        .prop_map(|(part, text)| {
            // MIME only after part numbers.
            let text = match text {
                Some(SectionText::Mime) if part.is_empty() => Some(SectionText::Text),
                t => t,
            };
            Section::new(part, text).unwrap()
        })
}

fn fetch_item() -> impl Strategy<Value = FetchItem<'static>> {
    prop_oneof![
        prop::collection::vec(flag(), 0..4).prop_map(FetchItem::Flags),
        nz().prop_map(FetchItem::Uid),
        (0u64..=i64::MAX as u64).prop_map(FetchItem::Rfc822Size),
        (section(), prop::option::of(any::<u32>()), nstring()).prop_map(
            |(section, origin, data)| FetchItem::BodySection {
                section,
                origin,
                data
            }
        ),
        envelope().prop_map(|e| FetchItem::Envelope(Box::new(e))),
        (1u64..=i64::MAX as u64).prop_map(FetchItem::ModSeq),
        (
            (1u16..=9999, 1u8..=12, 1u8..=31, any::<bool>()),
            (0u8..24, 0u8..60, 0u8..61),
            -5999i16..=5999
        )
            .prop_filter_map("valid zone", |((y, mo, d, sp), hms, z)| {
                let dt = DateTime::new(y, mo, d, hms.0, hms.1, hms.2, z).ok()?;
                // A day of 10 or more has one form: keep the flag's default.
                Some(FetchItem::InternalDate(if d < 10 {
                    dt.with_day_space(sp)
                } else {
                    dt
                }))
            }),
    ]
}

fn params() -> BoxedStrategy<Params<'static>> {
    prop::collection::vec((istring(), istring()), 0..3).boxed()
}

fn ext_disposition() -> BoxedStrategy<Option<ExtDisposition<'static>>> {
    let leaf = prop_oneof![
        nstring().prop_map(BodyExtension::NString),
        (0u64..=i64::MAX as u64).prop_map(BodyExtension::Number),
    ];
    let extension = leaf.prop_recursive(3, 12, 3, |inner| {
        prop::collection::vec(inner, 1..3)
            .prop_map(|v| BodyExtension::List(NonEmptyVec::new(v).unwrap()))
    });
    let loc = prop::option::of(
        (nstring(), prop::collection::vec(extension, 0..3)).prop_map(|(location, extensions)| {
            ExtLocation {
                location,
                extensions,
            }
        }),
    );
    let lang = prop::option::of(
        (prop::collection::vec(istring(), 0..3), loc)
            .prop_map(|(language, more)| ExtLanguage { language, more }),
    );
    prop::option::of(
        (
            prop::option::of(
                (istring(), params()).prop_map(|(kind, params)| Disposition { kind, params }),
            ),
            lang,
        )
            .prop_map(|(disposition, more)| ExtDisposition { disposition, more }),
    )
    .boxed()
}

fn fields() -> BoxedStrategy<BodyFields<'static>> {
    (params(), nstring(), nstring(), istring(), any::<u32>())
        .prop_map(|(params, id, description, encoding, octets)| BodyFields {
            params,
            id,
            description,
            encoding,
            octets,
        })
        .boxed()
}

/// A body structure, with or without extension data. The media type is
/// chosen to match the kind (TEXT for lines, MESSAGE/RFC822 for a
/// message), as the grammar ties them.
fn body() -> BoxedStrategy<Body<'static>> {
    let basic = (
        "[A-Z]{1,8}".prop_filter("not TEXT or MESSAGE", |t| t != "TEXT" && t != "MESSAGE"),
        istring(),
        fields(),
        prop::option::of((nstring(), ext_disposition())),
    )
        .prop_map(|(t, subtype, fields, ext)| Body::Single {
            media_type: IString::try_from(t.as_str()).unwrap().into_owned(),
            subtype,
            fields,
            kind: SingleKind::Basic,
            ext: ext.map(|(md5, more)| SinglePartExt { md5, more }),
        });
    let text = (
        istring(),
        fields(),
        any::<u32>(),
        prop::option::of((nstring(), ext_disposition())),
    )
        .prop_map(|(subtype, fields, lines, ext)| Body::Single {
            media_type: IString::try_from("TEXT").unwrap(),
            subtype,
            fields,
            kind: SingleKind::Text { lines },
            ext: ext.map(|(md5, more)| SinglePartExt { md5, more }),
        });
    prop_oneof![basic, text]
        .prop_recursive(4, 16, 3, |inner| {
            prop_oneof![
                (
                    prop::collection::vec(inner.clone(), 1..4),
                    istring(),
                    prop::option::of((params(), ext_disposition())),
                )
                    .prop_map(|(parts, subtype, ext)| Body::Multipart {
                        parts: NonEmptyVec::new(parts).unwrap(),
                        subtype,
                        ext: ext.map(|(params, more)| MultipartExt { params, more }),
                    }),
                (fields(), envelope(), inner, any::<u32>()).prop_map(|(fields, env, b, lines)| {
                    Body::Single {
                        media_type: IString::try_from("MESSAGE").unwrap(),
                        subtype: IString::try_from("RFC822").unwrap(),
                        fields,
                        kind: SingleKind::Message {
                            envelope: Box::new(env),
                            body: Box::new(b),
                            lines,
                        },
                        ext: None,
                    }
                }),
            ]
        })
        .boxed()
}

fn data() -> impl Strategy<Value = Data<'static>> {
    prop_oneof![
        prop::collection::vec(capability(), 1..6)
            .prop_map(|v| Data::Capability(NonEmptyVec::new(v).unwrap())),
        (
            prop::collection::vec(x_atom().prop_map(Flag::Extension), 0..3),
            prop::option::of(prop::char::range('\u{1}', '\u{7f}')).prop_filter_map(
                "delimiter",
                |c| match c {
                    None => Some(None),
                    Some(c) => Delimiter::new(c).ok().map(Some),
                }
            ),
            mailbox(),
            any::<bool>(),
        )
            .prop_map(|(attributes, delimiter, mailbox, lsub)| {
                let l = ListData {
                    attributes,
                    delimiter,
                    mailbox,
                    extended: Vec::new(),
                };
                if lsub { Data::Lsub(l) } else { Data::List(l) }
            }),
        (
            mailbox(),
            prop::collection::vec(
                prop_oneof![
                    any::<u32>().prop_map(StatusValue::Messages),
                    any::<u32>().prop_map(StatusValue::UidNext),
                    any::<u32>().prop_map(StatusValue::Unseen),
                    (0u64..=i64::MAX as u64).prop_map(StatusValue::Size),
                ],
                0..4
            )
        )
            .prop_map(|(mailbox, items)| Data::Status { mailbox, items }),
        (
            prop::collection::vec(nz(), 0..6),
            prop::option::of(0u64..=i64::MAX as u64)
        )
            .prop_map(|(ids, modseq)| Data::Search { ids, modseq }),
        prop::collection::vec(flag(), 0..6).prop_map(Data::Flags),
        any::<u32>().prop_map(Data::Exists),
        any::<u32>().prop_map(Data::Recent),
        nz().prop_map(Data::Expunge),
        (nz(), prop::collection::vec(fetch_item(), 1..5)).prop_map(|(seq, items)| Data::Fetch {
            seq,
            items: NonEmptyVec::new(items).unwrap()
        }),
    ]
}

fn response() -> impl Strategy<Value = Response<'static>> {
    prop_oneof![
        status().prop_map(Response::Status),
        data().prop_map(Response::Data),
        (prop::option::of(code()), text())
            .prop_map(|(code, text)| Response::Continue(ContinueRequest { code, text })),
    ]
}

fn opts() -> ResponseOptions {
    ResponseOptions {
        utf8_accept: true,
        ..ResponseOptions::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parse_encode_roundtrip(r in response()) {
        let bytes = encode(&r);
        let back = Response::parse_with(&bytes, opts());
        prop_assert!(back.is_ok(), "{:?}: {:?}", String::from_utf8_lossy(&bytes), back);
        prop_assert_eq!(back.unwrap(), r.clone());
        // into_owned keeps the value.
        prop_assert_eq!(Response::parse_with(&bytes, opts()).unwrap().into_owned(), r);
    }

    #[test]
    fn text_never_ends_like_a_literal(s in "[ -~]{0,8}\\{[0-9]{1,3}\\+?\\}") {
        prop_assert!(Text::new(s).is_err());
    }

    #[test]
    fn body_structure_roundtrip(b in body(), structure in any::<bool>(), seq in nz()) {
        let item = if structure {
            FetchItem::BodyStructure(Box::new(b))
        } else {
            FetchItem::Body(Box::new(b))
        };
        let r = Response::Data(Data::Fetch { seq, items: NonEmptyVec::one(item) });
        let bytes = encode(&r);
        let back = Response::parse_with(&bytes, opts());
        prop_assert!(back.is_ok(), "{:?}: {:?}", String::from_utf8_lossy(&bytes), back);
        prop_assert_eq!(back.unwrap(), r);
    }

    #[test]
    fn never_panics_on_bytes(b in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = Response::parse(&b);
        let _ = parse_fetch_head(&b, ResponseOptions::default());
        let _ = parse_fetch_rest(&b, ResponseOptions::default());
    }

    #[test]
    fn never_panics_on_near_misses(r in response(), cut in any::<prop::sample::Index>(), flip in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut b = encode(&r);
        let i = flip.index(b.len());
        b[i] = byte;
        let _ = Response::parse(&b);
        b.truncate(cut.index(b.len() + 1));
        let parsed = Response::parse(&b);
        // A truncated message either fails or was complete already.
        if let Ok(p) = parsed {
            prop_assert!(b.ends_with(b"\r\n"), "{:?}", p);
        }
    }

    #[test]
    fn errors_point_inside_the_input(b in "[*+a-z0-9 ()\\[\\]\"{}\\\\]{0,60}\r\n") {
        if let Err(ResponseError::Syntax(e)) = Response::parse(b.as_bytes()) {
            prop_assert!(e.offset <= b.len());
        }
    }
}
