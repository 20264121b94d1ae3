//! SASL framing and mechanisms (`mail_wire::sasl`).
//!
//! Input: a selector byte, then the bytes.
//!
//! Checks:
//! - the base64 framing (`decode_response`, `decode_initial_response`,
//!   `decode_challenge`) never panics, respects the size limit, and what it
//!   decodes encodes back to text that decodes to the same bytes;
//! - the PLAIN, XOAUTH2 and OAUTHBEARER decoders never panic on arbitrary
//!   bytes, and credentials they accept encode back (with the client-side
//!   encoders) to a message that decodes to equal credentials;
//! - the server exchange driver, fed the bytes as a sequence of responses,
//!   never panics and ends within a bounded number of steps.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mail_wire::sasl::{
    Credentials, Mechanism, Response, SaslLimits, ServerExchange, ServerStep,
    decode_challenge, decode_initial_response, decode_response, encode_base64,
    encode_initial_response, oauthbearer, plain, xoauth2,
};

fn reencode(c: &Credentials) -> Option<Vec<u8>> {
    match c {
        Credentials::Plain { authzid, authcid, password } => {
            plain::encode(authzid.as_deref(), authcid, password).ok()
        }
        Credentials::XOAuth2 { user, token } => xoauth2::encode(user, token).ok(),
        Credentials::OAuthBearer { authzid, host, port, token } => {
            oauthbearer::encode(authzid.as_deref(), host.as_deref(), *port, token).ok()
        }
        Credentials::Login { .. } => None,
    }
}

fuzz_target!(|input: &[u8]| {
    let Some((&sel, data)) = input.split_first() else { return };
    let limits = SaslLimits { max_encoded_len: 64 + usize::from(sel) * 4 };
    match sel % 4 {
        0 => {
            for r in [
                decode_response(data, &limits).map(|r| match r {
                    Response::Data(d) => Some(d),
                    Response::Cancel => None,
                }),
                decode_initial_response(data, &limits).map(Some),
                decode_challenge(data, &limits).map(Some),
            ] {
                if let Ok(Some(bytes)) = r {
                    assert!(data.len() <= limits.max_encoded_len);
                    let mut text = Vec::new();
                    encode_initial_response(&bytes, &mut text);
                    assert_eq!(decode_initial_response(&text, &SaslLimits { max_encoded_len: usize::MAX }).unwrap(), bytes);
                    let mut text = Vec::new();
                    encode_base64(&bytes, &mut text);
                    assert_eq!(decode_challenge(&text, &SaslLimits { max_encoded_len: usize::MAX }).unwrap(), bytes);
                }
            }
        }
        1 | 2 => {
            let decoders: [fn(&[u8]) -> _; 3] = [plain::decode, xoauth2::decode, oauthbearer::decode];
            for decode in decoders {
                if let Ok(c) = decode(data) {
                    if let Some(msg) = reencode(&c) {
                        assert_eq!(decode(&msg).unwrap(), c, "re-encoded credentials differ");
                    }
                }
            }
        }
        _ => {
            let mechs = [Mechanism::Plain, Mechanism::Login, Mechanism::XOAuth2, Mechanism::OAuthBearer];
            let Some(mech) = mechs.get(usize::from(sel / 4) % mechs.len()) else { return };
            let Some(mut ex) = ServerExchange::new(mech) else { return };
            let mut parts = data.split(|&b| b == 0xff);
            let initial = if sel & 0x80 != 0 { parts.next().map(<[u8]>::to_vec) } else { None };
            let mut step = ex.start(initial);
            let mut steps = 0;
            while let Ok(ServerStep::Challenge(_)) = step {
                steps += 1;
                assert!(steps <= 3, "the exchange never ends");
                let Some(p) = parts.next() else { return };
                let r = if p == b"*" { Response::Cancel } else { Response::Data(p.to_vec()) };
                step = ex.respond(r);
            }
        }
    }
});
