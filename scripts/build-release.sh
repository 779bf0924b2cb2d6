#!/usr/bin/env bash
# Builds the release binaries as they are installed: static Swift runtime (they run on a server without a Swift
# toolchain), and a version script that keeps the package modules' symbols out of the dynamic symbol table
# (packaging/release-exports.map says why). Used by `make release`, scripts/install.sh and the end-to-end test.
#   scripts/build-release.sh [SCRATCH_PATH (default .build-release)] → binaries in SCRATCH_PATH/release
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
scratch=${1:-$repo/.build-release}
for product in authy-webhooksd authyctl; do
    (cd "$repo" && swift build -c release --static-swift-stdlib \
        -Xlinker --version-script="$repo/packaging/release-exports.map" \
        --scratch-path "$scratch" --product "$product")
done
