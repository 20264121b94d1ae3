//! `arbitrary::Arbitrary` for the IMAP vocabulary (feature `arbitrary`),
//! for the round-trip fuzz target (`fuzz/fuzz_targets/imap_roundtrip.rs`).
//!
//! Plain types derive `Arbitrary` where they are declared. The impls here
//! are for the types whose fields the derive could fill with something
//! invalid, and they only ever build valid values: every validated newtype
//! goes through its public constructor, and bytes that would be refused
//! are mapped onto allowed ones (or a fixed valid value is used) rather
//! than failing.
//!
//! The values are also in the form the parser gives back, where the wire
//! has one reading for several values, so `parse(encode(x)) == x` can be
//! asserted without normalising:
//!
//! - `Flag::Extension` and `Capability` are built through
//!   [`Flag::extension`] and [`Capability::from_bytes`], so a system flag
//!   or a known capability always has its own variant;
//! - the name of an `Other` variant (commands, untagged data, response
//!   codes, FETCH items, STATUS items, LIST and SEARCH options) is never a
//!   name the parser knows (an `X` is put in front if it would be);
//! - numbers the grammar writes as `number64` stay within 0 to 2^63-1
//!   (RFC 9051 section 9); the types hold a `u64`;
//! - `PREAUTH` and `BYE` are never tagged, and status text without a code
//!   does not start with `[` (it would be read as one);
//! - response sequence sets are never `$` (RFC 5182 `$` exists only in
//!   commands); LIST attributes are `\`-flags (`mbx-list-flags`);
//! - a single body part's media type matches its kind (`TEXT` for
//!   [`SingleKind::Text`], `MESSAGE/RFC822` for [`SingleKind::Message`],
//!   anything else for [`SingleKind::Basic`]), as the grammar ties them;
//! - recursion (SEARCH keys, body structures, generic values, body
//!   extensions) is bounded well below the parsers' default depth limits.
//!
//! What is *not* normalised here and is left to the user of the values:
//! the mode of a literal (the encoder may write `{n+}` as `{n}`, depending
//! on [`crate::EncodeOptions`]).

use core::num::{NonZeroU32, NonZeroU64};

use arbitrary::{Arbitrary, Error, Result, Unstructured};
use mail_wire::sasl::Mechanism;

use super::body::{Body, BodyExtension, BodyFields, MultipartExt, SingleKind, SinglePartExt};
use super::command::{
    InitialResponse, ListPattern, ListReturn, ListSelect, Partial, RawArgs, SearchDate, SearchKey,
    SearchReturn, StatusItem,
};
use super::error::ValueError;
use super::response::{ends_like_literal, is_word_char};
use super::{
    AString, Atom, Capability, Code, CodeText, ContinueRequest, DateTime, Delimiter, ESearchItem,
    FetchItem, Flag, IString, Literal, Literal8, LiteralMode, Mailbox, NonEmptyVec, Quoted,
    Section, SectionText, SeqItem, SequenceSet, StatusKind, StatusResponse, StatusValue, Tag, Text,
    Value, Word, is_atom_char, is_tag_char,
};

/// Longest text or byte string generated (short values find the same bugs
/// and keep the fuzzer fast).
const MAX_LEN: usize = 40;

/// Deepest SEARCH key, body structure, generic value or body extension.
const MAX_DEPTH: u32 = 4;

/// A constructor's error as an `arbitrary` error (never seen in practice:
/// the inputs are made valid first).
fn ok<T>(r: core::result::Result<T, ValueError>) -> Result<T> {
    r.map_err(|_| Error::IncorrectFormat)
}

/// `min..=max` characters, each printable ASCII; one that `pred` refuses
/// becomes a letter (which every caller's predicate allows).
fn chars(u: &mut Unstructured<'_>, pred: fn(u8) -> bool, min: usize, max: usize) -> Result<String> {
    let n = u.int_in_range(min..=max)?;
    let mut s = String::with_capacity(n);
    for _ in 0..n {
        let b: u8 = u.int_in_range(0x21..=0x7e)?;
        let b = if pred(b) { b } else { b'a' + b % 26 };
        s.push(char::from(b));
    }
    Ok(s)
}

/// Up to `max` bytes, none of them NUL.
fn bytes_no_nul(u: &mut Unstructured<'_>, max: usize) -> Result<Vec<u8>> {
    let n = u.int_in_range(0..=max)?;
    let b = u.bytes(n.min(u.len()))?;
    Ok(b.iter().map(|&c| if c == 0 { b'0' } else { c }).collect())
}

/// Text without CR, LF and NUL, as printable ASCII or any Unicode.
fn line_text(u: &mut Unstructured<'_>, max: usize) -> Result<String> {
    let s = if u.arbitrary()? {
        let n = u.int_in_range(0..=max)?;
        let mut s = String::with_capacity(n);
        for _ in 0..n {
            s.push(char::from(u.int_in_range(0x20u8..=0x7e)?));
        }
        s
    } else {
        let s: String = u.arbitrary()?;
        s.chars().take(max).collect()
    };
    Ok(s.replace(['\r', '\n', '\0'], ""))
}

