//! Our client against our server, in memory: each side's output is fed to
//! the other until both are quiet. Plain, pipelined, BDAT, LMTP, STARTTLS and
//! AUTH sessions, many recipients, refusals, oversized messages; the body the
//! server receives must be the body the client sent.

// Test helpers and proptest strategies sit outside `#[test]` functions, where
// clippy.toml's test exemption does not reach; this whole crate is tests.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::VecDeque;

use mail_wire::dot::DotOptions;
use mail_wire::sasl::{ClientExchange, Mechanism};
use proptest::prelude::*;
use smtp_proto::Reply;
use smtp_proto::client::{
    BodyTransfer, Client, ClientConfig, ClientError, ClientEvent, Envelope, MessageResult,
};
use smtp_proto::server::{AbortReason, Protocol, Server, ServerConfig, ServerEvent};
use smtp_proto::{Body, ReplyCode};

/// One message the client sends: its envelope and its body in pieces.
struct Message {
    envelope: Envelope,
    pieces: Vec<Vec<u8>>,
}

fn message(to: &[&str], pieces: &[&[u8]]) -> Message {
    Message {
        envelope: Envelope::new("sender@example.com", to).unwrap(),
        pieces: pieces.iter().map(|p| p.to_vec()).collect(),
    }
}

struct Scenario {
    server: ServerConfig,
    client: ClientConfig,
    starttls: bool,
    auth: Option<ClientExchange>,
    /// The password the server application accepts.
    password: &'static str,
    messages: Vec<Message>,
}

fn scenario(messages: Vec<Message>) -> Scenario {
    Scenario {
        server: ServerConfig::new("mx.example.org").unwrap(),
        client: ClientConfig::new("client.example").unwrap(),
        starttls: false,
        auth: None,
        password: "tanstaaf",
        messages,
    }
}

#[derive(Debug, Default)]
struct Outcome {
    results: Vec<MessageResult>,
    /// Bodies the server application saw end (`MessageEnd`).
    received: Vec<Vec<u8>>,
    server_events: Vec<ServerEvent>,
    client_events: Vec<ClientEvent>,
    /// Everything the client wrote.
    c2s: Vec<u8>,
    /// The client's writes, one per turn.
    writes: Vec<Vec<u8>>,
    authenticated: bool,
    client_closed: bool,
    server_closed: bool,
    /// Messages never sent (the session ended first).
    unsent: usize,
}

impl Outcome {
    fn aborted(&self) -> Vec<AbortReason> {
        self.server_events
            .iter()
            .filter_map(|e| match e {
                ServerEvent::MessageAborted { reason } => Some(*reason),
                _ => None,
            })
            .collect()
    }

    fn rejected_commands(&self) -> usize {
        self.server_events
            .iter()
            .filter(|e| matches!(e, ServerEvent::CommandRejected { .. }))
            .count()
    }
}

fn reply(code: u16, text: &str) -> Reply<'static> {
    Reply::new(ReplyCode::new(code).unwrap(), text.to_owned()).unwrap()
}

