#!/usr/bin/env bash
# Ingest: deliveries/s of the release daemon (verification + durable commit, Synchronous=full, the default) against
# a bare Hummingbird POST handler (bench-bare-server) under the same wrk load in the same run: 64 connections,
# 2 threads, 10 s, distinct signed tokens made beforehand (bench-tokens). Also checks that the events stored equal
# the 2xx answers, and reports the daemon's RSS at the end of the run.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=2
TOKENS=${TOKENS:-400000}

bench_tmp
bodies=$(bodies_file "$TOKENS")

# 1. The HTTP limit.
"$BIN/bench-bare-server" "$BARE_PORT" /authy/webhook > "$BENCH_TMP/bare.log" 2>&1 &
bare_pid=$!
bench_track "$bare_pid"
wait_port "$BARE_PORT"
bare=$(run_wrk "http://127.0.0.1:$BARE_PORT/authy/webhook")
kill "$bare_pid"; wait "$bare_pid" 2>/dev/null || true

# 2. The daemon on a fresh database.
write_config "$BENCH_TMP/ingest.sqlite3"
start_daemon
daemon=$(run_wrk "$BENCH_URL")
rss_end=$(rss_kb "$DAEMON_PID" VmRSS)
hwm_end=$(rss_kb "$DAEMON_PID" VmHWM)
sleep 0.5   # answers cut off by wrk's stop may still commit
stored=$(sqlite3 "file:$BENCH_TMP/ingest.sqlite3?mode=ro" 'SELECT count(*) FROM event')
# Every delivery of one group commit carries the same receive time: the number of distinct times is the number of
# transactions (fsyncs), a diagnostic of the group commit.
commits=$(sqlite3 "file:$BENCH_TMP/ingest.sqlite3?mode=ro" 'SELECT count(DISTINCT received_at) FROM delivery')
stop_daemon

bare_rate=$(rate "$bare"); daemon_rate=$(rate "$daemon")
ok_answers=$(( $(field requests "$daemon") - $(field status_errors "$daemon") ))
ratio=$(awk -v a="$daemon_rate" -v b="$bare_rate" 'BEGIN { printf "%.2f", a / b }')

printf '%-26s %12s %10s %10s %10s %8s %8s\n' server 'requests/s' 'p50 ms' 'p99 ms' 'max ms' non-2xx 'sock err'
for row in "bench-bare-server:$bare" "authy-webhooksd:$daemon"; do
    name=${row%%:*}; r=${row#*:}
    printf '%-26s %12s %10s %10s %10s %8s %8s\n' "$name" "$(rate "$r")" "$(ms "$(field p50_us "$r")")" \
        "$(ms "$(field p99_us "$r")")" "$(ms "$(field max_us "$r")")" "$(field status_errors "$r")" "$(field socket_errors "$r")"
done
echo "daemon: $ok_answers 2xx answers, $stored events stored, $(field wrapped "$daemon") token wraps (duplicates); $commits commits (mean $(( stored / (commits > 0 ? commits : 1) )) deliveries each); RSS at end ${rss_end} kB, peak ${hwm_end} kB"
echo "machine: $(nproc) cores, $(uname -r), wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $(date -u +%Y-%m-%dT%H:%MZ)"
# wrk stops with up to CONNECTIONS requests in flight: those may be committed without their answer being counted.
consistent=$(( stored >= ok_answers && stored - ok_answers <= CONNECTIONS && $(field wrapped "$daemon") == 0 ))
target stored-equals-2xx "$stored stored / $ok_answers answered" "equal, ≤ $CONNECTIONS in flight at the cut" "$consistent"
target ingest-ratio "$ratio × bare ($daemon_rate vs $bare_rate/s)" "≥ 0.5 × bare" "$(awk -v r="$ratio" 'BEGIN { print (r >= 0.5) }')"
