#!/usr/bin/env python3
"""Records Dovecot's ENVELOPE, BODYSTRUCTURE and BODY[section] answers for the
rfc822-message corpus, as reference data for imap-proto's `rfc822` feature.

    python3 interop/record_rfc822.py [--out DIR] [--corpus DIR] [--restart]
    python3 interop/record_rfc822.py --check [DIR]

Uses the loopback Dovecot of interop/dovecot.sh (IMAP on 127.0.0.1:
$INTEROP_DOVECOT_IMAP_PORT, default 10143; the scratch folder and ports follow
the same INTEROP_DOVECOT_* variables as dovecot.sh). If it is not running it is
started, and stopped again at the end; if it runs it is used as it is
(--restart restarts it first). The mailbox of user `interop2` is emptied
(`dovecot.sh seed interop2 <empty dir>`): the user `interop` and its POP3
corpus are left alone.

Then, over one raw-socket IMAP connection:

  1. APPEND every crates/rfc822-message/tests/corpus/*.eml, in file name
     order, to INBOX with no flags and the internal date
     "01-Jan-2026 00:00:00 +0000" (a file holding a NUL byte, nul-byte.eml,
     is sent as a literal8 ~{n}, RFC 3516; the others as plain {n} literals);
  2. EXAMINE INBOX (read-only: nothing sets \\Seen);
  3. for message number i (the i-th file), one FETCH command per item:
       ENVELOPE, BODYSTRUCTURE, BODY, RFC822.SIZE, BODY.PEEK[],
       BODY.PEEK[HEADER], BODY.PEEK[TEXT],
       BODY.PEEK[HEADER.FIELDS (From Subject)],
       BODY.PEEK[HEADER.FIELDS.NOT (From Subject)],
     then for every part p of the BODYSTRUCTURE (depth first, in order):
       BODY.PEEK[p], BODY.PEEK[p.MIME],
       for a message/rfc822 (or message/global) part also
         BODY.PEEK[p.HEADER], BODY.PEEK[p.TEXT],
       for a leaf part (neither multipart nor message)
         BINARY.SIZE[p], BINARY.PEEK[p];
  4. writes DIR/NAME.txt for each NAME.eml (format: DIR/README.md, written by
     this script too) and DIR/README.md.

Part numbers follow RFC 3501 section 6.4.5: the parts of a multipart are
numbered 1, 2, ...; a non-multipart message has the single part 1; the parts
of a message/rfc822 part p are those of its encapsulated message's body
(p.1, p.2, ... for a multipart body, p.1 for a single body).

--check [DIR] records into a temporary folder and compares every NAME.txt
with DIR's (default: the committed data), reporting each differing record;
exit status 1 on any difference, missing or extra file. README.md is not
compared (it is documentation: it names the Dovecot version and sizes).

Deterministic: the same corpus and Dovecot give the same bytes (no UIDs, dates
of the run or timings are recorded). Only 127.0.0.1 is contacted. Python 3.11
stdlib only. Must run as root (dovecot.sh needs it).
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from imap_wire import ImapError, ResponseReader  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DOVECOT_SH = REPO / "interop" / "dovecot.sh"
DEFAULT_CORPUS = REPO / "crates" / "rfc822-message" / "tests" / "corpus"
DEFAULT_OUT = REPO / "crates" / "imap-proto" / "tests" / "data" / "dovecot-rfc822"
IMAP_PORT = int(os.environ.get("INTEROP_DOVECOT_IMAP_PORT", "10143"))
HOST = "127.0.0.1"
USER, PASSWORD = "interop2", "interop2-pass"
INTERNAL_DATE = "01-Jan-2026 00:00:00 +0000"
TIMEOUT = 30.0
CRLF = b"\r\n"

WHOLE_ITEMS = [
    "ENVELOPE",
    "BODYSTRUCTURE",
    "BODY",
    "RFC822.SIZE",
    "BODY.PEEK[]",
    "BODY.PEEK[HEADER]",
    "BODY.PEEK[TEXT]",
    "BODY.PEEK[HEADER.FIELDS (From Subject)]",
    "BODY.PEEK[HEADER.FIELDS.NOT (From Subject)]",
]


# --------------------------------------------------------------------------
# A minimal IMAP connection over a raw socket
# --------------------------------------------------------------------------


class Conn(ResponseReader):
    def __init__(self, port: int):
        super().__init__(socket.create_connection((HOST, port), timeout=TIMEOUT))
        self.n = 0
        self.read_response()  # greeting

    def command(self, text: bytes, literal: bytes | None = None, binary: bool = False) -> tuple[list[bytes], bytes]:
        """Sends `tag text` (followed by a synchronising literal if given) and
        returns (untagged responses, tagged response without the tag)."""
        self.n += 1
        tag = b"r%04d" % self.n
        untagged: list[bytes] = []
        if literal is None:
            self.sock.sendall(tag + b" " + text + CRLF)
        else:
            head = b"~{%d}" % len(literal) if binary else b"{%d}" % len(literal)
            self.sock.sendall(tag + b" " + text + head + CRLF)
            while True:
                r = self.read_response()
                if r.startswith(b"+"):
                    break
                if r.startswith(tag + b" "):
                    return untagged, r[len(tag) + 1 :]
                untagged.append(r)
            self.sock.sendall(literal + CRLF)
        while True:
            r = self.read_response()
            if r.startswith(tag + b" "):
                return untagged, r[len(tag) + 1 :]
            untagged.append(r)

    def ok(self, text: bytes, literal: bytes | None = None, binary: bool = False) -> list[bytes]:
        untagged, tagged = self.command(text, literal, binary)
        if not tagged.startswith(b"OK"):
            raise ImapError(f"{text[:60]!r}: {tagged!r}")
        return untagged

    def close(self) -> None:
        self.sock.close()


# --------------------------------------------------------------------------
# Reading FETCH responses
# --------------------------------------------------------------------------


def skip_quoted(buf: bytes, i: int) -> int:
    """buf[i] is '"'; returns the index after the closing quote."""
    i += 1
    while i < len(buf):
        c = buf[i]
        if c == 0x5C:  # backslash
            i += 2
        elif c == 0x22:
            return i + 1
        else:
            i += 1
    raise ImapError("unterminated quoted string")


def literal_at(buf: bytes, i: int) -> tuple[int, int, bool] | None:
    """If a literal {n}CRLF or ~{n}CRLF starts at i: (content start, n, is literal8)."""
    m = re.compile(rb"(~?)\{(\d+)\}\r\n").match(buf, i)
    if not m:
        return None
    return m.end(), int(m.group(2)), bool(m.group(1))


def skip_list(buf: bytes, i: int) -> int:
    """buf[i] is '('; returns the index after the matching ')'."""
    depth = 0
    while i < len(buf):
        c = buf[i]
        if c == 0x22:
            i = skip_quoted(buf, i)
            continue
        lit = literal_at(buf, i) if c in (0x7B, 0x7E) else None
        if lit:
            i = lit[0] + lit[1]
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ImapError("unterminated list")


def fetch_items(resp: bytes) -> list[tuple[bytes, str, bytes]]:
    """The items of one `* n FETCH (...)` response, as (name as sent,
    kind, value) with kind LIST / QUOTED / LITERAL / LITERAL8 / NIL / ATOM
    and value as described in the README."""
    m = re.match(rb"\* \d+ FETCH \(", resp)
    if not m:
        raise ImapError(f"not a FETCH response: {resp[:80]!r}")
    i = m.end()
    items = []
    while True:
        # The item name runs to the first space outside [...].
        start, depth = i, 0
        while True:
            c = resp[i]
            if c == 0x5B:
                depth += 1
            elif c == 0x5D:
                depth -= 1
            elif c == 0x20 and depth == 0:
                break
            i += 1
        name = resp[start:i]
        i += 1
        c = resp[i]
        lit = literal_at(resp, i)
        if c == 0x28:
            end = skip_list(resp, i)
            kind, value = "LIST", resp[i:end]
        elif c == 0x22:
            end = skip_quoted(resp, i)
            kind, value = "QUOTED", resp[i:end]
        elif lit:
            end = lit[0] + lit[1]
            kind, value = ("LITERAL8" if lit[2] else "LITERAL"), resp[lit[0] : end]
        else:
            end = i
            while resp[end] not in (0x20, 0x29):
                end += 1
            value = resp[i:end]
            kind = "NIL" if value.upper() == b"NIL" else "ATOM"
        items.append((name, kind, value))
        i = end
        if resp[i] == 0x29:
            if resp[i:] != b")\r\n":
                raise ImapError(f"junk after FETCH: {resp[i:i + 40]!r}")
            return items
        if resp[i] != 0x20:
            raise ImapError(f"unexpected byte in FETCH at {i}: {resp[i:i + 40]!r}")
        i += 1


# --------------------------------------------------------------------------
# BODYSTRUCTURE as Python values, and its part numbers
# --------------------------------------------------------------------------


def parse_value(buf: bytes, i: int):
    """(value, next index): lists become lists, strings bytes, NIL None,
    atoms and numbers bytes."""
    c = buf[i]
    if c == 0x28:
        out = []
        i += 1
        while True:
            while buf[i] == 0x20:
                i += 1
            if buf[i] == 0x29:
                return out, i + 1
            v, i = parse_value(buf, i)
            out.append(v)
    if c == 0x22:
        end = skip_quoted(buf, i)
        return re.sub(rb"\\(.)", rb"\1", buf[i + 1 : end - 1]), end
    lit = literal_at(buf, i)
    if lit:
        return buf[lit[0] : lit[0] + lit[1]], lit[0] + lit[1]
    end = i
    while buf[end] not in (0x20, 0x29):
        end += 1
    atom = buf[i:end]
    return (None if atom.upper() == b"NIL" else atom), end


def is_multipart(body) -> bool:
    return isinstance(body, list) and bool(body) and isinstance(body[0], list)


def is_message(body) -> bool:
    """A message/rfc822 (or message/global) part with envelope and body."""
    return (
        not is_multipart(body)
        and isinstance(body[0], bytes)
        and body[0].upper() == b"MESSAGE"
        and isinstance(body[1], bytes)
        and body[1].upper() in (b"RFC822", b"GLOBAL")
        and len(body) >= 10
        and isinstance(body[7], list)
        and isinstance(body[8], list)
    )


def count_children(multipart: list) -> int:
    n = 0
    for x in multipart:
        if not isinstance(x, list):
            break
        n += 1
    return n


def _leading_lists(b: list) -> list:
    """The parts of a multipart BODYSTRUCTURE: its leading lists (the lists
    after the subtype are extension data)."""
    return b[: count_children(b)]


# --------------------------------------------------------------------------
# Recording
# --------------------------------------------------------------------------


def request_name(item: str) -> str:
    """The item as the record names it: the request without .PEEK."""
    return item.replace(".PEEK[", "[")


def record(name: str, echoed: bytes, kind: str, value: bytes) -> bytes:
    return (
        b"ITEM " + name.encode("ascii") + b"\n"
        + b"NAME " + echoed + b"\n"
        + kind.encode("ascii") + b" %d\n" % len(value)
        + value + b"\n"
    )


def fetch_one(conn: Conn, seq: int, item: str) -> bytes:
    """One FETCH command for one item; the record for it."""
    untagged, tagged = conn.command(b"FETCH %d (%s)" % (seq, item.encode("ascii")))
    name = request_name(item)
    if not tagged.startswith(b"OK"):
        # e.g. BINARY on an unknown Content-Transfer-Encoding: NO [UNKNOWN-CTE]
        # Dovecot appends its timing, " (0.001 + 0.000 secs)", before the
        # final "."; it varies from run to run, so it is cut out.
        text = re.sub(rb" \(\d+\.\d+ \+ \d+\.\d+ secs\)", b"", tagged.rstrip(b"\r\n"))
        return record(name, b"-", "TAGGED", text)
    got = []
    for r in untagged:
        if re.match(rb"\* %d FETCH " % seq, r):
            got += fetch_items(r)
        else:
            raise ImapError(f"unexpected untagged response to FETCH {item}: {r[:80]!r}")
    if len(got) != 1:
        raise ImapError(f"FETCH {seq} {item}: expected one item, got {got!r}")
    echoed, kind, value = got[0]
    return record(name, echoed, kind, value)


def message_items(conn: Conn, seq: int) -> tuple[bytes, list[tuple[str, str]]]:
    out = bytearray()
    structure = None
    for item in WHOLE_ITEMS:
        rec = fetch_one(conn, seq, item)
        out += rec
        if item == "BODYSTRUCTURE":
            structure = parse_records(rec)[0][3]
    assert structure is not None
    body, end = parse_value(structure, 0)
    if end != len(structure):
        raise ImapError("trailing bytes after BODYSTRUCTURE")
    plist = part_list(body)
    for p, kind in plist:
        items = [f"BODY.PEEK[{p}]", f"BODY.PEEK[{p}.MIME]"]
        if kind == "message":
            items += [f"BODY.PEEK[{p}.HEADER]", f"BODY.PEEK[{p}.TEXT]"]
        if kind == "leaf":
            items += [f"BINARY.SIZE[{p}]", f"BINARY.PEEK[{p}]"]
        for item in items:
            out += fetch_one(conn, seq, item)
    return bytes(out), plist


def part_list(body) -> list[tuple[str, str]]:
    """[(part number, kind)] of a BODYSTRUCTURE value, depth first; kind is
    "multipart", "message" (message/rfc822 or message/global with an
    encapsulated message) or "leaf"."""
    out: list[tuple[str, str]] = []

    def kind(b) -> str:
        return "multipart" if is_multipart(b) else "message" if is_message(b) else "leaf"

    def inside(b, prefix: str) -> None:
        if is_multipart(b):
            for n, child in enumerate(_leading_lists(b), 1):
                p = f"{prefix}.{n}" if prefix else str(n)
                out.append((p, kind(child)))
                inside(child, p)
        elif is_message(b):
            inner = b[8]
            if is_multipart(inner):
                inside(inner, prefix)
            else:
                p = f"{prefix}.1"
                out.append((p, kind(inner)))
                inside(inner, p)

    if is_multipart(body):
        inside(body, "")
    else:
        out.append(("1", kind(body)))
        inside(body, "1")
    return out


def parse_records(data: bytes) -> list[tuple[str, bytes, str, bytes]]:
    """The records of a NAME.txt file: (item, echoed name, kind, value)."""
    out = []
    i = 0
    while i < len(data):
        j = data.index(b"\n", i)
        head = data[i:j]
        if not head.startswith(b"ITEM "):
            raise ValueError(f"expected ITEM at offset {i}: {head[:40]!r}")
        item = head[5:].decode("ascii")
        k = data.index(b"\n", j + 1)
        echo = data[j + 1 : k]
        if not echo.startswith(b"NAME "):
            raise ValueError(f"expected NAME at offset {j + 1}")
        m = data.index(b"\n", k + 1)
        kind, n = data[k + 1 : m].split(b" ")
        start = m + 1
        value = data[start : start + int(n)]
        if data[start + int(n) : start + int(n) + 1] != b"\n":
            raise ValueError(f"record {item}: value not followed by LF")
        out.append((item, echo[5:], kind.decode("ascii"), value))
        i = start + int(n) + 1
    return out


def dovecot_version() -> str:
    return subprocess.run(["dovecot", "--version"], capture_output=True, text=True, check=True).stdout.strip()


def dovecot_running() -> bool:
    return subprocess.run([str(DOVECOT_SH), "status"], capture_output=True).returncode == 0


def record_all(corpus: Path, out: Path) -> list[tuple[str, int, list[tuple[str, str]], int]]:
    files = sorted(corpus.glob("*.eml"))
    if not files:
        raise ImapError(f"no .eml files in {corpus}")
    with tempfile.TemporaryDirectory() as empty:
        subprocess.run([str(DOVECOT_SH), "seed", USER, empty], check=True)
    conn = Conn(IMAP_PORT)
    conn.ok(f"LOGIN {USER} {PASSWORD}".encode())
    for f in files:
        data = f.read_bytes()
        conn.ok(b'APPEND INBOX () "%s" ' % INTERNAL_DATE.encode(), data, binary=b"\0" in data)
    untagged = conn.ok(b"EXAMINE INBOX")
    exists = [int(m.group(1)) for r in untagged if (m := re.match(rb"\* (\d+) EXISTS", r))]
    if exists != [len(files)]:
        raise ImapError(f"INBOX holds {exists} messages, expected {len(files)} (someone else using {USER}?)")
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.txt"):
        if old.with_suffix(".eml").name not in {f.name for f in files}:
            old.unlink()
    summary = []
    for seq, f in enumerate(files, 1):
        data, plist = message_items(conn, seq)
        (out / f"{f.stem}.txt").write_bytes(data)
        summary.append((f.stem, f.stat().st_size, plist, data.count(b"\nITEM ") + 1))
        print(f"record_rfc822.py: {f.stem}: {len(plist)} parts, {len(data)} octets", file=sys.stderr)
    conn.ok(b"LOGOUT")
    conn.close()
    return summary


README_FORMAT = """\
## Format of NAME.txt

