//! Command parsing and encoding: the `C:` lines of RFC 3501 section 6 and
//! RFC 9051 section 6 (plus RFC 4731, RFC 5182, RFC 5258, RFC 6154 ones
//! that RFC 9051 quotes), error tag recovery, limits, raw commands.

use imap_proto::encode::command::IDLE_DONE;
use imap_proto::parse::command::{parse_append_head, parse_append_rest, parse_idle_done};
use imap_proto::parse::framer::{FrameEvent, Framer, FramerLimits, Side};
use imap_proto::types::command::{
    AppendData, FetchAttr, FetchItems, InitialResponse, ListPattern, SearchKey, SearchReturn,
    SectionText, StatusItem, StoreAction,
};
use imap_proto::types::{Flag, LiteralMode, SeqNumber, SequenceSet};
use imap_proto::{
    Command, CommandBody, CommandErrorKind, CommandLimits, CommandOptions, Encode, EncodeOptions,
    Encoder, Fragment,
};

fn enc(c: &Command<'_>, opts: EncodeOptions) -> Vec<u8> {
    let mut e = Encoder::new(opts);
    c.encode(&mut e);
    e.to_bytes()
}

fn line(s: &str) -> Vec<u8> {
    format!("{s}\r\n").into_bytes()
}

/// `C:` lines already in the smallest form: parse and re-encode
/// byte-exact.
const EXACT: &[&str] = &[
    "1001 RENAME X Y",
    "1002 SUBSCRIBE Y",
    "1003 UNSUBSCRIBE X",
    "A001 AUTHENTICATE GSSAPI",
    "A001 NAMESPACE",
    "A001 SELECT INBOX",
    "A002 CREATE \"INBOX.Sent Mail\"",
    "A002 IDLE",
    "A002 SUBSCRIBE #news.comp.mail.mime",
    "A002 UNSUBSCRIBE #news.comp.mail.mime",
    "A003 COPY 2:4 MEETING",
    "A003 CREATE owatagusiam/",
    "A003 FETCH 4 ALL",
    "A003 STORE 2:4 +FLAGS (\\Deleted)",
    "A003 UID EXPUNGE 3000:3002",
    "A004 COPY 2:4 meeting",
    "A004 CREATE \"Sent Mail\"",
    "A004 CREATE owatagusiam/blurdybloop",
    "A005 CREATE \"Delete Items\"",
    "A005 CREATE NonNormalized",
    "A005 FETCH 3 ALL",
    "A005 UID COPY 305:310 meeting",
    "A006 COPY 2 funny",
    "A006 CREATE \"#mh/Deleted Items\"",
    "A007 SELECT funny",
    "A01 AUTHENTICATE EXTERNAL =",
    "A01 AUTHENTICATE PLAIN",
    "A01 LIST \"\" % RETURN (STATUS (MESSAGES UNSEEN))",
    "A01 STARTTLS",
    "A02 CAPABILITY",
    "A02 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" % RETURN (STATUS (MESSAGES))",
    "A023 LOGOUT",
    "A03 AUTHENTICATE PLAIN dGVzdAB0ZXN0AHRlc3Q=",
    "A042 STATUS blurdybloop (UIDNEXT MESSAGES)",
    "A101 LIST \"\" \"\"",
    "A102 LIST #news.comp.mail.misc \"\"",
    "A103 LIST /usr/staff/jones \"\"",
    "A142 SELECT INBOX",
    "A143 SELECT Drafts",
    "A202 EXPUNGE",
    "A202 LIST ~/Mail/ %",
    "A282 SEARCH RETURN (MIN COUNT) FLAGGED",
    "A282 SEARCH RETURN (SAVE) FLAGGED SINCE 1-Feb-1994",
    "A283 FETCH $ (UID INTERNALDATE FLAGS BODY.PEEK[HEADER])",
    "A283 SEARCH RETURN () FLAGGED",
    "A283 SEARCH TEXT \"string not in mailbox\"",
    "A284 SEARCH RETURN (MIN) UNSEEN",
    "A284 SEARCH TEXT \"string not in mailbox\"",
    "A285 UID SEARCH RETURN (MIN MAX) 1:5000",
    "A286 SEARCH RETURN (COUNT) DELETED",
    "A300 SEARCH RETURN (SAVE) SINCE 1-Jan-2004",
    "A301 UID SEARCH $ SMALLER 4096",
    "A301 UID SEARCH UID $ SMALLER 4096",
    "A341 CLOSE",
    "A342 UNSELECT",
    "A442 XPIG-LATIN",
    "A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])",
    "A682 LIST \"\" *",
    "A683 DELETE blurdybloop",
    "A683 RENAME blurdybloop sarasoop",
    "A684 RENAME foo zowie",
    "A685 DELETE foo/bar",
    "A86 LIST \"\" %",
    "A932 EXAMINE blurdybloop",
    "A999 UID FETCH 4827313:4828442 FLAGS",
    "B282 SEARCH RETURN (SAVE) SINCE 1-Feb-1994",
    "C01 CAPABILITY",
    "C282 SEARCH RETURN (ALL) SINCE 12-Feb-2006",
    "C283 SEARCH RETURN (ALL SAVE) SINCE 12-Feb-2006",
    "C284 SEARCH RETURN (SAVE MIN) SINCE 12-Feb-2006",
    "E282 SEARCH RETURN (SAVE) SINCE 28-Oct-2006",
    "E283 COPY $ \"Other Messages\"",
    "F282 SEARCH RETURN (SAVE) KEYWORD $Junk",
    "G283 SEARCH RETURN (ALL) SINCE 28-Oct-2006",
    "Z433 RENAME INBOX old-mail",
    "a UID MOVE 42:69 foo",
    "a001 CAPABILITY",
    "a001 LOGIN SMITH SESAME",
    "a002 NOOP",
    "a002 STARTTLS",
    "a004 AUTHENTICATE PLAIN dGVzdAB0ZXN0AHRlc3Q=",
    "a004 LOGIN joe password",
    "a1 ENABLE CONDSTORE",
    "a1 LIST (REMOTE) \"\" *",
    "a2 LIST () \"\" %",
    "a3 LIST (REMOTE) \"\" %",
    "a3 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" foo RETURN (CHILDREN)",
    "a3.1 LIST \"\" (% music/rock)",
    "t2 ENABLE CONDSTORE X-GOOD-IDEA",
    "A002 LIST (SPECIAL-USE) \"\" *",
    "A003 LSUB #news. comp.%",
    // RFC 3501 section 6 examples not repeated in RFC 9051.
    "A001 LOGIN fred blurdybloop",
    "A223 COPY 3:200 blurdybloop",
    "A222 COPY 1:2 owatagusiam",
    "A443 EXPUNGE",
    "FXXZ CHECK",
    "a047 NOOP",
    "a003 CAPABILITY",
    "a441 CAPABILITY",
    "abcd CAPABILITY",
    "efgh STARTTLS",
    "ijkl CAPABILITY",
];