/// Runs a whole session; panics if it does not end with both sides closed.
fn run(mut sc: Scenario) -> Outcome {
    let lmtp = sc.server.protocol == Protocol::Lmtp;
    let mut server = Server::new(sc.server.clone());
    let mut client = Client::new(sc.client.clone());
    let mut o = Outcome::default();
    let mut queue: VecDeque<Message> = sc.messages.drain(..).collect();
    let mut pieces: VecDeque<Vec<u8>> = VecDeque::new();
    let mut current = Vec::new();
    let mut accepted_rcpts: Vec<String> = Vec::new();
    let mut starttls_pending = sc.starttls;

    let next_message =
        |client: &mut Client, queue: &mut VecDeque<Message>, pieces: &mut VecDeque<Vec<u8>>| {
            match queue.pop_front() {
                Some(m) => {
                    *pieces = m.pieces.into_iter().collect();
                    client.send_mail(m.envelope).unwrap();
                }
                None => client.quit(),
            }
        };

    for _round in 0..10_000 {
        let mut progress = false;
        let out = server.take_output();
        if !out.is_empty() {
            progress = true;
            client.receive(&out);
        }
        while let Some(e) = client.poll_event() {
            match &e {
                ClientEvent::Ready { .. } => {
                    if starttls_pending {
                        starttls_pending = false;
                        client.starttls().unwrap();
                    } else if let Some(ex) = sc.auth.take() {
                        client.authenticate(ex).unwrap();
                    } else {
                        next_message(&mut client, &mut queue, &mut pieces);
                    }
                }
                ClientEvent::StartTls => client.tls_established().unwrap(),
                ClientEvent::Authenticated => {
                    o.authenticated = true;
                    next_message(&mut client, &mut queue, &mut pieces);
                }
                ClientEvent::AuthFailed(_) => client.quit(),
                ClientEvent::SendBody => {
                    while let Some(p) = pieces.pop_front() {
                        match client.send_body(&p) {
                            Ok(()) => {}
                            Err(ClientError::WrongState(_)) => {
                                pieces.push_front(p);
                                break;
                            }
                            Err(e) => panic!("send_body: {e}"),
                        }
                    }
                    if pieces.is_empty() {
                        match client.finish_body() {
                            Ok(()) | Err(ClientError::WrongState(_)) => {}
                            Err(e) => panic!("finish_body: {e}"),
                        }
                    }
                }
                ClientEvent::MessageResult(r) => {
                    o.results.push(r.clone());
                    next_message(&mut client, &mut queue, &mut pieces);
                }
                ClientEvent::ProtocolError(e) => panic!("client protocol error: {e}"),
                _ => {}
            }
            o.client_events.push(e);
        }
        let out = client.take_output();
        if !out.is_empty() {
            progress = true;
            o.c2s.extend_from_slice(&out);
            o.writes.push(out.to_vec());
            server.receive(&out);
        }
        while let Some(e) = server.poll_event() {
            match &e {
                ServerEvent::Mail { .. } => {
                    accepted_rcpts.clear();
                    server.accept().unwrap();
                }
                ServerEvent::Rcpt { to, .. } => {
                    let to = to.to_string();
                    if to.contains("reject") {
                        server
                            .reject(reply(550, "5.1.1 No such user here"))
                            .unwrap();
                    } else {
                        accepted_rcpts.push(to);
                        server.accept().unwrap();
                    }
                }
                ServerEvent::MessageStart => current.clear(),
                ServerEvent::MessageChunk(b) => current.extend_from_slice(b),
                ServerEvent::MessageEnd { size } => {
                    assert_eq!(*size, current.len() as u64);
                    o.received.push(std::mem::take(&mut current));
                    if lmtp {
                        let replies: Vec<Reply<'static>> = accepted_rcpts
                            .iter()
                            .map(|r| {
                                if r.contains("full") {
                                    reply(452, &format!("4.2.2 {r} is over quota"))
                                } else {
                                    reply(250, &format!("2.0.0 {r} delivered"))
                                }
                            })
                            .collect();
                        server.accept_lmtp(&replies).unwrap();
                    } else {
                        server.accept().unwrap();
                    }
                }
                ServerEvent::MessageAborted { .. } => current.clear(),
                ServerEvent::Auth { credentials } => {
                    if credentials.secret() == sc.password {
                        server.accept().unwrap();
                    } else {
                        server
                            .reject(reply(535, "5.7.8 Authentication credentials invalid"))
                            .unwrap();
                    }
                }
                ServerEvent::StartTls => server.tls_established().unwrap(),
                _ => {}
            }
            o.server_events.push(e);
        }
        if !progress {
            break;
        }
    }
    o.client_closed = client.is_closed();
    o.server_closed = server.is_closed();
    assert!(
        o.client_closed && o.server_closed,
        "session did not finish: client {:?}\nserver {:?}",
        o.client_events,
        o.server_events
    );
    o.unsent = queue.len();
    o
}

