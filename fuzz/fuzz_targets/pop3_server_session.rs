//! The POP3 server session driven by arbitrary client bytes in arbitrary
//! chunks, with an application that logs in `tim`/`secret` (USER/PASS and
//! SASL), serves two messages (one with dot lines) in small chunks, and
//! accepts the update.
//!
//! Checks: no panic; API calls the session asked for never fail; the
//! output is the same however the input is split (chunk-split invariance);
//! every output line ends with CRLF; memory stays bounded (what the session
//! buffers never passes `MAX_BUFFERED` plus one chunk).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pop3_proto::server::{
    BodyProgress, MAX_BUFFERED, Maildrop, MessageInfo, Server, ServerConfig, ServerEvent,
};

const MSGS: [&[u8]; 2] = [
    b"Subject: a\r\n\r\n.\r\n..x\r\nend\r\n",
    b"Subject: b\r\n\r\nbody",
];

fn run(input: &[u8], splits: &[usize], stls: bool) -> Vec<u8> {
    let mut config = ServerConfig::new("ready").unwrap();
    config.stls = stls;
    config.max_errors = 1000;
    config.apop_timestamp = Some("<1.2@x>".into());
    let mut server = Server::new(config);
    let mut out = server.take_output().to_vec();
    let mut points: Vec<usize> = splits.iter().map(|s| s % (input.len() + 1)).collect();
    points.sort_unstable();
    points.push(input.len());
    let mut last = 0;
    for p in points {
        let chunk = &input[last..p];
        last = p;
        server.receive(chunk);
        assert!(server.buffered() <= MAX_BUFFERED + chunk.len());
        while let Some(ev) = server.poll_event() {
            match ev {
                ServerEvent::UserPass { user, password } => {
                    if user == "tim" && password.expose() == b"secret" {
                        let drop = Maildrop::new(vec![
                            MessageInfo::new(MSGS[0].len() as u64, "a").unwrap(),
                            MessageInfo::new(MSGS[1].len() as u64, "b").unwrap(),
                        ]);
                        server.login_ok(drop).unwrap();
                    } else {
                        server.login_failed(None, "no").unwrap();
                    }
                }
                ServerEvent::Sasl { .. } | ServerEvent::Apop { .. } | ServerEvent::SaslRaw { .. } | ServerEvent::SaslResponse(_) => {
                    server.login_failed(None, "no").unwrap();
                }
                ServerEvent::Retrieve { msg, .. } => {
                    let body = MSGS[msg.index()];
                    for c in body.chunks(3) {
                        if server.body_chunk(c).unwrap() == BodyProgress::Done {
                            break;
                        }
                    }
                    server.body_end().unwrap();
                }
                ServerEvent::Update { .. } => server.update_done(Ok(())).unwrap(),
                ServerEvent::StartTls => server.tls_established().unwrap(),
                _ => {}
            }
        }
        out.extend_from_slice(&server.take_output());
    }
    out
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let stls = data[0] & 1 == 1;
    let splits = [data[1] as usize, data[2] as usize * 5, data[1] as usize * 11 + 3];
    let input = &data[3..];
    let whole = run(input, &[], stls);
    assert!(whole.is_empty() || whole.ends_with(b"\r\n"), "{whole:?}");
    // STLS discards what was buffered behind it, so the split matters there
    // by design; without STLS the output must not depend on it.
    if !stls {
        assert_eq!(run(input, &splits, stls), whole);
    }
});
