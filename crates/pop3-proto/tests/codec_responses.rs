//! Response lines, capability lines, listings and multi-line blocks: the
//! server lines of RFC 1939 (sections 4 to 7 and 10), RFC 2449 (the CAPA
//! example and the response codes), RFC 2595, RFC 3206, RFC 5034 and
//! RFC 6856, and lines captured from Dovecot, Gmail and Outlook.

// Helpers outside #[test] functions are not covered by clippy.toml's
// allow-*-in-tests settings; this whole file is test code.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mail_wire::Status as Progress;
use mail_wire::line::LineErrorKind;
use mail_wire::sasl::Mechanism;
use pop3_proto::parse::{ResponseOptions, status_of};
use pop3_proto::{
    Base64, Capabilities, Capability, ExpirePolicy, Limits, MsgNum, MultiLine, MultiLineReader,
    Response, ResponseCode, ResponseError, ScanListing, Stat, Status, StatusLine, Text, Uid,
    UidListing, encode_end, encode_multiline_line,
};

fn status(line: &str) -> StatusLine<'_> {
    StatusLine::parse(line.as_bytes()).unwrap_or_else(|e| panic!("{line:?}: {e}"))
}

/// Parses a status line and checks it encodes back byte for byte.
fn exact(line: &str) -> StatusLine<'static> {
    let s = status(line).into_owned();
    assert_eq!(
        String::from_utf8(s.to_vec()).unwrap(),
        format!("{line}\r\n")
    );
    let r = Response::parse(line.as_bytes()).unwrap();
    assert_eq!(r, Response::Status(s.clone()));
    assert_eq!(r.to_vec(), s.to_vec());
    s
}

fn text(s: &StatusLine<'_>) -> String {
    s.text.to_str_lossy().into_owned()
}

fn n(v: u32) -> MsgNum {
    MsgNum::new(v).unwrap()
}

#[test]
fn rfc1939_status_lines() {
    for line in [
        "+OK POP3 server ready",
        "+OK dewey POP3 server signing off",
        "+OK 2 320",
        "+OK 2 messages (320 octets)",
        "+OK 2 200",
        "-ERR no such message, only 2 messages in maildrop",
        "+OK 120 octets",
        "+OK message 1 deleted",
        "-ERR message 2 already deleted",
        "+OK",
        "+OK maildrop has 2 messages (320 octets)",
        "+OK dewey POP3 server signing off (maildrop empty)",
        "+OK dewey POP3 server signing off (2 messages left)",
        "-ERR no such message",
        "+OK 2 QhdPYR:00WBw1Ph7x7",
        "-ERR sorry, no mailbox for frated here",
        "+OK mrose is a real hoopy frood",
        "-ERR maildrop already locked",
        "+OK mrose's maildrop has 2 messages (320 octets)",
        "+OK maildrop has 1 message (369 octets)",
        "+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>",
    ] {
        let s = exact(line);
        assert_eq!(s.code, None);
        assert_eq!(s.is_ok(), line.starts_with('+'));
    }
    let s = status("-ERR no such message");
    assert_eq!(s.status, Status::Err);
    assert_eq!(text(&s), "no such message");
    assert_eq!(status("+OK").text, Text::empty());
    // The greeting of the APOP example.
    let g = exact("+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>");
    assert_eq!(
        g.apop_timestamp(),
        Some(&b"<1896.697170952@dbc.mtview.ca.us>"[..])
    );
}

