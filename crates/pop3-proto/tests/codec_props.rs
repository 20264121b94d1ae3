//! Properties: every command, response, capability and listing reads back
//! equal after encoding (`parse(encode(x)) == x`); whatever parses encodes
//! to something that parses to the same value; `parse_command` and
//! `MultiLineReader` give the same results however their input is split
//! into chunks; and no parser panics on arbitrary bytes.

// Helpers and strategies outside #[test] functions are not covered by
// clippy.toml's allow-*-in-tests settings; this whole file is test code.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::borrow::Cow;

use mail_wire::Status as Progress;
use mail_wire::line::LineErrorKind;
use mail_wire::sasl::Mechanism;
use pop3_proto::parse::skip_line;
use pop3_proto::{
    ApopDigest, Arg, Base64, Capabilities, Capability, Command, ExpirePolicy, LangTag, Limits,
    MsgNum, MultiLine, MultiLineReader, Response, ResponseCode, ResponseError, ScanListing, Secret,
    Stat, Status, StatusLine, Text, Uid, UidListing, encode_end, encode_multiline_line,
    parse_command,
};
use proptest::prelude::*;

// ----- strategies --------------------------------------------------------------

fn msg_num() -> impl Strategy<Value = MsgNum> {
    prop_oneof![1u32..=10, 1u32..=u32::MAX, Just(u32::MAX)].prop_map(|n| MsgNum::new(n).unwrap())
}

fn arg() -> impl Strategy<Value = Arg<'static>> {
    prop_oneof!["[!-~]{1,40}", "[a-z\u{e9}\u{4e2d}]{1,13}",].prop_map(|s| Arg::new(s).unwrap())
}

/// Bytes that may appear in text: anything but CR, LF and NUL.
fn text_bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        prop_oneof![
            4 => 0x20u8..0x7f,
            1 => any::<u8>().prop_filter("no CR, LF, NUL", |b| !matches!(b, b'\r' | b'\n' | 0)),
        ],
        0..max,
    )
}

fn text(max: usize) -> impl Strategy<Value = Text<'static>> {
    text_bytes(max).prop_map(|b| Text::new(b).unwrap())
}

fn secret() -> impl Strategy<Value = Secret<'static>> {
    text_bytes(248)
        .prop_filter("not empty", |b| !b.is_empty())
        .prop_map(|b| Secret::new(b).unwrap())
}

fn mechanism() -> impl Strategy<Value = Mechanism<'static>> {
    prop_oneof![
        Just(Mechanism::Plain),
        Just(Mechanism::Login),
        Just(Mechanism::XOAuth2),
        Just(Mechanism::OAuthBearer),
        "[A-Za-z0-9_-]{1,20}".prop_map(|s| Mechanism::parse(s.as_bytes()).unwrap().into_owned()),
    ]
}

fn base64(min: usize) -> impl Strategy<Value = Base64<'static>> {
    proptest::string::string_regex(&format!("[A-Za-z0-9+/=]{{{min},120}}"))
        .unwrap()
        .prop_map(|s| Base64::new(s).unwrap())
}

fn lang_tag() -> impl Strategy<Value = LangTag<'static>> {
    prop_oneof![Just("*".to_string()), "[A-Za-z0-9-]{1,40}"].prop_map(|s| LangTag::new(s).unwrap())
}

fn unknown_command() -> impl Strategy<Value = Command<'static>> {
    ("[!-~]{1,40}", text_bytes(60)).prop_filter_map("a known verb", |(v, args)| {
        Command::unknown(Arg::new(v).unwrap(), args).ok()
    })
}

fn command() -> impl Strategy<Value = Command<'static>> {
    prop_oneof![
        arg().prop_map(Command::User),
        secret().prop_map(Command::Pass),
        (arg(), any::<[u8; 16]>()).prop_map(|(name, d)| Command::Apop {
            name,
            digest: ApopDigest(d)
        }),
        (mechanism(), proptest::option::of(base64(1))).prop_map(|(mechanism, initial_response)| {
            Command::Auth {
                mechanism,
                initial_response,
            }
        }),
        Just(Command::AuthList),
        Just(Command::Stls),
        Just(Command::Capa),
        Just(Command::Stat),
        proptest::option::of(msg_num()).prop_map(Command::List),
        proptest::option::of(msg_num()).prop_map(Command::Uidl),
        msg_num().prop_map(Command::Retr),
        (msg_num(), any::<u32>()).prop_map(|(msg, lines)| Command::Top { msg, lines }),
        msg_num().prop_map(Command::Dele),
        Just(Command::Noop),
        Just(Command::Rset),
        Just(Command::Quit),
        Just(Command::Utf8),
        proptest::option::of(lang_tag()).prop_map(Command::Lang),
        unknown_command(),
    ]
}

