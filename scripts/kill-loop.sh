#!/usr/bin/env bash
# kill -9s the daemon at random moments while clients post meter data over TCP and its Unix socket,
# restarting it on the same database, 100 times unless FLEXMEASURES_KILL_CYCLES says otherwise; then
# reads every acknowledged belief back and checks the file (Tests/AppTests/KillLoopTests.swift, which
# also kills a running scheduling job and `db-ops dump`). Prints cycles and beliefs lost.
# FLEXMEASURES_KILL_SEED=N repeats the kill times. Exits non-zero when the suite failed.
#
# usage: scripts/kill-loop.sh
set -uo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/run-suite.sh"
export FLEXMEASURES_KILL_CYCLES="${FLEXMEASURES_KILL_CYCLES:-100}"
run_suite kill-loop KillLoopTests
echo "cycles: $(sed -n 's/.*cycles=\([^ ]*\).*/\1/p' <<<"$summary")"
echo "beliefs acknowledged: $(field beliefs_acknowledged)"
echo "beliefs lost: $(field beliefs_lost)"
echo "integrity: $(field integrity)"
grep -a '^scheduling-kill summary:' "$work/log" || true
grep -a -m1 '^dump-kill summary:' "$work/log" || true
# The failed tests and their first issues.
grep -a -E '✘ Test .*(failed after|recorded an issue)' "$work/log" | sed 's/^/  /' | cut -c1-400 | head -20 || true
exit $status
