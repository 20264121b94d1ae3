"""Reading IMAP server responses from a raw socket, shared by the recorders
(record_imap.py, record_rfc822.py): every byte as it came, literals included.

Stdlib only. A subclass may override `_received` to see each read.
"""

import re
import socket

# A line that announces a literal (`{n}` or BINARY's `~{n}`) ends with it.
LITERAL_AT_END = re.compile(rb"~?\{(\d+)\}\r\n\Z")


class ImapError(Exception):
    pass


class ResponseReader:
    """Buffers what a socket delivers and hands out whole responses."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.buf = bytearray()

    def _received(self, data: bytes) -> None:
        """Called with every chunk read from the socket."""

    def _fill(self) -> None:
        data = self.sock.recv(65536)
        if not data:
            raise ImapError("server closed the connection")
        self._received(data)
        self.buf += data

    def _line(self) -> bytes:
        while True:
            i = self.buf.find(b"\r\n")
            if i >= 0:
                line = bytes(self.buf[: i + 2])
                del self.buf[: i + 2]
                return line
            self._fill()

    def _take(self, n: int) -> bytes:
        while len(self.buf) < n:
            self._fill()
        data = bytes(self.buf[:n])
        del self.buf[:n]
        return data

    def read_response(self) -> bytes:
        """One whole server response: a line plus the literals it announces."""
        resp = bytearray()
        while True:
            line = self._line()
            resp += line
            m = LITERAL_AT_END.search(line)
            if not m:
                return bytes(resp)
            resp += self._take(int(m.group(1)))
