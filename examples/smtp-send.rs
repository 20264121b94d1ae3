//! Sends one message with `smtp_proto::client` and prints the dialogue.
//!
//! ```text
//! cargo run --example smtp-send -- --server HOST:PORT --from ADDR --to ADDR [--to ADDR ...]
//!     [--user NAME:PASSWORD] [--helo NAME] [--chunking] < message
//! ```
//!
//! Prints every command (`C: ...`) and reply line (`S: ...`), then one
//! `RCPT <address> <code>` line per recipient. The message is read from
//! standard input; a file with bare LF line ends is converted to CRLF (and
//! says so), since SMTP carries CRLF only. 8-bit content is declared with
//! `BODY=8BITMIME`. Exit status: 0 if the message was accepted for at least
//! one recipient, 1 if it was refused, 2 on usage or connection errors.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::ExitCode;

use mail_examples::{Args, user_pass};
use mail_wire::sasl::{ClientExchange, Mechanism};
use smtp_proto::client::{BodyTransfer, Client, ClientConfig, ClientEvent, Envelope};
use smtp_proto::types::Body;

fn usage() -> ExitCode {
    eprintln!(
        "usage: smtp-send --server HOST:PORT --from ADDR --to ADDR [--to ADDR ...] [--user NAME:PASSWORD] [--helo NAME] [--chunking] < message"
    );
    ExitCode::from(2)
}

/// Converts bare LF to CRLF; `None` if there was none.
fn to_crlf(msg: &[u8]) -> Option<Vec<u8>> {
    let bare = msg
        .iter()
        .enumerate()
        .any(|(i, &b)| b == b'\n' && (i == 0 || msg.get(i - 1) != Some(&b'\r')));
    if !bare {
        return None;
    }
    let mut out = Vec::with_capacity(msg.len() + msg.len() / 40);
    let mut prev = 0u8;
    for &b in msg {
        if b == b'\n' && prev != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        prev = b;
    }
    Some(out)
}

fn print_reply(reply: &smtp_proto::Reply<'_>) {
    let bytes = reply.to_bytes();
    for line in bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        println!("S: {}", String::from_utf8_lossy(line));
    }
}

fn main() -> ExitCode {
    let args = match Args::parse(&["chunking"]) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("smtp-send: {e}");
            return usage();
        }
    };
    if let Some(e) = args.unknown(&["server", "from", "to", "user", "helo", "chunking"]) {
        eprintln!("smtp-send: {e}");
        return usage();
    }
    let (Some(server), Some(from)) = (args.get("server"), args.get("from")) else {
        return usage();
    };
    let to = args.all("to");
    if to.is_empty() {
        return usage();
    }
    let user = match args.get("user").map(user_pass).transpose() {
        Ok(u) => u,
        Err(e) => {
            eprintln!("smtp-send: bad --user: {e}");
            return usage();
        }
    };
    let mut message = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut message) {
        eprintln!("smtp-send: cannot read the message: {e}");
        return ExitCode::from(2);
    }
    if let Some(converted) = to_crlf(&message) {
        eprintln!("smtp-send: note: converted bare LF line ends to CRLF");
        message = converted;
    }
    let mut envelope = match Envelope::new(from, &to) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("smtp-send: bad address: {e}");
            return ExitCode::from(2);
        }
    };
    let eight_bit = !message.is_ascii();
    let mut config = match ClientConfig::new(args.get("helo").unwrap_or("localhost")) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("smtp-send: bad --helo: {e}");
            return ExitCode::from(2);
        }
    };
    if args.flag("chunking") {
        config.transfer = BodyTransfer::PreferChunking;
    }
    let mut stream = match TcpStream::connect(server) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("smtp-send: cannot connect to {server}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut client = Client::new(config);
    let mut buf = vec![0u8; 64 * 1024];
    let mut authed = user.is_none();
    let mut sent = false;
    let mut outcome = None;
    loop {
        while let Some(event) = client.poll_event() {
            match event {
                ClientEvent::Sent(line) => println!("C: {line}"),
                ClientEvent::Reply(reply) => print_reply(&reply),
                ClientEvent::Ready { ehlo } => {
                    if !authed {
                        let (u, p) = user.clone().unwrap_or_default();
                        let offered =
                            |m: &Mechanism<'_>| ehlo.as_ref().is_some_and(|e| e.supports_auth(m));
                        let exchange = if offered(&Mechanism::Plain) {
                            ClientExchange::plain(None, &u, &p)
                        } else {
                            Ok(ClientExchange::login(&u, &p))
                        };
                        match exchange
                            .map_err(|e| e.to_string())
                            .and_then(|x| client.authenticate(x).map_err(|e| e.to_string()))
                        {
                            Ok(()) => continue,
                            Err(e) => {
                                eprintln!("smtp-send: cannot authenticate: {e}");
                                return ExitCode::from(2);
                            }
                        }
                    }
                }
                ClientEvent::Authenticated => authed = true,
                ClientEvent::AuthFailed(_) => {
                    eprintln!("smtp-send: authentication failed");
                    client.quit();
                }
                ClientEvent::SendBody => {
                    if let Err(e) = client
                        .send_body(&message)
                        .and_then(|()| client.finish_body())
                    {
                        eprintln!("smtp-send: {e}");
                        return ExitCode::from(2);
                    }
                }
                ClientEvent::MessageResult(result) => {
                    for r in &result.recipients {
                        let addr = to.get(r.index).copied().unwrap_or("?");
                        let code = r
                            .delivery
                            .as_ref()
                            .filter(|_| r.rcpt.code().is_positive_completion())
                            .unwrap_or(&r.rcpt)
                            .code();
                        println!("RCPT {addr} {code}");
                    }
                    outcome = Some(result.accepted);
                    client.quit();
                }
                ClientEvent::ProtocolError(e) => eprintln!("smtp-send: protocol error: {e}"),
                ClientEvent::StartTlsRefused(_)
                | ClientEvent::StartTls
                | ClientEvent::PlaintextDiscarded { .. }
                | ClientEvent::AuthChallenge(_)
                | ClientEvent::Greeting(_)
                | ClientEvent::Recipient(_)
                | ClientEvent::Done(_)
                | ClientEvent::Closed => {}
            }
        }
        if authed && !sent && client.is_idle() {
            sent = true;
            if eight_bit {
                envelope.mail_params.body = Some(Body::EightBitMime);
            }
            if let Err(e) = client.send_mail(envelope.clone()) {
                eprintln!("smtp-send: {e}");
                return ExitCode::from(2);
            }
            continue;
        }
        let out = client.take_output();
        if !out.is_empty()
            && let Err(e) = stream.write_all(&out)
        {
            eprintln!("smtp-send: write: {e}");
            return ExitCode::from(2);
        }
        if client.is_closed() {
            break;
        }
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => client.receive(buf.get(..n).unwrap_or_default()),
            Err(e) => {
                eprintln!("smtp-send: read: {e}");
                return ExitCode::from(2);
            }
        }
    }
    match outcome {
        Some(true) => ExitCode::SUCCESS,
        Some(false) => ExitCode::from(1),
        None => {
            eprintln!("smtp-send: the connection ended before the message was sent");
            ExitCode::from(2)
        }
    }
}
