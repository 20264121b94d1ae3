//! The `tokio_util::codec` adapters: command decoding, answer encoding,
//! response framing with expectations, chunk-split invariance, STLS
//! hand-over.
#![cfg(feature = "tokio")]
// Test helpers and proptest strategies sit outside `#[test]` functions, where
// clippy.toml's test exemption does not reach; this whole crate is tests.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use bytes::{Bytes, BytesMut};
use mail_wire::dot::DotErrorKind;
use mail_wire::line::LineErrorKind;
use mail_wire::sasl::Mechanism;
use pop3_proto::tokio::{
    ClientCodec, ClientCodecOptions, ClientFrame, ClientItem, CodecError, ServerCodec, ServerFrame,
    ServerItem, TlsUpgradeError,
};
use pop3_proto::{
    Arg, Base64, Capabilities, Capability, Command, ExpirePolicy, Limits, MsgNum, ResponseCode,
    ResponseKind, ScanListing, StatusLine, Text, Uid, UidListing,
};
use proptest::prelude::*;
use std::io::Cursor;
use tokio_util::codec::{Decoder, Encoder, Framed, FramedParts};

fn n(i: u32) -> MsgNum {
    MsgNum::new(i).unwrap()
}

fn ok(t: &str) -> StatusLine<'_> {
    StatusLine::ok(t).unwrap()
}

fn server_all(codec: &mut ServerCodec, buf: &mut BytesMut) -> Vec<ServerFrame> {
    let mut v = Vec::new();
    while let Some(f) = codec.decode(buf).unwrap() {
        v.push(f);
    }
    v
}

fn client_all(codec: &mut ClientCodec, buf: &mut BytesMut) -> Vec<ClientFrame> {
    let mut v = Vec::new();
    while let Some(f) = codec.decode(buf).unwrap() {
        v.push(f);
    }
    v
}

fn encode_all(codec: &mut ServerCodec, items: Vec<ServerItem<'_>>) -> Vec<u8> {
    let mut out = BytesMut::new();
    for item in items {
        codec.encode(item, &mut out).unwrap();
    }
    out.to_vec()
}

// --- server codec: decoding -------------------------------------------------

#[test]
fn pipelined_client_stream_decodes_into_commands() {
    let mut codec = ServerCodec::new();
    // A PIPELINING client (RFC 2449 section 6.6) sends a whole batch at once.
    let mut buf = BytesMut::from(
        &b"USER alice\r\nPASS s3cret with spaces\r\nSTAT\r\nLIST\r\nuidl 2\r\nRETR 1\r\n\
           TOP 2 10\r\nDELE 1\r\nXTND XMIT\r\nRETR 0\r\nNOOP\nQUIT\r\nRSE"[..],
    );
    let frames = server_all(&mut codec, &mut buf);
    let cmds: Vec<_> = frames
        .iter()
        .map(|f| match f {
            ServerFrame::Command(Ok(c)) => Ok(c.clone()),
            ServerFrame::Command(Err(_)) => Err("bad command"),
            ServerFrame::BadLine(_) => Err("bad line"),
            ServerFrame::SaslResponse(_) => Err("sasl"),
        })
        .collect();
    assert_eq!(
        cmds,
        vec![
            Ok(Command::User(Arg::new("alice").unwrap())),
            Ok(Command::Pass(
                pop3_proto::Secret::new(&b"s3cret with spaces"[..]).unwrap()
            )),
            Ok(Command::Stat),
            Ok(Command::List(None)),
            Ok(Command::Uidl(Some(n(2)))),
            Ok(Command::Retr(n(1))),
            Ok(Command::Top {
                msg: n(2),
                lines: 10
            }),
            Ok(Command::Dele(n(1))),
            Ok(Command::unknown(Arg::new("XTND").unwrap(), &b"XMIT"[..]).unwrap()),
            Err("bad command"),
            Err("bad line"),
            Ok(Command::Quit),
        ]
    );
    // The partial last line waits for its end.
    assert_eq!(&buf[..], b"RSE");
    buf.extend_from_slice(b"T\r\n");
    assert_eq!(
        codec.decode(&mut buf).unwrap(),
        Some(ServerFrame::Command(Ok(Command::Rset)))
    );
    assert!(buf.is_empty());
}

#[test]
fn command_stream_is_chunk_split_invariant() {
    let input: &[u8] = b"CAPA\r\nAUTH PLAIN\r\nUSER a\r\nXX\rYY\r\nLIST 3\r\nQUIT\r\n";
    let mut whole = ServerCodec::new();
    let expected = server_all(&mut whole, &mut BytesMut::from(input));
    assert_eq!(expected.len(), 6);
    for cut in 0..=input.len() {
        let mut codec = ServerCodec::new();
        let mut buf = BytesMut::from(&input[..cut]);
        let mut got = server_all(&mut codec, &mut buf);
        buf.extend_from_slice(&input[cut..]);
        got.extend(server_all(&mut codec, &mut buf));
        assert_eq!(got, expected, "cut at {cut}");
    }
}

