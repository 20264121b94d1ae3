//! IMAP views of a message (feature `rfc822`): ENVELOPE, BODYSTRUCTURE,
//! BODY, `BODY[section]`, RFC822.SIZE, BINARY and BINARY.SIZE
//! (RFC 9051 sections 6.4.5 and 7.5.2, RFC 3501 sections 6.4.5 and 7.4.2,
//! RFC 3516), computed from one pass over the message.
//!
//! [`MessageInfo::new`] walks the message once: header fields, MIME
//! boundaries, the part tree, each part's header and body range and line
//! count. The views then borrow from the message: [`MessageInfo::envelope`],
//! [`MessageInfo::body_structure`] and [`MessageInfo::body`] give the
//! response types of [`crate::types`], ready for the encoder;
//! [`MessageInfo::section`] gives byte ranges.
//!
//! ```
//! use imap_proto::rfc822::MessageInfo;
//! use imap_proto::types::{Section, SectionText};
//!
//! let msg = b"From: a@example.com\r\nSubject: hi\r\n\r\nbody\r\n";
//! let info = MessageInfo::new(msg);
//! assert_eq!(info.rfc822_size(), 42);
//! let env = info.envelope();
//! assert_eq!(env.subject.string().unwrap().as_bytes(), b"hi");
//! let text = info.section(&Section::new(vec![], Some(SectionText::Text)).unwrap()).unwrap();
//! assert_eq!(&*text.to_bytes(), b"body\r\n");
//! ```
//!
//! # The reference: Dovecot
//!
//! `tests/rfc822_dovecot.rs` compares every view with what Dovecot 2.3
//! answered for a corpus of 60 messages (`tests/data/dovecot-rfc822/`),
//! typed value by typed value and octet by octet. Where we answer
//! differently on purpose, the test lists the case and the reason. The
//! rules, each backed by a corpus file in that folder's `FINDINGS.md`:
//!
//! - The message is taken as given. Dovecot serves its stored form (bare
//!   LF turned into CRLF); a server computes the views on the octets it
//!   serves.
//! - The message is parsed once by the push parser of `rfc822-message`
//!   ([`rfc822_message::parse::Parser`], through [`rfc822_message::Message`]);
//!   the views add only what is IMAP's own (see the `parts` module).
//! - Multipart boundaries (RFC 2046 section 5.1.1), the parser's rules:
//!   the line end before a delimiter line belongs to the delimiter, also
//!   when it is the empty line ending a part's header; the open boundaries
//!   are tried innermost first, a line that is a whole delimiter before
//!   one that only starts with `--boundary`, so boundaries that are
//!   prefixes of each other are told apart as Dovecot does (FINDINGS 5.1,
//!   5.2). Dovecot takes the longest open boundary that starts the line;
//!   the two rules differ only for a line with text after the boundary
//!   (`--abc` with `ab` outer, `a` inner), which RFC 2046 does not make a
//!   delimiter at all: the parser's innermost-first reading is kept. A
//!   missing close delimiter lets the last part run to the end. A
//!   multipart without parts (or without a boundary) gets one empty
//!   text/plain part, since the BODYSTRUCTURE grammar needs one.
//! - A header runs to an empty line, a delimiter line or the end; a line
//!   without a colon does not end it
//!   ([`HeaderJunk::Skip`](rfc822_message::parse::HeaderJunk::Skip), Dovecot's
//!   reading; RFC 5322 has no answer for such a line, and ending the
//!   header there would turn header lines into body text). Such lines are
//!   in `HEADER` and `HEADER.FIELDS.NOT`, as in Dovecot.
//! - message/rfc822 and message/global parts are walked into: their
//!   BODYSTRUCTURE carries the envelope, structure and lines of the
//!   encapsulated message (RFC 9051's `body-type-msg` names both).
//!   **Differs from Dovecot 2.3**, which treats message/global as an
//!   opaque leaf.
//! - Strings are the field values as written, unfolded; nothing is decoded
//!   (see [`envelope`](MessageInfo::envelope)).
//! - `BINARY.SIZE` fails only for the part whose encoding is unknown
//!   ([`UnknownCte`]). **Differs from Dovecot 2.3**, which fails it for
//!   every part of such a message.

