//! The sans-IO SMTP/LMTP server session driven by arbitrary client bytes.
//!
//! Input: `config` flags, `decisions` (bits the application uses to accept
//! or reject, cycled), four chunk sizes, then the client's bytes. The bytes
//! are fed in chunks; after each chunk the application handles every event:
//! it accepts or rejects senders, recipients, messages and credentials by
//! the next decision bit, answers raw AUTH steps, and completes STARTTLS.
//!
//! Checks:
//! - no panic;
//! - every `take_output` is a whole number of well-formed replies (each
//!   parses with the strict reply parser, nothing left over);
//! - a decision announced by an event is always accepted by `accept`,
//!   `reject`, `accept_lmtp` or `auth_challenge` (no `NoPendingDecision`);
//! - message chunks come only between `MessageStart` and its end, their
//!   total stays within the size limit and equals `MessageEnd { size }`;
//! - output grows at most in proportion to input, and nothing is written
//!   and no event comes after the session closed;
//! - memory stays bounded (run with `-rss_limit_mb=512`).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use mail_wire::Status;
use mail_wire::dot::DotOptions;
use mail_wire::sasl::Mechanism;
use smtp_proto::limits::Limits;
use smtp_proto::server::{Protocol, Server, ServerConfig, ServerError, ServerEvent};
use smtp_proto::{Reply, ReplyCode, ReplyParser};

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    config: u16,
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
}

fn config(flags: u16) -> ServerConfig {
    let mut c = ServerConfig::new("mx.example.org").unwrap();
    let bit = |n: u16| flags >> n & 1 == 1;
    if bit(0) {
        c.protocol = Protocol::Lmtp;
    }
    c.extensions.pipelining = !bit(1);
    c.extensions.chunking = !bit(2);
    c.extensions.binary_mime = bit(3);
    c.extensions.enhanced_status_codes = !bit(4);
    c.extensions.dsn = bit(5);
    c.extensions.starttls = !bit(6);
    if !bit(7) {
        c.extensions.auth = vec![
            Mechanism::Plain,
            Mechanism::Login,
            Mechanism::XOAuth2,
            Mechanism::OAuthBearer,
            Mechanism::parse(b"X-RAW").unwrap(),
        ];
    }
    c.extensions.auth_requires_tls = bit(8);
    c.extensions.smtputf8 = !bit(9);
    c.extensions.size = !bit(10);
    c.data_line_endings = DotOptions {
        allow_bare_lf: bit(11),
        allow_bare_cr: bit(12),
    };
    c.allow_bare_lf_in_commands = bit(13);
    c.tls_active = bit(14);
    if bit(15) {
        // Small limits reach the limit paths with short inputs.
        c.limits = Limits {
            max_line_len: 64,
            max_recipients: 2,
            max_message_size: 40,
            max_errors: 4,
            max_auth_len: 32,
            ..Limits::default()
        };
    }
    c
}

/// Checks that `out` is a sequence of complete, well-formed replies.
fn check_output(out: &[u8]) {
    let mut rest = out;
    while !rest.is_empty() {
        match ReplyParser::new().parse(rest) {
            Ok(Status::Complete(_, n)) => {
                rest = &rest[n..];
            }
            other => panic!("server wrote a malformed reply: {other:?} in {out:?}"),
        }
    }
}

struct App {
    bits: Bits,
    in_message: bool,
    message_bytes: u64,
    max_message_size: u64,
    tls_requested: bool,
}

