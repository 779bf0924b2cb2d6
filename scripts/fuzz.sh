#!/usr/bin/env bash
# Fuzzes the parsers that read hostile or hand-written input, with libFuzzer and AddressSanitizer.
#
#   scripts/fuzz.sh [SECONDS]            every target for SECONDS each (default: $FUZZ_SECONDS, else 60)
#   scripts/fuzz.sh --target JWT [--target Config] [SECONDS]
#   scripts/fuzz.sh --list | --help
#
# Targets live in fuzz/<Target>/: a harness (its doc comment lists what it checks) and a committed seed corpus in
# seeds/. Each is built with `swiftc -sanitize=fuzzer,address` straight over its module's sources (no SwiftPM, so no
# dependency build) into .build-fuzz/bin/, and run with a working corpus in .build-fuzz/corpus/<Target> (seeds copied
# in; inputs found by earlier runs kept). Two targets run at a time (CI has two cores).
#
# Exits non-zero when a target crashes, leaks, runs out of memory or time on one input; the input is saved under
# .build-fuzz/artifacts/<Target>/ and the message names it. Reproduce with `.build-fuzz/bin/<Target> <file>`.
# A real bug found this way: fix the parser, add the input as a regression test in the module's test target and as a
# seed (fuzz/<Target>/seeds/found-*), so every later run starts from it.
# libFuzzer and the ASan runtime ship with the Swift toolchain: nothing to install.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(DeliveryEnvelope JWT Config TimeExpression)

