//! Differential test against stalwart's mail-parser (0.11 line) over the
//! corpus (`tests/corpus/*.eml`).
//!
//! Both parsers read every message; each side's result is flattened into a
//! map of *facts*, one per thing compared, keyed by a path in the part tree:
//! `r` is the message, `r.2` its second subpart, `r.2.m` the message inside
//! a `message/rfc822` part `r.2`, `r.2.m.1` that message's first subpart.
//!
//! | key | value |
//! | --- | --- |
//! | `<path> type` | shape (`multipart`, `message`, `leaf`) and content type, lower case; a missing Content-Type is `text/plain`, or `message/rfc822` in a `multipart/digest` (RFC 2045 section 5.2, RFC 2046 section 5.1.5; mail-parser reports `None` there and the test fills in the same defaults) |
//! | `<path> body` | a leaf's decoded body: transfer encoding undone, and for `text/*` parts the charset decoded (ours: [`Part::text`], UTF-8 read lossily when the charset is unknown, as mail-parser does); shown as text when it is UTF-8, as escaped bytes otherwise |
//! | `<path> filename` | Content-Disposition `filename`, else Content-Type `name`, RFC 2231 and RFC 2047 decoded |
//! | `<msg> subject`, `from`, `to`, `cc`, `date`, `message-id` | for the message and every nested message: Subject decoded; each address as `"display name" <addr>` with group names shown as `name:` ... `;`; the Date as Unix time; the Message-ID without brackets |
//!
//! A fact on one side only (a part the other side does not have) counts as a
//! difference too. Every difference must be listed in [`DOCUMENTED`] with
//! its reason, and every entry there must still differ: the test fails both
//! on an undocumented difference and on a stale entry.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use mail_parser::{MessageParser, MimeHeaders, PartType};
use rfc822_message::header::{AddressList, ContentDisposition, DateTime, MessageId, unstructured};
use rfc822_message::parse::PartKind;
use rfc822_message::{Address, Mailbox, Message, Part};

type Facts = BTreeMap<String, String>;

