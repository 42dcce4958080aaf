#!/usr/bin/env bash
# Fails when a server-only crate is in the wasm build's dependency tree.
set -euo pipefail
cd "$(dirname "$0")/.."
tree=$(cargo tree --target wasm32-unknown-unknown --no-default-features --features hydrate -e normal --prefix none)
leaks=$(grep -E '^(tokio|mio|sqlx[a-z-]*|lettre|argon2|axum[a-z-]*|leptos_axum|hyper|tower-http) v' <<<"$tree" | sort -u || true)
if [ -n "$leaks" ]; then
  echo "server crates in the wasm build:" >&2
  echo "$leaks" >&2
  exit 1
fi
echo "wasm build: $(sort -u <<<"$tree" | wc -l) crates, none of them server-only"
