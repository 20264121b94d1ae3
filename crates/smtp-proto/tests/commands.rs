//! Command parsing and encoding: RFC 5321 examples, verbs, framing,
//! real-world client lines and rejections.

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
use mail_wire::Status;
use mail_wire::sasl::Mechanism;
use smtp_proto::{
    Command, CommandError, CommandOptions, Domain, EtrnTarget, Host, InitialResponse,
    MailParameters, Mailbox, ReversePath, Text, Verb, parse_command, parse_command_with,
};

#[test]
fn rfc5321_appendix_d1_transaction() {
    assert_eq!(
        canonical("EHLO bar.com"),
        Command::Ehlo {
            host: Host::Domain(Domain::new("bar.com").unwrap())
        }
    );
    let (from, params) = mail("MAIL FROM:<Smith@bar.com>");
    assert_eq!(from, Mailbox::new("Smith", "bar.com").unwrap().into());
    assert!(params.is_empty());
    for to in ["Jones@foo.com", "Green@foo.com", "Brown@foo.com"] {
        let line = format!("RCPT TO:<{to}>");
        let (fwd, params) = rcpt(&line);
        assert_eq!(fwd.mailbox().unwrap().to_string(), to);
        assert!(params.is_empty());
        canonical(&line);
    }
    assert_eq!(canonical("DATA"), Command::Data);
    assert_eq!(canonical("QUIT"), Command::Quit);
    assert_eq!(canonical("RSET"), Command::Rset);
    assert_eq!(
        canonical("VRFY Crispin"),
        Command::Vrfy {
            arg: Text::new("Crispin").unwrap()
        }
    );
    // RFC 5321 section 3.5: EXPN examples.
    canonical("EXPN Example-People");
    canonical("EXPN Executive-Washroom-List");
}

#[test]
fn verbs_are_case_insensitive_and_encoded_upper_case() {
    assert_eq!(encode(&parse("ehlo Example.ORG")), "EHLO Example.ORG\r\n");
    assert_eq!(
        encode(&parse("mail from:<a@b.example>")),
        "MAIL FROM:<a@b.example>\r\n"
    );
    assert_eq!(
        encode(&parse("rCpT tO:<a@b.example>")),
        "RCPT TO:<a@b.example>\r\n"
    );
    assert_eq!(parse("StartTLS"), Command::StartTls);
    assert_eq!(parse("quit").verb(), "QUIT");
    assert_eq!(
        parse("bdat 10 last"),
        Command::Bdat {
            size: 10,
            last: true
        }
    );
    assert_eq!(parse("Noop"), Command::Noop { arg: None });
}

#[test]
fn bdat_chunks() {
    // RFC 3030 section 4.
    assert_eq!(
        canonical("BDAT 86 LAST"),
        Command::Bdat {
            size: 86,
            last: true
        }
    );
    assert_eq!(
        canonical("BDAT 100000"),
        Command::Bdat {
            size: 100_000,
            last: false
        }
    );
    assert_eq!(
        canonical("BDAT 0 LAST"),
        Command::Bdat {
            size: 0,
            last: true
        }
    );
    canonical("BDAT 18446744073709551615");
    assert!(matches!(
        err("BDAT 18446744073709551616"),
        CommandError::NumberTooLarge { offset: 5 }
    ));
    assert!(matches!(
        err("BDAT 99999999999999999999999999999999999"),
        CommandError::NumberTooLarge { .. }
    ));
    for bad in [
        "BDAT -1",
        "BDAT 1 FIRST",
        "BDAT 1  LAST",
        "BDAT  1",
        "BDAT x",
        "BDAT 1 LAST x",
        "BDAT 0x10",
    ] {
        assert!(matches!(err(bad), CommandError::Syntax(_)), "{bad}");
    }
    assert!(matches!(
        err("BDAT"),
        CommandError::MissingArgument { verb: "BDAT" }
    ));
}

