//! The IMAP framer (`imap_proto::parse::framer`): messages with inline and
//! streamed literals on both sides, the server's continuation decisions,
//! rejected and oversized literals (skipped, never read as commands),
//! over-long lines, tags in errors, bounded memory, linear time, and
//! chunk-split invariance.

// Test helpers and proptest strategies sit outside `#[test]` functions, where
// clippy.toml's test exemption does not reach; this whole crate is tests.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::Instant;

use bytes::BytesMut;
use imap_proto::parse::framer::{
    FrameErrorKind, FrameEvent, Framer, FramerLimits, FramerStateError, LiteralHeader, Side,
};
use mail_wire::{Found, LimitError};
use proptest::prelude::*;

/// An event with its bytes owned and streamed chunks merged, so that runs
/// over differently split inputs compare equal.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ev {
    Message(Vec<u8>),
    Need(LiteralHeader, Option<Vec<u8>>),
    Start(Vec<u8>, LiteralHeader),
    Chunk(Vec<u8>),
    Continue(Vec<u8>, LiteralHeader),
    End(Vec<u8>),
    Err(FrameErrorKind, Option<Vec<u8>>, bool),
}

fn msg(s: &[u8]) -> Ev {
    Ev::Message(s.to_vec())
}

fn lit(size: u64, synchronizing: bool, binary: bool) -> LiteralHeader {
    LiteralHeader {
        size,
        synchronizing,
        binary,
    }
}

/// Feeds `input` in chunks of the given sizes (cycling), draining events
/// after each feed as a session would; a synchronising literal is accepted
/// when `accept` says so. Checks the memory bound after every drain.
fn run_with(
    limits: FramerLimits,
    side: Side,
    input: &[u8],
    chunks: &[usize],
    accept: &dyn Fn(&LiteralHeader) -> bool,
) -> Vec<Ev> {
    let mut framer = Framer::new(limits, side);
    let mut out: Vec<Ev> = Vec::new();
    let mut fed = 0;
    let mut k = 0;
    loop {
        while let Some(ev) = framer.next_event() {
            let ev = match ev {
                Ok(FrameEvent::Message(m)) => Ev::Message(m.to_vec()),
                Ok(FrameEvent::NeedContinuation { literal, tag }) => {
                    assert_eq!(framer.pending_literal(), Some(literal));
                    assert!(framer.pending_message().ends_with(b"}\r\n"));
                    if accept(&literal) {
                        framer.accept_literal().unwrap();
                    } else {
                        framer.reject_literal().unwrap();
                    }
                    Ev::Need(literal, tag.map(|t| t.to_vec()))
                }
                Ok(FrameEvent::MessageStart { head, literal }) => {
                    assert!(head.ends_with(b"}\r\n"));
                    assert!(literal.size > limits.stream_threshold);
                    Ev::Start(head.to_vec(), literal)
                }
                Ok(FrameEvent::LiteralChunk(c)) => {
                    assert!(!c.is_empty());
                    if let Some(Ev::Chunk(prev)) = out.last_mut() {
                        prev.extend_from_slice(&c);
                        continue;
                    }
                    Ev::Chunk(c.to_vec())
                }
                Ok(FrameEvent::MessageContinue { text, literal }) => {
                    Ev::Continue(text.to_vec(), literal)
                }
                Ok(FrameEvent::MessageEnd(m)) => Ev::End(m.to_vec()),
                Err(e) => {
                    assert_eq!(e.unrecoverable, framer.is_unrecoverable());
                    Ev::Err(e.kind, e.tag.map(|t| t.to_vec()), e.unrecoverable)
                }
            };
            out.push(ev);
        }
        if framer.pending_literal().is_none() {
            assert!(
                framer.buffered() <= limits.max_message_len,
                "holds {} bytes",
                framer.buffered()
            );
        }
        if fed == input.len() {
            break;
        }
        let n = chunks[k % chunks.len()].max(1).min(input.len() - fed);
        k += 1;
        framer.feed(&input[fed..fed + n]);
        fed += n;
    }
    out
}

