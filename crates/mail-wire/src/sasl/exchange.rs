//! Drivers for the SASL exchanges this workspace runs itself, on either side.
//!
//! A protocol session uses [`ServerExchange`] to turn client responses into
//! [`Credentials`] for the application to check, and [`ClientExchange`] to
//! answer a server's challenges. Mechanisms without a driver here pass through
//! the sessions as raw exchanges.

use super::mechanisms::{Credentials, login, oauthbearer, plain, xoauth2};
use super::{Mechanism, Response, SaslError};

/// What the server side does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerStep {
    /// Send this challenge (decoded bytes; the session base64-encodes them).
    Challenge(Vec<u8>),
    /// The exchange is complete: check these credentials.
    Done(Credentials),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Plain,
    Login,
    XOAuth2,
    OAuthBearer,
}

/// Server side of PLAIN, LOGIN, XOAUTH2 and OAUTHBEARER.
///
/// ```
/// use mail_wire::sasl::{Mechanism, Response, ServerExchange, ServerStep};
///
/// let mut ex = ServerExchange::new(&Mechanism::Login).unwrap();
/// assert_eq!(ex.start(None).unwrap(), ServerStep::Challenge(b"Username:".to_vec()));
/// assert!(matches!(ex.respond(Response::Data(b"tim".to_vec())).unwrap(), ServerStep::Challenge(_)));
/// let ServerStep::Done(creds) = ex.respond(Response::Data(b"secret".to_vec())).unwrap() else { panic!() };
/// assert_eq!((creds.identity(), creds.secret()), (Some("tim"), "secret"));
/// ```
#[derive(Debug, Clone)]
pub struct ServerExchange {
    kind: Kind,
    started: bool,
    username: Option<String>,
    done: bool,
}

impl ServerExchange {
    /// A driver for `mechanism`, or `None` when the mechanism has no driver
    /// here (the session then passes the exchange through raw).
    #[must_use]
    pub fn new(mechanism: &Mechanism<'_>) -> Option<Self> {
        let kind = match mechanism {
            Mechanism::Plain => Kind::Plain,
            Mechanism::Login => Kind::Login,
            Mechanism::XOAuth2 => Kind::XOAuth2,
            Mechanism::OAuthBearer => Kind::OAuthBearer,
            Mechanism::Other(_) => return None,
        };
        Some(ServerExchange {
            kind,
            started: false,
            username: None,
            done: false,
        })
    }

    /// Starts the exchange with the client's initial response, if it gave one
    /// (already base64-decoded).
    pub fn start(&mut self, initial: Option<Vec<u8>>) -> Result<ServerStep, SaslError> {
        if self.started {
            return Err(SaslError::UnexpectedStep);
        }
        self.started = true;
        match initial {
            Some(data) => self.step(data),
            None if self.kind == Kind::Login => {
                Ok(ServerStep::Challenge(login::USERNAME_CHALLENGE.to_vec()))
            }
            // RFC 4422 section 5: an empty challenge invites the initial
            // response.
            None => Ok(ServerStep::Challenge(Vec::new())),
        }
    }

    /// Feeds the client's answer to the last challenge.
    pub fn respond(&mut self, response: Response) -> Result<ServerStep, SaslError> {
        if !self.started {
            return Err(SaslError::UnexpectedStep);
        }
        match response {
            Response::Cancel => {
                self.done = true;
                Err(SaslError::Cancelled)
            }
            Response::Data(data) => self.step(data),
        }
    }

    fn step(&mut self, data: Vec<u8>) -> Result<ServerStep, SaslError> {
        if self.done {
            return Err(SaslError::UnexpectedStep);
        }
        let result = match self.kind {
            Kind::Plain => plain::decode(&data).map(ServerStep::Done),
            Kind::XOAuth2 => xoauth2::decode(&data).map(ServerStep::Done),
            Kind::OAuthBearer => oauthbearer::decode(&data).map(ServerStep::Done),
            Kind::Login => {
                let value = String::from_utf8(data).map_err(|_| SaslError::Malformed {
                    mechanism: "LOGIN",
                    reason: "invalid UTF-8",
                })?;
                match self.username.take() {
                    None => {
                        self.username = Some(value);
                        return Ok(ServerStep::Challenge(login::PASSWORD_CHALLENGE.to_vec()));
                    }
                    Some(username) => Ok(ServerStep::Done(Credentials::Login {
                        username,
                        password: value,
                    })),
                }
            }
        };
        self.done = true;
        result
    }
}

#[derive(Clone, PartialEq, Eq)]
enum ClientKind {
    /// One message, sent as the initial response or after an empty challenge.
    Single(Vec<u8>),
    Login {
        user: String,
        password: String,
    },
}

/// Client side of PLAIN, LOGIN, XOAUTH2 and OAUTHBEARER.
///
/// ```
/// use mail_wire::sasl::ClientExchange;
///
/// let mut ex = ClientExchange::plain(None, "tim", "tanstaaf").unwrap();
/// assert_eq!(ex.initial_response().unwrap(), b"\0tim\0tanstaaf");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ClientExchange {
    mechanism: Mechanism<'static>,
    kind: ClientKind,
    sent: usize,
}

impl std::fmt::Debug for ClientExchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientExchange")
            .field("mechanism", &self.mechanism)
            .field("sent", &self.sent)
            .finish_non_exhaustive()
    }
}

