//! Command lines: every command example of RFC 1939 (sections 4 to 7 and the
//! session of section 10), RFC 2449, RFC 2595, RFC 5034 and RFC 6856, what
//! real clients send, and the hostile inputs (overflowing and zero message
//! numbers, CR/LF/NUL in arguments, over-long lines, bare LF).

// Helpers outside #[test] functions are not covered by clippy.toml's
// allow-*-in-tests settings; this whole file is test code.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mail_wire::Status;
use mail_wire::sasl::Mechanism;
use pop3_proto::parse::{CommandOptions, parse_command_with, skip_line};
use pop3_proto::{
    ApopDigest, Arg, Base64, Command, CommandError, LangTag, Limits, MsgNum, ResponseKind, Secret,
    parse_command,
};

fn n(v: u32) -> MsgNum {
    MsgNum::new(v).unwrap()
}

fn parse(s: &str) -> Command<'_> {
    Command::parse(s.as_bytes()).unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

/// Parses, then checks that encoding gives back `wire` (with CRLF).
fn roundtrip(s: &str, wire: &str) -> Command<'static> {
    let c = parse(s).into_owned();
    assert_eq!(
        String::from_utf8(c.to_vec()).unwrap(),
        format!("{wire}\r\n")
    );
    assert_eq!(c.encoded_len(), wire.len() + 2);
    c
}

fn err(s: &[u8]) -> CommandError {
    match Command::parse(s) {
        Ok(c) => panic!("{:?} parsed as {c:?}", String::from_utf8_lossy(s)),
        Err(e) => e,
    }
}

#[test]
fn rfc1939_section5_transaction_commands() {
    assert_eq!(roundtrip("STAT", "STAT"), Command::Stat);
    assert_eq!(roundtrip("LIST", "LIST"), Command::List(None));
    assert_eq!(roundtrip("LIST 2", "LIST 2"), Command::List(Some(n(2))));
    assert_eq!(roundtrip("LIST 3", "LIST 3"), Command::List(Some(n(3))));
    assert_eq!(roundtrip("RETR 1", "RETR 1"), Command::Retr(n(1)));
    assert_eq!(roundtrip("DELE 1", "DELE 1"), Command::Dele(n(1)));
    assert_eq!(roundtrip("DELE 2", "DELE 2"), Command::Dele(n(2)));
    assert_eq!(roundtrip("NOOP", "NOOP"), Command::Noop);
    assert_eq!(roundtrip("RSET", "RSET"), Command::Rset);
}

#[test]
fn rfc1939_section6_quit() {
    assert_eq!(roundtrip("QUIT", "QUIT"), Command::Quit);
}

#[test]
fn rfc1939_section7_optional_commands() {
    assert_eq!(
        roundtrip("TOP 1 10", "TOP 1 10"),
        Command::Top {
            msg: n(1),
            lines: 10
        }
    );
    assert_eq!(
        roundtrip("TOP 100 3", "TOP 100 3"),
        Command::Top {
            msg: n(100),
            lines: 3
        }
    );
    // Zero body lines is valid: the header only.
    assert_eq!(
        parse("TOP 1 0"),
        Command::Top {
            msg: n(1),
            lines: 0
        }
    );
    assert_eq!(roundtrip("UIDL", "UIDL"), Command::Uidl(None));
    assert_eq!(roundtrip("UIDL 2", "UIDL 2"), Command::Uidl(Some(n(2))));
    assert_eq!(roundtrip("UIDL 3", "UIDL 3"), Command::Uidl(Some(n(3))));
    assert_eq!(
        roundtrip("USER frated", "USER frated"),
        Command::User(Arg::new("frated").unwrap())
    );
    assert_eq!(
        roundtrip("USER mrose", "USER mrose"),
        Command::User(Arg::new("mrose").unwrap())
    );
    let Command::Pass(p) = roundtrip("PASS secret", "PASS secret") else {
        panic!()
    };
    assert_eq!(p.expose(), b"secret");
    assert_eq!(
        roundtrip(
            "APOP mrose c4c9334bac560ecc979e58001b3e22fb",
            "APOP mrose c4c9334bac560ecc979e58001b3e22fb"
        ),
        Command::Apop {
            name: Arg::new("mrose").unwrap(),
            digest: ApopDigest::from_hex(b"c4c9334bac560ecc979e58001b3e22fb").unwrap()
        }
    );
}

