#!/usr/bin/env bash
# Load benchmark over TLS: outpost-server's GET /healthz on its own TLS listener against nginx
# terminating TLS with the same certificate and answering a fixed 200, both on 127.0.0.1,
# measured with wrk over keep-alive connections. The two are measured in turns (A B A B ...)
# in the same run, so that a machine whose load changes affects both alike; every round is
# printed, so the spread shows how noisy the run was. See bench/README.md.
#
#   bench/tls.sh                      (or: make bench-tls)
#
# Environment:
#   OUTPOST_SERVER     Release binary (default build/release/bin/outpost-server)
#   BENCH_DURATION     length of each measured run, wrk syntax (default 10s; at most 10m)
#   BENCH_ROUNDS       A B rounds (default 3)
#   BENCH_WARMUP       unmeasured run before the first round of each (default 2s; 0 to skip)
#   BENCH_CONNECTIONS  wrk -c (default 64)     BENCH_THREADS  wrk -t (default 2)
#   BENCH_KEEP=1       keep the temporary directory and print where it is
#   NGINX, WRK, OPENSSL  the programs to use
#
# Only 127.0.0.1 is contacted; every process started here is stopped on exit.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench_name=bench-tls
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$repo_root/bench/lib.sh"

server=${OUTPOST_SERVER:-build/release/bin/outpost-server}
duration=${BENCH_DURATION:-10s}
rounds=${BENCH_ROUNDS:-3}
warmup=${BENCH_WARMUP:-2s}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
nginx=${NGINX:-/usr/sbin/nginx}
wrk=${WRK:-wrk}
openssl=${OPENSSL:-openssl}

duration_s=$(seconds_of "$duration")
warmup_s=$(seconds_of "$warmup")
((duration_s >= 1 && duration_s <= 600)) || die "BENCH_DURATION must be from 1s to 10m"
((warmup_s <= 60)) || die "BENCH_WARMUP must be at most 60s"
if [[ ! $rounds =~ ^[0-9]+$ ]] || ((rounds < 1 || rounds > 20)); then
    die "BENCH_ROUNDS must be from 1 to 20"
fi
if [[ ! $connections =~ ^[0-9]+$ ]] || ((connections < 1 || connections > 10000)); then
    die "BENCH_CONNECTIONS must be from 1 to 10000"
fi
if [[ ! $threads =~ ^[0-9]+$ ]] || ((threads < 1 || threads > connections)); then
    die "BENCH_THREADS must be from 1 to BENCH_CONNECTIONS"
