//! Downloads every message of a POP3 maildrop into a Maildir with
//! `pop3_proto::client`.
//!
//! ```text
//! cargo run --example pop3-fetch -- --server HOST:PORT --user NAME:PASSWORD [--keep] --out DIR
//! ```
//!
//! - Logs in with SASL PLAIN when the server lists it, USER/PASS otherwise.
//! - Lists the maildrop, then retrieves every message (pipelined when the
//!   server offers PIPELINING). Each message is streamed into a file of
//!   `DIR/tmp` as its chunks arrive and moved to `DIR/new` once complete, so
//!   memory does not grow with message size and a broken connection leaves
//!   no partial message behind.
//! - The files hold exactly the message the server sent: CRLF line endings,
//!   dot-stuffing removed.
//! - Without `--keep`, each message is marked deleted (`DELE`) only after its
//!   file is safely stored, and the server removes them at `QUIT`.
//!
//! Prints one line per message on stdout (`MSG n SIZE bytes -> path`) and the
//! dialogue summary on stderr. Exit status: 0 when every message was stored
//! (and, without `--keep`, deleted), 1 when the server refused something or
//! a message could not be stored, 2 on usage or connection errors.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::ExitCode;

use mail_examples::{Args, Delivery, Maildir, user_pass};
use pop3_proto::MsgNum;
use pop3_proto::client::{Client, ClientConfig, ClientEvent};

fn usage() -> ExitCode {
    eprintln!("usage: pop3-fetch --server HOST:PORT --user NAME:PASSWORD [--keep] --out DIR");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args = match Args::parse(&["keep"]) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("pop3-fetch: {e}");
            return usage();
        }
    };
    if let Some(e) = args.unknown(&["server", "user", "keep", "out"]) {
        eprintln!("pop3-fetch: {e}");
        return usage();
    }
    let (Some(server), Some(user), Some(out)) =
        (args.get("server"), args.get("user"), args.get("out"))
    else {
        return usage();
    };
    let (user, password) = match user_pass(user) {
        Ok(up) => up,
        Err(e) => {
            eprintln!("pop3-fetch: bad --user: {e}");
            return usage();
        }
    };
    let maildir = match Maildir::create(out) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("pop3-fetch: cannot create {out}: {e}");
            return ExitCode::from(2);
        }
    };
    let stream = match TcpStream::connect(server) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("pop3-fetch: cannot connect to {server}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut fetch = Fetch {
        client: Client::new(ClientConfig::default()),
        maildir,
        keep: args.flag("keep"),
        user,
        password,
        listed: Vec::new(),
        delivery: None,
        stored: 0,
        outstanding: 0,
        quit_sent: false,
        failed: false,
        done: false,
    };
    match fetch.run(stream) {
        Ok(()) if !fetch.failed => {
            eprintln!(
                "pop3-fetch: {} message(s) stored{}",
                fetch.stored,
                if fetch.keep {
                    ", left on the server"
                } else {
                    " and deleted on the server"
                }
            );
            ExitCode::SUCCESS
        }
        Ok(()) => ExitCode::from(1),
        Err(e) => {
            eprintln!("pop3-fetch: {e}");
            ExitCode::from(2)
        }
    }
}

struct Fetch {
    client: Client,
    maildir: Maildir,
    keep: bool,
    user: String,
    password: String,
    /// Messages listed and their sizes, in listing order.
    listed: Vec<(MsgNum, u64)>,
    delivery: Option<(MsgNum, Delivery)>,
    stored: usize,
    /// RETR commands not answered yet.
    outstanding: usize,
    quit_sent: bool,
    failed: bool,
    done: bool,
}

impl Fetch {
    /// Sends QUIT once every retrieval is answered (and every DELE it
    /// caused is queued before it).
    fn maybe_quit(&mut self) -> std::io::Result<()> {
        if self.outstanding == 0 && !self.quit_sent {
            self.quit_sent = true;
            self.client.quit().map_err(std::io::Error::other)?;
        }
        Ok(())
    }