/// The content of a string (`IString`, `AString`, a mailbox name, a LIST
/// pattern): atom-like words, printable text with the quoted-specials,
/// Unicode, raw octets (CR, LF and 8-bit, which need a literal), or one of
/// the texts that look like something else on the wire.
fn content(u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    Ok(match u.int_in_range(0u8..=4)? {
        0 => chars(u, is_atom_char, 1, 12)?.into_bytes(),
        1 => line_text(u, MAX_LEN)?.into_bytes(),
        2 => {
            let s: String = u.arbitrary()?;
            s.replace('\0', "").into_bytes()
        }
        3 => bytes_no_nul(u, MAX_LEN)?,
        _ => u
            .choose(&[
                &b""[..],
                b"NIL",
                b"nil",
                b"{3}",
                b"x {12}",
                b"{0+}",
                b"\"",
                b"\\",
                b"a b",
                b"(",
                b")",
                b"]",
                b"*",
                b"%",
                b"INBOX",
                b"~{1}",
                b"$",
            ])?
            .to_vec(),
    })
}

/// A number the grammar writes as `number64`: 0 to 2^63-1.
pub(crate) fn number64(u: &mut Unstructured<'_>) -> Result<u64> {
    u.int_in_range(0..=i64::MAX as u64)
}

/// `Option<number64>`.
pub(crate) fn opt_number64(u: &mut Unstructured<'_>) -> Result<Option<u64>> {
    Ok(if u.arbitrary()? {
        Some(number64(u)?)
    } else {
        None
    })
}

/// An `nz-number64`: 1 to 2^63-1.
fn nz_number64(u: &mut Unstructured<'_>) -> Result<NonZeroU64> {
    NonZeroU64::new(u.int_in_range(1..=i64::MAX as u64)?).ok_or(Error::IncorrectFormat)
}

/// Up to `max` part numbers.
fn parts(u: &mut Unstructured<'_>, max: usize) -> Result<Vec<NonZeroU32>> {
    let n = u.int_in_range(0..=max)?;
    (0..n).map(|_| NonZeroU32::arbitrary(u)).collect()
}

/// A list of up to `max` values made by `f`.
fn list_of<'u, T>(
    u: &mut Unstructured<'u>,
    max: usize,
    mut f: impl FnMut(&mut Unstructured<'u>) -> Result<T>,
) -> Result<Vec<T>> {
    let n = u.int_in_range(0..=max)?;
    (0..n).map(|_| f(u)).collect()
}

/// An atom whose text, in any case, is none of `taken`, and does not
/// start with a digit when `no_digit` (an `X` is put in front otherwise).
fn other_atom(u: &mut Unstructured<'_>, taken: &[&str], no_digit: bool) -> Result<Atom<'static>> {
    let s = chars(u, is_atom_char, 1, 12)?;
    let clash = taken.iter().any(|t| t.eq_ignore_ascii_case(&s))
        || (no_digit && s.starts_with(|c: char| c.is_ascii_digit()));
    ok(Atom::new(if clash { format!("X{s}") } else { s }))
}

// ---- values ----------------------------------------------------------

impl<'u: 'a, 'a> Arbitrary<'u> for Atom<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        ok(Atom::new(chars(u, is_atom_char, 1, 12)?))
    }
}

impl<'u: 'a, 'a> Arbitrary<'u> for Tag<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        ok(Tag::new(chars(u, is_tag_char, 1, 10)?))
    }
}

impl<'u: 'a, 'a> Arbitrary<'u> for Quoted<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        ok(Quoted::new(line_text(u, MAX_LEN)?))
    }
}

impl<'u: 'a, 'a> Arbitrary<'u> for IString<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        ok(IString::new(content(u)?))
    }
}

impl<'u: 'a, 'a> Arbitrary<'u> for AString<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        ok(AString::new(content(u)?))
    }
}

impl<'u: 'a, 'a> Arbitrary<'u> for Literal<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        let data = bytes_no_nul(u, 4 * MAX_LEN)?;
        ok(Literal::new(data, LiteralMode::arbitrary(u)?))
    }
}

impl<'u: 'a, 'a> Arbitrary<'u> for Literal8<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        let n = u.int_in_range(0..=4 * MAX_LEN)?;
        let data = u.bytes(n.min(u.len()))?.to_vec();
        Ok(Literal8::new(data, LiteralMode::arbitrary(u)?))
    }
}

impl<'u: 'a, 'a> Arbitrary<'u> for Mailbox<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        if u.ratio(1u8, 8)? {
            // A Unicode name in modified UTF-7 (RFC 3501 section 5.1.3).
            let s: String = u.arbitrary()?;
            let s = s.replace('\0', "");
            return ok(Mailbox::from_utf8(&s, false).map(Mailbox::into_owned));
        }
        ok(Mailbox::new(content(u)?))
    }
}

