//! Why a value of the IMAP vocabulary cannot be built.

/// Why a validated value cannot be built from what was given.
///
/// Constructors return this so that every value that exists can be encoded
/// without error (see the crate's design contract "types that cannot lie").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum ValueError {
    /// The value is empty where the grammar requires at least one octet
    /// (`1*` in RFC 3501 section 9 / RFC 9051 section 9).
    #[error("empty {what}")]
    Empty {
        /// The kind of value.
        what: &'static str,
    },
    /// A byte the grammar does not allow in this value.
    #[error("byte 0x{byte:02x} at offset {offset} is not allowed in {what}")]
    InvalidByte {
        /// The kind of value.
        what: &'static str,
        /// Where the byte is.
        offset: usize,
        /// The byte.
        byte: u8,
    },
    /// A number outside the range of its grammar rule (`nz-number` is
    /// 1 to 4,294,967,295, RFC 9051 section 9).
    #[error("{what} out of range")]
    OutOfRange {
        /// The kind of value.
        what: &'static str,
    },
    /// The value breaks a structural rule of its grammar (for example an
    /// empty list where `1*` is required).
    #[error("invalid value: {what}")]
    Invalid {
        /// What is wrong.
        what: &'static str,
    },
}

/// Checks that `v` is non-empty and every byte satisfies `ok`.
pub(crate) fn check_bytes(
    what: &'static str,
    v: &[u8],
    allow_empty: bool,
    ok: impl Fn(u8) -> bool,
) -> Result<(), ValueError> {
    if v.is_empty() && !allow_empty {
        return Err(ValueError::Empty { what });
    }
    match v.iter().position(|&b| !ok(b)) {
        Some(offset) => Err(ValueError::InvalidByte {
            what,
            offset,
            byte: v.get(offset).copied().unwrap_or(0),
        }),
        None => Ok(()),
    }
}