const BODY: &[u8] = b"From: sender@example.com\r\nTo: b@example.org\r\nSubject: test\r\n\r\n\
.a line starting with a dot\r\n.\r\n..\r\nCRLF.CRLF inside: \r\n.\r\n in the middle\r\nlast line\r\n";

fn pieces_of(body: &[u8], size: usize) -> Vec<&[u8]> {
    body.chunks(size).collect()
}

fn no_pipelining(mut cfg: ServerConfig) -> ServerConfig {
    cfg.extensions.pipelining = false;
    cfg
}

// ----- sessions -------------------------------------------------------------

#[test]
fn plain_session_one_command_at_a_time() {
    let mut sc = scenario(vec![message(&["b@example.org"], &pieces_of(BODY, 7))]);
    sc.server = no_pipelining(sc.server);
    sc.server.extensions.chunking = false;
    let o = run(sc);
    assert_eq!(o.received, [BODY]);
    assert_eq!(o.results.len(), 1);
    assert!(o.results[0].accepted);
    assert_eq!(o.unsent, 0);
    // One command per turn until the data.
    let lines: Vec<&[u8]> = o.writes.iter().take(4).map(Vec::as_slice).collect();
    assert_eq!(
        lines,
        [
            &b"EHLO client.example\r\n"[..],
            b"MAIL FROM:<sender@example.com>\r\n",
            b"RCPT TO:<b@example.org>\r\n",
            b"DATA\r\n"
        ]
    );
    assert!(o.c2s.starts_with(
        b"EHLO client.example\r\nMAIL FROM:<sender@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n"
    ));
    assert!(o.c2s.ends_with(b"\r\n.\r\nQUIT\r\n"));
    assert_eq!(o.rejected_commands(), 0);
}

#[test]
fn pipelined_session_with_two_messages() {
    let body2: &[u8] = b"Subject: second\r\n\r\nno final line break";
    let o = run(scenario(vec![
        message(&["b@example.org", "c@example.org"], &pieces_of(BODY, 1)),
        message(&["d@example.org"], &[body2]),
    ]));
    // The envelope goes in one turn.
    assert!(o.writes.iter().any(|w| w
        == b"MAIL FROM:<sender@example.com>\r\nRCPT TO:<b@example.org>\r\nRCPT TO:<c@example.org>\r\nDATA\r\n"));
    let mut want2 = body2.to_vec();
    want2.extend_from_slice(b"\r\n");
    assert_eq!(o.received, [BODY.to_vec(), want2]);
    assert!(o.results.iter().all(|r| r.accepted));
    assert_eq!(o.results[0].recipients.len(), 2);
    assert_eq!(o.rejected_commands(), 0);
}

#[test]
fn bdat_session() {
    for pipelining in [true, false] {
        let mut sc = scenario(vec![
            message(&["b@example.org"], &pieces_of(BODY, 13)),
            message(&["c@example.org"], &[b"", b"\0binary\r\n.\r\n", b""]),
        ]);
        sc.client.transfer = BodyTransfer::PreferChunking;
        if !pipelining {
            sc.server = no_pipelining(sc.server);
        }
        let o = run(sc);
        assert_eq!(
            o.received,
            [BODY.to_vec(), b"\0binary\r\n.\r\n".to_vec()],
            "pipelining {pipelining}"
        );
        assert!(o.results.iter().all(|r| r.accepted));
        assert!(o.c2s.windows(13).any(|w| w == b"BDAT 0 LAST\r\n"));
        assert!(!o.c2s.windows(6).any(|w| w == b"DATA\r\n"));
    }
}

