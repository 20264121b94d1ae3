#!/usr/bin/env python3
"""SMTP interop tests: our example programs against real peers.

Two directions:

* ``TestOurClientToPostfix``: ``smtp-send`` (our client session) delivers to
  the machine's Postfix (set up by ``interop/postfix.sh``), and the message
  Postfix wrote into ``~interop/Maildir/new`` is compared with what was sent.
* ``TestRealClientsToOurServer``: Python's smtplib, swaks and curl deliver to
  ``smtp-server`` (our server session) and the file it wrote into
  ``DIR/new`` must be ``Return-Path: <from>\\r\\n`` followed by exactly the
  bytes the client put on the wire, after dot-unstuffing.
* ``TestOurClientToOurServer``: both of ours, including BDAT end to end.

Every connection goes through ``WireTap``, a recording TCP relay on
127.0.0.1, so each test also checks the bytes really on the wire: the
expected message computed from the client's documented behaviour must match
the DATA/BDAT payload the tap saw, and PIPELINING/CHUNKING use is read off
the recorded stream rather than trusted from a program's own output.

Only 127.0.0.1 is ever contacted. Stdlib only (Python 3.11).

Environment:
  INTEROP_BIN_DIR        where smtp-server and smtp-send are
                         (default: $CARGO_TARGET_DIR or ./target, + release/examples)
  INTEROP_POSTFIX_PORT   Postfix's port (default 10025, as postfix.sh)
  INTEROP_KEEP           if set, keep the temporary directories (server logs, maildirs)
"""

from __future__ import annotations

import email.generator
import email.message
import email.policy
import copy
import io
import os
import pwd
import re
import secrets
import shutil
import signal
import smtplib
import socket
import subprocess
import tempfile
import threading
import time
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_TARGET = Path(os.environ.get("CARGO_TARGET_DIR") or (REPO / "target"))
BIN_DIR = Path(os.environ.get("INTEROP_BIN_DIR") or (_TARGET / "release" / "examples"))
SMTP_SERVER = BIN_DIR / "smtp-server"
SMTP_SEND = BIN_DIR / "smtp-send"
POSTFIX_SH = REPO / "interop" / "postfix.sh"
POSTFIX_PORT = int(os.environ.get("INTEROP_POSTFIX_PORT", "10025"))
POSTFIX_LOG = Path("/var/log/postfix-interop.log")
LOCALHOST = "127.0.0.1"
CRLF = b"\r\n"

# Keywords our smtp-server must advertise (the example's documented set).
SERVER_KEYWORDS = ("pipelining", "8bitmime", "smtputf8", "size", "chunking", "enhancedstatuscodes")
# Keywords Postfix 3.7 offers with postfix.sh's configuration.
POSTFIX_KEYWORDS = ("PIPELINING", "SIZE", "ENHANCEDSTATUSCODES", "8BITMIME", "DSN", "SMTPUTF8", "CHUNKING")


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


def token() -> str:
    return "itest-" + secrets.token_hex(8)


def make_message(tok: str, body: bytes, sender: str = "sender@localhost", to: str = "interop@localhost",
                 extra_headers: tuple[str, ...] = ()) -> bytes:
    """A CRLF message whose Subject and Message-ID carry `tok`."""
    headers = [
        f"From: <{sender}>",
        f"To: <{to}>",
        f"Subject: interop {tok}",
        f"Message-ID: <{tok}@interop.test>",
        "Date: Thu, 01 Jan 2026 00:00:00 +0000",
        *extra_headers,
    ]
    return CRLF.join(h.encode("utf-8") for h in headers) + CRLF + CRLF + body


DOT_BODY = CRLF.join([
    b"Lines that start with a period must be dot-stuffed on the wire:",
    b".",
    b"..",
    b"...three",
    b".hidden line",
    b" .not at the start",
    b"",
    b".",
    b"last line starts with a dot too:",
    b".end",
]) + CRLF

EIGHT_BIT_BODY = "Grüße aus Köln, señor: ½ € ✓ — 8-bit body bytes\r\nZweite Zeile: ÄÖÜ äöü ß\r\n".encode("utf-8")


def big_body(size: int = 2 * 1024 * 1024) -> bytes:
    """About `size` bytes of 78-byte CRLF lines, with a few dot-leading lines."""
    out = bytearray()
    i = 0
    while len(out) < size:
        if i % 997 == 0:
            out += b".%08d dot-leading line in a big message" % i + CRLF
        else:
            out += b"%08d " % i + b"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-" + CRLF
        i += 1
    return bytes(out)


def unstuff(raw: bytes) -> bytes:
    """Undo dot-stuffing of a DATA payload given without its final '.' line
    (RFC 5321 4.5.2): remove one leading '.' from every line."""
    lines = raw.split(CRLF)
    return CRLF.join(line[1:] if line.startswith(b".") else line for line in lines)


class ClientCommand:
    """One command a client sent, with the message payload for DATA/BDAT."""

    def __init__(self, line: bytes, payload: bytes | None = None, last: bool = False):
        self.line = line
        self.payload = payload
        self.last = last

    @property
    def verb(self) -> bytes:
        return self.line.split(b" ", 1)[0].upper()

    def __repr__(self) -> str:
        return f"ClientCommand({self.line!r}, payload={None if self.payload is None else len(self.payload)})"


def parse_client_stream(buf: bytes) -> list[ClientCommand]:
    """Split what a client sent into command lines. After `DATA` the payload
    runs to CRLF.CRLF (returned unstuffed); after `BDAT n` it is n bytes.
    Assumes DATA was accepted (354), as in every test here."""
    cmds: list[ClientCommand] = []
    i = 0
    while i < len(buf):
        j = buf.find(CRLF, i)
        if j < 0:
            cmds.append(ClientCommand(buf[i:]))
            break
        line = buf[i:j]
        i = j + 2
        words = line.split()
        verb = words[0].upper() if words else b""
        if verb == b"DATA" and len(words) == 1:
            end = buf.find(b"\r\n.\r\n", i - 2)
            if end < 0:
                cmds.append(ClientCommand(line, None))
                break
            raw = buf[i:end] if end >= i else b""
            payload = unstuff(raw) + CRLF if end >= i else b""
            cmds.append(ClientCommand(line, payload, last=True))
            i = end + 5
        elif verb == b"BDAT" and len(words) >= 2 and words[1].isdigit():
            n = int(words[1])
            last = len(words) >= 3 and words[2].upper() == b"LAST"
            cmds.append(ClientCommand(line, buf[i:i + n], last=last))
            i += n
        else:
            cmds.append(ClientCommand(line))
    return cmds


