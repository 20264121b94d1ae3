//! UTF-7 (RFC 2152): the RFC's own examples, the lenient handling of
//! malformed input, and round trips through a small test encoder.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::borrow::Cow;

use proptest::prelude::*;
use rfc822_message::charset::{Charset, decode};

fn utf7(bytes: &[u8]) -> String {
    decode(b"utf-7", bytes).unwrap().into_owned()
}

/// The examples of RFC 2152, section "Definition of the UTF-7 Encoding"
/// and "Examples".
#[test]
fn rfc2152_examples() {
    // "A<NOT IDENTICAL TO><ALPHA>." : the run ends at '.', which is kept.
    assert_eq!(utf7(b"A+ImIDkQ."), "A\u{2262}\u{0391}.");
    // "Hi Mom -<WHITE SMILING FACE>-!": the first '-' after the run is
    // absorbed, the second is text.
    assert_eq!(utf7(b"Hi Mom -+Jjo--!"), "Hi Mom -\u{263a}-!");
    // The Japanese word "nihongo".
    assert_eq!(utf7(b"+ZeVnLIqe-"), "\u{65e5}\u{672c}\u{8a9e}");
    // "Item 3 is <POUND SIGN>1." : the '-' is needed before '1'.
    assert_eq!(utf7(b"Item 3 is +AKM-1."), "Item 3 is \u{a3}1.");
    // "+-" is '+'.
    assert_eq!(utf7(b"1 +- 1 = 2"), "1 + 1 = 2");
}

#[test]
fn labels_and_name() {
    for label in [
        "utf-7",
        "UTF-7",
        "Utf-7",
        "unicode-1-1-utf-7",
        "UNICODE-1-1-UTF-7",
        "csUnicode11UTF7",
        "utf7",
    ] {
        let cs = Charset::for_label(label.as_bytes()).unwrap_or_else(|| panic!("{label}"));
        assert_eq!(cs.name(), "UTF-7", "{label}");
        assert_eq!(cs.decode(b"+AOk-t+AOk-"), "\u{e9}t\u{e9}", "{label}");
    }
    // IMAP's modified UTF-7 is another thing and has no MIME label.
    assert!(Charset::for_label(b"utf-7-imap").is_none());
}

/// With the `encoding_rs` feature, UTF-7 is still decoded natively
/// (`encoding_rs` does not know it): the same name and text either way.
#[test]
fn native_whatever_the_features() {
    let cs = Charset::for_label(b"UTF-7").unwrap();
    assert_eq!(cs.name(), "UTF-7");
    assert_eq!(cs.decode(b"+2D3eAA-"), "\u{1f600}");
}

#[test]
fn borrowed_when_the_bytes_are_the_text() {
    assert!(matches!(
        decode(b"utf-7", b"plain text - no shift"),
        Some(Cow::Borrowed("plain text - no shift"))
    ));
    assert!(matches!(decode(b"utf-7", b"a+-b"), Some(Cow::Owned(_))));
}

#[test]
fn runs_end_at_any_non_base64_character() {
    // Ended by a space, by ')', by a line break: each is kept.
    assert_eq!(utf7(b"+AOk x"), "\u{e9} x");
    assert_eq!(utf7(b"(+AOk)"), "(\u{e9})");
    assert_eq!(utf7(b"+AOk\r\nx"), "\u{e9}\r\nx");
    // Ended by the end of the text.
    assert_eq!(utf7(b"x+AOk"), "x\u{e9}");
    // Only one '-' is absorbed.
    assert_eq!(utf7(b"+AOk--"), "\u{e9}-");
    // Two runs back to back.
    assert_eq!(utf7(b"+AOk-+AOk-"), "\u{e9}\u{e9}");
}

#[test]
fn surrogate_pairs() {
    // U+1F600 is D83D DE00; U+10000 is D800 DC00.
    assert_eq!(utf7(b"+2D3eAA-"), "\u{1f600}");
    assert_eq!(utf7(b"+2ADcAA-"), "\u{10000}");
    // Two pairs in one run.
    assert_eq!(utf7(b"+2D3eANg93gA-"), "\u{1f600}\u{1f600}");
}

#[test]
fn malformed_input_becomes_replacement_characters() {
    // A lone high surrogate at the end of a run.
    assert_eq!(utf7(b"+2D0-x"), "\u{fffd}x");
    // A high surrogate followed by a non-surrogate: the unit is kept.
    assert_eq!(utf7(b"+2D0AYQ-"), "\u{fffd}a");
    // A lone low surrogate.
    assert_eq!(utf7(b"+3gA-"), "\u{fffd}");
    // Two high surrogates, then a low: one bad, one pair.
    assert_eq!(utf7(b"+2D3YPd4A-"), "\u{fffd}\u{1f600}");
    // A truncated unit (12 bits).
    assert_eq!(utf7(b"+AG-x"), "\u{fffd}x");
    // Non-zero padding bits.
    assert_eq!(utf7(b"+AGF-"), "a\u{fffd}");
    // 8-bit bytes are never UTF-7.
    assert_eq!(utf7(b"caf\xe9"), "caf\u{fffd}");
    // A pair split across two runs does not join.
    assert_eq!(utf7(b"+2D0-+3gA-"), "\u{fffd}\u{fffd}");
}

