//! The server session against scripted clients: RFC 1939's states and
//! example session, PIPELINING, STLS injection, AUTH, TOP cutting, limits.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use pop3_proto::server::{
    BodyProgress, MAX_BUFFERED, Maildrop, MessageInfo, Rejection, Server, ServerConfig,
    ServerError, ServerEvent, State,
};
use pop3_proto::{MsgNum, ResponseCode};
use proptest::prelude::*;

const MSG1: &[u8] =
    b"From: a@example.com\r\nSubject: one\r\n\r\nline 1\r\n.dot line\r\n.\r\nline 4\r\n";
const MSG2: &[u8] = b"Subject: two\r\n\r\nbody\r\n";

fn maildrop() -> Maildrop {
    Maildrop::new(vec![
        MessageInfo::new(MSG1.len() as u64, "uid-one").unwrap(),
        MessageInfo::new(MSG2.len() as u64, "uid-two").unwrap(),
    ])
}

fn messages() -> [&'static [u8]; 2] {
    [MSG1, MSG2]
}

/// An application that accepts `tim`/`secret`, serves MSG1 and MSG2 in
/// chunks of `chunk` octets, and deletes nothing for real.
struct App {
    chunk: usize,
    events: Vec<ServerEvent>,
    updates: Vec<Vec<MsgNum>>,
}

impl App {
    fn new() -> Self {
        App {
            chunk: 7,
            events: Vec::new(),
            updates: Vec::new(),
        }
    }

    fn drive(&mut self, server: &mut Server) {
        while let Some(ev) = server.poll_event() {
            match &ev {
                ServerEvent::UserPass { user, password } => {
                    if user == "tim" && password.expose() == b"secret" {
                        server.login_ok(maildrop()).unwrap();
                    } else {
                        server.login_failed(None, "bad credentials").unwrap();
                    }
                }
                ServerEvent::Sasl { credentials, .. } => {
                    if credentials.identity() == Some("tim") && credentials.secret() == "secret" {
                        server.login_ok(maildrop()).unwrap();
                    } else {
                        server.login_failed(None, "bad credentials").unwrap();
                    }
                }
                ServerEvent::Retrieve { msg, .. } => {
                    let body = messages()[msg.index()];
                    for piece in body.chunks(self.chunk) {
                        if server.body_chunk(piece).unwrap() == BodyProgress::Done {
                            break;
                        }
                    }
                    server.body_end().unwrap();
                }
                ServerEvent::Update { deleted } => {
                    self.updates.push(deleted.clone());
                    server.update_done(Ok(())).unwrap();
                }
                _ => {}
            }
            self.events.push(ev);
        }
    }
}

fn run(input: &[u8]) -> (Vec<u8>, App, Server) {
    let mut server = Server::new(ServerConfig::new("POP3 ready").unwrap());
    let mut app = App::new();
    let mut out = server.take_output().to_vec();
    server.receive(input);
    app.drive(&mut server);
    out.extend_from_slice(&server.take_output());
    (out, app, server)
}

fn lines(out: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(out)
        .split("\r\n")
        .map(str::to_owned)
        .collect()
}

#[test]
fn rfc1939_session() {
    let (out, app, server) = run(b"USER tim\r\nPASS secret\r\nSTAT\r\nLIST\r\nRETR 1\r\nDELE 1\r\nRETR 2\r\nDELE 2\r\nQUIT\r\n");
    let text = String::from_utf8_lossy(&out).into_owned();
    let expected = format!(
        "+OK POP3 ready\r\n+OK send PASS\r\n+OK maildrop has 2 messages ({} octets)\r\n+OK 2 {}\r\n+OK 2 messages ({} octets)\r\n1 {}\r\n2 {}\r\n.\r\n+OK {} octets\r\nFrom: a@example.com\r\nSubject: one\r\n\r\nline 1\r\n..dot line\r\n..\r\nline 4\r\n.\r\n+OK message 1 deleted\r\n+OK {} octets\r\nSubject: two\r\n\r\nbody\r\n.\r\n+OK message 2 deleted\r\n+OK bye\r\n",
        MSG1.len() + MSG2.len(),
        MSG1.len() + MSG2.len(),
        MSG1.len() + MSG2.len(),
        MSG1.len(),
        MSG2.len(),
        MSG1.len(),
        MSG2.len(),
    );
    assert_eq!(text, expected);
    assert_eq!(
        app.updates,
        vec![vec![MsgNum::new(1).unwrap(), MsgNum::new(2).unwrap()]]
    );
    assert!(server.is_closed());
    assert_eq!(app.events.last(), Some(&ServerEvent::Closed));
}

