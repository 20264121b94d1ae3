//! The sans-IO client session against scripted server replies: greeting and
//! EHLO/HELO/LHLO, PIPELINING or one command at a time, per-recipient
//! results, DATA dot-stuffing and BDAT, extension checks, STARTTLS response
//! injection, AUTH exchanges, `421`, LMTP, broken servers, chunk-split
//! invariance.

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
use mail_wire::dot::{DotErrorKind, DotOptions};
use mail_wire::sasl::{ClientExchange, Mechanism};
use proptest::prelude::*;
use smtp_proto::Body;
use smtp_proto::client::{
    BodyTransfer, Client, ClientConfig, ClientError, ClientEvent, Envelope, MessageResult,
};
use smtp_proto::server::Protocol;

// ----- harness ---------------------------------------------------------------

fn config() -> ClientConfig {
    ClientConfig::new("client.example").unwrap()
}

fn feed(c: &mut Client, input: &[u8]) -> (Vec<ClientEvent>, Vec<u8>) {
    c.receive(input);
    let mut events = Vec::new();
    while let Some(e) = c.poll_event() {
        events.push(e);
    }
    (events, c.take_output().to_vec())
}

fn ehlo_reply(caps: &[&str]) -> Vec<u8> {
    let mut lines = vec!["mx.example.org greets client.example"];
    lines.extend_from_slice(caps);
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let sep = if i + 1 == lines.len() { ' ' } else { '-' };
        out.extend_from_slice(format!("250{sep}{l}\r\n").as_bytes());
    }
    out
}

/// A client that has seen the greeting and this EHLO response.
fn ready_with(cfg: ClientConfig, caps: &[&str]) -> Client {
    let hello = match cfg.protocol {
        Protocol::Smtp => "EHLO",
        Protocol::Lmtp => "LHLO",
    };
    let mut c = Client::new(cfg);
    assert!(c.take_output().is_empty());
    let (_, out) = feed(&mut c, b"220 mx.example.org ESMTP Postfix\r\n");
    assert_eq!(out, format!("{hello} client.example\r\n").into_bytes());
    let (ev, out) = feed(&mut c, &ehlo_reply(caps));
    assert!(out.is_empty());
    assert!(
        ev.iter()
            .any(|e| matches!(e, ClientEvent::Ready { ehlo: Some(_) })),
        "{ev:?}"
    );
    assert!(c.is_idle());
    c
}

fn ready(caps: &[&str]) -> Client {
    ready_with(config(), caps)
}

const FULL: &[&str] = &[
    "PIPELINING",
    "SIZE 10240000",
    "8BITMIME",
    "ENHANCEDSTATUSCODES",
    "SMTPUTF8",
    "CHUNKING",
];

fn envelope(to: &[&str]) -> Envelope {
    Envelope::new("a@example.com", to).unwrap()
}

fn result_of(events: &[ClientEvent]) -> MessageResult {
    let results: Vec<&MessageResult> = events
        .iter()
        .filter_map(|e| match e {
            ClientEvent::MessageResult(r) => Some(r),
            _ => None,
        })
        .collect();
    assert_eq!(results.len(), 1, "{events:?}");
    results[0].clone()
}

fn has(events: &[ClientEvent], pred: impl Fn(&ClientEvent) -> bool) -> bool {
    events.iter().any(pred)
}

fn code(r: &Option<smtp_proto::Reply<'static>>) -> Option<u16> {
    r.as_ref().map(|r| r.code().as_u16())
}

// ----- greeting and hello ---------------------------------------------------

#[test]
fn greeting_then_ehlo() {
    let mut c = Client::new(config());
    assert!(!c.is_idle());
    // The greeting split anywhere, even inside a multi-line reply.
    let greeting = b"220-mx.example.org ESMTP\r\n220 no UCE\r\n";
    let mut out = Vec::new();
    let mut events = Vec::new();
    for b in greeting.chunks(1) {
        let (e, o) = feed(&mut c, b);
        events.extend(e);
        out.extend(o);
    }
    assert_eq!(out, b"EHLO client.example\r\n");
    assert!(has(
        &events,
        |e| matches!(e, ClientEvent::Greeting(r) if r.line_count() == 2)
    ));
    assert!(events.contains(&ClientEvent::Sent("EHLO client.example".to_owned())));
    let (ev, out) = feed(&mut c, &ehlo_reply(FULL));
    assert!(out.is_empty());
    let ehlo = c.ehlo().unwrap();
    assert!(ehlo.supports_pipelining() && ehlo.supports_chunking());
    assert_eq!(ehlo.max_size(), Some(10240000));
    assert!(has(&ev, |e| matches!(
        e,
        ClientEvent::Ready { ehlo: Some(_) }
    )));
    assert!(c.is_idle());
}

#[test]
fn address_literal_as_hello_name() {
    let mut c = Client::new(ClientConfig::new("[192.0.2.1]").unwrap());
    let (_, out) = feed(&mut c, b"220 mx ESMTP\r\n");
    assert_eq!(out, b"EHLO [192.0.2.1]\r\n");
    assert!(ClientConfig::new("bad name\r\nMAIL").is_err());
}

#[test]
fn negative_greeting_quits() {
    let mut c = Client::new(config());
    let (ev, out) = feed(&mut c, b"554 5.7.1 No SMTP service here\r\n");
    assert_eq!(out, b"QUIT\r\n");
    assert!(has(
        &ev,
        |e| matches!(e, ClientEvent::Greeting(r) if r.code().as_u16() == 554)
    ));
    let (ev, _) = feed(&mut c, b"221 2.0.0 Bye\r\n");
    assert_eq!(ev.last(), Some(&ClientEvent::Closed));
    assert!(c.is_closed());
}

#[test]
fn helo_fallback_when_ehlo_is_refused() {
    for refusal in [
        &b"500 5.5.1 Command unrecognized\r\n"[..],
        b"502 Not implemented\r\n",
    ] {
        let mut c = Client::new(config());
        feed(&mut c, b"220 old.example.org SMTP\r\n");
        let (_, out) = feed(&mut c, refusal);
        assert_eq!(out, b"HELO client.example\r\n");
        let (ev, out) = feed(&mut c, b"250 old.example.org\r\n");
        assert!(out.is_empty());
        assert!(ev.contains(&ClientEvent::Ready { ehlo: None }));
        assert!(c.ehlo().is_none());
        assert!(c.is_idle());
        // Without EHLO no extension is assumed and nothing is pipelined.
        let mut e8 = envelope(&["b@example.org"]);
        e8.mail_params.body = Some(Body::EightBitMime);
        assert_eq!(c.send_mail(e8), Err(ClientError::NotOffered("8BITMIME")));
        let e = envelope(&["b@example.org", "c@example.org"]);
        c.send_mail(e).unwrap();
        assert_eq!(c.take_output(), &b"MAIL FROM:<a@example.com>\r\n"[..]);
    }
}

