#!/usr/bin/env bash
# Installs what the build links against (SQLite, GLPK, zlib, LAPACK) and what the tests run, only when missing:
# python3 with scipy (scripts/scheduling-reference-optimum.py), and the real servers DeliveryTests start on
# loopback: Debian's /usr/bin/python3 with python3-aiosmtpd (an SMTP server with STARTTLS; called by path, so a
# pyenv python3 first on PATH needs no pip install) and openssl for its certificate; Debian's chromium and
# chromium-driver for the console's browser tests (AppTests/Browser, WebDriver on loopback); Debian's postgresql
# for the fleet uplink tests, which start a PostgreSQL cluster of their own in a temporary directory on loopback,
# as an unprivileged user (`postgres` when run as root; scripts/postgres-test-server.sh). The `main` cluster
# that the package may make and start on port 5432 is left alone: no test uses it.
set -euo pipefail

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
apt_install() {
  echo "install-deps: installing $*"
  $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq "$@"
}

packages=(libsqlite3-dev libglpk-dev zlib1g-dev liblapack-dev python3 python3-aiosmtpd openssl chromium chromium-driver
  postgresql)
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: ${packages[*]} already installed"
else
  apt_install "${missing[@]}"
fi

# scipy.optimize.milp needs scipy 1.9 or later.
has_scipy() { python3 -c 'from scipy.optimize import milp' 2>/dev/null; }
if has_scipy; then
  echo "install-deps: python3 with scipy already installed"
elif ! command -v python3 >/dev/null || [ "$(command -v python3)" = /usr/bin/python3 ]; then
  # Debian's own python3 refuses pip installs (PEP 668); its package is the way.
  apt_install python3 python3-scipy
else
  # A python3 of its own (pyenv, a virtual environment) owns its site-packages.
  echo "install-deps: installing scipy with $(command -v python3) -m pip"
  python3 -m pip install --quiet scipy
fi
has_scipy || { echo "install-deps: python3 still cannot import scipy.optimize.milp" >&2; exit 1; }
