#!/usr/bin/env python3
"""POP3 interop tests: our example programs against real peers.

* ``TestRealClientsToOurServer``: Python's poplib, raw sockets, curl
  (``pop3://``), mpop and fetchmail against ``pop3-server`` (our server
  session), serving a Maildir of CRLF files (the corpus of
  ``gen_pop3_messages.py --crlf``). Every message must come back byte for
  byte; DELE+QUIT must remove the file while RSET or a dropped connection
  must not.
* ``TestRealClientsToDovecot``: the very same tests against Dovecot
  (``interop/dovecot.sh``, LF corpus). This is the reference run: it shows
  that each test's model of a client (what curl writes, what mpop and
  fetchmail add or convert) is right against a known-good server, so a
  failure against ours is ours. It also pins the Dovecot facts that
  ``dovecot.sh`` documents and the pop3-fetch tests rely on.
* ``TestDovecotConversion``: how Dovecot turns maildir files that are not
  plain LF text (no final newline, CRLF already, a bare CR) into POP3.
* ``TestOurFetchFromDovecot``: ``pop3-fetch`` (our client session)
  downloads Dovecot's maildrop into a Maildir; the files must be the seeded
  messages with Dovecot's LF -> CRLF conversion, and the maildrop must be
  empty afterwards unless ``--keep``.
* ``TestOurFetchFromOurServer``: both of ours.

The classes that need a binary we have not built are skipped with the
reason, so this file runs before the POP3 examples exist.

How the clients treat a message, as these tests model it:
  poplib   retr() returns the lines without CRLF, unstuffed: joining them
           with CRLF (plus a final CRLF) gives the message back.
  curl     writes the RETR body unstuffed, CRLF kept, terminator removed:
           exactly the message. Without a message number it runs LIST and
           writes the listing's lines ("N SIZE" CRLF).
  mpop     delivery maildir: one file per message with every CRLF turned
           into LF; with received_header off it adds nothing.
  fetchmail  hands each message to its MDA with LF line endings after
           adding a three-line "Received: from 127.0.0.1 [127.0.0.1] ...
           by HOST with POP3 (fetchmail-V) ... for <USER@localhost>
           (single-drop); DATE" header, which the test strips (and checks).

Only 127.0.0.1 is ever contacted. Stdlib only (Python 3.11). Dovecot and
fetchmail need root (interop/run runs as root).

Environment:
  INTEROP_BIN_DIR        where pop3-server and pop3-fetch are
                         (default: $CARGO_TARGET_DIR or ./target, + release/examples)
  INTEROP_DOVECOT_PORT   Dovecot's port (default 10110, as dovecot.sh)
  INTEROP_DOVECOT_DIR    Dovecot's scratch folder (default /tmp/mail-interop-dovecot)
  INTEROP_KEEP           if set, keep the temporary directories (server logs, maildirs)
"""

from __future__ import annotations

import base64
import os
import poplib
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_pop3_messages as corpus  # noqa: E402
import test_smtp  # noqa: E402  (WireTap; its test classes are not collected here)

REPO = Path(__file__).resolve().parent.parent
_TARGET = Path(os.environ.get("CARGO_TARGET_DIR") or (REPO / "target"))
BIN_DIR = Path(os.environ.get("INTEROP_BIN_DIR") or (_TARGET / "release" / "examples"))
POP3_SERVER = BIN_DIR / "pop3-server"
POP3_FETCH = BIN_DIR / "pop3-fetch"
DOVECOT_SH = REPO / "interop" / "dovecot.sh"
DOVECOT_PORT = int(os.environ.get("INTEROP_DOVECOT_PORT", "10110"))
DOVECOT_DIR = Path(os.environ.get("INTEROP_DOVECOT_DIR", "/tmp/mail-interop-dovecot"))
LOCALHOST = "127.0.0.1"
CRLF = b"\r\n"
USER, PASSWORD = "interop", "interop-pass"

# What every server here must offer in CAPA before login (RFC 2449).
REQUIRED_CAPA = ("TOP", "UIDL", "USER", "RESP-CODES", "PIPELINING")
REQUIRED_SASL = ("PLAIN", "LOGIN")

FETCHMAIL_RECEIVED = re.compile(
    rb"\AReceived: from 127\.0\.0\.1 \[127\.0\.0\.1\]\n"
    rb"\tby [^\n]+ with POP3 \(fetchmail-[0-9.]+\)\n"
    rb"\tfor <[^>\n]+> \(single-drop\); [^\n]+\n")

HAVE_ROOT = os.geteuid() == 0


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOCALHOST, 0))
        return s.getsockname()[1]


def port_open(port: int) -> bool:
    try:
        with socket.create_connection((LOCALHOST, port), timeout=0.5):
            return True
    except OSError:
        return False


def first_difference(a: bytes, b: bytes) -> str:
    n = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return (f"lengths {len(a)} vs {len(b)}; first difference at byte {n}: "
            f"{a[max(0, n - 40):n + 40]!r} vs {b[max(0, n - 40):n + 40]!r}")


