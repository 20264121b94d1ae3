//! Property tests: strategies for every command type, `parse(encode(x)) ==
//! x`, and no panic (plus re-encode stability) on arbitrary input.

// Helpers outside #[test] functions are not covered by clippy.toml's
// allow-*-in-tests settings; this whole file is test code.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::borrow::Cow;
use std::net::{Ipv4Addr, Ipv6Addr};

use mail_wire::Status;
use mail_wire::sasl::Mechanism;
use proptest::prelude::*;
use smtp_proto::{
    AddressLiteral, AuthParam, Body, ByMode, Command, CommandOptions, DateTime, DeliverBy, Domain,
    EtrnTarget, ForwardPath, GeneralLiteral, Hold, HoldFor, Host, InitialResponse, LocalPart,
    MailExtras, MailParameters, Mailbox, MtPriority, Notify, Orcpt, Parameter, Path, QueueName,
    RcptExtras, RcptParameters, Ret, ReversePath, Rrvs, RrvsAction, Text, Verb, XText,
    parse_command,
};

fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[a-zA-Z0-9]([a-zA-Z0-9-]{0,12}[a-zA-Z0-9])?",
        1 => "xn--[a-z0-9]{1,10}",
        1 => "[a-z]{0,3}[éüß例子]{1,3}[a-z0-9]{0,3}",
    ]
}

fn domain() -> impl Strategy<Value = Domain<'static>> {
    prop::collection::vec(label(), 1..5).prop_map(|l| Domain::new(l.join(".")).unwrap())
}

fn literal() -> impl Strategy<Value = AddressLiteral<'static>> {
    prop_oneof![
        any::<u32>().prop_map(|a| AddressLiteral::Ipv4(Ipv4Addr::from(a))),
        any::<u128>().prop_map(|a| AddressLiteral::Ipv6(Ipv6Addr::from(a))),
        // Mostly-zero addresses exercise "::" compression.
        (any::<u16>(), 0usize..8).prop_map(|(g, i)| {
            let mut s = [0u16; 8];
            s[i] = g;
            AddressLiteral::Ipv6(Ipv6Addr::from(s))
        }),
        ("[a-zA-Z0-9][a-zA-Z0-9-]{0,6}[a-zA-Z0-9]", "[!-Z^-~]{1,12}")
            .prop_filter_map("IPv6 tag", |(t, c)| GeneralLiteral::new(t, c).ok())
            .prop_map(|g| AddressLiteral::General(Box::new(g))),
    ]
}

fn host() -> impl Strategy<Value = Host<'static>> {
    prop_oneof![
        3 => domain().prop_map(Host::Domain),
        1 => literal().prop_map(Host::Literal),
    ]
}

fn local_part() -> impl Strategy<Value = LocalPart<'static>> {
    prop_oneof![
        "[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]{1,10}(\\.[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]{1,10}){0,3}"
            .prop_map(|s| LocalPart::new(s).unwrap()),
        "[ -~]{0,20}".prop_map(|s| LocalPart::from_unquoted(&s).unwrap().into_owned()),
        "[a-z]{1,5}[ñø用户]{1,4}".prop_map(|s| LocalPart::new(s).unwrap()),
    ]
}

fn mailbox() -> impl Strategy<Value = Mailbox<'static>> {
    (local_part(), host()).prop_filter_map("too long", |(l, h)| Mailbox::from_parts(l, h).ok())
}

fn path() -> impl Strategy<Value = Path<'static>> {
    prop_oneof![
        4 => mailbox().prop_map(Path::new),
        1 => (prop::collection::vec(domain(), 1..3), mailbox())
            .prop_filter_map("too long", |(r, m)| Path::with_source_route(r, m).ok()),
    ]
}

fn reverse_path() -> impl Strategy<Value = ReversePath<'static>> {
    prop_oneof![
        1 => Just(ReversePath::null()),
        4 => path().prop_map(ReversePath::Path),
    ]
}

fn forward_path() -> impl Strategy<Value = ForwardPath<'static>> {
    prop_oneof![
        1 => Just(ForwardPath::Postmaster),
        4 => path().prop_map(ForwardPath::Path),
    ]
}

fn xtext() -> impl Strategy<Value = XText<'static>> {
    "[ -~éü€]{1,16}".prop_map(|s| XText::new(s).unwrap())
}

