//! Helpers shared by the example programs: argument parsing, Maildir
//! delivery and the accept loop of the servers. The programs themselves are in this folder (`smtp-server.rs`,
//! `smtp-send.rs`); run them with `cargo run --example NAME -- ARGS`.

use std::fs::{self, File};
use std::future::Future;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use tokio::net::{TcpListener, TcpStream};
use tokio::signal::unix::{SignalKind, signal};

/// Command-line arguments as `--name value` pairs and bare `--flag`s.
#[derive(Debug, Default)]
pub struct Args {
    pairs: Vec<(String, Option<String>)>,
}

impl Args {
    /// Parses `std::env::args()`. `flags` names the options that take no value.
    pub fn parse(flags: &[&str]) -> Result<Args, String> {
        let mut pairs = Vec::new();
        let mut it = std::env::args().skip(1);
        while let Some(a) = it.next() {
            let Some(name) = a.strip_prefix("--") else {
                return Err(format!("unexpected argument {a:?}"));
            };
            if flags.contains(&name) {
                pairs.push((name.to_owned(), None));
            } else {
                let v = it.next().ok_or_else(|| format!("--{name} needs a value"))?;
                pairs.push((name.to_owned(), Some(v)));
            }
        }
        Ok(Args { pairs })
    }

    /// The last value of `--name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.as_deref())
    }

    /// Every value of `--name`, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(n, _)| n == name)
            .filter_map(|(_, v)| v.as_deref())
            .collect()
    }

    /// Whether the flag `--name` was given.
    pub fn flag(&self, name: &str) -> bool {
        self.pairs.iter().any(|(n, _)| n == name)
    }

    /// Names not in `known`, to reject typos.
    pub fn unknown(&self, known: &[&str]) -> Option<String> {
        self.pairs
            .iter()
            .find(|(n, _)| !known.contains(&n.as_str()))
            .map(|(n, _)| format!("unknown option --{n}"))
    }
}

/// Splits `NAME:PASSWORD`.
pub fn user_pass(s: &str) -> Result<(String, String), String> {
    s.split_once(':')
        .map(|(u, p)| (u.to_owned(), p.to_owned()))
        .ok_or_else(|| "expected NAME:PASSWORD".to_owned())
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A Maildir (`tmp/`, `new/`, `cur/`), created if missing.
#[derive(Debug, Clone)]
pub struct Maildir {
    root: PathBuf,
}

impl Maildir {
    /// Opens or creates the Maildir at `root`.
    pub fn create(root: impl AsRef<Path>) -> io::Result<Maildir> {
        let root = root.as_ref().to_path_buf();
        for sub in ["tmp", "new", "cur"] {
            fs::create_dir_all(root.join(sub))?;
        }
        Ok(Maildir { root })
    }

    /// The Maildir's root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Starts a delivery: a file in `tmp/` that becomes visible in `new/`
    /// only when committed.
    pub fn begin(&self) -> io::Result<Delivery> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let name = format!(
            "{}.M{}P{}Q{}.mail-examples",
            now.as_secs(),
            now.subsec_micros(),
            std::process::id(),
            n
        );
        let tmp = self.root.join("tmp").join(&name);
        let file = File::create(&tmp)?;
        Ok(Delivery {
            file: Some(io::BufWriter::new(file)),
            tmp,
            new: self.root.join("new").join(name),
        })
    }
}

/// A message being written into a Maildir.
#[derive(Debug)]
pub struct Delivery {
    file: Option<io::BufWriter<File>>,
    tmp: PathBuf,
    new: PathBuf,
}

impl Delivery {
    /// Appends bytes.
    pub fn write(&mut self, data: &[u8]) -> io::Result<()> {
        match self.file.as_mut() {
            Some(f) => f.write_all(data),
            None => Err(io::Error::other("delivery already finished")),
        }
    }

    /// Syncs the file and moves it into `new/`. Returns its final path.
    pub fn commit(mut self) -> io::Result<PathBuf> {
        let file = self
            .file
            .take()
            .ok_or_else(|| io::Error::other("delivery already finished"))?;
        let file = file.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        fs::rename(&self.tmp, &self.new)?;
        Ok(self.new.clone())
    }
}

impl Drop for Delivery {
    fn drop(&mut self) {
        // Not committed: remove the partial file.
        if self.file.take().is_some() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// Runs a TCP server until Ctrl-C or SIGTERM: binds `listen`, prints
/// `NAME: listening on ADDR, WHAT` on stderr (the line the interop tests
/// wait for), and runs `connection(stream, peer)` in its own task for every
/// client, logging `connect`/`disconnect` lines. Returns the exit status:
/// success after a signal, 1 when the runtime or the socket cannot be set up.
pub fn serve<F, Fut>(name: &str, listen: SocketAddr, what: &str, connection: F) -> ExitCode
where
    F: Fn(TcpStream, SocketAddr) -> Fut,
    Fut: Future<Output = io::Result<String>> + 'static,
{
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("{name}: {e}");
            return ExitCode::from(1);
        }
    };
    let local = tokio::task::LocalSet::new();
    local.block_on(&rt, async {
        let listener = match TcpListener::bind(listen).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("{name}: cannot listen on {listen}: {e}");
                return ExitCode::from(1);
            }
        };
        eprintln!("{name}: listening on {listen}, {what}");
        let mut term = match signal(SignalKind::terminate()) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{name}: {e}");
                return ExitCode::from(1);
            }
        };
        loop {
            tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, peer)) => {
                        eprintln!("connect {peer}");
                        let task = connection(stream, peer);
                        tokio::task::spawn_local(async move {
                            match task.await {
                                Ok(summary) => eprintln!("disconnect {peer}: {summary}"),
                                Err(e) => eprintln!("disconnect {peer}: {e}"),
                            }
                        });
                    }
                    Err(e) => eprintln!("{name}: accept: {e}"),
                },
                _ = tokio::signal::ctrl_c() => break,
                _ = term.recv() => break,
            }
        }
        eprintln!("{name}: stopped");
        ExitCode::SUCCESS
    })
}
