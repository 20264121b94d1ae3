//! Charset decoding for header and body text (RFC 2045 `charset`,
//! RFC 2047 and RFC 2231 charsets).
//!
//! Decoded natively, without any dependency: UTF-8, US-ASCII, ISO-8859-1 to
//! ISO-8859-16, Windows-874 and Windows-1250 to Windows-1258, KOI8-R, KOI8-U,
//! IBM 437, 850 and 866, Mac OS Roman, and UTF-7 (RFC 2152, labels
//! `UTF-7` and `UNICODE-1-1-UTF-7`; `encoding_rs` does not know it, so it
//! stays native with the feature). The tables of the single-byte
//! charsets are generated from Python's codecs by `tools/gen_charsets.py`.
//! With the `encoding_rs` feature, every other label the WHATWG Encoding
//! Standard knows (Shift_JIS, EUC-JP, ISO-2022-JP, GB2312, GBK, GB18030,
//! Big5, EUC-KR, UTF-16...) is decoded through `encoding_rs`.
//!
//! ```
//! use rfc822_message::charset;
//!
//! assert_eq!(charset::decode(b"iso-8859-1", b"caf\xe9").unwrap(), "café");
//! // RFC 2152's example: "Hi Mom -☺-!"
//! assert_eq!(charset::decode(b"UTF-7", b"Hi Mom -+Jjo--!").unwrap(), "Hi Mom -\u{263a}-!");
//! let r = charset::decode_with_report(b"utf-8", b"ok \xff", 100).unwrap();
//! assert_eq!((&*r.text, r.first_invalid), ("ok \u{fffd}", Some(3)));
//! ```
//!
//! Labels match case-insensitively, ignoring `-`, `_`, spaces and dots and
//! anything after a `:` (so `ISO_8859-1:1987`, `iso8859-1`, `Latin1` and
//! `iso-8859-1` are the same), with the common aliases (`cp1252`,
//! `x-cp1252`, `ascii`, `ibm819`...).
//!
//! Decisions that trade exactness for what real mail means, documented:
//!
//! - Invalid input never fails: a byte sequence that is invalid in its
//!   charset becomes U+FFFD (the replacement character);
//!   [`Charset::decode_with_report`] also says where the first one was.
//! - `US-ASCII` is decoded as UTF-8: 8-bit bytes in text labelled US-ASCII
//!   come from senders that did not label their UTF-8, and UTF-8 decoding
//!   keeps ASCII exact while replacing what is not UTF-8 with U+FFFD.
//! - `ISO-8859-1` is decoded as Windows-1252, as the WHATWG Encoding
//!   Standard and every mail reader do: bytes 0x80-0x9F are C1 controls in
//!   ISO-8859-1, never meant in text, and the quotes and dashes of
//!   Windows-1252 in mail mislabelled ISO-8859-1.
//! - UTF-7: a base64 run that does not make whole UTF-16 units, and a
//!   surrogate without its partner, become U+FFFD; a `+` that opens no run
//!   (`a + b`) is kept as `+`; 8-bit bytes become U+FFFD. (This is RFC
//!   2152's UTF-7, not the modified UTF-7 of IMAP mailbox names.)

use std::borrow::Cow;

#[rustfmt::skip]
mod tables;
mod utf7;

/// How a charset decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// UTF-8 (and US-ASCII, see the module docs).
    Utf8,
    /// ASCII in the lower half, this table for the upper half.
    Single(&'static [u16; 128]),
    /// The identity mapping of ISO-8859-1 for 0xA0-0xFF, Windows-1252 below.
    Latin1,
    /// UTF-7 (RFC 2152), decoded natively whatever the features.
    Utf7,
    /// Through `encoding_rs`.
    #[cfg(feature = "encoding_rs")]
    External(&'static encoding_rs::Encoding),
}

/// A charset this crate can decode, found by [`Charset::for_label`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Charset {
    name: &'static str,
    kind: Kind,
}

impl Charset {
    /// The charset a label (`charset` parameter, encoded-word charset)
    /// names, or `None` if this build cannot decode it.
    #[must_use]
    pub fn for_label(label: &[u8]) -> Option<Charset> {
        let mut buf = [0u8; 32];
        let key = normalize(label, &mut buf);
        if let Some(key) = key
            && let Some(&(_, name, kind)) = NATIVE.iter().find(|(k, _, _)| *k == key)
        {
            return Some(Charset { name, kind });
        }
        external(label)
    }

