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
//! commands when it sees events, so where the session notices that the
//! server broke the protocol (an unsolicited response, a line too long for
//! what is expected) can depend on how far the application got, which
//! depends on the split. So when either run reports a protocol error, the
//! events before the first protocol error must agree (one run's may be a
//! prefix of the other's, the last body chunk included); without protocol
//! errors the events and the bytes sent must be equal.
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
    let before_error = |r: &[Ev]| -> usize {
        r.iter()
            .position(|e| matches!(e, Ev::Other(s) if s.starts_with("ProtocolError")))
            .unwrap_or(r.len())
    };
    let (a, b) = (&whole.0[..before_error(&whole.0)], &split.0[..before_error(&split.0)]);
    if a.len() == whole.0.len() && b.len() == split.0.len() {
        assert_eq!(split, whole);
    } else {
        let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
        for (k, (x, y)) in short.iter().zip(long.iter()).enumerate() {
            match (x, y) {
                (Ev::Body(p), Ev::Body(q)) if k + 1 == short.len() => {
                    assert!(q.starts_with(p) || p.starts_with(q), "bodies differ");
                }
                _ => assert_eq!(x, y, "event {k} differs"),
            }
        }
    }
});