/// `C:` lines the encoder writes in a smaller form (a pattern or
/// mailbox quoted without need, `.Silent` in lower case, a quoted date):
/// one round trip normalises them, the second is byte-exact.
const NORMALISED: &[(&str, &str)] = &[
    ("A002 LIST \"\" \"#Users/%\"", "A002 LIST \"\" #Users/%"),
    ("A002 LIST \"\" \"~mark/%\"", "A002 LIST \"\" ~mark/%"),
    (
        "A002 LIST (SPECIAL-USE) \"\" \"*\"",
        "A002 LIST (SPECIAL-USE) \"\" *",
    ),
    (
        "A003 LIST (SPECIAL-USE) \"#mh/\" \"*\"",
        "A003 LIST (SPECIAL-USE) #mh/ *",
    ),
    ("A003 LSUB \"#news.\" \"comp.%\"", "A003 LSUB #news. comp.%"),
    ("A01 LIST \"\" \"*\"", "A01 LIST \"\" *"),
    (
        "A02 LIST (SUBSCRIBED) \"\" \"*\"",
        "A02 LIST (SUBSCRIBED) \"\" *",
    ),
    (
        "A03 LIST () \"\" \"%\" RETURN (CHILDREN)",
        "A03 LIST () \"\" % RETURN (CHILDREN)",
    ),
    (
        "A06 LIST (REMOTE) \"\" \"*\" RETURN (SUBSCRIBED)",
        "A06 LIST (REMOTE) \"\" * RETURN (SUBSCRIBED)",
    ),
    (
        "C04 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"%\" RETURN (CHILDREN)",
        "C04 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" % RETURN (CHILDREN)",
    ),
    (
        "D03 LIST (RECURSIVEMATCH SUBSCRIBED) \"\" \"*2\"",
        "D03 LIST (RECURSIVEMATCH SUBSCRIBED) \"\" *2",
    ),
    ("F283 COPY $ \"Junk\"", "F283 COPY $ Junk"),
    (
        "F284 STORE $ +FLAGS.Silent (\\Deleted)",
        "F284 STORE $ +FLAGS.SILENT (\\Deleted)",
    ),
    ("a1 LIST \"\" (\"foo\")", "a1 LIST \"\" foo"),
    (
        "a2 LIST (SUBSCRIBED) \"\" \"foo/*\"",
        "a2 LIST (SUBSCRIBED) \"\" foo/*",
    ),
    (
        "A1 SEARCH SINCE \"01-Feb-1994\"",
        "A1 SEARCH SINCE 1-Feb-1994",
    ),
    ("A1 select inbox", "A1 SELECT INBOX"),
    (
        "C285 SEARCH RETURN (MAX SAVE MIN) SINCE 12-Feb-2006 NOT FROM \"Smith\"",
        "C285 SEARCH RETURN (MAX SAVE MIN) SINCE 12-Feb-2006 NOT FROM Smith",
    ),
    (
        "A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"",
        "A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM Smith",
    ),
    (
        "A002 LSUB \"#news.\" \"comp.mail.*\"",
        "A002 LSUB #news. comp.mail.*",
    ),
    ("A1 FETCH 1 (FLAGS)", "A1 FETCH 1 FLAGS"),
    (
        "A1 STORE 1 FLAGS \\Seen \\Draft",
        "A1 STORE 1 FLAGS (\\Seen \\Draft)",
    ),
];

