//! A small POP3 server on `pop3_proto::server`: it serves the messages of a
//! Maildir (the one `smtp-server` writes) to the users named on the command
//! line.
//!
//! ```text
//! cargo run --example pop3-server -- --listen 127.0.0.1:1110 --maildir DIR
//!     --user NAME:PASSWORD [--user NAME:PASSWORD ...] [--apop]
//! ```
//!
//! - Messages are the files of `DIR/new` and `DIR/cur`, in name order. The
//!   unique-id (UIDL) of a message is its file name up to the first `:` (the
//!   Maildir info suffix), so it survives the move from `new/` to `cur/`.
//! - Sizes count CRLF line endings. Files written with bare LF line endings
//!   (by Postfix's or Dovecot's delivery agents) are served with CRLF, and
//!   their sizes count the CR that is added.
//! - `DELE` only marks; the files are removed at `QUIT`. A connection that
//!   drops without `QUIT` deletes nothing (RFC 1939 section 6).
//! - One session at a time per maildrop: a second login gets `-ERR [IN-USE]`.
//! - Logins: USER/PASS, SASL PLAIN and LOGIN, and with `--apop` also APOP
//!   (legacy; the timestamp is in the greeting).
//! - `CAPA` lists TOP, UIDL, RESP-CODES, AUTH-RESP-CODE, PIPELINING, USER,
//!   SASL PLAIN LOGIN. There is no TLS in this example, so no STLS.
//!
//! Ctrl-C or SIGTERM stops it.

use std::fs::{self, File};
use std::io::{self, Read};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use mail_examples::{Args, serve, user_pass};
use mail_wire::sasl::Credentials;
use pop3_proto::ResponseCode;
use pop3_proto::server::{BodyProgress, Maildrop, MessageInfo, Server, ServerConfig, ServerEvent};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

struct Settings {
    maildir: PathBuf,
    config: ServerConfig,
    users: Vec<(String, String)>,
    apop: bool,
    /// Set while a session holds the maildrop (RFC 1939 section 8: the
    /// server should lock the maildrop).
    locked: AtomicBool,
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: pop3-server [--listen ADDR:PORT] --maildir DIR --user NAME:PASSWORD [--user ...] [--apop]"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args = match Args::parse(&["apop"]) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("pop3-server: {e}");
            return usage();
        }
    };
    if let Some(e) = args.unknown(&["listen", "maildir", "user", "apop"]) {
        eprintln!("pop3-server: {e}");
        return usage();
    }
    let listen: SocketAddr = match args.get("listen").unwrap_or("127.0.0.1:1110").parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("pop3-server: bad --listen: {e}");
            return usage();
        }
    };
    let Some(maildir) = args.get("maildir").map(PathBuf::from) else {
        eprintln!("pop3-server: --maildir is required");
        return usage();
    };
    for sub in ["new", "cur", "tmp"] {
        if let Err(e) = fs::create_dir_all(maildir.join(sub)) {
            eprintln!(
                "pop3-server: cannot create {}: {e}",
                maildir.join(sub).display()
            );
            return ExitCode::from(1);
        }
    }
    let mut users = Vec::new();
    for u in args.all("user") {
        match user_pass(u) {
            Ok(up) => users.push(up),
            Err(e) => {
                eprintln!("pop3-server: bad --user: {e}");
                return usage();
            }
        }
    }
    if users.is_empty() {
        eprintln!("pop3-server: at least one --user NAME:PASSWORD is required");
        return usage();
    }
    let config = match ServerConfig::new("POP3 server ready") {
        Ok(c) => c,
        Err(e) => {
            eprintln!("pop3-server: {e}");
            return ExitCode::from(1);
        }
    };
    let settings = Arc::new(Settings {
        maildir,
        config,
        users,
        apop: args.flag("apop"),
        locked: AtomicBool::new(false),
    });
    let what = format!("serving {}", settings.maildir.display());
    serve("pop3-server", listen, &what, move |stream, _peer| {
        let settings = Arc::clone(&settings);
        async move {
            let mut session = Session {
                settings: &settings,
                files: Vec::new(),
                holds_lock: false,
            };
            let result = session.run(stream).await;
            session.unlock();
            result.map(|n| format!("{n} message(s) retrieved"))
        }
    })
}

/// One message file: where it is and how it is served.
struct MessageFile {
    path: PathBuf,
    /// The file has bare LF line endings to be sent as CRLF.
    add_cr: bool,
}

struct Session<'a> {
    settings: &'a Settings,
    files: Vec<MessageFile>,
    holds_lock: bool,
}

static TIMESTAMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl Session<'_> {
    fn unlock(&mut self) {
        if self.holds_lock {
            self.settings.locked.store(false, Ordering::SeqCst);
            self.holds_lock = false;
        }
    }

    fn check(&self, user: &str, password: &[u8]) -> bool {
        self.settings
            .users
            .iter()
            .any(|(u, p)| u == user && p.as_bytes() == password)
    }

    fn check_apop(&self, user: &str, digest: &pop3_proto::ApopDigest, timestamp: &str) -> bool {
        self.settings.users.iter().any(|(u, p)| {
            u == user && pop3_proto::apop::apop_verify(timestamp.as_bytes(), p.as_bytes(), digest)
        })
    }

    /// Decides a login: checks the credentials, takes the lock, reads the
    /// maildrop.
    fn login(&mut self, server: &mut Server, ok: bool, user: &str) -> io::Result<()> {
        if !ok {
            eprintln!("login failed for {user:?}");
            let _ = server.login_failed(None, "invalid user name or password");
            return Ok(());
        }
        if self
            .settings
            .locked
            .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
            .is_err()
        {
            eprintln!("login of {user:?} refused: maildrop in use");
            let _ = server.login_failed(Some(ResponseCode::InUse), "maildrop already locked");
            return Ok(());
        }
        self.holds_lock = true;
        match scan(&self.settings.maildir) {
            Ok((files, infos)) => {
                eprintln!("login {user:?}: {} message(s)", files.len());
                self.files = files;
                let _ = server.login_ok(Maildrop::new(infos));
            }
            Err(e) => {
                eprintln!("cannot read the maildrop: {e}");
                self.unlock();
                let _ = server.login_failed(Some(ResponseCode::SysTemp), "cannot open maildrop");
            }
        }
        Ok(())
    }

    async fn run(&mut self, mut stream: TcpStream) -> io::Result<usize> {
        let mut config = self.settings.config.clone();
        if self.settings.apop {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default();
            let n = TIMESTAMP_COUNTER.fetch_add(1, Ordering::Relaxed);
            config.apop_timestamp = Some(format!(
                "<{}.{}.{}@localhost>",
                std::process::id(),
                now.as_nanos(),
                n
            ));
        }
        let mut server = Server::new(config);
        let mut buf = vec![0u8; 64 * 1024];
        let mut retrieved = 0usize;
        loop {
            stream.write_all(&server.take_output()).await?;
            if server.is_closed() {
                return Ok(retrieved);
            }
            let n = stream.read(&mut buf).await?;
            if n == 0 {
                return Ok(retrieved);
            }
            server.receive(buf.get(..n).unwrap_or_default());
            while let Some(event) = server.poll_event() {
                match event {
                    ServerEvent::UserPass { user, password } => {
                        let ok = self.check(&user, password.expose());
                        self.login(&mut server, ok, &user)?;
                    }
                    ServerEvent::Sasl { credentials, .. } => {
                        let (user, ok) = match &credentials {
                            Credentials::Plain {
                                authzid,
                                authcid,
                                password,
                            } => (
                                authcid.clone(),
                                authzid.as_deref().is_none_or(|z| z == authcid)
                                    && self.check(authcid, password.as_bytes()),
                            ),
                            Credentials::Login { username, password } => {
                                (username.clone(), self.check(username, password.as_bytes()))
                            }
                            _ => (String::new(), false),
                        };
                        self.login(&mut server, ok, &user)?;
                    }
                    ServerEvent::Apop {
                        user,
                        digest,
                        timestamp,
                    } => {
                        let ok = self.check_apop(&user, &digest, &timestamp);
                        self.login(&mut server, ok, &user)?;
                    }
                    ServerEvent::SaslRaw { .. } | ServerEvent::SaslResponse(_) => {
                        let _ = server.login_failed(None, "mechanism not supported");
                    }
                    ServerEvent::Retrieve { msg, top } => {
                        let file = self.files.get(msg.index());
                        match file {
                            Some(f) => {
                                if send_message(&mut server, &mut stream, f).await? {
                                    if top.is_none() {
                                        retrieved += 1;
                                    }
                                } else {
                                    eprintln!("cannot read {}", f.path.display());
                                }
                            }
                            None => {
                                let _ = server.retrieve_failed("message vanished");
                            }
                        }
                    }
                    ServerEvent::Update { deleted } => {
                        let mut failed = 0usize;
                        for msg in &deleted {
                            if let Some(f) = self.files.get(msg.index())
                                && let Err(e) = fs::remove_file(&f.path)
                            {
                                eprintln!("cannot delete {}: {e}", f.path.display());
                                failed += 1;
                            }
                        }
                        eprintln!("update: {} deleted, {failed} failed", deleted.len());
                        let _ = if failed == 0 {
                            server.update_done(Ok(()))
                        } else {
                            server.update_done(Err("some deleted messages not removed"))
                        };
                        self.unlock();
                    }
                    ServerEvent::CommandRejected { verb, reason } => {
                        eprintln!("refused {verb:?}: {reason}");
                    }
                    ServerEvent::SaslCancelled
                    | ServerEvent::StartTls
                    | ServerEvent::PlaintextDiscarded { .. }
                    | ServerEvent::Closed => {}
                }
            }
        }
    }
}

