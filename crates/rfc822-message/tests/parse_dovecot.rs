//! Part sizes and line counts against Dovecot 2.3's BODYSTRUCTURE for the
//! corpus (reference answers recorded by `interop/record_rfc822.py` into
//! `crates/imap-proto/tests/data/dovecot-rfc822/`). The message parsed is
//! Dovecot's `BODY[]` (its stored form), so its normalisations do not count.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use rfc822_message::Message;
use rfc822_message::parse::{HeaderJunk, ParserOptions, PartKind};

fn records(text: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut i = 0;
    let line = |i: &mut usize| {
        let end = text[*i..].iter().position(|&b| b == b'\n').unwrap() + *i;
        let l = String::from_utf8_lossy(&text[*i..end]).into_owned();
        *i = end + 1;
        l
    };
    while i < text.len() {
        let item = line(&mut i);
        let _name = line(&mut i);
        let kind = line(&mut i);
        let len: usize = kind.split(' ').nth(1).unwrap().parse().unwrap();
        out.push((
            item.trim_start_matches("ITEM ").to_string(),
            text[i..i + len].to_vec(),
        ));
        i += len + 1;
    }
    out
}

#[derive(Debug)]
enum Tok {
    Open,
    Close,
    Atom(Vec<u8>),
}

fn tokens(s: &[u8]) -> Vec<Tok> {
    let mut t = Vec::new();
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'(' => t.push(Tok::Open),
            b')' => t.push(Tok::Close),
            b' ' => {}
            b'"' => {
                let mut v = Vec::new();
                i += 1;
                while s[i] != b'"' {
                    if s[i] == b'\\' {
                        i += 1;
                    }
                    v.push(s[i]);
                    i += 1;
                }
                t.push(Tok::Atom(v));
            }
            _ => {
                let start = i;
                while i < s.len() && !b"() ".contains(&s[i]) {
                    i += 1;
                }
                t.push(Tok::Atom(s[start..i].to_vec()));
                continue;
            }
        }
        i += 1;
    }
    t
}

#[derive(Debug)]
enum V {
    List(Vec<V>),
    Atom(Vec<u8>),
}

fn value(t: &[Tok], i: &mut usize) -> V {
    match &t[*i] {
        Tok::Open => {
            *i += 1;
            let mut v = Vec::new();
            while !matches!(t[*i], Tok::Close) {
                v.push(value(t, i));
            }
            *i += 1;
            V::List(v)
        }
        Tok::Atom(a) => {
            *i += 1;
            V::Atom(a.clone())
        }
        Tok::Close => panic!("unexpected )"),
    }
}

fn num(v: &V) -> u64 {
    match v {
        V::Atom(a) => std::str::from_utf8(a).unwrap().parse().unwrap(),
        V::List(_) => panic!("not a number"),
    }
}

fn text(v: &V) -> String {
    match v {
        V::Atom(a) => String::from_utf8_lossy(a).to_ascii_lowercase(),
        V::List(_) => String::new(),
    }
}

/// (size, lines if given) of every non-multipart body, in pre-order.
fn sizes(v: &V, out: &mut Vec<(u64, Option<u64>)>) {
    let V::List(items) = v else { panic!() };
    if matches!(items[0], V::List(_)) {
        for it in items.iter().take_while(|x| matches!(x, V::List(_))) {
            sizes(it, out);
        }
        return;
    }
    let (t, s) = (text(&items[0]), text(&items[1]));
    let size = num(&items[6]);
    if t == "message" && s == "rfc822" {
        out.push((size, Some(num(&items[9]))));
        sizes(&items[8], out);
    } else if t == "text" {
        out.push((size, Some(num(&items[7]))));
    } else {
        out.push((size, None));
    }
}

/// Files where Dovecot invents parts or reads differently on purpose
/// (FINDINGS.md 5.4, 6.3, 6.4, 6.5).
const DIFFERENT: &[&str] = &[
    "multipart-empty",        // synthesised empty part
    "multipart-no-boundary",  // synthesised empty part
    "message-rfc822-encoded", // synthesised bodies, 6.4 edge
    "message-global",         // Dovecot 2.3 does not parse message/global
];

