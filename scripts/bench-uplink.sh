#!/usr/bin/env bash
# The fleet uplink's benchmark: a PostgreSQL of its own on loopback (scripts/postgres-test-server.sh, fsync on),
# its fleet schema made by `flexmeasures uplink init`, then `flexmeasures-bench uplink` drains a backlog of
# 1,000,000 beliefs through the release daemon while a gateway posts. Arguments go to the benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product flexmeasures >/dev/null
swift build -c release --product flexmeasures-bench >/dev/null
folder=$(mktemp -d /tmp/fleet-bench-XXXXXX)
chmod 755 "$folder"
password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
trap 'bash scripts/postgres-test-server.sh stop "$folder" immediate >/dev/null 2>&1 || true; rm -rf "$folder"' EXIT
bash scripts/postgres-test-server.sh start "$folder" "$port" "$password" >/dev/null
url="postgres://fleet@127.0.0.1:$port/fleet?sslmode=disable"
FLEXMEASURES_DB="$folder/init.db" FLEXMEASURES_UPLINK_URL="$url" FLEXMEASURES_UPLINK_SITE=init \
  FLEXMEASURES_UPLINK_PASSWORD="$password" .build/release/flexmeasures uplink init
.build/release/flexmeasures-bench uplink --postgres "$url" --password "$password" "$@"
