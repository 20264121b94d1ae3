//! The usage example of README.md ("Using `imap-proto`").
#![allow(clippy::unwrap_used)]

use imap_proto::encode::{Encode, EncodeOptions, Encoder, Fragment};
use imap_proto::parse::fetch::{parse_fetch_head, parse_fetch_rest};
use imap_proto::parse::framer::{FrameEvent, Framer, FramerLimits, Side};
use imap_proto::types::LiteralMode;
use imap_proto::{Command, ResponseOptions};

/// The README's imap-proto example, kept compiling and passing.
#[test]
fn readme_example() -> Result<(), Box<dyn std::error::Error>> {
    // A client frames what the server sends: a BODY[] literal above the
    // streaming threshold arrives as chunks, never as one buffer.
    let mut framer = Framer::new(FramerLimits::client(), Side::Client);
    let body = vec![b'x'; 200_000];
    framer.feed(format!("* 1 FETCH (UID 7 BODY[] {{{}}}\r\n", body.len()).as_bytes());
    framer.feed(&body);
    framer.feed(b" FLAGS (\\Seen))\r\n");
    let mut received = 0;
    while let Some(event) = framer.next_event() {
        match event? {
            FrameEvent::MessageStart { head, .. } => {
                let head = parse_fetch_head(&head, ResponseOptions::default())?;
                assert_eq!((head.seq.get(), head.items.len()), (1, 1)); // UID 7 so far
            }
            FrameEvent::LiteralChunk(chunk) => received += chunk.len(), // store it
            FrameEvent::MessageEnd(rest) => {
                let rest = parse_fetch_rest(&rest, ResponseOptions::default())?;
                assert_eq!(rest.items.len(), 1); // FLAGS (\Seen)
            }
            FrameEvent::Message(_) => {} // a whole small message: Response::parse
            _ => {}
        }
    }
    assert_eq!(received, body.len());

    // Encoding yields fragments, so a client waits for `+` before the data
    // of a synchronising literal (and does not under LITERAL+). Strings
    // take the smallest valid form: here 8-bit octets need a literal.
    let cmd = Command::parse(b"a2 LOGIN joe {6}\r\nd\xc3\xa9j\xc3\xa0\r\n")?;
    let mut e = Encoder::new(EncodeOptions::default());
    cmd.encode(&mut e);
    let fragments = e.finish();
    assert_eq!(fragments[0], Fragment::Line("a2 LOGIN joe {6}\r\n".into()));
    assert!(matches!(
        &fragments[1],
        Fragment::Literal {
            mode: LiteralMode::Sync,
            ..
        }
    ));
    assert_eq!(fragments[2], Fragment::Line("\r\n".into()));
    Ok(())
}
