# Sourced by fuzz-api.sh and kill-loop.sh: builds, runs one test suite with its output in "$work/log",
# and reads the line "<label> summary: key=value ..." it printed. Sets `work`, `status` and `summary`;
# `field KEY` prints one value of the summary.
#
# usage: run_suite LABEL FILTER   (the suite's environment variables set by the caller)
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

run_suite() {
  local label="$1" filter="$2"
  swift build --build-tests >&2 || exit 2
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  swift test --skip-build --filter "$filter" >"$work/log" 2>&1
  status=$?
  summary="$(grep -a -m1 "^$label summary:" "$work/log" || true)"
  if [ -z "$summary" ]; then
    tail -40 "$work/log" >&2
    echo "$label: the suite printed no summary" >&2
    exit 2
  fi
  grep -a -m1 "^$label seed:" "$work/log"
}

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$summary"; }
