#!/usr/bin/env bash
# Installs the real peers the interop tests talk to, from Debian's packages.
#
# Idempotent and quiet: packages already present are not touched, and apt-get
# runs only when something is missing. Non-interactive: Postfix's debconf
# questions are answered beforehand ("Local only", mailname "localhost"), so
# the install never prompts and never configures an outward-facing MTA.
# Dovecot's packages ask nothing; their maintainer scripts try to start the
# system service, which a container's policy-rc.d refuses (harmless: the
# tests run their own instance, interop/dovecot.sh). mpop and fetchmail
# install no daemon. fetchmail is kept beside mpop: both install here and
# run non-interactively; the tests use mpop and fall back to fetchmail.
# python3 (3.11, stdlib only) is expected to be on the machine already.
set -euo pipefail

# dovecot-pop3d pulls dovecot-core: the POP3 server peer (interop/dovecot.sh).
# dovecot-imapd: the IMAP server peer of the same instance (interop/dovecot.sh,
# interop/record_imap.py records the IMAP test transcripts from it).
# mpop and fetchmail: real POP3 clients run against our pop3-server.
PACKAGES=(postfix swaks curl dovecot-pop3d dovecot-imapd mpop fetchmail)

missing=()
for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: need root to install: ${missing[*]}" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Answer Postfix's questions before it is unpacked.
debconf-set-selections <<'SEL'
postfix postfix/main_mailer_type select Local only
postfix postfix/mailname string localhost
SEL

echo "install.sh: installing ${missing[*]}" >&2
# The package lists may be absent on a fresh machine; refresh them once.
if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/interop-apt.log 2>&1; then
    apt-get update -qq >>/tmp/interop-apt.log 2>&1
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >>/tmp/interop-apt.log 2>&1 || {
        tail -n 30 /tmp/interop-apt.log >&2
        exit 1
    }
fi
command -v python3 >/dev/null || { echo "install.sh: python3 not found" >&2; exit 1; }