#[test]
fn long_lines_auth_lines_and_sasl_responses() {
    let limits = Limits::default();
    let mut codec = ServerCodec::new();
    // A 300-octet NOOP is over RFC 2449's 255 octets: one bad line.
    let mut buf = BytesMut::new();
    buf.extend_from_slice(b"NOOP ");
    buf.extend_from_slice(&[b'x'; 293]);
    buf.extend_from_slice(b"\r\n");
    // AUTH with a 1000-octet initial response is allowed (RFC 5034
    // section 4 lets a server accept it).
    let ir = "A".repeat(1000);
    buf.extend_from_slice(format!("AUTH PLAIN {ir}\r\n").as_bytes());
    let frames = server_all(&mut codec, &mut buf);
    assert!(matches!(
        &frames[0],
        ServerFrame::BadLine(e) if matches!(e.kind, LineErrorKind::TooLong { max: 255, len: 300 })
    ));
    assert_eq!(
        frames[1],
        ServerFrame::Command(Ok(Command::Auth {
            mechanism: Mechanism::Plain,
            initial_response: Some(Base64::new(ir.clone()).unwrap()),
        }))
    );

    // Sending a challenge switches the decoder to one SASL response line.
    let mut out = BytesMut::new();
    codec
        .encode(ServerItem::Continue(Base64::new("").unwrap()), &mut out)
        .unwrap();
    assert_eq!(&out[..], b"+ \r\n");
    assert!(!codec.is_idle());
    let mut buf = BytesMut::from(&b"dGVzdA==\r\nCAPA\r\n"[..]);
    assert_eq!(
        codec.decode(&mut buf).unwrap(),
        Some(ServerFrame::SaslResponse(Bytes::from_static(b"dGVzdA==")))
    );
    assert_eq!(
        codec.decode(&mut buf).unwrap(),
        Some(ServerFrame::Command(Ok(Command::Capa)))
    );
    // Set by hand: `*` cancels; it is handed out raw.
    codec.expect_sasl_response();
    let mut buf = BytesMut::from(&b"*\r\nQUIT\r\n"[..]);
    assert_eq!(
        codec.decode(&mut buf).unwrap(),
        Some(ServerFrame::SaslResponse(Bytes::from_static(b"*")))
    );
    assert_eq!(
        codec.decode(&mut buf).unwrap(),
        Some(ServerFrame::Command(Ok(Command::Quit)))
    );
    // A SASL response over the framer's limit is a bad line that ends the
    // SASL mode.
    codec.expect_sasl_response();
    let mut buf = BytesMut::from(vec![b'A'; limits.sasl.max_encoded_len + 100].as_slice());
    buf.extend_from_slice(b"\r\nNOOP\r\n");
    let frames = server_all(&mut codec, &mut buf);
    assert!(matches!(frames[0], ServerFrame::BadLine(_)));
    assert_eq!(frames[1], ServerFrame::Command(Ok(Command::Noop)));
    assert!(codec.is_idle());
}

#[test]
fn bare_lf_is_a_bad_line_unless_allowed() {
    let mut strict = ServerCodec::new();
    let frames = server_all(&mut strict, &mut BytesMut::from(&b"STAT\nQUIT\r\n"[..]));
    assert!(
        matches!(frames[0], ServerFrame::BadLine(e) if matches!(e.kind, LineErrorKind::BareLf { .. }))
    );
    assert_eq!(frames[1], ServerFrame::Command(Ok(Command::Quit)));
    let opts = pop3_proto::tokio::ServerCodecOptions {
        allow_bare_lf: true,
        ..Default::default()
    };
    let mut lenient = ServerCodec::with_options(opts);
    let frames = server_all(&mut lenient, &mut BytesMut::from(&b"STAT\nQUIT\r\n"[..]));
    assert_eq!(
        frames,
        vec![
            ServerFrame::Command(Ok(Command::Stat)),
            ServerFrame::Command(Ok(Command::Quit))
        ]
    );
}

// --- server codec: encoding -------------------------------------------------

#[test]
fn capa_answer_bytes() {
    let mut codec = ServerCodec::new();
    let caps = [
        Capability::Top,
        Capability::User,
        Capability::Sasl(vec![Mechanism::Plain, Mechanism::Login]),
        Capability::RespCodes,
        Capability::Expire {
            policy: ExpirePolicy::Never,
            per_user: false,
        },
        Capability::Pipelining,
        Capability::Uidl,
        Capability::Implementation(Text::try_from("pop3-proto").unwrap()),
    ];
    let mut items = vec![ServerItem::BlockStart(ok("Capability list follows"))];
    items.extend(caps.iter().cloned().map(ServerItem::Capability));
    items.push(ServerItem::End);
    let wire = encode_all(&mut codec, items);
    assert_eq!(
        wire,
        b"+OK Capability list follows\r\nTOP\r\nUSER\r\nSASL PLAIN LOGIN\r\nRESP-CODES\r\n\
          EXPIRE NEVER\r\nPIPELINING\r\nUIDL\r\nIMPLEMENTATION pop3-proto\r\n.\r\n"
    );
    // Same bytes as the block encoder of the crate.
    let mut block = b"+OK Capability list follows\r\n".to_vec();
    Capabilities(caps.to_vec()).encode(&mut block);
    assert_eq!(wire, block);
    assert!(codec.is_idle());
}