fn date_time(utc: bool, fraction: bool) -> impl Strategy<Value = DateTime<'static>> {
    let offset = if utc {
        prop_oneof![
            Just("Z".to_owned()),
            Just("z".to_owned()),
            Just("+00:00".to_owned())
        ]
        .boxed()
    } else {
        prop_oneof![
            Just("Z".to_owned()),
            (prop_oneof![Just('+'), Just('-')], 0u32..24, 0u32..60)
                .prop_map(|(s, h, m)| format!("{s}{h:02}:{m:02}")),
        ]
        .boxed()
    };
    let frac = if fraction {
        prop::option::of("[0-9]{1,6}").boxed()
    } else {
        Just(None).boxed()
    };
    (
        1000u32..10000,
        1u32..13,
        1u32..29,
        0u32..24,
        0u32..60,
        0u32..61,
        frac,
        offset,
    )
        .prop_map(|(y, mo, d, h, mi, s, f, o)| {
            let f = f.map(|f| format!(".{f}")).unwrap_or_default();
            DateTime::new(format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{f}{o}")).unwrap()
        })
}

fn known_keyword(k: &str) -> bool {
    [
        "SIZE",
        "BODY",
        "SMTPUTF8",
        "RET",
        "ENVID",
        "AUTH",
        "REQUIRETLS",
        "MT-PRIORITY",
        "HOLDFOR",
        "HOLDUNTIL",
        "BY",
        "NOTIFY",
        "ORCPT",
        "RRVS",
    ]
    .iter()
    .any(|n| n.eq_ignore_ascii_case(k))
}

fn others() -> impl Strategy<Value = Vec<Parameter<'static>>> {
    prop::collection::vec(
        (
            "[a-zA-Z0-9][a-zA-Z0-9-]{0,8}",
            prop::option::of("[!-<>-~ä]{1,10}"),
        ),
        0..4,
    )
    .prop_map(|ps| {
        let mut out: Vec<Parameter<'static>> = Vec::new();
        for (k, v) in ps {
            if known_keyword(&k) || out.iter().any(|p| p.keyword().eq_ignore_ascii_case(&k)) {
                continue;
            }
            out.push(Parameter::new(k, v.map(Cow::Owned)).unwrap());
        }
        out
    })
}

fn mail_params() -> impl Strategy<Value = MailParameters<'static>> {
    let hold = prop_oneof![
        (1u32..=HoldFor::MAX).prop_map(|s| Hold::For(HoldFor::new(s).unwrap())),
        date_time(true, true).prop_map(|t| Hold::until(t).unwrap()),
    ];
    let by = (-999_999_999i32..=999_999_999, any::<bool>(), any::<bool>()).prop_map(|(s, r, t)| {
        let mode = if r && s > 0 {
            ByMode::Return
        } else {
            ByMode::Notify
        };
        DeliverBy::new(s, mode, t).unwrap()
    });
    let auth = prop_oneof![
        Just(AuthParam::Unknown),
        Just(AuthParam::Mailbox(XText::new("<>").unwrap())),
        xtext().prop_map(AuthParam::Mailbox),
    ];
    (
        (
            prop::option::of(any::<u64>()),
            prop::option::of(prop_oneof![
                Just(Body::SevenBit),
                Just(Body::EightBitMime),
                Just(Body::BinaryMime)
            ]),
            any::<bool>(),
            prop::option::of(prop_oneof![Just(Ret::Full), Just(Ret::Hdrs)]),
            prop::option::of(xtext()),
            prop::option::of(auth),
        ),
        (
            any::<bool>(),
            prop::option::of((-9i8..=9).prop_map(|p| MtPriority::new(p).unwrap())),
            prop::option::of(hold),
            prop::option::of(by),
            others(),
        ),
    )
        .prop_map(
            |(
                (size, body, smtputf8, ret, envid, auth),
                (requiretls, mt_priority, hold, by, other),
            )| {
                let extras = MailExtras {
                    ret,
                    envid,
                    auth,
                    mt_priority,
                    hold,
                    by,
                    other,
                };
                MailParameters {
                    size,
                    body,
                    smtputf8,
                    requiretls,
                    // An empty box equals `None`; both forms are exercised.
                    extras: (!extras.is_empty() || smtputf8).then(|| Box::new(extras)),
                }
            },
        )
}

fn rcpt_params() -> impl Strategy<Value = RcptParameters<'static>> {
    let notify = prop_oneof![
        Just(Notify::never()),
        (any::<bool>(), any::<bool>(), any::<bool>())
            .prop_filter_map("empty", |(s, f, d)| Notify::on(s, f, d)),
    ];
    let orcpt = ("[a-zA-Z0-9!#$%&'*+/?^_`{|}~-]{1,8}", xtext())
        .prop_map(|(t, x)| Orcpt::new(t, x).unwrap());
    let action = prop::option::of(prop_oneof![
        Just(RrvsAction::Reject),
        Just(RrvsAction::Continue)
    ]);
    let rrvs = (date_time(false, false), action).prop_map(|(t, a)| Rrvs::new(t, a).unwrap());
    (
        prop::option::of(notify),
        prop::option::of(orcpt),
        prop::option::of(rrvs),
        others(),
    )
        .prop_map(|(notify, orcpt, rrvs, other)| {
            let extras = RcptExtras { rrvs, other };
            RcptParameters {
                notify,
                orcpt,
                extras: (!extras.is_empty()).then(|| Box::new(extras)),
            }
        })
}

