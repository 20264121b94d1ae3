//! Content-Type, Content-Disposition, Content-Transfer-Encoding and
//! Content-Language: RFC 2045, 2183 and 2231 examples and real-world values.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use proptest::prelude::*;
use rfc822_message::Limits;
use rfc822_message::header::{
    ContentDisposition, ContentLanguage, ContentTransferEncoding, ContentType, Defects,
    DispositionType, MimeError,
};

#[test]
fn rfc2045_examples() {
    // RFC 2045 section 5.1: these three are equivalent.
    for raw in [
        &b" text/plain; charset=us-ascii (Plain text)"[..],
        b" text/plain; charset=\"us-ascii\"",
        b" TEXT/PLAIN; CHARSET=US-ASCII",
    ] {
        let ct = ContentType::parse(raw).unwrap();
        assert!(ct.is("text", "plain"), "{raw:?}");
        assert!(
            ct.charset()
                .unwrap()
                .as_bytes()
                .eq_ignore_ascii_case(b"us-ascii")
        );
        assert!(ct.defects().is_empty(), "{:?}", ct.defects());
    }
    let ct = ContentType::parse(b" TEXT/PLAIN; CHARSET=US-ASCII").unwrap();
    assert_eq!(ct.main_type(), "TEXT");
    assert_eq!(ct.params()[0].name(), "CHARSET");
}

#[test]
fn rfc2046_boundary() {
    let raw = b" multipart/mixed; \r\n\tboundary=\"simple boundary\"";
    let ct = ContentType::parse(raw).unwrap();
    assert!(ct.is_multipart());
    assert_eq!(ct.boundary(), Some(&b"simple boundary"[..]));
    let ct = ContentType::parse(b" multipart/alternative; boundary=42").unwrap();
    assert_eq!(ct.boundary(), Some(&b"42"[..]));
    // Comments and white space around the slash and the equals sign.
    let ct = ContentType::parse(b" multipart (c) / mixed ; boundary = (x) \"b\"").unwrap();
    assert!(ct.is("multipart", "mixed"));
    assert_eq!(ct.boundary(), Some(&b"b"[..]));
    assert!(ct.defects().is_empty());
}

#[test]
fn message_types() {
    assert!(ContentType::parse(b" message/rfc822").unwrap().is_message());
    assert!(ContentType::parse(b" Message/Global").unwrap().is_message());
    assert!(
        !ContentType::parse(b" message/partial; id=x; number=1")
            .unwrap()
            .is_message()
    );
}

#[test]
fn rfc2231_continuations() {
    // RFC 2231 section 3.
    let raw = b" message/external-body; access-type=URL;\r\n URL*0=\"ftp://\";\r\n URL*1=\"cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar\"";
    let ct = ContentType::parse(raw).unwrap();
    let url = ct.param("url").unwrap();
    assert_eq!(
        url.as_bytes(),
        b"ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar"
    );
    assert_eq!(ct.params().len(), 3);
    assert_eq!(ct.params()[1].name(), "URL*0");
    assert_eq!(ct.param("access-type").unwrap().as_bytes(), b"URL");
}

#[test]
fn rfc2231_charset_language() {
    // RFC 2231 section 4.
    let raw = b" application/x-stuff;\r\n title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A";
    let ct = ContentType::parse(raw).unwrap();
    let t = ct.param("title").unwrap();
    assert_eq!(t.charset(), Some("us-ascii"));
    assert_eq!(t.language(), Some("en-us"));
    assert_eq!(t.as_bytes(), b"This is ***fun***");
    assert_eq!(t.decoded(), "This is ***fun***");
    assert!(t.is_extended());
}