#[test]
fn rfc_examples_round_trip_byte_exact() {
    for l in EXACT {
        let wire = line(l);
        let cmd = Command::parse(&wire).unwrap_or_else(|e| panic!("{l}: {e}"));
        assert_eq!(
            String::from_utf8_lossy(&enc(&cmd, EncodeOptions::default())),
            String::from_utf8_lossy(&wire)
        );
    }
}

#[test]
fn rfc_examples_normalise_then_round_trip() {
    for (l, norm) in NORMALISED {
        let wire = line(l);
        let cmd = Command::parse(&wire).unwrap_or_else(|e| panic!("{l}: {e}"));
        let once = enc(&cmd, EncodeOptions::default());
        assert_eq!(String::from_utf8_lossy(&once), format!("{norm}\r\n"));
        let again = Command::parse(&once).unwrap();
        assert_eq!(again, cmd);
        assert_eq!(enc(&again, EncodeOptions::default()), once);
    }
}

#[test]
fn rfc_examples_with_literals() {
    // RFC 9051 section 6.4.4: the literal is sent after "+".
    let wire = "A285 SEARCH CHARSET UTF-8 TEXT {12}\r\nотпуск\r\n".as_bytes();
    let cmd = Command::parse(wire).unwrap();
    let CommandBody::Search {
        charset, criteria, ..
    } = &cmd.body
    else {
        panic!()
    };
    assert_eq!(charset.as_ref().unwrap().as_bytes(), b"UTF-8");
    assert_eq!(
        criteria.as_slice(),
        &[SearchKey::Text("отпуск".try_into().unwrap())]
    );
    let mut e = Encoder::new(EncodeOptions::default());
    cmd.encode(&mut e);
    let frags = e.finish();
    assert_eq!(
        frags[0],
        Fragment::Line(b"A285 SEARCH CHARSET UTF-8 TEXT {12}\r\n"[..].into())
    );
    assert_eq!(
        frags[1],
        Fragment::Literal {
            data: "отпуск".as_bytes().to_vec().into(),
            mode: LiteralMode::Sync
        }
    );
    assert_eq!(frags[2], Fragment::Line(b"\r\n"[..].into()));

    // RFC 9051 section 6.4.4.4 with LITERAL+: byte-exact when allowed.
    let wire = "P283 SEARCH CHARSET UTF-8 (OR $ 1,3000:3021) TEXT {8+}\r\nмать\r\n".as_bytes();
    let cmd = Command::parse(wire).unwrap();
    let plus = EncodeOptions {
        literal_plus: true,
        ..EncodeOptions::default()
    };
    assert_eq!(enc(&cmd, plus), wire);
    // Without LITERAL+ it becomes synchronising.
    assert_eq!(
        enc(&cmd, EncodeOptions::default()),
        "P283 SEARCH CHARSET UTF-8 (OR $ 1,3000:3021) TEXT {8}\r\nмать\r\n".as_bytes()
    );

    // RFC 9051 section 6.4.4.4 (B283), a KOI8-R literal.
    // RFC 3501 section 7.5: literals for both LOGIN arguments; the
    // encoder quotes them (smallest form), the second trip is byte-exact.
    let wire = b"A001 LOGIN {11}\r\nFRED FOOBAR {7}\r\nfat man\r\n";
    let cmd = Command::parse(wire).unwrap();
    let once = enc(&cmd, EncodeOptions::default());
    assert_eq!(once, b"A001 LOGIN \"FRED FOOBAR\" \"fat man\"\r\n");
    assert_eq!(Command::parse(&once).unwrap(), cmd);

    // RFC 3501 section 6.4.4.
    let wire = b"A284 SEARCH CHARSET UTF-8 TEXT {6}\r\nXXXXXX\r\n";
    let cmd = Command::parse(wire).unwrap();
    assert_eq!(
        enc(&cmd, EncodeOptions::default()),
        b"A284 SEARCH CHARSET UTF-8 TEXT XXXXXX\r\n"
    );

    let wire = b"B283 SEARCH RETURN (SAVE) CHARSET KOI8-R (OR $ 1,3000:3021) TEXT {4}\r\n\xf0\xd2\xc9\xd7\r\n";
    let cmd = Command::parse(wire).unwrap();
    assert_eq!(enc(&cmd, EncodeOptions::default()), wire);
}