    /// The canonical (IANA) name of the charset.
    #[must_use]
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Decodes `bytes`; invalid sequences become U+FFFD. Borrowed when the
    /// bytes are already the text (ASCII, or valid UTF-8 for UTF-8).
    #[must_use]
    pub fn decode<'a>(&self, bytes: &'a [u8]) -> Cow<'a, str> {
        match self.kind {
            Kind::Utf8 => crate::header::lex::text(bytes),
            Kind::Single(table) => single_byte(bytes, |b| table_char(table, b)),
            Kind::Latin1 => single_byte(bytes, |b| {
                if b >= 0xA0 {
                    char::from(b)
                } else {
                    table_char(&tables::WINDOWS_1252, b)
                }
            }),
            Kind::Utf7 => utf7::decode(bytes),
            #[cfg(feature = "encoding_rs")]
            Kind::External(enc) => enc.decode_without_bom_handling(bytes).0,
        }
    }
}

/// Decodes `bytes` in the charset labelled `charset`. `None` when the
/// charset is unknown to this build (see the module docs for what is
/// known); otherwise never fails: invalid input becomes U+FFFD.
#[must_use]
pub fn decode<'a>(charset: &[u8], bytes: &'a [u8]) -> Option<Cow<'a, str>> {
    Charset::for_label(charset).map(|c| c.decode(bytes))
}

/// [`Charset::decode_with_report`] for the charset labelled `charset`;
/// `None` when the charset is unknown to this build.
#[must_use]
pub fn decode_with_report<'a>(
    charset: &[u8],
    bytes: &'a [u8],
    max_len: usize,
) -> Option<Decoded<'a>> {
    Charset::for_label(charset).map(|c| c.decode_with_report(bytes, max_len))
}

/// Text decoded by [`Charset::decode_with_report`], with what went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// The text: what [`Charset::decode`] gives, or its first `max_len`
    /// octets at most, cut at a character boundary.
    pub text: Cow<'a, str>,
    /// How many input octets `text` is the decoding of: all of them,
    /// unless the text was cut.
    pub consumed: usize,
    /// Offset in the input of the first octet sequence, among the
    /// `consumed` ones, that is not valid in the charset (it became
    /// U+FFFD in `text`).
    pub first_invalid: Option<usize>,
}

impl Decoded<'_> {
    /// An owned copy.
    #[must_use]
    pub fn into_owned(self) -> Decoded<'static> {
        Decoded {
            text: Cow::Owned(self.text.into_owned()),
            consumed: self.consumed,
            first_invalid: self.first_invalid,
        }
    }
}

impl Charset {
    /// Decodes `bytes` as [`decode`](Self::decode) does, but also says
    /// where the first invalid sequence is, and stops before the text
    /// passes `max_len` octets (at a character boundary). A separate entry
    /// point so that [`decode`](Self::decode), the common path, does no
    /// extra work.
    #[must_use]
    pub fn decode_with_report<'a>(&self, bytes: &'a [u8], max_len: usize) -> Decoded<'a> {
        match self.kind {
            Kind::Utf8 => utf8_report(bytes, max_len),
            Kind::Single(table) => single_byte_report(bytes, max_len, |b| table_char(table, b)),
            Kind::Latin1 => single_byte_report(bytes, max_len, |b| {
                if b >= 0xA0 {
                    char::from(b)
                } else {
                    table_char(&tables::WINDOWS_1252, b)
                }
            }),
            Kind::Utf7 => {
                let (text, consumed, first_invalid) = utf7::decode_report(bytes, max_len);
                Decoded {
                    text,
                    consumed,
                    first_invalid,
                }
            }
            #[cfg(feature = "encoding_rs")]
            Kind::External(enc) => external_report(enc, bytes, max_len),
        }
    }
}

