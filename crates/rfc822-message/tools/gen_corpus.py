#!/usr/bin/env python3
"""Writes the rfc822-message test corpus: tests/corpus/*.eml and its README.md.

    python3 crates/rfc822-message/tools/gen_corpus.py [--out DIR] [--check]

Every message is written here, by hand, for this project (the RFC 5322
Appendix A messages are the RFC's own example texts). The output is a pure
function of this file: running it twice gives the same bytes, so the corpus
can be regenerated and reviewed as a diff. Line ends are CRLF unless the
message is about other line ends (its description says so).

--check compares the files in DIR with what this script would write and
exits 1 if any differs, is missing, or is extra.

Notation inside the message texts below (turned into bytes by `build`):

    "\\n"          a line end: CRLF
    "<<LF>>"      a bare LF (no CR)
    "<<CR>>"      a bare CR
    "<<NOEOL>>"   at the very end: the message stops without a line end
    str parts     encoded as UTF-8; bytes parts are written as they are

The message texts avoid the markers' characters otherwise.

Stdlib only (Python 3.11).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE.parent / "tests" / "corpus"


# --------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------


def build(*parts: str | bytes, crlf: bool = True) -> bytes:
    """The message bytes: str parts get "\\n" -> CRLF (or LF when crlf is
    False) and the markers resolved; bytes parts are kept as they are."""
    out = bytearray()
    for p in parts:
        if isinstance(p, bytes):
            out += p
            continue
        text = p.replace("\n", "\r\n") if crlf else p
        text = text.replace("<<LF>>", "\n").replace("<<CR>>", "\r")
        out += text.encode("utf-8")
    if out.endswith(b"<<NOEOL>>"):
        del out[-len(b"<<NOEOL>>") :]
    return bytes(out)


def ew_b(charset: str, data: bytes | str) -> str:
    """An RFC 2047 B encoded-word of the raw bytes (or the text in charset)."""
    raw = data.encode(charset) if isinstance(data, str) else data
    return f"=?{charset}?B?{base64.b64encode(raw).decode('ascii')}?="


def ew_q(charset: str, data: bytes | str) -> str:
    """An RFC 2047 Q encoded-word (section 4.2 rules: "_" for space)."""
    raw = data.encode(charset) if isinstance(data, str) else data
    out = []
    for b in raw:
        c = chr(b)
        if b == 0x20:
            out.append("_")
        elif c.isascii() and (c.isalnum() or c in "!*+-/"):
            out.append(c)
        else:
            out.append(f"={b:02X}")
    return f"=?{charset}?Q?{''.join(out)}?="


def b64_lines(data: bytes, width: int = 76) -> str:
    enc = base64.b64encode(data).decode("ascii")
    return "\n".join(enc[i : i + width] for i in range(0, len(enc), width))


def qp(data: bytes) -> str:
    """Quoted-printable (RFC 2045 section 6.7) of text lines given with LF,
    soft line breaks at 76 characters; the result uses "\\n" line ends."""
    lines = data.split(b"\n")
    out_lines = []
    for line in lines:
        enc = []
        for i, b in enumerate(line):
            last = i == len(line) - 1
            if (33 <= b <= 126 and b != 61) or (b in (9, 32) and not last):
                enc.append(chr(b))
            else:
                enc.append(f"={b:02X}")
        cur = ""
        for tok in enc:
            if len(cur) + len(tok) > 75:
                out_lines.append(cur + "=")
                cur = ""
            cur += tok
        out_lines.append(cur)
    return "\n".join(out_lines)


def blob(n: int, seed: int) -> bytes:
    """n deterministic pseudo-random bytes (SHA-256 in counter mode)."""
    out = bytearray()
    i = 0
    while len(out) < n:
        out += hashlib.sha256(b"%d:%d" % (seed, i)).digest()
        i += 1
    return bytes(out[:n])


def png_like() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + blob(300, 1)


CORPUS: list[tuple[str, str, bytes]] = []  # (name, description, bytes)


def msg(name: str, description: str, data: bytes) -> None:
    assert not any(n == name for n, _, _ in CORPUS), name
    CORPUS.append((name, description, data))


# --------------------------------------------------------------------------
# Simple messages
# --------------------------------------------------------------------------

msg(
    "simple-text",
    "A plain text/plain message with charset, 7bit CTE, MIME-Version, and the usual "
    "originator and destination fields. The baseline.",
    build(
        """Date: Mon, 05 Jan 2026 09:30:00 +0100
From: Alice Example <alice@example.org>
To: Bob Example <bob@example.net>
Subject: A plain message
Message-ID: <simple-text@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 7bit

Hello Bob,

this is a plain text message.
.A line that starts with a dot.
A line with trailing spaces   
Bye.
"""
    ),
)

msg(
    "no-content-type",
    "No MIME header fields at all: the body defaults to text/plain; charset=us-ascii, 7bit "
    "(RFC 2045 section 5.2).",
    build(
        """Date: Tue, 06 Jan 2026 10:00:00 +0000
From: carol@example.com
To: dan@example.net
Subject: No Content-Type here
Message-ID: <no-content-type@example.com>

A body with no MIME header fields.
Second line.
"""
    ),
)

msg(
    "text-plain-no-charset",
    "Content-Type: text/plain without a charset parameter, and no Content-Transfer-Encoding.",
    build(
        """Date: Tue, 06 Jan 2026 10:05:00 +0000
From: carol@example.com
To: dan@example.net
Subject: text/plain without charset
Message-ID: <no-charset@example.com>
MIME-Version: 1.0
Content-Type: text/plain

Body.
"""
    ),
)

msg(
    "header-only",
    "A message made of header fields only: no empty line and no body at all.",
    build(
        """Date: Tue, 06 Jan 2026 10:10:00 +0000
From: carol@example.com
To: dan@example.net
Subject: Only a header
Message-ID: <header-only@example.com>
"""
    ),
)

msg(
    "no-final-newline",
    "The body's last line has no line end (the message stops after \"no newline\").",
    build(
        """Date: Tue, 06 Jan 2026 10:15:00 +0000
From: carol@example.com
To: dan@example.net
Subject: No final newline
Message-ID: <no-final-newline@example.com>
Content-Type: text/plain; charset=us-ascii

first line
last line, no newline<<NOEOL>>"""
    ),
)

# --------------------------------------------------------------------------
# RFC 5322 Appendix A (the RFC's own example messages)
# --------------------------------------------------------------------------

A_HELLO_BODY = 'This is a message just to say hello.\nSo, "Hello".\n'

msg(
    "rfc5322-a1-1",
    "RFC 5322 Appendix A.1.1, second message: From, Sender, To, Subject, Date, Message-ID.",
    build(
        """From: John Doe <jdoe@machine.example>
Sender: Michael Jones <mjones@machine.example>
To: Mary Smith <mary@example.net>
Subject: Saying Hello
Date: Fri, 21 Nov 1997 09:55:06 -0600
Message-ID: <1234@local.machine.example>

