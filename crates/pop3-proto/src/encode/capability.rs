//! Capability lines to bytes (RFC 2449 sections 5 and 6).

use bytes::BufMut;

use super::{BufSink, Sink};
use crate::types::capability::{Capabilities, Capability, ExpirePolicy};

impl Capability<'_> {
    /// Writes the capability line, CRLF included: the tag in canonical case,
    /// then its parameters.
    ///
    /// ```
    /// use pop3_proto::{Capability, ExpirePolicy};
    /// let mut out = Vec::new();
    /// Capability::Expire { policy: ExpirePolicy::Never, per_user: false }.encode(&mut out);
    /// assert_eq!(out, b"EXPIRE NEVER\r\n");
    /// ```
    pub fn encode(&self, out: &mut impl BufMut) {
        let s = &mut BufSink(out);
        s.put(self.tag().as_bytes());
        match self {
            Capability::Sasl(mechs) => {
                for m in mechs {
                    s.put(b" ");
                    s.put(m.as_str().as_bytes());
                }
            }
            Capability::LoginDelay { seconds, per_user } => {
                s.put(b" ");
                s.put_u64(u64::from(*seconds));
                user(s, *per_user);
            }
            Capability::Expire { policy, per_user } => {
                s.put(b" ");
                match policy {
                    ExpirePolicy::Never => s.put(b"NEVER"),
                    ExpirePolicy::Days(d) => s.put_u64(u64::from(*d)),
                }
                user(s, *per_user);
            }
            Capability::Utf8 { user: u } => user(s, *u),
            Capability::Implementation(t) => {
                if !t.is_empty() {
                    s.put(b" ");
                    s.put(t.as_bytes());
                }
            }
            Capability::Other { params, .. } => {
                if !params.is_empty() {
                    s.put(b" ");
                    s.put(params.as_bytes());
                }
            }
            Capability::Top
            | Capability::User
            | Capability::RespCodes
            | Capability::Pipelining
            | Capability::Uidl
            | Capability::Stls
            | Capability::AuthRespCode
            | Capability::Lang => {}
        }
        s.put(b"\r\n");
    }
}

fn user(s: &mut impl Sink, yes: bool) {
    if yes {
        s.put(b" USER");
    }
}

impl Capabilities<'_> {
    /// Writes every capability line, then the terminating `.` CRLF. The
    /// `+OK` line before them is not included. A capability line never
    /// starts with `.` (`cchar` excludes it), so no stuffing is needed.
    pub fn encode(&self, out: &mut impl BufMut) {
        for c in &self.0 {
            c.encode(out);
        }
        out.put_slice(b".\r\n");
    }
}
