//! Replies and EHLO responses: RFC examples, real server transcripts,
//! rejections, limits, and property tests (round trips, chunk-split
//! invariance, no panics).

// Test helpers and proptest strategies sit outside `#[test]` functions, where
// clippy.toml's test exemption does not reach; this whole crate is tests.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::borrow::Cow;

use mail_wire::sasl::Mechanism;
use mail_wire::{Found, LimitError, Status};
use proptest::prelude::*;
use smtp_proto::types::{
    EhloKeyword, EhloParam, Limit, LimitName, LimitText, LimitValue, PriorityProfile,
    ReleaseDateTime,
};
use smtp_proto::{
    Capability, EhloError, EhloResponse, EnhancedStatusCode, Reply, ReplyCode, ReplyError,
    ReplyLimits, ReplyOptions, ReplyParser, ReplyText, StatusClass,
};

fn complete(input: &[u8]) -> (Reply<'_>, usize) {
    match Reply::parse(input) {
        Ok(Status::Complete(r, n)) => (r, n),
        other => panic!("expected a complete reply, got {other:?}"),
    }
}

/// Parses every reply of a stream, asserting each re-encodes to its bytes.
fn all_replies(mut input: &[u8]) -> Vec<Reply<'_>> {
    let mut out = Vec::new();
    while !input.is_empty() {
        let (r, n) = complete(input);
        assert_eq!(r.to_bytes(), &input[..n]);
        assert_eq!(r.encoded_len(), n);
        out.push(r);
        input = &input[n..];
    }
    out
}

fn err(input: &[u8]) -> ReplyError {
    Reply::parse(input).expect_err("expected an error")
}

fn err_with(input: &[u8], options: &ReplyOptions) -> ReplyError {
    Reply::parse_with(input, options).expect_err("expected an error")
}

fn ehlo(input: &[u8]) -> EhloResponse<'_> {
    match EhloResponse::parse(input) {
        Ok(Status::Complete(e, n)) => {
            assert_eq!(n, input.len());
            e
        }
        other => panic!("expected an EHLO response, got {other:?}"),
    }
}

fn code(n: u16) -> ReplyCode {
    ReplyCode::new(n).unwrap()
}

// ---------------------------------------------------------------------------
// RFC examples

#[test]
fn rfc5321_appendix_d1_server_side() {
    let server = b"220 foo.com Simple Mail Transfer Service Ready\r\n\
        250-foo.com greets bar.com\r\n250-8BITMIME\r\n250-SIZE\r\n250-DSN\r\n250 HELP\r\n\
        250 OK\r\n250 OK\r\n550 No such user here\r\n250 OK\r\n\
        354 Start mail input; end with <CRLF>.<CRLF>\r\n250 OK\r\n\
        221 foo.com Service closing transmission channel\r\n";
    let replies = all_replies(server);
    let codes: Vec<u16> = replies.iter().map(|r| r.code().as_u16()).collect();
    assert_eq!(codes, [220, 250, 250, 250, 550, 250, 354, 250, 221]);
    assert_eq!(replies[0].code(), ReplyCode::SERVICE_READY);
    assert_eq!(
        replies[0].first_line().as_bytes(),
        b"foo.com Simple Mail Transfer Service Ready"
    );
    assert_eq!(replies[1].line_count(), 5);
    assert_eq!(replies[4].code(), ReplyCode::MAILBOX_UNAVAILABLE);
    assert!(replies[4].code().is_permanent());
    assert!(replies[6].code().is_intermediate());
    assert_eq!(replies[6].code(), ReplyCode::START_MAIL_INPUT);

    let e = EhloResponse::from_reply(&replies[1]).unwrap();
    assert_eq!(e.domain(), "foo.com");
    assert_eq!(e.greeting(), Some(&b"greets bar.com"[..]));
    assert_eq!(
        e.capabilities(),
        &[
            Capability::EightBitMime,
            Capability::Size(None),
            Capability::Dsn,
            Capability::Help
        ]
    );
    assert_eq!(e.max_size(), None);
    assert!(e.supports("size"));
    assert!(e.supports_dsn() && e.supports_8bitmime() && !e.supports_pipelining());
}

#[test]
fn rfc5321_appendix_d3_and_d4() {
    // D.3: a single-line EHLO answer; D.4: VRFY answered with a mailbox.
    let r = all_replies(b"250 xyz.com is on the air\r\n");
    let e = EhloResponse::from_reply(&r[0]).unwrap();
    assert_eq!(e.domain(), "xyz.com");
    assert_eq!(e.greeting(), Some(&b"is on the air"[..]));
    assert!(e.capabilities().is_empty());
    assert_eq!(e.to_bytes(), b"250 xyz.com is on the air\r\n");

    let r = all_replies(b"250 Mark Crispin <Admin.MRC@foo.com>\r\n");
    assert_eq!(r[0].text_lossy(), "Mark Crispin <Admin.MRC@foo.com>");
    assert_eq!(r[0].enhanced_code(), None);
}