const APPEND_BODY: &str = "Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\r\n\
From: Fred Foobar <foobar@Blurdybloop.example>\r\n\
Subject: afternoon meeting\r\n\
To: mooch@owatagu.siam.edu.example\r\n\
Message-Id: <B27397-0100000@Blurdybloop.example>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\
\r\n\
Hello Joe, do you think we can meet at 3:30 tomorrow?\r\n";

#[test]
fn append_rfc_example() {
    let wire = format!(
        "A003 APPEND saved-messages (\\Seen) {{{}}}\r\n{APPEND_BODY}\r\n",
        APPEND_BODY.len()
    );
    let cmd = Command::parse(wire.as_bytes()).unwrap();
    let CommandBody::Append { mailbox, messages } = &cmd.body else {
        panic!()
    };
    assert_eq!(mailbox.as_bytes(), b"saved-messages");
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].flags, Some(vec![Flag::Seen]));
    assert_eq!(messages[0].data.data(), APPEND_BODY.as_bytes());
    assert_eq!(enc(&cmd, EncodeOptions::default()), wire.as_bytes());
    // The client gets the line first and the data as its own fragment.
    let mut e = Encoder::new(EncodeOptions::default());
    cmd.encode(&mut e);
    let frags = e.finish();
    assert_eq!(frags.len(), 3);
    assert!(frags[0].bytes().ends_with(b"{326}\r\n") || frags[0].bytes().ends_with(b"}\r\n"));
    assert!(matches!(
        frags[1],
        Fragment::Literal {
            mode: LiteralMode::Sync,
            ..
        }
    ));

    // The streamed head gives what a server needs before the data.
    let head = format!(
        "A003 APPEND saved-messages (\\Seen) \"07-Feb-1994 21:52:25 -0800\" {{{}+}}\r\n",
        APPEND_BODY.len()
    );
    let h = parse_append_head(head.as_bytes()).unwrap();
    assert_eq!(h.tag.as_str(), "A003");
    assert_eq!(h.mailbox.as_bytes(), b"saved-messages");
    assert!(h.inline.is_empty());
    assert_eq!(h.streamed.flags, Some(vec![Flag::Seen]));
    let d = h.streamed.date.unwrap();
    assert_eq!(d.date(), (1994, 2, 7));
    assert_eq!(d.time(), (21, 52, 25));
    assert_eq!(d.zone_minutes(), -480);
    assert_eq!(h.streamed.literal.size, APPEND_BODY.len() as u64);
    assert_eq!(h.streamed.literal.mode, LiteralMode::NonSync);
    assert!(!h.streamed.literal.binary);
    let e = parse_append_head(b"A1 APPEND box {5}\r\nhello").unwrap_err();
    assert_eq!(e.tag.unwrap().as_str(), "A1");
}

#[test]
fn multiappend_binary_and_date() {
    let wire =
        b"a APPEND INBOX (\\Seen $X) \" 7-Feb-1994 21:52:25 +0100\" ~{3}\r\na\0b {2+}\r\nhi\r\n";
    let cmd = Command::parse(wire).unwrap();
    let CommandBody::Append { messages, .. } = &cmd.body else {
        panic!()
    };
    assert_eq!(messages.len(), 2);
    assert!(matches!(messages[0].data, AppendData::Literal8(_)));
    assert_eq!(messages[0].data.data(), b"a\0b");
    assert_eq!(messages[0].date.unwrap().zone_minutes(), 60);
    assert_eq!(messages[1].flags, None);
    let plus = EncodeOptions {
        literal_plus: true,
        ..EncodeOptions::default()
    };
    assert_eq!(enc(&cmd, plus), wire);
    // NUL in a plain literal is refused.
    assert!(Command::parse(b"a APPEND INBOX {3}\r\na\0b\r\n").is_err());
}