mod body;
mod envelope;
mod parts;
mod section;

use core::num::NonZeroU32;
use std::borrow::Cow;

use rfc822_message::decode::{Base64Decoder, QpDecoder, TransferDecoder};
use rfc822_message::header::mime::ContentTransferEncoding;

pub use section::SectionData;

use crate::types::{Body, Envelope, Section};

/// The Content-Transfer-Encoding of a part is one this crate cannot
/// decode: BINARY and BINARY.SIZE must fail with `NO [UNKNOWN-CTE]`
/// (RFC 3516 section 4.3, RFC 9051 section 7.5.2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown Content-Transfer-Encoding {encoding:?}")]
pub struct UnknownCte {
    /// The encoding as written.
    pub encoding: String,
}

/// Why BINARY of a part cannot be given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BinaryError {
    /// There is no such part.
    #[error("no such part")]
    NoSuchPart,
    /// Its encoding is unknown.
    #[error(transparent)]
    UnknownCte(#[from] UnknownCte),
}

/// A message parsed for the IMAP views: the part tree with byte ranges,
/// borrowing the message.
#[derive(Debug, Clone)]
pub struct MessageInfo<'a> {
    tree: parts::Tree<'a>,
}

impl<'a> MessageInfo<'a> {
    /// Parses `msg` once with the push parser of `rfc822-message`
    /// ([`rfc822_message::parse`]). Never fails: every octet string is a
    /// message, broken ones are read the way real servers read them. The
    /// parser's default [`Limits`](rfc822_message::Limits) apply: parts
    /// nested deeper than `max_depth` and parts beyond `max_parts` are not
    /// walked into.
    #[must_use]
    pub fn new(msg: &'a [u8]) -> Self {
        MessageInfo {
            tree: parts::Tree {
                msg,
                parsed: parts::parse(msg),
            },
        }
    }

