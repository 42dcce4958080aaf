#!/usr/bin/env bash
# Runs a step and prints how long it took: scripts/timed.sh "name" command...
set -euo pipefail
name=$1; shift
start=$(date +%s)
printf '\n==> %s\n' "$name"
status=0
"$@" || status=$?
printf '==> %s: %s in %ss\n' "$name" "$([ $status -eq 0 ] && echo ok || echo FAILED)" "$(( $(date +%s) - start ))"
exit $status