#[test]
fn transient_ehlo_failure_or_helo_failure_quits() {
    let mut c = Client::new(config());
    feed(&mut c, b"220 mx\r\n");
    let (_, out) = feed(&mut c, b"451 4.3.0 Try later\r\n");
    assert_eq!(out, b"QUIT\r\n");
    let mut c = Client::new(config());
    feed(&mut c, b"220 mx\r\n");
    feed(&mut c, b"500 no\r\n");
    let (_, out) = feed(&mut c, b"550 go away\r\n");
    assert_eq!(out, b"QUIT\r\n");
}

#[test]
fn lmtp_uses_lhlo_and_no_helo_fallback() {
    let mut cfg = config();
    cfg.protocol = Protocol::Lmtp;
    let mut c = Client::new(cfg.clone());
    let (_, out) = feed(&mut c, b"220 lmtp.example.org LMTP ready\r\n");
    assert_eq!(out, b"LHLO client.example\r\n");
    let (_, out) = feed(&mut c, b"500 5.5.1 Use LHLO\r\n");
    assert_eq!(out, b"QUIT\r\n");
    let c = ready_with(cfg, &["PIPELINING", "ENHANCEDSTATUSCODES"]);
    assert!(c.ehlo().unwrap().supports_pipelining());
}

// ----- transactions ---------------------------------------------------------

#[test]
fn pipelined_transaction_in_one_write() {
    let mut c = ready(FULL);
    c.send_mail(envelope(&["b@example.org", "c@example.org"]))
        .unwrap();
    assert!(!c.is_idle());
    assert_eq!(
        c.take_output(),
        &b"MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nRCPT TO:<c@example.org>\r\nDATA\r\n"[..]
    );
    let (ev, out) = feed(
        &mut c,
        b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n",
    );
    assert!(out.is_empty());
    assert_eq!(ev.last(), Some(&ClientEvent::SendBody));
    let recipients: Vec<usize> = ev
        .iter()
        .filter_map(|e| match e {
            ClientEvent::Recipient(r) if r.accepted() => Some(r.index),
            _ => None,
        })
        .collect();
    assert_eq!(recipients, [0, 1]);
    c.send_body(b"Subject: hi\r\n\r\nHello").unwrap();
    c.finish_body().unwrap();
    assert_eq!(c.take_output(), &b"Subject: hi\r\n\r\nHello\r\n.\r\n"[..]);
    let (ev, _) = feed(&mut c, b"250 2.0.0 Ok: queued as 4F2\r\n");
    let r = result_of(&ev);
    assert!(r.accepted);
    assert_eq!(code(&r.mail), Some(250));
    assert_eq!(code(&r.data), Some(250));
    assert_eq!(r.recipients.len(), 2);
    assert!(c.is_idle());
    // A second transaction on the same session.
    c.send_mail(envelope(&["d@example.org"])).unwrap();
    assert!(
        c.take_output()
            .starts_with(b"MAIL FROM:<a@example.com>\r\n")
    );
}

#[test]
fn one_command_at_a_time_without_pipelining() {
    for (caps, pipelining) in [
        (&["8BITMIME"][..], true),
        (&["PIPELINING", "8BITMIME"][..], false),
    ] {
        let mut cfg = config();
        cfg.pipelining = pipelining;
        let mut c = ready_with(cfg, caps);
        c.send_mail(envelope(&["b@example.org", "c@example.org"]))
            .unwrap();
        let steps: [(&[u8], &[u8]); 4] = [
            (b"", b"MAIL FROM:<a@example.com>\r\n"),
            (b"250 Ok\r\n", b"RCPT TO:<b@example.org>\r\n"),
            (b"250 Ok\r\n", b"RCPT TO:<c@example.org>\r\n"),
            (b"250 Ok\r\n", b"DATA\r\n"),
        ];
        for (reply, expect) in steps {
            let (_, out) = feed(&mut c, reply);
            assert_eq!(out, expect, "after {:?}", String::from_utf8_lossy(reply));
        }
        let (ev, _) = feed(&mut c, b"354 go\r\n");
        assert_eq!(ev.last(), Some(&ClientEvent::SendBody));
        c.send_body(b"x\r\n").unwrap();
        c.finish_body().unwrap();
        assert_eq!(c.take_output(), &b"x\r\n.\r\n"[..]);
        let (ev, _) = feed(&mut c, b"250 Ok\r\n");
        assert!(result_of(&ev).accepted);
    }
}

#[test]
fn one_refused_recipient_still_sends_the_message() {
    let mut c = ready(FULL);
    c.send_mail(envelope(&[
        "b@example.org",
        "nobody@example.org",
        "c@example.org",
    ]))
    .unwrap();
    c.take_output();
    let (ev, _) = feed(
        &mut c,
        b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 <nobody@example.org>: Recipient address rejected\r\n250 2.1.5 Ok\r\n354 go\r\n",
    );
    let per: Vec<(usize, bool)> = ev
        .iter()
        .filter_map(|e| match e {
            ClientEvent::Recipient(r) => Some((r.index, r.accepted())),
            _ => None,
        })
        .collect();
    assert_eq!(per, [(0, true), (1, false), (2, true)]);
    assert_eq!(ev.last(), Some(&ClientEvent::SendBody));
    c.send_body(b"body\r\n").unwrap();
    c.finish_body().unwrap();
    assert_eq!(c.take_output(), &b"body\r\n.\r\n"[..]);
    let (ev, _) = feed(&mut c, b"250 2.0.0 queued\r\n");
    let r = result_of(&ev);
    assert!(r.accepted);
    assert!(!r.recipients[1].accepted());
    assert_eq!(r.recipients[1].rcpt.code().as_u16(), 550);
}

#[test]
fn all_recipients_refused_without_pipelining_sends_rset_not_data() {
    let mut c = ready(&["8BITMIME"]);
    c.send_mail(envelope(&["x@example.org", "y@example.org"]))
        .unwrap();
    assert_eq!(c.take_output(), &b"MAIL FROM:<a@example.com>\r\n"[..]);
    feed(&mut c, b"250 Ok\r\n");
    let (_, out) = feed(&mut c, b"550 no\r\n");
    assert_eq!(out, b"RCPT TO:<y@example.org>\r\n");
    let (ev, out) = feed(&mut c, b"550 no\r\n");
    assert_eq!(out, b"RSET\r\n");
    assert!(!has(&ev, |e| matches!(e, ClientEvent::MessageResult(_))));
    let (ev, out) = feed(&mut c, b"250 Ok\r\n");
    assert!(out.is_empty());
    let r = result_of(&ev);
    assert!(!r.accepted);
    assert!(r.recipients.iter().all(|r| !r.accepted()));
    assert!(c.is_idle());
}

