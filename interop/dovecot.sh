#!/usr/bin/env bash
# interop/dovecot.sh start|stop|status|seed USER DIR|maildir USER
#
# Runs the machine's Debian Dovecot (2.3.19, bookworm) as a loopback-only
# POP3 and IMAP server for the interop tests (POP3) and for recording the
# IMAP test transcripts (interop/record_imap.py). It installs nothing
# (interop/install.sh does that) and never reads or changes /etc/dovecot:
# everything lives in a scratch folder, $INTEROP_DOVECOT_DIR (default
# /tmp/mail-interop-dovecot).
#
#   start           (re)writes the configuration, stops an instance already
#                   running from this folder, starts Dovecot and waits until
#                   127.0.0.1:$PORT greets with +OK and 127.0.0.1:$IMAP_PORT
#                   with * OK
#   stop            `doveadm -c FILE stop`, then waits until the master
#                   process is gone (kills it if it lingers); no-op if stopped
#   status          "running on 127.0.0.1:$PORT (POP3) and ...:$IMAP_PORT
#                   (IMAP)" (exit 0) or "stopped" (exit 3)
#   seed USER DIR   waits until USER has no POP3/IMAP session left (kicks it
#                   after 5 s), empties USER's maildrop (messages, index,
#                   uidlist, and every IMAP folder) and copies every regular
#                   file of DIR into its Maildir new/, owned by the mail
#                   user, so a test starts from a known maildrop; works
#                   whether Dovecot runs or not
#   maildir USER    prints the path of USER's Maildir
#
# What `start` sets up, and why:
#   * $DIR/dovecot.conf is the whole configuration (`dovecot -c`); no
#     !include of the system's conf.d.
#   * protocols = pop3 imap and two listeners, `inet_listener pop3 {
#     address = 127.0.0.1 port = $PORT }` (default 10110,
#     INTEROP_DOVECOT_PORT) and `inet_listener imap { address = 127.0.0.1
#     port = $IMAP_PORT }` (default 10143, INTEROP_DOVECOT_IMAP_PORT); pop3s
#     and imaps get port 0 (off), listen = 127.0.0.1, so nothing binds to
#     any other address or port. No LMTP or submission service runs.
#   * IMAP keeps Dovecot's default imap_capability: IMAP4rev1 and every
#     extension 2.3 implements. Measured on 2.3.19.1:
#       before login  IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE
#                     LITERAL+ AUTH=PLAIN AUTH=LOGIN
#       after login   IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT
#                     SORT=DISPLAY THREAD=REFERENCES THREAD=REFS
#                     THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE
#                     UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED
#                     I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES
#                     WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE
#                     SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE
#                     SAVEDATE LITERAL+ NOTIFY SPECIAL-USE
#     No IMAP4rev2 (Dovecot 2.3 does not implement RFC 9051), no
#     UTF8=ACCEPT, no STARTTLS/LOGINDISABLED (ssl = no). QUOTA, METADATA,
#     COMPRESS and the like need plugins or dicts and are not configured.
#   * namespace inbox (prefix "", separator ".", maildir++) declares the
#     special-use folders Drafts, Sent, Trash, Junk, Archive (RFC 6154
#     attributes) without auto-creating them: a POP3 login must create no
#     folder, so they show up once an IMAP client CREATEs them.
#   * Dovecot runs as root, as it must to switch users, with
#     default_login_user = dovenull (pop3-login, imap-login) and
#     default_internal_user = dovecot (auth, stats), the users Debian's
#     package creates.
#   * base_dir, state_dir and log_path (one log for everything,
#     $DIR/dovecot.log) are in the scratch folder: several checkouts can
#     each run their own instance on their own ports and folder.
#   * ssl = no, disable_plaintext_auth = no: plain USER/PASS and AUTH (POP3),
#     LOGIN and AUTHENTICATE (IMAP) over the loopback connection, no STLS or
#     STARTTLS offer. auth_mechanisms = plain login.
#     (Dovecot 2.4 renamed these, e.g. auth_allow_cleartext; this script
#     targets 2.3 and checks `dovecot --version`.)
#   * passdb passwd-file $DIR/users with {PLAIN} passwords:
#       interop / interop-pass      interop2 / interop2-pass
#     userdb static: every user is the system user `popuser` (created here
#     with useradd --system if missing, no login shell), home $DIR/home/%u;
#     first_valid_uid is set to its uid so Dovecot accepts a system uid.
#   * mail_location = maildir:$DIR/mail/%u (index files and dovecot-uidlist
#     live beside cur/ new/ tmp/; `seed` removes them with the messages).
#   * pop3_uidl_format = %f: the UIDL of a message is its maildir file name
#     without the ":2,..." info suffix, so a seeded file's UIDL is known in
#     advance (and is the same rule our pop3-server uses). %08Xu%08Xv would
#     change with the UIDVALIDITY every seed creates.
#   * Every seeded file is a new message: Dovecot numbers new files in the
#     order of the time stamp that starts their names (gen_pop3_messages.py
#     names them <seconds>.<label>) and moves them to cur/ (adding ":2,") on
#     the first POP3 session.
#
# What a client sees (measured on 2.3.19.1 with the corpus of
# gen_pop3_messages.py, checked by interop/test_pop3.py):
#   * Greeting "+OK [XCLIENT] Dovecot (Debian) ready." (the response code
#     is there because 127.0.0.1 is a trusted network, see below; clients
#     must skip it, RFC 2449 section 8). No APOP timestamp.
#   * CAPA before login:  CAPA, TOP, UIDL, RESP-CODES, PIPELINING,
#     AUTH-RESP-CODE, USER, SASL PLAIN LOGIN  (no STLS: ssl = no; no UTF8)
#     CAPA after login:   the same without USER and SASL.
#   * Files on disk have LF line endings (gen_pop3_messages.py writes
#     them so). RETR and TOP send every LF as CRLF; a CRLF already in the
#     file is sent as it is (never doubled) and a bare CR passes through
#     unchanged. Lines starting with '.' are dot-stuffed; the response ends
#     with ".\r\n". A last line without a final LF gets CRLF added before
#     the terminating "." line. So for an LF file ending in LF, what a
#     client has after unstuffing is exactly file.replace(b"\n", b"\r\n").
#   * LIST, STAT and the "+OK N octets" of RETR report that CRLF
#     ("virtual") size: file size plus one per bare LF. It counts neither
#     the dot-stuffing, nor the terminator, nor the CRLF added to a last
#     line without LF (a 44-octet file "...\nlast without newline" with 3
#     LFs is listed as 47 and sent as 47 + 2 octets).
#   * TOP n k sends the header, the empty line and the first k body lines.
#   * UIDL (pop3_uidl_format = %f): "1 1767225600.plain" and so on, the
#     seeded file's name even after Dovecot renamed it to "NAME:2,".
#   * A failed PASS or AUTH is "-ERR [AUTH] Authentication failed." after
#     about 0.5 s. auth_failure_delay (2 s by default) is 0, and
#     login_trusted_networks = 127.0.0.0/8 exempts loopback from the auth
#     penalty, which would otherwise hold back every later login from
#     127.0.0.1, good ones too, by 2 s and more (up to 15 s) after a
#     failure. (Trusted networks also accept XCLIENT from such clients and
#     announce it in the greeting; CAPA does not change.)
#   * Commands pipelined behind USER/PASS or AUTH in one write are answered
#     in order. Other replies: DELE "+OK Marked to be deleted.", a deleted
#     message "-ERR Message is deleted.", unknown "-ERR Unknown command: X",
#     no such message "-ERR There's no message N.", QUIT "+OK Logging out."
#     or, after DELE, "+OK Logging out, messages deleted." A connection that
#     drops without QUIT deletes nothing.
set -euo pipefail

