//! The header value parsers of `rfc822-message` (`header::*`).
//!
//! Input: the first byte picks the parser, the rest is a raw field value.
//!
//! Checks: no panic on any value, and for what parses:
//! - `AddressList`: encode, parse the encoding: the same addresses (display
//!   names raw, local parts, domains, routes, comments, groups), and
//!   encoding that again gives the same bytes, without CR, LF or NUL;
//!   `Mailbox::parse` and `parse_return_path` never panic. Normalisation:
//!   defects are not compared (the encoding is canonical, so the re-parse
//!   has fewer); names and comments are compared unfolded.
//! - `DateTime`: encode, parse: equal; `from_unix(to_unix)` gives the date
//!   back (unless the zone is unknown or the second is a leap second).
//! - encoded words: `decode_text` of the value, encoded again as B and as
//!   Q words (ASCII, no CR/LF, words of at most 75 characters), decodes to
//!   the same text; `decode_text_limited` agrees with it under a roomy
//!   limit (its running check is conservative: 3 octets per undecoded
//!   byte) and fails under one smaller than the text.
//! - `ContentType` / `ContentDisposition` (no encoder in the crate): written
//!   as `type/subtype; name="value"` with every value quoted, parsed again:
//!   the same type, subtype and parameters (names and values). Normalisation:
//!   every value comes back quoted, defects are not compared, and values
//!   holding CR, LF or NUL (which no encoder may write) are not re-encoded.
//!   Accessors (`charset`, `boundary`, `filename`, `size`, RFC 2231 joins)
//!   never panic; tight `max_params` limits fail cleanly.
//! - `IdList` / `MessageId`: encode, parse: the same identifiers, and the
//!   same bytes when encoded again. Normalisation: identifiers the list
//!   parser kept from broken brackets (white space removed, may hold
//!   comments or quotes) are only required to settle within a few
//!   parse/encode rounds.
//! - `Received`: the clauses written as `name value` and the date after
//!   `;`, parsed again: the same clause names, values and date (for values
//!   of printable ASCII free of comments, quotes and angle brackets; other
//!   values are kept raw or read lossily and are not re-encoded).
//! - `Keywords` (no encoder in the crate; run with the misc parsers): each
//!   keyword's raw bytes are borrowed from the value; the texts written as
//!   quoted strings joined by `, ` read back the same. Normalisation: texts
//!   holding CR, LF or NUL (from encoded words) or `=?` (which would be
//!   decoded again) are not re-encoded.
#![no_main]

use std::borrow::Cow;

use libfuzzer_sys::fuzz_target;
use rfc822_message::Limits;
use rfc822_message::header::address::parse_return_path;
use rfc822_message::header::encoded_word::{self, Encoding};
use rfc822_message::header::{
    Address, AddressList, ContentDisposition, ContentLanguage, ContentTransferEncoding,
    ContentType, DateTime, IdList, Keywords, Mailbox, MessageId, Param, Received, content_location,
    unstructured,
};

fn enc(f: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::new();
    f(&mut out);
    out
}

/// CR and LF removed: a name read leniently may keep a fold that the
/// encoder drops.
fn unfolded(b: &[u8]) -> Vec<u8> {
    b.iter()
        .copied()
        .filter(|&c| c != b'\r' && c != b'\n')
        .collect()
}

#[derive(Debug, PartialEq)]
struct Mb {
    name: Option<Vec<u8>>,
    local: String,
    domain: Option<String>,
    route: Vec<String>,
    comment: Option<Vec<u8>>,
}

fn mb(m: &Mailbox<'_>) -> Mb {
    Mb {
        name: m.name_raw().map(unfolded),
        local: m.local_part().to_owned(),
        domain: m.domain().map(str::to_owned),
        route: m.route().iter().map(|r| r.to_string()).collect(),
        comment: m.comment().map(unfolded),
    }
}

#[derive(Debug, PartialEq)]
enum Ad {
    M(Mb),
    G(Vec<u8>, Vec<Mb>),
}

