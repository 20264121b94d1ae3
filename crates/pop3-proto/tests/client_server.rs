//! The client session against the server session, in memory: every byte
//! one writes is fed to the other, and a small application on each side
//! reacts to the events (a maildrop of three messages on the server).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mail_wire::sasl::Credentials;
use pop3_proto::client::{Client, ClientConfig, ClientEvent, ClientState};
use pop3_proto::server::{BodyProgress, Maildrop, MessageInfo, Server, ServerConfig, ServerEvent};
use pop3_proto::{MsgNum, ResponseCode, ScanListing, Stat};
use proptest::prelude::*;

const MESSAGES: [&[u8]; 3] = [
    b"Subject: one\r\n\r\nHello\r\n.\r\n..two dots\r\n",
    b"Subject: two\r\nX: y\r\n\r\nline 1\r\nline 2\r\nline 3\r\n",
    b"",
];

fn n(v: u32) -> MsgNum {
    MsgNum::new(v).unwrap()
}

fn maildrop() -> Maildrop {
    Maildrop::new(
        MESSAGES
            .iter()
            .enumerate()
            .map(|(i, m)| MessageInfo::new(m.len() as u64, &format!("uid-{i}")).unwrap())
            .collect(),
    )
}

/// Both sessions and what the client application saw.
struct Pair {
    client: Client,
    server: Server,
    seen: Vec<ClientEvent>,
    /// Server chunk size, to exercise streaming.
    chunk: usize,
    deleted: Vec<MsgNum>,
    /// The secret of the last SASL login the server saw.
    last_secret: Option<String>,
}

impl Pair {
    fn new(config: ServerConfig) -> Self {
        Pair {
            client: Client::new(ClientConfig::default()),
            server: Server::new(config),
            seen: Vec::new(),
            chunk: 7,
            deleted: Vec::new(),
            last_secret: None,
        }
    }

    /// Moves bytes both ways until neither side has anything to say.
    fn pump(&mut self) {
        for _ in 0..1000 {
            let to_client = self.server.take_output();
            let to_server = self.client.take_output();
            if to_client.is_empty() && to_server.is_empty() {
                return;
            }
            if !to_server.is_empty() {
                self.server.receive(&to_server);
                self.server_app();
            }
            // The server may have more to say after its application acted.
            let mut to_client = to_client.to_vec();
            to_client.extend_from_slice(&self.server.take_output());
            // Feed the client in small pieces.
            for piece in to_client.chunks(5) {
                self.client.receive(piece);
            }
            while let Some(e) = self.client.poll_event() {
                self.seen.push(e);
            }
        }
        panic!("no quiescence");
    }

    fn server_app(&mut self) {
        while let Some(e) = self.server.poll_event() {
            match e {
                ServerEvent::UserPass { user, password } => {
                    if user == "tim" && password.expose() == b"pw" {
                        self.server.login_ok(maildrop()).unwrap();
                    } else {
                        self.server.login_failed(None, "wrong").unwrap();
                    }
                }
                ServerEvent::Sasl { credentials, .. } => {
                    self.last_secret = Some(credentials.secret().to_owned());
                    let ok = matches!(
                        &credentials,
                        Credentials::Plain { .. } | Credentials::Login { .. }
                    ) && credentials.identity() == Some("tim")
                        && credentials.secret() == "pw";
                    if ok {
                        self.server.login_ok(maildrop()).unwrap();
                    } else {
                        self.server
                            .login_failed(Some(ResponseCode::Auth), "no")
                            .unwrap();
                    }
                }
                ServerEvent::Retrieve { msg, .. } => {
                    let body = MESSAGES[msg.index()];
                    for piece in body.chunks(self.chunk) {
                        if self.server.body_chunk(piece).unwrap() == BodyProgress::Done {
                            break;
                        }
                    }
                    self.server.body_end().unwrap();
                }
                ServerEvent::Update { deleted } => {
                    self.deleted = deleted;
                    self.server.update_done(Ok(())).unwrap();
                }
                ServerEvent::StartTls => {}
                _ => {}
            }
        }
    }

    fn take_seen(&mut self) -> Vec<ClientEvent> {
        std::mem::take(&mut self.seen)
    }
}