fn run(limits: FramerLimits, side: Side, input: &[u8], chunks: &[usize]) -> Vec<Ev> {
    run_with(limits, side, input, chunks, &|_| true)
}

/// Whole, then one byte at a time, then in 7-byte chunks: all must agree.
fn run_all_ways(limits: FramerLimits, side: Side, input: &[u8]) -> Vec<Ev> {
    let whole = run(limits, side, input, &[input.len().max(1)]);
    assert_eq!(run(limits, side, input, &[1]), whole, "byte at a time");
    assert_eq!(run(limits, side, input, &[7, 3]), whole, "7/3 chunks");
    whole
}

fn small_limits() -> FramerLimits {
    FramerLimits {
        max_line_len: 40,
        max_message_len: 100,
        max_literal_len: 1000,
        max_nonsync_literal_len: 20,
        stream_threshold: 16,
    }
}

#[test]
fn rfc_9051_login_with_synchronising_literals() {
    // RFC 9051 section 7.6's example, as the server sees it.
    let input = b"A001 LOGIN {11}\r\nFRED FOOBAR {7}\r\nfat man\r\nA002 NOOP\r\n";
    let ev = run_all_ways(FramerLimits::server(), Side::Server, input);
    let tag = Some(b"A001".to_vec());
    assert_eq!(
        ev,
        vec![
            Ev::Need(lit(11, true, false), tag.clone()),
            Ev::Need(lit(7, true, false), tag),
            msg(b"A001 LOGIN {11}\r\nFRED FOOBAR {7}\r\nfat man\r\n"),
            msg(b"A002 NOOP\r\n"),
        ]
    );
}

#[test]
fn rfc_3501_append_example() {
    // RFC 3501 section 6.3.11, with the message body as the literal.
    let body: &[u8] = b"Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\r\nFrom: Fred Foobar <foobar@Blurdybloop.COM>\r\nSubject: afternoon meeting\r\n\r\nHello Joe, do you think we can meet at 3:30 tomorrow?\r\n";
    let mut input =
        format!("A003 APPEND saved-messages (\\Seen) {{{}}}\r\n", body.len()).into_bytes();
    input.extend_from_slice(body);
    input.extend_from_slice(b"\r\n");
    let ev = run_all_ways(FramerLimits::server(), Side::Server, &input);
    assert_eq!(
        ev,
        vec![
            Ev::Need(lit(body.len() as u64, true, false), Some(b"A003".to_vec())),
            Ev::Message(input.clone()),
        ]
    );
    // With a threshold below the body's size, the body is streamed.
    let limits = FramerLimits {
        stream_threshold: 64,
        ..FramerLimits::server()
    };
    let ev = run_all_ways(limits, Side::Server, &input);
    let head = format!("A003 APPEND saved-messages (\\Seen) {{{}}}\r\n", body.len());
    assert_eq!(
        ev,
        vec![
            Ev::Need(lit(body.len() as u64, true, false), Some(b"A003".to_vec())),
            Ev::Start(head.into_bytes(), lit(body.len() as u64, true, false)),
            Ev::Chunk(body.to_vec()),
            Ev::End(b"\r\n".to_vec()),
        ]
    );
}

#[test]
fn responses_with_literals_on_the_client_side() {
    let input: &[u8] = b"* OK IMAP4rev2 ready\r\n\
        * 12 FETCH (FLAGS (\\Seen) BODY[HEADER] {22}\r\nSubject: x\r\nTo: y\r\n\r\n BODY[TEXT] {0}\r\n)\r\n\
        * 13 FETCH (BINARY[1] ~{4}\r\n\0\r\n\0)\r\n\
        + go ahead\r\n\
        a1 OK done\r\n";
    let ev = run_all_ways(FramerLimits::client(), Side::Client, input);
    assert_eq!(
        ev,
        vec![
            msg(b"* OK IMAP4rev2 ready\r\n"),
            msg(b"* 12 FETCH (FLAGS (\\Seen) BODY[HEADER] {22}\r\nSubject: x\r\nTo: y\r\n\r\n BODY[TEXT] {0}\r\n)\r\n"),
            msg(b"* 13 FETCH (BINARY[1] ~{4}\r\n\0\r\n\0)\r\n"),
            msg(b"+ go ahead\r\n"),
            msg(b"a1 OK done\r\n"),
        ]
    );
}