#[test]
fn list_and_uidl_answer_bytes() {
    let mut codec = ServerCodec::new();
    let wire = encode_all(
        &mut codec,
        vec![
            ServerItem::BlockStart(ok("2 messages (320 octets)")),
            ServerItem::Scan(ScanListing {
                msg: n(1),
                size: 120,
            }),
            ServerItem::Scan(ScanListing {
                msg: n(2),
                size: 200,
            }),
            ServerItem::End,
            ServerItem::Status(StatusLine::scan(ScanListing {
                msg: n(2),
                size: 200,
            })),
            ServerItem::BlockStart(ok("")),
            ServerItem::Uid(UidListing {
                msg: n(1),
                uid: Uid::new("whqtswO00WBw418f9t5JxYwZ").unwrap(),
            }),
            ServerItem::End,
            ServerItem::BlockStart(ok("languages")),
            ServerItem::Line(Text::try_from(".dotted line").unwrap()),
            ServerItem::Line(Text::try_from("en English").unwrap()),
            ServerItem::End,
        ],
    );
    assert_eq!(
        wire,
        &b"+OK 2 messages (320 octets)\r\n1 120\r\n2 200\r\n.\r\n+OK 2 200\r\n\
           +OK\r\n1 whqtswO00WBw418f9t5JxYwZ\r\n.\r\n\
           +OK languages\r\n..dotted line\r\nen English\r\n.\r\n"[..]
    );
}

#[test]
fn retr_body_is_stuffed_and_terminated() {
    let mut codec = ServerCodec::new();
    let msg = b"Subject: dots\r\n\r\n.\r\n..two\r\n.hidden\r\nlast line";
    // Split the message anywhere, even between CR and LF.
    let mut items = vec![ServerItem::BodyStart(ok("120 octets"))];
    for piece in msg.chunks(3) {
        items.push(ServerItem::BodyChunk(piece));
    }
    items.push(ServerItem::BodyEnd);
    items.push(ServerItem::Status(
        StatusLine::err_with_code(ResponseCode::InUse, "locked").unwrap(),
    ));
    let wire = encode_all(&mut codec, items);
    assert_eq!(
        wire,
        &b"+OK 120 octets\r\nSubject: dots\r\n\r\n..\r\n...two\r\n..hidden\r\nlast line\r\n.\r\n\
           -ERR [IN-USE] locked\r\n"[..]
    );
}

#[test]
fn encoder_refuses_what_would_break_the_stream() {
    let mut codec = ServerCodec::new();
    let mut out = BytesMut::new();
    let scan = ServerItem::Scan(ScanListing { msg: n(1), size: 1 });
    assert!(matches!(
        codec.encode(scan.clone(), &mut out),
        Err(CodecError::Sequence { .. })
    ));
    assert!(matches!(
        codec.encode(
            ServerItem::BodyStart(StatusLine::err("no such message").unwrap()),
            &mut out
        ),
        Err(CodecError::Sequence { .. })
    ));
    codec
        .encode(ServerItem::BlockStart(ok("")), &mut out)
        .unwrap();
    // A status line or a message chunk inside a block would be read as
    // block lines.
    assert!(codec.encode(ServerItem::Status(ok("x")), &mut out).is_err());
    assert!(codec.encode(ServerItem::BodyChunk(b"x"), &mut out).is_err());
    assert!(
        codec
            .encode(ServerItem::Continue(Base64::new("").unwrap()), &mut out)
            .is_err()
    );
    codec.encode(scan, &mut out).unwrap();
    codec.encode(ServerItem::End, &mut out).unwrap();
    assert_eq!(&out[..], b"+OK\r\n1 1\r\n.\r\n");
}

// --- client codec --------------------------------------------------------------

/// Decodes `input` split at `cuts`, queueing `kinds` first; body chunks are
/// joined so that only the content and the frame sequence are compared.
fn client_run(kinds: &[ResponseKind], input: &[u8], cuts: &[usize]) -> Vec<ClientFrame> {
    let mut codec = ClientCodec::new();
    for &k in kinds {
        codec.expect(k);
    }
    let mut buf = BytesMut::new();
    let mut frames = Vec::new();
    let mut at = 0;
    for &cut in cuts.iter().chain([input.len()].iter()) {
        let cut = cut.clamp(at, input.len());
        buf.extend_from_slice(&input[at..cut]);
        at = cut;
        frames.extend(client_all(&mut codec, &mut buf));
    }
    assert!(buf.is_empty());
    assert!(codec.is_idle());
    join_bodies(frames)
}

