//! Round trip of typed IMAP values (`imap_proto` feature `arbitrary`):
//! an arbitrary `Command` or `Response` is encoded, framed, parsed back and
//! compared with the original.
//!
//! Input: one byte picks command (even) or response (odd) and the encoder
//! options (bit 1: UTF8=ACCEPT, bit 2: LITERAL+, bit 3: LITERAL-; responses
//! ignore the last two, servers never send `{n+}`); the rest builds the
//! value through `arbitrary::Arbitrary`.
//!
//! Commands go the way a server receives them: the encoder's fragments
//! are fed to a server-side `Framer` one by one, and each synchronising
//! literal must be announced by `NeedContinuation` before its data is sent
//! (a non-synchronising one must not be); the single message the framer
//! yields must be the whole encoding, and `Command::parse_with` of it must
//! equal the command. Responses go through a client-side `Framer` fed at
//! once, then `Response::parse_with`.
//!
//! Checks: every line fragment but the last ends in a literal header
//! exactly when literal data follows; the framer agrees; the parsed value
//! equals the original after the one normalisation the encoder documents
//! (a literal's mode becomes the mode the encoder may write for these
//! options: `{n+}` only with LITERAL+, or LITERAL- up to 4096 octets, and
//! never from a server); re-encoding the parsed value gives the same
//! bytes; `into_owned` keeps the value. A parse that fails only on a
//! parser limit (list length, nesting depth) is not a finding.
//!
//! The `Arbitrary` impls build values in the form the parser returns (see
//! `crates/imap-proto/src/types/arbitrary.rs` for the list), so no other
//! normalisation is needed.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use imap_proto::parse::framer::{FrameEvent, Framer, FramerLimits, Side};
use imap_proto::parse::values::ParseOptions;
use imap_proto::types::command::{AppendData, AppendMessage, RawArgs};
use imap_proto::types::fetch::BinaryData;
use imap_proto::types::{Data, FetchItem, Literal, Literal8, Response};
use imap_proto::{
    Command, CommandBody, CommandErrorKind, CommandOptions, Encode, EncodeOptions, Encoder,
    Fragment, ResponseError, ResponseOptions,
};
use libfuzzer_sys::fuzz_target;

/// Whether `l` ends with `{digits}` or `{digits+}` (after an optional `~`)
/// and CRLF.
fn ends_in_literal_header(l: &[u8]) -> bool {
    let Some(l) = l.strip_suffix(b"}\r\n") else {
        return false;
    };
    let l = l.strip_suffix(b"+").unwrap_or(l);
    let digits = l.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    digits > 0 && l.len() > digits && l[l.len() - digits - 1] == b'{'
}

/// Checks the fragment structure and returns the flat encoding.
fn check_fragments(frags: &[Fragment]) -> Vec<u8> {
    let mut wire = Vec::new();
    for (i, f) in frags.iter().enumerate() {
        if let Fragment::Line(l) = f {
            let literal_next = matches!(frags.get(i + 1), Some(Fragment::Literal { .. }));
            assert_eq!(ends_in_literal_header(l), literal_next, "line {l:?}");
            if i + 1 == frags.len() {
                assert!(l.ends_with(b"\r\n"), "last line {l:?}");
            }
        }
        wire.extend_from_slice(f.bytes());
    }
    wire
}

