#!/usr/bin/env bash
# Forward (issue 14): events/s the release daemon forwards to one [Forward] URL= target, a loopback sink answering
# 204 (bench-bare-server PORT PATH 204: it counts the POSTs and their distinct webhook-id headers), with every state
# change durable (Synchronous=full, the default: the job row written with the event, the claim and each outcome are
# all fsynced commits), and the ingest rate with that target configured against none, in the same run.
#
# Method. Two daemons one after the other, each on a fresh database, under the wrk load of bench/ingest.sh
# (64 connections, 2 threads, DURATION, distinct signed tokens from bench-tokens):
#   1. no [Forward] target: ingest rate (2xx/s) and the daemon's CPU time (utime + stime of /proc/PID/stat) per
#      stored event;
#   2. one URL target (its defaults: Concurrency=4, parallel): the ingest rate again, then, once wrk stops, wait
#      until no job of the target is pending, retrying or in flight (DRAIN_TIMEOUT at most, 85 s by default so that
#      the script stays within 2 minutes; a forwarder that keeps up drains in well under a second, and one that
#      does not is measured long before: raise it to see a slow one finish, and exactly-once checked in full).
# The forwarding figures come from the database's own timestamps, read afterwards (sqlite3, read-only), so sampling
# never loads the run: event.received_at is each event's commit time, forward_job.finished_at its delivery time.
# t0 and t1 are the first and last commit of an event, tN the last delivery.
#   - while ingest runs: deliveries / s in [t0 + 1 s, t1] (the first second, while the daemon warms up, left out),
#     beside the events stored in the same window. A forwarder that keeps up is fed no faster than ingest, so it
#     can only match the ingest rate; one that does not falls behind, and its rate here is its capacity under load.
#   - drain: deliveries after t1 / (tN - t1), the capacity of the forwarder alone once ingest has stopped.
#   - end to end: all deliveries / (tN - t0).
# forward-keeps-up compares the first with the stored rate of the same window, ingest's own rate in that run: the
# ratio is Δdelivered / Δstored, which is 1 less the growth of the backlog over the window. Events still in flight
# at t1 make it a hair under 1 even when the forwarder keeps up, so 1× is reached when the backlog grew by less than
# 1 % of the window's events (about 0.1 s of a 10 s run) — a bounded lag, not a growing one. The CPU per forwarded event is
# the daemon's CPU over run 2 (wrk start to last delivery) less run 1's CPU per stored event times the events
# stored: forwarding's own share. exactly-once: every event got one job, every job is delivered (none pending,
# retrying, in flight or dead), and the sink saw as many requests, with as many distinct webhook-ids, as there are
# events; the attempts are printed beside (a retry would show there).
# Builds the release binaries first (bench_build, incremental); BENCH_NO_BUILD=1 uses those in bench/.build as
# they are.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=2
TOKENS=${TOKENS:-400000}
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-85}     # seconds to wait after wrk for the backlog to drain
CONCURRENCY=${CONCURRENCY:-}            # Concurrency= of the target; empty: the daemon's default (4 for URL=)
SINK_PORT=${SINK_PORT:-$BARE_PORT}
SINK_URL="http://127.0.0.1:$SINK_PORT/sink"

[ "${BENCH_NO_BUILD:-0}" = 1 ] || bench_build
bench_tmp
bodies=$(bodies_file "$TOKENS")
ticks=$(getconf CLK_TCK)

# cpu_ms PID: user + system CPU time of a process so far, in ms (fields 14 and 15 of /proc/PID/stat, after "(comm)").
cpu_ms() { awk -v t="$ticks" '{ sub(/^.*\) /, ""); printf "%d", ($12 + $13) * 1000 / t }' "/proc/$1/stat"; }
q() { sqlite3 "file:$1?mode=ro" "$2"; }
div() { awk -v a="$1" -v b="$2" -v f="${3:-%.2f}" 'BEGIN { printf f, (b > 0 ? a / b : 0) }'; }
open_states="('pending', 'retrying', 'in_flight')"

# 1. No target.
db1=$BENCH_TMP/plain.sqlite3
write_config "$db1"
start_daemon
cpu_a=$(cpu_ms "$DAEMON_PID")
plain=$(run_wrk "$BENCH_URL")
sleep 0.5   # answers cut off by wrk's stop may still commit
cpu_b=$(cpu_ms "$DAEMON_PID")
stored1=$(q "$db1" 'SELECT count(*) FROM event')
stop_daemon

