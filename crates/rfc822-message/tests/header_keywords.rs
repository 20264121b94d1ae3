//! The Keywords field (RFC 5322 section 3.6.5, obsolete forms of section
//! 4.1): phrases, comments, quoted strings, encoded words, obs-phrase and
//! obs-phrase-list, leniency, and no panic on any input.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::borrow::Cow;

use proptest::prelude::*;
use rfc822_message::header::keywords::parse_keywords;
use rfc822_message::header::{Defects, Keyword, Keywords};

fn kw(raw: &[u8]) -> Keywords<'_> {
    Keywords::parse(raw).unwrap_or_else(|e| panic!("{:?}: {e}", String::from_utf8_lossy(raw)))
}

fn texts(k: &Keywords<'_>) -> Vec<String> {
    k.iter().map(|k| k.text().to_owned()).collect()
}

fn raws(k: &Keywords<'_>) -> Vec<Vec<u8>> {
    k.iter().map(|k| k.raw().to_vec()).collect()
}

/// Section 3.6.5: "a comma-separated list of one or more words or
/// quoted-strings", each a `phrase`.
#[test]
fn rfc5322_phrases() {
    let k = kw(b" project, budget review, \"Q3, final\"");
    assert_eq!(texts(&k), ["project", "budget review", "Q3, final"]);
    assert_eq!(
        raws(&k),
        [&b"project"[..], b"budget review", b"\"Q3, final\""]
    );
    assert!(k.defects().is_empty(), "{:?}", k.defects());
    assert_eq!(k.len(), 2 + 1);
    // One keyword, no comma.
    let k = kw(b" urgent");
    assert_eq!(texts(&k), ["urgent"]);
    assert!(k.defects().is_empty());
    // The free function is the same parser.
    assert_eq!(parse_keywords(b" a, b").unwrap(), kw(b" a, b"));
}

#[test]
fn plain_keywords_are_borrowed() {
    let k = kw(b" budget review, urgent");
    for keyword in k.clone().into_keywords() {
        let (raw, text) = keyword.into_parts();
        assert!(matches!(raw, Cow::Borrowed(_)));
        assert!(matches!(text, Cow::Borrowed(_)), "{text:?}");
    }
}

/// CFWS (section 3.2.2) around and inside a phrase: comments dropped,
/// folds removed, one space where words were separated.
#[test]
fn comments_and_folds() {
    let k = kw(b" (tags) alpha (first) ,\r\n beta\r\n\t gamma (x (nested) y), delta(d)epsilon");
    assert_eq!(texts(&k), ["alpha", "beta gamma", "delta epsilon"]);
    assert_eq!(
        raws(&k),
        [&b"alpha"[..], b"beta\r\n\t gamma", b"delta(d)epsilon"]
    );
    assert!(k.defects().is_empty(), "{:?}", k.defects());
    // Several spaces collapse to one, as between the words of a phrase.
    assert_eq!(texts(&kw(b" a    b\t c")), ["a b c"]);
    // A bare-LF fold (mail stored on Unix) reads the same.
    assert_eq!(texts(&kw(b" a,\n b\n  c")), ["a", "b c"]);
}

