//! Encoding and decoding of the mechanisms this workspace runs itself:
//! PLAIN (RFC 4616), LOGIN, XOAUTH2 and OAUTHBEARER (RFC 7628).

use std::fmt;

use super::SaslError;

fn malformed(mechanism: &'static str, reason: &'static str) -> SaslError {
    SaslError::Malformed { mechanism, reason }
}

fn utf8<'a>(mech: &'static str, b: &'a [u8]) -> Result<&'a str, SaslError> {
    std::str::from_utf8(b).map_err(|_| malformed(mech, "invalid UTF-8"))
}

/// Credentials carried by a completed exchange. `Debug` hides secrets.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// PLAIN (RFC 4616 section 2).
    Plain {
        /// Authorization identity, when the client asked to act as someone else.
        authzid: Option<String>,
        /// Authentication identity (the user name).
        authcid: String,
        /// The password.
        password: String,
    },
    /// LOGIN: a user name and a password.
    Login {
        /// The user name.
        username: String,
        /// The password.
        password: String,
    },
    /// XOAUTH2: a user and an OAuth 2.0 bearer token.
    XOAuth2 {
        /// The user.
        user: String,
        /// The bearer token.
        token: String,
    },
    /// OAUTHBEARER (RFC 7628 section 3.1).
    OAuthBearer {
        /// The authorization identity from the GS2 header, if any.
        authzid: Option<String>,
        /// The `host` key, if sent.
        host: Option<String>,
        /// The `port` key, if sent.
        port: Option<u16>,
        /// The bearer token.
        token: String,
    },
}

impl Credentials {
    /// The identity the client authenticates as (authcid, user name or, for
    /// OAUTHBEARER, the authzid if given).
    #[must_use]
    pub fn identity(&self) -> Option<&str> {
        match self {
            Credentials::Plain { authcid, .. } => Some(authcid),
            Credentials::Login { username, .. } => Some(username),
            Credentials::XOAuth2 { user, .. } => Some(user),
            Credentials::OAuthBearer { authzid, .. } => authzid.as_deref(),
        }
    }

    /// The password or token.
    #[must_use]
    pub fn secret(&self) -> &str {
        match self {
            Credentials::Plain { password, .. } | Credentials::Login { password, .. } => password,
            Credentials::XOAuth2 { token, .. } | Credentials::OAuthBearer { token, .. } => token,
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Plain {
                authzid, authcid, ..
            } => f
                .debug_struct("Plain")
                .field("authzid", authzid)
                .field("authcid", authcid)
                .field("password", &"<hidden>")
                .finish(),
            Credentials::Login { username, .. } => f
                .debug_struct("Login")
                .field("username", username)
                .field("password", &"<hidden>")
                .finish(),
            Credentials::XOAuth2 { user, .. } => f
                .debug_struct("XOAuth2")
                .field("user", user)
                .field("token", &"<hidden>")
                .finish(),
            Credentials::OAuthBearer {
                authzid,
                host,
                port,
                ..
            } => f
                .debug_struct("OAuthBearer")
                .field("authzid", authzid)
                .field("host", host)
                .field("port", port)
                .field("token", &"<hidden>")
                .finish(),
        }
    }
}

/// PLAIN (RFC 4616): `[authzid] NUL authcid NUL passwd`.
pub mod plain {
    use super::*;

    /// Builds the PLAIN message. Fails if a field holds NUL (which would
    /// shift the fields) or authcid/password are empty or over 255 octets.
    pub fn encode(
        authzid: Option<&str>,
        authcid: &str,
        password: &str,
    ) -> Result<Vec<u8>, SaslError> {
        for f in [authzid.unwrap_or(""), authcid, password] {
            if f.contains('\0') {
                return Err(malformed("PLAIN", "NUL inside a field"));
            }
            if f.len() > 255 {
                return Err(malformed("PLAIN", "field over 255 octets"));
            }
        }
        if authcid.is_empty() || password.is_empty() {
            return Err(malformed("PLAIN", "empty authcid or password"));
        }
        let mut v =
            Vec::with_capacity(authzid.map_or(0, str::len) + authcid.len() + password.len() + 2);
        v.extend_from_slice(authzid.unwrap_or("").as_bytes());
        v.push(0);
        v.extend_from_slice(authcid.as_bytes());
        v.push(0);
        v.extend_from_slice(password.as_bytes());
        Ok(v)
    }

    /// Parses a PLAIN message (RFC 4616 section 2).
    pub fn decode(msg: &[u8]) -> Result<Credentials, SaslError> {
        let mut parts = msg.splitn(3, |&b| b == 0);
        let (Some(z), Some(c), Some(p)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(malformed("PLAIN", "expected two NUL separators"));
        };
        if p.contains(&0) {
            return Err(malformed("PLAIN", "NUL inside the password"));
        }
        if c.is_empty() || p.is_empty() {
            return Err(malformed("PLAIN", "empty authcid or password"));
        }
        if z.len() > 255 || c.len() > 255 || p.len() > 255 {
            return Err(malformed("PLAIN", "field over 255 octets"));
        }
        Ok(Credentials::Plain {
            authzid: if z.is_empty() {
                None
            } else {
                Some(utf8("PLAIN", z)?.to_owned())
            },
            authcid: utf8("PLAIN", c)?.to_owned(),
            password: utf8("PLAIN", p)?.to_owned(),
        })
    }
}

