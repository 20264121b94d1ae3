//! Encoders of SEARCH keys and dates (RFC 9051 section 6.4.4).

use super::super::{Encode, Encoder};
use crate::encode::values::list;
use crate::encode::values::{month, two};
use crate::types::command::{SearchDate, SearchKey};

impl Encode for SearchDate {
    /// `d-Mon-yyyy`, unquoted, day without a leading zero.
    fn encode(&self, e: &mut Encoder) {
        e.put_u64(u64::from(self.day()));
        e.put_u8(b'-');
        month(e, self.month());
        e.put_u8(b'-');
        let y = self.year();
        two(e, u8::try_from(y / 100).unwrap_or(0));
        two(e, u8::try_from(y % 100).unwrap_or(0));
    }
}

impl Encode for SearchKey<'_> {
    fn encode(&self, e: &mut Encoder) {
        use SearchKey as K;
        let kw = |e: &mut Encoder, w: &[u8]| {
            e.put(w);
            e.sp();
        };
        match self {
            K::All => e.put(b"ALL"),
            K::Answered => e.put(b"ANSWERED"),
            K::Bcc(s) => {
                kw(e, b"BCC");
                s.encode(e);
            }
            K::Before(d) => {
                kw(e, b"BEFORE");
                d.encode(e);
            }
            K::Body(s) => {
                kw(e, b"BODY");
                s.encode(e);
            }
            K::Cc(s) => {
                kw(e, b"CC");
                s.encode(e);
            }
            K::Deleted => e.put(b"DELETED"),
            K::Draft => e.put(b"DRAFT"),
            K::Flagged => e.put(b"FLAGGED"),
            K::From(s) => {
                kw(e, b"FROM");
                s.encode(e);
            }
            K::Header(f, v) => {
                kw(e, b"HEADER");
                f.encode(e);
                e.sp();
                v.encode(e);
            }
            K::Keyword(a) => {
                kw(e, b"KEYWORD");
                a.encode(e);
            }
            K::Larger(n) => {
                kw(e, b"LARGER");
                e.put_u64(*n);
            }
            K::New => e.put(b"NEW"),
            K::Not(k) => {
                kw(e, b"NOT");
                k.encode(e);
            }
            K::Old => e.put(b"OLD"),
            K::On(d) => {
                kw(e, b"ON");
                d.encode(e);
            }
            K::Or(a, b) => {
                kw(e, b"OR");
                a.encode(e);
                e.sp();
                b.encode(e);
            }
            K::Recent => e.put(b"RECENT"),
            K::Seen => e.put(b"SEEN"),
            K::SentBefore(d) => {
                kw(e, b"SENTBEFORE");
                d.encode(e);
            }
            K::SentOn(d) => {
                kw(e, b"SENTON");
                d.encode(e);
            }
            K::SentSince(d) => {
                kw(e, b"SENTSINCE");
                d.encode(e);
            }
            K::Since(d) => {
                kw(e, b"SINCE");
                d.encode(e);
            }
            K::Smaller(n) => {
                kw(e, b"SMALLER");
                e.put_u64(*n);
            }
            K::Subject(s) => {
                kw(e, b"SUBJECT");
                s.encode(e);
            }
            K::Text(s) => {
                kw(e, b"TEXT");
                s.encode(e);
            }
            K::To(s) => {
                kw(e, b"TO");
                s.encode(e);
            }
            K::Uid(s) => {
                kw(e, b"UID");
                s.encode(e);
            }
            K::Unanswered => e.put(b"UNANSWERED"),
            K::Undeleted => e.put(b"UNDELETED"),
            K::Undraft => e.put(b"UNDRAFT"),
            K::Unflagged => e.put(b"UNFLAGGED"),
            K::Unkeyword(a) => {
                kw(e, b"UNKEYWORD");
                a.encode(e);
            }
            K::Unseen => e.put(b"UNSEEN"),
            K::Older(n) => {
                kw(e, b"OLDER");
                e.put_u64(u64::from(*n));
            }
            K::Younger(n) => {
                kw(e, b"YOUNGER");
                e.put_u64(u64::from(*n));
            }
            K::ModSeq { entry, modseq } => {
                kw(e, b"MODSEQ");
                if let Some((name, ty)) = entry {
                    name.encode(e);
                    e.sp();
                    ty.encode(e);
                    e.sp();
                }
                e.put_u64(*modseq);
            }
            K::SequenceSet(s) => s.encode(e),
            K::And(v) => list(e, v, |e, k| k.encode(e)),
        }
    }
}