#[test]
fn literal_edge_cases_inline() {
    let limits = FramerLimits::server();
    // {0+} at the end of a line, then more literals in the same message,
    // CRLF and a literal-looking line inside the data, leading zeros.
    let input: &[u8] =
        b"t1 X {0+}\r\n {5+}\r\na\r\nb\r {0007+}\r\n{3}\r\n\r\n ~{3+}\r\n\0\0\0\r\nt2 Y\r\n";
    let ev = run_all_ways(limits, Side::Server, input);
    assert_eq!(
        ev,
        vec![
            msg(b"t1 X {0+}\r\n {5+}\r\na\r\nb\r {0007+}\r\n{3}\r\n\r\n ~{3+}\r\n\0\0\0\r\n"),
            msg(b"t2 Y\r\n"),
        ]
    );
    // Not literal headers: the grammar will judge these lines.
    let input: &[u8] = b"a {x}\r\nb {}\r\nc {+}\r\nd 5}\r\ne {5} \r\n";
    let ev = run_all_ways(limits, Side::Server, input);
    assert_eq!(ev.len(), 5);
    assert!(ev.iter().all(|e| matches!(e, Ev::Message(_))));
}

#[test]
fn literal_header_split_at_every_point() {
    let input: &[u8] = b"* 1 FETCH (BODY[] {12}\r\nab\r\ncd\r\nef\r\n)\r\n* 2 EXISTS\r\n";
    let whole = run(FramerLimits::client(), Side::Client, input, &[input.len()]);
    assert_eq!(
        whole,
        vec![
            msg(b"* 1 FETCH (BODY[] {12}\r\nab\r\ncd\r\nef\r\n)\r\n"),
            msg(b"* 2 EXISTS\r\n")
        ]
    );
    for cut in 1..input.len() {
        assert_eq!(
            run(
                FramerLimits::client(),
                Side::Client,
                input,
                &[cut, input.len()]
            ),
            whole,
            "cut at {cut}"
        );
    }
}

#[test]
fn streamed_literals_then_more_literals_in_the_same_message() {
    let limits = FramerLimits {
        stream_threshold: 4,
        ..FramerLimits::client()
    };
    let input: &[u8] =
        b"* 1 FETCH (BODY[1] {6}\r\n123456 BODY[2] {2}\r\nab BODY[3] ~{5}\r\n\0\r\n\0\0 X)\r\n* 2 FETCH (UID 9)\r\n";
    let ev = run_all_ways(limits, Side::Client, input);
    assert_eq!(
        ev,
        vec![
            Ev::Start(b"* 1 FETCH (BODY[1] {6}\r\n".to_vec(), lit(6, true, false)),
            Ev::Chunk(b"123456".to_vec()),
            Ev::Continue(
                b" BODY[2] {2}\r\nab BODY[3] ~{5}\r\n".to_vec(),
                lit(5, true, true)
            ),
            Ev::Chunk(b"\0\r\n\0\0".to_vec()),
            Ev::End(b" X)\r\n".to_vec()),
            msg(b"* 2 FETCH (UID 9)\r\n"),
        ]
    );
}

