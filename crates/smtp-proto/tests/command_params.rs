//! ESMTP parameters of MAIL and RCPT: the RFCs' examples, normalisation,
//! rejections, and client-side building.

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
use std::net::Ipv6Addr;

use smtp_proto::{
    AuthParam, Body, ByMode, Command, CommandError, CommandOptions, DateTime, DeliverBy, Domain,
    ForwardPath, Hold, MailExtras, MailParameters, Mailbox, Notify, Orcpt, ParamError, Parameter,
    Path, RcptParameters, Ret, ReversePath, RrvsAction, XText,
};

#[test]
fn mail_parameters_from_the_rfcs() {
    // RFC 1870 section 7.
    let (_, p) = mail("MAIL FROM:<ned@thor.innosoft.com> SIZE=500000");
    assert_eq!(p.size, Some(500_000));
    // RFC 6152 section 4.
    let (_, p) = mail("MAIL FROM:<ned@ymir.claremont.edu> BODY=8BITMIME");
    assert_eq!(p.body, Some(Body::EightBitMime));
    // RFC 3461 section 9.
    let (from, p) = mail("MAIL FROM:<Alice@Example.ORG> RET=HDRS ENVID=QQ314159");
    assert_eq!(from.mailbox().unwrap().host().to_string(), "Example.ORG");
    assert_eq!(p.ret(), Some(Ret::Hdrs));
    assert_eq!(p.envid().unwrap().as_str(), "QQ314159");
    // RFC 4954 section 5.
    let (_, p) = mail("MAIL FROM:<e=mc2@example.com> AUTH=e+3Dmc2@example.com");
    assert_eq!(
        p.auth(),
        Some(&AuthParam::Mailbox(
            XText::new("e=mc2@example.com").unwrap()
        ))
    );
    canonical("MAIL FROM:<e=mc2@example.com> AUTH=e+3Dmc2@example.com");
    let (from, p) = mail("MAIL FROM:<john+@example.org> AUTH=<>");
    assert_eq!(from.mailbox().unwrap().local_part().as_str(), "john+");
    assert_eq!(p.auth(), Some(&AuthParam::Unknown));
    // RFC 2852 section 6.
    let (_, p) = mail("MAIL FROM:<eljefe@example.com> BY=120;R ENVID=QQ314159");
    assert_eq!(p.by(), DeliverBy::new(120, ByMode::Return, false));
    // RFC 8689 section 6.
    let (_, p) = mail("MAIL FROM:<roger@example.org> REQUIRETLS");
    assert!(p.requiretls);
    // RFC 3030: BINARYMIME.
    let (_, p) = mail("MAIL FROM:<a@example.org> BODY=binarymime");
    assert_eq!(p.body, Some(Body::BinaryMime));
    // RFC 6531: SMTPUTF8 with UTF-8 in both parts.
    let (from, p) = mail("MAIL FROM:<用户@例子.广告> SMTPUTF8");
    assert!(p.smtputf8);
    assert!(from.mailbox().unwrap().needs_smtputf8());
    canonical("MAIL FROM:<用户@例子.广告> SMTPUTF8");
    // RFC 6710, RFC 4865.
    let (_, p) = mail("MAIL FROM:<a@example.org> MT-PRIORITY=-3 HOLDFOR=3600");
    assert_eq!(p.mt_priority().unwrap().get(), -3);
    assert_eq!(
        p.hold(),
        Some(&Hold::For(smtp_proto::HoldFor::new(3600).unwrap()))
    );
    let (_, p) = mail("MAIL FROM:<a@example.org> HOLDUNTIL=2030-01-01T00:00:00Z");
    let Some(Hold::Until(t)) = p.hold() else {
        panic!()
    };
    assert_eq!(t.time().as_str(), "2030-01-01T00:00:00Z");

    let all = "MAIL FROM:<a@example.org> SIZE=1 BODY=7BIT SMTPUTF8 RET=FULL ENVID=x+2By \
               AUTH=u@example.org REQUIRETLS MT-PRIORITY=9 HOLDFOR=1 BY=-5;NT X-FOO XBAR=baz";
    let (_, p) = mail(all);
    assert_eq!(p.envid().unwrap().as_str(), "x+y");
    assert_eq!(p.by(), DeliverBy::new(-5, ByMode::Notify, true));
    assert_eq!(p.other().len(), 2);
    assert_eq!(p.get_other("xbar").unwrap().value(), Some("baz"));
    assert_eq!(p.get_other("X-FOO").unwrap().value(), None);
    canonical(all);
}