#[test]
fn rfc1939_stat_and_single_listings() {
    let s = status("+OK 2 320");
    assert_eq!(
        Stat::from_status(&s).unwrap(),
        Stat {
            count: 2,
            size: 320
        }
    );
    assert_eq!(
        StatusLine::stat(Stat {
            count: 2,
            size: 320
        })
        .to_vec(),
        b"+OK 2 320\r\n"
    );
    // Anything after the size is allowed and ignored (section 5).
    assert_eq!(
        Stat::parse(b"2 320 octets").unwrap(),
        Stat {
            count: 2,
            size: 320
        }
    );
    assert_eq!(Stat::parse(b"0 0").unwrap(), Stat { count: 0, size: 0 });
    assert_eq!(
        Stat::parse(b"4294967295 18446744073709551615").unwrap(),
        Stat {
            count: u32::MAX,
            size: u64::MAX
        }
    );
    for bad in [
        &b""[..],
        b"2",
        b"2 ",
        b"2  320",
        b" 2 320",
        b"2 320x",
        b"-1 320",
        b"2 -320",
        b"4294967296 1",
        b"1 18446744073709551616",
        b"1 99999999999999999999999",
        b"two 320",
    ] {
        assert!(
            Stat::parse(bad).is_err(),
            "{:?}",
            String::from_utf8_lossy(bad)
        );
    }
    // "+OK 2 200" in answer to LIST 2, "+OK 2 QhdPYR:00WBw1Ph7x7" to UIDL 2.
    let l = ScanListing::parse(status("+OK 2 200").text.as_bytes()).unwrap();
    assert_eq!(
        l,
        ScanListing {
            msg: n(2),
            size: 200
        }
    );
    assert_eq!(StatusLine::scan(l).to_vec(), b"+OK 2 200\r\n");
    let u = UidListing::parse(b"2 QhdPYR:00WBw1Ph7x7").unwrap();
    assert_eq!(u.uid.as_str(), "QhdPYR:00WBw1Ph7x7");
    assert_eq!(
        StatusLine::uid(&u).to_vec(),
        b"+OK 2 QhdPYR:00WBw1Ph7x7\r\n"
    );
}

#[test]
fn listings_are_checked() {
    assert_eq!(
        ScanListing::parse(b"1 120").unwrap(),
        ScanListing {
            msg: n(1),
            size: 120
        }
    );
    assert_eq!(
        ScanListing::parse(b"1 120 more info").unwrap(),
        ScanListing {
            msg: n(1),
            size: 120
        }
    );
    for bad in [
        &b"0 120"[..],
        b"4294967296 1",
        b"1",
        b"1  120",
        b"1 120x",
        b"1 -5",
        b"a 1",
        b"1 18446744073709551616",
    ] {
        assert!(
            ScanListing::parse(bad).is_err(),
            "{:?}",
            String::from_utf8_lossy(bad)
        );
    }
    let u = UidListing::parse(b"1 whqtswO00WBw418f9t5JxYwZ").unwrap();
    assert_eq!((u.msg, u.uid.as_str()), (n(1), "whqtswO00WBw418f9t5JxYwZ"));
    let max = format!("3 {}", "~".repeat(70));
    assert!(UidListing::parse(max.as_bytes()).is_ok());
    for bad in [
        "0 abc".to_string(),
        "1".to_string(),
        "1 ".to_string(),
        "1  abc".to_string(),
        "1 abc def".to_string(),
        "1 ab\u{e9}".to_string(),
        format!("1 {}", "x".repeat(71)),
        "99999999999 abc".to_string(),
    ] {
        assert!(UidListing::parse(bad.as_bytes()).is_err(), "{bad:?}");
    }
    let e = UidListing::parse(b"1 ab\x7fc").unwrap_err();
    assert!(
        matches!(
            e,
            ResponseError::Value(pop3_proto::ValueError::InvalidByte { offset: 4, .. })
        ),
        "{e:?}"
    );
    let mut out = Vec::new();
    UidListing {
        msg: n(9),
        uid: Uid::new("a:b").unwrap(),
    }
    .encode(&mut out);
    ScanListing { msg: n(9), size: 0 }.encode(&mut out);
    assert_eq!(out, b"9 a:b\r\n9 0\r\n");
}