#[test]
fn one_mib_body_is_streamed_with_bounded_memory_and_without_copies() {
    let size = 1 << 20;
    let mut input = format!("* 7 FETCH (UID 70 BODY[] {{{size}}}\r\n").into_bytes();
    input.extend((0..size).map(|i| (i % 251) as u8));
    input.extend_from_slice(b")\r\na5 OK FETCH done\r\n");
    let ev = run(FramerLimits::client(), Side::Client, &input, &[4096]);
    assert_eq!(ev.len(), 4);
    assert_eq!(
        ev[0],
        Ev::Start(
            b"* 7 FETCH (UID 70 BODY[] {1048576}\r\n".to_vec(),
            lit(size as u64, true, false)
        )
    );
    let Ev::Chunk(body) = &ev[1] else { panic!() };
    assert_eq!(body.len(), size);
    assert!(body.iter().enumerate().all(|(i, &b)| b == (i % 251) as u8));
    assert_eq!(ev[2], Ev::End(b")\r\n".to_vec()));

    // With feed_owned, chunks are slices of the caller's read buffers.
    let mut framer = Framer::new(FramerLimits::client(), Side::Client);
    let mut total = 0;
    for piece in input.chunks(65536) {
        let read_buf = BytesMut::from(piece);
        let range = read_buf.as_ptr() as usize..read_buf.as_ptr() as usize + read_buf.len();
        framer.feed_owned(read_buf);
        while let Some(ev) = framer.next_event() {
            if let FrameEvent::LiteralChunk(c) = ev.unwrap() {
                total += c.len();
                if framer.buffered() == 0 {
                    assert!(range.contains(&(c.as_ptr() as usize)), "chunk was copied");
                }
            }
        }
        assert!(framer.buffered() < 64);
    }
    assert_eq!(total, size);
}

#[test]
fn search_response_in_4k_chunks_is_linear_and_identical() {
    let mut line = b"* SEARCH".to_vec();
    let mut n = 1u32;
    while line.len() < 600_000 {
        line.extend_from_slice(format!(" {n}").as_bytes());
        n += 1;
    }
    line.extend_from_slice(b"\r\n");
    let t = Instant::now();
    let whole = run(FramerLimits::client(), Side::Client, &line, &[line.len()]);
    let t_whole = t.elapsed();
    let t = Instant::now();
    let split = run(FramerLimits::client(), Side::Client, &line, &[4096]);
    let t_split = t.elapsed();
    assert_eq!(whole, vec![Ev::Message(line.clone())]);
    assert_eq!(split, whole);
    // Loose: a framer that rescans from the start would do ~150x the work.
    assert!(
        t_split < t_whole * 20 + std::time::Duration::from_millis(50),
        "{t_split:?} vs {t_whole:?}"
    );
}

#[test]
fn byte_at_a_time_is_linear() {
    // A 1 MiB line and a 2 MiB literal fed one byte at a time: quadratic
    // work would be ~10^12 steps and never finish.
    let t = Instant::now();
    let mut framer = Framer::new(FramerLimits::client(), Side::Client);
    framer.feed(b"* SEARCH");
    for _ in 0..(1 << 19) {
        framer.feed(b" 1");
        assert!(framer.next_event().is_none());
    }
    framer.feed(b"\r\n");
    let Some(Ok(FrameEvent::Message(m))) = framer.next_event() else {
        panic!()
    };
    assert_eq!(m.len(), 8 + (1 << 20) + 2);

    framer.feed(b"* 1 FETCH (BODY[] {2097152}\r\n");
    assert!(matches!(
        framer.next_event(),
        Some(Ok(FrameEvent::MessageStart { .. }))
    ));
    let mut got = 0;
    for _ in 0..(2 << 20) {
        framer.feed(b"x");
        let Some(Ok(FrameEvent::LiteralChunk(c))) = framer.next_event() else {
            panic!()
        };
        got += c.len();
        assert!(framer.next_event().is_none());
    }
    assert_eq!(got, 2 << 20);
    framer.feed(b")\r\n");
    assert!(matches!(
        framer.next_event(),
        Some(Ok(FrameEvent::MessageEnd(_)))
    ));
    assert!(t.elapsed().as_secs() < 60);
}