""",
        A_HELLO_BODY,
    ),
)

msg(
    "rfc5322-a1-2",
    "RFC 5322 Appendix A.1.2: addresses with and without display names and angle brackets, "
    "a quoted display name with quoted-pairs and a semicolon, \"Who?\" as an atom; no Subject.",
    build(
        """From: "Joe Q. Public" <john.q.public@example.com>
To: Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>
Cc: <boss@nil.test>, "Giant; \\"Big\\" Box" <sysservices@example.net>
Date: Tue, 1 Jul 2003 10:52:37 +0200
Message-ID: <5678.21-Nov-1997@example.com>

Hi everyone.
"""
    ),
)

msg(
    "rfc5322-a1-3",
    "RFC 5322 Appendix A.1.3: a group with three members in To, an empty group "
    "(\"Undisclosed recipients:;\") in Cc, a 1969 date with a -0330 zone.",
    build(
        """From: Pete <pete@silly.example>
To: A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;
Cc: Undisclosed recipients:;
Date: Thu, 13 Feb 1969 23:32:54 -0330
Message-ID: <testabcd.1234@silly.example>

Testing.
"""
    ),
)

msg(
    "rfc5322-a2-reply",
    "RFC 5322 Appendix A.2, second message: Reply-To with a quoted display name containing "
    "a colon, In-Reply-To and References.",
    build(
        """From: Mary Smith <mary@example.net>
To: John Doe <jdoe@machine.example>
Reply-To: "Mary Smith: Personal Account" <smith@home.example>
Subject: Re: Saying Hello
Date: Fri, 21 Nov 1997 10:01:10 -0600
Message-ID: <3456@example.net>
In-Reply-To: <1234@local.machine.example>
References: <1234@local.machine.example>

This is a reply to your hello.
"""
    ),
)

msg(
    "rfc5322-a2-reply-reply",
    "RFC 5322 Appendix A.2, third message: To before From, References with two message IDs.",
    build(
        """To: "Mary Smith: Personal Account" <smith@home.example>
From: John Doe <jdoe@machine.example>
Subject: Re: Saying Hello
Date: Fri, 21 Nov 1997 11:00:00 -0600
Message-ID: <abcd.1234@local.machine.test>
In-Reply-To: <3456@example.net>
References: <1234@local.machine.example> <3456@example.net>

This is a reply to your reply.
"""
    ),
)

msg(
    "rfc5322-a3-resent",
    "RFC 5322 Appendix A.3: Resent-From/To/Date/Message-ID fields before the original fields "
    "(ENVELOPE must use From and Date, not the Resent- ones).",
    build(
        """Resent-From: Mary Smith <mary@example.net>
Resent-To: Jane Brown <j-brown@other.example>
Resent-Date: Mon, 24 Nov 1997 14:22:01 -0800
Resent-Message-ID: <78910@example.net>
From: John Doe <jdoe@machine.example>
To: Mary Smith <mary@example.net>
Subject: Saying Hello
Date: Fri, 21 Nov 1997 09:55:06 -0600
Message-ID: <1234@local.machine.example>

""",
        A_HELLO_BODY,
    ),
)

msg(
    "rfc5322-a4-trace",
    "RFC 5322 Appendix A.4: two Received fields, the first folded over six lines with a "
    "double space before the date.",
    build(
        """Received: from x.y.test
   by example.net
   via TCP
   with ESMTP
   id ABC12345
   for <mary@example.net>;  21 Nov 1997 10:05:43 -0600
Received: from node.example by x.y.test; 21 Nov 1997 10:01:22 -0600
From: John Doe <jdoe@node.example>
To: Mary Smith <mary@example.net>
Subject: Saying Hello
Date: Fri, 21 Nov 1997 09:55:06 -0600
Message-ID: <1234@local.node.example>

""",
        A_HELLO_BODY,
    ),
)

msg(
    "rfc5322-a5-oddities",
    "RFC 5322 Appendix A.5: comments everywhere (with a quoted-pair \\) inside one), no space "
    "after \"To:\", a folded group with comments, an empty group surrounded by nested "
    "comments, a Date folded over six lines without seconds, spaces before the Message-ID.",
    build(
        """From: Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>
