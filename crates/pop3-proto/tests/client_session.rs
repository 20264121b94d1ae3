//! The sans-IO client session against scripted server bytes: greetings and
//! APOP timestamps, CAPA-aware login choices (SASL PLAIN, USER/PASS, LOGIN),
//! failures with RFC 2449/3206 codes, PIPELINING and response matching,
//! streamed listings, RETR/TOP bodies (dot-stuffing, empty bodies, bare line
//! endings, zero-copy chunks), STLS response injection, the RFC 5034
//! 255-octet rule, misuse errors, broken servers, chunk-split invariance and
//! never panicking on arbitrary server bytes.

// Test helpers and proptest strategies sit outside `#[test]` functions, where
// clippy.toml's test exemption does not reach; this whole crate is tests.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use bytes::Bytes;
use mail_wire::dot::DotOptions;
use mail_wire::sasl::{ClientExchange, Mechanism};
use pop3_proto::client::{Client, ClientConfig, ClientError, ClientEvent, ClientState};
use pop3_proto::{
    ApopDigest, Capability, Limits, MsgNum, ResponseCode, ScanListing, Stat, Status, UidListing,
};
use proptest::prelude::*;

// ----- harness ---------------------------------------------------------------

const DOVECOT_GREETING: &[u8] = b"+OK Dovecot (Debian) ready.\r\n";
const DOVECOT_CAPA: &[u8] = b"+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\nSTLS\r\nUSER\r\nSASL PLAIN LOGIN\r\n.\r\n";
const GMAIL_GREETING: &[u8] = b"+OK Gpop ready for requests from 203.0.113.5 a1mb123456abc\r\n";
const GMAIL_CAPA: &[u8] = b"+OK Capability list follows\r\nUSER\r\nRESP-CODES\r\nEXPIRE 0\r\nLOGIN-DELAY 300\r\nTOP\r\nUIDL\r\nX-GOOGLE-RICO\r\nSASL PLAIN XOAUTH2 OAUTHBEARER\r\n.\r\n";
/// A server that lists USER but no SASL and no PIPELINING.
const PLAIN_CAPA: &[u8] = b"+OK\r\nTOP\r\nUIDL\r\nUSER\r\n.\r\n";

fn n(v: u32) -> MsgNum {
    MsgNum::new(v).unwrap()
}

fn events(c: &mut Client) -> Vec<ClientEvent> {
    std::iter::from_fn(|| c.poll_event()).collect()
}

/// Feeds `input`, returns the events and the output it caused.
fn feed(c: &mut Client, input: &[u8]) -> (Vec<ClientEvent>, Vec<u8>) {
    c.receive(input);
    (events(c), c.take_output().to_vec())
}

fn out(c: &mut Client) -> Vec<u8> {
    c.take_output().to_vec()
}

/// A client that has the greeting and the answer to CAPA.
fn greeted(greeting: &[u8], capa: &[u8]) -> Client {
    let mut c = Client::new(ClientConfig::default());
    c.capa().unwrap();
    let (ev, o) = feed(&mut c, greeting);
    assert!(matches!(ev[0], ClientEvent::Greeting { .. }), "{ev:?}");
    assert_eq!(o, b"CAPA\r\n");
    let (ev, o) = feed(&mut c, capa);
    assert!(matches!(ev[..], [ClientEvent::Capabilities(_)]), "{ev:?}");
    assert!(o.is_empty());
    c
}

/// A Dovecot client logged in with SASL PLAIN.
fn logged_in() -> Client {
    let mut c = greeted(DOVECOT_GREETING, DOVECOT_CAPA);
    c.login("tim", "tanstaaf").unwrap();
    let _ = out(&mut c);
    let (ev, _) = feed(&mut c, b"+OK Logged in.\r\n");
    assert_eq!(ev, [ClientEvent::LoggedIn]);
    c
}

fn plain_ir(user: &str, pass: &str) -> String {
    B64.encode(format!("\0{user}\0{pass}"))
}

/// Concatenates adjacent body chunks, so that event sequences can be compared
/// whatever the chunking of the input.
fn normalize(events: Vec<ClientEvent>) -> Vec<ClientEvent> {
    let mut outv: Vec<ClientEvent> = Vec::new();
    for e in events {
        match (outv.last_mut(), e) {
            (Some(ClientEvent::BodyChunk(prev)), ClientEvent::BodyChunk(next)) => {
                let mut joined = prev.to_vec();
                joined.extend_from_slice(&next);
                *prev = Bytes::from(joined);
            }
            (
                Some(ClientEvent::PlaintextDiscarded { len: a }),
                ClientEvent::PlaintextDiscarded { len: b },
            ) => {
                *a += b;
            }
            (_, e) => outv.push(e),
        }
    }
    outv
}

fn body_of(events: &[ClientEvent]) -> Vec<u8> {
    let mut body = Vec::new();
    for e in events {
        if let ClientEvent::BodyChunk(c) = e {
            body.extend_from_slice(c);
        }
    }
    body
}

fn error_code(e: &ClientEvent) -> Option<ResponseCode<'static>> {
    match e {
        ClientEvent::LoginFailed(s) | ClientEvent::Error { status: s, .. } => s.code.clone(),
        _ => None,
    }
}

fn is_protocol_error(ev: &[ClientEvent]) -> bool {
    matches!(
        ev,
        [.., ClientEvent::ProtocolError { .. }, ClientEvent::Closed]
    )
}

// ----- greeting ----------------------------------------------------------------

#[test]
fn dovecot_greeting_has_no_apop_timestamp() {
    let mut c = Client::new(ClientConfig::default());
    assert_eq!(c.state(), ClientState::Greeting);
    let (ev, o) = feed(&mut c, DOVECOT_GREETING);
    match &ev[..] {
        [
            ClientEvent::Greeting {
                status,
                apop_timestamp: None,
            },
        ] => {
            assert_eq!(status.status, Status::Ok);
            assert_eq!(status.text.as_bytes(), b"Dovecot (Debian) ready.");
        }
        other => panic!("{other:?}"),
    }
    assert!(o.is_empty());
    assert_eq!(c.state(), ClientState::Authorization);
    assert_eq!(
        c.apop(
            "tim",
            ApopDigest::from_hex(b"c4c9334bac560ecc979e58001b3e22fb").unwrap()
        ),
        Err(ClientError::NoApopTimestamp)
    );
}

