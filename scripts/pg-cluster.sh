#!/usr/bin/env bash
# A throwaway Postgres cluster for the tests (issue 16: the suite runs on
# SQLite and again on Postgres).
#
#   scripts/pg-cluster.sh start DIR PORT   install Debian's postgresql when missing,
#                                          create a cluster in DIR (trust auth, loopback
#                                          only; an existing one is reused) and start it
#                                          on PORT; prints its URL
#   scripts/pg-cluster.sh stop DIR         stop it (DIR is left for the caller to remove)
#
# initdb refuses to run as root, so as root the cluster belongs to the
# postgres user (created by the Debian package) and runs as that user; the
# directories above DIR must then let that user through (mode o+x).
set -euo pipefail

usage() { echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2; }

pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$d" ] && command -v initdb >/dev/null 2>&1; then
    d=$(dirname "$(readlink -f "$(command -v initdb)")")
  fi
  echo "$d"
}

install_pg() {
  if [ -n "$(pg_bin)" ]; then return; fi
  if [ "$(id -u)" != 0 ]; then
    echo "pg-cluster: postgresql is missing; install it with: sudo apt-get install postgresql" >&2
    exit 1
  fi
  echo "pg-cluster: installing postgresql (Debian package)" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

# as_owner runs a command as the cluster's owner.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

cmd=${1:-}
case "$cmd" in
start)
  [ $# -eq 3 ] || usage
  dir=$2 port=$3
  install_pg
  bin=$(pg_bin)
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$dir"
    runuser -u postgres -- test -x "$dir" ||
      { echo "pg-cluster: the postgres user cannot reach $dir (a directory above it is not o+x)" >&2; exit 1; }
  fi
  chmod 700 "$dir"
  # A cluster left in DIR by an earlier start (a machine restarted, a
  # stop without removing DIR) is started again rather than refused.
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  # Loopback only, the socket in DIR, settings for a test cluster: no
  # durability is needed, speed is.
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null ||
    { cat "$dir/server.log" >&2; exit 1; }
  echo "postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
  ;;
stop)
  [ $# -eq 2 ] || usage
  as_owner "$(pg_bin)/pg_ctl" -D "$2/data" -m fast -w stop >/dev/null
  ;;
*)
  usage
  ;;
esac
