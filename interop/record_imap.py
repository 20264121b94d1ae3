#!/usr/bin/env python3
"""Records real IMAP sessions with Dovecot as test data for crates/imap-proto.

    python3 interop/record_imap.py [--out DIR] [--bulk N]

(Re)starts the loopback Dovecot of interop/dovecot.sh (POP3 and IMAP; IMAP on
127.0.0.1:$INTEROP_DOVECOT_IMAP_PORT, default 10143), empties the mailbox of
the user `interop`, then runs a fixed script of IMAP sessions over raw
sockets (not imaplib: the files hold exactly the bytes that crossed the
wire). For each session NN-name it writes, into DIR (default
crates/imap-proto/tests/data/dovecot):

  NN-name.c2s    every byte the client sent, in order, unmodified
  NN-name.s2c    every byte the server sent, in order, unmodified
  NN-name.trace  both directions interleaved, as records
                     b"C <len>\\n" + <len bytes> + b"\\n"   (client to server)
                     b"S <len>\\n" + <len bytes> + b"\\n"   (server to client)
                 where a record is a maximal run of bytes in one direction
                 (all the server bytes received between two client writes
                 form one S record). Concatenating the C payloads gives
                 .c2s, the S payloads .s2c.

and README.md describing every file (it is rewritten on each run). The
messages are built here, deterministically (fixed Date headers and APPEND
internal dates). What varies from run to run: UIDVALIDITY, the timing text
of Dovecot's tagged OKs ("(0.001 + 0.000 secs)"), \\Recent bookkeeping
across sessions in rare races, and the SAVEDATE values.

Only 127.0.0.1 is contacted. Stdlib only (Python 3.11). Needs root (Dovecot
runs as root; dovecot.sh seed writes the mail user's folder). Dovecot is left
running afterwards (`interop/dovecot.sh stop` ends it).
"""

from __future__ import annotations

import argparse
import base64
import datetime
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from imap_wire import ImapError, ResponseReader  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DOVECOT_SH = REPO / "interop" / "dovecot.sh"
IMAP_PORT = int(os.environ.get("INTEROP_DOVECOT_IMAP_PORT", "10143"))
DEFAULT_OUT = REPO / "crates" / "imap-proto" / "tests" / "data" / "dovecot"
USER, PASSWORD = "interop", "interop-pass"
HOST = "127.0.0.1"
CRLF = b"\r\n"
TIMEOUT = 30.0

# A server line that ends by announcing a literal ({n} or BINARY's ~{n}).


# --------------------------------------------------------------------------
# Messages (all CRLF, deterministic)
# --------------------------------------------------------------------------


def crlf(text: str) -> bytes:
    """The text with every line ending as CRLF, UTF-8 encoded."""
    return "\r\n".join(text.split("\n")).encode("utf-8")


def b64_lines(data: bytes, width: int = 76) -> str:
    enc = base64.b64encode(data).decode("ascii")
    return "\n".join(enc[i : i + width] for i in range(0, len(enc), width))


def pdf_bytes() -> bytes:
    """A PDF-looking blob with every byte value (NULs included)."""
    return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 3 + b"\n%%EOF\n"


MSG_PLAIN = crlf(
    """Return-Path: <alice@example.org>
Date: Mon, 05 Jan 2026 09:30:00 +0100
From: Alice Example <alice@example.org>
To: Bob Example <bob@example.net>
Subject: Plain text message
Message-ID: <plain-1@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 7bit

Hello Bob,

this is a plain text message with a few lines.
.A line that starts with a dot.
A line with trailing spaces   
And a (parenthesised) "quoted" {curly} line: {5}
the end.
"""
)

MSG_MULTIPART = crlf(
    f"""Date: Tue, 06 Jan 2026 14:05:09 +0000
From: "Carol Q. Sender" <carol@example.com>
To: Dan <dan@example.net>
Cc: eve@example.org
Subject: Invoice for March, with attachment
Message-ID: <multipart-2@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="=_outer_boundary_2"

This is a multi-part message in MIME format.

--=_outer_boundary_2
Content-Type: multipart/alternative; boundary="=_alt_boundary_2"

--=_alt_boundary_2
Content-Type: text/plain; charset="utf-8"; format=flowed
Content-Transfer-Encoding: quoted-printable

Hi Dan,

please find the invoice attached. The total is 42,00 =E2=82=AC.=20
Thanks!

--=_alt_boundary_2
Content-Type: text/html; charset="utf-8"
Content-Transfer-Encoding: quoted-printable
Content-Language: en

<html><body><p>Hi Dan,</p><p>please find the invoice attached. The total i=
s <b>42,00 &euro;</b>.</p></body></html>

--=_alt_boundary_2--

--=_outer_boundary_2
Content-Type: application/pdf;
 name*0*=UTF-8''Rechnung%20M%C3%A4rz;
 name*1*=%202026.pdf
Content-Transfer-Encoding: base64
Content-Disposition: attachment;
 filename*=UTF-8''Rechnung%20M%C3%A4rz%202026.pdf;
 size={len(pdf_bytes())}
Content-ID: <invoice-2026-03@example.com>
Content-Description: Invoice (PDF)

{b64_lines(pdf_bytes())}

--=_outer_boundary_2--
"""
)

MSG_NESTED = crlf(
    """Date: Wed, 07 Jan 2026 08:00:00 -0500
From: Frank <frank@example.com>
To: Grace <grace@example.org>
Subject: Fwd: Meeting notes
Message-ID: <nested-3@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer-3"

--outer-3
Content-Type: text/plain; charset=us-ascii

Forwarding the notes below.

--outer-3
Content-Type: message/rfc822
Content-Disposition: inline

Date: Tue, 06 Jan 2026 17:45:00 +0100
From: Heidi <heidi@example.net>
To: Frank <frank@example.com>, Ivan <ivan@example.net>
Subject: Meeting notes
Message-ID: <inner-3@example.net>
In-Reply-To: <agenda@example.net>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="inner-3"

--inner-3
Content-Type: text/plain; charset=us-ascii

1. Budget
2. Schedule

--inner-3
Content-Type: text/html; charset=us-ascii

<ol><li>Budget</li><li>Schedule</li></ol>

--inner-3--

--outer-3
Content-Type: text/plain; charset=us-ascii; name=notes.txt
Content-Disposition: attachment; filename=notes.txt

plain attachment

--outer-3--
"""
)

