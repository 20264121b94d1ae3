//! The IMAP value parsers (`imap_proto::parse::values`) on arbitrary bytes.
//!
//! The first input byte picks the options (UTF8=ACCEPT for parsing and
//! encoding, LITERAL+ and LITERAL- for encoding); the rest is the input.
//! Checks: no panic; a parser never claims more bytes than it was given;
//! whatever parses encodes (in the smallest form the encoder picks) to
//! bytes that parse back to an equal value (for literals: equal data),
//! consuming all of them.
#![no_main]

use imap_proto::parse::values::{
    parse_astring, parse_atom, parse_flag, parse_flag_perm, parse_literal, parse_literal8,
    parse_mailbox, parse_nstring, parse_quoted, parse_sequence_set, parse_string, parse_tag,
};
use imap_proto::{Encode, EncodeOptions, Encoder, ParseOptions};
use libfuzzer_sys::fuzz_target;

fn encoded<T: Encode>(v: &T, opts: EncodeOptions) -> Vec<u8> {
    let mut e = Encoder::new(opts);
    v.encode(&mut e);
    e.to_bytes()
}

macro_rules! roundtrip {
    ($input:expr, $enc:expr, $parse:expr) => {
        roundtrip!($input, $enc, $parse, |v| v)
    };
    // `$key` picks what must survive: a literal's mode is the encoder's
    // choice (a non-synchronising literal becomes synchronising when the
    // peer offered neither LITERAL+ nor LITERAL-), its data is not.
    ($input:expr, $enc:expr, $parse:expr, $key:expr) => {
        if let Ok((v, n)) = $parse($input) {
            assert!(n <= $input.len());
            let wire = encoded(&v, $enc);
            match $parse(&wire[..]) {
                Ok((again, m)) => {
                    assert_eq!($key(&again), $key(&v), "round trip through {wire:?}");
                    assert_eq!(m, wire.len(), "{wire:?} not consumed whole");
                }
                Err(e) => panic!("{v:?} encoded as {wire:?} does not parse: {e:?}"),
            }
        }
    };
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, input)) = data.split_first() else {
        return;
    };
    let popts = ParseOptions {
        utf8_accept: sel & 1 == 1,
    };
    let eopts = EncodeOptions {
        utf8_accept: sel & 1 == 1,
        literal_plus: sel & 2 == 2,
        literal_minus: sel & 4 == 4,
    };
    roundtrip!(input, eopts, parse_atom);
    roundtrip!(input, eopts, parse_tag);
    roundtrip!(input, eopts, |b| parse_quoted(b, popts));
    roundtrip!(input, eopts, parse_literal, |l: &imap_proto::types::Literal<'_>| l.data().to_vec());
    roundtrip!(input, eopts, parse_literal8, |l: &imap_proto::types::Literal8<'_>| l.data().to_vec());
    roundtrip!(input, eopts, |b| parse_string(b, popts));
    roundtrip!(input, eopts, |b| parse_astring(b, popts));
    roundtrip!(input, eopts, |b| parse_nstring(b, popts));
    roundtrip!(input, eopts, |b| parse_mailbox(b, popts));
    roundtrip!(input, eopts, parse_flag);
    roundtrip!(input, eopts, parse_flag_perm);
    roundtrip!(input, eopts, parse_sequence_set);
});
