//! IMAP command parsing (`imap_proto::Command::parse_with`) on arbitrary
//! messages.
//!
//! The first input byte picks the options (bit 0: UTF8=ACCEPT for parsing
//! and encoding; bit 1: LITERAL+; bit 2: LITERAL-; bit 3: tiny limits);
//! the rest is one framed message. Checks: no panic; what parses encodes
//! to fragments whose lines end in a literal header exactly when literal
//! data follows; the encoding parses back to an equal command (equal up
//! to literal modes without LITERAL+) and re-encodes to the same bytes;
//! `into_owned` is equal; the streamed-APPEND parsers do not panic.
#![no_main]

use imap_proto::parse::command::{parse_append_head_with, parse_append_rest};
use imap_proto::parse::values::ParseOptions;
use imap_proto::{
    Command, CommandLimits, CommandOptions, Encode, EncodeOptions, Encoder, Fragment,
};
use libfuzzer_sys::fuzz_target;

/// Whether `l` ends with `{digits}` or `{digits+}` and CRLF.
fn ends_in_literal_header(l: &[u8]) -> bool {
    let Some(l) = l.strip_suffix(b"}\r\n") else {
        return false;
    };
    let l = l.strip_suffix(b"+").unwrap_or(l);
    let digits = l.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    digits > 0 && l.len() > digits && l[l.len() - digits - 1] == b'{'
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, input)) = data.split_first() else {
        return;
    };
    let popts = CommandOptions {
        values: ParseOptions {
            utf8_accept: sel & 1 == 1,
        },
        limits: if sel & 8 == 8 {
            CommandLimits {
                max_search_depth: 3,
                max_list_items: 4,
            }
        } else {
            CommandLimits::default()
        },
    };
    let eopts = EncodeOptions {
        utf8_accept: sel & 1 == 1,
        literal_plus: sel & 2 == 2,
        literal_minus: sel & 4 == 4,
    };
    let _ = parse_append_head_with(input, popts);
    if let Ok(tag) = imap_proto::types::Tag::new("t") {
        let _ = parse_append_rest(input, &tag, popts);
    }
    let Ok(cmd) = Command::parse_with(input, popts) else {
        return;
    };
    assert_eq!(cmd.clone().into_owned(), cmd);
    let mut e = Encoder::new(eopts);
    cmd.encode(&mut e);
    let wire = e.to_bytes();
    let frags = e.finish();
    for (i, f) in frags.iter().enumerate() {
        if let Fragment::Line(l) = f {
            let literal_next = matches!(frags.get(i + 1), Some(Fragment::Literal { .. }));
            assert_eq!(ends_in_literal_header(l), literal_next, "{l:?}");
            if i + 1 == frags.len() {
                assert!(l.ends_with(b"\r\n"));
            }
        }
    }
    let back = Command::parse_with(&wire, CommandOptions {
            values: popts.values,
            ..CommandOptions::default()
        })
        .unwrap_or_else(|e| panic!("{cmd:?} encoded as {wire:?} does not parse: {e}"));
    if eopts.literal_plus {
        assert_eq!(back, cmd, "{wire:?}");
    }
    let mut e2 = Encoder::new(eopts);
    back.encode(&mut e2);
    assert_eq!(e2.to_bytes(), wire);
});
