#!/usr/bin/env bash
# Fuzzes the running daemon's API with seeded, mutated messages of every route and version over TCP
# and its Unix socket (Tests/AppTests/APIFuzzTests.swift), 100,000 requests unless
# FLEXMEASURES_FUZZ_REQUESTS says otherwise, and prints requests, deaths, 5xx answers, hangs and the
# slowest GET /api/ answered beside them. FLEXMEASURES_FUZZ_SEED=N repeats a run,
# FLEXMEASURES_FUZZ_SKIP=amplify,duration leaves mutation classes out, and the run stops after
# FLEXMEASURES_FUZZ_MAX_DEATHS deaths (50). Exits non-zero when the suite failed.
#
# usage: scripts/fuzz-api.sh
set -uo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/run-suite.sh"
report="${FLEXMEASURES_FUZZ_REPORT:-${TMPDIR:-/tmp}/flexmeasures-fuzz-report.txt}"
export FLEXMEASURES_FUZZ_REQUESTS="${FLEXMEASURES_FUZZ_REQUESTS:-100000}" FLEXMEASURES_FUZZ_REPORT="$report"
run_suite fuzz APIFuzzTests
echo "requests: $(field requests)$(grep -a -q '^STOPPED EARLY' "$report" && echo " (stopped early: $(grep -a -m1 '^STOPPED EARLY' "$report" | cut -d: -f2-))")"
echo "deaths: $(field deaths)"
echo "5xx: $(field 5xx)"
echo "hangs: $(field hangs) (daemon stuck: $(field stuck))"
echo "slowest GET /api/: $(field slowest_get_api_ms) ms ($(field slow_probes) over 100 ms)"
echo "refused writes that left beliefs: $(field refused_but_stored)"
echo "report: $report"
exit $status
