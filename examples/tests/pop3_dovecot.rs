//! The `pop3_proto` client session against a real Dovecot POP3 server on
//! loopback. Run by `interop/run`, which starts Dovecot
//! (`interop/dovecot.sh`), seeds the maildrop of user `interop` with the
//! corpus of `interop/gen_pop3_messages.py`, and sets:
//!
//! - `INTEROP_DOVECOT_ADDR`: where Dovecot listens (127.0.0.1 only);
//! - `INTEROP_POP3_CORPUS`: the folder of seeded files (LF line endings;
//!   Dovecot sends every LF as CRLF, so a retrieved message must equal the
//!   file with LF replaced by CRLF, and its listed size is that length).
//!
//! It is `#[ignore]`d in the plain test run, which has no Dovecot.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::Duration;

use mail_wire::sasl::ClientExchange;
use pop3_proto::client::{Client, ClientConfig, ClientEvent};
use pop3_proto::{MsgNum, ResponseCode};

struct Conn {
    client: Client,
    stream: TcpStream,
}

impl Conn {
    fn open() -> Conn {
        let addr = std::env::var("INTEROP_DOVECOT_ADDR").expect("INTEROP_DOVECOT_ADDR");
        assert!(addr.starts_with("127.0.0.1:"), "loopback only: {addr}");
        let stream = TcpStream::connect(&addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        Conn {
            client: Client::new(ClientConfig::default()),
            stream,
        }
    }

    /// Exchanges bytes until `done` says so, collecting events (body chunks
    /// are joined per message into `Body` entries).
    fn until(&mut self, mut done: impl FnMut(&ClientEvent) -> bool) -> Vec<ClientEvent> {
        let mut events = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let out = self.client.take_output();
            if !out.is_empty() {
                self.stream.write_all(&out).unwrap();
            }
            while let Some(ev) = self.client.poll_event() {
                let stop = done(&ev);
                events.push(ev);
                if stop {
                    let out = self.client.take_output();
                    if !out.is_empty() {
                        self.stream.write_all(&out).unwrap();
                    }
                    return events;
                }
            }
            if self.client.is_closed() {
                panic!("session closed early: {events:?}");
            }
            let n = self.stream.read(&mut buf).unwrap();
            assert!(n > 0, "Dovecot closed the connection: {events:?}");
            self.client.receive(&buf[..n]);
        }
    }
}

/// The seeded messages in maildrop order (file name order), as Dovecot
/// sends them: LF replaced by CRLF.
fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(std::env::var("INTEROP_POP3_CORPUS").expect("INTEROP_POP3_CORPUS"));
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let data = std::fs::read(&p).unwrap();
            let mut crlf = Vec::with_capacity(data.len() + data.len() / 30);
            for &b in &data {
                if b == b'\n' {
                    crlf.push(b'\r');
                }
                crlf.push(b);
            }
            (name, crlf)
        })
        .collect()
}

fn n(i: u32) -> MsgNum {
    MsgNum::new(i).unwrap()
}

fn greet_and_capa(c: &mut Conn) -> pop3_proto::Capabilities<'static> {
    c.client.capa().unwrap();
    let ev = c.until(|e| matches!(e, ClientEvent::Capabilities(_)));
    assert!(matches!(&ev[0], ClientEvent::Greeting { status, .. } if status.is_ok()));
    match ev.last() {
        Some(ClientEvent::Capabilities(caps)) => caps.clone(),
        other => panic!("{other:?}"),
    }
}

fn bodies(events: &[ClientEvent]) -> Vec<(MsgNum, Vec<u8>, usize)> {
    let mut out = Vec::new();
    let mut cur: Option<(MsgNum, Vec<u8>)> = None;
    for e in events {
        match e {
            ClientEvent::BodyStart { msg } => cur = Some((*msg, Vec::new())),
            ClientEvent::BodyChunk(b) => cur.as_mut().unwrap().1.extend_from_slice(b),
            ClientEvent::BodyEnd {
                msg,
                bare_line_endings,
            } => {
                let (m, data) = cur.take().unwrap();
                assert_eq!(m, *msg);
                out.push((m, data, *bare_line_endings));
            }
            _ => {}
        }
    }
    out
}