#[test]
fn auth_command() {
    // RFC 4954 section 4 and 6.
    let Command::Auth {
        mechanism,
        initial_response,
    } = canonical("AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ=")
    else {
        panic!()
    };
    assert_eq!(mechanism, Mechanism::Plain);
    assert_eq!(
        initial_response.unwrap().decode().unwrap(),
        b"test\0test\x001234"
    );
    let Command::Auth {
        initial_response, ..
    } = canonical("AUTH EXTERNAL =")
    else {
        panic!()
    };
    let ir = initial_response.unwrap();
    assert!(ir.is_empty());
    assert_eq!(ir.decode().unwrap(), b"");
    assert_eq!(
        canonical("AUTH CRAM-MD5"),
        Command::Auth {
            mechanism: Mechanism::new("CRAM-MD5").unwrap(),
            initial_response: None
        }
    );
    assert_eq!(encode(&parse("auth login")), "AUTH LOGIN\r\n");
    for bad in [
        "AUTH PLAIN =AAA",
        "AUTH PLAIN AAA=BBB",
        "AUTH PLAIN AAA",
        "AUTH PLAIN AB=C",
        "AUTH PLAIN A===",
        "AUTH PLAIN AB==",      // unused bits set
        "AUTH PLAIN dGVzdA== ", // trailing space
        "AUTH PLAIN ",
        "AUTH PLAIN a b",
        "AUTH BAD_MECH!",
        "AUTH AVERYVERYLONGMECHANISMNAME",
    ] {
        assert!(matches!(err(bad), CommandError::Syntax(_)), "{bad}");
    }
    assert!(matches!(
        err("AUTH"),
        CommandError::MissingArgument { verb: "AUTH" }
    ));
    assert_eq!(InitialResponse::from_bytes(b"\0u\0p").as_str(), "AHUAcA==");
}

#[test]
fn etrn_help_noop_unknown() {
    let d = |s| Domain::new(s).unwrap();
    assert_eq!(
        canonical("ETRN example.com"),
        Command::Etrn {
            target: EtrnTarget::Domain(d("example.com"))
        }
    );
    assert_eq!(
        canonical("ETRN @example.com"),
        Command::Etrn {
            target: EtrnTarget::Subdomains(d("example.com"))
        }
    );
    let Command::Etrn {
        target: EtrnTarget::Queue(q),
    } = canonical("ETRN #queue-1")
    else {
        panic!()
    };
    assert_eq!(q.as_str(), "queue-1");
    for bad in ["ETRN", "ETRN #", "ETRN @", "ETRN a b", "ETRN # q"] {
        assert!(Command::parse(bad.as_bytes()).is_err(), "{bad}");
    }
    assert_eq!(canonical("HELP"), Command::Help { arg: None });
    canonical("HELP MAIL");
    canonical("NOOP");
    canonical("NOOP keep me alive");
    canonical("VRFY <jones@example.com>");
    canonical("VRFY \"Smith, John\"");
    assert!(matches!(
        err("VRFY"),
        CommandError::MissingArgument { verb: "VRFY" }
    ));
    assert!(matches!(
        err("EXPN "),
        CommandError::MissingArgument { verb: "EXPN" }
    ));
    assert!(matches!(err("HELP "), CommandError::Syntax(_)));

    let Command::Unknown { verb, args } =
        canonical("XCLIENT ADDR=192.0.2.1 NAME=spike.porcupine.org")
    else {
        panic!()
    };
    assert_eq!(verb.as_str(), "XCLIENT");
    assert_eq!(
        args.unwrap().as_str(),
        "ADDR=192.0.2.1 NAME=spike.porcupine.org"
    );
    let cmd = canonical("xForward  two  spaces ");
    assert_eq!(cmd.verb(), "xForward");
    canonical("TURN");
    assert!(matches!(err("X-ÜBER-NOT"), CommandError::Syntax(e) if e.offset == 2));
    canonical("GET / HTTP/1.1");
    // "FOO " keeps no empty argument.
    assert_eq!(encode(&parse("FOO ")), "FOO\r\n");
    assert!(Verb::new("MAIL").is_err());
    assert!(Verb::new("starttls").is_err());
    assert!(Verb::new("X FOO").is_err());
    assert!(Verb::new("XFOO").is_ok());
    assert!(Text::new("a\r\nRSET").is_err());
    assert!(Text::new("").is_err());
}

