//! `Command::parse` on arbitrary bytes.
//!
//! Checks, under both the strict default options and the lenient ones:
//! - no panic;
//! - what parses encodes to exactly one CRLF-terminated line with no other
//!   CR, LF or NUL (no CRLF injection through the encoder), and that line
//!   parses back (strictly) to an equal command, which encodes to the same
//!   bytes again (the encoding is canonical);
//! - `Display` writes the same line as `encode`, without the CRLF;
//! - `into_owned` keeps the value;
//! - `parse_command_with` (the CRLF-finding entry point) agrees with
//!   `Command::parse_with` on `line + CRLF`, and on the raw input any
//!   complete command it returns is `Command::parse_with` of the line it
//!   consumed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mail_wire::Status;
use smtp_proto::{Command, CommandOptions, parse_command_with};

fn check(data: &[u8], opts: &CommandOptions) {
    let parsed = Command::parse_with(data, opts);

    // The CRLF-finding entry agrees on `data CRLF` (when `data` has no LF
    // of its own, which would end the line earlier).
    if !data.contains(&b'\n') {
        let mut framed = data.to_vec();
        framed.extend_from_slice(b"\r\n");
        match (&parsed, parse_command_with(&framed, opts)) {
            (Ok(a), Ok(Status::Complete(b, n))) => {
                assert_eq!(a, &b);
                assert_eq!(n, framed.len());
            }
            (Err(_), Err(_)) => {}
            (a, b) => panic!("Command::parse_with {a:?} but parse_command_with {b:?}"),
        }
    }

    // On the raw bytes, whatever completes is the parse of its line.
    if let Ok(Status::Complete(cmd, n)) = parse_command_with(data, opts) {
        assert!(n >= 2 && n <= data.len());
        assert_eq!(&data[n - 2..n], b"\r\n");
        assert_eq!(Command::parse_with(&data[..n - 2], opts).as_ref(), Ok(&cmd));
    }

    let Ok(cmd) = parsed else { return };
    let mut wire = Vec::new();
    cmd.encode(&mut wire);
    assert!(wire.ends_with(b"\r\n"), "{wire:?}");
    let line = &wire[..wire.len() - 2];
    assert!(
        !line.iter().any(|&b| b == b'\r' || b == b'\n' || b == 0),
        "encoder wrote a line break or NUL: {wire:?}"
    );
    assert_eq!(cmd.to_string().as_bytes(), line);

    // The canonical form parses strictly (it may be a little longer than a
    // lenient input, e.g. when brackets were added, so lift the length limit).
    let strict = CommandOptions {
        max_line_len: usize::MAX,
        ..CommandOptions::default()
    };
    let again = Command::parse_with(line, &strict)
        .unwrap_or_else(|e| panic!("{cmd:?} encoded as {line:?} does not parse: {e}"));
    assert_eq!(again, cmd, "round trip through {line:?}");
    let mut wire2 = Vec::new();
    again.encode(&mut wire2);
    assert_eq!(wire2, wire);
    assert_eq!(cmd.clone().into_owned(), cmd);
}

fuzz_target!(|data: &[u8]| {
    check(data, &CommandOptions::default());
    check(data, &CommandOptions::lenient());
    // A small line limit exercises the limit paths on short inputs.
    check(
        data,
        &CommandOptions {
            max_line_len: 24,
            max_parameters: 2,
            ..CommandOptions::lenient()
        },
    );
});