/// TOP's expected output: the header, the blank line, `lines` body lines.
fn top_of(msg: &[u8], lines: usize) -> Vec<u8> {
    let sep = msg.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let mut end = sep;
    for _ in 0..lines {
        match msg[end..].windows(2).position(|w| w == b"\r\n") {
            Some(p) => end += p + 2,
            None => {
                end = msg.len();
                break;
            }
        }
    }
    msg[..end].to_vec()
}

#[test]
#[ignore = "needs Dovecot: run by interop/run"]
fn dovecot_pop3_session() {
    let corpus = corpus();
    assert!(corpus.len() >= 5, "corpus too small: {}", corpus.len());
    assert!(
        corpus.iter().any(|(_, m)| m.len() > 2_000_000),
        "the corpus has a multi-megabyte message"
    );
    assert!(
        corpus
            .iter()
            .any(|(_, m)| m.windows(3).any(|w| w == b"\n.\r")),
        "the corpus has a line that is only a dot"
    );
    let count = corpus.len() as u32;
    let total: u64 = corpus.iter().map(|(_, m)| m.len() as u64).sum();

    // 1. USER/PASS, then everything read-only, then DELE + RSET + QUIT.
    let mut c = Conn::open();
    let caps = greet_and_capa(&mut c);
    assert!(caps.user() && caps.top() && caps.uidl() && caps.pipelining());
    assert!(caps.resp_codes());
    c.client.user_pass("interop", "interop-pass").unwrap();
    let ev = c.until(|e| matches!(e, ClientEvent::LoggedIn | ClientEvent::LoginFailed(_)));
    assert!(matches!(ev.last(), Some(ClientEvent::LoggedIn)), "{ev:?}");

    c.client.stat().unwrap();
    c.client.list(None).unwrap();
    c.client.uidl(None).unwrap();
    c.client.list(Some(n(2))).unwrap();
    c.client.uidl(Some(n(2))).unwrap();
    let mut uid_lines = 0;
    let ev = c.until(|e| {
        if matches!(e, ClientEvent::UidListing(_)) {
            uid_lines += 1;
        }
        uid_lines == count as usize + 1
    });
    let stat = ev
        .iter()
        .find_map(|e| match e {
            ClientEvent::Stat(s) => Some(*s),
            _ => None,
        })
        .unwrap();
    assert_eq!((stat.count, stat.size), (count, total));
    let scans: Vec<_> = ev
        .iter()
        .filter_map(|e| match e {
            ClientEvent::ScanListing(s) => Some(*s),
            _ => None,
        })
        .collect();
    assert_eq!(scans.len(), count as usize + 1, "LIST and LIST 2: {ev:?}");
    for (i, (_, msg)) in corpus.iter().enumerate() {
        assert_eq!(scans[i].msg, n(i as u32 + 1));
        assert_eq!(scans[i].size, msg.len() as u64, "LIST size of {}", i + 1);
    }
    assert_eq!(scans[count as usize].msg, n(2));
    let uids: Vec<_> = ev
        .iter()
        .filter_map(|e| match e {
            ClientEvent::UidListing(u) => Some(u.uid.as_str().to_owned()),
            _ => None,
        })
        .collect();
    let names: Vec<&str> = corpus.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(&uids[..count as usize], &names[..]);
    assert_eq!(uids[count as usize], names[1]);

    // RETR of every message, pipelined, byte-exact; TOP of two.
    for i in 1..=count {
        c.client.retr(n(i)).unwrap();
    }
    c.client.top(n(1), 0).unwrap();
    c.client.top(n(2), 3).unwrap();
    let mut seen = 0;
    let ev = c.until(|e| {
        if matches!(e, ClientEvent::BodyEnd { .. }) {
            seen += 1;
        }
        seen == count + 2
    });
    let got = bodies(&ev);
    assert_eq!(got.len(), count as usize + 2);
    for (i, (_, msg)) in corpus.iter().enumerate() {
        assert_eq!(got[i].0, n(i as u32 + 1));
        assert_eq!(got[i].2, 0, "bare line endings in message {}", i + 1);
        assert!(
            got[i].1 == *msg,
            "RETR {} differs: {} octets received, {} expected",
            i + 1,
            got[i].1.len(),
            msg.len()
        );
    }
    assert_eq!(got[count as usize].1, top_of(&corpus[0].1, 0));
    assert_eq!(got[count as usize + 1].1, top_of(&corpus[1].1, 3));

    // DELE is a mark: STAT drops it, RETR of it fails, RSET brings it back.
    c.client.dele(n(1)).unwrap();
    c.client.stat().unwrap();
    c.client.retr(n(1)).unwrap();
    c.client.rset().unwrap();
    c.client.stat().unwrap();
    let mut stats = 0;
    let ev = c.until(|e| {
        if matches!(e, ClientEvent::Stat(_)) {
            stats += 1;
        }
        stats == 2
    });
    assert!(ev.contains(&ClientEvent::Deleted(n(1))), "{ev:?}");
    assert!(
        ev.iter().any(
            |e| matches!(e, ClientEvent::Error { verb: "RETR", msg: Some(m), .. } if *m == n(1))
        ),
        "{ev:?}"
    );
    let stats: Vec<_> = ev
        .iter()
        .filter_map(|e| match e {
            ClientEvent::Stat(s) => Some((s.count, s.size)),
            _ => None,
        })
        .collect();
    assert_eq!(
        stats,
        vec![
            (count - 1, total - corpus[0].1.len() as u64),
            (count, total)
        ]
    );
    c.client.quit().unwrap();
    c.until(|e| matches!(e, ClientEvent::Closed));

    // 2. A wrong password: -ERR [AUTH], the session goes on.
    let mut c = Conn::open();
    greet_and_capa(&mut c);
    c.client.user_pass("interop", "wrong").unwrap();
    let ev = c.until(|e| matches!(e, ClientEvent::LoggedIn | ClientEvent::LoginFailed(_)));
    match ev.last() {
        Some(ClientEvent::LoginFailed(s)) => assert_eq!(s.code, Some(ResponseCode::Auth)),
        other => panic!("{other:?}"),
    }

    // 3. AUTH PLAIN on the same connection (chosen by `authenticate`),
    //    then DELE of message 1 and QUIT: it is gone for good.
    c.client
        .authenticate(ClientExchange::plain(None, "interop", "interop-pass").unwrap())
        .unwrap();
    let ev = c.until(|e| matches!(e, ClientEvent::LoggedIn | ClientEvent::LoginFailed(_)));
    assert!(matches!(ev.last(), Some(ClientEvent::LoggedIn)), "{ev:?}");
    c.client.dele(n(1)).unwrap();
    c.client.quit().unwrap();
    let ev = c.until(|e| matches!(e, ClientEvent::Closed));
    assert!(
        !ev.iter().any(|e| matches!(e, ClientEvent::Error { .. })),
        "{ev:?}"
    );

    // 4. `login` picks SASL PLAIN from CAPA; one message fewer now.
    let mut c = Conn::open();
    greet_and_capa(&mut c);
    c.client.login("interop", "interop-pass").unwrap();
    let ev = c.until(|e| matches!(e, ClientEvent::LoggedIn | ClientEvent::LoginFailed(_)));
    assert!(matches!(ev.last(), Some(ClientEvent::LoggedIn)), "{ev:?}");
    c.client.stat().unwrap();
    let ev = c.until(|e| matches!(e, ClientEvent::Stat(_)));
    match ev.last() {
        Some(ClientEvent::Stat(s)) => {
            assert_eq!(
                (s.count, s.size),
                (count - 1, total - corpus[0].1.len() as u64)
            )
        }
        other => panic!("{other:?}"),
    }
    c.client.quit().unwrap();
    c.until(|e| matches!(e, ClientEvent::Closed));
}