#[test]
fn commands_without_arguments_refuse_them() {
    for (line, verb) in [
        ("DATA x", "DATA"),
        ("RSET now", "RSET"),
        ("QUIT bye", "QUIT"),
        ("STARTTLS x", "STARTTLS"),
        ("DATA ", "DATA"),
    ] {
        match err(line) {
            CommandError::UnexpectedArgument { verb: v } => assert_eq!(v, verb),
            e => panic!("{line}: {e:?}"),
        }
    }
}

#[test]
fn injection_and_bad_bytes_are_rejected() {
    for bad in [
        &b"MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>"[..],
        b"RCPT TO:<a\r@b.example>",
        b"RCPT TO:<a@b.example\n>",
        b"NOOP a\0b",
        b"HELO a\0b",
        b"XFOO bar\rbaz",
        b"XFOO bar\x1b[0m",
        b"MAIL FROM:<a@b.example> X=\x00",
        b"RCPT TO:<\xff@b.example>",
        b"EHLO \xc3\x28",
        b"VRFY \xe2\x82",
        b"\x16\x03\x01\x02\x00",
        b"",
        b" QUIT",
        b"\tQUIT",
        b"QUIT\t",
        b"QU\x00IT",
    ] {
        assert!(
            Command::parse(bad).is_err(),
            "{:?} parsed",
            String::from_utf8_lossy(bad)
        );
    }
    let CommandError::Syntax(e) = Command::parse(b"EHLO a\xffb").unwrap_err() else {
        panic!()
    };
    assert_eq!(e.offset, 6);
}

#[test]
fn leniency_options() {
    let lenient = CommandOptions::lenient();
    let p = |line: &'static str, opts: &CommandOptions| Command::parse_with(line.as_bytes(), opts);
    let strict = CommandOptions::default();

    let line = "MAIL FROM: <a@b.example> SIZE=10";
    assert!(p(line, &strict).is_err());
    let space = CommandOptions {
        allow_space_after_colon: true,
        ..strict
    };
    assert_eq!(
        encode(&p(line, &space).unwrap()),
        "MAIL FROM:<a@b.example> SIZE=10\r\n"
    );
    assert!(p("RCPT TO:  <a@b.example>", &space).is_ok());

    let bare = CommandOptions {
        allow_missing_brackets: true,
        ..strict
    };
    assert!(p("MAIL FROM:a@b.example", &strict).is_err());
    assert_eq!(
        encode(&p("MAIL FROM:a@b.example BODY=8BITMIME", &bare).unwrap()),
        "MAIL FROM:<a@b.example> BODY=8BITMIME\r\n"
    );
    assert_eq!(
        encode(&p("RCPT TO:postmaster@b.example", &bare).unwrap()),
        "RCPT TO:<postmaster@b.example>\r\n"
    );
    assert_eq!(
        encode(&p("RCPT TO:<Postmaster>", &bare).unwrap()),
        "RCPT TO:<Postmaster>\r\n"
    );
    assert!(p("MAIL FROM:a@b.example>", &bare).is_err());
    assert!(p("MAIL FROM:@r.example:a@b.example", &bare).is_err());

    let trailing = CommandOptions {
        allow_trailing_space: true,
        ..strict
    };
    assert_eq!(p("QUIT ", &trailing).unwrap(), Command::Quit);
    assert_eq!(p("RSET \t ", &trailing).unwrap(), Command::Rset);
    assert!(p("RCPT TO:<a@b.example> ", &trailing).is_ok());
    assert_eq!(p("NOOP ", &trailing).unwrap(), Command::Noop { arg: None });
    assert!(p("QUIT ", &strict).is_err());

    assert_eq!(
        encode(&p("mail from: a@b.example size=5 ", &lenient).unwrap()),
        "MAIL FROM:<a@b.example> SIZE=5\r\n"
    );
}

