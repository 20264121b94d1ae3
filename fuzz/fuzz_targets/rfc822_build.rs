//! The message builder of `rfc822-message` (`build::MessageBuilder`), read
//! back with the `Message` view and the header parsers.
//!
//! Input (`arbitrary`): subject, From and To mailboxes (display name, local
//! part, domain), date fields, Message-ID halves, a MIME tree (text, HTML,
//! binary data with or without a file name and a forced base64 or
//! quoted-printable encoding, multiparts of the four kinds nested up to
//! depth 4), attachments, the boundary seed, 8-bit allowed or not.
//! Values a constructor refuses (CR, LF, NUL, bad domains, ids, dates) are
//! replaced by fixed valid ones: the builder must never see them.
//!
//! Checks:
//! - the build succeeds (SMTPUTF8 on when an address or the id is not ASCII), every
//!   line is at most 998 octets plus CRLF, the header is ASCII otherwise;
//! - the push parser in strict mode reads the output without a defect;
//! - the header parsers give back the values: Subject (unstructured,
//!   RFC 2047 decoded), From and To (display names decoded, local parts,
//!   domains), Date, Message-ID;
//! - the part tree is the one built: media types, multipart kinds and
//!   subpart counts, text parts decode (transfer encoding and charset) to
//!   their text with line breaks made CRLF, data parts to their bytes,
//!   attachment file names (RFC 2231 / RFC 2047) decode to the name given.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use rfc822_message::Message;
use rfc822_message::build::{
    DateTime, Mailbox, MediaType, MessageBuilder, MessageId, MultipartKind, Part, Text,
    TransferEncoding,
};
use rfc822_message::header::{AddressList, ContentDisposition, unstructured};
use rfc822_message::parse::{ParserOptions, PartKind};

#[derive(Debug, Arbitrary)]
struct Addr {
    name: Option<String>,
    local: String,
    domain: String,
}

#[derive(Debug, Arbitrary)]
enum Tree {
    Text(String),
    Html(String),
    Data {
        data: Vec<u8>,
        name: Option<String>,
        encoding: u8,
    },
    Multi(u8, Vec<Tree>),
}

#[derive(Debug, Arbitrary)]
struct Input {
    subject: String,
    from: Addr,
    to: Vec<Addr>,
    date: (u16, u8, u8, u8, u8, u8, i16),
    id: (String, String),
    body: Tree,
    attachments: Vec<Tree>,
    seed: u64,
    eight: bool,
}

