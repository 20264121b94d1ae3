//! Server responses (RFC 9051 section 7, RFC 3501 section 7).
//!
//! ```text
//! response       = *(continue-req / response-data) response-done
//! continue-req   = "+" SP (resp-text / base64) CRLF
//! response-data  = "*" SP (resp-cond-state / resp-cond-bye /
//!                  mailbox-data / message-data / capability-data /
//!                  enable-data) CRLF
//! response-tagged = tag SP resp-cond-state CRLF
//! resp-text      = ["[" resp-text-code "]" SP] [text]
//! ```
//!
//! A greeting is an untagged `OK`, `PREAUTH` or `BYE`
//! ([`StatusResponse::is_greeting`]).

use core::fmt;
use core::num::NonZeroU32;
use std::borrow::Cow;

use super::atom::{Atom, Tag};
use super::capability::Capability;
use super::code::Code;
use super::error::{ValueError, check_bytes};
use super::fetch::FetchItem;
use super::flag::Flag;
use super::mailbox::Mailbox;
use super::nonempty::NonEmptyVec;
use super::sequence::{SeqItem, SeqNumber, SequenceSet};
use super::string::{AString, IString, NString};

/// Human-readable `text` (RFC 9051 section 9: `TEXT-CHAR` and UTF-8): any
/// characters but CR, LF and NUL. May be empty.
///
/// Text that ends like a literal header (`{5}`, `{5+}`) is refused: every
/// reader (our [framer](crate::parse::framer) included) would take the
/// line end for a literal and read the next response as its data.
#[derive(Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Text<'a>(Cow<'a, str>);

impl<'a> Text<'a> {
    /// Validates `s`: no CR, LF or NUL.
    pub fn new(s: impl Into<Cow<'a, str>>) -> Result<Self, ValueError> {
        let s = s.into();
        check_bytes("text", s.as_bytes(), true, |b| {
            !matches!(b, b'\r' | b'\n' | 0)
        })?;
        if ends_like_literal(s.as_bytes()) {
            return Err(ValueError::Invalid {
                what: "text ending in {n} (would read as a literal header)",
            });
        }
        Ok(Text(s))
    }

    /// Wraps text the parser checked.
    pub(crate) fn from_checked(s: &'a str) -> Self {
        Text(Cow::Borrowed(s))
    }

    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> Text<'static> {
        Text(Cow::Owned(self.0.into_owned()))
    }
}

/// Whether `b` ends in `{digits}` or `{digits+}`.
pub(crate) fn ends_like_literal(b: &[u8]) -> bool {
    let Some(rest) = b.strip_suffix(b"}") else {
        return false;
    };
    let rest = rest.strip_suffix(b"+").unwrap_or(rest);
    let digits = rest.iter().rev().take_while(|c| c.is_ascii_digit()).count();
    digits > 0 && rest.len().checked_sub(digits + 1).and_then(|i| rest.get(i)) == Some(&b'{')
}

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Text({:?})", &*self.0)
    }
}

/// Whether `b` may be in a [`Word`]: printable ASCII but SP, `(`, `)`,
/// `"`, `{` (so a word never starts a string, a literal or a list).
#[must_use]
pub const fn is_word_char(b: u8) -> bool {
    matches!(b, 0x21..=0x7e) && !matches!(b, b'(' | b')' | b'"' | b'{')
}

/// A bare token of an unknown response or item: an atom, a number, `NIL`,
/// `\Flag`, `BODY[1]<0>`... (anything [`is_word_char`]).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Word<'a>(Cow<'a, str>);

impl<'a> Word<'a> {
    /// Validates `s`: non-empty, every byte [`is_word_char`].
    pub fn new(s: impl Into<Cow<'a, str>>) -> Result<Self, ValueError> {
        let s = s.into();
        check_bytes("word", s.as_bytes(), false, is_word_char)?;
        Ok(Word(s))
    }

    /// Wraps a word the parser checked.
    pub(crate) fn from_checked(s: &'a str) -> Self {
        Word(Cow::Borrowed(s))
    }

    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> Word<'static> {
        Word(Cow::Owned(self.0.into_owned()))
    }
}

impl fmt::Debug for Word<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Word({:?})", &*self.0)
    }
}