fn response_code() -> impl Strategy<Value = ResponseCode<'static>> {
    prop_oneof![
        Just(ResponseCode::InUse),
        Just(ResponseCode::LoginDelay),
        Just(ResponseCode::SysTemp),
        Just(ResponseCode::SysPerm),
        Just(ResponseCode::Auth),
        Just(ResponseCode::Utf8),
        "[!-.0-\\\\^-~]{1,10}(/[!-.0-\\\\^-~]{1,10}){0,3}"
            .prop_map(|s| ResponseCode::new(s).unwrap()),
    ]
}

fn status_line() -> impl Strategy<Value = StatusLine<'static>> {
    (
        prop_oneof![Just(Status::Ok), Just(Status::Err)],
        proptest::option::of(response_code()),
        text(120),
    )
        .prop_filter_map("text opening with [ needs a code", |(s, c, t)| {
            StatusLine::new(s, c, t).ok()
        })
}

fn response() -> impl Strategy<Value = Response<'static>> {
    prop_oneof![
        4 => status_line().prop_map(Response::Status),
        1 => base64(0).prop_map(Response::Continue),
    ]
}

fn uid() -> impl Strategy<Value = Uid<'static>> {
    "[!-~]{1,70}".prop_map(|s| Uid::new(s).unwrap())
}

fn capability() -> impl Strategy<Value = Capability<'static>> {
    prop_oneof![
        Just(Capability::Top),
        Just(Capability::User),
        proptest::collection::vec(mechanism(), 0..5).prop_map(Capability::Sasl),
        Just(Capability::RespCodes),
        (any::<u32>(), any::<bool>())
            .prop_map(|(seconds, per_user)| Capability::LoginDelay { seconds, per_user }),
        Just(Capability::Pipelining),
        (
            prop_oneof![
                Just(ExpirePolicy::Never),
                any::<u32>().prop_map(ExpirePolicy::Days)
            ],
            any::<bool>()
        )
            .prop_map(|(policy, per_user)| Capability::Expire { policy, per_user }),
        Just(Capability::Uidl),
        text(100).prop_map(Capability::Implementation),
        Just(Capability::Stls),
        Just(Capability::AuthRespCode),
        any::<bool>().prop_map(|user| Capability::Utf8 { user }),
        Just(Capability::Lang),
        ("[!-\\-/-~]{1,40}", text(100)).prop_filter_map("a known tag", |(t, p)| {
            Capability::other(Arg::new(t).unwrap(), p).ok()
        }),
    ]
}

// ----- drivers -----------------------------------------------------------------

type CmdResult = Result<Command<'static>, String>;

/// A server's read loop over `parse_command`, fed `chunk` bytes at a time.
fn run_commands(input: &[u8], chunk: usize, limits: &Limits) -> Vec<CmdResult> {
    let mut buf: Vec<u8> = Vec::new();
    let mut out = Vec::new();
    let mut fed = 0;
    let mut skipping = false;
    loop {
        loop {
            if skipping {
                match skip_line(&buf) {
                    Some(k) => {
                        buf.drain(..k);
                        skipping = false;
                    }
                    None => {
                        buf.clear();
                        break;
                    }
                }
            }
            match parse_command(&buf, limits) {
                Ok(Progress::Complete(c, used)) => {
                    out.push(Ok(c.into_owned()));
                    buf.drain(..used);
                }
                Ok(Progress::Incomplete) => break,
                Err(e) => {
                    assert!(e.consumed > 0 && e.consumed <= buf.len());
                    out.push(Err(e.kind.to_string()));
                    buf.drain(..e.consumed);
                    skipping = !e.line_ended;
                }
            }
        }
        // Memory stays bounded by the line limit plus one chunk.
        assert!(buf.len() < limits.sasl.max_encoded_len + 64 + chunk);
        if fed == input.len() {
            return out;
        }
        let k = chunk.min(input.len() - fed);
        buf.extend_from_slice(&input[fed..fed + k]);
        fed += k;
    }
}

type LineResult = Result<Option<Vec<u8>>, String>;

