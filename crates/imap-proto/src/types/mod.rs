//! The IMAP vocabulary: validated values that cannot encode to invalid wire.