# 2. One URL target, the counting sink behind it.
"$BIN/bench-bare-server" "$SINK_PORT" /sink 204 > "$BENCH_TMP/sink.log" 2>&1 &
sink_pid=$!
bench_track "$sink_pid"
wait_port "$SINK_PORT"
db2=$BENCH_TMP/forward.sqlite3
write_config "$db2"
{
    printf '\n[Forward]\nName=sink\nURL=%s\n' "$SINK_URL"
    [ -z "$CONCURRENCY" ] || printf 'Concurrency=%s\n' "$CONCURRENCY"
} >> "$BENCH_TMP/bench.conf"
start_daemon
cpu_c=$(cpu_ms "$DAEMON_PID")
sink_cpu_a=$(cpu_ms "$sink_pid")
forward=$(run_wrk "$BENCH_URL")
wrk_end=$(date +%s.%N)
open=1
while :; do
    sleep 0.2
    open=$(q "$db2" "SELECT count(*) FROM forward_job WHERE target = 'sink' AND state IN $open_states")
    # A delivery may still be committing when wrk stops: "nothing open" counts once ingest is over (0.5 s).
    if [ "$open" = 0 ] && awk -v s="$wrk_end" -v n="$(date +%s.%N)" 'BEGIN { exit !(n - s >= 0.5) }'; then break; fi
    if awk -v s="$wrk_end" -v n="$(date +%s.%N)" -v t="$DRAIN_TIMEOUT" 'BEGIN { exit !(n - s >= t) }'; then break; fi
done
cpu_d=$(cpu_ms "$DAEMON_PID")
sink_cpu_b=$(cpu_ms "$sink_pid")
rss_end=$(rss_kb "$DAEMON_PID" VmRSS)
stop_daemon   # attempts in flight finish (and are recorded) before it exits: the sink is asked after
sink_counts=$(exec 3<>"/dev/tcp/127.0.0.1/$SINK_PORT"; printf 'GET /sink HTTP/1.1\r\nHost: sink\r\nConnection: close\r\n\r\n' >&3; grep -a '^requests=' <&3)
kill "$sink_pid"; wait "$sink_pid" 2>/dev/null || true

