#!/usr/bin/env bash
# A throwaway PostgreSQL server for the fleet uplink tests (Tests/TestSupport/TemporaryPostgres.swift): one
# cluster per directory, on 127.0.0.1 only, with its Unix socket in that directory so that nothing touches
# /var/run/postgresql or Debian's own `main` cluster.
#
#   scripts/postgres-test-server.sh start DIR PORT PASSWORD
#       The first start makes the cluster in DIR/data (superuser `fleet` with PASSWORD, scram-sha-256 over
#       TCP and the socket alike) and a database `fleet`; a later start (after a stop) only starts it, on
#       PORT, and reads PASSWORD only to finish a first start that was killed. The server logs to DIR/log.
#   scripts/postgres-test-server.sh stop DIR [fast|immediate|smart]
#       Stops it (fast unless told); a server that is not running is no error.
#   scripts/postgres-test-server.sh bindir
#       Prints the directory of the PostgreSQL programs used (psql is there too).
#
# PostgreSQL refuses to run as root: as root the server runs as the system user `postgres` that Debian's
# package creates (POSTGRES_TEST_SERVER_USER names another), and DIR is given to that user.
#
# A test process may be killed before it stops its server. When POSTGRES_TEST_SERVER_OWNER_PID names it, start
# leaves a watcher behind that, once that process is gone, stops the server and removes DIR.
set -euo pipefail

die() { echo "postgres-test-server: $*" >&2; exit 1; }

# PGPORT, PGDATA, PGHOST and the like of the caller's environment would change what the programs connect to.
while IFS= read -r variable; do unset "$variable"; done < <(compgen -e | grep '^PG' || true)

find_bindir() {
  local candidate=""
  if command -v pg_config >/dev/null 2>&1; then
    candidate="$(pg_config --bindir 2>/dev/null || true)"
  fi
  # libpq-dev's pg_config answers without the server installed.
  if [ -n "$candidate" ] && [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then
    echo "$candidate"
    return
  fi
  candidate="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5n | tail -n 1 || true)"
  if [ -n "$candidate" ] && [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then
    echo "$candidate"
    return
  fi
  die "no initdb and pg_ctl found (neither pg_config --bindir nor /usr/lib/postgresql/*/bin): run scripts/install-deps.sh for Debian's postgresql"
}

# For the processes that outlive this script (the server, the watcher): none of the caller's open files but
# standard input, output and error. Swift's Process (Foundation on Linux) learns that its child ended when a
# socket the child inherited closes: left open in the server, the caller would wait for ever.
close_inherited_files() {
  local fd_path fd
  for fd_path in /proc/"$BASHPID"/fd/*; do
    fd="${fd_path##*/}"
    # 255 is bash's own script, closed on exec.
    if [[ "$fd" =~ ^[0-9]+$ ]] && [ "$fd" -gt 2 ] && [ "$fd" -ne 255 ]; then eval "exec $fd>&-"; fi
  done
}

server_user=""
as_server_user() {
  if [ -n "$server_user" ]; then runuser -u "$server_user" -- "$@"; else "$@"; fi
}

choose_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    server_user="${POSTGRES_TEST_SERVER_USER:-postgres}"
    id -u "$server_user" >/dev/null 2>&1 \
      || die "running as root, and there is no user $server_user to run PostgreSQL as (Debian's postgresql package creates it)"
    command -v runuser >/dev/null 2>&1 || die "running as root, and runuser is missing to run PostgreSQL as $server_user"
  fi
}

