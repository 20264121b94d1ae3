//! The part tree as the IMAP views number it, over one pass of the
//! `rfc822-message` push parser ([`Message`] keeps what the parser's
//! events say: every part's header and body range, line count, header
//! fields and subparts).
//!
//! The parser runs with [`HeaderJunk::Skip`]: a header line that is not a
//! field does not end the header (Dovecot 2.3's reading, FINDINGS 5.7; RFC
//! 5322 makes such a line a syntax error and has no answer for it, and
//! ending the header there would turn header lines into body text).
//! Everything else (boundaries tried innermost first, whole-line matches
//! before prefix matches; the line end before a delimiter belonging to the
//! delimiter, also when it ends a header; a missing close delimiter letting
//! the last part run to the end) is the parser's RFC 2046 reading, which
//! agrees with Dovecot on the whole corpus (FINDINGS 5.1 to 5.6).
//!
//! What is IMAP-specific lives here, not in the parser: the BODYSTRUCTURE
//! grammar (RFC 9051 section 9, `body-type-mpart` = `1*body`, and
//! `body-type-msg` with its envelope and body) needs parts the message does
//! not have. A multipart without parts (no delimiter, no usable boundary,
//! or a header that ran into an outer delimiter) gets one empty text/plain
//! part, and a message/rfc822 or message/global part whose body was not
//! parsed as a message (an encoded body, RFC 2045 section 6.4, or the
//! nesting limit) gets an empty message: ten NILs and an empty text/plain
//! body. Both are what Dovecot 2.3 reports (FINDINGS 5.4, 6.3).

use core::num::NonZeroU32;
use core::ops::Range;

use rfc822_message::Message;
use rfc822_message::parse::{HeaderJunk, ParserOptions, PartKind};

/// A node of the IMAP part tree: a part of the parsed message, or an
/// empty one the views make up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Node {
    /// Part `n` of [`Message::parts`].
    Part(usize),
    /// A text/plain part made up by the views, with no fields and an
    /// empty body at the end of `header` (see the module documentation).
    Synthetic {
        /// Its header: empty, or the undecoded body of a message part
        /// read as a header without fields.
        header: (usize, usize),
    },
}

impl Node {
    /// An empty made-up part at `at`.
    pub(crate) fn empty(at: usize) -> Node {
        Node::Synthetic { header: (at, at) }
    }
}

/// What a node's body is for the views.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A leaf.
    Leaf,
    /// A multipart and its parts (never empty).
    Multipart(Vec<Node>),
    /// A message part and its encapsulated message.
    Message(Node),
}

/// A header field: its lines, name and value ranges in the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Field {
    /// The whole field, line end included (up to the header's end).
    pub lines: Range<usize>,
    /// The name.
    pub name: Range<usize>,
    /// The value after the colon, without the one space that usually
    /// follows it, up to the final line end (folds kept).
    pub value: Range<usize>,
}

fn usize_range(r: Range<u64>) -> Range<usize> {
    let f = |v: u64| usize::try_from(v).unwrap_or(usize::MAX);
    f(r.start)..f(r.end)
}

/// Parses `msg` once, the way the views read it.
pub(crate) fn parse(msg: &[u8]) -> Message<'_> {
    let opts = ParserOptions {
        header_junk: HeaderJunk::Skip,
        ..ParserOptions::default()
    };
    // Not strict: `parse_with` cannot fail.
    Message::parse_with(msg, opts).unwrap_or_else(|_| Message::parse(msg))
}

/// The views' reading of a parsed message.
#[derive(Debug, Clone)]
pub(crate) struct Tree<'a> {
    pub msg: &'a [u8],
    pub parsed: Message<'a>,
}

impl<'a> Tree<'a> {
    /// The top-level message.
    pub(crate) fn root(&self) -> Node {
        Node::Part(0)
    }

    /// The header range (with its empty line when it has one).
    pub(crate) fn header(&self, n: Node) -> Range<usize> {
        match n {
            Node::Part(i) => self.parsed.part(i).map_or(0..0, |p| p.header_range()),
            Node::Synthetic { header } => header.0..header.1,
        }
    }

    /// The body range.
    pub(crate) fn body(&self, n: Node) -> Range<usize> {
        match n {
            Node::Part(i) => self.parsed.part(i).map_or(0..0, |p| p.body_range()),
            Node::Synthetic { header } => header.1..header.1,
        }
    }