def stuffed(msg: bytes) -> bytes:
    """The multi-line body a server must send for a CRLF message ending in
    CRLF: each line starting with '.' gets one more, then '.' CRLF
    (RFC 1939 section 3)."""
    assert msg.endswith(CRLF) or msg == b""
    lines = msg.split(CRLF)[:-1] if msg else []
    return b"".join((b"." + line if line.startswith(b".") else line) + CRLF for line in lines) + b"." + CRLF


def pop3_form(data: bytes) -> bytes:
    """What a client receives for a maildir file (after unstuffing), as
    Dovecot sends it: every bare LF as CRLF, and CRLF added to a last line
    that has none. For a CRLF file that ends in CRLF this is the file."""
    out = re.sub(rb"(?<!\r)\n", b"\r\n", data)
    return out if out.endswith(CRLF) or not out else out + CRLF


def top_of(msg: bytes, k: int) -> bytes:
    """What TOP n k returns (unstuffed): the header, the empty line, and the
    first k lines of the body (RFC 1939 section 7)."""
    head_end = msg.index(CRLF + CRLF) + 4
    body_lines = msg[head_end:].split(CRLF)[:-1]
    return msg[:head_end] + b"".join(line + CRLF for line in body_lines[:k])


def maildir_files(md: Path) -> dict[str, bytes]:
    """The messages of a Maildir by key (file name up to the first ':').
    A server may move (new/ -> cur/) or remove files meanwhile: then look again."""
    for _ in range(50):
        out: dict[str, bytes] = {}
        try:
            for sub in ("new", "cur"):
                d = md / sub
                if d.is_dir():
                    for f in d.iterdir():
                        key = f.name.split(":", 1)[0]
                        assert key not in out, f"two files for {key} in {md}"
                        out[key] = f.read_bytes()
            return out
        except FileNotFoundError:
            time.sleep(0.05)
    raise AssertionError(f"{md} keeps changing")


def downloaded(md: Path) -> list[bytes]:
    """Every message file a client wrote under Maildir `md` (new/ and cur/), sorted."""
    files = [f for sub in ("new", "cur") if (md / sub).is_dir() for f in (md / sub).iterdir()]
    return sorted(f.read_bytes() for f in files)


class RawPop3:
    """A POP3 connection that shows the bytes: `cmd` returns the status
    line, `multi` the status line and the raw body up to and including the
    '.' CRLF terminator, still dot-stuffed."""

    def __init__(self, port: int):
        self.sock = socket.create_connection((LOCALHOST, port), timeout=30)
        self.f = self.sock.makefile("rb")
        self.greeting = self.line()

    def line(self) -> bytes:
        line = self.f.readline(1 << 20)
        if not line.endswith(CRLF):
            raise AssertionError(f"line without CRLF (or connection closed): {line!r}")
        return line

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def cmd(self, command: bytes) -> bytes:
        self.send(command + CRLF)
        return self.line()

    def read_body(self) -> bytes:
        out = bytearray()
        while True:
            line = self.line()
            out += line
            if line == b"." + CRLF:
                return bytes(out)

    def multi(self, command: bytes) -> tuple[bytes, bytes]:
        status = self.cmd(command)
        if not status.startswith(b"+OK"):
            return status, b""
        return status, self.read_body()

    def login(self, user: str = USER, password: str = PASSWORD) -> None:
        r = self.cmd(b"USER " + user.encode())
        assert r.startswith(b"+OK"), r
        r = self.cmd(b"PASS " + password.encode())
        assert r.startswith(b"+OK"), r

    def close(self) -> None:
        self.f.close()
        self.sock.close()


# --------------------------------------------------------------------------
# The two servers: Dovecot and our pop3-server
# --------------------------------------------------------------------------


class Peer:
    """A POP3 server holding the corpus for USER/PASSWORD.

    `expected` maps each UIDL to the exact message a client must receive;
    `maildrop()` maps the UIDLs of the files now in the maildrop to the
    bytes on disk."""

    port: int
    expected: dict[str, bytes]

    def maildrop(self) -> dict[str, bytes]:
        raise NotImplementedError

    def on_disk(self, uidl: str) -> bytes:
        """What the file of `uidl` held when the test began."""
        raise NotImplementedError

    def log_text(self) -> str:
        return ""

    def stop(self) -> None:
        pass


def seed_dovecot(messages: list[tuple[str, bytes]], user: str = USER) -> None:
    with tempfile.TemporaryDirectory(prefix="interop-pop3-seed-") as d:
        for name, data in messages:
            (Path(d) / name).write_bytes(data)
        subprocess.run([str(DOVECOT_SH), "seed", user, d], check=True, capture_output=True, timeout=60)


def dovecot_maildir(user: str = USER) -> Path:
    return DOVECOT_DIR / "mail" / user


class DovecotPeer(Peer):
    """Dovecot's maildrop of `interop`, seeded with the LF corpus. A client
    gets each file with LF -> CRLF (see dovecot.sh)."""

    def __init__(self, messages: list[tuple[str, bytes]] | None = None):
        self.port = DOVECOT_PORT
        self.files = dict(messages if messages is not None else corpus.messages(crlf=False))
        seed_dovecot(list(self.files.items()))
        self.expected = {k: pop3_form(v) for k, v in self.files.items()}

    def maildrop(self) -> dict[str, bytes]:
        return maildir_files(dovecot_maildir())

    def on_disk(self, uidl: str) -> bytes:
        return self.files[uidl]

    def log_text(self) -> str:
        try:
            return (DOVECOT_DIR / "dovecot.log").read_bytes().decode("utf-8", "replace")[-3000:]
        except OSError:
            return ""


