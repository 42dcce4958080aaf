#!/usr/bin/env bash
# Fails when SQL in src/server/db lower-cases text (LOWER, UPPER, ILIKE):
# SQLite's LOWER folds ASCII letters only, PostgreSQL's folds every letter,
# so "Élodie" would match on one database and not the other. Text compared
# without case is lower-cased by Rust (str::to_lowercase) and stored in a
# `*_lower` column (email_lower, name_lower) or compared in Rust.
set -euo pipefail
cd "$(dirname "$0")/.."
found=$(grep -rnE --include='*.rs' '\b(LOWER|UPPER)\(|\bILIKE\b' src/server/db \
  | grep -vE '^[^:]+:[0-9]+: *(//|\*)' || true)
if [ -n "$found" ]; then
  echo "SQL folds case (lower-case in Rust instead, see the script's comment):"
  echo "$found"
  exit 1
fi
echo "no SQL folds case"