def wire_messages(cmds: list[ClientCommand]) -> list[bytes]:
    """The messages transferred in a client stream (BDAT chunks joined)."""
    msgs: list[bytes] = []
    cur: bytearray | None = None
    for c in cmds:
        if c.verb == b"DATA" and c.payload is not None:
            msgs.append(c.payload)
        elif c.verb == b"BDAT" and c.payload is not None:
            cur = (cur or bytearray()) + c.payload
            if c.last:
                msgs.append(bytes(cur))
                cur = None
        elif c.verb == b"RSET":
            cur = None
    return msgs


def first_difference(a: bytes, b: bytes) -> str:
    n = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return (f"lengths {len(a)} vs {len(b)}; first difference at byte {n}: "
            f"{a[max(0, n - 40):n + 40]!r} vs {b[max(0, n - 40):n + 40]!r}")


# --------------------------------------------------------------------------
# WireTap: a recording TCP relay
# --------------------------------------------------------------------------


class WireTap:
    """Listens on 127.0.0.1:<port> and relays each connection to
    127.0.0.1:<upstream>, recording the byte streams in both directions in
    order. `reply_delay` holds every server->client chunk back a little, so
    that whatever a client sends before it has seen a reply is recorded
    before that reply: a client that pipelines shows several commands in one
    batch (see `batches`)."""

    def __init__(self, upstream: int, reply_delay: float = 0.0):
        self.upstream = upstream
        self.reply_delay = reply_delay
        self.events: list[tuple[str, bytes]] = []
        self.lock = threading.Lock()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((LOCALHOST, 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.closed = threading.Event()
        self.threads: list[threading.Thread] = []
        self.conns: list[socket.socket] = []
        self.accepter = threading.Thread(target=self._accept, daemon=True)
        self.accepter.start()

    def _record(self, who: str, data: bytes) -> None:
        with self.lock:
            self.events.append((who, data))

    def _accept(self) -> None:
        while not self.closed.is_set():
            try:
                client, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            try:
                server = socket.create_connection((LOCALHOST, self.upstream), timeout=10)
            except OSError:
                client.close()
                continue
            client.settimeout(None)
            server.settimeout(None)
            self.conns += [client, server]
            for src, dst, who in ((client, server, "C"), (server, client, "S")):
                t = threading.Thread(target=self._pump, args=(src, dst, who), daemon=True)
                t.start()
                self.threads.append(t)

    def _pump(self, src: socket.socket, dst: socket.socket, who: str) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if who == "S" and self.reply_delay:
                    time.sleep(self.reply_delay)
                self._record(who, data)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            try:
                dst.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    def client_bytes(self) -> bytes:
        with self.lock:
            return b"".join(d for w, d in self.events if w == "C")

    def server_bytes(self) -> bytes:
        with self.lock:
            return b"".join(d for w, d in self.events if w == "S")

    def batches(self) -> list[bytes]:
        """Client bytes grouped by the server writes between them."""
        out: list[bytes] = []
        cur = b""
        with self.lock:
            for who, data in self.events:
                if who == "C":
                    cur += data
                elif cur:
                    out.append(cur)
                    cur = b""
        if cur:
            out.append(cur)
        return out

    def commands(self) -> list[ClientCommand]:
        return parse_client_stream(self.client_bytes())

    def messages(self) -> list[bytes]:
        return wire_messages(self.commands())

    def close(self) -> None:
        self.closed.set()
        self.sock.close()
        for t in self.threads:
            t.join(timeout=5)
        for c in self.conns:
            c.close()
        self.accepter.join(timeout=5)


# --------------------------------------------------------------------------
# Our smtp-server
# --------------------------------------------------------------------------


class OurServer:
    """Runs `smtp-server` on a free 127.0.0.1 port with a fresh maildir."""

    def __init__(self, user: str | None = None, max_size: int | None = None):
        if not SMTP_SERVER.is_file():
            raise FileNotFoundError(f"{SMTP_SERVER} not built (cargo build --release -p mail-examples --examples)")
        self.tmp = Path(tempfile.mkdtemp(prefix="interop-smtp-server-"))
        self.maildir = self.tmp / "maildir"
        for sub in ("new", "cur", "tmp"):
            (self.maildir / sub).mkdir(parents=True)
        self.port = free_port()
        args = [str(SMTP_SERVER), "--listen", f"{LOCALHOST}:{self.port}", "--maildir", str(self.maildir)]
        if user:
            args += ["--user", user]
        if max_size is not None:
            args += ["--max-size", str(max_size)]
        self.log_path = self.tmp / "server.log"
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while not port_open(self.port):
            if self.proc.poll() is not None:
                raise RuntimeError(f"smtp-server exited with {self.proc.returncode}: {self.log_text()}")
            if time.monotonic() > deadline:
                self.proc.kill()
                raise RuntimeError(f"smtp-server did not listen on {self.port}: {self.log_text()}")
            time.sleep(0.05)

    def log_text(self) -> str:
        self.log.flush()
        return self.log_path.read_bytes().decode("utf-8", "replace")[-4000:]

    def files(self) -> list[Path]:
        return sorted((self.maildir / "new").iterdir(), key=lambda p: (p.stat().st_mtime_ns, p.name))

    def stop(self) -> int | None:
        """SIGTERM, then wait; returns the exit status, or None if it had to be killed."""
        rc: int | None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                rc = None
        else:
            rc = self.proc.returncode
        self.log.close()
        if not os.environ.get("INTEROP_KEEP"):
            shutil.rmtree(self.tmp, ignore_errors=True)
        return rc


class OurServerCase(unittest.TestCase):
    """Starts servers on demand; tearDown stops them and checks they exit on SIGTERM."""

    def setUp(self) -> None:
        self.servers: list[OurServer] = []
        self.taps: list[WireTap] = []
        self.tmp = Path(tempfile.mkdtemp(prefix="interop-client-"))

    def tearDown(self) -> None:
        for tap in self.taps:
            tap.close()
        stuck = []
        for srv in self.servers:
            alive = srv.proc.poll() is None
            rc = srv.stop()
            if alive and rc is None:
                stuck.append(srv.port)
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.assertFalse(stuck, f"smtp-server on ports {stuck} did not exit within 10 s of SIGTERM")

    def start_server(self, **kw) -> OurServer:
        srv = OurServer(**kw)
        self.servers.append(srv)
        return srv

    def tap(self, upstream: int, reply_delay: float = 0.0) -> WireTap:
        t = WireTap(upstream, reply_delay)
        self.taps.append(t)
        return t

    def write(self, name: str, data: bytes) -> Path:
        p = self.tmp / name
        p.write_bytes(data)
        return p

    def wait_files(self, srv: OurServer, count: int, timeout: float = 10.0) -> list[Path]:
        deadline = time.monotonic() + timeout
        while True:
            files = srv.files()
            if len(files) >= count or time.monotonic() > deadline:
                return files
            time.sleep(0.05)

    def assert_stored(self, srv: OurServer, expected: list[tuple[str, bytes]], tap: WireTap | None = None) -> None:
        """DIR/new holds exactly the expected (sender, message) pairs, each
        file being `Return-Path: <sender>` CRLF + message (in any order: file
        names and mtimes need not order messages of one connection); and if
        a tap recorded the session, the expected messages are exactly the
        payloads that were on the wire."""
        if tap is not None:
            seen = tap.messages()
            self.assertEqual(len(seen), len(expected), f"messages on the wire: {tap.commands()}")
            for got, (_, exp) in zip(seen, expected):
                self.assertEqual(got, exp, "test's model of the client disagrees with the wire: "
                                 + first_difference(got, exp))
        self.wait_files(srv, len(expected))
        time.sleep(0.1)
        files = srv.files()
        self.assertEqual(len(files), len(expected),
                         f"files in {srv.maildir}/new: {[f.name for f in files]}\nserver log:\n{srv.log_text()}")
        want = sorted(b"Return-Path: <" + snd.encode("utf-8") + b">\r\n" + msg for snd, msg in expected)
        got = sorted(f.read_bytes() for f in files)
        for g, w in zip(got, want):
            self.assertEqual(g, w, first_difference(g, w) + f"\nserver log:\n{srv.log_text()}")


def smtplib_payload(msg: bytes) -> bytes:
    """What smtplib.SMTP.sendmail/data transfers for a bytes message, after
    unstuffing: the bytes unchanged (no line-ending repair for bytes), plus
    CRLF when the message does not end with one (Lib/smtplib.py, data())."""
    return msg if msg.endswith(CRLF) else msg + CRLF


def send_message_payload(msg: email.message.EmailMessage, international: bool) -> bytes:
    """What smtplib.SMTP.send_message flattens a message to (Lib/smtplib.py):
    a copy without Bcc/Resent-Bcc, BytesGenerator with CRLF, utf8 policy if
    any address is non-ASCII."""
    m = copy.copy(msg)
    del m["Bcc"]
    del m["Resent-Bcc"]
    buf = io.BytesIO()
    if international:
        g = email.generator.BytesGenerator(buf, policy=msg.policy.clone(utf8=True))
    else:
        g = email.generator.BytesGenerator(buf)
    g.flatten(m, linesep="\r\n")
    return smtplib_payload(buf.getvalue())


def swaks_payload(data: bytes) -> bytes:
    """What swaks 20201014 transfers for `--data @FILE` after unstuffing,
    for a CRLF file without '%TOKENS%', backslash-n, a leading 'From ' line
    or a final newline: swaks rebuilds the header with CRLF, stuffs, and
    ends with CRLF '.' CRLF, so the message is the file plus CRLF."""
    assert not data.endswith(b"\n") and b"%" not in data and b"\\n" not in data and not data.startswith(b"From ")
    assert b"\n" not in data.replace(CRLF, b""), "file must use CRLF only"
    return data + CRLF


def curl_payload(data: bytes) -> bytes:
    """What curl --upload-file transfers for smtp:// after unstuffing: the
    file unchanged when it ends with CRLF (curl adds only '.' CRLF then)."""
    assert data.endswith(CRLF)
    return data


# --------------------------------------------------------------------------
# Real clients -> our smtp-server
# --------------------------------------------------------------------------

USER, PASSWORD = "alice", "s3cret-Pa55"


class TestRealClientsToOurServer(OurServerCase):

    # -- smtplib ----------------------------------------------------------

    def smtp(self, port: int) -> smtplib.SMTP:
        s = smtplib.SMTP(LOCALHOST, port, local_hostname="client.localhost", timeout=30)
        self.addCleanup(s.close)
        return s

    def test_ehlo_keywords(self):
        srv = self.start_server()
        s = self.smtp(srv.port)
        code, _ = s.ehlo()
        self.assertEqual(code, 250)
        for kw in SERVER_KEYWORDS:
            self.assertTrue(s.has_extn(kw), f"EHLO lacks {kw}: {s.esmtp_features}")
        self.assertFalse(s.has_extn("auth"), "AUTH offered without --user")
        self.assertEqual(s.noop()[0], 250)
        self.assertEqual(s.quit()[0], 221)

    def test_smtplib_plain(self):
        srv = self.start_server()
        tap = self.tap(srv.port)
        sender = "sender@localhost"
        msg = make_message(token(), b"Hello from smtplib.\r\nSecond line.\r\n")
        s = self.smtp(tap.port)
        refused = s.sendmail(sender, ["bob@localhost", "carol@localhost"], msg)
        self.assertEqual(refused, {})
        s.quit()
        self.assertRegex(tap.client_bytes(), rb"(?i)(^|\r\n)EHLO client\.localhost\r\n")
        self.assert_stored(srv, [(sender, smtplib_payload(msg))], tap)

    def test_smtplib_message_without_final_crlf(self):
        srv = self.start_server()
        tap = self.tap(srv.port)
        msg = make_message(token(), b"no newline at the end")
        s = self.smtp(tap.port)
        s.sendmail("sender@localhost", ["bob@localhost"], msg)
        s.quit()
        self.assert_stored(srv, [("sender@localhost", msg + CRLF)], tap)

    def _auth(self, mechanism: str):
        srv = self.start_server(user=f"{USER}:{PASSWORD}")
        tap = self.tap(srv.port)
        s = self.smtp(tap.port)
        s.ehlo()
        self.assertTrue(s.has_extn("auth"), s.esmtp_features)
        mechs = s.esmtp_features["auth"].upper().split()
        self.assertIn("PLAIN", mechs)
        self.assertIn("LOGIN", mechs)
        s.user, s.password = USER, PASSWORD
        authobject = s.auth_plain if mechanism == "PLAIN" else s.auth_login
        code, _ = s.auth(mechanism, authobject, initial_response_ok=(mechanism == "PLAIN"))
        self.assertEqual(code, 235)
        msg = make_message(token(), f"Authenticated with {mechanism}.\r\n".encode())
        self.assertEqual(s.sendmail("alice@localhost", ["bob@localhost"], msg), {})
        s.quit()
        self.assertRegex(tap.client_bytes(), rb"(?i)\r\nAUTH " + mechanism.encode())
        self.assert_stored(srv, [("alice@localhost", smtplib_payload(msg))], tap)

    def test_smtplib_auth_plain(self):
        self._auth("PLAIN")

    def test_smtplib_auth_login(self):
        self._auth("LOGIN")

    def test_smtplib_auth_wrong_password(self):
        srv = self.start_server(user=f"{USER}:{PASSWORD}")
        s = self.smtp(srv.port)
        s.ehlo()
        s.user, s.password = USER, "wrong"
        with self.assertRaises(smtplib.SMTPAuthenticationError) as cm:
            s.auth("PLAIN", s.auth_plain)
        self.assertEqual(cm.exception.smtp_code, 535)
        self.assertEqual(s.noop()[0], 250, "connection unusable after a failed AUTH")
        s.quit()
        self.assertEqual(srv.files(), [])

    def test_smtplib_send_message_8bit(self):
        srv = self.start_server()
        tap = self.tap(srv.port)
        m = email.message.EmailMessage()
        m["From"] = "sender@localhost"
        m["To"] = "bob@localhost"
        m["Bcc"] = "hidden@localhost"
        m["Subject"] = "8bit " + token()
        m.set_content("Grüße, señor! ½ € ✓\nÄÖÜ äöü ß\n", cte="8bit")
        expected = send_message_payload(m, international=False)
        self.assertRegex(expected, rb"[\x80-\xff]", "the test message must really be 8-bit")
        s = self.smtp(tap.port)
        self.assertEqual(s.send_message(m, mail_options=["BODY=8BITMIME"]), {})
        s.quit()
        self.assertRegex(tap.client_bytes(), rb"(?i)MAIL FROM:<sender@localhost>[^\r]*BODY=8BITMIME")
        self.assertEqual(len(re.findall(rb"(?i)RCPT TO:", tap.client_bytes())), 2, "Bcc recipient must get RCPT")
        self.assert_stored(srv, [("sender@localhost", expected)], tap)

    def test_smtplib_dot_lines(self):
        srv = self.start_server()
        tap = self.tap(srv.port)
        msg = make_message(token(), DOT_BODY)
        s = self.smtp(tap.port)
        s.sendmail("sender@localhost", ["bob@localhost"], msg)
        s.quit()
        wire = tap.client_bytes()
        self.assertIn(b"\r\n..hidden line\r\n", wire, "smtplib should have dot-stuffed")
        self.assertIn(b"\r\n..\r\n", wire)
        self.assert_stored(srv, [("sender@localhost", smtplib_payload(msg))], tap)

    def test_smtplib_smtputf8(self):
        srv = self.start_server()
        tap = self.tap(srv.port)
        sender, rcpt = "δοκιμή@localhost", "用户@localhost"
        msg = make_message(token(), "Καλημέρα κόσμε\r\n".encode("utf-8"), sender=sender, to=rcpt,
                           extra_headers=("Content-Type: text/plain; charset=utf-8",
                                          "Content-Transfer-Encoding: 8bit"))
        s = self.smtp(tap.port)
        self.assertEqual(s.sendmail(sender, [rcpt], msg, mail_options=["SMTPUTF8", "BODY=8BITMIME"]), {})
        s.quit()
        self.assertRegex(tap.client_bytes(), "(?i)MAIL FROM:<δοκιμή@localhost> [^\r]*SMTPUTF8".encode("utf-8"))
        self.assertRegex(tap.client_bytes(), "(?i)RCPT TO:<用户@localhost>\r\n".encode("utf-8"))
        self.assert_stored(srv, [(sender, smtplib_payload(msg))], tap)

    def test_smtplib_send_message_international(self):
        # send_message adds SMTPUTF8 and BODY=8BITMIME itself for non-ASCII addresses.
        srv = self.start_server()
        tap = self.tap(srv.port)
        m = email.message.EmailMessage(policy=email.policy.SMTPUTF8)
        m["From"] = "δοκιμή@localhost"
        m["To"] = "用户@localhost"
        m["Subject"] = "ünïcödé " + token()
        m.set_content("Καλημέρα κόσμε\n", cte="8bit")
        expected = send_message_payload(m, international=True)
        s = self.smtp(tap.port)
        self.assertEqual(s.send_message(m), {})
        s.quit()
        self.assertIn(b"SMTPUTF8", tap.client_bytes())
        self.assert_stored(srv, [("δοκιμή@localhost", expected)], tap)

    def test_smtplib_two_messages_one_connection(self):
        srv = self.start_server()
        tap = self.tap(srv.port)
        m1 = make_message(token(), b"first\r\n")
        m2 = make_message(token(), b"second\r\n", sender="other@localhost")
        s = self.smtp(tap.port)
        s.sendmail("sender@localhost", ["bob@localhost"], m1)
        s.sendmail("other@localhost", ["bob@localhost"], m2)
        s.quit()
        self.assert_stored(srv, [("sender@localhost", m1), ("other@localhost", m2)], tap)

    def test_pipelined_raw_commands(self):
        # A client that pipelines the whole transaction in one write (RFC 2920).
        srv = self.start_server()
        with socket.create_connection((LOCALHOST, srv.port), timeout=30) as sock:
            f = sock.makefile("rb")

            def reply() -> list[bytes]:
                lines = []
                while True:
                    line = f.readline()
                    self.assertTrue(line.endswith(CRLF), f"reply line without CRLF: {line!r}")
                    lines.append(line)
                    if line[3:4] != b"-":
                        return lines

            self.assertTrue(reply()[0].startswith(b"220"))
            sock.sendall(b"EHLO client.localhost\r\n")
            self.assertTrue(reply()[-1].startswith(b"250 "))
            body = make_message(token(), b"pipelined\r\n.stuffed\r\n")
            sock.sendall(b"MAIL FROM:<p@localhost>\r\nRCPT TO:<bob@localhost>\r\nRCPT TO:<carol@localhost>\r\nDATA\r\n")
            codes = [reply()[-1][:3] for _ in range(4)]
            self.assertEqual(codes, [b"250", b"250", b"250", b"354"])
            sock.sendall(body.replace(b"\r\n.stuffed", b"\r\n..stuffed") + b".\r\nQUIT\r\n")
            self.assertEqual(reply()[-1][:3], b"250")
            self.assertEqual(reply()[-1][:3], b"221")
        self.assert_stored(srv, [("p@localhost", body)])

    # -- swaks ------------------------------------------------------------

    def swaks(self, port: int, data_file: Path, *extra: str, sender: str = "sender@localhost") -> subprocess.CompletedProcess:
        args = ["swaks", "--server", f"{LOCALHOST}:{port}", "--helo", "client.localhost",
                "--from", sender, "--to", "bob@localhost", "--data", f"@{data_file}",
                "--timeout", "30", *extra]
        p = subprocess.run(args, capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 0, f"swaks failed:\n{p.stdout.decode(errors='replace')}\n"
                                          f"{p.stderr.decode(errors='replace')}")
        return p

    def swaks_data(self, body: bytes) -> bytes:
        msg = make_message(token(), body)
        return msg[:-2] if msg.endswith(CRLF) else msg

    def test_swaks_plain(self):
        srv = self.start_server()
        tap = self.tap(srv.port)
        data = self.swaks_data(b"Hello from swaks.\r\nBye.\r\n")
        self.swaks(tap.port, self.write("msg.eml", data))
        self.assert_stored(srv, [("sender@localhost", swaks_payload(data))], tap)

    def test_swaks_pipelining(self):
        srv = self.start_server()
        tap = self.tap(srv.port, reply_delay=0.05)
        data = self.swaks_data(b"Hello from swaks, pipelined.\r\n")
        self.swaks(tap.port, self.write("msg.eml", data), "--pipeline")
        batches = tap.batches()
        self.assertTrue(any(re.search(rb"(?i)MAIL FROM:", b) and re.search(rb"(?i)RCPT TO:", b) for b in batches),
                        f"swaks did not pipeline: {batches[:6]}")
        self.assert_stored(srv, [("sender@localhost", swaks_payload(data))], tap)

    def _swaks_auth(self, mech: str):
        srv = self.start_server(user=f"{USER}:{PASSWORD}")
        tap = self.tap(srv.port)
        data = self.swaks_data(f"Hello from swaks with AUTH {mech}.\r\n".encode())
        self.swaks(tap.port, self.write("msg.eml", data), "--auth", mech,
                   "--auth-user", USER, "--auth-password", PASSWORD, sender="alice@localhost")
        self.assertIn(b"AUTH " + mech.encode(), tap.client_bytes())
        self.assertRegex(tap.server_bytes(), rb"\r\n235[ -]")
        self.assert_stored(srv, [("alice@localhost", swaks_payload(data))], tap)

    def test_swaks_auth_plain(self):
        self._swaks_auth("PLAIN")

    def test_swaks_auth_login(self):
        self._swaks_auth("LOGIN")

    def test_swaks_dot_lines(self):
        srv = self.start_server()
        tap = self.tap(srv.port)
        data = self.swaks_data(DOT_BODY)
        self.swaks(tap.port, self.write("msg.eml", data))
        self.assertIn(b"\r\n..hidden line\r\n", tap.client_bytes())
        self.assert_stored(srv, [("sender@localhost", swaks_payload(data))], tap)

    # -- curl -------------------------------------------------------------

    def curl(self, port: int, upload: Path, *extra: str, sender: str = "sender@localhost") -> None:
        args = ["curl", "-sS", "--max-time", "30", f"smtp://{LOCALHOST}:{port}/client.localhost",
                "--mail-from", sender, "--mail-rcpt", "bob@localhost", "--mail-rcpt", "carol@localhost",
                "--upload-file", str(upload), *extra]
        p = subprocess.run(args, capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 0, f"curl failed ({p.returncode}): {p.stderr.decode(errors='replace')}")

    def test_curl_plain(self):
        srv = self.start_server()
        tap = self.tap(srv.port)
        data = make_message(token(), b"Hello from curl.\r\n")
        self.curl(tap.port, self.write("msg.eml", data))
        self.assertRegex(tap.client_bytes(), rb"(?i)(^|\r\n)EHLO client\.localhost\r\n")
        self.assert_stored(srv, [("sender@localhost", curl_payload(data))], tap)

    def test_curl_dot_lines_8bit(self):
        srv = self.start_server()
        tap = self.tap(srv.port)
        data = make_message(token(), DOT_BODY + EIGHT_BIT_BODY)
        self.curl(tap.port, self.write("msg.eml", data))
        self.assertIn(b"\r\n..hidden line\r\n", tap.client_bytes())
        self.assert_stored(srv, [("sender@localhost", curl_payload(data))], tap)

    def test_curl_auth_plain(self):
        srv = self.start_server(user=f"{USER}:{PASSWORD}")
        tap = self.tap(srv.port)
        data = make_message(token(), b"Hello from curl with AUTH PLAIN.\r\n")
        self.curl(tap.port, self.write("msg.eml", data), "--user", f"{USER}:{PASSWORD}",
                  "--login-options", "AUTH=PLAIN", sender="alice@localhost")
        self.assertIn(b"AUTH PLAIN", tap.client_bytes())
        self.assert_stored(srv, [("alice@localhost", curl_payload(data))], tap)

    def test_curl_big_message(self):
        srv = self.start_server()
        tap = self.tap(srv.port)
        data = make_message(token(), big_body())
        self.curl(tap.port, self.write("big.eml", data))
        self.assert_stored(srv, [("sender@localhost", curl_payload(data))], tap)

    # -- limits -----------------------------------------------------------

    def test_max_size_declared_in_mail_from(self):
        limit = 1000
        srv = self.start_server(max_size=limit)
        s = self.smtp(srv.port)
        s.ehlo()
        self.assertEqual(s.esmtp_features.get("size"), str(limit), "SIZE should advertise --max-size")
        big = make_message(token(), (b"x" * 70 + CRLF) * 40)
        # smtplib declares SIZE=<len> itself because the server offers SIZE (RFC 1870).
        with self.assertRaises(smtplib.SMTPSenderRefused) as cm:
            s.sendmail("sender@localhost", ["bob@localhost"], big)
        self.assertEqual(cm.exception.smtp_code, 552)
        self.assertEqual(s.noop()[0], 250, "connection unusable after 552")
        small = make_message(token(), b"small\r\n")
        self.assertEqual(s.sendmail("sender@localhost", ["bob@localhost"], small), {})
        s.quit()
        self.assert_stored(srv, [("sender@localhost", small)])

    def test_max_size_exceeded_in_data(self):
        limit = 1000
        srv = self.start_server(max_size=limit)
        s = self.smtp(srv.port)
        s.ehlo()
        big = make_message(token(), (b"y" * 70 + CRLF) * 40)
        self.assertGreater(len(big), limit)
        # No SIZE parameter: the server only finds out while receiving DATA.
        self.assertEqual(s.mail("sender@localhost")[0], 250)
        self.assertEqual(s.rcpt("bob@localhost")[0], 250)
        code, text = self._data_code(s, big)
        self.assertEqual(code, 552, text)
        self.assertEqual(s.noop()[0], 250, "connection unusable after 552")
        self.assertEqual(s.rset()[0], 250)
        small = make_message(token(), b"after the refused one\r\n")
        self.assertEqual(s.sendmail("sender@localhost", ["bob@localhost"], small), {})
        s.quit()
        self.assert_stored(srv, [("sender@localhost", small)])

    @staticmethod
    def _data_code(s: smtplib.SMTP, msg: bytes) -> tuple[int, bytes]:
        try:
            return s.data(msg)
        except smtplib.SMTPDataError as e:
            return e.smtp_code, e.smtp_error


# --------------------------------------------------------------------------
# Our smtp-send -> Postfix
# --------------------------------------------------------------------------


def maildir_new(user: str) -> Path:
    return Path(pwd.getpwnam(user).pw_dir) / "Maildir" / "new"


RCPT_RESULT = re.compile(r"^RCPT (\S+) (\d{3})$")
POSTFIX_PREFIX_HEADER = re.compile(rb"^(Return-Path|X-Original-To|Delivered-To|Received):|^[ \t]")


class SendResult:
    def __init__(self, p: subprocess.CompletedProcess):
        self.returncode = p.returncode
        self.stdout = p.stdout.decode("utf-8", "replace")
        self.stderr = p.stderr.decode("utf-8", "replace")
        self.lines = self.stdout.splitlines()
        self.rcpt = {m.group(1): int(m.group(2)) for m in map(RCPT_RESULT.match, self.lines) if m}

    def __str__(self) -> str:
        return f"exit {self.returncode}\nstdout:\n{self.stdout[-3000:]}\nstderr:\n{self.stderr[-2000:]}"


def run_send(server: str, sender: str, to: list[str], message: bytes, *extra: str) -> SendResult:
    if not SMTP_SEND.is_file():
        raise FileNotFoundError(f"{SMTP_SEND} not built (cargo build --release -p mail-examples --examples)")
    args = [str(SMTP_SEND), "--server", server, "--from", sender]
    for t in to:
        args += ["--to", t]
    args += list(extra)
    return SendResult(subprocess.run(args, input=message, capture_output=True, timeout=120))


class TestOurClientToPostfix(unittest.TestCase):
    started_postfix = False

    @classmethod
    def setUpClass(cls) -> None:
        was_running = subprocess.run([str(POSTFIX_SH), "status"], capture_output=True).returncode == 0
        subprocess.run([str(POSTFIX_SH), "start"], check=True, capture_output=True,
                       env={**os.environ, "INTEROP_POSTFIX_PORT": str(POSTFIX_PORT)})
        cls.started_postfix = not was_running

    @classmethod
    def tearDownClass(cls) -> None:
        # Leave a Postfix that someone else (interop/run) started running.
        if cls.started_postfix:
            subprocess.run([str(POSTFIX_SH), "stop"], capture_output=True)

    def setUp(self) -> None:
        self.log_offset = POSTFIX_LOG.stat().st_size if POSTFIX_LOG.exists() else 0
        self.tap = WireTap(POSTFIX_PORT, reply_delay=0.02)

    def tearDown(self) -> None:
        self.tap.close()

    def postfix_log(self) -> str:
        time.sleep(0.2)
        with open(POSTFIX_LOG, "rb") as f:
            f.seek(self.log_offset)
            return f.read().decode("utf-8", "replace")

    def send(self, to: list[str], message: bytes, *extra: str, sender: str = "sender@localhost") -> SendResult:
        r = run_send(f"{LOCALHOST}:{self.tap.port}", sender, to, message, "--helo", "client.localhost", *extra)
        self.check_transcript(r)
        return r

    def check_transcript(self, r: SendResult) -> None:
        """The documented transcript format: C:/S: lines matching the wire."""
        s_lines = [line for line in r.lines if line.startswith("S: ")]
        c_lines = [line for line in r.lines if line.startswith("C: ")]
        self.assertTrue(s_lines and s_lines[0].startswith("S: 220 "), f"no greeting printed\n{r}")
        self.assertIn("C: EHLO client.localhost", c_lines, str(r))
        self.assertIn("S: 250-PIPELINING", s_lines, str(r))
        self.assertTrue(any(re.match(r"S: 250 \S", line) for line in s_lines), str(r))
        server_lines = self.tap.server_bytes().decode("utf-8", "replace").split("\r\n")
        for line in server_lines:
            if line:
                self.assertIn("S: " + line, s_lines, f"reply line not printed: {line!r}\n{r}")
        wire_cmds = [c.line.decode("utf-8", "replace") for c in self.tap.commands()]
        for cmd in wire_cmds:
            if not cmd.upper().startswith("AUTH"):
                self.assertIn("C: " + cmd, c_lines, f"command not printed: {cmd!r}\n{r}")

    def delivered(self, user: str, tok: str, timeout: float = 30.0) -> bytes:
        needle = tok.encode()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for f in maildir_new(user).iterdir():
                data = f.read_bytes()
                if needle in data:
                    return data
            time.sleep(0.1)
        self.fail(f"no message with {tok} in {maildir_new(user)} after {timeout}s\n"
                  f"postfix log:\n{self.postfix_log()[-3000:]}")

    def assert_delivered(self, user: str, tok: str, sender: str, message: bytes) -> bytes:
        """Postfix wrote `message` with LF line endings after its own
        Return-Path/X-Original-To/Delivered-To/Received headers."""
        data = self.delivered(user, tok)
        tail = message.replace(CRLF, b"\n")
        self.assertTrue(data.endswith(tail), "delivered message differs: " + first_difference(data[-len(tail):], tail))
        prefix = data[:-len(tail)]
        self.assertTrue(prefix.startswith(b"Return-Path: <" + sender.encode() + b">\n"), prefix[:200])
        for line in prefix.splitlines():
            self.assertRegex(line, POSTFIX_PREFIX_HEADER, f"unexpected line before the message: {line!r}")
        return data

    def assert_clean_session(self) -> None:
        log = self.postfix_log()
        self.assertNotIn("improper command pipelining", log)
        self.assertNotRegex(log, r"(?i)lost connection after (?!CONNECT)|timeout after|bare <?(CR|LF)")

    def assert_wire_message(self, message: bytes) -> None:
        self.assertEqual(self.tap.messages(), [message], "bytes on the wire differ from stdin")

    # -- tests ------------------------------------------------------------

    def test_ehlo_keywords_of_postfix(self):
        # Documents (and checks) what the Postfix peer offers to our client.
        with smtplib.SMTP(LOCALHOST, POSTFIX_PORT, local_hostname="client.localhost", timeout=30) as s:
            s.ehlo()
            for kw in POSTFIX_KEYWORDS:
                self.assertTrue(s.has_extn(kw), f"Postfix lacks {kw}: {s.esmtp_features}")

    def test_plain_ascii(self):
        tok = token()
        msg = make_message(tok, b"Plain ASCII body.\r\nSecond line.\r\n")
        r = self.send(["interop@localhost"], msg)
        self.assertEqual(r.returncode, 0, str(r))
        self.assertEqual(r.rcpt, {"interop@localhost": 250}, str(r))
        self.assert_wire_message(msg)
        data = self.assert_delivered("interop", tok, "sender@localhost", msg)
        self.assertIn(b"Received: from client.localhost (localhost [127.0.0.1])", data)
        self.assert_clean_session()

    def test_pipelining(self):
        tok = token()
        msg = make_message(tok, b"Pipelined transaction.\r\n")
        r = self.send(["interop@localhost", "interop2@localhost"], msg)
        self.assertEqual(r.returncode, 0, str(r))
        batches = self.tap.batches()
        self.assertTrue(any(re.search(rb"(?i)MAIL FROM:", b) and re.search(rb"(?i)RCPT TO:", b) for b in batches),
                        f"MAIL and RCPT were not sent in one group: {batches[:6]}")
        self.assertFalse(any(re.search(rb"(?i)^EHLO[^\r]*\r\n.", b, re.S) for b in batches),
                         "commands were pipelined after EHLO before its reply")
        self.assert_wire_message(msg)
        self.assert_delivered("interop", tok, "sender@localhost", msg)
        self.assert_delivered("interop2", tok, "sender@localhost", msg)
        self.assert_clean_session()

    def test_8bit_body(self):
        tok = token()
        msg = make_message(tok, EIGHT_BIT_BODY, extra_headers=(
            "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"))
        r = self.send(["interop@localhost"], msg)
        self.assertEqual(r.returncode, 0, str(r))
        self.assert_wire_message(msg)
        self.assert_delivered("interop", tok, "sender@localhost", msg)
        self.assert_clean_session()

    def test_smtputf8_addresses(self):
        # Postfix accepts UTF-8 addresses with SMTPUTF8; postfix.sh aliases
        # δοκιμή@localhost to the interop user.
        tok = token()
        sender = "δοκιμή@localhost"
        msg = make_message(tok, "Καλημέρα κόσμε, UTF-8 everywhere.\r\n".encode("utf-8"), sender=sender, to=sender,
                           extra_headers=("MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
                                          "Content-Transfer-Encoding: 8bit"))
        r = self.send([sender], msg, sender=sender)
        self.assertEqual(r.returncode, 0, str(r))
        self.assertEqual(r.rcpt, {sender: 250}, str(r))
        mail = [c.line for c in self.tap.commands() if c.verb == b"MAIL"]
        self.assertEqual(len(mail), 1)
        self.assertIn(b"SMTPUTF8", mail[0].upper(), "UTF-8 reverse-path sent without SMTPUTF8 (RFC 6531 3.4)")
        self.assert_wire_message(msg)
        data = self.assert_delivered("interop", tok, sender, msg)
        self.assertIn(b"with UTF8SMTP", data, "Postfix did not see an SMTPUTF8 transaction")
        self.assertIn("X-Original-To: δοκιμή@localhost".encode(), data)
        self.assert_clean_session()

    def test_dot_stuffing(self):
        tok = token()
        msg = make_message(tok, DOT_BODY)
        r = self.send(["interop@localhost"], msg)
        self.assertEqual(r.returncode, 0, str(r))
        wire = self.tap.client_bytes()
        self.assertIn(b"\r\n..hidden line\r\n", wire, "dot-leading line not stuffed")
        self.assertIn(b"\r\n..\r\n", wire)
        self.assertIn(b"\r\n...\r\n", wire)
        self.assert_wire_message(msg)
        self.assert_delivered("interop", tok, "sender@localhost", msg)
        self.assert_clean_session()

    def test_two_megabytes(self):
        tok = token()
        msg = make_message(tok, big_body())
        self.assertGreater(len(msg), 2 * 1024 * 1024)
        r = self.send(["interop@localhost"], msg)
        self.assertEqual(r.returncode, 0, str(r))
        mail = [c.line for c in self.tap.commands() if c.verb == b"MAIL"]
        size = re.search(rb"(?i)\bSIZE=(\d+)", mail[0]) if mail else None
        if size:  # SIZE is optional for the client, but must not understate (RFC 1870)
            self.assertGreaterEqual(int(size.group(1)), len(msg))
        self.assert_wire_message(msg)
        self.assert_delivered("interop", tok, "sender@localhost", msg)
        self.assert_clean_session()

    def test_chunking(self):
        tok = token()
        msg = make_message(tok, DOT_BODY + EIGHT_BIT_BODY + big_body(300_000))
        r = self.send(["interop@localhost"], msg, "--chunking")
        self.assertEqual(r.returncode, 0, str(r))
        verbs = [c.verb for c in self.tap.commands()]
        self.assertIn(b"BDAT", verbs, f"--chunking did not use BDAT: {verbs}")
        self.assertNotIn(b"DATA", verbs)
        self.assertTrue(any(line.startswith("C: BDAT ") for line in r.lines), str(r))
        self.assertNotIn(b"\r\n..hidden line\r\n", self.tap.client_bytes(), "BDAT data must not be dot-stuffed")
        self.assert_wire_message(msg)
        self.assert_delivered("interop", tok, "sender@localhost", msg)
        self.assert_clean_session()

    def test_one_recipient_refused(self):
        tok = token()
        msg = make_message(tok, b"Two of three recipients exist.\r\n")
        to = ["interop@localhost", "nosuchuser@localhost", "interop2@localhost"]
        r = self.send(to, msg)
        self.assertEqual(r.returncode, 0, str(r))
        self.assertEqual(r.rcpt, {"interop@localhost": 250, "nosuchuser@localhost": 550, "interop2@localhost": 250},
                         str(r))
        self.assertTrue(any(line.startswith("S: 550 5.1.1 ") for line in r.lines), str(r))
        self.assert_wire_message(msg)
        self.assert_delivered("interop", tok, "sender@localhost", msg)
        self.assert_delivered("interop2", tok, "sender@localhost", msg)
        self.assert_clean_session()

    def test_all_recipients_refused(self):
        msg = make_message(token(), b"Nobody will get this.\r\n")
        r = self.send(["nosuchuser@localhost", "nosuchuser2@localhost"], msg)
        self.assertEqual(r.returncode, 1, str(r))
        self.assertEqual(r.rcpt, {"nosuchuser@localhost": 550, "nosuchuser2@localhost": 550}, str(r))
        self.assertEqual(self.tap.messages(), [], "message data sent although every RCPT was refused")

    def test_connection_refused_exit_2(self):
        port = free_port()  # nothing listens there
        r = run_send(f"{LOCALHOST}:{port}", "sender@localhost", ["interop@localhost"], b"Subject: x\r\n\r\nx\r\n")
        self.assertEqual(r.returncode, 2, str(r))

    def test_usage_error_exit_2(self):
        p = subprocess.run([str(SMTP_SEND), "--server", f"{LOCALHOST}:{POSTFIX_PORT}"], input=b"",
                           capture_output=True, timeout=30)
        self.assertEqual(p.returncode, 2, p.stderr)


# --------------------------------------------------------------------------
# Our smtp-send -> our smtp-server
# --------------------------------------------------------------------------


class TestOurClientToOurServer(OurServerCase):

    def _send(self, *extra: str, user: str | None = None) -> WireTap:
        srv = self.start_server(user=user)
        tap = self.tap(srv.port)
        msg = make_message(token(), DOT_BODY + EIGHT_BIT_BODY + big_body(200_000))
        args = list(extra) + (["--user", user] if user else [])
        r = run_send(f"{LOCALHOST}:{tap.port}", "sender@localhost", ["bob@localhost", "carol@localhost"], msg, *args)
        self.assertEqual(r.returncode, 0, f"{r}\nserver log:\n{srv.log_text()}")
        self.assertEqual(r.rcpt, {"bob@localhost": 250, "carol@localhost": 250}, str(r))
        self.assert_stored(srv, [("sender@localhost", msg)], tap)
        return tap

    def test_data(self):
        tap = self._send()
        self.assertIn(b"DATA", [c.verb for c in tap.commands()])

    def test_bdat(self):
        tap = self._send("--chunking")
        verbs = [c.verb for c in tap.commands()]
        self.assertIn(b"BDAT", verbs)
        self.assertNotIn(b"DATA", verbs)

    def test_auth(self):
        tap = self._send(user=f"{USER}:{PASSWORD}")
        self.assertIn(b"AUTH", [c.verb for c in tap.commands()])


if __name__ == "__main__":
    unittest.main(verbosity=2)