/// What was built, with the values the constructors accepted.
#[derive(Debug)]
enum Want {
    Text(&'static str, String),
    Data(Vec<u8>, Option<String>),
    Multi(&'static str, Vec<Want>),
}

const KINDS: [(MultipartKind, &str); 4] = [
    (MultipartKind::Mixed, "mixed"),
    (MultipartKind::Alternative, "alternative"),
    (MultipartKind::Related, "related"),
    (MultipartKind::Digest, "digest"),
];

fn text(s: &str) -> Text {
    Text::new(s).unwrap_or_else(|_| Text::new_lossy(s))
}

fn to_part(t: &Tree, depth: usize) -> (Part, Want) {
    match t {
        Tree::Text(s) => (Part::text(s.clone()), Want::Text("plain", s.clone())),
        Tree::Html(s) => (Part::html(s.clone()), Want::Text("html", s.clone())),
        Tree::Data {
            data,
            name,
            encoding,
        } => {
            let mut p = match name {
                Some(n) => Part::attachment(MediaType::octet_stream(), text(n), data.clone()),
                None => Part::data(MediaType::octet_stream(), data.clone()),
            };
            match encoding % 3 {
                1 => p = p.encoding(TransferEncoding::QuotedPrintable),
                2 => p = p.encoding(TransferEncoding::Base64),
                _ => {}
            }
            let name = name.as_deref().map(|n| text(n).as_str().to_owned());
            (p, Want::Data(data.clone(), name))
        }
        Tree::Multi(k, children) if depth < 4 && !children.is_empty() => {
            let (kind, sub) = KINDS[usize::from(*k) % 4].clone();
            let (parts, wants): (Vec<Part>, Vec<Want>) = children
                .iter()
                .take(6)
                .map(|c| to_part(c, depth + 1))
                .unzip();
            (Part::multipart(kind, parts), Want::Multi(sub, wants))
        }
        Tree::Multi(..) => (Part::text(""), Want::Text("plain", String::new())),
    }
}

fn mailbox(a: &Addr) -> Mailbox<'static> {
    Mailbox::new(a.name.as_deref(), &a.local, &a.domain)
        .map(Mailbox::into_owned)
        .unwrap_or_else(|_| Mailbox::new(Some("Fallback"), "fb", "example.org").unwrap())
}

/// Line breaks made CRLF (a lone LF becomes CRLF, CRLF and lone CR stay).
fn crlf(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_cr = false;
    for c in s.chars() {
        if c == '\n' && !prev_cr {
            out.push('\r');
        }
        out.push(c);
        prev_cr = c == '\r';
    }
    out
}

fn check(msg: &Message<'_>, id: usize, want: &Want) {
    let part = msg.part(id).unwrap();
    let ct = part.content_type();
    match want {
        Want::Text(sub, s) => {
            assert_eq!(part.kind(), PartKind::Leaf);
            assert!(ct.is("text", sub), "{}/{}", ct.main_type(), ct.sub_type());
            assert_eq!(part.text().as_deref(), Some(crlf(s).as_str()), "part {id}");
        }
        Want::Data(d, name) => {
            assert_eq!(part.kind(), PartKind::Leaf);
            assert!(ct.is("application", "octet-stream"));
            assert_eq!(&*part.decoded_body(), &d[..], "part {id}");
            let got = part
                .header(b"content-disposition")
                .and_then(|v| ContentDisposition::parse(v).ok())
                .and_then(|cd| cd.filename().map(|f| f.decoded().into_owned()));
            assert_eq!(&got, name, "file name of part {id}");
        }
        Want::Multi(sub, children) => {
            assert_eq!(part.kind(), PartKind::Multipart);
            assert!(ct.is("multipart", sub));
            let subs: Vec<usize> = part.subparts().map(|p| p.id()).collect();
            assert_eq!(subs.len(), children.len(), "subparts of {id}");
            for (c, w) in subs.iter().zip(children) {
                check(msg, *c, w);
            }
        }
    }
}

fn addr_matches(m: &rfc822_message::Mailbox<'_>, a: &Mailbox<'_>) {
    assert_eq!(m.name(), a.name(), "display name");
    assert_eq!(m.local_part(), a.local_part());
    assert_eq!(m.domain(), a.domain());
}

fuzz_target!(|input: Input| {
    let subject = text(&input.subject);
    let from = mailbox(&input.from);
    let to: Vec<Mailbox<'static>> = input.to.iter().take(4).map(mailbox).collect();
    let (y, mo, d, h, mi, s, off) = input.date;
    let date = DateTime::new(
        1900 + y % 8100,
        1 + mo % 12,
        1 + d % 28,
        h % 24,
        mi % 60,
        s % 60,
        off % 6000,
    )
    .unwrap();
    let id = MessageId::new(&input.id.0, &input.id.1)
        .unwrap_or_else(|_| MessageId::new("fallback", "example.org").unwrap());

    // a non-ASCII address or id needs SMTPUTF8 (RFC 6532); the header is then UTF-8
    let utf8 = std::iter::once(&from)
        .chain(&to)
        .any(|m| !m.local_part().is_ascii() || !m.domain().unwrap_or("").is_ascii())
        || !id.as_str().is_ascii();
    let (body, body_want) = to_part(&input.body, 0);
    let mut b = MessageBuilder::new()
        .subject(subject.clone())
        .from(from.clone())
        .date(date)
        .message_id(id.clone())
        .deterministic(input.seed)
        .allow_8bit(input.eight)
        .smtputf8(utf8)
        .body(body);
    for m in &to {
        b = b.to(m.clone());
    }
    let mut att_wants = Vec::new();
    for t in input.attachments.iter().take(4) {
        let (p, w) = to_part(t, 1);
        b = b.attach(p);
        att_wants.push(w);
    }
    let want = if att_wants.is_empty() {
        body_want
    } else {
        let mut all = vec![body_want];
        all.extend(att_wants);
        Want::Multi("mixed", all)
    };

    let raw = b.build().expect("valid values always build");
    for line in raw.split(|&b| b == b'\n') {
        assert!(line.len() <= 999, "line of {} octets", line.len());
    }
    let msg = Message::parse_with(&raw, ParserOptions::strict())
        .unwrap_or_else(|e| panic!("strict parse of the built message: {e}"));
    let root = msg.root();
    assert!(utf8 || root.raw_header().is_ascii());

    let subj = root.header(b"subject").expect("Subject written");
    assert_eq!(unstructured::decode(subj), subject.as_str(), "Subject");
    let from_list = AddressList::parse(root.header(b"from").expect("From")).unwrap();
    let got: Vec<_> = from_list.mailboxes().collect();
    assert_eq!(got.len(), 1);
    addr_matches(got[0], &from);
    if !to.is_empty() {
        let to_list = AddressList::parse(root.header(b"to").expect("To")).unwrap();
        let got: Vec<_> = to_list.mailboxes().collect();
        assert_eq!(got.len(), to.len());
        for (g, w) in got.iter().zip(&to) {
            addr_matches(g, w);
        }
    }
    assert_eq!(
        DateTime::parse(root.header(b"date").unwrap()).unwrap(),
        date
    );
    assert_eq!(
        MessageId::parse(root.header(b"message-id").unwrap()).unwrap(),
        id
    );
    check(&msg, 0, &want);
});
