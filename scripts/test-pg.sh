#!/usr/bin/env bash
# Runs the tests of every package that stores something again on Postgres
# (issue 16), the gateway's end-to-end tests included: starts a throwaway
# cluster (scripts/pg-cluster.sh installs Debian's postgresql when it is
# missing), runs the packages below with HOIPHUONG_TEST_DB=postgres, each
# test on a database of its own, and stops the cluster.
set -euo pipefail
cd "$(dirname "$0")/.."

# The staff console's Chromium tests and the gateway's end-to-end tests
# (processes, kill -9, restarts) run after the rest, one package at a time:
# the most load-sensitive of the suite, they are kept out of the others' load.
mod=github.com/hoiphuong/hoiphuong
alone=("$mod/handlers/console" "$mod/cmd/hoiphuong")
# Every package of ./... whose tests reach a database: the test binary
# depends on the tests' database helpers (sqldbtest, pgtest), or the package
# is one of the database packages. Computed, so a new storing package is
# not forgotten; the packages that store nothing run once, in the main pass.
pkgs=()
while read -r p; do
  case " ${alone[*]} " in *" $p "*) continue ;; esac
  pkgs+=("$p")
done < <(go list -test -f '{{.ImportPath}} {{join .Deps " "}}' ./... |
  awk -v m="$mod/knowledge/sqldb" '$1 ~ /\.test$/ {
      p = $1; sub(/\.test$/, "", p)
      if (p == m || index(p, m "/") == 1 || index($0, " " m "/sqldbtest") || index($0, " " m "/pgtest")) print p
    }' | sort -u)
if [ "${#pkgs[@]}" -lt 20 ]; then
  echo "test-pg: found only ${#pkgs[@]} storing packages: ${pkgs[*]}" >&2
  exit 1
fi

dir=$(mktemp -d)
chmod 755 "$dir" # the postgres user owns the cluster below it
# The first free port from 55433 (a cluster left by an interrupted run may
# hold one).
port=${PG_TEST_PORT:-}
if [ -z "$port" ]; then
  for p in $(seq 55433 55533); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
  done
fi
cleanup() {
  bash scripts/pg-cluster.sh stop "$dir/pg" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
url=$(bash scripts/pg-cluster.sh start "$dir/pg" "$port")
echo "test-pg: Postgres at $url"
# Two packages at a time (PG_TEST_PARALLEL): the Postgres server shares
# the cores with the tests and their Chromiums; about 4 minutes on 2 cores,
# then about 5 for the two packages run alone.
export HOIPHUONG_TEST_DB=postgres HOIPHUONG_TEST_PG_URL=$url
go test -p "${PG_TEST_PARALLEL:-2}" -count=1 -timeout 10m "${pkgs[@]}"
go test -p 1 -count=1 -timeout 10m "${alone[@]}"
