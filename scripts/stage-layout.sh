#!/usr/bin/env bash
# Lays out the installed files of the appliance under ROOT, as the Debian package installs them:
#   scripts/stage-layout.sh BINARY ROOT
# `make deb` packs this tree; the installed-layout test of `make test` starts the daemon from it.
set -euo pipefail
if [ $# -ne 2 ]; then
    echo "usage: $0 BINARY ROOT" >&2
    exit 2
fi
binary=$1
root=$2
cd "$(dirname "$0")/.."

install -D -m 0755 "$binary" "$root/usr/bin/flexmeasures"
install -D -m 0644 systemd/flexmeasures.service "$root/lib/systemd/system/flexmeasures.service"
install -D -m 0644 systemd/flexmeasures.socket "$root/lib/systemd/system/flexmeasures.socket"
install -D -m 0644 systemd/flexmeasures-worker@.service "$root/lib/systemd/system/flexmeasures-worker@.service"
install -D -m 0644 systemd/flexmeasures.sysusers "$root/usr/lib/sysusers.d/flexmeasures.conf"
install -D -m 0644 systemd/flexmeasures.tmpfiles "$root/usr/lib/tmpfiles.d/flexmeasures.conf"
install -D -m 0640 appliance/flexmeasures.env "$root/etc/flexmeasures/flexmeasures.env"
install -D -m 0640 appliance/flexmeasures.toml "$root/etc/flexmeasures/flexmeasures.toml"
install -D -m 0644 README.md "$root/usr/share/doc/flexmeasures/README.md"
install -D -m 0644 appliance/README.md "$root/usr/share/doc/flexmeasures/appliance.md"
