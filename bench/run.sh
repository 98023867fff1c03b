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
bench_name=bench
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$repo_root/bench/lib.sh"

server=${OUTPOST_SERVER:-build/release/bin/outpost-server}
duration=${BENCH_DURATION:-10s}
warmup=${BENCH_WARMUP:-2s}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
nginx=${NGINX:-/usr/sbin/nginx}
wrk=${WRK:-wrk}

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

bench_init_work bench
bench_traps
work=$bench_work

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
bench_pids+=("$nginx_pid")
if ! wait_ready nginx "$nginx_pid" "$nginx_port" / 10; then
    cat "$work/nginx.out" "$work/nginx-error.log" >&2 2>/dev/null || true
    die "nginx did not start"
fi
run_wrk "http://127.0.0.1:$nginx_port/" "$work/wrk-nginx.txt"
nginx_rps=$(wrk_rps "$work/wrk-nginx.txt")
nginx_p99=$(awk '$1 == "99%" { print $2 }' "$work/wrk-nginx.txt")
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
    # A clean environment (lib.sh), the access log (stdout) to a file, as a deployment would
    # ship it.
    start_outpost "$server" "$outpost_port" "$work/data" "$work/outpost-access.log" \
        "$work/outpost-stderr.log" OUTPOST_LOG_FORMAT=json
    if ! wait_ready outpost-server "$outpost_pid" "$outpost_port" /healthz 30; then
        tail -n 20 "$work/outpost-stderr.log" >&2 || true
        die "outpost-server did not start"
    fi
    run_wrk "http://127.0.0.1:$outpost_port/healthz" "$work/wrk-outpost.txt"
    outpost_rps=$(wrk_rps "$work/wrk-outpost.txt")
    outpost_p99=$(awk '$1 == "99%" { print $2 }' "$work/wrk-outpost.txt")
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