#[test]
fn deleted_messages_are_only_marks() {
    let (out, app, _) = run(
        b"USER tim\r\nPASS secret\r\nDELE 1\r\nDELE 1\r\nSTAT\r\nLIST 1\r\nUIDL\r\nRETR 1\r\nTOP 1 0\r\nRSET\r\nSTAT\r\nUIDL 1\r\nQUIT\r\n",
    );
    let l = lines(&out);
    assert_eq!(l[3], "+OK message 1 deleted");
    assert!(l[4].starts_with("-ERR message 1 already deleted"));
    assert_eq!(l[5], format!("+OK 1 {}", MSG2.len()));
    assert!(l[6].starts_with("-ERR"));
    assert_eq!(l[7], "+OK unique-id listing follows");
    assert_eq!(l[8], "2 uid-two");
    assert_eq!(l[9], ".");
    assert!(l[10].starts_with("-ERR")); // RETR 1
    assert!(l[11].starts_with("-ERR")); // TOP 1 0
    assert_eq!(l[12], "+OK maildrop has 2 messages");
    assert_eq!(l[13], format!("+OK 2 {}", MSG1.len() + MSG2.len()));
    assert_eq!(l[14], "+OK 1 uid-one");
    // QUIT after RSET: nothing to delete.
    assert_eq!(app.updates, vec![Vec::<MsgNum>::new()]);
}

#[test]
fn quit_in_authorization_deletes_nothing() {
    let (out, app, server) = run(b"QUIT\r\n");
    assert!(out.ends_with(b"+OK bye\r\n"));
    assert!(app.updates.is_empty());
    assert!(server.is_closed());
}

#[test]
fn commands_in_the_wrong_state_are_refused() {
    let (out, app, server) = run(b"STAT\r\nRETR 1\r\nNOOP\r\nPASS secret\r\nUSER tim\r\nPASS secret\r\nUSER tim\r\nAPOP tim c4c9334bac560ecc979e58001b3e22fb\r\nSTLS\r\nNOOP\r\n");
    let l = lines(&out);
    assert!(l[1].starts_with("-ERR"), "{l:?}");
    assert!(l[2].starts_with("-ERR"));
    assert!(l[3].starts_with("-ERR"));
    assert!(l[4].starts_with("-ERR USER first"));
    assert_eq!(l[5], "+OK send PASS");
    assert!(l[6].starts_with("+OK maildrop"));
    assert!(l[7].starts_with("-ERR"));
    assert!(l[8].starts_with("-ERR"));
    assert!(l[9].starts_with("-ERR"));
    assert_eq!(l[10], "+OK");
    assert_eq!(server.state(), State::Transaction);
    let rejected: Vec<&Rejection> = app
        .events
        .iter()
        .filter_map(|e| match e {
            ServerEvent::CommandRejected { reason, .. } => Some(reason),
            _ => None,
        })
        .collect();
    let before = Rejection::WrongState {
        state: State::Authorization,
    };
    let after = Rejection::WrongState {
        state: State::Transaction,
    };
    assert_eq!(
        rejected,
        [
            &before,
            &before,
            &before,
            &Rejection::UserFirst,
            &after,
            &after,
            &after
        ]
    );
}

