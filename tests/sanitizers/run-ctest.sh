#!/usr/bin/env bash
# Runs CTest suites of a sanitizer build (make test-asan, make test-tsan) and fails on any
# sanitizer report, also from the outpost-server processes the API suites start: every report
# is written to a log file of its own (log_path), printed at the end and counted.
#   tests/sanitizers/run-ctest.sh asan|tsan BUILD_DIR [ctest arguments...]
set -euo pipefail
kind=$1
build=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
logs=$build/sanitizer-logs
rm -rf "$logs"
mkdir -p "$logs"
logs=$(cd "$logs" && pwd)

# Reports are errors (exit code 1 for a suite); the server processes log theirs under $logs.
common="log_path=$logs/report:print_stacktrace=1"
case $kind in
asan)
    export ASAN_OPTIONS="$common:detect_leaks=1:abort_on_error=0:halt_on_error=1:strict_init_order=1:detect_stack_use_after_return=0"
    export LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0"
    export UBSAN_OPTIONS="$common:halt_on_error=1"
    ;;
tsan)
    # die_after_fork=0: the suites start outpost-server with QProcess, which forks from a
    # test process that already runs threads; the child only execs.
    export TSAN_OPTIONS="$common:halt_on_error=0:second_deadlock_stack=1:die_after_fork=0:history_size=7:suppressions=$here/tsan.supp"
    ;;
*)
    echo "usage: $0 asan|tsan BUILD_DIR [ctest arguments...]" >&2
    exit 2
    ;;
esac

status=0
ctest --test-dir "$build" --output-on-failure "$@" || status=$?

reports=$(find "$logs" -type f -name 'report*' | sort)
if [ -n "$reports" ]; then
    for report in $reports; do
        echo "=== $report"
        cat "$report"
    done
    echo "$(echo "$reports" | wc -l) sanitizer report(s) in $logs" >&2
    status=1
fi
exit $status
