#!/usr/bin/env bash
# Runs every scheduling reference case through `flexmeasures-bench solve-case` and the shared checker
# (`check_schedule.py CASE CANDIDATE --variant intended`), prints each verdict and a final
# "N passed, N failed" line, and exits non-zero if any case failed.
#
# usage: scripts/check-scheduling-cases.sh [CASE_DIR]    (default: ../shared/cases/scheduling)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case_dir="$(cd "${1:-$root/../shared/cases/scheduling}" && pwd)"
checker="$case_dir/check_schedule.py"
if [ ! -f "$checker" ]; then
  echo "check-scheduling-cases: no check_schedule.py in $case_dir" >&2
  exit 2
fi

cd "$root"
bench="$(swift build -c release --product flexmeasures-bench --show-bin-path)/flexmeasures-bench"
# Build only when the binary is missing or older than the sources it is made of.
if [ ! -x "$bench" ] || [ -n "$(find Sources/Scheduling Sources/flexmeasures-bench Sources/Beliefs Package.swift -newer "$bench" -print -quit)" ]; then
  echo "check-scheduling-cases: building flexmeasures-bench (release)" >&2
  swift build -c release --product flexmeasures-bench >&2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
shopt -s nullglob
for case_file in "$case_dir"/*.json; do
  name="$(basename "$case_file" .json)"
  candidate="$work/$name.json"
  if ! "$bench" solve-case "$case_file" >"$candidate" 2>"$work/$name.err"; then
    echo "FAIL case=$name: solve-case failed: $(tr '\n' ' ' <"$work/$name.err")"
    failed=$((failed + 1))
    continue
  fi
  # The checker takes the bare word `infeasible` as an argument, not as a file's content.
  if [ "$(cat "$candidate")" = "infeasible" ]; then
    candidate="infeasible"
  fi
  if python3 "$checker" "$case_file" "$candidate" --variant intended; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