#[test]
fn a_plus_that_opens_nothing_is_kept() {
    assert_eq!(utf7(b"a + b"), "a + b");
    assert_eq!(utf7(b"x+"), "x+");
    assert_eq!(utf7(b"+!"), "+!");
}

#[test]
fn characters_rfc2152_wants_encoded_are_read_as_themselves() {
    assert_eq!(utf7(b"C:\\dir ~user"), "C:\\dir ~user");
}

#[test]
fn in_encoded_words_and_bodies() {
    use rfc822_message::header::encoded_word;
    assert_eq!(
        encoded_word::decode_text(b"=?utf-7?q?Item_3_is_+AKM-1.?="),
        "Item 3 is \u{a3}1."
    );
    assert_eq!(
        encoded_word::decode_text(b"=?UNICODE-1-1-UTF-7?B?K1plVm5MSXFlLQ==?="),
        "\u{65e5}\u{672c}\u{8a9e}"
    );
}

// --- A small encoder for the round trip, after RFC 2152's rules. ---

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Set D, Set O less `"` (kept to exercise the rule that any of them may
/// end a run), and space, tab, CR, LF: written directly.
fn direct(c: char) -> bool {
    c.is_ascii_alphanumeric() || "'(),-./:?!#$%&*;<=>@[]^_`{|} \t\r\n".contains(c)
}

fn is_b64(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '+' || c == '/'
}

/// Encodes `s`. With `always_dash`, every run is closed by `-`; without,
/// only where the next character would otherwise be read into the run
/// (a base64 character or `-`), as RFC 2152 allows.
fn encode(s: &str, always_dash: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '+' {
            out.extend_from_slice(b"+-");
            i += 1;
        } else if direct(c) {
            out.push(c as u8);
            i += 1;
        } else {
            out.push(b'+');
            let mut units = Vec::new();
            while i < chars.len() && !direct(chars[i]) && chars[i] != '+' {
                let mut buf = [0u16; 2];
                units.extend_from_slice(chars[i].encode_utf16(&mut buf));
                i += 1;
            }
            let mut bits = 0u32;
            let mut n = 0;
            for u in units {
                bits = (bits << 16) | u32::from(u);
                n += 16;
                while n >= 6 {
                    n -= 6;
                    out.push(B64[((bits >> n) & 63) as usize]);
                }
                bits &= (1 << n) - 1;
            }
            if n > 0 {
                out.push(B64[((bits << (6 - n)) & 63) as usize]);
            }
            let next = chars.get(i).copied();
            if always_dash || next.is_none_or(|c| is_b64(c) || c == '-') {
                out.push(b'-');
            }
        }
    }
    out
}

#[test]
fn the_test_encoder_matches_the_rfc() {
    assert_eq!(encode("Hi Mom -\u{263a}-!", true), b"Hi Mom -+Jjo--!");
    assert_eq!(encode("\u{65e5}\u{672c}\u{8a9e}", true), b"+ZeVnLIqe-");
    assert_eq!(encode("A\u{2262}\u{0391}.", false), b"A+ImIDkQ.");
    assert_eq!(encode("Item 3 is \u{a3}1.", false), b"Item 3 is +AKM-1.");
}

proptest! {
    #[test]
    fn encode_then_decode_gives_the_text_back(s in any::<String>(), dash in any::<bool>()) {
        let e = encode(&s, dash);
        prop_assert!(e.is_ascii());
        prop_assert_eq!(utf7(&e), s);
    }

    #[test]
    fn mostly_ascii_round_trips(s in "[a-zA-Z0-9 +\\-/.\u{e9}\u{263a}\u{1f600}~\\\\]{0,40}", dash in any::<bool>()) {
        prop_assert_eq!(utf7(&encode(&s, dash)), s);
    }

    #[test]
    fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let s = utf7(&bytes);
        // Every input byte gives at most one character.
        prop_assert!(s.chars().count() <= bytes.len());
    }

    #[test]
    fn never_panics_on_base64_heavy_input(s in "[A-Za-z0-9+/\\-!]{0,80}") {
        let out = utf7(s.as_bytes());
        prop_assert!(out.chars().count() <= s.len());
    }
}
