#!/usr/bin/env bash
# Where the disk's share of the latency goes: bench/latency.sh's load (1,000 deliveries/s for 10 s, open loop)
# against the release daemon while bpftrace (Debian's package, installed when missing) times every fsync and
# fdatasync the daemon makes and counts the bytes it writes, per file. Not a target of its own: a diagnostic, for
# telling the commits' own syncs (the WAL, on the writer's connection) from the background checkpoints' (the
# database file, on the checkpointer's). Needs root, like bpftrace.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

RATE=${RATE:-1000}
SECONDS_=${SECONDS_:-10}
command -v bpftrace >/dev/null || {
    echo "installing bpftrace" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bpftrace >/dev/null
}
bench_tmp
bodies=$(bodies_file 400000)
write_config "$BENCH_TMP/trace.sqlite3"
start_daemon

cat > "$BENCH_TMP/fsync.bt" <<'BT'
tracepoint:syscalls:sys_enter_fdatasync,tracepoint:syscalls:sys_enter_fsync /pid == $1/ {
    @started[tid] = nsecs; @file[tid] = args->fd;
}
tracepoint:syscalls:sys_exit_fdatasync,tracepoint:syscalls:sys_exit_fsync /pid == $1 && @started[tid]/ {
    $us = (nsecs - @started[tid]) / 1000;
    @sync_us[@file[tid]] = hist($us); @syncs[@file[tid]] = count(); @sync_total_us[@file[tid]] = sum($us);
    @sync_max_us[@file[tid]] = max($us);
    delete(@started[tid]); delete(@file[tid]);
}
tracepoint:syscalls:sys_enter_pwrite64 /pid == $1/ { @written_bytes[args->fd] = sum(args->count); }
BT
bpftrace "$BENCH_TMP/fsync.bt" "$DAEMON_PID" > "$BENCH_TMP/trace.txt" 2>&1 &
tracer=$!
# bpftrace attaches in about a second; start the load once it has.
for _ in $(seq 100); do grep -q '^Attaching' "$BENCH_TMP/trace.txt" && break; sleep 0.1; done
sleep 0.5
result=$(python3 "$BENCH_DIR/openloop.py" "$BENCH_URL" "$bodies" "$RATE" "$SECONDS_" | grep '^RESULT')
# Which file each descriptor is, before the daemon closes them.
files=$(for fd in /proc/"$DAEMON_PID"/fd/*; do printf '%s %s\n' "${fd##*/}" "$(readlink "$fd")"; done)
kill -INT "$tracer"; wait "$tracer" || true
stop_daemon

echo "load: $result"
echo "files (descriptor: path). The writer opens the database first, so the lowest descriptors are its own: its WAL"
echo "fsyncs are the commits'; the checkpointer's database fsyncs are the background checkpoints' (in microseconds):"
grep -E 'sqlite3' <<< "$files" | sed "s#$BENCH_TMP/##" | sed 's/^/  /'
sed -n '/^@sync/,$p' "$BENCH_TMP/trace.txt" | grep -v '^$'
echo "machine: $(nproc) cores, $(uname -r), $(date -u +%Y-%m-%dT%H:%MZ)"