#[test]
fn fetch_items_and_sections() {
    let wire = line(
        "a UID FETCH 1:*,5 (BODY[] BODY.PEEK[1.2.MIME] BODY[1.HEADER.FIELDS.NOT (X Y)]<0.2048> \
         BINARY.PEEK[1]<10.20> BINARY.SIZE[2] BINARY[] RFC822 RFC822.HEADER RFC822.TEXT \
         RFC822.SIZE ENVELOPE BODY BODYSTRUCTURE MODSEQ BODY[3.TEXT]) (CHANGEDSINCE 12345)",
    );
    let cmd = Command::parse(&wire).unwrap();
    let CommandBody::Fetch {
        uid,
        items: FetchItems::Items(items),
        modifiers,
        ..
    } = &cmd.body
    else {
        panic!()
    };
    assert!(uid);
    assert_eq!(items.len(), 15);
    let FetchAttr::BodySection {
        peek,
        section,
        partial,
    } = &items[2]
    else {
        panic!()
    };
    assert!(!peek);
    assert_eq!(section.part().len(), 1);
    assert!(matches!(
        section.text(),
        Some(SectionText::HeaderFields { not: true, .. })
    ));
    assert_eq!(partial.unwrap().length.get(), 2048);
    assert_eq!(
        modifiers.as_ref().unwrap().as_bytes(),
        b"CHANGEDSINCE 12345"
    );
    assert_eq!(enc(&cmd, EncodeOptions::default()), wire);
    for bad in [
        "a FETCH 1 BODY[MIME]",
        "a FETCH 1 BODY[1.]",
        "a FETCH 1 BODY[0]",
        "a FETCH 1 BODY[]<1.0>",
        "a FETCH 1 ()",
        "a FETCH 1 FOO",
        "a FETCH 0 FLAGS",
        "a FETCH 4294967296 FLAGS",
    ] {
        let e = Command::parse(&line(bad)).unwrap_err();
        assert_eq!(e.tag.unwrap().as_str(), "a", "{bad}");
    }
}

#[test]
fn search_keys() {
    let wire = line(
        "a SEARCH CHARSET UTF-8 ALL ANSWERED BCC x BEFORE 1-Jan-2000 BODY y CC z DELETED DRAFT \
         FLAGGED FROM f HEADER X-A \"\" KEYWORD $K LARGER 9223372036854775807 NEW NOT SEEN OLD \
         ON 31-Dec-1999 OR (SEEN UNSEEN) 1:3 RECENT SENTBEFORE 2-Mar-2001 SENTON 3-Apr-2002 \
         SENTSINCE 4-May-2003 SINCE 5-Jun-2004 SMALLER 1 SUBJECT s TEXT t TO u UID 1,2:* \
         UNANSWERED UNDELETED UNDRAFT UNFLAGGED UNKEYWORD $K UNSEEN OLDER 10 YOUNGER 20 \
         MODSEQ \"/flags/\\\\draft\" all 620162338 MODSEQ 5 *",
    );
    let cmd = Command::parse(&wire).unwrap();
    let CommandBody::Search { criteria, .. } = &cmd.body else {
        panic!()
    };
    assert_eq!(criteria.len(), 39);
    assert_eq!(criteria[0], SearchKey::All);
    assert_eq!(
        criteria.last(),
        Some(&SearchKey::SequenceSet(SequenceSet::single(
            SeqNumber::Largest
        )))
    );
    assert_eq!(enc(&cmd, EncodeOptions::default()), wire);
    assert!(Command::parse(&line("a SEARCH LARGER 9223372036854775808")).is_err());
    assert!(Command::parse(&line("a SEARCH ON 32-Jan-2000")).is_err());
    assert!(Command::parse(&line("a SEARCH ON 1-Foo-2000")).is_err());
    assert!(Command::parse(&line("a SEARCH BOGUS")).is_err());
    assert!(Command::parse(&line("a SEARCH")).is_err());
    assert!(Command::parse(&line("a SEARCH ()")).is_err());
}

#[test]
fn search_return_options() {
    let wire = line("a SEARCH RETURN (MIN MAX ALL COUNT SAVE PARTIAL) ALL");
    let cmd = Command::parse(&wire).unwrap();
    let CommandBody::Search { return_opts, .. } = &cmd.body else {
        panic!()
    };
    let r = return_opts.as_ref().unwrap();
    assert_eq!(r.len(), 6);
    assert_eq!(r[4], SearchReturn::Save);
    assert!(matches!(r[5], SearchReturn::Other(_)));
}

