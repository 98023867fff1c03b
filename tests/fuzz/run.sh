#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz build for SECONDS each, from its seed corpus
# (tests/fuzz/corpus/<target>/, read only) and the corpus it grew before (BUILD/fuzz-corpus/),
# and prints executions per second. Fails when any target finds a crash, a sanitizer report,
# a leak, a timeout (-timeout) or an out-of-memory (-rss_limit_mb); the input that did it is
# in BUILD/fuzz-artifacts/ and the target's log in BUILD/fuzz-logs/.
#   tests/fuzz/run.sh BUILD_DIR SECONDS [TARGET...]
set -uo pipefail
build=$1
seconds=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for bin in "$build"/fuzz/fuzz_*; do targets+=("$(basename "$bin")"); done
fi
mkdir -p "$build/fuzz-corpus" "$build/fuzz-artifacts" "$build/fuzz-logs"
# Log output costs executions and says nothing here.
export QT_LOGGING_RULES='*=false'
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

failed=()
printf '%-26s %10s %10s %8s  %s\n' target execs execs/s corpus result
for target in "${targets[@]}"; do
    corpus=$build/fuzz-corpus/$target
    log=$build/fuzz-logs/$target.log
    mkdir -p "$corpus"
    "$build/fuzz/$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$target-" \
        "$corpus" "$here/corpus/$target" >"$log" 2>&1
    status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    size=$(find "$corpus" -type f | wc -l)
    result=ok
    if [ $status -ne 0 ]; then
        result="FAILED ($status)"
        failed+=("$target")
    fi
    printf '%-26s %10s %10s %8s  %s\n' "$target" "${execs:-?}" "${rate:-?}" "$size" "$result"
done
for target in "${failed[@]}"; do
    echo "=== $target ($build/fuzz-logs/$target.log)"
    grep -E -A40 '==ERROR|runtime error|deadly signal|Test unit written' \
        "$build/fuzz-logs/$target.log" | head -80
done
[ ${#failed[@]} -eq 0 ]