impl ClientExchange {
    /// PLAIN with an optional authorization identity.
    pub fn plain(authzid: Option<&str>, user: &str, password: &str) -> Result<Self, SaslError> {
        Ok(ClientExchange {
            mechanism: Mechanism::Plain,
            kind: ClientKind::Single(plain::encode(authzid, user, password)?),
            sent: 0,
        })
    }

    /// LOGIN: answers the first challenge with the user, the second with the
    /// password.
    #[must_use]
    pub fn login(user: &str, password: &str) -> Self {
        ClientExchange {
            mechanism: Mechanism::Login,
            kind: ClientKind::Login {
                user: user.to_owned(),
                password: password.to_owned(),
            },
            sent: 0,
        }
    }

    /// XOAUTH2 with a bearer token.
    pub fn xoauth2(user: &str, token: &str) -> Result<Self, SaslError> {
        Ok(ClientExchange {
            mechanism: Mechanism::XOAuth2,
            kind: ClientKind::Single(xoauth2::encode(user, token)?),
            sent: 0,
        })
    }

    /// OAUTHBEARER (RFC 7628) with a bearer token.
    pub fn oauthbearer(
        authzid: Option<&str>,
        host: Option<&str>,
        port: Option<u16>,
        token: &str,
    ) -> Result<Self, SaslError> {
        Ok(ClientExchange {
            mechanism: Mechanism::OAuthBearer,
            kind: ClientKind::Single(oauthbearer::encode(authzid, host, port, token)?),
            sent: 0,
        })
    }

    /// The mechanism to name in the `AUTH` command.
    #[must_use]
    pub fn mechanism(&self) -> &Mechanism<'static> {
        &self.mechanism
    }

    /// The initial response to send with the `AUTH` command, if the
    /// mechanism has one (LOGIN has none). Taking it counts as sending it.
    pub fn initial_response(&mut self) -> Option<Vec<u8>> {
        match &self.kind {
            ClientKind::Single(msg) if self.sent == 0 => {
                self.sent = 1;
                Some(msg.clone())
            }
            _ => None,
        }
    }

    /// The answer to a server challenge (decoded bytes in, decoded bytes out).
    pub fn respond(&mut self, _challenge: &[u8]) -> Result<Vec<u8>, SaslError> {
        self.sent += 1;
        match (&self.kind, self.sent) {
            // The server asked for the message with an empty challenge.
            (ClientKind::Single(msg), 1) => Ok(msg.clone()),
            // A challenge after the message carries an error report
            // (XOAUTH2: JSON; RFC 7628 section 3.2.3); the client must answer
            // with an empty response (XOAUTH2) or a single ^A (OAUTHBEARER)
            // to receive the final failure reply.
            (ClientKind::Single(_), 2) if self.mechanism == Mechanism::OAuthBearer => Ok(vec![1]),
            (ClientKind::Single(_), 2) => Ok(Vec::new()),
            (ClientKind::Login { user, .. }, 1) => Ok(user.as_bytes().to_vec()),
            (ClientKind::Login { password, .. }, 2) => Ok(password.as_bytes().to_vec()),
            _ => Err(SaslError::UnexpectedStep),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(mut client: ClientExchange, use_ir: bool) -> Result<Credentials, SaslError> {
        let mut server = ServerExchange::new(client.mechanism()).unwrap();
        let ir = if use_ir {
            client.initial_response()
        } else {
            None
        };
        let mut step = server.start(ir)?;
        for _ in 0..4 {
            match step {
                ServerStep::Done(c) => return Ok(c),
                ServerStep::Challenge(ch) => {
                    step = server.respond(Response::Data(client.respond(&ch)?))?;
                }
            }
        }
        Err(SaslError::UnexpectedStep)
    }

    #[test]
    fn every_builtin_mechanism_completes_with_and_without_initial_response() {
        for ir in [true, false] {
            let c = run(
                ClientExchange::plain(Some("admin"), "tim", "pw").unwrap(),
                ir,
            )
            .unwrap();
            assert_eq!((c.identity(), c.secret()), (Some("tim"), "pw"));
            let c = run(ClientExchange::login("tim", "pw"), ir).unwrap();
            assert_eq!((c.identity(), c.secret()), (Some("tim"), "pw"));
            let c = run(ClientExchange::xoauth2("tim@x", "tok").unwrap(), ir).unwrap();
            assert_eq!((c.identity(), c.secret()), (Some("tim@x"), "tok"));
            let c = run(
                ClientExchange::oauthbearer(Some("tim@x"), Some("h"), Some(25), "tok").unwrap(),
                ir,
            )
            .unwrap();
            assert_eq!((c.identity(), c.secret()), (Some("tim@x"), "tok"));
        }
    }

    #[test]
    fn cancel_and_misuse_are_errors() {
        let mut s = ServerExchange::new(&Mechanism::Plain).unwrap();
        assert_eq!(s.respond(Response::Cancel), Err(SaslError::UnexpectedStep));
        s.start(None).unwrap();
        assert_eq!(s.respond(Response::Cancel), Err(SaslError::Cancelled));
        assert_eq!(
            s.respond(Response::Data(vec![])),
            Err(SaslError::UnexpectedStep)
        );
        assert!(ServerExchange::new(&Mechanism::new("CRAM-MD5").unwrap()).is_none());
        let mut c = ClientExchange::login("a", "b");
        c.respond(b"").unwrap();
        c.respond(b"").unwrap();
        assert_eq!(c.respond(b""), Err(SaslError::UnexpectedStep));
        assert!(!format!("{:?}", ClientExchange::login("a", "hunter2")).contains("hunter2"));
    }
}