#[test]
fn typed_values_are_normalised_when_encoded() {
    assert_eq!(
        encode(&parse(
            "MAIL FROM:<a@b.example> body=8bitmime ret=hdrs by=+60;rt size=0010"
        )),
        "MAIL FROM:<a@b.example> SIZE=10 BODY=8BITMIME RET=HDRS BY=60;RT\r\n"
    );
    assert_eq!(
        encode(&parse(
            "RCPT TO:<a@b.example> notify=delay,success rrvs=2014-04-03T23:01:00z;c"
        )),
        "RCPT TO:<a@b.example> NOTIFY=SUCCESS,DELAY RRVS=2014-04-03T23:01:00z;C\r\n"
    );
    // Unknown parameters keep their bytes.
    canonical("MAIL FROM:<a@b.example> x-Custom=Some/Value;1 XVERP");
}

#[test]
fn rcpt_parameters_from_the_rfcs() {
    // RFC 3461 section 9 transcript.
    let (to, p) = rcpt("RCPT TO:<Bob@Example.COM> NOTIFY=SUCCESS ORCPT=rfc822;Bob@Example.COM");
    assert_eq!(to.mailbox().unwrap().local_part().as_str(), "Bob");
    assert_eq!(p.notify, Notify::on(true, false, false));
    let o = p.orcpt.as_ref().unwrap();
    assert_eq!(
        (o.addr_type(), o.address().as_str()),
        ("rfc822", "Bob@Example.COM")
    );
    let (_, p) =
        rcpt("RCPT TO:<Dana@Ivory.EDU> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;Dana@Ivory.EDU");
    assert_eq!(p.notify, Notify::on(true, true, false));
    let (_, p) = rcpt("RCPT TO:<Fred@Bombs.AF.MIL> NOTIFY=NEVER");
    assert!(p.notify.unwrap().is_never());
    canonical("RCPT TO:<Dana@Ivory.EDU> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;Dana@Ivory.EDU");
    // RFC 7293 section 12.1.
    let (_, p) = rcpt("RCPT TO:<receiver@example.com> RRVS=2014-04-03T23:01:00Z");
    let r = p.rrvs().unwrap();
    assert_eq!(r.since().as_str(), "2014-04-03T23:01:00Z");
    assert_eq!(r.action(), None);
    let (_, p) = rcpt("RCPT TO:<r@example.com> RRVS=2014-04-03T23:01:00+02:00;C");
    assert_eq!(p.rrvs().unwrap().action(), Some(RrvsAction::Continue));
    // RFC 6533: a UTF-8 ORCPT with an xtext-escaped address.
    let (_, p) = rcpt("RCPT TO:<a@example.com> ORCPT=utf-8;j+C3+B6rg@example.com");
    assert_eq!(p.orcpt.unwrap().address().as_str(), "jörg@example.com");
}