/// A client's read loop over `MultiLineReader`, fed `chunk` bytes at a time.
fn run_multiline(input: &[u8], chunk: usize, limits: &Limits) -> Vec<LineResult> {
    let mut r = MultiLineReader::new(limits).limit_lines(20);
    let mut buf: Vec<u8> = Vec::new();
    let mut out = Vec::new();
    let mut fed = 0;
    loop {
        loop {
            match r.poll(&buf) {
                Ok(Progress::Complete(MultiLine::Line(l), used)) => {
                    out.push(Ok(Some(l.to_vec())));
                    buf.drain(..used);
                }
                Ok(Progress::Complete(MultiLine::End, used)) => {
                    out.push(Ok(None));
                    buf.drain(..used);
                }
                Ok(Progress::Incomplete) => break,
                Err(e) => {
                    out.push(Err(match &e {
                        ResponseError::Line(l) => match l.kind {
                            LineErrorKind::TooLong { max, .. } => format!("too long {max}"),
                            k => format!("{k:?}"),
                        },
                        other => other.to_string(),
                    }));
                    buf.drain(..e.consumed());
                    if r.has_failed() {
                        return out;
                    }
                }
            }
        }
        if fed == input.len() {
            return out;
        }
        let k = chunk.min(input.len() - fed);
        buf.extend_from_slice(&input[fed..fed + k]);
        fed += k;
    }
}

/// Wire-ish bytes: pieces of commands and responses, line ends, stray CR,
/// LF, NUL, dots and long runs.
fn wire_bytes() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        prop_oneof![
            Just(b"\r\n".to_vec()),
            Just(b"\n".to_vec()),
            Just(b"\r".to_vec()),
            Just(b".".to_vec()),
            Just(b" ".to_vec()),
            Just(b"\0".to_vec()),
            Just(b"STAT".to_vec()),
            Just(b"RETR 1".to_vec()),
            Just(b"AUTH PLAIN ".to_vec()),
            Just(b"USER a".to_vec()),
            Just(b"PASS x y".to_vec()),
            Just(b"+OK ".to_vec()),
            Just(b"SASL PLAIN".to_vec()),
            Just(vec![b'A'; 100]),
            "[a-z0-9 ]{0,10}".prop_map(String::into_bytes),
        ],
        0..40,
    )
    .prop_map(|v| v.concat())
}

fn small_limits() -> Limits {
    Limits {
        max_command_len: 40,
        max_response_len: 30,
        max_capabilities: 20,
        sasl: mail_wire::sasl::SaslLimits {
            max_encoded_len: 120,
        },
    }
}

// ----- properties --------------------------------------------------------------