#[test]
fn rfc2231_mixed_sections() {
    // RFC 2231 section 4.1, as printed (without the ';' separators).
    let raw = b" application/x-stuff\r\n title*0*=us-ascii'en'This%20is%20even%20more%20\r\n title*1*=%2A%2A%2Afun%2A%2A%2A%20\r\n title*2=\"isn't it!\"";
    let ct = ContentType::parse(raw).unwrap();
    let t = ct.param("title").unwrap();
    assert_eq!(t.decoded(), "This is even more ***fun*** isn't it!");
    assert_eq!(t.language(), Some("en"));
    assert!(ct.defects().contains(Defects::MISSING_SEMICOLON));
    // Sections out of order.
    let raw = b" text/plain; t*2=c; t*0=a; t*1*=%62";
    assert_eq!(
        ContentType::parse(raw)
            .unwrap()
            .param("t")
            .unwrap()
            .as_bytes(),
        b"abc"
    );
    // A gap ends the value and is reported.
    let ct = ContentType::parse(b" text/plain; t*0=a; t*2=c").unwrap();
    let t = ct.param("t").unwrap();
    assert_eq!(t.as_bytes(), b"a");
    assert!(t.defects().contains(Defects::BAD_RFC2231));
}

#[test]
fn rfc2231_utf8_filename() {
    let raw = b" attachment;\r\n filename*=UTF-8''%C3%A9t%C3%A9%20%E2%82%AC.pdf";
    let cd = ContentDisposition::parse(raw).unwrap();
    assert!(cd.is_attachment());
    assert_eq!(cd.filename().unwrap().decoded(), "été €.pdf");
    // Plain and extended both given: the extended one wins.
    let raw = b" attachment; filename=\"ete.pdf\"; filename*=utf-8''%C3%A9t%C3%A9.pdf";
    let cd = ContentDisposition::parse(raw).unwrap();
    assert_eq!(cd.filename().unwrap().decoded(), "été.pdf");
    // Thunderbird style continuations with a charset.
    let raw = b" attachment;\r\n filename*0*=UTF-8''%E6%97%A5%E6;\r\n filename*1*=%9C%AC.txt";
    let cd = ContentDisposition::parse(raw).unwrap();
    assert_eq!(cd.filename().unwrap().decoded(), "日本.txt");
    // Latin-1 charset.
    let raw = b" attachment; filename*=iso-8859-1'fr'caf%E9.txt";
    let cd = ContentDisposition::parse(raw).unwrap();
    assert_eq!(cd.filename().unwrap().decoded(), "café.txt");
}

#[test]
fn rfc2183_examples() {
    let cd = ContentDisposition::parse(b" inline").unwrap();
    assert!(cd.is_inline());
    let raw = b" attachment; filename=genome.jpeg;\r\n modification-date=\"Wed, 12 Feb 1997 16:29:51 -0500\"";
    let cd = ContentDisposition::parse(raw).unwrap();
    assert_eq!(cd.filename().unwrap().as_bytes(), b"genome.jpeg");
    assert_eq!(
        cd.param("modification-date").unwrap().as_bytes(),
        b"Wed, 12 Feb 1997 16:29:51 -0500"
    );
    assert!(cd.defects().is_empty());
    let cd = ContentDisposition::parse(b" form-data; name=\"f\"; size=1234").unwrap();
    assert_eq!(cd.kind(), &DispositionType::Other("form-data".into()));
    assert_eq!(cd.size(), Some(1234));
    assert!(ContentDisposition::parse(b" ; filename=x").is_err());
}