fn join_bodies(frames: Vec<ClientFrame>) -> Vec<ClientFrame> {
    let mut out: Vec<ClientFrame> = Vec::new();
    for f in frames {
        match (out.last_mut(), f) {
            (Some(ClientFrame::BodyChunk(prev)), ClientFrame::BodyChunk(more)) => {
                let mut joined = prev.to_vec();
                joined.extend_from_slice(&more);
                *prev = Bytes::from(joined);
            }
            (_, ClientFrame::BodyChunk(c)) if c.is_empty() => {}
            (_, f) => out.push(f),
        }
    }
    out
}

const SESSION: &[u8] = b"+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n\
+OK Capability list follows\r\nTOP\r\nSASL PLAIN\r\nPIPELINING\r\n.\r\n\
+OK 120 octets\r\nSubject: dots\r\n\r\n..\r\n...two\r\n..hidden\r\nlast\r\n.\r\n\
-ERR no such message\r\n\
+OK bye\r\n";

fn session_kinds() -> [ResponseKind; 4] {
    // The greeting is queued by `ClientCodec::new`; then CAPA, RETR 1,
    // RETR 9 and QUIT.
    [
        ResponseKind::MultiLine,
        ResponseKind::Body,
        ResponseKind::Body,
        ResponseKind::SingleLine,
    ]
}

fn status(f: &ClientFrame) -> Option<&StatusLine<'static>> {
    match f {
        ClientFrame::Status(s) => Some(s),
        _ => None,
    }
}

#[test]
fn client_decodes_greeting_capa_retr_and_err_without_body() {
    let frames = client_run(&session_kinds(), SESSION, &[]);
    assert_eq!(frames.len(), 11, "{frames:?}");
    let greeting = status(&frames[0]).unwrap();
    assert_eq!(
        greeting.apop_timestamp(),
        Some(&b"<1896.697170952@dbc.mtview.ca.us>"[..])
    );
    assert!(status(&frames[1]).unwrap().is_ok());
    let caps: Vec<Capability<'_>> = frames[2..5]
        .iter()
        .map(|f| match f {
            ClientFrame::Line(l) => Capability::parse(l).unwrap().into_owned(),
            other => panic!("{other:?}"),
        })
        .collect();
    let caps = Capabilities(caps);
    assert!(caps.top() && caps.pipelining());
    assert_eq!(caps.sasl().collect::<Vec<_>>(), [&Mechanism::Plain]);
    assert_eq!(frames[5], ClientFrame::End);
    assert_eq!(status(&frames[6]).unwrap().text.as_bytes(), b"120 octets");
    assert_eq!(
        frames[7],
        ClientFrame::BodyChunk(Bytes::from_static(
            b"Subject: dots\r\n\r\n.\r\n..two\r\n.hidden\r\nlast\r\n"
        ))
    );
    assert_eq!(frames[8], ClientFrame::BodyEnd);
    // -ERR to a RETR: no body follows; the next line is QUIT's answer.
    assert!(!status(&frames[9]).unwrap().is_ok());
    assert_eq!(status(&frames[10]).unwrap().text.as_bytes(), b"bye");
}

#[test]
fn client_frames_are_chunk_split_invariant() {
    let kinds = session_kinds();
    let whole = client_run(&kinds, SESSION, &[]);
    for cut in 0..=SESSION.len() {
        assert_eq!(client_run(&kinds, SESSION, &[cut]), whole, "cut at {cut}");
    }
    // Every byte on its own.
    let cuts: Vec<usize> = (0..SESSION.len()).collect();
    assert_eq!(client_run(&kinds, SESSION, &cuts), whole);
}