#[test]
fn parameter_rejections() {
    assert_eq!(
        param_err("MAIL FROM:<a@b.example> SIZE=99999999999999999999999"),
        ParamError::OutOfRange { keyword: "SIZE" }
    );
    assert_eq!(
        param_err("MAIL FROM:<a@b.example> SIZE=18446744073709551616"),
        ParamError::OutOfRange { keyword: "SIZE" }
    );
    let (_, p) = mail("MAIL FROM:<a@b.example> SIZE=18446744073709551615");
    assert_eq!(p.size, Some(u64::MAX));
    assert!(matches!(
        param_err("MAIL FROM:<a@b.example> SIZE=12k"),
        ParamError::InvalidValue { keyword: "SIZE", error } if error.offset == 31
    ));
    assert_eq!(
        param_err("MAIL FROM:<a@b.example> SIZE"),
        ParamError::MissingValue { keyword: "SIZE" }
    );
    assert_eq!(
        param_err("MAIL FROM:<a@b.example> SMTPUTF8=yes"),
        ParamError::UnexpectedValue {
            keyword: "SMTPUTF8"
        }
    );
    assert_eq!(
        param_err("MAIL FROM:<a@b.example> REQUIRETLS=1"),
        ParamError::UnexpectedValue {
            keyword: "REQUIRETLS"
        }
    );
    for dup in [
        "MAIL FROM:<a@b.example> SIZE=1 size=2",
        "MAIL FROM:<a@b.example> SMTPUTF8 smtputf8",
        "MAIL FROM:<a@b.example> BODY=7BIT BODY=7BIT",
        "MAIL FROM:<a@b.example> X-A=1 x-a",
        "MAIL FROM:<a@b.example> HOLDFOR=1 HOLDFOR=2",
        "RCPT TO:<a@b.example> NOTIFY=NEVER NOTIFY=NEVER",
        "RCPT TO:<a@b.example> ORCPT=rfc822;a@b ORCPT=rfc822;a@b",
    ] {
        assert!(
            matches!(param_err(dup), ParamError::Duplicate { .. }),
            "{dup}"
        );
    }
    assert_eq!(
        param_err("MAIL FROM:<a@b.example> HOLDFOR=10 HOLDUNTIL=2030-01-01T00:00:00Z"),
        ParamError::Conflict {
            first: "HOLDFOR",
            second: "HOLDUNTIL"
        }
    );
    assert_eq!(
        param_err("MAIL FROM:<a@b.example> HOLDUNTIL=2030-01-01T00:00:00Z HOLDFOR=10"),
        ParamError::Conflict {
            first: "HOLDUNTIL",
            second: "HOLDFOR"
        }
    );
    for bad in [
        "MAIL FROM:<a@b.example> BODY=8BIT",
        "MAIL FROM:<a@b.example> RET=ALL",
        "MAIL FROM:<a@b.example> ENVID=a+2",
        "MAIL FROM:<a@b.example> ENVID=a+2b",
        "MAIL FROM:<a@b.example> ENVID=+0D+0A",
        "MAIL FROM:<a@b.example> AUTH=+ZZ",
        "MAIL FROM:<a@b.example> MT-PRIORITY=10",
        "MAIL FROM:<a@b.example> MT-PRIORITY=+1",
        "MAIL FROM:<a@b.example> MT-PRIORITY=-0",
        "MAIL FROM:<a@b.example> MT-PRIORITY=01",
        "MAIL FROM:<a@b.example> HOLDFOR=0",
        "MAIL FROM:<a@b.example> HOLDFOR=010",
        "MAIL FROM:<a@b.example> HOLDUNTIL=2030-01-01T00:00:00+01:00",
        "MAIL FROM:<a@b.example> HOLDUNTIL=2030-02-30T00:00:00Z",
        "MAIL FROM:<a@b.example> HOLDUNTIL=2030-01-01",
        "MAIL FROM:<a@b.example> BY=0;R",
        "MAIL FROM:<a@b.example> BY=-10;R",
        "MAIL FROM:<a@b.example> BY=10",
        "MAIL FROM:<a@b.example> BY=10;X",
        "MAIL FROM:<a@b.example> BY=10;RTT",
        "MAIL FROM:<a@b.example> BY=;R",
        "RCPT TO:<a@b.example> NOTIFY=NEVER,SUCCESS",
        "RCPT TO:<a@b.example> NOTIFY=SUCCESS,NEVER",
        "RCPT TO:<a@b.example> NOTIFY=SUCCESS,SUCCESS",
        "RCPT TO:<a@b.example> NOTIFY=SUCCESS,",
        "RCPT TO:<a@b.example> NOTIFY=ALWAYS",
        "RCPT TO:<a@b.example> ORCPT=rfc822",
        "RCPT TO:<a@b.example> ORCPT=;a@b",
        "RCPT TO:<a@b.example> ORCPT=rfc822;",
        "RCPT TO:<a@b.example> ORCPT=rfc(822;a@b",
        "RCPT TO:<a@b.example> RRVS=2014-04-03T23:01:00.5Z",
        "RCPT TO:<a@b.example> RRVS=2014-04-03T23:01:00Z;X",
        "RCPT TO:<a@b.example> RRVS=2014-13-03T23:01:00Z",
        "RCPT TO:<a@b.example> RRVS=2014-04-03T24:01:00Z",
    ] {
        assert!(
            matches!(
                param_err(bad),
                ParamError::InvalidValue { .. } | ParamError::OutOfRange { .. }
            ),
            "{bad}"
        );
    }
    assert_eq!(
        param_err("MAIL FROM:<a@b.example> BY=1000000000;N"),
        ParamError::OutOfRange { keyword: "BY" }
    );
    let (_, p) = mail("MAIL FROM:<a@b.example> BY=-999999999;N HOLDFOR=999999999");
    assert_eq!(p.by().unwrap().seconds(), -999_999_999);
    // The error offset of a value points into the line.
    let ParamError::InvalidValue { error, .. } =
        param_err("RCPT TO:<a@b.example> NOTIFY=SUCCESS,NEVER")
    else {
        panic!()
    };
    assert_eq!(error.offset, "RCPT TO:<a@b.example> NOTIFY=SUCCESS,".len());
}