#[test]
fn server_rejects_a_synchronising_literal_and_the_client_sends_no_data() {
    let input: &[u8] = b"a1 APPEND INBOX {5000}\r\na2 NOOP\r\n";
    let ev = run_with(FramerLimits::server(), Side::Server, input, &[5], &|_| {
        false
    });
    assert_eq!(
        ev,
        vec![
            Ev::Need(lit(5000, true, false), Some(b"a1".to_vec())),
            msg(b"a2 NOOP\r\n"),
        ]
    );
    // Misuse is refused.
    let mut f = Framer::new(FramerLimits::server(), Side::Server);
    assert_eq!(f.accept_literal(), Err(FramerStateError::NoPendingLiteral));
    assert_eq!(f.reject_literal(), Err(FramerStateError::NoPendingLiteral));
    assert_eq!(f.discard_message(), Err(FramerStateError::NotStreaming));
}

#[test]
fn literal_over_the_limit_synchronising_is_refused_without_data() {
    let limits = small_limits();
    let input: &[u8] = b"a1 APPEND INBOX {1001}\r\na2 NOOP\r\n";
    assert_eq!(
        run_all_ways(limits, Side::Server, input),
        vec![
            Ev::Err(
                FrameErrorKind::LiteralTooLarge {
                    size: 1001,
                    limit: LimitError::new("max_literal_len", 1000)
                },
                Some(b"a1".to_vec()),
                false
            ),
            msg(b"a2 NOOP\r\n"),
        ]
    );
}

#[test]
fn non_synchronising_literal_over_the_limit_is_skipped_never_read_as_commands() {
    let limits = small_limits();
    // The data looks like commands: none of it may come out.
    let mut input = b"a1 LOGIN {30+}\r\n".to_vec();
    input.extend_from_slice(b"a9 DELETE INBOX\r\na9 LOGOUT\r\n\r\n");
    assert_eq!(input.len(), 16 + 30);
    input.extend_from_slice(b" {3+}\r\nx\r\n\r\na2 NOOP\r\n");
    assert_eq!(
        run_all_ways(limits, Side::Server, &input),
        vec![
            Ev::Err(
                FrameErrorKind::LiteralTooLarge {
                    size: 30,
                    limit: LimitError::new("max_nonsync_literal_len", 20)
                },
                Some(b"a1".to_vec()),
                false
            ),
            msg(b"a2 NOOP\r\n"),
        ]
    );
}

#[test]
fn huge_declared_sizes_are_refused_without_allocation() {
    let limits = FramerLimits::server();
    // Synchronising: refused, the client sends nothing, the stream goes on.
    let input: &[u8] = b"a1 APPEND INBOX {18446744073709551616}\r\na2 NOOP\r\n";
    let ev = run_all_ways(limits, Side::Server, input);
    assert_eq!(
        ev[0],
        Ev::Err(
            FrameErrorKind::LiteralTooLarge {
                size: u64::MAX,
                limit: LimitError::new("max_literal_len", 64 << 20)
            },
            Some(b"a1".to_vec()),
            false
        )
    );
    assert_eq!(ev[1], msg(b"a2 NOOP\r\n"));
    // Non-synchronising and too big to skip: unrecoverable, input ignored.
    let input: &[u8] = b"a1 APPEND INBOX {99999999999999999999+}\r\nxx\r\na2 NOOP\r\n";
    let ev = run_all_ways(limits, Side::Server, input);
    assert_eq!(ev.len(), 1);
    assert!(matches!(
        ev[0],
        Ev::Err(
            FrameErrorKind::LiteralTooLarge { size: u64::MAX, .. },
            _,
            true
        )
    ));
    // A large but representable one is skipped: the framer holds nothing.
    let mut f = Framer::new(limits, Side::Server);
    f.feed(b"a1 APPEND INBOX {9223372036854775807+}\r\n");
    let e = f.next_event().unwrap().unwrap_err();
    assert!(!e.unrecoverable);
    f.feed(&[b'x'; 100_000]);
    assert!(f.next_event().is_none());
    assert_eq!(f.buffered(), 0);
    assert_eq!(f.reset(), 0);
}