A sequence of records, one per fetched item, each exactly:

    ITEM <item>\\n
    NAME <name>\\n
    <KIND> <length>\\n
    <length octets>\\n

- `<item>`: the item as requested, with `.PEEK` removed: `ENVELOPE`,
  `BODYSTRUCTURE`, `BODY`, `RFC822.SIZE`, `BODY[]`, `BODY[HEADER]`,
  `BODY[TEXT]`, `BODY[HEADER.FIELDS (From Subject)]`,
  `BODY[HEADER.FIELDS.NOT (From Subject)]`, then per part `p`
  `BODY[p]`, `BODY[p.MIME]`, for message/rfc822 parts `BODY[p.HEADER]` and
  `BODY[p.TEXT]`, for leaf parts `BINARY.SIZE[p]` and `BINARY[p]`.
- `<name>`: the item name exactly as Dovecot wrote it in the FETCH response
  (e.g. `BODY[HEADER.FIELDS (FROM SUBJECT)]`, `BINARY.SIZE[1]`), or `-` when
  the command failed (kind `TAGGED`).
- `<KIND>` says what the value octets are:
  - `LIST`: a parenthesised value (ENVELOPE, BODYSTRUCTURE, BODY) exactly as
    on the wire, from `(` to the matching `)`, with any literal inside kept
    as sent (`{n}` CRLF and the n octets);
  - `QUOTED`: a quoted string as on the wire, quotes and backslashes
    included;
  - `LITERAL`: the content octets of a literal `{n}` (not the `{n}` CRLF);
  - `LITERAL8`: the content octets of a literal8 `~{n}` (BINARY);
  - `NIL`: the three octets `NIL`;
  - `ATOM`: a number or atom as on the wire (RFC822.SIZE, BINARY.SIZE);
  - `TAGGED`: the FETCH failed; the value is the tagged response without
    its tag, its CRLF and Dovecot's timing text " (0.001 + 0.000 secs)"
    (which varies), e.g. `NO [UNKNOWN-CTE] Unknown Content-Transfer-Encoding.`
