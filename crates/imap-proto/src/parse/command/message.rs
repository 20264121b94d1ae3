//! STORE, COPY and MOVE (RFC 9051 sections 6.4.6 to 6.4.8, RFC 7162
//! UNCHANGEDSINCE kept raw): `[UID] STORE set [(modifiers)]
//! [+|-]FLAGS[.SILENT] flags` and `[UID] COPY|MOVE set mailbox`.

use super::{Cur, R};
use crate::types::command::{CommandBody, StoreAction};

/// `STORE` after its name.
pub(crate) fn store<'a>(c: &mut Cur<'a>, uid: bool) -> R<CommandBody<'a>> {
    c.sp()?;
    let set = c.seq_set()?;
    c.sp()?;
    let modifiers = if c.peek() == Some(b'(') {
        let m = c.raw_params()?;
        c.sp()?;
        Some(m)
    } else {
        None
    };
    let action = if c.eat(b'+') {
        StoreAction::Add
    } else if c.eat(b'-') {
        StoreAction::Remove
    } else {
        StoreAction::Replace
    };
    if !c.eat_word(b"FLAGS") {
        return Err(c.err("FLAGS"));
    }
    let silent = c.eat_word(b".SILENT");
    c.sp()?;
    let flags = if c.peek() == Some(b'(') {
        c.flag_list()?
    } else {
        let mut v = vec![c.flag()?];
        while c.eat(b' ') {
            v.push(c.flag()?);
            c.check_items(v.len())?;
        }
        v
    };
    Ok(CommandBody::Store {
        uid,
        set,
        modifiers,
        action,
        silent,
        flags,
    })
}

/// `COPY` or `MOVE` after its name.
pub(crate) fn copy_move<'a>(c: &mut Cur<'a>, uid: bool, is_move: bool) -> R<CommandBody<'a>> {
    c.sp()?;
    let set = c.seq_set()?;
    c.sp()?;
    let mailbox = c.mailbox()?;
    Ok(if is_move {
        CommandBody::Move { uid, set, mailbox }
    } else {
        CommandBody::Copy { uid, set, mailbox }
    })
}