To:A Group(Some people)
     :Chris Jones <c@(Chris's host.)public.example>,
         joe@example.org,
  John <jdoe@one.test> (my dear friend); (the end of the group)
Cc:(Empty list)(start)Hidden recipients  :(nobody(that I know))  ;
Date: Thu,
      13
        Feb
          1969
      23:32
               -0330 (Newfoundland Time)
Message-ID:              <testabcd.1234@silly.test>

Testing.
"""
    ),
)

msg(
    "rfc5322-a6-1-obs-addressing",
    "RFC 5322 Appendix A.6.1: an unquoted display name with periods, a source route "
    "(<@node.test:mary@example.net>), an empty list element (\", ,\"), spaces around the "
    "\".\" of a domain.",
    build(
        """From: Joe Q. Public <john.q.public@example.com>
To: Mary Smith <@node.test:mary@example.net>, , jdoe@test  . example
Date: Tue, 1 Jul 2003 10:52:37 +0200
Message-ID: <5678.21-Nov-1997@example.com>

Hi everyone.
"""
    ),
)

msg(
    "rfc5322-a6-2-obs-dates",
    "RFC 5322 Appendix A.6.2: a date with a two-digit year and the zone name GMT, no day of "
    "the week.",
    build(
        """From: John Doe <jdoe@machine.example>
To: Mary Smith <mary@example.net>
Subject: Saying Hello
Date: 21 Nov 97 09:55:06 GMT
Message-ID: <1234@local.machine.example>

""",
        A_HELLO_BODY,
    ),
)

msg(
    "rfc5322-a6-3-obs-whitespace",
    "RFC 5322 Appendix A.6.3: white space before the colons of field names, a folding line "
    "made only of white space in To, comments and spaces inside the date, the domain and the "
    "Message-ID.",
    build(
        """From  : John Doe <jdoe@machine(comment).  example>
To    : Mary Smith
  
          <mary@example.net>
Subject     : Saying Hello
Date  : Fri, 21 Nov 1997 09(comment):   55  :  06 -0600
Message-ID  : <1234   @   local(blah)  .machine .example>

""",
        A_HELLO_BODY,
    ),
)

# --------------------------------------------------------------------------
# Addresses, display names, encoded words
# --------------------------------------------------------------------------

msg(
    "groups",
    "Groups: \"undisclosed-recipients:;\" in To, a named group with members and a plain "
    "address after it in Cc, a group whose name is an encoded word and a group with one "
    "member in Bcc, an empty group followed by an address in Reply-To.",
    build(
        f"""Date: Wed, 07 Jan 2026 08:00:00 -0500
From: Frank <frank@example.com>
To: undisclosed-recipients:;
Cc: Project Team: anna@example.com, "Ben, Jr." <ben@example.com>,
 Carl <carl@example.com>;, dora@example.com
Bcc: {ew_q("UTF-8", "Équipe")}: erik@example.com;, Solo:single@example.com;
Reply-To: Nobody:;, replies@example.com
Subject: Groups
Message-ID: <groups@example.com>

Groups in To, Cc, Bcc and Reply-To.
"""
    ),
)

msg(
    "display-names",
    "Display names: quoted with escaped quotes and backslashes, with a comma, a comment as "
    "the only name \"(Zoe)\", a comment before the angle address, an encoded word inside a "
    "quoted string (RFC 2047 section 5 says it is not decoded there), a quoted local part "
    "with a space, an empty quoted display name, an address with only a trailing comment.",
    build(
        f"""Date: Wed, 07 Jan 2026 09:00:00 +0000
From: "Doe, Jane \\"JD\\" \\\\ Admin" <jane@example.com>
Sender: (Secretary) sec@example.com
Reply-To: "{ew_q("UTF-8", "Jörg")}" <joerg@example.de>
To: "john.q public"@example.com, "" <empty-name@example.com>,
 zoe@example.com (Zoe), Mr (the) Smith <smith@example.com>
Cc: "Quote \\"in\\" name" <q@example.com>
Subject: Display names
Message-ID: <display-names@example.com>

Quoted strings, comments and encoded words inside quotes.
"""
    ),
)

_utf8_split = "日本語".encode("utf-8")  # 9 bytes: split after byte 4 (mid character)
msg(
    "encoded-words",
    "RFC 2047 encoded words: B and Q; a UTF-8 Subject split over several words on folded "
    "lines (white space between adjacent words is dropped when decoding, section 6.2); a "
    "multi-byte UTF-8 character split across two B words; ISO-8859-1, Windows-1252 "
    "(euro sign, curly quotes), KOI8-R, Shift_JIS; a lower-case charset and encoding letter; "
    "an RFC 2231 language suffix (=?UTF-8*de?Q?...?=); an encoded word next to plain text.",
    build(
        f"""Date: Thu, 08 Jan 2026 23:59:59 +0900
From: {ew_q("UTF-8", "Jörg Müller")} <joerg@example.de>
Sender: {ew_b("ISO-8859-1", "François Lefèvre")} <francois@example.fr>
Reply-To: {ew_q("windows-1252", "“Smart” €uro")} <euro@example.com>
To: {ew_b("KOI8-R", "Дмитрий")} <dmitri@example.ru>,
 {ew_b("Shift_JIS", "山田太郎")} <yamada@example.jp>
Cc: {ew_b("UTF-8", _utf8_split[:4])} {ew_b("UTF-8", _utf8_split[4:])} <split@example.jp>,
 =?utf-8?q?lower=5Fcase?= <lower@example.com>,
 =?UTF-8*de?Q?Gr=C3=BC=C3=9Fe?= <lang@example.de>
Subject: {ew_b("UTF-8", "Überprüfung der")}
 {ew_q("UTF-8", " Prüfung")}
 {ew_q("UTF-8", " ✓ done")} and plain text
Comments: prefix {ew_q("ISO-8859-1", "café")} suffix
Message-ID: <encoded-words@example.de>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Encoded words in many header fields.
"""
    ),
)

msg(
    "encoded-words-malformed",
    "Malformed and borderline encoded words: an unknown charset, an invalid B payload, a "
    "Q word containing a space (invalid), a word without the closing ?=, an encoded word "
    "inside a word (\"abc=?UTF-8?Q?x?=def\"), an encoded word in a Message-ID-like field, "
    "and a word longer than 75 characters.",
    build(
        f"""Date: Thu, 08 Jan 2026 12:00:00 +0000
From: =?X-UNKNOWN?Q?Unknown_Charset?= <unknown@example.com>
To: =?UTF-8?B?!!!notbase64!!!?= <badb64@example.com>
Cc: =?UTF-8?Q?has space?= <space@example.com>, =?UTF-8?Q?unterminated <unterm@example.com>
Subject: abc=?UTF-8?Q?x?=def {ew_q("UTF-8", "ä" * 30)}
Keywords: {ew_q("UTF-8", "key")}, plain
Message-ID: <encoded-words-malformed@example.com>

Body.
"""
    ),
)

msg(
    "obs-route-and-dates",
    "Obsolete syntax: a source route with two hops (<@a.example,@b.example:user@host.example>), "
    "a route in Cc, a date with a two-digit year, the zone EST and comments, a quoted-pair "
    "in a comment, \"..\" in a local part (obs-local-part with a quoted word).",
    build(
        """Date: Thu (Thursday), 8 Jan 98 13:45 EST (Eastern)
From: Route User <@a.example,@b.example:user@host.example>
To: <@relay.example:bob@example.net>, "odd"."quoted"@example.net
Cc: Someone <@x.example,,@y.example:cc@example.org>
Subject: Obsolete forms (routes, dates)
Message-ID: <obs-route@example.com>

Source routes and an obsolete date.
"""
    ),
)

msg(
    "obs-date-zones",
    "Obsolete and odd dates: the Date field uses a military zone letter (\"Z\") and a "
    "one-digit day; Resent-Date uses PDT, the other zone names (UT, CDT, MST) are in "
    "X- fields. ENVELOPE's date is the raw Date text.",
    build(
        """Date: 1 Jan 2026 00:00:00 Z
Resent-Date: Fri, 02 Jan 26 01:02:03 PDT
X-Date-Ut: Sat, 03 Jan 2026 04:05:06 UT
X-Date-Cdt: Sat, 03 Jan 2026 04:05:06 CDT
X-Date-Mst: Sat, 3 Jan 0026 04:05 MST
From: dates@example.com
To: dates@example.net
Subject: Zone names
Message-ID: <obs-date-zones@example.com>

Body.
"""
    ),
)

msg(
    "utf8-headers",
    "RFC 6532 raw UTF-8 in header fields: display names, a UTF-8 local part and domain, "
    "Subject with CJK and an emoji; 8bit UTF-8 body declared as such.",
    build(
        """Date: Fri, 09 Jan 2026 12:00:00 +0100
From: Jürgen Grün <jürgen@bücher.example>
To: Søren <søren@example.dk>, 李雷 <lilei@例え.jp>
Subject: Grüße aus Köln – 日本語 🎉
Message-ID: <utf8-headers@example.de>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Grüße aus Köln!
日本語のテキスト。
"""
    ),
)

msg(
    "message-global",
    "A multipart/mixed with a message/global part (RFC 6532 section 3.7) whose header "
    "holds raw UTF-8, and a message/global-headers part (RFC 6533 style).",
    build(
        """Date: Fri, 09 Jan 2026 13:00:00 +0100
From: postmaster@example.de
To: sender@example.com
Subject: message/global inside
Message-ID: <message-global@example.de>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="glob"

--glob
Content-Type: text/plain; charset=us-ascii

See the attached internationalized message.

--glob
Content-Type: message/global

Date: Fri, 09 Jan 2026 12:30:00 +0100
From: Zoë <zoë@exämple.de>
To: José <josé@example.es>
Subject: Überraschung
Message-ID: <inner-global@exämple.de>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Ein Text mit Umlauten: äöü.

--glob
Content-Type: message/global-headers

From: Zoë <zoë@exämple.de>
Subject: Überraschung

--glob--
"""
    ),
)

# --------------------------------------------------------------------------
# Multipart structure
# --------------------------------------------------------------------------

_pdf = b"%PDF-1.4\n" + blob(400, 2) + b"\n%%EOF\n"

msg(
    "multipart-mixed-attachments",
    "multipart/mixed with a text/plain part (7bit), a quoted-printable text/html part, a "
    "base64 application/pdf attachment, an 8bit ISO-8859-1 text attachment, and a 7bit "
    "text/csv attachment; Content-Disposition with filenames.",
    build(
        """Date: Sat, 10 Jan 2026 10:00:00 +0000
From: "Carol Q. Sender" <carol@example.com>
To: Dan <dan@example.net>
Subject: Attachments in four encodings
Message-ID: <mixed-attachments@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="=_mixed_1"

--=_mixed_1
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 7bit

Hi Dan, four attachments follow.

--=_mixed_1
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

""",
        qp(
            "<html><body><p>Grüße, Dan! The total is 42,00 €, and this line is long enough to "
            "need a soft line break somewhere.</p></body></html>".encode("utf-8")
        ),
        """

--=_mixed_1
Content-Type: application/pdf; name="invoice.pdf"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="invoice.pdf"

""",
        b64_lines(_pdf),
        """

--=_mixed_1
Content-Type: text/plain; charset=iso-8859-1; name=latin1.txt
Content-Transfer-Encoding: 8bit
Content-Disposition: attachment; filename=latin1.txt

""",
        "Größe: 5 Äpfel, très bien.\r\n".encode("iso-8859-1"),
        """
--=_mixed_1
Content-Type: text/csv; charset=us-ascii; name="data.csv"
Content-Transfer-Encoding: 7bit
Content-Disposition: attachment; filename="data.csv"

a,b,c
1,2,3

--=_mixed_1--
""",
    ),
)

msg(
    "related-mixed-alternative",
    "multipart/related (type and start parameters) containing multipart/mixed containing "
    "multipart/alternative (text/plain and text/html), plus an inline image/png with a "
    "Content-ID referenced by the HTML, and a related-level attachment.",
    build(
        """Date: Sat, 10 Jan 2026 11:00:00 +0000
From: Grace <grace@example.org>
To: Heidi <heidi@example.net>
Subject: Three levels of multipart
Message-ID: <related-mixed-alt@example.org>
MIME-Version: 1.0
Content-Type: multipart/related; type="multipart/mixed"; start="<root@example.org>";
 boundary="rel-b"

--rel-b
Content-Type: multipart/mixed; boundary="mix-b"
Content-ID: <root@example.org>

--mix-b
Content-Type: multipart/alternative; boundary="alt-b"

--alt-b
Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes
Content-Transfer-Encoding: 7bit

Plain version.

--alt-b
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: 7bit

<p>HTML version <img src="cid:logo@example.org"></p>

--alt-b--

--mix-b
Content-Type: text/plain; charset=us-ascii
Content-Disposition: attachment; filename=notes.txt

Notes.

--mix-b--

--rel-b
Content-Type: image/png
Content-Transfer-Encoding: base64
Content-ID: <logo@example.org>
Content-Disposition: inline

""",
        b64_lines(png_like()),
        """
--rel-b--
""",
    ),
)

_inner_simple = """Date: Tue, 06 Jan 2026 17:45:00 +0100
From: Heidi <heidi@example.net>
To: Frank <frank@example.com>, Ivan <ivan@example.net>
Subject: Meeting notes
Message-ID: <inner-simple@example.net>
In-Reply-To: <agenda@example.net>
Content-Type: text/plain; charset=us-ascii

1. Budget
2. Schedule
"""

msg(
    "message-rfc822",
    "multipart/mixed with a text part and a forwarded message/rfc822 (text/plain inside), "
    "the forwarded message having its own ENVELOPE fields.",
    build(
        """Date: Wed, 07 Jan 2026 08:00:00 -0500
From: Frank <frank@example.com>
To: Grace <grace@example.org>
Subject: Fwd: Meeting notes
Message-ID: <message-rfc822@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="fwd-1"

--fwd-1
Content-Type: text/plain; charset=us-ascii

Forwarding the notes below.

--fwd-1
Content-Type: message/rfc822
Content-Disposition: inline

""",
        _inner_simple,
        """
--fwd-1--
""",
    ),
)

msg(
    "message-rfc822-multipart",
    "A message/rfc822 part whose message is multipart/alternative, followed by another "
    "attachment: part numbers 2.1, 2.2 live inside the encapsulated message.",
    build(
        """Date: Wed, 07 Jan 2026 08:10:00 -0500
From: Frank <frank@example.com>
To: Grace <grace@example.org>
Subject: Fwd: HTML notes
Message-ID: <message-rfc822-multipart@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer-3"

--outer-3
Content-Type: text/plain; charset=us-ascii

Forwarding the notes below.

--outer-3
Content-Type: message/rfc822
Content-Description: forwarded message

Date: Tue, 06 Jan 2026 17:45:00 +0100
From: Heidi <heidi@example.net>
To: Frank <frank@example.com>
Subject: Meeting notes (HTML)
Message-ID: <inner-3@example.net>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="inner-3"

--inner-3
Content-Type: text/plain; charset=us-ascii

1. Budget

--inner-3
Content-Type: text/html; charset=us-ascii

<ol><li>Budget</li></ol>

--inner-3--

--outer-3
Content-Type: text/plain; charset=us-ascii; name=notes.txt
Content-Disposition: attachment; filename=notes.txt

plain attachment

--outer-3--
"""
    ),
)

msg(
    "message-rfc822-twice",
    "A message/rfc822 inside a message/rfc822 (forward of a forward): the innermost "
    "message is multipart/mixed; part numbers go down to 2.2.2.",
    build(
        """Date: Thu, 08 Jan 2026 09:00:00 +0000
From: Ivan <ivan@example.net>
To: Judy <judy@example.org>
Subject: Fwd: Fwd: the original
Message-ID: <twice-outer@example.net>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="L1"

--L1
Content-Type: text/plain; charset=us-ascii

Level one text.

--L1
Content-Type: message/rfc822

Date: Wed, 07 Jan 2026 09:00:00 +0000
From: Heidi <heidi@example.net>
To: Ivan <ivan@example.net>
Subject: Fwd: the original
Message-ID: <twice-middle@example.net>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="L2"

--L2
Content-Type: text/plain; charset=us-ascii

Level two text.

--L2
Content-Type: message/rfc822

Date: Tue, 06 Jan 2026 09:00:00 +0000
From: Grace <grace@example.org>
To: Heidi <heidi@example.net>
Subject: the original
Message-ID: <twice-inner@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="L3"

--L3
Content-Type: text/plain; charset=us-ascii

Level three text.

--L3
Content-Type: application/octet-stream
Content-Transfer-Encoding: base64

AAECAwQFBgcICQ==

--L3--

--L2--

--L1--
"""
    ),
)

msg(
    "message-rfc822-toplevel",
    "The message itself is Content-Type: message/rfc822 (not multipart): part 1 is the "
    "encapsulated message, 1.1 its text.",
    build(
        """Date: Thu, 08 Jan 2026 09:30:00 +0000
From: Ivan <ivan@example.net>
To: Judy <judy@example.org>
Subject: A bare encapsulated message
Message-ID: <rfc822-toplevel@example.net>
MIME-Version: 1.0
Content-Type: message/rfc822

""",
        _inner_simple,
    ),
)

msg(
    "multipart-digest",
    "multipart/digest (RFC 2046 section 5.1.5): two parts without Content-Type (so "
    "message/rfc822 by default), one with an explicit text/plain, and one with a blank "
    "header (no fields at all) before its message.",
    build(
        """Date: Fri, 09 Jan 2026 06:00:00 +0000
From: list-digest@lists.example
To: subscriber@example.com
Subject: Example digest, Vol 1, Issue 2
Message-ID: <digest-1-2@lists.example>
MIME-Version: 1.0
Content-Type: multipart/digest; boundary="digest-sep"

Preamble of the digest.

--digest-sep

Date: Thu, 08 Jan 2026 10:00:00 +0000
From: A <a@example.com>
To: list@lists.example
Subject: First post
Message-ID: <post-1@example.com>

First post body.

--digest-sep

Date: Thu, 08 Jan 2026 11:00:00 +0000
From: B <b@example.com>
To: list@lists.example
Subject: Re: First post
Message-ID: <post-2@example.com>
In-Reply-To: <post-1@example.com>
Content-Type: multipart/alternative; boundary="post2-alt"

--post2-alt
Content-Type: text/plain

Reply text.

--post2-alt
Content-Type: text/html

<p>Reply text.</p>

--post2-alt--

--digest-sep
Content-Type: text/plain; charset=us-ascii

This digest part is plain text.

--digest-sep--
"""
    ),
)

msg(
    "boundary-prefix-outer-short",
    "Boundaries that are prefixes of each other: outer boundary \"a\", inner \"ab\". A line "
    "\"--ab\" is not a delimiter of the outer part (RFC 2046 section 5.1.1: the boundary is "
    "followed only by optional white space and CRLF), so the inner multipart must keep it.",
    build(
        """Date: Fri, 09 Jan 2026 07:00:00 +0000
From: boundaries@example.com
To: parser@example.net
Subject: Boundary a and ab
Message-ID: <boundary-prefix-1@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=a

--a
Content-Type: multipart/alternative; boundary=ab

--ab
Content-Type: text/plain

inner one

--ab
Content-Type: text/plain

inner two

--ab--

--a
Content-Type: text/plain

outer two

--a--
"""
    ),
)

msg(
    "boundary-prefix-inner-short",
    "Boundaries that are prefixes of each other, the other way round: outer \"ab\", inner "
    "\"a\"; the inner part's lines \"--a\" never match the outer boundary.",
    build(
        """Date: Fri, 09 Jan 2026 07:10:00 +0000
From: boundaries@example.com
To: parser@example.net
Subject: Boundary ab and a
Message-ID: <boundary-prefix-2@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=ab

--ab
Content-Type: multipart/alternative; boundary=a

--a
Content-Type: text/plain

inner one

--a
Content-Type: text/plain

inner two

--a--

--ab
Content-Type: text/plain

outer two

--ab--
"""
    ),
)

msg(
    "boundary-trailing-whitespace",
    "Boundary delimiter lines with trailing spaces and a tab (allowed as transport padding, "
    "RFC 2046 section 5.1.1), and a close delimiter with trailing white space; the boundary "
    "parameter is quoted and contains a space and punctuation.",
    build(
        """Date: Fri, 09 Jan 2026 07:20:00 +0000
From: boundaries@example.com
To: parser@example.net
Subject: Boundary lines with padding
Message-ID: <boundary-ws@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b ws'()+_,-./:=?"

--b ws'()+_,-./:=?   
Content-Type: text/plain

part one

--b ws'()+_,-./:=?\t
Content-Type: text/plain

part two

--b ws'()+_,-./:=?-- \t
epilogue
"""
    ),
)

msg(
    "missing-final-boundary",
    "A multipart/mixed whose close delimiter is missing: the message ends inside the last "
    "part; the inner multipart/alternative is closed properly.",
    build(
        """Date: Fri, 09 Jan 2026 07:30:00 +0000
From: boundaries@example.com
To: parser@example.net
Subject: No close delimiter
Message-ID: <missing-final@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="never-closed"

--never-closed
Content-Type: multipart/alternative; boundary="closed"

--closed
Content-Type: text/plain

alt one

--closed--

--never-closed
Content-Type: text/plain

the last part runs to the end of the message
"""
    ),
)

msg(
    "missing-inner-close",
    "An inner multipart without its close delimiter: the outer boundary appears before the "
    "inner close; the outer close follows.",
    build(
        """Date: Fri, 09 Jan 2026 07:35:00 +0000
From: boundaries@example.com
To: parser@example.net
Subject: Inner multipart not closed
Message-ID: <missing-inner-close@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: multipart/alternative; boundary="inner"

--inner
Content-Type: text/plain

inner one

--inner
Content-Type: text/html

<p>inner two</p>

--outer
Content-Type: text/plain

outer two

--outer--
"""
    ),
)

msg(
    "multipart-no-boundary",
    "Content-Type: multipart/mixed without a boundary parameter, and a body that looks like "
    "parts.",
    build(
        """Date: Fri, 09 Jan 2026 07:40:00 +0000
From: boundaries@example.com
To: parser@example.net
Subject: Multipart without boundary
Message-ID: <no-boundary@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed

--something
Content-Type: text/plain

text

--something--
"""
    ),
)

msg(
    "multipart-empty",
    "A multipart/mixed whose body has no delimiter line at all (only a preamble), and no "
    "parts.",
    build(
        """Date: Fri, 09 Jan 2026 07:45:00 +0000
From: boundaries@example.com
To: parser@example.net
Subject: Multipart with no parts
Message-ID: <multipart-empty@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="unused"

Only a preamble, the boundary never appears.
"""
    ),
)

msg(
    "missing-blank-line",
    "Parts whose header is not followed by an empty line: in the first the boundary comes "
    "right after the header fields; in the second a body line follows the fields directly "
    "(a line without a colon).",
    build(
        """Date: Fri, 09 Jan 2026 07:50:00 +0000
From: boundaries@example.com
To: parser@example.net
Subject: Parts without the empty line
Message-ID: <missing-blank@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mb"

--mb
Content-Type: text/plain; charset=us-ascii
--mb
Content-Type: text/plain; charset=us-ascii
this line is not a header field
and this is the second body line

--mb--
"""
    ),
)

msg(
    "header-no-blank-line",
    "A top-level message whose header is followed directly by a line that is not a field "
    "(no colon, no empty line before it).",
    build(
        """Date: Fri, 09 Jan 2026 07:55:00 +0000
From: carol@example.com
To: dan@example.net
Subject: Header ends without an empty line
Message-ID: <header-no-blank@example.com>
This line has no colon, so the header ended above.
Second body line.
"""
    ),
)

msg(
    "preamble-epilogue",
    "A multipart/alternative with a multi-line preamble (also a line \"--not-the-boundary\") "
    "and an epilogue after the close delimiter, both to be ignored by the structure but "
    "part of the raw text.",
    build(
        """Date: Sat, 10 Jan 2026 08:00:00 +0000
From: carol@example.com
To: dan@example.net
Subject: Preamble and epilogue
Message-ID: <preamble-epilogue@example.com>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="pe"

This is a multi-part message in MIME format.
--not-the-boundary
If you see this, your mail reader does not understand MIME.

--pe
Content-Type: text/plain; charset=us-ascii

plain

--pe
Content-Type: text/html; charset=us-ascii

<p>html</p>

--pe--

This is the epilogue.
It has two lines.
"""
    ),
)

msg(
    "empty-parts",
    "Parts with nothing in them: a part with header fields and an empty body, a part "
    "with neither header fields nor body (delimiter lines back to back after an empty "
    "line), a part with an empty header and one body line, and a zero-length base64 part.",
    build(
        """Date: Sat, 10 Jan 2026 08:10:00 +0000
From: carol@example.com
To: dan@example.net
Subject: Empty parts
Message-ID: <empty-parts@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="ep"

--ep
Content-Type: text/plain; charset=us-ascii


--ep

--ep

only a body line
--ep
Content-Type: application/octet-stream
Content-Transfer-Encoding: base64

--ep--
"""
    ),
)

# --------------------------------------------------------------------------
# Parameters and BODYSTRUCTURE extension data
# --------------------------------------------------------------------------

msg(
    "rfc2231-parameters",
    "RFC 2231 parameters: name*0*/name*1*/name*2 continuations with a charset'lang' prefix "
    "and a plain (unencoded) last segment, filename* with charset and language, a "
    "title*0/title*1 unencoded continuation, continuations given out of order, an "
    "empty charset (''), an RFC 2047 encoded word in a quoted name (not standard, but "
    "common), and a parameter value with an escaped quote.",
    build(
        """Date: Sat, 10 Jan 2026 09:00:00 +0000
From: params@example.com
To: parser@example.net
Subject: RFC 2231 parameters
Message-ID: <rfc2231@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="p2231"

--p2231
Content-Type: application/pdf;
 name*0*=UTF-8'de'Rechnung%20M%C3%A4rz;
 name*1*=%202026;
 name*2=".pdf"
Content-Disposition: attachment;
 filename*=UTF-8'de'Rechnung%20M%C3%A4rz%202026.pdf;
 size=5
Content-Transfer-Encoding: base64

JVBERi0=

--p2231
Content-Type: text/plain; charset=us-ascii;
 title*1=" second half";
 title*0="first half,"
Content-Disposition: inline; filename*=''plain%20name.txt

continuations out of order

--p2231
Content-Type: text/plain; charset=us-ascii;
 name="=?UTF-8?Q?R=C3=A9sum=C3=A9?=.txt"
Content-Disposition: attachment; filename="=?UTF-8?Q?R=C3=A9sum=C3=A9?=.txt"

encoded word in a quoted parameter

--p2231
Content-Type: text/plain; charset="us-ascii"; name="quote \\"inside\\".txt"
Content-Disposition: attachment; filename*0*=ISO-8859-1''caf%E9; filename*1=".txt"

escaped quote, ISO-8859-1 continuation

--p2231--
"""
    ),
)

_md5_body = b"Checksummed body.\r\n"
msg(
    "extension-data",
    "Every field of BODYSTRUCTURE's extension data on a single part: Content-Type "
    "parameters, Content-ID, Content-Description, Content-Transfer-Encoding, Content-MD5, "
    "Content-Disposition with parameters, Content-Language with two tags, "
    "Content-Location; and on the multipart: a disposition, a language and a location.",
    build(
        f"""Date: Sat, 10 Jan 2026 09:30:00 +0000
From: ext@example.com
To: parser@example.net
Subject: BODYSTRUCTURE extension data
Message-ID: <extension-data@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="ext"; charset=ignored
Content-Disposition: inline
Content-Language: en
Content-Location: http://example.com/whole

--ext
Content-Type: text/plain; charset=us-ascii; format=fixed
Content-ID: <part1@example.com>
Content-Description: The first part (a description)
Content-Transfer-Encoding: 7bit
Content-MD5: {base64.b64encode(hashlib.md5(_md5_body).digest()).decode("ascii")}
Content-Disposition: attachment; filename="part1.txt";
 creation-date="Sat, 10 Jan 2026 09:30:00 +0000"; size=19
Content-Language: en-GB, fr
Content-Location: http://example.com/part1.txt

""",
        _md5_body,
        """
--ext
Content-Type: text/plain
Content-Disposition: INLINE
Content-Language: (comment) de
Content-Location: "relative/path name.txt"

second part

--ext--
""",
    ),
)

msg(
    "odd-case-mime",
    "Odd-case MIME types and parameter names (TEXT/Html, MULTIPART/Mixed, BOUNDARY=, "
    "CHARSET=Utf-8), a Content-Transfer-Encoding of Base64 and QUOTED-PRINTABLE, "
    "a header field name in all caps (CONTENT-TYPE), white space and comments around "
    "the type (\"text / plain (comment)\").",
    build(
        """Date: Sat, 10 Jan 2026 10:00:00 +0000
From: case@example.com
To: parser@example.net
Subject: Odd case
Message-ID: <odd-case@example.com>
Mime-Version: 1.0
CONTENT-TYPE: MULTIPART/Mixed; BOUNDARY="OddCase"

--OddCase
Content-Type: TEXT/Html; CHARSET=Utf-8; Format=Flowed
Content-Transfer-Encoding: QUOTED-PRINTABLE

<p>caf=C3=A9</p>

--OddCase
content-type: Application/Octet-Stream; NAME="Data.BIN"
content-transfer-encoding: Base64

AAECAw==

--OddCase
Content-Type: text / plain (a comment) ; charset = "us-ascii" (another)

spaces and comments in the type

--OddCase--
"""
    ),
)

msg(
    "bad-content-type",
    "Invalid Content-Type values: a type without a subtype (\"text\"), an empty value, "
    "garbage, and a parameter without a value, each in its own part.",
    build(
        """Date: Sat, 10 Jan 2026 10:10:00 +0000
From: bad@example.com
To: parser@example.net
Subject: Bad Content-Type values
Message-ID: <bad-content-type@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="bad"

--bad
Content-Type: text

no subtype

--bad
Content-Type:

empty value

--bad
Content-Type: !!garbage!!; ===

garbage

--bad
Content-Type: text/plain; charset; format=flowed; =novalue

parameter without a value

--bad
Content-Type: application/x-unknown-thing; x-param="kept"
Content-Transfer-Encoding: x-uuencode

begin 644 x
`
end

--bad--
"""
    ),
)

msg(
    "duplicate-headers",
    "Duplicate fields: two Subject fields, two From fields, two Content-Type fields "
    "(text/html first, text/plain second) and two Message-ID fields.",
    build(
        """Date: Sat, 10 Jan 2026 10:20:00 +0000
From: first@example.com
From: second@example.com
To: parser@example.net
Subject: The first subject
Subject: The second subject
Message-ID: <dup-1@example.com>
Message-ID: <dup-2@example.com>
MIME-Version: 1.0
Content-Type: text/html; charset=us-ascii
Content-Type: text/plain; charset=iso-8859-1

Which Content-Type wins?
"""
    ),
)

msg(
    "no-space-after-colon",
    "Header fields without a space after the colon (\"Subject:x\"), with a tab after it, "
    "with several spaces, and an empty field (\"Cc:\").",
    build(
        """Date:Sat, 10 Jan 2026 10:30:00 +0000
From:nospace@example.com
To:\tparser@example.net
Cc:
Subject:No space after the colon
Message-ID:    <no-space@example.com>
Content-Type:text/plain;charset=us-ascii

Body.
"""
    ),
)

msg(
    "long-folded-headers",
    "Long header fields folded over many lines (To with 30 addresses, a 400-character "
    "Subject, a References list of 12 IDs, a folded Content-Type parameter list), and one "
    "unfolded 1100-character line (over RFC 5322's 998 limit).",
    build(
        "Date: Sat, 10 Jan 2026 10:40:00 +0000\n",
        "From: Long Headers <long@example.com>\n",
        "To: "
        + ",\n ".join(f"Recipient Number {i} <rcpt{i}@example.net>" for i in range(30))
        + "\n",
        "Subject: "
        + "\n ".join(f"word{i:03d} of a very long subject line" for i in range(12))
        + "\n",
        "References: "
        + "\n ".join(f"<ref-{i}@example.com>" for i in range(12))
        + "\n",
        "Message-ID: <long-folded@example.com>\n",
        "X-Long-Line: " + "x" * 1100 + "\n",
        "MIME-Version: 1.0\n",
        "Content-Type: text/plain;\n\tcharset=us-ascii;\n\tformat=flowed;\n\tdelsp=no\n",
        "\nBody.\n",
    ),
)

# --------------------------------------------------------------------------
# Line ends and 8-bit
# --------------------------------------------------------------------------

msg(
    "8bit-undeclared",
    "Raw 8-bit bytes without any declaration: no MIME-Version or Content-Type, a UTF-8 "
    "Subject and body, and a line of ISO-8859-1 bytes that are not valid UTF-8.",
    build(
        """Date: Sat, 10 Jan 2026 11:00:00 +0000
From: eight@example.com
To: parser@example.net
Subject: Undeclared 8-bit: naïve café
Message-ID: <8bit-undeclared@example.com>

UTF-8 in the body: naïve café.
""",
        "Latin-1 in the body: naïve café.\r\n".encode("iso-8859-1"),
    ),
)

msg(
    "bare-lf-body",
    "A CRLF message whose body has lines ending in a bare LF, one bare CR, and a "
    "multipart whose boundary line ends in a bare LF.",
    build(
        """Date: Sat, 10 Jan 2026 11:10:00 +0000
From: lf@example.com
To: parser@example.net
Subject: Bare LF in the body
Message-ID: <bare-lf@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="lfb"

--lfb
Content-Type: text/plain; charset=us-ascii

line with CRLF
line with bare LF<<LF>>another bare LF<<LF>>a bare CR<<CR>>in the middle
--lfb<<LF>>Content-Type: text/plain; charset=us-ascii

second part after a bare-LF boundary line
--lfb--
"""
    ),
)

msg(
    "lf-only",
    "The whole message uses LF line ends (no CR anywhere), as files on Unix often do: a "
    "multipart/alternative with two parts.",
    build(
        """Date: Sat, 10 Jan 2026 11:20:00 +0000
From: lf@example.com
To: parser@example.net
Subject: LF-only message
Message-ID: <lf-only@example.com>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="lfo"

--lfo
Content-Type: text/plain; charset=us-ascii

plain
two lines

--lfo
Content-Type: text/html; charset=us-ascii

<p>html</p>

--lfo--
""",
        crlf=False,
    ),
)

_binary = bytes(b for b in range(1, 256) if b not in (10, 13)) * 2 + b"\r\n" + blob(100, 3).replace(
    b"\r", b"\x01"
).replace(b"\n", b"\x02").replace(b"\0", b"\x03")
msg(
    "binary-cte",
    "An attachment with Content-Transfer-Encoding: binary holding every byte value except "
    "NUL, CR and LF (CR and LF appear only as one CRLF), next to a text part.",
    build(
        """Date: Sat, 10 Jan 2026 11:30:00 +0000
From: binary@example.com
To: parser@example.net
Subject: Binary transfer encoding
Message-ID: <binary-cte@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="bin"

--bin
Content-Type: text/plain; charset=us-ascii

See the binary part.

--bin
Content-Type: application/octet-stream; name=bytes.bin
Content-Transfer-Encoding: binary
Content-Disposition: attachment; filename=bytes.bin

""",
        _binary,
        """
--bin--
""",
    ),
)

msg(
    "nul-byte",
    "A NUL byte in a body line and in a binary part (APPENDed as a literal8 ~{n}, RFC 3516, "
    "since a NUL may not appear in a plain literal).",
    build(
        """Date: Sat, 10 Jan 2026 11:40:00 +0000
From: binary@example.com
To: parser@example.net
Subject: NUL bytes
Message-ID: <nul-byte@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="nul"

--nul
Content-Type: text/plain; charset=us-ascii

before""",
        b"\0",
        """after

--nul
Content-Type: application/octet-stream
Content-Transfer-Encoding: binary

""",
        b"\0\0\x01\x02\0\xff",
        """
--nul--
""",
    ),
)

msg(
    "message-rfc822-encoded",
    "message/rfc822 parts that are not plain: one with Content-Transfer-Encoding: base64 "
    "(RFC 2046 section 5.2.1 forbids it), one empty (no header, no body), and one whose "
    "encapsulated message has a header but no body.",
    build(
        """Date: Sat, 10 Jan 2026 11:50:00 +0000
From: fwd@example.com
To: parser@example.net
Subject: Odd message/rfc822 parts
Message-ID: <rfc822-encoded@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="enc"

--enc
Content-Type: message/rfc822
Content-Transfer-Encoding: base64

""",
        b64_lines(build(_inner_simple)),
        """

--enc
Content-Type: message/rfc822

--enc
Content-Type: message/rfc822

Subject: header only
From: inner@example.com
--enc--
""",
    ),
)


msg(
    "whitespace-in-fields",
    "White space inside ENVELOPE strings: a Subject with leading, doubled and trailing "
    "spaces and a tab; a display name with runs of spaces and a tab; an In-Reply-To with "
    "five double quotes; a Message-ID with a tab inside (invalid, kept raw by some servers).",
    build(
        "Date: Sun, 11 Jan 2026 09:00:00 +0000\n",
        'From: "  Spaced \t  Name  " <spaced@example.com>\n',
        "To: Plain   Words   Name <words@example.net>\n",
        "Subject:   leading,\ta tab,  double  spaces, trailing   \n",
        'In-Reply-To: "a" "b" "c" <q@example.com> "d" "e"\n',
        "Message-ID: <tab\tinside@example.com>\n",
        "\nBody.\n",
    ),
)

msg(
    "empty-fields",
    "Fields present but empty or blank: Subject with nothing after the colon, a To whose "
    "display name is only spaces, an empty Cc and Reply-To, a Date of only spaces, an "
    "empty Message-ID and In-Reply-To.",
    build(
        "Date:   \n",
        "From: sender@example.com\n",
        'To: "   " <blank-name@example.net>\n',
        "Cc:\n",
        "Reply-To: \n",
        "Subject:\n",
        "Message-ID:\n",
        "In-Reply-To: \n",
        "\nBody.\n",
    ),
)


# --------------------------------------------------------------------------
# Identification and trace fields
# --------------------------------------------------------------------------

msg(
    "message-id-lists",
    "Identification fields: a References list folded over lines with comments between the "
    "IDs, In-Reply-To with two IDs, a Message-ID with a quoted local part and a domain "
    "literal, and a Message-ID with a comment before it.",
    build(
        """Date: Sat, 10 Jan 2026 12:00:00 +0000
From: ids@example.com
To: parser@example.net
Subject: Re: Re: ID lists
Message-ID: (comment) <"quoted local"@[192.0.2.1]>
In-Reply-To: <first@example.com> <second@example.com>
References: <root@example.com> (the root)
 <first@example.com>
	<second@example.com>

Body.
"""
    ),
)

msg(
    "in-reply-to-junk",
    "In-Reply-To written the old way, with text around the ID (\"Your message of ...\"), "
    "and a Message-ID that is not in angle brackets.",
    build(
        """Date: Sat, 10 Jan 2026 12:10:00 +0000
From: junk@example.com
To: parser@example.net
Subject: Re: old style
Message-ID: no-angle-brackets@example.com
In-Reply-To: Your message of "Fri, 09 Jan 2026 10:00:00 +0000"
 <orig-junk@example.com> (and a comment)
References: garbage <orig-junk@example.com> more garbage

Body.
"""
    ),
)

msg(
    "received-headers",
    "A realistic trace: Return-Path, several Received fields (with and without TLS "
    "details, IPv6 literal, folded), DKIM-Signature and Authentication-Results, before the "
    "originator fields.",
    build(
        """Return-Path: <bounce+abc@mail.example.com>
Delivered-To: dan@example.net
Received: from mx.example.net (localhost [127.0.0.1])
\tby mx.example.net (Postfix) with ESMTP id 4ABC123DEF
\tfor <dan@example.net>; Sat, 10 Jan 2026 12:20:05 +0000 (UTC)
Received: from mail.example.com (mail.example.com [IPv6:2001:db8::25])
\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)
\t key-exchange X25519 server-signature RSA-PSS (2048 bits))
\t(No client certificate requested)
\tby mx.example.net (Postfix) with ESMTPS id 4ABC123DEF
\tfor <dan@example.net>; Sat, 10 Jan 2026 12:20:04 +0000 (UTC)
Received: by mail.example.com with SMTP id abc123;
        Sat, 10 Jan 2026 04:20:03 -0800 (PST)
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=sel;
\th=from:to:subject:date:message-id; bh=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=;
\tb=BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB
Authentication-Results: mx.example.net; dkim=pass header.d=example.com;
\tspf=pass smtp.mailfrom=mail.example.com
Date: Sat, 10 Jan 2026 04:20:00 -0800
From: Sender <sender@example.com>
To: dan@example.net
Subject: Trace fields
Message-ID: <received@example.com>

Body.
"""
    ),
)


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------


def readme() -> str:
    rows = []
    for name, desc, data in sorted(CORPUS):
        lf = data.count(b"\n")
        crlf = data.count(b"\r\n")
        ends = "CRLF" if lf == crlf else ("LF" if crlf == 0 else "mixed")
        rows.append(f"| `{name}.eml` | {len(data)} | {ends} | {desc} |")
    return f"""# rfc822-message test corpus

{len(CORPUS)} messages written for this project by `tools/gen_corpus.py`
(regenerate with `python3 crates/rfc822-message/tools/gen_corpus.py`; do not
edit the `.eml` files by hand). The RFC 5322 Appendix A messages are the RFC's
own examples; everything else was written here.

Uses:

- parser and header-value tests of `rfc822-message`;
- the differential test against mail-parser;
- the benchmarks;
- the Dovecot reference answers in
  `crates/imap-proto/tests/data/dovecot-rfc822/` (ENVELOPE, BODYSTRUCTURE,
  BODY[section], sizes of each message), recorded by
  `interop/record_rfc822.py`.

Line ends are CRLF except where a file is about line ends ("Ends" column:
CRLF, LF, or mixed). The files are raw bytes (8-bit, ISO-8859-1, bare CR/LF):
`.gitattributes` stops git from converting them.

| File | Octets | Ends | What it exercises |
| --- | ---: | --- | --- |
{chr(10).join(rows)}
"""


def outputs() -> dict[str, bytes]:
    files = {f"{name}.eml": data for name, _, data in CORPUS}
    files["README.md"] = readme().encode("utf-8")
    files[".gitattributes"] = (
        b"# Raw message bytes (CRLF, bare LF/CR, 8-bit): never convert line endings.\n"
        b"*.eml -text\n"
    )
    return files


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--check", action="store_true", help="compare instead of writing")
    args = ap.parse_args()
    files = outputs()
    if args.check:
        bad = []
        present = {p.name for p in args.out.iterdir()} if args.out.is_dir() else set()
        for name, data in files.items():
            p = args.out / name
            if not p.is_file() or p.read_bytes() != data:
                bad.append(f"differs or missing: {name}")
        for name in sorted(present - set(files)):
            bad.append(f"extra: {name}")
        for b in bad:
            print(f"gen_corpus.py: {b}", file=sys.stderr)
        return 1 if bad else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("*.eml"):
        if old.name not in files:
            old.unlink()
    for name, data in files.items():
        (args.out / name).write_bytes(data)
    print(f"gen_corpus.py: wrote {len(CORPUS)} messages to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