fi
command -v "$wrk" >/dev/null || die "wrk not found (Debian: apt-get install wrk)"
command -v "$openssl" >/dev/null || die "openssl not found (Debian: apt-get install openssl)"
[[ -x $nginx ]] || die "nginx not found at $nginx (Debian: apt-get install nginx-light)"
if [[ $server != /* ]]; then
    server=$repo_root/$server
fi
[[ -x $server ]] || die "$server is missing; build it (make bench-tls) or set OUTPOST_SERVER"

bench_init_work bench-tls
bench_traps
work=$bench_work

# One certificate for both: ECDSA P-256, as a current ACME client would issue.
"$openssl" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$work/tls.key" -out "$work/tls.crt" 2>"$work/openssl.log" \
    || die "openssl could not make a certificate: $(cat "$work/openssl.log")"

# Waits until https://127.0.0.1:<port><path> answers 200 while <pid> lives.
wait_tls_ready() {
    local name=$1 pid=$2 port=$3 path=$4 seconds=$5
    local deadline=$((SECONDS + seconds))
    while ((SECONDS < deadline)); do
        kill -0 "$pid" 2>/dev/null || return 1
        if printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" \
            | timeout 5 "$openssl" s_client -quiet -connect "127.0.0.1:$port" 2>/dev/null \
            | head -n 1 | grep -q '^HTTP/1.1 200'; then
            return 0
        fi
        sleep 0.2
    done
    echo "$bench_name: $name did not answer 200 on https://127.0.0.1:$port$path" >&2
    return 1
}

nginx_port=$(free_port)
sed -e "s|@WORK_DIR@|$work|g" -e "s|@PORT@|$nginx_port|g" \
    "$repo_root/bench/nginx-tls200.conf.in" >"$work/nginx.conf"
"$nginx" -e "$work/nginx-error.log" -p "$work" -c "$work/nginx.conf" -g 'daemon off;' \
    >"$work/nginx.out" 2>&1 &
nginx_pid=$!
bench_pids+=("$nginx_pid")
wait_tls_ready nginx "$nginx_pid" "$nginx_port" / 10 \
    || die "nginx did not start: $(cat "$work/nginx.out" "$work/nginx-error.log" 2>/dev/null)"

outpost_port=$(free_port)
start_outpost "$server" "$outpost_port" "$work/data" "$work/outpost-access.log" \
    "$work/outpost-stderr.log" OUTPOST_LOG_FORMAT=json \
    OUTPOST_TLS_CERT_FILE="$work/tls.crt" OUTPOST_TLS_KEY_FILE="$work/tls.key"
wait_tls_ready outpost-server "$outpost_pid" "$outpost_port" /healthz 30 \
    || die "outpost-server did not start: $(tail -n 20 "$work/outpost-stderr.log")"

run_wrk() {
    local url=$1 out=$2 seconds=$3
    run_stoppable timeout $((seconds + 30)) "$wrk" -t"$threads" -c"$connections" \
        -d"${seconds}s" --latency "$url" >"$out"
}

nginx_url="https://127.0.0.1:$nginx_port/"
outpost_url="https://127.0.0.1:$outpost_port/healthz"
if ((warmup_s > 0)); then
    run_wrk "$nginx_url" "$work/warmup-nginx.txt" "$warmup_s"
    run_wrk "$outpost_url" "$work/warmup-outpost.txt" "$warmup_s"
fi

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
echo "load: wrk -t$threads -c$connections -d$duration --latency over TLS, keep-alive," \
    "$rounds rounds A (nginx) B (outpost) in turn; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-6s %-26s %12s %10s  %s\n' round target req/s p99 notes
nginx_all=() outpost_all=() failed=0
for ((r = 1; r <= rounds; r++)); do
    for side in nginx outpost; do
        url=$nginx_url
        [[ $side == outpost ]] && url=$outpost_url
        out="$work/wrk-$side-$r.txt"
        run_wrk "$url" "$out" "$duration_s"
        rps=$(wrk_rps "$out")
        p99=$(awk '$1 == "99%" { print $2 }' "$out")
        notes=$(grep -E '^ *(Non-2xx or 3xx responses|Socket errors):' "$out" | sed 's/^ *//' | paste -sd ';' - || true)
        [[ -n $rps ]] || die "could not read wrk's output: $(cat "$out")"
        [[ -z $notes ]] || failed=1
        label="nginx TLS fixed 200"
        [[ $side == outpost ]] && label="outpost-server TLS /healthz"
        printf '%-6s %-26s %12s %10s  %s\n' "$r" "$label" "$rps" "$p99" "$notes"
        if [[ $side == nginx ]]; then nginx_all+=("$rps"); else outpost_all+=("$rps"); fi
    done
done
echo
summary() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1; s += $1 } END {
    printf "median %.0f, mean %.0f, min %.0f, max %.0f, spread (max-min)/median %.0f%%",
        (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), s / NR, v[1], v[NR],
        100 * (v[NR] - v[1]) / (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
echo "nginx:          $(summary "${nginx_all[@]}")"
echo "outpost-server: $(summary "${outpost_all[@]}")"
n_med=$(printf '%s\n' "${nginx_all[@]}" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }')
o_med=$(printf '%s\n' "${outpost_all[@]}" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }')
awk -v o="$o_med" -v n="$n_med" 'BEGIN { printf "outpost / nginx (medians): %.1f%%\n", 100 * o / n }'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "outpost-server peak RSS (VmHWM): $(proc_mib "$outpost_pid" VmHWM) MiB"
((failed == 0)) || die "some requests failed (see notes): the numbers above are not comparable"
