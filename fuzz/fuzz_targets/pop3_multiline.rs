//! POP3 multi-line blocks (`MultiLineReader`) fed in arbitrary chunks.
//!
//! The first two input bytes choose split points; the rest is the stream.
//! Checks: no panic; the items (lines and ends) and the total consumed are
//! the same however the stream is split (chunk-split invariance); every
//! line is within the line limit and holds no CR or LF; consumption never
//! passes the buffer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mail_wire::Status;
use pop3_proto::Limits;
use pop3_proto::parse::{MultiLine, MultiLineReader};

#[derive(Debug, PartialEq)]
enum Item {
    Line(Vec<u8>),
    End,
    Error,
}

fn read(stream: &[u8], splits: &[usize]) -> Vec<Item> {
    let limits = Limits::default();
    let mut reader = MultiLineReader::new(&limits);
    let mut buf: Vec<u8> = Vec::new();
    let mut items = Vec::new();
    let mut fed = 0;
    let mut points: Vec<usize> = splits.iter().map(|s| s % (stream.len() + 1)).collect();
    points.sort_unstable();
    points.push(stream.len());
    for p in points {
        buf.extend_from_slice(&stream[fed..p]);
        fed = p;
        loop {
            match reader.poll(&buf) {
                Ok(Status::Complete(item, n)) => {
                    assert!(n <= buf.len());
                    match item {
                        MultiLine::Line(l) => {
                            assert!(l.len() <= limits.max_response_len);
                            assert!(!l.contains(&b'\n') && !l.contains(&b'\r'));
                            items.push(Item::Line(l.to_vec()));
                        }
                        MultiLine::End => items.push(Item::End),
                    }
                    buf.drain(..n);
                }
                Ok(Status::Incomplete) => break,
                Err(e) => {
                    items.push(Item::Error);
                    let n = e.consumed().min(buf.len());
                    buf.drain(..n);
                    if n == 0 || reader.has_failed() {
                        return items;
                    }
                }
            }
        }
    }
    items
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let splits = [data[0] as usize, data[1] as usize * 7, data[0] as usize * 13 + data[1] as usize];
    let stream = &data[2..];
    let whole = read(stream, &[]);
    let split = read(stream, &splits);
    assert_eq!(whole, split);
    let bytewise: Vec<usize> = (0..stream.len().min(64)).collect();
    assert_eq!(read(stream, &bytewise), whole);
});