#[test]
fn store_variants() {
    for (l, action, silent) in [
        ("a STORE 1 FLAGS (\\Seen)", StoreAction::Replace, false),
        ("a STORE 1 -FLAGS.SILENT ()", StoreAction::Remove, true),
        (
            "a UID STORE 1:* (UNCHANGEDSINCE 320162338) +FLAGS.SILENT (\\Deleted $Junk)",
            StoreAction::Add,
            true,
        ),
    ] {
        let wire = line(l);
        let cmd = Command::parse(&wire).unwrap();
        let CommandBody::Store {
            action: a,
            silent: s,
            ..
        } = &cmd.body
        else {
            panic!()
        };
        assert_eq!((*a, *s), (action, silent));
        assert_eq!(enc(&cmd, EncodeOptions::default()), wire);
    }
    assert!(Command::parse(&line("a STORE 1 *FLAGS (\\Seen)")).is_err());
}

#[test]
fn status_list_and_misc() {
    let wire = line(
        "a STATUS INBOX (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN DELETED SIZE APPENDLIMIT HIGHESTMODSEQ X-FOO)",
    );
    let cmd = Command::parse(&wire).unwrap();
    let CommandBody::Status { items, .. } = &cmd.body else {
        panic!()
    };
    assert_eq!(items.len(), 10);
    assert_eq!(items[6], StatusItem::Size);
    assert_eq!(enc(&cmd, EncodeOptions::default()), wire);

    for l in [
        "a ID (\"name\" \"sodr\" \"version\" NIL)",
        "a ID NIL",
        "a GETQUOTA \"\"",
        "a GETQUOTAROOT INBOX",
        "a SETQUOTA \"\" (STORAGE 512 MESSAGE 1000)",
        "a SELECT INBOX (CONDSTORE)",
        "a SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))",
        "a EXAMINE \"a b\" (CONDSTORE)",
        "a CREATE Archive (USE (\\Archive))",
        "a LIST (SUBSCRIBED) \"\" (INBOX Drafts) RETURN (SPECIAL-USE CHILDREN STATUS (MESSAGES SIZE))",
        "a CHECK",
        "a MOVE 1:3 Trash",
        "a UID EXPUNGE 1:3,5",
        "a FETCH 1 FAST",
        "a FETCH 1 FULL",
    ] {
        let wire = line(l);
        let cmd = Command::parse(&wire).unwrap_or_else(|e| panic!("{l}: {e}"));
        assert_eq!(
            String::from_utf8_lossy(&enc(&cmd, EncodeOptions::default())),
            l.to_owned() + "\r\n"
        );
        assert_eq!(cmd.clone().into_owned(), cmd);
    }
}

#[test]
fn authenticate_and_login() {
    let wire = line("a AUTHENTICATE plain dGVzdAB0ZXN0AHRlc3Q=");
    let cmd = Command::parse(&wire).unwrap();
    let CommandBody::Authenticate {
        mechanism,
        initial_response,
    } = &cmd.body
    else {
        panic!()
    };
    assert_eq!(mechanism.as_str(), "PLAIN");
    assert_eq!(
        initial_response.as_ref().unwrap().decode().unwrap(),
        b"test\0test\0test"
    );
    assert!(!format!("{cmd:?}").contains("dGVz"));
    let wire = line("a AUTHENTICATE EXTERNAL =");
    let cmd = Command::parse(&wire).unwrap();
    assert!(matches!(
        cmd.body,
        CommandBody::Authenticate {
            initial_response: Some(InitialResponse::Empty),
            ..
        }
    ));
    assert!(InitialResponse::base64("=").is_err());
    assert!(InitialResponse::base64("a b").is_err());
    assert!(InitialResponse::base64("AA==").is_ok());
    assert!(Command::parse(b"a AUTHENTICATE PLAIN ==\r\n").is_err());
    assert!(Command::parse(b"a AUTHENTICATE PL\xffAIN\r\n").is_err());
    let cmd = Command::parse(b"a LOGIN {4}\r\nfred \"p w\\\"d\"\r\n").unwrap();
    let CommandBody::Login { username, password } = &cmd.body else {
        panic!()
    };
    assert_eq!(username.as_bytes(), b"fred");
    assert_eq!(password.expose().as_bytes(), b"p w\"d");
    assert!(!format!("{cmd:?}").contains("p w"));
    assert_eq!(
        enc(&cmd, EncodeOptions::default()),
        b"a LOGIN fred \"p w\\\"d\"\r\n"
    );
}

#[test]
fn idle_done() {
    assert!(parse_idle_done(IDLE_DONE).is_ok());
    assert!(parse_idle_done(b"done\r\n").is_ok());
    assert!(parse_idle_done(b"DONE \r\n").is_err());
    assert!(parse_idle_done(b"a DONE\r\n").is_err());
}