fn text() -> impl Strategy<Value = Text<'static>> {
    "[ -~]{0,20}[!-~é用]".prop_map(|s| Text::new(s).unwrap())
}

fn mechanism() -> impl Strategy<Value = Mechanism<'static>> {
    "[A-Za-z0-9_-]{1,20}".prop_map(|s| Mechanism::parse(s.as_bytes()).unwrap().into_owned())
}

fn command() -> impl Strategy<Value = Command<'static>> {
    prop_oneof![
        1 => host().prop_map(|host| Command::Helo { host }),
        1 => host().prop_map(|host| Command::Ehlo { host }),
        1 => host().prop_map(|host| Command::Lhlo { host }),
        4 => (reverse_path(), mail_params()).prop_map(|(from, params)| Command::Mail { from, params }),
        4 => (forward_path(), rcpt_params()).prop_map(|(to, params)| Command::Rcpt { to, params }),
        1 => Just(Command::Data),
        1 => (any::<u64>(), any::<bool>()).prop_map(|(size, last)| Command::Bdat { size, last }),
        1 => Just(Command::Rset),
        1 => text().prop_map(|arg| Command::Vrfy { arg }),
        1 => text().prop_map(|arg| Command::Expn { arg }),
        1 => prop::option::of(text()).prop_map(|arg| Command::Help { arg }),
        1 => prop::option::of(text()).prop_map(|arg| Command::Noop { arg }),
        1 => Just(Command::Quit),
        1 => Just(Command::StartTls),
        1 => (mechanism(), prop::option::of(prop::collection::vec(any::<u8>(), 0..40))).prop_map(
            |(mechanism, ir)| Command::Auth {
                mechanism,
                initial_response: ir.map(|d| InitialResponse::from_bytes(&d)),
            }
        ),
        1 => prop_oneof![
            domain().prop_map(EtrnTarget::Domain),
            domain().prop_map(EtrnTarget::Subdomains),
            "[!-~]{1,12}".prop_map(|q| EtrnTarget::Queue(QueueName::new(q).unwrap())),
        ]
        .prop_map(|target| Command::Etrn { target }),
        1 => ("[a-zA-Z0-9-]{1,10}", prop::option::of(text())).prop_filter_map("known verb", |(v, args)| {
            Verb::new(v).ok().map(|verb| Command::Unknown { verb, args })
        }),
    ]
}

/// Fragments that steer random input into the grammar's corners.
fn soup() -> impl Strategy<Value = Vec<u8>> {
    const TOKENS: &[&[u8]] = &[
        b"MAIL FROM:",
        b"RCPT TO:",
        b"EHLO ",
        b"BDAT ",
        b"AUTH ",
        b"ETRN ",
        b"<",
        b">",
        b"@",
        b"\"",
        b"\\",
        b"[",
        b"]",
        b"IPv6:",
        b"::",
        b":",
        b".",
        b",",
        b";",
        b" ",
        b"=",
        b"+",
        b"+2B",
        b"-",
        b"a",
        b"9",
        b"99999999999999999999",
        b"SIZE=",
        b"NOTIFY=",
        b"NEVER",
        b"ORCPT=rfc822;",
        b"BY=",
        b"HOLDUNTIL=",
        b"2030-01-01T00:00:00Z",
        b"\r",
        b"\n",
        b"\0",
        b"\xc3",
        b"\xc3\xa9",
        b"postmaster",
    ];
    let token = prop::sample::select(TOKENS);
    prop::collection::vec(token, 0..30).prop_map(|ts| ts.concat())
}

fn encoded(cmd: &Command<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    cmd.encode(&mut out);
    out
}

/// Whatever parses must encode to something that parses to the same value.
fn check_stable(input: &[u8], opts: &CommandOptions) {
    if let Ok(cmd) = Command::parse_with(input, opts) {
        let wire = encoded(&cmd);
        let again = Command::parse(&wire[..wire.len() - 2]).unwrap_or_else(|e| {
            panic!(
                "{:?} -> {:?}: {e}",
                String::from_utf8_lossy(input),
                String::from_utf8_lossy(&wire)
            )
        });
        assert_eq!(again, cmd);
    }
}

