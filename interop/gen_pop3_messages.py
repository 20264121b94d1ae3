#!/usr/bin/env python3
"""The fixed POP3 test corpus: writes its messages, one file each, into a directory.

    python3 interop/gen_pop3_messages.py OUTDIR           # LF line endings
    python3 interop/gen_pop3_messages.py --crlf OUTDIR    # CRLF line endings

Line endings: by default every line ends in a bare LF, the form Dovecot's
maildir (like Postfix's local delivery) keeps on disk; `interop/dovecot.sh
seed USER OUTDIR` copies such files into a Dovecot maildrop. With --crlf
every line ends in CRLF, the form our own smtp-server writes and our
pop3-server serves unchanged. The two forms differ only in line endings:
`crlf == lf.replace(b"\\n", b"\\r\\n")`.

File names are `<seconds>.<label>` with consecutive seconds from 2026-01-01,
so sorting them by name gives the corpus order, and Dovecot (which numbers
new maildir files by the time stamp that starts their name) presents them
in that order too. The names contain no ':' so a maildir server's UIDL (the
name up to the first ':') is the whole name.

The corpus (see `messages()`):
  plain       a short ASCII message
  dots        body lines that start with '.', '..', '...' and a line that
              is only '.', which a POP3 server must dot-stuff (RFC 1939 3)
  utf8        an 8-bit UTF-8 body (Content-Transfer-Encoding: 8bit)
  empty-body  headers, the empty separator line, and no body at all
  big         about 3 MB of 79-octet lines, every 997th starting with '.'
              (generated each time, never committed)

The test modules import this file (`messages(crlf=...)`) rather than read a
directory, so the bytes they compare against are the ones written here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

FIRST_SECOND = 1767225600  # 2026-01-01T00:00:00Z
BIG_SIZE = 3 * 1000 * 1000


def _message(label: str, body: list[bytes], extra_headers: tuple[bytes, ...] = ()) -> bytes:
    """LF-terminated message: fixed headers naming `label`, then `body` lines."""
    headers = [
        b"From: Interop Sender <sender@localhost>",
        b"To: interop@localhost",
        b"Subject: pop3 corpus " + label.encode(),
        b"Message-ID: <" + label.encode() + b"@pop3.interop.test>",
        b"Date: Thu, 01 Jan 2026 00:00:00 +0000",
        *extra_headers,
    ]
    return b"".join(h + b"\n" for h in headers) + b"\n" + b"".join(line + b"\n" for line in body)


def big_body_lines(size: int = BIG_SIZE) -> list[bytes]:
    """About `size` octets of body (counting one LF per line)."""
    lines: list[bytes] = []
    total = 0
    i = 0
    while total < size:
        if i % 997 == 0:
            line = b".%08d dot-leading line in a big message" % i
        else:
            line = b"%08d abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-" % i
        lines.append(line)
        total += len(line) + 1
        i += 1
    return lines


DOT_LINES = [
    b"Lines that start with a period are dot-stuffed on the wire:",
    b".",
    b"..",
    b"...three",
    b".hidden line",
    b" .not at the start",
    b"",
    b".",
    b"last line starts with a dot too:",
    b".end",
]

UTF8_LINES = [
    "Grüße aus Köln, señor: ½ € ✓ — 8-bit body bytes".encode("utf-8"),
    "Καλημέρα κόσμε; 用户; Zweite Zeile: ÄÖÜ äöü ß".encode("utf-8"),
]


def messages(crlf: bool = False) -> list[tuple[str, bytes]]:
    """The corpus as (file name, bytes), in order."""
    corpus = [
        ("plain", _message("plain", [b"Hello from the POP3 corpus.", b"Second line."])),
        ("dots", _message("dots", DOT_LINES)),
        ("utf8", _message("utf8", UTF8_LINES, (
            b"MIME-Version: 1.0",
            b"Content-Type: text/plain; charset=utf-8",
            b"Content-Transfer-Encoding: 8bit",
        ))),
        ("empty-body", _message("empty-body", [])),
        ("big", _message("big", big_body_lines())),
    ]
    out = []
    for i, (label, data) in enumerate(corpus):
        if crlf:
            data = data.replace(b"\n", b"\r\n")
        out.append((f"{FIRST_SECOND + i}.{label}", data))
    return out


def write(outdir: Path, crlf: bool = False) -> list[Path]:
    """Write the corpus into `outdir` (created if missing); returns the paths."""
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in messages(crlf):
        p = outdir / name
        p.write_bytes(data)
        paths.append(p)
    return paths


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--crlf", action="store_true", help="CRLF line endings (default: LF, as in Dovecot's maildir)")
    ap.add_argument("outdir", type=Path)
    args = ap.parse_args()
    for p in write(args.outdir, args.crlf):
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