#[test]
fn unknown_commands_are_kept_byte_exact() {
    for wire in [
        &b"A442 XPIG-LATIN\r\n"[..],
        b"a X-CMD foo (bar \"baz)\" {3}\r\nq\r\nx) ~{2}\r\n\0\x01 end\r\n",
        b"a UID XFOO 1:2 bar\r\n",
        b"a GETMETADATA \"\" /shared/comment\r\n",
        b"a X \r\n",
    ] {
        let cmd = Command::parse(wire).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(cmd.body, CommandBody::Other { .. }), "{cmd:?}");
        let plus = EncodeOptions {
            literal_plus: true,
            ..EncodeOptions::default()
        };
        assert_eq!(enc(&cmd, plus), wire);
    }
    let cmd = Command::parse(b"a X-CMD {3}\r\nabc\r\n").unwrap();
    let mut e = Encoder::new(EncodeOptions::default());
    cmd.encode(&mut e);
    let frags = e.finish();
    assert_eq!(frags[0], Fragment::Line(b"a X-CMD {3}\r\n"[..].into()));
    assert!(matches!(frags[1], Fragment::Literal { .. }));
    // Raw text that would end in a literal header cannot be built.
    assert!(imap_proto::types::command::RawArgs::new(&b"x {5}"[..]).is_err());
    assert!(imap_proto::types::command::RawArgs::new(&b"x\r\ny"[..]).is_err());
    assert!(imap_proto::types::command::RawArgs::new(&b"(x"[..]).is_err());
    assert!(imap_proto::types::command::RawArgs::new(&b"x {5}y"[..]).is_ok());
    // A literal length with a leading zero could not be re-encoded as sent.
    assert!(imap_proto::types::command::RawArgs::new(&b"{03}\r\nabc"[..]).is_err());
    assert!(Command::parse(b"a X {03}\r\nabc\r\n").is_err());
}

#[test]
fn errors_recover_the_tag() {
    for (wire, tag, offset) in [
        (&b"a1 FETCH x FLAGS\r\n"[..], Some("a1"), 9),
        (b"a2 LOGIN fred\r\n", Some("a2"), 13),
        (b"a3 NOOP extra\r\n", Some("a3"), 7),
        (b"a4 SELECT INBOX\r\nX\r\n", Some("a4"), 17),
        (b"a5 SELECT INBOX", Some("a5"), 15),
        (b"+ NOOP\r\n", None, 0),
        (b"a6\r\n", Some("a6"), 2),
        (b"a{6 NOOP\r\n", None, 1),
        (b"\r\n", None, 0),
        (b"a7 \r\n", Some("a7"), 3),
        (b"a8 LOGIN \"unterminated\r\n", Some("a8"), 22),
    ] {
        let e = Command::parse(wire).unwrap_err();
        assert_eq!(e.tag.as_ref().map(|t| t.as_str()), tag, "{e}");
        let CommandErrorKind::Syntax(s) = e.kind else {
            panic!("{e:?}")
        };
        assert_eq!(s.offset, offset, "{:?}: {e}", String::from_utf8_lossy(wire));
    }
}

#[test]
fn limits_are_enforced() {
    let deep = format!("a SEARCH {}ALL{}\r\n", "(".repeat(40), ")".repeat(40));
    let e = Command::parse(deep.as_bytes()).unwrap_err();
    assert_eq!(e.tag.unwrap().as_str(), "a");
    assert!(matches!(e.kind, CommandErrorKind::Limit(l) if l.limit == "max_search_depth"));
    let nots = format!("a SEARCH {}ALL\r\n", "NOT ".repeat(40));
    assert!(matches!(
        Command::parse(nots.as_bytes()).unwrap_err().kind,
        CommandErrorKind::Limit(_)
    ));
    let ok = format!("a SEARCH {}ALL{}\r\n", "(".repeat(31), ")".repeat(31));
    assert!(Command::parse(ok.as_bytes()).is_ok());

    let opts = CommandOptions {
        limits: CommandLimits {
            max_list_items: 3,
            ..CommandLimits::default()
        },
        ..CommandOptions::default()
    };
    assert!(Command::parse_with(b"a FETCH 1 (FLAGS UID ENVELOPE)\r\n", opts).is_ok());
    let e = Command::parse_with(b"a FETCH 1 (FLAGS UID ENVELOPE BODY)\r\n", opts).unwrap_err();
    assert!(
        matches!(e.kind, CommandErrorKind::Limit(l) if l.limit == "max_list_items" && l.max == 3)
    );
    let e = Command::parse_with(b"a STORE 1 FLAGS (a b c d)\r\n", opts).unwrap_err();
    assert!(matches!(e.kind, CommandErrorKind::Limit(_)));
}