#[test]
fn rfc1939_section10_example_session() {
    let client = b"APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\nSTAT\r\nLIST\r\nRETR 1\r\nDELE 1\r\nRETR 2\r\nDELE 2\r\nQUIT\r\n";
    let limits = Limits::default();
    let mut buf = &client[..];
    let mut got = Vec::new();
    while !buf.is_empty() {
        let Status::Complete(c, used) = parse_command(buf, &limits).unwrap() else {
            panic!("incomplete")
        };
        got.push(c.into_owned());
        buf = &buf[used..];
    }
    assert_eq!(
        got,
        vec![
            Command::Apop {
                name: Arg::new("mrose").unwrap(),
                digest: ApopDigest::from_hex(b"c4c9334bac560ecc979e58001b3e22fb").unwrap()
            },
            Command::Stat,
            Command::List(None),
            Command::Retr(n(1)),
            Command::Dele(n(1)),
            Command::Retr(n(2)),
            Command::Dele(n(2)),
            Command::Quit,
        ]
    );
    // The encodings concatenate back to the session.
    let mut out = Vec::new();
    for c in &got {
        c.encode(&mut out);
    }
    assert_eq!(out, client);
}

#[test]
fn verbs_are_case_insensitive_and_encoded_upper_case() {
    assert_eq!(roundtrip("stat", "STAT"), Command::Stat);
    assert_eq!(roundtrip("Retr 7", "RETR 7"), Command::Retr(n(7)));
    assert_eq!(
        roundtrip("top 1 2", "TOP 1 2"),
        Command::Top {
            msg: n(1),
            lines: 2
        }
    );
    assert_eq!(roundtrip("capa", "CAPA"), Command::Capa);
    assert_eq!(roundtrip("sTlS", "STLS"), Command::Stls);
    assert_eq!(roundtrip("utf8", "UTF8"), Command::Utf8);
    // Arguments keep their case.
    assert_eq!(
        parse("user MRose"),
        Command::User(Arg::new("MRose").unwrap())
    );
}

#[test]
fn rfc2449_capa_and_rfc2595_stls() {
    assert_eq!(parse("CAPA"), Command::Capa);
    assert_eq!(parse("CAPA").response_kind(), ResponseKind::MultiLine);
    assert_eq!(parse("STLS"), Command::Stls);
    assert_eq!(parse("STLS").response_kind(), ResponseKind::SingleLine);
    assert!(matches!(
        err(b"STLS now"),
        CommandError::UnexpectedArgument { verb: "STLS" }
    ));
}

#[test]
fn rfc5034_auth() {
    let c = roundtrip(
        "AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q=",
        "AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q=",
    );
    assert_eq!(
        c,
        Command::Auth {
            mechanism: Mechanism::Plain,
            initial_response: Some(Base64::new("dGVzdAB0ZXN0AHRlc3Q=").unwrap())
        }
    );
    assert_eq!(c.response_kind(), ResponseKind::Sasl);
    assert_eq!(
        roundtrip("AUTH PLAIN", "AUTH PLAIN"),
        Command::Auth {
            mechanism: Mechanism::Plain,
            initial_response: None
        }
    );
    let Command::Auth { mechanism, .. } = roundtrip("AUTH DIGEST-MD5", "AUTH DIGEST-MD5") else {
        panic!()
    };
    assert_eq!(mechanism.as_str(), "DIGEST-MD5");
    // Mechanism names are case-insensitive and written upper case.
    let Command::Auth { mechanism, .. } = roundtrip("auth gssapi", "AUTH GSSAPI") else {
        panic!()
    };
    assert_eq!(mechanism.as_str(), "GSSAPI");
    // "=" is an empty initial response (RFC 5034 section 4).
    assert_eq!(
        roundtrip("AUTH EXTERNAL =", "AUTH EXTERNAL ="),
        Command::Auth {
            mechanism: Mechanism::new("EXTERNAL").unwrap(),
            initial_response: Some(Base64::new("=").unwrap())
        }
    );
    // Bare AUTH: the pre-RFC 5034 mechanism list request.
    assert_eq!(roundtrip("AUTH", "AUTH"), Command::AuthList);
    assert_eq!(Command::AuthList.response_kind(), ResponseKind::MultiLine);
    // Invalid mechanism names and initial responses.
    assert!(matches!(err(b"AUTH PL@IN"), CommandError::Syntax(e) if e.offset == 7));
    assert!(matches!(err(b"AUTH PLAIN a*b"), CommandError::Value(_)));
    assert!(matches!(err(b"AUTH PLAIN abc= x"), CommandError::Syntax(_)));
    assert!(
        err(b"AUTH ABCDEFGHIJKLMNOPQRSTU")
            .to_string()
            .contains("20")
    );
}

