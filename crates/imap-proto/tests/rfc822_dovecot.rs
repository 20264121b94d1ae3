//! The IMAP views of `imap_proto::rfc822` against Dovecot 2.3.19.1.
//!
//! For every `tests/data/dovecot-rfc822/NAME.txt` (Dovecot's recorded
//! answers for the corpus message `NAME.eml`, format in that folder's
//! README.md) this computes our ENVELOPE, BODYSTRUCTURE, BODY,
//! RFC822.SIZE, BODY[section], BINARY and BINARY.SIZE from the message
//! Dovecot served (its `BODY[]`: the stored form, FINDINGS 1) and compares:
//!
//! - ENVELOPE, BODYSTRUCTURE, BODY: Dovecot's text parsed with our
//!   response parser, typed values equal. Byte equality of our encoding is
//!   counted apart: Dovecot sends some strings as literals where our
//!   encoder picks a quoted string, and one language tag as a list, which
//!   are the same values in another form.
//! - BODY[section], BINARY: octets equal. Sizes: numbers equal. A failed
//!   FETCH (`NO [UNKNOWN-CTE]`) must fail here too.
//!
//! Every difference must be listed in [`EXPECTED`] with its reason, and
//! every entry of [`EXPECTED`] must still differ, so the table stays
//! honest. Run with `--nocapture` for the summary.
#![cfg(feature = "rfc822")]
// Test helpers outside #[test] functions may unwrap, panic and index.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::num::NonZeroU32;
use std::path::Path;

use imap_proto::encode::{Encode, EncodeOptions, Encoder};
use imap_proto::rfc822::{BinaryError, MessageInfo};
use imap_proto::types::response::Data;
use imap_proto::types::{Body, Envelope, FetchItem, Response};

