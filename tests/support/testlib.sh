# shellcheck shell=bash
# Shared by the shell test cases (tests/packaging, tests/container): how a case fails, skips
# (exit 77: CTest's SKIP_RETURN_CODE) and reports a passed check. Sourced, not run.

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
skip() {
    echo "SKIP: $*"
    exit 77
}
pass() { echo "ok: $*"; }