fn shape(l: &AddressList<'_>) -> Vec<Ad> {
    l.addresses()
        .iter()
        .map(|a| match a {
            Address::Mailbox(m) => Ad::M(mb(m)),
            Address::Group(g) => Ad::G(g.name_raw().to_vec(), g.members().iter().map(mb).collect()),
        })
        .collect()
}

fn addresses(v: &[u8]) {
    if let Ok(m) = Mailbox::parse(v) {
        let _ = (m.name(), m.name_or_comment(), m.addr_spec(), m.is_null());
    }
    let _ = parse_return_path(v);
    let Ok(list) = AddressList::parse(v) else {
        return;
    };
    for m in list.mailboxes() {
        let _ = (m.name(), m.name_or_comment(), m.addr_spec());
    }
    let e1 = enc(|o| list.encode(o));
    assert!(
        !e1.iter().any(|&b| matches!(b, 0 | b'\r' | b'\n')),
        "{e1:?}"
    );
    let again = AddressList::parse(&e1).unwrap_or_else(|e| {
        panic!(
            "encoding {:?} does not parse: {e}",
            String::from_utf8_lossy(&e1)
        )
    });
    assert_eq!(
        shape(&list),
        shape(&again),
        "encoding {:?}",
        String::from_utf8_lossy(&e1)
    );
    let e2 = enc(|o| again.encode(o));
    assert_eq!(e1, e2, "encoding not stable");
    let owned = list.clone().into_owned();
    assert_eq!(owned, list);
}

fn date(v: &[u8]) {
    let Ok(d) = DateTime::parse(v) else { return };
    let e = enc(|o| d.encode(o));
    assert_eq!(e, d.to_string().into_bytes());
    let back = DateTime::parse(&e)
        .unwrap_or_else(|err| panic!("{:?} does not parse: {err}", String::from_utf8_lossy(&e)));
    assert_eq!(back, d);
    if !d.zone_unknown && d.second < 60 {
        assert_eq!(DateTime::from_unix(d.to_unix(), d.offset_minutes), Some(d));
    }
}

fn words(v: &[u8]) {
    let (text, _) = encoded_word::decode_text_with_defects(v);
    assert_eq!(text, encoded_word::decode_text(v));
    // the limit check while decoding is conservative (a run of words in one
    // charset counts 3 octets per decoded byte), so the exact size may fail
    let roomy = text.len() + 3 * v.len();
    let (lim, _) = encoded_word::decode_text_limited(v, roomy).expect("fits");
    assert_eq!(lim, text);
    if !text.is_empty() {
        assert!(encoded_word::decode_text_limited(v, text.len() - 1).is_err());
    }
    let _ = unstructured::decode(v);
    let mut l = Limits::default();
    l.max_decoded_size = 16;
    let _ = unstructured::decode_limited(v, &l);
    for e in [Encoding::B, Encoding::Q] {
        let w = encoded_word::encode(&text, e);
        assert!(w.is_ascii() && !w.contains(['\r', '\n']));
        for word in w.split(' ') {
            assert!(word.len() <= 75, "word too long: {word}");
        }
        assert_eq!(encoded_word::decode_text(w.as_bytes()), text, "{e:?} {w}");
    }
}

