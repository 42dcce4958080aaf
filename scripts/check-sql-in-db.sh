#!/usr/bin/env bash
# Fails when SQL appears outside src/server/db (and migrations/): a statement
# (SELECT …, INSERT INTO, UPDATE … SET, DELETE FROM) on a line that is not a
# comment, or a sqlx query builder. Tests and benchmarks may seed and
# inspect storage directly. Pages, server functions and the domain
# ask `db` for what they need; see docs/ARCHITECTURE.md.
set -euo pipefail
cd "$(dirname "$0")/.."
found=$(grep -rnE --include='*.rs' \
  '(\bSELECT\b.*\b(FROM|[a-z_]+\()|\bINSERT INTO\b|\bUPDATE [a-z_]+ SET\b|\bDELETE FROM\b|sqlx::query)' \
  src \
  | grep -v '^src/server/db/' \
  | grep -vE '^[^:]+:[0-9]+: *(//|\*)' || true)
if [ -n "$found" ]; then
  echo "SQL outside src/server/db (move it into a function there):"
  echo "$found"
  exit 1
fi
echo "all SQL is in src/server/db"
