#!/usr/bin/env bash
# Starts the built server for the browser tests with a fresh data directory.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-3100}
data=end2end/.data
rm -rf "$data"
mkdir -p "$data"
export LEPTOS_SITE_ADDR="127.0.0.1:${port}"
export PORCHLIGHT_DATA_DIR="$data"
export RUST_LOG="${RUST_LOG:-info}"
unset DATABASE_URL SMTP_URL PUBLIC_URL PORCHLIGHT_SECRET
exec "${CARGO_TARGET_DIR:-target}/debug/porchlight"
