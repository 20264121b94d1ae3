//! Capability lines of a `CAPA` answer (RFC 2449 sections 3, 5 and 6,
//! RFC 2595 section 4, RFC 3206 section 6, RFC 5034 section 3, RFC 6856
//! sections 2 and 3).
//!
//! ```text
//! capability = capa-tag *(SP param) CRLF   ;512 octets maximum
//! capa-tag   = 1*cchar
//! param      = 1*VCHAR
//! ```
//!
//! Tags and the keyword parameters (`NEVER`, `USER`) are case-insensitive.
//! Known tags are checked against their section of RFC 2449; unknown tags
//! keep their parameters as sent.

use mail_wire::SyntaxError;
use mail_wire::sasl::Mechanism;

use super::response::ResponseError;
use super::{U32_DIGITS, whole_number};
use crate::types::capability::{Capability, ExpirePolicy, is_cchar};
use crate::types::values::{Arg, Text};

impl<'a> Capability<'a> {
    /// Parses one capability line, without its CRLF (and already
    /// dot-unstuffed, as [`MultiLineReader`](super::MultiLineReader) hands it
    /// out).
    ///
    /// ```
    /// use pop3_proto::{Capability, ExpirePolicy};
    /// use mail_wire::sasl::Mechanism;
    /// assert_eq!(
    ///     Capability::parse(b"SASL PLAIN LOGIN").unwrap(),
    ///     Capability::Sasl(vec![Mechanism::Plain, Mechanism::Login])
    /// );
    /// assert_eq!(
    ///     Capability::parse(b"EXPIRE 60 USER").unwrap(),
    ///     Capability::Expire { policy: ExpirePolicy::Days(60), per_user: true }
    /// );
    /// ```
    pub fn parse(line: &'a [u8]) -> Result<Capability<'a>, ResponseError> {
        let tag_len = memchr::memchr(b' ', line).unwrap_or(line.len());
        let tag = line.get(..tag_len).unwrap_or_default();
        if tag.is_empty() {
            return Err(SyntaxError::at(line, 0, "a capability tag").into());
        }
        if let Some(p) = tag.iter().position(|&b| !is_cchar(b)) {
            return Err(SyntaxError::at(
                line,
                p,
                "a capability tag character (printable, not '.')",
            )
            .into());
        }
        // Parameters: `None` when there is no space after the tag.
        let rest = line.get(tag_len + 1..);
        let base = tag_len + 1;
        let mut params = Params {
            line,
            pos: rest.map(|_| base),
        };
        let is = |name: &str| tag.eq_ignore_ascii_case(name.as_bytes());
        let cap = if is("TOP") {
            params.none(Capability::Top)?
        } else if is("USER") {
            params.none(Capability::User)?
        } else if is("RESP-CODES") {
            params.none(Capability::RespCodes)?
        } else if is("PIPELINING") {
            params.none(Capability::Pipelining)?
        } else if is("UIDL") {
            params.none(Capability::Uidl)?
        } else if is("STLS") {
            params.none(Capability::Stls)?
        } else if is("AUTH-RESP-CODE") {
            params.none(Capability::AuthRespCode)?
        } else if is("LANG") {
            params.none(Capability::Lang)?
        } else if is("SASL") {
            let mut mechs = Vec::new();
            while let Some((m, at)) = params.next()? {
                mechs.push(Mechanism::parse(m).map_err(|e| e.shifted(at))?);
            }
            Capability::Sasl(mechs)
        } else if is("LOGIN-DELAY") {
            let (n, at) = params.required()?;
            let seconds = whole_number(n, at, U32_DIGITS, u64::from(u32::MAX), "seconds")?;
            let per_user = params.user()?;
            Capability::LoginDelay {
                seconds: u32::try_from(seconds).unwrap_or(u32::MAX),
                per_user,
            }
        } else if is("EXPIRE") {
            let (p, at) = params.required()?;
            let policy = if p.eq_ignore_ascii_case(b"NEVER") {
                ExpirePolicy::Never
            } else {
                let days = whole_number(p, at, U32_DIGITS, u64::from(u32::MAX), "NEVER or days")?;
                ExpirePolicy::Days(u32::try_from(days).unwrap_or(u32::MAX))
            };
            let per_user = params.user()?;
            Capability::Expire { policy, per_user }
        } else if is("UTF8") {
            Capability::Utf8 {
                user: params.user()?,
            }
        } else if is("IMPLEMENTATION") {
            // Free text to the end of the line (RFC 2449 section 6.9).
            let text = rest.unwrap_or_default();
            Capability::Implementation(Text::new(text).map_err(|e| shift(e, base))?)
        } else {
            let tag = Arg::from_bytes(tag)?;
            let raw = rest.unwrap_or_default();
            if let Some(p) = raw.iter().position(|&b| b == 0) {
                return Err(SyntaxError::at(line, base + p, "a parameter byte (no NUL)").into());
            }
            Capability::Other {
                tag,
                params: Text::new(raw)?,
            }
        };
        Ok(cap)
    }
}

fn shift(e: crate::types::values::ValueError, base: usize) -> crate::types::values::ValueError {
    use crate::types::values::ValueError;
    match e {
        ValueError::InvalidByte { what, offset, byte } => ValueError::InvalidByte {
            what,
            offset: offset + base,
            byte,
        },
        other => other,
    }
}

/// The parameters of a capability, split on single spaces.
struct Params<'a> {
    line: &'a [u8],
    pos: Option<usize>,
}

impl<'a> Params<'a> {
    fn next(&mut self) -> Result<Option<(&'a [u8], usize)>, SyntaxError> {
        let Some(start) = self.pos else {
            return Ok(None);
        };
        let rest = self.line.get(start..).unwrap_or_default();
        let (p, next) = match memchr::memchr(b' ', rest) {
            Some(sp) => (rest.get(..sp).unwrap_or_default(), Some(start + sp + 1)),
            None => (rest, None),
        };
        if p.is_empty() {
            return Err(SyntaxError::at(
                self.line,
                start,
                "a parameter (exactly one SP between parameters)",
            ));
        }
        if let Some(i) = p.iter().position(|&b| !(0x21..=0x7e).contains(&b)) {
            return Err(SyntaxError::at(
                self.line,
                start + i,
                "a parameter character (VCHAR)",
            ));
        }
        self.pos = next;
        Ok(Some((p, start)))
    }

    fn required(&mut self) -> Result<(&'a [u8], usize), SyntaxError> {
        self.next()?
            .ok_or_else(|| SyntaxError::at(self.line, self.line.len(), "a parameter"))
    }

    fn end(&self) -> Result<(), SyntaxError> {
        match self.pos {
            None => Ok(()),
            Some(p) => Err(SyntaxError::at(
                self.line,
                p.saturating_sub(1),
                "end of line (no more parameters)",
            )),
        }
    }

    fn none<T>(&self, v: T) -> Result<T, SyntaxError> {
        self.end()?;
        Ok(v)
    }

    /// An optional final `USER` parameter.
    fn user(&mut self) -> Result<bool, SyntaxError> {
        match self.next()? {
            None => Ok(false),
            Some((p, at)) if p.eq_ignore_ascii_case(b"USER") => {
                self.end()?;
                let _ = at;
                Ok(true)
            }
            Some((_, at)) => Err(SyntaxError::at(self.line, at, "USER or end of line")),
        }
    }
}
