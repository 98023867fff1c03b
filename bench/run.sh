#!/usr/bin/env bash
# Load benchmark: outpost-server's GET /healthz against nginx answering a fixed 200, both on
# 127.0.0.1 of this machine, measured with wrk. See bench/README.md.
#
#   bench/run.sh                      (or: make bench)
#
# Environment:
#   OUTPOST_SERVER     Release binary (default build/release/bin/outpost-server)
#   BENCH_DURATION     length of each measured run, wrk syntax: 10s (default), 30s, 2m; at most 10m
#   BENCH_WARMUP       unmeasured run before each measured one (default 2s; 0 to skip)
#   BENCH_CONNECTIONS  wrk -c (default 64)     BENCH_THREADS  wrk -t (default 2)
#   BENCH_KEEP=1       keep the temporary directory (logs, wrk output) and print where it is
#   NGINX, WRK         the programs to use (default /usr/sbin/nginx and wrk from PATH)
#
# Only 127.0.0.1 is ever contacted. Every process started here is stopped on exit, failure
# and Ctrl-C included. Exits non-zero if a run failed or the outpost-server binary is missing.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
server=${OUTPOST_SERVER:-build/release/bin/outpost-server}
duration=${BENCH_DURATION:-10s}
warmup=${BENCH_WARMUP:-2s}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
nginx=${NGINX:-/usr/sbin/nginx}
wrk=${WRK:-wrk}

die() {
    echo "bench: $*" >&2
    exit 1
}

# Seconds in a wrk duration ("10s", "2m", "1h", "30"), refusing anything unbounded or odd.
seconds_of() {
    local value=$1
    [[ $value =~ ^([0-9]+)([smh]?)$ ]] || die "not a duration: '$value' (use e.g. 10s or 2m)"
    local n=$((10#${BASH_REMATCH[1]}))
    case ${BASH_REMATCH[2]} in
        m) n=$((n * 60)) ;;
        h) n=$((n * 3600)) ;;
    esac
    echo "$n"
}

duration_s=$(seconds_of "$duration")
warmup_s=$(seconds_of "$warmup")
((duration_s >= 1 && duration_s <= 600)) || die "BENCH_DURATION must be from 1s to 10m"
((warmup_s <= 60)) || die "BENCH_WARMUP must be at most 60s"
if [[ ! $connections =~ ^[0-9]+$ ]] || ((connections < 1 || connections > 10000)); then
    die "BENCH_CONNECTIONS must be from 1 to 10000"
fi
if [[ ! $threads =~ ^[0-9]+$ ]] || ((threads < 1 || threads > connections)); then
    die "BENCH_THREADS must be from 1 to BENCH_CONNECTIONS"
fi
command -v "$wrk" >/dev/null || die "wrk not found (Debian: apt-get install wrk)"
[[ -x $nginx ]] || die "nginx not found at $nginx (Debian: apt-get install nginx-light)"