    /// The message.
    #[must_use]
    pub fn message(&self) -> &'a [u8] {
        self.tree.msg
    }

    /// `RFC822.SIZE`: the size of the message in octets.
    #[must_use]
    pub fn rfc822_size(&self) -> u64 {
        u64::try_from(self.tree.msg.len()).unwrap_or(u64::MAX)
    }

    /// `ENVELOPE` (RFC 9051 section 7.5.2).
    ///
    /// Date, Subject, In-Reply-To and Message-ID are the last such field's
    /// value as written, unfolded (RFC 5322 section 2.2.3), without the
    /// space after the colon (and without any leading white space for
    /// In-Reply-To and Message-ID); `NIL` when absent, `""` when empty.
    /// Address fields of the same name are concatenated (Dovecot reads
    /// duplicates so); a missing or empty Sender or Reply-To is the From.
    ///
    /// Addresses are read by the shared parser of `rfc822-message`
    /// ([`rfc822_message::header::AddressList`]): RFC 5322 section 3.4 with
    /// the obsolete forms of section 4.4 (routes in `adl`, CFWS around
    /// dots, empty list elements skipped); group start and end markers as
    /// RFC 9051 says; a list the parser refuses keeps the addresses before
    /// the failure. The name is
    /// the display name's words joined by one space, quoted strings with
    /// their content as written; `addr-spec (comment)` takes the comment
    /// as name. The mailbox is the local part without quotes (its
    /// meaning, also for obsolete dotted quoted words). Missing pieces are
    /// `MISSING_MAILBOX` / `MISSING_DOMAIN`, as Dovecot and UW-IMAP write.
    ///
    /// **Differs from Dovecot 2.3** in three reasoned ways: Subject and
    /// display names keep their white space as written (Dovecot collapses
    /// runs of white space; RFC 9051 asks for the field value); empty list
    /// elements give no address (Dovecot gives a `MISSING_MAILBOX`
    /// address; RFC 5322 section 4.4 says they are to be ignored);
    /// `"a"."b"@host` is read (Dovecot fails on it).
    #[must_use]
    pub fn envelope(&self) -> Envelope<'a> {
        envelope::envelope(&self.tree, Some(self.tree.root()))
    }

    /// `BODYSTRUCTURE`: the structure with extension data (body-fld-md5 or
    /// the multipart parameters, then disposition, language and location,
    /// all given, as `NIL` when absent).
    #[must_use]
    pub fn body_structure(&self) -> Body<'a> {
        body::structure(&self.tree, self.tree.root(), true)
    }

    /// `BODY`: the structure without extension data, at every level.
    #[must_use]
    pub fn body(&self) -> Body<'a> {
        body::structure(&self.tree, self.tree.root(), false)
    }

    /// The octets `BODY[section]` names, `None` when the section names no
    /// part of this message: a part number beyond the parts, or a
    /// `HEADER`, `HEADER.FIELDS` or `TEXT` after the number of a part that
    /// is not message/rfc822 (RFC 9051 section 6.4.5 allows them only
    /// there).
    ///
    /// `HEADER.FIELDS` and `HEADER.FIELDS.NOT` give the matching field
    /// lines in header order and the header's empty line. A header without
    /// an empty line gets none (RFC 9051 section 7.5.2: "except in the case
    /// of a message that has no body and no blank line"; **differs from
    /// Dovecot 2.3**, which adds one to `HEADER.FIELDS`).
    #[must_use]
    pub fn section(&self, section: &Section<'_>) -> Option<SectionData<'a>> {
        section::section(&self.tree, section)
    }

    /// `BINARY[part]` (RFC 3516): the body of the part with its
    /// Content-Transfer-Encoding removed; `[]` (an empty `part`) is the
    /// whole message. Identity encodings (none, `7bit`, `8bit`, `binary`)
    /// borrow the body; base64 and quoted-printable are decoded.
    pub fn binary(&self, part: &[NonZeroU32]) -> Result<Cow<'a, [u8]>, BinaryError> {
        let msg = self.tree.msg;
        if part.is_empty() {
            return Ok(Cow::Borrowed(msg));
        }
        let node = self.tree.resolve(part).ok_or(BinaryError::NoSuchPart)?;
        let body = msg.get(self.tree.body(node)).unwrap_or_default();
        let Some(raw) = self.tree.first(node, b"content-transfer-encoding") else {
            return Ok(Cow::Borrowed(body));
        };
        // A value that is no encoding token leaves the octets as they are,
        // as BODYSTRUCTURE reports it `7bit` (RFC 2045 section 6.1).
        let mut dec = match ContentTransferEncoding::parse(raw) {
            Err(_)
            | Ok(
                ContentTransferEncoding::SevenBit
                | ContentTransferEncoding::EightBit
                | ContentTransferEncoding::Binary,
            ) => return Ok(Cow::Borrowed(body)),
            Ok(ContentTransferEncoding::Base64) => TransferDecoder::Base64(Base64Decoder::new()),
            Ok(ContentTransferEncoding::QuotedPrintable) => {
                TransferDecoder::QuotedPrintable(QpDecoder::new())
            }
            Ok(ContentTransferEncoding::Other(e)) => {
                return Err(BinaryError::UnknownCte(UnknownCte {
                    encoding: e.into_owned(),
                }));
            }
        };
        let mut out = Vec::with_capacity(body.len());
        dec.decode(body, &mut out);
        dec.finish(&mut out);
        Ok(Cow::Owned(out))
    }

    /// `BINARY.SIZE[part]` (RFC 3516 section 4.2): the size of
    /// [`binary`](Self::binary). Fails only for the part whose encoding is
    /// unknown (**differs from Dovecot 2.3**, which then fails for every
    /// part of the message: the RFC asks about "the section").
    pub fn binary_size(&self, part: &[NonZeroU32]) -> Result<u64, BinaryError> {
        let n = self.binary(part)?.len();
        Ok(u64::try_from(n).unwrap_or(u64::MAX))
    }
}
