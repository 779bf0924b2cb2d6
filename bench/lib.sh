# Shared helpers of the bench scripts (sourced, not run). Paths, builds, a daemon on a temp config, readiness.
# shellcheck shell=bash

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN=${BENCH_BIN:-$BENCH_DIR/.build/release}
DAEMON_BIN=${DAEMON_BIN:-$BIN/authy-webhooksd}
SEED_BIN=$BENCH_DIR/seed/.build/release/bench-seed
# Cached inputs (token files, the 1M-event database) live here between runs; every run gets its own temp dir.
BENCH_CACHE=${BENCH_CACHE:-/var/tmp/authy-webhooksd-bench}
BENCH_KEY=WSK_bench_signing_key_not_secret
DAEMON_PORT=${DAEMON_PORT:-28180}
BARE_PORT=${BARE_PORT:-28191}
BENCH_URL="http://127.0.0.1:$DAEMON_PORT/authy/webhook"
mkdir -p "$BENCH_CACHE"

# Builds (incrementally) every release binary the benchmarks run, linked like `make install` does
# (--static-swift-stdlib): one build folder, bench/.build (and bench/seed/.build for the seeder).
bench_build() {
    local product missing=()
    # The load generator, the timer and the SQL shell the figures are compared with, from Debian.
    command -v wrk >/dev/null || missing+=(wrk)
    command -v hyperfine >/dev/null || missing+=(hyperfine)
    command -v sqlite3 >/dev/null || missing+=(sqlite3)
    command -v python3 >/dev/null || missing+=(python3)
    if ((${#missing[@]})); then
        echo "installing ${missing[*]}" >&2
        apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    # The same flags as `make release` (Makefile), so the figures are those of the installed binaries.
    local exports
    exports=$(cd "$BENCH_DIR/../packaging" && pwd)/release-exports.map
    # SwiftPM keeps its build plan when a file is added to the root package (a path dependency here), and then
    # fails with "cannot find 'X' in scope". A changed list of the root package's files drops the plan, not the
    # compiled objects: about 2 minutes, where deleting workspace-state.json costs a 10-minute full rebuild.
    local sources_list="$BENCH_DIR/.build/root-sources.txt" sources
    sources=$(cd "$BENCH_DIR/.." && find Sources Migrations -type f | sort)
    if [[ -f $sources_list && $sources != "$(cat "$sources_list")" ]]; then
        rm -f "$BENCH_DIR/.build/release.yaml" "$BENCH_DIR/.build/release/description.json"
    fi
    for product in authy-webhooksd authyctl bench-bare-server bench-tokens; do
        swift build -c release -j 2 --static-swift-stdlib -Xlinker --version-script="$exports" \
            --package-path "$BENCH_DIR" --product "$product" >&2 || return 1
    done
    echo "$sources" > "$sources_list"
    swift build -c release -j 2 --static-swift-stdlib --package-path "$BENCH_DIR/seed" --product bench-seed >&2
}

# bench_tmp: a per-run temp dir, removed on exit (with whatever processes bench_track recorded).
BENCH_PIDS=()
bench_tmp() {
    BENCH_TMP=$(mktemp -d /tmp/authy-bench.XXXXXX)
    trap 'bench_cleanup' EXIT
}
bench_track() { BENCH_PIDS+=("$1"); }
bench_cleanup() {
    local pid
    for pid in "${BENCH_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${BENCH_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$BENCH_TMP"
}

# write_config DB_PATH: a daemon configuration in $BENCH_TMP with the default durability (Synchronous=full).
write_config() {
    cat > "$BENCH_TMP/bench.conf" <<CONF
[Receiver]
Listen=127.0.0.1:$DAEMON_PORT
PublicURL=$BENCH_URL

[Store]
Database=$1

[Control]
Socket=$BENCH_TMP/control.sock

[Log]
Level=info

[Webhook]
Name=bench
SigningKey=$BENCH_KEY
CONF
    chmod 600 "$BENCH_TMP/bench.conf"
}

# start_daemon: runs the release daemon on $BENCH_TMP/bench.conf (stderr to $BENCH_TMP/daemon.log), waits for
# READY=1 on a NOTIFY_SOCKET, sets DAEMON_PID and READY_MS (exec to READY=1).
start_daemon() {
    local line
    line=$(python3 "$BENCH_DIR/notify_start.py" "$BENCH_TMP/notify.sock" "$BENCH_TMP/daemon.log" \
        "$DAEMON_BIN" --config "$BENCH_TMP/bench.conf")
    DAEMON_PID=${line%% *}
    READY_MS=${line##* }
    bench_track "$DAEMON_PID"
}

# stop_daemon: SIGTERM and wait (the store checkpoints and closes).
stop_daemon() {
    kill -TERM "$DAEMON_PID" 2>/dev/null || true
    while kill -0 "$DAEMON_PID" 2>/dev/null; do sleep 0.05; done
}

# rss_kb PID FIELD: VmRSS or VmHWM of a process, in kB.
rss_kb() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }

# wait_port PORT: until something accepts TCP connections on 127.0.0.1:PORT (5 s).
wait_port() {
    local i
    for i in $(seq 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        sleep 0.05
    done
    echo "nothing listens on port $1" >&2
    return 1
}

# bodies_file COUNT: COUNT distinct signed delivery bodies for $BENCH_URL, made once and cached.
bodies_file() {
    local file="$BENCH_CACHE/bodies-$1-$DAEMON_PORT.txt"
    if [ ! -s "$file" ]; then
        "$BIN/bench-tokens" "$1" "$BENCH_KEY" "$BENCH_URL" > "$file.tmp"
        mv "$file.tmp" "$file"
    fi
    echo "$file"
}

# seeded_db COUNT: a database with COUNT events spread over 30 days ending at seeding time, made once and cached
# (bench/seed). A copy is used per run so the daemon's writes never change the cached file.
seeded_db() {
    local file="$BENCH_CACHE/events-$1.sqlite3"
    if [ ! -s "$file" ]; then
        rm -f "$file" "$file-wal" "$file-shm"
        "$SEED_BIN" "$file.tmp" "$1" 30 >&2
        mv "$file.tmp" "$file"
    fi
    echo "$file"
}

# run_wrk URL: one closed-loop wrk run of the signed bodies in $bodies (bodies_file), with $THREADS threads,
# $CONNECTIONS connections for $DURATION; prints cycle.lua's RESULT line.
run_wrk() {
    BENCH_BODIES=$bodies BENCH_THREADS=$THREADS wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$BENCH_DIR/cycle.lua" "$1" \
        | grep '^RESULT'
}

# field NAME RESULT: one number of a RESULT line (requests=, duration_us=, p50_us=…).
field() { sed -E "s/.* $1=([0-9]+).*/\1/" <<< "$2"; }

# rate RESULT: requests per second of a RESULT line.
rate() { awk -v r="$(field requests "$1")" -v d="$(field duration_us "$1")" 'BEGIN { printf "%.0f", r / (d / 1e6) }'; }

# ms MICROSECONDS: the same in milliseconds, two decimals.
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }

# target NAME VALUE GOAL OK: the closing line of every script.
target() {
    printf 'target %s: %s (goal %s) %s\n' "$1" "$2" "$3" "$([ "$4" = 1 ] && echo ok || echo MISSED)"
}