/// A generic value of the grammar, for what this crate does not know:
/// unknown untagged data, unknown FETCH items, extended LIST data.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value<'a> {
    /// A bare token.
    Word(Word<'a>),
    /// A quoted string or literal.
    String(IString<'a>),
    /// A parenthesised list of values separated by SP.
    List(Vec<Value<'a>>),
}

impl Value<'_> {
    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> Value<'static> {
        match self {
            Value::Word(w) => Value::Word(w.into_owned()),
            Value::String(s) => Value::String(s.into_owned()),
            Value::List(l) => Value::List(l.into_iter().map(Value::into_owned).collect()),
        }
    }
}

/// One server response: one complete message of the server.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Response<'a> {
    /// A status response, tagged or untagged (`OK`, `NO`, `BAD`,
    /// `PREAUTH`, `BYE`).
    Status(StatusResponse<'a>),
    /// Untagged data.
    Data(Data<'a>),
    /// A continuation request (`+`).
    Continue(ContinueRequest<'a>),
}

/// The condition of a status response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum StatusKind {
    /// `OK`.
    Ok,
    /// `NO`.
    No,
    /// `BAD`.
    Bad,
    /// `PREAUTH` (greeting only).
    PreAuth,
    /// `BYE` (untagged only).
    Bye,
}

impl StatusKind {
    /// The wire name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            StatusKind::Ok => "OK",
            StatusKind::No => "NO",
            StatusKind::Bad => "BAD",
            StatusKind::PreAuth => "PREAUTH",
            StatusKind::Bye => "BYE",
        }
    }
}

/// `resp-cond-state`, `resp-cond-auth` or `resp-cond-bye`, with its tag
/// when it completes a command.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StatusResponse<'a> {
    /// The command's tag; `None` for `*`. `PREAUTH` and `BYE` are never
    /// tagged (the parser rejects it).
    pub tag: Option<Tag<'a>>,
    /// The condition.
    pub kind: StatusKind,
    /// The response code, if any.
    pub code: Option<Code<'a>>,
    /// The human-readable text.
    pub text: Text<'a>,
}

impl StatusResponse<'_> {
    /// Whether this can be a greeting: untagged `OK`, `PREAUTH` or `BYE`
    /// (RFC 9051 section 7.1).
    #[must_use]
    pub fn is_greeting(&self) -> bool {
        self.tag.is_none()
            && matches!(
                self.kind,
                StatusKind::Ok | StatusKind::PreAuth | StatusKind::Bye
            )
    }

    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> StatusResponse<'static> {
        StatusResponse {
            tag: self.tag.map(Tag::into_owned),
            kind: self.kind,
            code: self.code.map(Code::into_owned),
            text: self.text.into_owned(),
        }
    }
}

/// `continue-req`: `+ resp-text` or `+ base64`. The two cannot be told
/// apart on the wire (`+ idling` could be base64), so the text is kept and
/// [`ContinueRequest::decode_base64`] decodes it when the client expects a
/// SASL challenge.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContinueRequest<'a> {
    /// A response code (rare).
    pub code: Option<Code<'a>>,
    /// The text or base64 challenge.
    pub text: Text<'a>,
}

impl ContinueRequest<'_> {
    /// The text decoded as base64 (RFC 4648 section 4, with padding), as
    /// a SASL challenge (RFC 9051 section 6.2.2).
    pub fn decode_base64(&self) -> Result<Vec<u8>, base64::DecodeError> {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.decode(self.text.as_str())
    }

    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> ContinueRequest<'static> {
        ContinueRequest {
            code: self.code.map(Code::into_owned),
            text: self.text.into_owned(),
        }
    }
}