#[test]
fn auth_initial_response_limit() {
    // Longer than 40 octets is fine: RFC 5034 limits the whole line.
    let long = "A".repeat(200);
    let line = format!("AUTH PLAIN {long}");
    assert!(
        matches!(parse(&line), Command::Auth { initial_response: Some(ir), .. } if ir.as_str() == long)
    );
    let opts = CommandOptions {
        max_initial_response: 100,
        ..CommandOptions::default()
    };
    let e = Command::parse_with(line.as_bytes(), &opts).unwrap_err();
    assert!(matches!(e, CommandError::TooLong(l) if l.max == 100));
    // The RFC 5034 255-octet rule, as a client checks it.
    let c = Command::Auth {
        mechanism: Mechanism::Plain,
        initial_response: Some(Base64::new("A".repeat(242)).unwrap()),
    };
    assert_eq!(c.encoded_len(), 255);
}

#[test]
fn rfc6856_utf8_and_lang() {
    assert_eq!(parse("UTF8"), Command::Utf8);
    assert_eq!(roundtrip("LANG", "LANG"), Command::Lang(None));
    assert_eq!(Command::Lang(None).response_kind(), ResponseKind::MultiLine);
    for tag in ["MUL", "es", "uga", "sv", "*", "en-boont"] {
        let line = format!("LANG {tag}");
        assert_eq!(
            roundtrip(&line, &line),
            Command::Lang(Some(LangTag::new(tag.to_string()).unwrap()))
        );
    }
    assert!(matches!(err(b"LANG e_s"), CommandError::Value(_)));
    // After UTF8 a user name may be UTF-8 (RFC 6856 section 2).
    assert_eq!(
        parse("USER j\u{f6}rg"),
        Command::User(Arg::new("j\u{f6}rg").unwrap())
    );
    assert!(matches!(err(b"USER j\xf6rg"), CommandError::Value(_)));
}

#[test]
fn pass_runs_to_the_end_of_the_line() {
    let Command::Pass(p) = parse("PASS my secret  phrase ") else {
        panic!()
    };
    assert_eq!(p.expose(), b"my secret  phrase ");
    // Even with trailing-space leniency the password keeps its spaces.
    let lenient = CommandOptions {
        allow_trailing_space: true,
        ..CommandOptions::default()
    };
    let Command::Pass(p) = Command::parse_with(b"pass x ", &lenient).unwrap() else {
        panic!()
    };
    assert_eq!(p.expose(), b"x ");
    assert_eq!(
        Command::Pass(Secret::new(&b"a b"[..]).unwrap()).to_vec(),
        b"PASS a b\r\n"
    );
    assert!(matches!(
        err(b"PASS"),
        CommandError::MissingArgument { verb: "PASS" }
    ));
    assert!(matches!(
        err(b"PASS "),
        CommandError::MissingArgument { verb: "PASS" }
    ));
    assert!(matches!(err(b"PASS a\0b"), CommandError::Value(_)));
    assert!(matches!(
        err(&[b"PASS ".as_slice(), &[b'x'; 249]].concat()),
        CommandError::Value(_)
    ));
    assert!(Command::parse(&[b"PASS ".as_slice(), &[b'x'; 248]].concat()).is_ok());
    // The password never shows in Debug output.
    assert!(!format!("{:?}", parse("PASS hunter2")).contains("hunter2"));
}