#[test]
fn client_side_refuses_non_synchronising_literals_but_skips_their_data() {
    let input: &[u8] = b"* 1 FETCH (BODY[] {4+}\r\na OK\r\n* 2 EXISTS\r\n";
    let ev = run_all_ways(FramerLimits::client(), Side::Client, input);
    let Ev::Err(FrameErrorKind::Syntax(e), None, false) = &ev[0] else {
        panic!("{ev:?}")
    };
    assert_eq!((e.offset, e.found), (20, Found::Byte(b'+')));
    assert_eq!(ev[1..], [msg(b"* 2 EXISTS\r\n")]);
}

#[test]
fn over_long_line_is_skipped_with_its_tag() {
    let limits = small_limits();
    let mut input = b"a1 SEARCH ".to_vec();
    input.extend(std::iter::repeat_n(b'1', 500));
    input.extend_from_slice(b"\r\na2 NOOP\r\n");
    let ev = run_all_ways(limits, Side::Server, &input);
    assert_eq!(
        ev,
        vec![
            Ev::Err(
                FrameErrorKind::LineTooLong(LimitError::new("max_line_len", 40)),
                Some(b"a1".to_vec()),
                false
            ),
            msg(b"a2 NOOP\r\n"),
        ]
    );
    // The limit counts the CRLF: 40 bytes pass, 41 do not.
    let ok = [&[b'x'; 38][..], b"\r\n"].concat();
    assert_eq!(run_all_ways(limits, Side::Server, &ok), vec![msg(&ok)]);
    let long = [&[b'x'; 39][..], b"\r\n"].concat();
    assert!(matches!(
        run_all_ways(limits, Side::Server, &long)[..],
        [Ev::Err(FrameErrorKind::LineTooLong(_), Some(ref t), false)] if t.len() == 39
    ));
}

#[test]
fn over_long_line_announcing_a_literal() {
    let limits = small_limits();
    let mut line = b"a1 APPEND ".to_vec();
    line.extend(std::iter::repeat_n(b'm', 100));
    // Non-synchronising: its data comes anyway and is skipped.
    let input = [&line[..], b" {9+}\r\na3 LOGOUT\r\na2 NOOP\r\n"].concat();
    let ev = run_all_ways(limits, Side::Server, &input);
    assert_eq!(ev.len(), 2, "{ev:?}");
    assert_eq!(ev[1], msg(b"a2 NOOP\r\n"));
    // Synchronising on the server side: the client waits for a "+" that
    // does not come, so the next line is a new command.
    let input = [&line[..], b" {9}\r\na2 NOOP\r\n"].concat();
    let ev = run_all_ways(limits, Side::Server, &input);
    assert_eq!(ev[1..], [msg(b"a2 NOOP\r\n")]);
    // On the client side, literal data always follows.
    let input = [&line[..], b" {9}\r\na3 LOGOUT\r\n* 2 EXISTS\r\n"].concat();
    let ev = run_all_ways(limits, Side::Client, &input);
    assert_eq!(ev[1..], [msg(b"* 2 EXISTS\r\n")]);
    // A later literal announced by the rest of the rejected message is
    // skipped too.
    let input = [&line[..], b" {2}\r\nab {4}\r\nc\r\nd\r\n* 2 EXISTS\r\n"].concat();
    let ev = run_all_ways(limits, Side::Client, &input);
    assert_eq!(ev[1..], [msg(b"* 2 EXISTS\r\n")]);
    // A digit run too long to see its start: unrecoverable.
    let input = [
        &line[..],
        b" {",
        &[b'0'; 60][..],
        b"5}\r\nxxxxx\r\n* 2 EXISTS\r\n",
    ]
    .concat();
    let ev = run_all_ways(limits, Side::Client, &input);
    assert_eq!(ev.len(), 2);
    assert_eq!(ev[1], Ev::Err(FrameErrorKind::Desynchronized, None, true));
}

#[test]
fn message_too_long_with_inline_literals() {
    let limits = small_limits();
    // 6 literals of 16 bytes inline: the buffered message passes 100 bytes.
    let mut input = b"a1 X".to_vec();
    for _ in 0..6 {
        input.extend_from_slice(b" {16+}\r\n0123456789abcdef");
    }
    input.extend_from_slice(b"\r\na2 NOOP\r\n");
    let ev = run_all_ways(limits, Side::Server, &input);
    assert_eq!(
        ev,
        vec![
            Ev::Err(
                FrameErrorKind::MessageTooLong(LimitError::new("max_message_len", 100)),
                Some(b"a1".to_vec()),
                false
            ),
            msg(b"a2 NOOP\r\n"),
        ]
    );
}