PORT="${INTEROP_DOVECOT_PORT:-10110}"
IMAP_PORT="${INTEROP_DOVECOT_IMAP_PORT:-10143}"
DIR="${INTEROP_DOVECOT_DIR:-/tmp/mail-interop-dovecot}"
CONF="$DIR/dovecot.conf"
LOG="$DIR/dovecot.log"
MAIL_USER=popuser
USERS=("interop:interop-pass" "interop2:interop2-pass")

die() { echo "dovecot.sh: $*" >&2; exit 1; }

need_dovecot() {
    command -v dovecot >/dev/null 2>&1 && command -v doveadm >/dev/null 2>&1 ||
        die "Dovecot is not installed; run interop/install.sh first"
    [ "$(id -u)" -eq 0 ] || die "must run as root"
    case "$(dovecot --version)" in
        2.3.*) ;;
        *) die "Dovecot $(dovecot --version) found; this configuration is written for 2.3" ;;
    esac
}

master_pid() {
    local f="$DIR/run/master.pid" pid
    [ -f "$f" ] || return 1
    pid="$(cat "$f")"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dovecot ] || return 1
    echo "$pid"
}

running() { master_pid >/dev/null; }

port_open() {
    python3 - "$PORT" "$IMAP_PORT" <<'PY'
import imaplib, poplib, sys
try:
    p = poplib.POP3("127.0.0.1", int(sys.argv[1]), timeout=2)
    p.quit()
    i = imaplib.IMAP4("127.0.0.1", int(sys.argv[2]), timeout=2)
    i.logout()
except (OSError, poplib.error_proto, imaplib.IMAP4.error):
    sys.exit(1)
PY
}

