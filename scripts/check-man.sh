#!/usr/bin/env bash
# Renders every manual page with groff (all warnings on) and with man(1) at 80 columns, and fails on any warning:
# what a user sees through `man authyctl` must not be broken markup.
#
#   scripts/check-man.sh [BIN_DIR]      # BIN_DIR as for scripts/man.sh
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pages=$(mktemp -d)
trap 'rm -rf "$pages"' EXIT
"$repo/scripts/man.sh" "$pages" "${1:-}" >/dev/null
status=0
for page in "$pages"/*; do
    name=$(basename "$page")
    warnings=$( { groff -mandoc -Tutf8 -ww -z "$page" 2>&1; MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null; } | sort -u)
    if [[ -n $warnings ]]; then
        echo "check-man.sh: $name renders with warnings:" >&2
        echo "$warnings" >&2
        status=1
    fi
    # Every page must say something: a NAME line and at least one section more.
    text=$(MANWIDTH=80 man -l "$page" 2>/dev/null)
    if ! grep -q '^NAME' <<<"$text" || [[ $(grep -c '^[A-Z][A-Z ]*$' <<<"$text") -lt 3 ]]; then
        echo "check-man.sh: $name renders without its sections" >&2
        status=1
    fi
done
[[ $status == 0 ]] && echo "man pages: $(ls "$pages" | tr '\n' ' ')render without warnings"
exit $status