#[test]
fn bare_lf_is_an_error_with_offset_and_tag() {
    let input: &[u8] = b"a1 NOOP\na2 NOOP\r\n";
    let ev = run_all_ways(FramerLimits::server(), Side::Server, input);
    let Ev::Err(FrameErrorKind::Syntax(e), Some(tag), false) = &ev[0] else {
        panic!("{ev:?}")
    };
    assert_eq!(
        (e.offset, e.found, &tag[..]),
        (7, Found::Byte(b'\n'), &b"a1"[..])
    );
    assert_eq!(ev[1..], [msg(b"a2 NOOP\r\n")]);
    // A bare-LF line that announced a non-synchronising literal: the
    // literal and the rest of the command are skipped.
    let input: &[u8] = b"a1 LOGIN {3+}\na2\n)\r\na2 NOOP\r\n";
    let ev = run_all_ways(FramerLimits::server(), Side::Server, input);
    assert_eq!(ev[1..], [msg(b"a2 NOOP\r\n")]);
}

#[test]
fn server_accepts_a_large_append_and_streams_it() {
    let limits = FramerLimits::server();
    let size = 5 << 20;
    let mut input = format!("A7 APPEND INBOX (\\Seen) {{{size}}}\r\n").into_bytes();
    input.extend(std::iter::repeat_n(b'.', size));
    input.extend_from_slice(b" {3}\r\nabc\r\nA8 NOOP\r\n");
    let ev = run(limits, Side::Server, &input, &[16384]);
    assert_eq!(ev.len(), 6, "{:?}", &ev[..2]);
    assert_eq!(
        ev[0],
        Ev::Need(lit(size as u64, true, false), Some(b"A7".to_vec()))
    );
    assert!(matches!(&ev[1], Ev::Start(h, _) if h.starts_with(b"A7 APPEND")));
    assert!(matches!(&ev[2], Ev::Chunk(c) if c.len() == size));
    // The second literal is small, so it stays inline in the last part.
    assert_eq!(ev[3], Ev::Need(lit(3, true, false), Some(b"A7".to_vec())));
    assert_eq!(ev[4], Ev::End(b" {3}\r\nabc\r\n".to_vec()));
    assert_eq!(ev[5], msg(b"A8 NOOP\r\n"));
}

#[test]
fn session_discards_a_streamed_message() {
    let limits = FramerLimits {
        stream_threshold: 8,
        ..FramerLimits::server()
    };
    let mut f = Framer::new(limits, Side::Server);
    f.feed(b"A1 APPEND INBOX {20}\r\n");
    assert!(matches!(
        f.next_event(),
        Some(Ok(FrameEvent::NeedContinuation { .. }))
    ));
    f.accept_literal().unwrap();
    f.feed(b"0123");
    assert!(matches!(
        f.next_event(),
        Some(Ok(FrameEvent::MessageStart { .. }))
    ));
    assert!(matches!(
        f.next_event(),
        Some(Ok(FrameEvent::LiteralChunk(_)))
    ));
    assert!(f.is_streaming());
    // Over quota: skip the rest, including a further non-synchronising
    // literal whose data looks like a command.
    f.discard_message().unwrap();
    assert!(!f.is_streaming());
    f.feed(b"4567890123456789 {11+}\r\nA9 LOGOUT\r\n\r\nA2 NOOP\r\n");
    let Some(Ok(FrameEvent::Message(m))) = f.next_event() else {
        panic!()
    };
    assert_eq!(&m[..], b"A2 NOOP\r\n");
    assert!(f.next_event().is_none());
}