#[test]
fn body_end_split_at_every_position() {
    // The end of a message and its stuffed lines, split at every pair of
    // positions: the body and the end are found the same way.
    let input: &[u8] = b"+OK\r\n..a\r\n.\r\r\n..\r\n.\r\n+OK next\r\n";
    let kinds = [ResponseKind::Body, ResponseKind::SingleLine];
    let mut codec = ClientCodec::after_stls(ClientCodecOptions::default());
    for &k in &kinds {
        codec.expect(k);
    }
    let whole = join_bodies(client_all(&mut codec, &mut BytesMut::from(input)));
    assert_eq!(
        whole,
        vec![
            ClientFrame::Status(ok("").into_owned()),
            // ".\r" then a CR: the dot was a stuffing dot and the CR is bare.
            ClientFrame::BodyChunk(Bytes::from_static(b".a\r\n\r")),
            ClientFrame::BadBody(whole_bad_cr(&whole)),
            ClientFrame::BodyChunk(Bytes::from_static(b"\r\n.\r\n")),
            ClientFrame::BodyEnd,
            ClientFrame::Status(ok("next").into_owned()),
        ]
    );
    for a in 0..=input.len() {
        for b in a..=input.len() {
            let mut codec = ClientCodec::after_stls(ClientCodecOptions::default());
            for &k in &kinds {
                codec.expect(k);
            }
            let mut buf = BytesMut::new();
            let mut got = Vec::new();
            for (from, to) in [(0, a), (a, b), (b, input.len())] {
                buf.extend_from_slice(&input[from..to]);
                got.extend(client_all(&mut codec, &mut buf));
            }
            let got = join_bodies(got);
            // The offset of a bare CR depends on the chunk; the kind does not.
            let shape = |v: &[ClientFrame]| -> Vec<ClientFrame> {
                v.iter()
                    .map(|f| match f {
                        ClientFrame::BadBody(e) => {
                            assert_eq!(e.kind, DotErrorKind::BareCr);
                            ClientFrame::BodyEnd
                        }
                        f => f.clone(),
                    })
                    .collect()
            };
            assert_eq!(
                join_bodies(shape(&got)),
                join_bodies(shape(&whole)),
                "{a} {b}"
            );
        }
    }
}

fn whole_bad_cr(frames: &[ClientFrame]) -> mail_wire::dot::DotError {
    frames
        .iter()
        .find_map(|f| match f {
            ClientFrame::BadBody(e) => Some(*e),
            _ => None,
        })
        .unwrap()
}

#[test]
fn body_chunks_share_the_read_buffer() {
    let mut codec = ClientCodec::after_stls(ClientCodecOptions::default());
    codec.expect(ResponseKind::Body);
    let mut buf = BytesMut::from(&b"+OK\r\n"[..]);
    assert!(matches!(
        codec.decode(&mut buf).unwrap(),
        Some(ClientFrame::Status(_))
    ));
    let body = vec![b'x'; 4000];
    buf.extend_from_slice(&body);
    let start = buf.as_ptr() as usize;
    let Some(ClientFrame::BodyChunk(chunk)) = codec.decode(&mut buf).unwrap() else {
        panic!()
    };
    assert_eq!(chunk.len(), 4000);
    assert_eq!(chunk.as_ptr() as usize, start, "no copy");
    buf.extend_from_slice(b"\r\n.\r\n");
    let frames = client_all(&mut codec, &mut buf);
    assert_eq!(
        frames,
        vec![
            ClientFrame::BodyChunk(Bytes::from_static(b"\r\n")),
            ClientFrame::BodyEnd
        ]
    );
}

#[test]
fn encoded_commands_queue_their_expectations() {
    let mut codec = ClientCodec::new();
    let mut wire = BytesMut::new();
    for cmd in [
        Command::Capa,
        Command::List(None),
        Command::List(Some(n(1))),
        Command::Retr(n(1)),
        Command::Quit,
    ] {
        codec.encode(cmd, &mut wire).unwrap();
    }
    assert_eq!(&wire[..], b"CAPA\r\nLIST\r\nLIST 1\r\nRETR 1\r\nQUIT\r\n");
    assert_eq!(codec.pending(), 6);
    let mut input = BytesMut::from(
        &b"+OK hi\r\n+OK\r\nUIDL\r\n.\r\n+OK 1 message\r\n1 5\r\n.\r\n+OK 1 5\r\n\
           +OK\r\nhello\r\n.\r\n+OK bye\r\n"[..],
    );
    let frames = join_bodies(client_all(&mut codec, &mut input));
    let shape: Vec<&str> = frames
        .iter()
        .map(|f| match f {
            ClientFrame::Status(_) => "S",
            ClientFrame::Line(_) => "L",
            ClientFrame::End => ".",
            ClientFrame::BodyChunk(_) => "B",
            ClientFrame::BodyEnd => "E",
            _ => "?",
        })
        .collect();
    assert_eq!(
        shape,
        ["S", "S", "L", ".", "S", "L", ".", "S", "S", "B", "E", "S"]
    );
    assert_eq!(
        frames.iter().find_map(|f| match f {
            ClientFrame::Line(l) if l.starts_with(b"1 ") => Some(ScanListing::parse(l).unwrap()),
            _ => None,
        }),
        Some(ScanListing { msg: n(1), size: 5 })
    );
    assert!(codec.is_idle());
    // An extension verb whose answer is a block.
    let xtnd = Command::unknown(Arg::new("XTND").unwrap(), &b"XLST"[..]).unwrap();
    codec
        .encode(
            ClientItem::CommandExpecting(xtnd, ResponseKind::MultiLine),
            &mut wire,
        )
        .unwrap();
    let frames = client_all(&mut codec, &mut BytesMut::from(&b"+OK\r\nx\r\n.\r\n"[..]));
    assert_eq!(frames.len(), 3);
}