#[test]
fn all_recipients_refused_with_pipelining_handles_the_data_reply() {
    // The usual case: the server refuses DATA (RFC 2920 section 3.1).
    let mut c = ready(FULL);
    c.send_mail(envelope(&["x@example.org", "y@example.org"]))
        .unwrap();
    c.take_output();
    let (ev, out) = feed(
        &mut c,
        b"250 Ok\r\n550 no\r\n550 no\r\n554 5.5.1 Error: no valid recipients\r\n",
    );
    // No body; the transaction is still open on the server: RSET it
    // ("the client SMTP can just issue RSET"), or the next MAIL is nested.
    assert_eq!(out, b"RSET\r\n", "no body may be sent");
    assert!(!ev.contains(&ClientEvent::SendBody));
    assert!(!has(&ev, |e| matches!(e, ClientEvent::MessageResult(_))));
    let (ev, out) = feed(&mut c, b"250 2.0.0 Ok\r\n");
    assert!(out.is_empty());
    let r = result_of(&ev);
    assert!(!r.accepted);
    assert_eq!(code(&r.data), Some(554));
    assert!(c.is_idle());
    // A server that wrongly answers 354 gets an empty message, never the body.
    c.send_mail(envelope(&["x@example.org"])).unwrap();
    c.take_output();
    let (ev, out) = feed(&mut c, b"250 Ok\r\n550 no\r\n354 go ahead\r\n");
    assert_eq!(out, b".\r\n");
    assert!(!ev.contains(&ClientEvent::SendBody));
    assert!(matches!(c.send_body(b"x"), Err(ClientError::WrongState(_))));
    let (ev, _) = feed(&mut c, b"554 5.5.1 no valid recipients\r\n");
    let r = result_of(&ev);
    assert!(!r.accepted);
    assert!(c.is_idle());
}

#[test]
fn refused_mail_ends_the_transaction() {
    // Pipelined: the result waits for every reply.
    let mut c = ready(FULL);
    c.send_mail(envelope(&["b@example.org"])).unwrap();
    c.take_output();
    let (ev, out) = feed(
        &mut c,
        b"550 5.7.1 Sender rejected\r\n503 5.5.1 need MAIL\r\n",
    );
    assert!(out.is_empty());
    assert!(!has(&ev, |e| matches!(e, ClientEvent::MessageResult(_))));
    let (ev, out) = feed(&mut c, b"503 5.5.1 need MAIL\r\n");
    assert!(out.is_empty());
    let r = result_of(&ev);
    assert!(!r.accepted);
    assert_eq!(code(&r.mail), Some(550));
    assert!(c.is_idle());
    // Not pipelined: nothing else is sent.
    let mut c = ready(&[]);
    c.send_mail(envelope(&["b@example.org"])).unwrap();
    c.take_output();
    let (ev, out) = feed(&mut c, b"550 5.7.1 Sender rejected\r\n");
    assert!(out.is_empty());
    assert!(!result_of(&ev).accepted);
    assert!(c.is_idle());
}

#[test]
fn refused_message_is_not_accepted() {
    let mut c = ready(FULL);
    c.send_mail(envelope(&["b@example.org"])).unwrap();
    c.take_output();
    feed(&mut c, b"250 Ok\r\n250 Ok\r\n354 go\r\n");
    c.send_body(b"spam\r\n").unwrap();
    c.finish_body().unwrap();
    let (ev, _) = feed(&mut c, b"554 5.7.1 Message rejected as spam\r\n");
    let r = result_of(&ev);
    assert!(!r.accepted);
    assert_eq!(code(&r.data), Some(554));
}

#[test]
fn misuse_is_refused() {
    let mut c = Client::new(config());
    assert!(matches!(
        c.send_mail(envelope(&["b@example.org"])),
        Err(ClientError::WrongState(_))
    ));
    let mut c = ready(FULL);
    assert_eq!(
        c.send_mail(Envelope::new("a@example.com", &[]).unwrap()),
        Err(ClientError::NoRecipients)
    );
    assert!(matches!(c.send_body(b"x"), Err(ClientError::WrongState(_))));
    assert!(matches!(c.finish_body(), Err(ClientError::WrongState(_))));
    assert!(matches!(
        c.tls_established(),
        Err(ClientError::WrongState(_))
    ));
    assert!(matches!(
        c.auth_respond(Some(b"x")),
        Err(ClientError::WrongState(_))
    ));
    c.send_mail(envelope(&["b@example.org"])).unwrap();
    assert!(matches!(
        c.send_mail(envelope(&["b@example.org"])),
        Err(ClientError::WrongState(_))
    ));
    assert!(matches!(c.noop(), Err(ClientError::WrongState(_))));
    assert!(matches!(c.reset(), Err(ClientError::WrongState(_))));
}

#[test]
fn null_sender_and_postmaster() {
    let mut c = ready(FULL);
    c.send_mail(Envelope::new("", &["postmaster@example.org"]).unwrap())
        .unwrap();
    assert!(
        c.take_output()
            .starts_with(b"MAIL FROM:<>\r\nRCPT TO:<postmaster@example.org>\r\n")
    );
}

// ----- extensions -----------------------------------------------------------

#[test]
fn eight_bit_body_needs_8bitmime() {
    let mut c = ready(FULL);
    c.send_mail(envelope(&["b@example.org"])).unwrap();
    c.take_output();
    feed(&mut c, b"250 Ok\r\n250 Ok\r\n354 go\r\n");
    assert_eq!(
        c.send_body("Subject: caf\u{e9}\r\n".as_bytes()),
        Err(ClientError::EightBitBody)
    );
    assert!(c.take_output().is_empty());
    c.send_body(b"ascii\r\n").unwrap();
    assert_eq!(c.take_output(), &b"ascii\r\n"[..]);
    // Declared: accepted.
    let mut c = ready(FULL);
    let mut e = envelope(&["b@example.org"]);
    e.mail_params.body = Some(Body::EightBitMime);
    c.send_mail(e).unwrap();
    assert!(
        c.take_output()
            .starts_with(b"MAIL FROM:<a@example.com> BODY=8BITMIME\r\n")
    );
    feed(&mut c, b"250 Ok\r\n250 Ok\r\n354 go\r\n");
    c.send_body("caf\u{e9}\r\n".as_bytes()).unwrap();
    assert_eq!(c.take_output(), "caf\u{e9}\r\n".as_bytes());
}

