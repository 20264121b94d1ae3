//! RFC examples through the push parser.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
mod parse_util;
use parse_util::*;

#[test]
fn dbg_rfc2046() {
    let msg = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/parse/rfc2046-simple.eml"
    ))
    .unwrap();
    let evs = normalize(events(&msg));
    println!("{}", dump(&evs));
    for n in [1usize, 2, 3, 5, 7, 13] {
        let cuts: Vec<usize> = (0..msg.len()).step_by(n).collect();
        let e2 = normalize(events_split(&msg, &cuts, Default::default()).unwrap());
        assert_eq!(dump(&evs), dump(&e2), "split {n}");
    }
}