/// The differences between the two parsers that are understood: file,
/// fact key (a trailing `*` matches every key with that prefix), and why.
const DOCUMENTED: &[(&str, &str, &str)] = &[
    // -- Content-Type --
    (
        "bad-content-type.eml",
        "r.1 type",
        "`text` without a subtype is not a valid Content-Type; ours applies RFC 2045 section 5.2 (an invalid \
      Content-Type means text/plain), mail-parser keeps the type with an empty subtype",
    ),
    (
        "bad-content-type.eml",
        "r.3 type",
        "`!!garbage!!` is not a type token; ours defaults to text/plain (RFC 2045 section 5.2), mail-parser \
      reports it as the type",
    ),
    (
        "duplicate-headers.eml",
        "r type",
        "two Content-Type fields: ours reads the first (as Dovecot and Python's email package do), mail-parser the last",
    ),
    // -- duplicate and empty fields --
    (
        "duplicate-headers.eml",
        "r subject",
        "two Subject fields (RFC 5322 section 3.6 allows one): ours reads the first, mail-parser the last",
    ),
    (
        "duplicate-headers.eml",
        "r from",
        "two From fields: ours reads the first, mail-parser the last",
    ),
    (
        "duplicate-headers.eml",
        "r message-id",
        "two Message-ID fields: ours reads the first, mail-parser the last",
    ),
    (
        "empty-fields.eml",
        "r subject",
        "`Subject:` with nothing after it: ours reads an empty subject, mail-parser drops empty fields",
    ),
    (
        "empty-fields.eml",
        "r cc",
        "`Cc:` empty: ours reads an empty list, mail-parser drops the field",
    ),
    (
        "no-space-after-colon.eml",
        "r cc",
        "`Cc:` empty: ours reads an empty list, mail-parser drops the field",
    ),
    // -- addresses --
    (
        "display-names.eml",
        "r to",
        "mail-parser bug: `\"john.q public\"@example.com` (a quoted local part, RFC 5322 section 3.4.1) becomes \
      the name `john.q public` with the address `@example.com`; and `Mr (the) Smith`: ours drops the comment \
      from the display name (section 3.2.2: comments are not part of it), mail-parser appends it",
    ),
    (
        "rfc5322-a5-oddities.eml",
        "r from",
        "comments: ours leaves them out of the display name (RFC 5322 section 3.2.2), mail-parser appends \
      every comment of the mailbox to the name (`Pete (A nice ) chap his account his host)`, losing the \
      quoted-pair's backslash but not its parenthesis)",
    ),
    (
        "rfc5322-a5-oddities.eml",
        "r to",
        "comments appended to names and to the group name by mail-parser, and the trailing comment \
      `(the end of the group)` after `;` read by it as one more mailbox; ours follows RFC 5322 Appendix A.5 \
      (three members, no comment text)",
    ),
    (
        "rfc5322-a5-oddities.eml",
        "r cc",
        "mail-parser bug: the empty group `Hidden recipients :(nobody(that I know)) ;` gets a member \
      with an empty address made of the comment; RFC 5322 Appendix A.5 says the group is empty",
    ),
    (
        "rfc5322-a6-1-obs-addressing.eml",
        "r to",
        "obsolete syntax: ours drops the source route (RFC 5322 section 4.4: obs-route is ignored) and the \
      CFWS around the dot of `test  . example` (section 4.4: semantically the same as without), mail-parser \
      keeps both in the address",
    ),
    (
        "rfc5322-a6-3-obs-whitespace.eml",
        "r from",
        "obsolete CFWS inside the domain `machine(comment).  example`: ours reads `machine.example` (RFC 5322 \
      section 4.4), mail-parser keeps the spaces in the address and moves the comment into the name",
    ),
    (
        "obs-route-and-dates.eml",
        "r from",
        "source route `<@a.example,@b.example:user@host.example>`: ours drops it (RFC 5322 section 4.4), \
      mail-parser keeps it as part of the address",
    ),
    (
        "obs-route-and-dates.eml",
        "r cc",
        "source route with an empty element (`@x.example,,@y.example:`): dropped by ours, kept by mail-parser",
    ),
    (
        "obs-route-and-dates.eml",
        "r to",
        "a route dropped by ours and kept by mail-parser; and `\"odd\".\"quoted\"@example.net` (obs-local-part, \
      RFC 5322 section 4.4): ours joins the words to `odd.quoted@example.net`, mail-parser bug: the name \
      `odd.quoted` with the address `@example.net`",
    ),
    (
        "whitespace-in-fields.eml",
        "r to",
        "runs of spaces and a tab between the words of a display name: ours reads one space (RFC 5322 \
      section 3.2.2: runs of FWS between tokens of a structured field mean one space), mail-parser keeps them",
    ),
    // -- encoded words --
    (
        "encoded-words.eml",
        "r cc",
        "a UTF-8 character split across two adjacent B words: ours joins the words' bytes before decoding \
      (RFC 2047 section 5 forbids the split, but encoders do it), mail-parser decodes each word alone and \
      gets U+FFFD",
    ),
    (
        "encoded-words.eml",
        "r to",
        "Shift_JIS: mail-parser's default build (no `full_encoding` feature, as used here) does not know it and \
      reads the bytes as lossy UTF-8; ours decodes it with the `encoding_rs` feature, and without it keeps \
      the encoded word as written (RFC 2047 section 6.2: show an undecodable word as is)",
    ),
    (
        "encoded-words-malformed.eml",
        "r from",
        "unknown charset `X-UNKNOWN`: ours keeps the encoded word as written (RFC 2047 section 6.2), \
      mail-parser decodes the payload as if it were ASCII/UTF-8",
    ),
    (
        "encoded-words-malformed.eml",
        "r cc",
        "`=?UTF-8?Q?has space?=` is not an encoded word (RFC 2047 section 5: no space inside a Q word) and \
      stays as written in ours; mail-parser decodes it",
    ),
    (
        "encoded-words-malformed.eml",
        "r subject",
        "`abc=?UTF-8?Q?x?=def`: both are lenient (RFC 2047 section 5 wants white space around a word); ours \
      decodes it in place (`abcxdef`, see header::encoded_word), mail-parser inserts spaces (`abc x def`)",
    ),
    // -- dates and ids --
    (
        "obs-route-and-dates.eml",
        "r date",
        "mail-parser bug: `8 Jan 98 13:45 EST (Eastern)` is read as +0000 (13:45Z); ours applies EST = -0500 \
      (RFC 5322 section 4.3), 18:45Z",
    ),
    (
        "rfc5322-a6-3-obs-whitespace.eml",
        "r date",
        "mail-parser bug: `09(comment):   55  :  06 -0600` (RFC 5322 Appendix A.6.3, 09:55:06) is read as \
      09:06; ours gives the RFC's time",
    ),
    (
        "rfc5322-a6-3-obs-whitespace.eml",
        "r message-id",
        "`<1234   @   local(blah)  .machine .example>` (obs-id, RFC 5322 Appendix A.6.3): ours removes the \
      CFWS (`1234@local.machine.example`), mail-parser keeps the text between the brackets",
    ),
    (
        "message-id-lists.eml",
        "r message-id",
        "`<\"quoted local\"@[192.0.2.1]>`: ours gives the id-left without its quotes (as for a local part, \
      RFC 5322 section 3.4.1: the quotes are not part of the value), mail-parser keeps them",
    ),
    (
        "whitespace-in-fields.eml",
        "r message-id",
        "a Message-ID with a tab inside the brackets is not a msg-id (RFC 5322 section 3.6.4): ours rejects \
      it, mail-parser keeps the text",
    ),
    // -- structure --
    (
        "header-no-blank-line.eml",
        "r body",
        "a header line without a colon: ours ends the header there and keeps the line as the first body line \
      (HeaderJunk::EndsHeader, as Python's email package), mail-parser drops the line and the rest",
    ),
    (
        "missing-blank-line.eml",
        "r.2*",
        "a part whose header is followed directly by a line without a colon: ours makes it the first body \
      line, mail-parser loses the whole part",
    ),
    (
        "missing-inner-close.eml",
        "r.1.2 body",
        "the inner multipart has no close delimiter: ours ends it at the outer boundary (RFC 2046 section \
      5.1.2: an enclosing boundary ends inner parts), mail-parser runs its last part to the end of the \
      message, outer delimiters included",
    ),
    (
        "missing-inner-close.eml",
        "r.2*",
        "the outer second part, which mail-parser swallows into the inner part (see r.1.2)",
    ),
    (
        "multipart-empty.eml",
        "r*",
        "a multipart without any delimiter line: ours keeps it a multipart with no parts (the body is its \
      preamble, RFC 2046 section 5.1.1), mail-parser turns it into a text leaf",
    ),
    (
        "message-rfc822-encoded.eml",
        "r.1*",
        "a message/rfc822 part with Content-Transfer-Encoding: base64, which RFC 2046 section 5.2.1 forbids: \
      ours leaves it a leaf whose decoded body is the message (a reader can parse that), mail-parser \
      decodes and parses it as a nested message",
    ),
    (
        "message-rfc822-encoded.eml",
        "r.2.m*",
        "mail-parser bug: the empty message/rfc822 part (delimiter right after its blank line) takes the \
      next part's header and body as its content; ours reads an empty message",
    ),
    (
        "message-rfc822-encoded.eml",
        "r.3*",
        "the third part, which mail-parser has merged into the second (see r.2.m)",
    ),
];

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