impl<'u, T: Arbitrary<'u>> Arbitrary<'u> for NonEmptyVec<T> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        let mut v = NonEmptyVec::one(T::arbitrary(u)?);
        let more = u.int_in_range(0..=6)?;
        for _ in 0..more {
            v.push(T::arbitrary(u)?);
        }
        Ok(v)
    }
}

impl<'u: 'a, 'a> Arbitrary<'u> for Flag<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        Ok(match u.int_in_range(0u8..=7)? {
            0 => Flag::Answered,
            1 => Flag::Flagged,
            2 => Flag::Deleted,
            3 => Flag::Seen,
            4 => Flag::Draft,
            5 => Flag::Recent,
            6 => Flag::Keyword(Atom::arbitrary(u)?),
            _ => Flag::extension(Atom::arbitrary(u)?),
        })
    }
}

/// LIST attributes: `\`-flags only (`mbx-list-flags`, RFC 9051 section 9).
pub(crate) fn mailbox_attributes<'a>(u: &mut Unstructured<'a>) -> Result<Vec<Flag<'a>>> {
    list_of(u, 4, |u| {
        Ok(if u.ratio(1u8, 4)? {
            u.choose(&[Flag::Seen, Flag::Deleted, Flag::Answered])?
                .clone()
        } else {
            let names = ["Noselect", "HasChildren", "HasNoChildren", "Sent", "Trash"];
            let name = if u.arbitrary()? {
                (*u.choose(&names)?).to_owned()
            } else {
                chars(u, is_atom_char, 1, 12)?
            };
            Flag::extension(ok(Atom::new(name))?)
        })
    })
}

impl<'u: 'a, 'a> Arbitrary<'u> for Section<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        let part = parts(u, 4)?;
        let text = Option::<SectionText<'a>>::arbitrary(u)?;
        let text = if part.is_empty() && text == Some(SectionText::Mime) {
            None
        } else {
            text
        };
        ok(Section::new(part, text))
    }
}

impl<'u> Arbitrary<'u> for DateTime {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        let year = u.int_in_range(0..=9999)?;
        let month = u.int_in_range(1..=12)?;
        let day = u.int_in_range(1..=31)?;
        let hour = u.int_in_range(0..=23)?;
        let minute = u.int_in_range(0..=59)?;
        let second = u.int_in_range(0..=60)?;
        let zone = u.int_in_range(0i16..=99)? * 60 + u.int_in_range(0i16..=59)?;
        let zone = if u.arbitrary()? { -zone } else { zone };
        let dt = ok(DateTime::new(year, month, day, hour, minute, second, zone))?;
        Ok(dt.with_day_space(u.arbitrary()?))
    }
}

impl<'u> Arbitrary<'u> for SearchDate {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        let year = u.int_in_range(0..=9999)?;
        let month = u.int_in_range(1..=12)?;
        let day = u.int_in_range(1..=31)?;
        ok(SearchDate::new(year, month, day))
    }
}

impl<'u> Arbitrary<'u> for Partial {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        Ok(Partial {
            offset: number64(u)?,
            length: nz_number64(u)?,
        })
    }
}

/// A response-side sequence set: never `$` (RFC 5182 `$` is for commands).
pub(crate) fn response_set(u: &mut Unstructured<'_>) -> Result<SequenceSet> {
    Ok(SequenceSet::Set(NonEmptyVec::<SeqItem>::arbitrary(u)?))
}

// ---- commands --------------------------------------------------------

/// A SASL mechanism: a known one or any valid name (RFC 4422 section 3.1).
pub(crate) fn mechanism<'a>(u: &mut Unstructured<'a>) -> Result<Mechanism<'a>> {
    let name = if u.arbitrary()? {
        (*u.choose(&[
            "PLAIN",
            "LOGIN",
            "XOAUTH2",
            "OAUTHBEARER",
            "SCRAM-SHA-256",
            "cram-md5",
        ])?)
        .to_owned()
    } else {
        chars(
            u,
            |b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_',
            1,
            20,
        )?
    };
    Mechanism::new(&name)
        .map(Mechanism::into_owned)
        .map_err(|_| Error::IncorrectFormat)
}

/// SETQUOTA resource limits: atoms and `number64`s.
pub(crate) fn quota_limits<'a>(u: &mut Unstructured<'a>) -> Result<Vec<(Atom<'a>, u64)>> {
    list_of(u, 4, |u| Ok((Atom::arbitrary(u)?, number64(u)?)))
}

