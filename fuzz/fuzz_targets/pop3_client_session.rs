//! The POP3 client session driven by arbitrary server bytes in arbitrary
//! chunks, with an application that asks for CAPA, logs in, lists, then
//! retrieves, tops and deletes in a pipeline, and quits.
//!
//! The first input byte picks the pipelining and line-ending options, the
//! next two the split points; the rest is what the server sends.
//!
//! Checks: no panic; the events (with body chunks concatenated) and the
//! bytes sent are the same however the input is split (chunk-split
//! invariance); nothing is sent after the session closed; the body bytes
//! handed out never exceed the input.
//!
//! One exception to the invariance is by design: the application here sends
//! commands when it sees events, so server bytes that arrive before the
//! command they answer was sent are an unsolicited response in one split and
//! a proper answer in another. Runs where either side reports an
//! unsolicited response are not compared; and when the server's bytes break
//! the protocol, how much the application sent before the session noticed
//! depends on the split, so the bytes sent are compared only when no
//! protocol error occurred (the events still are).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pop3_proto::MsgNum;
use pop3_proto::client::{Client, ClientConfig, ClientEvent};

#[derive(Debug, PartialEq)]
enum Ev {
    Other(String),
    Body(Vec<u8>),
}

fn run(input: &[u8], splits: &[usize], pipelining: bool, lenient: bool) -> (Vec<Ev>, Vec<u8>) {
    let mut config = ClientConfig::default();
    config.pipelining = pipelining;
    config.body_line_endings.allow_bare_lf = lenient;
    config.body_line_endings.allow_bare_cr = lenient;
    let mut client = Client::new(config);
    let _ = client.capa();
    let mut events = Vec::new();
    let mut sent = client.take_output().to_vec();
    let mut points: Vec<usize> = splits.iter().map(|s| s % (input.len() + 1)).collect();
    points.sort_unstable();
    points.push(input.len());
    let mut last = 0;
    let mut body_total = 0usize;
    for p in points {
        let was_closed = client.is_closed();
        client.receive(&input[last..p]);
        last = p;
        while let Some(ev) = client.poll_event() {
            match ev {
                ClientEvent::Capabilities(_) => {
                    let _ = client.login("tim", "secret");
                }
                ClientEvent::LoggedIn => {
                    let _ = client.stat();
                    let _ = client.list(None);
                    let one = MsgNum::new(1).unwrap();
                    let _ = client.retr(one);
                    let _ = client.top(one, 2);
                    let _ = client.uidl(None);
                    let _ = client.dele(one);
                    let _ = client.quit();
                }
                ClientEvent::BodyChunk(b) => {
                    body_total += b.len();
                    match events.last_mut() {
                        Some(Ev::Body(v)) => v.extend_from_slice(&b),
                        _ => events.push(Ev::Body(b.to_vec())),
                    }
                    continue;
                }
                _ => {}
            }
            events.push(Ev::Other(format!("{ev:?}")));
        }
        let out = client.take_output();
        if was_closed {
            assert!(out.is_empty(), "sent {out:?} after the session closed");
        }
        sent.extend_from_slice(&out);
    }
    assert!(body_total <= input.len());
    (events, sent)
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let pipelining = data[0] & 1 == 1;
    let lenient = data[0] & 2 == 2;
    let splits = [data[1] as usize, data[2] as usize * 3, data[1] as usize * 17 + 1];
    let input = &data[3..];
    let whole = run(input, &[], pipelining, lenient);
    let split = run(input, &splits, pipelining, lenient);
    let unsolicited = |r: &(Vec<Ev>, Vec<u8>)| {
        r.0.iter()
            .any(|e| matches!(e, Ev::Other(s) if s.contains("unsolicited response")))
    };
    let broken = |r: &(Vec<Ev>, Vec<u8>)| {
        r.0.iter()
            .any(|e| matches!(e, Ev::Other(s) if s.starts_with("ProtocolError")))
    };
    if !unsolicited(&whole) && !unsolicited(&split) {
        assert_eq!(split.0, whole.0);
        if !broken(&whole) {
            assert_eq!(split.1, whole.1);
        }
    }
});
