//! Encoders of FETCH items and sections (RFC 9051 section 6.4.5).

use super::super::{Encode, Encoder};
use crate::encode::values::list;
use crate::types::command::{FetchAttr, FetchItems, Partial};

fn partial(e: &mut Encoder, p: Option<&Partial>) {
    if let Some(p) = p {
        e.put_u8(b'<');
        e.put_u64(p.offset);
        e.put_u8(b'.');
        e.put_u64(p.length.get());
        e.put_u8(b'>');
    }
}

impl Encode for FetchAttr<'_> {
    fn encode(&self, e: &mut Encoder) {
        use FetchAttr as F;
        match self {
            F::Envelope => e.put(b"ENVELOPE"),
            F::Flags => e.put(b"FLAGS"),
            F::InternalDate => e.put(b"INTERNALDATE"),
            F::Rfc822 => e.put(b"RFC822"),
            F::Rfc822Header => e.put(b"RFC822.HEADER"),
            F::Rfc822Text => e.put(b"RFC822.TEXT"),
            F::Rfc822Size => e.put(b"RFC822.SIZE"),
            F::Body => e.put(b"BODY"),
            F::BodyStructure => e.put(b"BODYSTRUCTURE"),
            F::Uid => e.put(b"UID"),
            F::ModSeq => e.put(b"MODSEQ"),
            F::BodySection {
                peek,
                section,
                partial: p,
            } => {
                e.put(if *peek { b"BODY.PEEK" } else { b"BODY" });
                section.encode(e);
                partial(e, p.as_ref());
            }
            F::Binary {
                peek,
                part: pt,
                partial: p,
            } => {
                e.put(if *peek { b"BINARY.PEEK[" } else { b"BINARY[" });
                crate::encode::values::part_numbers(e, pt);
                e.put_u8(b']');
                partial(e, p.as_ref());
            }
            F::BinarySize { part: pt } => {
                e.put(b"BINARY.SIZE[");
                crate::encode::values::part_numbers(e, pt);
                e.put_u8(b']');
            }
        }
    }
}

impl Encode for FetchItems<'_> {
    fn encode(&self, e: &mut Encoder) {
        match self {
            FetchItems::All => e.put(b"ALL"),
            FetchItems::Fast => e.put(b"FAST"),
            FetchItems::Full => e.put(b"FULL"),
            FetchItems::Items(v) => match v.as_slice() {
                [one] => one.encode(e),
                many => list(e, many, |e, a| a.encode(e)),
            },
        }
    }
}