/// Every command name the parser knows, and `UID`.
const COMMAND_NAMES: &[&str] = &[
    "CAPABILITY",
    "NOOP",
    "LOGOUT",
    "STARTTLS",
    "AUTHENTICATE",
    "LOGIN",
    "ENABLE",
    "SELECT",
    "EXAMINE",
    "CREATE",
    "DELETE",
    "RENAME",
    "SUBSCRIBE",
    "UNSUBSCRIBE",
    "LIST",
    "LSUB",
    "NAMESPACE",
    "STATUS",
    "APPEND",
    "IDLE",
    "CHECK",
    "CLOSE",
    "UNSELECT",
    "EXPUNGE",
    "SEARCH",
    "FETCH",
    "STORE",
    "COPY",
    "MOVE",
    "ID",
    "GETQUOTA",
    "GETQUOTAROOT",
    "SETQUOTA",
    "UID",
];

/// The name of an unknown command.
pub(crate) fn other_command_name<'a>(u: &mut Unstructured<'a>) -> Result<Atom<'a>> {
    other_atom(u, COMMAND_NAMES, false)
}

impl<'u: 'a, 'a> Arbitrary<'u> for InitialResponse<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        use base64::Engine as _;
        Ok(match u.int_in_range(0u8..=2)? {
            0 => InitialResponse::Empty,
            1 => {
                let raw: Vec<u8> = u.arbitrary()?;
                if raw.is_empty() {
                    InitialResponse::Empty
                } else {
                    let text = base64::engine::general_purpose::STANDARD.encode(raw);
                    ok(InitialResponse::base64(text))?
                }
            }
            _ => {
                // Base64 alphabet, not necessarily decodable.
                let s = chars(u, super::command::is_base64_char, 1, MAX_LEN)?;
                let s = s.trim_start_matches('=');
                if s.is_empty() {
                    InitialResponse::Empty
                } else {
                    ok(InitialResponse::base64(s.to_owned()))?
                }
            }
        })
    }
}

impl<'u: 'a, 'a> Arbitrary<'u> for ListPattern<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        let b = if u.arbitrary()? {
            chars(u, super::command::mailbox::is_list_char, 1, 12)?.into_bytes()
        } else {
            content(u)?
        };
        ok(ListPattern::new(b))
    }
}

impl<'u: 'a, 'a> Arbitrary<'u> for RawArgs<'a> {
    /// Words, quoted strings (with escapes), balanced parentheses and
    /// literals (`{n}`, `{n+}`, `~{n}` with NUL), never ending in a literal
    /// header; a fixed text if the result were refused.
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        let mut b = Vec::new();
        let mut depth = 0usize;
        let n = u.int_in_range(0..=8)?;
        for i in 0..n {
            if i > 0 && u.arbitrary()? {
                b.push(b' ');
            }
            match u.int_in_range(0u8..=5)? {
                0 => b.extend_from_slice(chars(u, is_atom_char, 1, 8)?.as_bytes()),
                1 => {
                    b.push(b'"');
                    for c in line_text(u, 12)?.bytes() {
                        if c == b'"' || c == b'\\' {
                            b.push(b'\\');
                        }
                        b.push(c);
                    }
                    b.push(b'"');
                }
                2 => {
                    b.push(b'(');
                    depth += 1;
                }
                3 if depth > 0 => {
                    b.push(b')');
                    depth -= 1;
                }
                4 => {
                    let binary: bool = u.arbitrary()?;
                    let data = if binary {
                        let n = u.int_in_range(0..=12)?;
                        u.bytes(n.min(u.len()))?.to_vec()
                    } else {
                        bytes_no_nul(u, 12)?
                    };
                    if binary {
                        b.push(b'~');
                    }
                    b.push(b'{');
                    b.extend_from_slice(data.len().to_string().as_bytes());
                    if u.arbitrary()? {
                        b.push(b'+');
                    }
                    b.extend_from_slice(b"}\r\n");
                    b.extend_from_slice(&data);
                }
                _ => b.extend_from_slice(chars(u, |c| c.is_ascii_digit(), 1, 5)?.as_bytes()),
            }
        }
        b.extend(core::iter::repeat_n(b')', depth));
        RawArgs::new(b.clone())
            .or_else(|_| RawArgs::new(&b"X (1 2)"[..]).map(RawArgs::into_owned))
            .map_err(|_| Error::IncorrectFormat)
    }
}

impl<'u: 'a, 'a> Arbitrary<'u> for ListSelect<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        Ok(match u.int_in_range(0u8..=4)? {
            0 => ListSelect::Subscribed,
            1 => ListSelect::Remote,
            2 => ListSelect::RecursiveMatch,
            3 => ListSelect::SpecialUse,
            _ => ListSelect::Other(other_atom(
                u,
                &["SUBSCRIBED", "REMOTE", "RECURSIVEMATCH", "SPECIAL-USE"],
                false,
            )?),
        })
    }
}

impl<'u: 'a, 'a> Arbitrary<'u> for ListReturn<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        Ok(match u.int_in_range(0u8..=4)? {
            0 => ListReturn::Subscribed,
            1 => ListReturn::Children,
            2 => ListReturn::SpecialUse,
            3 => ListReturn::Status(NonEmptyVec::arbitrary(u)?),
            _ => ListReturn::Other(other_atom(
                u,
                &["SUBSCRIBED", "CHILDREN", "SPECIAL-USE", "STATUS"],
                false,
            )?),
        })
    }
}

