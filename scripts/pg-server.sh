#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on loopback for the integration suite and prints its URL.
# Usage: scripts/pg-server.sh start <dir> <port> | restart <dir> <port> | stop <dir>
# `start` makes a new cluster in <dir>; `restart` starts the existing one again. With PG_PASSWORD
# set, `start` gives user postgres that password and requires it over TCP (tests of a wrong one).
# Installs Debian's PostgreSQL server with apt when initdb is missing.
set -euo pipefail
cmd=${1:?start|stop}; dir=$(realpath -m "${2:?data dir}"); port=${3:-54329}

find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return; }; done
  command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)"
}

# Tests need no durability; the benchmark sets PG_EXTRA_OPTS="" to measure with the defaults.
fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"

case "$cmd" in
  start)
    bin=$(find_bin || true)
    if [ -z "$bin" ]; then
      echo "installing postgresql with apt-get" >&2
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
      bin=$(find_bin)
    fi
    run_as=()
    if [ "$(id -u)" = 0 ]; then
      id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
      mkdir -p "$dir"; chown postgres "$dir"
      run_as=(runuser -u postgres --)
    fi
    mkdir -p "$dir"
    auth=(--auth=trust)
    if [ -n "${PG_PASSWORD:-}" ]; then
      printf '%s\n' "$PG_PASSWORD" >"$dir/pwfile"
      [ "$(id -u)" = 0 ] && chown postgres "$dir/pwfile"
      auth=(--auth-local=trust --auth-host=scram-sha-256 --pwfile="$dir/pwfile")
    fi
    "${run_as[@]}" "$bin/initdb" -D "$dir/data" -U postgres "${auth[@]}" -E UTF8 >/dev/null
    rm -f "$dir/pwfile"
    exec bash "$0" restart "$dir" "$port"
    ;;
  restart)
    bin=$(find_bin)
    run_as=(); [ "$(id -u)" = 0 ] && run_as=(runuser -u postgres --)
    "${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=200 ${PG_EXTRA_OPTS-$fast}" start >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    bin=$(find_bin)
    run_as=(); [ "$(id -u)" = 0 ] && run_as=(runuser -u postgres --)
    "${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    ;;
esac