#[test]
fn bad_message_numbers() {
    let (out, _, _) = run(b"USER tim\r\nPASS secret\r\nRETR 0\r\nRETR 3\r\nRETR 4294967296\r\nRETR 99999999999999999999\r\nLIST -1\r\nTOP 1\r\nDELE 1 2\r\nSTAT\r\n");
    let l = lines(&out);
    for i in 3..10 {
        assert!(l[i].starts_with("-ERR"), "line {i}: {l:?}");
    }
    assert_eq!(l[10], format!("+OK 2 {}", MSG1.len() + MSG2.len()));
}

#[test]
fn failed_logins_stay_in_authorization_then_close() {
    let mut config = ServerConfig::new("ready").unwrap();
    config.max_errors = 2;
    let mut server = Server::new(config);
    let mut app = App::new();
    server.receive(b"USER tim\r\nPASS wrong\r\n");
    app.drive(&mut server);
    let out = server.take_output();
    assert!(out.ends_with(b"-ERR [AUTH] bad credentials\r\n"), "{out:?}");
    assert_eq!(server.state(), State::Authorization);
    server.receive(
        b"USER tim\r\nPASS wrong\r\nUSER tim\r\nPASS wrong\r\nUSER tim\r\nPASS secret\r\n",
    );
    app.drive(&mut server);
    assert!(server.is_closed());
    let out = server.take_output();
    assert!(
        out.ends_with(b"-ERR too many errors, closing connection\r\n"),
        "{out:?}"
    );
}

#[test]
fn login_refusal_codes() {
    let mut server = Server::new(ServerConfig::new("ready").unwrap());
    server.receive(b"USER tim\r\nPASS secret\r\n");
    let _ = server.take_output();
    while let Some(ev) = server.poll_event() {
        if let ServerEvent::UserPass { .. } = ev {
            server
                .login_failed(Some(ResponseCode::InUse), "maildrop locked")
                .unwrap();
        }
    }
    assert_eq!(
        &server.take_output()[..],
        b"-ERR [IN-USE] maildrop locked\r\n"
    );
    assert_eq!(
        server.login_ok(maildrop()),
        Err(ServerError::NotPending("login"))
    );
}

#[test]
fn pipelined_commands_wait_for_decisions() {
    let mut server = Server::new(ServerConfig::new("ready").unwrap());
    let _ = server.take_output();
    server.receive(b"USER tim\r\nPASS secret\r\nSTAT\r\nRETR 2\r\nNOOP\r\n");
    assert!(!server.wants_input());
    assert!(matches!(
        server.poll_event(),
        Some(ServerEvent::UserPass { .. })
    ));
    assert_eq!(server.poll_event(), None);
    assert_eq!(&server.take_output()[..], b"+OK send PASS\r\n");
    server.login_ok(maildrop()).unwrap();
    assert_eq!(
        server.poll_event(),
        Some(ServerEvent::Retrieve {
            msg: MsgNum::new(2).unwrap(),
            top: None
        })
    );
    // NOOP waits until the message is out.
    let out = server.take_output();
    assert!(out.ends_with(format!("+OK 2 {}\r\n", MSG1.len() + MSG2.len()).as_bytes()));
    server.body_chunk(MSG2).unwrap();
    server.body_end().unwrap();
    let out = server.take_output();
    let expected = format!(
        "+OK {} octets\r\nSubject: two\r\n\r\nbody\r\n.\r\n+OK\r\n",
        MSG2.len()
    );
    assert_eq!(String::from_utf8_lossy(&out), expected);
    assert!(server.wants_input());
}

#[test]
fn top_sends_header_and_n_lines() {
    for (n, expected) in [
        (0u32, &b"From: a@example.com\r\nSubject: one\r\n\r\n"[..]),
        (1, b"From: a@example.com\r\nSubject: one\r\n\r\nline 1\r\n"),
        (
            3,
            b"From: a@example.com\r\nSubject: one\r\n\r\nline 1\r\n..dot line\r\n..\r\n",
        ),
        (
            100,
            b"From: a@example.com\r\nSubject: one\r\n\r\nline 1\r\n..dot line\r\n..\r\nline 4\r\n",
        ),
    ] {
        for chunk in [1, 2, 3, 5, 64] {
            let mut server = Server::new(ServerConfig::new("ready").unwrap());
            let mut app = App::new();
            app.chunk = chunk;
            server.receive(format!("USER tim\r\nPASS secret\r\nTOP 1 {n}\r\n").as_bytes());
            app.drive(&mut server);
            let out = server.take_output();
            let start = out
                .windows(28)
                .position(|w| w == b"+OK top of message follows\r\n")
                .unwrap()
                + 28;
            let mut want = expected.to_vec();
            want.extend_from_slice(b".\r\n");
            assert_eq!(
                String::from_utf8_lossy(&out[start..]),
                String::from_utf8_lossy(&want),
                "TOP 1 {n} in chunks of {chunk}"
            );
        }
    }
}