# The run's figures, from the database (times in µs).
IFS='|' read -r stored2 t0 t1 < <(q "$db2" 'SELECT count(*), min(received_at), max(received_at) FROM event')
IFS='|' read -r jobs delivered pending retrying inflight dead attempts_sum tN < <(q "$db2" "
    SELECT count(*), count(*) FILTER (WHERE state = 'delivered'), count(*) FILTER (WHERE state = 'pending'),
           count(*) FILTER (WHERE state = 'retrying'), count(*) FILTER (WHERE state = 'in_flight'),
           count(*) FILTER (WHERE state = 'dead'), coalesce(sum(attempts), 0), coalesce(max(finished_at), 0)
    FROM forward_job WHERE target = 'sink'")
attempt_rows=$(q "$db2" 'SELECT count(*) FROM forward_attempt')
w0=$(( t0 + 1000000 ))
IFS='|' read -r stored_w delivered_w delivered_by_t1 < <(q "$db2" "
    SELECT (SELECT count(*) FROM event WHERE received_at > $w0),
           (SELECT count(*) FROM forward_job WHERE target = 'sink' AND finished_at > $w0 AND finished_at <= $t1),
           (SELECT count(*) FROM forward_job WHERE target = 'sink' AND finished_at <= $t1)")
backlog_t1=$(( stored2 - delivered_by_t1 ))
drained=$(( delivered - delivered_by_t1 ))
left=$(( pending + retrying + inflight ))
secs() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1e6 }'; }
window_s=$(secs $(( t1 - w0 )))
drain_s=$(secs $(( tN > t1 ? tN - t1 : 0 )))
total_s=$(secs $(( tN - t0 )))
fwd_steady=$(div "$delivered_w" "$window_s" %.0f)
stored_steady=$(div "$stored_w" "$window_s" %.0f)
fwd_drain=$(awk -v n="$drained" -v s="$drain_s" 'BEGIN { if (s > 0.05) printf "%.0f", n / s; else print "-" }')
fwd_total=$(div "$delivered" "$total_s" %.0f)
read -r sink_requests sink_distinct < <(sed -E 's/requests=([0-9]+) distinct=([0-9]+).*/\1 \2/' <<< "$sink_counts")

plain_rate=$(rate "$plain"); forward_rate=$(rate "$forward")
cpu1=$(div $(( cpu_b - cpu_a )) "$stored1" %.3f)
cpu2=$(div $(( cpu_d - cpu_c )) "$stored2" %.3f)
cpu_fwd=$(awk -v total=$(( cpu_d - cpu_c )) -v per="$cpu1" -v n="$stored2" -v d="$delivered" \
    'BEGIN { printf "%.3f", (d > 0 ? (total - per * n) / d : 0) }')
sink_cpu=$(div $(( sink_cpu_b - sink_cpu_a )) "$sink_requests" %.3f)

printf '%-30s %10s %8s %8s %8s %8s %8s %9s %12s\n' ingest 'requests/s' 'p50 ms' 'p99 ms' 'max ms' non-2xx 'sock err' stored 'CPU ms/evt'
for row in "no [Forward] target:$plain:$stored1:$cpu1" "one URL target:$forward:$stored2:$cpu2"; do
    IFS=: read -r name r n c <<< "$row"
    printf '%-30s %10s %8s %8s %8s %8s %8s %9s %12s\n' "$name" "$(rate "$r")" "$(ms "$(field p50_us "$r")")" \
        "$(ms "$(field p99_us "$r")")" "$(ms "$(field max_us "$r")")" "$(field status_errors "$r")" \
        "$(field socket_errors "$r")" "$n" "$c"
done
echo
printf '%-30s %10s %8s %8s   %s\n' 'forwarding to the sink' 'events/s' events seconds 'beside'
printf '%-30s %10s %8s %8s   %s\n' 'while ingest runs (t0+1s..t1)' "$fwd_steady" "$delivered_w" "$window_s" "$stored_w events stored meanwhile, $stored_steady/s"
printf '%-30s %10s %8s %8s   %s\n' 'drain after ingest (t1..tN)' "$fwd_drain" "$drained" "$drain_s" \
    "of a backlog of $backlog_t1 at the last commit$( ((left == 0)) || echo ", $left still open after DRAIN_TIMEOUT=${DRAIN_TIMEOUT}s")"
printf '%-30s %10s %8s %8s   %s\n' 'end to end (t0..tN)' "$fwd_total" "$delivered" "$total_s" "first commit to last delivery"
echo
echo "forwarding: $jobs jobs for $stored2 events: $delivered delivered, $pending pending, $retrying retrying, $inflight in flight, $dead dead; $attempts_sum attempts ($attempt_rows attempt rows); sink: $sink_requests requests, $sink_distinct distinct webhook-ids"
echo "CPU: ${cpu2} ms per event with the target (ingest + forwarding), forwarding's share ${cpu_fwd} ms per forwarded event; sink ${sink_cpu} ms per request; daemon RSS at end ${rss_end} kB"
echo "machine: $(nproc) cores, $(uname -r), wrk -t$THREADS -c$CONNECTIONS -d$DURATION, Concurrency=${CONCURRENCY:-default}, $(date -u +%Y-%m-%dT%H:%MZ)"

keeps=$(div "$delivered_w" "$stored_w")
target forward-keeps-up "$keeps × ingest ($fwd_steady vs $stored_steady/s while ingest runs; backlog at the last commit $backlog_t1, $( ((left == 0)) && echo "drained in $drain_s s" || echo "$left left after ${DRAIN_TIMEOUT} s"))" \
    "≥ 1 × the ingest rate of the same run, less 1 % in flight at the cut" \
    "$(awk -v d="$delivered_w" -v s="$stored_w" 'BEGIN { print (s > 0 && d >= 0.99 * s) }')"
ratio=$(div "$forward_rate" "$plain_rate")
target ingest-with-target "$ratio × without ($forward_rate vs $plain_rate/s)" "≥ 0.8 × without" \
    "$(awk -v r="$ratio" 'BEGIN { print (r >= 0.8) }')"
once=$(( jobs == stored2 && delivered == stored2 && pending + retrying + inflight + dead == 0 \
    && sink_requests == stored2 && sink_distinct == stored2 ))
target forwarded-exactly-once "$sink_requests requests, $sink_distinct distinct, $delivered delivered / $stored2 stored; $left open, $dead dead" \
    "each stored event delivered once, nothing open or dead" "$once"
