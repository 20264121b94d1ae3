//! Parsing whole messages in memory: `rfc822-message` beside stalwart's
//! `mail-parser` (its 0.11 line), on the same bytes.
//!
//! Groups (throughput = input bytes):
//!
//! * `rfc822_parse`: every message of the corpus
//!   (`crates/rfc822-message/tests/corpus/*.eml`, 60 small messages, 41 KB
//!   in all), one after the other per iteration;
//! * `rfc822_parse_large`: one generated 8 MB `multipart/mixed` message (a
//!   quoted-printable text part, an HTML part with long lines, six 1 MB
//!   base64 attachments, a `message/rfc822` part), for large-message
//!   behaviour;
//! * `imap_rfc822` and `imap_rfc822_large` (no peer: no other crate
//!   computes ENVELOPE and BODYSTRUCTURE): on the same corpus and the same
//!   large message, `imap_fetch` below, what an IMAP server does for
//!   `FETCH n (ENVELOPE BODYSTRUCTURE RFC822.SIZE)`:
//!   `imap_proto::rfc822::MessageInfo::new` (one parse of the message),
//!   its `envelope()`, `body_structure()` and `rfc822_size()`, the
//!   `* n FETCH (...)` response built from them and encoded into a reused
//!   output buffer. Throughput is message bytes, not response bytes.
//!   Before measuring, every response is checked to parse back equal with
//!   the response parser.
//!
//! What each side does per message:
//!
//! * `mail_parser`: `MessageParser::default().parse(raw)`, then a walk of
//!   every part (into nested messages), adding up header counts and body
//!   lengths. Its parse is eager: it builds the part tree, undoes every
//!   transfer encoding, decodes every text part's charset to a `String`,
//!   and parses every header field by name: Subject, Comments,
//!   Content-Description, Content-Location, Content-Transfer-Encoding as
//!   unstructured text; From, To, Cc, Bcc, Reply-To, Sender, the Resent-
//!   address fields and the List-* fields as addresses; Date and
//!   Resent-Date as dates; Message-ID, References, In-Reply-To,
//!   Return-Path, Content-ID, Resent-Message-ID as ids; Keywords and
//!   Content-Language as comma-separated lists; Received; Content-Type and
//!   Content-Disposition as content types; any other field as its trimmed
//!   text.
//! * `ours`: `Message::parse(raw)` (the part tree only), then the same
//!   work done through our parsers for every part: its Content-Type parsed
//!   once (`Part::content_type`), every other header field recognised by
//!   one name lookup (`HeaderField::known`) and decoded
//!   (`decode_field` below: `unstructured::decode`, `AddressList::parse`,
//!   `parse_return_path`, `DateTime::parse`, `MessageId::parse`,
//!   `IdList::parse`, `Keywords::parse`,
//!   `ContentLanguage::parse`, `Received::parse`, `ContentType::parse` for
//!   a second Content-Type, `ContentDisposition::parse`,
//!   `ContentTransferEncoding::parse`, `content_location`; any other field:
//!   its trimmed value checked as UTF-8), and for every leaf
//!   `Part::decoded_body()` (transfer decoding), then for a `text/*` leaf
//!   `charset::decode_lossy` with its charset parameter (US-ASCII when
//!   absent), as `Part::text` does. The results are added up the same way.
//! * `ours_lazy` (no peer, not equivalent work): `Message::parse` and a
//!   walk of the parts reading only raw header and body sizes: what a
//!   reader pays before it asks for any value.
//!
//! Before measuring, both sides are checked to find the same number of
//! parts in every message, except in the four corpus messages whose tree
//! the differential test (`crates/rfc822-message/tests/differential.rs`)
//! documents as different.
#![allow(missing_docs)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use base64::Engine as _;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use imap_proto::rfc822::MessageInfo;
use imap_proto::types::{Data, FetchItem, NonEmptyVec, Response};
use imap_proto::{Encode, EncodeOptions, Encoder};
use mail_parser::{MessageParser, PartType};
use rfc822_message::header::address::parse_return_path;
use rfc822_message::header::{
    AddressList, ContentDisposition, ContentLanguage, ContentTransferEncoding, ContentType,
    DateTime, IdList, Keywords, KnownField, MessageId, Received, content_location, unstructured,
};
use rfc822_message::parse::PartKind;
use rfc822_message::{Message, charset};