#[test]
fn body_edge_cases() {
    // A message without a final CRLF gets one before the dot; an empty
    // message is just the dot; a line that is only "." is stuffed.
    for (body, wire) in [
        (&b"no final crlf"[..], &b"no final crlf\r\n.\r\n"[..]),
        (b"", b".\r\n"),
        (b".\r\n", b"..\r\n.\r\n"),
        (b"..\r\n.x", b"...\r\n..x\r\n.\r\n"),
    ] {
        let mut server = Server::new(ServerConfig::new("ready").unwrap());
        server.receive(b"USER tim\r\nPASS secret\r\nRETR 1\r\n");
        while let Some(ev) = server.poll_event() {
            match ev {
                ServerEvent::UserPass { .. } => server.login_ok(maildrop()).unwrap(),
                ServerEvent::Retrieve { .. } => {
                    let _ = server.take_output();
                    server.body_chunk(body).unwrap();
                    server.body_end().unwrap();
                }
                _ => {}
            }
        }
        let out = server.take_output();
        let pos = out.windows(2).position(|w| w == b"\r\n").unwrap() + 2;
        assert_eq!(&out[pos..], wire, "{body:?}");
    }
}

#[test]
fn bare_line_endings_in_a_message_are_refused() {
    let mut server = Server::new(ServerConfig::new("ready").unwrap());
    server.receive(b"USER tim\r\nPASS secret\r\nRETR 1\r\nSTAT\r\n");
    while let Some(ev) = server.poll_event() {
        match ev {
            ServerEvent::UserPass { .. } => server.login_ok(maildrop()).unwrap(),
            ServerEvent::Retrieve { .. } => {
                assert!(matches!(
                    server.body_chunk(b"a\nb\r\n"),
                    Err(ServerError::Body(_))
                ));
                // Nothing was sent yet, so the retrieval can still be refused.
                server.retrieve_failed("bad message").unwrap();
            }
            _ => {}
        }
    }
    let out = server.take_output();
    assert!(
        out.ends_with(
            format!(
                "-ERR [SYS/TEMP] bad message\r\n+OK 2 {}\r\n",
                MSG1.len() + MSG2.len()
            )
            .as_bytes()
        ),
        "{:?}",
        String::from_utf8_lossy(&out)
    );
}

#[test]
fn a_failure_after_the_first_chunk_closes() {
    let mut server = Server::new(ServerConfig::new("ready").unwrap());
    server.receive(b"USER tim\r\nPASS secret\r\nRETR 1\r\n");
    while let Some(ev) = server.poll_event() {
        match ev {
            ServerEvent::UserPass { .. } => server.login_ok(maildrop()).unwrap(),
            ServerEvent::Retrieve { .. } => {
                server.body_chunk(b"Subject: x\r\n").unwrap();
                server.retrieve_failed("disk error").unwrap();
            }
            _ => {}
        }
    }
    assert!(server.is_closed());
    let out = server.take_output();
    assert!(out.ends_with(b"Subject: x\r\n"));
}