#[test]
fn parameter_flood_is_limited() {
    let mut line = String::from("MAIL FROM:<a@b.example>");
    for i in 0..33 {
        line.push_str(&format!(" X{i}=1"));
    }
    let CommandError::Limit(l) = err(&line) else {
        panic!()
    };
    assert_eq!((l.limit, l.max), ("max_parameters", 32));
    let opts = CommandOptions {
        max_parameters: 40,
        ..Default::default()
    };
    assert!(Command::parse_with(line.as_bytes(), &opts).is_ok());
}

#[test]
fn client_side_builders() {
    let from = Mailbox::new("john doe", "example.com").unwrap();
    assert_eq!(from.to_string(), "\"john doe\"@example.com");
    let cmd = Command::Mail {
        from: ReversePath::from(from),
        params: MailParameters {
            size: Some(4096),
            body: Some(Body::EightBitMime),
            extras: Some(Box::new(MailExtras {
                envid: Some(XText::new("id=1 +x").unwrap()),
                auth: Some(AuthParam::Mailbox(XText::new("<>").unwrap())),
                hold: Some(Hold::until(DateTime::new("2031-12-31T23:59:60Z").unwrap()).unwrap()),
                other: vec![Parameter::new("XTRACE", Some("1".into())).unwrap()],
                ..Default::default()
            })),
            ..Default::default()
        },
    };
    let wire = encode(&cmd);
    assert_eq!(
        wire,
        "MAIL FROM:<\"john doe\"@example.com> SIZE=4096 BODY=8BITMIME ENVID=id+3D1+20+2Bx \
         AUTH=+3C> HOLDUNTIL=2031-12-31T23:59:60Z XTRACE=1\r\n"
    );
    assert_eq!(Command::parse(wire.trim_end().as_bytes()).unwrap(), cmd);

    let rcpt = Command::Rcpt {
        to: ForwardPath::Path(Path::new(Mailbox::parse("bob@[192.0.2.7]").unwrap())),
        params: RcptParameters {
            notify: Some(Notify::never()),
            orcpt: Some(Orcpt::new("rfc822", XText::new("bob@example.org").unwrap()).unwrap()),
            ..Default::default()
        },
    };
    assert_eq!(
        encode(&rcpt),
        "RCPT TO:<bob@[192.0.2.7]> NOTIFY=NEVER ORCPT=rfc822;bob@example.org\r\n"
    );

    assert!(Domain::new("a\r\nb").is_err());
    assert!(Mailbox::new("a\r\n", "example.com").is_err());
    assert!(Mailbox::new("a", "example.com>").is_err());
    assert!(Parameter::new("X", Some("a b".into())).is_err());
    assert!(Parameter::new("X=Y", None).is_err());
    assert!(Orcpt::new("rfc 822", XText::new("a").unwrap()).is_err());
    assert!(Hold::until(DateTime::new("2031-12-31T23:59:59+01:00").unwrap()).is_err());
    assert!(smtp_proto::Rrvs::new(DateTime::new("2031-12-31T23:59:59.1Z").unwrap(), None).is_err());
    assert!(DateTime::new("2024-02-29T00:00:00Z").is_ok());
    assert!(DateTime::new("2023-02-29T00:00:00Z").is_err());
    assert!(DateTime::new("1900-02-29T00:00:00Z").is_err());
    assert!(DateTime::new("2000-02-29T00:00:00Z").is_ok());
    assert!(smtp_proto::GeneralLiteral::new("IPv6", "::1").is_err());
    assert!(smtp_proto::MtPriority::new(10).is_none());
    assert!(smtp_proto::HoldFor::new(0).is_none());
    assert!(smtp_proto::QueueName::new("a b").is_err());
    let _ = Ipv6Addr::LOCALHOST;
}
