//! Folding of header fields (RFC 5322 sections 2.1.1 and 2.2.3).
//!
//! A field is written as a name, a colon, and a sequence of unbreakable
//! tokens, each preceded by the whitespace that separates it from the
//! previous one. Folding inserts a line break *before* that whitespace, so
//! unfolding (removing the line break) gives back exactly the same field
//! body. Lines are kept to 78 octets wherever a fold point allows it and a
//! line longer than 998 octets is never written: the writer returns an
//! error instead.

/// Where folding aims to keep lines (RFC 5322 section 2.1.1, "SHOULD").
pub(crate) const SOFT_LIMIT: usize = 78;
/// The hard line limit, line break excluded (RFC 5322 section 2.1.1, "MUST").
pub(crate) const HARD_LIMIT: usize = 998;

/// The line break written between header lines.
///
/// New messages always use CRLF. The [`HeaderEditor`](super::HeaderEditor)
/// writes new fields with the style the edited message already uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LineEnding {
    /// CR LF, the Internet standard (RFC 5322 section 2.1).
    #[default]
    CrLf,
    /// A bare LF, as in messages stored by Unix tools (mbox, Maildir).
    Lf,
}

impl LineEnding {
    /// The bytes of the line break.
    #[must_use]
    pub fn as_bytes(self) -> &'static [u8] {
        match self {
            LineEnding::CrLf => b"\r\n",
            LineEnding::Lf => b"\n",
        }
    }
}

/// A line of a field would exceed 998 octets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooLong;

/// Writes one header field into a `Vec<u8>`, folding as it goes.
pub(crate) struct FieldWriter<'o> {
    out: &'o mut Vec<u8>,
    /// Octets on the current line so far.
    col: usize,
    /// Whether the current line holds a value token (the first line holds
    /// only the name until the first token is written).
    line_has_token: bool,
    eol: LineEnding,
}

impl<'o> FieldWriter<'o> {
    /// Starts a field: writes `name:`. The name is at most 76 octets
    /// ([`HeaderName`](super::HeaderName) guarantees it).
    pub(crate) fn new(out: &'o mut Vec<u8>, name: &str, eol: LineEnding) -> Self {
        out.extend_from_slice(name.as_bytes());
        out.push(b':');
        FieldWriter {
            out,
            col: name.len().saturating_add(1),
            line_has_token: false,
            eol,
        }
    }

    /// Octets left on the current line before the soft limit if a token is
    /// written after `ws_len` octets of whitespace.
    pub(crate) fn room(&self, ws_len: usize) -> usize {
        SOFT_LIMIT.saturating_sub(self.col.saturating_add(ws_len))
    }

    /// Writes `token` after the whitespace `ws` (a fold point when `ws` is
    /// not empty). Folds before `ws` when the token does not fit on the
    /// current line but fits on a fresh one. `ws` must hold only SP and
    /// HTAB and `token` no CR or LF; callers guarantee it.
    pub(crate) fn token(&mut self, ws: &[u8], token: &[u8]) -> Result<(), TooLong> {
        let piece = ws.len().saturating_add(token.len());
        let end = self.col.saturating_add(piece);
        // Fold when the piece does not fit within 78 here and either the
        // line already has a token (so a token too long for any line gets a
        // line of its own) or the piece fits on a fresh line; and always
        // when that avoids passing 998.
        if !ws.is_empty()
            && ((end > SOFT_LIMIT && (self.line_has_token || piece <= SOFT_LIMIT))
                || (end > HARD_LIMIT && piece <= HARD_LIMIT))
        {
            self.fold();
        }
        let end = self.col.saturating_add(piece);
        if end > HARD_LIMIT {
            return Err(TooLong);
        }
        self.out.extend_from_slice(ws);
        self.out.extend_from_slice(token);
        self.col = end;
        self.line_has_token = true;
        Ok(())
    }

    fn fold(&mut self) {
        self.out.extend_from_slice(self.eol.as_bytes());
        self.col = 0;
        self.line_has_token = false;
    }

    /// Ends the field with the line break.
    pub(crate) fn finish(self) {
        self.out.extend_from_slice(self.eol.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_before_whitespace_at_78() {
        let mut out = Vec::new();
        let mut w = FieldWriter::new(&mut out, "To", LineEnding::CrLf);
        for _ in 0..10 {
            w.token(b" ", b"abcdefghij,").unwrap();
        }
        w.finish();
        let s = String::from_utf8(out).unwrap();
        for line in s.split("\r\n") {
            assert!(line.len() <= 78, "{line}");
        }
        // Unfolding (deleting the CRLF before the whitespace) gives the field back.
        assert_eq!(
            s.replace("\r\n ", " "),
            format!("To:{}\r\n", " abcdefghij,".repeat(10))
        );
        assert!(s.starts_with("To: abcdefghij,"));
    }

    #[test]
    fn refuses_lines_over_998() {
        let mut out = Vec::new();
        let mut w = FieldWriter::new(&mut out, "X", LineEnding::CrLf);
        let long = vec![b'a'; 997];
        assert_eq!(w.token(b" ", &long), Ok(()));
        let mut out = Vec::new();
        let mut w = FieldWriter::new(&mut out, "X", LineEnding::CrLf);
        let long = vec![b'a'; 998];
        assert_eq!(w.token(b" ", &long), Err(TooLong));
    }
}