#[test]
fn stls_discards_injected_plaintext() {
    let mut config = ServerConfig::new("ready").unwrap();
    config.stls = true;
    config.allow_plaintext_login = false;
    let mut server = Server::new(config);
    let _ = server.take_output();
    server.receive(b"CAPA\r\n");
    let capa = String::from_utf8_lossy(&server.take_output()).into_owned();
    assert!(capa.contains("\r\nSTLS\r\n"), "{capa}");
    assert!(!capa.contains("\r\nUSER\r\n"), "{capa}");
    assert!(!capa.contains("SASL"), "{capa}");
    // A plaintext login is refused.
    server.receive(b"USER tim\r\n");
    assert!(server.take_output().starts_with(b"-ERR [AUTH]"));
    // The attack: commands pipelined behind STLS in the same packet.
    server.receive(b"STLS\r\nUSER tim\r\nPASS secret\r\n");
    assert_eq!(&server.take_output()[..], b"+OK Begin TLS negotiation\r\n");
    let mut events = Vec::new();
    while let Some(e) = server.poll_event() {
        events.push(e);
    }
    assert!(
        events.contains(&ServerEvent::PlaintextDiscarded { len: 23 }),
        "{events:?}"
    );
    assert!(events.contains(&ServerEvent::StartTls));
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, ServerEvent::UserPass { .. }))
    );
    // More plaintext before the handshake completes is discarded too.
    server.receive(b"QUIT\r\n");
    assert_eq!(
        server.poll_event(),
        Some(ServerEvent::PlaintextDiscarded { len: 6 })
    );
    assert!(!server.is_closed());
    server.tls_established().unwrap();
    assert_eq!(server.tls_established(), Err(ServerError::NoTlsUpgrade));
    server.receive(b"CAPA\r\nSTLS\r\nUSER tim\r\nPASS secret\r\n");
    let mut app = App::new();
    app.drive(&mut server);
    let out = String::from_utf8_lossy(&server.take_output()).into_owned();
    assert!(!out.contains("\r\nSTLS\r\n"), "{out}");
    assert!(out.contains("\r\nUSER\r\n"), "{out}");
    assert!(out.contains("-ERR STLS not supported"), "{out}");
    assert_eq!(server.state(), State::Transaction);
}

#[test]
fn auth_plain_with_and_without_initial_response() {
    // "\0tim\0secret"
    let (out, _, server) = run(b"AUTH PLAIN AHRpbQBzZWNyZXQ=\r\nSTAT\r\n");
    assert!(
        lines(&out)[1].starts_with("+OK maildrop"),
        "{:?}",
        lines(&out)
    );
    assert_eq!(server.state(), State::Transaction);
    let (out, _, server) = run(b"AUTH PLAIN\r\nAHRpbQBzZWNyZXQ=\r\n");
    let l = lines(&out);
    assert_eq!(l[1], "+ ");
    assert!(l[2].starts_with("+OK maildrop"));
    assert_eq!(server.state(), State::Transaction);
}

#[test]
fn auth_login_cancel_and_bad_base64() {
    let (out, _, server) = run(b"AUTH LOGIN\r\ndGlt\r\nc2VjcmV0\r\n");
    let l = lines(&out);
    assert_eq!(l[1], "+ VXNlcm5hbWU6");
    assert_eq!(l[2], "+ UGFzc3dvcmQ6");
    assert!(l[3].starts_with("+OK maildrop"));
    assert_eq!(server.state(), State::Transaction);

    let (out, app, server) = run(b"AUTH LOGIN\r\n*\r\nNOOP\r\n");
    let l = lines(&out);
    assert!(l[2].starts_with("-ERR"));
    assert!(app.events.contains(&ServerEvent::SaslCancelled));
    assert!(l[3].starts_with("-ERR"), "NOOP is not valid before login");
    assert_eq!(server.state(), State::Authorization);

    let (out, _, _) = run(b"AUTH PLAIN !!!\r\nAUTH PLAIN\r\n%%%\r\nAUTH CRAM-MD5\r\n");
    let l = lines(&out);
    assert!(l[1].starts_with("-ERR"), "{l:?}");
    assert_eq!(l[2], "+ ");
    assert!(l[3].starts_with("-ERR [AUTH]"), "{l:?}");
    assert!(l[4].starts_with("-ERR"), "mechanism not offered: {l:?}");
}