/// A body as a fact value: text when it is UTF-8, escaped bytes otherwise.
fn body_value(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => format!("{s:?}"),
        Err(_) => format!("bytes {}", bytes.escape_ascii()),
    }
}

fn opt(v: Option<String>) -> String {
    v.unwrap_or_else(|| "(none)".into())
}

// ---- mail-parser's side ----

fn mp_addresses(a: Option<&mail_parser::Address<'_>>) -> String {
    let Some(a) = a else {
        return "(none)".into();
    };
    let addr = |x: &mail_parser::Addr<'_>| {
        format!(
            "{:?} <{}>",
            x.name.as_deref().unwrap_or(""),
            x.address.as_deref().unwrap_or("")
        )
    };
    let mut out = Vec::new();
    match a {
        mail_parser::Address::List(list) => out.extend(list.iter().map(addr)),
        mail_parser::Address::Group(groups) => {
            for g in groups {
                match &g.name {
                    Some(n) => {
                        out.push(format!("{n}:"));
                        out.extend(g.addresses.iter().map(addr));
                        out.push(";".into());
                    }
                    None => out.extend(g.addresses.iter().map(addr)),
                }
            }
        }
    }
    out.join(", ")
}

fn mp_message(msg: &mail_parser::Message<'_>, path: &str, facts: &mut Facts) {
    facts.insert(
        format!("{path} subject"),
        opt(msg.subject().map(|s| format!("{s:?}"))),
    );
    facts.insert(format!("{path} from"), mp_addresses(msg.from()));
    facts.insert(format!("{path} to"), mp_addresses(msg.to()));
    facts.insert(format!("{path} cc"), mp_addresses(msg.cc()));
    facts.insert(
        format!("{path} date"),
        opt(msg.date().map(|d| d.to_timestamp().to_string())),
    );
    facts.insert(
        format!("{path} message-id"),
        opt(msg.message_id().map(str::to_owned)),
    );
    mp_part(msg, 0, path, false, facts);
}

