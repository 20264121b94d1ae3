//! The sans-IO server session: greeting, RFC 5321 state rules, EHLO
//! contents, PIPELINING, application decisions, DATA and BDAT, LMTP, limits,
//! the security classes of DESIGN.md (SMTP smuggling, STARTTLS injection,
//! overflowing numbers, desynchronisation) and chunk-split invariance.

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
use mail_wire::Status;
use mail_wire::dot::DotOptions;
use mail_wire::sasl::{Credentials, Mechanism};
use proptest::prelude::*;
use smtp_proto::server::{AbortReason, Protocol, Server, ServerConfig, ServerError, ServerEvent};
use smtp_proto::{EhloResponse, EnhancedStatusCode, Reply, ReplyCode};

// ----- harness ---------------------------------------------------------------

/// What the test application answers to an event that needs a decision.
enum Decision {
    Accept,
    Reject(Reply<'static>),
    Lmtp(Vec<Reply<'static>>),
    Challenge(Vec<u8>),
    /// Leave the decision pending.
    Wait,
}

fn reply(code: u16, text: &str) -> Reply<'static> {
    Reply::new(ReplyCode::new(code).unwrap(), text.to_owned()).unwrap()
}

fn config() -> ServerConfig {
    ServerConfig::new("mx.example.org").unwrap()
}

/// A server whose greeting has been taken (and checked).
fn server_with(cfg: ServerConfig) -> Server {
    let mut s = Server::new(cfg);
    let greeting = s.take_output();
    assert!(greeting.starts_with(b"220 mx.example.org "), "{greeting:?}");
    s
}

fn server() -> Server {
    server_with(config())
}

/// Accepts everything, rejects recipients whose address contains "reject".
fn default_decide(e: &ServerEvent) -> Decision {
    match e {
        ServerEvent::Rcpt { to, .. } if to.to_string().contains("reject") => {
            Decision::Reject(reply(550, "5.1.1 No such user"))
        }
        ServerEvent::Mail { .. }
        | ServerEvent::Rcpt { .. }
        | ServerEvent::MessageEnd { .. }
        | ServerEvent::Auth { .. } => Decision::Accept,
        _ => Decision::Wait,
    }
}

/// Applies `decide` to every event until none is left; returns the events.
fn drain(s: &mut Server, decide: &mut dyn FnMut(&ServerEvent) -> Decision) -> Vec<ServerEvent> {
    let mut events = Vec::new();
    while let Some(e) = s.poll_event() {
        match decide(&e) {
            Decision::Accept => s.accept().unwrap(),
            Decision::Reject(r) => s.reject(r).unwrap(),
            Decision::Lmtp(rs) => s.accept_lmtp(&rs).unwrap(),
            Decision::Challenge(c) => s.auth_challenge(&c).unwrap(),
            Decision::Wait => {}
        }
        events.push(e);
    }
    events
}

/// Feeds `input` in one piece, deciding with [`default_decide`].
fn feed(s: &mut Server, input: &[u8]) -> (Vec<ServerEvent>, Vec<u8>) {
    feed_with(s, input, &mut default_decide)
}

fn feed_with(
    s: &mut Server,
    input: &[u8],
    decide: &mut dyn FnMut(&ServerEvent) -> Decision,
) -> (Vec<ServerEvent>, Vec<u8>) {
    s.receive(input);
    let events = drain(s, decide);
    (events, s.take_output().to_vec())
}

/// Parses a server's output into replies; every byte must belong to one.
fn replies(mut out: &[u8]) -> Vec<Reply<'static>> {
    let mut v = Vec::new();
    while !out.is_empty() {
        match Reply::parse(out) {
            Ok(Status::Complete(r, n)) => {
                v.push(r.into_owned());
                out = &out[n..];
            }
            other => panic!(
                "not a complete reply ({other:?}): {:?}",
                String::from_utf8_lossy(out)
            ),
        }
    }
    v
}

fn codes(out: &[u8]) -> Vec<u16> {
    replies(out).iter().map(|r| r.code().as_u16()).collect()
}

fn enhanced(out: &[u8]) -> Vec<Option<String>> {
    replies(out)
        .iter()
        .map(|r| r.enhanced_code().map(|c| c.to_string()))
        .collect()
}

fn chunks_of(events: &[ServerEvent]) -> Vec<u8> {
    events
        .iter()
        .filter_map(|e| match e {
            ServerEvent::MessageChunk(b) => Some(b.to_vec()),
            _ => None,
        })
        .flatten()
        .collect()
}

fn count(events: &[ServerEvent], pred: impl Fn(&ServerEvent) -> bool) -> usize {
    events.iter().filter(|e| pred(e)).count()
}

fn mails(events: &[ServerEvent]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            ServerEvent::Mail { from, .. } => Some(from.to_string()),
            _ => None,
        })
        .collect()
}

fn rejected(events: &[ServerEvent]) -> Vec<u16> {
    events
        .iter()
        .filter_map(|e| match e {
            ServerEvent::CommandRejected { code, .. } => Some(*code),
            _ => None,
        })
        .collect()
}

const EHLO: &[u8] = b"EHLO client.example\r\n";
const ENVELOPE: &[u8] =
    b"EHLO client.example\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\n";

/// A server after EHLO, MAIL and one accepted RCPT.
fn in_transaction(cfg: ServerConfig) -> Server {
    let mut s = server_with(cfg);
    let (_, out) = feed(&mut s, ENVELOPE);
    assert_eq!(codes(&out), [250, 250, 250]);
    s
}

// ----- greeting and state rules ---------------------------------------------

#[test]
fn greeting_names_the_host() {
    let mut s = Server::new(config());
    assert_eq!(&s.take_output()[..], b"220 mx.example.org ESMTP ready\r\n");
    assert!(s.poll_event().is_none());
    assert!(!s.is_closed() && !s.is_tls() && !s.is_authenticated());
}

#[test]
fn greeting_text_cannot_inject_lines() {
    let mut cfg = config();
    cfg.greeting = "ready\r\n250 injected\0".to_owned();
    let mut s = Server::new(cfg);
    let out = s.take_output();
    let r = replies(&out);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].code().as_u16(), 220);
    assert!(!r[0].is_multiline());
}

#[test]
fn mail_before_helo_is_503() {
    let mut s = server();
    let (ev, out) = feed(&mut s, b"MAIL FROM:<a@example.com>\r\n");
    assert_eq!(codes(&out), [503]);
    assert_eq!(enhanced(&out), [Some("5.5.1".to_owned())]);
    assert!(mails(&ev).is_empty());
    assert_eq!(rejected(&ev), [503]);
}

#[test]
fn rcpt_before_mail_is_503() {
    let mut s = server();
    let (ev, out) = feed(&mut s, b"EHLO c.example\r\nRCPT TO:<b@example.org>\r\n");
    assert_eq!(codes(&out), [250, 503]);
    assert_eq!(count(&ev, |e| matches!(e, ServerEvent::Rcpt { .. })), 0);
}

#[test]
fn data_without_mail_is_503_and_without_rcpt_is_554() {
    let mut s = server();
    let (ev, out) = feed(
        &mut s,
        b"EHLO c.example\r\nDATA\r\nMAIL FROM:<a@example.com>\r\nDATA\r\nNOOP\r\n",
    );
    assert_eq!(codes(&out), [250, 503, 250, 554, 250]);
    assert_eq!(count(&ev, |e| *e == ServerEvent::MessageStart), 0);
    // The line after a refused DATA is a command, not data.
    assert!(out.ends_with(b"250 2.0.0 OK\r\n"));
}

#[test]
fn rejected_recipient_does_not_count_for_data() {
    let mut s = server();
    let (_, out) = feed(
        &mut s,
        b"EHLO c.example\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<reject@example.org>\r\nDATA\r\n",
    );
    assert_eq!(codes(&out), [250, 250, 550, 554]);
}

#[test]
fn nested_mail_is_503() {
    let mut s = in_transaction(config());
    let (ev, out) = feed(&mut s, b"MAIL FROM:<other@example.com>\r\n");
    assert_eq!(codes(&out), [503]);
    assert!(mails(&ev).is_empty());
    // The first transaction is intact.
    let (ev, out) = feed(&mut s, b"DATA\r\nhi\r\n.\r\n");
    assert_eq!(codes(&out), [354, 250]);
    assert_eq!(chunks_of(&ev), b"hi\r\n");
}

