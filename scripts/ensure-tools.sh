#!/usr/bin/env bash
# Installs what building (and, with --test, testing) Porchlight needs, and
# only what is missing. Nothing is downloaded from outside crates.io, npm and
# Debian: cargo-leptos finds sass/wasm-opt/wasm-bindgen on PATH and never
# fetches its own.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen pin in Cargo.toml

log() { printf '==> %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q " ${CARGO_LEPTOS_VERSION}\$"; then
  log "installing cargo-leptos ${CARGO_LEPTOS_VERSION} (about 16 minutes on 2 cores)"
  cargo install cargo-leptos --version "${CARGO_LEPTOS_VERSION}" --locked
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " ${WASM_BINDGEN_VERSION}\$"; then
  log "installing wasm-bindgen-cli ${WASM_BINDGEN_VERSION}"
  # Without --locked: its lockfile wants a crate version the registry here lacks.
  cargo install wasm-bindgen-cli --version "${WASM_BINDGEN_VERSION}" --force
fi

if [ ! -x node_modules/.bin/playwright ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages (Playwright test runner, binaryen)"
  npm ci --no-audit --no-fund
fi

if [ "${1:-}" = "--bench" ] && ! command -v wrk > /dev/null; then
  log "installing Debian's wrk (the load generator of the pages benchmark)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
fi

if [ "${1:-}" = "--test" ] || [ "${1:-}" = "--bench" ]; then
  if [ ! -x /usr/bin/chromium ]; then
    log "installing Debian's chromium for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  fi
  if ! python3 -c 'import aiosmtpd, trustme' 2>/dev/null; then
    log "installing aiosmtpd (the SMTP server the tests talk to) and trustme (its test certificates)"
    python3 -m pip install --quiet --disable-pip-version-check aiosmtpd==1.4.6 trustme==1.2.1
  fi
  if ! python3 -c 'import moto.server' 2>/dev/null; then
    log "installing moto's server (the S3-compatible store the document tests talk to)"
    python3 -m pip install --quiet --disable-pip-version-check 'moto[server]==5.2.1'
  fi
fi