#[test]
fn capa_line_count_is_limited() {
    let limits = Limits {
        max_capabilities: 2,
        ..Limits::default()
    };
    let opts = ClientCodecOptions {
        limits,
        ..ClientCodecOptions::default()
    };
    let mut codec = ClientCodec::after_stls(opts);
    codec.encode(Command::Capa, &mut BytesMut::new()).unwrap();
    let mut input = BytesMut::from(&b"+OK\r\nTOP\r\nUSER\r\nUIDL\r\n.\r\n"[..]);
    let mut seen = 0;
    let err = loop {
        match codec.decode(&mut input) {
            Ok(Some(_)) => seen += 1,
            Ok(None) => panic!("no error"),
            Err(e) => break e,
        }
    };
    assert_eq!(seen, 3);
    assert!(matches!(err, CodecError::Response(_)));
    // The stream is lost: the same error every time.
    assert!(matches!(
        codec.decode(&mut input),
        Err(CodecError::Response(_))
    ));
    // LIST is not limited.
    let mut codec = ClientCodec::after_stls(opts);
    codec
        .encode(Command::List(None), &mut BytesMut::new())
        .unwrap();
    let frames = client_all(
        &mut codec,
        &mut BytesMut::from(&b"+OK\r\n1 1\r\n2 2\r\n3 3\r\n.\r\n"[..]),
    );
    assert_eq!(frames.len(), 5);
}

#[test]
fn bad_block_line_is_skipped_bad_status_line_loses_the_stream() {
    let mut codec = ClientCodec::after_stls(ClientCodecOptions::default());
    codec.expect(ResponseKind::MultiLine);
    codec.expect(ResponseKind::SingleLine);
    let mut input = BytesMut::from(&b"+OK\r\n1 a\nb\r\n2 b\r\n.\r\n+OKAY\r\n"[..]);
    assert!(matches!(
        codec.decode(&mut input).unwrap(),
        Some(ClientFrame::Status(_))
    ));
    assert!(matches!(
        codec.decode(&mut input).unwrap(),
        Some(ClientFrame::BadLine(e)) if matches!(e.kind, LineErrorKind::BareLf { .. })
    ));
    assert_eq!(
        codec.decode(&mut input).unwrap(),
        Some(ClientFrame::Line(Bytes::from_static(b"b")))
    );
    assert_eq!(
        codec.decode(&mut input).unwrap(),
        Some(ClientFrame::Line(Bytes::from_static(b"2 b")))
    );
    assert_eq!(codec.decode(&mut input).unwrap(), Some(ClientFrame::End));
    assert!(matches!(
        codec.decode(&mut input),
        Err(CodecError::Response(_))
    ));
}

#[test]
fn unsolicited_bytes_and_truncated_responses() {
    let mut codec = ClientCodec::after_stls(ClientCodecOptions::default());
    let mut input = BytesMut::from(&b"+OK surprise\r\n"[..]);
    assert!(matches!(
        codec.decode(&mut input),
        Err(CodecError::Unsolicited { len: 14 })
    ));
    assert_eq!(input.len(), 14);
    // Closed in the middle of a message: an error, not a silent end.
    let mut codec = ClientCodec::after_stls(ClientCodecOptions::default());
    codec.expect(ResponseKind::Body);
    let mut input = BytesMut::from(&b"+OK\r\npart of a mess"[..]);
    let frames = client_all(&mut codec, &mut input);
    assert_eq!(frames.len(), 2);
    let err = codec.decode_eof(&mut input).unwrap_err();
    assert!(matches!(err, CodecError::Io(e) if e.kind() == std::io::ErrorKind::UnexpectedEof));
    // A clean close between responses is the end of the stream.
    let mut codec = ClientCodec::new();
    let mut input = BytesMut::from(&b"+OK hi\r\n"[..]);
    assert!(codec.decode_eof(&mut input).unwrap().is_some());
    assert!(codec.decode_eof(&mut input).unwrap().is_none());
}

