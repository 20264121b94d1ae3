//! Paths, mailboxes, domains and address literals in commands (RFC 5321
//! sections 4.1.2, 4.1.3 and 4.5.3.1, RFC 6531).

// Helpers outside #[test] functions are not covered by clippy.toml's
// allow-*-in-tests settings; this whole file is test code.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod command_util;

use command_util::*;
use std::net::Ipv4Addr;

use mail_wire::Found;
use smtp_proto::{
    AddressError, AddressLiteral, Command, CommandError, Domain, ForwardPath, Host, LocalPart,
    Mailbox,
};

#[test]
fn postmaster_and_source_routes() {
    assert_eq!(rcpt("RCPT TO:<Postmaster>").0, ForwardPath::Postmaster);
    assert_eq!(rcpt("RCPT TO:<postMASTER>").0, ForwardPath::Postmaster);
    assert_eq!(
        encode(&parse("RCPT TO:<postmaster>")),
        "RCPT TO:<Postmaster>\r\n"
    );
    let (to, _) = rcpt("RCPT TO:<Postmaster@example.com>");
    assert_eq!(to.mailbox().unwrap().to_string(), "Postmaster@example.com");
    assert!(err("RCPT TO:<>").to_string().contains("expected"));

    // RFC 5321 appendix C: accepted, exposed, re-encoded.
    let line = "RCPT TO:<@hosta.int,@jkl.org:userc@d.bar.org>";
    let (to, _) = rcpt(line);
    let ForwardPath::Path(p) = &to else { panic!() };
    let route: Vec<_> = p.source_route().iter().map(Domain::as_str).collect();
    assert_eq!(route, ["hosta.int", "jkl.org"]);
    assert_eq!(p.mailbox().to_string(), "userc@d.bar.org");
    canonical(line);
    canonical("MAIL FROM:<@a.example:u@b.example>");
    for bad in [
        "RCPT TO:<@a.example,b.example:u@c.example>",
        "RCPT TO:<@a.example;u@c.example>",
        "RCPT TO:<@:u@c.example>",
        "RCPT TO:<@[1.2.3.4]:u@c.example>",
    ] {
        assert!(matches!(err(bad), CommandError::Address(_)), "{bad}");
    }
}