/// LOGIN: the server asks `Username:` then `Password:`; the client answers
/// each with the plain value.
pub mod login {
    /// The first challenge a server sends.
    pub const USERNAME_CHALLENGE: &[u8] = b"Username:";
    /// The second challenge a server sends.
    pub const PASSWORD_CHALLENGE: &[u8] = b"Password:";
}

/// XOAUTH2: `user=` user `^Aauth=Bearer ` token `^A^A`.
pub mod xoauth2 {
    use super::*;

    /// Builds the XOAUTH2 initial response. Fails if a value holds `^A`.
    pub fn encode(user: &str, token: &str) -> Result<Vec<u8>, SaslError> {
        if user.contains('\x01') || token.contains('\x01') {
            return Err(malformed("XOAUTH2", "^A inside a value"));
        }
        Ok(format!("user={user}\x01auth=Bearer {token}\x01\x01").into_bytes())
    }

    /// Parses an XOAUTH2 initial response.
    pub fn decode(msg: &[u8]) -> Result<Credentials, SaslError> {
        let s = utf8("XOAUTH2", msg)?;
        let body = s
            .strip_suffix("\x01\x01")
            .ok_or_else(|| malformed("XOAUTH2", "missing final ^A^A"))?;
        let (user, auth) = body
            .split_once('\x01')
            .ok_or_else(|| malformed("XOAUTH2", "missing ^A separator"))?;
        let user = user
            .strip_prefix("user=")
            .ok_or_else(|| malformed("XOAUTH2", "missing user="))?;
        let token = auth
            .strip_prefix("auth=")
            .and_then(|a| strip_bearer(a))
            .ok_or_else(|| malformed("XOAUTH2", "missing auth=Bearer"))?;
        if token.contains('\x01') {
            return Err(malformed("XOAUTH2", "^A inside the token"));
        }
        Ok(Credentials::XOAuth2 {
            user: user.to_owned(),
            token: token.to_owned(),
        })
    }
}

fn strip_bearer(s: &str) -> Option<&str> {
    let (scheme, token) = s.split_once(' ')?;
    scheme.eq_ignore_ascii_case("Bearer").then_some(token)
}

/// OAUTHBEARER (RFC 7628 section 3.1): a GS2 header, then `^A`-separated
/// `key=value` pairs, ended by `^A^A`.
pub mod oauthbearer {
    use super::*;

    /// Builds the initial client response. `authzid` goes into the GS2
    /// header (`,` and `=` are escaped as RFC 5801 requires).
    pub fn encode(
        authzid: Option<&str>,
        host: Option<&str>,
        port: Option<u16>,
        token: &str,
    ) -> Result<Vec<u8>, SaslError> {
        let bad = |s: &str| s.contains('\x01');
        if authzid.is_some_and(bad) || host.is_some_and(bad) || bad(token) {
            return Err(malformed("OAUTHBEARER", "^A inside a value"));
        }
        let mut s = String::from("n,");
        if let Some(a) = authzid {
            s.push_str("a=");
            s.push_str(&a.replace('=', "=3D").replace(',', "=2C"));
        }
        s.push_str(",\x01");
        if let Some(h) = host {
            s.push_str("host=");
            s.push_str(h);
            s.push('\x01');
        }
        if let Some(p) = port {
            s.push_str(&format!("port={p}\x01"));
        }
        s.push_str("auth=Bearer ");
        s.push_str(token);
        s.push_str("\x01\x01");
        Ok(s.into_bytes())
    }

