//! Dates: every date of RFC 5322 Appendix A, obsolete forms, range checks,
//! conversions and round trips.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use proptest::prelude::*;
use rfc822_message::header::{DateTime, Defects};

fn dt(y: u16, mo: u8, d: u8, h: u8, mi: u8, s: u8, off: i16) -> DateTime {
    DateTime::new(y, mo, d, h, mi, s, off).unwrap()
}

#[test]
fn appendix_a_dates() {
    let cases: &[(&str, DateTime)] = &[
        (
            " Fri, 21 Nov 1997 09:55:06 -0600",
            dt(1997, 11, 21, 9, 55, 6, -360),
        ),
        (
            " Tue, 1 Jul 2003 10:52:37 +0200",
            dt(2003, 7, 1, 10, 52, 37, 120),
        ),
        (
            " Thu, 13 Feb 1969 23:32:54 -0330",
            dt(1969, 2, 13, 23, 32, 54, -210),
        ),
        (
            " Fri, 21 Nov 1997 10:01:10 -0600",
            dt(1997, 11, 21, 10, 1, 10, -360),
        ),
        (
            " Fri, 21 Nov 1997 11:00:00 -0600",
            dt(1997, 11, 21, 11, 0, 0, -360),
        ),
        (
            " Mon, 24 Nov 1997 14:22:01 -0800",
            dt(1997, 11, 24, 14, 22, 1, -480),
        ),
        (
            "  21 Nov 1997 10:05:43 -0600",
            dt(1997, 11, 21, 10, 5, 43, -360),
        ),
        (
            " 21 Nov 1997 10:01:22 -0600",
            dt(1997, 11, 21, 10, 1, 22, -360),
        ),
    ];
    for (raw, want) in cases {
        let (got, defects) = DateTime::parse_with_defects(raw.as_bytes()).unwrap();
        assert_eq!(&got, want, "{raw}");
        assert!(defects.is_empty(), "{raw}: {defects:?}");
        // The re-encoded form parses back to the same value.
        assert_eq!(
            DateTime::parse(got.to_string().as_bytes()).unwrap(),
            got,
            "{raw}"
        );
    }
    assert_eq!(
        DateTime::parse(b" Tue, 1 Jul 2003 10:52:37 +0200")
            .unwrap()
            .to_string(),
        "Tue, 1 Jul 2003 10:52:37 +0200"
    );
}

#[test]
fn appendix_a5_folded() {
    let raw = b" Thu,\r\n      13\r\n        Feb\r\n          1969\r\n      23:32\r\n               -0330 (Newfoundland Time)";
    let (d, defects) = DateTime::parse_with_defects(raw).unwrap();
    assert_eq!(d, dt(1969, 2, 13, 23, 32, 0, -210));
    assert!(defects.is_empty());
}

#[test]
fn appendix_a6_obsolete() {
    let (d, defects) = DateTime::parse_with_defects(b" 21 Nov 97 09:55:06 GMT").unwrap();
    assert_eq!(d, dt(1997, 11, 21, 9, 55, 6, 0));
    assert!(defects.contains(Defects::OBSOLETE_SYNTAX));
    let d = DateTime::parse(b" Fri, 21 Nov 1997 09(comment):   55  :  06 -0600").unwrap();
    assert_eq!(d, dt(1997, 11, 21, 9, 55, 6, -360));
}

#[test]
fn obsolete_years_and_zones() {
    assert_eq!(DateTime::parse(b"1 Jan 49 00:00 +0000").unwrap().year, 2049);
    assert_eq!(DateTime::parse(b"1 Jan 50 00:00 +0000").unwrap().year, 1950);
    assert_eq!(
        DateTime::parse(b"1 Jan 103 00:00 +0000").unwrap().year,
        2003
    );
    for (zone, off) in [
        ("UT", 0),
        ("GMT", 0),
        ("EST", -300),
        ("EDT", -240),
        ("CST", -360),
        ("CDT", -300),
        ("MST", -420),
        ("MDT", -360),
        ("PST", -480),
        ("pdt", -420),
    ] {
        let d = DateTime::parse(format!("1 Jan 2000 00:00 {zone}").as_bytes()).unwrap();
        assert_eq!(d.offset_minutes, off, "{zone}");
        assert!(!d.zone_unknown);
    }
    for zone in ["A", "z", "M", "N", "Y"] {
        let d = DateTime::parse(format!("1 Jan 2000 00:00 {zone}").as_bytes()).unwrap();
        assert_eq!(d.offset_minutes, 0);
        assert!(d.zone_unknown, "military {zone} reads as -0000");
    }
    assert!(DateTime::parse(b"1 Jan 2000 00:00 J").is_err());
    assert!(DateTime::parse(b"1 Jan 2000 00:00 XYZ").is_err());
    let d = DateTime::parse(b"1 Jan 2000 00:00 -0000").unwrap();
    assert!(d.zone_unknown);
    assert_eq!(d.to_string(), "Sat, 1 Jan 2000 00:00:00 -0000");
}

