#!/usr/bin/env bash
# Query: authyctl against the release daemon on a 1,000,000-event database (bench-seed: events spread over 30 days
# ending at seeding time), next to the same SQL in the sqlite3 shell on the same file. hyperfine, medians.
#   Q1  authyctl events --since -1h --limit 100 --output json     vs  the daemon's SQL for it (newest 100, -json)
#   Q2  authyctl events --limit 0 --output jsonl > /dev/null      vs  every event in order (-json), events/s
set -euo pipefail
source "$(dirname "$0")/lib.sh"

EVENTS=${EVENTS:-1000000}
RUNS=${RUNS:-20}
EXPORT_RUNS=${EXPORT_RUNS:-5}
bench_tmp
cached=$(seeded_db "$EVENTS")
# The cached file is used in place (copying 1 GB costs more than the run): the daemon only reads it, apart from
# its registry row for the configured webhook.
db=$cached
write_config "$db"
start_daemon
export AUTHYCTL_SOCKET=$BENCH_TMP/control.sock
ctl=$BIN/authyctl

# The daemon's SQL (Sources/EventStore/SQLiteEventStore+Queries.swift, explainableEventsSQL) for each command.
# The cached database ends at its seeding time, so "the last hour" is the hour before its newest event, given to
# both sides as the same absolute time (`--since` takes RFC 3339; the SQL is the same as for `--since -1h`).
# (Q2 is one SELECT in the shell; the daemon pages it 500 rows at a time by (received_at, id) cursor: that
# difference is part of what is measured.)
newest=$(sqlite3 "file:$db?mode=ro" 'SELECT max(received_at) FROM event')
since_s=$(( newest / 1000000 - 3600 ))
since=$(( since_s * 1000000 ))
since_text=$(date -u -d "@$since_s" +%Y-%m-%dT%H:%M:%SZ)
columns="id, delivery_id, received_at, type, occurred_at, request_id, webhook, payload"
q1="SELECT $columns FROM event WHERE received_at >= $since ORDER BY received_at DESC, id DESC LIMIT 100"
q2="SELECT $columns FROM event ORDER BY received_at ASC, id ASC"
matches=$(sqlite3 "file:$db?mode=ro" "SELECT count(*) FROM event WHERE received_at >= $since")
total=$(sqlite3 "file:$db?mode=ro" "SELECT count(*) FROM event")
[ "$($ctl events --since "$since_text" --limit 100 --output json | grep -c '"id"' || true)" -eq 100 ] || { echo "authyctl did not return 100 events" >&2; exit 1; }

median() { python3 -c 'import json,sys; print("%.4f" % json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["median"])' "$1" "$2"; }
hyperfine -N --style none --warmup 3 --runs "$RUNS" --export-json "$BENCH_TMP/q1.json" \
    "$ctl events --since $since_text --limit 100 --output json" \
    "sqlite3 -json -readonly $db '$q1'" \
    "$ctl --version" > /dev/null
hyperfine --style none --warmup 1 --runs "$EXPORT_RUNS" --export-json "$BENCH_TMP/q2.json" \
    "$ctl events --limit 0 --output jsonl > /dev/null" \
    "sqlite3 -json -readonly $db '$q2' > /dev/null" > /dev/null
q1_ctl=$(median "$BENCH_TMP/q1.json" 0); q1_sql=$(median "$BENCH_TMP/q1.json" 1); ctl_start=$(median "$BENCH_TMP/q1.json" 2)
# The daemon's own part of Q1, without any process start: the same request over the control socket, timed by
# curl from connect to the last byte (median of RUNS).
q1_daemon=$(for _ in $(seq "$RUNS"); do
    curl -s -o /dev/null -w '%{time_total}\n' --unix-socket "$AUTHYCTL_SOCKET" \
        "http://localhost/v1/events?since=$since_text&limit=100"
done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
q2_ctl=$(median "$BENCH_TMP/q2.json" 0); q2_sql=$(median "$BENCH_TMP/q2.json" 1)

# Peak RSS of authyctl during the full export, and of the daemon while serving it.
ctl_rss=$( { /usr/bin/time -f '%M' "$ctl" events --limit 0 --output jsonl > /dev/null; } 2>&1 | tail -1)
daemon_hwm=$(rss_kb "$DAEMON_PID" VmHWM)
stop_daemon

row() { printf '%-52s %12s %14s\n' "$1" "$2" "$3"; }
per_s() { awk -v n="$total" -v t="$1" 'BEGIN { printf "%.0f", n / t }'; }
ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }
row "query ($total events, $matches in the last hour)" 'median ms' 'events/s'
row "authyctl events --since <newest-1h> --limit 100 --output json" "$(ms "$q1_ctl")" -
row "sqlite3 shell, same SQL" "$(ms "$q1_sql")" -
row "  of which the daemon (same request by curl)" "$(ms "$q1_daemon")" -
row "  of which authyctl's start (authyctl --version)" "$(ms "$ctl_start")" -
row "authyctl events --limit 0 --output jsonl" "$(ms "$q2_ctl")" "$(per_s "$q2_ctl")"
row "sqlite3 shell, same rows (-json)" "$(ms "$q2_sql")" "$(per_s "$q2_sql")"
echo "authyctl peak RSS during the export: $ctl_rss kB; daemon peak RSS: $daemon_hwm kB"
echo "machine: $(nproc) cores, $(uname -r), SQLite $(sqlite3 --version | cut -d' ' -f1), $(date -u +%Y-%m-%dT%H:%MZ); runs: $RUNS (Q1), $EXPORT_RUNS (Q2)"
ratio=$(awk -v a="$q1_ctl" -v b="$q1_sql" 'BEGIN { printf "%.2f", a / b }')
target since-1h-limit-100 "$ratio × sqlite3 ($(ms "$q1_ctl") vs $(ms "$q1_sql") ms)" "≤ 1.5 × sqlite3" "$(awk -v r="$ratio" 'BEGIN { print (r <= 1.5) }')"