#[test]
fn real_world_leniency() {
    // Outlook/Gmail: RFC 2047 inside a quoted parameter.
    let raw = b" application/pdf;\r\n name=\"=?UTF-8?B?w6l0w6kucGRm?=\"";
    let ct = ContentType::parse(raw).unwrap();
    let name = ct.param("name").unwrap();
    assert_eq!(name.as_bytes(), b"=?UTF-8?B?w6l0w6kucGRm?=");
    assert_eq!(name.decoded(), "été.pdf");
    // Trailing semicolon.
    let ct = ContentType::parse(b" text/plain; charset=utf-8;").unwrap();
    assert_eq!(ct.params().len(), 1);
    assert!(ct.defects().contains(Defects::EMPTY_PARAMETER));
    // Unquoted value with spaces.
    let ct = ContentType::parse(b" application/octet-stream; name=my file.pdf; x=y").unwrap();
    assert_eq!(ct.param("name").unwrap().as_bytes(), b"my file.pdf");
    assert_eq!(ct.param("x").unwrap().as_bytes(), b"y");
    assert!(ct.defects().contains(Defects::UNQUOTED_SPECIALS));
    // Unquoted value with a slash.
    let ct = ContentType::parse(b" text/plain; name=a/b").unwrap();
    assert_eq!(ct.param("name").unwrap().as_bytes(), b"a/b");
    // Missing semicolon.
    let ct = ContentType::parse(b" text/plain charset=utf-8 format=flowed").unwrap();
    assert_eq!(ct.param("charset").unwrap().as_bytes(), b"utf-8");
    assert_eq!(ct.param("format").unwrap().as_bytes(), b"flowed");
    // Unclosed quote.
    let ct = ContentType::parse(b" text/plain; name=\"abc.txt").unwrap();
    assert_eq!(ct.param("name").unwrap().as_bytes(), b"abc.txt");
    assert!(ct.defects().contains(Defects::UNTERMINATED_QUOTE));
    // Junk parameters are skipped.
    let ct = ContentType::parse(b" text/html; junk; charset=\"x\"").unwrap();
    assert_eq!(ct.param("charset").unwrap().as_bytes(), b"x");
    assert!(ct.defects().contains(Defects::INVALID_PARAMETER));
    // Duplicates: first wins.
    let ct = ContentType::parse(b" text/plain; charset=a; charset=b").unwrap();
    assert_eq!(ct.charset().unwrap().as_bytes(), b"a");
    assert!(ct.defects().contains(Defects::DUPLICATE_PARAMETER));
    // 8-bit UTF-8 in a quoted value (RFC 6532).
    let ct = ContentType::parse(" text/plain; name=\"résumé.txt\"".as_bytes()).unwrap();
    assert_eq!(ct.param("name").unwrap().decoded(), "résumé.txt");
    // Folded unquoted value with a fold in it.
    let ct = ContentType::parse(b" text/plain;\r\n\tcharset=utf-8").unwrap();
    assert!(ct.defects().is_empty());
}

#[test]
fn broken_media_types() {
    assert!(ContentType::parse(b"").is_err());
    assert!(ContentType::parse(b" text").is_err());
    assert!(ContentType::parse(b" text/").is_err());
    assert!(ContentType::parse(b" /plain").is_err());
    assert!(ContentType::parse(b" (unclosed").is_err());
    let e = ContentType::parse(b" text;plain").unwrap_err();
    assert_eq!(e.offset, 5);
    assert_eq!(
        ContentType::text_plain_default()
            .charset()
            .unwrap()
            .as_bytes(),
        b"us-ascii"
    );
}

#[test]
fn param_flood_is_limited() {
    let mut raw = b" text/plain".to_vec();
    for i in 0..100 {
        raw.extend_from_slice(format!("; p{i}=v").as_bytes());
    }
    let limits = Limits::default();
    match ContentType::parse_with(&raw, &limits) {
        Err(MimeError::Limit(e)) => assert_eq!(e.limit, "max_params"),
        other => panic!("{other:?}"),
    }
    assert!(ContentType::parse(&raw).is_err());
    let mut small = Limits::default();
    small.max_params = 2;
    assert!(ContentType::parse_with(b" a/b; x=1; y=2", &small).is_ok());
    assert!(ContentType::parse_with(b" a/b; x=1; y=2; z=3", &small).is_err());
}

