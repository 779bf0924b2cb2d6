#!/usr/bin/env bash
# Start and memory: exec -> READY=1 of the release daemon on the 1,000,000-event database (a NOTIFY_SOCKET of our
# own, bench/notify_start.py), median of 5 starts, and its RSS when idle after start. (The RSS at the end of an
# ingest run is printed by bench/ingest.sh.) The cached database is used in place: the daemon does not write to
# it when idle, apart from its registry row for the configured webhook.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

EVENTS=${EVENTS:-1000000}
STARTS=${STARTS:-5}
bench_tmp
cached=$(seeded_db "$EVENTS")
write_config "$cached"

times=()
for _ in $(seq "$STARTS"); do
    start_daemon
    times+=("$READY_MS")
    stop_daemon
done
start_daemon
sleep 3
idle_rss=$(rss_kb "$DAEMON_PID" VmRSS)
idle_hwm=$(rss_kb "$DAEMON_PID" VmHWM)
stop_daemon

median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
printf '%-44s %s\n' "exec -> READY=1 on $EVENTS events (ms)" "median $median; runs: ${times[*]}"
printf '%-44s %s\n' "RSS idle, 3 s after READY=1 (MB)" "$(mb "$idle_rss")"
printf '%-44s %s\n' "RSS peak since exec (MB)" "$(mb "$idle_hwm")"
echo "machine: $(nproc) cores, $(uname -r), $(date -u +%Y-%m-%dT%H:%MZ)"
target start-to-ready "$median ms" "≤ 200 ms" "$(awk -v m="$median" 'BEGIN { print (m <= 200) }')"
target idle-rss "$(mb "$idle_rss") MB" "≤ 40 MB" "$(( idle_rss <= 40 * 1024 ))"