#[test]
fn body_with_bare_line_ends_is_refused_before_writing() {
    let mut c = ready(FULL);
    c.send_mail(envelope(&["b@example.org"])).unwrap();
    c.take_output();
    feed(&mut c, b"250 Ok\r\n250 Ok\r\n354 go\r\n");
    match c.send_body(b"a\n.\nMAIL FROM:<evil@example.com>\r\n") {
        Err(ClientError::LineEnding(e)) => assert_eq!(e.kind, DotErrorKind::BareLf),
        other => panic!("{other:?}"),
    }
    assert!(c.take_output().is_empty());
    // With the leniency the bare LF passes, and the dot after it is stuffed.
    let mut cfg = config();
    cfg.body_line_endings = DotOptions {
        allow_bare_lf: true,
        allow_bare_cr: false,
    };
    let mut c = ready_with(cfg, FULL);
    c.send_mail(envelope(&["b@example.org"])).unwrap();
    c.take_output();
    feed(&mut c, b"250 Ok\r\n250 Ok\r\n354 go\r\n");
    c.send_body(b"a\n.\nb").unwrap();
    c.finish_body().unwrap();
    assert_eq!(c.take_output(), &b"a\n..\nb\r\n.\r\n"[..]);
}

#[test]
fn smtputf8_address_needs_the_extension() {
    let to = ["j\u{f6}s@example.org"];
    let mut c = ready(&["PIPELINING", "8BITMIME"]);
    assert_eq!(
        c.send_mail(envelope(&to)),
        Err(ClientError::NotOffered("SMTPUTF8"))
    );
    assert!(c.take_output().is_empty());
    assert!(c.is_idle());
    let mut c = ready(FULL);
    c.send_mail(envelope(&to)).unwrap();
    let out = c.take_output();
    assert!(
        out.starts_with(b"MAIL FROM:<a@example.com> SMTPUTF8\r\n"),
        "{out:?}"
    );
    assert!(out.windows(to[0].len()).any(|w| w == to[0].as_bytes()));
}

#[test]
fn undeclared_extensions_are_not_used() {
    let mut c = ready(&["PIPELINING"]);
    let mut e = envelope(&["b@example.org"]);
    e.mail_params.body = Some(Body::EightBitMime);
    assert_eq!(c.send_mail(e), Err(ClientError::NotOffered("8BITMIME")));
    let mut e = envelope(&["b@example.org"]);
    e.mail_params.size = Some(100);
    assert_eq!(c.send_mail(e), Err(ClientError::NotOffered("SIZE")));
    let mut e = envelope(&["b@example.org"]);
    e.mail_params.body = Some(Body::BinaryMime);
    assert_eq!(c.send_mail(e), Err(ClientError::NotOffered("BINARYMIME")));
    assert!(c.take_output().is_empty());
    // BINARYMIME offered but the client sends with DATA: refused too.
    let mut c = ready(&["PIPELINING", "BINARYMIME", "CHUNKING"]);
    let mut e = envelope(&["b@example.org"]);
    e.mail_params.body = Some(Body::BinaryMime);
    assert_eq!(c.send_mail(e), Err(ClientError::NotOffered("CHUNKING")));
}

// ----- BDAT -----------------------------------------------------------------

fn chunking_config() -> ClientConfig {
    let mut cfg = config();
    cfg.transfer = BodyTransfer::PreferChunking;
    cfg
}

#[test]
fn bdat_when_chunking_is_offered() {
    let mut c = ready_with(chunking_config(), FULL);
    c.send_mail(envelope(&["b@example.org", "c@example.org"]))
        .unwrap();
    assert_eq!(
        c.take_output(),
        &b"MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nRCPT TO:<c@example.org>\r\n"[..]
    );
    let (ev, _) = feed(&mut c, b"250 Ok\r\n250 Ok\r\n");
    assert!(!ev.contains(&ClientEvent::SendBody));
    let (ev, _) = feed(&mut c, b"250 Ok\r\n");
    assert_eq!(ev.last(), Some(&ClientEvent::SendBody));
    // No dot-stuffing with BDAT: the bytes go as they are.
    c.send_body(b".line\r\n.\r\n").unwrap();
    c.send_body(b"").unwrap();
    c.send_body(b"end\r\n").unwrap();
    c.finish_body().unwrap();
    assert_eq!(
        c.take_output(),
        &b"BDAT 10\r\n.line\r\n.\r\nBDAT 5\r\nend\r\nBDAT 0 LAST\r\n"[..]
    );
    let (ev, _) = feed(&mut c, b"250 2.0.0 10 octets\r\n250 2.0.0 5 octets\r\n");
    assert!(!has(&ev, |e| matches!(e, ClientEvent::MessageResult(_))));
    let (ev, _) = feed(&mut c, b"250 2.0.0 Ok: queued\r\n");
    let r = result_of(&ev);
    assert!(r.accepted);
    assert_eq!(code(&r.data), Some(250));
    assert!(c.is_idle());
}

#[test]
fn bdat_without_pipelining_waits_for_each_reply() {
    let mut c = ready_with(chunking_config(), &["CHUNKING", "8BITMIME"]);
    c.send_mail(envelope(&["b@example.org"])).unwrap();
    assert_eq!(c.take_output(), &b"MAIL FROM:<a@example.com>\r\n"[..]);
    let (_, out) = feed(&mut c, b"250 Ok\r\n");
    assert_eq!(out, b"RCPT TO:<b@example.org>\r\n");
    let (ev, _) = feed(&mut c, b"250 Ok\r\n");
    assert_eq!(ev.last(), Some(&ClientEvent::SendBody));
    c.send_body(b"abc").unwrap();
    assert!(matches!(
        c.send_body(b"def"),
        Err(ClientError::WrongState(_))
    ));
    assert!(matches!(c.finish_body(), Err(ClientError::WrongState(_))));
    assert_eq!(c.take_output(), &b"BDAT 3\r\nabc"[..]);
    let (ev, _) = feed(&mut c, b"250 3 octets\r\n");
    assert_eq!(ev.last(), Some(&ClientEvent::SendBody));
    c.finish_body().unwrap();
    assert_eq!(c.take_output(), &b"BDAT 0 LAST\r\n"[..]);
    let (ev, _) = feed(&mut c, b"250 queued\r\n");
    assert!(result_of(&ev).accepted);
}

#[test]
fn bdat_all_recipients_refused_sends_rset() {
    let mut c = ready_with(chunking_config(), FULL);
    c.send_mail(envelope(&["x@example.org"])).unwrap();
    c.take_output();
    let (ev, out) = feed(&mut c, b"250 Ok\r\n550 no\r\n");
    assert_eq!(out, b"RSET\r\n");
    assert!(!ev.contains(&ClientEvent::SendBody));
    let (ev, _) = feed(&mut c, b"250 Ok\r\n");
    assert!(!result_of(&ev).accepted);
    assert!(c.is_idle());
}