/// The differences we choose, each with its reason (file, item, why).
const EXPECTED: &[(&str, &str, &str)] = &[
    (
        "bad-content-type",
        "BINARY.SIZE[1]",
        "RFC 3516 section 4.2 fails BINARY.SIZE for a section whose encoding is unknown; this part is 7bit and its BINARY works in Dovecot too. Dovecot computes every part's size at once and fails them all because part 5 is x-uuencode (FINDINGS 9.3)",
    ),
    (
        "bad-content-type",
        "BINARY.SIZE[2]",
        "RFC 3516 section 4.2 fails BINARY.SIZE for a section whose encoding is unknown; this part is 7bit and its BINARY works in Dovecot too. Dovecot computes every part's size at once and fails them all because part 5 is x-uuencode (FINDINGS 9.3)",
    ),
    (
        "bad-content-type",
        "BINARY.SIZE[3]",
        "RFC 3516 section 4.2 fails BINARY.SIZE for a section whose encoding is unknown; this part is 7bit and its BINARY works in Dovecot too. Dovecot computes every part's size at once and fails them all because part 5 is x-uuencode (FINDINGS 9.3)",
    ),
    (
        "bad-content-type",
        "BINARY.SIZE[4]",
        "RFC 3516 section 4.2 fails BINARY.SIZE for a section whose encoding is unknown; this part is 7bit and its BINARY works in Dovecot too. Dovecot computes every part's size at once and fails them all because part 5 is x-uuencode (FINDINGS 9.3)",
    ),
    (
        "bad-content-type",
        "BODYSTRUCTURE",
        "RFC 2045 section 5.1: in 'text/plain; charset; format=flowed; =novalue' the value-less 'charset' and the name-less '=novalue' are no parameters and 'format=flowed' is one; the shared parser (rfc822_message::header::mime) reads exactly that. Dovecot resynchronises after 'charset' by skipping octets to the next ';', losing format=flowed, and keeps '=novalue' with an empty name (FINDINGS 3.4: garbage in, garbage out)",
    ),
    (
        "bad-content-type",
        "BODY",
        "RFC 2045 section 5.1: in 'text/plain; charset; format=flowed; =novalue' the value-less 'charset' and the name-less '=novalue' are no parameters and 'format=flowed' is one; the shared parser (rfc822_message::header::mime) reads exactly that. Dovecot resynchronises after 'charset' by skipping octets to the next ';', losing format=flowed, and keeps '=novalue' with an empty name (FINDINGS 3.4: garbage in, garbage out)",
    ),
    (
        "empty-fields",
        "ENVELOPE",
        "display name \"   \" is three spaces as written; Dovecot trims it to \"\". RFC 9051 section 7.5.2 gives the field value; we keep white space as written (TAB, runs of spaces, leading/trailing) where Dovecot collapses it 'for humans' (FINDINGS 7.4)",
    ),
    (
        "header-no-blank-line",
        "BODY[HEADER.FIELDS (From Subject)]",
        "RFC 9051 section 7.5.2: the blank line is included 'except in the case of a message that has no body and no blank line'; this header has none, Dovecot still appends CRLF to HEADER.FIELDS (but not to HEADER.FIELDS.NOT) (FINDINGS 10.2)",
    ),
    (
        "header-only",
        "BODY[HEADER.FIELDS (From Subject)]",
        "RFC 9051 section 7.5.2: the blank line is included 'except in the case of a message that has no body and no blank line'; this header has none, Dovecot still appends CRLF to HEADER.FIELDS (but not to HEADER.FIELDS.NOT) (FINDINGS 10.2)",
    ),
    (
        "message-global",
        "BODYSTRUCTURE",
        "RFC 9051's body-type-msg covers message/global (RFC 6532): we give its envelope, structure and lines; Dovecot 2.3 reports it as an opaque leaf (FINDINGS 6.5)",
    ),
    (
        "message-global",
        "BODY",
        "RFC 9051's body-type-msg covers message/global (RFC 6532): we give its envelope, structure and lines; Dovecot 2.3 reports it as an opaque leaf (FINDINGS 6.5)",
    ),
    (
        "message-rfc822-encoded",
        "BODYSTRUCTURE",
        "RFC 2046 section 5.1.1: the CRLF before a delimiter belongs to the delimiter; for a message/rfc822 part whose encapsulated message has no body Dovecot counts it in the part (2 octets and 1 line more) (FINDINGS 6.4); parts 1 and 3",
    ),
    (
        "message-rfc822-encoded",
        "BODY",
        "RFC 2046 section 5.1.1: the CRLF before a delimiter belongs to the delimiter; for a message/rfc822 part whose encapsulated message has no body Dovecot counts it in the part (2 octets and 1 line more) (FINDINGS 6.4); parts 1 and 3",
    ),
    (
        "message-rfc822-encoded",
        "BODY[1]",
        "RFC 2046 section 5.1.1: the CRLF before a delimiter belongs to the delimiter; for a message/rfc822 part whose encapsulated message has no body Dovecot counts it in the part (2 octets and 1 line more) (FINDINGS 6.4)",
    ),
    (
        "message-rfc822-encoded",
        "BODY[3]",
        "RFC 2046 section 5.1.1: the CRLF before a delimiter belongs to the delimiter; for a message/rfc822 part whose encapsulated message has no body Dovecot counts it in the part (2 octets and 1 line more) (FINDINGS 6.4)",
    ),
    (
        "nul-byte",
        "BINARY[1]",
        "our input is Dovecot's BODY[], in which it replaced the NUL by 0x80 (FINDINGS 1.2), while its BINARY[1] gives the stored NUL: not the same octets in; on the same octets we give the same",
    ),
    (
        "obs-route-and-dates",
        "ENVELOPE",
        "RFC 5322 section 4.4 obs-local-part: \"odd\".\"quoted\"@example.net is the mailbox odd.quoted at example.net; Dovecot fails on it and emits (\"odd\" NIL \"MISSING_MAILBOX\" \"MISSING_DOMAIN\") (FINDINGS 8.5)",
    ),
    (
        "rfc5322-a6-1-obs-addressing",
        "ENVELOPE",
        "RFC 5322 section 4.4 obs-addr-list: the empty element in ', ,' is no address and is skipped; Dovecot emits (NIL NIL \"MISSING_MAILBOX\" \"MISSING_DOMAIN\") for it (FINDINGS 8.4)",
    ),
    (
        "whitespace-in-fields",
        "ENVELOPE",
        "RFC 9051 section 7.5.2 gives the field value; we keep white space as written (TAB, runs of spaces, leading/trailing) where Dovecot collapses it 'for humans' (FINDINGS 7.4)",
    ),
];

/// One record of a NAME.txt.
struct Record {
    item: String,
    name: String,
    kind: String,
    value: Vec<u8>,
}

