#!/usr/bin/env bash
# Builds flexmeasures_<version>_<arch>.deb: the daemon linked with the Swift runtime statically (so the
# package needs only Debian's own libsqlite3-0, libglpk40 and zlib1g), the systemd units, sysusers and
# tmpfiles entries, a default environment file, a postinst that creates the state directory and runs
# `db upgrade`, and a preinst (appliance/debian/preinst) that, when the package replaces a newer release,
# has the installed binary take the database back to this release's newest migration first.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(sed -n 's/.*applianceVersion = "\(.*\)".*/\1/p' Sources/App/Configuration/SiteSettings.swift)
arch=$(dpkg --print-architecture)
scratch=.build-static
swift build -c release --product flexmeasures --static-swift-stdlib --scratch-path "$scratch"
binary="$scratch/release/flexmeasures"

root=$(mktemp -d)
chmod 0755 "$root"
trap 'rm -rf "$root"' EXIT
bash scripts/stage-layout.sh "$binary" "$root"
strip --strip-unneeded "$root/usr/bin/flexmeasures"

mkdir -p "$root/DEBIAN"
size=$(du -sk "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: flexmeasures
Version: $version
Architecture: $arch
Maintainer: FlexMeasures appliance maintainers <maintainers@example.org>
Depends: libc6 (>= 2.36), libsqlite3-0, libglpk40, liblapack3, zlib1g, libstdc++6, systemd
Installed-Size: $size
Section: net
Priority: optional
Description: energy flexibility appliance (FlexMeasures as one daemon)
 Stores measurements, forecasts, prices and schedules as beliefs in one SQLite
 file, schedules batteries and charge points with GLPK, and serves the
 USEF-style JSON API of FlexMeasures over TCP and a Unix socket.
CONTROL
printf '%s\n' /etc/flexmeasures/flexmeasures.env /etc/flexmeasures/flexmeasures.toml > "$root/DEBIAN/conffiles"
cat > "$root/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if [ "$1" = "configure" ]; then
    systemd-sysusers /usr/lib/sysusers.d/flexmeasures.conf
    systemd-tmpfiles --create /usr/lib/tmpfiles.d/flexmeasures.conf
    chgrp flexmeasures /etc/flexmeasures/flexmeasures.env /etc/flexmeasures/flexmeasures.toml
    if ! grep -q '^SECRET_KEY=.' /etc/flexmeasures/flexmeasures.env; then
        key=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
        sed -i "s/^SECRET_KEY=.*/SECRET_KEY=$key/" /etc/flexmeasures/flexmeasures.env
    fi
    runuser -u flexmeasures -- /usr/bin/flexmeasures db upgrade --db /var/lib/flexmeasures/flexmeasures.db
    if [ -d /run/systemd/system ]; then
        systemctl daemon-reload
        systemctl enable flexmeasures.service || true
        # The units the preinst stopped to take the database back to this (older) release start again as
        # they were (the socket before the service binds its addresses); otherwise the service starts.
        if [ -f /run/flexmeasures-preinst.stopped ]; then
            systemctl start $(cat /run/flexmeasures-preinst.stopped) || true
            rm -f /run/flexmeasures-preinst.stopped
        else
            systemctl start flexmeasures.service || true
        fi
    fi
fi
POSTINST
head=$("$binary" db heads)
sed "s/@HEAD@/$head/" appliance/debian/preinst > "$root/DEBIAN/preinst"
cat > "$root/DEBIAN/prerm" <<'PRERM'
#!/bin/sh
set -e
if [ -d /run/systemd/system ] && [ "$1" = "remove" ]; then
    systemctl disable --now flexmeasures.socket flexmeasures.service || true
fi
PRERM
chmod 0755 "$root/DEBIAN/preinst" "$root/DEBIAN/postinst" "$root/DEBIAN/prerm"

mkdir -p dist
output="dist/flexmeasures_${version}_${arch}.deb"
fakeroot dpkg-deb --build --root-owner-group "$root" "$output" >/dev/null
echo "$output ($(du -h "$output" | cut -f1))"