#[test]
fn rset_ends_the_transaction() {
    let mut s = in_transaction(config());
    let (ev, out) = feed(&mut s, b"RSET\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
    assert_eq!(codes(&out), [250, 503, 503]);
    assert_eq!(ev.first(), Some(&ServerEvent::Reset));
    // RSET outside a transaction is fine and reports no reset.
    let (ev, out) = feed(&mut s, b"RSET\r\n");
    assert_eq!(codes(&out), [250]);
    assert!(ev.is_empty());
    // A new transaction works.
    let (ev, out) = feed(&mut s, b"MAIL FROM:<c@example.com>\r\n");
    assert_eq!(codes(&out), [250]);
    assert_eq!(mails(&ev), ["<c@example.com>"]);
}

#[test]
fn helo_and_ehlo_reset_the_transaction() {
    for hello in [&b"EHLO again.example\r\n"[..], b"HELO again.example\r\n"] {
        let mut s = in_transaction(config());
        let (ev, out) = feed(&mut s, hello);
        assert_eq!(codes(&out), [250]);
        assert_eq!(ev[0], ServerEvent::Reset);
        match &ev[1] {
            ServerEvent::Hello { domain, extended } => {
                assert_eq!(domain.to_string(), "again.example");
                assert_eq!(*extended, hello.starts_with(b"EHLO"));
            }
            e => panic!("{e:?}"),
        }
        let (_, out) = feed(&mut s, b"RCPT TO:<b@example.org>\r\n");
        assert_eq!(codes(&out), [503]);
    }
}

#[test]
fn helo_gets_a_plain_reply_and_no_parameters() {
    let mut s = server();
    let (_, out) = feed(
        &mut s,
        b"HELO c.example\r\nMAIL FROM:<a@example.com> SIZE=10\r\nMAIL FROM:<a@example.com>\r\n",
    );
    let r = replies(&out);
    assert_eq!(r[0].code().as_u16(), 250);
    assert!(!r[0].is_multiline());
    assert_eq!(r[0].first_line().as_bytes(), b"mx.example.org");
    assert_eq!(r[1].code().as_u16(), 555);
    assert_eq!(r[2].code().as_u16(), 250);
}

#[test]
fn other_commands() {
    let mut s = server();
    let (ev, out) = feed(
        &mut s,
        b"NOOP\r\nHELP\r\nVRFY postmaster\r\nEXPN list\r\nETRN example.org\r\nXYZZY\r\n",
    );
    assert_eq!(codes(&out), [250, 214, 252, 502, 502, 500]);
    assert_eq!(rejected(&ev), [502, 502, 500]);
}

#[test]
fn quit_closes() {
    let mut s = server();
    let (ev, out) = feed(&mut s, b"QUIT\r\nNOOP\r\n");
    assert_eq!(&out[..], b"221 2.0.0 Bye\r\n");
    assert_eq!(ev, [ServerEvent::Closed]);
    assert!(s.is_closed());
    let (ev, out) = feed(&mut s, b"NOOP\r\n");
    assert!(ev.is_empty() && out.is_empty());
}

#[test]
fn without_enhanced_status_codes_replies_are_plain() {
    let mut cfg = config();
    cfg.extensions.enhanced_status_codes = false;
    let mut s = server_with(cfg);
    let (_, out) = feed(
        &mut s,
        b"EHLO c.example\r\nNOOP\r\nRCPT TO:<b@example.org>\r\n",
    );
    let r = replies(&out);
    assert!(r.iter().all(|r| r.enhanced_code().is_none()), "{r:?}");
    let ehlo = EhloResponse::from_reply(&r[0]).unwrap();
    assert!(!ehlo.supports_enhanced_status_codes());
}

// ----- EHLO -----------------------------------------------------------------

fn ehlo_of(cfg: ServerConfig) -> EhloResponse<'static> {
    let mut s = server_with(cfg);
    let (_, out) = feed(&mut s, EHLO);
    let r = replies(&out);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].code().as_u16(), 250);
    EhloResponse::from_reply(&r[0]).unwrap().into_owned()
}

fn keywords(e: &EhloResponse<'_>) -> Vec<String> {
    e.capabilities()
        .iter()
        .map(|c| c.keyword().to_owned())
        .collect()
}

#[test]
fn ehlo_offers_exactly_the_default_extensions() {
    let e = ehlo_of(config());
    assert_eq!(e.domain(), "mx.example.org");
    assert_eq!(
        keywords(&e),
        [
            "PIPELINING",
            "SIZE",
            "8BITMIME",
            "CHUNKING",
            "SMTPUTF8",
            "ENHANCEDSTATUSCODES"
        ]
    );
    assert_eq!(e.max_size(), Some(32 << 20));
}

#[test]
fn ehlo_offers_exactly_every_configured_extension() {
    let mut cfg = config();
    cfg.extensions.binary_mime = true;
    cfg.extensions.dsn = true;
    cfg.extensions.starttls = true;
    cfg.extensions.auth = vec![Mechanism::Plain, Mechanism::Login];
    cfg.limits.max_message_size = 1234;
    let e = ehlo_of(cfg);
    assert_eq!(
        keywords(&e),
        [
            "PIPELINING",
            "SIZE",
            "8BITMIME",
            "BINARYMIME",
            "CHUNKING",
            "DSN",
            "SMTPUTF8",
            "STARTTLS",
            "AUTH",
            "ENHANCEDSTATUSCODES"
        ]
    );
    assert_eq!(e.max_size(), Some(1234));
    assert_eq!(
        e.auth_mechanisms().cloned().collect::<Vec<_>>(),
        [Mechanism::Plain, Mechanism::Login]
    );
}

#[test]
fn ehlo_with_no_extensions_is_the_domain_alone() {
    let mut cfg = config();
    let x = &mut cfg.extensions;
    x.pipelining = false;
    x.eight_bit_mime = false;
    x.smtputf8 = false;
    x.chunking = false;
    x.binary_mime = true; // needs chunking: not offered
    x.enhanced_status_codes = false;
    x.size = false;
    let e = ehlo_of(cfg);
    assert!(e.capabilities().is_empty(), "{:?}", e.capabilities());
}

#[test]
fn auth_requires_tls_hides_auth_in_plaintext() {
    let mut cfg = config();
    cfg.extensions.auth = vec![Mechanism::Plain];
    cfg.extensions.auth_requires_tls = true;
    cfg.extensions.starttls = true;
    let e = ehlo_of(cfg.clone());
    assert!(e.supports_starttls());
    assert_eq!(e.auth_mechanisms().count(), 0);
    // Implicit TLS: AUTH offered, STARTTLS not.
    cfg.tls_active = true;
    let e = ehlo_of(cfg);
    assert!(!e.supports_starttls());
    assert!(e.supports_auth(&Mechanism::Plain));
}

// ----- PIPELINING and decisions ---------------------------------------------

const BATCH: &[u8] = b"EHLO client.example\r\n\
MAIL FROM:<a@example.com> SIZE=20\r\n\
RCPT TO:<b1@example.org>\r\n\
RCPT TO:<b2@example.org>\r\n\
RCPT TO:<b3@example.org>\r\n\
DATA\r\n\
Subject: hi\r\n\
\r\n\
..dotted\r\n\
.\r\n\
QUIT\r\n";

#[test]
fn a_pipelined_batch_in_one_receive_is_answered_in_order() {
    let mut s = server();
    let (ev, out) = feed(&mut s, BATCH);
    let r = replies(&out);
    let got: Vec<(u16, Option<EnhancedStatusCode>)> = r
        .iter()
        .map(|r| (r.code().as_u16(), r.enhanced_code()))
        .collect();
    let e = |s: &str| Some(s.parse::<EnhancedStatusCode>().unwrap());
    assert_eq!(
        got,
        [
            (250, None),
            (250, e("2.1.0")),
            (250, e("2.1.5")),
            (250, e("2.1.5")),
            (250, e("2.1.5")),
            (354, None),
            (250, e("2.0.0")),
            (221, e("2.0.0")),
        ]
    );
    assert!(r[0].is_multiline());
    let kinds: Vec<&str> = ev
        .iter()
        .map(|e| match e {
            ServerEvent::Hello { .. } => "hello",
            ServerEvent::Mail { .. } => "mail",
            ServerEvent::Rcpt { .. } => "rcpt",
            ServerEvent::MessageStart => "start",
            ServerEvent::MessageChunk(_) => "chunk",
            ServerEvent::MessageEnd { .. } => "end",
            ServerEvent::Closed => "closed",
            e => panic!("unexpected {e:?}"),
        })
        .filter(|k| *k != "chunk")
        .collect();
    assert_eq!(
        kinds,
        [
            "hello", "mail", "rcpt", "rcpt", "rcpt", "start", "end", "closed"
        ]
    );
    let body = b"Subject: hi\r\n\r\n.dotted\r\n";
    assert_eq!(chunks_of(&ev), body);
    assert!(ev.contains(&ServerEvent::MessageEnd {
        size: body.len() as u64
    }));
    match &ev[1] {
        ServerEvent::Mail { from, params } => {
            assert_eq!(from.to_string(), "<a@example.com>");
            assert_eq!(params.size, Some(20));
        }
        e => panic!("{e:?}"),
    }
    assert!(s.is_closed());
}

#[test]
fn pipelined_commands_wait_behind_a_pending_decision() {
    let mut s = server();
    s.receive(
        b"EHLO c.example\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nNOOP\r\n",
    );
    let mut events = Vec::new();
    while let Some(e) = s.poll_event() {
        events.push(e);
    }
    // Only the EHLO is answered; MAIL waits for the application.
    assert_eq!(codes(&s.take_output()), [250]);
    assert_eq!(events.len(), 2);
    assert!(matches!(events[1], ServerEvent::Mail { .. }));
    // More input does not jump the queue.
    s.receive(b"NOOP\r\n");
    assert!(s.poll_event().is_none());
    assert!(s.take_output().is_empty());
    s.accept().unwrap();
    assert!(matches!(s.poll_event(), Some(ServerEvent::Rcpt { .. })));
    assert!(s.poll_event().is_none());
    assert_eq!(codes(&s.take_output()), [250]);
    s.reject(reply(450, "4.2.0 Try later")).unwrap();
    assert!(s.poll_event().is_none());
    let out = s.take_output();
    assert_eq!(codes(&out), [450, 250, 250]);
    assert!(out.starts_with(b"450 4.2.0 Try later\r\n"));
}