ensure_mail_user() {
    if ! getent passwd "$MAIL_USER" >/dev/null; then
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$MAIL_USER"
    fi
}

valid_user() {
    local u="$1" entry
    for entry in "${USERS[@]}"; do
        [ "${entry%%:*}" = "$u" ] && return 0
    done
    return 1
}

configure() {
    ensure_mail_user
    local uid gid
    uid="$(id -u "$MAIL_USER")"
    gid="$(id -g "$MAIL_USER")"
    install -d -m 755 "$DIR" "$DIR/run" "$DIR/state"
    install -d -m 755 -o "$uid" -g "$gid" "$DIR/mail" "$DIR/home"

    : >"$DIR/users.new"
    for entry in "${USERS[@]}"; do
        printf '%s:{PLAIN}%s::::::\n' "${entry%%:*}" "${entry#*:}" >>"$DIR/users.new"
    done
    chmod 640 "$DIR/users.new"
    chgrp dovecot "$DIR/users.new"
    mv "$DIR/users.new" "$DIR/users"

    cat >"$CONF" <<EOF
# Written by interop/dovecot.sh: a loopback-only POP3 and IMAP peer for the tests.
protocols = pop3 imap
listen = 127.0.0.1
base_dir = $DIR/run
state_dir = $DIR/state
instance_name = mail-interop-$PORT
log_path = $LOG
info_log_path = $LOG
debug_log_path = $LOG
auth_verbose = yes

default_login_user = dovenull
default_internal_user = dovecot

ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
login_trusted_networks = 127.0.0.0/8

passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $DIR/users
}
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$DIR/home/%u
}
first_valid_uid = $uid
last_valid_uid = $uid
first_valid_gid = $gid
last_valid_gid = $gid

mail_location = maildir:$DIR/mail/%u
mail_fsync = never

pop3_uidl_format = %f

service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = $PORT
  }
  inet_listener pop3s {
    port = 0
  }
}