#[test]
fn rfc2034_usage_example() {
    let server = b"220 dbc.mtview.ca.us SMTP service ready\r\n\
        250-dbc.mtview.ca.us says hello\r\n250 ENHANCEDSTATUSCODES\r\n\
        250 2.1.0 Originator <ned@ymir.claremont.edu> ok\r\n\
        250 2.1.5 Recipient <mrose@dbc.mtview.ca.us> ok\r\n\
        550 5.1.1 Mailbox \"nosuchuser\" does not exist\r\n\
        551-5.7.1 Forwarding to remote hosts disabled\r\n\
        551 5.7.1 Select another host to act as your forwarder\r\n\
        354 Send message, ending in CRLF.CRLF.\r\n\
        250 2.6.0 Message accepted\r\n\
        221 2.0.0 Goodbye\r\n";
    let r = all_replies(server);
    assert!(
        EhloResponse::from_reply(&r[1])
            .unwrap()
            .supports_enhanced_status_codes()
    );
    assert_eq!(r[2].enhanced_code(), Some(EnhancedStatusCode::SENDER_OK));
    assert_eq!(
        r[2].first_line().message(),
        b"Originator <ned@ymir.claremont.edu> ok"
    );
    assert_eq!(
        r[3].enhanced_code(),
        Some(EnhancedStatusCode::DESTINATION_VALID)
    );
    assert_eq!(
        r[4].enhanced_code(),
        Some(EnhancedStatusCode::BAD_DESTINATION_MAILBOX)
    );
    // Every line of a multiline reply carries the code (RFC 2034 section 4).
    assert_eq!(r[5].code(), ReplyCode::USER_NOT_LOCAL);
    assert!(
        r[5].lines()
            .all(|l| l.enhanced_code() == Some(EnhancedStatusCode::NOT_AUTHORIZED))
    );
    assert_eq!(
        r[5].message_lossy(),
        "Forwarding to remote hosts disabled\nSelect another host to act as your forwarder"
    );
    // 354 text that merely looks odd has no enhanced code.
    assert_eq!(r[6].enhanced_code(), None);
    assert_eq!(
        r[7].enhanced_code(),
        Some(EnhancedStatusCode::MESSAGE_ACCEPTED)
    );
    assert_eq!(r[8].enhanced_code(), Some(EnhancedStatusCode::OK));

    // The same 551 built with the builder gives the same bytes.
    let built = Reply::multiline(
        ReplyCode::USER_NOT_LOCAL,
        Some(EnhancedStatusCode::NOT_AUTHORIZED),
        [
            "Forwarding to remote hosts disabled",
            "Select another host to act as your forwarder",
        ],
    )
    .unwrap();
    assert_eq!(built, r[5]);
}

#[test]
fn rfc3463_status_codes() {
    let c: EnhancedStatusCode = "2.1.23".parse().unwrap();
    assert_eq!(
        (c.class(), c.subject(), c.detail()),
        (StatusClass::Success, 1, 23)
    );
    assert!(c.is_success());
    for good in ["2.0.0", "4.4.7", "5.7.11", "5.999.999", "4.0.10"] {
        let c: EnhancedStatusCode = good.parse().unwrap();
        assert_eq!(c.to_string(), good);
    }
    // Class must be 2, 4 or 5; sub-codes 1-3 digits without leading zeros;
    // no white space.
    for bad in [
        "3.0.0", "1.1.1", "2.1", "2..1", "2.1.", "2.1.1.", "2.1000.1", "2.1.1000", "2.01.1",
        "2.1.00", " 2.1.1", "2. 1.1", "2.1.1 ", "", "2", "25.1.1",
    ] {
        assert!(
            bad.parse::<EnhancedStatusCode>().is_err(),
            "{bad:?} should be rejected"
        );
    }
    let e = EnhancedStatusCode::parse(b"5.1.1x").unwrap_err();
    assert_eq!((e.offset, e.found), (5, Found::Byte(b'x')));
}

// ---------------------------------------------------------------------------
// Real transcripts

const POSTFIX_EHLO: &[u8] = b"250-mail.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n\
    250-VRFY\r\n250-ETRN\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n\
    250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n";

#[test]
fn postfix_ehlo() {
    let e = ehlo(POSTFIX_EHLO);
    assert_eq!(e.domain(), "mail.example.com");
    assert_eq!(e.greeting(), None);
    assert_eq!(
        e.capabilities(),
        &[
            Capability::Pipelining,
            Capability::Size(Some(10_240_000)),
            Capability::Vrfy,
            Capability::Etrn,
            Capability::StartTls,
            Capability::EnhancedStatusCodes,
            Capability::EightBitMime,
            Capability::Dsn,
            Capability::SmtpUtf8,
            Capability::Chunking,
        ]
    );
    assert!(e.supports_pipelining() && e.supports_starttls() && e.supports_chunking());
    assert!(e.supports_smtputf8() && !e.supports_binarymime() && !e.supports_requiretls());
    assert_eq!(e.max_size(), Some(10_240_000));
    assert_eq!(e.auth_mechanisms().count(), 0);
    assert_eq!(e.to_bytes(), POSTFIX_EHLO);
    assert_eq!(e.to_reply().to_bytes(), POSTFIX_EHLO);
    assert_eq!(e.clone().into_owned(), e);
}

#[test]
fn postfix_broken_sasl_auth_clients() {
    // Postfix with broken_sasl_auth_clients = yes also sends the old form.
    let input =
        b"250-smtp.example.net\r\n250-AUTH PLAIN LOGIN\r\n250-AUTH=PLAIN LOGIN\r\n250 8BITMIME\r\n";
    let e = ehlo(input);
    assert_eq!(
        e.capabilities()[0],
        Capability::Auth(vec![Mechanism::Plain, Mechanism::Login])
    );
    let Capability::Unknown { keyword, params } = &e.capabilities()[1] else {
        panic!("the AUTH= form is kept raw")
    };
    assert_eq!(keyword.as_str(), "AUTH=PLAIN");
    assert!(!keyword.is_rfc5321());
    assert_eq!(params.len(), 1);
    assert_eq!(params[0].as_bytes(), b"LOGIN");
    // Only the RFC 4954 line feeds the mechanism list.
    assert_eq!(e.auth_mechanisms().count(), 2);
    assert_eq!(e.to_bytes(), input);
}