#[test]
fn transfer_encoding() {
    use ContentTransferEncoding as C;
    assert_eq!(C::parse(b" base64").unwrap(), C::Base64);
    assert_eq!(
        C::parse(b" Quoted-Printable (qp)").unwrap(),
        C::QuotedPrintable
    );
    assert_eq!(C::parse(b"7BIT").unwrap(), C::SevenBit);
    assert_eq!(C::parse(b" 8bit\r\n ").unwrap(), C::EightBit);
    assert_eq!(C::parse(b" binary").unwrap(), C::Binary);
    assert_eq!(
        C::parse(b" x-uuencode").unwrap(),
        C::Other("x-uuencode".into())
    );
    assert_eq!(C::parse(b" x-uuencode").unwrap().as_str(), "x-uuencode");
    assert!(C::parse(b" ").is_err());
    assert!(C::parse(b" base64 junk").is_err());
}

#[test]
fn content_language() {
    let cl = ContentLanguage::parse(b" en, fr-CA (comment) ,\r\n de").unwrap();
    assert_eq!(cl.tags(), &["en", "fr-CA", "de"]);
    assert!(cl.defects().is_empty());
    assert!(ContentLanguage::parse(b" en; fr").is_err());
    assert!(ContentLanguage::parse(b" ").is_err());
    let cl = ContentLanguage::parse(b" en,,fr").unwrap();
    assert_eq!(cl.tags().len(), 2);
    assert!(cl.defects().contains(Defects::EMPTY_LIST_ELEMENT));
}

#[test]
fn owned_copies() {
    let raw = b" text/plain; name=\"a\\\"b\"".to_vec();
    let ct = ContentType::parse(&raw).unwrap().into_owned();
    drop(raw);
    assert_eq!(ct.param("name").unwrap().as_bytes(), b"a\"b");
    let cd = ContentDisposition::parse(b" attachment; filename=x").unwrap();
    assert_eq!(cd.clone().into_owned(), cd);
}

fn token() -> impl Strategy<Value = String> {
    "[A-Za-z0-9!#$%&'*+.^_`{|}~-]{1,12}"
}

proptest! {
    #[test]
    fn never_panics(raw in proptest::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(ct) = ContentType::parse(&raw) {
            for p in ct.params() {
                let _ = ct.param(p.name()).map(|v| v.decoded().into_owned());
            }
            let _ = ct.boundary();
        }
        if let Ok(cd) = ContentDisposition::parse(&raw) {
            let _ = cd.filename().map(|v| v.decoded().into_owned());
        }
        let _ = ContentTransferEncoding::parse(&raw);
        let _ = ContentLanguage::parse(&raw);
    }

    #[test]
    fn never_panics_on_mime_like(raw in "[ a-z/;=\"*'%0-9\\\\()\r\n\t]{0,80}") {
        if let Ok(ct) = ContentType::parse(raw.as_bytes()) {
            for p in ct.params() {
                let _ = ct.param(p.name()).map(|v| v.decoded().into_owned());
            }
        }
    }

    #[test]
    fn params_roundtrip(
        main in token(), sub in token(),
        params in proptest::collection::vec(("[a-z]{1,8}", "[ -~]{0,20}"), 0..6),
    ) {
        let mut raw = format!(" {main}/{sub}");
        let mut seen = std::collections::HashSet::new();
        let mut expect = Vec::new();
        for (i, (n, v)) in params.iter().enumerate() {
            let name = format!("{n}{i}");
            let quoted: String = v.chars().flat_map(|c| {
                if c == '"' || c == '\\' { vec!['\\', c] } else { vec![c] }
            }).collect();
            raw.push_str(&format!(";\r\n {name}=\"{quoted}\""));
            if seen.insert(name.clone()) { expect.push((name, v.clone())); }
        }
        let ct = ContentType::parse(raw.as_bytes()).unwrap();
        prop_assert_eq!(ct.main_type(), main.as_str());
        prop_assert_eq!(ct.sub_type(), sub.as_str());
        prop_assert!(ct.defects().is_empty());
        for (n, v) in expect {
            let got = ct.param(&n).unwrap();
            prop_assert_eq!(got.as_bytes(), v.as_bytes());
        }
    }
}