/// Corpus messages whose part tree differs between the two parsers (see
/// the differential test's table), so their part counts differ too.
const TREE_DIFFERS: &[&str] = &[
    "message-rfc822-encoded.eml",
    "missing-blank-line.eml",
    "missing-inner-close.eml",
    "multipart-empty.eml",
];

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../crates/rfc822-message/tests/corpus");
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus directory")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .map(|p| {
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let bytes = std::fs::read(&p).expect("corpus file");
            (name, bytes)
        })
        .collect();
    out.sort();
    assert!(out.len() >= 60, "corpus not found at {}", dir.display());
    out
}

/// A deterministic byte stream (xorshift64).
struct Noise(u64);

impl Noise {
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            out.extend_from_slice(&self.0.to_le_bytes());
        }
        out.truncate(n);
        out
    }
}

fn base64_lines(data: &[u8], out: &mut Vec<u8>) {
    let text = base64::engine::general_purpose::STANDARD.encode(data);
    for line in text.as_bytes().chunks(76) {
        out.extend_from_slice(line);
        out.extend_from_slice(b"\r\n");
    }
}

/// About 8 MB: see the module docs.
fn large_message() -> Vec<u8> {
    let mut noise = Noise(0x9e37_79b9_7f4a_7c15);
    let mut m = Vec::with_capacity(9 << 20);
    m.extend_from_slice(
        b"Return-Path: <sender@example.com>\r\n\
Received: from mx.example.com (mx.example.com [192.0.2.1])\r\n\tby mail.example.net with ESMTPS id abc123\r\n\tfor <rcpt@example.net>; Mon, 05 Jan 2026 10:00:00 +0000\r\n\
From: =?UTF-8?Q?J=C3=B6rg_Sender?= <sender@example.com>\r\n\
To: Someone <rcpt@example.net>, other@example.org\r\n\
Cc: \"Third, Person\" <third@example.org>\r\n\
Subject: =?UTF-8?B?R3Jvw59lIERhdGVpZW4=?= and the report\r\n\
Date: Mon, 05 Jan 2026 10:00:00 +0100\r\n\
Message-ID: <large-8mb@example.com>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"==outer-boundary==\"\r\n\r\n\
This is a multi-part message in MIME format.\r\n",
    );
    // text/plain, quoted-printable, about 1 MB of prose with soft breaks
    m.extend_from_slice(
        b"--==outer-boundary==\r\nContent-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\r\n",
    );
    let words: [&[u8]; 8] = [
        b"Gr=C3=BC=C3=9Fe",
        b"the",
        b"quarterly",
        b"report",
        b"caf=C3=A9",
        b"numbers",
        b"and",
        b"attachments",
    ];
    let mut line_len = 0;
    let start = m.len();
    let mut i = 0usize;
    while m.len() - start < 1 << 20 {
        let w = words[i % words.len()];
        i = i.wrapping_mul(31).wrapping_add(7);
        if line_len + w.len() + 1 > 72 {
            m.extend_from_slice(if i.is_multiple_of(3) {
                b"=\r\n"
            } else {
                b"\r\n"
            });
            line_len = 0;
        }
        m.extend_from_slice(w);
        m.push(b' ');
        line_len += w.len() + 1;
    }
    m.extend_from_slice(b"\r\n");
    // text/html, 8bit, long lines (about 1 MB)
    m.extend_from_slice(
        b"--==outer-boundary==\r\nContent-Type: text/html; charset=\"utf-8\"\r\n\
Content-Transfer-Encoding: 8bit\r\n\r\n<html><body>\r\n",
    );
    for n in 0..1024 {
        let mut line = format!("<p class=\"row{n}\">");
        while line.len() < 1000 {
            line.push_str("Grüße aus dem Büro, die Zahlen sind da. ");
        }
        line.push_str("</p>\r\n");
        m.extend_from_slice(line.as_bytes());
    }
    m.extend_from_slice(b"</body></html>\r\n");
    // six 1 MB base64 attachments
    for n in 0..6 {
        m.extend_from_slice(
            format!(
                "--==outer-boundary==\r\nContent-Type: application/octet-stream; name=\"data{n}.bin\"\r\n\
Content-Disposition: attachment; filename=\"data{n}.bin\"\r\n\
Content-Transfer-Encoding: base64\r\n\r\n"
            )
            .as_bytes(),
        );
        base64_lines(&noise.bytes(1 << 20), &mut m);
    }
    // a forwarded message
    m.extend_from_slice(
        b"--==outer-boundary==\r\nContent-Type: message/rfc822\r\n\r\n\
From: Inner <inner@example.org>\r\nTo: sender@example.com\r\nSubject: inner\r\n\
Date: Sun, 04 Jan 2026 09:00:00 +0000\r\nMessage-ID: <inner@example.org>\r\n\
Content-Type: text/plain; charset=iso-8859-1\r\n\r\n",
    );
    for _ in 0..200 {
        m.extend_from_slice(b"Gr\xfc\xdfe aus M\xfcnchen, an inner text line.\r\n");
    }
    m.extend_from_slice(b"\r\n--==outer-boundary==--\r\n");
    m
}