#[test]
fn gmail_ehlo_and_rejection() {
    let input = b"250-smtp.gmail.com at your service, [203.0.113.5]\r\n250-SIZE 35882577\r\n\
        250-8BITMIME\r\n250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH\r\n\
        250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n";
    let e = ehlo(input);
    assert_eq!(e.domain(), "smtp.gmail.com");
    assert_eq!(e.greeting(), Some(&b"at your service, [203.0.113.5]"[..]));
    assert_eq!(e.max_size(), Some(35_882_577));
    let mechs: Vec<&str> = e.auth_mechanisms().map(Mechanism::as_str).collect();
    assert_eq!(
        mechs,
        [
            "LOGIN",
            "PLAIN",
            "XOAUTH2",
            "PLAIN-CLIENTTOKEN",
            "OAUTHBEARER",
            "XOAUTH"
        ]
    );
    assert!(e.supports_auth(&Mechanism::XOAuth2));
    assert!(!e.supports_auth(&Mechanism::new("CRAM-MD5").unwrap()));
    assert_eq!(e.to_bytes(), input);

    // Gmail pads the last line of this rejection with two spaces: kept.
    let reject =
        b"550-5.7.1 [203.0.113.5] The IP you're using to send mail is not authorized to\r\n\
        550-5.7.1 send email directly to our servers. Please use the SMTP relay at your\r\n\
        550-5.7.1 service provider instead. For more information, go to\r\n\
        550 5.7.1  https://support.google.com/mail/?p=NotAuthorizedError x1si2 - gsmtp\r\n";
    let r = all_replies(reject);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].line_count(), 4);
    assert_eq!(
        r[0].last_line().message(),
        b" https://support.google.com/mail/?p=NotAuthorizedError x1si2 - gsmtp"
    );
    assert_eq!(
        r[0].enhanced_code(),
        Some(EnhancedStatusCode::NOT_AUTHORIZED)
    );
}

#[test]
fn exim_ehlo_with_limits() {
    let input = b"250-mail.example.net Hello client.example.org [192.0.2.7]\r\n\
        250-SIZE 52428800\r\n250-LIMITS MAILMAX=1000 RCPTMAX=50000\r\n250-8BITMIME\r\n\
        250-PIPELINING\r\n250-PIPECONNECT\r\n250-AUTH PLAIN LOGIN\r\n250-CHUNKING\r\n\
        250-STARTTLS\r\n250-PRDR\r\n250 HELP\r\n";
    let e = ehlo(input);
    assert_eq!(e.mail_max(), Some(1000));
    assert_eq!(e.rcpt_max(), Some(50000));
    assert_eq!(e.rcpt_domain_max(), None);
    assert!(e.supports("pipeconnect") && e.supports("PRDR"));
    assert!(matches!(
        e.capability("PRDR"),
        Some(Capability::Unknown { params, .. }) if params.is_empty()
    ));
    assert_eq!(e.to_bytes(), input);
}

#[test]
fn rfc9422_example_and_limit_errors() {
    let input = b"250-mail.example.com\r\n250-SMTPUTF8\r\n250-LIMITS RCPTMAX=20 MAILMAX=5\r\n\
        250-SIZE 100000000\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n\
        250-CHUNKING\r\n250 STARTTLS\r\n";
    let e = ehlo(input);
    assert_eq!((e.rcpt_max(), e.mail_max()), (Some(20), Some(5)));
    let limits: Vec<&str> = e.limits().map(Limit::name).collect();
    assert_eq!(limits, ["RCPTMAX", "MAILMAX"]);
    assert_eq!(e.to_bytes(), input);

    // Section 3.7: a bad value of one limit ignores that limit only.
    let e = ehlo(b"250-x\r\n250 LIMITS MAILMAX=0 RCPTMAX=1000000 RCPTDOMAINMAX=7 FOO BAR=x\r\n");
    assert_eq!(
        (e.mail_max(), e.rcpt_max(), e.rcpt_domain_max()),
        (None, None, Some(7))
    );
    assert_eq!(e.limits().count(), 5);
    assert_eq!(
        e.to_bytes(),
        b"250-x\r\n250 LIMITS MAILMAX=0 RCPTMAX=1000000 RCPTDOMAINMAX=7 FOO BAR=x\r\n"
    );
    // A basic syntax error ignores the whole LIMITS line (kept raw).
    let e = ehlo(b"250-x\r\n250 LIMITS MAILMAX=5 BAD;NAME\r\n");
    assert_eq!(e.mail_max(), None);
    assert!(e.supports("LIMITS"));
    assert!(matches!(e.capabilities()[0], Capability::Unknown { .. }));
}

#[test]
fn exchange_ehlo() {
    let input = b"250-EX01.contoso.com Hello [192.0.2.1]\r\n250-SIZE 37748736\r\n\
        250-PIPELINING\r\n250-DSN\r\n250-ENHANCEDSTATUSCODES\r\n250-STARTTLS\r\n\
        250-X-ANONYMOUSTLS\r\n250-AUTH NTLM\r\n250-X-EXPS GSSAPI NTLM\r\n250-8BITMIME\r\n\
        250-BINARYMIME\r\n250-CHUNKING\r\n250 XRDST\r\n";
    let e = ehlo(input);
    assert_eq!(e.domain(), "EX01.contoso.com");
    assert!(e.supports_binarymime());
    let Some(Capability::Unknown { params, .. }) = e.capability("x-exps") else {
        panic!()
    };
    let params: Vec<&[u8]> = params.iter().map(EhloParam::as_bytes).collect();
    assert_eq!(params, [&b"GSSAPI"[..], b"NTLM"]);
    assert_eq!(e.to_bytes(), input);
}

#[test]
fn other_extensions() {
    let e = ehlo(
        b"250-submit.example.com\r\n250-MT-PRIORITY MIXER\r\n\
          250-FUTURERELEASE 604800 2030-12-31T23:59:59Z\r\n250-DELIVERBY 240\r\n\
          250-REQUIRETLS\r\n250 EXPN\r\n",
    );
    assert_eq!(
        e.mt_priority().map(|p| p.map(PriorityProfile::as_str)),
        Some(Some("MIXER"))
    );
    let (interval, until) = e.future_release().unwrap();
    assert_eq!(
        (interval, until.as_str()),
        (604_800, "2030-12-31T23:59:59Z")
    );
    assert_eq!(e.deliver_by(), Some(Some(240)));
    assert!(e.supports_requiretls() && e.supports("expn"));

    let e = ehlo(b"250-x\r\n250-MT-PRIORITY\r\n250-DELIVERBY\r\n250 SIZE\r\n");
    assert_eq!(e.mt_priority(), Some(None));
    assert_eq!(e.deliver_by(), Some(None));
    assert_eq!(e.max_size(), None);
    assert!(e.capabilities().contains(&Capability::Size(None)));
    assert_eq!(
        e.to_bytes(),
        b"250-x\r\n250-MT-PRIORITY\r\n250-DELIVERBY\r\n250 SIZE\r\n"
    );
}