/// UTF-8 decoded lossily as `String::from_utf8_lossy` does (one U+FFFD
/// per maximal invalid sequence), at most `max_len` octets of text.
fn utf8_report(bytes: &[u8], max_len: usize) -> Decoded<'_> {
    let whole = match core::str::from_utf8(bytes) {
        Ok(s) => Some(s),
        Err(e) if bytes.len() <= max_len / 3 => {
            // even all U+FFFD would fit: no need to count
            return Decoded {
                text: String::from_utf8_lossy(bytes),
                consumed: bytes.len(),
                first_invalid: Some(e.valid_up_to()),
            };
        }
        Err(_) => None,
    };
    if let Some(s) = whole {
        let cut = s.floor_char_boundary(max_len);
        let text = s.get(..cut).unwrap_or_default();
        return Decoded {
            text: Cow::Borrowed(text),
            consumed: cut,
            first_invalid: None,
        };
    }
    let mut text = String::new();
    let mut consumed = 0;
    let mut first_invalid = None;
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        let room = max_len.saturating_sub(text.len());
        if valid.len() > room {
            let cut = valid.floor_char_boundary(room);
            text.push_str(valid.get(..cut).unwrap_or_default());
            consumed += cut;
            break;
        }
        text.push_str(valid);
        consumed += valid.len();
        if chunk.invalid().is_empty() {
            continue;
        }
        if max_len.saturating_sub(text.len()) < char::REPLACEMENT_CHARACTER.len_utf8() {
            break;
        }
        first_invalid.get_or_insert(consumed);
        text.push(char::REPLACEMENT_CHARACTER);
        consumed += chunk.invalid().len();
    }
    Decoded {
        text: Cow::Owned(text),
        consumed,
        first_invalid,
    }
}

fn single_byte_report(bytes: &[u8], max_len: usize, upper: impl Fn(u8) -> char) -> Decoded<'_> {
    if bytes.is_ascii() {
        let n = bytes.len().min(max_len);
        let text = core::str::from_utf8(bytes.get(..n).unwrap_or_default()).unwrap_or_default();
        return Decoded {
            text: Cow::Borrowed(text),
            consumed: n,
            first_invalid: None,
        };
    }
    let mut text = String::with_capacity(bytes.len().saturating_mul(2).min(max_len));
    let mut first_invalid = None;
    let mut consumed = 0;
    for &b in bytes {
        let c = if b < 0x80 { char::from(b) } else { upper(b) };
        if text.len() + c.len_utf8() > max_len {
            break;
        }
        if c == char::REPLACEMENT_CHARACTER {
            first_invalid.get_or_insert(consumed);
        }
        text.push(c);
        consumed += 1;
    }
    Decoded {
        text: Cow::Owned(text),
        consumed,
        first_invalid,
    }
}

#[cfg(feature = "encoding_rs")]
fn external_report<'a>(
    enc: &'static encoding_rs::Encoding,
    bytes: &'a [u8],
    max_len: usize,
) -> Decoded<'a> {
    use encoding_rs::CoderResult;
    let fits = enc
        .new_decoder_without_bom_handling()
        .max_utf8_buffer_length(bytes.len())
        .is_some_and(|n| n <= max_len);
    let (text, consumed, had_errors, last) = if fits {
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        (text, bytes.len(), had_errors, true)
    } else {
        // decode into a buffer of `max_len` octets: the decoder stops
        // before a character that does not fit
        let mut dec = enc.new_decoder_without_bom_handling();
        let mut buf = vec![0u8; max_len];
        let (res, read, written, had_errors) = dec.decode_to_utf8(bytes, &mut buf, true);
        buf.truncate(written);
        let text = String::from_utf8(buf)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        (
            Cow::Owned(text),
            read,
            had_errors,
            res == CoderResult::InputEmpty,
        )
    };
    let first_invalid = if had_errors {
        first_malformed(enc, bytes.get(..consumed).unwrap_or_default(), last)
    } else {
        None
    };
    Decoded {
        text,
        consumed,
        first_invalid,
    }
}

/// Offset of the first malformed sequence in `bytes` (`last`: the input
/// ends there, so an incomplete sequence at the end is malformed too).
#[cfg(feature = "encoding_rs")]
fn first_malformed(enc: &'static encoding_rs::Encoding, bytes: &[u8], last: bool) -> Option<usize> {
    use encoding_rs::DecoderResult;
    let mut dec = enc.new_decoder_without_bom_handling();
    let mut buf = [0u8; 1024];
    let mut pos = 0;
    loop {
        let src = bytes.get(pos..).unwrap_or_default();
        let (res, read, _) = dec.decode_to_utf8_without_replacement(src, &mut buf, last);
        match res {
            DecoderResult::InputEmpty => return None,
            DecoderResult::OutputFull if read == 0 => return None,
            DecoderResult::OutputFull => pos += read,
            DecoderResult::Malformed(bad, after) => {
                let end = pos + read;
                return Some(end.saturating_sub(usize::from(bad) + usize::from(after)));
            }
        }
    }
}