fn bodies(events: &[ClientEvent]) -> Vec<(MsgNum, Vec<u8>, usize)> {
    let mut out = Vec::new();
    let mut cur: Option<(MsgNum, Vec<u8>)> = None;
    for e in events {
        match e {
            ClientEvent::BodyStart { msg } => cur = Some((*msg, Vec::new())),
            ClientEvent::BodyChunk(c) => cur.as_mut().unwrap().1.extend_from_slice(c),
            ClientEvent::BodyEnd {
                msg,
                bare_line_endings,
            } => {
                let (m, b) = cur.take().unwrap();
                assert_eq!(m, *msg);
                out.push((m, b, *bare_line_endings));
            }
            _ => {}
        }
    }
    out
}

#[test]
fn full_session_with_sasl_plain_and_pipelining() {
    let mut p = Pair::new(ServerConfig::new("POP3 ready").unwrap());
    p.client.capa().unwrap();
    p.pump();
    let ev = p.take_seen();
    assert!(matches!(ev[0], ClientEvent::Greeting { .. }));
    let ClientEvent::Capabilities(caps) = &ev[1] else {
        panic!("{ev:?}")
    };
    assert!(caps.pipelining() && caps.top() && caps.uidl());
    p.client.login("tim", "pw").unwrap();
    p.pump();
    assert_eq!(p.take_seen(), [ClientEvent::LoggedIn]);
    assert_eq!(p.client.state(), ClientState::Transaction);
    p.client.stat().unwrap();
    p.client.list(None).unwrap();
    p.client.uidl(None).unwrap();
    for m in 1..=3 {
        p.client.retr(n(m)).unwrap();
    }
    p.client.top(n(2), 1).unwrap();
    p.client.dele(n(2)).unwrap();
    p.client.retr(n(2)).unwrap();
    p.client.list(Some(n(1))).unwrap();
    p.pump();
    let ev = p.take_seen();
    let sizes: Vec<u64> = MESSAGES.iter().map(|m| m.len() as u64).collect();
    assert_eq!(
        ev[0],
        ClientEvent::Stat(Stat {
            count: 3,
            size: sizes.iter().sum()
        })
    );
    for (i, size) in sizes.iter().enumerate() {
        assert_eq!(
            ev[1 + i],
            ClientEvent::ScanListing(ScanListing {
                msg: n(i as u32 + 1),
                size: *size
            })
        );
    }
    assert_eq!(ev[4], ClientEvent::ListingEnd);
    let got = bodies(&ev);
    assert_eq!(got.len(), 4, "{ev:?}");
    for (i, (m, body, bare)) in got.iter().take(3).enumerate() {
        assert_eq!(*m, n(i as u32 + 1));
        assert_eq!(&body[..], MESSAGES[i]);
        assert_eq!(*bare, 0);
    }
    assert_eq!(got[3].1, b"Subject: two\r\nX: y\r\n\r\nline 1\r\n");
    assert!(ev.contains(&ClientEvent::Deleted(n(2))));
    assert!(ev.iter().any(|e| matches!(
        e,
        ClientEvent::Error { verb: "RETR", msg: Some(m), .. } if *m == n(2)
    )));
    assert_eq!(
        ev.last(),
        Some(&ClientEvent::ScanListing(ScanListing {
            msg: n(1),
            size: sizes[0]
        }))
    );
    p.client.quit().unwrap();
    p.pump();
    assert_eq!(p.take_seen(), [ClientEvent::Closed]);
    assert!(p.server.is_closed());
    assert_eq!(p.deleted, [n(2)]);
}

#[test]
fn user_pass_when_sasl_is_not_offered_and_a_failure_first() {
    let mut config = ServerConfig::new("ready").unwrap();
    config.sasl.clear();
    let mut p = Pair::new(config);
    p.client.capa().unwrap();
    p.pump();
    p.take_seen();
    p.client.login("tim", "wrong").unwrap();
    p.pump();
    let ev = p.take_seen();
    assert!(
        matches!(&ev[..], [ClientEvent::LoginFailed(s)] if s.code == Some(ResponseCode::Auth)),
        "{ev:?}"
    );
    p.client.login("tim", "pw").unwrap();
    p.pump();
    assert_eq!(p.take_seen(), [ClientEvent::LoggedIn]);
}

