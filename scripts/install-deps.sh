#!/usr/bin/env bash
# Installs the system libraries the build links against (SQLite, GLPK, zlib, LAPACK), only when missing, and what
# the tests start as real servers on loopback: DeliveryTests run Debian's /usr/bin/python3 with python3-aiosmtpd (an
# SMTP server with STARTTLS) and make its certificate with openssl. They call /usr/bin/python3 by path, so a pyenv
# python3 first on PATH needs no pip install.
set -euo pipefail

packages=(libsqlite3-dev libglpk-dev zlib1g-dev liblapack-dev python3 python3-aiosmtpd openssl)
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: ${packages[*]} already installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get -o DPkg::Lock::Timeout=300 update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${missing[@]}"