/// Decodes `bytes` in `charset`, or as UTF-8 (lossy) when the charset is
/// unknown: what a reader shows when it has to show something.
#[must_use]
pub fn decode_lossy<'a>(charset: &[u8], bytes: &'a [u8]) -> Cow<'a, str> {
    decode(charset, bytes).unwrap_or_else(|| crate::header::lex::text(bytes))
}

fn table_char(table: &[u16; 128], b: u8) -> char {
    let unit = table
        .get(usize::from(b.wrapping_sub(0x80)))
        .copied()
        .unwrap_or(0xFFFD);
    char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER)
}

fn single_byte(bytes: &[u8], upper: impl Fn(u8) -> char) -> Cow<'_, str> {
    if let Ok(s) = core::str::from_utf8(bytes)
        && s.is_ascii()
    {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 2);
    for &b in bytes {
        out.push(if b < 0x80 { char::from(b) } else { upper(b) });
    }
    Cow::Owned(out)
}

/// Lower-cases `label` into `buf` without `-`, `_`, spaces, dots, quotes
/// and anything after `:`. `None` if it does not fit (no native label is
/// that long).
fn normalize<'b>(label: &[u8], buf: &'b mut [u8; 32]) -> Option<&'b [u8]> {
    let mut n = 0;
    for &b in label {
        match b {
            b':' => break,
            b'-' | b'_' | b' ' | b'.' | b'"' | b'\t' => {}
            _ => {
                *buf.get_mut(n)? = b.to_ascii_lowercase();
                n += 1;
            }
        }
    }
    buf.get(..n)
}

#[cfg(feature = "encoding_rs")]
fn external(label: &[u8]) -> Option<Charset> {
    let enc = encoding_rs::Encoding::for_label_no_replacement(label)?;
    Some(Charset {
        name: enc.name(),
        kind: if enc == encoding_rs::UTF_8 {
            Kind::Utf8
        } else {
            Kind::External(enc)
        },
    })
}

#[cfg(not(feature = "encoding_rs"))]
fn external(_label: &[u8]) -> Option<Charset> {
    None
}

use tables::*;

