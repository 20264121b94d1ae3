//! POP3 `Command::parse` and `parse_command` on arbitrary bytes.
//!
//! Checks:
//! - no panic;
//! - what parses encodes to one CRLF-terminated line with no other CR, LF
//!   or NUL (no injection through the encoder), which parses back to an
//!   equal command and encodes to the same bytes again;
//! - `encoded_len` is the length of the encoding; `into_owned` keeps the value;
//! - `parse_command` (which finds the CRLF and applies the line limits)
//!   agrees with `Command::parse` on what it consumes, and consumes at most
//!   the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mail_wire::Status;
use pop3_proto::parse::parse_command;
use pop3_proto::{Command, Limits};

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    match parse_command(data, &limits) {
        Ok(Status::Complete(cmd, n)) => {
            assert!(n >= 2 && n <= data.len());
            assert_eq!(&data[n - 2..n], b"\r\n");
            assert_eq!(Command::parse(&data[..n - 2]).as_ref(), Ok(&cmd));
        }
        Ok(Status::Incomplete) => assert!(!data.contains(&b'\n')),
        Err(e) => assert!(e.consumed <= data.len()),
    }

    let Ok(cmd) = Command::parse(data) else { return };
    let wire = cmd.to_vec();
    assert_eq!(wire.len(), cmd.encoded_len());
    assert!(wire.ends_with(b"\r\n"), "{wire:?}");
    let line = &wire[..wire.len() - 2];
    assert!(
        !line.iter().any(|&b| b == b'\r' || b == b'\n' || b == 0),
        "encoder wrote a line break or NUL: {wire:?}"
    );
    let again = Command::parse(line)
        .unwrap_or_else(|e| panic!("{cmd:?} encoded as {line:?} does not parse: {e}"));
    assert_eq!(again, cmd, "round trip through {line:?}");
    assert_eq!(again.to_vec(), wire);
    assert_eq!(cmd.clone().into_owned(), cmd);
});