#[test]
fn bdat_binarymime_session() {
    let mut sc = scenario(vec![]);
    sc.server.extensions.binary_mime = true;
    sc.client.transfer = BodyTransfer::PreferChunking;
    let mut m = message(&["b@example.org"], &[b"\x00\x01\x02\r\r\n\n\xfe"]);
    m.envelope.mail_params.body = Some(Body::BinaryMime);
    sc.messages.push(m);
    let o = run(sc);
    assert_eq!(o.received, [b"\x00\x01\x02\r\r\n\n\xfe"]);
    assert!(o.results[0].accepted);
}

#[test]
fn lmtp_session() {
    for transfer in [BodyTransfer::Data, BodyTransfer::PreferChunking] {
        let mut sc = scenario(vec![
            message(
                &[
                    "one@example.org",
                    "reject@example.org",
                    "full@example.org",
                    "two@example.org",
                ],
                &pieces_of(BODY, 9),
            ),
            message(&["full@example.org"], &[b"x\r\n"]),
        ]);
        sc.server.protocol = Protocol::Lmtp;
        sc.client.protocol = Protocol::Lmtp;
        sc.client.transfer = transfer;
        let o = run(sc);
        assert_eq!(o.received, [BODY.to_vec(), b"x\r\n".to_vec()]);
        let r = &o.results[0];
        assert!(r.accepted);
        let per: Vec<(u16, Option<u16>)> = r
            .recipients
            .iter()
            .map(|r| {
                (
                    r.rcpt.code().as_u16(),
                    r.delivery.as_ref().map(|d| d.code().as_u16()),
                )
            })
            .collect();
        assert_eq!(
            per,
            [
                (250, Some(250)),
                (550, None),
                (250, Some(452)),
                (250, Some(250))
            ]
        );
        // The second message was refused for its only recipient.
        assert!(!o.results[1].accepted);
        assert!(o.c2s.starts_with(b"LHLO client.example\r\n"));
    }
}

#[test]
fn starttls_and_auth_session() {
    for ex in [
        ClientExchange::plain(None, "tim", "tanstaaf").unwrap(),
        ClientExchange::login("tim", "tanstaaf"),
        ClientExchange::xoauth2("tim", "tanstaaf").unwrap(),
    ] {
        let mut sc = scenario(vec![message(&["b@example.org"], &[BODY])]);
        sc.server.extensions.starttls = true;
        sc.server.extensions.auth = vec![Mechanism::Plain, Mechanism::Login, Mechanism::XOAuth2];
        sc.server.extensions.auth_requires_tls = true;
        sc.starttls = true;
        sc.auth = Some(ex);
        let o = run(sc);
        assert!(o.authenticated);
        assert_eq!(o.received, [BODY]);
        assert!(o.client_events.contains(&ClientEvent::StartTls));
        assert!(o.server_events.contains(&ServerEvent::StartTls));
        // EHLO twice: before and after the upgrade.
        assert!(
            o.c2s
                .starts_with(b"EHLO client.example\r\nSTARTTLS\r\nEHLO client.example\r\nAUTH ")
        );
        assert!(
            !o.server_events
                .iter()
                .any(|e| matches!(e, ServerEvent::PlaintextDiscarded { .. }))
        );
    }
}

#[test]
fn auth_failure_session() {
    for ex in [
        ClientExchange::plain(None, "tim", "wrong").unwrap(),
        ClientExchange::login("tim", "wrong"),
        ClientExchange::xoauth2("tim", "wrong").unwrap(),
    ] {
        let mut sc = scenario(vec![message(&["b@example.org"], &[BODY])]);
        sc.server.extensions.auth = vec![Mechanism::Plain, Mechanism::Login, Mechanism::XOAuth2];
        sc.auth = Some(ex);
        let o = run(sc);
        assert_eq!(o.unsent, 1);
        assert!(!o.authenticated);
        assert!(o.received.is_empty());
        assert!(
            o.client_events
                .iter()
                .any(|e| matches!(e, ClientEvent::AuthFailed(r) if r.code().as_u16() == 535))
        );
    }
}