#[test]
fn decision_api_misuse_is_an_error() {
    let mut s = server();
    assert_eq!(s.accept(), Err(ServerError::NoPendingDecision));
    assert_eq!(
        s.reject(reply(550, "no")),
        Err(ServerError::NoPendingDecision)
    );
    assert_eq!(s.accept_lmtp(&[]), Err(ServerError::NoPendingDecision));
    assert_eq!(s.auth_challenge(b"x"), Err(ServerError::NoPendingDecision));
    assert_eq!(s.tls_established(), Err(ServerError::NoTlsUpgrade));
    s.receive(b"EHLO c.example\r\nMAIL FROM:<a@example.com>\r\n");
    while s.poll_event().is_some() {}
    assert_eq!(
        s.reject(reply(250, "fine")),
        Err(ServerError::NotANegativeReply)
    );
    assert_eq!(
        s.reject(reply(354, "go")),
        Err(ServerError::NotANegativeReply)
    );
    // Still pending after the misuse.
    s.accept().unwrap();
    assert_eq!(codes(&s.take_output()), [250, 250]);
}

#[test]
fn application_rejects_sender_recipient_and_message() {
    let mut s = server();
    let mut decide = |e: &ServerEvent| match e {
        ServerEvent::Mail { from, .. } if from.to_string().contains("spammer") => {
            Decision::Reject(reply(550, "5.7.1 Go away"))
        }
        ServerEvent::MessageEnd { .. } => Decision::Reject(reply(554, "5.6.0 Content refused")),
        e => default_decide(e),
    };
    let (ev, out) = feed_with(
        &mut s,
        b"EHLO c.example\r\n\
MAIL FROM:<spammer@example.com>\r\n\
RCPT TO:<b@example.org>\r\n\
MAIL FROM:<a@example.com>\r\n\
RCPT TO:<reject@example.org>\r\n\
RCPT TO:<b@example.org>\r\n\
DATA\r\n\
body\r\n\
.\r\n\
RCPT TO:<b@example.org>\r\n\
MAIL FROM:<a@example.com>\r\n",
        &mut decide,
    );
    assert_eq!(
        codes(&out),
        [250, 550, 503, 250, 550, 250, 354, 554, 503, 250]
    );
    assert!(
        out.windows(27)
            .any(|w| w == b"554 5.6.0 Content refused\r\n")
    );
    assert_eq!(
        mails(&ev),
        [
            "<spammer@example.com>",
            "<a@example.com>",
            "<a@example.com>"
        ]
    );
    assert_eq!(chunks_of(&ev), b"body\r\n");
}

#[test]
fn message_chunks_concatenate_to_the_unstuffed_body() {
    let body: &[u8] = b"From: a@example.com\r\n\r\n.\r\n..\r\n...x\r\nend .\r\n. \r\n";
    let wire: &[u8] = b"From: a@example.com\r\n\r\n..\r\n...\r\n....x\r\nend .\r\n.. \r\n.\r\n";
    for step in [1, 2, 3, 7, wire.len()] {
        let mut s = in_transaction(config());
        let (_, out) = feed(&mut s, b"DATA\r\n");
        assert_eq!(codes(&out), [354]);
        let mut events = Vec::new();
        for piece in wire.chunks(step) {
            let (ev, _) = feed(&mut s, piece);
            events.extend(ev);
        }
        assert_eq!(chunks_of(&events), body, "step {step}");
        assert_eq!(
            events.last(),
            Some(&ServerEvent::MessageEnd {
                size: body.len() as u64
            })
        );
        assert_eq!(codes(&s.take_output()), [] as [u16; 0]);
    }
}

#[test]
fn empty_message() {
    let mut s = in_transaction(config());
    let (ev, out) = feed(&mut s, b"DATA\r\n.\r\n");
    assert_eq!(codes(&out), [354, 250]);
    assert_eq!(
        ev,
        [
            ServerEvent::MessageStart,
            ServerEvent::MessageEnd { size: 0 }
        ]
    );
}

// ----- LMTP -----------------------------------------------------------------

fn lmtp() -> Server {
    let mut cfg = config();
    cfg.protocol = Protocol::Lmtp;
    server_with(cfg)
}

#[test]
fn lmtp_needs_lhlo() {
    let mut s = lmtp();
    let (ev, out) = feed(
        &mut s,
        b"HELO c.example\r\nEHLO c.example\r\nMAIL FROM:<a@example.com>\r\nLHLO c.example\r\nMAIL FROM:<a@example.com>\r\n",
    );
    assert_eq!(codes(&out), [500, 500, 503, 250, 250]);
    assert_eq!(mails(&ev).len(), 1);
    // And SMTP refuses LHLO.
    let mut s = server();
    let (_, out) = feed(&mut s, b"LHLO c.example\r\n");
    assert_eq!(codes(&out), [500]);
}

#[test]
fn lmtp_one_reply_per_accepted_recipient() {
    let mut s = lmtp();
    let mut decide = |e: &ServerEvent| match e {
        ServerEvent::MessageEnd { .. } => Decision::Wait,
        e => default_decide(e),
    };
    let (ev, out) = feed_with(
        &mut s,
        b"LHLO c.example\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<one@example.org>\r\n\
RCPT TO:<reject@example.org>\r\nRCPT TO:<two@example.org>\r\nDATA\r\nhello\r\n.\r\nNOOP\r\n",
        &mut decide,
    );
    assert_eq!(codes(&out), [250, 250, 250, 550, 250, 354]);
    assert_eq!(chunks_of(&ev), b"hello\r\n");
    assert_eq!(
        s.accept_lmtp(&[]),
        Err(ServerError::WrongReplyCount { expected: 2 })
    );
    assert_eq!(
        s.accept_lmtp(&[reply(250, "a"), reply(250, "b"), reply(250, "c")]),
        Err(ServerError::WrongReplyCount { expected: 2 })
    );
    assert!(s.take_output().is_empty());
    s.accept_lmtp(&[
        reply(250, "2.1.5 <one@example.org> delivered"),
        reply(452, "4.2.2 <two@example.org> is over quota"),
    ])
    .unwrap();
    let out = s.take_output();
    assert_eq!(
        &out[..],
        b"250 2.1.5 <one@example.org> delivered\r\n452 4.2.2 <two@example.org> is over quota\r\n250 2.0.0 OK\r\n"
    );
}

#[test]
fn lmtp_accept_and_reject_repeat_per_recipient() {
    for accept in [true, false] {
        let mut s = lmtp();
        let mut decide = |e: &ServerEvent| match e {
            ServerEvent::MessageEnd { .. } if !accept => {
                Decision::Reject(reply(554, "5.6.0 refused"))
            }
            e => default_decide(e),
        };
        let (_, out) = feed_with(
            &mut s,
            b"LHLO c.example\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<one@example.org>\r\n\
RCPT TO:<two@example.org>\r\nRCPT TO:<three@example.org>\r\nDATA\r\nx\r\n.\r\n",
            &mut decide,
        );
        let want = if accept { 250 } else { 554 };
        assert_eq!(
            codes(&out),
            [250, 250, 250, 250, 250, 354, want, want, want]
        );
    }
}

#[test]
fn lmtp_data_without_recipients_is_503() {
    // RFC 2033 section 4.2: "the DATA command MUST fail with a 503 reply code".
    let mut s = lmtp();
    let (_, out) = feed(
        &mut s,
        b"LHLO c.example\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<reject@example.org>\r\nDATA\r\n",
    );
    assert_eq!(codes(&out), [250, 250, 550, 503]);
}

#[test]
fn lmtp_refused_message_gets_one_reply_per_recipient() {
    // RFC 2033 section 4.2: one reply per accepted RCPT after the final dot,
    // also when the session itself refuses the message (too big, bare LF).
    for (limit, body) in [
        (4u64, &b"far too long\r\n.\r\n"[..]),
        (100, b"bare\nlf\r\n.\r\n"),
    ] {
        let mut cfg = config();
        cfg.protocol = Protocol::Lmtp;
        cfg.limits.max_message_size = limit;
        let mut s = server_with(cfg);
        let (_, out) = feed(
            &mut s,
            b"LHLO c.example\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<one@example.org>\r\nRCPT TO:<two@example.org>\r\nDATA\r\n",
        );
        assert_eq!(codes(&out), [250, 250, 250, 250, 354]);
        let (ev, out) = feed(&mut s, body);
        let c = codes(&out);
        assert_eq!(c.len(), 2, "{c:?}");
        assert!(c.iter().all(|&x| x == c[0]), "{c:?}");
        assert!(c[0] == 552 || c[0] == 550);
        assert_eq!(
            count(&ev, |e| matches!(e, ServerEvent::MessageAborted { .. })),
            1
        );
        let (_, out) = feed(&mut s, b"NOOP\r\n");
        assert_eq!(codes(&out), [250]);
    }
}

#[test]
fn lmtp_bdat_last_gets_one_reply_per_recipient() {
    let mut s = lmtp();
    let mut decide = |e: &ServerEvent| match e {
        ServerEvent::MessageEnd { size: 5 } => Decision::Lmtp(vec![
            reply(250, "2.0.0 one ok"),
            reply(550, "5.2.1 two disabled"),
        ]),
        e => default_decide(e),
    };
    let (ev, out) = feed_with(
        &mut s,
        b"LHLO c.example\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<one@example.org>\r\nRCPT TO:<two@example.org>\r\nBDAT 3\r\nabcBDAT 2 LAST\r\ndeNOOP\r\n",
        &mut decide,
    );
    assert_eq!(codes(&out), [250, 250, 250, 250, 250, 250, 550, 250]);
    assert!(out.ends_with(b"250 2.0.0 one ok\r\n550 5.2.1 two disabled\r\n250 2.0.0 OK\r\n"));
    assert_eq!(chunks_of(&ev), b"abcde");
}

