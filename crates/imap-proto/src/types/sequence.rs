//! Sequence sets (RFC 9051 section 9, RFC 3501 section 9; `$` from RFC
//! 5182 section 2, folded into RFC 9051).
//!
//! ```text
//! seq-number       = nz-number / "*"
//! seq-range        = seq-number ":" seq-number
//! sequence-set     = (seq-number / seq-range) ["," sequence-set]
//! sequence-set     =/ seq-last-command
//! seq-last-command = "$"
//! ```

use core::num::NonZeroU32;

use super::error::ValueError;
use super::nonempty::NonEmptyVec;

/// A `seq-number`: a message sequence number or UID (`nz-number`, 1 to
/// 4,294,967,295), or `*`, the largest in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum SeqNumber {
    /// A number.
    Value(NonZeroU32),
    /// `*`: the largest number in use (RFC 9051 section 9).
    Largest,
}

impl SeqNumber {
    /// The number `n`, or an error for 0.
    pub fn new(n: u32) -> Result<Self, ValueError> {
        NonZeroU32::new(n)
            .map(SeqNumber::Value)
            .ok_or(ValueError::OutOfRange { what: "nz-number" })
    }

    /// The number with `*` replaced by `largest`.
    #[must_use]
    pub fn resolve(self, largest: u32) -> u32 {
        match self {
            SeqNumber::Value(n) => n.get(),
            SeqNumber::Largest => largest,
        }
    }
}

/// One element of a sequence set: a number or an inclusive range, whose
/// ends may come in either order (`4:2` is `2:4`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum SeqItem {
    /// `seq-number`.
    Number(SeqNumber),
    /// `seq-range`: both ends and everything between.
    Range(SeqNumber, SeqNumber),
}

impl SeqItem {
    /// Whether `n` is in this item, with `*` standing for `largest`.
    #[must_use]
    pub fn contains(&self, n: u32, largest: u32) -> bool {
        match *self {
            SeqItem::Number(a) => a.resolve(largest) == n,
            SeqItem::Range(a, b) => {
                let (a, b) = (a.resolve(largest), b.resolve(largest));
                a.min(b) <= n && n <= a.max(b)
            }
        }
    }
}

/// A `sequence-set`: numbers and ranges separated by commas, or `$`, the
/// set saved by the last `SEARCH RETURN (SAVE)` (RFC 5182 section 2).
///
/// The recursive ABNF of RFC 5182 would also admit `$` as the last item
/// of a longer list (`1,$`); RFC 5182 section 2 describes `$` as standing
/// *instead of* a set, and this crate accepts and writes it only alone.
///
/// ```
/// use imap_proto::types::{SequenceSet, SeqItem, SeqNumber};
/// let set = SequenceSet::range(SeqNumber::new(12).unwrap(), SeqNumber::Largest);
/// assert!(set.contains(15, 15));
/// assert!(!SequenceSet::Saved.contains(1, 15)); // needs the saved result
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum SequenceSet {
    /// Numbers and ranges.
    Set(NonEmptyVec<SeqItem>),
    /// `$`: the saved search result (RFC 5182, RFC 9051 section 6.4.4.1).
    Saved,
}

impl SequenceSet {
    /// The set of the one number or `*`.
    #[must_use]
    pub fn single(n: SeqNumber) -> Self {
        SequenceSet::Set(NonEmptyVec::one(SeqItem::Number(n)))
    }

    /// The set of one range.
    #[must_use]
    pub fn range(a: SeqNumber, b: SeqNumber) -> Self {
        SequenceSet::Set(NonEmptyVec::one(SeqItem::Range(a, b)))
    }

    /// A set of these items; an error if there are none.
    pub fn new(items: Vec<SeqItem>) -> Result<Self, ValueError> {
        NonEmptyVec::new(items).map(SequenceSet::Set)
    }

    /// Whether `n` is in the set, with `*` standing for `largest`. Always
    /// `false` for [`SequenceSet::Saved`], which the server must resolve.
    #[must_use]
    pub fn contains(&self, n: u32, largest: u32) -> bool {
        match self {
            SequenceSet::Set(items) => items.iter().any(|i| i.contains(n, largest)),
            SequenceSet::Saved => false,
        }
    }
}

impl From<SeqNumber> for SequenceSet {
    fn from(n: SeqNumber) -> Self {
        SequenceSet::single(n)
    }
}