#[test]
fn message_numbers_are_checked() {
    assert_eq!(parse("RETR 4294967295"), Command::Retr(n(u32::MAX)));
    assert_eq!(parse("RETR 0000000001"), Command::Retr(n(1)));
    for bad in [
        "RETR 0",
        "RETR 00",
        "RETR 4294967296",
        "RETR 99999999999999999999",
        "RETR 18446744073709551617",
        "RETR 00000000001",
        "RETR -1",
        "RETR +1",
        "RETR 1a",
        "RETR 0x10",
        "RETR 1.0",
        "RETR \u{661}",
        "LIST 0",
        "LIST 4294967296",
        "UIDL -5",
        "DELE 0",
        "TOP 0 1",
        "TOP 1 -1",
        "TOP 1 4294967296",
        "TOP 4294967296 1",
    ] {
        let e = err(bad.as_bytes());
        assert!(
            matches!(e, CommandError::Syntax(_) | CommandError::Value(_)),
            "{bad}: {e:?}"
        );
    }
    assert!(matches!(err(b"RETR 0"), CommandError::Value(_)));
    assert_eq!(
        parse("TOP 1 4294967295"),
        Command::Top {
            msg: n(1),
            lines: u32::MAX
        }
    );
}

#[test]
fn arguments_are_separated_by_exactly_one_space() {
    for bad in [
        "RETR  1",
        "RETR 1 ",
        "LIST 1 2",
        "TOP 1",
        "TOP 1  2",
        "TOP 1 2 3",
        "USER a b",
        "APOP mrose",
        "RETR",
        "DELE",
        " STAT",
        "STAT ",
        "LIST ",
        "USER ",
    ] {
        assert!(Command::parse(bad.as_bytes()).is_err(), "{bad}");
    }
    assert!(matches!(
        err(b"RETR"),
        CommandError::MissingArgument { verb: "RETR" }
    ));
    assert!(matches!(
        err(b"STAT 1"),
        CommandError::UnexpectedArgument { verb: "STAT" }
    ));
    assert!(matches!(
        err(b"QUIT now"),
        CommandError::UnexpectedArgument { verb: "QUIT" }
    ));
    assert_eq!(err(b""), CommandError::Empty);
    // The named leniency for trailing spaces.
    let lenient = CommandOptions {
        allow_trailing_space: true,
        ..CommandOptions::default()
    };
    assert_eq!(
        Command::parse_with(b"STAT ", &lenient).unwrap(),
        Command::Stat
    );
    assert_eq!(
        Command::parse_with(b"LIST 1  ", &lenient).unwrap(),
        Command::List(Some(n(1)))
    );
    assert_eq!(
        Command::parse_with(b"LIST  ", &lenient).unwrap(),
        Command::List(None)
    );
    assert!(Command::parse_with(b"LIST  1", &lenient).is_err());
}

#[test]
fn crlf_and_nul_cannot_hide_in_arguments() {
    for bad in [
        &b"USER a\rb"[..],
        b"USER a\nQUIT",
        b"USER a\0",
        b"USER a\tb",
        b"APOP mrose c4c9334bac560ecc979e58001b3e22f\n",
        b"PASS x\r\nDELE 1",
        b"XTND a\rb",
        b"XTND a\0b",
        b"XT\0D",
        b"LANG e\rs",
        b"AUTH PLAIN a\nb",
    ] {
        assert!(
            Command::parse(bad).is_err(),
            "{:?}",
            String::from_utf8_lossy(bad)
        );
    }
    // USER is limited to 40 octets (RFC 1939 section 3).
    assert!(Command::parse(format!("USER {}", "u".repeat(40)).as_bytes()).is_ok());
    assert!(matches!(
        err(format!("USER {}", "u".repeat(41)).as_bytes()),
        CommandError::Value(_)
    ));
    // APOP digests are 32 hex digits; upper case is read, lower case written.
    let c = parse("APOP mrose C4C9334BAC560ECC979E58001B3E22FB");
    assert_eq!(
        c.to_vec(),
        b"APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n"
    );
    assert!(Command::parse(b"APOP mrose c4c9334bac560ecc979e58001b3e22f").is_err());
    assert!(Command::parse(b"APOP mrose c4c9334bac560ecc979e58001b3e22fbb").is_err());
    assert!(Command::parse(b"APOP mrose c4c9334bac560ecc979e58001b3e22fg").is_err());
}