/// Normalized label, canonical name, decoder.
static NATIVE: &[(&[u8], &str, Kind)] = &[
    (b"utf8", "UTF-8", Kind::Utf8),
    (b"unicode11utf8", "UTF-8", Kind::Utf8),
    (b"usascii", "US-ASCII", Kind::Utf8),
    (b"ascii", "US-ASCII", Kind::Utf8),
    (b"us", "US-ASCII", Kind::Utf8),
    (b"ansix341968", "US-ASCII", Kind::Utf8),
    (b"ansix341986", "US-ASCII", Kind::Utf8),
    (b"iso646us", "US-ASCII", Kind::Utf8),
    (b"isoir6", "US-ASCII", Kind::Utf8),
    (b"csascii", "US-ASCII", Kind::Utf8),
    (b"cp367", "US-ASCII", Kind::Utf8),
    (b"ibm367", "US-ASCII", Kind::Utf8),
    (b"iso88591", "ISO-8859-1", Kind::Latin1),
    (b"iso8859", "ISO-8859-1", Kind::Latin1),
    (b"latin1", "ISO-8859-1", Kind::Latin1),
    (b"l1", "ISO-8859-1", Kind::Latin1),
    (b"isoir100", "ISO-8859-1", Kind::Latin1),
    (b"csisolatin1", "ISO-8859-1", Kind::Latin1),
    (b"ibm819", "ISO-8859-1", Kind::Latin1),
    (b"cp819", "ISO-8859-1", Kind::Latin1),
    (b"iso88592", "ISO-8859-2", Kind::Single(&ISO_8859_2)),
    (b"latin2", "ISO-8859-2", Kind::Single(&ISO_8859_2)),
    (b"l2", "ISO-8859-2", Kind::Single(&ISO_8859_2)),
    (b"isoir101", "ISO-8859-2", Kind::Single(&ISO_8859_2)),
    (b"csisolatin2", "ISO-8859-2", Kind::Single(&ISO_8859_2)),
    (b"iso88593", "ISO-8859-3", Kind::Single(&ISO_8859_3)),
    (b"latin3", "ISO-8859-3", Kind::Single(&ISO_8859_3)),
    (b"l3", "ISO-8859-3", Kind::Single(&ISO_8859_3)),
    (b"csisolatin3", "ISO-8859-3", Kind::Single(&ISO_8859_3)),
    (b"iso88594", "ISO-8859-4", Kind::Single(&ISO_8859_4)),
    (b"latin4", "ISO-8859-4", Kind::Single(&ISO_8859_4)),
    (b"l4", "ISO-8859-4", Kind::Single(&ISO_8859_4)),
    (b"csisolatin4", "ISO-8859-4", Kind::Single(&ISO_8859_4)),
    (b"iso88595", "ISO-8859-5", Kind::Single(&ISO_8859_5)),
    (b"cyrillic", "ISO-8859-5", Kind::Single(&ISO_8859_5)),
    (
        b"csisolatincyrillic",
        "ISO-8859-5",
        Kind::Single(&ISO_8859_5),
    ),
    (b"iso88596", "ISO-8859-6", Kind::Single(&ISO_8859_6)),
    (b"iso88596i", "ISO-8859-6", Kind::Single(&ISO_8859_6)),
    (b"iso88596e", "ISO-8859-6", Kind::Single(&ISO_8859_6)),
    (b"arabic", "ISO-8859-6", Kind::Single(&ISO_8859_6)),
    (b"csisolatinarabic", "ISO-8859-6", Kind::Single(&ISO_8859_6)),
    (b"iso88597", "ISO-8859-7", Kind::Single(&ISO_8859_7)),
    (b"greek", "ISO-8859-7", Kind::Single(&ISO_8859_7)),
    (b"greek8", "ISO-8859-7", Kind::Single(&ISO_8859_7)),
    (b"csisolatingreek", "ISO-8859-7", Kind::Single(&ISO_8859_7)),
    (b"iso88598", "ISO-8859-8", Kind::Single(&ISO_8859_8)),
    (b"iso88598i", "ISO-8859-8", Kind::Single(&ISO_8859_8)),
    (b"iso88598e", "ISO-8859-8", Kind::Single(&ISO_8859_8)),
    (b"hebrew", "ISO-8859-8", Kind::Single(&ISO_8859_8)),
    (b"csisolatinhebrew", "ISO-8859-8", Kind::Single(&ISO_8859_8)),
    (b"iso88599", "ISO-8859-9", Kind::Single(&ISO_8859_9)),
    (b"latin5", "ISO-8859-9", Kind::Single(&ISO_8859_9)),
    (b"l5", "ISO-8859-9", Kind::Single(&ISO_8859_9)),
    (b"csisolatin5", "ISO-8859-9", Kind::Single(&ISO_8859_9)),
    (b"iso885910", "ISO-8859-10", Kind::Single(&ISO_8859_10)),
    (b"latin6", "ISO-8859-10", Kind::Single(&ISO_8859_10)),
    (b"l6", "ISO-8859-10", Kind::Single(&ISO_8859_10)),
    (b"csisolatin6", "ISO-8859-10", Kind::Single(&ISO_8859_10)),
    (b"iso885911", "ISO-8859-11", Kind::Single(&ISO_8859_11)),
    (b"tis620", "ISO-8859-11", Kind::Single(&ISO_8859_11)),
    (b"iso885913", "ISO-8859-13", Kind::Single(&ISO_8859_13)),
    (b"latin7", "ISO-8859-13", Kind::Single(&ISO_8859_13)),
    (b"l7", "ISO-8859-13", Kind::Single(&ISO_8859_13)),
    (b"iso885914", "ISO-8859-14", Kind::Single(&ISO_8859_14)),
    (b"latin8", "ISO-8859-14", Kind::Single(&ISO_8859_14)),
    (b"l8", "ISO-8859-14", Kind::Single(&ISO_8859_14)),
    (b"iso885915", "ISO-8859-15", Kind::Single(&ISO_8859_15)),
    (b"latin9", "ISO-8859-15", Kind::Single(&ISO_8859_15)),
    (b"latin0", "ISO-8859-15", Kind::Single(&ISO_8859_15)),
    (b"l9", "ISO-8859-15", Kind::Single(&ISO_8859_15)),
    (b"csiso885915", "ISO-8859-15", Kind::Single(&ISO_8859_15)),
    (b"iso885916", "ISO-8859-16", Kind::Single(&ISO_8859_16)),
    (b"latin10", "ISO-8859-16", Kind::Single(&ISO_8859_16)),
    (b"l10", "ISO-8859-16", Kind::Single(&ISO_8859_16)),
    (b"windows874", "windows-874", Kind::Single(&WINDOWS_874)),
    (b"cp874", "windows-874", Kind::Single(&WINDOWS_874)),
    (b"dos874", "windows-874", Kind::Single(&WINDOWS_874)),
    (b"windows1250", "windows-1250", Kind::Single(&WINDOWS_1250)),
    (b"cp1250", "windows-1250", Kind::Single(&WINDOWS_1250)),
    (b"xcp1250", "windows-1250", Kind::Single(&WINDOWS_1250)),
    (b"windows1251", "windows-1251", Kind::Single(&WINDOWS_1251)),
    (b"cp1251", "windows-1251", Kind::Single(&WINDOWS_1251)),
    (b"xcp1251", "windows-1251", Kind::Single(&WINDOWS_1251)),
    (b"windows1252", "windows-1252", Kind::Single(&WINDOWS_1252)),
    (b"cp1252", "windows-1252", Kind::Single(&WINDOWS_1252)),
    (b"xcp1252", "windows-1252", Kind::Single(&WINDOWS_1252)),
    (b"windows1253", "windows-1253", Kind::Single(&WINDOWS_1253)),
    (b"cp1253", "windows-1253", Kind::Single(&WINDOWS_1253)),
    (b"xcp1253", "windows-1253", Kind::Single(&WINDOWS_1253)),
    (b"windows1254", "windows-1254", Kind::Single(&WINDOWS_1254)),
    (b"cp1254", "windows-1254", Kind::Single(&WINDOWS_1254)),
    (b"xcp1254", "windows-1254", Kind::Single(&WINDOWS_1254)),
    (b"windows1255", "windows-1255", Kind::Single(&WINDOWS_1255)),
    (b"cp1255", "windows-1255", Kind::Single(&WINDOWS_1255)),
    (b"xcp1255", "windows-1255", Kind::Single(&WINDOWS_1255)),
    (b"windows1256", "windows-1256", Kind::Single(&WINDOWS_1256)),
    (b"cp1256", "windows-1256", Kind::Single(&WINDOWS_1256)),
    (b"xcp1256", "windows-1256", Kind::Single(&WINDOWS_1256)),
    (b"windows1257", "windows-1257", Kind::Single(&WINDOWS_1257)),
    (b"cp1257", "windows-1257", Kind::Single(&WINDOWS_1257)),
    (b"xcp1257", "windows-1257", Kind::Single(&WINDOWS_1257)),
    (b"windows1258", "windows-1258", Kind::Single(&WINDOWS_1258)),
    (b"cp1258", "windows-1258", Kind::Single(&WINDOWS_1258)),
    (b"xcp1258", "windows-1258", Kind::Single(&WINDOWS_1258)),
    (b"koi8r", "KOI8-R", Kind::Single(&KOI8_R)),
    (b"koi8", "KOI8-R", Kind::Single(&KOI8_R)),
    (b"cskoi8r", "KOI8-R", Kind::Single(&KOI8_R)),
    (b"koi8u", "KOI8-U", Kind::Single(&KOI8_U)),
    (b"ibm437", "IBM437", Kind::Single(&IBM_437)),
    (b"cp437", "IBM437", Kind::Single(&IBM_437)),
    (b"437", "IBM437", Kind::Single(&IBM_437)),
    (b"ibm850", "IBM850", Kind::Single(&IBM_850)),
    (b"cp850", "IBM850", Kind::Single(&IBM_850)),
    (b"850", "IBM850", Kind::Single(&IBM_850)),
    (b"ibm866", "IBM866", Kind::Single(&IBM_866)),
    (b"cp866", "IBM866", Kind::Single(&IBM_866)),
    (b"866", "IBM866", Kind::Single(&IBM_866)),
    (b"macintosh", "macintosh", Kind::Single(&MACINTOSH)),
    (b"macroman", "macintosh", Kind::Single(&MACINTOSH)),
    (b"mac", "macintosh", Kind::Single(&MACINTOSH)),
    (b"xmacroman", "macintosh", Kind::Single(&MACINTOSH)),
    (b"csmacintosh", "macintosh", Kind::Single(&MACINTOSH)),
    (b"utf7", "UTF-7", Kind::Utf7),
    (b"unicode11utf7", "UTF-7", Kind::Utf7),
    (b"csunicode11utf7", "UTF-7", Kind::Utf7),
];