    fn run(&mut self, mut stream: TcpStream) -> std::io::Result<()> {
        // The greeting comes first; ask for the capabilities right away
        // (the session sends it once the greeting is in).
        self.client.capa().map_err(std::io::Error::other)?;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let out = self.client.take_output();
            if !out.is_empty() {
                stream.write_all(&out)?;
            }
            if self.client.is_closed() {
                return if self.done {
                    Ok(())
                } else {
                    Err(std::io::Error::other("the session ended early"))
                };
            }
            let n = stream.read(&mut buf)?;
            if n == 0 {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "the server closed the connection",
                ));
            }
            self.client.receive(buf.get(..n).unwrap_or_default());
            while let Some(event) = self.client.poll_event() {
                self.event(event)?;
            }
        }
    }

    fn event(&mut self, event: ClientEvent) -> std::io::Result<()> {
        let err = std::io::Error::other;
        match event {
            ClientEvent::Greeting { status, .. } => {
                eprintln!("S: {} {}", status.status.as_str(), status.text);
                if !status.is_ok() {
                    self.failed = true;
                }
            }
            ClientEvent::Capabilities(caps) => {
                let tags: Vec<&str> = caps.0.iter().map(|c| c.tag()).collect();
                eprintln!("CAPA: {}", tags.join(" "));
                self.client.login(&self.user, &self.password).map_err(err)?;
            }
            ClientEvent::LoggedIn => {
                eprintln!("logged in as {}", self.user);
                self.client.list(None).map_err(err)?;
            }
            ClientEvent::LoginFailed(status) => {
                eprintln!("login failed: {}", status.text);
                self.failed = true;
                self.maybe_quit()?;
            }
            ClientEvent::ScanListing(l) => self.listed.push((l.msg, l.size)),
            ClientEvent::ListingEnd => {
                eprintln!("{} message(s) in the maildrop", self.listed.len());
                for &(msg, _) in &self.listed {
                    self.client.retr(msg).map_err(err)?;
                }
                self.outstanding = self.listed.len();
                self.maybe_quit()?;
            }
            ClientEvent::BodyStart { msg } => {
                self.delivery = Some((msg, self.maildir.begin()?));
            }
            ClientEvent::BodyChunk(chunk) => {
                if let Some((_, d)) = self.delivery.as_mut() {
                    d.write(&chunk)?;
                }
            }
            ClientEvent::BodyEnd {
                msg,
                bare_line_endings,
            } => {
                if let Some((_, d)) = self.delivery.take() {
                    let path = d.commit()?;
                    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
                    println!("MSG {msg} {size} bytes -> {}", path.display());
                    if bare_line_endings > 0 {
                        eprintln!("message {msg}: {bare_line_endings} bare CR/LF kept as sent");
                    }
                    if let Some(&(_, listed)) = self.listed.iter().find(|(m, _)| *m == msg)
                        && listed != size
                    {
                        eprintln!("message {msg}: LIST said {listed} octets, received {size}");
                    }
                    self.stored += 1;
                    if !self.keep {
                        // Marked only now that the file is stored; the
                        // server removes it at QUIT.
                        self.client.dele(msg).map_err(err)?;
                    }
                }
                self.outstanding = self.outstanding.saturating_sub(1);
                self.maybe_quit()?;
            }
            ClientEvent::Deleted(_) => {}
            ClientEvent::Error { verb, msg, status } => {
                eprintln!(
                    "{verb}{} refused: {}",
                    msg.map(|m| format!(" {m}")).unwrap_or_default(),
                    status.text
                );
                self.failed = true;
                if verb == "RETR" {
                    self.outstanding = self.outstanding.saturating_sub(1);
                    self.maybe_quit()?;
                }
            }
            ClientEvent::ProtocolError { reason } => {
                return Err(std::io::Error::other(format!("protocol error: {reason}")));
            }
            ClientEvent::Closed => self.done = self.quit_sent,
            _ => {}
        }
        Ok(())
    }
}