/// STATUS item names the parser knows.
const STATUS_NAMES: &[&str] = &[
    "MESSAGES",
    "RECENT",
    "UIDNEXT",
    "UIDVALIDITY",
    "UNSEEN",
    "DELETED",
    "SIZE",
    "APPENDLIMIT",
    "HIGHESTMODSEQ",
    "MAILBOXID",
];

impl<'u: 'a, 'a> Arbitrary<'u> for StatusItem<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        Ok(match u.int_in_range(0u8..=10)? {
            0 => StatusItem::Messages,
            1 => StatusItem::Recent,
            2 => StatusItem::UidNext,
            3 => StatusItem::UidValidity,
            4 => StatusItem::Unseen,
            5 => StatusItem::Deleted,
            6 => StatusItem::Size,
            7 => StatusItem::AppendLimit,
            8 => StatusItem::HighestModSeq,
            9 => StatusItem::MailboxId,
            _ => StatusItem::Other(other_atom(u, STATUS_NAMES, false)?),
        })
    }
}

impl<'u: 'a, 'a> Arbitrary<'u> for SearchReturn<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        Ok(match u.int_in_range(0u8..=5)? {
            0 => SearchReturn::Min,
            1 => SearchReturn::Max,
            2 => SearchReturn::All,
            3 => SearchReturn::Count,
            4 => SearchReturn::Save,
            _ => SearchReturn::Other(other_atom(
                u,
                &["MIN", "MAX", "ALL", "COUNT", "SAVE"],
                false,
            )?),
        })
    }
}

fn search_key<'a>(u: &mut Unstructured<'a>, depth: u32) -> Result<SearchKey<'a>> {
    use SearchKey as K;
    let last = if depth >= MAX_DEPTH { 36 } else { 39 };
    Ok(match u.int_in_range(0u8..=last)? {
        0 => K::All,
        1 => K::Answered,
        2 => K::Bcc(AString::arbitrary(u)?),
        3 => K::Before(SearchDate::arbitrary(u)?),
        4 => K::Body(AString::arbitrary(u)?),
        5 => K::Cc(AString::arbitrary(u)?),
        6 => K::Deleted,
        7 => K::Draft,
        8 => K::Flagged,
        9 => K::From(AString::arbitrary(u)?),
        10 => K::Header(AString::arbitrary(u)?, AString::arbitrary(u)?),
        11 => K::Keyword(Atom::arbitrary(u)?),
        12 => K::Larger(number64(u)?),
        13 => K::New,
        14 => K::Old,
        15 => K::On(SearchDate::arbitrary(u)?),
        16 => K::Recent,
        17 => K::Seen,
        18 => K::SentBefore(SearchDate::arbitrary(u)?),
        19 => K::SentOn(SearchDate::arbitrary(u)?),
        20 => K::SentSince(SearchDate::arbitrary(u)?),
        21 => K::Since(SearchDate::arbitrary(u)?),
        22 => K::Smaller(number64(u)?),
        23 => K::Subject(AString::arbitrary(u)?),
        24 => K::Text(AString::arbitrary(u)?),
        25 => K::To(AString::arbitrary(u)?),
        26 => K::Uid(SequenceSet::arbitrary(u)?),
        27 => K::Unanswered,
        28 => K::Undeleted,
        29 => K::Undraft,
        30 => K::Unflagged,
        31 => K::Unkeyword(Atom::arbitrary(u)?),
        32 => K::Unseen,
        33 => K::Older(u.arbitrary()?),
        34 => K::Younger(u.arbitrary()?),
        35 => K::ModSeq {
            entry: if u.arbitrary()? {
                Some((IString::arbitrary(u)?, Atom::arbitrary(u)?))
            } else {
                None
            },
            modseq: number64(u)?,
        },
        36 => K::SequenceSet(SequenceSet::arbitrary(u)?),
        37 => K::Not(Box::new(search_key(u, depth + 1)?)),
        38 => K::Or(
            Box::new(search_key(u, depth + 1)?),
            Box::new(search_key(u, depth + 1)?),
        ),
        _ => {
            let mut v = NonEmptyVec::one(search_key(u, depth + 1)?);
            for _ in 0..u.int_in_range(0..=3)? {
                v.push(search_key(u, depth + 1)?);
            }
            K::And(v)
        }
    })
}

impl<'u: 'a, 'a> Arbitrary<'u> for SearchKey<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        search_key(u, 0)
    }
}

// ---- responses -------------------------------------------------------

impl<'u: 'a, 'a> Arbitrary<'u> for Text<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        let mut s = line_text(u, MAX_LEN)?;
        if ends_like_literal(s.as_bytes()) {
            s.push('.');
        }
        Text::new(s)
            .or_else(|_| Text::new(""))
            .map_err(|_| Error::IncorrectFormat)
    }
}

