//! Helpers shared by the command test files. Each test crate uses a
//! different subset of them.
#![allow(dead_code)]

use smtp_proto::{
    AddressError, Command, CommandError, ForwardPath, MailParameters, ParamError, RcptParameters,
    ReversePath,
};

pub fn parse(line: &str) -> Command<'_> {
    Command::parse(line.as_bytes()).unwrap_or_else(|e| panic!("{line:?}: {e}"))
}

pub fn encode(cmd: &Command<'_>) -> String {
    let mut out = Vec::new();
    cmd.encode(&mut out);
    String::from_utf8(out).unwrap()
}

/// Parses, checks the canonical encoding is `line` itself, and that it
/// parses back to the same value.
pub fn canonical(line: &str) -> Command<'_> {
    let cmd = parse(line);
    assert_eq!(encode(&cmd), format!("{line}\r\n"));
    assert_eq!(cmd.to_string(), line);
    assert_eq!(Command::parse(line.as_bytes()).unwrap(), cmd);
    cmd
}

pub fn err(line: &str) -> CommandError {
    match Command::parse(line.as_bytes()) {
        Ok(c) => panic!("{line:?} parsed as {c:?}"),
        Err(e) => e,
    }
}

pub fn mail(line: &str) -> (ReversePath<'_>, MailParameters<'_>) {
    match parse(line) {
        Command::Mail { from, params } => (from, params),
        other => panic!("not MAIL: {other:?}"),
    }
}

pub fn rcpt(line: &str) -> (ForwardPath<'_>, RcptParameters<'_>) {
    match parse(line) {
        Command::Rcpt { to, params } => (to, params),
        other => panic!("not RCPT: {other:?}"),
    }
}

pub fn param_err(line: &str) -> ParamError {
    match err(line) {
        CommandError::Parameter(p) => p,
        other => panic!("{line:?}: not a parameter error: {other:?}"),
    }
}

pub fn addr_err(line: &str) -> AddressError {
    match err(line) {
        CommandError::Address(a) => a,
        other => panic!("{line:?}: not an address error: {other:?}"),
    }
}
