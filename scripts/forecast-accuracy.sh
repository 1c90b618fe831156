#!/usr/bin/env bash
# Runs the forecasting evaluation of ../shared/data/forecasting through the appliance itself: imports
# each CSV as beliefs (the measured series known at each event's end; the weather columns as
# forecasts known long before, i.e. perfect forecasts, as the data's README protocol allows), queues
# and runs forecasting jobs for the last 14 days at 1, 6, 24 and 48 hours, and reads MAE and
# 1 - WAPE back with `flexmeasures show accuracy`.
#
# usage: scripts/forecast-accuracy.sh [DATA_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$(cd "${1:-$root/../shared/data/forecasting}" && pwd)"
cd "$root"
swift build -c release --product flexmeasures >&2
fm="$(swift build -c release --product flexmeasures --show-bin-path)/flexmeasures"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
db="$work/site.db"
export FLEXMEASURES_BCRYPT_COST=4 FLEXMEASURES_DB="$db"

"$fm" add structure >/dev/null
"$fm" add user --username analyst --email analyst@example.com --roles Prosumer --password analyst-password >/dev/null
id() { sed -n 's/^ID: //p'; }

# series file, asset type, resolution (minutes), latitude, longitude, then column:weather-type pairs
run_series() {
  local file="$1" type="$2" minutes="$3" lat="$4" lng="$5"; shift 5
  local name; name="$(basename "$file" .csv)"
  python3 - "$file" "$work/$name" "$minutes" "$@" <<'PY'
import csv, sys, datetime
path, prefix, minutes = sys.argv[1], sys.argv[2], int(sys.argv[3])
columns = ["value"] + [pair.split(":")[0] for pair in sys.argv[4:]]
rows = list(csv.DictReader(open(path)))
for column in columns:
    with open(f"{prefix}.{column}.csv", "w") as out:
        out.write("event_start,value\n")
        for row in rows:
            out.write(f"{row['event_start']},{row[column]}\n")
last = datetime.datetime.fromisoformat(rows[-1]["event_start"].replace("Z", "+00:00"))
end = last + datetime.timedelta(minutes=minutes)
start = end - datetime.timedelta(days=14)
open(f"{prefix}.window", "w").write(f"{start.isoformat()} {end.isoformat()}\n")
PY
  local asset
  asset=$("$fm" add asset --name "$name" --asset-type-name "$type" --capacity-in-MW 5 --event-resolution "$minutes" \
          --latitude "$lat" --longitude "$lng" --owner-id 1 | id)
  "$fm" add beliefs --sensor-id "$asset" --file "$work/$name.value.csv" --horizon PT0S --source measurements >/dev/null
  for pair in "$@"; do
    local column="${pair%%:*}" weather="${pair##*:}" sensor
    sensor=$("$fm" add weather-sensor --name "$name $column" --weather-sensor-type-name "$weather" \
             --event-resolution "$minutes" --latitude "$lat" --longitude "$lng" | id)
    "$fm" add beliefs --sensor-id "$sensor" --file "$work/$name.$column.csv" --prior 2000-01-01T00:00:00Z \
          --source "weather $column" >/dev/null
  done
  read -r start end < "$work/$name.window"
  "$fm" add forecasts --asset-type Asset --asset "$asset" --from-date "$start" --to-date "$end" --wait >/dev/null
  echo "## $name (regressors: $*; used as perfect forecasts)"
  "$fm" show accuracy --sensor-id "$asset" --start "$start" --duration P14D
}

run_series "$data/pv_serf_east_15min.csv" solar 15 39.742 -105.178 ghi:radiation temp_air:temperature
run_series "$data/wind_greensboro_1h.csv" wind 60 36.098 -79.943 wind_speed:wind_speed temp_air:temperature