/// Section 3.2.4: quotes removed, quoted-pairs resolved, the CRLF of a
/// fold inside removed (its WSP kept).
#[test]
fn quoted_strings() {
    let k = kw(br#" "say \"hi\"", "back\\slash", "fold"#);
    assert_eq!(texts(&k)[..2], ["say \"hi\"", "back\\slash"]);
    let k = kw(b" \"a\r\n b\", \"x\" \"y\", pre\"mid\"post, \"\"");
    assert_eq!(texts(&k), ["a b", "x y", "premidpost", ""]);
    assert_eq!(k.keywords()[0].raw(), b"\"a\r\n b\"");
    assert!(k.defects().is_empty(), "{:?}", k.defects());
    // A comma or a parenthesis inside quotes is text.
    assert_eq!(texts(&kw(b" \"(a, b)\"")), ["(a, b)"]);
}

/// RFC 2047 encoded words in a phrase (section 5 (3)), adjacent ones
/// joined (section 6.2); RFC 6532 UTF-8 as it is.
#[test]
fn encoded_words_and_utf8() {
    let k = kw(b" =?UTF-8?Q?caf=C3=A9?=, =?iso-8859-1?q?r=E9sum=E9?= =?utf-8?b?IQ==?=, plain =?utf-8?q?=C3=BCber?=");
    assert_eq!(
        texts(&k),
        ["caf\u{e9}", "r\u{e9}sum\u{e9}!", "plain \u{fc}ber"]
    );
    assert_eq!(k.keywords()[0].raw(), b"=?UTF-8?Q?caf=C3=A9?=");
    assert!(k.defects().is_empty(), "{:?}", k.defects());
    // UTF-8 (RFC 6532), borrowed.
    let k = kw(" Gr\u{fc}\u{df}e, \u{65e5}\u{672c}\u{8a9e}, \"na\u{ef}ve\"".as_bytes());
    assert_eq!(
        texts(&k),
        ["Gr\u{fc}\u{df}e", "\u{65e5}\u{672c}\u{8a9e}", "na\u{ef}ve"]
    );
    assert!(k.defects().is_empty());
    assert!(matches!(
        k.keywords()[0].clone().into_parts().1,
        Cow::Borrowed(_)
    ));
    // A word split across a fold still joins.
    assert_eq!(texts(&kw(b" =?utf-8?q?a?=\r\n =?utf-8?q?b?=")), ["ab"]);
    // A word that does not decode stays as it is, reported.
    let k = kw(b" =?x-unknown?q?abc?=");
    assert_eq!(texts(&k), ["=?x-unknown?q?abc?="]);
    assert!(k.defects().contains(Defects::BAD_ENCODED_WORD));
    // Latin-1 bytes that are not UTF-8.
    let k = kw(b" caf\xe9");
    assert_eq!(texts(&k), ["caf\u{fffd}"]);
    assert!(k.defects().contains(Defects::INVALID_TEXT));
}

/// Section 4.1 obs-phrase-list: empty elements, leading and trailing
/// commas, an empty value.
#[test]
fn obs_phrase_list() {
    let k = kw(b" a,,b , (only a comment) ,c,");
    assert_eq!(texts(&k), ["a", "b", "c"]);
    assert!(k.defects().contains(Defects::EMPTY_LIST_ELEMENT));
    assert_eq!(k.defects(), Defects::EMPTY_LIST_ELEMENT);
    let k = kw(b", a");
    assert_eq!(texts(&k), ["a"]);
    assert!(k.defects().contains(Defects::EMPTY_LIST_ELEMENT));
    for empty in [&b""[..], b" ", b" (nothing)", b",", b" , ,"] {
        let k = kw(empty);
        assert!(k.is_empty(), "{empty:?}");
        assert_eq!(k.defects(), Defects::EMPTY_LIST_ELEMENT, "{empty:?}");
    }
}

/// Section 4.1 obs-phrase: a period after a word, as in "Mr. Smith".
#[test]
fn obs_phrase_period() {
    let k = kw(b" Mr. Smith, v1.2, a . b");
    assert_eq!(texts(&k), ["Mr. Smith", "v1.2", "a . b"]);
    assert_eq!(k.defects(), Defects::OBSOLETE_SYNTAX);
    // A period first is not even obs-phrase.
    let k = kw(b" .hidden");
    assert_eq!(texts(&k), [".hidden"]);
    assert!(k.defects().contains(Defects::UNQUOTED_SPECIALS_IN_PHRASE));
    // Controls in a quoted string: obs-qtext.
    let k = kw(b" \"a\x01b\"");
    assert_eq!(texts(&k), ["a\u{1}b"]);
    assert_eq!(k.defects(), Defects::OBSOLETE_SYNTAX);
}

/// What people type into the field that no phrase holds: kept, reported.
#[test]
fn unquoted_specials_are_kept() {
    let k = kw(b" C++ <tips>; tricks, user@example.com, [draft], a:b, x)y");
    assert_eq!(
        texts(&k),
        [
            "C++ <tips>; tricks",
            "user@example.com",
            "[draft]",
            "a:b",
            "x)y"
        ]
    );
    assert!(k.defects().contains(Defects::UNQUOTED_SPECIALS_IN_PHRASE));
    assert_eq!(k.keywords()[1].raw(), b"user@example.com");
}

#[test]
fn unclosed_quote_and_comment() {
    let k = kw(b" a, \"open, still open");
    assert_eq!(texts(&k), ["a", "open, still open"]);
    assert!(k.defects().contains(Defects::UNTERMINATED_QUOTE));
    let k = kw(b" a, b (open, c");
    assert_eq!(texts(&k), ["a", "b"]);
    assert!(k.defects().contains(Defects::UNCLOSED_COMMENT));
    let k = kw(b" (open");
    assert!(k.is_empty());
    assert!(k.defects().contains(Defects::UNCLOSED_COMMENT));
    // A value handed over with its final CRLF.
    assert_eq!(texts(&kw(b" a, b\r\n")), ["a", "b"]);
}

#[test]
fn errors() {
    // A line break that is not a fold, outside and inside quotes and
    // comments, and NUL.
    for (raw, offset) in [
        (&b" a\r\nb"[..], 2),
        (b" a\nb", 2),
        (b" \"a\r\nb\"", 3),
        (b" a\0b", 2),
        (b" \"a\0\"", 3),
        (b" (a\0)", 3),
        (b" (a\r\nb)", 3),
    ] {
        let e = Keywords::parse(raw).unwrap_err();
        assert_eq!(e.offset, offset, "{raw:?}");
    }
}

#[test]
fn owned_copies() {
    let raw = b" \"x y\", =?utf-8?q?=C3=A9?=, plain".to_vec();
    let owned: Keywords<'static> = Keywords::parse(&raw).unwrap().into_owned();
    assert_eq!(owned, Keywords::parse(&raw).unwrap());
    drop(raw);
    assert_eq!(texts(&owned), ["x y", "\u{e9}", "plain"]);
    assert_eq!(owned.keywords()[0].raw(), b"\"x y\"");
    let k: Keyword<'static> = owned.keywords()[2].clone().into_owned();
    assert_eq!(k.text(), "plain");
}

#[test]
fn iterates_by_reference() {
    let k = kw(b" a, b");
    let mut n = 0;
    for keyword in &k {
        assert!(!keyword.text().is_empty());
        n += 1;
    }
    assert_eq!(n, 2);
}

/// A keyword as a sender writes it: an atom phrase, or a quoted string.
fn keyword() -> impl Strategy<Value = (String, bool)> {
    prop_oneof![
        (
            "[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]{1,8}( [a-zA-Z0-9-]{1,8}){0,2}",
            Just(false)
        ),
        ("[ -~\u{e9}\u{65e5}]{0,12}", Just(true)),
    ]
}

fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

proptest! {
    /// Keywords written with commas, optional comments and folds between
    /// them read back as written.
    #[test]
    fn written_lists_read_back(
        items in proptest::collection::vec((keyword(), 0..4u8), 1..6)
    ) {
        let mut raw = String::new();
        let mut expected = Vec::new();
        for (i, ((text, quoted), sep)) in items.iter().enumerate() {
            if i > 0 {
                raw.push(',');
            }
            raw.push_str(match sep {
                0 => " ",
                1 => "\r\n ",
                2 => " (note) ",
                _ => "",
            });
            if *quoted {
                raw.push_str(&quote(text));
            } else {
                raw.push_str(text);
            }
            expected.push(text.clone());
        }
        // A quoted keyword may hold what looks like an encoded word.
        prop_assume!(!raw.contains("=?"));
        let k = Keywords::parse(raw.as_bytes()).unwrap();
        prop_assert_eq!(texts(&k), expected);
        prop_assert!(k.defects().is_empty(), "{:?} {:?}", raw, k.defects());
        prop_assert_eq!(k.clone().into_owned(), k);
    }

    #[test]
    fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(k) = Keywords::parse(&bytes) {
            for keyword in k.iter() {
                // The raw bytes are a piece of the value.
                prop_assert!(bytes.windows(keyword.raw().len().max(1)).any(|w| w == keyword.raw())
                    || keyword.raw().is_empty());
                let _ = keyword.text();
            }
            prop_assert_eq!(k.clone().into_owned(), k);
        }
    }

    #[test]
    fn never_panics_on_structured_junk(s in "[a-z ,.;:@<>()\"\\\\=?\r\n\t]{0,60}") {
        if let Ok(k) = Keywords::parse(s.as_bytes()) {
            for keyword in &k {
                // A keyword starts at a word, never at white space.
                prop_assert!(!keyword.raw().is_empty());
                prop_assert!(!matches!(keyword.raw()[0], b' ' | b'\t' | b'\r' | b'\n' | b','));
            }
        }
    }
}