/// Decodes one field as mail-parser's default parse does, returning a
/// number that depends on the result. The field is recognised by one
/// lookup of its name ([`KnownField`]), as mail-parser recognises its
/// `HeaderName`s.
fn decode_field(known: Option<KnownField>, value: &[u8]) -> usize {
    use KnownField as K;
    match known {
        Some(K::Subject | K::Comments | K::ContentDescription) => unstructured::decode(value).len(),
        Some(
            K::From
            | K::To
            | K::Cc
            | K::Bcc
            | K::ReplyTo
            | K::Sender
            | K::ResentFrom
            | K::ResentTo
            | K::ResentCc
            | K::ResentBcc
            | K::ResentSender
            | K::ListArchive
            | K::ListHelp
            | K::ListId
            | K::ListOwner
            | K::ListPost
            | K::ListSubscribe
            | K::ListUnsubscribe,
        ) => AddressList::parse(value).map_or(0, |l| l.addresses().len()),
        Some(K::Date | K::ResentDate) => {
            DateTime::parse(value).map_or(0, |d| d.to_unix().unsigned_abs() as usize)
        }
        Some(K::MessageId | K::ContentId | K::ResentMessageId) => {
            MessageId::parse(value).map_or(0, |m| m.as_str().len())
        }
        Some(K::References | K::InReplyTo) => IdList::parse(value).ids().len(),
        Some(K::ReturnPath) => parse_return_path(value).map_or(0, |m| m.local_part().len()),
        Some(K::Received) => Received::parse(value).map_or(0, |r| r.clauses().len()),
        Some(K::ContentType) => {
            ContentType::parse(value).map_or(0, |c| c.params().len() + c.sub_type().len())
        }
        Some(K::ContentDisposition) => {
            ContentDisposition::parse(value).map_or(0, |c| c.params().len())
        }
        Some(K::ContentTransferEncoding) => {
            ContentTransferEncoding::parse(value).map_or(0, |c| c.as_str().len())
        }
        Some(K::ContentLanguage) => ContentLanguage::parse(value).map_or(0, |c| c.tags().len()),
        Some(K::ContentLocation) => content_location(value).len(),
        Some(K::Keywords) => Keywords::parse(value).map_or(0, |k| k.len()),
        _ => std::str::from_utf8(unstructured::trim(value)).map_or(0, str::len),
    }
}

/// Ours, equivalent to mail-parser's parse: (parts, checksum).
fn ours(raw: &[u8]) -> (usize, usize) {
    let msg = Message::parse(raw);
    let mut sum = 0;
    for part in msg.parts() {
        // the (first) Content-Type field, parsed once and used for the body
        let ct = part.content_type();
        sum += ct.params().len() + ct.sub_type().len();
        let mut ct_seen = false;
        for f in part.header_fields() {
            let known = f.known();
            if !ct_seen && known == Some(KnownField::ContentType) {
                ct_seen = true;
                continue;
            }
            sum += decode_field(known, f.value());
        }
        if part.kind() == PartKind::Leaf {
            let body = part.decoded_body();
            if ct.main_type().eq_ignore_ascii_case("text") {
                let label = ct.charset();
                let label = label.as_ref().map_or(&b"us-ascii"[..], |c| c.as_bytes());
                sum += charset::decode_lossy(label, &body).len();
            } else {
                sum += body.len();
            }
        }
    }
    (msg.parts().len(), sum)
}

/// Ours without decoding anything: (parts, checksum).
fn ours_lazy(raw: &[u8]) -> (usize, usize) {
    let msg = Message::parse(raw);
    let mut sum = 0;
    for part in msg.parts() {
        sum += part.header_fields().count() + part.raw_body().len();
    }
    (msg.parts().len(), sum)
}

