//! Encoding the EHLO response (RFC 5321 section 4.1.1.1).
//!
//! Known capabilities are written in canonical form (upper-case keyword,
//! single spaces, numbers without leading zeros); unknown ones as they were
//! parsed or built. Every part is validated on construction, so no line can
//! contain CR or LF.

use std::borrow::Cow;

use bytes::BufMut;

use crate::encode::reply::put_decimal;
use crate::types::ehlo::{Capability, EhloResponse, Limit};
use crate::types::reply::{Reply, ReplyCode, ReplyText};

impl Limit<'_> {
    /// Writes `NAME[=value]`.
    pub fn encode(&self, out: &mut impl BufMut) {
        out.put_slice(self.name().as_bytes());
        match self {
            Limit::MailMax(v) | Limit::RcptMax(v) | Limit::RcptDomainMax(v) => {
                out.put_u8(b'=');
                put_decimal(out, u64::from(v.get()));
            }
            Limit::Other {
                value: Some(value), ..
            } => {
                out.put_u8(b'=');
                out.put_slice(value.as_str().as_bytes());
            }
            Limit::Other { value: None, .. } => {}
        }
    }
}

impl Capability<'_> {
    /// Writes the `ehlo-line` (keyword and parameters, no code, no CRLF).
    pub fn encode(&self, out: &mut impl BufMut) {
        out.put_slice(self.keyword().as_bytes());
        match self {
            Capability::Size(Some(n)) | Capability::DeliverBy(Some(n)) => {
                out.put_u8(b' ');
                put_decimal(out, *n);
            }
            Capability::Auth(mechanisms) => {
                for m in mechanisms {
                    out.put_u8(b' ');
                    out.put_slice(m.as_str().as_bytes());
                }
            }
            Capability::MtPriority(Some(p)) => {
                out.put_u8(b' ');
                out.put_slice(p.as_str().as_bytes());
            }
            Capability::FutureRelease {
                max_interval,
                max_datetime,
            } => {
                out.put_u8(b' ');
                put_decimal(out, *max_interval);
                out.put_u8(b' ');
                out.put_slice(max_datetime.as_str().as_bytes());
            }
            Capability::Limits(limits) => {
                for l in limits {
                    out.put_u8(b' ');
                    l.encode(out);
                }
            }
            Capability::Unknown { params, .. } => {
                for p in params {
                    out.put_u8(b' ');
                    out.put_slice(p.as_bytes());
                }
            }
            _ => {}
        }
    }

    /// The encoded `ehlo-line` as a new vector.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }
}

impl EhloResponse<'_> {
    fn encode_first_line(&self, out: &mut impl BufMut) {
        out.put_slice(self.domain().as_bytes());
        if let Some(g) = self.greeting() {
            out.put_u8(b' ');
            out.put_slice(g);
        }
    }

    /// Writes the whole `250` reply, CRLF after every line.
    ///
    /// ```
    /// use smtp_proto::{Capability, EhloResponse};
    /// let ehlo = EhloResponse::new("mx.example.org")
    ///     .unwrap()
    ///     .with_capability(Capability::Pipelining)
    ///     .with_capability(Capability::Size(Some(35882577)));
    /// let mut out = Vec::new();
    /// ehlo.encode(&mut out);
    /// assert_eq!(out, b"250-mx.example.org\r\n250-PIPELINING\r\n250 SIZE 35882577\r\n");
    /// ```
    pub fn encode(&self, out: &mut impl BufMut) {
        let last = self.capabilities().len();
        out.put_slice(b"250");
        out.put_u8(if last == 0 { b' ' } else { b'-' });
        self.encode_first_line(out);
        out.put_slice(b"\r\n");
        for (i, cap) in self.capabilities().iter().enumerate() {
            out.put_slice(b"250");
            out.put_u8(if i + 1 == last { b' ' } else { b'-' });
            cap.encode(out);
            out.put_slice(b"\r\n");
        }
    }

    /// The encoded reply as a new vector.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }

    /// The response as a generic [`Reply`]. Its lines are not limited to
    /// the 506 bytes of built replies (a long AUTH list may exceed it).
    #[must_use]
    pub fn to_reply(&self) -> Reply<'static> {
        let mut first = Vec::new();
        self.encode_first_line(&mut first);
        let rest = self
            .capabilities()
            .iter()
            .map(|c| ReplyText::from_checked(Cow::Owned(c.to_bytes())))
            .collect();
        // Never bare: the domain and every keyword are non-empty.
        Reply::from_parts(
            ReplyCode::OK,
            ReplyText::from_checked(Cow::Owned(first)),
            rest,
            false,
        )
    }
}