#[test]
fn real_world() {
    let (d, defects) =
        DateTime::parse_with_defects(b" Tue, 1 Jul 2003 10:52:37 +0200 (CEST)").unwrap();
    assert_eq!(d.offset_minutes, 120);
    assert!(defects.is_empty());
    let (_, defects) =
        DateTime::parse_with_defects(b" Tue, 1 Jul 2003 10:52:37 +0200 CEST").unwrap();
    assert!(defects.contains(Defects::TRAILING_GARBAGE));
    let (d, defects) = DateTime::parse_with_defects(b" Tue, 1 Jul 2003 10:52:37").unwrap();
    assert!(d.zone_unknown);
    assert!(defects.contains(Defects::MISSING_ZONE));
    let (_, defects) = DateTime::parse_with_defects(b" Wed, 1 Jul 2003 10:52:37 +0200").unwrap();
    assert!(defects.contains(Defects::WRONG_DAY_OF_WEEK));
    let (d, _) = DateTime::parse_with_defects(b"tue, 01 JUL 2003 9:05:00 UTC").unwrap();
    assert_eq!((d.day, d.hour), (1, 9));
    let (_, defects) = DateTime::parse_with_defects(b"Tue 1 Jul 2003 10:52:37 +0200").unwrap();
    assert!(defects.contains(Defects::OBSOLETE_SYNTAX));
}

#[test]
fn range_checks() {
    for raw in [
        "30 Feb 2000 00:00 +0000",
        "29 Feb 1900 00:00 +0000",
        "31 Apr 2000 00:00 +0000",
        "0 Jan 2000 00:00 +0000",
        "1 Jan 2000 24:00 +0000",
        "1 Jan 2000 23:60 +0000",
        "1 Jan 2000 23:59:61 +0000",
        "1 Jan 2000 23:59 +0060",
        "1 Jan 1899 00:00 +0000",
        "1 Foo 2000 00:00 +0000",
        "Xyz, 1 Jan 2000 00:00 +0000",
        "1 Jan 20000 00:00 +0000",
        "1 Jan 2000 00:00 +000",
        "1 Jan 2000 00:00 +0000 junk (x",
        "1 Jan 2000",
        "",
    ] {
        assert!(DateTime::parse(raw.as_bytes()).is_err(), "{raw}");
    }
    assert_eq!(DateTime::parse(b"29 Feb 2000 00:00 +0000").unwrap().day, 29);
    assert_eq!(
        DateTime::parse(b"31 Dec 1998 23:59:60 +0000")
            .unwrap()
            .second,
        60
    );
    let e = DateTime::parse(b"1 Jan 2000 25:00 +0000").unwrap_err();
    assert_eq!(e.offset, 11);
}

#[test]
fn unix_time() {
    assert_eq!(
        DateTime::parse(b"Thu, 1 Jan 1970 00:00:00 +0000")
            .unwrap()
            .to_unix(),
        0
    );
    assert_eq!(
        DateTime::parse(b"Fri, 21 Nov 1997 09:55:06 -0600")
            .unwrap()
            .to_unix(),
        880_127_706
    );
    assert_eq!(
        DateTime::parse(b"Thu, 13 Feb 1969 23:32:54 -0330")
            .unwrap()
            .to_unix(),
        -27_723_426
    );
    let d = DateTime::from_unix(880_127_706, -360).unwrap();
    assert_eq!(d.to_string(), "Fri, 21 Nov 1997 09:55:06 -0600");
    assert!(DateTime::from_unix(i64::MAX, 0).is_none());
    assert!(DateTime::from_unix(0, 10_000).is_none());
}

fn any_date() -> impl Strategy<Value = DateTime> {
    (
        1900u16..=9999,
        1u8..=12,
        1u8..=31,
        0u8..24,
        0u8..60,
        0u8..=60,
        -5999i16..=5999,
    )
        .prop_filter_map("valid day", |(y, mo, d, h, mi, s, o)| {
            DateTime::new(y, mo, d, h, mi, s, o).ok()
        })
}

proptest! {
    #[test]
    fn encode_parse_roundtrip(d in any_date()) {
        let s = d.to_string();
        let (back, defects) = DateTime::parse_with_defects(s.as_bytes()).unwrap();
        prop_assert_eq!(back, d);
        prop_assert!(defects.is_empty());
    }

    #[test]
    fn unix_roundtrip(t in -2_208_988_800i64..253_402_300_799, off in -1439i16..=1439) {
        let d = DateTime::from_unix(t, off).unwrap();
        prop_assert_eq!(d.to_unix(), t);
    }

    #[test]
    fn never_panics(raw in proptest::collection::vec(any::<u8>(), 0..100)) {
        let _ = DateTime::parse(&raw);
    }

    #[test]
    fn never_panics_datelike(raw in "[A-Za-z0-9 :,+()\r\n-]{0,50}") {
        if let Ok(d) = DateTime::parse(raw.as_bytes()) {
            let _ = d.to_unix();
            let _ = d.to_string();
        }
    }
}
