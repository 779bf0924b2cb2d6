#!/usr/bin/env bash
# Checks packaging/systemd/: the unit's hardening score (systemd-analyze security, must be <= 1.5), that
# `systemd-analyze verify` has nothing to say about it, that the sysusers.d/tmpfiles.d files apply cleanly, and
# that the journal catalog matches the daemon's MESSAGE_IDs.
#
# Usage: scripts/check-unit.sh            (BIN_DIR=DIR to verify against a built authy-webhooksd)
# Works without systemd as PID 1 (containers, CI): both analyses run offline.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
unit_dir="$repo/packaging/systemd"
unit="$unit_dir/authy-webhooksd.service"
# systemd-analyze's threshold is on a 0-100 scale: 15 means an exposure score of 1.5.
threshold=15

if ! command -v systemd-analyze >/dev/null || ! command -v systemd-tmpfiles >/dev/null; then
    echo "installing systemd (systemd-analyze)…" >&2
    apt-get update -qq && apt-get install -y -qq systemd >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

# 1. Hardening. --offline=true analyses the file itself instead of asking a running PID 1.
security_out="$work/security.txt"
if systemd-analyze security --offline=true --threshold="$threshold" "$unit" >"$security_out" 2>&1; then
    security_rc=0
else
    security_rc=$?
fi
score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' "$security_out")
if [[ $security_rc -eq 0 && -n $score ]]; then
    echo "ok - systemd-analyze security: exposure $score (threshold $((threshold / 10)).$((threshold % 10)))"
else
    echo "not ok - systemd-analyze security: exposure ${score:-unknown} (threshold $((threshold / 10)).$((threshold % 10)))"
    grep -E '^✗' "$security_out" || cat "$security_out"
    failed=1
fi

# 2. verify. It fails when ExecStart='s binary is missing on this machine, so it checks a copy whose ExecStart
# points at an existing executable; everything else is byte-for-byte the shipped unit. It exits 0 even when it
# warns about unknown keys or bad values, so ANY output is a failure. --man=no: no man page lookups (none are
# referenced, and CI machines have no man-db).
exec_bin=/bin/true
if [[ -n ${BIN_DIR:-} && -x ${BIN_DIR}/authy-webhooksd ]]; then
    exec_bin=$(cd "$BIN_DIR" && pwd)/authy-webhooksd
fi
mkdir -p "$work/verify"
sed "s|^ExecStart=/usr/bin/authy-webhooksd |ExecStart=$exec_bin |" "$unit" >"$work/verify/authy-webhooksd.service"
if ! grep -q "^ExecStart=$exec_bin " "$work/verify/authy-webhooksd.service"; then
    echo "not ok - systemd-analyze verify: ExecStart=/usr/bin/authy-webhooksd … not found in the unit"
    failed=1
else
    verify_out=$(systemd-analyze verify --man=no "$work/verify/authy-webhooksd.service" 2>&1) && verify_rc=0 || verify_rc=$?
    if [[ $verify_rc -eq 0 && -z $verify_out ]]; then
        echo "ok - systemd-analyze verify: no findings"
    else
        echo "not ok - systemd-analyze verify (exit $verify_rc):"
        printf '%s\n' "$verify_out" | sed 's/^/    /'
        failed=1
    fi
fi

# 3. sysusers.d and tmpfiles.d, applied to an empty root: they must create what the unit needs, silently.
root="$work/root"
mkdir -p "$root/etc"
: >"$root/etc/passwd"; : >"$root/etc/group"
sysusers_out=$(systemd-sysusers --root="$root" "$unit_dir/authy-webhooksd.sysusers" 2>&1) || { echo "not ok - sysusers: $sysusers_out"; failed=1; }
if grep -q '^authy-webhooks:' "$root/etc/passwd" && grep -q '^authy-webhooks:' "$root/etc/group" \
    && ! grep -qi -E 'warn|invalid|ignor' <<<"$sysusers_out"; then
    echo "ok - sysusers.d creates user and group authy-webhooks"
else
    echo "not ok - sysusers.d: $sysusers_out"
    failed=1
fi
tmpfiles_out=$(systemd-tmpfiles --root="$root" --create "$unit_dir/authy-webhooksd.tmpfiles" 2>&1) && tmpfiles_rc=0 || tmpfiles_rc=$?
cred_dir="$root/etc/authy-webhooksd/credentials"
if [[ $tmpfiles_rc -eq 0 && -z $tmpfiles_out && $(stat -c %a "$cred_dir") == 700 \
    && -f $cred_dir/authy-app-api-key && -f $cred_dir/authy-access-key && -f $cred_dir/authy-api-signing-key ]]; then
    echo "ok - tmpfiles.d creates the credentials directory (0700) and its files"
else
    echo "not ok - tmpfiles.d (exit $tmpfiles_rc): $tmpfiles_out"
    failed=1
fi

# 4. The journal catalog compiles and explains every MESSAGE_ID the daemon logs, and nothing else.
catalog="$unit_dir/authy-webhooksd.catalog"
mkdir -p "$root/usr/lib/systemd/catalog"
cp "$catalog" "$root/usr/lib/systemd/catalog/"
catalog_out=$(journalctl --root="$root" --update-catalog 2>&1) && catalog_rc=0 || catalog_rc=$?
listed=$(journalctl --root="$root" --list-catalog 2>/dev/null | awk '{print $1}' | sort)
declared=$(grep -oE '"[0-9a-f]{32}"' "$repo/Sources/SystemdSupport/JournalMessageID.swift" | tr -d '"' | sort -u)
if [[ $catalog_rc -eq 0 && -z $catalog_out && -n $declared && $listed == "$declared" ]]; then
    echo "ok - journal catalog covers the $(wc -l <<<"$declared") MESSAGE_IDs of JournalMessageID.swift"
else
    echo "not ok - journal catalog (exit $catalog_rc) ${catalog_out:+: $catalog_out}"
    diff <(echo "$declared") <(echo "$listed") | sed 's/^/    /'
    failed=1
fi

exit "$failed"