#[test]
fn sasl_exchange_and_injection_guards() {
    let mut codec = ClientCodec::after_stls(ClientCodecOptions::default());
    let mut wire = BytesMut::new();
    // A SASL response without a challenge would be read as a command.
    assert!(matches!(
        codec.encode(
            ClientItem::SaslResponse(Base64::new("UVVJVA").unwrap()),
            &mut wire
        ),
        Err(CodecError::Sequence { .. })
    ));
    codec
        .encode(
            Command::Auth {
                mechanism: Mechanism::Plain,
                initial_response: None,
            },
            &mut wire,
        )
        .unwrap();
    let mut input = BytesMut::from(&b"+ \r\n"[..]);
    assert_eq!(
        codec.decode(&mut input).unwrap(),
        Some(ClientFrame::Continue(Base64::new("").unwrap()))
    );
    // The server waits for the response: a command would be read as one.
    assert!(codec.encode(Command::Noop, &mut wire).is_err());
    codec
        .encode(
            ClientItem::SaslResponse(Base64::encode(b"\0alice\0pw", false)),
            &mut wire,
        )
        .unwrap();
    assert_eq!(&wire[..], b"AUTH PLAIN\r\nAGFsaWNlAHB3\r\n");
    let mut input = BytesMut::from(&b"+OK logged in\r\n"[..]);
    assert!(matches!(
        codec.decode(&mut input).unwrap(),
        Some(ClientFrame::Status(s)) if s.is_ok()
    ));
    assert!(codec.is_idle());
    // Cancelling.
    codec
        .encode(
            Command::Auth {
                mechanism: Mechanism::Login,
                initial_response: None,
            },
            &mut wire,
        )
        .unwrap();
    client_all(&mut codec, &mut BytesMut::from(&b"+ VXNlcm5hbWU6\r\n"[..]));
    wire.clear();
    codec.encode(ClientItem::SaslCancel, &mut wire).unwrap();
    assert_eq!(&wire[..], b"*\r\n");
    let frames = client_all(&mut codec, &mut BytesMut::from(&b"-ERR cancelled\r\n"[..]));
    assert!(matches!(&frames[..], [ClientFrame::Status(s)] if !s.is_ok()));
    // A command over 255 octets is refused, nothing written.
    wire.clear();
    let long = Command::unknown(Arg::new("XLONG").unwrap(), vec![b'a'; 260]).unwrap();
    assert!(matches!(
        codec.encode(long, &mut wire),
        Err(CodecError::TooLong(_))
    ));
    assert!(wire.is_empty());
    assert!(codec.is_idle());
}

// --- STLS ----------------------------------------------------------------------

fn with_buffers<C>(
    mut parts: FramedParts<Cursor<Vec<u8>>, C>,
    read_buf: &[u8],
    write_buf: &[u8],
) -> Framed<Cursor<Vec<u8>>, C> {
    parts.read_buf = BytesMut::from(read_buf);
    parts.write_buf = BytesMut::from(write_buf);
    Framed::from_parts(parts)
}

/// A `Framed` in the state a real one has after reading `read_buf` and
/// queueing `write_buf` (a `Cursor` stands in for the TCP stream).
fn server_framed(
    codec: ServerCodec,
    read_buf: &[u8],
    write_buf: &[u8],
) -> Framed<Cursor<Vec<u8>>, ServerCodec> {
    let parts = FramedParts::new::<ServerItem<'_>>(Cursor::new(Vec::new()), codec);
    with_buffers(parts, read_buf, write_buf)
}

fn client_framed(
    codec: ClientCodec,
    read_buf: &[u8],
    write_buf: &[u8],
) -> Framed<Cursor<Vec<u8>>, ClientCodec> {
    let parts = FramedParts::new::<Command<'_>>(Cursor::new(Vec::new()), codec);
    with_buffers(parts, read_buf, write_buf)
}

#[test]
fn stls_on_the_server_refuses_buffered_plaintext() {
    // The client sent STLS and, in the same packet, a command (an
    // injection by a man-in-the-middle, or a broken client).
    let mut codec = ServerCodec::new();
    let mut buf = BytesMut::from(&b"STLS\r\nUSER victim\r\n"[..]);
    assert_eq!(
        codec.decode(&mut buf).unwrap(),
        Some(ServerFrame::Command(Ok(Command::Stls)))
    );
    let mut out = BytesMut::new();
    codec
        .encode(ServerItem::Status(ok("Begin TLS negotiation")), &mut out)
        .unwrap();
    assert_eq!(
        ServerCodec::into_tls_io(server_framed(codec, &buf, b"")).unwrap_err(),
        TlsUpgradeError::Unread(13)
    );
    // The +OK was not flushed yet.
    let err = ServerCodec::into_tls_io(server_framed(ServerCodec::new(), b"", &out)).unwrap_err();
    assert_eq!(err, TlsUpgradeError::Unsent(out.len()));
    // A body left open.
    let mut busy = ServerCodec::new();
    busy.encode(ServerItem::BodyStart(ok("")), &mut out)
        .unwrap();
    assert_eq!(
        ServerCodec::into_tls_io(server_framed(busy, b"", b"")).unwrap_err(),
        TlsUpgradeError::Busy
    );
    // Clean: the transport comes out for the handshake.
    let io = ServerCodec::into_tls_io(server_framed(ServerCodec::new(), b"", b"")).unwrap();
    assert!(io.get_ref().is_empty());
}