#[test]
fn keywords_are_case_insensitive_and_typed_forms_canonical() {
    let e = ehlo(b"250-mx.example.org\r\n250-pipelining\r\n250-Size 0100\r\n250-auth plain cram-md5\r\n250 8bitmime\r\n");
    assert!(e.supports_pipelining() && e.supports_8bitmime());
    assert_eq!(e.max_size(), Some(100));
    assert!(e.supports_auth(&Mechanism::new("CRAM-MD5").unwrap()));
    assert_eq!(
        e.to_bytes(),
        b"250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 100\r\n250-AUTH PLAIN CRAM-MD5\r\n250 8BITMIME\r\n"
    );
    // SIZE 0: advertised, but no fixed maximum.
    assert_eq!(ehlo(b"250-x\r\n250 SIZE 0\r\n").max_size(), None);
}

#[test]
fn malformed_known_capabilities_are_kept_raw() {
    for line in [
        &b"SIZE abc"[..],
        b"SIZE 99999999999999999999999",
        b"SIZE 1 2",
        b"SIZE ",
        b"PIPELINING yes",
        b"AUTH ",
        b"AUTH PLAIN  LOGIN",
        b"AUTH PL@IN",
        b"DELIVERBY 30,foo",
        b"MT-PRIORITY a_very_long_profile_name_x",
        b"FUTURERELEASE 100",
        b"FUTURERELEASE x 2030-12-31T23:59:59Z",
        b"FUTURERELEASE 100 tomorrow",
        b"LIMITS MAILMAX=5 ",
    ] {
        let cap = Capability::parse(line).unwrap();
        assert!(
            matches!(cap, Capability::Unknown { .. }),
            "{:?} should be Unknown, got {cap:?}",
            String::from_utf8_lossy(line)
        );
        assert_eq!(cap.to_bytes(), line, "byte-exact re-encoding");
    }
}

#[test]
fn ehlo_rejections() {
    assert_eq!(
        EhloResponse::parse(b"502 5.5.1 EHLO not implemented\r\n"),
        Err(EhloError::NotOk(ReplyCode::NOT_IMPLEMENTED))
    );
    assert!(matches!(
        EhloResponse::parse(b"250\r\n"),
        Err(EhloError::Syntax { line: 0, .. })
    ));
    assert!(matches!(
        EhloResponse::parse(b"250  mail.example.com\r\n"),
        Err(EhloError::Syntax { line: 0, .. })
    ));
    assert!(matches!(
        EhloResponse::parse(b"250-x\r\n250-PIPELINING\r\n250-\r\n250 DSN\r\n"),
        Err(EhloError::Syntax { line: 2, .. })
    ));
    assert!(matches!(
        EhloResponse::parse(b"250-x\r\n250 \xc3\xa9T\xc3\xa9\r\n"),
        Err(EhloError::Syntax { line: 1, .. })
    ));
    assert!(matches!(
        EhloResponse::parse(b"250-x\r\n251 DSN\r\n"),
        Err(EhloError::Reply(ReplyError::CodeMismatch { offset: 7, .. }))
    ));
    assert_eq!(EhloResponse::parse(b"250-x\r\n"), Ok(Status::Incomplete));
}

#[test]
fn ehlo_odd_spacing_is_byte_exact() {
    for input in [
        &b"250-mail.example.com \r\n250 X-A  b \r\n"[..],
        b"250 [192.0.2.1]\r\n",
        b"250-mx Hi  there \r\n250 X-FOO\r\n",
    ] {
        let e = ehlo(input);
        assert_eq!(e.to_bytes(), input);
        assert_eq!(e.to_reply().to_bytes(), input);
    }
}

#[test]
fn ehlo_from_owned_reply() {
    let owned = complete(POSTFIX_EHLO).0.into_owned();
    let e = EhloResponse::from_reply(&owned).unwrap();
    assert_eq!(e, ehlo(POSTFIX_EHLO));
}

#[test]
fn ehlo_builder() {
    let e = EhloResponse::new("mx.example.org")
        .unwrap()
        .with_greeting("Hello client.example [192.0.2.9]")
        .unwrap()
        .with_capability(Capability::Auth(vec![Mechanism::Plain, Mechanism::Login]))
        .with_capability(Capability::Limits(vec![
            Limit::RcptMax(LimitValue::new(100).unwrap()),
            Limit::Other {
                name: LimitName::new("X-FOO").unwrap(),
                value: Some(LimitText::new("a=b").unwrap()),
            },
        ]))
        .with_capability(Capability::FutureRelease {
            max_interval: 604_800,
            max_datetime: ReleaseDateTime::new("2030-12-31T23:59:59Z").unwrap(),
        })
        .with_capability(Capability::Unknown {
            keyword: EhloKeyword::new("XCLIENT").unwrap(),
            params: vec![
                EhloParam::new(&b"NAME"[..]).unwrap(),
                EhloParam::new(&b"ADDR"[..]).unwrap(),
            ],
        });
    let bytes = e.to_bytes();
    assert_eq!(
        bytes,
        b"250-mx.example.org Hello client.example [192.0.2.9]\r\n250-AUTH PLAIN LOGIN\r\n\
          250-LIMITS RCPTMAX=100 X-FOO=a=b\r\n250-FUTURERELEASE 604800 2030-12-31T23:59:59Z\r\n\
          250 XCLIENT NAME ADDR\r\n"
    );
    assert_eq!(ehlo(&bytes), e);
}

// ---------------------------------------------------------------------------
// Reply forms, builders, rejections

