#!/usr/bin/env bash
# Every benchmark, one after the other: builds (incrementally) the release binaries into bench/.build,
# then ingest, latency, query, start and forward. Run from anywhere; nothing else should load the machine meanwhile.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

bench_build
for bench in ingest latency query start forward; do
    echo "== $bench"
    BENCH_NO_BUILD=1 "$BENCH_DIR/$bench.sh"   # built above
    echo
done