# An absolute DIR: the server is started from it, and its socket directory setting names it.
absolute_dir() {
  case "$1" in
    /*) echo "$1" ;;
    *) echo "$PWD/$1" ;;
  esac
}

log_tail() {
  if [ -f "$1" ]; then
    echo "--- last lines of $1:" >&2
    tail -n 30 "$1" >&2
  fi
}

is_running() {
  local status=0
  as_server_user "$bindir/pg_ctl" status -D "$dir/data" >/dev/null 2>&1 || status=$?
  [ "$status" -eq 0 ]
}

start_watcher() {
  local owner="$1" self
  self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
  if [ -f "$dir/watcher.pid" ] && kill -0 "$(cat "$dir/watcher.pid")" 2>/dev/null; then return; fi
  # Its own session and no inherited output: killing the test's process group leaves it alive, and the
  # caller reading this script's output to its end does not wait for it.
  (close_inherited_files; exec setsid bash -c '
    echo $$ > "$2/watcher.pid"
    while kill -0 "$1" 2>/dev/null && [ -d "$2" ]; do sleep 1; done
    if [ -d "$2" ]; then bash "$3" stop "$2" immediate; rm -rf "$2"; fi
  ' postgres-test-server-watcher "$owner" "$dir" "$self") </dev/null >/dev/null 2>&1 &
}

start() {
  [ $# -eq 3 ] || die "usage: $0 start DIR PORT PASSWORD"
  dir="$(absolute_dir "$1")"
  local port="$2" password="$3"
  [[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || die "PORT must be a TCP port number, not '$port'"
  [ -n "$password" ] || die "PASSWORD must not be empty"
  [[ "$dir" != *"'"* ]] || die "DIR must not contain a single quote: $dir"
  choose_server_user
  bindir="$(find_bindir)"

  mkdir -p "$dir"
  if [ -n "$server_user" ]; then chown "$server_user:" "$dir"; fi
  chmod 700 "$dir"
  as_server_user test -w "$dir" -a -x "$dir" \
    || die "${server_user:-$(id -un)} cannot write to $dir (is a directory above it closed to that user? TMPDIR=${TMPDIR:-})"
  # The programs run from DIR: as another user, root's working directory may be closed to them.
  cd "$dir"

  if [ ! -f "$dir/data/PG_VERSION" ]; then
    # A cluster left half made by a killed start is made again.
    rm -rf "$dir/data"
    local pwfile="$dir/pwfile"
    (umask 077; printf '%s\n' "$password" > "$pwfile")
    if [ -n "$server_user" ]; then chown "$server_user:" "$pwfile"; fi
    # --no-sync skips only initdb's final flush of the new files, which guards against the machine crashing
    # (seconds beside a build on two cores); the server itself keeps fsync on.
    local status=0
    as_server_user "$bindir/initdb" -D "$dir/data" -U fleet --pwfile="$pwfile" --auth=scram-sha-256 \
      --encoding=UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 || status=$?
    rm -f "$pwfile"
    if [ "$status" -ne 0 ]; then
      log_tail "$dir/initdb.log"
      die "initdb failed in $dir/data (exit $status)"
    fi
    # The port is given at each start; the rest holds for every start of this cluster.
    cat >>"$dir/data/postgresql.conf" <<EOF

# postgres-test-server.sh
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 50
EOF
  fi

  if is_running; then
    echo "postgres-test-server: already running in $dir"
  else
    local status=0 output
    output="$(close_inherited_files; as_server_user "$bindir/pg_ctl" start -D "$dir/data" -l "$dir/log" -w -t 60 -o "-p $port" 2>&1)" || status=$?
    if [ "$status" -ne 0 ]; then
      echo "$output" >&2
      log_tail "$dir/log"
      die "the server in $dir did not start on 127.0.0.1:$port (pg_ctl exit $status)"
    fi
  fi

  if [ -n "${POSTGRES_TEST_SERVER_OWNER_PID:-}" ]; then start_watcher "$POSTGRES_TEST_SERVER_OWNER_PID"; fi

  # Made after the first start; a start killed before that leaves no mark, and the next start mends it.
  if [ ! -f "$dir/fleet-database-made" ]; then
    local found output
    found="$(PGPASSWORD="$password" "$bindir/psql" -X -A -t -w -h "$dir" -p "$port" -U fleet -d postgres \
      -c "select 1 from pg_database where datname = 'fleet'" 2>&1)" \
      || die "cannot connect to the server in $dir as fleet: $found"
    if [ "$found" != "1" ]; then
      output="$(PGPASSWORD="$password" "$bindir/createdb" -w -h "$dir" -p "$port" -U fleet fleet 2>&1)" \
        || die "cannot create the database fleet in $dir: $output"
    fi
    touch "$dir/fleet-database-made"
  fi
  echo "postgres-test-server: running on 127.0.0.1:$port, data in $dir/data, log in $dir/log"
}

stop() {
  [ $# -ge 1 ] && [ $# -le 2 ] || die "usage: $0 stop DIR [fast|immediate|smart]"
  dir="$(absolute_dir "$1")"
  local mode="${2:-fast}"
  case "$mode" in fast | immediate | smart) ;; *) die "unknown stop mode '$mode' (fast, immediate or smart)" ;; esac
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    echo "postgres-test-server: no cluster in $dir, nothing to stop"
    return
  fi
  choose_server_user
  bindir="$(find_bindir)"
  cd "$dir"
  if ! is_running; then
    echo "postgres-test-server: not running in $dir"
    return
  fi
  local status=0 output
  output="$(as_server_user "$bindir/pg_ctl" stop -D "$dir/data" -m "$mode" -w -t 60 2>&1)" || status=$?
  # It may have stopped on its own between the two questions.
  if [ "$status" -ne 0 ] && is_running; then
    echo "$output" >&2
    log_tail "$dir/log"
    die "the server in $dir did not stop (pg_ctl exit $status)"
  fi
  echo "postgres-test-server: stopped ($mode) in $dir"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  bindir) find_bindir ;;
  *) die "usage: $0 start DIR PORT PASSWORD | stop DIR [fast|immediate|smart] | bindir" ;;
esac
