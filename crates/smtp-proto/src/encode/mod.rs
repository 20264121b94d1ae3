//! Types to bytes. Encoders write into any [`bytes::BufMut`] and cannot fail:
//! every value they take was validated when it was built, so the output is
//! always valid wire text with no stray CR, LF or NUL.
//!
//! The same writing code backs the `Display` impls of the wire types, through
//! the small internal `Sink` trait, so that `to_string()` and the encoder
//! can never disagree.

pub mod command;
pub mod ehlo;
pub mod reply;

use std::fmt;

/// Where wire text goes: a `BufMut`, a `fmt::Formatter`, or a length count.
pub(crate) trait Sink {
    /// Appends text.
    fn put(&mut self, s: &str);

    /// Appends a decimal number.
    fn put_u64(&mut self, n: u64) {
        let mut buf = [0u8; 20];
        self.put(u64_str(n, &mut buf));
    }

    /// Appends a signed decimal number (`-` for negatives, no `+`).
    fn put_i64(&mut self, n: i64) {
        if n < 0 {
            self.put("-");
        }
        self.put_u64(n.unsigned_abs());
    }

    /// Appends `pre`, the `Display` form of `v`, then `post`, without
    /// allocating.
    fn put_display(&mut self, pre: &str, v: &dyn fmt::Display, post: &str)
    where
        Self: Sized,
    {
        self.put(pre);
        let _ = fmt::write(&mut Adapter(self), format_args!("{v}"));
        self.put(post);
    }
}

/// Forwards `fmt::Write` pieces to a [`Sink`].
struct Adapter<'s, S: Sink>(&'s mut S);

impl<S: Sink> fmt::Write for Adapter<'_, S> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.put(s);
        Ok(())
    }
}

/// Writes into a `BufMut`.
pub(crate) struct BufSink<'b, B: bytes::BufMut>(pub(crate) &'b mut B);

impl<B: bytes::BufMut> Sink for BufSink<'_, B> {
    fn put(&mut self, s: &str) {
        self.0.put_slice(s.as_bytes());
    }
}

/// Writes into a `fmt::Formatter`, remembering the first error.
pub(crate) struct FmtSink<'f, 'g> {
    f: &'f mut fmt::Formatter<'g>,
    result: fmt::Result,
}

impl<'f, 'g> FmtSink<'f, 'g> {
    /// Runs `body` against a formatter and returns its result.
    pub(crate) fn run(f: &'f mut fmt::Formatter<'g>, body: impl FnOnce(&mut Self)) -> fmt::Result {
        let mut sink = FmtSink { f, result: Ok(()) };
        body(&mut sink);
        sink.result
    }
}

impl Sink for FmtSink<'_, '_> {
    fn put(&mut self, s: &str) {
        if self.result.is_ok() {
            self.result = self.f.write_str(s);
        }
    }
}

/// Counts octets.
#[derive(Default)]
pub(crate) struct CountSink(pub(crate) usize);

impl Sink for CountSink {
    fn put(&mut self, s: &str) {
        self.0 = self.0.saturating_add(s.len());
    }
}

/// Formats `n` in decimal into the end of `buf`, returning the digits.
fn u64_str(mut n: u64, buf: &mut [u8; 20]) -> &str {
    let mut start = buf.len();
    for slot in buf.iter_mut().rev() {
        // n % 10 < 10, so the cast cannot truncate.
        *slot = b'0' + (n % 10) as u8;
        start -= 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.get(start..)
        .and_then(|d| std::str::from_utf8(d).ok())
        .unwrap_or("0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_in_decimal() {
        let mut buf = [0u8; 20];
        assert_eq!(u64_str(0, &mut buf), "0");
        assert_eq!(u64_str(7, &mut buf), "7");
        assert_eq!(u64_str(1234567890, &mut buf), "1234567890");
        assert_eq!(u64_str(u64::MAX, &mut buf), "18446744073709551615");
        let mut out = Vec::new();
        let mut s = BufSink(&mut out);
        s.put_i64(-999_999_999);
        s.put(" ");
        s.put_i64(i64::MIN);
        s.put_display("[", &std::net::Ipv6Addr::LOCALHOST, "]");
        assert_eq!(out, b"-999999999 -9223372036854775808[::1]");
    }
}
