#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz targets (run from anywhere).

Each structured target reads a few header bytes (flags, sizes, decision
bits; see the `Input` struct of the target) followed by the protocol bytes.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    d = os.path.join(HERE, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


COMMANDS = [
    b"EHLO client.example.com",
    b"HELO [192.0.2.1]",
    b"LHLO [IPv6:2001:db8::1]",
    b"MAIL FROM:<jq@example.com> SIZE=1000 BODY=8BITMIME SMTPUTF8",
    b"MAIL FROM:<> RET=HDRS ENVID=QQ314159+2B AUTH=<> X-UNKNOWN=yes",
    b"mail from: <a@b.example>",
    b"MAIL FROM:<@relay.example:user@example.com> HOLDFOR=60 MT-PRIORITY=3 BY=120;R REQUIRETLS",
    b"RCPT TO:<\"quoted local\"@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b+2Bc@example.org",
    b"RCPT TO:<Postmaster> RRVS=2014-04-03T23:01:00Z;C",
    b"DATA",
    b"BDAT 18446744073709551615 LAST",
    b"AUTH PLAIN AHVzZXIAcGFzcw==",
    b"AUTH X-CUSTOM =",
    b"ETRN @example.org",
    b"ETRN #queue1",
    b"VRFY Smith",
    b"NOOP anything",
    b"STARTTLS",
    b"XCLIENT NAME=spike.porcupine.org",
]
for i, c in enumerate(COMMANDS):
    write("smtp_command", f"cmd{i:02}", c)

REPLIES = [
    b"220 mx.example.org ESMTP Postfix (Debian/GNU)\r\n",
    b"250-mx.google.com at your service, [203.0.113.5]\r\n250-SIZE 157286400\r\n"
    b"250-8BITMIME\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n"
    b"250-CHUNKING\r\n250 SMTPUTF8\r\n",
    b"550-5.1.1 The email account that you tried to reach does not exist.\r\n"
    b"550 5.1.1 https://support.google.com/mail/?p=NoSuchUser\r\n",
    b"354 End data with <CR><LF>.<CR><LF>\r\n250 2.0.0 Ok: queued as 4XYZ\r\n",
    b"334 \r\n334 VXNlcm5hbWU6\r\n235 2.7.0 Authentication successful\r\n",
    b"250\r\n421 4.3.2 Service shutting down\n",
]
for i, r in enumerate(REPLIES):
    write("smtp_reply", f"reply{i}", bytes([i & 7, 0, i * 7, 3]) + r)

EHLOS = [
    REPLIES[1],
    b"250-mail.example.com Hello client [192.0.2.1]\r\n250-SIZE 52428800\r\n"
    b"250-AUTH PLAIN LOGIN XOAUTH2 OAUTHBEARER\r\n250-DSN\r\n250-DELIVERBY 300\r\n"
    b"250-MT-PRIORITY MIXER\r\n250-FUTURERELEASE 604800 2030-01-01T00:00:00Z\r\n"
    b"250-LIMITS MAILMAX=10 RCPTMAX=50 RCPTDOMAINMAX=5 X-OTHER=abc\r\n"
    b"250-X-EXPS GSSAPI NTLM\r\n250-AUTH=LOGIN PLAIN\r\n250-BINARYMIME\r\n250-REQUIRETLS\r\n"
    b"250-VRFY\r\n250-ETRN\r\n250-EXPN\r\n250 HELP\r\n",
    b"250 localhost\r\n",
]
for i, r in enumerate(EHLOS):
    write("smtp_ehlo", f"ehlo{i}", bytes([0]) + r)

DATA = [
    b"Subject: hi\r\n\r\n..leading dot\r\nbody\r\n.\r\nQUIT\r\n",
    b"smuggle\n.\nMAIL FROM:<x@y>\r\n\r.\r\n\r\n.\n\r\n.\r\n",
    b".\r\n",
    b"bare\rCR and bare\nLF\r\n.\r\n",
]
for i, d in enumerate(DATA):
    write("dot_unstuff", f"data{i}", bytes([i & 3, 1, 3, 7, 64]) + d)

LINES = [
    b"EHLO a\r\n\r\nQUIT\r\nPARTIAL",
    b"NOOP\nRSET\r\nA\rB\r\n" + b"x" * 80 + b"\r\nQUIT\r\n",
]
for i, d in enumerate(LINES):
    write("line_framer", f"lines{i}", bytes([0, 32, i, 1, 5, 9, 200]) + d)

SERVER = [
    b"EHLO client.example\r\nMAIL FROM:<a@example.com> SIZE=100\r\n"
    b"RCPT TO:<b@example.org>\r\nRCPT TO:<c@example.org>\r\nDATA\r\n"
    b"Subject: x\r\n\r\n..dot\r\n.\r\nRSET\r\nQUIT\r\n",
    b"EHLO c\r\nMAIL FROM:<> BODY=BINARYMIME\r\nRCPT TO:<b@example.org>\r\n"
    b"BDAT 5\r\nhelloBDAT 0 LAST\r\nQUIT\r\n",
    b"EHLO c\r\nAUTH PLAIN AHVzZXIAcGFzcw==\r\nAUTH LOGIN\r\ndXNlcg==\r\ncGFzcw==\r\n"
    b"AUTH X-RAW\r\naGk=\r\n*\r\nSTARTTLS\r\nEHLO again\r\nQUIT\r\n",
    b"LHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<x@y.z>\r\nRCPT TO:<\xc3\xbc@y.z>\r\n"
    b"DATA\r\nbare\nLF\r\n.\r\nHELO c\r\nVRFY x\r\nEXPN y\r\nHELP\r\nNOOP\r\n",
]
for i, d in enumerate(SERVER):
    config = [0x0000, 0x0808, 0x0080 ^ 0xFF7F, 0x0001][i]
    header = config.to_bytes(2, "little") + (0xFFFF_FFFF_FFFF_FFFF - i).to_bytes(8, "little")
    write("smtp_server_session", f"session{i}", header + bytes([200, 3, 17, 64]) + d)

CLIENT = [
    REPLIES[0] + REPLIES[1] + b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"
    b"250 2.0.0 queued\r\n221 2.0.0 Bye\r\n",
    b"220 mx ESMTP\r\n250-mx\r\n250-AUTH PLAIN LOGIN X-RAW\r\n250 STARTTLS\r\n"
    b"334 VXNlcm5hbWU6\r\n334 UGFzc3dvcmQ6\r\n235 2.7.0 ok\r\n220 go ahead\r\n"
    b"250-mx\r\n250 CHUNKING\r\n250 ok\r\n250 ok\r\n250 ok\r\n221 bye\r\n",
    b"220 lmtp ready\r\n250-lmtp\r\n250 PIPELINING\r\n250 ok\r\n250 ok\r\n550 no\r\n"
    b"354 go\r\n250 ok\r\n452 later\r\n421 closing\r\n",
    b"554 go away\r\n221 bye\r\n",
]
for i, d in enumerate(CLIENT):
    header = bytes([[0, 4, 1, 2][i]]) + (0x5555_5555_5555_5555 >> i).to_bytes(8, "little")
    write("smtp_client_session", f"session{i}", header + bytes([255, 7, 40, 3]) + d)

# Regression inputs.
# STARTTLS between BDAT chunks (the transaction is dropped by the upgrade).
write(
    "smtp_server_session",
    "starttls_in_bdat",
    (0).to_bytes(2, "little") + (2**64 - 1).to_bytes(8, "little") + bytes([255] * 4)
    + b"EHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nBDAT 1\r\nxSTARTTLS\r\n",
)
# 354 and 421 in one read: the queued SendBody must not write to a closed session.
write(
    "smtp_client_session",
    "421_after_354",
    bytes([0]) + ((1 << 10) | (1 << 19)).to_bytes(8, "little") + bytes([16, 255, 255, 255])
    + b"220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n354 go\r\n421 bye\r\n",
)
