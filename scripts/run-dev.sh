#!/usr/bin/env bash
# Builds and runs authy-webhooksd in the foreground on the development configuration:
# SQLite and the control socket under ./var, deliveries on http://127.0.0.1:8080/authy/webhook,
# and one local webhook (local-dev) so `authyctl events simulate` works without an Authy account.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --product authy-webhooksd
swift build --product authyctl
mkdir -p var
echo "run-dev: authyctl is $(swift build --show-bin-path)/authyctl; use it with --socket var/control.sock" >&2
exec "$(swift build --show-bin-path)/authy-webhooksd" --config etc/authy-webhooksd.dev.conf "$@"