#[test]
fn lmtp_bdat_too_big_gets_one_reply_per_recipient_at_last() {
    let mut cfg = config();
    cfg.protocol = Protocol::Lmtp;
    cfg.limits.max_message_size = 4;
    let mut s = server_with(cfg);
    let (_, out) = feed(
        &mut s,
        b"LHLO c.example\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<one@example.org>\r\nRCPT TO:<two@example.org>\r\nBDAT 6 LAST\r\nabcdefNOOP\r\n",
    );
    assert_eq!(codes(&out), [250, 250, 250, 250, 552, 552, 250]);
    // A chunk before the last that crosses the limit gets its single reply.
    let (_, out) = feed(
        &mut s,
        b"MAIL FROM:<a@example.com>\r\nRCPT TO:<one@example.org>\r\nRCPT TO:<two@example.org>\r\nBDAT 6\r\nabcdefNOOP\r\n",
    );
    assert_eq!(codes(&out), [250, 250, 250, 552, 250]);
}

// ----- limits ---------------------------------------------------------------

#[test]
fn too_many_recipients_is_452() {
    let mut cfg = config();
    cfg.limits.max_recipients = 2;
    let mut s = server_with(cfg);
    let (ev, out) = feed(
        &mut s,
        b"EHLO c.example\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<reject@example.org>\r\n\
RCPT TO:<b1@example.org>\r\nRCPT TO:<b2@example.org>\r\nRCPT TO:<b3@example.org>\r\nDATA\r\nx\r\n.\r\n",
    );
    assert_eq!(codes(&out), [250, 250, 550, 250, 250, 452, 354, 250]);
    let r = replies(&out);
    assert_eq!(r[5].enhanced_code().unwrap().to_string(), "4.5.3");
    assert_eq!(count(&ev, |e| matches!(e, ServerEvent::Rcpt { .. })), 3);
}

#[test]
fn size_parameter_over_the_limit_is_552_at_mail() {
    let mut cfg = config();
    cfg.limits.max_message_size = 1000;
    let mut s = server_with(cfg);
    let (ev, out) = feed(
        &mut s,
        b"EHLO c.example\r\nMAIL FROM:<a@example.com> SIZE=1001\r\nMAIL FROM:<a@example.com> SIZE=1000\r\n",
    );
    assert_eq!(codes(&out), [250, 552, 250]);
    assert_eq!(enhanced(&out)[1].as_deref(), Some("5.3.4"));
    assert_eq!(mails(&ev).len(), 1);
}

#[test]
fn size_parameter_when_size_not_offered_is_555() {
    let mut cfg = config();
    cfg.extensions.size = false;
    let mut s = server_with(cfg);
    let (_, out) = feed(
        &mut s,
        b"EHLO c.example\r\nMAIL FROM:<a@example.com> SIZE=10\r\n",
    );
    assert_eq!(codes(&out), [250, 555]);
}

/// Body lines that would do harm if read as commands.
const HOSTILE_BODY: &[u8] =
    b"QUIT\r\nRSET\r\nMAIL FROM:<evil@example.com>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\n";

#[test]
fn oversized_data_is_consumed_and_refused() {
    let mut cfg = config();
    cfg.limits.max_message_size = 30;
    let mut wire = b"DATA\r\n".to_vec();
    wire.extend_from_slice(HOSTILE_BODY);
    wire.extend_from_slice(HOSTILE_BODY);
    wire.extend_from_slice(b".\r\nNOOP\r\nQUIT\r\n");
    for step in [1, 5, 16, wire.len()] {
        let mut s = in_transaction(cfg.clone());
        let mut ev = Vec::new();
        let mut out = Vec::new();
        for piece in wire.chunks(step) {
            let (e, o) = feed(&mut s, piece);
            ev.extend(e);
            out.extend(o);
        }
        assert_eq!(codes(&out), [354, 552, 250, 221], "step {step}");
        assert_eq!(enhanced(&out)[1].as_deref(), Some("5.3.4"));
        assert!(ev.contains(&ServerEvent::MessageAborted {
            reason: AbortReason::TooLarge
        }));
        assert!(
            !ev.iter()
                .any(|e| matches!(e, ServerEvent::MessageEnd { .. }))
        );
        assert!(mails(&ev).is_empty());
        assert!(rejected(&ev).is_empty());
        // The chunks stop exactly at the limit, however the input was split.
        let mut body = HOSTILE_BODY.to_vec();
        body.extend_from_slice(HOSTILE_BODY);
        assert_eq!(chunks_of(&ev), &body[..30]);
        assert_eq!(ev.last(), Some(&ServerEvent::Closed));
    }
}

#[test]
fn a_message_of_exactly_the_limit_is_accepted() {
    let mut cfg = config();
    cfg.limits.max_message_size = 10;
    let mut s = in_transaction(cfg);
    let (ev, out) = feed(&mut s, b"DATA\r\n12345678\r\n.\r\n");
    assert_eq!(codes(&out), [354, 250]);
    assert!(ev.contains(&ServerEvent::MessageEnd { size: 10 }));
}

#[test]
fn oversized_bdat_is_consumed_and_refused() {
    let mut cfg = config();
    cfg.limits.max_message_size = 30;
    let mut wire = format!("BDAT {} LAST\r\n", HOSTILE_BODY.len() * 2).into_bytes();
    wire.extend_from_slice(HOSTILE_BODY);
    wire.extend_from_slice(HOSTILE_BODY);
    wire.extend_from_slice(b"NOOP\r\nQUIT\r\n");
    for step in [1, 7, wire.len()] {
        let mut s = in_transaction(cfg.clone());
        let mut ev = Vec::new();
        let mut out = Vec::new();
        for piece in wire.chunks(step) {
            let (e, o) = feed(&mut s, piece);
            ev.extend(e);
            out.extend(o);
        }
        assert_eq!(codes(&out), [552, 250, 221], "step {step}");
        assert_eq!(enhanced(&out)[0].as_deref(), Some("5.3.4"));
        assert!(ev.contains(&ServerEvent::MessageAborted {
            reason: AbortReason::TooLarge
        }));
        assert!(mails(&ev).is_empty() && rejected(&ev).is_empty());
        assert!(
            !ev.iter()
                .any(|e| matches!(e, ServerEvent::MessageEnd { .. }))
        );
        assert_eq!(chunks_of(&ev), &HOSTILE_BODY[..30]);
    }
}

#[test]
fn bdat_that_crosses_the_limit_in_a_later_chunk() {
    let mut cfg = config();
    cfg.limits.max_message_size = 10;
    let mut s = in_transaction(cfg);
    let (ev, out) = feed(
        &mut s,
        b"BDAT 6\r\nabcdefBDAT 6\r\nQUIT\r\nBDAT 6 LAST\r\nRSET\r\nNOOP\r\n",
    );
    // The second chunk crosses the limit: 552 for it; the LAST chunk that
    // follows is consumed and refused the same way (RFC 3030 section 2).
    assert_eq!(codes(&out), [250, 552, 552, 250]);
    assert_eq!(
        count(&ev, |e| matches!(e, ServerEvent::MessageAborted { .. })),
        1
    );
    assert!(rejected(&ev).is_empty());
    assert!(!s.is_closed());
    // The transaction ended with the last chunk.
    let (_, out) = feed(&mut s, b"RCPT TO:<b@example.org>\r\n");
    assert_eq!(codes(&out), [503]);
}

#[test]
fn pipelined_chunks_after_a_refused_one_do_not_exhaust_the_error_budget() {
    let mut cfg = config();
    cfg.limits.max_message_size = 10;
    cfg.limits.max_errors = 3;
    let mut s = in_transaction(cfg);
    let mut wire = Vec::new();
    for _ in 0..10 {
        wire.extend_from_slice(b"BDAT 6\r\nQUIT\r\n");
    }
    wire.extend_from_slice(b"BDAT 0 LAST\r\nRSET\r\nNOOP\r\n");
    let (ev, out) = feed(&mut s, &wire);
    let mut want = vec![250];
    want.extend([552; 10]);
    want.extend([250, 250]);
    assert_eq!(codes(&out), want);
    assert!(!s.is_closed());
    assert!(rejected(&ev).is_empty());
    assert_eq!(chunks_of(&ev), b"QUIT\r\nQUIT");
}

#[test]
fn bdat_with_several_chunks_and_last() {
    let chunk2: &[u8] = b"line\r\n.\r\nQUIT\r\nbare\nlf\r.";
    let mut wire = b"BDAT 5\r\nHello".to_vec();
    wire.extend_from_slice(format!("BDAT {}\r\n", chunk2.len()).as_bytes());
    wire.extend_from_slice(chunk2);
    wire.extend_from_slice(b"BDAT 0\r\nBDAT 3 LAST\r\nEnd");
    wire.extend_from_slice(b"NOOP\r\n");
    let mut body = b"Hello".to_vec();
    body.extend_from_slice(chunk2);
    body.extend_from_slice(b"End");
    for step in [1, 3, wire.len()] {
        let mut s = in_transaction(config());
        let mut ev = Vec::new();
        let mut out = Vec::new();
        for piece in wire.chunks(step) {
            let (e, o) = feed(&mut s, piece);
            ev.extend(e);
            out.extend(o);
        }
        let r = replies(&out);
        let texts: Vec<String> = r.iter().map(|r| r.text_lossy()).collect();
        assert_eq!(
            texts,
            [
                "2.0.0 5 octets received".to_owned(),
                format!("2.0.0 {} octets received", chunk2.len()),
                "2.0.0 0 octets received".to_owned(),
                "2.0.0 Message accepted for delivery".to_owned(),
                "2.0.0 OK".to_owned(),
            ]
        );
        assert_eq!(chunks_of(&ev), body);
        assert_eq!(count(&ev, |e| *e == ServerEvent::MessageStart), 1);
        assert!(ev.contains(&ServerEvent::MessageEnd {
            size: body.len() as u64
        }));
        assert!(rejected(&ev).is_empty());
    }
}