/// Untagged data.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub enum Data<'a> {
    /// `CAPABILITY ...` (RFC 9051 section 7.2.2).
    Capability(NonEmptyVec<Capability<'a>>),
    /// `ENABLED ...` (RFC 5161 section 3.2).
    Enabled(Vec<Capability<'a>>),
    /// `LIST` (RFC 9051 section 7.3.1).
    List(ListData<'a>),
    /// `LSUB` (RFC 3501 section 7.2.3).
    Lsub(ListData<'a>),
    /// `STATUS mailbox (items)` (RFC 9051 section 7.3.4).
    Status {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// The attributes.
        items: Vec<StatusValue<'a>>,
    },
    /// `SEARCH n...` (RFC 3501 section 7.2.5), with the RFC 7162
    /// `(MODSEQ n)` when sent.
    Search {
        /// The matching numbers.
        ids: Vec<NonZeroU32>,
        /// The highest mod-sequence of the matches (RFC 7162 section 3.1.5).
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::types::arbitrary::opt_number64))]
        modseq: Option<u64>,
    },
    /// `ESEARCH` (RFC 4731, RFC 9051 section 7.3.4).
    ESearch(ESearch<'a>),
    /// `FLAGS (flags)` (RFC 9051 section 7.3.5).
    Flags(Vec<Flag<'a>>),
    /// `n EXISTS`.
    Exists(u32),
    /// `n RECENT` (IMAP4rev1 only).
    Recent(u32),
    /// `n EXPUNGE`.
    Expunge(NonZeroU32),
    /// `n FETCH (items)`.
    Fetch {
        /// The message sequence number.
        seq: NonZeroU32,
        /// The data items.
        items: NonEmptyVec<FetchItem<'a>>,
    },
    /// `NAMESPACE personal other shared` (RFC 2342, RFC 9051 section 7.3.3);
    /// each `None` is `NIL`.
    Namespace {
        /// Personal namespaces.
        personal: Option<NonEmptyVec<NamespaceDesc<'a>>>,
        /// Other users' namespaces.
        other: Option<NonEmptyVec<NamespaceDesc<'a>>>,
        /// Shared namespaces.
        shared: Option<NonEmptyVec<NamespaceDesc<'a>>>,
    },
    /// `ID (field value ...)` or `ID NIL` (RFC 2971 section 3.2).
    Id(Option<Vec<(IString<'a>, NString<'a>)>>),
    /// `VANISHED [(EARLIER)] uids` (RFC 7162 section 3.2.10).
    Vanished {
        /// `(EARLIER)`: a reply to a fetch, not a new expunge.
        earlier: bool,
        /// The expunged UIDs.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::types::arbitrary::response_set))]
        uids: SequenceSet,
    },
    /// Any other untagged data: an optional leading number, the name and
    /// the values after it, kept as generic values.
    Other {
        /// The number before the name (`* 3 XFOO`), if any.
        number: Option<u32>,
        /// The name.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::types::arbitrary::other_data_name))]
        name: Atom<'a>,
        /// The values that follow, separated by SP.
        values: Vec<Value<'a>>,
    },
}

/// A hierarchy delimiter (RFC 9051 section 9: `DQUOTE QUOTED-CHAR
/// DQUOTE`): one ASCII character other than NUL, CR and LF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Delimiter(char);

impl Delimiter {
    /// Validates `c`: ASCII, not NUL, CR or LF.
    pub fn new(c: char) -> Result<Self, ValueError> {
        if c.is_ascii() && !matches!(c, '\0' | '\r' | '\n') {
            Ok(Delimiter(c))
        } else {
            Err(ValueError::Invalid {
                what: "delimiter (one ASCII character but NUL, CR, LF)",
            })
        }
    }

    /// The character.
    #[must_use]
    pub fn as_char(self) -> char {
        self.0
    }
}

/// The body of a LIST or LSUB response.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct ListData<'a> {
    /// The mailbox attributes (`\Noselect`, `\HasChildren`, `\Sent`...),
    /// as flag extensions (names without the backslash).
    #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::types::arbitrary::mailbox_attributes))]
    pub attributes: Vec<Flag<'a>>,
    /// The hierarchy delimiter, `None` for `NIL` (flat namespace).
    pub delimiter: Option<Delimiter>,
    /// The mailbox name.
    pub mailbox: Mailbox<'a>,
    /// `mbox-list-extended` (RFC 5258, RFC 9051): `(tag value ...)` pairs,
    /// such as `("CHILDINFO" ("SUBSCRIBED"))` or `("OLDNAME" ("x"))`.
    pub extended: Vec<(AString<'a>, Value<'a>)>,
}

/// One STATUS attribute (RFC 9051 section 7.3.4 `status-att-val`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StatusValue<'a> {
    /// `MESSAGES n`.
    Messages(u32),
    /// `RECENT n` (IMAP4rev1).
    Recent(u32),
    /// `UIDNEXT n`.
    UidNext(u32),
    /// `UIDVALIDITY n`.
    UidValidity(u32),
    /// `UNSEEN n`.
    Unseen(u32),
    /// `DELETED n` (RFC 9051).
    Deleted(u32),
    /// `SIZE n` (RFC 8438, RFC 9051).
    Size(u64),
    /// `HIGHESTMODSEQ n` (RFC 7162).
    HighestModSeq(u64),
    /// Another attribute with a number.
    Other {
        /// The name.
        name: Atom<'a>,
        /// The value.
        value: u64,
    },
}