class OurServerPeer(Peer):
    """`pop3-server` on a free port, serving a fresh Maildir with the CRLF
    corpus: every file in new/, except the first, which sits in cur/ as
    NAME:2,S (so UIDL must stop at the ':')."""

    def __init__(self, messages: list[tuple[str, bytes]] | None = None):
        if not POP3_SERVER.is_file():
            raise FileNotFoundError(f"{POP3_SERVER} not built")
        self.tmp = Path(tempfile.mkdtemp(prefix="interop-pop3-server-"))
        self.maildir = self.tmp / "maildir"
        for sub in ("new", "cur", "tmp"):
            (self.maildir / sub).mkdir(parents=True)
        msgs = messages if messages is not None else corpus.messages(crlf=True)
        for i, (name, data) in enumerate(msgs):
            path = self.maildir / "cur" / f"{name}:2,S" if i == 0 else self.maildir / "new" / name
            path.write_bytes(data)
        self.expected = {k: pop3_form(v) for k, v in msgs}
        self.port = free_port()
        args = [str(POP3_SERVER), "--listen", f"{LOCALHOST}:{self.port}", "--maildir", str(self.maildir),
                "--user", f"{USER}:{PASSWORD}"]
        self.log_path = self.tmp / "server.log"
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while not port_open(self.port):
            if self.proc.poll() is not None:
                raise RuntimeError(f"pop3-server exited with {self.proc.returncode}: {self.log_text()}")
            if time.monotonic() > deadline:
                self.proc.kill()
                raise RuntimeError(f"pop3-server did not listen on {self.port}: {self.log_text()}")
            time.sleep(0.05)

    def maildrop(self) -> dict[str, bytes]:
        return maildir_files(self.maildir)

    def on_disk(self, uidl: str) -> bytes:
        return self.expected[uidl]

    def log_text(self) -> str:
        self.log.flush()
        return self.log_path.read_bytes().decode("utf-8", "replace")[-4000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        if not os.environ.get("INTEROP_KEEP"):
            shutil.rmtree(self.tmp, ignore_errors=True)


class DovecotRunning:
    """Class mixin: starts Dovecot for the class unless it already runs
    (interop/run starts it once), and stops only what it started."""

    started_dovecot = False

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        was_running = subprocess.run([str(DOVECOT_SH), "status"], capture_output=True, timeout=30).returncode == 0
        if not was_running:
            subprocess.run([str(DOVECOT_SH), "start"], check=True, capture_output=True, timeout=60)
        cls.started_dovecot = not was_running

    @classmethod
    def tearDownClass(cls) -> None:
        if cls.started_dovecot:
            subprocess.run([str(DOVECOT_SH), "stop"], capture_output=True, timeout=60)
        super().tearDownClass()


# --------------------------------------------------------------------------
# Real clients against a server (run against Dovecot and against ours)
# --------------------------------------------------------------------------


class RealClientTests:
    """The tests; a subclass says which server (`make_peer`)."""

    def make_peer(self) -> Peer:
        raise NotImplementedError

    def setUp(self) -> None:
        self.peer = self.make_peer()
        self.addCleanup(self.peer.stop)
        self.tmp = Path(tempfile.mkdtemp(prefix="interop-pop3-client-"))
        if not os.environ.get("INTEROP_KEEP"):
            self.addCleanup(shutil.rmtree, self.tmp, True)

    # -- helpers ------------------------------------------------------------

    def poplib(self, login: bool = True) -> poplib.POP3:
        p = poplib.POP3(LOCALHOST, self.peer.port, timeout=30)
        self.addCleanup(p.close)
        if login:
            self.assertTrue(p.user(USER).startswith(b"+OK"))
            self.assertTrue(p.pass_(PASSWORD).startswith(b"+OK"))
        return p

    def raw(self) -> RawPop3:
        r = RawPop3(self.peer.port)
        self.addCleanup(r.close)
        self.assertTrue(r.greeting.startswith(b"+OK"), r.greeting)
        return r

    def uidl_map(self, p: poplib.POP3) -> dict[str, int]:
        """UIDL -> message number."""
        resp, lines, _ = p.uidl()
        self.assertTrue(resp.startswith(b"+OK"), resp)
        out = {}
        for line in lines:
            num, uid = line.split()
            out[uid.decode()] = int(num)
        return out

    def number_of(self, p: poplib.POP3, label: str) -> tuple[str, int]:
        uidls = self.uidl_map(p)
        (uidl,) = [u for u in uidls if u.endswith("." + label)]
        return uidl, uidls[uidl]

    def assert_maildrop(self, keys: set[str], timeout: float = 5.0) -> None:
        """The maildrop holds exactly the files of `keys`, unchanged."""
        deadline = time.monotonic() + timeout
        while True:
            md = self.peer.maildrop()
            if set(md) == keys or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.assertEqual(set(md), keys, f"maildrop holds {sorted(md)}\n{self.peer.log_text()}")
        for k in keys:
            self.assertEqual(md[k], self.peer.on_disk(k), f"file of {k} changed")

    def assert_same(self, got: bytes, want: bytes, what: str) -> None:
        self.assertEqual(got, want, f"{what}: " + first_difference(got, want))

    # -- poplib: USER/PASS, STAT, LIST, UIDL, RETR, TOP -----------------------

    def test_capa(self):
        p = self.poplib(login=False)
        self.assertTrue(p.getwelcome().startswith(b"+OK"))
        caps = p.capa()
        for tag in REQUIRED_CAPA:
            self.assertIn(tag, caps, f"CAPA lacks {tag}: {caps}")
        for mech in REQUIRED_SASL:
            self.assertIn(mech, [m.upper() for m in caps.get("SASL", [])], f"SASL lacks {mech}: {caps}")
        self.assertNotIn("STLS", caps, "STLS offered on a server without TLS")
        p.quit()

    def test_stat_list_uidl(self):
        p = self.poplib()
        exp = self.peer.expected
        count, total = p.stat()
        self.assertEqual(count, len(exp))
        self.assertEqual(total, sum(len(m) for m in exp.values()), "STAT size is not the sum of CRLF sizes")
        uidls = self.uidl_map(p)
        self.assertEqual(set(uidls), set(exp), "UIDLs are not the file names up to ':'")
        self.assertEqual(sorted(uidls.values()), list(range(1, len(exp) + 1)))
        resp, lines, _ = p.list()
        self.assertTrue(resp.startswith(b"+OK"), resp)
        sizes = {int(n): int(s) for n, s in (line.split() for line in lines)}
        for uidl, num in uidls.items():
            self.assertEqual(sizes[num], len(exp[uidl]), f"LIST size of {uidl}")
            self.assertEqual(p.list(num), b"+OK %d %d" % (num, len(exp[uidl])))
            self.assertEqual(p.uidl(num), b"+OK %d %s" % (num, uidl.encode()))
        self.assertTrue(p.quit().startswith(b"+OK"))
        self.assert_maildrop(set(exp))

    def test_poplib_retr_every_message(self):
        p = self.poplib()
        for uidl, num in self.uidl_map(p).items():
            resp, lines, _ = p.retr(num)
            self.assertTrue(resp.startswith(b"+OK"), resp)
            self.assert_same(b"".join(line + CRLF for line in lines), self.peer.expected[uidl], f"RETR {uidl}")
        p.quit()
        self.assert_maildrop(set(self.peer.expected))

    def test_retr_wire_bytes(self):
        # The exact bytes on the wire: dot-stuffing and terminator included.
        r = self.raw()
        r.login()
        _, listing = r.multi(b"UIDL")
        for line in listing.split(CRLF)[:-2]:
            num, uidl = line.split()
            msg = self.peer.expected[uidl.decode()]
            status, body = r.multi(b"RETR " + num)
            self.assertTrue(status.startswith(b"+OK"), status)
            octets = re.match(rb"\+OK (\d+) octets", status)
            if octets:  # optional text, but if given it must be the size (RFC 1939 example)
                self.assertEqual(int(octets.group(1)), len(msg), status)
            self.assert_same(body, stuffed(msg), f"RETR {uidl!r} on the wire")
        self.assertTrue(r.cmd(b"QUIT").startswith(b"+OK"))

    def test_dot_lines(self):
        r = self.raw()
        r.login()
        _, listing = r.multi(b"UIDL")
        (num,) = [line.split()[0] for line in listing.split(CRLF) if line.endswith(b".dots")]
        _, body = r.multi(b"RETR " + num)
        self.assertIn(CRLF + b".." + CRLF, body, "a line that is only '.' must go out as '..'")
        self.assertIn(CRLF + b"..." + CRLF, body)
        self.assertIn(CRLF + b"....three" + CRLF, body)
        self.assertIn(CRLF + b"..hidden line" + CRLF, body)
        self.assertIn(CRLF + b" .not at the start" + CRLF, body)
        self.assertTrue(body.endswith(CRLF + b"..end" + CRLF + b"." + CRLF), body[-40:])
        r.cmd(b"QUIT")
        p = self.poplib()
        uidl, n = self.number_of(p, "dots")
        _, lines, _ = p.retr(n)
        self.assertIn(b".", lines)
        self.assertIn(b"..", lines)
        self.assert_same(b"".join(line + CRLF for line in lines), self.peer.expected[uidl], "dots via poplib")
        p.quit()

    def test_big_message(self):
        p = self.poplib()
        uidl, n = self.number_of(p, "big")
        msg = self.peer.expected[uidl]
        self.assertGreater(len(msg), 3_000_000)
        self.assertEqual(p.list(n), b"+OK %d %d" % (n, len(msg)))
        _, lines, _ = p.retr(n)
        self.assert_same(b"".join(line + CRLF for line in lines), msg, "3 MB message")
        p.quit()

    def test_utf8_and_empty_body(self):
        p = self.poplib()
        for label in ("utf8", "empty-body"):
            uidl, n = self.number_of(p, label)
            _, lines, _ = p.retr(n)
            got = b"".join(line + CRLF for line in lines)
            self.assert_same(got, self.peer.expected[uidl], label)
        self.assertRegex(self.peer.expected[self.number_of(p, "utf8")[0]], rb"[\x80-\xff]")
        p.quit()

    def test_top(self):
        p = self.poplib()
        for uidl, n in self.uidl_map(p).items():
            msg = self.peer.expected[uidl]
            for k in (0, 2, 100_000):
                resp, lines, _ = p.top(n, k)
                self.assertTrue(resp.startswith(b"+OK"), resp)
                self.assert_same(b"".join(line + CRLF for line in lines), top_of(msg, k), f"TOP {uidl} {k}")
        p.quit()

    # -- DELE, RSET, QUIT, dropped connections --------------------------------

    def test_dele_then_quit_removes_the_file(self):
        p = self.poplib()
        uidl, n = self.number_of(p, "dots")
        count = len(self.peer.expected)
        self.assertTrue(p.dele(n).startswith(b"+OK"))
        self.assertEqual(p.stat(), (count - 1, sum(len(m) for k, m in self.peer.expected.items() if k != uidl)))
        with self.assertRaises(poplib.error_proto):
            p.retr(n)
        with self.assertRaises(poplib.error_proto):
            p.list(n)
        self.assert_maildrop(set(self.peer.expected), timeout=0)  # nothing removed before QUIT
        self.assertTrue(p.quit().startswith(b"+OK"))
        self.assert_maildrop(set(self.peer.expected) - {uidl})
        p2 = self.poplib()
        self.assertEqual(p2.stat()[0], count - 1)
        self.assertNotIn(uidl, self.uidl_map(p2))
        p2.quit()

    def test_rset_undeletes(self):
        p = self.poplib()
        count = len(self.peer.expected)
        self.assertTrue(p.dele(1).startswith(b"+OK"))
        self.assertTrue(p.dele(3).startswith(b"+OK"))
        self.assertEqual(p.stat()[0], count - 2)
        self.assertTrue(p.rset().startswith(b"+OK"))
        self.assertEqual(p.stat()[0], count)
        p.retr(1)
        self.assertTrue(p.quit().startswith(b"+OK"))
        self.assert_maildrop(set(self.peer.expected))

    def test_dropped_connection_deletes_nothing(self):
        r = self.raw()
        r.login()
        self.assertTrue(r.cmd(b"DELE 1").startswith(b"+OK"))
        self.assertTrue(r.cmd(b"DELE 2").startswith(b"+OK"))
        r.close()  # no QUIT: no UPDATE state (RFC 1939 section 6)
        time.sleep(0.3)
        self.assert_maildrop(set(self.peer.expected), timeout=0)
        p = self.poplib()
        self.assertEqual(p.stat()[0], len(self.peer.expected))
        p.quit()

    # -- AUTH (RFC 5034) and failures ---------------------------------------

    def test_auth_plain_initial_response(self):
        r = self.raw()
        resp = r.cmd(b"AUTH PLAIN " + base64.b64encode(f"\0{USER}\0{PASSWORD}".encode()))
        self.assertTrue(resp.startswith(b"+OK"), resp)
        self.assertEqual(r.cmd(b"STAT"), b"+OK %d %d\r\n" % (
            len(self.peer.expected), sum(len(m) for m in self.peer.expected.values())))
        self.assertTrue(r.cmd(b"QUIT").startswith(b"+OK"))

    def test_auth_plain_after_continuation(self):
        r = self.raw()
        self.assertEqual(r.cmd(b"AUTH PLAIN")[:2], b"+ ", "no empty challenge for AUTH PLAIN")
        resp = r.cmd(base64.b64encode(f"\0{USER}\0{PASSWORD}".encode()))
        self.assertTrue(resp.startswith(b"+OK"), resp)
        self.assertTrue(r.cmd(b"NOOP").startswith(b"+OK"))
        r.cmd(b"QUIT")

    def test_auth_login(self):
        r = self.raw()
        self.assertEqual(r.cmd(b"AUTH LOGIN")[:2], b"+ ")
        self.assertEqual(r.cmd(base64.b64encode(USER.encode()))[:2], b"+ ")
        resp = r.cmd(base64.b64encode(PASSWORD.encode()))
        self.assertTrue(resp.startswith(b"+OK"), resp)
        r.cmd(b"QUIT")

    def test_bad_password(self):
        p = self.poplib(login=False)
        p.user(USER)
        with self.assertRaises(poplib.error_proto) as cm:
            p.pass_("not-the-password")
        self.assertTrue(str(cm.exception).startswith("b'-ERR"), cm.exception)
        # Back in the AUTHORIZATION state: a second try may succeed (RFC 1939 section 7).
        self.assertTrue(p.user(USER).startswith(b"+OK"))
        self.assertTrue(p.pass_(PASSWORD).startswith(b"+OK"))
        self.assertEqual(p.stat()[0], len(self.peer.expected))
        p.quit()
        r = self.raw()
        resp = r.cmd(b"AUTH PLAIN " + base64.b64encode(f"\0{USER}\0wrong".encode()))
        self.assertTrue(resp.startswith(b"-ERR"), resp)
        self.assertTrue(r.cmd(b"STAT").startswith(b"-ERR"), "STAT allowed after a failed AUTH")
        r.cmd(b"QUIT")
        self.assert_maildrop(set(self.peer.expected))

    def test_pipelined_commands(self):
        # RFC 2449 PIPELINING: a whole session in one write, answered in order.
        r = self.raw()
        r.send(b"USER " + USER.encode() + CRLF + b"PASS " + PASSWORD.encode() + CRLF
               + b"STAT\r\nLIST\r\nUIDL\r\nRETR 1\r\nTOP 2 0\r\nNOOP\r\nQUIT\r\n")
        self.assertTrue(r.line().startswith(b"+OK"))
        self.assertTrue(r.line().startswith(b"+OK"))
        self.assertTrue(r.line().startswith(b"+OK %d " % len(self.peer.expected)))
        for _ in ("LIST", "UIDL"):
            self.assertTrue(r.line().startswith(b"+OK"))
            r.read_body()
        # (which messages RETR 1 and TOP 2 0 are is looked up after QUIT)
        self.assertTrue(r.line().startswith(b"+OK"))
        retr1 = r.read_body()
        self.assertTrue(r.line().startswith(b"+OK"))
        top2 = r.read_body()
        self.assertTrue(r.line().startswith(b"+OK"))
        self.assertTrue(r.line().startswith(b"+OK"))
        p = self.poplib()
        uidls = {v: k for k, v in self.uidl_map(p).items()}
        p.quit()
        self.assert_same(retr1, stuffed(self.peer.expected[uidls[1]]), "pipelined RETR 1")
        self.assert_same(top2, stuffed(top_of(self.peer.expected[uidls[2]], 0)), "pipelined TOP 2 0")

    # -- curl -----------------------------------------------------------------

    def curl(self, path: str, *extra: str) -> bytes:
        out = self.tmp / "curl.out"
        args = ["curl", "-sS", "--max-time", "60", f"pop3://{LOCALHOST}:{self.peer.port}/{path}",
                "--user", f"{USER}:{PASSWORD}", "-o", str(out), *extra]
        p = subprocess.run(args, capture_output=True, timeout=90, stdin=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 0, f"curl failed ({p.returncode}): {p.stderr.decode(errors='replace')}")
        return out.read_bytes()

    def test_curl_list(self):
        listing = self.curl("")
        p = self.poplib()
        uidls = self.uidl_map(p)
        p.quit()
        want = b"".join(b"%d %d\r\n" % (n, len(self.peer.expected[u]))
                        for u, n in sorted(uidls.items(), key=lambda x: x[1]))
        self.assertEqual(listing, want)

    def test_curl_retr_every_message(self):
        p = self.poplib()
        uidls = self.uidl_map(p)
        p.quit()
        for uidl, n in uidls.items():
            self.assert_same(self.curl(str(n)), self.peer.expected[uidl], f"curl RETR {uidl}")
        self.assert_maildrop(set(self.peer.expected))

    def test_curl_auth_login_uidl(self):
        listing = self.curl("", "--login-options", "AUTH=LOGIN", "-X", "UIDL")
        got = {line.split(b" ")[1].decode() for line in listing.split(CRLF) if line}
        self.assertEqual(got, set(self.peer.expected))

    # -- mpop -----------------------------------------------------------------

    def mpop(self, auth: str, keep: bool = False) -> Path:
        md = self.tmp / f"mpop-{auth}"
        for sub in ("new", "cur", "tmp"):
            (md / sub).mkdir(parents=True)
        rc = self.tmp / "mpoprc"
        rc.write_text(
            "defaults\n"
            "tls off\n"
            f"auth {auth}\n"
            f"keep {'on' if keep else 'off'}\n"
            "only_new off\n"
            "received_header off\n"
            f"uidls_file {self.tmp / 'mpop-uidls'}\n"
            "account peer\n"
            f"host {LOCALHOST}\n"
            f"port {self.peer.port}\n"
            f"user {USER}\n"
            f"password {PASSWORD}\n"
            f"delivery maildir {md}\n")
        rc.chmod(0o600)
        p = subprocess.run(["mpop", "-C", str(rc), "peer"], capture_output=True, timeout=120,
                           stdin=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 0, f"mpop failed ({p.returncode}):\n{p.stdout.decode(errors='replace')}\n"
                                          f"{p.stderr.decode(errors='replace')}\n{self.peer.log_text()}")
        return md

    def _mpop(self, auth: str) -> None:
        md = self.mpop(auth)
        want = sorted(m.replace(CRLF, b"\n") for m in self.peer.expected.values())
        got = downloaded(md)
        self.assertEqual(len(got), len(want))
        for g, w in zip(got, want):
            self.assert_same(g, w, f"mpop (auth {auth}) maildir file")
        self.assert_maildrop(set())

    def test_mpop_user_pass(self):
        self._mpop("user")

    def test_mpop_auth_plain(self):
        self._mpop("plain")

    def test_mpop_keep(self):
        md = self.mpop("user", keep=True)
        self.assertEqual(len(downloaded(md)), len(self.peer.expected))
        self.assert_maildrop(set(self.peer.expected))

    # -- fetchmail --------------------------------------------------------------

    @unittest.skipUnless(HAVE_ROOT, "fetchmail delivers to a local user; the test runs it as root")
    def test_fetchmail(self):
        out = self.tmp / "fetchmail-out"
        out.mkdir()
        rc = self.tmp / "fetchmailrc"
        rc.write_text(
            "set no bouncemail\n"
            f"poll {LOCALHOST} protocol pop3 port {self.peer.port} auth password timeout 60\n"
            f'  user "{USER}" password "{PASSWORD}" is root here\n'
            "  nokeep fetchall no rewrite sslproto ''\n"
            f"  mda \"/bin/sh -c 'cat > {out}/msg.$$'\"\n")
        rc.chmod(0o600)
        env = {**os.environ, "HOME": str(self.tmp)}
        p = subprocess.run(["fetchmail", "-f", str(rc), "--nodetach", "--nosyslog",
                            "--pidfile", str(self.tmp / "fetchmail.pid"), "-i", str(self.tmp / "fetchids")],
                           capture_output=True, timeout=120, stdin=subprocess.DEVNULL, env=env)
        self.assertEqual(p.returncode, 0, f"fetchmail failed ({p.returncode}):\n"
                                          f"{p.stdout.decode(errors='replace')}{p.stderr.decode(errors='replace')}")
        got = []
        for f in out.iterdir():
            data = f.read_bytes()
            m = FETCHMAIL_RECEIVED.match(data)
            self.assertIsNotNone(m, f"no fetchmail Received header: {data[:300]!r}")
            got.append(data[m.end():])
        want = sorted(m.replace(CRLF, b"\n") for m in self.peer.expected.values())
        self.assertEqual(len(got), len(want))
        for g, w in zip(sorted(got), want):
            self.assert_same(g, w, "fetchmail MDA input")
        self.assert_maildrop(set())


class TestRealClientsToDovecot(DovecotRunning, RealClientTests, unittest.TestCase):
    """Reference run of the client tests against Dovecot, plus its own facts."""

    def make_peer(self) -> Peer:
        return DovecotPeer()

    def test_dovecot_greeting_and_capa_after_login(self):
        p = self.poplib(login=False)
        self.assertEqual(p.getwelcome(), b"+OK [XCLIENT] Dovecot (Debian) ready.")
        self.assertEqual(set(p.capa()), {"CAPA", "TOP", "UIDL", "RESP-CODES", "PIPELINING",
                                         "AUTH-RESP-CODE", "USER", "SASL"})
        p.user(USER)
        p.pass_(PASSWORD)
        self.assertEqual(set(p.capa()), {"CAPA", "TOP", "UIDL", "RESP-CODES", "PIPELINING", "AUTH-RESP-CODE"})
        p.quit()

    def test_dovecot_sizes_are_crlf_sizes(self):
        p = self.poplib()
        for uidl, n in self.uidl_map(p).items():
            on_disk = self.peer.on_disk(uidl)
            self.assertEqual(p.list(n), b"+OK %d %d" % (n, len(on_disk) + on_disk.count(b"\n")))
        p.quit()


@unittest.skipUnless(POP3_SERVER.is_file(), f"{POP3_SERVER} not built yet "
                     "(cargo build --release -p mail-examples --examples)")
class TestRealClientsToOurServer(RealClientTests, unittest.TestCase):

    def make_peer(self) -> Peer:
        return OurServerPeer()

    def test_sigterm_exits(self):
        self.peer.proc.send_signal(signal.SIGTERM)
        try:
            self.peer.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.fail("pop3-server did not exit within 10 s of SIGTERM")


# --------------------------------------------------------------------------
# Dovecot's conversion of odd maildir files
# --------------------------------------------------------------------------


class TestDovecotConversion(DovecotRunning, unittest.TestCase):
    """Files that are not plain LF text: what Dovecot lists and sends."""

    ODD = [
        ("1767225600.nofinal", b"Subject: nofinal\n\nline1\nlast without newline"),
        ("1767225601.mixed", b"Subject: mixed\r\n\r\nalready crlf\r\nmixed lf\n.dot\r\n"),
        ("1767225602.bare-cr", b"Subject: bare cr\n\nbare\rcr inside a line\n"),
    ]

    def test_odd_files(self):
        seed_dovecot(self.ODD)
        r = RawPop3(DOVECOT_PORT)
        self.addCleanup(r.close)
        r.login()
        _, listing = r.multi(b"LIST")
        self.assertEqual(listing, b"1 47\r\n2 48\r\n3 43\r\n.\r\n", "file size + one per bare LF")
        self.assertEqual(r.multi(b"RETR 1")[1], b"Subject: nofinal\r\n\r\nline1\r\nlast without newline\r\n.\r\n",
                         "CRLF added to a last line without LF, not counted in LIST")
        self.assertEqual(r.multi(b"RETR 2")[1],
                         b"Subject: mixed\r\n\r\nalready crlf\r\nmixed lf\r\n..dot\r\n.\r\n",
                         "CRLF kept, bare LF made CRLF")
        self.assertEqual(r.multi(b"RETR 3")[1], b"Subject: bare cr\r\n\r\nbare\rcr inside a line\r\n.\r\n",
                         "bare CR passed through")
        r.cmd(b"QUIT")


# --------------------------------------------------------------------------
# Our pop3-fetch against Dovecot and against our pop3-server
# --------------------------------------------------------------------------


class FetchResult:
    def __init__(self, p: subprocess.CompletedProcess):
        self.returncode = p.returncode
        self.stdout = p.stdout.decode("utf-8", "replace")
        self.stderr = p.stderr.decode("utf-8", "replace")

    def __str__(self) -> str:
        return f"exit {self.returncode}\nstdout:\n{self.stdout[-3000:]}\nstderr:\n{self.stderr[-2000:]}"


class FetchTests:
    """pop3-fetch downloads the maildrop of `make_peer()`."""

    def make_peer(self, messages: list[tuple[str, bytes]] | None = None) -> Peer:
        raise NotImplementedError

    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="interop-pop3-fetch-"))
        if not os.environ.get("INTEROP_KEEP"):
            self.addCleanup(shutil.rmtree, self.tmp, True)

    def peer(self, messages: list[tuple[str, bytes]] | None = None) -> Peer:
        peer = self.make_peer(messages)
        self.addCleanup(peer.stop)
        return peer

    def fetch(self, port: int, *extra: str, password: str = PASSWORD, tap: bool = True) -> tuple[FetchResult, Path]:
        out = self.tmp / f"out-{len(list(self.tmp.iterdir()))}"
        for sub in ("new", "cur", "tmp"):
            (out / sub).mkdir(parents=True)
        self.tap = test_smtp.WireTap(port) if tap else None
        if self.tap:
            self.addCleanup(self.tap.close)
        args = [str(POP3_FETCH), "--server", f"{LOCALHOST}:{self.tap.port if self.tap else port}",
                "--user", f"{USER}:{password}", "--out", str(out), *extra]
        r = FetchResult(subprocess.run(args, capture_output=True, timeout=120, stdin=subprocess.DEVNULL))
        return r, out

    def commands(self) -> list[bytes]:
        return [line.split(b" ", 1)[0].upper() for line in self.tap.client_bytes().split(CRLF) if line]

    def assert_fetched(self, peer: Peer, out: Path) -> None:
        got = downloaded(out)
        want = sorted(peer.expected.values())
        self.assertEqual(len(got), len(want), f"files in {out}")
        for g, w in zip(got, want):
            self.assertEqual(g, w, "downloaded message differs: " + first_difference(g, w))
        self.assertEqual(list((out / "tmp").iterdir()), [], "files left in tmp/")

    def assert_maildrop(self, peer: Peer, keys: set[str], timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while set(peer.maildrop()) != keys and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(set(peer.maildrop()), keys)

    def test_fetch_and_delete(self):
        peer = self.peer()
        r, out = self.fetch(peer.port)
        self.assertEqual(r.returncode, 0, str(r))
        self.assert_fetched(peer, out)
        verbs = self.commands()
        self.assertEqual(verbs.count(b"DELE"), len(peer.expected), verbs)
        self.assertEqual(verbs[-1], b"QUIT", "no QUIT: the server never enters UPDATE")
        self.assert_maildrop(peer, set())

    def test_fetch_keep(self):
        peer = self.peer()
        r, out = self.fetch(peer.port, "--keep")
        self.assertEqual(r.returncode, 0, str(r))
        self.assert_fetched(peer, out)
        self.assertNotIn(b"DELE", self.commands(), "--keep must not send DELE")
        self.assert_maildrop(peer, set(peer.expected))

    def test_fetch_wrong_password(self):
        peer = self.peer()
        r, out = self.fetch(peer.port, password="not-the-password")
        self.assertNotEqual(r.returncode, 0, str(r))
        self.assertEqual(downloaded(out), [])
        self.assertNotIn(b"RETR", self.commands())
        self.assert_maildrop(peer, set(peer.expected))

    def test_fetch_empty_maildrop(self):
        peer = self.peer([])
        r, out = self.fetch(peer.port)
        self.assertEqual(r.returncode, 0, str(r))
        self.assertEqual(downloaded(out), [])

    def test_fetch_last_line_without_newline(self):
        # The server must end the last line with CRLF before the terminator
        # (Dovecot does); the client stores the message as received.
        peer = self.peer([("1767225600.nofinal", b"Subject: nofinal\n\nline1\nlast without newline"),
                          ("1767225601.dots", corpus.messages()[1][1])])
        r, out = self.fetch(peer.port)
        self.assertEqual(r.returncode, 0, str(r))
        self.assert_fetched(peer, out)

    def test_connection_refused(self):
        r, out = self.fetch(free_port(), tap=False)
        self.assertNotEqual(r.returncode, 0, str(r))
        self.assertEqual(downloaded(out), [])


@unittest.skipUnless(POP3_FETCH.is_file(), f"{POP3_FETCH} not built yet "
                     "(cargo build --release -p mail-examples --examples)")
class TestOurFetchFromDovecot(DovecotRunning, FetchTests, unittest.TestCase):

    def make_peer(self, messages=None) -> Peer:
        return DovecotPeer(messages)


@unittest.skipUnless(POP3_FETCH.is_file() and POP3_SERVER.is_file(),
                     f"{POP3_FETCH} or {POP3_SERVER} not built yet "
                     "(cargo build --release -p mail-examples --examples)")
class TestOurFetchFromOurServer(FetchTests, unittest.TestCase):

    def make_peer(self, messages=None) -> Peer:
        if messages is not None:
            messages = [(n, m.replace(b"\n", CRLF)) for n, m in messages]
        return OurServerPeer(messages)


if __name__ == "__main__":
    unittest.main(verbosity=2)