MSG_ENCODED = crlf(
    """Date: Thu, 08 Jan 2026 23:59:59 +0900
From: =?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <joerg@example.de>
Sender: Secretary <secretary@example.de>
Reply-To: =?ISO-8859-1?Q?Fran=E7ois?= <francois@example.fr>
To: Team: anna@example.com, "Ben, Jr." <ben@example.com>;,
 carol@example.com, =?UTF-8?B?0JTQvNC40YLRgNC40Lk=?= <dmitri@example.ru>,
 "john.q public"@example.com
Cc: Undisclosed recipients:;
Bcc: (comment only) zoe@example.com (Zoe)
Subject: =?UTF-8?B?w5xiZXJwcsO8ZnVuZw==?= der =?ISO-8859-1?Q?Pr=FCfung?=
 =?UTF-8?Q?_=E2=9C=93?=
Message-ID: <encoded-4@example.de>
In-Reply-To: <plain-1@example.org>
References: <plain-1@example.org> <multipart-2@example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Encoded words in the header, groups in To and Cc.
"""
)

MSG_UTF8 = crlf(
    """Date: Fri, 09 Jan 2026 12:00:00 +0100
From: Jürgen Grün <juergen@example.de>
To: Søren <soren@example.dk>
Subject: Grüße aus Köln – 日本語 🎉
Message-ID: <utf8-5@example.de>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Grüße aus Köln!
日本語のテキスト。
Emoji: 🎉✓
"""
)

MSG_SMALL = crlf(
    """Date: Sat, 10 Jan 2026 10:10:10 +0000
From: Mallory <mallory@example.com>
To: Bob Example <bob@example.net>
Subject: Small one appended with MULTIAPPEND
Message-ID: <small-6@example.com>

Short.
"""
)

MSG_BINARY_APPEND = crlf(
    """Date: Sun, 11 Jan 2026 11:11:11 +0000
From: Trent <trent@example.com>
To: Bob Example <bob@example.net>
Subject: Appended as a literal8
Message-ID: <literal8-7@example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Caf\u00e9 au lait.
"""
)

MSG_IDLE = crlf(
    """Date: Mon, 12 Jan 2026 07:00:00 +0000
From: Peggy <peggy@example.com>
To: Bob Example <bob@example.net>
Subject: Arrives while the other session idles
Message-ID: <idle-8@example.com>

New mail.
"""
)


def bulk_message(i: int) -> bytes:
    who = ["alice", "bob", "carol", "dan", "erin", "frank", "grace"][i % 7]
    day = 1 + i % 28
    return (
        f"Date: {day:02d} Feb 2026 {i % 24:02d}:{i % 60:02d}:00 +0000\r\n"
        f"From: {who} <{who}@example.com>\r\n"
        f"To: bulk@example.net\r\n"
        f"Subject: Bulk message {i}\r\n"
        f"Message-ID: <bulk-{i}@example.com>\r\n"
        f"\r\n"
        f"Body of bulk message {i}.\r\n"
    ).encode("ascii")


def bulk_date(i: int) -> str:
    return f"{1 + i % 28:02d}-Feb-2026 {i % 24:02d}:{i % 60:02d}:00 +0000"


def mutf7(name: str) -> str:
    """Modified UTF-7 (RFC 3501 section 5.1.3) of a mailbox name."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            raw = "".join(run).encode("utf-16-be")
            enc = base64.b64encode(raw).decode("ascii").rstrip("=").replace("/", ",")
            out.append("&" + enc + "-")
            run.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            run.append(ch)
    flush()
    return "".join(out)


# --------------------------------------------------------------------------
# A recorded raw connection
# --------------------------------------------------------------------------


class Lit:
    """A literal in a command: mode is "sync" ({n}), "plus" ({n+}),
    "bin" (~{n}) or "binplus" (~{n+})."""

    def __init__(self, data: bytes, mode: str = "sync"):
        self.data = data
        self.mode = mode

    def header(self) -> bytes:
        n = len(self.data)
        return {
            "sync": b"{%d}" % n,
            "plus": b"{%d+}" % n,
            "bin": b"~{%d}" % n,
            "binplus": b"~{%d+}" % n,
        }[self.mode] + CRLF

    def synchronising(self) -> bool:
        return self.mode in ("sync", "bin")


class Conn(ResponseReader):
    def __init__(self, port: int, record: bool = True):
        self.record = record
        self.records: list[list] = []  # [direction, bytearray]
        super().__init__(socket.create_connection((HOST, port), timeout=TIMEOUT))
        self.n = 0
        self.greeting = self.read_response()

    # -- raw I/O ----------------------------------------------------------

    def _rec(self, direction: str, data: bytes) -> None:
        if not self.record or not data:
            return
        if self.records and self.records[-1][0] == direction:
            self.records[-1][1] += data
        else:
            self.records.append([direction, bytearray(data)])

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)
        self._rec("C", data)

    def _received(self, data: bytes) -> None:
        self._rec("S", data)

    # -- commands ---------------------------------------------------------

    def tag(self) -> bytes:
        self.n += 1
        return b"a%03d" % self.n

    def wait_tag(self, tag: bytes) -> list[bytes]:
        lines = []
        while True:
            r = self.read_response()
            lines.append(r)
            if r.startswith(tag + b" "):
                return lines

    def wait_continuation(self, tag: bytes) -> tuple[bool, list[bytes]]:
        """Reads until a "+" line (True) or the command's tagged reply (False)."""
        lines = []
        while True:
            r = self.read_response()
            lines.append(r)
            if r.startswith(b"+"):
                return True, lines
            if r.startswith(tag + b" "):
                return False, lines

    def build(self, tag: bytes, parts) -> list[tuple[bytes, bool]]:
        """The command as chunks; a chunk flagged True must be followed by
        waiting for a continuation request."""
        chunks: list[tuple[bytes, bool]] = []
        cur = bytearray(tag + b" ")
        for p in parts if isinstance(parts, (list, tuple)) else [parts]:
            if isinstance(p, Lit):
                cur += p.header()
                if p.synchronising():
                    chunks.append((bytes(cur), True))
                    cur = bytearray()
                cur += p.data
            else:
                cur += p.encode("utf-8") if isinstance(p, str) else p
        cur += CRLF
        chunks.append((bytes(cur), False))
        return chunks

    def cmd(self, parts) -> list[bytes]:
        """Sends one command (waiting for "+" before each synchronising
        literal) and returns the responses up to its tagged reply."""
        tag = self.tag()
        lines: list[bytes] = []
        for data, must_wait in self.build(tag, parts):
            self.send(data)
            if must_wait:
                ok, got = self.wait_continuation(tag)
                lines += got
                if not ok:
                    return lines
        return lines + self.wait_tag(tag)

    def pipeline(self, commands) -> list[bytes]:
        """Sends several commands (no synchronising literals) in one write."""
        tags, data = [], bytearray()
        for parts in commands:
            tag = self.tag()
            tags.append(tag)
            for chunk, must_wait in self.build(tag, parts):
                assert not must_wait, "pipelined commands cannot carry sync literals"
                data += chunk
        self.send(bytes(data))
        lines: list[bytes] = []
        for tag in tags:
            lines += self.wait_tag(tag)
        return lines

    def raw_line(self, line: bytes, tag: bytes | None) -> list[bytes]:
        """Sends a line as it is; waits for `tag` (or one response)."""
        self.send(line)
        if tag is None:
            return [self.read_response()]
        return self.wait_tag(tag)

    def wait_untagged(self, pattern: bytes, timeout: float) -> list[bytes]:
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        lines = []
        self.sock.settimeout(timeout)
        try:
            while time.monotonic() < deadline:
                r = self.read_response()
                lines.append(r)
                if rx.search(r):
                    return lines
        finally:
            self.sock.settimeout(TIMEOUT)
        raise ImapError(f"no {pattern!r} within {timeout}s: {lines!r}")

    def login(self) -> list[bytes]:
        return self.cmd(f"LOGIN {USER} {PASSWORD}")

    def close(self) -> None:
        self.sock.close()

    def c2s(self) -> bytes:
        return b"".join(bytes(d) for k, d in self.records if k == "C")

    def s2c(self) -> bytes:
        return b"".join(bytes(d) for k, d in self.records if k == "S")

    def trace(self) -> bytes:
        out = bytearray()
        for k, d in self.records:
            out += b"%s %d\n" % (k.encode(), len(d)) + bytes(d) + b"\n"
        return bytes(out)