/// Text after a status or `+` without a code: not starting with `[`.
fn text_without_code<'a>(u: &mut Unstructured<'a>) -> Result<Text<'a>> {
    let t = Text::arbitrary(u)?;
    if t.as_str().starts_with('[') {
        ok(Text::new(t.as_str().trim_start_matches('[').to_owned()))
    } else {
        Ok(t)
    }
}

impl<'u: 'a, 'a> Arbitrary<'u> for Word<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        ok(Word::new(chars(u, is_word_char, 1, 12)?))
    }
}

fn value<'a>(u: &mut Unstructured<'a>, depth: u32) -> Result<Value<'a>> {
    let last = if depth >= MAX_DEPTH { 1 } else { 2 };
    Ok(match u.int_in_range(0u8..=last)? {
        0 => Value::Word(Word::arbitrary(u)?),
        1 => Value::String(IString::arbitrary(u)?),
        _ => Value::List(list_of(u, 4, |u| value(u, depth + 1))?),
    })
}

impl<'u: 'a, 'a> Arbitrary<'u> for Value<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        value(u, 0)
    }
}

impl<'u> Arbitrary<'u> for Delimiter {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        let b: u8 = u.int_in_range(1..=0x7f)?;
        let c = if matches!(b, b'\r' | b'\n') {
            '/'
        } else {
            char::from(b)
        };
        ok(Delimiter::new(c))
    }
}

impl<'u: 'a, 'a> Arbitrary<'u> for CodeText<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        let s = line_text(u, MAX_LEN)?.replace(']', "");
        CodeText::new(s)
            .or_else(|_| CodeText::new("x"))
            .map_err(|_| Error::IncorrectFormat)
    }
}

/// The known capabilities' names, and a few `AUTH=` ones.
const CAPABILITY_NAMES: &[&str] = &[
    "IMAP4rev1",
    "IMAP4rev2",
    "STARTTLS",
    "LOGINDISABLED",
    "SASL-IR",
    "IDLE",
    "LITERAL+",
    "LITERAL-",
    "ENABLE",
    "MOVE",
    "UNSELECT",
    "UIDPLUS",
    "NAMESPACE",
    "ID",
    "CHILDREN",
    "CONDSTORE",
    "QRESYNC",
    "ESEARCH",
    "BINARY",
    "SPECIAL-USE",
    "LIST-EXTENDED",
    "LIST-STATUS",
    "UTF8=ACCEPT",
    "UTF8=ONLY",
    "STATUS=SIZE",
    "LOGIN-REFERRALS",
    "AUTH=PLAIN",
    "auth=xoauth2",
    "AUTH=",
];

impl<'u: 'a, 'a> Arbitrary<'u> for Capability<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        let name = match u.int_in_range(0u8..=2)? {
            0 => (*u.choose(CAPABILITY_NAMES)?).to_owned(),
            1 => format!("AUTH={}", chars(u, is_atom_char, 1, 12)?),
            _ => chars(u, is_atom_char, 1, 12)?,
        };
        Capability::from_bytes(name.as_bytes())
            .map(Capability::into_owned)
            .map_err(|_| Error::IncorrectFormat)
    }
}

/// The codes without arguments.
const SIMPLE_CODES: &[&str] = &[
    "ALERT",
    "PARSE",
    "READ-ONLY",
    "READ-WRITE",
    "TRYCREATE",
    "UIDNOTSTICKY",
    "CLOSED",
    "NOMODSEQ",
    "NOTSAVED",
    "HASCHILDREN",
    "USEATTR",
    "UNAVAILABLE",
    "AUTHENTICATIONFAILED",
    "AUTHORIZATIONFAILED",
    "EXPIRED",
    "PRIVACYREQUIRED",
    "CONTACTADMIN",
    "NOPERM",
    "INUSE",
    "EXPUNGEISSUED",
    "CORRUPTION",
    "SERVERBUG",
    "CLIENTBUG",
    "CANNOT",
    "LIMIT",
    "OVERQUOTA",
    "ALREADYEXISTS",
    "NONEXISTENT",
];

/// The codes with arguments the parser knows.
const ARG_CODES: &[&str] = &[
    "BADCHARSET",
    "CAPABILITY",
    "PERMANENTFLAGS",
    "UIDNEXT",
    "UIDVALIDITY",
    "UNSEEN",
    "APPENDUID",
    "COPYUID",
    "HIGHESTMODSEQ",
    "MODIFIED",
];