#[test]
fn data_after_bdat_is_refused() {
    let mut s = in_transaction(config());
    let (_, out) = feed(&mut s, b"BDAT 2\r\nabDATA\r\nNOOP\r\n");
    assert_eq!(codes(&out), [250, 503, 250]);
}

#[test]
fn bdat_without_mail_is_consumed_and_refused() {
    let mut s = server();
    let chunk = b"QUIT\r\nRSET\r\n";
    let mut wire = b"EHLO c.example\r\n".to_vec();
    wire.extend_from_slice(format!("BDAT {} LAST\r\n", chunk.len()).as_bytes());
    wire.extend_from_slice(chunk);
    wire.extend_from_slice(b"NOOP\r\n");
    let (ev, out) = feed(&mut s, &wire);
    assert_eq!(codes(&out), [250, 503, 250]);
    assert!(chunks_of(&ev).is_empty());
    assert!(!s.is_closed());
    assert_eq!(rejected(&ev), [503]);
    // Without recipients: 554, also consumed.
    let (ev, out) = feed(
        &mut s,
        b"MAIL FROM:<a@example.com>\r\nRCPT TO:<reject@example.org>\r\nBDAT 6\r\nQUIT\r\nNOOP\r\n",
    );
    assert_eq!(codes(&out), [250, 550, 554, 250]);
    assert!(chunks_of(&ev).is_empty());
}

#[test]
fn bdat_without_chunking_is_consumed_and_refused() {
    let mut cfg = config();
    cfg.extensions.chunking = false;
    let mut s = in_transaction(cfg);
    let (_, out) = feed(&mut s, b"BDAT 6 LAST\r\nQUIT\r\nNOOP\r\n");
    assert_eq!(codes(&out), [502, 250]);
}

#[test]
fn bdat_with_an_unreadable_size_closes() {
    for cmd in [
        &b"BDAT x\r\n"[..],
        b"BDAT 99999999999999999999\r\n",
        b"BDAT 99999999999999999999 LAST\r\n",
        b"BDAT -1\r\n",
        b"BDAT 5 FIRST\r\n",
    ] {
        let mut s = in_transaction(config());
        let mut wire = cmd.to_vec();
        wire.extend_from_slice(b"NOOP\r\nMAIL FROM:<evil@example.com>\r\n");
        let (ev, out) = feed(&mut s, &wire);
        assert_eq!(codes(&out), [501], "{:?}", String::from_utf8_lossy(cmd));
        assert_eq!(ev.last(), Some(&ServerEvent::Closed));
        assert!(mails(&ev).is_empty());
        assert!(s.is_closed());
    }
}

#[test]
fn bdat_size_near_u64_max_is_counted_without_overflow() {
    let mut cfg = config();
    cfg.limits.max_message_size = 10;
    let mut s = in_transaction(cfg);
    let (ev, out) = feed(
        &mut s,
        b"BDAT 18446744073709551615 LAST\r\nNOOP\r\nQUIT\r\n0123456789",
    );
    // All of it is chunk data: no command was read, nothing was replied.
    assert!(out.is_empty());
    assert!(ev.contains(&ServerEvent::MessageAborted {
        reason: AbortReason::TooLarge
    }));
    assert!(!s.is_closed());
}

// ----- SMTP smuggling -------------------------------------------------------

const SMUGGLING_VARIANTS: [&[u8]; 10] = [
    b"\n.\n",
    b"\n.\r\n",
    b"\r.\r",
    b"\r\n.\n",
    b"\r.\n",
    b"\n.\r",
    b"\r\n.\r",
    b"\r.\r\n",
    b"\n..\n",
    b"\r\n.\r\r\n",
];

fn smuggling_wire(variant: &[u8]) -> Vec<u8> {
    let mut w = b"EHLO client.example\r\nMAIL FROM:<good@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\nSubject: x\r\n\r\nbody".to_vec();
    w.extend_from_slice(variant);
    w.extend_from_slice(
        b"MAIL FROM:<evil@example.com>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\nsmuggled\r\n.\r\nNOOP\r\n",
    );
    w
}

#[test]
fn smuggling_variants_do_not_end_the_data_in_strict_mode() {
    for v in SMUGGLING_VARIANTS {
        let wire = smuggling_wire(v);
        for step in [1, 2, 9, wire.len()] {
            let mut s = server();
            let mut ev = Vec::new();
            let mut out = Vec::new();
            for piece in wire.chunks(step) {
                let (e, o) = feed(&mut s, piece);
                ev.extend(e);
                out.extend(o);
            }
            assert_eq!(mails(&ev), ["<good@example.com>"], "{v:?}");
            assert_eq!(count(&ev, |e| *e == ServerEvent::MessageStart), 1);
            assert!(
                ev.contains(&ServerEvent::MessageAborted {
                    reason: AbortReason::BareLineEnding
                }),
                "{v:?}"
            );
            assert!(
                !ev.iter()
                    .any(|e| matches!(e, ServerEvent::MessageEnd { .. }))
            );
            // 550 at the real end of the data, then the NOOP.
            assert_eq!(
                codes(&out),
                [250, 250, 250, 354, 550, 250],
                "{v:?} step {step}"
            );
            assert_eq!(enhanced(&out)[4].as_deref(), Some("5.6.0"));
            assert!(rejected(&ev).is_empty());
        }
    }
}

#[test]
fn smuggling_variants_are_content_when_bare_line_ends_are_allowed() {
    let lenient = DotOptions {
        allow_bare_lf: true,
        allow_bare_cr: true,
    };
    let lf_only = DotOptions {
        allow_bare_lf: true,
        allow_bare_cr: false,
    };
    for opts in [lenient, lf_only] {
        for v in SMUGGLING_VARIANTS {
            let has_bare_cr =
                v.windows(2).any(|w| w[0] == b'\r' && w[1] != b'\n') || v.last() == Some(&b'\r');
            let wire = smuggling_wire(v);
            for step in [1, 4, wire.len()] {
                let mut cfg = config();
                cfg.data_line_endings = opts;
                let mut s = server_with(cfg);
                let mut ev = Vec::new();
                let mut out = Vec::new();
                for piece in wire.chunks(step) {
                    let (e, o) = feed(&mut s, piece);
                    ev.extend(e);
                    out.extend(o);
                }
                assert_eq!(mails(&ev), ["<good@example.com>"], "{v:?}");
                if has_bare_cr && !opts.allow_bare_cr {
                    assert_eq!(codes(&out), [250, 250, 250, 354, 550, 250], "{v:?}");
                    continue;
                }
                assert_eq!(codes(&out), [250, 250, 250, 354, 250, 250], "{v:?}");
                let body = chunks_of(&ev);
                let text = String::from_utf8_lossy(&body);
                assert!(
                    text.contains("MAIL FROM:<evil@example.com>\r\n"),
                    "{text:?}"
                );
                assert!(text.ends_with("smuggled\r\n"), "{text:?}");
                assert!(ev.contains(&ServerEvent::MessageEnd {
                    size: body.len() as u64
                }));
            }
        }
    }
}

#[test]
fn bare_lf_in_a_command_line_is_500_and_resyncs() {
    // A bare LF ends a bad line at once (mail-wire's framer): the line is
    // refused and the framing goes on after the LF.
    let mut s = server();
    let (ev, out) = feed(
        &mut s,
        b"EHLO c.example\r\nMAIL FROM:<a@example.com>\nNOOP\r\n",
    );
    assert_eq!(codes(&out), [250, 500, 250]);
    assert!(mails(&ev).is_empty());
    assert_eq!(rejected(&ev), [500]);
    // A bare CR does not end a line: everything up to the CRLF is one bad
    // line, and nothing hidden after the CR is read as a command.
    let (ev, out) = feed(&mut s, b"RSET\rMAIL FROM:<evil@example.com>\r\nNOOP\r\n");
    assert_eq!(codes(&out), [500, 250]);
    assert!(mails(&ev).is_empty());
    // Split byte by byte, the same.
    let mut s = server();
    let wire = b"EHLO c.example\r\nNOOP\nNOOP\r\nRSET\rMAIL FROM:<evil@example.com>\r\nNOOP\r\n";
    let mut out = Vec::new();
    let mut ev = Vec::new();
    for b in wire.chunks(1) {
        let (e, o) = feed(&mut s, b);
        ev.extend(e);
        out.extend(o);
    }
    assert_eq!(codes(&out), [250, 500, 250, 500, 250]);
    assert!(mails(&ev).is_empty());
}

#[test]
fn bare_lf_in_commands_when_allowed() {
    let mut cfg = config();
    cfg.allow_bare_lf_in_commands = true;
    let mut s = server_with(cfg);
    let (ev, out) = feed(&mut s, b"EHLO c.example\nMAIL FROM:<a@example.com>\n");
    assert_eq!(codes(&out), [250, 250]);
    assert_eq!(mails(&ev), ["<a@example.com>"]);
}

#[test]
fn overlong_line_is_500_and_resyncs() {
    let mut cfg = config();
    cfg.limits.max_line_len = 64;
    let mut wire = b"EHLO c.example\r\nMAIL FROM:<".to_vec();
    wire.extend(std::iter::repeat_n(b'x', 500));
    wire.extend_from_slice(b"@example.com>\r\nNOOP\r\n");
    for step in [1, 10, 63, 64, 65, wire.len()] {
        let mut s = server_with(cfg.clone());
        let mut ev = Vec::new();
        let mut out = Vec::new();
        for piece in wire.chunks(step) {
            let (e, o) = feed(&mut s, piece);
            ev.extend(e);
            out.extend(o);
        }
        assert_eq!(codes(&out), [250, 500, 250], "step {step}");
        assert_eq!(enhanced(&out)[1].as_deref(), Some("5.5.2"));
        assert!(mails(&ev).is_empty());
    }
}

