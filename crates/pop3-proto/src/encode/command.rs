//! Commands to bytes: the verb in upper case, arguments separated by one
//! space, CRLF.

use bytes::BufMut;

use super::{BufSink, Counter, Sink};
use crate::types::command::Command;

impl Command<'_> {
    /// Writes the command line, CRLF included.
    ///
    /// ```
    /// use pop3_proto::{Command, MsgNum};
    /// let mut out = Vec::new();
    /// Command::Top { msg: MsgNum::new(1).unwrap(), lines: 10 }.encode(&mut out);
    /// assert_eq!(out, b"TOP 1 10\r\n");
    /// ```
    pub fn encode(&self, out: &mut impl BufMut) {
        self.write(&mut BufSink(out));
    }

    /// The command line as bytes, CRLF included.
    #[must_use]
    pub fn to_vec(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.encoded_len());
        self.encode(&mut v);
        v
    }

    /// The length of the command line, CRLF included. A client checks it
    /// against RFC 5034 section 4's 255 octets before sending an initial
    /// response with `AUTH`.
    #[must_use]
    pub fn encoded_len(&self) -> usize {
        let mut c = Counter::default();
        self.write(&mut c);
        c.0
    }

    fn write(&self, s: &mut impl Sink) {
        s.put(self.verb().as_bytes());
        match self {
            Command::User(a) => {
                s.put(b" ");
                s.put(a.as_str().as_bytes());
            }
            Command::Pass(p) => {
                s.put(b" ");
                s.put(p.expose());
            }
            Command::Apop { name, digest } => {
                s.put(b" ");
                s.put(name.as_str().as_bytes());
                s.put(b" ");
                s.put(&digest.to_hex());
            }
            Command::Auth {
                mechanism,
                initial_response,
            } => {
                s.put(b" ");
                s.put(mechanism.as_str().as_bytes());
                if let Some(ir) = initial_response {
                    s.put(b" ");
                    // An empty initial response is written `=` (RFC 5034
                    // section 4); an empty argument would end the line
                    // with a space.
                    if ir.as_str().is_empty() {
                        s.put(b"=");
                    } else {
                        s.put(ir.as_str().as_bytes());
                    }
                }
            }
            Command::List(Some(n))
            | Command::Uidl(Some(n))
            | Command::Retr(n)
            | Command::Dele(n) => {
                s.put(b" ");
                s.put_u64(u64::from(n.get()));
            }
            Command::Top { msg, lines } => {
                s.put(b" ");
                s.put_u64(u64::from(msg.get()));
                s.put(b" ");
                s.put_u64(u64::from(*lines));
            }
            Command::Lang(Some(t)) => {
                s.put(b" ");
                s.put(t.as_str().as_bytes());
            }
            Command::Unknown { args, .. } => {
                if !args.is_empty() {
                    s.put(b" ");
                    s.put(args);
                }
            }
            Command::AuthList
            | Command::Stls
            | Command::Capa
            | Command::Stat
            | Command::List(None)
            | Command::Uidl(None)
            | Command::Noop
            | Command::Rset
            | Command::Quit
            | Command::Utf8
            | Command::Lang(None) => {}
        }
        s.put(b"\r\n");
    }
}