#[test]
fn many_recipients_one_rejected_by_the_application() {
    let addrs: Vec<String> = (0..60)
        .map(|i| {
            if i == 17 {
                "reject@example.org".to_owned()
            } else {
                format!("user{i}@example.org")
            }
        })
        .collect();
    let to: Vec<&str> = addrs.iter().map(String::as_str).collect();
    for pipelining in [true, false] {
        let mut sc = scenario(vec![message(&to, &[BODY])]);
        if !pipelining {
            sc.server = no_pipelining(sc.server);
        }
        let o = run(sc);
        assert_eq!(o.received, [BODY]);
        let r = &o.results[0];
        assert!(r.accepted);
        assert_eq!(r.recipients.len(), 60);
        for (i, rr) in r.recipients.iter().enumerate() {
            assert_eq!(rr.index, i);
            assert_eq!(rr.accepted(), i != 17, "recipient {i}");
        }
        let server_rcpts = o
            .server_events
            .iter()
            .filter(|e| matches!(e, ServerEvent::Rcpt { .. }))
            .count();
        assert_eq!(server_rcpts, 60);
    }
}

#[test]
fn recipient_limit_of_the_server() {
    let addrs: Vec<String> = (0..5).map(|i| format!("u{i}@example.org")).collect();
    let to: Vec<&str> = addrs.iter().map(String::as_str).collect();
    let mut sc = scenario(vec![message(&to, &[b"x\r\n"])]);
    sc.server.limits.max_recipients = 3;
    let o = run(sc);
    let r = &o.results[0];
    assert!(r.accepted);
    let codes: Vec<u16> = r
        .recipients
        .iter()
        .map(|r| r.rcpt.code().as_u16())
        .collect();
    assert_eq!(codes, [250, 250, 250, 452, 452]);
    assert_eq!(o.received, [b"x\r\n"]);
}

#[test]
fn all_recipients_refused_then_a_good_message() {
    for (pipelining, transfer) in [
        (true, BodyTransfer::Data),
        (false, BodyTransfer::Data),
        (true, BodyTransfer::PreferChunking),
        (false, BodyTransfer::PreferChunking),
    ] {
        let mut sc = scenario(vec![
            message(&["reject@example.org", "reject2@example.org"], &[BODY]),
            message(&["b@example.org"], &[b"second\r\n"]),
        ]);
        if !pipelining {
            sc.server = no_pipelining(sc.server);
        }
        sc.client.transfer = transfer;
        let o = run(sc);
        assert!(!o.results[0].accepted);
        assert!(
            o.results[1].accepted,
            "{pipelining} {transfer:?}: {:?}\n{:?}",
            o.client_events, o.server_events
        );
        assert_eq!(o.received, [b"second\r\n"], "{pipelining} {transfer:?}");
    }
}

#[test]
fn oversized_message_is_refused_and_the_session_goes_on() {
    for transfer in [BodyTransfer::Data, BodyTransfer::PreferChunking] {
        for lmtp in [false, true] {
            let big: Vec<u8> = b"0123456789abcdef\r\n".repeat(20);
            let mut sc = scenario(vec![
                message(&["b@example.org", "c@example.org"], &pieces_of(&big, 50)),
                message(&["b@example.org"], &[b"small\r\n"]),
            ]);
            sc.server.limits.max_message_size = 100;
            sc.client.transfer = transfer;
            if lmtp {
                sc.server.protocol = Protocol::Lmtp;
                sc.client.protocol = Protocol::Lmtp;
            }
            let o = run(sc);
            assert!(!o.results[0].accepted, "{transfer:?} lmtp {lmtp}");
            assert!(o.results[1].accepted, "{transfer:?} lmtp {lmtp}");
            assert_eq!(o.received, [b"small\r\n"]);
            assert_eq!(o.aborted(), [AbortReason::TooLarge]);
        }
    }
}