#[test]
fn sizes_and_lines_agree_with_dovecot() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../imap-proto/tests/data/dovecot-rfc822"
    );
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("no Dovecot records at {dir}");
        return;
    };
    let mut checked = 0;
    let mut failures = Vec::new();
    for e in entries {
        let path = e.unwrap().path();
        if path.extension().is_none_or(|x| x != "txt") {
            continue;
        }
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if DIFFERENT.contains(&name.as_str()) {
            continue;
        }
        let recs = records(&std::fs::read(&path).unwrap());
        let get = |k: &str| {
            recs.iter()
                .find(|(i, _)| i == k)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        let raw = get("BODY[]");
        let bs = get("BODYSTRUCTURE");
        let mut want = Vec::new();
        sizes(&value(&tokens(&bs), &mut 0), &mut want);
        let opts = ParserOptions {
            header_junk: HeaderJunk::Skip,
            ..ParserOptions::default()
        };
        let msg = Message::parse_with(&raw, opts).unwrap();
        let got: Vec<(u64, u64)> = msg
            .parts()
            .filter(|p| p.kind() != PartKind::Multipart)
            .map(|p| (p.size() as u64, p.lines()))
            .collect();
        let same = got.len() == want.len()
            && got
                .iter()
                .zip(&want)
                .all(|(g, w)| g.0 == w.0 && w.1.is_none_or(|l| l == g.1));
        if !same {
            failures.push(format!("{name}: dovecot {want:?} ours {got:?}"));
        }
        assert_eq!(msg.size(), raw.len());
        checked += 1;
    }
    assert!(
        failures.is_empty(),
        "{} of {checked}:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked >= 50, "only {checked} records");
}

/// The part an IMAP section number names (RFC 3501 section 6.4.5).
fn section<'m>(msg: &'m Message<'m>, path: &str) -> Option<rfc822_message::Part<'m>> {
    let mut cur = msg.root();
    for (i, n) in path.split('.').enumerate() {
        let n: usize = n.parse().ok()?;
        cur = if cur.is_multipart() {
            cur.subparts().nth(n.checked_sub(1)?)?
        } else if i == 0 {
            (n == 1).then_some(cur)?
        } else if cur.is_message() {
            let nested = cur.nested_message()?;
            if nested.is_multipart() {
                nested.subparts().nth(n.checked_sub(1)?)?
            } else {
                (n == 1).then_some(nested)?
            }
        } else {
            return None;
        };
    }
    Some(cur)
}

#[test]
fn section_bytes_agree_with_dovecot() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../imap-proto/tests/data/dovecot-rfc822"
    );
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut checked = 0;
    let mut failures = Vec::new();
    for e in entries {
        let path = e.unwrap().path();
        if path.extension().is_none_or(|x| x != "txt") {
            continue;
        }
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if DIFFERENT.contains(&name.as_str()) {
            continue;
        }
        let recs = records(&std::fs::read(&path).unwrap());
        let raw = recs.iter().find(|(i, _)| i == "BODY[]").unwrap().1.clone();
        let opts = ParserOptions {
            header_junk: HeaderJunk::Skip,
            ..ParserOptions::default()
        };
        let msg = Message::parse_with(&raw, opts).unwrap();
        for (item, want) in &recs {
            let Some(sec) = item.strip_prefix("BODY[").and_then(|s| s.strip_suffix(']')) else {
                continue;
            };
            let (path, what) = match sec.rsplit_once('.') {
                Some((p, w)) if w.chars().all(|c| c.is_ascii_alphabetic()) => (p, w),
                _ => (sec, ""),
            };
            if path.is_empty() || !path.starts_with(|c: char| c.is_ascii_digit()) {
                continue;
            }
            let Some(p) = section(&msg, path) else {
                failures.push(format!("{name} {item}: no such part"));
                continue;
            };
            let got: &[u8] = match what {
                "" => p.raw_body(),
                "MIME" => p.raw_header(),
                "HEADER" => p.nested_message().map_or(&b""[..], |n| n.raw_header()),
                "TEXT" => p.nested_message().map_or(&b""[..], |n| n.raw_body()),
                _ => continue,
            };
            checked += 1;
            if got != &want[..] {
                failures.push(format!(
                    "{name} {item}: dovecot {:?} ours {:?}",
                    String::from_utf8_lossy(want),
                    String::from_utf8_lossy(got)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked}:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked >= 150, "only {checked}");
}