fn line(d: &[u8], i: &mut usize) -> String {
    let rest = &d[*i..];
    let n = rest.iter().position(|&b| b == b'\n').unwrap();
    *i += n + 1;
    String::from_utf8(rest[..n].to_vec()).unwrap()
}

fn records(d: &[u8]) -> Vec<Record> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut item = String::new();
    while i < d.len() {
        let mut l = line(d, &mut i);
        if let Some(it) = l.strip_prefix("ITEM ") {
            item = it.to_owned();
            l = line(d, &mut i);
        }
        let name = l.strip_prefix("NAME ").unwrap().to_owned();
        let kl = line(d, &mut i);
        let (kind, len) = kl.split_once(' ').unwrap();
        let len: usize = len.parse().unwrap();
        let value = d[i..i + len].to_vec();
        i += len;
        assert_eq!(d[i], b'\n');
        i += 1;
        out.push(Record {
            item: item.clone(),
            name,
            kind: kind.to_owned(),
            value,
        });
    }
    out
}

/// Parses `* 1 FETCH (<name> <value>)` with our response parser.
fn fetch_item(name: &str, kind: &str, value: &[u8]) -> FetchItem<'static> {
    let mut text = format!("* 1 FETCH ({name} ").into_bytes();
    match kind {
        "LITERAL" => text.extend_from_slice(format!("{{{}}}\r\n", value.len()).as_bytes()),
        "LITERAL8" => text.extend_from_slice(format!("~{{{}}}\r\n", value.len()).as_bytes()),
        _ => {}
    }
    text.extend_from_slice(value);
    text.extend_from_slice(b")\r\n");
    let r = Response::parse(&text)
        .unwrap_or_else(|e| panic!("our parser refuses Dovecot's {name}: {e}"));
    let Response::Data(Data::Fetch { items, .. }) = r else {
        panic!("not a FETCH: {name}")
    };
    items.into_vec().remove(0).into_owned()
}

fn encode<T: Encode>(v: &T) -> Vec<u8> {
    let mut e = Encoder::new(EncodeOptions::default());
    v.encode(&mut e);
    e.to_bytes()
}

fn part_numbers(item: &str) -> Vec<NonZeroU32> {
    let inner = &item[item.find('[').unwrap() + 1..item.find(']').unwrap()];
    inner
        .split('.')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect()
}

fn show(b: &[u8]) -> String {
    let s = b.escape_ascii().to_string();
    if s.len() > 400 {
        format!("{}...", &s[..400])
    } else {
        s
    }
}

#[derive(Default)]
struct Tally {
    compared: usize,
    equal: usize,
    form_only: Vec<String>,
    /// (file, item) -> what differs.
    differs: Vec<(String, String, String)>,
}

impl Tally {
    fn check(&mut self, file: &str, item: &str, same: bool, what: impl FnOnce() -> String) {
        self.compared += 1;
        if same {
            self.equal += 1;
        } else {
            self.differs
                .push((file.to_owned(), item.to_owned(), what()));
        }
    }
}

fn structure_check(
    t: &mut Tally,
    file: &str,
    r: &Record,
    ours: &Body<'_>,
    theirs: Option<&Body<'_>>,
) {
    let theirs = theirs.unwrap();
    t.check(file, &r.item, ours == theirs, || {
        format!("ours   {}\ntheirs {}", show(&encode(ours)), show(&r.value))
    });
    if ours == theirs && encode(ours) != r.value {
        t.form_only.push(format!("{file} {}", r.item));
    }
}

fn envelope_check(
    t: &mut Tally,
    file: &str,
    r: &Record,
    ours: &Envelope<'_>,
    theirs: &Envelope<'_>,
) {
    t.check(file, &r.item, ours == theirs, || {
        format!("ours   {}\ntheirs {}", show(&encode(ours)), show(&r.value))
    });
    if ours == theirs && encode(ours) != r.value {
        t.form_only.push(format!("{file} {}", r.item));
    }
}