#[test]
fn unknown_verbs_are_kept() {
    let c = parse("XTND XMIT");
    assert_eq!(
        c,
        Command::Unknown {
            verb: Arg::new("XTND").unwrap(),
            args: b"XMIT".as_slice().into()
        }
    );
    assert_eq!(c.to_vec(), b"XTND XMIT\r\n");
    assert_eq!(c.verb(), "XTND");
    assert_eq!(c.response_kind(), ResponseKind::SingleLine);
    let c = parse("last");
    assert_eq!(c.to_vec(), b"last\r\n");
    // Raw arguments, spaces and all.
    let c = parse("SITE a  b ");
    assert_eq!(c.to_vec(), b"SITE a  b \r\n");
    // Verbs are at most 40 octets.
    assert!(Command::parse("V".repeat(40).as_bytes()).is_ok());
    assert!(Command::parse("V".repeat(41).as_bytes()).is_err());
    // HTTP sent to a POP3 port is an unknown command, not a crash.
    assert!(matches!(parse("GET / HTTP/1.1"), Command::Unknown { .. }));
    // The constructor refuses known verbs and line breaks.
    assert!(Command::unknown(Arg::new("STAT").unwrap(), b"".as_slice()).is_err());
    assert!(Command::unknown(Arg::new("top").unwrap(), b"".as_slice()).is_err());
    assert!(Command::unknown(Arg::new("XTND").unwrap(), b"a\r\nQUIT".as_slice()).is_err());
    assert!(Command::unknown(Arg::new("XTND").unwrap(), b"a b".as_slice()).is_ok());
}

#[test]
fn parse_command_frames_lines() {
    let l = Limits::default();
    assert_eq!(parse_command(b"", &l).unwrap(), Status::Incomplete);
    assert_eq!(parse_command(b"STAT\r", &l).unwrap(), Status::Incomplete);
    assert_eq!(
        parse_command(b"STAT\r\nQUIT\r\n", &l).unwrap(),
        Status::Complete(Command::Stat, 6)
    );
    // A bare LF ends a bad line, consumed whole.
    let e = parse_command(b"STAT\nQUIT\r\n", &l).unwrap_err();
    assert_eq!((e.consumed, e.line_ended), (5, true));
    assert!(matches!(e.kind, CommandError::Syntax(_)));
    // A bare CR inside the line.
    let e = parse_command(b"USER a\rb\r\nQUIT\r\n", &l).unwrap_err();
    assert_eq!((e.consumed, e.line_ended), (10, true));
    // A grammar error reports the whole line as consumed.
    let e = parse_command(b"RETR 0\r\nQUIT\r\n", &l).unwrap_err();
    assert_eq!((e.consumed, e.line_ended), (8, true));
    assert!(matches!(e.kind, CommandError::Value(_)));
    // The pipeline goes on after each.
    assert_eq!(
        parse_command(&b"RETR 0\r\nQUIT\r\n"[8..], &l).unwrap(),
        Status::Complete(Command::Quit, 6)
    );
}