proptest! {
    // PROPTEST_CASES overrides the case count for longer local runs.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2000),
        ..ProptestConfig::default()
    })]

    #[test]
    fn parse_of_encode_is_identity(cmd in command()) {
        let wire = encoded(&cmd);
        prop_assert!(wire.ends_with(b"\r\n"));
        let line = &wire[..wire.len() - 2];
        prop_assert!(!line.contains(&b'\r') && !line.contains(&b'\n') && !line.contains(&0));
        let shown = cmd.to_string();
        prop_assert_eq!(shown.as_bytes(), line);
        let parsed = Command::parse_with(line, &CommandOptions { max_line_len: 4096, ..Default::default() });
        prop_assert_eq!(parsed.as_ref(), Ok(&cmd), "{}", String::from_utf8_lossy(line));
        if wire.len() <= smtp_proto::parse::DEFAULT_MAX_LINE_LEN {
            prop_assert_eq!(parse_command(&wire), Ok(Status::Complete(cmd.clone(), wire.len())));
        }
        prop_assert_eq!(cmd.clone().into_owned(), cmd);
    }

    #[test]
    fn pipelined_commands_frame_one_by_one(cmds in prop::collection::vec(command(), 1..6)) {
        let opts = CommandOptions { max_line_len: 4096, ..Default::default() };
        let buf: Vec<u8> = cmds.iter().flat_map(encoded).collect();
        let mut at = 0;
        for cmd in &cmds {
            // Every strict prefix of the next line is Incomplete.
            let line_end = at + encoded(cmd).len();
            let cut = at + (line_end - at) / 2;
            prop_assert_eq!(smtp_proto::parse_command_with(&buf[at..cut], &opts), Ok(Status::Incomplete));
            match smtp_proto::parse_command_with(&buf[at..], &opts) {
                Ok(Status::Complete(got, n)) => {
                    prop_assert_eq!(&got, cmd);
                    at += n;
                }
                other => prop_assert!(false, "{:?}", other),
            }
        }
        prop_assert_eq!(at, buf.len());
    }

    #[test]
    fn arbitrary_bytes_never_panic(input in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = parse_command(&input);
        check_stable(&input, &CommandOptions::default());
        check_stable(&input, &CommandOptions::lenient());
    }

    #[test]
    fn grammar_soup_never_panics(input in soup()) {
        let _ = parse_command(&input);
        check_stable(&input, &CommandOptions::default());
        check_stable(&input, &CommandOptions::lenient());
    }

    #[test]
    fn mutated_commands_never_panic(cmd in command(), pos in any::<prop::sample::Index>(), byte in any::<u8>(), del in any::<bool>()) {
        let mut wire = encoded(&cmd);
        wire.truncate(wire.len() - 2);
        let i = pos.index(wire.len().max(1)).min(wire.len());
        if del && i < wire.len() { wire.remove(i); } else { wire.insert(i, byte); }
        check_stable(&wire, &CommandOptions::default());
        check_stable(&wire, &CommandOptions::lenient());
    }

    #[test]
    fn local_part_quoting_round_trips(t in "[ -~ñ]{0,40}") {
        if let Ok(lp) = LocalPart::from_unquoted(&t) {
            prop_assert_eq!(lp.unquoted(), t.as_str());
            prop_assert_eq!(LocalPart::new(lp.as_str()).unwrap(), lp.clone());
        } else {
            // Only the 64-octet limit can refuse printable text.
            prop_assert!(t.len() > 40 || t.len() + 2 > 64 || t.bytes().filter(|&c| c == b'"' || c == b'\\').count() + t.len() + 2 > 64);
        }
    }

    #[test]
    fn xtext_round_trips_any_text(s in "[^\u{0}-\u{1f}\u{7f}]{1,40}") {
        let x = XText::new(s.as_str()).unwrap();
        let wire = x.to_string();
        prop_assert!(wire.bytes().all(|c| (33..=126).contains(&c) && c != b'='));
        prop_assert_eq!(XText::parse(&wire).unwrap(), x);
    }

    #[test]
    fn xtext_octet_helpers_round_trip(data in prop::collection::vec(any::<u8>(), 0..64)) {
        let mut wire = Vec::new();
        smtp_proto::types::xtext::encode(&data, &mut wire);
        let decoded = smtp_proto::types::xtext::decode(&wire).unwrap();
        prop_assert_eq!(decoded.as_ref(), &data[..]);
    }

    #[test]
    fn initial_response_decodes_what_was_encoded(data in prop::collection::vec(any::<u8>(), 0..100)) {
        let ir = InitialResponse::from_bytes(&data);
        let reparsed = InitialResponse::parse(ir.as_str()).unwrap();
        prop_assert_eq!(reparsed.decode().unwrap(), data);
    }
}
