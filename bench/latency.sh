#!/usr/bin/env bash
# Latency at a steady rate: 1,000 deliveries/s for 10 s, open loop (bench/openloop.py: each request is due at its
# slot whatever the previous answers did, and timed from its due time), against the release daemon on a fresh
# database with the default durability (Synchronous=full). The same load against bench-bare-server shows the
# generator's and HTTP stack's own share. p50, p99 and max time to a 2xx.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

RATE=${RATE:-1000}
SECONDS_=${SECONDS_:-10}
bench_tmp
count=$(awk -v r="$RATE" -v s="$SECONDS_" 'BEGIN { print int(r * s) }')
bodies=$(bodies_file 400000)

"$BIN/bench-bare-server" "$BARE_PORT" /authy/webhook > "$BENCH_TMP/bare.log" 2>&1 &
bare_pid=$!
bench_track "$bare_pid"
wait_port "$BARE_PORT"
bare=$(python3 "$BENCH_DIR/openloop.py" "http://127.0.0.1:$BARE_PORT/authy/webhook" "$bodies" "$RATE" "$SECONDS_" | grep '^RESULT')
kill "$bare_pid"; wait "$bare_pid" 2>/dev/null || true

write_config "$BENCH_TMP/latency.sqlite3"
start_daemon
daemon=$(python3 "$BENCH_DIR/openloop.py" "$BENCH_URL" "$bodies" "$RATE" "$SECONDS_" | grep '^RESULT')
stored=$(sqlite3 "file:$BENCH_TMP/latency.sqlite3?mode=ro" 'SELECT count(*) FROM event')
stop_daemon

# lag: how late the generator itself sent the requests (p99 / max), a share of every latency above.
printf '%-20s %8s %8s %10s %10s %10s %8s %8s %12s %6s\n' server sent 2xx 'p50 ms' 'p99 ms' 'max ms' errors late 'lag p99/max' conns
for row in "bench-bare-server:$bare" "authy-webhooksd:$daemon"; do
    name=${row%%:*}; r=${row#*:}
    printf '%-20s %8s %8s %10s %10s %10s %8s %8s %12s %6s\n' "$name" "$(field sent "$r")" "$(field ok "$r")" \
        "$(ms "$(field p50_us "$r")")" "$(ms "$(field p99_us "$r")")" "$(ms "$(field max_us "$r")")" \
        "$(( $(field non2xx "$r") + $(field errors "$r") ))" "$(field late_starts "$r")" \
        "$(ms "$(field lag_p99_us "$r")")/$(ms "$(field lag_max_us "$r")")" "$(field connections "$r")"
done
echo "daemon: $stored events stored of $count sent; open loop at $RATE/s for ${SECONDS_} s, latency from each request's due time"
echo "machine: $(nproc) cores, $(uname -r), $(date -u +%Y-%m-%dT%H:%MZ)"
p99=$(field p99_us "$daemon")
target p99-at-${RATE}/s "$(ms "$p99") ms" "≤ 5 ms" "$(( p99 <= 5000 && $(field ok "$daemon") == count ))"