#[test]
fn byte_exact_forms() {
    for input in [
        &b"250-2.1.0 Ok\r\n250 2.1.0 Ok\r\n"[..],
        b"250 2.1.0  two spaces\r\n",
        b"250\r\n",
        b"250 \r\n",
        b"250-\r\n250\r\n",
        b"250-\r\n250 \r\n",
        b"220 \xc3\xa9t\xc3\xa9 UTF-8 text\r\n",
        b"220 tab\there\r\n",
        b"421 4.3.2 Service shutting down \r\n",
    ] {
        let (r, n) = complete(input);
        assert_eq!(n, input.len());
        assert_eq!(r.to_bytes(), input);
        assert_eq!(
            r.to_string().replace('\n', "\r\n") + "\r\n",
            String::from_utf8_lossy(input)
        );
    }
    let (r, _) = complete(b"250 2.1.0  two spaces\r\n");
    assert_eq!(r.first_line().message(), b" two spaces");
    let (r, _) = complete(b"250 2.1.0\r\n");
    assert_eq!(r.enhanced_code(), Some(EnhancedStatusCode::SENDER_OK));
    assert_eq!(r.first_line().message(), b"");
    let (r, _) = complete(b"250\r\n");
    assert!(r.is_bare_code());
    assert_ne!(r, complete(b"250 \r\n").0);
}

#[test]
fn builders_refuse_crlf_injection() {
    assert!(matches!(
        Reply::new(ReplyCode::OK, "ok\r\n250 injected"),
        Err(smtp_proto::types::ReplyBuildError::Text { line: 0, .. })
    ));
    assert!(Reply::new(ReplyCode::OK, "bare\nlf").is_err());
    assert!(Reply::new(ReplyCode::OK, "bare\rcr").is_err());
    assert!(Reply::new(ReplyCode::OK, "nul\0").is_err());
    assert!(matches!(
        Reply::multiline(ReplyCode::OK, None, ["a", "b\r\n"]),
        Err(smtp_proto::types::ReplyBuildError::Text { line: 1, .. })
    ));
    assert_eq!(
        Reply::multiline(ReplyCode::OK, None, Vec::<&str>::new()),
        Err(smtp_proto::types::ReplyBuildError::NoLines)
    );
    // RFC 5321 4.5.3.1.5: built lines fit 512 octets.
    let long = "x".repeat(506);
    assert_eq!(
        Reply::new(ReplyCode::OK, long.as_str())
            .unwrap()
            .to_bytes()
            .len(),
        512
    );
    assert!(Reply::new(ReplyCode::OK, "x".repeat(507)).is_err());
    assert!(ReplyText::from_bytes(&b"\xff\xfe"[..]).is_ok());
}

#[test]
fn builder_forms() {
    let r =
        Reply::with_enhanced(ReplyCode::SERVICE_CLOSING, EnhancedStatusCode::OK, "Bye").unwrap();
    assert_eq!(r.to_bytes(), b"221 2.0.0 Bye\r\n");
    let r = Reply::with_enhanced(ReplyCode::OK, EnhancedStatusCode::OK, "").unwrap();
    assert_eq!(r.to_bytes(), b"250 2.0.0\r\n");
    let r = Reply::new(ReplyCode::AUTH_CONTINUE, "").unwrap();
    assert_eq!(r.to_bytes(), b"334\r\n");
    let r = Reply::new(ReplyCode::AUTH_CONTINUE, "VXNlcm5hbWU6").unwrap();
    assert_eq!(r.to_bytes(), b"334 VXNlcm5hbWU6\r\n");
    assert_eq!(complete(&r.to_bytes()).0, r);
}

#[test]
fn reply_codes() {
    for n in 0..=1000u16 {
        let valid = (200..600).contains(&n) && n / 10 % 10 <= 5;
        assert_eq!(ReplyCode::new(n).is_ok(), valid, "{n}");
        if valid {
            let c = code(n);
            assert_eq!(c.to_string().parse::<ReplyCode>(), Ok(c));
            assert_eq!(c.as_u16(), n);
        }
    }
    assert!(ReplyCode::OK.is_positive_completion());
    assert!(ReplyCode::AUTH_CONTINUE.is_intermediate());
    assert!(ReplyCode::LOCAL_ERROR.is_transient() && ReplyCode::LOCAL_ERROR.is_negative());
    assert!(ReplyCode::TRANSACTION_FAILED.is_permanent());
    assert_eq!(ReplyCode::SERVICE_READY.as_u16(), 220);
    assert_eq!(ReplyCode::START_MAIL_INPUT.as_u16(), 354);
    assert_eq!(
        ReplyCode::SERVICE_NOT_AVAILABLE.category(),
        smtp_proto::types::Category::Connections
    );
    assert_eq!(
        ReplyCode::MAILBOX_UNAVAILABLE.severity(),
        smtp_proto::types::Severity::PermanentNegative
    );
    assert!("2500".parse::<ReplyCode>().is_err());
    assert!("25".parse::<ReplyCode>().is_err());
}

#[test]
fn rejections() {
    // The code varies across lines.
    assert_eq!(
        err(b"250-first\r\n251 second\r\n"),
        ReplyError::CodeMismatch {
            offset: 11,
            expected: ReplyCode::OK,
            found: code(251)
        }
    );
    let syntax = |input: &[u8]| match err(input) {
        ReplyError::Syntax(e) => (e.offset, e.found),
        other => panic!("{other:?}"),
    };
    assert_eq!(syntax(b"600 no\r\n"), (0, Found::Byte(b'6')));
    assert_eq!(syntax(b"100 no\r\n"), (0, Found::Byte(b'1')));
    assert_eq!(syntax(b"260 no\r\n"), (1, Found::Byte(b'6')));
    assert_eq!(syntax(b"2a0 no\r\n"), (1, Found::Byte(b'a')));
    assert_eq!(syntax(b"25\r\n"), (2, Found::Byte(b'\r')));
    assert_eq!(syntax(b"2500 no\r\n"), (3, Found::Byte(b'0')));
    assert_eq!(syntax(b"250\tno\r\n"), (3, Found::Byte(b'\t')));
    assert_eq!(syntax(b"\r\n"), (0, Found::Byte(b'\r')));
    // Bare LF (this is the framing an attacker would smuggle with).
    assert_eq!(syntax(b"250 ok\n"), (6, Found::Byte(b'\n')));
    assert_eq!(syntax(b"250-a\r\n250 ok\n"), (13, Found::Byte(b'\n')));
    // CR and NUL inside text.
    assert_eq!(syntax(b"250 a\rb\r\n"), (5, Found::Byte(b'\r')));
    assert_eq!(syntax(b"250 a\r\r\n"), (5, Found::Byte(b'\r')));
    assert_eq!(syntax(b"250 a\0b\r\n"), (5, Found::Byte(0)));
    assert_eq!(syntax(b"250-a\r\n250 \0\r\n"), (11, Found::Byte(0)));
    // A second line with a broken code.
    assert_eq!(syntax(b"250-a\r\n25x\r\n"), (9, Found::Byte(b'x')));
}