fn walk_mp(msg: &mail_parser::Message<'_>, parts: &mut usize, sum: &mut usize) {
    for part in &msg.parts {
        *parts += 1;
        *sum += part.headers.len();
        match &part.body {
            PartType::Text(t) | PartType::Html(t) => *sum += t.len(),
            PartType::Binary(b) | PartType::InlineBinary(b) => *sum += b.len(),
            PartType::Message(inner) => walk_mp(inner, parts, sum),
            PartType::Multipart(ids) => *sum += ids.len(),
        }
    }
}

/// mail-parser: (parts, checksum).
fn mail_parser(raw: &[u8]) -> (usize, usize) {
    let (mut parts, mut sum) = (0, 0);
    if let Some(msg) = MessageParser::default().parse(raw) {
        walk_mp(&msg, &mut parts, &mut sum);
    }
    (parts, sum)
}

/// The `* 1 FETCH (ENVELOPE ... BODYSTRUCTURE ... RFC822.SIZE n)` response
/// of `raw`.
fn fetch_response(raw: &[u8]) -> Response<'_> {
    let info = MessageInfo::new(raw);
    Response::Data(Data::Fetch {
        seq: core::num::NonZeroU32::MIN,
        items: NonEmptyVec::new(vec![
            FetchItem::Envelope(Box::new(info.envelope())),
            FetchItem::BodyStructure(Box::new(info.body_structure())),
            FetchItem::Rfc822Size(info.rfc822_size()),
        ])
        .expect("three items"),
    })
}

/// What a server does for `FETCH n (ENVELOPE BODYSTRUCTURE RFC822.SIZE)`:
/// the views and the encoded response, written into `out` (cleared
/// first). Returns the response length.
fn imap_fetch(raw: &[u8], out: &mut Vec<u8>) -> usize {
    let mut e = Encoder::new(EncodeOptions::default());
    fetch_response(raw).encode(&mut e);
    out.clear();
    e.write_to(out);
    out.len()
}

/// The response `imap_fetch` writes parses back to the same value.
fn check_imap_fetch(name: &str, raw: &[u8]) {
    let mut out = Vec::new();
    imap_fetch(raw, &mut out);
    let back = Response::parse(&out).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(back, fetch_response(raw), "{name}");
}

fn check_parts(name: &str, raw: &[u8]) {
    let (a, _) = ours(raw);
    let (b, _) = mail_parser(raw);
    let (c, _) = ours_lazy(raw);
    assert_eq!(a, c, "{name}");
    if !TREE_DIFFERS.contains(&name) {
        assert_eq!(a, b, "{name}: ours {a} parts, mail-parser {b}");
    }
}

fn bench(c: &mut Criterion) {
    let corpus = corpus();
    let total: usize = corpus.iter().map(|(_, m)| m.len()).sum();
    for (name, raw) in &corpus {
        check_parts(name, raw);
    }
    let all = |f: fn(&[u8]) -> (usize, usize)| {
        let corpus = &corpus;
        move || corpus.iter().map(|(_, m)| f(black_box(m)).1).sum::<usize>()
    };
    let mut g = c.benchmark_group("rfc822_parse");
    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function("ours", |b| b.iter(all(ours)));
    g.bench_function("mail_parser", |b| b.iter(all(mail_parser)));
    g.bench_function("ours_lazy", |b| b.iter(all(ours_lazy)));
    g.finish();

    let large = large_message();
    check_parts("large", &large);
    let mut g = c.benchmark_group("rfc822_parse_large");
    g.throughput(Throughput::Bytes(large.len() as u64));
    g.bench_function("ours", |b| b.iter(|| ours(black_box(&large))));
    g.bench_function("mail_parser", |b| b.iter(|| mail_parser(black_box(&large))));
    g.bench_function("ours_lazy", |b| b.iter(|| ours_lazy(black_box(&large))));
    g.finish();

    for (name, raw) in &corpus {
        check_imap_fetch(name, raw);
    }
    check_imap_fetch("large", &large);
    let mut out = Vec::new();
    let mut g = c.benchmark_group("imap_rfc822");
    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function("ours", |b| {
        b.iter(|| {
            corpus
                .iter()
                .map(|(_, m)| imap_fetch(black_box(m), &mut out))
                .sum::<usize>()
        })
    });
    g.finish();
    let mut g = c.benchmark_group("imap_rfc822_large");
    g.throughput(Throughput::Bytes(large.len() as u64));
    g.bench_function("ours", |b| {
        b.iter(|| imap_fetch(black_box(&large), &mut out))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