fn mp_part(
    msg: &mail_parser::Message<'_>,
    id: usize,
    path: &str,
    in_digest: bool,
    facts: &mut Facts,
) {
    let part = &msg.parts[id];
    let ct = match part.content_type() {
        Some(ct) => format!(
            "{}/{}",
            ct.ctype().to_ascii_lowercase(),
            ct.subtype().unwrap_or("").to_ascii_lowercase()
        ),
        None if in_digest => "message/rfc822".into(),
        None => "text/plain".into(),
    };
    if let Some(name) = part.attachment_name() {
        facts.insert(format!("{path} filename"), format!("{name:?}"));
    }
    match &part.body {
        PartType::Multipart(ids) => {
            facts.insert(format!("{path} type"), format!("multipart {ct}"));
            let digest = ct == "multipart/digest";
            for (i, &child) in ids.iter().enumerate() {
                mp_part(
                    msg,
                    child as usize,
                    &format!("{path}.{}", i + 1),
                    digest,
                    facts,
                );
            }
        }
        PartType::Message(inner) => {
            facts.insert(format!("{path} type"), format!("message {ct}"));
            mp_message(inner, &format!("{path}.m"), facts);
        }
        PartType::Text(s) | PartType::Html(s) => {
            facts.insert(format!("{path} type"), format!("leaf {ct}"));
            facts.insert(format!("{path} body"), body_value(s.as_bytes()));
        }
        PartType::Binary(b) | PartType::InlineBinary(b) => {
            facts.insert(format!("{path} type"), format!("leaf {ct}"));
            facts.insert(format!("{path} body"), body_value(b));
        }
    }
}

fn mail_parser_facts(raw: &[u8]) -> Facts {
    let mut facts = Facts::new();
    match MessageParser::default().parse(raw) {
        Some(msg) => mp_message(&msg, "r", &mut facts),
        None => {
            facts.insert("r parse".into(), "(failed)".into());
        }
    }
    facts
}

// ---- our side ----

fn our_mailbox(m: &Mailbox<'_>) -> String {
    format!(
        "{:?} <{}>",
        m.name_or_comment().as_deref().unwrap_or(""),
        m.addr_spec()
    )
}

fn our_addresses(raw: Option<&[u8]>) -> String {
    let Some(raw) = raw else {
        return "(none)".into();
    };
    let Ok(list) = AddressList::parse(raw) else {
        return "(invalid)".into();
    };
    let mut out = Vec::new();
    for a in list.addresses() {
        match a {
            Address::Mailbox(m) => out.push(our_mailbox(m)),
            Address::Group(g) => {
                out.push(format!("{}:", g.name()));
                out.extend(g.members().iter().map(our_mailbox));
                out.push(";".into());
            }
        }
    }
    out.join(", ")
}

fn our_message(part: Part<'_>, path: &str, facts: &mut Facts) {
    facts.insert(
        format!("{path} subject"),
        opt(part
            .header(b"subject")
            .map(|s| format!("{:?}", unstructured::decode(s)))),
    );
    facts.insert(format!("{path} from"), our_addresses(part.header(b"from")));
    facts.insert(format!("{path} to"), our_addresses(part.header(b"to")));
    facts.insert(format!("{path} cc"), our_addresses(part.header(b"cc")));
    facts.insert(
        format!("{path} date"),
        opt(part
            .header(b"date")
            .and_then(|d| DateTime::parse(d).ok())
            .map(|d| d.to_unix().to_string())),
    );
    facts.insert(
        format!("{path} message-id"),
        opt(part
            .header(b"message-id")
            .and_then(|m| MessageId::parse(m).ok())
            .map(|m| m.as_str().to_owned())),
    );
    our_part(part, path, facts);
}

fn our_filename(part: &Part<'_>) -> Option<String> {
    let from_disposition = part
        .header(b"content-disposition")
        .and_then(|d| ContentDisposition::parse(d).ok())
        .and_then(|d| d.filename().map(|f| f.decoded().into_owned()));
    from_disposition.or_else(|| {
        part.content_type()
            .param("name")
            .map(|n| n.decoded().into_owned())
    })
}