#[test]
fn leniency_options() {
    let lf = ReplyOptions {
        allow_bare_lf: true,
        ..ReplyOptions::default()
    };
    let Ok(Status::Complete(r, n)) = Reply::parse_with(b"250-a\n250-b\r\n250 c\nnext", &lf) else {
        panic!()
    };
    assert_eq!(n, 19);
    assert_eq!(r.text_lossy(), "a\nb\nc");
    assert_eq!(r.to_bytes(), b"250-a\r\n250-b\r\n250 c\r\n");
    // Bare CR is never accepted.
    assert!(Reply::parse_with(b"250 a\rb\n", &lf).is_err());

    let strict = ReplyOptions {
        strict_text: true,
        ..ReplyOptions::default()
    };
    assert!(Reply::parse_with(b"250 plain ascii\tok\r\n", &strict).is_ok());
    let ReplyError::Syntax(e) = err_with(b"250 caf\xc3\xa9\r\n", &strict) else {
        panic!()
    };
    assert_eq!(e.offset, 7);
    assert!(err_with(b"250 bell\x07\r\n", &strict).offset() == Some(8));
    assert!(Reply::parse(b"250 caf\xc3\xa9 bell\x07\r\n").is_ok());
}

fn limited(max_line_len: usize, max_lines: usize, max_bytes: usize) -> ReplyOptions {
    ReplyOptions {
        limits: ReplyLimits {
            max_line_len,
            max_lines,
            max_bytes,
        },
        ..ReplyOptions::default()
    }
}

#[test]
fn limits() {
    let limit = |input: &[u8], o: &ReplyOptions| match Reply::parse_with(input, o) {
        Err(ReplyError::Limit(LimitError { limit, .. })) => limit,
        other => panic!("{other:?}"),
    };
    let o = limited(10, 3, 25);
    // "250 abcde\r\n" is 11 bytes: one too many.
    assert!(Reply::parse_with(b"250 abcd\r\n", &o).is_ok());
    assert_eq!(limit(b"250 abcde\r\n", &o), "max_line_len");
    // An unfinished line is refused as soon as it cannot fit.
    assert_eq!(Reply::parse_with(b"250 abcde", &o), Ok(Status::Incomplete));
    assert_eq!(limit(b"250 abcdef", &o), "max_line_len");
    // A third continuation line means a fourth line.
    assert_eq!(limit(b"250-a\r\n250-b\r\n250-c\r\n", &o), "max_lines");
    assert!(Reply::parse_with(b"250-a\r\n250-b\r\n250 c\r\n", &o).is_ok());
    // Bytes: 3 lines of 9 bytes = 27 > 25.
    assert_eq!(
        limit(b"250-abc\r\n250-abc\r\n250 abc\r\n", &limited(10, 5, 25)),
        "max_bytes"
    );
    assert_eq!(limit(b"250 a\r\n", &limited(10, 0, 25)), "max_lines");

    let d = ReplyLimits::default();
    assert_eq!(
        (d.max_line_len, d.max_lines, d.max_bytes),
        (4096, 1000, 65536)
    );
    // A 512-byte line (the RFC maximum) and a 4096-byte line pass by default.
    let mut line = b"250 ".to_vec();
    line.resize(4094, b'x');
    line.extend_from_slice(b"\r\n");
    assert!(Reply::parse(&line).is_ok());
    line.insert(5, b'x');
    assert!(matches!(Reply::parse(&line), Err(ReplyError::Limit(_))));
}

#[test]
fn parser_is_linear_on_byte_by_byte_input() {
    // 1000 lines of 60 bytes fed one byte at a time: quadratic rescanning
    // would be ~1.8e9 byte visits; linear is ~6e4.
    let mut input = Vec::new();
    for i in 0..999 {
        input.extend_from_slice(format!("250-line {i:04} {}\r\n", "x".repeat(45)).as_bytes());
    }
    input.extend_from_slice(b"250 end\r\n");
    let mut parser = ReplyParser::new();
    let start = std::time::Instant::now();
    for end in 1..input.len() {
        assert_eq!(parser.parse(&input[..end]), Ok(Status::Incomplete));
    }
    let Ok(Status::Complete(r, n)) = parser.parse(&input) else {
        panic!()
    };
    assert_eq!((r.line_count(), n), (1000, input.len()));
    assert!(start.elapsed().as_secs() < 5, "took {:?}", start.elapsed());
}

#[test]
fn parser_restarts_on_a_shorter_buffer() {
    let mut p = ReplyParser::new();
    assert_eq!(p.parse(b"250-a\r\n250-b\r\n"), Ok(Status::Incomplete));
    // Misuse: a different, shorter buffer. No panic; it starts over.
    assert!(matches!(p.parse(b"221 x\r\n"), Ok(Status::Complete(r, 7)) if r.code() == code(221)));
    p.reset();
    assert_eq!(p.options(), &ReplyOptions::default());
}

// ---------------------------------------------------------------------------
// Property tests

fn text_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        any::<u8>().prop_filter("no CR LF NUL", |b| !matches!(b, b'\r' | b'\n' | 0)),
        0..40,
    )
}

fn reply_code() -> impl Strategy<Value = ReplyCode> {
    (2u16..=5, 0u16..=5, 0u16..=9).prop_map(|(x, y, z)| code(x * 100 + y * 10 + z))
}

fn enhanced() -> impl Strategy<Value = EnhancedStatusCode> {
    (
        prop_oneof![
            Just(StatusClass::Success),
            Just(StatusClass::PersistentTransientFailure),
            Just(StatusClass::PermanentFailure)
        ],
        0u16..=999,
        0u16..=999,
    )
        .prop_map(|(c, s, d)| EnhancedStatusCode::new(c, s, d).unwrap())
}

