#!/usr/bin/env bash
# /metrics under TLS seen from an address that is not loopback (issue 17). With TLS on and
# neither OUTPOST_METRICS_TOKEN nor OUTPOST_METRICS_LISTEN, /metrics answers loopback clients
# and admins only (server/api/operationalapi.cpp). Every other test reaches the server over
# 127.0.0.1, so this one runs the server and curl in a network namespace of their own (made
# without root: `unshare -rn`) with a second interface holding 10.203.0.1: a client that
# connects to 10.203.0.1 comes from 10.203.0.1, not from loopback.
#
# Cases: a stranger gets the 403 problem; an admin's bearer token gets 200 from there; a client
# on 127.0.0.1 in the same namespace gets 200; with OUTPOST_METRICS_TOKEN, the stranger gets
# 401 without it and 200 with it.
# Needs: unshare (util-linux), ip (iproute2), curl, openssl; OUTPOST_SERVER_BIN.
set -euo pipefail
# shellcheck source=tests/support/testlib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../support/testlib.sh"

readonly ADDRESS=10.203.0.1
readonly PORT=18443 # a namespace of our own: no other process holds it

unavailable() {
    # A missing tool or no user namespaces: CI must have them, a developer's machine may not.
    if [[ "${CI:-}" == "true" ]]; then
        fail "$*"
    fi
    skip "$*"
}

outside() {
    [[ -x "${OUTPOST_SERVER_BIN:-}" ]] || fail "OUTPOST_SERVER_BIN is not set (run through ctest)"
    local tool
    for tool in unshare ip curl openssl; do
        command -v "$tool" >/dev/null || unavailable "$tool is missing (Makefile APT_PACKAGES)"
    done
    if [[ $(id -u) -eq 0 ]]; then
        unshare -n true 2>/dev/null || unavailable "cannot create a network namespace"
        exec unshare -n bash "${BASH_SOURCE[0]}" inside
    fi
    unshare -rn true 2>/dev/null \
        || unavailable "unprivileged user namespaces are not available (unshare -rn failed)"
    exec unshare -rn bash "${BASH_SOURCE[0]}" inside
}

# A second interface for ADDRESS: a dummy one, or a veth pair where the kernel has no dummy
# driver (containers). Either way the route to it is local, and connections to it come from it.
add_interface() {
    if ip link add d0 type dummy 2>/dev/null; then
        ip addr add "$ADDRESS/24" dev d0
        ip link set d0 up
    elif ip link add v0 type veth peer name v1 2>/dev/null; then
        ip addr add "$ADDRESS/24" dev v0
        ip link set v0 up
        ip link set v1 up
    else
        fail "cannot add a dummy or veth interface in the namespace"
    fi
    ip link set lo up
}

server_pid=""
stop_server() {
    if [[ -n "$server_pid" ]]; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=""
    fi
}

# start_server NAME [VAR=VALUE...]: TLS on 0.0.0.0:PORT with the settings given.
start_server() {
    local name=$1
    shift
    env "${common_env[@]}" "$@" "$OUTPOST_SERVER_BIN" serve >"$work/$name.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 150); do
        if curl -sk --max-time 2 -o /dev/null "https://127.0.0.1:$PORT/healthz"; then
            return 0
        fi
        kill -0 "$server_pid" 2>/dev/null || { cat "$work/$name.log" >&2; fail "$name exited"; }
        sleep 0.1
    done
    cat "$work/$name.log" >&2
    fail "$name did not start"
}

# status HOST [curl arguments...]: the status of GET /metrics from HOST (the address connected
# to, which is also the client's address here); the body goes to $work/body.
status() {
    local host=$1
    shift
    curl -sk --max-time 10 -o "$work/body" -w '%{http_code}' "$@" "https://$host:$PORT/metrics"
}

expect() {
    local what=$1 want=$2 got=$3
    [[ "$got" == "$want" ]] || fail "$what: expected $want, got $got: $(head -c 400 "$work/body")"
    pass "$what: $got"
}

inside() {
    add_interface
    work=$(mktemp -d)
    trap 'stop_server; rm -rf "$work"' EXIT
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
        -subj /CN=outpost.test -addext "subjectAltName=IP:$ADDRESS,IP:127.0.0.1" \
        -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null || fail "openssl req failed"
    common_env=(-u OUTPOST_METRICS_TOKEN -u OUTPOST_METRICS_LISTEN
        "OUTPOST_DATA_DIR=$work/data" "OUTPOST_LISTEN=0.0.0.0:$PORT"
        "OUTPOST_TLS_CERT_FILE=$work/tls.crt" "OUTPOST_TLS_KEY_FILE=$work/tls.key"
        "OUTPOST_BCRYPT_COST=4" "OUTPOST_LOG_FORMAT=json")
    local password=Netns-Admin-Password-1
    printf '%s' "$password" | env "${common_env[@]}" "$OUTPOST_SERVER_BIN" user create \
        --email admin@outpost.test --admin --password-stdin >/dev/null \
        || fail "could not create the admin"

    start_server loopback-only
    local code
    code=$(status "$ADDRESS")
    expect "a stranger (from $ADDRESS)" 403 "$code"
    grep -q 'loopback clients and admins only' "$work/body" || fail "not the loopback problem"
    code=$(curl -sk --max-time 10 -o "$work/login" -w '%{http_code}' \
        -H 'Content-Type: application/json' \
        -d "{\"email\":\"admin@outpost.test\",\"password\":\"$password\"}" \
        "https://$ADDRESS:$PORT/v1/login")
    [[ "$code" == 200 ]] || fail "the admin could not sign in from $ADDRESS: $code"
    local token
    token=$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' "$work/login")
    [[ -n "$token" ]] || fail "no access token in $(cat "$work/login")"
    code=$(status "$ADDRESS" -H "Authorization: Bearer $token")
    expect "an admin (from $ADDRESS)" 200 "$code"
    grep -q '^outpost_' "$work/body" || fail "not the metrics text"
    code=$(status "$ADDRESS" -H "Authorization: Bearer not-a-token")
    expect "a stranger with a made-up bearer token (from $ADDRESS)" 403 "$code"
    code=$(status 127.0.0.1)
    expect "a client on loopback, same namespace" 200 "$code"
    stop_server

    start_server with-token OUTPOST_METRICS_TOKEN=netns-metrics-token-1
    code=$(status "$ADDRESS")
    expect "a stranger without the metrics token (from $ADDRESS)" 401 "$code"
    code=$(status "$ADDRESS" -H "Authorization: Bearer netns-metrics-token-1")
    expect "the metrics token (from $ADDRESS)" 200 "$code"
    stop_server
}

case "${1:-}" in
inside) inside ;;
*) outside ;;
esac