#[test]
fn bdat_refused_chunk_fails_the_transaction() {
    let mut c = ready_with(chunking_config(), FULL);
    c.send_mail(envelope(&["b@example.org"])).unwrap();
    c.take_output();
    feed(&mut c, b"250 Ok\r\n250 Ok\r\n");
    c.send_body(b"0123456789").unwrap();
    c.finish_body().unwrap();
    c.take_output();
    let (ev, _) = feed(&mut c, b"552 5.3.4 Message too big\r\n");
    assert!(!has(&ev, |e| matches!(e, ClientEvent::MessageResult(_))));
    // RFC 3030 section 2: after a failed BDAT the state is indeterminate and
    // RSET "MUST be issued".
    let (ev, out) = feed(&mut c, b"503 5.5.1 no transaction\r\n");
    assert_eq!(out, b"RSET\r\n");
    assert!(!has(&ev, |e| matches!(e, ClientEvent::MessageResult(_))));
    let (ev, _) = feed(&mut c, b"250 Ok\r\n");
    let r = result_of(&ev);
    assert!(!r.accepted);
    assert_eq!(code(&r.data), Some(552));
    assert!(c.is_idle());
}

#[test]
fn refused_data_in_one_command_at_a_time_mode_is_reset() {
    let mut c = ready(&["8BITMIME"]);
    c.send_mail(envelope(&["b@example.org"])).unwrap();
    c.take_output();
    feed(&mut c, b"250 Ok\r\n");
    let (_, out) = feed(&mut c, b"250 Ok\r\n");
    assert_eq!(out, b"DATA\r\n");
    let (_, out) = feed(&mut c, b"451 4.3.0 Try again later\r\n");
    assert_eq!(out, b"RSET\r\n");
    let (ev, _) = feed(&mut c, b"250 Ok\r\n");
    assert_eq!(code(&result_of(&ev).data), Some(451));
    assert!(c.is_idle());
}

#[test]
fn prefer_chunking_falls_back_to_data() {
    let mut c = ready_with(chunking_config(), &["PIPELINING"]);
    c.send_mail(envelope(&["b@example.org"])).unwrap();
    assert!(c.take_output().ends_with(b"DATA\r\n"));
}

// ----- dot-stuffing ---------------------------------------------------------

#[test]
fn data_body_is_dot_stuffed() {
    let mut c = ready(FULL);
    c.send_mail(envelope(&["b@example.org"])).unwrap();
    c.take_output();
    feed(&mut c, b"250 Ok\r\n250 Ok\r\n354 go\r\n");
    // Lines starting with a dot, split across body chunks anywhere.
    let body: &[u8] = b".hidden\r\n.\r\n..two\r\nend\r\n.";
    for piece in body.chunks(3) {
        c.send_body(piece).unwrap();
    }
    c.finish_body().unwrap();
    assert_eq!(
        c.take_output(),
        &b"..hidden\r\n..\r\n...two\r\nend\r\n..\r\n.\r\n"[..]
    );
}

// ----- STARTTLS -------------------------------------------------------------

#[test]
fn starttls_discards_plaintext_after_220_and_restarts() {
    let mut c = ready(&["PIPELINING", "STARTTLS", "AUTH PLAIN"]);
    c.starttls().unwrap();
    assert_eq!(c.take_output(), &b"STARTTLS\r\n"[..]);
    let injected: &[u8] = b"250-injected\r\n250 AUTH PLAIN\r\n";
    let mut wire = b"220 2.0.0 Ready to start TLS\r\n".to_vec();
    wire.extend_from_slice(injected);
    let (ev, out) = feed(&mut c, &wire);
    assert!(out.is_empty());
    assert!(ev.contains(&ClientEvent::StartTls));
    assert!(ev.contains(&ClientEvent::PlaintextDiscarded {
        bytes: injected.len()
    }));
    assert!(!c.is_idle());
    // More plaintext before the handshake: discarded too.
    let (ev, _) = feed(&mut c, b"250 more\r\n");
    assert_eq!(ev, [ClientEvent::PlaintextDiscarded { bytes: 10 }]);
    c.tls_established().unwrap();
    assert!(c.ehlo().is_none());
    assert_eq!(c.take_output(), &b"EHLO client.example\r\n"[..]);
    let (ev, _) = feed(&mut c, &ehlo_reply(&["PIPELINING", "AUTH PLAIN LOGIN"]));
    assert!(has(&ev, |e| matches!(
        e,
        ClientEvent::Ready { ehlo: Some(_) }
    )));
    assert!(c.ehlo().unwrap().supports_auth(&Mechanism::Login));
    assert_eq!(c.starttls(), Err(ClientError::NotOffered("STARTTLS")));
}

#[test]
fn starttls_injection_split_from_the_220() {
    let mut c = ready(&["STARTTLS"]);
    c.starttls().unwrap();
    c.take_output();
    // The 220 arrives alone, the injection in a later packet.
    let (ev, _) = feed(&mut c, b"220 go ahead\r\n");
    assert!(ev.contains(&ClientEvent::StartTls));
    assert!(!has(&ev, |e| matches!(
        e,
        ClientEvent::PlaintextDiscarded { .. }
    )));
    let (ev, _) = feed(&mut c, b"250 injected\r\n");
    assert_eq!(ev, [ClientEvent::PlaintextDiscarded { bytes: 14 }]);
    c.tls_established().unwrap();
    assert_eq!(c.take_output(), &b"EHLO client.example\r\n"[..]);
    let (ev, out) = feed(&mut c, &ehlo_reply(&[]));
    assert!(out.is_empty());
    assert!(has(&ev, |e| matches!(e, ClientEvent::Ready { .. })));
}

#[test]
fn starttls_refused_or_not_offered() {
    let mut c = ready(&["PIPELINING"]);
    assert_eq!(c.starttls(), Err(ClientError::NotOffered("STARTTLS")));
    let mut c = ready(&["STARTTLS"]);
    c.starttls().unwrap();
    c.take_output();
    let (ev, _) = feed(&mut c, b"454 4.7.0 TLS not available\r\n");
    assert!(has(
        &ev,
        |e| matches!(e, ClientEvent::StartTlsRefused(r) if r.code().as_u16() == 454)
    ));
    assert!(c.is_idle());
}

// ----- AUTH -----------------------------------------------------------------

fn auth_ready() -> Client {
    ready(&["PIPELINING", "AUTH PLAIN LOGIN XOAUTH2 SCRAM-SHA-256"])
}

