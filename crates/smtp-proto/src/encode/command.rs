//! Commands to bytes, in the canonical form of RFC 5321 section 4.1.1:
//! upper-case verbs, `MAIL FROM:<...>` with no space after the colon,
//! single spaces, CRLF.

use std::fmt;

use mail_wire::sasl::Mechanism;

use crate::encode::{BufSink, FmtSink, Sink};
use crate::types::command::{Command, EtrnTarget};
use crate::types::mail_values::{AuthParam, Hold};
use crate::types::params::{MailParameters, Parameter, RcptParameters};

impl Command<'_> {
    /// Writes the command followed by CRLF.
    ///
    /// Infallible: every field is a validated type, so the output is one
    /// well-formed line. (`BufMut::put_slice` itself panics only if `out` is
    /// a fixed-size buffer that runs out of room; `Vec<u8>` and `BytesMut`
    /// grow.)
    pub fn encode(&self, out: &mut impl bytes::BufMut) {
        let mut w = BufSink(out);
        self.write_to(&mut w);
        w.put("\r\n");
    }

    pub(crate) fn write_to(&self, w: &mut impl Sink) {
        match self {
            Command::Helo { host } => {
                w.put("HELO ");
                host.write_to(w);
            }
            Command::Ehlo { host } => {
                w.put("EHLO ");
                host.write_to(w);
            }
            Command::Lhlo { host } => {
                w.put("LHLO ");
                host.write_to(w);
            }
            Command::Mail { from, params } => {
                w.put("MAIL FROM:");
                from.write_to(w);
                params.write_to(w);
            }
            Command::Rcpt { to, params } => {
                w.put("RCPT TO:");
                to.write_to(w);
                params.write_to(w);
            }
            Command::Bdat { size, last } => {
                w.put("BDAT ");
                w.put_u64(*size);
                if *last {
                    w.put(" LAST");
                }
            }
            Command::Vrfy { arg } => {
                w.put("VRFY ");
                w.put(arg.as_str());
            }
            Command::Expn { arg } => {
                w.put("EXPN ");
                w.put(arg.as_str());
            }
            Command::Help { arg: Some(arg) } => {
                w.put("HELP ");
                w.put(arg.as_str());
            }
            Command::Noop { arg: Some(arg) } => {
                w.put("NOOP ");
                w.put(arg.as_str());
            }
            Command::Auth {
                mechanism,
                initial_response,
            } => {
                w.put("AUTH ");
                write_mechanism(mechanism, w);
                if let Some(ir) = initial_response {
                    w.put(" ");
                    w.put(ir.as_str());
                }
            }
            Command::Etrn { target } => match target {
                EtrnTarget::Domain(d) => {
                    w.put("ETRN ");
                    w.put(d.as_str());
                }
                EtrnTarget::Subdomains(d) => {
                    w.put("ETRN @");
                    w.put(d.as_str());
                }
                EtrnTarget::Queue(q) => {
                    w.put("ETRN #");
                    w.put(q.as_str());
                }
            },
            Command::Unknown { verb, args } => {
                w.put(verb.as_str());
                if let Some(args) = args {
                    w.put(" ");
                    w.put(args.as_str());
                }
            }
            Command::Data
            | Command::Rset
            | Command::Quit
            | Command::StartTls
            | Command::Help { arg: None }
            | Command::Noop { arg: None } => w.put(self.verb()),
        }
    }
}

/// Writes a mechanism name: always valid, since `Mechanism::Other` can only
/// be built from a validated name.
fn write_mechanism(m: &Mechanism<'_>, w: &mut impl Sink) {
    w.put(m.as_str());
}

impl fmt::Display for Command<'_> {
    /// The command line without its CRLF.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        FmtSink::run(f, |w| self.write_to(w))
    }
}

fn write_other(other: &[Parameter<'_>], w: &mut impl Sink) {
    for p in other {
        w.put(" ");
        w.put(p.keyword());
        if let Some(v) = p.value() {
            w.put("=");
            w.put(v);
        }
    }
}

impl MailParameters<'_> {
    /// Writes each parameter preceded by a space.
    pub(crate) fn write_to(&self, w: &mut impl Sink) {
        if let Some(size) = self.size {
            w.put(" SIZE=");
            w.put_u64(size);
        }
        if let Some(body) = self.body {
            w.put(" BODY=");
            w.put(body.as_str());
        }
        if self.smtputf8 {
            w.put(" SMTPUTF8");
        }
        let extras = self.extras.as_deref();
        if let Some(ret) = extras.and_then(|e| e.ret) {
            w.put(" RET=");
            w.put(ret.as_str());
        }
        if let Some(envid) = extras.and_then(|e| e.envid.as_ref()) {
            w.put(" ENVID=");
            envid.write_to(w);
        }
        match extras.and_then(|e| e.auth.as_ref()) {
            None => {}
            Some(AuthParam::Unknown) => w.put(" AUTH=<>"),
            // Spell a literal "<>" mailbox as "+3C>" so it does not read
            // back as AUTH=<>.
            Some(AuthParam::Mailbox(x)) if x.as_str() == "<>" => w.put(" AUTH=+3C>"),
            Some(AuthParam::Mailbox(x)) => {
                w.put(" AUTH=");
                x.write_to(w);
            }
        }
        if self.requiretls {
            w.put(" REQUIRETLS");
        }
        if let Some(p) = extras.and_then(|e| e.mt_priority) {
            w.put(" MT-PRIORITY=");
            w.put_i64(i64::from(p.get()));
        }
        match extras.and_then(|e| e.hold.as_ref()) {
            None => {}
            Some(Hold::For(s)) => {
                w.put(" HOLDFOR=");
                w.put_u64(u64::from(s.seconds()));
            }
            Some(Hold::Until(t)) => {
                w.put(" HOLDUNTIL=");
                w.put(t.time().as_str());
            }
        }
        if let Some(by) = extras.and_then(|e| e.by) {
            w.put_display(" BY=", &by, "");
        }
        write_other(self.other(), w);
    }
}

impl fmt::Display for MailParameters<'_> {
    /// The parameters as they follow the path, each after a space.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        FmtSink::run(f, |w| self.write_to(w))
    }
}

impl RcptParameters<'_> {
    /// Writes each parameter preceded by a space.
    pub(crate) fn write_to(&self, w: &mut impl Sink) {
        if let Some(n) = self.notify {
            w.put_display(" NOTIFY=", &n, "");
        }
        if let Some(o) = &self.orcpt {
            w.put(" ORCPT=");
            w.put(o.addr_type());
            w.put(";");
            o.address().write_to(w);
        }
        if let Some(r) = self.rrvs() {
            w.put_display(" RRVS=", r, "");
        }
        write_other(self.other(), w);
    }
}

impl fmt::Display for RcptParameters<'_> {
    /// The parameters as they follow the path, each after a space.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        FmtSink::run(f, |w| self.write_to(w))
    }
}