impl<'u: 'a, 'a> Arbitrary<'u> for Code<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        Ok(match u.int_in_range(0u8..=11)? {
            0 => {
                let name = u.choose(SIMPLE_CODES)?;
                Code::simple(name.as_bytes()).ok_or(Error::IncorrectFormat)?
            }
            1 => Code::BadCharset(list_of(u, 3, AString::arbitrary)?),
            2 => Code::Capability(NonEmptyVec::arbitrary(u)?),
            3 => Code::PermanentFlags(Vec::arbitrary(u)?),
            4 => Code::UidNext(u.arbitrary()?),
            5 => Code::UidValidity(u.arbitrary()?),
            6 => Code::Unseen(u.arbitrary()?),
            7 => Code::AppendUid {
                uid_validity: u.arbitrary()?,
                uids: response_set(u)?,
            },
            8 => Code::CopyUid {
                uid_validity: u.arbitrary()?,
                source: response_set(u)?,
                dest: response_set(u)?,
            },
            9 => Code::HighestModSeq(number64(u)?),
            10 => Code::Modified(response_set(u)?),
            _ => {
                let text = Option::<CodeText<'a>>::arbitrary(u)?;
                // A simple code's name with text is `Other`; without, it is
                // the simple code.
                let mut taken = ARG_CODES.to_vec();
                if text.is_none() {
                    taken.extend_from_slice(SIMPLE_CODES);
                }
                Code::Other {
                    name: other_atom(u, &taken, false)?,
                    text,
                }
            }
        })
    }
}

impl<'u: 'a, 'a> Arbitrary<'u> for StatusResponse<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        let tag = Option::<Tag<'a>>::arbitrary(u)?;
        let kind = if tag.is_some() {
            *u.choose(&[StatusKind::Ok, StatusKind::No, StatusKind::Bad])?
        } else {
            StatusKind::arbitrary(u)?
        };
        let code = Option::<Code<'a>>::arbitrary(u)?;
        let text = if code.is_some() {
            Text::arbitrary(u)?
        } else {
            text_without_code(u)?
        };
        Ok(StatusResponse {
            tag,
            kind,
            code,
            text,
        })
    }
}

impl<'u: 'a, 'a> Arbitrary<'u> for ContinueRequest<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        let code = Option::<Code<'a>>::arbitrary(u)?;
        let text = if code.is_some() {
            Text::arbitrary(u)?
        } else {
            text_without_code(u)?
        };
        Ok(ContinueRequest { code, text })
    }
}

/// Untagged data names the parser knows (numbered ones too).
const DATA_NAMES: &[&str] = &[
    "OK",
    "NO",
    "BAD",
    "PREAUTH",
    "BYE",
    "CAPABILITY",
    "ENABLED",
    "LIST",
    "LSUB",
    "STATUS",
    "SEARCH",
    "ESEARCH",
    "FLAGS",
    "NAMESPACE",
    "ID",
    "VANISHED",
    "EXISTS",
    "RECENT",
    "EXPUNGE",
    "FETCH",
];

/// The name of unknown untagged data; never starting with a digit (which
/// would read as a message number).
pub(crate) fn other_data_name<'a>(u: &mut Unstructured<'a>) -> Result<Atom<'a>> {
    other_atom(u, DATA_NAMES, true)
}

impl<'u: 'a, 'a> Arbitrary<'u> for StatusValue<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        Ok(match u.int_in_range(0u8..=8)? {
            0 => StatusValue::Messages(u.arbitrary()?),
            1 => StatusValue::Recent(u.arbitrary()?),
            2 => StatusValue::UidNext(u.arbitrary()?),
            3 => StatusValue::UidValidity(u.arbitrary()?),
            4 => StatusValue::Unseen(u.arbitrary()?),
            5 => StatusValue::Deleted(u.arbitrary()?),
            6 => StatusValue::Size(number64(u)?),
            7 => StatusValue::HighestModSeq(number64(u)?),
            _ => StatusValue::Other {
                name: other_atom(u, STATUS_NAMES, false)?,
                value: number64(u)?,
            },
        })
    }
}

impl<'u: 'a, 'a> Arbitrary<'u> for ESearchItem<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        Ok(match u.int_in_range(0u8..=5)? {
            0 => ESearchItem::Min(u.arbitrary()?),
            1 => ESearchItem::Max(u.arbitrary()?),
            2 => ESearchItem::All(response_set(u)?),
            3 => ESearchItem::Count(u.arbitrary()?),
            4 => ESearchItem::ModSeq(number64(u)?),
            _ => ESearchItem::Other {
                name: other_atom(u, &["MIN", "MAX", "ALL", "COUNT", "MODSEQ"], false)?,
                value: Value::arbitrary(u)?,
            },
        })
    }
}

/// FETCH item names the parser knows (an unknown item's name may not
/// start with one).
const FETCH_NAMES: &[&str] = &[
    "FLAGS",
    "UID",
    "INTERNALDATE",
    "RFC822",
    "ENVELOPE",
    "BODY",
    "BINARY",
    "MODSEQ",
];