#[test]
fn auth_plain_with_initial_response() {
    let mut c = auth_ready();
    c.authenticate(ClientExchange::plain(None, "tim", "tanstaaf").unwrap())
        .unwrap();
    assert_eq!(c.take_output(), &b"AUTH PLAIN AHRpbQB0YW5zdGFhZg==\r\n"[..]);
    let (ev, _) = feed(&mut c, b"235 2.7.0 Authentication successful\r\n");
    assert!(ev.contains(&ClientEvent::Authenticated));
    // The transcript does not show the secret.
    assert!(!has(
        &ev,
        |e| matches!(e, ClientEvent::Sent(s) if s.contains("AHRpbQ"))
    ));
    assert!(c.is_idle());
}

#[test]
fn auth_plain_refused() {
    let mut c = auth_ready();
    c.authenticate(ClientExchange::plain(None, "tim", "tanstaaf").unwrap())
        .unwrap();
    c.take_output();
    let (ev, out) = feed(&mut c, b"535 5.7.8 Authentication credentials invalid\r\n");
    assert!(out.is_empty());
    assert!(has(
        &ev,
        |e| matches!(e, ClientEvent::AuthFailed(r) if r.code().as_u16() == 535)
    ));
    assert!(c.is_idle());
}

#[test]
fn auth_login_exchange() {
    let mut c = auth_ready();
    c.authenticate(ClientExchange::login("tim", "secret"))
        .unwrap();
    assert_eq!(c.take_output(), &b"AUTH LOGIN\r\n"[..]);
    let (_, out) = feed(&mut c, b"334 VXNlcm5hbWU6\r\n");
    assert_eq!(out, format!("{}\r\n", B64.encode("tim")).into_bytes());
    let (ev, out) = feed(&mut c, b"334 UGFzc3dvcmQ6\r\n");
    assert_eq!(out, format!("{}\r\n", B64.encode("secret")).into_bytes());
    assert!(ev.contains(&ClientEvent::Sent("<SASL response hidden>".to_owned())));
    let (ev, _) = feed(&mut c, b"235 2.7.0 Authentication successful\r\n");
    assert!(ev.contains(&ClientEvent::Authenticated));
    assert!(c.is_idle());
}