fn reply() -> impl Strategy<Value = Reply<'static>> {
    prop_oneof![
        (reply_code(), prop::collection::vec(text_bytes(), 1..6)).prop_map(|(c, lines)| {
            Reply::from_lines(
                c,
                lines.into_iter().map(|l| ReplyText::from_bytes(l).unwrap()),
            )
            .unwrap()
        }),
        (
            reply_code(),
            enhanced(),
            prop::collection::vec("[ -~]{0,30}", 1..4)
        )
            .prop_map(|(c, e, lines)| Reply::multiline(c, Some(e), lines).unwrap()),
    ]
}

/// Wire bytes of a valid reply, including forms builders do not produce
/// (`xyz SP` with empty text).
fn reply_wire() -> impl Strategy<Value = Vec<u8>> {
    (
        reply_code(),
        prop::collection::vec(text_bytes(), 0..5),
        prop::option::of(text_bytes()),
    )
        .prop_map(|(c, cont, last)| {
            let digits = c.digits();
            let mut out = Vec::new();
            for l in cont {
                out.extend_from_slice(&digits);
                out.push(b'-');
                out.extend_from_slice(&l);
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(&digits);
            if let Some(l) = last {
                out.push(b' ');
                out.extend_from_slice(&l);
            }
            out.extend_from_slice(b"\r\n");
            out
        })
}

fn mechanism() -> impl Strategy<Value = Mechanism<'static>> {
    "[A-Za-z0-9_-]{1,20}".prop_map(|s| Mechanism::parse(s.as_bytes()).unwrap().into_owned())
}

fn limit() -> impl Strategy<Value = Limit<'static>> {
    let value = (1u32..=999_999).prop_map(|v| LimitValue::new(v).unwrap());
    prop_oneof![
        value.clone().prop_map(Limit::MailMax),
        value.clone().prop_map(Limit::RcptMax),
        value.prop_map(Limit::RcptDomainMax),
        ("X[A-Za-z0-9_-]{0,8}", prop::option::of("[!-:<-~]{1,8}")).prop_map(|(n, v)| {
            Limit::Other {
                name: LimitName::new(n).unwrap(),
                value: v.map(|v| LimitText::new(v).unwrap()),
            }
        }),
    ]
}

fn date_time() -> impl Strategy<Value = ReleaseDateTime<'static>> {
    (
        0u32..=9999,
        1u32..=12,
        1u32..=31,
        0u32..=23,
        0u32..=59,
        0u32..=60,
        prop::option::of("[0-9]{1,6}"),
        prop_oneof![
            Just("Z".to_string()),
            (0u32..=23, 0u32..=59).prop_map(|(h, m)| format!("-{h:02}:{m:02}"))
        ],
    )
        .prop_map(|(y, mo, d, h, mi, s, frac, off)| {
            let frac = frac.map(|f| format!(".{f}")).unwrap_or_default();
            ReleaseDateTime::new(format!(
                "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{frac}{off}"
            ))
            .unwrap()
        })
}

fn param() -> impl Strategy<Value = EhloParam<'static>> {
    prop::collection::vec(
        any::<u8>().prop_filter("param byte", |b| !matches!(b, b' ' | b'\r' | b'\n' | 0)),
        0..10,
    )
    .prop_map(|p| EhloParam::new(p).unwrap())
}

fn capability() -> impl Strategy<Value = Capability<'static>> {
    prop_oneof![
        Just(Capability::Pipelining),
        prop::option::of(any::<u64>()).prop_map(Capability::Size),
        Just(Capability::EightBitMime),
        Just(Capability::BinaryMime),
        Just(Capability::Chunking),
        Just(Capability::Dsn),
        Just(Capability::SmtpUtf8),
        Just(Capability::StartTls),
        prop::collection::vec(mechanism(), 0..5).prop_map(Capability::Auth),
        Just(Capability::EnhancedStatusCodes),
        Just(Capability::RequireTls),
        prop::option::of("[A-Za-z0-9._-]{1,20}")
            .prop_map(|p| Capability::MtPriority(p.map(|p| PriorityProfile::new(p).unwrap()))),
        (any::<u64>(), date_time()).prop_map(|(max_interval, max_datetime)| {
            Capability::FutureRelease {
                max_interval,
                max_datetime,
            }
        }),
        prop::option::of(any::<u64>()).prop_map(Capability::DeliverBy),
        prop::collection::vec(limit(), 0..4).prop_map(Capability::Limits),
        Just(Capability::Vrfy),
        Just(Capability::Etrn),
        Just(Capability::Help),
        Just(Capability::Expn),
        (
            "[Xx]-[A-Za-z0-9=-]{1,10}",
            prop::collection::vec(param(), 0..4)
        )
            .prop_map(|(k, params)| Capability::Unknown {
                keyword: EhloKeyword::new(k).unwrap(),
                params,
            }),
    ]
}

fn ehlo_response() -> impl Strategy<Value = EhloResponse<'static>> {
    (
        "[a-z0-9-]{1,10}(\\.[a-z0-9-]{1,10}){0,3}|\\[192\\.0\\.2\\.[0-9]{1,3}\\]",
        prop::option::of("[ -~]{0,30}"),
        prop::collection::vec(capability(), 0..12),
    )
        .prop_map(|(domain, greeting, caps)| {
            let mut e = EhloResponse::new(domain).unwrap();
            if let Some(g) = greeting {
                e = e.with_greeting(g).unwrap();
            }
            for c in caps {
                e.push(c);
            }
            e
        })
}

#[derive(Debug, PartialEq)]
enum Event {
    Reply(Reply<'static>, usize),
    Error(ReplyError),
}

/// Feeds `input` cut at `cuts` into one parser, as a connection would.
fn run(input: &[u8], cuts: &[usize], options: ReplyOptions) -> Vec<Event> {
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (input.len() + 1)).collect();
    cuts.push(input.len());
    cuts.sort_unstable();
    let mut parser = ReplyParser::with_options(options);
    let mut buf = Vec::new();
    let mut events = Vec::new();
    let mut pos = 0;
    for cut in cuts {
        buf.extend_from_slice(&input[pos..cut]);
        pos = cut;
        loop {
            match parser.parse(&buf) {
                Ok(Status::Complete(r, n)) => {
                    events.push(Event::Reply(r.into_owned(), n));
                    buf.drain(..n);
                }
                Ok(Status::Incomplete) => break,
                Err(e) => {
                    events.push(Event::Error(e));
                    return events;
                }
            }
        }
    }
    events
}