#[test]
fn reset_drops_buffered_plaintext() {
    let mut f = Framer::new(FramerLimits::server(), Side::Server);
    f.feed(b"a1 STARTTLS\r\na2 LOGIN injected\r\n");
    assert!(matches!(f.next_event(), Some(Ok(FrameEvent::Message(_)))));
    assert_eq!(f.reset(), 19);
    assert!(f.next_event().is_none());
}

fn atom() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            Just(b'a'),
            Just(b'1'),
            Just(b' '),
            Just(b'('),
            Just(b'}'),
            Just(b'{')
        ],
        0..12,
    )
}

/// A stream of well-formed and broken messages: text, literal headers of
/// every kind with data, bare LFs, long lines.
fn stream() -> impl Strategy<Value = Vec<u8>> {
    let part = prop_oneof![
        atom().prop_map(|mut a| {
            a.extend_from_slice(b"\r\n");
            a
        }),
        (
            atom(),
            0usize..40,
            any::<bool>(),
            any::<bool>(),
            any::<u8>()
        )
            .prop_map(|(mut a, n, plus, tilde, fill)| {
                let t = if tilde { "~" } else { "" };
                let p = if plus { "+" } else { "" };
                a.extend_from_slice(format!("{t}{{{n}{p}}}\r\n").as_bytes());
                a.extend((0..n).map(|i| [fill, b'\r', b'\n', 0, b'{'][i % 5]));
                a
            }),
        atom().prop_map(|mut a| {
            a.push(b'\n');
            a
        }),
        (0usize..120).prop_map(|n| vec![b'x'; n]),
        Just(b"{99999999999999999999999+}\r\n".to_vec()),
    ];
    prop::collection::vec(part, 0..12).prop_map(|v| v.concat())
}

fn arb_limits() -> impl Strategy<Value = FramerLimits> {
    (0usize..60, 0usize..150, 0u64..50, 0u64..50, 0u64..30).prop_map(|(l, m, lit, ns, th)| {
        FramerLimits {
            max_line_len: l,
            max_message_len: m,
            max_literal_len: lit,
            max_nonsync_literal_len: ns,
            stream_threshold: th,
        }
    })
}

proptest! {
    #[test]
    fn chunk_split_invariance(
        input in stream(),
        chunks in prop::collection::vec(1usize..24, 1..6),
        limits in arb_limits(),
        server in any::<bool>(),
        parity in any::<bool>(),
    ) {
        let side = if server { Side::Server } else { Side::Client };
        let accept = move |l: &LiteralHeader| l.size.is_multiple_of(2) == parity;
        let whole = run_with(limits, side, &input, &[input.len().max(1)], &accept);
        let split = run_with(limits, side, &input, &chunks, &accept);
        prop_assert_eq!(whole, split);
    }

    #[test]
    fn well_formed_messages_come_out_as_sent(
        msgs in prop::collection::vec(
            prop::collection::vec((atom(), prop::collection::vec(any::<u8>(), 0..30)), 0..4),
            1..5,
        ),
        chunks in prop::collection::vec(1usize..24, 1..6),
    ) {
        // Responses: lines with synchronising literals, all within limits.
        let mut input = Vec::new();
        let mut expected = Vec::new();
        for parts in &msgs {
            let mut m = b"* ".to_vec();
            for (text, data) in parts {
                m.extend(text.iter().map(|&b| if b == b'}' { b'x' } else { b }));
                m.extend_from_slice(format!(" {{{}}}\r\n", data.len()).as_bytes());
                m.extend_from_slice(data);
            }
            m.extend_from_slice(b" X\r\n");
            input.extend_from_slice(&m);
            expected.push(Ev::Message(m));
        }
        let got = run(FramerLimits::client(), Side::Client, &input, &chunks);
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn never_panics_on_arbitrary_bytes(
        input in prop::collection::vec(any::<u8>(), 0..400),
        chunks in prop::collection::vec(1usize..50, 1..4),
        limits in arb_limits(),
        server in any::<bool>(),
    ) {
        let side = if server { Side::Server } else { Side::Client };
        let _ = run_with(limits, side, &input, &chunks, &|l| l.size % 3 != 0);
    }
}
