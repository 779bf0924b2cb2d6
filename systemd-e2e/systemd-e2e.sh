#!/usr/bin/env bash
# End-to-end test of authy-webhooksd under a real systemd: boots a minimal Debian 12 in systemd-nspawn, installs
# the package into it with scripts/install.sh, and checks what a user of the service sees: start, readiness,
# deliveries stored and listed by authyctl, journal fields, reload with a new key, restart, crash recovery,
# watchdog, access control of the control socket, and a clean stop.
#
# Run alone (as root; installs debootstrap/systemd-container/curl/python3 when missing):
#     systemd-e2e/systemd-e2e.sh                     # builds release binaries into .build-release first
#     BIN_DIR=.build-release/release systemd-e2e/systemd-e2e.sh   # use binaries built before
#     BIN_DIR=.build/debug systemd-e2e/systemd-e2e.sh   # a debug build (CI): the Swift runtime is bound in read-only
# Prints `ok - …`/`not ok - …` per check and ends with `N passed, N failed`; exits 1 if any check failed.
# The pristine root file system is cached in .cache/e2e-rootfs (git-ignored; delete it to rebuild) and copied for
# every run, so each run starts clean. E2E_KEEP=1 leaves the container running and its directory in place.
# Networking: the container gets --private-network (only its own loopback), so the test's HTTP traffic never
# leaves this machine; the host POSTs into the container's network namespace with `nsenter -n curl`.
# `cond && ok … || not_ok …` is safe here: ok never fails.
# shellcheck disable=SC2015
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache_dir="$repo/.cache/e2e-rootfs"
suite=bookworm
# systemd-sysv makes systemd PID 1; dbus for systemctl; libsqlite3-0 for the store; procps for /bin/kill (ExecReload=)
# and ps. libsystemd0 comes with systemd.
include=systemd,systemd-sysv,dbus,libsqlite3-0,procps
port=8080
hook_path=/authy/webhook
socket=/run/authy-webhooksd/control.sock
key_first=WSK_e2e_first_webhook_signing_key_0001
key_second=WSK_e2e_second_webhook_signing_key_0002
key_unknown=WSK_e2e_key_nobody_configured_9999

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }
note() { echo "# $*"; }
# Prints a file (or stdin) indented under a failed check.
show() { sed -e 's/^/    /' "$@" | head -n 40; }
die() { echo "systemd-e2e: $*" >&2; echo "$passed passed, $((failed + 1)) failed"; exit 1; }

[[ $(id -u) == 0 ]] || die "must run as root (debootstrap, systemd-nspawn, nsenter)"