/// The line of an encoding, without its CRLF.
fn line(mut v: Vec<u8>) -> Vec<u8> {
    assert!(v.ends_with(b"\r\n"));
    v.truncate(v.len() - 2);
    assert!(!v.contains(&b'\r') && !v.contains(&b'\n') && !v.contains(&0));
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn command_roundtrip(c in command()) {
        let wire = c.to_vec();
        prop_assert_eq!(wire.len(), c.encoded_len());
        let l = line(wire.clone());
        prop_assert_eq!(&Command::parse(&l).unwrap(), &c);
        // And through the framing parser, when within the limits.
        let limits = Limits::default();
        if wire.len() <= limits.max_command_len {
            prop_assert_eq!(parse_command(&wire, &limits).unwrap(), Progress::Complete(c.clone(), wire.len()));
        }
    }

    #[test]
    fn empty_initial_response_is_written_as_equals(m in mechanism()) {
        let c = Command::Auth { mechanism: m.clone(), initial_response: Some(Base64::new("").unwrap()) };
        let back = Command::parse(&line(c.to_vec())).unwrap().into_owned();
        prop_assert_eq!(back, Command::Auth { mechanism: m, initial_response: Some(Base64::new("=").unwrap()) });
    }

    #[test]
    fn response_roundtrip(r in response()) {
        let l = line(r.to_vec());
        prop_assert_eq!(&Response::parse(&l).unwrap(), &r);
        if let Response::Status(s) = &r {
            prop_assert_eq!(&StatusLine::parse(&l).unwrap(), s);
        }
    }

    #[test]
    fn stat_and_listing_roundtrip(count in any::<u32>(), size in any::<u64>(), m in msg_num(), u in uid()) {
        let stat = Stat { count, size };
        let l = line(StatusLine::stat(stat).to_vec());
        let s = StatusLine::parse(&l).unwrap();
        prop_assert_eq!(Stat::from_status(&s).unwrap(), stat);
        let scan = ScanListing { msg: m, size };
        let mut v = Vec::new();
        scan.encode(&mut v);
        prop_assert_eq!(ScanListing::parse(&line(v)).unwrap(), scan);
        let l = line(StatusLine::scan(scan).to_vec());
        let s = StatusLine::parse(&l).unwrap();
        prop_assert_eq!(ScanListing::parse(s.text.as_bytes()).unwrap(), scan);
        let ul = UidListing { msg: m, uid: u };
        let mut v = Vec::new();
        ul.encode(&mut v);
        let l = line(v);
        prop_assert_eq!(&UidListing::parse(&l).unwrap(), &ul);
        let s = StatusLine::uid(&ul);
        prop_assert_eq!(&UidListing::parse(s.text.as_bytes()).unwrap(), &ul);
    }

    #[test]
    fn capability_roundtrip(c in capability()) {
        let mut v = Vec::new();
        c.encode(&mut v);
        let l = line(v);
        prop_assert_eq!(&Capability::parse(&l).unwrap(), &c);
    }

    #[test]
    fn capabilities_roundtrip_through_the_reader(
        caps in proptest::collection::vec(capability(), 0..10),
        chunk in 1usize..64,
    ) {
        let caps = Capabilities(caps);
        let mut wire = Vec::new();
        caps.encode(&mut wire);
        let limits = Limits { max_response_len: 1024, ..Limits::default() };
        let got = run_multiline(&wire, chunk, &limits);
        prop_assert_eq!(got.last(), Some(&Ok(None)));
        let parsed: Vec<_> = got[..got.len() - 1]
            .iter()
            .map(|l| Capability::parse(l.as_ref().unwrap().as_ref().unwrap()).unwrap().into_owned())
            .collect();
        prop_assert_eq!(parsed, caps.0);
    }

    #[test]
    fn multiline_encoding_roundtrip(lines in proptest::collection::vec(text(40), 0..10), chunk in 1usize..32) {
        let mut wire = Vec::new();
        for l in &lines {
            encode_multiline_line(l, &mut wire);
        }
        encode_end(&mut wire);
        let mut expect: Vec<LineResult> = lines.iter().map(|l| Ok(Some(l.as_bytes().to_vec()))).collect();
        expect.push(Ok(None));
        let limits = Limits::default();
        prop_assert_eq!(run_multiline(&wire, chunk, &limits), expect);
    }

    #[test]
    fn parse_command_is_chunk_split_invariant(input in wire_bytes(), chunk in 1usize..50) {
        let limits = small_limits();
        let whole = run_commands(&input, input.len().max(1), &limits);
        prop_assert_eq!(run_commands(&input, chunk, &limits), whole);
    }

    #[test]
    fn multiline_reader_is_chunk_split_invariant(input in wire_bytes(), chunk in 1usize..50) {
        let limits = small_limits();
        let whole = run_multiline(&input, input.len().max(1), &limits);
        prop_assert_eq!(run_multiline(&input, chunk, &limits), whole);
    }

    #[test]
    fn whatever_parses_reencodes_to_itself(input in prop_oneof![
        wire_bytes(),
        proptest::collection::vec(any::<u8>(), 0..80),
    ]) {
        if let Ok(c) = Command::parse(&input) {
            let again = line(c.to_vec());
            prop_assert_eq!(&Command::parse(&again).unwrap(), &c);
        }
        if let Ok(r) = Response::parse(&input) {
            let again = line(r.to_vec());
            prop_assert_eq!(&Response::parse(&again).unwrap(), &r);
        }
        if let Ok(c) = Capability::parse(&input) {
            let mut v = Vec::new();
            c.encode(&mut v);
            let l = line(v);
        prop_assert_eq!(&Capability::parse(&l).unwrap(), &c);
        }
        if let Ok(s) = ScanListing::parse(&input) {
            let mut v = Vec::new();
            s.encode(&mut v);
            prop_assert_eq!(ScanListing::parse(&line(v)).unwrap(), s);
        }
        if let Ok(u) = UidListing::parse(&input) {
            let mut v = Vec::new();
            u.encode(&mut v);
            let l = line(v);
            prop_assert_eq!(&UidListing::parse(&l).unwrap(), &u);
        }
    }

    #[test]
    fn never_panics_on_arbitrary_bytes(input in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = Command::parse(&input);
        let _ = Response::parse(&input);
        let _ = StatusLine::parse(&input);
        let _ = Capability::parse(&input);
        let _ = ScanListing::parse(&input);
        let _ = UidListing::parse(&input);
        let _ = Stat::parse(&input);
        let limits = Limits::default();
        let _ = parse_command(&input, &limits);
        let _ = run_commands(&input, 7, &small_limits());
        let _ = run_multiline(&input, 7, &limits);
        let _ = run_multiline(&input, 3, &small_limits());
    }
}

#[test]
fn owned_values_equal_borrowed_ones() {
    let line = b"AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q=";
    let c = Command::parse(line).unwrap();
    assert_eq!(c.clone().into_owned(), c);
    let s = StatusLine::parse(b"-ERR [X/Y] z").unwrap();
    assert_eq!(s.clone().into_owned(), s);
    let cap = Capability::parse(b"XTND a b").unwrap();
    assert_eq!(cap.clone().into_owned(), cap);
    assert!(
        matches!(&cap, Capability::Other { params, .. } if matches!(params.as_bytes(), b"a b"))
    );
    let _ = Cow::<[u8]>::Borrowed(b"");
}