/// `esearch-response` (RFC 4731 section 3.1, RFC 9051 section 7.3.4).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct ESearch<'a> {
    /// `(TAG "tag")`: the command this answers.
    pub tag: Option<IString<'a>>,
    /// `UID`: the numbers are UIDs.
    pub uid: bool,
    /// The return data.
    pub items: Vec<ESearchItem<'a>>,
}

impl ESearch<'static> {
    /// The IMAP4rev2 answer to a SEARCH that matched `ids` (RFC 9051
    /// section 7.3.4): `(TAG "tag")`, `UID` for UID SEARCH, and `ALL` with
    /// the numbers as the shortest sequence set (sorted, duplicates
    /// dropped, runs as ranges). No match gives no `ALL` item, as RFC 9051
    /// section 6.4.4 requires.
    ///
    /// ```
    /// use core::num::NonZeroU32;
    /// use imap_proto::encode::{Encode, EncodeOptions, Encoder};
    /// use imap_proto::types::{Data, ESearch, IString, Response};
    /// let ids: Vec<NonZeroU32> = [5, 2, 3, 4, 9, 3].iter().map(|&n| NonZeroU32::new(n).unwrap()).collect();
    /// let tag = IString::try_from("A282").unwrap().into_owned();
    /// let r = Response::Data(Data::ESearch(ESearch::from_search(Some(tag), false, &ids)));
    /// let mut e = Encoder::new(EncodeOptions::default());
    /// r.encode(&mut e);
    /// assert_eq!(e.to_bytes(), b"* ESEARCH (TAG \"A282\") ALL 2:5,9\r\n");
    /// ```
    #[must_use]
    pub fn from_search(tag: Option<IString<'static>>, uid: bool, ids: &[NonZeroU32]) -> Self {
        let mut sorted = ids.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let mut items: Vec<SeqItem> = Vec::new();
        let mut run: Option<(NonZeroU32, NonZeroU32)> = None;
        let close = |items: &mut Vec<SeqItem>, (a, b): (NonZeroU32, NonZeroU32)| {
            items.push(if a == b {
                SeqItem::Number(SeqNumber::Value(a))
            } else {
                SeqItem::Range(SeqNumber::Value(a), SeqNumber::Value(b))
            });
        };
        for n in sorted {
            run = match run {
                Some((a, b)) if b.checked_add(1) == Some(n) => Some((a, n)),
                Some(r) => {
                    close(&mut items, r);
                    Some((n, n))
                }
                None => Some((n, n)),
            };
        }
        if let Some(r) = run {
            close(&mut items, r);
        }
        ESearch {
            tag,
            uid,
            items: SequenceSet::new(items)
                .map(|set| vec![ESearchItem::All(set)])
                .unwrap_or_default(),
        }
    }
}

/// `search-return-data`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ESearchItem<'a> {
    /// `MIN n`.
    Min(NonZeroU32),
    /// `MAX n`.
    Max(NonZeroU32),
    /// `ALL sequence-set`.
    All(SequenceSet),
    /// `COUNT n`.
    Count(u32),
    /// `MODSEQ n` (RFC 7162).
    ModSeq(u64),
    /// Another return item and its value.
    Other {
        /// The name.
        name: Atom<'a>,
        /// The value.
        value: Value<'a>,
    },
}

/// One `Namespace-Descr` (RFC 2342 section 5).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct NamespaceDesc<'a> {
    /// The prefix.
    pub prefix: IString<'a>,
    /// The hierarchy delimiter, `None` for `NIL`.
    pub delimiter: Option<Delimiter>,
    /// `Namespace-Response-Extension`s: name and values.
    pub extensions: Vec<(IString<'a>, NonEmptyVec<IString<'a>>)>,
}