#[test]
fn rfc2449_response_codes() {
    let s = exact("-ERR [IN-USE] Do you have another POP session running?");
    assert_eq!(s.code, Some(ResponseCode::InUse));
    assert_eq!(text(&s), "Do you have another POP session running?");
    let s = exact("-ERR [LOGIN-DELAY] wait 15 minutes");
    assert_eq!(s.code, Some(ResponseCode::LoginDelay));
    assert!(s.code.unwrap().is_temporary());
    // RFC 3206 section 4 and 5.
    let s = exact("-ERR [SYS/TEMP] Problem with mail store, try again later");
    assert_eq!(s.code, Some(ResponseCode::SysTemp));
    let s = exact("-ERR [SYS/PERM] Your account has been disabled");
    assert_eq!(s.code, Some(ResponseCode::SysPerm));
    assert!(!s.code.unwrap().is_temporary());
    let s = exact("-ERR [AUTH] Invalid password");
    assert_eq!(s.code, Some(ResponseCode::Auth));
    // RFC 6856 section 2.
    let s = exact("-ERR [UTF8] command requires UTF8 mode");
    assert_eq!(s.code, Some(ResponseCode::Utf8));
    // Unknown codes are kept, hierarchy and all.
    let s = exact("-ERR [X-VENDOR/QUOTA/DAILY] over quota");
    assert_eq!(s.code.as_ref().unwrap().as_str(), "X-VENDOR/QUOTA/DAILY");
    // A code with no text, and +OK with a code.
    assert_eq!(exact("-ERR [IN-USE]").text, Text::empty());
    assert_eq!(exact("+OK [XYZ] fine").code.unwrap().as_str(), "XYZ");
    // Known codes are read in any case and written canonically.
    let s = status("-ERR [in-use] locked");
    assert_eq!(s.code, Some(ResponseCode::InUse));
    assert_eq!(s.to_vec(), b"-ERR [IN-USE] locked\r\n");
    // `resp-code *CHAR`: no space needed after the code.
    let s = status("-ERR [AUTH]failed");
    assert_eq!(
        (s.code.clone(), text(&s)),
        (Some(ResponseCode::Auth), "failed".to_string())
    );
    // Text after a code may itself start with "[".
    let s = exact("-ERR [AUTH] [sic]");
    assert_eq!(text(&s), "[sic]");
}

#[test]
fn invalid_codes_are_refused_strictly() {
    for bad in [
        "-ERR [IN-USE",
        "-ERR []",
        "-ERR [SYS//TEMP] x",
        "-ERR [/SYS] x",
        "-ERR [SYS/] x",
        "-ERR [IN USE] x",
        "-ERR [",
        "-ERR [\u{e9}] x",
    ] {
        let e = StatusLine::parse(bad.as_bytes()).unwrap_err();
        assert!(matches!(e, ResponseError::Syntax(_)), "{bad}: {e:?}");
        // The client can still tell success from failure.
        assert_eq!(status_of(bad.as_bytes()), Some(Status::Err));
    }
    let e = StatusLine::parse(b"-ERR [IN USE] x").unwrap_err();
    assert!(matches!(e, ResponseError::Syntax(s) if s.offset == 8));
    assert_eq!(status_of(b"+OK [x"), Some(Status::Ok));
    assert_eq!(status_of(b"* OK"), None);
}

#[test]
fn status_indicator_is_strict_unless_asked() {
    for bad in [
        "+ok", "-err x", "+OKAY", "-ERROR x", "OK", "", " +OK", "+OK\tx", "-ERRx",
    ] {
        assert!(StatusLine::parse(bad.as_bytes()).is_err(), "{bad:?}");
        assert!(Response::parse(bad.as_bytes()).is_err(), "{bad:?}");
    }
    let lenient = ResponseOptions {
        case_insensitive_status: true,
        ..ResponseOptions::default()
    };
    let s = StatusLine::parse_with(b"+ok done", &lenient).unwrap();
    assert_eq!((s.status, text(&s)), (Status::Ok, "done".to_string()));
    assert_eq!(
        StatusLine::parse_with(b"-Err no", &lenient).unwrap().status,
        Status::Err
    );
    // NUL and bare CR never get into text.
    assert!(matches!(
        StatusLine::parse(b"+OK a\0b").unwrap_err(),
        ResponseError::Value(pop3_proto::ValueError::InvalidByte { offset: 5, .. })
    ));
    assert!(StatusLine::parse(b"+OK a\rb").is_err());
    // Empty text after one space reads as empty text.
    assert_eq!(status("+OK ").text, Text::empty());
    // Leading spaces in the text are kept.
    assert_eq!(exact("+OK  two spaces").text.as_bytes(), b" two spaces");
}