#[test]
fn raw_sasl_exchange() {
    let mut config = ServerConfig::new("ready").unwrap();
    let cram = mail_wire::sasl::Mechanism::parse(b"CRAM-MD5")
        .unwrap()
        .into_owned();
    config.sasl.push(cram.clone());
    let mut server = Server::new(config);
    let _ = server.take_output();
    server.receive(b"AUTH CRAM-MD5\r\n");
    assert_eq!(
        server.poll_event(),
        Some(ServerEvent::SaslRaw {
            mechanism: cram,
            initial_response: None
        })
    );
    server.sasl_challenge(b"<1.2@host>").unwrap();
    assert_eq!(&server.take_output()[..], b"+ PDEuMkBob3N0Pg==\r\n");
    server.receive(b"dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw\r\n");
    assert_eq!(
        server.poll_event(),
        Some(ServerEvent::SaslResponse(
            b"tim b913a602c7eda7a495b4e6e7334d3890".to_vec()
        ))
    );
    server.login_ok(maildrop()).unwrap();
    assert_eq!(server.state(), State::Transaction);
}

#[test]
fn apop_event_carries_the_timestamp() {
    let mut config = ServerConfig::new("POP3 server ready").unwrap();
    config.apop_timestamp = Some("<1896.697170952@dbc.mtview.ca.us>".to_owned());
    let mut server = Server::new(config);
    assert_eq!(
        &server.take_output()[..],
        b"+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n"
    );
    server.receive(b"APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n");
    let Some(ServerEvent::Apop {
        user,
        digest,
        timestamp,
    }) = server.poll_event()
    else {
        panic!("no APOP event")
    };
    assert_eq!(user, "mrose");
    assert_eq!(timestamp, "<1896.697170952@dbc.mtview.ca.us>");
    #[cfg(feature = "apop")]
    assert!(pop3_proto::apop::apop_verify(
        timestamp.as_bytes(),
        b"tanstaaf",
        &digest
    ));
    let _ = digest;
}

#[test]
fn long_and_malformed_lines_keep_the_stream_in_step() {
    let mut input = Vec::new();
    input.extend_from_slice(b"USER ");
    input.extend(std::iter::repeat_n(b'a', 300));
    input.extend_from_slice(b"\r\nNOOP\nUSER tim\r\nPASS secret\r\nSTAT\r\n");
    let (out, _, server) = run(&input);
    let l = lines(&out);
    assert!(l[1].starts_with("-ERR"), "{l:?}");
    assert!(l[2].starts_with("-ERR"), "bare LF: {l:?}");
    assert_eq!(l[3], "+OK send PASS");
    assert!(l[4].starts_with("+OK maildrop"));
    assert!(l[5].starts_with("+OK 2 "));
    assert_eq!(server.state(), State::Transaction);
    // A huge line without LF does not grow the buffer without bound.
    let mut server = Server::new(ServerConfig::new("ready").unwrap());
    for _ in 0..1000 {
        server.receive(&[b'x'; 1024]);
    }
    assert!(server.buffered() < 64 * 1024);
}

#[test]
fn pipelining_flood_while_a_decision_is_pending_is_bounded() {
    let mut server = Server::new(ServerConfig::new("ready").unwrap());
    server.receive(b"USER tim\r\nPASS secret\r\n");
    let chunk = b"NOOP\r\n".repeat(1000);
    while !server.is_closed() {
        server.receive(&chunk);
        assert!(server.buffered() <= MAX_BUFFERED + chunk.len());
    }
}

#[test]
fn utf8_user_names_need_utf8() {
    let mut config = ServerConfig::new("ready").unwrap();
    config.utf8 = true;
    let mut server = Server::new(config);
    let _ = server.take_output();
    server.receive("USER δοκιμή\r\nUTF8\r\nUSER δοκιμή\r\n".as_bytes());
    let out = String::from_utf8_lossy(&server.take_output()).into_owned();
    let l: Vec<&str> = out.split("\r\n").collect();
    assert!(l[0].starts_with("-ERR [UTF8]"), "{l:?}");
    assert_eq!(l[1], "+OK UTF8 enabled");
    assert_eq!(l[2], "+OK send PASS");
}