#[test]
fn too_many_errors_closes_with_421() {
    let mut cfg = config();
    cfg.limits.max_errors = 3;
    let mut s = server_with(cfg);
    let (ev, out) = feed(
        &mut s,
        b"FOO\r\nMAIL FROM:<a@example.com>\r\nBAR\r\nNOOP\r\n",
    );
    assert_eq!(codes(&out), [500, 503, 500, 421]);
    assert_eq!(enhanced(&out)[3].as_deref(), Some("4.7.0"));
    assert_eq!(ev.last(), Some(&ServerEvent::Closed));
    assert!(s.is_closed());
    let (ev, out) = feed(&mut s, b"NOOP\r\n");
    assert!(ev.is_empty() && out.is_empty());
}

#[test]
fn overflowing_size_parameter_is_refused() {
    let mut s = server();
    let (ev, out) = feed(
        &mut s,
        b"EHLO c.example\r\nMAIL FROM:<a@example.com> SIZE=99999999999999999999\r\nMAIL FROM:<a@example.com> SIZE=18446744073709551615\r\nNOOP\r\n",
    );
    let c = codes(&out);
    assert_eq!(c.len(), 4);
    assert!(c[1] == 501 || c[1] == 552, "{c:?}");
    assert_eq!(c[2], 552);
    assert_eq!(c[3], 250);
    assert!(mails(&ev).is_empty());
}

#[test]
fn non_ascii_addresses_need_smtputf8() {
    let mut s = server();
    let (ev, out) = feed(
        &mut s,
        "EHLO c.example\r\nMAIL FROM:<jös@example.com>\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<用户@例子.广告>\r\nRSET\r\nMAIL FROM:<jös@example.com> SMTPUTF8\r\nRCPT TO:<用户@例子.广告>\r\n"
            .as_bytes(),
    );
    assert_eq!(codes(&out), [250, 553, 250, 553, 250, 250, 250]);
    assert_eq!(enhanced(&out)[1].as_deref(), Some("5.6.7"));
    assert_eq!(mails(&ev), ["<a@example.com>", "<jös@example.com>"]);
    // Without the extension, the parameter itself is refused.
    let mut cfg = config();
    cfg.extensions.smtputf8 = false;
    let mut s = server_with(cfg);
    let (_, out) = feed(
        &mut s,
        "EHLO c.example\r\nMAIL FROM:<jös@example.com> SMTPUTF8\r\n".as_bytes(),
    );
    assert_eq!(codes(&out), [250, 555]);
}

#[test]
fn unknown_or_unoffered_parameters_are_555() {
    let mut s = server();
    let (ev, out) = feed(
        &mut s,
        b"EHLO c.example\r\nMAIL FROM:<a@example.com> FOO=bar\r\nMAIL FROM:<a@example.com> RET=HDRS\r\n\
MAIL FROM:<a@example.com> BODY=BINARYMIME\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org> XYZ\r\n\
RCPT TO:<b@example.org> NOTIFY=NEVER\r\n",
    );
    assert_eq!(codes(&out), [250, 555, 555, 555, 250, 555, 555]);
    assert_eq!(enhanced(&out)[1].as_deref(), Some("5.5.4"));
    assert_eq!(mails(&ev).len(), 1);
    let mut cfg = config();
    cfg.extensions.eight_bit_mime = false;
    let mut s = server_with(cfg);
    let (_, out) = feed(
        &mut s,
        b"EHLO c.example\r\nMAIL FROM:<a@example.com> BODY=8BITMIME\r\n",
    );
    assert_eq!(codes(&out), [250, 555]);
}

#[test]
fn binarymime_needs_bdat() {
    let mut cfg = config();
    cfg.extensions.binary_mime = true;
    let mut s = server_with(cfg);
    let (ev, out) = feed(
        &mut s,
        b"EHLO c.example\r\nMAIL FROM:<a@example.com> BODY=BINARYMIME\r\nRCPT TO:<b@example.org>\r\nDATA\r\nBDAT 3 LAST\r\n\0\xff\n",
    );
    assert_eq!(codes(&out), [250, 250, 250, 503, 250]);
    assert_eq!(chunks_of(&ev), b"\0\xff\n");
}

#[test]
fn malformed_commands_are_refused_not_fatal() {
    let mut s = server();
    let (ev, out) = feed(
        &mut s,
        b"EHLO c.example\r\nMAIL FROM:a@example.com\r\nMAIL FROM:<a@@example.com>\r\nNOOP\r\n",
    );
    // RFC 5321 section 4.2.2: a malformed path or mailbox is 553.
    assert_eq!(codes(&out), [250, 553, 553, 250]);
    assert!(String::from_utf8_lossy(&out).contains("553 5.1.7 "));
    assert!(mails(&ev).is_empty());
    assert!(!s.is_closed());
}

#[test]
fn nul_and_8bit_in_commands_are_refused() {
    let mut s = server();
    let (ev, out) = feed(
        &mut s,
        b"EHLO c.example\r\nMAIL FROM:<a\0b@example.com>\r\nMAIL FROM:<a\xffb@example.com>\r\nNOOP\r\n",
    );
    let c = codes(&out);
    assert_eq!(c.len(), 4);
    assert!(c[1] >= 500 && c[2] >= 500, "{c:?}");
    assert_eq!(c[3], 250);
    assert!(mails(&ev).is_empty());
}

// ----- STARTTLS -------------------------------------------------------------

fn tls_config() -> ServerConfig {
    let mut cfg = config();
    cfg.extensions.starttls = true;
    cfg.extensions.auth = vec![Mechanism::Plain];
    cfg.extensions.auth_requires_tls = true;
    cfg
}

#[test]
fn plaintext_pipelined_after_starttls_is_discarded() {
    let mut s = server_with(tls_config());
    let injected: &[u8] = b"MAIL FROM:<evil@example.com>\r\nRCPT TO:<victim@example.org>\r\n";
    let mut wire = b"EHLO c.example\r\nSTARTTLS\r\n".to_vec();
    wire.extend_from_slice(injected);
    let (ev, out) = feed(&mut s, &wire);
    assert_eq!(codes(&out), [250, 220]);
    assert!(out.ends_with(b"220 2.0.0 Ready to start TLS\r\n"));
    assert!(ev.contains(&ServerEvent::StartTls));
    assert!(ev.contains(&ServerEvent::PlaintextDiscarded {
        bytes: injected.len()
    }));
    assert!(mails(&ev).is_empty());
    // Bytes arriving before the handshake completes are discarded too.
    let (ev, out) = feed(&mut s, b"RSET\r\n");
    assert_eq!(ev, [ServerEvent::PlaintextDiscarded { bytes: 6 }]);
    assert!(out.is_empty());
    assert!(!s.is_tls());
    s.tls_established().unwrap();
    assert!(s.is_tls());
    assert_eq!(s.tls_established(), Err(ServerError::NoTlsUpgrade));
    // The session starts over: EHLO is needed again.
    let (ev, out) = feed(&mut s, b"MAIL FROM:<a@example.com>\r\n");
    assert_eq!(codes(&out), [503]);
    assert!(mails(&ev).is_empty());
    let (_, out) = feed(&mut s, EHLO);
    let e = EhloResponse::from_reply(&replies(&out)[0]).unwrap();
    assert!(!e.supports_starttls());
    assert!(e.supports_auth(&Mechanism::Plain));
    let (_, out) = feed(&mut s, b"STARTTLS\r\nMAIL FROM:<a@example.com>\r\n");
    assert_eq!(codes(&out), [502, 250]);
}

#[test]
fn starttls_mid_line_bytes_do_not_leak_into_the_tls_session() {
    let mut s = server_with(tls_config());
    // A partial command after STARTTLS: if kept, it would prefix the first
    // line received over TLS.
    let partial: &[u8] = b"MAIL FROM:<evil@exam";
    let mut wire = b"EHLO c.example\r\nSTARTTLS\r\n".to_vec();
    wire.extend_from_slice(partial);
    let (ev, _) = feed(&mut s, &wire);
    assert!(ev.contains(&ServerEvent::PlaintextDiscarded {
        bytes: partial.len()
    }));
    s.tls_established().unwrap();
    let (ev, out) = feed(&mut s, b"NOOP\r\nEHLO c.example\r\n");
    assert_eq!(codes(&out), [250, 250]);
    assert!(mails(&ev).is_empty());
}

#[test]
fn starttls_resets_the_authentication_state() {
    let mut cfg = tls_config();
    cfg.extensions.auth_requires_tls = false;
    let mut s = server_with(cfg);
    let ir = B64.encode(b"\0tim\0tanstaaf");
    let (ev, out) = feed(
        &mut s,
        format!("EHLO c.example\r\nAUTH PLAIN {ir}\r\nSTARTTLS\r\n").as_bytes(),
    );
    assert_eq!(codes(&out), [250, 235, 220]);
    assert!(ev.contains(&ServerEvent::StartTls));
    assert!(s.is_authenticated());
    s.tls_established().unwrap();
    assert!(!s.is_authenticated());
    let (_, out) = feed(&mut s, b"MAIL FROM:<a@example.com>\r\nEHLO c.example\r\n");
    assert_eq!(codes(&out), [503, 250]);
}