#[test]
fn local_parts_dot_and_quoted() {
    let (from, _) = mail(r#"MAIL FROM:<"Joe\,Smith"@example.com>"#);
    let lp = from.mailbox().unwrap().local_part().clone();
    assert!(lp.is_quoted());
    assert_eq!(lp.as_str(), r#""Joe\,Smith""#);
    assert_eq!(lp.unquoted(), "Joe,Smith");
    canonical(r#"MAIL FROM:<"Joe\,Smith"@example.com>"#);
    canonical(r#"RCPT TO:<"john doe"@example.com>"#);
    canonical(r#"RCPT TO:<"a\"b\\c"@example.com>"#);
    canonical("RCPT TO:<!#$%&'*+-/=?^_`{|}~@example.com>");
    canonical("RCPT TO:<first.last@[IPv6:2001:db8::2]>");
    // Text that happens to look quoted is quoted again, not taken as wire.
    let lp = LocalPart::from_unquoted("\"a b\"").unwrap();
    assert_eq!(lp.as_str(), r#""\"a b\"""#);
    assert_eq!(lp.unquoted(), "\"a b\"");
    assert_eq!(LocalPart::from_unquoted("").unwrap().as_str(), "\"\"");
    assert_eq!(
        LocalPart::from_unquoted("a\"b\\c").unwrap().as_str(),
        r#""a\"b\\c""#
    );
    assert_eq!(
        LocalPart::new(r#""a\"b\\c""#).unwrap().unquoted(),
        "a\"b\\c"
    );
    for bad in [
        "RCPT TO:<.a@example.com>",
        "RCPT TO:<a.@example.com>",
        "RCPT TO:<a..b@example.com>",
        "RCPT TO:<a b@example.com>",
        "RCPT TO:<\"unterminated@example.com>",
        "RCPT TO:<\"tab\there\"@example.com>",
        "RCPT TO:<a@>",
        "RCPT TO:<@example.com>",
        "RCPT TO:<a>",
        "RCPT TO:<a@example.com",
        "RCPT TO:a@example.com",
        "RCPT TO:<a@example.com>>",
    ] {
        let e = err(bad);
        assert!(
            matches!(e, CommandError::Address(_) | CommandError::Syntax(_)),
            "{bad:?}: {e:?}"
        );
    }
}

#[test]
fn length_limits_of_rfc5321_4_5_3_1() {
    let lp64 = "a".repeat(64);
    mail(&format!("MAIL FROM:<{lp64}@example.com>"));
    assert_eq!(
        addr_err(&format!("MAIL FROM:<{lp64}a@example.com>")),
        AddressError::LocalPartTooLong { len: 65 }
    );
    assert_eq!(
        addr_err(&format!("MAIL FROM:<\"{}\"@example.com>", "a".repeat(63))),
        AddressError::LocalPartTooLong { len: 65 }
    );
    // A 254-octet mailbox fills a 256-octet path exactly.
    let d189 = format!("{}.{}.{}", "a".repeat(63), "b".repeat(63), "c".repeat(61));
    assert_eq!(d189.len(), 189);
    let ok = format!("RCPT TO:<{lp64}@{d189}>");
    rcpt(&ok);
    let d190 = format!("{d189}b");
    assert_eq!(
        addr_err(&format!("RCPT TO:<{lp64}@{d190}>")),
        AddressError::PathTooLong { len: 257 }
    );
    assert!(Mailbox::new(&lp64, &d190).is_err());
    assert!(Mailbox::new(&lp64, &d189).is_ok());
    // Source routes count toward the 256 octets.
    let routed = format!("RCPT TO:<@relay.example:{lp64}@{d189}>");
    assert!(matches!(
        addr_err(&routed),
        AddressError::PathTooLong { .. }
    ));
}

#[test]
fn mail_and_rcpt_syntax_rejections() {
    for bad in [
        "MAIL",
        "MAIL FROM",
        "MAIL FROM:",
        "MAIL TO:<a@b.example>",
        "MAIL FROM <a@b.example>",
        "MAIL FROM: <a@b.example>",
        "MAIL FROM:<a@b.example>  SIZE=1",
        "MAIL FROM:<a@b.example> SIZE=1 ",
        "MAIL FROM:<a@b.example>SIZE=1",
        "MAIL FROM:<a@b.example> =1",
        "MAIL FROM:<a@b.example> -X=1",
        "MAIL FROM:<a@b.example> X_Y=1",
        "MAIL FROM:<a@b.example> X=",
        "MAIL FROM:<a@b.example> X=a=b",
        "MAIL FROM:<a@b.example> X=\u{7f}",
        "RCPT TO:<a@b.example> X=\ty",
        "RCPT TO: <a@b.example>",
    ] {
        assert!(Command::parse(bad.as_bytes()).is_err(), "{bad:?} parsed");
    }
    assert!(matches!(
        err("MAIL"),
        CommandError::MissingArgument { verb: "MAIL" }
    ));
    let CommandError::Syntax(e) = err("MAIL FROM:<a@b.example>SIZE=1") else {
        panic!()
    };
    assert_eq!((e.offset, e.found), (23, Found::Byte(b'S')));
}

#[test]
fn helo_ehlo_lhlo_hosts() {
    canonical("HELO relay.example.org");
    canonical("LHLO foo.edu"); // RFC 2033 section 4.2
    let Command::Ehlo { host } = canonical("EHLO [192.0.2.1]") else {
        panic!()
    };
    assert_eq!(
        host,
        Host::Literal(AddressLiteral::Ipv4(Ipv4Addr::new(192, 0, 2, 1)))
    );
    // HELO with an address literal: not in RFC 5321's HELO grammar, sent by
    // real clients, accepted.
    canonical("HELO [127.0.0.1]");
    let Command::Ehlo { host } = canonical("EHLO [IPv6:2001:db8::1]") else {
        panic!()
    };
    assert_eq!(
        host,
        Host::Literal(AddressLiteral::Ipv6("2001:db8::1".parse().unwrap()))
    );
    // IPv6 is written in RFC 5952 form, the tag as IPv6.
    assert_eq!(
        encode(&parse("EHLO [ipv6:2001:DB8:0:0:0:0:0:1]")),
        "EHLO [IPv6:2001:db8::1]\r\n"
    );
    assert_eq!(
        encode(&parse("EHLO [IPv6:::ffff:192.0.2.1]")),
        "EHLO [IPv6:::ffff:192.0.2.1]\r\n"
    );
    // Snum allows leading zeros.
    assert_eq!(encode(&parse("EHLO [010.0.0.1]")), "EHLO [10.0.0.1]\r\n");
    let Command::Ehlo { host } = canonical("EHLO [x-foo:some-thing]") else {
        panic!()
    };
    let Host::Literal(AddressLiteral::General(g)) = host else {
        panic!()
    };
    assert_eq!((g.tag(), g.content()), ("x-foo", "some-thing"));
    canonical("EHLO xn--mnchen-3ya.de");
    canonical("EHLO münchen.de");

    assert!(matches!(
        err("EHLO"),
        CommandError::MissingArgument { verb: "EHLO" }
    ));
    assert!(matches!(
        err("HELO "),
        CommandError::MissingArgument { verb: "HELO" }
    ));
    for bad in [
        "EHLO my_pc",
        "EHLO -host.example",
        "EHLO host-.example",
        "EHLO host..example",
        "EHLO host.example.",
        "EHLO host example",
        "EHLO [256.1.1.1]",
        "EHLO [1.2.3]",
        "EHLO [1.2.3.4.5]",
        "EHLO [1.2.3.4",
        "EHLO [IPv6:1:2:3:4:5:6:7::]", // "::" must stand for two or more groups
        "EHLO [IPv6:12345::]",
        "EHLO [IPv6:1.2.3.4]",
        "EHLO [IPv6:fe80::1%eth0]",
        "EHLO [tag:]",
        "EHLO [tag:a\\b]",
        "EHLO [-:x]",
        "EHLO [1.2.3.4]x",
    ] {
        let e = err(bad);
        assert!(
            matches!(
                e,
                CommandError::Address(AddressError::Syntax(_)) | CommandError::Syntax(_)
            ),
            "{bad:?}: {e:?}"
        );
    }
    let big = format!("EHLO [x-t:{}]", "c".repeat(250));
    assert_eq!(addr_err(&big), AddressError::DomainTooLong { len: 256 });
    assert!(smtp_proto::GeneralLiteral::new("x-t", "c".repeat(250)).is_err());
    assert!(smtp_proto::GeneralLiteral::new("x-t", "c".repeat(249)).is_ok());
    let long_label = format!("EHLO {}.example", "a".repeat(64));
    assert_eq!(
        addr_err(&long_label),
        AddressError::LabelTooLong { len: 64 }
    );
    let long_domain = format!("EHLO {}a", "abcdefghi.".repeat(26));
    assert_eq!(
        addr_err(&long_domain),
        AddressError::DomainTooLong { len: 261 }
    );
}