#[test]
fn capa_lists_what_is_offered() {
    let (out, _, _) = run(b"CAPA\r\nUSER tim\r\nPASS secret\r\nCAPA\r\n");
    let text = String::from_utf8_lossy(&out).into_owned();
    let blocks: Vec<&str> = text.split("+OK capability list follows\r\n").collect();
    assert_eq!(blocks.len(), 3);
    assert_eq!(
        blocks[1].split(".\r\n").next().unwrap(),
        "TOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\nUSER\r\nSASL PLAIN LOGIN\r\n"
    );
    assert_eq!(
        blocks[2],
        "TOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\n.\r\n"
    );
}

#[test]
fn api_misuse_is_a_typed_error() {
    let mut server = Server::new(ServerConfig::new("ready").unwrap());
    assert!(server.body_chunk(b"x").is_err());
    assert!(server.body_end().is_err());
    assert!(server.update_done(Ok(())).is_err());
    assert!(server.sasl_challenge(b"").is_err());
    assert!(server.login_failed(None, "x").is_err());
    assert!(server.retrieve_failed("x").is_err());
}

fn transcript(input: &[u8], splits: &[usize]) -> (Vec<u8>, Vec<ServerEvent>) {
    let mut server = Server::new(ServerConfig::new("ready").unwrap());
    let mut app = App::new();
    let mut out = server.take_output().to_vec();
    let mut last = 0;
    let mut points: Vec<usize> = splits.iter().map(|&s| s % (input.len() + 1)).collect();
    points.sort_unstable();
    points.push(input.len());
    for p in points {
        server.receive(&input[last..p]);
        app.drive(&mut server);
        out.extend_from_slice(&server.take_output());
        last = p;
    }
    (out, app.events)
}

proptest! {
    #[test]
    fn chunk_split_invariance(splits in proptest::collection::vec(any::<usize>(), 0..12)) {
        let input: &[u8] = b"CAPA\r\nAUTH PLAIN\r\nAHRpbQBzZWNyZXQ=\r\nSTAT\r\nLIST\r\nUIDL 2\r\nTOP 1 2\r\nRETR 1\r\nDELE 2\r\nRSET\r\nDELE 1\r\nQUIT\r\n";
        let whole = transcript(input, &[]);
        let split = transcript(input, &splits);
        prop_assert_eq!(whole, split);
    }

    #[test]
    fn never_panics_and_stays_bounded(input in proptest::collection::vec(any::<u8>(), 0..2000), splits in proptest::collection::vec(any::<usize>(), 0..8)) {
        let mut prefixed = b"USER tim\r\nPASS secret\r\n".to_vec();
        prefixed.extend_from_slice(&input);
        let (_out, _events) = transcript(&prefixed, &splits);
    }

    #[test]
    fn top_cut_is_split_invariant(n in 0u32..8, chunk in 1usize..40) {
        let msg: &[u8] = b"A: 1\r\nB: 2\r\n\r\nl1\r\n\r\nl3\r\n.l4\r\nl5";
        let run_top = |chunk: usize| {
            let mut server = Server::new(ServerConfig::new("ready").unwrap());
            server.receive(format!("USER tim\r\nPASS secret\r\nTOP 1 {n}\r\n").as_bytes());
            while let Some(ev) = server.poll_event() {
                match ev {
                    ServerEvent::UserPass { .. } => server.login_ok(maildrop()).unwrap(),
                    ServerEvent::Retrieve { .. } => {
                        let _ = server.take_output();
                        for c in msg.chunks(chunk) {
                            if server.body_chunk(c).unwrap() == BodyProgress::Done { break; }
                        }
                        server.body_end().unwrap();
                    }
                    _ => {}
                }
            }
            server.take_output().to_vec()
        };
        let whole = run_top(msg.len());
        prop_assert_eq!(&run_top(chunk), &whole);
        // The header and blank line always go; then n body lines at most.
        let body_lines = whole.split(|&b| b == b'\n').count() - 1 - 3 - 1 - 1;
        prop_assert_eq!(body_lines, (n as usize).min(5));
    }
}