# Resolve the server path now: it is started from the temporary directory.
if [[ $server != /* ]]; then
    server=$repo_root/$server
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/outpost-bench.XXXXXX")
pids=()
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    # Give them a moment to stop, then make sure.
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        local alive=0
        for pid in "${pids[@]}"; do
            kill -0 "$pid" 2>/dev/null && alive=1
        done
        ((alive)) || break
        sleep 0.2
    done
    for pid in "${pids[@]}"; do
        kill -KILL "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    if [[ ${BENCH_KEEP:-0} == 1 ]]; then
        echo "bench: kept $work" >&2
    else
        rm -rf "$work"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A port on 127.0.0.1 that nothing listens on now.
free_port() {
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 40000))
        if ! { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
            echo "$port"
            return 0
        fi
        exec 3<&- 3>&-
    done
    die "no free port found on 127.0.0.1"
}

# First line of the response to GET <path>, e.g. "HTTP/1.1 200 OK"; empty if no answer.
status_line() {
    local port=$1 path=$2 line=""
    # The braces keep the redirection of stderr from becoming permanent, as exec's would.
    if { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
        printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$path" "$port" >&3
        IFS= read -r -t 2 line <&3 || true
        exec 3<&- 3>&-
    fi
    echo "${line%$'\r'}"
}

# Waits until GET <path> answers 200, while <pid> lives; at most <seconds>.
wait_ready() {
    local name=$1 pid=$2 port=$3 path=$4 seconds=$5
    local deadline=$((SECONDS + seconds))
    while ((SECONDS < deadline)); do
        kill -0 "$pid" 2>/dev/null || return 1
        [[ $(status_line "$port" "$path") == "HTTP/1."?" 200"* ]] && return 0
        sleep 0.1
    done
    echo "bench: $name did not answer 200 on http://127.0.0.1:$port$path within ${seconds}s" >&2
    return 1
}

# Runs a command in the background and waits for it: unlike a foreground command, `wait`
# lets the INT/TERM traps run at once, and cleanup stops the command too.
run_stoppable() {
    "$@" &
    local pid=$!
    pids+=("$pid")
    wait "$pid"
}

# Runs wrk against <url>, writing its output to <file>; a warm-up run first.
run_wrk() {
    local url=$1 out=$2
    if ((warmup_s > 0)); then
        run_stoppable timeout $((warmup_s + 30)) "$wrk" -t"$threads" -c"$connections" \
            -d"${warmup_s}s" "$url" >/dev/null
    fi
    run_stoppable timeout $((duration_s + 30)) "$wrk" -t"$threads" -c"$connections" \
        -d"$duration" --latency "$url" >"$out"
}

requests_per_second() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
p99() { awk '$1 == "99%" { print $2 }' "$1"; }
# Non-2xx answers and socket errors make a run worthless; say so next to its numbers.
problems() {
    local text
    text=$(grep -E '^ *(Non-2xx or 3xx responses|Socket errors):' "$1" | sed 's/^ *//' | paste -sd ';' -)
    echo "${text:-}"
}

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
echo "load: wrk -t$threads -c$connections -d$duration --latency (warm-up $warmup), keep-alive"
echo

# --- nginx: fixed 200 ---------------------------------------------------------------------------
nginx_port=$(free_port)
sed -e "s|@WORK_DIR@|$work|g" -e "s|@PORT@|$nginx_port|g" \
    "$repo_root/bench/nginx-fixed200.conf.in" >"$work/nginx.conf"
"$nginx" -e "$work/nginx-error.log" -p "$work" -c "$work/nginx.conf" -g 'daemon off;' \
    >"$work/nginx.out" 2>&1 &
nginx_pid=$!
pids+=("$nginx_pid")
if ! wait_ready nginx "$nginx_pid" "$nginx_port" / 10; then
    cat "$work/nginx.out" "$work/nginx-error.log" >&2 2>/dev/null || true
    die "nginx did not start"
fi
run_wrk "http://127.0.0.1:$nginx_port/" "$work/wrk-nginx.txt"
nginx_rps=$(requests_per_second "$work/wrk-nginx.txt")
nginx_p99=$(p99 "$work/wrk-nginx.txt")
nginx_problems=$(problems "$work/wrk-nginx.txt")
[[ -n $nginx_rps ]] || die "could not read wrk's output for nginx: $(cat "$work/wrk-nginx.txt")"
kill -TERM "$nginx_pid" 2>/dev/null || true
wait "$nginx_pid" 2>/dev/null || true

# --- outpost-server: GET /healthz ---------------------------------------------------------------
outpost_rps="" outpost_p99="" outpost_problems="" outpost_rss="" missing=0
if [[ ! -x $server ]]; then
    missing=1
else
    outpost_port=$(free_port)
    mkdir -p "$work/data" "$work/cwd"
    head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$work/jwt.secret"
    # A clean environment for the server: no OUTPOST_* from this shell, no .env from the tree
    # (it starts in an empty directory), its own data directory and a throwaway JWT key.
    # The access log (stdout) goes to a file, as a deployment would ship it.
    (
        cd "$work/cwd"
        while IFS= read -r variable; do
            unset "$variable"
        done < <(compgen -e | grep '^OUTPOST_' || true)
        export OUTPOST_LOG_FORMAT=json OUTPOST_JWT_SECRET_FILE="$work/jwt.secret"
        exec "$server" serve --listen "127.0.0.1:$outpost_port" --data-dir "$work/data"
    ) >"$work/outpost-access.log" 2>"$work/outpost-stderr.log" &
    outpost_pid=$!
    pids+=("$outpost_pid")
    if ! wait_ready outpost-server "$outpost_pid" "$outpost_port" /healthz 30; then
        tail -n 20 "$work/outpost-stderr.log" >&2 || true
        die "outpost-server did not start"
    fi
    run_wrk "http://127.0.0.1:$outpost_port/healthz" "$work/wrk-outpost.txt"
    outpost_rps=$(requests_per_second "$work/wrk-outpost.txt")
    outpost_p99=$(p99 "$work/wrk-outpost.txt")
    outpost_problems=$(problems "$work/wrk-outpost.txt")
    outpost_rss=$(awk '/^VmHWM:/ { printf "%.1f MiB", $2 / 1024 }' "/proc/$outpost_pid/status")
    [[ -n $outpost_rps ]] || die "could not read wrk's output for outpost-server"
fi

# --- Report -------------------------------------------------------------------------------------
printf '%-24s %12s %10s  %s\n' target req/s p99 notes
printf '%-24s %12s %10s  %s\n' "nginx fixed 200" "$nginx_rps" "$nginx_p99" "$nginx_problems"
if ((missing)); then
    printf '%-24s %12s %10s  %s\n' "outpost-server /healthz" - - "skipped: no binary"
    echo
    echo "bench: $server is missing or not executable; build it with" \
        "'cmake --preset release && cmake --build build/release' (or make bench)," \
        "or point OUTPOST_SERVER at it" >&2
    exit 1
fi
printf '%-24s %12s %10s  %s\n' "outpost-server /healthz" "$outpost_rps" "$outpost_p99" \
    "$outpost_problems"
echo
awk -v o="$outpost_rps" -v n="$nginx_rps" 'BEGIN { printf "outpost / nginx: %.1f%% of nginx req/s\n", 100 * o / n }'
echo "outpost-server peak RSS (VmHWM): $outpost_rss"
echo "access log lines written: $(wc -l <"$work/outpost-access.log")"
if [[ -n $nginx_problems || -n $outpost_problems ]]; then
    die "some requests failed (see notes): the numbers above are not comparable"
fi
