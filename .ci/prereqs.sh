#!/usr/bin/env bash
# Installs what the demo and the tests need on a fresh Debian 12 machine (idempotent, quiet when
# everything is present): PostgreSQL server binaries, Node.js/npm for the front-end packages, Chromium,
# python3-aiosmtpd and wrk.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

need=()
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
# Browser tests (Playwright drives Debian's Chromium), the digest tests' SMTP peer, the web load benchmark.
[ -x /usr/bin/chromium ] || need+=(chromium)
/usr/bin/python3 -c "import aiosmtpd" >/dev/null 2>&1 || need+=(python3-aiosmtpd)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
if [ "${#need[@]}" -gt 0 ]; then
  echo "prereqs: installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Debian's postgresql package starts a cluster on 5432; ours runs in .local/pg on its own port, so
# the system one is left alone (never stopped, never used).