#[test]
fn stls_then_login() {
    let mut config = ServerConfig::new("ready").unwrap();
    config.stls = true;
    config.allow_plaintext_login = false;
    let mut p = Pair::new(config);
    p.client.capa().unwrap();
    p.pump();
    let ev = p.take_seen();
    let ClientEvent::Capabilities(caps) = &ev[1] else {
        panic!("{ev:?}")
    };
    assert!(caps.stls() && !caps.user());
    p.client.stls().unwrap();
    p.pump();
    assert_eq!(p.take_seen(), [ClientEvent::TlsReady]);
    // "TLS": both sides agree the handshake is done.
    p.server.tls_established().unwrap();
    p.client.tls_established().unwrap();
    p.client.login("tim", "pw").unwrap();
    p.pump();
    let ev = p.take_seen();
    assert!(matches!(&ev[0], ClientEvent::Capabilities(c) if c.user() && !c.stls()));
    assert_eq!(ev[1], ClientEvent::LoggedIn);
}

#[test]
fn long_password_goes_after_the_empty_challenge() {
    let password = "p".repeat(240);
    let mut p = Pair::new(ServerConfig::new("ready").unwrap());
    p.client.capa().unwrap();
    p.pump();
    p.take_seen();
    p.client.login("tim", &password).unwrap();
    p.pump();
    // The server session ran the exchange: the credentials arrived whole
    // (the application refuses them, they are not "pw").
    let ev = p.take_seen();
    assert!(matches!(&ev[..], [ClientEvent::LoginFailed(_)]), "{ev:?}");
    assert_eq!(p.last_secret.as_deref(), Some(password.as_str()));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any message (CRLF lines of any bytes but CR and LF) comes back
    /// exactly, whatever the server's chunk size.
    #[test]
    fn any_message_roundtrips(
        lines in proptest::collection::vec(
            proptest::collection::vec(any::<u8>().prop_filter("no CR/LF", |b| *b != b'\r' && *b != b'\n'), 0..40),
            0..20),
        chunk in 1usize..50,
    ) {
        let mut body = Vec::new();
        for l in &lines {
            body.extend_from_slice(l);
            body.extend_from_slice(b"\r\n");
        }
        let mut p = Pair::new(ServerConfig::new("ready").unwrap());
        p.chunk = chunk;
        p.pump();
        p.client.user_pass("tim", "pw").unwrap();
        p.pump();
        p.take_seen();
        // Serve this body as message 1.
        p.client.retr(n(1)).unwrap();
        let out = p.client.take_output();
        p.server.receive(&out);
        let ev = std::iter::from_fn(|| p.server.poll_event()).collect::<Vec<_>>();
        let retrieve = matches!(ev[..], [ServerEvent::Retrieve { .. }]);
        prop_assert!(retrieve);
        for piece in body.chunks(chunk) {
            p.server.body_chunk(piece).unwrap();
        }
        p.server.body_end().unwrap();
        p.pump();
        let seen = p.take_seen();
        let got = bodies(&seen);
        prop_assert_eq!(got.len(), 1);
        prop_assert_eq!(&got[0].1, &body);
        prop_assert_eq!(got[0].2, 0);
    }
}

#[cfg(feature = "apop")]
#[test]
fn apop_login_between_our_client_and_server() {
    use pop3_proto::client::{Client, ClientConfig, ClientEvent};
    use pop3_proto::server::{Maildrop, Server, ServerConfig, ServerEvent};
    let mut config = ServerConfig::new("ready").unwrap();
    config.apop_timestamp = Some("<42.1@example.org>".to_owned());
    let mut server = Server::new(config);
    let mut client = Client::new(ClientConfig::default());
    client.receive(&server.take_output());
    while client.poll_event().is_some() {}
    client.apop_with_secret("tim", "tanstaaf").unwrap();
    server.receive(&client.take_output());
    let Some(ServerEvent::Apop {
        user,
        digest,
        timestamp,
    }) = server.poll_event()
    else {
        panic!("no APOP event");
    };
    assert_eq!(user, "tim");
    assert!(pop3_proto::apop::apop_verify(
        timestamp.as_bytes(),
        b"tanstaaf",
        &digest
    ));
    assert!(!pop3_proto::apop::apop_verify(
        timestamp.as_bytes(),
        b"wrong",
        &digest
    ));
    server.login_ok(Maildrop::default()).unwrap();
    client.receive(&server.take_output());
    assert_eq!(client.poll_event(), Some(ClientEvent::LoggedIn));
}