#[test]
fn line_framing_with_parse_command() {
    assert_eq!(parse_command(b"").unwrap(), Status::Incomplete);
    assert_eq!(
        parse_command(b"EHLO a.example\r").unwrap(),
        Status::Incomplete
    );
    let buf = b"EHLO a.example\r\nMAIL FROM:<>\r\n";
    let Status::Complete(cmd, n) = parse_command(buf).unwrap() else {
        panic!()
    };
    assert_eq!(n, 16);
    assert_eq!(cmd.verb(), "EHLO");
    let Status::Complete(cmd, m) = parse_command(&buf[n..]).unwrap() else {
        panic!()
    };
    assert_eq!(m, 14);
    assert_eq!(
        cmd,
        Command::Mail {
            from: ReversePath::null(),
            params: MailParameters::default()
        }
    );

    // Bare LF is never a line end.
    let CommandError::Syntax(e) = parse_command(b"QUIT\n").unwrap_err() else {
        panic!()
    };
    assert_eq!(e.offset, 4);
    assert!(parse_command(b"\n").is_err());
    assert!(parse_command(b"DATA\r\r\n").is_err());

    // Line length, CRLF included.
    let opts = CommandOptions {
        max_line_len: 10,
        ..Default::default()
    };
    assert!(parse_command_with(b"NOOP 1234\r\n", &opts).is_err());
    assert!(
        parse_command_with(b"NOOP 123\r\n", &opts)
            .unwrap()
            .is_complete()
    );
    assert_eq!(
        parse_command_with(b"NOOP 1234", &opts).unwrap(),
        Status::Incomplete
    );
    assert!(parse_command_with(b"NOOP 12345", &opts).is_err());
    let CommandError::Limit(l) = parse_command_with(b"NOOP 123456789", &opts).unwrap_err() else {
        panic!()
    };
    assert_eq!((l.limit, l.max), ("max_line_len", 10));
    assert_eq!(CommandError::Limit(l).reply_code(), 500);
    let long = format!("NOOP {}", "x".repeat(2042));
    assert!(Command::parse(long.as_bytes()).is_err());
    assert!(Command::parse(&long.as_bytes()[1..]).is_ok());
}

#[test]
fn reply_codes_for_errors() {
    assert_eq!(err("").reply_code(), 500);
    assert_eq!(err("MAIL FROM:<a@@b>").reply_code(), 553);
    assert_eq!(err("MAIL FROM:<a@b.example> SIZE=x").reply_code(), 501);
    assert_eq!(err("DATA now").reply_code(), 501);
}

#[test]
fn into_owned_detaches() {
    let line = String::from(
        "MAIL FROM:<@r.example:\"a b\"@[x-t:y]> ENVID=e+2B AUTH=<> HOLDUNTIL=2030-01-01T00:00:00Z X=1",
    );
    let parsed = parse(&line);
    let owned: Command<'static> = parsed.clone().into_owned();
    drop(line);
    assert_eq!(owned.verb(), "MAIL");
    let Command::Mail { from, params } = owned else {
        panic!()
    };
    assert_eq!(from.mailbox().unwrap().local_part().unquoted(), "a b");
    assert_eq!(params.envid().unwrap().as_str(), "e+");
    for line in [
        "RCPT TO:<a@b.example> NOTIFY=DELAY ORCPT=rfc822;x RRVS=2014-04-03T23:01:00Z X",
        "AUTH X-MECH =",
        "ETRN #q",
        "HELP me",
        "XFOO bar",
        "EHLO [IPv6:::1]",
    ] {
        let owned = {
            let tmp = String::from(line);
            parse(&tmp).into_owned()
        };
        assert_eq!(owned, parse(line));
    }
}
