#!/usr/bin/env bash
# Writes the manual pages into OUT_DIR: authyctl(1) and authy-webhooksd(8) generated from the binaries' own
# argument-parser definitions (swift-argument-parser's generate-manual, run on `--experimental-dump-help`), so they
# never drift from --help, and authy-webhooksd.conf(5), written by hand in packaging/man/ (a test keeps it in step
# with the configuration schema).
#
#   scripts/man.sh OUT_DIR [BIN_DIR]     # BIN_DIR holds authyctl and authy-webhooksd (default: the debug build)
#
# generate-manual is built with the package's own mirrored swift-argument-parser (a few seconds once it is built).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:?usage: scripts/man.sh OUT_DIR [BIN_DIR]}
bin_dir=${2:-}
cd "$repo"
# Builds one product quietly: SwiftPM's output is shown only when the build fails.
build() {
    local log
    log=$(swift build --product "$1" 2>&1) || { echo "$log" >&2; echo "man.sh: cannot build $1" >&2; exit 1; }
}
if [[ -z $bin_dir ]]; then
    build authyctl
    build authy-webhooksd
    bin_dir=$(swift build --show-bin-path)
fi
build generate-manual
generator="$(swift build --show-bin-path)/generate-manual"
mkdir -p "$out"
# The pages' date: the last commit's, so the same tree always gives the same pages.
date=$(git -C "$repo" log -1 --format=%cs 2>/dev/null || date -u +%F)
generated=$(mktemp -d)
trap 'rm -rf "$generated"' EXIT
"$generator" "$bin_dir/authyctl" --section 1 --date "$date" -o "$generated"
"$generator" "$bin_dir/authy-webhooksd" --section 8 --date "$date" -o "$generated"

# mdoc clean-up of what the generator wrote (literal displays, EXIT STATUS, SEE ALSO): scripts/man-polish.py.
polish() { python3 "$repo/scripts/man-polish.py" "$@"; }
polish "$generated/authyctl.1" "authy-webhooksd/8 authy-webhooksd.conf/5 journalctl/1" >"$out/authyctl.1"
polish "$generated/authy-webhooksd.8" "authyctl/1 authy-webhooksd.conf/5 systemd.service/5 systemd.time/7" --leaf >"$out/authy-webhooksd.8"
sed "s/^\.Dd .*/.Dd $(date -d "$date" '+%B %-d, %Y')/" "$repo/packaging/man/authy-webhooksd.conf.5" >"$out/authy-webhooksd.conf.5"
echo "wrote $out/authyctl.1 $out/authy-webhooksd.8 $out/authy-webhooksd.conf.5"