fn our_part(part: Part<'_>, path: &str, facts: &mut Facts) {
    let ct = part.content_type();
    let ct_s = format!(
        "{}/{}",
        ct.main_type().to_ascii_lowercase(),
        ct.sub_type().to_ascii_lowercase()
    );
    if let Some(name) = our_filename(&part) {
        facts.insert(format!("{path} filename"), format!("{name:?}"));
    }
    match part.kind() {
        PartKind::Multipart => {
            facts.insert(format!("{path} type"), format!("multipart {ct_s}"));
            for (i, child) in part.subparts().enumerate() {
                our_part(child, &format!("{path}.{}", i + 1), facts);
            }
        }
        PartKind::Message => {
            facts.insert(format!("{path} type"), format!("message {ct_s}"));
            if let Some(inner) = part.nested_message() {
                our_message(inner, &format!("{path}.m"), facts);
            }
        }
        PartKind::Leaf => {
            facts.insert(format!("{path} type"), format!("leaf {ct_s}"));
            let body = if ct.main_type().eq_ignore_ascii_case("text") {
                match part.text() {
                    Some(t) => body_value(t.as_bytes()),
                    None => body_value(String::from_utf8_lossy(&part.decoded_body()).as_bytes()),
                }
            } else {
                body_value(&part.decoded_body())
            };
            facts.insert(format!("{path} body"), body);
        }
    }
}

fn our_facts(raw: &[u8]) -> Facts {
    let msg = Message::parse(raw);
    let mut facts = Facts::new();
    our_message(msg.root(), "r", &mut facts);
    facts
}

// ---- comparison ----

fn short(s: &str) -> String {
    const MAX: usize = 160;
    if s.chars().count() <= MAX {
        s.to_owned()
    } else {
        let head: String = s.chars().take(MAX).collect();
        format!("{head}... ({} chars)", s.chars().count())
    }
}

/// Where two values first differ, with a little context.
fn first_difference(a: &str, b: &str) -> String {
    let at = a
        .char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, _), _)| i);
    let from = a
        .char_indices()
        .map(|(i, _)| i)
        .filter(|&i| i <= at)
        .rev()
        .nth(20)
        .unwrap_or(0);
    let ctx = |s: &str| short(s.get(from..).unwrap_or(""));
    format!(
        "first difference at byte {at}:\n      ours: ...{}\n      m-p:  ...{}",
        ctx(a),
        ctx(b)
    )
}

fn documented(file: &str, key: &str) -> Option<usize> {
    DOCUMENTED.iter().position(|(f, k, _)| {
        *f == file
            && match k.strip_suffix('*') {
                Some(prefix) => key.starts_with(prefix),
                None => *k == key,
            }
    })
}

#[test]
fn corpus_agrees_with_mail_parser() {
    let corpus = corpus();
    assert!(corpus.len() >= 60, "corpus missing: {}", corpus.len());
    let mut comparisons = 0usize;
    let mut equal = 0usize;
    let mut documented_hits = 0usize;
    let mut used = BTreeSet::new();
    let mut failures = Vec::new();
    for (file, raw) in &corpus {
        let ours = our_facts(raw);
        let theirs = mail_parser_facts(raw);
        let keys: BTreeSet<&String> = ours.keys().chain(theirs.keys()).collect();
        for key in keys {
            comparisons += 1;
            let a = ours.get(key).map_or("(absent)", String::as_str);
            let b = theirs.get(key).map_or("(absent)", String::as_str);
            if a == b {
                equal += 1;
                continue;
            }
            if let Some(i) = documented(file, key) {
                documented_hits += 1;
                used.insert(i);
                continue;
            }
            failures.push(format!(
                "{file} [{key}] undocumented difference\n    ours: {}\n    m-p:  {}\n    {}",
                short(a),
                short(b),
                first_difference(a, b)
            ));
        }
    }
    for (i, (file, key, why)) in DOCUMENTED.iter().enumerate() {
        if !used.contains(&i) {
            failures.push(format!(
                "{file} [{key}] documented as different but now agrees (or no such key): {why}"
            ));
        }
    }
    println!(
        "differential: {} messages, {comparisons} comparisons, {equal} equal, {documented_hits} documented differences ({} table entries)",
        corpus.len(),
        DOCUMENTED.len()
    );
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