/// Streams one message through the session, writing as it goes so memory
/// stays bounded whatever the message size. Returns false when the file
/// could not be read (the session has then answered or closed).
async fn send_message(
    server: &mut Server,
    stream: &mut TcpStream,
    f: &MessageFile,
) -> io::Result<bool> {
    let mut file = match File::open(&f.path) {
        Ok(file) => file,
        Err(_) => {
            let _ = server.retrieve_failed("cannot read message");
            return Ok(false);
        }
    };
    let mut chunk = vec![0u8; 64 * 1024];
    let mut converted = Vec::new();
    let mut prev_cr = false;
    loop {
        let n = match file.read(&mut chunk) {
            Ok(n) => n,
            Err(_) => {
                let _ = server.retrieve_failed("cannot read message");
                return Ok(false);
            }
        };
        if n == 0 {
            break;
        }
        let data = chunk.get(..n).unwrap_or_default();
        let data = if f.add_cr {
            converted.clear();
            for &b in data {
                if b == b'\n' && !prev_cr {
                    converted.push(b'\r');
                }
                converted.push(b);
                prev_cr = b == b'\r';
            }
            converted.as_slice()
        } else {
            data
        };
        match server.body_chunk(data) {
            Ok(BodyProgress::More) => {}
            Ok(BodyProgress::Done) => break,
            Err(e) => {
                eprintln!("{}: {e}", f.path.display());
                let _ = server.retrieve_failed("message has bare line endings");
                return Ok(false);
            }
        }
        stream.write_all(&server.take_output()).await?;
    }
    let _ = server.body_end();
    Ok(true)
}

/// Whether `name` can serve as a unique-id as it is (RFC 1939 section 7).
fn valid_uid(name: &str) -> bool {
    (1..=70).contains(&name.len()) && name.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

/// A stable unique-id for a name that cannot be one: FNV-1a, 64 bits, hex.
fn hashed_uid(name: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("h{h:016x}")
}

/// Reads the maildrop: every file of `new/` and `cur/`, in name order, with
/// its size as sent (CRLF line endings) and its unique-id.
fn scan(root: &std::path::Path) -> io::Result<(Vec<MessageFile>, Vec<MessageInfo>)> {
    let mut entries = Vec::new();
    for sub in ["new", "cur"] {
        for e in fs::read_dir(root.join(sub))? {
            let e = e?;
            if e.file_type()?.is_file() {
                let name = e.file_name().to_string_lossy().into_owned();
                entries.push((name, e.path()));
            }
        }
    }
    entries.sort();
    let mut files = Vec::new();
    let mut infos = Vec::new();
    for (name, path) in entries {
        let base = name.split(':').next().unwrap_or(&name);
        let uid = if valid_uid(base) {
            base.to_owned()
        } else {
            hashed_uid(base)
        };
        let (size, bare_lf) = measure(&path)?;
        let info = MessageInfo::new(size + bare_lf, &uid).map_err(io::Error::other)?;
        files.push(MessageFile {
            path,
            add_cr: bare_lf > 0,
        });
        infos.push(info);
    }
    Ok((files, infos))
}

/// The size of a file and how many of its LFs have no CR before them.
fn measure(path: &std::path::Path) -> io::Result<(u64, u64)> {
    let mut file = File::open(path)?;
    let mut buf = vec![0u8; 64 * 1024];
    let (mut size, mut bare, mut prev) = (0u64, 0u64, 0u8);
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok((size, bare));
        }
        let data = buf.get(..n).unwrap_or_default();
        size += n as u64;
        for lf in memchr::memchr_iter(b'\n', data) {
            let before = if lf == 0 {
                prev
            } else {
                data.get(lf - 1).copied().unwrap_or(0)
            };
            if before != b'\r' {
                bare += 1;
            }
        }
        prev = data.last().copied().unwrap_or(prev);
    }
}