# ---------------------------------------------------------------------------------------------------------------
# Host tools. CI starts on a fresh machine: one apt-get update, then install what is missing.
missing=()
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v systemd-nspawn >/dev/null || missing+=(systemd-container)
command -v nsenter >/dev/null || missing+=(util-linux)
command -v curl >/dev/null || missing+=(curl)
command -v python3 >/dev/null || missing+=(python3-minimal)
if ((${#missing[@]})); then
    note "installing ${missing[*]}"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
        || die "could not install ${missing[*]}"
fi

# The Debian mirror apt already uses (deb822 .sources or one-line sources.list), else deb.debian.org.
debian_mirror() {
    local file uri
    for file in /etc/apt/sources.list.d/*.sources; do
        [[ -f $file ]] || continue
        uri=$(awk -v suite="$suite" '
            BEGIN { RS = ""; FS = "\n" }
            {
                uris = ""; suites = ""; types = ""
                for (i = 1; i <= NF; i++) {
                    if ($i ~ /^URIs:/) uris = substr($i, 6)
                    if ($i ~ /^Suites:/) suites = " " substr($i, 8) " "
                    if ($i ~ /^Types:/) types = $i
                }
                if (types ~ /deb( |$)/ && suites ~ (" " suite " ")) { split(uris, u, " "); print u[1]; exit }
            }' "$file")
        [[ -n $uri ]] && { echo "$uri"; return; }
    done
    for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ -f $file ]] || continue
        uri=$(awk -v suite="$suite" '$1 == "deb" { for (i = 2; i < NF; i++) if ($i !~ /^\[/ && $i ~ /:\/\// && $(i + 1) == suite) { print $i; exit } }' "$file")
        [[ -n $uri ]] && { echo "$uri"; return; }
    done
    echo http://deb.debian.org/debian
}

# ---------------------------------------------------------------------------------------------------------------
# The pristine root file system, cached as a tarball whose name carries the package list.
cache_key=$(printf '%s %s minbase' "$suite" "$include" | sha256sum | cut -c1-12)
rootfs_tar="$cache_dir/$suite-minbase-$cache_key.tar"
if [[ ! -f $rootfs_tar ]]; then
    mirror=$(debian_mirror)
    note "building the $suite root file system with debootstrap from $mirror (cached in $cache_dir)"
    mkdir -p "$cache_dir"
    staging=$(mktemp -d "$cache_dir/.debootstrap.XXXXXX")
    if ! debootstrap --variant=minbase --include="$include" "$suite" "$staging/root" "$mirror" >"$staging/log" 2>&1; then
        tail -n 20 "$staging/log" >&2
        rm -rf "$staging"
        die "debootstrap failed"
    fi
    # Nothing in the cache is machine-specific: systemd generates the machine ID at first boot.
    : >"$staging/root/etc/machine-id"
    tar --numeric-owner -C "$staging/root" -cf "$staging/rootfs.tar" . && mv "$staging/rootfs.tar" "$rootfs_tar"
    rm -rf "$staging"
    [[ -f $rootfs_tar ]] || die "could not write $rootfs_tar"
fi

# ---------------------------------------------------------------------------------------------------------------
# The binaries under test.
if [[ -z ${BIN_DIR:-} ]]; then
    note "building release binaries in .build-release"
    "$repo/scripts/build-release.sh" "$repo/.build-release" >/dev/null || die "scripts/build-release.sh failed"
    BIN_DIR="$repo/.build-release/release"
fi
BIN_DIR=$(cd "$BIN_DIR" && pwd) || die "BIN_DIR does not exist"
for binary in authy-webhooksd authyctl; do
    [[ -x $BIN_DIR/$binary ]] || die "$BIN_DIR/$binary missing"
done
# Binaries linked against the toolchain's Swift runtime (a debug build, as scripts/test.sh passes to save CI a
# second, release build) find it at the same path inside the container: that folder is bound in read-only.
# The shipped binaries are static (scripts/install.sh, make release) and need nothing bound.
runtime_bind=()
swift_runtime=$(ldd "$BIN_DIR/authy-webhooksd" 2>/dev/null | awk '/libswiftCore\.so/ { print $3 }')
if [[ -n $swift_runtime ]]; then
    swift_runtime=$(dirname "$swift_runtime")
    runtime_bind=(--bind-ro="$swift_runtime")
    note "binaries use the Swift runtime in $swift_runtime: bound read-only into the container"
fi

# ---------------------------------------------------------------------------------------------------------------
# A fresh copy of the root file system, the package installed into it, and teardown whatever happens.
work=$(mktemp -d /var/tmp/authy-e2e.XXXXXX)
root="$work/root"
run_id=
nspawn_pid=
container_pid=
teardown() {
    if [[ ${E2E_KEEP:-0} == 1 ]]; then
        note "kept: container init PID $container_pid (nsenter -t $container_pid -a bash), directory $work"
        return
    fi
    if [[ -n $nspawn_pid ]] && kill -0 "$nspawn_pid" 2>/dev/null; then
        # One SIGTERM asks nspawn to shut the container down cleanly; a second one ends it at once.
        kill -TERM "$nspawn_pid" 2>/dev/null
        for _ in $(seq 1 100); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 0.1; done
        kill -TERM "$nspawn_pid" 2>/dev/null
        for _ in $(seq 1 30); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$nspawn_pid" 2>/dev/null
        wait "$nspawn_pid" 2>/dev/null
    fi
    # If nspawn died without taking the container along, killing its PID 1 ends every process inside. Only if
    # that PID is still ours: a systemd that sees this run's marker file.
    if [[ -n $container_pid && $(cat "/proc/$container_pid/comm" 2>/dev/null) == systemd \
        && $(cat "/proc/$container_pid/root/etc/authy-e2e-run" 2>/dev/null) == "$run_id" ]]; then
        kill -KILL "$container_pid" 2>/dev/null
        sleep 0.5
    fi
    rm -rf "$work"
}
trap teardown EXIT
trap 'exit 130' INT TERM

mkdir -p "$root"
tar --numeric-owner -C "$root" -xpf "$rootfs_tar" || die "could not unpack $rootfs_tar"
run_id="$$-$(basename "$work")"
echo "$run_id" >"$root/etc/authy-e2e-run"
DESTDIR="$root" PREFIX=/usr BIN_DIR="$BIN_DIR" "$repo/scripts/install.sh" >"$work/install.log" 2>&1 \
    && ok "scripts/install.sh installs the package into the root file system" \
    || { not_ok "scripts/install.sh installs the package into the root file system"; show "$work/install.log"; }
missing_pages=""
for page in man1/authyctl.1 man5/authy-webhooksd.conf.5 man8/authy-webhooksd.8; do
    gzip -t "$root/usr/share/man/$page.gz" 2>/dev/null || missing_pages+=" $page"
done
[[ -z $missing_pages ]] && ok "the manual pages are installed under /usr/share/man" \
    || not_ok "the manual pages are installed under /usr/share/man (missing:$missing_pages)"

# A throwaway Type=notify unit: proves the container's systemd honours READY=1 before the daemon is involved.
# systemd-notify is the main process itself, so its message is attributed to the unit without a race.
cat >"$root/etc/systemd/system/e2e-notify-smoke.service" <<'EOF'
[Service]
Type=notify
NotifyAccess=main
ExecStart=/usr/bin/systemd-notify --ready --status=smoke-ready
RemainAfterExit=yes
EOF

# ---------------------------------------------------------------------------------------------------------------
# Boot.
systemd-nspawn -D "$root" --register=no --keep-unit -b --console=pipe --private-network "${runtime_bind[@]}" \
    --machine="authy-e2e-$$" </dev/null >"$work/console.log" 2>&1 &
nspawn_pid=$!
# The container's PID 1 is the child of nspawn running systemd (nspawn forks helpers first, so check the name).
for _ in $(seq 1 100); do
    for child in $(pgrep -P "$nspawn_pid"); do
        [[ $(cat "/proc/$child/comm" 2>/dev/null) == systemd ]] && container_pid=$child
    done
    [[ -n $container_pid ]] && break
    sleep 0.1
done
[[ -n $container_pid ]] || { show "$work/console.log"; die "the container did not start"; }

# Runs a command inside the container with a clean environment (the host's PATH and locale mean nothing there).
ct() { nsenter -t "$container_pid" -a env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
# The container's files, sockets included, from the host.
croot="/proc/$container_pid/root"

# systemctl cannot connect until PID 1 has set up its private socket, so ask again until it answers (30 s).
state=
for _ in $(seq 1 300); do
    state=$(timeout 30 nsenter -t "$container_pid" -a systemctl is-system-running --wait 2>/dev/null)
    [[ -n $state && $state != offline ]] && break
    sleep 0.1
done
if [[ $state == running || $state == degraded ]]; then
    ok "the container boots systemd ($state)"
    [[ $state == degraded ]] && ct systemctl --failed --no-legend | show
else
    not_ok "the container boots systemd (state: ${state:-none})"
    show "$work/console.log"
    echo "$passed passed, $failed failed"
    exit 1
fi

if ct timeout 30 systemctl start e2e-notify-smoke.service >"$work/smoke.log" 2>&1 \
    && [[ $(ct systemctl is-active e2e-notify-smoke.service) == active ]]; then
    ok "a throwaway Type=notify unit becomes active on READY=1"
else
    not_ok "a throwaway Type=notify unit becomes active on READY=1"
    show "$work/smoke.log"
fi

# ---------------------------------------------------------------------------------------------------------------
# What a package's postinst does, then the test's configuration.
if ct systemd-sysusers >"$work/sysusers.log" 2>&1 && ct getent group authy-webhooks >/dev/null \
    && ct getent passwd authy-webhooks >/dev/null; then
    ok "systemd-sysusers creates user and group authy-webhooks"
else
    not_ok "systemd-sysusers creates user and group authy-webhooks"
    show "$work/sysusers.log"
fi
if ct systemd-tmpfiles --create >"$work/tmpfiles.log" 2>&1 \
    && [[ $(ct stat -c '%a %U' /etc/authy-webhooksd/credentials) == "700 root" ]]; then
    ok "systemd-tmpfiles creates /etc/authy-webhooksd/credentials (0700 root)"
else
    not_ok "systemd-tmpfiles creates /etc/authy-webhooksd/credentials (0700 root)"
    show "$work/tmpfiles.log"
fi

ct journalctl --update-catalog >/dev/null 2>&1
ct chown authy-webhooks:authy-webhooks /etc/authy-webhooksd.conf
if ct runuser -u authy-webhooks -- authy-webhooksd --check-config --config /etc/authy-webhooksd.conf \
    >"$work/check-config.log" 2>&1; then
    ok "the installed reference config passes authy-webhooksd --check-config (as the service user)"
else
    not_ok "the installed reference config passes authy-webhooksd --check-config (as the service user)"
    show "$work/check-config.log"
fi

cat >"$croot/etc/authy-webhooksd.conf" <<EOF
# Written by systemd-e2e/systemd-e2e.sh
[Receiver]
Listen=127.0.0.1:$port
Path=$hook_path

[Store]
Database=/var/lib/authy-webhooksd/authy-webhooksd.sqlite3

[Control]
Socket=$socket
SocketMode=0660
SocketGroup=authy-webhooks

[Log]
Level=info

[Webhook]
Name=e2e-first
SigningKey=$key_first
EOF
ct chown authy-webhooks:authy-webhooks /etc/authy-webhooksd.conf
ct chmod 0600 /etc/authy-webhooksd.conf
ct systemctl daemon-reload
# Authy API keys as an operator installs them: credentials PID 1 hands to the service (never used for a call here;
# the stop checks they, like the signing keys, never reach the journal).
api_keys=(e2e-app-api-key-5150 e2e-access-key-6160 e2e-api-signing-key-7170)
for pair in "authy-app-api-key:${api_keys[0]}" "authy-access-key:${api_keys[1]}" "authy-api-signing-key:${api_keys[2]}"; do
    printf '%s\n' "${pair#*:}" >"$root/etc/authy-webhooksd/credentials/${pair%%:*}"
done

# ---------------------------------------------------------------------------------------------------------------
# Helpers for the daemon.
main_pid() { ct systemctl show -p MainPID --value authy-webhooksd; }
is_active() { ct systemctl is-active authy-webhooksd 2>/dev/null; }
journal_tail() { ct journalctl -u authy-webhooksd --no-pager -n "${1:-30}" -o short-monotonic; }

# An HS256 JWT as Authy would send it, for one user_added event with request id $2, signed with key $1.
mint() {
    python3 - "$1" "$2" "$port" "$hook_path" <<'EOF'
import base64, hashlib, hmac, json, sys, time
key, request_id, port, path = sys.argv[1:5]
def b64(data): return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
now = int(time.time())
header = {"alg": "HS256", "typ": "JWT"}
claims = {"url": f"http://127.0.0.1:{port}{path}",
          "params": {"events": [{"event": "user_added",
                                 "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
                                 "request": {"id": request_id}}]},
          "iat": now}
signing_input = b64(json.dumps(header, separators=(",", ":")).encode()) + "." + \
    b64(json.dumps(claims, separators=(",", ":")).encode())
signature = hmac.new(key.encode(), signing_input.encode(), hashlib.sha256).digest()
print(signing_input + "." + b64(signature))
EOF
}

# POSTs a delivery into the container's loopback; prints the HTTP status (000 when nothing answered).
post() {
    local token
    token=$(mint "$1" "$2")
    nsenter -t "$container_pid" -n curl -s -o "$work/post-$2.body" -w '%{http_code}' --max-time 10 \
        -H 'Content-Type: application/json' --data "{\"body\":\"$token\"}" "http://127.0.0.1:$port$hook_path"
}

acknowledged=()
# Sends deliveries with key $1 and request ids $2…; every one must get a 2xx, which makes it "acknowledged".
# Not to be called in $(…): it records the acknowledged ids in this shell. Problems go to $work/deliver.log.
deliver() {
    local key=$1 status request_id bad=()
    shift
    for request_id in "$@"; do
        status=$(post "$key" "$request_id")
        if [[ $status == 2?? ]]; then
            acknowledged+=("$request_id")
        else
            bad+=("$request_id:$status")
        fi
    done
    if ((${#bad[@]})); then
        {
            echo "not acknowledged: ${bad[*]}"
            for request_id in "${bad[@]}"; do cat "$work/post-${request_id%%:*}.body" 2>/dev/null; echo; done
        } >"$work/deliver.log"
        return 1
    fi
}

# Lists stored events as authyctl sees them; checks that every id in $@ is among their request ids.
events_list() { ct authyctl events --since -5m --output json >"$work/events.json" 2>"$work/events.err"; }
lists_all() {
    events_list || { echo "authyctl exited $?"; cat "$work/events.err"; return 1; }
    python3 - "$work/events.json" "$@" <<'EOF'
import json, sys
try:
    events = json.load(open(sys.argv[1]))
except ValueError as error:
    sys.exit(f"authyctl --output json did not print JSON: {error}")
if not isinstance(events, list):
    sys.exit("authyctl --output json did not print a JSON array")
seen = [e.get("request_id") for e in events if isinstance(e, dict)]
missing = [r for r in sys.argv[2:] if r not in seen]
duplicates = sorted({r for r in seen if r is not None and seen.count(r) > 1})
if missing:
    sys.exit(f"missing request ids: {missing} (listed: {seen})")
if duplicates:
    sys.exit(f"listed more than once: {duplicates}")
EOF
}

wait_active() {
    # Until systemd says active with a main PID other than $1 (empty: any), up to 20 s.
    local pid
    for _ in $(seq 1 200); do
        pid=$(main_pid)
        if [[ $(is_active) == active && $pid != 0 && $pid != "${1:-}" ]]; then return 0; fi
        sleep 0.1
    done
    return 1
}

# ---------------------------------------------------------------------------------------------------------------
# Enable and start. Enabling also keeps the unit loaded while it is stopped, so the exit status of its main
# process can still be read after `systemctl stop` (an unreferenced inactive unit is unloaded and forgets it).
if ct systemctl enable authy-webhooksd >"$work/enable.log" 2>&1 \
    && [[ $(ct systemctl is-enabled authy-webhooksd) == enabled ]]; then
    ok "systemctl enable authy-webhooksd (WantedBy=multi-user.target)"
else
    not_ok "systemctl enable authy-webhooksd"; show "$work/enable.log"
fi
if ct timeout 60 systemctl start authy-webhooksd >"$work/start.log" 2>&1 && [[ $(is_active) == active ]]; then
    ok "systemctl start authy-webhooksd succeeds and is-active says active"
else
    not_ok "systemctl start authy-webhooksd succeeds and is-active says active ($(is_active))"
    show "$work/start.log"
    journal_tail 40 | show
fi
pid=$(main_pid)
user=$(ct ps -o user= -p "$pid" 2>/dev/null | tr -d ' ')
[[ $user == authy-webhooks ]] && ok "the daemon runs as user authy-webhooks" \
    || not_ok "the daemon runs as user authy-webhooks (MainPID $pid runs as '${user:-?}')"
status_text=$(ct systemctl show -p StatusText --value authy-webhooksd)
[[ -n $status_text ]] && ok "systemctl status shows the daemon's STATUS= line: $status_text" \
    || not_ok "systemctl status shows the daemon's STATUS= line (StatusText is empty)"
socket_mode=$(ct stat -c '%a %G %F' "$socket" 2>&1)
[[ $socket_mode == "660 authy-webhooks socket" ]] && ok "control socket is mode 0660, group authy-webhooks" \
    || not_ok "control socket is mode 0660, group authy-webhooks (got: $socket_mode)"
# The level the writer's connection runs with, not the configured one (GRDB once reset it to NORMAL unseen).
durability=$(ct authyctl status --output json 2>&1 | python3 -c 'import json,sys; print(json.load(sys.stdin).get("durability"))' 2>&1)
[[ $durability == full ]] && ok "authyctl status reports the commits' durability: full (fsync per commit)" \
    || not_ok "authyctl status reports the commits' durability: full (got: $durability)"

# ---------------------------------------------------------------------------------------------------------------
# Deliveries.
if deliver "$key_first" req_1 req_2 req_3 req_4 req_5; then
    ok "5 signed deliveries are acknowledged with 2xx"
else
    not_ok "5 signed deliveries are acknowledged with 2xx"; show "$work/deliver.log"
fi
status=$(post "$key_unknown" req_forged)
[[ $status == 401 ]] && ok "a delivery signed with an unknown key is refused (401)" \
    || not_ok "a delivery signed with an unknown key is refused (got HTTP $status)"

if out=$(lists_all "${acknowledged[@]}" 2>&1); then
    ok "authyctl events --since -5m --output json lists every acknowledged delivery"
else
    not_ok "authyctl events --since -5m --output json lists every acknowledged delivery"; echo "$out" | show
fi
if python3 -c 'import json,sys; sys.exit(any(e.get("request_id") == "req_forged" for e in json.load(open(sys.argv[1]))))' \
    "$work/events.json" 2>/dev/null; then
    ok "the refused delivery is not stored"
else
    not_ok "the refused delivery is not stored (or the list could not be read)"
fi

# journald: the daemon logs with EVENT_TYPE= when stderr is the journal. Entries reach the journal asynchronously.
journal_count() {
    ct journalctl -u authy-webhooksd --no-pager -o json "$@" 2>/dev/null | grep -c '^{'
}
count=0
for _ in $(seq 1 50); do
    count=$(journal_count EVENT_TYPE=user_added)
    ((count >= ${#acknowledged[@]})) && break
    sleep 0.1
done
if ((count >= ${#acknowledged[@]} && ${#acknowledged[@]} > 0)); then
    ok "journalctl -u authy-webhooksd EVENT_TYPE=user_added finds the deliveries ($count entries)"
else
    not_ok "journalctl -u authy-webhooksd EVENT_TYPE=user_added finds the deliveries ($count entries for ${#acknowledged[@]})"
    journal_tail 15 | show
fi
fields=$(ct journalctl -u authy-webhooksd --no-pager -o verbose EVENT_TYPE=user_added -n 1 2>/dev/null)
missing_fields=()
for field in DELIVERY_ID WEBHOOK VERIFY_RESULT REMOTE_ADDR MESSAGE_ID SYSLOG_IDENTIFIER=authy-webhooksd CODE_FILE; do
    grep -q "^ *$field" <<<"$fields" || missing_fields+=("$field")
done
((${#missing_fields[@]} == 0)) && ok "a delivery's journal entry carries DELIVERY_ID, WEBHOOK, VERIFY_RESULT, REMOTE_ADDR, MESSAGE_ID, CODE_FILE" \
    || { not_ok "a delivery's journal entry carries its fields (missing: ${missing_fields[*]})"; show <<<"$fields"; }
started=$(journal_count MESSAGE_ID=b0bce730893d46368b837b5c1984f17c)
((started >= 1)) && ok "the start is logged with the 'started' MESSAGE_ID" \
    || not_ok "the start is logged with the 'started' MESSAGE_ID (b0bce730893d46368b837b5c1984f17c)"

# ---------------------------------------------------------------------------------------------------------------
# Reload: a second webhook key in a drop-in.
ct mkdir -p /etc/authy-webhooksd.conf.d
cat >"$croot/etc/authy-webhooksd.conf.d/50-e2e-second.conf" <<EOF
[Webhook]
Name=e2e-second
SigningKey=$key_second
EOF
ct chown authy-webhooks:authy-webhooks /etc/authy-webhooksd.conf.d/50-e2e-second.conf
ct chmod 0600 /etc/authy-webhooksd.conf.d/50-e2e-second.conf
pid_before=$(main_pid)
if ct timeout 30 systemctl reload authy-webhooksd >"$work/reload.log" 2>&1 && [[ $(is_active) == active ]] \
    && [[ $(main_pid) == "$pid_before" ]]; then
    ok "systemctl reload succeeds and the daemon keeps running (same MainPID)"
else
    not_ok "systemctl reload succeeds and the daemon keeps running ($(is_active), MainPID $pid_before -> $(main_pid))"
    show "$work/reload.log"; journal_tail 15 | show
fi
if ! deliver "$key_second" req_6; then
    not_ok "after the reload a delivery signed with the new key is accepted"; show "$work/deliver.log"
elif ! out=$(lists_all req_6 2>&1); then
    not_ok "after the reload a delivery signed with the new key is listed"; echo "$out" | show
else
    ok "after the reload a delivery signed with the new key is accepted and listed"
fi
reloaded=$(journal_count MESSAGE_ID=a7cc9c2c2fe24caaba11ce06a36808e4)
((reloaded >= 1)) && ok "the reload is logged with the 'configReloaded' MESSAGE_ID" \
    || not_ok "the reload is logged with the 'configReloaded' MESSAGE_ID (a7cc9c2c2fe24caaba11ce06a36808e4)"

# ---------------------------------------------------------------------------------------------------------------
# Restart keeps every event.
pid_before=$(main_pid)
if ct timeout 60 systemctl restart authy-webhooksd >"$work/restart.log" 2>&1 && wait_active "$pid_before" \
    && out=$(lists_all "${acknowledged[@]}" 2>&1); then
    ok "systemctl restart keeps every acknowledged event (${#acknowledged[@]})"
else
    not_ok "systemctl restart keeps every acknowledged event"; show "$work/restart.log"; echo "${out:-}" | show
fi

# kill -9: systemd restarts it (Restart=on-failure) and nothing acknowledged is lost.
deliver "$key_first" req_7 req_8 || note "$(head -n 1 "$work/deliver.log")"
pid_before=$(main_pid)
restarts_before=$(ct systemctl show -p NRestarts --value authy-webhooksd)
# Guarded: `kill -9 0` would kill this script's own process group.
if [[ $pid_before =~ ^[1-9][0-9]*$ ]] && ct kill -9 "$pid_before" && wait_active "$pid_before"; then
    restarts=$(ct systemctl show -p NRestarts --value authy-webhooksd)
    if ((restarts > restarts_before)); then
        ok "after kill -9 systemd restarts the daemon (NRestarts $restarts_before -> $restarts)"
    else
        not_ok "after kill -9 systemd restarts the daemon (NRestarts stayed $restarts)"
    fi
else
    not_ok "after kill -9 systemd restarts the daemon ($(is_active))"; journal_tail 15 | show
fi
if out=$(lists_all "${acknowledged[@]}" 2>&1); then
    ok "after the crash every acknowledged delivery is still listed (${#acknowledged[@]})"
else
    not_ok "after the crash every acknowledged delivery is still listed"; echo "$out" | show
fi

# Watchdog: with a 3 s WatchdogSec the daemon must ping every 1.5 s to survive 7 s without a restart.
ct mkdir -p /etc/systemd/system/authy-webhooksd.service.d
printf '[Service]\nWatchdogSec=3s\n' >"$croot/etc/systemd/system/authy-webhooksd.service.d/50-e2e-watchdog.conf"
ct systemctl daemon-reload
ct timeout 60 systemctl restart authy-webhooksd >/dev/null 2>&1
wait_active >/dev/null
pid_before=$(main_pid)
restarts_before=$(ct systemctl show -p NRestarts --value authy-webhooksd)
sleep 7
if [[ $(is_active) == active && $(main_pid) == "$pid_before" \
    && $(ct systemctl show -p NRestarts --value authy-webhooksd) == "$restarts_before" ]]; then
    ok "the daemon pings the watchdog (WatchdogSec=3s: still the same process after 7 s)"
else
    not_ok "the daemon pings the watchdog (WatchdogSec=3s: $(is_active), MainPID $pid_before -> $(main_pid))"
    journal_tail 10 | show
fi
ct rm -f /etc/systemd/system/authy-webhooksd.service.d/50-e2e-watchdog.conf
ct systemctl daemon-reload

# ---------------------------------------------------------------------------------------------------------------
# Access control of the control socket: group members may read, everyone else is refused clearly.
ct useradd --no-create-home --shell /usr/sbin/nologin e2e-outsider 2>/dev/null
ct useradd --no-create-home --shell /usr/sbin/nologin --groups authy-webhooks e2e-member 2>/dev/null
ct runuser -u e2e-outsider -- authyctl events --since -5m --output json >"$work/outsider.out" 2>"$work/outsider.err"
rc=$?
# A clear refusal names the group to join (issue 3) or at least says permission was denied.
if ((rc != 0)) && [[ ! -s $work/outsider.out ]] && grep -qiwE 'authy-webhooks|permission denied' "$work/outsider.err"; then
    ok "authyctl as a user outside the group is refused (exit $rc): $(head -n 1 "$work/outsider.err")"
    grep -qw authy-webhooks "$work/outsider.err" || note "the refusal does not name the group authy-webhooks"
else
    not_ok "authyctl as a user outside the group is refused with a clear message (exit $rc)"
    show "$work/outsider.err"
fi
if ct runuser -u e2e-member -- authyctl events --since -5m --output json >"$work/member.out" 2>"$work/member.err" \
    && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/member.out" 2>/dev/null; then
    ok "authyctl as a member of group authy-webhooks lists events"
else
    not_ok "authyctl as a member of group authy-webhooks lists events"; show "$work/member.err"
fi
# Changing things needs root or [Control] AdminGroup= (empty by default): the daemon checks SO_PEERCRED, and
# under ProtectProc=invisible it finds the member's groups in the user database.
ct runuser -u e2e-member -- authyctl events prune --before 2020-01-01 >"$work/member-prune.out" 2>"$work/member-prune.err"
rc=$?
if ((rc == 77)) && grep -q 'AdminGroup' "$work/member-prune.err"; then
    ok "a group member may not prune (exit 77): $(head -n 1 "$work/member-prune.err")"
else
    not_ok "a group member may not prune (exit $rc, expected 77 naming AdminGroup=)"; show "$work/member-prune.err"
fi
if ct authyctl events prune --before 2020-01-01 --dry-run --output json >"$work/root-prune.out" 2>"$work/root-prune.err"; then
    ok "root may prune (dry run): $(tr -d " \n" <"$work/root-prune.out")"
else
    not_ok "root may prune (dry run)"; show "$work/root-prune.err"
fi

# ---------------------------------------------------------------------------------------------------------------
# Stop: SIGTERM, drain, exit 0.
if ct timeout 60 systemctl stop authy-webhooksd >"$work/stop.log" 2>&1; then
    active=$(is_active)
    shown=$(ct systemctl show -p Result -p ExecMainCode -p ExecMainStatus authy-webhooksd | sort | tr '\n' ' ')
    # ExecMainCode=1 is CLD_EXITED: the process exited by itself instead of being killed.
    if [[ $active == inactive && $shown == "ExecMainCode=1 ExecMainStatus=0 Result=success " ]]; then
        ok "systemctl stop ends the daemon cleanly (inactive, Result=success, exit status 0)"
    else
        not_ok "systemctl stop ends the daemon cleanly ($active; $shown)"; journal_tail 10 | show
    fi
else
    not_ok "systemctl stop ends the daemon cleanly"; show "$work/stop.log"
fi
stopped=$(journal_count MESSAGE_ID=4db6ed1476204e5b868f1cc291cee3c5)
((stopped >= 1)) && ok "the stop is logged with the 'stopped' MESSAGE_ID" \
    || not_ok "the stop is logged with the 'stopped' MESSAGE_ID (4db6ed1476204e5b868f1cc291cee3c5)"

# Secrets: the whole journal of the run, every field of every entry, holds none of the keys the daemon used.
ct journalctl -o export --no-pager >"$work/journal.export" 2>/dev/null
leaked=()
for secret in "$key_first" "$key_second" "${api_keys[@]}"; do
    grep -qF -- "$secret" "$work/journal.export" && leaked+=("$secret")
done
if [[ -s $work/journal.export && ${#leaked[@]} == 0 ]]; then
    ok "no signing or API key appears anywhere in the journal ($(wc -l <"$work/journal.export") lines of export format)"
else
    not_ok "no signing or API key appears in the journal (leaked: ${leaked[*]:-journal empty})"
fi

if ((failed)); then
    note "last journal lines of authy-webhooksd:"
    journal_tail 30 | sed -e 's/^/#   /'
fi
echo "$passed passed, $failed failed"
((failed == 0))
