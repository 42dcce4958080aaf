#!/usr/bin/env bash
# Fails when server code uses the connection pool while one of its own
# transactions is open (between `let mut tx = ….begin()` and the commit or
# rollback at the same indentation). On SQLite a write transaction holds the
# database's write lock: waiting for a second pool connection then can starve
# the pool (every other connection waiting for that lock) until SQLite gives
# up with "database is locked". Inside a transaction, read through `tx`.
# Functions that take `tx` as a parameter are checked by review: keep them
# free of `.pool` too.
set -euo pipefail
cd "$(dirname "$0")/.."
found=$(awk '
  FNR == 1 { open = 0 }
  /let mut tx = .*begin\(\)/ { open = 1; match($0, /^ */); indent = RLENGTH }
  open && /tx\.(commit|rollback)\(\)/ { match($0, /^ */); if (RLENGTH == indent) open = 0 }
  open && /\.pool([^a-z_]|$)/ { print FILENAME ":" FNR ": " $0 }
' $(find src -name '*.rs'))
if [ -n "$found" ]; then
  echo "the pool is used while a transaction is open (read through tx instead):"
  echo "$found"
  exit 1
fi
echo "no pool use inside an open transaction"