impl<'u: 'a, 'a> Arbitrary<'u> for FetchItem<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        Ok(match u.int_in_range(0u8..=15)? {
            0 => FetchItem::Flags(Vec::arbitrary(u)?),
            1 => FetchItem::Uid(u.arbitrary()?),
            2 => FetchItem::InternalDate(DateTime::arbitrary(u)?),
            3 => FetchItem::Rfc822Size(number64(u)?),
            4 => FetchItem::Envelope(Box::arbitrary(u)?),
            5 => FetchItem::Body(Box::new(body(u, 0)?)),
            6 => FetchItem::BodyStructure(Box::new(body(u, 0)?)),
            7 => FetchItem::BodySection {
                section: Section::arbitrary(u)?,
                origin: u.arbitrary()?,
                data: u.arbitrary()?,
            },
            8 => FetchItem::Binary {
                part: parts(u, 4)?,
                origin: u.arbitrary()?,
                data: u.arbitrary()?,
            },
            9 => FetchItem::BinarySize {
                part: parts(u, 4)?,
                size: u.arbitrary()?,
            },
            10 => FetchItem::Rfc822(u.arbitrary()?),
            11 => FetchItem::Rfc822Header(u.arbitrary()?),
            12 => FetchItem::Rfc822Text(u.arbitrary()?),
            13 => FetchItem::ModSeq(number64(u)?),
            _ => {
                let w = chars(u, is_word_char, 1, 12)?;
                let upper = w.to_ascii_uppercase();
                let name = if FETCH_NAMES.iter().any(|n| upper.starts_with(n)) {
                    format!("X{w}")
                } else {
                    w
                };
                FetchItem::Other {
                    name: ok(Word::new(name))?,
                    value: Value::arbitrary(u)?,
                }
            }
        })
    }
}

fn body_extension<'a>(u: &mut Unstructured<'a>, depth: u32) -> Result<BodyExtension<'a>> {
    let last = if depth >= MAX_DEPTH { 1 } else { 2 };
    Ok(match u.int_in_range(0u8..=last)? {
        0 => BodyExtension::NString(u.arbitrary()?),
        1 => BodyExtension::Number(number64(u)?),
        _ => {
            let mut v = NonEmptyVec::one(body_extension(u, depth + 1)?);
            for _ in 0..u.int_in_range(0..=2)? {
                v.push(body_extension(u, depth + 1)?);
            }
            BodyExtension::List(v)
        }
    })
}

impl<'u: 'a, 'a> Arbitrary<'u> for BodyExtension<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        body_extension(u, 0)
    }
}

/// A string `s`, as an `IString`.
fn istr<'a>(s: &str) -> Result<IString<'a>> {
    ok(IString::new(s.as_bytes().to_vec()))
}

fn body<'a>(u: &mut Unstructured<'a>, depth: u32) -> Result<Body<'a>> {
    let last = if depth >= MAX_DEPTH { 1 } else { 3 };
    Ok(match u.int_in_range(0u8..=last)? {
        0 => {
            // A basic part: any media type but TEXT and MESSAGE/RFC822 or
            // MESSAGE/GLOBAL, whose forms differ.
            let t = IString::arbitrary(u)?;
            let media_type = if t.as_bytes().eq_ignore_ascii_case(b"TEXT")
                || t.as_bytes().eq_ignore_ascii_case(b"MESSAGE")
            {
                istr("APPLICATION")?
            } else {
                t
            };
            let subtype = IString::arbitrary(u)?;
            single(u, media_type, subtype, SingleKind::Basic)?
        }
        1 => {
            let lines = u.arbitrary()?;
            let media_type = istr(u.choose(&["TEXT", "text"])?)?;
            let subtype = IString::arbitrary(u)?;
            single(u, media_type, subtype, SingleKind::Text { lines })?
        }
        2 => {
            let kind = SingleKind::Message {
                envelope: Box::arbitrary(u)?,
                body: Box::new(body(u, depth + 1)?),
                lines: u.arbitrary()?,
            };
            let subtype = istr(u.choose(&["RFC822", "GLOBAL", "rfc822"])?)?;
            single(u, istr("MESSAGE")?, subtype, kind)?
        }
        _ => {
            let mut parts = NonEmptyVec::one(body(u, depth + 1)?);
            for _ in 0..u.int_in_range(0..=2)? {
                parts.push(body(u, depth + 1)?);
            }
            Body::Multipart {
                parts,
                subtype: IString::arbitrary(u)?,
                ext: Option::<MultipartExt<'a>>::arbitrary(u)?,
            }
        }
    })
}

fn single<'a>(
    u: &mut Unstructured<'a>,
    media_type: IString<'a>,
    subtype: IString<'a>,
    kind: SingleKind<'a>,
) -> Result<Body<'a>> {
    Ok(Body::Single {
        media_type,
        subtype,
        fields: BodyFields::arbitrary(u)?,
        kind,
        ext: Option::<SinglePartExt<'a>>::arbitrary(u)?,
    })
}

impl<'u: 'a, 'a> Arbitrary<'u> for Body<'a> {
    fn arbitrary(u: &mut Unstructured<'u>) -> Result<Self> {
        body(u, 0)
    }
}