- `<length>`: decimal number of value octets. The value is followed by one
  LF that is not part of it. The values hold CR, LF, 8-bit bytes: read by
  length, never by lines. The file has no other content.

Records come in this order: the nine whole-message items above, then for
each part in depth-first order (the order of the BODYSTRUCTURE) its items.
Part numbers follow RFC 3501 section 6.4.5: a non-multipart message has the
part 1; the parts of a message/rfc822 part `p` are `p.1`, `p.2`, ... (the
parts of its multipart body) or `p.1` alone (its single body).
"""


def write_readme(out: Path, summary, version: str) -> None:
    rows = [
        f"| `{stem}.txt` | {size} | {len(plist)} | {n} | "
        + (", ".join(f"{p}{'' if k == 'leaf' else ' (' + k + ')'}" for p, k in plist) or "-")
        + " |"
        for stem, size, plist, n in summary
    ]
    text = f"""# Dovecot's answers for the rfc822-message corpus

Reference data for the IMAP views of a message (imap-proto's `rfc822`
feature): for every message `NAME.eml` of `crates/rfc822-message/tests/corpus/`
the file `NAME.txt` here holds what Dovecot {version} (Debian bookworm's
`dovecot-imapd`) answered to FETCH of ENVELOPE, BODYSTRUCTURE, BODY,
RFC822.SIZE, BODY[], BODY[HEADER], BODY[TEXT], BODY[HEADER.FIELDS (From
Subject)], BODY[HEADER.FIELDS.NOT (From Subject)] and, for every part, its
BODY[p] and BODY[p.MIME], BODY[p.HEADER] / BODY[p.TEXT] for message/rfc822
parts, BINARY.SIZE[p] / BINARY[p] for leaf parts.