/// `type/subtype; name="value"...`, every value quoted. `None` when a value
/// holds bytes no encoder may write.
fn write_params(head: &str, params: &[Param<'_>]) -> Option<Vec<u8>> {
    let mut out = head.as_bytes().to_vec();
    for p in params {
        if p.value().iter().any(|&b| matches!(b, b'\r' | b'\n' | 0)) {
            return None;
        }
        out.extend_from_slice(b"; ");
        out.extend_from_slice(p.name().as_bytes());
        out.extend_from_slice(b"=\"");
        for &b in p.value() {
            if b == b'"' || b == b'\\' {
                out.push(b'\\');
            }
            out.push(b);
        }
        out.push(b'"');
    }
    Some(out)
}

fn pshape(params: &[Param<'_>]) -> Vec<(String, Vec<u8>)> {
    params
        .iter()
        .map(|p| (p.name().to_owned(), p.value().to_vec()))
        .collect()
}

fn small(n: usize) -> Limits {
    let mut l = Limits::default();
    l.max_params = n;
    l
}

fn content_type(v: &[u8]) {
    let _ = ContentType::parse_with(v, &small(1));
    let Ok(ct) = ContentType::parse(v) else {
        return;
    };
    let _ = (
        ct.is_multipart(),
        ct.is_message(),
        ct.boundary(),
        ct.defects(),
    );
    if let Some(c) = ct.charset() {
        let _ = c.decoded();
    }
    for p in ct.params() {
        let _ = p.rfc2231_name();
        let (base, _, _) = p.rfc2231_name();
        if let Some(pv) = ct.param(base) {
            let _ = (pv.decoded(), pv.charset(), pv.language(), pv.defects());
        }
    }
    let Some(e) = write_params(
        &format!("{}/{}", ct.main_type(), ct.sub_type()),
        ct.params(),
    ) else {
        return;
    };
    let back = ContentType::parse(&e)
        .unwrap_or_else(|err| panic!("{:?} does not parse: {err}", String::from_utf8_lossy(&e)));
    assert_eq!(back.main_type(), ct.main_type());
    assert_eq!(back.sub_type(), ct.sub_type());
    assert_eq!(
        pshape(back.params()),
        pshape(ct.params()),
        "{:?}",
        String::from_utf8_lossy(&e)
    );
    assert!(back.params().iter().all(Param::is_quoted));
    assert_eq!(ct.clone().into_owned(), ct);
}

fn disposition(v: &[u8]) {
    let _ = ContentDisposition::parse_with(v, &small(0));
    let Ok(cd) = ContentDisposition::parse(v) else {
        return;
    };
    let _ = (cd.is_inline(), cd.is_attachment(), cd.size(), cd.defects());
    if let Some(f) = cd.filename() {
        let _ = f.decoded();
    }
    let Some(e) = write_params(cd.kind().as_str(), cd.params()) else {
        return;
    };
    let back = ContentDisposition::parse(&e)
        .unwrap_or_else(|err| panic!("{:?} does not parse: {err}", String::from_utf8_lossy(&e)));
    assert_eq!(
        back.kind().as_str().to_ascii_lowercase(),
        cd.kind().as_str().to_ascii_lowercase()
    );
    assert_eq!(
        pshape(back.params()),
        pshape(cd.params()),
        "{:?}",
        String::from_utf8_lossy(&e)
    );
    assert_eq!(cd.clone().into_owned(), cd);
}

fn ids(v: &[u8]) {
    if let Ok(id) = MessageId::parse(v) {
        let e = enc(|o| id.encode(o));
        let back = MessageId::parse(&e).unwrap_or_else(|err| {
            panic!("{:?} does not parse: {err}", String::from_utf8_lossy(&e))
        });
        assert_eq!(back.as_str(), id.as_str());
        let _ = (id.left(), id.right());
    }
    let list = IdList::parse(v);
    let e1 = enc(|o| list.encode(o));
    let again = IdList::parse(&e1);
    let e2 = enc(|o| again.encode(o));
    // An identifier kept from broken brackets has its white space removed
    // but keeps comments (`<a@b(c).d e>` gives `a@b(c).de`), which a
    // re-parse may then read as CFWS, and a changed identifier can move
    // where the junk-skipping resynchronises: the encoding settles after a
    // few rounds, never grows without end.
    let mut prev = e2;
    let mut rounds = 0;
    loop {
        let next = enc(|o| IdList::parse(&prev).encode(o));
        if next == prev {
            break;
        }
        rounds += 1;
        assert!(
            rounds < 8,
            "IdList encoding does not settle: {:?}",
            String::from_utf8_lossy(&next)
        );
        prev = next;
    }
    // Identifiers holding comment, quote or bracket characters are junk
    // kept from broken brackets; how a list re-reads them depends on their
    // neighbours (an unclosed `@[` runs on to the next id's `]`), so only
    // lists of clean identifiers must come back the same.
    let clean = |s: &str| {
        !s.bytes().any(|b| {
            matches!(
                b,
                b'(' | b')' | b'"' | b'\\' | b'<' | b'>' | b'[' | b']'
            )
        })
    };
    if list.ids().iter().all(|i| clean(i.as_str())) {
        let a: Vec<&str> = list.ids().iter().map(MessageId::as_str).collect();
        let b: Vec<&str> = again.ids().iter().map(MessageId::as_str).collect();
        assert_eq!(a, b, "{:?}", String::from_utf8_lossy(&e1));
    }
}

fn received(v: &[u8]) {
    let Ok(r) = Received::parse(v) else { return };
    let _ = (
        r.from(),
        r.by(),
        r.via(),
        r.with(),
        r.id(),
        r.for_recipient(),
        r.preamble(),
        r.defects(),
    );
    let simple = r.clauses().iter().all(|c| {
        !c.value()
            .bytes()
            .any(|b| matches!(b, b'(' | b')' | b'"' | b'<' | b'>' | b';' | b'\\'))
            && c.value().bytes().all(|b| b == b' ' || b.is_ascii_graphic())
            && !c.value().contains("  ")
    });
    if !simple {
        return;
    }
    let mut out = String::new();
    for c in r.clauses() {
        out.push(' ');
        out.push_str(c.name());
        if !c.value().is_empty() {
            out.push(' ');
            out.push_str(c.value());
        }
    }
    if let Some(d) = r.date() {
        out.push_str("; ");
        out.push_str(&d.to_string());
    }
    let back = Received::parse(out.as_bytes()).unwrap_or_else(|e| panic!("{out:?}: {e}"));
    let names = |r: &Received<'_>| -> Vec<(String, String)> {
        r.clauses()
            .iter()
            .map(|c| (c.name().to_owned(), c.value().to_owned()))
            .collect()
    };
    assert_eq!(names(&back), names(&r), "{out:?}");
    assert_eq!(back.date(), r.date(), "{out:?}");
}

fn misc(v: &[u8]) {
    if let Ok(c) = ContentTransferEncoding::parse(v) {
        let s = c.as_str().to_owned();
        let back = ContentTransferEncoding::parse(s.as_bytes()).expect("as_str parses");
        assert_eq!(back.as_str().to_ascii_lowercase(), s.to_ascii_lowercase());
    }
    if let Ok(l) = ContentLanguage::parse(v) {
        let _: Vec<Cow<'_, str>> = l.tags().to_vec();
    }
    let _ = content_location(v);
    keywords(v);
}

fn keywords(v: &[u8]) {
    let Ok(k) = Keywords::parse(v) else { return };
    assert_eq!(k.clone().into_owned(), k);
    let mut out = Vec::new();
    for (i, kw) in k.iter().enumerate() {
        // The raw bytes are borrowed from the value.
        let (raw, whole) = (kw.raw().as_ptr_range(), v.as_ptr_range());
        assert!(raw.start >= whole.start && raw.end <= whole.end);
        let t = kw.text();
        if t.contains(['\r', '\n', '\0']) || t.contains("=?") {
            return;
        }
        if i > 0 {
            out.extend_from_slice(b", ");
        }
        out.push(b'"');
        for b in t.bytes() {
            if b == b'"' || b == b'\\' {
                out.push(b'\\');
            }
            out.push(b);
        }
        out.push(b'"');
    }
    let back = Keywords::parse(&out)
        .unwrap_or_else(|e| panic!("{:?} does not parse: {e}", String::from_utf8_lossy(&out)));
    let texts =
        |k: &Keywords<'_>| -> Vec<String> { k.iter().map(|k| k.text().to_owned()).collect() };
    assert_eq!(
        texts(&back),
        texts(&k),
        "{:?}",
        String::from_utf8_lossy(&out)
    );
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, v)) = data.split_first() else {
        return;
    };
    match which % 8 {
        0 => addresses(v),
        1 => date(v),
        2 => words(v),
        3 => content_type(v),
        4 => disposition(v),
        5 => ids(v),
        6 => received(v),
        _ => misc(v),
    }
});