#[test]
fn rfc5034_continuations() {
    assert_eq!(
        Response::parse(b"+ ").unwrap(),
        Response::Continue(Base64::new("").unwrap())
    );
    let c = "cmVhbG09ImVsd29vZC5pbm5vc29mdC5jb20iLG5vbmNlPSJPQTZNRzl0";
    let line = format!("+ {c}");
    let r = Response::parse(line.as_bytes()).unwrap();
    assert_eq!(r, Response::Continue(Base64::new(c).unwrap()));
    assert_eq!(r.to_vec(), format!("+ {c}\r\n").into_bytes());
    let r = Response::parse(b"+ cnNwYXV0aD0wYjk3MTQ2MmNlZjVlOGY5MzBkYjlhMzNiMDJmYzlhMA==").unwrap();
    assert!(matches!(r, Response::Continue(_)));
    assert_eq!(
        Response::Continue(Base64::new("").unwrap()).to_vec(),
        b"+ \r\n"
    );
    // A continuation carries only base64 (RFC 5034 section 4).
    assert!(Response::parse(b"+ not base64").is_err());
    assert!(Response::parse(b"+ abc\0").is_err());
    // "+" alone is a leniency.
    assert!(Response::parse(b"+").is_err());
    let lenient = ResponseOptions {
        allow_bare_plus: true,
        ..ResponseOptions::default()
    };
    assert_eq!(
        Response::parse_with(b"+", &lenient).unwrap(),
        Response::Continue(Base64::new("").unwrap())
    );
    // StatusLine::parse does not take continuations.
    assert!(StatusLine::parse(b"+ abc").is_err());
}

#[test]
fn rfc2595_and_rfc5034_and_rfc6856_status_lines() {
    for line in [
        "+OK Begin TLS negotiation",
        "-ERR Command not permitted when TLS active",
        "+OK pop.example.com BlurdyBlurp POP3 server ready",
        "+OK List of capabilities follows",
        "+OK Begin TLS negotiation now",
        "+OK Maildrop locked and ready",
        "+OK Hello, karen",
        "+OK karen's maildrop contains 2 messages (320 octets)",
        "-ERR invalid language MUL",
        "+OK Language listing follows:",
        "-ERR Server is unable to list languages",
        "+OK es Idioma cambiado",
        "-ERR es Idioma <<UGA>> no es conocido",
        "+OK sv Kommandot \"LANG\" lyckades",
    ] {
        exact(line);
    }
    // UTF-8 text is kept byte for byte (RFC 6856 section 3).
    let s = exact("+OK es Idioma \u{e1}\u{f1}adido");
    assert_eq!(text(&s), "es Idioma \u{e1}\u{f1}adido");
    // So is Latin-1.
    let s = StatusLine::parse(b"+OK Espa\xf1ol").unwrap();
    assert_eq!(s.text.as_bytes(), b"Espa\xf1ol");
}

#[test]
fn real_server_lines() {
    // Dovecot.
    for line in [
        "+OK Dovecot (Debian) ready.",
        "+OK Dovecot ready.",
        "+OK Logged in.",
        "+OK",
        "-ERR Unknown command.",
        "-ERR Disconnected for inactivity.",
        "+OK Logging out.",
        "+OK Begin TLS negotiation now.",
        "+OK 3 messages:",
    ] {
        assert_eq!(exact(line).code, None);
    }
    let s = exact("-ERR [AUTH] Authentication failed.");
    assert_eq!(s.code, Some(ResponseCode::Auth));
    assert_eq!(text(&s), "Authentication failed.");
    let s = exact(
        "-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.",
    );
    assert_eq!(s.code, Some(ResponseCode::Auth));
    let s = exact("-ERR [IN-USE] Mailbox is locked by another POP3 session");
    assert_eq!(s.code, Some(ResponseCode::InUse));
    let s = exact(
        "-ERR [SYS/TEMP] Internal error occurred. Refer to server log for more information. [2024-01-01 12:00:00]",
    );
    assert_eq!(s.code, Some(ResponseCode::SysTemp));
    // Gmail.
    let s = exact("+OK Gpop ready for requests from 203.0.113.5 a1mb123456abc");
    assert_eq!(s.apop_timestamp(), None);
    let s = exact("-ERR [AUTH] Username and password not accepted.");
    assert_eq!(s.code, Some(ResponseCode::Auth));
    exact("+OK Welcome.");
    exact("+OK send PASS");
    // Outlook / Exchange: a bracketed part that does not open the text is
    // plain text.
    let s = exact(
        "+OK The Microsoft Exchange POP3 service is ready. [UwBBADAAUABSADEAMAAxAEMAQQAwADAAMAAzAC4AbgBhAG0AcAByAGQAMQAwAC4AcAByAG8AZAAuAG8AdQB0AGwAbwBvAGsALgBjAG8AbQA=]",
    );
    assert_eq!(s.code, None);
    exact("-ERR Logon failure: unknown user name or bad password.");
    exact("+OK User successfully logged on.");
    exact("-ERR Protocol error. Connection is closed. 10");
    // Courier.
    exact("+OK Hello there.");
}

