//! SASL exchange framing (RFC 4422) as SMTP (RFC 4954), POP3 (RFC 5034) and
//! IMAP (RFC 3501 section 6.2.2) carry it: base64 challenges and responses,
//! the `=` empty initial response, `*` cancellation, and a size limit; plus
//! the PLAIN, LOGIN, XOAUTH2 and OAUTHBEARER mechanisms on both sides.
//! Other mechanisms pass through the sessions as raw exchanges, so an
//! application (or a SASL crate) can run them.

pub mod exchange;
pub mod framing;
pub mod mechanism;
pub mod mechanisms;

pub use exchange::{ClientExchange, ServerExchange, ServerStep};
pub use framing::{
    Response, SaslError, SaslLimits, decode_challenge, decode_initial_response, decode_response,
    encode_base64, encode_initial_response, encoded_len,
};
pub use mechanism::{MAX_MECHANISM_LEN, Mechanism, MechanismName};
pub use mechanisms::{Credentials, login, oauthbearer, plain, xoauth2};