#[test]
fn starttls_inside_a_transaction_is_refused() {
    // Found by the server-session fuzz target: an upgrade in the middle of
    // a BDAT message dropped the message without telling the application.
    let mut s = server_with(tls_config());
    let (ev, out) = feed(
        &mut s,
        b"EHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nBDAT 1\r\nxSTARTTLS\r\nBDAT 0 LAST\r\n",
    );
    assert_eq!(codes(&out), [250, 250, 250, 250, 503, 250]);
    assert!(!ev.contains(&ServerEvent::StartTls));
    assert_eq!(chunks_of(&ev), b"x");
}

#[test]
fn starttls_not_offered_is_502() {
    let mut s = server();
    let (ev, out) = feed(&mut s, b"EHLO c.example\r\nSTARTTLS\r\nNOOP\r\n");
    assert_eq!(codes(&out), [250, 502, 250]);
    assert!(!ev.contains(&ServerEvent::StartTls));
}

// ----- AUTH -----------------------------------------------------------------

fn auth_config() -> ServerConfig {
    let mut cfg = config();
    cfg.extensions.auth = vec![
        Mechanism::Plain,
        Mechanism::Login,
        Mechanism::XOAuth2,
        Mechanism::new("SCRAM-SHA-256").unwrap(),
    ];
    cfg
}

fn auth_server() -> Server {
    let mut s = server_with(auth_config());
    let (_, out) = feed(&mut s, EHLO);
    assert_eq!(codes(&out), [250]);
    s
}

fn creds(events: &[ServerEvent]) -> Vec<Credentials> {
    events
        .iter()
        .filter_map(|e| match e {
            ServerEvent::Auth { credentials } => Some(credentials.clone()),
            _ => None,
        })
        .collect()
}

fn plain_creds() -> Credentials {
    Credentials::Plain {
        authzid: None,
        authcid: "tim".to_owned(),
        password: "tanstaaf".to_owned(),
    }
}

#[test]
fn auth_plain_with_initial_response() {
    let mut s = auth_server();
    let ir = B64.encode(b"\0tim\0tanstaaf");
    let (ev, out) = feed(&mut s, format!("AUTH PLAIN {ir}\r\nNOOP\r\n").as_bytes());
    assert_eq!(
        &out[..],
        b"235 2.7.0 Authentication successful\r\n250 2.0.0 OK\r\n"
    );
    assert_eq!(creds(&ev), [plain_creds()]);
    assert!(s.is_authenticated());
    // AUTH twice.
    let (_, out) = feed(&mut s, format!("AUTH PLAIN {ir}\r\n").as_bytes());
    assert_eq!(codes(&out), [503]);
}

#[test]
fn auth_plain_without_initial_response_gets_an_empty_challenge() {
    let mut s = auth_server();
    let (ev, out) = feed(&mut s, b"AUTH PLAIN\r\n");
    assert_eq!(&out[..], b"334 \r\n");
    assert!(ev.is_empty());
    let line = format!("{}\r\n", B64.encode(b"admin\0tim\0tanstaaf"));
    let (ev, out) = feed(&mut s, line.as_bytes());
    assert_eq!(codes(&out), [235]);
    assert_eq!(
        creds(&ev),
        [Credentials::Plain {
            authzid: Some("admin".to_owned()),
            authcid: "tim".to_owned(),
            password: "tanstaaf".to_owned(),
        }]
    );
}

#[test]
fn auth_login_exchange() {
    let mut s = auth_server();
    let (_, out) = feed(&mut s, b"AUTH LOGIN\r\n");
    assert_eq!(&out[..], b"334 VXNlcm5hbWU6\r\n");
    let (_, out) = feed(&mut s, format!("{}\r\n", B64.encode("tim")).as_bytes());
    assert_eq!(&out[..], b"334 UGFzc3dvcmQ6\r\n");
    let (ev, out) = feed(&mut s, format!("{}\r\n", B64.encode("secret")).as_bytes());
    assert_eq!(codes(&out), [235]);
    assert_eq!(
        creds(&ev),
        [Credentials::Login {
            username: "tim".to_owned(),
            password: "secret".to_owned()
        }]
    );
}

#[test]
fn auth_login_with_initial_response_pipelined() {
    let mut s = auth_server();
    let wire = format!(
        "AUTH LOGIN {}\r\n{}\r\nNOOP\r\n",
        B64.encode("tim"),
        B64.encode("secret")
    );
    let (ev, out) = feed(&mut s, wire.as_bytes());
    assert_eq!(codes(&out), [334, 235, 250]);
    assert_eq!(creds(&ev).len(), 1);
}

#[test]
fn auth_rejected_credentials_allow_a_retry() {
    let mut s = auth_server();
    let mut decide = |e: &ServerEvent| match e {
        ServerEvent::Auth { credentials } if credentials.secret() != "right" => {
            Decision::Reject(reply(535, "5.7.8 Authentication credentials invalid"))
        }
        e => default_decide(e),
    };
    let wire = format!(
        "AUTH PLAIN {}\r\nAUTH PLAIN {}\r\n",
        B64.encode(b"\0tim\0wrong"),
        B64.encode(b"\0tim\0right")
    );
    let (ev, out) = feed_with(&mut s, wire.as_bytes(), &mut decide);
    assert_eq!(codes(&out), [535, 235]);
    assert_eq!(creds(&ev).len(), 2);
    assert!(s.is_authenticated());
}

#[test]
fn auth_cancel_is_501() {
    let mut s = auth_server();
    let (_, out) = feed(&mut s, b"AUTH LOGIN\r\n*\r\nNOOP\r\n");
    assert_eq!(codes(&out), [334, 501, 250]);
    assert!(!s.is_authenticated());
    let (_, out) = feed(&mut s, b"AUTH PLAIN\r\n*\r\n");
    assert_eq!(codes(&out), [334, 501]);
}

#[test]
fn auth_bad_base64_is_501() {
    let mut s = auth_server();
    let (ev, out) = feed(
        &mut s,
        b"AUTH PLAIN !!!notbase64\r\nAUTH LOGIN\r\n@@@\r\nAUTH PLAIN\r\nAHRpbQB0YW5zdGFhZg=\r\nNOOP\r\n",
    );
    assert_eq!(codes(&out), [501, 334, 501, 334, 501, 250]);
    assert!(creds(&ev).is_empty());
}

#[test]
fn auth_unknown_mechanism_is_504() {
    let mut s = auth_server();
    let (_, out) = feed(&mut s, b"AUTH CRAM-MD5\r\nNOOP\r\n");
    assert_eq!(codes(&out), [504, 250]);
}

#[test]
fn auth_needs_ehlo_and_no_transaction() {
    let mut s = server_with(auth_config());
    let (_, out) = feed(&mut s, b"AUTH PLAIN\r\nHELO c.example\r\nAUTH PLAIN\r\n");
    assert_eq!(codes(&out), [503, 250, 503]);
    let mut s = auth_server();
    let (_, out) = feed(&mut s, b"MAIL FROM:<a@example.com>\r\nAUTH PLAIN\r\n");
    assert_eq!(codes(&out), [250, 503]);
    // Not offered at all.
    let mut s = server();
    let (_, out) = feed(&mut s, b"EHLO c.example\r\nAUTH PLAIN\r\n");
    assert_eq!(codes(&out), [250, 502]);
}

#[test]
fn auth_requires_tls_refuses_auth_in_plaintext() {
    let mut s = server_with(tls_config());
    let (_, out) = feed(&mut s, b"EHLO c.example\r\nAUTH PLAIN\r\n");
    assert_eq!(codes(&out), [250, 502]);
}

#[test]
fn auth_raw_mechanism_is_driven_by_the_application() {
    let mut s = auth_server();
    let mut step = 0;
    let mut seen = Vec::new();
    let mut decide = |e: &ServerEvent| match e {
        ServerEvent::AuthRaw {
            mechanism,
            response,
        } => {
            assert_eq!(mechanism.as_str(), "SCRAM-SHA-256");
            seen.push(response.clone());
            step += 1;
            if step < 3 {
                Decision::Challenge(format!("challenge {step}").into_bytes())
            } else {
                Decision::Accept
            }
        }
        e => default_decide(e),
    };
    let (_, out) = feed_with(
        &mut s,
        format!("AUTH SCRAM-SHA-256 {}\r\n", B64.encode("n,,n=user,r=abc")).as_bytes(),
        &mut decide,
    );
    assert_eq!(
        out,
        format!("334 {}\r\n", B64.encode("challenge 1")).into_bytes()
    );
    let (_, out) = feed_with(
        &mut s,
        format!("{}\r\n", B64.encode("proof")).as_bytes(),
        &mut decide,
    );
    assert_eq!(
        out,
        format!("334 {}\r\n", B64.encode("challenge 2")).into_bytes()
    );
    let (_, out) = feed_with(&mut s, b"\r\n", &mut decide);
    assert_eq!(codes(&out), [235]);
    assert_eq!(
        seen,
        [
            Some(b"n,,n=user,r=abc".to_vec()),
            Some(b"proof".to_vec()),
            Some(Vec::new())
        ]
    );
    assert!(s.is_authenticated());
}

#[test]
fn auth_raw_without_initial_response_and_rejection() {
    let mut s = auth_server();
    let mut decide = |e: &ServerEvent| match e {
        ServerEvent::AuthRaw { response: None, .. } => Decision::Challenge(Vec::new()),
        ServerEvent::AuthRaw { .. } => Decision::Reject(reply(535, "5.7.8 No")),
        e => default_decide(e),
    };
    let (ev, out) = feed_with(
        &mut s,
        b"AUTH SCRAM-SHA-256\r\nabcd\r\nNOOP\r\n",
        &mut decide,
    );
    assert_eq!(&out[..], b"334 \r\n535 5.7.8 No\r\n250 2.0.0 OK\r\n");
    assert_eq!(count(&ev, |e| matches!(e, ServerEvent::AuthRaw { .. })), 2);
    assert!(!s.is_authenticated());
    // Cancel of a raw exchange.
    let (_, out) = feed_with(&mut s, b"AUTH SCRAM-SHA-256\r\n*\r\n", &mut decide);
    assert_eq!(codes(&out), [334, 501]);
}