#[test]
fn rfc2449_capa_example() {
    let block = b"TOP\r\nUSER\r\nSASL CRAM-MD5 KERBEROS_V4\r\nRESP-CODES\r\nLOGIN-DELAY 900\r\nPIPELINING\r\nEXPIRE 60\r\nUIDL\r\nIMPLEMENTATION Shlemazle-Plotz-v302\r\n.\r\n";
    let caps = read_capabilities(block);
    assert_eq!(
        caps.0,
        vec![
            Capability::Top,
            Capability::User,
            Capability::Sasl(vec![
                Mechanism::new("CRAM-MD5").unwrap(),
                Mechanism::new("KERBEROS_V4").unwrap()
            ]),
            Capability::RespCodes,
            Capability::LoginDelay {
                seconds: 900,
                per_user: false
            },
            Capability::Pipelining,
            Capability::Expire {
                policy: ExpirePolicy::Days(60),
                per_user: false
            },
            Capability::Uidl,
            Capability::Implementation(Text::try_from("Shlemazle-Plotz-v302").unwrap()),
        ]
    );
    assert!(caps.top() && caps.user() && caps.uidl() && caps.pipelining() && caps.resp_codes());
    assert!(!caps.stls());
    let mut out = Vec::new();
    caps.encode(&mut out);
    assert_eq!(out, block);
}

/// Reads a multi-line block of capabilities with the reader and the parser.
fn read_capabilities(block: &[u8]) -> Capabilities<'static> {
    let mut r = MultiLineReader::new(&Limits::default()).limit_lines(64);
    let mut buf = block;
    let mut caps = Vec::new();
    loop {
        match r.poll(buf).unwrap() {
            Progress::Complete(MultiLine::Line(l), used) => {
                caps.push(Capability::parse(l).unwrap().into_owned());
                buf = &buf[used..];
            }
            Progress::Complete(MultiLine::End, used) => {
                assert_eq!(used, buf.len());
                return Capabilities(caps);
            }
            Progress::Incomplete => panic!("incomplete"),
        }
    }
}

#[test]
fn rfc5034_and_rfc2595_capabilities() {
    let caps = read_capabilities(
        b"SASL PLAIN DIGEST-MD5 GSSAPI ANONYMOUS\r\nSTLS\r\nIMPLEMENTATION BlurdyBlurp POP3 server\r\n.\r\n",
    );
    assert!(caps.stls());
    let mechs: Vec<_> = caps.sasl().map(|m| m.as_str().to_string()).collect();
    assert_eq!(mechs, ["PLAIN", "DIGEST-MD5", "GSSAPI", "ANONYMOUS"]);
    assert_eq!(
        caps.0[2],
        Capability::Implementation(Text::try_from("BlurdyBlurp POP3 server").unwrap())
    );
}

