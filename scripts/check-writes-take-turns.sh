#!/usr/bin/env bash
# Fails when a function under src/server/db writes (INSERT, UPDATE, DELETE,
# or any statement run with `.execute`) through the pool: through an
# `&AnyPool` or generic `Executor` parameter, or `db.pool`. Writes go through `Db::begin` (a transaction) or `Db::writer`
# (one statement), which on SQLite first wait for this process's write turn,
# first come first served: SQLite's own lock is not fair, and a busy loop
# (a bulk job, the outbox) could keep a request's write waiting until it
# fails with "database is locked". Functions that take a transaction's
# connection (`&mut Tx`, `&mut AnyConnection`) may write. A function that
# runs a statement writing no table says so with a `// writes no table:`
# comment giving the reason.
set -euo pipefail
cd "$(dirname "$0")/.."
found=$(awk '
  function verdict() { if (through_pool && writes && !exempt) print name; through_pool = 0; writes = 0; exempt = 0 }
  FNR == 1 { verdict(); sig = 0 }
  /^(pub(\([a-z]+\))? )?async fn / { verdict(); sig = 1; name = FILENAME ":" FNR ": " $0 }
  sig && /&AnyPool|impl sqlx::Executor/ { through_pool = 1 }
  sig && /\{$/ { sig = 0 }
  /db\.pool/ { through_pool = 1 }
  /\/\/ writes no table:/ { exempt = 1 }
  !/^ *\/\// && /(INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM)/ { writes = 1 }
  # A statement built elsewhere (a const, a helper) and run for its effect.
  /\.execute\(/ { writes = 1 }
  END { verdict() }
' src/server/db/*.rs)
if [ -n "$found" ]; then
  echo "these functions write through the pool (take &Db and use db.writer(), or a transaction):"
  echo "$found"
  exit 1
fi
echo "every write waits its turn"