/// `raw` as the encoder writes it for `o` (literal modes it may not keep
/// become `{n}`).
fn raw_as_written(raw: RawArgs<'_>, o: &EncodeOptions) -> RawArgs<'static> {
    let mut e = Encoder::new(*o);
    raw.encode(&mut e);
    RawArgs::new(e.to_bytes()).expect("encoded raw text is valid raw text")
}

fn opt_raw(r: Option<RawArgs<'_>>, o: &EncodeOptions) -> Option<RawArgs<'static>> {
    r.map(|r| raw_as_written(r, o))
}

/// The command as it reads back after encoding with `o`: literal modes
/// the encoder may not keep become synchronising.
fn as_written(cmd: &Command<'_>, o: &EncodeOptions) -> Command<'static> {
    use CommandBody as C;
    let body = match cmd.body.clone().into_owned() {
        C::Append { mailbox, messages } => C::Append {
            mailbox,
            messages: messages.map(|m| AppendMessage {
                data: match m.data {
                    AppendData::Literal(l) => {
                        let mode = o.literal_mode(l.data().len(), l.mode());
                        AppendData::Literal(Literal::new(l.data().to_vec(), mode).unwrap())
                    }
                    AppendData::Literal8(l) => {
                        let mode = o.literal_mode(l.data().len(), l.mode());
                        AppendData::Literal8(Literal8::new(l.data().to_vec(), mode))
                    }
                },
                ..m
            }),
        },
        C::Select { mailbox, params } => C::Select {
            mailbox,
            params: opt_raw(params, o),
        },
        C::Examine { mailbox, params } => C::Examine {
            mailbox,
            params: opt_raw(params, o),
        },
        C::Create { mailbox, params } => C::Create {
            mailbox,
            params: opt_raw(params, o),
        },
        C::Fetch {
            uid,
            set,
            items,
            modifiers,
        } => C::Fetch {
            uid,
            set,
            items,
            modifiers: opt_raw(modifiers, o),
        },
        C::Store {
            uid,
            set,
            modifiers,
            action,
            silent,
            flags,
        } => C::Store {
            uid,
            set,
            modifiers: opt_raw(modifiers, o),
            action,
            silent,
            flags,
        },
        C::Other { name, args } => C::Other {
            name,
            args: opt_raw(args, o),
        },
        other => other,
    };
    Command {
        tag: cmd.tag.clone().into_owned(),
        body,
    }
}

fn command(u: &mut Unstructured<'_>, o: EncodeOptions) {
    let Ok(cmd) = Command::arbitrary(u) else {
        return;
    };
    let mut e = Encoder::new(o);
    cmd.encode(&mut e);
    let frags = e.finish();
    let wire = check_fragments(&frags);

    // Frame it as a server does.
    let mut limits = FramerLimits::server();
    if o.literal_plus {
        limits.max_nonsync_literal_len = limits.max_literal_len;
    }
    let mut framer = Framer::new(limits, Side::Server);
    let mut messages = Vec::new();
    let drain = |framer: &mut Framer, messages: &mut Vec<bytes::Bytes>| {
        while let Some(ev) = framer.next_event() {
            match ev {
                Ok(FrameEvent::Message(m)) => messages.push(m),
                other => panic!("{cmd:?} as {wire:?}: unexpected framer event {other:?}"),
            }
        }
    };
    for f in &frags {
        match f {
            Fragment::Line(l) => {
                framer.feed(l);
            }
            Fragment::Literal { data, mode } => {
                let sync = *mode == imap_proto::types::LiteralMode::Sync;
                if sync {
                    match framer.next_event() {
                        Some(Ok(FrameEvent::NeedContinuation { literal, .. })) => {
                            assert_eq!(literal.size, data.len() as u64);
                            assert!(literal.synchronizing);
                            framer.accept_literal().unwrap();
                        }
                        other => panic!(
                            "{cmd:?} as {wire:?}: synchronising literal without NeedContinuation: {other:?}"
                        ),
                    }
                }
                drain(&mut framer, &mut messages);
                framer.feed(data);
            }
        }
    }
    drain(&mut framer, &mut messages);
    assert_eq!(framer.buffered(), 0, "{cmd:?} as {wire:?}: bytes left in the framer");
    assert_eq!(messages.len(), 1, "{cmd:?} as {wire:?}: {messages:?}");
    assert_eq!(&messages[0][..], &wire[..]);

    let popts = CommandOptions {
        values: ParseOptions {
            utf8_accept: o.utf8_accept,
        },
        ..CommandOptions::default()
    };
    let back = match Command::parse_with(&messages[0], popts) {
        Ok(c) => c,
        Err(err) if matches!(err.kind, CommandErrorKind::Limit(_)) => return,
        Err(err) => panic!(
            "{cmd:?}\nencoded as {:?}\ndoes not parse: {err}",
            String::from_utf8_lossy(&wire)
        ),
    };
    let expected = as_written(&cmd, &o);
    assert_eq!(
        back,
        expected,
        "encoded as {:?}",
        String::from_utf8_lossy(&wire)
    );
    assert_eq!(back.clone().into_owned(), back);
    let mut e2 = Encoder::new(o);
    back.encode(&mut e2);
    assert_eq!(e2.to_bytes(), wire, "second encoding differs");
}

/// The response as it reads back: a server writes every literal
/// synchronising.
fn response_as_written(r: &Response<'_>) -> Response<'static> {
    match r.clone().into_owned() {
        Response::Data(Data::Fetch { seq, items }) => Response::Data(Data::Fetch {
            seq,
            items: items.map(|i| match i {
                FetchItem::Binary {
                    part,
                    origin,
                    data: BinaryData::Literal8(l),
                } => FetchItem::Binary {
                    part,
                    origin,
                    data: BinaryData::Literal8(Literal8::new(
                        l.data().to_vec(),
                        imap_proto::types::LiteralMode::Sync,
                    )),
                },
                other => other,
            }),
        }),
        other => other,
    }
}

fn response(u: &mut Unstructured<'_>, utf8_accept: bool) {
    let Ok(r) = Response::arbitrary(u) else {
        return;
    };
    let o = EncodeOptions {
        utf8_accept,
        ..EncodeOptions::default()
    };
    let mut e = Encoder::new(o);
    r.encode(&mut e);
    let frags = e.finish();
    let wire = check_fragments(&frags);

    let mut framer = Framer::new(FramerLimits::client(), Side::Client);
    framer.feed(&wire);
    let msg = match framer.next_event() {
        Some(Ok(FrameEvent::Message(m))) => m,
        other => panic!("{r:?} as {wire:?}: framer gave {other:?}"),
    };
    assert_eq!(&msg[..], &wire[..]);
    assert!(framer.next_event().is_none());

    let popts = ResponseOptions {
        utf8_accept,
        ..ResponseOptions::default()
    };
    let back = match Response::parse_with(&msg, popts) {
        Ok(b) => b,
        Err(ResponseError::Limit(_)) => return,
        Err(err) => panic!(
            "{r:?}\nencoded as {:?}\ndoes not parse: {err}",
            String::from_utf8_lossy(&wire)
        ),
    };
    assert_eq!(
        back,
        response_as_written(&r),
        "encoded as {:?}",
        String::from_utf8_lossy(&wire)
    );
    assert_eq!(back.clone().into_owned(), back);
    let mut e2 = Encoder::new(o);
    back.encode(&mut e2);
    assert_eq!(e2.to_bytes(), wire, "second encoding differs");
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(sel) = u8::arbitrary(&mut u) else {
        return;
    };
    let o = EncodeOptions {
        utf8_accept: sel & 2 != 0,
        literal_plus: sel & 4 != 0,
        literal_minus: sel & 8 != 0,
    };
    if sel & 1 == 0 {
        command(&mut u, o);
    } else {
        response(&mut u, o.utf8_accept);
    }
});