#[test]
fn auth_response_line_over_the_limit() {
    let mut cfg = auth_config();
    cfg.limits.max_line_len = 100;
    let mut s = server_with(cfg);
    let (_, out) = feed(&mut s, EHLO);
    assert_eq!(codes(&out), [250]);
    let mut wire = b"AUTH PLAIN\r\n".to_vec();
    wire.extend(std::iter::repeat_n(b'A', 400));
    wire.extend_from_slice(b"\r\nNOOP\r\n");
    let (_, out) = feed(&mut s, &wire);
    assert_eq!(codes(&out), [334, 500, 250]);
}

// ----- chunk-split invariance ----------------------------------------------

/// A realistic pipelined transcript touching most of the session: two
/// transactions (DATA and BDAT), a refused recipient, AUTH, errors that
/// resync, an oversized message, a bare LF in data.
fn transcript() -> Vec<u8> {
    let mut w = Vec::new();
    w.extend_from_slice(b"EHLO client.example\r\n");
    w.extend_from_slice(format!("AUTH PLAIN {}\r\n", B64.encode(b"\0tim\0tanstaaf")).as_bytes());
    w.extend_from_slice(
        b"MAIL FROM:<a@example.com> SIZE=100 BODY=8BITMIME\r\n\
RCPT TO:<b1@example.org>\r\nRCPT TO:<reject@example.org>\r\nRCPT TO:<b3@example.org>\r\n\
DATA\r\nFrom: a@example.com\r\nSubject: \xc3\xa9t\xc3\xa9\r\n\r\n..leading dot\r\n..\r\n\r\n\
line\r\n.\r\n",
    );
    w.extend_from_slice(b"NOOP\nbare lf command\r\nNOOP\r\n");
    w.extend_from_slice(
        b"MAIL FROM:<>\r\nRCPT TO:<postmaster>\r\nBDAT 7\r\nchunk\r\nBDAT 4 LAST\r\n\r\n.\r",
    );
    w.extend_from_slice(
        b"RSET\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n",
    );
    w.extend(std::iter::repeat_n(b'z', 300));
    w.extend_from_slice(b"\r\n.\r\n");
    w.extend_from_slice(
        b"MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\nx\ny\r\n.\r\n",
    );
    w.extend_from_slice(b"FOO bar\r\nVRFY x\r\n");
    w.extend(std::iter::repeat_n(b'q', 200));
    w.extend_from_slice(b"\r\nQUIT\r\n");
    w
}

fn transcript_config() -> ServerConfig {
    let mut cfg = auth_config();
    cfg.limits.max_message_size = 256;
    cfg.limits.max_line_len = 128;
    cfg
}

/// Merges adjacent `MessageChunk`s, which may split differently.
fn merged(events: Vec<ServerEvent>) -> Vec<ServerEvent> {
    let mut out: Vec<ServerEvent> = Vec::new();
    for e in events {
        if let ServerEvent::MessageChunk(b) = &e {
            if b.is_empty() {
                continue;
            }
            if let Some(ServerEvent::MessageChunk(prev)) = out.last_mut() {
                let mut joined = prev.to_vec();
                joined.extend_from_slice(b);
                *prev = joined.into();
                continue;
            }
        }
        out.push(e);
    }
    out
}

fn run_split(input: &[u8], sizes: &[usize]) -> (Vec<ServerEvent>, Vec<u8>) {
    let mut s = server_with(transcript_config());
    let mut events = Vec::new();
    let mut out = Vec::new();
    let mut pos = 0;
    let mut k = 0;
    while pos < input.len() {
        let n = sizes[k % sizes.len()].max(1).min(input.len() - pos);
        k += 1;
        let (e, o) = feed(&mut s, &input[pos..pos + n]);
        events.extend(e);
        out.extend(o);
        pos += n;
    }
    (merged(events), out)
}

#[test]
fn transcript_is_answered_as_expected() {
    let wire = transcript();
    let (ev, out) = run_split(&wire, &[wire.len()]);
    assert_eq!(
        codes(&out),
        [
            250, 235, // EHLO, AUTH
            250, 250, 550, 250, 354, 250, // first message
            500, 500, 250, // "NOOP" ended by a bare LF, "bare lf command", NOOP
            250, 250, 250, 250, // BDAT transaction
            250, 250, 250, 354, 552, // RSET, oversized message
            250, 250, 354, 550, // bare LF in data
            500, 252, 500, 221, // errors, QUIT
        ]
    );
    assert_eq!(ev.last(), Some(&ServerEvent::Closed));
    let chunks: Vec<Vec<u8>> = ev
        .iter()
        .filter_map(|e| match e {
            ServerEvent::MessageChunk(b) => Some(b.to_vec()),
            _ => None,
        })
        .collect();
    assert_eq!(
        chunks[0],
        b"From: a@example.com\r\nSubject: \xc3\xa9t\xc3\xa9\r\n\r\n.leading dot\r\n.\r\n\r\nline\r\n"
    );
    assert_eq!(chunks[1], b"chunk\r\n\r\n.\r");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn chunk_split_invariance(sizes in proptest::collection::vec(1usize..40, 1..8)) {
        let wire = transcript();
        let whole = run_split(&wire, &[wire.len()]);
        let split = run_split(&wire, &sizes);
        prop_assert_eq!(&whole.1, &split.1);
        prop_assert_eq!(whole.0, split.0);
    }

    #[test]
    fn chunk_split_invariance_on_random_sessions(
        input in proptest::collection::vec(
            prop_oneof![
                Just(b"EHLO x\r\n".to_vec()),
                Just(b"MAIL FROM:<a@b.c>\r\n".to_vec()),
                Just(b"RCPT TO:<d@e.f>\r\n".to_vec()),
                Just(b"RCPT TO:<reject@e.f>\r\n".to_vec()),
                Just(b"DATA\r\n".to_vec()),
                Just(b"BDAT 3\r\n".to_vec()),
                Just(b"BDAT 2 LAST\r\n".to_vec()),
                Just(b"AUTH LOGIN\r\n".to_vec()),
                Just(b"RSET\r\n".to_vec()),
                Just(b".\r\n".to_vec()),
                Just(b"\r\n".to_vec()),
                Just(b"\n".to_vec()),
                Just(b"\r".to_vec()),
                Just(b".".to_vec()),
                proptest::collection::vec(0x20u8..0x7f, 0..40),
            ],
            0..40,
        ).prop_map(|v| v.concat()),
        sizes in proptest::collection::vec(1usize..20, 1..5),
    ) {
        let whole = run_split(&input, &[input.len().max(1)]);
        let split = run_split(&input, &sizes);
        prop_assert_eq!(&whole.1, &split.1);
        prop_assert_eq!(whole.0, split.0);
    }

    #[test]
    fn never_panics_and_replies_are_well_formed(
        input in proptest::collection::vec(
            prop_oneof![
                Just(b"\r\n".to_vec()),
                Just(b"EHLO x\r\n".to_vec()),
                Just(b"MAIL FROM:<a@b.c>\r\n".to_vec()),
                Just(b"RCPT TO:<d@e.f>\r\n".to_vec()),
                Just(b"DATA\r\n".to_vec()),
                Just(b"BDAT 3\r\n".to_vec()),
                Just(b"BDAT 2 LAST\r\n".to_vec()),
                Just(b".\r\n".to_vec()),
                Just(b"AUTH LOGIN\r\n".to_vec()),
                Just(b"STARTTLS\r\n".to_vec()),
                proptest::collection::vec(any::<u8>(), 0..12),
            ],
            0..30,
        ).prop_map(|v| v.concat()),
        sizes in proptest::collection::vec(1usize..20, 1..4),
    ) {
        let mut cfg = transcript_config();
        cfg.extensions.starttls = true;
        let mut s = server_with(cfg);
        let mut out = Vec::new();
        let mut pos = 0;
        let mut k = 0;
        while pos < input.len() {
            let n = sizes[k % sizes.len()].min(input.len() - pos);
            k += 1;
            let (ev, o) = feed(&mut s, &input[pos..pos + n]);
            if ev.contains(&ServerEvent::StartTls) {
                s.tls_established().unwrap();
            }
            out.extend(o);
            pos += n;
        }
        // Every byte of output is a well-formed reply.
        let _ = replies(&out);
    }
}

#[test]
fn input_is_held_not_processed_while_a_decision_is_pending() {
    let mut s = server();
    assert!(s.wants_input());
    s.receive(b"EHLO c.example\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\n");
    let mut saw_mail = false;
    while let Some(ev) = s.poll_event() {
        saw_mail |= matches!(ev, ServerEvent::Mail { .. });
    }
    assert!(saw_mail);
    // MAIL awaits the application: RCPT is buffered, not processed.
    assert!(!s.wants_input());
    assert_eq!(s.buffered(), b"RCPT TO:<b@example.org>\r\n".len());
    s.accept().unwrap();
    assert!(matches!(s.poll_event(), Some(ServerEvent::Rcpt { .. })));
    assert!(!s.wants_input());
    s.accept().unwrap();
    assert!(s.wants_input());
    assert_eq!(s.buffered(), 0);
}
