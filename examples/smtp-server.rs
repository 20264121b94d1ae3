//! A small SMTP server on `smtp_proto::server`: it accepts mail for anyone
//! and writes each message into a Maildir.
//!
//! ```text
//! cargo run --example smtp-server -- [--listen 127.0.0.1:2525] [--maildir ./maildir]
//!     [--user NAME:PASSWORD] [--max-size BYTES] [--hostname NAME]
//! ```
//!
//! Each accepted message becomes one file in `MAILDIR/new`: the line
//! `Return-Path: <reverse-path>` and then the message exactly as received
//! (after dot-unstuffing, or the BDAT chunks as sent). With `--user`, AUTH
//! PLAIN and LOGIN are offered and checked, not required. Ctrl-C (or
//! SIGTERM) stops it; a message being received at that moment is dropped,
//! never half-delivered, since files are committed from `tmp/` to `new/`.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use mail_examples::{Args, Delivery, Maildir, serve, user_pass};
use mail_wire::sasl::{Credentials, Mechanism};
use smtp_proto::server::{Server, ServerConfig, ServerEvent};
use smtp_proto::{EnhancedStatusCode, Reply, ReplyCode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

struct Settings {
    maildir: Maildir,
    config: ServerConfig,
    user: Option<(String, String)>,
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: smtp-server [--listen ADDR:PORT] [--maildir DIR] [--user NAME:PASSWORD] [--max-size BYTES] [--hostname NAME]"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args = match Args::parse(&[]) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("smtp-server: {e}");
            return usage();
        }
    };
    if let Some(e) = args.unknown(&["listen", "maildir", "user", "max-size", "hostname"]) {
        eprintln!("smtp-server: {e}");
        return usage();
    }
    let listen: SocketAddr = match args.get("listen").unwrap_or("127.0.0.1:2525").parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("smtp-server: bad --listen: {e}");
            return usage();
        }
    };
    let maildir = match Maildir::create(args.get("maildir").unwrap_or("./maildir")) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("smtp-server: cannot create the maildir: {e}");
            return ExitCode::from(1);
        }
    };
    let mut config = match ServerConfig::new(args.get("hostname").unwrap_or("localhost")) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("smtp-server: bad --hostname: {e}");
            return usage();
        }
    };
    if let Some(size) = args.get("max-size") {
        match size.parse::<u64>() {
            Ok(n) => config.limits.max_message_size = n,
            Err(e) => {
                eprintln!("smtp-server: bad --max-size: {e}");
                return usage();
            }
        }
    }
    let user = match args.get("user").map(user_pass).transpose() {
        Ok(u) => u,
        Err(e) => {
            eprintln!("smtp-server: bad --user: {e}");
            return usage();
        }
    };
    if user.is_some() {
        config.extensions.auth = vec![Mechanism::Plain, Mechanism::Login];
    }
    let settings = Arc::new(Settings {
        maildir,
        config,
        user,
    });
    let what = format!("delivering to {}", settings.maildir.root().display());
    serve("smtp-server", listen, &what, move |stream, _peer| {
        let settings = Arc::clone(&settings);
        async move {
            let n = connection(stream, &settings).await?;
            Ok(format!("{n} message(s)"))
        }
    })
}

fn reply(code: u16, esc: EnhancedStatusCode, text: &str) -> Option<Reply<'static>> {
    Reply::with_enhanced(ReplyCode::new(code).ok()?, esc, text).ok()
}

async fn connection(mut stream: TcpStream, settings: &Settings) -> std::io::Result<usize> {
    let mut server = Server::new(settings.config.clone());
    let mut buf = vec![0u8; 64 * 1024];
    let mut delivery: Option<Delivery> = None;
    let mut from = String::new();
    let mut rcpts = 0usize;
    let mut delivered = 0usize;
    loop {
        stream.write_all(&server.take_output()).await?;
        if server.is_closed() {
            return Ok(delivered);
        }
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Ok(delivered);
        }
        server.receive(buf.get(..n).unwrap_or_default());
        while let Some(event) = server.poll_event() {
            match event {
                ServerEvent::Mail { from: path, .. } => {
                    from = path.to_string();
                    rcpts = 0;
                    let _ = server.accept();
                }
                ServerEvent::Rcpt { .. } => {
                    rcpts += 1;
                    let _ = server.accept();
                }
                ServerEvent::MessageStart => {
                    let mut d = settings.maildir.begin()?;
                    d.write(format!("Return-Path: {from}\r\n").as_bytes())?;
                    delivery = Some(d);
                }
                ServerEvent::MessageChunk(chunk) => {
                    if let Some(d) = delivery.as_mut() {
                        d.write(&chunk)?;
                    }
                }
                ServerEvent::MessageEnd { size } => match delivery.take().map(Delivery::commit) {
                    Some(Ok(path)) => {
                        delivered += 1;
                        eprintln!(
                            "message from {from} to {rcpts} recipient(s), {size} bytes: {}",
                            path.display()
                        );
                        let _ = server.accept();
                    }
                    _ => {
                        let r = reply(
                            451,
                            EnhancedStatusCode::MAIL_SYSTEM_ERROR,
                            "Cannot store the message",
                        );
                        if let Some(r) = r {
                            let _ = server.reject(r);
                        }
                    }
                },
                ServerEvent::MessageAborted { reason } => {
                    delivery = None;
                    eprintln!("message from {from} refused: {reason:?}");
                }
                ServerEvent::Reset => delivery = None,
                ServerEvent::Auth { credentials } => {
                    let ok = match (&settings.user, &credentials) {
                        (
                            Some((u, p)),
                            Credentials::Plain {
                                authzid,
                                authcid,
                                password,
                            },
                        ) => {
                            authzid.as_deref().is_none_or(|z| z == u)
                                && authcid == u
                                && password == p
                        }
                        (Some((u, p)), Credentials::Login { username, password }) => {
                            username == u && password == p
                        }
                        _ => false,
                    };
                    eprintln!(
                        "auth {} as {:?}",
                        if ok { "succeeded" } else { "failed" },
                        credentials.identity().unwrap_or("")
                    );
                    if ok {
                        let _ = server.accept();
                    } else if let Some(r) = reply(
                        535,
                        EnhancedStatusCode::AUTH_CREDENTIALS_INVALID,
                        "Authentication credentials invalid",
                    ) {
                        let _ = server.reject(r);
                    }
                }
                ServerEvent::AuthRaw { .. } => {
                    if let Some(r) = reply(
                        504,
                        EnhancedStatusCode::INVALID_ARGUMENTS,
                        "Mechanism not supported",
                    ) {
                        let _ = server.reject(r);
                    }
                }
                ServerEvent::PlaintextDiscarded { bytes } => {
                    eprintln!("discarded {bytes} plaintext bytes after STARTTLS");
                }
                ServerEvent::CommandRejected { code, reason } => {
                    eprintln!("refused a command with {code}: {reason}");
                }
                ServerEvent::Hello { .. } | ServerEvent::StartTls | ServerEvent::Closed => {}
            }
        }
    }
}
