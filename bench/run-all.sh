#!/usr/bin/env bash
# Every benchmark of issue 7, one after the other: builds (incrementally) the release binaries into bench/.build,
# then ingest, latency, query, start. Run from anywhere; nothing else should load the machine meanwhile.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

bench_build
for bench in ingest latency query start; do
    echo "== $bench"
    "$BENCH_DIR/$bench.sh"
    echo
done