#[test]
fn real_server_capabilities() {
    // Dovecot 2.3.
    let dovecot = b"CAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\nSTLS\r\nUSER\r\nSASL PLAIN LOGIN\r\n.\r\n";
    let caps = read_capabilities(dovecot);
    assert_eq!(caps.0.len(), 9);
    assert!(
        matches!(&caps.0[0], Capability::Other { tag, params } if tag.as_str() == "CAPA" && params.is_empty())
    );
    assert_eq!(caps.0[5], Capability::AuthRespCode);
    assert_eq!(
        caps.0[8],
        Capability::Sasl(vec![Mechanism::Plain, Mechanism::Login])
    );
    let mut out = Vec::new();
    caps.encode(&mut out);
    assert_eq!(out, dovecot);
    // Gmail.
    let gmail = b"USER\r\nRESP-CODES\r\nEXPIRE 0\r\nLOGIN-DELAY 300\r\nTOP\r\nUIDL\r\nX-GOOGLE-RICO\r\nSASL PLAIN XOAUTH2 OAUTHBEARER\r\n.\r\n";
    let caps = read_capabilities(gmail);
    assert_eq!(
        caps.0[2],
        Capability::Expire {
            policy: ExpirePolicy::Days(0),
            per_user: false
        }
    );
    assert_eq!(
        caps.0[3],
        Capability::LoginDelay {
            seconds: 300,
            per_user: false
        }
    );
    assert!(caps.has("x-google-rico"));
    assert_eq!(
        caps.0[7],
        Capability::Sasl(vec![
            Mechanism::Plain,
            Mechanism::XOAuth2,
            Mechanism::OAuthBearer
        ])
    );
    let mut out = Vec::new();
    caps.encode(&mut out);
    assert_eq!(out, gmail);
    // Outlook.
    let caps = read_capabilities(b"TOP\r\nUIDL\r\nSASL PLAIN XOAUTH2\r\nUSER\r\n.\r\n");
    assert_eq!(caps.0.len(), 4);
}