def check_ok(lines: list[bytes], what: str) -> None:
    last = lines[-1] if lines else b""
    parts = last.split(b" ", 2)
    if len(parts) < 2 or parts[1] != b"OK":
        raise ImapError(f"{what}: {last!r}")


# --------------------------------------------------------------------------
# The sessions
# --------------------------------------------------------------------------


class Recorder:
    def __init__(self, out: Path, port: int, bulk: int):
        self.out = out
        self.port = port
        self.bulk_count = bulk
        self.files: list[tuple[str, str]] = []  # (stem, description)
        self.caps_pre = b""
        self.caps_post = b""
        self.uidvalidity = b""
        self.notes: list[str] = []

    def conn(self, record: bool = True) -> Conn:
        return Conn(self.port, record)

    def save(self, stem: str, conn: Conn, description: str) -> None:
        (self.out / f"{stem}.c2s").write_bytes(conn.c2s())
        (self.out / f"{stem}.s2c").write_bytes(conn.s2c())
        (self.out / f"{stem}.trace").write_bytes(conn.trace())
        self.files.append((stem, description))
        print(f"record_imap.py: {stem}: {len(conn.c2s())} + {len(conn.s2c())} octets", file=sys.stderr)

    def has(self, cap: str) -> bool:
        return cap.encode() in self.caps_post.split()

    # 01
    def capability_login(self) -> None:
        c = self.conn()
        self.caps_pre = c.cmd("CAPABILITY")[0].strip()
        c.cmd("NOOP")
        c.cmd("LOGIN interop wrong-password")
        c.cmd(["LOGIN ", Lit(USER.encode()), " ", '"' + PASSWORD + '"'])
        self.caps_post = c.cmd("CAPABILITY")[0].strip()
        c.cmd('ID ("name" "record_imap.py" "version" "1")')
        c.cmd("NAMESPACE")
        c.cmd("NOOP")
        c.cmd("LOGOUT")
        c.close()
        self.save(
            "01-capability-login",
            c,
            "Greeting with [CAPABILITY], CAPABILITY before and after login, NOOP, a failed LOGIN "
            "(NO [AUTHENTICATIONFAILED]), LOGIN with a synchronising literal user name and a quoted "
            "password, ID, NAMESPACE, LOGOUT (BYE then OK).",
        )

    # 02, 03
    def authenticate(self) -> None:
        ir = base64.b64encode(f"\0{USER}\0{PASSWORD}".encode())
        c = self.conn()
        tag = c.tag()
        c.send(tag + b" AUTHENTICATE LOGIN\r\n")
        ok, _ = c.wait_continuation(tag)  # "+ VXNlcm5hbWU6" (Username:)
        assert ok
        c.send(base64.b64encode(USER.encode()) + CRLF)
        ok, _ = c.wait_continuation(tag)  # "+ UGFzc3dvcmQ6" (Password:)
        assert ok
        c.raw_line(b"*\r\n", tag)  # the client cancels: BAD
        tag = c.tag()
        c.send(tag + b" AUTHENTICATE PLAIN\r\n")
        ok, _ = c.wait_continuation(tag)
        assert ok
        check_ok(c.raw_line(ir + CRLF, tag), "AUTHENTICATE PLAIN")
        c.cmd("LOGOUT")
        c.close()
        self.save(
            "02-authenticate-plain",
            c,
            'AUTHENTICATE LOGIN: "+ VXNlcm5hbWU6" (base64 "Username:"), the base64 user name, '
            '"+ UGFzc3dvcmQ6" ("Password:"), then the client cancels with "*" (BAD); then AUTHENTICATE '
            'PLAIN without initial response: an empty "+ " continuation answered with the base64 credentials; the '
            "tagged OK carries [CAPABILITY ...]. LOGOUT.",
        )
        c = self.conn()
        check_ok(c.cmd(b"AUTHENTICATE PLAIN " + ir), "AUTHENTICATE PLAIN (SASL-IR)")
        c.cmd("LOGOUT")
        c.close()
        self.save(
            "03-authenticate-sasl-ir",
            c,
            "AUTHENTICATE PLAIN with the SASL-IR initial response on the command line; OK with "
            "[CAPABILITY ...]. LOGOUT.",
        )

    # 04
    def append(self) -> None:
        c = self.conn()
        check_ok(c.login(), "LOGIN")
        plus = "plus" if self.has("LITERAL+") else "sync"
        check_ok(
            c.cmd(["APPEND INBOX (\\Seen) \"05-Jan-2026 09:30:00 +0100\" ", Lit(MSG_PLAIN)]),
            "APPEND 1",
        )
        check_ok(
            c.cmd(
                [
                    'APPEND "INBOX" (\\Flagged $Invoice) "06-Jan-2026 14:05:09 +0000" ',
                    Lit(MSG_MULTIPART, plus),
                ]
            ),
            "APPEND 2",
        )
        check_ok(c.cmd(['APPEND inbox () " 7-Jan-2026 08:00:00 -0500" ', Lit(MSG_NESTED)]), "APPEND 3")
        check_ok(
            c.cmd(['APPEND INBOX (\\Answered) "08-Jan-2026 23:59:59 +0900" ', Lit(MSG_ENCODED, plus)]),
            "APPEND 4",
        )
        multi = self.has("MULTIAPPEND")
        if multi:
            check_ok(
                c.cmd(
                    [
                        'APPEND INBOX "09-Jan-2026 12:00:00 +0100" ',
                        Lit(MSG_UTF8),
                        ' (\\Draft) "10-Jan-2026 10:10:10 +0000" ',
                        Lit(MSG_SMALL),
                    ]
                ),
                "MULTIAPPEND 5, 6",
            )
        else:
            check_ok(c.cmd(['APPEND INBOX "09-Jan-2026 12:00:00 +0100" ', Lit(MSG_UTF8)]), "APPEND 5")
            check_ok(c.cmd(['APPEND INBOX (\\Draft) "10-Jan-2026 10:10:10 +0000" ', Lit(MSG_SMALL)]), "APPEND 6")
        if self.has("BINARY"):
            binmode = "binplus" if self.has("LITERAL+") else "bin"
            check_ok(
                c.cmd(['APPEND INBOX () "11-Jan-2026 11:11:11 +0000" ', Lit(MSG_BINARY_APPEND, binmode)]),
                "APPEND 7 (literal8)",
            )
        else:
            check_ok(c.cmd(['APPEND INBOX () "11-Jan-2026 11:11:11 +0000" ', Lit(MSG_BINARY_APPEND)]), "APPEND 7")
        # Errors: no such mailbox (NO [TRYCREATE]); a bad date (BAD).
        c.cmd(['APPEND "No Such Folder" ', Lit(MSG_SMALL)])
        c.cmd(['APPEND INBOX "31-Foo-2026 10:00:00 +0000" ', Lit(MSG_SMALL)])
        c.cmd("LOGOUT")
        c.close()
        self.save(
            "04-append",
            c,
            "APPEND of the test messages into INBOX, each with an internal date: 1 plain text "
            "(sync literal, \\Seen), 2 multipart/mixed = multipart/alternative (text/plain QP "
            "format=flowed + text/html QP) + base64 application/pdf with RFC 2231 name*0*/name*1* "
            "and filename* (LITERAL+ {n+}, \\Flagged $Invoice), 3 multipart/mixed with a "
            "message/rfc822 part that is itself multipart/alternative (sync), 4 RFC 2047 "
            "encoded-words in Subject/From/Reply-To, address groups in To and Cc, a quoted local "
            "part, a comment-only Bcc (LITERAL+, \\Answered), 5 raw 8-bit UTF-8 header and body and 6 a "
            "small message in one MULTIAPPEND (two sync literals, \\Draft on 6), 7 a literal8 "
            "~{n+} (BINARY) with an 8-bit body. Every OK carries [APPENDUID v uid]. Then APPEND to a "
            'missing folder (NO [TRYCREATE] instead of "+ OK": the literal is never sent) and with a '
            "bad month name (BAD, likewise).",
        )

    # 05
    def mailboxes(self) -> None:
        c = self.conn()
        check_ok(c.login(), "LOGIN")
        lines = c.cmd('LIST "" ""')
        m = re.match(rb'\* LIST \([^)]*\) (NIL|"((?:[^"\\]|\\.)*)")', lines[0])
        sep = m.group(2).decode() if m and m.group(2) is not None else "."
        for name in ["Sent", "Drafts", "Trash", "Junk", "Archive", "Work", f"Work{sep}Projects"]:
            check_ok(c.cmd(f'CREATE "{name}"'), f"CREATE {name}")
        c.cmd("SUBSCRIBE INBOX")
        c.cmd("SUBSCRIBE Sent")
        c.cmd(f'SUBSCRIBE "Work{sep}Projects"')
        c.cmd('LIST "" "*"')
        c.cmd('LIST "" "%"')
        c.cmd('LIST "" "Work%"')
        c.cmd('LIST "" "Work*"')
        c.cmd('LSUB "" "*"')
        c.cmd('LSUB "" "%"')
        if self.has("LIST-EXTENDED"):
            c.cmd('LIST "" "*" RETURN (CHILDREN)')
            c.cmd('LIST (SUBSCRIBED) "" "*"')
            c.cmd('LIST (SUBSCRIBED RECURSIVEMATCH) "" "%"')
            c.cmd('LIST "" ("INBOX" "Work*")')
        if self.has("SPECIAL-USE"):
            c.cmd('LIST (SPECIAL-USE) "" "*"')
            if self.has("LIST-STATUS"):
                c.cmd('LIST "" "*" RETURN (SPECIAL-USE STATUS (MESSAGES UNSEEN))')
            else:
                c.cmd('LIST "" "*" RETURN (SPECIAL-USE)')
        elif self.has("LIST-STATUS"):
            c.cmd('LIST "" "*" RETURN (STATUS (MESSAGES UNSEEN))')
        c.cmd("NAMESPACE")
        umlaut = "Entwürfe & Übersicht"
        japanese = "日本語のフォルダ"
        mu, mj = mutf7(umlaut), mutf7(japanese)
        self.notes.append(f'modified UTF-7: "{umlaut}" = "{mu}", "{japanese}" = "{mj}"')
        check_ok(c.cmd(f'CREATE "{mu}"'), "CREATE umlaut")
        c.cmd(f'LIST "" "Entw*"')
        check_ok(c.cmd(f'RENAME "{mu}" "{mj}"'), "RENAME")
        c.cmd('LIST "" "*"')
        c.cmd(f'STATUS "{mj}" (MESSAGES UIDNEXT)')
        check_ok(c.cmd(f'DELETE "{mj}"'), "DELETE")
        c.cmd('DELETE "No Such Folder"')
        c.cmd("CREATE INBOX")
        c.cmd(f'UNSUBSCRIBE "Work{sep}Projects"')
        c.cmd('LSUB "" "*"')
        c.cmd("STATUS INBOX (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN)")
        if self.has("STATUS=SIZE"):
            c.cmd("STATUS INBOX (MESSAGES SIZE)")
        c.cmd("LOGOUT")
        c.close()
        self.save(
            "05-mailboxes",
            c,
            'LIST "" "" (hierarchy separator), CREATE of the special-use folders, Work and a child, '
            "SUBSCRIBE, LIST with * and % patterns, LSUB, LIST-EXTENDED selection/return options "
            "(CHILDREN, SUBSCRIBED, RECURSIVEMATCH with CHILDINFO, several patterns), LIST (SPECIAL-USE), "
            "LIST ... RETURN (SPECIAL-USE STATUS (MESSAGES UNSEEN)) (LIST-STATUS: untagged STATUS "
            "after each LIST), NAMESPACE, CREATE/LIST/RENAME/STATUS/DELETE of a non-ASCII folder in "
            "modified UTF-7 (with &- for &), DELETE of a missing folder (NO [NONEXISTENT]), CREATE "
            "INBOX (NO [ALREADYEXISTS]), UNSUBSCRIBE, STATUS INBOX (MESSAGES RECENT UIDNEXT "
            "UIDVALIDITY UNSEEN) and STATUS (MESSAGES SIZE).",
        )

    # 06
    def fetch(self) -> None:
        c = self.conn()
        check_ok(c.login(), "LOGIN")
        check_ok(c.cmd("EXAMINE INBOX"), "EXAMINE")
        c.cmd("FETCH 1:* (FLAGS UID INTERNALDATE RFC822.SIZE ENVELOPE)")
        c.cmd("FETCH 1:* BODYSTRUCTURE")
        c.cmd("FETCH 1:* BODY")
        n = 7
        for i in range(1, n + 1):
            c.cmd(f"FETCH {i} BODY.PEEK[]")
        c.cmd("FETCH 2 BODY.PEEK[HEADER]")
        c.cmd("FETCH 1:* BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)]")
        c.cmd("FETCH 2 BODY.PEEK[HEADER.FIELDS.NOT (Received Content-Type)]")
        c.cmd("FETCH 2 (BODY.PEEK[1.MIME] BODY.PEEK[2.MIME])")
        c.cmd("FETCH 2 BODY.PEEK[1.1]")
        c.cmd("FETCH 2 BODY.PEEK[2]<0.100>")
        c.cmd("FETCH 2 BODY.PEEK[2]<100000.10>")
        c.cmd("FETCH 3 (BODY.PEEK[2.HEADER] BODY.PEEK[2.TEXT] BODY.PEEK[2.1] BODY.PEEK[3])")
        c.cmd("FETCH 1 BODY.PEEK[TEXT]")
        c.cmd("FETCH 1 (RFC822.HEADER)")
        c.cmd("FETCH 1:2 FAST")
        c.cmd("FETCH 1:2 ALL")
        c.cmd("FETCH 1:2 FULL")
        if self.has("BINARY"):
            c.cmd("FETCH 2 (BINARY.SIZE[2] BINARY.SIZE[1.1] BINARY.SIZE[1.2])")
            c.cmd("FETCH 2 BINARY.PEEK[2]")
            c.cmd("FETCH 2 BINARY.PEEK[1.1]")
            c.cmd("FETCH 2 BINARY.PEEK[2]<0.16>")
            c.cmd("FETCH 5 BINARY.PEEK[1]")
        if self.has("PREVIEW"):
            c.cmd("FETCH 1:* (PREVIEW)")
        elif self.has("SNIPPET=FUZZY"):
            c.cmd("FETCH 1:* (SNIPPET (FUZZY))")
        if self.has("SAVEDATE"):
            c.cmd("FETCH 1 (SAVEDATE)")
        c.cmd("UID FETCH 1:* (FLAGS)")
        c.cmd("UID FETCH 2,4:5 (RFC822.SIZE BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
        c.pipeline([f"FETCH {i} (UID BODY.PEEK[HEADER.FIELDS (DATE)])" for i in range(1, 4)] + ["NOOP"])
        # SELECT (read-write): a non-PEEK fetch sets \Seen, reported in FETCH FLAGS.
        check_ok(c.cmd("SELECT INBOX"), "SELECT")
        c.cmd("FETCH 3 BODY[TEXT]")
        c.cmd("FETCH 4 RFC822")
        c.cmd("FETCH 3:4 FLAGS")
        c.cmd("CHECK")
        c.cmd("LOGOUT")
        c.close()
        self.save(
            "06-fetch",
            c,
            "EXAMINE INBOX (read-only), then FETCH 1:* (FLAGS UID INTERNALDATE RFC822.SIZE ENVELOPE), "
            "FETCH 1:* BODYSTRUCTURE (nested multiparts, message/rfc822, RFC 2231 parameters, "
            "disposition, language, MD5 NIL), FETCH 1:* BODY, BODY.PEEK[] of each message (literals, "
            "one with raw UTF-8), BODY.PEEK[HEADER], HEADER.FIELDS, HEADER.FIELDS.NOT, [1.MIME] "
            "[2.MIME], [1.1], partial [2]<0.100> and a partial past the end, [2.HEADER] [2.TEXT] "
            "[2.1] of the nested message, [TEXT], RFC822.HEADER, the FAST/ALL/FULL macros, "
            "BINARY.SIZE and BINARY.PEEK (the decoded PDF comes as a literal8 ~{n} with NULs), "
            "PREVIEW, SAVEDATE, UID FETCH, four pipelined commands in one write (Dovecot runs the three "
            "FETCHes together: their untagged replies come before the three tagged OKs); then SELECT INBOX "
            "(read-write) where BODY[TEXT] and RFC822 add \\Seen (FLAGS in the same FETCH), CHECK, LOGOUT.",
        )

    # 07
    def search(self) -> None:
        c = self.conn()
        check_ok(c.login(), "LOGIN")
        check_ok(c.cmd("SELECT INBOX"), "SELECT")
        c.cmd("SEARCH ALL")
        c.cmd("SEARCH UNSEEN")
        c.cmd("SEARCH SEEN")
        c.cmd("SEARCH FLAGGED")
        c.cmd("SEARCH KEYWORD $Invoice")
        c.cmd('SEARCH SUBJECT "meeting"')
        c.cmd('SEARCH FROM "example.com"')
        c.cmd("SEARCH SINCE 7-Jan-2026")
        c.cmd("SEARCH SENTBEFORE 8-Jan-2026")
        c.cmd("SEARCH LARGER 1000")
        c.cmd("SEARCH SMALLER 500")
        c.cmd('SEARCH OR FROM alice SUBJECT invoice')
        c.cmd('SEARCH NOT DELETED HEADER Message-ID "example.de"')
        c.cmd("SEARCH 2:4 NOT SEEN")
        c.cmd('SEARCH SUBJECT "no such subject"')
        c.cmd(["SEARCH CHARSET UTF-8 SUBJECT ", Lit("Grüße".encode("utf-8"))])
        c.cmd(['SEARCH CHARSET UTF-8 FROM "Jörg"'])
        c.cmd("SEARCH CHARSET KOI8-U ALL")  # iconv knows it: OK
        c.cmd("SEARCH CHARSET X-NO-SUCH-CHARSET ALL")
        c.cmd('UID SEARCH SUBJECT "message" FROM "alice" SINCE 1-Jan-2026 LARGER 100')
        c.cmd("UID SEARCH UID 2:*")
        c.cmd("UID SEARCH ALL")
        if self.has("ESEARCH"):
            c.cmd("SEARCH RETURN (MIN MAX COUNT ALL) ALL")
            c.cmd("SEARCH RETURN () UNSEEN")
            c.cmd("UID SEARCH RETURN (COUNT) FLAGGED")
            c.cmd("UID SEARCH RETURN (MIN MAX) SUBJECT \"no such subject\"")
        if self.has("SEARCHRES"):
            c.cmd("SEARCH RETURN (SAVE) SINCE 8-Jan-2026")
            c.cmd("FETCH $ (UID)")
        if self.has("WITHIN"):
            c.cmd("SEARCH OLDER 86400")
        c.cmd("LOGOUT")
        c.close()
        self.save(
            "07-search",
            c,
            "SELECT INBOX, SEARCH with ALL, UNSEEN, SEEN, FLAGGED, KEYWORD, SUBJECT, FROM, SINCE, "
            "SENTBEFORE, LARGER, SMALLER, OR, NOT, HEADER, a sequence set, no match (bare "
            '"* SEARCH"), CHARSET UTF-8 with a literal and with a quoted 8-bit string, an unknown '
            "charset KOI8-U (accepted) and an unknown one (NO [BADCHARSET]), UID SEARCH with several criteria, UID SEARCH UID, ESEARCH "
            "(RETURN (MIN MAX COUNT ALL), RETURN (), UID ... RETURN (COUNT), no match), SEARCHRES "
            "(RETURN (SAVE) then FETCH $), WITHIN (OLDER).",
        )

    # 08
    def store_copy_move(self) -> None:
        c = self.conn()
        check_ok(c.login(), "LOGIN")
        check_ok(c.cmd("SELECT INBOX"), "SELECT")
        c.cmd("STORE 1:2 +FLAGS (\\Seen)")
        c.cmd("STORE 2 -FLAGS.SILENT (\\Flagged)")
        c.cmd("STORE 5 FLAGS (\\Seen $Label1 NonJunk)")
        c.cmd("UID STORE 6 +FLAGS (\\Deleted)")
        c.cmd("STORE 1 +FLAGS (\\Recent)")
        c.cmd("COPY 1:2 Trash")
        c.cmd("UID COPY 3 Archive")
        c.cmd('COPY 1 "No Such Folder"')
        if self.has("MOVE"):
            c.cmd("MOVE 4 Archive")
            c.cmd("UID MOVE 7 Junk")
        c.cmd("EXPUNGE")
        if self.has("UIDPLUS"):
            c.cmd("STORE 1 +FLAGS.SILENT (\\Deleted)")
            c.cmd("UID EXPUNGE 1")
        c.cmd("NOOP")
        c.cmd("FETCH 1:* (UID FLAGS)")
        c.cmd("STATUS Archive (MESSAGES UIDNEXT UNSEEN)")
        if self.has("UNSELECT"):
            c.cmd("UNSELECT")
        check_ok(c.cmd("SELECT Trash"), "SELECT Trash")
        c.cmd("STORE 1:* +FLAGS (\\Deleted)")
        c.cmd("CLOSE")
        c.cmd("LOGOUT")
        c.close()
        self.save(
            "08-store-copy-move-expunge",
            c,
            "SELECT INBOX, STORE +FLAGS / -FLAGS.SILENT / FLAGS with keywords, UID STORE \\Deleted, "
            "STORE of \\Recent (BAD), COPY and UID COPY ([COPYUID]), COPY to a missing folder (NO "
            "[TRYCREATE]), MOVE and UID MOVE (untagged OK [COPYUID] and EXPUNGE before the tagged "
            "OK), EXPUNGE, UID EXPUNGE, NOOP, FETCH, STATUS, UNSELECT, SELECT Trash, STORE \\Deleted, "
            "CLOSE (silent expunge), LOGOUT.",
        )

    # 09
    def enable_condstore(self) -> None:
        c = self.conn()
        check_ok(c.login(), "LOGIN")
        c.cmd("ENABLE CONDSTORE")
        c.cmd("ENABLE QRESYNC UTF8=ACCEPT X-UNKNOWN-EXTENSION")
        lines = c.cmd("STATUS INBOX (UIDVALIDITY HIGHESTMODSEQ MESSAGES)")
        m = re.search(rb"UIDVALIDITY (\d+)", lines[0])
        uidvalidity = m.group(1).decode() if m else "1"
        check_ok(c.cmd("SELECT INBOX (CONDSTORE)"), "SELECT (CONDSTORE)")
        c.cmd("FETCH 1:* (FLAGS) (CHANGEDSINCE 1)")
        c.cmd("FETCH 1 (MODSEQ UID)")
        c.cmd("STORE 1 (UNCHANGEDSINCE 1) +FLAGS (\\Flagged)")
        c.cmd("STORE 1 (UNCHANGEDSINCE 100000) +FLAGS (\\Flagged)")
        c.cmd("SEARCH MODSEQ 1")
        c.cmd("UID SEARCH RETURN (ALL MAX) MODSEQ 2")
        c.cmd("UNSELECT")
        # QRESYNC: the UIDs expunged in 08 come back as VANISHED (EARLIER).
        check_ok(c.cmd(f"SELECT INBOX (QRESYNC ({uidvalidity} 1 1:10))"), "SELECT (QRESYNC)")
        c.cmd("UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)")
        c.cmd("LOGOUT")
        c.close()
        self.save(
            "09-enable-condstore-qresync",
            c,
            "ENABLE CONDSTORE (* ENABLED CONDSTORE), ENABLE QRESYNC with UTF8=ACCEPT and an unknown "
            "extension (this Dovecot does not offer UTF8=ACCEPT: only QRESYNC is enabled), STATUS "
            "with HIGHESTMODSEQ, SELECT (CONDSTORE) ([HIGHESTMODSEQ]), FETCH ... (CHANGEDSINCE), "
            "FETCH MODSEQ, STORE (UNCHANGEDSINCE) failing ([MODIFIED]) and succeeding, SEARCH "
            "MODSEQ (with (MODSEQ n) at the end), ESEARCH with MODSEQ, UNSELECT, SELECT (QRESYNC "
            "(uidvalidity modseq uids)) giving VANISHED (EARLIER) and FETCH ... MODSEQ, UID FETCH "
            "(CHANGEDSINCE 1 VANISHED).",
        )

    # 10, 11
    def idle(self) -> None:
        a = self.conn()
        check_ok(a.login(), "LOGIN")
        check_ok(a.cmd("SELECT INBOX"), "SELECT")
        tag = a.tag()
        a.send(tag + b" IDLE\r\n")
        ok, _ = a.wait_continuation(tag)
        assert ok, "IDLE refused"
        b = self.conn()
        check_ok(b.login(), "LOGIN (b)")
        check_ok(b.cmd(['APPEND INBOX "12-Jan-2026 07:00:00 +0000" ', Lit(MSG_IDLE)]), "APPEND (b)")
        a.wait_untagged(rb"^\* \d+ EXISTS", 15)
        check_ok(b.cmd("SELECT INBOX"), "SELECT (b)")
        b.cmd("STORE 1 +FLAGS (\\Answered)")
        a.wait_untagged(rb"^\* 1 FETCH", 15)
        b.cmd("STORE 2 +FLAGS.SILENT (\\Deleted)")
        b.cmd("EXPUNGE")
        a.wait_untagged(rb"^\* 2 EXPUNGE", 15)
        b.cmd("LOGOUT")
        b.close()
        time.sleep(0.2)
        a.send(b"DONE\r\n")
        a.wait_tag(tag)
        a.cmd("LOGOUT")
        a.close()
        self.save(
            "10-idle",
            a,
            'SELECT INBOX and IDLE ("+ idling"); while it idles another connection (11-idle-other) '
            "APPENDs a message (* n EXISTS, * n RECENT), adds \\Answered to message 1 (* 1 FETCH "
            "(FLAGS ...)) and expunges message 2 (* 2 EXPUNGE); then DONE and the tagged OK, LOGOUT. "
            "The untagged replies may arrive in one or several writes.",
        )
        self.save(
            "11-idle-other",
            b,
            "The second connection of 10-idle: LOGIN, APPEND, SELECT INBOX, STORE, STORE "
            "+FLAGS.SILENT \\Deleted, EXPUNGE, LOGOUT.",
        )

    # 12, 13
    def errors(self) -> None:
        c = self.conn()
        c.cmd("SELECT INBOX")  # not authenticated yet
        c.cmd("FROBNICATE")
        # The third invalid command before login ends the connection.
        tag = c.tag()
        c.send(tag + b" LOGIN\r\n")
        try:
            while True:
                c.read_response()
        except ImapError:
            pass
        c.close()
        self.save(
            "12-errors-not-authenticated",
            c,
            "Before login: SELECT (BAD), an unknown command (BAD), LOGIN without arguments: the "
            'third invalid command gets "* BYE Too many invalid IMAP commands." and the server '
            "closes the connection without a tagged reply.",
        )
        c = self.conn()
        check_ok(c.login(), "LOGIN")
        c.cmd("LOGIN interop interop-pass")  # already authenticated
        c.cmd("FETCH 1 FLAGS")  # nothing selected
        check_ok(c.cmd("SELECT INBOX"), "SELECT")
        c.cmd("FROBNICATE 1 2 3")
        c.raw_line(b"\r\n", None)  # an empty line
        c.cmd("FETCH")
        c.cmd("FETCH 1:* (FLAGS")
        c.cmd("FETCH 1 (NOSUCHITEM)")
        c.cmd("FETCH 999 FLAGS")
        c.cmd("FETCH 0 FLAGS")
        c.cmd("UID FETCH 999 FLAGS")
        c.cmd("FETCH 1 BODY[99]")
        c.cmd("FETCH 1 BODY[1.2.3.MIME]")
        c.cmd('SEARCH FROB "x"')
        c.cmd("STORE 1 +FLAGS (\\Bogus)")
        c.cmd('SELECT "No Such Folder"')
        c.cmd("STATUS INBOX (NOSUCHATTR)")
        c.cmd('CREATE ""')
        c.cmd("EXAMINE")
        c.raw_line(b"a1001 NOOP extra\r\n", b"a1001")
        c.raw_line(b"a1002 NOOP\n", b"a1002")  # bare LF line ending
        c.raw_line(b'a1003 LIST "" "INBOX" "extra"\r\n', b"a1003")
        c.raw_line(b"*bad-tag NOOP\r\n", None)
        c.cmd("LOGOUT")
        c.close()
        self.save(
            "13-errors",
            c,
            "Errors after login: LOGIN again, FETCH with nothing selected, then in the selected "
            "state: an unknown command with arguments, an empty line, FETCH without arguments, an "
            "unclosed list, an unknown fetch item, FETCH of a message number past the end and of 0, "
            "UID FETCH of a missing UID (OK, nothing), BODY[99] and a deep section of a "
            "non-multipart message, an unknown SEARCH key, STORE of an unknown system flag, SELECT "
            "of a missing folder (untagged OK [CLOSED] for the mailbox that was selected, then a plain "
            "NO without response code), an "
            "unknown STATUS item, CREATE of an empty name, EXAMINE without arguments, NOOP with an "
            'extra argument, a command ended by a bare LF, LIST with too many arguments, a "*" '
            "tag; LOGOUT.",
        )

    # 14
    def bulk_search(self) -> None:
        setup = self.conn(record=False)
        check_ok(setup.login(), "LOGIN (bulk setup)")
        check_ok(setup.cmd("CREATE Bulk"), "CREATE Bulk")
        mode = "plus" if self.has("LITERAL+") else "sync"
        batch = 250 if self.has("MULTIAPPEND") else 1
        for start in range(0, self.bulk_count, batch):
            parts: list = ["APPEND Bulk"]
            for i in range(start, min(start + batch, self.bulk_count)):
                flags = "(\\Seen)" if i % 3 else "()"
                parts += [f' {flags} "{bulk_date(i)}" ', Lit(bulk_message(i), mode)]
            check_ok(setup.cmd(parts), "APPEND Bulk")
        check_ok(setup.cmd("LOGOUT"), "LOGOUT")
        setup.close()
        c = self.conn()
        check_ok(c.login(), "LOGIN")
        check_ok(c.cmd("SELECT Bulk"), "SELECT Bulk")
        self.search_all = c.cmd("SEARCH ALL")[0]
        c.cmd("UID SEARCH ALL")
        c.cmd("SEARCH UNSEEN")
        c.cmd('SEARCH FROM "carol"')
        if self.has("ESEARCH"):
            c.cmd("SEARCH RETURN (MIN MAX COUNT ALL) UNSEEN")
        self.fetch_all = c.cmd("FETCH 1:* (UID FLAGS RFC822.SIZE)")
        c.cmd("LOGOUT")
        c.close()
        self.save(
            "14-bulk-search",
            c,
            f"{self.bulk_count} small messages in folder Bulk (appended beforehand, unrecorded, by "
            f"MULTIAPPEND of {batch} LITERAL+ literals per command; every third one unseen): SELECT "
            f"Bulk, SEARCH ALL (one {len(self.search_all)}-octet line), UID SEARCH ALL, SEARCH UNSEEN, "
            'SEARCH FROM "carol", ESEARCH RETURN (MIN MAX COUNT ALL) UNSEEN (ranges), and '
            f"FETCH 1:* (UID FLAGS RFC822.SIZE) ({sum(len(x) for x in self.fetch_all)} octets). "
            "For benchmarks of large SEARCH and FETCH responses.",
        )

    # ------------------------------------------------------------------

    def run(self) -> None:
        self.capability_login()
        self.authenticate()
        self.append()
        self.mailboxes()
        self.fetch()
        self.search()
        self.store_copy_move()
        self.enable_condstore()
        self.idle()
        self.errors()
        if self.bulk_count:
            self.bulk_search()


def dovecot_version() -> str:
    return subprocess.run(["dovecot", "--version"], capture_output=True, text=True, check=True).stdout.strip()


# Dovecot 2.3.19.1's behaviour as these recordings show it (checked by hand
# when the data was recorded; README.md repeats it).
OBSERVED = [
    "LOGIN after the client asked CAPABILITY: an untagged `* CAPABILITY` and a plain "
    "`OK Logged in` (01); without it (AUTHENTICATE in 02, 03, LOGIN elsewhere) the tagged OK "
    "carries `[CAPABILITY ...]`.",
    "INTERNALDATE comes back in +0000 whatever zone APPEND gave (maildir keeps a time stamp).",
    "ENVELOPE and PREVIEW strings are literals when they hold 8-bit bytes, and when the "
    "header field was folded (message 4's Subject: sent unfolded as {86}); otherwise quoted.",
    "BODYSTRUCTURE joins RFC 2231 continuations (name*0*, name*1*) into one `\"name*\"` "
    "parameter, still percent-encoded; `filename*` is passed through.",
    "Pipelined FETCHes run together: all their untagged FETCHes precede the tagged OKs (06).",
    "LIST order is the folders' order on disk, not sorted; names are atoms when they can be "
    "(modified UTF-7 too), quoted when they hold spaces.",
    "SELECT of a missing folder: `* OK [CLOSED]` (if one was selected) and a plain NO; "
    "DELETE and APPEND/COPY give NO [NONEXISTENT] / NO [TRYCREATE].",
    "Before login, the third invalid command gets `* BYE Too many invalid IMAP commands.` "
    "and the connection closes with no tagged reply (12).",
    "An empty line gets `* BAD Error in IMAP tag: Invalid tag`; NOOP with an argument is OK; "
    "a line ended by a bare LF is accepted (13).",
    "ENABLE ignores what it does not know (UTF8=ACCEPT is not offered): `* ENABLED QRESYNC`.",
    "APPEND with a syntactically valid but impossible date (\"31-Feb-2026 25:00:00 +0000\") is "
    "accepted and stores the current time (not in the data: it would vary).",
]


def write_readme(rec: Recorder, version: str) -> None:
    today = datetime.date.today().isoformat()
    rows = []
    total = 0
    for stem, desc in rec.files:
        sizes = [(rec.out / f"{stem}.{ext}").stat().st_size for ext in ("c2s", "s2c", "trace")]
        total += sum(sizes)
        rows.append(f"### `{stem}`\n\n.c2s {sizes[0]} octets, .s2c {sizes[1]} octets, "
                    f".trace {sizes[2]} octets.\n\n{desc}\n")
    pre = rec.caps_pre.decode()
    post = rec.caps_post.decode()
    notes = "\n".join(f"- {n}" for n in rec.notes + OBSERVED)
    text = f"""# IMAP transcripts recorded from Dovecot

Real IMAP sessions between `interop/record_imap.py` (a raw-socket client) and
Dovecot {version} (Debian bookworm's `dovecot-imapd`) on 127.0.0.1, recorded on
{today}. Regenerate (as root, with `interop/install.sh` run once) with:

    python3 interop/record_imap.py

which restarts the loopback Dovecot of `interop/dovecot.sh`, empties the user
`interop`'s mailbox and rewrites every file here, this README included.

## Format

For every session `NN-name` there are three files:

- `NN-name.c2s`: every byte the client sent, in order, exactly as sent.
- `NN-name.s2c`: every byte the server sent, in order, exactly as received
  (greeting first). Line endings are CRLF; literals `{{n}}` / `~{{n}}`
  carry raw bytes (8-bit, and NULs in `06-fetch`'s BINARY.PEEK).
- `NN-name.trace`: both directions interleaved in the order they happened,
  as records `C <len>\\n<len bytes>\\n` (client to server) or
  `S <len>\\n<len bytes>\\n` (server to client), `<len>` in decimal ASCII.
  A record is a maximal run of bytes in one direction: all the server bytes
  received between two client writes form one record. The C payloads
  concatenated are `.c2s`, the S payloads `.s2c`. The split of a command
  around a synchronising literal (`{{n}}` CRLF, then "+ OK", then the data)
  shows as separate C records.

Client tags are `a001`, `a002`, ... per connection (plus `a1000`.. and a
bad `*bad-tag` in `13-errors`).

## What varies between recordings

UIDVALIDITY values (in SELECT/EXAMINE/STATUS, APPENDUID, COPYUID), the timing
text of tagged OKs (`(0.001 + 0.000 secs)`), SAVEDATE, and in `10-idle` how the
untagged EXISTS/RECENT/FETCH/EXPUNGE replies are grouped into writes. Message
contents, internal dates, UIDs, flags, MODSEQs and LIST order were the same on
two consecutive runs. `SEARCH OLDER 86400` in `07-search` assumes the clock is
past 2026-01-12. The `.gitattributes` here keeps git from touching line
endings: the files are raw bytes (CRLF, 8-bit, NUL).

## Capabilities

Before login (greeting and CAPABILITY):

    {pre}

After login:

    {post}

No IMAP4rev2 (Dovecot 2.3 implements IMAP4rev1 only), no UTF8=ACCEPT, no
LITERAL- (LITERAL+ is offered, also before login), no QUOTA, METADATA, COMPRESS
(plugins not loaded), OBJECTID or APPENDLIMIT.

## Files

{chr(10).join(rows)}
Total: {total} octets.

## Notes

{notes}
"""
    (rec.out / "README.md").write_text(text, encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    ap.add_argument("--bulk", type=int, default=2000, help="messages for 14-bulk-search (0: skip)")
    ap.add_argument("--no-restart", action="store_true", help="use the running Dovecot as it is")
    args = ap.parse_args()
    if os.geteuid() != 0:
        print("record_imap.py: must run as root (Dovecot, maildir seeding)", file=sys.stderr)
        return 1
    if not args.no_restart:
        subprocess.run([str(DOVECOT_SH), "start"], check=True)
    with tempfile.TemporaryDirectory() as empty:
        subprocess.run([str(DOVECOT_SH), "seed", USER, empty], check=True)
    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.iterdir():
        if old.suffix in (".c2s", ".s2c", ".trace"):
            old.unlink()
    rec = Recorder(args.out, IMAP_PORT, args.bulk)
    rec.run()
    if args.bulk:
        rec.notes.append(
            f"14-bulk-search: SEARCH ALL over {args.bulk} messages is one line of "
            f"{len(rec.search_all)} octets; FETCH 1:* (UID FLAGS RFC822.SIZE) is "
            f"{sum(len(x) for x in rec.fetch_all)} octets."
        )
    write_readme(rec, dovecot_version())
    print(f"record_imap.py: wrote {len(rec.files)} sessions to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