fn compare_file(t: &mut Tally, file: &str, recs: &[Record]) {
    let msg = &recs.iter().find(|r| r.item == "BODY[]").unwrap().value;
    let info = MessageInfo::new(msg);
    for r in recs {
        let item = r.item.as_str();
        if r.kind == "TAGGED" {
            // The FETCH failed: only BINARY / BINARY.SIZE of an unknown
            // encoding do.
            assert!(r.value.starts_with(b"NO [UNKNOWN-CTE]"), "{file} {item}");
            let part = part_numbers(item);
            let ours = if item.starts_with("BINARY.SIZE") {
                info.binary_size(&part).err()
            } else {
                info.binary(&part).err()
            };
            t.check(
                file,
                item,
                matches!(ours, Some(BinaryError::UnknownCte(_))),
                || "Dovecot: NO [UNKNOWN-CTE]; ours: a value".to_owned(),
            );
            continue;
        }
        let theirs = fetch_item(&r.name, &r.kind, &r.value);
        match (item, theirs) {
            ("ENVELOPE", FetchItem::Envelope(e)) => {
                envelope_check(t, file, r, &info.envelope(), &e)
            }
            ("BODYSTRUCTURE", FetchItem::BodyStructure(b)) => {
                structure_check(t, file, r, &info.body_structure(), Some(&b));
            }
            ("BODY", FetchItem::Body(b)) => structure_check(t, file, r, &info.body(), Some(&b)),
            ("RFC822.SIZE", FetchItem::Rfc822Size(n)) => {
                t.check(file, item, info.rfc822_size() == n, || {
                    format!("ours {} theirs {n}", info.rfc822_size())
                });
            }
            (_, FetchItem::BodySection { section, data, .. }) => {
                let want = data
                    .string()
                    .map(|s| s.as_bytes().to_vec())
                    .unwrap_or_default();
                let ours = info.section(&section);
                let got = ours.as_ref().map(|d| d.to_bytes().into_owned());
                t.check(file, item, got.as_deref() == Some(&want[..]), || {
                    format!(
                        "ours   {}\ntheirs {}",
                        got.as_deref().map_or("None".to_owned(), show),
                        show(&want)
                    )
                });
            }
            (_, FetchItem::Binary { part, data, .. }) => {
                let want = data.data().unwrap_or_default().to_vec();
                let got = info.binary(&part);
                t.check(file, item, got.as_deref().ok() == Some(&want[..]), || {
                    format!(
                        "ours   {}\ntheirs {}",
                        got.as_ref().map_or_else(|e| e.to_string(), |g| show(g)),
                        show(&want)
                    )
                });
            }
            (_, FetchItem::BinarySize { part, size }) => {
                let got = info.binary_size(&part);
                t.check(
                    file,
                    item,
                    got.as_ref().ok() == Some(&u64::from(size)),
                    || format!("ours {got:?} theirs {size}"),
                );
            }
            (_, other) => panic!("{file}: unexpected item {item}: {other:?}"),
        }
    }
}

#[test]
fn dovecot_reference() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dovecot-rfc822");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 60, "one record file per corpus message");
    let mut t = Tally::default();
    for path in &files {
        let file = path.file_stem().unwrap().to_str().unwrap();
        let recs = records(&std::fs::read(path).unwrap());
        compare_file(&mut t, file, &recs);
    }

    let expected: BTreeSet<(&str, &str)> = EXPECTED.iter().map(|&(f, i, _)| (f, i)).collect();
    assert_eq!(
        expected.len(),
        EXPECTED.len(),
        "duplicate entries in EXPECTED"
    );
    let found: BTreeSet<(&str, &str)> = t
        .differs
        .iter()
        .map(|(f, i, _)| (f.as_str(), i.as_str()))
        .collect();
    let mut report = String::new();
    for (f, i, what) in &t.differs {
        if !expected.contains(&(f.as_str(), i.as_str())) {
            writeln!(report, "UNEXPECTED difference {f} {i}:\n{what}\n").unwrap();
        }
    }
    for (f, i, why) in EXPECTED {
        if !found.contains(&(*f, *i)) {
            writeln!(
                report,
                "STALE table entry {f} {i} ({why}): no longer differs"
            )
            .unwrap();
        }
    }
    println!(
        "rfc822 vs Dovecot 2.3.19.1: {} files, {} items compared, {} equal, {} documented differences",
        files.len(),
        t.compared,
        t.equal,
        t.differs.len()
    );
    println!(
        "typed-equal structures written in another form by Dovecot (literals, one-tag language lists): {}",
        t.form_only.len()
    );
    for f in &t.form_only {
        println!("  form: {f}");
    }
    for (f, i, why) in EXPECTED {
        println!("  documented: {f} {i}: {why}");
    }
    assert!(report.is_empty(), "{report}");
}