/// RFC 1939 section 7's APOP example, byte for byte.
#[test]
fn rfc1939_apop_example() {
    let mut c = Client::new(ClientConfig::default());
    let (ev, _) = feed(
        &mut c,
        b"+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n",
    );
    match &ev[..] {
        [ClientEvent::Greeting { apop_timestamp, .. }] => assert_eq!(
            apop_timestamp.as_deref(),
            Some("<1896.697170952@dbc.mtview.ca.us>")
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        c.apop_timestamp(),
        Some("<1896.697170952@dbc.mtview.ca.us>")
    );
    let digest = ApopDigest::from_hex(b"c4c9334bac560ecc979e58001b3e22fb").unwrap();
    c.apop("mrose", digest).unwrap();
    assert_eq!(
        out(&mut c),
        b"APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n"
    );
    let (ev, _) = feed(
        &mut c,
        b"+OK mrose's maildrop has 2 messages (320 octets)\r\n",
    );
    assert_eq!(ev, [ClientEvent::LoggedIn]);
    assert_eq!(c.state(), ClientState::Transaction);
}

#[test]
fn err_greeting_closes() {
    let mut c = Client::new(ClientConfig::default());
    c.capa().unwrap();
    let (ev, o) = feed(&mut c, b"-ERR [SYS/TEMP] Server busy, try later\r\n");
    match &ev[..] {
        [ClientEvent::Greeting { status, .. }, ClientEvent::Closed] => {
            assert_eq!(status.status, Status::Err);
            assert_eq!(status.code, Some(ResponseCode::SysTemp));
        }
        other => panic!("{other:?}"),
    }
    // The queued CAPA is never sent.
    assert!(o.is_empty());
    assert!(c.is_closed());
    assert_eq!(c.capa(), Err(ClientError::Closed));
}

#[test]
fn nothing_is_sent_before_the_greeting() {
    let mut c = Client::new(ClientConfig::default());
    c.capa().unwrap();
    c.login("tim", "pw").unwrap();
    assert!(out(&mut c).is_empty());
    // The greeting arrives in two pieces.
    let (ev, o) = feed(&mut c, b"+OK Dovecot ");
    assert!(ev.is_empty() && o.is_empty());
    let (_, o) = feed(&mut c, b"ready.\r\n");
    assert_eq!(o, b"CAPA\r\n");
    // The login waits for CAPA: the server lists SASL PLAIN, so it is used.
    let (_, o) = feed(&mut c, DOVECOT_CAPA);
    assert_eq!(
        o,
        format!("AUTH PLAIN {}\r\n", plain_ir("tim", "pw")).as_bytes()
    );
}

// ----- capabilities and login choices --------------------------------------------

#[test]
fn dovecot_capabilities_are_typed() {
    let c = greeted(DOVECOT_GREETING, DOVECOT_CAPA);
    let caps = c.capabilities().unwrap();
    assert!(caps.top() && caps.uidl() && caps.pipelining() && caps.stls() && caps.user());
    assert!(caps.0.contains(&Capability::AuthRespCode));
    let mechs: Vec<_> = caps.sasl().cloned().collect();
    assert_eq!(mechs, [Mechanism::Plain, Mechanism::Login]);
}

#[test]
fn login_uses_sasl_plain_when_listed() {
    let mut c = greeted(DOVECOT_GREETING, DOVECOT_CAPA);
    c.login("tim", "tanstaaf").unwrap();
    assert_eq!(
        out(&mut c),
        format!("AUTH PLAIN {}\r\n", plain_ir("tim", "tanstaaf")).as_bytes()
    );
    assert_eq!(
        c.login("tim", "again"),
        Err(ClientError::WrongState("a login is in progress"))
    );
    let (ev, _) = feed(&mut c, b"+OK Logged in.\r\n");
    assert_eq!(ev, [ClientEvent::LoggedIn]);
    assert_eq!(
        c.login("tim", "again"),
        Err(ClientError::WrongState("already logged in"))
    );
}

#[test]
fn gmail_login_failure_has_auth_code() {
    let mut c = greeted(GMAIL_GREETING, GMAIL_CAPA);
    c.login("someone@gmail.com", "wrong").unwrap();
    assert_eq!(
        out(&mut c),
        format!("AUTH PLAIN {}\r\n", plain_ir("someone@gmail.com", "wrong")).as_bytes()
    );
    let (ev, _) = feed(
        &mut c,
        b"-ERR [AUTH] Username and password not accepted.\r\n",
    );
    assert_eq!(ev.len(), 1);
    assert_eq!(error_code(&ev[0]), Some(ResponseCode::Auth));
    assert!(
        matches!(&ev[0], ClientEvent::LoginFailed(s) if s.text.as_bytes() == b"Username and password not accepted.")
    );
    // Still in AUTHORIZATION: another attempt is allowed.
    assert_eq!(c.state(), ClientState::Authorization);
    c.login("someone@gmail.com", "right").unwrap();
    assert!(!out(&mut c).is_empty());
}

#[test]
fn login_uses_user_pass_without_sasl_plain_one_at_a_time() {
    let mut c = greeted(b"+OK ready\r\n", PLAIN_CAPA);
    c.login("tim", "tan staaf").unwrap();
    // No PIPELINING: PASS waits for the answer to USER.
    assert_eq!(out(&mut c), b"USER tim\r\n");
    let (ev, o) = feed(&mut c, b"+OK send PASS\r\n");
    assert!(ev.is_empty());
    assert_eq!(o, b"PASS tan staaf\r\n");
    let (ev, _) = feed(&mut c, b"+OK maildrop has 2 messages (320 octets)\r\n");
    assert_eq!(ev, [ClientEvent::LoggedIn]);
}

#[test]
fn login_without_capa_uses_user_pass() {
    let mut c = Client::new(ClientConfig::default());
    feed(&mut c, b"+OK POP3 ready\r\n");
    c.login("tim", "pw").unwrap();
    assert_eq!(out(&mut c), b"USER tim\r\n");
    assert_eq!(feed(&mut c, b"+OK\r\n").1, b"PASS pw\r\n");
}

#[test]
fn login_falls_back_to_sasl_login_when_only_it_is_listed() {
    let mut c = greeted(b"+OK ready\r\n", b"+OK\r\nSASL LOGIN\r\n.\r\n");
    c.login("tim", "pw").unwrap();
    assert_eq!(out(&mut c), b"AUTH LOGIN\r\n");
    let (_, o) = feed(
        &mut c,
        format!("+ {}\r\n", B64.encode("Username:")).as_bytes(),
    );
    assert_eq!(o, format!("{}\r\n", B64.encode("tim")).as_bytes());
    let (_, o) = feed(
        &mut c,
        format!("+ {}\r\n", B64.encode("Password:")).as_bytes(),
    );
    assert_eq!(o, format!("{}\r\n", B64.encode("pw")).as_bytes());
    let (ev, _) = feed(&mut c, b"+OK\r\n");
    assert_eq!(ev, [ClientEvent::LoggedIn]);
}

#[test]
fn login_refused_when_nothing_fits() {
    let mut c = greeted(b"+OK ready\r\n", b"+OK\r\nSASL GSSAPI\r\nTOP\r\n.\r\n");
    assert!(matches!(
        c.login("tim", "pw"),
        Err(ClientError::NotOffered(_))
    ));
    assert_eq!(
        c.user_pass("tim", "pw"),
        Err(ClientError::NotOffered("USER"))
    );
    assert_eq!(
        c.authenticate(ClientExchange::plain(None, "tim", "pw").unwrap()),
        Err(ClientError::NotOffered("this SASL mechanism"))
    );
    // The mechanism the server lists can be driven by the application.
    c.authenticate_raw(Mechanism::new("GSSAPI").unwrap().into_owned(), None)
        .unwrap();
    assert_eq!(out(&mut c), b"AUTH GSSAPI\r\n");
}

#[test]
fn invalid_credentials_are_refused_before_anything_is_sent() {
    let mut c = greeted(b"+OK ready\r\n", PLAIN_CAPA);
    assert!(matches!(
        c.login("tim smith", "pw"),
        Err(ClientError::Value(_))
    ));
    assert!(matches!(
        c.login("tim", "pw\r\nDELE 1"),
        Err(ClientError::Value(_))
    ));
    assert!(matches!(
        c.user_pass(&"x".repeat(249), "pw"),
        Err(ClientError::Value(_))
    ));
    assert_eq!(c.login("jörg", "pw"), Err(ClientError::NeedsUtf8));
    assert!(out(&mut c).is_empty());
    // A failed call leaves no login pending.
    c.login("tim", "pw").unwrap();
    assert_eq!(out(&mut c), b"USER tim\r\n");
}

#[test]
fn utf8_user_names_need_utf8_first() {
    let mut c = greeted(b"+OK ready\r\n", b"+OK\r\nUSER\r\nUTF8\r\n.\r\n");
    assert_eq!(c.user_pass("jörg", "pw"), Err(ClientError::NeedsUtf8));
    c.utf8().unwrap();
    assert_eq!(out(&mut c), b"UTF8\r\n");
    let (ev, _) = feed(&mut c, b"+OK UTF8 enabled\r\n");
    assert!(matches!(&ev[..], [ClientEvent::Ok { verb: "UTF8", .. }]));
    assert!(c.is_utf8());
    c.user_pass("jörg", "pässword").unwrap();
    assert_eq!(out(&mut c), "USER jörg\r\n".as_bytes());
    // RFC 6856 section 2: no STLS after UTF8.
    let mut c = greeted(
        b"+OK ready\r\n",
        b"+OK\r\nSTLS\r\nUTF8 USER\r\nUSER\r\n.\r\n",
    );
    // UTF8 USER: UTF-8 names are allowed before the UTF8 command.
    c.user_pass("jörg", "pw").unwrap();
    let mut c = greeted(b"+OK ready\r\n", b"+OK\r\nSTLS\r\nUTF8\r\n.\r\n");
    c.utf8().unwrap();
    assert!(matches!(c.stls(), Err(ClientError::WrongState(_))));
}

#[test]
fn user_refused_pipelined_pass_is_not_reported_twice() {
    let mut c = greeted(b"+OK ready\r\n", b"+OK\r\nUSER\r\nPIPELINING\r\n.\r\n");
    c.user_pass("nobody", "pw").unwrap();
    assert_eq!(out(&mut c), b"USER nobody\r\nPASS pw\r\n");
    let (ev, _) = feed(
        &mut c,
        b"-ERR [AUTH] no such user\r\n-ERR [AUTH] USER first\r\n",
    );
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(error_code(&ev[0]), Some(ResponseCode::Auth));
    assert!(c.is_idle());
}

#[test]
fn user_refused_pass_is_never_sent() {
    let mut c = greeted(b"+OK ready\r\n", PLAIN_CAPA);
    c.user_pass("nobody", "pw").unwrap();
    assert_eq!(out(&mut c), b"USER nobody\r\n");
    let (ev, o) = feed(&mut c, b"-ERR no such user\r\n");
    assert!(matches!(&ev[..], [ClientEvent::LoginFailed(_)]));
    assert!(o.is_empty());
    assert!(c.is_idle());
}

#[test]
fn in_use_and_login_delay_codes() {
    let mut c = greeted(DOVECOT_GREETING, DOVECOT_CAPA);
    c.login("tim", "pw").unwrap();
    let _ = out(&mut c);
    let (ev, _) = feed(
        &mut c,
        b"-ERR [IN-USE] Mailbox is locked by another POP3 session\r\n",
    );
    assert_eq!(error_code(&ev[0]), Some(ResponseCode::InUse));
    assert!(error_code(&ev[0]).unwrap().is_temporary());
    c.login("tim", "pw").unwrap();
    let _ = out(&mut c);
    let (ev, _) = feed(&mut c, b"-ERR [LOGIN-DELAY] wait 900 seconds\r\n");
    assert_eq!(error_code(&ev[0]), Some(ResponseCode::LoginDelay));
}

// ----- SASL and the RFC 5034 255-octet rule ---------------------------------------

/// "AUTH XOAUTH2 " is 13 octets: with CRLF, 240 base64 characters (180
/// octets of data) make a line of exactly 255 octets, which is allowed.
#[test]
fn initial_response_of_255_octets_goes_on_the_auth_line() {
    let mut c = greeted(GMAIL_GREETING, GMAIL_CAPA);
    let data = vec![b'a'; 180];
    c.authenticate_raw(Mechanism::XOAuth2, Some(data.clone()))
        .unwrap();
    let line = out(&mut c);
    assert_eq!(line.len(), 255);
    assert_eq!(
        line,
        format!("AUTH XOAUTH2 {}\r\n", B64.encode(&data)).as_bytes()
    );
    let (ev, _) = feed(&mut c, b"+OK Welcome.\r\n");
    assert_eq!(ev, [ClientEvent::LoggedIn]);
}

/// One more base64 group (183 octets of data) would make 259 octets: the
/// initial response waits for the server's empty challenge instead.
#[test]
fn initial_response_over_255_octets_waits_for_the_empty_challenge() {
    let mut c = greeted(GMAIL_GREETING, GMAIL_CAPA);
    let data = vec![b'a'; 183];
    c.authenticate_raw(Mechanism::XOAuth2, Some(data.clone()))
        .unwrap();
    assert_eq!(out(&mut c), b"AUTH XOAUTH2\r\n");
    let (ev, o) = feed(&mut c, b"+ \r\n");
    // Answered by the session, not handed to the application.
    assert!(ev.is_empty(), "{ev:?}");
    assert_eq!(o, format!("{}\r\n", B64.encode(&data)).as_bytes());
    let (ev, _) = feed(&mut c, b"+OK Welcome.\r\n");
    assert_eq!(ev, [ClientEvent::LoggedIn]);
}

/// The same rule through `login`: a long password with SASL PLAIN.
#[test]
fn long_plain_password_is_sent_after_the_empty_challenge() {
    let password = "p".repeat(200);
    let mut c = greeted(DOVECOT_GREETING, DOVECOT_CAPA);
    c.login("tim", &password).unwrap();
    assert_eq!(out(&mut c), b"AUTH PLAIN\r\n");
    let (_, o) = feed(&mut c, b"+ \r\n");
    assert_eq!(o, format!("{}\r\n", plain_ir("tim", &password)).as_bytes());
    let (ev, _) = feed(&mut c, b"+OK Logged in.\r\n");
    assert_eq!(ev, [ClientEvent::LoggedIn]);
}

#[test]
fn the_limit_is_the_configured_command_length() {
    let config = ClientConfig {
        limits: Limits {
            max_command_len: 30,
            ..Limits::default()
        },
        ..ClientConfig::default()
    };
    let mut c = Client::new(config);
    feed(&mut c, b"+OK\r\n");
    // "AUTH PLAIN AHRpbQBwdw==\r\n" is 26 octets.
    c.authenticate(ClientExchange::plain(None, "tim", "pw").unwrap())
        .unwrap();
    assert_eq!(out(&mut c), b"AUTH PLAIN AHRpbQBwdw==\r\n");
    feed(&mut c, b"-ERR [AUTH] no\r\n");
    c.authenticate(ClientExchange::plain(None, "tim", "password").unwrap())
        .unwrap();
    assert_eq!(out(&mut c), b"AUTH PLAIN\r\n");
}

#[test]
fn raw_exchange_challenges_go_to_the_application() {
    let mut c = greeted(b"+OK\r\n", b"+OK\r\nSASL X-TOKEN\r\n.\r\n");
    let mech = Mechanism::new("X-TOKEN").unwrap().into_owned();
    c.authenticate_raw(mech, None).unwrap();
    assert_eq!(out(&mut c), b"AUTH X-TOKEN\r\n");
    assert!(matches!(
        c.auth_respond(b"early"),
        Err(ClientError::WrongState(_))
    ));
    let (ev, _) = feed(&mut c, format!("+ {}\r\n", B64.encode("nonce")).as_bytes());
    assert_eq!(ev, [ClientEvent::SaslChallenge(b"nonce".to_vec())]);
    c.auth_respond(b"answer").unwrap();
    assert_eq!(
        out(&mut c),
        format!("{}\r\n", B64.encode("answer")).as_bytes()
    );
    // Only one answer per challenge.
    assert!(c.auth_respond(b"again").is_err());
    let (ev, _) = feed(&mut c, b"+ \r\n");
    assert_eq!(ev, [ClientEvent::SaslChallenge(Vec::new())]);
    c.auth_cancel().unwrap();
    assert_eq!(out(&mut c), b"*\r\n");
    let (ev, _) = feed(&mut c, b"-ERR authentication cancelled\r\n");
    assert!(matches!(&ev[..], [ClientEvent::LoginFailed(_)]));
    assert!(c.auth_cancel().is_err());
}

/// RFC 5034 section 4: a challenge that is not base64 must be cancelled.
#[test]
fn undecodable_challenge_is_cancelled() {
    let mut c = greeted(GMAIL_GREETING, GMAIL_CAPA);
    c.authenticate(ClientExchange::login("tim", "pw"))
        .unwrap_err();
    c.authenticate(ClientExchange::xoauth2("tim@gmail.com", "tok").unwrap())
        .unwrap();
    let _ = out(&mut c);
    let (ev, o) = feed(&mut c, b"+ =AAA\r\n");
    assert!(ev.is_empty());
    assert_eq!(o, b"*\r\n");
    let (ev, _) = feed(&mut c, b"-ERR [AUTH] cancelled\r\n");
    assert!(matches!(&ev[..], [ClientEvent::LoginFailed(_)]));
}

/// XOAUTH2's error challenge is answered with an empty line, then the
/// failure comes.
#[test]
fn xoauth2_error_challenge() {
    let mut c = greeted(GMAIL_GREETING, GMAIL_CAPA);
    c.authenticate(ClientExchange::xoauth2("tim@gmail.com", "tok").unwrap())
        .unwrap();
    let line = out(&mut c);
    assert!(line.starts_with(b"AUTH XOAUTH2 "));
    let json =
        B64.encode(r#"{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}"#);
    let (ev, o) = feed(&mut c, format!("+ {json}\r\n").as_bytes());
    assert!(ev.is_empty());
    assert_eq!(o, b"\r\n");
    let (ev, _) = feed(&mut c, b"-ERR [AUTH] Invalid credentials (Failure)\r\n");
    assert_eq!(error_code(&ev[0]), Some(ResponseCode::Auth));
}

// ----- TRANSACTION: listings, bodies, pipelining -----------------------------------

#[test]
fn stat_list_uidl() {
    let mut c = logged_in();
    c.stat().unwrap();
    c.list(None).unwrap();
    c.list(Some(n(2))).unwrap();
    c.uidl(None).unwrap();
    c.uidl(Some(n(1))).unwrap();
    // Dovecot offers PIPELINING: all five go at once.
    assert_eq!(out(&mut c), b"STAT\r\nLIST\r\nLIST 2\r\nUIDL\r\nUIDL 1\r\n");
    let (ev, _) = feed(
        &mut c,
        b"+OK 2 320\r\n+OK 2 messages:\r\n1 120\r\n2 200\r\n.\r\n+OK 2 200\r\n+OK\r\n1 whqtswO00WBw418f9t5JxYwZ\r\n2 QhdPYR:00WBw1Ph7x7\r\n.\r\n+OK 1 whqtswO00WBw418f9t5JxYwZ\r\n",
    );
    let uid = |m, u: &str| {
        ClientEvent::UidListing(UidListing {
            msg: n(m),
            uid: pop3_proto::Uid::new(u.to_owned()).unwrap(),
        })
    };
    assert_eq!(
        ev,
        [
            ClientEvent::Stat(Stat {
                count: 2,
                size: 320
            }),
            ClientEvent::ScanListing(ScanListing {
                msg: n(1),
                size: 120
            }),
            ClientEvent::ScanListing(ScanListing {
                msg: n(2),
                size: 200
            }),
            ClientEvent::ListingEnd,
            ClientEvent::ScanListing(ScanListing {
                msg: n(2),
                size: 200
            }),
            uid(1, "whqtswO00WBw418f9t5JxYwZ"),
            uid(2, "QhdPYR:00WBw1Ph7x7"),
            ClientEvent::UidListingEnd,
            uid(1, "whqtswO00WBw418f9t5JxYwZ"),
        ]
    );
    assert!(c.is_idle());
}

#[test]
fn empty_listing_and_err_to_a_multiline_command_has_no_body() {
    let mut c = logged_in();
    c.list(None).unwrap();
    c.uidl(Some(n(9))).unwrap();
    c.list(Some(n(9))).unwrap();
    c.stat().unwrap();
    let _ = out(&mut c);
    let (ev, _) = feed(
        &mut c,
        b"+OK 0 messages:\r\n.\r\n-ERR [SYS/PERM] no such message\r\n-ERR There's no message 9.\r\n+OK 0 0\r\n",
    );
    assert_eq!(ev.len(), 4, "{ev:?}");
    assert_eq!(ev[0], ClientEvent::ListingEnd);
    assert!(matches!(
        &ev[1],
        ClientEvent::Error { verb: "UIDL", msg: Some(m), status } if *m == n(9) && status.code == Some(ResponseCode::SysPerm)
    ));
    assert!(matches!(
        &ev[2],
        ClientEvent::Error {
            verb: "LIST",
            msg: Some(_),
            ..
        }
    ));
    assert_eq!(ev[3], ClientEvent::Stat(Stat { count: 0, size: 0 }));
}

#[test]
fn retr_unstuffs_dots() {
    let mut c = logged_in();
    c.retr(n(1)).unwrap();
    assert_eq!(out(&mut c), b"RETR 1\r\n");
    let (ev, _) = feed(
        &mut c,
        b"+OK 120 octets\r\nReturn-Path: <a@example.org>\r\nSubject: dots\r\n\r\n..\r\n..leading dot\r\nnot.a.dot\r\n.\r\n",
    );
    assert_eq!(ev.first(), Some(&ClientEvent::BodyStart { msg: n(1) }));
    assert_eq!(
        ev.last(),
        Some(&ClientEvent::BodyEnd {
            msg: n(1),
            bare_line_endings: 0
        })
    );
    assert_eq!(
        body_of(&ev),
        b"Return-Path: <a@example.org>\r\nSubject: dots\r\n\r\n.\r\n.leading dot\r\nnot.a.dot\r\n"
    );
}

#[test]
fn body_chunks_are_slices_of_the_input() {
    let mut c = logged_in();
    c.retr(n(1)).unwrap();
    let _ = out(&mut c);
    let (ev, _) = feed(&mut c, b"+OK\r\nline one\r\n..two\r\nthree\r\n.\r\n");
    let chunks: Vec<&Bytes> = ev
        .iter()
        .filter_map(|e| match e {
            ClientEvent::BodyChunk(b) => Some(b),
            _ => None,
        })
        .collect();
    assert_eq!(chunks.len(), 2, "one cut, at the removed dot: {ev:?}");
    assert_eq!(&chunks[0][..], b"line one\r\n");
    assert_eq!(&chunks[1][..], b".two\r\nthree\r\n");
    // Both point into one buffer, one byte (the stuffed dot) apart.
    let gap = chunks[1].as_ptr() as usize - chunks[0].as_ptr() as usize;
    assert_eq!(gap, chunks[0].len() + 1);
}

#[test]
fn receive_owned_hands_out_the_callers_buffer() {
    let mut c = logged_in();
    c.retr(n(1)).unwrap();
    let _ = out(&mut c);
    let mut read_buf = bytes::BytesMut::from(&b"+OK\r\nline one\r\n..two\r\n"[..]);
    let (start, len) = (read_buf.as_ptr() as usize, read_buf.len());
    c.receive_owned(read_buf.split());
    let ev = events(&mut c);
    let chunks: Vec<&Bytes> = ev
        .iter()
        .filter_map(|e| match e {
            ClientEvent::BodyChunk(b) => Some(b),
            _ => None,
        })
        .collect();
    assert_eq!(chunks.len(), 2, "{ev:?}");
    for ch in &chunks {
        let p = ch.as_ptr() as usize;
        assert!(
            p >= start && p + ch.len() <= start + len,
            "not a slice of the read buffer"
        );
    }
    // The rest arrives in a second buffer; the body ends there.
    c.receive_owned(bytes::BytesMut::from(&b"three\r\n.\r\n"[..]));
    let ev = events(&mut c);
    assert_eq!(body_of(&ev), b"three\r\n");
    assert!(
        matches!(ev.last(), Some(ClientEvent::BodyEnd { .. })),
        "{ev:?}"
    );
    // A buffer arriving while a line is incomplete is appended, not lost.
    c.retr(n(2)).unwrap();
    let _ = out(&mut c);
    c.receive_owned(bytes::BytesMut::from(&b"+O"[..]));
    c.receive_owned(bytes::BytesMut::from(&b"K\r\nx\r\n.\r\n"[..]));
    let ev = events(&mut c);
    assert_eq!(body_of(&ev), b"x\r\n");
}

#[test]
fn empty_body_and_top() {
    let mut c = logged_in();
    c.retr(n(1)).unwrap();
    c.top(n(2), 0).unwrap();
    assert_eq!(out(&mut c), b"RETR 1\r\nTOP 2 0\r\n");
    let (ev, _) = feed(
        &mut c,
        b"+OK 0 octets\r\n.\r\n+OK top of message follows\r\nSubject: hi\r\n\r\n.\r\n",
    );
    assert_eq!(
        ev,
        [
            ClientEvent::BodyStart { msg: n(1) },
            ClientEvent::BodyEnd {
                msg: n(1),
                bare_line_endings: 0
            },
            ClientEvent::BodyStart { msg: n(2) },
            ClientEvent::BodyChunk(Bytes::from_static(b"Subject: hi\r\n\r\n")),
            ClientEvent::BodyEnd {
                msg: n(2),
                bare_line_endings: 0
            },
        ]
    );
}

#[test]
fn pipelined_retrs_are_matched_in_order() {
    let mut c = logged_in();
    for m in 1..=3 {
        c.retr(n(m)).unwrap();
    }
    c.dele(n(1)).unwrap();
    c.dele(n(3)).unwrap();
    assert_eq!(
        out(&mut c),
        b"RETR 1\r\nRETR 2\r\nRETR 3\r\nDELE 1\r\nDELE 3\r\n"
    );
    let (ev, _) = feed(
        &mut c,
        b"+OK\r\nA: 1\r\n\r\none\r\n.\r\n-ERR [SYS/TEMP] message 2 is being delivered\r\n+OK\r\nA: 3\r\n\r\n..three\r\n.\r\n+OK marked\r\n+OK marked\r\n",
    );
    let ev = normalize(ev);
    assert_eq!(ev.len(), 9, "{ev:?}");
    assert_eq!(ev[0], ClientEvent::BodyStart { msg: n(1) });
    assert_eq!(
        ev[1],
        ClientEvent::BodyChunk(Bytes::from_static(b"A: 1\r\n\r\none\r\n"))
    );
    assert!(matches!(ev[2], ClientEvent::BodyEnd { msg, .. } if msg == n(1)));
    assert!(matches!(
        &ev[3],
        ClientEvent::Error { verb: "RETR", msg: Some(m), status } if *m == n(2) && status.code == Some(ResponseCode::SysTemp)
    ));
    assert_eq!(ev[4], ClientEvent::BodyStart { msg: n(3) });
    assert_eq!(
        ev[5],
        ClientEvent::BodyChunk(Bytes::from_static(b"A: 3\r\n\r\n.three\r\n"))
    );
    assert!(matches!(ev[6], ClientEvent::BodyEnd { msg, .. } if msg == n(3)));
    assert_eq!(ev[7], ClientEvent::Deleted(n(1)));
    assert_eq!(ev[8], ClientEvent::Deleted(n(3)));
}

#[test]
fn without_pipelining_one_command_at_a_time() {
    for (capa, config_pipelining) in [
        (PLAIN_CAPA, true),
        (b"+OK\r\nUSER\r\nPIPELINING\r\n.\r\n".as_slice(), false),
    ] {
        let config = ClientConfig {
            pipelining: config_pipelining,
            ..ClientConfig::default()
        };
        let mut c = Client::new(config);
        c.capa().unwrap();
        feed(&mut c, b"+OK\r\n");
        feed(&mut c, capa);
        c.user_pass("tim", "pw").unwrap();
        assert_eq!(out(&mut c), b"USER tim\r\n");
        assert_eq!(feed(&mut c, b"+OK\r\n").1, b"PASS pw\r\n");
        feed(&mut c, b"+OK\r\n");
        c.retr(n(1)).unwrap();
        c.retr(n(2)).unwrap();
        c.quit().unwrap();
        assert_eq!(out(&mut c), b"RETR 1\r\n");
        // The next command goes only when the body has ended.
        assert!(feed(&mut c, b"+OK\r\nbody\r\n").1.is_empty());
        assert_eq!(feed(&mut c, b".\r\n").1, b"RETR 2\r\n");
        let (ev, o) = feed(&mut c, b"+OK\r\n.\r\n");
        assert_eq!(o, b"QUIT\r\n");
        assert!(matches!(ev.last(), Some(ClientEvent::BodyEnd { .. })));
        let (ev, _) = feed(&mut c, b"+OK bye\r\n");
        assert_eq!(ev, [ClientEvent::Closed]);
    }
}

#[test]
fn body_split_at_every_byte_position() {
    let response: &[u8] =
        b"+OK 57 octets\r\nSubject: x\r\n\r\n..\r\n...two\r\nbare\ncr\rend\r\n.\r\n+OK 1 57\r\n";
    let expected_body: &[u8] = b"Subject: x\r\n\r\n.\r\n..two\r\nbare\ncr\rend\r\n";
    let whole = {
        let mut c = logged_in();
        c.retr(n(1)).unwrap();
        c.list(Some(n(1))).unwrap();
        let _ = out(&mut c);
        normalize(feed(&mut c, response).0)
    };
    assert_eq!(body_of(&whole), expected_body);
    assert!(whole.contains(&ClientEvent::BodyEnd {
        msg: n(1),
        bare_line_endings: 2
    }));
    assert_eq!(
        whole.last(),
        Some(&ClientEvent::ScanListing(ScanListing {
            msg: n(1),
            size: 57
        }))
    );
    for cut in 0..=response.len() {
        for cut2 in [cut, (cut + 1).min(response.len()), response.len()] {
            let mut c = logged_in();
            c.retr(n(1)).unwrap();
            c.list(Some(n(1))).unwrap();
            let _ = out(&mut c);
            let mut ev = feed(&mut c, &response[..cut]).0;
            ev.extend(feed(&mut c, &response[cut..cut2]).0);
            ev.extend(feed(&mut c, &response[cut2..]).0);
            assert_eq!(normalize(ev), whole, "cut at {cut} and {cut2}");
        }
    }
}

/// The end of a body is only `<CRLF>.<CRLF>`: other dot lines are data.
#[test]
fn only_crlf_dot_crlf_ends_a_body() {
    let mut c = logged_in();
    c.retr(n(1)).unwrap();
    c.noop().unwrap();
    let _ = out(&mut c);
    let (ev, _) = feed(&mut c, b"+OK\r\na\n.\nb\r.\rc\n.\r\nd\r\n.\r\n+OK\r\n");
    assert_eq!(body_of(&ev), b"a\n.\nb\r.\rc\n.\r\nd\r\n");
    assert!(matches!(
        ev[ev.len() - 2],
        ClientEvent::BodyEnd {
            bare_line_endings: 5,
            ..
        }
    ));
    assert!(matches!(
        ev.last(),
        Some(ClientEvent::Ok { verb: "NOOP", .. })
    ));
}

#[test]
fn lenient_body_line_endings_count_nothing() {
    let config = ClientConfig {
        body_line_endings: DotOptions {
            allow_bare_lf: true,
            allow_bare_cr: true,
        },
        ..ClientConfig::default()
    };
    let mut c = Client::new(config);
    feed(&mut c, b"+OK\r\n");
    c.user_pass("tim", "pw").unwrap();
    feed(&mut c, b"+OK\r\n");
    feed(&mut c, b"+OK\r\n");
    c.retr(n(1)).unwrap();
    let (ev, _) = feed(&mut c, b"+OK\r\na\nb\rc\r\n.\r\n");
    assert_eq!(body_of(&ev), b"a\nb\rc\r\n");
    assert!(matches!(
        ev.last(),
        Some(ClientEvent::BodyEnd {
            bare_line_endings: 0,
            ..
        })
    ));
}

#[test]
fn dele_rset_noop_quit() {
    let mut c = logged_in();
    c.dele(n(1)).unwrap();
    c.rset().unwrap();
    c.noop().unwrap();
    c.quit().unwrap();
    assert_eq!(out(&mut c), b"DELE 1\r\nRSET\r\nNOOP\r\nQUIT\r\n");
    assert_eq!(c.noop(), Err(ClientError::Closed));
    let (ev, _) = feed(
        &mut c,
        b"+OK Marked to be deleted.\r\n+OK\r\n+OK\r\n+OK Logging out, messages deleted.\r\n",
    );
    assert_eq!(ev.len(), 4);
    assert_eq!(ev[0], ClientEvent::Deleted(n(1)));
    assert!(matches!(&ev[1], ClientEvent::Ok { verb: "RSET", .. }));
    assert!(matches!(&ev[2], ClientEvent::Ok { verb: "NOOP", .. }));
    assert_eq!(ev[3], ClientEvent::Closed);
    assert!(c.is_closed());
    // Input after the end is ignored.
    assert!(feed(&mut c, b"+OK\r\n").0.is_empty());
}

#[test]
fn quit_err_reports_and_closes() {
    let mut c = logged_in();
    c.quit().unwrap();
    let _ = out(&mut c);
    let (ev, _) = feed(
        &mut c,
        b"-ERR [SYS/TEMP] some deleted messages not removed\r\n",
    );
    assert!(matches!(
        &ev[..],
        [ClientEvent::Error { verb: "QUIT", .. }, ClientEvent::Closed]
    ));
}

#[test]
fn quit_in_authorization() {
    let mut c = Client::new(ClientConfig::default());
    c.quit().unwrap();
    assert!(out(&mut c).is_empty());
    let (ev, o) = feed(&mut c, b"+OK ready\r\n");
    assert_eq!(o, b"QUIT\r\n");
    assert_eq!(ev.len(), 1);
    assert_eq!(feed(&mut c, b"+OK bye\r\n").0, [ClientEvent::Closed]);
}

// ----- misuse -------------------------------------------------------------------

#[test]
fn commands_are_checked_against_state_and_capabilities() {
    let mut c = Client::new(ClientConfig::default());
    assert_eq!(c.retr(n(1)), Err(ClientError::WrongState("not logged in")));
    assert_eq!(c.stat(), Err(ClientError::WrongState("not logged in")));
    assert!(c.tls_established().is_err());
    // CAPA without TOP, UIDL, STLS.
    let mut c = greeted(b"+OK\r\n", b"+OK\r\nUSER\r\n.\r\n");
    assert_eq!(c.stls(), Err(ClientError::NotOffered("STLS")));
    assert_eq!(c.utf8(), Err(ClientError::NotOffered("UTF8")));
    c.user_pass("tim", "pw").unwrap();
    feed(&mut c, b"+OK\r\n");
    feed(&mut c, b"+OK\r\n");
    assert_eq!(c.top(n(1), 5), Err(ClientError::NotOffered("TOP")));
    assert_eq!(c.uidl(None), Err(ClientError::NotOffered("UIDL")));
    assert!(matches!(c.stls(), Err(ClientError::WrongState(_))));
    assert!(matches!(c.utf8(), Err(ClientError::WrongState(_))));
    assert!(out(&mut c).is_empty());
    // Without CAPA, TOP and UIDL are tried.
    let mut c = Client::new(ClientConfig::default());
    feed(&mut c, b"+OK\r\n");
    c.user_pass("tim", "pw").unwrap();
    feed(&mut c, b"+OK\r\n");
    feed(&mut c, b"+OK\r\n");
    let _ = out(&mut c);
    c.top(n(1), 5).unwrap();
    assert_eq!(out(&mut c), b"TOP 1 5\r\n");
}

// ----- STLS ---------------------------------------------------------------------

#[test]
fn stls_discards_injected_plaintext_and_forgets_capabilities() {
    let mut c = greeted(DOVECOT_GREETING, DOVECOT_CAPA);
    c.stls().unwrap();
    assert_eq!(out(&mut c), b"STLS\r\n");
    // Queued meanwhile: waits for TLS (RFC 2595 section 4).
    c.login("tim", "pw").unwrap();
    assert!(out(&mut c).is_empty());
    // A man in the middle appends a fake CAPA answer to the server's +OK.
    let injected: &[u8] = b"+OK\r\nUSER\r\n.\r\n+OK Logged in.\r\n";
    let mut packet = b"+OK Begin TLS negotiation now.\r\n".to_vec();
    packet.extend_from_slice(injected);
    let (ev, o) = feed(&mut c, &packet);
    assert_eq!(
        ev,
        [
            ClientEvent::TlsReady,
            ClientEvent::PlaintextDiscarded {
                len: injected.len()
            }
        ]
    );
    assert!(o.is_empty());
    // More plaintext before the handshake completes is dropped too.
    let (ev, _) = feed(&mut c, b"+OK\r\n");
    assert_eq!(ev, [ClientEvent::PlaintextDiscarded { len: 5 }]);
    c.tls_established().unwrap();
    assert!(c.is_tls());
    assert!(c.capabilities().is_none());
    // CAPA goes again first; the login waits for it.
    assert_eq!(out(&mut c), b"CAPA\r\n");
    let (ev, o) = feed(
        &mut c,
        b"+OK\r\nTOP\r\nUIDL\r\nPIPELINING\r\nUSER\r\nSASL PLAIN\r\n.\r\n",
    );
    assert!(matches!(&ev[..], [ClientEvent::Capabilities(caps)] if !caps.stls()));
    assert_eq!(
        o,
        format!("AUTH PLAIN {}\r\n", plain_ir("tim", "pw")).as_bytes()
    );
    assert!(matches!(c.stls(), Err(ClientError::WrongState(_))));
}

#[test]
fn stls_refused_goes_on_in_plaintext() {
    let mut c = greeted(DOVECOT_GREETING, DOVECOT_CAPA);
    c.stls().unwrap();
    let _ = out(&mut c);
    let (ev, _) = feed(&mut c, b"-ERR TLS not available\r\n");
    assert!(matches!(&ev[..], [ClientEvent::Error { verb: "STLS", .. }]));
    assert!(!c.is_tls());
    assert!(c.tls_established().is_err());
    c.stls().unwrap();
}

// ----- broken servers -------------------------------------------------------------

#[test]
fn garbage_is_a_protocol_error() {
    let cases: &[&[u8]] = &[
        b"SSH-2.0-OpenSSH_9.2\r\n",
        b"+OK\nline ended by LF alone\n",
        b"+OKAY\r\n",
        b"\0\0\0\0\r\n",
        b"-ERR [unterminated code\r\n",
    ];
    for input in cases {
        let mut c = Client::new(ClientConfig::default());
        let (ev, _) = feed(&mut c, input);
        assert!(is_protocol_error(&ev), "{input:?}: {ev:?}");
        assert!(c.is_closed());
        assert!(feed(&mut c, b"+OK\r\n").0.is_empty());
    }
}

#[test]
fn unsolicited_response_is_a_protocol_error() {
    let mut c = logged_in();
    let (ev, _) = feed(&mut c, b"-ERR Disconnected for inactivity.\r\n");
    assert!(is_protocol_error(&ev), "{ev:?}");
    assert!(
        matches!(&ev[0], ClientEvent::ProtocolError { reason } if reason.contains("Disconnected"))
    );
}

#[test]
fn over_long_lines_close_without_waiting_for_their_end() {
    let mut c = Client::new(ClientConfig::default());
    let (ev, _) = feed(&mut c, &[b'+'; 600]);
    assert!(is_protocol_error(&ev), "{ev:?}");
    // A listing line too.
    let mut c = logged_in();
    c.list(None).unwrap();
    let mut input = b"+OK\r\n1 ".to_vec();
    input.extend(std::iter::repeat_n(b'9', 600));
    let (ev, _) = feed(&mut c, &input);
    assert!(is_protocol_error(&ev), "{ev:?}");
}

#[test]
fn bad_listing_lines_and_numbers_are_protocol_errors() {
    for (cmd, input) in [
        (0, &b"+OK 2 messages\r\n1 120\r\n0 200\r\n.\r\n"[..]),
        (0, b"+OK\r\n1 99999999999999999999999\r\n.\r\n"),
        (1, b"+OK 1 messages\r\n99999999999 10\r\n.\r\n"),
        (2, b"+OK many 320\r\n"),
        (3, b"+OK\r\n1 has a space\r\n.\r\n"),
    ] {
        let mut c = logged_in();
        match cmd {
            0 | 1 => c.list(None).unwrap(),
            2 => c.stat().unwrap(),
            _ => c.uidl(None).unwrap(),
        }
        let (ev, _) = feed(&mut c, input);
        assert!(is_protocol_error(&ev), "{input:?}: {ev:?}");
    }
}

#[test]
fn too_many_capabilities() {
    let mut config = ClientConfig::default();
    config.limits.max_capabilities = 3;
    let mut c = Client::new(config);
    c.capa().unwrap();
    let (ev, _) = feed(&mut c, b"+OK\r\n+OK\r\nA\r\nB\r\nC\r\nD\r\n.\r\n");
    assert!(is_protocol_error(&ev), "{ev:?}");
}

#[test]
fn continuation_outside_auth_is_a_protocol_error() {
    let mut c = logged_in();
    c.noop().unwrap();
    let (ev, _) = feed(&mut c, b"+ \r\n");
    assert!(is_protocol_error(&ev), "{ev:?}");
}

#[test]
fn lenient_status_case_when_asked() {
    let mut config = ClientConfig::default();
    config.responses.case_insensitive_status = true;
    let mut c = Client::new(config);
    let (ev, _) = feed(&mut c, b"+ok hello\r\n");
    assert!(matches!(&ev[..], [ClientEvent::Greeting { .. }]));
}

// ----- chunk-split invariance and robustness ----------------------------------------

type Step = (fn(&mut Client), &'static [u8]);

/// A whole Dovecot session: the server's bytes for each step, after the
/// application's calls for that step.
fn script() -> Vec<Step> {
    vec![
        (
            |c| c.capa().unwrap(),
            b"+OK Dovecot (Debian) ready.\r\n+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\nSTLS\r\nUSER\r\nSASL PLAIN LOGIN\r\n.\r\n",
        ),
        (
            |c| c.login("tim", "pw").unwrap(),
            b"+OK Logged in.\r\n",
        ),
        (
            |c| {
                c.stat().unwrap();
                c.list(None).unwrap();
                c.uidl(None).unwrap();
                c.retr(n(1)).unwrap();
                c.top(n(2), 1).unwrap();
                c.retr(n(3)).unwrap();
                c.retr(n(4)).unwrap();
            },
            b"+OK 3 400\r\n+OK 3 messages:\r\n1 120\r\n2 200\r\n3 80\r\n.\r\n+OK\r\n1 000000017a1b2c3d\r\n2 000000027a1b2c3d\r\n3 000000037a1b2c3d\r\n.\r\n+OK 120 octets\r\nSubject: one\r\n\r\n..\r\n..dot\r\nbare\nlf and bare\rcr\r\n.\r\n+OK\r\nSubject: two\r\n\r\nfirst line\r\n.\r\n+OK 0 octets\r\n.\r\n-ERR [SYS/TEMP] try later\r\n",
        ),
        (
            |c| {
                c.dele(n(1)).unwrap();
                c.rset().unwrap();
                c.dele(n(2)).unwrap();
                c.noop().unwrap();
                c.quit().unwrap();
            },
            b"+OK Marked to be deleted.\r\n+OK\r\n+OK Marked to be deleted.\r\n+OK\r\n+OK Logging out, messages deleted.\r\n",
        ),
    ]
}

/// Runs the script, feeding each step's bytes in pieces cut at `cuts`
/// (fractions of the step's length). Returns the normalized events and the
/// output.
fn run_script(cuts: &[usize]) -> (Vec<ClientEvent>, Vec<u8>) {
    let mut c = Client::new(ClientConfig::default());
    let mut ev = Vec::new();
    let mut output = Vec::new();
    for (i, (act, bytes)) in script().into_iter().enumerate() {
        if c.is_closed() {
            panic!("closed before step {i}: {:?}", normalize(ev));
        }
        act(&mut c);
        output.extend(out(&mut c));
        let mut points: Vec<usize> = cuts
            .iter()
            .map(|&p| p.wrapping_mul(i + 1) % (bytes.len() + 1))
            .collect();
        points.sort_unstable();
        let mut last = 0;
        for p in points.into_iter().chain([bytes.len()]) {
            let (e, o) = feed(&mut c, &bytes[last..p]);
            ev.extend(e);
            output.extend(o);
            last = p;
        }
    }
    (normalize(ev), output)
}

#[test]
fn scripted_session_reaches_the_end() {
    let (ev, output) = run_script(&[]);
    assert_eq!(ev.last(), Some(&ClientEvent::Closed));
    assert!(
        !ev.iter()
            .any(|e| matches!(e, ClientEvent::ProtocolError { .. }))
    );
    assert!(ev.contains(&ClientEvent::BodyChunk(Bytes::from_static(
        b"Subject: one\r\n\r\n.\r\n.dot\r\nbare\nlf and bare\rcr\r\n"
    ))));
    assert!(ev.contains(&ClientEvent::BodyEnd {
        msg: n(1),
        bare_line_endings: 2
    }));
    assert!(ev.contains(&ClientEvent::BodyEnd {
        msg: n(3),
        bare_line_endings: 0
    }));
    assert_eq!(
        output,
        format!(
            "CAPA\r\nAUTH PLAIN {}\r\nSTAT\r\nLIST\r\nUIDL\r\nRETR 1\r\nTOP 2 1\r\nRETR 3\r\nRETR 4\r\nDELE 1\r\nRSET\r\nDELE 2\r\nNOOP\r\nQUIT\r\n",
            plain_ir("tim", "pw")
        )
        .as_bytes()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// However the server's bytes are cut, the events (with adjacent body
    /// chunks joined) and the output are the same.
    #[test]
    fn chunk_split_invariance(cuts in proptest::collection::vec(0usize..2000, 0..12)) {
        let whole = run_script(&[]);
        let split = run_script(&cuts);
        prop_assert_eq!(split, whole);
    }

    /// Arbitrary server bytes, with the application asking for more
    /// between pieces, never panic; `Closed` comes once, last.
    #[test]
    fn arbitrary_server_bytes_never_panic(
        data in proptest::collection::vec(any::<u8>(), 0..600),
        step in 1usize..40,
    ) {
        let mut c = Client::new(ClientConfig::default());
        c.capa().unwrap();
        c.login("tim", "pw").unwrap();
        let mut ev = Vec::new();
        for piece in data.chunks(step) {
            ev.extend(feed(&mut c, piece).0);
            let _ = c.retr(n(1));
            let _ = c.list(None);
            let _ = c.auth_respond(b"x");
            let _ = c.stls();
            let _ = c.tls_established();
        }
        let closed = ev.iter().filter(|e| **e == ClientEvent::Closed).count();
        prop_assert!(closed <= 1);
        if closed == 1 {
            prop_assert_eq!(ev.last(), Some(&ClientEvent::Closed));
            prop_assert!(c.is_closed());
        }
    }

    /// Arbitrary bytes answering a pipelined RETR, UIDL, CAPA, LIST and TOP
    /// give the same events (body chunks joined) however they are cut.
    #[test]
    fn arbitrary_bytes_split_invariance(
        data in proptest::collection::vec(
            prop_oneof![
                Just(b"+OK\r\n".to_vec()),
                Just(b".\r\n".to_vec()),
                Just(b"..\r\n".to_vec()),
                Just(b"\r\n".to_vec()),
                Just(b"1 2\r\n".to_vec()),
                Just(b"-ERR [IN-USE] x\r\n".to_vec()),
                proptest::collection::vec(any::<u8>(), 0..8),
            ],
            0..40,
        ),
        cuts in proptest::collection::vec(any::<usize>(), 0..10),
    ) {
        let data: Vec<u8> = data.concat();
        let start = || {
            let mut c = logged_in();
            c.retr(n(1)).unwrap();
            c.uidl(None).unwrap();
            c.capa().unwrap();
            c.list(None).unwrap();
            c.top(n(2), 3).unwrap();
            let _ = out(&mut c);
            c
        };
        let mut whole = start();
        let (ev_whole, out_whole) = feed(&mut whole, &data);
        let mut split = start();
        let mut points: Vec<usize> = cuts.iter().map(|p| p % (data.len() + 1)).collect();
        points.sort_unstable();
        let mut ev_split = Vec::new();
        let mut out_split = Vec::new();
        let mut last = 0;
        for p in points.into_iter().chain([data.len()]) {
            let (e, o) = feed(&mut split, &data[last..p]);
            ev_split.extend(e);
            out_split.extend(o);
            last = p;
        }
        prop_assert_eq!(normalize(ev_split), normalize(ev_whole));
        prop_assert_eq!(out_split, out_whole);
    }

    /// Arbitrary bytes after a valid prefix (greeting, CAPA, login, a RETR
    /// in flight) never panic, and a session that reports a protocol error
    /// then closes.
    #[test]
    fn arbitrary_bytes_mid_session(data in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut c = logged_in();
        c.retr(n(1)).unwrap();
        c.uidl(None).unwrap();
        c.capa().unwrap();
        let (ev, _) = feed(&mut c, &data);
        if ev.iter().any(|e| matches!(e, ClientEvent::ProtocolError { .. })) {
            prop_assert_eq!(ev.last(), Some(&ClientEvent::Closed));
            prop_assert!(c.is_closed());
        }
    }
}

/// Many pipelined answers in one buffer, and a large body fed a byte at a
/// time: the work is linear (a quadratic path would take minutes here).
#[test]
fn many_pipelined_answers_and_a_large_body_in_small_pieces() {
    let mut c = logged_in();
    let count = 20_000u32;
    let mut input = Vec::new();
    for m in 1..=count {
        c.retr(n(m)).unwrap();
        input.extend_from_slice(b"+OK\r\nSubject: x\r\n\r\n..\r\n.\r\n");
    }
    assert_eq!(
        out(&mut c).len(),
        (1..=count).map(|m| 7 + m.to_string().len()).sum::<usize>()
    );
    let (ev, _) = feed(&mut c, &input);
    let ends = ev
        .iter()
        .filter(|e| matches!(e, ClientEvent::BodyEnd { .. }))
        .count();
    assert_eq!(ends, count as usize);
    assert!(c.is_idle());

    c.retr(n(1)).unwrap();
    let _ = out(&mut c);
    let line = b"0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ\r\n";
    let mut body = b"+OK\r\n".to_vec();
    for _ in 0..20_000 {
        body.extend_from_slice(line);
    }
    body.extend_from_slice(b".\r\n");
    let mut total = 0;
    for b in body.chunks(1) {
        c.receive(b);
        while let Some(e) = c.poll_event() {
            if let ClientEvent::BodyChunk(chunk) = e {
                total += chunk.len();
            }
        }
    }
    assert_eq!(total, line.len() * 20_000);
}