    /// Parses an initial client response.
    pub fn decode(msg: &[u8]) -> Result<Credentials, SaslError> {
        const M: &str = "OAUTHBEARER";
        let s = utf8(M, msg)?;
        let (gs2, rest) = s
            .split_once('\x01')
            .ok_or_else(|| malformed(M, "missing ^A after the GS2 header"))?;
        let mut gs2_parts = gs2.splitn(3, ',');
        let flag = gs2_parts.next().unwrap_or("");
        if !(flag == "n" || flag == "y" || flag.starts_with("p=")) {
            return Err(malformed(M, "bad GS2 channel-binding flag"));
        }
        let authzid = match gs2_parts.next() {
            Some("") => None,
            Some(a) => Some(
                a.strip_prefix("a=")
                    .ok_or_else(|| malformed(M, "bad GS2 authzid"))?
                    .replace("=2C", ",")
                    .replace("=3D", "="),
            ),
            None => return Err(malformed(M, "truncated GS2 header")),
        };
        if gs2_parts.next() != Some("") {
            return Err(malformed(M, "GS2 header must end with ','"));
        }
        let kv = rest
            .strip_suffix("\x01\x01")
            .ok_or_else(|| malformed(M, "missing final ^A^A"))?;
        let (mut host, mut port, mut token) = (None, None, None);
        for pair in kv.split('\x01') {
            let (k, v) = pair
                .split_once('=')
                .ok_or_else(|| malformed(M, "key without value"))?;
            match k {
                "host" => host = Some(v.to_owned()),
                "port" => port = Some(v.parse::<u16>().map_err(|_| malformed(M, "bad port"))?),
                "auth" => {
                    token = Some(
                        strip_bearer(v)
                            .ok_or_else(|| malformed(M, "auth is not Bearer"))?
                            .to_owned(),
                    )
                }
                _ => {}
            }
        }
        Ok(Credentials::OAuthBearer {
            authzid,
            host,
            port,
            token: token.ok_or_else(|| malformed(M, "missing auth key"))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_rfc4616_examples() {
        // RFC 4616 section 4.
        let c = plain::decode(b"\0tim\0tanstaaftanstaaf").unwrap();
        assert_eq!(c.identity(), Some("tim"));
        assert_eq!(c.secret(), "tanstaaftanstaaf");
        let c = plain::decode(b"Ursel\0Kurt\0xipj3plmq").unwrap();
        assert!(matches!(&c, Credentials::Plain { authzid: Some(z), .. } if z == "Ursel"));
        assert!(!format!("{c:?}").contains("xipj3plmq"));
        assert!(plain::decode(b"\0tim").is_err());
        assert!(plain::decode(b"\0\0pw").is_err());
        assert_eq!(plain::encode(None, "tim", "pw").unwrap(), b"\0tim\0pw");
        assert!(plain::encode(None, "t\0im", "pw").is_err());
    }

    #[test]
    fn xoauth2_roundtrip() {
        let m = xoauth2::encode(
            "someuser@example.com",
            "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg",
        )
        .unwrap();
        assert_eq!(
            m,
            b"user=someuser@example.com\x01auth=Bearer ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg\x01\x01"
        );
        let c = xoauth2::decode(&m).unwrap();
        assert_eq!(c.identity(), Some("someuser@example.com"));
        assert!(xoauth2::decode(b"user=a\x01auth=Basic x\x01\x01").is_err());
    }

    #[test]
    fn oauthbearer_rfc7628_example() {
        // RFC 7628 section 4.1, decoded.
        let msg = b"n,a=user@example.com,\x01host=server.example.com\x01port=143\x01auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\x01\x01";
        let c = oauthbearer::decode(msg).unwrap();
        assert_eq!(
            c,
            Credentials::OAuthBearer {
                authzid: Some("user@example.com".into()),
                host: Some("server.example.com".into()),
                port: Some(143),
                token: "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==".into(),
            }
        );
        let again = oauthbearer::encode(
            Some("user@example.com"),
            Some("server.example.com"),
            Some(143),
            "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==",
        )
        .unwrap();
        assert_eq!(again, msg);
        assert!(oauthbearer::decode(b"n,,\x01auth=Bearer x\x01").is_err());
    }

    use proptest::prelude::*;

    fn field() -> impl Strategy<Value = String> {
        // Any Unicode text without NUL or ^A, the separators.
        "[^\u{0}\u{1}]{1,40}"
    }

    proptest! {
        #[test]
        fn plain_roundtrip_any(z in proptest::option::of(field()), c in field(), p in field()) {
            let msg = plain::encode(z.as_deref(), &c, &p).unwrap();
            let creds = plain::decode(&msg).unwrap();
            prop_assert_eq!(creds, Credentials::Plain { authzid: z, authcid: c, password: p });
        }

        #[test]
        fn xoauth2_roundtrip_any(u in field(), t in "[!-~]{1,60}") {
            let msg = xoauth2::encode(&u, &t).unwrap();
            prop_assert_eq!(xoauth2::decode(&msg).unwrap(), Credentials::XOAuth2 { user: u, token: t });
        }

        #[test]
        fn oauthbearer_roundtrip(
            a in proptest::option::of("[^\u{0}\u{1},]{1,30}"),
            h in proptest::option::of("[a-z0-9.]{1,30}"),
            port in proptest::option::of(any::<u16>()),
            t in "[!-~]{1,60}",
        ) {
            let msg = oauthbearer::encode(a.as_deref(), h.as_deref(), port, &t).unwrap();
            let creds = oauthbearer::decode(&msg).unwrap();
            prop_assert_eq!(creds, Credentials::OAuthBearer { authzid: a, host: h, port, token: t });
        }

        #[test]
        fn decoders_never_panic(data in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = plain::decode(&data);
            let _ = xoauth2::decode(&data);
            let _ = oauthbearer::decode(&data);
        }
    }
}