    /// LF octets in the body (IMAP `body-fld-lines`).
    pub(crate) fn lines(&self, n: Node) -> u32 {
        match n {
            Node::Part(i) => self
                .parsed
                .part(i)
                .map_or(0, |p| u32::try_from(p.lines()).unwrap_or(u32::MAX)),
            Node::Synthetic { .. } => 0,
        }
    }

    /// Whether the part has no Content-Type field and is a part of a
    /// multipart/digest, so is message/rfc822 (RFC 2046 section 5.1.5).
    pub(crate) fn digest_default(&self, n: Node) -> bool {
        let Node::Part(i) = n else { return false };
        self.parsed.part(i).is_some_and(|p| {
            p.header(b"content-type").is_none() && p.content_type().is("message", "rfc822")
        })
    }

    /// The header fields in order (lines that are not fields are not
    /// among them).
    pub(crate) fn fields(&self, n: Node) -> Vec<Field> {
        let Node::Part(i) = n else {
            return Vec::new();
        };
        let Some(p) = self.parsed.part(i) else {
            return Vec::new();
        };
        let end = p.header_range().end;
        p.header_fields()
            .map(|f| {
                let lines = usize_range(f.range());
                let name = lines.start..lines.start + f.name().len();
                let mut value = usize_range(f.value_range());
                if self.msg.get(value.start) == Some(&b' ') && value.start < value.end {
                    value.start += 1;
                }
                Field {
                    lines: lines.start..lines.end.min(end).max(lines.start),
                    name,
                    value,
                }
            })
            .collect()
    }

    /// The raw value of the first field named `name`.
    pub(crate) fn first(&self, n: Node, name: &[u8]) -> Option<&'a [u8]> {
        let Node::Part(i) = n else { return None };
        let p = self.parsed.part(i)?;
        let f = p
            .header_fields()
            .find(|f| f.name().eq_ignore_ascii_case(name))?;
        self.msg.get(usize_range(f.value_range()))
    }

    /// What the node's body is (see the module documentation for the made
    /// up parts).
    pub(crate) fn shape(&self, n: Node) -> Shape {
        let Node::Part(i) = n else {
            return Shape::Leaf;
        };
        let Some(p) = self.parsed.part(i) else {
            return Shape::Leaf;
        };
        let at = p.body_range().end;
        match p.kind() {
            PartKind::Multipart => {
                let parts: Vec<Node> = p.subparts().map(|c| Node::Part(c.id())).collect();
                if parts.is_empty() {
                    Shape::Multipart(vec![Node::empty(at)])
                } else {
                    Shape::Multipart(parts)
                }
            }
            PartKind::Message => Shape::Message(
                p.nested_message()
                    .map_or(Node::empty(at), |c| Node::Part(c.id())),
            ),
            PartKind::Leaf => {
                let ct = p.content_type();
                if p.header(b"content-type").is_some() && ct.is_multipart() {
                    Shape::Multipart(vec![Node::empty(at)])
                } else if ct.is_message() {
                    // Dovecot reads the body (base64, say) as the
                    // message's header of lines that are no fields: its
                    // HEADER section is the body, its TEXT is empty, the
                    // envelope is all NIL (FINDINGS 6.3).
                    let b = p.body_range();
                    Shape::Message(Node::Synthetic {
                        header: (b.start, b.end),
                    })
                } else {
                    Shape::Leaf
                }
            }
        }
    }

    /// The node that `path` names (RFC 9051 section 6.4.5): `1` of a
    /// non-multipart message is its body; the numbers after a
    /// message/rfc822 part count the parts of the encapsulated message's
    /// body (or `1` for a non-multipart one). `None` when there is no such
    /// part.
    pub(crate) fn resolve(&self, path: &[NonZeroU32]) -> Option<Node> {
        let mut cur = self.root();
        for (i, n) in path.iter().enumerate() {
            let mut shape = self.shape(cur);
            if i > 0
                && let Shape::Message(c) = shape
            {
                cur = c;
                shape = self.shape(cur);
            }
            match shape {
                Shape::Multipart(children) => {
                    let k = usize::try_from(n.get() - 1).ok()?;
                    cur = *children.get(k)?;
                }
                _ if n.get() == 1 => {}
                _ => return None,
            }
        }
        Some(cur)
    }
}