#[test]
fn stls_on_the_client_refuses_injected_responses() {
    let mut codec = ClientCodec::new();
    let mut wire = BytesMut::new();
    codec.encode(Command::Stls, &mut wire).unwrap();
    let mut input = BytesMut::from(&b"+OK ready\r\n+OK Begin TLS\r\n-ERR injected\r\n"[..]);
    for _ in 0..2 {
        assert!(matches!(
            codec.decode(&mut input).unwrap(),
            Some(ClientFrame::Status(s)) if s.is_ok()
        ));
    }
    assert!(codec.is_idle());
    // Reading on would fail too: nothing is expected after STLS's +OK.
    let mut probe = input.clone();
    assert!(matches!(
        codec.decode(&mut probe),
        Err(CodecError::Unsolicited { len: 15 })
    ));
    assert_eq!(
        ClientCodec::into_tls_io(client_framed(codec, &input, b"")).unwrap_err(),
        TlsUpgradeError::Unread(15)
    );
    // A command pipelined after STLS would have gone out in plaintext.
    let mut codec = ClientCodec::after_stls(ClientCodecOptions::default());
    codec.encode(Command::Stls, &mut wire).unwrap();
    codec.encode(Command::Capa, &mut wire).unwrap();
    client_all(&mut codec, &mut BytesMut::from(&b"+OK Begin TLS\r\n"[..]));
    assert_eq!(
        ClientCodec::into_tls_io(client_framed(codec, b"", b"")).unwrap_err(),
        TlsUpgradeError::Busy
    );
    let fresh = ClientCodec::after_stls(ClientCodecOptions::default());
    assert!(ClientCodec::into_tls_io(client_framed(fresh, b"", b"")).is_ok());
}

// --- properties --------------------------------------------------------------

fn body_strategy() -> impl Strategy<Value = Vec<u8>> {
    // Lines of text, dots and empty lines, CRLF-separated, maybe without a
    // final CRLF.
    let line = prop_oneof![
        Just(b".".to_vec()),
        Just(b"..".to_vec()),
        Just(Vec::new()),
        proptest::collection::vec(prop_oneof![Just(b'.'), Just(b'a'), Just(b' ')], 0..6),
    ];
    (proptest::collection::vec(line, 0..12), any::<bool>()).prop_map(|(lines, end)| {
        let mut v = lines.join(&b"\r\n"[..]);
        if end && !v.is_empty() {
            v.extend_from_slice(b"\r\n");
        }
        v
    })
}

proptest! {
    #[test]
    fn body_round_trips_through_both_codecs(
        body in body_strategy(),
        out_chunk in 1usize..9,
        cuts in proptest::collection::vec(0usize..200, 0..6),
    ) {
        let mut server = ServerCodec::new();
        let mut items = vec![ServerItem::BodyStart(ok("m"))];
        items.extend(body.chunks(out_chunk).map(ServerItem::BodyChunk));
        items.push(ServerItem::BodyEnd);
        let wire = encode_all(&mut server, items);
        let mut cuts = cuts;
        cuts.sort_unstable();
        let frames = client_run(&[ResponseKind::Body], &[b"+OK hi\r\n", &wire[..]].concat(), &cuts);
        let mut expected = body.clone();
        if !expected.is_empty() && !expected.ends_with(b"\r\n") {
            expected.extend_from_slice(b"\r\n");
        }
        let got: Vec<u8> = frames.iter().flat_map(|f| match f {
            ClientFrame::BodyChunk(c) => c.to_vec(),
            _ => Vec::new(),
        }).collect();
        prop_assert_eq!(got, expected);
        prop_assert_eq!(frames.last(), Some(&ClientFrame::BodyEnd));
    }

    #[test]
    fn decoders_never_panic(
        input in proptest::collection::vec(prop_oneof![
            Just(b'\r'), Just(b'\n'), Just(b'.'), Just(b'+'), Just(b' '),
            Just(b'O'), Just(b'K'), any::<u8>()
        ], 0..300),
        kinds in proptest::collection::vec(0u8..4, 0..6),
        chunk in 1usize..40,
    ) {
        let mut client = ClientCodec::new();
        for k in kinds {
            client.expect(match k {
                0 => ResponseKind::SingleLine,
                1 => ResponseKind::MultiLine,
                2 => ResponseKind::Body,
                _ => ResponseKind::Sasl,
            });
        }
        let mut server = ServerCodec::new();
        let (mut cb, mut sb) = (BytesMut::new(), BytesMut::new());
        let mut client_ok = true;
        for piece in input.chunks(chunk) {
            cb.extend_from_slice(piece);
            sb.extend_from_slice(piece);
            while client_ok {
                match client.decode(&mut cb) {
                    Ok(Some(_)) => {}
                    Ok(None) => break,
                    Err(_) => client_ok = false,
                }
            }
            while let Some(f) = server.decode(&mut sb).unwrap() {
                if matches!(f, ServerFrame::Command(Ok(Command::Auth { .. }))) {
                    server.expect_sasl_response();
                }
            }
        }
        let _ = client.decode_eof(&mut cb);
    }
}