#[test]
fn list_pattern_forms() {
    let wire = line("a LIST \"\" \"a b%\"");
    let cmd = Command::parse(&wire).unwrap();
    let CommandBody::List { patterns, .. } = &cmd.body else {
        panic!()
    };
    assert_eq!(patterns[0], ListPattern::new(&b"a b%"[..]).unwrap());
    assert_eq!(
        enc(&cmd, EncodeOptions::default()),
        line("a LIST \"\" \"a b%\"")
    );
}

#[test]
fn streamed_multiappend_through_the_framer() {
    // A small message inline, then two streamed ones, then a small one.
    let big1 = vec![b'x'; 100];
    let big2 = vec![b'y'; 200];
    let mut wire = b"a1 APPEND Sent (\\Seen) {3+}\r\nabc (\\Draft) {100+}\r\n".to_vec();
    wire.extend_from_slice(&big1);
    wire.extend_from_slice(b" \"01-Jan-2020 00:00:00 +0000\" ~{200+}\r\n");
    wire.extend_from_slice(&big2);
    wire.extend_from_slice(b" {2+}\r\nhi\r\n");
    let limits = FramerLimits {
        stream_threshold: 50,
        ..FramerLimits::server()
    };
    let mut framer = Framer::new(limits, Side::Server);
    framer.feed(&wire);
    let mut events = Vec::new();
    while let Some(ev) = framer.next_event() {
        events.push(ev.unwrap());
    }
    let mut streamed = Vec::new();
    let mut inline = Vec::new();
    let mut tag = None;
    let mut chunks = Vec::new();
    for ev in &events {
        match ev {
            FrameEvent::MessageStart { head, .. } => {
                let h = parse_append_head(head).unwrap();
                assert_eq!(h.mailbox.as_bytes(), b"Sent");
                inline.extend(h.inline.into_iter().map(|m| m.into_owned()));
                streamed.push(h.streamed.literal.size);
                tag = Some(h.tag.into_owned());
            }
            FrameEvent::LiteralChunk(c) => chunks.extend_from_slice(c),
            FrameEvent::MessageContinue { text, .. } => {
                let r = parse_append_rest(text, tag.as_ref().unwrap(), CommandOptions::default())
                    .unwrap();
                let s = r.streamed.unwrap();
                assert!(s.literal.binary);
                assert_eq!(s.date.unwrap().date(), (2020, 1, 1));
                streamed.push(s.literal.size);
            }
            FrameEvent::MessageEnd(tail) => {
                let r = parse_append_rest(tail, tag.as_ref().unwrap(), CommandOptions::default())
                    .unwrap();
                assert!(r.streamed.is_none());
                inline.extend(r.inline.into_iter().map(|m| m.into_owned()));
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(streamed, vec![100, 200]);
    assert_eq!(chunks.len(), 300);
    assert_eq!(inline.len(), 2);
    assert_eq!(inline[0].data.data(), b"abc");
    assert_eq!(inline[1].data.data(), b"hi");
    // The same bytes parse whole as one MULTIAPPEND command.
    let cmd = Command::parse(&wire).unwrap();
    let CommandBody::Append { messages, .. } = &cmd.body else {
        panic!()
    };
    assert_eq!(messages.len(), 4);
}

#[test]
fn an_overflowing_literal_length_is_never_plain_text() {
    // Found by the imap_command fuzz target: a length past u64 at the end
    // of raw arguments was kept as text, and the encoder then wrote a line
    // that every framer reads as announcing a literal.
    let line = format!("A004 XUNKNOWN {{{}55}}\r\n", "8".repeat(100));
    assert!(imap_proto::Command::parse(line.as_bytes()).is_err());
}

/// The SASL initial response is a validated type: no CR, LF or space can
/// reach the command line through it (found by the imap_roundtrip fuzz
/// target's generator review, when the variant held a bare string).
#[test]
fn initial_response_cannot_inject_a_command() {
    use imap_proto::types::command::InitialResponse;
    assert!(InitialResponse::base64("AGZvbw==\r\nA2 DELETE INBOX").is_err());
    assert!(InitialResponse::base64("AGZv bw==").is_err());
    assert!(InitialResponse::base64("=AGZv").is_err());
    let ok = InitialResponse::base64("AGZvbw==").unwrap();
    assert_eq!(ok.decode().unwrap(), b"\0foo");
    let cmd = Command::parse(b"A1 AUTHENTICATE PLAIN AGZvbw==\r\n").unwrap();
    let mut e = Encoder::new(EncodeOptions::default());
    cmd.encode(&mut e);
    assert_eq!(e.to_bytes(), b"A1 AUTHENTICATE PLAIN AGZvbw==\r\n");
}