Recorded with `interop/record_rfc822.py` (as root; see its docstring), which
APPENDs every corpus file to an empty INBOX of the loopback Dovecot of
`interop/dovecot.sh` with the internal date "{INTERNAL_DATE}", EXAMINEs it
and sends one FETCH per item. `python3 interop/record_rfc822.py --check`
records again into a temporary folder and reports any record that differs
from the files here (exit status 1).

Observations about Dovecot's behaviour drawn from this data are in
`FINDINGS.md` (hand-written; this script leaves it alone). Note that Dovecot
serves the stored form of a message: `bare-lf-body` and `lf-only` come back
with every bare LF turned into CRLF, and `nul-byte` (APPENDed as a literal8)
with its NUL replaced and its binary part re-encoded as base64; sizes count
that form. `BODY[]` of each record is the message every other item describes.

{README_FORMAT}
## Files

Octets: size of the `.eml`. Parts: the part numbers walked (kind in
parentheses unless a leaf).

| File | Octets | Parts | Records | Part numbers |
| --- | ---: | ---: | ---: | --- |
{chr(10).join(rows)}
"""
    (out / "README.md").write_text(text, encoding="utf-8")
    (out / ".gitattributes").write_text(
        "# Raw recorded bytes (CRLF, bare LF, 8-bit): never convert line endings.\n"
        "*.txt -text\n"
        "README.md text\nFINDINGS.md text\n.gitattributes text\n",
        encoding="utf-8",
    )


def excerpt(b: bytes, limit: int = 200) -> str:
    s = repr(b)
    return s if len(s) <= limit else s[:limit] + "..."


def compare(expected_dir: Path, got_dir: Path) -> list[str]:
    """Human-readable differences between two recordings (empty if equal)."""
    problems = []
    exp = {p.name for p in expected_dir.glob("*.txt")}
    got = {p.name for p in got_dir.glob("*.txt")}
    for name in sorted(exp - got):
        problems.append(f"{name}: in {expected_dir} but not recorded now")
    for name in sorted(got - exp):
        problems.append(f"{name}: recorded now but not in {expected_dir}")
    for name in sorted(exp & got):
        a, b = (expected_dir / name).read_bytes(), (got_dir / name).read_bytes()
        if a == b:
            continue
        try:
            ra, rb = parse_records(a), parse_records(b)
        except ValueError as e:
            problems.append(f"{name}: unreadable: {e}")
            continue
        da = {r[0]: r for r in ra}
        db = {r[0]: r for r in rb}
        for item in [r[0] for r in ra if r[0] not in db]:
            problems.append(f"{name}: {item}: no longer fetched (part structure changed?)")
        for item in [r[0] for r in rb if r[0] not in da]:
            problems.append(f"{name}: {item}: newly fetched (part structure changed?)")
        for item, rec in da.items():
            if item in db and db[item] != rec:
                old, new = rec, db[item]
                what = []
                if old[1] != new[1]:
                    what.append(f"name {old[1]!r} -> {new[1]!r}")
                if old[2] != new[2]:
                    what.append(f"kind {old[2]} -> {new[2]}")
                if old[3] != new[3]:
                    sm = difflib.SequenceMatcher(a=old[3], b=new[3], autojunk=False)
                    ops = [o for o in sm.get_opcodes() if o[0] != "equal"]
                    what.append(f"{len(old[3])} -> {len(new[3])} octets, {len(ops)} changed run(s)")
                    for op, i1, i2, j1, j2 in ops[:3]:
                        what.append(f"at {i1}: {op} {excerpt(old[3][i1:i2], 80)} -> {excerpt(new[3][j1:j2], 80)}")
                        what.append(f"  committed ...{excerpt(old[3][max(0, i1 - 60) : i2 + 60])}...")
                        what.append(f"  now       ...{excerpt(new[3][max(0, j1 - 60) : j2 + 60])}...")
                problems.append(f"{name}: {item}:\n      " + "\n      ".join(what))
        if ra == rb:
            problems.append(f"{name}: same records, different bytes (record order?)")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write (default: the committed data)")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of .eml files")
    ap.add_argument(
        "--check",
        nargs="?",
        type=Path,
        const=DEFAULT_OUT,
        default=None,
        metavar="DIR",
        help="record into a temporary folder and compare with DIR (default: the committed data)",
    )
    ap.add_argument("--restart", action="store_true", help="restart Dovecot even if it runs")
    args = ap.parse_args()
    if os.geteuid() != 0:
        print("record_rfc822.py: must run as root (dovecot.sh)", file=sys.stderr)
        return 1
    # Leave Dovecot as it was found: running (e.g. started by interop/run) or not.
    was_running = dovecot_running()
    if args.restart or not was_running:
        subprocess.run([str(DOVECOT_SH), "start"], check=True)
    started = not was_running
    try:
        version = dovecot_version()
        if args.check is not None:
            with tempfile.TemporaryDirectory() as tmp:
                record_all(args.corpus, Path(tmp))
                problems = compare(args.check, Path(tmp))
            if problems:
                print(f"record_rfc822.py: Dovecot {version} answers differently from {args.check}:", file=sys.stderr)
                for p in problems:
                    print(f"  {p}", file=sys.stderr)
                print(f"record_rfc822.py: {len(problems)} difference(s)", file=sys.stderr)
                return 1
            n = len(list(args.check.glob("*.txt")))
            print(f"record_rfc822.py: Dovecot {version} agrees with all {n} files in {args.check}", file=sys.stderr)
            return 0
        summary = record_all(args.corpus, args.out)
        write_readme(args.out, summary, version)
        print(f"record_rfc822.py: wrote {len(summary)} files to {args.out}", file=sys.stderr)
        return 0
    finally:
        if started:
            subprocess.run([str(DOVECOT_SH), "stop"], check=False)


if __name__ == "__main__":
    sys.exit(main())
