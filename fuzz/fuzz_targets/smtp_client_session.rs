//! The sans-IO SMTP/LMTP client session driven by arbitrary server bytes.
//!
//! Input: `config` flags, `decisions` (bits the application uses to choose
//! its next call, cycled), four chunk sizes, then the server's bytes, fed
//! in chunks. After each chunk the application handles every event: when
//! the session is idle it starts a transaction, STARTTLS, AUTH (built-in or
//! raw), NOOP, RSET or QUIT; it sends a body on `SendBody`, answers raw AUTH
//! challenges and completes STARTTLS.
//!
//! Checks:
//! - no panic;
//! - every command line the client reports sending parses (strictly) as a
//!   command and has no CR or LF;
//! - once the session is closed, no call writes anything and no event
//!   comes;
//! - at most one `MessageResult` per accepted `send_mail`, and `SendBody`
//!   only inside a transaction.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use mail_wire::dot::DotOptions;
use mail_wire::sasl::{ClientExchange, Mechanism};
use smtp_proto::client::{BodyTransfer, Client, ClientConfig, ClientEvent, Envelope};
use smtp_proto::limits::Limits;
use smtp_proto::server::Protocol;
use smtp_proto::{Body, Command};

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    config: u8,
    decisions: u64,
    sizes: [u8; 4],
    data: &'a [u8],
}

struct Bits {
    bits: u64,
    i: u32,
}

impl Bits {
    fn next(&mut self) -> bool {
        let b = self.bits >> (self.i % 64) & 1 == 1;
        self.i += 1;
        b
    }

    fn pick(&mut self, n: u32) -> u32 {
        let mut v = 0;
        for _ in 0..4 {
            v = v << 1 | u32::from(self.next());
        }
        v % n
    }
}

fn config(flags: u8) -> ClientConfig {
    let mut c = ClientConfig::new("client.example").unwrap();
    let bit = |n: u8| flags >> n & 1 == 1;
    if bit(0) {
        c.protocol = Protocol::Lmtp;
    }
    c.pipelining = !bit(1);
    if bit(2) {
        c.transfer = BodyTransfer::PreferChunking;
    }
    if bit(3) {
        c.body_line_endings = DotOptions {
            allow_bare_lf: true,
            allow_bare_cr: true,
        };
    }
    if bit(4) {
        c.limits = Limits {
            max_line_len: 64,
            max_reply_lines: 4,
            max_reply_bytes: 200,
            max_auth_len: 32,
            ..Limits::default()
        };
    }
    if bit(5) {
        c.hello = smtp_proto::Host::parse("[192.0.2.1]").unwrap().into_owned();
    }
    c
}

const BODIES: [&[u8]; 6] = [
    b"Subject: test\r\n\r\nHello\r\n",
    b".leading dot\r\n.\r\n..\r\n",
    b"no final line end",
    b"8-bit \xc3\xa9t\xc3\xa9\r\n",
    b"bare\nLF\r\n",
    b"\r\n.\r\nMAIL FROM:<x@y>\r\n",
];

struct App {
    bits: Bits,
    sends: usize,
    results: usize,
    closed_seen: bool,
    actions: usize,
}

/// Runs one application call; once the session is closed it must not
/// write anything.
fn call(client: &mut Client, pending: &mut Vec<u8>, f: impl FnOnce(&mut Client)) {
    pending.extend_from_slice(&client.take_output());
    let closed = client.is_closed();
    f(client);
    if closed {
        assert!(client.take_output().is_empty(), "output after close");
    }
}

impl App {
    fn idle_action(&mut self, client: &mut Client, pending: &mut Vec<u8>) {
        self.actions += 1;
        if self.actions > 64 {
            return;
        }
        let choice = self.bits.pick(10);
        let more = self.bits.next();
        let eight = self.bits.next();
        let utf8 = self.bits.next();
        match choice {
            0..=3 => {
                let to: &[&str] = match (more, utf8) {
                    (false, false) => &["b@example.org"],
                    (true, false) => &["b@example.org", "c@example.net", "d@example.com"],
                    (_, true) => &["b@example.org", "\u{fc}ser@example.de"],
                };
                let mut env = Envelope::new(if more { "" } else { "a@example.com" }, to).unwrap();
                if eight {
                    env.mail_params.body = Some(if utf8 {
                        Body::BinaryMime
                    } else {
                        Body::EightBitMime
                    });
                }
                if choice == 3 {
                    env.mail_params.size = Some(1000);
                }
                let mut sent = false;
                call(client, pending, |c| sent = c.send_mail(env).is_ok());
                self.sends += usize::from(sent);
            }
            4 => call(client, pending, |c| {
                let _ = c.starttls();
            }),
            5 => {
                let ex = match self.bits.pick(4) {
                    0 => ClientExchange::plain(None, "user", "pass").unwrap(),
                    1 => ClientExchange::login("user", "pass"),
                    2 => ClientExchange::xoauth2("user", "token").unwrap(),
                    _ => ClientExchange::oauthbearer(None, Some("mx"), Some(587), "tok").unwrap(),
                };
                call(client, pending, |c| {
                    let _ = c.authenticate(ex);
                });
            }
            6 => {
                let initial = more.then(|| b"hello".to_vec());
                call(client, pending, |c| {
                    let _ = c.authenticate_raw(Mechanism::parse(b"X-RAW").unwrap(), initial);
                });
            }
            7 => call(client, pending, |c| {
                let _ = c.noop();
            }),
            8 => call(client, pending, |c| {
                let _ = c.reset();
            }),
            _ => call(client, pending, Client::quit),
        }
    }