#[test]
fn parse_command_enforces_the_255_octet_limit() {
    let l = Limits::default();
    // 253 octets + CRLF = 255: accepted.
    let ok = format!("XTND {}\r\n", "a".repeat(248));
    assert_eq!(ok.len(), 255);
    assert!(matches!(
        parse_command(ok.as_bytes(), &l).unwrap(),
        Status::Complete(_, 255)
    ));
    // 256: refused, even when its CRLF is in the buffer.
    let long = format!("XTND {}\r\nQUIT\r\n", "a".repeat(249));
    let e = parse_command(long.as_bytes(), &l).unwrap_err();
    assert!(
        matches!(e.kind, CommandError::TooLong(m) if m.max == 255 && m.limit == "max_command_len")
    );
    // Its LF is in the buffer: the line is dropped through it and the
    // pipelined QUIT after it is kept.
    assert!(e.line_ended);
    assert_eq!(e.consumed, long.len() - 6);
    assert_eq!(
        parse_command(&long.as_bytes()[e.consumed..], &l).unwrap(),
        Status::Complete(Command::Quit, 6)
    );
    // Its LF has not arrived: everything is dropped and the caller skips
    // through the next LF (`line_ended` is false).
    let long_line = format!("XTND {}", "a".repeat(300));
    let e = parse_command(long_line.as_bytes(), &l).unwrap_err();
    assert_eq!(e.consumed, 305);
    assert!(!e.line_ended);
    // The caller skips the rest of the line, then goes on.
    assert_eq!(skip_line(b"aaaa"), None);
    let k = skip_line(b"aaa\r\nQUIT\r\n").unwrap();
    assert_eq!(
        parse_command(&b"aaa\r\nQUIT\r\n"[k..], &l).unwrap(),
        Status::Complete(Command::Quit, 6)
    );
    // Under the limit and no LF: wait for more.
    assert_eq!(
        parse_command("a".repeat(254).as_bytes(), &l).unwrap(),
        Status::Incomplete
    );
    assert!(parse_command("a".repeat(255).as_bytes(), &l).is_err());
}

#[test]
fn auth_lines_get_the_sasl_limit() {
    let l = Limits::default();
    let ir = "QUFB".repeat(1000); // 4000 octets of base64
    let line = format!("AUTH PLAIN {ir}\r\n");
    let Status::Complete(c, used) = parse_command(line.as_bytes(), &l).unwrap() else {
        panic!()
    };
    assert_eq!(used, line.len());
    assert!(matches!(c, Command::Auth { initial_response: Some(r), .. } if r.as_str() == ir));
    // Lower case too.
    let line = format!("auth plain {ir}\r\n");
    assert!(parse_command(line.as_bytes(), &l).is_ok());
    // Other verbs do not get it.
    let line = format!("XTND {ir}\r\n");
    assert!(parse_command(line.as_bytes(), &l).is_err());
    // Past the SASL limit plus 64 octets for the verb and mechanism.
    let max = l.sasl.max_encoded_len + 64;
    let huge = format!("AUTH PLAIN {}", "A".repeat(max));
    let e = parse_command(huge.as_bytes(), &l).unwrap_err();
    assert!(matches!(e.kind, CommandError::TooLong(m) if m.max == max as u64));
    // An initial response over the SASL limit inside a line under it.
    let small = Limits {
        sasl: mail_wire::sasl::SaslLimits {
            max_encoded_len: 100,
        },
        ..Limits::default()
    };
    let line = format!("AUTH PLAIN {}\r\n", "A".repeat(120));
    let e = parse_command(line.as_bytes(), &small).unwrap_err();
    assert!(matches!(e.kind, CommandError::TooLong(m) if m.max == 100));
    assert!(e.line_ended);
    // parse_command_with uses the options given.
    let lenient = CommandOptions {
        allow_trailing_space: true,
        ..CommandOptions::from_limits(&l)
    };
    assert_eq!(
        parse_command_with(b"NOOP \r\n", &l, &lenient).unwrap(),
        Status::Complete(Command::Noop, 7)
    );
}

#[test]
fn errors_explain_themselves() {
    assert_eq!(err(b"").to_string(), "empty command line");
    assert_eq!(err(b"RETR").to_string(), "RETR requires an argument");
    assert_eq!(err(b"NOOP x").to_string(), "NOOP takes no argument");
    assert!(err(b"RETR  1").to_string().contains("byte 5"));
    assert!(err(b"RETR 0").to_string().contains("message number"));
    let e = parse_command(b"STAT\n", &Limits::default()).unwrap_err();
    assert!(e.to_string().contains("bare LF"), "{e}");
}
