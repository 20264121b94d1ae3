//! `NonEmptyVec`, for the `1*` repetitions of the grammar (RFC 5234
//! section 3.6 as used by RFC 9051 section 9).

use core::ops::Deref;

use super::error::ValueError;

/// A vector with at least one element: a list the grammar writes as
/// `1*item` or `item *(SP item)`, which an encoder must never write empty.
///
/// ```
/// use imap_proto::types::NonEmptyVec;
/// let v = NonEmptyVec::new(vec![1, 2]).unwrap();
/// assert_eq!(v.first(), Some(&1)); // through Deref to [T]
/// assert_eq!(v.len(), 2);
/// assert!(NonEmptyVec::<u8>::new(vec![]).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NonEmptyVec<T>(Vec<T>);

impl<T> NonEmptyVec<T> {
    /// `v`, or an error if it is empty.
    pub fn new(v: Vec<T>) -> Result<Self, ValueError> {
        if v.is_empty() {
            Err(ValueError::Empty { what: "list" })
        } else {
            Ok(NonEmptyVec(v))
        }
    }

    /// A list of one element.
    #[must_use]
    pub fn one(item: T) -> Self {
        NonEmptyVec(vec![item])
    }

    /// Appends an element.
    pub fn push(&mut self, item: T) {
        self.0.push(item);
    }

    /// The elements.
    #[must_use]
    pub fn as_slice(&self) -> &[T] {
        &self.0
    }

    /// The elements, as a plain vector.
    #[must_use]
    pub fn into_vec(self) -> Vec<T> {
        self.0
    }

    /// Applies `f` to every element.
    #[must_use]
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> NonEmptyVec<U> {
        NonEmptyVec(self.0.into_iter().map(f).collect())
    }
}

impl<T> Deref for NonEmptyVec<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<T> IntoIterator for NonEmptyVec<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'v, T> IntoIterator for &'v NonEmptyVec<T> {
    type Item = &'v T;
    type IntoIter = core::slice::Iter<'v, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T> TryFrom<Vec<T>> for NonEmptyVec<T> {
    type Error = ValueError;
    fn try_from(v: Vec<T>) -> Result<Self, ValueError> {
        NonEmptyVec::new(v)
    }
}

impl<T> From<NonEmptyVec<T>> for Vec<T> {
    fn from(v: NonEmptyVec<T>) -> Self {
        v.0
    }
}