impl App {
    fn negative(&mut self) -> Reply<'static> {
        if self.bits.next() {
            Reply::new(ReplyCode::new(550).unwrap(), "Rejected").unwrap()
        } else {
            Reply::new(ReplyCode::new(451).unwrap(), "Try again later").unwrap()
        }
    }

    fn decide(&mut self, server: &mut Server) {
        let r = if self.bits.next() {
            server.accept()
        } else {
            let reply = self.negative();
            server.reject(reply)
        };
        assert_eq!(r, Ok(()), "a pending decision was refused");
    }

    fn handle(&mut self, server: &mut Server, event: ServerEvent) {
        match event {
            ServerEvent::Mail { from, params } => {
                let _ = (from.to_string(), params.to_string());
                self.decide(server);
            }
            ServerEvent::Rcpt { to, params } => {
                let _ = (to.to_string(), params.to_string());
                self.decide(server);
            }
            ServerEvent::MessageStart => {
                assert!(!self.in_message, "MessageStart inside a message");
                self.in_message = true;
                self.message_bytes = 0;
            }
            ServerEvent::MessageChunk(chunk) => {
                assert!(self.in_message, "chunk outside a message");
                self.message_bytes += chunk.len() as u64;
                assert!(self.message_bytes <= self.max_message_size);
            }
            ServerEvent::MessageEnd { size } => {
                assert!(self.in_message, "MessageEnd outside a message");
                assert_eq!(size, self.message_bytes);
                self.in_message = false;
                if server.config().protocol == Protocol::Lmtp && self.bits.next() {
                    let ok = Reply::new(ReplyCode::OK, "Delivered").unwrap();
                    let n = usize::from(self.bits.next()) + usize::from(self.bits.next());
                    match server.accept_lmtp(&vec![ok.clone(); n]) {
                        Ok(()) => {}
                        Err(ServerError::WrongReplyCount { expected }) => {
                            assert_eq!(server.accept_lmtp(&vec![ok; expected]), Ok(()));
                        }
                        Err(e) => panic!("accept_lmtp: {e}"),
                    }
                } else {
                    self.decide(server);
                }
            }
            ServerEvent::MessageAborted { .. } => {
                assert!(self.in_message, "MessageAborted outside a message");
                self.in_message = false;
            }
            ServerEvent::Auth { credentials } => {
                let _ = (credentials.identity(), credentials.secret());
                self.decide(server);
            }
            ServerEvent::AuthRaw { .. } => {
                if self.bits.next() {
                    assert_eq!(server.auth_challenge(b"challenge"), Ok(()));
                } else {
                    self.decide(server);
                }
            }
            ServerEvent::StartTls => {
                // STARTTLS is accepted inside a transaction, even between
                // BDAT chunks, and the upgrade drops the transaction without
                // a Reset or MessageAborted event: the application must
                // take StartTls as the end of any message in progress.
                self.in_message = false;
                self.tls_requested = true;
            }
            ServerEvent::Hello { .. } | ServerEvent::Reset => {
                // A new greeting or RSET ends a BDAT message in progress.
                self.in_message = false;
            }
            ServerEvent::PlaintextDiscarded { .. }
            | ServerEvent::CommandRejected { .. }
            | ServerEvent::Closed => {}
        }
    }
}

fuzz_target!(|input: Input<'_>| {
    let config = config(input.config);
    let max_message_size = config.limits.max_message_size;
    let mut server = Server::new(config);
    let greeting = server.take_output();
    assert!(greeting.starts_with(b"220 "));
    check_output(&greeting);

    let mut app = App {
        bits: Bits {
            bits: input.decisions,
            i: 0,
        },
        in_message: false,
        message_bytes: 0,
        max_message_size,
        tls_requested: false,
    };
    let sizes: Vec<usize> = input.sizes.iter().map(|&s| usize::from(s).max(1)).collect();
    let data = input.data;
    let mut fed = 0;
    let mut k = 0;
    let mut total_out = 0usize;
    while fed < data.len() {
        let n = sizes[k % sizes.len()].min(data.len() - fed);
        k += 1;
        let closed_before = server.is_closed();
        server.receive(&data[fed..fed + n]);
        fed += n;
        let mut events = 0;
        while let Some(event) = server.poll_event() {
            events += 1;
            assert!(events < 100_000, "event flood");
            assert!(!closed_before, "event after close: {event:?}");
            app.handle(&mut server, event);
        }
        let out = server.take_output();
        if closed_before {
            assert!(out.is_empty(), "output after close");
        }
        check_output(&out);
        total_out += out.len();
        // The largest reply (EHLO) is a few hundred bytes and needs a
        // command of at least 7; every other reply is shorter.
        assert!(
            total_out <= 80 * fed + 4096,
            "{total_out} bytes out for {fed} in"
        );
        if app.tls_requested {
            app.tls_requested = false;
            assert_eq!(server.tls_established(), Ok(()));
            assert!(server.is_tls());
        }
    }
});
