#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it (.ci/run calls this script):
#   1. installs missing Debian packages,
#   2. builds and runs every Swift Testing suite (real SQLite files, real HTTP on loopback, real Unix sockets),
#      then each libFuzzer target for FUZZ_SECONDS (60),
#   3. renders the manual pages without warnings (scripts/check-man.sh), checks the systemd unit
#      (systemd-analyze security/verify),
#   4. boots a real systemd in a container and runs the end-to-end test.
# Set SKIP_E2E=1 to stop after step 3 (e.g. on a machine without systemd-nspawn).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${SKIP_E2E:-}" ]]; then scripts/setup.sh --e2e; else scripts/setup.sh; fi

echo "== swift test" >&2
swift build --build-tests
# Two groups, so that no test's load disturbs another's: the parallel suite first, then the fault suites, which
# hammer real daemons with hundreds of connections, kill -9 and full disks (run beside the rest, they starve the
# shared event loops of the in-process daemons for seconds).
fault_suites="FaultCrashTests|FaultResourceTests|FaultForwardingTests"
swift test --skip-build --skip "$fault_suites" 2>&1 | tee .build/test-output.txt
swift test --skip-build --filter "$fault_suites" 2>&1 | tee -a .build/test-output.txt
# Swift Testing prints its own summary; fail loudly if no test ran at all.
grep -Eq "Test run with [1-9][0-9]* tests? .*passed|Executed [1-9]" .build/test-output.txt

echo "== fuzzing (libFuzzer + ASan, ${FUZZ_SECONDS:-60} s per target)" >&2
scripts/fuzz.sh

echo "== manual pages (generated from the debug binaries just tested, rendered by groff and man)" >&2
scripts/check-man.sh .build/debug

if [[ -x scripts/check-unit.sh ]]; then
    echo "== systemd unit checks" >&2
    scripts/check-unit.sh
fi

if [[ -z "${SKIP_E2E:-}" && -x systemd-e2e/systemd-e2e.sh ]]; then
    echo "== end-to-end under systemd" >&2
    # The debug binaries just tested, with the toolchain's runtime bound into the container: a second (release,
    # static) build would add ~10 minutes. `make e2e-systemd` runs the same test on the shipped static build.
    BIN_DIR=.build/debug systemd-e2e/systemd-e2e.sh
fi