    fn handle(&mut self, client: &mut Client, pending: &mut Vec<u8>, event: ClientEvent) {
        assert!(!self.closed_seen, "event after Closed: {event:?}");
        match event {
            ClientEvent::Sent(line) => {
                assert!(!line.contains(['\r', '\n']), "{line:?}");
                if line != "<SASL response hidden>" {
                    if let Err(e) = Command::parse(line.as_bytes()) {
                        panic!("client sent {line:?}, which does not parse: {e}");
                    }
                }
            }
            ClientEvent::SendBody => {
                assert!(self.sends > self.results, "SendBody outside a transaction");
                let pieces = self.bits.pick(4);
                for _ in 0..pieces {
                    let body = BODIES[self.bits.pick(BODIES.len() as u32) as usize];
                    let cut = self.bits.pick(8) as usize % (body.len() + 1);
                    call(client, pending, |c| {
                        let _ = c.send_body(&body[..cut]);
                        let _ = c.send_body(&body[cut..]);
                    });
                }
                if self.bits.next() || self.bits.next() {
                    call(client, pending, |c| {
                        let _ = c.finish_body();
                    });
                }
            }
            ClientEvent::MessageResult(_) => {
                self.results += 1;
                assert!(self.results <= self.sends, "more results than messages");
            }
            ClientEvent::AuthChallenge(_) => {
                let data = self.bits.next().then_some(&b"response"[..]);
                call(client, pending, |c| {
                    let _ = c.auth_respond(data);
                });
            }
            ClientEvent::StartTls => {
                call(client, pending, |c| {
                    c.tls_established().unwrap();
                });
            }
            ClientEvent::Closed => self.closed_seen = true,
            ClientEvent::Reply(r) => {
                let _ = r.to_bytes();
            }
            ClientEvent::Ready { .. }
            | ClientEvent::Greeting(_)
            | ClientEvent::PlaintextDiscarded { .. }
            | ClientEvent::Authenticated
            | ClientEvent::AuthFailed(_)
            | ClientEvent::Recipient(_)
            | ClientEvent::Done(_)
            | ClientEvent::StartTlsRefused(_)
            | ClientEvent::ProtocolError(_) => {}
        }
    }
}

fuzz_target!(|input: Input<'_>| {
    let mut client = Client::new(config(input.config));
    assert!(
        client.take_output().is_empty(),
        "client spoke before the greeting"
    );
    let mut app = App {
        bits: Bits {
            bits: input.decisions,
            i: 0,
        },
        sends: 0,
        results: 0,
        closed_seen: false,
        actions: 0,
    };
    let mut pending = Vec::new();
    let sizes: Vec<usize> = input.sizes.iter().map(|&s| usize::from(s).max(1)).collect();
    let data = input.data;
    let mut fed = 0;
    let mut k = 0;
    while fed < data.len() {
        let n = sizes[k % sizes.len()].min(data.len() - fed);
        k += 1;
        let closed = client.is_closed();
        client.receive(&data[fed..fed + n]);
        fed += n;
        if closed {
            assert!(client.poll_event().is_none(), "event after close");
        }
        while let Some(event) = client.poll_event() {
            app.handle(&mut client, &mut pending, event);
        }
        if client.is_idle() {
            app.idle_action(&mut client, &mut pending);
            while let Some(event) = client.poll_event() {
                app.handle(&mut client, &mut pending, event);
            }
        }
        pending.extend_from_slice(&client.take_output());
        // What the client writes is bounded by what the application gave it.
        assert!(pending.len() <= 1 << 20);
        pending.clear();
    }
});