/// A stream of replies with some noise mixed in.
fn stream() -> impl Strategy<Value = Vec<u8>> {
    let line = (
        prop::sample::select(vec![&b"250"[..], b"251", b"550"]),
        prop::sample::select(&b"- "[..]),
        "[ -~]{0,8}",
    )
        .prop_map(|(c, sep, text)| [c, &[sep], text.as_bytes(), b"\r\n"].concat());
    let piece = prop_oneof![
        4 => reply_wire(),
        3 => line,
        1 => prop::collection::vec(
            prop::sample::select(&b"250 -\r\n\0xA5"[..]),
            0..12
        ),
    ];
    prop::collection::vec(piece, 0..6).prop_map(|p| p.concat())
}

fn options() -> impl Strategy<Value = ReplyOptions> {
    (
        1usize..60,
        0usize..8,
        1usize..200,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(max_line_len, max_lines, max_bytes, allow_bare_lf, strict_text)| ReplyOptions {
                limits: ReplyLimits {
                    max_line_len,
                    max_lines,
                    max_bytes,
                },
                allow_bare_lf,
                strict_text,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn reply_roundtrip(r in reply()) {
        let bytes = r.to_bytes();
        prop_assert_eq!(bytes.len(), r.encoded_len());
        let (parsed, n) = complete(&bytes);
        prop_assert_eq!(n, bytes.len());
        prop_assert_eq!(&parsed, &r);
        prop_assert_eq!(parsed.into_owned(), r);
    }

    #[test]
    fn wire_roundtrip(bytes in reply_wire()) {
        let (r, n) = complete(&bytes);
        prop_assert_eq!(n, bytes.len());
        prop_assert_eq!(r.to_bytes(), bytes);
    }

    #[test]
    fn enhanced_roundtrip(c in enhanced()) {
        let s = c.to_string();
        prop_assert_eq!(s.len(), c.encoded_len());
        prop_assert_eq!(EnhancedStatusCode::parse(s.as_bytes()), Ok(c));
        let r = Reply::with_enhanced(ReplyCode::OK, c, "text").unwrap();
        prop_assert_eq!(r.enhanced_code(), Some(c));
        prop_assert_eq!(r.first_line().message(), b"text");
    }

    #[test]
    fn ehlo_roundtrip(e in ehlo_response()) {
        let bytes = e.to_bytes();
        prop_assert_eq!(&e.to_reply().to_bytes(), &bytes);
        let (reply, _) = complete(&bytes);
        let parsed = EhloResponse::from_reply(&reply).unwrap();
        prop_assert_eq!(&parsed, &e);
        let owned = EhloResponse::from_reply(&reply.clone().into_owned()).unwrap();
        prop_assert_eq!(owned, e);
    }

    #[test]
    fn chunk_split_invariance(
        input in stream(),
        cuts in prop::collection::vec(any::<usize>(), 0..8),
        opts in prop_oneof![Just(ReplyOptions::default()), options()],
    ) {
        let whole = run(&input, &[], opts);
        prop_assert_eq!(run(&input, &cuts, opts), whole);
    }

    #[test]
    fn byte_by_byte_matches_whole(input in stream(), opts in options()) {
        let every: Vec<usize> = (0..input.len()).collect();
        prop_assert_eq!(run(&input, &every, opts), run(&input, &[], opts));
    }

    #[test]
    fn no_panic_and_parsed_replies_reencode(input in prop::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(Status::Complete(r, n)) = Reply::parse(&input) {
            prop_assert_eq!(r.to_bytes(), &input[..n]);
        }
        if let Ok(Status::Complete(e, _)) = EhloResponse::parse(&input) {
            let again = e.to_bytes();
            prop_assert_eq!(ehlo(&again), e);
        }
        let _ = Capability::parse(&input);
        let _ = EnhancedStatusCode::parse(&input);
        let _ = ReplyCode::parse(&input);
        let _ = run(&input, &[3, 17, 40], ReplyOptions { allow_bare_lf: true, ..ReplyOptions::default() });
    }

    #[test]
    fn no_panic_on_reply_like_bytes(input in stream(), opts in options()) {
        if let Ok(Status::Complete(r, n)) = Reply::parse_with(&input, &opts) {
            if !opts.allow_bare_lf {
                prop_assert_eq!(r.to_bytes(), &input[..n]);
            }
            let _ = EhloResponse::from_reply(&r);
        }
    }

    #[test]
    fn ehlo_lines_reencode_exactly_when_unknown(line in prop::collection::vec(
        prop::sample::select(&b"AaZz09-= \x80~SIZEAUTHLIMITS"[..]), 1..30)
    ) {
        if let Ok(cap) = Capability::parse(&line) {
            let bytes = cap.to_bytes();
            if matches!(cap, Capability::Unknown { .. }) {
                prop_assert_eq!(&bytes, &line);
            }
            prop_assert_eq!(Capability::parse(&bytes).map(Capability::into_owned), Ok(cap.into_owned()));
        }
    }
}

#[test]
fn borrowed_text_stays_borrowed() {
    // Replies built from borrowed text stay borrowed.
    let input = String::from("250 dynamic text\r\n");
    let (r, _) = complete(input.as_bytes());
    let text = r.first_line().as_bytes();
    assert!(std::ptr::eq(text.as_ptr(), input.as_bytes()[4..].as_ptr()));
    let r = Reply::new(ReplyCode::OK, "static text").unwrap();
    assert!(matches!(r.first_line().as_str(), Some("static text")));
    let t = ReplyText::new(Cow::Borrowed("x")).unwrap();
    assert_eq!(t.as_bytes(), b"x");
}