fn own_flags(f: Vec<Flag<'_>>) -> Vec<Flag<'static>> {
    f.into_iter().map(Flag::into_owned).collect()
}

fn own_ns(
    n: Option<NonEmptyVec<NamespaceDesc<'_>>>,
) -> Option<NonEmptyVec<NamespaceDesc<'static>>> {
    n.map(|v| {
        v.map(|d| NamespaceDesc {
            prefix: d.prefix.into_owned(),
            delimiter: d.delimiter,
            extensions: d
                .extensions
                .into_iter()
                .map(|(k, v)| (k.into_owned(), v.map(IString::into_owned)))
                .collect(),
        })
    })
}

impl ListData<'_> {
    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> ListData<'static> {
        ListData {
            attributes: own_flags(self.attributes),
            delimiter: self.delimiter,
            mailbox: self.mailbox.into_owned(),
            extended: self
                .extended
                .into_iter()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        }
    }
}

impl Data<'_> {
    /// The same value, owning its text.
    #[must_use]
    pub fn into_owned(self) -> Data<'static> {
        match self {
            Data::Capability(c) => Data::Capability(c.map(Capability::into_owned)),
            Data::Enabled(c) => Data::Enabled(c.into_iter().map(Capability::into_owned).collect()),
            Data::List(l) => Data::List(l.into_owned()),
            Data::Lsub(l) => Data::Lsub(l.into_owned()),
            Data::Status { mailbox, items } => Data::Status {
                mailbox: mailbox.into_owned(),
                items: items
                    .into_iter()
                    .map(|i| match i {
                        StatusValue::Messages(n) => StatusValue::Messages(n),
                        StatusValue::Recent(n) => StatusValue::Recent(n),
                        StatusValue::UidNext(n) => StatusValue::UidNext(n),
                        StatusValue::UidValidity(n) => StatusValue::UidValidity(n),
                        StatusValue::Unseen(n) => StatusValue::Unseen(n),
                        StatusValue::Deleted(n) => StatusValue::Deleted(n),
                        StatusValue::Size(n) => StatusValue::Size(n),
                        StatusValue::HighestModSeq(n) => StatusValue::HighestModSeq(n),
                        StatusValue::Other { name, value } => StatusValue::Other {
                            name: name.into_owned(),
                            value,
                        },
                    })
                    .collect(),
            },
            Data::Search { ids, modseq } => Data::Search { ids, modseq },
            Data::ESearch(e) => Data::ESearch(ESearch {
                tag: e.tag.map(IString::into_owned),
                uid: e.uid,
                items: e
                    .items
                    .into_iter()
                    .map(|i| match i {
                        ESearchItem::Min(n) => ESearchItem::Min(n),
                        ESearchItem::Max(n) => ESearchItem::Max(n),
                        ESearchItem::All(s) => ESearchItem::All(s),
                        ESearchItem::Count(n) => ESearchItem::Count(n),
                        ESearchItem::ModSeq(n) => ESearchItem::ModSeq(n),
                        ESearchItem::Other { name, value } => ESearchItem::Other {
                            name: name.into_owned(),
                            value: value.into_owned(),
                        },
                    })
                    .collect(),
            }),
            Data::Flags(f) => Data::Flags(own_flags(f)),
            Data::Exists(n) => Data::Exists(n),
            Data::Recent(n) => Data::Recent(n),
            Data::Expunge(n) => Data::Expunge(n),
            Data::Fetch { seq, items } => Data::Fetch {
                seq,
                items: items.map(FetchItem::into_owned),
            },
            Data::Namespace {
                personal,
                other,
                shared,
            } => Data::Namespace {
                personal: own_ns(personal),
                other: own_ns(other),
                shared: own_ns(shared),
            },
            Data::Id(v) => Data::Id(v.map(|v| {
                v.into_iter()
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })),
            Data::Vanished { earlier, uids } => Data::Vanished { earlier, uids },
            Data::Other {
                number,
                name,
                values,
            } => Data::Other {
                number,
                name: name.into_owned(),
                values: values.into_iter().map(Value::into_owned).collect(),
            },
        }
    }
}

impl Response<'_> {
    /// The same value, owning its text and data.
    #[must_use]
    pub fn into_owned(self) -> Response<'static> {
        match self {
            Response::Status(s) => Response::Status(s.into_owned()),
            Response::Data(d) => Response::Data(d.into_owned()),
            Response::Continue(c) => Response::Continue(c.into_owned()),
        }
    }
}
