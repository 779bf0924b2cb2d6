#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need, when they are missing. Safe to run again.
#
#   libsqlite3-dev   GRDB links the system SQLite (the event store)
#   libsystemd-dev   sd_notify and sd_journal_sendv (readiness, watchdog, journald fields)
#   libssl-dev       not linked by the daemon or authyctl (swift-crypto and swift-nio-ssl carry BoringSSL);
#                    installed because the issue list names it for tools that shell out to `openssl` in tests
#   pkg-config       finds libsystemd for the CSystemd system-library target
#   sqlite3          the shell the benchmarks compare against and operators use to inspect the database
#   python3          mints test tokens in shell scripts (end-to-end test)
#   curl             the end-to-end test POSTs deliveries with it
#   time             GNU time: a test measures authyctl's peak memory with `/usr/bin/time -f %M`
#   groff-base, man-db   render the manual pages in the tests (scripts/check-man.sh), as `man` shows them to users
#   systemd-container, debootstrap   the end-to-end test boots a real systemd in a container
set -euo pipefail

packages=(libsqlite3-dev libsystemd-dev libssl-dev pkg-config sqlite3 python3 curl time groff-base man-db)
if [[ "${1:-}" == "--e2e" ]]; then
    packages+=(systemd-container debootstrap)
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if ((${#missing[@]} > 0)); then
    echo "setup: installing ${missing[*]}" >&2
    sudo_cmd=()
    if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# standardwebhooks (PyPI): the forwarding tests verify the daemon's signatures with an implementation that is not ours.
if ! python3 -c "import standardwebhooks" 2>/dev/null; then
    echo "setup: installing the Python package standardwebhooks" >&2
    python3 -m pip install -q standardwebhooks 2>/dev/null || python3 -m pip install -q --break-system-packages standardwebhooks
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "setup: swift is not on PATH; install Swift 6.3 (https://www.swift.org/install/linux/)" >&2
    exit 1
fi