#[test]
fn auth_xoauth2_failure_exchange() {
    let mut c = auth_ready();
    c.authenticate(ClientExchange::xoauth2("tim@example.com", "ya29.token").unwrap())
        .unwrap();
    let expect = format!(
        "AUTH XOAUTH2 {}\r\n",
        B64.encode("user=tim@example.com\x01auth=Bearer ya29.token\x01\x01")
    );
    assert_eq!(c.take_output(), expect.as_bytes());
    // Gmail's failure: a 334 with a JSON error, answered with an empty line.
    let json =
        B64.encode(r#"{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}"#);
    let (_, out) = feed(&mut c, format!("334 {json}\r\n").as_bytes());
    assert_eq!(out, b"\r\n");
    let (ev, _) = feed(&mut c, b"535-5.7.8 Username and Password not accepted.\r\n535 5.7.8 https://support.google.com/mail/?p=BadCredentials\r\n");
    assert!(has(
        &ev,
        |e| matches!(e, ClientEvent::AuthFailed(r) if r.code().as_u16() == 535)
    ));
    assert!(c.is_idle());
}

#[test]
fn auth_with_a_broken_challenge_cancels() {
    let mut c = auth_ready();
    c.authenticate(ClientExchange::login("tim", "secret"))
        .unwrap();
    c.take_output();
    let (_, out) = feed(&mut c, b"334 !!!not base64!!!\r\n");
    assert_eq!(out, b"*\r\n");
    let (ev, _) = feed(&mut c, b"501 5.0.0 Authentication cancelled\r\n");
    assert!(has(&ev, |e| matches!(e, ClientEvent::AuthFailed(_))));
}

#[test]
fn auth_raw_mechanism() {
    let mut c = auth_ready();
    let scram = Mechanism::new("SCRAM-SHA-256").unwrap();
    c.authenticate_raw(scram, Some(b"n,,n=user,r=abc".to_vec()))
        .unwrap();
    assert_eq!(
        c.take_output(),
        format!("AUTH SCRAM-SHA-256 {}\r\n", B64.encode("n,,n=user,r=abc")).as_bytes()
    );
    assert!(matches!(
        c.auth_respond(Some(b"x")),
        Err(ClientError::WrongState(_))
    ));
    let (ev, out) = feed(
        &mut c,
        format!("334 {}\r\n", B64.encode("r=abcdef,s=c2FsdA==,i=4096")).as_bytes(),
    );
    assert!(out.is_empty());
    assert!(ev.contains(&ClientEvent::AuthChallenge(
        b"r=abcdef,s=c2FsdA==,i=4096".to_vec()
    )));
    c.auth_respond(Some(b"c=biws,r=abcdef,p=proof")).unwrap();
    assert_eq!(
        c.take_output(),
        format!("{}\r\n", B64.encode("c=biws,r=abcdef,p=proof")).as_bytes()
    );
    let (ev, _) = feed(
        &mut c,
        format!("334 {}\r\n", B64.encode("v=sig")).as_bytes(),
    );
    assert!(ev.contains(&ClientEvent::AuthChallenge(b"v=sig".to_vec())));
    c.auth_respond(Some(b"")).unwrap();
    assert_eq!(c.take_output(), &b"\r\n"[..]);
    let (ev, _) = feed(&mut c, b"235 2.7.0 ok\r\n");
    assert!(ev.contains(&ClientEvent::Authenticated));
    // Cancel.
    let mut c = auth_ready();
    c.authenticate_raw(Mechanism::new("SCRAM-SHA-256").unwrap(), None)
        .unwrap();
    assert_eq!(c.take_output(), &b"AUTH SCRAM-SHA-256\r\n"[..]);
    feed(&mut c, b"334 \r\n");
    c.auth_respond(None).unwrap();
    assert_eq!(c.take_output(), &b"*\r\n"[..]);
    let (ev, _) = feed(&mut c, b"501 5.0.0 cancelled\r\n");
    assert!(has(&ev, |e| matches!(e, ClientEvent::AuthFailed(_))));
}

#[test]
fn auth_mechanism_not_offered() {
    let mut c = ready(&["AUTH LOGIN"]);
    assert_eq!(
        c.authenticate(ClientExchange::plain(None, "tim", "x").unwrap()),
        Err(ClientError::NotOffered("this AUTH mechanism"))
    );
    let mut c = ready(&["PIPELINING"]);
    assert!(c.authenticate(ClientExchange::login("tim", "x")).is_err());
    assert!(c.take_output().is_empty());
}

// ----- 421, QUIT, broken servers --------------------------------------------

#[test]
fn reply_421_closes_at_any_time() {
    // As the greeting.
    let mut c = Client::new(config());
    let (ev, out) = feed(&mut c, b"421 4.3.2 Service not available\r\n");
    assert!(out.is_empty());
    assert_eq!(ev.last(), Some(&ClientEvent::Closed));
    assert!(c.is_closed());
    // In answer to EHLO.
    let mut c = Client::new(config());
    feed(&mut c, b"220 mx\r\n");
    let (ev, _) = feed(&mut c, b"421 4.7.0 Too many connections\r\n");
    assert_eq!(ev.last(), Some(&ClientEvent::Closed));
    // In the middle of a pipelined transaction.
    let mut c = ready(FULL);
    c.send_mail(envelope(&["b@example.org"])).unwrap();
    c.take_output();
    let (ev, out) = feed(&mut c, b"250 Ok\r\n421 4.4.2 Timeout\r\n");
    assert!(out.is_empty());
    let r = result_of(&ev);
    assert!(!r.accepted);
    assert_eq!(code(&r.data), Some(421));
    assert_eq!(ev.last(), Some(&ClientEvent::Closed));
    // After the data.
    let mut c = ready(FULL);
    c.send_mail(envelope(&["b@example.org"])).unwrap();
    feed(&mut c, b"250 Ok\r\n250 Ok\r\n354 go\r\n");
    c.send_body(b"x\r\n").unwrap();
    c.finish_body().unwrap();
    c.take_output();
    let (ev, _) = feed(&mut c, b"421 4.3.0 shutting down\r\n");
    assert!(!result_of(&ev).accepted);
    assert!(c.is_closed());
    // Unsolicited, while idle.
    let mut c = ready(FULL);
    let (ev, _) = feed(&mut c, b"421 4.4.2 Idle timeout\r\n");
    assert_eq!(ev.last(), Some(&ClientEvent::Closed));
    assert!(c.is_closed());
    // Nothing is accepted after.
    assert!(matches!(c.noop(), Err(ClientError::WrongState(_))));
    let (ev, out) = feed(&mut c, b"250 Ok\r\n");
    assert!(ev.is_empty() && out.is_empty());
}

#[test]
fn quit_closes_when_answered() {
    let mut c = ready(FULL);
    c.quit();
    assert_eq!(c.take_output(), &b"QUIT\r\n"[..]);
    assert!(!c.is_closed());
    let (ev, _) = feed(&mut c, b"221 2.0.0 Bye\r\n");
    assert_eq!(ev.last(), Some(&ClientEvent::Closed));
    assert!(c.is_closed());
    c.quit();
    assert!(c.take_output().is_empty());
}

#[test]
fn rset_and_noop_report_done() {
    let mut c = ready(FULL);
    c.noop().unwrap();
    assert_eq!(c.take_output(), &b"NOOP\r\n"[..]);
    let (ev, _) = feed(&mut c, b"250 2.0.0 Ok\r\n");
    assert!(has(
        &ev,
        |e| matches!(e, ClientEvent::Done(r) if r.code().as_u16() == 250)
    ));
    c.reset().unwrap();
    assert_eq!(c.take_output(), &b"RSET\r\n"[..]);
    let (ev, _) = feed(&mut c, b"250 2.0.0 Ok\r\n");
    assert!(has(&ev, |e| matches!(e, ClientEvent::Done(_))));
    assert!(c.is_idle());
}

#[test]
fn a_reply_to_nothing_closes() {
    let mut c = ready(FULL);
    let (ev, out) = feed(&mut c, b"250 2.0.0 Ok\r\n");
    assert!(out.is_empty());
    assert_eq!(ev.last(), Some(&ClientEvent::Closed));
    assert!(c.is_closed());
    // One reply too many in a pipelined exchange.
    let mut c = ready(FULL);
    c.noop().unwrap();
    let (ev, _) = feed(&mut c, b"250 Ok\r\n250 Ok\r\n");
    assert!(has(&ev, |e| matches!(e, ClientEvent::Done(_))));
    assert_eq!(ev.last(), Some(&ClientEvent::Closed));
}

#[test]
fn garbage_is_a_protocol_error() {
    for garbage in [
        &b"hello there\r\n"[..],
        b"2x0 hmm\r\n",
        b"220-first\r\n250 second\r\n",
        b"220 bare\nLF\r\n",
    ] {
        let mut c = Client::new(config());
        let (ev, out) = feed(&mut c, garbage);
        assert!(out.is_empty(), "{garbage:?}");
        assert!(
            has(&ev, |e| matches!(e, ClientEvent::ProtocolError(_))),
            "{garbage:?}: {ev:?}"
        );
        assert_eq!(ev.last(), Some(&ClientEvent::Closed));
        assert!(c.is_closed());
    }
}

#[test]
fn overlong_reply_is_a_protocol_error() {
    let mut c = Client::new(config());
    let mut wire = b"220 ".to_vec();
    wire.extend(std::iter::repeat_n(b'x', 20000));
    let (ev, _) = feed(&mut c, &wire);
    assert!(has(&ev, |e| matches!(e, ClientEvent::ProtocolError(_))));
    assert!(c.is_closed());
}

// ----- LMTP -----------------------------------------------------------------

#[test]
fn lmtp_per_recipient_final_replies() {
    let mut cfg = config();
    cfg.protocol = Protocol::Lmtp;
    let mut c = ready_with(cfg, &["PIPELINING", "ENHANCEDSTATUSCODES"]);
    c.send_mail(envelope(&[
        "one@example.org",
        "nobody@example.org",
        "two@example.org",
    ]))
    .unwrap();
    c.take_output();
    let (ev, _) = feed(
        &mut c,
        b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 No such user\r\n250 2.1.5 Ok\r\n354 go\r\n",
    );
    assert_eq!(ev.last(), Some(&ClientEvent::SendBody));
    c.send_body(b"Subject: x\r\n\r\nhi\r\n").unwrap();
    c.finish_body().unwrap();
    assert!(c.take_output().ends_with(b"hi\r\n.\r\n"));
    // One reply per accepted recipient; the first alone does not finish.
    let (ev, _) = feed(&mut c, b"250 2.0.0 <one@example.org> delivered\r\n");
    assert!(!has(&ev, |e| matches!(e, ClientEvent::MessageResult(_))));
    let (ev, _) = feed(&mut c, b"452 4.2.2 <two@example.org> over quota\r\n");
    let r = result_of(&ev);
    assert!(r.accepted);
    assert_eq!(r.recipients.len(), 3);
    assert!(r.recipients[0].accepted());
    assert_eq!(code(&r.recipients[0].delivery), Some(250));
    assert!(!r.recipients[1].accepted());
    assert_eq!(r.recipients[1].delivery, None);
    assert!(!r.recipients[2].accepted());
    assert_eq!(code(&r.recipients[2].delivery), Some(452));
    assert!(c.is_idle());
}

#[test]
fn lmtp_all_deliveries_failed_is_not_accepted() {
    let mut cfg = config();
    cfg.protocol = Protocol::Lmtp;
    let mut c = ready_with(cfg, &["PIPELINING"]);
    c.send_mail(envelope(&["one@example.org", "two@example.org"]))
        .unwrap();
    feed(&mut c, b"250 Ok\r\n250 Ok\r\n250 Ok\r\n354 go\r\n");
    c.send_body(b"x\r\n").unwrap();
    c.finish_body().unwrap();
    let (ev, _) = feed(&mut c, b"552 5.3.4 too big\r\n552 5.3.4 too big\r\n");
    let r = result_of(&ev);
    assert!(!r.accepted);
    assert!(c.is_idle());
}

#[test]
fn lmtp_bdat_last_gets_per_recipient_replies() {
    let mut cfg = chunking_config();
    cfg.protocol = Protocol::Lmtp;
    let mut c = ready_with(cfg, &["PIPELINING", "CHUNKING"]);
    c.send_mail(envelope(&["one@example.org", "two@example.org"]))
        .unwrap();
    c.take_output();
    let (ev, _) = feed(&mut c, b"250 Ok\r\n250 Ok\r\n250 Ok\r\n");
    assert_eq!(ev.last(), Some(&ClientEvent::SendBody));
    c.send_body(b"abc").unwrap();
    c.finish_body().unwrap();
    assert_eq!(c.take_output(), &b"BDAT 3\r\nabcBDAT 0 LAST\r\n"[..]);
    let (ev, _) = feed(&mut c, b"250 3 octets\r\n250 one ok\r\n");
    assert!(!has(&ev, |e| matches!(e, ClientEvent::MessageResult(_))));
    let (ev, _) = feed(&mut c, b"250 two ok\r\n");
    let r = result_of(&ev);
    assert!(r.accepted);
    assert!(r.recipients.iter().all(|r| r.accepted()));
}

// ----- chunk-split invariance ----------------------------------------------

/// What the scripted application does with each event.
fn react(c: &mut Client, e: &ClientEvent, sent: &mut bool) {
    match e {
        ClientEvent::Ready { .. } if !*sent => {
            *sent = true;
            let mut env = envelope(&["b@example.org", "nobody@example.org", "c@example.org"]);
            env.mail_params.body = Some(Body::EightBitMime);
            c.send_mail(env).unwrap();
        }
        ClientEvent::SendBody => {
            c.send_body("Subject: \u{e9}\r\n\r\n.dot\r\n".as_bytes())
                .unwrap();
            c.finish_body().unwrap();
        }
        ClientEvent::MessageResult(_) => c.quit(),
        _ => {}
    }
}

/// The server side of a whole session, one element per flight of replies
/// (what the server sends before it waits for the client again).
fn script() -> Vec<Vec<u8>> {
    vec![
        b"220-mx.example.org ESMTP\r\n220 at your service\r\n".to_vec(),
        ehlo_reply(FULL),
        b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550-5.1.1 no such\r\n550 5.1.1 user\r\n250 2.1.5 Ok\r\n354 go\r\n".to_vec(),
        b"250 2.0.0 queued\r\n".to_vec(),
        b"221 2.0.0 Bye\r\n".to_vec(),
    ]
}

fn run_script(sizes: &[usize]) -> (Vec<ClientEvent>, Vec<u8>) {
    let mut c = Client::new(config());
    let mut events = Vec::new();
    let mut out = Vec::new();
    let mut sent = false;
    let mut k = 0;
    for flight in script() {
        let mut pos = 0;
        while pos < flight.len() {
            let n = sizes[k % sizes.len()].max(1).min(flight.len() - pos);
            k += 1;
            c.receive(&flight[pos..pos + n]);
            pos += n;
            while let Some(e) = c.poll_event() {
                react(&mut c, &e, &mut sent);
                events.push(e);
            }
            out.extend_from_slice(&c.take_output());
        }
    }
    (events, out)
}

#[test]
fn scripted_session_whole() {
    let (events, out) = run_script(&[usize::MAX]);
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "EHLO client.example\r\nMAIL FROM:<a@example.com> BODY=8BITMIME\r\nRCPT TO:<b@example.org>\r\n\
RCPT TO:<nobody@example.org>\r\nRCPT TO:<c@example.org>\r\nDATA\r\nSubject: \u{e9}\r\n\r\n..dot\r\n.\r\nQUIT\r\n"
    );
    let r = result_of(&events);
    assert!(r.accepted);
    assert_eq!(events.last(), Some(&ClientEvent::Closed));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn chunk_split_invariance(sizes in proptest::collection::vec(1usize..30, 1..6)) {
        let whole = run_script(&[usize::MAX]);
        let split = run_script(&sizes);
        prop_assert_eq!(whole, split);
    }

    #[test]
    fn never_panics_on_arbitrary_replies(
        input in proptest::collection::vec(
            prop_oneof![
                Just(b"220 mx\r\n".to_vec()),
                Just(b"250 ok\r\n".to_vec()),
                Just(b"250-PIPELINING\r\n".to_vec()),
                Just(b"250 CHUNKING\r\n".to_vec()),
                Just(b"334 \r\n".to_vec()),
                Just(b"354 go\r\n".to_vec()),
                Just(b"421 bye\r\n".to_vec()),
                Just(b"550 no\r\n".to_vec()),
                proptest::collection::vec(any::<u8>(), 0..10),
            ],
            0..25,
        ).prop_map(|v| v.concat()),
        sizes in proptest::collection::vec(1usize..16, 1..4),
    ) {
        let mut c = Client::new(chunking_config());
        let mut pos = 0;
        let mut k = 0;
        while pos < input.len() {
            let n = sizes[k % sizes.len()].min(input.len() - pos);
            k += 1;
            c.receive(&input[pos..pos + n]);
            pos += n;
            while let Some(e) = c.poll_event() {
                match e {
                    ClientEvent::Ready { .. } if c.is_idle() => {
                        let _ = c.send_mail(envelope(&["b@example.org", "c@example.org"]));
                    }
                    ClientEvent::SendBody => {
                        let _ = c.send_body(b"x\r\n");
                        let _ = c.finish_body();
                    }
                    ClientEvent::StartTls => {
                        let _ = c.tls_established();
                    }
                    _ => {}
                }
            }
            let _ = c.take_output();
        }
    }
}