# IMAP: Dovecot's default imap_capability (IMAP4rev1 and every extension
# 2.3 implements) is kept. The special-use folders are declared but not
# auto-created (a POP3 session must not create folders), so they appear
# with their attribute once a client CREATEs them.
namespace inbox {
  inbox = yes
  mailbox Drafts {
    special_use = \\Drafts
  }
  mailbox Sent {
    special_use = \\Sent
  }
  mailbox Trash {
    special_use = \\Trash
  }
  mailbox Junk {
    special_use = \\Junk
  }
  mailbox Archive {
    special_use = \\Archive
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
EOF
    touch "$LOG"
    doveconf -c "$CONF" -n >/dev/null 2>"$DIR/doveconf.err" ||
        { cat "$DIR/doveconf.err" >&2; die "invalid configuration $CONF"; }
}

stop_instance() {
    local pid
    pid="$(master_pid)" || return 0
    doveadm -c "$CONF" stop >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.2
    ! kill -0 "$pid" 2>/dev/null || die "Dovecot (pid $pid) did not stop"
}

wait_port() {
    for _ in $(seq 1 100); do
        port_open && return 0
        running || { tail -n 20 "$LOG" >&2; die "Dovecot exited (see $LOG)"; }
        sleep 0.1
    done
    tail -n 20 "$LOG" >&2
    die "Dovecot does not accept connections on 127.0.0.1:$PORT (see $LOG)"
}

# True while Dovecot has a session of user $1 (anvil's list, `doveadm who`).
has_sessions() {
    doveadm -c "$CONF" who -1 "$1" 2>/dev/null | awk 'NR > 1' | grep -q .
}

# A pop3 process still writes the maildrop (expunges, index, uidlist) after
# its client saw the reply to QUIT or went away; removing the folder under
# it leaves a half-made maildrop. Wait for the user's sessions to end, and
# kick those still open after 5 s (a client that never sent QUIT).
wait_sessions_gone() {
    running || return 0
    for i in $(seq 1 100); do
        has_sessions "$1" || return 0
        if [ "$i" -eq 50 ]; then doveadm -c "$CONF" kick "$1" >/dev/null 2>&1 || true; fi
        sleep 0.1
    done
    die "sessions of $1 did not end"
}

seed() {
    local user="$1" src="$2" md uid gid n=0
    valid_user "$user" || die "unknown user '$user' (known: ${USERS[*]%%:*})"
    [ -d "$src" ] || die "not a directory: $src"
    wait_sessions_gone "$user"
    ensure_mail_user
    uid="$(id -u "$MAIL_USER")"
    gid="$(id -g "$MAIL_USER")"
    install -d -m 755 -o "$uid" -g "$gid" "$DIR/mail"
    md="$DIR/mail/$user"
    rm -rf -- "$md"
    install -d -m 700 -o "$uid" -g "$gid" "$md" "$md/cur" "$md/new" "$md/tmp"
    for f in "$src"/*; do
        [ -f "$f" ] || continue
        case "$(basename "$f")" in
            .* | *:*) die "bad maildir file name: $f" ;;
        esac
        install -m 600 -o "$uid" -g "$gid" "$f" "$md/new/"
        n=$((n + 1))
    done
    echo "dovecot.sh: seeded $n messages into $md/new" >&2
}

case "${1:-}" in
start)
    need_dovecot
    stop_instance
    configure
    # The master keeps the descriptors it was started with: detach them, or
    # a caller reading this script's output (a pipe) would never see EOF.
    dovecot -c "$CONF" </dev/null >>"$LOG" 2>&1 ||
        { tail -n 20 "$LOG" >&2; die "dovecot start failed"; }
    wait_port
    echo "dovecot.sh: Dovecot POP3 on 127.0.0.1:$PORT, IMAP on 127.0.0.1:$IMAP_PORT (config $CONF, log $LOG)" >&2
    ;;
stop)
    [ -f "$CONF" ] || exit 0
    stop_instance
    echo "dovecot.sh: Dovecot stopped" >&2
    ;;
status)
    if running; then echo "running on 127.0.0.1:$PORT (POP3) and 127.0.0.1:$IMAP_PORT (IMAP)"; else echo "stopped"; exit 3; fi
    ;;
seed)
    [ $# -eq 3 ] || die "usage: $0 seed USER DIR"
    [ "$(id -u)" -eq 0 ] || die "must run as root"
    seed "$2" "$3"
    ;;
maildir)
    [ $# -eq 2 ] || die "usage: $0 maildir USER"
    valid_user "$2" || die "unknown user '$2'"
    echo "$DIR/mail/$2"
    ;;
*)
    echo "usage: $0 start|stop|status|seed USER DIR|maildir USER" >&2
    exit 2
    ;;
esac
