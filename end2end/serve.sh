#!/usr/bin/env bash
# Starts the built server for the browser tests with a fresh data directory.
#   bash end2end/serve.sh PORT          # email kept in the development mailbox
#   bash end2end/serve.sh PORT smtp     # email sent to a local aiosmtpd, whose
#                                       # messages land in end2end/.mail-PORT/
#   bash end2end/serve.sh PORT mailbox keep   # a restart: keeps the data
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-3100}
mode=${2:-mailbox}
data=end2end/.data-${port}
if [ "${3:-}" != keep ]; then
  rm -rf "$data"
fi
mkdir -p "$data"
export LEPTOS_SITE_ADDR="127.0.0.1:${port}"
export PORCHLIGHT_DATA_DIR="$data"
export RUST_LOG="${RUST_LOG:-info}"
unset DATABASE_URL SMTP_URL PUBLIC_URL PORCHLIGHT_SECRET
if [ "$mode" = smtp ]; then
  mail=end2end/.mail-${port}
  rm -rf "$mail"
  smtp_port=$((port + 1000))
  # The SMTP server runs as long as its standard input stays open.
  sleep infinity | python3 tests/support/smtp_server.py "$smtp_port" "$mail" &
  trap 'kill 0' EXIT
  export SMTP_URL="smtp://127.0.0.1:${smtp_port}"
  "${CARGO_TARGET_DIR:-target}/debug/porchlight"
else
  exec "${CARGO_TARGET_DIR:-target}/debug/porchlight"
fi