#[test]
fn smuggling_through_a_lenient_client() {
    // A client that lets bare LF through: our encoder stuffs the dot after
    // it, and a strict server refuses the message at its real end; MAIL is
    // never read as a command.
    let body: &[u8] = b"Subject: x\r\n\r\nhi\n.\nMAIL FROM:<evil@example.com>\r\n";
    for strict_server in [true, false] {
        let mut sc = scenario(vec![
            message(&["b@example.org"], &[body]),
            message(&["b@example.org"], &[b"next\r\n"]),
        ]);
        sc.client.body_line_endings = DotOptions {
            allow_bare_lf: true,
            allow_bare_cr: false,
        };
        if !strict_server {
            sc.server.data_line_endings = sc.client.body_line_endings;
        }
        let o = run(sc);
        let mails = o
            .server_events
            .iter()
            .filter(|e| matches!(e, ServerEvent::Mail { .. }))
            .count();
        assert_eq!(mails, 2);
        assert_eq!(o.results[0].accepted, !strict_server);
        assert!(o.results[1].accepted);
        if strict_server {
            assert_eq!(o.aborted(), [AbortReason::BareLineEnding]);
            assert_eq!(o.received, [b"next\r\n"]);
        } else {
            // The lenient server keeps the extra dot the encoder put after
            // the bare LF: the text stays content.
            assert_eq!(
                o.received,
                [
                    b"Subject: x\r\n\r\nhi\n..\nMAIL FROM:<evil@example.com>\r\n".to_vec(),
                    b"next\r\n".to_vec()
                ]
            );
        }
    }
}

#[test]
fn smtputf8_session() {
    let mut sc = scenario(vec![Message {
        envelope: Envelope::new("j\u{f6}s@example.com", &["\u{7528}\u{6237}@example.org"]).unwrap(),
        pieces: vec!["Subject: caf\u{e9}\r\n".as_bytes().to_vec()],
    }]);
    sc.messages[0].envelope.mail_params.body = Some(Body::EightBitMime);
    let o = run(sc);
    assert!(o.results[0].accepted);
    assert_eq!(o.received, ["Subject: caf\u{e9}\r\n".as_bytes()]);
    match o
        .server_events
        .iter()
        .find(|e| matches!(e, ServerEvent::Mail { .. }))
    {
        Some(ServerEvent::Mail { from, params }) => {
            assert_eq!(from.to_string(), "<j\u{f6}s@example.com>");
            assert!(params.smtputf8);
        }
        e => panic!("{e:?}"),
    }
}

// ----- property: the body arrives intact ----------------------------------

fn body_strategy() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        prop_oneof![
            Just(b"\r\n".to_vec()),
            Just(b".".to_vec()),
            Just(b"..".to_vec()),
            Just(b"\r\n.\r\n".to_vec()),
            Just(b"MAIL FROM:<x@y.z>\r\n".to_vec()),
            proptest::collection::vec(0x20u8..0x7f, 0..8),
        ],
        0..30,
    )
    .prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn body_arrives_intact(
        body in body_strategy(),
        piece in 1usize..20,
        pipelining in any::<bool>(),
        chunking in any::<bool>(),
        lmtp in any::<bool>(),
    ) {
        let mut sc = scenario(vec![message(&["b@example.org", "reject@example.org", "c@example.org"], &pieces_of(&body, piece))]);
        if !pipelining {
            sc.server = no_pipelining(sc.server);
        }
        if chunking {
            sc.client.transfer = BodyTransfer::PreferChunking;
        }
        if lmtp {
            sc.server.protocol = Protocol::Lmtp;
            sc.client.protocol = Protocol::Lmtp;
        }
        let o = run(sc);
        let mut want = body.clone();
        if !chunking && !body.is_empty() && !body.ends_with(b"\r\n") {
            want.extend_from_slice(b"\r\n");
        }
        prop_assert_eq!(&o.received, &vec![want]);
        prop_assert!(o.results[0].accepted);
        prop_assert_eq!(o.rejected_commands(), 0);
    }
}