#[test]
fn capability_lines() {
    let cases: &[(&str, Capability<'static>)] = &[
        (
            "EXPIRE NEVER",
            Capability::Expire {
                policy: ExpirePolicy::Never,
                per_user: false,
            },
        ),
        (
            "EXPIRE 30 USER",
            Capability::Expire {
                policy: ExpirePolicy::Days(30),
                per_user: true,
            },
        ),
        (
            "LOGIN-DELAY 900 USER",
            Capability::LoginDelay {
                seconds: 900,
                per_user: true,
            },
        ),
        ("UTF8", Capability::Utf8 { user: false }),
        ("UTF8 USER", Capability::Utf8 { user: true }),
        ("LANG", Capability::Lang),
        ("STLS", Capability::Stls),
        ("SASL", Capability::Sasl(vec![])),
        ("IMPLEMENTATION", Capability::Implementation(Text::empty())),
    ];
    for (line, cap) in cases {
        assert_eq!(&Capability::parse(line.as_bytes()).unwrap(), cap, "{line}");
        let mut out = Vec::new();
        cap.encode(&mut out);
        assert_eq!(out, format!("{line}\r\n").into_bytes());
    }
    // Tags and keywords are case-insensitive.
    assert_eq!(
        Capability::parse(b"expire never user").unwrap(),
        Capability::Expire {
            policy: ExpirePolicy::Never,
            per_user: true
        }
    );
    assert_eq!(
        Capability::parse(b"sasl plain").unwrap(),
        Capability::Sasl(vec![Mechanism::Plain])
    );
    assert_eq!(Capability::parse(b"Top").unwrap(), Capability::Top);
    // Unknown capabilities keep their parameters raw, whatever their length.
    let long = format!("X-LINK https://example.com/{}", "p".repeat(100));
    let c = Capability::parse(long.as_bytes()).unwrap();
    let mut out = Vec::new();
    c.encode(&mut out);
    assert_eq!(out, format!("{long}\r\n").into_bytes());
    let c = Capability::parse(b"XTND a  b").unwrap();
    assert_eq!(c.params().collect::<Vec<_>>(), [&b"a"[..], b"b"]);
    assert_eq!(Capability::Top.params().count(), 0);
    for bad in [
        &b""[..],
        b" TOP",
        b".X",
        b"X.Y",
        b"TOP x",
        b"USER 1",
        b"STLS ",
        b"EXPIRE",
        b"EXPIRE -1",
        b"EXPIRE 4294967296",
        b"EXPIRE SOON",
        b"EXPIRE 1 OTHER",
        b"EXPIRE 1 USER x",
        b"EXPIRE  1",
        b"LOGIN-DELAY",
        b"LOGIN-DELAY x",
        b"LOGIN-DELAY 99999999999",
        b"SASL PL@IN",
        b"SASL PLAIN  LOGIN",
        b"UTF8 ME",
        b"X\0",
        b"XTND a\0b",
        b"IMPLEMENTATION a\0",
    ] {
        assert!(
            Capability::parse(bad).is_err(),
            "{:?}",
            String::from_utf8_lossy(bad)
        );
    }
}

/// Runs a reader over `input` fed in chunks of `chunk` bytes, collecting
/// lines, ends and errors, dropping what each result says.
fn read_all(input: &[u8], chunk: usize, limits: &Limits) -> Vec<Result<Option<Vec<u8>>, String>> {
    let mut r = MultiLineReader::new(limits);
    let mut buf = Vec::new();
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
                    let failed = r.has_failed();
                    out.push(Err(match &e {
                        ResponseError::Line(l) => match l.kind {
                            LineErrorKind::TooLong { .. } => "too long".to_string(),
                            k => format!("{k:?}"),
                        },
                        other => other.to_string(),
                    }));
                    buf.drain(..e.consumed());
                    if failed {
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

#[test]
fn multi_line_blocks_unstuff_and_end() {
    let l = Limits::default();
    // RFC 1939 sections 5 and 7: LIST and UIDL.
    let list = read_all(b"1 120\r\n2 200\r\n.\r\n", 1000, &l);
    assert_eq!(
        list,
        vec![
            Ok(Some(b"1 120".to_vec())),
            Ok(Some(b"2 200".to_vec())),
            Ok(None)
        ]
    );
    let uidl = read_all(
        b"1 whqtswO00WBw418f9t5JxYwZ\r\n2 QhdPYR:00WBw1Ph7x7\r\n.\r\n",
        3,
        &l,
    );
    let ids: Vec<_> = uidl
        .iter()
        .filter_map(|r| r.as_ref().unwrap().as_ref())
        .map(|l| UidListing::parse(l).unwrap().into_owned())
        .collect();
    assert_eq!(ids[1].uid.as_str(), "QhdPYR:00WBw1Ph7x7");
    // RFC 6856 section 3: LANG.
    let lang = read_all(
        b"en English\r\nen-boont English Boontling dialect\r\nde Deutsch\r\nit Italiano\r\nes Espanol\r\nsv Svenska\r\n.\r\n",
        7,
        &l,
    );
    assert_eq!(lang.len(), 7);
    assert_eq!(
        lang[1],
        Ok(Some(b"en-boont English Boontling dialect".to_vec()))
    );
    // Dot-stuffing (RFC 1939 section 3): the first dot goes.
    let r = read_all(b"..\r\n...x\r\n.a\r\n\r\n.\r\n.\r\n", 2, &l);
    assert_eq!(
        r,
        vec![
            Ok(Some(b".".to_vec())),
            Ok(Some(b"..x".to_vec())),
            Ok(Some(b"a".to_vec())),
            Ok(Some(b"".to_vec())),
            Ok(None),
            Ok(None),
        ]
    );
    // The reader stops at the end: what follows belongs to the next answer.
    let mut r = MultiLineReader::new(&l);
    let buf = b".\r\n+OK 2 200\r\n";
    assert_eq!(r.poll(buf).unwrap(), Progress::Complete(MultiLine::End, 3));
}

#[test]
fn multi_line_end_is_only_a_dot_line() {
    let l = Limits::default();
    // Smuggling-style endings are not ends: with strict CRLF they are bad
    // lines, reported, and the block goes on to the real end.
    let r = read_all(b"a\r\n.\nb\r\n.\r\n", 100, &l);
    assert_eq!(
        r,
        vec![
            Ok(Some(b"a".to_vec())),
            Err("BareLf { offset: 1 }".to_string()),
            Ok(Some(b"b".to_vec())),
            Ok(None)
        ]
    );
    let r = read_all(b"a\r\n. \r\n.\r\n", 100, &l);
    assert_eq!(
        r,
        vec![Ok(Some(b"a".to_vec())), Ok(Some(b" ".to_vec())), Ok(None)]
    );
    let r = read_all(b"x\r\n.\r.\r\n", 100, &l);
    assert_eq!(r[1], Err("BareCr { offset: 1 }".to_string()));
}

#[test]
fn multi_line_limits() {
    let l = Limits::default();
    // 510 octets + CRLF = 512: accepted; 513 is not.
    let ok = format!("{}\r\n.\r\n", "a".repeat(510));
    assert_eq!(read_all(ok.as_bytes(), 64, &l).len(), 2);
    let bad = format!("x\r\n{}\r\nnext\r\n.\r\n", "a".repeat(511));
    for chunk in [1, 7, 64, 512, 600, 10_000] {
        let r = read_all(bad.as_bytes(), chunk, &l);
        assert_eq!(
            r,
            vec![Ok(Some(b"x".to_vec())), Err("too long".to_string())],
            "chunk {chunk}"
        );
    }
    // After failing, the reader keeps failing until reset.
    let mut r = MultiLineReader::new(&l);
    let e = r.poll(bad.as_bytes()[3..].as_ref()).unwrap_err();
    assert!(r.has_failed());
    assert_eq!(r.poll(b"next\r\n").unwrap_err().consumed(), 0);
    let _ = e;
    r.reset();
    assert_eq!(
        r.poll(b"next\r\n").unwrap(),
        Progress::Complete(MultiLine::Line(b"next"), 6)
    );
    // A capability flood.
    let mut block = Vec::new();
    for i in 0..65 {
        block.extend_from_slice(format!("X-{i}\r\n").as_bytes());
    }
    block.extend_from_slice(b".\r\n");
    let mut r = MultiLineReader::new(&l).limit_lines(l.max_capabilities);
    let mut buf = &block[..];
    let mut lines = 0;
    let e = loop {
        match r.poll(buf) {
            Ok(Progress::Complete(MultiLine::Line(_), used)) => {
                lines += 1;
                buf = &buf[used..];
            }
            Ok(other) => panic!("{other:?}"),
            Err(e) => break e,
        }
    };
    assert_eq!(lines, 64);
    assert!(matches!(e, ResponseError::Limit(m) if m.limit == "max_capabilities" && m.max == 64));
    // LIST and UIDL blocks are not limited in lines.
    let mut big = Vec::new();
    for i in 1..=1000 {
        big.extend_from_slice(format!("{i} 100\r\n").as_bytes());
    }
    big.extend_from_slice(b".\r\n");
    assert_eq!(read_all(&big, 4096, &l).len(), 1001);
}

#[test]
fn multiline_encoders_stuff_dots() {
    let mut out = Vec::new();
    for l in [".", "..", ".x", "x.", ""] {
        encode_multiline_line(&Text::try_from(l).unwrap(), &mut out);
    }
    encode_end(&mut out);
    assert_eq!(out, b"..\r\n...\r\n..x\r\nx.\r\n\r\n.\r\n");
    let back = read_all(&out, 5, &Limits::default());
    assert_eq!(
        back,
        vec![
            Ok(Some(b".".to_vec())),
            Ok(Some(b"..".to_vec())),
            Ok(Some(b".x".to_vec())),
            Ok(Some(b"x.".to_vec())),
            Ok(Some(b"".to_vec())),
            Ok(None)
        ]
    );
}

#[test]
fn encoders_cannot_inject_lines() {
    // Every builder refuses CR, LF and NUL, so no encoder can write them.
    assert!(StatusLine::ok("done\r\n+OK forged").is_err());
    assert!(Text::try_from("a\nb").is_err());
    assert!(Base64::new("YQ==\r\n+OK").is_err());
    assert!(Uid::new("a\r\nb").is_err());
    assert!(Text::try_from("a\r\nSTLS").is_err());
    let c = Capability::other(
        pop3_proto::Arg::new("X").unwrap(),
        Text::try_from("a b").unwrap(),
    );
    let mut out = Vec::new();
    c.unwrap().encode(&mut out);
    assert_eq!(out, b"X a b\r\n");
    assert!(Capability::other(pop3_proto::Arg::new("TOP").unwrap(), Text::empty()).is_err());
    assert!(Capability::other(pop3_proto::Arg::new("X.Y").unwrap(), Text::empty()).is_err());
}