# The module sources each target is built over. WebhookVerification's Crypto imports resolve to fuzz/Shims/Crypto.swift.
sources_of() {
    case "$1" in
        DeliveryEnvelope | JWT) echo Sources/WebhookVerification/*.swift ;;
        Config) echo $(find Sources/AuthyWebhooksConfig -name '*.swift' | sort) Sources/TimeUnits/*.swift ;;
        TimeExpression) echo Sources/ControlProtocol/TimeExpression.swift Sources/TimeUnits/*.swift ;;
    esac
}
needs_crypto_shim() { [[ "$1" == DeliveryEnvelope || "$1" == JWT ]]; }
# -O everywhere but Config. Measured on two busy cores: -Onone makes the WebhookVerification targets 7x slower and
# TimeExpression 2x; Config builds in 15 s instead of 49 s at -Onone for 25% fewer executions, the better trade in
# a fixed CI budget (and -Onone also keeps the module's assert()s on).
optimization_of() { if [[ "$1" == Config ]]; then echo -Onone; else echo -O; fi; }

usage() { sed -n '2,17s/^# \{0,1\}//p' "$0"; }

seconds="${FUZZ_SECONDS:-60}"
selected=()
while (($# > 0)); do
    case "$1" in
        -h | --help) usage; exit 0 ;;
        --list) printf '%s\n' "${targets[@]}"; exit 0 ;;
        --target)
            [[ $# -ge 2 ]] || { echo "fuzz: --target needs a name (see --list)" >&2; exit 2; }
            [[ " ${targets[*]} " == *" $2 "* ]] || { echo "fuzz: unknown target '$2' (see --list)" >&2; exit 2; }
            selected+=("$2"); shift 2 ;;
        --target=*) set -- --target "${1#--target=}" "${@:2}" ;;
        *)
            [[ "$1" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz: unexpected argument '$1' (see --help)" >&2; exit 2; }
            seconds="$1"; shift ;;
    esac
done
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz: FUZZ_SECONDS must be a positive integer" >&2; exit 2; }
((${#selected[@]} > 0)) || selected=("${targets[@]}")

out=.build-fuzz
mkdir -p "$out/bin" "$out/shim" "$out/logs"
swiftc=(swiftc -parse-as-library -swift-version 6 -enable-upcoming-feature ExistentialAny)

# Rebuilds only when a source is newer than the binary, so local re-runs skip the compile.
stale() {
    local binary="$1"; shift
    [[ ! -e "$binary" ]] || [[ -n "$(find "$@" -newer "$binary" -print -quit)" ]]
}

build() {
    local target="$1" binary="$out/bin/$1" extra=()
    # shellcheck disable=SC2207 # word splitting of the source globs is intended
    local files=($(sources_of "$target") fuzz/Support/*.swift fuzz/"$target"/*.swift)
    if needs_crypto_shim "$target"; then extra=(-I "$out/shim" "$out/shim/Crypto.o"); fi
    if stale "$binary" "${files[@]}" "${extra[@]:2}" "$0"; then
        # The linker's "Cannot export local symbol '__asan_…'" warnings are harmless and hidden.
        "${swiftc[@]}" "$(optimization_of "$target")" -sanitize=fuzzer,address -module-name "Fuzz$target" \
            "${files[@]}" "${extra[@]}" -o "$binary" 2> >(grep -v "Cannot export local symbol" >&2)
    fi
}

start=$SECONDS
if stale "$out/shim/Crypto.o" fuzz/Shims/Crypto.swift; then
    "${swiftc[@]}" -O -module-name Crypto -emit-module -emit-module-path "$out/shim/Crypto.swiftmodule" \
        -c fuzz/Shims/Crypto.swift -o "$out/shim/Crypto.o"
fi
pids=() names=() build_failed=()
finish_builds() {
    for i in "${!pids[@]}"; do wait "${pids[$i]}" || build_failed+=("${names[$i]}"); done
    pids=() names=()
}
for target in "${selected[@]}"; do
    build "$target" &
    pids+=($!) names+=("$target")
    if ((${#pids[@]} == 2)); then finish_builds; fi
done
finish_builds
if ((${#build_failed[@]} > 0)); then echo "fuzz: building ${build_failed[*]} failed" >&2; exit 1; fi
echo "fuzz: built ${selected[*]} in $((SECONDS - start)) s" >&2

run() {
    local target="$1" corpus="$out/corpus/$1" artifacts="$out/artifacts/$1/"
    mkdir -p "$corpus" "$artifacts"
    cp -n fuzz/"$target"/seeds/* "$corpus"/ 2>/dev/null || true
    # The Swift runtime's own crash backtracer would race ASan's report; libFuzzer's is enough.
    SWIFT_BACKTRACE=enable=no "$out/bin/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$artifacts" "$corpus" >"$out/logs/$target.log" 2>&1
}

summary() {
    local target="$1" log="$out/logs/$1.log" runs rate corpus
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    corpus=$(find "$out/corpus/$target" -type f | wc -l)
    printf 'fuzz: %-16s %s: %s executions, %s exec/s, corpus %s inputs\n' "$target" "$2" "${runs:-?}" "${rate:-?}" \
        "$corpus"
}

failed=0
check() {
    local target="$1" status="$2" input
    if ((status == 0)); then
        summary "$target" ok
        return
    fi
    failed=1
    summary "$target" FAILED >&2
    input=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$out/logs/$target.log" | tail -1)
    grep -E "^(==[0-9]+==ERROR|SUMMARY|.*Fatal error:)" "$out/logs/$target.log" | head -5 >&2 || true
    echo "fuzz: $target failed (exit $status); input: ${input:-none saved}; log: $out/logs/$target.log" >&2
    [[ -z "$input" ]] || echo "fuzz: reproduce with: $out/bin/$target $input" >&2
}

pids=() names=()
for target in "${selected[@]}"; do
    run "$target" &
    pids+=($!) names+=("$target")
    if ((${#pids[@]} == 2)); then
        for i in 0 1; do status=0; wait "${pids[$i]}" || status=$?; check "${names[$i]}" "$status"; done
        pids=() names=()
    fi
done
for i in "${!pids[@]}"; do status=0; wait "${pids[$i]}" || status=$?; check "${names[$i]}" "$status"; done
exit "$failed"
