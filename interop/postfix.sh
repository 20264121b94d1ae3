#!/usr/bin/env bash
# interop/postfix.sh start|stop|status
#
# Runs the machine's Debian Postfix as a loopback-only SMTP peer for the
# interop tests. It installs nothing (interop/install.sh does that) and both
# verbs are idempotent: `start` on a running Postfix re-applies the settings
# and reloads it, `stop` on a stopped one does nothing.
#
# What `start` sets up, and why:
#   * master.cf: the stock `smtp inet` (port 25, all interfaces) is commented
#     out and replaced by `127.0.0.1:$PORT inet ... smtpd`, so the only
#     listening SMTP socket is 127.0.0.1:$PORT (default 10025).
#     inet_interfaces = loopback-only and inet_protocols = ipv4 as well, so
#     nothing binds to any other address even if master.cf is changed.
#   * chroot is turned off for every service: Debian's chroot needs files
#     copied into /var/spool/postfix by its init script, which a container
#     without systemd never runs.
#   * myhostname = localhost, mydestination = localhost,
#     localhost.localdomain: mail to @localhost is delivered locally;
#     default_transport/relay_transport = error ("Local only"): nothing ever
#     leaves the machine.
#   * home_mailbox = Maildir/: each delivery is one file in ~USER/Maildir/new.
#     Postfix stores lines without their CRLF and local(8) writes LF line
#     endings, and it prepends Return-Path:, X-Original-To:, Delivered-To:
#     and Received: headers; the tests compare the tail of the file.
#   * smtputf8_enable = yes: EHLO offers SMTPUTF8 and UTF-8 addresses are
#     accepted with MAIL FROM:<...> SMTPUTF8.
#   * local_recipient_maps = proxy:unix:passwd.byname $alias_maps with
#     unknown_local_recipient_reject_code = 550: an unknown local recipient
#     is refused at RCPT time with "550 5.1.1 ... User unknown".
#   * Users `interop` and `interop2` (useradd -m, no password, no shell
#     login needed) receive the mail; an alias file
#     /etc/postfix/interop_aliases maps the UTF-8 local part `δοκιμή` to
#     `interop`, to test SMTPUTF8 recipients end to end.
#   * local_header_rewrite_clients is emptied: mail from 127.0.0.1 is then
#     treated like remote mail, so cleanup(8) neither adds missing
#     Date:/Message-ID:/From: headers nor rewrites addresses in headers, and
#     the delivered body stays byte-for-byte what the client sent.
#   * smtpd_error_sleep_time = 0 and in_flow_delay = 0: no artificial delays.
#   * smtpd_tls_security_level = none: plain SMTP only, no STARTTLS offer.
#   * maillog_file = /var/log/postfix-interop.log (through postlogd), because
#     containers have no syslog daemon. Tests grep it, e.g. for
#     "improper command pipelining".
#
# EHLO keywords Postfix 3.7 (Debian 12) offers with this configuration:
#   PIPELINING, SIZE 10240000, ETRN, ENHANCEDSTATUSCODES, 8BITMIME, DSN,
#   SMTPUTF8, CHUNKING  (also VRFY; no AUTH and no STARTTLS here)
set -euo pipefail

PORT="${INTEROP_POSTFIX_PORT:-10025}"
LOG=/var/log/postfix-interop.log
ALIASES=/etc/postfix/interop_aliases
USERS=(interop interop2)

die() { echo "postfix.sh: $*" >&2; exit 1; }

need_postfix() {
    if ! command -v postfix >/dev/null 2>&1 || ! command -v postconf >/dev/null 2>&1; then
        die "Postfix is not installed; run interop/install.sh first"
    fi
    [ "$(id -u)" -eq 0 ] || die "must run as root"
}

running() { postfix status >/dev/null 2>&1; }

port_open() {
    # Greeting, QUIT, 221: a polite probe that Postfix does not log as a
    # lost connection.
    python3 - "$PORT" <<'PY'
import smtplib, sys
try:
    with smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=2) as s:
        s.noop()
except (OSError, smtplib.SMTPException):
    sys.exit(1)
PY
}

configure() {
    for u in "${USERS[@]}"; do
        if ! getent passwd "$u" >/dev/null; then
            useradd -m -s /usr/sbin/nologin "$u"
        fi
        home="$(getent passwd "$u" | cut -d: -f6)"
        install -d -o "$u" -g "$(id -gn "$u")" -m 700 \
            "$home/Maildir" "$home/Maildir/new" "$home/Maildir/cur" "$home/Maildir/tmp"
    done

    printf '%s\n' '# interop tests: UTF-8 local part (SMTPUTF8) delivered to interop' \
        'δοκιμή: interop' >"$ALIASES"
    postalias "$ALIASES"

    postconf -e \
        "inet_interfaces = loopback-only" \
        "inet_protocols = ipv4" \
        "myhostname = localhost" \
        "mydomain = localdomain" \
        "myorigin = \$myhostname" \
        "mydestination = localhost, localhost.localdomain" \
        "mynetworks = 127.0.0.0/8" \
        "default_transport = error" \
        "relay_transport = error" \
        "relayhost =" \
        "home_mailbox = Maildir/" \
        "mailbox_size_limit = 0" \
        "message_size_limit = 10240000" \
        "smtputf8_enable = yes" \
        "alias_maps = hash:/etc/aliases, hash:$ALIASES" \
        "alias_database = hash:/etc/aliases" \
        "local_recipient_maps = proxy:unix:passwd.byname \$alias_maps" \
        "unknown_local_recipient_reject_code = 550" \
        "local_header_rewrite_clients =" \
        "smtpd_error_sleep_time = 0" \
        "in_flow_delay = 0" \
        "smtpd_tls_security_level = none" \
        "maillog_file = $LOG" \
        "biff = no"

    # master.cf: no chroot anywhere; the public listener moves to
    # 127.0.0.1:$PORT. Remove every other inet smtpd first so a port change
    # between runs leaves exactly one listener.
    postconf -F '*/*/chroot = n'
    while read -r svc; do
        [ -n "$svc" ] && postconf -MX "$svc/inet"
    done < <(postconf -M | awk '$2 == "inet" && $1 != "127.0.0.1:'"$PORT"'" {print $1}')
    postconf -Me "127.0.0.1:$PORT/inet = 127.0.0.1:$PORT inet n - n - - smtpd"

    [ -f /etc/aliases ] || printf 'postmaster: root\n' >/etc/aliases
    newaliases
    touch "$LOG"
    postfix check
}

wait_port() {
    for _ in $(seq 1 100); do
        port_open && return 0
        sleep 0.1
    done
    die "Postfix does not accept connections on 127.0.0.1:$PORT (see $LOG)"
}

case "${1:-}" in
start)
    need_postfix
    configure
    if running; then
        postfix reload >/dev/null 2>&1
    else
        postfix start >/dev/null 2>&1 || { tail -n 20 "$LOG" >&2; die "postfix start failed"; }
    fi
    wait_port
    echo "postfix.sh: Postfix listening on 127.0.0.1:$PORT (log $LOG)" >&2
    ;;
stop)
    command -v postfix >/dev/null 2>&1 || exit 0
    if running; then
        postfix stop >/dev/null 2>&1 || true
        for _ in $(seq 1 100); do
            running || break
            sleep 0.1
        done
        running && die "Postfix did not stop"
    fi
    echo "postfix.sh: Postfix stopped" >&2
    ;;
status)
    need_postfix
    if running; then echo "running on 127.0.0.1:$PORT"; else echo "stopped"; exit 3; fi
    ;;
*)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
